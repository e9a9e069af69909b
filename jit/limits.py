"""osbuild's own limits on a module, past which a build would run for minutes or hours.

The validator (wasm-tools, i.e. wasmparser, which wasmtime uses too) already enforces its
limits: 1,000,000 functions, globals, types, imports and exports, 100,000 data and element
segments, 50,000 locals, 1,000 parameters and results, 7,654,321 bytes of function body,
100,000-byte names. Below those, two shapes of code still make LLVM's time grow
faster than the code (measured in docs/ARCHITECTURE.md, "Robustness and limits"): one huge
function (2 MiB of straight-line code took 123 s and 3.2 GB) and deeply nested loops (10,000
nested loops 7 s, 50,000 took 142 s). These limits cut both off with a line naming the limit, so
that no valid module below them builds for longer than about a minute per function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from osbuild.errors import UserError

if TYPE_CHECKING:
    from .wasmtypes import Module

# Bytes of one function body, its local declarations included (the validator allows 7,654,321).
MAX_FUNCTION_BODY = 1 << 20
# Blocks, loops and ifs open at once in one function body (the validator sets no limit).
MAX_NESTING = 10_000

WHERE = "see 'Robustness and limits' in docs/ARCHITECTURE.md"


class LimitExceeded(UserError):
    """A valid module past one of osbuild's own limits (exit status 1)."""


def exceeded(what: str, detail: str) -> LimitExceeded:
    return LimitExceeded(f"module exceeds osbuild's limit on {what}: {detail} ({WHERE})")


def check_module(m: Module) -> None:
    """The limits that the module's sections show without decoding any function body."""
    nimported = m.num_imported_funcs
    for k, (start, end) in enumerate(m.body_spans):
        if end - start > MAX_FUNCTION_BODY:
            raise exceeded("function body size", f"function {nimported + k} is "
                            f"{end - start:,} bytes, the limit is {MAX_FUNCTION_BODY:,}")


def check_nesting(depth: int, offset: int) -> None:
    """Called by the decoder with the control depth reached at ``offset``."""
    if depth > MAX_NESTING:
        raise exceeded("nesting depth", f"blocks, loops and ifs nested {depth:,} deep at "
                        f"offset {offset:#x}, the limit is {MAX_NESTING:,}")
