/* manifest.h: the instance descriptor that boot/ generates (manifest.c) from each module's
 * metadata: what the kernel needs to instantiate, link and call a compiled module. */
#ifndef MANIFEST_H
#define MANIFEST_H
#include "osb.h"

enum { KIND_FUNC, KIND_TABLE, KIND_MEMORY, KIND_GLOBAL, KIND_TAG };
#define NO_MAX (~0UL)

typedef void (*ufunc)(void); /* a U-mode code address; never called by the kernel */

struct osb_import {
  const char *module, *name; /* not NUL-terminated: names may contain any byte */
  u32 module_len, name_len;
  u8 kind;
  u32 index;        /* index within its kind's index space */
  const char *sig;  /* func: signature string, e.g. "iI:f" */
  ufunc thunk;      /* func: P_imp<N>, which calls the host through osb_hostcall */
  u64 tid;          /* func, tag: the type id (call_indirect's), equal for equal types */
  u8 valtype, mut;  /* global */
  u64 ref;          /* global: the reference type's key (REF_KEY_*), 0 for a number */
  u64 min, max;     /* memory (pages) / table (elements); max NO_MAX if absent */
  u64 elem;         /* table: the element type's key (REF_KEY_*) */
  u8 index64;       /* memory/table: 64-bit addresses or indices; must match the export's */
};

struct osb_export {
  const char *name;
  u32 name_len;
  u8 kind;
  u32 index;
  const char *sig; /* func */
  ufunc shim;      /* func: P_x<N> */
  u64 tid;         /* func, tag: type id */
  u8 valtype, mut; /* global */
  u64 ref;         /* global: reference type key, 0 for a number */
};

/* The key of a reference type that the import check compares (jit/wasmtypes.py `ref_key`):
 * NULLABLE | kind | FUNC_FAMILY | id << 8; kind top (func, extern), bottom (nofunc,
 * noextern), a concrete function type (id: hash of its identity) or another abstract type. */
#define REF_KEY_NULLABLE 0x1UL
#define REF_KEY_KIND 0xEUL
#define REF_KEY_TOP (1UL << 1)
#define REF_KEY_BOTTOM (2UL << 1)
#define REF_KEY_CONCRETE (3UL << 1)
#define REF_KEY_OTHER (4UL << 1)
#define REF_KEY_FUNC_FAMILY 0x10UL
#define REF_KEY_FUNCREF (REF_KEY_NULLABLE | REF_KEY_TOP | REF_KEY_FUNC_FAMILY)

struct osb_table_def { u64 min, max, elem; u8 index64; }; /* elem: REF_KEY_* */ /* index64: table64 */
struct osb_memory_def { u64 min, max; u8 index64; }; /* pages; max NO_MAX if absent */

struct osb_module {
  const char *name;
  u32 nimports, nexports;
  const struct osb_import *imports;
  const struct osb_export *exports;
  u32 nfuncs, nimported_funcs, nglobals, nimported_globals, ntables, nimported_tables;
  const struct osb_table_def *tables;  /* defined tables */
  u32 nmemories, nimported_memories;   /* multi-memory: imported memories come first */
  const struct osb_memory_def *memories; /* defined memories */
  u32 vm_globals, vm_funcs, vm_tables, vm_memories, vm_funcrefs, vm_dropped, vm_size; /* vmctx */
  u32 ntags, nimported_tags, vm_tags; /* tag slots: each holds the tag's identity (an address) */
  ufunc init, start;                   /* start: the start function's shim or 0 */
};

extern const struct osb_module *const osb_modules[];
extern const u32 osb_nmodules;
#endif
