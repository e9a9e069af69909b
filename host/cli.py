"""The `osbuild` command line (conventions of `wasmtime run`: options before the file,
everything after the file belongs to the program)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from osbuild.errors import UsageError, UserError


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are our one-line UsageError."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def add_build_options(p: argparse.ArgumentParser) -> None:
    """The compiler's options, shared by the commands that build an image."""
    p.add_argument("--opt", action="store_true",
                   help="optimized code (LLVM O2; slower to compile) instead of the fast tier")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="compile in N worker processes (default: one per CPU)")


def jobs_option(ns: argparse.Namespace) -> int | None:
    if ns.jobs is not None and ns.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return ns.jobs


def tier_option(ns: argparse.Namespace) -> str:
    return "opt" if ns.opt else "fast"


def parser() -> Parser:
    p = Parser(prog="osbuild", description="WebAssembly microkernel OS for QEMU RISC-V virt")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    img = sub.add_parser("image", help="compile a module and link a bootable image")
    img.add_argument("file", type=Path, help=".wasm or .wat module")
    img.add_argument("-o", "--output", type=Path, help="image path (default images/NAME.elf)")
    add_build_options(img)

    run = sub.add_parser("run", help="boot a module or image under QEMU")
    run.add_argument("--invoke", metavar="NAME", help="call this export and print its results")
    run.add_argument("--timeout", type=float, metavar="SECONDS",
                     help="interrupt the program after this many seconds")
    run.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                     help="environment variable for the program (repeatable)")
    run.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]",
                     help="share a host directory with the program (repeatable)")
    run.add_argument("--tcplisten", action="append", default=[], metavar="HOST:PORT",
                     help="listen on HOST:PORT; the program accepts the connections on a "
                     "preopened socket, the descriptor after the --dir preopens")
    run.add_argument("--fuel", type=int, metavar="N",
                     help="trap after N wasm instructions (deterministic budget)")
    run.add_argument("--max-memory", metavar="SIZE",
                     help="no linear memory may grow past SIZE bytes (e.g. 64M): memory.grow "
                     "answers -1, a larger initial memory fails instantiation")
    run.add_argument("--guest-ram", metavar="SIZE",
                     help="RAM of the guest machine (default: enough for the program's memories, "
                     "at least 1G); touching more traps with 'out of memory'")
    run.add_argument("--stats", action="store_const", const="count", dest="stats",
                     help="after the run, print on stderr the instructions the program "
                     "retired, build/boot/run times and peak guest memory; --stats=exact "
                     "counts instructions exactly (QEMU -icount shift=0, slower)")
    # argparse matches a whole option string before splitting at '=': the exact variant
    run.add_argument("--stats=exact", action="store_const", const="exact", dest="stats",
                     help=argparse.SUPPRESS)
    run.add_argument("-v", "--verbose", action="store_true", help="show firmware output")
    add_build_options(run)
    run.add_argument("file", type=Path, help=".wasm, .wat or a built image")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program")

    dbg = sub.add_parser("debug", help="boot paused and inspect the guest (a prompt)")
    dbg.add_argument("--invoke", metavar="NAME", help="call this export")
    dbg.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    dbg.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]")
    add_build_options(dbg)
    dbg.add_argument("file", type=Path, help=".wasm, .wat or a built image")
    dbg.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program")

    spec = sub.add_parser("spec", help="run WebAssembly spec test scripts in the guest")
    spec.add_argument("files", nargs="*", help=".wast files or directories "
                      "(default: the suite's wasm-2.0 directory without SIMD)")
    spec.add_argument("--json", type=Path, metavar="OUT", help="write results as JSON")
    spec.add_argument("-k", metavar="PATTERN", help="only files whose name contains PATTERN")
    spec.add_argument("--suite", type=Path, help="test suite directory "
                      "(default $OSBUILD_TESTSUITE or ../shared/testsuite)")
    spec.add_argument("--timeout", type=float, default=300, help="seconds per file")
    spec.add_argument("--tier", choices=("fast", "opt"), default="opt",
                      help="compiler tier of the modules (default opt)")
    return p


