/* merge.c: the fleet from many scans' JSON Lines results (include/exh/merge.h).
 *
 * A result is the records of one scan up to and including its summary; a file
 * may hold several (cat a.jsonl b.jsonl). A result is aggregated while it is
 * read (counts, exposure rule ids, actors) and kept with its file's other
 * results until the file ends: a file with a summary of another
 * schema_version is refused whole. Then each result joins the fleet, where
 * the newest scan of a host name (ASCII case folded) wins unless keep_all. */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/merge.h"
#include "exh/os.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

#ifdef EXH_HAVE_JANSSON
#include <jansson.h>
#ifdef EXH_HAVE_ZLIB
#include <unistd.h>
#include <zlib.h>
#endif

/* ---- a string -> index map (open addressing, keyed against flooding) ---- */

struct smap {
    char **keys;
    size_t *vals;
    size_t cap, n;
    uint64_t seed;
};

static uint64_t smap_hash(const struct smap *s, const char *k)
{
    uint64_t h = s->seed;
    for (; *k; k++)
        h = exh_mix64(h ^ (unsigned char)*k);
    return h;
}

static size_t *smap_slot(struct smap *s, const char *k, bool add)
{
    if (add && (s->n + 1) * 4 > s->cap * 3) {
        struct smap g = {exh_xcalloc(s->cap ? s->cap * 2 : 64, sizeof(char *)), NULL,
                         s->cap ? s->cap * 2 : 64, s->n, s->seed};
        g.vals = exh_xcalloc(g.cap, sizeof(size_t));
        for (size_t i = 0; i < s->cap; i++)
            if (s->keys[i]) {
                size_t j = smap_hash(&g, s->keys[i]) & (g.cap - 1);
                while (g.keys[j])
                    j = (j + 1) & (g.cap - 1);
                g.keys[j] = s->keys[i];
                g.vals[j] = s->vals[i];
            }
        free(s->keys);
        free(s->vals);
        *s = g;
    }
    if (!s->cap)
        return NULL;
    size_t j = smap_hash(s, k) & (s->cap - 1);
    while (s->keys[j]) {
        if (!strcmp(s->keys[j], k))
            return &s->vals[j];
        j = (j + 1) & (s->cap - 1);
    }
    if (!add)
        return NULL;
    s->keys[j] = exh_xstrdup(k);
    s->vals[j] = (size_t)-1;
    s->n++;
    return &s->vals[j];
}

static void smap_release(struct smap *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->keys[i]);
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof(*s));
}

/* ---- growable arrays ---- */

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 8;
    return exh_xrealloc(p, *cap * size);
}

#define PUSH(arr, n, cap) ((arr) = grow((arr), &(cap), (n), sizeof(*(arr))), &(arr)[(n)++])

/* ---- one result being read ---- */

struct result {
    struct exh_fleet_host h;
    size_t capcov, capexp, capact;
    struct smap actor_ix; /* ip -> index in h.actors */
    bool any;             /* a record was read */
};

struct merge_file {
    char *name;
    uint64_t line;
    bool refused, skipping;
    uint64_t skip_line;
    size_t nerrors;
    uint64_t more;
    struct exh_buf buf;
    struct result *cur;
    struct result **done;
    size_t ndone, capdone;
};

struct exh_merge {
    struct exh_merge_opts o;
    size_t max_line;
    uint64_t seed;
    struct merge_file f;
    bool in_file;
    struct exh_fleet_host *hosts;
    size_t nhosts, caphosts;
    struct smap host_ix; /* folded name -> index in hosts */
    struct exh_fleet_dropped *dropped;
    size_t ndropped, capdropped;
    struct exh_fleet_error *errors;
    size_t nerrors, caperrors;
    uint64_t files, lines, bytes;
};

bool exh_merge_available(void)
{
    return true;
}

struct exh_merge *exh_merge_new(const struct exh_merge_opts *o)
{
    struct exh_merge *m = exh_xcalloc(1, sizeof(*m));
    m->o = *o;
    m->max_line = o->max_line ? o->max_line : EXH_MERGE_MAX_LINE;
    m->seed = exh_os_random_u64();
    m->host_ix.seed = m->seed;
    return m;
}

static void add_error(struct exh_merge *m, const char *file, uint64_t line, const char *code,
                      const char *fmt, ...)
#if defined(__MINGW32__)
    __attribute__((format(gnu_printf, 5, 6)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void add_error(struct exh_merge *m, const char *file, uint64_t line, const char *code,
                      const char *fmt, ...)
{
    struct exh_fleet_error *e = PUSH(m->errors, m->nerrors, m->caperrors);
    e->file = exh_xstrdup(file);
    e->line = line;
    e->code = code;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    e->message = exh_xstrdup(msg);
}

/* A bad line of the current file: listed up to EXH_MERGE_ERRORS_PER_FILE. */
static void line_error(struct exh_merge *m, uint64_t line, const char *code, const char *msg)
{
    if (m->f.nerrors++ >= EXH_MERGE_ERRORS_PER_FILE) {
        m->f.more++;
        return;
    }
    add_error(m, m->f.name, line, code, "%s", msg);
}

static void host_release(struct exh_fleet_host *h)
{
    free(h->name);
    free(h->file);
    free(h->reason);
    for (size_t i = 0; i < h->ncov; i++)
        free(h->cov[i].source);
    free(h->cov);
    free(h->build);
    free(h->build_name);
    free(h->build_support);
    for (size_t i = 0; i < h->nexposure; i++)
        free(h->exposure[i]);
    free(h->exposure);
    for (size_t i = 0; i < h->nactors; i++)
        free(h->actors[i].ip);
    free(h->actors);
}

static void result_free(struct result *r)
{
    if (!r)
        return;
    host_release(&r->h);
    smap_release(&r->actor_ix);
    free(r);
}

static struct result *result_new(struct exh_merge *m)
{
    struct result *r = exh_xcalloc(1, sizeof(*r));
    r->h.stage = -1;
    r->h.build_missing = -1;
    r->h.older_worse = -1;
    r->actor_ix.seed = m->seed;
    r->h.file = exh_xstrdup(m->f.name);
    return r;
}

/* ---- reading fields ---- */

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* o.a.b as a string, or NULL */
static const char *jstr2(json_t *o, const char *a, const char *b)
{
    return jstr(json_object_get(o, a), b);
}

static bool jtime(json_t *v, int64_t *ms)
{
    const char *s = json_string_value(v);
    return s && exh_time_parse(s, json_string_length(v), ms);
}

static uint64_t jcount(json_t *v)
{
    json_int_t i = json_is_integer(v) ? json_integer_value(v) : 0;
    return i > 0 ? (uint64_t)i : 0;
}

static int name_index(const char *s, const char *(*name)(int), int n)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, name(i)))
            return i;
    return -1;
}

