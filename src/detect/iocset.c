/* iocset.c: indicator sets (iocset.h): the built-in lists plus --ioc files
 * read by src/read/iocread.c, indexed per type for the lookups. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef EXH_HAVE_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

#include "exh/core.h"
#include "exh/iocset.h"
#include "exh/match.h"
#include "ioc.h"
#include "exh/banned.h"

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 64;                                                          \
            (arr) = exh_xrealloc((arr), (cap) * sizeof(*(arr)));                                   \
        }                                                                                          \
    } while (0)

struct hash_ent {
    uint8_t d[32];
    uint8_t len;
    const struct exh_ioc_meta *m;
};

struct path_ent {
    char *tail; /* normalised, see norm_path() */
    size_t tailn;
    const struct exh_ioc_meta *m;
};

struct name_ent {
    char *name; /* lower case */
    const struct exh_ioc_meta *m;
};

struct ip_ent {
    struct exh_cidr c;
    char *needle; /* the text a log line holds: the address, or a range's prefix */
    const struct exh_ioc_meta *m;
};

struct ua_ent {
    char *ua, *plus;
    const struct exh_ioc_meta *m;
};

/* A domain or URL: `needle` (lower case) is what the text must hold: the
 * domain, or the URL's host (which percent-encoding leaves as it is). */
struct web_ent {
    char *needle, *full;        /* full: the URL, lower case (NULL for a domain) */
    size_t nlen, flen, host_at; /* host_at: the host's offset in full */
    bool has_path;              /* a URL with more than its host (and port) */
    const struct exh_ioc_meta *m;
};

struct rx_ent {
    void *code, *excl; /* pcre2_code */
    char *lit;         /* a literal every match holds, lower case (NULL: none) */
    const struct exh_ioc_meta *m;
};

/* A 4-byte folded prefix and the entry it starts (sorted by key). */
struct key_ref {
    uint32_t key;
    uint32_t i;
};

struct exh_iocset {
    struct exh_ioc_feed *feeds;
    size_t nfeeds, capfeeds;
    struct exh_ioc_meta **metas;
    size_t nmetas, capmetas;
    struct hash_ent *h;
    size_t nh, caph;
    bool h_sorted;
    struct path_ent *p;
    size_t np, capp;
    struct name_ent *nm;
    size_t nnm, capnm;
    struct ip_ent *ip;
    size_t nip, capip;
    struct ua_ent *ua;
    size_t nua, capua;
    struct web_ent *web;
    size_t nweb, capweb;
    struct rx_ent *rx;
    size_t nrx, caprx;
    const struct exh_ioc_meta **yara;
    size_t nyara, capyara;
    /* prepared indexes */
    bool prepared;
    struct base_ref {
        const char *base;
        size_t i;
    } * bases; /* path entries by file name */
    size_t nbases;
    size_t *ip_single; /* indexes of single addresses, by address */
    size_t nip_single;
    size_t *ip_range; /* indexes of ranges */
    size_t nip_range;
    struct key_ref *web_keys, *rx_keys;
    size_t nweb_keys, nrx_keys;
    size_t *rx_always; /* regexes without a literal of 4+ bytes */
    size_t nrx_always;
    const char **needles;
    size_t nneedles;
    struct exh_matcher *line_m, *web_m;
};

static char *lower_dup(const char *p, size_t n)
{
    char *s = exh_xstrndup(p, n);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)exh_lc((unsigned char)s[i]);
    return s;
}

static uint32_t key4(const char *p)
{
    return (uint32_t)exh_lc((unsigned char)p[0]) | (uint32_t)exh_lc((unsigned char)p[1]) << 8 |
           (uint32_t)exh_lc((unsigned char)p[2]) << 16 |
           (uint32_t)exh_lc((unsigned char)p[3]) << 24;
}

