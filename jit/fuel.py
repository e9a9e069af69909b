"""Fuel metering (`--fuel N`) with wasmtime's semantics.

Why copy wasmtime rather than count "exactly": the differential tests give both engines one
budget, and a module that loops forever must run out at the same instruction on both, with the
same side effects behind it. So the observable rules are wasmtime's (its cranelift translator):

- Cost: every executed instruction costs 1 except nop, drop, block, loop, else, end, return and
  unreachable; entering a function costs 1; bulk memory/table operations and successful grows
  also cost their length (bytes, elements, pages).
- Costs of straight-line code are summed at compile time and added to a function-local
  variable at control instructions; that variable is loaded from vmctx on entry and after each
  call, and written back before calls, at ``unreachable`` and on return. A trap anywhere else
  therefore forgets what the function spent since the last write-back, as in wasmtime.
- The budget is checked only at function entry, at each loop header, and right after charging
  a bulk operation or a successful grow; the code traps when nothing (<= 0) is left, and the
  out-of-fuel trap writes the variable back so that every later call traps on entry.

- A length (or grow delta) that is a constant of at most 128 is simply added to the
  straight-line cost, without a check, and for a grow whether it succeeds or not; any other
  length is charged and checked at run time, for a grow only when it succeeds. "Constant"
  means what wasmtime's SSA sees as one: an ``i32.const`` operand, or a local set from one
  earlier in the same straight-line stretch. (Wasmtime also sees constants through some joins
  of control flow; there it checks less often than here, which can only matter when the
  budget runs out right at such an operation.)

How the translator uses it: the function's entry (`enter`) and its return block (`save`), and
one call per instruction from the run loop (`instruction`), which charges the instruction,
runs its handler and does what the instruction needs afterwards (reload after a call, check at
a loop header). The handlers know nothing of fuel, except that the operators whose cost has a
length report it (`pay_length`, `pay_grow`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ir
from .env import I8, I64T, TRAP_OUT_OF_FUEL, VMCTX_FUEL

if TYPE_CHECKING:
    from .handlers import Handler
    from .lower import FunctionTranslator
    from .wasmtypes import Instr

LOOP, LOCAL_GET, LOCAL_SET, LOCAL_TEE = 0x03, 0x20, 0x21, 0x22

# nop, drop, block, loop, else, end, return, unreachable
FREE_OPS = frozenset({0x01, 0x1A, 0x02, 0x03, 0x05, 0x0B, 0x0F, 0x00})
# leave the function: add what is pending and write the variable back
# unreachable, call, call_indirect, return_call, return_call_indirect, call_ref, return_call_ref,
# throw, throw_ref (the catching frame reloads the budget: jit/exceptions.py)
SAVE_OPS = frozenset({0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x08, 0x0A})
# end a straight-line stretch: add what is pending to the variable (try_table: its clauses
# branch away)
FLUSH_OPS = frozenset({0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xD5, 0xD6, 0x1F})
CALL_OPS = frozenset({0x10, 0x11, 0x14})
STATIC_LENGTH_LIMIT = 128  # constant lengths up to this are charged statically


def constant_of(v: ir.Value) -> int | None:
    """The unsigned value of `v` if it is a constant (possibly zero-extended)."""
    if isinstance(v, ir.CastInstr) and v.opname == "zext":
        v = v.operands[0]
    if isinstance(v, ir.Constant) and isinstance(v.constant, int):
        return v.constant & ((1 << v.type.width) - 1)
    return None


class FuelMeter:
    """The fuel code of one function being translated."""

    def __init__(self, t: FunctionTranslator) -> None:
        self.t = t
        self.pending = 0  # cost of the current straight-line stretch, not yet added
        self.var = t.entry_b.alloca(I64T, name="fuel")
        self.local_consts: dict[int, ir.Constant] = {}  # locals set from constants

    def _ptr(self, b: ir.IRBuilder) -> ir.Value:
        return b.gep(self.t.vmctx, [I64T(VMCTX_FUEL)], source_etype=I8)

    def load(self) -> None:
        self.t.b.store(self.t.b.load(self._ptr(self.t.b), typ=I64T), self.var)

    def save(self) -> None:
        self.flush()
        self.t.b.store(self.t.b.load(self.var), self._ptr(self.t.b))

    def flush(self, extra: ir.Value | None = None) -> ir.Value:
        """Subtract the pending cost (and `extra`) from the variable; returns what is left."""
        b = self.t.b
        amount: ir.Value = I64T(self.pending)
        if extra is not None:
            amount = b.add(amount, extra) if self.pending else extra
        self.pending = 0
        left = b.sub(b.load(self.var), amount)
        b.store(left, self.var)
        return left

    def check(self, extra: ir.Value | None = None, when: ir.Value | None = None) -> None:
        """Charge, then trap "all fuel consumed" if nothing is left (and `when` holds)."""
        left = self.flush(extra)
        out = self.t.b.icmp_signed("<=", left, I64T(0))
        if when is not None:
            out = self.t.b.and_(when, out)

        def write_back(b: ir.IRBuilder) -> None:
            b.store(left, self._ptr(b))

        self.t.trap_if(out, TRAP_OUT_OF_FUEL, prologue=write_back)

    def enter(self) -> None:
        """Function entry: load the budget, pay 1 for the call, check."""
        self.load()
        self.pending = 1
        self.check()

    def pay_length(self, n: ir.Value, ok: ir.Value | None = None) -> None:
        """Charge a bulk operation's length or a grow's delta (`ok`: the grow succeeded)."""
        c = constant_of(n)
        if c is not None and c <= STATIC_LENGTH_LIMIT:
            self.pending += c
        elif ok is None:
            self.check(n)
        else:
            self.check(self.t.b.select(ok, n, I64T(0)), when=ok)

    def instruction(self, ins: Instr, handler: Handler) -> None:
        """Translate one instruction with its fuel code: charge it, emit it, then reload the
        budget after a call (the callee spent from it) or check it at a loop header. A local
        known to hold a constant is read as that constant, so that a length taken from it is
        charged statically."""
        self.charge(ins)
        t = self.t
        if ins.op == LOCAL_GET and ins.imm in self.local_consts:
            t.push(self.local_consts[ins.imm])  # type: ignore[index]
            return
        if ins.op in (LOCAL_SET, LOCAL_TEE):
            self.track_local(ins.imm, t.stack[-1])  # type: ignore[arg-type]
        handler(t, ins)
        if ins.op in CALL_OPS:
            self.load()
        elif ins.op == LOOP:
            self.check()

    def charge(self, ins: Instr) -> None:
        """Add the instruction's cost; at the end of a straight-line stretch, add what is
        pending to the variable (and at a call or unreachable, write it back)."""
        if ins.op not in FREE_OPS:
            self.pending += 1
        if ins.op in SAVE_OPS:
            self.save()
        elif ins.op in FLUSH_OPS and self.pending:
            self.flush()
        if ins.op in SAVE_OPS | FLUSH_OPS:
            self.local_consts.clear()  # control flow may join here

    def track_local(self, index: int, v: ir.Value) -> None:
        if isinstance(v, ir.Constant):
            self.local_consts[index] = v
        else:
            self.local_consts.pop(index, None)


def pay_length(t: FunctionTranslator, n: ir.Value) -> None:
    """A bulk operation costs its length (bytes or elements), charged after it has been done,
    as in wasmtime; nothing without fuel."""
    if t.fuel is not None:
        t.fuel.pay_length(n)


def pay_grow(t: FunctionTranslator, old: ir.Value, n: ir.Value) -> None:
    """A grow costs its delta (when it succeeds, unless the delta is a small constant); `old`
    is the grow's result, -1 on failure."""
    if t.fuel is not None:
        t.fuel.pay_length(n, ok=t.b.icmp_signed("!=", old, I64T(-1)))
