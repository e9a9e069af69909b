/* wasifs.c: WASI's descriptor table and the fd_* and path_* calls on it.
 *
 * fds 0, 1 and 2 are stdio entries from the start (the console is wasi.c's); the others are
 * files and directories of the host directories shared with `--dir` (virtio-9p, one device
 * per directory, mount tag "osb<N>"). Each fd_* call finds the entry and goes to its kind's
 * operations (struct fd_ops), so stdio needs no special case outside the kinds table.
 *
 * Paths are resolved here, lexically, against the descriptor's own path: "." and ".." are
 * applied, and a path that would leave the preopened directory (too many "..", or absolute)
 * is refused with EPERM (wasmtime's answer) before anything is sent to the host. */
#include "wasifs.h"

struct wasifs wasifs;

/* Linux errno from the 9P server → WASI errno. */
static int errno_of(int linux_err) {
  switch (-linux_err) {
  case 1: return E_PERM;
  case 2: return E_NOENT;
  case 9: return E_BADF;
  case 13: return E_ACCES;
  case 17: return E_EXIST;
  case 18: return E_XDEV;
  case 20: return E_NOTDIR;
  case 21: return E_ISDIR;
  case 22: return E_INVAL;
  case 28: return E_NOSPC;
  case 36: return E_NAMETOOLONG;
  case 39: return E_NOTEMPTY;
  case 40: return E_LOOP;
  default: return E_IO;
  }
}

/* The open descriptor fd, of any kind, or NULL. */
static struct wfd *fd_entry(u32 fd) {
  return fd < MAX_FDS && wasifs.fds[fd].kind != FD_FREE ? &wasifs.fds[fd] : NULL;
}

static struct p9 *mount_of(struct wfd *f) { return &wasifs.mounts[f->mount]; }

/* A free entry, cleared, or NULL when the table is full. */
static struct wfd *alloc_fd(u8 kind, u32 *out) {
  for (u32 fd = 0; fd < MAX_FDS; fd++) {
    struct wfd *f = &wasifs.fds[fd];
    if (f->kind != FD_FREE) continue;
    memset(f, 0, sizeof *f);
    f->kind = kind;
    *out = fd;
    return f;
  }
  return NULL;
}

/* --- preopens --------------------------------------------------------------------------- */

static struct virtio_dev next_9p_device(u64 *after) {
  struct virtio_dev d = {0};
  for (u64 i = *after; i < VIRTIO_MMIO_COUNT; i++) {
    u64 base = VIRTIO_MMIO_BASE + i * 0x1000;
    volatile u32 *r = (volatile u32 *)base;
    if (r[0] == 0x74726976 && r[2] == VIRTIO_ID_9P) {
      *after = i + 1;
      struct virtio_dev probe = {0};
      probe.base = base;
      return probe;
    }
  }
  *after = VIRTIO_MMIO_COUNT;
  return d;
}

/* `dir NAME` in the script: the next virtio-9p device becomes a preopened directory. QEMU
 * numbers virtio-mmio transports from the top, so devices are matched by mount tag. */
int wasifs_preopen(const char *name, u64 len) {
  u32 n = wasifs.nmounts;
  if (n >= MAX_MOUNTS || len >= sizeof wasifs.fds[0].preopen) return -1;
  char tag[8] = {'o', 's', 'b', (char)('0' + n), 0};
  for (u64 after = 0;;) {
    struct virtio_dev d = next_9p_device(&after);
    if (!d.base) return -1;
    /* config: tag_len[2] tag[tag_len] */
    volatile u8 *cfg = (volatile u8 *)(d.base + 0x100);
    u32 tlen = cfg[0] | (cfg[1] << 8);
    int match = tlen == strlen(tag);
    for (u32 i = 0; match && i < tlen; i++) match = cfg[2 + i] == (u8)tag[i];
    if (!match) continue;
    if (virtio_find_at(&d, d.base, VIRTIO_ID_9P) < 0) return -1;
    u32 root;
    if (p9_mount(&wasifs.mounts[n], d, &root) < 0) return -1;
    wasifs.roots[n] = root;
    break;
  }
  wasifs.nmounts++;
  u32 fd;
  struct wfd *f = alloc_fd(FD_DIR, &fd);
  if (!f) return -1;
  f->mount = (u8)n;
  f->fid = wasifs.roots[n];
  memcpy(f->preopen, name, len);
  f->preopen[len] = 0;
  f->rights_base = f->rights_inh = ~0UL;
  return 0;
}

