/* netport.c: the program's TCP connections, forwarded by the host (host/netproxy.py) over
 * port 2 of the virtio-serial device that carries stdio (vconsole.c). The host owns the real
 * sockets: it accepts connections on the `--tcplisten` address and moves each connection's
 * bytes in frames on this one port, so the guest needs no TCP/IP stack.
 *
 * A frame, both ways: 0x1E, type, id_lo, id_hi, len_lo, len_hi, payload[len].
 *   host → guest: 'A' new connection (payload: the bytes it may send us first, u32),
 *                 'D' data, 'E' the peer's end of stream, 'R' the connection failed (reset,
 *                 vanished), 'C' credit (u32: bytes the host has written out, sendable again)
 *   guest → host: 'D' data, 'E' our end of stream (shutdown), 'X' closed by the program
 *                 (the host closes the socket and may reuse the id), 'C' credit (u32: bytes
 *                 the program has read, which the host may send again)
 * Credits make both directions flow-controlled per connection: the host sends a connection
 * at most RING bytes beyond what the program has read, so a connection whose bytes nobody
 * reads (or a 10 MB upload) never stops the port for the others, and the guest never has
 * more to hold than its rings. A connection gets its ring, and the host its first credit,
 * when the program accepts it; before that, its bytes wait in the host's kernel.
 *
 * Queues 6/7 are port 2's in/out (2 * port + 2, + 3). Polled, like the rest of the kernel. */
#include "netport.h"
#include "virtio.h"

#define PORT 2
#define MARK 0x1E
#define FRAME_MAX 65535U
#define RING_PAGES 8
#define RING (RING_PAGES * PGSIZE) /* a connection's receive window */
#define REPOST_BATCH 16
enum { C_FREE, C_PENDING, C_OPEN };

struct conn {
  u8 state, ended, reset;
  u8 *page[RING_PAGES];
  u64 written, read; /* bytes into / out of the ring, since the connection began */
  u64 uncredited;    /* read by the program, not yet credited back to the host */
  u64 credit;        /* bytes the host will take */
};

static struct {
  u64 base; /* 0: no port */
  struct virtq in, out;
  u8 *in_buf[VQ_MAX];
  u16 unsent;
  /* the frame being parsed */
  u8 hdr[6], arg[4];
  u32 nhdr, left, narg;
  struct conn conn[NET_CONNS];
  u16 pending[NET_CONNS]; /* ids not accepted yet, oldest first */
  u32 npending;
} np;

static u8 out_buf[8 + FRAME_MAX + 8] __attribute__((aligned(8)));

int netport_queues(u64 base) {
  if (virtio_queue(base, &np.in, 2 * PORT + 2, VQ_MAX) < 0 ||
      virtio_queue(base, &np.out, 2 * PORT + 3, 1) < 0)
    return -1;
  for (u16 i = 0; i < VQ_MAX; i++) {
    if (!(np.in_buf[i] = kalloc())) return -1;
    np.in.desc[i] = (struct vq_desc){(u64)np.in_buf[i], PGSIZE, VRING_DESC_F_WRITE, 0};
    virtq_post(base, &np.in, i, 0);
  }
  np.base = base;
  return 0;
}

void netport_attach(int opened) {
  if (!opened) np.base = 0;
  else virtq_notify(np.base, &np.in); /* the receive buffers are there: the host may send */
}
int netport_present(void) { return np.base != 0; }

/* One frame to the host; returns once QEMU has written all of it into the host's socket. */
static void send_frame(u8 type, u32 id, const u8 *data, u32 len) {
  u8 *p = out_buf + 8 + ((u64)data & 7); /* payload aligned like its source: memcpy in words */
  p[-6] = MARK, p[-5] = type, p[-4] = (u8)id, p[-3] = (u8)(id >> 8);
  p[-2] = (u8)len, p[-1] = (u8)(len >> 8);
  memcpy(p, data, len);
  np.out.desc[0] = (struct vq_desc){(u64)(p - 6), len + 6, 0, 0};
  virtq_post(np.base, &np.out, 0, 1);
  struct vq_used_elem e;
  while (!virtq_used(&np.out, &e))
    ;
}

static void send_u32(u8 type, u32 id, u32 value) {
  u8 v[4] = {(u8)value, (u8)(value >> 8), (u8)(value >> 16), (u8)(value >> 24)};
  send_frame(type, id, v, 4);
}

static u8 *ring_at(struct conn *c, u64 pos, u64 *room) {
  u64 off = pos % RING;
  *room = PGSIZE - off % PGSIZE;
  return c->page[off / PGSIZE] + off % PGSIZE;
}

static void free_ring(struct conn *c) {
  for (u32 i = 0; i < RING_PAGES; i++)
    if (c->page[i]) kfree(c->page[i]), c->page[i] = 0;
}

/* Payload bytes of a 'D' frame for connection c (the host never exceeds the window). */
static void deliver(struct conn *c, const u8 *src, u64 n) {
  if (c->state != C_OPEN || c->written + n - c->read > RING) return; /* closed: dropped */
  while (n) {
    u64 room;
    u8 *dst = ring_at(c, c->written, &room);
    u64 take = n < room ? n : room;
    memcpy(dst, src, take);
    c->written += take, src += take, n -= take;
  }
}

