"""Translation of one wasm function body to LLVM IR: the translator core.

The operand stack is a Python list of LLVM values; locals and the values that flow along
branches live in allocas that LLVM's mem2reg/SROA turn into SSA registers and phis, which keeps
the translator free of phi bookkeeping. Code after an unconditional branch is skipped (it is
dead and may be type-polymorphic) until the ``else``/``end`` that makes it reachable again.

What each instruction emits lives in the family modules (control, variables, memory, tables,
calls, numeric), merged here into one dispatch table (jit/handlers.py); this module keeps what
they share: the operand stack, control frames, blocks, traps and the run loop, which is also
the one place that calls the fuel meter (jit/fuel.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from osbuild.errors import UserError

from . import (
    callconv,
    calls,
    control,
    exceptions,
    gc,
    induction,
    ir,
    memory,
    numeric,
    simd,
    tables,
    variables,
)
from .env import (
    I64T,
    LTYPE,
    PTR,
    TRAP_STACK,
    VMCTX_MEM_BASE,
    VMCTX_STACK_LIMIT,
    ModuleEnv,
)
from .fuel import FuelMeter
from .handlers import merge
from .wasmtypes import FuncType, Instr

HANDLERS = merge(control.registry, variables.registry, memory.registry, tables.registry,
                 calls.registry, numeric.registry, simd.registry, exceptions.registry,
                 gc.registry)


class UnsupportedError(UserError):
    """The module uses an instruction the compiler does not implement yet."""


@dataclass
class Frame:
    kind: str  # "func" | "block" | "loop" | "if" | "try" (try_table)
    params: tuple[int, ...]
    results: tuple[int, ...]
    height: int  # operand stack height below the frame's params
    label: ir.Block  # branch target
    end: ir.Block | None  # join block (None for loops: their end is fall-through only)
    slots: list[ir.Value] = field(default_factory=list)  # values carried by a branch
    result_slots: list[ir.Value] = field(default_factory=list)
    reached: bool = False  # some branch/fall-through reaches `end`
    else_block: ir.Block | None = None
    if_params: list[ir.Value] = field(default_factory=list)
    handler: ir.Value | None = None  # a try_table's handler record (jit/exceptions.py)

    @property
    def branch_types(self) -> tuple[int, ...]:
        return self.params if self.kind == "loop" else self.results


class FunctionTranslator:
    """Builds the body of one LLVM function from a sequence of wasm instructions."""

    def __init__(self, env: ModuleEnv, fn: ir.Function, ft: FuncType,
                 locals_: tuple[int, ...]) -> None:
        self.env = env
        self.fn = fn
        self.ft = ft
        entry = fn.append_basic_block("entry")
        self.b = ir.IRBuilder(entry)
        self.entry_b = ir.IRBuilder(entry)  # allocas and invariant loads go first
        self.vmctx = fn.args[0]
        self.stack: list[ir.Value] = []
        self.frames: list[Frame] = []
        self.reachable = True
        self.skip_depth = 0
        self._traps: dict[int, ir.Block] = {}
        self.scope: ir.DIValue | None = None  # debug scope (whole functions only)
        self.fuel: FuelMeter | None = None  # set for function bodies compiled with fuel
        self.is_leaf = False  # the body calls nothing (`leaf`), set by translate
        self._mem_base: ir.Value | None = None
        self.line_base = 0  # debug lines are wasm offsets minus this (see `translate`)
        self.local_types: list[int] = [*ft.params, *locals_]
        # locals live in memory in a function with try_table (jit/exceptions.py); set by
        # `translate` before the body is built
        self.volatile_locals = False
        self.locals: list[ir.Value] = []
        # local index -> (block, value) of its last local.set/tee: a local.get later in the same
        # block pushes that value (jit/variables.py)
        self.local_known: dict[int, tuple[ir.Block | None, ir.Value]] = {}
        # the values local.set/tee stored: `worth_folding` (jit/memory.py) asks
        self.stored_values: set[ir.Value] = set()
        # loop offset -> (base, member, distance) of congruent induction locals
        # (jit/induction.py)
        self.congruent: induction.Groups = {}
        # the calling convention (jit/callconv.py): spilled parameters are read first of all
        self.conv = callconv.conv(ft)
        self._spill = env.spill(self.b, self.vmctx) if self.conv.uses_spill else None
        params = callconv.entry_params(self.b, self.conv, self._spill,
                                       list(fn.args[1:1 + len(self.conv.in_regs)]),
                                       [LTYPE[t] for t in ft.params])
        for i, t in enumerate(self.local_types):
            slot = self.b.alloca(LTYPE[t])
            init = params[i] if i < len(ft.params) else ir.Constant(LTYPE[t], 0)
            self.b.store(init, slot)
            self.locals.append(slot)
        body = fn.append_basic_block("body")
        self.b.branch(body)
        self.entry_b.position_before(entry.terminator)
        self.b.position_at_end(body)

    # --- operand stack ----------------------------------------------------------------

    def push(self, v: ir.Value) -> None:
        self.stack.append(v)

    def pop(self) -> ir.Value:
        return self.stack.pop()

    def pop_u64(self) -> ir.Value:
        """Pop an i32 index or length, zero-extended (so that sums of two cannot overflow)."""
        return self.b.zext(self.pop(), I64T)

    def pop_u64s(self, n: int) -> list[ir.Value]:
        """Pop `n` operands as `pop_u64` does (the top first), returned in stack order."""
        vals = [self.pop_u64() for _ in range(n)]
        vals.reverse()
        return vals

    def popn(self, n: int) -> list[ir.Value]:
        if n == 0:
            return []
        vals = self.stack[-n:]
        del self.stack[-n:]
        return vals

    def spill(self) -> ir.Value:
        """The store's call spill buffer (jit/callconv.py), loaded once per function."""
        if self._spill is None:
            self._spill = self.env.spill(self.entry_b, self.vmctx)
        return self._spill

    # --- blocks and traps ---------------------------------------------------------------

    def new_block(self, name: str) -> ir.Block:
        return self.fn.append_basic_block(name)

    def trap_if(self, cond: ir.Value, code: int,
                prologue: Callable[[ir.IRBuilder], None] | None = None) -> None:
        """Branch to a cold trap block when ``cond`` holds. Each site gets its own call to
        osb_trap carrying the site's wasm offset (debug location), so that a trap report names
        the very instruction; outside functions (init code) one block per code suffices.
        `prologue` emits code into the trap block before the call."""
        block = self._traps.get(code) if self.scope is None else None
        if block is None:
            block = self.new_block(f"trap{code}")
            tb = ir.IRBuilder(block)
            tb.debug_metadata = self.b.debug_metadata
            if prologue is not None:
                prologue(tb)
            tb.call(self.env.trap_fn, [I64T(code)])
            tb.unreachable()
            if self.scope is None:
                self._traps[code] = block
        cont = self.new_block("ok")
        self.b.cbranch(cond, block, cont)
        self.b.position_at_end(cont)

    def check_range(self, start: ir.Value, n: ir.Value, limit: ir.Value, code: int) -> None:
        """Trap unless start + n <= limit (all i64, no overflow: start and n are zero-extended,
        see `pop_u64`)."""
        self.trap_if(self.b.icmp_unsigned(">", self.b.add(start, n), limit), code)

    def make_slots(self, types: tuple[int, ...]) -> list[ir.Value]:
        return [self.entry_b.alloca(LTYPE[t]) for t in types]

    def mem_base(self) -> ir.Value:
        if self._mem_base is None:
            base = self.env.load_field(self.entry_b, self.vmctx, VMCTX_MEM_BASE, PTR)
            self._mem_base = base
        return self._mem_base

    # --- control frames -----------------------------------------------------------------

    def block_type(self, bt: object) -> tuple[tuple[int, ...], tuple[int, ...]]:
        if bt is None:
            return (), ()
        kind, val = bt  # type: ignore[misc]
        if kind == "val":
            return (), (val,)
        ft = self.env.wasm.types[val]
        return ft.params, ft.results

    def push_frame(self, kind: str, bt: object, label: ir.Block, end: ir.Block | None) -> Frame:
        """Open a block, loop or if of block type `bt` whose params are on the stack. A loop's
        branches carry its params, the others' carry their results."""
        params, results = self.block_type(bt)
        f = Frame(kind, params, results, len(self.stack) - len(params), label, end)
        if kind == "loop":
            f.slots = self.make_slots(params)
        else:
            f.slots = f.result_slots = self.make_slots(results)
        self.frames.append(f)
        return f

    def branch_to(self, frame: Frame, vals: list[ir.Value]) -> None:
        for v, slot in zip(vals, frame.slots, strict=True):
            self.b.store(v, slot)
        self.leave_handlers(frame)
        if frame.kind != "loop":
            frame.reached = True
        self.b.branch(frame.label)

    def leave_handlers(self, target: Frame) -> None:
        """Unlink the handler records of the try_tables that a jump to `target` leaves (those
        open inside it): the outermost one's predecessor becomes the innermost handler."""
        if not self.volatile_locals:
            return  # no try_table in this function
        inside = False
        for f in self.frames:
            if inside and f.handler is not None:
                exceptions.unlink(self, f.handler)
                return
            inside = inside or f is target

    def mark_unreachable(self) -> None:
        self.reachable = False
        self.skip_depth = 0
        del self.stack[self.frames[-1].height:]

    # --- driver -------------------------------------------------------------------------

    def translate(self, code: tuple[Instr, ...], base: int) -> None:
        """Translate a whole function body (ending in its final ``end``). Debug lines are wasm
        offsets relative to ``base``, the body's start (ModuleMeta ``code_offsets`` has it):
        so a unit's object does not change when another function's size does."""
        self.line_base = base
        self.volatile_locals = any(ins.op == 0x1F for ins in code)
        if not self.volatile_locals:
            self.congruent = induction.congruent_groups(code, self.local_types,
                                                        len(self.ft.params))
        self.scope = self.env.subprogram(self.fn, code[0].offset - base if code else 0)
        if code:
            self.b.debug_metadata = self.env.location(self.scope, code[0].offset - base)
        self.is_leaf = leaf(code)
        if not self.is_leaf:
            self.stack_check()
        if self.env.fuel:
            self.fuel = FuelMeter(self)
            self.fuel.enter()
        func = self.open_function()
        self.run(code)
        self.finish_return(func)

    def open_function(self) -> Frame:
        ret_block = self.new_block("return")
        func = Frame("func", (), self.ft.results, 0, ret_block, ret_block)
        func.slots = func.result_slots = self.make_slots(self.ft.results)
        self.frames.append(func)
        return func

    def eval_const(self, expr: tuple[Instr, ...]) -> ir.Value:
        """Evaluate a constant expression (without its final ``end``) to one value."""
        self.run(expr[:-1])
        return self.pop()

    def run(self, code: tuple[Instr, ...]) -> None:
        for ins in code:
            if self.scope is not None:
                self.b.debug_metadata = self.env.location(self.scope, ins.offset - self.line_base)
            if not self.reachable and self.skip(ins):
                continue
            handler = HANDLERS.get(ins.op)
            if handler is None:
                raise UnsupportedError(f"instruction {ins.op:#x} at offset {ins.offset:#x} "
                                       "is not supported by the compiler yet")
            if self.fuel is None:
                handler(self, ins)
            else:
                self.fuel.instruction(ins, handler)

    def skip(self, ins: Instr) -> bool:
        """In dead code: track nesting; return False for the else/end that ends the dead part."""
        if ins.op in (0x02, 0x03, 0x04, 0x1F):  # block, loop, if, try_table
            self.skip_depth += 1
            return True
        if ins.op == 0x0B:
            if self.skip_depth:
                self.skip_depth -= 1
                return True
            return False
        if ins.op == 0x05:
            return self.skip_depth > 0
        return True

    def finish_return(self, func: Frame) -> None:
        self.b.position_at_end(func.end)  # type: ignore[arg-type]
        if not func.reached:
            self.b.unreachable()
        else:
            if self.fuel is not None:
                self.fuel.save()
            callconv.emit_return(self.b, self.conv, self._spill,
                                 [self.b.load(s) for s in func.result_slots])
        for block in self.fn.blocks:  # dead join blocks still need a terminator
            if not block.is_terminated:
                ir.IRBuilder(block).unreachable()

    def stack_check(self) -> None:
        """Trap "call stack exhausted" when sp is below the instance's stack limit."""
        stacksave = self.env.intrinsic("llvm.stacksave.p0", PTR, [])
        sp = self.b.ptrtoint(self.b.call(stacksave, []), I64T)
        limit = self.env.load_field(self.b, self.vmctx, VMCTX_STACK_LIMIT, I64T)
        self.trap_if(self.b.icmp_unsigned("<", sp, limit), TRAP_STACK)