/* --- paths ------------------------------------------------------------------------------ */

struct resolved { char buf[1024]; const char *comps[64]; u32 n; };

/* Lexically resolve `path` against the directory fd f into components below the mount. */
static int resolve(struct wfd *f, const u8 *path, u32 len, struct resolved *r) {
  u64 base = strlen(f->path);
  if (base + 1 + len + 1 > sizeof r->buf) return E_NAMETOOLONG;
  for (u32 i = 0; i < len; i++)
    if (path[i] == 0) return E_INVAL;
  if (len && path[0] == '/') return E_PERM; /* as wasmtime: EPERM, not ENOTCAPABLE */
  memcpy(r->buf, f->path, base);
  r->buf[base] = '/';
  memcpy(r->buf + base + 1, path, len);
  r->buf[base + 1 + len] = 0;
  r->n = 0;
  for (char *p = r->buf; *p;) {
    char *c = p;
    while (*p && *p != '/') p++;
    if (*p) *p++ = 0;
    if (*c == 0 || strcmp(c, ".") == 0) continue;
    if (strcmp(c, "..") == 0) {
      if (r->n == 0) return E_PERM;
      r->n--;
      continue;
    }
    if (r->n == 64) return E_NAMETOOLONG;
    r->comps[r->n++] = c;
  }
  return 0;
}

/* A new fid for components [0, n) below the mount root. */
static int walk(struct wfd *f, const char *const *comps, u32 n, u32 *fid) {
  struct p9 *p = mount_of(f);
  u32 from = wasifs.roots[f->mount];
  *fid = p9_fid(p);
  u32 done = 0;
  int err = 0;
  do { /* 9P walks at most 16 names per message */
    u32 k = n - done > 16 ? 16 : n - done;
    err = p9_walk(p, done ? *fid : from, *fid, comps + done, k);
    done += k;
  } while (!err && done < n);
  if (err && done > 16) p9_clunk(p, *fid);
  return err ? errno_of(err) : 0;
}

static void join(struct resolved *r, u32 n, char *out, u64 cap) {
  u64 pos = 0;
  out[0] = 0;
  for (u32 i = 0; i < n; i++) {
    u64 l = strlen(r->comps[i]);
    if (pos + l + 2 > cap) return;
    if (i) out[pos++] = '/';
    memcpy(out + pos, r->comps[i], l);
    pos += l;
    out[pos] = 0;
  }
}

static int filetype(u32 mode) {
  switch (mode & 0170000) {
  case 0040000: return FT_DIR;
  case 0100000: return FT_FILE;
  case 0120000: return FT_SYMLINK;
  case 0020000: return FT_CHAR;
  case 0060000: return FT_BLOCK;
  case 0140000: return FT_STREAM;
  default: return FT_UNKNOWN;
  }
}

/* Parse (dirfd, path ptr, path len) arguments: the directory and the resolved components.
 * A descriptor that is not on a mount (stdio) is not a directory fd at all: E_BADF. */
static int dir_path(u64 v, u32 dirfd, u64 ptr, u64 len, struct wfd **dir, struct resolved *r) {
  *dir = fd_entry(dirfd);
  if (!*dir || ((*dir)->kind != FD_DIR && (*dir)->kind != FD_FILE)) return E_BADF;
  if ((*dir)->kind != FD_DIR) return E_NOTDIR;
  const u8 *path = user_mem(v, ptr, len);
  if (!path) return E_FAULT;
  return resolve(*dir, path, (u32)len, r);
}

/* For the calls on (parent directory, last name): a walked fid of the parent. */
struct parent { struct wfd *dir; struct resolved r; const char *name; u32 fid; };

