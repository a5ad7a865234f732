/* ioc_yaml.c: CISA CHIRP indicator files (YAML), read with libyaml's event
 * API (see iocread.h).
 *
 * A CHIRP file is a stream of documents, each a mapping of name,
 * description, confidence (1-10), ioc_type (the CHIRP plugin: network,
 * yara, events, registry) and indicator (the plugin's own mapping). What
 * exhunt takes: a network indicator's ips (and domains), as a block scalar
 * of one value a line or as a sequence, and a yara indicator's rule text.
 *
 * Hostile YAML stays linear: events are walked as they come and no tree is
 * built, aliases are never expanded (an alias where a value belongs is "not
 * understood"; anchors are ignored), nesting deeper than CY_MAX_DEPTH is
 * refused. The file is parsed twice: the first pass checks that all of it
 * parses and learns each document's name, description, confidence and
 * type (which may follow its indicator); the second gives the items. So
 * nothing is given for a file that turns out not to parse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/iocread.h"

#ifdef EXH_HAVE_YAML
#include <yaml.h>
#endif

#include "exh/banned.h"

static void cy_err(char *err, size_t errn, const char *msg)
{
    if (err && errn)
        snprintf(err, errn, "%s", msg);
}

#ifdef EXH_HAVE_YAML

#define CY_MAX_DEPTH 32
#define CY_RULE_MAX (1u << 20) /* longest YARA rule text given */
#define CY_TITLE_MAX 1024u     /* name kept (cut at a character boundary) */
#define CY_NOTE_MAX 65536u     /* description kept */

/* s without the white space (line ends too) around it. */
static struct exh_str cy_trim(struct exh_str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r' ||
                   s.p[s.n - 1] == '\n'))
        s.n--;
    return s;
}

enum cy_key { K_NONE, K_OTHER, K_NAME, K_DESC, K_CONF, K_TYPE, K_IND, K_IPS, K_DOMAINS, K_RULE };
enum cy_role { R_OTHER, R_ROOT, R_IND, R_IPS, R_DOMAINS };
enum cy_kind { T_NONE, T_NETWORK, T_YARA, T_EVENTS, T_REGISTRY, T_UNKNOWN, T_BAD };
enum cy_node { N_SCALAR, N_ALIAS, N_SEQ, N_MAP };

struct cy_frame {
    bool map;
    bool want_key;
    enum cy_role role;
    enum cy_key key; /* the key whose value comes next (mappings) */
};

/* A document of type network or yara, as the first pass saw it. */
struct cy_rec {
    size_t doc;
    enum cy_kind kind;
    size_t title_off, title_n, note_off, note_n; /* in arena */
    int conf;
};

struct cy {
    const struct exh_ioc_sink *sink; /* NULL in the first pass */
    struct cy_frame st[CY_MAX_DEPTH];
    size_t depth;
    size_t doc; /* 1-based, the current document */
    /* the current document */
    int root; /* 0 none, 1 mapping, 2 empty (null), 3 other */
    bool has_type, has_ind, ind_map, has_values;
    enum cy_kind kind;
    char tname[48]; /* an unknown ioc_type, for the skip */
    int conf;
    struct exh_buf title, note;
    /* first pass: the documents with items */
    struct cy_rec *recs;
    size_t nrec, caprec;
    struct exh_buf arena;
    size_t chirp_docs;
    /* second pass */
    size_t rec_i;
    const struct cy_rec *cur;
    struct exh_ioc_item meta;
    char where[40];
    struct exh_buf tmp;
};

