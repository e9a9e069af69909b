/* gc.c: the store's garbage-collected heap (WebAssembly GC objects, exception objects).
 *
 * Mark and sweep, non-moving, with conservative roots: compiled code keeps no stack maps, so
 * every word that could hold a reference is a candidate (the user stack from sp up, the
 * trapped registers, the spill buffer and slot array, every instance's vmctx, globals and
 * table elements, and every reference handed to the host). A candidate counts when it points into an allocated object, anywhere in
 * it: LLVM may keep only a pointer into an object (an element's address) alive. Objects are
 * scanned conservatively too, word by word. A word that merely looks like a pointer keeps an
 * object alive longer; nothing reachable is ever freed, and nothing moves.
 *
 * The heap is one range of the store's address space, GC_HEAP_BASE up to GC_HEAP_MAX bytes,
 * mapped page by page as it grows. It is a sequence of blocks, each with a 16-byte prefix
 * (size | flags, next free) before the object; a bitmap (kernel pages, one bit per 16-byte
 * granule) marks where blocks start, so that any address can be traced to its block.
 * Allocation is first fit in the free list, else at the top. A collection runs when the bytes
 * allocated since the last one reach the threshold (twice what survived, at least 4 MiB) or
 * when an allocation does not fit: memory stays bounded by what the program keeps alive. The
 * collector runs inside the system call, so nothing interrupts it. */
#include "riscv.h"
#include "store.h"

#define PREFIX 16
#define F_FREE 1UL
#define F_MARK 2UL
#define F_FLAGS 15UL
#define GC_MIN_THRESHOLD (4UL << 20)
#define GRANULES_PER_PAGE (PGSIZE * 8) /* bitmap bits in one kernel page */
#define MARK_STACK (PGSIZE / 8)

static u64 block_size(u64 b) { return *(u64 *)b & ~F_FLAGS; }
static u64 *flags(u64 b) { return (u64 *)b; }
static u64 *next_free(u64 b) { return (u64 *)(b + 8); }

/* --- references the host holds ------------------------------------------------------------- */

#define PINS_PER_PAGE (PGSIZE / 8 - 2)
struct gc_pins {
  struct gc_pins *next;
  u64 n;
  u64 refs[PINS_PER_PAGE];
};

/* A reference the host received (a result of invoke or get): the host may pass it back in a
 * later call, so it stays a root until the store is dropped. */
void gc_pin(struct store *s, u64 ref) {
  struct gc_heap *h = &s->gc;
  if (ref < GC_HEAP_BASE || ref >= h->top) return; /* not in the heap: nothing to keep */
  struct gc_pins *p = h->pins;
  if (!p || p->n == PINS_PER_PAGE) {
    struct gc_pins *q = kalloc();
    if (!q) return; /* no page for it: the reference is not kept alive */
    q->next = p;
    q->n = 0;
    h->pins = p = q;
  }
  p->refs[p->n++] = ref;
}

/* --- the block-start bitmap ---------------------------------------------------------------- */

static u64 granule(u64 a) { return (a - GC_HEAP_BASE) / 16; }

static u64 *bitmap_word(struct gc_heap *h, u64 g, int alloc) {
  u64 **page = &h->starts[g / GRANULES_PER_PAGE];
  if (!*page) {
    if (!alloc) return NULL;
    *page = kalloc();
    if (!*page) return NULL;
    memset(*page, 0, PGSIZE);
  }
  return &(*page)[(g % GRANULES_PER_PAGE) / 64];
}

static int set_start(struct gc_heap *h, u64 b, int on) {
  u64 g = granule(b), *w = bitmap_word(h, g, on);
  if (!w) return on ? -1 : 0;
  if (on)
    *w |= 1UL << (g % 64);
  else
    *w &= ~(1UL << (g % 64));
  return 0;
}

/* The block holding address a (a start at or below it), or 0. */
static u64 block_of(struct gc_heap *h, u64 a) {
  if (a < GC_HEAP_BASE || a >= h->top) return 0;
  u64 g = granule(a);
  for (;;) {
    u64 *w = bitmap_word(h, g, 0);
    u64 bits = w ? *w & (~0UL >> (63 - g % 64)) : 0; /* bits at or below g in its word */
    if (bits) return GC_HEAP_BASE + 16 * (g - g % 64 + 63 - (u64)__builtin_clzl(bits));
    if (g < 64) return 0;
    g = g - g % 64 - 1;
  }
}

/* --- marking ------------------------------------------------------------------------------- */

struct marker {
  struct gc_heap *h;
  u64 *stack;
  u32 depth;
  int overflow;
};

static void candidate(struct marker *m, u64 a) {
  u64 b = block_of(m->h, a);
  if (!b || a < b + PREFIX) return;
  u64 f = *flags(b);
  if ((f & (F_FREE | F_MARK)) || a >= b + block_size(b)) return;
  *flags(b) = f | F_MARK;
  if (m->depth < MARK_STACK)
    m->stack[m->depth++] = b;
  else
    m->overflow = 1; /* found again by the rescan below */
}

static void scan(struct marker *m, u64 lo, u64 hi) {
  for (u64 p = (lo + 7) & ~7UL; p + 8 <= hi; p += 8) candidate(m, *(u64 *)p);
}

static void drain(struct marker *m) {
  while (m->depth) {
    u64 b = m->stack[--m->depth];
    scan(m, b + PREFIX, b + block_size(b));
  }
}

