"""Tail calls and typed function references end to end (WebAssembly 3.0), against wasmtime.

A loop of 10 million return_calls must run in constant stack: the same loop written with
`call` exhausts the guest's stack, so the test would fail if return_call were an ordinary call.
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
def test_tail_calls_run_in_constant_stack(module: Path, export: str,
                                          args: tuple[int | float, ...]) -> None:
    run = osbuild("run", "--invoke", export, module, *map(str, args), timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{wasmtime_result(module, export, *args)}\n"


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
