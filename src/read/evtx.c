/* evtx.c: .evtx files (see evtx.h and docs/formats.md). The binary XML of a
 * record is walked token by token; templates are evaluated with the
 * record's substitution values; the element tree is never built: an element
 * is interpreted when it closes, with its text and attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/evtx.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

#define FILE_HEADER 4096
#define CHUNK_HEADER 512
#define MAX_ELEMS 64
#define MAX_VALUES 1024
/* A work budget per record, in actions (an element opened or closed, an
 * attribute, a text, a substitution, a template instance): nested binary XML
 * and templates can point at each other and fan out exponentially within the
 * depth cap. A record may take STEPS_BASE + STEPS_PER_BYTE per byte of its
 * own, far above what real records need (a few hundred), and is reported as
 * damaged past it. The budget depends on the record alone, so a record reads
 * the same whatever else in the chunk was read, and a recorded template plan
 * counts exactly what its walk counted. A 64 KiB chunk costs at most about
 * 14 million actions. */
#define STEPS_BASE 1024u
#define STEPS_PER_BYTE 64u
/* Text a record may gather, per action of its budget (see target()). */
#define BYTES_PER_STEP 16u

bool exh_evtx_sniff(const uint8_t *p, size_t n)
{
    return n >= 8 && !memcmp(p, "ElfFile", 8);
}

static int64_t filetime_ms(uint64_t ft)
{
    return (int64_t)(ft / 10000) - 11644473600000LL;
}

/* ------------------------------------------------------------ walker -- */

struct value {
    const uint8_t *p;
    uint16_t size;
    uint8_t type;
};

enum attr_kind { A_NONE, A_NAME, A_SYSTEMTIME, A_USERID, A_OTHER };

/* The element names the reader interprets, classified once when an element opens. */
enum elem_kind {
    K_OTHER,
    K_SYSTEM,
    K_EVENTDATA,
    K_USERDATA,
    K_DATA,
    K_EVENTID,
    K_LEVEL,
    K_RECORDID,
    K_CHANNEL,
    K_COMPUTER,
    K_PROVIDER
};

struct elem {
    struct exh_buf text; /* the element's own text, UTF-8 */
    char name[64];
    size_t nlen;
    enum elem_kind kind;
    bool has_name_attr;
    struct exh_buf name_attr;
    bool children;
};

struct walker {
    const uint8_t *c; /* the chunk */
    size_t cn;
    struct elem el[MAX_ELEMS];
    int depth;
    int open_sec[3]; /* open System, EventData, UserData elements */
    enum attr_kind attr;
    struct exh_buf attr_val;
    struct exh_buf arena; /* field names and values, and record strings */
    struct {
        size_t no, nn, vo, vn;
    } f[EXH_EVTX_MAX_FIELDS];
    size_t nf;
    struct exh_evtx_record rec;
    size_t prov_o, prov_n, chan_o, chan_n, comp_o, comp_n, user_o, user_n;
    int nest;      /* nested fragments / templates */
    bool top_done; /* the record's first fragment was read to its end */
    uint64_t gen;  /* which chunk the name cache belongs to */
    /* template plans: a definition's walk recorded once per chunk as a list
     * of actions (open, close, attribute, static text, substitution) and
     * replayed for every record that uses it, without reading its tokens */
    struct plan {
        uint64_t gen;
        uint32_t def;
        bool ready;
        int busy; /* being recorded or replayed: its buffer must not change */
        struct exh_buf ops;
    } plans[32];
    struct exh_buf *rec_ops; /* the plan being recorded, or NULL */
    int rec_nest;            /* the nesting level it records */
    bool rec_abort;          /* the definition holds what a plan cannot replay */
    struct exh_buf scratch;
    uint64_t steps, budget; /* actions taken on this record, and allowed */
    struct {
        uint64_t gen;
        uint32_t off;
        uint8_t len;
        char name[64];
    } names[256]; /* decoded element and attribute names by chunk offset */
};

/* UTF-16LE (nchars units) to UTF-8; unpaired surrogates become U+FFFD, a
 * NUL a space; trailing NULs are dropped. */
static void utf16(struct exh_buf *b, const uint8_t *p, size_t nchars)
{
    while (nchars && exh_rd16(p + 2 * (nchars - 1)) == 0)
        nchars--;
    exh_buf_add_utf16(b, p, nchars, false, ' ');
}

/* The name structure at chunk offset off, as UTF-8 into out (<= 63 bytes). */
static bool name_at(struct walker *w, uint32_t off, char out[64], size_t *len)
{
    size_t slot = (off * 2654435761u) >> 24;
    if (w->names[slot].gen == w->gen && w->names[slot].off == off) {
        memcpy(out, w->names[slot].name, (size_t)w->names[slot].len + 1);
        *len = w->names[slot].len;
        return true;
    }
    if ((size_t)off + 8 > w->cn)
        return false;
    uint16_t n = exh_rd16(w->c + off + 6);
    if ((size_t)off + 8 + 2u * n > w->cn)
        return false;
    size_t k = 0;
    for (uint16_t i = 0; i < n && k < 63; i++) {
        uint16_t ch = exh_rd16(w->c + off + 8 + 2 * i);
        out[k++] = ch < 0x80 && ch >= 0x20 ? (char)ch : '?';
    }
    out[k] = '\0';
    w->names[slot].gen = w->gen;
    w->names[slot].off = off;
    w->names[slot].len = (uint8_t)k;
    *len = k;
    memcpy(w->names[slot].name, out, k + 1);
    return true;
}

