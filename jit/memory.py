"""Memory instructions: loads, stores, memory.size/grow and bulk memory (memory.init/copy/fill,
data.drop).

Loads and stores of a 32-bit memory need no bounds check: the 8 GiB reservation behind every
memory makes any address they can form either mapped linear memory or a guard page; a scalar
access whose address is `x + c` with a small negative c folds c into its displacement, and the
low guard below the memory catches the case where the wasm add wraps (`address`). A 64-bit
memory (memory64) has i64 addresses and offsets that no reservation covers, so each access
compares its address against the current size first (`checked_address`). Bulk operations check
their whole range explicitly first, as the spec requires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from osbuild.abi import CONSTS

from . import fuel, ir, segments
from .copyloops import fill_helper, memmove_helper
from .env import (
    F32T,
    F64T,
    I8,
    I32T,
    I64T,
    LTYPE,
    TRAP_OOB_MEMORY,
    volatile_load,
    volatile_store,
)
from .handlers import Registry
from .objects import memory_base, memory_bytes, memory_pages
from .wasmtypes import F32, F64, I32, I64, Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
# The largest |c| of an `i32.add x, c` folded into an access's displacement (`address`): a
# 12-bit displacement's reach, well inside the low guard the kernel keeps below every memory.
FOLD_LIMIT = 2048
assert FOLD_LIMIT <= CONSTS["MEM_LOW_GUARD"]
lower = registry.lower

I16 = ir.IntType(16)
# (LLVM type loaded, wasm result type, extension) per load opcode.
LOADS: dict[int, tuple[ir.Type, int, str | None]] = {
    0x28: (I32T, I32, None), 0x29: (I64T, I64, None), 0x2A: (F32T, F32, None),
    0x2B: (F64T, F64, None), 0x2C: (I8, I32, "s"), 0x2D: (I8, I32, "u"), 0x2E: (I16, I32, "s"),
    0x2F: (I16, I32, "u"), 0x30: (I8, I64, "s"), 0x31: (I8, I64, "u"), 0x32: (I16, I64, "s"),
    0x33: (I16, I64, "u"), 0x34: (I32T, I64, "s"), 0x35: (I32T, I64, "u"),
}
# LLVM type stored per store opcode (values are truncated to it first).
STORES: dict[int, ir.Type] = {
    0x36: I32T, 0x37: I64T, 0x38: F32T, 0x39: F64T,
    0x3A: I8, 0x3B: I16, 0x3C: I8, 0x3D: I16, 0x3E: I32T,
}


def memory64(t: FunctionTranslator, index: int = 0) -> bool:
    """Whether memory ``index`` has 64-bit addresses (its operands are i64, not i32)."""
    return segments.memory64(t.env, index)


def pop_address(t: FunctionTranslator, index: int = 0) -> ir.Value:
    """An address or length operand of memory ``index`` as i64 (an i32 is zero-extended)."""
    return t.pop() if memory64(t, index) else t.pop_u64()


def checked_address(t: FunctionTranslator, addr: ir.Value, offset: int, size: int,
                    index: int = 0) -> ir.Value:
    """addr + offset for a 64-bit memory, trapping unless [addr + offset, + size) lies below
    the current size: addr > bytes - (offset + size), computed without overflow (an offset
    near 2^64 can never be in bounds)."""
    need = offset + size
    if need >= 1 << 64:
        t.trap_if(ir.Constant(ir.IntType(1), 1), TRAP_OOB_MEMORY)
        return addr
    size_bytes = memory_bytes(t, index)
    short = t.b.icmp_unsigned("<", size_bytes, I64T(need))
    beyond = t.b.icmp_unsigned(">", addr, t.b.sub(size_bytes, I64T(need)))
    t.trap_if(t.b.or_(short, beyond), TRAP_OOB_MEMORY)
    return t.b.add(addr, I64T(offset)) if offset else addr


def folded_displacement(addr: ir.Value) -> tuple[ir.Value, int] | None:
    """(x, c) when the wasm address is `i32.add x, c` (or `i32.sub x, -c`) with
    -FOLD_LIMIT <= c < 0: clang's pattern for a field before a pointer (`p[-1]`, `b[j].x` off
    a pointer to the struct's end), since a memarg offset cannot be negative."""
    if not isinstance(addr, ir.Instruction) or addr.opname not in ("add", "sub") \
            or addr.type != I32T:
        return None
    x, k = addr.operands
    if not isinstance(k, ir.Constant) or not isinstance(k.constant, int):
        return None
    c = (k.constant if addr.opname == "add" else -k.constant) & 0xFFFFFFFF
    c = c - (1 << 32) if c >= 1 << 31 else c
    return (x, c) if -FOLD_LIMIT <= c < 0 else None


