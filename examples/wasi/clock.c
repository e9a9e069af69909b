/* clock: checks the clocks and random_get the way a program would use them, printing only
 * what is the same on every run and every engine. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec a, b, r;
  clock_gettime(CLOCK_MONOTONIC, &a);
  volatile unsigned long spin = 0;
  for (int i = 0; i < 1000000; i++) spin += i;
  clock_gettime(CLOCK_MONOTONIC, &b);
  clock_gettime(CLOCK_REALTIME, &r);
  long long da = (long long)a.tv_sec * 1000000000LL + a.tv_nsec;
  long long db = (long long)b.tv_sec * 1000000000LL + b.tv_nsec;
  printf("monotonic advances: %s\n", db > da ? "yes" : "no");
  printf("realtime after 2020: %s\n", r.tv_sec > 1577836800 ? "yes" : "no");
  unsigned char x[32], y[32], zero[32] = {0};
  getentropy(x, sizeof x);
  getentropy(y, sizeof y);
  printf("random differs: %s\n", memcmp(x, y, 32) && memcmp(x, zero, 32) ? "yes" : "no");
  return 0;
}