static int on_parent(u64 v, u32 dirfd, u64 ptr, u64 len, struct parent *p) {
  int e = dir_path(v, dirfd, ptr, len, &p->dir, &p->r);
  if (e) return e;
  if (p->r.n == 0) return E_EXIST; /* the directory itself */
  p->name = p->r.comps[p->r.n - 1];
  return walk(p->dir, p->r.comps, p->r.n - 1, &p->fid);
}

/* Clunk the parent's fid; the answer is the 9P result err. */
static int parent_done(struct parent *p, int err) {
  p9_clunk(mount_of(p->dir), p->fid);
  return err ? errno_of(err) : 0;
}

/* --- operations of files and directories (struct fd_ops) -------------------------------- */

/* Read or write through the iovecs at `offset`; returns the byte count or -errno. */
static i64 transfer(u64 v, struct wfd *f, u64 iovs_ptr, u32 n, u64 offset, int write) {
  if (f->kind != FD_FILE) return -E_BADF; /* a directory has no read/write rights */
  u8 *iovs = user_mem(v, iovs_ptr, 8UL * n);
  if (!iovs) return -E_FAULT;
  struct p9 *p = mount_of(f);
  u8 *bounce = wasifs.bounce;
  i64 total = 0;
  for (u32 i = 0; i < n; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = user_mem(v, get32(iovs + 8 * i), len);
    if (!data) return -E_FAULT;
    for (u32 done = 0; done < len;) {
      u32 chunk = len - done > P9_IOUNIT ? P9_IOUNIT : len - done;
      i64 got;
      if (write) {
        memcpy(bounce, data + done, chunk);
        got = p9_write(p, f->fid, offset + total, bounce, chunk);
      } else {
        got = p9_read(p, f->fid, offset + total, bounce, chunk);
        if (got > 0) memcpy(data + done, bounce, (u64)got);
      }
      if (got < 0) return total ? total : -errno_of((int)got);
      total += got;
      done += (u32)got;
      if ((u32)got < chunk) return total; /* end of file or short write */
    }
  }
  return total;
}

static int file_size(struct wfd *f, u64 *size) {
  struct p9_attr attr;
  int err = p9_getattr(mount_of(f), f->fid, &attr);
  *size = attr.size;
  return err ? errno_of(err) : 0;
}

/* fd_read/fd_write(fd, iovs, iovs_len, n) and fd_pread/fd_pwrite(fd, iovs, iovs_len,
 * offset, n): files and directories (which answer E_BADF once the pointers are checked). */
static int fs_rw(u64 v, struct wfd *f, u64 *slots, int write, int positioned) {
  u64 offset = positioned ? ARG(3) : f->offset;
  u8 *out = user_mem(v, (u32)(positioned ? ARG(4) : ARG(3)), 4);
  if (!out) return E_FAULT;
  if (write && !positioned && (f->fdflags & FDFLAG_APPEND)) {
    int e = file_size(f, &offset);
    if (e) return e;
  }
  i64 n = transfer(v, f, (u32)ARG(1), (u32)ARG(2), offset, write);
  if (n < 0) return (int)-n;
  if (!positioned) f->offset = offset + (u64)n;
  put32(out, (u32)n);
  return 0;
}
static int fs_read(u64 v, struct wfd *f, u64 *slots) { return fs_rw(v, f, slots, 0, 0); }
static int fs_write(u64 v, struct wfd *f, u64 *slots) { return fs_rw(v, f, slots, 1, 0); }
static int fs_pread(u64 v, struct wfd *f, u64 *slots) { return fs_rw(v, f, slots, 0, 1); }
static int fs_pwrite(u64 v, struct wfd *f, u64 *slots) { return fs_rw(v, f, slots, 1, 1); }

/* fd_seek(fd, offset, whence, newoffset) */
static int file_seek(u64 v, struct wfd *f, u64 *slots) {
  u8 *out = user_mem(v, (u32)ARG(3), 8);
  if (!out) return E_FAULT;
  i64 base = 0;
  u32 whence = (u32)ARG(2);
  if (whence == 1) {
    base = (i64)f->offset;
  } else if (whence == 2) {
    u64 size;
    int e = file_size(f, &size);
    if (e) return e;
    base = (i64)size;
  } else if (whence != 0) {
    return E_INVAL;
  }
  i64 pos = base + (i64)ARG(1);
  if (pos < 0) return E_INVAL;
  f->offset = (u64)pos;
  put64(out, f->offset);
  return 0;
}