static int cmp_key_ref(const void *a, const void *b)
{
    const struct key_ref *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* The first key_ref of key k, or n. */
static size_t key_first(const struct key_ref *r, size_t n, uint32_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t add_feed(struct exh_iocset *s, const char *name, bool builtin)
{
    GROW(s->feeds, s->nfeeds, s->capfeeds);
    struct exh_ioc_feed *f = &s->feeds[s->nfeeds];
    memset(f, 0, sizeof(*f));
    f->name = exh_xstrdup(name);
    f->builtin = builtin;
    return s->nfeeds++;
}

static char *dup_or_null(struct exh_str v)
{
    v = exh_trim(v);
    return v.n ? exh_xstrndup(v.p, v.n) : NULL;
}

static struct exh_ioc_meta *new_meta(struct exh_iocset *s, size_t feed, enum exh_ioc_type t,
                                     struct exh_str value, const struct exh_ioc_item *it)
{
    struct exh_ioc_meta *m = exh_xcalloc(1, sizeof(*m));
    m->feed = s->feeds[feed].name;
    m->feed_ix = feed;
    m->type = t;
    m->value = exh_xstrndup(value.p, value.n);
    m->confidence = m->score = -1;
    if (it) {
        m->title = dup_or_null(it->title);
        m->reference = dup_or_null(it->reference);
        m->note = dup_or_null(it->note);
        m->confidence = it->confidence;
        m->score = it->score;
    }
    GROW(s->metas, s->nmetas, s->capmetas);
    s->metas[s->nmetas++] = m;
    return m;
}

static void free_meta(struct exh_ioc_meta *m)
{
    free((char *)m->value);
    free((char *)m->title);
    free((char *)m->reference);
    free((char *)m->note);
    free(m);
}

/* ------------------------------------------------------------- adding -- */

static bool parse_hex(const char *p, size_t n, uint8_t *out, uint8_t *len)
{
    if (n != 32 && n != 40 && n != 64)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int a = exh_hexval((unsigned char)p[i]), b = exh_hexval((unsigned char)p[i + 1]);
        if (a < 0 || b < 0)
            return false;
        out[i / 2] = (uint8_t)(a << 4 | b);
    }
    *len = (uint8_t)(n / 2);
    return true;
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

static void add_hash(struct exh_iocset *s, const struct exh_ioc_meta *m)
{
    uint8_t d[32], len;
    if (!parse_hex(m->value, strlen(m->value), d, &len))
        return;
    s->prepared = s->h_sorted = false;
    GROW(s->h, s->nh, s->caph);
    struct hash_ent *e = &s->h[s->nh++];
    memset(e, 0, sizeof(*e));
    memcpy(e->d, d, len);
    e->len = len;
    e->m = m;
}

static void add_path(struct exh_iocset *s, const struct exh_ioc_meta *m)
{
    s->prepared = false;
    GROW(s->p, s->np, s->capp);
    s->p[s->np].tail = norm_path(m->value, strlen(m->value));
    s->p[s->np].tailn = strlen(s->p[s->np].tail);
    s->p[s->np].m = m;
    s->np++;
}

static void add_name(struct exh_iocset *s, const struct exh_ioc_meta *m)
{
    s->prepared = false;
    GROW(s->nm, s->nnm, s->capnm);
    s->nm[s->nnm].name = lower_dup(m->value, strlen(m->value));
    s->nm[s->nnm].m = m;
    s->nnm++;
}

/* The text every log line naming an address of range c holds: the address,
 * or the leading whole octets (IPv4) or non-zero groups (IPv6) of the
 * range; NULL when that is under 4 bytes (too wide a range to look for). */
static char *ip_needle(const struct exh_cidr *c)
{
    char buf[64];
    exh_ip_format(&c->net, buf);
    if (c->bits == 128)
        return exh_xstrdup(buf);
    bool v4 = !strchr(buf, ':');
    unsigned bits = v4 ? c->bits - 96 : c->bits;
    size_t keep = 0;
    if (v4) {
        unsigned whole = bits / 8, dots = 0;
        for (size_t i = 0; buf[i] && dots < whole; i++)
            if (buf[i] == '.' && ++dots == whole)
                keep = i + 1;
    } else {
        unsigned whole = bits / 16, groups = 0;
        for (size_t i = 0; buf[i] && groups < whole; i++) {
            if (buf[i] == ':') {
                if (buf[i + 1] == ':' || (i && buf[i - 1] == ':'))
                    break; /* a zero run: the text may be written either way from here */
                if (buf[i + 1] == '0' && (buf[i + 2] == ':' || !buf[i + 2])) {
                    groups++;
                    keep = i + 1; /* the group before a zero one, which "::" may hide */
                    break;
                }
                groups++;
                keep = i + 1;
            }
        }
    }
    if (keep < 4)
        return NULL;
    buf[keep] = '\0';
    return exh_xstrdup(buf);
}

static bool add_ip(struct exh_iocset *s, const struct exh_ioc_meta *m)
{
    struct exh_cidr c;
    if (!exh_cidr_parse(exh_str_make(m->value, strlen(m->value)), &c))
        return false;
    char *nd = ip_needle(&c);
    if (!nd)
        return false;
    s->prepared = false;
    GROW(s->ip, s->nip, s->capip);
    s->ip[s->nip].c = c;
    s->ip[s->nip].needle = nd;
    s->ip[s->nip].m = m;
    s->nip++;
    return true;
}

static void add_ua(struct exh_iocset *s, const struct exh_ioc_meta *m, const char *plus)
{
    s->prepared = false;
    GROW(s->ua, s->nua, s->capua);
    s->ua[s->nua].ua = exh_xstrdup(m->value);
    char *pl = exh_xstrdup(plus ? plus : m->value);
    if (!plus)
        for (char *c = pl; *c; c++)
            if (*c == ' ')
                *c = '+';
    s->ua[s->nua].plus = pl;
    s->ua[s->nua].m = m;
    s->nua++;
}

static bool add_web(struct exh_iocset *s, const struct exh_ioc_meta *m)
{
    size_t n = strlen(m->value);
    struct web_ent e;
    memset(&e, 0, sizeof(e));
    e.m = m;
    if (m->type == EXH_IOC_DOMAIN) {
        const char *v = m->value;
        if (n > 2 && v[0] == '*' && v[1] == '.') {
            v += 2;
            n -= 2;
        }
        if (n && v[n - 1] == '.')
            n--;
        e.needle = lower_dup(v, n);
        e.nlen = n;
    } else {
        e.full = lower_dup(m->value, n);
        e.flen = n;
        const char *h = strstr(e.full, "://");
        h = h ? h + 3 : e.full;
        const char *at = strchr(h, '@'), *end = h + strcspn(h, "/?#");
        if (at && at < end)
            h = at + 1;
        size_t hn = strcspn(h, ":/?#");
        if (*h == '[')
            hn = strcspn(h, "]") + 1;
        e.host_at = (size_t)(h - e.full);
        /* the needle: the host, which percent-encoding leaves as it is (the
         * rest of the URL is checked where the host is found) */
        size_t k = hn;
        e.has_path = e.host_at + hn < n && !(h[hn] == ':' && !strpbrk(h + hn, "/?#"));
        e.needle = exh_xstrndup(h, k);
        e.nlen = k;
    }
    if (e.nlen < 4) { /* too short to look for */
        free(e.needle);
        free(e.full);
        return false;
    }
    s->prepared = false;
    GROW(s->web, s->nweb, s->capweb);
    s->web[s->nweb++] = e;
    return true;
}

/* The ']' that closes the class opening at r[i] (or n): a ']' first in the
 * class ("[]x]", "[^]x]") is one of its members. */
static size_t class_end(const char *r, size_t n, size_t i)
{
    i++;
    if (i < n && r[i] == '^')
        i++;
    if (i < n && r[i] == ']')
        i++;
    while (i < n && r[i] != ']')
        i += r[i] == '\\' ? 2 : 1;
    return i;
}

/* A literal every match of the regex holds (the longest run of plain
 * characters outside groups, classes and alternations), lower case; NULL
 * when there is none of 4+ bytes or the regex has a top-level '|'. */
static char *rx_literal(const char *r)
{
    char run[256], best[256];
    size_t rn = 0, bn = 0;
    size_t n = strlen(r);
    if (strstr(r, "\\Q"))
        return NULL; /* quoting: tried on every path */
    for (const char *g = strstr(r, "(?"); g; g = strstr(g + 2, "(?")) {
        /* extended mode ("(?x)", "(?ix:") ignores blanks; "(?-i)" turns case back on */
        for (const char *f = g + 2; *f && *f != ')' && *f != ':'; f++)
            if (*f == 'x' || *f == '-')
                return NULL;
    }
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? r[i] : '\0';
        bool lit = false;
        char ch = 0;
        if (c == '\\' && i + 1 < n) {
            char e = r[i + 1];
            if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))) {
                lit = true;
                ch = e;
            }
            i++;
            if (!lit) /* \x41, \x{..}, \p{..}, \k<..>, \0nn: what follows is no literal */
                while (i + 1 < n && (isalnum((unsigned char)r[i + 1]) || strchr("{}<>'", r[i + 1])))
                    i++;
        } else if (c && !strchr(".^$|()[]{}*+?", c)) {
            lit = true;
            ch = c;
        } else if (c == '|') {
            return NULL;
        }
        if (lit) {
            /* a quantifier after it makes it optional (or '+': needed once) */
            char q = i + 1 < n ? r[i + 1] : '\0';
            if (q == '*' || q == '?' || q == '{') {
                lit = false;
            } else if (rn + 1 < sizeof(run)) {
                run[rn++] = (char)exh_lc((unsigned char)ch);
                if (q == '+')
                    lit = false; /* the run ends after it */
                else
                    continue;
            }
        }
        if (rn > bn) {
            memcpy(best, run, rn);
            bn = rn;
        }
        rn = 0;
        if (c == '(' || c == '[') { /* skip the group or class whole */
            int depth = 0;
            bool cls = c == '[';
            if (cls) {
                i = class_end(r, n, i);
                continue;
            }
            for (; i < n; i++) {
                if (r[i] == '\\') {
                    i++;
                    continue;
                }
                if (r[i] == '[') {
                    i = class_end(r, n, i);
                    continue;
                }
                if (r[i] == '(')
                    depth++;
                else if (r[i] == ')' && --depth == 0)
                    break;
            }
        }
    }
    if (bn < 4)
        return NULL;
    return exh_xstrndup(best, bn);
}