def dispatch(ns: argparse.Namespace) -> int:
    if ns.command == "image":
        from .pipeline import build_files

        out = ns.output or Path("images") / f"{ns.file.stem}.elf"
        if ns.output is not None and not out.parent.is_dir():
            raise UserError(f"cannot write {out}: no such directory: {out.parent}")
        print(build_files([ns.file], out, tier=tier_option(ns), jobs=jobs_option(ns)))
        return 0
    if ns.command == "run":
        from .runner import run

        if ns.timeout is not None and ns.timeout <= 0:
            raise UsageError("--timeout must be positive")
        if ns.fuel is not None and ns.fuel < 0:
            raise UsageError("--fuel must not be negative")
        from .guestram import parse_size

        max_memory = None if ns.max_memory is None else parse_size(ns.max_memory, "--max-memory")
        ram = None if ns.guest_ram is None else parse_size(ns.guest_ram, "--guest-ram")
        return run(ns.file, ns.args, invoke=ns.invoke, timeout=ns.timeout, verbose=ns.verbose,
                   fuel=ns.fuel, env=ns.env, dirs=ns.dir, max_memory=max_memory, guest_ram=ram,
                   stats=ns.stats, tier=tier_option(ns), jobs=jobs_option(ns),
                   tcplisten=ns.tcplisten)
    if ns.command == "debug":
        from .runner import debug

        return debug(ns.file, ns.args, invoke=ns.invoke, env=ns.env, dirs=ns.dir,
                     tier=tier_option(ns), jobs=jobs_option(ns))
    from . import spec

    return spec.main(ns.files, json_out=ns.json, pattern=ns.k, suite=ns.suite,
                     timeout=ns.timeout, tier=ns.tier)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_stopped_by: list[int] = []


def terminate(signum: int, frame: object) -> None:
    """SIGINT, SIGTERM (e.g. from `timeout`) and SIGHUP unwind as KeyboardInterrupt, so QEMU
    is shut down and temp folders removed. Only the first signal raises: a second one (two
    Ctrl-Cs) must not interrupt that cleanup halfway and print a traceback."""
    if not _stopped_by:
        _stopped_by.append(signum)
        ignore_stop_signals()
        raise KeyboardInterrupt


def ignore_stop_signals() -> None:
    """From the first stop signal on, further ones are ignored by the OS itself, not merely by
    our handler: at interpreter exit Python resets its handlers to the default action, so a
    second Ctrl-C arriving in those last milliseconds would otherwise kill the process by
    SIGINT after the one-line message (seen with two SIGINTs 10 ms apart)."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def quiet_unraisable(args: object) -> None:
    """Exceptions in finalizers (an interrupted llvmlite object's __del__) are no message for
    the user; OSBUILD_DEBUG=1 shows them."""


def main(argv: list[str] | None = None) -> int:
    for sig in STOP_SIGNALS:
        signal.signal(sig, terminate)
    if not os.environ.get("OSBUILD_DEBUG"):
        sys.unraisablehook = quiet_unraisable
    try:
        return dispatch(parser().parse_args(argv))
    except UserError as e:
        print(f"osbuild: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        signum = _stopped_by[0] if _stopped_by else signal.SIGINT
        _stopped_by.append(signum)
        ignore_stop_signals()
        print(f"osbuild: interrupted ({signal.Signals(signum).name})", file=sys.stderr)
        return 128 + signum
    except Exception as e:  # a bug in osbuild: still one line unless asked for the traceback
        if os.environ.get("OSBUILD_DEBUG"):
            raise
        print(f"osbuild: internal error: {type(e).__name__}: {e} "
              "(set OSBUILD_DEBUG=1 for the traceback)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
