/* match.c: the multi-literal pre-filter (see match.h). For every position
 * the 4 bytes there, case-folded by OR-ing 0x20 into each byte, are hashed to
 * 16 bits and tested in a 64 Kbit set built from the needles' first 4 bytes.
 * Folding with 0x20 also merges a few punctuation pairs ('@' and '`'), which
 * only costs a rare extra verification: verification is exact. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(EXH_NO_SIMD)
#define EXH_MATCH_AVX2 1
#include <immintrin.h>
#endif
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/match.h"
#include "exh/banned.h"

#define HBITS 16

struct needle {
    char *s; /* lower case */
    size_t n;
    size_t anchor; /* offset of the 4 bytes that are hashed */
    int id;
    uint32_t hash;
};

struct exh_matcher {
    /* First stage (x86-64 with AVX2): 32 positions at a time, the 4 bytes
     * at each looked up by nibble in 8 "buckets" of needles: lo[j][x] has
     * bit b set when a needle of bucket b may have a byte with low nibble x
     * at anchor offset j (hi[j]: high nibble). A position whose 4 bytes
     * leave no bucket bit set cannot start any needle's anchor and is
     * skipped; the others go on to the hash set and the exact check. */
    uint8_t lo[4][16], hi[4][16];
    uint64_t set[(1u << HBITS) / 64];
    struct needle *nd;
    size_t nn;
    size_t max_anchor;
    /* needles bucketed by hash: bucket_of[h] would be 64K entries; instead
     * keep needles sorted by hash and binary-search the first. */
};

