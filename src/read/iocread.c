/* iocread.c: indicator files (iocread.h): the type checks the readers share,
 * the choice of reader by content, and the line formats (plain and Loki
 * lists, the CSVs). The JSON, YAML and XML formats are in ioc_json.c,
 * ioc_yaml.c and ioc_xml.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/exlog.h"
#include "exh/iocread.h"
#include "exh/netaddr.h"
#include "exh/banned.h"

const char *exh_ioc_type_name(enum exh_ioc_type t)
{
    static const char *const names[EXH_IOC__COUNT] = {"hash", "ip",    "domain",     "url", "path",
                                                      "name", "regex", "user-agent", "yara"};
    return (unsigned)t < EXH_IOC__COUNT ? names[t] : "?";
}

const char *exh_ioc_format_name(enum exh_ioc_format f)
{
    static const char *const names[EXH_IOCF__COUNT] = {
        "unknown", "list", "CSV", "STIX 2.1", "MISP JSON", "CHIRP YAML", "OpenIOC"};
    return (unsigned)f < EXH_IOCF__COUNT ? names[f] : "?";
}

/* ---------------------------------------------------------- type names -- */

static const struct {
    const char *name;
    enum exh_ioc_type t, second; /* second: EXH_IOC__COUNT when not composite or unused */
    bool composite;
} type_names[] = {
    {"md5", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"sha1", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"sha-1", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"sha256", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"sha-256", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"hash", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"filehash", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"filehash-md5", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"filehash-sha1", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"filehash-sha256", EXH_IOC_HASH, EXH_IOC__COUNT, false},
    {"ip", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ipv4", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ipv6", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ipaddress", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ip-address", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ipv4-addr", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ipv6-addr", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ip-src", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"ip-dst", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"cidr", EXH_IOC_IP, EXH_IOC__COUNT, false},
    {"domain", EXH_IOC_DOMAIN, EXH_IOC__COUNT, false},
    {"domainname", EXH_IOC_DOMAIN, EXH_IOC__COUNT, false},
    {"domain-name", EXH_IOC_DOMAIN, EXH_IOC__COUNT, false},
    {"hostname", EXH_IOC_DOMAIN, EXH_IOC__COUNT, false},
    {"host", EXH_IOC_DOMAIN, EXH_IOC__COUNT, false},
    {"fqdn", EXH_IOC_DOMAIN, EXH_IOC__COUNT, false},
    {"url", EXH_IOC_URL, EXH_IOC__COUNT, false},
    {"uri", EXH_IOC_URL, EXH_IOC__COUNT, false},
    {"filepath", EXH_IOC_PATH, EXH_IOC__COUNT, false},
    {"fullpath", EXH_IOC_PATH, EXH_IOC__COUNT, false},
    {"file-path", EXH_IOC_PATH, EXH_IOC__COUNT, false},
    {"path", EXH_IOC_PATH, EXH_IOC__COUNT, false},
    {"filename", EXH_IOC_NAME, EXH_IOC__COUNT, false},
    {"file-name", EXH_IOC_NAME, EXH_IOC__COUNT, false},
    {"useragent", EXH_IOC_UA, EXH_IOC__COUNT, false},
    {"user-agent", EXH_IOC_UA, EXH_IOC__COUNT, false},
    {"http-user-agent", EXH_IOC_UA, EXH_IOC__COUNT, false},
    {"yara", EXH_IOC_YARA, EXH_IOC__COUNT, false},
    /* MISP's composites: "a|b" values */
    {"filename|md5", EXH_IOC_NAME, EXH_IOC_HASH, true},
    {"filename|sha1", EXH_IOC_NAME, EXH_IOC_HASH, true},
    {"filename|sha256", EXH_IOC_NAME, EXH_IOC_HASH, true},
    {"ip-src|port", EXH_IOC_IP, EXH_IOC__COUNT, true},
    {"ip-dst|port", EXH_IOC_IP, EXH_IOC__COUNT, true},
    {"domain|ip", EXH_IOC_DOMAIN, EXH_IOC_IP, true},
    {"hostname|port", EXH_IOC_DOMAIN, EXH_IOC__COUNT, true},
};

bool exh_ioc_type_by_name(struct exh_str name, enum exh_ioc_type *t, bool *composite,
                          enum exh_ioc_type *second)
{
    name = exh_trim(name);
    /* "User Agent", "IP Address", "File Name": spaces and '_' as '-' or nothing */
    char k[40];
    size_t m = 0;
    for (size_t i = 0; i < name.n; i++) {
        char c = (char)exh_lc((unsigned char)name.p[i]);
        if (c == ' ' || c == '_')
            continue;
        if (m + 1 >= sizeof(k))
            return false;
        k[m++] = c;
    }
    k[m] = '\0';
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
        /* compared without '-' too: "user-agent" and "useragent" alike */
        const char *a = type_names[i].name, *b = k;
        while (*a || *b) {
            if (*a == '-' && *a != *b) {
                a++;
                continue;
            }
            if (*b == '-' && *a != *b) {
                b++;
                continue;
            }
            if (*a != *b)
                break;
            a++;
            b++;
        }
        if (!*a && !*b) {
            *t = type_names[i].t;
            if (composite)
                *composite = type_names[i].composite;
            if (second)
                *second = type_names[i].second;
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------- the checks -- */

static bool printable(struct exh_str v)
{
    for (size_t i = 0; i < v.n; i++)
        if ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7F)
            return false;
    return true;
}

static bool all_hex(struct exh_str v)
{
    for (size_t i = 0; i < v.n; i++)
        if (exh_hexval((unsigned char)v.p[i]) < 0)
            return false;
    return true;
}

static bool is_hash(struct exh_str v)
{
    return (v.n == 32 || v.n == 40 || v.n == 64) && all_hex(v);
}

static bool host_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static bool is_domain(struct exh_str *v)
{
    struct exh_str d = *v;
    if (d.n > 2 && d.p[0] == '*' && d.p[1] == '.') { /* "*.example.com" */
        d.p += 2;
        d.n -= 2;
    }
    if (d.n && d.p[d.n - 1] == '.')
        d.n--;
    if (d.n < 4 || d.n > 253)
        return false;
    size_t labels = 0, len = 0, last = 0;
    bool letter = false;
    for (size_t i = 0; i <= d.n; i++) {
        if (i == d.n || d.p[i] == '.') {
            if (!len || len > 63)
                return false;
            labels++;
            last = i - len;
            len = 0;
            continue;
        }
        if (!host_char((unsigned char)d.p[i]))
            return false;
        len++;
    }
    for (size_t i = last; i < d.n; i++)
        if ((d.p[i] | 0x20) >= 'a' && (d.p[i] | 0x20) <= 'z')
            letter = true;
    if (labels < 2 || !letter)
        return false;
    *v = d;
    return true;
}

static size_t scheme_len(struct exh_str v)
{
    static const char *const schemes[] = {"http://", "https://", "ftp://", "ftps://", "ws://",
                                          "wss://",  "tcp://",   "udp://", NULL};
    for (int i = 0; schemes[i]; i++)
        if (exh_starts_ci(v, schemes[i]))
            return strlen(schemes[i]);
    return 0;
}

static bool is_url(struct exh_str v)
{
    size_t s = scheme_len(v);
    if (!s || v.n <= s || v.n > 2048 || !printable(v))
        return false;
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] == ' ')
            return false;
    /* a host of name characters (or a bracketed IPv6 address), at most 253 */
    size_t h = s;
    if (v.p[h] == '[') {
        while (h < v.n && v.p[h] != ']')
            h++;
    } else {
        while (h < v.n && (host_char((unsigned char)v.p[h]) || v.p[h] == '.' || v.p[h] == '@'))
            h++;
    }
    return h > s && h - s <= 253;
}

