"""Call instructions: call and call_indirect.

A direct call goes straight to the callee's LLVM function, or through the vmctx's import slot
for an imported one (ModuleEnv.call). call_indirect reads a funcref from the table and checks,
in the spec's order, the index, the null reference and the signature (a type id stored in the
func object) before calling the object's code with the object's own vmctx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .env import (
    FUNC_CODE,
    FUNC_TYPE_ID,
    FUNC_VMCTX,
    I8,
    I64T,
    PTR,
    TRAP_SIGNATURE,
    TRAP_UNDEFINED_ELEMENT,
    TRAP_UNINITIALIZED_ELEMENT,
    fn_type,
    type_id,
)
from .handlers import Registry
from .objects import table_elem_ptr, table_object, table_size
from .wasmtypes import Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower


@lower(0x10)
def call(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    ft = t.env.wasm.func_type(index)
    args = t.popn(len(ft.params))
    result = t.env.call(t.b, t.vmctx, index, args)
    t.push_results(result, len(ft.results))


@lower(0x11)
def call_indirect(t: FunctionTranslator, ins: Instr) -> None:
    type_index, table_index = ins.imm  # type: ignore[misc]
    ft = t.env.wasm.types[type_index]
    i = t.pop_u64()
    args = t.popn(len(ft.params))
    table = table_object(t, table_index)
    t.check_range(i, I64T(1), table_size(t, table), TRAP_UNDEFINED_ELEMENT)
    ref = t.b.load(table_elem_ptr(t, table, i), typ=I64T)
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), TRAP_UNINITIALIZED_ELEMENT)
    obj = t.b.inttoptr(ref, PTR)
    tid = t.b.load(t.b.gep(obj, [I64T(FUNC_TYPE_ID)], source_etype=I8), typ=I64T)
    t.trap_if(t.b.icmp_unsigned("!=", tid, I64T(type_id(ft))), TRAP_SIGNATURE)
    code_ptr = t.b.gep(obj, [I64T(FUNC_CODE)], source_etype=I8) if FUNC_CODE else obj
    code = t.b.load(code_ptr, typ=fn_type(ft).as_pointer())
    callee_vmctx = t.b.load(t.b.gep(obj, [I64T(FUNC_VMCTX)], source_etype=I8), typ=PTR)
    t.push_results(t.b.call(code, [callee_vmctx, *args]), len(ft.results))