/* Read a name reference at *pos; skip an inline name stored right there. */
static bool name_ref(struct walker *w, size_t *pos, size_t end, char out[64], size_t *len)
{
    if (*pos + 4 > end)
        return false;
    uint32_t off = exh_rd32(w->c + *pos);
    *pos += 4;
    if (!name_at(w, off, out, len))
        return false;
    if (off == *pos) { /* defined inline: skip it */
        size_t def = 8 + 2u * exh_rd16(w->c + off + 6) + 2;
        if (*pos + def > end)
            return false;
        *pos += def;
    }
    return true;
}

/* Where text goes now, or NULL. Substitutions can repeat a value many times:
 * past MAX_TEXT in one element, or BYTES_PER_STEP times the record's budget
 * in the record, text is dropped (a record is never worth more memory or
 * copying than that; real records gather a few times their own size). */
#define MAX_TEXT ((size_t)1 << 20)

static struct exh_buf *target(struct walker *w)
{
    struct exh_buf *b = NULL;
    if (w->attr != A_NONE)
        b = &w->attr_val;
    else if (w->depth > 0)
        b = &w->el[w->depth - 1].text;
    if (b && (b->n >= MAX_TEXT || w->arena.n + b->n >= w->budget * BYTES_PER_STEP))
        return NULL;
    return b;
}

/* Numbers without printf: values are formatted for every record. */
static void add_i(struct exh_buf *b, long long v)
{
    if (v < 0) {
        exh_buf_addc(b, '-');
        exh_buf_add_u64(b, 0ULL - (unsigned long long)v);
    } else {
        exh_buf_add_u64(b, (unsigned long long)v);
    }
}

/* "0x" and lower-case hex digits, at least width of them (0: no padding). */
static void add_hex(struct exh_buf *b, uint64_t v, int width)
{
    char d[18];
    size_t i = sizeof(d);
    do {
        d[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v || (int)(sizeof(d) - i) < width);
    d[--i] = 'x';
    d[--i] = '0';
    exh_buf_add(b, d + i, sizeof(d) - i);
}

static void hexbytes(struct exh_buf *b, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        exh_buf_addc(b, hx[p[i] >> 4]);
        exh_buf_addc(b, hx[p[i] & 15]);
    }
}

static bool walk(struct walker *w, size_t start, size_t end, bool dep_id, const struct value *vals,
                 size_t nvals);

/* A record is damaged; why says where (the reader never prints). */
#define FAIL(why) return ((void)(why), false)

