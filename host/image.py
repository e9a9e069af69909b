"""A built image as the host reads it: the ModuleMeta list of `.osbuild.meta`, the symbols
and the compiler's line table (DWARF, line number = wasm code offset). The ELF is parsed
once per `Image`, each part on first use, and the one object is passed to whatever needs it
(`--invoke` export lookup, the fuel check, trap reports, the debugger, the embedding API).
"""

from __future__ import annotations

import io
import json
from functools import cached_property
from pathlib import Path
from typing import Any

from elftools.elf.elffile import ELFFile

from osbuild.errors import UserError


class Image:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Image({str(self.path)!r})"

    @cached_property
    def elf(self) -> ELFFile:
        return ELFFile(io.BytesIO(self.path.read_bytes()))

    @cached_property
    def metadata(self) -> list[dict[str, Any]]:
        """The ModuleMeta of each module, in manifest order (empty if there is none)."""
        sec = self.elf.get_section_by_name(".osbuild.meta")
        return json.loads(sec.data().rstrip(b"\0")) if sec is not None else []

    @cached_property
    def modules(self) -> dict[str, dict[str, Any]]:
        """ModuleMeta by symbol prefix."""
        return {m["prefix"]: m for m in self.metadata}

    @cached_property
    def symbols(self) -> dict[str, int]:
        symtab = self.elf.get_section_by_name(".symtab")
        return {s.name: s["st_value"] for s in symtab.iter_symbols()}  # type: ignore[union-attr]

    @cached_property
    def functions(self) -> list[tuple[int, str, int]]:
        """(start, name, size) of every function symbol, by address."""
        symtab = self.elf.get_section_by_name(".symtab")
        return sorted((s["st_value"], s.name, s["st_size"])
                      for s in symtab.iter_symbols()  # type: ignore[union-attr]
                      if s["st_info"]["type"] == "STT_FUNC")

    @cached_property
    def line_table(self) -> list[tuple[int, int | None]]:
        """(address, wasm offset) rows by address; None ends a sequence."""
        rows: list[tuple[int, int | None]] = []
        if self.elf.has_dwarf_info():
            dwarf = self.elf.get_dwarf_info()
            for cu in dwarf.iter_CUs():
                program = dwarf.line_program_for_CU(cu)
                if program is None:
                    continue
                for entry in program.get_entries():
                    st = entry.state
                    if st is not None:
                        rows.append((st.address, None if st.end_sequence else st.line))
        rows.sort(key=lambda row: row[0])
        return rows

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
