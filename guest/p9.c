/* p9.c: the 9P2000.L protocol (as QEMU's virtio-9p device speaks it): every request is one
 * message in a page, the reply comes back in another page through the same virtqueue.
 * Message = size[4] type[1] tag[2] body; strings are len[2] + bytes; errors are Rlerror. */
#include "p9.h"

enum {
  Tlerror = 6, Rlerror, Tlopen = 12, Rlopen, Tlcreate = 14, Rlcreate, Tgetattr = 24, Rgetattr,
  Tsymlink = 16, Rsymlink, Treadlink = 22, Rreadlink, Tsetattr = 26, Rsetattr, Tlink = 70, Rlink, Treaddir = 40, Rreaddir, Tfsync = 50, Rfsync, Tmkdir = 72, Rmkdir,
  Trenameat = 74, Rrenameat, Tunlinkat = 76, Runlinkat, Tversion = 100, Rversion,
  Tattach = 104, Rattach, Twalk = 110, Rwalk, Tread = 116, Rread, Twrite = 118, Rwrite,
  Tclunk = 120, Rclunk,
};

struct msg { u8 *buf; u32 pos; };

static void put(struct msg *m, u64 v, int n) {
  for (int i = 0; i < n; i++) m->buf[m->pos++] = (u8)(v >> (8 * i));
}
static void put_str(struct msg *m, const char *s) {
  u64 n = strlen(s);
  put(m, n, 2);
  memcpy(m->buf + m->pos, s, n);
  m->pos += (u32)n;
}
static u64 get(struct msg *m, int n) {
  u64 v = 0;
  for (int i = 0; i < n; i++) v |= (u64)m->buf[m->pos++] << (8 * i);
  return v;
}
static void get_qid(struct msg *m, struct p9_qid *q) {
  q->type = (u8)get(m, 1);
  q->version = (u32)get(m, 4);
  q->path = get(m, 8);
}

static struct msg start(struct p9 *p, u8 type) {
  struct msg m = {p->tx, 0};
  put(&m, 0, 4);
  put(&m, type, 1);
  put(&m, 1, 2); /* one request at a time: a fixed tag */
  return m;
}

/* Send the request; on success the reply body is at r->pos. */
static int call(struct p9 *p, struct msg *m, struct msg *r, u8 want) {
  u32 size = m->pos;
  m->pos = 0;
  put(m, size, 4);
  virtio_transfer(&p->dev, p->tx, size, p->rx, P9_MSIZE);
  *r = (struct msg){p->rx, 4};
  u8 type = (u8)get(r, 1);
  get(r, 2);
  if (type == Rlerror) return -(int)get(r, 4);
  return type == want ? 0 : -5; /* EIO */
}

u32 p9_fid(struct p9 *p) { return p->next_fid++; }

int p9_mount(struct p9 *p, struct virtio_dev dev, u32 *root) {
  p->dev = dev;
  p->tx = kalloc();
  p->rx = kalloc();
  if (!p->tx || !p->rx) return -12;
  struct msg m = {p->tx, 0}, r;
  put(&m, 0, 4);
  put(&m, Tversion, 1);
  put(&m, 0xFFFF, 2);
  put(&m, P9_MSIZE, 4);
  put_str(&m, "9P2000.L");
  int err = call(p, &m, &r, Rversion);
  if (err) return err;
  p->next_fid = 1;
  *root = p9_fid(p);
  m = start(p, Tattach);
  put(&m, *root, 4);
  put(&m, P9_NOFID, 4);
  put_str(&m, "wasm");
  put_str(&m, "");
  put(&m, 0, 4); /* n_uname */
  err = call(p, &m, &r, Rattach);
  p->ok = err == 0;
  return err;
}