/* fd_tell(fd, offset) */
static int file_tell(u64 v, struct wfd *f, u64 *slots) {
  u8 *out = user_mem(v, (u32)ARG(1), 8);
  if (!out) return E_FAULT;
  put64(out, f->offset);
  return 0;
}

static int fs_close(u64 v, struct wfd *f, u64 *slots) {
  (void)v, (void)slots;
  struct p9 *p = mount_of(f);
  if (f->fid != wasifs.roots[f->mount]) p9_clunk(p, f->fid);
  if (f->dir_open) p9_clunk(p, f->dir_open);
  f->kind = FD_FREE;
  return 0;
}

static void fill_filestat(u8 *st, const struct p9_attr *attr) {
  memset(st, 0, 64);
  put64(st + 8, attr->qid.path);
  st[16] = (u8)filetype(attr->mode);
  put64(st + 24, attr->nlink);
  put64(st + 32, attr->size);
  put64(st + 40, attr->atime_ns);
  put64(st + 48, attr->mtime_ns);
  put64(st + 56, attr->ctime_ns);
}

/* fd_filestat_get(fd, filestat) */
static int fs_filestat(u64 v, struct wfd *f, u64 *slots) {
  u8 *st = user_mem(v, (u32)ARG(1), 64);
  if (!st) return E_FAULT;
  struct p9_attr attr;
  int err = p9_getattr(mount_of(f), f->fid, &attr);
  if (err) return errno_of(err);
  fill_filestat(st, &attr);
  return 0;
}

/* fd_filestat_set_size(fd, size) */
static int file_set_size(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  int err = p9_truncate(mount_of(f), f->fid, ARG(1));
  return err ? errno_of(err) : 0;
}

static int file_sync(u64 v, struct wfd *f, u64 *slots) {
  (void)v, (void)slots;
  int err = p9_fsync(mount_of(f), f->fid);
  return err ? errno_of(err) : 0;
}

/* fst_flags: ATIM, ATIM_NOW, MTIM, MTIM_NOW */
static int set_times(struct p9 *p, u32 fid, u64 atim, u64 mtim, u32 fl) {
  if (((fl & FSTFLAG_ATIM) && (fl & FSTFLAG_ATIM_NOW)) ||
      ((fl & FSTFLAG_MTIM) && (fl & FSTFLAG_MTIM_NOW)))
    return E_INVAL;
  int amode = fl & FSTFLAG_ATIM_NOW ? 1 : fl & FSTFLAG_ATIM ? 2 : 0;
  int mmode = fl & FSTFLAG_MTIM_NOW ? 1 : fl & FSTFLAG_MTIM ? 2 : 0;
  int err = p9_settimes(p, fid, amode, atim, mmode, mtim);
  return err ? errno_of(err) : 0;
}

/* fd_filestat_set_times(fd, atim, mtim, fst_flags) */
static int fs_set_times(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  return set_times(mount_of(f), f->fid, ARG(1), ARG(2), (u32)ARG(3));
}

/* fd_fdstat_set_flags(fd, flags) */
static int fs_set_flags(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  f->fdflags = (u16)ARG(1);
  return 0;
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused): dirent = d_next[8] d_ino[8] d_namlen[4]
 * d_type[1] pad[3] name. Cookies are the 9P directory offsets. */
