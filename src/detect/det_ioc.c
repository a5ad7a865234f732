/* det_ioc.c: indicators, each looked for where it can appear (iocset.h).
 * In log lines: listed addresses and ranges in the client and forwarded
 * address fields; listed user agents in the user-agent field (crawler names
 * the attackers spoofed count only on POST requests); listed domains and
 * URLs in the request's URL, query and referrer (decoded). For files: known
 * hashes, listed paths, names and path regexes, and listed domains and URLs
 * in the text of pages and scripts. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "exh/iocset.h"
#include "exh/netaddr.h"
#include "request.h"
#include "exh/banned.h"

/* How a finding names the list: a built-in one by its source, an --ioc
 * file by its name and the entry's title. */
static void label(const struct exh_ioc_meta *m, char *out, size_t n)
{
    if (!strcmp(m->feed, "built-in") && m->title)
        snprintf(out, n, "%s", m->title);
    else if (m->title)
        snprintf(out, n, "%s: %s", m->feed, m->title);
    else
        snprintf(out, n, "%s", m->feed);
}

static bool ip_text_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
           c == ':';
}

/* The first listed address among the addresses in s (a field holding one
 * address, a chain "a b" or "a, b", or a whole line when the log has no
 * fields): each run of address characters, standing alone, parsed once. */
static const struct exh_ioc_meta *listed_ip(const struct exh_iocset *s, struct exh_str v,
                                            struct exh_str *which)
{
    size_t i = 0;
    while (i < v.n) {
        if (!ip_text_char(v.p[i])) {
            i++;
            continue;
        }
        size_t st = i;
        while (i < v.n && ip_text_char(v.p[i]))
            i++;
        if (v.p[st] == ':' && st + 1 < i && v.p[st + 1] != ':')
            st++; /* "ClientIP:203.0.113.7": the ':' separates */
        /* part of a word ("abc1.2.3.4") is no address */
        if (st && ((v.p[st - 1] | 0x20) >= 'g' && (v.p[st - 1] | 0x20) <= 'z'))
            continue;
        struct exh_str t = exh_str_make(v.p + st, i - st);
        while (t.n && (t.p[t.n - 1] == '.' || t.p[t.n - 1] == ':'))
            t.n--; /* "from 1.2.3.4." */
        if (t.n < 2 || t.n > 45)
            continue;
        struct exh_ip ip;
        if (!exh_ip_parse(t, &ip))
            continue;
        const struct exh_ioc_meta *m = exh_iocset_ip(s, &ip);
        if (m) {
            *which = t;
            return m;
        }
    }
    return NULL;
}

static bool is_post(const struct exh_logrec *rec)
{
    struct exh_str m = exh_trim(exh_rec_col(rec, EXH_COL_METHOD));
    if (m.n)
        return exh_eq_ci(m, "POST");
    return exh_find_ci_lit(rec->line, " POST ") || exh_find_ci_lit(rec->line, ",POST,");
}

static void ip_hit(struct exh_emitter *em, const struct exh_logrec *rec,
                   const struct exh_ioc_meta *m, struct exh_str which, struct exh_buf *url)
{
    char msg[400], lab[300];
    label(m, lab, sizeof(lab));
    bool range = strchr(m->value, '/') != NULL;
    if (range)
        snprintf(msg, sizeof(msg), "Request from %.*s, in the listed attacker range %s (%s)",
                 (int)which.n, which.p, m->value, lab);
    else
        snprintf(msg, sizeof(msg), "Request from %.*s, a listed attacker address (%s)",
                 (int)which.n, which.p, lab);
    struct exh_hit h = {0};
    h.rule = EXH_RULE_IOC_IP;
    h.status = -1;
    if (rec->row)
        exh_hit_request_fields(rec, &h, url);
    if (!h.source_ip.n)
        h.source_ip = which;
    h.message = msg;
    h.evidence = which;
    h.ioc = m;
    exh_emit_line(em, rec, &h);
}

