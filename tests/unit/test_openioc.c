/* test_openioc.c: OpenIOC 1.0 and 1.1 indicator files (src/read/ioc_xml.c):
 * files written here, and hostile XML (a DTD, entities, deep nesting, bad
 * UTF-8, a huge Content). */
#include <time.h>

#include "exh/iocread.h"
#include "t.h"

#define REC_MAX 64

struct rec {
    size_t items, skips, understood, types[EXH_IOC__COUNT];
    struct {
        enum exh_ioc_type type;
        char value[256], title[128], reference[128], note[128];
        int confidence;
    } it[REC_MAX];
    struct {
        char where[32], why[160];
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

static bool read_ioc(const char *text, size_t n, struct rec *r, char *err, size_t errn)
{
    memset(r, 0, sizeof(*r));
    struct exh_ioc_sink sink = {r, on_item, on_skip};
    return exh_ioc_read_openioc((const uint8_t *)text, n, &sink, err, errn);
}

#ifdef EXH_HAVE_EXPAT
static bool rd(const char *text, struct rec *r, char *err)
{
    return read_ioc(text, strlen(text), r, err, 256);
}

/* An IndicatorItem with a Context search and a Content. */
static void item(struct exh_buf *b, const char *cond, const char *search, const char *content)
{
    exh_buf_addf(b,
                 "<IndicatorItem id=\"x\" condition=\"%s\"><Context document=\"d\" "
                 "search=\"%s\" type=\"mir\"/><Content type=\"string\">%s</Content>"
                 "</IndicatorItem>\n",
                 cond, search, content);
}

static void test_v10(void)
{
    struct rec r;
    char err[256];
    struct exh_buf b = {0};
    exh_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"us-ascii\"?>\n"
                     "<ioc xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                     "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" id=\"0b7c9f52-test-1\" "
                     "last-modified=\"2021-03-05T10:00:00\" "
                     "xmlns=\"http://schemas.mandiant.com/2010/ioc\">\n"
                     "<short_description>Exchange web shell drop</short_description>\n"
                     "<description>\n  Test campaign, made up.\n</description>\n"
                     "<authored_by>exhunt tests</authored_by>\n"
                     "<definition><Indicator operator=\"OR\" id=\"i0\">\n");
    item(&b, "is", "FileItem/Md5sum", "0123456789abcdef0123456789ABCDEF"); /* 1 */
    item(&b, "is", "FileItem/Sha256sum",
         " 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff ");
    item(&b, "is", "fileitem/filename", "help.aspx");
    item(&b, "is", "FileItem/FullPath", "C:\\inetpub\\wwwroot\\aspnet_client\\help.aspx");
    item(&b, "is", "PortItem/remoteIP", "192.0.2.44"); /* 5 */
    item(&b, "is", "Network/DNS", "mail.example.com");
    exh_buf_adds(&b, "<Indicator operator=\"AND\" id=\"i1\">\n");
    item(&b, "is", "UrlHistoryItem/URL", "http://c2.example.net/a?b=1&amp;c=2");
    item(&b, "is", "Network/URI", "/owa/auth/x.js");
    item(&b, "is", "Network/UserAgent", "<![CDATA[ExchangeServicesClient/0.0.0.0]]>");
    exh_buf_adds(&b, "</Indicator>\n");
    item(&b, "is", "RegistryItem/Path", "HKLM\\Software\\x"); /* 10 */
    item(&b, "contains", "FileItem/FileName", "shell");
    item(&b, "is", "FileItem/Md5sum", "not-a-hash");
    exh_buf_adds(&b, "<IndicatorItem condition=\"is\"><Context search=\"FileItem/Md5sum\"/>"
                     "</IndicatorItem>\n");
    item(&b, "is", "Network/URI", "https://203.0.113.5/owa/auth/x.js");
    exh_buf_adds(&b, "</Indicator></definition></ioc>\n");
    CHECK(read_ioc(b.p, b.n, &r, err, sizeof(err)));
    exh_buf_release(&b);
    CHECK_EQ_INT(r.items, 9);
    CHECK_EQ_INT(r.types[EXH_IOC_HASH], 2);
    CHECK_EQ_INT(r.types[EXH_IOC_NAME], 1);
    CHECK_EQ_INT(r.types[EXH_IOC_PATH], 1);
    CHECK_EQ_INT(r.types[EXH_IOC_IP], 1);
    CHECK_EQ_INT(r.types[EXH_IOC_DOMAIN], 1);
    CHECK_EQ_INT(r.types[EXH_IOC_URL], 2);
    CHECK_EQ_INT(r.types[EXH_IOC_UA], 1);
    CHECK_EQ_STR(r.it[1].value, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    CHECK_EQ_STR(r.it[2].value, "help.aspx");
    CHECK_EQ_STR(r.it[3].value, "C:\\inetpub\\wwwroot\\aspnet_client\\help.aspx");
    CHECK_EQ_STR(r.it[6].value, "http://c2.example.net/a?b=1&c=2");
    CHECK_EQ_STR(r.it[7].value, "ExchangeServicesClient/0.0.0.0");
    CHECK_EQ_INT(r.it[7].type, EXH_IOC_UA);
    CHECK_EQ_STR(r.it[8].value, "https://203.0.113.5/owa/auth/x.js");
    CHECK_EQ_STR(r.it[0].title, "Exchange web shell drop");
    CHECK_EQ_STR(r.it[0].note, "Test campaign, made up.");
    CHECK_EQ_STR(r.it[0].reference, "0b7c9f52-test-1");
    CHECK_EQ_INT(r.it[0].confidence, -1);
    CHECK_EQ_INT(r.skips, 5);
    CHECK_EQ_INT(r.understood, 3);
    CHECK_EQ_STR(r.sk[0].where, "IndicatorItem 8");
    CHECK_EQ_STR(r.sk[0].why, "OpenIOC Network/URI that is not a full URL, not matched by exhunt");
    CHECK_EQ_STR(r.sk[1].where, "IndicatorItem 10");
    CHECK_EQ_STR(r.sk[1].why, "OpenIOC RegistryItem/Path term, not matched by exhunt");
    CHECK(r.sk[1].understood);
    CHECK_EQ_STR(r.sk[2].where, "IndicatorItem 11");
    CHECK_EQ_STR(r.sk[2].why, "OpenIOC contains condition, only 'is' is matched");
    CHECK(r.sk[2].understood);
    CHECK_EQ_STR(r.sk[3].where, "IndicatorItem 12"); /* not a hash */
    CHECK(!r.sk[3].understood);
    CHECK_EQ_STR(r.sk[4].where, "IndicatorItem 13");
    CHECK_EQ_STR(r.sk[4].why, "IndicatorItem without a Context search and a Content");
}

static void test_v11(void)
{
    struct rec r;
    char err[256];
    struct exh_buf b = {0};
    exh_buf_adds(&b,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<OpenIOC xmlns=\"http://openioc.org/schemas/OpenIOC_1.1\" id=\"ioc-11-test\" "
                 "last-modified=\"2021-03-05T10:00:00\" published-date=\"0001-01-01T00:00:00\">\n"
                 "<metadata><short_description>Proxy\xc3\xbfLogon follow-up</short_description>\n"
                 "<description>Seen by a made-up responder</description><keywords/>"
                 "<authored_by>t</authored_by><links/></metadata>\n"
                 "<criteria><Indicator id=\"a\" operator=\"OR\">\n"
                 "<IndicatorItem id=\"1\" condition=\"is\" preserve-case=\"false\" "
                 "negate=\"false\"><Context document=\"FileItem\" search=\"FileItem/Sha1sum\" "
                 "type=\"mir\"/><Content type=\"sha1\">00112233445566778899aabbccddeeff00112233"
                 "</Content></IndicatorItem>\n"
                 "<IndicatorItem id=\"2\" condition=\"is\" negate=\"true\">"
                 "<Context search=\"Network/DNS\"/><Content>good.example.com</Content>"
                 "</IndicatorItem>\n");
    item(&b, "is", "DnsEntryItem/RecordData/IPv4Address", "198.51.100.3");
    item(&b, "starts-with", "UrlHistoryItem/URL", "http://x.example.com/");
    item(&b, "is", "UrlHistoryItem/BrowserUserAgent", "python-requests/2.25.1");
    item(&b, "is", "ProcessItem/name", "w3wp.exe");
    exh_buf_adds(&b, "</Indicator></criteria><parameters/></OpenIOC>\n");
    CHECK(read_ioc(b.p, b.n, &r, err, sizeof(err)));
    exh_buf_release(&b);
    CHECK_EQ_INT(r.items, 3);
    CHECK_EQ_INT(r.it[0].type, EXH_IOC_HASH);
    CHECK_EQ_INT(r.it[1].type, EXH_IOC_IP);
    CHECK_EQ_INT(r.it[2].type, EXH_IOC_UA);
    CHECK_EQ_STR(r.it[0].title, "Proxy\xc3\xbfLogon follow-up");
    CHECK_EQ_STR(r.it[0].note, "Seen by a made-up responder");
    CHECK_EQ_STR(r.it[0].reference, "ioc-11-test");
    CHECK_EQ_INT(r.skips, 3);
    CHECK_EQ_INT(r.understood, 3);
    CHECK_EQ_STR(r.sk[0].where, "IndicatorItem 2");
    CHECK_EQ_STR(r.sk[0].why, "OpenIOC negated is condition, only 'is' is matched");
    CHECK_EQ_STR(r.sk[1].why, "OpenIOC starts-with condition, only 'is' is matched");
    CHECK_EQ_STR(r.sk[2].where, "IndicatorItem 6");
    CHECK_EQ_STR(r.sk[2].why, "OpenIOC ProcessItem/name term, not matched by exhunt");

    /* without a namespace, and no items at all */
    CHECK(rd("<OpenIOC><criteria/></OpenIOC>", &r, err));
    CHECK_EQ_INT(r.items + r.skips, 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hostile(void)
{
    struct rec r;
    char err[256];
    /* billion laughs: refused at the DOCTYPE */
    struct exh_buf b = {0};
    exh_buf_adds(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE ioc [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i < 10; i++) {
        exh_buf_addf(&b, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++)
            exh_buf_addf(&b, "&l%d;", i - 1);
        exh_buf_adds(&b, "\">\n");
    }
    exh_buf_adds(&b, "]>\n<ioc xmlns=\"http://schemas.mandiant.com/2010/ioc\"><definition>"
                     "<IndicatorItem condition=\"is\"><Context search=\"Network/DNS\"/>"
                     "<Content>&l9;</Content></IndicatorItem></definition></ioc>\n");
    double t0 = now_s();
    CHECK(!read_ioc(b.p, b.n, &r, err, sizeof(err)));
    CHECK(now_s() - t0 < 1.0);
    CHECK_EQ_STR(err, "XML with a DTD: refused (entities are never expanded)");
    CHECK_EQ_INT(r.items + r.skips, 0);
    /* an external DTD, no internal subset */
    CHECK(!rd("<!DOCTYPE ioc SYSTEM \"http://example.com/x.dtd\"><ioc/>", &r, err));
    CHECK_EQ_STR(err, "XML with a DTD: refused (entities are never expanded)");
    /* an entity without a DTD */
    CHECK(!rd("<ioc><definition>\n<IndicatorItem condition=\"is\"><Context search=\"Network/DNS\"/>"
              "<Content>&l9;</Content></IndicatorItem></definition></ioc>",
              &r, err));
    CHECK_EQ_STR(err, "not valid XML: line 2: undefined entity");
    CHECK_EQ_INT(r.items + r.skips, 0);

    /* nothing given when the end is broken */
    CHECK(!rd("<ioc><IndicatorItem condition=\"is\"><Context search=\"Network/DNS\"/>"
              "<Content>mail.example.com</Content></IndicatorItem>\n<a></ioc>",
              &r, err));
    CHECK_EQ_STR(err, "not valid XML: line 2: mismatched tag");
    CHECK_EQ_INT(r.items + r.skips, 0);
    CHECK(!rd("<ioc>\n<short_description>\xff\xfe</short_description></ioc>", &r, err));
    CHECK_EQ_STR(err, "not valid XML: line 2: not well-formed (invalid token)");
    CHECK(!rd("", &r, err));
    CHECK(strncmp(err, "not valid XML: line 1: ", 23) == 0);

    /* not OpenIOC */
    CHECK(!rd(
        "<?xml version=\"1.0\"?><stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\"/>",
        &r, err));
    CHECK_EQ_STR(err, "XML, but not OpenIOC");
    CHECK(!rd("<root><ioc/></root>", &r, err));
    CHECK_EQ_STR(err, "XML, but not OpenIOC");
    CHECK_EQ_INT(r.items + r.skips, 0);

    /* 10,000 deep: expat keeps no recursion; read, nothing in it */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "<ioc>");
    for (int i = 0; i < 10000; i++)
        exh_buf_adds(&b, "<a>");
    exh_buf_adds(&b, "<IndicatorItem condition=\"is\"><Context search=\"Network/DNS\"/>"
                     "<Content>deep.example.com</Content></IndicatorItem>");
    for (int i = 0; i < 10000; i++)
        exh_buf_adds(&b, "</a>");
    exh_buf_adds(&b, "</ioc>");
    CHECK(read_ioc(b.p, b.n, &r, err, sizeof(err)));
    CHECK_EQ_INT(r.items, 1);

    /* a 20 MB Content, and one just over the cap: skipped, not given */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "<ioc><IndicatorItem condition=\"is\"><Context search=\"Network/UserAgent\"/>"
                     "<Content>Mozilla/");
    size_t big = 20u << 20;
    exh_buf_reserve(&b, big);
    memset(b.p + b.n, 'a', big);
    b.n += big;
    exh_buf_adds(&b, "</Content></IndicatorItem>"
                     "<IndicatorItem condition=\"is\"><Context search=\"Network/UserAgent\"/>"
                     "<Content>");
    exh_buf_reserve(&b, EXH_IOC_LINE_MAX + 1);
    memset(b.p + b.n, 'b', EXH_IOC_LINE_MAX + 1);
    b.n += EXH_IOC_LINE_MAX + 1;
    exh_buf_adds(&b, "</Content></IndicatorItem></ioc>");
    CHECK(read_ioc(b.p, b.n, &r, err, sizeof(err)));
    CHECK_EQ_INT(r.items, 0);
    CHECK_EQ_INT(r.skips, 2);
    CHECK_EQ_STR(r.sk[0].why, "Content too long");
    CHECK_EQ_STR(r.sk[1].where, "IndicatorItem 2");
    exh_buf_release(&b);

    /* a nested IndicatorItem (not OpenIOC) is skipped; the outer one stands */
    CHECK(rd("<ioc><IndicatorItem condition=\"is\"><Context search=\"Network/DNS\"/>"
             "<IndicatorItem/><Content>outer.example.com</Content></IndicatorItem></ioc>",
             &r, err));
    CHECK_EQ_INT(r.items, 1);
    CHECK_EQ_STR(r.it[0].value, "outer.example.com");
    CHECK_EQ_INT(r.skips, 1);
    CHECK_EQ_STR(r.sk[0].where, "IndicatorItem 2");

    char small[8];
    CHECK(!read_ioc("<x/>", 4, &r, small, sizeof(small)));
    CHECK_EQ_STR(small, "XML, bu");
    CHECK(!read_ioc("<x/>", 4, &r, NULL, 0));
    CHECK(!read_ioc(NULL, 0, &r, small, sizeof(small)));
}

#endif

int main(void)
{
#ifdef EXH_HAVE_EXPAT
    T_RUN(test_v10);
    T_RUN(test_v11);
    T_RUN(test_hostile);
#else
    /* a build without the library says so, and gives nothing */
    struct rec r;
    char err[256];
    CHECK(!read_ioc("a: b", 4, &r, err, sizeof(err)));
    CHECK_EQ_STR(err, "this build reads no OpenIOC XML: built without expat; convert it on Linux");
    CHECK_EQ_INT(r.items + r.skips, 0);
#endif
    return T_DONE("unit-openioc");
}
