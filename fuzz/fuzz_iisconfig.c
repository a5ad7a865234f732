/* fuzz_iisconfig.c: the applicationHost.config reader (src/read/iisconfig.c)
 * and %VAR% expansion on arbitrary bytes.
 *
 * Checks: every value reported lies inside the input, is not empty, holds
 * no '"', is preceded by the attribute it belongs to (directory=" or
 * physicalPath=") and comes after the previous one; the count returned is
 * the number of calls. Expansion with a lookup that knows no name gives the
 * input back unchanged; with one that maps every name to at most two bytes
 * the result is never longer than the input (a name and its two '%' are at
 * least three). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/iisconfig.h"
#include "fuzz.h"
#include "exh/banned.h"

struct ic_walk {
    const char *base;
    size_t n, calls;
    const char *last;
};

static void ic_on_path(void *ud, enum exh_iis_path kind, struct exh_str v)
{
    struct ic_walk *w = ud;
    w->calls++;
    EXH_FUZZ_CHECK(v.n > 0 && v.p >= w->base && v.p + v.n <= w->base + w->n);
    EXH_FUZZ_CHECK(!memchr(v.p, '"', v.n));
    EXH_FUZZ_CHECK(!w->last || v.p > w->last);
    w->last = v.p;
    const char *attr = kind == EXH_IIS_LOG_DIR ? "directory=\"" : "physicalPath=\"";
    size_t an = strlen(attr);
    EXH_FUZZ_CHECK(kind == EXH_IIS_LOG_DIR || kind == EXH_IIS_WEB_ROOT);
    EXH_FUZZ_CHECK((size_t)(v.p - w->base) >= an && !memcmp(v.p - an, attr, an));
    exh_fuzz_touch(v.p, v.n);
}

static const char *ic_none(const char *name)
{
    (void)name;
    return NULL;
}

static const char *ic_short(const char *name)
{
    return name[0] & 1 ? "ab" : "";
}

int exh_fuzz_iisconfig(const uint8_t *data, size_t size)
{
    struct ic_walk w = {(const char *)data, size, 0, NULL};
    EXH_FUZZ_CHECK(exh_iisconfig_paths((const char *)data, size, ic_on_path, &w) == w.calls);

    size_t n = size < 65536 ? size : 65536;
    char *same = exh_expand_env((const char *)data, n, ic_none);
    EXH_FUZZ_CHECK(!memcmp(same, data, n) && same[n] == '\0');
    free(same);
    char *shorter = exh_expand_env((const char *)data, n, ic_short);
    size_t k = 0;
    while (k <= n && shorter[k])
        k++;
    EXH_FUZZ_CHECK(k <= n);
    free(shorter);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_iisconfig(data, size);
}
#endif
