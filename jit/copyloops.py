"""Copy and fill loops, emitted once per module as small internal functions.

Bulk memory and table operations and segment initialisation all come down to "move n items"
or "store one value n times". The loops are functions of the module object marked
"no-builtins" (env.FUNC_ATTRS), so that LLVM never turns them into calls to a libc memmove or
memset, which U-mode cannot reach.
"""

from __future__ import annotations

from collections.abc import Callable

from . import ir
from .env import I64T, PTR, VOID, ModuleEnv

LoopBody = Callable[[ir.IRBuilder, ir.Value], object]


def helper_function(env: ModuleEnv, name: str, args: list[ir.Type]) -> tuple[ir.Function, bool]:
    """The module's helper `name`, and whether it is new (its body still to be emitted)."""
    full = f"{env.prefix}_{name}"
    known: dict[str, ir.Function] = env.__dict__.setdefault("_helpers", {})
    if full in known:  # a dict, not a scan of the module's functions (quadratic in segments)
        return known[full], False
    fn = env.define(full, VOID, args)
    fn.linkage = "internal"
    known[full] = fn
    return fn, True


def _counted_loop(fn: ir.Function, start: ir.Block, n: ir.Value, body: LoopBody,
                  backwards: bool = False) -> None:
    """From `start`: for i in range(n) (or reversed): body(builder, i); then return."""
    loop, done = fn.append_basic_block("loop"), fn.append_basic_block("done")
    b = ir.IRBuilder(start)
    b.cbranch(b.icmp_unsigned("==", n, I64T(0)), done, loop)
    b.position_at_end(loop)
    k = b.phi(I64T)
    k.add_incoming(I64T(0), start)
    i = b.sub(b.sub(n, I64T(1)), k) if backwards else k
    body(b, i)
    nxt = b.add(k, I64T(1))
    k.add_incoming(nxt, b.block)
    b.cbranch(b.icmp_unsigned("==", nxt, n), done, loop)
    b.position_at_end(done)
    b.ret_void()


def memmove_helper(env: ModuleEnv, elem: ir.Type, size: int) -> ir.Function:
    """move(dst, src, count) of ``elem``-typed items with memmove's overlap semantics."""
    fn, new = helper_function(env, f"move{size}", [PTR, PTR, I64T])
    if not new:
        return fn
    dst, src, n = fn.args
    entry = fn.append_basic_block("entry")
    fwd, bwd = fn.append_basic_block("fwd"), fn.append_basic_block("bwd")
    b = ir.IRBuilder(entry)
    b.cbranch(b.icmp_unsigned("<=", b.ptrtoint(dst, I64T), b.ptrtoint(src, I64T)), fwd, bwd)

    def copy(bb: ir.IRBuilder, i: ir.Value) -> None:
        v = bb.load(bb.gep(src, [i], source_etype=elem), typ=elem, align=1)
        bb.store(v, bb.gep(dst, [i], source_etype=elem), align=1)

    _counted_loop(fn, fwd, n, copy)
    _counted_loop(fn, bwd, n, copy, backwards=True)
    return fn


def fill_helper(env: ModuleEnv, elem: ir.Type, size: int) -> ir.Function:
    """fill(dst, value, count) of ``elem``-typed items."""
    fn, new = helper_function(env, f"fill{size}", [PTR, elem, I64T])
    if new:
        dst, val, n = fn.args
        _counted_loop(fn, fn.append_basic_block("entry"), n,
                      lambda b, i: b.store(val, b.gep(dst, [i], source_etype=elem), align=1))
    return fn
