/* console.c: the framed console protocol (docs/ARCHITECTURE.md): every byte the kernel sends
 * travels in a frame 0x1E, channel, len_lo, len_hi, payload, so the host can keep program
 * stdout, stderr, results and trap reports apart. Program output (channels '1' and '2') goes
 * to the virtio console port when there is one (vconsole.c), everything else to the UART.
 *
 * With several programs (proc.h), a frame '@' with a process id in decimal says that the
 * frames after it on the same stream come from that process; it is sent only when the sender
 * changes, so a run of one program (always process 0) never has one. */
#include "proc.h"
#include "vconsole.h"

static void uart_frame(char channel, const char *data, u64 len) {
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

/* The sender of the frames last sent on each stream: the UART and the console port. */
static u32 last_sender[2];

static void sender_frame(int port, u32 pid) {
  char text[12];
  int n = 0;
  for (u32 v = pid; n == 0 || v; v /= 10) text[n++] = (char)('0' + v % 10);
  for (int i = 0; i < n / 2; i++) {
    char ch = text[i];
    text[i] = text[n - 1 - i], text[n - 1 - i] = ch;
  }
  if (port) vcons_write('@', text, (u64)n);
  else uart_frame('@', text, (u64)n);
  last_sender[port] = pid;
}

void frame(char channel, const char *data, u64 len) {
  u32 pid = myproc()->pid;
  if (channel == '1' || channel == '2') {
    if (vcons_present()) {
      if (pid != last_sender[1]) sender_frame(1, pid);
      vcons_write(channel, data, len);
      return;
    }
  }
  if (pid != last_sender[0]) sender_frame(0, pid);
  uart_frame(channel, data, len);
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
