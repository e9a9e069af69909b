"""Translation environment: the LLVM module of one wasm module and everything that is not a
single instruction — LLVM types of wasm values, the vmctx layout, the runtime entry points
(traps, host calls, memory.grow) and intrinsics.

Cranelift keeps this apart from the instruction translator behind a narrow interface; so do we:
``lower.py`` asks the environment for "the address of global 3" or "trap with code 1", never
computes vmctx offsets itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from osbuild.abi import STRUCTS, TRAPS, VMCTX, VMCTX_HEADER

from . import callconv, ir, target
from .callconv import conv
from .inline import INLINE_SUFFIX
from .wasmtypes import (
    EXTERNREF,
    F32,
    F64,
    FUNCREF,
    I32,
    I64,
    V128,
    Body,
    FuncType,
    Module,
    is_ref,
)

I1 = ir.IntType(1)
I8 = ir.IntType(8)
I32T = ir.IntType(32)
I64T = ir.IntType(64)
F32T = ir.FloatType()
F64T = ir.DoubleType()
PTR = ir.PointerType()
VOID = ir.VoidType()
V128T = ir.VectorType(I64T, 2)  # a v128 between instructions; jit/simd.py bitcasts per shape

class _LTypes(dict):
    """LLVM type of each wasm value type; every reference (any `(ref null? heap)`) is a u64."""

    def __missing__(self, t: int) -> ir.Type:
        if is_ref(t):
            return I64T
        raise KeyError(t)


LTYPE: dict[int, ir.Type] = _LTypes({I32: I32T, I64: I64T, F32: F32T, F64: F64T, V128: V128T,
                                     FUNCREF: I64T, EXTERNREF: I64T})

# The guest ABI (guest/abi.def, read by osbuild.abi): trap codes, vmctx header offsets and the
# fields of the structs compiled code reads, under the names the translator uses.
TRAP_UNREACHABLE = TRAPS["UNREACHABLE"].code
TRAP_DIV_ZERO = TRAPS["DIV_ZERO"].code
TRAP_INT_OVERFLOW = TRAPS["INT_OVERFLOW"].code
TRAP_BAD_CONVERSION = TRAPS["BAD_CONVERSION"].code
TRAP_OOB_MEMORY = TRAPS["OOB_MEMORY"].code
TRAP_OOB_TABLE = TRAPS["OOB_TABLE"].code
TRAP_UNDEFINED_ELEMENT = TRAPS["UNDEFINED_ELEMENT"].code
TRAP_UNINITIALIZED_ELEMENT = TRAPS["UNINITIALIZED_ELEMENT"].code
TRAP_SIGNATURE = TRAPS["SIGNATURE"].code
TRAP_STACK = TRAPS["STACK"].code
TRAP_OUT_OF_FUEL = TRAPS["OUT_OF_FUEL"].code
TRAP_NULL_REFERENCE = TRAPS["NULL_REFERENCE"].code
TRAP_NULL_FUNCTION = TRAPS["NULL_FUNCTION"].code

VMCTX_MEM_BASE = VMCTX["mem_base"]
VMCTX_MEMORY = VMCTX["memory"]
VMCTX_STACK_LIMIT = VMCTX["stack_limit"]
VMCTX_FUEL = VMCTX["fuel"]
VMCTX_SPILL = VMCTX["spill"]
VMCTX_GLOBALS = VMCTX_HEADER  # the per-module areas start after the header
MEMORY_BASE = STRUCTS["memory"].offset("base")
MEMORY_PAGES = STRUCTS["memory"].offset("pages")
TABLE_ELEMS = STRUCTS["table"].offset("elems")
TABLE_SIZE = STRUCTS["table"].offset("size")
FUNC_CODE = STRUCTS["funcobj"].offset("code")  # a func object {code, vmctx, type_id}
FUNC_VMCTX = STRUCTS["funcobj"].offset("vmctx")
FUNC_TYPE_ID = STRUCTS["funcobj"].offset("type_id")
FUNC_RTT = STRUCTS["funcobj"].offset("rtt")
FUNCREF_SIZE = STRUCTS["funcobj"].size

# Attributes every generated function carries: frame pointers for the kernel's backtrace walk,
# no tail calls (a tail call would drop a frame from the backtrace), and no implicit calls to
# libc's memcpy/memset, which do not exist in U-mode.
FRAME_POINTER_ALL = '"frame-pointer"="all"'
FUNC_ATTRS = (FRAME_POINTER_ALL, '"disable-tail-calls"="true"', '"no-builtins"',
              "nounwind")


def volatile_load(b: ir.IRBuilder, ptr: ir.Value, typ: ir.Type, align: int) -> ir.Value:
    """A load LLVM may not delete or merge: a wasm load traps when out of bounds even if its
    value is never used, so it must stay."""
    return b.load(ptr, typ=typ, align=align, volatile=True)


def volatile_store(b: ir.IRBuilder, value: ir.Value, ptr: ir.Value,
                   align: int) -> ir.Instruction:
    """A store LLVM may not delete, merge or move past another wasm memory access: any access
    may fault on a guard page, and a trap must find memory exactly as the program order left
    it (the stores before it done, none after it). Found by the differential campaign: LLVM
    deleted an out-of-bounds store that a later store overwrote, so the trap came too late."""
    return b.store(value, ptr, align=align, volatile=True)


def add_attrs(fn: ir.Function) -> None:
    for a in FUNC_ATTRS:
        set.add(fn.attributes, a)  # llvmlite only knows enum attributes; strings pass verbatim


# A frameless leaf (jit/lower.py `frameless`) keeps its caller's frame pointer in s0 and its
# return address in ra from its first instruction to its `ret`: no frame record, and neither
# register allocated (reserved: LLVM may otherwise use ra, which it treats as callee-saved,
# under register pressure). The function's own "target-features" replace the target
# machine's, so they repeat them.
FRAMELESS_ATTRS = ('"frame-pointer"="none"',
                   f'"target-features"="{target.FEATURES},+reserve-x1,+reserve-x8"')


def make_frameless(fn: ir.Function) -> None:
    """Give a frameless leaf its attributes in place of the frame record's."""
    set.discard(fn.attributes, FRAME_POINTER_ALL)
    for a in FRAMELESS_ATTRS:
        set.add(fn.attributes, a)


