"""Module-level code generation: the functions the kernel calls into.

Besides one LLVM function per wasm function, a module object carries
- ``P_imp<N>``: for each imported function, a thunk that passes the arguments to the kernel
  (``osb_hostcall``) in a u64 slot array, the kernel's one calling shape;
- ``P_x<N>``: for each exported function (and the start function), an invoke shim that reads
  raw argument bits from the slot array, calls, and writes the results back;
- ``P_init``: func objects, global initializers, active element and data segments (applied by
  jit/segments.py, the code memory.init and table.init use too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from . import callconv, ir, segments
from .env import (
    FUNC_CODE,
    FUNC_RTT,
    FUNC_TYPE_ID,
    FUNC_VMCTX,
    I8,
    I32T,
    I64T,
    LTYPE,
    PTR,
    V128T,
    VOID,
    ModuleEnv,
    make_frameless,
    type_id,
)
from .lower import FunctionTranslator, frameless, translate_helper
from .objects import global_ptr
from .wasmtypes import F32, F64, I32, V128, Body, Module

# The section of wasm function bodies (boot/image.ld collects it first in the user text).
WASM_CODE_SECTION = ".text.osbwasm"
# Frameless leaf functions (jit/lower.py `frameless`): the image's linker script gathers them
# between ``__wasm_leaf_start`` and ``__wasm_leaf_end``, inside the wasm code range, where the
# kernel's backtrace walk finds their caller in ra (guest/trap.c).
WASM_LEAF_SECTION = ".text.osbleaf"

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


def slot_indices(types: tuple[int, ...]) -> list[int]:
    """The first u64 slot of each value: a v128 takes two (low half first, guest/run.c)."""
    out, n = [], 0
    for t in types:
        out.append(n)
        n += 2 if t == V128 else 1
    return out


def load_slot(b: ir.IRBuilder, slots: ir.Value, i: int, t: int) -> ir.Value:
    if t == V128:
        return b.load(slot_ptr(b, slots, i), typ=V128T, align=8)
    return from_bits(b, b.load(slot_ptr(b, slots, i), typ=I64T), t)


def store_slot(b: ir.IRBuilder, slots: ir.Value, i: int, v: ir.Value, t: int) -> None:
    if t == V128:
        b.store(v, slot_ptr(b, slots, i), align=8)
    else:
        b.store(to_bits(b, v, t), slot_ptr(b, slots, i))


def emit_import_thunk(env: ModuleEnv, index: int) -> None:
    fn = env.func(index)
    ft = env.wasm.func_type(index)
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    pslots, rslots = slot_indices(ft.params), slot_indices(ft.results)
    n = max(len(ft.params), len(ft.results), 1) * 2
    c = callconv.conv(ft)
    spill = env.spill(b, fn.args[0]) if c.uses_spill else None  # the caller's store's
    params = callconv.entry_params(b, c, spill, list(fn.args[1:]), [LTYPE[t] for t in ft.params])
    slots = b.alloca(I64T, size=n)
    for i, t in enumerate(ft.params):
        store_slot(b, slots, pslots[i], params[i], t)
    b.call(env.hostcall_fn, [fn.args[0], I64T(index), slots])
    callconv.emit_return(b, c, spill, [load_slot(b, slots, rslots[i], t)
                                       for i, t in enumerate(ft.results)])


def shim_name(prefix: str, index: int) -> str:
    return f"{prefix}_x{index}"


def emit_shim(env: ModuleEnv, index: int) -> str:
    name = shim_name(env.prefix, index)
    fn = env.define(name, VOID, SLOTS_TYPE_ARGS)
    ft = env.wasm.func_type(index)
    vmctx, slots = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    pslots, rslots = slot_indices(ft.params), slot_indices(ft.results)
    args = [load_slot(b, slots, pslots[i], t) for i, t in enumerate(ft.params)]
    results = env.call(b, vmctx, index, args, inline=False)
    for i, (v, t) in enumerate(zip(results, ft.results, strict=True)):
        store_slot(b, slots, rslots[i], v, t)
    b.ret_void()
    return name


def init_funcref(env: ModuleEnv, t: FunctionTranslator, index: int, nimported: int) -> None:
    """Fill function ``index``'s func object {code, vmctx, type id, RTT}; a funcref points at
    one.
    Imported functions take code and vmctx from their import slot."""
    b = t.b
    fn = env.func(index)
    ft = env.wasm.func_type(index)
    obj = b.gep(t.vmctx, [I64T(env.funcref_offset(index))], source_etype=I8)
    if index < nimported:
        off = env.import_slot_offset(index)
        code = env.load_field(b, t.vmctx, off, I64T)
        vmctx = env.load_field(b, t.vmctx, off + 8, I64T)
    else:
        code, vmctx = b.ptrtoint(fn, I64T), b.ptrtoint(t.vmctx, I64T)
    from .gc import rtt  # gc needs the translator, which needs this module's callers

    for field, v in ((FUNC_CODE, code), (FUNC_VMCTX, vmctx),
                     (FUNC_TYPE_ID, I64T(type_id(ft))),
                     (FUNC_RTT, rtt(t, env.wasm.func_type_index(index)))):
        b.store(v, b.gep(obj, [I64T(field)], source_etype=I8))


# Steps (a func object, a global, a segment) per function of `P_init`: LLVM's instruction
# selection takes time growing faster than linearly with the memory operations of one basic
# block (2,000 globals in one block took 30 s to compile), so a large module's
# initialisation is split into functions `P_init<k>` of this many steps, called in order.
INIT_CHUNK = 256

# Work per module-level object (jit/units.py compiles each part as an LLVM module of its own,
# so the main process never holds the IR of a whole large module's initialisation): a part
# holds at most this many init steps, counting an import thunk or an invoke shim as
# PART_CALL_WEIGHT steps (a thunk or shim is a function of its own, ~8 times the code).
PART_STEPS = 16 * INIT_CHUNK
PART_CALL_WEIGHT = 8

Step = Callable[[FunctionTranslator], None]


class InitSteps:
    """The steps of `P_init` in order: func objects, globals, then active element and data
    segments in module order. Indexed lazily (a step is made when its part is emitted), so
    that a module of 50,000 functions needs no list of 50,000 closures."""

    def __init__(self, env: ModuleEnv) -> None:
        self.env = env
        self.nfuncs = env.nfuncs
        self.nglobals = len(env.wasm.globals)
        self.segments = segments.active_steps(env)

    def __len__(self) -> int:
        return self.nfuncs + self.nglobals + len(self.segments)

    def __getitem__(self, k: int) -> Step:
        env = self.env
        if k < self.nfuncs:
            nimported = env.wasm.num_imported_funcs
            return partial(lambda t, i: init_funcref(env, t, i, nimported), i=k)
        k -= self.nfuncs
        if k < self.nglobals:
            nimp = env.wasm.num_imported_globals

            def init_global(t: FunctionTranslator, i: int) -> None:
                t.b.store(t.eval_const(env.wasm.globals[i].init), global_ptr(t, nimp + i))

            return partial(init_global, i=k)
        return self.segments[k - self.nglobals]


def init_steps(env: ModuleEnv) -> InitSteps:
    """Func objects, globals, then active element and data segments in module order."""
    return InitSteps(env)


def _run(steps: InitSteps, start: int, stop: int) -> Step:
    def body(t: FunctionTranslator) -> None:
        for k in range(start, stop):
            steps[k](t)
    return body


def init_part(env: ModuleEnv, k: int) -> ir.Function:
    """`P_init<k>`, declared (or defined) once per LLVM module: a part of `P_init` may be
    defined in another module-level object than the `P_init` that calls it."""
    known: dict[int, ir.Function] = env.__dict__.setdefault("_init_parts", {})
    if k not in known:
        known[k] = env.define(f"{env.prefix}_init{k}", VOID, SLOTS_TYPE_ARGS)
    return known[k]


def init_name(prefix: str) -> str:
    return f"{prefix}_init"


def emit_init(env: ModuleEnv) -> str:
    """`P_init`: the steps of `init_steps`; a segment out of bounds traps (wasm 2.0
    semantics: what earlier segments wrote stays written). More than INIT_CHUNK steps go into
    functions `P_init<k>` (`emit_init_parts`, possibly in other objects) that `P_init` calls
    in order."""
    name = init_name(env.prefix)
    steps = init_steps(env)
    if len(steps) <= INIT_CHUNK:
        translate_helper(env, env.define(name, VOID, SLOTS_TYPE_ARGS), _run(steps, 0, len(steps)))
        return name
    parts = [init_part(env, k) for k in range(-(-len(steps) // INIT_CHUNK))]

    def call_parts(t: FunctionTranslator) -> None:
        for part in parts:
            t.b.call(part, [t.vmctx, ir.Constant(PTR, None)])

    translate_helper(env, env.define(name, VOID, SLOTS_TYPE_ARGS), call_parts)
    return name


def emit_init_parts(env: ModuleEnv, chunks: range) -> None:
    """Define `P_init<k>` for each k in ``chunks`` (INIT_CHUNK steps each)."""
    steps = init_steps(env)
    for k in chunks:
        start = k * INIT_CHUNK
        translate_helper(env, init_part(env, k), _run(steps, start, min(start + INIT_CHUNK,
                                                                          len(steps))))


@dataclass(frozen=True)
class Part:
    """What one module-level object defines (see PART_STEPS)."""

    thunks: range  # imported functions whose thunk `P_imp<N>` it defines
    shims: tuple[int, ...]  # functions whose invoke shim `P_x<N>` it defines
    chunks: range  # the `P_init<k>` it defines
    init: bool  # it defines `P_init` (the first part)


def shim_functions(wasm: Module) -> list[int]:
    """The functions that get an invoke shim: the exported ones, then the start function."""
    out: dict[int, None] = {}
    for e in wasm.exports:
        if e.kind == "func":
            out[e.index] = None
    if wasm.start is not None:
        out[wasm.start] = None
    return list(out)


def level_symbols(wasm: Module, prefix: str, fuel: bool) -> dict[str, object]:
    """The module-level symbols the manifest needs, known without building anything: the
    invoke shim of each function that has one, `P_init`, and whether fuel is metered."""
    return {"shims": {i: shim_name(prefix, i) for i in shim_functions(wasm)},
            "init": init_name(prefix), "fuel": fuel}


def module_level_parts(env: ModuleEnv) -> list[Part]:
    """The module-level unit split into parts of bounded work (one part for a module whose
    initialisation fits in `P_init` alone, as most do)."""
    nsteps = len(init_steps(env))
    nchunks = 0 if nsteps <= INIT_CHUNK else -(-nsteps // INIT_CHUNK)
    calls: list[tuple[str, int]] = [("thunk", i) for i in range(env.wasm.num_imported_funcs)]
    calls += [("shim", i) for i in shim_functions(env.wasm)]
    per_part_calls = PART_STEPS // PART_CALL_WEIGHT
    per_part_chunks = PART_STEPS // INIT_CHUNK
    parts: list[Part] = []
    for start in range(0, max(len(calls), 1), per_part_calls):
        group = calls[start:start + per_part_calls]
        thunks = [i for kind, i in group if kind == "thunk"]
        parts.append(Part(range(thunks[0], thunks[-1] + 1) if thunks else range(0),
                          tuple(i for kind, i in group if kind == "shim"), range(0),
                          init=not parts))
    for start in range(0, nchunks, per_part_chunks):
        parts.append(Part(range(0), (), range(start, min(start + per_part_chunks, nchunks)),
                          init=False))
    return parts


def emit_part(env: ModuleEnv, part: Part) -> dict[str, object]:
    """Emit one part of the module-level unit into ``env``; returns the symbols the manifest
    needs that it defines (``shims``; ``init`` from the first part)."""
    for i in part.thunks:
        emit_import_thunk(env, i)
    shims = {i: emit_shim(env, i) for i in part.shims}
    symbols: dict[str, object] = {"shims": shims, "fuel": env.fuel}
    if part.init:
        symbols["init"] = emit_init(env)
    emit_init_parts(env, part.chunks)
    return symbols


def emit_function(env: ModuleEnv, index: int, body: Body) -> None:
    """Define wasm function ``index`` (``P_f<N>``) from its decoded body, in the section the
    image's linker script gathers between ``__wasm_code_start`` and ``__wasm_code_end``: the
    kernel delivers an asynchronous "interrupt" only at a pc in that range (guest/trap.c)."""
    fn = env.func(index)
    fn.section = WASM_CODE_SECTION
    t = FunctionTranslator(env, fn, env.wasm.func_type(index), body.locals)
    t.translate(body.code, body.offset)
    if frameless(t):
        make_frameless(fn)
        fn.section = WASM_LEAF_SECTION


def emit_module_level(env: ModuleEnv) -> dict[str, object]:
    """The whole module-level unit in one LLVM module: import thunks, invoke shims and
    ``P_init``; returns the symbols the manifest needs. The wasm functions are other units
    (jit/units.py), which compiles the module level by parts (`module_level_parts`)."""
    symbols: dict[str, object] = {"shims": {}, "fuel": env.fuel}
    for part in module_level_parts(env):
        got = emit_part(env, part)
        symbols["shims"].update(got.pop("shims"))  # type: ignore[attr-defined]
        symbols.update(got)
    return symbols


def build(env: ModuleEnv) -> dict[str, object]:
    """Emit every function of the module into one LLVM module (a single compilation unit)."""
    nimp = env.wasm.num_imported_funcs
    for k, body in enumerate(env.wasm.bodies):
        emit_function(env, nimp + k, body)
    return emit_module_level(env)


__all__ = ["build", "emit_function", "emit_module_level", "emit_part", "level_symbols",
           "module_level_parts"]
