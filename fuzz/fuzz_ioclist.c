/* fuzz_ioclist.c: the indicator file reader (src/read/iocread.c) on
 * arbitrary bytes: the choice of format by content, and the line formats
 * (plain and Loki lists, the typed CSVs) read in full.
 *
 * Checks, for every item given: its type is one of the types, its value
 * passes exh_ioc_check for that type unchanged (the reader checked it), its
 * score and confidence are in range, and its strings are readable. When the
 * reader says "no format" (EXH_IOCF_NONE) it gave no item and says why (err
 * is a non-empty NUL-terminated string). Every skip names where and why.
 * The input is read a second time with the bytes' first line turned into a
 * CSV header "type,value" to reach the typed rows. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/iocread.h"
#include "fuzz.h"
#include "exh/banned.h"

struct il_count {
    size_t items, skips;
};

static void il_item(void *ud, const struct exh_ioc_item *it)
{
    struct il_count *c = ud;
    c->items++;
    EXH_FUZZ_CHECK((unsigned)it->type < EXH_IOC__COUNT);
    struct exh_str v = it->value;
    EXH_FUZZ_CHECK(exh_ioc_check(it->type, &v));
    EXH_FUZZ_CHECK(v.p == it->value.p && v.n == it->value.n);
    EXH_FUZZ_CHECK(it->score >= -1 && it->score <= 100);
    EXH_FUZZ_CHECK(it->confidence >= -1 && it->confidence <= 100);
    exh_fuzz_touch(it->value.p, it->value.n);
    exh_fuzz_touch(it->title.p, it->title.n);
    exh_fuzz_touch(it->note.p, it->note.n);
    exh_fuzz_touch(it->reference.p, it->reference.n);
    exh_fuzz_touch(it->exclude.p, it->exclude.n);
}

static void il_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct il_count *c = ud;
    (void)understood;
    c->skips++;
    EXH_FUZZ_CHECK(where && why && *why);
    exh_fuzz_touch(where, strlen(where) + 1);
}

static void il_read(const uint8_t *p, size_t n)
{
    struct il_count c = {0, 0};
    struct exh_ioc_sink sink = {&c, il_item, il_skip};
    char err[200];
    enum exh_ioc_format f = exh_ioc_read(p, n, &sink, err, sizeof(err));
    EXH_FUZZ_CHECK((unsigned)f < EXH_IOCF__COUNT);
    EXH_FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
    if (f == EXH_IOCF_NONE) {
        EXH_FUZZ_CHECK(c.items == 0);
        EXH_FUZZ_CHECK(err[0] != '\0');
    }
}

int exh_fuzz_ioclist(const uint8_t *data, size_t size)
{
    il_read(data, size);
    /* the same bytes as the rows of a typed CSV */
    static const char hdr[] = "type,value,comment\n";
    uint8_t *b = malloc(sizeof(hdr) + size);
    if (!b)
        abort();
    memcpy(b, hdr, sizeof(hdr) - 1);
    if (size)
        memcpy(b + sizeof(hdr) - 1, data, size);
    il_read(b, sizeof(hdr) - 1 + size);
    free(b);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_ioclist(data, size);
}
#endif
