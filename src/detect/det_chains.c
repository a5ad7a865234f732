/* det_chains.c: the attacks after ProxyLogon, as they show in IIS W3C logs
 * and in the same columns of HttpProxy logs: ProxyShell, ProxyNotShell,
 * OWASSRF, CVE-2020-0688, ProxyToken; ProxyLogon's request shapes in IIS;
 * shell commands in query strings; requests to published shell names; and
 * OWASSRF's trace in Rps_Http (an unusual ClientInfo). Requests to pages are
 * also noted for the judge, which matches them with shells found on disk.
 *
 * URLs are compared after percent-decoding and lower-casing (W3C's '+' is a
 * space in the query). Requests from known scanners become noise, and
 * Exchange's own probes are ignored. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "ioc.h"
#include "exh/match.h"
#include "exh/banned.h"

const char *const exh_det_chains_needles[] = {"autodiscover.json",
                                              "powershell",
                                              "__viewstate",
                                              "securitytoken",
                                              "inboxrules.svc",
                                              "ddiservice.svc",
                                              "post /ecp/",
                                              "post /owa/auth/",
                                              "exporttool",
                                              "/owa/auth/x.js",
                                              "whoami",
                                              "cmd+/c",
                                              "cmd%20/c",
                                              "cmd.exe",
                                              "certutil",
                                              "nltest",
                                              "net+user",
                                              "net%20user",
                                              "net+group",
                                              "net+localgroup",
                                              "ipconfig",
                                              "systeminfo",
                                              "comsvcs",
                                              "procdump",
                                              "echo+[s]",
                                              "%26echo",
                                              "tasklist",
                                              "rundll32",
                                              ".aspx",
                                              ".ashx",
                                              ".asmx",
                                              ".asp ",
                                              ".asp,",
                                              ".asp?",
                                              NULL};

/* Lower-case, percent-decoded copy of s (W3C query: '+' is a space). */
static void decode(struct exh_buf *b, struct exh_str s, bool plus_is_space)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '%' && i + 2 < s.n) {
            int hi = s.p[i + 1], lo = s.p[i + 2];
            int h = exh_hexval((unsigned char)hi), l = exh_hexval((unsigned char)lo);
            if (h >= 0 && l >= 0) {
                exh_buf_addc(b, (char)exh_lc((unsigned char)(h * 16 + l)));
                i += 2;
                continue;
            }
        }
        if (c == '+' && plus_is_space)
            c = ' ';
        exh_buf_addc(b, (char)exh_lc((unsigned char)c));
    }
}

static bool has(struct exh_str s, const char *lit)
{
    return exh_find_ci_lit(s, lit) != NULL;
}

/* Exchange's own clients and probes: never an attack by themselves. */
static bool exchange_client(struct exh_str ua)
{
    /* exact values: an attacker can append any of these words to a user agent */
    static const char *const names[] = {"ClientInfo",
                                        "Microsoft WinRM Client",
                                        "Microsoft+WinRM+Client",
                                        "Exchange BackEnd Probes",
                                        "Exchange+BackEnd+Probes",
                                        NULL};
    ua = exh_trim(ua);
    for (int i = 0; names[i]; i++)
        if (exh_eq_ci(ua, names[i]))
            return true;
    return false;
}

/* A matcher over a NULL-terminated word list, built by the first caller
 * (the words are fixed, so whoever wins the race built the same one): one
 * pass tells whether any of the words can be in a value, before each word is
 * looked for with its own rules. NULL only when a word is under 4 bytes. */
static const struct exh_matcher *words_matcher(_Atomic(struct exh_matcher *) *slot,
                                               const char *const *words)
{
    struct exh_matcher *m = atomic_load_explicit(slot, memory_order_acquire);
    if (m)
        return m;
    size_t n = 0;
    while (words[n])
        n++;
    m = exh_matcher_build(words, NULL, n);
    struct exh_matcher *expect = NULL;
    if (m && !atomic_compare_exchange_strong(slot, &expect, m)) {
        exh_matcher_free(m);
        m = expect;
    }
    return m;
}

static bool may_have(_Atomic(struct exh_matcher *) *slot, const char *const *words,
                     struct exh_str s)
{
    const struct exh_matcher *m = words_matcher(slot, words);
    int id;
    return !m || exh_matcher_next(m, (const uint8_t *)s.p, s.n, 0, &id) < s.n;
}