int p9_walk(struct p9 *p, u32 fid, u32 newfid, const char *const *names, u32 n,
            struct p9_qid *last) {
  struct msg m = start(p, Twalk), r;
  put(&m, fid, 4);
  put(&m, newfid, 4);
  put(&m, n, 2);
  for (u32 i = 0; i < n; i++) put_str(&m, names[i]);
  int err = call(p, &m, &r, Rwalk);
  if (err) return err;
  u32 got = (u32)get(&r, 2);
  if (got != n) return -2; /* a partial walk: ENOENT (newfid is not created) */
  for (u32 i = 0; i < got && last; i++) get_qid(&r, last); /* QEMU's qids: lstat, no follow */
  return 0;
}

int p9_lopen(struct p9 *p, u32 fid, u32 flags) {
  struct msg m = start(p, Tlopen), r;
  put(&m, fid, 4);
  put(&m, flags, 4);
  return call(p, &m, &r, Rlopen);
}

int p9_lcreate(struct p9 *p, u32 dirfid, const char *name, u32 flags, u32 mode) {
  struct msg m = start(p, Tlcreate), r;
  put(&m, dirfid, 4);
  put_str(&m, name);
  put(&m, flags, 4);
  put(&m, mode, 4);
  put(&m, 0, 4); /* gid */
  return call(p, &m, &r, Rlcreate);
}

i64 p9_read(struct p9 *p, u32 fid, u64 offset, void *buf, u32 count) {
  struct msg m = start(p, Tread), r;
  put(&m, fid, 4);
  put(&m, offset, 8);
  put(&m, count > P9_IOUNIT ? P9_IOUNIT : count, 4);
  int err = call(p, &m, &r, Rread);
  if (err) return err;
  u32 n = (u32)get(&r, 4);
  memcpy(buf, r.buf + r.pos, n);
  return n;
}

i64 p9_write(struct p9 *p, u32 fid, u64 offset, const void *buf, u32 count) {
  if (count > P9_IOUNIT) count = P9_IOUNIT;
  struct msg m = start(p, Twrite), r;
  put(&m, fid, 4);
  put(&m, offset, 8);
  put(&m, count, 4);
  memcpy(m.buf + m.pos, buf, count);
  m.pos += count;
  int err = call(p, &m, &r, Rwrite);
  return err ? err : (i64)get(&r, 4);
}

int p9_clunk(struct p9 *p, u32 fid) {
  struct msg m = start(p, Tclunk), r;
  put(&m, fid, 4);
  return call(p, &m, &r, Rclunk);
}

int p9_getattr(struct p9 *p, u32 fid, struct p9_attr *a) {
  struct msg m = start(p, Tgetattr), r;
  put(&m, fid, 4);
  put(&m, 0x3FFF, 8); /* P9_GETATTR_ALL */
  int err = call(p, &m, &r, Rgetattr);
  if (err) return err;
  get(&r, 8); /* valid */
  get_qid(&r, &a->qid);
  a->mode = (u32)get(&r, 4);
  get(&r, 4), get(&r, 4); /* uid, gid */
  a->nlink = get(&r, 8);
  get(&r, 8); /* rdev */
  a->size = get(&r, 8);
  get(&r, 8), get(&r, 8); /* blksize, blocks */
  a->atime_ns = get(&r, 8) * 1000000000UL;
  a->atime_ns += get(&r, 8);
  a->mtime_ns = get(&r, 8) * 1000000000UL;
  a->mtime_ns += get(&r, 8);
  a->ctime_ns = get(&r, 8) * 1000000000UL;
  a->ctime_ns += get(&r, 8);
  return 0;
}

int p9_truncate(struct p9 *p, u32 fid, u64 size) {
  struct msg m = start(p, Tsetattr), r;
  put(&m, fid, 4);
  put(&m, 0x8, 4); /* P9_SETATTR_SIZE */
  put(&m, 0, 4), put(&m, 0, 4), put(&m, 0, 4);
  put(&m, size, 8);
  put(&m, 0, 8), put(&m, 0, 8), put(&m, 0, 8), put(&m, 0, 8);
  return call(p, &m, &r, Rsetattr);
}

int p9_mkdir(struct p9 *p, u32 dirfid, const char *name) {
  struct msg m = start(p, Tmkdir), r;
  put(&m, dirfid, 4);
  put_str(&m, name);
  put(&m, 0755, 4);
  put(&m, 0, 4);
  return call(p, &m, &r, Rmkdir);
}

