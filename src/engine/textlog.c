/* textlog.c: the text-log reader loop: the header block, the multi-literal
 * pre-filter over the body, the selected lines split into rows for the line
 * detectors, and the first and last lines for coverage, build and host. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/match.h"
#include "exh/os.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

/* While a large file is read, pages behind the read position are handed
 * back every DROP_BYTES, so memory does not grow with the file. */
#define DROP_BYTES ((size_t)16 << 20)
/* How much of a file's start is read as its header block, and how much of
 * its first and last lines are looked at for coverage: the same for a whole
 * read and for every piece, so no piece reads more than this of what is not
 * its own, whatever the file holds. */
#define PROLOGUE_MAX ((size_t)1 << 20)
#define ENDS_MAX ((size_t)1 << 20)

/* A new, zeroed observation at the end of w's list. */
struct exh_fileobs *eng_push_obs(struct worker *w)
{
    if (w->nobs == w->capobs) {
        w->capobs = w->capobs ? w->capobs * 2 : 32;
        w->obs = exh_xrealloc(w->obs, w->capobs * sizeof(*w->obs));
    }
    struct exh_fileobs *o = &w->obs[w->nobs++];
    memset(o, 0, sizeof(*o));
    return o;
}

struct exh_fileobs *eng_new_obs(struct worker *w, const struct exh_file *f)
{
    struct exh_fileobs *o = eng_push_obs(w);
    o->rel = exh_xstrdup(f->rel);
    o->bytes = f->n;
    return o;
}

/* Letters, digits, '.', '_' and '-' only: a value from the log that is safe
 * to use as a label. */
static bool plain_word(struct exh_str s)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* The Protocol column of a file's first data line, copied (a label is
 * shorter than 32 bytes). */
struct protocol {
    char s[32];
    size_t n;
};

static char *source_label(const struct exh_file *f, struct exh_str protocol)
{
    struct exh_buf b = {0};
    size_t n;
    const char *sub;
    switch (f->family) {
    case EXH_FAM_HTTPPROXY:
        exh_buf_adds(&b, "HttpProxy");
        sub = exh_path_after(f->path, "HttpProxy", &n);
        if (sub) {
            exh_buf_addc(&b, '/');
            exh_buf_add(&b, sub, n);
        } else if (protocol.n && protocol.n < 32 && plain_word(protocol)) {
            exh_buf_addc(&b, '/');
            exh_buf_add(&b, protocol.p, protocol.n);
        }
        break;
    case EXH_FAM_ECP:
        exh_buf_adds(&b, "ECP Server");
        break;
    case EXH_FAM_OAB:
        exh_buf_adds(&b, "OABGeneratorLog");
        break;
    case EXH_FAM_RPS:
        exh_buf_adds(&b, "Rps_Http");
        break;
    case EXH_FAM_W3C:
        exh_buf_adds(&b, "IIS");
        sub = exh_path_parent(f->path, &n);
        if (n && exh_starts_ci(exh_str_make(sub, n), "W3SVC")) {
            exh_buf_addc(&b, '/');
            exh_buf_add(&b, sub, n);
        } else if (strrchr(f->rel, '!')) {
            /* a log inside an archive kept in the site's folder
             * (W3SVC1/u_ex210303.zip!u_ex210303.log): the folder holding it */
            char *head = exh_xstrndup(f->rel, (size_t)(strrchr(f->rel, '!') - f->rel));
            for (char *c = head; *c; c++)
                if (*c == '!')
                    *c = '/';
            sub = exh_path_parent(head, &n);
            if (n && exh_starts_ci(exh_str_make(sub, n), "W3SVC")) {
                exh_buf_addc(&b, '/');
                exh_buf_add(&b, sub, n);
            }
            free(head);
        }
        break;
    default:
        exh_buf_adds(&b, "Exchange (other logs)");
        break;
    }
    return exh_buf_detach(&b);
}