static bool cy_is(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* At most max bytes of s, not cutting a UTF-8 sequence (libyaml has
 * checked that the text is UTF-8). */
static struct exh_str cy_cap(struct exh_str s, size_t max)
{
    if (s.n <= max)
        return s;
    size_t n = max;
    while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
        n--;
    return exh_str_make(s.p, n);
}

static void cy_keep(struct exh_buf *b, const char *s, size_t n, size_t max)
{
    exh_buf_reset(b);
    struct exh_str v = cy_cap(cy_trim(exh_str_make(s, n)), max);
    exh_buf_add(b, v.p, v.n);
}

/* CHIRP's confidence, 1 (low) to 10, as 0..100; -1 when not a whole number
 * in 0..10. */
static int cy_conf(const char *s, size_t n)
{
    struct exh_str v = cy_trim(exh_str_make(s, n));
    if (v.n == 0 || v.n > 3)
        return -1;
    int x = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return -1;
        x = x * 10 + (v.p[i] - '0');
    }
    return x <= 10 ? x * 10 : -1;
}

static enum cy_kind cy_kind_of(struct cy *c, const char *s, size_t n)
{
    struct exh_str v = cy_trim(exh_str_make(s, n));
    if (exh_eq_ci(v, "network"))
        return T_NETWORK;
    if (exh_eq_ci(v, "yara"))
        return T_YARA;
    if (exh_eq_ci(v, "events"))
        return T_EVENTS;
    if (exh_eq_ci(v, "registry"))
        return T_REGISTRY;
    size_t k = 0;
    for (size_t i = 0; i < v.n && k + 1 < sizeof(c->tname); i++)
        c->tname[k++] = (v.p[i] >= 0x20 && v.p[i] < 0x7f) ? v.p[i] : '?';
    c->tname[k] = '\0';
    return T_UNKNOWN;
}

static enum cy_key cy_key_of(enum cy_role role, const char *s, size_t n)
{
    if (role == R_ROOT) {
        if (cy_is(s, n, "name"))
            return K_NAME;
        if (cy_is(s, n, "description"))
            return K_DESC;
        if (cy_is(s, n, "confidence"))
            return K_CONF;
        if (cy_is(s, n, "ioc_type"))
            return K_TYPE;
        if (cy_is(s, n, "indicator"))
            return K_IND;
    } else if (role == R_IND) {
        if (cy_is(s, n, "ips"))
            return K_IPS;
        if (cy_is(s, n, "domains"))
            return K_DOMAINS;
        if (cy_is(s, n, "rule"))
            return K_RULE;
    }
    return K_OTHER;
}

static void cy_skip(struct cy *c, const char *why, bool understood)
{
    c->sink->skip(c->sink->ud, c->where, why, understood);
}

/* One value of a network indicator: refanged, checked as an IP (ips) or a
 * domain (domains); one that is not but looks like another type is given
 * as that type (CHIRP's ips take domains too). */
static void cy_give_net(struct cy *c, bool ips, struct exh_str v)
{
    v = cy_trim(v);
    if (v.n == 0)
        return;
    if (v.n > EXH_IOC_LINE_MAX) {
        cy_skip(c, ips ? "ips value too long" : "domains value too long", false);
        return;
    }
    enum exh_ioc_type want = ips ? EXH_IOC_IP : EXH_IOC_DOMAIN, t = want, g;
    exh_buf_reset(&c->tmp);
    struct exh_str r = exh_ioc_refang(v, &c->tmp), chk = r;
    if (!exh_ioc_check(want, &chk) && exh_ioc_guess(r, &g))
        t = g;
    exh_ioc_give(c->sink, t, r, &c->meta, c->where);
}

/* A block (or plain) scalar of values: one a line (split at any white
 * space, which no address or domain holds). */
static void cy_give_lines(struct cy *c, bool ips, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
            i++;
        size_t b = i;
        while (i < n && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
            i++;
        if (i > b)
            cy_give_net(c, ips, exh_str_make(s + b, i - b));
    }
}

static void cy_give_rule(struct cy *c, const char *s, size_t n)
{
    if (n > CY_RULE_MAX) {
        cy_skip(c, "YARA rule longer than 1 MiB", false);
        return;
    }
    struct exh_str v = cy_trim(exh_str_make(s, n));
    if (v.n == 0) {
        cy_skip(c, "empty YARA rule", false);
        return;
    }
    exh_ioc_give(c->sink, EXH_IOC_YARA, v, &c->meta, c->where);
}

