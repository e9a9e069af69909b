"""The typed model of a decoded WebAssembly module.

Plain frozen dataclasses: the decoder produces them, the lowering and the metadata writer read
them. Value types are kept as their binary encodings (0x7F = i32, ...) because every table in
the compiler is keyed by those bytes anyway.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from osbuild.abi import TYPE_CODES

I32, I64, F32, F64, V128, FUNCREF, EXTERNREF = 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F
NUM_TYPES = (I32, I64, F32, F64)
REF_TYPES = (FUNCREF, EXTERNREF)
VALUE_TYPES = (I32, I64, F32, F64, V128, FUNCREF, EXTERNREF)

TYPE_NAMES = {
    I32: "i32", I64: "i64", F32: "f32", F64: "f64", V128: "v128",
    FUNCREF: "funcref", EXTERNREF: "externref",
}
# One letter per type in signature strings (guest/abi.def).
SIG_LETTERS = {code: letter for letter, code in TYPE_CODES.items()}

# Reference types of 3.0, `(ref null? heap)`, as one int too. A nullable reference to an
# abstract heap type is its shorthand byte (FUNCREF = (ref null func), ...); any other is
# REF_BASE | heap << 1 | nullable, with heap the abstract type's byte or HEAP_INDEX + a type
# index. Every reference is a u64 at run time; the precise type only matters for the function
# type identity that call_indirect checks (FuncType.canon).
FUNC_HEAPS = (0x70, 0x73)  # func, nofunc: references to functions
ABSTRACT_HEAPS = (0x70, 0x6F, 0x6E, 0x6D, 0x6C, 0x6B, 0x6A, 0x69, 0x71, 0x72, 0x73, 0x74)
REF_BASE, HEAP_INDEX = 0x1000, 0x80


def ref_type(heap: int, nullable: bool) -> int:
    """The value type `(ref null? heap)`; heap is an abstract type's byte or HEAP_INDEX + i."""
    if nullable and heap in ABSTRACT_HEAPS:
        return heap
    return REF_BASE | heap << 1 | int(nullable)


def is_ref(t: int) -> bool:
    return t in ABSTRACT_HEAPS or t >= REF_BASE


def ref_heap(t: int) -> int:
    return t if t < REF_BASE else (t & ~REF_BASE) >> 1


def guest_code(t: int) -> int:
    """The type code the guest knows (guest/abi.def): a reference to functions is a funcref,
    any other reference an externref."""
    if not is_ref(t):
        return t
    heap = ref_heap(t)
    return FUNCREF if heap in FUNC_HEAPS or heap >= HEAP_INDEX else EXTERNREF


# The precise reference type the kernel's import check compares (guest/link.c, `ref_sub`): 0 for
# a value type that is no reference, else NULLABLE | kind << 1 | FUNC_FAMILY | id << 8, where
# kind is top (func, extern), bottom (nofunc, noextern), a concrete function type (id = 56 bits
# of a hash of its structural identity, as type ids are) or another abstract type (GC's; id =
# its byte, matched only by equality). A table's element type is this key too.
REF_NULLABLE, REF_FUNC_FAMILY = 0x1, 0x10
REF_TOP, REF_BOTTOM, REF_CONCRETE, REF_OTHER = 1 << 1, 2 << 1, 3 << 1, 4 << 1
REF_KEY_FUNCREF = REF_NULLABLE | REF_TOP | REF_FUNC_FAMILY  # guest/manifest.h REF_KEY_FUNCREF


