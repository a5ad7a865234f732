/* iocset.c: indicator sets (iocset.h): the built-in lists plus --ioc files. */
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/exlog.h"
#include "exh/iocset.h"
#include "exh/match.h"
#include "ioc.h"
#include "exh/banned.h"

struct hash_ent {
    uint8_t d[32];
    uint8_t len;
    const char *source;
    const char *note;
};

struct path_ent {
    char *tail; /* normalised, see norm_path() */
    size_t tailn;
    const char *source;
};

struct ip_ent {
    const char *ip, *source;
};

struct ua_ent {
    const char *ua, *plus, *source;
    bool post_only;
};

struct exh_iocset {
    struct hash_ent *h;
    size_t nh, caph;
    bool h_sorted;
    struct path_ent *p;
    size_t np, capp;
    struct ip_ent *ip;
    size_t nip, capip;
    struct ua_ent *ua;
    size_t nua, capua;
    char **owned; /* strings this set allocated */
    size_t nowned, capowned;
    /* every address and user agent (both spellings), for a one-pass test
     * of a log line; NULL when some is under 4 bytes (or not prepared) */
    struct exh_matcher *line_m;
    /* the file names the paths end with, sorted (then by path index): a path
     * whose name is not among them is on no list, and one whose name is is
     * compared with the paths of that name only (NULL when not prepared) */
    struct base_ref {
        const char *base;
        size_t i; /* index in p */
    } * bases;
    size_t nbases;
    /* the addresses sorted by text (first listed first among equal ones), for
     * a lookup per address-like token of a line (NULL when not prepared) */
    struct ip_key *ip_by;
    bool prepared; /* and nothing added since */
};

/* An address in the sorted index, with its place in the list (the first
 * listing wins among equal ones). */
struct ip_key {
    const char *ip, *source;
    size_t order;
};

static int cmp_ip_key(const void *a, const void *b)
{
    const struct ip_key *x = a, *y = b;
    int c = strcmp(x->ip, y->ip);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static const char *own(struct exh_iocset *s, const char *p, size_t n)
{
    if (s->nowned == s->capowned) {
        s->capowned = s->capowned ? s->capowned * 2 : 64;
        s->owned = exh_xrealloc(s->owned, s->capowned * sizeof(*s->owned));
    }
    char *c = exh_xstrndup(p, n);
    s->owned[s->nowned++] = c;
    return c;
}

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 64;                                                          \
            (arr) = exh_xrealloc((arr), (cap) * sizeof(*(arr)));                                   \
        }                                                                                          \
    } while (0)

static int hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool parse_hex(const char *p, size_t n, uint8_t *out, uint8_t *len)
{
    if (n != 32 && n != 40 && n != 64)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int a = hexv(p[i]), b = hexv(p[i + 1]);
        if (a < 0 || b < 0)
            return false;
        out[i / 2] = (uint8_t)(a << 4 | b);
    }
    *len = (uint8_t)(n / 2);
    return true;
}

static void add_hash(struct exh_iocset *s, const uint8_t *d, uint8_t len, const char *source,
                     const char *note)
{
    s->prepared = false;
    GROW(s->h, s->nh, s->caph);
    struct hash_ent *e = &s->h[s->nh++];
    memset(e, 0, sizeof(*e));
    memcpy(e->d, d, len);
    e->len = len;
    e->source = source;
    e->note = note;
    s->h_sorted = false;
}

/* lower case, '/' separators, no drive letter or %VAR%, from the first
 * well-known folder on */
static char *norm_path(const char *p, size_t n)
{
    static const char *const anchors[] = {"frontend/", "clientaccess/", "inetpub/",
                                          "users/",    "programdata/",  "windows/",
                                          "perflogs/", "root/",         NULL};
    char *s = exh_xstrndup(p, n);
    for (size_t i = 0; i < n; i++)
        s[i] = s[i] == '\\' ? '/' : (char)exh_lc((unsigned char)s[i]);
    char *t = s;
    if (t[0] && t[1] == ':')
        t += 2;
    if (t[0] == '%') {
        char *e = strchr(t + 1, '%');
        if (e)
            t = e + 1;
    }
    while (*t == '/')
        t++;
    char *best = NULL;
    for (int k = 0; anchors[k]; k++) {
        size_t m = strlen(anchors[k]);
        for (char *q = t; *q; q++) {
            if ((q == t || q[-1] == '/') && !strncmp(q, anchors[k], m)) {
                if (!best || q < best)
                    best = q;
                break;
            }
        }
    }
    if (best)
        t = best;
    char *r = exh_xstrdup(t);
    free(s);
    return r;
}

