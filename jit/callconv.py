"""The calling convention of compiled wasm functions, and why it is not quite the C one.

A wasm function is `ret f(i8* vmctx, params...)` in LLVM's C convention for riscv64 lp64d as
long as every argument and result travels in registers (at most 7 integer-class and 8 float
parameters, floats spilling into free integer registers; at most two results, no v128). Such a
call can always be a tail call: RISC-V turns a `tail` call into a jump whenever no argument
needs the stack, and LLVM 22 does no RISC-V tail call with stack arguments (`tailcc` is
unsupported there). So a function type that does not fit is given a prototype that does: the
first 7 integer-class and first 8 float parameters stay in registers, every other parameter (and
every v128) goes through the store's spill buffer, whose address is the vmctx field `spill`
(one 16 KiB buffer per store, the same in every instance of the store, guest/store.c). If the
results do not fit (more than two, or a v128), all of them go through the buffer and the LLVM
function returns void.

Why that is safe: a caller writes the spilled arguments right before the call and the callee
reads them first thing in its entry block, before anything that could call again; a callee
writes its spilled results right before returning and the caller reads them right after the
call. Arguments and results both start at offset 0: they are never live at the same time.
A tail call is then a jump with the arguments in the buffer, and the loop of tail calls runs
in constant stack whatever the signature (tests/test_tailcalls.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import ir
from .wasmtypes import F32, F64, V128, FuncType

SPILL_BYTES = 16 * 1024  # guest/osb.h SPILL_BYTES: 1000 params (wasmparser's limit) of 16 bytes
INT_ARG_REGS = 8  # a0-a7, vmctx in a0
FLOAT_ARG_REGS = 8  # fa0-fa7


def _natural_params(params: tuple[int, ...]) -> bool:
    """Whether C's convention passes (vmctx, params...) all in registers (lp64d)."""
    if V128 in params:
        return False
    floats = sum(p in (F32, F64) for p in params)
    ints = 1 + len(params) - floats
    return ints + max(0, floats - FLOAT_ARG_REGS) <= INT_ARG_REGS


def _size(t: int) -> int:
    return 16 if t == V128 else 8


@dataclass(frozen=True)
class Conv:
    """Where each parameter and result of a function type travels."""

    in_regs: tuple[int, ...]  # indices of the parameters passed in registers, in order
    spilled: tuple[tuple[int, int], ...]  # (parameter index, byte offset in the spill buffer)
    results_spilled: tuple[int, ...]  # byte offset of each result, () if they are in registers

    @property
    def uses_spill(self) -> bool:
        return bool(self.spilled or self.results_spilled)


@lru_cache(maxsize=4096)
def conv(ft: FuncType) -> Conv:
    params, results = ft.params, ft.results
    if _natural_params(params):
        in_regs: tuple[int, ...] = tuple(range(len(params)))
        spilled: tuple[tuple[int, int], ...] = ()
    else:
        regs, spills, ints, floats, off = [], [], 1, 0, 0
        for i, p in enumerate(params):
            if p in (F32, F64) and floats < FLOAT_ARG_REGS:
                floats += 1
                regs.append(i)
            elif p not in (F32, F64, V128) and ints < INT_ARG_REGS:
                ints += 1
                regs.append(i)
            else:
                spills.append((i, off))
                off += _size(p)
        in_regs, spilled = tuple(regs), tuple(spills)
    results_spilled: tuple[int, ...] = ()
    if len(results) > 2 or V128 in results:
        offs, off = [], 0
        for r in results:
            offs.append(off)
            off += _size(r)
        results_spilled = tuple(offs)
    if sum(_size(params[i]) for i, _ in spilled) > SPILL_BYTES or \
            sum(map(_size, results)) > SPILL_BYTES and results_spilled:
        raise ValueError(f"function type {ft.sig()} does not fit the spill buffer")
    return Conv(in_regs, spilled, results_spilled)


def spill_slot(b: ir.IRBuilder, spill: ir.Value, offset: int) -> ir.Value:
    return b.gep(spill, [ir.IntType(64)(offset)], source_etype=ir.IntType(8)) if offset else spill


def store_args(b: ir.IRBuilder, c: Conv, spill: ir.Value | None,
               args: list[ir.Value]) -> list[ir.Value]:
    """Write the spilled arguments (wasm parameters `args`, vmctx not included) to the buffer;
    the arguments that go in registers."""
    for i, off in c.spilled:
        assert spill is not None
        b.store(args[i], spill_slot(b, spill, off), align=8)
    return [args[i] for i in c.in_regs]


def entry_params(b: ir.IRBuilder, c: Conv, spill: ir.Value | None, reg_args: list[ir.Value],
                 types: list[ir.Type]) -> list[ir.Value]:
    """All wasm parameters of the function being entered: its register arguments (vmctx not
    included) and the spilled ones, read from the buffer (first thing in the entry block)."""
    out: list[ir.Value | None] = [None] * len(types)
    for i, v in zip(c.in_regs, reg_args, strict=True):
        out[i] = v
    for i, off in c.spilled:
        assert spill is not None
        out[i] = b.load(spill_slot(b, spill, off), typ=types[i], align=8)
    return out  # type: ignore[return-value]


def load_results(b: ir.IRBuilder, c: Conv, spill: ir.Value | None, result: ir.Value,
                 types: list[ir.Type]) -> list[ir.Value]:
    """The wasm results of a call that returned `result`."""
    if c.results_spilled:
        assert spill is not None
        return [b.load(spill_slot(b, spill, off), typ=t, align=8)
                for off, t in zip(c.results_spilled, types, strict=True)]
    n = len(types)
    if n == 0:
        return []
    if n == 1:
        return [result]
    return [b.extract_value(result, i) for i in range(n)]


def emit_return(b: ir.IRBuilder, c: Conv | None, spill: ir.Value | None,
                vals: list[ir.Value]) -> None:
    """Return wasm results: in registers (nothing, one value or a struct), or through the
    buffer (then the LLVM function returns void)."""
    if c is not None and c.results_spilled:
        assert spill is not None
        for v, off in zip(vals, c.results_spilled, strict=True):
            b.store(v, spill_slot(b, spill, off), align=8)
        b.ret_void()
    elif not vals:
        b.ret_void()
    elif len(vals) == 1:
        b.ret(vals[0])
    else:
        agg = ir.Constant(b.function.function_type.return_type, ir.Undefined)
        for i, v in enumerate(vals):
            agg = b.insert_value(agg, v, i)
        b.ret(agg)
