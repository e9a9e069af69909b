/* wasifs.c: WASI files and directories on the host directories shared with `--dir`
 * (virtio-9p, one device per directory, mount tag "osb<N>"). Paths are resolved here,
 * lexically, against the descriptor's own path: "." and ".." are applied, and a path that
 * would leave the preopened directory (too many "..", or absolute) is refused with EPERM
 * (wasmtime's answer) before anything is sent to the host. */
#include "p9.h"
#include "store.h"
#include "wasifs.h"

enum {
  E_ACCES = 2, E_BADF = 8, E_EXIST = 20, E_FAULT = 21, E_INVAL = 28, E_IO = 29, E_ISDIR = 31,
  E_LOOP = 32, E_NAMETOOLONG = 37, E_NOENT = 44, E_NOSPC = 51, E_NOTDIR = 54,
  E_NOTEMPTY = 55, E_NOTSUP = 58, E_PERM = 63, E_SPIPE = 70, E_XDEV = 75, E_NOTCAPABLE = 76,
  E_MFILE = 33,
};
enum { FT_UNKNOWN, FT_BLOCK, FT_CHAR, FT_DIR, FT_FILE, FT_DGRAM, FT_STREAM, FT_SYMLINK };
#define RIGHT_FD_READ (1UL << 1)
#define RIGHT_FD_WRITE (1UL << 6)
#define OFLAG_CREAT 1
#define OFLAG_DIRECTORY 2
#define OFLAG_EXCL 4
#define OFLAG_TRUNC 8
#define FDFLAG_APPEND 1

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

static u8 *umem(u64 vmctx, u64 ptr, u64 len) {
  struct memory *m = vmctx_memory(vmctx);
  if (!m || (u32)ptr != ptr || ptr + len > m->pages * WASM_PAGE) return NULL;
  return (u8 *)(m->base + ptr);
}
static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }
static u32 get32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }

struct wfd *wasifs_fd(u32 fd) {
  return fd < MAX_FDS && wasifs.fds[fd].used && wasifs.fds[fd].kind != FD_STDIO
             ? &wasifs.fds[fd] : NULL;
}

static struct p9 *mount_of(struct wfd *f) { return &wasifs.mounts[f->mount]; }

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
  for (u32 fd = 3; fd < MAX_FDS; fd++) {
    struct wfd *f = &wasifs.fds[fd];
    if (f->used) continue;
    memset(f, 0, sizeof *f);
    f->used = 1;
    f->kind = FD_DIR;
    f->mount = (u8)n;
    f->fid = wasifs.roots[n];
    f->path[0] = 0;
    memcpy(f->preopen, name, len);
    f->preopen[len] = 0;
    f->rights_base = f->rights_inh = ~0UL;
    return 0;
  }
  return -1;
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

static struct wfd *alloc_fd(u32 *out) {
  for (u32 fd = 3; fd < MAX_FDS; fd++) {
    if (!wasifs.fds[fd].used) {
      memset(&wasifs.fds[fd], 0, sizeof wasifs.fds[fd]);
      wasifs.fds[fd].used = 1;
      *out = fd;
      return &wasifs.fds[fd];
    }
  }
  return NULL;
}

/* Parse (dirfd, path ptr, path len) arguments: the directory and the resolved components. */
static int dir_path(u64 v, u32 dirfd, u64 ptr, u64 len, struct wfd **dir, struct resolved *r) {
  *dir = wasifs_fd(dirfd);
  if (!*dir) return E_BADF;
  if ((*dir)->kind != FD_DIR) return E_NOTDIR;
  const u8 *path = umem(v, ptr, len);
  if (!path) return E_FAULT;
  return resolve(*dir, path, (u32)len, r);
}

/* --- the WASI calls (argument order as in wasi_snapshot_preview1) ------------------------ */

