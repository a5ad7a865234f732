/* fuzz_mitigation.c: the URL Rewrite rule reader, the Emergency Mitigation
 * service log reader and the pattern matcher (src/read/mitigation.c) on
 * arbitrary bytes. The first byte picks: 0 the config reader, 1 the log
 * reader, 2 the matcher (then the next byte is the pattern's length, the
 * rest the subject).
 *
 * Checks: only the three known bits are set, bypassable is a part of
 * blocks, each where[] is a string that is empty exactly when its bit is
 * not set (the struct starts empty); reading the same input again into the
 * result changes nothing. The matcher answers -1, 0 or 1, and with
 * ignoreCase the same for the subject and its lower-case copy. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/mitigation.h"
#include "fuzz.h"
#include "exh/banned.h"

static void mt_check(const struct exh_mitigations *m)
{
    unsigned all = EXH_MIT_PROXYLOGON | EXH_MIT_PROXYNOTSHELL | EXH_MIT_OWA_2026;
    EXH_FUZZ_CHECK((m->blocks & ~all) == 0);
    EXH_FUZZ_CHECK((m->bypassable & ~m->blocks) == 0);
    for (size_t k = 0; k < 3; k++) {
        EXH_FUZZ_CHECK(memchr(m->where[k], '\0', sizeof(m->where[k])) != NULL);
        EXH_FUZZ_CHECK((m->where[k][0] != '\0') == ((m->blocks >> k) & 1));
    }
}

int exh_fuzz_mitigation(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0] % 3;
    uint8_t *x = exh_fuzz_dup(data + 1, size - 1);
    size_t n = size - 1;
    if (mode == 0 || mode == 1) {
        struct exh_mitigations m = {0}, again;
        if (mode == 0)
            exh_mitigations_from_config((const char *)x, n, "applicationHost.config", &m);
        else
            exh_mitigations_from_emlog((const char *)x, n, "MitigationService.log", &m);
        mt_check(&m);
        again = m;
        if (mode == 0)
            exh_mitigations_from_config((const char *)x, n, "applicationHost.config", &again);
        else
            exh_mitigations_from_emlog((const char *)x, n, "MitigationService.log", &again);
        EXH_FUZZ_CHECK(!memcmp(&m, &again, sizeof(m)));
    } else if (n >= 1) {
        size_t pn = x[0] < n - 1 ? x[0] : n - 1;
        const char *p = (const char *)x + 1, *s = p + pn;
        size_t sn = n - 1 - pn;
        int got = exh_mit_regex(p, pn, s, sn, true);
        EXH_FUZZ_CHECK(got >= -1 && got <= 1);
        char *low = (char *)exh_fuzz_dup(s, sn);
        for (size_t k = 0; k < sn; k++)
            if (low[k] >= 'A' && low[k] <= 'Z')
                low[k] = (char)(low[k] + 32);
        EXH_FUZZ_CHECK(exh_mit_regex(p, pn, low, sn, true) == got);
        free(low);
        int cs = exh_mit_regex(p, pn, s, sn, false);
        EXH_FUZZ_CHECK(cs >= -1 && cs <= 1);
    }
    free(x);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_mitigation(data, size);
}
#endif
