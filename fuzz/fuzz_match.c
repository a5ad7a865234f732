/* fuzz_match.c: the multi-literal pre-filter (src/core/match.c) and
 * exh_find_ci (src/core/core.c), each checked against a naive search.
 *
 * 1. A matcher built once from a fixed set of needles (the engine's kind of
 *    needles, plus ones that share a 4-byte prefix, differ only in case, or
 *    hold '@'/'[' that the hash folds onto '`'/'{') is run over the whole
 *    input with exh_matcher_next, from 0 to the end, restarting after every
 *    hit. Each hit must be a real case-insensitive occurrence of the needle
 *    whose id is reported, and no needle may occur between two hits.
 * 2. A matcher built from needles cut out of the input itself (1-4 needles
 *    of 4-11 bytes, folded to 7-bit ASCII without NUL) is checked the same
 *    way on the rest of the input.
 * 3. exh_find_ci with a fixed needle over the whole input, and with a needle
 *    of 0-8 arbitrary bytes taken from the input over the rest, must return
 *    the first occurrence a naive search finds.
 * Any disagreement abort()s. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/match.h"
#include "fuzz.h"
#include "exh/banned.h"

static const char *const mt_fixed[] = {
    "serverinfo~",
    "serverversion~", /* same first 4 bytes as serverinfo~ */
    "#fields:",
    "download failed and temporary file",
    "virtualdirectory",
    "104.140.114.110",
    "AutoDiscover.JSON", /* upper case in the needle */
    "exec",              /* exactly 4 bytes */
    "@corp.example",     /* '@' hashes like '`' */
    "[obj]",             /* '[' hashes like '{' */
    "DOWNLOAD FAILED",   /* a prefix of another needle, other case */
};
#define MT_NFIXED (sizeof(mt_fixed) / sizeof(mt_fixed[0]))

/* ASCII-only folding, written independently of exh_lc. */
static unsigned char mt_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool mt_at(const uint8_t *p, size_t n, size_t i, const char *needle, size_t m)
{
    if (i > n || m > n - i)
        return false;
    for (size_t k = 0; k < m; k++)
        if (mt_fold(p[i + k]) != mt_fold((unsigned char)needle[k]))
            return false;
    return true;
}

/* Run m over p[0..n) and compare every answer with the naive search. */
static void mt_cross_check(const struct exh_matcher *m, const char *const *needles, const int *ids,
                           size_t nneedles, const uint8_t *p, size_t n)
{
    size_t lens[16];
    for (size_t k = 0; k < nneedles; k++)
        lens[k] = strlen(needles[k]);
    size_t from = 0;
    for (;;) {
        int id = -1;
        size_t hit = exh_matcher_next(m, p, n, from, &id);
        EXH_FUZZ_CHECK(hit <= n);
        size_t stop = hit < n ? hit : n;
        EXH_FUZZ_CHECK(hit == n || hit >= from);
        /* nothing was skipped */
        for (size_t i = from; i < stop; i++)
            for (size_t k = 0; k < nneedles; k++)
                EXH_FUZZ_CHECK(!mt_at(p, n, i, needles[k], lens[k]));
        if (hit >= n)
            break;
        /* the hit is real and reported with the right id */
        bool ok = false;
        for (size_t k = 0; k < nneedles && !ok; k++)
            ok = ids[k] == id && mt_at(p, n, hit, needles[k], lens[k]);
        EXH_FUZZ_CHECK(ok);
        from = hit + 1;
    }
}

static const char *mt_naive_find(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (mt_at((const uint8_t *)hay, n, i, needle, m))
            return hay + i;
    return NULL;
}

static struct exh_matcher *mt_fixed_matcher(int *ids)
{
    static struct exh_matcher *m; /* built once, kept for the process */
    for (size_t k = 0; k < MT_NFIXED; k++)
        ids[k] = 100 + 3 * (int)k;
    if (!m) {
        m = exh_matcher_build(mt_fixed, ids, MT_NFIXED);
        EXH_FUZZ_CHECK(m != NULL);
        /* needles shorter than 4 bytes are refused */
        static const char *const short_one[] = {"abc"};
        EXH_FUZZ_CHECK(exh_matcher_build(short_one, NULL, 1) == NULL);
    }
    return m;
}

int exh_fuzz_match(const uint8_t *data, size_t size)
{
    int ids[MT_NFIXED];
    const struct exh_matcher *fixed = mt_fixed_matcher(ids);
    mt_cross_check(fixed, mt_fixed, ids, MT_NFIXED, data, size);

    const char *text = (const char *)data;
    static const char vd[] = "VirtualDirectory";
    EXH_FUZZ_CHECK(exh_find_ci(text, size, vd, sizeof(vd) - 1) ==
                   mt_naive_find(text, size, vd, sizeof(vd) - 1));

    if (size < 1)
        return 0;
    /* exh_find_ci with a needle of 0-8 arbitrary bytes from the input */
    size_t m = data[0] % 9;
    if (1 + m <= size) {
        uint8_t *needle = exh_fuzz_dup(data + 1, m);
        const char *hay = text + 1 + m;
        size_t hn = size - 1 - m;
        EXH_FUZZ_CHECK(exh_find_ci(hay, hn, (const char *)needle, m) ==
                       mt_naive_find(hay, hn, (const char *)needle, m));
        free(needle);
    }

    /* a matcher from needles cut out of the input */
    size_t nn = (size_t)(data[0] >> 6) + 1, at = 1 + nn;
    if (at > size)
        return 0;
    char *dyn[4];
    int dids[4];
    size_t made = 0;
    for (size_t k = 0; k < nn; k++) {
        size_t len = 4 + data[1 + k] % 8;
        if (at + len > size)
            break;
        dyn[made] = malloc(len + 1);
        if (!dyn[made])
            abort();
        for (size_t i = 0; i < len; i++) {
            unsigned char c = data[at + i] & 0x7F;
            dyn[made][i] = (char)(c ? c : 'a');
        }
        dyn[made][len] = '\0';
        dids[made] = (int)k * 7 - 5;
        made++;
        at += len;
    }
    if (made) {
        struct exh_matcher *dm = exh_matcher_build((const char *const *)dyn, dids, made);
        EXH_FUZZ_CHECK(dm != NULL);
        mt_cross_check(dm, (const char *const *)dyn, dids, made, data + at, size - at);
        exh_matcher_free(dm);
    }
    for (size_t k = 0; k < made; k++)
        free(dyn[k]);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_match(data, size);
}
#endif
