"""Decoder for the WebAssembly binary format (all sections, LEB128, all value types).

The decoder is strict about the encoding (it is what the spec calls "malformed" that it rejects:
bad magic, truncated input, over-long or out-of-range LEB128, unknown opcodes, sections out of
order, size mismatches) and produces the typed model of ``wasmtypes``. Type checking is left to
``wasm-tools validate``, which runs before this in the normal pipeline.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable

from osbuild.errors import UserError

from .limits import MAX_NESTING, check_module, check_nesting
from .wasmtypes import (
    ABSTRACT_HEAPS,
    FUNCREF,
    HEAP_INDEX,
    PACKED_I8,
    PACKED_I16,
    REF_BASE,
    REF_TYPES,
    VALUE_TYPES,
    ArrayType,
    Body,
    DataSegment,
    ElemSegment,
    Export,
    FieldType,
    FuncType,
    Global,
    GlobalType,
    Import,
    Instr,
    Limits,
    Module,
    StructType,
    SubInfo,
    TableType,
    is_ref,
    ref_heap,
    ref_type,
)


class UnsupportedFeature(UserError):
    """A valid module uses a feature the compiler does not implement."""


class MalformedError(UserError):
    """The bytes are not a well-formed WebAssembly binary."""


class Reader:
    """A cursor over module bytes with the primitive decoders of the binary format."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def fail(self, what: str) -> MalformedError:
        return MalformedError(f"malformed module at offset {self.pos:#x}: {what}")

    def eof(self) -> bool:
        return self.pos >= self.end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def bytes(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise self.fail("unexpected end")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def _leb(self, bits: int, signed: bool) -> int:
        result = shift = 0
        max_bytes = (bits + 6) // 7
        for i in range(max_bytes):
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if i == max_bytes - 1:
                    # Unused bits of the last byte must be zero (unsigned) or a sign extension.
                    used = bits - 7 * (max_bytes - 1)
                    extra = b & 0x7F
                    if signed:
                        sign_ok = extra >> (used - 1) in (0, (1 << (8 - used)) - 1)
                        if not sign_ok:
                            raise self.fail("integer too large")
                    elif extra >> used:
                        raise self.fail("integer too large")
                if signed and b & 0x40:
                    result -= 1 << shift
                if signed:
                    # Wrap into range (e.g. s33 block types) after sign extension.
                    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
                    if not lo <= result <= hi:
                        raise self.fail("integer too large")
                return result
        raise self.fail("integer representation too long")

    def u32(self) -> int:
        return self._leb(32, False)

    def s32(self) -> int:
        return self._leb(32, True)

    def s33(self) -> int:
        return self._leb(33, True)

    def s64(self) -> int:
        return self._leb(64, True)

    def u64(self) -> int:
        return self._leb(64, False)

    def name(self) -> str:
        raw = self.bytes(self.u32())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("malformed UTF-8 encoding") from None

    def vec(self, item: Callable[[Reader], object]) -> list:
        """A length-prefixed vector; ``item`` decodes one element from this reader."""
        return [item(self) for _ in range(self.u32())]

    def valtype(self) -> int:
        t = self.data[self.pos] if self.pos < self.end else -1
        if t in REF_TYPES or t in ABSTRACT_HEAPS or t in (0x63, 0x64):
            return self.reftype()
        t = self.byte()
        if t not in VALUE_TYPES:
            raise self.fail(f"invalid value type {t:#x}")
        return t

    def heaptype(self) -> int:
        """An abstract heap type's byte, or HEAP_INDEX + a type index (wasmtypes.ref_type)."""
        h = self.s33()
        if h >= 0:
            return HEAP_INDEX + h
        if h & 0x7F not in ABSTRACT_HEAPS:
            raise self.fail(f"malformed heap type {h & 0x7F:#x}")
        return h & 0x7F

    def reftype(self) -> int:
        """A reference type: a shorthand byte, or 0x63/0x64 (nullable or not) + heap type."""
        t = self.byte()
        if t in (0x63, 0x64):
            return ref_type(self.heaptype(), t == 0x63)
        if t not in REF_TYPES and t not in ABSTRACT_HEAPS:
            raise self.fail(f"malformed reference type {t:#x}")
        return t

    def limits(self) -> Limits:
        """Flag bit 0: a maximum follows; bit 2: 64-bit addresses (memory64/table64), whose
        bounds are u64. Bit 1 (shared, threads) is not supported."""
        flag = self.byte()
        if flag not in (0, 1, 4, 5):
            raise self.fail(f"integer too large (limits flag {flag:#x})")
        index64 = bool(flag & 4)
        read = Reader.u64 if index64 else Reader.u32
        lo = read(self)
        return Limits(lo, read(self) if flag & 1 else None, index64)


# --- instructions -------------------------------------------------------------------------

def _blocktype(r: Reader) -> object:
    b = r.data[r.pos] if r.pos < r.end else -1
    if b == 0x40:
        r.pos += 1
        return None
    if b in VALUE_TYPES or b in ABSTRACT_HEAPS or b in (0x63, 0x64):
        return ("val", r.valtype())
    idx = r.s33()
    if idx < 0:
        raise r.fail("invalid block type")
    return ("type", idx)


def _try_table(r: Reader) -> tuple[object, list[tuple[int, int | None, int]]]:
    """try_table's block type and catch clauses (kind, tag index or None, label): kinds 0
    catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref."""
    bt = _blocktype(r)
    catches: list[tuple[int, int | None, int]] = []
    for _ in range(r.u32()):
        kind = r.byte()
        if kind > 3:
            raise r.fail("malformed catch clause")
        tag = r.u32() if kind < 2 else None
        catches.append((kind, tag, r.u32()))
    return bt, catches


def _memarg(r: Reader) -> tuple[int, int, int]:
    """(align, offset, memory index): flag bit 6 says a memory index follows the alignment
    (multi-memory); without it the access is to memory 0."""
    align = r.u32()
    memory = 0
    if align & 0x40:
        align &= ~0x40
        memory = r.u32()
    if align >= 64:
        raise r.fail("malformed memop flags")
    return align, r.u64(), memory  # memory64: u64 offsets (validation bounds 32-bit ones)


def _zero_byte(r: Reader) -> None:
    if r.byte() != 0:
        raise r.fail("zero byte expected")


def _br_table(r: Reader) -> tuple[tuple[int, ...], int]:
    labels = tuple(r.vec(Reader.u32))
    return labels, r.u32()


def _call_indirect(r: Reader) -> tuple[int, int]:
    type_index = r.u32()
    return type_index, r.u32()


def _f32(r: Reader) -> int:
    return struct.unpack("<I", r.bytes(4))[0]


def _f64(r: Reader) -> int:
    return struct.unpack("<Q", r.bytes(8))[0]


def _none(r: Reader) -> None:
    return None


def _two_u32(r: Reader) -> tuple[int, int]:
    a = r.u32()
    return a, r.u32()


def _select_t(r: Reader) -> tuple[int, ...]:
    return tuple(r.vec(Reader.valtype))


def _ref_null(r: Reader) -> int:
    """ref.null's immediate, a heap type; the value is the nullable reference type."""
    return ref_type(r.heaptype(), True)


def _memory_init(r: Reader) -> tuple[int, int]:
    """(data segment, memory index)."""
    idx = r.u32()
    return idx, r.u32()


IMMEDIATES: dict[int, Callable[[Reader], object]] = {
    0x02: _blocktype, 0x03: _blocktype, 0x04: _blocktype,
    0x0C: Reader.u32, 0x0D: Reader.u32, 0x0E: _br_table,
    0x10: Reader.u32, 0x11: _call_indirect,
    0x1C: _select_t,
    0x20: Reader.u32, 0x21: Reader.u32, 0x22: Reader.u32, 0x23: Reader.u32, 0x24: Reader.u32,
    0x25: Reader.u32, 0x26: Reader.u32,
    0x3F: Reader.u32, 0x40: Reader.u32,  # memory index (0 before multi-memory)
    0x41: Reader.s32, 0x42: Reader.s64, 0x43: _f32, 0x44: _f64,
    0xD0: _ref_null, 0xD2: Reader.u32,
    0x12: Reader.u32, 0x13: _call_indirect, 0x14: Reader.u32, 0x15: Reader.u32,
    0xD5: Reader.u32, 0xD6: Reader.u32,
    0x08: Reader.u32, 0x1F: _try_table,
    0xFC08: _memory_init, 0xFC09: Reader.u32, 0xFC0A: _two_u32, 0xFC0B: Reader.u32,
    0xFC0C: _two_u32, 0xFC0D: Reader.u32, 0xFC0E: _two_u32,
    0xFC0F: Reader.u32, 0xFC10: Reader.u32, 0xFC11: Reader.u32,
}
for _op in range(0x28, 0x3F):
    IMMEDIATES[_op] = _memarg
NO_IMMEDIATE = (
    {0x00, 0x01, 0x05, 0x0A, 0x0B, 0x0F, 0x1A, 0x1B, 0xD1, 0xD3, 0xD4}
    | set(range(0x45, 0xC5))
    | {0xFC00 + i for i in range(8)}
)


# The exception handling instructions (validation accepts them, wasmtools.FEATURES): named in
# the error that says they are not implemented, instead of "illegal opcode".
# Only the legacy instructions (try, catch, rethrow, delegate, catch_all) are left here: 3.0's
# throw, throw_ref and try_table are compiled (jit/exceptions.py).
EXCEPTION_OPS = {0x06: "try", 0x07: "catch", 0x09: "rethrow", 0x18: "delegate",
                 0x19: "catch_all"}


def read_instr(r: Reader) -> Instr:
    offset = r.pos
    op = r.byte()
    if op == 0xFC:
        op = 0xFC00 | r.u32()
    elif op == 0xFD:
        return _simd_instr(r, offset)
    parse = IMMEDIATES.get(op)
    if parse is not None:
        return Instr(op, parse(r), offset)
    if op in NO_IMMEDIATE:
        return Instr(op, None, offset)
    if op == 0xFB:
        return _gc_instr(r, offset)
    if op in EXCEPTION_OPS:
        raise UnsupportedFeature(f"module at offset {offset:#x} uses the legacy exception "
                                 f"instruction {EXCEPTION_OPS[op]}, which the compiler does not "
                                 "implement")
    raise MalformedError(f"malformed module at offset {offset:#x}: illegal opcode {op:#x}")


# GC (0xFB-prefixed) opcodes decode as GC_BASE + the sub-opcode; their immediates: type
# indices, (type, field), (type, count/segment), a heap type, or br_on_cast's
# (flags, label, heap type, heap type).
GC_BASE = 0xFB00
GC_OPS = frozenset(GC_BASE + sub for sub in range(31))  # struct.new (0) .. i31.get_u (30)


def _gc_instr(r: Reader, offset: int) -> Instr:
    sub = r.u32()
    op = GC_BASE + sub
    if sub in (0, 1, 6, 7, 11, 12, 13, 14, 16):
        return Instr(op, r.u32(), offset)
    if sub in (2, 3, 4, 5, 8, 9, 10, 17, 18, 19):
        a = r.u32()
        return Instr(op, (a, r.u32()), offset)
    if sub in (15, 26, 27, 28, 29, 30):
        return Instr(op, None, offset)
    if sub in (20, 21, 22, 23):
        return Instr(op, r.heaptype(), offset)
    if sub in (24, 25):
        flags = r.byte()
        label = r.u32()
        return Instr(op, (flags, label, r.heaptype(), r.heaptype()), offset)
    raise MalformedError(f"malformed module at offset {offset:#x}: illegal opcode 0xfb {sub:#x}")


# SIMD (0xFD-prefixed) opcodes are decoded as SIMD_BASE + the sub-opcode.
SIMD_BASE = 0xFD000
# Sub-opcodes that do not exist in the SIMD and relaxed SIMD proposals.
_SIMD_HOLES = {0x9A, 0xA2, 0xA5, 0xA6, 0xAF, 0xB0, 0xB2, 0xB3, 0xB4, 0xBB, 0xC2, 0xC5, 0xC6,
               0xCF, 0xD0, 0xD2, 0xD3, 0xD4, 0xE2, 0xEE}
_SIMD_MEMARG = {*range(0x00, 0x0C), 0x5C, 0x5D}
_SIMD_MEMARG_LANE = set(range(0x54, 0x5C))
_SIMD_LANE = set(range(0x15, 0x23))
_SIMD_BYTES16 = {0x0C, 0x0D}  # v128.const, i8x16.shuffle
SIMD_OPS = {SIMD_BASE + sub for sub in range(0x114) if sub not in _SIMD_HOLES}


def _simd_instr(r: Reader, offset: int) -> Instr:
    """One SIMD instruction; immediates: a memarg, (memarg, lane), a lane index, or 16 bytes
    (v128.const's value, i8x16.shuffle's lane indices)."""
    sub = r.u32()
    op = SIMD_BASE + sub
    if sub in _SIMD_MEMARG:
        return Instr(op, _memarg(r), offset)
    if sub in _SIMD_MEMARG_LANE:
        memarg = _memarg(r)
        return Instr(op, (memarg, r.byte()), offset)
    if sub in _SIMD_LANE:
        return Instr(op, r.byte(), offset)
    if sub in _SIMD_BYTES16:
        return Instr(op, r.bytes(16), offset)
    if op in SIMD_OPS:
        return Instr(op, None, offset)
    raise MalformedError(f"malformed module at offset {offset:#x}: illegal opcode 0xfd {sub:#x}")


def read_expr(r: Reader) -> tuple[Instr, ...]:
    """A constant/init expression: instructions up to and including the final ``end``."""
    code: list[Instr] = []
    depth = 0
    while True:
        ins = read_instr(r)
        code.append(ins)
        if ins.op in (0x02, 0x03, 0x04, 0x1F):  # block, loop, if, try_table
            depth += 1
            if depth > MAX_NESTING:
                check_nesting(depth, ins.offset)
        elif ins.op == 0x0B:
            if depth == 0:
                return tuple(code)
            depth -= 1


# --- sections -----------------------------------------------------------------------------

def _fieldtype(r: Reader) -> FieldType:
    t = r.data[r.pos] if r.pos < r.end else -1
    if t in (PACKED_I8, PACKED_I16):
        r.pos += 1
    else:
        t = r.valtype()
    mut = r.byte()
    if mut not in (0, 1):
        raise r.fail("malformed mutability")
    return FieldType(t, bool(mut))


def _comptype(r: Reader) -> FuncType | StructType | ArrayType:
    form = r.byte()
    if form == 0x5E:
        return ArrayType(_fieldtype(r))
    if form == 0x5F:
        return StructType(tuple(r.vec(_fieldtype)))
    if form != 0x60:
        raise r.fail("integer representation too long (function type form)")
    params = tuple(r.vec(Reader.valtype))
    return FuncType(params, tuple(r.vec(Reader.valtype)))


def _subtype(r: Reader) -> tuple[FuncType | StructType | ArrayType, bool, int | None]:
    """A composite type with its finality and declared supertype: `sub final? (super)* comp`
    (0x50 / 0x4F), or a bare composite type, which is final without a supertype."""
    form = r.data[r.pos] if r.pos < r.end else -1
    if form in (0x50, 0x4F):
        r.pos += 1
        supers = r.vec(Reader.u32)
        return _comptype(r), form == 0x4F, supers[0] if supers else None
    return _comptype(r), True, None


def _type_section(r: Reader, m: Module) -> None:
    """Recursion groups (0x4E vec(subtype)) or single subtypes; each type records its group."""
    for _ in range(r.u32()):
        if r.pos < r.end and r.data[r.pos] == 0x4E:
            r.pos += 1
            entries = r.vec(_subtype)
        else:
            entries = [_subtype(r)]
        start = len(m.types)
        for comp, final, sup in entries:
            m.types.append(comp)
            m.subs.append(SubInfo(final, sup, (start, len(entries))))
    m.types = _canon_types(m.types, m.subs)


def _tabletype(r: Reader) -> TableType:
    elem = r.reftype()
    return TableType(elem, r.limits())


def _table(r: Reader) -> TableType:
    """A table of the table section; 3.0's form 0x40 0x00 gives an initializer expression."""
    if r.pos < r.end and r.data[r.pos] == 0x40:
        r.pos += 1
        _zero_byte(r)
        tt = _tabletype(r)
        return TableType(tt.elem, tt.limits, read_expr(r))
    return _tabletype(r)


def _canon_types(types: list, subs: list[SubInfo]) -> list:
    """Give each type its structural identity (`canon`), iso-recursive as 3.0 defines type
    equality: a type is its recursion group (every member's finality, supertype and fields or
    signature, references inside the group written relative to it, references to earlier
    types by their own identity's hash) plus its position in the group. Equal types of
    different modules get the same identity, hence the same type id (call_indirect's check,
    casts, import matching). A final function type alone in its group, without a supertype or
    typed references, keeps its signature string as identity."""
    out = list(types)
    digests: dict[int, str] = {}

    def plain(i: int) -> bool:
        ct, sub = types[i], subs[i]
        return (isinstance(ct, FuncType) and sub.final and sub.supertype is None
                and sub.group[1] == 1
                and not any(is_ref(t) and t not in REF_TYPES for t in (*ct.params, *ct.results)))

    def identity(k: int) -> str:
        return out[k].identity() if k < len(out) else "?"

    def digest(k: int) -> str:
        if k not in digests:
            digests[k] = hashlib.sha256(identity(k).encode()).hexdigest()[:16]
        return digests[k]

    def member(i: int, start: int, size: int) -> str:
        def ref(t: int) -> str:
            if t in (PACKED_I8, PACKED_I16):
                return f"p{t:x}"
            if not is_ref(t) or t in REF_TYPES:
                return FuncType((t,), ()).sig()[:-1]
            heap = ref_heap(t)
            null = "n" if t < REF_BASE or t & 1 else ""
            if heap < HEAP_INDEX:
                return f"({null}{heap:x})"
            k = heap - HEAP_INDEX
            return f"({null}~{k - start})" if start <= k < start + size else \
                f"({null}{{{digest(k)}}})"

        ct, sub = types[i], subs[i]
        head = ("F" if sub.final else "O") + (
            "" if sub.supertype is None else "<" + ref(ref_type(HEAP_INDEX + sub.supertype,
                                                                False)) + ">")
        if isinstance(ct, StructType):
            body = "s{" + ",".join(("m" if f.mutable else "") + ref(f.storage)
                                   for f in ct.fields) + "}"
        elif isinstance(ct, ArrayType):
            body = "a{" + ("m" if ct.elem.mutable else "") + ref(ct.elem.storage) + "}"
        else:
            body = "".join(map(ref, ct.params)) + ":" + "".join(map(ref, ct.results))
        return head + body

    i = 0
    while i < len(types):
        start, size = subs[i].group if i < len(subs) else (i, 1)
        if size == 1 and plain(i):
            i += 1
            continue
        group = "rec[" + ",".join(member(j, start, size) for j in range(start, start + size)) + "]"
        for j in range(start, start + size):
            canon = f"{group}#{j - start}"
            ct = types[j]
            if isinstance(ct, StructType):
                out[j] = StructType(ct.fields, canon)
            elif isinstance(ct, ArrayType):
                out[j] = ArrayType(ct.elem, canon)
            else:
                out[j] = FuncType(ct.params, ct.results, canon)
        i = start + size
    return out


def _globaltype(r: Reader) -> GlobalType:
    t = r.valtype()
    mut = r.byte()
    if mut not in (0, 1):
        raise r.fail("malformed mutability")
    return GlobalType(t, bool(mut))


def _global(r: Reader) -> Global:
    return Global(_globaltype(r), read_expr(r))


def _import(r: Reader) -> Import:
    module, name = r.name(), r.name()
    kind = r.byte()
    if kind == 0:
        return Import(module, name, "func", r.u32())
    if kind == 1:
        return Import(module, name, "table", _tabletype(r))
    if kind == 2:
        return Import(module, name, "memory", r.limits())
    if kind == 3:
        return Import(module, name, "global", _globaltype(r))
    if kind == 4:
        return Import(module, name, "tag", _tag(r))
    raise r.fail(f"malformed import kind {kind}")


def _tag(r: Reader) -> int:
    """A tag type: attribute 0 (exception) and the type index of its parameters."""
    if r.byte() != 0:
        raise r.fail("malformed tag attribute")
    return r.u32()


EXPORT_KINDS = {0: "func", 1: "table", 2: "memory", 3: "global", 4: "tag"}


def _export(r: Reader) -> Export:
    name = r.name()
    kind = r.byte()
    if kind not in EXPORT_KINDS:
        raise r.fail(f"malformed export kind {kind}")
    return Export(name, EXPORT_KINDS[kind], r.u32())


def _ref_func_expr(index: int, offset: int) -> tuple[Instr, ...]:
    return (Instr(0xD2, index, offset), Instr(0x0B, None, offset))


def _elem(r: Reader) -> ElemSegment:
    flags = r.u32()
    if flags > 7:
        raise r.fail(f"malformed elements segment kind {flags}")
    passive_or_decl = flags & 1
    explicit_table = flags & 2
    uses_exprs = flags & 4
    table, offset = 0, None
    if not passive_or_decl:
        if explicit_table:
            table = r.u32()
        offset = read_expr(r)
        mode = "active"
    else:
        mode = "declarative" if explicit_table else "passive"
    elem_type = FUNCREF
    if passive_or_decl or explicit_table:
        if uses_exprs:
            elem_type = r.reftype()
        elif r.byte() != 0x00:
            raise r.fail("malformed element kind")
    if uses_exprs:
        items = tuple(r.vec(read_expr))
    else:
        items = tuple(_ref_func_expr(r.u32(), r.pos) for _ in range(r.u32()))
    return ElemSegment(mode, table, offset, elem_type, items)


def _data(r: Reader) -> DataSegment:
    flags = r.u32()
    if flags == 0:
        offset = read_expr(r)
        return DataSegment("active", 0, offset, r.bytes(r.u32()))
    if flags == 1:
        return DataSegment("passive", 0, None, r.bytes(r.u32()))
    if flags == 2:
        mem = r.u32()
        offset = read_expr(r)
        return DataSegment("active", mem, offset, r.bytes(r.u32()))
    raise r.fail(f"malformed data segment kind {flags}")


def _body_span(r: Reader) -> tuple[int, int]:
    """The [start, end) of the next function body (after its size), skipped unread."""
    size = r.u32()
    start = r.pos
    end = start + size
    if end > r.end:
        raise r.fail("unexpected end of section or function")
    r.pos = end
    return start, end


def _body(r: Reader) -> Body:
    start, end = _body_span(r)
    return decode_body(r.data, start, end)


def decode_body(data: bytes, start: int, end: int) -> Body:
    """Decode one function body at [start, end) of the module bytes (see `decode`'s
    ``bodies``: the parallel compiler's workers decode only the bodies they translate)."""
    br = Reader(data, start, end)
    locals_: list[int] = []
    total = 0
    for _ in range(br.u32()):
        n = br.u32()
        total += n
        if total > 50000:
            raise br.fail("too many locals")
        t = br.valtype()
        locals_.extend([t] * n)
    code = read_expr(br)
    if br.pos != end:
        raise br.fail("section size mismatch (function body)")
    return Body(tuple(locals_), code, start)


# Known section ids in the order the binary format requires (datacount sits before code).
SECTION_ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]  # 13: tags


