/* hash_openssl.c: hash.h on OpenSSL's EVP interface. The three digests are
 * fed block by block so that each block is read from memory once. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>

#include "exh/hash.h"
#include "exh/banned.h"

#ifdef EXH_STATIC
/* The static build (`make dist`) never reads openssl.cnf: a configuration
 * could ask libcrypto to dlopen a provider or engine built for another libc.
 * Run before main, so before anything else (libyara too) starts OpenSSL. */
__attribute__((constructor)) static void no_openssl_config(void)
{
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
}
#endif

#define BLOCK (256 * 1024)

static EVP_MD_CTX *start(const EVP_MD *md)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestInit_ex(c, md, NULL) != 1)
        abort(); /* out of memory or a broken libcrypto: nothing sensible to do */
    return c;
}

static void finish(EVP_MD_CTX *c, uint8_t *out)
{
    unsigned int len = 0;
    EVP_DigestFinal_ex(c, out, &len);
    EVP_MD_CTX_free(c);
}

void exh_hash_all(const uint8_t *p, size_t n, struct exh_digests *out)
{
    EVP_MD_CTX *m = start(EVP_md5()), *s1 = start(EVP_sha1()), *s2 = start(EVP_sha256());
    for (size_t i = 0; i < n; i += BLOCK) {
        size_t k = n - i < BLOCK ? n - i : BLOCK;
        EVP_DigestUpdate(m, p + i, k);
        EVP_DigestUpdate(s1, p + i, k);
        EVP_DigestUpdate(s2, p + i, k);
    }
    finish(m, out->md5);
    finish(s1, out->sha1);
    finish(s2, out->sha256);
}

void exh_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    EVP_MD_CTX *c = start(EVP_sha256());
    if (n)
        EVP_DigestUpdate(c, p, n);
    finish(c, out);
}

/* the context is the EVP one, under our own name */
struct exh_sha256_ctx *exh_sha256_new(void)
{
    return (struct exh_sha256_ctx *)start(EVP_sha256());
}

void exh_sha256_update(struct exh_sha256_ctx *c, const uint8_t *p, size_t n)
{
    if (n)
        EVP_DigestUpdate((EVP_MD_CTX *)c, p, n);
}

void exh_sha256_final(struct exh_sha256_ctx *c, uint8_t out[32])
{
    finish((EVP_MD_CTX *)c, out);
}
