#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
// glibc functions Swift's Glibc module leaves out.
#include <malloc.h>
#include <sys/prctl.h>

// Names the calling thread (`top -H`, perf); prctl is variadic, which Swift can't call.
static inline int CSystem_setThreadName(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

#endif
