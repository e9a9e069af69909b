"""The RISC-V target: LLVM target machine, the optimization pipeline of each tier and object
emission.

rv64gc with the lp64d ABI so that module objects link with the clang-built kernel; linker
relaxation is off because Debian's lld 14 predates LLVM's RISC-V relaxation support
(DIRECTION.md, decision 6). The bit-manipulation extensions of guest/isa.def (Zba: shifted
adds for address arithmetic, Zbb: zero-extension, rotates, min/max, counts) come on top; the
kernel checks at boot that the CPU has them. Misaligned scalar accesses are declared cheap:
wasm's alignment hints may lie, and QEMU (like real hardware or OpenSBI's emulation) completes
them.

Tiers (docs/ARCHITECTURE.md, "Compilation"): ``opt`` runs LLVM's O2 pipeline and O2 code
generation; ``fast`` only promotes locals to registers (SROA) and simplifies the CFG, then
generates code at O0 (SelectionDAG without the combines and the fast register allocator), for a
first run that starts quickly (O1 for units with sibling tail calls: see ``codegen_level``).
Between the opt tier's passes and its code generation, jit/latchfreeze.py rewrites the
optimized IR (recurrences that loop strength reduction would expand again after their loop).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import llvmlite.binding as llvm

from . import latchfreeze


def extensions() -> list[str]:
    """The extensions beyond rv64gc that compiled code may use: guest/isa.def, which the
    kernel also reads to refuse, at boot, a CPU that lacks one (guest/isa.c)."""
    text = (resources.files("osbuild.guest") / "isa.def").read_text()
    return re.findall(r"^EXTENSION\((\w+)\)$", text, re.M)


TRIPLE = "riscv64-unknown-elf"
CPU = "generic-rv64"
FEATURES = ",".join(["+m,+a,+f,+d,+c,+zicsr,+zifencei,+unaligned-scalar-mem,-relax",
                     *(f"+{ext}" for ext in extensions())])
ABI = "lp64d"
TIERS = ("fast", "opt")
CODEGEN_OPT = {"fast": 0, "opt": 2}  # the target machine's (instruction selection) level


@functools.cache
def target_machine(opt: int = 2) -> llvm.TargetMachine:
    """The one place target machines are made (per code generation level)."""
    llvm.initialize_all_targets()
    llvm.initialize_all_asmprinters()
    # No tail merging: it merges identical machine instructions that end two blocks and
    # keeps one's `!pcsections`, so a positive folded access (jit/memory.py) and an unfolded
    # one encoded alike could share one instruction, and the kernel would read the other's
    # access as folded. (The other merges leave volatile accesses alone: BranchFolder's
    # hoisting and MachineCSE move or merge no ordered memory access.)
    llvm.set_option("", "--enable-tail-merge=false")
    # No shrink wrapping: every function sets up its frame record at its entry, which the
    # kernel's frame-pointer walk and its interrupt points rely on (guest/frame.h). A function
    # with a stack check needs its frame there anyway; a leaf without one (jit/lower.py) would
    # otherwise run its early exits frameless, its prologue further in.
    llvm.set_option("", "--enable-shrink-wrap=false")
    target = llvm.Target.from_triple(TRIPLE)
    return target.create_target_machine(
        cpu=CPU, features=FEATURES, opt=opt, reloc="static", codemodel="medium", abiname=ABI
    )


def data_layout() -> str:
    return str(target_machine().target_data)


def optimize(mod: llvm.ModuleRef, tier: str) -> None:
    """Run the tier's pass pipeline over ``mod``."""
    tm = target_machine(CODEGEN_OPT[tier])
    if tier == "opt":
        pto = llvm.create_pipeline_tuning_options(speed_level=2)
        pb = llvm.create_pass_builder(tm, pto)
        pb.getModulePassManager().run(mod, pb)
        return
    pto = llvm.create_pipeline_tuning_options(speed_level=0)
    pb = llvm.create_pass_builder(tm, pto)
    # A function with return_call* (no "disable-tail-calls", jit/calls.py) keeps each tail
    # call right before its own `ret`: simplifycfg would merge the returns into one block, and
    # code generation at O0 (unlike O2's CodeGenPrepare) does not duplicate a return to turn
    # such a call back into a jump, so the tail call would become a call that grows the stack.
    # Such a function is a unit of its own (one wasm function): SROA alone, per function.
    defined = [fn for fn in mod.functions if not fn.is_declaration]
    if any(not any(b"disable-tail-calls" in a for a in fn.attributes) for fn in defined):
        fpm = llvm.create_new_function_pass_manager()
        fpm.add_sroa_pass()
        for fn in defined:
            fpm.run(fn, pb)
        return
    # Otherwise SROA and SimplifyCFG over every function through one module pass manager:
    # running a function pass manager per function cost time proportional to the module each
    # time (quadratic: 6,000 import thunks took 46 s), for the same result.
    mpm = llvm.create_new_module_pass_manager()
    mpm.add_sroa_pass()
    mpm.add_simplify_cfg_pass()
    mpm.run(mod, pb)


