/* fuzz_iocxml.c: the OpenIOC XML reader (src/read/ioc_xml.c) on arbitrary
 * bytes.
 *
 * Checks: every item has a type below EXH_IOC__COUNT, a value that passes
 * exh_ioc_check for that type, confidence -1 (OpenIOC has none) and
 * readable title, reference and note; every skip names an "IndicatorItem
 * N" and a reason;
 * when the reader returns false nothing at all was given and err is a
 * non-empty NUL-terminated string inside its buffer (also a buffer of 6
 * bytes); a second read of the same bytes gives the same answer, items and
 * skips (the reader keeps nothing between calls). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/iocread.h"
#include "fuzz.h"
#include "exh/banned.h"

struct ix_seen {
    size_t items, skips;
    uint64_t sum; /* of what was given, in order */
};

static uint64_t ix_add(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

static void ix_item(void *ud, const struct exh_ioc_item *it)
{
    struct ix_seen *s = ud;
    s->items++;
    EXH_FUZZ_CHECK(it->type < EXH_IOC__COUNT);
    EXH_FUZZ_CHECK(it->confidence == -1);
    EXH_FUZZ_CHECK(it->value.p && it->value.n > 0);
    struct exh_str v = it->value;
    EXH_FUZZ_CHECK(exh_ioc_check(it->type, &v));
    exh_fuzz_touch(it->value.p, it->value.n);
    exh_fuzz_touch(it->title.p, it->title.n);
    exh_fuzz_touch(it->reference.p, it->reference.n);
    exh_fuzz_touch(it->note.p, it->note.n);
    exh_fuzz_touch(it->exclude.p, it->exclude.n);
    s->sum = ix_add(s->sum, &it->type, sizeof(it->type));
    s->sum = ix_add(s->sum, it->value.p, it->value.n);
    s->sum = ix_add(s->sum, it->title.p, it->title.n);
    s->sum = ix_add(s->sum, &it->confidence, sizeof(it->confidence));
}

static void ix_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct ix_seen *s = ud;
    s->skips++;
    EXH_FUZZ_CHECK(where && why && why[0]);
    EXH_FUZZ_CHECK(strncmp(where, "IndicatorItem ", 14) == 0 && where[14] >= '1' &&
                   where[14] <= '9');
    EXH_FUZZ_CHECK(strlen(why) < 512);
    s->sum = ix_add(s->sum, where, strlen(where));
    s->sum = ix_add(s->sum, why, strlen(why));
    s->sum = ix_add(s->sum, &understood, sizeof(understood));
}

static bool ix_read(const uint8_t *p, size_t n, struct ix_seen *s, char *err, size_t errn)
{
    memset(s, 0, sizeof(*s));
    struct exh_ioc_sink sink = {s, ix_item, ix_skip};
    memset(err, 'X', errn);
    bool ok = exh_ioc_read_openioc(p, n, &sink, err, errn);
    if (!ok) {
        EXH_FUZZ_CHECK(s->items == 0 && s->skips == 0);
        EXH_FUZZ_CHECK(memchr(err, '\0', errn) != NULL && err[0] != '\0');
    }
    return ok;
}

int exh_fuzz_iocxml(const uint8_t *data, size_t size)
{
    uint8_t *copy = exh_fuzz_dup(data, size);
    struct ix_seen a, b;
    char err[160], small[6];
    bool ok = ix_read(copy, size, &a, err, sizeof(err));
    bool ok2 = ix_read(copy, size, &b, small, sizeof(small));
    EXH_FUZZ_CHECK(ok == ok2);
    EXH_FUZZ_CHECK(a.items == b.items && a.skips == b.skips && a.sum == b.sum);
    if (!ok)
        EXH_FUZZ_CHECK(strncmp(err, small, sizeof(small) - 1) == 0);
    free(copy);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_iocxml(data, size);
}
#endif
