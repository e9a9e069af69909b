"""Garbage-collected references of WebAssembly 3.0 (the GC proposal): structs, arrays, i31,
ref.eq, and the casts (ref.test, ref.cast, br_on_cast, br_on_cast_fail).

Representation (docs/ARCHITECTURE.md, "GC objects"): a reference is a u64 like every other.
0 is null; an i31 is `value << 1 | 1` (odd); a host value (an externref made by the host,
also inside anyref after any.convert_extern) has the low bits 10 (host/specvalues.py); a
struct or array is the address of an object (16-byte aligned: low bits 00) whose first word
points to its type's run-time type descriptor (RTT), a constant of the module: [kind, depth,
id_0 .. id_depth], where kind is 1 for a struct and 2 for an array, and id_k the type id
(jit/env.py `type_id`, a hash of the type's structural identity) of its supertype at depth k,
the type itself last. A cast to a concrete
type $t of depth d checks `depth >= d && display[d] == id($t)`: constant time, and the same
answer for equal types of different modules. Struct fields follow the header at their natural
size and alignment (i8, i16, 4, 8, 16 bytes); an array has its length in the second word and
its elements from byte 16.

An array operation with a length (new, new_default, new_data, new_elem, fill, copy,
init_data, init_elem) costs that length in fuel, as in wasmtime: charged and checked after
its bounds checks and before it allocates or copies.

Objects are allocated by the kernel on the store's garbage-collected heap (`osb_gc_alloc`, a
system call; guest/gc.c collects).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from osbuild.abi import TRAPS

from . import fuel, ir
from .env import (
    FUNC_RTT,
    FUNC_TYPE_ID,
    I1,
    I8,
    I32T,
    I64T,
    LTYPE,
    PTR,
    TRAP_OUT_OF_FUEL,
    VMCTX_FUEL,
    type_id,
)
from .handlers import Registry
from .wasmtypes import (
    F32,
    HEAP_INDEX,
    I32,
    PACKED_I8,
    PACKED_I16,
    V128,
    ArrayType,
    FieldType,
    FuncType,
    Instr,
    StructType,
)

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()


def gc_op(sub: int):  # noqa: ANN201 - a decorator factory, as Registry.lower
    return registry.lower(GC_BASE + sub)


GC_BASE = 0xFB00  # 0xFB-prefixed opcodes decode as GC_BASE + the sub-opcode
KIND_STRUCT, KIND_ARRAY, KIND_FUNC = 1, 2, 3
HEADER = 8  # the RTT pointer
ARRAY_DATA = 16  # header, length, then the elements

TRAP_NULL_STRUCT = TRAPS["NULL_STRUCT"].code
TRAP_NULL_ARRAY = TRAPS["NULL_ARRAY"].code
TRAP_NULL_I31 = TRAPS["NULL_I31"].code
TRAP_CAST = TRAPS["CAST_FAILURE"].code
TRAP_ARRAY_OOB = TRAPS["OOB_ARRAY"].code
TRAP_OOB_MEMORY = TRAPS["OOB_MEMORY"].code
TRAP_OOB_TABLE = TRAPS["OOB_TABLE"].code
TRAP_ALLOC = TRAPS["ALLOCATION"].code

SIZES = {PACKED_I8: 1, PACKED_I16: 2, I32: 4, F32: 4, V128: 16}  # others (i64, f64, refs): 8
I16 = ir.IntType(16)


def charge_length(t: FunctionTranslator, n: ir.Value) -> None:
    """An array operation costs its length in fuel (wasmtime's rule). In a function body the
    fuel meter charges it; in a module compiled with fuel, the constant expressions that
    `P_init` evaluates (a table's or global's initializer) charge it against the vmctx's
    budget directly and trap when it is gone, as wasmtime's instantiation does."""
    if t.fuel is not None:
        fuel.pay_length(t, n)
    elif t.env.fuel:
        b = t.b
        ptr = b.gep(t.vmctx, [I64T(VMCTX_FUEL)], source_etype=I8)
        left = b.sub(b.load(ptr, typ=I64T), n)
        b.store(left, ptr)
        t.trap_if(b.icmp_signed("<=", left, I64T(0)), TRAP_OUT_OF_FUEL)


def storage_size(st: int) -> int:
    return SIZES.get(st, 8)


def storage_type(st: int) -> ir.Type:
    return I8 if st == PACKED_I8 else I16 if st == PACKED_I16 else LTYPE[st]


def struct_layout(st: StructType) -> tuple[list[int], int]:
    """Byte offset of each field and the object's size (header included)."""
    offsets, off = [], HEADER
    for f in st.fields:
        size = storage_size(f.storage)
        align = min(size, 8)
        off = (off + align - 1) & -align
        offsets.append(off)
        off += size
    return offsets, (off + 15) & -16


# --- type descriptors -------------------------------------------------------------------------

def supertypes(t: FunctionTranslator, index: int) -> list[int]:
    """Type `index`'s supertype chain, root first, the type itself last."""
    chain = [index]
    subs = t.env.wasm.subs
    while index < len(subs) and subs[index].supertype is not None:
        index = subs[index].supertype  # type: ignore[assignment]
        chain.append(index)
    return chain[::-1]


def rtt(t: FunctionTranslator, index: int) -> ir.Value:
    """The address of type `index`'s RTT, a private constant of the module object."""
    env = t.env
    known: dict[int, ir.GlobalVariable] = env.__dict__.setdefault("_rtts", {})
    g = known.get(index)
    if g is None:
        ct = env.wasm.types[index]
        chain = supertypes(t, index)
        kind = (KIND_STRUCT if isinstance(ct, StructType) else
                KIND_ARRAY if isinstance(ct, ArrayType) else KIND_FUNC)
        words = [kind, len(chain) - 1,
                 *(type_id(env.wasm.types[k]) for k in chain)]
        ty = ir.ArrayType(I64T, len(words))
        g = ir.GlobalVariable(env.llmod, ty, name=f"{env.prefix}_rtt{index}")
        g.global_constant = True
        g.linkage = "private"
        g.initializer = ir.Constant(ty, words)
        known[index] = g
    return t.b.ptrtoint(g, I64T)


# --- helpers ----------------------------------------------------------------------------------

def _at(b: ir.IRBuilder, base: ir.Value, offset: ir.Value | int) -> ir.Value:
    if isinstance(offset, int):
        return b.gep(base, [I64T(offset)], source_etype=I8) if offset else base
    return b.gep(base, [offset], source_etype=I8)


def alloc(t: FunctionTranslator, nbytes: ir.Value, index: int) -> ir.Value:
    """A zeroed object of `nbytes` with its RTT set; traps when no memory is left for it."""
    obj = allocate(t, nbytes)
    t.b.store(rtt(t, index), t.b.inttoptr(obj, PTR))
    return obj


def allocate(t: FunctionTranslator, nbytes: ir.Value) -> ir.Value:
    """`nbytes` of zeroed memory from the store (an object without its RTT yet)."""
    env = t.env
    fn = env.__dict__.get("_gc_alloc")
    if fn is None:
        fn = ir.Function(env.llmod, ir.FunctionType(I64T, [PTR, I64T]), name="osb_gc_alloc")
        fn.attributes.add("nounwind")
        env.__dict__["_gc_alloc"] = fn
    obj = t.b.call(fn, [t.vmctx, nbytes])
    t.trap_if(t.b.icmp_unsigned("==", obj, I64T(0)), TRAP_ALLOC)
    return obj


def non_null(t: FunctionTranslator, ref: ir.Value, code: int) -> ir.Value:
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), code)
    return t.b.inttoptr(ref, PTR)


