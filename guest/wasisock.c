/* wasisock.c: WASI preview 1 sockets: the listening socket `--tcplisten` preopens (the fd
 * after the `--dir` preopens: host/netproxy.py) and the connections sock_accept gives,
 * over the host-forwarded connections of netport.c. The listener starts non-blocking, as
 * wasmtime's does (sock_accept answers EAGAIN until a connection is there; programs wait in
 * poll_oneoff); a connection blocks unless accepted with FDFLAGS_NONBLOCK or set so.
 * Blocking calls wait by polling the port: the kernel runs one program and has nothing else
 * to do meanwhile. */
#include "netport.h"
#include "wasifs.h"

enum { E_AGAIN = 6, E_CONNRESET = 15 };
#define SHUT_RD 1
#define SHUT_WR 2
/* rights as wasi-common gives sockets: READ, FDSTAT_SET_FLAGS, FILESTAT_GET, POLL_FD_READWRITE
 * (a listener), plus WRITE and SOCK_SHUTDOWN (a connection) */
#define RIGHTS_LISTEN ((1UL << 1) | (1UL << 3) | (1UL << 21) | (1UL << 27))
#define RIGHTS_CONN (RIGHTS_LISTEN | RIGHT_FD_WRITE | (1UL << 28))

/* `tcplisten` in the script: the listening socket, at the next descriptor number. */
int wasisock_listen(void) {
  u32 fd;
  struct wfd *f = netport_present() ? wasifs_alloc(FD_LISTEN, &fd) : NULL;
  if (!f) return -1;
  f->fdflags = FDFLAG_NONBLOCK;
  f->rights_base = RIGHTS_LISTEN;
  return 0;
}

static int nonblocking(const struct wfd *f) { return f->fdflags & FDFLAG_NONBLOCK; }

/* Bytes to read, end of stream or failure: a read would not wait. */
static int conn_readable(const struct wfd *f) {
  return f->shut_rd || netport_readable(f->conn) || netport_ended(f->conn) ||
         netport_reset(f->conn);
}

static int conn_writable(const struct wfd *f) {
  return netport_writable(f->conn) || netport_reset(f->conn);
}

/* poll_oneoff: would an fd_read (type 1) or fd_write (type 2) subscription's call not wait?
 * nbytes: what it can move now. Other kinds never wait. */
int wasisock_ready(const struct wfd *f, u8 type, u64 *nbytes) {
  *nbytes = 0;
  if (f->kind == FD_LISTEN) return type == 1 && netport_pending();
  if (f->kind != FD_SOCK) return 1;
  if (type == 1) return *nbytes = netport_readable(f->conn), conn_readable(f);
  return *nbytes = netport_writable(f->conn), conn_writable(f);
}

/* The iovec list (ptr@0 len@4 each) at iovs, n entries; NULL when it is not in memory. */
static const u8 *iovecs(u64 v, u64 iovs, u32 n) { return user_mem(v, (u32)iovs, 8UL * n); }

/* Read into the iovecs; 0 at end of stream. */
static int conn_recv(u64 v, struct wfd *f, u64 iovs, u32 n, u64 *got) {
  const u8 *iov = iovecs(v, iovs, n);
  if (!iov) return E_FAULT;
  *got = 0;
  if (f->shut_rd) return 0;
  netport_poll();
  while (!conn_readable(f)) {
    if (nonblocking(f)) return E_AGAIN;
    netport_poll();
  }
  if (!netport_readable(f->conn) && netport_reset(f->conn)) return E_CONNRESET;
  for (u32 i = 0; i < n; i++) {
    u32 len = get32(iov + 8 * i + 4);
    u8 *dst = user_mem(v, get32(iov + 8 * i), len);
    if (!dst) return E_FAULT;
    u64 took = netport_recv(f->conn, dst, len);
    *got += took;
    if (took < len) break;
  }
  return 0;
}

/* Write the iovecs: all of them (blocking) or what the host's credit allows now. */
static int conn_send(u64 v, struct wfd *f, u64 iovs, u32 n, u64 *put) {
  const u8 *iov = iovecs(v, iovs, n);
  if (!iov) return E_FAULT;
  *put = 0;
  if (f->shut_wr) return E_PIPE;
  for (u32 i = 0; i < n; i++) {
    u32 len = get32(iov + 8 * i + 4);
    const u8 *src = user_mem(v, get32(iov + 8 * i), len);
    if (!src) return E_FAULT;
    for (u32 done = 0; done < len;) {
      netport_poll();
      if (netport_reset(f->conn)) return *put ? 0 : E_PIPE;
      u64 sent = netport_send(f->conn, src + done, len - done);
      done += (u32)sent, *put += sent;
      if (!sent && nonblocking(f)) return *put ? 0 : E_AGAIN;
    }
  }
  return 0;
}

static int sock_read(u64 v, struct wfd *f, u64 *slots) {
  u8 *out = user_mem(v, (u32)ARG(3), 4);
  if (!out) return E_FAULT;
  u64 got;
  int err = conn_recv(v, f, ARG(1), (u32)ARG(2), &got);
  if (!err) put32(out, (u32)got);
  return err;
}

static int sock_write(u64 v, struct wfd *f, u64 *slots) {
  u8 *out = user_mem(v, (u32)ARG(3), 4);
  if (!out) return E_FAULT;
  u64 put;
  int err = conn_send(v, f, ARG(1), (u32)ARG(2), &put);
  if (!err) put32(out, (u32)put);
  return err;
}

