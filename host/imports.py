"""Checking a module's imports against what the kernel provides, when the image is built:
a missing import or a signature mismatch fails `osbuild image`/`run` with a message naming
the import and both types, instead of failing later inside the guest.

The host functions are read from guest/hostfns.def, the same table the kernel is built from.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from osbuild.abi import TYPE_CODES, TYPE_NAMES
from osbuild.errors import UserError

from .traps import printable

HOSTFN = re.compile(r'^HOSTFN\("([^"]*)", "([^"]*)", "([^"]*)", \w+\)$', re.M)
# spectest's non-function exports: kind and (value type code, mutable) or limits.
SPECTEST = {"global_i32": ("global", TYPE_CODES["i"]), "global_i64": ("global", TYPE_CODES["I"]),
            "global_f32": ("global", TYPE_CODES["f"]), "global_f64": ("global", TYPE_CODES["F"]),
            "table": ("table", None), "table64": ("table", None), "memory": ("memory", None)}


class UnsatisfiedImport(UserError):
    """The module needs something the kernel does not provide (found when the image is
    built; the guest's own answer to a failed link is protocol.LinkReport)."""


def host_functions() -> dict[tuple[str, str], str]:
    guest = resources.files("osbuild.guest")
    text = (guest / "hostfns.def").read_text() + (guest / "wasi.def").read_text()
    return {(m, n): sig for m, n, sig in HOSTFN.findall(text)}


def describe(sig: str) -> str:
    params, results = sig.split(":")
    p = ", ".join(TYPE_NAMES[c] for c in params)
    r = ", ".join(TYPE_NAMES[c] for c in results)
    return f"({p}) -> ({r})"


def check_imports(meta: dict[str, Any]) -> None:
    """Raise UnsatisfiedImport for the first import the kernel cannot satisfy."""
    hosts = host_functions()
    for imp in meta["imports"]:
        where = printable(f"{imp['module']}.{imp['name']}")  # names may hold any character
        if imp["kind"] == "func":
            have = hosts.get((imp["module"], imp["name"]))
            if have is None:
                known = ", ".join(f"{m}.{n}" for m, n in hosts if m == imp["module"])
                raise UnsatisfiedImport(f"unknown import {where} {describe(imp['sig'])}"
                                + (f" (the host provides {known})" if known else ""))
            if have != imp["sig"]:
                raise UnsatisfiedImport(f"import {where} has type {describe(imp['sig'])}, but "
                                        f"the host function has type {describe(have)}")
            continue
        spec = SPECTEST.get(imp["name"]) if imp["module"] == "spectest" else None
        if spec is None or spec[0] != imp["kind"]:
            raise UnsatisfiedImport(f"unknown import {where} ({imp['kind']})")
        if imp["kind"] == "global" and (imp["type"] != spec[1] or imp["mutable"]):
            raise UnsatisfiedImport(f"import {where} has the wrong global type")
