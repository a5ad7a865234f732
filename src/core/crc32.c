/* crc32.c: CRC-32 (IEEE 802.3, reflected, as .evtx headers and chunks use).
 *
 * Two ways to the same value. The portable one reads eight bytes per step
 * ("slicing by 8", tables built once). On x86-64 CPUs with carry-less
 * multiplication (PCLMULQDQ, every x86-64 CPU since 2010) long inputs are
 * folded 64 bytes per step: four 128-bit lanes, each multiplied by x^512 mod P
 * (split in two 64-bit halves) and added to the next 64 bytes. Folding keeps
 * the message's value modulo P, so the last 128-bit lane followed by the tail
 * bytes has the CRC of the whole input, and the table path finishes it; no
 * Barrett reduction is needed. The CPU is asked once, at the first call. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(EXH_NO_CLMUL)
#define EXH_CLMUL 1
#include <immintrin.h>
#endif
#include <stdatomic.h>
#include <string.h>

#include "exh/core.h"
#include "exh/banned.h"

static uint32_t crc_tab[8][256];
static _Atomic int crc_state; /* 0 none, 1 building, 2 ready */

static void crc_init(void)
{
    if (atomic_load_explicit(&crc_state, memory_order_acquire) == 2)
        return;
    int expect = 0;
    if (atomic_compare_exchange_strong(&crc_state, &expect, 1)) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            crc_tab[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; i++)
            for (int t = 1; t < 8; t++)
                crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xFF];
        atomic_store_explicit(&crc_state, 2, memory_order_release);
    } else {
        while (atomic_load_explicit(&crc_state, memory_order_acquire) != 2)
            ;
    }
}

/* The register c (not inverted) after the bytes p[0..n). */
static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
    while (n >= 8) {
        uint32_t a = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                          (uint32_t)p[3] << 24);
        c = crc_tab[7][a & 0xFF] ^ crc_tab[6][(a >> 8) & 0xFF] ^ crc_tab[5][(a >> 16) & 0xFF] ^
            crc_tab[4][a >> 24] ^ crc_tab[3][p[4]] ^ crc_tab[2][p[5]] ^ crc_tab[1][p[6]] ^
            crc_tab[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n--)
        c = crc_tab[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c;
}

uint32_t exh_crc32_portable(const uint8_t *p, size_t n)
{
    crc_init();
    return crc_update(0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
}

#ifdef EXH_CLMUL
#define CLMUL_TARGET __attribute__((target("pclmul,sse2")))

/* x * (x^(shift+64), x^shift) mod P, bit-reflected: the two constants for
 * moving a 128-bit lane forward by shift bits (512 or 128). */
CLMUL_TARGET static inline __m128i fold(__m128i x, __m128i k)
{
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

CLMUL_TARGET static uint32_t crc_clmul_run(uint32_t c, const uint8_t *p, size_t n)
{
    /* n >= 64 */
    const __m128i k512 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
    const __m128i k128 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
    __m128i x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)c));
    __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
    p += 64;
    n -= 64;
    while (n >= 64) {
        x0 = _mm_xor_si128(fold(x0, k512), _mm_loadu_si128((const __m128i *)p));
        x1 = _mm_xor_si128(fold(x1, k512), _mm_loadu_si128((const __m128i *)(p + 16)));
        x2 = _mm_xor_si128(fold(x2, k512), _mm_loadu_si128((const __m128i *)(p + 32)));
        x3 = _mm_xor_si128(fold(x3, k512), _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    __m128i x = _mm_xor_si128(fold(x0, k128), x1);
    x = _mm_xor_si128(fold(x, k128), x2);
    x = _mm_xor_si128(fold(x, k128), x3);
    while (n >= 16) {
        x = _mm_xor_si128(fold(x, k128), _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    uint8_t lane[16];
    _mm_storeu_si128((__m128i *)lane, x);
    return crc_update(crc_update(0, lane, 16), p, n);
}

static _Atomic int crc_clmul; /* 0 unknown, 1 no, 2 yes */

static bool have_clmul(void)
{
    int s = atomic_load_explicit(&crc_clmul, memory_order_relaxed);
    if (!s) {
        __builtin_cpu_init();
        s = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2") ? 2 : 1;
        atomic_store_explicit(&crc_clmul, s, memory_order_relaxed);
    }
    return s == 2;
}

uint32_t exh_crc32(const uint8_t *p, size_t n)
{
    crc_init();
    if (n >= 64 && have_clmul())
        return crc_clmul_run(0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
    return crc_update(0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
}
#else
uint32_t exh_crc32(const uint8_t *p, size_t n)
{
    return exh_crc32_portable(p, n);
}
#endif
