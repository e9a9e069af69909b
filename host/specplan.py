"""Turning one converted .wast script into a guest command script, and judging the answers.

Every command that needs the guest becomes exactly one script line (host/protocol.py), and the
guest answers each line with exactly one frame (``R`` results, ``T`` trap, ``L`` link error), so
answers pair with commands by position. Commands about invalid or malformed modules never reach
the guest: they are checked against our own front end (wasm-tools validation + our decoder).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osbuild.abi import TRAPS
from osbuild.errors import UserError
from osbuild.jit.decode import decode
from osbuild.jit.wasmtools import FEATURES, FEATURES_2_0, validate, wat_to_wasm

from . import specvalues
from .answers import Answer, LinkReport, Results, TrapReport
from .protocol import Script

UNCAUGHT = TRAPS["UNCAUGHT_EXCEPTION"].message


@dataclass
class Outcome:
    line: int
    kind: str
    passed: bool
    reason: str = ""


@dataclass
class GuestStep:
    """A command that runs in the guest (a line of the plan's script), and how to judge its
    answer."""

    line: int
    kind: str
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    modules: list[bytes] = field(default_factory=list)  # image module index → bytes
    script: Script = field(default_factory=Script)  # one answered line per step
    steps: list[GuestStep] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # decided on the host
    # Steps that cannot run because their module did not compile.
    blocked: list[Outcome] = field(default_factory=list)


def features_for(wast: Path) -> str:
    """The feature set a spec file is validated with: 2.0's for the wasm-2.0 suite, whose
    assertions some 3.0 features would contradict, the compiler's for the others."""
    return FEATURES_2_0 if "wasm-2.0" in wast.parts else FEATURES


def front_end_rejects(path: Path, module_type: str, features: str = FEATURES) -> str | None:
    """Run our front end on a module; the reason it was rejected, or None if accepted."""
    data = path.read_bytes()
    try:
        if module_type == "text":
            data = wat_to_wasm(data)
        validate(data, features)
        decode(data)
    except UserError as e:
        return str(e)
    return None


class Planner:
    """Walks the JSON commands, keeping track of instances and registered names."""

    def __init__(self, json_path: Path, unavailable: dict[bytes, str] | None = None,
                 features: str = FEATURES) -> None:
        """`unavailable`: modules that did not compile, by bytes, with the reason; their
        instantiations fail on the host and so does every command that needs them.
        `features`: what assert_invalid/assert_malformed modules are validated with."""
        self.features = features
        self.unavailable = unavailable or {}
        self.missing = "no current module"
        self.dir = json_path.parent
        self.commands: list[dict[str, Any]] = json.loads(json_path.read_text())["commands"]
        self.plan = Plan()
        self.module_index: dict[bytes, int] = {}
        self.instances = 0  # every `instantiate` line gets the next instance id
        self.current: int | None = None
        self.named: dict[str, int] = {}
        self.definitions: dict[str, dict[str, Any]] = {}  # `module definition $M`, by name

    def module_id(self, filename: str) -> int:
        data = (self.dir / filename).read_bytes()
        if filename.endswith(".wat"):
            data = wat_to_wasm(data)
        if data not in self.module_index:
            self.module_index[data] = len(self.plan.modules)
            self.plan.modules.append(data)
        return self.module_index[data]

    def instantiate(self, cmd: dict[str, Any], kind: str, expect: dict[str, Any]) -> int | None:
        data = (self.dir / cmd["filename"]).read_bytes()
        if cmd["filename"].endswith(".wat"):
            data = wat_to_wasm(data)
        if data in self.unavailable:
            self.missing = f"module did not compile: {self.unavailable[data]}"
            self.plan.outcomes.append(Outcome(cmd["line"], kind, False, self.missing))
            return None
        m = self.module_id(cmd["filename"])
        inst = self.instances
        self.instances += 1
        self.plan.script.instantiate(m)
        self.plan.steps.append(GuestStep(cmd["line"], kind, expect))
        return inst

    def action(self, action: dict[str, Any]) -> bool:
        """The script line of an `invoke` or `get` action; False if it has no instance."""
        inst = self.named.get(action["module"]) if action.get("module") else self.current
        if inst is None:
            return False
        if action["type"] == "get":
            self.plan.script.get(inst, action["field"])
        else:
            args = [w for a in action.get("args", []) for w in specvalues.v128_words(a)]
            self.plan.script.invoke(inst, action["field"], args)
        return True

    def build(self) -> Plan:
        for cmd in self.commands:
            try:
                self.command(cmd)
            except Exception as e:  # noqa: BLE001 - one unsupported command fails, not the run
                self.plan.outcomes.append(Outcome(cmd.get("line", 0), cmd.get("type", "?"), False,
                                                  f"unsupported by the runner: {e!r}"))
        return self.plan

    def command(self, cmd: dict[str, Any]) -> None:
        kind, line = cmd["type"], cmd["line"]
        if kind == "module":
            inst = self.instantiate(cmd, kind, {"ok": True})
            self.current = inst
            if cmd.get("name") and inst is not None:
                self.named[cmd["name"]] = inst
        elif kind == "register":
            inst = self.named.get(cmd["name"]) if cmd.get("name") else self.current
            if inst is None:
                self.plan.outcomes.append(Outcome(line, kind, False, "no module to register"))
                return
            self.plan.script.register(inst, cmd["as"])
            self.plan.steps.append(GuestStep(line, kind, {"ok": True}))
        elif kind in ("action", "assert_return", "assert_trap", "assert_exhaustion",
                      "assert_exception"):
            if not self.action(cmd["action"]):
                self.plan.outcomes.append(Outcome(line, kind, False, self.missing))
                return
            expect: dict[str, Any] = {"ok": True}
            if kind == "assert_return":
                expect["values"] = cmd["expected"]
            elif kind in ("assert_trap", "assert_exhaustion"):
                expect = {"trap": cmd["text"]}
            elif kind == "assert_exception":  # an exception no handler catches
                expect = {"trap": UNCAUGHT}
            self.plan.steps.append(GuestStep(line, kind, expect))
        elif kind == "assert_uninstantiable":
            self.instantiate(cmd, kind, {"trap": cmd["text"]})
        elif kind == "assert_unlinkable":
            self.instantiate(cmd, kind, {"link": cmd["text"]})
        elif kind in ("assert_invalid", "assert_malformed", "assert_invalid_custom",
                      "assert_malformed_custom"):
            # The _custom forms are about custom sections and annotations (branch hints,
            # @custom, @name): rejected by the text parser or our decoder all the same.
            reason = front_end_rejects(self.dir / cmd["filename"], cmd.get("module_type", ""),
                                       self.features)
            ok = reason is not None
            self.plan.outcomes.append(Outcome(
                line, kind, ok, "" if ok else f"module accepted, expected: {cmd['text']}"))
        elif kind == "module_definition":
            # A module only defined: it must pass our front end; `module instance` makes
            # instances of it later (each one new: instantiation is generative).
            reason = front_end_rejects(self.dir / cmd["filename"], cmd.get("module_type", ""),
                                       self.features)
            self.plan.outcomes.append(Outcome(line, kind, reason is None,
                                              f"module rejected: {reason}" if reason else ""))
            if cmd.get("name"):
                self.definitions[cmd["name"]] = cmd
        elif kind == "module_instance":
            definition = self.definitions.get(cmd.get("module", ""))
            if definition is None:
                self.plan.outcomes.append(Outcome(line, kind, False, "no such module definition"))
                return
            inst = self.instantiate({**definition, "line": line}, kind, {"ok": True})
            self.current = inst
            if cmd.get("instance") and inst is not None:
                self.named[cmd["instance"]] = inst
        else:
            self.plan.outcomes.append(Outcome(line, kind, False, f"unknown command {kind}"))


def judge(step: GuestStep, answer: Answer) -> Outcome:
    """Compare the guest's one-frame answer to a step with what the script expects."""
    exp = step.expect
    if isinstance(answer, Results):
        got = answer.values
        if "trap" in exp:
            shown = " ".join(f"{v.type}:{v.bits:x}" for v in got) or "nothing"
            return Outcome(step.line, step.kind, False, f"returned {shown}, "
                           f"expected trap: {exp['trap']}")
        if "link" in exp:
            return Outcome(step.line, step.kind, False, f"linked, expected: {exp['link']}")
        values = exp.get("values")
        if values is None:
            return Outcome(step.line, step.kind, True)
        ok = len(got) == len(values) and all(
            specvalues.matches(e, v.type, v.bits) for e, v in zip(values, got, strict=False))
        reason = "" if ok else (
            f"got {' '.join(specvalues.format_value(v.type, v.bits) for v in got) or 'nothing'}"
            f", expected {specvalues.describe_expected(values)}")
        return Outcome(step.line, step.kind, ok, reason)
    if isinstance(answer, TrapReport):
        message = answer.message
        if "trap" in exp:
            ok = exp["trap"] in message or message in exp["trap"]
            return Outcome(step.line, step.kind, ok,
                           "" if ok else f"trapped '{message}', expected '{exp['trap']}'")
        return Outcome(step.line, step.kind, False, f"unexpected trap: {message}")
    assert isinstance(answer, LinkReport)
    if "link" in exp:
        return Outcome(step.line, step.kind, True)
    return Outcome(step.line, step.kind, False, f"link error: {answer.message}")