/* Time of a line: the row's time column, else a timestamp at the start of
 * the line (the first CSV field, or W3C's "date time"). */
static bool line_time(struct worker *w, const struct exh_file *f, struct exh_str line,
                      struct exh_exlog_row *row, int64_t *ts)
{
    struct exh_str tv = row ? exh_exlog_row_col(row, EXH_COL_TIME) : EXH_STR_NULL;
    if (tv.n)
        return exh_time_parse(tv.p, tv.n, ts);
    struct exh_str tm = row ? exh_exlog_row_col(row, EXH_COL_TIME_OF_DAY) : EXH_STR_NULL;
    struct exh_str dt = tm.n ? exh_exlog_row_col(row, EXH_COL_DATE) : EXH_STR_NULL;
    if (tm.n && (dt.n || (f->family == EXH_FAM_W3C && w->w3c_daten))) {
        if (!dt.n) {
            dt = exh_str_make(w->w3c_date, w->w3c_daten);
            if (w->track && !w->piece->saw_date)
                w->piece->used_date_early = true; /* the date the piece assumed */
        }
        char b[48];
        if (dt.n + tm.n + 2 > sizeof(b))
            return false;
        memcpy(b, dt.p, dt.n);
        b[dt.n] = 'T';
        memcpy(b + dt.n + 1, tm.p, tm.n);
        b[dt.n + 1 + tm.n] = 'Z'; /* W3C times are UTC */
        return exh_time_parse(b, dt.n + tm.n + 2, ts);
    }
    if (f->family == EXH_FAM_W3C)
        return line.n >= 19 && exh_time_parse(line.p, 19, ts);
    size_t k = 0;
    while (k < line.n && k < 40 && line.p[k] != ',')
        k++;
    return exh_time_parse(line.p, k, ts);
}

static bool header_from_line(struct worker *w, struct exh_str line)
{
    /* the layout's text, as the pieces compare it: without a CR (the lines
     * the pre-filter selects keep theirs, the header block's do not) */
    size_t tn = line.n;
    while (tn && line.p[tn - 1] == '\r')
        tn--;
    exh_buf_reset(&w->hdr_txt);
    exh_buf_add(&w->hdr_txt, line.p, tn);
    if (w->track)
        w->piece->saw_fields = true;
    return exh_exlog_header_parse(&w->hdr, line.p, line.n);
}

/* Parse one data line; returns the row or NULL. Notices repeated headers. */
static struct exh_exlog_row *parse_row(struct worker *w, struct exh_str line, bool *was_header)
{
    *was_header = false;
    if (!w->hdr.nfields)
        return NULL;
    exh_exlog_row_begin(&w->hdr, line.p, line.n, &w->row);
    struct exh_str t = exh_trim(exh_exlog_row_col(&w->row, EXH_COL_TIME));
    if (t.n && (exh_eq_ci(t, "DateTime") || exh_eq_ci(t, "TimeStamp"))) {
        header_from_line(w, line);
        *was_header = true;
        return NULL;
    }
    return &w->row;
}

static void observe_row(struct exh_fileobs *o, struct exh_exlog_row *row, bool has_ts, int64_t ts,
                        uint64_t lineno, enum exh_family fam)
{
    if (has_ts) {
        if (!o->has_time || ts < o->first_ms)
            o->first_ms = ts;
        if (!o->has_time || ts > o->last_ms)
            o->last_ms = ts;
        o->has_time = true;
    }
    if (!row)
        return;
    struct exh_build b;
    if ((fam == EXH_FAM_HTTPPROXY || fam == EXH_FAM_RPS) && exh_build_from_row(row, &b) &&
        (!o->has_build || exh_build_cmp(&b, &o->build) > 0)) {
        o->build = b;
        o->has_build = true;
        o->build_line = lineno;
    }
    struct exh_str server = o->host ? EXH_STR_NULL : exh_exlog_row_col(row, EXH_COL_SERVER);
    if (server.n && server.n < 256)
        o->host = exh_xstrndup(server.p, server.n);
}