static const char *stage_name(int i)
{
    return exh_stage_name((enum exh_stage)i);
}

static const char *sev_name(int i)
{
    return exh_sev_name((enum exh_sev)i);
}

static const char *verdict_name(int i)
{
    return exh_verdict_name((enum exh_verdict)i);
}

static void set_str(char **dst, const char *s)
{
    if (!s)
        return;
    free(*dst);
    *dst = exh_xstrdup(s);
}

static void span(bool *has, int64_t *first, int64_t *last, int64_t a, int64_t b)
{
    if (b < a) { /* a last before its first: take the two as a span */
        int64_t t = a;
        a = b;
        b = t;
    }
    if (!*has || a < *first)
        *first = a;
    if (!*has || b > *last)
        *last = b;
    *has = true;
}

/* The actor ip of result r (added when new). */
static struct exh_fleet_seen *actor(struct result *r, const char *ip)
{
    size_t *ix = smap_slot(&r->actor_ix, ip, true);
    if (*ix == (size_t)-1) {
        *ix = r->h.nactors;
        struct exh_fleet_seen *a = PUSH(r->h.actors, r->h.nactors, r->capact);
        memset(a, 0, sizeof(*a));
        a->ip = exh_xstrdup(ip);
        a->stage = -1;
        a->internal = exh_ip_internal(ip);
    }
    return &r->h.actors[*ix];
}

static void seen_at(struct exh_fleet_seen *a, json_t *first, json_t *last, int stage)
{
    int64_t f, l;
    if (jtime(first, &f))
        span(&a->has_time, &a->first_ms, &a->last_ms, f, jtime(last, &l) ? l : f);
    if (stage > a->stage)
        a->stage = stage;
}

/* Exposure rule ids are a few (EXH-EXP-0xx): a result naming more distinct
 * ids than this is hostile, and the rest are not kept (no quadratic cost). */
#define MAX_EXPOSURE_IDS 64

static void add_exposure(struct result *r, const char *id)
{
    if (r->h.nexposure >= MAX_EXPOSURE_IDS)
        return;
    for (size_t i = 0; i < r->h.nexposure; i++)
        if (!strcmp(r->h.exposure[i], id))
            return;
    *PUSH(r->h.exposure, r->h.nexposure, r->capexp) = exh_xstrdup(id);
}

/* ---- a finding's fields ---- */

/* What merge takes from a finding: slices into the line (p NULL: absent). */
struct ffields {
    struct exh_str host, created, stage, sev, rule, ip, ts, aip, afirst, alast;
};

static struct exh_str jslice(json_t *v)
{
    const char *s = json_string_value(v);
    return s ? exh_str_make(s, json_string_length(v)) : EXH_STR_NULL;
}

static void ffields_json(json_t *j, struct ffields *f)
{
    json_t *ex = json_object_get(j, "exhunt"), *act = json_object_get(ex, "actor");
    f->host = jslice(json_object_get(json_object_get(j, "host"), "name"));
    f->created = jslice(json_object_get(json_object_get(j, "event"), "created"));
    f->rule = jslice(json_object_get(json_object_get(j, "rule"), "id"));
    f->ip = jslice(json_object_get(json_object_get(j, "source"), "ip"));
    f->ts = jslice(json_object_get(j, "@timestamp"));
    f->stage = jslice(json_object_get(ex, "stage"));
    f->sev = jslice(json_object_get(ex, "severity"));
    f->aip = jslice(json_object_get(act, "ip"));
    f->afirst = jslice(json_object_get(act, "first"));
    f->alast = jslice(json_object_get(act, "last"));
}

/* The fast path for `{"type":"finding",...}` lines, the bulk of every result:
 * a validating scan that builds nothing and keeps the ten fields above, about
 * ten times faster than building the line's tree with jansson. It answers
 * only when sure: any escape in a field kept, a field key given twice, a
 * \u0000 or surrogate escape, a fraction, exponent or long number, or deep
 * nesting hands the line to jansson, which then decides. fuzz/fuzz_merge.c
 * checks that whatever it accepts jansson accepts with the same fields. */
enum fnode { FN_NONE, FN_TOP, FN_HOST, FN_EVENT, FN_RULE, FN_SOURCE, FN_EXHUNT, FN_ACTOR };

struct fscan {
    const unsigned char *p, *e;
    struct ffields *f;
    unsigned seen[FN_ACTOR + 1]; /* keys met per kept object: a repeat goes to jansson */
};

