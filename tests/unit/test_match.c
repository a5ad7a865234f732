/* test_match.c: the multi-literal pre-filter (src/core/match.c), checked
 * against a naive search. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/match.h"
#include "t.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t lcg(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

/* Does needle s match at p[0..avail) ignoring ASCII case? */
static bool naive_at(const uint8_t *p, size_t avail, const char *s)
{
    size_t m = strlen(s);
    if (m > avail)
        return false;
    for (size_t k = 0; k < m; k++)
        if (exh_lc(p[k]) != exh_lc((unsigned char)s[k]))
            return false;
    return true;
}

static int index_of_id(const int *ids, size_t n, int id)
{
    for (size_t i = 0; i < n; i++)
        if ((ids ? ids[i] : (int)i) == id)
            return (int)i;
    return -1;
}

/* Walk the whole buffer with the matcher and with a naive search; count
 * disagreements (a missed position, a false position, or a wrong id). */
static int compare_with_naive(const struct exh_matcher *m, const char *const *nd, const int *ids,
                              size_t nn, const uint8_t *p, size_t n, size_t *hits_out)
{
    int errors = 0;
    size_t hits = 0, from = 0;
    for (;;) {
        int id = INT_MIN + 7, id2 = INT_MIN + 7;
        uint64_t lfs = UINT64_MAX;
        size_t at = exh_matcher_next(m, p, n, from, &id);
        /* the counting variant: the same answer, and the line ends passed */
        size_t at2 = exh_matcher_next_lf(m, p, n, from, &id2, &lfs);
        size_t stop = at < n ? at : n;
        uint64_t want = 0;
        for (size_t i = from; i < stop; i++)
            want += p[i] == '\n';
        if (at2 != at || (at < n && id2 != id) || lfs != want) {
            if (errors++ < 5)
                printf("  _lf variant: %zu/%zu, %llu line ends (want %llu) from %zu\n", at2, at,
                       (unsigned long long)lfs, (unsigned long long)want, from);
        }
        /* nothing may match strictly between from and at */
        for (size_t i = from; i < stop; i++)
            for (size_t k = 0; k < nn; k++)
                if (naive_at(p + i, n - i, nd[k])) {
                    if (errors++ < 5)
                        printf("  missed \"%s\" at %zu (next reported %zu)\n", nd[k], i, at);
                }
        if (at >= n)
            break;
        int k = index_of_id(ids, nn, id);
        if (k < 0 || !naive_at(p + at, n - at, nd[k])) {
            if (errors++ < 5)
                printf("  false hit at %zu id %d\n", at, id);
        }
        hits++;
        from = at + 1;
    }
    *hits_out = hits;
    return errors;
}

static void test_build(void)
{
    const char *short1[] = {"abcd", "abc"};
    CHECK(exh_matcher_build(short1, NULL, 2) == NULL);
    const char *short2[] = {""};
    CHECK(exh_matcher_build(short2, NULL, 1) == NULL);
    const char *short3[] = {"x", "abcdef"};
    CHECK(exh_matcher_build(short3, NULL, 2) == NULL);
    const char *four[] = {"abcd"};
    struct exh_matcher *m = exh_matcher_build(four, NULL, 1);
    CHECK(m != NULL);
    exh_matcher_free(m);
    exh_matcher_free(NULL);

    /* no needles: never a match */
    m = exh_matcher_build(NULL, NULL, 0);
    if (CHECK(m != NULL)) {
        int id = -1;
        const uint8_t txt[] = "abcdabcd";
        CHECK_EQ_INT(exh_matcher_next(m, txt, 8, 0, &id), 8);
        exh_matcher_free(m);
    }
    /* NULL matcher */
    int id = 0;
    CHECK_EQ_INT(exh_matcher_next(NULL, (const uint8_t *)"abcd", 4, 0, &id), 4);

    /* needle strings are copied */
    char buf[16] = "AbCdEf";
    const char *mine[] = {buf};
    m = exh_matcher_build(mine, NULL, 1);
    memset(buf, 'z', 6);
    if (CHECK(m != NULL)) {
        const uint8_t txt[] = "..abcdef..";
        CHECK_EQ_INT(exh_matcher_next(m, txt, 10, 0, &id), 2);
        CHECK_EQ_INT(id, 0);
        exh_matcher_free(m);
    }
}

