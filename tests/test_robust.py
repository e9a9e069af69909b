"""Hostile inputs and interruptions, as a user would meet them: malformed custom sections,
truncated modules, names made of escape codes, output paths, signals and killed runs. Each
ends in a built image that runs, or one clear line and a non-zero exit, and leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, OSBUILD, osbuild, qemu_processes

from osbuild.jit.wasmtools import wat_to_wasm
from osbuild.tmpdirs import sweep

HELLO = wat_to_wasm((EXAMPLES / "hello.wat").read_bytes())
SPIN = b'(module (func (export "_start") (loop $l (br $l))))'


def custom_section(name: bytes, payload: bytes) -> bytes:
    body = bytes([len(name)]) + name + payload
    assert len(body) < 128
    return b"\x00" + bytes([len(body)]) + body


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """The single stderr line of a rejected input (exit status 1), checked for noise."""
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("osbuild: error: "), proc.stderr
    assert "internal error" not in lines[0] and "WARN" not in lines[0]
    return lines[0]


@pytest.mark.qemu
@pytest.mark.parametrize("payload", [
    b"\x01\x7f\x01",                  # subsection larger than the section (was an IndexError)
    b"\x01\x03\x05\x00\x09",          # a count of 5 names with one, cut short
    b"\x00\x02\x05a",                 # module name longer than its subsection
    b"\x01\x04\x01\x00\x02\xff\xfe",  # a function name that is not UTF-8
])
def test_malformed_name_section_is_ignored(tmp_path: Path, payload: bytes) -> None:
    plain, wasm = tmp_path / "plain.wasm", tmp_path / "hello.wasm"
    plain.write_bytes(HELLO)
    wasm.write_bytes(HELLO + custom_section(b"name", payload))
    want, got = osbuild("run", plain), osbuild("run", wasm)
    assert want.returncode == 0, want.stderr
    assert (got.returncode, got.stdout, got.stderr) == (0, want.stdout, want.stderr)


def test_truncated_module_names_the_parse_error(tmp_path: Path) -> None:
    wasm = tmp_path / "cut.wasm"
    wasm.write_bytes(HELLO[: len(HELLO) // 2])
    line = one_line_error(osbuild("image", wasm, "-o", tmp_path / "cut.elf"))
    assert "invalid module: unexpected end-of-file" in line
    assert not (tmp_path / "cut.elf").exists()


def test_function_validation_error_keeps_its_reason(tmp_path: Path) -> None:
    wat = tmp_path / "bad.wat"
    wat.write_text("(module (func (result i32) (i64.const 1)))")
    line = one_line_error(osbuild("image", wat, "-o", tmp_path / "bad.elf"))
    assert "func 0 failed to validate: type mismatch: expected i32, found i64" in line


def test_image_mode_and_missing_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "fib.elf"
    old = os.umask(0o022)
    try:
        proc = osbuild("image", EXAMPLES / "fib.wat", "-o", out)
    finally:
        os.umask(old)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_mode & 0o777 == 0o644
    missing = tmp_path / "no" / "such" / "fib.elf"
    line = one_line_error(osbuild("image", EXAMPLES / "fib.wat", "-o", missing))
    assert "no such directory" in line and not (tmp_path / "no").exists()


@pytest.mark.qemu
def test_backtrace_escapes_control_characters_in_names(tmp_path: Path) -> None:
    wat = tmp_path / "names.wat"
    wat.write_text('(module (func $"evil\\1b[31m\\0aline" (export "_start") unreachable))')
    proc = osbuild("run", wat)
    assert proc.returncode != 0
    assert "\x1b" not in proc.stderr
    assert "evil\\x1b[31m\\nline" in proc.stderr, proc.stderr


def spinning(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen:
    """`osbuild run` of a program that never ends, once its guest is running."""
    wat = tmp_path / "spin.wat"
    wat.write_bytes(SPIN)
    image = tmp_path / "spin.elf"
    assert osbuild("image", wat, "-o", image, env=env).returncode == 0
    proc = subprocess.Popen([OSBUILD, "run", str(image)], env=env, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 30
    while not [pid for pid in qemu_processes() if parent(pid) == proc.pid]:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)
    return proc


def parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return int(stat[stat.rindex(b")") + 2:].split()[1])


@pytest.mark.qemu
@pytest.mark.parametrize("signals", [
    (signal.SIGTERM,), (signal.SIGHUP,), (signal.SIGINT,), (signal.SIGINT, signal.SIGINT),
])
def test_signal_stops_a_run_with_one_line(tmp_path: Path, signals: tuple[int, ...]) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    before = qemu_processes()
    proc = spinning(tmp_path, env)
    for sig in signals:
        proc.send_signal(sig)
        time.sleep(0.01)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signals[0]
    assert err.strip() == f"osbuild: interrupted ({signal.Signals(signals[0]).name})"
    assert qemu_processes() == before
    assert list(tmp.iterdir()) == []


@pytest.mark.qemu
def test_a_killed_run_leaves_nothing(tmp_path: Path) -> None:
    """SIGKILL runs no cleanup code, and a run needs none: it makes no temporary file (the
    command script is an in-memory file QEMU inherits, host/machine.py), and QEMU dies with
    it (PR_SET_PDEATHSIG). Folders that other kinds of sessions leave (the debugger's) are
    swept by the next one (test_sweep_spares_live_processes)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    before = qemu_processes()
    proc = spinning(tmp_path, env)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while qemu_processes() != before:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert list(tmp.iterdir()) == []
    proc = osbuild("run", EXAMPLES / "hello.wat", env=env)
    assert proc.returncode == 0, proc.stderr
    assert list(tmp.iterdir()) == []


def test_sweep_spares_live_processes(tmp_path: Path) -> None:
    mine = tmp_path / f"osbuild-link-{os.getpid()}-abc"
    other_kind = tmp_path / "osbuild-qemu-999999999-abc"
    dead = tmp_path / "osbuild-link-999999999-abc"
    for d in (mine, other_kind, dead):
        d.mkdir()
    assert sweep("link", tmp_path) == [dead]
    assert mine.exists() and other_kind.exists()
    assert sweep(None, tmp_path) == [other_kind]  # what private_dir does: every kind
    assert mine.exists()


@pytest.mark.qemu
def test_script_goes_after_an_image_that_covers_the_initrd_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QEMU puts -initrd 128 MiB past the image's start: inside an image larger than that the
    command script is loaded right after the image. Moving QEMU's initrd place to the image's
    start makes any image take that path."""
    from osbuild.host import machine
    from osbuild.host.api import Store
    from osbuild.host.image import Image

    image = tmp_path / "fib.elf"
    assert osbuild("image", EXAMPLES / "fib.wat", "-o", image).returncode == 0
    script = str(tmp_path / "cmd")
    assert machine.script_args(Image(image), script, 1, 1 << 30)[0] == "-initrd"
    with Store(image) as store:
        want = [store.instantiate(0).exports["fib"](n) for n in (5, 20)]
    monkeypatch.setattr(machine, "INITRD_GAP", 0)
    args = machine.script_args(Image(image), script, 1, 1 << 30)
    assert args[0] == "-device" and args[1].startswith("loader,")
    with Store(image) as store:
        assert [store.instantiate(0).exports["fib"](n) for n in (5, 20)] == want


def session_processes(sid: int) -> list[int]:
    """Processes of session ``sid`` still alive (not zombies)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[3]) == sid and fields[0] != b"Z":
            found.append(int(pid))
    return found


