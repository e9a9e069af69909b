/* args: prints its arguments, one environment variable and whether stdin/stdout/stderr are
 * terminals, writes to stderr, and exits with status 3 when given more than two arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char *name = getenv("NAME");
  printf("NAME=%s\n", name ? name : "(unset)");
  printf("isatty=%d%d%d\n", isatty(0), isatty(1), isatty(2));
  fprintf(stderr, "a line on stderr\n");
  return argc > 2 ? 3 : 0;
}
