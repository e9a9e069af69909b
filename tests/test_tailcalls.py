"""Tail calls and typed function references end to end (WebAssembly 3.0), against wasmtime.

A loop of 10 million return_calls must run in constant stack: the same loop written with
`call` exhausts the guest's stack, so the test would fail if return_call were an ordinary call.
That holds for signatures whose arguments do not fit in registers too (10 i64 and 10 f64
parameters, three results: jit/callconv.py passes the rest through the store's spill buffer).
call_ref goes through a table of a typed reference type `(ref null $ft)` filled by an element
segment, and return_call_ref through the same table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from conftest import osbuild

pytestmark = pytest.mark.qemu

DEPTH = 10_000_000
# both tiers: the fast one generates code at O0, where a tail call must stay right before its
# own return to become a jump (jit/target.py)
TIER_FLAGS = ["", "--opt"]

WAT = """
(module
  (type $ft (func (param i64 i64) (result i64)))
  (table $t 2 (ref null $ft))
  (elem (table $t) (i32.const 0) (ref null $ft) (ref.func $count) (ref.func $via_table))
  (func $count (export "count") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                (i64.add (local.get 1) (i64.const 1))))))
  (func $via_table (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_ref $ft (i64.sub (local.get 0) (i64.const 1)) (i64.const 7)
                                 (table.get $t (i32.const 0))))))
  (func $mixed (export "mixed") (param i32 f64) (result i64)
    (return_call_indirect $t (type $ft) (i64.extend_i32_u (local.get 0))
                                        (i64.trunc_f64_s (local.get 1)) (i32.const 0)))
  (func $ping (export "ping") (param i32 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 1)) (then (i64.extend_i32_u (local.get 0)))
      (else (return_call $pong (i64.sub (local.get 1) (i64.const 1))))))
  (func $pong (param i64) (result i64)
    (return_call $ping (i32.const 9) (local.get 0)))
  (func (export "call_ref") (param i64) (result i64)
    (call_ref $ft (local.get 0) (i64.const 5) (table.get $t (i32.const 1))))
  (func $plain (export "plain") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (call $plain (i64.sub (local.get 0) (i64.const 1))
                         (i64.add (local.get 1) (i64.const 1))))))
  (func (export "null_ref") (result i64)
    (call_ref $ft (i64.const 1) (i64.const 2) (ref.null $ft)))
)
"""


SPILL_WAT = """
(module
  (type $big (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
                          f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result i64 f64 i64)))
  (table $t 1 (ref null $big))
  (elem (table $t) (i32.const 0) (ref null $big) (ref.func $down))
  (func $down (export "down") (type $big)
    (if (result i64 f64 i64) (i64.eqz (local.get 0))
      (then (local.get 9) (f64.add (local.get 10) (local.get 19)) (local.get 1))
      (else (return_call $down (i64.sub (local.get 0) (i64.const 1))
        (i64.add (local.get 1) (i64.const 3)) (local.get 2) (local.get 3) (local.get 4)
        (local.get 5) (local.get 6) (local.get 7) (local.get 8)
        (i64.add (local.get 9) (local.get 8)) (f64.add (local.get 10) (f64.const 0.5))
        (local.get 11) (local.get 12) (local.get 13) (local.get 14) (local.get 15)
        (local.get 16) (local.get 17) (local.get 18) (local.get 19)))))
  (func $via (export "via") (param i64) (result i64 f64 i64)
    (return_call_indirect $t (type $big) (local.get 0) (i64.const 0) (i64.const 2)
      (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 1)
      (i64.const 9) (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5)
      (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9) (f64.const 10.25) (i32.const 0)))
  (func $odd (export "odd") (param i32 f32 i64 f64 i32 f32 i64 f64 i32 f32 i64 f64 i32 f32
                                  i64 f64 i32 f32 i64 f64 v128) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.add (local.get 16) (i32x4.extract_lane 3 (local.get 20))))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1)) (local.get 20)
                               (i32.add (local.get 16) (i32.const 2))))))
  (func $even (param i32 v128 i32) (result i32)
    (return_call $odd (local.get 0) (f32.const 1) (i64.const 2) (f64.const 3) (i32.const 4)
      (f32.const 5) (i64.const 6) (f64.const 7) (i32.const 8) (f32.const 9) (i64.const 10)
      (f64.const 11) (i32.const 12) (f32.const 13) (i64.const 14) (f64.const 15)
      (local.get 2) (f32.const 17) (i64.const 18) (f64.const 19) (local.get 1)))
  (func (export "odd_from") (param i32) (result i32)
    (call $even (local.get 0) (v128.const i32x4 0 0 0 7) (i32.const 0)))
)
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tail") / "tail.wat"
    path.write_text(WAT)
    return path


