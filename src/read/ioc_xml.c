/* ioc_xml.c: OpenIOC 1.0 and 1.1 indicator files (XML), read with expat
 * (see iocread.h).
 *
 * An OpenIOC file is one <ioc> (1.0, http://schemas.mandiant.com/2010/ioc)
 * or <OpenIOC> (1.1, http://openioc.org/schemas/OpenIOC_1.1) element: a
 * short_description and description (1.1: inside <metadata>), then a tree
 * of Indicator elements (AND/OR) whose leaves are IndicatorItems: a
 * condition, a Context naming the term searched ("FileItem/Md5sum") and a
 * Content with the value. exhunt takes the leaves it can match (hashes,
 * names, paths, addresses, domains, URLs, user agents) one by one, with the
 * condition "is"; the AND/OR tree is not kept: each leaf is an indicator.
 *
 * Hostile XML: a DOCTYPE is refused as soon as it starts, so no entity is
 * ever declared or expanded (billion laughs ends at its first line);
 * parameter entities are never parsed; texts kept are capped. Items are
 * collected and given only after the whole document has parsed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/iocread.h"

#ifdef EXH_HAVE_EXPAT
#include <expat.h>
#endif

#include "exh/banned.h"

static void ox_err(char *err, size_t errn, const char *msg)
{
    if (err && errn)
        snprintf(err, errn, "%s", msg);
}

#ifdef EXH_HAVE_EXPAT

#define OX_SEP ' '           /* between a name's namespace and its local name */
#define OX_TITLE_MAX 1024u   /* short_description kept */
#define OX_NOTE_MAX 65536u   /* description kept */
#define OX_ATTR_MAX 256u     /* id, condition, search kept */
#define OX_CHUNK (64u << 20) /* bytes given to expat at a time */

/* s without the white space (line ends too) around it. */
static struct exh_str ox_trim(struct exh_str s)
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

enum ox_el { E_OTHER, E_ROOT, E_META };

/* An item or skip, given once the document has parsed. */
struct ox_out {
    bool skip, understood;
    enum exh_ioc_type type;
    size_t item;   /* the IndicatorItem's number */
    size_t off, n; /* the value or the reason, in arena */
};

struct ox {
    XML_Parser xp;
    bool stopped, dtd, not_ioc;
    size_t depth;
    enum ox_el lvl[4]; /* what the elements at depths 1-3 are */
    struct exh_buf title, note, id;
    bool have_title, have_note;
    /* the text being kept: of the element at cap_depth, up to cap_max */
    struct exh_buf *cap;
    size_t cap_depth, cap_max;
    bool cap_over;
    /* the IndicatorItem being read */
    size_t items, item_no, item_depth;
    struct exh_buf cond, search, content;
    bool negate, have_search, have_content, content_over;
    /* what to give */
    struct ox_out *outs;
    size_t nout, capout;
    struct exh_buf arena;
};

static const char *ox_local(const XML_Char *name)
{
    const char *s = strrchr(name, OX_SEP);
    return s ? s + 1 : name;
}

