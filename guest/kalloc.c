/* kalloc.c: physical page allocator for the 4 KiB pages between the end of the image and the
 * end of RAM. Pages are handed out zeroed.
 *
 * RAM that was never handed out is not on any list: two ranges (below and above the initrd,
 * which holds the command script) are consumed from the bottom up by a bump pointer, and only
 * pages given back by kfree go on the free list. So booting touches no page of RAM it does not
 * use, and a guest with many GiB of RAM boots as fast as one with 128 MiB (the host backs
 * guest RAM lazily too).
 *
 * Known-zero RAM: QEMU's guest RAM is zero at power-on, and past the image's end nothing but
 * the command script (the initrd hole) and the device tree (the `dirty` range, which QEMU
 * loads and OpenSBI edits) is written before the kernel hands a page out; OpenSBI keeps to
 * its own region below the image. So a page taken from a fresh range outside `dirty` is
 * already zero and is handed out as it is; pages given back (the free list) are zeroed. A
 * debugger snapshot restores RAM and this allocator's state together, so that stays true.
 * Checked by scanning all of RAM past the image at boot (128 MiB, 1 GiB, 4 GiB guests): the
 * only non-zero words were inside the device tree's totalsize. */
#include "osb.h"

struct run { struct run *next; };

static struct {
  struct run *free; /* pages given back, reused first */
  u64 avail; /* pages on the free list and in the fresh ranges: kfree_pages() */
  u64 used, peak; /* pages handed out now, and the most ever at once (`stats`) */
  struct { u64 next, end; } fresh[2]; /* never handed out: [next, end), page-aligned */
  u64 dirty_start, dirty_end; /* fresh pages here are not known zero (the device tree) */
} kmem;

/* [start, end) except the pages of [hole_start, hole_end) (the initrd); the pages of
 * [dirty_start, dirty_end) were written before the kernel started. */
void kinit(u64 start, u64 end, u64 hole_start, u64 hole_end, u64 dirty_start, u64 dirty_end) {
  kmem.dirty_start = PGROUNDDOWN(dirty_start), kmem.dirty_end = PGROUNDUP(dirty_end);
  start = PGROUNDUP(start), end = PGROUNDDOWN(end);
  hole_start = PGROUNDDOWN(hole_start), hole_end = PGROUNDUP(hole_end);
  if (hole_end <= hole_start || hole_end <= start || hole_start >= end) hole_start = hole_end = end;
  if (hole_start < start) hole_start = start;
  if (hole_end > end) hole_end = end;
  kmem.fresh[0].next = start, kmem.fresh[0].end = hole_start;
  kmem.fresh[1].next = hole_end, kmem.fresh[1].end = end;
  kmem.avail = (hole_start - start + end - hole_end) / PGSIZE;
}

void kfree(void *p) {
  struct run *r = p;
  r->next = kmem.free;
  kmem.free = r;
  kmem.avail++;
  kmem.used--;
}

/* A page, and in *zero whether it is known to hold zeros already. */
static void *take(int *zero) {
  struct run *r = kmem.free;
  *zero = 0;
  if (r) {
    kmem.free = r->next;
    return r;
  }
  for (int i = 0; i < 2; i++)
    if (kmem.fresh[i].next < kmem.fresh[i].end) {
      u64 p = kmem.fresh[i].next;
      kmem.fresh[i].next += PGSIZE;
      *zero = p < kmem.dirty_start || p >= kmem.dirty_end;
      return (void *)p;
    }
  return NULL;
}

/* Zero one page, 16 words a turn (18 instructions per 128 bytes against memset's 7 per 32):
 * a page from the free list pays this when it is handed out again. */
static void zero_page(void *p) {
  typedef u64 __attribute__((may_alias)) word;
  word *w = p, *end = w + PGSIZE / sizeof(word);
  for (; w < end; w += 16)
    for (int k = 0; k < 16; k++) w[k] = 0; /* unrolled by the compiler (-O2) */
}

void *kalloc(void) {
  int zero;
  void *p = take(&zero);
  if (!p) return NULL;
  kmem.avail--;
  if (++kmem.used > kmem.peak) kmem.peak = kmem.used;
  if (!zero) zero_page(p);
  return p;
}

u64 kfree_pages(void) { return kmem.avail; }

/* kalloc(), unless no more than `reserve` pages are free (memory_fault keeps the kernel's). */
void *kalloc_above(u64 reserve) { return kmem.avail > reserve ? kalloc() : NULL; }

/* The most pages ever handed out at once since boot (kernel tables, stores, linear memory). */
u64 kpeak_pages(void) { return kmem.peak; }
