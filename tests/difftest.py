"""Differential testing against wasmtime: run modules on our OS (compiled by jit/, executed in
the guest on QEMU, many modules per boot) and in the `wasmtime` package, and compare every call
result bit-exactly (any NaN matches any NaN, as the spec lets NaN bits differ), the trap kind
when either traps, and at the end the linear memory (hash) and the exported globals.

Both sides run with the same fuel budget, whose accounting is identical (tests/test_traps.py), so
modules that loop forever end with the same "out of fuel" trap at the same point.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import wasmtime

from osbuild.abi import TRAPS, TYPE_LETTERS
from osbuild.host import values
from osbuild.host.answers import LinkReport, TrapReport
from osbuild.host.console import run_script
from osbuild.host.pipeline import Imports, build
from osbuild.host.protocol import Script
from osbuild.jit.decode import decode
from osbuild.jit.target import TIERS as TIERS  # every differential test runs in each

FUEL = 200_000
LETTER = {name: TYPE_LETTERS[name] for name in ("i32", "i64", "f32", "f64")}  # numbers only
STACK = TRAPS["STACK"].code
UNCAUGHT = TRAPS["UNCAUGHT_EXCEPTION"].code
UNCAUGHT_MESSAGE = TRAPS["UNCAUGHT_EXCEPTION"].message
# wasmtime trap codes → our trap codes (table OOB covers call_indirect's "undefined element")
TRAP_CODES = {wasmtime_name: {TRAPS[ours].code for ours in names} for wasmtime_name, names in {
    "UNREACHABLE": ["UNREACHABLE"], "INTEGER_DIVISION_BY_ZERO": ["DIV_ZERO"],
    "INTEGER_OVERFLOW": ["INT_OVERFLOW"], "BAD_CONVERSION_TO_INTEGER": ["BAD_CONVERSION"],
    "MEMORY_OUT_OF_BOUNDS": ["OOB_MEMORY"],
    "TABLE_OUT_OF_BOUNDS": ["OOB_TABLE", "UNDEFINED_ELEMENT"],
    "INDIRECT_CALL_TO_NULL": ["UNINITIALIZED_ELEMENT"], "BAD_SIGNATURE": ["SIGNATURE"],
    "STACK_OVERFLOW": ["STACK"], "OUT_OF_FUEL": ["OUT_OF_FUEL"],
    # wasmtime says "null reference" for call_ref/return_call_ref of null too, where the spec
    # (and osbuild) say "null function reference", and for GC's null struct, array and i31
    "NULL_REFERENCE": ["NULL_REFERENCE", "NULL_FUNCTION", "NULL_STRUCT", "NULL_ARRAY", "NULL_I31"],
    "CAST_FAILURE": ["CAST_FAILURE"], "ARRAY_OUT_OF_BOUNDS": ["OOB_ARRAY"],
    "ALLOCATION_TOO_LARGE": ["ALLOCATION"], "UNCAUGHT_EXCEPTION": ["UNCAUGHT_EXCEPTION"],
}.items()}


@dataclass
class Call:
    export: str
    sig: str  # params:results letters
    args: list[int]  # raw bits


@dataclass
class Case:
    wasm: bytes
    calls: list[Call] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)  # exported numeric globals to compare
    fuel: int = FUEL  # the budget both engines start this module with


@dataclass
class Outcome:
    kind: str  # "ok" | "trap" | "error"
    values: list[tuple[str, int]] = field(default_factory=list)
    trap: str | int | None = None


def smallest_budget(completes: Callable[[int], bool]) -> int:
    """The smallest fuel budget for which `completes(budget)` holds (it must be monotonic):
    doubling, then bisection. Wasmtime checks fuel only at some points, so this is not simply
    what a run consumes."""
    lo, hi = 0, 1
    while not completes(hi):
        if hi > 1 << 40:
            raise AssertionError("does not complete with any budget")
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if completes(mid) else (mid, hi)
    return 0 if completes(0) else hi


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def opaque_exports(wasm: bytes) -> set[str]:
    """Exported functions and globals whose type involves a v128, an exception reference or a
    GC reference (by our own decoder: the wasmtime package aborts the process when asked for
    the kind of such a value type, and cannot pass or return those values)."""
    from osbuild.jit.decode import decode
    from osbuild.jit.wasmtypes import EXTERNREF, FUNCREF, V128, is_ref

    m = decode(wasm)

    def opaque(t: int) -> bool:
        """Only numbers and the plain funcref and externref types pass the package's API."""
        return t == V128 or (is_ref(t) and t not in (FUNCREF, EXTERNREF))

    out = set()
    for e in m.exports:
        if e.kind == "func":
            ft = m.func_type(e.index)
            if any(map(opaque, (*ft.params, *ft.results))):
                out.add(e.name)
        elif e.kind == "global" and opaque(m.global_type(e.index).valtype):
            out.add(e.name)
    return out