static bool printable(struct exh_str v)
{
    for (size_t i = 0; i < v.n; i++)
        if ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7F)
            return false;
    return true;
}

static void add_path(struct exh_iocset *s, const char *p, size_t n, const char *source)
{
    s->prepared = false;
    GROW(s->p, s->np, s->capp);
    s->p[s->np].tail = norm_path(p, n);
    s->p[s->np].tailn = strlen(s->p[s->np].tail);
    s->p[s->np].source = source;
    s->np++;
}

static void add_ip(struct exh_iocset *s, const char *ip, const char *source)
{
    s->prepared = false;
    GROW(s->ip, s->nip, s->capip);
    s->ip[s->nip].ip = ip;
    s->ip[s->nip].source = source;
    s->nip++;
}

static void add_ua(struct exh_iocset *s, const char *ua, const char *plus, bool post_only,
                   const char *source)
{
    s->prepared = false;
    GROW(s->ua, s->nua, s->capua);
    s->ua[s->nua].ua = ua;
    s->ua[s->nua].plus = plus;
    s->ua[s->nua].post_only = post_only;
    s->ua[s->nua].source = source;
    s->nua++;
}

struct exh_iocset *exh_iocset_new(bool builtin)
{
    struct exh_iocset *s = exh_xcalloc(1, sizeof(*s));
    if (!builtin)
        return s;
    for (size_t i = 0; i < exh_nioc_hashes; i++) {
        uint8_t d[32], len;
        if (parse_hex(exh_ioc_hashes[i].hex, strlen(exh_ioc_hashes[i].hex), d, &len))
            add_hash(s, d, len, exh_ioc_hashes[i].source, exh_ioc_hashes[i].note);
    }
    for (size_t i = 0; i < exh_nioc_paths; i++)
        add_path(s, exh_ioc_paths[i].path, strlen(exh_ioc_paths[i].path), exh_ioc_paths[i].source);
    for (size_t i = 0; i < exh_nioc_ips; i++)
        add_ip(s, exh_ioc_ips[i].ip, exh_ioc_ips[i].source);
    for (size_t i = 0; i < exh_nioc_uas; i++)
        add_ua(s, exh_ioc_uas[i].ua, exh_ioc_uas[i].ua_plus, exh_ioc_uas[i].post_only != 0,
               exh_ioc_uas[i].source);
    return s;
}

void exh_iocset_free(struct exh_iocset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->np; i++)
        free(s->p[i].tail);
    for (size_t i = 0; i < s->nowned; i++)
        free(s->owned[i]);
    free(s->h);
    free(s->p);
    free(s->ip);
    free(s->ua);
    free(s->owned);
    exh_matcher_free(s->line_m);
    free(s->bases);
    free(s->ip_by);
    free(s);
}

/* ------------------------------------------------------------- loading -- */

static bool is_ipv4(struct exh_str v)
{
    int parts = 0, digits = 0, val = 0;
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        if (c >= '0' && c <= '9') {
            val = val * 10 + (c - '0');
            if (++digits > 3 || val > 255)
                return false;
        } else if (c == '.' && digits) {
            parts++;
            digits = val = 0;
        } else {
            return false;
        }
    }
    return parts == 3 && digits;
}

static bool is_winpath(struct exh_str v)
{
    return (v.n > 3 && v.p[1] == ':' && (v.p[2] == '\\' || v.p[2] == '/')) ||
           (v.n > 1 && v.p[0] == '\\') || (v.n > 1 && v.p[0] == '%');
}

/* Split a CSV line into at most max fields (quotes with "" understood; the
 * slices keep their quotes stripped but "" unescaped only at the edges). */
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

enum csv_kind { CSV_NONE, CSV_MSTIC, CSV_VOLEXITY, CSV_HVS };

static int column(struct exh_str *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (exh_eq_ci(exh_trim(f[i]), name))
            return (int)i;
    return -1;
}

