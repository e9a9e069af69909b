/* flood: writes 4 KiB blocks to stdout until a write fails or N MiB (default 64) are written,
 * then reports on stderr how it ended ("wrote N bytes" and the error, if any). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long long limit = (argc > 1 ? atoll(argv[1]) : 64) << 20, total = 0;
  static char block[4096];
  memset(block, 'x', sizeof block);
  block[sizeof block - 1] = '\n';
  while (total < limit) {
    ssize_t n = write(1, block, sizeof block);
    if (n < 0) {
      fprintf(stderr, "wrote %lld bytes: %s\n", total, strerror(errno));
      return 3;
    }
    total += n;
  }
  fprintf(stderr, "wrote %lld bytes\n", total);
  return 0;
}
