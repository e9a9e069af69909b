"""Segment initialisation: data segments into memory, element segments into tables.

Written once for both users: the operators memory.init and table.init (jit/memory.py,
jit/tables.py) and `P_init` (jit/module.py), which applies the active segments in module order.
Each copy checks its whole range first (the spec checks a range before touching anything) and
then moves the items; a segment that has been dropped (data.drop, elem.drop, or applied by
`P_init`) has length 0, recorded in a flag byte of the vmctx.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from . import ir
from .copyloops import fill_helper, helper_function, memmove_helper
from .env import I8, I64T, PTR, TRAP_OOB_MEMORY, TRAP_OOB_TABLE, ModuleEnv, volatile_store
from .objects import (
    memory_base,
    memory_bytes,
    table_elem_ptr,
    table_object,
    table_size,
)

if TYPE_CHECKING:
    from .lower import FunctionTranslator


def _flag_ptr(t: FunctionTranslator, kind: str, index: int) -> ir.Value:
    return t.b.gep(t.vmctx, [I64T(t.env.dropped_offset(kind, index))], source_etype=I8)


def segment_length(t: FunctionTranslator, kind: str, index: int, length: int) -> ir.Value:
    """The segment's length, or 0 once it has been dropped."""
    dropped = t.b.icmp_unsigned("!=", t.b.load(_flag_ptr(t, kind, index), typ=I8), I8(0))
    return t.b.select(dropped, I64T(0), I64T(length))


def drop(t: FunctionTranslator, kind: str, index: int) -> None:
    """Mark element ("elem") or data segment `index` dropped."""
    volatile_store(t.b, I8(1), _flag_ptr(t, kind, index), 1)  # ordered before any later trap


def check_range(t: FunctionTranslator, start: ir.Value, n: ir.Value, limit: ir.Value,
                code: int, wide: bool) -> None:
    """Trap unless start + n <= limit (all i64). `wide`: the operands may be full 64-bit
    values (a 64-bit memory's), so the sum could overflow and the check is done as
    start <= limit and n <= limit - start; otherwise they came from i32s and the plain sum of
    `t.check_range` is exact."""
    if not wide:
        t.check_range(start, n, limit, code)
        return
    past = t.b.icmp_unsigned(">", start, limit)
    t.trap_if(t.b.or_(past, t.b.icmp_unsigned(">", n, t.b.sub(limit, start))), code)


def memory64(env: ModuleEnv, index: int = 0) -> bool:
    """Whether memory ``index`` has 64-bit addresses (memory64: i64 operands, explicit
    checks)."""
    return index < env.wasm.num_memories and env.wasm.memory_type(index).index64


def table64(env: ModuleEnv, index: int) -> bool:
    """Whether table ``index`` has 64-bit indices (table64: i64 operands)."""
    imported = env.wasm.imported("table")
    tt = imported[index].desc if index < len(imported) else env.wasm.tables[index - len(imported)]
    return tt.limits.index64  # type: ignore[attr-defined]


def as_u64(t: FunctionTranslator, value: ir.Value) -> ir.Value:
    """A constant offset (i32 of a 32-bit memory or table, i64 of a 64-bit one) as i64."""
    return value if value.type == I64T else t.b.zext(value, I64T)


# --- data segments --------------------------------------------------------------------------

def data_global(env: ModuleEnv, index: int) -> ir.GlobalVariable:
    """Data segment `index`'s bytes, a private constant of the module object."""
    name = f"{env.prefix}_data{index}"
    known: dict[str, ir.GlobalVariable] = env.__dict__.setdefault("_data_globals", {})
    if name in known:  # a dict, not a scan of the module's globals (quadratic in segments)
        return known[name]
    data = env.wasm.datas[index].data
    g = ir.GlobalVariable(env.llmod, ir.ArrayType(I8, len(data)), name=name)
    g.global_constant = True
    g.linkage = "private"
    g.initializer = ir.Constant(ir.ArrayType(I8, len(data)), bytearray(data))
    known[name] = g
    return g


def init_memory(t: FunctionTranslator, index: int, memory: int, dst: ir.Value, src: ir.Value,
                n: ir.Value) -> None:
    """Copy data segment `index` [src, src+n) to memory `memory` [dst, dst+n), spec-checked."""
    seg = t.env.wasm.datas[index]
    t.check_range(src, n, segment_length(t, "data", index, len(seg.data)), TRAP_OOB_MEMORY)
    check_range(t, dst, n, memory_bytes(t, memory), TRAP_OOB_MEMORY, memory64(t.env, memory))
    if seg.data:
        move = memmove_helper(t.env, I8, 1)
        to = t.b.gep(memory_base(t, memory), [dst], source_etype=I8)
        frm = t.b.gep(data_global(t.env, index), [src], source_etype=I8)
        t.b.call(move, [to, frm, n])


# --- element segments -----------------------------------------------------------------------

ITEMS_CHUNK = 1024  # element items per function evaluating a segment's items