static void test_basic(void)
{
    const char *nd[] = {"serverinfo~", "AutoDiscover", "#fields:", "104.140.114.110",
                        "serverversion~"};
    const int ids[] = {10, 20, 30, -40, 50};
    struct exh_matcher *m = exh_matcher_build(nd, ids, 5);
    if (!CHECK(m != NULL))
        return;
    const char *txt = "SERVERINFO~a]@ex:444/autodiscover/AUTODISCOVER.xml?#,104.140.114.110,"
                      "#Fields: x,ServerVersion~1,serverinfo~";
    const uint8_t *p = (const uint8_t *)txt;
    size_t n = strlen(txt);
    const struct {
        size_t at;
        int id;
    } want[] = {
        {0, 10},
        {(size_t)(strstr(txt, "autodiscover") - txt), 20},
        {(size_t)(strstr(txt, "AUTODISCOVER") - txt), 20},
        {(size_t)(strstr(txt, "104.") - txt), -40},
        {(size_t)(strstr(txt, "#Fields") - txt), 30},
        {(size_t)(strstr(txt, "ServerVersion") - txt), 50},
        {n - 11, 10}, /* ends exactly at the end of the buffer */
    };
    size_t from = 0;
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        int id = 12345;
        size_t at = exh_matcher_next(m, p, n, from, &id);
        CHECK_EQ_INT(at, want[k].at);
        CHECK_EQ_INT(id, want[k].id);
        from = at + 1;
    }
    int id = 12345;
    CHECK_EQ_INT(exh_matcher_next(m, p, n, from, &id), n);
    CHECK_EQ_INT(id, 12345); /* untouched when there is no match */
    /* the last needle cut by n is not a match */
    CHECK_EQ_INT(exh_matcher_next(m, p, n - 1, n - 11, &id), n - 1);
    /* from beyond the end */
    CHECK_EQ_INT(exh_matcher_next(m, p, n, n, &id), n);
    CHECK_EQ_INT(exh_matcher_next(m, p, n, n + 100, &id), n);
    /* buffers shorter than 4 bytes */
    CHECK_EQ_INT(exh_matcher_next(m, p, 0, 0, &id), 0);
    CHECK_EQ_INT(exh_matcher_next(m, p, 3, 0, &id), 3);
    exh_matcher_free(m);

    /* a needle that is exactly the buffer */
    const char *one[] = {"ABCD"};
    m = exh_matcher_build(one, NULL, 1);
    if (CHECK(m != NULL)) {
        CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"abcd", 4, 0, &id), 0);
        CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"xabcd", 5, 1, &id), 1);
        CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"xabcd", 5, 2, &id), 5);
        CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"abc", 3, 0, &id), 3);
        exh_matcher_free(m);
    }
}

static void test_overlap_and_folding(void)
{
    const char *nd[] = {"abcd", "bcde", "cdef", "abcdef"};
    const int ids[] = {1, 2, 3, 4};
    struct exh_matcher *m = exh_matcher_build(nd, ids, 4);
    if (!CHECK(m != NULL))
        return;
    const uint8_t *p = (const uint8_t *)"xxABCDEFxx";
    int id = 0;
    size_t at = exh_matcher_next(m, p, 10, 0, &id);
    CHECK_EQ_INT(at, 2);
    CHECK(id == 1 || id == 4); /* both start there */
    CHECK_EQ_INT(exh_matcher_next(m, p, 10, 3, &id), 3);
    CHECK_EQ_INT(id, 2);
    CHECK_EQ_INT(exh_matcher_next(m, p, 10, 4, &id), 4);
    CHECK_EQ_INT(id, 3);
    CHECK_EQ_INT(exh_matcher_next(m, p, 10, 5, &id), 10);
    /* the long needle alone when the short ones are gone */
    exh_matcher_free(m);
    const char *nd2[] = {"abcdefgh", "abcdxxxx"};
    m = exh_matcher_build(nd2, NULL, 2);
    if (!CHECK(m != NULL))
        return;
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"ABCDXXXX", 8, 0, &id), 0);
    CHECK_EQ_INT(id, 1);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"ABCDEFG", 7, 0, &id), 7);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"abcdefgh", 8, 0, &id), 0);
    CHECK_EQ_INT(id, 0);
    exh_matcher_free(m);

    /* the hash folds with | 0x20: punctuation pairs and control bytes hash
     * alike, but verification is exact */
    const char *nd3[] = {"a@b[", "1234", "\x7b\x7c\x7d\x7e"};
    m = exh_matcher_build(nd3, NULL, 3);
    if (!CHECK(m != NULL))
        return;
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"A`B{", 4, 0, &id), 4);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"\x11\x12\x13\x14", 4, 0, &id), 4);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"\x5b\x5c\x5d\x5e", 4, 0, &id), 4);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"..A@B[", 6, 0, &id), 2);
    CHECK_EQ_INT(id, 0);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"x1234", 5, 0, &id), 1);
    CHECK_EQ_INT(id, 1);
    exh_matcher_free(m);
}

