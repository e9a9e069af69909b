"""Images of several programs (the kernel's processes, guest/proc.h): the manifest that names
them, the command script that starts them, and a run whose output says which program wrote it.

A manifest is TOML (read with the standard library), one table per program:

    [[program]]
    name = "words"            # default: the file's stem
    wasm = "words.wasm"       # relative to the manifest
    args = ["200"]            # argv[1:] (argv[0] is the name)
    env = ["KEY=VALUE"]
    dirs = ["HOST::GUEST"]    # preopened host directories, as --dir
    stdin = "console"         # "console" (at most one program) or "null" (the default)
    stdout = "count"          # "console" (the default), another program (a pipe to its stdin),
                              # or "file:PATH" (written by the host; relative to the manifest)
    fuel = 1000000            # limits, as run's --fuel, --max-memory, --timeout
    max_memory = "64MiB"
    timeout = 5.0
    main = true               # the run's exit status is this program's

The run's exit status is the main program's, or without one the first failure's (a trap 134,
an error 1, killed 137), else 0. Each program's end is reported on stderr.
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from osbuild import cache
from osbuild.errors import UsageError, UserError

from .answers import parse_answer
from .guestram import WASM_PAGE, parse_size
from .machine import MAX_DIRS
from .protocol import TICKS_PER_SECOND, Script
from .traps import trap_message

MAX_PIPES = 16  # guest/proc.h
KEYS = {"name", "wasm", "args", "env", "dirs", "stdin", "stdout", "fuel", "max_memory",
        "timeout", "main"}


@dataclass
class Program:
    """One program of an image: its module (index in the image) and how it runs."""

    name: str
    module: int
    args: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    stdin: str = "null"
    stdout: str = "console"
    fuel: int | None = None
    max_memory: int | None = None
    timeout: float | None = None
    main: bool = False


def _program(entry: dict[str, Any], where: str, base: Path,
             files: list[Path]) -> Program:
    """One [[program]] table; its wasm file is added to ``files`` (shared when equal)."""
    unknown = set(entry) - KEYS
    if unknown:
        raise UserError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    if not isinstance(entry.get("wasm"), str):
        raise UserError(f"{where}: needs wasm = \"FILE\"")
    wasm = (base / entry["wasm"]).resolve()
    if not wasm.is_file():
        raise UserError(f"{where}: no such file: {entry['wasm']}")
    if wasm not in files:
        files.append(wasm)
    strings = {k: entry.get(k, []) for k in ("args", "env", "dirs")}
    for key, value in strings.items():
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise UserError(f"{where}: {key} must be a list of strings")
    max_memory = entry.get("max_memory")
    return Program(
        name=str(entry.get("name", wasm.stem)), module=files.index(wasm),
        args=strings["args"], env=strings["env"], dirs=strings["dirs"],
        stdin=str(entry.get("stdin", "null")), stdout=str(entry.get("stdout", "console")),
        fuel=entry.get("fuel"),
        max_memory=None if max_memory is None else parse_size(str(max_memory), "max_memory"),
        timeout=entry.get("timeout"), main=bool(entry.get("main", False)))


def load_manifest(path: Path) -> tuple[list[Program], list[Path]]:
    """The programs of a manifest file and the module files they need (image order)."""
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: not a valid manifest: {e}") from None
    entries = data.get("program")
    if not isinstance(entries, list) or not entries:
        raise UserError(f"{path}: no [[program]] tables")
    files: list[Path] = []
    programs = [_program(e, f"{path}: program {i + 1}", path.parent, files)
                for i, e in enumerate(entries)]
    for p in programs:  # output files are the host's: made absolute now
        if p.stdout.startswith("file:"):
            p.stdout = "file:" + str((path.parent / p.stdout[5:]).resolve())
    check(programs)
    return programs, files


def from_files(paths: list[Path], pipe: bool) -> list[Program]:
    """Programs of `osbuild image a.wasm b.wasm` (all to the console), or of `osbuild run a.wasm
    --pipe b.wasm` (a pipeline: each one's stdout to the next one's stdin; the last is main, as
    a shell's pipeline status is its last command's)."""
    programs = [Program(name=p.stem, module=i) for i, p in enumerate(paths)]
    if pipe:
        for a, b in zip(programs, programs[1:], strict=False):
            a.stdout = b.name
        programs[-1].main = True
    check(programs)
    return programs


def check(programs: list[Program]) -> None:
    """What the kernel cannot do, said before anything is built."""
    names = [p.name for p in programs]
    for p in programs:
        if names.count(p.name) > 1:
            raise UserError(f"two programs are named {p.name!r}")
        if p.stdin not in ("console", "null"):
            raise UserError(f"program {p.name}: stdin must be \"console\" or \"null\"")
        if p.stdout.startswith("file:"):
            if not Path(p.stdout[5:]).parent.is_dir():
                raise UserError(f"program {p.name}: no such directory for {p.stdout[5:]}")
        elif p.stdout != "console" and p.stdout not in names:
            raise UserError(f"program {p.name}: stdout {p.stdout!r} is neither \"console\", "
                            "a program nor file:PATH")
        if p.stdout == p.name:
            raise UserError(f"program {p.name}: its stdout cannot be its own stdin")
    readers = [p.stdout for p in programs if piped(p)]
    for name in readers:
        if readers.count(name) > 1:
            raise UserError(f"program {name}: more than one program writes to its stdin")
        if next(p for p in programs if p.name == name).stdin == "console":
            raise UserError(f"program {name}: stdin is both the console and a pipe")
    if sum(p.stdin == "console" for p in programs) > 1:
        raise UserError("only one program can read the console")
    if sum(p.main for p in programs) > 1:
        raise UserError("only one program can be main")
    if len(readers) > MAX_PIPES:
        raise UserError(f"at most {MAX_PIPES} pipes")
    if sum(len(p.dirs) for p in programs) > MAX_DIRS:
        raise UserError(f"at most {MAX_DIRS} directories in all (one virtio device each)")


def piped(p: Program) -> bool:
    """Whether a program's stdout is a pipe to another program."""
    return p.stdout != "console" and not p.stdout.startswith("file:")