/* bytes a string runs over: not '"', '\\', a control byte or non-ASCII */
static inline bool fs_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void fs_ws(struct fscan *s)
{
    while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

/* At the opening quote: the string's bytes in *out; *esc when it has escapes. */
static bool fs_string(struct fscan *s, struct exh_str *out, bool *esc)
{
    const unsigned char *q = ++s->p;
    *esc = false;
    for (;;) {
        while (q < s->e && fs_plain(*q))
            q++;
        if (q >= s->e)
            return false;
        if (*q == '"')
            break;
        if (*q < 0x20)
            return false;
        if (*q == '\\') {
            *esc = true;
            if (q + 1 >= s->e)
                return false;
            unsigned char c = q[1];
            if (c == 'u') {
                unsigned v = 0;
                for (int k = 2; k < 6; k++) {
                    int h = q + k < s->e ? exh_hexval(q[k]) : -1;
                    if (h < 0)
                        return false;
                    v = v << 4 | (unsigned)h;
                }
                if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
                    return false; /* jansson's rules on these: let it judge */
                q += 6;
            } else if (strchr("\"\\/bfnrt", c) && c) {
                q += 2;
            } else {
                return false;
            }
            continue;
        }
        unsigned cp;
        size_t k = exh_utf8_decode(q, (size_t)(s->e - q), &cp);
        if (!k)
            return false;
        q += k;
    }
    *out = exh_str_make((const char *)s->p, (size_t)(q - s->p));
    s->p = q + 1;
    return true;
}

static bool fs_value(struct fscan *s, enum fnode node, int depth);

/* After a member or element: 1 at the closing bracket (passed), -1 after a
 * comma (another follows), 0 on anything else. */
static int fs_next(struct fscan *s, char close)
{
    fs_ws(s);
    if (s->p >= s->e)
        return 0;
    if (*s->p == (unsigned char)close) {
        s->p++;
        return 1;
    }
    if (*s->p++ != ',')
        return 0;
    fs_ws(s);
    return -1;
}

/* The kept field for key k of an object of kind node (NULL: none), and the
 * kind of object its value is when it is one. */
static struct exh_str *fs_field(struct fscan *s, enum fnode node, struct exh_str k,
                                enum fnode *child, unsigned *bit)
{
    static const struct {
        enum fnode node;
        const char *key;
        enum fnode child;
        size_t field; /* offset + 1 in struct ffields, 0 none */
    } keys[] = {
#define F(x) (offsetof(struct ffields, x) + 1)
        {FN_TOP, "type", FN_NONE, 0},
        {FN_TOP, "@timestamp", FN_NONE, F(ts)},
        {FN_TOP, "host", FN_HOST, 0},
        {FN_TOP, "event", FN_EVENT, 0},
        {FN_TOP, "rule", FN_RULE, 0},
        {FN_TOP, "source", FN_SOURCE, 0},
        {FN_TOP, "exhunt", FN_EXHUNT, 0},
        {FN_HOST, "name", FN_NONE, F(host)},
        {FN_EVENT, "created", FN_NONE, F(created)},
        {FN_RULE, "id", FN_NONE, F(rule)},
        {FN_SOURCE, "ip", FN_NONE, F(ip)},
        {FN_EXHUNT, "stage", FN_NONE, F(stage)},
        {FN_EXHUNT, "severity", FN_NONE, F(sev)},
        {FN_EXHUNT, "actor", FN_ACTOR, 0},
        {FN_ACTOR, "ip", FN_NONE, F(aip)},
        {FN_ACTOR, "first", FN_NONE, F(afirst)},
        {FN_ACTOR, "last", FN_NONE, F(alast)},
#undef F
    };
    *child = FN_NONE;
    *bit = 0;
    for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (keys[i].node == node && strlen(keys[i].key) == k.n && !memcmp(keys[i].key, k.p, k.n)) {
            *child = keys[i].child;
            *bit = 1u << i;
            return keys[i].field ? (struct exh_str *)((char *)s->f + keys[i].field - 1) : NULL;
        }
    return NULL;
}

static bool fs_object(struct fscan *s, enum fnode node, int depth)
{
    s->p++;
    fs_ws(s);
    if (s->p < s->e && *s->p == '}') {
        s->p++;
        return true;
    }
    for (;;) {
        struct exh_str k, v;
        bool esc;
        if (s->p >= s->e || *s->p != '"' || !fs_string(s, &k, &esc))
            return false;
        fs_ws(s);
        if (s->p >= s->e || *s->p++ != ':')
            return false;
        fs_ws(s);
        enum fnode child = FN_NONE;
        unsigned bit = 0;
        struct exh_str *field = NULL;
        if (node != FN_NONE) {
            if (esc)
                return false; /* an escaped key might spell a kept one */
            field = fs_field(s, node, k, &child, &bit);
            if (s->seen[node] & bit)
                return false; /* a repeated key: jansson keeps the last */
            s->seen[node] |= bit;
        }
        if (field && s->p < s->e && *s->p == '"') {
            if (!fs_string(s, &v, &esc) || esc)
                return false;
            *field = v;
        } else if (!fs_value(s, child, depth + 1)) {
            return false;
        }
        int end = fs_next(s, '}');
        if (end >= 0)
            return end;
    }
}

static bool fs_value(struct fscan *s, enum fnode node, int depth)
{
    if (s->p >= s->e || depth > 32)
        return false;
    unsigned char c = *s->p;
    if (c == '{')
        return fs_object(s, node, depth);
    if (c == '[') {
        s->p++;
        fs_ws(s);
        if (s->p < s->e && *s->p == ']') {
            s->p++;
            return true;
        }
        for (;;) {
            if (!fs_value(s, FN_NONE, depth + 1))
                return false;
            int end = fs_next(s, ']');
            if (end >= 0)
                return end;
        }
    }
    if (c == '"') {
        struct exh_str v;
        bool esc;
        return fs_string(s, &v, &esc);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        const unsigned char *q = s->p + (c == '-');
        const unsigned char *d = q;
        while (q < s->e && *q >= '0' && *q <= '9')
            q++;
        size_t digits = (size_t)(q - d);
        if (!digits || digits > 15 || (digits > 1 && *d == '0'))
            return false;
        if (q < s->e && (*q == '.' || *q == 'e' || *q == 'E'))
            return false; /* reals: jansson's range rules */
        s->p = q;
        return true;
    }
    static const char *const lits[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i]);
        if ((size_t)(s->e - s->p) >= n && !memcmp(s->p, lits[i], n)) {
            s->p += n;
            return true;
        }
    }
    return false;
}

