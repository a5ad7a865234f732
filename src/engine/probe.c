/* probe.c: `exhunt probe`, one small state machine per target on one batch
 * of non-blocking HTTP requests (http.h):
 *   1. GET /owa/ (redirects followed on the same host only, at most 5): the
 *      X-OWA-Version header, the logon page's /owa/auth/<build>/ paths;
 *   2. unless a full build is known: GET the ECP export tool's ClickOnce
 *      manifest (its assemblyIdentity carries the full build);
 *   3. --check proxylogon: GET /owa/auth/x.js with the X-AnonResource-Backend
 *      and X-BEResource cookies of Microsoft's nmap script (vulnerable when
 *      the answer names localhost in X-CalculatedBETarget);
 *   4. --check proxyshell: GET the autodiscover.json path-confusion URL of
 *      the public nmap script (vulnerable when answered 302 to /owa/);
 * then the build is judged by exh_exposure_judge() as the scan judges it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/os.h"
#include "exh/probe.h"
#include "exh/banned.h"

enum { STEP_OWA, STEP_ECP, STEP_PL, STEP_PS, STEP_DONE };

#define MAX_REDIRECTS 5
#define URL_MAX 2048

static const char PATH_OWA[] = "/owa/";
static const char PATH_ECP[] =
    "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application";
static const char PATH_PL[] = "/owa/auth/x.js";
static const char COOKIE_PL[] = "Cookie: X-AnonResource=true; "
                                "X-AnonResource-Backend=localhost/ecp/default.flt?~3; "
                                "X-BEResource=localhost/owa/auth/logon.aspx?~3;";
static const char PATH_PS[] = "/autodiscover/autodiscover.json?@test.com/owa/?&Email=autodiscover/"
                              "autodiscover.json%3F@test.com";

struct ctx {
    const struct exh_probe_opts *o;
    struct exh_probe_result *res;
    size_t done;
    struct exh_http *h;
};

const char *exh_probe_check_name(enum exh_probe_check c)
{
    switch (c) {
    case EXH_CHECK_VULNERABLE:
        return "vulnerable";
    case EXH_CHECK_NOT_VULNERABLE:
        return "not_vulnerable";
    case EXH_CHECK_UNKNOWN:
        return "unknown";
    case EXH_CHECK_NOT_RUN:
        break;
    }
    return "not_run";
}

void exh_probe_opts_init(struct exh_probe_opts *o)
{
    memset(o, 0, sizeof(*o));
    exh_http_opts_init(&o->http);
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* major.minor.build[.rev] at p (at most n bytes); the parts read, 0 if not a build */
static int parse_version(const char *p, size_t n, struct exh_build *out, size_t *used)
{
    uint32_t v[4] = {0};
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        size_t start = i;
        uint64_t x = 0;
        while (i < n && is_digit((unsigned char)p[i]) && i - start < 6)
            x = x * 10 + (uint64_t)(p[i++] - '0');
        if (i == start)
            break;
        v[parts++] = (uint32_t)x;
        if (i < n && p[i] == '.' && parts < 4 && i + 1 < n && is_digit((unsigned char)p[i + 1]))
            i++;
        else
            break;
    }
    if (parts < 3 || v[0] < 14 || v[0] > 15 || v[1] > 9)
        return 0;
    out->major = v[0];
    out->minor = v[1];
    out->build = v[2];
    out->rev = parts == 4 ? v[3] : 0;
    if (used)
        *used = i;
    return parts;
}

int exh_probe_build_header(const char *v, size_t n, struct exh_build *out)
{
    size_t used = 0;
    int parts = parse_version(v, n, out, &used);
    return parts && used == n ? parts : 0;
}

static const char *find_ci(const char *h, size_t n, const char *needle)
{
    return exh_find_ci(h, n, needle, strlen(needle));
}

int exh_probe_build_page(const char *body, size_t n, struct exh_build *out)
{
    /* /owa/auth/15.1.2507/themes/... or /owa/15.1.2507.16/scripts/...: the
     * most precise one found wins */
    int best = 0;
    for (const char *p = body, *e = body + n; (p = find_ci(p, (size_t)(e - p), "/owa/")); p++) {
        const char *q = p + 5;
        if (find_ci(q, (size_t)(e - q) < 5 ? (size_t)(e - q) : 5, "auth/"))
            q += 5;
        struct exh_build b;
        size_t used = 0;
        int parts = parse_version(q, (size_t)(e - q), &b, &used);
        if (parts > best && q + used < e && q[used] == '/') {
            best = parts;
            *out = b;
            if (best == 4)
                break;
        }
    }
    return best;
}