def to_json(programs: list[Program]) -> list[dict[str, Any]]:
    return [asdict(p) for p in programs]


def from_json(data: list[dict[str, Any]]) -> list[Program]:
    return [Program(**d) for d in data]


def build_programs(programs: list[Program], files: list[Path], out: Path, *,
                   tier: str = "opt", jobs: int | None = None) -> Path:
    """Compile the modules and link one image that knows how to run the programs."""
    from .pipeline import build, load

    return build([(load(f), f.stem) for f in files], out, tier=tier, jobs=jobs,
                 programs=to_json(programs))


def cached_programs_image(programs: list[Program], files: list[Path], tier: str = "opt",
                          jobs: int | None = None) -> Path:
    """The image of ``programs``, built once per module files, programs and options
    (host/pipeline.py image_key)."""
    from .pipeline import image_key

    key = image_key(*files, fuel=False, tier=tier, programs=json.dumps(to_json(programs)))
    out = cache.entry("images", key, ".elf")
    if not out.exists():
        build_programs(programs, files, out, tier=tier, jobs=jobs)
    return out


def cached_manifest_image(path: Path, tier: str = "opt", jobs: int | None = None) -> Path:
    """The image of a manifest's programs (cached_programs_image)."""
    programs, files = load_manifest(path)
    return cached_programs_image(programs, files, tier, jobs)


