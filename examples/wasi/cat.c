/* cat: copies stdin to stdout in 64 KiB reads and writes, as `cat` does; the program of
 * bench/stdio_throughput.py and of the stdio tests (tests/test_stdio.py). */
#include <unistd.h>

static char buf[65536];

int main(void) {
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) return 1;
    if (n == 0) return 0;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(1, buf + done, (size_t)(n - done));
      if (w <= 0) return 1;
      done += w;
    }
  }
}
