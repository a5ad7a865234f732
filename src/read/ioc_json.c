/* ioc_json.c: STIX 2.1 and MISP event JSON indicator files (see iocread.h),
 * parsed with jansson.
 *
 * The format is decided from the parsed tree before anything is given:
 *   STIX 2.1  {"type":"bundle","objects":[...]}, one {"type":"indicator"}
 *             object, or a top-level array of STIX objects ("type" and an
 *             "id" like "indicator--<uuid>");
 *   MISP      {"Event":{...}}, {"response":[{"Event":{...}}, ...]}, an array
 *             of {"Event":{...}}, or a bare event ("info" and "Attribute").
 * Anything else that parses is refused, having given nothing.
 *
 * STIX indicators carry a pattern: a YARA pattern becomes one YARA item; a
 * STIX pattern is read by the small scanner below (no recursion: bracket
 * and parenthesis depths are counters), first to check the whole pattern,
 * then again to give one item per equality or IN comparison whose object
 * path exhunt matches. A pattern that does not read gives nothing.
 *
 * jansson bounds the nesting depth it parses (JSON_PARSER_MAX_DEPTH) and
 * refuses invalid UTF-8; the walk below only goes a fixed few levels down.
 * Without jansson (the Windows build) every call is refused with a message. */
#include <stdio.h>
#include <string.h>

#include "exh/iocread.h"
#include "exh/core.h"

#ifdef EXH_HAVE_JANSSON
#include <jansson.h>
#endif

#include "exh/banned.h"

#ifdef EXH_HAVE_JANSSON

/* A YARA pattern holds whole rules, often longer than a list's line: it may
 * be this long (a longer one is skipped as too long). */
#define JS_YARA_MAX (1u << 20)

static void js_err(char *err, size_t errn, const char *msg, const char *detail, int line)
{
    if (!err || !errn)
        return;
    if (detail)
        snprintf(err, errn, "%s: line %d: %s", msg, line, detail);
    else
        snprintf(err, errn, "%s", msg);
}

/* s[0..n) for a message: at most cap bytes, anything but printable ASCII
 * as '?' (ids and type names come from the file). */
static void js_clean(char *out, size_t outn, const char *s, size_t n, size_t cap)
{
    size_t k = 0;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n && k + 1 < outn; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[k] = '\0';
}

static struct exh_str js_str(json_t *v)
{
    const char *s = json_string_value(v);
    return s ? exh_str_make(s, json_string_length(v)) : EXH_STR_NULL;
}

/* The string member k of object o, or an empty slice. */
static struct exh_str js_member(json_t *o, const char *k)
{
    struct exh_str s = js_str(json_object_get(o, k));
    return s.p ? s : EXH_LIT("");
}

static bool js_is_str(json_t *v, const char *lit)
{
    return json_is_string(v) && exh_eq_ci(js_str(v), lit);
}

/* A fresh item's metadata: everything empty, no score, no confidence. */
static struct exh_ioc_item js_meta(void)
{
    struct exh_ioc_item m;
    memset(&m, 0, sizeof(m));
    m.score = -1;
    m.confidence = -1;
    m.value = m.exclude = m.title = m.reference = m.note = EXH_LIT("");
    return m;
}

/* Give v as t, unless it is longer than max (then a skip). */
static void js_give(const struct exh_ioc_sink *sink, enum exh_ioc_type t, struct exh_str v,
                    const struct exh_ioc_item *meta, const char *where, size_t max)
{
    if (v.n > max) {
        sink->skip(sink->ud, where, "too long", false);
        return;
    }
    exh_ioc_give(sink, t, v, meta, where);
}

/* ===================================================== STIX patterns == */

enum js_op {
    OP_EQ,
    OP_NE,
    OP_ORDER, /* < > <= >= */
    OP_IN,
    OP_LIKE,
    OP_MATCHES,
    OP_SUBSET,
    OP_SUPERSET,
    OP_EXISTS
};

struct js_pat {
    const char *p;
    size_t n, i;
    bool emit;     /* second pass: give items */
    bool hash_and; /* a file hash ANDed with other comparisons: names only qualify it */
    const struct exh_ioc_sink *sink;
    const struct exh_ioc_item *meta;
    const char *where;
    struct exh_buf val; /* an unescaped string literal */
};

