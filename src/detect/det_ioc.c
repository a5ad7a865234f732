/* det_ioc.c: known attacker IP addresses and user agents in any log line.
 * Addresses must stand alone (not inside a longer number); crawler names
 * the attackers spoofed count only on POST requests. */
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "ioc.h"
#include "exh/banned.h"

static bool ip_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.';
}

/* Find ip in s as a whole token; returns the position or NULL. */
static const char *find_ip(struct exh_str s, const char *ip)
{
    size_t m = strlen(ip);
    size_t from = 0;
    while (from < s.n) {
        const char *p = exh_find_ci(s.p + from, s.n - from, ip, m);
        if (!p)
            return NULL;
        size_t at = (size_t)(p - s.p);
        bool left = at == 0 || !ip_char(s.p[at - 1]);
        bool right = at + m >= s.n || !ip_char(s.p[at + m]) ||
                     (s.p[at + m] == '.' && (at + m + 1 >= s.n || !(s.p[at + m + 1] >= '0' && s.p[at + m + 1] <= '9')));
        if (left && right)
            return p;
        from = at + 1;
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

static void fill(const struct exh_logrec *rec, struct exh_hit *h, struct exh_buf *url)
{
    if (rec->row) {
        exh_hit_request_fields(rec, h, url);
    } else {
        h->status = -1;
    }
}

void exh_ioc_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_buf url = {0};
    for (size_t i = 0; i < exh_nioc_ips; i++) {
        if (!find_ip(rec->line, exh_ioc_ips[i].ip))
            continue;
        char msg[256];
        snprintf(msg, sizeof(msg), "Request involving %s, a published Exchange attacker address (%s)",
                 exh_ioc_ips[i].ip, exh_ioc_ips[i].source);
        struct exh_hit h = {0};
        h.rule = EXH_RULE_IOC_IP;
        fill(rec, &h, &url);
        if (!h.source_ip.n)
            h.source_ip = exh_str_make(exh_ioc_ips[i].ip, strlen(exh_ioc_ips[i].ip));
        h.message = msg;
        h.evidence = exh_str_make(exh_ioc_ips[i].ip, strlen(exh_ioc_ips[i].ip));
        exh_emit_line(em, rec, &h);
        break; /* one finding per line is enough */
    }
    for (size_t i = 0; i < exh_nioc_uas; i++) {
        const struct exh_ioc_ua *u = &exh_ioc_uas[i];
        const char *hit = exh_find_ci_lit(rec->line, u->ua);
        if (!hit)
            hit = exh_find_ci_lit(rec->line, u->ua_plus);
        if (!hit)
            continue;
        if (u->post_only && !is_post(rec))
            continue;
        char msg[256];
        snprintf(msg, sizeof(msg), "%s with a published Exchange attacker user agent (%s)",
                 u->post_only ? "POST request" : "Request", u->source);
        struct exh_hit h = {0};
        h.rule = EXH_RULE_IOC_UA;
        fill(rec, &h, &url);
        h.message = msg;
        h.evidence = exh_str_make(u->ua, strlen(u->ua));
        exh_emit_line(em, rec, &h);
        break;
    }
    exh_buf_release(&url);
}
