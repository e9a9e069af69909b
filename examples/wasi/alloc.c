/* alloc: allocates and touches N KiB (default 1024) of memory, then exits: many of these in
 * one image check that every page a program used is reclaimed when it ends. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  size_t kib = argc > 1 ? (size_t)atol(argv[1]) : 1024;
  char *p = malloc(kib * 1024);
  if (!p) return 1;
  memset(p, 7, kib * 1024);
  return p[kib * 512] == 7 ? 0 : 2;
}
