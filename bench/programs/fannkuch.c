/* fannkuch-redux of the Computer Language Benchmarks Game, n = 9: checksum and max flips. */
#include <stdio.h>

#define N 9

int main(void) {
  int perm[N], perm1[N], count[N];
  int maxflips = 0, checksum = 0, permcount = 0, r = N;
  for (int i = 0; i < N; i++) perm1[i] = i;
  for (;;) {
    for (; r != 1; r--) count[r - 1] = r;
    for (int i = 0; i < N; i++) perm[i] = perm1[i];
    int flips = 0;
    for (int k; (k = perm[0]) != 0; flips++)
      for (int i = 0, j = k; i < j; i++, j--) {
        int t = perm[i];
        perm[i] = perm[j], perm[j] = t;
      }
    if (flips > maxflips) maxflips = flips;
    checksum += permcount % 2 == 0 ? flips : -flips;
    for (;;) {
      if (r == N) {
        printf("%d\nPfannkuchen(%d) = %d\n", checksum, N, maxflips);
        return 0;
      }
      int p0 = perm1[0];
      for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = p0;
      if (--count[r] > 0) break;
      r++;
    }
    permcount++;
  }
}
