/* 160x160 double matrix product, 3 times (i-k-j order); prints a checksum of the result. */
#include <stdio.h>

#define N 160
static double a[N][N], b[N][N], c[N][N];

int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) a[i][j] = (i * 7 + j * 3) % 17 * 0.25, b[i][j] = (i - j) % 13 * 0.5;
  for (int r = 0; r < 3; r++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) c[i][j] = 0;
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) {
        double x = a[i][k];
        for (int j = 0; j < N; j++) c[i][j] += x * b[k][j];
      }
    a[r][r] += c[N - 1 - r][r] * 1e-6;
  }
  double sum = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) sum += c[i][j] * (i + 1) - c[j][i];
  printf("%.6f\n", sum);
  return 0;
}