def many_functions(n: int, salt: int) -> bytes:
    """A valid module of ``n`` small functions (distinct per ``salt``, so nothing is cached;
    3000 of them are enough code for the worker pool)."""
    from wasmenc import leb

    body = b"\x00" + (b"\x41" + leb(salt % 64) + b"\x1a") * 6 + b"\x0b"  # 20 bytes
    code = leb(n) + (leb(len(body)) + body) * n
    return (b"\0asm\x01\0\0\0" + b"\x01\x04\x01\x60\x00\x00"
            + b"\x03" + leb(len(leb(n)) + n) + leb(n) + b"\x00" * n
            + b"\x07\x0a\x01\x06_start\x00\x00"
            + b"\x0a" + leb(len(code)) + code)


def heavy_functions(copies: int, ops: int, salt: int) -> bytes:
    """``copies`` functions of ``ops`` random i64 operations among 64 locals: seconds each in
    LLVM's O2 pipeline and register allocator, for a fraction of that in Python."""
    import random

    from wasmenc import leb

    rng = random.Random(salt)
    bodies = b""
    for _ in range(copies):
        code = bytearray()
        for _ in range(ops):
            a, b, c = (rng.randrange(64) for _ in range(3))
            code += (b"\x20" + leb(a) + b"\x20" + leb(b)
                     + rng.choice([b"\x7e", b"\x7c", b"\x85"]) + b"\x21" + leb(c))
        body = b"\x01\x40\x7e" + bytes(code) + b"\x0b"
        bodies += leb(len(body)) + body
    funcs = leb(copies) + b"\x00" * copies
    section = leb(copies) + bodies
    return (b"\0asm\x01\0\0\0" + b"\x01\x04\x01\x60\x00\x00" + b"\x03" + leb(len(funcs))
            + funcs + b"\x07\x0a\x01\x06_start\x00\x00" + b"\x0a" + leb(len(section))
            + section)