static bool fast_finding(const char *p, size_t n, struct ffields *f)
{
    struct fscan s = {(const unsigned char *)p, (const unsigned char *)p + n, f, {0}};
    memset(f, 0, sizeof(*f));
    fs_ws(&s);
    if (s.p >= s.e || *s.p != '{' || !fs_value(&s, FN_TOP, 0))
        return false;
    fs_ws(&s);
    return s.p == s.e;
}

static bool slice_eq(struct exh_str a, struct exh_str b)
{
    return !a.p == !b.p && a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n));
}

bool exh_merge_fast_agrees(const char *p, size_t n)
{
    struct ffields a, b;
    if (!fast_finding(p, n, &a))
        return true; /* declined: jansson decides */
    json_error_t je;
    json_t *j = json_loadb(p, n, JSON_DECODE_ANY, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return false;
    }
    ffields_json(j, &b);
    bool same = slice_eq(a.host, b.host) && slice_eq(a.created, b.created) &&
                slice_eq(a.stage, b.stage) && slice_eq(a.sev, b.sev) && slice_eq(a.rule, b.rule) &&
                slice_eq(a.ip, b.ip) && slice_eq(a.ts, b.ts) && slice_eq(a.aip, b.aip) &&
                slice_eq(a.afirst, b.afirst) && slice_eq(a.alast, b.alast);
    json_decref(j);
    return same;
}

static int slice_index(struct exh_str s, const char *(*name)(int), int n)
{
    for (int i = 0; s.p && i < n; i++)
        if (strlen(name(i)) == s.n && !memcmp(s.p, name(i), s.n))
            return i;
    return -1;
}

static bool stime(struct exh_str s, int64_t *ms)
{
    return s.p && exh_time_parse(s.p, s.n, ms);
}

static void on_finding(struct result *r, const struct ffields *f)
{
    int stage = slice_index(f->stage, stage_name, EXH_STAGE__COUNT);
    int sev = slice_index(f->sev, sev_name, EXH_SEV__COUNT);
    if (!r->h.name && f->host.p)
        r->h.name = exh_xstrndup(f->host.p, f->host.n);
    int64_t t, t2;
    if (stime(f->created, &t) && (!r->h.has_time || t > r->h.time_ms)) {
        r->h.time_ms = t;
        r->h.has_time = true;
    }
    if (stage == EXH_STAGE_EXPOSURE && f->rule.p) {
        char *id = exh_xstrndup(f->rule.p, f->rule.n);
        add_exposure(r, id);
        free(id);
    }
    r->h.findings++;
    if (stage >= 0)
        r->h.by_stage[stage]++;
    if (sev >= 0)
        r->h.by_sev[sev]++;
    struct exh_str ip = f->aip.p ? f->aip : f->ip;
    if (!ip.n)
        return;
    char *key = exh_xstrndup(ip.p, ip.n);
    struct exh_fleet_seen *a = actor(r, key);
    free(key);
    bool from_actor = f->afirst.p != NULL;
    if (stime(from_actor ? f->afirst : f->ts, &t))
        span(&a->has_time, &a->first_ms, &a->last_ms, t,
             stime(from_actor ? f->alast : f->ts, &t2) ? t2 : t);
    if (stage > a->stage)
        a->stage = stage;
}

static void on_summary(struct result *r, json_t *j)
{
    struct exh_fleet_host *h = &r->h;
    json_t *ex = json_object_get(j, "exhunt");
    int v = name_index(jstr(ex, "verdict"), verdict_name, 5);
    h->has_summary = true;
    h->verdict = v >= 0 ? (enum exh_verdict)v : EXH_VERDICT_INCOMPLETE;
    set_str(&h->reason, v >= 0 ? jstr(ex, "reason") : "the summary names no known verdict");
    const char *name = jstr2(j, "host", "name");
    if (name)
        set_str(&h->name, name);
    int64_t t;
    if (jtime(json_object_get(j, "started"), &t)) {
        h->time_ms = t;
        h->has_time = true;
    }
    h->errors = jcount(json_object_get(json_object_get(j, "files"), "errors"));
    json_t *fi = json_object_get(j, "findings");
    if (json_is_object(fi)) {
        h->findings = jcount(json_object_get(fi, "total"));
        for (int s = 0; s < EXH_SEV__COUNT; s++)
            h->by_sev[s] = jcount(json_object_get(fi, sev_name(s)));
        json_t *st = json_object_get(j, "stages");
        for (int s = 0; s < EXH_STAGE__COUNT; s++)
            h->by_stage[s] = jcount(json_object_get(st, stage_name(s)));
    }
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "coverage"), i, c)
    {
        const char *src = jstr(c, "source");
        if (!src)
            continue;
        struct exh_fleet_cov *cv = PUSH(h->cov, h->ncov, r->capcov);
        memset(cv, 0, sizeof(*cv));
        cv->source = exh_xstrdup(src);
        int64_t f, l;
        if (jtime(json_object_get(c, "first"), &f) && jtime(json_object_get(c, "last"), &l)) {
            span(&cv->has_time, &cv->first_ms, &cv->last_ms, f, l);
            span(&h->has_cov, &h->cov_first_ms, &h->cov_last_ms, f, l);
        }
    }
    json_t *b = json_object_get(j, "build");
    set_str(&h->build, jstr(b, "version"));
    set_str(&h->build_name, jstr(b, "name"));
    set_str(&h->build_support, jstr(b, "support"));
    if (json_is_integer(json_object_get(b, "missing_count")))
        h->build_missing = (long long)json_integer_value(json_object_get(b, "missing_count"));
    json_t *acts = json_object_get(j, "actors");
    if (json_is_array(acts)) { /* the summary's actors replace what findings gave */
        for (size_t k = 0; k < h->nactors; k++)
            free(h->actors[k].ip);
        h->nactors = 0;
        uint64_t seed = r->actor_ix.seed;
        smap_release(&r->actor_ix);
        r->actor_ix.seed = seed;
    }
    json_t *a;
    json_array_foreach(acts, i, a)
    {
        const char *ip = jstr(a, "ip");
        if (!ip || !*ip)
            continue;
        struct exh_fleet_seen *s = actor(r, ip);
        seen_at(s, json_object_get(a, "first"), json_object_get(a, "last"),
                name_index(jstr(a, "stage"), stage_name, EXH_STAGE__COUNT));
        if (json_is_boolean(json_object_get(a, "internal")))
            s->internal = json_is_true(json_object_get(a, "internal"));
    }
}

