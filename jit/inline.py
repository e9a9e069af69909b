"""Inlining of small frameless leaves into their callers (opt tier), with exact backtraces.

Every wasm function keeps its own frame so that a trap's backtrace names every wasm frame
(env.py `func`: "noinline"). A small leaf (a frameless one: jit/lower.py `frameless`, no
call, no trap of its own, so that only a memory fault or an asynchronous interrupt can stop
it) is the exception: a caller's unit translates the callee's body a second time, as an
internal `alwaysinline` copy whose debug scope is the callee's (its DISubprogram carries the
callee's symbol name, its lines are offsets in the callee's body), and calls that copy. LLVM's
inliner then records each inlined instruction's call site, and the DWARF it emits has a
DW_TAG_inlined_subroutine per inlined call (its pc ranges, the callee's name and the call's
line: the call instruction's offset in the caller's body). The host turns a pc inside one
into two frames, the callee's and the caller's, as if the call had happened (host/image.py
`inlined`, host/traps.py), which is what wasmtime prints for the same trap. Since the callee
calls nothing, a return address is never inside inlined code: only a report's first frame
(the trapping or interrupted pc) can expand.

Why: a call of a small leaf still costs ~8 instructions beyond its body (argument moves, the
call, the memory base load, the return, the result's re-extension: bench hashtab's 360,000
calls of strcmp).

A caller's unit then depends on the bodies of the callees it may inline: `inline_callees`
gives them to the unit cache key (jit/compiler.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .wasmtypes import Body, Instr, Module

# Bodies up to this many bytes are inlined (musl's strcmp is 103 bytes, its strlen 177):
# beyond, the call's cost is small next to the body's and the caller's code grows. Measured
# with 256: QuickJS's bench.js took 1,427.1 M instructions instead of 1,415.2 M (+0.8%),
# hashtab the same.
INLINE_BYTES = 128
# The name suffix of an inline copy; its debug scope drops it (the callee's own symbol).
INLINE_SUFFIX = ".inline"


def small(wasm: Module, index: int) -> bool:
    """Whether defined function ``index``'s body is small enough to inline."""
    k = index - wasm.num_imported_funcs
    if k < 0:
        return False
    start, end = wasm.body_spans[k]
    return end - start <= INLINE_BYTES


def direct_callees(code: tuple[Instr, ...]) -> set[int]:
    """The functions a body calls directly (`call`; a `return_call` is not inlined)."""
    return {ins.imm for ins in code if ins.op == 0x10}  # type: ignore[misc]


def inline_callees(wasm: Module, code: tuple[Instr, ...]) -> list[int]:
    """The callees whose bodies a unit of ``code`` may inline (each a candidate by size; the
    translator decides the rest: `frameless`), in index order for a stable cache key."""
    return sorted(i for i in direct_callees(code) if small(wasm, i))


def body_source(wasm: Module, decode: Callable[[int, int], Body]) -> Callable[[int], Body | None]:
    """What ModuleEnv.inline_source is: the decoded body of a small defined function, else
    None. ``decode(start, end)`` decodes the body at those module offsets."""
    def source(index: int) -> Body | None:
        if not small(wasm, index):
            return None
        return decode(*wasm.body_spans[index - wasm.num_imported_funcs])
    return source


__all__ = ["INLINE_BYTES", "INLINE_SUFFIX", "body_source", "direct_callees", "inline_callees",
           "small"]
