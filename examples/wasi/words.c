/* words: prints N words (default 1000), one per line: the producer of examples/os. */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  for (int i = 0; i < n; i++) printf("word%d\n", i);
  return 0;
}
