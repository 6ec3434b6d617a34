#ifndef CEVENT_SHIM_H
#define CEVENT_SHIM_H
// <sys/types.h> first: libevent defines _GNU_SOURCE and Clang modules must agree on fd_set.
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/util.h>

#endif