def script(programs: list[Program], tty_mask: int) -> tuple[list[str], Script]:
    """QEMU arguments (one virtio-9p device per directory) and the command script: each
    program configured and spawned, then `wait`."""
    from .runner import dir_devices

    pipes = {p.stdout: k for k, p in enumerate(q for q in programs if piped(q))}
    qemu, _ = dir_devices([d for p in programs for d in p.dirs])
    s = Script()
    for p in programs:
        s.proc(p.module, p.name)
        for a in [p.name, *p.args]:
            s.arg(a)
        for kv in p.env:
            if "=" not in kv:
                raise UsageError(f"program {p.name}: env expects KEY=VALUE, got {kv!r}")
            s.env(kv)
        for d in p.dirs:
            host, _, guest = d.partition("::")
            s.dir(guest or host)
        if p.stdin == "console":
            s.stdin()
        s.tty(tty_mask & (4 | (p.stdin == "console") | (p.stdout == "console") << 1))
        if p.name in pipes:
            s.stdin_pipe(pipes[p.name])
        if piped(p):
            s.stdout_pipe(pipes[p.stdout])
        if p.fuel is not None:
            s.fuel(p.fuel)
        if p.max_memory is not None:
            s.max_memory(p.max_memory // WASM_PAGE)
        if p.timeout is not None:
            s.deadline(int(p.timeout * TICKS_PER_SECOND))
        if p.main:
            s.main()
        s.spawn()
    return qemu, s.wait()


class Output:
    """Program output on our stdout/stderr, line by line with the writer's name in front when
    more than one program writes to the console (``name | line``), as docker compose does; a
    program whose stdout is `file:PATH` has it written to that file instead."""

    def __init__(self, names: dict[int, str], prefix: bool,
                 files: dict[int, Path] | None = None) -> None:
        self.names = names
        self.prefix = prefix
        self.files = {pid: open(path, "wb") for pid, path in (files or {}).items()}  # noqa: SIM115
        self.sender = 0
        self.partial: dict[tuple[int, int], bytes] = {}
        width = max((len(n) for n in names.values()), default=0)
        self.labels = {pid: f"{n:<{width}} | ".encode() for pid, n in names.items()}

    def sink(self, fd: int):  # noqa: ANN201 - a console Sink
        from .runner import stream_sink

        stream = sys.stdout if fd == 1 else sys.stderr
        plain = stream_sink(stream)

        def write(data: bytes) -> None:
            if fd == 1 and self.sender in self.files:
                self.files[self.sender].write(data)
                return
            if not self.prefix:
                return plain(data)
            key = (self.sender, fd)
            *lines, rest = (self.partial.pop(key, b"") + data).split(b"\n")
            label = self.labels.get(self.sender, b"? | ")
            stream.buffer.write(b"".join(label + line + b"\n" for line in lines))
            stream.flush()
            if rest:
                self.partial[key] = rest
        return write

    def flush(self) -> None:
        for f in self.files.values():
            f.close()
        for (pid, fd), rest in self.partial.items():
            stream = sys.stdout if fd == 1 else sys.stderr
            stream.buffer.write(self.labels.get(pid, b"? | ") + rest + b"\n")
            stream.flush()
        self.partial.clear()


def default_harts() -> int:
    """The host's cores, up to the kernel's 8 (guest/proc.h MAX_CPUS): QEMU runs each hart
    on a host thread of its own (multi-threaded TCG)."""
    return max(1, min(os.cpu_count() or 1, 8))


def run_programs(image_path: Path, programs: list[Program], *, verbose: bool = False,
                 harts: int | None = None) -> int:
    """Boot an image of several programs on ``harts`` CPUs (default_harts) and run them all;
    the run's exit status."""
    from .console import Timeout, boot
    from .image import Image
    from .runner import _isatty, report_failure, report_panic

    image = Image(image_path)
    tty = sum(1 << fd for fd in range(3) if _isatty(fd))
    qemu, s = script(programs, tty)
    names = {i + 1: p.name for i, p in enumerate(programs)}  # pids count from 1 in order
    files = {i + 1: Path(p.stdout[5:]) for i, p in enumerate(programs)
             if p.stdout.startswith("file:")}
    out = Output(names, prefix=sum(p.stdout == "console" for p in programs) > 1, files=files)
    ends: dict[int, str] = {}
    state: dict[str, int | None] = {"exit": None, "uart": 0}

    def on_frame(channel: str, payload: bytes) -> None:
        if channel == ">":
            out.sender = int(payload)
        elif channel == "@":
            state["uart"] = int(payload)
        elif channel == "E":
            pid, how, *rest = payload.decode().split()
            ends[int(pid)] = f"trap: {trap_message(int(rest[0]))}" if how == "trap" else \
                " ".join([how, *rest])
        elif channel in "TL":
            name = names.get(int(state["uart"] or 0), "osbuild")
            report_failure(parse_answer(channel, payload), image, name, "command default",
                           f"osbuild: {name}")
        elif channel == "P":
            report_panic(payload)
        elif channel == "X":
            state["exit"] = int(payload)

    timeouts = [p.timeout for p in programs]
    backstop = None if None in timeouts else max(t for t in timeouts if t is not None) + 10
    reads_console = any(p.stdin == "console" for p in programs)
    try:
        _, noise = boot(image.path, s, on_frame, timeout=backstop, extra_args=qemu,
                        harts=harts or default_harts(),
                        stdin=sys.stdin.buffer if reads_console else None,
                        stdout=out.sink(1), stderr=out.sink(2))
    except Timeout:
        print(f"osbuild: the programs did not end within {backstop:.0f} s and were killed",
              file=sys.stderr)
        return 134
    finally:
        out.flush()
    if verbose:
        sys.stderr.write(noise.decode(errors="replace"))
    for pid, name in names.items():
        print(f"osbuild: {name}: {ends.get(pid, 'did not end')}", file=sys.stderr)
    if state["exit"] is None:
        raise UserError("the guest stopped without reporting an exit status")
    return int(state["exit"])
