"""The `osbuild` command line (conventions of `wasmtime run`: options before the file,
everything after the file belongs to the program)."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from osbuild.cache import WRITE_ERRNOS
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

    img = sub.add_parser("image", help="compile modules and link a bootable image")
    img.add_argument("files", type=Path, nargs="*", metavar="file",
                     help=".wasm or .wat module (several: an image of several programs)")
    img.add_argument("--manifest", type=Path, metavar="TOML",
                     help="an image of the programs this manifest names (host/programs.py)")
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
    run.add_argument("--pipe", action="append", default=[], type=Path, metavar="NEXT.wasm",
                     help="run NEXT too, its stdin reading the program's stdout (repeatable: "
                          "a pipeline; the last one's status is the run's)")
    run.add_argument("--harts", type=int, metavar="N",
                     help="CPUs of an image of several programs (default: the host's cores, "
                          "up to 8)")
    run.add_argument("file", type=Path, help=".wasm, .wat, a manifest (.toml) or a built image")
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
        return image_command(ns)
    if ns.command == "run" and (ns.pipe or ns.file.suffix == ".toml" or programs_image(ns.file)):
        return run_programs_command(ns)
    if ns.command == "run":
        from .runner import run

        if ns.harts is not None:
            raise UsageError("--harts is for images of several programs (one program runs on "
                             "one hart)")
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


def image_command(ns: argparse.Namespace) -> int:
    """`osbuild image`: one module, several (each its own program), or a manifest."""
    from . import programs
    from .pipeline import build_files

    if not ns.files and ns.manifest is None:
        raise UsageError("give a module file or --manifest")
    if ns.files and ns.manifest is not None:
        raise UsageError("give module files or --manifest, not both")
    first = ns.manifest or ns.files[0]
    out = ns.output or Path("images") / f"{first.stem}.elf"
    if ns.output is not None and not out.parent.is_dir():
        raise UserError(f"cannot write {out}: no such directory: {out.parent}")
    if ns.manifest is None and len(ns.files) == 1:
        print(build_files(ns.files, out, tier=tier_option(ns), jobs=jobs_option(ns)))
        return 0
    if ns.manifest is not None:
        progs, files = programs.load_manifest(ns.manifest)
    else:
        files = [f for f in ns.files]
        progs = programs.from_files(files, pipe=False)
    print(programs.build_programs(progs, files, out, tier=tier_option(ns), jobs=jobs_option(ns)))
    return 0


def programs_image(path: Path) -> bool:
    """Whether ``path`` is an image of several programs (built from a manifest or files)."""
    from .image import Image
    from .runner import is_image

    return is_image(path) and Image(path).programs is not None


def run_programs_command(ns: argparse.Namespace) -> int:
    """`osbuild run` of a manifest, an image of several programs, or a --pipe pipeline."""
    from . import programs
    from .image import Image
    from .runner import is_image

    others = [ns.invoke and "--invoke", ns.env and "--env", ns.dir and "--dir",
              ns.tcplisten and "--tcplisten", ns.fuel is not None and "--fuel",
              ns.stats and "--stats", ns.max_memory and "--max-memory"]
    given = [o for o in others if o]
    if given:
        raise UsageError(f"{given[0]} is a setting of one program: write it in a manifest")
    if ns.pipe:
        files = [ns.file, *ns.pipe]
        if any(is_image(f) for f in files):
            raise UsageError("--pipe takes module files, not images")
        progs = programs.from_files(files, pipe=True)
        image = programs.cached_programs_image(progs, [f.resolve() for f in files],
                                               tier_option(ns), jobs_option(ns))
        progs[0].args = list(ns.args)  # not part of the image: a run's own
    elif ns.file.suffix == ".toml":
        if ns.args:
            raise UsageError("arguments of programs go in the manifest")
        image = programs.cached_manifest_image(ns.file, tier_option(ns), jobs_option(ns))
        progs = programs.from_json(Image(image).programs or [])
    else:
        image = ns.file
        progs = programs.from_json(Image(image).programs or [])
    if ns.timeout is not None:
        for p in progs:
            p.timeout = ns.timeout
    if ns.harts is not None and not 1 <= ns.harts <= 8:
        raise UsageError("--harts must be 1 to 8")
    return programs.run_programs(image, progs, verbose=ns.verbose, harts=ns.harts)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_stopped_by: list[int] = []
# Whether main() owns the process (the `osbuild` command) or runs inside another program (the
# robustness fuzzer calls it in process): only an owner may end the process on a signal.
_owner: list[bool] = [True]
# How long the main thread may take to reach Python after a stop signal (it may be inside LLVM
# compiling one large function) before the watchdog thread stops the process instead.
GRACE = 0.5
_claim_lock = threading.Lock()
_claimed_by: list[str] = []


def terminate(signum: int, frame: object) -> None:
    """SIGINT, SIGTERM (e.g. from `timeout`) and SIGHUP stop osbuild at once (`hard_stop`):
    unwinding would free a large module's IR object by object, which holds the interpreter
    for seconds. Only the first signal counts: a second one (two Ctrl-Cs) is ignored. Inside
    another program it unwinds as KeyboardInterrupt instead."""
    if _stopped_by:
        return
    _stopped_by.append(signum)
    ignore_stop_signals()
    if _owner[0]:
        if claim_exit("main"):
            for stream in (sys.stdout, sys.stderr):  # the program's output received so far
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            hard_stop(signum)
        time.sleep(3600)  # the watchdog is stopping the process
    raise KeyboardInterrupt


def claim_exit(who: str) -> bool:
    """After a stop signal, the main thread's exit and the watchdog's race: the first to
    claim the exit ends the process, the other stands aside. Without a signal the main thread
    always may (the watchdog only claims after one)."""
    if who == "main" and not _stopped_by:
        return True
    with _claim_lock:
        if not _claimed_by:
            _claimed_by.append(who)
        return _claimed_by[0] == who


def own_exit() -> None:
    """The main thread is about to return: unless the watchdog already claimed the exit
    (then it is killing the process, and the main thread waits for that)."""
    if not claim_exit("main"):
        time.sleep(3600)


def interrupted_line(signum: int) -> str:
    return f"osbuild: interrupted ({signal.Signals(signum).name})\n"


def descendants() -> list[int]:
    """This process's children, grandchildren, ... (QEMU, the compiler's forkserver and its
    workers, ld.lld, clang), from /proc."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(name))
    out, todo = [], [os.getpid()]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


