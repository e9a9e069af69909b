"""Exception handling of WebAssembly 3.0: throw, throw_ref and try_table.

The mechanism (docs/ARCHITECTURE.md, "Exceptions") is setjmp/longjmp with a handler chain
that compiled code keeps and the kernel walks, chosen so that a function without try_table
pays nothing at all, not even at its calls:

- try_table pushes a record (struct handler, guest/abi.def) held in an alloca of the function:
  the previous chain head, the address of this instance's tag slots, a static table of its
  catch clauses, and a jmpbuf that ``osb_setjmp`` (guest/user.S, declared ``returns_twice``)
  fills. The record is linked in as the store's innermost handler (vmctx ``handlers``), and
  every way out of the try_table (its end, a branch past it, return, a tail call) unlinks it:
  `FunctionTranslator.leave_handlers`.
- throw writes the payload to the store's spill buffer and calls ``osb_throw(tag, nbytes)``, a
  system call: the kernel (guest/exn.c) finds the innermost record with a matching clause,
  unlinks it and everything inside it, and resumes in ``osb_longjmp``, which returns from that
  record's ``osb_setjmp`` once more with the clause number + 1. The code after the setjmp
  switches on it: 0 enters the body, k branches to clause k-1's label with the payload (read
  from the spill buffer, or from the exception object for the *_ref clauses, which push it as
  the exnref). No matching clause: the trap "thrown Wasm exception" at the throw.
- Locals of a function with a try_table are read and written as volatile memory: a local the
  body changed before the throw must be seen changed by the catch, and a longjmp restores
  registers, not what LLVM kept in them (values computed before the try_table are safe: they
  are in callee-saved registers, which the jmpbuf restores, or in stack slots, which
  ``returns_twice`` keeps LLVM from reusing).

A tag's identity is an address: the slot of the defining instance (jit/env.py `tag_slot_offset`),
so two instances of one module have different tags and an importer shares the exporter's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from osbuild.abi import STRUCTS, VMCTX

from . import ir
from .env import I8, I32T, I64T, LTYPE, PTR, TRAP_NULL_REFERENCE, VOID
from .handlers import Registry
from .wasmtypes import V128, FuncType, Instr

if TYPE_CHECKING:
    from .lower import FunctionTranslator

registry = Registry()
lower = registry.lower

CATCH, CATCH_REF, CATCH_ALL, CATCH_ALL_REF = range(4)  # the binary format's clause kinds

VMCTX_HANDLERS = VMCTX["handlers"]
HANDLER = STRUCTS["handler"]
HANDLER_PREV = HANDLER.offset("prev")
HANDLER_TAGS = HANDLER.offset("tags")
HANDLER_CLAUSES = HANDLER.offset("clauses")
HANDLER_EXN = HANDLER.offset("exn")
EXN_PAYLOAD = STRUCTS["exn"].size  # the payload follows the object's header


def payload_offsets(ft: FuncType) -> tuple[list[int], int]:
    """Byte offset of each of a tag's parameters in a payload, and the payload's size."""
    offsets, off = [], 0
    for p in ft.params:
        offsets.append(off)
        off += 16 if p == V128 else 8
    return offsets, off


def _at(b: ir.IRBuilder, base: ir.Value, offset: int) -> ir.Value:
    return b.gep(base, [I64T(offset)], source_etype=I8) if offset else base


def handlers_head(t: FunctionTranslator) -> ir.Value:
    """The store's word that holds the innermost handler record (loaded once per function)."""
    head = t.__dict__.get("_eh_head")
    if head is None:
        head = t.env.load_field(t.entry_b, t.vmctx, VMCTX_HANDLERS, PTR)
        t.__dict__["_eh_head"] = head
    return head


def unlink(t: FunctionTranslator, record: ir.Value) -> None:
    """Make the record's predecessor the innermost handler again."""
    prev = t.b.load(record, typ=I64T)  # HANDLER_PREV is 0
    t.b.store(prev, handlers_head(t))


def _runtime(t: FunctionTranslator, name: str, ret: ir.Type, args: list[ir.Type],
             *attrs: str) -> ir.Function:
    env = t.env
    known: dict[str, ir.Function] = env.__dict__.setdefault("_eh_runtime", {})
    fn = known.get(name)
    if fn is None:
        fn = ir.Function(env.llmod, ir.FunctionType(ret, args), name=name)
        for a in ("nounwind", *attrs):
            fn.attributes.add(a)
        known[name] = fn
    return fn