static bool has_sep(struct exh_str v)
{
    return memchr(v.p, '\\', v.n) || memchr(v.p, '/', v.n);
}

bool exh_ioc_check(enum exh_ioc_type t, struct exh_str *v)
{
    *v = exh_trim(*v);
    if (!v->n)
        return false;
    switch (t) {
    case EXH_IOC_HASH:
        return is_hash(*v);
    case EXH_IOC_IP: {
        struct exh_cidr c;
        return printable(*v) && exh_cidr_parse(*v, &c);
    }
    case EXH_IOC_DOMAIN:
        return is_domain(v);
    case EXH_IOC_URL:
        return is_url(*v);
    case EXH_IOC_PATH: {
        bool pattern = false; /* characters no Windows file name holds */
        for (size_t i = 0; i < v->n; i++)
            pattern |= strchr("<>*?|\"", v->p[i]) != NULL && v->p[i];
        return v->n >= 3 && printable(*v) && has_sep(*v) && !scheme_len(*v) && !pattern;
    }
    case EXH_IOC_NAME:
        return v->n >= 3 && printable(*v) && !has_sep(*v) && strspn(v->p, ".") < v->n;
    case EXH_IOC_UA:
        return v->n >= 4 && printable(*v);
    case EXH_IOC_REGEX:
        return printable(*v);
    case EXH_IOC_YARA:
        return v->n <= (1u << 20) && exh_find_ci(v->p, v->n, "rule", 4) && memchr(v->p, '{', v->n);
    case EXH_IOC__COUNT:
        break;
    }
    return false;
}