/* Scanners named by their user agent: the words looked for (each a plain
 * word of 4 bytes or more, matched without case) and the name shown. */
static const char *const scanner_ua[] = {
    "nuclei", "zgrab",  "masscan", "Nmap Scripting Engine", "Nmap+Scripting+Engine",
    "Nessus", "Qualys", "OpenVAS", "CensysInspect",         "Expanse",
    "sqlmap", "Nikto",  NULL};
static const char *const scanner_shown[] = {
    "Nuclei", "zgrab",  "masscan", "Nmap Scripting Engine", "Nmap Scripting Engine",
    "Nessus", "Qualys", "OpenVAS", "CensysInspect",         "Expanse",
    "sqlmap", "Nikto"};

const char *exh_scanner_name(struct exh_str ua)
{
    for (size_t k = 0; scanner_ua[k]; k++)
        if (exh_find_ci_lit(ua, scanner_ua[k]))
            return scanner_shown[k];
    return NULL;
}

static bool scanner(struct exh_str ua)
{
    static _Atomic(struct exh_matcher *) quick;
    /* one pass on the hot path; the matcher's answer is exact here (a NULL
     * matcher would look) */
    return ua.n && may_have(&quick, scanner_ua, ua);
}

/* Did the request carry an account: a user name, or IsAuthenticated true? */
static bool authenticated(const struct exh_logrec *rec, struct exh_str user)
{
    return (user.n > 0 && !exh_eq_ci(user, "-")) ||
           exh_eq_ci(exh_trim(exh_rec_col(rec, EXH_COL_IS_AUTH)), "true");
}