def _read_names(m: Module, r: Reader) -> None:
    """The custom "name" section. A malformed one is ignored as a whole, as the spec says for
    custom sections (wasmtime too): the module keeps no half of it."""
    module_name: str | None = None
    func_names: dict[int, str] = {}
    try:
        while not r.eof():
            sub = r.byte()
            size = r.u32()
            if size > r.end - r.pos:
                raise r.fail("name subsection larger than its section")
            sr = Reader(r.data, r.pos, r.pos + size)
            r.pos += size
            if sub == 0:
                module_name = sr.name()
            elif sub == 1:
                for _ in range(sr.u32()):
                    idx = sr.u32()
                    func_names[idx] = sr.name()
    except MalformedError:
        return
    if module_name is not None:
        m.name = module_name
    m.func_names.update(func_names)


BRANCH_HINTS = "metadata.code.branch_hint"


def _read_branch_hints(r: Reader) -> list[tuple[int, int]]:
    """The branch hints section: (function index, offset in its body) of each hint. The
    compiler does not use the hints (LLVM finds its own block order); they are checked."""
    out: list[tuple[int, int]] = []
    for _ in range(r.u32()):
        func = r.u32()
        for _ in range(r.u32()):
            offset = r.u32()
            if r.u32() != 1 or r.byte() > 1:
                raise r.fail("@metadata.code.branch_hint annotation: malformed hint")
            out.append((func, offset))
    return out