/* The current result is complete (its summary, or the end of its file). */
static void result_done(struct exh_merge *m)
{
    struct result *r = m->f.cur;
    m->f.cur = NULL;
    if (!r)
        return;
    if (!r->any) {
        result_free(r);
        return;
    }
    if (!r->h.has_summary) {
        r->h.verdict = EXH_VERDICT_INCOMPLETE;
        set_str(&r->h.reason, "the result has no summary line (cut short): its verdict is unknown");
        line_error(m, r->h.line, "no_summary",
                   "a result without its summary line: the host counts as INCOMPLETE");
    }
    *PUSH(m->f.done, m->f.ndone, m->f.capdone) = r;
}

static void on_line(struct exh_merge *m, const char *p, size_t n, bool at_eof)
{
    struct merge_file *f = &m->f;
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    size_t lead = 0;
    while (lead < n && (p[lead] == ' ' || p[lead] == '\t'))
        lead++;
    if (lead == n || f->refused)
        return;
    /* pre-filter: what cannot start JSON is not handed to the parser */
    if (!memchr("{[\"-0123456789tfn", p[lead], 16)) {
        line_error(m, f->line, at_eof ? "truncated" : "corrupt",
                   at_eof ? "the file ends inside a line that is not JSON"
                          : "not JSON (not an exhunt JSON Lines record)");
        return;
    }
    p += lead;
    n -= lead;
    static const char finding[] = "{\"type\":\"finding\",";
    struct ffields ff;
    if (n > sizeof(finding) && !memcmp(p, finding, sizeof(finding) - 1) &&
        fast_finding(p, n, &ff)) {
        if (!f->cur)
            f->cur = result_new(m);
        f->cur->any = true;
        f->cur->h.line = f->line;
        on_finding(f->cur, &ff);
        return;
    }
    json_error_t je;
    json_t *j = json_loadb(p, n, JSON_DECODE_ANY, &je);
    if (!j) {
        char msg[300];
        snprintf(msg, sizeof(msg), "%s: %s (column %d)",
                 at_eof ? "the file ends inside a line" : "not valid JSON", je.text, je.column);
        line_error(m, f->line, at_eof ? "truncated" : "corrupt", msg);
        return;
    }
    const char *type = jstr(j, "type");
    if (type && !strcmp(type, "collected")) {
        json_decref(j); /* a --collect manifest's record: not a result, not an error */
        return;
    }
    if (type && (!strcmp(type, "host") || !strcmp(type, "actor") || !strcmp(type, "dropped") ||
                 (!strcmp(type, "summary") &&
                  json_is_object(json_object_get(json_object_get(j, "exhunt"), "verdicts"))))) {
        add_error(m, f->name, f->line, "fleet",
                  "a fleet report (the output of exhunt merge), not a scan result: every "
                  "record of this file is left out");
        f->refused = true;
        json_decref(j);
        return;
    }
    if (!json_is_object(j) || !type ||
        (strcmp(type, "finding") && strcmp(type, "error") && strcmp(type, "summary"))) {
        line_error(m, f->line, "not_exhunt",
                   "JSON, but not an exhunt scan record (type finding, error or summary)");
        json_decref(j);
        return;
    }
    if (!strcmp(type, "summary")) {
        json_t *v = json_object_get(j, "schema_version");
        if (!json_is_integer(v) || json_integer_value(v) != EXH_SCHEMA_VERSION) {
            char ver[32] = "none";
            if (json_is_integer(v))
                snprintf(ver, sizeof(ver), "%lld", (long long)json_integer_value(v));
            add_error(m, f->name, f->line, "schema",
                      "schema_version %s, not %d: every record of this file is refused", ver,
                      EXH_SCHEMA_VERSION);
            f->refused = true;
            json_decref(j);
            return;
        }
    }
    if (!f->cur)
        f->cur = result_new(m);
    struct result *r = f->cur;
    r->any = true;
    r->h.line = f->line;
    if (!strcmp(type, "finding")) {
        ffields_json(j, &ff);
        on_finding(r, &ff);
    } else if (!strcmp(type, "error")) {
        /* an info record (log.level "info": left unread, named unlike logs) is no error */
        const char *lv = json_string_value(json_object_get(json_object_get(j, "log"), "level"));
        if (!r->h.has_summary && !(lv && !strcmp(lv, "info")))
            r->h.errors++;
    } else {
        on_summary(r, j);
        result_done(m);
    }
    json_decref(j);
}

void exh_merge_begin(struct exh_merge *m, const char *name)
{
    if (m->in_file)
        exh_merge_end(m);
    memset(&m->f, 0, sizeof(m->f));
    m->f.name = exh_xstrdup(name);
    m->f.line = 1;
    m->in_file = true;
    m->files++;
}

