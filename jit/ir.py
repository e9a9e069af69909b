"""A small LLVM IR builder that writes textual IR as it goes.

Why not llvmlite's ``ir`` object model: profiling QuickJS's 1,394 functions showed ~60% of a
unit's compile time in Python, most of it llvmlite's generality — a name scope that
de-duplicates every value name, a debug-location node per instruction de-duplicated by
hashing, and a second pass that stringifies every instruction object through ``format``. This
module keeps the subset of llvmlite's API the translator uses (``IRBuilder`` methods, types,
constants, functions, metadata) so that the lowering code reads the same, but each instruction
is formatted once, when it is built, into the line that LLVM will parse; names are numbered
per function and never searched; a module's text is a join of those lines.

Only what jit/ needs is here; an unknown operation is an AttributeError, never silently wrong
IR (LLVM's parser and verifier check every unit's text).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from typing import Any

# --- types ------------------------------------------------------------------------------------


class Type:
    """An LLVM type; equal types have equal text (opaque pointers: every pointer is `ptr`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<ir.Type {self.text}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Type) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __call__(self, value: Any) -> Constant:
        return Constant(self, value)

    def as_pointer(self) -> PointerType:
        return PointerType(self)


class IntType(Type):
    __slots__ = ("width",)

    def __init__(self, width: int) -> None:
        super().__init__(f"i{width}")
        self.width = width


class FloatType(Type):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("float")


class DoubleType(Type):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("double")


class VoidType(Type):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("void")


class PointerType(Type):
    """`ptr`; remembers what it points to when that is a function type, so that a call
    through a loaded code pointer knows its signature (as llvmlite's typed pointers did)."""

    __slots__ = ("pointee", "addrspace")

    def __init__(self, pointee: Type | None = None, addrspace: int = 0) -> None:
        super().__init__(f"ptr addrspace({addrspace})" if addrspace else "ptr")
        self.pointee = pointee
        self.addrspace = addrspace


class VectorType(Type):
    __slots__ = ("element", "count")

    def __init__(self, element: Type, count: int) -> None:
        super().__init__(f"<{count} x {element.text}>")
        self.element = element
        self.count = count


class ArrayType(Type):
    __slots__ = ("element", "count")

    def __init__(self, element: Type, count: int) -> None:
        super().__init__(f"[{count} x {element.text}]")
        self.element = element
        self.count = count


class LiteralStructType(Type):
    __slots__ = ("elements",)

    def __init__(self, elements: Iterable[Type]) -> None:
        self.elements = tuple(elements)
        super().__init__("{" + ", ".join(e.text for e in self.elements) + "}")


class FunctionType(Type):
    __slots__ = ("return_type", "args")

    def __init__(self, return_type: Type, args: Iterable[Type]) -> None:
        self.return_type = return_type
        self.args = tuple(args)
        super().__init__(f"{return_type.text} ({', '.join(a.text for a in self.args)})")


_I1 = IntType(1)
_I32 = IntType(32)

# --- values -----------------------------------------------------------------------------------


class Value:
    """Anything an instruction can take as an operand: `ref` is its text without the type."""

    __slots__ = ("type", "ref")

    def __init__(self, type: Type, ref: str) -> None:  # noqa: A002 - llvmlite's name
        self.type = type
        self.ref = ref

    @property
    def typed(self) -> str:
        return f"{self.type.text} {self.ref}"


class _Undefined:
    """The marker for `undef` (``Constant(ty, Undefined)``), as in llvmlite."""


Undefined = _Undefined()


def _float_text(ty: Type, value: float) -> str:
    """LLVM's hexadecimal form: the value as a double (a float must be exactly representable,
    so it is rounded to single precision first)."""
    if ty.text == "float":
        value = struct.unpack("<f", struct.pack("<f", value))[0]
    if math.isnan(value) or math.isinf(value) or value != 0.0 or math.copysign(1, value) < 0:
        return "0x%016X" % struct.unpack("<Q", struct.pack("<d", value))[0]
    return "0.0"


