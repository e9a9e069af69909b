"""A built image as the host reads it: the ModuleMeta list of `.osbuild.meta`, the load
segments, the symbols and the compiler's line table (DWARF, line number = wasm code offset).
The ELF is parsed once per `Image`, each part on first use, and the one object is passed to
whatever needs it (`--invoke` export lookup, the fuel check, trap reports, the debugger, the
embedding API).

Headers, sections and symbols are read here with `struct` (ELF64, little-endian: what
boot/ links); only the DWARF line table needs pyelftools, imported when a trap report or the
debugger asks for it. Importing pyelftools costs a plain `osbuild run` ~70 ms (issue 14).
"""

from __future__ import annotations

import json
import struct
from functools import cached_property
from pathlib import Path

from osbuild.errors import UserError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from typing import Any

PT_LOAD = 1
STT_FUNC = 2


class ELF:
    """The parts of an ELF64 little-endian file the host reads without pyelftools."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise UserError("not a 64-bit little-endian ELF file")
        self.data = data
        (self.phoff, self.shoff, _, _, self.phentsize, self.phnum, self.shentsize,
         self.shnum, self.shstrndx) = struct.unpack_from("<QQIHHHHHH", data, 0x20)

    def segments(self) -> list[tuple[int, int]]:
        """(p_type, p_paddr) of every program header."""
        out = []
        for i in range(self.phnum):
            off = self.phoff + i * self.phentsize
            p_type = struct.unpack_from("<I", self.data, off)[0]
            p_paddr = struct.unpack_from("<Q", self.data, off + 24)[0]
            out.append((p_type, p_paddr))
        return out

    @cached_property
    def sections(self) -> dict[str, tuple[int, int, int, int]]:
        """name → (sh_type, sh_offset, sh_size, sh_link)."""
        heads = [struct.unpack_from("<IIQQQQIIQQ", self.data, self.shoff + i * self.shentsize)
                 for i in range(self.shnum)]
        names = heads[self.shstrndx]
        out = {}
        for h in heads:
            start = names[4] + h[0]
            name = self.data[start:self.data.index(b"\0", start)].decode()
            out[name] = (h[1], h[4], h[5], h[6])
        self._heads = heads
        return out

    def section(self, name: str) -> bytes | None:
        sec = self.sections.get(name)
        return None if sec is None else self.data[sec[1]:sec[1] + sec[2]]

    def symbols(self) -> list[tuple[str, int, int, int]]:
        """(name, st_value, st_size, type) of every .symtab entry."""
        sec = self.sections.get(".symtab")
        if sec is None:
            return []
        strtab = self._heads[sec[3]][4]
        out = []
        for off in range(sec[1], sec[1] + sec[2], 24):
            st_name, st_info, _, _, value, size = struct.unpack_from("<IBBHQQ", self.data, off)
            start = strtab + st_name
            name = self.data[start:self.data.index(b"\0", start)].decode(errors="replace")
            out.append((name, value, size, st_info & 0xF))
        return out

    def symbol(self, name: str) -> int | None:
        """The value of the first .symtab entry named ``name`` (None if there is none)."""
        sec = self.sections.get(".symtab")
        if sec is None:
            return None
        strtab = self._heads[sec[3]][4]
        want, data = name.encode() + b"\0", self.data
        for off in range(sec[1], sec[1] + sec[2], 24):
            start = strtab + int.from_bytes(data[off:off + 4], "little")
            if data[start:start + len(want)] == want:
                return struct.unpack_from("<Q", data, off + 8)[0]
        return None


class Image:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Image({str(self.path)!r})"

    @cached_property
    def raw(self) -> ELF:
        try:
            elf = ELF(self.path.read_bytes())
            elf.sections  # noqa: B018 - parsed now, so that a truncated file fails here
        except (struct.error, ValueError, IndexError) as e:
            raise UserError(f"{self.path} is not an osbuild image ({e})") from None
        return elf

    @cached_property
    def metadata(self) -> list[dict[str, Any]]:
        """The ModuleMeta of each module, in manifest order (empty if there is none)."""
        data = self.raw.section(".osbuild.meta")
        return json.loads(data.rstrip(b"\0")) if data is not None else []

    @cached_property
    def programs(self) -> list[dict[str, Any]] | None:
        """An image of several programs: how to run each (host/programs.py); else None."""
        data = self.raw.section(".osbuild.programs")
        return json.loads(data.rstrip(b"\0")) if data is not None else None

    @cached_property
    def modules(self) -> dict[str, dict[str, Any]]:
        """ModuleMeta by symbol prefix."""
        return {m["prefix"]: m for m in self.metadata}

    @cached_property
    def load_addresses(self) -> list[int]:
        """Physical addresses of the PT_LOAD segments."""
        return [paddr for ptype, paddr in self.raw.segments() if ptype == PT_LOAD]

    @cached_property
    def symbols(self) -> dict[str, int]:
        return {name: value for name, value, _, _ in self.raw.symbols()}

    def symbol(self, name: str) -> int | None:
        """The value of one symbol, found without decoding every name of the symbol table
        (which costs a plain run ~2 ms for the one `__kernel_end` it needs)."""
        if "symbols" in self.__dict__:
            return self.symbols.get(name)
        return self.raw.symbol(name)

    @cached_property
    def functions(self) -> list[tuple[int, str, int]]:
        """(start, name, size) of every function symbol, by address."""
        return sorted((value, name, size) for name, value, size, kind in self.raw.symbols()
                      if kind == STT_FUNC)

    @cached_property
    def line_table(self) -> list[tuple[int, int | None]]:
        """(address, wasm offset) rows by address; None ends a sequence."""
        import io

        from elftools.elf.elffile import ELFFile

        elf = ELFFile(io.BytesIO(self.raw.data))
        rows: list[tuple[int, int | None]] = []
        if elf.has_dwarf_info():
            dwarf = elf.get_dwarf_info()
            for cu in dwarf.iter_CUs():
                program = dwarf.line_program_for_CU(cu)
                if program is None:
                    continue
                for entry in program.get_entries():
                    st = entry.state
                    if st is not None:
                        rows.append((st.address, None if st.end_sequence else st.line))
        # A sequence's end before another's first row at the same address: the compiler's
        # units are not laid out in address order (frameless leaves have a section of their
        # own, boot/image.ld), so one function's end can be the next one's start.
        rows.sort(key=lambda row: (row[0], row[1] is not None))
        return rows

    def inlined_at(self, pc: int) -> tuple[str, int, int, int] | None:
        """When pc is in code the compiler inlined (jit/inline.py): (the inlined function's
        symbol name, the call's line, that is its wasm offset in the caller's body, and the
        inlined code's range [lo, hi) around pc), from the DW_TAG_inlined_subroutine entries
        of .debug_info; else None. Only the compile units whose ranges hold pc are read."""
        for lo, hi, cu in self._cu_ranges:
            if lo <= pc < hi:
                for name, line, lo, hi, _ in self._cu_inlined(cu):
                    if lo <= pc < hi:
                        return name, line, lo, hi
        return None

    @cached_property
    def _cu_ranges(self) -> list[tuple[int, int, Any]]:
        """(lo, hi, compile unit) of every pc range of every compile unit (top DIEs only)."""
        import io

        from elftools.elf.elffile import ELFFile

        elf = ELFFile(io.BytesIO(self.raw.data))
        if not elf.has_dwarf_info():
            return []
        dwarf = elf.get_dwarf_info()
        out = []
        for cu in dwarf.iter_CUs():
            top = cu.get_top_DIE()
            for lo, hi in _die_ranges(dwarf, top, _cu_base(top)):
                out.append((lo, hi, cu))
        return out

    @cached_property
    def _inlined(self) -> dict[int, list[tuple[str, int, int, int, int]]]:
        """`_cu_inlined`'s answers by compile unit offset, read once each."""
        return {}

    def inlined_entries(self, name: str) -> list[int]:
        """The entry of every inlined copy of function ``name`` (symbol name): the lowest pc
        of each DW_TAG_inlined_subroutine, where the debugger also puts a breakpoint on it
        (as gdb does for inlined functions). Reads every compile unit."""
        entries = {}
        units = {cu.cu_offset: cu for _, _, cu in self._cu_ranges}  # a unit has several ranges
        for cu in units.values():
            for callee, _, lo, _, die in self._cu_inlined(cu):
                if callee == name:
                    entries[die] = min(lo, entries.get(die, lo))
        return sorted(entries.values())

    def _cu_inlined(self, cu: Any) -> list[tuple[str, int, int, int, int]]:
        """The inlined code of one compile unit: (name, call line, lo, hi, DIE offset) per
        range."""
        cache = self._inlined
        if cu.cu_offset not in cache:
            top = cu.get_top_DIE()
            base, out = _cu_base(top), []
            for die in top.iter_children():  # subprograms; an inlined leaf inlines nothing
                for child in die.iter_children():
                    if child.tag != "DW_TAG_inlined_subroutine":
                        continue
                    origin = child.get_DIE_from_attribute("DW_AT_abstract_origin")
                    name = origin.attributes["DW_AT_name"].value.decode()
                    line = child.attributes["DW_AT_call_line"].value
                    for lo, hi in _die_ranges(cu.dwarfinfo, child, base):
                        out.append((name, line, lo, hi, child.offset))
            cache[cu.cu_offset] = out
        return cache[cu.cu_offset]

    def module(self, index: int = 0) -> dict[str, Any]:
        """ModuleMeta of module ``index``; a UserError for a file that is no osbuild image."""
        if not self.metadata:
            raise UserError(f"{self.path} is not an osbuild image (no .osbuild.meta section)")
        return self.metadata[index]

    def function_export(self, name: str, module: int = 0) -> dict[str, Any]:
        """The export entry of function ``name``; a UserError naming the choices if none."""
        exports = self.module(module)["exports"]
        for e in exports:
            if e["name"] == name:
                if e["kind"] != "func":
                    raise UserError(f"export '{name}' is a {e['kind']}, not a function")
                return e
        funcs = ", ".join(e["name"] for e in exports if e["kind"] == "func") or "none"
        raise UserError(f"no function export named '{name}' (function exports: {funcs})")


def _cu_base(top: Any) -> int:
    """A compile unit's base address (its DW_AT_low_pc; 0 when it has ranges)."""
    low = top.attributes.get("DW_AT_low_pc")
    return low.value if low is not None else 0


def _die_ranges(dwarf: Any, die: Any, base: int) -> list[tuple[int, int]]:
    """The [lo, hi) pc ranges of a DIE: DW_AT_low_pc/high_pc (high as an offset unless its
    form is an address) or a DW_AT_ranges list (offsets from the compile unit's base)."""
    attrs = die.attributes
    if "DW_AT_ranges" in attrs:
        out = []
        for entry in dwarf.range_lists().get_range_list_at_offset(attrs["DW_AT_ranges"].value):
            if hasattr(entry, "base_address"):
                base = entry.base_address
            elif entry.begin_offset != entry.end_offset:
                at = 0 if getattr(entry, "is_absolute", False) else base
                out.append((at + entry.begin_offset, at + entry.end_offset))
        return out
    if "DW_AT_low_pc" in attrs and "DW_AT_high_pc" in attrs:
        lo, high = attrs["DW_AT_low_pc"].value, attrs["DW_AT_high_pc"]
        return [(lo, high.value if high.form == "DW_FORM_addr" else lo + high.value)]
    return []