#ifdef EXH_HAVE_PCRE2
static void *rx_compile(const char *r, char *err, size_t errn)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)r, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(code, msg, sizeof(msg));
        snprintf(err, errn, "regex does not compile at %zu: %s", (size_t)off, (char *)msg);
    }
    return c;
}
static void rx_free(void *c)
{
    pcre2_code_free(c);
}
/* Paths are attacker-named: a regex that backtracks (Loki's lists are not
 * written for it) stops at these limits and counts as no match. */
#define RX_MATCH_LIMIT 100000u
#define RX_DEPTH_LIMIT 10000u

static bool rx_match(const void *c, const char *p, size_t n)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    int rc = -1;
    if (md && mc) {
        pcre2_set_match_limit(mc, RX_MATCH_LIMIT);
        pcre2_set_depth_limit(mc, RX_DEPTH_LIMIT);
        rc = pcre2_match(c, (PCRE2_SPTR)p, n, 0, 0, md, mc);
    }
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    return rc >= 0;
}
#else
static void *rx_compile(const char *r, char *err, size_t errn)
{
    (void)r;
    snprintf(err, errn, "regex not used: this build has no PCRE2");
    return NULL;
}
static void rx_free(void *c)
{
    (void)c;
}
static bool rx_match(const void *c, const char *p, size_t n)
{
    (void)c;
    (void)p;
    (void)n;
    return false;
}
#endif

static bool add_rx(struct exh_iocset *s, const struct exh_ioc_meta *m, struct exh_str exclude,
                   char *err, size_t errn)
{
    void *c = rx_compile(m->value, err, errn), *x = NULL;
    if (!c)
        return false;
    if (exclude.n) {
        char *xs = exh_xstrndup(exclude.p, exclude.n);
        x = rx_compile(xs, err, errn);
        free(xs);
        if (!x) {
            rx_free(c);
            return false;
        }
    }
    s->prepared = false;
    GROW(s->rx, s->nrx, s->caprx);
    s->rx[s->nrx].code = c;
    s->rx[s->nrx].excl = x;
    s->rx[s->nrx].lit = rx_literal(m->value);
    s->rx[s->nrx].m = m;
    s->nrx++;
    return true;
}