def _const_text(ty: Type, value: Any) -> str:
    if value is Undefined:
        return "undef"
    if value is None:
        return "zeroinitializer"
    if isinstance(value, Value):
        return value.ref
    if isinstance(ty, IntType):
        if ty.width == 1:
            return "true" if value else "false"
        return str(int(value))
    if isinstance(ty, (FloatType, DoubleType)):
        return _float_text(ty, float(value))
    if isinstance(ty, (VectorType, ArrayType)):
        if isinstance(value, (bytes, bytearray)) and ty.element.text == "i8":
            return 'c"\\' + bytes(value).hex("\\") + '"' if value else 'c""'
        el = ty.element
        if not isinstance(value, (list, tuple, bytes, bytearray)):
            value = [value] * ty.count  # a scalar splats, as in llvmlite
        inner = ", ".join(f"{el.text} {_const_text(el, v)}" for v in value)
        return f"<{inner}>" if isinstance(ty, VectorType) else f"[{inner}]"
    if isinstance(ty, LiteralStructType):
        inner = ", ".join(f"{e.text} {_const_text(e, v)}" for e, v in zip(ty.elements, value,
                                                                          strict=True))
        return "{" + inner + "}"
    raise TypeError(f"no constant of type {ty.text} from {value!r}")


class Constant(Value):
    """A constant; `constant` keeps the Python value (the fuel meter reads small ints)."""

    __slots__ = ("constant",)

    def __init__(self, type: Type, constant: Any) -> None:  # noqa: A002
        super().__init__(type, _const_text(type, constant))
        self.constant = constant

    def bitcast(self, to: Type) -> FormattedConstant:
        return FormattedConstant(to, f"bitcast ({self.type.text} {self.ref} to {to.text})")


class FormattedConstant(Constant):
    """A constant expression given as text (`constant` is that text, as in llvmlite)."""

    __slots__ = ()

    def __init__(self, type: Type, text: str) -> None:  # noqa: A002
        Value.__init__(self, type, text)
        self.constant = text


class Argument(Value):
    __slots__ = ()


class MetaDataString:
    """`!"text"` (llvmlite's signature: the module comes first)."""

    __slots__ = ("ref",)

    def __init__(self, module: Module, text: str) -> None:
        self.ref = '!"' + _escape(text) + '"'


