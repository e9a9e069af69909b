"""Congruent induction locals (jit/induction.py) and the recurrences frozen before loop
strength reduction (jit/latchfreeze.py): which loops qualify, the optimized IR they become,
and their results against wasmtime in both tiers, with fuel as the differential tests run.

The loops are the shapes clang's wasm32 code has (hashtab's letters loop: four counters a
fixed distance apart, each +4 an iteration, and a recurrence y = y/4 + k that is used after
the loop), and the ones that must not be merged: a branch back to the header before an
update, an update inside a nested block, a local written twice, counters that start at run
time values. Counters start near 2^31 and 2^63 so that their steps wrap.
"""

from __future__ import annotations

import re

import llvmlite.binding as llvm
import pytest
from difftest import TIERS, Call, Case, check, export_signature
from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROFILE

from osbuild.jit.compiler import compile_uncached
from osbuild.jit.decode import decode
from osbuild.jit.induction import congruent_groups
from osbuild.jit.latchfreeze import freeze_latch_values
from osbuild.jit.wasmtools import wat_to_wasm

# Each function's params come first: $n (and $y), then the locals a, b, c, d (see INDEX).
WAT = """
(module
  (memory (export "mem") 1)
  ;; hashtab's letters loop, unrolled by 4 as clang emits it: a, b, c, d are k-1, k, k+1,
  ;; k+2; y = y/4 + k per letter; the counters and y are read after the loop
  (func (export "unrolled") (param $n i32) (param $y i32) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $s i32)
    (local.set $a (i32.const -1)) (local.set $b (i32.const 0))
    (local.set $c (i32.const 1)) (local.set $d (i32.const 2))
    (block
      (br_if 0 (i32.lt_u (local.get $n) (i32.const 4)))
      (loop
        (i32.store8 (i32.add (i32.const 101) (local.get $a))
                    (i32.add (i32.const 97) (i32.and (local.get $y) (i32.const 3))))
        (local.set $y (i32.add (i32.shr_u (local.get $y) (i32.const 2)) (local.get $b)))
        (i32.store8 (i32.add (i32.const 101) (local.get $b))
                    (i32.add (i32.const 97) (i32.and (local.get $y) (i32.const 3))))
        (local.set $y (i32.add (i32.shr_u (local.get $y) (i32.const 2)) (local.get $c)))
        (i32.store8 (i32.add (i32.const 101) (local.get $c))
                    (i32.add (i32.const 97) (i32.and (local.get $y) (i32.const 3))))
        (local.set $y (i32.add (i32.shr_u (local.get $y) (i32.const 2)) (local.get $d)))
        (i32.store8 (i32.add (i32.const 101) (local.get $d))
                    (i32.add (i32.const 97) (i32.and (local.get $y) (i32.const 3))))
        (local.set $y (i32.add (i32.shr_u (local.get $y) (i32.const 2))
                               (i32.add (local.get $d) (i32.const 1))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (br_if 0 (i32.lt_u (i32.add (local.get $d) (i32.const 2)) (local.get $n)))))
    (local.set $s (i32.load (i32.const 100)))
    (local.set $s (i32.xor (local.get $s) (i32.load (i32.const 104))))
    (local.set $s (i32.xor (local.get $s) (i32.load (i32.const 108))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $y)) (i64.const 32))
            (i64.extend_i32_u
              (i32.xor (local.get $s)
                (i32.xor (i32.mul (local.get $a) (i32.const 3))
                  (i32.xor (i32.mul (local.get $b) (i32.const 5))
                    (i32.xor (i32.mul (local.get $c) (i32.const 7)) (local.get $d))))))))
  ;; counters that wrap: i32 from near 2^31 and -8, i64 from near 2^63, step 3 and 5
  (func (export "wrap") (param $n i32) (param $y i32) (result i64)
    (local $a i32) (local $b i32) (local $p i64) (local $q i64)
    (local.set $a (i32.const 0x7ffffff0)) (local.set $b (i32.const -8))
    (local.set $p (i64.const 0x7ffffffffffffff0)) (local.set $q (i64.const -20))
    (loop
      (local.set $y (i32.xor (i32.rotl (local.get $y) (i32.const 5)) (local.get $b)))
      (local.set $a (i32.add (local.get $a) (i32.const 3)))
      (local.set $b (i32.add (i32.const 3) (local.get $b)))
      (local.set $p (i64.sub (local.get $p) (i64.const -5)))
      (local.set $q (i64.add (local.get $q) (i64.const 5)))
      (local.set $y (i32.add (local.get $y) (i32.wrap_i64 (i64.shr_u (local.get $p)
                                                                      (i64.const 60)))))
      (br_if 0 (i32.ne (i32.sub (local.get $a) (i32.const 0x7ffffff0))
                       (i32.mul (local.get $n) (i32.const 3)))))
    (i64.add (i64.mul (local.get $p) (i64.extend_i32_u (local.get $a)))
             (i64.add (local.get $q)
                      (i64.extend_i32_u (i32.add (local.get $y) (local.get $b))))))
  ;; an exit between the two updates, the back edge unconditional after both
  (func (export "exit_between") (param $n i32) (param $y i32) (result i64)
    (local $a i32) (local $b i32)
    (local.set $a (i32.const 7)) (local.set $b (i32.const 100))
    (block
      (loop
        (local.set $y (i32.add (i32.mul (local.get $y) (i32.const 31)) (local.get $b)))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br_if 1 (i32.ge_u (local.get $a) (i32.add (local.get $n) (i32.const 7))))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br 0)))
    (i64.add (i64.extend_i32_u (local.get $y))
             (i64.shl (i64.extend_i32_u (i32.sub (local.get $b) (local.get $a)))
                      (i64.const 32))))
  ;; a branch back before b's update (a `continue` on odd a): b must not be redefined
  (func (export "continue_early") (param $n i32) (param $y i32) (result i64)
    (local $a i32) (local $b i32)
    (local.set $a (i32.const 0)) (local.set $b (i32.const 10))
    (loop
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $y (i32.add (local.get $y) (local.get $b)))
      (br_if 0 (i32.and (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get $a) (local.get $n))))
    (i64.add (i64.extend_i32_u (local.get $y))
             (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32))))
  ;; the back edge through a br_table, counters stepping down (sub and add of -3)
  (func (export "table_back") (param $n i32) (param $y i32) (result i64)
    (local $a i32) (local $b i32)
    (local.set $a (i32.const 300)) (local.set $b (i32.const 1000))
    (block
      (loop
        (local.set $y (i32.xor (i32.shl (local.get $y) (i32.const 1)) (local.get $a)))
        (local.set $a (i32.sub (local.get $a) (i32.const 3)))
        (local.set $b (i32.add (local.get $b) (i32.const -3)))
        (br_table 0 1 (i32.ge_u (i32.sub (i32.const 300) (local.get $a))
                                (i32.mul (local.get $n) (i32.const 3))))))
    (i64.add (i64.extend_i32_u (local.get $y))
             (i64.shl (i64.extend_i32_u (i32.add (local.get $a) (local.get $b)))
                      (i64.const 32))))
  ;; not merged: b updated inside a nested block, c written twice, d set from a param
  (func (export "not_merged") (param $n i32) (param $y i32) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $a (i32.const 0)) (local.set $b (i32.const 5)) (local.set $c (i32.const 9))
    (local.set $d (local.get $y))
    (loop
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (block (local.set $b (i32.add (local.get $b) (i32.const 1))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (if (i32.eq (local.get $a) (i32.const 3)) (then (local.set $c (i32.const 0))))
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get $a) (local.get $n))))
    (i64.add (i64.extend_i32_u (i32.add (local.get $a) (local.get $b)))
             (i64.shl (i64.extend_i32_u (i32.xor (local.get $c) (local.get $d)))
                      (i64.const 32))))
  ;; h = h*263 + load: a recurrence through a load, which is not frozen
  (func (export "hash") (param $n i32) (param $y i32) (result i64)
    (local $p i32) (local $h i32)
    (local.set $p (i32.const 0)) (local.set $h (local.get $y))
    (block
      (br_if 0 (i32.eqz (local.get $n)))
      (loop
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 263))
                               (i32.load8_u offset=100 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if 0 (i32.lt_u (local.get $p) (local.get $n)))))
    (i64.extend_i32_u (local.get $h))))
"""

