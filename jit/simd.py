"""SIMD and relaxed SIMD instructions (the 0xFD prefix): v128 as LLVM fixed-width vectors.

A v128 travels between instructions as ``<2 x i64>`` (env.V128T); each handler bitcasts it to
the shape it works on (``<16 x i8>`` ... ``<2 x double>``) and back, which costs nothing. With
the vector extension in the target (jit/target.py) LLVM lowers these vectors to RVV; without
it, to scalar code with the same results.

Relaxed SIMD: each instruction behaves deterministically as one of the behaviours the spec
allows (docs/ARCHITECTURE.md, "SIMD"): swizzle, truncation, lane select, min/max and q15mulr
as their strict counterparts; madd/nmadd fused (one rounding, RVV's vfmacc); the i7 dot
products with signed lanes and wrapping sums.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import ir
from .decode import SIMD_BASE
from .env import F32T, F64T, I8, I32T, I64T, V128T, volatile_load, volatile_store
from .handlers import Handler, Registry
from .memory import address
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()

I1 = ir.IntType(1)
I16 = ir.IntType(16)
I8X16 = ir.VectorType(I8, 16)
I16X8 = ir.VectorType(I16, 8)
I32X4 = ir.VectorType(I32T, 4)
I64X2 = ir.VectorType(I64T, 2)
F32X4 = ir.VectorType(F32T, 4)
F64X2 = ir.VectorType(F64T, 2)
INT_SHAPES = (I8X16, I16X8, I32X4, I64X2)


def op(sub: int) -> int:
    return SIMD_BASE + sub


def vec(n: int, elem: ir.Type) -> ir.VectorType:
    return ir.VectorType(elem, n)


def lane_bits(ty: ir.VectorType) -> int:
    return ty.element.width  # type: ignore[no-any-return]


def lane_bytes(ty: ir.VectorType) -> int:
    return lane_bits(ty) // 8


def sfx(ty: ir.VectorType) -> str:
    """LLVM's overload suffix of a vector type, e.g. ``v16i8``, ``v4f32``."""
    e = ty.element
    name = "f32" if e == F32T else "f64" if e == F64T else f"i{e.width}"
    return f"v{ty.count}{name}"


def pop_as(t: FunctionTranslator, ty: ir.VectorType) -> ir.Value:
    return t.b.bitcast(t.pop(), ty)


def push_v(t: FunctionTranslator, v: ir.Value) -> None:
    t.push(v if v.type == V128T else t.b.bitcast(v, V128T))


def call(t: FunctionTranslator, name: str, ret: ir.Type, args: list[ir.Value]) -> ir.Value:
    fn = t.env.intrinsic(name, ret, [a.type for a in args])
    return t.b.call(fn, args)


def mask(indices: list[int]) -> ir.Constant:
    return ir.Constant(vec(len(indices), I32T), indices)


def splat_value(t: FunctionTranslator, x: ir.Value, ty: ir.VectorType) -> ir.Value:
    v = t.b.insert_element(ir.Constant(ty, ir.Undefined), x, I32T(0))
    return t.b.shuffle_vector(v, ir.Constant(ty, ir.Undefined), mask([0] * ty.count))


def half(t: FunctionTranslator, v: ir.Value, high: bool) -> ir.Value:
    n = v.type.count // 2
    return t.b.shuffle_vector(v, ir.Constant(v.type, ir.Undefined),
                              mask(list(range(n if high else 0, 2 * n if high else n))))