static void emit(struct exh_emitter *em, const struct exh_logrec *rec, enum exh_rule_sym rule,
                 const char *what, struct exh_str evidence)
{
    struct exh_buf url = {0}, msg = {0};
    struct exh_hit h = {0};
    h.rule = rule;
    exh_hit_request_fields(rec, &h, &url);
    exh_buf_adds(&msg, what);
    if (exh_eq_ci(exh_trim(exh_rec_col(rec, EXH_COL_PORT)), "444"))
        exh_buf_adds(&msg, " on the Exchange back end (444)");
    if (h.status >= 0)
        exh_buf_addf(&msg, " (HTTP %d)", h.status);
    h.message = msg.p;
    h.evidence = evidence.n ? evidence : h.url;
    exh_emit_line(em, rec, &h);
    exh_buf_release(&url);
    exh_buf_release(&msg);
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

/* A page in a folder the 2021 shells were written to, with a published name,
 * or at a published path. */
static bool known_shell_request(struct exh_emitter *em, struct exh_str stem)
{
    static const char *const roots[] = {"inetpub/wwwroot", "frontend/httpproxy", NULL};
    struct exh_buf *p = exh_emit_scratch(em, 1);
    for (int i = 0; roots[i]; i++) {
        exh_buf_reset(p);
        exh_buf_adds(p, roots[i]);
        exh_buf_add(p, stem.p, stem.n);
        if (exh_iocset_path(exh_emit_iocs(em), p->p))
            return true;
    }
    static const char *const folders[] = {"/aspnet_client/", "/owa/auth/", "/ecp/auth/",
                                          "/oab/",           "/ews/",      NULL};
    bool folder = false;
    for (int i = 0; folders[i]; i++)
        folder |= exh_starts_ci(stem, folders[i]);
    if (!folder)
        return false;
    struct exh_str b = exh_path_base(stem);
    for (size_t i = 0; i < exh_nioc_names; i++)
        if (exh_eq_ci(b, exh_ioc_names[i].path))
            return true;
    return false;
}

static const char *const commands[] = {
    "whoami",   "cmd /c",   "cmd.exe",   "powershell -",   "powershell.exe", "certutil",
    "nltest",   "net user", "net group", "net localgroup", "ipconfig",       "systeminfo",
    "tasklist", "comsvcs",  "procdump",  "echo [s]",       "&echo ",         "rundll32",
    NULL};

/* word in s standing alone: after '=', a space, '&', ';', '|', '(' or a quote,
 * and followed by the end, a space, an argument separator or ".exe". */
static const char *command_word(struct exh_str s, const char *word)
{
    size_t m = strlen(word), from = 0;
    while (from < s.n) {
        const char *p = exh_find_ci(s.p + from, s.n - from, word, m);
        if (!p)
            return NULL;
        size_t at = (size_t)(p - s.p), end = at + m;
        char before = at ? s.p[at - 1] : '=';
        char next = end < s.n ? s.p[end] : ' ';
        bool left = strchr("= &;|(\"'`/\\", before) != NULL;
        bool right = strchr(" &;|)\"'`/\\", next) != NULL || end == s.n ||
                     (next == '.' && exh_starts_ci(exh_str_make(s.p + end, s.n - end), ".exe"));
        if (left && right)
            return p;
        from = at + 1;
    }
    return NULL;
}

void exh_det_chains_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    if (!rec->row)
        return;
    bool w3c = rec->file->family == EXH_FAM_W3C;
    struct exh_str stem_raw = exh_trim(exh_rec_col(rec, EXH_COL_URL_STEM));
    struct exh_str query_raw = exh_trim(exh_rec_col(rec, EXH_COL_URL_QUERY));
    struct exh_str method = exh_trim(exh_rec_col(rec, EXH_COL_METHOD));
    struct exh_str ua = exh_rec_col(rec, EXH_COL_USER_AGENT);
    struct exh_str user = exh_trim(exh_rec_col(rec, EXH_COL_AUTH_USER));
    int status = exh_parse_status(exh_rec_col(rec, EXH_COL_STATUS));
    if (!stem_raw.n)
        return;
    /* one decoded buffer "stem?query": stem and query are slices of it, and
     * the ordered ProxyShell search below reads it whole */
    struct exh_buf *ub = exh_emit_scratch(em, 0);
    exh_buf_reset(ub);
    decode(ub, stem_raw, false);
    size_t sn = ub->n;
    exh_buf_addc(ub, '?');
    decode(ub, query_raw, w3c);
    struct exh_str stem = exh_str_make(ub->p, sn);
    struct exh_str query = exh_str_make(ub->p + sn + 1, ub->n - sn - 1);
    bool post = exh_eq_ci(method, "POST");
    bool ours = exchange_client(ua);
    bool scan = scanner(ua);

    exh_note_client(em, rec);
    /* pages: noted for the judge (requests to shells found on disk) */
    if (exh_served_page(stem))
        exh_note_request(em, rec, stem, status);

    if (w3c && has(stem, "/exporttool/")) {
        emit(em, rec, EXH_RULE_NOISE_EXPORTTOOL, "Version probe asked for the export tool manifest",
             EXH_STR_NULL);
        goto out;
    }
    if (w3c && exh_eq_ci(stem, "/owa/auth/x.js") && !post) {
        emit(em, rec, EXH_RULE_NOISE_LOCALHOST, "ProxyLogon scanner probe (/owa/auth/x.js)",
             EXH_STR_NULL);
        goto out;
    }
    /* ProxyShell / ProxyNotShell: an autodiscover URL with autodiscover.json, an '@'
     * and, after the '@', a back-end path. The '@' may sit in the query (ProxyShell:
     * autodiscover.json?a=x@y/mapi/nspi) or in the path (ProxyNotShell's PoC:
     * /autodiscover/admin@localhost//powershell/autodiscover.json); a mailbox
     * address before it ("powershell.admin@corp") is not a path. */
    struct exh_str u = exh_str_make(ub->p, ub->n);
    bool adj = exh_starts_ci(stem, "/autodiscover") && has(u, "autodiscover.json");
    const char *atp = adj ? memchr(u.p, '@', u.n) : NULL;
    struct exh_str after = atp ? exh_str_make(atp, (size_t)(u.p + u.n - atp)) : EXH_STR_NULL;
    bool backend =
        atp && (has(after, "/powershell") || has(after, "/mapi/") || has(after, "/ews/") ||
                has(after, "x-rps-cat") || has(after, "/autodiscover/autodiscover.xml") ||
                has(after, "/autodiscover/autodiscover.json") || has(after, "/owa/") ||
                has(after, "/ecp/") || has(after, "/oab/") || has(after, "/rpc/"));
    if (backend) {
        /* ProxyNotShell needs an account (NTLM or Basic), ProxyShell none; the
         * judge relabels by the server's build. Only a 200 from the back end is
         * data reached: a 302 is OWA's logon redirect, a 401 the NTLM handshake. */
        bool authed = authenticated(rec, user);
        bool answered = status == 200;
        if (scan)
            emit(em, rec, EXH_RULE_NOISE_SCANNER, "Scanner probe for ProxyShell/ProxyNotShell",
                 EXH_STR_NULL);
        else if (authed)
            emit(em, rec, answered ? EXH_RULE_PNS_EXPLOIT : EXH_RULE_PNS_ATTEMPT,
                 answered ? "Authenticated autodiscover.json SSRF to a back-end path was answered"
                          : "Authenticated autodiscover.json SSRF to a back-end path was not "
                            "answered 200",
                 EXH_STR_NULL);
        else
            emit(em, rec, answered ? EXH_RULE_PS_EXPLOIT : EXH_RULE_PS_ATTEMPT,
                 answered ? "Unauthenticated autodiscover.json SSRF to a back-end path was answered"
                          : "Unauthenticated autodiscover.json SSRF to a back-end path was not "
                            "answered 200",
                 EXH_STR_NULL);
        goto out;
    }
    /* OWASSRF: /owa/<mailbox>/powershell */
    if (exh_starts_ci(stem, "/owa/") && has(stem, "/powershell") && memchr(stem.p, '@', stem.n) &&
        !ours) {
        if (scan)
            emit(em, rec, EXH_RULE_NOISE_SCANNER, "Scanner probe for OWASSRF", EXH_STR_NULL);
        else if (post && status == 200)
            emit(em, rec, EXH_RULE_OWA_EXPLOIT, "POST to /owa/<mailbox>/powershell was answered",
                 EXH_STR_NULL);
        else
            emit(em, rec, EXH_RULE_OWA_ATTEMPT, "Request to /owa/<mailbox>/powershell",
                 EXH_STR_NULL);
        goto out;
    }
    /* CVE-2020-0688: ViewState in the query of an ECP request */
    if ((exh_starts_ci(stem, "/ecp/") || exh_starts_ci(stem, "/owa/")) &&
        has(query, "__viewstate=")) {
        emit(em, rec, scan ? EXH_RULE_NOISE_SCANNER : EXH_RULE_ECP_VIEWSTATE,
             "ViewState sent in the query string of an ECP page", EXH_STR_NULL);
        goto out;
    }
    /* ProxyToken (CVE-2021-33766): an unauthenticated ECP request that names the
     * victim's mailbox in its path (/ecp/<mailbox@domain>/...), or carries a
     * SecurityToken in the query. A logged-on user's own rule save is not it. */
    if (exh_starts_ci(stem, "/ecp/")) {
        bool anon = !authenticated(rec, user);
        const char *slash2 = memchr(stem.p + 5, '/', stem.n - 5);
        struct exh_str seg =
            exh_str_make(stem.p + 5, slash2 ? (size_t)(slash2 - stem.p) - 5 : stem.n - 5);
        bool victim = memchr(seg.p, '@', seg.n) != NULL;
        bool token = has(query, "securitytoken=");
        bool newrule = has(stem, "/rulesEditor/inboxrules.svc/newobject");
        if (anon && (victim || token) &&
            (newrule || has(stem, "/personalsettings/") || has(stem, ".svc/") || token)) {
            if (scan)
                emit(em, rec, EXH_RULE_NOISE_SCANNER, "Scanner probe for ProxyToken", EXH_STR_NULL);
            else if (post && newrule && status == 200)
                emit(em, rec, EXH_RULE_ECP_PROXYTOKEN_OK,
                     "Unauthenticated InboxRules NewObject for another mailbox was answered",
                     EXH_STR_NULL);
            else
                emit(em, rec, EXH_RULE_ECP_PROXYTOKEN,
                     "Unauthenticated ECP request naming another mailbox (ProxyToken shape)",
                     EXH_STR_NULL);
            goto out;
        }
    }
    /* ProxyLogon's shapes, IIS only (HttpProxy shows the same requests as ServerInfo~) */
    if (w3c && post) {
        /* the SSRF reaches the back end as the server's machine account (NAME$), the
         * best-supported answer (docs/rules.md: open questions), or with no user;
         * an administrator resetting a directory in ECP logs as himself */
        if (exh_eq_ci(stem, "/ecp/ddi/ddiservice.svc/setobject") && has(query, "schema=reset") &&
            has(query, "virtualdirectory") && status == 200 &&
            (exh_ends_ci(user, "$") || !user.n)) {
            emit(em, rec, EXH_RULE_PL_IIS_RESET,
                 "DDIService SetObject Reset...VirtualDirectory succeeded", EXH_STR_NULL);
            goto out;
        }
        if (static_js_name(stem, "/ecp/", 30) || static_js_name(stem, "/owa/auth/", 30) ||
            ((exh_ends_ci(stem, ".flt") || exh_ends_ci(stem, ".css")) &&
             exh_starts_ci(stem, "/ecp/") && !memchr(stem.p + 5, '/', stem.n - 5)) ||
            exh_eq_ci(stem, "/ecp/main.css") || exh_eq_ci(stem, "/ecp/default.flt") ||
            exh_eq_ci(stem, "/ecp/auth/w.js") ||
            exh_starts_ci(stem, "/owa/auth/current/themes/resources/")) {
            emit(em, rec, scan ? EXH_RULE_NOISE_SCANNER : EXH_RULE_PL_IIS_SHAPE,
                 "POST to a static file, as the ProxyLogon exploits sent", EXH_STR_NULL);
            goto out;
        }
    }
    /* shell commands in the query of an answered request, as words */
    static _Atomic(struct exh_matcher *) quick_commands;
    bool cmds =
        query.n && status >= 200 && status < 300 && may_have(&quick_commands, commands, query);
    for (int i = 0; commands[i] && cmds; i++) {
        const char *p = command_word(query, commands[i]);
        if (!p)
            continue;
        char what[160];
        snprintf(what, sizeof(what), "Query carries the shell command '%s'", commands[i]);
        size_t off = (size_t)(p - query.p), len = query.n - off < 120 ? query.n - off : 120;
        emit(em, rec, EXH_RULE_WSU_COMMAND, what, exh_str_make(p, len));
        goto out;
    }
    /* a published shell name in a shell folder, answered 2xx */
    if (status >= 200 && status < 300 && known_shell_request(em, stem))
        emit(em, rec, EXH_RULE_WSU_KNOWN, "Successful request to a published web-shell name",
             EXH_STR_NULL);
out:
    return; /* ub is the emitter's, kept for the next line */
}