# export -> the expected (base, member, distance) of its one loop, as local indices
EXPECTED = {
    "unrolled": [(2, 3, 1), (2, 4, 2), (2, 5, 3)],
    "wrap": [(2, 3, -0x7ffffff8), (4, 5, 0x7ffffffffffffffc)],
    "exit_between": [(2, 3, 93)],
    "continue_early": [],
    "table_back": [(2, 3, 700)],
    "not_merged": [],  # a and d step alike, but d starts at a run-time value
    "hash": [],
}
INPUTS = [(0, 12345), (1, 7), (3, 0xDEADBEEF), (4, 0x9E3779B9), (5, 1), (7, 0xFFFFFFFF),
          (8, 2463534242), (9, 42), (30, 0x12345678)]


def module() -> bytes:
    return wat_to_wasm(WAT.encode())


def test_which_loops_have_congruent_locals() -> None:
    wasm = module()
    m = decode(wasm)
    names = [e.name for e in m.exports if e.kind == "func"]
    for name, body, type_index in zip(names, m.bodies, m.funcs, strict=True):
        ft = m.types[type_index]
        groups = congruent_groups(body.code, [*ft.params, *body.locals], len(ft.params))
        assert [p for pairs in groups.values() for p in pairs] == EXPECTED[name], name


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_congruent_loops_match_wasmtime(tier: str) -> None:
    wasm = module()
    calls = [Call(name, export_signature(wasm, name), [n, y])
             for name in EXPECTED for n, y in INPUTS]
    assert check([Case(wasm, calls)], tier) == []