def ret_type(results: tuple[int, ...]) -> ir.Type:
    if not results:
        return VOID
    if len(results) == 1:
        return LTYPE[results[0]]
    return ir.LiteralStructType([LTYPE[t] for t in results])


def fn_type(ft: FuncType) -> ir.FunctionType:
    """The LLVM prototype of a wasm function of type `ft` (jit/callconv.py: parameters and
    results that do not fit in registers travel through the store's spill buffer)."""
    c = conv(ft)
    ret = VOID if c.results_spilled else ret_type(ft.results)
    return ir.FunctionType(ret, [PTR, *(LTYPE[ft.params[i]] for i in c.in_regs)])


def vmctx_layout(wasm: Module) -> dict[str, int]:
    """Byte offsets of the vmctx regions (docs/ARCHITECTURE.md); also written to the metadata
    so that the kernel allocates and fills the same layout."""
    nglobals = wasm.num_imported_globals + len(wasm.globals)
    nfuncs = wasm.num_imported_funcs + len(wasm.funcs)
    ntables = len(wasm.imported("table")) + len(wasm.tables)
    globals_ = VMCTX_GLOBALS
    funcs = globals_ + 8 * nglobals
    tables = funcs + 16 * wasm.num_imported_funcs
    memories = tables + 8 * ntables  # struct memory pointer per memory (multi-memory)
    funcrefs = memories + 8 * wasm.num_memories
    tags = funcrefs + FUNCREF_SIZE * nfuncs  # a tag's identity: an address (see `tag_ptr`)
    elemvals = tags + 8 * wasm.num_tags  # per element segment: items evaluated once (GC)
    dropped = elemvals + 8 * len(wasm.elems)
    size = (dropped + len(wasm.elems) + len(wasm.datas) + 15) & ~15
    return {"globals": globals_, "funcs": funcs, "tables": tables, "memories": memories,
            "funcrefs": funcrefs, "tags": tags, "elemvals": elemvals, "dropped": dropped,
            "size": size}


