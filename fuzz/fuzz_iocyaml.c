/* fuzz_iocyaml.c: the CHIRP YAML reader (src/read/ioc_yaml.c) on arbitrary
 * bytes.
 *
 * Checks: every item has a type below EXH_IOC__COUNT, a value that passes
 * exh_ioc_check for that type, a confidence from -1 to 100 and readable
 * title, reference and note; every skip names a "document N" and a reason;
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

struct iy_seen {
    size_t items, skips;
    uint64_t sum; /* of what was given, in order */
};

static uint64_t iy_add(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

static void iy_item(void *ud, const struct exh_ioc_item *it)
{
    struct iy_seen *s = ud;
    s->items++;
    EXH_FUZZ_CHECK(it->type < EXH_IOC__COUNT);
    EXH_FUZZ_CHECK(it->confidence >= -1 && it->confidence <= 100);
    EXH_FUZZ_CHECK(it->value.p && it->value.n > 0);
    struct exh_str v = it->value;
    EXH_FUZZ_CHECK(exh_ioc_check(it->type, &v));
    exh_fuzz_touch(it->value.p, it->value.n);
    exh_fuzz_touch(it->title.p, it->title.n);
    exh_fuzz_touch(it->reference.p, it->reference.n);
    exh_fuzz_touch(it->note.p, it->note.n);
    exh_fuzz_touch(it->exclude.p, it->exclude.n);
    s->sum = iy_add(s->sum, &it->type, sizeof(it->type));
    s->sum = iy_add(s->sum, it->value.p, it->value.n);
    s->sum = iy_add(s->sum, it->title.p, it->title.n);
    s->sum = iy_add(s->sum, &it->confidence, sizeof(it->confidence));
}

static void iy_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct iy_seen *s = ud;
    s->skips++;
    EXH_FUZZ_CHECK(where && why && why[0]);
    EXH_FUZZ_CHECK(strncmp(where, "document ", 9) == 0 && where[9] >= '1' && where[9] <= '9');
    EXH_FUZZ_CHECK(strlen(why) < 512);
    s->sum = iy_add(s->sum, where, strlen(where));
    s->sum = iy_add(s->sum, why, strlen(why));
    s->sum = iy_add(s->sum, &understood, sizeof(understood));
}

static bool iy_read(const uint8_t *p, size_t n, struct iy_seen *s, char *err, size_t errn)
{
    memset(s, 0, sizeof(*s));
    struct exh_ioc_sink sink = {s, iy_item, iy_skip};
    memset(err, 'X', errn);
    bool ok = exh_ioc_read_chirp(p, n, &sink, err, errn);
    if (!ok) {
        EXH_FUZZ_CHECK(s->items == 0 && s->skips == 0);
        EXH_FUZZ_CHECK(memchr(err, '\0', errn) != NULL && err[0] != '\0');
    }
    return ok;
}

int exh_fuzz_iocyaml(const uint8_t *data, size_t size)
{
    uint8_t *copy = exh_fuzz_dup(data, size);
    struct iy_seen a, b;
    char err[160], small[6];
    bool ok = iy_read(copy, size, &a, err, sizeof(err));
    bool ok2 = iy_read(copy, size, &b, small, sizeof(small));
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
    return exh_fuzz_iocyaml(data, size);
}
#endif
