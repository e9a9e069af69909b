/* args: prints its arguments and one environment variable, writes to stderr, and exits with
 * status 3 when given more than two arguments. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char *name = getenv("NAME");
  printf("NAME=%s\n", name ? name : "(unset)");
  fprintf(stderr, "a line on stderr\n");
  return argc > 2 ? 3 : 0;
}
