/* test_detect.c: the detectors end to end on logs built in memory, through
 * exh_scan_memory() (classify -> prologue -> pre-filter -> rows -> detectors
 * -> judge): which rules fire, which do not, and the verdict. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/scan.h"
#include "t.h"

#define HP_NAME "Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG"
#define ECP_NAME "Logging/ECP/Server/ECPServer20210303-1.LOG"
#define OAB_NAME "Logging/OABGeneratorLog/OABGeneratorLog_20210303-1.LOG"

/* A fully patched build (no exposure findings) unless a test says otherwise. */
#define HP_PROLOGUE(version)                                                                       \
    "#Software: Microsoft Exchange Server\r\n"                                                     \
    "#Version: " version "\r\n"                                                                    \
    "#Log-type: HttpProxy Logs\r\n"                                                                \
    "#Date: 2021-03-03T02:00:00.000Z\r\n"
#define HP_FIELDS                                                                                  \
    "#Fields: DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,"          \
    "Protocol,UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AnchorMailbox,UserAgent,"         \
    "ClientIpAddress,ServerHostName,HttpStatus,Method,UrlQuery\r\n"

struct scan {
    struct exh_result r;
    char ids[512]; /* "EXH-PL-003 EXH-IOC-001" in report order, for messages */
};

static void run(struct scan *s, const char *name, const char *data, size_t n)
{
    struct exh_scan_opts o;
    exh_scan_opts_init(&o);
    o.frozen_clock = true;
    o.frozen_now_ms = 1767225600000; /* 2026-01-01 */
    memset(s, 0, sizeof(*s));
    enum exh_err e = exh_scan_memory(&o, name, (const uint8_t *)data, n, &s->r);
    CHECK_EQ_INT(e, EXH_OK);
    size_t k = 0;
    for (size_t i = 0; i < s->r.nfindings && k + 20 < sizeof(s->ids); i++)
        k += (size_t)snprintf(s->ids + k, sizeof(s->ids) - k, "%s%s", i ? " " : "",
                              s->r.findings[i].rule->id);
}

static size_t count(const struct scan *s, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < s->r.nfindings; i++)
        k += strcmp(s->r.findings[i].rule->id, id) == 0;
    return k;
}

static const struct exh_finding *first(const struct scan *s, const char *id)
{
    for (size_t i = 0; i < s->r.nfindings; i++)
        if (strcmp(s->r.findings[i].rule->id, id) == 0)
            return &s->r.findings[i];
    return NULL;
}

/* The rule ids found, space separated, must be exactly `want`. */
#define FOUND(s, want) t_eq_str((s)->ids, (want), __FILE__, __LINE__, "rule ids found == " #want)

/* One HttpProxy row in the column order of HP_FIELDS. ua must already be
 * CSV (quoted when it holds commas). */
static void hp_row(struct exh_buf *b, const char *stem, const char *anchor, const char *ua,
                   const char *ip, const char *status, const char *method)
{
    static int req;
    exh_buf_addf(
        b,
        "2021-03-03T02:%02d:41.337Z,req-%d,15,2,2562,46,Ecp,mail.example.com,%s,,false,%s,%s,"
        "%s,EXCH01,%s,%s,\r\n",
        req % 60, req, stem, anchor, ua, ip, status, method);
    req++;
}

static const char *BENIGN_UA =
    "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)\"";

/* A HttpProxy file: prologue, fields, two benign rows, the row under test,
 * a benign row. */
static void hp_file(struct exh_buf *b, const char *anchor, const char *status, const char *stem)
{
    exh_buf_reset(b);
    exh_buf_adds(b, HP_PROLOGUE("15.02.2562.046") HP_FIELDS);
    hp_row(b, "/owa/", "SMTP:alice@corp.example.com", BENIGN_UA, "198.51.100.20", "200", "GET");
    hp_row(b, "/ecp/default.aspx", "", BENIGN_UA, "198.51.100.21", "302", "GET");
    hp_row(b, stem, anchor, "\"ExploitClient/1.0\"", "203.0.113.7", status, "POST");
    hp_row(b, "/owa/auth/logon.aspx", "", BENIGN_UA, "198.51.100.22", "200", "GET");
}

static void scan_buf(struct scan *s, const char *name, const struct exh_buf *b)
{
    run(s, name, b->p, b->n);
}

