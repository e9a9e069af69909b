"""The RISC-V target: LLVM target machine, the optimization pipeline and object emission.

rv64gc with the lp64d ABI so that module objects link with the clang-built kernel; linker
relaxation is off because Debian's lld 14 predates LLVM's RISC-V relaxation support
(DIRECTION.md, decision 6). Misaligned scalar accesses are declared cheap: wasm's alignment
hints may lie, and QEMU (like real hardware or OpenSBI's emulation) completes them.
"""

from __future__ import annotations

import functools

import llvmlite.binding as llvm

TRIPLE = "riscv64-unknown-elf"
CPU = "generic-rv64"
FEATURES = "+m,+a,+f,+d,+c,+zicsr,+zifencei,+unaligned-scalar-mem,-relax"
ABI = "lp64d"


@functools.cache
def target_machine() -> llvm.TargetMachine:
    llvm.initialize_all_targets()
    llvm.initialize_all_asmprinters()
    target = llvm.Target.from_triple(TRIPLE)
    return target.create_target_machine(
        cpu=CPU, features=FEATURES, opt=2, reloc="static", codemodel="medium", abiname=ABI
    )


def data_layout() -> str:
    return str(target_machine().target_data)


def compile_ir(ir_text: str, opt_level: int = 2) -> tuple[bytes, str]:
    """Parse, verify, optimize and emit a RISC-V object; returns (object bytes, optimized IR)."""
    tm = target_machine()
    mod = llvm.parse_assembly(ir_text)
    mod.verify()
    if opt_level:
        pto = llvm.create_pipeline_tuning_options(speed_level=opt_level)
        pb = llvm.create_pass_builder(tm, pto)
        pb.getModulePassManager().run(mod, pb)
    return tm.emit_object(mod), str(mod)