/* --------------------------------------------------------- the feeds -- */

struct load_ctx {
    struct exh_iocset *s;
    size_t feed;
    struct exh_ioc_load_stats *st;
    exh_ioc_note_fn note;
    void *ud;
};

static void on_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct load_ctx *c = ud;
    if (understood)
        c->st->unused++;
    else
        c->st->bad++;
    if (c->note)
        c->note(c->ud, where, why, understood);
}

static void on_item(void *ud, const struct exh_ioc_item *it)
{
    struct load_ctx *c = ud;
    struct exh_iocset *s = c->s;
    struct exh_ioc_meta *m = new_meta(s, c->feed, it->type, it->value, it);
    char err[200] = "";
    bool ok = true;
    switch (it->type) {
    case EXH_IOC_HASH:
        add_hash(s, m);
        break;
    case EXH_IOC_IP:
        ok = add_ip(s, m);
        if (!ok)
            snprintf(err, sizeof(err), "range %s too wide to be an indicator", m->value);
        break;
    case EXH_IOC_DOMAIN:
    case EXH_IOC_URL:
        ok = add_web(s, m);
        if (!ok)
            snprintf(err, sizeof(err), "host of %s under 4 bytes: too short to look for", m->value);
        break;
    case EXH_IOC_PATH:
        add_path(s, m);
        break;
    case EXH_IOC_NAME:
        add_name(s, m);
        break;
    case EXH_IOC_REGEX:
#ifndef EXH_HAVE_PCRE2
        c->st->no_regex++;
        on_skip(ud, "", "file-name regex not used: this build has no PCRE2", true);
        return;
#endif
        ok = add_rx(s, m, it->exclude, err, sizeof(err));
        break;
    case EXH_IOC_UA:
        add_ua(s, m, NULL);
        break;
    case EXH_IOC_YARA:
        s->prepared = false;
        GROW(s->yara, s->nyara, s->capyara);
        s->yara[s->nyara++] = m;
        break;
    case EXH_IOC__COUNT:
        ok = false;
        break;
    }
    if (!ok) {
        /* the meta stays (owned, harmless); the entry counts as not understood */
        on_skip(ud, "", err[0] ? err : "not usable", false);
        return;
    }
    c->st->loaded[it->type]++;
}

/* Undo what a load added to arrays after their marks (a file that turned
 * out to be no indicator file). The metas stay owned by the set. */
struct marks {
    size_t nh, np, nnm, nip, nua, nweb, nrx, nyara;
};

static void rollback(struct exh_iocset *s, const struct marks *k)
{
    for (size_t i = k->np; i < s->np; i++)
        free(s->p[i].tail);
    for (size_t i = k->nnm; i < s->nnm; i++)
        free(s->nm[i].name);
    for (size_t i = k->nip; i < s->nip; i++)
        free(s->ip[i].needle);
    for (size_t i = k->nua; i < s->nua; i++) {
        free(s->ua[i].ua);
        free(s->ua[i].plus);
    }
    for (size_t i = k->nweb; i < s->nweb; i++) {
        free(s->web[i].needle);
        free(s->web[i].full);
    }
    for (size_t i = k->nrx; i < s->nrx; i++) {
        rx_free(s->rx[i].code);
        rx_free(s->rx[i].excl);
        free(s->rx[i].lit);
    }
    s->nh = k->nh;
    s->np = k->np;
    s->nnm = k->nnm;
    s->nip = k->nip;
    s->nua = k->nua;
    s->nweb = k->nweb;
    s->nrx = k->nrx;
    s->nyara = k->nyara;
}

bool exh_iocset_load(struct exh_iocset *s, const char *name, const uint8_t *p, size_t n,
                     struct exh_ioc_load_stats *st, exh_ioc_note_fn note, void *ud)
{
    memset(st, 0, sizeof(*st));
    struct marks k = {s->nh, s->np, s->nnm, s->nip, s->nua, s->nweb, s->nrx, s->nyara};
    size_t feed = add_feed(s, name, false);
    struct load_ctx c = {s, feed, st, note, ud};
    struct exh_ioc_sink sink = {&c, on_item, on_skip};
    st->format = exh_ioc_read(p, n, &sink, st->err, sizeof(st->err));
    size_t loaded = 0;
    for (int t = 0; t < EXH_IOC__COUNT; t++)
        loaded += st->loaded[t];
    if (st->format == EXH_IOCF_NONE || (!loaded && !st->unused)) {
        if (st->format != EXH_IOCF_NONE)
            snprintf(st->err, sizeof(st->err),
                     "nothing in it is an indicator exhunt understands (%zu entr%s not "
                     "understood)",
                     st->bad, st->bad == 1 ? "y" : "ies");
        rollback(s, &k);
        free(s->feeds[feed].name);
        s->nfeeds--;
        /* metas of the rolled-back entries point at the freed name: drop them */
        while (s->nmetas && s->metas[s->nmetas - 1]->feed_ix == feed) {
            free_meta(s->metas[s->nmetas - 1]);
            s->nmetas--;
        }
        return false;
    }
    struct exh_ioc_feed *f = &s->feeds[feed];
    f->format = st->format;
    memcpy(f->loaded, st->loaded, sizeof(f->loaded));
    f->unused = st->unused;
    f->bad = st->bad;
    s->prepared = false;
    return true;
}

