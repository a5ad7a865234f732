/* test_engine.c: the engine's own parts (src/engine): the string set, the
 * URL a file is served at, and exh_scan_memory() on inputs shaped to stall
 * or fool the engine: a header block longer than the part read as one, a
 * date-less W3C log whose tail reads as headers, findings from thousands of
 * addresses (actors), a file with many findings and no digest up front. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "exh/core.h"
#include "exh/hash.h"
#include "exh/scan.h"
#include "t.h"

#define W3C_NAME "inetpub/logs/LogFiles/W3SVC1/u_ex210823.log"
#define W3C_HEAD                                                                                   \
    "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"                     \
    "#Date: 2021-08-23 00:03:11\n"
#define W3C_FIELDS                                                                                 \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "          \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
#define PS_ROW                                                                                     \
    "2021-08-23 02:41:07 10.10.0.25 POST /autodiscover/autodiscover.json "                         \
    "@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example 443 - "        \
    "203.0.113.11 python-requests/2.26.0 - 401 0 0 15\n"

static void run(struct exh_result *r, const char *name, const char *data, size_t n)
{
    struct exh_scan_opts o;
    exh_scan_opts_init(&o);
    o.frozen_clock = true;
    o.frozen_now_ms = 1767225600000; /* 2026-01-01 */
    CHECK_EQ_INT(exh_scan_memory(&o, name, (const uint8_t *)data, n, r), EXH_OK);
}

static size_t count(const struct exh_result *r, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < r->nfindings; i++)
        k += !strcmp(r->findings[i].rule->id, id);
    return k;
}

static const struct exh_finding *first(const struct exh_result *r, const char *id)
{
    for (size_t i = 0; i < r->nfindings; i++)
        if (!strcmp(r->findings[i].rule->id, id))
            return &r->findings[i];
    return NULL;
}

static void test_strset(void)
{
    struct exh_strset ss = {0};
    CHECK(!exh_strset_has(&ss, "/a.aspx"));
    CHECK(!exh_strset_has(NULL, "/a.aspx"));
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "/p%d.aspx", i);
        exh_strset_add(&ss, key);
    }
    exh_strset_add(&ss, "/p7.aspx"); /* again: kept once */
    CHECK_EQ_INT(ss.n, 5000);
    int found = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "/p%d.aspx", i);
        found += exh_strset_has(&ss, key);
    }
    CHECK_EQ_INT(found, 5000);
    CHECK(!exh_strset_has(&ss, "/p5000.aspx"));
    CHECK(!exh_strset_has(&ss, "/p1.asp"));
    exh_strset_release(&ss);
    CHECK_EQ_INT(ss.n, 0);
}

static void test_served_url(void)
{
    char *u = exh_served_url("C/inetpub/wwwroot/aspnet_client/system_web/Lgx.aspx");
    CHECK_EQ_STR(u, "/aspnet_client/system_web/lgx.aspx");
    free(u);
    u = exh_served_url("V15/FrontEnd/HttpProxy/owa/auth/x.aspx");
    CHECK_EQ_STR(u, "/owa/auth/x.aspx");
    free(u);
    CHECK(exh_served_url("Windows/Temp/x.aspx") == NULL);
}

/* A header block that runs on past the part read as one (1 MiB): what
 * follows is read as body lines; a #Fields: there still takes effect, and
 * line numbers stay file-wide. */
static void test_long_header_block(void)
{
    size_t blank = (size_t)3 << 19; /* 1.5 MiB */
    struct exh_buf b = {0};
    exh_buf_adds(&b, W3C_HEAD W3C_FIELDS);
    for (size_t i = 0; i < blank; i++)
        exh_buf_addc(&b, '\n');
    exh_buf_adds(&b, PS_ROW);
    struct exh_result r;
    run(&r, W3C_NAME, b.p, b.n);
    CHECK_EQ_INT(count(&r, "EXH-PS-001"), 1);
    const struct exh_finding *f = first(&r, "EXH-PS-001");
    CHECK(f && f->line == 4 + blank + 1);
    CHECK(f && f->source_ip && !strcmp(f->source_ip, "203.0.113.11"));
    CHECK_EQ_INT(r.sum.verdict, EXH_VERDICT_TARGETED);
    CHECK(r.sum.ncoverage == 1 && r.sum.coverage[0].has_time);
    exh_result_release(&r);

    /* the same with the layout given again, in another column order, after
     * the first MiB: the row is read with the new layout */
    exh_buf_reset(&b);
    exh_buf_adds(&b, W3C_HEAD "#Fields: date time\n");
    for (size_t i = 0; i < blank; i++)
        exh_buf_addc(&b, '\n');
    exh_buf_adds(&b, W3C_FIELDS PS_ROW);
    run(&r, W3C_NAME, b.p, b.n);
    CHECK_EQ_INT(count(&r, "EXH-PS-001"), 1);
    f = first(&r, "EXH-PS-001");
    CHECK(f && f->line == 4 + blank + 2);
    CHECK(f && f->source_ip && !strcmp(f->source_ip, "203.0.113.11"));
    exh_result_release(&r);

    /* a first line longer than that part: no header block, nothing lost */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "#Comment: ");
    for (size_t i = 0; i < blank; i++)
        exh_buf_addc(&b, 'x');
    exh_buf_adds(&b, "\n");
    exh_buf_adds(&b, W3C_HEAD W3C_FIELDS PS_ROW);
    run(&r, W3C_NAME, b.p, b.n);
    CHECK_EQ_INT(count(&r, "EXH-PS-001"), 1);
    exh_result_release(&r);
    exh_buf_release(&b);
}