/* The extensions of files an indicator list names (a "name.ext" with one
 * of these is a file, not a host). */
static bool file_ext(struct exh_str v)
{
    static const char *const exts[] = {
        "aspx", "asp",  "ashx", "asmx", "axd",  "cshtml", "config", "dll", "exe", "ps1",  "psm1",
        "bat",  "cmd",  "vbs",  "js",   "jse",  "hta",    "zip",    "rar", "7z",  "dmp",  "txt",
        "log",  "php",  "jsp",  "jspx", "war",  "sys",    "tmp",    "dat", "bin", "msi",  "lnk",
        "scr",  "cab",  "ps",   "py",   "sh",   "jar",    "zip",    "gz",  "tar", "html", "htm",
        "xml",  "json", "ini",  "lst",  "docx", "xlsx",   "doc",    "xls", "pdf", "rtf",  NULL};
    const char *dot = NULL;
    for (size_t i = v.n; i-- > 0;)
        if (v.p[i] == '.') {
            dot = v.p + i;
            break;
        }
    if (!dot)
        return false;
    struct exh_str e = exh_str_make(dot + 1, (size_t)(v.p + v.n - dot - 1));
    for (int i = 0; exts[i]; i++)
        if (exh_eq_ci(e, exts[i]))
            return true;
    return false;
}

static bool strong_path(struct exh_str v)
{
    return memchr(v.p, '\\', v.n) || (v.n > 2 && v.p[1] == ':' && (v.p[2] == '/')) ||
           (v.n > 1 && v.p[0] == '%');
}

bool exh_ioc_guess(struct exh_str v, enum exh_ioc_type *t)
{
    v = exh_trim(v);
    if (!v.n || !printable(v))
        return false;
    struct exh_str w = v;
    if (is_hash(v))
        *t = EXH_IOC_HASH;
    else if (exh_ioc_check(EXH_IOC_IP, &w))
        *t = EXH_IOC_IP;
    else if (is_url(v))
        *t = EXH_IOC_URL;
    else if (strong_path(v) || (v.p[0] == '/' && file_ext(v)))
        *t = EXH_IOC_PATH;
    else if (!has_sep(v) && file_ext(v) && !memchr(v.p, ' ', v.n))
        *t = EXH_IOC_NAME;
    else if ((w = v, is_domain(&w)))
        *t = EXH_IOC_DOMAIN;
    else
        return false;
    return true;
}