static bool js_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool js_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool js_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void js_ws(struct js_pat *ps)
{
    while (ps->i < ps->n && js_space(ps->p[ps->i]))
        ps->i++;
}

/* The word (letters and '_') at the position, without moving. */
static struct exh_str js_peek_word(struct js_pat *ps)
{
    size_t j = ps->i;
    while (j < ps->n && (js_alpha(ps->p[j]) || ps->p[j] == '_'))
        j++;
    return exh_str_make(ps->p + ps->i, j - ps->i);
}

/* Is the keyword kw (any case) next, as a whole word? Moves past it if so. */
static bool js_kw(struct js_pat *ps, const char *kw)
{
    js_ws(ps);
    struct exh_str w = js_peek_word(ps);
    if (!exh_eq_ci(w, kw))
        return false;
    size_t j = ps->i + w.n;
    if (j < ps->n && (js_digit(ps->p[j]) || ps->p[j] == '-' || ps->p[j] == ':'))
        return false;
    ps->i = j;
    return true;
}

static bool js_ch(struct js_pat *ps, char c)
{
    js_ws(ps);
    if (ps->i < ps->n && ps->p[ps->i] == c) {
        ps->i++;
        return true;
    }
    return false;
}

/* A quoted string at the position ('...' with \' and \\; any other
 * backslash is kept as written, leniently, for the Windows paths some
 * producers do not escape), unescaped into ps->val when out is set. */
static bool js_quoted(struct js_pat *ps, bool out)
{
    if (ps->i >= ps->n || ps->p[ps->i] != '\'')
        return false;
    if (out)
        exh_buf_reset(&ps->val);
    size_t j = ps->i + 1;
    while (j < ps->n) {
        char c = ps->p[j];
        if (c == '\'') {
            ps->i = j + 1;
            return true;
        }
        if (c == '\\' && j + 1 < ps->n && (ps->p[j + 1] == '\'' || ps->p[j + 1] == '\\')) {
            c = ps->p[j + 1];
            j++;
        }
        if (out)
            exh_buf_addc(&ps->val, c);
        j++;
    }
    return false; /* unterminated */
}

/* A literal: 'string' (is_string set, value in ps->val when out), b'..',
 * h'..', t'..', a number, true or false. */
static bool js_literal(struct js_pat *ps, bool out, bool *is_string)
{
    js_ws(ps);
    *is_string = false;
    if (ps->i >= ps->n)
        return false;
    char c = ps->p[ps->i];
    if (c == '\'') {
        *is_string = true;
        return js_quoted(ps, out);
    }
    if ((c == 'b' || c == 'h' || c == 't') && ps->i + 1 < ps->n && ps->p[ps->i + 1] == '\'') {
        ps->i++;
        return js_quoted(ps, false);
    }
    if (js_digit(c) || c == '-' || c == '+') {
        size_t j = ps->i + 1, digits = js_digit(c);
        while (j < ps->n && (js_digit(ps->p[j]) || ps->p[j] == '.')) {
            digits += js_digit(ps->p[j]);
            j++;
        }
        if (!digits)
            return false;
        ps->i = j;
        return true;
    }
    return js_kw(ps, "true") || js_kw(ps, "false");
}

/* An object path: type ':' component ('.' component | '[' index ']')*,
 * a component a word or a 'quoted' name. Its text is p[start..ps->i); its
 * normalised form (lower case, quotes and indexes dropped, '.' between
 * components) goes to norm, "" when longer than normn. */
