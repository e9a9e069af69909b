"""`osbuild image` and `osbuild run`: a module or image in, a booted guest out.

A .wasm/.wat given to `run` is built into an image cached by everything that shapes it
(host/pipeline.py), so running the same module again boots at once. The guest's frames are
turned into stdout, stderr, results, trap reports and the exit status.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from osbuild.errors import UsageError, UserError

from .console import Sink, Timeout, boot
from .guestram import WASM_PAGE, ram_arg
from .image import Image
from .machine import MAX_DIRS
from .pipeline import cached_image
from .protocol import ANSWERS, TICKS_PER_SECOND, Script

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from typing import TextIO

# Imported where they are needed, not here: a plain run of a WASI command needs none of the
# answers, values, trap reports, statistics or the network proxy (~20 ms of imports, issue 14).



def is_image(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"is a directory: {path}") from None


def wasi_script(path: Path, args: list[str], env: list[str]) -> Script:
    """argv (argv[0] is the file name, as wasmtime passes it), environ and stdin."""
    script = Script()
    for a in [path.name, *args]:
        script.arg(a)
    for kv in env:
        if "=" not in kv:
            raise UsageError(f"--env expects KEY=VALUE, got {kv!r}")
        script.env(kv)
    # which of our stdin/stdout/stderr are terminals: the program sees the same (isatty)
    return script.stdin().tty(sum(1 << fd for fd in range(3) if _isatty(fd)))


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def dir_devices(dirs: list[str]) -> tuple[list[str], Script]:
    """QEMU arguments and script lines for `--dir HOST[::GUEST]`: one virtio-9p device per
    directory, mount tag osb<N>, preopened in the guest under GUEST (default: HOST as
    given, like wasmtime)."""
    if len(dirs) > MAX_DIRS:
        raise UsageError(f"at most {MAX_DIRS} --dir directories (one virtio device each)")
    qemu: list[str] = []
    script = Script()
    for i, spec in enumerate(dirs):
        host, _, guest = spec.partition("::")
        if not Path(host).is_dir():
            raise UserError(f"--dir {spec}: no such directory: {host}")
        path = str(Path(host).resolve()).replace(",", ",,")
        qemu += ["-fsdev", f"local,id=fs{i},path={path},security_model=none",
                 "-device", f"virtio-9p-device,fsdev=fs{i},mount_tag=osb{i}"]
        script.dir(guest or host)
    return qemu, script


def program_script(image: Image, path: Path, args: list[str], invoke: str | None,
                   env: list[str], dirs: Script) -> Script:
    """Instantiate module 0, then call export ``invoke`` with ``args`` (typed by its
    signature), or, without one, run it as a WASI command with ``args`` and ``env``."""
    script = Script()
    if invoke is None:
        return script.extend(wasi_script(path, args, env)).extend(dirs).instantiate(0).start(0)
    from . import values

    export = image.function_export(invoke)
    return script.instantiate(0).invoke(0, invoke, values.parse_args(args, export["sig"], invoke))


def open_image(path: Path, fuel: bool = False, tier: str = "opt",
               jobs: int | None = None) -> Image:
    """The image to boot for a module or image file given on the command line."""
    return Image(path if is_image(path) else cached_image(path, fuel, tier, jobs))


def debug(path: Path, args: list[str], *, invoke: str | None, env: list[str],
          dirs: list[str], tier: str = "opt", jobs: int | None = None) -> int:
    """`osbuild debug`: the same inputs as run, a Session and the prompt instead."""
    from .debug import Session
    from .repl import repl

    if path.suffix == ".toml":
        from .programs import cached_manifest_image

        path = cached_manifest_image(path, tier, jobs)
    image = open_image(path, tier=tier, jobs=jobs)
    if dirs:
        raise UsageError("--dir is not supported by osbuild debug yet")
    harts = 1
    if image.programs is not None:  # an image of several programs: all of them, every hart
        from .programs import default_harts, from_json, script

        _, lines = script(from_json(image.programs), 0)
        harts = default_harts()
    else:
        lines = program_script(image, path, args, invoke, env, Script())
    with Session(image, lines, harts=harts) as session:
        return repl(session)


def stream_sink(stream: TextIO) -> Sink:
    """Program output straight through to one of our streams, as it comes."""

    def write(data: bytes) -> None:
        stream.buffer.write(data)
        stream.flush()

    return write


def report_failure(answer: object, image: Image, name: str, what: str, label: str) -> None:
    """A trap report in wasmtime's format, or a link error as `LABEL: error: MESSAGE`, on
    stderr after what the program wrote; other answers are not failures."""
    from .answers import LinkReport, TrapReport
    from .traps import format_trap

    sys.stdout.flush()
    if isinstance(answer, TrapReport):
        print(format_trap(answer, image, name, what), file=sys.stderr)
    elif isinstance(answer, LinkReport):
        print(f"{label}: error: {answer.message}", file=sys.stderr)


def report_panic(payload: bytes) -> None:
    """The kernel's panic frame ('P'), one line on stderr."""
    print(f"osbuild: {payload.decode(errors='replace')}", file=sys.stderr)