static int dir_readdir(u64 v, struct wfd *f, u64 *slots) {
  u32 cap = (u32)ARG(2);
  u8 *buf = user_mem(v, (u32)ARG(1), cap), *used = user_mem(v, (u32)ARG(4), 4);
  if (!buf || !used) return E_FAULT;
  struct p9 *p = mount_of(f);
  if (!f->dir_open) {
    u32 fid = p9_fid(p);
    int err = p9_walk(p, f->fid, fid, NULL, 0);
    if (!err) err = p9_lopen(p, fid, 0200000);
    if (err) return errno_of(err);
    f->dir_open = fid;
  }
  u64 cookie = ARG(3);
  u32 pos = 0;
  struct p9_dirent ents[8];
  while (pos < cap) {
    int n = p9_readdir(p, f->dir_open, cookie, ents, 8);
    if (n < 0) return errno_of(n);
    if (n == 0) break;
    for (int i = 0; i < n && pos < cap; i++) {
      u8 head[24];
      u32 nl = (u32)strlen(ents[i].name);
      put64(head, ents[i].offset);
      put64(head + 8, ents[i].qid.path);
      put32(head + 16, nl);
      head[20] = ents[i].type == 4 ? FT_DIR : ents[i].type == 8 ? FT_FILE
                 : ents[i].type == 10 ? FT_SYMLINK : FT_UNKNOWN;
      head[21] = head[22] = head[23] = 0;
      u32 take = cap - pos < 24 ? cap - pos : 24;
      memcpy(buf + pos, head, take);
      pos += take;
      take = cap - pos < nl ? cap - pos : nl;
      memcpy(buf + pos, ents[i].name, take);
      pos += take;
      cookie = ents[i].offset;
    }
  }
  put32(used, pos);
  return 0;
}

/* --- the kinds -------------------------------------------------------------------------- */

/* Operations that only answer: the errno is the kind's whole behaviour for that call. */
#define ANSWER(name, err)                                   \
  static int name(u64 v, struct wfd *f, u64 *slots) {       \
    (void)v, (void)f, (void)slots;                          \
    return err;                                             \
  }
ANSWER(ok, E_SUCCESS)
ANSWER(bad_fd, E_BADF)
ANSWER(invalid, E_INVAL)
ANSWER(is_dir, E_ISDIR)
ANSWER(not_dir, E_NOTDIR)
ANSWER(not_sup, E_NOTSUP)
ANSWER(pipe, E_SPIPE)
#undef ANSWER

/* stdio's fd_filestat_get: all zero but the filetype. */
static int stream_filestat(u64 v, struct wfd *f, u64 *slots) {
  u8 *st = user_mem(v, (u32)ARG(1), 64);
  if (!st) return E_FAULT;
  memset(st, 0, 64);
  st[16] = console_filetype(f);
  return 0;
}

static u8 file_type(const struct wfd *f) { (void)f; return FT_FILE; }
static u8 dir_type(const struct wfd *f) { (void)f; return FT_DIR; }

/* stdio cannot seek, be closed (fd_close succeeds and leaves it open), renumbered or
 * resized; fd_fdstat_set_flags is accepted without effect. */
static const struct fd_ops stdin_ops = {
  .read = console_read, .write = bad_fd, .pread = pipe, .pwrite = pipe, .seek = pipe,
  .tell = pipe, .close = ok, .filestat = stream_filestat, .set_size = invalid,
  .set_times = not_sup, .set_flags = ok, .sync = invalid, .readdir = not_dir,
  .allocate = invalid, .filetype = console_filetype, .fixed = 1,
};
static const struct fd_ops console_out_ops = {
  .read = bad_fd, .write = console_write, .pread = pipe, .pwrite = pipe, .seek = pipe,
  .tell = pipe, .close = ok, .filestat = stream_filestat, .set_size = invalid,
  .set_times = not_sup, .set_flags = ok, .sync = invalid, .readdir = not_dir,
  .allocate = invalid, .filetype = console_filetype, .fixed = 1,
};
static const struct fd_ops file_ops = {
  .read = fs_read, .write = fs_write, .pread = fs_pread, .pwrite = fs_pwrite,
  .seek = file_seek, .tell = file_tell, .close = fs_close, .filestat = fs_filestat,
  .set_size = file_set_size, .set_times = fs_set_times, .set_flags = fs_set_flags,
  .sync = file_sync, .readdir = not_dir, .allocate = bad_fd, .filetype = file_type,
};
static const struct fd_ops dir_ops = {
  .read = fs_read, .write = fs_write, .pread = fs_pread, .pwrite = fs_pwrite,
  .seek = is_dir, .tell = is_dir, .close = fs_close, .filestat = fs_filestat,
  .set_size = is_dir, .set_times = fs_set_times, .set_flags = fs_set_flags, .sync = ok,
  .readdir = dir_readdir, .allocate = bad_fd, .filetype = dir_type,
};