@pytest.mark.parametrize("stage", ["llvm", "llvm-no-reader", "pool", "link"])
def test_signal_stops_a_build_within_a_second(tmp_path: Path, stage: str) -> None:
    """SIGTERM while LLVM compiles one large function in the main process (where Python
    cannot run a handler), while the worker pool compiles, and while ld.lld joins the units:
    the build ends within a second with one line, and leaves no process, temp folder or
    cache entry being filled. "no-reader": the one reading osbuild's stderr is gone (a
    closed pipe), which must not keep it from stopping."""
    tmp, cache = tmp_path / "tmp", tmp_path / "cache"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "OSBUILD_CACHE_DIR": str(cache),
           "OSBUILD_JOBS": "2"}
    warm = tmp_path / "warm.wat"
    warm.write_text("(module)")
    assert osbuild("image", warm, "-o", tmp_path / "warm.elf", env=env).returncode == 0
    wasm = tmp_path / "m.wasm"
    salt = int(time.time())
    wasm.write_bytes(heavy_functions(4, 60_000, salt) if stage.startswith("llvm") else
                     many_functions(3000, salt))
    # The llvm stages: four large functions at --opt, compiled one after the other in the main
    # process (one job), each for seconds inside LLVM.
    tier = ["--opt"] if stage.startswith("llvm") else []
    if stage.startswith("llvm"):
        env["OSBUILD_JOBS"] = "1"
    proc = subprocess.Popen([OSBUILD, "image", *tier, str(wasm), "-o", str(tmp_path / "m.elf")],
                            env=env, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)

    def reached() -> bool:
        if stage.startswith("llvm"):  # decoded, translated; LLVM works for seconds after
            return time.monotonic() - started > 2.5
        if stage == "pool":  # the forkserver and its two workers
            return len(session_processes(proc.pid)) >= 4
        return any(tmp.glob(f"osbuild-units-{proc.pid}-*"))

    started = time.monotonic()
    while not reached():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.01)
    if stage == "llvm-no-reader":
        assert proc.stderr is not None
        proc.stderr.close()
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    if stage == "llvm-no-reader":
        proc.wait(timeout=60)
        err = "osbuild: interrupted (SIGTERM)\n"
    else:
        _, err = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 1.0
    assert (proc.returncode, err) == (128 + signal.SIGTERM, "osbuild: interrupted (SIGTERM)\n")
    time.sleep(0.2)
    assert session_processes(proc.pid) == []
    assert list(tmp.iterdir()) == [] and list((cache / "tmp").iterdir()) == []
    assert not (tmp_path / "m.elf").exists()