def type_id(ft: FuncType) -> int:
    """A store-wide id of a function type for call_indirect's check: structural equality of
    function types without subtyping is equality of their identity strings (the signature
    string, with typed references' type indices expanded: FuncType.canon)."""
    digest = hashlib.sha256(ft.identity().encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1  # keep it positive as an i64


class ModuleEnv:
    """Owns the LLVM module and the declarations shared by all functions of a wasm module."""

    def __init__(self, wasm: Module, prefix: str, fuel: bool = False) -> None:
        self.wasm = wasm
        self.prefix = prefix
        self.fuel = fuel
        self.llmod = ir.Module(name=prefix)
        self.llmod.triple = target.TRIPLE
        self.llmod.data_layout = target.data_layout()
        abi = self.llmod.add_metadata(
            [I32T(1), ir.MetaDataString(self.llmod, "target-abi"),
             ir.MetaDataString(self.llmod, target.ABI)])
        self.llmod.add_named_metadata("llvm.module.flags", abi)
        self._debug_setup()
        self.invariant = self.llmod.add_metadata([])
        self._intrinsics: dict[str, ir.Function] = {}
        self.trap_fn = self._runtime("osb_trap", VOID, [I64T])
        self.trap_fn.attributes.add("noreturn")
        self.trap_fn.attributes.add("cold")
        self.hostcall_fn = self._runtime("osb_hostcall", VOID, [PTR, I64T, PTR])
        self.memgrow_fn = self._runtime("osb_memgrow", I64T, [PTR, I64T, I64T])  # +memory
        self.tablegrow_fn = self._runtime("osb_tablegrow", I64T, [PTR, I64T, I64T, I64T])
        self.layout = vmctx_layout(wasm)
        self.nimported_funcs = wasm.num_imported_funcs
        self.nfuncs = self.nimported_funcs + len(wasm.funcs)
        self._funcs: dict[int, ir.Function] = {}
        self.sibling_calls = False  # a `tail` call that is not `musttail` (see calls.py)
        # The bodies of small callees, for inlining (jit/inline.py): set by a unit of the
        # opt tier without fuel; None: call every function.
        self.inline_source: Callable[[int], Body | None] | None = None
        self._inline: dict[int, ir.Function | None] = {}
        self.fold_mark: ir.MDValue | None = None  # the `osb_fold` !pcsections node (memory.py)

    def func(self, index: int) -> ir.Function:
        """The LLVM function of wasm function ``index`` (``P_imp<N>`` or ``P_f<N>``), declared
        on first use: a compilation unit declares only what it defines or calls."""
        fn = self._funcs.get(index)
        if fn is None:
            name = (f"{self.prefix}_imp{index}" if index < self.nimported_funcs
                    else f"{self.prefix}_f{index}")
            fn = ir.Function(self.llmod, fn_type(self.wasm.func_type(index)), name=name)
            add_attrs(fn)
            # Every wasm function keeps its own frame so that a trap's backtrace shows
            # exactly the wasm call stack (as wasmtime's does); LLVM still optimizes inside.
            fn.attributes.add("noinline")
            self._funcs[index] = fn
        return fn

    def inline_copy(self, index: int) -> ir.Function | None:
        """An internal `alwaysinline` copy of defined function ``index`` for this unit to
        call instead of the function itself, when it is small and frameless (jit/inline.py),
        else None. Translated once per unit; a copy that turns out not to qualify stays
        uncalled, and LLVM drops it."""
        if self.inline_source is None or index < self.nimported_funcs:
            return None
        if index in self._inline:
            return self._inline[index]
        self._inline[index] = None
        body = self.inline_source(index)
        ft = self.wasm.func_type(index)
        from .lower import FunctionTranslator, frameless, leaf

        if body is None or conv(ft).uses_spill or not leaf(body.code):
            return None  # a callee that calls anything is never frameless: not translated

        copy = ir.Function(self.llmod, fn_type(ft), name=f"{self.prefix}_f{index}{INLINE_SUFFIX}")
        copy.linkage = "internal"
        add_attrs(copy)
        copy.attributes.add("alwaysinline")
        t = FunctionTranslator(self, copy, ft, body.locals)
        t.translate(body.code, body.offset)
        if frameless(t):
            self._inline[index] = copy
        return self._inline[index]

    # --- debug info: wasm code offsets as DWARF line numbers ------------------------------

    def _debug_setup(self) -> None:
        """A line table whose "line" is the wasm code offset of each instruction, so that the
        host can map any trapping pc back to the wasm instruction (pyelftools reads it)."""
        m = self.llmod
        for flag, value in (("Debug Info Version", 3), ("Dwarf Version", 4)):
            m.add_named_metadata("llvm.module.flags",
                                 [I32T(2), ir.MetaDataString(m, flag), I32T(value)])
        # The file name carries no prefix: DWARF 4 keeps it inline in .debug_line, where
        # jit/units.py's renaming does not look.
        self.di_file = m.add_debug_info("DIFile", {"filename": "module.wasm",
                                                   "directory": "/"})
        self.di_unit = m.add_debug_info("DICompileUnit", {
            "language": ir.DIToken("DW_LANG_C99"), "file": self.di_file,
            "producer": "osbuild", "isOptimized": True, "runtimeVersion": 0,
            "emissionKind": ir.DIToken("LineTablesOnly")}, is_distinct=True)
        m.add_named_metadata("llvm.dbg.cu", self.di_unit)
        self.di_type = m.add_debug_info("DISubroutineType", {"types": m.add_metadata([])})

    def subprogram(self, fn: ir.Function, offset: int) -> ir.DIValue:
        """Debug scope of a function; its line (the prologue's) is the body's wasm offset."""
        sp = self.llmod.add_debug_info("DISubprogram", {
            "name": fn.name.removesuffix(INLINE_SUFFIX),  # an inline copy is its function's
            "file": self.di_file, "scope": self.di_file, "line": offset,
            "scopeLine": offset,
            "type": self.di_type, "unit": self.di_unit,
            "spFlags": ir.DIToken("DISPFlagDefinition | DISPFlagOptimized")}, is_distinct=True)
        fn.set_metadata("dbg", sp)
        return sp

    def location(self, scope: ir.DIValue, offset: int) -> ir.DIValue:
        """The DILocation of a wasm offset in ``scope`` (one node per offset)."""
        return self.llmod.location(scope, offset)

    def _runtime(self, name: str, ret: ir.Type, args: list[ir.Type]) -> ir.Function:
        fn = ir.Function(self.llmod, ir.FunctionType(ret, args), name=name)
        fn.attributes.add("nounwind")
        return fn

    def intrinsic(self, name: str, ret: ir.Type, args: list[ir.Type]) -> ir.Function:
        """An LLVM intrinsic by its full mangled name, e.g. ``llvm.ctlz.i32``."""
        fn = self._intrinsics.get(name)
        if fn is None:
            fn = ir.Function(self.llmod, ir.FunctionType(ret, args), name=name)
            self._intrinsics[name] = fn
        return fn

    def define(self, name: str, ret: ir.Type, args: list[ir.Type]) -> ir.Function:
        fn = ir.Function(self.llmod, ir.FunctionType(ret, args), name=name)
        add_attrs(fn)
        return fn

    # --- vmctx --------------------------------------------------------------------------

    def global_slot_offset(self, index: int) -> int:
        return self.layout["globals"] + 8 * index

    def import_slot_offset(self, func_index: int) -> int:
        """Offset of the {code, vmctx} pair of imported function ``func_index``."""
        return self.layout["funcs"] + 16 * func_index

    def table_slot_offset(self, index: int) -> int:
        return self.layout["tables"] + 8 * index

    def memory_slot_offset(self, index: int) -> int:
        """Offset of the pointer to memory ``index``'s struct memory."""
        return self.layout["memories"] + 8 * index

    def funcref_offset(self, func_index: int) -> int:
        """Offset of function ``func_index``'s func object {code, vmctx, type id} (a funcref
        is the address of one)."""
        return self.layout["funcrefs"] + FUNCREF_SIZE * func_index

    def tag_slot_offset(self, index: int) -> int:
        """Offset of tag ``index``'s slot: it holds the tag's identity, the address of the
        defining instance's own slot (an imported tag's slot holds the exporter's)."""
        return self.layout["tags"] + 8 * index

    def dropped_offset(self, kind: str, index: int) -> int:
        """Offset of the byte that says an element ("elem") or data segment was dropped."""
        base = self.layout["dropped"]
        return base + index if kind == "elem" else base + len(self.wasm.elems) + index

    def load_field(self, b: ir.IRBuilder, vmctx: ir.Value, offset: int, ty: ir.Type,
                   invariant: bool = True) -> ir.Value:
        """Load a vmctx field; fields the kernel sets once at instantiation are invariant."""
        addr = b.gep(vmctx, [I64T(offset)], source_etype=I8)
        val = b.load(addr, typ=ty)
        if invariant:
            val.set_metadata("invariant.load", self.invariant)
        return val

    def spill(self, b: ir.IRBuilder, vmctx: ir.Value) -> ir.Value:
        """The store's spill buffer (jit/callconv.py), the same from every vmctx of a store."""
        return self.load_field(b, vmctx, VMCTX_SPILL, PTR)

    def call(self, b: ir.IRBuilder, vmctx: ir.Value, index: int,
             args: list[ir.Value], inline: bool = True) -> list[ir.Value]:
        """Call function ``index`` and return its wasm results: directly if defined here,
        through the vmctx if imported (the import slot holds the callee's code and its own
        vmctx). ``inline=False`` keeps the callee's own frame, so that backtraces name it."""
        ft = self.wasm.func_type(index)
        c = conv(ft)
        spill = self.spill(b, vmctx) if c.uses_spill else None
        regs = callconv.store_args(b, c, spill, args)
        if index < self.nimported_funcs:
            off = self.import_slot_offset(index)
            code = self.load_field(b, vmctx, off, fn_type(ft).as_pointer())
            callee_vmctx = self.load_field(b, vmctx, off + 8, PTR)
            result = b.call(code, [callee_vmctx, *regs])
        else:
            attrs = () if inline else ("noinline",)
            result = b.call(self.func(index), [vmctx, *regs], attrs=attrs)
        return callconv.load_results(b, c, spill, result, [LTYPE[r] for r in ft.results])

    def emit_object(self, tier: str = "opt", *, with_ir: bool = True) -> tuple[bytes, str]:
        """The RISC-V object of this LLVM module and its optimized IR (see compile_ir)."""
        return target.compile_ir(str(self.llmod), tier, with_ir=with_ir,
                                 sibling_calls=self.sibling_calls)
