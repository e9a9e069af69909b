/* upper: a file-processing tool. Reads the file IN from a preopened directory, writes its
 * text upper-cased to OUT, and reports the number of bytes and lines. */
#include <ctype.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: upper IN OUT\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  FILE *out = fopen(argv[2], "w");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  long bytes = 0, lines = 0;
  int c;
  while ((c = fgetc(in)) != EOF) {
    fputc(toupper(c), out);
    bytes++;
    lines += c == '\n';
  }
  fclose(in);
  fclose(out);
  printf("%ld bytes, %ld lines\n", bytes, lines);
  return 0;
}