int p9_unlinkat(struct p9 *p, u32 dirfid, const char *name, int dir) {
  struct msg m = start(p, Tunlinkat), r;
  put(&m, dirfid, 4);
  put_str(&m, name);
  put(&m, dir ? 0x200 : 0, 4); /* AT_REMOVEDIR */
  return call(p, &m, &r, Runlinkat);
}

int p9_renameat(struct p9 *p, u32 olddir, const char *oldname, u32 newdir, const char *newname) {
  struct msg m = start(p, Trenameat), r;
  put(&m, olddir, 4);
  put_str(&m, oldname);
  put(&m, newdir, 4);
  put_str(&m, newname);
  return call(p, &m, &r, Rrenameat);
}

int p9_fsync(struct p9 *p, u32 fid, int datasync) {
  struct msg m = start(p, Tfsync), r;
  put(&m, fid, 4);
  put(&m, datasync ? 1 : 0, 4);
  return call(p, &m, &r, Rfsync);
}

int p9_readdir(struct p9 *p, u32 fid, u64 offset, struct p9_dirent *out, int max) {
  struct msg m = start(p, Treaddir), r;
  put(&m, fid, 4);
  put(&m, offset, 8);
  put(&m, P9_IOUNIT, 4);
  int err = call(p, &m, &r, Rreaddir);
  if (err) return err;
  u32 count = (u32)get(&r, 4);
  u32 end = r.pos + count;
  int n = 0;
  while (r.pos < end && n < max) {
    struct p9_dirent *d = &out[n++];
    get_qid(&r, &d->qid);
    d->offset = get(&r, 8);
    d->type = (u8)get(&r, 1);
    u32 len = (u32)get(&r, 2);
    u32 keep = len < sizeof d->name - 1 ? len : (u32)sizeof d->name - 1;
    memcpy(d->name, r.buf + r.pos, keep);
    d->name[keep] = 0;
    r.pos += len;
  }
  return n;
}

int p9_symlink(struct p9 *p, u32 dirfid, const char *name, const char *target) {
  struct msg m = start(p, Tsymlink), r;
  put(&m, dirfid, 4);
  put_str(&m, name);
  put_str(&m, target);
  put(&m, 0, 4);
  return call(p, &m, &r, Rsymlink);
}

int p9_readlink(struct p9 *p, u32 fid, char *out, u32 cap, u32 *len) {
  struct msg m = start(p, Treadlink), r;
  put(&m, fid, 4);
  int err = call(p, &m, &r, Rreadlink);
  if (err) return err;
  u32 n = (u32)get(&r, 2);
  *len = n < cap ? n : cap;
  memcpy(out, r.buf + r.pos, *len);
  return 0;
}

int p9_link(struct p9 *p, u32 dirfid, u32 fid, const char *name) {
  struct msg m = start(p, Tlink), r;
  put(&m, dirfid, 4);
  put(&m, fid, 4);
  put_str(&m, name);
  return call(p, &m, &r, Rlink);
}

int p9_settimes(struct p9 *p, u32 fid, int amode, u64 atime_ns, int mmode, u64 mtime_ns) {
  /* P9_SETATTR_ATIME 0x10, MTIME 0x20, ATIME_SET 0x80, MTIME_SET 0x100 */
  u32 valid = (amode ? 0x10 : 0) | (amode == 2 ? 0x80 : 0) | (mmode ? 0x20 : 0) |
              (mmode == 2 ? 0x100 : 0);
  struct msg m = start(p, Tsetattr), r;
  put(&m, fid, 4);
  put(&m, valid, 4);
  put(&m, 0, 4), put(&m, 0, 4), put(&m, 0, 4);
  put(&m, 0, 8);
  put(&m, atime_ns / 1000000000UL, 8), put(&m, atime_ns % 1000000000UL, 8);
  put(&m, mtime_ns / 1000000000UL, 8), put(&m, mtime_ns % 1000000000UL, 8);
  return call(p, &m, &r, Rsetattr);
}