static bool js_path(struct js_pat *ps, char *norm, size_t normn)
{
    size_t k = 0;
    bool fits = true;
/* (ch is evaluated only when it fits: no side effects in it) */
#define JS_PUT(ch)                                                                                 \
    do {                                                                                           \
        if (k + 1 < normn)                                                                         \
            norm[k++] = (char)exh_lc((unsigned char)(ch));                                         \
        else                                                                                       \
            fits = false;                                                                          \
    } while (0)
    size_t j = ps->i;
    while (j < ps->n &&
           (js_alpha(ps->p[j]) || js_digit(ps->p[j]) || ps->p[j] == '-' || ps->p[j] == '_')) {
        JS_PUT(ps->p[j]);
        j++;
    }
    if (j == ps->i || j >= ps->n || ps->p[j] != ':')
        return false;
    JS_PUT(':');
    j++;
    bool first = true;
    for (;;) {
        if (!first) {
            if (j < ps->n && ps->p[j] == '[') {
                j++;
                if (j < ps->n && ps->p[j] == '*')
                    j++;
                else {
                    if (j < ps->n && ps->p[j] == '-')
                        j++;
                    size_t d = j;
                    while (j < ps->n && js_digit(ps->p[j]))
                        j++;
                    if (j == d)
                        return false;
                }
                if (j >= ps->n || ps->p[j] != ']')
                    return false;
                j++;
                continue;
            }
            if (j >= ps->n || ps->p[j] != '.')
                break;
            j++;
            JS_PUT('.');
        }
        first = false;
        if (j < ps->n && ps->p[j] == '\'') {
            size_t save = ps->i;
            ps->i = j;
            if (!js_quoted(ps, false))
                return false;
            for (size_t q = j + 1; q + 1 < ps->i; q++)
                if (ps->p[q] != '\\')
                    JS_PUT(ps->p[q]);
            j = ps->i;
            ps->i = save;
        } else {
            size_t s = j;
            while (j < ps->n && (js_alpha(ps->p[j]) || js_digit(ps->p[j]) || ps->p[j] == '_' ||
                                 ps->p[j] == '-')) {
                JS_PUT(ps->p[j]);
                j++;
            }
            if (j == s)
                return false;
        }
    }
#undef JS_PUT
    norm[k] = '\0';
    if (!fits)
        norm[0] = '\0';
    ps->i = j;
    return true;
}

/* The indicator type an object path's equality gives, by its normalised
 * form; *name_or_path for file:name (a '\' or '/' makes it a path), *ip_or
 * for network-traffic references (a value that is no address is guessed). */
static bool js_path_type(const char *norm, enum exh_ioc_type *t, bool *name_or_path, bool *ip_or)
{
    static const struct {
        const char *path;
        enum exh_ioc_type t;
    } map[] = {
        {"file:hashes.sha-256", EXH_IOC_HASH},
        {"file:hashes.sha256", EXH_IOC_HASH},
        {"file:hashes.sha-1", EXH_IOC_HASH},
        {"file:hashes.sha1", EXH_IOC_HASH},
        {"file:hashes.md5", EXH_IOC_HASH},
        {"file:name", EXH_IOC_NAME},
        {"directory:path", EXH_IOC_PATH},
        {"file:parent_directory_ref.path", EXH_IOC_PATH},
        {"ipv4-addr:value", EXH_IOC_IP},
        {"ipv6-addr:value", EXH_IOC_IP},
        {"network-traffic:dst_ref.value", EXH_IOC_IP},
        {"network-traffic:src_ref.value", EXH_IOC_IP},
        {"domain-name:value", EXH_IOC_DOMAIN},
        {"url:value", EXH_IOC_URL},
        {"network-traffic:extensions.http-request-ext.request_header.user-agent", EXH_IOC_UA},
    };
    *name_or_path = *ip_or = false;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(norm, map[i].path)) {
            *t = map[i].t;
            *name_or_path = !strcmp(norm, "file:name");
            *ip_or = !strncmp(norm, "network-traffic:", 16) && map[i].t == EXH_IOC_IP;
            return true;
        }
    return false;
}

/* Second pass: one string value of a comparison `path = value` (or one of
 * an IN list) given as its type. */
static void js_pat_value(struct js_pat *ps, const char *norm)
{
    enum exh_ioc_type t;
    bool name_or_path, ip_or;
    struct exh_str v = exh_str_make(ps->val.p ? ps->val.p : "", ps->val.n);
    if (!js_path_type(norm, &t, &name_or_path, &ip_or))
        return; /* (the caller skipped it) */
    if (!strcmp(norm, "directory:path") || !strcmp(norm, "file:parent_directory_ref.path")) {
        ps->sink->skip(ps->sink->ud, ps->where,
                       "a folder, not a file (exhunt's location rules watch the web folders)",
                       true);
        return;
    }
    if (ps->hash_and && name_or_path) {
        ps->sink->skip(ps->sink->ud, ps->where,
                       "a file name ANDed with a hash: the hash is matched", true);
        return;
    }
    if (v.n > EXH_IOC_LINE_MAX) {
        ps->sink->skip(ps->sink->ud, ps->where, "too long", false);
        return;
    }
    if (name_or_path && (memchr(v.p, '\\', v.n) || memchr(v.p, '/', v.n)))
        t = EXH_IOC_PATH;
    if (ip_or) {
        struct exh_buf rb = {0};
        struct exh_str r = exh_ioc_refang(v, &rb), c = r;
        enum exh_ioc_type g;
        if (!exh_ioc_check(EXH_IOC_IP, &c) && exh_ioc_guess(r, &g))
            t = g;
        exh_ioc_give(ps->sink, t, r, ps->meta, ps->where);
        exh_buf_release(&rb);
        return;
    }
    exh_ioc_give(ps->sink, t, v, ps->meta, ps->where);
}

