"""Trap reports: the guest's T frame turned into what `wasmtime run` prints, with each frame
symbolized from the image's symbols (pyelftools) and the module's name section."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from osbuild.abi import TRAPS
from osbuild.abi import trap_message as trap_message  # the messages live in guest/abi.def

if TYPE_CHECKING:
    from .answers import TrapReport
    from .image import Image

MAX_FRAMES = 64  # guest/trap.c walks this many return addresses
# traps whose report names the wasm address the access wanted
ADDRESS_TRAPS = {TRAPS["OOB_MEMORY"].code, TRAPS["OUT_OF_MEMORY"].code}
FUNC_SYMBOL = re.compile(r"^(w[0-9a-f]{12})_(f|imp|x)(\d+)$")


class Symbolizer:
    """Maps guest code addresses to `module!function+0xOFF` using the image alone."""

    def __init__(self, image: Image) -> None:
        self.image = image
        self.modules = image.modules
        self.starts = [start for start, _, _ in image.functions]
        self.line_addrs = [addr for addr, _ in image.line_table]

    def wasm_offset(self, pc: int) -> int | None:
        """The wasm code offset of the instruction at pc, from the DWARF line table the
        compiler emits: a line is the offset from the start of the function's body, which
        the module's ``code_offsets`` give (so a function's code does not depend on where
        it lies in the module, jit/units.py)."""
        i = bisect.bisect_right(self.line_addrs, pc) - 1
        if i < 0:
            return None
        line = self.image.line_table[i][1]
        hit = self.lookup(pc)
        m = FUNC_SYMBOL.match(hit[0]) if hit is not None else None
        if line is None or m is None or m.group(2) != "f":
            return None
        inlined = self.image.inlined_at(pc)
        if inlined is not None:  # the caller's frame: the call it inlined (`frames`)
            return self.body_offset(m.group(1), m.group(3), inlined[1])
        return self.row_offset(i, m.group(1), m.group(3), pc - hit[1],  # type: ignore[index]
                               self.function_end(pc))

    def row_offset(self, i: int, prefix: str, index: str, start: int, end: int) -> int | None:
        """The module offset that row ``i`` of the line table stands for in function
        ``index``, whose code (or inlined copy) spans [start, end): a row without a line
        takes the nearest one's (`nearest_line`)."""
        line = self.image.line_table[i][1]
        if not line:
            line = self.nearest_line(i, start, end)
        return self.body_offset(prefix, index, line) if line is not None else None

    def body_offset(self, prefix: str, index: str, line: int) -> int | None:
        """The module offset of a line of function ``index``'s debug info: the line is the
        offset from the start of the function's body."""
        meta = self.modules.get(prefix, {})
        offsets = meta.get("code_offsets", [])
        k = int(index) - meta.get("nimported_funcs", 0)
        return line + offsets[k] if 0 <= k < len(offsets) else None

    def frames(self, pc: int) -> list[tuple[str, bool]]:
        """`describe` for one frame address as the wasm frames it stands for, innermost
        first: two in code the compiler inlined (jit/inline.py), the inlined function's at
        its own instruction and the caller's at the call, as a call would have shown them."""
        hit = self.lookup(pc)
        m = FUNC_SYMBOL.match(hit[0]) if hit is not None else None
        inlined = self.image.inlined_at(pc) if m is not None and m.group(2) == "f" else None
        callee = FUNC_SYMBOL.match(inlined[0]) if inlined is not None else None
        if inlined is None or callee is None:
            return [self.describe(pc)]
        _, call_line, lo, hi = inlined
        i = bisect.bisect_right(self.line_addrs, pc) - 1
        offset = self.row_offset(i, callee.group(1), callee.group(3), lo, hi) if i >= 0 else None
        prefix, index = m.group(1), m.group(3)  # type: ignore[union-attr]
        return [(self.text(callee.group(1), callee.group(3), offset, pc - lo), True),
                (self.text(prefix, index, self.body_offset(prefix, index, call_line),
                           hit[1]), True)]  # type: ignore[index]

    def function_end(self, pc: int) -> int:
        start, _, size = self.image.functions[bisect.bisect_right(self.starts, pc) - 1]
        return start + size

    def nearest_line(self, i: int, start: int, end: int) -> int | None:
        """The wasm offset for row ``i`` of the line table, which has line 0: LLVM gives an
        instruction no line when it merged or hoisted code from several wasm instructions.
        A trap can land there only asynchronously ("interrupt", guest/trap.c): name the
        nearest wasm instruction before it in the same function (the code it follows), else
        the first after it."""
        rows = self.image.line_table
        # In a function's own code, a row of code it inlined has another function's line.
        own = self.image.inlined_at(rows[i][0]) is None
        for j in range(i - 1, -1, -1):
            addr, line = rows[j]
            if addr < start or line is None:
                break
            if line and (not own or self.image.inlined_at(addr) is None):
                return line
        for j in range(i + 1, len(rows)):
            addr, line = rows[j]
            if addr >= end or line is None:
                break
            if line and (not own or self.image.inlined_at(addr) is None):
                return line
        return None

    def lookup(self, pc: int) -> tuple[str, int] | None:
        i = bisect.bisect_right(self.starts, pc) - 1
        if i < 0:
            return None
        start, name, size = self.image.functions[i]
        if size and pc >= start + size:
            return None
        return name, pc - start

    def describe(self, pc: int) -> tuple[str, bool]:
        """(text, is_wasm) for one frame address."""
        hit = self.lookup(pc)
        if hit is None:
            return f"{pc:#x}", False
        name, off = hit
        m = FUNC_SYMBOL.match(name)
        if not m:
            return f"{name}+{off:#x}", False
        if m.group(2) != "f":
            return self.name(m.group(1), m.group(3)), False
        return self.text(m.group(1), m.group(3), self.wasm_offset(pc), off), True

    def name(self, prefix: str, index: str) -> str:
        """`module!function` from the module's name section."""
        meta = self.modules.get(prefix, {})
        module = printable(meta.get("name", prefix))
        func = printable(meta.get("func_names", {}).get(index, f"<wasm function {index}>"))
        return f"{module}!{func}"

    def text(self, prefix: str, index: str, offset: int | None, native: int) -> str:
        """One wasm frame as wasmtime prints it (the native offset when no wasm one)."""
        where = f"{offset:#x}" if offset is not None else f"native+{native:#x}"
        return f"{where:>8} - {self.name(prefix, index)}"


