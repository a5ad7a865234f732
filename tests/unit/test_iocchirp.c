/* test_iocchirp.c: CISA CHIRP indicator files (src/read/ioc_yaml.c): the
 * real AA21-062A file (from ../shared, when there), files written here,
 * and hostile YAML (aliases, nesting, bad UTF-8, huge scalars). */
#include <time.h>

#include "exh/iocread.h"
#include "t.h"

#define REC_MAX 64

/* What the sink saw: items and skips, copied. */
struct rec {
    size_t items, skips, understood, types[EXH_IOC__COUNT];
    struct {
        enum exh_ioc_type type;
        char value[256], title[128], reference[160], note[64], where[32];
        int confidence;
    } it[REC_MAX];
    struct {
        char where[32], why[128];
        bool understood;
    } sk[REC_MAX];
};

static void copy(char *dst, size_t cap, struct exh_str s)
{
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    if (n)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

static void on_item(void *ud, const struct exh_ioc_item *it)
{
    struct rec *r = ud;
    if (it->type < EXH_IOC__COUNT)
        r->types[it->type]++;
    if (r->items < REC_MAX) {
        r->it[r->items].type = it->type;
        copy(r->it[r->items].value, sizeof(r->it[0].value), it->value);
        copy(r->it[r->items].title, sizeof(r->it[0].title), it->title);
        copy(r->it[r->items].reference, sizeof(r->it[0].reference), it->reference);
        copy(r->it[r->items].note, sizeof(r->it[0].note), it->note);
        r->it[r->items].confidence = it->confidence;
    }
    r->items++;
}

static void on_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct rec *r = ud;
    if (r->skips < REC_MAX) {
        snprintf(r->sk[r->skips].where, sizeof(r->sk[0].where), "%s", where);
        snprintf(r->sk[r->skips].why, sizeof(r->sk[0].why), "%s", why);
        r->sk[r->skips].understood = understood;
    }
    r->skips++;
    r->understood += understood;
}

static bool read_chirp(const char *text, size_t n, struct rec *r, char *err, size_t errn)
{
    memset(r, 0, sizeof(*r));
    struct exh_ioc_sink sink = {r, on_item, on_skip};
    return exh_ioc_read_chirp((const uint8_t *)text, n, &sink, err, errn);
}

#ifdef EXH_HAVE_YAML
static bool rd(const char *text, struct rec *r, char *err)
{
    return read_chirp(text, strlen(text), r, err, 256);
}

static void test_aa21_062a(void)
{
    const char *path = "../shared/iocs/cisa-chirp-AA21-062A.yaml";
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("test_iocchirp: %s not found (no ../shared beside the checkout): real-file case "
               "skipped\n",
               path);
        return;
    }
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    CHECK(n > 0 && n < sizeof(buf));
    struct rec *r = calloc(1, sizeof(*r));
    char err[256];
    CHECK(read_chirp(buf, n, r, err, sizeof(err)));
    CHECK_EQ_INT(r->types[EXH_IOC_IP], 15);
    CHECK_EQ_INT(r->types[EXH_IOC_YARA], 8); /* one a yara document */
    CHECK_EQ_INT(r->items, 23);
    CHECK_EQ_INT(r->skips, 2); /* the two events documents */
    CHECK_EQ_INT(r->understood, 2);
    CHECK_EQ_STR(r->sk[0].where, "document 5");
    CHECK_EQ_STR(r->sk[1].where, "document 7");
    CHECK_EQ_STR(r->sk[0].why, "CHIRP events check: event logs are judged by exhunt's own rules");
    CHECK_EQ_STR(r->it[0].value, "103.77.192.219");
    CHECK_EQ_STR(r->it[14].value, "91.192.103.43");
    CHECK_EQ_STR(r->it[0].title, "IP addresesses related to possible Hafnium activity");
    CHECK_EQ_INT(r->it[0].confidence, 30);
    CHECK_EQ_STR(r->it[0].reference, "https://www.volexity.com/blog/2021/03/02/"
                                     "active-exploitation-of-microsoft-exchange-zero-day-"
                                     "vulnerabilities/");
    CHECK(strncmp(r->it[0].note, "\"Volexity has seen", 18) == 0);
    CHECK_EQ_INT(r->it[15].type, EXH_IOC_YARA);
    CHECK(strncmp(r->it[15].value, "rule unauthenticated_execution", 30) == 0);
    CHECK_EQ_INT(r->it[15].confidence, 70);
    /* "(https://...)" in the third document's description */
    CHECK_EQ_STR(r->it[16].reference, "https://www.volexity.com/blog/2021/03/02/"
                                      "active-exploitation-of-microsoft-exchange-zero-day-"
                                      "vulnerabilities/");
    CHECK_EQ_STR(r->it[16].title, "Malicious URL User-Agents");
    /* a document without an address in its description */
    CHECK_EQ_STR(r->it[19].title, "simpleseesharp : Webshell Unclassified");
    CHECK_EQ_STR(r->it[19].reference, "");
    CHECK_EQ_INT(r->it[19].confidence, 90);
    free(r);
}