/* Observe one data line; false when it was a repeated header (look further). */
static bool observe_line(struct worker *w, const struct exh_file *f, struct exh_fileobs *o,
                         struct exh_str line, uint64_t lineno, struct protocol *protocol)
{
    bool hdr;
    struct exh_exlog_row *row = parse_row(w, line, &hdr);
    if (hdr)
        return false;
    int64_t ts;
    bool ok = line_time(w, f, line, row, &ts);
    observe_row(o, row, ok, ts, lineno, f->family);
    struct exh_str p = protocol && row ? exh_exlog_row_col(row, EXH_COL_PROTOCOL) : EXH_STR_NULL;
    if (p.n) { /* copied: the row's slices go with the next line read */
        protocol->n = p.n < sizeof(protocol->s) ? p.n : 0; /* a longer one is no label */
        memcpy(protocol->s, p.p, protocol->n);
    }
    return true;
}

/* Keep the date part (YYYY-MM-DD) of a W3C "#Date: 2021-03-02 00:00:01". */
static void set_w3c_date(struct worker *w, struct exh_str v)
{
    if (w->track)
        w->piece->saw_date = true;
    v = exh_trim(v);
    w->w3c_daten = 0;
    if (v.n >= 10 && v.p[4] == '-' && v.p[7] == '-') {
        memcpy(w->w3c_date, v.p, 10);
        w->w3c_daten = 10;
    }
}

/* Pages of the file behind [lo, hi) may go (scans of memory have no map). */
static void map_done(struct worker *w, size_t lo, size_t hi)
{
    if (w->map)
        exh_os_map_done(w->map, lo, hi);
}

/* How far back the search for a W3C #Date: went, over all the calls for
 * one file: [lo, the first end) is searched; at, when found, is just after
 * the lowest "#Date:" met. */
struct date_scan {
    size_t lo;
    bool found;
    size_t at;
};

/* The #Date: of the header block that holds offset end (searching back):
 * each byte is looked at once over all the calls for one file, the last
 * lines are asked about in descending order, and the pages behind are
 * handed back as the search goes. */
static void w3c_date_before(struct worker *w, const char *d, size_t start, size_t end,
                            struct date_scan *ds)
{
    static const char key[] = "\n#Date:";
    const size_t kn = sizeof(key) - 1;
    size_t i = end < ds->lo ? end : ds->lo;
    if (!ds->found || ds->at > end) {
        ds->found = false;
        size_t drop_hi = i;
        for (; i > start + kn - 1; i--) {
            if (d[i - 1] == ':' && i >= kn && !memcmp(d + i - kn, key, kn)) {
                ds->found = true;
                ds->at = i;
                break;
            }
            if (drop_hi - i >= DROP_BYTES) {
                map_done(w, i, drop_hi);
                drop_hi = i;
            }
        }
        ds->lo = i;
    }
    if (!ds->found)
        return;
    size_t e = ds->at;
    while (e < end && d[e] != '\n' && e - ds->at < 40)
        e++;
    set_w3c_date(w, exh_str_make(d + ds->at, e - ds->at));
}

/* First and last data lines: coverage, build, host. Each is looked for
 * within ENDS_MAX bytes of its end of the body (and among 64 lines): a file
 * that starts or ends with megabytes of blank lines or one giant line costs
 * no more, and the coverage then rests on the lines found. */
