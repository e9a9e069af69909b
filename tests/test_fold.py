"""Address folding against wasmtime, in both compiler tiers.

jit/memory.py compiles `(load (i32.add x (i32.const c)))` with -2048 <= c < 0 and offset 0 as
one access at base + zext(x) + c, without the 32-bit wrap of the wasm add. When x < -c the
wasm address wraps to x + c + 2^32: the access lands in the memory's low guard, and the kernel
traps "out of bounds" or, for a 4 GiB memory where that address exists, performs the access
itself (guest/wrap.c: every scalar load and store form, integer and float registers, sign
extension, an access straddling the top of memory). Each export does one folded access; the
store exports read the value back through an unfolded address. Inputs: addresses near 0, near
the memory's end, near 2^32, and constants just inside and outside the folded range.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from osbuild.host.api import Store, WasmTrap
from osbuild.host.pipeline import build_files

pytestmark = pytest.mark.qemu

# load instruction -> (result type, how to return it as an integer)
LOADS = {
    "i32.load": "i32", "i64.load": "i64", "f32.load": "f32", "f64.load": "f64",
    "i32.load8_s": "i32", "i32.load8_u": "i32", "i32.load16_s": "i32", "i32.load16_u": "i32",
    "i64.load8_s": "i64", "i64.load16_u": "i64", "i64.load32_s": "i64", "i64.load32_u": "i64",
}
# store instruction -> (value type, the unfolded load reading it back)
STORES = {
    "i32.store": ("i32", "i32.load"), "i64.store": ("i64", "i64.load"),
    "f32.store": ("f32", "i32.load"), "f64.store": ("f64", "i64.load"),
    "i32.store8": ("i32", "i32.load8_u"), "i32.store16": ("i32", "i32.load16_u"),
    "i64.store32": ("i64", "i64.load32_u"),
}
INT = {"i32": "i32", "i64": "i64", "f32": "i32", "f64": "i64"}
CONSTS = [-1, -8, -2048, -2049, 8]  # -2049 and 8 are not folded: the reference
PATTERN = bytes(range(0x80, 0x90))  # sign bits set: sign extension shows


def address(c: int, form: str) -> str:
    if form == "sub":
        return f"(i32.sub (local.get $x) (i32.const {-c}))"
    return f"(i32.add (local.get $x) (i32.const {c}))"


def as_int(ty: str, expr: str) -> str:
    return f"({INT[ty]}.reinterpret_{ty} {expr})" if ty != INT[ty] else expr


def module(memory: str, top: int) -> str:
    funcs = []
    for form in ("add", "sub"):
        for c in CONSTS:
            tag = f"{form}{c}"
            for op, ty in LOADS.items():
                funcs.append(f'(func (export "{op}/{tag}") (param $x i32) (result {INT[ty]})'
                             f" {as_int(ty, f'({op} {address(c, form)})')})")
            for op, (ty, back) in STORES.items():
                value = f"({ty}.reinterpret_{INT[ty]} (local.get $v))" if ty != INT[ty] \
                    else "(local.get $v)"
                funcs.append(
                    f'(func (export "{op}/{tag}") (param $x i32) (param $v {INT[ty]})'
                    f" (result {INT[ty]}) ({op} {address(c, form)} {value})"
                    f" ({back} (i32.add (local.get $x) (i32.const {c}))))")
    data = "".join(f"\\{b:02x}" for b in PATTERN)
    return (f"(module (memory {memory}) (data (i32.const 0) \"{data}\")"
            f" (data (i32.const {top - len(PATTERN)}) \"{data}\")\n"
            + "\n".join(funcs) + ")\n")


def inputs(top: int) -> list[int]:
    near = [0, 1, 4, 7, 8, 9, 2047, 2048, 2049]
    return near + [top - k for k in (1, 8)] + [top, top + 2040, 0x7FFFFFFF, 0xFFFFFFFF]


def signed(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def run_pair(tmp_path: Path, tier: str, memory: str, top: int) -> list[str]:
    """Every export on every input, here and on wasmtime; the disagreements."""
    wat = tmp_path / "fold.wat"
    wat.write_text(module(memory, top))
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    theirs = wasmtime.Instance(store, wasmtime.Module(engine, wat.read_text()), []).exports(store)
    image = build_files([wat], tmp_path / f"fold-{tier}.elf", tier=tier)
    wrong = []
    with Store(image) as guest:
        ours = guest.instantiate(0).exports
        for name in [f"{op}/{form}{c}" for form in ("add", "sub") for c in CONSTS
                     for op in (*LOADS, *STORES)]:
            op, tag = name.split("/")
            c = int(tag[3:])
            bits = 64 if INT[STORES[op][0] if op in STORES else LOADS[op]] == "i64" else 32
            for x in inputs(top):
                args = [signed(x, 32)]
                if op in STORES:
                    args.append(signed(0x1122334455667788 ^ x, bits))
                try:
                    mine: object = signed(ours[name](*args), bits)
                except WasmTrap as e:
                    mine = f"trap {e.report.message}"
                    wrapped = (x + c) & 0xFFFFFFFF
                    if -2048 <= c < 0 and x < -c and e.report.addr != wrapped:
                        wrong.append(f"{name}({x:#x}) reported address {e.report.addr}, "
                                     f"not {wrapped:#x}")
                try:
                    other: object = signed(theirs[name](store, *args), bits)  # type: ignore
                except wasmtime.Trap as e:
                    other = "trap out of bounds memory access" \
                        if "out of bounds memory access" in str(e) else f"trap {e}"
                if mine != other:
                    wrong.append(f"{name}({x:#x}) = {mine}, wasmtime {other}")
    return wrong


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_folded_accesses_in_a_small_memory(tmp_path: Path, tier: str) -> None:
    """One page: every wrapped access is out of bounds and traps, as the unfolded one would."""
    wrong = run_pair(tmp_path, tier, "1", 65536)
    assert not wrong, "\n".join(wrong[:40])


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_folded_accesses_in_a_4gib_memory(tmp_path: Path, tier: str) -> None:
    """65,536 pages: a wrapped address near 2^32 is in bounds, and the kernel performs the
    access that landed in the low guard (loads into x and f registers, stores from both,
    sign and zero extension); one straddling 2^32 traps."""
    wrong = run_pair(tmp_path, tier, "65536", 1 << 32)
    assert not wrong, "\n".join(wrong[:40])
