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
# The largest |c| of an `i32.add x, c` folded into an access's displacement
# (`scalar_address`): a 12-bit displacement's reach, well inside the low guard the kernel
# keeps below every memory (and the kernel's bound for a positive wrapped access, wrap.c).
FOLD_LIMIT = CONSTS["MEM_FOLD_LIMIT"]
# The section of the pcs of positive folded accesses (boot/image.ld gathers it).
FOLD_SECTION = "osb_fold"
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


def constant_addend(v: ir.Value) -> tuple[ir.Value, int] | None:
    """(x, c) when v is `i32.add x, c` or `i32.sub x, -c` with a constant c (as a signed
    32-bit number)."""
    if not isinstance(v, ir.Instruction) or v.opname not in ("add", "sub") or v.type != I32T:
        return None
    x, k = v.operands
    if not isinstance(k, ir.Constant) or not isinstance(k.constant, int):
        return None
    c = (k.constant if v.opname == "add" else -k.constant) & 0xFFFFFFFF
    return x, c - (1 << 32) if c >= 1 << 31 else c


def folded_displacement(addr: ir.Value) -> tuple[ir.Value, int] | None:
    """(x, c) with -FOLD_LIMIT <= c < FOLD_LIMIT when the wasm address is x + c mod 2^32 by a
    chain of constant adds (`i32.add x, c`, `i32.sub x, -c`). A negative c is clang's pattern
    for a field before a pointer (`p[-1]`, `b[j].x` off a pointer to the struct's end), since a
    memarg offset cannot be negative; a positive one its unrolled loops' `p + i + 1`, `+ 2`,
    `+ 3` (a memarg offset would promise that the add does not wrap, which C's pointer
    arithmetic does not). The chain is summed (mod 2^32, which is exact): `(p - 4) + 4` is p,
    c = 0, the same address (and pointer) as a plain access to p, as LLVM would have found
    for the unfolded form."""
    step = constant_addend(addr)
    if step is None:
        return None
    x, c = step
    root, total = x, c
    while (step := constant_addend(root)) is not None:
        root, k = step
        total = ((total + k + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)
    if -FOLD_LIMIT <= total < FOLD_LIMIT:
        return root, total
    return (x, c) if -FOLD_LIMIT <= c < FOLD_LIMIT else None


def address(t: FunctionTranslator, ins: Instr, size: int) -> ir.Value:
    """base + addr + offset for an access of `size` bytes to the memarg's memory. For a
    32-bit memory its 8 GiB reservation makes every result either mapped linear memory or a
    guard page, so no bounds check is emitted; a 64-bit memory is checked explicitly
    (`checked_address`). SIMD and atomic accesses use this; scalar loads and stores go
    through `scalar_address`, which also folds."""
    _align, offset, index = ins.imm  # type: ignore[misc]
    if memory64(t, index):
        ea = checked_address(t, t.pop(), offset, size, index)
    else:
        ea = t.b.zext(t.pop(), I64T)
        if offset:
            ea = t.b.add(ea, I64T(offset))
    return t.b.gep(memory_base(t, index), [ea], source_etype=I8)


def scalar_address(t: FunctionTranslator, ins: Instr, size: int) -> ir.Value:
    """The address of a scalar load or store, folding a constant added to the wasm address.

    An address `x + c` with -FOLD_LIMIT <= c < FOLD_LIMIT (c != 0) and memarg offset 0 is
    accessed at base + zext(x) + c, the 64-bit sum (LLVM puts c into the instruction's
    displacement), instead of base + zext(x + c mod 2^32). The two differ only when the
    32-bit add wraps:
    - c < 0 and x < -c: the access lands in the memory's low guard (MEM_LOW_GUARD bytes below
      its base), which nothing else reaches: the kernel knows it by its address alone.
    - c > 0 and x + c >= 2^32: it lands at base + 2^32 + W (W the wasm address), where an
      unfolded access whose 33-bit effective address zext(addr) + offset passes 2^32 also
      faults, and must trap. The kernel tells them apart by the pc: such an access goes
      through a pointer in address space 1 (LLVM can never merge it with an address space 0
      access: they differ in type) and records its pc in the `osb_fold` section
      (`mark_folded`, `jit/target.py` `mark_folded_accesses`).
    For a wrapped access the kernel (guest/wrap.c) traps "out of bounds" at W, or performs
    the access itself when W is in bounds (a 4 GiB memory for c < 0; any memory for c > 0)."""
    _align, offset, index = ins.imm  # type: ignore[misc]
    if memory64(t, index):
        return address(t, ins, size)
    addr = t.pop()
    folded = folded_displacement(addr) if not offset else None
    base = memory_base(t, index)
    if folded is None:
        ea = t.b.zext(addr, I64T)
        if offset:
            ea = t.b.add(ea, I64T(offset))
        return t.b.gep(base, [ea], source_etype=I8)
    x, c = folded
    if c > 0 and not worth_folding(t, addr):
        return t.b.gep(base, [t.b.zext(addr, I64T)], source_etype=I8)
    ea = t.b.zext(x, I64T)
    ptr = t.b.gep(base, [t.b.add(ea, I64T(c)) if c else ea], source_etype=I8)
    return t.b.addrspacecast(ptr, FOLDED_PTR) if c > 0 else ptr


def worth_folding(t: FunctionTranslator, addr: ir.Value) -> bool:
    """Whether to fold a positive constant of the wasm address `addr`. Folding wins an
    instruction per access, but the folded pointer base + zext(x) + c is no longer
    base + zext(addr), which LLVM can share with the other accesses to addr. So not when addr
    is kept in a local (`local.tee $p (i32.add $p (i32.const 4))` and a load from it, as
    clang's loops advance a pointer): its later uses address the same place unfolded. (From
    quicksort's partition in bench/programs/sort.c: 0.8% slower folded, 0.6% faster with this
    rule. Measured too and dropped: not folding `$q + 4` when $q was once set to `$p - 4`,
    which cost interp 1.1%.)"""
    return addr not in t.stored_values


# Pointers of positive folded accesses (`scalar_address`).
FOLDED_PTR = ir.PointerType(addrspace=1)


def mark_folded(t: FunctionTranslator, ptr: ir.Value, access: ir.Instruction) -> None:
    """Ask LLVM to record the pc of a positive folded access in the `osb_fold` section
    (`!pcsections`). jit/target.py marks again, after optimization, every address space 1
    access that lost the mark (LLVM drops unknown metadata when it merges instructions)."""
    if ptr.type != FOLDED_PTR:
        return
    env = t.env
    if env.fold_mark is None:
        env.fold_mark = env.llmod.add_metadata([ir.MetaDataString(env.llmod, FOLD_SECTION)])
    access.set_metadata("pcsections", env.fold_mark)


def byte_size(ty: ir.Type) -> int:
    """Bytes of a loaded or stored LLVM scalar type."""
    if isinstance(ty, ir.IntType):
        return ty.width // 8
    return 4 if ty == F32T else 8


@lower(*LOADS)
def load(t: FunctionTranslator, ins: Instr) -> None:
    lty, wty, ext = LOADS[ins.op]
    ptr = scalar_address(t, ins, byte_size(lty))
    val = volatile_load(t.b, ptr, lty, 1)
    mark_folded(t, ptr, val)
    if ext == "s":
        val = t.b.sext(val, LTYPE[wty])
    elif ext == "u":
        val = t.b.zext(val, LTYPE[wty])
    t.push(val)


@lower(*STORES)
def store(t: FunctionTranslator, ins: Instr) -> None:
    sty = STORES[ins.op]
    val = t.pop()
    ptr = scalar_address(t, ins, byte_size(sty))
    if isinstance(sty, ir.IntType) and sty.width < val.type.width:  # type: ignore[attr-defined]
        val = t.b.trunc(val, sty)
    mark_folded(t, ptr, volatile_store(t.b, val, ptr, 1))


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