def ref_key(t: int, types: list[FuncType]) -> int:
    """The key of value type `t` for the import check (see above); `types` are the module's."""
    if not is_ref(t):
        return 0
    heap = ref_heap(t)
    key = (REF_NULLABLE if t < REF_BASE or t & 1 else 0)
    if heap >= HEAP_INDEX:
        ct = types[heap - HEAP_INDEX]
        ident = ct.identity().encode()
        family = REF_FUNC_FAMILY if isinstance(ct, FuncType) else 0
        return key | REF_CONCRETE | family | int.from_bytes(
            hashlib.sha256(ident).digest()[:7], "little") << 8
    family = REF_FUNC_FAMILY if heap in FUNC_HEAPS else 0
    kind = {0x70: REF_TOP, 0x6F: REF_TOP, 0x73: REF_BOTTOM, 0x72: REF_BOTTOM}.get(heap)
    return key | family | (kind if kind is not None else REF_OTHER | heap << 8)


@dataclass(frozen=True)
class FuncType:
    params: tuple[int, ...]
    results: tuple[int, ...]
    # The store-wide structural identity of the type (type indices expanded); the decoder sets
    # it for types with typed references, otherwise it is the signature string.
    canon: str = field(default="", compare=False)

    def sig(self) -> str:
        """The compact signature string, e.g. ``"iI:f"``."""
        return (
            "".join(SIG_LETTERS[guest_code(t)] for t in self.params)
            + ":"
            + "".join(SIG_LETTERS[guest_code(t)] for t in self.results)
        )

    def identity(self) -> str:
        return self.canon or self.sig()


PACKED_I8, PACKED_I16 = 0x78, 0x77  # GC storage types of struct fields and array elements


@dataclass(frozen=True)
class FieldType:
    """A struct field or array element (GC): a value type or a packed i8/i16, mutable or not."""

    storage: int
    mutable: bool

    @property
    def unpacked(self) -> int:
        """The value type the field reads as (packed fields read as i32)."""
        return I32 if self.storage in (PACKED_I8, PACKED_I16) else self.storage


@dataclass(frozen=True)
class StructType:
    fields: tuple[FieldType, ...]
    canon: str = field(default="", compare=False)  # structural identity, as FuncType's

    def identity(self) -> str:
        return self.canon


@dataclass(frozen=True)
class ArrayType:
    elem: FieldType
    canon: str = field(default="", compare=False)

    def identity(self) -> str:
        return self.canon


@dataclass(frozen=True)
class SubInfo:
    """A defined type's place in the GC type hierarchy: final or not, its declared supertype
    (at most one in 3.0) and its recursion group (first type index, number of types)."""

    final: bool = True
    supertype: int | None = None
    group: tuple[int, int] = (0, 1)


@dataclass(frozen=True)
class Limits:
    min: int
    max: int | None
    index64: bool = False  # memory64/table64: addresses (indices) are i64


@dataclass(frozen=True)
class TableType:
    elem: int
    limits: Limits
    init: tuple[Instr, ...] | None = None  # 3.0: every element starts as this expression


@dataclass(frozen=True)
class GlobalType:
    valtype: int
    mutable: bool


@dataclass(frozen=True)
class Instr:
    """One instruction: opcode (0xFC-prefixed ops are ``0xFC00 | sub``), immediate, offset.

    ``offset`` is the byte offset of the opcode in the module, as wasm backtraces report it.
    """

    op: int
    imm: object
    offset: int


@dataclass(frozen=True)
class Import:
    module: str
    name: str
    kind: str  # "func" | "table" | "memory" | "global" | "tag"
    desc: object  # type index (func, tag), TableType, Limits (memory), GlobalType


@dataclass(frozen=True)
class Export:
    name: str
    kind: str
    index: int


@dataclass(frozen=True)
class Global:
    type: GlobalType
    init: tuple[Instr, ...]


@dataclass(frozen=True)
class ElemSegment:
    mode: str  # "active" | "passive" | "declarative"
    table: int
    offset: tuple[Instr, ...] | None
    elem_type: int
    # Each item is a constant expression (ref.func N / ref.null / global.get).
    items: tuple[tuple[Instr, ...], ...]


@dataclass(frozen=True)
class DataSegment:
    mode: str  # "active" | "passive"
    memory: int
    offset: tuple[Instr, ...] | None
    data: bytes