static void test_httpproxy(void)
{
    struct exh_buf b = {0};
    struct scan s;

    /* mapi/emsmdb through ServerInfo~: exploitation */
    hp_file(&b, "ServerInfo~a]@EX:444/mapi/emsmdb/?#", "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    const struct exh_finding *f = first(&s, "EXH-PL-003");
    if (CHECK(f != NULL)) {
        CHECK_EQ_STR(f->path, HP_NAME);
        CHECK_EQ_INT(f->line, 8); /* 5 prologue lines, 2 benign rows */
        CHECK(f->has_offset);
        CHECK(f->offset > 0 && f->offset < b.n);
        CHECK(f->offset < b.n && strncmp(b.p + f->offset, "2021-03-03T02:", 14) == 0);
        CHECK_EQ_STR(f->source_ip, "203.0.113.7");
        CHECK_EQ_STR(f->method, "POST");
        CHECK_EQ_STR(f->user_agent, "ExploitClient/1.0");
        CHECK_EQ_INT(f->status, 200);
        CHECK_EQ_STR(f->evidence, "AnchorMailbox=ServerInfo~a]@EX:444/mapi/emsmdb/?#");
        CHECK_EQ_STR(f->dataset, "exchange.httpproxy");
        CHECK(f->has_ts);
        CHECK(!f->is_file);
        CHECK(f->original && strstr(f->original, "mapi/emsmdb") && !strchr(f->original, '\n') &&
              !strchr(f->original, '\r'));
    }
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    CHECK_EQ_INT(s.r.sum.exit_code, 1);
    CHECK_EQ_STR(exh_verdict_name(s.r.sum.verdict), "COMPROMISED");
    CHECK(s.r.sum.has_build);
    CHECK(s.r.sum.build_missing == NULL);
    CHECK_EQ_STR(s.r.sum.host, "EXCH01");
    exh_result_release(&s.r);

    /* ecp/proxyLogon.ecp too */
    hp_file(&b, "ServerInfo~a]@EX:444/ecp/proxyLogon.ecp?#", "241", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    exh_result_release(&s.r);

    /* autodiscover only: an attempt */
    hp_file(&b, "ServerInfo~a]@EX:444/autodiscover/autodiscover.xml?#", "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-001");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_TARGETED);
    CHECK_EQ_INT(s.r.sum.exit_code, 1);
    exh_result_release(&s.r);

    /* another back-end endpoint answered 200: the back end served it (mailbox access) */
    hp_file(&b, "ServerInfo~a]@EX:444/owa/service.svc?#", "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-010");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    exh_result_release(&s.r);

    /* a static file answered 200 (nuclei sends the SSRF to its own callback host's
     * /ecp/default.flt): no data reached, an attempt */
    hp_file(&b, "ServerInfo~a]@EX:444/owa/auth/x.js?#", "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-002");
    exh_result_release(&s.r);

    /* the same endpoint refused: the generic SSRF rule, an attempt */
    hp_file(&b, "ServerInfo~a]@EX:444/owa/service.svc?#", "500", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-002");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_TARGETED);
    exh_result_release(&s.r);

    /* Metasploit's collector reading a mailbox: ServerInfo~<server>/EWS answered 200 */
    hp_file(&b, "ServerInfo~EXCH01.corp.example.com/EWS/Exchange.asmx?a=~1942062522", "200",
            "/ecp/ab.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-010");
    exh_result_release(&s.r);

    /* the nmap script's localhost probe: noise only, and noise never decides */
    hp_file(&b, "ServerInfo~localhost/ecp/default.flt?", "500", "/owa/auth/x.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-NOISE-001");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    CHECK_EQ_INT(s.r.sum.exit_code, 0);
    exh_result_release(&s.r);

    /* ServerInfo~host without a path: ordinary routing */
    hp_file(&b, "ServerInfo~EX02.corp", "200", "/owa/");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    CHECK_EQ_INT(s.r.sum.exit_code, 0);
    exh_result_release(&s.r);

    /* Reset...VirtualDirectory through DDIService: 200 wrote the shell,
     * 500 is the DDIService step only */
    const char *reset = "ServerInfo~a]@EX:444/ecp/DDI/DDIService.svc/SetObject?schema="
                        "ResetOABVirtualDirectory&msExchEcpCanary=x&a=~1942062522";
    hp_file(&b, reset, "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-005");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    exh_result_release(&s.r);
    /* refused: the step was tried, not reached (graded by the answer) */
    hp_file(&b, reset, "500", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-002");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_TARGETED);
    exh_result_release(&s.r);
    hp_file(&b, "ServerInfo~a]@EX:444/ecp/DDI/DDIService.svc/GetObject?schema=OABVirtualDirectory",
            "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-004");
    exh_result_release(&s.r);

    /* case does not matter */
    hp_file(&b, "serverinfo~A]@EX:444/MAPI/EMSMDB/?#", "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    exh_result_release(&s.r);

    /* the export tool manifest: version probe noise */
    hp_file(&b, "", "200",
            "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-NOISE-002");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    exh_result_release(&s.r);

    /* ServerInfo~ only in the UserAgent column (the pre-filter selects the
     * line, the row says it is not the anchor) */
    exh_buf_reset(&b);
    exh_buf_adds(&b, HP_PROLOGUE("15.02.2562.046") HP_FIELDS);
    hp_row(&b, "/owa/", "SMTP:bob@corp.example.com", "\"ServerInfo~a]@EX:444/mapi/emsmdb/?#\"",
           "198.51.100.9", "200", "POST");
    hp_row(&b, "/owa/", "", "ServerInfo~a]@EX:444/autodiscover/autodiscover.xml?#", "198.51.100.9",
           "200", "POST");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    exh_result_release(&s.r);

    /* the host part is "localhost" only when it is exactly that: a
     * ServerInfo~ cookie routed to localhost.<attacker domain> is not the
     * scanner probe.
     * BUG (det_proxylogon.c exh_pl_httpproxy_line): exh_starts_ci(rest,
     * "localhost") treats any host beginning with "localhost" as noise, so
     * this exploitation row is reported as EXH-NOISE-001 (info) and the
     * verdict is CLEAN. */
    hp_file(&b, "ServerInfo~localhost.evil.example/mapi/emsmdb/?#", "200", "/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    exh_result_release(&s.r);

    exh_buf_release(&b);
}

static void test_layouts(void)
{
    struct exh_buf b = {0};
    struct scan s;

    /* columns in another order */
    exh_buf_adds(
        &b,
        HP_PROLOGUE("15.02.2562.046") "#Fields: "
                                      "UserAgent,HttpStatus,AnchorMailbox,Method,ClientIpAddress,"
                                      "DateTime,UrlStem\r\n"
                                      "\"Mozilla/5.0 (X11, "
                                      "Linux)\",200,SMTP:alice@corp.example.com,GET,198.51.100.1,"
                                      "2021-03-03T02:00:00Z,/owa/\r\n"
                                      "ExploitClient/1.0,200,ServerInfo~a]@EX:444/mapi/emsmdb/"
                                      "?#,POST,203.0.113.7,"
                                      "2021-03-03T02:01:00Z,/ecp/y.js\r\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    const struct exh_finding *f = first(&s, "EXH-PL-003");
    if (f) {
        CHECK_EQ_INT(f->line, 7);
        CHECK_EQ_STR(f->source_ip, "203.0.113.7");
        CHECK_EQ_STR(f->method, "POST");
        CHECK(f->has_ts);
        CHECK_EQ_INT(f->ts_ms, 1614736860000); /* 2021-03-03T02:01:00Z */
    }
    exh_result_release(&s.r);

    /* the layout changes mid-file: the same text is harmless under the old
     * header (UserAgent) and an SSRF under the new one (AnchorMailbox) */
    exh_buf_reset(&b);
    exh_buf_adds(&b, HP_PROLOGUE("15.02.2562.046") "#Fields: "
                                                   "DateTime,ClientIpAddress,UserAgent,"
                                                   "AnchorMailbox,HttpStatus,Method,UrlStem\r\n"
                                                   "2021-03-03T02:00:00Z,198.51.100.1,ServerInfo~a]"
                                                   "@EX:444/mapi/emsmdb/?#,,200,POST,/ecp/y.js\r\n"
                                                   "#Software: Microsoft Exchange Server\r\n"
                                                   "#Fields: "
                                                   "DateTime,ClientIpAddress,AnchorMailbox,"
                                                   "UserAgent,HttpStatus,Method,UrlStem\r\n"
                                                   "2021-03-03T03:00:00Z,203.0.113.7,ServerInfo~a]@"
                                                   "EX:444/mapi/emsmdb/?#,,200,POST,/ecp/y.js\r\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    f = first(&s, "EXH-PL-003");
    if (f) {
        CHECK_EQ_INT(f->line, 9);
        CHECK_EQ_STR(f->source_ip, "203.0.113.7");
    }
    exh_result_release(&s.r);

    /* the real HttpProxy shape: a plain header line first, then the
     * comments; LF endings; no final newline */
    exh_buf_reset(&b);
    exh_buf_adds(
        &b, "\xEF\xBB\xBF"
            "DateTime,RequestId,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method,UrlStem\n"
            "#Software: Microsoft Exchange Server\n"
            "#Version: 15.02.2562.046\n"
            "#Log-type: HttpProxy Logs\n"
            "#Fields: "
            "DateTime,RequestId,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method,UrlStem\n"
            "2021-03-03T02:00:00Z,r1,,\"a, b\",198.51.100.1,200,GET,/owa/\n"
            "2021-03-03T02:01:00Z,r2,ServerInfo~a]@EX:444/autodiscover/"
            "autodiscover.xml?#,x,203.0.113.7,200,POST,/ecp/y.js");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-001");
    f = first(&s, "EXH-PL-001");
    if (f)
        CHECK_EQ_INT(f->line, 7);
    exh_result_release(&s.r);

    /* the hit is the very first byte of the body and the file ends there */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "#Log-type: HttpProxy Logs\n#Fields: AnchorMailbox,DateTime,HttpStatus\n"
                     "ServerInfo~a]@EX:444/mapi/emsmdb/?#,2021-03-03T02:00:00Z,200");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    f = first(&s, "EXH-PL-003");
    if (f)
        CHECK_EQ_INT(f->line, 3);
    exh_result_release(&s.r);

    /* a lone CR is data (exlog.h): a CR injected into a logged field cannot
     * split a row, so a CR inside a field keeps the row's later columns. */
    exh_buf_reset(&b);
    exh_buf_adds(&b,
                 "#Log-type: HttpProxy Logs\n#Fields: DateTime,UserAgent,AnchorMailbox,HttpStatus\n"
                 "2021-03-03T02:00:00Z,,,200\n"
                 "2021-03-03T02:00:02Z,evil\rUA,ServerInfo~a]@EX:444/mapi/emsmdb/?#,200\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    f = first(&s, "EXH-PL-003");
    if (f) {
        CHECK_EQ_INT(f->line, 4);
        CHECK_EQ_INT(f->status, 200);
        CHECK(f->offset < b.n && strncmp(b.p + f->offset, "2021-03-03T02:00:02Z", 20) == 0);
    }
    exh_result_release(&s.r);

    /* a very long line: the finding keeps EXH_ORIGINAL_MAX bytes of it */
    exh_buf_reset(&b);
    exh_buf_adds(&b, HP_PROLOGUE("15.02.2562.046") HP_FIELDS);
    {
        struct exh_buf ua = {0};
        for (int i = 0; i < 2000; i++)
            exh_buf_adds(&ua, "Mozilla ");
        hp_row(&b, "/ecp/y.js", "ServerInfo~a]@EX:444/mapi/emsmdb/?#", ua.p, "203.0.113.7", "200",
               "POST");
        exh_buf_release(&ua);
    }
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-PL-003");
    f = first(&s, "EXH-PL-003");
    if (f) {
        CHECK(f->truncated);
        CHECK_EQ_INT(f->original_n, EXH_ORIGINAL_MAX);
        CHECK(f->original && strlen(f->original) == EXH_ORIGINAL_MAX);
        CHECK(f->user_agent && strlen(f->user_agent) < 16000);
    }
    exh_result_release(&s.r);

    /* a header with no known column: rows are not parsed, nothing fires
     * from the anchor rule, and nothing crashes */
    exh_buf_reset(&b);
    exh_buf_adds(
        &b, "#Log-type: HttpProxy Logs\n#Fields: a,b,c\nServerInfo~a]@EX:444/mapi/emsmdb/?#,b,c\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "");
    exh_result_release(&s.r);

    /* an unterminated quote swallowing the rest of the row */
    exh_buf_reset(&b);
    exh_buf_adds(
        &b, HP_PROLOGUE("15.02.2562.046") "#Fields: DateTime,UserAgent,AnchorMailbox,HttpStatus\r\n"
                                          "2021-03-03T02:00:00Z,\"ua,ServerInfo~a]@EX:444/mapi/"
                                          "emsmdb/?#,200\r\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "");
    exh_result_release(&s.r);

    exh_buf_release(&b);
}

static void test_ecp_oab(void)
{
    struct exh_buf b = {0};
    struct scan s;
    const char *ecp_head =
        "\xEF\xBB\xBF#Software: Microsoft Exchange Server\r\n"
        "#Version: 15.00.0000.000\r\n"
        "#Log-type: ECP Server Log\r\n"
        "#Date: 2021-03-03T00:00:00.000Z\r\n"
        "#Fields: TimeStamp,ServerName,EventId,EventData\r\n"
        "2021-03-03T00:42:13.207Z,EXCH01,1,\"S:CMD=Get-InboxRule.Mailbox='alice@corp."
        "example.com';S:REQID=7697b929;S:URL=/ecp/RulesEditor/InboxRules.svc/GetList\"\r\n";

    exh_buf_adds(&b, ecp_head);
    exh_buf_adds(
        &b, "2021-03-03T02:15:02.198Z,EXCH01,1,\"S:CMD=Set-OabVirtualDirectory.ExternalUrl='"
            "http://f/<script language=\"\"JScript\"\" runat=\"\"server\"\">function Page_Load()"
            "{eval(Request[\"\"klk123456\"\"],\"\"unsafe\"\");}</script>'.Identity='5f3a0b3e';"
            "S:REQID=a0b085cb;S:URL=/ecp/DDI/DDIService.svc/"
            "SetObject?schema=OABVirtualDirectory\"\r\n");
    scan_buf(&s, ECP_NAME, &b);
    FOUND(&s, "EXH-PL-006");
    const struct exh_finding *f = first(&s, "EXH-PL-006");
    if (f) {
        CHECK_EQ_INT(f->line, 7);
        static const char ev[] =
            "Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\"";
        CHECK(f->evidence && strncmp(f->evidence, ev, sizeof(ev) - 1) == 0);
        CHECK(f->evidence && !strstr(f->evidence, "S:REQID"));
        CHECK_EQ_STR(f->dataset, "exchange.ecp_server");
    }
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    exh_result_release(&s.r);

    /* an ordinary URL */
    exh_buf_reset(&b);
    exh_buf_adds(&b, ecp_head);
    exh_buf_adds(&b,
                 "2021-03-03T02:15:02.198Z,EXCH01,1,\"S:CMD=Set-OabVirtualDirectory.ExternalUrl='"
                 "https://mail.example.com/OAB'.Identity='5f3a0b3e';S:REQID=a0b085cb\"\r\n"
                 "2021-03-03T02:16:00.000Z,EXCH01,1,\"S:CMD=Set-OwaVirtualDirectory.InternalUrl='"
                 "https://ex01.corp/owa'.LogonFormat='UserName'\"\r\n");
    scan_buf(&s, ECP_NAME, &b);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    exh_result_release(&s.r);

    /* the parameter named is the URL parameter the markup is in, not the
     * first one of the cmdlet */
    exh_buf_reset(&b);
    exh_buf_adds(&b, ecp_head);
    exh_buf_adds(&b,
                 "2021-03-03T02:15:02.198Z,EXCH01,1,\"S:CMD=Set-OabVirtualDirectory.InternalUrl='"
                 "https://ex01.corp/OAB'.ExternalUrl='http://f/<script>x</script>'"
                 ";S:REQID=a0b085cb\"\r\n");
    scan_buf(&s, ECP_NAME, &b);
    FOUND(&s, "EXH-PL-006");
    f = first(&s, "EXH-PL-006");
    if (f)
        CHECK_EQ_STR(f->message,
                     "Set-OabVirtualDirectory set ExternalUrl to a value holding markup");
    exh_result_release(&s.r);

    /* hostile lines (one pass each, whatever they hold): 40,000 "url<a "
     * with no closer is no markup; the same with a closer at its very end
     * is; 20,000 cmdlets without a URL, then one whose URL holds markup */
    for (int variant = 0; variant < 3; variant++) {
        exh_buf_reset(&b);
        exh_buf_adds(&b, ecp_head);
        exh_buf_adds(&b, "2021-03-03T02:15:02.198Z,EXCH01,1,\"S:CMD=");
        if (variant < 2) {
            exh_buf_adds(&b, "Set-OabVirtualDirectory ");
            for (int k = 0; k < 40000; k++)
                exh_buf_adds(&b, "url<a ");
            if (variant == 1)
                exh_buf_adds(&b, "</a>");
        } else {
            for (int k = 0; k < 20000; k++)
                exh_buf_adds(&b, "Set-OabVirtualDirectory.");
            exh_buf_adds(&b, "Set-OwaVirtualDirectory.ExternalUrl='http://f/%3Cb%3Ex%3C/b%3E'");
        }
        exh_buf_adds(&b, "\"\r\n");
        scan_buf(&s, ECP_NAME, &b);
        if (variant == 0) {
            FOUND(&s, "");
            CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
        } else {
            FOUND(&s, "EXH-PL-006");
            CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
        }
        f = first(&s, "EXH-PL-006");
        if (f && variant == 1)
            CHECK_EQ_STR(f->message, "Set-OabVirtualDirectory set url to a value holding markup");
        if (f && variant == 2)
            CHECK(strstr(f->message, "set ExternalUrl to a value holding markup") != NULL);
        exh_result_release(&s.r);
    }

    /* markup in a parameter of a cmdlet that is not Set-*VirtualDirectory */
    exh_buf_reset(&b);
    exh_buf_adds(&b, ecp_head);
    exh_buf_adds(&b,
                 "2021-03-03T02:15:02.198Z,EXCH01,1,\"S:CMD=Set-Mailbox.CustomAttribute1='<b>x</b>'"
                 ";S:URL=/ecp/VirtualDirectory.aspx\"\r\n");
    scan_buf(&s, ECP_NAME, &b);
    FOUND(&s, "");
    exh_result_release(&s.r);

    const char *oab_head =
        "\xEF\xBB\xBF#Software: Microsoft Exchange Server\r\n"
        "#Version: 15.02.2562.046\r\n"
        "#Log-type: OAB Generator Log\r\n"
        "#Date: 2021-03-03T00:00:00.000Z\r\n"
        "#Fields: DateTime,ProcessId,ThreadId,Level,Message\r\n"
        "2021-03-03T00:05:00.114Z,6120,14,Information,OABGen: starting generation.\r\n";
    exh_buf_reset(&b);
    exh_buf_adds(&b, oab_head);
    exh_buf_adds(&b, "2021-03-03T02:16:03.455Z,6120,22,Warning,Download failed and temporary file "
                     "'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx' needs to be removed.\r\n");
    scan_buf(&s, OAB_NAME, &b);
    FOUND(&s, "EXH-PL-007");
    f = first(&s, "EXH-PL-007");
    if (f) {
        CHECK_EQ_STR(f->evidence, "C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx");
        CHECK_EQ_INT(f->line, 7);
        CHECK_EQ_STR(f->dataset, "exchange.oab_generator");
    }
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    exh_result_release(&s.r);

    /* the legitimate temporary folder */
    exh_buf_reset(&b);
    exh_buf_adds(&b, oab_head);
    exh_buf_adds(
        &b,
        "2021-03-03T02:16:03.455Z,6120,22,Warning,Download failed and temporary file "
        "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\a\\oab.xml' "
        "needs to be removed.\r\n");
    scan_buf(&s, OAB_NAME, &b);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    exh_result_release(&s.r);

    /* a UNC path and a ".." escape from the OAB folder */
    exh_buf_reset(&b);
    exh_buf_adds(&b, oab_head);
    exh_buf_adds(&b,
                 "2021-03-03T02:16:03.455Z,6120,22,Warning,Download failed and temporary file "
                 "'\\\\198.51.100.5\\share\\oab.xml' needs to be removed.\r\n"
                 "2021-03-03T02:16:04.455Z,6120,22,Warning,Download failed and temporary file "
                 "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\..\\..\\"
                 "FrontEnd\\HttpProxy\\owa\\auth\\x.txt' needs to be removed.\r\n");
    scan_buf(&s, OAB_NAME, &b);
    FOUND(&s, "EXH-PL-007 EXH-PL-007");
    exh_result_release(&s.r);

    /* a web-script name inside the OAB folder, hidden by what Windows strips
     * from the end of a file name (dots and spaces): the file written is
     * still x.aspx (det_proxylogon.c: "a web-script file name anywhere").
     * BUG (det_proxylogon.c web_script_name / oab_path_legit): the extension
     * test is a plain suffix match, so "x.aspx." and "x.aspx " pass as
     * legitimate temporary files and nothing is reported. */
    exh_buf_reset(&b);
    exh_buf_adds(&b, oab_head);
    exh_buf_adds(&b,
                 "2021-03-03T02:16:03.455Z,6120,22,Warning,Download failed and temporary file "
                 "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\x.aspx.' "
                 "needs to be removed.\r\n"
                 "2021-03-03T02:16:04.455Z,6120,22,Warning,Download failed and temporary file "
                 "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\y.aspx ' "
                 "needs to be removed.\r\n");
    scan_buf(&s, OAB_NAME, &b);
    FOUND(&s, "EXH-PL-007 EXH-PL-007");
    exh_result_release(&s.r);

    exh_buf_release(&b);
}

static void test_ioc(void)
{
    struct exh_buf b = {0};
    struct scan s;

    hp_file(&b, "", "200", "/owa/");
    exh_buf_adds(
        &b, "2021-03-03T03:00:00.000Z,r,15,2,2562,46,Owa,mail.example.com,/owa/auth/logon.aspx,,"
            "false,,\"Mozilla/5.0 (X11)\",104.140.114.110,EXCH01,200,GET,\r\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-IOC-001");
    const struct exh_finding *f = first(&s, "EXH-IOC-001");
    if (f) {
        CHECK_EQ_STR(f->source_ip, "104.140.114.110");
        CHECK_EQ_STR(f->evidence, "104.140.114.110");
        CHECK_EQ_INT(f->line, 10);
    }
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_TARGETED);
    CHECK_EQ_INT(s.r.sum.exit_code, 1);
    exh_result_release(&s.r);

    /* the address inside a longer number is not the address */
    static const char *const near[] = {"104.140.114.1105", "1104.140.114.110", "104.140.114.110.7",
                                       "2104.140.114.110", "104.140.114.1100"};
    for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
        hp_file(&b, "", "200", "/owa/");
        exh_buf_addf(
            &b,
            "2021-03-03T03:00:00.000Z,r,15,2,2562,46,Owa,mail.example.com,/owa/,,false,,x,%s,"
            "EXCH01,200,GET,\r\n",
            near[i]);
        T_CTX(near[i]);
        scan_buf(&s, HP_NAME, &b);
        FOUND(&s, "");
        CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
        exh_result_release(&s.r);
    }
    T_CTX(NULL);

    /* a proxy chain and the end of a sentence still name it */
    hp_file(&b, "", "200", "/owa/");
    exh_buf_adds(&b, "2021-03-03T03:00:00.000Z,r,15,2,2562,46,Owa,mail.example.com,/owa/,,false,,x,"
                     "\"104.140.114.110, 10.0.0.1\",EXCH01,200,GET,\r\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-IOC-001");
    f = first(&s, "EXH-IOC-001");
    if (f)
        CHECK_EQ_STR(f->source_ip, "104.140.114.110");
    exh_result_release(&s.r);

    /* in an OAB log's message text too (the IOC detector reads every log) */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "#Log-type: OAB Generator Log\r\n#Fields: DateTime,Message\r\n"
                     "2021-03-03T00:00:00Z,contacted 104.140.114.110.\r\n");
    scan_buf(&s, OAB_NAME, &b);
    FOUND(&s, "EXH-IOC-001");
    exh_result_release(&s.r);
    /* glued to a label by a ':' */
    exh_buf_reset(&b);
    exh_buf_adds(&b,
                 "#Log-type: OAB Generator Log\r\n#Fields: DateTime,Message\r\n"
                 "2021-03-03T00:00:00Z,Download requested by ClientIP:104.140.114.110 failed\r\n");
    scan_buf(&s, OAB_NAME, &b);
    FOUND(&s, "EXH-IOC-001");
    exh_result_release(&s.r);

    exh_buf_release(&b);
}

static void test_verdicts(void)
{
    struct exh_buf b = {0};
    struct scan s;

    /* benign: CLEAN, exit 0, the build is known and complete */
    hp_file(&b, "SMTP:carol@corp.example.com", "200", "/owa/");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    CHECK_EQ_INT(s.r.sum.exit_code, 0);
    CHECK_EQ_STR(exh_verdict_name(s.r.sum.verdict), "CLEAN");
    CHECK(s.r.sum.has_build);
    CHECK_EQ_INT(s.r.sum.build.build, 2562);
    CHECK_EQ_INT(s.r.sum.build.rev, 46);
    CHECK(s.r.sum.build_missing == NULL);
    CHECK_EQ_INT(s.r.sum.files_read, 1);
    CHECK_EQ_INT(s.r.nerrors, 0);
    if (CHECK_EQ_INT(s.r.sum.ncoverage, 1))
        CHECK(s.r.sum.coverage[0].has_time);
    exh_result_release(&s.r);

    /* only the #Version says 15.01.2106.002 (Exchange 2016 CU18 RTM): EXPOSED */
    exh_buf_reset(&b);
    exh_buf_adds(
        &b, HP_PROLOGUE("15.01.2106.002") HP_FIELDS
        "2021-03-03T02:00:00.000Z,r1,,,,,Owa,mail.example.com,/owa/,,true,SMTP:a@corp.example.com,"
        "x,198.51.100.1,EXCH01,200,GET,\r\n");
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "EXH-EXP-001 EXH-EXP-002 EXH-EXP-003 EXH-EXP-004 EXH-EXP-007 EXH-EXP-008 "
              "EXH-EXP-009 EXH-EXP-010 EXH-EXP-011 EXH-EXP-012 EXH-EXP-013");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_EXPOSED);
    CHECK_EQ_INT(s.r.sum.exit_code, 1);
    CHECK(s.r.sum.has_build);
    CHECK_EQ_INT(s.r.sum.build.major, 15);
    CHECK_EQ_INT(s.r.sum.build.minor, 1);
    CHECK_EQ_INT(s.r.sum.build.build, 2106);
    CHECK_EQ_INT(s.r.sum.build.rev, 2);
    CHECK_EQ_STR(s.r.sum.build_name, "Exchange Server 2016 CU18");
    CHECK_EQ_STR(s.r.sum.build_source, "logs");
    CHECK(s.r.sum.build_missing &&
          !strncmp(s.r.sum.build_missing, "KB4581424,KB4593465,KB4602269,Mar21SU,Apr21SU,May21SU,",
                   54));
    CHECK_EQ_INT(s.r.sum.build_nmissing, 31);
    const struct exh_finding *f = first(&s, "EXH-EXP-001");
    if (f) {
        CHECK_EQ_STR(f->evidence, "15.1.2106.2");
        CHECK(f->message && strstr(f->message, "15.1.2106.13"));
        CHECK_EQ_STR(f->path, HP_NAME);
    }
    exh_result_release(&s.r);

    /* the rows' own version columns win over an older #Version */
    exh_buf_reset(&b);
    exh_buf_adds(&b, HP_PROLOGUE("15.01.2106.002") HP_FIELDS);
    hp_row(&b, "/owa/", "", "x", "198.51.100.1", "200", "GET"); /* rows say 15.2.2562.46 */
    scan_buf(&s, HP_NAME, &b);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_CLEAN);
    CHECK_EQ_INT(s.r.sum.build.build, 2562);
    exh_result_release(&s.r);

    /* exploitation outranks exposure */
    exh_buf_reset(&b);
    exh_buf_adds(&b, HP_PROLOGUE("15.01.2106.002") HP_FIELDS
                 "2021-03-03T02:00:00.000Z,r1,,,,,Ecp,mail.example.com,/ecp/y.js,,false,"
                 "ServerInfo~a]@EX:444/mapi/emsmdb/?#,x,203.0.113.7,EXCH01,200,POST,\r\n");
    scan_buf(&s, HP_NAME, &b);
    CHECK_EQ_INT(count(&s, "EXH-PL-003"), 1);
    CHECK_EQ_INT(count(&s, "EXH-EXP-001"), 1);
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_COMPROMISED);
    exh_result_release(&s.r);

    /* a file that should be a log but holds binary data: an error, so the
     * verdict cannot be CLEAN */
    static const char junk[] = "\x00\x01\x02garbage\x00\xff";
    run(&s, HP_NAME, junk, sizeof(junk) - 1);
    FOUND(&s, "");
    CHECK_EQ_INT(s.r.nerrors, 1);
    if (s.r.nerrors)
        CHECK_EQ_INT(s.r.errors[0].code, EXH_ERR_NOT_LOG);
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_INCOMPLETE);
    CHECK_EQ_INT(s.r.sum.exit_code, 2);
    exh_result_release(&s.r);

    /* empty input and a prologue-only file */
    run(&s, HP_NAME, "", 0);
    FOUND(&s, "");
    CHECK(s.r.sum.exit_code == 0 || s.r.sum.exit_code == 2);
    exh_result_release(&s.r);
    run(&s, HP_NAME, HP_PROLOGUE("15.02.2562.046") HP_FIELDS,
        strlen(HP_PROLOGUE("15.02.2562.046") HP_FIELDS));
    FOUND(&s, "");
    exh_result_release(&s.r);

    exh_buf_release(&b);
}

/* The autodiscover SSRF shapes in an IIS log alone (no build known): labelled by
 * the account, and a source's NTLM 401s follow its authenticated requests. */
static void test_chains_iis(void)
{
    struct scan s;
    const char *head =
        "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n"
        "#Date: 2022-10-05 14:00:00\r\n"
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n";
    const char *name = "inetpub/logs/LogFiles/W3SVC1/u_ex221005.log";
    struct exh_buf b = {0};
    /* ProxyNotShell through NTLM: a 401 without a user, then the same with one */
    exh_buf_adds(&b, head);
    exh_buf_adds(
        &b, "2022-10-05 14:02:10 10.10.0.25 GET /autodiscover/autodiscover.json "
            "x@y.example/mapi/nspi/ 443 - 198.51.100.23 Mozilla/5.0 - 401 0 0 15\r\n"
            "2022-10-05 14:02:10 10.10.0.25 GET /autodiscover/autodiscover.json "
            "x@y.example/mapi/nspi/ 443 CORP\\dave 198.51.100.23 Mozilla/5.0 - 200 0 0 15\r\n");
    run(&s, name, b.p, b.n);
    CHECK_EQ_INT(count(&s, "EXH-PNS-001"), 1);
    CHECK_EQ_INT(count(&s, "EXH-PNS-002"), 1);
    CHECK_EQ_INT(count(&s, "EXH-PS-001") + count(&s, "EXH-PS-002"), 0);
    exh_result_release(&s.r);
    /* no account anywhere: ProxyShell; a 302 is OWA's redirect, not an answer */
    exh_buf_reset(&b);
    exh_buf_adds(&b, head);
    exh_buf_adds(&b, "2022-10-05 14:03:00 10.10.0.25 GET /autodiscover/autodiscover.json "
                     "a@foo.var/owa/?&Email=autodiscover/autodiscover.json?a@foo.var&Protocol=XYZ "
                     "443 - 203.0.113.99 Mozilla/5.0 - 302 0 0 15\r\n");
    run(&s, name, b.p, b.n);
    CHECK_EQ_INT(count(&s, "EXH-PS-001"), 1);
    CHECK_EQ_INT(s.r.sum.verdict, EXH_VERDICT_TARGETED);
    exh_result_release(&s.r);
    /* the ProxyNotShell PoC's path form: '@' in the path, '//' before powershell */
    exh_buf_reset(&b);
    exh_buf_adds(&b, head);
    exh_buf_adds(&b, "2022-10-05 16:20:01 10.10.0.25 POST "
                     "/autodiscover/admin@localhost//powershell/autodiscover.json "
                     "x=a 443 CORP\\dave 198.51.100.23 Mozilla/5.0 - 200 0 0 15\r\n");
    run(&s, name, b.p, b.n);
    CHECK_EQ_INT(count(&s, "EXH-PNS-002"), 1);
    exh_result_release(&s.r);
    /* Outlook's own autodiscover.json with an address: nothing */
    exh_buf_reset(&b);
    exh_buf_adds(&b, head);
    exh_buf_adds(&b, "2022-10-05 08:00:01 10.10.0.25 GET "
                     "/autodiscover/autodiscover.json/v1.0/alice@corp.example.com "
                     "Protocol=AutodiscoverV1&RedirectCount=1 443 - 198.51.100.40 Outlook-iOS/2.0 "
                     "- 200 0 0 15\r\n");
    run(&s, name, b.p, b.n);
    CHECK_EQ_INT(s.r.nfindings, 0);
    exh_result_release(&s.r);
    exh_buf_release(&b);
}

int main(void)
{
    T_RUN(test_httpproxy);
    T_RUN(test_layouts);
    T_RUN(test_ecp_oab);
    T_RUN(test_ioc);
    T_RUN(test_verdicts);
    T_RUN(test_chains_iis);
    return T_DONE("unit-detect");
}