void exh_merge_feed(struct exh_merge *m, const void *data, size_t n)
{
    struct merge_file *f = &m->f;
    const char *p = data, *e = p + n;
    m->bytes += n;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t seg = (size_t)((nl ? nl : e) - p);
        if (f->skipping) {
            if (nl) {
                char msg[160];
                snprintf(msg, sizeof(msg), "a line longer than %zu bytes: skipped to its end",
                         m->max_line);
                line_error(m, f->skip_line, "too_long", msg);
                f->skipping = false;
            }
        } else if (f->buf.n + seg > m->max_line) {
            f->skipping = true;
            f->skip_line = f->line;
            f->buf.n = 0;
            if (nl)
                continue; /* report it on this same newline */
        } else if (nl && !f->buf.n) {
            on_line(m, p, seg, false); /* a whole line in the piece: no copy */
        } else {
            exh_buf_add(&f->buf, p, seg);
            if (nl) {
                on_line(m, f->buf.p, f->buf.n, false);
                f->buf.n = 0;
            }
        }
        if (!nl)
            break;
        f->line++;
        m->lines++;
        p = nl + 1;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fold a host name for comparing (Windows names have no case). */
static char *fold(const char *s)
{
    char *k = exh_xstrdup(s);
    for (char *q = k; *q; q++)
        *q = (char)exh_lc((unsigned char)*q);
    return k;
}

static bool newer(const struct exh_fleet_host *a, const struct exh_fleet_host *b)
{
    if (a->has_time != b->has_time)
        return a->has_time;
    if (a->has_time && a->time_ms != b->time_ms)
        return a->time_ms > b->time_ms;
    if (a->has_summary != b->has_summary)
        return a->has_summary; /* a tie: a whole result before a cut one */
    return true;               /* then the later input */
}

static void commit(struct exh_merge *m, struct result *r)
{
    struct exh_fleet_host h = r->h; /* moved out */
    memset(&r->h, 0, sizeof(r->h));
    result_free(r);
    if (h.nexposure > 1)
        qsort(h.exposure, h.nexposure, sizeof(char *), cmp_str);
    if (h.name && !m->o.keep_all) {
        char *k = fold(h.name);
        size_t *ix = smap_slot(&m->host_ix, k, true);
        free(k);
        if (*ix != (size_t)-1) {
            struct exh_fleet_host *old = &m->hosts[*ix];
            bool replace = newer(&h, old);
            struct exh_fleet_host *gone = replace ? old : &h;
            struct exh_fleet_dropped *d = PUSH(m->dropped, m->ndropped, m->capdropped);
            d->name = exh_xstrdup(gone->name);
            d->file = exh_xstrdup(gone->file);
            d->line = gone->line;
            d->has_time = gone->has_time;
            d->time_ms = gone->time_ms;
            d->verdict = gone->verdict;
            d->kept = *ix;
            /* what the kept scan inherits: the worst verdict left out */
            int worse =
                (int)gone->verdict > gone->older_worse ? (int)gone->verdict : gone->older_worse;
            if (replace) {
                host_release(old);
                *old = h;
            } else {
                host_release(&h);
            }
            if (worse > old->older_worse)
                old->older_worse = worse;
            if (old->older_worse <= (int)old->verdict)
                old->older_worse = -1;
            return;
        }
        *ix = m->nhosts;
    }
    *PUSH(m->hosts, m->nhosts, m->caphosts) = h;
}

void exh_merge_end(struct exh_merge *m)
{
    struct merge_file *f = &m->f;
    if (!m->in_file)
        return;
    if (f->skipping) {
        char msg[160];
        snprintf(msg, sizeof(msg), "a line longer than %zu bytes at the end of the file: skipped",
                 m->max_line);
        line_error(m, f->skip_line, "too_long", msg);
    } else if (f->buf.n) {
        on_line(m, f->buf.p, f->buf.n, true);
    }
    if (f->refused)
        result_free(f->cur), f->cur = NULL;
    result_done(m);
    for (size_t i = 0; i < f->ndone; i++) {
        if (f->refused)
            result_free(f->done[i]);
        else
            commit(m, f->done[i]);
    }
    if (f->more)
        add_error(m, f->name, 0, "more", "%llu more bad lines in this file (not listed)",
                  (unsigned long long)f->more);
    free(f->done);
    exh_buf_release(&f->buf);
    free(f->name);
    memset(f, 0, sizeof(*f));
    m->in_file = false;
}

static void merge_stream(struct exh_merge *m, const char *name, FILE *in)
{
    static char chunk[1 << 20];
    exh_merge_begin(m, name);
#ifdef EXH_HAVE_ZLIB
    /* gzip or not, as zlib finds it (a plain file is passed through) */
    int fd = dup(fileno(in));
    gzFile gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    if (!gz) {
        if (fd >= 0)
            close(fd);
        add_error(m, name, 0, "open", "cannot open: out of file handles or memory");
        exh_merge_end(m);
        return;
    }
    gzbuffer(gz, 1 << 17);
    int k;
    while ((k = gzread(gz, chunk, sizeof(chunk))) > 0)
        exh_merge_feed(m, chunk, (size_t)k);
    int zerr = Z_OK;
    const char *zmsg = gzerror(gz, &zerr);
    if (zmsg && zmsg[0] == '<' && strstr(zmsg, ": ")) /* "<fd:4>: " */
        zmsg = strstr(zmsg, ": ") + 2;
    if (zerr != Z_OK && zerr != Z_STREAM_END)
        add_error(m, name, 0, zerr == Z_ERRNO ? "read" : "corrupt",
                  "%s: the rest of the file was not read",
                  zerr == Z_ERRNO ? "read error"
                  : zmsg          ? zmsg
                                  : "damaged gzip data");
    gzclose(gz);
#else
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk), in)) > 0)
        exh_merge_feed(m, chunk, k);
    if (ferror(in))
        add_error(m, name, 0, "read", "read error: the rest of the file was not read");