struct exh_str exh_ioc_refang(struct exh_str v, struct exh_buf *buf)
{
    static const struct {
        const char *from, *to;
    } subs[] = {{"[.]", "."},       {"(.)", "."},     {"{.}", "."},
                {"[dot]", "."},     {"[:]", ":"},     {"[://]", "://"},
                {"hxxps", "https"}, {"hxxp", "http"}, {"meows", "https"}};
    bool any = false;
    for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]) && !any; k++)
        any = exh_find_ci(v.p, v.n, subs[k].from, strlen(subs[k].from)) != NULL;
    if (!any)
        return v;
    exh_buf_reset(buf);
    for (size_t i = 0; i < v.n;) {
        size_t k = 0;
        for (; k < sizeof(subs) / sizeof(subs[0]); k++) {
            size_t m = strlen(subs[k].from);
            /* the scheme forms only at the start */
            if (subs[k].to[0] == 'h' && i)
                continue;
            if (exh_starts_ci(exh_str_make(v.p + i, v.n - i), subs[k].from)) {
                exh_buf_adds(buf, subs[k].to);
                i += m;
                break;
            }
        }
        if (k == sizeof(subs) / sizeof(subs[0]))
            exh_buf_addc(buf, v.p[i++]);
    }
    return exh_str_make(buf->p, buf->n);
}

/* Quote at most 60 bytes of v into out, non-printable bytes as '?'. */
static void clip(struct exh_str v, char *out, size_t outn)
{
    size_t k = 0;
    for (size_t i = 0; i < v.n && k + 5 < outn; i++) {
        if (i == 60) {
            memcpy(out + k, "...", 3);
            k += 3;
            break;
        }
        unsigned char c = (unsigned char)v.p[i];
        out[k++] = c < 0x20 || c >= 0x7F ? '?' : (char)c;
    }
    out[k] = '\0';
}

void exh_ioc_give(const struct exh_ioc_sink *sink, enum exh_ioc_type t, struct exh_str value,
                  const struct exh_ioc_item *meta, const char *where)
{
    struct exh_buf b = {0};
    struct exh_str v = exh_trim(value);
    if (t == EXH_IOC_DOMAIN || t == EXH_IOC_URL || t == EXH_IOC_IP)
        v = exh_ioc_refang(v, &b);
    char why[128], q[72];
    if (t != EXH_IOC_YARA && v.n > EXH_IOC_LINE_MAX) {
        snprintf(why, sizeof(why), "%s of %zu bytes: too long", exh_ioc_type_name(t), v.n);
        sink->skip(sink->ud, where, why, false);
        exh_buf_release(&b);
        return;
    }
    if (t == EXH_IOC_PATH && v.n && (v.p[v.n - 1] == '\\' || v.p[v.n - 1] == '/')) {
        sink->skip(sink->ud, where,
                   "a folder, not a file (exhunt's location rules watch the web folders)", true);
        exh_buf_release(&b);
        return;
    }
    if (!exh_ioc_check(t, &v)) {
        /* the neighbouring types a list may mix up: a name with a folder,
         * a path without one, a host given as an address */
        enum exh_ioc_type g;
        struct exh_str w = v;
        bool ok = exh_ioc_guess(v, &g) &&
                  (((t == EXH_IOC_NAME || t == EXH_IOC_PATH) &&
                    (g == EXH_IOC_NAME || g == EXH_IOC_PATH)) ||
                   (t == EXH_IOC_DOMAIN && g == EXH_IOC_IP) ||
                   (t == EXH_IOC_NAME && g == EXH_IOC_DOMAIN)) &&
                  exh_ioc_check(g == EXH_IOC_DOMAIN ? EXH_IOC_NAME : g, &w);
        if (!ok && t == EXH_IOC_PATH && !has_sep(v) && (w = v, exh_ioc_check(EXH_IOC_NAME, &w))) {
            g = EXH_IOC_NAME;
            ok = true;
        }
        if (!ok) {
            clip(v, q, sizeof(q));
            snprintf(why, sizeof(why), "not a %s: \"%s\"", exh_ioc_type_name(t), q);
            sink->skip(sink->ud, where, why, false);
            exh_buf_release(&b);
            return;
        }
        t = g == EXH_IOC_DOMAIN ? EXH_IOC_NAME : g;
        v = w;
    }
    struct exh_ioc_item it;
    if (meta) {
        it = *meta;
    } else {
        memset(&it, 0, sizeof(it));
        it.score = it.confidence = -1;
    }
    it.type = t;
    it.value = v;
    sink->item(sink->ud, &it);
    exh_buf_release(&b);
}