def wasmtime_result(wat: Path, export: str, *args: int | float) -> int:
    config = wasmtime.Config()
    config.wasm_tail_call = True
    config.wasm_function_references = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(wat)), [])
    return instance.exports(store)[export](store, *args)  # type: ignore[operator]


@pytest.mark.parametrize(("export", "args"), [
    ("count", (DEPTH, 0)),  # return_call to itself, 10 million deep
    ("call_ref", (DEPTH,)),  # call_ref, then return_call_ref through the typed table
    ("mixed", (DEPTH, 3.0)),  # return_call_indirect to a function of another signature
    ("ping", (1, DEPTH)),  # two functions of different signatures calling each other
])
@pytest.mark.parametrize("tier", TIER_FLAGS)
def test_tail_calls_run_in_constant_stack(module: Path, export: str,
                                          args: tuple[int | float, ...], tier: str) -> None:
    run = osbuild("run", *tier.split(), "--invoke", export, module, *map(str, args),
                  timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{wasmtime_result(module, export, *args)}\n"


@pytest.mark.parametrize(("export", "args"), [
    ("down", (DEPTH, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0)),
    ("via", (DEPTH,)),  # return_call_indirect of the spilled signature
    ("odd_from", (DEPTH,)),  # mixed arguments and a v128, two signatures calling each other
])
@pytest.mark.parametrize("tier", TIER_FLAGS)
def test_tail_calls_with_arguments_beyond_registers_run_in_constant_stack(
        tmp_path: Path, export: str, args: tuple[int | float, ...], tier: str) -> None:
    wat = tmp_path / "spill.wat"
    wat.write_text(SPILL_WAT)
    run = osbuild("run", *tier.split(), "--invoke", export, wat, *map(str, args), timeout=300)
    assert run.returncode == 0, run.stderr
    expected = wasmtime_result(wat, export, *args)
    values = expected if isinstance(expected, list) else [expected]
    assert run.stdout.split() == [str(v) for v in values]


def test_the_same_loop_with_call_exhausts_the_stack(module: Path) -> None:
    run = osbuild("run", "--invoke", "plain", module, str(DEPTH), "0", timeout=300)
    assert run.returncode == 134
    assert "call stack exhausted" in run.stderr


def test_call_ref_of_null_traps(module: Path) -> None:
    run = osbuild("run", "--invoke", "null_ref", module)
    assert run.returncode == 134
    assert "null function reference" in run.stderr


BACKTRACE_WAT = """
(module
  (func $b (param i32) (result i32) unreachable)
  (func $a (param i32) (result i32) (return_call $b (local.get 0)))
  (func $main (export "main") (result i32) (i32.add (call $a (i32.const 1)) (i32.const 1))))
"""


def test_backtrace_drops_the_tail_callers_frame_as_wasmtime(tmp_path: Path) -> None:
    """$a tail-calls $b, which traps: the backtrace is $b then $main, as wasmtime's."""
    wat = tmp_path / "bt.wat"
    wat.write_text(BACKTRACE_WAT)
    config = wasmtime.Config()
    config.wasm_tail_call = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(wat)), [])
    with pytest.raises(wasmtime.Trap) as trap:
        instance.exports(store)["main"](store)  # type: ignore[operator]
    expected = [f"{i}: {f.module_offset:#8x} - bt!{f.func_name}"
                for i, f in enumerate(trap.value.frames)]
    run = osbuild("run", "--invoke", "main", wat)
    assert run.returncode == 134
    frames = [" ".join(line.split()) for line in run.stderr.splitlines()
              if " - bt!" in line]
    assert frames == [" ".join(e.split()) for e in expected]