def _raise(t: FunctionTranslator, name: str, args: list[ir.Value]) -> None:
    fn = _runtime(t, name, VOID, [a.type for a in args], "noreturn")
    t.b.call(fn, args)
    t.b.unreachable()
    t.b.position_at_end(t.new_block("dead"))
    t.mark_unreachable()


@lower(0x08)
def throw(t: FunctionTranslator, ins: Instr) -> None:
    index: int = ins.imm  # type: ignore[assignment]
    ft = t.env.wasm.tag_type(index)
    offsets, size = payload_offsets(ft)
    vals = t.popn(len(ft.params))
    spill = t.spill()
    for v, off in zip(vals, offsets, strict=True):
        t.b.store(v, _at(t.b, spill, off), align=8)
    identity = t.env.load_field(t.b, t.vmctx, t.env.tag_slot_offset(index), I64T)
    _raise(t, "osb_throw", [identity, I64T(size)])


@lower(0x0A)
def throw_ref(t: FunctionTranslator, ins: Instr) -> None:
    ref = t.pop()
    t.trap_if(t.b.icmp_unsigned("==", ref, I64T(0)), TRAP_NULL_REFERENCE)
    _raise(t, "osb_throw_ref", [ref])


def _clause_table(t: FunctionTranslator, catches: list[tuple[int, int | None, int]]) -> ir.Value:
    """The static table the kernel reads: count, then (kind, tag index) per clause."""
    words = [len(catches)]
    for kind, tag, _ in catches:
        words += [kind, tag if tag is not None else 0]
    ty = ir.ArrayType(I32T, len(words))
    n = t.__dict__.setdefault("_eh_tables", 0)
    t.__dict__["_eh_tables"] = n + 1
    g = ir.GlobalVariable(t.env.llmod, ty, name=f"{t.fn.name}_eh{n}")
    g.global_constant = True
    g.linkage = "private"
    g.initializer = ir.Constant(ty, words)
    return g


def _landing(t: FunctionTranslator, record: ir.Value, kind: int, tag: int | None,
             label: int) -> None:
    """Clause code: the kernel has unlinked the record; push what the clause gives (payload
    values, then the exnref for the *_ref kinds) and branch to its label."""
    if t.fuel is not None:
        t.fuel.load()  # the frames the exception left wrote their spending back
    vals: list[ir.Value] = []
    exn = None
    if kind in (CATCH_REF, CATCH_ALL_REF):
        exn = t.b.load(_at(t.b, record, HANDLER_EXN), typ=I64T)
    if tag is not None:
        ft = t.env.wasm.tag_type(tag)
        offsets, _ = payload_offsets(ft)
        if exn is not None:
            base = _at(t.b, t.b.inttoptr(exn, PTR), EXN_PAYLOAD)
        else:
            base = t.spill()
        for p, off in zip(ft.params, offsets, strict=True):
            vals.append(t.b.load(_at(t.b, base, off), typ=LTYPE[p], align=8))
    if exn is not None:
        vals.append(exn)
    t.branch_to(t.frames[-1 - label], vals)


@lower(0x1F)
def try_table(t: FunctionTranslator, ins: Instr) -> None:
    bt, catches = ins.imm  # type: ignore[misc]
    record = t.entry_b.alloca(ir.ArrayType(I64T, HANDLER.size // 8))
    head = handlers_head(t)
    b = t.b
    b.store(b.load(head, typ=I64T), record)
    tags = b.ptrtoint(_at(b, t.vmctx, t.env.layout["tags"]), I64T)
    b.store(tags, _at(b, record, HANDLER_TAGS))
    b.store(b.ptrtoint(_clause_table(t, catches), I64T), _at(b, record, HANDLER_CLAUSES))
    b.store(b.ptrtoint(record, I64T), head)
    setjmp = _runtime(t, "osb_setjmp", I64T, [PTR], "returns_twice")
    resumed = b.call(setjmp, [record], attrs=("returns_twice",))
    body = t.new_block("try")
    switch = b.switch(resumed, body)
    for k, (kind, tag, label) in enumerate(catches):
        block = t.new_block(f"catch{k}")
        switch.add_case(I64T(k + 1), block)
        t.b.position_at_end(block)
        _landing(t, record, kind, tag, label)
    t.b.position_at_end(body)
    end = t.new_block("end")
    frame = t.push_frame("try", bt, end, end)
    frame.handler = record