def printable(name: str) -> str:
    """A name from the module's name section as it may be printed on a terminal: control
    characters (escape sequences, newlines) and other unprintable ones as \\xNN / \\uNNNN,
    so a module cannot forge lines of the report or drive the terminal."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in name)


def format_trap(trap: TrapReport, image: Image, module_path: str, what: str) -> str:
    """The report `osbuild run` prints on stderr, in the shape of wasmtime's."""
    sym = Symbolizer(image)
    lines = [f"Error: failed to run main module `{module_path}`", "", "Caused by:",
             f"    0: failed to invoke {what}",
             "    1: error while executing at wasm backtrace:"]
    n = 0
    for k, pc in enumerate(trap.frames):
        # Frames after the first are return addresses: look up the call before them.
        for text, is_wasm in sym.frames(pc if k == 0 else pc - 1):
            if is_wasm:
                lines.append(f"           {n:>2}: {text}")
                n += 1
    if len(trap.frames) > MAX_FRAMES:
        lines.append("           ...: (deeper frames not shown)")
    if n == 0:
        lines.append(f"           {0:>2}: {sym.describe(trap.pc)[0]}")
    message = trap.message
    if trap.addr is not None and trap.code in ADDRESS_TRAPS:
        message += f" (wasm address {trap.addr:#x})"
    # wasmtime reports a WASI call without a memory export as a host error, and an exception
    # no handler caught as such, neither as a wasm trap.
    plain = (TRAPS["NO_MEMORY_EXPORT"].code, TRAPS["UNCAUGHT_EXCEPTION"].code)
    kind = "" if trap.code in plain else "wasm trap: "
    lines.append(f"    2: {kind}{message}")
    return "\n".join(lines)
