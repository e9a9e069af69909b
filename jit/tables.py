"""Table and reference instructions: table.get/set/size/grow/fill/copy/init, elem.drop,
ref.null, ref.is_null, ref.func, ref.as_non_null.

A table is a struct osb_table {elems, size, max} that the vmctx points at (jit/objects.py); a
reference is a u64: 0 for null, the address of a func object for a funcref. Every access checks
its index or whole range first (trap "out of bounds table access").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import fuel, segments
from .copyloops import fill_helper, memmove_helper
from .env import I32T, I64T, TRAP_NULL_REFERENCE, TRAP_OOB_TABLE, volatile_store
from .handlers import Registry
from .objects import funcref, table_elem_ptr, table_object, table_size
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower


@lower(0x25)
def table_get(t: FunctionTranslator, ins: Instr) -> None:
    i = t.pop_u64()
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    t.check_range(i, I64T(1), table_size(t, table), TRAP_OOB_TABLE)
    t.push(t.b.load(table_elem_ptr(t, table, i), typ=I64T))


@lower(0x26)
def table_set(t: FunctionTranslator, ins: Instr) -> None:
    val, i = t.pop(), t.pop_u64()
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    t.check_range(i, I64T(1), table_size(t, table), TRAP_OOB_TABLE)
    volatile_store(t.b, val, table_elem_ptr(t, table, i), 8)  # ordered before any trap


@lower(0xFC10)
def table_size_op(t: FunctionTranslator, ins: Instr) -> None:
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    t.push(t.b.trunc(table_size(t, table), I32T))


@lower(0xFC0F)
def table_grow(t: FunctionTranslator, ins: Instr) -> None:
    n, init = t.pop_u64(), t.pop()
    old = t.b.call(t.env.tablegrow_fn, [t.vmctx, I64T(ins.imm), n, init])
    fuel.pay_grow(t, old, n)
    t.push(t.b.trunc(old, I32T))


@lower(0xFC11)
def table_fill(t: FunctionTranslator, ins: Instr) -> None:
    n, val, i = t.pop_u64(), t.pop(), t.pop_u64()
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    t.check_range(i, n, table_size(t, table), TRAP_OOB_TABLE)
    t.b.call(fill_helper(t.env, I64T, 8), [table_elem_ptr(t, table, i), val, n])
    fuel.pay_length(t, n)


@lower(0xFC0E)
def table_copy(t: FunctionTranslator, ins: Instr) -> None:
    dst_table, src_table = ins.imm  # type: ignore[misc]
    dst, src, n = t.pop_u64s(3)
    dt, st = table_object(t, dst_table), table_object(t, src_table)
    t.check_range(src, n, table_size(t, st), TRAP_OOB_TABLE)
    t.check_range(dst, n, table_size(t, dt), TRAP_OOB_TABLE)
    t.b.call(memmove_helper(t.env, I64T, 8),
             [table_elem_ptr(t, dt, dst), table_elem_ptr(t, st, src), n])
    fuel.pay_length(t, n)


@lower(0xFC0C)
def table_init(t: FunctionTranslator, ins: Instr) -> None:
    seg_index, table_index = ins.imm  # type: ignore[misc]
    dst, src, n = t.pop_u64s(3)
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