static const struct fd_ops *ops_of(const struct wfd *f) {
  static const struct fd_ops *const kinds[FD_KINDS] = {
    [FD_STDIN] = &stdin_ops, [FD_STDOUT] = &console_out_ops, [FD_STDERR] = &console_out_ops,
    [FD_DIR] = &dir_ops, [FD_FILE] = &file_ops,
  };
  return kinds[f->kind];
}

/* --- the fd_* calls (argument order as in wasi_snapshot_preview1) ------------------------ */

/* The calls answered by the descriptor's kind: E_BADF for a descriptor that is not open. */
#define FD_CALL(call, op)                                   \
  int call(struct store *s, u64 v, u64 *slots) {            \
    (void)s;                                                \
    struct wfd *f = fd_entry((u32)ARG(0));                  \
    return RET(f ? ops_of(f)->op(v, f, slots) : E_BADF);    \
  }
FD_CALL(fd_read, read)
FD_CALL(fd_write, write)
FD_CALL(fd_pread, pread)
FD_CALL(fd_pwrite, pwrite)
FD_CALL(fd_seek, seek)
FD_CALL(fd_tell, tell)
FD_CALL(fd_close, close)
FD_CALL(fd_filestat_get, filestat)
FD_CALL(fd_filestat_set_size, set_size)
FD_CALL(fd_filestat_set_times, set_times)
FD_CALL(fd_fdstat_set_flags, set_flags)
FD_CALL(fd_sync, sync)
FD_CALL(fd_readdir, readdir)
FD_CALL(fd_allocate, allocate)
#undef FD_CALL

/* fd_advise, fd_fdstat_set_rights: accepted without effect on any open descriptor. */
int fd_ignored(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(fd_entry((u32)ARG(0)) ? E_SUCCESS : E_BADF);
}

/* fd_fdstat_get(fd, fdstat): fdstat = filetype[1] pad[1] flags[2] pad[4] rights_base[8]
 * rights_inheriting[8]. */
int fd_fdstat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *st = user_mem(v, (u32)ARG(1), 24);
  if (!st) return RET(E_FAULT);
  struct wfd *f = fd_entry((u32)ARG(0));
  if (!f) return RET(E_BADF);
  memset(st, 0, 24);
  st[0] = ops_of(f)->filetype(f);
  memcpy(st + 2, &f->fdflags, 2);
  put64(st + 8, f->rights_base);
  put64(st + 16, f->rights_inh);
  return RET(E_SUCCESS);
}

/* fd_prestat_get(fd, prestat) and fd_prestat_dir_name(fd, path, path_len): preopens only. */
static struct wfd *preopen(u32 fd) {
  struct wfd *f = fd_entry(fd);
  return f && f->preopen[0] ? f : NULL;
}

int fd_prestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *f = preopen((u32)ARG(0));
  if (!f) return RET(E_BADF);
  u8 *out = user_mem(v, (u32)ARG(1), 8);
  if (!out) return RET(E_FAULT);
  memset(out, 0, 8);
  put32(out + 4, (u32)strlen(f->preopen));
  return RET(E_SUCCESS);
}

int fd_prestat_dir_name(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *f = preopen((u32)ARG(0));
  if (!f) return RET(E_BADF);
  u64 len = strlen(f->preopen);
  if (ARG(2) < len) return RET(E_NAMETOOLONG);
  u8 *out = user_mem(v, (u32)ARG(1), len);
  if (!out) return RET(E_FAULT);
  memcpy(out, f->preopen, len);
  return RET(E_SUCCESS);
}

/* fd_renumber(from, to): stdio stays where it is (E_NOTSUP whichever side it is on). */
int fd_renumber(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *from = fd_entry((u32)ARG(0)), *to = fd_entry((u32)ARG(1));
  if ((from && ops_of(from)->fixed) || (to && ops_of(to)->fixed)) return RET(E_NOTSUP);
  if (!from || !to) return RET(E_BADF);
  if (from != to) {
    ops_of(to)->close(v, to, slots);
    *to = *from;
    from->kind = FD_FREE;
  }
  return RET(E_SUCCESS);
}