/* Second pass: a comparison exhunt does not match, skipped (understood). */
static void js_pat_unused(struct js_pat *ps, const char *path, size_t pathn, const char *norm,
                          const char *what)
{
    char why[200], obj[64], text[100];
    if (what) {
        snprintf(why, sizeof(why), "STIX %s comparison, not matched by exhunt", what);
    } else {
        /* the object type alone when exhunt matches nothing of it, else
         * the whole path (file:size) */
        static const char *const known[] = {
            "file:",        "directory:", "ipv4-addr:", "ipv6-addr:", "network-traffic:",
            "domain-name:", "url:"};
        bool type_known = false;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
            type_known |= !strncmp(norm, known[i], strlen(known[i]));
        const char *colon = memchr(path, ':', pathn);
        size_t on = colon ? (size_t)(colon - path) : pathn;
        js_clean(obj, sizeof(obj), path, on, 40);
        js_clean(text, sizeof(text), path, pathn, 80);
        snprintf(why, sizeof(why), "STIX %s comparison, not matched by exhunt",
                 type_known ? text : obj);
    }
    ps->sink->skip(ps->sink->ud, ps->where, why, true);
}

/* One comparison at the position (after a '(' or an AND/OR inside [ ]). */
static bool js_comparison(struct js_pat *ps)
{
    char norm[128];
    js_ws(ps);
    bool exists = js_kw(ps, "EXISTS");
    js_ws(ps);
    size_t ps0 = ps->i;
    if (!js_path(ps, norm, sizeof(norm)))
        return false;
    const char *path = ps->p + ps0;
    size_t pathn = ps->i - ps0;
    if (exists) {
        if (ps->emit)
            js_pat_unused(ps, path, pathn, norm, "EXISTS");
        return true;
    }
    bool neg = js_kw(ps, "NOT");
    enum js_op op;
    js_ws(ps);
    const char *c = ps->p + ps->i;
    size_t left = ps->n - ps->i;
    if (left >= 2 && c[0] == '=' && c[1] == '=')
        op = OP_EQ, ps->i += 2;
    else if (left >= 1 && c[0] == '=')
        op = OP_EQ, ps->i += 1;
    else if (left >= 2 && c[0] == '!' && c[1] == '=')
        op = OP_NE, ps->i += 2;
    else if (left >= 2 && c[0] == '<' && c[1] == '>')
        op = OP_NE, ps->i += 2;
    else if (left >= 1 && (c[0] == '<' || c[0] == '>'))
        op = OP_ORDER, ps->i += (left >= 2 && c[1] == '=') ? 2 : 1;
    else if (js_kw(ps, "IN"))
        op = OP_IN;
    else if (js_kw(ps, "LIKE"))
        op = OP_LIKE;
    else if (js_kw(ps, "MATCHES"))
        op = OP_MATCHES;
    else if (js_kw(ps, "ISSUBSET"))
        op = OP_SUBSET;
    else if (js_kw(ps, "ISSUPERSET"))
        op = OP_SUPERSET;
    else
        return false;
    bool str;
    if (op != OP_IN) {
        if (!js_literal(ps, ps->emit && op == OP_EQ && !neg, &str))
            return false;
        if (!ps->emit)
            return true;
        static const char *const opname[] = {"=",       "!=",       "ordering",   "IN",    "LIKE",
                                             "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"};
        if (neg || op != OP_EQ) {
            char what[32];
            snprintf(what, sizeof(what), "%s%s", neg ? "NOT " : "", opname[op]);
            js_pat_unused(ps, path, pathn, norm, what);
        } else {
            enum exh_ioc_type t;
            bool a, b;
            if (str && js_path_type(norm, &t, &a, &b))
                js_pat_value(ps, norm);
            else
                js_pat_unused(ps, path, pathn, norm, NULL);
        }
        return true;
    }
    /* IN ( literal, literal, ... ): each string value its own item */
    if (!js_ch(ps, '('))
        return false;
    enum exh_ioc_type t;
    bool a, b;
    bool use = ps->emit && !neg && js_path_type(norm, &t, &a, &b);
    if (ps->emit && !use)
        js_pat_unused(ps, path, pathn, norm, neg ? "NOT IN" : NULL);
    do {
        if (!js_literal(ps, use, &str))
            return false;
        if (use && str)
            js_pat_value(ps, norm);
        else if (use)
            js_pat_unused(ps, path, pathn, norm, NULL);
    } while (js_ch(ps, ','));
    return js_ch(ps, ')');
}

