/* fuzz_netaddr.c: addresses, ranges and the source of a proxied request
 * (src/core/netaddr.c), all read from attacker-written log fields.
 *
 * 1. The whole input as an address: when it parses, its canonical text must
 *    parse again to the same 16 bytes and format to the same text.
 * 2. The whole input as a range: when it parses, the range holds its own
 *    network address.
 * 3. The input cut at its first '\n' into a connection field and an
 *    X-Forwarded-For value (a second '\n' ends a trusted range): the source
 *    must be found whenever either holds an entry, be non-empty, and be
 *    believed only when a connection address was given; the path holds at
 *    most 64 entries.
 * Any disagreement abort()s. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "exh/netaddr.h"
#include "fuzz.h"
#include "exh/banned.h"

int exh_fuzz_netaddr(const uint8_t *data, size_t size)
{
    struct exh_str all = exh_str_make((const char *)data, size);
    struct exh_ip ip, again;
    if (exh_ip_parse(all, &ip)) {
        char t[46], t2[46];
        exh_ip_format(&ip, t);
        EXH_FUZZ_CHECK(exh_ip_parse(exh_str_make(t, strlen(t)), &again));
        EXH_FUZZ_CHECK(!memcmp(&ip, &again, sizeof(ip)));
        exh_ip_format(&again, t2);
        EXH_FUZZ_CHECK(!strcmp(t, t2));
    }
    struct exh_cidr c;
    if (exh_cidr_parse(all, &c)) {
        EXH_FUZZ_CHECK(c.bits <= 128);
        EXH_FUZZ_CHECK(exh_cidr_contains(&c, &c.net));
    }
    const char *p = (const char *)data, *nl = size ? memchr(p, '\n', size) : NULL;
    struct exh_str conn = exh_str_make(p, nl ? (size_t)(nl - p) : size);
    struct exh_str xff = EXH_STR_NULL, tr = EXH_STR_NULL;
    if (nl) {
        const char *rest = nl + 1, *end = p + size, *nl2 = memchr(rest, '\n', (size_t)(end - rest));
        xff = exh_str_make(rest, nl2 ? (size_t)(nl2 - rest) : (size_t)(end - rest));
        if (nl2)
            tr = exh_str_make(nl2 + 1, (size_t)(end - nl2 - 1));
    }
    struct exh_cidr trusted[1];
    size_t nt = exh_cidr_parse(tr, &trusted[0]) ? 1 : 0;
    struct exh_buf src = {0}, chain = {0};
    bool vouched = true;
    bool any = exh_source_resolve(conn, xff, trusted, nt, &src, &chain, &vouched);
    if (any) {
        EXH_FUZZ_CHECK(src.n > 0);
        size_t entries = chain.n ? 1 : 0;
        for (size_t i = 0; i < chain.n; i++)
            entries += chain.p[i] == ',';
        EXH_FUZZ_CHECK(entries <= 64);
    } else {
        EXH_FUZZ_CHECK(!vouched);
    }
    /* believed only with a connection address to stand on */
    /* (an entry: a run between ',' ';' blanks and '+' that is not a lone "-") */
    bool conn_entry = false;
    for (size_t i = 0; i < conn.n && !conn_entry;) {
        size_t st = i;
        while (i < conn.n && !(conn.p[i] == ',' || conn.p[i] == ';' || conn.p[i] == ' ' ||
                               conn.p[i] == '\t' || conn.p[i] == '+'))
            i++;
        conn_entry = i > st && !(i - st == 1 && conn.p[st] == '-');
        i += i == st;
    }
    if (vouched)
        EXH_FUZZ_CHECK(conn_entry);
    exh_buf_release(&src);
    exh_buf_release(&chain);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_netaddr(data, size);
}
#endif
