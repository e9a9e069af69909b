"""Program stdio over the virtio console port (guest/vconsole.c, host/console.py), against the
wasmtime package: large stdin round-trips byte for byte, end of file behaves the same, stdout
and stderr stay apart and in the program's order, and output written just before proc_exit
or a trap reaches the host before the exit status. Programs: examples/wasi/cat.c, streams.c."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, OSBUILD, ROOT, osbuild, under_wasmtime

WASI = EXAMPLES / "wasi"
BIG = 3 << 20  # more than the port's socket buffers hold: the guest must wait for the host

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    subprocess.run(["make", "-s", "wasi-examples"], cwd=ROOT, check=True)


def wasmtime_run(program: str, args: list[str], tmp: Path,
                 stdin: bytes = b"") -> tuple[bytes, bytes, int]:
    """stdout, stderr and exit status under wasmtime; a trap is status 134, as ours."""
    return under_wasmtime(WASI / f"{program}.wasm", args, tmp, stdin=stdin)


def ours(program: str, args: list[str], stdin: bytes = b"") -> tuple[bytes, bytes, int]:
    r = osbuild("run", WASI / f"{program}.wasm", *args, input=stdin, text=False)
    return r.stdout, r.stderr, r.returncode


def test_large_stdin_round_trips_byte_exactly(tmp_path: Path) -> None:
    data = os.urandom(6 << 20)
    out, err, status = ours("cat", [], data)
    assert (out, err, status) == wasmtime_run("cat", [], tmp_path, data)
    assert out == data  # and so wasmtime's: not an empty agreement


@pytest.mark.parametrize("size", [0, 1, 65534, 65535, 65536, 200_003])
def test_end_of_file_and_frame_boundaries(tmp_path: Path, size: int) -> None:
    """Stdin frames are at most 65535 bytes and arrive in 4 KiB device buffers: sizes around
    both; a second read after end of file reads nothing again."""
    data = os.urandom(size)
    assert ours("streams", ["eof"], data) == wasmtime_run("streams", ["eof"], tmp_path, data)
    assert ours("cat", [], data)[0] == data


def test_stdin_not_read_to_the_end(tmp_path: Path) -> None:
    """The program ends with most of a large stdin unread: same output, and no hang."""
    data = os.urandom(BIG)
    assert (ours("streams", ["write", "10"], data)
            == wasmtime_run("streams", ["write", "10"], tmp_path, data))


def test_stdout_and_stderr_stay_apart_and_in_order(tmp_path: Path) -> None:
    n = 400
    theirs_out, theirs_err, theirs_status = wasmtime_run("streams", ["interleave", str(n)],
                                                         tmp_path)
    out, err, status = ours("streams", ["interleave", str(n)])
    assert (out, err, status) == (theirs_out, theirs_err, theirs_status)
    # Both into one pipe (2>&1): the lines must come in the order the program wrote them,
    # which the line numbers in wasmtime's two streams give.
    merged = subprocess.run([OSBUILD, "run", WASI / "streams.wasm", "interleave", str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                            timeout=120, check=True).stdout
    lines = (theirs_out + theirs_err).splitlines(keepends=True)
    program_order = sorted(lines, key=lambda ln: int(re.search(rb"\d+", ln)[0]))  # type: ignore[index]
    assert merged == b"".join(program_order)
    assert theirs_out and theirs_err


@pytest.mark.parametrize("ending", ["exit", "trap"])
def test_output_just_before_the_end_is_not_lost(tmp_path: Path, ending: str) -> None:
    """BIG bytes written (no libc buffering), then proc_exit(7) or a trap: all of it arrives
    before the exit status, as under wasmtime."""
    out, err, status = ours("streams", [ending, str(BIG)])
    theirs_out, _, theirs_status = wasmtime_run("streams", [ending, str(BIG)], tmp_path)
    assert (len(out), status) == (len(theirs_out), theirs_status)
    assert out == theirs_out
    if ending == "trap":
        assert "wasm trap: unreachable" in err.decode()


def test_too_many_dirs_is_one_line(tmp_path: Path) -> None:
    """The console port takes one of the machine's 8 virtio transports, the entropy device
    another: a seventh --dir is refused in one line instead of failing to start QEMU."""
    dirs = [a for i in range(7) for a in ("--dir", f"{tmp_path}::d{i}")]
    r = osbuild("run", *dirs, WASI / "cat.wasm")
    assert r.returncode == 2 and "at most 6 --dir" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    six = osbuild("run", *dirs[:12], WASI / "cat.wasm", input="ok")
    assert (six.returncode, six.stdout) == (0, "ok")


EXIT3 = """(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 3))))
"""


def test_program_ending_while_stdin_stays_open(tmp_path: Path) -> None:
    """A program that never reads its stdin ends while the pipe feeding it is still open:
    osbuild exits with the program's status. (The stdin pump, a daemon thread blocked in a
    buffered read, used to make CPython abort at shutdown: exit 134, "Fatal Python error".)"""
    wat = tmp_path / "exit3.wat"
    wat.write_text(EXIT3)
    proc = subprocess.Popen([OSBUILD, "run", str(wat)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        proc.wait(timeout=120)  # stdin stays open (not written, not closed) until it has ended
        err = proc.stderr.read()  # type: ignore[union-attr]
    finally:
        proc.kill()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            pipe.close()  # type: ignore[union-attr]
    assert proc.returncode == 3, err
    assert b"Fatal Python error" not in err
