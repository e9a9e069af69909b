/* abi.c: the ABI as the C compiler sees it, kept in the image as the table `osb_abi_table`:
 * one (name, value) entry per fact of abi.def, with offsets and sizes from offsetof/sizeof of
 * the real structs. tests/test_abi.py reads it from a built image and compares it with what
 * osbuild.abi (the Python reader of abi.def) says. Nothing in the kernel reads it. */
#include "abi.h"

struct osb_abi_entry {
  const char *name;
  u64 value;
};

#define ABI_SIZEOF(type, field) sizeof(((type *)0)->field)

const struct osb_abi_entry osb_abi_table[] = {
#define VMCTX(field, type, offset)                                                                \
  {"vmctx." #field, ABI_OFFSETOF(struct vmctx, field)},                                           \
  {"vmctx." #field ".size", ABI_SIZEOF(struct vmctx, field)},
#define VMCTX_HEADER(size) {"vmctx.header", VMCTX_HEADER_SIZE},
#define TRAP(name, code, message) {"trap." #name, TRAP_##name},
#define SYSCALL(name, number, stub) {"syscall." #name, SYS_##name},
#define CONST(name, value) {"const." #name, name},
#define FIELD(name, field, type, offset)                                                          \
  {"struct." #name "." #field, ABI_OFFSETOF(struct name, field)},                                 \
  {"struct." #name "." #field ".size", ABI_SIZEOF(struct name, field)},
#define ARRAY(name, field, type, count, offset) FIELD(name, field, type, offset)
#define END(name, size) {"struct." #name, sizeof(struct name)},
#define DBG_STATE(name, value, text) {"debug." #name, DBG_##name},
#define VALTYPE(name, letter, text, code)                                                         \
  {"valtype." #name, VT_##name}, {"valtype." #name ".letter", (u8)(letter)},
#include "abi.def"
};
