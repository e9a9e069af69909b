/* symlinks: following and not following. path_open with and without SYMLINK_FOLLOW on links
 * to files, directories, dangling links and loops (ELOOP, ENOTDIR), links in the middle of a
 * path (always followed), links that climb out of the preopen or are absolute (never
 * followed out), path_filestat_get/set_times on the link and through it, readlink with short
 * buffers, symlink creation errors, and hard links to symlinks. */
#include "conf.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static void try_open(fd_t dir, const char *path) {
  char what[160];
  __wasi_oflags_t of[2] = {0, __WASI_OFLAGS_DIRECTORY};
  for (int follow = 0; follow < 2; follow++)
    for (int d = 0; d < 2; d++) {
      fd_t fd;
      int e = __wasi_path_open(dir, follow ? FOLLOW : 0, path, of[d], __WASI_RIGHTS_FD_READ, 0,
                               0, &fd);
      __wasi_filestat_t st = {0};
      if (!e) {
        (void)__wasi_fd_filestat_get(fd, &st);
        (void)__wasi_fd_close(fd);
      }
      snprintf(what, sizeof what, "open %s%s%s", path, follow ? " follow" : "",
               d ? " directory" : "");
      printf("%s: %s%s%s\n", what, ename(e), e ? "" : " ", e ? "" : ftname(st.filetype));
    }
  snprintf(what, sizeof what, "stat %s", path);
  show_type(what, dir, 0, path);
  snprintf(what, sizeof what, "stat %s follow", path);
  show_type(what, dir, FOLLOW, path);
}

static void readlink_at(fd_t dir, const char *path, size_t cap) {
  char buf[64] = {0};
  __wasi_size_t n = 0;
  int e = __wasi_path_readlink(dir, path, (uint8_t *)buf, cap, &n);
  printf("readlink %s cap %zu: %s %lu '%.*s'\n", path, cap, ename(e), (unsigned long)n, (int)n,
         buf);
}

