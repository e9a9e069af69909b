"""`osbuild run --stats`: the guest's instruction count and peak memory, the host's times.

Under --stats=exact (QEMU -icount shift=0) the count must be the same on every run and grow
with the work the program does; the peak memory must cover a memory the program touched.
"""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES, osbuild

pytestmark = pytest.mark.qemu


def stats(*args: str) -> dict[str, str]:
    p = osbuild("run", *args)
    assert p.returncode == 0, p.stderr
    lines = re.findall(r"^osbuild: stats: ([a-z ]+): (.*)$", p.stderr, re.M)
    return dict(lines)


def instructions(figures: dict[str, str]) -> int:
    return int(figures["instructions"].split()[0].replace(",", ""))


def test_exact_counts_repeat_and_grow_with_the_work() -> None:
    fib = EXAMPLES / "fib.wat"
    small = [instructions(stats("--stats=exact", "--invoke", "fib", str(fib), "15"))
             for _ in range(2)]
    large = instructions(stats("--stats=exact", "--invoke", "fib", str(fib), "20"))
    assert small[0] == small[1]
    # fib(20) makes about 11 times the calls of fib(15)
    assert 8 * small[0] < large < 14 * small[0]


def test_all_figures_are_reported(tmp_path) -> None:
    wat = tmp_path / "touch.wat"
    # touches 64 pages of a 4 MiB memory: the peak must include them
    wat.write_text("""(module (memory 64) (func (export "_start") (local i32)
      (loop (i32.store (local.get 0) (i32.const 1))
        (local.set 0 (i32.add (local.get 0) (i32.const 4096)))
        (br_if 0 (i32.lt_u (local.get 0) (i32.const 262144))))))""")
    figures = stats("--stats", str(wat))
    assert set(figures) == {"instructions", "build", "boot", "run", "total", "peak guest memory"}
    assert instructions(figures) > 64 * 5
    assert int(re.search(r"\((\d+) pages\)", figures["peak guest memory"]).group(1)) > 64


def test_stats_of_a_program_that_exits(tmp_path) -> None:
    wat = tmp_path / "exit.wat"
    wat.write_text("""(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1) (func (export "_start") (call $exit (i32.const 3))))""")
    p = osbuild("run", "--stats", str(wat))
    assert p.returncode == 3
    assert re.search(r"stats: instructions: [1-9]", p.stderr)
