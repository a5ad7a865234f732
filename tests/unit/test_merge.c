/* test_merge.c: the engine of `exhunt merge` (src/engine/merge.c) on small
 * hand-made results: lines split across pieces, the line cap, results without
 * a summary, the newest scan per host, shared actors, --since, refused files. */
#include <stdio.h>
#include <string.h>

#include "exh/merge.h"
#include "t.h"

#define SUM(host, verdict, started, extra)                                                         \
    "{\"type\":\"summary\",\"schema_version\":1,\"exhunt\":{\"verdict\":\"" verdict                \
    "\",\"reason\":\"r\"},\"host\":{\"name\":\"" host "\"},\"started\":\"" started "\"" extra      \
    "}\n"

#define FINDING(host, ip, ts, stage, sev, rule)                                                    \
    "{\"type\":\"finding\",\"@timestamp\":\"" ts                                                   \
    "\",\"event\":{\"created\":\"2026-01-01T00:00:00Z\"},"                                         \
    "\"rule\":{\"id\":\"" rule "\"},\"host\":{\"name\":\"" host "\"},\"source\":{\"ip\":\"" ip     \
    "\"},\"exhunt\":{\"severity\":\"" sev "\",\"stage\":\"" stage "\"}}\n"

static struct exh_merge *m_new(bool keep_all, size_t max_line)
{
    struct exh_merge_opts o = {0};
    o.keep_all = keep_all;
    o.max_line = max_line;
    return exh_merge_new(&o);
}

/* feed a whole file in pieces of k bytes */
static void file(struct exh_merge *m, const char *name, const char *text, size_t k)
{
    exh_merge_begin(m, name);
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i += k)
        exh_merge_feed(m, text + i, n - i < k ? n - i : k);
    exh_merge_end(m);
}

static const struct exh_fleet_host *host(const struct exh_fleet *f, const char *name)
{
    for (size_t i = 0; i < f->nhosts; i++)
        if (f->hosts[i].name && !strcmp(f->hosts[i].name, name))
            return &f->hosts[i];
    return NULL;
}

static void test_pieces(void)
{
    static const char text[] =
        FINDING("A", "203.0.113.7", "2021-03-03T02:00:00Z", "exploitation", "high", "EXH-PL-001")
            FINDING("A", "203.0.113.7", "2021-03-03T03:00:00Z", "exposure", "high", "EXH-EXP-001")
                SUM("A", "COMPROMISED", "2026-01-01T00:00:00Z",
                    ",\"findings\":{\"total\":2,\"high\":2},\"stages\":{\"exposure\":1,"
                    "\"exploitation\":1},\"coverage\":[{\"source\":\"IIS\",\"first\":\"2021-03-01T"
                    "00:00:00Z\",\"last\":\"2021-03-09T00:00:00Z\"}]");
    for (size_t k = 1; k <= 7; k += 3) {
        struct exh_merge *m = m_new(false, 0);
        file(m, "a.jsonl", text, k);
        struct exh_fleet f;
        exh_merge_finish(m, &f);
        CHECK_EQ_INT(f.nhosts, 1);
        CHECK_EQ_INT(f.nerrors, 0);
        CHECK_EQ_INT(f.exit_code, 1);
        const struct exh_fleet_host *h = host(&f, "A");
        CHECK(h != NULL);
        if (h) {
            CHECK_EQ_INT(h->verdict, EXH_VERDICT_COMPROMISED);
            CHECK_EQ_INT(h->findings, 2);
            CHECK_EQ_INT(h->by_sev[EXH_SEV_HIGH], 2);
            CHECK_EQ_INT(h->stage, EXH_STAGE_EXPLOITATION);
            CHECK_EQ_INT(h->nexposure, 1);
            CHECK(h->has_cov && h->ncov == 1);
            CHECK_EQ_INT(h->line, 3);
        }
        exh_fleet_release(&f);
    }
}

static void test_no_summary_and_errors(void)
{
    struct exh_merge *m = m_new(false, 400);
    file(m, "n.jsonl",
         FINDING("B", "198.51.100.1", "2021-03-03T02:00:00Z", "attempt", "medium", "EXH-PL-001"),
         1000);
    /* line 2 is over the 400-byte cap; line 3 is not JSON; line 4 has no LF */
    char bad[1024], xs[501];
    memset(xs, 'x', 500);
    xs[500] = '\0';
    snprintf(bad, sizeof(bad), "\n{\"type\":\"error\",\"path\":\"%s\"}\nnope\n{\"type\":", xs);
    file(m, "bad.jsonl", bad, 5);
    struct exh_fleet f;
    exh_merge_finish(m, &f);
    const struct exh_fleet_host *h = host(&f, "B");
    CHECK(h && h->verdict == EXH_VERDICT_INCOMPLETE && !h->has_summary);
    CHECK(h && h->findings == 1 && h->by_sev[EXH_SEV_MEDIUM] == 1 && h->nactors == 1);
    CHECK_EQ_INT(f.nerrors, 4);
    if (f.nerrors == 4) {
        CHECK_EQ_STR(f.errors[0].code, "no_summary");
        CHECK_EQ_STR(f.errors[1].code, "too_long");
        CHECK_EQ_INT(f.errors[1].line, 2);
        CHECK_EQ_STR(f.errors[2].code, "corrupt");
        CHECK_EQ_INT(f.errors[2].line, 3);
        CHECK_EQ_STR(f.errors[3].code, "truncated");
        CHECK_EQ_INT(f.errors[3].line, 4);
        CHECK_EQ_STR(f.errors[3].file, "bad.jsonl");
    }
    CHECK_EQ_INT(f.exit_code, 2);
    exh_fleet_release(&f);
}