/* Render one substitution value into b (nested binary XML is walked). */
static void render(struct walker *w, struct exh_buf *b, const struct value *v)
{
    const uint8_t *p = v->p;
    size_t n = v->size;
    char tmp[80];
    uint8_t t = v->type;
    if (t & 0x80) { /* arrays: items separated by ", " */
        uint8_t bt = t & 0x7F;
        if (bt == 0x01) {
            size_t s = 0, first = 1;
            for (size_t i = 0; i + 1 < n; i += 2) {
                if (exh_rd16(p + i) == 0) {
                    if (i > s) {
                        if (!first)
                            exh_buf_adds(b, ", ");
                        utf16(b, p + s, (i - s) / 2);
                        first = 0;
                    }
                    s = i + 2;
                }
            }
            if (s + 1 < n) {
                if (!first)
                    exh_buf_adds(b, ", ");
                utf16(b, p + s, (n - s) / 2);
            }
            return;
        }
        static const size_t width[0x16] = {0, 0, 0, 1, 1,  2, 2, 4,  4, 8, 8,
                                           4, 8, 4, 0, 16, 8, 8, 16, 0, 4, 8};
        size_t wd = bt < 0x16 ? width[bt] : 0;
        if (!wd) {
            hexbytes(b, p, n);
            return;
        }
        for (size_t i = 0; i + wd <= n; i += wd) {
            if (i)
                exh_buf_adds(b, ", ");
            struct value item = {p + i, (uint16_t)wd, bt};
            render(w, b, &item);
        }
        return;
    }
    switch (t) {
    case 0x00:
        return;
    case 0x01:
        utf16(b, p, n / 2);
        return;
    case 0x02:
        for (size_t i = 0; i < n && p[i]; i++)
            exh_buf_addc(b, p[i] < 0x80 ? (char)p[i] : '?');
        return;
    case 0x03:
        if (n >= 1)
            add_i(b, (int8_t)p[0]);
        return;
    case 0x04:
        if (n >= 1)
            exh_buf_add_u64(b, p[0]);
        return;
    case 0x05:
        if (n >= 2)
            add_i(b, (int16_t)exh_rd16(p));
        return;
    case 0x06:
        if (n >= 2)
            exh_buf_add_u64(b, exh_rd16(p));
        return;
    case 0x07:
        if (n >= 4)
            add_i(b, (int32_t)exh_rd32(p));
        return;
    case 0x08:
        if (n >= 4)
            exh_buf_add_u64(b, exh_rd32(p));
        return;
    case 0x09:
        if (n >= 8)
            add_i(b, (long long)exh_rd64(p));
        return;
    case 0x0a:
        if (n >= 8)
            exh_buf_add_u64(b, exh_rd64(p));
        return;
    case 0x0b:
        if (n >= 4) {
            float f;
            memcpy(&f, p, 4);
            exh_buf_addf(b, "%g", (double)f);
        }
        return;
    case 0x0c:
        if (n >= 8) {
            double d;
            memcpy(&d, p, 8);
            exh_buf_addf(b, "%g", d);
        }
        return;
    case 0x0d:
        if (n >= 4)
            exh_buf_adds(b, exh_rd32(p) ? "true" : "false");
        return;
    case 0x0e:
        hexbytes(b, p, n);
        return;
    case 0x0f:
        if (n >= 16) {
            /* Data1-Data2-Data3 little-endian, Data4 as bytes, upper case */
            static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
            size_t k = 0;
            for (int i = 0; i < 16; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10)
                    tmp[k++] = '-';
                tmp[k++] = "0123456789ABCDEF"[p[order[i]] >> 4];
                tmp[k++] = "0123456789ABCDEF"[p[order[i]] & 15];
            }
            exh_buf_add(b, tmp, k);
        }
        return;
    case 0x10:
        if (n >= 8)
            add_hex(b, exh_rd64(p), 16);
        else if (n >= 4)
            add_hex(b, exh_rd32(p), 8);
        return;
    case 0x11:
        if (n >= 8) {
            exh_time_format(filetime_ms(exh_rd64(p)), tmp);
            exh_buf_adds(b, tmp);
        }
        return;
    case 0x12:
        if (n >= 16) {
            snprintf(tmp, sizeof(tmp), "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", exh_rd16(p),
                     exh_rd16(p + 2), exh_rd16(p + 6), exh_rd16(p + 8), exh_rd16(p + 10),
                     exh_rd16(p + 12), exh_rd16(p + 14));
            exh_buf_adds(b, tmp);
        }
        return;
    case 0x13:
        if (n >= 8) {
            uint64_t auth = 0;
            for (int i = 2; i < 8; i++)
                auth = auth << 8 | p[i];
            exh_buf_add(b, "S-", 2);
            exh_buf_add_u64(b, p[0]);
            exh_buf_addc(b, '-');
            exh_buf_add_u64(b, auth);
            for (size_t i = 0; i < p[1] && 8 + 4 * i + 4 <= n; i++) {
                exh_buf_addc(b, '-');
                exh_buf_add_u64(b, exh_rd32(p + 8 + 4 * i));
            }
        }
        return;
    case 0x14: /* hex numbers are written without leading zeros, as Windows shows them */
        if (n >= 4)
            add_hex(b, exh_rd32(p), 0);
        return;
    case 0x15:
        if (n >= 8)
            add_hex(b, exh_rd64(p), 0);
        return;
    case 0x21:
        if (w->nest < EXH_EVTX_MAX_DEPTH) {
            w->nest++;
            /* nested binary XML lives in the chunk: walk it in place */
            if (p >= w->c && p + n <= w->c + w->cn)
                walk(w, (size_t)(p - w->c), (size_t)(p - w->c) + n, false, NULL, 0);
            w->nest--;
        }
        return;
    default:
        hexbytes(b, p, n);
        return;
    }
}

static size_t arena_put(struct walker *w, const char *p, size_t n)
{
    size_t off = w->arena.n;
    exh_buf_add(&w->arena, p, n);
    return off;
}

static void end_attr(struct walker *w)
{
    if (w->attr == A_NONE || w->depth == 0) {
        w->attr = A_NONE;
        return;
    }
    struct elem *e = &w->el[w->depth - 1];
    const char *v = w->attr_val.p ? w->attr_val.p : "";
    size_t vn = w->attr_val.n;
    switch (w->attr) {
    case A_NAME:
        if (e->kind == K_PROVIDER) {
            w->prov_o = arena_put(w, v, vn);
            w->prov_n = vn;
        } else {
            exh_buf_reset(&e->name_attr);
            exh_buf_add(&e->name_attr, v, vn);
            e->has_name_attr = true;
        }
        break;
    case A_SYSTEMTIME: {
        int64_t ms;
        /* a zero FILETIME (1601) is "no time", not a time */
        if (exh_time_parse(v, vn, &ms) && ms > 0) {
            w->rec.time_ms = ms;
            w->rec.has_time = true;
        }
        break;
    }
    case A_USERID:
        w->user_o = arena_put(w, v, vn);
        w->user_n = vn;
        break;
    default:
        break;
    }
    exh_buf_reset(&w->attr_val);
    w->attr = A_NONE;
}

