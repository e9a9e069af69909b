"""Translation of one wasm function body to LLVM IR.

The operand stack is a Python list of LLVM values; locals and the values that flow along
branches live in allocas that LLVM's mem2reg/SROA turn into SSA registers and phis, which keeps
the translator free of phi bookkeeping. Code after an unconditional branch is skipped (it is
dead and may be type-polymorphic) until the ``else``/``end`` that makes it reachable again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from llvmlite import ir

from osbuild.errors import UserError

from . import bulk, numeric
from .env import (
    I8,
    I32T,
    I64T,
    LTYPE,
    MEMORY_PAGES,
    PTR,
    TRAP_INTERRUPT,
    TRAP_STACK,
    TRAP_UNREACHABLE,
    VMCTX_INTERRUPT,
    VMCTX_MEM_BASE,
    VMCTX_MEMORY,
    VMCTX_STACK_LIMIT,
    ModuleEnv,
    volatile_load,
    volatile_store,
)
from .fuel import FuelMeter
from .wasmtypes import F32, F64, I32, I64, FuncType, Instr


class UnsupportedError(UserError):
    """The module uses an instruction the compiler does not implement yet."""


@dataclass
class Frame:
    kind: str  # "func" | "block" | "loop" | "if"
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

    @property
    def branch_types(self) -> tuple[int, ...]:
        return self.params if self.kind == "loop" else self.results


# (LLVM type loaded, wasm result type, extension) per load opcode.
LOADS: dict[int, tuple[ir.Type, int, str | None]] = {
    0x28: (I32T, I32, None), 0x29: (I64T, I64, None),
    0x2A: (LTYPE[F32], F32, None), 0x2B: (LTYPE[F64], F64, None),
    0x2C: (I8, I32, "s"), 0x2D: (I8, I32, "u"),
    0x2E: (ir.IntType(16), I32, "s"), 0x2F: (ir.IntType(16), I32, "u"),
    0x30: (I8, I64, "s"), 0x31: (I8, I64, "u"),
    0x32: (ir.IntType(16), I64, "s"), 0x33: (ir.IntType(16), I64, "u"),
    0x34: (I32T, I64, "s"), 0x35: (I32T, I64, "u"),
}
# LLVM type stored per store opcode (values are truncated to it first).
STORES: dict[int, ir.Type] = {
    0x36: I32T, 0x37: I64T, 0x38: LTYPE[F32], 0x39: LTYPE[F64],
    0x3A: I8, 0x3B: ir.IntType(16), 0x3C: I8, 0x3D: ir.IntType(16), 0x3E: I32T,
}


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
        self._mem_base: ir.Value | None = None
        self.local_types: list[int] = [*ft.params, *locals_]
        self.locals: list[ir.Value] = []
        for i, t in enumerate(self.local_types):
            slot = self.b.alloca(LTYPE[t])
            init = fn.args[1 + i] if i < len(ft.params) else ir.Constant(LTYPE[t], 0)
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

    def popn(self, n: int) -> list[ir.Value]:
        if n == 0:
            return []
        vals = self.stack[-n:]
        del self.stack[-n:]
        return vals

    # --- helpers ------------------------------------------------------------------------

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

    def make_slots(self, types: tuple[int, ...]) -> list[ir.Value]:
        return [self.entry_b.alloca(LTYPE[t]) for t in types]

    def mem_base(self) -> ir.Value:
        if self._mem_base is None:
            base = self.env.load_field(self.entry_b, self.vmctx, VMCTX_MEM_BASE, PTR)
            self._mem_base = base
        return self._mem_base

    def block_type(self, bt: object) -> tuple[tuple[int, ...], tuple[int, ...]]:
        if bt is None:
            return (), ()
        kind, val = bt  # type: ignore[misc]
        if kind == "val":
            return (), (val,)
        ft = self.env.wasm.types[val]
        return ft.params, ft.results

    # --- driver -------------------------------------------------------------------------

    def translate(self, code: tuple[Instr, ...]) -> None:
        """Translate a whole function body (ending in its final ``end``)."""
        self.scope = self.env.subprogram(self.fn, code[0].offset if code else 0)
        if code:
            self.b.debug_metadata = self.env.location(self.scope, code[0].offset)
        self.stack_check()
        self.interrupt_check()
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
                self.b.debug_metadata = self.env.location(self.scope, ins.offset)
            if not self.reachable:
                if self.skip(ins):
                    continue
            if self.fuel is not None:
                self.fuel.before(ins)
            handler = DISPATCH.get(ins.op)
            if handler is not None:
                handler(self, ins)
                if self.fuel is not None:
                    self.fuel.after(ins)
                continue
            emit = numeric.OPS.get(ins.op)
            if emit is None:
                raise UnsupportedError(f"instruction {ins.op:#x} at offset {ins.offset:#x} "
                                       "is not supported by the compiler yet")
            emit(self)

    def skip(self, ins: Instr) -> bool:
        """In dead code: track nesting; return False for the else/end that ends the dead part."""
        if ins.op in (0x02, 0x03, 0x04):
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
            vals = [self.b.load(s) for s in func.result_slots]
            self.emit_ret(vals)
        for block in self.fn.blocks:  # dead join blocks still need a terminator
            if not block.is_terminated:
                ir.IRBuilder(block).unreachable()

    def emit_ret(self, vals: list[ir.Value]) -> None:
        if not vals:
            self.b.ret_void()
        elif len(vals) == 1:
            self.b.ret(vals[0])
        else:
            agg = ir.Constant(self.fn.function_type.return_type, ir.Undefined)
            for i, v in enumerate(vals):
                agg = self.b.insert_value(agg, v, i)
            self.b.ret(agg)

    def stack_check(self) -> None:
        """Trap "call stack exhausted" when sp is below the instance's stack limit."""
        stacksave = self.env.intrinsic("llvm.stacksave.p0", PTR, [])
        sp = self.b.ptrtoint(self.b.call(stacksave, []), I64T)
        limit = self.env.load_field(self.b, self.vmctx, VMCTX_STACK_LIMIT, I64T)
        self.trap_if(self.b.icmp_unsigned("<", sp, limit), TRAP_STACK)

    def interrupt_check(self) -> None:
        """Epoch-style preemption point: the kernel's timer handler sets vmctx.interrupt when
        the run's deadline passes; function entries and loop headers check it. The load is
        atomic so that LLVM cannot hoist it out of a loop."""
        ptr = self.b.gep(self.vmctx, [I64T(VMCTX_INTERRUPT)], source_etype=I8)
        flag = self.b.load_atomic(ptr, "monotonic", 8, typ=I64T)
        self.trap_if(self.b.icmp_unsigned("!=", flag, I64T(0)), TRAP_INTERRUPT)

    # --- control ------------------------------------------------------------------------

    def mark_unreachable(self) -> None:
        self.reachable = False
        self.skip_depth = 0
        del self.stack[self.frames[-1].height:]

    def branch_to(self, frame: Frame, vals: list[ir.Value]) -> None:
        for v, slot in zip(vals, frame.slots, strict=True):
            self.b.store(v, slot)
        if frame.kind != "loop":
            frame.reached = True
        self.b.branch(frame.label)

    def op_block(self, ins: Instr) -> None:
        params, results = self.block_type(ins.imm)
        end = self.new_block("end")
        f = Frame("block", params, results, len(self.stack) - len(params), end, end)
        f.slots = f.result_slots = self.make_slots(results)
        self.frames.append(f)

    def op_loop(self, ins: Instr) -> None:
        params, results = self.block_type(ins.imm)
        header = self.new_block("loop")
        f = Frame("loop", params, results, len(self.stack) - len(params), header, None)
        f.slots = self.make_slots(params)
        self.branch_to(f, self.popn(len(params)))
        self.b.position_at_end(header)
        self.interrupt_check()
        if self.fuel is not None:
            self.fuel.check()
        for slot in f.slots:
            self.push(self.b.load(slot))
        self.frames.append(f)

    def op_if(self, ins: Instr) -> None:
        params, results = self.block_type(ins.imm)
        cond = self.pop()
        then, other, end = self.new_block("then"), self.new_block("else"), self.new_block("end")
        f = Frame("if", params, results, len(self.stack) - len(params), end, end)
        f.slots = f.result_slots = self.make_slots(results)
        f.else_block = other
        f.if_params = self.stack[len(self.stack) - len(params):] if params else []
        self.b.cbranch(self.b.icmp_unsigned("!=", cond, I32T(0)), then, other)
        self.b.position_at_end(then)
        self.frames.append(f)

    def op_else(self, ins: Instr) -> None:
        f = self.frames[-1]
        if self.reachable:
            self.branch_to(f, self.popn(len(f.results)))
        del self.stack[f.height:]
        self.b.position_at_end(f.else_block)  # type: ignore[arg-type]
        f.else_block = None
        self.stack.extend(f.if_params)
        self.reachable = True

    def op_end(self, ins: Instr) -> None:
        f = self.frames[-1]
        if f.kind == "func":
            if self.reachable:
                self.branch_to(f, self.popn(len(f.results)))
            return  # finish_return emits the return block
        self.frames.pop()
        if f.kind == "loop":
            return  # results stay on the stack; reachability unchanged
        if self.reachable:
            self.branch_to(f, self.popn(len(f.results)))
        if f.else_block is not None:  # `if` without `else`: params flow to the results
            self.b.position_at_end(f.else_block)
            self.branch_to(f, f.if_params)
        del self.stack[f.height:]
        self.b.position_at_end(f.end)  # type: ignore[arg-type]
        for slot in f.result_slots:
            self.push(self.b.load(slot))
        self.reachable = f.reached

    def op_br(self, ins: Instr) -> None:
        frame = self.frames[-1 - ins.imm]  # type: ignore[operator]
        self.branch_to(frame, self.stack[len(self.stack) - len(frame.branch_types):]
                       if frame.branch_types else [])
        self.mark_unreachable()

    def op_br_if(self, ins: Instr) -> None:
        frame = self.frames[-1 - ins.imm]  # type: ignore[operator]
        cond = self.pop()
        taken, cont = self.new_block("br_if"), self.new_block("cont")
        self.b.cbranch(self.b.icmp_unsigned("!=", cond, I32T(0)), taken, cont)
        self.b.position_at_end(taken)
        n = len(frame.branch_types)
        self.branch_to(frame, self.stack[len(self.stack) - n:] if n else [])
        self.b.position_at_end(cont)

    def op_br_table(self, ins: Instr) -> None:
        labels, default = ins.imm  # type: ignore[misc]
        index = self.pop()
        n = len(self.frames[-1 - default].branch_types)
        vals = self.stack[len(self.stack) - n:] if n else []
        blocks: dict[int, ir.Block] = {}
        here = self.b.block

        def target(depth: int) -> ir.Block:
            if depth not in blocks:
                block = self.new_block(f"br_table{depth}")
                self.b.position_at_end(block)
                self.branch_to(self.frames[-1 - depth], vals)
                blocks[depth] = block
            return blocks[depth]

        default_block = target(default)
        cases = [(i, target(d)) for i, d in enumerate(labels)]
        self.b.position_at_end(here)
        switch = self.b.switch(index, default_block)
        for i, block in cases:
            switch.add_case(I32T(i), block)
        self.mark_unreachable()

    def op_return(self, ins: Instr) -> None:
        func = self.frames[0]
        self.branch_to(func, self.popn(len(func.results)))
        self.mark_unreachable()

    def op_unreachable(self, ins: Instr) -> None:
        self.b.call(self.env.trap_fn, [I64T(TRAP_UNREACHABLE)])
        self.b.unreachable()
        self.b.position_at_end(self.new_block("dead"))
        self.mark_unreachable()

    # --- calls --------------------------------------------------------------------------

    def op_call(self, ins: Instr) -> None:
        index: int = ins.imm  # type: ignore[assignment]
        ft = self.env.wasm.func_type(index)
        args = self.popn(len(ft.params))
        result = self.env.call(self.b, self.vmctx, index, args)
        self.push_results(result, len(ft.results))

    def push_results(self, result: ir.Value, n: int) -> None:
        if n == 1:
            self.push(result)
        elif n > 1:
            for i in range(n):
                self.push(self.b.extract_value(result, i))

    # --- parametric and variables -------------------------------------------------------

    def op_nop(self, ins: Instr) -> None:
        pass

    def op_drop(self, ins: Instr) -> None:
        self.pop()

    def op_select(self, ins: Instr) -> None:
        cond, b, a = self.pop(), self.pop(), self.pop()
        self.push(self.b.select(self.b.icmp_unsigned("!=", cond, I32T(0)), a, b))

    def op_local_get(self, ins: Instr) -> None:
        known = self.fuel.local_constant(ins.imm) if self.fuel else None  # type: ignore[arg-type]
        self.push(known if known is not None else self.b.load(self.locals[ins.imm]))  # type: ignore[index]

    def op_local_set(self, ins: Instr) -> None:
        self.op_local_tee(ins)
        self.pop()

    def op_local_tee(self, ins: Instr) -> None:
        self.b.store(self.stack[-1], self.locals[ins.imm])  # type: ignore[index]
        if self.fuel is not None:
            self.fuel.local_set(ins.imm, self.stack[-1])  # type: ignore[arg-type]

    def global_ptr(self, index: int) -> ir.Value:
        return self.env.load_field(self.b, self.vmctx, self.env.global_slot_offset(index), PTR)

    def op_global_get(self, ins: Instr) -> None:
        index: int = ins.imm  # type: ignore[assignment]
        ty = LTYPE[self.env.wasm.global_type(index).valtype]
        self.push(self.b.load(self.global_ptr(index), typ=ty))

    def op_global_set(self, ins: Instr) -> None:
        # volatile: a later memory access may trap, and the global must hold this value then
        val = self.pop()
        align = 4 if str(val.type) in ("i32", "float") else 8
        volatile_store(self.b, val, self.global_ptr(ins.imm), align)  # type: ignore[arg-type]

    def op_const(self, ins: Instr) -> None:
        self.push(numeric.const_value(ins.op, ins.imm))

    def op_ref_null(self, ins: Instr) -> None:
        self.push(I64T(0))

    def op_ref_is_null(self, ins: Instr) -> None:
        self.push(self.b.zext(self.b.icmp_unsigned("==", self.pop(), I64T(0)), I32T))

    # --- memory -------------------------------------------------------------------------

    def address(self, ins: Instr) -> ir.Value:
        """mem_base + zext(addr) + offset: the 8 GiB reservation makes every result either
        mapped linear memory or a guard page, so no bounds check is emitted."""
        _align, offset = ins.imm  # type: ignore[misc]
        ea = self.b.zext(self.pop(), I64T)
        if offset:
            ea = self.b.add(ea, I64T(offset))
        return self.b.gep(self.mem_base(), [ea], source_etype=I8)

    def op_load(self, ins: Instr) -> None:
        lty, wty, ext = LOADS[ins.op]
        ptr = self.address(ins)
        val = volatile_load(self.b, ptr, lty, 1)
        if ext == "s":
            val = self.b.sext(val, LTYPE[wty])
        elif ext == "u":
            val = self.b.zext(val, LTYPE[wty])
        self.push(val)

    def op_store(self, ins: Instr) -> None:
        sty = STORES[ins.op]
        val = self.pop()
        ptr = self.address(ins)
        if isinstance(sty, ir.IntType) and sty.width < val.type.width:  # type: ignore[attr-defined]
            val = self.b.trunc(val, sty)
        volatile_store(self.b, val, ptr, 1)

    def memory_object(self) -> ir.Value:
        return self.env.load_field(self.b, self.vmctx, VMCTX_MEMORY, PTR)

    def op_memory_size(self, ins: Instr) -> None:
        pages_ptr = self.b.gep(self.memory_object(), [I64T(MEMORY_PAGES)], source_etype=I8)
        self.push(self.b.trunc(self.b.load(pages_ptr, typ=I64T), I32T))

    def op_memory_grow(self, ins: Instr) -> None:
        delta = self.b.zext(self.pop(), I64T)
        old = self.b.call(self.env.memgrow_fn, [self.vmctx, delta])
        bulk.pay_grow(self, old, delta)
        self.push(self.b.trunc(old, I32T))


H = FunctionTranslator
DISPATCH = {
    0x00: H.op_unreachable, 0x01: H.op_nop, 0x02: H.op_block, 0x03: H.op_loop, 0x04: H.op_if,
    0x05: H.op_else, 0x0B: H.op_end, 0x0C: H.op_br, 0x0D: H.op_br_if, 0x0E: H.op_br_table,
    0x0F: H.op_return, 0x10: H.op_call, 0x1A: H.op_drop, 0x1B: H.op_select,
    0x1C: H.op_select, 0x20: H.op_local_get, 0x21: H.op_local_set, 0x22: H.op_local_tee,
    0x23: H.op_global_get, 0x24: H.op_global_set, 0x3F: H.op_memory_size,
    0x40: H.op_memory_grow, 0x41: H.op_const, 0x42: H.op_const, 0x43: H.op_const,
    0x44: H.op_const, 0xD0: H.op_ref_null, 0xD1: H.op_ref_is_null,
}
DISPATCH.update(bulk.HANDLERS)
DISPATCH.update({op: H.op_load for op in LOADS})
DISPATCH.update({op: H.op_store for op in STORES})
