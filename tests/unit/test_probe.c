/* test_probe.c: the probe's pure parts: builds from a header, a logon page and
 * an export tool manifest, targets, and header lookup in a raw block. */
#include "t.h"

#include "exh/http.h"
#include "exh/probe.h"

static int build(int (*fn)(const char *, size_t, struct exh_build *), const char *s,
                 struct exh_build *b)
{
    memset(b, 0, sizeof(*b));
    return fn(s, strlen(s), b);
}

static void test_builds(void)
{
    struct exh_build b;
    CHECK_EQ_INT(build(exh_probe_build_header, "15.1.2507.16", &b), 4);
    CHECK(b.major == 15 && b.minor == 1 && b.build == 2507 && b.rev == 16);
    CHECK_EQ_INT(build(exh_probe_build_header, "15.2.2562", &b), 3);
    CHECK_EQ_INT(build(exh_probe_build_header, "15.1.2507.16 extra", &b), 0);
    CHECK_EQ_INT(build(exh_probe_build_header, "1.2.3.4", &b), 0); /* not Exchange */
    CHECK_EQ_INT(build(exh_probe_build_header, "15.1", &b), 0);
    CHECK_EQ_INT(build(exh_probe_build_header, "15.1.9999999999.1", &b), 0);
    CHECK_EQ_INT(build(exh_probe_build_header, "", &b), 0);

    CHECK_EQ_INT(build(exh_probe_build_page,
                       "<link href=\"/owa/auth/15.1.2507/themes/resources/logon.css\">", &b),
                 3);
    CHECK(b.build == 2507 && b.rev == 0);
    /* the four-part form wins over the three-part one in the same page */
    CHECK_EQ_INT(build(exh_probe_build_page,
                       "/owa/auth/15.1.2507/themes/x.css /owa/15.1.2507.16/scripts/a.js", &b),
                 4);
    CHECK(b.rev == 16);
    CHECK_EQ_INT(build(exh_probe_build_page, "/OWA/AUTH/15.0.1497/themes/", &b), 3);
    CHECK_EQ_INT(build(exh_probe_build_page, "/owa/auth/15.1.2507", &b), 0); /* no '/' after */
    CHECK_EQ_INT(build(exh_probe_build_page, "/owa/auth/Current/themes/", &b), 0);
    CHECK_EQ_INT(build(exh_probe_build_page, "/owa/", &b), 0);

    CHECK_EQ_INT(build(exh_probe_build_manifest,
                       "<?xml?><asmv1:assembly><assemblyIdentity name=\"x.application\" "
                       "version=\"15.1.2507.16\" publicKeyToken=\"b03f\" /></asmv1:assembly>",
                       &b),
                 4);
    CHECK(b.rev == 16);
    CHECK_EQ_INT(build(exh_probe_build_manifest,
                       "<assemblyIdentity name=\"dep\" version=\"4.0.0.0\"/>"
                       "<assemblyIdentity version=\"15.2.2562.46\"/>",
                       &b),
                 4);
    CHECK(b.minor == 2 && b.rev == 46);
    CHECK_EQ_INT(build(exh_probe_build_manifest, "<assemblyIdentity version=\"15.1.2507\"/>", &b),
                 0);
    CHECK_EQ_INT(build(exh_probe_build_manifest, "<assemblyIdentity version=\"15.1.2507.16", &b),
                 0); /* unterminated tag */
}

static void test_targets(void)
{
    char s[8], h[256];
    int port;
    CHECK(exh_probe_parse_target("mail.example.com", s, h, &port));
    CHECK_EQ_STR(s, "https");
    CHECK_EQ_STR(h, "mail.example.com");
    CHECK_EQ_INT(port, 443);
    CHECK(exh_probe_parse_target("10.0.0.5:8443", s, h, &port));
    CHECK_EQ_STR(h, "10.0.0.5");
    CHECK_EQ_INT(port, 8443);
    CHECK(exh_probe_parse_target("mail:80", s, h, &port));
    CHECK_EQ_STR(s, "http");
    CHECK(exh_probe_parse_target("http://mail.example.com/owa/", s, h, &port));
    CHECK_EQ_STR(s, "http");
    CHECK_EQ_INT(port, 80);
    CHECK(exh_probe_parse_target("https://[2001:db8::1]:444/", s, h, &port));
    CHECK_EQ_STR(h, "2001:db8::1");
    CHECK_EQ_INT(port, 444);
    CHECK(exh_probe_parse_target("[::1]", s, h, &port));
    CHECK(!exh_probe_parse_target("ftp://x", s, h, &port));
    CHECK(!exh_probe_parse_target("", s, h, &port));
    CHECK(!exh_probe_parse_target("host:0", s, h, &port));
    CHECK(!exh_probe_parse_target("host:65536", s, h, &port));
    CHECK(!exh_probe_parse_target("host:12x", s, h, &port));
    CHECK(!exh_probe_parse_target("ho st", s, h, &port));
    CHECK(!exh_probe_parse_target("user@host", s, h, &port));
    CHECK(!exh_probe_parse_target("[zz::1]:443", s, h, &port));
}

static void test_header(void)
{
    const char *blk = "HTTP/1.1 302 Found\r\nX-OWA-Version:  15.1.2507.16 \r\n"
                      "location: /owa/auth/logon.aspx\r\nX-Empty:\r\n\r\n";
    const char *v;
    size_t n;
    CHECK(exh_http_header(blk, strlen(blk), "x-owa-version", &v, &n));
    CHECK(n == 12 && !memcmp(v, "15.1.2507.16", 12));
    CHECK(exh_http_header(blk, strlen(blk), "Location", &v, &n));
    CHECK(n == 20);
    CHECK(exh_http_header(blk, strlen(blk), "X-Empty", &v, &n) && n == 0);
    CHECK(!exh_http_header(blk, strlen(blk), "X-OWA", &v, &n));
    CHECK(!exh_http_header(blk, strlen(blk), "HTTP/1.1 302 Found", &v, &n));
}

int main(void)
{
    T_RUN(test_builds);
    T_RUN(test_targets);
    T_RUN(test_header);
    return T_DONE("unit-probe");
}