def to_storage(t: FunctionTranslator, v: ir.Value, st: int) -> ir.Value:
    return t.b.trunc(v, storage_type(st)) if st in (PACKED_I8, PACKED_I16) else v


def from_storage(t: FunctionTranslator, v: ir.Value, st: int, signed: bool) -> ir.Value:
    if st not in (PACKED_I8, PACKED_I16):
        return v
    return t.b.sext(v, I32T) if signed else t.b.zext(v, I32T)


def store_field(t: FunctionTranslator, ptr: ir.Value, ft: FieldType, v: ir.Value) -> None:
    t.b.store(to_storage(t, v, ft.storage), ptr, align=min(storage_size(ft.storage), 8))


def load_field(t: FunctionTranslator, ptr: ir.Value, ft: FieldType, signed: bool) -> ir.Value:
    v = t.b.load(ptr, typ=storage_type(ft.storage), align=min(storage_size(ft.storage), 8))
    return from_storage(t, v, ft.storage, signed)


def loop(t: FunctionTranslator, n: ir.Value, body: object) -> None:
    """for i in range(n): body(i), with i an i64 (a counted loop in the current function)."""
    b = t.b
    head, step, done = t.new_block("gc_loop"), t.new_block("gc_body"), t.new_block("gc_done")
    counter = t.entry_b.alloca(I64T)
    b.store(I64T(0), counter)
    b.branch(head)
    b.position_at_end(head)
    i = b.load(counter)
    b.cbranch(b.icmp_unsigned("<", i, n), step, done)
    b.position_at_end(step)
    body(i)  # type: ignore[operator]
    b.store(b.add(i, I64T(1)), counter)
    b.branch(head)
    b.position_at_end(done)


