/* fuzz_zip.c: the zip central-directory walker (src/read/zip.c) on
 * arbitrary bytes.
 *
 * exh_zip_names runs three times:
 * 1. over the whole input with a callback that never stops it;
 * 2. over the whole input again, stopped (the callback returns 1) at a call
 *    chosen by the input's last byte;
 * 3. over an exact-size prefix of the input (cut where the input says), so
 *    that an offset checked against the real size instead of the given one
 *    is an ASan error.
 * Checks: every name slice lies inside the buffer given and is the name of
 * a central directory header (the "PK\1\2" signature 46 bytes before it,
 * whose name-length field is the slice's length); names come in increasing
 * order without overlapping headers; the count returned equals the number
 * of callback calls, is at most EXH_ZIP_MAX_NAMES and at most one per 46
 * bytes; a stopped walk returns the calls made so far and saw the same
 * names as the full walk. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/zip.h"
#include "fuzz.h"
#include "exh/banned.h"

struct zp_walk {
    const uint8_t *base;
    size_t n;
    size_t calls;
    size_t stop_at;   /* return 1 on this call (1-based); 0: never */
    const char *last; /* the previous name */
    /* the names of a full walk, compared with a stopped one */
    const char **names;
    size_t *lens;
    size_t cap;
    bool record, compare;
};

static uint32_t zp_rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static int zp_cb(void *ud, const char *name, size_t len)
{
    struct zp_walk *w = ud;
    EXH_FUZZ_CHECK(name != NULL);
    EXH_FUZZ_CHECK(exh_fuzz_inside(name, len, w->base, w->n));
    exh_fuzz_touch(name, len);
    /* the name follows its 46-byte central directory header */
    size_t at = (size_t)((const uint8_t *)name - w->base);
    EXH_FUZZ_CHECK(at >= 46);
    const uint8_t *h = w->base + at - 46;
    EXH_FUZZ_CHECK(h[0] == 'P' && h[1] == 'K' && h[2] == 1 && h[3] == 2);
    EXH_FUZZ_CHECK(zp_rd16(h + 28) == len);
    /* headers do not overlap: the next one starts after this name */
    if (w->last)
        EXH_FUZZ_CHECK((uintptr_t)h >= (uintptr_t)w->last);
    w->last = name + len;
    if (w->record) {
        EXH_FUZZ_CHECK(w->calls < w->cap);
        w->names[w->calls] = name;
        w->lens[w->calls] = len;
    }
    if (w->compare) {
        EXH_FUZZ_CHECK(w->calls < w->cap);
        EXH_FUZZ_CHECK(w->names[w->calls] == name && w->lens[w->calls] == len);
    }
    w->calls++;
    return w->stop_at && w->calls == w->stop_at;
}

static size_t zp_walk(const uint8_t *p, size_t n, struct zp_walk *w)
{
    w->base = p;
    w->n = n;
    w->calls = 0;
    w->last = NULL;
    size_t count = exh_zip_names(p, n, zp_cb, w);
    EXH_FUZZ_CHECK(count <= EXH_ZIP_MAX_NAMES);
    EXH_FUZZ_CHECK(count <= n / 46);
    EXH_FUZZ_CHECK(count == w->calls);
    return count;
}

int exh_fuzz_zip(const uint8_t *data, size_t size)
{
    struct zp_walk w;
    memset(&w, 0, sizeof(w));
    w.cap = size / 46 + 1;
    w.names = malloc(w.cap * sizeof(*w.names));
    w.lens = malloc(w.cap * sizeof(*w.lens));
    if (!w.names || !w.lens)
        abort();

    /* 1. the whole walk, every name recorded */
    w.record = true;
    size_t count = zp_walk(data, size, &w);
    w.record = false;

    /* 2. stopped at the k-th name: k names seen, the same ones */
    if (count > 0) {
        w.stop_at = 1 + (size_t)data[size - 1] % count;
        w.compare = true;
        EXH_FUZZ_CHECK(zp_walk(data, size, &w) == w.stop_at);
        w.compare = false;
        w.stop_at = 0;
    }

    /* 3. an exact-size prefix */
    if (size > 1) {
        size_t cut = (size_t)data[0] * 257 % size;
        uint8_t *copy = exh_fuzz_dup(data, cut);
        zp_walk(copy, cut, &w);
        free(copy);
    }
    /* too short to hold an end record */
    EXH_FUZZ_CHECK(zp_walk(data, size < 21 ? size : 21, &w) == 0);

    free(w.names);
    free(w.lens);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_zip(data, size);
}
#endif