static bool cy_push(struct cy *c, bool map, enum cy_role role)
{
    if (c->depth >= CY_MAX_DEPTH)
        return false;
    struct cy_frame *f = &c->st[c->depth++];
    f->map = map;
    f->want_key = true;
    f->role = role;
    f->key = K_NONE;
    return true;
}

/* A node is complete: the mapping it is in now wants its other half. */
static void cy_done(struct cy *c)
{
    if (c->depth == 0)
        return;
    struct cy_frame *f = &c->st[c->depth - 1];
    if (!f->map)
        return;
    if (f->want_key) {
        f->want_key = false;
    } else {
        f->want_key = true;
        f->key = K_NONE;
    }
}

/* Whether this document's items are given in this pass. */
static bool cy_giving(const struct cy *c, enum cy_kind k)
{
    return c->sink && c->cur && c->cur->kind == k;
}

/* A value node at the top of a document, or inside its indicator. */
static void cy_value(struct cy *c, const struct cy_frame *f, enum cy_node nk, const char *s,
                     size_t n, enum cy_role *push_role)
{
    bool sc = nk == N_SCALAR;
    if (f->role == R_ROOT) {
        switch (f->key) {
        case K_NAME:
            if (sc && !c->sink)
                cy_keep(&c->title, s, n, CY_TITLE_MAX);
            break;
        case K_DESC:
            if (sc && !c->sink)
                cy_keep(&c->note, s, n, CY_NOTE_MAX);
            break;
        case K_CONF:
            c->conf = sc ? cy_conf(s, n) : -1;
            break;
        case K_TYPE:
            c->has_type = true;
            c->kind = sc ? cy_kind_of(c, s, n) : T_BAD;
            break;
        case K_IND:
            c->has_ind = true;
            c->ind_map = nk == N_MAP;
            if (nk == N_MAP)
                *push_role = R_IND;
            break;
        default:
            break;
        }
        return;
    }
    if (f->role == R_IND && (f->key == K_IPS || f->key == K_DOMAINS)) {
        if (!cy_giving(c, T_NETWORK))
            return;
        bool ips = f->key == K_IPS;
        c->has_values = true;
        if (sc)
            cy_give_lines(c, ips, s, n);
        else if (nk == N_SEQ)
            *push_role = ips ? R_IPS : R_DOMAINS;
        else if (nk == N_ALIAS)
            cy_skip(c, "YAML alias, not expanded", false);
        else
            cy_skip(c, ips ? "ips is a mapping, not a list" : "domains is a mapping, not a list",
                    false);
        return;
    }
    if (f->role == R_IND && f->key == K_RULE) {
        if (!cy_giving(c, T_YARA))
            return;
        c->has_values = true;
        if (sc)
            cy_give_rule(c, s, n);
        else if (nk == N_ALIAS)
            cy_skip(c, "YAML alias, not expanded", false);
        else
            cy_skip(c, "YARA rule that is not a string", false);
    }
}

/* An entry of an ips or domains sequence. */
static void cy_entry(struct cy *c, const struct cy_frame *f, enum cy_node nk, const char *s,
                     size_t n)
{
    if (!c->sink)
        return;
    if (nk == N_SCALAR)
        cy_give_net(c, f->role == R_IPS, exh_str_make(s, n));
    else if (nk == N_ALIAS)
        cy_skip(c, "YAML alias, not expanded", false);
    else
        cy_skip(c, "list entry that is not a string", false);
}

/* A node begins (a scalar or alias is also complete). False: too deep. */
static bool cy_node(struct cy *c, enum cy_node nk, const char *s, size_t n, bool plain)
{
    enum cy_role role = R_OTHER;
    if (c->depth == 0) {
        c->root = nk == N_MAP ? 1 : (nk == N_SCALAR && n == 0 && plain) ? 2 : 3;
        if (nk == N_MAP)
            role = R_ROOT;
    } else {
        struct cy_frame *f = &c->st[c->depth - 1];
        if (f->map && f->want_key)
            f->key = nk == N_SCALAR ? cy_key_of(f->role, s, n) : K_OTHER;
        else if (f->map)
            cy_value(c, f, nk, s, n, &role);
        else if (f->role == R_IPS || f->role == R_DOMAINS)
            cy_entry(c, f, nk, s, n);
    }
    if (nk == N_SEQ || nk == N_MAP)
        return cy_push(c, nk == N_MAP, role);
    cy_done(c);
    return true;
}