class DIToken:
    """A bare enumerator in a debug-info node (`DW_LANG_C99`)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


class MDValue:
    """A numbered metadata node `!N`."""

    __slots__ = ("ref",)

    def __init__(self, ref: str) -> None:
        self.ref = ref


DIValue = MDValue


def _escape(text: str) -> str:
    out = []
    for ch in text.encode():
        out.append(chr(ch) if 0x20 <= ch < 0x7F and ch not in (0x22, 0x5C) else f"\\{ch:02X}")
    return "".join(out)


def _md_operand(v: Any) -> str:
    if isinstance(v, (MDValue, MetaDataString)):
        return v.ref
    if isinstance(v, Value):
        return v.typed
    raise TypeError(f"not a metadata operand: {v!r}")


def _di_operand(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + _escape(v) + '"'
    if isinstance(v, DIToken):
        return v.value
    return v.ref  # a metadata node


# --- instructions -----------------------------------------------------------------------------


class Instruction(Value):
    """One instruction: `body` is its text after `%name = `, `md` its attached metadata."""

    __slots__ = ("body", "md", "opname", "operands")

    def __init__(self, type: Type, ref: str, body: str, opname: str,  # noqa: A002
                 operands: tuple[Value, ...] = ()) -> None:
        super().__init__(type, ref)
        self.body = body
        self.md = ""
        self.opname = opname
        self.operands = operands

    def set_metadata(self, kind: str, node: MDValue) -> None:
        self.md += f", !{kind} {node.ref}"

    def line(self) -> str:
        if self.ref:
            return f"  {self.ref} = {self.body}{self.md}"
        return f"  {self.body}{self.md}"


CastInstr = Instruction  # fuel.py asks `opname == "zext"` of any instruction
LoadInstr = Instruction
StoreInstr = Instruction


class PhiInstr(Instruction):
    __slots__ = ("incomings",)

    def __init__(self, type: Type, ref: str) -> None:  # noqa: A002
        super().__init__(type, ref, "", "phi")
        self.incomings: list[tuple[Value, Block]] = []

    def add_incoming(self, value: Value, block: Block) -> None:
        self.incomings.append((value, block))

    def line(self) -> str:
        inc = ", ".join(f"[ {v.ref}, %{b.name} ]" for v, b in self.incomings)
        return f"  {self.ref} = phi {self.type.text} {inc}{self.md}"


class SwitchInstr(Instruction):
    __slots__ = ("cases",)

    def __init__(self, value: Value, default: Block) -> None:
        super().__init__(VOID, "", f"switch {value.typed}, label %{default.name}", "switch")
        self.cases: list[str] = []

    def add_case(self, value: Value, block: Block) -> None:
        self.cases.append(f"{value.typed}, label %{block.name}")

    def line(self) -> str:
        return f"  {self.body} [{' '.join(self.cases)}]{self.md}"


_TERMINATORS = frozenset({"ret", "br", "switch", "unreachable"})

VOID = VoidType()


class Block:
    """A basic block: its label and its instructions in order."""

    __slots__ = ("name", "function", "instructions")

    def __init__(self, function: Function, name: str) -> None:
        self.function = function
        self.name = name
        self.instructions: list[Instruction] = []

    @property
    def is_terminated(self) -> bool:
        return bool(self.instructions) and self.instructions[-1].opname in _TERMINATORS

    @property
    def terminator(self) -> Instruction | None:
        return self.instructions[-1] if self.is_terminated else None


# --- functions, globals, the module ------------------------------------------------------------


class GlobalValue(Value):
    __slots__ = ("module", "name", "linkage")

    def __init__(self, module: Module, type: Type, name: str) -> None:  # noqa: A002
        super().__init__(type, f"@{name}")
        self.module = module
        self.name = name
        self.linkage = ""


class Function(GlobalValue):
    """A function: declared until it gets a block."""

    __slots__ = ("function_type", "args", "attributes", "section", "blocks", "dbg", "_names",
                 "_labels")

    def __init__(self, module: Module, ftype: FunctionType, name: str) -> None:
        super().__init__(module, PointerType(ftype), name)
        self.function_type = ftype
        self.args = tuple(Argument(t, f"%.a{i}") for i, t in enumerate(ftype.args))
        self.attributes: set[str] = set()
        self.section = ""
        self.blocks: list[Block] = []
        self.dbg = ""
        self._names = 0
        self._labels: dict[str, int] = {}
        module.functions.append(self)
        module.global_values.append(self)

    @property
    def is_declaration(self) -> bool:
        return not self.blocks

    def append_basic_block(self, name: str = "bb") -> Block:
        n = self._labels.get(name, 0)
        self._labels[name] = n + 1
        block = Block(self, name if n == 0 else f"{name}.{n}")
        self.blocks.append(block)
        return block

    def new_name(self) -> str:
        self._names += 1
        return f"%.{self._names}"

    def set_metadata(self, kind: str, node: MDValue) -> None:
        self.dbg += f" !{kind} {node.ref}"

    def text(self) -> str:
        ft = self.function_type
        attrs = " ".join(sorted(self.attributes))
        link = f"{self.linkage} " if self.linkage else ""
        if not self.blocks:
            params = ", ".join(a.text for a in ft.args)
            return f"declare {ft.return_type.text} @{self.name}({params}) {attrs}\n"
        params = ", ".join(a.typed for a in self.args)
        section = f' section "{self.section}"' if self.section else ""
        lines = [f"define {link}{ft.return_type.text} @{self.name}({params}) {attrs}{section}"
                 f"{self.dbg} {{"]
        for block in self.blocks:
            lines.append(f"{block.name}:")
            lines.extend(i.line() for i in block.instructions)
        lines.append("}\n")
        return "\n".join(lines)


class GlobalVariable(GlobalValue):
    __slots__ = ("value_type", "initializer", "global_constant", "align")

    def __init__(self, module: Module, typ: Type, name: str) -> None:
        super().__init__(module, PointerType(typ), name)
        self.value_type = typ
        self.initializer: Constant | None = None
        self.global_constant = False
        self.align: int | None = None
        module.global_values.append(self)

    def text(self) -> str:
        link = f"{self.linkage} " if self.linkage else ""
        kind = "constant" if self.global_constant else "global"
        init = self.initializer.ref if self.initializer is not None else "zeroinitializer"
        align = f", align {self.align}" if self.align else ""
        return f"@{self.name} = {link}{kind} {self.value_type.text} {init}{align}\n"


class Module:
    """One LLVM module: functions, globals and numbered/named metadata, printed by str()."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.triple = ""
        self.data_layout = ""
        self.functions: list[Function] = []
        self.global_values: list[GlobalValue] = []
        self.metadata: list[str] = []
        self._named: dict[str, list[str]] = {}
        self._locations: dict[tuple[str, int], MDValue] = {}

    def _add(self, text: str) -> MDValue:
        self.metadata.append(text)
        return MDValue(f"!{len(self.metadata) - 1}")

    def add_metadata(self, operands: Sequence[Any]) -> MDValue:
        return self._add("!{" + ", ".join(_md_operand(v) for v in operands) + "}")

    def add_named_metadata(self, name: str, element: MDValue | Sequence[Any]) -> None:
        node = element if isinstance(element, MDValue) else self.add_metadata(element)
        self._named.setdefault(name, []).append(node.ref)

    def add_debug_info(self, kind: str, operands: dict[str, Any],
                       is_distinct: bool = False) -> MDValue:
        fields = ", ".join(f"{k}: {_di_operand(v)}" for k, v in operands.items())
        return self._add(f"{'distinct ' if is_distinct else ''}!{kind}({fields})")

    def location(self, scope: MDValue, line: int) -> MDValue:
        """A DILocation, one per (scope, line): many instructions share a wasm offset."""
        key = (scope.ref, line)
        loc = self._locations.get(key)
        if loc is None:
            loc = self._add(f"!DILocation(line: {line}, column: 0, scope: {scope.ref})")
            self._locations[key] = loc
        return loc

    def __str__(self) -> str:
        parts = [f'; ModuleID = "{self.name}"\n', f'target triple = "{self.triple}"\n',
                 f'target datalayout = "{self.data_layout}"\n\n']
        parts.extend(g.text() for g in self.global_values if isinstance(g, GlobalVariable))
        parts.extend(f.text() for f in self.functions)
        parts.extend(f"!{name} = !{{{', '.join(refs)}}}\n" for name, refs in self._named.items())
        parts.extend(f"!{i} = {text}\n" for i, text in enumerate(self.metadata))
        return "".join(parts)