/* Everything the program can reach without going through the heap. */
static void scan_roots(struct store *s, struct marker *m) {
  for (int r = 1; r < 32; r++) candidate(m, s->tf.regs[r]);
  u64 sp = s->tf.regs[R_SP];
  if (sp >= s->stack_bottom && sp <= USER_STACK_TOP) scan(m, sp, USER_STACK_TOP);
  scan(m, s->spill, s->spill + SPILL_BYTES);
  scan(m, s->slots, s->slots + 8 * 512);
  for (struct gc_pins *p = s->gc.pins; p; p = p->next)
    for (u64 i = 0; i < p->n; i++) candidate(m, p->refs[i]);
  for (u32 i = 0; i < s->ninst; i++) {
    struct instance *in = &s->inst[i];
    if (!in->vmctx) continue;
    const struct osb_module *mod = in->mod;
    scan(m, in->vmctx, in->vmctx + mod->vm_size);
    for (u32 g = 0; g < mod->nglobals; g++) {
      u64 cell = vmctx_globals(in->vmctx)[g];
      if (cell) scan(m, cell, cell + 16);
    }
    for (u32 t = 0; t < mod->ntables; t++) {
      struct table *tab = *(struct table **)(in->vmctx + mod->vm_tables + 8UL * t);
      if (tab) scan(m, tab->elems, tab->elems + 8 * tab->size);
    }
  }
}

/* --- sweeping ------------------------------------------------------------------------------ */

/* Free every unmarked block, merging neighbours, and rebuild the free list (address order). */
static void sweep(struct gc_heap *h) {
  u64 live = 0, last_free = 0, *link = &h->free;
  h->free = 0;
  for (u64 b = GC_HEAP_BASE; b < h->top;) {
    u64 size = block_size(b), f = *flags(b);
    if (f & F_MARK) {
      *flags(b) = size;
      live += size;
      last_free = 0;
    } else if (last_free) { /* merge into the free block before it */
      set_start(h, b, 0);
      *flags(last_free) = (block_size(last_free) + size) | F_FREE;
    } else {
      *flags(b) = size | F_FREE;
      *next_free(b) = 0;
      *link = b;
      link = next_free(b);
      last_free = b;
    }
    b += size;
  }
  h->allocated = live;
}

void gc_collect(struct store *s) {
  struct gc_heap *h = &s->gc;
  struct marker m = {.h = h, .stack = kalloc()};
  if (!m.stack) return; /* no page to mark with: keep everything */
  scan_roots(s, &m);
  drain(&m);
  while (m.overflow) { /* the stack was full: scan every marked block again */
    m.overflow = 0;
    for (u64 b = GC_HEAP_BASE; b < h->top; b += block_size(b)) {
      if (*flags(b) & F_MARK) {
        scan(&m, b + PREFIX, b + block_size(b));
        drain(&m);
      }
    }
  }
  kfree(m.stack);
  sweep(h);
  h->collections++;
  h->since = 0;
  h->threshold = h->allocated * 2 > GC_MIN_THRESHOLD ? h->allocated * 2 : GC_MIN_THRESHOLD;
}

/* --- allocation ---------------------------------------------------------------------------- */

static u64 from_free_list(struct gc_heap *h, u64 need) {
  for (u64 *link = &h->free; *link; link = next_free(*link)) {
    u64 b = *link, size = block_size(b);
    if (size < need) continue;
    if (size - need >= 2 * PREFIX) { /* split: the rest stays free, in b's place */
      u64 rest = b + need;
      if (set_start(h, rest, 1) < 0) return 0;
      *flags(rest) = (size - need) | F_FREE;
      *next_free(rest) = *next_free(b);
      *link = rest;
      size = need;
    } else {
      *link = *next_free(b);
    }
    *flags(b) = size;
    return b;
  }
  return 0;
}

static u64 from_top(struct gc_heap *h, struct store *s, u64 need) {
  u64 b = h->top, end = b + need;
  if (end > GC_HEAP_BASE + GC_HEAP_MAX) return 0;
  while (h->mapped < end) {
    if (kfree_pages() <= KERNEL_RESERVE_PAGES + 1) return 0;
    if (uvm_alloc(s->root, h->mapped, 1, PTE_R | PTE_W | PTE_U) < 0) return 0;
    h->mapped += PGSIZE;
  }
  if (set_start(h, b, 1) < 0) return 0;
  *flags(b) = need;
  h->top = end;
  return b;
}

/* A zeroed, 16-byte aligned object of nbytes, or 0 when it cannot fit even after a
 * collection. May collect first: the store's trapframe must hold the caller's registers. */
u64 gc_alloc(struct store *s, u64 nbytes) {
  struct gc_heap *h = &s->gc;
  if (nbytes > GC_HEAP_MAX) return 0;
  u64 need = PREFIX + ((nbytes + 15) & ~15UL);
  if (!h->top) {
    h->top = h->mapped = GC_HEAP_BASE;
    h->threshold = GC_MIN_THRESHOLD;
  }
  int collected = 0;
  if (h->since + need > h->threshold) {
    gc_collect(s);
    collected = 1;
  }
  u64 b = from_free_list(h, need);
  if (!b) b = from_top(h, s, need);
  if (!b && !collected) {
    gc_collect(s);
    b = from_free_list(h, need);
    if (!b) b = from_top(h, s, need);
  }
  if (!b) return 0;
  u64 size = block_size(b);
  h->allocated += size;
  h->since += size;
  if (h->allocated > h->peak) h->peak = h->allocated;
  memset((void *)(b + PREFIX), 0, size - PREFIX);
  return b + PREFIX;
}

/* The bitmap's and the pins' pages (the heap's own pages go with the address space). */
void gc_destroy(struct store *s) {
  for (u64 i = 0; i < GC_BITMAP_PAGES; i++)
    if (s->gc.starts[i]) kfree(s->gc.starts[i]);
  while (s->gc.pins) {
    struct gc_pins *next = s->gc.pins->next;
    kfree(s->gc.pins);
    s->gc.pins = next;
  }
}
