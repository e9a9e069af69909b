/* ticker: prints "tick N" N times (default 5), every 100 ms of the monotonic clock: a program
 * that sleeps (poll_oneoff with a clock), so the kernel runs others meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5;
  struct timespec step = {0, 100 * 1000 * 1000};
  for (int i = 1; i <= n; i++) {
    nanosleep(&step, NULL);
    printf("tick %d\n", i);
    fflush(stdout);
  }
  return 0;
}
