#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// <sys/types.h> first: libevent defines _GNU_SOURCE and Clang modules must agree on fd_set.
#include <sys/types.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>

#endif