def elem_parts(env: ModuleEnv, index: int) -> list[ir.Function]:
    """P_elem<k>_<c>(vmctx, u64 *out): evaluate element segment k's items [c*C, (c+1)*C) (C =
    ITEMS_CHUNK) into out[0..]. Item expressions (ref.func, ref.null, global.get) need a
    vmctx, hence functions; by parts, because one basic block of many stores costs LLVM time
    and memory growing faster than the items (20,000 items: 57 s, 1.2 GB)."""
    from .lower import translate_helper  # lower imports this module (through the families)

    known: dict[int, list[ir.Function]] = env.__dict__.setdefault("_elem_parts", {})
    if index in known:
        return known[index]
    items = env.wasm.elems[index].items
    parts = []
    for start in range(0, len(items), ITEMS_CHUNK):
        part, _ = helper_function(env, f"elem{index}_{start // ITEMS_CHUNK}", [PTR, PTR])
        stop = min(start + ITEMS_CHUNK, len(items))

        def body(t: FunctionTranslator, part: ir.Function = part, start: int = start,
                 stop: int = stop) -> None:
            for i in range(start, stop):
                value = t.eval_const(items[i])
                t.b.store(value, t.b.gep(part.args[1], [I64T(i - start)], source_etype=I64T))

        translate_helper(env, part, body)
        parts.append(part)
    known[index] = parts
    return parts


def elem_items_helper(env: ModuleEnv, index: int) -> ir.Function:
    """P_elem<k>(vmctx, u64 *out): all of element segment k's items into out[0..] (an active
    segment applied whole, straight into its table)."""
    from .lower import translate_helper

    parts = elem_parts(env, index)
    if len(parts) == 1:
        return parts[0]
    fn, new = helper_function(env, f"elem{index}", [PTR, PTR])
    if new:
        def call_parts(t: FunctionTranslator) -> None:
            for c, part in enumerate(parts):
                out = t.b.gep(fn.args[1], [I64T(c * ITEMS_CHUNK)], source_etype=I64T)
                t.b.call(part, [t.vmctx, out])

        translate_helper(env, fn, call_parts)
    return fn


def elem_init_helper(env: ModuleEnv, index: int) -> ir.Function:
    """P_eleminit<k>(vmctx, u64 *dst, src, n): element segment k's items [src, src+n) to dst
    (table.init, range checked by the caller), through a stack buffer of one part
    (ITEMS_CHUNK items, 8 KiB, within the user stack's margin below the limit compiled code
    checks): each part the range touches is evaluated into the buffer and its share moved. So
    any segment size works, in stack and time linear in n (plus one part at each end)."""
    fn, new = helper_function(env, f"eleminit{index}", [PTR, PTR, I64T, I64T])
    if not new:
        return fn
    parts = elem_parts(env, index)
    vmctx, dst, src, n = fn.args
    entry, loop, cont, done = (fn.append_basic_block(x) for x in ("entry", "loop", "cont", "done"))
    b = ir.IRBuilder(entry)
    buf = b.alloca(I64T, size=ITEMS_CHUNK)
    end = b.add(src, n)
    b.cbranch(b.icmp_unsigned("==", n, I64T(0)), done, loop)
    b.position_at_end(loop)
    i = b.phi(I64T)
    i.add_incoming(src, entry)
    chunk = b.udiv(i, I64T(ITEMS_CHUNK))
    bad = fn.append_basic_block("bad")  # src + n is checked against the segment's length
    ir.IRBuilder(bad).unreachable()
    switch = b.switch(chunk, bad)
    for c, part in enumerate(parts):
        case = fn.append_basic_block(f"part{c}")
        cb = ir.IRBuilder(case)
        cb.call(part, [vmctx, buf])
        cb.branch(cont)
        switch.add_case(I64T(c), case)
    b.position_at_end(cont)
    chunk_end = b.mul(b.add(chunk, I64T(1)), I64T(ITEMS_CHUNK))
    stop = b.select(b.icmp_unsigned("<", end, chunk_end), end, chunk_end)
    frm = b.gep(buf, [b.urem(i, I64T(ITEMS_CHUNK))], source_etype=I64T)
    to = b.gep(dst, [b.sub(i, src)], source_etype=I64T)
    b.call(memmove_helper(env, I64T, 8), [to, frm, b.sub(stop, i)])
    i.add_incoming(stop, cont)
    b.cbranch(b.icmp_unsigned("==", stop, end), done, loop)
    b.position_at_end(done)
    b.ret_void()
    return fn


# struct.new, struct.new_default, array.new, array.new_default, array.new_fixed,
# array.new_data, array.new_elem: an item expression with one of these makes a new object
# each time it is evaluated, so its segment is evaluated once, at instantiation.
ALLOCATING = frozenset(0xFB00 + sub for sub in (0, 1, 6, 7, 8, 9, 10))


def evaluated_once(env: ModuleEnv, index: int) -> bool:
    """Whether element segment `index` holds items that allocate (GC): a passive one keeps
    its evaluated items in a buffer made by `P_init` (vmctx `elemvals`), which table.init,
    array.new_elem and array.init_elem copy from. Other items (ref.func, ref.null, global.get,
    ref.i31, ...) give the same reference whenever evaluated, so they are evaluated where
    needed, part by part (`elem_init_helper`)."""
    return any(ins.op in ALLOCATING for item in env.wasm.elems[index].items for ins in item)