int exh_probe_build_manifest(const char *body, size_t n, struct exh_build *out)
{
    for (const char *p = body, *e = body + n;
         (p = find_ci(p, (size_t)(e - p), "<assemblyIdentity")); p++) {
        const char *end = memchr(p, '>', (size_t)(e - p));
        if (!end)
            return 0;
        const char *v = find_ci(p, (size_t)(end - p), " version=\"");
        if (!v)
            continue;
        v += 10;
        size_t used = 0;
        int parts = parse_version(v, (size_t)(end - v), out, &used);
        if (parts == 4 && v + used < end && v[used] == '"' && out->major == 15)
            return 4;
    }
    return 0;
}

static bool host_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
           c == '.' || c == '_';
}

bool exh_probe_parse_target(const char *t, char scheme[8], char host[256], int *port)
{
    const char *p = t;
    int def = 443;
    snprintf(scheme, 8, "https");
    if (!strncmp(p, "https://", 8)) {
        p += 8;
    } else if (!strncmp(p, "http://", 7)) {
        p += 7;
        snprintf(scheme, 8, "http");
        def = 80;
    } else if (strstr(p, "://")) {
        return false;
    }
    size_t n = strcspn(p, "/?#");
    const char *hp = p, *rest = NULL;
    size_t hn;
    if (*p == '[') {
        const char *e = memchr(p, ']', n);
        if (!e)
            return false;
        hp = p + 1;
        hn = (size_t)(e - hp);
        rest = e + 1;
        for (size_t i = 0; i < hn; i++) {
            unsigned char c = exh_lc((unsigned char)hp[i]);
            if (!(is_digit(c) || (c >= 'a' && c <= 'f') || c == ':' || c == '.'))
                return false;
        }
    } else {
        hn = strcspn(p, ":/?#");
        rest = p + hn;
        for (size_t i = 0; i < hn; i++)
            if (!host_char((unsigned char)hp[i]))
                return false;
    }
    if (!hn || hn >= 256)
        return false;
    memcpy(host, hp, hn);
    host[hn] = '\0';
    *port = def;
    if (*rest == ':') {
        long v = 0;
        size_t i = 1;
        while (is_digit((unsigned char)rest[i]) && v <= 65535)
            v = v * 10 + (rest[i++] - '0');
        if (i == 1 || v < 1 || v > 65535 || !(rest[i] == '\0' || strchr("/?#", rest[i])))
            return false;
        *port = (int)v;
        if (def == 443 && v == 80 && strncmp(t, "https://", 8) != 0)
            snprintf(scheme, 8, "http"); /* host:80 means plain HTTP */
    } else if (*rest && !strchr("/?#", *rest)) {
        return false;
    }
    return true;
}

static void base_url(struct exh_probe_target *t)
{
    char b[URL_MAX];
    bool v6 = strchr(t->host, ':') != NULL;
    bool dflt = (!strcmp(t->scheme, "https") && t->port == 443) ||
                (!strcmp(t->scheme, "http") && t->port == 80);
    if (dflt)
        snprintf(b, sizeof(b), "%s://%s%s%s", t->scheme, v6 ? "[" : "", t->host, v6 ? "]" : "");
    else
        snprintf(b, sizeof(b), "%s://%s%s%s:%d", t->scheme, v6 ? "[" : "", t->host, v6 ? "]" : "",
                 t->port);
    t->url = exh_xstrdup(b);
}

static void add_error(struct exh_probe_target *t, const char *code, const char *url,
                      const char *fmt, const char *detail)
{
    t->errors = exh_xrealloc(t->errors, (t->nerrors + 1) * sizeof(*t->errors));
    struct exh_probe_error *e = &t->errors[t->nerrors++];
    struct exh_buf b = {0};
    exh_buf_addf(&b, fmt, detail);
    e->code = code;
    e->message = b.p;
    e->url = url ? exh_xstrdup(url) : NULL;
}

