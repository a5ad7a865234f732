/* match.c: the multi-literal pre-filter (see match.h). For every position
 * the 4 bytes there, case-folded by OR-ing 0x20 into each byte, are hashed to
 * 16 bits and tested in a 64 Kbit set built from the needles' first 4 bytes.
 * Folding with 0x20 also merges a few punctuation pairs ('@' and '`'), which
 * only costs a rare extra verification: verification is exact. */
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

size_t exh_matcher_next(const struct exh_matcher *m, const uint8_t *p, size_t n, size_t from,
                        int *id_out)
{
    if (!m || m->nn == 0 || n < 4)
        return n;
    size_t best = SIZE_MAX, limit = n;
    for (size_t i = from; i + 4 <= n && i <= limit; i++) {
        uint32_t h = hash4(load4(p + i));
        if (!(m->set[h >> 6] & (1ull << (h & 63))))
            continue;
        int id = -1;
        size_t st = verify(m, h, p, n, i, from, &id);
        if (st < best) {
            best = st;
            *id_out = id;
            /* a needle anchored further in may still start before best */
            limit = best + m->max_anchor;
        }
    }
    return best == SIZE_MAX ? n : best;
}
