"""Address folding against wasmtime, in both compiler tiers.

jit/memory.py compiles `(load (i32.add x (i32.const c)))` with -2048 <= c < 2048 (c != 0) and
offset 0 as one access at base + zext(x) + c, without the 32-bit wrap of the wasm add. When
the add wraps the access lands elsewhere than the wasm address W:
- c < 0, x < -c: in the memory's low guard; the kernel traps "out of bounds" or, for a 4 GiB
  memory where W exists, performs the access itself;
- c > 0, x + c >= 2^32: at base + 2^32 + W, where unfolded accesses with a 33-bit effective
  address (memarg offsets, here the `off` exports) must trap: the kernel performs the access
  only for pcs in the image's `osb_fold` table.
(guest/wrap.c: every scalar load and store form, integer and float registers, sign extension,
an access straddling the top of memory.) Each export does one folded access; the store exports
read the value back through an unfolded address. The `merge` exports put a folded and an
unfolded access, or two folded ones, in the two arms of an `if`, which LLVM would merge into
one instruction (and drop the pc-table mark of) if the compiler let it. Inputs: addresses
near 0, near the memory's end, near 2^32, and constants just inside and outside the folded
range.
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
CONSTS = [-1, -2048, -2049, 1, 2047, 2048]  # -2049 and 2048 are not folded
PATTERN = bytes(range(0x80, 0x90))  # sign bits set: sign extension shows


FORMS = ("add", "sub", "off")  # off: memarg offset c (c > 0 only), never folded
MERGE_CONSTS = (4,)


def address(c: int, form: str) -> str:
    if form == "sub":
        return f"(i32.sub (local.get $x) (i32.const {-c}))"
    return f"(i32.add (local.get $x) (i32.const {c}))"


def access(op: str, c: int, form: str) -> str:
    """`op` at x + c in `form`, without its value operand and closing parenthesis."""
    if form == "off":
        return f"({op} offset={c} (local.get $x)"
    return f"({op} {address(c, form)}"


def exports() -> list[tuple[str, int, str]]:
    """(op, c, form) of every folded-access export."""
    return [(op, c, form) for form in FORMS for c in CONSTS if form != "off" or c > 0
            for op in (*LOADS, *STORES)]


def merge_funcs() -> list[str]:
    """Loads whose two `if` arms address x + c alike: folded in both arms, or folded in one
    and through the memarg offset (unfolded: a 33-bit address that traps) in the other."""
    funcs = []
    for c in MERGE_CONSTS:
        for other in ("add", "off"):
            for op, ty in LOADS.items():
                arms = [f"(then {as_int(ty, access(op, c, 'add') + ')')})",
                        f"(else {as_int(ty, access(op, c, other) + ')')})"]
                funcs.append(f'(func (export "{op}/merge{other}{c}") (param $x i32) (param $v i32)'
                             f" (result {INT[ty]}) (if (result {INT[ty]}) (local.get $v)"
                             f" {arms[0]} {arms[1]}))")
    return funcs


def as_int(ty: str, expr: str) -> str:
    return f"({INT[ty]}.reinterpret_{ty} {expr})" if ty != INT[ty] else expr


def module(memory: str, top: int) -> str:
    funcs = []
    for op, c, form in exports():
        tag = f"{form}{c}"
        if op in LOADS:
            ty = LOADS[op]
            funcs.append(f'(func (export "{op}/{tag}") (param $x i32) (result {INT[ty]})'
                         f" {as_int(ty, access(op, c, form) + ')')})")
            continue
        ty, back = STORES[op]
        value = f"({ty}.reinterpret_{INT[ty]} (local.get $v))" if ty != INT[ty] \
            else "(local.get $v)"
        # read back unfolded: an `and` is no add the compiler folds (LLVM drops it later)
        where = f"(i32.and {address(c, 'add')} (i32.const -1))" if form != "off" \
            else "(local.get $x)"
        offset = f" offset={c}" if form == "off" else ""
        funcs.append(
            f'(func (export "{op}/{tag}") (param $x i32) (param $v {INT[ty]})'
            f" (result {INT[ty]}) {access(op, c, form)} {value})"
            f" ({back}{offset} {where}))")
    funcs += merge_funcs()
    data = "".join(f"\\{b:02x}" for b in PATTERN)
    return (f"(module (memory {memory}) (data (i32.const 0) \"{data}\")"
            f" (data (i32.const {top - len(PATTERN)}) \"{data}\")\n"
            + "\n".join(funcs) + ")\n")


def inputs(top: int) -> list[int]:
    near = [0, 1, 4, 7, 8, 9, 2047, 2048, 2049]
    high = [0xFFFFFFFF - k for k in (0, 1, 2046, 2047)]
    return near + [top - k for k in (1, 8)] + [top, top + 2040, 0x7FFFFFFF] + high


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
        names = [(f"{op}/{form}{c}", op, c) for op, c, form in exports()]
        names += [(f"{op}/merge{other}{c}", op, c) for c in MERGE_CONSTS
                  for other in ("add", "off") for op in LOADS]
        for name, op, c in names:
            bits = 64 if INT[STORES[op][0] if op in STORES else LOADS[op]] == "i64" else 32
            folded = "/add" in name or "/sub" in name or "mergeadd" in name
            for x in inputs(top):
                for v in ((0, 1) if "merge" in name else (None,)):
                    args = [signed(x, 32)]
                    if op in STORES:
                        args.append(signed(0x1122334455667788 ^ x, bits))
                    if v is not None:
                        args.append(v)
                    try:
                        mine: object = signed(ours[name](*args), bits)
                    except WasmTrap as e:
                        mine = f"trap {e.report.message}"
                        wrapped = (x + c) & 0xFFFFFFFF
                        if folded and -2048 <= c < 2048 and not 0 <= x + c < 1 << 32 \
                                and e.report.addr != wrapped:
                            wrong.append(f"{name}({x:#x}) reported address {e.report.addr}, "
                                         f"not {wrapped:#x}")
                    try:
                        other: object = signed(theirs[name](store, *args), bits)  # type: ignore
                    except wasmtime.Trap as e:
                        other = "trap out of bounds memory access" \
                            if "out of bounds memory access" in str(e) else f"trap {e}"
                    if mine != other:
                        wrong.append(f"{name}({x:#x}, {v}) = {mine}, wasmtime {other}")
    return wrong


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_folded_accesses_in_a_small_memory(tmp_path: Path, tier: str) -> None:
    """One page: a wrapped access with c < 0 is out of bounds and traps, as the unfolded one
    would; one with c > 0 means an address below 2048, which the kernel accesses."""
    wrong = run_pair(tmp_path, tier, "1", 65536)
    assert not wrong, "\n".join(wrong[:40])


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_folded_accesses_in_a_4gib_memory(tmp_path: Path, tier: str) -> None:
    """65,536 pages: a wrapped address near 2^32 is in bounds, and the kernel performs the
    access that landed in the low guard (loads into x and f registers, stores from both,
    sign and zero extension); one straddling 2^32 traps. Memarg offsets that pass 2^32 trap
    where a folded positive constant's wrapped access succeeds."""
    wrong = run_pair(tmp_path, tier, "65536", 1 << 32)
    assert not wrong, "\n".join(wrong[:40])