# What a leaf function may not contain (`leaf`): calls of every kind (import calls too),
# throw/throw_ref and try_table, memory.grow, and every prefixed instruction (0xFB GC, 0xFC
# bulk memory and tables, 0xFD SIMD, 0xFE atomics), some of which call helpers or the kernel
# (which, collecting garbage, scans the user stack from sp). Conservative on purpose.
NOT_IN_LEAF = frozenset({0x08, 0x0A, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x1F, 0x40})


def leaf(code: tuple[Instr, ...]) -> bool:
    """Whether a function body calls nothing, so that it needs no stack check of its own.
    Its caller checked sp >= stack_limit (the stack's bottom + USER_STACK_MARGIN) on entry,
    or it was entered from the kernel at the top of the stack; whatever the leaf's frame,
    its accesses below the stack's bottom fault in the 1 MiB guard under it, or in the
    unmapped space below that, with sp below the bottom, which the kernel reports as the
    trap "call stack exhausted" (guest/trap.c) at a pc in the leaf, whose frame pointer walk
    still finds its callers. Saves a load and a branch per call (2 of the ~12 instructions a
    call of a small leaf costs: bench hashtab's strcmp)."""
    return not any(ins.op in NOT_IN_LEAF or ins.op >= 0xFB00 for ins in code)


