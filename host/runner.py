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

from . import values
from .pipeline import cached_image
from .session import Timeout, boot
from .traps import Trap, format_trap, image_metadata

TICKS_PER_SECOND = 10_000_000  # QEMU virt's time CSR runs at 10 MHz


def is_image(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"is a directory: {path}") from None


def find_export(image: Path, name: str) -> dict:
    metas = image_metadata(image)
    if not metas:
        raise UserError(f"{image} is not an osbuild image (no .osbuild.meta section)")
    exports = metas[0]["exports"]
    for e in exports:
        if e["name"] == name:
            if e["kind"] != "func":
                raise UserError(f"export '{name}' is a {e['kind']}, not a function")
            return e
    funcs = ", ".join(e["name"] for e in exports if e["kind"] == "func") or "none"
    raise UserError(f"no function export named '{name}' (function exports: {funcs})")


def wasi_lines(path: Path, args: list[str], env: list[str]) -> str:
    """argv (argv[0] is the file name, as wasmtime passes it) and environ."""
    lines = [f"arg {a.encode().hex() or '-'}" for a in [path.name, *args]]
    for kv in env:
        if "=" not in kv:
            raise UsageError(f"--env expects KEY=VALUE, got {kv!r}")
        lines.append(f"env {kv.encode().hex()}")
    lines.append("stdin")
    # which of our stdin/stdout/stderr are terminals: the program sees the same (isatty)
    lines.append(f"tty {sum(1 << fd for fd in range(3) if _isatty(fd)):x}")
    return "".join(line + "\n" for line in lines)


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def dir_devices(dirs: list[str]) -> tuple[list[str], str]:
    """QEMU arguments and script lines for `--dir HOST[::GUEST]`: one virtio-9p device per
    directory, mount tag osb<N>, preopened in the guest under GUEST (default: HOST as
    given, like wasmtime)."""
    qemu: list[str] = []
    lines = ""
    for i, spec in enumerate(dirs):
        host, _, guest = spec.partition("::")
        if not Path(host).is_dir():
            raise UserError(f"--dir {spec}: no such directory: {host}")
        path = str(Path(host).resolve()).replace(",", ",,")
        qemu += ["-fsdev", f"local,id=fs{i},path={path},security_model=none",
                 "-device", f"virtio-9p-device,fsdev=fs{i},mount_tag=osb{i}"]
        lines += f"dir {(guest or host).encode().hex()}\n"
    return qemu, lines


def debug(path: Path, args: list[str], *, invoke: str | None, env: list[str],
          dirs: list[str]) -> int:
    """`osbuild debug`: the same inputs as run, a Session and the prompt instead."""
    from .debug import Session
    from .repl import repl

    image = path if is_image(path) else cached_image(path)
    if dirs:
        raise UsageError("--dir is not supported by osbuild debug yet")
    script = wasi_lines(path, args, env) if invoke is None else ""
    script += "instantiate 0\n"
    if invoke is not None:
        export = find_export(image, invoke)
        bits = values.parse_args(args, export["sig"], invoke)
        script += f"invoke 0 {invoke.encode().hex() or '-'} " + " ".join(f"{b:x}" for b in bits)
        script += "\n"
    else:
        script += "start 0\n"
    with Session(image, script) as session:
        return repl(session)


def run(path: Path, args: list[str], *, invoke: str | None, timeout: float | None,
        verbose: bool, fuel: int | None = None, env: list[str] | None = None,
        dirs: list[str] | None = None) -> int:
    image = path if is_image(path) else cached_image(path, fuel is not None)
    script = ""
    if fuel is not None:
        metas = image_metadata(image)
        if metas and not metas[0].get("fuel"):
            raise UserError(f"{path} was built without fuel checks; pass the module, not "
                            "the image, to run it with --fuel")
        script += f"fuel {fuel:x}\n"
    if timeout is not None:
        script += f"deadline {int(timeout * TICKS_PER_SECOND):x}\n"
    qemu_args, dir_lines = dir_devices(dirs or [])
    if invoke is None:
        script += wasi_lines(path, args, env or []) + dir_lines
    script += "instantiate 0\n"
    export = None
    if invoke is not None:
        export = find_export(image, invoke)
        bits = values.parse_args(args, export["sig"], invoke)
        script += f"invoke 0 {invoke.encode().hex() or '-'} " + " ".join(f"{b:x}" for b in bits)
        script += "\n"
    else:
        script += "start 0\n"
    what = f"export '{invoke}'" if invoke else "command default"
    state: dict[str, int | None] = {"exit": None, "status": None}

    def on_frame(channel: str, payload: bytes) -> None:
        if channel == "1":
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        elif channel == "2":
            sys.stderr.buffer.write(payload)
            sys.stderr.flush()
        elif channel == "R" and export is not None and payload:
            for token in payload.decode().split():
                print(values.format_result(token), flush=True)
        elif channel == "T":
            sys.stdout.flush()
            print(format_trap(Trap.parse(payload), image, str(path), what), file=sys.stderr)
        elif channel == "L":
            print(f"osbuild: error: {payload.decode(errors='replace')}", file=sys.stderr)
        elif channel == "P":
            print(f"osbuild: {payload.decode(errors='replace')}", file=sys.stderr)
        elif channel == "X":
            state["exit"] = int(payload)
        elif channel == "S" and verbose:
            print(f"osbuild: guest started ({payload.decode()})", file=sys.stderr)

    backstop = None if timeout is None else timeout + 10
    try:
        status, noise = boot(image, script, on_frame, timeout=backstop, extra_args=qemu_args,
                             stdin=None if invoke else sys.stdin.buffer)
    except Timeout:
        print(f"Error: failed to run main module `{path}`\n\nCaused by:\n"
              f"    wasm trap: interrupt (the guest did not stop within {backstop:.0f} s and "
              "was killed)", file=sys.stderr)
        return 134
    if verbose:
        sys.stderr.write(noise.decode(errors="replace"))
    if state["exit"] is not None:
        return int(state["exit"])
    raise UserError(f"the guest stopped without reporting an exit status (QEMU status {status})")
