/* fuzz_merge.c: `exhunt merge`'s line reader and aggregation
 * (src/engine/merge.c) and the fleet reporters (src/report/report_fleet.c)
 * on arbitrary bytes.
 *
 * The input is one result file, fed in two pieces split where its first byte
 * says, with a 512-byte line cap so that over-long lines are reached too.
 * Every fleet must hold together: verdicts and stages in range, at most
 * EXH_MERGE_ERRORS_PER_FILE listed bad lines (plus the count of the rest and a
 * missing summary), every shared actor on two hosts or more, indexes inside
 * their arrays, an exit code of 0, 1 or 2. Then each format is written to
 * /dev/null. And each line, and the whole input as one line with
 * `{"type":"finding",` put in front, goes to the fast finding reader: what it
 * accepts, jansson must accept with the same fields. Any disagreement abort()s. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/merge.h"
#include "fuzz.h"
#include "exh/banned.h"

static void merge_check_fast(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *e = p + size;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = (size_t)((nl ? nl : e) - p);
        EXH_FUZZ_CHECK(exh_merge_fast_agrees(p, n));
        p += n + 1;
    }
    static const char head[] = "{\"type\":\"finding\",";
    char *line = malloc(sizeof(head) + size);
    if (!line)
        abort();
    memcpy(line, head, sizeof(head) - 1);
    memcpy(line + sizeof(head) - 1, data, size);
    EXH_FUZZ_CHECK(exh_merge_fast_agrees(line, sizeof(head) - 1 + size));
    free(line);
}

int exh_fuzz_merge(const uint8_t *data, size_t size)
{
    merge_check_fast(data, size);
    struct exh_merge_opts o = {0};
    o.max_line = 512;
    o.has_since = size > 1 && (data[1] & 1);
    o.since_ms = 1609459200000; /* 2021-01-01 */
    o.keep_all = size > 1 && (data[1] & 2);
    struct exh_merge *m = exh_merge_new(&o);
    size_t cut = size ? data[0] % (size + 1) : 0;
    exh_merge_begin(m, "fuzz.jsonl");
    exh_merge_feed(m, data, cut);
    exh_merge_feed(m, data + cut, size - cut);
    exh_merge_end(m);
    struct exh_fleet f;
    exh_merge_finish(m, &f);

    EXH_FUZZ_CHECK(f.exit_code >= 0 && f.exit_code <= 2);
    EXH_FUZZ_CHECK(f.nerrors <= EXH_MERGE_ERRORS_PER_FILE + 2);
    uint64_t by = 0;
    for (size_t i = 0; i < f.nhosts; i++) {
        const struct exh_fleet_host *h = &f.hosts[i];
        EXH_FUZZ_CHECK((int)h->verdict >= 0 && (int)h->verdict <= EXH_VERDICT_COMPROMISED);
        EXH_FUZZ_CHECK(h->stage >= -1 && h->stage < EXH_STAGE__COUNT);
        EXH_FUZZ_CHECK(!h->has_cov || h->cov_first_ms <= h->cov_last_ms);
        EXH_FUZZ_CHECK(h->has_summary || h->verdict == EXH_VERDICT_INCOMPLETE);
        if (i)
            EXH_FUZZ_CHECK(f.hosts[i - 1].verdict >= h->verdict);
        by += 1;
    }
    uint64_t sum = 0;
    for (int v = 0; v < 5; v++)
        sum += f.by_verdict[v];
    EXH_FUZZ_CHECK(sum == by);
    for (size_t i = 0; i < f.nactors; i++) {
        EXH_FUZZ_CHECK(f.actors[i].nhosts >= 2);
        for (size_t k = 0; k < f.actors[i].nhosts; k++)
            EXH_FUZZ_CHECK(f.actors[i].hosts[k].host < f.nhosts);
    }
    for (size_t i = 0; i < f.ndropped; i++)
        EXH_FUZZ_CHECK(f.dropped[i].kept < f.nhosts);
    for (size_t i = 0; i < f.nerrors; i++)
        EXH_FUZZ_CHECK(f.errors[i].code && f.errors[i].message && f.errors[i].line <= f.lines + 1);

    FILE *null = fopen("/dev/null", "wb");
    if (null) {
        static const char *const formats[] = {"text", "jsonl", "csv", "html"};
        for (size_t i = 0; i < 4; i++)
            EXH_FUZZ_CHECK(exh_report_fleet(null, null, formats[i], &f, 0));
        fclose(null);
    }
    exh_fleet_release(&f);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_merge(data, size);
}
#endif