def function_ir(ir_text: str, index: int) -> str:
    m = re.search(rf"^define [^\n]*_f{index}\(.*?^}}", ir_text, re.M | re.S)
    assert m is not None
    return m.group(0)


def test_one_counter_and_a_frozen_recurrence_in_the_optimized_ir() -> None:
    """The unrolled loop keeps one counter phi and y's next value is frozen, so code
    generation takes y from the loop rather than recomputing it after; the hash loop's
    recurrence (through a load) is left alone."""
    _, _, ir_text = compile_uncached(module(), "m", tier="opt")
    unrolled = function_ir(ir_text, 0)
    assert len(re.findall(r"= phi i32 .*, %loop", unrolled)) == 2  # the counter and y
    assert len(re.findall(r"= freeze i32 ", unrolled)) == 1
    assert "freeze" not in function_ir(ir_text, 6)


LOOP_IR = """
define i32 @f(i32 %n, i32 %y0) {
entry:
  br label %loop

loop:
  %k = phi i32 [ 0, %entry ], [ %k.next, %loop ]
  %y = phi i32 [ %y0, %entry ], [ %y.next, %loop ]
  %q = lshr i32 %y, 2
  %y.next = add i32 %q, %k
  %k.next = add i32 %k, 1
  %done = icmp eq i32 %k.next, %n
  br i1 %done, label %exit, label %loop

exit:
  %r = phi i32 [ %y.next, %loop ]
  ret i32 %r
}
"""


def parses(text: str) -> None:
    mod = llvm.parse_assembly(text)
    mod.verify()


def test_freeze_rewrites_valid_ir() -> None:
    out = freeze_latch_values(LOOP_IR)
    assert out is not None
    parses(out)
    assert "%y.next.lsrfz = freeze i32 %y.next" in out
    assert "[ %y.next.lsrfz, %loop ]" in out  # both the phi and the exit's use
    assert "%r = phi i32 [ %y.next.lsrfz, %loop ]" in out


def test_freeze_leaves_recurrences_not_used_after_the_loop() -> None:
    text = LOOP_IR.replace("[ %y.next, %loop ]\n  ret i32 %r", "[ %k.next, %loop ]\n  ret i32 %r")
    assert freeze_latch_values(text) is None


def test_freeze_leaves_recurrences_that_do_not_read_the_counter() -> None:
    text = LOOP_IR.replace("%y.next = add i32 %q, %k", "%y.next = add i32 %q, 7")
    assert freeze_latch_values(text) is None


# --- generated counter loops ---------------------------------------------------------------

COUNTERS = 4
STEPS = (1, 3, 4, -4, 0x7FFFFFFF)
STARTS = (0, -1, 1, 2, 0x7FFFFFF0, -8)