struct exh_iocset *exh_iocset_new(bool builtin)
{
    struct exh_iocset *s = exh_xcalloc(1, sizeof(*s));
    if (!builtin)
        return s;
    size_t feed = add_feed(s, "built-in", true);
    struct exh_ioc_feed *f = &s->feeds[feed];
    f->format = EXH_IOCF_LIST;
    struct exh_ioc_item it;
    memset(&it, 0, sizeof(it));
    it.score = it.confidence = -1;
    for (size_t i = 0; i < exh_nioc_hashes; i++) {
        const struct exh_ioc_hash_src *e = &exh_ioc_hashes[i];
        it.title = exh_str_make(e->source, strlen(e->source));
        it.note = exh_str_make(e->note ? e->note : "", e->note ? strlen(e->note) : 0);
        add_hash(s, new_meta(s, feed, EXH_IOC_HASH, exh_str_make(e->hex, strlen(e->hex)), &it));
        f->loaded[EXH_IOC_HASH]++;
    }
    it.note = EXH_STR_NULL;
    for (size_t i = 0; i < exh_nioc_paths; i++) {
        const struct exh_ioc_path_src *e = &exh_ioc_paths[i];
        it.title = exh_str_make(e->source, strlen(e->source));
        add_path(s, new_meta(s, feed, EXH_IOC_PATH, exh_str_make(e->path, strlen(e->path)), &it));
        f->loaded[EXH_IOC_PATH]++;
    }
    for (size_t i = 0; i < exh_nioc_ips; i++) {
        const struct exh_ioc_ip *e = &exh_ioc_ips[i];
        it.title = exh_str_make(e->source, strlen(e->source));
        if (add_ip(s, new_meta(s, feed, EXH_IOC_IP, exh_str_make(e->ip, strlen(e->ip)), &it)))
            f->loaded[EXH_IOC_IP]++;
    }
    for (size_t i = 0; i < exh_nioc_uas; i++) {
        const struct exh_ioc_ua *e = &exh_ioc_uas[i];
        it.title = exh_str_make(e->source, strlen(e->source));
        struct exh_ioc_meta *m =
            new_meta(s, feed, EXH_IOC_UA, exh_str_make(e->ua, strlen(e->ua)), &it);
        m->post_only = e->post_only != 0;
        add_ua(s, m, e->ua_plus);
        f->loaded[EXH_IOC_UA]++;
    }
    return s;
}

void exh_iocset_free(struct exh_iocset *s)
{
    if (!s)
        return;
    struct marks zero = {0};
    rollback(s, &zero);
    for (size_t i = 0; i < s->nmetas; i++)
        free_meta(s->metas[i]);
    for (size_t i = 0; i < s->nfeeds; i++)
        free(s->feeds[i].name);
    free(s->feeds);
    free(s->metas);
    free(s->h);
    free(s->p);
    free(s->nm);
    free(s->ip);
    free(s->ua);
    free(s->web);
    free(s->rx);
    free(s->yara);
    free(s->bases);
    free(s->ip_single);
    free(s->ip_range);
    free(s->web_keys);
    free(s->rx_keys);
    free(s->rx_always);
    free(s->needles);
    exh_matcher_free(s->line_m);
    exh_matcher_free(s->web_m);
    free(s);
}

size_t exh_iocset_nfeeds(const struct exh_iocset *s)
{
    return s->nfeeds;
}

const struct exh_ioc_feed *exh_iocset_feed(const struct exh_iocset *s, size_t i)
{
    return i < s->nfeeds ? &s->feeds[i] : NULL;
}

size_t exh_iocset_nmetas(const struct exh_iocset *s)
{
    return s->nmetas;
}

const struct exh_ioc_meta *exh_iocset_meta(const struct exh_iocset *s, size_t i)
{
    return i < s->nmetas ? s->metas[i] : NULL;
}

size_t exh_iocset_count(const struct exh_iocset *s, enum exh_ioc_type t)
{
    switch (t) {
    case EXH_IOC_HASH:
        return s->nh;
    case EXH_IOC_IP:
        return s->nip;
    case EXH_IOC_DOMAIN:
    case EXH_IOC_URL: {
        size_t k = 0;
        for (size_t i = 0; i < s->nweb; i++)
            k += s->web[i].m->type == t;
        return k;
    }
    case EXH_IOC_PATH:
        return s->np;
    case EXH_IOC_NAME:
        return s->nnm;
    case EXH_IOC_REGEX:
        return s->nrx;
    case EXH_IOC_UA:
        return s->nua;
    case EXH_IOC_YARA:
        return s->nyara;
    case EXH_IOC__COUNT:
        break;
    }
    return 0;
}

/* ------------------------------------------------------------ prepare -- */

static int cmp_hash(const void *a, const void *b)
{
    const struct hash_ent *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->d, y->d, x->len);
    /* equal digests: the first listed first (metas are allocated in order) */
    return c ? c : (x->m->feed_ix > y->m->feed_ix) - (x->m->feed_ix < y->m->feed_ix);
}

