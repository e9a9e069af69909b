"""The guest ABI as Python sees it: guest/abi.def parsed into typed constants.

guest/abi.def is the one definition of the contract between the compiler (jit/), the kernel
(guest/), the image builder (boot/) and the host (host/, tests/): the vmctx header, trap codes
and messages, system call numbers, the layouts of the structs compiled code and the host read
(struct memory, struct table, func objects, the debugger's instance table) and the value types.
The kernel gets the same facts from guest/abi.h, which checks every offset at compile time;
tests/test_abi.py checks that this reader and the compiled kernel agree.

This module reads only text (no LLVM): a cached `osbuild run` imports it without the compiler.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

SCALAR_SIZES = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
ENTRY = re.compile(r"^([A-Z_]+)\((.*)\)$")
ARG = re.compile(r'\s*("[^"]*"|\'[^\']\'|[^,]+?)\s*(?:,|$)')


class AbiError(ValueError):
    """guest/abi.def holds something this reader does not understand (an osbuild bug)."""


@dataclass(frozen=True)
class Field:
    name: str
    offset: int
    size: int  # bytes of the whole field (count * element size for an array)
    ctype: str
    count: int = 1  # > 1 for an array


@dataclass(frozen=True)
class Struct:
    name: str
    size: int
    fields: Mapping[str, Field]

    def offset(self, field: str) -> int:
        return self.fields[field].offset

    def unpack(self, raw: bytes) -> dict[str, int]:
        """The scalar fields found in `raw`, a copy of (a prefix of) one such struct read from
        the guest (RISC-V is little-endian); arrays are left to the caller."""
        return {f.name: int.from_bytes(raw[f.offset:f.offset + f.size], "little")
                for f in self.fields.values() if f.count == 1 and f.offset + f.size <= len(raw)}


@dataclass(frozen=True)
class Trap:
    name: str  # TRAP_<name> in C, e.g. "OOB_MEMORY"
    code: int
    message: str  # wording of `wasm trap: <message>`


@dataclass(frozen=True)
class Syscall:
    name: str  # SYS_<name> in C
    number: int  # in a7
    stub: str  # the guest/user.S function that makes the ecall


@dataclass(frozen=True)
class ValType:
    name: str  # VT_<name> in C, e.g. "I32"
    letter: str  # in signature strings, e.g. "i"
    text: str  # e.g. "i32"
    code: int  # binary format type code, e.g. 0x7F


@dataclass(frozen=True)
class Abi:
    vmctx: Mapping[str, int]  # header field -> byte offset (8-byte fields)
    vmctx_header: int  # header size: where the per-module `globals` area starts
    traps: Mapping[str, Trap]
    syscalls: Mapping[str, Syscall]
    consts: Mapping[str, int]
    structs: Mapping[str, Struct]
    debug_states: Mapping[str, tuple[int, str]]  # NAME -> (value, text)
    valtypes: tuple[ValType, ...]


def _args(text: str, lineno: int) -> list[str | int]:
    out: list[str | int] = []
    pos = 0
    while pos < len(text):
        m = ARG.match(text, pos)
        if m is None or m.end() == pos:
            raise AbiError(f"abi.def:{lineno}: cannot read the arguments {text!r}")
        raw = m.group(1)
        if raw[0] in "\"'":
            out.append(raw[1:-1])
        elif re.fullmatch(r"0[xX][0-9a-fA-F]+|\d+", raw):
            out.append(int(raw, 0))
        else:
            out.append(raw)
        pos = m.end()
    return out


def entries(text: str) -> list[tuple[int, str, list[str | int]]]:
    """(line number, macro, arguments) of every entry line; comments and directives skipped."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = ENTRY.match(line)
        if m is None:
            raise AbiError(f"abi.def:{lineno}: not an entry: {line!r}")
        out.append((lineno, m.group(1), _args(m.group(2), lineno)))
    return out