/* fd_filestat_get: all zero but the filetype, as for stdio. */
static int sock_filestat(u64 v, struct wfd *f, u64 *slots) {
  (void)f;
  u8 *st = user_mem(v, (u32)ARG(1), 64);
  if (!st) return E_FAULT;
  memset(st, 0, 64);
  st[16] = FT_STREAM;
  return 0;
}

/* fd_fdstat_set_flags: only NONBLOCK means something for a socket. */
static int sock_set_flags(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  f->fdflags = (u16)ARG(1) & FDFLAG_NONBLOCK;
  return 0;
}

static u8 sock_type(const struct wfd *f) { (void)f; return FT_STREAM; }

#define ANSWER(name, err)                                   \
  static int name(u64 v, struct wfd *f, u64 *slots) {       \
    (void)v, (void)f, (void)slots;                          \
    return err;                                             \
  }
ANSWER(bad_fd, E_BADF)
ANSWER(not_sup, E_NOTSUP)
ANSWER(pipe, E_SPIPE)
#undef ANSWER

const struct fd_ops listen_ops = {
  .read = bad_fd, .write = bad_fd, .pread = pipe, .pwrite = pipe, .seek = pipe,
  .tell = pipe, .filestat = sock_filestat, .set_size = bad_fd, .set_times = bad_fd,
  .set_flags = sock_set_flags, .set_rights = not_sup, .sync = bad_fd, .readdir = bad_fd,
  .allocate = bad_fd, .advise = bad_fd, .filetype = sock_type,
};
const struct fd_ops sock_ops = {
  .read = sock_read, .write = sock_write, .pread = pipe, .pwrite = pipe, .seek = pipe,
  .tell = pipe, .filestat = sock_filestat, .set_size = bad_fd, .set_times = bad_fd,
  .set_flags = sock_set_flags, .set_rights = not_sup, .sync = bad_fd, .readdir = bad_fd,
  .allocate = bad_fd, .advise = bad_fd, .filetype = sock_type,
};

/* The sock_* calls on anything else: ENOTSOCK, on a closed number EBADF. */
static struct wfd *sock_entry(u32 fd, u8 kind, int *err) {
  struct wfd *f = wasifs_entry(fd);
  *err = !f ? E_BADF : f->kind != kind ? E_NOTSOCK : 0;
  return *err ? NULL : f;
}

/* sock_accept(fd, flags, ro_fd): the oldest connection the host has accepted. */
int sock_accept(struct store *s, u64 v, u64 *slots) {
  (void)s;
  int err;
  struct wfd *l = sock_entry((u32)ARG(0), FD_LISTEN, &err);
  if (!l) return RET(err);
  u8 *out = user_mem(v, (u32)ARG(2), 4);
  if (!out) return RET(E_FAULT);
  if ((u16)ARG(1) & ~FDFLAG_NONBLOCK) return RET(E_INVAL);
  netport_poll();
  while (!netport_pending()) {
    if (nonblocking(l)) return RET(E_AGAIN);
    netport_poll();
  }
  u32 fd;
  struct wfd *f = wasifs_alloc(FD_SOCK, &fd);
  if (!f) return RET(E_MFILE); /* the connection waits for a free descriptor */
  int id = netport_accept();
  if (id < 0) return wasifs_free(f), RET(E_AGAIN);
  f->conn = (u16)id;
  f->fdflags = (u16)ARG(1);
  f->rights_base = RIGHTS_CONN;
  put32(out, fd);
  return RET(E_SUCCESS);
}

/* sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags) */
int sock_recv(struct store *s, u64 v, u64 *slots) {
  (void)s;
  int err;
  struct wfd *f = sock_entry((u32)ARG(0), FD_SOCK, &err);
  if (!f) return RET(err);
  u8 *len = user_mem(v, (u32)ARG(4), 4), *flags = user_mem(v, (u32)ARG(5), 2);
  if (!len || !flags) return RET(E_FAULT);
  if ((u16)ARG(3)) return RET(E_NOTSUP); /* RECV_PEEK, RECV_WAITALL */
  u64 got;
  err = conn_recv(v, f, ARG(1), (u32)ARG(2), &got);
  if (err) return RET(err);
  put32(len, (u32)got);
  memset(flags, 0, 2);
  return RET(E_SUCCESS);
}

/* sock_send(fd, si_data, si_data_len, si_flags, so_datalen) */
int sock_send(struct store *s, u64 v, u64 *slots) {
  (void)s;
  int err;
  struct wfd *f = sock_entry((u32)ARG(0), FD_SOCK, &err);
  if (!f) return RET(err);
  u8 *len = user_mem(v, (u32)ARG(4), 4);
  if (!len) return RET(E_FAULT);
  u64 put;
  err = conn_send(v, f, ARG(1), (u32)ARG(2), &put);
  if (err) return RET(err);
  put32(len, (u32)put);
  return RET(E_SUCCESS);
}

/* sock_shutdown(fd, how): SHUT_WR sends our end of stream; SHUT_RD makes reads end. */
int sock_shutdown(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  int err;
  struct wfd *f = sock_entry((u32)ARG(0), FD_SOCK, &err);
  if (!f) return RET(err);
  u32 how = (u32)ARG(1);
  if (!how || how > (SHUT_RD | SHUT_WR)) return RET(E_INVAL);
  if (how & SHUT_RD) f->shut_rd = 1;
  if ((how & SHUT_WR) && !f->shut_wr) f->shut_wr = 1, netport_shutdown(f->conn);
  return RET(E_SUCCESS);
}
