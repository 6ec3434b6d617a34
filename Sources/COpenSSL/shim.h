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

// OSSL_PARAM arrays keep raw pointers to their key names and string values (DESIGN §3). Building
// them here points every name at a C string literal (static storage), never at a Swift temporary,
// and the arrays live on the C stack for exactly the call that reads them. A NULL buffer with
// length 0 (an empty Swift array) is replaced by a pointer to a static byte, because providers
// treat a NULL key/salt as "not given" rather than "empty".
static const unsigned char COpenSSL_empty_bytes[1] = { 0 };

// HMAC-SHA256: EVP_MAC_init with the digest parameter.
// - SeeAlso: https://docs.openssl.org/3.0/man7/EVP_MAC-HMAC/
static inline int COpenSSL_MAC_init_hmac_sha256(EVP_MAC_CTX *ctx, const unsigned char *key, size_t keylen) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_init(ctx, key != NULL ? key : COpenSSL_empty_bytes, keylen, params);
}

// HKDF-SHA256 (extract and expand) with EVP_KDF, which measured 2.6x faster than EVP_PKEY_derive.
// An empty salt is left out: RFC 5869 §2.2 then uses HashLen zero bytes, which gives the same PRK.
// - SeeAlso: https://docs.openssl.org/3.0/man7/EVP_KDF-HKDF/
static inline int COpenSSL_KDF_derive_hkdf_sha256(EVP_KDF_CTX *ctx, unsigned char *out, size_t outlen,
                                                  const unsigned char *key, size_t keylen,
                                                  const unsigned char *salt, size_t saltlen,
                                                  const unsigned char *info, size_t infolen) {
    OSSL_PARAM params[5];
    OSSL_PARAM *p = params;
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                             (void *)(key != NULL ? key : COpenSSL_empty_bytes), keylen);
    if (saltlen > 0) *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
    if (infolen > 0) *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, infolen);
    *p = OSSL_PARAM_construct_end();
    return EVP_KDF_derive(ctx, out, outlen, params);
}

#endif
