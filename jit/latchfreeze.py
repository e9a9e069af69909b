"""Recurrences hidden from loop strength reduction: the opt tier's last rewrite of the optimized
IR before code generation (jit/target.py `compile_ir`).

Loop strength reduction (LSR, in LLVM's code generation) rewrites every use of a value that
scalar evolution can express in terms of a loop's induction variable. A recurrence such as
hashtab's `y = y/4 + k` (k the counter) has such an expression, though not an affine one:
`((y0/4 + {0,+,4})/4 + {1,+,4})/4 ...`. When y is still needed after the loop, LSR expands that
expression again at the exit, in post-increment form, and makes the counters it mentions into
new induction variables: in the letters loop of bench/programs/hashtab.c, seven counters and a
14-instruction block after the loop that recomputes what the loop's last iteration had, plus
the spills those registers cause (the wasm keeps them as one counter, jit/induction.py).

A `freeze` of the recurrence's next value, used for its phi and everywhere else, is a scalar
evolution "unknown", so LSR leaves the recurrence as computed and the exit takes the value the
loop had. `freeze` of a value that is not poison is that value (wasm code has no poison: every
flag LLVM adds it has proved), and it generates no instruction.

Only values that LSR would expand are frozen: the next value of a loop-header phi that is not
an affine step (`add`/`sub`/`getelementptr`/`or` of a phi), that is computed, without going
through a load, call or address, from an affine induction phi of the same loop, and that is
used after the loop. Freezing every non-affine recurrence cost QuickJS 0.1% (a hash loop's
multiply-add, which LSR never touched, lost DAG combines).

This is a rewrite of LLVM's printed IR, like `mark_folded_accesses`: llvmlite has no API to
change a parsed module. It reads the IR the translator's own functions become after LLVM's
passes: plain `%name` values and block labels, one instruction per line (a `switch`'s cases
on the lines after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

LABEL = re.compile(r"^([-\w.$]+):")
DEF = re.compile(r"^  (%[-\w.$]+) = (\w+)")
PHI = re.compile(r"^  (%[-\w.$]+) = phi (i32|i64) ")
INCOMING = re.compile(r"\[ (%[-\w.$]+|[-\w]+), %([-\w.$]+) \]")
VALUE = re.compile(r"%[-\w.$]+")
TARGET = re.compile(r"label %([-\w.$]+)")
ARITHMETIC = re.compile(r"^  %[-\w.$]+ = (add|sub|mul|shl|lshr|ashr|and|or|xor|udiv|sdiv|urem|srem)"
                        r"(?: (?:nuw|nsw|exact|disjoint))* (i32|i64) ")
AFFINE_OPS = frozenset({"add", "sub", "getelementptr", "or"})
# Where a value's dependence on the counter stops mattering to LSR: what these produce is
# an "unknown" to scalar evolution, or an address.
OPAQUE_OPS = frozenset({"load", "call", "getelementptr", "select", "extractvalue", "freeze"})
SUFFIX = ".lsrfz"
# The label of a wasm loop's header block in the translator's IR (jit/control.py `loop`): a
# unit without one has no loop to rewrite, and is not printed for it (printing every unit
# of QuickJS cost its opt compile 9%).
LOOP_LABEL = "\nloop"


@dataclass
class Function:
    """One function's lines, with the blocks and definitions the rewrite needs."""

    lines: list[str]
    order: list[str] = field(default_factory=list)  # block labels in text order
    block_of: dict[int, str] = field(default_factory=dict)  # line index -> block
    defs: dict[str, tuple[int, str]] = field(default_factory=dict)  # value -> (line, opcode)
    succ: dict[str, list[str]] = field(default_factory=dict)
    preds: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        current = ""
        for i, line in enumerate(self.lines[1:], 1):
            m = LABEL.match(line)
            if m:
                current = m.group(1)
                self.order.append(current)
                continue
            if not line.startswith("  "):
                continue
            if not current:  # an entry block printed without a label
                current = "%entry"
                self.order.append(current)
            self.block_of[i] = current
            d = DEF.match(line)
            if d:
                self.defs[d.group(1)] = (i, d.group(2))
        self.succ = {b: [] for b in self.order}
        self.preds = {b: [] for b in self.order}
        for i, b in self.block_of.items():
            # `label %x` appears only in terminators (br, switch and its case lines)
            for t in TARGET.findall(self.lines[i]):
                if t in self.succ and t not in self.succ[b]:
                    self.succ[b].append(t)
                    self.preds[t].append(b)

    def operands(self, value: str) -> list[str]:
        line = self.lines[self.defs[value][0]]
        return VALUE.findall(line.split("=", 1)[1])


def dominators(fn: Function) -> dict[str, str]:
    """Immediate dominators (Cooper, Harvey and Kennedy's iteration over reverse postorder)."""
    entry = fn.order[0]
    post: list[str] = []
    seen = {entry}
    stack: list[tuple[str, Iterator[str]]] = [(entry, iter(fn.succ[entry]))]
    while stack:
        b, it = stack[-1]
        nxt = next((s for s in it if s not in seen), None)
        if nxt is None:
            post.append(b)
            stack.pop()
        else:
            seen.add(nxt)
            stack.append((nxt, iter(fn.succ[nxt])))
    number = {b: i for i, b in enumerate(post)}
    idom = {entry: entry}
    changed = True
    while changed:
        changed = False
        for b in reversed(post[:-1]):
            done = [p for p in fn.preds[b] if p in idom]
            new = done[0]
            for p in done[1:]:
                a, c = p, new
                while a != c:
                    while number[a] < number[c]:
                        a = idom[a]
                    while number[c] < number[a]:
                        c = idom[c]
                new = a
            if idom.get(b) != new:
                idom[b] = new
                changed = True
    return idom