void exh_det_ioc_network_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    const struct exh_iocset *s = exh_emit_iocs(em);
    if (!exh_iocset_line_may_match(s, rec->line.p, rec->line.n))
        return;
    struct exh_buf url = {0};
    struct exh_str which;
    const struct exh_ioc_meta *m = NULL;
    bool addr_fields = rec->row && rec->row->h &&
                       (rec->row->h->field_of_col[EXH_COL_CLIENT_IP] >= 0 ||
                        rec->row->h->field_of_col[EXH_COL_FORWARDED_FOR] >= 0);
    if (addr_fields) {
        /* the addresses the request came from or through, not any number
         * the URL, the query or another header may carry */
        m = listed_ip(s, exh_rec_col(rec, EXH_COL_CLIENT_IP), &which);
        if (!m)
            m = listed_ip(s, exh_rec_col(rec, EXH_COL_FORWARDED_FOR), &which);
    } else {
        /* a log without address fields (OAB, ECP messages, no header): the
         * address it names is the best there is */
        m = listed_ip(s, rec->line, &which);
    }
    if (m)
        ip_hit(em, rec, m, which, &url); /* one finding per line is enough */
    if (!rec->row) {
        exh_buf_release(&url);
        return; /* user agents and URLs only from their fields */
    }
    struct exh_str ua = exh_trim(exh_rec_col(rec, EXH_COL_USER_AGENT));
    if (ua.n && (m = exh_iocset_ua(s, ua, is_post(rec)))) {
        char msg[400], lab[300];
        label(m, lab, sizeof(lab));
        snprintf(msg, sizeof(msg), "%s with a listed attacker user agent (%s)",
                 m->post_only ? "POST request" : "Request", lab);
        struct exh_hit h = {0};
        h.rule = EXH_RULE_IOC_UA;
        exh_hit_request_fields(rec, &h, &url);
        h.message = msg;
        h.evidence = exh_str_make(m->value, strlen(m->value));
        h.ioc = m;
        exh_emit_line(em, rec, &h);
    }
    if (!exh_iocset_has_web(s)) {
        exh_buf_release(&url);
        return;
    }
    /* a listed domain or URL in the request's URL and query (decoded once
     * per line for every request detector: request.c), or its referrer */
    struct exh_req q;
    struct exh_str text = EXH_STR_NULL;
    size_t at = 0, len = 0;
    m = NULL;
    if (exh_req_read(em, rec, &q) && (m = exh_iocset_web(s, q.url.p, q.url.n, &at, &len)))
        text = q.url;
    struct exh_str ref = exh_trim(exh_rec_col(rec, EXH_COL_REFERER));
    if (!m && ref.n && !(ref.n == 1 && ref.p[0] == '-')) {
        struct exh_buf *dec = exh_emit_scratch(em, 1);
        exh_buf_reset(dec);
        exh_req_decode(dec, ref, false);
        if ((m = exh_iocset_web(s, dec->p, dec->n, &at, &len)))
            text = exh_str_make(dec->p, dec->n);
    }
    if (m) {
        char msg[400], lab[300], ev[300];
        label(m, lab, sizeof(lab));
        snprintf(ev, sizeof(ev), "%.*s", (int)(len > 256 ? 256 : len), text.p + at);
        snprintf(msg, sizeof(msg), "Request naming the listed %s %s (%s)",
                 m->type == EXH_IOC_URL ? "URL" : "domain", m->value, lab);
        struct exh_hit h = {0};
        h.rule = EXH_RULE_IOC_WEB;
        exh_hit_request_fields(rec, &h, &url);
        h.message = msg;
        h.evidence = exh_str_make(ev, strlen(ev));
        h.ioc = m;
        exh_emit_line(em, rec, &h);
    }
    exh_buf_release(&url);
}

#define WEB_PAGE_MAX (4u << 20)

/* Pages and scripts: where a web shell or a dropper names its C2. */
static bool text_code(struct exh_str name)
{
    static const char *const exts[] = {".aspx", ".ashx", ".asmx", ".asp", ".cshtml", ".config",
                                       ".js",   ".ps1",  ".psm1", ".bat", ".cmd",    ".vbs",
                                       ".hta",  ".php",  ".jsp",  NULL};
    for (int i = 0; exts[i]; i++)
        if (exh_ends_ci(name, exts[i]))
            return true;
    return false;
}

