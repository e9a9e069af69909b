"""End-to-end: the `osbuild` command compiles, links and boots real QEMU.

Each test runs the installed console script in a subprocess, as a user would, and checks
stdout, stderr and the exit status (with the test session's private cache, tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, osbuild, qemu_processes

from osbuild.cache import cache_root

pytestmark = pytest.mark.qemu


def test_hello_prints_through_host_calls(tmp_path: Path) -> None:
    image = tmp_path / "hello.elf"
    built = osbuild("image", EXAMPLES / "hello.wat", "-o", image)
    assert built.returncode == 0, built.stderr
    assert image.read_bytes()[:4] == b"\x7fELF"
    run = osbuild("run", image)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Hello from WebAssembly on RISC-V!\n42\n"


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 1), (10, 55), (20, 6765), (30, 832040)])
def test_fib_invoke(n: int, expected: int) -> None:
    run = osbuild("run", "--invoke", "fib", EXAMPLES / "fib.wat", str(n))
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{expected}\n"


@pytest.mark.parametrize(
    ("export", "args", "expected"),
    [
        ("roundtrip", ["8", "-7"], "-7"),
        ("roundtrip", ["65528", "0x1122334455667788"], str(0x1122334455667788)),
        ("bytes", ["100"], str(0x11 + (0x3344 << 8))),
        ("sum", ["100"], "5050"),
        ("grow", ["2"], "3"),
        ("count", [], "1"),
    ],
)
def test_memory_reads_back_writes(export: str, args: list[str],
                                  expected: str) -> None:
    run = osbuild("run", "--invoke", export, EXAMPLES / "memory.wat", *args)
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected + "\n"


def test_store_outside_memory_is_caught() -> None:
    run = osbuild("run", "--invoke", "wild", EXAMPLES / "memory.wat", timeout=60)
    assert run.returncode == 134, (run.stdout, run.stderr)
    assert "out of bounds memory access" in run.stderr
    assert "Traceback" not in run.stderr


def test_store_past_memory_end_is_caught() -> None:
    # The first byte past the single 64 KiB page: a guard page right behind mapped memory.
    run = osbuild("run", "--invoke", "poke", EXAMPLES / "memory.wat", "65536", "1")
    assert run.returncode == 134
    assert "out of bounds memory access" in run.stderr


def test_second_run_uses_cached_image() -> None:
    first = osbuild("run", "--invoke", "fib", EXAMPLES / "fib.wat", "5")
    assert first.returncode == 0
    objects = cache_root() / "objects"
    before = {p: p.stat().st_mtime_ns for p in objects.rglob("*.o")}
    again = osbuild("run", "--invoke", "fib", EXAMPLES / "fib.wat", "6")
    assert again.stdout == "8\n"
    assert {p: p.stat().st_mtime_ns for p in objects.rglob("*.o")} == before


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (["run", "missing.wasm"], 1, "no such file"),
        (["run", "--invoke", "nope", "examples/fib.wat"], 1, "nope"),
        (["run", "--invoke", "fib", "examples/fib.wat"], 2, "argument"),
        (["run", "--invoke", "fib", "examples/fib.wat", "x"], 2, "x"),
        (["run", "--invoke", "fib", "examples/fib.wat", "1", "2"], 2, "argument"),
        (["run", "--invoke", "fib", "examples/fib.wat", "4294967296"], 2, "4294967296"),
    ],
)
def test_bad_input_is_one_line(args: list[str], status: int,
                               needle: str) -> None:
    run = osbuild(*args)
    assert run.returncode == status, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], run.stderr
    assert "Traceback" not in run.stderr


def test_not_wasm_and_invalid_module(tmp_path: Path) -> None:
    junk = tmp_path / "junk.wasm"
    junk.write_bytes(b"\x00\x01\x02garbage")
    invalid = tmp_path / "invalid.wat"
    invalid.write_text("(module (func (result i32) (i64.const 1)))")
    for path in (junk, invalid):
        run = osbuild("run", path)
        assert run.returncode == 1
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_no_qemu_left_behind() -> None:
    osbuild("run", "--invoke", "wild", EXAMPLES / "memory.wat")
    assert qemu_processes() == []


@pytest.mark.parametrize(
    ("wat", "needles"),
    [
        ('(module (import "env" "print_i32" (func (param i64))) (func (export "_start")))',
         ["env.print_i32", "(i64) -> ()", "(i32) -> ()"]),
        ('(module (import "env" "nope" (func (param i32) (result f32))))',
         ["unknown import env.nope", "(i32) -> (f32)"]),
        ('(module (import "spectest" "global_i32" (global i64)))', ["spectest.global_i32"]),
        # a name with a newline and an escape sequence stays on the one line, escaped
        ('(module (import "env" "pu\\0ats\\1b[2J" (func (param i32 i32))))',
         ["unknown import env.pu\\nts\\x1b[2J"]),
    ],
)
def test_import_mismatch_fails_the_build(tmp_path: Path, wat: str,
                                         needles: list[str]) -> None:
    src = tmp_path / "m.wat"
    src.write_text(wat)
    out = tmp_path / "m.elf"
    run = osbuild("image", src, "-o", out)
    assert run.returncode == 1
    line = run.stderr.strip()
    assert "\n" not in line and all(n in line for n in needles), line
    assert not out.exists()