static void cy_doc_begin(struct cy *c)
{
    c->doc++;
    c->depth = 0;
    c->root = 0;
    c->has_type = c->has_ind = c->ind_map = c->has_values = false;
    c->kind = T_NONE;
    c->tname[0] = '\0';
    c->conf = -1;
    exh_buf_reset(&c->title);
    exh_buf_reset(&c->note);
    snprintf(c->where, sizeof(c->where), "document %zu", c->doc);
    if (!c->sink)
        return;
    while (c->rec_i < c->nrec && c->recs[c->rec_i].doc < c->doc)
        c->rec_i++;
    c->cur = c->rec_i < c->nrec && c->recs[c->rec_i].doc == c->doc ? &c->recs[c->rec_i] : NULL;
    memset(&c->meta, 0, sizeof(c->meta));
    c->meta.score = -1;
    c->meta.confidence = -1;
    if (!c->cur)
        return;
    const struct cy_rec *r = c->cur;
    c->meta.title = exh_str_make(c->arena.p + r->title_off, r->title_n);
    c->meta.note = exh_str_make(c->arena.p + r->note_off, r->note_n);
    c->meta.confidence = r->conf;
    /* the reference: the first http(s) address in the description */
    struct exh_str note = c->meta.note;
    const char *h = exh_find_ci(note.p, note.n, "http", 4);
    while (h) {
        struct exh_str rest = exh_str_make(h, note.n - (size_t)(h - note.p));
        if (exh_starts_ci(rest, "http://") || exh_starts_ci(rest, "https://")) {
            size_t k = 0;
            while (k < rest.n && !strchr(" \t\r\n\"'<>()[]{}|`", rest.p[k]))
                k++;
            while (k > 0 && strchr(".,;:", rest.p[k - 1]))
                k--;
            c->meta.reference = exh_str_make(rest.p, k);
            break;
        }
        h = exh_find_ci(h + 4, rest.n - 4, "http", 4);
    }
}

static void cy_doc_end(struct cy *c)
{
    bool chirp = c->root == 1 && c->has_type && c->has_ind;
    if (!c->sink) {
        if (!chirp)
            return;
        c->chirp_docs++;
        if (c->kind != T_NETWORK && c->kind != T_YARA)
            return;
        if (c->nrec == c->caprec) {
            c->caprec = c->caprec ? c->caprec * 2 : 16;
            c->recs = exh_xrealloc(c->recs, c->caprec * sizeof(*c->recs));
        }
        struct cy_rec *r = &c->recs[c->nrec++];
        r->doc = c->doc;
        r->kind = c->kind;
        r->conf = c->conf;
        r->title_off = c->arena.n;
        r->title_n = c->title.n;
        exh_buf_add(&c->arena, c->title.p, c->title.n);
        r->note_off = c->arena.n;
        r->note_n = c->note.n;
        exh_buf_add(&c->arena, c->note.p, c->note.n);
        return;
    }
    if (c->root == 2 || c->root == 0)
        return; /* an empty document (a "---" with nothing after it) */
    if (c->root == 3) {
        cy_skip(c, "not a CHIRP indicator: the document is not a mapping", false);
        return;
    }
    if (!chirp) {
        cy_skip(c, "not a CHIRP indicator: no ioc_type or no indicator", false);
        return;
    }
    char why[96];
    switch (c->kind) {
    case T_EVENTS:
        cy_skip(c, "CHIRP events check: event logs are judged by exhunt's own rules", true);
        break;
    case T_REGISTRY:
        cy_skip(c, "CHIRP registry check: registry keys are not matched by exhunt", true);
        break;
    case T_UNKNOWN:
        snprintf(why, sizeof(why), "CHIRP ioc_type \"%s\" is none of CHIRP's plugins", c->tname);
        cy_skip(c, why, false);
        break;
    case T_NETWORK:
    case T_YARA:
        if (!c->ind_map)
            cy_skip(c, "CHIRP indicator that is not a mapping", false);
        else if (!c->has_values)
            cy_skip(c,
                    c->kind == T_NETWORK ? "CHIRP network indicator without ips"
                                         : "CHIRP yara indicator without a rule",
                    false);
        break;
    default:
        cy_skip(c, "CHIRP ioc_type that is not a string", false);
        break;
    }
}

