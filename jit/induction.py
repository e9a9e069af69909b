"""Congruent induction locals: locals of one loop that step by the same constant once per
iteration, so that each stays a fixed distance from another (jit/control.py `loop`).

Clang's wasm32 code keeps several such locals where one would do: a loop unrolled by 4 steps
`k-1`, `k`, `k+1`, `k+2`, ... as six locals each `+4` an iteration, because wasm has no
addressing modes to fold the offsets into. LLVM's passes do not merge induction variables that
start at different values, so the unrolled loop keeps six counters, and the code after it
recomputes, from their exit values, what the loop already had (hashtab's exit block). When the
translator redefines each member at the loop header as the group's base plus its distance at
entry (`member := base + (member0 - base0)`), LLVM sees one counter, its offsets fold into the
uses, and GVN finds the recomputation equal to the loop's value.

The redefinition is an identity, by this argument. Every member is written exactly once in the
loop body, by `local.get X; const c; add; local.set/tee X` at the body's top level (so on
every path through an iteration that gets past it), and every branch back to the loop header
comes after all the members' updates. So between two arrivals at the header every member grew
by the same c, modulo 2^32 or 2^64, and their differences are those at the first entry. A body
that could branch back in ways this does not see (exception handlers, casts that branch) is
left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from .wasmtypes import I32, Instr

LOCAL_GET, LOCAL_SET, LOCAL_TEE = 0x20, 0x21, 0x22
CONST_ADD = {0x41: (0x6A, 0x6B), 0x42: (0x7C, 0x7D)}  # i32/i64 const: (add, sub)
OPENERS = frozenset({0x02, 0x03, 0x04})  # block, loop, if
END = 0x0B
BR, BR_IF, BR_TABLE, BR_ON_NULL, BR_ON_NON_NULL = 0x0C, 0x0D, 0x0E, 0xD5, 0xD6
# Control the analysis does not follow: legacy try/catch/delegate/rethrow, try_table and
# br_on_cast(_fail) can reach a label, or a handler inside the loop, in ways not modelled.
OPAQUE = frozenset({0x06, 0x07, 0x09, 0x18, 0x19, 0x1F, 0xFB18, 0xFB19})
LEGACY_EH = frozenset({0x06, 0x07, 0x09, 0x18, 0x19})  # try, catch, rethrow, delegate, catch_all

# loop offset -> [(base local, member local, member - base at entry)]
Groups = dict[int, list[tuple[int, int, int]]]


def congruent_groups(code: Sequence[Instr], local_types: Sequence[int],
                     params: int) -> Groups:
    """For each loop of a function body (keyed by the loop instruction's offset), the
    congruent induction locals whose values at loop entry are constants: (base, member,
    distance), the member to be redefined as base + distance at the loop header. (Counters
    that start at run-time values, two pointers stepping together, are left alone: the
    distance would be a run-time value, which gave LLVM no offsets to fold and cost QuickJS
    0.2%.)"""
    groups: Groups = {}
    if any(ins.op in LEGACY_EH for ins in code):
        return groups  # `delegate` ends a try without `end`: the nesting below would be wrong
    ends = matching_ends(code)
    openers = {end: start for start, end in ends.items()}
    for i, ins in enumerate(code):
        if ins.op != 0x03 or i not in ends:
            continue
        found = []
        for base, member in loop_groups(code, i, ends[i], local_types):
            b = entry_constant(code, i, base, params, openers)
            m = entry_constant(code, i, member, params, openers)
            if b is not None and m is not None:
                found.append((base, member, signed(m - b, local_types[member])))
        if found:
            groups[ins.offset] = found
    return groups


def entry_constant(code: Sequence[Instr], loop: int, local: int, params: int,
                   openers: dict[int, int]) -> int | None:
    """The constant a local holds on entry to the loop at code[loop], when the code that
    leads there without a join sets it from a constant (or, from the function's start, a
    declared local's zero). Walking back, a block or if is entered from just before it, and
    a nested construct that does not write the local is skipped whole; a loop header or an
    else is a join, where the walk gives up."""
    j = loop - 1
    while j >= 0:
        ins = code[j]
        if ins.op in (LOCAL_SET, LOCAL_TEE) and ins.imm == local:
            before = code[j - 1] if j > 0 else None
            return before.imm if before is not None and before.op in CONST_ADD else None  # type: ignore[return-value]
        if ins.op == END:
            start = openers.get(j)
            if start is None or any(x.op in (LOCAL_SET, LOCAL_TEE) and x.imm == local
                                    for x in code[start:j]):
                return None
            j = start - 1
            continue
        if ins.op in (0x03, 0x05) or (ins.op in OPAQUE and ins.op != 0x1F):
            return None
        j -= 1
    return 0 if local >= params else None


def signed(value: int, ty: int) -> int:
    """``value`` wrapped to the width of the local type ``ty``, as a signed integer."""
    bits = 32 if ty == I32 else 64
    v = value % (1 << bits)
    return v - ((v >> (bits - 1)) << bits)


def matching_ends(code: Sequence[Instr]) -> dict[int, int]:
    """Index of each block/loop/if/try_table opener -> index of its `end`."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    for i, ins in enumerate(code):
        if ins.op in OPENERS or ins.op == 0x1F:
            stack.append(i)
        elif ins.op == END and stack:
            ends[stack.pop()] = i
    return ends


def loop_groups(code: Sequence[Instr], start: int, stop: int,
                local_types: Sequence[int]) -> list[tuple[int, int]]:
    """The congruent pairs (base, member) of the loop whose body is code[start+1:stop]."""
    written: dict[int, list[tuple[int, int]]] = {}  # local -> (index, nesting) of its writes
    back_edges: list[int] = []
    depth = 0  # nesting inside the loop body: a label `depth` names the loop itself
    for k in range(start + 1, stop):
        ins = code[k]
        if ins.op in OPAQUE:
            return []
        if ins.op in OPENERS:
            depth += 1
        elif ins.op == END:
            depth -= 1
        elif ins.op in (LOCAL_SET, LOCAL_TEE):
            written.setdefault(ins.imm, []).append((k, depth))  # type: ignore[arg-type]
        elif targets_loop(ins, depth):
            back_edges.append(k)
    # members: written once, at the body's top level, by a constant step, before any branch
    # back to the header
    first_back = min(back_edges, default=stop)
    by_step: dict[tuple[int, int], list[int]] = {}
    for local, at in sorted(written.items()):
        if len(at) != 1 or at[0][1] != 0 or at[0][0] > first_back:
            continue
        step = constant_step(code, start, at[0][0], local)
        if step is not None:
            key = (local_types[local], signed(step, local_types[local]))
            by_step.setdefault(key, []).append(local)
    return [(members[0], m) for members in by_step.values() if len(members) > 1
            for m in members[1:]]


def targets_loop(ins: Instr, depth: int) -> bool:
    """Whether a branch instruction can jump to the label `depth` levels out."""
    if ins.op in (BR, BR_IF, BR_ON_NULL, BR_ON_NON_NULL):
        return ins.imm == depth
    if ins.op == BR_TABLE:
        labels, default = ins.imm  # type: ignore[misc]
        return default == depth or depth in labels
    return False


def constant_step(code: Sequence[Instr], start: int, k: int, local: int) -> int | None:
    """The constant c when code[k-3:k+1] is `local.get X; const c; add (or sub); set/tee X`
    (or `const c; local.get X; add`), else None."""
    if k - 3 <= start:
        return None
    a, b, op = code[k - 3], code[k - 2], code[k - 1]
    if a.op == LOCAL_GET and a.imm == local and b.op in CONST_ADD:
        add, sub = CONST_ADD[b.op]
        if op.op == add:
            return b.imm  # type: ignore[return-value]
        if op.op == sub:
            return -b.imm  # type: ignore[operator]
    if b.op == LOCAL_GET and b.imm == local and a.op in CONST_ADD and op.op == CONST_ADD[a.op][0]:
        return a.imm  # type: ignore[return-value]
    return None