def plan_calls(wasm: bytes, choose_args: object = None) -> Case:
    """Every exported function (with numeric/ref parameters), called once, arguments from
    `choose_args(sig) -> list[int]` (zeros by default)."""
    engine = wasmtime.Engine()
    module = wasmtime.Module(engine, wasm)
    case = Case(wasm)
    opaque = opaque_exports(wasm)
    for exp in module.exports:
        if exp.name in opaque:
            continue  # the wasmtime package cannot pass, return or even name these
        t = exp.type
        if isinstance(t, wasmtime.FuncType):
            try:
                params = "".join(LETTER.get(str(p), "r") for p in t.params)
                results = "".join(LETTER.get(str(r), "r") for r in t.results)
            except KeyError:
                continue
            sig = f"{params}:{results}"
            args = choose_args(sig) if callable(choose_args) else [0] * len(params)
            case.calls.append(Call(exp.name, sig, args))
        elif isinstance(t, wasmtime.GlobalType) and str(t.content) in LETTER:
            case.globals.append(exp.name)
    return case


def export_signature(wasm: bytes, export: str) -> str:
    """The signature string (`Call.sig`) of a numeric exported function, as wasmtime types it."""
    ft = next(e.type for e in wasmtime.Module(wasmtime.Engine(), wasm).exports
              if e.name == export)
    return ("".join(LETTER[str(p)] for p in ft.params) + ":" +
            "".join(LETTER[str(r)] for r in ft.results))


def to_value(letter: str, bits: int) -> object:
    """An argument for wasmtime: host/values.py's value (references are passed as null)."""
    return None if letter == "r" else values.from_bits(letter, bits)


def to_bits(letter: str, value: object) -> int:
    """The bits of a wasmtime result or global (a reference only as null 0 / non-null 1)."""
    if letter == "r":
        return 0 if value is None else 1
    return values.to_bits(letter, value)  # type: ignore[arg-type]


def fuel_engine(canonical_nans: bool = False) -> wasmtime.Engine:
    """A wasmtime engine that meters fuel (the oracle for `--fuel`). With `canonical_nans`
    every NaN an arithmetic instruction produces is canonical, as on RISC-V hardware: the
    spec lets the payload differ between engines, and once reinterpreted as an integer the
    bits are no longer recognizable as a NaN (wasm-smith's own canonicalization misses some,
    e.g. f64.promote_f32 of a constant NaN)."""
    cfg = wasmtime.Config()
    cfg.consume_fuel = True
    cfg.cranelift_nan_canonicalization = canonical_nans
    return wasmtime.Engine(cfg)


