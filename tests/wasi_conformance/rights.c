/* rights: rights are limits on later calls, never open modes. The preopen's rights, opening
 * "." with them (the official suite's set-up), with none, with read and read/write; what a
 * file's and a directory's fdstat report after path_open; dropping rights with
 * fd_fdstat_set_rights and trying to use or regain them; truncating through path_open. */
#include "conf.h"

static void fdstat(const char *what, fd_t fd) {
  __wasi_fdstat_t st;
  int e = __wasi_fd_fdstat_get(fd, &st);
  if (e) {
    printf("%s fdstat: %s\n", what, ename(e));
    return;
  }
  printf("%s fdstat: %s flags %x base %llx inheriting %llx\n", what, ftname(st.fs_filetype),
         st.fs_flags, (unsigned long long)st.fs_rights_base,
         (unsigned long long)st.fs_rights_inheriting);
}

static void open_dot(fd_t root, const char *what, __wasi_oflags_t oflags, __wasi_rights_t base,
                     __wasi_rights_t inh) {
  int64_t fd = open_at(what, root, 0, ".", oflags, base, inh, 0);
  if (fd >= 0) {
    fdstat(what, (fd_t)fd);
    show("close", __wasi_fd_close((fd_t)fd));
  }
}

int main(void) {
  fd_t root = preopen("/");
  fdstat("preopen", root);
  __wasi_fdstat_t st;
  show("fdstat", __wasi_fd_fdstat_get(root, &st));
  open_dot(root, "dot directory full rights", __WASI_OFLAGS_DIRECTORY, st.fs_rights_base,
           st.fs_rights_inheriting);
  open_dot(root, "dot full rights", 0, st.fs_rights_base, st.fs_rights_inheriting);
  open_dot(root, "dot no rights", 0, 0, 0);
  open_dot(root, "dot directory no rights", __WASI_OFLAGS_DIRECTORY, 0, 0);
  open_dot(root, "dot directory read", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0);
  open_dot(root, "dot directory read write", __WASI_OFLAGS_DIRECTORY,
           __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0);
  open_dot(root, "dot write", 0, __WASI_RIGHTS_FD_WRITE, 0);
  open_dot(root, "dot seek", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_SEEK, 0);
  open_dot(root, "dot truncate", __WASI_OFLAGS_TRUNC, 0, 0);

  fd_t dir = scratch(root, "rights");
  fdstat("scratch", dir);
  __wasi_rights_t rw = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
                       __WASI_RIGHTS_FD_TELL;
  int64_t f = open_at("create rw", dir, 0, "file", __WASI_OFLAGS_CREAT, rw, 0, 0);
  if (f < 0) return 1;
  fd_t fd = (fd_t)f;
  fdstat("file rw", fd);
  uint8_t data[4] = {0, 1, 2, 3}, back[4] = {9, 9, 9, 9};
  __wasi_ciovec_t out = {data, 4};
  __wasi_iovec_t in = {back, 4};
  __wasi_size_t n = 0;
  __wasi_filesize_t pos = 0;
  show("write", __wasi_fd_write(fd, &out, 1, &n));
  show("seek", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  show("read", __wasi_fd_read(fd, &in, 1, &n));
  printf("read %lu same %d\n", (unsigned long)n, memcmp(data, back, 4) == 0);
  show("drop read write", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_SEEK |
                                                      __WASI_RIGHTS_FD_TELL, 0));
  fdstat("file dropped", fd);
  show("read without right", __wasi_fd_read(fd, &in, 1, &n));
  show("write without right", __wasi_fd_write(fd, &out, 1, &n));
  show("regain", __wasi_fd_fdstat_set_rights(fd, rw, rw));
  show("close", __wasi_fd_close(fd));

  f = open_at("open read only", dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, 0);
  if (f >= 0) {
    fdstat("file ro", (fd_t)f);
    show("write to read-only", __wasi_fd_write((fd_t)f, &out, 1, &n));
    show("read read-only", __wasi_fd_read((fd_t)f, &in, 1, &n));
    show("close", __wasi_fd_close((fd_t)f));
  }
  f = open_at("open write only", dir, 0, "file", 0, __WASI_RIGHTS_FD_WRITE, 0, 0);
  if (f >= 0) {
    fdstat("file wo", (fd_t)f);
    show("read write-only", __wasi_fd_read((fd_t)f, &in, 1, &n));
    show("close", __wasi_fd_close((fd_t)f));
  }
  f = open_at("open no rights", dir, 0, "file", 0, 0, 0, 0);
  if (f >= 0) {
    fdstat("file none", (fd_t)f);
    show("read no rights", __wasi_fd_read((fd_t)f, &in, 1, &n));
    show("close", __wasi_fd_close((fd_t)f));
  }
  f = open_at("truncate no rights", dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0);
  if (f >= 0) show("close", __wasi_fd_close((fd_t)f));
  show_type("after truncate", dir, 0, "file");
  show("dir set rights same", __wasi_fd_fdstat_set_rights(dir, st.fs_rights_base,
                                                          st.fs_rights_inheriting));
  show("dir drop set size", __wasi_fd_fdstat_set_rights(
                                dir, st.fs_rights_base & ~__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE,
                                st.fs_rights_inheriting));
  fdstat("scratch after", dir);
  f = open_at("truncate after drop", dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0);
  if (f >= 0) show("close", __wasi_fd_close((fd_t)f));

  show("mkdir sub", __wasi_path_create_directory(dir, "seekdir"));
  f = open_at("dir with seek", dir, 0, "seekdir", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_SEEK,
              0, 0);
  if (f >= 0) {
    fdstat("seekdir", (fd_t)f);
    __wasi_filesize_t p;
    show("seek dir", __wasi_fd_seek((fd_t)f, 0, __WASI_WHENCE_CUR, &p));
    show("close", __wasi_fd_close((fd_t)f));
  }
  show("rmdir", __wasi_path_remove_directory(dir, "seekdir"));
  show("unlink", __wasi_path_unlink_file(dir, "file"));
  show("close scratch", __wasi_fd_close(dir));
  show("rmdir scratch", __wasi_path_remove_directory(root, "rights"));
  return 0;
}