def elem_values(t: FunctionTranslator, index: int) -> ir.Value:
    """The address of item 0 of a passive segment evaluated once (see `evaluated_once`)."""
    buf = t.env.load_field(t.b, t.vmctx, t.env.layout["elemvals"] + 8 * index, PTR,
                           invariant=False)
    return t.b.gep(buf, [I64T(16)], source_etype=I8)


def copy_items(t: FunctionTranslator, seg_index: int, dst: ir.Value, src: ir.Value,
               n: ir.Value) -> None:
    """Items [src, src+n) of element segment `seg_index` to dst (u64 references), the range
    already checked against the segment's length."""
    if evaluated_once(t.env, seg_index):
        frm = t.b.gep(elem_values(t, seg_index), [src], source_etype=I64T)
        t.b.call(memmove_helper(t.env, I64T, 8), [dst, frm, n])
    else:
        t.b.call(elem_init_helper(t.env, seg_index), [t.vmctx, dst, src, n])


def init_table(t: FunctionTranslator, seg_index: int, table_index: int, dst: ir.Value,
               src: ir.Value, n: ir.Value, *, whole: bool = False) -> None:
    """Copy element segment `seg_index` [src, src+n) to the table [dst, dst+n), spec-checked.
    ``whole``: src is 0 and n the segment's length (an active segment applied by `P_init`), so
    the items are evaluated straight into the table; otherwise (table.init) part by part
    through a buffer of one part (a buffer of the segment's size exhausted the 1 MiB stack at
    about 130,000 items)."""
    seg = t.env.wasm.elems[seg_index]
    table = table_object(t, table_index)
    t.check_range(src, n, segment_length(t, "elem", seg_index, len(seg.items)), TRAP_OOB_TABLE)
    check_range(t, dst, n, table_size(t, table), TRAP_OOB_TABLE, table64(t.env, table_index))
    if seg.items and whole:
        t.b.call(elem_items_helper(t.env, seg_index), [t.vmctx, table_elem_ptr(t, table, dst)])
    elif seg.items:
        copy_items(t, seg_index, table_elem_ptr(t, table, dst), src, n)


# --- instantiation --------------------------------------------------------------------------

def active_steps(env: ModuleEnv) -> list[Callable[[FunctionTranslator], None]]:
    """`P_init`'s part, one step each (jit/module.py groups them into functions): tables with
    an initializer filled, then active element then data segments in module order, each
    applied whole and then dropped (declarative element segments are dropped too). A segment
    out of bounds traps, and what earlier segments wrote stays written (wasm 2.0)."""
    wasm = env.wasm
    nimported = len(wasm.imported("table"))

    def fill_table(t: FunctionTranslator, k: int) -> None:
        obj = table_object(t, nimported + k)  # 3.0: every element starts as the initializer
        value = t.eval_const(wasm.tables[k].init)  # type: ignore[arg-type]
        t.b.call(fill_helper(t.env, I64T, 8),
                 [table_elem_ptr(t, obj, I64T(0)), value, table_size(t, obj)])

    def elem_segment(t: FunctionTranslator, k: int) -> None:
        elem = wasm.elems[k]
        if elem.mode == "active":
            offset = as_u64(t, t.eval_const(elem.offset))  # type: ignore[arg-type]
            init_table(t, k, elem.table, offset, I64T(0), I64T(len(elem.items)), whole=True)
        drop(t, "elem", k)

    def evaluate_once(t: FunctionTranslator, k: int) -> None:
        from .gc import ARRAY_DATA, allocate  # gc lowers through this module's callers

        n = len(wasm.elems[k].items)
        buf = allocate(t, I64T(ARRAY_DATA + 8 * n))
        slot = t.b.gep(t.vmctx, [I64T(env.layout["elemvals"] + 8 * k)], source_etype=I8)
        t.b.store(buf, slot)
        t.b.call(elem_items_helper(t.env, k),
                 [t.vmctx, t.b.gep(t.b.inttoptr(buf, PTR), [I64T(ARRAY_DATA)],
                                   source_etype=I8)])

    def data_segment(t: FunctionTranslator, k: int) -> None:
        seg = wasm.datas[k]
        offset = as_u64(t, t.eval_const(seg.offset))  # type: ignore[arg-type]
        init_memory(t, k, seg.memory, offset, I64T(0), I64T(len(seg.data)))
        drop(t, "data", k)

    return ([partial(fill_table, k=k) for k, tb in enumerate(wasm.tables) if tb.init is not None]
            + [partial(evaluate_once, k=k) for k, e in enumerate(wasm.elems)
               if e.mode == "passive" and e.items and evaluated_once(env, k)]
            + [partial(elem_segment, k=k) for k, e in enumerate(wasm.elems)
               if e.mode != "passive"]
            + [partial(data_segment, k=k) for k, d in enumerate(wasm.datas)
               if d.mode == "active"])
