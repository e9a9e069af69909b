"""Instructions spent on linear memory: `memory.grow` of one page, and first touches.

One boot under QEMU's -icount shift=0 (one instruction = one tick of virtual time, so the
guest's instret counter is exact and repeatable), one instance of a small module, and the
kernel's `instret` script line read between calls. Each figure is the instructions of one
invoke line minus those of an invoke of a function that does the same minus the measured
operation (`size` for `grow`, a store to a mapped page for a first touch), so the script
parsing, the call into U-mode and the answer frame cancel out.

  memory.grow 1 page       only moves the size (demand paging); before demand paging the
                           kernel mapped and zeroed the 16 pages of 4 KiB at once
  first touch of a page    the page fault: a zeroed 4 KiB page mapped, the access retried
  touch of a whole page    16 first touches: what a program pays to use all of a grown page
  instantiate              a module with a 1-page memory, and one with 65341 pages (4 GiB):
                           the same, since no page is mapped until touched

Run: .venv/bin/python bench/memory_grow.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from osbuild.host.answers import Results, parse_answer  # noqa: E402
from osbuild.host.console import boot  # noqa: E402
from osbuild.host.pipeline import build_files  # noqa: E402
from osbuild.host.protocol import ANSWERS, Script  # noqa: E402

MODULE = """(module
  (memory 1)
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "poke") (param $a i32) (i32.store (local.get $a) (i32.const 1)))
  (func (export "page") (param $a i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.const 65536)))
    (loop $next
      (i32.store (local.get $a) (i32.const 1))
      (local.set $a (i32.add (local.get $a) (i32.const 4096)))
      (br_if $next (i32.lt_u (local.get $a) (local.get $end))))))
"""
BIG = """(module (memory 65341 65379) (func (export "size") (result i32) (memory.size)))"""

# The instructions QEMU 7.2 counted for one grow of one page on the kernel before demand
# paging (commit f47df52: 16 pages mapped, each zeroed byte by byte), measured with this
# script's method on that kernel with an `instret` line added.
BEFORE_GROW = 329_847


def measured_lines(repeat: int) -> tuple[Script, list[str]]:
    """The script, and the name of the figure that each `instret` difference belongs to."""
    script = Script().instantiate(0).invoke(0, "page", [0]).instret()  # page 0 all mapped
    names: list[str] = []
    page = 1  # pages 1.. are grown by the script, never touched before their own test
    for _ in range(repeat):
        for name, export, args in [("size", "size", []), ("grow", "grow", []),
                                   ("poke mapped", "poke", [0]),
                                   ("poke fresh", "poke", [page * 65536 + 8])]:
            script.invoke(0, export, args).instret()
            names.append(name)
        page += 1
    for _ in range(repeat):
        script.invoke(0, "grow").instret().invoke(0, "page", [page * 65536]).instret()
        names += ["grow", "page fresh"]
        page += 1
        script.invoke(0, "page", [0]).instret()
        names.append("page mapped")
    for _ in range(repeat):
        script.instantiate(0).instret().instantiate(1).instret()
        names += ["instantiate small", "instantiate 4 GiB"]
    return script, names


def run(repeat: int) -> dict[str, list[int]]:
    with tempfile.TemporaryDirectory() as tmp:
        wat, big = Path(tmp) / "grow.wat", Path(tmp) / "big.wat"
        wat.write_text(MODULE)
        big.write_text(BIG)
        image = build_files([wat, big], Path(tmp) / "grow.elf")
        script, names = measured_lines(repeat)
        answers: list[Results] = []

        def on_frame(channel: str, payload: bytes) -> None:
            if channel in ANSWERS:
                answer = parse_answer(channel, payload)
                if not isinstance(answer, Results):
                    raise SystemExit(f"unexpected answer: {answer}")
                answers.append(answer)

        boot(image, script, on_frame, timeout=300, extra_args=["-icount", "shift=0"])
    counts = [a.values[0].bits for a in answers if a.values and a.values[0].type == "i64"]
    figures: dict[str, list[int]] = {}
    for name, (a, b) in zip(names, zip(counts, counts[1:], strict=False), strict=True):
        figures.setdefault(name, []).append(b - a)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="measurements of each figure")
    n = ap.parse_args().repeat
    f = {k: statistics.median(v) for k, v in run(n).items()}
    rows = [
        ("memory.grow 1 page, before demand paging", BEFORE_GROW),
        ("memory.grow 1 page, now", f["grow"] - f["size"]),
        ("first touch of a 4 KiB page (page fault)", f["poke fresh"] - f["poke mapped"]),
        ("first touch of all 16 pages of a wasm page", f["page fresh"] - f["page mapped"]),
        ("instantiate, 1-page memory", f["instantiate small"]),
        ("instantiate, 4 GiB memory (65341 pages)", f["instantiate 4 GiB"]),
    ]
    print(f"instructions (median of {n}, QEMU -icount shift=0)")
    for label, value in rows:
        print(f"  {label:<46} {value:>10,.0f}")


if __name__ == "__main__":
    main()
