/* request.c: a web request as the request detectors read it (request.h). */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "request.h"
#include "exh/banned.h"

/* Lower-case, percent-decoded copy of s (W3C query: '+' is a space),
 * appended to b: room for all of s first (decoding never grows), then one
 * tight pass. */
void exh_req_decode(struct exh_buf *b, struct exh_str s, bool plus_is_space)
{
    exh_buf_reserve(b, s.n);
    char *o = b->p + b->n;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '%' && i + 2 < s.n) {
            int h = exh_hexval((unsigned char)s.p[i + 1]),
                l = exh_hexval((unsigned char)s.p[i + 2]);
            if (h >= 0 && l >= 0) {
                *o++ = (char)exh_lc((unsigned char)(h * 16 + l));
                i += 2;
                continue;
            }
        }
        if (c == '+' && plus_is_space)
            c = ' ';
        *o++ = (char)exh_lc((unsigned char)c);
    }
    b->n = (size_t)(o - b->p);
    b->p[b->n] = '\0';
}

/* The request of the line read last on this thread, by the line's serial
 * (exh_logrec.serial, unique in the process): the request detectors see a
 * line one after another, and read and decode it once. Its shapes are kept
 * too, so that exh_req_claimed_before() tests each shape once per line. */
#define MEMO_BYTES 2048
static _Thread_local struct {
    uint64_t serial; /* 0: empty */
    bool ok;         /* exh_req_read's answer */
    struct exh_req q;
    uint8_t shapes_known, shapes; /* bit k: shape k tested, and its answer */
    char dec[MEMO_BYTES + 2];     /* the decoded "stem?query" when short enough */
} memo;

bool exh_req_read(struct exh_emitter *em, const struct exh_logrec *rec, struct exh_req *q)
{
    if (rec->serial && memo.serial == rec->serial) {
        *q = memo.q;
        return memo.ok;
    }
    memo.serial = 0;
    memset(q, 0, sizeof(*q));
    q->rec = rec;
    if (!rec->row)
        return false;
    struct exh_str stem_raw = exh_trim(exh_rec_col(rec, EXH_COL_URL_STEM));
    if (!stem_raw.n)
        return false;
    q->w3c = rec->file->family == EXH_FAM_W3C;
    q->post = exh_eq_ci(exh_trim(exh_rec_col(rec, EXH_COL_METHOD)), "POST");
    q->ua = exh_rec_col(rec, EXH_COL_USER_AGENT);
    q->user = exh_trim(exh_rec_col(rec, EXH_COL_AUTH_USER));
    q->status = exh_parse_status(exh_rec_col(rec, EXH_COL_STATUS));
    struct exh_str query_raw = exh_trim(exh_rec_col(rec, EXH_COL_URL_QUERY));
    /* one decoded buffer "stem?query": stem and query are slices of it, and
     * the ordered ProxyShell search reads it whole */
    struct exh_buf *ub = exh_emit_scratch(em, 0);
    exh_buf_reset(ub);
    exh_req_decode(ub, stem_raw, false);
    size_t sn = ub->n;
    exh_buf_addc(ub, '?');
    exh_req_decode(ub, query_raw, q->w3c);
    q->url = exh_str_make(ub->p, ub->n);
    if (rec->serial && ub->n <= MEMO_BYTES) {
        /* kept where the next detector finds it (scratch 0 is its own) */
        memcpy(memo.dec, ub->p, ub->n);
        q->url = exh_str_make(memo.dec, ub->n);
    }
    q->stem = exh_str_make(q->url.p, sn);
    q->query = exh_str_make(q->url.p + sn + 1, q->url.n - sn - 1);
    if (rec->serial && q->url.p == memo.dec) {
        memo.serial = rec->serial;
        memo.ok = true;
        memo.q = *q;
        memo.shapes_known = memo.shapes = 0;
    }
    return true;
}

void exh_req_emit(struct exh_emitter *em, const struct exh_req *q, enum exh_rule_sym rule,
                  const char *what, struct exh_str evidence)
{
    const struct exh_logrec *rec = q->rec;
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

void exh_emit_labelled(struct exh_emitter *em, const struct exh_logrec *rec, struct exh_hit *h,
                       const char *what, const char *label, struct exh_str value)
{
    struct exh_buf msg = {0}, ev = {0};
    exh_buf_adds(&msg, what);
    if (h->status >= 0)
        exh_buf_addf(&msg, " (HTTP %d)", h->status);
    h->message = msg.p;
    exh_buf_adds(&ev, label);
    exh_buf_add(&ev, value.p, value.n);
    h->evidence = exh_str_make(ev.p, ev.n);
    exh_emit_line(em, rec, h);
    exh_buf_release(&msg);
    exh_buf_release(&ev);
}

bool exh_req_has(struct exh_str s, const char *lit)
{
    return exh_find_ci_lit(s, lit) != NULL;
}

bool exh_exchange_client(struct exh_str ua)
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

bool exh_may_have(_Atomic(struct exh_matcher *) *slot, const char *const *words, struct exh_str s)
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

bool exh_req_scanner(const struct exh_req *q)
{
    static _Atomic(struct exh_matcher *) quick;
    /* one pass on the hot path; the matcher's answer is exact here (a NULL
     * matcher would look) */
    return q->ua.n && exh_may_have(&quick, scanner_ua, q->ua);
}

bool exh_req_authenticated(const struct exh_req *q)
{
    return (q->user.n > 0 && !exh_eq_ci(q->user, "-")) ||
           exh_eq_ci(exh_trim(exh_rec_col(q->rec, EXH_COL_IS_AUTH)), "true");
}

bool exh_req_claimed_before(const struct exh_req *q, enum exh_req_order k)
{
    static bool (*const shapes[EXH_REQ__COUNT])(const struct exh_req *) = {
        [EXH_REQ_PROXYLOGON_PROBE] = exh_req_is_proxylogon_probe,
        [EXH_REQ_PROXYSHELL] = exh_req_is_proxyshell,
        [EXH_REQ_OWASSRF] = exh_req_is_owassrf,
        [EXH_REQ_ECP] = exh_req_is_ecp,
        [EXH_REQ_PROXYLOGON_IIS] = exh_req_is_proxylogon_iis,
        [EXH_REQ_COMMAND] = exh_req_is_command,
    };
    _Static_assert(EXH_REQ__COUNT <= 8, "the shapes memo holds 8 bits");
    /* the memo answers for the request it holds (the same line, read by an
     * earlier detector), else each shape is tested */
    bool mine = q->rec->serial && memo.serial == q->rec->serial && q->url.p == memo.q.url.p;
    for (int i = 0; i < (int)k; i++) {
        uint8_t bit = (uint8_t)(1u << i);
        bool v;
        if (mine && (memo.shapes_known & bit)) {
            v = (memo.shapes & bit) != 0;
        } else {
            v = shapes[i](q);
            if (mine) {
                memo.shapes_known |= bit;
                memo.shapes |= v ? bit : 0;
            }
        }
        if (v)
            return true;
    }
    return false;
}