/* ---------------------------------------------------------------- lists -- */

/* Split a CSV line into at most max fields (quotes with "" understood; the
 * slices keep their quotes stripped, "" left doubled). */
static size_t csv_fields(struct exh_str line, struct exh_str *f, size_t max)
{
    size_t k = 0, i = 0;
    while (k < max) {
        size_t s = i;
        bool q = i < line.n && line.p[i] == '"';
        if (q) {
            s = ++i;
            while (i < line.n && !(line.p[i] == '"' && (i + 1 >= line.n || line.p[i + 1] != '"')))
                i += line.p[i] == '"' ? 2 : 1;
            f[k++] = exh_str_make(line.p + s, (i < line.n ? i : line.n) - s);
            while (i < line.n && line.p[i] != ',')
                i++;
        } else {
            while (i < line.n && line.p[i] != ',')
                i++;
            f[k++] = exh_trim(exh_str_make(line.p + s, i - s));
        }
        if (i >= line.n)
            break;
        i++;
    }
    return k;
}

#define CSV_MAX 40

static int column(const struct exh_str *f, size_t n, const char *const *names)
{
    for (int k = 0; names[k]; k++)
        for (size_t i = 0; i < n; i++)
            if (exh_eq_ci(exh_trim(f[i]), names[k]))
                return (int)i;
    return -1;
}

struct csv_cols {
    int value, type, note, title, to_ids;
};

/* A header naming a value and a type column: MSTIC's Indicator and
 * IndicatorType, Volexity's value/type/notes, HvS's Type, Data, Note, MISP's
 * uuid,event_id,category,type,value,comment,to_ids,... */
static bool csv_header(struct exh_str line, struct csv_cols *c)
{
    static const char *const values[] = {"value", "indicator", "data", "ioc", "observable", NULL};
    static const char *const types[] = {"type",     "indicatortype",  "indicator_type",
                                        "ioc_type", "indicator type", NULL};
    static const char *const notes[] = {"notes", "note", "comment", "description", NULL};
    static const char *const titles[] = {"event_info", "info", "title", NULL};
    static const char *const ids[] = {"to_ids", NULL};
    if (!memchr(line.p, ',', line.n))
        return false;
    struct exh_str f[CSV_MAX];
    size_t k = csv_fields(line, f, CSV_MAX);
    c->value = column(f, k, values);
    c->type = column(f, k, types);
    c->note = column(f, k, notes);
    c->title = column(f, k, titles);
    c->to_ids = column(f, k, ids);
    return c->value >= 0 && c->type >= 0 && c->value != c->type;
}

/* A Loki score: 1 to 3 digits. */
static bool score_of(struct exh_str s, int *out)
{
    s = exh_trim(s);
    if (!s.n || s.n > 3)
        return false;
    int v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        v = v * 10 + (s.p[i] - '0');
    }
    *out = v > 100 ? 100 : v;
    return true;
}

/* Does it look like a user agent: "product/version..." (version starting
 * with a digit, or v and a digit), or Mozilla's? */
static bool looks_ua(struct exh_str v)
{
    if (v.n < 4 || !printable(v))
        return false;
    if (exh_starts_ci(v, "mozilla/"))
        return true;
    size_t i = 0;
    if (!((v.p[0] | 0x20) >= 'a' && (v.p[0] | 0x20) <= 'z'))
        return false;
    while (i < v.n &&
           (host_char((unsigned char)v.p[i]) || v.p[i] == '.' || v.p[i] == '+' || v.p[i] == ' '))
        i++;
    if (i >= v.n || v.p[i] != '/' || i + 1 >= v.n)
        return false;
    char c = v.p[i + 1];
    return (c >= '0' && c <= '9') ||
           ((c | 0x20) == 'v' && i + 2 < v.n && v.p[i + 2] >= '0' && v.p[i + 2] <= '9');
}

