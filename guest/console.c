/* console.c: the framed console protocol (docs/ARCHITECTURE.md): every byte the kernel sends
 * travels in a frame 0x1E, channel, len_lo, len_hi, payload, so the host can keep program
 * stdout, stderr, results and trap reports apart. Program output (channels '1' and '2') goes
 * to the virtio console port when there is one (vconsole.c), everything else to the UART. */
#include "vconsole.h"

void frame(char channel, const char *data, u64 len) {
  if ((channel == '1' || channel == '2') && vcons_write(channel, data, len) == 0) return;
  do {
    u64 n = len > 65535 ? 65535 : len;
    uart_putc(0x1E);
    uart_putc(channel);
    uart_putc((char)(n & 0xFF));
    uart_putc((char)(n >> 8));
    for (u64 i = 0; i < n; i++) uart_putc(data[i]);
    data += n;
    len -= n;
  } while (len);
}

void buf_char(struct buf *b, char c) {
  if (b->len < sizeof b->data) b->data[b->len++] = c;
}

void buf_bytes(struct buf *b, const char *s, u64 n) {
  for (u64 i = 0; i < n; i++) buf_char(b, s[i]);
}

void buf_str(struct buf *b, const char *s) {
  while (*s) buf_char(b, *s++);
}

void buf_hex(struct buf *b, u64 v) {
  char tmp[16];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (n) buf_char(b, tmp[--n]);
}

void buf_dec(struct buf *b, i64 v) {
  char tmp[24];
  int n = 0;
  u64 u = v < 0 ? -(u64)v : (u64)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) buf_char(b, '-');
  while (n) buf_char(b, tmp[--n]);
}

void buf_send(struct buf *b, char channel) {
  frame(channel, b->data, b->len);
  b->len = 0;
}
