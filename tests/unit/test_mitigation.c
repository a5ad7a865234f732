/* test_mitigation.c: the URL Rewrite rule reader and its pattern matcher,
 * and the Emergency Mitigation service log reader (src/read/mitigation.c),
 * on the rules EOMT, EOMTv2 and the EM service write
 * (tests/fixtures/mitigation/), the rules that do not count, and hostile
 * input. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exh/mitigation.h"
#include "t.h"

static char *slurp(const char *name, size_t *n)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/fixtures/mitigation/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("cannot open %s\n", path);
        *n = 0;
        return exh_xstrdup("");
    }
    struct exh_buf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        exh_buf_add(&b, chunk, got);
    fclose(f);
    exh_buf_addc(&b, '\0');
    *n = b.n - 1;
    return exh_buf_detach(&b);
}

static struct exh_mitigations from_fixture(const char *name, size_t *unevaluated)
{
    struct exh_mitigations m = {0};
    size_t n;
    char *x = slurp(name, &n);
    size_t u = exh_mitigations_from_config(x, n, name, &m);
    if (unevaluated)
        *unevaluated = u;
    free(x);
    return m;
}

static struct exh_mitigations from_text(const char *x)
{
    struct exh_mitigations m = {0};
    exh_mitigations_from_config(x, strlen(x), "web.config", &m);
    return m;
}

static int rx(const char *p, const char *s)
{
    return exh_mit_regex(p, strlen(p), s, strlen(s), true);
}

static void test_regex(void)
{
    CHECK_EQ_INT(rx("(?=.*autodiscover)(?=.*powershell)", "/autodiscover/x?@a/PowerShell"), 1);
    CHECK_EQ_INT(rx("(?=.*autodiscover)(?=.*powershell)", "/autodiscover/x?@a/Power%53hell"), 0);
    CHECK_EQ_INT(rx(".*autodiscover\\.json.*\\@.*Powershell.*",
                    "/autodiscover/autodiscover.json?@a/powershell"),
                 1);
    CHECK_EQ_INT(rx(".*autodiscover\\.json.*\\@.*Powershell.*",
                    "/autodiscover/autodiscover.json?%40a/powershell"),
                 0);
    CHECK_EQ_INT(rx("(.*)X-BEResource=(.+)/(.+)~(.+)", "X-BEResource=a@b:444/x?#~1942062522"), 1);
    CHECK_EQ_INT(rx("(.*)X-BEResource=(.+)/(.+)~(.+)", "X-BEResource=localhost~1"), 0);
    CHECK_EQ_INT(rx("^ab$", "ab"), 1);
    CHECK_EQ_INT(rx("^ab$", "xab"), 0);
    CHECK_EQ_INT(rx("^a(b|c){2,3}d$", "acbd"), 1);
    CHECK_EQ_INT(rx("^a(b|c){2,3}d$", "abd"), 0);
    CHECK_EQ_INT(rx("^a(b|c){2,3}d$", "abcbcd"), 0);
    CHECK_EQ_INT(rx("^[a-c]+[^0-9]\\d*$", "abcx123"), 1);
    CHECK_EQ_INT(rx("^[a-c]+[^0-9]\\d*$", "a1"), 0);
    CHECK_EQ_INT(rx("\\bshell\\b", "power shell x"), 1);
    CHECK_EQ_INT(rx("\\bshell\\b", "powershell"), 0);
    CHECK_EQ_INT(rx("^(?!.*ecp).*owa", "/owa/"), 1);
    CHECK_EQ_INT(rx("^(?!.*ecp).*owa", "/ecp/owa"), 0);
    CHECK_EQ_INT(rx("a.?c|x{2}", "zxxz"), 1);
    CHECK_EQ_INT(rx("a{,2}", "a{,2}"), 1); /* not a quantifier: literal */
    CHECK_EQ_INT(rx("\\x41\\u0042", "ab"), 1);
    CHECK_EQ_INT(exh_mit_regex("PowerShell", 10, "powershell", 10, false), 0);
    CHECK_EQ_INT(rx("^[^a]$", "A"), 0); /* ignoreCase: [^a] misses 'A' too */
    CHECK_EQ_INT(rx("^[A-C]$", "b"), 1);
    CHECK_EQ_INT(exh_mit_regex("^[^a]$", 6, "A", 1, false), 1);
    /* not supported: -1 */
    CHECK_EQ_INT(rx("(a)\\1", "aa"), -1);
    CHECK_EQ_INT(rx("(?<=a)b", "ab"), -1);
    CHECK_EQ_INT(rx("a**", "a"), -1);
    CHECK_EQ_INT(rx("(ab", "ab"), -1);
    CHECK_EQ_INT(rx("ab)", "ab"), -1);
    CHECK_EQ_INT(rx("[ab", "ab"), -1);
    CHECK_EQ_INT(rx("a{1000}", "a"), -1);
    /* catastrophic backtracking stops at the step budget, quickly */
    clock_t t0 = clock();
    CHECK_EQ_INT(rx("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
                 -1);
    CHECK_EQ_INT(rx("(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                 -1);
    CHECK(clock() - t0 < CLOCKS_PER_SEC);
    /* a program too large to compile */
    CHECK_EQ_INT(rx("((((a{100}){100}){100}){100})", "a"), -1);
}

static void test_eomt_proxylogon(void)
{
    struct exh_mitigations m = from_fixture("eomt-proxylogon.web.config", NULL);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYLOGON);
    CHECK_EQ_INT(m.bypassable, 0);
    CHECK_EQ_STR(m.where[0], "eomt-proxylogon.web.config: rules 'X-AnonResource-Backend Abort - "
                             "inbound', 'X-BEResource Abort - inbound'");
    /* one of the two rules alone leaves the other cookie form open */
    const char *one = "<configuration><system.webServer><rewrite><rules>"
                      "<rule name=\"X-BEResource Abort - inbound\"><match url=\".*\" />"
                      "<conditions><add input=\"{HTTP_COOKIE}\" "
                      "pattern=\"(.*)X-BEResource=(.+)/(.+)~(.+)\" /></conditions>"
                      "<action type=\"AbortRequest\" /></rule>"
                      "</rules></rewrite></system.webServer></configuration>";
    CHECK_EQ_INT(from_text(one).blocks, 0);
}

static void test_first_proxynotshell_rule(void)
{
    /* the rule of 29 Sept 2022 on {REQUEST_URI}: blocks the exploit, not
     * the %40 bypass */
    struct exh_mitigations m = from_fixture("first-proxynotshell.applicationHost.config", NULL);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(m.bypassable, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_STR(m.where[1],
                 "first-proxynotshell.applicationHost.config: rule 'PowerShell - inbound'");
    /* the second version (no '@') on {REQUEST_URI}: percent-encoded letters
     * still pass */
    const char *second = "<configuration><system.webServer><rewrite><rules>"
                         "<rule name=\"PowerShell - inbound\" stopProcessing=\"true\">"
                         "<match url=\".*\" /><conditions><add input=\"{REQUEST_URI}\" "
                         "pattern=\".*autodiscover\\.json.*Powershell.*\" /></conditions>"
                         "<action type=\"AbortRequest\" /></rule>"
                         "</rules></rewrite></system.webServer></configuration>";
    m = from_text(second);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(m.bypassable, EXH_MIT_PROXYNOTSHELL);
    /* case-sensitive: misses the mixed-case variant */
    const char *cased = "<configuration><system.webServer><rewrite><rules>"
                        "<rule name=\"cs\"><match url=\".*\" /><conditions>"
                        "<add input=\"{UrlDecode:{REQUEST_URI}}\" ignoreCase=\"false\" "
                        "pattern=\"autodiscover.*Powershell\" /></conditions>"
                        "<action type=\"AbortRequest\" /></rule>"
                        "</rules></rewrite></system.webServer></configuration>";
    m = from_text(cased);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(m.bypassable, EXH_MIT_PROXYNOTSHELL);
}

static void test_later_proxynotshell_rules(void)
{
    struct exh_mitigations m = from_fixture("eomtv2-proxynotshell.web.config", NULL);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(m.bypassable, 0);
    m = from_fixture("em-proxynotshell.applicationHost.config", NULL);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(m.bypassable, 0);
    CHECK_EQ_STR(m.where[1],
                 "em-proxynotshell.applicationHost.config: rule 'EEMS M1.2 PowerShell - inbound'");
    /* a later file with the better rule clears "bypassable"; a worse one
     * after it does not bring it back */
    struct exh_mitigations acc = from_fixture("first-proxynotshell.applicationHost.config", NULL);
    size_t n;
    char *x = slurp("eomtv2-proxynotshell.web.config", &n);
    exh_mitigations_from_config(x, n, "web.config", &acc);
    free(x);
    CHECK_EQ_INT(acc.bypassable, 0);
    CHECK_EQ_STR(acc.where[1], "web.config: rule 'PowerShell - inbound'");
    x = slurp("first-proxynotshell.applicationHost.config", &n);
    exh_mitigations_from_config(x, n, "old", &acc);
    free(x);
    CHECK_EQ_INT(acc.bypassable, 0);
    CHECK_EQ_STR(acc.where[1], "web.config: rule 'PowerShell - inbound'");
    /* wildcard syntax on the URL, with the block in a MatchAny group */
    const char *wild = "<configuration><location path=\"Default Web Site/autodiscover\">"
                       "<system.webServer><rewrite><rules>"
                       "<rule name=\"w\" patternSyntax=\"Wildcard\"><match url=\"*.json\" />"
                       "<conditions logicalGrouping=\"MatchAny\">"
                       "<add input=\"{HTTP_COOKIE}\" pattern=\"nothing*\" />"
                       "<add input=\"{UrlDecode:{QUERY_STRING}}\" pattern=\"*powershell*\" />"
                       "</conditions><action type=\"AbortRequest\" /></rule>"
                       "</rules></rewrite></system.webServer></location></configuration>";
    m = from_text(wild);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(m.bypassable, 0);
}

static void test_not_counted(void)
{
    /* commented out, disabled, redirect, action None, the back-end site */
    size_t u = 9;
    struct exh_mitigations m = from_fixture("not-counted.applicationHost.config", &u);
    CHECK_EQ_INT(m.blocks, 0);
    CHECK_EQ_INT(m.bypassable, 0);
    CHECK_EQ_INT(u, 0);
    CHECK_EQ_STR(m.where[0], "");
    /* a rule in front that stops processing without blocking */
    const char *stop = "<configuration><system.webServer><rewrite><rules>"
                       "<rule name=\"allow all\" stopProcessing=\"true\"><match url=\".*\" />"
                       "<action type=\"None\" /></rule>"
                       "<rule name=\"PowerShell - inbound\"><match url=\".*\" /><conditions>"
                       "<add input=\"{UrlDecode:{REQUEST_URI}}\" "
                       "pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>"
                       "<action type=\"AbortRequest\" /></rule>"
                       "</rules></rewrite></system.webServer></configuration>";
    CHECK_EQ_INT(from_text(stop).blocks, 0);
    /* likewise a rule that stops, not known to match, and a redirect */
    const char *guess = "<configuration><system.webServer><rewrite><rules>"
                        "<rule name=\"by host\" stopProcessing=\"true\"><match url=\".*\" />"
                        "<conditions><add input=\"{HTTP_HOST}\" pattern=\"^mail\" /></conditions>"
                        "<action type=\"None\" /></rule>"
                        "<rule name=\"PowerShell - inbound\"><match url=\".*\" /><conditions>"
                        "<add input=\"{UrlDecode:{REQUEST_URI}}\" "
                        "pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>"
                        "<action type=\"AbortRequest\" /></rule>"
                        "</rules></rewrite></system.webServer></configuration>";
    CHECK_EQ_INT(from_text(guess).blocks, 0);
    const char *redirect = "<configuration><system.webServer><rewrite><rules>"
                           "<rule name=\"r\"><match url=\"^autodiscover\" />"
                           "<action type=\"Redirect\" url=\"/owa/\" /></rule>"
                           "<rule name=\"PowerShell - inbound\"><match url=\".*\" /><conditions>"
                           "<add input=\"{UrlDecode:{REQUEST_URI}}\" "
                           "pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>"
                           "<action type=\"AbortRequest\" /></rule>"
                           "</rules></rewrite></system.webServer></configuration>";
    CHECK_EQ_INT(from_text(redirect).blocks, 0);
    /* a server-level rule that a site's <clear/> or <remove> takes away, and
     * a rule on OWA only, which the autodiscover request never meets */
    const char *cleared =
        "<configuration><system.webServer><rewrite><rules>"
        "<rule name=\"PowerShell - inbound\"><match url=\".*\" /><conditions>"
        "<add input=\"{UrlDecode:{REQUEST_URI}}\" "
        "pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>"
        "<action type=\"AbortRequest\" /></rule></rules></rewrite></system.webServer>"
        "<location path=\"Default Web Site\"><system.webServer><rewrite><rules>%s"
        "</rules></rewrite></system.webServer></location>"
        "<location path=\"Default Web Site/owa\"><system.webServer><rewrite><rules>"
        "<rule name=\"owa only\"><match url=\".*\" /><conditions>"
        "<add input=\"{UrlDecode:{REQUEST_URI}}\" pattern=\"powershell\" /></conditions>"
        "<action type=\"AbortRequest\" /></rule></rules></rewrite></system.webServer>"
        "</location></configuration>";
    const char *inner[] = {"", "<clear />", "<remove name=\"PowerShell - inbound\" />",
                           "<remove name=\"other\" />"};
    unsigned want[] = {EXH_MIT_PROXYNOTSHELL, 0, 0, EXH_MIT_PROXYNOTSHELL};
    for (size_t k = 0; k < 4; k++) {
        char buf[2048];
        snprintf(buf, sizeof(buf), cleared, inner[k]);
        T_CTX(inner[k]);
        CHECK_EQ_INT(from_text(buf).blocks, want[k]);
    }
    T_CTX(NULL);
    /* a negated condition, a 302 custom response, an unknown variable */
    const char *odd =
        "<configuration><system.webServer><rewrite><rules>"
        "<rule name=\"neg\"><match url=\".*\" /><conditions>"
        "<add input=\"{UrlDecode:{REQUEST_URI}}\" negate=\"true\" "
        "pattern=\"ecp|autodiscover\" /></conditions><action type=\"AbortRequest\" /></rule>"
        "<rule name=\"302\"><match url=\".*\" /><conditions>"
        "<add input=\"{UrlDecode:{REQUEST_URI}}\" pattern=\"powershell\" />"
        "</conditions><action type=\"CustomResponse\" statusCode=\"302\" /></rule>"
        "<rule name=\"host\"><match url=\".*\" /><conditions>"
        "<add input=\"{HTTP_HOST}\" pattern=\".*\" />"
        "</conditions><action type=\"AbortRequest\" /></rule>"
        "</rules></rewrite></system.webServer></configuration>";
    struct exh_mitigations o = {0};
    CHECK_EQ_INT(exh_mitigations_from_config(odd, strlen(odd), "x", &o), 1);
    CHECK_EQ_INT(o.blocks, 0);
    /* rules outside <rewrite>, and outbound rules that do something else */
    const char *elsewhere = "<configuration><system.webServer><rules><rule name=\"r\">"
                            "<match url=\".*\" /><action type=\"AbortRequest\" /></rule></rules>"
                            "<rewrite><outboundRules><rule name=\"o\">"
                            "<match serverVariable=\"RESPONSE_Server\" pattern=\".*\" />"
                            "<action type=\"Rewrite\" value=\"script-src-attr 'none'\" /></rule>"
                            "</outboundRules></rewrite></system.webServer></configuration>";
    CHECK_EQ_INT(from_text(elsewhere).blocks, 0);
}

static void test_owa_2026(void)
{
    struct exh_mitigations m = from_fixture("eomt-owa-csp.web.config", NULL);
    CHECK_EQ_INT(m.blocks, EXH_MIT_OWA_2026);
    CHECK_EQ_INT(m.bypassable, 0);
    CHECK_EQ_STR(m.where[2], "eomt-owa-csp.web.config: rule 'EOMT OWA CSP - outbound'");
    /* on ECP only: not OWA */
    const char *ecp =
        "<configuration><location path=\"Default Web Site/ecp\"><system.webServer>"
        "<rewrite><outboundRules><rule name=\"o\">"
        "<match serverVariable=\"RESPONSE_Content_Security_Policy\" pattern=\"(.*)\" />"
        "<action type=\"Rewrite\" value=\"{R:1}; script-src-attr 'none'\" /></rule>"
        "</outboundRules></rewrite></system.webServer></location></configuration>";
    CHECK_EQ_INT(from_text(ecp).blocks, 0);
}

static void test_emlog(void)
{
    size_t n;
    char *x = slurp("em-applied.log", &n);
    struct exh_mitigations m = {0};
    exh_mitigations_from_emlog(x, n, "MitigationService.log", &m);
    free(x);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL | EXH_MIT_OWA_2026);
    CHECK_EQ_INT(m.bypassable, 0);
    CHECK_EQ_STR(m.where[1], "MitigationService.log: M1.1 applied");
    CHECK_EQ_STR(m.where[2], "MitigationService.log: M2.1.0 applied");
    x = slurp("em-removed.log", &n);
    struct exh_mitigations r = {0};
    exh_mitigations_from_emlog(x, n, "MitigationService.log", &r);
    free(x);
    CHECK_EQ_INT(r.blocks, 0);
    /* a config's finding is kept; ids inside words do not count */
    struct exh_mitigations c = from_fixture("first-proxynotshell.applicationHost.config", NULL);
    const char *l = "Mitigation M1.2 applied\nXM1 applied, M1x applied, m365 applied, M3 applied\n";
    exh_mitigations_from_emlog(l, strlen(l), "log", &c);
    CHECK_EQ_INT(c.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_INT(c.bypassable, EXH_MIT_PROXYNOTSHELL);
    CHECK(strstr(c.where[1], "first-proxynotshell") != NULL);
    struct exh_mitigations z = {0};
    const char *w = "XM1 applied, M1x applied, m365 applied, M3 applied, M2 removed\n";
    exh_mitigations_from_emlog(w, strlen(w), "log", &z);
    CHECK_EQ_INT(z.blocks, 0);
}

static void test_hostile(void)
{
    /* cut anywhere: no crash, nothing read past the cut (ASan) */
    size_t n;
    char *x = slurp("first-proxynotshell.applicationHost.config", &n);
    for (size_t k = 0; k <= n; k += 7) {
        char *cut = exh_xmalloc(k ? k : 1);
        memcpy(cut, x, k);
        struct exh_mitigations m = {0};
        exh_mitigations_from_config(cut, k, "cut", &m);
        exh_mitigations_from_emlog(cut, k, "cut", &m);
        free(cut);
    }
    free(x);
    /* unclosed tags and quotes, a '>' inside a value, entities */
    const char *odd = "<configuration><system.webServer><rewrite><rules>"
                      "<rule name=\"a>b &amp; &#x41;\"><match url='.*' />"
                      "<conditions><add input=\"{UrlDecode:{REQUEST_URI}}\" "
                      "pattern=\"(?=.*autodiscover)(?=.*power&#115;hell)\"/></conditions>"
                      "<action type=\"AbortRequest\"/></rule>"
                      "</rules></rewrite><rule name=\"unclosed";
    struct exh_mitigations m = from_text(odd);
    CHECK_EQ_INT(m.blocks, EXH_MIT_PROXYNOTSHELL);
    CHECK_EQ_STR(m.where[1], "web.config: rule 'a>b &amp; &#x41;'");
    /* 100,000 rules and a huge attribute, in bounded time */
    struct exh_buf b = {0};
    exh_buf_adds(&b, "<configuration><system.webServer><rewrite><rules>");
    for (int k = 0; k < 100000; k++)
        exh_buf_adds(&b, "<rule name=\"r\"><match url=\"^(a+)+$\" /><conditions>"
                         "<add input=\"{URL}\" pattern=\"(x*)*y\" /></conditions>"
                         "<action type=\"AbortRequest\" /></rule>\n");
    exh_buf_adds(&b, "<rule name=\"");
    for (int k = 0; k < 1000000; k++)
        exh_buf_addc(&b, 'A');
    exh_buf_adds(&b, "\"><match url=\"");
    for (int k = 0; k < 100000; k++)
        exh_buf_adds(&b, "(a");
    exh_buf_adds(&b, "\" /></rule></rules></rewrite></system.webServer></configuration>");
    clock_t t0 = clock();
    struct exh_mitigations big = {0};
    exh_mitigations_from_config(b.p, b.n, "big", &big);
    CHECK_EQ_INT(big.blocks, 0);
    CHECK(clock() - t0 < 10 * CLOCKS_PER_SEC);
    /* a log of one long line full of ids */
    exh_buf_reset(&b);
    for (int k = 0; k < 200000; k++)
        exh_buf_adds(&b, "M1.1 M9.");
    exh_buf_adds(&b, " applied");
    struct exh_mitigations lg = {0};
    exh_mitigations_from_emlog(b.p, b.n, "log", &lg);
    CHECK_EQ_INT(lg.blocks, EXH_MIT_PROXYNOTSHELL);
    exh_buf_release(&b);
}

int main(void)
{
    T_RUN(test_regex);
    T_RUN(test_eomt_proxylogon);
    T_RUN(test_first_proxynotshell_rule);
    T_RUN(test_later_proxynotshell_rules);
    T_RUN(test_not_counted);
    T_RUN(test_owa_2026);
    T_RUN(test_emlog);
    T_RUN(test_hostile);
    return T_DONE("unit-mitigation");
}