static enum elem_kind classify(const char *n)
{
    switch (n[0]) {
    case 'S':
        return !strcmp(n, "System") ? K_SYSTEM : K_OTHER;
    case 'E':
        return !strcmp(n, "EventData")       ? K_EVENTDATA
               : !strcmp(n, "EventID")       ? K_EVENTID
               : !strcmp(n, "EventRecordID") ? K_RECORDID
                                             : K_OTHER;
    case 'U':
        return !strcmp(n, "UserData") ? K_USERDATA : K_OTHER;
    case 'D':
        return !strcmp(n, "Data") ? K_DATA : K_OTHER;
    case 'L':
        return !strcmp(n, "Level") ? K_LEVEL : K_OTHER;
    case 'C':
        return !strcmp(n, "Channel") ? K_CHANNEL : !strcmp(n, "Computer") ? K_COMPUTER : K_OTHER;
    case 'P':
        return !strcmp(n, "Provider") ? K_PROVIDER : K_OTHER;
    default:
        return K_OTHER;
    }
}

static int section_of(enum elem_kind k)
{
    return k == K_SYSTEM ? 0 : k == K_EVENTDATA ? 1 : k == K_USERDATA ? 2 : -1;
}

static void add_field(struct walker *w, const char *name, size_t nn, const char *val, size_t vn)
{
    if (w->nf >= EXH_EVTX_MAX_FIELDS)
        return;
    w->f[w->nf].no = arena_put(w, name, nn);
    w->f[w->nf].nn = nn;
    w->f[w->nf].vo = arena_put(w, val, vn);
    w->f[w->nf].vn = vn;
    w->nf++;
}

static uint32_t to_u32(const char *s, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (uint32_t)(s[i] - '0');
    return v;
}

/* An element closes: interpret it by its place. */
static void close_elem(struct walker *w)
{
    if (w->depth == 0)
        return;
    end_attr(w);
    struct elem *e = &w->el[w->depth - 1];
    const char *t = e->text.p ? e->text.p : "";
    size_t tn = e->text.n;
    w->depth--;
    int sec = section_of(e->kind);
    if (sec >= 0)
        w->open_sec[sec]--; /* the element itself is not its own section */
    if (w->open_sec[0] > 0) {
        if (e->kind == K_EVENTID) {
            w->rec.event_id = to_u32(t, tn);
            w->rec.has_event_id = tn > 0;
        } else if (e->kind == K_LEVEL) {
            w->rec.level = to_u32(t, tn);
            w->rec.has_level = tn > 0;
        } else if (e->kind == K_RECORDID && tn) {
            w->rec.record_id = to_u32(t, tn) ? strtoull(t, NULL, 10) : w->rec.record_id;
        } else if (e->kind == K_CHANNEL) {
            w->chan_o = arena_put(w, t, tn);
            w->chan_n = tn;
        } else if (e->kind == K_COMPUTER) {
            w->comp_o = arena_put(w, t, tn);
            w->comp_n = tn;
        }
    } else if (w->open_sec[1] > 0 || w->open_sec[2] > 0) {
        bool eventdata = w->open_sec[1] > 0;
        if (!e->children) {
            if (eventdata && e->kind == K_DATA)
                add_field(w, e->has_name_attr ? e->name_attr.p : "",
                          e->has_name_attr ? e->name_attr.n : 0, t, tn);
            else if (!eventdata || e->kind != K_DATA)
                add_field(w, e->name, e->nlen, t, tn);
        }
    }
    exh_buf_reset(&e->text);
    exh_buf_reset(&e->name_attr);
    e->has_name_attr = false;
    e->children = false;
}

static bool open_elem(struct walker *w, const char *name, size_t n, enum elem_kind kind)
{
    end_attr(w);
    if (w->depth > 0)
        w->el[w->depth - 1].children = true;
    if (w->depth >= MAX_ELEMS)
        return false;
    struct elem *e = &w->el[w->depth++];
    memcpy(e->name, name, n + 1);
    e->nlen = n;
    e->kind = kind;
    int sec = section_of(e->kind);
    if (sec >= 0)
        w->open_sec[sec]++;
    exh_buf_reset(&e->text);
    exh_buf_reset(&e->name_attr);
    e->has_name_attr = false;
    e->children = false;
    return true;
}

enum plan_op { OP_OPEN, OP_END_ATTR, OP_CLOSE, OP_TEXT, OP_ATTR, OP_SUBST, OP_END };

static bool recording(const struct walker *w)
{
    return w->rec_ops && w->nest == w->rec_nest;
}

/* Append one action to the plan being recorded: op, u32 size, payload. */
static void rec_op(struct walker *w, enum plan_op op, const void *p, size_t n)
{
    if (!recording(w))
        return;
    uint8_t h[5] = {(uint8_t)op, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
                    (uint8_t)(n >> 24)};
    exh_buf_add(w->rec_ops, h, sizeof(h));
    if (n)
        exh_buf_add(w->rec_ops, p, n);
}

/* Static text: into the current target, and into the plan as UTF-8. */
static void static_text(struct walker *w, const uint8_t *p, size_t nchars)
{
    struct exh_buf *b = target(w);
    if (!recording(w)) {
        if (b)
            utf16(b, p, nchars);
        return;
    }
    exh_buf_reset(&w->scratch);
    utf16(&w->scratch, p, nchars);
    if (b)
        exh_buf_add(b, w->scratch.p, w->scratch.n);
    rec_op(w, OP_TEXT, w->scratch.p, w->scratch.n);
}

