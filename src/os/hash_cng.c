/* hash_cng.c: hash.h on Windows' CNG (bcrypt.dll). The three digests are fed
 * block by block so that each block is read from memory once, as in
 * hash_openssl.c. The algorithm providers are opened once per process (that
 * is the expensive part); a hash object is cheap and made per call, so
 * several threads can hash at the same time. bcrypt.dll is not a KnownDLL:
 * it is loaded from System32 only (exh_os_win_sysdll), not imported, so a
 * bcrypt.dll planted beside exhunt.exe is never used. */
#include <windows.h>
#include <bcrypt.h>
#include <stdlib.h>

#include "exh/hash.h"
#include "exh/os.h"
#include "exh/banned.h"

/* bcrypt.dll's functions, looked up once; the names below are the pointers */
#define CNG_FNS(X)                                                                                 \
    X(BCryptOpenAlgorithmProvider)                                                                 \
    X(BCryptCreateHash)                                                                            \
    X(BCryptHashData)                                                                              \
    X(BCryptFinishHash)                                                                            \
    X(BCryptDestroyHash)                                                                           \
    X(BCryptGenRandom)
#define CNG_DECL(f) static __typeof__(f) *p_##f;
CNG_FNS(CNG_DECL)
static INIT_ONCE cng_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK load_cng(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    HMODULE m = exh_os_win_sysdll(L"bcrypt.dll");
    if (!m)
        return FALSE;
#define CNG_GET(f)                                                                                 \
    if (!(p_##f = (__typeof__(f) *)(void (*)(void))GetProcAddress(m, #f)))                         \
        return FALSE;
    CNG_FNS(CNG_GET)
    return TRUE;
}
#define BCryptOpenAlgorithmProvider p_BCryptOpenAlgorithmProvider
#define BCryptCreateHash p_BCryptCreateHash
#define BCryptHashData p_BCryptHashData
#define BCryptFinishHash p_BCryptFinishHash
#define BCryptDestroyHash p_BCryptDestroyHash
#define BCryptGenRandom p_BCryptGenRandom

#define BLOCK (256 * 1024)

enum { ALG_MD5, ALG_SHA1, ALG_SHA256, ALG_N };

static BCRYPT_ALG_HANDLE algs[ALG_N];
static INIT_ONCE algs_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK open_algs(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    static const LPCWSTR ids[ALG_N] = {BCRYPT_MD5_ALGORITHM, BCRYPT_SHA1_ALGORITHM,
                                       BCRYPT_SHA256_ALGORITHM};
    (void)once, (void)param, (void)ctx;
    if (!InitOnceExecuteOnce(&cng_once, load_cng, NULL, NULL))
        return FALSE;
    for (int i = 0; i < ALG_N; i++)
        if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&algs[i], ids[i], NULL, 0)))
            return FALSE;
    return TRUE;
}

static BCRYPT_HASH_HANDLE start(int alg)
{
    BCRYPT_HASH_HANDLE h = NULL;
    /* No object buffer: since Windows 7 CNG allocates the hash object itself. */
    if (!InitOnceExecuteOnce(&algs_once, open_algs, NULL, NULL) ||
        !BCRYPT_SUCCESS(BCryptCreateHash(algs[alg], &h, NULL, 0, NULL, 0, 0)))
        abort(); /* out of memory or a broken CNG: nothing sensible to do */
    return h;
}

static void feed(BCRYPT_HASH_HANDLE h, const uint8_t *p, size_t k)
{
    /* BCryptHashData takes a non-const pointer but only reads the bytes. */
    if (!BCRYPT_SUCCESS(BCryptHashData(h, (PUCHAR)p, (ULONG)k, 0)))
        abort();
}

static void finish(BCRYPT_HASH_HANDLE h, uint8_t *out, ULONG len)
{
    if (!BCRYPT_SUCCESS(BCryptFinishHash(h, out, len, 0)))
        abort();
    BCryptDestroyHash(h);
}

void exh_hash_all(const uint8_t *p, size_t n, struct exh_digests *out)
{
    BCRYPT_HASH_HANDLE m = start(ALG_MD5), s1 = start(ALG_SHA1), s2 = start(ALG_SHA256);
    for (size_t i = 0; i < n; i += BLOCK) {
        size_t k = n - i < BLOCK ? n - i : BLOCK;
        feed(m, p + i, k);
        feed(s1, p + i, k);
        feed(s2, p + i, k);
    }
    finish(m, out->md5, sizeof(out->md5));
    finish(s1, out->sha1, sizeof(out->sha1));
    finish(s2, out->sha256, sizeof(out->sha256));
}

void exh_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    BCRYPT_HASH_HANDLE h = start(ALG_SHA256);
    for (size_t i = 0; i < n; i += BLOCK)
        feed(h, p + i, n - i < BLOCK ? n - i : BLOCK);
    finish(h, out, 32);
}

/* the context is the CNG hash handle, under our own name */
struct exh_sha256_ctx *exh_sha256_new(void)
{
    return (struct exh_sha256_ctx *)start(ALG_SHA256);
}

void exh_sha256_update(struct exh_sha256_ctx *c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += BLOCK)
        feed((BCRYPT_HASH_HANDLE)c, p + i, n - i < BLOCK ? n - i : BLOCK);
}

void exh_sha256_final(struct exh_sha256_ctx *c, uint8_t out[32])
{
    finish((BCRYPT_HASH_HANDLE)c, out, 32);
}

uint64_t exh_os_random_u64(void)
{
    uint64_t v = 0;
    if (!InitOnceExecuteOnce(&cng_once, load_cng, NULL, NULL) ||
        !BCRYPT_SUCCESS(
            BCryptGenRandom(NULL, (PUCHAR)&v, sizeof(v), BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
        v = (uint64_t)GetTickCount64() ^ (uint64_t)(uintptr_t)&v;
    return v;
}
