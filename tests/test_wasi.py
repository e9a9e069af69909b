"""WASI preview 1, differential: each example program runs under `osbuild run` and under the
wasmtime package with the same argv, environment and stdin; stdout, stderr and the exit status
must be identical. The programs are built from examples/wasi/*.c by `make wasi-examples`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import wasmtime
from conftest import EXAMPLES, ROOT, osbuild, qemu_processes, under_wasmtime
from difftest import smallest_budget

WASI = EXAMPLES / "wasi"

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    subprocess.run(["make", "-s", "wasi-examples"], cwd=ROOT, check=True)


def under_osbuild(wasm: Path, args: list[str], env: dict[str, str],
                  stdin: bytes) -> tuple[bytes, bytes, int]:
    env_args = [a for k, v in env.items() for a in ("--env", f"{k}={v}")]
    r = osbuild("run", *env_args, wasm, *args, input=stdin, text=False)
    return r.stdout, r.stderr, r.returncode


CASES = [
    ("args", [], {}, b""),
    ("args", ["one", "two words", "-7"], {"NAME": "osbuild"}, b""),
    ("args", ["x"], {"NAME": "ü ☃", "OTHER": "1"}, b""),
    ("wc", [], {}, b""),
    ("wc", [], {}, b"one two\nthree\n"),
    ("wc", [], {}, bytes(range(256)) * 40),
    ("clock", [], {}, b""),
]


@pytest.mark.parametrize(("program", "args", "env", "stdin"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_same_as_wasmtime(tmp_path: Path, program: str, args: list[str], env: dict[str, str],
                          stdin: bytes) -> None:
    wasm = WASI / f"{program}.wasm"
    ours = under_osbuild(wasm, args, env, stdin)
    theirs = under_wasmtime(wasm, args, tmp_path, env=env, stdin=stdin)
    assert ours == theirs


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path below root with its content (None for directories)."""
    return {str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
            for p in sorted(root.rglob("*"))}


DIR_CASES = [
    ("upper", ["data/in.txt", "data/out.txt"], {"in.txt": b"hello\nworld\n" * 300}),
    ("upper", ["data/missing.txt", "data/out.txt"], {}),
    ("upper", ["data/../../etc/passwd", "data/out.txt"], {}),
    ("fsops", ["data"], {"keep.txt": b"x\n"}),
    ("syscalls", ["data"], {}),
]


@pytest.mark.parametrize(("program", "args", "files"), DIR_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(DIR_CASES)])
def test_directory_effects_match_wasmtime(tmp_path: Path, program: str, args: list[str],
                                          files: dict[str, bytes]) -> None:
    """Output, status and the resulting host directory tree are the same as wasmtime's."""
    wasm = WASI / f"{program}.wasm"
    ours_dir, theirs_dir = tmp_path / "ours", tmp_path / "theirs"
    for d in (ours_dir, theirs_dir):
        d.mkdir()
        for name, content in files.items():
            (d / name).write_bytes(content)
    r = osbuild("run", "--dir", f"{ours_dir}::data", wasm, *args, text=False)
    theirs = under_wasmtime(wasm, args, tmp_path, preopen=(theirs_dir, "data"))
    assert (r.stdout, r.stderr, r.returncode) == theirs
    assert tree(ours_dir) == tree(theirs_dir)


def test_bad_dir_is_one_line(tmp_path: Path) -> None:
    r = osbuild("run", "--dir", tmp_path / "nope", WASI / "args.wasm")
    assert r.returncode == 1 and "no such directory" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "status"),
    [([str(WASI / "args.wasm")], 0),
     (["--invoke", "unreachable", str(ROOT / "examples" / "traps.wat")], 134),
     (["--timeout", "0.5", "--invoke", "spin", str(ROOT / "examples" / "traps.wat")], 134)],
    ids=["exits", "traps", "timeout"])
