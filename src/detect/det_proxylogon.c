/* det_proxylogon.c: the ProxyLogon chain in Exchange's own logs.
 *
 * HttpProxy (CVE-2021-26855): rows whose AnchorMailbox is ServerInfo~<x>/<path>
 * were routed to a back-end path chosen by an anonymous client. Graded by
 * the path: autodiscover only (attempt), another path (attempt, as
 * Test-ProxyLogon reports it), mapi/emsmdb or ecp/proxyLogon.ecp
 * (exploitation), another back-end endpoint answered 200 (exploitation:
 * mailbox access through EWS), DDIService GetObject/SetObject (exploitation),
 * Reset...VirtualDirectory with HTTP 200 (web shell written). localhost
 * probes and export-tool version requests are scanner noise.
 * ECP Server (CVE-2021-27065): Set-*VirtualDirectory with markup in a *Url
 * parameter. OAB generator (CVE-2021-26858): a download-failure path outside
 * <Exchange>\ClientAccess\OAB\, or a web-script file name anywhere.
 * IIS W3C (proxylogon_iis): the exploits' POSTs to static files and the
 * Reset...VirtualDirectory call as the request reaches the back end, and the
 * scanners' x.js and export-tool probes (request.h: the order in which the
 * request detectors claim a request). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "request.h"
#include "exh/banned.h"

const char *const exh_det_proxylogon_httpproxy_needles[] = {"serverinfo~", "serverversion~",
                                                            "exporttool", NULL};

static bool contains(struct exh_str s, const char *lit)
{
    return exh_find_ci_lit(s, lit) != NULL;
}

/* "a ... b" in order (b after a), case-insensitive. */
static bool contains_in_order(struct exh_str s, const char *a, const char *b)
{
    const char *p = exh_find_ci_lit(s, a);
    if (!p)
        return false;
    size_t skip = (size_t)(p - s.p) + strlen(a);
    return exh_find_ci_lit(exh_str_make(s.p + skip, s.n - skip), b) != NULL;
}

static void emit_http(struct exh_emitter *em, const struct exh_logrec *rec, enum exh_rule_sym rule,
                      struct exh_str anchor, const char *what)
{
    struct exh_buf url = {0};
    struct exh_hit h = {0};
    h.rule = rule;
    exh_hit_request_fields(rec, &h, &url);
    exh_emit_labelled(em, rec, &h, what, "AnchorMailbox=", anchor);
    exh_buf_release(&url);
}

/* A static resource (/ecp/default.flt, x.js, .css, images): what scanners send
 * the SSRF to (nuclei to its own callback host), not an endpoint with data. */
static bool static_file(struct exh_str path)
{
    size_t n = path.n;
    const char *q = memchr(path.p, '?', n);
    if (q)
        n = (size_t)(q - path.p);
    const char *h = memchr(path.p, '#', n);
    if (h)
        n = (size_t)(h - path.p);
    struct exh_str p = exh_str_make(path.p, n);
    return exh_ends_ci(p, ".flt") || exh_ends_ci(p, ".js") || exh_ends_ci(p, ".css") ||
           exh_ends_ci(p, ".gif") || exh_ends_ci(p, ".png") || exh_ends_ci(p, ".ico") ||
           exh_ends_ci(p, ".htm") || exh_ends_ci(p, ".html");
}