/* One line of an untyped list. */
static void list_line(const struct exh_ioc_sink *sink, struct exh_str line, const char *where,
                      struct exh_buf *tmp)
{
    struct exh_ioc_item meta;
    memset(&meta, 0, sizeof(meta));
    meta.score = meta.confidence = -1;
    /* Loki: "value;score[;false-positive regex]" (filename-iocs, c2-iocs) or
     * "hash;comment" (hash-iocs) */
    const char *semi = memchr(line.p, ';', line.n);
    struct exh_str first = line, rest = EXH_STR_NULL;
    if (semi) {
        first = exh_trim(exh_str_make(line.p, (size_t)(semi - line.p)));
        rest = exh_str_make(semi + 1, (size_t)(line.p + line.n - semi - 1));
    }
    int score = -1;
    struct exh_str fp = EXH_STR_NULL;
    bool scored = false;
    if (semi) {
        const char *semi2 = memchr(rest.p, ';', rest.n);
        struct exh_str sc = semi2 ? exh_str_make(rest.p, (size_t)(semi2 - rest.p)) : rest;
        if (score_of(sc, &score)) {
            scored = true;
            if (semi2)
                fp = exh_trim(exh_str_make(semi2 + 1, (size_t)(rest.p + rest.n - semi2 - 1)));
        }
    }
    /* a hash, then a comment after ';', ',', a blank or a tab */
    size_t cut = 0;
    while (cut < line.n && !strchr(";, \t", line.p[cut]))
        cut++;
    struct exh_str tok = exh_str_make(line.p, cut);
    if (tok.n >= 16 && all_hex(tok)) {
        if (!is_hash(tok)) {
            sink->skip(sink->ud, where, "hex of no hash's length (a damaged hash?)", false);
            return;
        }
        meta.note = cut < line.n ? exh_trim(exh_str_make(line.p + cut + 1, line.n - cut - 1))
                                 : EXH_STR_NULL;
        exh_ioc_give(sink, EXH_IOC_HASH, tok, &meta, where);
        return;
    }
    meta.score = score;
    struct exh_str v = scored ? first : line;
    /* lists copied from Markdown escape '_' */
    if (exh_find_ci(v.p, v.n, "\\_", 2)) {
        bool other = false;
        for (size_t i = 0; i + 1 < v.n; i++)
            if (v.p[i] == '\\' && v.p[i + 1] != '_')
                other = true;
        if (!other) {
            exh_buf_reset(tmp);
            for (size_t i = 0; i < v.n; i++)
                if (!(v.p[i] == '\\' && i + 1 < v.n && v.p[i + 1] == '_'))
                    exh_buf_addc(tmp, v.p[i]);
            v = exh_str_make(tmp->p, tmp->n);
        }
    }
    enum exh_ioc_type t;
    struct exh_buf rf = {0};
    struct exh_str g = exh_ioc_refang(v, &rf);
    if (exh_ioc_guess(g, &t) && (t != EXH_IOC_PATH || !scored) && (t != EXH_IOC_NAME || !scored)) {
        /* a folder (a path ending with a separator, or followed by words):
         * where to look, not a file */
        if (t == EXH_IOC_PATH) {
            struct exh_str p = g;
            const char *paren = memchr(p.p, '(', p.n);
            if (paren)
                p = exh_trim(exh_str_make(p.p, (size_t)(paren - p.p)));
            bool pattern = false; /* "<exchange install path>\\...", "*.aspx" */
            for (size_t i = 0; i < p.n; i++)
                pattern |= strchr("<>*?|\"", p.p[i]) != NULL;
            if (pattern) {
                sink->skip(sink->ud, where,
                           "a place described in words or wildcards, not a file path", true);
                exh_buf_release(&rf);
                return;
            }
            if (p.n && (p.p[p.n - 1] == '\\' || p.p[p.n - 1] == '/')) {
                sink->skip(sink->ud, where,
                           "a folder, not a file (exhunt's location rules watch the web folders)",
                           true);
                exh_buf_release(&rf);
                return;
            }
        }
        exh_ioc_give(sink, t, g, &meta, where);
        exh_buf_release(&rf);
        return;
    }
    exh_buf_release(&rf);
    if (scored) {
        /* Loki's filename-iocs: a regex over the full path */
        meta.exclude = fp;
        exh_ioc_give(sink, EXH_IOC_REGEX, first, &meta, where);
        return;
    }
    if (looks_ua(line)) {
        exh_ioc_give(sink, EXH_IOC_UA, line, &meta, where);
        return;
    }
    char why[100], q[72];
    clip(line, q, sizeof(q));
    snprintf(why, sizeof(why), "not an indicator: \"%s\"", q);
    sink->skip(sink->ud, where, why, false);
}

