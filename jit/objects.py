"""The runtime objects compiled code reaches through vmctx: global cells, the memory object,
tables and func objects. One place for their addresses and fields, so that the operators
(memory, tables, calls), segment initialisation and `P_init` read them the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ir
from .env import (  # struct layouts: guest/abi.def
    I8,
    I64T,
    MEMORY_BASE,
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

def memory_object(t: FunctionTranslator, index: int = 0) -> ir.Value:
    """Memory ``index``'s struct memory (memory 0's pointer is in the vmctx header, every
    memory's in the per-module `memories` area); set at instantiation, so invariant."""
    offset = VMCTX_MEMORY if index == 0 else t.env.memory_slot_offset(index)
    return t.env.load_field(t.b, t.vmctx, offset, PTR)


def memory_pages(t: FunctionTranslator, index: int = 0) -> ir.Value:
    """The memory's current size in pages (i64); memory.grow changes it, so not invariant."""
    mem = memory_object(t, index)
    return t.b.load(t.b.gep(mem, [I64T(MEMORY_PAGES)], source_etype=I8), typ=I64T)


def memory_bytes(t: FunctionTranslator, index: int = 0) -> ir.Value:
    return t.b.mul(memory_pages(t, index), I64T(PAGE_SIZE))


def memory_base(t: FunctionTranslator, index: int = 0) -> ir.Value:
    """Where memory ``index``'s reservation starts. It never moves, so memory 0's is the
    vmctx header's `mem_base` and another memory's is loaded once, in the entry block."""
    if index == 0:
        return t.mem_base()
    cache: dict[int, ir.Value] = t.__dict__.setdefault("_memory_bases", {})
    if index not in cache:
        b = t.entry_b
        mem = t.env.load_field(b, t.vmctx, t.env.memory_slot_offset(index), PTR)
        base = b.load(b.gep(mem, [I64T(MEMORY_BASE)], source_etype=I8), typ=PTR)
        base.set_metadata("invariant.load", t.env.invariant)
        cache[index] = base
    return cache[index]


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

