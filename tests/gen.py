"""Hypothesis strategies that build well-typed WebAssembly modules directly, as WAT.

A module has one exported function `f(i32, i64, f32, f64) -> T` whose body is a random typed
expression tree over every numeric instruction family (NaN payloads, shifts by large counts,
division edge cases), locals, globals, control flow (blocks with results, bounded loops,
br_if, br_table, if/else), direct calls, call_indirect through a table with a null and a
mistyped slot, memory loads/stores at edge addresses, memory.grow/size, memory.fill/copy,
table.get/size, and WebAssembly 3.0's typed function references (call_ref of a reference that
may be null, ref.as_non_null, br_on_null, br_on_non_null) and tail calls (return_call,
return_call_indirect, return_call_ref, and a return_call whose 18 arguments do not fit in
registers), exceptions (throw, try_table with catch, catch_all and catch_ref, throw_ref,
helpers that throw from a frame below), and GC (structs and arrays of every number type,
array bounds, i31, ref.eq, ref.test and ref.cast over structs, arrays and i31s). Hypothesis
shrinks a failing module to a minimal one.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from hypothesis import strategies as st

TYPES = ["i32", "i64", "f32", "f64"]
PARAMS = "(param $p0 i32) (param $p1 i64) (param $p2 f32) (param $p3 f64)"
PARAM_OF = {"i32": "$p0", "i64": "$p1", "f32": "$p2", "f64": "$p3"}

INT_BIN = ["add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor",
           "shl", "shr_s", "shr_u", "rotl", "rotr"]
INT_UN = ["clz", "ctz", "popcnt"]
FLOAT_BIN = ["add", "sub", "mul", "div", "min", "max", "copysign"]
FLOAT_UN = ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]
INT_CMP = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
FLOAT_CMP = ["eq", "ne", "lt", "gt", "le", "ge"]
CONVERSIONS = {  # target → [(instruction, source)]
    "i32": [("i32.wrap_i64", "i64"), ("i32.trunc_f32_s", "f32"), ("i32.trunc_f64_u", "f64"),
            ("i32.trunc_sat_f32_u", "f32"), ("i32.trunc_sat_f64_s", "f64"),
            ("i32.reinterpret_f32", "f32"), ("i32.extend8_s", "i32"),
            ("i32.extend16_s", "i32"), ("i32.eqz", "i32"), ("i64.eqz", "i64")],
    "i64": [("i64.extend_i32_s", "i32"), ("i64.extend_i32_u", "i32"),
            ("i64.trunc_f64_s", "f64"), ("i64.trunc_f32_u", "f32"),
            ("i64.trunc_sat_f64_u", "f64"), ("i64.reinterpret_f64", "f64"),
            ("i64.extend32_s", "i64")],
    "f32": [("f32.convert_i32_s", "i32"), ("f32.convert_i64_u", "i64"),
            ("f32.demote_f64", "f64"), ("f32.reinterpret_i32", "i32")],
    "f64": [("f64.convert_i64_s", "i64"), ("f64.convert_i32_u", "i32"),
            ("f64.promote_f32", "f32"), ("f64.reinterpret_i64", "i64")],
}
INT_EDGES = [0, 1, -1, 2, 31, 32, 33, 63, 64, 65, 0x7FFFFFFF, -0x80000000, 0xFFFF, 0x10000]
I64_EDGES = [0, 1, -1, 63, 64, 0x7FFFFFFFFFFFFFFF, -0x8000000000000000, 0xFFFFFFFF]
F32_BITS = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x7FA00000, 0xFFC00001,
            0x3F800000, 0xBF800000, 0x4F000000, 0xCF000000, 0x00000001, 0x7F7FFFFF]
F64_BITS = [0, 1 << 63, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
            0x7FF4000000000000, 0x3FF0000000000000, 0xC3E0000000000000, 0x43E0000000000000,
            0x41E0000000000000, 0xC1E0000000200000, 1]
ADDRESSES = [0, 1, 7, 100, 65528, 65532, 65535, 65536, 131068, 131072, -1, -8]
OFFSETS = [0, 1, 4, 8, 65535, 65536]
LOADS = {"i32": ["i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"],
         "i64": ["i64.load", "i64.load8_u", "i64.load16_s", "i64.load32_s", "i64.load32_u"],
         "f32": ["f32.load"], "f64": ["f64.load"]}
STORES = {"i32": ["i32.store", "i32.store8", "i32.store16"],
          "i64": ["i64.store", "i64.store8", "i64.store32"], "f32": ["f32.store"],
          "f64": ["f64.store"]}


@dataclass
class Ctx:
    """Locals declared by the body (loop counters and accumulators)."""

    locals: list[str] = field(default_factory=list)
    calls: bool = True  # helpers must not call helpers (no recursion)

    def local(self, ty: str) -> str:
        name = f"$l{len(self.locals)}"
        self.locals.append(f"(local {name} {ty})")
        return name


def float_literal(bits: int, ty: str) -> str:
    """The exact WAT literal for raw float bits (NaN payloads and signs included)."""
    exp_bits, mant_bits = (8, 23) if ty == "f32" else (11, 52)
    sign = "-" if bits >> (exp_bits + mant_bits) else ""
    exponent = (bits >> mant_bits) & ((1 << exp_bits) - 1)
    mantissa = bits & ((1 << mant_bits) - 1)
    if exponent == (1 << exp_bits) - 1:
        return f"{sign}inf" if mantissa == 0 else f"{sign}nan:{mantissa:#x}"
    if ty == "f32":
        value = struct.unpack("<f", struct.pack("<I", bits))[0]
    else:
        value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return value.hex() if not sign or value != 0 else "-0x0p+0"


def const(draw: st.DrawFn, ty: str) -> str:
    if ty == "i32":
        v = draw(st.sampled_from(INT_EDGES) | st.integers(-(2**31), 2**31 - 1))
        return f"(i32.const {v})"
    if ty == "i64":
        v = draw(st.sampled_from(I64_EDGES) | st.integers(-(2**63), 2**63 - 1))
        return f"(i64.const {v})"
    if ty == "f32":
        bits = draw(st.sampled_from(F32_BITS) | st.integers(0, 2**32 - 1))
        return f"(f32.const {float_literal(bits, 'f32')})"
    bits = draw(st.sampled_from(F64_BITS) | st.integers(0, 2**64 - 1))
    return f"(f64.const {float_literal(bits, 'f64')})"


def canonical(ty: str, e: str) -> str:
    """e with any NaN replaced by the canonical NaN: wasm leaves NaN bits nondeterministic
    (RISC-V produces canonical NaNs, x86 propagates payloads), so values whose bits become
    observable (reinterpret, stores) are canonicalized first, as wasm-smith does."""
    return f"(call $canon_{ty} {e})"


def address(draw: st.DrawFn) -> str:
    return f"(i32.const {draw(st.sampled_from(ADDRESSES))})"


@st.composite
def expr(draw: st.DrawFn, ty: str, depth: int, ctx: Ctx) -> str:
    """A WAT expression of type `ty`."""
    if depth <= 0:
        kind = draw(st.sampled_from(["const", "param", "global"]))
        if kind == "param":
            return f"(local.get {PARAM_OF[ty]})"
        if kind == "global":
            return f"(global.get $g_{ty})"
        return const(draw, ty)
    sub = lambda t: draw(expr(t, depth - 1, ctx))  # noqa: E731 - local shorthand
    kinds = ["binary", "unary", "convert", "select", "if", "block", "loop", "br_table",
             "load", "store", "global_set", "const", "throw", "try", "try_all", "rethrow",
             "struct", "array"]
    if ty == "i32":
        kinds += ["i31", "ref_eq", "ref_test", "ref_cast"]
    if ty == "i32":
        kinds += ["compare", "memory", "bulk", "table"]
    if ctx.calls:
        kinds += ["call", "call_indirect", "call_ref", "br_on_null", "br_on_non_null",
                  "tail_call", "call_throw"]
    kind = draw(st.sampled_from(kinds))
    is_int = ty in ("i32", "i64")
    if kind == "binary":
        op = draw(st.sampled_from(INT_BIN if is_int else FLOAT_BIN))
        return f"({ty}.{op} {sub(ty)} {sub(ty)})"
    if kind == "unary":
        op = draw(st.sampled_from(INT_UN if is_int else FLOAT_UN))
        return f"({ty}.{op} {sub(ty)})"
    if kind == "compare":
        src = draw(st.sampled_from(TYPES))
        op = draw(st.sampled_from(INT_CMP if src in ("i32", "i64") else FLOAT_CMP))
        return f"({src}.{op} {sub(src)} {sub(src)})"
    if kind == "convert":
        op, src = draw(st.sampled_from(CONVERSIONS[ty]))
        arg = sub(src)
        if "reinterpret" in op and src in ("f32", "f64"):
            arg = canonical(src, arg)
        return f"({op} {arg})"
    if kind == "select":
        return f"(select {sub(ty)} {sub(ty)} {sub('i32')})"
    if kind == "if":
        return f"(if (result {ty}) {sub('i32')} (then {sub(ty)}) (else {sub(ty)}))"
    if kind == "block":
        return f"(block (result {ty}) (drop (br_if 0 {sub(ty)} {sub('i32')})) {sub(ty)})"
    if kind == "loop":
        k, acc = ctx.local("i32"), ctx.local(ty)
        n = draw(st.integers(1, 5))
        return (f"(block (result {ty}) (local.set {k} (i32.const {n})) (local.set {acc} "
                f"{sub(ty)}) (loop $loop (local.set {acc} {sub(ty)}) (br_if $loop (local.tee "
                f"{k} (i32.sub (local.get {k}) (i32.const 1))))) (local.get {acc}))")
    if kind == "br_table":
        return (f"(block $out (result {ty}) (block $b1 (block $b0 (br_table $b0 $b1 $b0 "
                f"{sub('i32')})) (br $out {sub(ty)})) {sub(ty)})")
    if kind == "load":
        op = draw(st.sampled_from(LOADS[ty]))
        return f"({op} offset={draw(st.sampled_from(OFFSETS))} {address(draw)})"
    if kind == "store":
        st_ty = draw(st.sampled_from(TYPES))
        op = draw(st.sampled_from(STORES[st_ty]))
        value = sub(st_ty)
        if st_ty in ("f32", "f64"):
            value = canonical(st_ty, value)
        return (f"(block (result {ty}) ({op} offset={draw(st.sampled_from(OFFSETS))} "
                f"{address(draw)} {value}) {sub(ty)})")
    if kind == "global_set":
        return f"(block (result {ty}) (global.set $g_{ty} {sub(ty)}) (global.get $g_{ty}))"
    if kind == "memory":
        if draw(st.booleans()):
            return f"(memory.grow (i32.const {draw(st.sampled_from([0, 1, 2, -1]))}))"
        return "(memory.size)"
    if kind == "bulk":
        op = draw(st.sampled_from(["memory.fill", "memory.copy"]))
        n = draw(st.sampled_from([0, 1, 16, 65536, 70000]))
        return f"(block (result i32) ({op} {address(draw)} {sub('i32')} (i32.const {n})) " \
               f"{sub('i32')})"
    if kind == "table":
        if draw(st.booleans()):
            return "(table.size $t)"
        return f"(ref.is_null (table.get $t (i32.const {draw(st.integers(0, 5))})))"
    if kind == "call":
        return f"(call $h_{ty} {sub('i32')} {sub(ty)})"
    if kind == "call_indirect":
        slot = draw(st.integers(0, 5))  # 0..3 filled per type, 4 is null, 5 is out of range
        return f"(call_indirect $t (type $sig_{ty}) {sub('i32')} {sub(ty)} (i32.const {slot}))"
    if kind in ("call_ref", "br_on_null", "br_on_non_null"):
        ref = maybe_null(ty, sub("i32"))
        args = f"{sub('i32')} {sub(ty)}"
        if kind == "br_on_null":
            return (f"(block $done (result {ty}) (block $null (br $done (call_ref $sig_{ty} "
                    f"{args} (br_on_null $null {ref})))) {sub(ty)})")
        if kind == "br_on_non_null":
            return (f"(block $done (result {ty}) (call_ref $sig_{ty} {args} (block $nn "
                    f"(result (ref $sig_{ty})) (br_on_non_null $nn {ref}) (br $done {sub(ty)}))))")
        if draw(st.booleans()):
            ref = f"(ref.as_non_null {ref})"
        return f"(call_ref $sig_{ty} {args} {ref})"
    if kind == "throw":  # thrown when the condition holds, else a value
        return f"(if (result {ty}) {sub('i32')} (then (throw $ex_{ty} {sub(ty)})) (else {sub(ty)}))"
    if kind == "try":  # the payload of a throw inside becomes the value
        return f"(block $c (result {ty}) (try_table (result {ty}) (catch $ex_{ty} $c) {sub(ty)}))"
    if kind == "try_all":  # any exception inside: the second value
        return (f"(block $c (result {ty}) (block $h (try_table (catch_all $h) (br $c {sub(ty)}))) "
                f"{sub(ty)})")
    if kind == "rethrow":  # caught by reference, thrown again, caught outside
        return (f"(block $o (result {ty}) (try_table (result {ty}) (catch $ex_{ty} $o) "
                f"(block $h (result {ty} exnref) (try_table (result {ty}) (catch_ref $ex_{ty} $h) "
                f"{sub(ty)}) (br $o)) (throw_ref)))")
    if kind == "struct":  # a fresh struct, written and read back
        if draw(st.booleans()):
            return f"(struct.get $box_{ty} 0 (struct.new $box_{ty} {sub(ty)}))"
        r = ctx.local(f"(ref null $box_{ty})")
        return (f"(block (result {ty}) (local.set {r} (struct.new_default $box_{ty})) "
                f"(struct.set $box_{ty} 0 (local.get {r}) {sub(ty)}) "
                f"(struct.get $box_{ty} 0 (local.get {r})))")
    if kind == "array":  # an array of 1..5 elements, read at an index that may be out of range
        n = draw(st.integers(1, 5))
        return (f"(array.get $arr_{ty} (array.new $arr_{ty} {sub(ty)} (i32.const {n})) "
                f"(i32.and {sub('i32')} (i32.const 7)))")
    if kind == "i31":
        op = draw(st.sampled_from(["i31.get_s", "i31.get_u"]))
        return f"({op} (ref.i31 {sub('i32')}))"
    if kind == "ref_eq":
        return f"(ref.eq (ref.i31 {sub('i32')}) (ref.i31 {sub('i32')}))"
    if kind in ("ref_test", "ref_cast"):
        target = draw(st.sampled_from(["(ref $box_i32)", "(ref $arr_i32)", "(ref i31)",
                                       "(ref struct)", "(ref array)", "(ref eq)",
                                       "(ref null $box_i32)"]))
        value = (f"(select (result eqref) (struct.new $box_i32 {sub('i32')}) (select (result "
                 f"eqref) (array.new_default $arr_i32 (i32.const 1)) (ref.i31 {sub('i32')}) "
                 f"{sub('i32')}) {sub('i32')})")
        if kind == "ref_test":
            return f"(ref.test {target} {value})"
        nullable = target if "null" in target else target.replace("(ref ", "(ref null ")
        return f"(ref.is_null (ref.cast {nullable} {value}))"
    if kind == "call_throw":  # a helper that throws its second argument when the first is odd
        return f"(call $thr_{ty} {sub('i32')} {sub(ty)})"
    if kind == "tail_call":
        via = draw(st.sampled_from(["tc", "tci", "tcr", "tcw"]))
        return f"(call ${via}_{ty} {sub('i32')} {sub(ty)})"
    return const(draw, ty)


def maybe_null(ty: str, cond: str) -> str:
    """A `(ref null $sig_ty)` that is the helper h_ty when `cond` holds, else null."""
    return (f"(select (result (ref null $sig_{ty})) (ref.func $h_{ty}) (ref.null $sig_{ty}) "
            f"{cond})")


def tail_callers(ty: str) -> str:
    """Functions (i32, ty) -> ty that tail-call h_ty: directly, through the table (slot a & 7:
    filled, null, mistyped or out of range), through a reference that is null for even a, and
    through $wide_ty, whose 18 parameters do not fit in registers (9 i32 and 9 of ty)."""
    head = f"(param $a i32) (param $b {ty}) (result {ty})"
    wide_args = " ".join(f"(i32.add (local.get $a) (i32.const {k})) (local.get $b)"
                         for k in range(9))
    wide_params = " ".join(f"i32 {ty}" for _ in range(9))
    return (f"(func $tc_{ty} {head} (return_call $h_{ty} (local.get $a) (local.get $b))) "
            f"(func $tci_{ty} {head} (return_call_indirect $t (type $sig_{ty}) (local.get $a) "
            f"(local.get $b) (i32.and (local.get $a) (i32.const 7)))) "
            f"(func $tcr_{ty} {head} (return_call_ref $sig_{ty} (local.get $a) (local.get $b) "
            f"{maybe_null(ty, '(i32.and (local.get $a) (i32.const 1))')})) "
            f"(func $tcw_{ty} {head} (return_call $wide_{ty} {wide_args})) "
            f"(func $wide_{ty} (param {wide_params}) (result {ty}) (return_call $h_{ty} "
            f"(i32.sub (local.get 16) (i32.mul (local.get 14) (i32.const 3))) (local.get 17)))")


@st.composite
def module(draw: st.DrawFn, max_depth: int = 4) -> str:
    """A module exporting `f`, with helpers h_T(i32, T) -> T for calls and call_indirect."""
    result = draw(st.sampled_from(TYPES))
    helpers = []
    for ty in TYPES:
        hctx = Ctx(calls=False)
        body = draw(expr(ty, 2, hctx))
        body = body.replace("$p0", "$a").replace(PARAM_OF[ty] if ty != "i32" else "$p0", "$b")
        for other in TYPES:  # helpers see only their own two parameters
            if other != ty and PARAM_OF[other] in body:
                body = body.replace(f"(local.get {PARAM_OF[other]})", const(draw, other))
        helpers.append(f"(func $h_{ty} (param $a i32) (param $b {ty}) (result {ty}) "
                       f"{' '.join(hctx.locals)} {body})")
    ctx = Ctx()
    body = draw(expr(result, draw(st.integers(1, max_depth)), ctx))
    globals_ = " ".join(f"(global $g_{t} (export \"g_{t}\") (mut {t}) {const(draw, t)})"
                        for t in TYPES)
    types = " ".join(f"(type $sig_{t} (func (param i32 {t}) (result {t})))" for t in TYPES)
    tags = " ".join(f"(tag $ex_{t} (param {t}))" for t in TYPES)
    types += " " + " ".join(f"(type $box_{t} (struct (field (mut {t})))) "
                            f"(type $arr_{t} (array (mut {t})))" for t in TYPES)
    throwers = " ".join(f"(func $thr_{t} (param $a i32) (param $b {t}) (result {t}) (if (i32.and "
                        f"(local.get $a) (i32.const 1)) (then (throw $ex_{t} (local.get $b)))) "
                        f"(local.get $b))" for t in TYPES)
    canon = " ".join(f"(func $canon_{t} (param $x {t}) (result {t}) (select ({t}.const nan) "
                     f"(local.get $x) ({t}.ne (local.get $x) (local.get $x))))"
                     for t in ("f32", "f64"))
    return (f"(module {types} {tags} (memory (export \"mem\") 1 3) {globals_} {canon} {throwers} "
            f"(table $t 6 funcref) (elem (table $t) (i32.const 0) func $h_i32 $h_i64 $h_f32 "
            f"$h_f64) {' '.join(helpers)} {' '.join(tail_callers(t) for t in TYPES)} "
            f"(func (export \"f\") {PARAMS} (result {result}) {' '.join(ctx.locals)} {body}))")


def arg_bits(draw: st.DrawFn) -> list[int]:
    """Arguments for f(i32, i64, f32, f64) as raw bits."""
    i = draw(st.sampled_from(INT_EDGES) | st.integers(-(2**31), 2**31 - 1)) & 0xFFFFFFFF
    i64 = draw(st.sampled_from(I64_EDGES) | st.integers(-(2**63), 2**63 - 1)) & (2**64 - 1)
    f32 = draw(st.sampled_from(F32_BITS) | st.integers(0, 2**32 - 1))
    f64 = draw(st.sampled_from(F64_BITS) | st.integers(0, 2**64 - 1))
    return [i, i64, f32, f64]


@st.composite
def case(draw: st.DrawFn) -> tuple[str, list[list[int]]]:
    """A module and the argument lists f is called with (state carries over between calls)."""
    return draw(module()), [arg_bits(draw) for _ in range(draw(st.integers(1, 3)))]

