/* paths: how path arguments resolve, and trailing slashes. Absolute paths, "..", climbing
 * out of the directory descriptor (not just the preopen), NUL bytes, empty paths; trailing
 * slashes on path_open, create_directory, remove_directory, unlink_file, rename, symlink and
 * link; create/exclusive/truncate opens; removing non-empty directories; renames over files
 * and directories. */
#include "conf.h"

static void open_raw(const char *what, fd_t dir, const char *path, size_t len, int oflags) {
  int32_t fd = -1;
  int e = raw_path_open((int32_t)dir, 0, path, (int32_t)len, oflags, __WASI_RIGHTS_FD_READ, 0,
                        0, &fd);
  show(what, e);
  if (!e) (void)__wasi_fd_close((fd_t)fd);
}

int main(void) {
  fd_t root = preopen("/");
  fd_t dir = scratch(root, "p");
  show("mkdir dir", __wasi_path_create_directory(dir, "dir"));
  show("mkdir dir/nested", __wasi_path_create_directory(dir, "dir/nested"));
  make_file(dir, "dir/nested/file", "content");
  open_raw("absolute", dir, "/dir/nested/file", 16, 0);
  open_raw("dots", dir, "dir/.//nested/../../dir/nested/../nested///./file", 49, 0);
  open_raw("trailing NUL", dir, "dir/nested/file\0", 16, 0);
  open_raw("inner NUL", dir, "dir/nes\0ted/file", 16, 0);
  open_raw("file slash", dir, "dir/nested/file/", 16, 0);
  open_raw("file slashes", dir, "dir/nested/file///", 18, 0);
  open_raw("dir slash", dir, "dir/nested/", 11, 0);
  open_raw("dir slashes", dir, "dir/nested///", 13, 0);
  open_raw("climb out of dirfd", dir, "../a.txt", 8, 0);
  open_raw("climb in and out", dir, "dir/../../p/dir", 15, 0);
  open_raw("too many dots", dir, "dir/nested/../../../p/dir/nested/file", 37, 0);
  open_raw("empty", dir, "", 0, 0);
  open_raw("dot", dir, ".", 1, 0);
  open_raw("missing", dir, "nothing", 7, 0);
  open_raw("missing parent", dir, "nothing/file", 12, 0);
  open_raw("through file", dir, "dir/nested/file/x", 17, 0);
  open_raw("missing dir flag", dir, "nothing", 7, __WASI_OFLAGS_DIRECTORY);
  open_raw("file dir flag", dir, "dir/nested/file", 15, __WASI_OFLAGS_DIRECTORY);
  open_raw("create dir flag", dir, "newdir", 6, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY);
  open_raw("create slash", dir, "newfile/", 8, __WASI_OFLAGS_CREAT);
  open_raw("create existing dir", dir, "dir", 3, __WASI_OFLAGS_CREAT);
  open_raw("create excl dir", dir, "dir", 3, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL);
  open_raw("excl without create", dir, "dir/nested/file", 15, __WASI_OFLAGS_EXCL);
  open_raw("create excl existing", dir, "dir/nested/file", 15,
           __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL);
  open_raw("truncate dir", dir, "dir", 3, __WASI_OFLAGS_TRUNC);
  open_raw("create dot", dir, ".", 1, __WASI_OFLAGS_CREAT);
  open_raw("create empty", dir, "", 0, __WASI_OFLAGS_CREAT);
  open_raw("in root via dotdot", root, "sub/../a.txt", 12, 0);
  open_raw("root climb", root, "..", 2, 0);
  open_raw("long name", dir, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 260, __WASI_OFLAGS_CREAT);

  /* create_directory */
  show("mkdir slash", __wasi_path_create_directory(dir, "d2/"));
  show("mkdir existing", __wasi_path_create_directory(dir, "d2"));
  show("mkdir over file", __wasi_path_create_directory(dir, "dir/nested/file"));
  show("mkdir over file slash", __wasi_path_create_directory(dir, "dir/nested/file/"));
  show("mkdir missing parent", __wasi_path_create_directory(dir, "no/such"));
  show("mkdir empty", __wasi_path_create_directory(dir, ""));
  show("mkdir absolute", __wasi_path_create_directory(dir, "/x"));
  show("mkdir climbing", __wasi_path_create_directory(dir, "../x"));

  /* remove_directory and unlink_file */
  show("rmdir slash", __wasi_path_remove_directory(dir, "d2/"));
  make_file(dir, "f", "");
  show("rmdir file", __wasi_path_remove_directory(dir, "f"));
  show("rmdir file slash", __wasi_path_remove_directory(dir, "f/"));
  show("rmdir missing", __wasi_path_remove_directory(dir, "missing"));
  show("rmdir nonempty", __wasi_path_remove_directory(dir, "dir"));
  show("rmdir climbing", __wasi_path_remove_directory(dir, "../empty"));
  show("unlink dir", __wasi_path_unlink_file(dir, "dir"));
  show("unlink dir slash", __wasi_path_unlink_file(dir, "dir/"));
  show("unlink file slash", __wasi_path_unlink_file(dir, "f/"));
  show("unlink missing", __wasi_path_unlink_file(dir, "missing"));
  show("unlink missing slash", __wasi_path_unlink_file(dir, "missing/"));
  show("unlink file", __wasi_path_unlink_file(dir, "f"));

  /* rename */
  show("mkdir source", __wasi_path_create_directory(dir, "source"));
  show("rename src slash", __wasi_path_rename(dir, "source/", dir, "target"));
  show("rename dst slash", __wasi_path_rename(dir, "target", dir, "source/"));
  show("rename both slash", __wasi_path_rename(dir, "source/", dir, "target/"));
  show("rename plain", __wasi_path_rename(dir, "target", dir, "source"));
  make_file(dir, "file", "one");
  make_file(dir, "file2", "two");
  show("rename file slash", __wasi_path_rename(dir, "file/", dir, "x"));
  show("rename file to slash", __wasi_path_rename(dir, "file", dir, "x/"));
  show("rename file over file", __wasi_path_rename(dir, "file2", dir, "file"));
  show("rename file over dir", __wasi_path_rename(dir, "file", dir, "source"));
  show("rename dir over file", __wasi_path_rename(dir, "source", dir, "file"));
  show("mkdir other", __wasi_path_create_directory(dir, "other"));
  make_file(dir, "other/inside", "");
  show("rename dir over nonempty", __wasi_path_rename(dir, "source", dir, "other"));
  show("rename dir over empty", __wasi_path_rename(dir, "other", dir, "source"));
  show("rename into itself", __wasi_path_rename(dir, "source", dir, "source/sub"));
  show("rename missing", __wasi_path_rename(dir, "missing", dir, "x"));
  show("rename to missing dir", __wasi_path_rename(dir, "file", dir, "nodir/x"));
  show("rename out of dirfd", __wasi_path_rename(dir, "file", dir, "../escaped"));
  show("rename across fds", __wasi_path_rename(dir, "file", root, "moved"));
  show("rename back", __wasi_path_rename(root, "moved", dir, "file"));
  show("rename same", __wasi_path_rename(dir, "file", dir, "file"));

  /* symlink and link with trailing slashes */
  show("symlink dangling slash", __wasi_path_symlink("source", dir, "target/"));
  show("symlink dangling", __wasi_path_symlink("source", dir, "target"));
  show("unlink symlink", __wasi_path_unlink_file(dir, "target"));
  show("symlink onto dir slash", __wasi_path_symlink("x", dir, "source/"));
  show("symlink onto dir", __wasi_path_symlink("x", dir, "source"));
  show("symlink onto file slash", __wasi_path_symlink("x", dir, "file/"));
  show("symlink onto file", __wasi_path_symlink("x", dir, "file"));
  show("link file", __wasi_path_link(dir, 0, "file", dir, "hard"));
  show_type("hard", dir, 0, "hard");
  show("link onto existing", __wasi_path_link(dir, 0, "file", dir, "hard"));
  show("link onto itself", __wasi_path_link(dir, 0, "file", dir, "file"));
  show("link onto dir", __wasi_path_link(dir, 0, "file", dir, "source"));
  show("link a dir", __wasi_path_link(dir, 0, "source", dir, "dirlink"));
  show("link slash", __wasi_path_link(dir, 0, "file", dir, "hard2/"));
  show("link from slash", __wasi_path_link(dir, 0, "file/", dir, "hard3"));
  show("link missing", __wasi_path_link(dir, 0, "missing", dir, "hard4"));
  show("link across fds", __wasi_path_link(dir, 0, "file", root, "hard5"));
  show("unlink hard5", __wasi_path_unlink_file(root, "hard5"));
  return 0;
}