int main(void) {
  fd_t root = preopen("/");
  const char *paths[] = {
    "link_a", "link_sub", "link_dangling", "link_self", "link_up", "link_abs",
    "sub/link_parent", "sub/link_escape", "sub/link_b", "link_sub/b.txt", "link_sub/",
    "link_a/", "link_sub/link_parent/a.txt", "link_sub/link_escape", "link_up/x",
    "link_dangling/", "link_self/x", "sub/link_parent/sub/link_b", "link_sub/.."};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) try_open(root, paths[i]);

  readlink_at(root, "link_a", 64);
  readlink_at(root, "link_a", 3);
  readlink_at(root, "link_a", 0);
  readlink_at(root, "link_up", 64);
  readlink_at(root, "a.txt", 64);
  readlink_at(root, "sub", 64);
  readlink_at(root, "nothing", 64);
  readlink_at(root, "link_sub/link_b", 64);
  readlink_at(root, "link_a/", 64);

  fd_t dir = scratch(root, "sl");
  show("symlink absolute", __wasi_path_symlink("/", dir, "abs"));
  show("symlink absolute file", __wasi_path_symlink("/etc/passwd", dir, "abs2"));
  show("symlink climbing", __wasi_path_symlink("../../x", dir, "up"));
  show("symlink empty target", __wasi_path_symlink("", dir, "empty"));
  show("symlink onto existing", __wasi_path_symlink("x", root, "a.txt"));
  show("symlink onto symlink", __wasi_path_symlink("x", root, "link_a"));
  show("symlink onto dir", __wasi_path_symlink("x", root, "sub"));
  show("symlink into missing dir", __wasi_path_symlink("x", dir, "missing/l"));
  show("symlink to dir", __wasi_path_symlink("../sub", dir, "tosub"));
  try_open(dir, "tosub");
  try_open(dir, "tosub/deeper");
  show("mkdir through link", __wasi_path_create_directory(dir, "tosub/made"));
  show_type("made", root, 0, "sub/made");
  show("rmdir through link", __wasi_path_remove_directory(dir, "tosub/made"));
  show("create through link", __wasi_path_open(dir, 0, "tosub/new.txt", __WASI_OFLAGS_CREAT,
                                              __WASI_RIGHTS_FD_WRITE, 0, 0, &(fd_t){0}));
  show_type("new.txt", root, 0, "sub/new.txt");
  show("unlink through link", __wasi_path_unlink_file(dir, "tosub/new.txt"));
  show("create via dangling link", __wasi_path_open(root, FOLLOW, "link_dangling",
                                                    __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE,
                                                    0, 0, &(fd_t){0}));
  show("create excl on link", __wasi_path_open(root, FOLLOW, "link_a", __WASI_OFLAGS_CREAT |
                                               __WASI_OFLAGS_EXCL, 0, 0, 0, &(fd_t){0}));
  show("create excl on dangling", __wasi_path_open(root, 0, "link_self", __WASI_OFLAGS_CREAT |
                                                   __WASI_OFLAGS_EXCL, 0, 0, 0, &(fd_t){0}));
  show("create on link nofollow", __wasi_path_open(root, 0, "link_a", __WASI_OFLAGS_CREAT,
                                                   0, 0, 0, &(fd_t){0}));

  /* Times on the link itself and through it. */
  __wasi_filestat_t file, link, after, through;
  make_file(dir, "t", "");
  show("symlink t", __wasi_path_symlink("t", dir, "tl"));
  show("stat t", __wasi_path_filestat_get(dir, 0, "t", &file));
  show("stat tl", __wasi_path_filestat_get(dir, 0, "tl", &link));
  show("set link mtime", __wasi_path_filestat_set_times(dir, 0, "tl", 0, 1000000000ULL,
                                                        __WASI_FSTFLAGS_MTIM));
  show("stat tl", __wasi_path_filestat_get(dir, 0, "tl", &after));
  show("stat t follow tl", __wasi_path_filestat_get(dir, FOLLOW, "tl", &through));
  printf("link mtime set %d, target untouched %d\n", after.mtim == 1000000000ULL,
         through.mtim == file.mtim);
  show("set target mtime", __wasi_path_filestat_set_times(dir, FOLLOW, "tl", 0, 2000000000ULL,
                                                          __WASI_FSTFLAGS_MTIM));
  show("stat t", __wasi_path_filestat_get(dir, 0, "t", &after));
  printf("target mtime set %d\n", after.mtim == 2000000000ULL);

  /* Hard links of symlinks (not followed), and path_link with FOLLOW. */
  show("link to dangling", __wasi_path_link(root, 0, "link_dangling", dir, "hl"));
  show_type("hl", dir, 0, "hl");
  show("link to loop", __wasi_path_link(root, 0, "link_self", dir, "hl2"));
  show("link onto dangling", __wasi_path_link(dir, 0, "t", root, "link_dangling"));
  show("link follow", __wasi_path_link(root, FOLLOW, "link_a", dir, "hl3"));
  show("link follow dangling", __wasi_path_link(root, FOLLOW, "link_dangling", dir, "hl4"));
  show("link escaping", __wasi_path_link(root, 0, "sub/link_escape/..", dir, "hl5"));

  /* Renaming and removing symlinks acts on the link. */
  show("rename link", __wasi_path_rename(root, "link_sub", dir, "moved"));
  show_type("moved", dir, 0, "moved");
  show("rename back", __wasi_path_rename(dir, "moved", root, "link_sub"));
  show("rmdir on dir link", __wasi_path_remove_directory(root, "link_sub"));
  show("unlink dir link slash", __wasi_path_unlink_file(root, "link_sub/"));
  show("rmdir dir link slash", __wasi_path_remove_directory(root, "link_sub/"));
  show("unlink loop", __wasi_path_unlink_file(root, "link_self"));
  show("unlink escaping", __wasi_path_unlink_file(root, "link_up"));
  show("unlink abs", __wasi_path_unlink_file(root, "link_abs"));
  return 0;
}