/* --- the path_* calls ------------------------------------------------------------------- */

/* path_open(dirfd, dirflags, path, path_len, oflags, rights_base, rights_inheriting,
 * fdflags, fd) */
int path_open(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), &dir, &r);
  if (e) return RET(e);
  u32 oflags = (u32)ARG(4), fdflags = (u32)ARG(7);
  u64 rights = ARG(5);
  u8 *out = user_mem(v, (u32)ARG(8), 4);
  if (!out) return RET(E_FAULT);
  int rd = (rights & RIGHT_FD_READ) != 0, wr = (rights & RIGHT_FD_WRITE) != 0;
  u32 flags = wr ? (rd ? 2 : 1) : 0;
  if (oflags & OFLAG_TRUNC) flags |= 01000;
  if (fdflags & FDFLAG_APPEND) flags |= 02000;
  struct p9 *p = mount_of(dir);
  u32 fid;
  struct p9_attr attr;
  e = walk(dir, r.comps, r.n, &fid);
  if (e == E_NOENT && (oflags & OFLAG_CREAT) && r.n > 0) {
    e = walk(dir, r.comps, r.n - 1, &fid);
    if (e) return RET(e);
    int err = p9_lcreate(p, fid, r.comps[r.n - 1], flags | 0100 | 0200, 0644);
    if (err) {
      p9_clunk(p, fid);
      return RET(errno_of(err));
    }
    attr.mode = 0100644;
  } else {
    if (e) return RET(e);
    if ((oflags & OFLAG_CREAT) && (oflags & OFLAG_EXCL)) {
      p9_clunk(p, fid);
      return RET(E_EXIST);
    }
    int err = p9_getattr(p, fid, &attr);
    if (!err && filetype(attr.mode) == FT_DIR) {
      if (wr || (oflags & OFLAG_TRUNC)) err = -21;
    } else if (!err && (oflags & OFLAG_DIRECTORY)) {
      err = -20;
    } else if (!err) {
      err = p9_lopen(p, fid, flags);
    }
    if (err) {
      p9_clunk(p, fid);
      return RET(errno_of(err));
    }
  }
  u32 fd;
  struct wfd *f = alloc_fd(filetype(attr.mode) == FT_DIR ? FD_DIR : FD_FILE, &fd);
  if (!f) {
    p9_clunk(p, fid);
    return RET(E_MFILE);
  }
  f->mount = dir->mount;
  f->fid = fid;
  f->fdflags = (u16)fdflags;
  f->rights_base = rights;
  f->rights_inh = ARG(6);
  join(&r, r.n, f->path, sizeof f->path);
  put32(out, fd);
  return RET(E_SUCCESS);
}

/* path_filestat_get(dirfd, flags, path, path_len, filestat) */
int path_filestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), &dir, &r);
  if (e) return RET(e);
  u8 *st = user_mem(v, (u32)ARG(4), 64);
  if (!st) return RET(E_FAULT);
  u32 fid;
  if ((e = walk(dir, r.comps, r.n, &fid))) return RET(e);
  struct p9_attr attr;
  int err = p9_getattr(mount_of(dir), fid, &attr);
  p9_clunk(mount_of(dir), fid);
  if (err) return RET(errno_of(err));
  fill_filestat(st, &attr);
  return RET(E_SUCCESS);
}

/* path_filestat_set_times(dirfd, flags, path, path_len, atim, mtim, fst_flags) */
int path_filestat_set_times(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), &dir, &r);
  if (e) return RET(e);
  u32 fid;
  if ((e = walk(dir, r.comps, r.n, &fid))) return RET(e);
  e = set_times(mount_of(dir), fid, ARG(4), ARG(5), (u32)ARG(6));
  p9_clunk(mount_of(dir), fid);
  return RET(e);
}

/* path_create_directory(dirfd, path, path_len) */
int path_create_directory(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct parent p;
  int e = on_parent(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), &p);
  return RET(e ? e : parent_done(&p, p9_mkdir(mount_of(p.dir), p.fid, p.name)));
}

