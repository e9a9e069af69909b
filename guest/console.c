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
  struct buf b = {0};
  buf_dec(&b, pid);
  if (port) vcons_write('@', b.data, b.len);
  else uart_frame('@', b.data, b.len);
  last_sender[port] = pid;
}

/* One frame on the UART, or on the console port for program output when there is one; an
 * '@' frame first when its sender is another process than last time on that stream. */
void frame(char channel, const char *data, u64 len) {
  u32 pid = myproc()->pid;
  int port = (channel == '1' || channel == '2') && vcons_present();
  if (pid != last_sender[port]) sender_frame(port, pid);
  if (port) vcons_write(channel, data, len);
  else uart_frame(channel, data, len);
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
