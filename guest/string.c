/* string.c: the few libc routines the kernel needs (freestanding, no libc).
 *
 * memset/memcpy/memmove move 8-byte words once the destination is aligned (RV64 has no
 * misaligned-access guarantee worth relying on: QEMU emulates it, hardware may trap), four
 * words per iteration, and bytes only for the unaligned head and tail. kalloc zeroes every page
 * it hands out and WASI copies between guest memory and bounce buffers with them, so these loops
 * are on the page-fault and I/O paths. */
#include "osb.h"

#define WORD 8UL
typedef u64 __attribute__((may_alias)) word; /* may alias any object it copies */

static int aligned(const void *a, const void *b) { return (((u64)a | (u64)b) & (WORD - 1)) == 0; }

void *memset(void *dst, int c, u64 n) {
  u8 *d = dst;
  while (n && ((u64)d & (WORD - 1))) *d++ = (u8)c, n--;
  word w = 0x0101010101010101UL * (u8)c, *dw = (word *)d;
  for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4) dw[0] = dw[1] = dw[2] = dw[3] = w;
  for (; n >= WORD; n -= WORD) *dw++ = w;
  d = (u8 *)dw;
  while (n--) *d++ = (u8)c;
  return dst;
}

/* Forward copy; memmove uses it whenever dst is below src, which is safe because each group
 * of four words is read before any of it is written and writes never pass what is read next. */
void *memcpy(void *dst, const void *src, u64 n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n && ((u64)d & (WORD - 1))) *d++ = *s++, n--;
  if (aligned(d, s)) {
    word *dw = (word *)d;
    const word *sw = (const word *)s;
    for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4) {
      word a = sw[0], b = sw[1], x = sw[2], y = sw[3];
      dw[0] = a, dw[1] = b, dw[2] = x, dw[3] = y;
    }
    for (; n >= WORD; n -= WORD) *dw++ = *sw++;
    d = (u8 *)dw, s = (const u8 *)sw;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, u64 n) {
  u8 *d = dst;
  const u8 *s = src;
  if (d <= s || d >= s + n) return memcpy(dst, src, n);
  /* Overlapping with dst above src: copy backwards, words while both ends stay aligned. */
  d += n, s += n;
  while (n && ((u64)d & (WORD - 1))) *--d = *--s, n--;
  if (aligned(d, s)) {
    word *dw = (word *)d;
    const word *sw = (const word *)s;
    for (; n >= WORD; n -= WORD) *--dw = *--sw;
    d = (u8 *)dw, s = (const u8 *)sw;
  }
  while (n--) *--d = *--s;
  return dst;
}

int memcmp(const void *a, const void *b, u64 n) {
  const u8 *x = a, *y = b;
  for (u64 i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] - y[i];
  return 0;
}

u64 strlen(const char *s) {
  u64 n = 0;
  while (s[n]) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (u8)*a - (u8)*b;
}