/* A complete frame without data payload (the header, and the u32 argument if any). */
static void dispatch(void) {
  u8 type = np.hdr[1];
  u32 id = np.hdr[2] | (u32)np.hdr[3] << 8;
  u32 arg = np.arg[0] | (u32)np.arg[1] << 8 | (u32)np.arg[2] << 16 | (u32)np.arg[3] << 24;
  if (id >= NET_CONNS) return;
  struct conn *c = &np.conn[id];
  if (type == 'A' && c->state == C_FREE && np.npending < NET_CONNS) {
    memset(c, 0, sizeof *c);
    c->state = C_PENDING, c->credit = arg;
    np.pending[np.npending++] = (u16)id;
  } else if (c->state == C_FREE) {
    return; /* a frame for a connection the program closed: it was on its way */
  } else if (type == 'E') {
    c->ended = 1;
  } else if (type == 'R') {
    c->reset = 1;
  } else if (type == 'C') {
    c->credit += arg;
  }
}

/* The bytes of one receive buffer: headers and u32 arguments byte by byte, data in runs. */
static void parse(const u8 *b, u32 len) {
  for (u32 pos = 0; pos < len;) {
    if (np.nhdr < 6) {
      u8 byte = b[pos++];
      if (np.nhdr == 0 && byte != MARK) continue; /* not a frame start: resynchronise */
      np.hdr[np.nhdr++] = byte;
      if (np.nhdr == 6) {
        np.left = np.hdr[4] | (u32)np.hdr[5] << 8, np.narg = 0;
        if (!np.left) dispatch(), np.nhdr = 0;
      }
      continue;
    }
    u32 take = len - pos < np.left ? len - pos : np.left;
    if (np.hdr[1] == 'D') {
      u32 id = np.hdr[2] | (u32)np.hdr[3] << 8;
      if (id < NET_CONNS) deliver(&np.conn[id], b + pos, take);
    } else {
      for (u32 i = 0; i < take; i++)
        if (np.narg < 4) np.arg[np.narg++] = b[pos + i];
    }
    pos += take, np.left -= take;
    if (!np.left) {
      if (np.hdr[1] != 'D') dispatch();
      np.nhdr = 0;
    }
  }
}

void netport_poll(void) {
  if (!np.base) return;
  struct vq_used_elem e;
  int any = 0;
  while (virtq_used(&np.in, &e)) {
    parse(np.in_buf[e.id], e.len);
    virtq_post(np.base, &np.in, (u16)e.id, 0);
    any = 1;
    if (++np.unsent >= REPOST_BATCH) virtq_notify(np.base, &np.in), np.unsent = 0;
  }
  if (any && np.unsent) virtq_notify(np.base, &np.in), np.unsent = 0;
}

int netport_accept(void) {
  netport_poll();
  if (!np.npending) return -1;
  u32 id = np.pending[0];
  np.npending--;
  memmove(np.pending, np.pending + 1, np.npending * sizeof np.pending[0]);
  struct conn *c = &np.conn[id];
  for (u32 i = 0; i < RING_PAGES; i++) {
    if (!(c->page[i] = kalloc())) {
      free_ring(c);
      send_frame('X', id, 0, 0); /* no memory for it: the host closes it */
      c->state = C_FREE;
      return -1;
    }
  }
  c->state = C_OPEN;
  send_u32('C', id, RING);
  return (int)id;
}

int netport_pending(void) { return np.npending != 0; }
u64 netport_readable(u32 id) { return np.conn[id].written - np.conn[id].read; }
int netport_ended(u32 id) { return np.conn[id].ended; }
int netport_reset(u32 id) { return np.conn[id].reset; }
u64 netport_writable(u32 id) { return np.conn[id].credit; }

u64 netport_recv(u32 id, u8 *dst, u64 max) {
  struct conn *c = &np.conn[id];
  u64 got = 0;
  while (got < max && c->read < c->written) {
    u64 room;
    const u8 *src = ring_at(c, c->read, &room);
    u64 take = c->written - c->read;
    if (take > room) take = room;
    if (take > max - got) take = max - got;
    memcpy(dst + got, src, take);
    c->read += take, got += take;
  }
  /* credit back in halves of the window: the host's credit is RING - unread - uncredited,
   * so it can only run out with at least RING / 2 uncredited, which is then sent */
  c->uncredited += got;
  if (c->uncredited >= RING / 2) {
    send_u32('C', id, (u32)c->uncredited);
    c->uncredited = 0;
  }
  return got;
}

u64 netport_send(u32 id, const u8 *src, u64 len) {
  struct conn *c = &np.conn[id];
  u64 sent = 0;
  while (sent < len && c->credit && !c->reset) {
    u64 n = len - sent;
    if (n > c->credit) n = c->credit;
    if (n > FRAME_MAX) n = FRAME_MAX;
    send_frame('D', id, src + sent, (u32)n);
    sent += n, c->credit -= n;
  }
  return sent;
}

void netport_shutdown(u32 id) { send_frame('E', id, 0, 0); }

void netport_close(u32 id) {
  struct conn *c = &np.conn[id];
  if (c->state == C_FREE) return;
  free_ring(c);
  c->state = C_FREE;
  send_frame('X', id, 0, 0);
}
