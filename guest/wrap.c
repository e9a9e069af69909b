/* wrap.c: the slow path of folded address arithmetic.
 *
 * Compiled code turns `(i32.add x (i32.const c))` feeding a load or store with memarg offset 0
 * and -2048 <= c < 2048 into one access at base + zext(x) + c (jit/memory.py), i.e. it does the
 * add in 64 bits, which the 32-bit wasm add does not. The two agree unless the add wraps:
 * - c < 0, x < -c: the wasm address is x + c + 2^32 while the access lands in [base - 2048,
 *   base), the memory's low guard (MEM_LOW_GUARD in abi.def, never mapped, reached by nothing
 *   else: see store.c's slots). That wasm address lies below the memory's size only when the
 *   memory has (nearly) all 65,536 pages; otherwise the access is out of bounds, as it must be.
 * - c > 0, x + c >= 2^32: the wasm address W = x + c - 2^32 is small (below 2048) and nearly
 *   always in bounds, while the access lands at base + 2^32 + W, never mapped. An unfolded
 *   access can fault there too (its 33-bit effective address zext(addr) + offset passes 2^32)
 *   and must trap, so the kernel only takes a fault there for a folded one when its pc is in
 *   the image's `osb_fold` table (`folded_pc`).
 * For the in-bounds case this file performs the access itself: it decodes the faulting load
 * or store, checks the wasm address it meant, reads or writes linear memory and steps over the
 * instruction. */
#include "riscv.h"
#include "store.h"

struct access {
  int store, fp, sign, size, len; /* len: instruction bytes (2 or 4) */
  int reg, base;                   /* data register (x or f), address register */
  i64 imm;
};

/* The scalar loads and stores LLVM emits for linear memory accesses (RV64GC), 0 otherwise. */
static int decode(u64 pc, struct access *a) {
  u32 insn = *(const u16 *)pc;
  memset(a, 0, sizeof *a);
  if ((insn & 3) != 3) { /* compressed: only quadrant 0's register-based forms */
    u32 f3 = insn >> 13;
    if ((insn & 3) != 0) return 0;
    a->len = 2;
    a->base = 8 + ((insn >> 7) & 7);
    a->reg = 8 + ((insn >> 2) & 7);
    u32 uimm53 = ((insn >> 10) & 7) << 3;
    switch (f3) {
    case 1: case 3: case 5: case 7: /* c.fld c.ld c.fsd c.sd */
      a->imm = uimm53 | ((insn >> 5) & 3) << 6;
      a->size = 8;
      break;
    case 2: case 6: /* c.lw c.sw */
      a->imm = uimm53 | ((insn >> 6) & 1) << 2 | ((insn >> 5) & 1) << 6;
      a->size = 4;
      a->sign = f3 == 2;
      break;
    default:
      return 0;
    }
    a->store = f3 >= 5;
    a->fp = f3 == 1 || f3 == 5;
    return 1;
  }
  insn |= (u32)*(const u16 *)(pc + 2) << 16;
  u32 op = insn & 0x7f, f3 = (insn >> 12) & 7;
  a->len = 4;
  a->base = (insn >> 15) & 31;
  switch (op) {
  case 0x03: /* lb lh lw ld lbu lhu lwu */
  case 0x07: /* flw fld */
    if (op == 0x03 ? f3 == 7 : f3 != 2 && f3 != 3) return 0;
    a->reg = (insn >> 7) & 31;
    a->imm = (int)insn >> 20;
    a->size = 1 << (f3 & 3);
    a->sign = op == 0x03 && f3 < 3;
    a->fp = op == 0x07;
    return 1;
  case 0x23: /* sb sh sw sd */
  case 0x27: /* fsw fsd */
    if (op == 0x23 ? f3 > 3 : f3 != 2 && f3 != 3) return 0;
    a->reg = (insn >> 20) & 31;
    a->imm = (i64)((int)insn >> 25) << 5 | ((insn >> 7) & 31);
    a->size = 1 << f3;
    a->store = 1;
    a->fp = op == 0x27;
    return 1;
  }
  return 0;
}

