/* test_html.c: the HTML report (src/report/report_html.c): attacker text
 * escaped as element content, and the page's structure: one script and one
 * style, both allowed by their hash in the Content-Security-Policy, repeats
 * folded, every group closed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exh/core.h"
#include "exh/hash.h"
#include "exh/report.h"
#include "report/util.h"
#include "t.h"

static char *esc(const char *s, size_t n, size_t max)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&buf, &sz);
    if (!f)
        abort();
    exh_html_escaped(f, s, n, max, true);
    fclose(f);
    return buf;
}

static void esc_is(const char *s, size_t n, size_t max, const char *want)
{
    char *got = esc(s, n, max);
    T_CTX(want);
    CHECK_EQ_STR(got, want);
    T_CTX(NULL);
    free(got);
}

#define ESC(lit, want) esc_is((lit), sizeof(lit) - 1, 4096, (want))

static void test_escape(void)
{
    ESC("plain text /owa/auth", "plain text /owa/auth");
    ESC("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    ESC("\"><img src=x onerror='a()'>", "&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;");
    ESC("a&amp;b", "a&amp;amp;b");
    ESC("javascript:alert(1)", "javascript:alert(1)"); /* text, never an href */
    ESC("</style></title></textarea>", "&lt;/style&gt;&lt;/title&gt;&lt;/textarea&gt;");
    ESC("esc\x1b[31mred", "esc<span class=\"x\">\\x1b</span>[31mred");
    ESC("nl\r\n", "nl<span class=\"x\">\\x0d</span><span class=\"x\">\\x0a</span>");
    ESC("c1 \xc2\x9b", "c1 <span class=\"x\">\\xc2\\x9b</span>");
    ESC("inv\xe2\x80\xaetxt.aspx", "inv<span class=\"x\">&lt;U+202E&gt;</span>txt.aspx");
    ESC("\xef\xbb\xbf", "<span class=\"x\">&lt;U+FEFF&gt;</span>");
    ESC("\xf3\xa0\x81\x81", "<span class=\"x\">&lt;U+E0041&gt;</span>");
    ESC("bad \xff byte", "bad <span class=\"x\">\\xff</span> byte");
    ESC("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
        "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
    ESC("nul\0x", "nul<span class=\"x\">\\x00</span>x");
    esc_is("<<<<", 4, 2, "&lt;&lt;...");
    /* without markup (in <title> and SVG text) */
    char *plain = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&plain, &sz);
    if (!f)
        abort();
    exh_html_escaped(f, "a\xe2\x80\xae<\x1b", 6, 100, false);
    fclose(f);
    CHECK_EQ_STR(plain, "a&lt;U+202E&gt;&lt;\\x1b");
    free(plain);
    /* a multi-byte character that would cross the limit is left out whole */
    esc_is("ab\xd0\x9f", 4, 3, "ab...");
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* 'sha256-<base64>' of the text between open and close (first occurrence) */
static char *hash_between(const char *page, const char *open, const char *close)
{
    const char *a = strstr(page, open);
    if (!a)
        return exh_xstrdup("(none)");
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b)
        return exh_xstrdup("(unclosed)");
    uint8_t d[32];
    exh_sha256((const uint8_t *)a, (size_t)(b - a), d);
    struct exh_buf s = {0};
    exh_buf_adds(&s, "'sha256-");
    exh_base64_add(&s, d, sizeof(d));
    exh_buf_adds(&s, "'");
    exh_buf_addc(&s, '\0');
    return exh_buf_detach(&s);
}

static struct exh_finding mk(enum exh_rule_sym rule, int64_t ts, const char *ip, int actor,
                             const char *url, const char *evidence)
{
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = &exh_rules[rule];
    f.has_ts = ts != 0;
    f.ts_ms = ts;
    f.path =
        (char *)(ip ? "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log" : "inetpub/wwwroot/x.aspx");
    f.line = ip ? 7 : 0;
    f.is_file = !ip;
    f.dataset = ip ? "iis.access" : "exhunt.file";
    f.message = (char *)"<b>message</b>";
    f.evidence = (char *)evidence;
    f.source_ip = (char *)ip;
    f.url = (char *)url;
    f.method = url ? (char *)"POST" : NULL;
    f.status = url ? 200 : -1;
    f.actor = actor;
    return f;
}

static char *page_of(const struct exh_result *res)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&buf, &sz);
    if (!f)
        abort();
    struct exh_report r;
    memset(&r, 0, sizeof(r));
    r.ops = exh_reporter_by_name("html");
    r.out = f;
    r.err = stderr;
    r.created_ms = 1614737000000;
    exh_report_result(&r, res);
    fclose(f);
    return buf;
}

