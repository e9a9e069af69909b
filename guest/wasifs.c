/* wasifs.c: WASI's descriptor table and the fd_* and path_* calls on it.
 *
 * fds 0, 1 and 2 are stdio entries from the start (the console is wasi.c's); the others are
 * files and directories of the host directories shared with `--dir` (virtio-9p, one device
 * per directory, mount tag "osb<N>"). Each fd_* call finds the entry and goes to its kind's
 * operations (struct fd_ops), so stdio needs no special case outside the kinds table.
 *
 * Paths are resolved here (lookup), one component at a time, below the directory descriptor
 * the call names: "." and ".." are applied to the components resolved so far, a ".." above
 * the descriptor's directory or an absolute path is refused with EPERM (wasmtime's answer),
 * and symlinks are read (Treadlink) and their targets resolved the same way, in the guest:
 * QEMU never follows a symlink in a walk, so nothing outside the descriptor's directory can be
 * reached, whatever a link points at. Where WASI leaves the answer open, it is wasmtime's. */
#include "proc.h"
#include "netport.h"

struct wasifs wasifs;

/* Linux errno from the 9P server → WASI errno. */
static int errno_of(int linux_err) {
  switch (-linux_err) {
  case 1: return E_PERM;
  case 2: return E_NOENT;
  case 9: return E_BADF;
  case 13: return E_ACCES;
  case 16: return E_BUSY;
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

static int p9_answer(int err) { return err ? errno_of(err) : 0; }

/* The open descriptor fd, of any kind, or NULL. */
static struct wfd *fd_entry(u32 fd) {
  struct fdtable *t = &myproc()->fdt;
  return fd < MAX_FDS && t->fds[fd].kind != FD_FREE ? &t->fds[fd] : NULL;
}

int wasifs_is_open(u32 fd) { return fd_entry(fd) != NULL; }
struct wfd *wasifs_entry(u32 fd) { return fd_entry(fd); }

static struct p9 *mount_of(struct wfd *f) { return &wasifs.mounts[f->mount]; }

/* A free entry, cleared, or NULL when the table is full. Numbers are given as wasmtime
 * gives them: the highest number freed by fd_close or fd_renumber first (stdio's too),
 * otherwise the next never used. */
static struct wfd *table_alloc(struct fdtable *t, u8 kind, u32 *out) {
  u32 fd = 0;
  u32 w = MAX_FDS / 64;
  while (w && !t->freed[w - 1]) w--;
  if (w) {
    fd = (w - 1) * 64 + 63 - (u32)__builtin_clzll(t->freed[w - 1]);
    t->freed[w - 1] &= ~(1UL << (fd % 64));
  } else {
    while (fd < MAX_FDS && t->fds[fd].kind != FD_FREE) fd++;
    if (fd == MAX_FDS) return NULL;
  }
  struct wfd *f = &t->fds[fd];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  *out = fd;
  return f;
}

static struct wfd *alloc_fd(u8 kind, u32 *out) { return table_alloc(&myproc()->fdt, kind, out); }

/* Free the number of an entry that was open. */
static void free_number(struct wfd *f) {
  struct fdtable *t = &myproc()->fdt;
  f->kind = FD_FREE;
  u32 fd = (u32)(f - t->fds);
  t->freed[fd / 64] |= 1UL << (fd % 64);
}

struct wfd *wasifs_alloc(u8 kind, u32 *fd) { return alloc_fd(kind, fd); }
void wasifs_free(struct wfd *f) { free_number(f); }

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
int wasifs_preopen(struct fdtable *t, const char *name, u64 len) {
  u32 n = wasifs.nmounts;
  if (n >= MAX_MOUNTS || len >= sizeof t->fds[0].preopen) return -1;
  char tag[8] = {'o', 's', 'b', (char)('0' + n), 0};
  u32 root = 0;
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
    if (p9_mount(&wasifs.mounts[n], d, &root) < 0) return -1;
    break;
  }
  wasifs.nmounts++;
  u32 fd;
  struct wfd *f = table_alloc(t, FD_DIR, &fd);
  if (!f) return -1;
  f->mount = (u8)n;
  f->fid = root;
  memcpy(f->preopen, name, len);
  f->preopen[len] = 0;
  f->rights_base = RIGHTS_PREOPEN_BASE;
  f->rights_inh = RIGHTS_PREOPEN_INHERITING;
  return 0;
}

/* --- path resolution -------------------------------------------------------------------- */

/* How lookup treats the last component. */
enum {
  L_FOLLOW = 1,       /* a symlink there is followed */
  L_SLASH_FOLLOW = 2, /* ... when the path ends in '/' */
  L_SLASH_DIR = 4,    /* something there that is not a directory, named with '/': ENOTDIR */
};

/* A resolved path: `parent` (a walked fid of the directory holding `name`) and `fid` (the
 * object, P9_NOFID when it does not exist). A path that ends at a directory by "." or ".."
 * has name "" and parent == P9_NOFID. The caller clunks both (lookup_done). */
struct lookup {
  struct wfd *dir;
  u32 parent, fid;
  u8 qtype;
  int slash; /* the last component was followed by '/' */
  char name[256];
};

#define MAX_LINKS 40
#define PATH_MAX_LEN 4096

/* The state of one resolution: the text still to resolve, and the components resolved so far
 * below the descriptor's directory (to walk them again after a ".."). */
struct walker {
  char pend[PATH_MAX_LEN], spare[PATH_MAX_LEN];
  char names[64][256];
  const char *comps[64];
  u32 n;
};
static struct walker walkers[2]; /* path_rename and path_link resolve two paths at once */

/* A fid for the descriptor's directory plus comps[0..n): walked again from the descriptor. */
static int rewalk(struct wfd *dir, struct walker *w, u32 *fid) {
  struct p9 *p = mount_of(dir);
  *fid = p9_fid(p);
  u32 done = 0;
  int err;
  do { /* 9P walks at most 16 names per message */
    u32 k = w->n - done > 16 ? 16 : w->n - done;
    err = p9_walk(p, done ? *fid : dir->fid, *fid, w->comps + done, k, NULL);
    done += k;
  } while (!err && done < w->n);
  if (err && done > 16) p9_clunk(p, *fid);
  return p9_answer(err);
}

/* Replace the pending text by the symlink's target followed by what remained after it. */
static int splice_link(struct p9 *p, u32 link, struct walker *w, const char *rest) {
  u32 len = 0;
  int err = p9_readlink(p, link, w->spare, PATH_MAX_LEN - 1, &len);
  if (err) return errno_of(err);
  if (len == 0) return E_NOENT;
  if (w->spare[0] == '/') return E_PERM; /* absolute: outside whatever the program was given */
  u64 rl = strlen(rest);
  if (len + rl + 1 > PATH_MAX_LEN) return E_NAMETOOLONG;
  memcpy(w->spare + len, rest, rl + 1);
  memcpy(w->pend, w->spare, len + rl + 1);
  return 0;
}

static int resolve(struct wfd *dir, struct walker *w, int how, struct lookup *l, u32 *cur);

/* Resolve (dirfd's directory, path) for a path_* call. The path must be in the caller's
 * memory, free of NUL bytes, non-empty and relative. */
static int lookup(struct wfd *dir, const u8 *path, u64 len, int how, struct lookup *l, int slot) {
  struct walker *w = &walkers[slot];
  l->dir = dir;
  l->parent = l->fid = P9_NOFID;
  l->name[0] = 0;
  l->slash = 0;
  for (u64 i = 0; i < len; i++)
    if (path[i] == 0) return E_INVAL;
  if (len == 0) return E_NOENT;
  if (path[0] == '/') return E_PERM; /* as wasmtime: EPERM, not ENOTCAPABLE */
  if (len >= PATH_MAX_LEN) return E_NAMETOOLONG;
  memcpy(w->pend, path, len);
  w->pend[len] = 0;
  w->n = 0;
  u32 cur;
  int e = rewalk(dir, w, &cur);
  if (e) return e;
  e = resolve(dir, w, how, l, &cur);
  if (e) {
    struct p9 *p = mount_of(dir);
    if (cur != P9_NOFID) p9_clunk(p, cur);
    if (l->fid != P9_NOFID) p9_clunk(p, l->fid);
    l->fid = l->parent = P9_NOFID;
  }
  return e;
}

/* The component loop: cur is a fid of the directory resolved so far. */
static int resolve(struct wfd *dir, struct walker *w, int how, struct lookup *l, u32 *cur) {
  struct p9 *p = mount_of(dir);
  u32 links = 0;
  for (;;) {
    char *c = w->pend;
    while (*c == '/') c++;
    if (*c == 0) { /* ended at a directory by "." or ".." (or the descriptor's own) */
      l->fid = *cur;
      *cur = P9_NOFID;
      l->qtype = P9_QTDIR;
      return 0;
    }
    char *end = c;
    while (*end && *end != '/') end++;
    u64 clen = (u64)(end - c);
    if (clen > 255) return E_INVAL; /* wasmtime's answer for a name too long */
    const char *after = end;
    while (*after == '/') after++;
    int last = *after == 0, slash = last && *end == '/';
    char name[256];
    memcpy(name, c, clen);
    name[clen] = 0;
    char *rest = end; /* the text after this component, kept while a link is spliced in */
    memmove(w->pend, rest, strlen(rest) + 1);
    if (strcmp(name, ".") == 0) continue;
    if (strcmp(name, "..") == 0) {
      if (w->n == 0) return E_PERM; /* above the descriptor's directory */
      w->n--;
      p9_clunk(p, *cur);
      *cur = P9_NOFID;
      int e = rewalk(dir, w, cur);
      if (e) return e;
      continue;
    }
    u32 fid = p9_fid(p);
    struct p9_qid q;
    const char *one[1] = {name};
    int err = p9_walk(p, *cur, fid, one, 1, &q);
    if (err && !(last && err == -2)) return errno_of(err);
    int follow = last ? (how & L_FOLLOW) || (slash && (how & L_SLASH_FOLLOW)) : 1;
    if (!err && (q.type & P9_QTSYMLINK) && follow) {
      if (++links > MAX_LINKS) {
        p9_clunk(p, fid);
        return E_LOOP;
      }
      int e = splice_link(p, fid, w, w->pend);
      p9_clunk(p, fid);
      if (e) return e;
      continue;
    }
    if (last) {
      l->parent = *cur;
      *cur = P9_NOFID;
      memcpy(l->name, name, clen + 1);
      l->slash = slash;
      if (err) return 0; /* does not exist: the parent and the name are the answer */
      l->fid = fid;
      l->qtype = q.type;
      if (slash && (how & L_SLASH_DIR) && !(q.type & P9_QTDIR)) return E_NOTDIR;
      return 0;
    }
    if (!(q.type & P9_QTDIR)) {
      p9_clunk(p, fid);
      return E_NOTDIR;
    }
    if (w->n == 64) {
      p9_clunk(p, fid);
      return E_NAMETOOLONG;
    }
    memcpy(w->names[w->n], name, clen + 1);
    w->comps[w->n] = w->names[w->n];
    w->n++;
    p9_clunk(p, *cur);
    *cur = fid;
  }
}

static void lookup_done(struct lookup *l) {
  struct p9 *p = mount_of(l->dir);
  if (l->parent != P9_NOFID) p9_clunk(p, l->parent);
  if (l->fid != P9_NOFID) p9_clunk(p, l->fid);
  l->parent = l->fid = P9_NOFID;
}

static int is_dir(const struct lookup *l) { return l->fid != P9_NOFID && (l->qtype & P9_QTDIR); }

/* The directory descriptor of a path_* call: a directory, or E_BADF (for a file, stdio or a
 * closed number, as wasmtime answers; path_open alone says ENOTDIR for a file). */
static int dir_fd(u32 fd, struct wfd **dir) {
  *dir = fd_entry(fd);
  return *dir && (*dir)->kind == FD_DIR ? 0 : E_BADF;
}

/* dir_fd, then the path (ptr, len) in guest memory resolved below it. */
static int path_arg(u64 v, u32 fd, u64 ptr, u64 len, int how, struct lookup *l, int slot) {
  struct wfd *dir;
  int e = dir_fd(fd, &dir);
  if (e) return e;
  const u8 *path = user_mem(v, ptr, len);
  if (!path) return E_FAULT;
  return lookup(dir, path, len, how, l, slot);
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

/* --- operations of files and directories (struct fd_ops) -------------------------------- */

static int file_size(struct wfd *f, u64 *size) {
  struct p9_attr attr;
  int err = p9_getattr(mount_of(f), f->fid, &attr);
  *size = attr.size;
  return p9_answer(err);
}

/* Read or write the first non-empty iovec at `offset` (wasmtime moves one buffer per call;
 * a short transfer is valid WASI and libc loops); returns the byte count or -errno. */
static i64 transfer(u64 v, struct wfd *f, u64 iovs_ptr, u32 n, u64 offset, int write) {
  u8 *iovs = user_mem(v, iovs_ptr, 8UL * n);
  if (!iovs) return -E_FAULT;
  u32 len = 0;
  u8 *data = NULL;
  for (u32 i = 0; i < n && !len; i++) {
    len = get32(iovs + 8 * i + 4);
    data = user_mem(v, get32(iovs + 8 * i), len);
    if (!data) return -E_FAULT;
  }
  struct p9 *p = mount_of(f);
  u8 *bounce = wasifs.bounce;
  i64 total = 0;
  while ((u32)total < len) {
    u32 chunk = len - (u32)total > P9_IOUNIT ? P9_IOUNIT : len - (u32)total;
    i64 got;
    if (write) {
      memcpy(bounce, data + total, chunk);
      got = p9_write(p, f->fid, offset + (u64)total, bounce, chunk);
    } else {
      got = p9_read(p, f->fid, offset + (u64)total, bounce, chunk);
      if (got > 0) memcpy(data + total, bounce, (u64)got);
    }
    if (got < 0) return total ? total : -errno_of((int)got);
    total += got;
    if ((u32)got < chunk) break; /* end of file or short write */
  }
  return total;
}

/* fd_read/fd_write(fd, iovs, iovs_len, n) and fd_pread/fd_pwrite(fd, iovs, iovs_len,
 * offset, n) on a file. In append mode every write goes to the end, positioned or not (as
 * Linux's pwrite does under O_APPEND); fd_pwrite leaves the offset alone. */
static int fs_rw(u64 v, struct wfd *f, u64 *slots, int write, int positioned) {
  if (write ? !f->writable : !f->readable) return E_BADF;
  u64 offset = positioned ? ARG(3) : f->offset;
  u8 *out = user_mem(v, (u32)(positioned ? ARG(4) : ARG(3)), 4);
  if (!out) return E_FAULT;
  if (write && (f->fdflags & FDFLAG_APPEND)) {
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

/* Give back what an entry holds (the preopen's root fid stays: it is the mount's). */
static void release(struct wfd *f) {
  if (f->kind == FD_DIR || f->kind == FD_FILE) {
    struct p9 *p = mount_of(f);
    if (!f->preopen[0]) p9_clunk(p, f->fid);
    if (f->dir_open) p9_clunk(p, f->dir_open);
  }
  if (f->kind == FD_SOCK) netport_close(f->conn);
  if (f->kind == FD_PIPE_R || f->kind == FD_PIPE_W) pipe_close(pipe_get(f->pipe), f->kind == FD_PIPE_W);
  f->kind = FD_FREE;
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

static int stat_fid(struct p9 *p, u32 fid, u8 *st) {
  struct p9_attr attr;
  int err = p9_getattr(p, fid, &attr);
  if (err) return errno_of(err);
  fill_filestat(st, &attr);
  return 0;
}

/* fd_filestat_get(fd, filestat) */
static int fs_filestat(u64 v, struct wfd *f, u64 *slots) {
  u8 *st = user_mem(v, (u32)ARG(1), 64);
  if (!st) return E_FAULT;
  return stat_fid(mount_of(f), f->fid, st);
}

/* fd_filestat_set_size(fd, size) */
static int file_set_size(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  return p9_answer(p9_truncate(mount_of(f), f->fid, ARG(1)));
}

static int file_sync(u64 v, struct wfd *f, u64 *slots) {
  (void)v, (void)slots;
  return p9_answer(p9_fsync(mount_of(f), f->fid, 0));
}

static int times_valid(u32 fl) {
  return !(((fl & FSTFLAG_ATIM) && (fl & FSTFLAG_ATIM_NOW)) ||
           ((fl & FSTFLAG_MTIM) && (fl & FSTFLAG_MTIM_NOW)));
}

/* fst_flags: ATIM, ATIM_NOW, MTIM, MTIM_NOW (QEMU sets the times of a symlink itself) */
static int set_times(struct p9 *p, u32 fid, u64 atim, u64 mtim, u32 fl) {
  if (!times_valid(fl)) return E_INVAL;
  int amode = fl & FSTFLAG_ATIM_NOW ? 1 : fl & FSTFLAG_ATIM ? 2 : 0;
  int mmode = fl & FSTFLAG_MTIM_NOW ? 1 : fl & FSTFLAG_MTIM ? 2 : 0;
  return p9_answer(p9_settimes(p, fid, amode, atim, mmode, mtim));
}

/* fd_filestat_set_times(fd, atim, mtim, fst_flags) */
static int fs_set_times(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  return set_times(mount_of(f), f->fid, ARG(1), ARG(2), (u32)ARG(3));
}

/* fd_fdstat_set_flags(fd, flags): append and nonblock may be set; the sync flags cannot. */
static int file_set_flags(u64 v, struct wfd *f, u64 *slots) {
  (void)v;
  u16 fl = (u16)ARG(1);
  if (fl & (FDFLAG_DSYNC | FDFLAG_RSYNC | FDFLAG_SYNC)) return E_INVAL;
  f->fdflags = fl;
  return 0;
}

/* fd_advise(fd, offset, len, advice): accepted (a hint) for the six advices. */
static int file_advise(u64 v, struct wfd *f, u64 *slots) {
  (void)v, (void)f;
  return (u32)ARG(3) <= 5 ? E_SUCCESS : E_INVAL;
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused): dirent = d_next[8] d_ino[8] d_namlen[4]
 * d_type[1] pad[3] name. Cookies are the 9P directory offsets; a buffer filled to the last
 * byte (the last entry possibly cut) means there is more. */
static int dir_readdir(u64 v, struct wfd *f, u64 *slots) {
  u32 cap = (u32)ARG(2);
  u8 *buf = user_mem(v, (u32)ARG(1), cap), *used = user_mem(v, (u32)ARG(4), 4);
  if (!buf || !used) return E_FAULT;
  struct p9 *p = mount_of(f);
  if (!f->dir_open) {
    u32 fid = p9_fid(p);
    int err = p9_walk(p, f->fid, fid, NULL, 0, NULL);
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
ANSWER(bad_fd, E_BADF)
ANSWER(not_sup, E_NOTSUP)
ANSWER(pipe, E_SPIPE)
#undef ANSWER

static const struct fd_ops *ops_of(const struct wfd *f);

/* stdio's and pipes' fd_filestat_get: all zero but the filetype. */
static int stream_filestat(u64 v, struct wfd *f, u64 *slots) {
  u8 *st = user_mem(v, (u32)ARG(1), 64);
  if (!st) return E_FAULT;
  memset(st, 0, 64);
  st[16] = ops_of(f)->filetype(f);
  return 0;
}

static u8 file_type(const struct wfd *f) { (void)f; return FT_FILE; }
static u8 dir_type(const struct wfd *f) { (void)f; return FT_DIR; }

/* stdio: a stream (seek, tell and positioned transfers in its own direction: ESPIPE), and
 * EBADF for everything else, as wasmtime answers. */
static const struct fd_ops stdin_ops = {
  .read = console_read, .write = bad_fd, .pread = pipe, .pwrite = bad_fd, .seek = pipe,
  .tell = pipe, .filestat = stream_filestat, .set_size = bad_fd, .set_times = bad_fd,
  .set_flags = bad_fd, .set_rights = bad_fd, .sync = bad_fd, .readdir = bad_fd,
  .allocate = bad_fd, .advise = bad_fd, .filetype = console_filetype,
};
static const struct fd_ops console_out_ops = {
  .read = bad_fd, .write = console_write, .pread = bad_fd, .pwrite = pipe, .seek = pipe,
  .tell = pipe, .filestat = stream_filestat, .set_size = bad_fd, .set_times = bad_fd,
  .set_flags = bad_fd, .set_rights = bad_fd, .sync = bad_fd, .readdir = bad_fd,
  .allocate = bad_fd, .advise = bad_fd, .filetype = console_filetype,
};
/* The ends of a pipe between two programs (pipe.c): streams like stdio. */
static const struct fd_ops pipe_read_ops = {
  .read = pipe_read, .write = bad_fd, .pread = pipe, .pwrite = bad_fd, .seek = pipe,
  .tell = pipe, .filestat = stream_filestat, .set_size = bad_fd, .set_times = bad_fd,
  .set_flags = bad_fd, .set_rights = bad_fd, .sync = bad_fd, .readdir = bad_fd,
  .allocate = bad_fd, .advise = bad_fd, .filetype = pipe_filetype,
};
static const struct fd_ops pipe_write_ops = {
  .read = bad_fd, .write = pipe_write, .pread = bad_fd, .pwrite = pipe, .seek = pipe,
  .tell = pipe, .filestat = stream_filestat, .set_size = bad_fd, .set_times = bad_fd,
  .set_flags = bad_fd, .set_rights = bad_fd, .sync = bad_fd, .readdir = bad_fd,
  .allocate = bad_fd, .advise = bad_fd, .filetype = pipe_filetype,
};
static const struct fd_ops file_ops = {
  .read = fs_read, .write = fs_write, .pread = fs_pread, .pwrite = fs_pwrite,
  .seek = file_seek, .tell = file_tell, .filestat = fs_filestat, .set_size = file_set_size,
  .set_times = fs_set_times, .set_flags = file_set_flags, .set_rights = not_sup,
  .sync = file_sync, .readdir = bad_fd, .allocate = not_sup, .advise = file_advise,
  .filetype = file_type,
};
/* A directory is read with fd_readdir only; its times and attributes can be had. */
static const struct fd_ops dir_ops = {
  .read = bad_fd, .write = bad_fd, .pread = bad_fd, .pwrite = bad_fd, .seek = bad_fd,
  .tell = bad_fd, .filestat = fs_filestat, .set_size = bad_fd, .set_times = fs_set_times,
  .set_flags = bad_fd, .set_rights = not_sup, .sync = bad_fd, .readdir = dir_readdir,
  .allocate = bad_fd, .advise = bad_fd, .filetype = dir_type,
};

static const struct fd_ops *ops_of(const struct wfd *f) {
  static const struct fd_ops *const kinds[FD_KINDS] = {
    [FD_STDIN] = &stdin_ops, [FD_STDOUT] = &console_out_ops, [FD_STDERR] = &console_out_ops,
    [FD_DIR] = &dir_ops, [FD_FILE] = &file_ops, [FD_LISTEN] = &listen_ops, [FD_SOCK] = &sock_ops,
    [FD_PIPE_R] = &pipe_read_ops, [FD_PIPE_W] = &pipe_write_ops,
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
FD_CALL(fd_filestat_get, filestat)
FD_CALL(fd_filestat_set_size, set_size)
FD_CALL(fd_filestat_set_times, set_times)
FD_CALL(fd_fdstat_set_flags, set_flags)
FD_CALL(fd_fdstat_set_rights, set_rights)
FD_CALL(fd_sync, sync)
FD_CALL(fd_datasync, sync)
FD_CALL(fd_readdir, readdir)
FD_CALL(fd_allocate, allocate)
FD_CALL(fd_advise, advise)
#undef FD_CALL

/* fd_close(fd): any descriptor, stdio and preopens included, is closed for good. */
int fd_close(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  struct wfd *f = fd_entry((u32)ARG(0));
  if (!f) return RET(E_BADF);
  release(f);
  free_number(f);
  return RET(E_SUCCESS);
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

/* fd_prestat_get(fd, prestat) and fd_prestat_dir_name(fd, path, path_len): preopens only
 * (another open descriptor: EBADF from the first, ENOTDIR from the second, as wasmtime). */
int fd_prestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *f = fd_entry((u32)ARG(0));
  if (!f || !f->preopen[0]) return RET(E_BADF);
  u8 *out = user_mem(v, (u32)ARG(1), 8);
  if (!out) return RET(E_FAULT);
  memset(out, 0, 8);
  put32(out + 4, (u32)strlen(f->preopen));
  return RET(E_SUCCESS);
}

int fd_prestat_dir_name(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *f = fd_entry((u32)ARG(0));
  if (!f) return RET(E_BADF);
  if (!f->preopen[0]) return RET(E_NOTDIR);
  u64 len = strlen(f->preopen);
  if (ARG(2) < len) return RET(E_NAMETOOLONG);
  u8 *out = user_mem(v, (u32)ARG(1), len);
  if (!out) return RET(E_FAULT);
  memcpy(out, f->preopen, len);
  return RET(E_SUCCESS);
}

/* fd_renumber(from, to): both open; `to` is closed and takes from's entry (stdio and
 * preopens alike). */
int fd_renumber(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  struct wfd *from = fd_entry((u32)ARG(0)), *to = fd_entry((u32)ARG(1));
  if (!from || !to) return RET(E_BADF);
  if (from != to) {
    release(to);
    *to = *from;
    free_number(from);
  }
  return RET(E_SUCCESS);
}

/* --- the path_* calls ------------------------------------------------------------------- */

/* The open mode path_open derives from the rights, as wasmtime: written with FD_WRITE, read
 * with FD_READ or when not written. */
static void open_mode(struct wfd *f, u64 rights) {
  f->writable = (rights & RIGHT_FD_WRITE) != 0;
  f->readable = (rights & RIGHT_FD_READ) != 0 || !f->writable;
  f->rights_base = RIGHTS_FILE & ~(f->writable ? 0 : RIGHT_FD_WRITE) &
                   ~(f->readable ? 0 : RIGHT_FD_READ | RIGHT_FD_READDIR);
  f->rights_inh = f->rights_base;
}

/* Open (or create) the object the lookup found; on success *fid is the descriptor's fid and
 * *dir says whether it is a directory. */
static int open_found(struct lookup *l, u32 oflags, int wr, u32 lflags, u32 *fid, int *dir) {
  struct p9 *p = mount_of(l->dir);
  if (l->fid == P9_NOFID) {
    if (!(oflags & OFLAG_CREAT)) return E_NOENT;
    if (l->slash) return E_ISDIR;
    int err = p9_lcreate(p, l->parent, l->name, lflags | 0100 | 0200, 0644);
    if (err) return errno_of(err);
    *fid = l->parent; /* Tlcreate turned the parent's fid into the new file's */
    l->parent = P9_NOFID;
    *dir = 0;
    return 0;
  }
  if ((oflags & OFLAG_CREAT) && (oflags & OFLAG_EXCL)) return E_EXIST;
  if (l->qtype & P9_QTSYMLINK) return E_LOOP; /* not followed: O_NOFOLLOW's answer */
  if (l->qtype & P9_QTDIR) {
    if (wr || (oflags & (OFLAG_TRUNC | OFLAG_CREAT))) return E_ISDIR;
    *dir = 1;
  } else {
    if ((oflags & OFLAG_DIRECTORY) || l->slash) return E_NOTDIR;
    int err = p9_lopen(p, l->fid, lflags);
    if (err) return errno_of(err);
    *dir = 0;
  }
  *fid = l->fid;
  l->fid = P9_NOFID;
  return 0;
}

/* path_open(dirfd, dirflags, path, path_len, oflags, rights_base, rights_inheriting,
 * fdflags, fd) */
int path_open(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 oflags = (u32)ARG(4), fdflags = (u32)ARG(7);
  struct wfd *dir = fd_entry((u32)ARG(0));
  if (!dir || (dir->kind != FD_DIR && dir->kind != FD_FILE)) return RET(E_BADF);
  if (dir->kind == FD_FILE) return RET(E_NOTDIR);
  if ((oflags & OFLAG_CREAT) && (oflags & OFLAG_DIRECTORY)) return RET(E_INVAL);
  if (fdflags & (FDFLAG_DSYNC | FDFLAG_RSYNC | FDFLAG_SYNC)) return RET(E_NOTSUP);
  u8 *out = user_mem(v, (u32)ARG(8), 4);
  const u8 *path = user_mem(v, (u32)ARG(2), (u32)ARG(3));
  if (!out || !path) return RET(E_FAULT);
  struct lookup l;
  int how = ((u32)ARG(1) & LOOKUP_SYMLINK_FOLLOW ? L_FOLLOW : 0) | L_SLASH_FOLLOW | L_SLASH_DIR;
  int e = lookup(dir, path, (u32)ARG(3), how, &l, 0);
  if (e) return RET(e);
  struct wfd probe;
  open_mode(&probe, ARG(5));
  u32 lflags = probe.writable ? (probe.readable ? 2 : 1) : 0;
  if (oflags & OFLAG_TRUNC) lflags |= 01000;
  u32 fid;
  int is_directory;
  e = open_found(&l, oflags, probe.writable, lflags, &fid, &is_directory);
  lookup_done(&l);
  if (e) return RET(e);
  u32 fd;
  struct wfd *f = alloc_fd(is_directory ? FD_DIR : FD_FILE, &fd);
  if (!f) {
    p9_clunk(mount_of(dir), fid);
    return RET(E_MFILE);
  }
  f->mount = dir->mount;
  f->fid = fid;
  f->fdflags = (u16)(fdflags & (FDFLAG_APPEND | FDFLAG_NONBLOCK));
  if (is_directory) {
    f->rights_base = f->rights_inh = RIGHTS_DIR;
  } else {
    open_mode(f, ARG(5));
  }
  put32(out, fd);
  return RET(E_SUCCESS);
}

/* path_filestat_get(dirfd, flags, path, path_len, filestat) */
int path_filestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *st = user_mem(v, (u32)ARG(4), 64);
  if (!st) return RET(E_FAULT);
  struct lookup l = {0};
  int how = ((u32)ARG(1) & LOOKUP_SYMLINK_FOLLOW ? L_FOLLOW : 0) | L_SLASH_FOLLOW | L_SLASH_DIR;
  int e = path_arg(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), how, &l, 0);
  if (!e) e = l.fid == P9_NOFID ? E_NOENT : stat_fid(mount_of(l.dir), l.fid, st);
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_filestat_set_times(dirfd, flags, path, path_len, atim, mtim, fst_flags): with no
 * flags there is nothing to do (wasmtime does not even look the path up). */
int path_filestat_set_times(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 fl = (u32)ARG(6);
  struct wfd *dir;
  int e = dir_fd((u32)ARG(0), &dir);
  if (e || !times_valid(fl) || fl == 0) return RET(e ? e : fl ? E_INVAL : E_SUCCESS);
  struct lookup l = {0};
  int how = ((u32)ARG(1) & LOOKUP_SYMLINK_FOLLOW ? L_FOLLOW : 0) | L_SLASH_FOLLOW | L_SLASH_DIR;
  e = path_arg(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), how, &l, 0);
  if (!e) e = l.fid == P9_NOFID ? E_NOENT : set_times(mount_of(dir), l.fid, ARG(4), ARG(5), fl);
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_create_directory(dirfd, path, path_len): a trailing slash is allowed. */
int path_create_directory(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct lookup l = {0};
  int e = path_arg(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), 0, &l, 0);
  if (!e) {
    e = l.fid != P9_NOFID ? E_EXIST
                          : p9_answer(p9_mkdir(mount_of(l.dir), l.parent, l.name));
  }
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_remove_directory(dirfd, path, path_len): "." or a trailing slash: EINVAL, as
 * wasmtime answers (after ENOENT/ENOTDIR). */
int path_remove_directory(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct lookup l = {0};
  int e = path_arg(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), L_SLASH_FOLLOW, &l, 0);
  if (!e) {
    if (l.fid == P9_NOFID) e = E_NOENT;
    else if (!is_dir(&l)) e = E_NOTDIR;
    else if (l.slash || l.parent == P9_NOFID) e = E_INVAL;
    else e = p9_answer(p9_unlinkat(mount_of(l.dir), l.parent, l.name, 1));
  }
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_unlink_file(dirfd, path, path_len) */
int path_unlink_file(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct lookup l = {0};
  int e = path_arg(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), L_SLASH_FOLLOW, &l, 0);
  if (!e) {
    if (l.fid == P9_NOFID) e = E_NOENT;
    else if (is_dir(&l)) e = E_ISDIR;
    else if (l.slash) e = E_NOTDIR;
    else e = p9_answer(p9_unlinkat(mount_of(l.dir), l.parent, l.name, 0));
  }
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len): the last components are
 * not followed; a trailing slash needs a directory to move. */
int path_rename(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct lookup a = {0}, b = {0};
  int e = path_arg(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), 0, &a, 0);
  if (!e) e = path_arg(v, (u32)ARG(3), (u32)ARG(4), (u32)ARG(5), 0, &b, 1);
  if (!e) {
    if (a.parent == P9_NOFID || b.parent == P9_NOFID) e = E_BUSY; /* "." or ".." */
    else if (a.fid == P9_NOFID) e = E_NOENT;
    else if ((a.slash || b.slash) && !is_dir(&a)) e = E_NOTDIR;
    else if (a.dir->mount != b.dir->mount) e = E_XDEV;
    else e = p9_answer(p9_renameat(mount_of(a.dir), a.parent, a.name, b.parent, b.name));
  }
  if (a.dir) lookup_done(&a);
  if (b.dir) lookup_done(&b);
  return RET(e);
}

/* path_symlink(old_path, old_len, fd, new_path, new_len): the target is stored as given; an
 * absolute one could only point outside (EPERM, as wasmtime). */
int path_symlink(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 len = (u32)ARG(1);
  const u8 *target = user_mem(v, (u32)ARG(0), len);
  if (!target) return RET(E_FAULT);
  char tgt[PATH_MAX_LEN];
  if (len >= sizeof tgt) return RET(E_NAMETOOLONG);
  memcpy(tgt, target, len);
  tgt[len] = 0;
  if (strlen(tgt) != len) return RET(E_INVAL);
  struct wfd *dir;
  int e = dir_fd((u32)ARG(2), &dir);
  if (e) return RET(e);
  if (len == 0) return RET(E_NOENT);
  if (tgt[0] == '/') return RET(E_PERM);
  struct lookup l = {0};
  e = path_arg(v, (u32)ARG(2), (u32)ARG(3), (u32)ARG(4), 0, &l, 0);
  if (!e) {
    if (l.fid != P9_NOFID || l.parent == P9_NOFID) e = l.slash && !is_dir(&l) ? E_NOTDIR : E_EXIST;
    else if (l.slash) e = E_NOENT;
    else e = p9_answer(p9_symlink(mount_of(l.dir), l.parent, l.name, tgt));
  }
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused): cut to buf_len. */
int path_readlink(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 cap = (u32)ARG(4);
  u8 *buf = user_mem(v, (u32)ARG(3), cap), *used = user_mem(v, (u32)ARG(5), 4);
  if (!buf || !used) return RET(E_FAULT);
  struct lookup l = {0};
  int e = path_arg(v, (u32)ARG(0), (u32)ARG(1), (u32)ARG(2), L_SLASH_FOLLOW | L_SLASH_DIR, &l, 0);
  if (!e) {
    if (l.fid == P9_NOFID) {
      e = E_NOENT;
    } else if (!(l.qtype & P9_QTSYMLINK)) {
      e = E_INVAL;
    } else {
      static char tmp[PATH_MAX_LEN];
      u32 len = 0;
      e = p9_answer(p9_readlink(mount_of(l.dir), l.fid, tmp, sizeof tmp, &len));
      if (!e) {
        if (len > cap) len = cap;
        memcpy(buf, tmp, len);
        put32(used, len);
      }
    }
  }
  if (l.dir) lookup_done(&l);
  return RET(e);
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len): links the
 * object itself (a symlink is not followed; asking to follow is EINVAL, as wasmtime). */
int path_link(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wfd *dir;
  int e = dir_fd((u32)ARG(0), &dir);
  if (!e && ((u32)ARG(1) & LOOKUP_SYMLINK_FOLLOW)) e = E_INVAL;
  if (e) return RET(e);
  struct lookup a = {0}, b = {0};
  e = path_arg(v, (u32)ARG(0), (u32)ARG(2), (u32)ARG(3), 0, &a, 0);
  if (!e) {
    if (a.fid == P9_NOFID) e = E_NOENT;
    else if (a.slash && !is_dir(&a)) e = E_NOTDIR;
    else if (is_dir(&a)) e = E_PERM;
  }
  if (!e) e = path_arg(v, (u32)ARG(4), (u32)ARG(5), (u32)ARG(6), 0, &b, 1);
  if (!e) {
    if (b.fid != P9_NOFID || b.parent == P9_NOFID) e = E_EXIST;
    else if (b.slash) e = E_NOENT;
    else if (a.dir->mount != b.dir->mount) e = E_XDEV;
    else e = p9_answer(p9_link(mount_of(b.dir), b.parent, a.fid, b.name));
  }
  if (a.dir) lookup_done(&a);
  if (b.dir) lookup_done(&b);
  return RET(e);
}

/* A table starts with stdio on the console, with wasmtime's rights: stdin FD_READ, stdout
 * and stderr FD_WRITE. `t` is all zeros (a new process's: proc0 in .bss, the others cleared
 * when their slot is taken), so only these three are written, not its 320 entries. */
void fdtable_init(struct fdtable *t) {
  static const u8 stdio[3] = {FD_STDIN, FD_STDOUT, FD_STDERR};
  for (u32 fd = 0; fd < 3; fd++) {
    struct wfd *f = &t->fds[fd];
    f->kind = stdio[fd];
    f->rights_base = f->rights_inh = fd == 0 ? RIGHTS_STDIN : RIGHTS_STDOUT;
  }
}

/* stdin (fd 0) becomes the reading end of pipe k, or stdout (fd 1) its writing end. */
void fdtable_pipe(struct fdtable *t, u32 fd, int k) {
  t->fds[fd].kind = fd == 0 ? FD_PIPE_R : FD_PIPE_W;
  t->fds[fd].pipe = (u8)k;
  pipe_open(pipe_get(k), fd != 0);
}

/* A process ended: every descriptor it had is closed (a pipe's reader then sees the end of
 * file, its writer EPIPE). */
void fdtable_close_all(struct fdtable *t) {
  for (u32 fd = 0; fd < MAX_FDS; fd++)
    if (t->fds[fd].kind != FD_FREE) release(&t->fds[fd]);
}

int wasifs_init(void) {
  wasifs.bounce = kalloc();
  return wasifs.bounce ? 0 : -1;
}
