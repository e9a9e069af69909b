/* osb.h: types, the machine's addresses, and the kernel's internal interfaces. */
#ifndef OSB_H
#define OSB_H
#include "abi.h" /* u8..i64, trap codes, system call numbers, shared structs */

typedef u64 pte_t;

#define NULL ((void *)0)

/* QEMU virt machine (hw/riscv/virt.c). */
#define UART0 0x10000000UL
#define SIFIVE_TEST 0x100000UL
#define RAM_BASE 0x80000000UL

#define PGSIZE 4096UL
#define MEGAPAGE (2UL << 20)
#define GIGAPAGE (1UL << 30)
#define PGROUNDUP(a) (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))

/* User virtual address map of a store (docs/ARCHITECTURE.md). */
#define USER_DATA_BASE 0x10000000000UL  /* 1 TiB: vmctx, globals, tables, memory objects */
#define USER_DATA_LIMIT 0x11000000000UL
#define USER_STACK_TOP 0x18000000000UL
#define USER_STACK_SIZE (1UL << 20)
#define USER_STACK_GUARD (1UL << 20)   /* unmapped below the stack */
#define USER_STACK_MARGIN (64UL << 10) /* stack_limit = bottom + margin */
#define SPILL_BYTES (16UL << 10)       /* the store's call spill buffer (jit/callconv.py) */
#define USER_MEM_BASE 0x20000000000UL  /* 2 TiB: the linear memory slots */
#define USER_MEM_RESERVE (8UL << 30)   /* above a base: addr + offset (< 2^33) + access size */
/* Memory k's slot: MEM_LOW_GUARD (abi.def) below its base, the reservation above, and 32 KiB
 * of slack for the tail of an access at addr + offset = 2^33 - 2, so that every address of a
 * slot belongs to one memory only. */
#define USER_MEM_SLOT (USER_MEM_RESERVE + (64UL << 10))
#define USER_MEM_END (USER_MEM_BASE + MAX_MEMORIES * USER_MEM_SLOT)
#define MAX_MEMORIES 8192
#define WASM_PAGE 65536UL

/* Saved user registers: x1..x31 in order, then the pc. trapvec.S uses the offsets (TF_*). */
struct trapframe {
  u64 regs[32];  /* regs[0] unused (x0); regs[i] = xi */
  u64 epc;
  u64 kernel_sp; /* kernel stack pointer while the user context runs */
  /* The host-call fast path (trapvec.S): the instance whose host imports it serves without a
   * lookup (run.c hostcall_cache), and its state. On that path only ra, sp and s0 of the user
   * are stored here (regs[]): the rest is the C calling convention's business. */
  u64 hc_vmctx;    /* the instance's vmctx (the call's a0 must be it) */
  u64 hc_nimports; /* its imported functions (the call's a1 must be below) */
  u64 hc_bind;     /* its hostfn_t bind[] */
  u64 hc_store;    /* the store, first argument of a host function */
  u64 hc_active;   /* nonzero while a host function runs on the fast path */
  u64 hc_result;   /* set when it did not return RUN_OK: its result + 1 (so never 0) */
};
enum { R_RA = 1, R_SP = 2, R_S0 = 8, R_A0 = 10, R_A1, R_A2, R_A3, R_A4, R_A5, R_A6, R_A7 };

/* string.c */
void *memset(void *dst, int c, u64 n);
void *memcpy(void *dst, const void *src, u64 n);
void *memmove(void *dst, const void *src, u64 n);
int memcmp(const void *a, const void *b, u64 n);
u64 strlen(const char *s);
int strcmp(const char *a, const char *b);

/* uart.c, console.c: the framed console protocol */
void uart_init(void);
void uart_putc(char c);
char uart_getc(void);
void frame(char channel, const char *data, u64 len);
struct buf { char data[1024]; u64 len; };
void buf_str(struct buf *b, const char *s);
void buf_hex(struct buf *b, u64 v);
void buf_dec(struct buf *b, i64 v);
void buf_char(struct buf *b, char c);
void buf_bytes(struct buf *b, const char *s, u64 n);
void buf_send(struct buf *b, char channel);

/* power.c */
void poweroff(int status) __attribute__((noreturn));
void panic(const char *msg) __attribute__((noreturn));

/* kalloc.c */
void kinit(u64 start, u64 end, u64 hole_start, u64 hole_end, u64 dirty_start, u64 dirty_end);
void *kalloc(void);
void kfree(void *p);
u64 kfree_pages(void);
void *kalloc_above(u64 reserve);
u64 kpeak_pages(void);

/* fdt.c */
struct boot_info {
  u64 ram_end, initrd_start, initrd_end;
  u64 dtb_start, dtb_end; /* the device tree blob's bytes (its header's totalsize) */
  const char *isa; /* riscv,isa of the first CPU, NULL if absent */
};
void fdt_scan(u64 dtb, struct boot_info *info);

/* isa.c */
void isa_check(const char *isa);

/* vm.c */
void kvm_init(u64 ram_end);
pte_t *uvm_create(void);
int uvm_map(pte_t *root, u64 va, u64 pa, int perm);
pte_t *uvm_leaf(pte_t *root, u64 va, u64 reserve);
int uvm_alloc(pte_t *root, u64 va, u64 npages, int perm);
u64 uvm_translate(pte_t *root, u64 va);
void uvm_activate(pte_t *root);
void uvm_destroy(pte_t *root);
#define PTE_V (1L << 0)
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4)
#define PTE_G (1L << 5)
#define PTE_A (1L << 6)
#define PTE_D (1L << 7)
#define PA2PTE(pa) ((((u64)(pa)) >> 12) << 10)
/* Map physical page pa at a level-0 PTE (uvm_leaf's). */
static inline void uvm_set(pte_t *pte, u64 pa, int perm) {
  *pte = PA2PTE(pa) | (u64)perm | PTE_V | PTE_A | PTE_D;
}

/* trapvec.S */
void user_run(struct trapframe *tf);
void trap_entry(void);
/* A fast-path host call (tf->hc_active) that cannot go on (no page left for the memory it
 * touches): unwind to user_run's return with tf->hc_result = code + 1. */
void hostcall_abandon(struct trapframe *tf, u64 code) __attribute__((noreturn));
struct kjmp { u64 regs[14]; }; /* ra, sp, s0..s11 */
int kjmp_set(struct kjmp *j) __attribute__((returns_twice));
void kjmp_go(struct kjmp *j) __attribute__((noreturn));

/* linker symbols */
extern char __user_start[], __user_end[], __kernel_end[];
extern char __wasm_code_start[], __wasm_code_end[]; /* wasm function bodies (image.ld) */
extern char __wasm_leaf_start[], __wasm_leaf_end[]; /* the frameless leaves among them */

/* user.S (U-mode stubs, addresses only) */
extern char osb_enter[], osb_longjmp[];

#endif
