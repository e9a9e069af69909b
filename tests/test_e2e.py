"""End-to-end: the `osbuild` command compiles, links and boots real QEMU.

Each test runs the installed console script in a subprocess, as a user would, and checks
stdout, stderr and the exit status. A fresh XDG cache per session keeps the cached images of
the developer's machine out of the picture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OSBUILD = [str(Path(sys.executable).parent / "osbuild")]

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


def osbuild(cache_home: Path, *args: str | Path, timeout: float = 120,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    return subprocess.run([*OSBUILD, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd or ROOT, check=False)


def test_hello_prints_through_host_calls(cache_home: Path, tmp_path: Path) -> None:
    image = tmp_path / "hello.elf"
    built = osbuild(cache_home, "image", EXAMPLES / "hello.wat", "-o", image)
    assert built.returncode == 0, built.stderr
    assert image.read_bytes()[:4] == b"\x7fELF"
    run = osbuild(cache_home, "run", image)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Hello from WebAssembly on RISC-V!\n42\n"


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 1), (10, 55), (20, 6765), (30, 832040)])
def test_fib_invoke(cache_home: Path, n: int, expected: int) -> None:
    run = osbuild(cache_home, "run", "--invoke", "fib", EXAMPLES / "fib.wat", str(n))
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
def test_memory_reads_back_writes(cache_home: Path, export: str, args: list[str],
                                  expected: str) -> None:
    run = osbuild(cache_home, "run", "--invoke", export, EXAMPLES / "memory.wat", *args)
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected + "\n"


def test_store_outside_memory_is_caught(cache_home: Path) -> None:
    run = osbuild(cache_home, "run", "--invoke", "wild", EXAMPLES / "memory.wat", timeout=60)
    assert run.returncode == 134, (run.stdout, run.stderr)
    assert "out of bounds memory access" in run.stderr
    assert "Traceback" not in run.stderr


def test_store_past_memory_end_is_caught(cache_home: Path) -> None:
    # The first byte past the single 64 KiB page: a guard page right behind mapped memory.
    run = osbuild(cache_home, "run", "--invoke", "poke", EXAMPLES / "memory.wat", "65536", "1")
    assert run.returncode == 134
    assert "out of bounds memory access" in run.stderr


def test_second_run_uses_cached_image(cache_home: Path) -> None:
    first = osbuild(cache_home, "run", "--invoke", "fib", EXAMPLES / "fib.wat", "5")
    assert first.returncode == 0
    objects = cache_home / "osbuild" / "objects"
    before = {p: p.stat().st_mtime_ns for p in objects.rglob("*.o")}
    again = osbuild(cache_home, "run", "--invoke", "fib", EXAMPLES / "fib.wat", "6")
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
def test_bad_input_is_one_line(cache_home: Path, args: list[str], status: int,
                               needle: str) -> None:
    run = osbuild(cache_home, *args)
    assert run.returncode == status, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], run.stderr
    assert "Traceback" not in run.stderr


def test_not_wasm_and_invalid_module(cache_home: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.wasm"
    junk.write_bytes(b"\x00\x01\x02garbage")
    invalid = tmp_path / "invalid.wat"
    invalid.write_text("(module (func (result i32) (i64.const 1)))")
    for path in (junk, invalid):
        run = osbuild(cache_home, "run", path)
        assert run.returncode == 1
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_no_qemu_left_behind(cache_home: Path) -> None:
    osbuild(cache_home, "run", "--invoke", "wild", EXAMPLES / "memory.wat")
    if shutil.which("pgrep"):
        mine = subprocess.run(["pgrep", "-f", f"XDG_CACHE_HOME={cache_home}"],
                              capture_output=True, text=True, check=False)
        assert mine.stdout.strip() == ""
    out = subprocess.run(["ps", "-eo", "ppid,comm"], capture_output=True, text=True,
                         check=True).stdout
    children = [ln for ln in out.splitlines()
                if "qemu-system" in ln and ln.split()[0] == str(os.getpid())]
    assert children == []


@pytest.mark.parametrize(
    ("wat", "needles"),
    [
        ('(module (import "env" "print_i32" (func (param i64))) (func (export "_start")))',
         ["env.print_i32", "(i64) -> ()", "(i32) -> ()"]),
        ('(module (import "env" "nope" (func (param i32) (result f32))))',
         ["unknown import env.nope", "(i32) -> (f32)"]),
        ('(module (import "spectest" "global_i32" (global i64)))', ["spectest.global_i32"]),
    ],
)
def test_import_mismatch_fails_the_build(cache_home: Path, tmp_path: Path, wat: str,
                                         needles: list[str]) -> None:
    src = tmp_path / "m.wat"
    src.write_text(wat)
    out = tmp_path / "m.elf"
    run = osbuild(cache_home, "image", src, "-o", out)
    assert run.returncode == 1
    line = run.stderr.strip()
    assert "\n" not in line and all(n in line for n in needles), line
    assert not out.exists()
