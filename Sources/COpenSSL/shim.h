#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// <sys/types.h> first: libevent defines _GNU_SOURCE and Clang modules must agree on fd_set.
#include <sys/types.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <string.h>

// HMAC-SHA256 (RFC 2104) built on SHA-256 from one EVP_MD_CTX and a digest the caller fetched
// once. OpenSSL's EVP_MAC and EVP_KDF fetch the digest by name on every init (a locked lookup with
// string compares), and a cache hit computes three HMACs (BENCHMARKS.md, "OpenSSL's per-call fetch").
// The message is up to three parts, so HKDF's T(n) = HMAC(PRK, T(n-1) | info | n) needs no copy.
// Returns 1 on success, 0 when libcrypto fails. Checked against RFC 4231 and RFC 5869's vectors.
static inline int COpenSSL_hmac_sha256(const EVP_MD *md, const unsigned char *key, size_t keylen,
                                       const unsigned char *part1, size_t len1,
                                       const unsigned char *part2, size_t len2,
                                       const unsigned char *part3, size_t len3, unsigned char out[32]) {
    unsigned char block[64] = { 0 }, pad[64], inner[32];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) return 0;
    int ok = 1;
    if (keylen > sizeof block) {
        // A key longer than the block is hashed first (RFC 2104 §2).
        ok = EVP_DigestInit_ex2(ctx, md, NULL) && EVP_DigestUpdate(ctx, key, keylen)
            && EVP_DigestFinal_ex(ctx, block, NULL);
    } else if (keylen > 0) {
        memcpy(block, key, keylen);
    }
    for (size_t i = 0; i < sizeof block; i++) pad[i] = block[i] ^ 0x36;
    ok = ok && EVP_DigestInit_ex2(ctx, md, NULL) && EVP_DigestUpdate(ctx, pad, sizeof pad)
        && (len1 == 0 || EVP_DigestUpdate(ctx, part1, len1)) && (len2 == 0 || EVP_DigestUpdate(ctx, part2, len2))
        && (len3 == 0 || EVP_DigestUpdate(ctx, part3, len3)) && EVP_DigestFinal_ex(ctx, inner, NULL);
    for (size_t i = 0; i < sizeof block; i++) pad[i] = block[i] ^ 0x5c;
    ok = ok && EVP_DigestInit_ex2(ctx, md, NULL) && EVP_DigestUpdate(ctx, pad, sizeof pad)
        && EVP_DigestUpdate(ctx, inner, sizeof inner) && EVP_DigestFinal_ex(ctx, out, NULL);
    EVP_MD_CTX_free(ctx);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(inner, sizeof inner);
    return ok;
}

// HKDF-SHA256 (RFC 5869): extract PRK = HMAC(salt, IKM), an empty salt standing for HashLen zero
// bytes (§2.2, the same PRK as an all-zero key); then expand T(1), T(2)… into `out` (outlen is
// 1...8160, checked by the caller).
static inline int COpenSSL_hkdf_sha256(const EVP_MD *md, unsigned char *out, size_t outlen,
                                       const unsigned char *ikm, size_t ikmlen,
                                       const unsigned char *salt, size_t saltlen,
                                       const unsigned char *info, size_t infolen) {
    unsigned char prk[32], block[32];
    if (!COpenSSL_hmac_sha256(md, salt, saltlen, ikm, ikmlen, NULL, 0, NULL, 0, prk)) return 0;
    int ok = 1;
    size_t done = 0, previous = 0;
    for (unsigned char counter = 1; ok && done < outlen; counter++) {
        ok = COpenSSL_hmac_sha256(md, prk, sizeof prk, block, previous, info, infolen, &counter, 1, block);
        size_t take = outlen - done < sizeof block ? outlen - done : sizeof block;
        memcpy(out + done, block, take);
        done += take;
        previous = sizeof block;
    }
    OPENSSL_cleanse(prk, sizeof prk);
    OPENSSL_cleanse(block, sizeof block);
    return ok;
}

#endif