/* One typed indicator (from a CSV with a type column). */
static void add_typed(struct exh_iocset *s, struct exh_ioc_load_stats *st, const char *source,
                      struct exh_str type, struct exh_str val, struct exh_str note)
{
    type = exh_trim(type);
    val = exh_trim(val);
    uint8_t d[32], len;
    if ((exh_eq_ci(type, "sha256") || exh_eq_ci(type, "sha1") || exh_eq_ci(type, "md5")) &&
        parse_hex(val.p, val.n, d, &len)) {
        add_hash(s, d, len, source, own(s, note.p, note.n));
        st->hashes++;
    } else if ((exh_eq_ci(type, "filepath") || exh_eq_ci(type, "fullpath")) &&
               (memchr(val.p, '\\', val.n) || memchr(val.p, '/', val.n)) && printable(val)) {
        /* a bare file name is no path: it would match that name anywhere */
        add_path(s, val.p, val.n, source);
        st->paths++;
    } else if ((exh_eq_ci(type, "ipaddress") || exh_eq_ci(type, "ipv4") || exh_eq_ci(type, "ip")) &&
               is_ipv4(val)) {
        add_ip(s, own(s, val.p, val.n), source);
        st->ips++;
    } else if ((exh_eq_ci(type, "useragent") || exh_eq_ci(type, "user-agent")) &&
               (val.n < 4 || !printable(val))) {
        st->bad++; /* too short to mean anything: it would match every line */
    } else if (exh_eq_ci(type, "useragent") || exh_eq_ci(type, "user-agent")) {
        const char *ua = own(s, val.p, val.n);
        char *plus = (char *)own(s, val.p, val.n);
        for (char *c = plus; *c; c++)
            if (*c == ' ')
                *c = '+';
        add_ua(s, ua, plus, false, source);
        st->uas++;
    } else if (type.n) {
        st->ignored++; /* domains, file names, strings: not used here */
    } else {
        st->bad++;
    }
}

void exh_iocset_load(struct exh_iocset *s, const char *source, const uint8_t *p, size_t n,
                     struct exh_ioc_load_stats *st)
{
    memset(st, 0, sizeof(*st));
    source = own(s, source, strlen(source));
    size_t skip = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    struct exh_lines it;
    exh_lines_init(&it, p, n, skip, 1);
    struct exh_str line;
    enum csv_kind csv = CSV_NONE;
    int c_val = -1, c_type = -1, c_note = -1;
    while (exh_lines_next(&it, &line, NULL)) {
        line = exh_trim(line);
        if (!line.n || line.p[0] == '#')
            continue;
        if (line.n > 4096 || memchr(line.p, 0, line.n)) {
            st->bad++;
            continue;
        }
        struct exh_str f[8];
        if (csv == CSV_NONE && memchr(line.p, ',', line.n)) {
            size_t k = csv_fields(line, f, 8);
            if (column(f, k, "IndicatorType") >= 0 && column(f, k, "Indicator") >= 0) {
                csv = CSV_MSTIC;
                c_val = column(f, k, "Indicator");
                c_type = column(f, k, "IndicatorType");
                c_note = -1;
                continue;
            }
            if (column(f, k, "value") >= 0 && column(f, k, "type") >= 0) {
                csv = CSV_VOLEXITY;
                c_val = column(f, k, "value");
                c_type = column(f, k, "type");
                c_note = column(f, k, "notes");
                continue;
            }
            if (column(f, k, "Data") >= 0 && column(f, k, "Type") >= 0) {
                csv = CSV_HVS;
                c_val = column(f, k, "Data");
                c_type = column(f, k, "Type");
                c_note = column(f, k, "Note");
                continue;
            }
        }
        if (csv != CSV_NONE) {
            size_t k = csv_fields(line, f, 8);
            if ((size_t)c_val >= k || (size_t)c_type >= k) {
                st->bad++;
                continue;
            }
            struct exh_str note = c_note >= 0 && (size_t)c_note < k ? f[c_note] : EXH_STR_NULL;
            add_typed(s, st, source, f[c_type], f[c_val], note);
            continue;
        }
        /* untyped lines */
        size_t cut = 0;
        while (cut < line.n && line.p[cut] != ';' && line.p[cut] != ',' && line.p[cut] != ' ' &&
               line.p[cut] != '\t')
            cut++;
        struct exh_str first = exh_str_make(line.p, cut);
        struct exh_str rest = cut < line.n
                                  ? exh_trim(exh_str_make(line.p + cut + 1, line.n - cut - 1))
                                  : EXH_STR_NULL;
        uint8_t d[32], len;
        bool all_hex = first.n >= 16;
        for (size_t i = 0; i < first.n && all_hex; i++)
            all_hex = hexv(first.p[i]) >= 0;
        if (parse_hex(first.p, first.n, d, &len)) {
            add_hash(s, d, len, source, own(s, rest.p ? rest.p : "", rest.n));
            st->hashes++;
        } else if (all_hex) {
            st->bad++; /* a hash of no known length: a damaged line, not a user agent */
        } else if (is_ipv4(first) && !rest.n) {
            add_ip(s, own(s, first.p, first.n), source);
            st->ips++;
        } else if (is_winpath(line)) {
            add_path(s, line.p, line.n, source);
            st->paths++;
        } else {
            bool printable = line.n >= 4;
            for (size_t i = 0; i < line.n && printable; i++)
                printable = (unsigned char)line.p[i] >= 0x20;
            if (!printable) {
                st->bad++;
                continue;
            }
            /* a user agent as sent (spaces) and as IIS logs it ('+') */
            char *ua = (char *)own(s, line.p, line.n);
            char *plus = (char *)own(s, line.p, line.n);
            for (char *c = plus; *c; c++)
                if (*c == ' ')
                    *c = '+';
            add_ua(s, ua, plus, false, source);
            st->uas++;
        }
    }
}

