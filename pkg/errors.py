"""The one exception type that reaches the user as a one-line message.

Every layer raises ``UserError`` (or a subclass) for problems the user can cause or fix: a bad
file, an invalid module, a missing tool. The CLI prints ``osbuild: error: <message>`` and exits
with ``exit_code``; anything else escaping is a bug in osbuild.
"""


class UserError(Exception):
    """A problem reported to the user as one line, with a process exit status."""

    exit_code = 1


class UsageError(UserError):
    """Wrong command-line usage (exit status 2, like argparse)."""

    exit_code = 2


class ToolMissing(UserError):
    """An external tool (qemu-system-riscv64, clang, ld.lld, wasm-tools) is not installed."""
