"""Module-level code generation: the functions the kernel calls into.

Besides one LLVM function per wasm function, a module object carries
- ``P_imp<N>``: for each imported function, a thunk that passes the arguments to the kernel
  (``osb_hostcall``) in a u64 slot array, the kernel's one calling shape;
- ``P_x<N>``: for each exported function (and the start function), an invoke shim that reads
  raw argument bits from the slot array, calls, and writes the results back;
- ``P_init``: func objects, global initializers, active element and data segments.
"""

from __future__ import annotations

from llvmlite import ir

from . import bulk
from .env import I8, I32T, I64T, LTYPE, PTR, VOID, ModuleEnv, type_id
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
    result = env.call(b, vmctx, index, args, inline=False)
    results = unpack_results(b, result, len(ft.results))
    for i, (v, t) in enumerate(zip(results, ft.results, strict=True)):
        b.store(to_bits(b, v, t), slot_ptr(b, slots, i))
    b.ret_void()
    return name


def init_funcrefs(env: ModuleEnv, t: FunctionTranslator) -> None:
    """Fill the func object {code, vmctx, type id} of every function; a funcref points at one.
    Imported functions take code and vmctx from their import slot."""
    b = t.b
    for index, fn in enumerate(env.funcs):
        ft = env.wasm.func_type(index)
        obj = b.gep(t.vmctx, [I64T(env.funcref_offset(index))], source_etype=I8)
        if index < env.wasm.num_imported_funcs:
            off = env.import_slot_offset(index)
            code = env.load_field(b, t.vmctx, off, I64T)
            vmctx = env.load_field(b, t.vmctx, off + 8, I64T)
        else:
            code, vmctx = b.ptrtoint(fn, I64T), b.ptrtoint(t.vmctx, I64T)
        for i, v in enumerate((code, vmctx, I64T(type_id(ft)))):
            b.store(v, b.gep(obj, [I64T(8 * i)], source_etype=I8))


def emit_init(env: ModuleEnv) -> str:
    """Func objects, globals, then active element and data segments in module order; a segment
    out of bounds traps (wasm 2.0 semantics: what earlier segments wrote stays written)."""
    wasm: Module = env.wasm
    name = f"{env.prefix}_init"
    fn = env.define(name, VOID, SLOTS_TYPE_ARGS)
    t = FunctionTranslator(env, fn, FuncType((), ()), ())
    func = t.open_function()
    init_funcrefs(env, t)
    nimp = wasm.num_imported_globals
    for i, g in enumerate(wasm.globals):
        value = t.eval_const(g.init)
        t.b.store(value, t.global_ptr(nimp + i))
    for k, elem in enumerate(wasm.elems):
        if elem.mode == "active":
            offset = t.b.zext(t.eval_const(elem.offset), I64T)  # type: ignore[arg-type]
            bulk.table_init_range(t, k, elem.table, offset, I64T(0), I64T(len(elem.items)))
        if elem.mode != "passive":
            bulk.mark_dropped(t, "elem", k)
    for k, seg in enumerate(wasm.datas):
        if seg.mode == "active":
            offset = t.b.zext(t.eval_const(seg.offset), I64T)  # type: ignore[arg-type]
            bulk.memory_init_range(t, k, offset, I64T(0), I64T(len(seg.data)))
            bulk.mark_dropped(t, "data", k)
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
    return {"shims": shims, "init": emit_init(env), "fuel": env.fuel}


__all__ = ["build"]