static void file_hit(struct exh_emitter *em, const struct exh_file *f, enum exh_rule_sym rule,
                     const char *msg, struct exh_str ev, const struct exh_ioc_meta *m)
{
    struct exh_hit h = exh_hit_make(rule, msg, ev);
    h.ioc = m;
    exh_emit_file(em, f, &h, true, f->mtime_ms);
}

void exh_det_ioc_files_file(struct exh_emitter *em, const struct exh_file *f)
{
    const struct exh_iocset *s = exh_emit_iocs(em);
    char msg[600], lab[300], hex[65];
    if (f->has_digests && exh_iocset_has_hashes(s)) {
        static const struct {
            size_t off, len;
            const char *name;
        } kinds[] = {{offsetof(struct exh_digests, sha256), 32, "SHA-256"},
                     {offsetof(struct exh_digests, sha1), 20, "SHA-1"},
                     {offsetof(struct exh_digests, md5), 16, "MD5"}};
        for (size_t k = 0; k < 3; k++) {
            const uint8_t *d = (const uint8_t *)&f->dg + kinds[k].off;
            const struct exh_ioc_meta *m = exh_iocset_hash(s, d, kinds[k].len);
            if (!m)
                continue;
            exh_hex(d, kinds[k].len, hex);
            label(m, lab, sizeof(lab));
            snprintf(msg, sizeof(msg), "%s is on %s%s%s", kinds[k].name, lab, m->note ? ": " : "",
                     m->note ? m->note : "");
            file_hit(em, f, EXH_RULE_IOC_HASH, msg, exh_str_make(hex, strlen(hex)), m);
            break;
        }
    }
    const char *rel = f->rel[0] ? f->rel : f->path;
    const struct exh_ioc_meta *m = exh_iocset_path(s, rel);
    if (m) {
        label(m, lab, sizeof(lab));
        snprintf(msg, sizeof(msg), "Path named by %s as a planted web shell or tool", lab);
        file_hit(em, f, EXH_RULE_LOC_KNOWN_PATH, msg, exh_str_make(f->rel, strlen(f->rel)), m);
    } else if ((m = exh_iocset_name(s, exh_path_base(exh_str_make(rel, strlen(rel)))))) {
        label(m, lab, sizeof(lab));
        snprintf(msg, sizeof(msg), "File name %s is on %s", m->value, lab);
        file_hit(em, f, EXH_RULE_IOC_NAME, msg, exh_str_make(f->rel, strlen(f->rel)), m);
    }
    if (exh_iocset_has_regex(s)) {
        struct exh_buf *w = exh_emit_scratch(em, 1);
        exh_iocset_winpath(f->path, w);
        if ((m = exh_iocset_regex(s, w->p, w->n))) {
            label(m, lab, sizeof(lab));
            snprintf(msg, sizeof(msg), "Path matches %s's pattern %.200s (score %d)", lab, m->value,
                     m->score);
            file_hit(em, f, m->score >= 75 ? EXH_RULE_IOC_PATTERN : EXH_RULE_IOC_PATTERN_LOW, msg,
                     exh_str_make(w->p, w->n), m);
        }
    }
    if (exh_iocset_has_web(s) && f->data && f->family == EXH_FAM_NONE &&
        text_code(exh_str_make(f->name, strlen(f->name)))) {
        /* the first 4 MiB: pages and scripts are small, and a page made of
         * near-misses of a long listed host costs the host's length a byte */
        size_t at, len, n = f->n < WEB_PAGE_MAX ? f->n : WEB_PAGE_MAX;
        m = exh_iocset_web(s, (const char *)f->data, n, &at, &len);
        if (m) {
            label(m, lab, sizeof(lab));
            snprintf(msg, sizeof(msg), "The file names the listed %s %s (%s)",
                     m->type == EXH_IOC_URL ? "URL" : "domain", m->value, lab);
            struct exh_hit h =
                exh_hit_make(EXH_RULE_IOC_WEB_FILE, msg,
                             exh_str_make((const char *)f->data + at, len > 256 ? 256 : len));
            h.ioc = m;
            h.has_offset = true;
            h.offset = at;
            exh_emit_file(em, f, &h, true, f->mtime_ms);
        }
    }
}
