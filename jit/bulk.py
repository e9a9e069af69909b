"""Bulk memory, tables and references: memory.copy/fill/init, data.drop, table.get/set/size/
grow/fill/copy/init, elem.drop, ref.func and call_indirect.

Bounds checks here are explicit (the spec checks a whole range before touching anything), the
copy loops are small internal helpers of the module object marked "no-builtins", so that LLVM
never turns them into calls to a libc that U-mode cannot reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from .env import (
    I8,
    I32T,
    I64T,
    MEMORY_PAGES,
    PTR,
    TRAP_OOB_MEMORY,
    TRAP_OOB_TABLE,
    TRAP_SIGNATURE,
    TRAP_UNDEFINED_ELEMENT,
    TRAP_UNINITIALIZED_ELEMENT,
    VMCTX_MEMORY,
    VOID,
    ModuleEnv,
    fn_type,
    type_id,
    volatile_store,
)
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

TABLE_ELEMS, TABLE_SIZE = 0, 8  # struct osb_table { u64 elems; u64 size; u64 max; }


# --- helper functions emitted once per module ---------------------------------------------

def _helper(env: ModuleEnv, name: str, args: list[ir.Type]) -> tuple[ir.Function, bool]:
    full = f"{env.prefix}_{name}"
    for fn in env.llmod.functions:
        if fn.name == full:
            return fn, False
    fn = env.define(full, VOID, args)
    fn.linkage = "internal"
    return fn, True


def _counted_loop(fn: ir.Function, n: ir.Value, body: object, backwards: bool = False) -> None:
    """for i in range(n) (or reversed): body(builder, i); then return."""
    entry = fn.append_basic_block("entry")
    loop, done = fn.append_basic_block("loop"), fn.append_basic_block("done")
    b = ir.IRBuilder(entry)
    b.cbranch(b.icmp_unsigned("==", n, I64T(0)), done, loop)
    b.position_at_end(loop)
    k = b.phi(I64T)
    k.add_incoming(I64T(0), entry)
    i = b.sub(b.sub(n, I64T(1)), k) if backwards else k
    body(b, i)  # type: ignore[operator]
    nxt = b.add(k, I64T(1))
    k.add_incoming(nxt, b.block)
    b.cbranch(b.icmp_unsigned("==", nxt, n), done, loop)
    b.position_at_end(done)
    b.ret_void()


def memmove_helper(env: ModuleEnv, elem: ir.Type, size: int) -> ir.Function:
    """move(dst, src, count) of ``elem``-typed items with memmove's overlap semantics."""
    fn, new = _helper(env, f"move{size}", [PTR, PTR, I64T])
    if not new:
        return fn
    dst, src, n = fn.args
    entry = fn.append_basic_block("entry")
    fwd_fn, bwd_fn = fn.append_basic_block("fwd"), fn.append_basic_block("bwd")
    b = ir.IRBuilder(entry)
    b.cbranch(b.icmp_unsigned("<=", b.ptrtoint(dst, I64T), b.ptrtoint(src, I64T)),
              fwd_fn, bwd_fn)

    def copy(bb: ir.IRBuilder, i: ir.Value) -> None:
        v = bb.load(bb.gep(src, [i], source_etype=elem), typ=elem, align=1)
        bb.store(v, bb.gep(dst, [i], source_etype=elem), align=1)

    for block, backwards in ((fwd_fn, False), (bwd_fn, True)):
        loop, done = fn.append_basic_block("loop"), fn.append_basic_block("done")
        bb = ir.IRBuilder(block)
        bb.cbranch(bb.icmp_unsigned("==", n, I64T(0)), done, loop)
        bb.position_at_end(loop)
        k = bb.phi(I64T)
        k.add_incoming(I64T(0), block)
        copy(bb, bb.sub(bb.sub(n, I64T(1)), k) if backwards else k)
        nxt = bb.add(k, I64T(1))
        k.add_incoming(nxt, loop)
        bb.cbranch(bb.icmp_unsigned("==", nxt, n), done, loop)
        bb.position_at_end(done)
        bb.ret_void()
    return fn