/* A qualifier after an observation: WITHIN n SECONDS, REPEATS n TIMES,
 * START t'..' STOP t'..'. False when none is there (or it is broken: then
 * the pattern's next token fails). */
static bool js_qualifier(struct js_pat *ps, bool *bad)
{
    bool str;
    *bad = false;
    if (js_kw(ps, "WITHIN")) {
        *bad = !js_literal(ps, false, &str) || str || !js_kw(ps, "SECONDS");
        return true;
    }
    if (js_kw(ps, "REPEATS")) {
        *bad = !js_literal(ps, false, &str) || str || !js_kw(ps, "TIMES");
        return true;
    }
    if (js_kw(ps, "START")) {
        *bad = !js_literal(ps, false, &str) || !js_kw(ps, "STOP") || !js_literal(ps, false, &str);
        return true;
    }
    return false;
}

/* One pass over the pattern: the observation expressions ([ ... ] joined by
 * AND, OR, FOLLOWEDBY, grouped by ( ), with qualifiers) and inside each [ ]
 * the comparisons (joined by AND and OR, grouped by ( )). Depths are
 * counted, not recursed. */
static bool js_pattern_pass(struct js_pat *ps)
{
    size_t obs_depth = 0;
    ps->i = 0;
    for (;;) {
        /* an observation operand: '(' ... or '[' comparisons ']' */
        while (js_ch(ps, '('))
            obs_depth++;
        if (!js_ch(ps, '['))
            return false;
        size_t cmp_depth = 0;
        for (;;) {
            while (js_ch(ps, '('))
                cmp_depth++;
            if (!js_comparison(ps))
                return false;
            while (cmp_depth && js_ch(ps, ')'))
                cmp_depth--;
            if (js_kw(ps, "AND") || js_kw(ps, "OR"))
                continue;
            if (cmp_depth || !js_ch(ps, ']'))
                return false;
            break;
        }
        /* after an observation: qualifiers, ')' closing groups, then a
         * joining keyword or the end */
        for (;;) {
            bool bad;
            while (js_qualifier(ps, &bad))
                if (bad)
                    return false;
            if (obs_depth && js_ch(ps, ')')) {
                obs_depth--;
                continue;
            }
            break;
        }
        if (js_kw(ps, "AND") || js_kw(ps, "OR") || js_kw(ps, "FOLLOWEDBY"))
            continue;
        js_ws(ps);
        return obs_depth == 0 && ps->i == ps->n;
    }
}

/* Each comparison gives its own item: `[a = 'x' AND b = 'y']` gives two,
 * though the indicator means both together; exhunt matches each alone. */
static void js_stix_pattern(const struct exh_ioc_sink *sink, struct exh_str pat,
                            const struct exh_ioc_item *meta, const char *where)
{
    struct js_pat ps = {pat.p, pat.n, 0, false, false, sink, meta, where, {0}};
    ps.hash_and =
        exh_find_ci(pat.p, pat.n, "file:hashes", 11) && exh_find_ci(pat.p, pat.n, " AND ", 5);
    if (!js_pattern_pass(&ps)) {
        sink->skip(sink->ud, where, "STIX pattern not understood", false);
        return;
    }
    ps.emit = true;
    js_pattern_pass(&ps);
    exh_buf_release(&ps.val);
}

/* ============================================================= STIX == */

/* "object 3 (indicator--...)" */
static void js_obj_where(char *w, size_t wn, size_t idx, json_t *o)
{
    struct exh_str id = js_str(json_object_get(o, "id"));
    if (id.p && id.n) {
        char c[80];
        js_clean(c, sizeof(c), id.p, id.n, 64);
        snprintf(w, wn, "object %zu (%s)", idx, c);
    } else {
        snprintf(w, wn, "object %zu", idx);
    }
}

