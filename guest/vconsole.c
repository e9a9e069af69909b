/* vconsole.c: program stdio over a virtio console (virtio spec 1.1, section 5.3 "Console
 * Device"): QEMU's virtio-serial-device with one virtserialport, port 1, whose host side is a
 * socket of the host's Console (host/console.py).
 *
 * Why a serial port and not port 0 (a "virtconsole"): QEMU drops console data when the host
 * socket is full, but throttles a serial port and returns the buffer only once every byte is
 * in the socket. So a write below completes when the host can read all of it, which is what
 * keeps program output ahead of the exit status and trap frames that follow on the UART.
 * Ports other than 0 need the MULTIPORT feature and its control queues.
 *
 * The port carries the console protocol's frames (0x1E, channel, len_lo, len_hi, payload):
 * host-bound frames of channels '1' and '2' keep stdout and stderr apart and in the order the
 * program wrote them (one stream, so the host cannot reorder them); guest-bound frames
 * (0x1E, len_lo, len_hi, data) carry stdin, and an empty one is the end of file. (Closing a
 * socket to say "end of file" would not do: QEMU drops what it has not read yet when the
 * peer hangs up.)
 *
 * Queues: 2/3 control in/out, 4/5 port 1 in/out (2 * port + 2, + 3). Polled like virtio.c;
 * QEMU fills at most 4 KiB per receive buffer, so stdin gets VQ_MAX one-page buffers. */
#include "vconsole.h"
#include "netport.h"
#include "riscv.h"
#include "virtio.h"

#define F_MULTIPORT (1U << 1)
#define PORT 1
enum { Q_CTRL_IN = 2, Q_CTRL_OUT = 3, Q_IN = 4, Q_OUT = 5 };
enum { DEVICE_READY = 0, PORT_ADD = 1, PORT_READY = 3, PORT_OPEN = 6 }; /* control events */
struct ctrl { u32 id; u16 event, value; };

#define CTRL_BUFS 8
#define CTRL_BUF 64      /* a control message, or PORT_NAME with a short name */
#define REPOST_BATCH 16  /* returned stdin buffers before the device is told */
#define MARK 0x1E
#define FRAME_MAX 65535U /* a frame's 16-bit length */
#define CONNECT_TICKS 10000000UL /* 1 s of the 10 MHz time CSR for the host side to appear */

static struct {
  u64 base; /* 0: no console */
  struct virtq ctrl_in, ctrl_out, in, out;
  u8 *ctrl;                /* CTRL_BUFS incoming control buffers, then one outgoing */
  u8 *in_buf[VQ_MAX];      /* stdin receive buffers, one page each */
  int added[3], host_open[3]; /* the device announced port N; its host side is connected */
  /* stdin: the receive buffer being read, and the frame being parsed in it */
  struct vq_used_elem cur;
  int have_cur, eof;
  u32 pos, left, hdr; /* position in cur, payload bytes left in the frame, header bytes seen */
  u16 frame_len, unsent; /* length being assembled; buffers returned but not yet notified */
} vc;

/* Outgoing frames: header and payload in one descriptor. The payload sits at the same offset
 * modulo 8 as its source, so memcpy moves words. */
static u8 out_buf[8 + FRAME_MAX + 8] __attribute__((aligned(8)));

static void wait_used(struct virtq *q, struct vq_used_elem *e) {
  while (!virtq_used(q, e))
    ;
}

/* Messages from the device: the port's announcement and its host side opening or closing. */
static void ctrl_poll(void) {
  struct vq_used_elem e;
  while (virtq_used(&vc.ctrl_in, &e)) {
    struct ctrl m;
    memcpy(&m, vc.ctrl + e.id * CTRL_BUF, sizeof m);
    if (e.len >= sizeof m && m.id <= 2 && m.event == PORT_ADD) vc.added[m.id] = 1;
    if (e.len >= sizeof m && m.id <= 2 && m.event == PORT_OPEN) vc.host_open[m.id] = m.value;
    virtq_post(vc.base, &vc.ctrl_in, (u16)e.id, 0);
  }
}

/* One control message to the device; QEMU handles it (and queues its answers) before it
 * returns the buffer. */
static void ctrl_send(u32 id, u16 event, u16 value) {
  u8 *msg = vc.ctrl + CTRL_BUFS * CTRL_BUF;
  struct ctrl m = {id, event, value};
  memcpy(msg, &m, sizeof m);
  vc.ctrl_out.desc[0] = (struct vq_desc){(u64)msg, sizeof m, 0, 0};
  virtq_post(vc.base, &vc.ctrl_out, 0, 1);
  struct vq_used_elem e;
  wait_used(&vc.ctrl_out, &e);
  ctrl_poll();
}

