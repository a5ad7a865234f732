/* hash.h: file digests from the platform's crypto library (OpenSSL libcrypto
 * on POSIX: src/os/hash_openssl.c; CNG on Windows). */
#ifndef EXH_HASH_H
#define EXH_HASH_H

#include <stddef.h>
#include <stdint.h>

struct exh_digests {
    uint8_t md5[16];
    uint8_t sha1[20];
    uint8_t sha256[32];
};

/* MD5, SHA-1 and SHA-256 of p[0..n) in one pass over the bytes. */
void exh_hash_all(const uint8_t *p, size_t n, struct exh_digests *out);
/* SHA-256 only. */
void exh_sha256(const uint8_t *p, size_t n, uint8_t out[32]);
/* SHA-256 fed in pieces (a file streamed in chunks, memory bounded):
 * exh_sha256_new(), then _update() any number of times, then _final(), which
 * writes the digest and frees the state. */
struct exh_sha256_ctx;
struct exh_sha256_ctx *exh_sha256_new(void);
void exh_sha256_update(struct exh_sha256_ctx *c, const uint8_t *p, size_t n);
void exh_sha256_final(struct exh_sha256_ctx *c, uint8_t out[32]);
/* Lower-case hex of p[0..n) into out (2n+1 bytes). */
void exh_hex(const uint8_t *p, size_t n, char *out);

#endif