static void test_network(void)
{
    struct rec r;
    char err[256];
    /* a block scalar; values that are another type are given as that type */
    CHECK(rd("# a comment first\n"
             "---\n"
             "name: \"net block\"\n"
             "description: |\n"
             "  \"C2 addresses, see https://example.com/report/1.\"\n"
             "confidence: 7\n"
             "ioc_type: \"network\"\n"
             "indicator:\n"
             "  ips: |\n"
             "    192.0.2.10\n"
             "    198.51.100.0/24\n"
             "\n"
             "    2001:db8::5\n"
             "    c2.example.net\n"
             "    not_an_ip!\n"
             "  domains: |\n"
             "    mail.example.com\n"
             "    203.0.113.9\n"
             "---\n",
             &r, err));
    CHECK_EQ_INT(r.items, 6);
    CHECK_EQ_INT(r.types[EXH_IOC_IP], 4);
    CHECK_EQ_INT(r.types[EXH_IOC_DOMAIN], 2);
    CHECK_EQ_STR(r.it[0].value, "192.0.2.10");
    CHECK_EQ_STR(r.it[1].value, "198.51.100.0/24");
    CHECK_EQ_STR(r.it[2].value, "2001:db8::5");
    CHECK_EQ_STR(r.it[3].value, "c2.example.net");
    CHECK_EQ_INT(r.it[3].type, EXH_IOC_DOMAIN);
    CHECK_EQ_STR(r.it[4].value, "mail.example.com");
    CHECK_EQ_INT(r.it[5].type, EXH_IOC_IP);
    CHECK_EQ_STR(r.it[0].title, "net block");
    CHECK_EQ_STR(r.it[0].reference, "https://example.com/report/1");
    CHECK_EQ_STR(r.it[0].note, "\"C2 addresses, see https://example.com/report/1.\"");
    CHECK_EQ_INT(r.it[0].confidence, 70);
    CHECK_EQ_INT(r.skips, 1);
    CHECK_EQ_STR(r.sk[0].where, "document 1");
    CHECK(!r.sk[0].understood);

    /* sequences (block and flow), the name after the indicator, a
     * confidence out of CHIRP's range, entries that are no strings */
    CHECK(rd("ioc_type: network\n"
             "indicator:\n"
             "  ips:\n"
             "    - 192.0.2.1\n"
             "    - \"198.51.100.2\"\n"
             "    - {a: b}\n"
             "    - [x]\n"
             "  domains: [evil.example.com, 'bad.example.net']\n"
             "name: later name\n"
             "confidence: 11\n",
             &r, err));
    CHECK_EQ_INT(r.items, 4);
    CHECK_EQ_INT(r.types[EXH_IOC_IP], 2);
    CHECK_EQ_INT(r.types[EXH_IOC_DOMAIN], 2);
    CHECK_EQ_STR(r.it[1].value, "198.51.100.2");
    CHECK_EQ_STR(r.it[3].value, "bad.example.net");
    CHECK_EQ_STR(r.it[0].title, "later name");
    CHECK_EQ_INT(r.it[0].confidence, -1);
    CHECK_EQ_STR(r.it[0].reference, "");
    CHECK_EQ_INT(r.skips, 2);
    CHECK_EQ_INT(r.understood, 0);

    /* no confidence; a network document without ips */
    CHECK(rd("---\nioc_type: network\nindicator:\n  ips: 192.0.2.77\n"
             "---\nioc_type: network\nindicator:\n  other: 1\n",
             &r, err));
    CHECK_EQ_INT(r.items, 1);
    CHECK_EQ_INT(r.it[0].confidence, -1);
    CHECK_EQ_INT(r.skips, 1);
    CHECK_EQ_STR(r.sk[0].where, "document 2");
    CHECK_EQ_STR(r.sk[0].why, "CHIRP network indicator without ips");
}

