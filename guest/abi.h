/* abi.h: the guest ABI of abi.def in C: trap codes, system call numbers, the vmctx header and
 * the structs shared with compiled code and the host, with accessors. Every field's offset and
 * every struct's size is checked against abi.def at compile time, so the C view and the def
 * (which jit/ and host/ read through osbuild.abi) cannot disagree. Usable from assembly, where
 * it defines only the system call numbers, and from hand-written modules (tests/fixtures). */
#ifndef ABI_H
#define ABI_H

#ifdef __ASSEMBLER__

#define SYSCALL(name, number, stub) .equ SYS_##name, number;
#include "abi.def"

#else

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long i64;

#define ABI_OFFSETOF(type, field) __builtin_offsetof(type, field)

/* ---- numbers ---- */

enum {
#define TRAP(name, code, message) TRAP_##name = code,
#include "abi.def"
};

enum {
#define SYSCALL(name, number, stub) SYS_##name = number,
#include "abi.def"
};

enum {
#define CONST(name, value) name = value,
#include "abi.def"
};

enum {
#define DBG_STATE(name, value, text) DBG_##name = value,
#include "abi.def"
};

enum { /* value type codes: VT_I32 = 0x7F, ... */
#define VALTYPE(name, letter, text, code) VT_##name = code,
#include "abi.def"
};

/* ---- the vmctx header and the shared structs ---- */

struct vmctx {
#define VMCTX(field, type, offset) type field;
#include "abi.def"
};

enum {
#define VMCTX_HEADER(size) VMCTX_HEADER_SIZE = size,
#include "abi.def"
};

#define STRUCT(name) struct name {
#define FIELD(name, field, type, offset) type field;
#define ARRAY(name, field, type, count, offset) struct type field[count];
#define END(name, size) };
#include "abi.def"

/* The def's offsets and sizes are what the compiler lays out. */
#define VMCTX(field, type, offset)                                                                \
  _Static_assert(ABI_OFFSETOF(struct vmctx, field) == offset,                                     \
                 "abi.def: vmctx." #field " is not at " #offset);
#define VMCTX_HEADER(size)                                                                        \
  _Static_assert(sizeof(struct vmctx) <= size, "abi.def: the vmctx fields overflow the header");
#define FIELD(name, field, type, offset)                                                          \
  _Static_assert(ABI_OFFSETOF(struct name, field) == offset,                                      \
                 "abi.def: " #name "." #field " is not at " #offset);
#define ARRAY(name, field, type, count, offset) FIELD(name, field, type, offset)
#define END(name, size)                                                                           \
  _Static_assert(sizeof(struct name) == size, "abi.def: struct " #name " is not " #size " bytes");
#include "abi.def"

/* ---- accessors (a vmctx is a user address, reached with sstatus.SUM set) ---- */

static inline volatile struct vmctx *vmctx_header(u64 vmctx) {
  return (volatile struct vmctx *)vmctx;
}

/* Linear memory 0 of an instance, or 0 if it has none. */
static inline struct memory *vmctx_memory(u64 vmctx) {
  return (struct memory *)vmctx_header(vmctx)->memory;
}

/* Make memory 0 of an instance `mem` (its own, or an imported one). */
static inline void vmctx_set_memory(u64 vmctx, struct memory *mem) {
  vmctx_header(vmctx)->memory = (u64)mem;
  vmctx_header(vmctx)->mem_base = mem->base;
}

static inline void vmctx_set_stack_limit(u64 vmctx, u64 limit) {
  vmctx_header(vmctx)->stack_limit = limit;
}


static inline void vmctx_set_spill(u64 vmctx, u64 spill) { vmctx_header(vmctx)->spill = spill; }

static inline void vmctx_set_handlers(u64 vmctx, u64 word) {
  vmctx_header(vmctx)->handlers = word;
}

static inline void vmctx_set_fuel(u64 vmctx, u64 fuel) { vmctx_header(vmctx)->fuel = fuel; }

/* The per-module area right after the header: a pointer to each global's storage. */
static inline u64 *vmctx_globals(u64 vmctx) { return (u64 *)(vmctx + VMCTX_HEADER_SIZE); }

/* A value type's signature letter ('i', 'I', ...) from its code, 0 if unknown. */
static inline char valtype_letter(u64 code) {
  switch (code) {
#define VALTYPE(name, letter, text, code) case code: return letter;
#include "abi.def"
  }
  return 0;
}

/* A value type's name ("i32", ...) from its signature letter, 0 if unknown. */
static inline const char *valtype_name(char letter) {
  switch (letter) {
#define VALTYPE(name, letter, text, code) case letter: return text;
#include "abi.def"
  }
  return 0;
}

#endif /* __ASSEMBLER__ */
#endif