/* One row of a typed CSV. */
static void csv_row(const struct exh_ioc_sink *sink, struct exh_str line, const struct csv_cols *c,
                    const char *where)
{
    struct exh_str f[CSV_MAX];
    size_t k = csv_fields(line, f, CSV_MAX);
    if ((size_t)c->value >= k || (size_t)c->type >= k) {
        sink->skip(sink->ud, where, "a row without its value or type column", false);
        return;
    }
    struct exh_ioc_item meta;
    memset(&meta, 0, sizeof(meta));
    meta.score = meta.confidence = -1;
    if (c->note >= 0 && (size_t)c->note < k)
        meta.note = exh_trim(f[c->note]);
    if (c->title >= 0 && (size_t)c->title < k)
        meta.title = exh_trim(f[c->title]);
    if (c->to_ids >= 0 && (size_t)c->to_ids < k) {
        struct exh_str v = exh_trim(f[c->to_ids]);
        if (exh_eq_ci(v, "0") || exh_eq_ci(v, "false")) {
            sink->skip(sink->ud, where, "to_ids is off (not meant for detection)", true);
            return;
        }
    }
    struct exh_str type = exh_trim(f[c->type]), val = exh_trim(f[c->value]);
    enum exh_ioc_type t, second;
    bool composite;
    if (!type.n) {
        sink->skip(sink->ud, where, "a row without a type", false);
        return;
    }
    if (!exh_ioc_type_by_name(type, &t, &composite, &second)) {
        char why[100], q[40];
        clip(type, q, sizeof(q));
        snprintf(why, sizeof(why), "type \"%s\", not matched by exhunt", q);
        sink->skip(sink->ud, where, why, true);
        return;
    }
    if (composite) {
        const char *bar = memchr(val.p, '|', val.n);
        if (!bar) {
            sink->skip(sink->ud, where, "a composite value without its '|'", false);
            return;
        }
        if (t == EXH_IOC_NAME && second == EXH_IOC_HASH)
            sink->skip(sink->ud, where, "a file name qualifying a hash: the hash is matched", true);
        else
            exh_ioc_give(sink, t, exh_str_make(val.p, (size_t)(bar - val.p)), &meta, where);
        if (second != EXH_IOC__COUNT)
            exh_ioc_give(sink, second, exh_str_make(bar + 1, (size_t)(val.p + val.n - bar - 1)),
                         &meta, where);
        return;
    }
    exh_ioc_give(sink, t, val, &meta, where);
}

static bool read_lines(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink)
{
    size_t skip = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    struct exh_lines it;
    exh_lines_init(&it, p, n, skip, 1);
    struct exh_str line;
    struct csv_cols cols;
    bool csv = false, first = true;
    struct exh_buf tmp = {0};
    char where[40];
    uint64_t no = 0;
    while (exh_lines_next(&it, &line, NULL)) {
        no++;
        line = exh_trim(line);
        if (!line.n || line.p[0] == '#')
            continue;
        snprintf(where, sizeof(where), "line %llu", (unsigned long long)no);
        if (line.n > EXH_IOC_LINE_MAX || memchr(line.p, 0, line.n)) {
            sink->skip(sink->ud, where,
                       line.n > EXH_IOC_LINE_MAX ? "line too long" : "binary bytes (NUL)", false);
            continue;
        }
        if (first) {
            first = false;
            if (csv_header(line, &cols)) {
                csv = true;
                continue;
            }
        }
        if (csv)
            csv_row(sink, line, &cols, where);
        else
            list_line(sink, line, where, &tmp);
    }
    exh_buf_release(&tmp);
    return csv;
}