static void test_kinds(void)
{
    struct rec r;
    char err[256];
    CHECK(rd("---\n"
             "name: rule doc\n"
             "confidence: 9\n"
             "ioc_type: yara\n"
             "indicator:\n"
             "  files: \"C:\\\\inetpub\\\\**\"\n"
             "  rule: |\n"
             "    rule t { strings: $a = \"x\" condition: $a }\n"
             "---\n"
             "name: ev\n"
             "ioc_type: events\n"
             "indicator:\n"
             "  event_type: Application\n"
             "---\n"
             "ioc_type: registry\n"
             "indicator:\n"
             "  registry_key: 'HKLM:\\Software'\n"
             "---\n"
             "name: files by hash\n"
             "ioc_type: file\n"
             "indicator:\n"
             "  hashes: |\n"
             "    0123456789abcdef0123456789abcdef\n"
             "---\n"
             "ioc_type: yara\n"
             "indicator:\n"
             "  files: x\n"
             "---\n"
             "- a list\n"
             "---\n"
             "name: no type\n"
             "---\n",
             &r, err));
    CHECK_EQ_INT(r.items, 1);
    CHECK_EQ_INT(r.it[0].type, EXH_IOC_YARA);
    CHECK_EQ_STR(r.it[0].value, "rule t { strings: $a = \"x\" condition: $a }");
    CHECK_EQ_STR(r.it[0].title, "rule doc");
    CHECK_EQ_INT(r.it[0].confidence, 90);
    CHECK_EQ_INT(r.skips, 6);
    CHECK_EQ_INT(r.understood, 2);
    CHECK_EQ_STR(r.sk[0].where, "document 2");
    CHECK_EQ_STR(r.sk[0].why, "CHIRP events check: event logs are judged by exhunt's own rules");
    CHECK(r.sk[0].understood);
    CHECK_EQ_STR(r.sk[1].where, "document 3");
    CHECK_EQ_STR(r.sk[1].why, "CHIRP registry check: registry keys are not matched by exhunt");
    CHECK(r.sk[1].understood);
    CHECK_EQ_STR(r.sk[2].where, "document 4"); /* CHIRP has no "file" plugin */
    CHECK_EQ_STR(r.sk[2].why, "CHIRP ioc_type \"file\" is none of CHIRP's plugins");
    CHECK(!r.sk[2].understood);
    CHECK_EQ_STR(r.sk[3].why, "CHIRP yara indicator without a rule");
    CHECK_EQ_STR(r.sk[4].where, "document 6");
    CHECK_EQ_STR(r.sk[4].why, "not a CHIRP indicator: the document is not a mapping");
    CHECK_EQ_STR(r.sk[5].where, "document 7");
}