static const char *ox_attr(const XML_Char **atts, const char *name)
{
    for (size_t i = 0; atts && atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Keep up to max bytes of the attribute value s. */
static void ox_keep(struct exh_buf *b, const char *s, size_t max)
{
    exh_buf_reset(b);
    size_t n = strlen(s);
    exh_buf_add(b, s, n < max ? n : max);
}

static void ox_out(struct ox *x, bool skip, bool understood, enum exh_ioc_type t, const char *s,
                   size_t n)
{
    if (x->nout == x->capout) {
        x->capout = x->capout ? x->capout * 2 : 32;
        x->outs = exh_xrealloc(x->outs, x->capout * sizeof(*x->outs));
    }
    struct ox_out *o = &x->outs[x->nout++];
    o->skip = skip;
    o->understood = understood;
    o->type = t;
    o->item = x->item_no;
    o->off = x->arena.n;
    o->n = n;
    exh_buf_add(&x->arena, s, n);
}

/* A skip whose reason names a term from the file (printable, capped). */
static void ox_skipf(struct ox *x, bool understood, const char *pre, struct exh_buf *term,
                     const char *post)
{
    char why[320];
    char t[OX_ATTR_MAX + 1];
    size_t k = 0;
    for (size_t i = 0; i < term->n && k < 100; i++)
        t[k++] = (term->p[i] >= 0x20 && term->p[i] < 0x7f) ? term->p[i] : '?';
    t[k] = '\0';
    int w = snprintf(why, sizeof(why), "%s%s%s", pre, t, post);
    ox_out(x, true, understood, EXH_IOC_HASH, why, w < 0 ? 0 : (size_t)w);
}

static void ox_skip(struct ox *x, bool understood, const char *why)
{
    ox_out(x, true, understood, EXH_IOC_HASH, why, strlen(why));
}

/* The searches (Context search="...") exhunt matches, and their types. */
static const struct {
    const char *search;
    enum exh_ioc_type type;
} ox_terms[] = {
    {"FileItem/Md5sum", EXH_IOC_HASH},
    {"FileItem/Sha1sum", EXH_IOC_HASH},
    {"FileItem/Sha256sum", EXH_IOC_HASH},
    {"FileItem/FileName", EXH_IOC_NAME},
    {"FileItem/FullPath", EXH_IOC_PATH},
    {"FileItem/FilePath", EXH_IOC_PATH},
    {"PortItem/remoteIP", EXH_IOC_IP},
    {"RouteEntryItem/Destination", EXH_IOC_IP},
    {"ProcessItem/PortList/PortItem/remoteIP", EXH_IOC_IP},
    {"DnsEntryItem/RecordData/IPv4Address", EXH_IOC_IP},
    {"Network/IP", EXH_IOC_IP},
    {"Network/DNS", EXH_IOC_DOMAIN},
    {"DnsEntryItem/Host", EXH_IOC_DOMAIN},
    {"UrlHistoryItem/HostName", EXH_IOC_DOMAIN},
    {"UrlHistoryItem/URL", EXH_IOC_URL},
    {"Network/URI", EXH_IOC_URL},
    {"Network/UserAgent", EXH_IOC_UA},
    {"UrlHistoryItem/BrowserUserAgent", EXH_IOC_UA},
};

static void ox_item_end(struct ox *x)
{
    struct exh_str search = ox_trim(exh_str_make(x->search.p, x->search.n));
    if (!x->have_search || search.n == 0 || !x->have_content) {
        ox_skip(x, false, "IndicatorItem without a Context search and a Content");
        return;
    }
    size_t k = 0, nt = sizeof(ox_terms) / sizeof(ox_terms[0]);
    while (k < nt && !exh_eq_ci(search, ox_terms[k].search))
        k++;
    if (k == nt) {
        ox_skipf(x, true, "OpenIOC ", &x->search, " term, not matched by exhunt");
        return;
    }
    struct exh_str cond = ox_trim(exh_str_make(x->cond.p, x->cond.n));
    if ((cond.n && !exh_eq_ci(cond, "is")) || x->negate) {
        if (!cond.n)
            exh_buf_adds(&x->cond, "is");
        ox_skipf(x, true, x->negate ? "OpenIOC negated " : "OpenIOC ", &x->cond,
                 " condition, only 'is' is matched");
        return;
    }
    if (x->content_over) {
        ox_skip(x, false, "Content too long");
        return;
    }
    struct exh_str v = ox_trim(exh_str_make(x->content.p, x->content.n));
    if (exh_eq_ci(search, "Network/URI")) {
        /* a URI is often a path alone ("/owa/auth/x.js"): only a full URL
         * is matched */
        struct exh_buf tmp = {0};
        struct exh_str r = exh_ioc_refang(v, &tmp);
        bool url = exh_ioc_check(EXH_IOC_URL, &r);
        exh_buf_release(&tmp);
        if (!url) {
            ox_skip(x, true, "OpenIOC Network/URI that is not a full URL, not matched by exhunt");
            return;
        }
    }
    ox_out(x, false, false, ox_terms[k].type, v.p, v.n);
}

static void ox_capture(struct ox *x, struct exh_buf *b, size_t max)
{
    exh_buf_reset(b);
    x->cap = b;
    x->cap_depth = x->depth;
    x->cap_max = max;
    x->cap_over = false;
}

static void XMLCALL ox_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct ox *x = ud;
    if (x->stopped)
        return;
    x->depth++;
    const char *local = ox_local(name);
    enum ox_el kind = E_OTHER;
    if (x->depth == 1) {
        if (strcmp(local, "ioc") != 0 && strcmp(local, "OpenIOC") != 0) {
            x->not_ioc = x->stopped = true;
            XML_StopParser(x->xp, XML_FALSE);
            return;
        }
        kind = E_ROOT;
        const char *id = ox_attr(atts, "id");
        if (id)
            ox_keep(&x->id, id, OX_ATTR_MAX);
    } else if ((x->depth == 2 && x->lvl[1] == E_ROOT) ||
               (x->depth == 3 && x->lvl[1] == E_ROOT && x->lvl[2] == E_META)) {
        if (strcmp(local, "metadata") == 0 && x->depth == 2) {
            kind = E_META;
        } else if (strcmp(local, "short_description") == 0 && !x->have_title && !x->cap_depth) {
            x->have_title = true;
            ox_capture(x, &x->title, OX_TITLE_MAX);
        } else if (strcmp(local, "description") == 0 && !x->have_note && !x->cap_depth) {
            x->have_note = true;
            ox_capture(x, &x->note, OX_NOTE_MAX);
        }
    }
    if (x->depth < sizeof(x->lvl) / sizeof(x->lvl[0]))
        x->lvl[x->depth] = kind;
    if (strcmp(local, "IndicatorItem") == 0) {
        x->items++;
        if (x->item_depth) { /* not OpenIOC: the outer item goes on */
            size_t outer = x->item_no;
            x->item_no = x->items;
            ox_skip(x, false, "IndicatorItem inside an IndicatorItem");
            x->item_no = outer;
            return;
        }
        x->item_no = x->items;
        x->item_depth = x->depth;
        const char *cond = ox_attr(atts, "condition");
        const char *neg = ox_attr(atts, "negate");
        ox_keep(&x->cond, cond ? cond : "", OX_ATTR_MAX);
        x->negate = neg && (strcmp(neg, "true") == 0 || strcmp(neg, "1") == 0);
        x->have_search = x->have_content = x->content_over = false;
        exh_buf_reset(&x->search);
        exh_buf_reset(&x->content);
        return;
    }
    if (x->item_depth && x->depth == x->item_depth + 1) {
        if (strcmp(local, "Context") == 0 && !x->have_search) {
            const char *s = ox_attr(atts, "search");
            if (s) {
                x->have_search = true;
                ox_keep(&x->search, s, OX_ATTR_MAX);
            }
        } else if (strcmp(local, "Content") == 0 && !x->have_content && !x->cap_depth) {
            x->have_content = true;
            ox_capture(x, &x->content, EXH_IOC_LINE_MAX);
        }
    }
}

static void XMLCALL ox_end(void *ud, const XML_Char *name)
{
    struct ox *x = ud;
    (void)name;
    if (x->stopped || x->depth == 0)
        return;
    if (x->cap_depth == x->depth) {
        if (x->cap == &x->content)
            x->content_over = x->cap_over;
        x->cap = NULL;
        x->cap_depth = 0;
    }
    if (x->item_depth == x->depth) {
        ox_item_end(x);
        x->item_depth = 0;
    }
    x->depth--;
}

static void XMLCALL ox_text(void *ud, const XML_Char *s, int len)
{
    struct ox *x = ud;
    if (x->stopped || !x->cap || x->depth != x->cap_depth || len <= 0)
        return;
    size_t n = (size_t)len, room = x->cap_max - x->cap->n;
    if (n <= room) {
        exh_buf_add(x->cap, s, n);
        return;
    }
    /* too long: a Content is skipped whole; a description is cut, at a
     * character boundary (expat gives UTF-8), and grows no more */
    x->cap_over = true;
    size_t take = room;
    while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
        take--;
    exh_buf_add(x->cap, s, take);
    x->cap_max = x->cap->n;
}

static void XMLCALL ox_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    struct ox *x = ud;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    x->dtd = x->stopped = true;
    XML_StopParser(x->xp, XML_FALSE);
}