def fill_helper(env: ModuleEnv, elem: ir.Type, size: int) -> ir.Function:
    """fill(dst, value, count) of ``elem``-typed items."""
    fn, new = _helper(env, f"fill{size}", [PTR, elem, I64T])
    if new:
        dst, val, n = fn.args
        _counted_loop(fn, n, lambda b, i: b.store(val, b.gep(dst, [i], source_etype=elem),
                                                  align=1))
    return fn


# --- range checks -------------------------------------------------------------------------

def check_range(t: FunctionTranslator, start: ir.Value, n: ir.Value, limit: ir.Value,
                code: int) -> None:
    """Trap unless start + n <= limit (all i64, no overflow: start and n are zero-extended)."""
    t.trap_if(t.b.icmp_unsigned(">", t.b.add(start, n), limit), code)


def memory_bytes(t: FunctionTranslator) -> ir.Value:
    mem = t.env.load_field(t.b, t.vmctx, VMCTX_MEMORY, PTR)
    pages = t.b.load(t.b.gep(mem, [I64T(MEMORY_PAGES)], source_etype=I8), typ=I64T)
    return t.b.mul(pages, I64T(65536))


def pop_u64(t: FunctionTranslator) -> ir.Value:
    return t.b.zext(t.pop(), I64T)


def segment_length(t: FunctionTranslator, kind: str, index: int, length: int) -> ir.Value:
    """The segment's length, or 0 once it has been dropped."""
    flag_ptr = t.b.gep(t.vmctx, [I64T(t.env.dropped_offset(kind, index))], source_etype=I8)
    dropped = t.b.icmp_unsigned("!=", t.b.load(flag_ptr, typ=I8), I8(0))
    return t.b.select(dropped, I64T(0), I64T(length))


def mark_dropped(t: FunctionTranslator, kind: str, index: int) -> None:
    flag_ptr = t.b.gep(t.vmctx, [I64T(t.env.dropped_offset(kind, index))], source_etype=I8)
    volatile_store(t.b, I8(1), flag_ptr, 1)  # ordered before any later trap


# --- memory -------------------------------------------------------------------------------

def data_global(env: ModuleEnv, index: int) -> ir.GlobalVariable:
    name = f"{env.prefix}_data{index}"
    for g in env.llmod.global_values:
        if g.name == name:
            return g  # type: ignore[return-value]
    data = env.wasm.datas[index].data
    g = ir.GlobalVariable(env.llmod, ir.ArrayType(I8, len(data)), name=name)
    g.global_constant = True
    g.linkage = "private"
    g.initializer = ir.Constant(ir.ArrayType(I8, len(data)), bytearray(data))
    return g


def memory_init_range(t: FunctionTranslator, index: int, dst: ir.Value, src: ir.Value,
                      n: ir.Value) -> None:
    """Copy data segment ``index`` [src, src+n) to memory [dst, dst+n), spec-checked."""
    seg = t.env.wasm.datas[index]
    check_range(t, src, n, segment_length(t, "data", index, len(seg.data)), TRAP_OOB_MEMORY)
    check_range(t, dst, n, memory_bytes(t), TRAP_OOB_MEMORY)
    if seg.data:
        move = memmove_helper(t.env, I8, 1)
        to = t.b.gep(t.mem_base(), [dst], source_etype=I8)
        frm = t.b.gep(data_global(t.env, index), [src], source_etype=I8)
        t.b.call(move, [to, frm, n])
    pay_length(t, n)


def pay_length(t: FunctionTranslator, n: ir.Value) -> None:
    """Fuel: a bulk operation costs its length (bytes or elements), charged after it has
    been done, as in wasmtime (jit/fuel.py)."""
    if t.fuel is not None:
        t.fuel.pay_length(n)


def pay_grow(t: FunctionTranslator, old: ir.Value, n: ir.Value) -> None:
    """Fuel: a grow costs its delta (when it succeeds, unless the delta is a small constant:
    jit/fuel.py)."""
    if t.fuel is not None:
        t.fuel.pay_length(n, ok=t.b.icmp_signed("!=", old, I64T(-1)))


def op_memory_init(t: FunctionTranslator, ins: Instr) -> None:
    n, src, dst = pop_u64(t), pop_u64(t), pop_u64(t)
    memory_init_range(t, ins.imm, dst, src, n)  # type: ignore[arg-type]