def run(path: Path, args: list[str], *, invoke: str | None, timeout: float | None,
        verbose: bool, fuel: int | None = None, env: list[str] | None = None,
        dirs: list[str] | None = None, max_memory: int | None = None,
        guest_ram: int | None = None, stats: str | None = None, tier: str = "opt",
        jobs: int | None = None, tcplisten: list[str] | None = None) -> int:
    """``max_memory``: bytes no linear memory may exceed (wasmtime's -W max-memory-size);
    ``guest_ram``: bytes of guest RAM (default: Machine's, from the image); ``stats``:
    "count" or "exact" prints what the run cost on stderr (host/runstats.py); ``tier`` and
    ``jobs``: how a module is compiled (jit/compiler.py); ``tcplisten``: HOST:PORT addresses
    whose connections the program accepts (one, for now: host/netproxy.py)."""
    if len(tcplisten or []) > 1:
        raise UsageError("at most one --tcplisten address")
    if stats:
        from .runstats import RunStats
    marks = RunStats(exact=stats == "exact") if stats else None
    image = open_image(path, fuel is not None, tier, jobs)
    script = Script()
    if marks:
        marks.built = marks.spawned = marks.now()
        script.stats()
    if max_memory is not None:
        script.max_memory(max_memory // WASM_PAGE)
    if fuel is not None:
        if image.metadata and not image.metadata[0].get("fuel"):
            raise UserError(f"{path} was built without fuel checks; pass the module, not "
                            "the image, to run it with --fuel")
        script.fuel(fuel)
    if timeout is not None:
        script.deadline(int(timeout * TICKS_PER_SECOND))
    qemu_args, dir_lines = dir_devices(dirs or [])
    if tcplisten:
        from .netproxy import NetProxy
    proxy = NetProxy(tcplisten[0]) if tcplisten else None
    if proxy is not None:  # after the directories: see netproxy.py on the numbering
        qemu_args += proxy.qemu_args()
        dir_lines.tcplisten()
    script.extend(program_script(image, path, args, invoke, env or [], dir_lines))
    what = f"export '{invoke}'" if invoke else "command default"
    state: dict[str, int | None] = {"exit": None, "status": None}

    def on_frame(channel: str, payload: bytes) -> None:
        if channel == "R" and invoke is None:
            return  # a command's `start` answers no results: nothing to parse or print
        if channel in ANSWERS:
            from .answers import Results, parse_answer

            answer = parse_answer(channel, payload)
            if isinstance(answer, Results) and invoke is not None:
                for value in answer.values:
                    print(value.text(), flush=True)
            else:
                report_failure(answer, image, str(path), what, "osbuild")
        elif channel == "P":
            report_panic(payload)
        elif channel == "X":
            state["exit"] = int(payload)
        elif channel == "M" and marks:
            from .answers import parse_stats

            marks.guest.append(parse_stats(payload))
        elif channel == "S":
            if marks:
                marks.first_frame = marks.now()
            if verbose:
                print(f"osbuild: guest started ({payload.decode()})", file=sys.stderr)

    backstop = None if timeout is None else timeout + 10
    if marks and marks.exact:
        from .runstats import EXACT_ARGS

        qemu_args += EXACT_ARGS
    try:
        if proxy is not None:
            proxy.start()
        status, noise = boot(image, script, on_frame, timeout=backstop,
                             extra_args=qemu_args, stdin=None if invoke else sys.stdin.buffer,
                             memory=None if guest_ram is None else ram_arg(guest_ram),
                             stdout=stream_sink(sys.stdout), stderr=stream_sink(sys.stderr),
                             firmware_console=verbose)
    except Timeout:
        print(f"Error: failed to run main module `{path}`\n\nCaused by:\n"
              f"    wasm trap: interrupt (the guest did not stop within {backstop:.0f} s and "
              "was killed)", file=sys.stderr)
        return 134
    finally:
        if proxy is not None:
            proxy.close()
    if verbose:
        sys.stderr.write(noise.decode(errors="replace"))
    if marks:
        marks.end = marks.now()
        marks.print()
    if state["exit"] is not None:
        return int(state["exit"])
    raise UserError(f"the guest stopped without reporting an exit status (QEMU status {status})")