static int cmp_base_ref(const void *a, const void *b)
{
    const struct base_ref *x = a, *y = b;
    int c = strcmp(x->base, y->base);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static const struct exh_iocset *sort_set; /* qsort has no context argument */

static int cmp_name(const void *a, const void *b)
{
    const struct name_ent *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->m->feed_ix > y->m->feed_ix) - (x->m->feed_ix < y->m->feed_ix);
}

static int cmp_ip_single(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = memcmp(sort_set->ip[i].c.net.b, sort_set->ip[j].c.net.b, 16);
    return c ? c : (i > j) - (i < j);
}

void exh_iocset_prepare(struct exh_iocset *s)
{
    if (s->prepared)
        return; /* the CLI and the engine both ask */
    s->prepared = true;
    if (s->nh)
        qsort(s->h, s->nh, sizeof(*s->h), cmp_hash);
    s->h_sorted = true;
    if (s->nnm)
        qsort(s->nm, s->nnm, sizeof(*s->nm), cmp_name);
    free(s->bases);
    s->bases = exh_xcalloc(s->np + 1, sizeof(*s->bases));
    s->nbases = 0;
    for (size_t i = 0; i < s->np; i++)
        s->bases[s->nbases++] =
            (struct base_ref){exh_path_base(exh_str_make(s->p[i].tail, s->p[i].tailn)).p, i};
    qsort(s->bases, s->nbases, sizeof(*s->bases), cmp_base_ref);
    /* addresses: singles sorted for a binary search, ranges apart */
    free(s->ip_single);
    free(s->ip_range);
    s->ip_single = exh_xcalloc(s->nip + 1, sizeof(size_t));
    s->ip_range = exh_xcalloc(s->nip + 1, sizeof(size_t));
    s->nip_single = s->nip_range = 0;
    for (size_t i = 0; i < s->nip; i++) {
        if (s->ip[i].c.bits == 128)
            s->ip_single[s->nip_single++] = i;
        else
            s->ip_range[s->nip_range++] = i;
    }
    sort_set = s;
    qsort(s->ip_single, s->nip_single, sizeof(size_t), cmp_ip_single);
    sort_set = NULL;
    /* domains and URLs: by the 4 first bytes of their needle */
    free(s->web_keys);
    s->web_keys = exh_xcalloc(s->nweb + 1, sizeof(*s->web_keys));
    for (size_t i = 0; i < s->nweb; i++)
        s->web_keys[i] = (struct key_ref){key4(s->web[i].needle), (uint32_t)i};
    s->nweb_keys = s->nweb;
    qsort(s->web_keys, s->nweb_keys, sizeof(*s->web_keys), cmp_key_ref);
    /* regexes: by the 4 first bytes of their literal, or always tried */
    free(s->rx_keys);
    free(s->rx_always);
    s->rx_keys = exh_xcalloc(s->nrx + 1, sizeof(*s->rx_keys));
    s->rx_always = exh_xcalloc(s->nrx + 1, sizeof(size_t));
    s->nrx_keys = s->nrx_always = 0;
    for (size_t i = 0; i < s->nrx; i++) {
        if (s->rx[i].lit)
            s->rx_keys[s->nrx_keys++] = (struct key_ref){key4(s->rx[i].lit), (uint32_t)i};
        else
            s->rx_always[s->nrx_always++] = i;
    }
    qsort(s->rx_keys, s->nrx_keys, sizeof(*s->rx_keys), cmp_key_ref);
    /* the log-line literals, and the matchers */
    free(s->needles);
    s->needles = exh_xcalloc(s->nip + 2 * s->nua + s->nweb + 1, sizeof(*s->needles));
    s->nneedles = 0;
    for (size_t i = 0; i < s->nip; i++)
        s->needles[s->nneedles++] = s->ip[i].needle;
    for (size_t i = 0; i < s->nua; i++) {
        if (strlen(s->ua[i].ua) < 4)
            continue;
        s->needles[s->nneedles++] = s->ua[i].ua;
        if (strcmp(s->ua[i].plus, s->ua[i].ua))
            s->needles[s->nneedles++] = s->ua[i].plus;
    }
    size_t web_from = s->nneedles;
    for (size_t i = 0; i < s->nweb; i++)
        s->needles[s->nneedles++] = s->web[i].needle;
    exh_matcher_free(s->line_m);
    exh_matcher_free(s->web_m);
    s->line_m = s->nneedles ? exh_matcher_build(s->needles, NULL, s->nneedles) : NULL;
    s->web_m = s->nweb ? exh_matcher_build(s->needles + web_from, NULL, s->nweb) : NULL;
}

/* ------------------------------------------------------------ lookups -- */