def address(t: FunctionTranslator, ins: Instr, size: int, fold: bool = False) -> ir.Value:
    """base + addr + offset for an access of `size` bytes to the memarg's memory. For a
    32-bit memory its 8 GiB reservation makes every result either mapped linear memory or a
    guard page, so no bounds check is emitted; a 64-bit memory is checked explicitly
    (`checked_address`).

    Address folding: an address `x + c` with a small negative constant c and memarg offset 0
    becomes base + zext(x) + sext(c), which LLVM puts into the access's displacement, instead
    of base + zext(x + c mod 2^32). The two differ only when x < -c (the wasm add wraps): then
    the access lands in the memory's low guard (MEM_LOW_GUARD bytes below its base, never
    mapped), and the kernel traps "out of bounds" or, for a memory of nearly 4 GiB where the
    wrapped address is in bounds, performs the access itself (guest/wrap.c). A positive c cannot
    be folded this way: its wrap lands at base + 2^32 + ..., which zext(addr) + offset may
    reach legitimately and must trap there. Only the scalar loads and stores ask for it
    (`fold`): the kernel's slow path decodes those instructions and no others."""
    _align, offset, index = ins.imm  # type: ignore[misc]
    if memory64(t, index):
        ea = checked_address(t, t.pop(), offset, size, index)
    else:
        addr = t.pop()
        folded = folded_displacement(addr) if fold and not offset else None
        if folded is not None:
            x, c = folded
            ea = t.b.add(t.b.zext(x, I64T), I64T(c))
        else:
            ea = t.b.zext(addr, I64T)
            if offset:
                ea = t.b.add(ea, I64T(offset))
    return t.b.gep(memory_base(t, index), [ea], source_etype=I8)


def byte_size(ty: ir.Type) -> int:
    """Bytes of a loaded or stored LLVM scalar type."""
    if isinstance(ty, ir.IntType):
        return ty.width // 8
    return 4 if ty == F32T else 8


@lower(*LOADS)
def load(t: FunctionTranslator, ins: Instr) -> None:
    lty, wty, ext = LOADS[ins.op]
    ptr = address(t, ins, byte_size(lty), fold=True)
    val = volatile_load(t.b, ptr, lty, 1)
    if ext == "s":
        val = t.b.sext(val, LTYPE[wty])
    elif ext == "u":
        val = t.b.zext(val, LTYPE[wty])
    t.push(val)


@lower(*STORES)
def store(t: FunctionTranslator, ins: Instr) -> None:
    sty = STORES[ins.op]
    val = t.pop()
    ptr = address(t, ins, byte_size(sty), fold=True)
    if isinstance(sty, ir.IntType) and sty.width < val.type.width:  # type: ignore[attr-defined]
        val = t.b.trunc(val, sty)
    volatile_store(t.b, val, ptr, 1)


@lower(0x3F)
def memory_size(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    pages = memory_pages(t, index)
    t.push(pages if memory64(t, index) else t.b.trunc(pages, I32T))


@lower(0x40)
def memory_grow(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    delta = pop_address(t, index)
    old = t.b.call(t.env.memgrow_fn, [t.vmctx, delta, I64T(index)])
    fuel.pay_grow(t, old, delta)
    t.push(old if memory64(t, index) else t.b.trunc(old, I32T))


@lower(0xFC08)
def memory_init(t: FunctionTranslator, ins: Instr) -> None:
    segment, index = ins.imm  # type: ignore[misc]
    src, n = t.pop_u64s(2)  # offset and length in the segment: i32 for every memory
    dst = pop_address(t, index)
    segments.init_memory(t, segment, index, dst, src, n)
    fuel.pay_length(t, n)


@lower(0xFC09)
def data_drop(t: FunctionTranslator, ins: Instr) -> None:
    segments.drop(t, "data", ins.imm)  # type: ignore[arg-type]


@lower(0xFC0A)
def memory_copy(t: FunctionTranslator, ins: Instr) -> None:
    """Between two memories (multi-memory) or within one; the length is i64 only when both
    memories are 64-bit."""
    to, frm = ins.imm  # type: ignore[misc]
    wide = memory64(t, to) or memory64(t, frm)
    n = t.pop() if memory64(t, to) and memory64(t, frm) else t.pop_u64()
    src, dst = pop_address(t, frm), pop_address(t, to)
    segments.check_range(t, src, n, memory_bytes(t, frm), TRAP_OOB_MEMORY, wide)
    segments.check_range(t, dst, n, memory_bytes(t, to), TRAP_OOB_MEMORY, wide)
    t.b.call(memmove_helper(t.env, I8, 1),
             [t.b.gep(memory_base(t, to), [dst], source_etype=I8),
              t.b.gep(memory_base(t, frm), [src], source_etype=I8), n])
    fuel.pay_length(t, n)


@lower(0xFC0B)
def memory_fill(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    n, val, dst = pop_address(t, index), t.pop(), pop_address(t, index)
    segments.check_range(t, dst, n, memory_bytes(t, index), TRAP_OOB_MEMORY,
                         memory64(t, index))
    to = t.b.gep(memory_base(t, index), [dst], source_etype=I8)
    t.b.call(fill_helper(t.env, I8, 1), [to, t.b.trunc(val, I8), n])
    fuel.pay_length(t, n)