# --- structs ----------------------------------------------------------------------------------

def struct_type(t: FunctionTranslator, index: int) -> StructType:
    return t.env.wasm.types[index]  # type: ignore[return-value]


@gc_op(0)
def struct_new(t: FunctionTranslator, ins: Instr) -> None:
    st = struct_type(t, ins.imm)  # type: ignore[arg-type]
    vals = t.popn(len(st.fields))
    offsets, size = struct_layout(st)
    ptr = t.b.inttoptr(obj := alloc(t, I64T(size), ins.imm), PTR)  # type: ignore[arg-type]
    for f, off, v in zip(st.fields, offsets, vals, strict=True):
        store_field(t, _at(t.b, ptr, off), f, v)
    t.push(obj)


@gc_op(1)
def struct_new_default(t: FunctionTranslator, ins: Instr) -> None:
    _, size = struct_layout(struct_type(t, ins.imm))  # type: ignore[arg-type]
    t.push(alloc(t, I64T(size), ins.imm))  # type: ignore[arg-type]


def _struct_get(t: FunctionTranslator, ins: Instr, signed: bool) -> None:
    index, field = ins.imm  # type: ignore[misc]
    st = struct_type(t, index)
    ptr = non_null(t, t.pop(), TRAP_NULL_STRUCT)
    offsets, _ = struct_layout(st)
    t.push(load_field(t, _at(t.b, ptr, offsets[field]), st.fields[field], signed))


@gc_op(2)
def struct_get(t: FunctionTranslator, ins: Instr) -> None:
    _struct_get(t, ins, False)


@gc_op(3)
def struct_get_s(t: FunctionTranslator, ins: Instr) -> None:
    _struct_get(t, ins, True)


@gc_op(4)
def struct_get_u(t: FunctionTranslator, ins: Instr) -> None:
    _struct_get(t, ins, False)


@gc_op(5)
def struct_set(t: FunctionTranslator, ins: Instr) -> None:
    index, field = ins.imm  # type: ignore[misc]
    st = struct_type(t, index)
    v = t.pop()
    ptr = non_null(t, t.pop(), TRAP_NULL_STRUCT)
    offsets, _ = struct_layout(st)
    store_field(t, _at(t.b, ptr, offsets[field]), st.fields[field], v)


# --- arrays -----------------------------------------------------------------------------------

def array_elem(t: FunctionTranslator, index: int) -> FieldType:
    at: ArrayType = t.env.wasm.types[index]  # type: ignore[assignment]
    return at.elem