/* A mapping where a string belongs, numbers, aliases: skips, no crash. */
static void test_wrong_types(void)
{
    struct rec r;
    char err[256];
    CHECK(rd("---\n"
             "name: {x: y}\n"
             "description: [1, 2]\n"
             "confidence: high\n"
             "ioc_type: network\n"
             "indicator:\n"
             "  ips: 12345\n"
             "  domains: {a: b}\n"
             "---\n"
             "ioc_type: {a: b}\n"
             "indicator: x\n"
             "---\n"
             "ioc_type: network\n"
             "indicator: [192.0.2.1]\n"
             "---\n"
             "ioc_type: yara\n"
             "indicator:\n"
             "  rule: [a, b]\n"
             "---\n"
             "ioc_type: network\n"
             "indicator:\n"
             "  ips: &x 192.0.2.200\n"
             "  domains: *x\n"
             "---\n"
             "ioc_type: network\n"
             "confidence: 0\n"
             "indicator:\n"
             "  ips: [*x, 192.0.2.201, 42, true]\n",
             &r, err));
    CHECK_EQ_INT(r.items, 2);
    CHECK_EQ_STR(r.it[0].value, "192.0.2.200"); /* the anchored value itself */
    CHECK_EQ_STR(r.it[0].title, "");
    CHECK_EQ_STR(r.it[1].value, "192.0.2.201");
    CHECK_EQ_INT(r.it[1].confidence, 0);
    CHECK_EQ_INT(r.skips, 9);
    CHECK_EQ_INT(r.understood, 0);
    CHECK_EQ_STR(r.sk[0].where, "document 1");
    CHECK_EQ_STR(r.sk[1].why, "domains is a mapping, not a list");
    CHECK_EQ_STR(r.sk[2].why, "CHIRP ioc_type that is not a string");
    CHECK_EQ_STR(r.sk[3].why, "CHIRP indicator that is not a mapping");
    CHECK_EQ_STR(r.sk[4].why, "YARA rule that is not a string");
    CHECK_EQ_STR(r.sk[5].why, "YAML alias, not expanded");
    CHECK_EQ_STR(r.sk[5].where, "document 5");
    CHECK_EQ_STR(r.sk[6].why, "YAML alias, not expanded");
    CHECK_EQ_STR(r.sk[6].where, "document 6");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Billion laughs: 10 levels of 10 aliases each; never expanded. */
static void test_laughs(void)
{
    struct exh_buf b = {0};
    exh_buf_adds(&b, "ioc_type: network\nl0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                     "\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
        exh_buf_addf(&b, "l%d: &l%d [", i, i);
        for (int k = 0; k < 10; k++)
            exh_buf_addf(&b, "%s*l%d", k ? "," : "", i - 1);
        exh_buf_adds(&b, "]\n");
    }
    size_t base = b.n;
    exh_buf_adds(&b, "indicator:\n  ips: *l9\n  domains: [*l9, *l8, example.com]\n");
    struct rec r;
    char err[256];
    double t0 = now_s();
    CHECK(read_chirp(b.p, b.n, &r, err, sizeof(err)));
    CHECK(now_s() - t0 < 2.0);
    CHECK_EQ_INT(r.items, 1);
    CHECK_EQ_STR(r.it[0].value, "example.com");
    CHECK_EQ_INT(r.skips, 3);
    CHECK_EQ_STR(r.sk[0].why, "YAML alias, not expanded");
    /* without an indicator it is no CHIRP file */
    b.n = base;
    b.p[b.n] = '\0';
    t0 = now_s();
    CHECK(!read_chirp(b.p, b.n, &r, err, sizeof(err)));
    CHECK(now_s() - t0 < 2.0);
    CHECK_EQ_STR(err, "YAML, but not a CHIRP indicator file");
    CHECK_EQ_INT(r.items + r.skips, 0);
    exh_buf_release(&b);
}

static void test_hostile(void)
{
    struct rec r;
    char err[256];
    struct exh_buf b = {0};
    /* 10,000 deep: refused, nothing given */
    exh_buf_adds(&b, "ioc_type: network\nindicator:\n  ips: 192.0.2.1\nx: ");
    for (int i = 0; i < 10000; i++)
        exh_buf_addc(&b, '[');
    for (int i = 0; i < 10000; i++)
        exh_buf_addc(&b, ']');
    exh_buf_addc(&b, '\n');
    CHECK(!read_chirp(b.p, b.n, &r, err, sizeof(err)));
    CHECK_EQ_STR(err, "YAML nested too deep");
    CHECK_EQ_INT(r.items + r.skips, 0);
    /* 32 levels are read, 33 are not */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "ioc_type: network\nindicator:\n  ips: 192.0.2.1\nx: ");
    for (int i = 0; i < 31; i++)
        exh_buf_addc(&b, '[');
    for (int i = 0; i < 31; i++)
        exh_buf_addc(&b, ']');
    CHECK(read_chirp(b.p, b.n, &r, err, sizeof(err)));
    CHECK_EQ_INT(r.items, 1);
    exh_buf_reset(&b);
    exh_buf_adds(&b, "ioc_type: network\nindicator:\n  ips: 192.0.2.1\nx: ");
    for (int i = 0; i < 32; i++)
        exh_buf_addc(&b, '[');
    for (int i = 0; i < 32; i++)
        exh_buf_addc(&b, ']');
    CHECK(!read_chirp(b.p, b.n, &r, err, sizeof(err)));
    CHECK_EQ_STR(err, "YAML nested too deep");

    /* invalid UTF-8 on line 3; bad syntax; nothing given before the error */
    CHECK(!rd("ioc_type: network\nindicator:\n  ips: \xff\xfe 192.0.2.1\n", &r, err));
    CHECK_EQ_STR(err, "not valid YAML: line 3: invalid leading UTF-8 octet");
    CHECK_EQ_INT(r.items + r.skips, 0);
    CHECK(!rd("ioc_type: network\nindicator:\n  ips: [192.0.2.1\n---\nname: x\n", &r, err));
    CHECK(strncmp(err, "not valid YAML: line ", 21) == 0);
    CHECK_EQ_INT(r.items + r.skips, 0);
    CHECK(!rd("ioc_type: network\nindicator: {ips: 192.0.2.1}\n---\n\t- x: [\n", &r, err));
    CHECK(strncmp(err, "not valid YAML: line 4: ", 24) == 0);
    CHECK_EQ_INT(r.items + r.skips, 0);

    /* a 20 MB scalar: skipped, not given */
    size_t big = 20u << 20;
    exh_buf_reset(&b);
    exh_buf_adds(&b, "ioc_type: network\nindicator:\n  ips: ");
    exh_buf_reserve(&b, big);
    memset(b.p + b.n, 'a', big);
    b.n += big;
    exh_buf_adds(&b, "\n---\nioc_type: yara\nindicator:\n  rule: |\n    rule ");
    exh_buf_reserve(&b, big);
    memset(b.p + b.n, 'b', big);
    b.n += big;
    exh_buf_adds(&b, "\n");
    CHECK(read_chirp(b.p, b.n, &r, err, sizeof(err)));
    CHECK_EQ_INT(r.items, 0);
    CHECK_EQ_INT(r.skips, 2);
    CHECK_EQ_STR(r.sk[0].why, "ips value too long");
    CHECK_EQ_STR(r.sk[1].why, "YARA rule longer than 1 MiB");
    exh_buf_release(&b);

    /* not CHIRP */
    CHECK(!rd("key: value\nlist: [1, 2]\n", &r, err));
    CHECK_EQ_STR(err, "YAML, but not a CHIRP indicator file");
    CHECK(!rd("", &r, err));
    CHECK_EQ_STR(err, "YAML, but not a CHIRP indicator file");
    CHECK(!rd("just text\n", &r, err));
    CHECK_EQ_STR(err, "YAML, but not a CHIRP indicator file");
    CHECK(!rd("ioc_type: network\n", &r, err)); /* no indicator */
    CHECK_EQ_INT(r.items + r.skips, 0);
    /* a short err buffer is cut and terminated */
    char small[8];
    memset(small, 'x', sizeof(small));
    CHECK(!read_chirp("a: b\n", 5, &r, small, sizeof(small)));
    CHECK_EQ_STR(small, "YAML, b");
    CHECK(!read_chirp("a: b\n", 5, &r, NULL, 0));
    CHECK(!read_chirp(NULL, 0, &r, small, sizeof(small)));
}

#endif

int main(void)
{
#ifdef EXH_HAVE_YAML
    T_RUN(test_aa21_062a);
    T_RUN(test_network);
    T_RUN(test_kinds);
    T_RUN(test_wrong_types);
    T_RUN(test_laughs);
    T_RUN(test_hostile);
#else
    /* a build without the library says so, and gives nothing */
    struct rec r;
    char err[256];
    CHECK(!read_chirp("a: b", 4, &r, err, sizeof(err)));
    CHECK_EQ_STR(err, "this build reads no CHIRP YAML: built without libyaml; convert it on Linux");
    CHECK_EQ_INT(r.items + r.skips, 0);
#endif
    return T_DONE("unit-iocchirp");
}