def test_nothing_left_behind(tmp_path: Path, args: list[str], status: int) -> None:
    """No QEMU process and no temporary file survive a run, however it ends."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    r = osbuild("run", *args, env=dict(os.environ, TMPDIR=str(tmp)))
    assert r.returncode == status, r.stderr
    assert list(tmp.iterdir()) == []
    assert qemu_processes() == []


def test_fuel_budget_matches_wasmtime(tmp_path: Path) -> None:
    """A C program's smallest sufficient `--fuel` is wasmtime's: same compiled-code rules
    (tests/test_fuel.py) and the same WASI answers (e.g. fd_write writes only the first
    non-empty buffer, so libc makes the same calls on both)."""
    wasm = WASI / "args.wasm"

    def completes(fuel: int) -> bool:
        try:
            under_wasmtime(wasm, ["a", "b"], tmp_path, fuel=fuel)
        except wasmtime.Trap:
            return False
        return True

    hi = smallest_budget(completes)

    def ours(fuel: int) -> int:
        return osbuild("run", "--fuel", str(fuel), wasm, "a", "b").returncode

    assert ours(hi) == 3  # args exits 3 when given two arguments
    assert ours(hi - 1) == 134


NO_MEMORY_EXPORT = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory 1)
  (export "mem" (memory 0))
  (data (i32.const 16) "hi\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""


def test_wasi_needs_the_memory_export(tmp_path: Path) -> None:
    """WASI reaches the program's memory through its export named "memory" (found by the
    robustness fuzzer: mutations that renamed it ran under osbuild, while wasmtime's WASI
    fails the first call with a host error, status 1 from `wasmtime run`)."""
    from osbuild.jit.wasmtools import wat_to_wasm

    wasm = tmp_path / "nomem.wasm"
    wasm.write_bytes(wat_to_wasm(NO_MEMORY_EXPORT.encode()))
    out, _, status = under_wasmtime(wasm, [], tmp_path)
    ours = osbuild("run", wasm, text=False)
    assert (ours.stdout, ours.returncode) == (out, status) == (b"", 1)
    assert ours.stderr.decode().endswith("    2: missing required memory export\n")


ZERO_LENGTH_READ = """
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $errno i32)
    (i32.store (i32.const 0) (i32.const 64))   ;; iovec {64, 0}: nothing to read into
    (i32.store (i32.const 8) (i32.const 77))
    (local.set $errno (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (i32.eqz (local.get $errno))                  ;; success must read nothing
      (then (if (i32.load (i32.const 8)) (then unreachable))))
    (i32.store (i32.const 4) (i32.const 1024))        ;; then a real read: nothing was lost
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $exit (local.get $errno))))
"""


@pytest.mark.parametrize("stdin", [b"", b"The quick brown fox\n"], ids=["eof", "data"])
def test_zero_length_read_of_stdin(tmp_path: Path, stdin: bytes) -> None:
    """fd_read with only empty buffers reads nothing and succeeds, as POSIX readv does. The
    wasmtime package answers EINTR (27) instead when stdin holds data (0 at end of file): its
    preview-1 layer (crates/wasi/src/p1.rs, BlockingMode::read) turns a read that returns no
    bytes from a stream that is not closed into Errno::Intr. That is why two mutants of
    examples/wasi/cat.wasm fed stdin, whose fd_read got a zero-length iovec, exited 1 there
    (libc's read() failed) and 0 here. If this test fails, one side changed: decide again."""
    from osbuild.jit.wasmtools import wat_to_wasm

    wasm = tmp_path / "zero.wasm"
    wasm.write_bytes(wat_to_wasm(ZERO_LENGTH_READ.encode()))
    ours = osbuild("run", wasm, input=stdin, text=False)
    out, _, status = under_wasmtime(wasm, [], tmp_path, stdin=stdin)
    assert (ours.stdout, ours.stderr, ours.returncode) == (stdin, b"", 0)
    assert (out, status) == (stdin, 27 if stdin else 0)