static inline uint32_t load4(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint32_t hash4(uint32_t v)
{
    return ((v | 0x20202020u) * 2654435761u) >> (32 - HBITS);
}

/* How often a byte turns up in log text, roughly: letters of ordinary words,
 * digits and URL punctuation are common; the rest is rare. The anchor is the
 * 4-byte window of the needle with the fewest common bytes, so that a needle
 * like "/owa/auth/x.js" is looked for at "x.js", not at "/owa", which starts
 * half the lines of an OWA log. */
static int common_byte(unsigned char c)
{
    static const char common[] = "etaoinsrhlducmwgfypbv0123456789/.,:- _=&?";
    c = exh_lc(c);
    for (const char *p = common; *p; p++)
        if (*p == (char)c)
            return 1 + (p - common < 12); /* the first dozen are the commonest */
    return 0;
}

static size_t pick_anchor(const char *s, size_t n)
{
    size_t best = 0;
    int best_score = 1 << 30;
    for (size_t k = 0; k + 4 <= n; k++) {
        int score = 0;
        for (size_t j = 0; j < 4; j++)
            score += common_byte((unsigned char)s[k + j]);
        if (score < best_score) {
            best_score = score;
            best = k;
        }
    }
    return best;
}

static int cmp_needle(const void *a, const void *b)
{
    const struct needle *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Rough share of a byte in log text (per mille): what the first stage's
 * tables are tuned against. Lower-case letters, digits and the separators
 * of CSV and URLs are common; upper case less so; the rest is rare. */
static double byte_weight(unsigned c)
{
    if (c == ',')
        return 80;
    if (c >= 'a' && c <= 'z')
        return strchr("etaoinsrc", (int)c) ? 50 : 15;
    if (c >= '0' && c <= '9')
        return 25;
    if (c >= 'A' && c <= 'Z')
        return 7;
    if (c && strchr(". -/:=&?_;%+()", (int)c))
        return 10;
    return 0.5;
}

/* While buckets are assigned, bucket b's tables at anchor offset j are two
 * 16-bit sets: the low nibbles (lo[j][b]) and high nibbles (hi[j][b]) its
 * anchors' bytes have. A byte passes when both of its nibbles are in them. */
struct bucket_sets {
    uint16_t lo[4][8], hi[4][8];
};

/* The weight of the bytes that pass one offset's nibble sets. */
static double sets_weight(const double wt[256], uint16_t lo, uint16_t hi)
{
    double s = 0;
    for (unsigned h = 0; h < 16; h++)
        if (hi >> h & 1)
            for (unsigned l = 0; l < 16; l++)
                if (lo >> l & 1)
                    s += wt[h << 4 | l];
    return s;
}

/* The share of positions that pass bucket b. */
static double bucket_pass(const struct bucket_sets *bs, int b, const double wt[256], double total)
{
    double p = 1;
    for (int j = 0; j < 4; j++)
        p *= sets_weight(wt, bs->lo[j][b], bs->hi[j][b]) / total;
    return p;
}

static void add_to_sets(struct bucket_sets *bs, int b, const uint8_t *a)
{
    for (int j = 0; j < 4; j++) {
        unsigned char ch = a[j];
        unsigned char v[2] = {ch, ch};
        if (ch >= 'a' && ch <= 'z')
            v[1] = (unsigned char)(ch - 32); /* every byte that folds to ch */
        for (int t = 0; t < 2; t++) {
            bs->lo[j][b] |= (uint16_t)(1u << (v[t] & 15));
            bs->hi[j][b] |= (uint16_t)(1u << (v[t] >> 4));
        }
    }
}

/* A needle and the share of positions its anchor alone lets through. */
struct ranked {
    double own;
    size_t i;
};

/* Commonest first; equal ones in needle order (so the result is the same
 * on every platform, whatever qsort does with equal keys). */
static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->own != y->own)
        return x->own > y->own ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Each needle's anchor goes to the bucket where it adds the least to the
 * share of positions that pass (greedy, commonest anchors first so that
 * they end up apart, against byte_weight). */
static void assign_buckets(struct exh_matcher *m)
{
    double wt[256], total = 0;
    for (unsigned x = 0; x < 256; x++)
        total += wt[x] = byte_weight(x);
    struct ranked *order = exh_xcalloc(m->nn ? m->nn : 1, sizeof(*order));
    for (size_t i = 0; i < m->nn; i++) {
        struct bucket_sets one = {{{0}}, {{0}}};
        add_to_sets(&one, 0, (const uint8_t *)m->nd[i].s + m->nd[i].anchor);
        order[i].own = bucket_pass(&one, 0, wt, total);
        order[i].i = i;
    }
    qsort(order, m->nn, sizeof(*order), cmp_ranked);
    struct bucket_sets bs = {{{0}}, {{0}}};
    double cur[8] = {0};
    for (size_t r = 0; r < m->nn; r++) {
        const uint8_t *a = (const uint8_t *)m->nd[order[r].i].s + m->nd[order[r].i].anchor;
        int best_b = 0;
        double best_cost = 1e300, best_pass = 0;
        for (int b = 0; b < 8; b++) {
            struct bucket_sets t = bs;
            add_to_sets(&t, b, a);
            double pass = bucket_pass(&t, b, wt, total);
            if (pass - cur[b] < best_cost) {
                best_cost = pass - cur[b];
                best_pass = pass;
                best_b = b;
            }
        }
        add_to_sets(&bs, best_b, a);
        cur[best_b] = best_pass;
    }
    for (int j = 0; j < 4; j++)
        for (int b = 0; b < 8; b++)
            for (unsigned x = 0; x < 16; x++) {
                if (bs.lo[j][b] >> x & 1)
                    m->lo[j][x] |= (uint8_t)(1u << b);
                if (bs.hi[j][b] >> x & 1)
                    m->hi[j][x] |= (uint8_t)(1u << b);
            }
    free(order);
}

struct exh_matcher *exh_matcher_build(const char *const *needles, const int *ids, size_t n)
{
    struct exh_matcher *m = exh_xcalloc(1, sizeof(*m));
    m->nd = exh_xcalloc(n ? n : 1, sizeof(*m->nd));
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(needles[i]);
        if (len < 4) {
            exh_matcher_free(m);
            return NULL;
        }
        struct needle *d = &m->nd[m->nn++];
        d->s = exh_xstrndup(needles[i], len);
        for (size_t k = 0; k < len; k++)
            d->s[k] = (char)exh_lc((unsigned char)d->s[k]);
        d->n = len;
        d->id = ids ? ids[i] : (int)i;
        d->anchor = pick_anchor(d->s, len);
        if (d->anchor > m->max_anchor)
            m->max_anchor = d->anchor;
        d->hash = hash4(load4((const uint8_t *)d->s + d->anchor));
        m->set[d->hash >> 6] |= 1ull << (d->hash & 63);
    }
    qsort(m->nd, m->nn, sizeof(*m->nd), cmp_needle);
    assign_buckets(m);
    return m;
}

void exh_matcher_free(struct exh_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nn; i++)
        free(m->nd[i].s);
    free(m->nd);
    free(m);
}

/* Needles whose anchor hashes to h, starting at i - anchor: the smallest
 * start that matches (and its needle), or SIZE_MAX. */
static size_t verify(const struct exh_matcher *m, uint32_t h, const uint8_t *p, size_t n, size_t i,
                     size_t from, int *id_out)
{
    size_t lo = 0, hi = m->nn, best = SIZE_MAX;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->nd[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < m->nn && m->nd[k].hash == h; k++) {
        const struct needle *d = &m->nd[k];
        if (i < d->anchor || i - d->anchor < from)
            continue;
        size_t st = i - d->anchor;
        if (d->n > n - st || st >= best)
            continue;
        size_t j = 0;
        while (j < d->n && exh_lc(p[st + j]) == (unsigned char)d->s[j])
            j++;
        if (j == d->n) {
            best = st;
            *id_out = d->id;
        }
    }
    return best;
}

