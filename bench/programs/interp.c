/* A bytecode interpreter (a stack machine with a switch dispatch loop) running a
 * trial-division loop over the numbers below 30,000; prints its count and the steps taken. */
#include <stdint.h>
#include <stdio.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, INC, HALT };

/* locals: 0 = n, 1 = d, 2 = count, 3 = limit, 4 = prime flag */
static const int32_t program[] = {
    PUSH, 2, STORE, 0,          /* 0: n = 2 */
    PUSH, 0, STORE, 2,          /* 4: count = 0 */
    PUSH, 30000, STORE, 3,      /* 8: limit */
    LOAD, 0, LOAD, 3, LT, JZ, 72, /* 12: while n < limit */
    PUSH, 1, STORE, 4,          /* 19: prime = 1 */
    PUSH, 2, STORE, 1,          /* 23: d = 2 */
    LOAD, 1, LOAD, 1, MUL, LOAD, 0, LT, /* 27: d*d < n + 1 ... (d*d < n) */
    LOAD, 1, LOAD, 1, MUL, LOAD, 0, SUB, PUSH, 0, LT, /* fallthrough helper: unused value */
    ADD, JZ, 62,                /* while d*d <= n */
    LOAD, 0, LOAD, 1, MOD, JZ, 66, /* 49: if n % d == 0: not prime */
    INC, 1, JMP, 27,            /* 56: d++ */
    HALT, HALT,                 /* 60: padding */
    LOAD, 4, JMP, 68,           /* 62: prime flag */
    PUSH, 0,                    /* 66: not prime */
    LOAD, 2, ADD, STORE, 2,     /* 68: count += flag */
    INC, 0, JMP, 12,            /* n++ */
    HALT};

static int64_t run(const int32_t *code, int64_t *steps_out) {
  int64_t stack[64], locals[8] = {0};
  int sp = 0, pc = 0;
  int64_t steps = 0;
  for (;;) {
    steps++;
    switch (code[pc]) {
    case PUSH: stack[sp++] = code[pc + 1]; pc += 2; break;
    case LOAD: stack[sp++] = locals[code[pc + 1]]; pc += 2; break;
    case STORE: locals[code[pc + 1]] = stack[--sp]; pc += 2; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; pc++; break;
    case SUB: sp--; stack[sp - 1] -= stack[sp]; pc++; break;
    case MUL: sp--; stack[sp - 1] *= stack[sp]; pc++; break;
    case MOD: sp--; stack[sp - 1] %= stack[sp]; pc++; break;
    case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; pc++; break;
    case JZ: pc = stack[--sp] ? pc + 2 : code[pc + 1]; break;
    case JMP: pc = code[pc + 1]; break;
    case INC: locals[code[pc + 1]]++; pc += 2; break;
    default: *steps_out = steps; return locals[2];
    }
  }
}

int main(void) {
  int64_t steps = 0;
  int64_t count = run(program, &steps);
  printf("%lld primes, %lld steps\n", (long long)count, (long long)steps);
  return 0;
}