/* ------------------------------------------------------------ sniffing -- */

/* The first byte that is not a BOM, a blank or in a '#' comment line. */
static size_t first_sig(const uint8_t *p, size_t n, size_t *line_end)
{
    size_t i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    while (i < n) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
            i++;
            continue;
        }
        if (p[i] == '#') {
            while (i < n && p[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    size_t e = i;
    while (e < n && p[e] != '\n')
        e++;
    *line_end = e;
    return i;
}

/* YAML: a "---" or "%YAML" line, or "key:" then a blank or the line's end. */
static bool looks_yaml(const uint8_t *p, size_t i, size_t e)
{
    struct exh_str l = exh_trim(exh_str_make((const char *)p + i, e - i));
    if (exh_starts_ci(l, "---") || exh_starts_ci(l, "%YAML"))
        return true;
    size_t k = 0;
    if (!l.n || !(((l.p[0] | 0x20) >= 'a' && (l.p[0] | 0x20) <= 'z') || l.p[0] == '_'))
        return false;
    while (k < l.n && (host_char((unsigned char)l.p[k]) || l.p[k] == '.'))
        k++;
    return k < l.n && l.p[k] == ':' && (k + 1 == l.n || l.p[k + 1] == ' ');
}

struct dry {
    size_t items, unused, bad;
};

static void dry_item(void *ud, const struct exh_ioc_item *it)
{
    (void)it;
    ((struct dry *)ud)->items++;
}

static void dry_skip(void *ud, const char *where, const char *why, bool understood)
{
    (void)where;
    (void)why;
    if (understood)
        ((struct dry *)ud)->unused++;
    else
        ((struct dry *)ud)->bad++;
}

/* Does the line reader understand more of p than not? (A list whose first
 * entry starts with '[', '<', '{' or "word: " is no JSON, XML or YAML.) */
static bool lines_understood(const uint8_t *p, size_t n)
{
    struct dry d = {0, 0, 0};
    struct exh_ioc_sink s = {&d, dry_item, dry_skip};
    read_lines(p, n, &s);
    return d.items + d.unused > 0 && d.items + d.unused >= d.bad;
}

enum exh_ioc_format exh_ioc_read(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink,
                                 char *err, size_t errn)
{
    if (errn)
        err[0] = '\0';
    size_t e, i = first_sig(p, n, &e);
    if (i >= n) {
        snprintf(err, errn, "empty: no indicator in it");
        return EXH_IOCF_NONE;
    }
    enum exh_ioc_format f = EXH_IOCF_NONE;
    bool ok = true;
    if (p[i] == '{' || p[i] == '[') {
        ok = exh_ioc_read_json(p, n, sink, &f, err, errn);
    } else if (p[i] == '<') {
        ok = exh_ioc_read_openioc(p, n, sink, err, errn);
        f = EXH_IOCF_OPENIOC;
    } else if (looks_yaml(p, i, e)) {
        ok = exh_ioc_read_chirp(p, n, sink, err, errn);
        f = EXH_IOCF_CHIRP;
    } else {
        return read_lines(p, n, sink) ? EXH_IOCF_CSV : EXH_IOCF_LIST;
    }
    if (ok || p[i] == '{')
        return ok ? f : EXH_IOCF_NONE; /* no list starts with '{' */
    /* not that format after all: a list whose first entry looked like it
     * (a Loki regex "[a-z]{8}\.aspx;60", "<install path>\...", "Note: ...") */
    if (!lines_understood(p, n))
        return EXH_IOCF_NONE;
    if (errn)
        err[0] = '\0';
    return read_lines(p, n, sink) ? EXH_IOCF_CSV : EXH_IOCF_LIST;
}