static void observe_ends(struct worker *w, const struct exh_file *f, struct exh_fileobs *o,
                         const struct exh_exlog_prologue *pro, struct protocol *protocol)
{
    const char *d = (const char *)f->data;
    size_t body = pro->body < f->n ? pro->body : f->n;
    size_t head = f->n - body > ENDS_MAX ? body + ENDS_MAX : f->n;
    struct exh_lines it;
    exh_lines_init(&it, d, head, body, pro->body_line);
    struct exh_str line;
    size_t off;
    int tries = 0;
    while (tries++ < 64 && exh_lines_next(&it, &line, &off)) {
        if (line.n && line.p[0] != '#' && observe_line(w, f, o, line, it.lineno, protocol))
            break;
    }
    /* the last data line, searching back over trailing comments/blank lines */
    size_t end = f->n;
    size_t floor = f->n - body > ENDS_MAX ? f->n - ENDS_MAX : body;
    struct date_scan ds = {SIZE_MAX, false, 0};
    for (int k = 0; k < 64 && end > floor; k++) {
        while (end > floor && (d[end - 1] == '\n' || d[end - 1] == '\r'))
            end--;
        if (end <= floor)
            break;
        size_t s = end;
        while (s > floor && d[s - 1] != '\n')
            s--;
        if (s == floor && s > body && d[s - 1] != '\n')
            break; /* the line starts before what is looked at */
        struct exh_str l = exh_str_make(d + s, end - s);
        end = s;
        if (l.n && l.p[0] != '#' && f->family == EXH_FAM_W3C && w->hdr.nfields &&
            w->hdr.field_of_col[EXH_COL_DATE] < 0)
            w3c_date_before(w, d, body > 0 ? body - 1 : 0, s, &ds);
        /* line number unknown here without counting: 0 */
        if (l.n && l.p[0] != '#' && observe_line(w, f, o, l, 0, NULL))
            break;
    }
}

/* The file's header block, read within its first PROLOGUE_MAX bytes (cut
 * at a line end): a whole read and every piece see the same block. One that
 * runs on past that (megabytes of comments or blank lines: hostile) ends
 * there for the reader; what follows is read as body lines, where a
 * #Fields: or #Date: line still takes effect. */
static void read_prologue(const char *d, size_t n, struct exh_exlog_prologue *pro)
{
    size_t view = n;
    if (n > PROLOGUE_MAX) {
        view = PROLOGUE_MAX;
        while (view > 0 && d[view - 1] != '\n')
            view--;
    }
    exh_exlog_prologue_read((const uint8_t *)d, view, pro);
    if (view == 0 && n > 0) { /* a first line longer than the view: no header block */
        memset(pro, 0, sizeof(*pro));
        pro->body = n >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3) ? 3 : 0;
        pro->body_line = 1;
    }
}

/* Each worker takes 2^40 serials: a trillion lines before two could meet. */
void eng_worker_serials(struct worker *w)
{
    static atomic_uint_fast64_t ranges;
    w->serial = (uint64_t)atomic_fetch_add(&ranges, 1) << 40;
}

/* One selected line: a header change, a comment, or a row for the detectors. */
static void process_line(struct worker *w, const struct exh_file *f, struct exh_str line,
                         uint64_t lineno, size_t offset)
{
    struct engine *e = w->e;
    if (!line.n)
        return;
    if (line.p[0] == '#') {
        if (exh_starts_ci(line, "#Fields:") && !header_from_line(w, line))
            exh_exlog_header_release(&w->hdr); /* a layout we cannot read */
        else if (f->family == EXH_FAM_W3C && exh_starts_ci(line, "#Date:"))
            set_w3c_date(w, exh_str_make(line.p + 6, line.n - 6));
        return;
    }
    bool hdr;
    struct exh_exlog_row *row = parse_row(w, line, &hdr);
    if (hdr)
        return;
    struct exh_logrec rec;
    rec.file = f;
    rec.line = line;
    rec.lineno = lineno;
    rec.offset = offset;
    rec.row = row;
    rec.has_ts = line_time(w, f, line, row, &rec.ts_ms);
    rec.serial = ++w->serial;
    for (size_t k = 0; k < e->nline_dets[f->family]; k++)
        e->line_dets[f->family][k]->on_line(w->em, &rec);
}

/* The start of the first line that begins at or after pos (body: the
 * first data byte; n when there is none). */
