/* debug.h: what the host debugger (osbuild debug) reads from the guest's memory through QEMU's
 * gdbstub: a fixed-layout table of instances at the symbol `osb_debug`. */
#ifndef DEBUG_H
#define DEBUG_H
#include "osb.h"

#define DEBUG_MAX_INSTANCES 256
enum { DBG_NONE, DBG_READY, DBG_TRAPPED, DBG_FAILED, DBG_DROPPED };

struct osb_debug_instance {     /* 32 bytes */
  u32 module, state;            /* manifest index, DBG_* */
  u64 vmctx;                    /* user address (valid while its store's table is active) */
  u32 store, last_trap;         /* last trap code + 1 (0: none) */
  u64 memory;                   /* user address of its struct memory (0: none) */
};

struct osb_debug {
  u32 version, ninstances;
  u32 current, running;         /* instance of the last command; 1 while wasm code runs */
  u32 exited, exit_status;      /* the script finished (debug sessions do not power off) */
  struct osb_debug_instance inst[DEBUG_MAX_INSTANCES];
};
extern struct osb_debug osb_debug;
#endif
