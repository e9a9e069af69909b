"""The guest ABI has one definition, guest/abi.def, and its C and Python views cannot disagree.

- The kernel keeps `osb_abi_table` in the image: every fact of abi.def as the C compiler sees it
  (offsetof/sizeof of the real structs, enum values). It must equal what osbuild.abi reads.
- The system call numbers in the U-mode stubs of guest/user.S (assembled from abi.h) must equal
  osbuild.abi's.
- Changing an offset in abi.def without the C struct following fails the kernel build on a
  _Static_assert, while osbuild.abi would read the new offset: so such a change cannot ship.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from osbuild import abi
from osbuild.boot import build_image
from osbuild.boot.flags import CFLAGS
from osbuild.host import imports
from osbuild.jit import env, wasmtypes

GUEST = Path(__file__).resolve().parent.parent / "guest"


def expected(view: abi.Abi) -> dict[str, int]:
    """osbuild.abi's view under the names guest/abi.c gives its table entries."""
    out: dict[str, int] = {}
    for field, offset in view.vmctx.items():
        out[f"vmctx.{field}"] = offset
        out[f"vmctx.{field}.size"] = 8
    out["vmctx.header"] = view.vmctx_header
    out.update({f"trap.{t.name}": t.code for t in view.traps.values()})
    out.update({f"syscall.{s.name}": s.number for s in view.syscalls.values()})
    out.update({f"const.{name}": value for name, value in view.consts.items()})
    for struct in view.structs.values():
        out[f"struct.{struct.name}"] = struct.size
        for f in struct.fields.values():
            out[f"struct.{struct.name}.{f.name}"] = f.offset
            out[f"struct.{struct.name}.{f.name}.size"] = f.size
    out.update({f"debug.{name}": value for name, (value, _) in view.debug_states.items()})
    for v in view.valtypes:
        out[f"valtype.{v.name}"] = v.code
        out[f"valtype.{v.name}.letter"] = ord(v.letter)
    return out


class Memory:
    """Reads the image's allocated sections by virtual address."""

    def __init__(self, elf: ELFFile) -> None:
        self.sections = [(s["sh_addr"], s.data()) for s in elf.iter_sections()
                         if s["sh_flags"] & 2 and s["sh_type"] == "SHT_PROGBITS"]  # SHF_ALLOC

    def read(self, addr: int, n: int) -> bytes:
        """Up to n bytes at addr (fewer at the end of a section)."""
        for start, data in self.sections:
            if start <= addr < start + len(data):
                return data[addr - start:addr - start + n]
        raise AssertionError(f"{addr:#x} is in no section of the image")

    def u64(self, addr: int) -> int:
        return int.from_bytes(self.read(addr, 8), "little")

    def cstring(self, addr: int) -> str:
        out = bytearray()
        while (c := self.read(addr + len(out), 1)) != b"\0":
            out += c
        return out.decode()


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_image([], tmp_path_factory.mktemp("abi") / "abi.elf")


def symbols(elf: ELFFile) -> dict[str, tuple[int, int]]:
    symtab = elf.get_section_by_name(".symtab")
    return {s.name: (s["st_value"], s["st_size"])
            for s in symtab.iter_symbols()}  # type: ignore[union-attr]


def kernel_table(image: Path) -> dict[str, int]:
    """osb_abi_table of the image: {name, value} entries of 16 bytes."""
    with open(image, "rb") as f:
        elf = ELFFile(f)
        mem = Memory(elf)
        addr, size = symbols(elf)["osb_abi_table"]
        entries = [(mem.u64(addr + i), mem.u64(addr + i + 8)) for i in range(0, size, 16)]
        return {mem.cstring(name): value for name, value in entries}


def test_kernel_and_python_agree_on_every_fact(image: Path) -> None:
    ours, kernel = expected(abi.ABI), kernel_table(image)
    assert len(kernel) > 80  # the whole table was read, not a stray symbol
    assert sorted(kernel) == sorted(ours)
    assert {k: v for k, v in kernel.items() if ours[k] != v} == {}


def test_the_comparison_sees_a_changed_fact(image: Path) -> None:
    """The check above can fail: a Python view with one offset moved differs from the image."""
    text = (GUEST / "abi.def").read_text().replace("VMCTX(fuel, u64, 32)", "VMCTX(fuel, u64, 40)")
    moved, kernel = expected(abi.parse(text)), kernel_table(image)
    assert {k for k in kernel if moved[k] != kernel[k]} == {"vmctx.fuel"}


def a7_immediate(code: bytes) -> int | None:
    """The immediate of the first `li a7, N` (addi a7, zero, N or c.li a7, N) in `code`."""
    pos = 0
    while pos + 2 <= len(code):
        half = int.from_bytes(code[pos:pos + 2], "little")
        if half & 3 != 3:  # compressed
            if half >> 13 == 0b010 and half & 3 == 1 and (half >> 7) & 31 == 17:
                imm = ((half >> 7) & 32) | ((half >> 2) & 31)
                return imm - 64 if imm & 32 else imm
            pos += 2
            continue
        word = int.from_bytes(code[pos:pos + 4], "little")
        if word & 0x7F == 0x13 and (word >> 12) & 7 == 0 and (word >> 7) & 31 == 17 \
                and (word >> 15) & 31 == 0:
            imm = word >> 20
            return imm - 4096 if imm & 2048 else imm
        pos += 4
    return None