static void subst(struct walker *w, uint16_t idx, const struct value *vals, size_t nvals)
{
    if (idx < nvals) {
        struct exh_buf *b = target(w);
        if (vals[idx].type == 0x21)
            render(w, NULL, &vals[idx]);
        else if (b)
            render(w, b, &vals[idx]);
    }
}

static bool over_budget(struct walker *w)
{
    return ++w->steps > w->budget;
}

/* Do what a recorded walk did, with this record's values. */
static bool replay(struct walker *w, const struct exh_buf *ops, const struct value *vals,
                   size_t nvals)
{
    if (!ops->n) /* an empty definition: nothing to do (and ops->p may be NULL) */
        return true;
    const uint8_t *p = (const uint8_t *)ops->p, *e = p + ops->n;
    while (p < e) {
        if (over_budget(w))
            FAIL("work budget exceeded");
        uint8_t op = p[0];
        size_t n = exh_rd32(p + 1);
        const uint8_t *d = p + 5;
        p = d + n;
        switch (op) {
        case OP_OPEN: /* kind, name, NUL */
            if (!open_elem(w, (const char *)d + 1, n - 2, (enum elem_kind)d[0]))
                FAIL("bad binary XML");
            break;
        case OP_END_ATTR:
            end_attr(w);
            break;
        case OP_CLOSE:
            close_elem(w);
            break;
        case OP_TEXT: {
            struct exh_buf *b = target(w);
            if (b)
                exh_buf_add(b, d, n);
            break;
        }
        case OP_ATTR:
            end_attr(w);
            w->attr = (enum attr_kind)d[0];
            exh_buf_reset(&w->attr_val);
            break;
        case OP_SUBST:
            subst(w, exh_rd16(d), vals, nvals);
            break;
        default: /* OP_END */
            return true;
        }
    }
    return true;
}

/* The walk of definition def (body [start, end)) with these values: replayed
 * from its plan, or walked and recorded. */
static bool run_template(struct walker *w, uint32_t def, size_t start, size_t end,
                         const struct value *vals, size_t nvals)
{
    struct plan *pl = &w->plans[(def >> 3) & 31];
    if (pl->ready && pl->gen == w->gen && pl->def == def) {
        /* while a plan is replayed, a nested template that maps to the same slot
         * must not record into it (it would reset and grow the buffer being
         * read): busy slots are only read */
        pl->busy++;
        bool ok = replay(w, &pl->ops, vals, nvals);
        pl->busy--;
        return ok;
    }
    /* plans are not recorded inside another recording, nor into a slot that is
     * being replayed or recorded further up */
    bool rec = !w->rec_ops && !pl->busy;
    if (rec) {
        pl->ready = false;
        exh_buf_reset(&pl->ops);
        w->rec_ops = &pl->ops;
        w->rec_nest = w->nest;
        w->rec_abort = false;
    }
    if (rec)
        pl->busy++;
    bool ok = walk(w, start, end, true, vals, nvals);
    if (rec) {
        pl->busy--;
        w->rec_ops = NULL;
        if (ok && !w->rec_abort) {
            pl->ready = true;
            pl->gen = w->gen;
            pl->def = def;
        }
    }
    return ok;
}

static bool template_instance(struct walker *w, size_t *pos, size_t end)
{
    /* token, 1 unknown byte, u32 template id, u32 definition offset */
    if (*pos + 10 > end)
        FAIL("bad binary XML");
    uint32_t def = exh_rd32(w->c + *pos + 6);
    *pos += 10;
    if ((size_t)def + 24 > w->cn)
        FAIL("bad binary XML");
    uint32_t dsize = exh_rd32(w->c + def + 20);
    if ((size_t)def + 24 + dsize > w->cn)
        FAIL("bad binary XML");
    if (def == *pos) { /* the definition is inline here */
        if (*pos + 24 + dsize > end)
            FAIL("bad binary XML");
        *pos += 24 + dsize;
    }
    if (*pos + 4 > end)
        FAIL("bad binary XML");
    uint32_t count = exh_rd32(w->c + *pos);
    *pos += 4;
    if (count > MAX_VALUES || *pos + 4u * count > end)
        FAIL("bad binary XML");
    struct value small[64];
    struct value *vals = count > 64 ? exh_xmalloc(count * sizeof(*vals)) : small;
    size_t vp = *pos + 4u * count;
    for (uint32_t i = 0; i < count; i++) {
        uint16_t sz = exh_rd16(w->c + *pos + 4 * i);
        vals[i].type = w->c[*pos + 4 * i + 2];
        vals[i].size = sz;
        vals[i].p = w->c + vp;
        if (vp + sz > end) { /* truncated values: keep what fits */
            vals[i].size = vp < end ? (uint16_t)(end - vp) : 0;
            vp = end;
        } else {
            vp += sz;
        }
    }
    *pos = vp;
    bool ok = true;
    if (w->nest < EXH_EVTX_MAX_DEPTH) {
        w->nest++;
        ok = run_template(w, def, def + 24, def + 24 + dsize, vals, count);
        w->nest--;
    }
    if (vals != small)
        free(vals);
    return ok;
}