/* path_remove_directory / path_unlink_file(dirfd, path, path_len); naming the directory
 * itself answers E_BADF / E_ISDIR. */
static int remove_at(u64 v, u64 *slots, int rmdir) {
  struct parent p;
  int e = on_parent(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), &p);
  if (e == E_EXIST) return rmdir ? E_BADF : E_ISDIR;
  return e ? e : parent_done(&p, p9_unlinkat(mount_of(p.dir), p.fid, p.name, rmdir));
}

int path_remove_directory(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(remove_at(v, slots, 1));
}

int path_unlink_file(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(remove_at(v, slots, 0));
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len) */
int path_rename(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct parent p1, p2;
  int e = on_parent(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), &p1);
  if (e) return RET(e);
  e = on_parent(v, (u32)ARG(3), (u32)ARG(4), (u32)ARG(5), &p2);
  if (e) {
    parent_done(&p1, 0);
    return RET(e);
  }
  struct p9 *m = mount_of(p1.dir);
  int err = p1.dir->mount != p2.dir->mount ? -18 : p9_renameat(m, p1.fid, p1.name, p2.fid, p2.name);
  parent_done(&p1, 0);
  return RET(parent_done(&p2, err));
}

/* path_symlink(old_path, old_len, fd, new_path, new_len): the target is stored as given. */
int path_symlink(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 len = (u32)ARG(1);
  const u8 *target = user_mem(v, (u32)ARG(0), len);
  if (!target) return RET(E_FAULT);
  if (len && target[0] == '/') return RET(E_PERM); /* would point outside the preopen */
  char tgt[512];
  if (len >= sizeof tgt) return RET(E_NAMETOOLONG);
  memcpy(tgt, target, len);
  tgt[len] = 0;
  struct parent p;
  int e = on_parent(v, (u32)ARG(2), (u32)ARG(3), (u32)ARG(4), &p);
  return RET(e ? e : parent_done(&p, p9_symlink(mount_of(p.dir), p.fid, p.name, tgt)));
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused) */
int path_readlink(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), &dir, &r);
  if (e) return RET(e);
  u32 cap = (u32)ARG(4);
  u8 *buf = user_mem(v, (u32)ARG(3), cap), *used = user_mem(v, (u32)ARG(5), 4);
  if (!buf || !used) return RET(E_FAULT);
  u32 fid, len = 0;
  if ((e = walk(dir, r.comps, r.n, &fid))) return RET(e);
  char tmp[512];
  int err = p9_readlink(mount_of(dir), fid, tmp, sizeof tmp, &len);
  p9_clunk(mount_of(dir), fid);
  if (err) return RET(errno_of(err));
  if (len > cap) len = cap;
  memcpy(buf, tmp, len);
  put32(used, len);
  return RET(E_SUCCESS);
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
int path_link(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *d1;
  struct resolved r1;
  int e = dir_path(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), &d1, &r1);
  if (e) return RET(e);
  u32 target;
  if ((e = walk(d1, r1.comps, r1.n, &target))) return RET(e);
  struct parent p;
  e = on_parent(v, (u32)ARG(4), (u32)ARG(5), (u32)ARG(6), &p);
  if (e) {
    p9_clunk(mount_of(d1), target);
    return RET(e);
  }
  int err = d1->mount != p.dir->mount ? -18 : p9_link(mount_of(p.dir), p.fid, target, p.name);
  p9_clunk(mount_of(d1), target);
  return RET(parent_done(&p, err));
}

/* The table starts with stdio: like wasmtime's, stdin may only be read and stdout/stderr
 * only written, with no seek/tell rights. */
int wasifs_init(void) {
  static const u8 stdio[3] = {FD_STDIN, FD_STDOUT, FD_STDERR};
  for (u32 fd = 0; fd < 3; fd++) {
    struct wfd *f = &wasifs.fds[fd];
    memset(f, 0, sizeof *f);
    f->kind = stdio[fd];
    f->rights_base = (fd == 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE) | RIGHT_FD_FDSTAT_SET_FLAGS |
                     RIGHT_POLL_FD_READWRITE;
  }
  wasifs.bounce = kalloc();
  return wasifs.bounce ? 0 : -1;
}
