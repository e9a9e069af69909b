"""Variable and parametric instructions: local.get/set/tee, global.get/set, drop, select.

Locals are allocas of the translated function (jit/lower.py); globals are 8-byte cells that
the vmctx points at (jit/objects.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .env import I32T, LTYPE, volatile_store
from .handlers import Registry
from .objects import global_ptr
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower


@lower(0x1A)
def drop(t: FunctionTranslator, ins: Instr) -> None:
    t.pop()


@lower(0x1B, 0x1C)
def select(t: FunctionTranslator, ins: Instr) -> None:
    cond, b, a = t.pop(), t.pop(), t.pop()
    t.push(t.b.select(t.b.icmp_unsigned("!=", cond, I32T(0)), a, b))


@lower(0x20)
def local_get(t: FunctionTranslator, ins: Instr) -> None:
    """The local's value. Right after a local.set/tee in the same basic block that is the value
    stored (what mem2reg makes of the load anyway), so that instruction patterns see through
    a local: `local.tee $p (i32.add x (i32.const -24))` ... `(f64.load (local.get $p))` is
    still an add the address folding recognises (jit/memory.py)."""
    known = t.local_known.get(ins.imm)  # type: ignore[arg-type]
    if known is not None and known[0] is not None and known[0] is t.b.block:
        t.push(known[1])
    else:
        t.push(t.b.load(t.locals[ins.imm], volatile=t.volatile_locals))  # type: ignore[index]


@lower(0x21)
def local_set(t: FunctionTranslator, ins: Instr) -> None:
    local_tee(t, ins)
    t.pop()


@lower(0x22)
def local_tee(t: FunctionTranslator, ins: Instr) -> None:
    t.b.store(t.stack[-1], t.locals[ins.imm],  # type: ignore[index]
              volatile=t.volatile_locals)
    t.local_known[ins.imm] = (t.b.block, t.stack[-1])  # type: ignore[index]
    t.stored_values.add(t.stack[-1])


@lower(0x23)
def global_get(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    ty = LTYPE[t.env.wasm.global_type(index).valtype]
    t.push(t.b.load(global_ptr(t, index), typ=ty))


@lower(0x24)
def global_set(t: FunctionTranslator, ins: Instr) -> None:
    # volatile: a later memory access may trap, and the global must hold this value then
    val = t.pop()
    align = 4 if str(val.type) in ("i32", "float") else 8
    volatile_store(t.b, val, global_ptr(t, ins.imm), align)  # type: ignore[arg-type]