int wasifs_path_open(u64 v, u64 *a) {
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)a[0], (u32)a[2], (u32)a[3], &dir, &r);
  if (e) return e;
  u32 oflags = (u32)a[4], fdflags = (u32)a[7];
  u64 rights = a[5];
  u8 *out = umem(v, (u32)a[8], 4);
  if (!out) return E_FAULT;
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
    if (e) return e;
    int err = p9_lcreate(p, fid, r.comps[r.n - 1], flags | 0100 | 0200, 0644);
    if (err) {
      p9_clunk(p, fid);
      return errno_of(err);
    }
    attr.mode = 0100644;
  } else {
    if (e) return e;
    if ((oflags & OFLAG_CREAT) && (oflags & OFLAG_EXCL)) {
      p9_clunk(p, fid);
      return E_EXIST;
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
      return errno_of(err);
    }
  }
  u32 fd;
  struct wfd *f = alloc_fd(&fd);
  if (!f) {
    p9_clunk(p, fid);
    return E_MFILE;
  }
  f->kind = filetype(attr.mode) == FT_DIR ? FD_DIR : FD_FILE;
  f->mount = dir->mount;
  f->fid = fid;
  f->fdflags = (u16)fdflags;
  f->rights_base = rights;
  f->rights_inh = a[6];
  join(&r, r.n, f->path, sizeof f->path);
  put32(out, fd);
  return 0;
}

int wasifs_close(u32 fd) {
  struct wfd *f = wasifs_fd(fd);
  if (!f) return E_BADF;
  struct p9 *p = mount_of(f);
  if (f->fid != wasifs.roots[f->mount]) p9_clunk(p, f->fid);
  if (f->dir_open) p9_clunk(p, f->dir_open);
  f->used = 0;
  return 0;
}

/* Read or write through the iovecs at `offset`; returns the byte count or -errno. */
static i64 transfer(u64 v, struct wfd *f, u64 iovs_ptr, u32 n, u64 offset, int write) {
  if (f->kind != FD_FILE) return -E_BADF; /* a directory has no read/write rights */
  u8 *iovs = umem(v, iovs_ptr, 8UL * n);
  if (!iovs) return -E_FAULT;
  struct p9 *p = mount_of(f);
  u8 *bounce = wasifs.bounce;
  i64 total = 0;
  for (u32 i = 0; i < n; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = umem(v, get32(iovs + 8 * i), len);
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

int wasifs_rw(u64 v, u64 *a, int write, int positioned) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f) return E_BADF;
  u64 offset = positioned ? a[3] : f->offset;
  u8 *out = umem(v, (u32)(positioned ? a[4] : a[3]), 4);
  if (!out) return E_FAULT;
  if (write && !positioned && (f->fdflags & FDFLAG_APPEND)) {
    int e = file_size(f, &offset);
    if (e) return e;
  }
  i64 n = transfer(v, f, (u32)a[1], (u32)a[2], offset, write);
  if (n < 0) return (int)-n;
  if (!positioned) f->offset = offset + (u64)n;
  put32(out, (u32)n);
  return 0;
}

int wasifs_seek(u64 v, u64 *a, int tell) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f) return E_BADF;
  if (f->kind != FD_FILE) return E_ISDIR;
  u8 *out = umem(v, (u32)(tell ? a[1] : a[3]), 8);
  if (!out) return E_FAULT;
  if (!tell) {
    i64 base = 0;
    u32 whence = (u32)a[2];
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
    i64 pos = base + (i64)a[1];
    if (pos < 0) return E_INVAL;
    f->offset = (u64)pos;
  }
  put64(out, f->offset);
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

int wasifs_fd_filestat(u64 v, u64 *a) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f) return E_BADF;
  u8 *st = umem(v, (u32)a[1], 64);
  if (!st) return E_FAULT;
  struct p9_attr attr;
  int err = p9_getattr(mount_of(f), f->fid, &attr);
  if (err) return errno_of(err);
  fill_filestat(st, &attr);
  return 0;
}

int wasifs_path_filestat(u64 v, u64 *a) {
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)a[0], (u32)a[2], (u32)a[3], &dir, &r);
  if (e) return e;
  u8 *st = umem(v, (u32)a[4], 64);
  if (!st) return E_FAULT;
  u32 fid;
  if ((e = walk(dir, r.comps, r.n, &fid))) return e;
  struct p9_attr attr;
  int err = p9_getattr(mount_of(dir), fid, &attr);
  p9_clunk(mount_of(dir), fid);
  if (err) return errno_of(err);
  fill_filestat(st, &attr);
  return 0;
}

int wasifs_fdstat(u8 *st, u32 fd) {
  struct wfd *f = wasifs_fd(fd);
  if (!f) return E_BADF;
  memset(st, 0, 24);
  st[0] = f->kind == FD_DIR ? FT_DIR : FT_FILE;
  memcpy(st + 2, &f->fdflags, 2);
  put64(st + 8, f->rights_base);
  put64(st + 16, f->rights_inh);
  return 0;
}