def test_user_stubs_use_the_defined_system_call_numbers(image: Path) -> None:
    with open(image, "rb") as f:
        elf = ELFFile(f)
        mem, syms = Memory(elf), symbols(elf)
        found = {}
        for sc in abi.ABI.syscalls.values():
            addr = syms[sc.stub][0]
            found[sc.name] = a7_immediate(mem.read(addr, 16))
    assert found == abi.SYSCALLS


def compile_kernel_files(guest: Path, names: list[str], out: Path) -> list[str]:
    """Compile the named guest sources with the kernel's flags; the error lines of each
    failure."""
    errors = []
    for name in names:
        proc = subprocess.run(["clang", *CFLAGS, "-I", str(guest), "-c", str(guest / name),
                               "-o", str(out / (name + ".o"))],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            errors += [ln for ln in proc.stderr.splitlines() if "error:" in ln]
    return errors


@pytest.fixture
def guest_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "guest"
    shutil.copytree(GUEST, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return copy


def test_the_copied_kernel_builds(guest_copy: Path, tmp_path: Path) -> None:
    """The control for the next test: unedited, every kernel source compiles."""
    names = sorted(p.name for p in guest_copy.iterdir() if p.suffix in (".c", ".S"))
    assert "abi.c" in names and "user.S" in names
    assert compile_kernel_files(guest_copy, names, tmp_path) == []


# One edit of abi.def each, that the C structs do not follow.
EDITS = {
    "vmctx field": ("VMCTX(fuel, u64, 32)", "VMCTX(fuel, u64, 40)", "vmctx.fuel is not at 40"),
    "struct field": ("FIELD(memory, pages, u64, 8)", "FIELD(memory, pages, u64, 16)",
                     "memory.pages is not at 16"),
    "debug table": ("FIELD(osb_debug_instance, last_trap, u32, 20)",
                    "FIELD(osb_debug_instance, last_trap, u32, 24)",
                    "osb_debug_instance.last_trap is not at 24"),
    "struct size": ("END(funcobj, 32)", "END(funcobj, 40)", "struct funcobj is not 40 bytes"),
    "header size": ("VMCTX_HEADER(64)", "VMCTX_HEADER(32)", "vmctx fields overflow the header"),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_an_offset_changed_only_in_abi_def_fails_the_kernel_build(
        edit: str, guest_copy: Path, tmp_path: Path) -> None:
    old, new, message = EDITS[edit]
    path = guest_copy / "abi.def"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    errors = compile_kernel_files(guest_copy, ["abi.c", "run.c", "main.c"], tmp_path)
    assert len(errors) >= 3 and all("static" in e and "assert" in e for e in errors)
    assert all(message in e for e in errors)


def test_python_reads_what_the_edited_def_says() -> None:
    """The other half of the edit above: Python would follow the def, so only the C build
    stands between such an edit and a disagreement."""
    text = (GUEST / "abi.def").read_text()
    view = abi.parse(text.replace("FIELD(memory, pages, u64, 8)", "FIELD(memory, pages, u64, 16)"))
    assert view.structs["memory"].offset("pages") == 16
    assert abi.ABI.structs["memory"].offset("pages") == 8


@pytest.mark.parametrize("line, complaint", [
    ("TRAP(ODD, 99)", "TRAP takes"),
    ("WIDGET(1)", "unknown entry WIDGET"),
    ("TRAP(UNREACHABLE_AGAIN, 0, \"again\")", "trap code 0 defined twice"),
    ("VMCTX(extra, u64, 64)", "past the header"),
])
def test_the_reader_rejects_what_it_does_not_understand(line: str, complaint: str) -> None:
    text = (GUEST / "abi.def").read_text()
    anchor = "VMCTX_HEADER(64)" if line.startswith("VMCTX") else "#undef VMCTX\n"
    with pytest.raises(abi.AbiError, match=complaint):
        abi.parse(text.replace(anchor, f"{line}\n{anchor}", 1))


def test_what_the_host_and_compiler_use_comes_from_the_def() -> None:
    assert env.VMCTX_FUEL == abi.VMCTX["fuel"] and env.VMCTX_GLOBALS == abi.VMCTX_HEADER
    assert env.TRAP_OUT_OF_FUEL == abi.TRAPS["OUT_OF_FUEL"].code
    assert env.FUNCREF_SIZE == abi.STRUCTS["funcobj"].size
    assert imports.TYPE_NAMES is abi.TYPE_NAMES
    assert wasmtypes.SIG_LETTERS == {v.code: v.letter for v in abi.ABI.valtypes}