MAX_OBJECT = 0xFFFFFFFF  # wasmtime's limit: a larger array traps before it costs fuel


def array_fits(t: FunctionTranslator, index: int, n: ir.Value) -> None:
    """Trap "allocation size too large" for an array whose bytes would pass 4 GiB - 1, before
    its length is charged (the order the wasmtime package shows)."""
    size = storage_size(array_elem(t, index).storage)
    nbytes = t.b.add(t.b.mul(n, I64T(size)), I64T(ARRAY_DATA))
    t.trap_if(t.b.icmp_unsigned(">", nbytes, I64T(MAX_OBJECT)), TRAP_ALLOC)


def new_array(t: FunctionTranslator, index: int, n: ir.Value) -> tuple[ir.Value, ir.Value]:
    """A zeroed array of `n` (i64) elements: (reference, address of element 0)."""
    size = storage_size(array_elem(t, index).storage)
    # at most 2^32 - 1 elements of at most 16 bytes: the product cannot overflow
    nbytes = t.b.add(t.b.mul(n, I64T(size)), I64T(ARRAY_DATA))
    obj = alloc(t, nbytes, index)
    ptr = t.b.inttoptr(obj, PTR)
    t.b.store(n, _at(t.b, ptr, HEADER))
    return obj, _at(t.b, ptr, ARRAY_DATA)


def elem_ptr(t: FunctionTranslator, data: ir.Value, ft: FieldType, i: ir.Value) -> ir.Value:
    return _at(t.b, data, t.b.mul(i, I64T(storage_size(ft.storage))))


def array_len(t: FunctionTranslator, ptr: ir.Value) -> ir.Value:
    return t.b.load(_at(t.b, ptr, HEADER), typ=I64T)


