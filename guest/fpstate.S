# fpstate.S: a program's floating-point and vector registers, saved and restored when the
# kernel switches between programs (proc.c). The kernel itself never uses them (it is C
# without float code), so a user context's values stay in the registers across traps and
# host calls; only a switch to another program's context needs them put away.
#
# struct fpstate (proc.h): f0..f31 at 0, fcsr at 256, vl 264, vtype 272, vstart 280,
# vcsr 288, then the 32 vector registers (vlenb bytes each) at 296.
#
# The vector instructions are written as words: the kernel is built for rv64gc, and the
# assembler of clang 14 takes no per-file `.option arch`. Each is commented with its meaning.
#define FP_FCSR 256
#define FP_VL 264
#define FP_VTYPE 272
#define FP_VSTART 280
#define FP_VCSR 288
#define FP_V 296

    .section .text
    .globl fp_save
    .balign 4
fp_save:                      # a0: struct fpstate *
    fsd f0, 0(a0)
    fsd f1, 8(a0)
    fsd f2, 16(a0)
    fsd f3, 24(a0)
    fsd f4, 32(a0)
    fsd f5, 40(a0)
    fsd f6, 48(a0)
    fsd f7, 56(a0)
    fsd f8, 64(a0)
    fsd f9, 72(a0)
    fsd f10, 80(a0)
    fsd f11, 88(a0)
    fsd f12, 96(a0)
    fsd f13, 104(a0)
    fsd f14, 112(a0)
    fsd f15, 120(a0)
    fsd f16, 128(a0)
    fsd f17, 136(a0)
    fsd f18, 144(a0)
    fsd f19, 152(a0)
    fsd f20, 160(a0)
    fsd f21, 168(a0)
    fsd f22, 176(a0)
    fsd f23, 184(a0)
    fsd f24, 192(a0)
    fsd f25, 200(a0)
    fsd f26, 208(a0)
    fsd f27, 216(a0)
    fsd f28, 224(a0)
    fsd f29, 232(a0)
    fsd f30, 240(a0)
    fsd f31, 248(a0)
    frcsr t0
    sd t0, FP_FCSR(a0)
    ret

    .globl fp_restore
    .balign 4
fp_restore:                   # a0: struct fpstate *
    fld f0, 0(a0)
    fld f1, 8(a0)
    fld f2, 16(a0)
    fld f3, 24(a0)
    fld f4, 32(a0)
    fld f5, 40(a0)
    fld f6, 48(a0)
    fld f7, 56(a0)
    fld f8, 64(a0)
    fld f9, 72(a0)
    fld f10, 80(a0)
    fld f11, 88(a0)
    fld f12, 96(a0)
    fld f13, 104(a0)
    fld f14, 112(a0)
    fld f15, 120(a0)
    fld f16, 128(a0)
    fld f17, 136(a0)
    fld f18, 144(a0)
    fld f19, 152(a0)
    fld f20, 160(a0)
    fld f21, 168(a0)
    fld f22, 176(a0)
    fld f23, 184(a0)
    fld f24, 192(a0)
    fld f25, 200(a0)
    fld f26, 208(a0)
    fld f27, 216(a0)
    fld f28, 224(a0)
    fld f29, 232(a0)
    fld f30, 240(a0)
    fld f31, 248(a0)
    ld t0, FP_FCSR(a0)
    fscsr t0
    ret

# The vector unit: vl, vtype, vstart and vcsr, then v0..v31 as four groups of eight whole
# registers (a whole-register move needs no vsetvli and ignores vl).
    .globl vec_save
    .balign 4
vec_save:                     # a0: struct fpstate *
    csrr t0, 0xC20            # vl
    sd t0, FP_VL(a0)
    csrr t0, 0xC21            # vtype
    sd t0, FP_VTYPE(a0)
    csrr t0, 0x008            # vstart
    sd t0, FP_VSTART(a0)
    csrr t0, 0x00F            # vcsr
    sd t0, FP_VCSR(a0)
    csrr t1, 0xC22            # vlenb
    slli t1, t1, 3            # eight registers
    addi a0, a0, FP_V
    .word 0xe2850027          # vs8r.v v0, (a0)
    add a0, a0, t1
    .word 0xe2850427          # vs8r.v v8, (a0)
    add a0, a0, t1
    .word 0xe2850827          # vs8r.v v16, (a0)
    add a0, a0, t1
    .word 0xe2850c27          # vs8r.v v24, (a0)
    ret

    .globl vec_restore
    .balign 4
vec_restore:                  # a0: struct fpstate *
    csrr t1, 0xC22            # vlenb
    slli t1, t1, 3
    mv t2, a0
    addi a0, a0, FP_V
    .word 0xe2850007          # vl8re8.v v0, (a0)
    add a0, a0, t1
    .word 0xe2850407          # vl8re8.v v8, (a0)
    add a0, a0, t1
    .word 0xe2850807          # vl8re8.v v16, (a0)
    add a0, a0, t1
    .word 0xe2850c07          # vl8re8.v v24, (a0)
    ld a1, FP_VL(t2)
    ld a2, FP_VTYPE(t2)
    .word 0x80c5f057          # vsetvl x0, a1, a2: vl and vtype back
    ld t0, FP_VSTART(t2)
    csrw 0x008, t0            # vstart
    ld t0, FP_VCSR(t2)
    csrw 0x00F, t0            # vcsr
    ret
