/* readdir: fd_readdir's entries (names sorted here, with their types and whether d_ino is
 * the entry's inode), "." and ".." in an empty directory, resuming from a cookie, a buffer
 * too small for one entry, bufused == buf_len meaning "more", 300 entries read through a
 * small buffer, and a cookie past the end. */
#include "conf.h"

struct ent { char name[64]; uint8_t type; uint64_t ino, next; };

/* Parse the complete entries of buf; returns their count. */
static int parse(const uint8_t *buf, size_t used, struct ent *out, int max) {
  int k = 0;
  size_t pos = 0;
  while (pos + sizeof(__wasi_dirent_t) <= used && k < max) {
    __wasi_dirent_t d;
    memcpy(&d, buf + pos, sizeof d);
    if (pos + sizeof d + d.d_namlen > used) break;
    size_t l = d.d_namlen < 63 ? d.d_namlen : 63;
    memcpy(out[k].name, buf + pos + sizeof d, l);
    out[k].name[l] = 0;
    out[k].type = d.d_type;
    out[k].ino = d.d_ino;
    out[k].next = d.d_next;
    k++;
    pos += sizeof d + d.d_namlen;
  }
  return k;
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static uint64_t ino_of(fd_t dir, const char *name) {
  __wasi_filestat_t st;
  if (strcmp(name, "..") == 0) return 0; /* the parent's inode: not comparable */
  return __wasi_path_filestat_get(dir, 0, name, &st) ? 1 : st.ino;
}

static void list(const char *what, fd_t dir) {
  uint8_t buf[4096];
  __wasi_size_t used = 0;
  int e = __wasi_fd_readdir(dir, buf, sizeof buf, 0, &used);
  struct ent ents[64];
  int n = e ? 0 : parse(buf, used, ents, 64);
  printf("%s: %s, %d entries, full buffer %d\n", what, ename(e), n, used == sizeof buf);
  qsort(ents, (size_t)n, sizeof *ents, by_name);
  for (int i = 0; i < n; i++)
    printf("  %s %s ino %s\n", ents[i].name, ftname(ents[i].type),
           strcmp(ents[i].name, "..") == 0 ? "-"
           : ents[i].ino == ino_of(dir, ents[i].name) ? "matches" : "differs");
}

int main(void) {
  fd_t root = preopen("/");
  list("root", root);
  int64_t sub = open_at("open sub", root, 0, "sub", __WASI_OFLAGS_DIRECTORY, 0, 0, 0);
  if (sub >= 0) list("sub", (fd_t)sub);
  fd_t dir = scratch(root, "rd");
  list("empty", dir);
  make_file(dir, "file", "x");
  list("one file", dir);

  /* Resume after the second entry: exactly the entries from the third on. */
  uint8_t buf[4096];
  __wasi_size_t used;
  show("readdir", __wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  struct ent all[8];
  int n = parse(buf, used, all, 8);
  show("readdir from cookie", __wasi_fd_readdir(dir, buf, sizeof buf, all[1].next, &used));
  struct ent rest[8];
  int m = parse(buf, used, rest, 8);
  printf("from cookie: %d entries, first is third: %d\n", m,
         m == n - 2 && m > 0 && strcmp(rest[0].name, all[2].name) == 0);
  show("readdir past end", __wasi_fd_readdir(dir, buf, sizeof buf, all[n - 1].next, &used));
  printf("past end used %lu\n", (unsigned long)used);
  show("readdir tiny buffer", __wasi_fd_readdir(dir, buf, 10, 0, &used));
  printf("tiny used %lu\n", (unsigned long)used);
  show("readdir zero buffer", __wasi_fd_readdir(dir, buf, 0, 0, &used));
  printf("zero used %lu\n", (unsigned long)used);

  /* 300 files through a 256-byte buffer, following d_next of the last whole entry. */
  char name[32];
  for (int i = 0; i < 300; i++) {
    snprintf(name, sizeof name, "file.%d", i);
    make_file(dir, name, "");
  }
  int total = 0, calls = 0;
  uint64_t cookie = 0;
  for (;;) {
    int e = __wasi_fd_readdir(dir, buf, 256, cookie, &used);
    calls++;
    if (e) {
      printf("readdir many: %s\n", ename(e));
      break;
    }
    struct ent page[16];
    int k = parse(buf, used, page, 16);
    total += k;
    if (used < 256 || k == 0) break;
    cookie = page[k - 1].next;
  }
  printf("many: %d entries\n", total);
  for (int i = 0; i < 300; i++) {
    snprintf(name, sizeof name, "file.%d", i);
    int e = __wasi_path_unlink_file(dir, name);
    if (e) printf("unlink %s: %s\n", name, ename(e));
  }
  show("unlink", __wasi_path_unlink_file(dir, "file"));
  list("emptied", dir);
  show("close", __wasi_fd_close(dir));
  show("rmdir", __wasi_path_remove_directory(root, "rd"));
  return 0;
}