#endif
    exh_merge_end(m);
}

static void merge_file(struct exh_merge *m, const char *path, const char *shown)
{
    FILE *in = exh_os_fopen(path, "rb");
    if (!in) {
        enum exh_err e = errno == ENOENT   ? EXH_ERR_NOENT
                         : errno == EACCES ? EXH_ERR_PERM
                                           : EXH_ERR_OPEN;
        add_error(m, shown, 0, exh_errname(e), "%s: %s", exh_strerror(e), strerror(errno));
        return;
    }
    merge_stream(m, shown, in);
    fclose(in);
}

static int on_walk(void *ud, const struct exh_walk_entry *e)
{
    struct exh_merge *m = ud;
    if (e->kind == EXH_WALK_ERROR)
        add_error(m, e->path, 0, exh_errname(e->err), "%s%s%s", exh_strerror(e->err),
                  e->sys_msg ? ": " : "", e->sys_msg ? e->sys_msg : "");
    else if (e->kind == EXH_WALK_FILE && (!*e->rel || exh_merge_result_name(e->rel)))
        merge_file(m, e->path, e->path);
    else if (e->kind == EXH_WALK_SKIP && exh_merge_result_name(e->rel))
        add_error(m, e->path, 0, "skipped",
                  "a link or special file, not read in a folder (name it as a RESULT to read "
                  "what it points to)");
    return 0;
}

void exh_merge_path(struct exh_merge *m, const char *path)
{
    if (!strcmp(path, "-")) {
        merge_stream(m, "-", stdin);
        return;
    }
    const char *why = NULL;
    enum exh_err e = exh_os_walk(path, on_walk, m, &why);
    if (e != EXH_OK)
        add_error(m, path, 0, exh_errname(e), "%s%s%s", exh_strerror(e), why ? ": " : "",
                  why ? why : "");
}

/* ---- the fleet ---- */

/* Do the host's logs reach back to since? The request logs decide: IIS
 * and the front end's HttpProxy log every request, so where the earliest of
 * each kind starts is how far back requests can be judged; an ECP, OAB or
 * Rps_Http log, or an event log, only has lines when it is used, so an old
 * line there (an ECP Server log from 2019) says nothing of the IIS and
 * HttpProxy logs' window. Without request logs: the earliest of any. */
static bool covering(const struct exh_fleet_host *h, int64_t since)
{
    bool iis = false, hp = false;
    int64_t iis_first = 0, hp_first = 0;
    for (size_t c = 0; c < h->ncov; c++) {
        const struct exh_fleet_cov *v = &h->cov[c];
        if (!v->has_time || !v->source)
            continue;
        if (!strncmp(v->source, "IIS/", 4)) {
            iis_first = iis && iis_first < v->first_ms ? iis_first : v->first_ms;
            iis = true;
        } else if (!strncmp(v->source, "HttpProxy/", 10)) {
            hp_first = hp && hp_first < v->first_ms ? hp_first : v->first_ms;
            hp = true;
        }
    }
    if (iis || hp)
        return (!iis || iis_first <= since) && (!hp || hp_first <= since);
    return h->has_cov && h->cov_first_ms <= since;
}

static int cmp_host(const void *pa, const void *pb)
{
    const struct exh_fleet_host *a = pa, *b = pb;
    if (a->verdict != b->verdict)
        return a->verdict > b->verdict ? -1 : 1;
    if (!a->name != !b->name)
        return a->name ? -1 : 1;
    int c = a->name ? strcmp(a->name, b->name) : 0;
    if (c)
        return c;
    return a->order_ < b->order_ ? -1 : a->order_ > b->order_;
}

static int cmp_actor_host(const void *pa, const void *pb)
{
    const struct exh_fleet_actor_host *a = pa, *b = pb;
    if (a->has_time != b->has_time)
        return a->has_time ? -1 : 1;
    if (a->has_time && a->first_ms != b->first_ms)
        return a->first_ms < b->first_ms ? -1 : 1;
    return a->host < b->host ? -1 : a->host > b->host;
}

static int cmp_actor(const void *pa, const void *pb)
{
    const struct exh_fleet_actor *a = pa, *b = pb;
    if (a->has_time != b->has_time)
        return a->has_time ? -1 : 1;
    if (a->has_time && a->first_ms != b->first_ms)
        return a->first_ms < b->first_ms ? -1 : 1;
    return strcmp(a->ip, b->ip);
}

/* Does the actor's host list hold two different host names? */
static bool on_two_hosts(const struct exh_fleet *f, const struct exh_fleet_actor *a)
{
    const char *first = f->hosts[a->hosts[0].host].name;
    for (size_t i = 1; i < a->nhosts; i++) {
        const char *n = f->hosts[a->hosts[i].host].name;
        if (!first || !n || !exh_eq_ci(exh_str_make(n, strlen(n)), first))
            return true;
    }
    return false;
}