int wasifs_prestat(u64 v, u64 *a, int name) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f || !f->preopen[0]) return E_BADF;
  u64 len = strlen(f->preopen);
  if (name) {
    if (a[2] < len) return E_NAMETOOLONG;
    u8 *out = umem(v, (u32)a[1], len);
    if (!out) return E_FAULT;
    memcpy(out, f->preopen, len);
    return 0;
  }
  u8 *out = umem(v, (u32)a[1], 8);
  if (!out) return E_FAULT;
  memset(out, 0, 8);
  put32(out + 4, (u32)len);
  return 0;
}

/* Operations on (parent directory, last name). */
static int on_parent(u64 v, u32 dirfd, u64 ptr, u64 len, u32 *fid, const char **name,
                     struct wfd **dir, struct resolved *r) {
  int e = dir_path(v, dirfd, ptr, len, dir, r);
  if (e) return e;
  if (r->n == 0) return E_EXIST; /* the directory itself */
  *name = r->comps[r->n - 1];
  return walk(*dir, r->comps, r->n - 1, fid);
}

int wasifs_mkdir_unlink(u64 v, u64 *a, int op) {
  struct wfd *dir;
  struct resolved r;
  const char *name;
  u32 fid;
  int e = on_parent(v, (u32)a[0], (u32)a[1], (u32)a[2], &fid, &name, &dir, &r);
  if (e == E_EXIST && op == OP_UNLINK) return E_ISDIR; /* the directory itself */
  if (e) return e == E_EXIST && op == OP_RMDIR ? E_BADF : e;
  struct p9 *p = mount_of(dir);
  int err = op == OP_MKDIR ? p9_mkdir(p, fid, name) : p9_unlinkat(p, fid, name, op == OP_RMDIR);
  p9_clunk(p, fid);
  return err ? errno_of(err) : 0;
}

int wasifs_rename(u64 v, u64 *a) {
  struct wfd *d1, *d2;
  struct resolved r1, r2;
  const char *n1, *n2;
  u32 f1, f2;
  int e = on_parent(v, (u32)a[0], (u32)a[1], (u32)a[2], &f1, &n1, &d1, &r1);
  if (e) return e;
  e = on_parent(v, (u32)a[3], (u32)a[4], (u32)a[5], &f2, &n2, &d2, &r2);
  if (e) {
    p9_clunk(mount_of(d1), f1);
    return e;
  }
  int err = d1->mount != d2->mount ? -18 : p9_renameat(mount_of(d1), f1, n1, f2, n2);
  p9_clunk(mount_of(d1), f1);
  p9_clunk(mount_of(d2), f2);
  return err ? errno_of(err) : 0;
}

int wasifs_set_size(u64 *a) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f) return E_BADF;
  if (f->kind != FD_FILE) return E_ISDIR;
  int err = p9_truncate(mount_of(f), f->fid, a[1]);
  return err ? errno_of(err) : 0;
}

int wasifs_sync(u64 *a) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f) return E_BADF;
  if (f->kind != FD_FILE) return 0;
  int err = p9_fsync(mount_of(f), f->fid);
  return err ? errno_of(err) : 0;
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused): dirent = d_next[8] d_ino[8] d_namlen[4]
 * d_type[1] pad[3] name. Cookies are the 9P directory offsets. */