def run_wasmtime(case: Case) -> tuple[Outcome, list[Outcome], tuple[int, int] | None,
                                      list[tuple[str, int]]]:
    engine = fuel_engine(canonical_nans=True)
    store = wasmtime.Store(engine)
    store.set_fuel(case.fuel)
    module = wasmtime.Module(engine, case.wasm)
    try:
        inst = wasmtime.Instance(store, module, [])
    except wasmtime.Trap as t:
        return Outcome("trap", trap=t.trap_code.name if t.trap_code else str(t)), [], None, []
    except wasmtime.WasmtimeError as e:
        if UNCAUGHT_MESSAGE in str(e):  # a start function's exception: wasmtime's own error
            return Outcome("trap", trap=str(e)), [], None, []
        return Outcome("error", trap=str(e)), [], None, []
    if decode(case.wasm).start is None:
        # Wasmtime charges fuel for evaluating some constant expressions (element items,
        # non-trivial offsets and initializers) while instantiating; that is an engine
        # detail osbuild does not reproduce, so calls start from the full budget on both
        # sides. (A start function's cost still counts on both.)
        store.set_fuel(case.fuel)
    exports = inst.exports(store)
    outs = []
    for call in case.calls:
        params, results = call.sig.split(":")
        args = [to_value(p, b) for p, b in zip(params, call.args, strict=True)]
        try:
            r = exports[call.export](store, *args)
        except wasmtime.Trap as t:
            outs.append(Outcome("trap", trap=t.trap_code.name if t.trap_code else str(t)))
            continue
        vals = [] if not results else [r] if len(results) == 1 else list(r)
        outs.append(Outcome("ok", [(c, to_bits(c, v)) for c, v in zip(results, vals,
                                                                        strict=True)]))
    memory = None
    for exp in module.exports:
        if isinstance(exp.type, wasmtime.MemoryType):
            mem = exports[exp.name]
            size = mem.data_len(store)
            memory = (fnv1a(bytes(mem.read(store, 0, size))), size // 65536)
            break
    globals_ = []
    for name in case.globals:
        g = exports[name]
        letter = LETTER[str(g.type(store).content)]
        globals_.append((letter, to_bits(letter, g.value(store))))
    return Outcome("ok"), outs, memory, globals_


def guest_script(cases: list[Case]) -> tuple[Script, list[tuple[int, str]]]:
    """One store per case (an isolated address space); returns the script and, per answer,
    (case index, what it answers)."""
    script = Script()
    answers: list[tuple[int, str]] = []
    for i, case in enumerate(cases):
        script.fuel(case.fuel).store(i % 16).instantiate(i)
        answers.append((i, "instantiate"))
        for call in case.calls:
            script.invoke(i, call.export, call.args)
            answers.append((i, "call"))
        script.memhash(i)
        answers.append((i, "memhash"))
        for name in case.globals:
            script.get(i, name)
            answers.append((i, "global"))
        script.drop_store(i % 16)
    return script, answers


GuestResult = tuple[Outcome, list[Outcome], tuple[int, int] | None, list[tuple[str, int]]]


def run_guest(cases: list[Case], tier: str = "opt") -> list[GuestResult]:
    with tempfile.TemporaryDirectory(prefix="osbuild-diff-") as tmp:
        # Imports are the guest's to resolve: a module importing what nothing provides must
        # fail to instantiate there, as it does in wasmtime, not fail the whole batch's build.
        image = build([(c.wasm, f"case{i}") for i, c in enumerate(cases)],
                      Path(tmp) / "diff.elf", fuel=True, imports=Imports.AT_INSTANTIATION,
                      tier=tier)
        script, roles = guest_script(cases)
        answers, error = run_script(image, script, timeout=600)
    if error is not None and len(answers) < len(roles):
        raise RuntimeError(f"guest stopped: {error}")
    results: list = [[None, [], None, []] for _ in cases]
    for (i, role), answer in zip(roles, answers, strict=False):
        outcome = (Outcome("trap", trap=answer.code) if isinstance(answer, TrapReport)
                   else Outcome("error", trap=answer.message) if isinstance(answer, LinkReport)
                   else Outcome("ok", [(LETTER.get(v.type, "r"), v.bits)
                                       for v in answer.values]))
        if role == "instantiate":
            results[i][0] = outcome
        elif role == "call":
            results[i][1].append(outcome)
        elif role == "memhash" and outcome.values:
            results[i][2] = (outcome.values[0][1], outcome.values[1][1])
        elif role == "global" and outcome.values:
            results[i][3].append(outcome.values[0])
    return [tuple(r) for r in results]  # type: ignore[misc]


def same_bits(letter: str, a: int, b: int) -> bool:
    if letter == "r":  # references: only null versus non-null is comparable across engines
        return (a == 0) == (b == 0)
    if letter in "fF":
        fa, fb = to_value(letter, a), to_value(letter, b)
        if math.isnan(fa) or math.isnan(fb):  # type: ignore[arg-type]
            return math.isnan(fa) and math.isnan(fb)  # type: ignore[arg-type]
    return a == b


def same_outcome(ours: Outcome, theirs: Outcome) -> bool:
    if ours.kind != theirs.kind:
        return False
    if ours.kind == "trap":
        if isinstance(theirs.trap, str) and UNCAUGHT_MESSAGE in theirs.trap:
            return ours.trap == UNCAUGHT  # wasmtime gives no trap code for an exception
        return ours.trap in TRAP_CODES.get(str(theirs.trap), set())
    if ours.kind == "error":
        return True
    return len(ours.values) == len(theirs.values) and all(
        same_bits(ta, a, b) for (ta, a), (_, b) in zip(ours.values, theirs.values, strict=True))


def divergence(case: Case, ours: tuple, theirs: tuple) -> str | None:
    """A description of the first difference, or None. A stack overflow on either side ends
    the comparison of that module (the two engines' stacks differ in size by design)."""
    (oi, ocalls, omem, oglob), (ti, tcalls, tmem, tglob) = ours, theirs
    if "STACK_OVERFLOW" in (str(ti.trap),) or oi.trap == STACK:
        return None
    if not same_outcome(oi, ti):
        return f"instantiation: ours {oi}, wasmtime {ti}"
    if oi.kind != "ok":
        return None  # failed the same way on both: nothing further to call
    for call, o, t in zip(case.calls, ocalls, tcalls, strict=False):
        if o.trap == STACK or str(t.trap) == "STACK_OVERFLOW":
            return None
        if not same_outcome(o, t):
            return f"{call.export}{tuple(call.args)}: ours {o}, wasmtime {t}"
    if len(ocalls) != len(tcalls):
        return f"{len(ocalls)} calls answered, wasmtime {len(tcalls)}"
    if tmem is not None and omem != tmem:
        return f"final memory differs: ours {omem}, wasmtime {tmem}"
    for name, o, t in zip(case.globals, oglob, tglob, strict=False):
        if not same_bits(o[0], o[1], t[1]):
            return f"global {name}: ours {o}, wasmtime {t}"
    return None


def check(cases: list[Case], tier: str = "opt") -> list[tuple[int, str]]:
    """Run a batch on both engines (ours compiled by ``tier``); the divergences as
    (case index, description)."""
    ours = run_guest(cases, tier)
    out = []
    for i, case in enumerate(cases):
        d = divergence(case, ours[i], run_wasmtime(case))
        if d is not None:
            out.append((i, d))
    return out
