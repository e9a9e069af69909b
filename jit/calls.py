"""Call instructions: call, call_indirect, call_ref and their tail-call forms return_call,
return_call_indirect, return_call_ref.

A direct call goes straight to the callee's LLVM function, or through the vmctx's import slot
for an imported one (ModuleEnv.call). call_indirect reads a funcref from the table and checks,
in the spec's order, the index, the null reference and the signature (a type id stored in the
func object) before calling the object's code with the object's own vmctx; call_ref only checks
for null (validation has proved the type).

Tail calls (docs/ARCHITECTURE.md, "Tail calls"): every function is compiled with
"disable-tail-calls" so that a backtrace shows each wasm frame; a function with a return_call*
drops that attribute, marks its ordinary calls ``notail`` and makes each return_call* an LLVM
``musttail`` call when the callee's LLVM prototype is the caller's (a hard guarantee: the
verifier refuses otherwise), or a ``tail`` call otherwise, which the RISC-V backend performs
whenever no argument needs the stack. The calling convention (jit/callconv.py) passes every
argument and result of every prototype in registers or through the store's spill buffer, never
on the stack, so every return_call* is a jump. The caller's frame is gone: a backtrace through
a tail call shows the callee where the caller was, as wasmtime documents for its own tail
calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import callconv, gc, ir, segments
from .env import (
    FUNC_CODE,
    FUNC_TYPE_ID,
    FUNC_VMCTX,
    I8,
    I64T,
    LTYPE,
    PTR,
    TRAP_NULL_FUNCTION,
    TRAP_SIGNATURE,
    TRAP_UNDEFINED_ELEMENT,
    TRAP_UNINITIALIZED_ELEMENT,
    fn_type,
    type_id,
)
from .handlers import Registry
from .objects import table_elem_ptr, table_object, table_size
from .wasmtypes import FuncType, Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower

DISABLE_TAIL_CALLS = '"disable-tail-calls"="true"'


def emit_call(t: FunctionTranslator, callee: ir.Value, args: list[ir.Value], ft: FuncType,
              tail: bool) -> None:
    """Call `callee` (an LLVM function or code pointer of type fn_type(ft)) with `args`
    (vmctx first, then the wasm arguments); push its results, or for a tail call return them
    (see the module doc)."""
    fnty = fn_type(ft)
    c = callconv.conv(ft)
    spill = t.spill() if c.uses_spill else None
    regs = [args[0], *callconv.store_args(t.b, c, spill, args[1:])]
    if not tail:
        result = t.b.call(callee, regs, tail="notail")
        for v in callconv.load_results(t.b, c, spill, result, [LTYPE[r] for r in ft.results]):
            t.push(v)
        return
    t.leave_handlers(t.frames[0])  # the caller's try_tables end with its frame
    set.discard(t.fn.attributes, DISABLE_TAIL_CALLS)
    must = fnty == t.fn.function_type
    t.env.sibling_calls |= not must
    result = t.b.call(callee, regs, tail="musttail" if must else "tail")
    if isinstance(fnty.return_type, ir.VoidType):
        t.b.ret_void()
    else:
        t.b.ret(result)
    t.b.position_at_end(t.new_block("dead"))
    t.mark_unreachable()


def direct(t: FunctionTranslator, index: int, tail: bool) -> None:
    env = t.env
    ft = env.wasm.func_type(index)
    args = t.popn(len(ft.params))
    if index < env.nimported_funcs:
        off = env.import_slot_offset(index)
        code = env.load_field(t.b, t.vmctx, off, fn_type(ft).as_pointer())
        vmctx = env.load_field(t.b, t.vmctx, off + 8, PTR)
        emit_call(t, code, [vmctx, *args], ft, tail)
    else:
        copy = None if tail else env.inline_copy(index)  # jit/inline.py
        emit_call(t, copy or env.func(index), [t.vmctx, *args], ft, tail)


def through_object(t: FunctionTranslator, obj: ir.Value, ft: FuncType, args: list[ir.Value],
                   tail: bool) -> None:
    """Call the func object {code, vmctx, type id} at `obj` with its own vmctx."""
    code_ptr = t.b.gep(obj, [I64T(FUNC_CODE)], source_etype=I8) if FUNC_CODE else obj
    code = t.b.load(code_ptr, typ=fn_type(ft).as_pointer())
    callee_vmctx = t.b.load(t.b.gep(obj, [I64T(FUNC_VMCTX)], source_etype=I8), typ=PTR)
    emit_call(t, code, [callee_vmctx, *args], ft, tail)


def indirect(t: FunctionTranslator, ins: Instr, tail: bool) -> None:
    type_index, table_index = ins.imm  # type: ignore[misc]
    ft = t.env.wasm.types[type_index]
    table64 = segments.table64(t.env, table_index)
    i = t.pop() if table64 else t.pop_u64()
    args = t.popn(len(ft.params))
    table = table_object(t, table_index)
    segments.check_range(t, i, I64T(1), table_size(t, table), TRAP_UNDEFINED_ELEMENT, table64)
    ref = t.b.load(table_elem_ptr(t, table, i), typ=I64T)
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), TRAP_UNINITIALIZED_ELEMENT)
    obj = t.b.inttoptr(ref, PTR)
    if t.env.wasm.final(type_index):  # no other type can match: the type id says it
        tid = t.b.load(t.b.gep(obj, [I64T(FUNC_TYPE_ID)], source_etype=I8), typ=I64T)
        t.trap_if(t.b.icmp_unsigned("!=", tid, I64T(type_id(ft))), TRAP_SIGNATURE)
    else:  # a subtype's function matches too (GC's declared supertypes)
        t.trap_if(t.b.not_(gc.func_subtype(t, obj, type_index)), TRAP_SIGNATURE)
    through_object(t, obj, ft, args, tail)


def by_ref(t: FunctionTranslator, ins: Instr, tail: bool) -> None:
    ft = t.env.wasm.types[ins.imm]  # type: ignore[index]
    ref = t.pop()
    args = t.popn(len(ft.params))
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), TRAP_NULL_FUNCTION)
    through_object(t, t.b.inttoptr(ref, PTR), ft, args, tail)


@lower(0x10)
def call(t: FunctionTranslator, ins: Instr) -> None:
    direct(t, ins.imm, False)  # type: ignore[arg-type]


@lower(0x12)
def return_call(t: FunctionTranslator, ins: Instr) -> None:
    direct(t, ins.imm, True)  # type: ignore[arg-type]


@lower(0x11)
def call_indirect(t: FunctionTranslator, ins: Instr) -> None:
    indirect(t, ins, False)


@lower(0x13)
def return_call_indirect(t: FunctionTranslator, ins: Instr) -> None:
    indirect(t, ins, True)


@lower(0x14)
def call_ref(t: FunctionTranslator, ins: Instr) -> None:
    by_ref(t, ins, False)


@lower(0x15)
def return_call_ref(t: FunctionTranslator, ins: Instr) -> None:
    by_ref(t, ins, True)
