/* SIMD-friendly kernels written in plain C, left to the compilers' auto-vectorisers: a 3x3 box
 * blur of a 256x256 8-bit image (integer lanes), a float dot product and saxpy, and a 16-bit
 * saturating brighten. Prints checksums, so every build's output can be compared. */
#include <stdint.h>
#include <stdio.h>

#define W 256
#define H 256
#define N 4096

static uint8_t img[H][W], out[H][W];
static float xs[N], ys[N];
static int16_t px[N];

static void blur(void) {
  for (int y = 1; y < H - 1; y++)
    for (int x = 1; x < W - 1; x++) {
      unsigned s = 0;
      for (int dy = -1; dy <= 1; dy++)
        s += img[y + dy][x - 1] + img[y + dy][x] + img[y + dy][x + 1];
      out[y][x] = (uint8_t)(s / 9);
    }
}

static float dot(void) {
  float s = 0;
  for (int i = 0; i < N; i++) s += xs[i] * ys[i];
  return s;
}

static void saxpy(float a) {
  for (int i = 0; i < N; i++) ys[i] = a * xs[i] + ys[i];
}

static void brighten(int16_t d) {
  for (int i = 0; i < N; i++) {
    int v = px[i] + d;
    px[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
}

int main(void) {
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) img[y][x] = (uint8_t)(x * 7 + y * 13 + (x * y >> 3));
  for (int i = 0; i < N; i++) xs[i] = (float)(i % 37) * 0.125f, ys[i] = (float)(i % 11) - 5.0f;
  for (int i = 0; i < N; i++) px[i] = (int16_t)(i * 977);
  uint32_t h = 0;
  float d = 0;
  for (int r = 0; r < 8; r++) {
    blur();
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++) img[y][x] ^= out[y][x];
    saxpy(0.5f);
    d += dot();
    brighten((int16_t)(1000 * r - 3000));
  }
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) h = h * 31 + img[y][x];
  for (int i = 0; i < N; i++) h = h * 31 + (uint16_t)px[i];
  printf("%08x %.3f\n", h, d);
  return 0;
}
