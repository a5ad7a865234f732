/* det_ioc.c: indicators. In log lines: known attacker IP addresses and user
 * agents (an address must stand alone; crawler names the attackers spoofed
 * count only on POST requests). For files: known hashes of web shells and
 * tools, and paths where web shells were planted. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "exh/banned.h"

static bool ip_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.';
}

/* The first listed address standing alone in s: a run of digits and dots
 * (nothing of the kind before it), ended by something else or by a dot that
 * no digit follows ("from 1.2.3.4." and "1.2.3.4..x" name 1.2.3.4, "1.2.3.45"
 * does not). One lookup per candidate, and only a run's first 15 bytes can
 * hold one (the addresses are IPv4): linear in the line, whatever the number
 * of addresses listed. */
static bool find_listed_ip(const struct exh_iocset *s, struct exh_str line, const char **ip,
                           const char **src)
{
    size_t i = 0;
    while (i < line.n) {
        if (!ip_char(line.p[i])) {
            i++;
            continue;
        }
        size_t st = i;
        while (i < line.n && ip_char(line.p[i]))
            i++;
        for (size_t k = st + 1; k <= i && k - st <= 15; k++) {
            bool end = k == i || (line.p[k] == '.' && (k + 1 >= i || line.p[k + 1] == '.'));
            if (end && exh_iocset_ip_find(s, line.p + st, k - st, ip, src))
                return true;
        }
    }
    return false;
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
    if (rec->row)
        exh_hit_request_fields(rec, h, url);
    else
        h->status = -1;
}

void exh_det_ioc_network_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    const struct exh_iocset *s = exh_emit_iocs(em);
    if (!exh_iocset_line_may_match(s, rec->line.p, rec->line.n))
        return;
    struct exh_buf url = {0};
    const char *ip_src, *ip;
    if (find_listed_ip(s, rec->line, &ip, &ip_src)) {
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "Request involving %s, a published Exchange attacker address (%s)", ip, ip_src);
        struct exh_hit h = {0};
        h.rule = EXH_RULE_IOC_IP;
        fill(rec, &h, &url);
        if (!h.source_ip.n)
            h.source_ip = exh_str_make(ip, strlen(ip));
        h.message = msg;
        h.evidence = exh_str_make(ip, strlen(ip));
        exh_emit_line(em, rec, &h); /* one finding per line is enough */
    }
    /* the row's user agent when the layout has one (else the line is searched) */
    struct exh_str rec_ua =
        rec->row ? exh_trim(exh_rec_col(rec, EXH_COL_USER_AGENT)) : EXH_STR_NULL;
    for (size_t i = 0; i < exh_iocset_nuas(s); i++) {
        const char *plus, *src;
        bool post_only;
        const char *ua = exh_iocset_ua(s, i, &plus, &post_only, &src);
        if (rec_ua.n) {
            /* the user agent starts with it (some published strings lack
             * their closing parenthesis); a client that merely embeds one of
             * these names (Teams' "... (ExchangeServicesClient/0.0.0.0) ...",
             * exchangelib's "... (python-requests/2.25.1)") is not it */
            if (!exh_starts_ci(rec_ua, ua) && !exh_starts_ci(rec_ua, plus))
                continue;
        } else if (!exh_find_ci_lit(rec->line, ua) && !exh_find_ci_lit(rec->line, plus)) {
            continue;
        }
        if (post_only && !is_post(rec))
            continue;
        char msg[256];
        snprintf(msg, sizeof(msg), "%s with a published Exchange attacker user agent (%s)",
                 post_only ? "POST request" : "Request", src);
        struct exh_hit h = {0};
        h.rule = EXH_RULE_IOC_UA;
        fill(rec, &h, &url);
        h.message = msg;
        h.evidence = exh_str_make(ua, strlen(ua));
        exh_emit_line(em, rec, &h);
        break;
    }
    exh_buf_release(&url);
}

void exh_det_ioc_files_file(struct exh_emitter *em, const struct exh_file *f)
{
    const struct exh_iocset *s = exh_emit_iocs(em);
    struct exh_hit h = {0};
    h.status = -1;
    char msg[400], hex[65];
    if (f->has_digests) {
        static const struct {
            size_t off, len;
            const char *name;
        } kinds[] = {{offsetof(struct exh_digests, sha256), 32, "SHA-256"},
                     {offsetof(struct exh_digests, sha1), 20, "SHA-1"},
                     {offsetof(struct exh_digests, md5), 16, "MD5"}};
        for (size_t k = 0; k < 3; k++) {
            const uint8_t *d = (const uint8_t *)&f->dg + kinds[k].off;
            const char *note = NULL, *src = exh_iocset_hash(s, d, kinds[k].len, &note);
            if (!src)
                continue;
            exh_hex(d, kinds[k].len, hex);
            snprintf(msg, sizeof(msg), "%s is on %s%s%s", kinds[k].name, src,
                     note && *note ? ": " : "", note ? note : "");
            h.rule = EXH_RULE_IOC_HASH;
            h.message = msg;
            h.evidence = exh_str_make(hex, strlen(hex));
            exh_emit_file(em, f, &h, true, f->mtime_ms);
            break;
        }
    }
    const char *src = exh_iocset_path(s, f->rel[0] ? f->rel : f->path);
    if (src) {
        snprintf(msg, sizeof(msg), "Path named by %s as a planted web shell or tool", src);
        h.rule = EXH_RULE_LOC_KNOWN_PATH;
        h.message = msg;
        h.evidence = exh_str_make(f->rel, strlen(f->rel));
        exh_emit_file(em, f, &h, true, f->mtime_ms);
    }
}
