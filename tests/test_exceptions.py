"""Exception handling (WebAssembly 3.0: tags, throw, throw_ref, try_table) end to end, against
wasmtime: catching across frames and instances, every clause kind, payloads of every number
type, handlers that a branch, a return or a tail call has left, locals changed inside a try
body, uncaught exceptions reported as wasmtime reports them, in both tiers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from conftest import osbuild
from difftest import TIERS, Call, Case, check, export_signature

from osbuild.jit.compiler import compile_uncached
from osbuild.jit.wasmtools import wat_to_wasm

pytestmark = pytest.mark.qemu

WAT = """
(module
  (tag $e (param i32))
  (tag $e2 (param i64 f32 f64))
  (tag $other (param i32))
  (tag $empty)
  (func $thrower (param i32) (local.get 0) (throw $e))
  (func $deep (param i32 i32)
    (if (i32.eqz (local.get 0)) (then (call $thrower (local.get 1))))
    (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))

  ;; caught ten frames away, the payload comes back, plus what was below the try_table
  (func (export "across") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3))
    (block $h (result i32)
      (try_table (catch $e $h) (call $deep (i32.const 10) (local.get 0)))
      (i32.const -1))
    (i32.add))

  ;; every number type in the payload
  (func (export "payload") (param i32) (result f64)
    (local $a i64) (local $b f32) (local $c f64)
    (block $h (result i64 f32 f64)
      (try_table (catch $e2 $h)
        (throw $e2 (i64.extend_i32_s (local.get 0)) (f32.const 1.5)
                   (f64.add (f64.convert_i32_s (local.get 0)) (f64.const 0.125))))
      (unreachable))
    (local.set $c) (local.set $b) (local.set $a)
    (f64.add (f64.add (f64.convert_i64_s (local.get $a)) (f64.promote_f32 (local.get $b)))
             (f64.mul (local.get $c) (f64.const 1000))))

  ;; a local the try body changed is seen changed by the catch; floats live across it too
  (func (export "locals") (param i32) (result f64)
    (local $n i32) (local $x f64) (local $y f64)
    (local.set $x (f64.convert_i32_u (local.get 0)))
    (local.set $y (f64.mul (local.get $x) (f64.const 0.25)))
    (block $h
      (try_table (catch_all $h)
        (loop $l
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (local.set $x (f64.add (local.get $x) (f64.const 1)))
          (br_if $l (i32.lt_u (local.get $n) (local.get 0))))
        (call $thrower (local.get $n))))
    (f64.add (f64.add (local.get $x) (local.get $y)) (f64.convert_i32_u (local.get $n))))

  ;; catch_ref, then throw_ref to an outer handler in another frame
  (func $rethrow (param i32)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $thrower (local.get 0)))
      (return))
    (throw_ref))
  (func (export "rethrown") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $rethrow (local.get 0)))
      (i32.const -1)))

  ;; the inner handler does not match: the outer one in the caller does
  (func $only_other (param i32)
    (block $h (result i32)
      (try_table (catch $other $h) (call $thrower (local.get 0)))
      (return))
    (drop))
  (func (export "outer") (param i32) (result i32)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $only_other (local.get 0)))
      (i32.const 0) (ref.null exn))
    (drop))

  ;; catch_all_ref without a payload, and the order of clauses
  (func (export "clauses") (param i32) (result i32)
    (block $all (result exnref)
      (block $e (result i32)
        (try_table (catch $e $e) (catch_all_ref $all)
          (if (local.get 0) (then (throw $empty)))
          (call $thrower (i32.const 5)))
        (return (i32.const -1)))
      (return))
    (drop)
    (i32.const 100))

  ;; a branch out of two try_tables: neither may catch what is thrown after it
  (func (export "left_by_br") (param i32) (result i32)
    (block $out
      (block $h (result i32)
        (try_table (catch $e $h)
          (try_table (catch_all $out)
            (br_if $out (local.get 0))))
        (br $out))
      (return))
    (call $thrower (i32.const 9))
    (i32.const 1))

  ;; the same with br_table, and with a return from inside the try_table
  (func (export "left_by_br_table") (param i32) (result i32)
    (block $a
      (block $b
        (try_table (catch_all $a)
          (br_table $a $b (local.get 0))))
      (nop))
    (call $thrower (i32.const 3))
    (i32.const 2))
  (func $returns_inside (result i32)
    (block $h
      (try_table (catch_all $h) (return (i32.const 4))))
    (i32.const 5))
  (func (export "left_by_return") (result i32)
    (drop (call $returns_inside))
    (call $thrower (i32.const 4))
    (i32.const 6))

  ;; a tail call leaves the caller's handlers behind
  (func $tail_target (param i32) (result i32) (call $thrower (local.get 0)) (i32.const 0))
  (func (export "left_by_tail_call") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (return_call $tail_target (local.get 0))))
    (i32.const 7))

  ;; a trap is no exception: catch_all does not see it
  (func (export "trap_not_caught") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (drop (i32.div_u (i32.const 1) (local.get 0)))))
    (i32.const 8))

  ;; a thousand throws and catches in a loop
  (func (export "loop") (param i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $l
      (block $h (result i32)
        (try_table (catch $e $h) (call $thrower (local.get $i)))
        (i32.const 0))
      (local.set $sum (i32.add (local.get $sum)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $sum))

  (func (export "uncaught") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $other $h) (call $thrower (local.get 0)))
      (i32.const 0)))
)
"""

CALLS = [("across", [7]), ("across", [0]), ("payload", [3]), ("payload", [-2 & 0xFFFFFFFF]),
         ("locals", [0]), ("locals", [1000]), ("rethrown", [11]), ("outer", [12]),
         ("clauses", [0]), ("clauses", [1]), ("left_by_br", [0]), ("left_by_br", [1]),
         ("left_by_br_table", [0]), ("left_by_br_table", [1]), ("left_by_br_table", [2]),
         ("left_by_return", []), ("left_by_tail_call", [1]), ("trap_not_caught", [0]),
         ("trap_not_caught", [1]), ("loop", [1000]), ("uncaught", [1])]


@pytest.mark.parametrize("tier", TIERS)
def test_exceptions_match_wasmtime(tier: str) -> None:
    wasm = wat_to_wasm(WAT.encode())
    case = Case(wasm, [Call(name, export_signature(wasm, name), args) for name, args in CALLS])
    assert check([case], tier) == []


def test_uncaught_exception_is_reported_as_wasmtime_does(tmp_path: Path) -> None:
    """Exit 134, the message wasmtime gives, and the backtrace from the throw."""
    wat = tmp_path / "exc.wat"
    wat.write_text(WAT)
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(wat)), [])
    with pytest.raises(wasmtime.Trap) as trap:
        instance.exports(store)["uncaught"](store, 1)  # type: ignore[operator]
    assert "thrown Wasm exception" in str(trap.value)
    names = [f.func_name or f"<wasm function {f.func_index}>" for f in trap.value.frames]
    expected = [f"{i}: {f.module_offset:#8x} - exc!{name}"
                for i, (f, name) in enumerate(zip(trap.value.frames, names, strict=True))]
    run = osbuild("run", "--invoke", "uncaught", wat, "1")
    assert run.returncode == 134
    assert run.stderr.rstrip().endswith("    2: thrown Wasm exception")
    frames = [" ".join(line.split()) for line in run.stderr.splitlines() if " - exc!" in line]
    assert frames == [" ".join(e.split()) for e in expected]


@pytest.mark.parametrize("tier", ["", "--opt"])
def test_without_fuel(tmp_path: Path, tier: str) -> None:
    """The differential test meters fuel; the plain build catches the same way."""
    wat = tmp_path / "exc.wat"
    wat.write_text(WAT)
    for export, args, expected in (("across", ["7"], "28"), ("locals", ["1000"], "3250.0"),
                                   ("loop", ["1000"], "499500"), ("rethrown", ["11"], "11")):
        run = osbuild("run", *tier.split(), "--invoke", export, wat, *args)
        assert (run.returncode, run.stdout.strip()) == (0, expected), run.stderr


LINKED_WAST = """
(module $a
  (tag $t (export "t") (param i32))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "a" $a)
