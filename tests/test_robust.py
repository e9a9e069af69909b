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
    while not any(Path(env["TMPDIR"]).glob(f"osbuild-qemu-{proc.pid}-*/cmd")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)
    return proc


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
def test_folders_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    before = qemu_processes()
    proc = spinning(tmp_path, env)
    proc.kill()
    proc.wait()
    left = list(tmp.glob(f"osbuild-qemu-{proc.pid}-*"))
    assert left, "SIGKILL runs no cleanup: the folder stays until the next run"
    deadline = time.monotonic() + 10
    while qemu_processes() != before:  # QEMU dies with its parent (PR_SET_PDEATHSIG)
        assert time.monotonic() < deadline
        time.sleep(0.05)
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
    script = tmp_path / "cmd"
    script.write_text("x")
    assert machine.script_args(Image(image), script, 1 << 30)[0] == "-initrd"
    with Store(image) as store:
        want = [store.instantiate(0).exports["fib"](n) for n in (5, 20)]
    monkeypatch.setattr(machine, "INITRD_GAP", 0)
    args = machine.script_args(Image(image), script, 1 << 30)
    assert args[0] == "-device" and args[1].startswith("loader,")
    with Store(image) as store:
        assert [store.instantiate(0).exports["fib"](n) for n in (5, 20)] == want