@gc_op(6)
def array_new(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    n = t.pop_u64()
    v = t.pop()
    ft = array_elem(t, index)
    array_fits(t, index, n)
    charge_length(t, n)
    obj, data = new_array(t, index, n)
    loop(t, n, lambda i: store_field(t, elem_ptr(t, data, ft, i), ft, v))
    t.push(obj)


@gc_op(7)
def array_new_default(t: FunctionTranslator, ins: Instr) -> None:
    n = t.pop_u64()
    array_fits(t, ins.imm, n)  # type: ignore[arg-type]
    charge_length(t, n)
    t.push(new_array(t, ins.imm, n)[0])  # type: ignore[arg-type]


@gc_op(8)
def array_new_fixed(t: FunctionTranslator, ins: Instr) -> None:
    index, n = ins.imm  # type: ignore[misc]
    vals = t.popn(n)
    ft = array_elem(t, index)
    obj, data = new_array(t, index, I64T(n))
    for k, v in enumerate(vals):
        store_field(t, elem_ptr(t, data, ft, I64T(k)), ft, v)
    t.push(obj)


def data_bytes(t: FunctionTranslator, seg: int, offset: ir.Value, nbytes: ir.Value) -> ir.Value:
    """The address of bytes [offset, offset + nbytes) of data segment `seg`, checked against
    its length (0 once dropped): trap "out of bounds memory access"."""
    from . import segments

    length = len(t.env.wasm.datas[seg].data)
    t.check_range(offset, nbytes, segments.segment_length(t, "data", seg, length),
                  TRAP_OOB_MEMORY)
    return _at(t.b, segments.data_global(t.env, seg), offset)


def copy_bytes(t: FunctionTranslator, dst: ir.Value, src: ir.Value, nbytes: ir.Value) -> None:
    from .copyloops import memmove_helper

    t.b.call(memmove_helper(t.env, I8, 1), [dst, src, nbytes])


@gc_op(9)
def array_new_data(t: FunctionTranslator, ins: Instr) -> None:
    index, seg = ins.imm  # type: ignore[misc]
    n = t.pop_u64()
    offset = t.pop_u64()
    size = storage_size(array_elem(t, index).storage)
    nbytes = t.b.mul(n, I64T(size))
    src = data_bytes(t, seg, offset, nbytes)
    array_fits(t, index, n)
    charge_length(t, n)
    obj, data = new_array(t, index, n)
    copy_bytes(t, data, src, nbytes)
    t.push(obj)


def elem_range(t: FunctionTranslator, seg: int, offset: ir.Value, n: ir.Value) -> None:
    """Trap "out of bounds table access" unless [offset, offset + n) lies in element segment
    `seg` (length 0 once dropped)."""
    from . import segments

    length = len(t.env.wasm.elems[seg].items)
    t.check_range(offset, n, segments.segment_length(t, "elem", seg, length), TRAP_OOB_TABLE)


@gc_op(10)
def array_new_elem(t: FunctionTranslator, ins: Instr) -> None:
    from . import segments

    index, seg = ins.imm  # type: ignore[misc]
    n = t.pop_u64()
    offset = t.pop_u64()
    elem_range(t, seg, offset, n)
    array_fits(t, index, n)
    charge_length(t, n)
    obj, data = new_array(t, index, n)
    if t.env.wasm.elems[seg].items:
        segments.copy_items(t, seg, data, offset, n)
    t.push(obj)


@gc_op(19)
def array_init_elem(t: FunctionTranslator, ins: Instr) -> None:
    from . import segments

    index, seg = ins.imm  # type: ignore[misc]
    n = t.pop_u64()
    offset = t.pop_u64()
    start = t.pop_u64()
    ptr = _range(t, t.pop(), start, n)
    elem_range(t, seg, offset, n)
    charge_length(t, n)
    if t.env.wasm.elems[seg].items:
        dst = elem_ptr(t, _at(t.b, ptr, ARRAY_DATA), array_elem(t, index), start)
        segments.copy_items(t, seg, dst, offset, n)


def _array_access(t: FunctionTranslator, index: int, i: ir.Value, ref: ir.Value) -> ir.Value:
    ptr = non_null(t, ref, TRAP_NULL_ARRAY)
    t.trap_if(t.b.icmp_unsigned(">=", i, array_len(t, ptr)), TRAP_ARRAY_OOB)
    return elem_ptr(t, _at(t.b, ptr, ARRAY_DATA), array_elem(t, index), i)


def _array_get(t: FunctionTranslator, ins: Instr, signed: bool) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    i = t.pop_u64()
    ptr = _array_access(t, index, i, t.pop())
    t.push(load_field(t, ptr, array_elem(t, index), signed))


@gc_op(11)
def array_get(t: FunctionTranslator, ins: Instr) -> None:
    _array_get(t, ins, False)


@gc_op(12)
def array_get_s(t: FunctionTranslator, ins: Instr) -> None:
    _array_get(t, ins, True)


@gc_op(13)
def array_get_u(t: FunctionTranslator, ins: Instr) -> None:
    _array_get(t, ins, False)


@gc_op(14)
def array_set(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    v = t.pop()
    i = t.pop_u64()
    ptr = _array_access(t, index, i, t.pop())
    store_field(t, ptr, array_elem(t, index), v)


@gc_op(15)
def array_len_(t: FunctionTranslator, ins: Instr) -> None:
    ptr = non_null(t, t.pop(), TRAP_NULL_ARRAY)
    t.push(t.b.trunc(array_len(t, ptr), I32T))


def _range(t: FunctionTranslator, ref: ir.Value, start: ir.Value, n: ir.Value) -> ir.Value:
    """The array's address after checking [start, start + n) against its length."""
    ptr = non_null(t, ref, TRAP_NULL_ARRAY)
    t.check_range(start, n, array_len(t, ptr), TRAP_ARRAY_OOB)
    return ptr


@gc_op(16)
def array_fill(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    n = t.pop_u64()
    v = t.pop()
    start = t.pop_u64()
    ptr = _range(t, t.pop(), start, n)
    charge_length(t, n)
    ft = array_elem(t, index)
    data = _at(t.b, ptr, ARRAY_DATA)
    loop(t, n, lambda i: store_field(t, elem_ptr(t, data, ft, t.b.add(start, i)), ft, v))


@gc_op(17)
def array_copy(t: FunctionTranslator, ins: Instr) -> None:
    dst_index, _ = ins.imm  # type: ignore[misc]
    n = t.pop_u64()
    s_start = t.pop_u64()
    src = _range(t, t.pop(), s_start, n)
    d_start = t.pop_u64()
    dst = _range(t, t.pop(), d_start, n)
    charge_length(t, n)
    ft = array_elem(t, dst_index)
    size = storage_size(ft.storage)
    copy_bytes(t, elem_ptr(t, _at(t.b, dst, ARRAY_DATA), ft, d_start),
               elem_ptr(t, _at(t.b, src, ARRAY_DATA), ft, s_start), t.b.mul(n, I64T(size)))


@gc_op(18)
def array_init_data(t: FunctionTranslator, ins: Instr) -> None:
    index, seg = ins.imm  # type: ignore[misc]
    n = t.pop_u64()
    offset = t.pop_u64()
    start = t.pop_u64()
    ptr = _range(t, t.pop(), start, n)
    ft = array_elem(t, index)
    nbytes = t.b.mul(n, I64T(storage_size(ft.storage)))
    src = data_bytes(t, seg, offset, nbytes)
    charge_length(t, n)
    copy_bytes(t, elem_ptr(t, _at(t.b, ptr, ARRAY_DATA), ft, start), src, nbytes)


# --- i31 and equality -------------------------------------------------------------------------

@gc_op(28)
def ref_i31(t: FunctionTranslator, ins: Instr) -> None:
    v = t.b.zext(t.b.and_(t.pop(), I32T(0x7FFFFFFF)), I64T)
    t.push(t.b.or_(t.b.shl(v, I64T(1)), I64T(1)))


def _i31_get(t: FunctionTranslator, signed: bool) -> None:
    ref = t.pop()
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), TRAP_NULL_I31)
    v = t.b.trunc(t.b.lshr(ref, I64T(1)), I32T)
    t.push(t.b.ashr(t.b.shl(v, I32T(1)), I32T(1)) if signed else v)


@gc_op(29)
def i31_get_s(t: FunctionTranslator, ins: Instr) -> None:
    _i31_get(t, True)


@gc_op(30)
def i31_get_u(t: FunctionTranslator, ins: Instr) -> None:
    _i31_get(t, False)


@registry.lower(0xD3)
def ref_eq(t: FunctionTranslator, ins: Instr) -> None:
    b, a = t.pop(), t.pop()
    t.push(t.b.zext(t.b.icmp_unsigned("==", a, b), I32T))


# --- casts ------------------------------------------------------------------------------------

ANY, EQ, I31, STRUCT, ARRAY, NONE = 0x6E, 0x6D, 0x6C, 0x6B, 0x6A, 0x71
BOTTOMS = (NONE, 0x73, 0x72, 0x74)  # none, nofunc, noextern, noexn: only null


def _kind_is(t: FunctionTranslator, ref: ir.Value, kind: int) -> ir.Value:
    """Whether a non-null reference is an object (not an i31) of the given RTT kind. Reads the
    RTT only for an object: the select keeps the i31 case from dereferencing."""
    b = t.b
    is_obj = is_object(t, ref)
    safe = b.select(is_obj, ref, I64T(0))  # never read through an i31 or a host value
    return _rtt_word(t, safe, 0, kind, is_obj)


def is_object(t: FunctionTranslator, ref: ir.Value) -> ir.Value:
    """Whether a non-null reference is a struct or array (low bits 00)."""
    return t.b.icmp_unsigned("==", t.b.and_(ref, I64T(3)), I64T(0))


def _rtt_word(t: FunctionTranslator, ref: ir.Value, word: int, expect: int | ir.Value,
              guard: ir.Value) -> ir.Value:
    """guard && RTT(ref)[word] == expect, reading the RTT in a block of its own."""
    b = t.b
    here, read, join = b.block, t.new_block("rtt"), t.new_block("rtt_done")
    b.cbranch(guard, read, join)
    b.position_at_end(read)
    desc = b.inttoptr(b.load(b.inttoptr(ref, PTR), typ=I64T), PTR)
    value = b.load(_at(b, desc, 8 * word), typ=I64T)
    want = expect if isinstance(expect, ir.Value) else I64T(expect)
    hit = b.icmp_unsigned("==", value, want)
    read_end = b.block
    b.branch(join)
    b.position_at_end(join)
    phi = b.phi(I1)
    phi.add_incoming(ir.Constant(I1, 0), here)
    phi.add_incoming(hit, read_end)
    return phi


def _concrete(t: FunctionTranslator, ref: ir.Value, index: int) -> ir.Value:
    """Whether a non-null reference's type is a subtype of concrete type `index`."""
    b = t.b
    ct = t.env.wasm.types[index]
    if isinstance(ct, FuncType):
        return func_subtype(t, b.inttoptr(ref, PTR), index)
    depth = len(supertypes(t, index)) - 1
    is_obj = is_object(t, ref)
    safe = b.select(is_obj, ref, I64T(0))
    deep_enough = _rtt_depth_at_least(t, safe, depth, is_obj)
    return _rtt_word(t, safe, 2 + depth, type_id(ct), deep_enough)


def func_subtype(t: FunctionTranslator, obj: ir.Value, index: int) -> ir.Value:
    """i1: whether the func object at `obj` has a type that is a subtype of function type
    `index`: its type id is that type's, or (for a type that is not final) its RTT's display
    holds it at that type's depth."""
    b = t.b
    want = type_id(t.env.wasm.types[index])
    same = b.icmp_unsigned("==", b.load(_at(b, obj, FUNC_TYPE_ID), typ=I64T), I64T(want))
    if t.env.wasm.final(index):
        return same
    depth = len(supertypes(t, index)) - 1
    ref = b.load(_at(b, obj, FUNC_RTT), typ=I64T)  # an RTT is read like an object's header
    here, slow, join = b.block, t.new_block("func_sub"), t.new_block("func_sub_done")
    b.cbranch(same, join, slow)
    b.position_at_end(slow)
    desc = b.inttoptr(ref, PTR)
    deep = b.icmp_unsigned(">=", b.load(_at(b, desc, 8), typ=I64T), I64T(depth))
    safe_word = b.select(deep, I64T(8 * (2 + depth)), I64T(8))
    hit = b.and_(deep, b.icmp_unsigned("==", b.load(_at(b, desc, safe_word), typ=I64T),
                                       I64T(want)))
    slow_end = b.block
    b.branch(join)
    b.position_at_end(join)
    phi = b.phi(I1)
    phi.add_incoming(ir.Constant(I1, 1), here)
    phi.add_incoming(hit, slow_end)
    return phi


def _rtt_depth_at_least(t: FunctionTranslator, ref: ir.Value, depth: int,
                        guard: ir.Value) -> ir.Value:
    b = t.b
    here, read, join = b.block, t.new_block("depth"), t.new_block("depth_done")
    b.cbranch(guard, read, join)
    b.position_at_end(read)
    desc = b.inttoptr(b.load(b.inttoptr(ref, PTR), typ=I64T), PTR)
    ok = b.icmp_unsigned(">=", b.load(_at(b, desc, 8), typ=I64T), I64T(depth))
    read_end = b.block
    b.branch(join)
    b.position_at_end(join)
    phi = b.phi(I1)
    phi.add_incoming(ir.Constant(I1, 0), here)
    phi.add_incoming(ok, read_end)
    return phi


def matches(t: FunctionTranslator, ref: ir.Value, heap: int, nullable: bool) -> ir.Value:
    """i1: whether `ref` is a value of `(ref null? heap)` (validation has proved that it is of
    the same hierarchy)."""
    b = t.b
    is_null = b.icmp_unsigned("==", ref, I64T(0))
    if heap in BOTTOMS:
        hit: ir.Value = ir.Constant(I1, 0)
    elif heap >= HEAP_INDEX:
        hit = _nonnull_guarded(t, ref, is_null, lambda: _concrete(t, ref, heap - HEAP_INDEX))
    elif heap == I31:
        hit = b.icmp_unsigned("==", b.and_(ref, I64T(1)), I64T(1))
    elif heap in (STRUCT, ARRAY):
        kind = KIND_STRUCT if heap == STRUCT else KIND_ARRAY
        hit = _nonnull_guarded(t, ref, is_null, lambda: _kind_is(t, ref, kind))
    elif heap == EQ:  # an i31 or an object, not a host value
        hit = b.icmp_unsigned("!=", b.and_(ref, I64T(3)), I64T(2))
    else:  # any, func, extern, exn: every non-null value of the hierarchy
        hit = ir.Constant(I1, 1)
    hit = b.and_(hit, b.icmp_unsigned("!=", ref, I64T(0)))
    return b.or_(hit, is_null) if nullable else hit


def _nonnull_guarded(t: FunctionTranslator, ref: ir.Value, is_null: ir.Value,
                     test: object) -> ir.Value:
    """`test()` evaluated only for a non-null reference (false for null)."""
    b = t.b
    here, run, join = b.block, t.new_block("cast"), t.new_block("cast_done")
    b.cbranch(is_null, join, run)
    b.position_at_end(run)
    hit = test()  # type: ignore[operator]
    run_end = b.block
    b.branch(join)
    b.position_at_end(join)
    phi = b.phi(I1)
    phi.add_incoming(ir.Constant(I1, 0), here)
    phi.add_incoming(hit, run_end)
    return phi


@gc_op(26)
def any_convert_extern(t: FunctionTranslator, ins: Instr) -> None:
    """Nothing to do: every value keeps its representation in both hierarchies (a host value
    stays recognizable by its low bits, an internal reference by its own)."""


@gc_op(27)
def extern_convert_any(t: FunctionTranslator, ins: Instr) -> None:
    """As any.convert_extern: the same bits."""


@gc_op(20)
def ref_test(t: FunctionTranslator, ins: Instr) -> None:
    t.push(t.b.zext(matches(t, t.pop(), ins.imm, False), I32T))  # type: ignore[arg-type]


@gc_op(21)
def ref_test_null(t: FunctionTranslator, ins: Instr) -> None:
    t.push(t.b.zext(matches(t, t.pop(), ins.imm, True), I32T))  # type: ignore[arg-type]


def _cast(t: FunctionTranslator, heap: int, nullable: bool) -> None:
    ref = t.stack[-1]
    t.trap_if(t.b.not_(matches(t, ref, heap, nullable)), TRAP_CAST)


@gc_op(22)
def ref_cast(t: FunctionTranslator, ins: Instr) -> None:
    _cast(t, ins.imm, False)  # type: ignore[arg-type]


@gc_op(23)
def ref_cast_null(t: FunctionTranslator, ins: Instr) -> None:
    _cast(t, ins.imm, True)  # type: ignore[arg-type]


def _br_on_cast(t: FunctionTranslator, ins: Instr, on_fail: bool) -> None:
    from .control import branch_when

    flags, depth, _, target = ins.imm  # type: ignore[misc]
    hit = matches(t, t.stack[-1], target, bool(flags & 2))
    branch_when(t, t.b.not_(hit) if on_fail else hit, depth)


@gc_op(24)
def br_on_cast(t: FunctionTranslator, ins: Instr) -> None:
    _br_on_cast(t, ins, False)


@gc_op(25)
def br_on_cast_fail(t: FunctionTranslator, ins: Instr) -> None:
    _br_on_cast(t, ins, True)