def counter_update(i: int, step: int, form: int) -> str:
    """An update of counter i by `step`, in the three forms clang writes (and the analysis
    accepts): get-const-add, const-get-add, get-const-sub."""
    if form == 0:
        return f"(local.set $c{i} (i32.add (local.get $c{i}) (i32.const {step})))"
    if form == 1:
        return f"(local.set $c{i} (i32.add (i32.const {step}) (local.get $c{i})))"
    return f"(local.tee $c{i} (i32.sub (local.get $c{i}) (i32.const {-step}))) (drop)"


@st.composite
def counter_loop(draw: st.DrawFn) -> str:
    """A function (param $n $y) (result i64) with a loop over up to four counters, each set
    from a constant, from $y or not at all before the loop, updated once at the top level, in
    a nested block, or twice; `continue`s (guarded to end) before or after the updates, an
    exit, and a recurrence through the counters."""
    inits = []
    for i in range(COUNTERS):
        kind = draw(st.sampled_from(["const", "const", "param", "none"]))
        if kind == "const":
            inits.append(f"(local.set $c{i} (i32.const {draw(st.sampled_from(STARTS))}))")
        elif kind == "param":
            inits.append(f"(local.set $c{i} (i32.add (local.get $y) (i32.const {i})))")
    step = draw(st.sampled_from(STEPS))
    items = []
    for i in range(COUNTERS):
        how = draw(st.sampled_from(["top", "top", "top", "nested", "twice", "other step"]))
        form = draw(st.integers(0, 2))
        s = draw(st.sampled_from(STEPS)) if how == "other step" else step
        if how == "nested":
            items.append(f"(block {counter_update(i, s, form)})")
        else:
            items.append(counter_update(i, s, form))
        if how == "twice":
            items.append(f"(if (i32.eq (local.get $it) (i32.const 2)) "
                         f"(then (local.set $c{i} (i32.const 77))))")
    for _ in range(draw(st.integers(0, 3))):
        c = draw(st.integers(0, COUNTERS - 1))
        kind = draw(st.sampled_from(["continue", "exit", "mix"]))
        if kind == "continue":
            stmt = (f"(br_if $top (i32.and (i32.lt_u (local.get $it) (local.get $n)) "
                    f"(i32.and (local.get $c{c}) (i32.const 1))))")
        elif kind == "exit":
            stmt = f"(br_if $exit (i32.eq (i32.and (local.get $c{c}) (i32.const 7)) (i32.const 3)))"
        else:
            stmt = (f"(local.set $y (i32.add (i32.shr_u (local.get $y) (i32.const 2)) "
                    f"(local.get $c{c})))")
        items.insert(draw(st.integers(0, len(items))), stmt)
    result = "(i64.extend_i32_u (local.get $y))"
    for i in range(COUNTERS):
        result = (f"(i64.add {result} (i64.mul (i64.extend_i32_u (local.get $c{i})) "
                  f"(i64.const {2 * i + 3})))")
    return f"""(module
  (func (export "f") (param $n i32) (param $y i32) (result i64)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $it i32)
    {' '.join(inits)}
    (block $exit
      (loop $top
        (local.set $it (i32.add (local.get $it) (i32.const 1)))
        {' '.join(items)}
        (local.set $y (i32.add (i32.rotl (local.get $y) (i32.const 7)) (local.get $c0)))
        (br_if $top (i32.lt_u (local.get $it) (local.get $n)))))
    {result}))"""


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
@PROFILE
@given(st.lists(counter_loop(), min_size=10, max_size=20))
def test_generated_counter_loops_agree_with_wasmtime(tier: str, batch: list[str]) -> None:
    """Random counter loops (some merged, some not) against wasmtime, n from 0 to 21."""
    cases = []
    for wat in batch:
        wasm = wat_to_wasm(wat.encode())
        sig = export_signature(wasm, "f")
        cases.append(Case(wasm, [Call("f", sig, [n, y]) for n, y in
                                 ((0, 5), (1, 0xFFFFFFFF), (2, 9), (5, 123456), (21, 0x80000000))]))
    divergences = check(cases, tier)
    assert divergences == [], [(batch[i], d) for i, d in divergences]