/* Rps_Http: a ClientInfo that Exchange's own clients never write. */
void exh_det_rps_clientinfo_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    if (!rec->row)
        return;
    struct exh_str ci = exh_trim(exh_rec_col(rec, EXH_COL_CLIENT_INFO));
    if (!ci.n || exchange_client(ci))
        return;
    int status = exh_parse_status(exh_rec_col(rec, EXH_COL_STATUS));
    struct exh_buf url = {0}, msg = {0};
    struct exh_hit h = {0};
    /* ProxyShell's forged CommonAccessToken (X-Rps-CAT) or its autodiscover.json
     * route in the query name the chain; otherwise the judge labels the
     * session by the other chains in the logs */
    struct exh_str q = exh_rec_col(rec, EXH_COL_URL_QUERY);
    bool proxyshell = has(q, "x-rps-cat") || has(q, "autodiscover.json") ||
                      has(q, "autodiscover%2fautodiscover.json");
    if (proxyshell)
        h.rule = status == 200 ? EXH_RULE_PS_EXPLOIT : EXH_RULE_PS_ATTEMPT;
    else
        h.rule = status == 200 ? EXH_RULE_OWA_RPS_EXPLOIT : EXH_RULE_OWA_RPS_ATTEMPT;
    exh_hit_request_fields(rec, &h, &url);
    h.user_agent = ci;
    exh_buf_addf(&msg, "Remote PowerShell request with ClientInfo '%.*s'",
                 (int)(ci.n > 80 ? 80 : ci.n), ci.p);
    if (status >= 0)
        exh_buf_addf(&msg, " (HTTP %d)", status);
    h.message = msg.p;
    struct exh_buf ev = {0};
    exh_buf_adds(&ev, "ClientInfo=");
    exh_buf_add(&ev, ci.p, ci.n);
    h.evidence = exh_str_make(ev.p, ev.n);
    exh_emit_line(em, rec, &h);
    exh_buf_release(&url);
    exh_buf_release(&msg);
    exh_buf_release(&ev);
}
