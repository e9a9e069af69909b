/* store.h: a store is one address space holding instances that may link to each other
 * (Wasmtime's Store). Its objects that compiled code reads (vmctx, memories, tables, globals)
 * live in U-accessible pages of the store's address space; the kernel reaches them through
 * the same user addresses (sstatus.SUM) while the store's page table is active. */
#ifndef STORE_H
#define STORE_H
#include "manifest.h"
#include "osb.h"
#include "virtio.h"

#define MAX_INSTANCES 512
#define MEMDIR_PER_PAGE (PGSIZE / 8)
#define NO_MEM_LIMIT (~0UL)
#define KERNEL_RESERVE_PAGES 64 /* free pages linear memory never gets (page tables, buffers) */

/* struct memory, struct table, struct funcobj: abi.def (through osb.h). */

struct store;
typedef int (*hostfn_t)(struct store *s, u64 vmctx, u64 *slots);

struct hostfn_entry {
  const char *module, *name, *sig;
  hostfn_t fn;
};

/* WASI preview 1 (wasi.c, wasifs.c; its state and constants: wasi.h). */
extern const struct hostfn_entry wasi_fns[];
extern const u64 wasi_nfns;

struct instance {
  u64 id; /* the session's instance id (guest/main.c), increasing with the index in a store */
  const struct osb_module *mod;
  u64 vmctx; /* user address; 0 if the instance never got that far */
  int ok;    /* instantiated without error */
  const char *regname;
  u64 regname_len;
  hostfn_t *bind; /* per imported function: the host function, or 0 for a wasm import */
};

/* The garbage-collected heap (gc.c): objects at GC_HEAP_BASE, up to GC_HEAP_MAX bytes. */
#define GC_HEAP_BASE 0x14000000000UL /* 1.25 TiB, between the data region and the stack */
#define GC_HEAP_MAX (256UL << 20)
#define GC_BITMAP_PAGES (GC_HEAP_MAX / 16 / (PGSIZE * 8))
struct gc_pins; /* gc.c: references handed to the host, roots until the store is dropped */
struct gc_heap {
  struct gc_pins *pins;
  u64 top, mapped;         /* end of the blocks, end of the mapped pages */
  u64 free;                /* first free block, in address order; 0 if none */
  u64 allocated, since;    /* bytes in allocated blocks; allocated since the last collection */
  u64 threshold;           /* collect when `since` would pass it */
  u64 collections, peak;   /* statistics: collections so far, most bytes allocated at once */
  u64 *starts[GC_BITMAP_PAGES]; /* block-start bitmap, one kernel page per 512 KiB of heap */
};

struct store {
  pte_t *root;
  u64 data_next, data_mapped; /* bump allocator in the user data region */
  u32 nmemories;
  u64 *memdir[MAX_MEMORIES / MEMDIR_PER_PAGE]; /* memory k: memdir[k / 512][k % 512] */
  u64 mem_limit;              /* --max-memory in wasm pages: no memory grows past it */
  u64 slots;                  /* user address of the argument/result slot array */
  u64 spill;                  /* user address of the call spill buffer (SPILL_BYTES, vmctx) */
  u64 handlers;               /* user address of the word holding the innermost exception
                               * handler (vmctx handlers; exn.c) */
  struct instance inst[MAX_INSTANCES];
  u32 ninst;
  struct trapframe tf;
  u64 stack_bottom;
  u64 fuel;                   /* initial fuel of new instances (code compiled with --fuel) */
  int interrupted;            /* the deadline passed while this store ran: every later call
                               * into it traps "interrupt" too (trap.c) */
  struct spectest { u64 globals[4]; u64 table, table64, memory; } spectest;
  struct gc_heap gc;
  /* The level-0 page table memory_fault used last and the 2 MiB region it maps (va >> 21):
   * consecutive first touches skip the walk. Tables live as long as the store. */
  pte_t *fault_table;
  u64 fault_region;
};

