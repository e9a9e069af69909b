"""Control instructions: block, loop, if/else, end, the branches (with 3.0's br_on_null and
br_on_non_null), return, unreachable, nop.

Structured control flow becomes LLVM blocks: every frame has a label to branch to and slots
(allocas) for the values that flow along its branches; `end` joins them. The frames and the
reachability tracking themselves are the translator's (jit/lower.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import exceptions, ir
from .env import I32T, I64T, LTYPE, TRAP_UNREACHABLE
from .handlers import Registry
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower


@lower(0x00)
def unreachable(t: FunctionTranslator, ins: Instr) -> None:
    t.b.call(t.env.trap_fn, [I64T(TRAP_UNREACHABLE)])
    t.b.unreachable()
    t.b.position_at_end(t.new_block("dead"))
    t.mark_unreachable()


@lower(0x01)
def nop(t: FunctionTranslator, ins: Instr) -> None:
    pass


@lower(0x02)
def block(t: FunctionTranslator, ins: Instr) -> None:
    end = t.new_block("end")
    t.push_frame("block", ins.imm, end, end)


@lower(0x03)
def loop(t: FunctionTranslator, ins: Instr) -> None:
    """With fuel, the loop header checks the budget (jit/fuel.py). It polls nothing else: the
    kernel delivers the "interrupt" trap asynchronously at the interrupted pc (guest/trap.c)."""
    header = t.new_block("loop")
    f = t.push_frame("loop", ins.imm, header, None)
    t.branch_to(f, t.popn(len(f.params)))
    t.b.position_at_end(header)
    for base, member, distance in t.congruent.get(ins.offset, ()):
        congruent(t, base, member, distance, header)
    for slot in f.slots:
        t.push(t.b.load(slot))


def congruent(t: FunctionTranslator, base: int, member: int, distance: int,
              header: ir.Block) -> None:
    """At a loop header, redefine an induction local as its group's base plus its distance
    at loop entry (jit/induction.py says why that is an identity), so that LLVM sees one
    counter where clang's code keeps several."""
    ty = LTYPE[t.local_types[member]]
    value = t.b.add(t.b.load(t.locals[base]), ir.Constant(ty, distance))
    t.b.store(value, t.locals[member])
    t.local_known[member] = (header, value)


@lower(0x04)
def if_(t: FunctionTranslator, ins: Instr) -> None:
    cond = t.pop()
    then, other, end = t.new_block("then"), t.new_block("else"), t.new_block("end")
    f = t.push_frame("if", ins.imm, end, end)
    f.else_block = other
    f.if_params = t.stack[len(t.stack) - len(f.params):] if f.params else []
    t.b.cbranch(t.b.icmp_unsigned("!=", cond, I32T(0)), then, other)
    t.b.position_at_end(then)


@lower(0x05)
def else_(t: FunctionTranslator, ins: Instr) -> None:
    f = t.frames[-1]
    if t.reachable:
        t.branch_to(f, t.popn(len(f.results)))
    del t.stack[f.height:]
    t.b.position_at_end(f.else_block)  # type: ignore[arg-type]
    f.else_block = None
    t.stack.extend(f.if_params)
    t.reachable = True


@lower(0x0B)
def end(t: FunctionTranslator, ins: Instr) -> None:
    f = t.frames[-1]
    if f.kind == "func":
        if t.reachable:
            t.branch_to(f, t.popn(len(f.results)))
        return  # the translator's finish_return emits the return block
    t.frames.pop()
    if f.kind == "loop":
        return  # results stay on the stack; reachability unchanged
    if t.reachable:
        if f.handler is not None:  # the end of a try_table's body: unlink its record
            exceptions.unlink(t, f.handler)
        t.branch_to(f, t.popn(len(f.results)))
    if f.else_block is not None:  # `if` without `else`: params flow to the results
        t.b.position_at_end(f.else_block)
        t.branch_to(f, f.if_params)
    del t.stack[f.height:]
    t.b.position_at_end(f.end)  # type: ignore[arg-type]
    for slot in f.result_slots:
        t.push(t.b.load(slot))
    t.reachable = f.reached


def branch_values(t: FunctionTranslator, depth: int) -> list[ir.Value]:
    """The values a branch to the frame `depth` levels out carries (left on the stack)."""
    n = len(t.frames[-1 - depth].branch_types)
    return t.stack[len(t.stack) - n:] if n else []


@lower(0x0C)
def br(t: FunctionTranslator, ins: Instr) -> None:
    depth: int = ins.imm  # type: ignore[assignment]
    t.branch_to(t.frames[-1 - depth], branch_values(t, depth))
    t.mark_unreachable()


@lower(0x0D)
def br_if(t: FunctionTranslator, ins: Instr) -> None:
    depth: int = ins.imm  # type: ignore[assignment]
    cond = t.pop()
    taken, cont = t.new_block("br_if"), t.new_block("cont")
    t.b.cbranch(t.b.icmp_unsigned("!=", cond, I32T(0)), taken, cont)
    t.b.position_at_end(taken)
    t.branch_to(t.frames[-1 - depth], branch_values(t, depth))
    t.b.position_at_end(cont)


@lower(0x0E)
def br_table(t: FunctionTranslator, ins: Instr) -> None:
    labels, default = ins.imm  # type: ignore[misc]
    index = t.pop()
    vals = branch_values(t, default)
    blocks: dict[int, ir.Block] = {}
    here = t.b.block

    def target(depth: int) -> ir.Block:
        if depth not in blocks:
            dest = t.new_block(f"br_table{depth}")
            t.b.position_at_end(dest)
            t.branch_to(t.frames[-1 - depth], vals)
            blocks[depth] = dest
        return blocks[depth]

    default_block = target(default)
    cases = [(i, target(d)) for i, d in enumerate(labels)]
    t.b.position_at_end(here)
    switch = t.b.switch(index, default_block)
    for i, case in cases:
        switch.add_case(I32T(i), case)
    t.mark_unreachable()


@lower(0x0F)
def return_(t: FunctionTranslator, ins: Instr) -> None:
    func = t.frames[0]
    t.branch_to(func, t.popn(len(func.results)))
    t.mark_unreachable()


def branch_when(t: FunctionTranslator, cond: ir.Value, depth: int) -> None:
    """Branch to the frame `depth` levels out when `cond` (i1) holds, carrying the values on
    top of the stack; continue in a new block otherwise (br_if with an i1)."""
    taken, cont = t.new_block("br_on"), t.new_block("cont")
    t.b.cbranch(cond, taken, cont)
    t.b.position_at_end(taken)
    t.branch_to(t.frames[-1 - depth], branch_values(t, depth))
    t.b.position_at_end(cont)


@lower(0xD5)
def br_on_null(t: FunctionTranslator, ins: Instr) -> None:
    """Branch if the reference is null (dropping it), else leave it on the stack."""
    ref = t.pop()
    branch_when(t, t.b.icmp_unsigned("==", ref, I64T(0)), ins.imm)  # type: ignore[arg-type]
    t.push(ref)


@lower(0xD6)
def br_on_non_null(t: FunctionTranslator, ins: Instr) -> None:
    """Branch with the reference if it is not null, else drop it."""
    ref = t.stack[-1]
    branch_when(t, t.b.icmp_unsigned("!=", ref, I64T(0)), ins.imm)  # type: ignore[arg-type]
    t.pop()