/* A W3C log with a DateTime column and no date column whose last lines
 * read as headers: the tail is searched once, the rows are still read. */
static void test_w3c_tail(void)
{
    struct exh_buf b = {0};
    exh_buf_adds(&b, "#Software: Microsoft Internet Information Services 10.0\n"
                     "#Fields: DateTime cs-method cs-uri-stem cs-uri-query c-ip cs(User-Agent) "
                     "sc-status\n");
    for (int i = 0; i < 2000; i++)
        exh_buf_adds(&b, "2021-08-23T00:00:00Z GET /owa/ - 10.1.1.1 Mozilla/5.0 200\n");
    exh_buf_adds(&b,
                 "2021-08-23T02:41:07Z POST /autodiscover/autodiscover.json "
                 "@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example "
                 "203.0.113.11 python-requests/2.26.0 401\n");
    for (int i = 0; i < 64; i++)
        exh_buf_adds(&b, "DateTime\n");
    struct exh_result r;
    run(&r, W3C_NAME, b.p, b.n);
    CHECK_EQ_INT(count(&r, "EXH-PS-001"), 1);
    CHECK_EQ_INT(r.sum.verdict, EXH_VERDICT_TARGETED);
    exh_result_release(&r);
    exh_buf_release(&b);
}

/* Findings from many addresses: one actor each, ordered by first time then
 * address, every finding linked to its own. */
static void test_actors(void)
{
    struct exh_buf b = {0};
    exh_buf_adds(&b, W3C_HEAD W3C_FIELDS);
    const int n = 3000;
    for (int i = n - 1; i >= 0; i--) /* later addresses first in the file */
        exh_buf_addf(&b,
                     "2020-03-02 04:%02d:%02d 10.10.0.25 GET /ecp/default.aspx __VIEWSTATE=%%2FwEy "
                     "443 - 198.51.%d.%d Mozilla/5.0 - 500 0 0 94\n",
                     (i / 60) % 60, i % 60, i / 256, i % 256);
    /* one more from the first address, later */
    exh_buf_adds(&b,
                 "2020-03-02 23:59:59 10.10.0.25 GET /ecp/default.aspx __VIEWSTATE=%2FwEy 443 - "
                 "198.51.0.0 Mozilla/5.0 - 500 0 0 94\n");
    struct exh_result r;
    run(&r, W3C_NAME, b.p, b.n);
    CHECK_EQ_INT(count(&r, "EXH-ECP-001"), n + 1);
    CHECK_EQ_INT(r.sum.nactors, n);
    bool links = true, order = true;
    for (size_t i = 0; i < r.nfindings; i++) {
        const struct exh_finding *f = &r.findings[i];
        if (!f->source_ip)
            continue;
        links &= f->actor >= 0 && (size_t)f->actor < r.sum.nactors &&
                 !strcmp(r.sum.actors[f->actor].ip, f->source_ip);
    }
    for (size_t k = 1; k < r.sum.nactors; k++)
        order &= r.sum.actors[k - 1].first_ms < r.sum.actors[k].first_ms ||
                 (r.sum.actors[k - 1].first_ms == r.sum.actors[k].first_ms &&
                  strcmp(r.sum.actors[k - 1].ip, r.sum.actors[k].ip) < 0);
    CHECK(links);
    CHECK(order);
    CHECK(r.sum.nactors && !strcmp(r.sum.actors[0].ip, "198.51.0.0"));
    CHECK(r.sum.nactors && r.sum.actors[0].findings == 2);
    CHECK(r.sum.nactors && !strcmp(r.sum.actors[0].rules, "EXH-ECP-001"));
    exh_result_release(&r);
    exh_buf_release(&b);
}

/* A file over EXH_HASH_MAX with many findings: each carries the digest. */
static void test_big_file_digest(void)
{
    size_t n = (size_t)EXH_HASH_MAX + 4096;
    char *d = malloc(n);
    CHECK(d != NULL);
    if (!d)
        return;
    memset(d, ' ', n);
    size_t k = 0;
    k += (size_t)snprintf(d + k, n - k, "<configuration>\n");
    for (int i = 0; i < 50; i++)
        k += (size_t)snprintf(
            d + k, n - k,
            "<virtualDirectory path=\"/v%d\" physicalPath=\"C:\\ProgramData\\v%d\" />\n", i, i);
    d[k] = ' ';
    struct exh_result r;
    run(&r, "Windows/System32/inetsrv/config/applicationHost.config", d, n);
    CHECK_EQ_INT(count(&r, "EXH-LOC-004"), 50);
    uint8_t sha[32];
    char hex[65];
    exh_sha256((const uint8_t *)d, n, sha);
    exh_hex(sha, 32, hex);
    size_t same = 0;
    for (size_t i = 0; i < r.nfindings; i++)
        same += !strcmp(r.findings[i].sha256, hex);
    CHECK_EQ_INT(same, r.nfindings);
    exh_result_release(&r);
    free(d);
}

int main(void)
{
    T_RUN(test_strset);
    T_RUN(test_served_url);
    T_RUN(test_long_header_block);
    T_RUN(test_w3c_tail);
    T_RUN(test_actors);
    T_RUN(test_big_file_digest);
    return T_DONE("unit-engine");
}