static void shared_actors(struct exh_merge *m, struct exh_fleet *f)
{
    struct smap ix = {.seed = m->seed};
    struct exh_fleet_actor *all = NULL;
    size_t n = 0, cap = 0;
    size_t *caph = NULL, capcaph = 0;
    for (size_t h = 0; h < f->nhosts; h++)
        for (size_t k = 0; k < f->hosts[h].nactors; k++) {
            const struct exh_fleet_seen *s = &f->hosts[h].actors[k];
            size_t *slot = smap_slot(&ix, s->ip, true);
            if (*slot == (size_t)-1) {
                *slot = n;
                struct exh_fleet_actor *a = PUSH(all, n, cap);
                memset(a, 0, sizeof(*a));
                a->ip = exh_xstrdup(s->ip);
                a->stage = -1;
                caph = grow(caph, &capcaph, *slot, sizeof(*caph));
                caph[*slot] = 0;
            }
            struct exh_fleet_actor *a = &all[*slot];
            struct exh_fleet_actor_host *ah = PUSH(a->hosts, a->nhosts, caph[*slot]);
            ah->host = h;
            ah->has_time = s->has_time;
            ah->first_ms = s->first_ms;
            ah->last_ms = s->last_ms;
            ah->stage = s->stage;
            a->internal = s->internal;
            if (s->has_time)
                span(&a->has_time, &a->first_ms, &a->last_ms, s->first_ms, s->last_ms);
            if (s->stage > a->stage)
                a->stage = s->stage;
        }
    smap_release(&ix);
    free(caph);
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        if (all[i].nhosts > 1 && on_two_hosts(f, &all[i])) {
            qsort(all[i].hosts, all[i].nhosts, sizeof(all[i].hosts[0]), cmp_actor_host);
            all[keep++] = all[i];
        } else {
            free(all[i].ip);
            free(all[i].hosts);
        }
    }
    if (keep)
        qsort(all, keep, sizeof(*all), cmp_actor);
    f->actors = all;
    f->nactors = keep;
    if (!keep) {
        free(all);
        f->actors = NULL;
    }
}

void exh_merge_finish(struct exh_merge *m, struct exh_fleet *f)
{
    exh_merge_end(m);
    memset(f, 0, sizeof(*f));
    /* the dropped scans name their kept host by its name: indexes change on sorting */
    for (size_t i = 0; i < m->nhosts; i++)
        m->hosts[i].order_ = i;
    size_t *rank = exh_xcalloc(m->nhosts ? m->nhosts : 1, sizeof(size_t));
    if (m->nhosts > 1)
        qsort(m->hosts, m->nhosts, sizeof(*m->hosts), cmp_host);
    for (size_t i = 0; i < m->nhosts; i++)
        rank[m->hosts[i].order_] = i;
    for (size_t i = 0; i < m->ndropped; i++)
        m->dropped[i].kept = rank[m->dropped[i].kept];
    free(rank);
    f->hosts = m->hosts;
    f->nhosts = m->nhosts;
    f->dropped = m->dropped;
    f->ndropped = m->ndropped;
    f->errors = m->errors;
    f->nerrors = m->nerrors;
    f->has_since = m->o.has_since;
    f->since_ms = m->o.since_ms;
    f->files = m->files;
    f->lines = m->lines;
    f->bytes = m->bytes;
    enum exh_verdict worst = EXH_VERDICT_CLEAN;
    for (size_t i = 0; i < f->nhosts; i++) {
        struct exh_fleet_host *h = &f->hosts[i];
        f->by_verdict[h->verdict]++;
        if (h->verdict > worst)
            worst = h->verdict;
        if (h->older_worse > (int)worst)
            worst = (enum exh_verdict)h->older_worse;
        bool covers = f->has_since && covering(h, f->since_ms);
        if (f->has_since && !covers) {
            h->not_covering = true;
            f->not_covering++;
        }
        for (int s = 0; s < EXH_STAGE__COUNT; s++)
            if (h->by_stage[s])
                h->stage = s;
    }
    shared_actors(m, f);
    f->exit_code = exh_verdict_exit_code(worst);
    if (f->exit_code == 0 && (!f->nhosts || f->nerrors || f->not_covering))
        f->exit_code = 2;
    smap_release(&m->host_ix);
    free(m);
}

#else /* no jansson: the Windows build */

struct exh_merge {
    int unused;
};

bool exh_merge_available(void)
{
    return false;
}

struct exh_merge *exh_merge_new(const struct exh_merge_opts *o)
{
    (void)o;
    return exh_xcalloc(1, sizeof(struct exh_merge));
}

void exh_merge_path(struct exh_merge *m, const char *path)
{
    (void)m;
    (void)path;
}

void exh_merge_begin(struct exh_merge *m, const char *name)
{
    (void)m;
    (void)name;
}

void exh_merge_feed(struct exh_merge *m, const void *p, size_t n)
{
    (void)m;
    (void)p;
    (void)n;
}

void exh_merge_end(struct exh_merge *m)
{
    (void)m;
}

void exh_merge_finish(struct exh_merge *m, struct exh_fleet *out)
{
    free(m);
    memset(out, 0, sizeof(*out));
    out->exit_code = 2;
}

static void host_release(struct exh_fleet_host *h)
{
    (void)h;
}

#endif

void exh_fleet_release(struct exh_fleet *f)
{
    for (size_t i = 0; i < f->nhosts; i++)
        host_release(&f->hosts[i]);
    free(f->hosts);
    for (size_t i = 0; i < f->nactors; i++) {
        free(f->actors[i].ip);
        free(f->actors[i].hosts);
    }
    free(f->actors);
    for (size_t i = 0; i < f->ndropped; i++) {
        free(f->dropped[i].name);
        free(f->dropped[i].file);
    }
    free(f->dropped);
    for (size_t i = 0; i < f->nerrors; i++) {
        free(f->errors[i].file);
        free(f->errors[i].message);
    }
    free(f->errors);
    memset(f, 0, sizeof(*f));
}

/* the same with or without jansson: the CLI checks -o with it */
bool exh_merge_result_name(const char *rel)
{
    struct exh_str s = exh_str_make(rel, strlen(rel));
    return exh_ends_ci(s, ".jsonl") || exh_ends_ci(s, ".json")
#ifdef EXH_HAVE_ZLIB
           || exh_ends_ci(s, ".jsonl.gz") || exh_ends_ci(s, ".json.gz")
#endif
        ;
}