def op_data_drop(t: FunctionTranslator, ins: Instr) -> None:
    mark_dropped(t, "data", ins.imm)  # type: ignore[arg-type]


def op_memory_copy(t: FunctionTranslator, ins: Instr) -> None:
    n, src, dst = pop_u64(t), pop_u64(t), pop_u64(t)
    size = memory_bytes(t)
    check_range(t, src, n, size, TRAP_OOB_MEMORY)
    check_range(t, dst, n, size, TRAP_OOB_MEMORY)
    base = t.mem_base()
    t.b.call(memmove_helper(t.env, I8, 1), [t.b.gep(base, [dst], source_etype=I8),
                                            t.b.gep(base, [src], source_etype=I8), n])
    pay_length(t, n)


def op_memory_fill(t: FunctionTranslator, ins: Instr) -> None:
    n, val, dst = pop_u64(t), t.pop(), pop_u64(t)
    check_range(t, dst, n, memory_bytes(t), TRAP_OOB_MEMORY)
    to = t.b.gep(t.mem_base(), [dst], source_etype=I8)
    t.b.call(fill_helper(t.env, I8, 1), [to, t.b.trunc(val, I8), n])
    pay_length(t, n)


# --- tables -------------------------------------------------------------------------------

def table_object(t: FunctionTranslator, index: int) -> ir.Value:
    return t.env.load_field(t.b, t.vmctx, t.env.table_slot_offset(index), PTR)


def table_field(t: FunctionTranslator, table: ir.Value, offset: int) -> ir.Value:
    ty = I64T if offset else PTR
    return t.b.load(t.b.gep(table, [I64T(offset)], source_etype=I8), typ=ty)


def table_elem_ptr(t: FunctionTranslator, table: ir.Value, i: ir.Value) -> ir.Value:
    return t.b.gep(table_field(t, table, TABLE_ELEMS), [i], source_etype=I64T)


def op_table_get(t: FunctionTranslator, ins: Instr) -> None:
    i = pop_u64(t)
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    check_range(t, i, I64T(1), table_field(t, table, TABLE_SIZE), TRAP_OOB_TABLE)
    t.push(t.b.load(table_elem_ptr(t, table, i), typ=I64T))


def op_table_set(t: FunctionTranslator, ins: Instr) -> None:
    val, i = t.pop(), pop_u64(t)
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    check_range(t, i, I64T(1), table_field(t, table, TABLE_SIZE), TRAP_OOB_TABLE)
    volatile_store(t.b, val, table_elem_ptr(t, table, i), 8)  # ordered before any trap


def op_table_size(t: FunctionTranslator, ins: Instr) -> None:
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    t.push(t.b.trunc(table_field(t, table, TABLE_SIZE), I32T))


def op_table_grow(t: FunctionTranslator, ins: Instr) -> None:
    n, init = pop_u64(t), t.pop()
    old = t.b.call(t.env.tablegrow_fn, [t.vmctx, I64T(ins.imm), n, init])
    pay_grow(t, old, n)
    t.push(t.b.trunc(old, I32T))


def op_table_fill(t: FunctionTranslator, ins: Instr) -> None:
    n, val, i = pop_u64(t), t.pop(), pop_u64(t)
    table = table_object(t, ins.imm)  # type: ignore[arg-type]
    check_range(t, i, n, table_field(t, table, TABLE_SIZE), TRAP_OOB_TABLE)
    t.b.call(fill_helper(t.env, I64T, 8), [table_elem_ptr(t, table, i), val, n])
    pay_length(t, n)


def op_table_copy(t: FunctionTranslator, ins: Instr) -> None:
    dst_table, src_table = ins.imm  # type: ignore[misc]
    n, src, dst = pop_u64(t), pop_u64(t), pop_u64(t)
    dt, st = table_object(t, dst_table), table_object(t, src_table)
    check_range(t, src, n, table_field(t, st, TABLE_SIZE), TRAP_OOB_TABLE)
    check_range(t, dst, n, table_field(t, dt, TABLE_SIZE), TRAP_OOB_TABLE)
    t.b.call(memmove_helper(t.env, I64T, 8),
             [table_elem_ptr(t, dt, dst), table_elem_ptr(t, st, src), n])
    pay_length(t, n)


