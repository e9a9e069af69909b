"""Values of the spec test scripts: encoding arguments as raw bits for the guest and checking
results bit-exactly against the expectations (NaN patterns included).

`wasm-tools json-from-wast` writes numbers as the unsigned decimal of their bits, NaN
expectations as ``nan:canonical`` / ``nan:arithmetic``, and references as ``null`` or a host
number. A host reference N (externref, or anyref holding one) travels as N << 2 | 2: 0 stays
null, and the low bits 10 tell it from an i31 (odd) and a GC object (jit/gc.py).
"""

from __future__ import annotations

from typing import Any

WIDTH = {"i32": 32, "i64": 64, "f32": 32, "f64": 64, "funcref": 64, "externref": 64}
# The reference types of 3.0 scripts by the guest type they can arrive as (the guest reports
# every reference as funcref or externref); "refnull" is a null of any reference type.
FUNC_REFS = ("funcref", "nullfuncref")
EXTERN_REFS = ("externref", "nullexternref")
OTHER_REFS = ("anyref", "nullref", "eqref", "i31ref", "structref", "arrayref", "exnref",
              "nullexnref", "refnull", "ref")
REF_TYPES = FUNC_REFS + EXTERN_REFS + OTHER_REFS
# Quiet-NaN bit and exponent mask per float width.
NAN_BITS = {"f32": (0x7F800000, 0x00400000, 0x7FFFFFFF), "f64": (0x7FF0000000000000,
            0x0008000000000000, 0x7FFFFFFFFFFFFFFF)}


def arg_bits(value: dict[str, Any]) -> int:
    """Raw bits of an argument as the guest's slot array holds it."""
    t, v = value["type"], value.get("value")
    if t == "v128":
        return v128_bits(value)
    if t in REF_TYPES:
        if v in (None, "null"):
            return 0
        return host_ref(int(v))
    if t not in WIDTH or v is None:
        raise ValueError(f"unsupported value {t}:{v}")
    return int(v) & ((1 << WIDTH[t]) - 1)


def host_ref(n: int) -> int:
    """The bits of host reference `n` (see the module doc)."""
    return n << 2 | 2


def format_value(t: str, bits: int) -> str:
    """A result for failure messages: the bits in hex plus a readable form."""
    if t in ("funcref", "externref"):
        if bits == 0:
            return f"{t}:null"
        return f"{t}:{bits >> 2}" if t == "externref" and bits & 3 == 2 else f"{t}:{bits:#x}"
    return f"{t}:{bits:#x}"


def _same_type(expected: str, actual: str) -> bool:
    """Whether a result of the guest's type can be the expected one (references: a null
    of the right family, anything for types the guest has no name of its own for)."""
    if expected in FUNC_REFS:
        return actual == "funcref"
    if expected in EXTERN_REFS:
        return actual == "externref"
    if expected in OTHER_REFS:
        return actual in ("funcref", "externref")
    return expected == actual


def matches(expected: dict[str, Any], actual_type: str, bits: int) -> bool:
    t = expected["type"]
    if t == "either":  # relaxed SIMD: any of the alternatives
        return any(matches(e, actual_type, bits) for e in expected.get("values", []))
    if not _same_type(t, actual_type):
        return False
    v = expected.get("value")
    if t == "v128":
        return v128_matches(expected, bits)
    if t in NAN_BITS and isinstance(v, str) and v.startswith("nan:"):
        exp_mask, quiet, abs_mask = NAN_BITS[t]
        is_nan = (bits & exp_mask) == exp_mask and bits & (abs_mask ^ exp_mask)
        if not is_nan:
            return False
        if v == "nan:canonical":
            return (bits & abs_mask) == (exp_mask | quiet)
        return bool(bits & quiet)
    if t in REF_TYPES:
        if t.startswith("null") or t == "refnull" or v == "null":
            return bits == 0
        if v is None:
            return bits != 0  # any non-null reference
        return t in ("externref", "anyref") and bits == host_ref(int(v))
    return bits == int(v) & ((1 << WIDTH[t]) - 1)


def describe_expected(values: list[dict[str, Any]]) -> str:
    out = []
    for e in values:
        v = e.get("value")
        if e["type"] in ("v128", "either"):
            out.append(describe_v128(e))
        elif v is None or isinstance(v, str) and (v.startswith("nan:") or v == "null"
                                                or e["type"] in REF_TYPES):
            out.append(e["type"] if v is None else f"{e['type']}:{v}")
        else:
            out.append(format_value(e["type"], arg_bits(e)))
    return " ".join(out) or "nothing"


# --- v128 (SIMD) --------------------------------------------------------------------------
# A v128 is ``{"type": "v128", "lane_type": "f32", "value": [lane, ...]}`` with each lane
# written as a number of its lane type (NaN patterns per lane); relaxed SIMD's results may be
# ``{"type": "either", "values": [...]}``, any one of which matches.

LANE_WIDTH = {"i8": 8, "i16": 16, "i32": 32, "i64": 64, "f32": 32, "f64": 64}


def v128_lanes(value: dict[str, Any]) -> tuple[str, int, list[Any]]:
    """Lane type, lane width and lane values of a v128 value."""
    lane_type, lanes = value.get("lane_type"), value.get("value")
    if lane_type not in LANE_WIDTH or not isinstance(lanes, list) \
            or len(lanes) * LANE_WIDTH[lane_type] != 128:
        raise ValueError(f"unsupported v128 value {value}")
    return lane_type, LANE_WIDTH[lane_type], lanes


def v128_bits(value: dict[str, Any]) -> int:
    """The 128-bit integer of a v128 (lane 0 in the lowest bits)."""
    _, width, lanes = v128_lanes(value)
    return sum((int(x) & ((1 << width) - 1)) << (i * width) for i, x in enumerate(lanes))


def v128_words(value: dict[str, Any]) -> list[int]:
    """An argument's u64 words on an `invoke` line: two for a v128 (low half first)."""
    bits = arg_bits(value)
    return [bits & ((1 << 64) - 1), bits >> 64] if value["type"] == "v128" else [bits]


def v128_matches(expected: dict[str, Any], bits: int) -> bool:
    """Lane by lane: floats with the NaN rules, integers bit-exactly."""
    lane_type, width, lanes = v128_lanes(expected)
    for i, x in enumerate(lanes):
        lane = (bits >> (i * width)) & ((1 << width) - 1)
        if lane_type in NAN_BITS:
            if not matches({"type": lane_type, "value": x}, lane_type, lane):
                return False
        elif lane != int(x) & ((1 << width) - 1):
            return False
    return True


def describe_v128(e: dict[str, Any]) -> str:
    if e["type"] == "either":
        return "either(" + describe_expected(e.get("values", [])) + ")"
    return f"v128:{e.get('lane_type')}[{' '.join(str(x) for x in e.get('value') or [])}]"