void exh_det_proxylogon_httpproxy_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_str anchor = exh_trim(exh_rec_col(rec, EXH_COL_ANCHOR));
    struct exh_str stem = exh_rec_col(rec, EXH_COL_URL_STEM);
    if (!rec->row)
        return;
    if (contains(stem, "/exporttool/") || exh_starts_ci(anchor, "ServerVersion~")) {
        emit_http(em, rec, EXH_RULE_NOISE_EXPORTTOOL, anchor,
                  "Version probe asked for the export tool manifest");
        return;
    }
    if (!exh_starts_ci(anchor, "ServerInfo~"))
        return;
    struct exh_str rest = exh_str_make(anchor.p + 11, anchor.n - 11);
    const char *slash = memchr(rest.p, '/', rest.n);
    if (!slash)
        return; /* ServerInfo~host without a path: ordinary server-to-server routing */
    if (exh_starts_ci(rest, "localhost") &&
        (rest.n == 9 || rest.p[9] == '/' || rest.p[9] == ':' || rest.p[9] == '~') &&
        exh_find_ci_lit(rest, "/ecp/default.flt")) {
        emit_http(em, rec, EXH_RULE_NOISE_LOCALHOST, anchor,
                  "Scanner probe routed to localhost through a ServerInfo~ cookie");
        return;
    }
    struct exh_str path = exh_str_make(slash, (size_t)(rest.p + rest.n - slash));
    int status = exh_parse_status(exh_rec_col(rec, EXH_COL_STATUS));
    if (contains_in_order(path, "reset", "virtualdirectory") && status == 200) {
        emit_http(
            em, rec, EXH_RULE_PL_RESET_VDIR, anchor,
            "Reset...VirtualDirectory through the ProxyLogon SSRF succeeded: a file was written");
    } else if (contains(path, "/ddiservice.svc/") && status == 200) {
        emit_http(em, rec, EXH_RULE_PL_DDISERVICE, anchor,
                  "ProxyLogon SSRF called the ECP DDIService");
    } else if ((contains(path, "/mapi/emsmdb") && status == 200) ||
               (contains(path, "/ecp/proxylogon.ecp") && status == 241)) {
        /* reached only when answered: emsmdb Connect 200 (the SID), proxyLogon.ecp
         * 241 (a session); refused tries are attempts (EXH-PL-002) */
        emit_http(em, rec, EXH_RULE_PL_MAPI_ECP_LOGON, anchor,
                  contains(path, "/mapi/emsmdb") ? "ProxyLogon SSRF reached /mapi/emsmdb"
                                                 : "ProxyLogon SSRF reached /ecp/proxyLogon.ecp");
    } else if (contains(path, "/autodiscover")) {
        emit_http(em, rec, EXH_RULE_PL_AUTODISCOVER, anchor,
                  "ProxyLogon SSRF probe asked the back end for autodiscover");
    } else if (status == 200 && !static_file(path) &&
               (contains(path, "/ews/") || contains(path, "/mapi/") || contains(path, "/ecp/") ||
                contains(path, "/owa/") || contains(path, "/powershell") ||
                contains(path, "/oab/") || contains(path, "/rpc/"))) {
        /* the back end answered: Metasploit's collector reads mailboxes this way
         * (ServerInfo~<server>/EWS/Exchange.asmx, answered 200) */
        emit_http(em, rec, EXH_RULE_PL_SSRF_ANSWERED, anchor,
                  contains(path, "/ews/") ? "ProxyLogon SSRF read a mailbox through EWS"
                                          : "ProxyLogon SSRF was answered by a back-end endpoint");
    } else {
        emit_http(em, rec, EXH_RULE_PL_SSRF, anchor,
                  "Anonymous request routed to a back-end path through a ServerInfo~ cookie");
    }
}

/* ---- ECP Server log: Set-*VirtualDirectory with markup in a URL ---- */

const char *const exh_det_proxylogon_ecp_needles[] = {"virtualdirectory", NULL};

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Markup in an ECP Server line: an element, '<' word ... then a closer ("</",
 * "/>", or %3C-encoded "%3c/", "/%3e") somewhere after the word, or '<%'
 * server code. Found with one pass over the line, whatever it holds:
 * - the closer test needs only the start of the line's last closer (an
 *   opener qualifies when a closer starts at or after its word);
 * - queries come in increasing order (the "url"s after each cmdlet), and
 *   the answer for a position is the first qualifying opener at or after
 *   it, so each answer is reused until a query passes it and no byte is
 *   looked at twice.
 * (Searching the rest of the line for a closer per '<', per "url", per
 * cmdlet cost a 24 KB line of "url<a " a minute.) */
#define NO_MARKUP SIZE_MAX

struct markup_scan {
    const char *p;
    size_t n;
    size_t closer; /* start of the last closer in p, or NO_MARKUP */
    size_t from;   /* the last query, ... */
    size_t at;     /* ... and its answer: first markup at or after from */
    bool ready;
};