static void XMLCALL ox_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value,
                              int vlen, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    struct ox *x = ud;
    (void)name;
    (void)pe;
    (void)value;
    (void)vlen;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    if (!x->stopped) {
        x->dtd = x->stopped = true;
        XML_StopParser(x->xp, XML_FALSE);
    }
}

static void ox_release(struct ox *x)
{
    exh_buf_release(&x->title);
    exh_buf_release(&x->note);
    exh_buf_release(&x->id);
    exh_buf_release(&x->cond);
    exh_buf_release(&x->search);
    exh_buf_release(&x->content);
    exh_buf_release(&x->arena);
    free(x->outs);
}

bool exh_ioc_read_openioc(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink, char *err,
                          size_t errn)
{
    if (err && errn)
        err[0] = '\0';
    struct ox x;
    memset(&x, 0, sizeof(x));
    x.xp = XML_ParserCreateNS(NULL, OX_SEP);
    if (!x.xp) {
        ox_err(err, errn, "XML parser could not be set up (out of memory)");
        return false;
    }
    XML_SetUserData(x.xp, &x);
    XML_SetParamEntityParsing(x.xp, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(x.xp, ox_doctype);
    XML_SetEntityDeclHandler(x.xp, ox_entity);
    XML_SetElementHandler(x.xp, ox_start, ox_end);
    XML_SetCharacterDataHandler(x.xp, ox_text);
    bool ok = true;
    size_t off = 0;
    do {
        size_t k = n - off < OX_CHUNK ? n - off : OX_CHUNK;
        bool last = off + k == n;
        if (XML_Parse(x.xp, p ? (const char *)p + off : "", (int)k, last) != XML_STATUS_OK) {
            ok = false;
            break;
        }
        off += k;
    } while (off < n);
    if (!ok) {
        if (x.dtd)
            ox_err(err, errn, "XML with a DTD: refused (entities are never expanded)");
        else if (x.not_ioc)
            ox_err(err, errn, "XML, but not OpenIOC");
        else if (err && errn)
            snprintf(err, errn, "not valid XML: line %lu: %s",
                     (unsigned long)XML_GetCurrentLineNumber(x.xp),
                     XML_ErrorString(XML_GetErrorCode(x.xp)));
        XML_ParserFree(x.xp);
        ox_release(&x);
        return false;
    }
    XML_ParserFree(x.xp);
    struct exh_ioc_item meta;
    memset(&meta, 0, sizeof(meta));
    meta.score = -1;
    meta.confidence = -1;
    meta.title = ox_trim(exh_str_make(x.title.p, x.title.n));
    meta.note = ox_trim(exh_str_make(x.note.p, x.note.n));
    meta.reference = ox_trim(exh_str_make(x.id.p, x.id.n));
    for (size_t i = 0; i < x.nout; i++) {
        const struct ox_out *o = &x.outs[i];
        char where[40];
        snprintf(where, sizeof(where), "IndicatorItem %zu", o->item);
        if (o->skip) {
            char *why = exh_xstrndup(x.arena.p + o->off, o->n);
            sink->skip(sink->ud, where, why, o->understood);
            free(why);
        } else {
            exh_ioc_give(sink, o->type, exh_str_make(x.arena.p + o->off, o->n), &meta, where);
        }
    }
    ox_release(&x);
    return true;
}

#else

bool exh_ioc_read_openioc(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink, char *err,
                          size_t errn)
{
    (void)p;
    (void)n;
    (void)sink;
    ox_err(err, errn, "this build reads no OpenIOC XML: built without expat; convert it on Linux");
    return false;
}

#endif