@pytest.mark.qemu
def test_kernel_panic_shows_the_registers_and_exits_70(tmp_path: Path) -> None:
    """The panic path of guest/trap.c, reached through the command script's debug-only
    `debug-kernel-fault` (an illegal instruction in S-mode): one P frame with scause, sepc,
    stval and the 31 registers, power off with status 70, nothing after it. (The fuzzers
    assert that no wasm input reaches this path: exit 70 is a finding there.)"""
    from osbuild.host.console import boot
    from osbuild.host.protocol import Script

    image = tmp_path / "fib.elf"
    assert osbuild("image", EXAMPLES / "fib.wat", "-o", image).returncode == 0
    frames: list[tuple[str, bytes]] = []
    before = qemu_processes()
    status, _ = boot(image, Script().instantiate(0).kernel_fault().instantiate(0),
                     lambda ch, payload: frames.append((ch, payload)), timeout=60)
    assert status == 70
    assert [ch for ch, _ in frames if ch in "RP"] == ["R", "P"]  # the 2nd instantiate: none
    panic = next(p.decode() for ch, p in frames if ch == "P")
    lines = panic.splitlines()
    assert lines[0] == "kernel panic: trap in S-mode"
    assert lines[1].startswith("scause 2 sepc 802")  # illegal instruction, in the kernel (hex)
    names = [w for ln in lines[2:] for w in ln.split()[::2]]
    assert names == ["ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
                     "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
                     "s9", "s10", "s11", "t3", "t4", "t5", "t6"]
    assert qemu_processes() == before


def sleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            return bytes(out + bytes([b]))
        out.append(b | 0x80)


@pytest.mark.qemu
def test_a_200_mib_data_segment_builds_and_boots(tmp_path: Path) -> None:
    """The image layout follows the actual sizes (the command script goes after an image
    that covers QEMU's initrd place): a module with one 200 MiB data segment builds, boots and
    reads its first, middle and last bytes as wasmtime does (the exit status is made of them)."""
    from conftest import under_wasmtime
    from wasmenc import leb

    def sec(sid: int, body: bytes) -> bytes:
        return bytes([sid]) + leb(len(body)) + body

    size = 200 << 20
    data = bytes((i * 7 + 3) & 0xFF for i in range(256)) * (size // 256)
    load = b"".join(b"\x41" + sleb(a) + b"\x2d\x00\x00" for a in (0, size // 2 + 5, size - 1))
    # proc_exit(sum of the three bytes % 126): wasmtime takes statuses below 126 only
    body = b"\x00" + load + b"\x6a\x6a\x41" + sleb(126) + b"\x70\x10\x00\x0b"
    wasm = (b"\0asm\x01\0\0\0" + sec(1, b"\x02\x60\x01\x7f\x00\x60\x00\x00")
            + sec(2, b"\x01\x16wasi_snapshot_preview1\x09proc_exit\x00\x00")
            + sec(3, b"\x01\x01") + sec(5, b"\x01\x00" + leb(size // 65536))
            + sec(7, b"\x02\x06_start\x00\x01\x06memory\x02\x00")
            + sec(10, b"\x01" + leb(len(body)) + body)
            + sec(11, b"\x01\x00\x41\x00\x0b" + leb(size) + data))
    src = tmp_path / "big.wasm"
    src.write_bytes(wasm)
    del data, wasm
    image = tmp_path / "big.elf"
    proc = osbuild("image", src, "-o", image, timeout=1200)
    assert proc.returncode == 0, proc.stderr
    assert image.stat().st_size > size
    _, _, want = under_wasmtime(src, [], tmp_path)
    assert want == sum((a * 7 + 3) & 0xFF for a in (0, size // 2 + 5, size - 1)) % 126
    proc = osbuild("run", image, timeout=600)
    assert (proc.returncode, proc.stderr) == (want, "")