def dominates(idom: dict[str, str], a: str, b: str) -> bool:
    while True:
        if a == b:
            return True
        if b not in idom or idom[b] == b:
            return False
        b = idom[b]


def natural_loop(fn: Function, header: str, latch: str) -> set[str]:
    body, work = {header, latch}, [latch]
    while work:
        b = work.pop()
        if b == header:
            continue
        for p in fn.preds[b]:
            if p not in body:
                body.add(p)
                work.append(p)
    return body


def uses(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(name) + r"(?![-\w.$])")


def affine_step(fn: Function, value: str, header: str, body: set[str]) -> bool:
    """Whether `value` is a header phi plus (minus, offset by) a constant or a value computed
    outside the loop: an affine induction step, which scalar evolution handles."""
    if fn.defs[value][1] not in AFFINE_OPS:
        return False
    ops = fn.operands(value)
    phis = [v for v in ops if header_phi(fn, v, header)]
    others = [v for v in ops if v not in phis]
    return bool(phis) and len(ops) <= 2 and all(
        v not in fn.defs or fn.block_of.get(fn.defs[v][0]) not in body for v in others)


def header_phi(fn: Function, value: str, header: str) -> bool:
    return value in fn.defs and fn.defs[value][1] == "phi" \
        and fn.block_of.get(fn.defs[value][0]) == header


def steps_itself(fn: Function, phi: str, value: str) -> bool:
    """Whether `value` is an affine step of `phi` (an add, sub, address or disjoint or)."""
    return fn.defs[value][1] in AFFINE_OPS and phi in fn.operands(value)


def affine_phi(fn: Function, phi: str, latch: str) -> bool:
    line = fn.lines[fn.defs[phi][0]]
    return any(v in fn.defs and b == latch and steps_itself(fn, phi, v)
               for v, b in INCOMING.findall(line))


def reads_counter(fn: Function, value: str, header: str, latch: str, body: set[str]) -> bool:
    """Whether `value` is computed in the loop, through arithmetic alone, from an affine
    induction phi of `header` (a walk over the operands, each value once)."""
    seen: set[str] = set()
    work = [value]
    while work:
        v = work.pop()
        if v in seen or v not in fn.defs:
            continue
        seen.add(v)
        line, op = fn.defs[v]
        if fn.block_of.get(line) not in body or op in OPAQUE_OPS:
            continue
        if op == "phi":
            if header_phi(fn, v, header) and affine_phi(fn, v, latch):
                return True
            continue
        work.extend(fn.operands(v))
    return False


def used_outside(fn: Function, value: str, body: set[str]) -> bool:
    pattern = uses(value)
    return any(b not in body and pattern.search(fn.lines[i]) for i, b in fn.block_of.items())


def arithmetic(fn: Function, value: str, ty: str) -> bool:
    """Whether `value` is an integer operation of type `ty` (the phi's)."""
    m = ARITHMETIC.match(fn.lines[fn.defs[value][0]])
    return m is not None and m.group(2) == ty


def candidates(fn: Function) -> list[tuple[str, str]]:
    """(value, type) of the latch values to freeze."""
    if len(fn.order) < 2:
        return []
    idom = dominators(fn)
    loops: dict[tuple[str, str], set[str]] = {}  # (header, latch) -> the loop's blocks
    found: list[tuple[str, str]] = []
    for i, line in enumerate(fn.lines):
        p = PHI.match(line)
        if not p:
            continue
        ty, header = p.group(2), fn.block_of[i]
        for value, latch in INCOMING.findall(line):
            if (value not in fn.defs or latch not in fn.succ
                    or not dominates(idom, header, latch)):
                continue  # not a back edge
            if not arithmetic(fn, value, ty):
                continue
            body = loops.get((header, latch))
            if body is None:
                body = loops[(header, latch)] = natural_loop(fn, header, latch)
            if affine_step(fn, value, header, body):
                continue  # an induction variable: LSR's own business
            if reads_counter(fn, value, header, latch, body) and used_outside(fn, value, body):
                found.append((value, ty))
    return list(dict.fromkeys(found))


def freeze_function(lines: list[str]) -> int:
    """Freeze the candidates of one function in place; returns how many."""
    if not any(" = phi i" in line for line in lines):
        return 0
    fn = Function(lines)
    found = candidates(fn)
    for value, ty in found:
        at = fn.defs[value][0]
        frozen = value + SUFFIX
        pattern = uses(value)
        for i in range(1, len(lines)):
            if i != at:
                lines[i] = pattern.sub(frozen, lines[i])
        lines[at] += f"\n  {frozen} = freeze {ty} {value}"
    return len(found)


def freeze_latch_values(text: str) -> str | None:
    """The module's text with the recurrences frozen, or None when it has none."""
    out: list[str] = []
    fn: list[str] | None = None
    total = 0
    for line in text.split("\n"):
        if fn is None:
            if line.startswith("define "):
                fn = [line]
            else:
                out.append(line)
            continue
        fn.append(line)
        if line == "}":
            total += freeze_function(fn)
            out.extend(fn)
            fn = None
    return "\n".join(out) if total else None