# --- the builder ------------------------------------------------------------------------------

_ICMP = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_FCMP = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


def _bool_type(t: Type) -> Type:
    return VectorType(_I1, t.count) if isinstance(t, VectorType) else _I1


class IRBuilder:
    """Appends instructions at the end of a block, or before an instruction
    (``position_before``); every instruction gets the builder's `debug_metadata`."""

    def __init__(self, block: Block | None = None) -> None:
        self.block: Block | None = block
        self._at: int | None = None  # insertion index; None: the end of the block
        self.debug_metadata: MDValue | None = None

    @property
    def function(self) -> Function:
        assert self.block is not None
        return self.block.function

    def position_at_end(self, block: Block) -> None:
        self.block = block
        self._at = None

    def position_before(self, instr: Instruction | None) -> None:
        assert self.block is not None and instr is not None
        for block in self.block.function.blocks:
            if instr in block.instructions:
                self.block = block
                self._at = block.instructions.index(instr)
                return
        raise ValueError("instruction is not in this function")

    def _insert(self, instr: Instruction) -> Instruction:
        if self.debug_metadata is not None:
            instr.md = f", !dbg {self.debug_metadata.ref}"
        block = self.block
        assert block is not None
        if self._at is None:
            block.instructions.append(instr)
        else:
            block.instructions.insert(self._at, instr)
            self._at += 1
        return instr

    def _value(self, ty: Type, body: str, opname: str,
               operands: tuple[Value, ...] = ()) -> Instruction:
        return self._insert(Instruction(ty, self.block.function.new_name(),  # type: ignore[union-attr]
                                        body, opname, operands))

    def _effect(self, body: str, opname: str) -> Instruction:
        return self._insert(Instruction(VOID, "", body, opname))

    # arithmetic and logic
    def _binop(self, op: str, a: Value, b: Value) -> Instruction:
        return self._value(a.type, f"{op} {a.type.text} {a.ref}, {b.ref}", op, (a, b))

    def add(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("add", a, b)

    def sub(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("sub", a, b)

    def mul(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("mul", a, b)

    def udiv(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("udiv", a, b)

    def sdiv(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("sdiv", a, b)

    def urem(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("urem", a, b)

    def srem(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("srem", a, b)

    def and_(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("and", a, b)

    def or_(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("or", a, b)

    def xor(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("xor", a, b)

    def shl(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("shl", a, b)

    def lshr(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("lshr", a, b)

    def ashr(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("ashr", a, b)

    def fadd(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("fadd", a, b)

    def fsub(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("fsub", a, b)

    def fmul(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("fmul", a, b)

    def fdiv(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("fdiv", a, b)

    def frem(self, a: Value, b: Value, name: str = "") -> Instruction:
        return self._binop("frem", a, b)

    def not_(self, a: Value, name: str = "") -> Instruction:
        t = a.type
        ones = Constant(t, [-1] * t.count) if isinstance(t, VectorType) else Constant(t, -1)
        return self._binop("xor", a, ones)

    def neg(self, a: Value, name: str = "") -> Instruction:
        return self._binop("sub", Constant(a.type, None), a)

    def fneg(self, a: Value, name: str = "") -> Instruction:
        return self._value(a.type, f"fneg {a.typed}", "fneg", (a,))

    # comparisons and select
    def icmp_signed(self, op: str, a: Value, b: Value, name: str = "") -> Instruction:
        pred = _ICMP[op]
        pred = pred if pred in ("eq", "ne") else "s" + pred
        return self._value(_bool_type(a.type), f"icmp {pred} {a.typed}, {b.ref}", "icmp")

    def icmp_unsigned(self, op: str, a: Value, b: Value, name: str = "") -> Instruction:
        pred = _ICMP[op]
        pred = pred if pred in ("eq", "ne") else "u" + pred
        return self._value(_bool_type(a.type), f"icmp {pred} {a.typed}, {b.ref}", "icmp")

    def fcmp_ordered(self, op: str, a: Value, b: Value, name: str = "") -> Instruction:
        pred = "o" + _FCMP[op] if op in _FCMP else op
        return self._value(_bool_type(a.type), f"fcmp {pred} {a.typed}, {b.ref}", "fcmp")

    def fcmp_unordered(self, op: str, a: Value, b: Value, name: str = "") -> Instruction:
        pred = "u" + _FCMP[op] if op in _FCMP else op
        return self._value(_bool_type(a.type), f"fcmp {pred} {a.typed}, {b.ref}", "fcmp")

    def select(self, cond: Value, a: Value, b: Value, name: str = "") -> Instruction:
        return self._value(a.type, f"select {cond.typed}, {a.typed}, {b.typed}", "select")

    # conversions
    def _cast(self, op: str, v: Value, to: Type) -> Instruction:
        return self._value(to, f"{op} {v.typed} to {to.text}", op, (v,))

    def trunc(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("trunc", v, to)

    def zext(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("zext", v, to)

    def sext(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("sext", v, to)

    def fptrunc(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("fptrunc", v, to)

    def fpext(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("fpext", v, to)

    def fptosi(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("fptosi", v, to)

    def fptoui(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("fptoui", v, to)

    def sitofp(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("sitofp", v, to)

    def uitofp(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("uitofp", v, to)

    def ptrtoint(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("ptrtoint", v, to)

    def inttoptr(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("inttoptr", v, to)

    def bitcast(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("bitcast", v, to)

    def addrspacecast(self, v: Value, to: Type, name: str = "") -> Instruction:
        return self._cast("addrspacecast", v, to)

    # memory
    def alloca(self, ty: Type, size: Value | int | None = None, name: str = "") -> Instruction:
        if size is None:
            return self._value(PointerType(ty), f"alloca {ty.text}", "alloca")
        n = size.typed if isinstance(size, Value) else f"i64 {size}"
        return self._value(PointerType(ty), f"alloca {ty.text}, {n}", "alloca")

    def gep(self, ptr: Value, indices: Sequence[Value], inbounds: bool = False,
            name: str = "", source_etype: Type | None = None) -> Instruction:
        assert source_etype is not None, "opaque pointers: say what the gep steps over"
        idx = "".join(f", {i.typed}" for i in indices)
        ib = "inbounds " if inbounds else ""
        body = f"getelementptr {ib}{source_etype.text}, {ptr.typed}{idx}"
        space = ptr.type.addrspace if isinstance(ptr.type, PointerType) else 0
        return self._value(PointerType(addrspace=space), body, "getelementptr")

    def load(self, ptr: Value, name: str = "", align: int | None = None,
             typ: Type | None = None, volatile: bool = False) -> Instruction:
        if typ is None:  # an alloca's slot knows what it holds
            typ = ptr.type.pointee  # type: ignore[attr-defined]
            assert typ is not None, "opaque pointers: say what is loaded"
        al = f", align {align}" if align else ""
        vol = "volatile " if volatile else ""
        return self._value(typ, f"load {vol}{typ.text}, {ptr.typed}{al}", "load")

    def load_atomic(self, ptr: Value, ordering: str, align: int, name: str = "",
                    typ: Type | None = None) -> Instruction:
        assert typ is not None
        return self._value(typ, f"load atomic {typ.text}, {ptr.typed} {ordering}, align {align}",
                           "load")

    def store(self, value: Value, ptr: Value, align: int | None = None,
              volatile: bool = False) -> Instruction:
        al = f", align {align}" if align else ""
        vol = "volatile " if volatile else ""
        return self._effect(f"store {vol}{value.typed}, {ptr.typed}{al}", "store")

    # vectors and aggregates
    def extract_element(self, v: Value, idx: Value, name: str = "") -> Instruction:
        return self._value(v.type.element, f"extractelement {v.typed}, {idx.typed}",  # type: ignore[attr-defined]
                           "extractelement")

    def insert_element(self, v: Value, x: Value, idx: Value, name: str = "") -> Instruction:
        return self._value(v.type, f"insertelement {v.typed}, {x.typed}, {idx.typed}",
                           "insertelement")

    def shuffle_vector(self, a: Value, b: Value, mask: Constant, name: str = "") -> Instruction:
        ty = VectorType(a.type.element, mask.type.count)  # type: ignore[attr-defined]
        return self._value(ty, f"shufflevector {a.typed}, {b.typed}, {mask.typed}",
                           "shufflevector")

    def extract_value(self, agg: Value, idx: int, name: str = "") -> Instruction:
        ty = agg.type.elements[idx]  # type: ignore[attr-defined]
        return self._value(ty, f"extractvalue {agg.typed}, {idx}", "extractvalue")

    def insert_value(self, agg: Value, v: Value, idx: int, name: str = "") -> Instruction:
        return self._value(agg.type, f"insertvalue {agg.typed}, {v.typed}, {idx}",
                           "insertvalue")

    # calls and control flow
    def call(self, fn: Value, args: Sequence[Value], name: str = "", cconv: str | None = None,
             tail: bool | str = False, fastmath: Sequence[str] = (),
             attrs: Sequence[str] = ()) -> Instruction:
        ftype = fn.function_type if isinstance(fn, Function) else fn.type.pointee  # type: ignore[attr-defined]
        assert isinstance(ftype, FunctionType), "call of a value that is not a function"
        marker = {False: "", True: "tail ", "tail": "tail ", "musttail": "musttail ",
                  "notail": "notail "}[tail]
        body = (f"{marker}call {ftype.return_type.text} {fn.ref}"
                f"({', '.join(a.typed for a in args)})")
        if attrs:
            body += " " + " ".join(attrs)
        if isinstance(ftype.return_type, VoidType):
            return self._effect(body, "call")
        return self._value(ftype.return_type, body, "call")

    def phi(self, ty: Type, name: str = "") -> PhiInstr:
        instr = PhiInstr(ty, self.block.function.new_name())  # type: ignore[union-attr]
        self._insert(instr)
        return instr

    def switch(self, value: Value, default: Block) -> SwitchInstr:
        instr = SwitchInstr(value, default)
        self._insert(instr)
        return instr

    def branch(self, target: Block) -> Instruction:
        return self._effect(f"br label %{target.name}", "br")

    def cbranch(self, cond: Value, then: Block, other: Block) -> Instruction:
        return self._effect(f"br {cond.typed}, label %{then.name}, label %{other.name}", "br")

    def ret(self, v: Value) -> Instruction:
        return self._effect(f"ret {v.typed}", "ret")

    def ret_void(self) -> Instruction:
        return self._effect("ret void", "ret")

    def unreachable(self) -> Instruction:
        return self._effect("unreachable", "unreachable")
