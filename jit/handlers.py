"""The operator registry: opcode → handler, one signature for every instruction.

Each family module (control, variables, memory, tables, calls, numeric) owns a `Registry` and
registers its handlers with the `lower` decorator or a whole table, as numba's lowering
registries do; lower.py merges the families into the one table its run loop dispatches on.
A handler gets the translator (builder, operand stack, frames, trap helper) and the decoded
instruction, and emits the instruction's code. Fuel is charged around the handler by the run
loop (jit/fuel.py); a handler only reports the length of a bulk operation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

Handler = Callable[["FunctionTranslator", Instr], None]


class Registry:
    """The handlers of one family of instructions."""

    def __init__(self) -> None:
        self.handlers: dict[int, Handler] = {}

    def lower(self, *ops: int) -> Callable[[Handler], Handler]:
        """Decorator: `fn` translates each of `ops`."""
        def register(fn: Handler) -> Handler:
            for op in ops:
                self.add(op, fn)
            return fn
        return register

    def add(self, op: int, fn: Handler) -> None:
        if op in self.handlers:
            raise ValueError(f"opcode {op:#x} has two handlers")
        self.handlers[op] = fn

    def update(self, table: Mapping[int, Handler]) -> None:
        for op, fn in table.items():
            self.add(op, fn)


def merge(*registries: Registry) -> dict[int, Handler]:
    """One dispatch table; an opcode claimed by two families is a bug, not an override."""
    table: dict[int, Handler] = {}
    for registry in registries:
        twice = table.keys() & registry.handlers.keys()
        if twice:
            raise ValueError(f"opcodes with two handlers: {sorted(hex(op) for op in twice)}")
        table.update(registry.handlers)
    return table
