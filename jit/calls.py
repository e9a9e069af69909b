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
``musttail`` call when the callee's LLVM prototype is the caller's and every argument travels in
registers (a hard guarantee: the verifier refuses otherwise), or a ``tail`` call otherwise, which
the RISC-V backend performs whenever no argument needs the stack and the results fit in two
registers. The caller's frame is gone: a backtrace through a tail call shows the callee where
the caller was, as wasmtime documents for its own tail calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ir, segments
from .env import (
    F32T,
    F64T,
    FUNC_CODE,
    FUNC_TYPE_ID,
    FUNC_VMCTX,
    I8,
    I64T,
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
ARG_REGS = 8  # a0-a7 and fa0-fa7 (lp64d); floats beyond fa7 take integer registers


def in_registers(fnty: ir.FunctionType) -> bool:
    """Whether every argument and the result of a call of `fnty` travel in registers (lp64d),
    the condition for RISC-V to turn it into a jump."""
    if any(isinstance(a, ir.VectorType) for a in (*fnty.args, fnty.return_type)):
        return False  # a v128 takes two registers or memory: no guarantee attempted
    floats = sum(a in (F32T, F64T) for a in fnty.args)
    ints = len(fnty.args) - floats
    if ints + max(0, floats - ARG_REGS) > ARG_REGS:
        return False
    ret = fnty.return_type
    return not isinstance(ret, ir.LiteralStructType) or (
        len(ret.elements) <= 2 and not any(isinstance(e, ir.VectorType) for e in ret.elements))


def emit_call(t: FunctionTranslator, callee: ir.Value, args: list[ir.Value], ft: FuncType,
              tail: bool) -> None:
    """Call `callee` (an LLVM function or code pointer of type fn_type(ft)) with `args`
    (vmctx first); push its results, or for a tail call return them (see the module doc)."""
    fnty = fn_type(ft)
    if not tail:
        t.push_results(t.b.call(callee, args, tail="notail"), len(ft.results))
        return
    set.discard(t.fn.attributes, DISABLE_TAIL_CALLS)
    must = fnty == t.fn.function_type and in_registers(fnty)
    t.env.sibling_calls |= not must
    result = t.b.call(callee, args, tail="musttail" if must else "tail")
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
        emit_call(t, env.func(index), [t.vmctx, *args], ft, tail)


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
    tid = t.b.load(t.b.gep(obj, [I64T(FUNC_TYPE_ID)], source_etype=I8), typ=I64T)
    t.trap_if(t.b.icmp_unsigned("!=", tid, I64T(type_id(ft))), TRAP_SIGNATURE)
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