static void test_random_vs_naive(void)
{
    /* a small alphabet so that needles occur often, in both cases */
    static const char alpha[] = "abAB~#:.1 ";
    const char *nd[] = {"abab",    "BaBa~",    "a~b#:", "aaaa", "ab.1",  "b b ",
                        "1.1.1.1", "~~~~~~~~", "#:#:",  "abba", "ABBA ", "baab"};
    int ids[12];
    for (int i = 0; i < 12; i++)
        ids[i] = 100 + i * 3;
    struct exh_matcher *m = exh_matcher_build(nd, ids, 12);
    if (!CHECK(m != NULL))
        return;
    size_t n = 6000;
    uint8_t *p = malloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)alpha[lcg() % (sizeof(alpha) - 1)];
    size_t hits;
    CHECK_EQ_INT(compare_with_naive(m, nd, ids, 12, p, n, &hits), 0);
    CHECK(hits > 20); /* the test actually exercised matches */
    /* every prefix length: matches at the very end of the buffer */
    int errs = 0;
    for (size_t k = 0; k < 64; k++)
        errs += compare_with_naive(m, nd, ids, 12, p + 100, k, &hits);
    CHECK_EQ_INT(errs, 0);

    /* random bytes of every value: no false hits */
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)lcg();
    CHECK_EQ_INT(compare_with_naive(m, nd, ids, 12, p, n, &hits), 0);
    exh_matcher_free(m);

    /* the real pre-filter needles over pseudo-random text with planted hits */
    const char *real[] = {"serverinfo~",
                          "serverversion~",
                          "exporttool",
                          "virtualdirectory",
                          "download failed and temporary file",
                          "#fields:",
                          "104.140.114.110",
                          "antsword",
                          "exchangeservicesclient/0.0.0.0",
                          "python-requests"};
    m = exh_matcher_build(real, NULL, 10);
    if (!CHECK(m != NULL)) {
        free(p);
        return;
    }
    static const char text_alpha[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~#:./,- ";
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)text_alpha[lcg() % (sizeof(text_alpha) - 1)];
    int planted = 0;
    for (size_t at = 37; at + 40 < n; at += 397) {
        const char *s = real[lcg() % 10];
        size_t len = strlen(s);
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)s[k];
            if (c >= 'a' && c <= 'z' && (lcg() & 1))
                c = (unsigned char)(c - 32);
            p[at + k] = c;
        }
        planted++;
    }
    memcpy(p + n - 8, "#FIELDS:", 8); /* at the very end */
    memcpy(p, "SeRvErInFo~", 11);     /* at offset 0 */
    CHECK_EQ_INT(compare_with_naive(m, real, NULL, 10, p, n, &hits), 0);
    CHECK(hits >= (size_t)planted + 2);
    exh_matcher_free(m);

    /* many needles (several sharing their first 4 bytes) */
    enum { NN = 300 };
    char store[NN][12];
    const char *many[NN];
    for (int i = 0; i < NN; i++) {
        size_t len = 4 + (size_t)(lcg() % 6);
        for (size_t k = 0; k < len; k++)
            store[i][k] = "abcd"[lcg() % 4];
        store[i][len] = '\0';
        many[i] = store[i];
    }
    m = exh_matcher_build(many, NULL, NN);
    if (!CHECK(m != NULL)) {
        free(p);
        return;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t) "abcdABCDe"[lcg() % 9];
    CHECK_EQ_INT(compare_with_naive(m, many, NULL, NN, p, 3000, &hits), 0);
    CHECK(hits > 100);
    exh_matcher_free(m);
    free(p);
}

/* ids are arbitrary ints. Needles with the same first 4 bytes are ordered
 * by id when the matcher is built: that must not overflow (T_RUN turns a
 * sanitizer abort into a failure).
 * BUG (match.c cmp_needle): `return x->id - y->id` overflows for ids such as
 * INT_MIN and 1 (UBSan: signed integer overflow); compare, do not subtract. */
static void test_extreme_ids(void)
{
    const char *nd[] = {"abcdXX", "abcdYY", "abcdZZ"};
    const int ids[] = {INT_MIN, 1, INT_MAX};
    struct exh_matcher *m = exh_matcher_build(nd, ids, 3);
    if (!CHECK(m != NULL))
        return;
    int id = 0;
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"..ABCDYY", 8, 0, &id), 2);
    CHECK_EQ_INT(id, 1);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"..ABCDxx", 8, 0, &id), 2);
    CHECK_EQ_INT(id, INT_MIN);
    CHECK_EQ_INT(exh_matcher_next(m, (const uint8_t *)"..ABCDzz", 8, 0, &id), 2);
    CHECK_EQ_INT(id, INT_MAX);
    exh_matcher_free(m);
}

int main(void)
{
    T_RUN(test_build);
    T_RUN(test_basic);
    T_RUN(test_overlap_and_folding);
    T_RUN(test_random_vs_naive);
    T_RUN(test_extreme_ids);
    return T_DONE("unit-match");
}