def _check_branch_hints(m: Module, hints: list[tuple[int, int]]) -> None:
    """Each hint must name an `if` or `br_if` of a defined function, by its offset from the
    start of the body (the local declarations)."""
    nimported = m.num_imported_funcs
    for func, offset in hints:
        k = func - nimported
        body = m.bodies[k] if 0 <= k < len(m.bodies) else None
        if body is None or not any(i.offset == body.offset + offset and i.op in (0x04, 0x0D)
                                   for i in body.code):
            raise MalformedError("@metadata.code.branch_hint annotation: invalid target "
                                 f"(function {func}, offset {offset:#x})")


def decode(data: bytes, *, bodies: bool = True) -> Module:
    """Decode a module; raises MalformedError with the offset on bad encoding. Without
    ``bodies`` the code section is only split into ``Module.body_spans`` (for
    `decode_body`), so that no process needs every function's instructions at once."""
    r = Reader(data)
    if len(data) < 4 or data[:4] != b"\0asm":
        raise MalformedError("not a WebAssembly module (magic header not detected)")
    r.pos = 4
    if len(data) < 8 or data[4:8] != b"\x01\x00\x00\x00":
        raise MalformedError("unknown binary version")
    r.pos = 8
    m = Module()
    last = -1
    hints: list[tuple[int, int]] = []
    func_count: int | None = None
    while not r.eof():
        sid = r.byte()
        size = r.u32()
        start = r.pos
        end = start + size
        if end > r.end:
            raise r.fail("section size mismatch (unexpected end)")
        sr = Reader(data, start, end)
        if sid == 0:
            name = sr.name()
            if name == "name":
                _read_names(m, sr)
            elif name == BRANCH_HINTS:
                hints = _read_branch_hints(sr)
            r.pos = end
            continue
        if sid not in SECTION_ORDER:
            raise r.fail(f"malformed section id {sid}")
        m.sections[sid] = (start, end)
        order = SECTION_ORDER.index(sid)
        if order <= last:
            raise r.fail("unexpected content after last section (section out of order)")
        last = order
        if sid == 1:
            _type_section(sr, m)
        elif sid == 2:
            m.imports = sr.vec(_import)
        elif sid == 3:
            m.funcs = sr.vec(Reader.u32)
            func_count = len(m.funcs)
        elif sid == 4:
            m.tables = sr.vec(_table)
        elif sid == 5:
            m.memories = sr.vec(Reader.limits)
        elif sid == 13:
            m.tags = sr.vec(_tag)
        elif sid == 6:
            m.globals = sr.vec(_global)
        elif sid == 7:
            m.exports = sr.vec(_export)
        elif sid == 8:
            m.start = sr.u32()
        elif sid == 9:
            m.elems = sr.vec(_elem)
        elif sid == 12:
            m.data_count = sr.u32()
        elif sid == 10:
            m.body_spans = sr.vec(_body_span)
            check_module(m)  # before decoding a body that is too large
            if bodies:
                m.bodies = [decode_body(data, a, b) for a, b in m.body_spans]
            if len(m.body_spans) != (func_count or 0):
                raise sr.fail("function and code section have inconsistent lengths")
        elif sid == 11:
            m.datas = sr.vec(_data)
            if m.data_count is not None and m.data_count != len(m.datas):
                raise sr.fail("data count and data section have inconsistent lengths")
        if sr.pos != end:
            raise sr.fail("section size mismatch")
        r.pos = end
    if func_count and not m.body_spans:
        raise MalformedError("function and code section have inconsistent lengths")
    if bodies:
        _check_branch_hints(m, hints)
    return m