KILL_WAIT = 3.0  # seconds a SIGKILLed QEMU may take to release its guest RAM and go
KILL_ROUNDS = 5


def await_gone(pids: list[int], limit: float) -> None:
    """Wait until every process of ``pids`` has exited (a zombie counts: it runs nothing),
    reaping our own children, so that no QEMU outlives the command even for the moment a
    killed process takes to tear down its memory."""
    deadline = time.monotonic() + limit
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break  # our child, reaped
            except ChildProcessError:  # not our child: gone or a zombie is enough
                try:
                    with open(f"/proc/{pid}/stat", "rb") as f:
                        stat = f.read()
                except OSError:
                    break
                if stat[stat.rindex(b")") + 2:].startswith(b"Z"):
                    break
            time.sleep(0.005)


def hard_stop(signum: int) -> None:
    """End the process now: kill what it started (QEMU dies with it anyway), remove the
    temporary paths it holds (osbuild.tmpdirs), print the one line, exit 128+signal. Output
    files and cache entries are written aside and renamed, so none is left half-written.
    Whatever fails on the way (stderr's reader gone), the process exits."""
    try:
        from osbuild.tmpdirs import remove_held

        # From here other threads (the worker pool's handlers, multiprocessing's resource
        # tracker) see their processes die and would print warnings and tracebacks while we
        # wait: their stderr goes nowhere, the one line goes to the real one.
        stderr = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        # Kill until none is left: while we wait, the worker pool's thread may ask the dying
        # forkserver for replacements of the workers it saw die.
        for _ in range(KILL_ROUNDS):
            killed = descendants()
            if not killed:
                break
            for pid in killed:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            await_gone(killed, KILL_WAIT)
        remove_held()
        process = sys.modules.get("multiprocessing.process")  # the pool's pymp-* folder,
        if process is not None:  # which multiprocessing removes only at a normal exit
            tempdir = process.current_process()._config.get("tempdir")  # noqa: SLF001
            if tempdir:
                shutil.rmtree(tempdir, ignore_errors=True)
        os.write(stderr, interrupted_line(signum).encode())
    finally:
        os._exit(128 + signum)


def watchdog(read_fd: int) -> None:
    """Waits for a stop signal's byte on the wakeup fd, which the C-level handler writes even
    while the main thread is busy in C code (LLVM releases the interpreter lock); gives the
    main thread GRACE seconds to run `terminate`, then stops the process itself; if the main
    thread began stopping but has not ended 2 s later, it stops it too."""
    while True:
        try:
            data = os.read(read_fd, 64)
        except OSError:
            return
        sigs = [s for s in data if s in STOP_SIGNALS]
        if sigs:
            break
    time.sleep(GRACE)
    signum = _stopped_by[0] if _stopped_by else sigs[0]
    if claim_exit("watchdog"):
        hard_stop(signum)
    # The main thread claimed the exit but may still be stuck (flushing output into a pipe
    # nobody reads): after a while longer, stop regardless.
    time.sleep(4 * GRACE)
    hard_stop(signum)


_watching: list[threading.Thread] = []


def start_watchdog() -> None:
    """Once per process."""
    if _watching:
        return
    r, w = os.pipe()
    os.set_blocking(w, False)
    signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    _watching.append(threading.Thread(target=watchdog, args=(r,), daemon=True,
                                      name="osbuild-watchdog"))
    _watching[0].start()


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


def main(argv: list[str] | None = None, *, owner: bool = True) -> int:
    """The `osbuild` command. ``owner``: this call owns the process, so a stop signal ends
    it at once (see `terminate`); False inside another program, where it unwinds."""
    _owner[0] = owner
    for sig in STOP_SIGNALS:
        signal.signal(sig, terminate)
    if owner:
        start_watchdog()
    if not os.environ.get("OSBUILD_DEBUG"):
        sys.unraisablehook = quiet_unraisable
    try:
        status = dispatch(parser().parse_args(argv))
        own_exit()
        return status
    except UserError as e:
        own_exit()
        print(f"osbuild: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        signum = _stopped_by[0] if _stopped_by else signal.SIGINT
        _stopped_by.append(signum)
        ignore_stop_signals()
        own_exit()
        print(interrupted_line(signum), end="", file=sys.stderr)
        return 128 + signum
    except Exception as e:  # a bug in osbuild: still one line unless asked for the traceback
        own_exit()
        if isinstance(e, OSError) and e.errno in WRITE_ERRNOS:
            # a full disk or a read-only folder where osbuild writes: not a bug of osbuild
            where = f": {e.filename}" if e.filename else ""
            print(f"osbuild: error: {e.strerror}{where}", file=sys.stderr)
            return 1
        if os.environ.get("OSBUILD_DEBUG"):
            raise
        print(f"osbuild: internal error: {type(e).__name__}: {e} "
              "(set OSBUILD_DEBUG=1 for the traceback)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