/* The user's float registers are still in the hardware while the kernel runs (it uses none). */
#define FREG_CASES(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) \
  X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) \
  X(28) X(29) X(30) X(31)

static u64 freg_read(int r) {
  u64 v = 0;
  switch (r) {
#define X(n) case n: __asm__ volatile("fmv.x.d %0, f" #n : "=r"(v)); break;
    FREG_CASES(X)
#undef X
  }
  return v;
}

static void freg_write(int r, u64 v) {
  switch (r) {
#define X(n) case n: __asm__ volatile("fmv.d.x f" #n ", %0" : : "r"(v)); break;
    FREG_CASES(X)
#undef X
  }
}

/* Whether pc is a positive folded access: the image's `osb_fold` section (boot/image.ld)
 * holds one 64-bit entry per such instruction, its pc relative to the entry itself (LLVM's
 * `!pcsections` format). Only read when an access faults beyond 2^32 of its memory. */
extern const i64 __osb_fold_start[], __osb_fold_end[];

int folded_pc(u64 pc) {
  for (const i64 *e = __osb_fold_start; e < __osb_fold_end; e++)
    if ((u64)e + (u64)*e == pc) return 1;
  return 0;
}

/* A folded access at user pc tf->epc faulted: in m's low guard (c < 0), or beyond 2^32 of m
 * with its pc in the fold table (c > 0). RUN_OK when the access was performed (the pc steps
 * over it); WRAP_NONE when it is not a wrapped folded access after all (a positive folded access
 * that did not wrap: its fault is the plain out-of-bounds one); else the trap code, with
 * *wasm_addr the address the access meant. */
int wrapped_access(struct store *s, struct memory *m, struct trapframe *tf, u64 *wasm_addr) {
  struct access a;
  if (!decode(tf->epc, &a)) {
    *wasm_addr = 0;
    return TRAP_OOB_MEMORY; /* not a folded access: nothing else reaches the guard */
  }
  u64 va = (a.base ? tf->regs[a.base] : 0) + (u64)a.imm; /* stval may be rounded down */
  u64 addr = (va - m->base) & 0xFFFFFFFFUL;
  *wasm_addr = addr;
  if (m->index64) return TRAP_OOB_MEMORY;
  if (va >= m->base) { /* c > 0: wrapped when base + zext(x) + c passed 2^32 */
    if (va - m->base < (1UL << 32) || va - m->base >= (1UL << 32) + MEM_FOLD_LIMIT)
      return WRAP_NONE;
  } else if (m->base - va > MEM_LOW_GUARD) {
    return TRAP_OOB_MEMORY;
  }
  if (addr + (u64)a.size > m->pages * WASM_PAGE) return TRAP_OOB_MEMORY;
  u64 p = m->base + addr;
  for (u64 pg = PGROUNDDOWN(p); pg <= PGROUNDDOWN(p + a.size - 1); pg += PGSIZE) {
    int fault = uvm_translate(s->root, pg) ? FAULT_MAPPED : memory_fault(s, pg);
    if (fault == FAULT_NO_MEMORY) return TRAP_OUT_OF_MEMORY;
    if (fault != FAULT_MAPPED) return TRAP_OOB_MEMORY;
  }
  u64 v = 0;
  if (a.store) {
    v = a.fp ? freg_read(a.reg) : a.reg ? tf->regs[a.reg] : 0;
    memcpy((void *)p, &v, (u64)a.size); /* little-endian: the low bytes */
  } else {
    memcpy(&v, (const void *)p, (u64)a.size);
    if (a.sign && a.size < 8) v = (u64)((i64)(v << (64 - 8 * a.size)) >> (64 - 8 * a.size));
    if (a.fp)
      freg_write(a.reg, a.size == 4 ? v | 0xFFFFFFFF00000000UL : v); /* NaN-boxed single */
    else if (a.reg)
      tf->regs[a.reg] = v;
  }
  tf->epc += (u64)a.len;
  return RUN_OK;
}
