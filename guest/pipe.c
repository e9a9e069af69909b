/* pipe.c: pipes between programs: a writer's stdout to a reader's stdin (proc.h).
 *
 * A ring of PIPE_PAGES pages. A read waits while the pipe is empty and a writer is left (or
 * has yet to start), and returns what there is (0 once every writer has gone: the end of
 * file). A write waits while
 * the pipe is full and a reader is left, and writes what fits (a short write, as a POSIX pipe
 * of this size would); with every reader gone it fails with EPIPE. Waiting gives the hart
 * away (proc_sleep), so a producer and a consumer take turns a ring's worth at a time. */
#include "proc.h"

#define PIPE_BYTES (PIPE_PAGES * PGSIZE)

static struct pipe pipes[MAX_PIPES];

struct pipe *pipe_get(int k) {
  struct pipe *q = &pipes[k % MAX_PIPES];
  if (!q->used) {
    for (u32 i = 0; i < PIPE_PAGES; i++)
      if (!(q->page[i] = kalloc())) panic("out of memory for a pipe");
    q->used = 1;
  }
  return q;
}

void pipe_open(struct pipe *q, int writer) {
  if (writer) q->writers++, q->had_writer = 1;
  else q->readers++, q->had_reader = 1;
}

void pipe_close(struct pipe *q, int writer) {
  if (writer) q->writers--;
  else q->readers--;
  proc_wakeup(q); /* a reader sees the end of file, a writer EPIPE */
}

/* Copy n bytes between a buffer and the ring at stream position pos (to the ring if `in`). */
static void ring_copy(struct pipe *q, u64 pos, u8 *buf, u64 n, int in) {
  while (n) {
    u64 off = pos % PIPE_BYTES, page = off / PGSIZE, within = off % PGSIZE;
    u64 take = PGSIZE - within < n ? PGSIZE - within : n;
    if (in) memcpy(q->page[page] + within, buf, take);
    else memcpy(buf, q->page[page] + within, take);
    pos += take, buf += take, n -= take;
  }
}

/* The iovecs of an fd_read/fd_write call: iovs at ARG(1), ARG(2) of them. */
static int each_iov(u64 v, u64 *slots, struct pipe *q, int in, u64 *done) {
  u32 n = (u32)ARG(2);
  u8 *iovs = user_mem(v, (u32)ARG(1), 8UL * n);
  if (!iovs) return E_FAULT;
  for (u32 i = 0; i < n; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = user_mem(v, get32(iovs + 8 * i), len);
    if (!data) return E_FAULT;
    u64 room = in ? PIPE_BYTES - (q->head - q->tail) : q->head - q->tail;
    u64 take = len < room ? len : room;
    ring_copy(q, in ? q->head : q->tail, data, take, in);
    if (in) q->head += take;
    else q->tail += take;
    *done += take;
    if (take < len) break;
  }
  return E_SUCCESS;
}

int pipe_read(u64 v, struct wfd *f, u64 *slots) {
  struct pipe *q = pipe_get(f->pipe);
  u8 *out = user_mem(v, (u32)ARG(3), 4);
  if (!out) return E_FAULT;
  /* A writer that has not started yet (the script waits for a free slot before it starts
   * more programs) is waited for too; if it never comes, proc.c's end_deadlock ends this. */
  while (q->head == q->tail && (q->writers || !q->had_writer) && !myproc()->kill)
    proc_sleep(q, 0);
  u64 got = 0;
  int err = each_iov(v, slots, q, 0, &got);
  if (got) proc_wakeup(q); /* room for a waiting writer */
  if (err) return err;
  put32(out, (u32)got);
  return E_SUCCESS;
}

int pipe_write(u64 v, struct wfd *f, u64 *slots) {
  struct pipe *q = pipe_get(f->pipe);
  u8 *out = user_mem(v, (u32)ARG(3), 4);
  if (!out) return E_FAULT;
  for (;;) {
    if (!q->readers && q->had_reader) return E_PIPE;
    if (q->head - q->tail < PIPE_BYTES || myproc()->kill) break;
    proc_sleep(q, 0);
  }
  u64 put = 0;
  int err = each_iov(v, slots, q, 1, &put);
  if (put) proc_wakeup(q); /* data for a waiting reader */
  if (err) return err;
  put32(out, (u32)put);
  return E_SUCCESS;
}

/* A pipe is of unknown type, as stdio that is not a terminal. */
u8 pipe_filetype(const struct wfd *f) {
  (void)f;
  return FT_UNKNOWN;
}