static void add_finding(struct exh_probe_target *t, enum exh_rule_sym rule, const char *msg,
                        const char *evidence, const char *url, int status)
{
    t->findings = exh_xrealloc(t->findings, (t->nfindings + 1) * sizeof(*t->findings));
    struct exh_probe_finding *f = &t->findings[t->nfindings++];
    f->rule = &exh_rules[rule];
    f->message = exh_xstrdup(msg);
    f->evidence = evidence ? exh_xstrdup(evidence) : NULL;
    f->url = exh_xstrdup(url);
    f->status = status;
}

static void send_req(struct ctx *c, struct exh_probe_target *t, const char *url,
                     const char *const *headers)
{
    struct exh_http_req rq = {url, "GET", headers, t};
    t->pending_++;
    exh_http_add(c->h, &rq);
}

static void send_path(struct ctx *c, struct exh_probe_target *t, int kind, const char *path,
                      const char *const *headers)
{
    t->kind_ = kind;
    char u[URL_MAX];
    snprintf(u, sizeof(u), "%s%s", t->url, path);
    send_req(c, t, u, headers);
}

static void set_build(struct exh_probe_target *t, const struct exh_build *b, int parts,
                      const char *source)
{
    if (parts <= t->build_parts)
        return;
    t->has_build = true;
    t->build = *b;
    t->build_parts = parts;
    t->build_source = source;
    t->exchange = true;
}

static const char *const exchange_headers[] = {"X-OWA-Version",        "X-FEServer",
                                               "X-CalculatedBETarget", "X-BEServer",
                                               "X-DiagInfo",           "request-id"};

/* Exchange's own marks in an answer (not request-id alone: other Microsoft
 * servers send it too). */
static bool exchange_marks(const struct exh_http_resp *rs)
{
    const char *v;
    size_t vn;
    for (size_t i = 0; i + 1 < sizeof(exchange_headers) / sizeof(exchange_headers[0]); i++)
        if (exh_http_header(rs->headers, rs->headers_n, exchange_headers[i], &v, &vn))
            return true;
    if (exh_http_header(rs->headers, rs->headers_n, "Location", &v, &vn) &&
        find_ci(v, vn, "/owa/auth/logon.aspx"))
        return true;
    return find_ci(rs->body, rs->body_n, "/owa/auth/") != NULL;
}

/* Where a redirect goes, when it stays on the target's host: the URL to
 * follow, in out. False when it leaves (or is not understood). */
