/* debug.h: what the host debugger (osbuild debug) reads from the guest's memory through QEMU's
 * gdbstub: a fixed-layout table of instances at the symbol `osb_debug`. */
#ifndef DEBUG_H
#define DEBUG_H
#include "osb.h"

/* struct osb_debug, struct osb_debug_instance, DEBUG_MAX_INSTANCES and the DBG_* states are
 * defined in abi.def, which host/debug.py reads too. */
extern struct osb_debug osb_debug;
#endif
