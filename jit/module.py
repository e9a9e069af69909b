"""Module-level code generation: the functions the kernel calls into.

Besides one LLVM function per wasm function, a module object carries
- ``P_imp<N>``: for each imported function, a thunk that passes the arguments to the kernel
  (``osb_hostcall``) in a u64 slot array, the kernel's one calling shape;
- ``P_x<N>``: for each exported function (and the start function), an invoke shim that reads
  raw argument bits from the slot array, calls, and writes the results back;
- ``P_init``: global initializers and active data segments, in module order.
"""

from __future__ import annotations

from llvmlite import ir

from .env import (
    I8,
    I32T,
    I64T,
    LTYPE,
    MEMORY_PAGES,
    PTR,
    TRAP_OOB_MEMORY,
    VMCTX_MEMORY,
    VOID,
    ModuleEnv,
)
from .lower import FunctionTranslator
from .wasmtypes import F32, F64, I32, FuncType, Module

SLOTS_TYPE_ARGS = [PTR, PTR]


def to_bits(b: ir.IRBuilder, v: ir.Value, t: int) -> ir.Value:
    """A wasm value as the u64 slot holds it (i32/f32 zero-extended raw bits)."""
    if t == I32:
        return b.zext(v, I64T)
    if t == F32:
        return b.zext(b.bitcast(v, I32T), I64T)
    if t == F64:
        return b.bitcast(v, I64T)
    return v


def from_bits(b: ir.IRBuilder, v: ir.Value, t: int) -> ir.Value:
    if t == I32:
        return b.trunc(v, I32T)
    if t == F32:
        return b.bitcast(b.trunc(v, I32T), LTYPE[F32])
    if t == F64:
        return b.bitcast(v, LTYPE[F64])
    return v


def slot_ptr(b: ir.IRBuilder, slots: ir.Value, i: int) -> ir.Value:
    return b.gep(slots, [I64T(i)], source_etype=I64T)


def unpack_results(b: ir.IRBuilder, result: ir.Value, n: int) -> list[ir.Value]:
    if n == 0:
        return []
    if n == 1:
        return [result]
    return [b.extract_value(result, i) for i in range(n)]


def emit_import_thunk(env: ModuleEnv, index: int) -> None:
    fn = env.funcs[index]
    ft = env.wasm.func_type(index)
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    n = max(len(ft.params), len(ft.results), 1)
    slots = b.alloca(I64T, size=n)
    for i, t in enumerate(ft.params):
        b.store(to_bits(b, fn.args[1 + i], t), slot_ptr(b, slots, i))
    b.call(env.hostcall_fn, [fn.args[0], I64T(index), slots])
    vals = [from_bits(b, b.load(slot_ptr(b, slots, i), typ=I64T), t)
            for i, t in enumerate(ft.results)]
    if not vals:
        b.ret_void()
    elif len(vals) == 1:
        b.ret(vals[0])
    else:
        agg = ir.Constant(fn.function_type.return_type, ir.Undefined)
        for i, v in enumerate(vals):
            agg = b.insert_value(agg, v, i)
        b.ret(agg)


def emit_shim(env: ModuleEnv, index: int) -> str:
    name = f"{env.prefix}_x{index}"
    fn = env.define(name, VOID, SLOTS_TYPE_ARGS)
    ft = env.wasm.func_type(index)
    vmctx, slots = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    args = [from_bits(b, b.load(slot_ptr(b, slots, i), typ=I64T), t)
            for i, t in enumerate(ft.params)]
    result = env.call(b, vmctx, index, args)
    results = unpack_results(b, result, len(ft.results))
    for i, (v, t) in enumerate(zip(results, ft.results, strict=True)):
        b.store(to_bits(b, v, t), slot_ptr(b, slots, i))
    b.ret_void()
    return name


def emit_copy_helper(env: ModuleEnv) -> ir.Function:
    """A byte copy loop; "no-builtins" keeps LLVM from turning it into a libc memcpy call,
    which U-mode could not reach."""
    fn = env.define(f"{env.prefix}_copy", VOID, [PTR, PTR, I64T])
    fn.linkage = "internal"
    dst, src, n = fn.args
    entry = fn.append_basic_block("entry")
    loop, done = fn.append_basic_block("loop"), fn.append_basic_block("done")
    b = ir.IRBuilder(entry)
    b.cbranch(b.icmp_unsigned("==", n, I64T(0)), done, loop)
    b.position_at_end(loop)
    i = b.phi(I64T)
    i.add_incoming(I64T(0), entry)
    byte = b.load(b.gep(src, [i], source_etype=I8), typ=I8)
    b.store(byte, b.gep(dst, [i], source_etype=I8))
    nxt = b.add(i, I64T(1))
    i.add_incoming(nxt, loop)
    b.cbranch(b.icmp_unsigned("==", nxt, n), done, loop)
    b.position_at_end(done)
    b.ret_void()
    return fn


def emit_init(env: ModuleEnv) -> str:
    """Globals, then active data segments in order; a segment out of bounds traps (the spec's
    instantiation semantics: earlier segments stay written)."""
    wasm: Module = env.wasm
    name = f"{env.prefix}_init"
    fn = env.define(name, VOID, SLOTS_TYPE_ARGS)
    t = FunctionTranslator(env, fn, FuncType((), ()), ())
    func = t.open_function()
    nimp = wasm.num_imported_globals
    for i, g in enumerate(wasm.globals):
        value = t.eval_const(g.init)
        t.b.store(value, t.global_ptr(nimp + i))
    copy = None
    for k, seg in enumerate(wasm.datas):
        if seg.mode != "active":
            continue
        copy = copy or emit_copy_helper(env)
        offset = t.b.zext(t.eval_const(seg.offset), I64T)  # type: ignore[arg-type]
        end = t.b.add(offset, I64T(len(seg.data)))
        mem = env.load_field(t.b, t.vmctx, VMCTX_MEMORY, PTR)
        pages = t.b.load(t.b.gep(mem, [I64T(MEMORY_PAGES)], source_etype=I8), typ=I64T)
        size = t.b.mul(pages, I64T(65536))
        t.trap_if(t.b.icmp_unsigned(">", end, size), TRAP_OOB_MEMORY)
        if seg.data:
            data = ir.GlobalVariable(env.llmod, ir.ArrayType(I8, len(seg.data)),
                                     name=f"{env.prefix}_data{k}")
            data.global_constant = True
            data.linkage = "private"
            data.initializer = ir.Constant(ir.ArrayType(I8, len(seg.data)),
                                           bytearray(seg.data))
            dst = t.b.gep(t.mem_base(), [offset], source_etype=I8)
            t.b.call(copy, [dst, data, I64T(len(seg.data))])
    t.b.branch(func.end)
    func.reached = True
    t.finish_return(func)
    return name


def build(env: ModuleEnv) -> dict[str, object]:
    """Emit every function of the module; returns the symbols the manifest needs."""
    wasm = env.wasm
    nimp = wasm.num_imported_funcs
    for i in range(nimp):
        emit_import_thunk(env, i)
    for k, body in enumerate(wasm.bodies):
        index = nimp + k
        t = FunctionTranslator(env, env.funcs[index], wasm.func_type(index), body.locals)
        t.translate(body.code)
    shims: dict[int, str] = {}
    for e in wasm.exports:
        if e.kind == "func" and e.index not in shims:
            shims[e.index] = emit_shim(env, e.index)
    if wasm.start is not None and wasm.start not in shims:
        shims[wasm.start] = emit_shim(env, wasm.start)
    return {"shims": shims, "init": emit_init(env)}


__all__ = ["build"]
