/* dirfd: what every fd_* call answers on a directory descriptor (the preopen and a directory
 * opened below it), the prestat calls, a file or stdio used as the directory of a path_*
 * call, and removing "." or the preopen itself. */
#include "conf.h"

static void fd_calls(const char *who, fd_t fd) {
  uint8_t buf[128];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_ciovec_t ciov = {buf, sizeof buf};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  char what[96];
#define CALL(name, expr) (snprintf(what, sizeof what, "%s %s", who, name), show(what, expr))
  CALL("read", __wasi_fd_read(fd, &iov, 1, &n));
  CALL("pread", __wasi_fd_pread(fd, &iov, 1, 0, &n));
  CALL("write", __wasi_fd_write(fd, &ciov, 1, &n));
  CALL("pwrite", __wasi_fd_pwrite(fd, &ciov, 1, 0, &n));
  CALL("seek cur", __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos));
  CALL("seek set", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  CALL("seek end", __wasi_fd_seek(fd, 0, __WASI_WHENCE_END, &pos));
  CALL("tell", __wasi_fd_tell(fd, &pos));
  CALL("allocate", __wasi_fd_allocate(fd, 0, 1));
  CALL("set size", __wasi_fd_filestat_set_size(fd, 0));
  CALL("advise", __wasi_fd_advise(fd, 0, 1, __WASI_ADVICE_NORMAL));
  CALL("sync", __wasi_fd_sync(fd));
  CALL("datasync", __wasi_fd_datasync(fd));
  CALL("set flags 0", __wasi_fd_fdstat_set_flags(fd, 0));
  CALL("set flags append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
  CALL("set flags nonblock", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
  CALL("set flags back", __wasi_fd_fdstat_set_flags(fd, 0));
  CALL("set times now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  CALL("set times both", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM |
                                                                 __WASI_FSTFLAGS_MTIM_NOW));
  CALL("readdir", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &n));
  __wasi_filestat_t st;
  CALL("filestat", __wasi_fd_filestat_get(fd, &st));
  printf("%s filestat type %s\n", who, ftname(st.filetype));
  __wasi_prestat_t pre;
  CALL("prestat", __wasi_fd_prestat_get(fd, &pre));
  CALL("shutdown", __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD));
#undef CALL
}

int main(void) {
  fd_t root = preopen("/");
  fd_calls("preopen", root);
  __wasi_prestat_t pre;
  show("prestat", __wasi_fd_prestat_get(root, &pre));
  printf("prestat tag %d len %lu\n", pre.tag, (unsigned long)pre.u.dir.pr_name_len);
  uint8_t name[8] = {0};
  show("dir name 0", __wasi_fd_prestat_dir_name(root, name, 0));
  show("dir name exact", __wasi_fd_prestat_dir_name(root, name, pre.u.dir.pr_name_len));
  show("dir name larger", __wasi_fd_prestat_dir_name(root, name, sizeof name));
  printf("name %s\n", name);

  int64_t sub = open_at("open sub", root, 0, "sub", __WASI_OFLAGS_DIRECTORY, 0, 0, 0);
  if (sub >= 0) {
    fd_calls("sub", (fd_t)sub);
    show("sub dir name", __wasi_fd_prestat_dir_name((fd_t)sub, name, sizeof name));
    show("rmdir dot", __wasi_path_remove_directory((fd_t)sub, "."));
    show("rmdir deeper dotdot", __wasi_path_remove_directory((fd_t)sub, "deeper/.."));
    show("unlink dot", __wasi_path_unlink_file((fd_t)sub, "."));
    show("mkdir dot", __wasi_path_create_directory((fd_t)sub, "."));
    show("mkdir dotdot", __wasi_path_create_directory((fd_t)sub, ".."));
    show("rename dot", __wasi_path_rename((fd_t)sub, ".", (fd_t)sub, "x"));
    show("close sub", __wasi_fd_close((fd_t)sub));
  }
  show("rmdir root dot", __wasi_path_remove_directory(root, "."));
  show("rmdir root empty", __wasi_path_remove_directory(root, ""));
  show("unlink root empty", __wasi_path_unlink_file(root, ""));
  show_type("stat empty path", root, 0, "");
  show_type("stat dot", root, 0, ".");

  int64_t file = open_at("open file", root, 0, "a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0);
  if (file >= 0) {
    fd_t f = (fd_t)file;
    fd_t out;
    show("file as dirfd open", __wasi_path_open(f, 0, "x", 0, 0, 0, 0, &out));
    show("file as dirfd mkdir", __wasi_path_create_directory(f, "x"));
    show("file as dirfd unlink", __wasi_path_unlink_file(f, "x"));
    show("file as dirfd rmdir", __wasi_path_remove_directory(f, "x"));
    show("file as dirfd symlink", __wasi_path_symlink("a", f, "x"));
    show("file as dirfd rename", __wasi_path_rename(f, "x", root, "y"));
    show("file as rename target", __wasi_path_rename(root, "a.txt", f, "y"));
    __wasi_filestat_t st;
    show("file as dirfd stat", __wasi_path_filestat_get(f, 0, "x", &st));
    show("file as dirfd stat empty", __wasi_path_filestat_get(f, 0, "", &st));
    show("file as dirfd link", __wasi_path_link(f, 0, "x", root, "y"));
    uint8_t buf[16];
    __wasi_size_t n;
    show("file as dirfd readlink", __wasi_path_readlink(f, "x", buf, sizeof buf, &n));
    show("file as dirfd times", __wasi_path_filestat_set_times(f, 0, "x", 0, 0, 0));
    show("file readdir", __wasi_fd_readdir(f, buf, sizeof buf, 0, &n));
    show("file prestat", __wasi_fd_prestat_get(f, &pre));
    show("file prestat name", __wasi_fd_prestat_dir_name(f, name, sizeof name));
    show("file shutdown", __wasi_sock_shutdown(f, __WASI_SDFLAGS_WR));
    show("close file", __wasi_fd_close(f));
  }
  fd_t out;
  show("stdout as dirfd open", __wasi_path_open(1, 0, "x", 0, 0, 0, 0, &out));
  show("stdin as dirfd mkdir", __wasi_path_create_directory(0, "x"));
  show("bad fd open", __wasi_path_open(99, 0, "x", 0, 0, 0, 0, &out));
  show("bad fd mkdir", __wasi_path_create_directory(99, "x"));
  show("bad fd shutdown", __wasi_sock_shutdown(99, __WASI_SDFLAGS_WR));
  show("bad fd prestat", __wasi_fd_prestat_get(99, &pre));
  return 0;
}