/* One counted action of the walk (see STEPS_BASE); replay counts its ops. */
#define STEP()                                                                                     \
    do {                                                                                           \
        if (over_budget(w))                                                                        \
            FAIL("work budget exceeded");                                                          \
    } while (0)

/* Walk binary XML in c[start, end). */
static bool walk(struct walker *w, size_t start, size_t end, bool dep_id, const struct value *vals,
                 size_t nvals)
{
    size_t pos = start;
    char name[64];
    size_t nlen;
    while (pos < end) {
        uint8_t tok = w->c[pos];
        switch (tok) {
        case 0x00: /* end of a fragment: only a fragment header may follow */
            pos++;
            /* a record whose XML stops while elements are still open was
             * torn (cut while being written, or damaged): not an event */
            if (w->nest == 0 && !dep_id && w->depth > 0)
                FAIL("record ends inside an element");
            if (w->nest == 0 && !dep_id)
                w->top_done = true;
            if (pos >= end || w->c[pos] != 0x0f) {
                STEP();
                rec_op(w, OP_END, NULL, 0);
                return true;
            }
            break;
        case 0x0f:
            pos += 4;
            break;
        case 0x01:
        case 0x41: {
            STEP();
            pos++;
            if (dep_id)
                pos += 2;
            pos += 4; /* data size */
            if (pos > end || !name_ref(w, &pos, end, name, &nlen))
                FAIL("bad binary XML");
            enum elem_kind kind = classify(name);
            if (!open_elem(w, name, nlen, kind))
                FAIL("bad binary XML");
            if (recording(w)) {
                uint8_t op[65];
                op[0] = (uint8_t)kind;
                memcpy(op + 1, name, nlen + 1);
                rec_op(w, OP_OPEN, op, nlen + 2);
            }
            if (tok == 0x41)
                pos += 4; /* attribute list size */
            break;
        }
        case 0x02:
            STEP();
            end_attr(w);
            rec_op(w, OP_END_ATTR, NULL, 0);
            pos++;
            break;
        case 0x03:
        case 0x04:
            STEP();
            close_elem(w);
            rec_op(w, OP_CLOSE, NULL, 0);
            pos++;
            break;
        case 0x05:
        case 0x45: {
            STEP();
            if (pos + 4 > end)
                FAIL("bad binary XML");
            uint16_t n = exh_rd16(w->c + pos + 2);
            if (pos + 4 + 2u * n > end)
                FAIL("bad binary XML");
            static_text(w, w->c + pos + 4, n);
            pos += 4 + 2u * n;
            break;
        }
        case 0x06:
        case 0x46:
            STEP();
            end_attr(w);
            pos++;
            if (!name_ref(w, &pos, end, name, &nlen))
                FAIL("bad binary XML");
            w->attr = !strcmp(name, "Name")         ? A_NAME
                      : !strcmp(name, "SystemTime") ? A_SYSTEMTIME
                      : !strcmp(name, "UserID")     ? A_USERID
                                                    : A_OTHER;
            exh_buf_reset(&w->attr_val);
            {
                uint8_t k = (uint8_t)w->attr;
                rec_op(w, OP_ATTR, &k, 1);
            }
            break;
        case 0x07:
        case 0x47: {
            STEP();
            if (pos + 3 > end)
                FAIL("bad binary XML");
            uint16_t n = exh_rd16(w->c + pos + 1);
            if (pos + 3 + 2u * n > end)
                FAIL("bad binary XML");
            static_text(w, w->c + pos + 3, n);
            pos += 3 + 2u * n;
            break;
        }
        case 0x08:
        case 0x48: {
            STEP();
            if (pos + 3 > end)
                FAIL("bad binary XML");
            /* a character reference is one UTF-16 unit: a lone surrogate
             * becomes U+FFFD and NUL a space, as in strings */
            uint32_t u = exh_rd16(w->c + pos + 1);
            if (u >= 0xD800 && u <= 0xDFFF)
                u = 0xFFFD;
            if (u == 0)
                u = ' ';
            struct exh_buf *b = target(w);
            if (b)
                exh_buf_add_cp(b, u);
            if (recording(w)) {
                exh_buf_reset(&w->scratch);
                exh_buf_add_cp(&w->scratch, u);
                rec_op(w, OP_TEXT, w->scratch.p, w->scratch.n);
            }
            pos += 3;
            break;
        }
        case 0x09:
        case 0x49: {
            STEP();
            pos++;
            if (!name_ref(w, &pos, end, name, &nlen))
                FAIL("bad binary XML");
            struct exh_buf *b = target(w);
            const char *rep = !strcmp(name, "lt")     ? "<"
                              : !strcmp(name, "gt")   ? ">"
                              : !strcmp(name, "amp")  ? "&"
                              : !strcmp(name, "quot") ? "\""
                              : !strcmp(name, "apos") ? "'"
                                                      : "";
            if (b)
                exh_buf_adds(b, rep);
            rec_op(w, OP_TEXT, rep, strlen(rep));
            break;
        }
        case 0x0a:
            pos++;
            if (!name_ref(w, &pos, end, name, &nlen))
                FAIL("bad binary XML");
            break;
        case 0x0b: {
            if (pos + 3 > end)
                FAIL("bad binary XML");
            uint16_t n = exh_rd16(w->c + pos + 1);
            pos += 3 + 2u * n;
            break;
        }
        case 0x0c:
            STEP();
            if (recording(w))
                w->rec_abort = true; /* a template inside a definition: walked each time */
            if (!template_instance(w, &pos, end))
                FAIL("bad binary XML");
            break;
        case 0x0d:
        case 0x0e: {
            STEP();
            if (pos + 4 > end)
                FAIL("bad binary XML");
            uint16_t idx = exh_rd16(w->c + pos + 1);
            pos += 4;
            subst(w, idx, vals, nvals);
            {
                uint8_t ix[2] = {(uint8_t)idx, (uint8_t)(idx >> 8)};
                rec_op(w, OP_SUBST, ix, 2);
            }
            break;
        }
        default:
            FAIL("unknown token");
        }
    }
    return pos <= end;
#undef STEP
}