@dataclass(frozen=True)
class Body:
    locals: tuple[int, ...]  # declared locals, expanded, params not included
    code: tuple[Instr, ...]
    offset: int  # offset of the body's size field, for diagnostics


@dataclass
class Module:
    # defined types: function types, and GC's struct and array types (a type index in a
    # function, call or block position always names a FuncType: validation says so)
    types: list[FuncType] = field(default_factory=list)
    subs: list[SubInfo] = field(default_factory=list)  # per type: finality, supertype, group
    imports: list[Import] = field(default_factory=list)
    funcs: list[int] = field(default_factory=list)  # type index of each defined function
    tables: list[TableType] = field(default_factory=list)
    memories: list[Limits] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    # exception tags (type index of each defined tag; jit/exceptions.py)
    tags: list[int] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    start: int | None = None
    elems: list[ElemSegment] = field(default_factory=list)
    datas: list[DataSegment] = field(default_factory=list)
    data_count: int | None = None
    bodies: list[Body] = field(default_factory=list)
    body_spans: list[tuple[int, int]] = field(default_factory=list)  # [start, end) per body
    sections: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> [start, end)
    name: str | None = None
    func_names: dict[int, str] = field(default_factory=dict)

    def imported(self, kind: str) -> list[Import]:
        """The imports of ``kind`` (do not modify the list): grouped once per imports list,
        since callers ask per function or global (a per-call scan was quadratic in imports)."""
        key = (id(self.imports), len(self.imports))
        cached = self.__dict__.get("_imported")
        if cached is None or cached[0] != key:
            by_kind: dict[str, list[Import]] = {}
            for imp in self.imports:
                by_kind.setdefault(imp.kind, []).append(imp)
            cached = self.__dict__["_imported"] = (key, by_kind)
        return cached[1].get(kind, [])

    @property
    def num_imported_funcs(self) -> int:
        return len(self.imported("func"))

    @property
    def num_imported_globals(self) -> int:
        return len(self.imported("global"))

    def final(self, index: int) -> bool:
        """Whether type `index` is final (no type can declare it as supertype); types of
        modules without GC's `sub` are."""
        return index >= len(self.subs) or self.subs[index].final

    def func_type_index(self, index: int) -> int:
        """Type index of function ``index`` in the function index space (imports first)."""
        imported = self.imported("func")
        if index < len(imported):
            return imported[index].desc  # type: ignore[return-value]
        return self.funcs[index - len(imported)]

    def func_type(self, index: int) -> FuncType:
        """Type of function ``index`` in the function index space (imports first)."""
        imported = self.imported("func")
        if index < len(imported):
            return self.types[imported[index].desc]  # type: ignore[index]
        return self.types[self.funcs[index - len(imported)]]

    @property
    def num_tags(self) -> int:
        return len(self.imported("tag")) + len(self.tags)

    def tag_type(self, index: int) -> FuncType:
        """Type of tag ``index`` in the tag index space (imports first)."""
        imported = self.imported("tag")
        if index < len(imported):
            return self.types[imported[index].desc]  # type: ignore[index]
        return self.types[self.tags[index - len(imported)]]

    def global_type(self, index: int) -> GlobalType:
        imported = self.imported("global")
        if index < len(imported):
            return imported[index].desc  # type: ignore[return-value]
        return self.globals[index - len(imported)].type

    def memory_type(self, index: int) -> Limits:
        """Limits of memory ``index`` in the memory index space (imports first)."""
        imported = self.imported("memory")
        if index < len(imported):
            return imported[index].desc  # type: ignore[return-value]
        return self.memories[index - len(imported)]

    @property
    def num_memories(self) -> int:
        return len(self.imported("memory")) + len(self.memories)

    def memory_limits(self) -> tuple[Limits, bool] | None:
        """Limits of memory 0 and whether it is imported, or None without a memory."""
        imported = self.imported("memory")
        if imported:
            return imported[0].desc, True  # type: ignore[return-value]
        if self.memories:
            return self.memories[0], False
        return None
