/* Mandelbrot set on a 400x300 grid, up to 200 iterations per point; prints the iteration
 * total and a hash of the escape counts. */
#include <stdint.h>
#include <stdio.h>

int main(void) {
  uint64_t total = 0;
  uint32_t hash = 2166136261u;
  for (int py = 0; py < 300; py++)
    for (int px = 0; px < 400; px++) {
      double cr = -2.2 + px * (3.2 / 400), ci = -1.2 + py * (2.4 / 300);
      double zr = 0, zi = 0;
      int n = 0;
      while (n < 200 && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        n++;
      }
      total += n;
      hash = (hash ^ (uint32_t)n) * 16777619u;
    }
  printf("%llu %08x\n", (unsigned long long)total, hash);
  return 0;
}