/* ------------------------------------------------------------- chunks -- */

static void reset_walker(struct walker *w)
{
    /* elements are cleared when they open: only the depth goes back */
    w->depth = 0;
    w->steps = 0;
    memset(w->open_sec, 0, sizeof(w->open_sec));
    w->attr = A_NONE;
    exh_buf_reset(&w->attr_val);
    exh_buf_reset(&w->arena);
    w->nf = 0;
    w->nest = 0;
    w->top_done = false;
    w->prov_n = w->chan_n = w->comp_n = w->user_n = 0;
    memset(&w->rec, 0, sizeof(w->rec));
}

static void release_walker(struct walker *w)
{
    for (int i = 0; i < MAX_ELEMS; i++) {
        exh_buf_release(&w->el[i].text);
        exh_buf_release(&w->el[i].name_attr);
    }
    exh_buf_release(&w->attr_val);
    exh_buf_release(&w->arena);
    exh_buf_release(&w->scratch);
    for (int i = 0; i < 32; i++)
        exh_buf_release(&w->plans[i].ops);
}

static int chunk_records(struct walker *w, const uint8_t *c, size_t cn, uint32_t index,
                         uint64_t file_off, const struct exh_evtx_cb *cb, struct exh_evtx_stats *st)
{
    char detail[128];
    uint32_t free_off = exh_rd32(c + 48);
    if (free_off > cn || free_off < CHUNK_HEADER)
        free_off = (uint32_t)cn;
    uint32_t flags = exh_rd32(c + 120);
    if (!(flags & 4)) {
        uint8_t hdr[120 + 384];
        memcpy(hdr, c, 120);
        memcpy(hdr + 120, c + 128, 384);
        if (exh_crc32(hdr, sizeof(hdr)) != exh_rd32(c + 124) ||
            exh_crc32(c + CHUNK_HEADER, free_off - CHUNK_HEADER) != exh_rd32(c + 52)) {
            st->crc_mismatches++; /* reported; the records are still read */
            if (cb->problem)
                cb->problem(cb->ud, EXH_EVTX_BAD_CHUNK_CRC, index, file_off, "chunk CRC mismatch");
        }
    }
    w->c = c;
    w->gen++; /* a new chunk: names cached from the last one no longer hold */
    w->cn = cn;
    size_t pos = CHUNK_HEADER;
    while (pos + 28 <= free_off) {
        const uint8_t *r = c + pos;
        uint32_t size = exh_rd32(r + 4);
        if (exh_rd32(r) == 0 && size == 0)
            break; /* zero padding: a clean end */
        /* a zero copy of the size at the end is tolerated (the last record of
         * a log being written); a wrong one, a bad magic or a size that runs
         * past the chunk ends the walk of this chunk */
        uint32_t copy = size >= 28 && pos + size <= cn ? exh_rd32(r + size - 4) : 0;
        if (exh_rd32(r) != 0x00002a2a || size < 28 || pos + size > cn ||
            (copy != size && copy != 0)) {
            st->errors++;
            if (cb->problem) {
                snprintf(detail, sizeof(detail), "damaged record at chunk offset %zu", pos);
                cb->problem(cb->ud, EXH_EVTX_BAD_RECORD, index, file_off + pos, detail);
            }
            break;
        }
        reset_walker(w);
        w->budget = STEPS_BASE + (uint64_t)STEPS_PER_BYTE * size;
        w->rec.record_id = exh_rd64(r + 8);
        w->rec.written_ms = filetime_ms(exh_rd64(r + 16));
        w->rec.chunk = index;
        w->rec.offset = file_off + pos;
        /* a damaged extra fragment after a complete one does not spoil
         * the record */
        if (!walk(w, pos + 24, pos + size - 4, false, NULL, 0) && !w->top_done) {
            st->errors++;
            if (cb->problem) {
                snprintf(detail, sizeof(detail), "binary XML of record %llu could not be read",
                         (unsigned long long)w->rec.record_id);
                cb->problem(cb->ud, EXH_EVTX_BAD_XML, index, file_off + pos, detail);
            }
        } else {
            const char *a = w->arena.p ? w->arena.p : "";
            struct exh_evtx_field fs[EXH_EVTX_MAX_FIELDS];
            bool named = w->nf > 0;
            for (size_t i = 0; i < w->nf; i++) {
                fs[i].name = exh_str_make(a + w->f[i].no, w->f[i].nn);
                fs[i].value = exh_str_make(a + w->f[i].vo, w->f[i].vn);
                named &= w->f[i].nn > 0;
            }
            w->rec.fields = fs;
            w->rec.nfields = w->nf;
            w->rec.named = named;
            w->rec.provider = exh_str_make(a + w->prov_o, w->prov_n);
            w->rec.channel = exh_str_make(a + w->chan_o, w->chan_n);
            w->rec.computer = exh_str_make(a + w->comp_o, w->comp_n);
            w->rec.user_id = exh_str_make(a + w->user_o, w->user_n);
            st->records++;
            if (cb->record && cb->record(cb->ud, &w->rec))
                return 1;
        }
        pos += size;
    }
    return 0;
}

