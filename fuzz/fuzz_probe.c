/* fuzz_probe.c: what `exhunt probe` reads from servers and target lists
 * (src/engine/probe.c, src/net/http_common.c), on arbitrary bytes.
 *
 * 1. The input as an X-OWA-Version value, a logon page and an export tool
 *    manifest: a build found has 3 or 4 parts and is Exchange 14 or 15, and
 *    a 3-part one has revision 0.
 * 2. The input as a raw header block: a value found lies inside the input
 *    and holds no line end.
 * 3. The input up to its first NUL as a target: a parsed one has a scheme of
 *    http or https, a non-empty host and a port from 1 to 65535.
 * Any disagreement abort()s. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/http.h"
#include "exh/probe.h"
#include "fuzz.h"
#include "exh/banned.h"

static void probe_check_build(int parts, const struct exh_build *b)
{
    if (!parts)
        return;
    EXH_FUZZ_CHECK(parts == 3 || parts == 4);
    EXH_FUZZ_CHECK(b->major == 14 || b->major == 15);
    EXH_FUZZ_CHECK(b->minor < 10);
    if (parts == 3)
        EXH_FUZZ_CHECK(b->rev == 0);
}

int exh_fuzz_probe(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct exh_build b;
    probe_check_build(exh_probe_build_header(p, size, &b), &b);
    probe_check_build(exh_probe_build_page(p, size, &b), &b);
    int m = exh_probe_build_manifest(p, size, &b);
    EXH_FUZZ_CHECK(m == 0 || m == 4);
    probe_check_build(m, &b);

    static const char *const names[] = {"X-OWA-Version", "Location", "x-calculatedbetarget", "a"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v;
        size_t vn;
        if (exh_http_header(p, size, names[i], &v, &vn)) {
            EXH_FUZZ_CHECK(v >= p && v + vn <= p + size);
            EXH_FUZZ_CHECK(!memchr(v, '\n', vn));
        }
    }

    char *t = malloc(size + 1);
    if (!t)
        abort();
    memcpy(t, p, size);
    t[size] = '\0';
    char scheme[8], host[256];
    int port = 0;
    if (exh_probe_parse_target(t, scheme, host, &port)) {
        EXH_FUZZ_CHECK(!strcmp(scheme, "http") || !strcmp(scheme, "https"));
        EXH_FUZZ_CHECK(host[0] != '\0' && strlen(host) < 256);
        EXH_FUZZ_CHECK(port >= 1 && port <= 65535);
    }
    free(t);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_probe(data, size);
}
#endif