/* store.c */
int store_init(struct store *s);
u64 ualloc(struct store *s, u64 size);
u64 memory_new(struct store *s, u64 min, u64 max, int index64);

/* Memory k of an instance (multi-memory): the vmctx's `memories` area holds a pointer per
 * memory index; memory 0's is also in the header (mem_base, memory) for compiled code. */
static inline struct memory *instance_memory(u64 vmctx, const struct osb_module *m, u64 k) {
  return k < m->nmemories ? *(struct memory **)(vmctx + m->vm_memories + 8 * k) : NULL;
}

static inline void set_instance_memory(u64 vmctx, const struct osb_module *m, u32 k,
                                       struct memory *mem) {
  *(struct memory **)(vmctx + m->vm_memories + 8UL * k) = mem;
  if (k == 0) vmctx_set_memory(vmctx, mem);
}
i64 memory_grow(struct store *s, struct memory *m, u64 delta);
enum { FAULT_MAPPED, FAULT_NOT_MEMORY, FAULT_OUT_OF_BOUNDS, FAULT_NO_MEMORY, FAULT_WRAPPED };
int memory_fault(struct store *s, u64 va);
struct memory *memory_at(struct store *s, u64 va);
/* guest/wrap.c: a fault in a memory's low guard (see MEM_LOW_GUARD in abi.def). */
int wrapped_access(struct store *s, struct memory *m, struct trapframe *tf, u64 *wasm_addr);
int folded_pc(u64 pc); /* a positive folded access (the osb_fold table) */
#define WRAP_NONE (-2) /* wrapped_access: the fault is not a wrapped folded access */
void store_destroy(struct store *s);
u64 table_new(struct store *s, u64 min, u64 max, u64 elem, int index64);
i64 table_grow(struct store *s, struct table *t, u64 delta, u64 init);
struct instance *instance_by_vmctx(struct store *s, u64 vmctx);

/* link.c */
int link_imports(struct store *s, struct instance *inst, struct buf *err);
const struct osb_export *find_export(const struct osb_module *m, const char *name, u64 len);

/* hostfns.c */
hostfn_t host_lookup(const char *module, u64 mlen, const char *name, u64 nlen, const char **sig);
void spectest_init(struct store *s);

/* run.c */
int run_user(struct store *s, u64 vmctx, u64 fn, u64 slots);
int instantiate(struct store *s, u32 module);
int invoke(struct store *s, struct instance *inst, const char *name, u64 len, u64 *args,
           u32 nargs);
int get_global(struct store *s, struct instance *inst, const char *name, u64 len);

/* gc.c */
u64 gc_alloc(struct store *s, u64 nbytes);
void gc_collect(struct store *s);
void gc_destroy(struct store *s);
void gc_pin(struct store *s, u64 ref);

/* exn.c */
int throw_exception(struct store *s, struct trapframe *tf, int by_ref);

/* trap.c */
/* While store's host call runs (run_user), the kernel may touch that store's linear memory:
 * kernel_trap maps pages on first touch, or jumps to escape when none is free (addr: the
 * wasm address it wanted). */
/* A host call touching linear memory (trap.c host_call_fault): `store` is set while run_user
 * runs, `in_call` while run.c serves a host call (escape: where to abandon it), tf.hc_active
 * while trapvec.S's fast path does; `abandoned` and `addr` say that and where it ran out. */
struct host_access {
  struct store *store;
  int in_call, abandoned;
  struct kjmp escape;
  u64 addr;
};
int user_fault(struct store *s, u64 cause, u64 tval);
int user_page_fault(struct trapframe *tf, u64 va); /* called by trapvec.S */
void interrupt_rearm(struct store *s);
void report_trap(struct store *s, int code, u64 pc, u64 addr, int has_addr);
#define RUN_OK (-1)
#define RUN_FAILED (-2) /* reported already (link error, kernel-side refusal) */
#define RUN_EXIT (-3)   /* the program called proc_exit (status in its process's wasi) */
#define RUN_KILLED (-4) /* the host killed the process (proc.h) */
#endif
