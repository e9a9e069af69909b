"""The runtime objects compiled code reaches through vmctx: global cells, the memory object,
tables and func objects. One place for their addresses and fields, so that the operators
(memory, tables, calls), segment initialisation and `P_init` read them the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from .env import (  # struct layouts: guest/abi.def
    I8,
    I64T,
    MEMORY_PAGES,
    PTR,
    TABLE_ELEMS,
    TABLE_SIZE,
    VMCTX_MEMORY,
)

if TYPE_CHECKING:
    from .lower import FunctionTranslator

PAGE_SIZE = 65536


def global_ptr(t: FunctionTranslator, index: int) -> ir.Value:
    """The cell of global `index` (defined or imported: the vmctx holds a pointer to it)."""
    return t.env.load_field(t.b, t.vmctx, t.env.global_slot_offset(index), PTR)


# --- memory ---------------------------------------------------------------------------------

def memory_pages(t: FunctionTranslator) -> ir.Value:
    """The memory's current size in pages (i64); memory.grow changes it, so not invariant."""
    mem = t.env.load_field(t.b, t.vmctx, VMCTX_MEMORY, PTR)
    return t.b.load(t.b.gep(mem, [I64T(MEMORY_PAGES)], source_etype=I8), typ=I64T)


def memory_bytes(t: FunctionTranslator) -> ir.Value:
    return t.b.mul(memory_pages(t), I64T(PAGE_SIZE))


# --- tables -------------------------------------------------------------------------------

def table_object(t: FunctionTranslator, index: int) -> ir.Value:
    return t.env.load_field(t.b, t.vmctx, t.env.table_slot_offset(index), PTR)


def table_field(t: FunctionTranslator, table: ir.Value, offset: int) -> ir.Value:
    ty = PTR if offset == TABLE_ELEMS else I64T
    return t.b.load(t.b.gep(table, [I64T(offset)], source_etype=I8), typ=ty)


def table_size(t: FunctionTranslator, table: ir.Value) -> ir.Value:
    return table_field(t, table, TABLE_SIZE)


def table_elem_ptr(t: FunctionTranslator, table: ir.Value, i: ir.Value) -> ir.Value:
    return t.b.gep(table_field(t, table, TABLE_ELEMS), [i], source_etype=I64T)


# --- func objects ---------------------------------------------------------------------------

def funcref(t: FunctionTranslator, index: int) -> ir.Value:
    """A funcref is the address of the function's func object in the vmctx."""
    ptr = t.b.gep(t.vmctx, [I64T(t.env.funcref_offset(index))], source_etype=I8)
    return t.b.ptrtoint(ptr, I64T)