static size_t line_start_at(const char *d, size_t n, size_t pos, size_t body)
{
    if (pos <= body)
        return body;
    if (pos >= n)
        return n;
    const char *q = memchr(d + pos - 1, '\n', n - (pos - 1));
    return q ? (size_t)(q - d) + 1 : n;
}

/* A piece's view of the layout and the W3C block date (at its start or end). */
static void keep_state(const struct worker *w, struct exh_buf *fields, char date[16], size_t *daten)
{
    exh_buf_reset(fields);
    exh_buf_add(fields, w->hdr_txt.p ? w->hdr_txt.p : "", w->hdr_txt.n);
    memcpy(date, w->w3c_date, w->w3c_daten);
    *daten = w->w3c_daten;
}

/* The first line start in [lo, hi) (0 < lo), or SIZE_MAX: a piece looks for
 * its first line only in its own range, so that pieces inside one giant
 * line cost no more than their own bytes. */
static size_t first_line_in(const char *d, size_t lo, size_t hi)
{
    if (lo >= hi)
        return SIZE_MAX;
    const char *q = memchr(d + lo - 1, '\n', hi - lo);
    return q ? (size_t)(q - d) + 1 : SIZE_MAX;
}

/* The layout and W3C date the file's header block gives. */
static void start_layout(struct worker *w, const struct exh_file *f,
                         const struct exh_exlog_prologue *pro)
{
    if (pro->fields.n)
        header_from_line(w, pro->fields);
    if (!w->hdr.nfields && pro->plain_header.n && f->family != EXH_FAM_W3C)
        header_from_line(w, pro->plain_header);
    w->w3c_daten = 0;
    if (f->family == EXH_FAM_W3C && pro->date.n)
        set_w3c_date(w, pro->date);
}

/* Read a text log, or one piece of it (w->piece: lines numbered from 1 at
 * the piece's first line; the merge makes them file-wide). */
