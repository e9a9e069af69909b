/* frame.h: where in a wasm function the kernel may raise an asynchronous trap. Plain C over
 * the code's 16-bit parcels, no kernel state: tests/test_interrupt.py also compiles it for
 * the host and runs it over every pc of compiled programs. */
#ifndef OSB_FRAME_H
#define OSB_FRAME_H

/* Whether the frame-pointer walk from s0 is right at pc, a wasm function's instruction:
 * not while its prologue has not yet set s0 to its frame, nor once its epilogue has restored
 * the caller's s0 (the walk would then skip the caller). Every wasm function saves its frame
 * at entry (a leaf without a stack check too; frameless leaves apart, which have a range of
 * their own where the kernel does not ask: guest/trap.c) and keeps s0 as its frame pointer throughout
 * ("frame-pointer"="all"), so only LLVM's prologue and epilogue sequences touch s0: the
 * prologue is `addi sp, sp, -N`, stores relative to sp, then `addi s0, sp, N`; the epilogue
 * `addi sp, s0, -N`, loads relative to sp (s0's among them), `addi sp, sp, N`, `ret`. So
 * reading forward from pc over sp-relative stores, loads and sp adjustments: reaching
 * `addi s0, sp, N` means the prologue is still running, reaching `ret` without loading s0
 * means the epilogue has already restored it; anything else is the body (tests/test_interrupt.py
 * checks this against the DWARF call frame information of compiled programs). */
static inline int frame_ready(const u16 *pc, const u16 *end) {
  for (int n = 0; n < 64 && pc < end; n++) {
    u32 lo = pc[0];
    if ((lo & 3) != 3) { /* compressed */
      u32 op = lo & 3, f3 = lo >> 13, rd = (lo >> 7) & 31;
      if (lo == 0x8082) return 0;                                  /* c.jr ra (ret) */
      if (op == 1 && (f3 == 0 || f3 == 3) && rd == 2) { pc += 1; continue; } /* c.addi(16sp) sp */
      if (op == 2 && (f3 == 7 || f3 == 5 || f3 == 1)) { pc += 1; continue; } /* c.(f)sdsp, c.fldsp */
      if (op == 2 && f3 == 3) {                                    /* c.ldsp */
        if (rd == 8) return 1;
        pc += 1;
        continue;
      }
      if (op == 0 && f3 == 0 && lo != 0) return ((lo >> 2) & 7) != 0; /* c.addi4spn rd', sp */
      return 1;
    }
    if (pc + 2 > end) break;
    u32 ins = lo | (u32)pc[1] << 16;
    u32 opc = ins & 0x7f, rd = (ins >> 7) & 31, f3 = (ins >> 12) & 7, rs1 = (ins >> 15) & 31;
    if (ins == 0x00008067) return 0;                               /* ret */
    if (rs1 == 2 && opc == 0x13 && f3 == 0) {                      /* addi rd, sp, imm */
      if (rd != 2) return rd != 8;
    } else if (rs1 == 2 && f3 == 3 && (opc == 0x23 || opc == 0x27 || opc == 0x07)) {
      /* sd, fsd, fld relative to sp */
    } else if (rs1 == 2 && f3 == 3 && opc == 0x03) {               /* ld rd, imm(sp) */
      if (rd == 8) return 1;
    } else {
      return 1;
    }
    pc += 2;
  }
  return 1;
}

#endif
