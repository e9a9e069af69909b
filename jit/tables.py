"""Table and reference instructions: table.get/set/size/grow/fill/copy/init, elem.drop,
ref.null, ref.is_null, ref.func, ref.as_non_null.

A table is a struct osb_table {elems, size, max} that the vmctx points at (jit/objects.py); a
reference is a u64: 0 for null, the address of a func object for a funcref. Every access checks
its index or whole range first (trap "out of bounds table access").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import fuel, ir, segments
from .copyloops import fill_helper, memmove_helper
from .env import I32T, I64T, TRAP_NULL_REFERENCE, TRAP_OOB_TABLE, volatile_store
from .handlers import Registry
from .objects import funcref, table_elem_ptr, table_object, table_size
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower


def is64(t: FunctionTranslator, table: int) -> bool:
    """Whether the table has 64-bit indices (table64): its index and length operands are i64
    and checked without assuming a sum cannot overflow."""
    return segments.table64(t.env, table)


def pop_index(t: FunctionTranslator, table: int) -> ir.Value:
    """An index or length operand of the table as i64 (an i32 is zero-extended)."""
    return t.pop() if is64(t, table) else t.pop_u64()


def check(t: FunctionTranslator, table: int, start: ir.Value, n: ir.Value,
          size: ir.Value, code: int = TRAP_OOB_TABLE) -> None:
    segments.check_range(t, start, n, size, code, is64(t, table))


@lower(0x25)
def table_get(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    i = pop_index(t, index)
    table = table_object(t, index)
    check(t, index, i, I64T(1), table_size(t, table))
    t.push(t.b.load(table_elem_ptr(t, table, i), typ=I64T))


@lower(0x26)
def table_set(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    val, i = t.pop(), pop_index(t, index)
    table = table_object(t, index)
    check(t, index, i, I64T(1), table_size(t, table))
    volatile_store(t.b, val, table_elem_ptr(t, table, i), 8)  # ordered before any trap


@lower(0xFC10)
def table_size_op(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    size = table_size(t, table_object(t, index))
    t.push(size if is64(t, index) else t.b.trunc(size, I32T))


@lower(0xFC0F)
def table_grow(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    n, init = pop_index(t, index), t.pop()
    old = t.b.call(t.env.tablegrow_fn, [t.vmctx, I64T(index), n, init])
    fuel.pay_grow(t, old, n)
    t.push(old if is64(t, index) else t.b.trunc(old, I32T))


@lower(0xFC11)
def table_fill(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    n, val, i = pop_index(t, index), t.pop(), pop_index(t, index)
    table = table_object(t, index)
    check(t, index, i, n, table_size(t, table))
    t.b.call(fill_helper(t.env, I64T, 8), [table_elem_ptr(t, table, i), val, n])
    fuel.pay_length(t, n)


@lower(0xFC0E)
def table_copy(t: FunctionTranslator, ins: Instr) -> None:
    """The length is i64 only when both tables are 64-bit (table64)."""
    dst_table, src_table = ins.imm  # type: ignore[misc]
    both64 = is64(t, dst_table) and is64(t, src_table)
    n = t.pop() if both64 else t.pop_u64()
    src, dst = pop_index(t, src_table), pop_index(t, dst_table)
    wide = is64(t, dst_table) or is64(t, src_table)
    dt, st = table_object(t, dst_table), table_object(t, src_table)
    segments.check_range(t, src, n, table_size(t, st), TRAP_OOB_TABLE, wide)
    segments.check_range(t, dst, n, table_size(t, dt), TRAP_OOB_TABLE, wide)
    t.b.call(memmove_helper(t.env, I64T, 8),
             [table_elem_ptr(t, dt, dst), table_elem_ptr(t, st, src), n])
    fuel.pay_length(t, n)


@lower(0xFC0C)
def table_init(t: FunctionTranslator, ins: Instr) -> None:
    seg_index, table_index = ins.imm  # type: ignore[misc]
    src, n = t.pop_u64s(2)  # offset and length in the segment: i32 for every table
    dst = pop_index(t, table_index)
    segments.init_table(t, seg_index, table_index, dst, src, n)
    fuel.pay_length(t, n)


@lower(0xFC0D)
def elem_drop(t: FunctionTranslator, ins: Instr) -> None:
    segments.drop(t, "elem", ins.imm)  # type: ignore[arg-type]


@lower(0xD0)
def ref_null(t: FunctionTranslator, ins: Instr) -> None:
    t.push(I64T(0))


@lower(0xD1)
def ref_is_null(t: FunctionTranslator, ins: Instr) -> None:
    t.push(t.b.zext(t.b.icmp_unsigned("==", t.pop(), I64T(0)), I32T))


@lower(0xD2)
def ref_func(t: FunctionTranslator, ins: Instr) -> None:
    t.push(funcref(t, ins.imm))  # type: ignore[arg-type]


@lower(0xD4)
def ref_as_non_null(t: FunctionTranslator, ins: Instr) -> None:
    t.trap_if(t.b.icmp_unsigned("==", t.stack[-1], I64T(0)), TRAP_NULL_REFERENCE)
