/* fuzz_ioc.c: the indicator set (src/detect/iocset.c) on arbitrary bytes:
 * loading them as an --ioc file, then every lookup.
 *
 * Input layout: byte 0 chooses; the rest is the file.
 *   bit 0     load the file twice (two feeds)
 *   bits 5-7  all set (byte 0 >= 0xE0): start from the built-in lists (one
 *             input in eight: reading the built-in hashes is slow)
 *
 * Checks:
 * 1. A refused file (load false) leaves the set as it was: the same feeds,
 *    the same counts per type; an accepted one adds exactly what its stats
 *    say per type (less nothing), and a second load of the same bytes says
 *    the same again. The stats' err is NUL-terminated.
 * 2. Each feed names its file, and no loaded count is over the entries the
 *    file could hold (its lines or bytes).
 * 3. The lookups, prepared and not, agree: exh_iocset_hash on digests made
 *    from the input, exh_iocset_path/_name/_regex/_web on paths and text made
 *    from it, exh_iocset_ip on the addresses it parses to, exh_iocset_ua on
 *    its first line; and whatever a lookup returns is a meta of this set's
 *    feeds, of the type looked up. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/iocset.h"
#include "fuzz.h"
#include "exh/banned.h"

static void io_counts(const struct exh_iocset *s, size_t *c)
{
    for (int t = 0; t < EXH_IOC__COUNT; t++)
        c[t] = exh_iocset_count(s, (enum exh_ioc_type)t);
}

static void io_meta(const struct exh_iocset *s, const struct exh_ioc_meta *m, enum exh_ioc_type t1,
                    enum exh_ioc_type t2)
{
    if (!m)
        return;
    EXH_FUZZ_CHECK(m->type == t1 || m->type == t2);
    EXH_FUZZ_CHECK(m->feed_ix < exh_iocset_nfeeds(s));
    EXH_FUZZ_CHECK(!strcmp(m->feed, exh_iocset_feed(s, m->feed_ix)->name));
    EXH_FUZZ_CHECK(m->confidence >= -1 && m->confidence <= 100);
    exh_fuzz_touch(m->value, strlen(m->value) + 1);
}

/* The same answer before and after prepare (a prepared lookup may find a
 * different listing of the same value: compare types and presence). */
static void io_lookups(const struct exh_iocset *s, const uint8_t *p, size_t n,
                       const struct exh_ioc_meta **out)
{
    size_t k = 0;
    uint8_t d[32] = {0};
    memcpy(d, p, n < 32 ? n : 32);
    out[k++] = exh_iocset_hash(s, d, 16);
    out[k++] = exh_iocset_hash(s, d, 20);
    out[k++] = exh_iocset_hash(s, d, 32);
    char text[300];
    size_t tn = n < sizeof(text) - 1 ? n : sizeof(text) - 1;
    memcpy(text, p, tn);
    text[tn] = '\0';
    for (size_t i = 0; i < tn; i++)
        if (!text[i])
            text[i] = '/';
    out[k++] = exh_iocset_path(s, text);
    out[k++] = exh_iocset_name(s, exh_path_base(exh_str_make(text, tn)));
    struct exh_buf w = {0};
    exh_iocset_winpath(text, &w);
    out[k++] = exh_iocset_regex(s, w.p ? w.p : "", w.n);
    exh_buf_release(&w);
    size_t at = 0, len = 0;
    out[k] = exh_iocset_web(s, (const char *)p, n, &at, &len);
    if (out[k++])
        EXH_FUZZ_CHECK(at + len <= n && len > 0);
    struct exh_ip ip;
    out[k++] =
        exh_ip_parse(exh_str_make(text, strcspn(text, "\n ")), &ip) ? exh_iocset_ip(s, &ip) : NULL;
    out[k++] = exh_iocset_ua(s, exh_str_make(text, strcspn(text, "\n")), (n & 1) != 0);
    static const enum exh_ioc_type want[][2] = {
        {EXH_IOC_HASH, EXH_IOC_HASH},  {EXH_IOC_HASH, EXH_IOC_HASH}, {EXH_IOC_HASH, EXH_IOC_HASH},
        {EXH_IOC_PATH, EXH_IOC_PATH},  {EXH_IOC_NAME, EXH_IOC_NAME}, {EXH_IOC_REGEX, EXH_IOC_REGEX},
        {EXH_IOC_DOMAIN, EXH_IOC_URL}, {EXH_IOC_IP, EXH_IOC_IP},     {EXH_IOC_UA, EXH_IOC_UA}};
    for (size_t i = 0; i < k; i++)
        io_meta(s, out[i], want[i][0], want[i][1]);
    (void)exh_iocset_line_may_match(s, (const char *)p, n);
}

int exh_fuzz_ioc(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    uint8_t sel = data[0];
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    struct exh_iocset *s = exh_iocset_new(sel >= 0xE0);
    int loads = sel & 1 ? 2 : 1;
    struct exh_ioc_load_stats first;
    for (int l = 0; l < loads; l++) {
        size_t before[EXH_IOC__COUNT], after[EXH_IOC__COUNT];
        io_counts(s, before);
        size_t nf = exh_iocset_nfeeds(s);
        struct exh_ioc_load_stats st;
        bool ok = exh_iocset_load(s, l ? "fuzz-2" : "fuzz-1", p, n, &st, NULL, NULL);
        EXH_FUZZ_CHECK(memchr(st.err, 0, sizeof(st.err)) != NULL);
        io_counts(s, after);
        if (!ok) {
            EXH_FUZZ_CHECK(exh_iocset_nfeeds(s) == nf);
            EXH_FUZZ_CHECK(!memcmp(before, after, sizeof(before)));
        } else {
            EXH_FUZZ_CHECK(exh_iocset_nfeeds(s) == nf + 1);
            const struct exh_ioc_feed *f = exh_iocset_feed(s, nf);
            EXH_FUZZ_CHECK(!strcmp(f->name, l ? "fuzz-2" : "fuzz-1"));
            for (int t = 0; t < EXH_IOC__COUNT; t++) {
                EXH_FUZZ_CHECK(after[t] - before[t] == st.loaded[t]);
                EXH_FUZZ_CHECK(f->loaded[t] == st.loaded[t]);
                EXH_FUZZ_CHECK(st.loaded[t] <= n);
            }
        }
        if (l == 0)
            first = st;
        else
            EXH_FUZZ_CHECK(!memcmp(first.loaded, st.loaded, sizeof(st.loaded)) &&
                           first.bad == st.bad && first.unused == st.unused);
    }
    const struct exh_ioc_meta *a[16], *b[16];
    io_lookups(s, p, n, a);
    exh_iocset_prepare(s);
    exh_iocset_prepare(s);
    io_lookups(s, p, n, b);
    for (size_t i = 0; i < 9; i++)
        EXH_FUZZ_CHECK((a[i] == NULL) == (b[i] == NULL));
    exh_iocset_free(s);
    exh_iocset_free(NULL);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_ioc(data, size);
}
#endif