static int setup_queues(void) {
  if (virtio_queue(vc.base, &vc.ctrl_in, Q_CTRL_IN, CTRL_BUFS) < 0 ||
      virtio_queue(vc.base, &vc.ctrl_out, Q_CTRL_OUT, 1) < 0 ||
      virtio_queue(vc.base, &vc.in, Q_IN, VQ_MAX) < 0 ||
      virtio_queue(vc.base, &vc.out, Q_OUT, 1) < 0 || !(vc.ctrl = kalloc()))
    return -1;
  for (u16 i = 0; i < CTRL_BUFS; i++) {
    vc.ctrl_in.desc[i] = (struct vq_desc){(u64)(vc.ctrl + i * CTRL_BUF), CTRL_BUF,
                                          VRING_DESC_F_WRITE, 0};
    virtq_post(vc.base, &vc.ctrl_in, i, 0);
  }
  for (u16 i = 0; i < VQ_MAX; i++) {
    if (!(vc.in_buf[i] = kalloc())) return -1;
    vc.in.desc[i] = (struct vq_desc){(u64)vc.in_buf[i], PGSIZE, VRING_DESC_F_WRITE, 0};
    virtq_post(vc.base, &vc.in, i, 0);
  }
  return 0;
}

/* Port ready → the guest opens it; the device says whether the host side is connected (the
 * host's socket exists from QEMU's start). */
static int open_port(u32 port) {
  if (!vc.added[port]) return -1;
  ctrl_send(port, PORT_READY, 1);
  ctrl_send(port, PORT_OPEN, 1);
  for (u64 until = r_time() + CONNECT_TICKS; !vc.host_open[port] && r_time() < until;)
    ctrl_poll();
  return vc.host_open[port] ? 0 : -1;
}

/* Device ready → the device adds its ports: 1 (stdio) and, with `--tcplisten`, 2 (the
 * forwarded connections, netport.c). */
static int open_ports(int net) {
  ctrl_send(0, DEVICE_READY, 1);
  if (net) netport_attach(open_port(2) == 0);
  if (open_port(PORT) < 0) return -1;
  virtq_notify(vc.base, &vc.in); /* the receive buffers are there: the host may send */
  return 0;
}

int vcons_init(void) {
  for (u64 i = 0; i < VIRTIO_MMIO_COUNT && !vc.base; i++) {
    u64 base = VIRTIO_MMIO_BASE + i * 0x1000;
    if (virtio_begin(base, VIRTIO_ID_CONSOLE, F_MULTIPORT) == 0) vc.base = base;
  }
  if (!vc.base) return -1;
  if (setup_queues() < 0) return vc.base = 0, -1;
  int net = netport_queues(vc.base) == 0; /* the device has a port 2 */
  virtio_ready(vc.base);
  if (open_ports(net) < 0) return vc.base = 0, -1;
  return 0;
}

int vcons_write(char channel, const char *data, u64 len) {
  if (!vc.base) return -1;
  do {
    u32 n = len > FRAME_MAX ? FRAME_MAX : (u32)len;
    u8 *p = out_buf + 8 + ((u64)data & 7);
    p[-4] = MARK, p[-3] = (u8)channel, p[-2] = (u8)(n & 0xFF), p[-1] = (u8)(n >> 8);
    memcpy(p, data, n);
    vc.out.desc[0] = (struct vq_desc){(u64)(p - 4), n + 4, 0, 0};
    virtq_post(vc.base, &vc.out, 0, 1);
    struct vq_used_elem e;
    wait_used(&vc.out, &e); /* the host's socket holds every byte */
    data += n;
    len -= n;
  } while (len);
  return 0;
}

/* Hand the current receive buffer back to the device; tell it in batches (each notification
 * is an exit to QEMU), and always before waiting for more. */
static void give_back(void) {
  virtq_post(vc.base, &vc.in, (u16)vc.cur.id, 0);
  vc.have_cur = 0;
  if (++vc.unsent >= REPOST_BATCH) virtq_notify(vc.base, &vc.in), vc.unsent = 0;
}

/* The next receive buffer with data; 0 if none has arrived (and not `wait`). */
static int next_buffer(int wait) {
  if (virtq_used(&vc.in, &vc.cur)) return vc.pos = 0, vc.have_cur = 1;
  if (!wait) return 0;
  virtq_notify(vc.base, &vc.in);
  vc.unsent = 0;
  wait_used(&vc.in, &vc.cur);
  return vc.pos = 0, vc.have_cur = 1;
}

/* Header bytes (MARK, len_lo, len_hi) are consumed one at a time; bytes before a MARK are
 * skipped. A complete header with length 0 is the end of file. */
static void header_byte(u8 b) {
  if (vc.hdr == 0) {
    vc.hdr = b == MARK;
  } else if (vc.hdr == 1) {
    vc.frame_len = b, vc.hdr = 2;
  } else {
    vc.left = vc.frame_len | (u32)b << 8, vc.hdr = 0;
    vc.eof = vc.left == 0;
  }
}

int vcons_eof(void) { return !vc.base || vc.eof; }
int vcons_present(void) { return vc.base != 0; }

u64 vcons_read(u8 *dst, u64 max, int wait) {
  u64 got = 0;
  while (vc.base && got < max && !vc.eof) {
    if (!vc.have_cur && !next_buffer(wait && got == 0)) break;
    const u8 *b = vc.in_buf[vc.cur.id];
    while (vc.pos < vc.cur.len && got < max && !vc.eof) {
      if (!vc.left) {
        header_byte(b[vc.pos++]);
        continue;
      }
      u64 take = vc.cur.len - vc.pos;
      if (take > vc.left) take = vc.left;
      if (take > max - got) take = max - got;
      memcpy(dst + got, b + vc.pos, take);
      vc.pos += (u32)take, vc.left -= (u32)take, got += take;
    }
    if (vc.pos >= vc.cur.len) give_back();
  }
  return got;
}
