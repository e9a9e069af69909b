"""Numeric instructions: tables from opcode to a small handler.

Every entry is a handler of the one signature (jit/handlers.py): it takes the translator ``t``
(which owns the builder, the operand stack and the trap helper) and the instruction, and pushes
its result. Grouped by family so that an opcode's semantics can be read next to its
neighbours; the spec's exact behaviour (traps, NaN, -0.0, shift masking) is in the handlers,
not in the tables.
"""

from __future__ import annotations

import math
import re
import struct
from typing import TYPE_CHECKING

from . import ir
from .env import (
    F32T,
    F64T,
    I32T,
    I64T,
    TRAP_BAD_CONVERSION,
    TRAP_DIV_ZERO,
    TRAP_INT_OVERFLOW,
)
from .handlers import Handler, Registry
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()

BITS = {I32T: 32, I64T: 64}
FSUFFIX = {F32T: "f32", F64T: "f64"}


def _bool(t: FunctionTranslator, v: ir.Value) -> None:
    t.push(t.b.zext(v, I32T))


def literal_float(c: ir.Constant) -> float | None:
    """The value of a float literal made by `const_value` (a bitcast of its integer bits),
    or None for any other constant."""
    m = re.fullmatch(r"bitcast \(i(32|64) (-?\d+) to (float|double)\)", c.ref)
    if not m:
        return None
    bits, width = int(m[2]), int(m[1])
    fmt = "<f" if width == 32 else "<d"
    return float(struct.unpack(fmt, (bits % (1 << width)).to_bytes(width // 8, "little"))[0])


# --- integer ------------------------------------------------------------------------------

def _int_family(base: int, ty: ir.IntType) -> None:
    """Register clz..rotr and the comparisons of one integer type (same opcode order)."""
    bits = BITS[ty]
    suffix = f"i{bits}"

    def binop(name: str) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            rhs, lhs = t.pop(), t.pop()
            t.push(getattr(t.b, name)(lhs, rhs))
        return emit

    def shift(name: str) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            rhs, lhs = t.pop(), t.pop()
            t.push(getattr(t.b, name)(lhs, t.b.and_(rhs, ty(bits - 1))))
        return emit

    def funnel(name: str) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            rhs, lhs = t.pop(), t.pop()
            fn = t.env.intrinsic(f"llvm.{name}.{suffix}", ty, [ty, ty, ty])
            t.push(t.b.call(fn, [lhs, lhs, rhs]))
        return emit

    def count(name: str, with_flag: bool) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            v = t.pop()
            if with_flag:
                fn = t.env.intrinsic(f"llvm.{name}.{suffix}", ty, [ty, ir.IntType(1)])
                t.push(t.b.call(fn, [v, ir.IntType(1)(0)]))
            else:
                fn = t.env.intrinsic(f"llvm.{name}.{suffix}", ty, [ty])
                t.push(t.b.call(fn, [v]))
        return emit

    def div(signed: bool, rem: bool) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            rhs, lhs = t.pop(), t.pop()
            b = t.b
            t.trap_if(b.icmp_unsigned("==", rhs, ty(0)), TRAP_DIV_ZERO)
            if not signed:
                t.push(b.urem(lhs, rhs) if rem else b.udiv(lhs, rhs))
                return
            minus_one = b.icmp_signed("==", rhs, ty(-1))
            if rem:
                # INT_MIN % -1 is 0 in wasm but undefined in LLVM: divide by 1 instead.
                safe = b.select(minus_one, ty(1), rhs)
                t.push(b.srem(lhs, safe))
            else:
                int_min = ty(-(1 << (bits - 1)))
                t.trap_if(b.and_(minus_one, b.icmp_signed("==", lhs, int_min)),
                          TRAP_INT_OVERFLOW)
                t.push(b.sdiv(lhs, rhs))
        return emit

    eqz_op = base - (0x67 - 0x45) if bits == 32 else 0x50
    cmp_base = eqz_op + 1

    def eqz(t: FunctionTranslator, ins: Instr) -> None:
        _bool(t, t.b.icmp_unsigned("==", t.pop(), ty(0)))

    registry.add(eqz_op, eqz)
    for i, (kind, pred) in enumerate([
        ("u", "=="), ("u", "!="), ("s", "<"), ("u", "<"), ("s", ">"), ("u", ">"),
        ("s", "<="), ("u", "<="), ("s", ">="), ("u", ">="),
    ]):
        def cmp(t: FunctionTranslator, ins: Instr, kind: str = kind,
                pred: str = pred) -> None:
            rhs, lhs = t.pop(), t.pop()
            f = t.b.icmp_signed if kind == "s" else t.b.icmp_unsigned
            _bool(t, f(pred, lhs, rhs))
        registry.add(cmp_base + i, cmp)

    table: list[Handler] = [
        count("ctlz", True), count("cttz", True), count("ctpop", False),
        binop("add"), binop("sub"), binop("mul"),
        div(True, False), div(False, False), div(True, True), div(False, True),
        binop("and_"), binop("or_"), binop("xor"),
        shift("shl"), shift("ashr"), shift("lshr"), funnel("fshl"), funnel("fshr"),
    ]
    for i, emit in enumerate(table):
        registry.add(base + i, emit)


_int_family(0x67, I32T)
_int_family(0x79, I64T)


# --- float --------------------------------------------------------------------------------

def _float_family(cmp_base: int, base: int, ty: ir.Type) -> None:
    """Register comparisons (eq..ge) and abs..copysign of one float type."""
    sfx = FSUFFIX[ty]
    for i, pred in enumerate(["==", "!=", "<", ">", "<=", ">="]):
        def cmp(t: FunctionTranslator, ins: Instr, pred: str = pred) -> None:
            rhs, lhs = t.pop(), t.pop()
            # `ne` is true on NaN (unordered); the others are false on NaN (ordered).
            f = t.b.fcmp_unordered if pred == "!=" else t.b.fcmp_ordered
            _bool(t, f(pred, lhs, rhs))
        registry.add(cmp_base + i, cmp)

    def canonical(t: FunctionTranslator, v: ir.Value) -> ir.Value:
        """Quiet a signaling NaN result (an `fmin v, v` on RISC-V: one instruction). For
        results LLVM may have computed without an instruction that quiets: floor/ceil/trunc/
        nearest (lowered to return a NaN input unchanged), min/max (`minimum(x, x)` and
        `minimum(x, +inf)` fold to `x`) and arithmetic with an identity literal."""
        fn = t.env.intrinsic(f"llvm.canonicalize.{sfx}", ty, [ty])
        return t.b.call(fn, [v])

    def opaque(t: FunctionTranslator, v: ir.Value) -> ir.Value:
        """Hide an operand's value from LLVM's folds (`llvm.arithmetic.fence`: no instruction).
        LLVM assumes signaling NaNs need not be quieted, so once it proves an operand is 1.0,
        -1.0 or ±0.0 -- a local or block result set to it, a constant after unrolling -- it
        folds x*1, x/-1, x-0, -0-x ... to x or -x, in the optimizer and again in instruction
        selection, and an sNaN x comes out unquieted. Behind the fence the hardware
        instruction stays, and RISC-V arithmetic always returns the canonical NaN."""
        if isinstance(v, ir.Constant):
            return v
        fn = t.env.intrinsic(f"llvm.arithmetic.fence.{sfx}", ty, [ty])
        return t.b.call(fn, [v])

    def may_fold(v: ir.Value) -> bool:
        """A literal operand LLVM may fold the operation with: ±0, ±1, ±inf or a NaN (any
        constant whose value cannot be read back counts as one)."""
        if not isinstance(v, ir.Constant):
            return False
        c = literal_float(v)
        return c is None or c != c or abs(c) in (0.0, 1.0, math.inf)

    def unary(name: str, quiet: bool = False) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            fn = t.env.intrinsic(f"llvm.{name}.{sfx}", ty, [ty])
            v = t.b.call(fn, [t.pop()])
            t.push(canonical(t, v) if quiet else v)
        return emit

    def neg(t: FunctionTranslator, ins: Instr) -> None:
        t.push(t.b.fneg(t.pop()))

    def binop(name: str) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            rhs, lhs = t.pop(), t.pop()
            v = getattr(t.b, name)(opaque(t, lhs), opaque(t, rhs))
            if may_fold(lhs) or may_fold(rhs):
                v = canonical(t, v)  # a literal identity: cheaper to fold and quiet after
            t.push(v)
        return emit

    def binary_intrinsic(name: str, quiet: bool = False) -> Handler:
        def emit(t: FunctionTranslator, ins: Instr) -> None:
            rhs, lhs = t.pop(), t.pop()
            fn = t.env.intrinsic(f"llvm.{name}.{sfx}", ty, [ty, ty])
            v = t.b.call(fn, [lhs, rhs])
            t.push(canonical(t, v) if quiet else v)
        return emit

    table: list[Handler] = [
        unary("fabs"), neg, unary("ceil", True), unary("floor", True), unary("trunc", True),
        unary("roundeven", True), unary("sqrt"),
        binop("fadd"), binop("fsub"), binop("fmul"), binop("fdiv"),
        binary_intrinsic("minimum", True), binary_intrinsic("maximum", True),
        binary_intrinsic("copysign"),
    ]
    for i, emit in enumerate(table):
        registry.add(base + i, emit)


_float_family(0x5B, 0x8B, F32T)
_float_family(0x61, 0x99, F64T)


# --- conversions --------------------------------------------------------------------------

def _trunc(dst: ir.IntType, src: ir.Type, signed: bool) -> Handler:
    """Trapping float-to-int: NaN is an invalid conversion, out of range an overflow."""
    bits = BITS[dst]

    def emit(t: FunctionTranslator, ins: Instr) -> None:
        b = t.b
        x = t.pop()
        t.trap_if(b.fcmp_unordered("uno", x, x), TRAP_BAD_CONVERSION)
        fn = t.env.intrinsic(f"llvm.trunc.{FSUFFIX[src]}", src, [src])
        whole = b.call(fn, [x])
        if signed:
            lo, hi = -(2.0 ** (bits - 1)), 2.0 ** (bits - 1)
            ok = b.and_(b.fcmp_ordered(">=", whole, ir.Constant(src, lo)),
                        b.fcmp_ordered("<", whole, ir.Constant(src, hi)))
        else:
            ok = b.and_(b.fcmp_ordered(">", whole, ir.Constant(src, -1.0)),
                        b.fcmp_ordered("<", whole, ir.Constant(src, 2.0 ** bits)))
        t.trap_if(b.not_(ok), TRAP_INT_OVERFLOW)
        t.push(b.fptosi(x, dst) if signed else b.fptoui(x, dst))
    return emit


def _trunc_sat(dst: ir.IntType, src: ir.Type, signed: bool) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        name = f"llvm.fpto{'s' if signed else 'u'}i.sat.i{BITS[dst]}.{FSUFFIX[src]}"
        t.push(t.b.call(t.env.intrinsic(name, dst, [src]), [t.pop()]))
    return emit


def _cast(method: str, ty: ir.Type) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        t.push(getattr(t.b, method)(t.pop(), ty))
    return emit


CANONICAL_NAN = {F32T: (0x43, 0x7FC00000), F64T: (0x44, 0x7FF8000000000000)}


def _fconvert(method: str, ty: ir.Type) -> Handler:
    """promote/demote of an operand hidden behind `llvm.arithmetic.fence`: LLVM folds
    demote(promote(x)) to x, which would let a signaling NaN through unquieted; the
    conversion instruction itself (fcvt) quiets it, and makes any NaN the canonical one. A
    NaN literal becomes that canonical NaN here: LLVM's fold of the conversion would keep its
    sign and payload, so the result would depend on whether the operand was a literal
    (allowed, both are arithmetic NaNs, but wasmtime and the hardware give the canonical)."""
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        v = t.pop()
        if isinstance(v, ir.Constant):
            x = literal_float(v)
            if x is not None and math.isnan(x):
                t.push(const_value(*CANONICAL_NAN[ty]))
                return
        else:
            src = v.type
            fn = t.env.intrinsic(f"llvm.arithmetic.fence.{FSUFFIX[src]}", src, [src])
            v = t.b.call(fn, [v])
        t.push(getattr(t.b, method)(v, ty))
    return emit


def _sext_from(from_bits: int, ty: ir.IntType) -> Handler:
    def emit(t: FunctionTranslator, ins: Instr) -> None:
        t.push(t.b.sext(t.b.trunc(t.pop(), ir.IntType(from_bits)), ty))
    return emit


registry.update({
    0xA7: _cast("trunc", I32T),
    0xA8: _trunc(I32T, F32T, True), 0xA9: _trunc(I32T, F32T, False),
    0xAA: _trunc(I32T, F64T, True), 0xAB: _trunc(I32T, F64T, False),
    0xAC: _cast("sext", I64T), 0xAD: _cast("zext", I64T),
    0xAE: _trunc(I64T, F32T, True), 0xAF: _trunc(I64T, F32T, False),
    0xB0: _trunc(I64T, F64T, True), 0xB1: _trunc(I64T, F64T, False),
    0xB2: _cast("sitofp", F32T), 0xB3: _cast("uitofp", F32T),
    0xB4: _cast("sitofp", F32T), 0xB5: _cast("uitofp", F32T),
    0xB6: _fconvert("fptrunc", F32T),
    0xB7: _cast("sitofp", F64T), 0xB8: _cast("uitofp", F64T),
    0xB9: _cast("sitofp", F64T), 0xBA: _cast("uitofp", F64T),
    0xBB: _fconvert("fpext", F64T),
    0xBC: _cast("bitcast", I32T), 0xBD: _cast("bitcast", I64T),
    0xBE: _cast("bitcast", F32T), 0xBF: _cast("bitcast", F64T),
    0xC0: _sext_from(8, I32T), 0xC1: _sext_from(16, I32T),
    0xC2: _sext_from(8, I64T), 0xC3: _sext_from(16, I64T), 0xC4: _sext_from(32, I64T),
    0xFC00: _trunc_sat(I32T, F32T, True), 0xFC01: _trunc_sat(I32T, F32T, False),
    0xFC02: _trunc_sat(I32T, F64T, True), 0xFC03: _trunc_sat(I32T, F64T, False),
    0xFC04: _trunc_sat(I64T, F32T, True), 0xFC05: _trunc_sat(I64T, F32T, False),
    0xFC06: _trunc_sat(I64T, F64T, True), 0xFC07: _trunc_sat(I64T, F64T, False),
})


# --- constants ----------------------------------------------------------------------------

def const_value(op: int, imm: object) -> ir.Constant:
    """The LLVM constant of a *.const instruction; floats keep their exact bits (NaN payloads)."""
    if op == 0x41:
        return I32T(imm)
    if op == 0x42:
        return I64T(imm)
    if op == 0x43:
        return I32T(imm).bitcast(F32T)
    return I64T(imm).bitcast(F64T)


@registry.lower(0x41, 0x42, 0x43, 0x44)
def const(t: FunctionTranslator, ins: Instr) -> None:
    t.push(const_value(ins.op, ins.imm))