# A call instruction's text when its callee is an LLVM intrinsic (jit/ir.py `call`).
INTRINSIC_CALL = re.compile(r"(?:\w+ )?call [^@%(]*@llvm\.")


def frameless(t: FunctionTranslator) -> bool:
    """Whether a translated function body may run without a frame record: a leaf (`leaf`)
    whose LLVM body calls nothing either (no osb_trap: a trap's call would overwrite ra, the
    only place its caller is found; only LLVM intrinsics, which the back end expands inline)
    and that meters no fuel. The kernel's backtrace walk (guest/trap.c) takes the caller of
    a pc in such a function from ra and goes on from s0, its caller's frame pointer; every
    pc of it is an interrupt point. Saves the frame set-up and its undoing (8 instructions a
    call: bench hashtab's strcmp)."""
    if t.fuel is not None or not t.is_leaf:
        return False
    return not any(ins.opname == "call" and INTRINSIC_CALL.match(ins.body) is None
                   for block in t.fn.blocks for ins in block.instructions)


def translate_helper(env: ModuleEnv, fn: ir.Function,
                     body: Callable[[FunctionTranslator], None]) -> None:
    """Build a module-internal function without wasm params or locals (`P_init`, element
    item helpers): `body` emits straight-line code through a translator, then it returns."""
    t = FunctionTranslator(env, fn, FuncType((), ()), ())
    func = t.open_function()
    body(t)
    t.b.branch(func.end)
    func.reached = True
    t.finish_return(func)
