/* head1: prints the first line of its stdin and exits without reading the rest: the writer
 * of a pipe into it then sees EPIPE. */
#include <stdio.h>

int main(void) {
  char line[256];
  if (fgets(line, sizeof line, stdin)) fputs(line, stdout);
  return 0;
}