struct exh_evtx_reader {
    struct walker w;
};

struct exh_evtx_reader *exh_evtx_reader_new(void)
{
    return exh_xcalloc(1, sizeof(struct exh_evtx_reader));
}

void exh_evtx_reader_free(struct exh_evtx_reader *rd)
{
    if (!rd)
        return;
    release_walker(&rd->w);
    free(rd);
}

void exh_evtx_read_chunk(const uint8_t *chunk, size_t n, uint32_t index, uint64_t file_offset,
                         const struct exh_evtx_cb *cb, struct exh_evtx_stats *st)
{
    if (n < CHUNK_HEADER || memcmp(chunk, "ElfChnk", 8) != 0)
        return;
    struct exh_evtx_reader *rd = exh_evtx_reader_new();
    chunk_records(&rd->w, chunk, n > EXH_EVTX_CHUNK ? EXH_EVTX_CHUNK : n, index, file_offset, cb,
                  st);
    exh_evtx_reader_free(rd);
}

bool exh_evtx_open(const uint8_t *p, size_t n, const struct exh_evtx_cb *cb,
                   struct exh_evtx_stats *st, size_t *nslots)
{
    memset(st, 0, sizeof(*st));
    *nslots = 0;
    if (n < 128 || !exh_evtx_sniff(p, n)) {
        st->errors++;
        if (cb->problem)
            cb->problem(cb->ud, EXH_EVTX_BAD_HEADER, 0, 0, "not an .evtx file (no ElfFile header)");
        return false;
    }
    if (!(exh_rd32(p + 120) & 4) && exh_crc32(p, 120) != exh_rd32(p + 124)) {
        st->crc_mismatches++;
        if (cb->problem)
            cb->problem(cb->ud, EXH_EVTX_BAD_HEADER, 0, 0, "file header CRC mismatch");
    }
    /* every chunk slot the file size allows: the header's count may be stale */
    if (n >= FILE_HEADER + CHUNK_HEADER)
        *nslots = (n - FILE_HEADER - CHUNK_HEADER) / EXH_EVTX_CHUNK + 1;
    return true;
}

int exh_evtx_read_slot(struct exh_evtx_reader *rd, const uint8_t *p, size_t n, size_t index,
                       const struct exh_evtx_cb *cb, struct exh_evtx_stats *st)
{
    size_t off = FILE_HEADER + index * (size_t)EXH_EVTX_CHUNK;
    if (off + CHUNK_HEADER > n)
        return 0;
    const uint8_t *c = p + off;
    size_t cn = n - off < EXH_EVTX_CHUNK ? n - off : EXH_EVTX_CHUNK;
    if (memcmp(c, "ElfChnk", 8) != 0) {
        bool zero = true;
        for (size_t i = 0; i < 512 && zero; i++)
            zero = c[i] == 0;
        if (!zero) {
            st->errors++;
            if (cb->problem)
                cb->problem(cb->ud, EXH_EVTX_BAD_CHUNK, (uint32_t)index, off,
                            "chunk without the ElfChnk signature");
        }
        return 0;
    }
    st->chunks++;
    return chunk_records(&rd->w, c, cn, (uint32_t)index, off, cb, st);
}

void exh_evtx_stats_add(struct exh_evtx_stats *to, const struct exh_evtx_stats *from)
{
    to->records += from->records;
    to->errors += from->errors;
    to->chunks += from->chunks;
    to->crc_mismatches += from->crc_mismatches;
}

void exh_evtx_read(const uint8_t *p, size_t n, const struct exh_evtx_cb *cb,
                   struct exh_evtx_stats *st)
{
    size_t nslots;
    if (!exh_evtx_open(p, n, cb, st, &nslots))
        return;
    struct exh_evtx_reader *rd = exh_evtx_reader_new();
    for (size_t i = 0; i < nslots; i++)
        if (exh_evtx_read_slot(rd, p, n, i, cb, st))
            break;
    exh_evtx_reader_free(rd);
}