static void js_stix_object(const struct exh_ioc_sink *sink, json_t *o, size_t idx)
{
    char where[128], why[160], c[48];
    js_obj_where(where, sizeof(where), idx, o);
    if (!json_is_object(o)) {
        sink->skip(sink->ud, where, "not a JSON object", false);
        return;
    }
    struct exh_str type = js_str(json_object_get(o, "type"));
    if (!type.p) {
        sink->skip(sink->ud, where, "STIX object without a type", false);
        return;
    }
    if (!exh_eq_ci(type, "indicator")) {
        js_clean(c, sizeof(c), type.p, type.n, 40);
        snprintf(why, sizeof(why), "STIX %s object, not an indicator", c);
        sink->skip(sink->ud, where, why, true);
        return;
    }
    if (json_is_true(json_object_get(o, "revoked"))) {
        sink->skip(sink->ud, where, "revoked", true);
        return;
    }
    struct exh_ioc_item meta = js_meta();
    meta.title = js_member(o, "name");
    meta.note = js_member(o, "description");
    json_t *ref = json_array_get(json_object_get(o, "external_references"), 0);
    meta.reference = js_member(ref, "url");
    if (!meta.reference.n)
        meta.reference = js_member(ref, "external_id");
    if (!meta.reference.n)
        meta.reference = js_member(o, "id");
    json_t *conf = json_object_get(o, "confidence");
    if (json_is_integer(conf) && json_integer_value(conf) >= 0 && json_integer_value(conf) <= 100)
        meta.confidence = (int)json_integer_value(conf);

    json_t *pt = json_object_get(o, "pattern_type");
    struct exh_str pat = js_str(json_object_get(o, "pattern"));
    if (pt && !json_is_string(pt)) {
        sink->skip(sink->ud, where, "STIX pattern_type is not a string", false);
        return;
    }
    if (!pat.p) {
        sink->skip(sink->ud, where, "STIX indicator without a pattern", false);
        return;
    }
    if (!pt || js_is_str(pt, "stix")) {
        js_stix_pattern(sink, pat, &meta, where);
    } else if (js_is_str(pt, "yara")) {
        js_give(sink, EXH_IOC_YARA, pat, &meta, where, JS_YARA_MAX);
    } else {
        struct exh_str p = js_str(pt);
        js_clean(c, sizeof(c), p.p, p.n, 40);
        snprintf(why, sizeof(why), "STIX %s pattern, not matched by exhunt", c);
        sink->skip(sink->ud, where, why, true);
    }
}

static void js_stix(const struct exh_ioc_sink *sink, json_t *objects)
{
    size_t i;
    json_t *o;
    json_array_foreach(objects, i, o) js_stix_object(sink, o, i + 1);
}

/* Does o look like a STIX object ("type" and an "id" "<type>--...")? */
static bool js_stix_like(json_t *o)
{
    struct exh_str id = js_str(json_object_get(o, "id"));
    return json_is_string(json_object_get(o, "type")) && id.p &&
           exh_find_ci(id.p, id.n, "--", 2) != NULL;
}

/* ============================================================= MISP == */

/* A flag that is explicitly off: false, 0 or "0". */
static bool js_off(json_t *v)
{
    return json_is_false(v) || (json_is_integer(v) && json_integer_value(v) == 0) ||
           (json_is_string(v) && exh_eq_ci(js_str(v), "0")) ||
           (json_is_string(v) && exh_eq_ci(js_str(v), "false"));
}

/* A flag that is explicitly on: true, 1 or "1". */
static bool js_on(json_t *v)
{
    return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) == 1) ||
           (json_is_string(v) && exh_eq_ci(js_str(v), "1")) ||
           (json_is_string(v) && exh_eq_ci(js_str(v), "true"));
}