static bool closer_at(const char *p, size_t n, size_t i)
{
    if (i + 2 <= n && ((p[i] == '<' && p[i + 1] == '/') || (p[i] == '/' && p[i + 1] == '>')))
        return true;
    if (i + 4 <= n && p[i] == '%' && p[i + 1] == '3' && exh_lc((unsigned char)p[i + 2]) == 'c' &&
        p[i + 3] == '/')
        return true;
    return i + 4 <= n && p[i] == '/' && p[i + 1] == '%' && p[i + 2] == '3' &&
           exh_lc((unsigned char)p[i + 3]) == 'e';
}

static void markup_scan_init(struct markup_scan *ms, const char *p, size_t n)
{
    memset(ms, 0, sizeof(*ms));
    ms->p = p;
    ms->n = n;
    ms->closer = NO_MARKUP;
    for (size_t i = n; i-- > 0;)
        if (closer_at(p, n, i)) {
            ms->closer = i;
            break;
        }
}

/* The position of the first markup at or after k (k never less than the
 * previous query's), or NO_MARKUP. */
static size_t markup_from(struct markup_scan *ms, size_t k)
{
    if (ms->ready && k >= ms->from && (ms->at == NO_MARKUP || k <= ms->at))
        return ms->at;
    const char *p = ms->p;
    size_t n = ms->n, found = NO_MARKUP;
    for (size_t i = k; i + 1 < n; i++) {
        size_t open_len;
        if (p[i] == '<' && p[i + 1] == '%') {
            found = i; /* <% server code %> */
            break;
        }
        if (p[i] == '<')
            open_len = 1;
        else if (p[i] == '%' && i + 2 < n && p[i + 1] == '3' &&
                 exh_lc((unsigned char)p[i + 2]) == 'c')
            open_len = 3;
        else
            continue;
        size_t j = i + open_len;
        if (j >= n || !is_word((unsigned char)p[j]))
            continue;
        if (ms->closer != NO_MARKUP && ms->closer >= j) {
            found = i;
            break;
        }
    }
    ms->ready = true;
    ms->from = k;
    ms->at = found;
    return found;
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void exh_det_proxylogon_ecp_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_str data = exh_rec_col(rec, EXH_COL_EVENT_DATA);
    if (!data.n)
        data = rec->line;
    struct markup_scan ms;
    bool ms_init = false;
    size_t url_at = NO_MARKUP; /* the last "url" found (NO_MARKUP: none after there) */
    bool url_searched = false;
    const char *set = exh_find_ci_lit(data, "set-");
    while (set) {
        /* the cmdlet name: Set-<letters>VirtualDirectory */
        size_t i = (size_t)(set - data.p) + 4;
        size_t j = i;
        while (j < data.n && is_letter(data.p[j]))
            j++;
        struct exh_str name = exh_str_make(set, j - (size_t)(set - data.p));
        /* markup anywhere after the first "url" that follows the name (the
         * first "url" decides: markup after a later one is after it too) */
        const char *url = NULL;
        if (exh_ends_ci(name, "VirtualDirectory")) {
            /* the next "url" at or after j, remembered: a line of such
             * cmdlets without one is searched once, not once per cmdlet */
            if (!url_searched || (url_at != NO_MARKUP && url_at < j)) {
                const char *u = exh_find_ci(data.p + j, data.n - j, "url", 3);
                url_at = u ? (size_t)(u - data.p) : NO_MARKUP;
                url_searched = true;
            }
            url = url_at != NO_MARKUP ? data.p + url_at : NULL;
        }
        if (url) {
            if (!ms_init) {
                markup_scan_init(&ms, data.p, data.n);
                ms_init = true;
            }
            size_t mk = markup_from(&ms, (size_t)(url - data.p) + 3);
            if (mk != NO_MARKUP) {
                /* the parameter: the last "...Url" before the markup, with
                 * the letters around it */
                size_t u = (size_t)(url - data.p);
                for (size_t b = mk; b >= u + 3; b--)
                    if (exh_lc((unsigned char)data.p[b - 3]) == 'u' &&
                        exh_lc((unsigned char)data.p[b - 2]) == 'r' &&
                        exh_lc((unsigned char)data.p[b - 1]) == 'l') {
                        u = b - 3;
                        break;
                    }
                size_t ps = u, pe = u + 3;
                while (ps > j && is_letter(data.p[ps - 1]))
                    ps--;
                char msg[200];
                snprintf(msg, sizeof(msg), "%.*s set %.*s to a value holding markup",
                         (int)(name.n > 60 ? 60 : name.n), name.p,
                         (int)(pe - ps > 60 ? 60 : pe - ps), data.p + ps);
                /* evidence: the command up to the next ";S:" */
                size_t es = (size_t)(set - data.p);
                const char *semi = exh_find_ci(data.p + es, data.n - es, ";S:", 3);
                size_t ee = semi ? (size_t)(semi - data.p) : data.n;
                struct exh_hit h =
                    exh_hit_make(EXH_RULE_PL_ECP_SET_VDIR, msg, exh_str_make(data.p + es, ee - es));
                exh_emit_line(em, rec, &h);
                return;
            }
        }
        size_t from = (size_t)(set - data.p) + 4;
        set = exh_find_ci(data.p + from, data.n - from, "set-", 4);
    }
}

