/* kalloc.c: physical page allocator for the 4 KiB pages between the end of the image and the
 * end of RAM. Pages are handed out zeroed.
 *
 * RAM that was never handed out is not on any list: two ranges (below and above the initrd,
 * which holds the command script) are consumed from the bottom up by a bump pointer, and only
 * pages given back by kfree go on the free list. So booting touches no page of RAM it does not
 * use, and a guest with many GiB of RAM boots as fast as one with 128 MiB (the host backs
 * guest RAM lazily too). */
#include "osb.h"

struct run { struct run *next; };

static struct {
  struct run *free; /* pages given back, reused first */
  u64 nfree;
  u64 used, peak; /* pages handed out now, and the most ever at once (`stats`) */
  struct { u64 next, end; } fresh[2]; /* never handed out: [next, end), page-aligned */
} kmem;

/* [start, end) except the pages of [hole_start, hole_end) (the initrd). */
void kinit(u64 start, u64 end, u64 hole_start, u64 hole_end) {
  start = PGROUNDUP(start), end = PGROUNDDOWN(end);
  hole_start = PGROUNDDOWN(hole_start), hole_end = PGROUNDUP(hole_end);
  if (hole_end <= hole_start || hole_end <= start || hole_start >= end) hole_start = hole_end = end;
  if (hole_start < start) hole_start = start;
  if (hole_end > end) hole_end = end;
  kmem.fresh[0].next = start, kmem.fresh[0].end = hole_start;
  kmem.fresh[1].next = hole_end, kmem.fresh[1].end = end;
}

void kfree(void *p) {
  struct run *r = p;
  r->next = kmem.free;
  kmem.free = r;
  kmem.nfree++;
  kmem.used--;
}

static void *take(void) {
  struct run *r = kmem.free;
  if (r) {
    kmem.free = r->next;
    kmem.nfree--;
    return r;
  }
  for (int i = 0; i < 2; i++)
    if (kmem.fresh[i].next < kmem.fresh[i].end) {
      void *p = (void *)kmem.fresh[i].next;
      kmem.fresh[i].next += PGSIZE;
      return p;
    }
  return NULL;
}

/* Zero one page, 16 words a turn: a program's first touch of each page of its memory pays
 * this (bench hashtab's 4 MiB table: 18 instructions per 128 bytes against memset's 7 per 32,
 * 0.46 M instructions fewer). */
static void zero_page(void *p) {
  typedef u64 __attribute__((may_alias)) word;
  word *w = p, *end = w + PGSIZE / sizeof(word);
  for (; w < end; w += 16)
    for (int k = 0; k < 16; k++) w[k] = 0; /* unrolled by the compiler (-O2) */
}

void *kalloc(void) {
  void *p = take();
  if (p && ++kmem.used > kmem.peak) kmem.peak = kmem.used;
  if (p) zero_page(p); /* fresh RAM may hold the firmware's or the device tree's bytes */
  return p;
}

u64 kfree_pages(void) {
  u64 n = kmem.nfree;
  for (int i = 0; i < 2; i++) n += (kmem.fresh[i].end - kmem.fresh[i].next) / PGSIZE;
  return n;
}

/* The most pages ever handed out at once since boot (kernel tables, stores, linear memory). */
u64 kpeak_pages(void) { return kmem.peak; }