static void js_misp_attr(const struct exh_ioc_sink *sink, json_t *a, struct exh_ioc_item *meta,
                         const char *where)
{
    char why[160], c[48];
    if (!json_is_object(a)) {
        sink->skip(sink->ud, where, "not a MISP attribute object", false);
        return;
    }
    if (js_on(json_object_get(a, "deleted"))) {
        sink->skip(sink->ud, where, "deleted", true);
        return;
    }
    if (js_off(json_object_get(a, "to_ids"))) {
        sink->skip(sink->ud, where, "to_ids is off", true);
        return;
    }
    struct exh_str type = js_str(json_object_get(a, "type"));
    struct exh_str value = js_str(json_object_get(a, "value"));
    if (!type.p) {
        sink->skip(sink->ud, where, "MISP attribute without a type", false);
        return;
    }
    if (!value.p) {
        sink->skip(sink->ud, where, "MISP attribute without a string value", false);
        return;
    }
    enum exh_ioc_type t, second = EXH_IOC__COUNT;
    bool composite = false;
    if (!exh_ioc_type_by_name(type, &t, &composite, &second)) {
        js_clean(c, sizeof(c), type.p, type.n, 40);
        snprintf(why, sizeof(why), "MISP %s attribute, not matched by exhunt", c);
        sink->skip(sink->ud, where, why, true);
        return;
    }
    meta->note = js_member(a, "comment");
    if (!composite) {
        js_give(sink, t, value, meta, where, EXH_IOC_LINE_MAX);
        return;
    }
    /* "a|b": a as t, b as second (unless b is not used, as a port) */
    const char *bar = memchr(value.p, '|', value.n);
    if (!bar) {
        js_clean(c, sizeof(c), type.p, type.n, 40);
        snprintf(why, sizeof(why), "MISP %s value without a '|'", c);
        sink->skip(sink->ud, where, why, false);
        return;
    }
    size_t an = (size_t)(bar - value.p);
    if (t == EXH_IOC_NAME && second == EXH_IOC_HASH)
        /* "filename|sha256": the name only qualifies the hash (alone it would
         * flag every file of that name) */
        sink->skip(sink->ud, where, "a file name qualifying a hash: the hash is matched", true);
    else
        js_give(sink, t, exh_str_make(value.p, an), meta, where, EXH_IOC_LINE_MAX);
    if (second < EXH_IOC__COUNT)
        js_give(sink, second, exh_str_make(bar + 1, value.n - an - 1), meta, where,
                EXH_IOC_LINE_MAX);
}

/* Is v (member `name` of what prefix names) a list to walk? Absent: no;
 * not an array: no, and a skip (not understood). */
static bool js_list(const struct exh_ioc_sink *sink, json_t *v, const char *prefix,
                    const char *name)
{
    char where[128], why[64];
    if (!v || json_is_array(v))
        return v != NULL;
    snprintf(where, sizeof(where), "%s %s", prefix, name);
    snprintf(why, sizeof(why), "MISP %s is not a list", name);
    sink->skip(sink->ud, where, why, false);
    return false;
}

static void js_misp_attrs(const struct exh_ioc_sink *sink, json_t *list, struct exh_ioc_item *meta,
                          const char *prefix)
{
    char where[128];
    if (!js_list(sink, list, prefix, "Attribute"))
        return;
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a)
    {
        snprintf(where, sizeof(where), "%s Attribute %zu", prefix, i + 1);
        js_misp_attr(sink, a, meta, where);
    }
}

/* Event number idx (1-based): its attributes, then its objects'. */
static void js_misp_event(const struct exh_ioc_sink *sink, json_t *ev, size_t idx)
{
    char where[64], owhere[96], ref[160];
    snprintf(where, sizeof(where), "Event %zu", idx);
    if (!json_is_object(ev)) {
        sink->skip(sink->ud, where, "not a MISP event object", false);
        return;
    }
    struct exh_ioc_item meta = js_meta();
    meta.title = js_member(ev, "info");
    json_t *id = json_object_get(ev, "uuid");
    if (!json_is_string(id))
        id = json_object_get(ev, "id");
    if (json_is_string(id)) {
        char c[100];
        struct exh_str s = js_str(id);
        js_clean(c, sizeof(c), s.p, s.n, 80);
        snprintf(ref, sizeof(ref), "MISP event %s", c);
        meta.reference = exh_str_make(ref, strlen(ref));
    } else if (json_is_integer(id)) {
        snprintf(ref, sizeof(ref), "MISP event %lld", (long long)json_integer_value(id));
        meta.reference = exh_str_make(ref, strlen(ref));
    }
    js_misp_attrs(sink, json_object_get(ev, "Attribute"), &meta, where);
    json_t *objs = json_object_get(ev, "Object");
    if (!js_list(sink, objs, where, "Object"))
        return;
    size_t i;
    json_t *o;
    json_array_foreach(objs, i, o)
    {
        snprintf(owhere, sizeof(owhere), "%s Object %zu", where, i + 1);
        if (!json_is_object(o)) {
            sink->skip(sink->ud, owhere, "not a MISP object", false);
            continue;
        }
        if (js_on(json_object_get(o, "deleted"))) {
            sink->skip(sink->ud, owhere, "deleted", true);
            continue;
        }
        js_misp_attrs(sink, json_object_get(o, "Attribute"), &meta, owhere);
    }
}