static bool same_host_location(const struct exh_probe_target *t, const char *cur, const char *v,
                               size_t vn, char out[URL_MAX])
{
    if (vn >= URL_MAX - 300)
        return false;
    char loc[URL_MAX];
    memcpy(loc, v, vn);
    loc[vn] = '\0';
    for (size_t i = 0; i < vn; i++)
        if ((unsigned char)loc[i] <= ' ' || loc[i] == 0x7f)
            return false;
    if (!strncmp(loc, "http://", 7) || !strncmp(loc, "https://", 8)) {
        char scheme[8], host[256];
        int port;
        if (!exh_probe_parse_target(loc, scheme, host, &port))
            return false;
        size_t hn = strlen(host);
        if (hn != strlen(t->host))
            return false;
        for (size_t i = 0; i < hn; i++)
            if (exh_lc((unsigned char)host[i]) != exh_lc((unsigned char)t->host[i]))
                return false;
        snprintf(out, URL_MAX, "%s", loc);
        return true;
    }
    if (loc[0] == '/' && loc[1] == '/')
        return false; /* scheme-relative: another authority */
    if (loc[0] == '/') {
        snprintf(out, URL_MAX, "%s%s", t->url, loc);
        return true;
    }
    /* relative to the current URL's folder */
    const char *path = strstr(cur, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return false;
    size_t dn = (size_t)(slash - cur), ln = strlen(loc);
    if (dn + 1 + ln >= URL_MAX)
        return false;
    memcpy(out, cur, dn);
    out[dn] = '/';
    memcpy(out + dn + 1, loc, ln + 1);
    return true;
}

static void next_step(struct ctx *c, struct exh_probe_target *t);

static void on_owa(struct ctx *c, struct exh_probe_target *t, const struct exh_http_req *rq,
                   const struct exh_http_resp *rs)
{
    if (rs->fail != EXH_HTTP_OK) {
        char m[600];
        snprintf(m, sizeof(m), "GET %.300s: %s", rq->url, rs->error);
        add_error(t, exh_http_fail_name(rs->fail), rq->url, "%s", m);
        t->step_ = STEP_DONE; /* unreachable or not HTTP: nothing more to ask */
        return;
    }
    if (!t->status)
        t->status = rs->status;
    if (rs->status != 0 && exchange_marks(rs))
        t->exchange = true;
    const char *v;
    size_t vn;
    struct exh_build b;
    int parts;
    if (exh_http_header(rs->headers, rs->headers_n, "X-OWA-Version", &v, &vn) &&
        (parts = exh_probe_build_header(v, vn, &b)))
        set_build(t, &b, parts, "X-OWA-Version header");
    if ((parts = exh_probe_build_page(rs->body, rs->body_n, &b)))
        set_build(t, &b, parts, "OWA logon page");
    if (rs->status >= 300 && rs->status < 400 &&
        exh_http_header(rs->headers, rs->headers_n, "Location", &v, &vn)) {
        char next[URL_MAX];
        if (!same_host_location(t, rq->url, v, vn, next)) {
            char m[600];
            snprintf(m, sizeof(m),
                     "GET %.200s was redirected to %.*s: not followed off the "
                     "target host",
                     rq->url, (int)(vn > 300 ? 300 : vn), v);
            add_error(t, "redirect", rq->url, "%s", m);
        } else if (t->redirects_ >= MAX_REDIRECTS) {
            add_error(t, "redirect", rq->url,
                      "GET %.300s: more than 5 redirects, not followed further", rq->url);
        } else if (t->build_parts < 4) {
            t->redirects_++;
            send_req(c, t, next, NULL);
            return; /* still the OWA step */
        }
    }
    t->step_ = STEP_ECP;
}

static void on_ecp(struct exh_probe_target *t, const struct exh_http_req *rq,
                   const struct exh_http_resp *rs)
{
    if (rs->fail != EXH_HTTP_OK) {
        char m[600];
        snprintf(m, sizeof(m), "GET %.300s: %s", rq->url, rs->error);
        add_error(t, exh_http_fail_name(rs->fail), rq->url, "%s", m);
        return;
    }
    struct exh_build b;
    if (rs->status == 200 && exh_probe_build_manifest(rs->body, rs->body_n, &b))
        set_build(t, &b, 4, "ECP export tool manifest");
    else if (exchange_marks(rs))
        t->exchange = true;
}

static void on_pl(struct exh_probe_target *t, const struct exh_http_req *rq,
                  const struct exh_http_resp *rs)
{
    if (rs->fail != EXH_HTTP_OK) {
        char m[600];
        snprintf(m, sizeof(m), "ProxyLogon check, GET %.300s: %s", rq->url, rs->error);
        add_error(t, exh_http_fail_name(rs->fail), rq->url, "%s", m);
        t->proxylogon = EXH_CHECK_UNKNOWN;
        return;
    }
    const char *v;
    size_t vn;
    if (exh_http_header(rs->headers, rs->headers_n, "X-CalculatedBETarget", &v, &vn) &&
        find_ci(v, vn, "localhost")) {
        char ev[300];
        snprintf(ev, sizeof(ev), "X-CalculatedBETarget: %.*s", (int)(vn > 200 ? 200 : vn), v);
        char m[700];
        snprintf(m, sizeof(m),
                 "The server proxied the ProxyLogon check request to the back end "
                 "named in its cookie (answered HTTP %d with %s)",
                 rs->status, ev);
        add_finding(t, EXH_RULE_PROBE_PROXYLOGON, m, ev, rq->url, rs->status);
        t->proxylogon = EXH_CHECK_VULNERABLE;
    } else {
        t->proxylogon = EXH_CHECK_NOT_VULNERABLE;
    }
}

static void on_ps(struct exh_probe_target *t, const struct exh_http_req *rq,
                  const struct exh_http_resp *rs)
{
    if (rs->fail != EXH_HTTP_OK) {
        char m[600];
        snprintf(m, sizeof(m), "ProxyShell check, GET %.300s: %s", rq->url, rs->error);
        add_error(t, exh_http_fail_name(rs->fail), rq->url, "%s", m);
        t->proxyshell = EXH_CHECK_UNKNOWN;
        return;
    }
    const char *v;
    size_t vn;
    if (rs->status == 302 && exh_http_header(rs->headers, rs->headers_n, "Location", &v, &vn) &&
        find_ci(v, vn, "/owa/")) {
        char ev[300];
        snprintf(ev, sizeof(ev), "HTTP 302, Location: %.*s", (int)(vn > 200 ? 200 : vn), v);
        add_finding(t, EXH_RULE_PROBE_PROXYSHELL,
                    "The autodiscover path-confusion request of the ProxyShell check reached "
                    "OWA on the back end (answered 302 to /owa/)",
                    ev, rq->url, rs->status);
        t->proxyshell = EXH_CHECK_VULNERABLE;
    } else if (rs->status == 400 || rs->status == 403 || rs->status == 404) {
        t->proxyshell = EXH_CHECK_NOT_VULNERABLE;
    } else {
        t->proxyshell = EXH_CHECK_UNKNOWN;
        char m[200];
        snprintf(m, sizeof(m),
                 "ProxyShell check: HTTP %d is neither the vulnerable answer "
                 "(302 to /owa/) nor a refusal (400, 403, 404)",
                 rs->status);
        add_error(t, "unclear", rq->url, "%s", m);
    }
}

/* Remove every occurrence of cut from s. */
static void cut_all(char *s, const char *cut)
{
    size_t k = strlen(cut);
    for (char *p; (p = strstr(s, cut));)
        memmove(p, p + k, strlen(p + k) + 1);
}

/* With only the CU visible the build was judged as revision 0: say
 * "15.1.2507" where the judgement says "15.1.2507.0", without "(build not in
 * the catalogue)". */
static void cu_only_text(char *s, const struct exh_build *b)
{
    char v[48];
    snprintf(v, sizeof(v), "%u.%u.%u.0", b->major, b->minor, b->build);
    size_t k = strlen(v);
    for (char *p = s; (p = strstr(p, v));) {
        if (p[k] >= '0' && p[k] <= '9') {
            p += k;
            continue;
        }
        memmove(p + k - 2, p + k, strlen(p + k) + 1);
        p += k - 2;
    }
    cut_all(s, " (build not in the catalogue)");
}

static void judge(struct ctx *c, struct exh_probe_target *t)
{
    char ver[64];
    snprintf(ver, sizeof(ver), "%u.%u.%u%s", t->build.major, t->build.minor, t->build.build, "");
    if (t->build_parts == 4)
        snprintf(ver, sizeof(ver), "%u.%u.%u.%u", t->build.major, t->build.minor, t->build.build,
                 t->build.rev);
    if (t->has_build) {
        struct exh_exposure *x = exh_xcalloc(1, sizeof(*x));
        char seen[96];
        snprintf(seen, sizeof(seen), "the %s", t->build_source);
        if (exh_exposure_judge(&t->build, seen, c->o->now_ms, NULL, x)) {
            t->judged = true;
            if (t->build_parts < 4) {
                cu_only_text(x->name, &t->build);
                for (size_t i = 0; i < x->nitems; i++)
                    cu_only_text(x->items[i].message, &t->build);
            }
            snprintf(t->build_name, sizeof(t->build_name), "%s", x->name);
            snprintf(t->build_date, sizeof(t->build_date), "%s", x->date);
            snprintf(t->newest_update, sizeof(t->newest_update), "%s", x->newest_update);
            snprintf(t->support_end, sizeof(t->support_end), "%s",
                     x->support_end ? x->support_end : "");
            t->support = x->support;
            t->newer = x->newer;
            if (t->build_parts == 4) {
                t->nmissing = x->nmissing;
                t->missing = x->missing[0] ? exh_xstrdup(x->missing) : NULL;
            }
            char ev[160];
            snprintf(ev, sizeof(ev), "build %s (%s)", ver, t->build_source);
            for (size_t i = 0; i < x->nitems; i++) {
                const struct exh_exp_item *it = &x->items[i];
                /* with only the CU visible, a fix released for this same CU may
                 * be installed: only what the CU can never have is certain */
                if (t->build_parts < 4 && it->has_fix && it->fix.minor == t->build.minor &&
                    it->fix.build == t->build.build)
                    continue;
                add_finding(t, it->rule, it->message, ev, t->url, -1);
            }
        } else {
            char m[200];
            snprintf(m, sizeof(m),
                     "The server shows build %s, which is not Exchange 2013, 2016, "
                     "2019 or SE: exhunt does not judge it",
                     ver);
            add_finding(t, EXH_RULE_PROBE_NO_BUILD, m, ver, t->url, -1);
        }
        free(x);
        if (t->build_parts < 4) {
            char m[300];
            snprintf(m, sizeof(m),
                     "Only the cumulative update is visible (%s from the %s); "
                     "which security update is installed is not",
                     ver, t->build_source);
            add_finding(t, EXH_RULE_PROBE_CU_ONLY, m, ver, t->url, -1);
        }
    } else if (t->exchange) {
        add_finding(t, EXH_RULE_PROBE_NO_BUILD,
                    "The server answers like Exchange but shows its build neither in "
                    "X-OWA-Version, nor in the OWA page, nor in the export tool manifest",
                    NULL, t->url, -1);
    } else if (t->status) {
        add_error(t, "not_exchange", t->url, "%s",
                  "the server answers HTTP but not like Exchange (no OWA, no Exchange headers)");
    }
    if (t->tls.used && !t->tls.verified) {
        char m[400];
        snprintf(m, sizeof(m), "The TLS certificate is not trusted here: %s (subject %.150s)",
                 t->tls.verify_error[0] ? t->tls.verify_error : "not verified", t->tls.subject);
        add_finding(t, EXH_RULE_PROBE_TLS_UNVERIFIED, m, t->tls.issuer, t->url, -1);
    }

    bool exposed = false;
    for (size_t i = 0; i < t->nfindings; i++)
        exposed |= t->findings[i].rule->sev > EXH_SEV_INFO;
    bool check_unknown = t->proxylogon == EXH_CHECK_UNKNOWN || t->proxyshell == EXH_CHECK_UNKNOWN;
    if (exposed) {
        t->verdict = EXH_VERDICT_EXPOSED;
        t->reason = "a missing security update, an ended product line, or a check the server "
                    "answered as vulnerable";
    } else if (!t->status) {
        t->verdict = EXH_VERDICT_INCOMPLETE;
        t->reason = "the server could not be reached or gave no usable HTTP answer";
    } else if (!t->exchange) {
        t->verdict = EXH_VERDICT_INCOMPLETE;
        t->reason = "the server does not answer like Exchange";
    } else if (!t->has_build) {
        t->verdict = EXH_VERDICT_INCOMPLETE;
        t->reason = "the server answers like Exchange but does not show its build";
    } else if (!t->judged) {
        t->verdict = EXH_VERDICT_INCOMPLETE;
        t->reason = "the build is not one exhunt judges";
    } else if (t->build_parts < 4) {
        t->verdict = EXH_VERDICT_INCOMPLETE;
        t->reason = "only the cumulative update is visible, not its security update level";
    } else if (check_unknown) {
        t->verdict = EXH_VERDICT_INCOMPLETE;
        t->reason = "a check that was asked for got no clear answer";
    } else {
        t->verdict = EXH_VERDICT_CLEAN;
        t->reason = t->newer ? "the build is newer than every build exhunt knows"
                             : "the build has every security update exhunt knows of";
    }
}

static void finish_target(struct ctx *c, struct exh_probe_target *t)
{
    judge(c, t);
    t->elapsed_ms = exh_os_mono_ms() - t->started_;
    c->done++;
}

/* Send the next step's request, or judge the target when there is none. */
static void next_step(struct ctx *c, struct exh_probe_target *t)
{
    for (;;) {
        switch (t->step_) {
        case STEP_OWA:
            t->started_ = exh_os_mono_ms();
            send_path(c, t, STEP_OWA, PATH_OWA, NULL);
            return;
        case STEP_ECP:
            t->step_ = STEP_PL;
            if (t->build_parts < 4) {
                send_path(c, t, STEP_ECP, PATH_ECP, NULL);
                return;
            }
            break;
        case STEP_PL:
            t->step_ = STEP_PS;
            if (c->o->check_proxylogon) {
                if (t->exchange) {
                    static const char *const h[] = {COOKIE_PL, NULL};
                    send_path(c, t, STEP_PL, PATH_PL, h);
                    return;
                }
            }
            break;
        case STEP_PS:
            t->step_ = STEP_DONE;
            if (c->o->check_proxyshell && t->exchange) {
                send_path(c, t, STEP_PS, PATH_PS, NULL);
                return;
            }
            break;
        default:
            finish_target(c, t);
            return;
        }
    }
}

static void on_done(void *ud, const struct exh_http_req *rq, const struct exh_http_resp *rs)
{
    struct ctx *c = ud;
    struct exh_probe_target *t = rq->ud;
    t->pending_--;
    if (!t->ip[0] && rs->ip[0])
        snprintf(t->ip, sizeof(t->ip), "%s", rs->ip);
    if (!t->tls.used && rs->tls.used)
        t->tls = rs->tls;
    switch (t->kind_) {
    case STEP_OWA:
        on_owa(c, t, rq, rs);
        if (t->pending_)
            return; /* a redirect is being followed */
        break;
    case STEP_ECP:
        on_ecp(t, rq, rs);
        break;
    case STEP_PL:
        on_pl(t, rq, rs);
        break;
    case STEP_PS:
        on_ps(t, rq, rs);
        break;
    }
    next_step(c, t);
}

static void on_tick(void *ud, size_t started, size_t done, size_t in_flight)
{
    struct ctx *c = ud;
    (void)started;
    (void)done;
    if (c->o->progress)
        c->o->progress(c->o->progress_ud, c->done, c->res->ntargets, in_flight);
}

enum exh_err exh_probe(const struct exh_probe_opts *o, struct exh_probe_result *out)
{
    memset(out, 0, sizeof(*out));
    if (!exh_http_available())
        return EXH_ERR_USAGE;
    out->started_ms = exh_os_now_ms();
    int64_t t0 = exh_os_mono_ms();
    struct ctx c = {o, out, 0, exh_http_new(&o->http)};
    if (!c.h)
        return EXH_ERR_USAGE;
    out->targets = exh_xcalloc(o->ntargets ? o->ntargets : 1, sizeof(*out->targets));
    out->ntargets = o->ntargets;
    for (size_t i = 0; i < o->ntargets; i++) {
        struct exh_probe_target *t = &out->targets[i];
        t->input = exh_xstrdup(o->targets[i]);
        if (!exh_probe_parse_target(t->input, t->scheme, t->host, &t->port)) {
            t->url = exh_xstrdup(t->input);
            add_error(t, "target", NULL,
                      "'%s' is not a target (host, host:port, [IPv6]:port or an http(s) URL)",
                      t->input);
            t->step_ = STEP_DONE;
            finish_target(&c, t);
            continue;
        }
        base_url(t);
        t->step_ = STEP_OWA;
        next_step(&c, t);
    }
    exh_http_run(c.h, on_done, on_tick, &c);
    exh_http_free(c.h);
    for (size_t i = 0; i < out->ntargets; i++) {
        const struct exh_probe_target *t = &out->targets[i];
        out->exposed += t->verdict == EXH_VERDICT_EXPOSED;
        out->clean += t->verdict == EXH_VERDICT_CLEAN;
        out->incomplete += t->verdict == EXH_VERDICT_INCOMPLETE;
        for (size_t j = 0; j < t->nfindings; j++) {
            out->findings++;
            out->by_sev[t->findings[j].rule->sev]++;
        }
    }
    out->verdict = out->exposed      ? EXH_VERDICT_EXPOSED
                   : out->incomplete ? EXH_VERDICT_INCOMPLETE
                                     : EXH_VERDICT_CLEAN;
    out->exit_code = exh_verdict_exit_code(out->verdict);
    out->elapsed_ms = exh_os_mono_ms() - t0;
    return EXH_OK;
}

void exh_probe_result_release(struct exh_probe_result *r)
{
    for (size_t i = 0; i < r->ntargets; i++) {
        struct exh_probe_target *t = &r->targets[i];
        for (size_t j = 0; j < t->nfindings; j++) {
            free(t->findings[j].message);
            free(t->findings[j].evidence);
            free(t->findings[j].url);
        }
        free(t->findings);
        for (size_t j = 0; j < t->nerrors; j++) {
            free(t->errors[j].message);
            free(t->errors[j].url);
        }
        free(t->errors);
        free(t->input);
        free(t->url);
        free(t->missing);
    }
    free(r->targets);
    memset(r, 0, sizeof(*r));
}
