#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H
// <sys/types.h> first: libevent defines _GNU_SOURCE and Clang modules must agree on fd_set.
#include <sys/types.h>
#include <hiredis/hiredis.h>
// The async API, driven by our own event hooks on the runtime's libevent loops (RedisConnection):
// hiredis' adapters/libevent.h is header-only and would pull libevent into this module.
#include <hiredis/async.h>

// redisCommand is variadic; commands are sent with redisCommandArgv from Swift instead.

#endif
