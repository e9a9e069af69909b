"""NaN results of scalar float instructions against wasmtime, in both compiler tiers.

LLVM assumes that a signalling NaN need not be quieted: it folds `x * 1`, `x / -1`, `x - 0`,
`-0 - x`, `demote(promote(x))` ... to `x` or `-x` whenever it can prove the other operand is
that constant, also when the constant only appears after optimization (a local, a block
result). The spec (and wasmtime) make every arithmetic result an arithmetic NaN (quiet bit
set) when an operand is a NaN; abs, neg and copysign only touch the sign bit. Each case is one
export taking the bits of `x`, with the identity constant written three ways: a literal, a
local set earlier, a block result; plus `x` itself a constant (everything folds).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from osbuild.host.api import Store
from osbuild.host.pipeline import build_files

pytestmark = pytest.mark.qemu

INT = {"f32": "i32", "f64": "i64"}
WIDTH = {"f32": 32, "f64": 64}
QUIET = {"f32": 1 << 22, "f64": 1 << 51}
EXP = {"f32": 0x7F800000, "f64": 0x7FF0000000000000}
SNAN = {"f32": 0x7F800001, "f64": 0x7FF0000000000001}
INPUTS = {
    "f32": [0x7F800001, 0xFF800001, 0x7FA00000, 0x7FC00001, 0x40200000, 0x80000000],
    "f64": [0x7FF0000000000001, 0xFFF0000000000001, 0x7FF4000000000000, 0x7FF8000000000001,
            0x4004000000000000, 0x8000000000000000],
}

# name → (body with X for the NaN operand and C for the constant, the constant, bitwise?)
OPS: dict[str, tuple[str, str, bool]] = {
    "mul_1": ("(T.mul X C)", "1", False),
    "mul_1_left": ("(T.mul C X)", "1", False),
    "mul_m1": ("(T.mul X C)", "-1", False),
    "div_1": ("(T.div X C)", "1", False),
    "div_m1": ("(T.div X C)", "-1", False),
    "add_m0": ("(T.add X C)", "-0", False),
    "add_m0_left": ("(T.add C X)", "-0", False),
    "add_0": ("(T.add X C)", "0", False),
    "sub_0": ("(T.sub X C)", "0", False),
    "sub_from_m0": ("(T.sub C X)", "-0", False),
    "min_inf": ("(T.min X C)", "inf", False),
    "max_minf": ("(T.max X C)", "-inf", False),
    "min_self": ("(T.min X X)", "0", False),
    "max_self": ("(T.max X X)", "0", False),
    "sqrt": ("(T.sqrt X)", "0", False),
    "floor": ("(T.floor X)", "0", False),
    "ceil": ("(T.ceil X)", "0", False),
    "trunc": ("(T.trunc X)", "0", False),
    "nearest": ("(T.nearest X)", "0", False),
    "convert_roundtrip": ("ROUNDTRIP", "0", False),
    "abs": ("(T.abs X)", "0", True),
    "neg": ("(T.neg X)", "0", True),
    "copysign": ("(T.copysign X C)", "-1", True),
}
FORMS = ("literal", "local", "block", "xconst")


def roundtrip(t: str) -> str:
    """demote(promote(x)) for f32, promote(demote(x)) for f64."""
    if t == "f32":
        return "(f32.demote_f64 (f64.promote_f32 X))"
    return "(f64.promote_f32 (f32.demote_f64 X))"


def func(t: str, op: str, form: str) -> str:
    body, const, _ = OPS[op]
    if body == "ROUNDTRIP":
        body = roundtrip(t)
    i = INT[t]
    c = {"literal": f"({t}.const {const})", "local": "(local.get $c)",
         "block": f"(block (result {t}) ({t}.const {const}))", "xconst": "(local.get $c)"}[form]
    x = f"({t}.reinterpret_{i} ({i}.const {SNAN[t]}))" if form == "xconst" else "(local.get $x)"
    body = body.replace("T.", f"{t}.").replace("X", x).replace("C", c)
    return (f'(func (export "{t}_{op}_{form}") (param $p {i}) (result {i}) (local $c {t})'
            f" (local $x {t})\n  (local.set $c ({t}.const {const}))"
            f" (local.set $x ({t}.reinterpret_{i} (local.get $p)))\n"
            f"  ({i}.reinterpret_{t} {body}))")


def cases() -> list[tuple[str, str, str]]:
    return [(t, op, form) for t in INT for op in OPS for form in FORMS]


@pytest.fixture(scope="module")
def wat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nan") / "nan.wat"
    path.write_text("(module\n" + "\n".join(func(*c) for c in cases()) + ")\n")
    return path


def signed(bits: int, width: int) -> int:
    return bits - (1 << width) if bits >> (width - 1) else bits


def agrees(t: str, bitwise: bool, ours: int, theirs: int) -> bool:
    """Exact bits, except that an arithmetic NaN result may be any NaN with the quiet bit."""
    is_nan = theirs & EXP[t] == EXP[t] and theirs & (QUIET[t] * 2 - 1)
    if bitwise or not is_nan:
        return ours == theirs
    return ours & EXP[t] == EXP[t] and bool(ours & QUIET[t])


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_nan_results_agree_with_wasmtime(wat: Path, tmp_path: Path, tier: str) -> None:
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    theirs = wasmtime.Instance(store, wasmtime.Module(engine, wat.read_text()), []).exports(store)
    image = build_files([wat], tmp_path / f"nan-{tier}.elf", tier=tier)
    wrong = []
    with Store(image) as guest:
        ours = guest.instantiate(0).exports
        for t, op, form in cases():
            name = f"{t}_{op}_{form}"
            w = WIDTH[t]
            for x in INPUTS[t][:1] if form == "xconst" else INPUTS[t]:
                mine = ours[name](signed(x, w)) & ((1 << w) - 1)
                other = theirs[name](store, signed(x, w)) & ((1 << w) - 1)
                if not agrees(t, OPS[op][2], mine, other):
                    wrong.append(f"{name}({x:#x}) = {mine:#x}, wasmtime {other:#x}")
    assert not wrong, "\n".join(wrong)