/* ------------------------------------------------------------- lookups -- */

static int cmp_hash(const void *a, const void *b)
{
    const struct hash_ent *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->d, y->d, x->len);
}

static int cmp_base_ref(const void *a, const void *b)
{
    const struct base_ref *x = a, *y = b;
    int c = strcmp(x->base, y->base);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Does the normalised path t (length tn) end with listed path i? */
static bool tail_match(const struct exh_iocset *s, size_t i, const char *t, size_t tn)
{
    size_t pn = s->p[i].tailn;
    /* equal, or the file's path ends with "/<tail>" */
    return pn <= tn && !strcmp(t + tn - pn, s->p[i].tail) && (pn == tn || t[tn - pn - 1] == '/');
}

void exh_iocset_prepare(struct exh_iocset *s)
{
    if (s->prepared)
        return; /* the CLI and the engine both ask */
    s->prepared = true;
    if (!s->h_sorted && s->nh)
        qsort(s->h, s->nh, sizeof(*s->h), cmp_hash);
    s->h_sorted = true;
    free(s->bases);
    s->bases = exh_xcalloc(s->np + 1, sizeof(*s->bases));
    s->nbases = 0;
    for (size_t i = 0; i < s->np; i++)
        s->bases[s->nbases++] =
            (struct base_ref){exh_path_base(exh_str_make(s->p[i].tail, s->p[i].tailn)).p, i};
    qsort(s->bases, s->nbases, sizeof(*s->bases), cmp_base_ref);
    free(s->ip_by);
    s->ip_by = exh_xcalloc(s->nip + 1, sizeof(*s->ip_by));
    for (size_t i = 0; i < s->nip; i++)
        s->ip_by[i] = (struct ip_key){s->ip[i].ip, s->ip[i].source, i};
    qsort(s->ip_by, s->nip, sizeof(*s->ip_by), cmp_ip_key);
    exh_matcher_free(s->line_m);
    s->line_m = NULL;
    size_t n = 0;
    const char **nd = exh_xcalloc(s->nip + 2 * s->nua + 1, sizeof(*nd));
    for (size_t i = 0; i < s->nip; i++)
        nd[n++] = s->ip[i].ip;
    for (size_t i = 0; i < s->nua; i++) {
        nd[n++] = s->ua[i].ua;
        nd[n++] = s->ua[i].plus;
    }
    if (n)
        s->line_m = exh_matcher_build(nd, NULL, n); /* NULL if one is too short */
    free(nd);
}

bool exh_iocset_line_may_match(const struct exh_iocset *s, const char *p, size_t n)
{
    if (!s->line_m)
        return s->nip || s->nua; /* no quick answer: look */
    int id;
    return exh_matcher_next(s->line_m, (const uint8_t *)p, n, 0, &id) < n;
}

const char *exh_iocset_hash(const struct exh_iocset *s, const uint8_t *d, size_t len,
                            const char **note)
{
    if (!s->nh || (len != 16 && len != 20 && len != 32))
        return NULL;
    struct hash_ent key;
    memset(&key, 0, sizeof(key));
    memcpy(key.d, d, len);
    key.len = (uint8_t)len;
    const struct hash_ent *e = NULL;
    if (s->h_sorted) {
        e = bsearch(&key, s->h, s->nh, sizeof(*s->h), cmp_hash);
    } else { /* not prepared: a linear search, still correct */
        for (size_t i = 0; i < s->nh && !e; i++)
            if (!cmp_hash(&key, &s->h[i]))
                e = &s->h[i];
    }
    if (!e)
        return NULL;
    if (note)
        *note = e->note;
    return e->source;
}

bool exh_iocset_has_hashes(const struct exh_iocset *s)
{
    return s->nh > 0;
}

const char *exh_iocset_path(const struct exh_iocset *s, const char *path)
{
    if (!s->np)
        return NULL;
    size_t n = strlen(path);
    size_t lo = 0, hi = 0; /* the listed paths of this file name, in bases[] */
    bool by_name = false;
    if (s->bases) {
        /* only a path whose file name one of the listed paths ends with */
        struct exh_str b = exh_path_base(exh_str_make(path, n));
        char low[256];
        if (b.n < sizeof(low)) {
            for (size_t i = 0; i < b.n; i++)
                low[i] = (char)exh_lc((unsigned char)b.p[i]);
            low[b.n] = '\0';
            size_t l = 0, h = s->nbases;
            while (l < h) { /* the first entry not below the name */
                size_t mid = l + (h - l) / 2;
                if (strcmp(s->bases[mid].base, low) < 0)
                    l = mid + 1;
                else
                    h = mid;
            }
            lo = hi = l;
            while (hi < s->nbases && !strcmp(s->bases[hi].base, low))
                hi++;
            if (lo == hi)
                return NULL;
            by_name = true;
        }
    }
    char *t = norm_path(path, n);
    const char *src = NULL;
    size_t tn = strlen(t);
    if (by_name) { /* the first listed (lowest index) of this name that matches */
        for (size_t k = lo; k < hi && !src; k++)
            if (tail_match(s, s->bases[k].i, t, tn))
                src = s->p[s->bases[k].i].source;
    } else {
        for (size_t i = 0; i < s->np && !src; i++)
            if (tail_match(s, i, t, tn))
                src = s->p[i].source;
    }
    free(t);
    return src;
}

bool exh_iocset_ip_find(const struct exh_iocset *s, const char *p, size_t n, const char **ip,
                        const char **source)
{
    if (!s->ip_by) { /* not prepared: look at each */
        for (size_t i = 0; i < s->nip; i++)
            if (strlen(s->ip[i].ip) == n && !memcmp(s->ip[i].ip, p, n)) {
                *ip = s->ip[i].ip;
                *source = s->ip[i].source;
                return true;
            }
        return false;
    }
    size_t lo = 0, hi = s->nip; /* the first entry not below p[0..n) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *v = s->ip_by[mid].ip;
        int c = strncmp(v, p, n); /* then a longer v is the greater */
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->nip) {
        const struct ip_key *e = &s->ip_by[lo];
        if (!strncmp(e->ip, p, n) && e->ip[n] == '\0') {
            *ip = e->ip;
            *source = e->source;
            return true;
        }
    }
    return false;
}

size_t exh_iocset_nips(const struct exh_iocset *s)
{
    return s->nip;
}

const char *exh_iocset_ip(const struct exh_iocset *s, size_t i, const char **source)
{
    if (source)
        *source = s->ip[i].source;
    return s->ip[i].ip;
}

size_t exh_iocset_nuas(const struct exh_iocset *s)
{
    return s->nua;
}

const char *exh_iocset_ua(const struct exh_iocset *s, size_t i, const char **plus, bool *post_only,
                          const char **source)
{
    if (plus)
        *plus = s->ua[i].plus;
    if (post_only)
        *post_only = s->ua[i].post_only;
    if (source)
        *source = s->ua[i].source;
    return s->ua[i].ua;
}