def elem_items_helper(env: ModuleEnv, index: int) -> ir.Function:
    """P_elem<k>(vmctx, u64 *out): evaluates element segment k's item expressions."""
    from .lower import FunctionTranslator
    from .wasmtypes import FuncType

    fn, new = _helper(env, f"elem{index}", [PTR, PTR])
    if not new:
        return fn
    seg = env.wasm.elems[index]
    tr = FunctionTranslator(env, fn, FuncType((), ()), ())
    frame = tr.open_function()
    out = fn.args[1]
    for i, expr in enumerate(seg.items):
        value = tr.eval_const(expr)
        tr.b.store(value, tr.b.gep(out, [I64T(i)], source_etype=I64T))
    tr.b.branch(frame.end)
    frame.reached = True
    tr.finish_return(frame)
    return fn


def table_init_range(t: FunctionTranslator, seg_index: int, table_index: int, dst: ir.Value,
                     src: ir.Value, n: ir.Value) -> None:
    seg = t.env.wasm.elems[seg_index]
    table = table_object(t, table_index)
    check_range(t, src, n, segment_length(t, "elem", seg_index, len(seg.items)), TRAP_OOB_TABLE)
    check_range(t, dst, n, table_field(t, table, TABLE_SIZE), TRAP_OOB_TABLE)
    if seg.items:
        buf = t.entry_b.alloca(I64T, size=len(seg.items))
        t.b.call(elem_items_helper(t.env, seg_index), [t.vmctx, buf])
        t.b.call(memmove_helper(t.env, I64T, 8),
                 [table_elem_ptr(t, table, dst), t.b.gep(buf, [src], source_etype=I64T), n])
    pay_length(t, n)


def op_table_init(t: FunctionTranslator, ins: Instr) -> None:
    seg_index, table_index = ins.imm  # type: ignore[misc]
    n, src, dst = pop_u64(t), pop_u64(t), pop_u64(t)
    table_init_range(t, seg_index, table_index, dst, src, n)


def op_elem_drop(t: FunctionTranslator, ins: Instr) -> None:
    mark_dropped(t, "elem", ins.imm)  # type: ignore[arg-type]


# --- references and indirect calls ----------------------------------------------------------

def funcref(t: FunctionTranslator, index: int) -> ir.Value:
    ptr = t.b.gep(t.vmctx, [I64T(t.env.funcref_offset(index))], source_etype=I8)
    return t.b.ptrtoint(ptr, I64T)


def op_ref_func(t: FunctionTranslator, ins: Instr) -> None:
    t.push(funcref(t, ins.imm))  # type: ignore[arg-type]


def op_call_indirect(t: FunctionTranslator, ins: Instr) -> None:
    type_index, table_index = ins.imm  # type: ignore[misc]
    ft = t.env.wasm.types[type_index]
    i = pop_u64(t)
    args = t.popn(len(ft.params))
    table = table_object(t, table_index)
    check_range(t, i, I64T(1), table_field(t, table, TABLE_SIZE), TRAP_UNDEFINED_ELEMENT)
    ref = t.b.load(table_elem_ptr(t, table, i), typ=I64T)
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), TRAP_UNINITIALIZED_ELEMENT)
    obj = t.b.inttoptr(ref, PTR)
    tid = t.b.load(t.b.gep(obj, [I64T(16)], source_etype=I8), typ=I64T)
    t.trap_if(t.b.icmp_unsigned("!=", tid, I64T(type_id(ft))), TRAP_SIGNATURE)
    fnty = fn_type(ft)
    code = t.b.load(obj, typ=fnty.as_pointer())
    callee_vmctx = t.b.load(t.b.gep(obj, [I64T(8)], source_etype=I8), typ=PTR)
    t.push_results(t.b.call(code, [callee_vmctx, *args]), len(ft.results))


HANDLERS = {
    0x11: op_call_indirect, 0x25: op_table_get, 0x26: op_table_set, 0xD2: op_ref_func,
    0xFC08: op_memory_init, 0xFC09: op_data_drop, 0xFC0A: op_memory_copy,
    0xFC0B: op_memory_fill, 0xFC0C: op_table_init, 0xFC0D: op_elem_drop,
    0xFC0E: op_table_copy, 0xFC0F: op_table_grow, 0xFC10: op_table_size, 0xFC11: op_table_fill,
}
