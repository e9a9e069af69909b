"""Fuel boundaries, differential: for each shape of code (straight-line stretches, blocks,
loops, calls, call_indirect, grows, bulk operations with constant and run-time lengths, traps
in the middle), the smallest budget with which wasmtime completes a call completes on osbuild
and one less traps; and call sequences where an earlier call traps agree at budgets spread
over the whole run. jit/fuel.py describes the rules these pin down."""

from __future__ import annotations

import pytest
import wasmtime
from difftest import TIERS, Call, Case, check, fuel_engine, smallest_budget

pytestmark = pytest.mark.qemu

PAD = "(local.set $x (i32.const 1))"
LOOP = ("(loop $l (local.set $x (i32.add (local.get $x) (i32.const 1)))"
        " (br_if $l (i32.lt_u (local.get $x) (i32.const 10))))")
DIV = "(drop (i32.div_u (i32.const 1) (local.get 0)))"
TG = "(drop (table.grow 0 (ref.null func) (local.get 0)))"
MG = "(drop (memory.grow (local.get 0)))"
FILL = "(memory.fill (i32.const 0) (i32.const 7) (local.get 0))"
SHAPES = {  # name: body of (func (param i32) (local $x i32)); called with 1 and with 9
    "const": "(drop (i32.const 7))",
    "pad": PAD * 3,
    "block": PAD * 2 + "(block " + PAD + ")" + PAD,
    "loop": PAD * 2 + "(loop)" + PAD,
    "counted_loop": LOOP + PAD,
    "call": PAD * 2 + "(call $e)" + PAD,
    "call_indirect": PAD * 2 + "(call_indirect (i32.const 1))" + PAD,
    "if": "(if (local.get 0) (then " + PAD + ") (else " + PAD * 2 + "))" + LOOP,
    "br_table": "(block (block (br_table 0 1 (local.get 0))) " + PAD + ")" + LOOP,
    "select": "(local.set $x (select (i32.const 1) (i32.const 2) (local.get 0)))" + LOOP,
    "return": "(block (br_if 0 (local.get 0)) (return))" + LOOP,
    "table_grow": PAD * 2 + TG + PAD * 3,
    "memory_grow": PAD * 2 + MG + PAD * 3,
    "memory_grow_loop": PAD * 2 + MG + LOOP,
    "fill": PAD * 2 + FILL + PAD * 3,
    "fill_loop": FILL + LOOP,
    "fill_const": PAD * 2 + "(memory.fill (i32.const 0) (i32.const 7) (i32.const 100))" + LOOP,
    "fill_const_large": "(memory.fill (i32.const 0) (i32.const 7) (i32.const 129))" + LOOP,
    "fill_local_const": "(local.set $x (i32.const 50))"
                        "(memory.fill (i32.const 0) (i32.const 7) (local.get $x))" + LOOP,
    "copy": "(memory.copy (i32.const 0) (i32.const 8) (local.get 0))" + LOOP,
    "init": "(memory.init 0 (i32.const 0) (i32.const 0) (local.get 0))" + LOOP,
    "table_fill": "(table.fill 0 (i32.const 0) (ref.null func) (local.get 0))" + LOOP,
    "grow_const_fail": "(drop (memory.grow (i32.const 100)))" + LOOP,
    "div_after_loop": LOOP + DIV,
    "unreachable_after_loop": LOOP + "(if (i32.eqz (local.get 0)) (then unreachable))",
}
TRAPPING = {  # trap however they are called
    "oob_after_loop": LOOP + "(drop (i32.load offset=65536 (i32.const 0)))",
    "oob_fill_after_loop": LOOP + "(memory.fill (i32.const 65530) (i32.const 1) (i32.const 9))",
}
MODULE = ("(module (memory (export \"mem\") 1 3) (table 10 15 funcref) (elem (i32.const 1) $e)"
          " (data \"0123456789abcdef\") (func $e)"
          + "".join(f' (func (export "{k}") (param i32) (local $x i32) {v})'
                    for k, v in {**SHAPES, **TRAPPING}.items()) + ")")


def wasmtime_min_budget(module: wasmtime.Module, engine: wasmtime.Engine, export: str,
                        arg: int) -> int:
    def completes(fuel: int) -> bool:
        store = wasmtime.Store(engine)
        store.set_fuel(fuel)
        inst = wasmtime.Instance(store, module, [])
        store.set_fuel(fuel)
        try:
            inst.exports(store)[export](store, arg)
        except wasmtime.Trap:
            return False
        return True

    return smallest_budget(completes)


@pytest.mark.parametrize("tier", TIERS)
def test_every_shape_runs_out_where_wasmtime_does(tier: str) -> None:
    wasm = wasmtime.wat2wasm(MODULE)
    engine = fuel_engine()
    module = wasmtime.Module(engine, wasm)
    cases = []
    for name in SHAPES:
        for arg in (1, 9):  # 9: grows fail (memory max 3 pages, table max 15)
            edge = wasmtime_min_budget(module, engine, name, arg)
            for fuel in {max(edge - 1, 1), edge}:
                cases.append(Case(wasm, [Call(name, "i:", [arg])], fuel=fuel))
    divergences = [f"{cases[i].calls[0]} at fuel {cases[i].fuel}: {d}"
                   for i, d in check(cases, tier)]
    assert divergences == []


@pytest.mark.parametrize("tier", TIERS)
def test_call_sequences_with_traps_agree_at_every_budget(tier: str) -> None:
    """What a trapping call spent is forgotten (unless it was written back at a call or
    `unreachable`), so what later calls can do depends on it."""
    wasm = wasmtime.wat2wasm(MODULE)
    traps = [("div_after_loop", 0), ("unreachable_after_loop", 0), ("oob_after_loop", 0),
             ("oob_fill_after_loop", 0), ("call", 0)]
    cases = [Case(wasm, [Call(t, "i:", [a]), Call("counted_loop", "i:", [0]),
                         Call("fill", "i:", [40]), Call("counted_loop", "i:", [0])], fuel=fuel)
             for t, a in traps for fuel in range(20, 200, 6)]
    divergences = [f"{cases[i].calls[0].export} at fuel {cases[i].fuel}: {d}"
                   for i, d in check(cases, tier)]
    assert divergences == []
