/* latency: sleeps 10 ms fifty times and prints how late each wake-up was (the monotonic
 * clock's overshoot): mean and maximum in microseconds. */
#include <stdio.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
  struct timespec step = {0, 10 * 1000 * 1000};
  long long sum = 0, worst = 0;
  for (int i = 0; i < 50; i++) {
    long long before = now_ns();
    nanosleep(&step, NULL);
    long long late = now_ns() - before - 10000000LL;
    sum += late;
    if (late > worst) worst = late;
  }
  printf("wake-up late by %.0f us on average, %.0f us at most\n", sum / 50 / 1e3, worst / 1e3);
  return 0;
}