class _Reader:
    """Collects the entries of abi.def into an Abi, checking the arity and types of each."""

    SHAPES = {"VMCTX": "ssi", "VMCTX_HEADER": "i", "TRAP": "sis", "SYSCALL": "sis",
              "CONST": "si", "STRUCT": "s", "FIELD": "sssi", "ARRAY": "ssssi", "END": "si",
              "DBG_STATE": "sis", "VALTYPE": "sssi"}

    def __init__(self) -> None:
        self.vmctx: dict[str, int] = {}
        self.header = 0
        self.traps: dict[str, Trap] = {}
        self.syscalls: dict[str, Syscall] = {}
        self.consts: dict[str, int] = {}
        self.structs: dict[str, Struct] = {}
        self.fields: dict[str, Field] = {}
        self.open: str | None = None
        self.states: dict[str, tuple[int, str]] = {}
        self.valtypes: list[ValType] = []

    def add(self, lineno: int, macro: str, args: list[str | int]) -> None:
        shape = self.SHAPES.get(macro)
        if shape is None:
            raise AbiError(f"abi.def:{lineno}: unknown entry {macro}")
        kinds = "".join("i" if isinstance(a, int) else "s" for a in args)
        if macro == "ARRAY" and len(args) == 5 and isinstance(args[3], int):
            kinds = kinds[:3] + "s" + kinds[4:]  # a count may be a number or a CONST
        if kinds != shape:
            raise AbiError(f"abi.def:{lineno}: {macro} takes ({shape}), got {args}")
        getattr(self, "on_" + macro.lower())(lineno, *args)

    def on_vmctx(self, lineno: int, field: str, ctype: str, offset: int) -> None:
        if SCALAR_SIZES.get(ctype) != 8:
            raise AbiError(f"abi.def:{lineno}: vmctx fields are 8 bytes, not {ctype}")
        self.vmctx[field] = offset

    def on_vmctx_header(self, lineno: int, size: int) -> None:
        end = max((off + 8 for off in self.vmctx.values()), default=0)
        if end > size:
            raise AbiError(f"abi.def:{lineno}: the vmctx fields end at {end}, past the header")
        self.header = size

    def on_trap(self, lineno: int, name: str, code: int, message: str) -> None:
        if any(t.code == code for t in self.traps.values()):
            raise AbiError(f"abi.def:{lineno}: trap code {code} defined twice")
        self.traps[name] = Trap(name, code, message)

    def on_syscall(self, lineno: int, name: str, number: int, stub: str) -> None:
        self.syscalls[name] = Syscall(name, number, stub)

    def on_const(self, lineno: int, name: str, value: int) -> None:
        self.consts[name] = value

    def on_struct(self, lineno: int, name: str) -> None:
        self.open, self.fields = name, {}

    def on_field(self, lineno: int, struct: str, field: str, ctype: str, offset: int) -> None:
        self._field(lineno, struct, Field(field, offset, self._size(lineno, ctype), ctype))

    def on_array(self, lineno: int, struct: str, field: str, ctype: str, count: str | int,
                 offset: int) -> None:
        n = count if isinstance(count, int) else self.consts.get(count)
        if n is None:
            raise AbiError(f"abi.def:{lineno}: unknown count {count}")
        size = self._size(lineno, ctype) * n
        self._field(lineno, struct, Field(field, offset, size, ctype, n))

    def on_end(self, lineno: int, struct: str, size: int) -> None:
        if struct != self.open:
            raise AbiError(f"abi.def:{lineno}: END({struct}) closes {self.open}")
        self.structs[struct] = Struct(struct, size, MappingProxyType(self.fields))
        self.open = None

    def on_dbg_state(self, lineno: int, name: str, value: int, text: str) -> None:
        self.states[name] = (value, text)

    def on_valtype(self, lineno: int, name: str, letter: str, text: str, code: int) -> None:
        self.valtypes.append(ValType(name, letter, text, code))

    def _size(self, lineno: int, ctype: str) -> int:
        if ctype in SCALAR_SIZES:
            return SCALAR_SIZES[ctype]
        if ctype in self.structs:
            return self.structs[ctype].size
        raise AbiError(f"abi.def:{lineno}: unknown type {ctype}")

    def _field(self, lineno: int, struct: str, field: Field) -> None:
        if struct != self.open:
            raise AbiError(f"abi.def:{lineno}: field of {struct} outside its STRUCT")
        self.fields[field.name] = field

    def result(self) -> Abi:
        if self.open is not None:
            raise AbiError(f"abi.def: STRUCT({self.open}) has no END")
        freeze = MappingProxyType
        return Abi(freeze(self.vmctx), self.header, freeze(self.traps), freeze(self.syscalls),
                   freeze(self.consts), freeze(self.structs), freeze(self.states),
                   tuple(self.valtypes))


def parse(text: str) -> Abi:
    """The Abi of an abi.def text (tests parse modified copies)."""
    reader = _Reader()
    for lineno, macro, args in entries(text):
        reader.add(lineno, macro, args)
    return reader.result()


def load() -> Abi:
    return parse((resources.files("osbuild.guest") / "abi.def").read_text())


ABI = load()

# The facts most code wants, by the names it uses.
VMCTX = ABI.vmctx
VMCTX_HEADER = ABI.vmctx_header
TRAPS = ABI.traps
TRAP_MESSAGES = {t.code: t.message for t in ABI.traps.values()}
SYSCALLS = {s.name: s.number for s in ABI.syscalls.values()}
STRUCTS = ABI.structs
CONSTS = ABI.consts  # CONST entries: numbers the kernel and the compiler agree on
DEBUG_STATES = {value: text for value, text in ABI.debug_states.values()}
TYPE_NAMES = {v.letter: v.text for v in ABI.valtypes}  # "i" -> "i32"
TYPE_LETTERS = {v.text: v.letter for v in ABI.valtypes}  # "i32" -> "i"
TYPE_CODES = {v.letter: v.code for v in ABI.valtypes}  # "i" -> 0x7F
CODE_NAMES = {v.code: v.text for v in ABI.valtypes}  # 0x7F -> "i32"


def trap_message(code: int) -> str:
    """The message of a trap code as wasmtime words it; `trap N` for a code we do not know."""
    return TRAP_MESSAGES.get(code, f"trap {code}")
