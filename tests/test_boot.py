"""The image builder (boot/) without QEMU: kernel object cache, manifest generation, the linker
script's layout, atomic output and the one-line errors. Uses the hand-written module of
tests/fixtures/guest, so nothing here depends on the compiler."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GUEST_FIXTURES as FIXTURES
from conftest import guest_harness, private_cache
from elftools.elf.elffile import ELFFile

from osbuild.boot import build_image
from osbuild.boot.flags import CFLAGS
from osbuild.boot.kernel import kernel_objects
from osbuild.boot.manifest import c_bytes, manifest_c
from osbuild.errors import ToolMissing, UserError
from osbuild.jit.artifact import CompiledModule

GUEST = Path(__file__).resolve().parent.parent / "guest"

h = guest_harness()


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private cache for the module, so the kernel cache is exercised from empty."""
    with private_cache(tmp_path_factory.mktemp("cache")) as directory:
        yield directory


@pytest.fixture(scope="module")
def fixture_obj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return h.compile_fixture(tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="module")
def image(cache_home: Path, fixture_obj: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_image(h.fixture_modules(fixture_obj), tmp_path_factory.mktemp("img") / "a.elf")


def symbols(elf: ELFFile) -> dict[str, int]:
    symtab = elf.get_section_by_name(".symtab")
    assert symtab is not None
    return {s.name: s["st_value"] for s in symtab.iter_symbols() if s.name}


# --- kernel objects ---------------------------------------------------------------------------

def test_kernel_objects_are_cached_by_content(cache_home: Path) -> None:
    first = kernel_objects()
    entry = first[0].parent
    assert entry.parent == cache_home / "kernel"
    names = {p.name for p in first}
    assert {"entry.S.o", "user.S.o", "trapvec.S.o", "main.c.o"} <= names
    stamp = [p.stat().st_mtime_ns for p in first]
    assert kernel_objects() == first
    assert [p.stat().st_mtime_ns for p in first] == stamp  # not rebuilt
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary left


def test_kernel_uses_no_floating_point(cache_home: Path) -> None:
    """The FP registers belong to wasm code: the kernel neither saves them nor may touch them,
    except guest/wrap.c, which performs a wrapped float load or store for the program and so
    moves that one register's value in or out on purpose (fmv, nothing else)."""
    objdump = shutil.which("llvm-objdump")
    if objdump is None:
        pytest.skip("llvm-objdump not installed")
    allowed = {"wrap.c.o": {"fmv.x.d", "fmv.d.x"}}
    total = 0
    for obj in kernel_objects():
        out = subprocess.run([objdump, "-d", "--no-show-raw-insn", str(obj)],
                             capture_output=True, text=True, check=True).stdout
        ops = re.findall(r"^\s*[0-9a-f]+:\s+(\S+)", out, re.MULTILINE)
        total += len(ops)
        fp = {op for op in ops if re.match(r"(c\.)?f(?!ence)", op) or op.startswith("frcsr")}
        assert fp <= allowed.get(obj.name, set()), (obj.name, sorted(fp))
    assert total > 1000  # the disassembly was parsed


# --- manifest.c -------------------------------------------------------------------------------

TRICKY = [b"", b'"', b"\\", b"??=??/", b"\x00\x01\x7f\x80\xff", b"\x001", b"\n\r\t",
          bytes(range(256)), "é名".encode()]


def test_c_bytes_round_trip(tmp_path: Path) -> None:
    """Every byte string survives the C compiler exactly (checked with the host's clang)."""
    lines = ["#include <stdio.h>"]
    for i, data in enumerate(TRICKY):
        lines.append(f"static const char s{i}[] = {c_bytes(data)};")
    lines.append("int main(void) {")
    for i in range(len(TRICKY)):
        lines.append(f"  fwrite(s{i}, 1, sizeof s{i} - 1, stdout); fputc(0xAA, stdout);")
    lines.append("  return 0;\n}")
    (tmp_path / "t.c").write_text("\n".join(lines))
    built = subprocess.run(["clang", "-std=c11", "-Wall", "-Werror", "-trigraphs", "t.c",
                            "-o", "t"], cwd=tmp_path, capture_output=True, text=True)
    if built.returncode != 0 and "stdio.h" in built.stderr:
        pytest.skip("no host C library")
    assert built.returncode == 0, built.stderr
    out = subprocess.run([str(tmp_path / "t")], capture_output=True, check=True).stdout
    assert out == b"".join(d + b"\xaa" for d in TRICKY)


def test_manifest_compiles_and_carries_the_metadata(tmp_path: Path) -> None:
    metas = [m.meta for m in h.fixture_modules(Path("unused.o"))]
    src = manifest_c(metas)
    assert "extern void wfeedface0001_x2(void);" in src
    assert src.count("extern void wfeedface0001_x2(void);") == 1  # declared once
    (tmp_path / "manifest.c").write_text(src)
    subprocess.run(["clang", *CFLAGS, "-I", str(GUEST), "-c", "manifest.c", "-o", "m.o"],
                   cwd=tmp_path, check=True)
    with open(tmp_path / "m.o", "rb") as f:
        meta = ELFFile(f).get_section_by_name(".osbuild.meta")
        assert meta is not None
        assert json.loads(meta.data().rstrip(b"\0")) == metas


# --- the linked image -------------------------------------------------------------------------

def test_image_layout(image: Path) -> None:
    with open(image, "rb") as f:
        elf = ELFFile(f)
        assert elf["e_machine"] == "EM_RISCV"
        assert elf["e_entry"] == 0x80200000
        syms = symbols(elf)
        start, end = syms["__user_start"], syms["__user_end"]
        assert start % (2 << 20) == 0 and end % (2 << 20) == 0 and start < end
        assert syms["_start"] == 0x80200000
        for kernel in ("kmain", "trap_entry", "user_run", "run_user"):
            assert syms[kernel] < start, kernel
        user = {n: a for n, a in syms.items() if start <= a < end and not n.startswith(".L")}
        for name in ("osb_enter", "osb_trap", "osb_hostcall", "osb_memgrow",
                     "wfeedface0001_init", "wfeedface0001_x2", "wfeedface0001_imp0"):
            assert name in user, name
        # Only U-mode code lives in the user region: the stubs and the modules.
        stray = [n for n in user
                 if not n.startswith(("osb_", "wfeedface0001_", "__user", "__wasm_code_",
                                      "__wasm_leaf_"))]
        assert not stray, stray
        meta = elf.get_section_by_name(".osbuild.meta")
        assert meta is not None and not meta["sh_flags"] & 2  # SHF_ALLOC: not loaded
        metas = json.loads(meta.data().rstrip(b"\0"))
        assert [m["prefix"] for m in metas] == ["wfeedface0001"] * 4
        assert metas[0]["exports"][-4]["name"] == h.WEIRD_NAME


def test_output_directory_is_created_and_replaced_atomically(
        cache_home: Path, fixture_obj: Path, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "er" / "x.elf"
    mods = h.fixture_modules(fixture_obj)
    assert build_image(mods, out) == out
    first = out.stat().st_ino
    build_image(mods, out)
    assert out.stat().st_ino != first  # a new file renamed over the old one
    assert sorted(p.name for p in out.parent.iterdir()) == ["x.elf"]


def test_writable_data_in_a_module_is_refused(cache_home: Path, tmp_path: Path) -> None:
    """clang's default small-data limit puts the f64 constant in .sdata: writable data."""
    flags = [f for f in h.FIXTURE_CFLAGS if not f.startswith("-msmall-data-limit")]
    obj = tmp_path / "module.o"
    subprocess.run(["clang", *flags, "-c", str(FIXTURES / "module.c"), "-o", str(obj)],
                   check=True)
    out = tmp_path / "x.elf"
    out.write_bytes(b"old image")
    with pytest.raises(UserError, match=r"module fixture \(wfeedface0001\) has writable data "
                                        r"\(\.sdata\); module code must be read-only"):
        build_image(h.fixture_modules(obj), out)
    assert out.read_bytes() == b"old image"  # a failed build leaves the old image alone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["module.o", "x.elf"]


def test_linker_script_refuses_writable_data_too(cache_home: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The backstop in image.ld, for objects that slip past the builder's own check."""
    import osbuild.boot.image as image_mod

    flags = [f for f in h.FIXTURE_CFLAGS if not f.startswith("-msmall-data-limit")]
    obj = tmp_path / "module.o"
    subprocess.run(["clang", *flags, "-c", str(FIXTURES / "module.c"), "-o", str(obj)],
                   check=True)
    monkeypatch.setattr(image_mod, "check_read_only", lambda m: None)
    with pytest.raises(UserError, match=r"^linking the image failed: ld.lld: error: "
                                        r"a module object has writable data"):
        build_image(h.fixture_modules(obj), tmp_path / "x.elf")


def test_link_error_is_one_line(cache_home: Path, fixture_obj: Path, tmp_path: Path) -> None:
    meta = h.fixture_meta()
    meta["exports"][0]["shim"] = "wfeedface0001_x99"
    with pytest.raises(UserError) as err:
        build_image([CompiledModule(meta, fixture_obj)], tmp_path / "x.elf")
    assert str(err.value).startswith(
        "linking the image failed: ld.lld: error: undefined symbol: wfeedface0001_x99")
    assert "\n" not in str(err.value)
    assert not (tmp_path / "x.elf").exists()


def tools_dir(tmp_path: Path, *names: str) -> str:
    """A PATH directory that has only the named tools."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in names:
        target = shutil.which(name)
        assert target is not None
        os.symlink(target, bin_dir / name)
    return str(bin_dir)


@pytest.mark.parametrize(("missing", "present", "package"),
                         [("clang", "ld.lld", "clang"), ("ld.lld", "clang", "lld")])
def test_missing_tool_is_a_one_line_error(missing: str, present: str, package: str,
                                          fixture_obj: Path, tmp_path: Path, fresh_cache: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", tools_dir(tmp_path, present))
    with pytest.raises(ToolMissing, match=rf"^{missing} not found: install {package} "
                                          rf"\(apt-get install {package}\)$"):
        build_image(h.fixture_modules(fixture_obj), tmp_path / "x.elf")