int wasifs_readdir(u64 v, u64 *a) {
  struct wfd *f = wasifs_fd((u32)a[0]);
  if (!f) return E_BADF;
  if (f->kind != FD_DIR) return E_NOTDIR;
  u32 cap = (u32)a[2];
  u8 *buf = umem(v, (u32)a[1], cap), *used = umem(v, (u32)a[4], 4);
  if (!buf || !used) return E_FAULT;
  struct p9 *p = mount_of(f);
  if (!f->dir_open) {
    u32 fid = p9_fid(p);
    int err = p9_walk(p, f->fid, fid, NULL, 0);
    if (!err) err = p9_lopen(p, fid, 0200000);
    if (err) return errno_of(err);
    f->dir_open = fid;
  }
  u64 cookie = a[3];
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

int wasifs_renumber(u32 from, u32 to) {
  struct wfd *f = wasifs_fd(from);
  if (!f || !wasifs_fd(to)) return E_BADF;
  if (from == to) return 0;
  wasifs_close(to);
  wasifs.fds[to] = *f;
  f->used = 0;
  return 0;
}

/* path_symlink(old_path, old_len, fd, new_path, new_len): the target is stored as given. */
int wasifs_symlink(u64 v, u64 *a) {
  u32 len = (u32)a[1];
  const u8 *target = umem(v, (u32)a[0], len);
  if (!target) return E_FAULT;
  if (len && target[0] == '/') return E_PERM; /* would point outside the preopen */
  char tgt[512];
  if (len >= sizeof tgt) return E_NAMETOOLONG;
  memcpy(tgt, target, len);
  tgt[len] = 0;
  struct wfd *dir;
  struct resolved r;
  const char *name;
  u32 fid;
  int e = on_parent(v, (u32)a[2], (u32)a[3], (u32)a[4], &fid, &name, &dir, &r);
  if (e) return e;
  int err = p9_symlink(mount_of(dir), fid, name, tgt);
  p9_clunk(mount_of(dir), fid);
  return err ? errno_of(err) : 0;
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused) */
int wasifs_readlink(u64 v, u64 *a) {
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)a[0], (u32)a[1], (u32)a[2], &dir, &r);
  if (e) return e;
  u32 cap = (u32)a[4];
  u8 *buf = umem(v, (u32)a[3], cap), *used = umem(v, (u32)a[5], 4);
  if (!buf || !used) return E_FAULT;
  u32 fid, len = 0;
  if ((e = walk(dir, r.comps, r.n, &fid))) return e;
  char tmp[512];
  int err = p9_readlink(mount_of(dir), fid, tmp, sizeof tmp, &len);
  p9_clunk(mount_of(dir), fid);
  if (err) return errno_of(err);
  if (len > cap) len = cap;
  memcpy(buf, tmp, len);
  put32(used, len);
  return 0;
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
int wasifs_link(u64 v, u64 *a) {
  struct wfd *d1, *d2;
  struct resolved r1, r2;
  int e = dir_path(v, (u32)a[0], (u32)a[2], (u32)a[3], &d1, &r1);
  if (e) return e;
  const char *name;
  u32 target, parent;
  if ((e = walk(d1, r1.comps, r1.n, &target))) return e;
  e = on_parent(v, (u32)a[4], (u32)a[5], (u32)a[6], &parent, &name, &d2, &r2);
  if (e) {
    p9_clunk(mount_of(d1), target);
    return e;
  }
  int err = d1->mount != d2->mount ? -18 : p9_link(mount_of(d2), parent, target, name);
  p9_clunk(mount_of(d1), target);
  p9_clunk(mount_of(d2), parent);
  return err ? errno_of(err) : 0;
}

/* fst_flags: ATIM 1, ATIM_NOW 2, MTIM 4, MTIM_NOW 8 */
static int set_times(struct p9 *p, u32 fid, u64 atim, u64 mtim, u32 fl) {
  if (((fl & 1) && (fl & 2)) || ((fl & 4) && (fl & 8))) return E_INVAL;
  int amode = fl & 2 ? 1 : fl & 1 ? 2 : 0, mmode = fl & 8 ? 1 : fl & 4 ? 2 : 0;
  int err = p9_settimes(p, fid, amode, atim, mmode, mtim);
  return err ? errno_of(err) : 0;
}

/* fd_filestat_set_times(fd, atim, mtim, fst_flags) or
 * path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags) */
int wasifs_set_times(u64 v, u64 *a, int path) {
  if (!path) {
    struct wfd *f = wasifs_fd((u32)a[0]);
    if (!f) return E_BADF;
    return set_times(mount_of(f), f->fid, a[1], a[2], (u32)a[3]);
  }
  struct wfd *dir;
  struct resolved r;
  int e = dir_path(v, (u32)a[0], (u32)a[2], (u32)a[3], &dir, &r);
  if (e) return e;
  u32 fid;
  if ((e = walk(dir, r.comps, r.n, &fid))) return e;
  e = set_times(mount_of(dir), fid, a[4], a[5], (u32)a[6]);
  p9_clunk(mount_of(dir), fid);
  return e;
}

int wasifs_set_flags(u32 fd, u16 flags) {
  struct wfd *f = wasifs_fd(fd);
  if (!f) return E_BADF;
  f->fdflags = flags;
  return 0;
}

int wasifs_init(void) {
  wasifs.bounce = kalloc();
  return wasifs.bounce ? 0 : -1;
}