static void test_newest_and_actors(void)
{
    for (int keep = 0; keep < 2; keep++) {
        struct exh_merge *m = m_new(keep, 0);
        file(m, "new.jsonl", SUM("web1", "CLEAN", "2026-02-01T00:00:00Z", ""), 100);
        file(m, "old.jsonl",
             SUM("WEB1", "TARGETED", "2026-01-01T00:00:00Z",
                 ",\"actors\":[{\"ip\":\"203.0.113.9\",\"first\":\"2021-01-02T00:00:00Z\","
                 "\"last\":\"2021-01-03T00:00:00Z\",\"stage\":\"attempt\"}]"),
             100);
        file(m, "c.jsonl",
             SUM("C", "TARGETED", "2026-01-01T00:00:00Z",
                 ",\"actors\":[{\"ip\":\"203.0.113.9\",\"first\":\"2021-01-01T00:00:00Z\","
                 "\"last\":\"2021-01-01T00:00:00Z\",\"stage\":\"exploitation\"}]"),
             100);
        struct exh_fleet f;
        exh_merge_finish(m, &f);
        if (!keep) {
            CHECK_EQ_INT(f.nhosts, 2);
            CHECK_EQ_INT(f.ndropped, 1);
            CHECK(f.ndropped && !strcmp(f.dropped[0].file, "old.jsonl"));
            CHECK(f.ndropped && !strcmp(f.hosts[f.dropped[0].kept].file, "new.jsonl"));
            CHECK_EQ_INT(f.nactors, 0); /* the old scan's actor went with it */
        } else {
            CHECK_EQ_INT(f.nhosts, 3);
            CHECK_EQ_INT(f.nactors, 1);
            if (f.nactors) {
                CHECK_EQ_STR(f.actors[0].ip, "203.0.113.9");
                CHECK_EQ_INT(f.actors[0].nhosts, 2);
                CHECK_EQ_INT(f.actors[0].stage, EXH_STAGE_EXPLOITATION);
                CHECK_EQ_STR(f.hosts[f.actors[0].hosts[0].host].name, "C"); /* first seen */
            }
        }
        /* worst first */
        CHECK(f.nhosts && f.hosts[0].verdict == EXH_VERDICT_TARGETED);
        CHECK(f.hosts[f.nhosts - 1].verdict == EXH_VERDICT_CLEAN);
        exh_fleet_release(&f);
    }
}

static void test_since_and_schema(void)
{
    struct exh_merge_opts o = {0};
    o.has_since = true;
    o.since_ms = 1609459200000; /* 2021-01-01 */
    struct exh_merge *m = exh_merge_new(&o);
    file(m, "late.jsonl",
         SUM("L", "CLEAN", "2026-01-01T00:00:00Z",
             ",\"coverage\":[{\"source\":\"IIS\",\"first\":\"2021-02-01T00:00:00Z\",\"last\":"
             "\"2021-03-01T00:00:00Z\"}]"),
         100);
    file(m, "v2.jsonl",
         SUM("OK", "CLEAN", "2026-01-01T00:00:00Z",
             "") "{\"type\":\"summary\",\"schema_version\":2,\"host\":{\"name\":\"V2\"}}\n",
         100);
    struct exh_fleet f;
    exh_merge_finish(m, &f);
    CHECK_EQ_INT(f.nhosts, 1); /* the whole v2 file is refused, its v1 result too */
    CHECK(f.nhosts && f.hosts[0].not_covering);
    CHECK_EQ_INT(f.not_covering, 1);
    CHECK(f.nerrors == 1 && !strcmp(f.errors[0].code, "schema") && f.errors[0].line == 2);
    CHECK_EQ_INT(f.exit_code, 2); /* CLEAN, but not back to --since */
    exh_fleet_release(&f);
}

int main(void)
{
    T_RUN(test_pieces);
    T_RUN(test_no_summary_and_errors);
    T_RUN(test_newest_and_actors);
    T_RUN(test_since_and_schema);
    return T_DONE("merge-unit");
}