/* The hash set and the exact check at position i (the anchor's start). */
static inline void test_at(const struct exh_matcher *m, const uint8_t *p, size_t n, size_t i,
                           size_t from, size_t *best, size_t *limit, int *id_out)
{
    uint32_t h = hash4(load4(p + i));
    if (!(m->set[h >> 6] & (1ull << (h & 63))))
        return;
    int id = -1;
    size_t st = verify(m, h, p, n, i, from, &id);
    if (st < *best) {
        *best = st;
        *id_out = id;
        /* a needle anchored further in may still start before best */
        *limit = st + m->max_anchor;
    }
}

#ifdef EXH_MATCH_AVX2
#define AVX2_TARGET __attribute__((target("avx2")))

/* Bit k set: position i + k may start an anchor (k < 32; needs p[i..i+35)). */
AVX2_TARGET static inline uint32_t block_mask(const uint8_t *p, const __m256i *lo,
                                              const __m256i *hi)
{
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256i acc = _mm256_set1_epi8((char)0xFF);
    for (int j = 0; j < 4; j++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(p + j));
        __m256i l = _mm256_shuffle_epi8(lo[j], _mm256_and_si256(x, low4));
        __m256i h = _mm256_shuffle_epi8(hi[j], _mm256_and_si256(_mm256_srli_epi16(x, 4), low4));
        acc = _mm256_and_si256(acc, _mm256_and_si256(l, h));
    }
    __m256i zero = _mm256_cmpeq_epi8(acc, _mm256_setzero_si256());
    return ~(uint32_t)_mm256_movemask_epi8(zero);
}

AVX2_TARGET static size_t next_avx2(const struct exh_matcher *m, const uint8_t *p, size_t n,
                                    size_t from, int *id_out, uint64_t *lfs)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    uint64_t c = 0;        /* line ends in [from, counted) */
    size_t counted = from; /* every whole block looked at is counted */
    __m256i lo[4], hi[4];
    for (int j = 0; j < 4; j++) {
        __m128i l = _mm_loadu_si128((const __m128i *)m->lo[j]);
        __m128i h = _mm_loadu_si128((const __m128i *)m->hi[j]);
        lo[j] = _mm256_broadcastsi128_si256(l);
        hi[j] = _mm256_broadcastsi128_si256(h);
    }
    size_t best = SIZE_MAX, limit = n;
    size_t i = from;
    while (i + 4 <= n && i <= limit) {
        if (best == SIZE_MAX && i + 35 <= n) {
            uint32_t mask = block_mask(p + i, lo, hi);
            if (lfs) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(p + i));
                c += (uint64_t)__builtin_popcount(
                    (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, nl)));
                counted = i + 32;
            }
            while (mask) {
                size_t k = (size_t)__builtin_ctz(mask);
                mask &= mask - 1;
                test_at(m, p, n, i + k, from, &best, &limit, id_out);
            }
            i += 32;
            continue;
        }
        test_at(m, p, n, i, from, &best, &limit, id_out);
        i++;
    }
    size_t r = best == SIZE_MAX ? n : best;
    if (lfs) /* the blocks counted may end after the match, or before */
        *lfs = r < counted ? c - exh_count_lf(p + r, counted - r)
                           : c + exh_count_lf(p + counted, r - counted);
    return r;
}

static bool have_avx2(void)
{
    static _Atomic int state; /* 0 unknown, 1 no, 2 yes */
    int s = atomic_load_explicit(&state, memory_order_relaxed);
    if (!s) {
        __builtin_cpu_init();
        s = __builtin_cpu_supports("avx2") ? 2 : 1;
        if (getenv("EXH_NO_SIMD"))
            s = 1; /* tests: the portable path */
        atomic_store_explicit(&state, s, memory_order_relaxed);
    }
    return s == 2;
}
#endif

size_t exh_matcher_next_lf(const struct exh_matcher *m, const uint8_t *p, size_t n, size_t from,
                           int *id_out, uint64_t *lfs)
{
    if (!m || m->nn == 0 || n < 4) {
        if (lfs)
            *lfs = from < n ? exh_count_lf(p + from, n - from) : 0;
        return n;
    }
#ifdef EXH_MATCH_AVX2
    if (have_avx2())
        return next_avx2(m, p, n, from, id_out, lfs);
#endif
    size_t best = SIZE_MAX, limit = n;
    for (size_t i = from; i + 4 <= n && i <= limit; i++)
        test_at(m, p, n, i, from, &best, &limit, id_out);
    size_t r = best == SIZE_MAX ? n : best;
    if (lfs)
        *lfs = r > from ? exh_count_lf(p + from, r - from) : 0;
    return r;
}

size_t exh_matcher_next(const struct exh_matcher *m, const uint8_t *p, size_t n, size_t from,
                        int *id_out)
{
    return exh_matcher_next_lf(m, p, n, from, id_out, NULL);
}
