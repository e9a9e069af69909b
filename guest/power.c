/* power.c: powering off through QEMU's sifive_test device, which makes QEMU exit with the
 * status we write: 0x5555 = pass (exit 0), (status << 16) | 0x3333 = fail with status. */
#include "osb.h"

void poweroff(int status) {
  struct buf b = {0};
  buf_dec(&b, status);
  buf_send(&b, 'X');
  volatile u32 *test = (volatile u32 *)SIFIVE_TEST;
  *test = status == 0 ? 0x5555 : (((u32)status << 16) | 0x3333);
  for (;;) __asm__ volatile("wfi");
}

void panic(const char *msg) {
  struct buf b = {0};
  buf_str(&b, "kernel panic: ");
  buf_str(&b, msg);
  buf_send(&b, 'P');
  poweroff(70);
}
