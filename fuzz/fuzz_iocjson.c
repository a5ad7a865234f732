/* fuzz_iocjson.c: the STIX 2.1 and MISP JSON indicator reader
 * (src/read/ioc_json.c, exh_ioc_read_json) on arbitrary bytes.
 *
 * The input is the file, read twice: once with a roomy error buffer and
 * once with an exactly sized one of 1 to 64 bytes (the last input byte
 * chooses), so that a message written past its buffer is an ASan error.
 * Checked:
 *   - every item: a type below EXH_IOC__COUNT, a value that is not empty,
 *     at most EXH_IOC_LINE_MAX bytes (a YARA pattern: 1 MiB) and passes
 *     exh_ioc_check for its type unchanged; score -1, no exclusion,
 *     confidence -1..100; every string it carries is live;
 *   - every skip: a where and a why, NUL-terminated and not empty;
 *   - false returned: nothing given (no item, no skip), the format
 *     EXH_IOCF_NONE and err a NUL-terminated, non-empty message;
 *     true returned: the format STIX or MISP;
 *   - both reads agree: the same answer, format, counts and values. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/iocread.h"
#include "fuzz.h"
#include "exh/banned.h"

struct ij_state {
    size_t items, skips, understood;
    uint64_t digest; /* of every item's type and value, and every skip */
};

static uint64_t ij_mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

static void ij_check_str(struct exh_str s)
{
    EXH_FUZZ_CHECK(s.p != NULL || s.n == 0);
    if (s.n)
        exh_fuzz_touch(s.p, s.n);
}

static void ij_item(void *ud, const struct exh_ioc_item *it)
{
    struct ij_state *st = ud;
    st->items++;
    EXH_FUZZ_CHECK((unsigned)it->type < EXH_IOC__COUNT);
    ij_check_str(it->value);
    ij_check_str(it->exclude);
    ij_check_str(it->title);
    ij_check_str(it->reference);
    ij_check_str(it->note);
    EXH_FUZZ_CHECK(it->value.n > 0);
    EXH_FUZZ_CHECK(it->value.n <= (it->type == EXH_IOC_YARA ? (1u << 20) : EXH_IOC_LINE_MAX));
    struct exh_str v = it->value;
    EXH_FUZZ_CHECK(exh_ioc_check(it->type, &v));
    EXH_FUZZ_CHECK(v.p == it->value.p && v.n == it->value.n); /* already trimmed */
    EXH_FUZZ_CHECK(it->score == -1);
    EXH_FUZZ_CHECK(it->exclude.n == 0);
    EXH_FUZZ_CHECK(it->confidence >= -1 && it->confidence <= 100);
    unsigned char t = (unsigned char)it->type;
    st->digest = ij_mix(st->digest, &t, 1);
    st->digest = ij_mix(st->digest, it->value.p, it->value.n);
}

static void ij_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct ij_state *st = ud;
    st->skips++;
    st->understood += understood;
    EXH_FUZZ_CHECK(where != NULL && why != NULL);
    size_t wn = strlen(where), yn = strlen(why);
    exh_fuzz_touch(where, wn + 1);
    exh_fuzz_touch(why, yn + 1);
    EXH_FUZZ_CHECK(wn > 0 && yn > 0);
    st->digest = ij_mix(st->digest, where, wn + 1);
    st->digest = ij_mix(st->digest, why, yn + 1);
}

static bool ij_read(const uint8_t *data, size_t size, char *err, size_t errn, struct ij_state *st,
                    enum exh_ioc_format *fmt)
{
    struct exh_ioc_sink sink = {st, ij_item, ij_skip};
    memset(st, 0, sizeof(*st));
    st->digest = 0xcbf29ce484222325ull;
    memset(err, 'X', errn);
    *fmt = EXH_IOCF__COUNT;
    bool ok = exh_ioc_read_json(data, size, &sink, fmt, err, errn);
    if (ok) {
        EXH_FUZZ_CHECK(*fmt == EXH_IOCF_STIX || *fmt == EXH_IOCF_MISP);
    } else {
        EXH_FUZZ_CHECK(*fmt == EXH_IOCF_NONE);
        EXH_FUZZ_CHECK(st->items == 0 && st->skips == 0);
        EXH_FUZZ_CHECK(memchr(err, '\0', errn) != NULL);
        EXH_FUZZ_CHECK(err[0] != '\0' || errn == 1);
    }
    return ok;
}

int exh_fuzz_iocjson(const uint8_t *data, size_t size)
{
    /* an exactly sized copy (so a read past the end is an ASan error) */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    copy[0] = 0;
    if (size)
        memcpy(copy, data, size);
    char big[512];
    struct ij_state a, b;
    enum exh_ioc_format fa, fb;
    bool oka = ij_read(copy, size, big, sizeof(big), &a, &fa);

    size_t errn = 1 + (size ? data[size - 1] % 64 : 0);
    char *small = malloc(errn); /* exactly errn bytes */
    if (!small)
        abort();
    bool okb = ij_read(copy, size, small, errn, &b, &fb);
    if (!oka) /* the short message is the long one cut */
        EXH_FUZZ_CHECK(!strncmp(small, big, errn - 1));
    free(small);

    EXH_FUZZ_CHECK(oka == okb && fa == fb);
    EXH_FUZZ_CHECK(a.items == b.items && a.skips == b.skips && a.understood == b.understood);
    EXH_FUZZ_CHECK(a.digest == b.digest);
    free(copy);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_iocjson(data, size);
}
#endif