/* The events of {"response":[...]} or of a top-level array: each element's
 * "Event" (an element without one is not understood). */
static void js_misp_list(const struct exh_ioc_sink *sink, json_t *list)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        json_t *ev = json_object_get(e, "Event");
        if (!ev) {
            char where[64];
            snprintf(where, sizeof(where), "Event %zu", i + 1);
            sink->skip(sink->ud, where, "not a MISP {\"Event\": ...} object", false);
            continue;
        }
        js_misp_event(sink, ev, i + 1);
    }
}

/* ========================================================== the file == */

bool exh_ioc_read_json(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink,
                       enum exh_ioc_format *fmt, char *err, size_t errn)
{
    *fmt = EXH_IOCF_NONE;
    if (err && errn)
        err[0] = '\0';
    /* a UTF-8 BOM, which jansson refuses */
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        p += 3;
        n -= 3;
    }
    json_error_t je;
    /* any value at the top, so that a lone scalar is "neither" rather than
     * a parse error; duplicate keys are allowed (the last one counts) */
    json_t *root = json_loadb((const char *)p, n, JSON_DECODE_ANY, &je);
    if (!root) {
        js_err(err, errn, "not valid JSON", je.text, je.line);
        return false;
    }
    enum { NONE, STIX_BUNDLE, STIX_ONE, STIX_LIST, MISP_ONE, MISP_BARE, MISP_LIST } kind = NONE;
    json_t *list = NULL;
    if (json_is_object(root)) {
        json_t *type = json_object_get(root, "type");
        json_t *resp = json_object_get(root, "response");
        if (js_is_str(type, "bundle"))
            kind = STIX_BUNDLE, list = json_object_get(root, "objects");
        else if (js_is_str(type, "indicator"))
            kind = STIX_ONE;
        else if (json_object_get(root, "Event"))
            kind = MISP_ONE;
        else if (json_is_array(resp))
            kind = MISP_LIST, list = resp;
        else if (json_object_get(root, "info") && json_object_get(root, "Attribute"))
            kind = MISP_BARE;
    } else if (json_is_array(root)) {
        /* the first element that looks like either decides */
        size_t i;
        json_t *e;
        json_array_foreach(root, i, e)
        {
            if (json_is_object(e) && json_object_get(e, "Event")) {
                kind = MISP_LIST;
                break;
            }
            if (json_is_object(e) && js_stix_like(e)) {
                kind = STIX_LIST;
                break;
            }
        }
        list = root;
    }
    if (kind == NONE) {
        js_err(err, errn, "JSON, but neither a STIX 2.1 bundle nor a MISP event", NULL, 0);
        json_decref(root);
        return false;
    }
    *fmt = kind <= STIX_LIST ? EXH_IOCF_STIX : EXH_IOCF_MISP;
    if ((kind == STIX_BUNDLE || kind == STIX_LIST) && list && !json_is_array(list))
        sink->skip(sink->ud, "objects", "STIX bundle's objects is not a list", false);
    else if (kind == STIX_BUNDLE || kind == STIX_LIST)
        js_stix(sink, list);
    else if (kind == STIX_ONE)
        js_stix_object(sink, root, 1);
    else if (kind == MISP_LIST)
        js_misp_list(sink, list);
    else /* one event, wrapped or bare */
        js_misp_event(sink, kind == MISP_ONE ? json_object_get(root, "Event") : root, 1);
    json_decref(root);
    return true;
}

#else /* no jansson: the Windows build */

bool exh_ioc_read_json(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink,
                       enum exh_ioc_format *fmt, char *err, size_t errn)
{
    (void)p;
    (void)n;
    (void)sink;
    *fmt = EXH_IOCF_NONE;
    if (err && errn)
        snprintf(err, errn, "%s",
                 "this build reads no JSON indicator files (STIX, MISP): built without jansson; "
                 "convert them on Linux");
    return false;
}

#endif