(module $b
  (import "a" "t" (tag $t (param i32)))
  (import "a" "throw" (func $throw (param i32)))
  (tag $own (param i32))
  (func (export "catch_imported") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $throw (local.get 0)))
      (i32.const -1)))
  (func (export "own_tag_does_not_match") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $own $h) (call $throw (local.get 0)))
      (i32.const -1))))
(assert_return (invoke $b "catch_imported" (i32.const 42)) (i32.const 42))
(assert_exception (invoke $b "own_tag_does_not_match" (i32.const 1)))
(module $a2
  (tag $t (export "t") (param i32))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "a2" $a2)
(module $c
  (import "a" "t" (tag $t (param i32)))
  (import "a2" "throw" (func $throw2 (param i32)))
  (func (export "other_instance") (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $throw2 (i32.const 5)))
      (i32.const -1))))
(assert_exception (invoke $c "other_instance"))
"""


def test_exceptions_cross_instances(tmp_path: Path) -> None:
    """A tag exported by one instance and imported by another is one tag; the same tag of
    another instance of the same module is not, nor a tag of the same type defined elsewhere."""
    wast = tmp_path / "linked.wast"
    wast.write_text(LINKED_WAST)
    run = osbuild("spec", wast)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "9 passed, 0 failed" in run.stdout, run.stdout


def test_functions_without_try_table_pay_nothing() -> None:
    """Only a function with a try_table sets up handlers or keeps its locals in memory."""
    wat = """(module (tag $e)
      (func $plain (export "plain") (param i32) (result i32) (local i32)
        (local.set 1 (i32.add (local.get 0) (i32.const 1))) (call $t) (local.get 1))
      (func $t (throw $e))
      (func (export "with_try") (param i32) (result i32)
        (block $h (try_table (catch_all $h) (call $t))) (local.get 0)))"""
    _, _, ir_text = compile_uncached(wat_to_wasm(wat.encode()), "pay", tier="opt")
    bodies = {}
    for chunk in ir_text.split("\ndefine ")[1:]:
        name = chunk.split("@", 1)[1].split("(", 1)[0]
        bodies[name] = chunk.split("\n}", 1)[0]
    plain = next(b for n, b in bodies.items() if n.endswith("_f0"))
    with_try = next(b for n, b in bodies.items() if n.endswith("_f2"))
    assert "osb_setjmp" not in plain and "volatile" not in plain
    assert "osb_setjmp" in with_try


DEBUG_WAT = """(module $eh
  (tag $e)
  (func $thrower (throw $e))
  (func $catcher (block $h (try_table (catch_all $h) (call $thrower))))
  (func (export "run") (param i32) (call $catcher) (call $thrower)))
"""


def test_debugger_shows_caught_and_uncaught_exceptions(tmp_path: Path) -> None:
    """`exceptions` at the debug prompt: the caught one with its catcher, then the uncaught."""
    wat = tmp_path / "eh.wat"
    wat.write_text(DEBUG_WAT)
    r = osbuild("debug", "--invoke", "run", wat, "0", input="continue\nexceptions\nquit\n")
    lines = [line for line in r.stdout.splitlines() if line.startswith("#")]
    assert len(lines) == 2, r.stdout + r.stderr
    assert "#0: thrown at" in lines[0] and "eh!thrower" in lines[0]
    assert "caught at" in lines[0] and "eh!catcher" in lines[0]
    assert "#1: thrown at" in lines[1] and "eh!thrower" in lines[1]
    assert lines[1].split(", ")[1].startswith("uncaught")
    assert "thrown Wasm exception" in r.stdout + r.stderr