void eng_scan_log(struct worker *w, struct exh_file *f)
{
    struct engine *e = w->e;
    const char *d = (const char *)f->data;
    bool whole = !w->piece || w->piece_index == 0;
    /* a piece reads no further than the size the walk saw (a live log may grow) */
    size_t n = w->piece && w->split_size < f->n ? (size_t)w->split_size : f->n;
    size_t lo = 0, hi = n;
    if (w->piece) {
        uint64_t l = (uint64_t)w->piece_index * e->piece_bytes;
        lo = l < n ? (size_t)l : n;
        hi = w->piece_index + 1 < w->npieces && l + e->piece_bytes < n
                 ? (size_t)(l + e->piece_bytes)
                 : n;
    }
    struct exh_exlog_prologue pro;
    read_prologue(d, n, &pro);
    exh_exlog_header_release(&w->hdr);
    exh_buf_reset(&w->hdr_txt);
    struct exh_fileobs *o = NULL;
    if (whole) {
        start_layout(w, f, &pro);
        o = eng_new_obs(w, f);
        struct exh_build vb;
        if ((f->family == EXH_FAM_HTTPPROXY || f->family == EXH_FAM_RPS) && pro.version.n &&
            exh_build_parse(pro.version.p, pro.version.n, &vb)) {
            o->build = vb;
            o->has_build = true;
            o->build_line = 0;
        }
        struct protocol protocol = {{0}, 0};
        observe_ends(w, f, o, &pro, &protocol);
        o->source = source_label(f, exh_str_make(protocol.s, protocol.n));
        exh_exlog_header_release(&w->hdr); /* observe_ends may have met a later header */
        exh_buf_reset(&w->hdr_txt);
    }
    /* the layout the file starts with: the same for every piece */
    start_layout(w, f, &pro);

    /* the byte range: the whole body, or this piece's lines: from its first
     * line start to the first line start after its range */
    size_t start = pro.body, end = f->n;
    uint64_t lineno = pro.body_line;
    if (w->piece) {
        /* the lines that start in [lo, hi) and in the body; numbered from 1
         * (the merge makes the numbers file-wide) */
        struct piece *pc = w->piece;
        pc->is_log = true;
        pc->body_line = pro.body_line;
        size_t from = lo > pro.body ? lo : pro.body;
        if (from >= hi) {
            pc->empty = true;
            return;
        }
        start = from == pro.body ? pro.body : first_line_in(d, from, hi);
        lineno = 1;
        if (start == SIZE_MAX) {
            pc->empty = true;
            return;
        }
        end = hi >= n ? n : line_start_at(d, n, hi, pro.body);
        if (end <= start) {
            pc->empty = true;
            return;
        }
        keep_state(w, &pc->fields_in, pc->date_in, &pc->date_in_n);
        w->track = true;
    }
    uint64_t line0 = lineno;
    size_t dropped = start;

    size_t ndet = e->nline_dets[f->family];
    if (e->all_lines[f->family] && ndet) {
        /* every line matters (small logs such as Rps_Http) */
        struct exh_lines it;
        exh_lines_init(&it, d, end, start, lineno);
        struct exh_str line;
        size_t off;
        while (exh_lines_next(&it, &line, &off)) {
            process_line(w, f, line, it.lineno, off);
            w->records++;
            if (off - dropped >= DROP_BYTES) {
                map_done(w, dropped, off);
                dropped = off;
            }
        }
        if (w->piece)
            w->piece->lfs = exh_count_lf(d + start, end - start);
    } else {
        const struct exh_matcher *m = e->matcher[f->family];
        /* lineno is the number of the line that starts at cur; pend counts
         * the line ends in [cur, pos) (the selected line's own, when it ends
         * in '\n' rather than "\r\n"). The matcher counts the line ends it
         * passes over, so no byte is looked at twice for line numbers. */
        size_t pos = start, cur = start, wend = start;
        uint64_t pend = 0;
        while (m && ndet && pos < end) {
            /* search DROP_BYTES (to a line start) at a time, so that pages
             * are handed back even where no line is selected; the window ends
             * at a line start, which no literal crosses */
            if (pos >= wend)
                wend = end - pos > DROP_BYTES ? line_start_at(d, end, pos + DROP_BYTES, 0) : end;
            int id;
            uint64_t nl;
            size_t hit = exh_matcher_next_lf(m, f->data, wend, pos, &id, &nl);
            if (hit >= wend) {
                lineno += pend + nl;
                pend = 0;
                cur = pos = wend;
                if (wend - dropped >= DROP_BYTES) {
                    map_done(w, dropped, wend);
                    dropped = wend;
                }
                continue;
            }
            size_t ls, le;
            EXH_BUG_ON(hit < pos); /* the matcher finds matches at or after pos */
            /* the line around the hit, looked for no further back than cur
             * (the line read last, or the body's start: its first line
             * starts after a BOM) */
            exh_line_around(d + cur, end - cur, hit - cur, &ls, &le);
            ls += cur;
            le += cur;
            /* no line end lies in [ls, hit): the line ends before cur..ls */
            lineno += pend + nl;
            cur = ls;
            pos = le + 1;
            pend = le < end && d[le] == '\n';
            process_line(w, f, exh_str_make(d + ls, le - ls), lineno, ls);
            if (ls - dropped >= DROP_BYTES) {
                map_done(w, dropped, ls);
                dropped = ls;
            }
        }
        uint64_t lfs = (lineno - line0) + exh_count_lf(d + cur, end - cur);
        if (start < end)
            w->records += lfs + (end == n && d[n - 1] != '\n' ? 1 : 0);
        if (w->piece)
            w->piece->lfs = lfs;
    }
    if (w->piece) {
        w->track = false;
        keep_state(w, &w->piece->fields_out, w->piece->date_out, &w->piece->date_out_n);
    }
    map_done(w, dropped, end);
}