/* ---- OAB generator log: where did the failed download go? ---- */

const char *const exh_det_proxylogon_oab_needles[] = {"download failed and temporary file", NULL};

static bool web_script_name(struct exh_str path)
{
    /* Windows ignores trailing dots and spaces and the default data stream
     * name, so "x.aspx." and "x.aspx::$DATA" are x.aspx */
    for (;;) {
        if (path.n && (path.p[path.n - 1] == '.' || path.p[path.n - 1] == ' '))
            path.n--;
        else if (exh_ends_ci(path, "::$DATA"))
            path.n -= 7;
        else
            break;
    }
    static const char *const exts[] = {".aspx",   ".asp",    ".ashx", ".asmx", ".asax", ".ascx",
                                       ".config", ".cshtml", ".php",  ".jsp",  ".js",   ".cfm",
                                       ".shtml",  ".exe",    ".dll",  ".ps1",  ".bat",  ".cmd",
                                       ".vbs",    ".hta",    NULL};
    for (int i = 0; exts[i]; i++)
        if (exh_ends_ci(path, exts[i]))
            return true;
    return false;
}

/* A legitimate temporary file: a drive path (not UNC), no "..", inside a
 * "\ClientAccess\OAB\" folder, not a web-script name. */
static bool oab_path_legit(struct exh_str path)
{
    if (path.n < 3 || !((path.p[0] | 0x20) >= 'a' && (path.p[0] | 0x20) <= 'z') ||
        path.p[1] != ':' || (path.p[2] != '\\' && path.p[2] != '/'))
        return false;
    if (contains(path, ".."))
        return false;
    if (!contains(path, "\\ClientAccess\\OAB\\") && !contains(path, "/ClientAccess/OAB/"))
        return false;
    return !web_script_name(path);
}

void exh_det_proxylogon_oab_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_str text = exh_rec_col(rec, EXH_COL_MESSAGE);
    if (!exh_find_ci_lit(text, "download failed and temporary file"))
        text = rec->line;
    static const char lead[] = "download failed and temporary file";
    const char *p = exh_find_ci_lit(text, lead);
    if (!p)
        return;
    size_t s = (size_t)(p - text.p) + sizeof(lead) - 1;
    const char *tail = exh_find_ci(text.p + s, text.n - s, "needs to be removed", 19);
    size_t e = tail ? (size_t)(tail - text.p) : text.n;
    struct exh_str path = exh_trim(exh_str_make(text.p + s, e - s));
    while (path.n && (path.p[0] == '\'' || path.p[0] == '"')) {
        path.p++;
        path.n--;
    }
    while (path.n && (path.p[path.n - 1] == '\'' || path.p[path.n - 1] == '"'))
        path.n--;
    if (path.n == 0 || oab_path_legit(path))
        return;
    char msg[160];
    snprintf(msg, sizeof(msg), "OAB generator wrote a temporary file %s",
             web_script_name(path) ? "with a web-script name" : "outside ClientAccess\\OAB");
    struct exh_hit h = exh_hit_make(EXH_RULE_PL_OAB_WRITE, msg, path);
    exh_emit_line(em, rec, &h);
}

