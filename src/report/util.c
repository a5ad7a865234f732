/* util.c: JSON, terminal and CSV escaping. Every byte of evidence comes from
 * an attacker, so nothing is written raw. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "exh/rules.h"
#include "exh/hash.h"
#include "exh/scan.h"
#include "exh/timeutil.h"
#include "util.h"
#include "exh/banned.h"

/* Bytes JSON takes as they are: printable ASCII but the quote and backslash. */
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Are all eight bytes at p in the plain set (0x20..0x7E but '"' and '\\')?
 * Word-at-a-time: a byte is zero in x ^ c*ONES exactly when it equals c; the
 * "has a zero byte" test (v - ONES) & ~v & HIGH flags at least the first such
 * byte, which is all a yes/no answer needs. */
static inline bool plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t v;
    memcpy(&v, p, 8);
    uint64_t q = v ^ (ones * '"'), s = v ^ (ones * '\\'), d = v ^ (ones * 0x7F);
    uint64_t bad = v & high;              /* 0x80..0xFF */
    bad |= (v - ones * 0x20) & ~v & high; /* < 0x20 (bytes < 0x80 here) */
    bad |= (q - ones) & ~q & high;
    bad |= (s - ones) & ~s & high;
    bad |= (d - ones) & ~d & high;
    return bad == 0;
}

/* Unicode format characters (general category Cf, Unicode 15.1) and the line
 * and paragraph separators: invisible, or they reorder or break what is
 * around them (U+202E turns "invoice<RLO>txt.aspx" into "invoicexpsa.txt").
 * None belongs in a path, URL or user agent; all are shown escaped. */