def codegen_level(tier: str, sibling_calls: bool = False) -> int:
    """The code generation level of a module in ``tier``. The fast tier's O0 is raised to O1
    for units with tail calls between functions of different signatures (plain `tail`, which
    LLVM performs as sibling calls only from O1; O0 turns only `musttail` calls into jumps),
    since a wasm tail call must run in constant stack in every tier. (Vector code was raised
    too while its truncations were RVV's static round-towards-zero conversions, which abort
    QEMU 7.2 where O0's code starts a translation block: jit/simd.py no longer emits them.)"""
    level = CODEGEN_OPT[tier]
    if level == 0 and sibling_calls:
        return 1
    return level


# A load or store through an address space 1 pointer (a positive folded access,
# jit/memory.py `scalar_address`) in printed IR, and its `!pcsections` attachment.
FOLDED_ACCESS = re.compile(
    r"^ +(?:%\S+ = )?(?:load|store) volatile [^\n]*ptr addrspace\(1\)[^\n]*$", re.M)
FOLD_MARK = '!pcsections !{!"osb_fold"}'


def mark_folded_accesses(text: str) -> str | None:
    """The optimized module's text with every address space 1 access marked for the
    `osb_fold` pc table, or None when all still are. The mark is metadata, which LLVM drops
    when it merges or rebuilds an instruction (SimplifyCFG's hoisting of identical accesses,
    for one); the address space is part of the instruction's type and survives everything,
    so it is what says which accesses must be in the table."""
    changed = False

    def mark(m: re.Match[str]) -> str:
        nonlocal changed
        line = m.group(0)
        if "!pcsections" in line:
            return line
        changed = True
        return line + ", " + FOLD_MARK

    text = FOLDED_ACCESS.sub(mark, text)
    return text if changed else None


def compile_ir(ir_text: str, tier: str = "opt", *, with_ir: bool = True,
               sibling_calls: bool = False) -> tuple[bytes, str]:
    """Parse, verify, optimize and emit a RISC-V object; returns (object bytes, optimized IR,
    or "" without ``with_ir``: printing a big module costs as much as parsing it)."""
    context = llvm.create_context()
    mod = llvm.parse_assembly(ir_text, context)
    try:
        mod.verify()
        optimize(mod, tier)
        text = ""
        loops = tier == "opt" and latchfreeze.LOOP_LABEL in ir_text
        if with_ir or loops or "addrspace(1)" in ir_text:
            text = str(mod)
            frozen = latchfreeze.freeze_latch_values(text) if loops else None
            rewritten = mark_folded_accesses(frozen or text) or frozen
            if rewritten is not None:
                text = rewritten
                remarked = llvm.parse_assembly(text, context)
                mod.close()
                mod = remarked
                if frozen is not None:
                    mod.verify()  # the rewrite is textual: prove it kept the IR well formed
        tm = target_machine(codegen_level(tier, sibling_calls))
        return tm.emit_object(mod), text if with_ir else ""
    finally:
        mod.close()
        context.close()