const struct exh_ioc_meta *exh_iocset_hash(const struct exh_iocset *s, const uint8_t *d, size_t len)
{
    if (!s->nh || (len != 16 && len != 20 && len != 32))
        return NULL;
    if (!s->h_sorted) { /* not prepared: a linear search, still correct */
        for (size_t i = 0; i < s->nh; i++)
            if (s->h[i].len == len && !memcmp(s->h[i].d, d, len))
                return s->h[i].m;
        return NULL;
    }
    size_t lo = 0, hi = s->nh; /* the first entry not below (len, d) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct hash_ent *e = &s->h[mid];
        int c = e->len != len ? (e->len < len ? -1 : 1) : memcmp(e->d, d, len);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->nh && s->h[lo].len == len && !memcmp(s->h[lo].d, d, len))
        return s->h[lo].m;
    return NULL;
}

bool exh_iocset_has_hashes(const struct exh_iocset *s)
{
    return s->nh > 0;
}

/* Does the normalised path t (length tn) end with listed path i? */
static bool tail_match(const struct exh_iocset *s, size_t i, const char *t, size_t tn)
{
    size_t pn = s->p[i].tailn;
    return pn <= tn && !strcmp(t + tn - pn, s->p[i].tail) && (pn == tn || t[tn - pn - 1] == '/');
}

const struct exh_ioc_meta *exh_iocset_path(const struct exh_iocset *s, const char *path)
{
    if (!s->np)
        return NULL;
    size_t n = strlen(path);
    size_t lo = 0, hi = 0; /* the listed paths of this file name, in bases[] */
    bool by_name = false;
    if (s->prepared && s->bases) {
        struct exh_str b = exh_path_base(exh_str_make(path, n));
        char low[256];
        if (b.n < sizeof(low)) {
            for (size_t i = 0; i < b.n; i++)
                low[i] = (char)exh_lc((unsigned char)b.p[i]);
            low[b.n] = '\0';
            size_t l = 0, h = s->nbases;
            while (l < h) {
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
    const struct exh_ioc_meta *m = NULL;
    size_t tn = strlen(t);
    if (by_name) {
        for (size_t k = lo; k < hi && !m; k++)
            if (tail_match(s, s->bases[k].i, t, tn))
                m = s->p[s->bases[k].i].m;
    } else {
        for (size_t i = 0; i < s->np && !m; i++)
            if (tail_match(s, i, t, tn))
                m = s->p[i].m;
    }
    free(t);
    return m;
}

const struct exh_ioc_meta *exh_iocset_name(const struct exh_iocset *s, struct exh_str name)
{
    if (!s->nnm || !name.n || name.n > 255)
        return NULL;
    char low[256];
    for (size_t i = 0; i < name.n; i++)
        low[i] = (char)exh_lc((unsigned char)name.p[i]);
    low[name.n] = '\0';
    if (!s->prepared) {
        for (size_t i = 0; i < s->nnm; i++)
            if (!strcmp(s->nm[i].name, low))
                return s->nm[i].m;
        return NULL;
    }
    size_t lo = 0, hi = s->nnm;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->nm[mid].name, low) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nnm && !strcmp(s->nm[lo].name, low) ? s->nm[lo].m : NULL;
}

void exh_iocset_winpath(const char *path, struct exh_buf *out)
{
    static const char *const tops[] = {"inetpub/",     "program files/", "program files (x86)/",
                                       "programdata/", "windows/",       "users/",
                                       "perflogs/",    "exchange/",      NULL};
    exh_buf_reset(out);
    size_t n = strlen(path), from = 0;
    if (!(n > 1 && path[1] == ':')) {
        /* from the first component that is a well-known top folder */
        char *fwd = exh_xstrdup(path);
        for (char *c = fwd; *c; c++)
            if (*c == '\\')
                *c = '/';
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < n && best == SIZE_MAX; i++) {
            if (i && fwd[i - 1] != '/')
                continue;
            for (int k = 0; tops[k] && best == SIZE_MAX; k++)
                if (exh_starts_ci(exh_str_make(fwd + i, n - i), tops[k]))
                    best = i;
        }
        free(fwd);
        exh_buf_adds(out, "C:\\");
        from = best != SIZE_MAX ? best : 0;
        while (from < n && (path[from] == '/' || path[from] == '\\'))
            from++;
    }
    for (size_t i = from; i < n; i++)
        exh_buf_addc(out, path[i] == '/' ? '\\' : path[i]);
}

static bool rx_try(const struct exh_iocset *s, size_t i, const char *p, size_t n)
{
    const struct rx_ent *r = &s->rx[i];
    return rx_match(r->code, p, n) && !(r->excl && rx_match(r->excl, p, n));
}

const struct exh_ioc_meta *exh_iocset_regex(const struct exh_iocset *s, const char *p, size_t n)
{
    if (!s->nrx)
        return NULL;
    const struct exh_ioc_meta *best = NULL;
    size_t best_i = SIZE_MAX;
    if (!s->prepared) {
        for (size_t i = 0; i < s->nrx; i++)
            if (rx_try(s, i, p, n))
                return s->rx[i].m;
        return NULL;
    }
    for (size_t k = 0; k < s->nrx_always; k++) {
        size_t i = s->rx_always[k];
        if (i < best_i && rx_try(s, i, p, n)) {
            best = s->rx[i].m;
            best_i = i;
            break;
        }
    }
    /* each place a literal may start: the regexes whose literal starts so */
    for (size_t at = 0; at + 4 <= n; at++) {
        uint32_t key = key4(p + at);
        for (size_t k = key_first(s->rx_keys, s->nrx_keys, key);
             k < s->nrx_keys && s->rx_keys[k].key == key; k++) {
            size_t i = s->rx_keys[k].i;
            if (i >= best_i)
                continue;
            const char *lit = s->rx[i].lit;
            size_t ln = strlen(lit);
            if (at + ln > n || !exh_starts_ci(exh_str_make(p + at, n - at), lit))
                continue;
            if (rx_try(s, i, p, n)) { /* the first listed wins */
                best = s->rx[i].m;
                best_i = i;
            }
        }
    }
    return best;
}

bool exh_iocset_has_regex(const struct exh_iocset *s)
{
    return s->nrx > 0;
}

const struct exh_ioc_meta *exh_iocset_ip(const struct exh_iocset *s, const struct exh_ip *ip)
{
    if (!s->nip)
        return NULL;
    if (!s->prepared) {
        for (size_t i = 0; i < s->nip; i++)
            if (exh_cidr_contains(&s->ip[i].c, ip))
                return s->ip[i].m;
        return NULL;
    }
    const struct exh_ioc_meta *m = NULL;
    size_t lo = 0, hi = s->nip_single;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(s->ip[s->ip_single[mid]].c.net.b, ip->b, 16) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->nip_single && !memcmp(s->ip[s->ip_single[lo]].c.net.b, ip->b, 16))
        m = s->ip[s->ip_single[lo]].m;
    for (size_t k = 0; k < s->nip_range && !m; k++)
        if (exh_cidr_contains(&s->ip[s->ip_range[k]].c, ip))
            m = s->ip[s->ip_range[k]].m;
    return m;
}

const struct exh_ioc_meta *exh_iocset_ua(const struct exh_iocset *s, struct exh_str ua, bool post)
{
    /* the user agent starts with it (some published strings lack their
     * closing parenthesis); a client that merely embeds one of these names
     * (Teams' "... (ExchangeServicesClient/0.0.0.0) ...") is not it */
    for (size_t i = 0; i < s->nua; i++)
        if ((post || !s->ua[i].m->post_only) &&
            (exh_starts_ci(ua, s->ua[i].ua) || exh_starts_ci(ua, s->ua[i].plus)))
            return s->ua[i].m;
    return NULL;
}

static bool host_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* Is web entry i at p[at..]? */
static bool web_at(const struct exh_iocset *s, size_t i, const char *p, size_t n, size_t at,
                   size_t *start, size_t *len)
{
    const struct web_ent *e = &s->web[i];
    if (at + e->nlen > n || !exh_starts_ci(exh_str_make(p + at, n - at), e->needle))
        return false;
    size_t end = at + e->nlen;
    if (!e->full) {
        /* a domain standing alone: "x.evil.example" names it,
         * "notevil.example" and "evil.example.org" do not */
        if (at && host_byte((unsigned char)p[at - 1]))
            return false;
        if (end < n && (host_byte((unsigned char)p[end]) ||
                        (p[end] == '.' && end + 1 < n && host_byte((unsigned char)p[end + 1]))))
            return false;
        *start = at;
        *len = e->nlen;
        return true;
    }
    /* a URL: its scheme and the rest around the host */
    if (at < e->host_at ||
        !exh_starts_ci(exh_str_make(p + at - e->host_at, n - at + e->host_at), e->full))
        return false;
    size_t uend = at - e->host_at + e->flen;
    if (!e->has_path && uend < n &&
        (host_byte((unsigned char)p[uend]) ||
         (p[uend] == '.' && uend + 1 < n && host_byte((unsigned char)p[uend + 1]))))
        return false; /* "http://c2.example" is not "http://c2.example.org" */
    *start = at - e->host_at;
    *len = e->flen;
    return true;
}

const struct exh_ioc_meta *exh_iocset_web(const struct exh_iocset *s, const char *p, size_t n,
                                          size_t *at, size_t *len)
{
    if (!s->nweb)
        return NULL;
    size_t st, ln;
    if (!s->prepared || !s->web_m) {
        for (size_t pos = 0; pos < n; pos++)
            for (size_t i = 0; i < s->nweb; i++)
                if (web_at(s, i, p, n, pos, &st, &ln)) {
                    *at = st;
                    *len = ln;
                    return s->web[i].m;
                }
        return NULL;
    }
    size_t from = 0;
    int id;
    while (from < n) {
        size_t pos = exh_matcher_next(s->web_m, (const uint8_t *)p, n, from, &id);
        if (pos >= n || pos + 4 > n)
            break;
        /* every entry whose needle starts with these 4 bytes (the matcher
         * names one needle per place) */
        uint32_t key = key4(p + pos);
        const struct exh_ioc_meta *best = NULL;
        size_t best_i = SIZE_MAX;
        for (size_t k = key_first(s->web_keys, s->nweb_keys, key);
             k < s->nweb_keys && s->web_keys[k].key == key; k++) {
            size_t i = s->web_keys[k].i;
            if (i < best_i && web_at(s, i, p, n, pos, &st, &ln)) {
                best = s->web[i].m;
                best_i = i;
                *at = st;
                *len = ln;
            }
        }
        if (best)
            return best;
        from = pos + 1;
    }
    return NULL;
}

bool exh_iocset_has_web(const struct exh_iocset *s)
{
    return s->nweb > 0;
}

size_t exh_iocset_line_needles(const struct exh_iocset *s, const char *const **out)
{
    *out = s->needles;
    return s->prepared ? s->nneedles : 0;
}

bool exh_iocset_line_may_match(const struct exh_iocset *s, const char *p, size_t n)
{
    if (!s->prepared || !s->line_m)
        return s->nip || s->nua || s->nweb; /* not prepared (or changed since): look */
    int id;
    return exh_matcher_next(s->line_m, (const uint8_t *)p, n, 0, &id) < n;
}

size_t exh_iocset_nyara(const struct exh_iocset *s)
{
    return s->nyara;
}

const struct exh_ioc_meta *exh_iocset_yara(const struct exh_iocset *s, size_t i)
{
    return i < s->nyara ? s->yara[i] : NULL;
}