/* ---------------------------------------------------------- IIS W3C -- */

const char *const exh_det_proxylogon_iis_needles[] = {
    "ddiservice.svc", "post /ecp/", "post /owa/auth/", "exporttool", "/owa/auth/x.js", NULL};

/* The export-tool version probe, or a GET of /owa/auth/x.js (the ProxyLogon
 * scanners' check). */
bool exh_req_is_proxylogon_probe(const struct exh_req *q)
{
    return q->w3c && (exh_req_has(q->stem, "/exporttool/") ||
                      (exh_eq_ci(q->stem, "/owa/auth/x.js") && !q->post));
}

/* the SSRF reaches the back end as the server's machine account (NAME$), the
 * best-supported answer (docs/rules.md: open questions), or with no user;
 * an administrator resetting a directory in ECP logs as himself */
static bool iis_reset(const struct exh_req *q)
{
    return exh_eq_ci(q->stem, "/ecp/ddi/ddiservice.svc/setobject") &&
           exh_req_has(q->query, "schema=reset") && exh_req_has(q->query, "virtualdirectory") &&
           q->status == 200 && (exh_ends_ci(q->user, "$") || !q->user.n);
}

static bool static_js_name(struct exh_str stem, const char *prefix, size_t maxlen)
{
    if (!exh_starts_ci(stem, prefix) || !exh_ends_ci(stem, ".js"))
        return false;
    size_t n = stem.n - strlen(prefix) - 3;
    if (n == 0 || n > maxlen)
        return false;
    for (size_t i = strlen(prefix); i < stem.n - 3; i++)
        if (stem.p[i] == '/')
            return false;
    return true;
}

/* a POST to a static file, as the ProxyLogon exploits sent */
static bool iis_shape(struct exh_str stem)
{
    return static_js_name(stem, "/ecp/", 30) || static_js_name(stem, "/owa/auth/", 30) ||
           ((exh_ends_ci(stem, ".flt") || exh_ends_ci(stem, ".css")) &&
            exh_starts_ci(stem, "/ecp/") && !memchr(stem.p + 5, '/', stem.n - 5)) ||
           exh_eq_ci(stem, "/ecp/main.css") || exh_eq_ci(stem, "/ecp/default.flt") ||
           exh_eq_ci(stem, "/ecp/auth/w.js") ||
           exh_starts_ci(stem, "/owa/auth/current/themes/resources/");
}

bool exh_req_is_proxylogon_iis(const struct exh_req *q)
{
    return q->w3c && q->post && (iis_reset(q) || iis_shape(q->stem));
}

/* ProxyLogon's shapes, IIS only (HttpProxy shows the same requests as
 * ServerInfo~: proxylogon_httpproxy above) */
void exh_det_proxylogon_iis_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_req q;
    if (!exh_req_read(em, rec, &q) || !q.w3c)
        return;
    if (exh_req_has(q.stem, "/exporttool/")) {
        exh_req_emit(em, &q, EXH_RULE_NOISE_EXPORTTOOL,
                     "Version probe asked for the export tool manifest", EXH_STR_NULL);
        return;
    }
    if (exh_eq_ci(q.stem, "/owa/auth/x.js") && !q.post) {
        exh_req_emit(em, &q, EXH_RULE_NOISE_LOCALHOST, "ProxyLogon scanner probe (/owa/auth/x.js)",
                     EXH_STR_NULL);
        return;
    }
    if (!q.post || exh_req_claimed_before(&q, EXH_REQ_PROXYLOGON_IIS))
        return;
    if (iis_reset(&q))
        exh_req_emit(em, &q, EXH_RULE_PL_IIS_RESET,
                     "DDIService SetObject Reset...VirtualDirectory succeeded", EXH_STR_NULL);
    else if (iis_shape(q.stem))
        exh_req_emit(em, &q, exh_req_scanner(&q) ? EXH_RULE_NOISE_SCANNER : EXH_RULE_PL_IIS_SHAPE,
                     "POST to a static file, as the ProxyLogon exploits sent", EXH_STR_NULL);
}