bool exh_format_char(unsigned cp)
{
    static const struct {
        unsigned lo, hi;
    } cf[] = {
        {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},
        {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},
        {0x200B, 0x200F},   {0x2028, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},
        {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
        {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
        {0xE0020, 0xE007F},
    };
    if (cp < 0xAD)
        return false;
    for (size_t k = 0; k < sizeof(cf) / sizeof(cf[0]) && cf[k].lo <= cp; k++)
        if (cp <= cf[k].hi)
            return true;
    return false;
}

/* How text and CSV show the character at p (n > 0 bytes left); its length in
 * *len, its code point in *cp for SHOW_CP. */
enum shown { SHOW_PLAIN, SHOW_BYTES, SHOW_CP, SHOW_INVALID };

static enum shown classify(const unsigned char *p, size_t n, size_t *len, unsigned *cp)
{
    unsigned c = p[0];
    *len = 1;
    if (c >= 0x20 && c < 0x7F)
        return SHOW_PLAIN;
    if (c < 0x80)
        return SHOW_BYTES; /* C0 controls and DEL */
    size_t k = exh_utf8_decode(p, n, cp);
    if (!k)
        return SHOW_INVALID;
    *len = k;
    if (*cp < 0xA0)
        return SHOW_BYTES; /* C1 controls */
    return exh_format_char(*cp) ? SHOW_CP : SHOW_PLAIN;
}

static void put_bytes(FILE *out, const unsigned char *p, size_t len)
{
    for (size_t k = 0; k < len; k++)
        fprintf(out, "\\x%02x", p[k]);
}

static void put_cp(FILE *out, unsigned cp)
{
    fprintf(out, "<U+%04X>", cp);
}

void exh_json_buf(struct exh_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    exh_buf_reserve(b, n + 2);
    b->p[b->n++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* eight bytes at a time while none needs escaping */
        while (run + 8 <= n && plain8(p + run))
            run += 8;
        while (run < n && plain[p[run]])
            run++;
        if (run > i) {
            exh_buf_add(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned c = p[i];
        char esc[7] = {'\\', 0};
        size_t k = 2;
        if (c == '"' || c == '\\')
            esc[1] = (char)c;
        else if (c == '\n')
            esc[1] = 'n';
        else if (c == '\r')
            esc[1] = 'r';
        else if (c == '\t')
            esc[1] = 't';
        else if (c < 0x20 || c == 0x7F) {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        } else {
            unsigned cp;
            size_t len = exh_utf8_decode(p + i, n - i, &cp);
            if (!len) {
                exh_buf_add(b, "\\ufffd", 6);
                i++;
            } else if (cp < 0xA0 || exh_format_char(cp)) {
                /* C1 controls and format characters as \u escapes: the
                 * string decodes to the same text, but a terminal or viewer
                 * showing the raw line is not steered by them (no more than
                 * 6 bytes out per byte in, as exh_json_str counts on) */
                unsigned u[2] = {cp, 0};
                size_t nu = 1;
                if (cp > 0xFFFF) {
                    u[0] = 0xD800 + ((cp - 0x10000) >> 10);
                    u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
                    nu = 2;
                }
                for (size_t j = 0; j < nu; j++) {
                    char e[6] = {'\\',
                                 'u',
                                 hex[u[j] >> 12],
                                 hex[(u[j] >> 8) & 15],
                                 hex[(u[j] >> 4) & 15],
                                 hex[u[j] & 15]};
                    exh_buf_add(b, e, 6);
                }
                i += len;
            } else {
                exh_buf_add(b, p + i, len);
                i += len;
            }
            continue;
        }
        exh_buf_add(b, esc, k);
        i++;
    }
    exh_buf_addc(b, '"');
}

void exh_json_str(FILE *out, const char *s, size_t n)
{
    char small[256];
    struct exh_buf b = {small, 0, sizeof(small)};
    /* the stack buffer serves short strings; a longer one moves to the heap */
    if (n * 6 + 3 > sizeof(small))
        b = (struct exh_buf){0};
    exh_json_buf(&b, s, n);
    fwrite(b.p, 1, b.n, out);
    if (b.p != small)
        exh_buf_release(&b);
}

/* Text, HTML with the escapes marked, or HTML/SVG text without markup: what
 * is shown escaped is the same in all three; HTML also writes & < > " ' as
 * entities. */
enum esc_mode { ESC_TEXT, ESC_HTML, ESC_HTML_PLAIN };

static void escaped(FILE *out, const char *s, size_t n, size_t max, enum esc_mode mode)
{
    static const char *const ent[] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    const unsigned char *p = (const unsigned char *)s;
    bool html = mode != ESC_TEXT, mark = mode == ESC_HTML;
    size_t lim = n > max ? max : n;
    size_t i = 0, run = 0; /* p[run..i) is plain, not yet written */
    while (i < lim) {
        size_t len;
        unsigned cp;
        enum shown how = classify(p + i, n - i, &len, &cp);
        if (i + len > lim)
            break; /* a character that would cross the limit */
        const char *e = html && p[i] < sizeof(ent) / sizeof(ent[0]) ? ent[p[i]] : NULL;
        if (how != SHOW_PLAIN || e) {
            fwrite(p + run, 1, i - run, out);
            fputs(mark && !e ? "<span class=\"x\">" : "", out);
            if (e)
                fputs(e, out);
            else if (html && how == SHOW_CP)
                fprintf(out, "&lt;U+%04X&gt;", cp);
            else if (how == SHOW_CP)
                put_cp(out, cp);
            else
                put_bytes(out, p + i, len);
            fputs(mark && !e ? "</span>" : "", out);
            run = i + len;
        }
        i += len;
    }
    fwrite(p + run, 1, i - run, out);
    if (n > max)
        fputs("...", out);
}

void exh_text_escaped(FILE *out, const char *s, size_t n, size_t max)
{
    escaped(out, s, n, max, ESC_TEXT);
}

void exh_html_escaped(FILE *out, const char *s, size_t n, size_t max, bool mark)
{
    escaped(out, s, n, max, mark ? ESC_HTML : ESC_HTML_PLAIN);
}

/* Does a spreadsheet cell that starts at p[i] begin a formula? Leading
 * spaces and quotes are passed over (an import may drop them). */
static bool formula_at(const unsigned char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '"'))
        i++;
    return i < n && (p[i] == '=' || p[i] == '+' || p[i] == '-' || p[i] == '@');
}

void exh_csv_cell(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    bool formula = n && (p[0] == '\t' || p[0] == '\r' || formula_at(p, n, 0));
    bool quote = formula;
    for (size_t i = 0; i < n && !quote; i++)
        quote = p[i] == ',' || p[i] == '"' || p[i] == ';';
    if (quote)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    size_t i = 0;
    while (i < n) {
        size_t len;
        unsigned cp;
        enum shown how = classify(p + i, n - i, &len, &cp);
        if (how == SHOW_INVALID) {
            fputs("\xEF\xBF\xBD", out);
        } else if (how == SHOW_CP) {
            put_cp(out, cp);
        } else if (how == SHOW_BYTES) {
            put_bytes(out, p + i, len);
        } else {
            if (p[i] == '"')
                fputc('"', out);
            fwrite(p + i, 1, len, out);
            /* where ';' separates cells, what follows it starts a cell */
            if (p[i] == ';' && formula_at(p, n, i + 1))
                fputc('\'', out);
        }
        i += len;
    }
    if (quote)
        fputc('"', out);
}

void exh_json_key(FILE *o, const char *k)
{
    exh_json_cstr(o, k);
    fputc(':', o);
}

void exh_json_kv_str(FILE *o, const char *k, const char *v)
{
    exh_json_key(o, k);
    exh_json_cstr(o, v ? v : "");
}

void exh_json_kv_time(FILE *o, const char *k, int64_t ms)
{
    char t[32];
    exh_time_format(ms, t);
    exh_json_kv_str(o, k, t);
}

void exh_json_list(FILE *o, const char *m)
{
    for (m = m ? m : ""; *m;) {
        size_t k = strcspn(m, ",");
        exh_json_str(o, m, k);
        m += k;
        if (*m == ',') {
            fputc(',', o);
            m++;
        }
    }
}

/* ECS's threat.indicator.confidence, from STIX's 0-100 scale (its
 * None/Low/Med/High mapping). */
static const char *confidence_word(int c)
{
    return c < 0 ? "Not Specified" : c == 0 ? "None" : c < 30 ? "Low" : c < 70 ? "Medium" : "High";
}

/* ECS's threat.indicator.type of an exhunt indicator type (NULL: none fits). */
static const char *ecs_indicator_type(const char *t, const char *value)
{
    if (!strcmp(t, "ip"))
        return value && strchr(value, ':') ? "ipv6-addr" : "ipv4-addr";
    if (!strcmp(t, "domain"))
        return "domain-name";
    if (!strcmp(t, "url"))
        return "url";
    if (!strcmp(t, "hash") || !strcmp(t, "path") || !strcmp(t, "name") || !strcmp(t, "regex"))
        return "file";
    return NULL;
}

void exh_json_rule(FILE *o, const struct exh_rule *ru, const struct exh_finding *f)
{
    fputs(",\"rule\":{", o);
    exh_json_kv_str(o, "id", ru->id);
    fputc(',', o);
    exh_json_kv_str(o, "name", ru->name);
    fputc(',', o);
    exh_json_kv_str(o, "ruleset", ru->ruleset);
    fputc(',', o);
    exh_json_kv_str(o, "description", ru->summary);
    fputs("},\"vulnerability\":{\"id\":[", o);
    for (size_t i = 0; i < exh_rule_cve_count(ru); i++) {
        char cve[32];
        exh_rule_cve(ru, i, cve);
        if (i)
            fputc(',', o);
        exh_json_cstr(o, cve);
    }
    fputs("]}", o);
    bool ioc = f && f->ioc_feed;
    if (!ru->attack[0] && !ioc)
        return;
    fputs(",\"threat\":{", o);
    if (ru->attack[0]) {
        fputs("\"framework\":\"MITRE ATT&CK\",\"technique\":{\"id\":[", o);
        exh_json_cstr(o, ru->attack);
        fputs("]}", o);
    }
    if (ioc) {
        /* the indicator matched, and the list it is on */
        fputs(ru->attack[0] ? ",\"feed\":{" : "\"feed\":{", o);
        exh_json_kv_str(o, "name", f->ioc_feed);
        fputs("},\"indicator\":{", o);
        const char *et = ecs_indicator_type(f->ioc_type, f->ioc_value);
        if (et) {
            exh_json_kv_str(o, "type", et);
            fputc(',', o);
        }
        exh_json_kv_str(o, "name", f->ioc_value ? f->ioc_value : "");
        if (f->ioc_title) {
            fputc(',', o);
            exh_json_kv_str(o, "description", f->ioc_title);
        }
        if (f->ioc_reference) {
            fputc(',', o);
            exh_json_kv_str(o, "reference", f->ioc_reference);
        }
        fputc(',', o);
        exh_json_kv_str(o, "confidence", confidence_word(f->ioc_confidence));
        fputc('}', o);
    }
    fputc('}', o);
}

void exh_json_rule_advice(FILE *o, const struct exh_rule *ru)
{
    fputc(',', o);
    exh_json_kv_str(o, "explanation", ru->explanation);
    fputc(',', o);
    exh_json_kv_str(o, "remediation", ru->remediation);
}

/* What to do next, by verdict (the text report's "next" line). */
const char *exh_next_steps(const struct exh_summary *s, bool errors_below)
{
    switch (s->verdict) {
    case EXH_VERDICT_COMPROMISED:
        return "Handle this as an incident: isolate the server from the internet, preserve its "
               "logs and disk, patch it, remove (after copying) every web shell found, reset the "
               "credentials used on it, and hunt for the same source IPs elsewhere.";
    case EXH_VERDICT_TARGETED:
        return "Attackers tried. Make sure the server is fully patched, review every request from "
               "the source IPs above, and scan again including the web folders and event logs.";
    case EXH_VERDICT_EXPOSED:
        if (s->build_support && strcmp(s->build_support, "current") != 0)
            return "Move to Exchange Server SE (this version gets no more updates); until then "
                   "install its last updates and keep it off the internet. The logs show no "
                   "attack, but they only reach as far back as the coverage above.";
        return "Install the latest cumulative and security updates. The logs show no attack, but "
               "they only reach as far back as the coverage above.";
    case EXH_VERDICT_INCOMPLETE:
        return errors_below
                   ? "Fix the errors listed below (permissions, damaged files) and scan "
                     "again; nothing found so far is not the same as clean."
                   : "Fix the errors listed on stderr (permissions, damaged files) and scan "
                     "again; nothing found so far is not the same as clean.";
    case EXH_VERDICT_CLEAN:
        if (s->by_sev[EXH_SEV_LOW] + s->by_sev[EXH_SEV_INFO] > 0)
            return "No sign of attack in the evidence read. Confirm the low/info leads above with "
                   "the people who run the server. This covers only the time span and log "
                   "families listed above; older activity cannot be judged.";
        return "No sign of attack in the evidence read. This covers only the time span and log "
               "families listed above; older activity cannot be judged.";
    }
    return "";
}

int64_t exh_finding_datetime(const struct exh_finding *f, int64_t created_ms, const char **desc)
{
    if (!f->has_ts) {
        *desc = "Scan time (the evidence has no time)";
        return created_ms;
    }
    if (!strcmp(f->dataset, "exchange.build"))
        *desc = "Build last seen in the logs";
    else if (f->has_record)
        *desc = "Event record time";
    else if (f->is_file)
        *desc = "File time";
    else
        *desc = "Log entry time";
    return f->ts_ms;
}

/* 'sha256-<base64>' of s, for the Content-Security-Policy */
void exh_csp_hash(FILE *o, const char *s)
{
    uint8_t d[32];
    exh_sha256((const uint8_t *)s, strlen(s), d);
    struct exh_buf b = {0};
    exh_base64_add(&b, d, sizeof(d));
    fprintf(o, "'sha256-%.*s'", (int)b.n, b.p);
    exh_buf_release(&b);
}

void exh_text_error_line(FILE *o, const struct exh_error_rec *e)
{
    fputs(e->collect ? "exhunt: --collect: '"
          : e->info  ? "exhunt: not read (info) '"
                     : "exhunt: cannot read '",
          o);
    exh_text_escaped(o, e->path, strlen(e->path), 4096);
    fputs("': ", o);
    exh_text_escaped(o, e->message, strlen(e->message), 1024);
    fputc('\n', o);
}

void exh_feed_counts(FILE *o, const struct exh_ioc_feed_sum *f)
{
    bool any = false;
    for (int t = 0; t < EXH_IOC__COUNT; t++) {
        if (!f->loaded[t])
            continue;
        fprintf(o, "%s %llu %s (%llu matched)", any ? "," : "", (unsigned long long)f->loaded[t],
                exh_ioc_type_name((enum exh_ioc_type)t), (unsigned long long)f->matched[t]);
        any = true;
    }
    if (!any)
        fputs(" nothing exhunt matches", o);
    if (f->unused || f->bad)
        fprintf(o, "; %llu not used, %llu not understood", (unsigned long long)f->unused,
                (unsigned long long)f->bad);
}