static void test_page(void)
{
    const int64_t t = 1614737465000; /* 2021-03-03T02:11:05Z */
    const char *evil = "<script>window.__pwned=1</script>\"><img src=x onerror=a()>javascript:x";
    struct exh_finding fs[] = {
        mk(EXH_RULE_PL_AUTODISCOVER, t, "203.0.113.7", 0, "/autodiscover/autodiscover.json?a=1",
           evil),
        mk(EXH_RULE_PL_AUTODISCOVER, t + 1000, "203.0.113.7", 0,
           "/autodiscover/autodiscover.json?a=2", evil),
        mk(EXH_RULE_PL_AUTODISCOVER, t + 2000, "203.0.113.7", 0,
           "/autodiscover/autodiscover.json?a=3", evil),
        mk(EXH_RULE_PL_SSRF_ANSWERED, t + 3000, "203.0.113.7", 0, "/ecp/y.js", "</style>"),
        mk(EXH_RULE_PL_AUTODISCOVER, t + 4000, "198.51.100.9", 1, "/autodiscover/x", "probe"),
        mk(EXH_RULE_PL_AUTODISCOVER, t - 86400000, NULL, -1, NULL, "inv\xe2\x80\xaetxt.aspx"),
    };
    struct exh_actor actors[2];
    memset(actors, 0, sizeof(actors));
    actors[0] = (struct exh_actor){.ip = (char *)"203.0.113.7",
                                   .has_ts = true,
                                   .first_ms = t,
                                   .last_ms = t + 3000,
                                   .findings = 4,
                                   .stage = EXH_STAGE_EXPLOITATION,
                                   .sev = EXH_SEV_CRITICAL};
    actors[1] = (struct exh_actor){.ip = (char *)"198.51.100.9",
                                   .has_ts = true,
                                   .first_ms = t + 4000,
                                   .last_ms = t + 4000,
                                   .findings = 1,
                                   .stage = EXH_STAGE_ATTEMPT,
                                   .sev = EXH_SEV_MEDIUM};
    struct exh_coverage cov = {(char *)"IIS/W3SVC1", 1, 100, true, t - 3600000, t + 3600000};
    struct exh_error_rec er = {
        (char *)"logs/<script>a.log", EXH_ERR_PERM, (char *)"denied & <b>", false, false, 0};
    struct exh_result res;
    memset(&res, 0, sizeof(res));
    res.findings = fs;
    res.nfindings = sizeof(fs) / sizeof(fs[0]);
    res.errors = &er;
    res.nerrors = 1;
    res.sum.verdict = EXH_VERDICT_COMPROMISED;
    res.sum.verdict_reason = "exploitation was found";
    res.sum.host = (char *)"EXCH01<script>";
    res.sum.findings = res.nfindings;
    res.sum.actors = actors;
    res.sum.nactors = 2;
    res.sum.coverage = &cov;
    res.sum.ncoverage = 1;
    char *p = page_of(&res);

    CHECK(!strncmp(p, "<!DOCTYPE html>\n", 16));
    CHECK(strstr(p, "</body></html>\n") != NULL);
    CHECK(
        strstr(p, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ") !=
        NULL);
    CHECK(strstr(p, "base-uri 'none'; form-action 'none'") != NULL);
    CHECK(strstr(p, "unsafe-inline") == NULL);
    /* the page's own script and style only, each allowed by its hash */
    CHECK_EQ_INT(count(p, "<script"), 1);
    CHECK_EQ_INT(count(p, "<style"), 1);
    char *hs = hash_between(p, "<script>", "</script>");
    char *hc = hash_between(p, "<style>", "</style>");
    CHECK(strstr(p, hs) != NULL);
    CHECK(strstr(p, hc) != NULL);
    free(hs);
    free(hc);
    /* attacker text only as escaped text */
    CHECK_EQ_INT(count(p, "<img"), 0);
    CHECK_EQ_INT(count(p, "</style>"), 1);
    CHECK_EQ_INT(count(p, "onerror=a()"), 1); /* three probes folded into one entry */
    CHECK(strstr(p, "&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&gt;&lt;img") != NULL);
    CHECK(strstr(p, "EXCH01&lt;script&gt;") != NULL);
    CHECK(strstr(p, "logs/&lt;script&gt;a.log") != NULL && strstr(p, "denied &amp; &lt;b&gt;"));
    CHECK(strstr(p, "inv<span class=\"x\">&lt;U+202E&gt;</span>txt.aspx") != NULL);
    CHECK(strstr(p, "href=\"javascript") == NULL);
    /* structure: verdict, timeline, filters hidden until the script runs */
    CHECK(strstr(p, "<section id=\"verdict\" class=\"v-compromised\"><h1>COMPROMISED</h1>") !=
          NULL);
    CHECK_EQ_INT(count(p, "<svg id=\"timeline-svg\""), 1);
    CHECK_EQ_INT(count(p, "</svg>"), 1);
    CHECK(strstr(p, "<div id=\"filters\" hidden>") != NULL);
    /* groups: the exploiting actor open, the prober closed, files open */
    CHECK_EQ_INT(count(p, "<details class=\"grp\""), 3);
    CHECK_EQ_INT(count(p, "<details class=\"grp\" open>"), 2);
    CHECK_EQ_INT(count(p, "</details>"), 3);
    /* the three autodiscover probes of one actor are one entry */
    CHECK_EQ_INT(count(p, "<div class=\"f "), 4);
    CHECK(strstr(p, "<b>+ 2 more like this</b>") != NULL);
    CHECK_EQ_INT(count(p, "<div class=\"f s-critical g-exploitation\">"), 1);
    CHECK(strstr(p, "<h2 id=\"errors\">Errors (1)</h2>") != NULL);
    CHECK(strstr(p, "<dt id=\"rule-EXH-PL-001\">") != NULL);
    free(p);
}

static void test_empty(void)
{
    struct exh_result res;
    memset(&res, 0, sizeof(res));
    res.sum.verdict = EXH_VERDICT_INCOMPLETE;
    res.sum.verdict_reason = "nothing read";
    char *p = page_of(&res);
    CHECK(strstr(p, "<h1>INCOMPLETE</h1>") != NULL);
    CHECK(strstr(p, "no timeline") != NULL);
    CHECK(strstr(p, "<p>No findings.</p>") != NULL);
    CHECK(strstr(p, "</body></html>\n") != NULL);
    free(p);
}

/* File times far apart (touch -d @9000000000000000 and @-9000000000000000 on
 * tmpfs): the span once overflowed and the axis drew a tick per minute, for
 * ever. The page is made at once, small, with the marks at the edges. */
static void test_extreme_times(void)
{
    const int64_t far = INT64_C(9000000000000000000); /* ms */
    struct exh_finding fs[] = {
        mk(EXH_RULE_PL_AUTODISCOVER, far, NULL, -1, NULL, "future.aspx"),
        mk(EXH_RULE_PL_AUTODISCOVER, -far, NULL, -1, NULL, "past.aspx"),
        mk(EXH_RULE_PL_AUTODISCOVER, 1614737465000, NULL, -1, NULL, "now.aspx"),
    };
    struct exh_coverage cov = {(char *)"IIS/W3SVC1", 1, 100, true, -far, far};
    struct exh_result res;
    memset(&res, 0, sizeof(res));
    res.findings = fs;
    res.nfindings = sizeof(fs) / sizeof(fs[0]);
    res.sum.verdict = EXH_VERDICT_COMPROMISED;
    res.sum.verdict_reason = "files";
    res.sum.findings = res.nfindings;
    alarm(20); /* before the fix: hours */
    char *p = page_of(&res);
    alarm(0);
    CHECK(strlen(p) < 200000);
    CHECK_EQ_INT(count(p, "<svg id=\"timeline-svg\""), 1);
    /* two axes, at most 50 ticks each */
    CHECK(count(p, "text-anchor=\"middle\"") <= 100);
    CHECK(count(p, "<line class=\"grid\" x1=") >= 4);
    CHECK(strstr(p, "</body></html>\n") != NULL);
    free(p);
    /* one far time only: the axis is a moment at 2100's edge */
    res.nfindings = 1;
    res.sum.ncoverage = 0;
    alarm(20);
    p = page_of(&res);
    alarm(0);
    CHECK(strlen(p) < 200000);
    CHECK(strstr(p, "</body></html>\n") != NULL);
    free(p);
    res.sum.coverage = &cov;
    res.sum.ncoverage = 1;
    alarm(20);
    p = page_of(&res);
    alarm(0);
    CHECK(strlen(p) < 200000);
    free(p);
}

int main(void)
{
    T_RUN(test_escape);
    T_RUN(test_page);
    T_RUN(test_empty);
    T_RUN(test_extreme_times);
    return T_DONE("html");
}