def concat(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    return t.b.shuffle_vector(a, b, mask(list(range(2 * a.type.count))))


def widen(ty: ir.VectorType) -> ir.VectorType:
    """Same lane count, lanes twice as wide."""
    return vec(ty.count, ir.IntType(2 * lane_bits(ty)))


def canonicalize(t: FunctionTranslator, v: ir.Value) -> ir.Value:
    """NaN lanes become the canonical NaN (positive, quiet, no payload), as RVV's conversions
    make them: the rounding instructions' lowering returns a NaN input unchanged (an sNaN
    unquieted), and LLVM's folds of constant lanes keep sign and payload. Valid wherever the
    spec allows an arithmetic NaN, and two vector instructions (vmfne, vmerge), where
    ``llvm.canonicalize`` was scalarised to four lanes of fmin and slides."""
    ty = v.type
    f32 = ty.element == F32T
    ints = vec(ty.count, I32T if f32 else I64T)
    bits = 0x7FC00000 if f32 else 0x7FF8000000000000
    canon = t.b.bitcast(ir.Constant(ints, [bits] * ty.count), ty)
    return t.b.select(t.b.fcmp_unordered("uno", v, v), canon, v)


# --- generic handler makers ---------------------------------------------------------------

def unary(ty: ir.VectorType, f: Callable[[FunctionTranslator, ir.Value], ir.Value]) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        push_v(t, f(t, pop_as(t, ty)))
    return emit


def binary(ty: ir.VectorType,
           f: Callable[[FunctionTranslator, ir.Value, ir.Value], ir.Value]) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        rhs = pop_as(t, ty)
        lhs = pop_as(t, ty)
        push_v(t, f(t, lhs, rhs))
    return emit


def method(name: str) -> Callable[[FunctionTranslator, ir.Value, ir.Value], ir.Value]:
    return lambda t, a, b: getattr(t.b, name)(a, b)


def intrinsic2(name: str) -> Callable[[FunctionTranslator, ir.Value, ir.Value], ir.Value]:
    return lambda t, a, b: call(t, f"llvm.{name}.{sfx(a.type)}", a.type, [a, b])


def intrinsic1(name: str) -> Callable[[FunctionTranslator, ir.Value], ir.Value]:
    return lambda t, a: call(t, f"llvm.{name}.{sfx(a.type)}", a.type, [a])


def icmp(pred: str, signed: bool) -> Callable[[FunctionTranslator, ir.Value, ir.Value], ir.Value]:
    def f(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
        c = (t.b.icmp_signed if signed else t.b.icmp_unsigned)(pred, a, b)
        return t.b.sext(c, a.type)
    return f


def fcmp(pred: str) -> Callable[[FunctionTranslator, ir.Value, ir.Value], ir.Value]:
    def f(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
        c = (t.b.fcmp_unordered if pred == "!=" else t.b.fcmp_ordered)(pred, a, b)
        ity = vec(a.type.count, I32T if a.type.element == F32T else I64T)
        return t.b.sext(c, ity)
    return f


INT_CMPS = [("==", False), ("!=", False), ("<", True), ("<", False), (">", True), (">", False),
            ("<=", True), ("<=", False), (">=", True), (">=", False)]
for _base, _ty in ((0x23, I8X16), (0x2D, I16X8), (0x37, I32X4)):
    for _i, (_pred, _signed) in enumerate(INT_CMPS):
        registry.add(op(_base + _i), binary(_ty, icmp(_pred, _signed)))
for _i, (_pred, _signed) in enumerate([("==", False), ("!=", False), ("<", True), (">", True),
                                       ("<=", True), (">=", True)]):
    registry.add(op(0xD6 + _i), binary(I64X2, icmp(_pred, _signed)))
for _base, _ty in ((0x41, F32X4), (0x47, F64X2)):
    for _i, _pred in enumerate(["==", "!=", "<", ">", "<=", ">="]):
        registry.add(op(_base + _i), binary(_ty, fcmp(_pred)))


# --- constants, shuffles, splats, lanes ---------------------------------------------------

@registry.lower(op(0x0C))
def v128_const(t: FunctionTranslator, ins: Instr) -> None:
    raw: bytes = ins.imm  # type: ignore[assignment]
    t.push(ir.Constant(V128T, [int.from_bytes(raw[:8], "little"),
                               int.from_bytes(raw[8:], "little")]))


@registry.lower(op(0x0D))
def shuffle(t: FunctionTranslator, ins: Instr) -> None:
    b_ = pop_as(t, I8X16)
    a = pop_as(t, I8X16)
    push_v(t, t.b.shuffle_vector(a, b_, mask(list(ins.imm))))  # type: ignore[arg-type]


class ScalableVector(ir.Type):
    """``<vscale x N x T>``: only the swizzle below uses it, to reach RVV's vrgather through
    its LLVM intrinsic."""

    __slots__ = ("element", "count")

    def __init__(self, element: ir.Type, count: int) -> None:
        super().__init__(f"<vscale x {count} x {element.text}>")
        self.element, self.count = element, count


NXV8I8 = ScalableVector(I8, 8)  # one vector register of bytes (LMUL 1): 16 lanes at VLEN 128


def swizzle_value(t: FunctionTranslator, a: ir.Value, idx: ir.Value) -> ir.Value:
    """Lane i = a[idx[i]], 0 where idx[i] >= 16: RVV's vrgather.vv at vl 16 (LLVM has no
    dynamic shuffle of fixed vectors, and its scalarised form is 16 extracts and inserts).
    vrgather itself gives 0 for an index >= VLMAX, which is 16 only at VLEN 128; the select
    makes indices 16..VLMAX-1 give 0 too, and LLVM folds it into the gather's mask
    (vmsleu + a masked vrgather over a zeroed destination)."""
    b = t.b
    undef = ir.Constant(NXV8I8, ir.Undefined)
    insert = t.env.intrinsic("llvm.vector.insert.nxv8i8.v16i8", NXV8I8, [NXV8I8, I8X16, I64T])
    gather = t.env.intrinsic("llvm.riscv.vrgather.vv.nxv8i8.i64", NXV8I8,
                             [NXV8I8, NXV8I8, NXV8I8, I64T])
    extract = t.env.intrinsic("llvm.vector.extract.v16i8.nxv8i8", I8X16, [NXV8I8, I64T])
    table = b.call(insert, [undef, a, I64T(0)])
    lanes = b.call(insert, [undef, idx, I64T(0)])
    got = b.call(extract, [b.call(gather, [undef, table, lanes, I64T(16)]), I64T(0)])
    inside = b.icmp_unsigned("<", idx, ir.Constant(I8X16, 16))
    return b.select(inside, got, ir.Constant(I8X16, None))


def swizzle(t: FunctionTranslator, ins: Instr) -> None:
    idx = pop_as(t, I8X16)
    push_v(t, swizzle_value(t, pop_as(t, I8X16), idx))


SCALAR = {I8X16: I32T, I16X8: I32T, I32X4: I32T, I64X2: I64T, F32X4: F32T, F64X2: F64T}


def splat(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        x = t.pop()
        if x.type != ty.element:
            x = t.b.trunc(x, ty.element)
        push_v(t, splat_value(t, x, ty))
    return emit


def extract_lane(ty: ir.VectorType, ext: str | None) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        x = t.b.extract_element(pop_as(t, ty), I32T(ins.imm))  # type: ignore[arg-type]
        if ext == "s":
            x = t.b.sext(x, I32T)
        elif ext == "u":
            x = t.b.zext(x, I32T)
        t.push(x)
    return emit


def replace_lane(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        x = t.pop()
        if x.type != ty.element:
            x = t.b.trunc(x, ty.element)
        push_v(t, t.b.insert_element(pop_as(t, ty), x, I32T(ins.imm)))  # type: ignore[arg-type]
    return emit


registry.update({
    op(0x0E): swizzle, op(0x100): swizzle,
    op(0x0F): splat(I8X16), op(0x10): splat(I16X8), op(0x11): splat(I32X4),
    op(0x12): splat(I64X2), op(0x13): splat(F32X4), op(0x14): splat(F64X2),
    op(0x15): extract_lane(I8X16, "s"), op(0x16): extract_lane(I8X16, "u"),
    op(0x17): replace_lane(I8X16),
    op(0x18): extract_lane(I16X8, "s"), op(0x19): extract_lane(I16X8, "u"),
    op(0x1A): replace_lane(I16X8),
    op(0x1B): extract_lane(I32X4, None), op(0x1C): replace_lane(I32X4),
    op(0x1D): extract_lane(I64X2, None), op(0x1E): replace_lane(I64X2),
    op(0x1F): extract_lane(F32X4, None), op(0x20): replace_lane(F32X4),
    op(0x21): extract_lane(F64X2, None), op(0x22): replace_lane(F64X2),
})


# --- memory -------------------------------------------------------------------------------

def memarg_ins(ins: Instr, memarg: object) -> Instr:
    """The instruction as memory.address reads it: its immediate is the memarg."""
    return Instr(ins.op, memarg, ins.offset)


@registry.lower(op(0x00))
def v128_load(t: FunctionTranslator, ins: Instr) -> None:
    t.push(volatile_load(t.b, address(t, ins, 16), V128T, 1))


@registry.lower(op(0x0B))
def v128_store(t: FunctionTranslator, ins: Instr) -> None:
    v = t.pop()
    volatile_store(t.b, v, address(t, ins, 16), 1)


def load_extend(n: int, bits: int, signed: bool) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        narrow = vec(n, ir.IntType(bits))
        v = volatile_load(t.b, address(t, ins, 8), narrow, 1)
        wide = widen(narrow)
        push_v(t, t.b.sext(v, wide) if signed else t.b.zext(v, wide))
    return emit


def load_splat(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        x = volatile_load(t.b, address(t, ins, lane_bytes(ty)), ty.element, 1)
        push_v(t, splat_value(t, x, ty))
    return emit


def load_zero(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        x = volatile_load(t.b, address(t, ins, lane_bytes(ty)), ty.element, 1)
        push_v(t, t.b.insert_element(ir.Constant(ty, None), x, I32T(0)))
    return emit


def load_lane(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        memarg, lane = ins.imm  # type: ignore[misc]
        v = pop_as(t, ty)
        ptr = address(t, memarg_ins(ins, memarg), lane_bytes(ty))
        x = volatile_load(t.b, ptr, ty.element, 1)
        push_v(t, t.b.insert_element(v, x, I32T(lane)))
    return emit


def store_lane(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        memarg, lane = ins.imm  # type: ignore[misc]
        v = pop_as(t, ty)
        ptr = address(t, memarg_ins(ins, memarg), lane_bytes(ty))
        volatile_store(t.b, t.b.extract_element(v, I32T(lane)), ptr, 1)
    return emit


registry.update({
    op(0x01): load_extend(8, 8, True), op(0x02): load_extend(8, 8, False),
    op(0x03): load_extend(4, 16, True), op(0x04): load_extend(4, 16, False),
    op(0x05): load_extend(2, 32, True), op(0x06): load_extend(2, 32, False),
    op(0x07): load_splat(I8X16), op(0x08): load_splat(I16X8),
    op(0x09): load_splat(I32X4), op(0x0A): load_splat(I64X2),
    op(0x54): load_lane(I8X16), op(0x55): load_lane(I16X8),
    op(0x56): load_lane(I32X4), op(0x57): load_lane(I64X2),
    op(0x58): store_lane(I8X16), op(0x59): store_lane(I16X8),
    op(0x5A): store_lane(I32X4), op(0x5B): store_lane(I64X2),
    op(0x5C): load_zero(I32X4), op(0x5D): load_zero(I64X2),
})


# --- bitwise ------------------------------------------------------------------------------

def bitselect(t: FunctionTranslator, ins: Instr) -> None:
    c, v2, v1 = t.pop(), t.pop(), t.pop()
    b = t.b
    push_v(t, b.or_(b.and_(v1, c), b.and_(v2, b.not_(c))))


def any_true(t: FunctionTranslator, ins: Instr) -> None:
    v = pop_as(t, I8X16)
    any_ = call(t, "llvm.vector.reduce.or.v16i8", I8, [v])
    t.push(t.b.zext(t.b.icmp_unsigned("!=", any_, I8(0)), I32T))


registry.update({
    op(0x4D): unary(I64X2, lambda t, a: t.b.not_(a)),
    op(0x4E): binary(I64X2, method("and_")),
    op(0x4F): binary(I64X2, lambda t, a, b: t.b.and_(a, t.b.not_(b))),
    op(0x50): binary(I64X2, method("or_")),
    op(0x51): binary(I64X2, method("xor")),
    op(0x52): bitselect, op(0x53): any_true,
})
for _sub in (0x109, 0x10A, 0x10B, 0x10C):  # relaxed laneselect: bitselect
    registry.add(op(_sub), bitselect)


# --- integer lanes ------------------------------------------------------------------------

def all_true(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        nz = t.b.icmp_unsigned("!=", pop_as(t, ty), ir.Constant(ty, None))
        all_ = call(t, f"llvm.vector.reduce.and.v{ty.count}i1", I1, [nz])
        t.push(t.b.zext(all_, I32T))
    return emit


def bitmask(ty: ir.VectorType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        neg = t.b.icmp_signed("<", pop_as(t, ty), ir.Constant(ty, None))
        bits = t.b.bitcast(neg, ir.IntType(ty.count))
        t.push(t.b.zext(bits, I32T))
    return emit


def shift(ty: ir.VectorType, name: str) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        n = t.b.and_(t.pop(), I32T(lane_bits(ty) - 1))
        v = pop_as(t, ty)
        if ty.element != I32T:
            n = (t.b.zext if lane_bits(ty) > 32 else t.b.trunc)(n, ty.element)
        push_v(t, getattr(t.b, name)(v, splat_value(t, n, ty)))
    return emit


def narrow(src: ir.VectorType, signed: bool) -> Handler:
    """Saturate the lanes of two vectors (signed inputs) into one of half-width lanes."""
    bits = lane_bits(src) // 2
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)

    def f(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
        both = concat(t, a, b)
        ty = both.type
        both = call(t, f"llvm.smax.{sfx(ty)}", ty, [both, ir.Constant(ty, [lo] * ty.count)])
        both = call(t, f"llvm.smin.{sfx(ty)}", ty, [both, ir.Constant(ty, [hi] * ty.count)])
        return t.b.trunc(both, vec(ty.count, ir.IntType(bits)))
    return binary(src, f)


def extend(src: ir.VectorType, high: bool, signed: bool) -> Handler:
    def f(t: FunctionTranslator, a: ir.Value) -> ir.Value:
        h = half(t, a, high)
        return (t.b.sext if signed else t.b.zext)(h, widen(h.type))
    return unary(src, f)


def extmul(src: ir.VectorType, high: bool, signed: bool) -> Handler:
    def f(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
        ext = t.b.sext if signed else t.b.zext
        ha, hb = half(t, a, high), half(t, b, high)
        return t.b.mul(ext(ha, widen(ha.type)), ext(hb, widen(hb.type)))
    return binary(src, f)


def pairwise_sum(t: FunctionTranslator, v: ir.Value) -> ir.Value:
    """Lane i = v[2i] + v[2i+1] (half as many lanes)."""
    n = v.type.count
    undef = ir.Constant(v.type, ir.Undefined)
    even = t.b.shuffle_vector(v, undef, mask(list(range(0, n, 2))))
    odd = t.b.shuffle_vector(v, undef, mask(list(range(1, n, 2))))
    return t.b.add(even, odd)


def extadd_pairwise(src: ir.VectorType, signed: bool) -> Handler:
    def f(t: FunctionTranslator, a: ir.Value) -> ir.Value:
        return pairwise_sum(t, (t.b.sext if signed else t.b.zext)(a, widen(src)))
    return unary(src, f)


def avgr_u(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    wide = widen(a.type)
    one = ir.Constant(wide, [1] * a.type.count)
    s = t.b.add(t.b.add(t.b.zext(a, wide), t.b.zext(b, wide)), one)
    return t.b.trunc(t.b.lshr(s, one), a.type)


def q15mulr(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    """(a * b + 0x4000) >> 15, saturated (only -32768 * -32768 overflows)."""
    w = vec(8, I32T)
    p = t.b.mul(t.b.sext(a, w), t.b.sext(b, w))
    p = t.b.ashr(t.b.add(p, ir.Constant(w, [0x4000] * 8)), ir.Constant(w, [15] * 8))
    p = call(t, "llvm.smin.v8i32", w, [p, ir.Constant(w, [0x7FFF] * 8)])
    return t.b.trunc(p, I16X8)


def dot_i16x8(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    w = vec(8, I32T)
    return pairwise_sum(t, t.b.mul(t.b.sext(a, w), t.b.sext(b, w)))


def neg(t: FunctionTranslator, a: ir.Value) -> ir.Value:
    return t.b.sub(ir.Constant(a.type, None), a)


def iabs(t: FunctionTranslator, a: ir.Value) -> ir.Value:
    return call(t, f"llvm.abs.{sfx(a.type)}", a.type, [a, I1(0)])


def _int_lanes(ty: ir.VectorType, table: dict[int, Handler]) -> None:
    registry.update({op(k): v for k, v in table.items()})


_int_lanes(I8X16, {
    0x60: unary(I8X16, iabs), 0x61: unary(I8X16, neg), 0x62: unary(I8X16, intrinsic1("ctpop")),
    0x63: all_true(I8X16), 0x64: bitmask(I8X16),
    0x65: narrow(I16X8, True), 0x66: narrow(I16X8, False),
    0x6B: shift(I8X16, "shl"), 0x6C: shift(I8X16, "ashr"), 0x6D: shift(I8X16, "lshr"),
    0x6E: binary(I8X16, method("add")), 0x6F: binary(I8X16, intrinsic2("sadd.sat")),
    0x70: binary(I8X16, intrinsic2("uadd.sat")), 0x71: binary(I8X16, method("sub")),
    0x72: binary(I8X16, intrinsic2("ssub.sat")), 0x73: binary(I8X16, intrinsic2("usub.sat")),
    0x76: binary(I8X16, intrinsic2("smin")), 0x77: binary(I8X16, intrinsic2("umin")),
    0x78: binary(I8X16, intrinsic2("smax")), 0x79: binary(I8X16, intrinsic2("umax")),
    0x7B: binary(I8X16, avgr_u),
    0x7C: extadd_pairwise(I8X16, True), 0x7D: extadd_pairwise(I8X16, False),
    0x7E: extadd_pairwise(I16X8, True), 0x7F: extadd_pairwise(I16X8, False),
})
_int_lanes(I16X8, {
    0x80: unary(I16X8, iabs), 0x81: unary(I16X8, neg), 0x82: binary(I16X8, q15mulr),
    0x83: all_true(I16X8), 0x84: bitmask(I16X8),
    0x85: narrow(I32X4, True), 0x86: narrow(I32X4, False),
    0x87: extend(I8X16, False, True), 0x88: extend(I8X16, True, True),
    0x89: extend(I8X16, False, False), 0x8A: extend(I8X16, True, False),
    0x8B: shift(I16X8, "shl"), 0x8C: shift(I16X8, "ashr"), 0x8D: shift(I16X8, "lshr"),
    0x8E: binary(I16X8, method("add")), 0x8F: binary(I16X8, intrinsic2("sadd.sat")),
    0x90: binary(I16X8, intrinsic2("uadd.sat")), 0x91: binary(I16X8, method("sub")),
    0x92: binary(I16X8, intrinsic2("ssub.sat")), 0x93: binary(I16X8, intrinsic2("usub.sat")),
    0x95: binary(I16X8, method("mul")),
    0x96: binary(I16X8, intrinsic2("smin")), 0x97: binary(I16X8, intrinsic2("umin")),
    0x98: binary(I16X8, intrinsic2("smax")), 0x99: binary(I16X8, intrinsic2("umax")),
    0x9B: binary(I16X8, avgr_u),
    0x9C: extmul(I8X16, False, True), 0x9D: extmul(I8X16, True, True),
    0x9E: extmul(I8X16, False, False), 0x9F: extmul(I8X16, True, False),
    0x111: binary(I16X8, q15mulr),
})
_int_lanes(I32X4, {
    0xA0: unary(I32X4, iabs), 0xA1: unary(I32X4, neg),
    0xA3: all_true(I32X4), 0xA4: bitmask(I32X4),
    0xA7: extend(I16X8, False, True), 0xA8: extend(I16X8, True, True),
    0xA9: extend(I16X8, False, False), 0xAA: extend(I16X8, True, False),
    0xAB: shift(I32X4, "shl"), 0xAC: shift(I32X4, "ashr"), 0xAD: shift(I32X4, "lshr"),
    0xAE: binary(I32X4, method("add")), 0xB1: binary(I32X4, method("sub")),
    0xB5: binary(I32X4, method("mul")),
    0xB6: binary(I32X4, intrinsic2("smin")), 0xB7: binary(I32X4, intrinsic2("umin")),
    0xB8: binary(I32X4, intrinsic2("smax")), 0xB9: binary(I32X4, intrinsic2("umax")),
    0xBA: binary(I16X8, dot_i16x8),
    0xBC: extmul(I16X8, False, True), 0xBD: extmul(I16X8, True, True),
    0xBE: extmul(I16X8, False, False), 0xBF: extmul(I16X8, True, False),
})
_int_lanes(I64X2, {
    0xC0: unary(I64X2, iabs), 0xC1: unary(I64X2, neg),
    0xC3: all_true(I64X2), 0xC4: bitmask(I64X2),
    0xC7: extend(I32X4, False, True), 0xC8: extend(I32X4, True, True),
    0xC9: extend(I32X4, False, False), 0xCA: extend(I32X4, True, False),
    0xCB: shift(I64X2, "shl"), 0xCC: shift(I64X2, "ashr"), 0xCD: shift(I64X2, "lshr"),
    0xCE: binary(I64X2, method("add")), 0xD1: binary(I64X2, method("sub")),
    0xD5: binary(I64X2, method("mul")),
    0xDC: extmul(I32X4, False, True), 0xDD: extmul(I32X4, True, True),
    0xDE: extmul(I32X4, False, False), 0xDF: extmul(I32X4, True, False),
})


# --- float lanes --------------------------------------------------------------------------

def rounding(name: str) -> Callable[[FunctionTranslator, ir.Value], ir.Value]:
    return lambda t, a: canonicalize(t, call(t, f"llvm.{name}.{sfx(a.type)}", a.type, [a]))


def truncate(t: FunctionTranslator, a: ir.Value) -> ir.Value:
    """Float lanes rounded toward zero, as copysign(floor(|a|), a) (NaN stays NaN, -0.5 gives
    -0). Not ``llvm.trunc``: RVV's lowering of that (and of vector ``fpto[su]i``) is a
    conversion with a static round-towards-zero mode (``vfcvt.rtz.x.f.v``), which aborts
    QEMU 7.2 when it starts a translation block (docs/ARCHITECTURE.md, "SIMD"). ``floor``
    becomes ``fsrmi``, a conversion with the dynamic mode, ``fsrm``: that one is safe."""
    ty = a.type
    floor = call(t, f"llvm.floor.{sfx(ty)}", ty, [call(t, f"llvm.fabs.{sfx(ty)}", ty, [a])])
    return call(t, f"llvm.copysign.{sfx(ty)}", ty, [floor, a])


def trunc_lanes(t: FunctionTranslator, a: ir.Value) -> ir.Value:
    return canonicalize(t, truncate(t, a))


def pmin(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    return t.b.select(t.b.fcmp_ordered("<", b, a), b, a)


def pmax(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    return t.b.select(t.b.fcmp_ordered("<", a, b), b, a)


def _float_lanes(base: int, ty: ir.VectorType) -> None:
    """abs neg - sqrt add sub mul div min max pmin pmax at base, base+1, base+3 ..."""
    table: dict[int, Handler] = {
        0: unary(ty, intrinsic1("fabs")), 1: unary(ty, lambda t, a: t.b.fneg(a)),
        3: unary(ty, intrinsic1("sqrt")),
        4: binary(ty, method("fadd")), 5: binary(ty, method("fsub")),
        6: binary(ty, method("fmul")), 7: binary(ty, method("fdiv")),
        8: binary(ty, intrinsic2("minimum")), 9: binary(ty, intrinsic2("maximum")),
        10: binary(ty, pmin), 11: binary(ty, pmax),
    }
    registry.update({op(base + k): v for k, v in table.items()})


_float_lanes(0xE0, F32X4)
_float_lanes(0xEC, F64X2)
registry.update({
    op(0x67): unary(F32X4, rounding("ceil")), op(0x68): unary(F32X4, rounding("floor")),
    op(0x69): unary(F32X4, trunc_lanes), op(0x6A): unary(F32X4, rounding("roundeven")),
    op(0x74): unary(F64X2, rounding("ceil")), op(0x75): unary(F64X2, rounding("floor")),
    op(0x7A): unary(F64X2, trunc_lanes), op(0x94): unary(F64X2, rounding("roundeven")),
    # relaxed min/max: as the strict ones
    op(0x10D): binary(F32X4, intrinsic2("minimum")),
    op(0x10E): binary(F32X4, intrinsic2("maximum")),
    op(0x10F): binary(F64X2, intrinsic2("minimum")),
    op(0x110): binary(F64X2, intrinsic2("maximum")),
})


# --- conversions --------------------------------------------------------------------------

def trunc_sat(src: ir.VectorType, signed: bool) -> Handler:
    """Saturating float-to-i32 lanes (NaN is 0); from f64x2 the two high lanes are zero.
    Without ``fpto[su]i.sat``, whose RVV form (``vfcvt.rtz``, ``vfncvt.rtz``) aborts QEMU 7.2
    (`truncate`): NaN lanes become 0, `truncate` makes the lanes whole, a clamp in floats to
    bounds that both float types hold exactly (-2^31 or 0 .. 2^31 or 2^32) keeps them in
    i64's range, ``lrint`` to i64 is then exact in any rounding mode (RVV's dynamic-mode
    vfcvt.x.f.v, or vfwcvt.x.f.v from f32), and an integer clamp to i32's range and a
    narrowing finish."""
    lo, hi = (-(1 << 31), 1 << 31) if signed else (0, 1 << 32)
    imax = (1 << 31) - 1 if signed else (1 << 32) - 1

    def f(t: FunctionTranslator, a: ir.Value) -> ir.Value:
        b, n = t.b, src.count

        def fsplat(x: float) -> ir.Constant:
            return ir.Constant(src, [x] * n)
        a = b.select(b.fcmp_unordered("uno", a, a), fsplat(0.0), a)
        x = truncate(t, a)
        x = b.select(b.fcmp_ordered("<", x, fsplat(float(lo))), fsplat(float(lo)), x)
        x = b.select(b.fcmp_ordered(">", x, fsplat(float(hi))), fsplat(float(hi)), x)
        wide = call(t, f"llvm.lrint.v{n}i64.{sfx(src)}", vec(n, I64T), [x])
        wide = call(t, f"llvm.{'s' if signed else 'u'}min.v{n}i64", vec(n, I64T),
                    [wide, ir.Constant(vec(n, I64T), [imax] * n)])
        r = b.trunc(wide, vec(n, I32T))
        return r if n == 4 else concat(t, r, ir.Constant(r.type, None))
    return unary(src, f)


def convert_i32(dst: ir.VectorType, signed: bool) -> Handler:
    """i32 lanes to floats; to f64x2 from the two low lanes."""
    def f(t: FunctionTranslator, a: ir.Value) -> ir.Value:
        if dst.count == 2:
            a = half(t, a, False)
        return (t.b.sitofp if signed else t.b.uitofp)(a, dst)
    return unary(I32X4, f)


def demote(t: FunctionTranslator, a: ir.Value) -> ir.Value:
    r = canonicalize(t, t.b.fptrunc(a, vec(2, F32T)))
    return concat(t, r, ir.Constant(r.type, None))


def promote(t: FunctionTranslator, a: ir.Value) -> ir.Value:
    return canonicalize(t, t.b.fpext(half(t, a, False), F64X2))


def madd(negate: bool) -> Callable[[FunctionTranslator, ir.Value, ir.Value, ir.Value], ir.Value]:
    def f(t: FunctionTranslator, a: ir.Value, b: ir.Value, c: ir.Value) -> ir.Value:
        if negate:
            a = t.b.fneg(a)
        return call(t, f"llvm.fma.{sfx(a.type)}", a.type, [a, b, c])
    return f


def ternary(ty: ir.VectorType, f: Callable[..., ir.Value], cty: ir.VectorType | None = None
            ) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        c = pop_as(t, cty or ty)
        b = pop_as(t, ty)
        a = pop_as(t, ty)
        push_v(t, f(t, a, b, c))
    return emit


def dot_i7_i16(t: FunctionTranslator, a: ir.Value, b: ir.Value) -> ir.Value:
    """Relaxed i16x8 dot of i8 lanes: signed products, pairs summed with wrapping."""
    w = vec(16, I16)
    return pairwise_sum(t, t.b.mul(t.b.sext(a, w), t.b.sext(b, w)))


def dot_i7_add(t: FunctionTranslator, a: ir.Value, b: ir.Value, c: ir.Value) -> ir.Value:
    return t.b.add(pairwise_sum(t, t.b.sext(dot_i7_i16(t, a, b), vec(8, I32T))), c)


registry.update({
    op(0x5E): unary(F64X2, demote), op(0x5F): unary(F32X4, promote),
    op(0xF8): trunc_sat(F32X4, True), op(0xF9): trunc_sat(F32X4, False),
    op(0xFA): convert_i32(F32X4, True), op(0xFB): convert_i32(F32X4, False),
    op(0xFC): trunc_sat(F64X2, True), op(0xFD): trunc_sat(F64X2, False),
    op(0xFE): convert_i32(F64X2, True), op(0xFF): convert_i32(F64X2, False),
    op(0x101): trunc_sat(F32X4, True), op(0x102): trunc_sat(F32X4, False),
    op(0x103): trunc_sat(F64X2, True), op(0x104): trunc_sat(F64X2, False),
    op(0x105): ternary(F32X4, madd(False)), op(0x106): ternary(F32X4, madd(True)),
    op(0x107): ternary(F64X2, madd(False)), op(0x108): ternary(F64X2, madd(True)),
    op(0x112): binary(I8X16, dot_i7_i16),
    op(0x113): ternary(I8X16, dot_i7_add, I32X4),
})
