/* test_netaddr.c: address parsing, ranges and the source of a proxied request. */
#include "t.h"

#include "exh/netaddr.h"

static struct exh_str S(const char *s) {
    return exh_str_make(s, strlen(s));
}

static const char *
canon(const char *s, char *buf)
{
    struct exh_ip ip;
    if (!exh_ip_parse(S(s), &ip))
        return "(bad)";
    exh_ip_format(&ip, buf);
    return buf;
}

static void test_parse(void)
{
    char b[46];
    static const char *const ok[][2] = {
        {"203.0.113.7", "203.0.113.7"},
        {" 203.0.113.7 ", "203.0.113.7"},
        {"203.0.113.7:52311", "203.0.113.7"},
        {"\"198.51.100.1\"", "198.51.100.1"},
        {"0.0.0.0", "0.0.0.0"},
        {"255.255.255.255", "255.255.255.255"},
        {"2001:db8::1", "2001:db8::1"},
        {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        {"[2001:db8::1]:443", "2001:db8::1"},
        {"[::1]", "::1"},
        {"fe80::1%eth0", "fe80::1"},
        {"::", "::"},
        {"::ffff:10.0.0.1", "10.0.0.1"},
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
        {"1::", "1::"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        T_CTX(ok[i][0]);
        CHECK_EQ_STR(canon(ok[i][0], b), ok[i][1]);
    }
    static const char *const bad[] = {
        "",
        "-",
        "unknown",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.4:",
        "1.2.3.4:x",
        "2001:db8:::1",
        "1:2:3:4:5:6:7:8:9",
        ":1::2",
        "1::2::3",
        "g::1",
        "12345::1",
        "[::1",
        "::1:",
        "example.com",
        "1.2.3.4/8",
        "[::1]x",
    };
    struct exh_ip ip;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        T_CTX(bad[i]);
        CHECK(!exh_ip_parse(S(bad[i]), &ip));
    }
    T_CTX(NULL);
}

static bool in(const char *cidr, const char *ip)
{
    struct exh_cidr c;
    struct exh_ip a;
    return exh_cidr_parse(S(cidr), &c) && exh_ip_parse(S(ip), &a) && exh_cidr_contains(&c, &a);
}

static bool private_(const char *s)
{
    struct exh_ip a;
    return exh_ip_parse(S(s), &a) && exh_ip_private(&a);
}

static void test_ranges(void)
{
    CHECK(in("10.0.0.0/8", "10.255.1.2"));
    CHECK(!in("10.0.0.0/8", "11.0.0.1"));
    CHECK(in("192.0.2.0/25", "192.0.2.127"));
    CHECK(!in("192.0.2.0/25", "192.0.2.128"));
    CHECK(in("192.0.2.9", "192.0.2.9"));
    CHECK(!in("192.0.2.9", "192.0.2.10"));
    CHECK(in("0.0.0.0/0", "203.0.113.1"));
    CHECK(!in("0.0.0.0/0", "2001:db8::1")); /* an IPv4 range holds no IPv6 address */
    CHECK(in("2001:db8::/32", "2001:db8:ffff::1"));
    CHECK(!in("2001:db8::/32", "2001:db9::1"));
    CHECK(in("10.1.2.3/8", "10.9.9.9")); /* host bits are ignored */
    CHECK(in("10.0.0.0/8", "::ffff:10.0.0.1"));
    struct exh_cidr c;
    CHECK(!exh_cidr_parse(S("10.0.0.0/33"), &c));
    CHECK(!exh_cidr_parse(S("10.0.0.0/"), &c));
    CHECK(!exh_cidr_parse(S("2001:db8::/129"), &c));
    CHECK(!exh_cidr_parse(S("foo/8"), &c));

    CHECK(private_("10.0.0.1") && private_("172.16.0.1") && private_("172.31.255.255"));
    CHECK(!private_("172.32.0.1") && !private_("172.15.0.1"));
    CHECK(private_("192.168.1.1") && private_("127.0.0.1") && private_("169.254.1.1"));
    CHECK(private_("::1") && private_("fd00::1") && private_("fc12::1") && private_("fe80::1"));
    CHECK(private_("::ffff:192.168.0.1"));
    CHECK(!private_("203.0.113.11") && !private_("2001:db8::1") && !private_("fec0::1"));
}

/* source and chain for (conn, xff) with the trusted ranges given */
static void resolve(const char *conn, const char *xff, const char *trusted, const char *want_src,
                    const char *want_chain)
{
    struct exh_cidr t[4];
    size_t nt = 0;
    if (trusted)
        CHECK(exh_cidr_parse(S(trusted), &t[nt++]));
    struct exh_buf src = {0}, chain = {0};
    char ctx[256];
    snprintf(ctx, sizeof(ctx), "conn=%s xff=%s trusted=%s", conn, xff, trusted ? trusted : "-");
    T_CTX(ctx);
    bool v = true;
    bool any = exh_source_resolve(S(conn), S(xff), t, nt, &src, &chain, &v);
    exh_buf_addc(&src, '\0');
    exh_buf_addc(&chain, '\0');
    if (!want_src) {
        CHECK(!any);
    } else {
        CHECK(any);
        CHECK_EQ_STR(src.p, want_src);
        CHECK_EQ_STR(chain.p, want_chain);
    }
    exh_buf_release(&src);
    exh_buf_release(&chain);
    T_CTX(NULL);
}

/* can the source be believed as it stands? */
static bool vouched(const char *conn, const char *xff, const char *trusted)
{
    struct exh_cidr t[1];
    size_t nt = trusted && exh_cidr_parse(S(trusted), &t[0]) ? 1 : 0;
    struct exh_buf src = {0}, chain = {0};
    bool v = false;
    exh_source_resolve(S(conn), S(xff), t, nt, &src, &chain, &v);
    exh_buf_release(&src);
    exh_buf_release(&chain);
    return v;
}

static void test_vouched(void)
{
    CHECK(vouched("203.0.113.11", "", NULL));          /* the connection */
    CHECK(vouched("10.1.1.1", "-", NULL));             /* an inside client, straight */
    CHECK(vouched("203.0.113.11", "10.0.0.1", NULL));  /* the connection, header ignored */
    CHECK(vouched("203.0.113.20 10.0.0.2", "", NULL)); /* Exchange's own chain */
    /* behind a private balancer nobody named: the header may be the client's */
    CHECK(!vouched("10.10.0.5", "10.0.0.1", NULL));
    CHECK(!vouched("10.10.0.5", "203.0.113.11", NULL));
    /* named: its entry is believed */
    CHECK(vouched("10.10.0.5", "10.0.0.1", "10.10.0.0/24"));
    CHECK(vouched("10.10.0.5", "10.0.0.1, 10.10.0.9",
                  "10.10.0.5")); /* 10.10.0.9: what the named proxy appended */
    CHECK(vouched("10.10.0.5", "10.0.0.1, 10.10.0.9", "10.10.0.0/24"));
    /* no connection column: only the header, never believed */
    CHECK(!vouched("", "10.0.0.1", NULL));
    CHECK(!vouched("", "10.0.0.1", "10.0.0.0/8"));
}

static void test_source(void)
{
    /* straight from the internet: the connection, whatever the header says */
    resolve("203.0.113.11", "", NULL, "203.0.113.11", "");
    resolve("203.0.113.11", "-", NULL, "203.0.113.11", "");
    resolve("203.0.113.11", "10.0.0.1", NULL, "203.0.113.11", "10.0.0.1,203.0.113.11");
    /* the review's case: a client-chosen first entry behind a load balancer */
    resolve("10.10.0.5", "10.0.0.1,+203.0.113.11", NULL, "203.0.113.11",
            "10.0.0.1,203.0.113.11,10.10.0.5");
    resolve("10.10.0.5", "10.0.0.1, 203.0.113.11", NULL, "203.0.113.11",
            "10.0.0.1,203.0.113.11,10.10.0.5");
    /* an internal client behind the balancer stays internal */
    resolve("10.10.0.5", "10.1.2.3", NULL, "10.1.2.3", "10.1.2.3,10.10.0.5");
    /* a public reverse proxy given as trusted, and a trusted hop in the header */
    resolve("198.51.100.2", "203.0.113.11", "198.51.100.0/24", "203.0.113.11",
            "203.0.113.11,198.51.100.2");
    resolve("10.10.0.5", "203.0.113.11, 198.51.100.3", "198.51.100.0/24", "203.0.113.11",
            "203.0.113.11,198.51.100.3,10.10.0.5");
    /* a trusted-looking private entry in the header is not skipped unless trusted */
    resolve("10.10.0.5", "203.0.113.11, 10.0.0.9", NULL, "10.0.0.9",
            "203.0.113.11,10.0.0.9,10.10.0.5");
    resolve("10.10.0.5", "203.0.113.11, 10.0.0.9", "10.0.0.0/8", "203.0.113.11",
            "203.0.113.11,10.0.0.9,10.10.0.5");
    /* garbage in the header: the connection stands */
    resolve("10.10.0.5", "unknown", NULL, "10.10.0.5", "unknown,10.10.0.5");
    resolve("10.10.0.5", "203.0.113.11:4431", NULL, "203.0.113.11", "203.0.113.11,10.10.0.5");
    /* Exchange's own chain in ClientIpAddress: client, then front end */
    resolve("203.0.113.20 10.0.0.2", "", NULL, "203.0.113.20", "203.0.113.20,10.0.0.2");
    resolve("203.0.113.20,10.0.0.3,10.0.0.2", "", NULL, "203.0.113.20",
            "203.0.113.20,10.0.0.3,10.0.0.2");
    /* nothing but the header (no client column) */
    resolve("", "203.0.113.11", NULL, "203.0.113.11", "");
    resolve("", "", NULL, NULL, NULL);
    resolve("-", "-", NULL, NULL, NULL);
    /* IPv6 and canonical forms */
    resolve("fd00::5", "[2001:DB8::7]:1234", NULL, "2001:db8::7", "2001:db8::7,fd00::5");
    /* a header of 100,000 entries costs its last 32 */
    struct exh_buf big = {0};
    for (int i = 0; i < 100000; i++)
        exh_buf_addf(&big, "%s10.%d.%d.%d", i ? ", " : "", (i >> 16) & 255, (i >> 8) & 255,
                     i & 255);
    exh_buf_adds(&big, ", 203.0.113.99");
    exh_buf_addc(&big, '\0');
    struct exh_buf src = {0}, chain = {0};
    CHECK(exh_source_resolve(S("10.10.0.5"), S(big.p), NULL, 0, &src, &chain, NULL));
    exh_buf_addc(&src, '\0');
    CHECK_EQ_STR(src.p, "203.0.113.99");
    CHECK(chain.n < 32 * 16 + 16);
    exh_buf_release(&big);
    exh_buf_release(&src);
    exh_buf_release(&chain);
}

int main(void)
{
    T_RUN(test_parse);
    T_RUN(test_ranges);
    T_RUN(test_source);
    T_RUN(test_vouched);
    return T_DONE("unit-netaddr");
}