static bool cy_event(struct cy *c, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        cy_doc_begin(c);
        return true;
    case YAML_DOCUMENT_END_EVENT:
        cy_doc_end(c);
        return true;
    case YAML_SCALAR_EVENT:
        return cy_node(c, N_SCALAR, (const char *)ev->data.scalar.value, ev->data.scalar.length,
                       ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
    case YAML_ALIAS_EVENT:
        return cy_node(c, N_ALIAS, NULL, 0, false);
    case YAML_SEQUENCE_START_EVENT:
        return cy_node(c, N_SEQ, NULL, 0, false);
    case YAML_MAPPING_START_EVENT:
        return cy_node(c, N_MAP, NULL, 0, false);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (c->depth)
            c->depth--;
        cy_done(c);
        return true;
    default:
        return true;
    }
}

/* One pass over the stream. False with err set when it does not parse or
 * nests too deep. */
static bool cy_pass(struct cy *c, const uint8_t *p, size_t n, char *err, size_t errn)
{
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps)) {
        cy_err(err, errn, "YAML parser could not be set up (out of memory)");
        return false;
    }
    yaml_parser_set_input_string(&ps, p, n);
    c->doc = 0;
    c->depth = 0;
    bool ok = true;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&ps, &ev)) {
            /* a reader error (bad UTF-8) has an offset, not a mark */
            unsigned long long line = (unsigned long long)ps.problem_mark.line + 1;
            if (ps.error == YAML_READER_ERROR)
                line = 1 + exh_count_lf(p, ps.problem_offset < n ? ps.problem_offset : n);
            if (err && errn)
                snprintf(err, errn, "not valid YAML: line %llu: %s", line,
                         ps.problem ? ps.problem : "unknown error");
            ok = false;
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        if (!cy_event(c, &ev)) {
            cy_err(err, errn, "YAML nested too deep");
            ok = false;
        }
        yaml_event_delete(&ev);
        if (!ok || end)
            break;
    }
    yaml_parser_delete(&ps);
    return ok;
}

bool exh_ioc_read_chirp(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink, char *err,
                        size_t errn)
{
    static const uint8_t empty[1] = {0};
    struct cy c;
    memset(&c, 0, sizeof(c));
    if (err && errn)
        err[0] = '\0';
    bool ok = cy_pass(&c, p ? p : empty, p ? n : 0, err, errn);
    if (ok && c.chirp_docs == 0) {
        cy_err(err, errn, "YAML, but not a CHIRP indicator file");
        ok = false;
    }
    if (ok) {
        c.sink = sink;
        ok = cy_pass(&c, p ? p : empty, p ? n : 0, NULL, 0);
        EXH_BUG_ON(!ok); /* the same bytes parsed the first time */
    }
    free(c.recs);
    exh_buf_release(&c.arena);
    exh_buf_release(&c.title);
    exh_buf_release(&c.note);
    exh_buf_release(&c.tmp);
    return ok;
}

#else

bool exh_ioc_read_chirp(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink, char *err,
                        size_t errn)
{
    (void)p;
    (void)n;
    (void)sink;
    cy_err(err, errn, "this build reads no CHIRP YAML: built without libyaml; convert it on Linux");
    return false;
}

#endif
