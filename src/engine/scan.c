/* scan.c: walk -> classify -> read -> detect, on a pool of worker threads.
 *
 * The main thread walks the PATHs and builds the job list (largest files
 * first), then workers take jobs with an atomic counter; each worker owns its
 * buffers, findings and observations, so the hot path takes no lock. Each
 * log file is mapped once; a multi-literal pre-filter finds the lines worth
 * parsing and only those are split into fields. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "engine.h"
#include "exh/evtx.h"
#include "exh/hash.h"
#include "exh/match.h"
#include "exh/yara.h"
#include "exh/os.h"
#include "exh/pe.h"
#include "exh/mitigation.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

#define MAX_THREADS 64

/* Text logs larger than two pieces are read as pieces of PIECE_BYTES (cut at
 * line starts), each a job of its own, so that one huge file keeps every
 * thread busy. The split depends on the file size only, never on -j, so the
 * output is the same for every -j. */
#define PIECE_BYTES_DEFAULT ((uint64_t)64 << 20)
#define PIECE_BYTES (e->piece_bytes)
/* While a large file is read, pages behind the read position are handed
 * back every DROP_BYTES, so memory does not grow with the file. */
#define DROP_BYTES ((size_t)16 << 20)
/* How much of a file's start is read as its header block, and how much of
 * its first and last lines are looked at for coverage: the same for a whole
 * read and for every piece, so no piece reads more than this of what is not
 * its own, whatever the file holds. */
#define PROLOGUE_MAX ((size_t)1 << 20)
#define ENDS_MAX ((size_t)1 << 20)

/* What one piece of a split file left behind, merged in piece order once
 * every piece is done (line numbers are made file-wide then). */
struct piece {
    struct exh_emitter em;
    struct exh_fileobs obs; /* piece 0 only: the file's coverage and build */
    bool has_obs;
    uint64_t records, bytes, files_read;
    uint64_t lfs;         /* line ends in the piece's byte range */
    bool is_log;          /* the file was read as a text log (else piece 0 read it whole) */
    bool empty;           /* no line starts in the piece's range: it read nothing */
    bool saw_fields;      /* a #Fields: line or a repeated CSV header in the piece */
    bool saw_date;        /* a W3C #Date: line in the piece */
    bool used_date_early; /* a row took its date from #Date: before the piece had one */
    uint64_t body_line; /* the file-wide number of the body's first line (its lines count from 1) */
    /* the layout (the header line's text) and the W3C block date assumed at
     * the piece's start and in effect at its end */
    struct exh_buf fields_in, fields_out;
    char date_in[16], date_out[16];
    size_t date_in_n, date_out_n;
};

struct split {
    uint32_t n;
    uint64_t size; /* the file's size when the walk saw it: pieces read no further */
    struct piece *p;
};

struct job {
    char *path;
    char *rel;
    uint64_t size;
    int64_t mtime_ms;
    struct split *split; /* NULL: the file is one job */
    uint32_t piece;
};

struct engine;

struct worker {
    struct engine *e;
    struct exh_emitter em;
    struct exh_exlog_header hdr;
    struct exh_exlog_row row;
    struct exh_fileobs *obs;
    size_t nobs, capobs;
    /* W3C: the date of the current header block (#Date:), for rows whose
     * #Fields has a time but no date column */
    char w3c_date[16];
    size_t w3c_daten;
    uint64_t records, bytes, files_read;
    atomic_size_t nfound; /* findings so far, for the progress display */
    struct exh_thread *th;
    struct exh_map *map; /* the file being read (for exh_os_map_done) */
    /* the text of the header layout in effect, and (while a piece is read)
     * whether it changed before or after the first row */
    struct exh_buf hdr_txt;
    struct piece *piece; /* the piece being read, or NULL */
    uint32_t piece_index, npieces;
    uint64_t split_size;
    bool track;
};

struct engine {
    const struct exh_scan_opts *o;
    struct exh_iocset *iocs;
    bool own_iocs;
    struct exh_yara *yara;
    char *yara_error; /* the rules did not compile: reported as an error record */
    struct job *jobs;
    size_t njobs, capjobs;
    struct exh_emitter main_em;
    uint64_t seen, skipped, bytes_total;
    struct exh_matcher *matcher[EXH_FAM__COUNT];
    const struct exh_detector **line_dets[EXH_FAM__COUNT]; /* exh_ndetectors each */
    size_t nline_dets[EXH_FAM__COUNT];
    bool all_lines[EXH_FAM__COUNT];
    struct exh_strset pages;                /* URLs of the files found (requests noted for them) */
    struct exh_strset rootset;              /* roots, as compared (lower case on Windows) */
    const struct exh_detector **event_dets; /* exh_ndetectors */
    size_t nevent_dets;
    uint64_t piece_bytes;
    atomic_size_t next;
    atomic_uint_fast64_t done_files, done_bytes;
    atomic_int running;
    /* walk state */
    const char *root_given;
    bool prefix_rel;
    char **roots;
    size_t nroots;
};

/* ---------------------------------------------------------------- walk -- */

/* Note an install folder once (a set: a tree with many of them costs one
 * look-up per file, not a pass over those found). */
static void add_root(struct engine *e, const char *r)
{
    char *key = exh_xstrdup(r);
#ifdef _WIN32
    /* NTFS: the same folder whatever the case of its name */
    for (char *c = key; *c; c++)
        *c = (char)exh_lc((unsigned char)*c);
#endif
    if (!exh_strset_has(&e->rootset, key)) {
        exh_strset_add(&e->rootset, key);
        e->roots = exh_xrealloc(e->roots, (e->nroots + 1) * sizeof(*e->roots));
        e->roots[e->nroots++] = exh_xstrdup(r);
    }
    free(key);
}

/* An Exchange install folder: the path up to ".../V15" above "Logging",
 * "FrontEnd", "ClientAccess" or "Bin". */
static void note_exchange_root(struct engine *e, const char *rel)
{
    static const char *const marks[] = {"/Logging/", "/FrontEnd/", "/ClientAccess/", "/Bin/", NULL};
    for (int i = 0; marks[i]; i++) {
        const char *m = exh_find_ci(rel, strlen(rel), marks[i], strlen(marks[i]));
        if (!m)
            continue;
        size_t n = (size_t)(m - rel);
        if (n >= 3 && exh_lc((unsigned char)rel[n - 3]) == 'v' && rel[n - 2] == '1' &&
            (rel[n - 1] == '5' || rel[n - 1] == '4') && (n == 3 || rel[n - 4] == '/')) {
            char *r = exh_xstrndup(rel, n);
            add_root(e, r);
            free(r);
            return;
        }
    }
}

static char *report_path(struct engine *e, const struct exh_walk_entry *w)
{
    if (!w->rel[0] && !e->prefix_rel) { /* the root is this file: its name */
        return exh_xstrdup(exh_path_base(exh_str_make(w->path, strlen(w->path))).p);
    }
    if (!e->prefix_rel)
        return exh_xstrdup(w->rel);
    struct exh_buf b = {0};
    exh_buf_adds(&b, e->root_given);
    if (w->rel[0]) {
        while (b.n > 1 && b.p[b.n - 1] == '/')
            b.p[--b.n] = '\0';
        exh_buf_addc(&b, '/');
        exh_buf_adds(&b, w->rel);
    }
    return exh_buf_detach(&b);
}

static int on_walk(void *ud, const struct exh_walk_entry *w)
{
    struct engine *e = ud;
    switch (w->kind) {
    case EXH_WALK_ERROR: {
        char *rel = report_path(e, w);
        exh_emit_error(&e->main_em, rel[0] ? rel : e->root_given, w->err, w->sys_msg);
        free(rel);
        return 0;
    }
    case EXH_WALK_SKIP:
        e->skipped++;
        return 0;
    case EXH_WALK_FILE:
        break;
    }
    e->seen++;
    if (w->size == 0) {
        e->skipped++;
        return 0;
    }
    for (size_t k = 0; k < e->o->ncrashed; k++)
        if (!strcmp(e->o->crashed[k], w->path)) {
            char *rel = report_path(e, w);
            bool why = e->o->crashed_why && e->o->crashed_why[k];
            exh_emit_error(&e->main_em, rel, why ? e->o->crashed_code[k] : EXH_ERR_CORRUPT,
                           why ? e->o->crashed_why[k]
                               : "a reader crashed on this file; it was left out and the scan "
                                 "went on without it");
            free(rel);
            return 0;
        }
    if (e->njobs == e->capjobs) {
        e->capjobs = e->capjobs ? e->capjobs * 2 : 256;
        e->jobs = exh_xrealloc(e->jobs, e->capjobs * sizeof(*e->jobs));
    }
    struct job *j = &e->jobs[e->njobs++];
    j->path = exh_xstrdup(w->path);
    j->rel = report_path(e, w);
    j->size = w->size;
    j->mtime_ms = w->mtime_ms;
    j->split = NULL;
    j->piece = 0;
    e->bytes_total += w->size;
    note_exchange_root(e, j->rel);
    char *url = exh_served_url(j->rel);
    if (url)
        exh_strset_add(&e->pages, url);
    free(url);
    if (w->size > 2 * PIECE_BYTES) {
        /* the pieces share the path strings of the first job */
        struct split *s = exh_xcalloc(1, sizeof(*s));
        s->n = (uint32_t)((w->size + PIECE_BYTES - 1) / PIECE_BYTES);
        s->size = w->size;
        s->p = exh_xcalloc(s->n, sizeof(*s->p));
        struct job first = *j;
        first.split = s;
        first.size = PIECE_BYTES;
        e->jobs[e->njobs - 1] = first;
        for (uint32_t k = 1; k < s->n; k++) {
            if (e->njobs == e->capjobs) {
                e->capjobs *= 2;
                e->jobs = exh_xrealloc(e->jobs, e->capjobs * sizeof(*e->jobs));
            }
            struct job pj = first;
            pj.piece = k;
            pj.size = k + 1 < s->n ? PIECE_BYTES : w->size - (uint64_t)k * PIECE_BYTES;
            e->jobs[e->njobs++] = pj;
        }
    }
    return 0;
}

static int cmp_job(const void *a, const void *b)
{
    const struct job *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    int c = strcmp(x->rel, y->rel);
    if (c)
        return c;
    return x->piece < y->piece ? -1 : x->piece > y->piece;
}

/* ----------------------------------------------------------- log files -- */

/* A new, zeroed observation at the end of w's list. */
static struct exh_fileobs *push_obs(struct worker *w)
{
    if (w->nobs == w->capobs) {
        w->capobs = w->capobs ? w->capobs * 2 : 32;
        w->obs = exh_xrealloc(w->obs, w->capobs * sizeof(*w->obs));
    }
    struct exh_fileobs *o = &w->obs[w->nobs++];
    memset(o, 0, sizeof(*o));
    return o;
}

static struct exh_fileobs *new_obs(struct worker *w, const struct exh_file *f)
{
    struct exh_fileobs *o = push_obs(w);
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
                      const struct exh_exlog_row *row, int64_t *ts)
{
    if (row && row->f[EXH_COL_TIME].n)
        return exh_time_parse(row->f[EXH_COL_TIME].p, row->f[EXH_COL_TIME].n, ts);
    if (row && row->f[EXH_COL_TIME_OF_DAY].n &&
        (row->f[EXH_COL_DATE].n || (f->family == EXH_FAM_W3C && w->w3c_daten))) {
        struct exh_str dt = row->f[EXH_COL_DATE], tm = row->f[EXH_COL_TIME_OF_DAY];
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
static const struct exh_exlog_row *parse_row(struct worker *w, struct exh_str line,
                                             bool *was_header)
{
    *was_header = false;
    if (!w->hdr.nfields)
        return NULL;
    exh_exlog_row_parse(&w->hdr, line.p, line.n, &w->row);
    struct exh_str t = exh_trim(w->row.f[EXH_COL_TIME]);
    if (t.n && (exh_eq_ci(t, "DateTime") || exh_eq_ci(t, "TimeStamp"))) {
        header_from_line(w, line);
        *was_header = true;
        return NULL;
    }
    return &w->row;
}

static void observe_row(struct exh_fileobs *o, const struct exh_exlog_row *row, bool has_ts,
                        int64_t ts, uint64_t lineno, enum exh_family fam)
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
    if (!o->host && row->f[EXH_COL_SERVER].n && row->f[EXH_COL_SERVER].n < 256)
        o->host = exh_xstrndup(row->f[EXH_COL_SERVER].p, row->f[EXH_COL_SERVER].n);
}

/* Observe one data line; false when it was a repeated header (look further). */
static bool observe_line(struct worker *w, const struct exh_file *f, struct exh_fileobs *o,
                         struct exh_str line, uint64_t lineno, struct exh_str *protocol)
{
    bool hdr;
    const struct exh_exlog_row *row = parse_row(w, line, &hdr);
    if (hdr)
        return false;
    int64_t ts;
    bool ok = line_time(w, f, line, row, &ts);
    observe_row(o, row, ok, ts, lineno, f->family);
    if (protocol && row && row->f[EXH_COL_PROTOCOL].n)
        *protocol = row->f[EXH_COL_PROTOCOL];
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
                         const struct exh_exlog_prologue *pro, struct exh_str *protocol)
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

/* Line ends in p[0..n): a byte count that the compiler turns into wide
 * compares, so that runs of short (or empty) lines cost no call per line. */
static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k = 0;
    while (n) {
        size_t m = n < 255 * 16 ? n : 255 * 16;
        unsigned char acc[16] = {0};
        size_t i = 0;
        for (; i + 16 <= m; i += 16)
            for (int b = 0; b < 16; b++)
                acc[b] += p[i + b] == '\n';
        for (int b = 0; b < 16; b++)
            k += acc[b];
        for (; i < m; i++)
            k += p[i] == '\n';
        p += m;
        n -= m;
    }
    return k;
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
    const struct exh_exlog_row *row = parse_row(w, line, &hdr);
    if (hdr)
        return;
    struct exh_logrec rec;
    rec.file = f;
    rec.line = line;
    rec.lineno = lineno;
    rec.offset = offset;
    rec.row = row;
    rec.has_ts = line_time(w, f, line, row, &rec.ts_ms);
    for (size_t k = 0; k < e->nline_dets[f->family]; k++)
        e->line_dets[f->family][k]->on_line(&w->em, &rec);
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
static void scan_log(struct worker *w, struct exh_file *f)
{
    struct engine *e = w->e;
    const char *d = (const char *)f->data;
    bool whole = !w->piece || w->piece_index == 0;
    /* a piece reads no further than the size the walk saw (a live log may grow) */
    size_t n = w->piece && w->split_size < f->n ? (size_t)w->split_size : f->n;
    size_t lo = 0, hi = n;
    if (w->piece) {
        uint64_t l = (uint64_t)w->piece_index * PIECE_BYTES;
        lo = l < n ? (size_t)l : n;
        hi = w->piece_index + 1 < w->npieces && l + PIECE_BYTES < n ? (size_t)(l + PIECE_BYTES) : n;
    }
    struct exh_exlog_prologue pro;
    read_prologue(d, n, &pro);
    exh_exlog_header_release(&w->hdr);
    exh_buf_reset(&w->hdr_txt);
    struct exh_fileobs *o = NULL;
    if (whole) {
        start_layout(w, f, &pro);
        o = new_obs(w, f);
        struct exh_build vb;
        if ((f->family == EXH_FAM_HTTPPROXY || f->family == EXH_FAM_RPS) && pro.version.n &&
            exh_build_parse(pro.version.p, pro.version.n, &vb)) {
            o->build = vb;
            o->has_build = true;
            o->build_line = 0;
        }
        struct exh_str protocol = EXH_STR_NULL;
        observe_ends(w, f, o, &pro, &protocol);
        o->source = source_label(f, protocol);
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
            w->piece->lfs = count_lf(d + start, end - start);
    } else {
        const struct exh_matcher *m = e->matcher[f->family];
        size_t pos = start, cur = start;
        while (m && ndet && pos < end) {
            /* search DROP_BYTES (to a line start) at a time, so that pages
             * are handed back even where no line is selected */
            size_t wend = end - pos > DROP_BYTES ? line_start_at(d, end, pos + DROP_BYTES, 0) : end;
            int id;
            size_t hit = exh_matcher_next(m, f->data, wend, pos, &id);
            if (hit >= wend) {
                lineno += count_lf(d + cur, wend - cur);
                cur = pos = wend;
                if (wend - dropped >= DROP_BYTES) {
                    map_done(w, dropped, wend);
                    dropped = wend;
                }
                continue;
            }
            size_t ls, le;
            exh_line_around(d, end, hit, &ls, &le);
            if (ls < cur) /* cannot happen: hits move forward */
                ls = cur;
            lineno += count_lf(d + cur, ls - cur);
            cur = ls;
            pos = le + 1;
            process_line(w, f, exh_str_make(d + ls, le - ls), lineno, ls);
            if (ls - dropped >= DROP_BYTES) {
                map_done(w, dropped, ls);
                dropped = ls;
            }
        }
        uint64_t lfs = (lineno - line0) + count_lf(d + cur, end - cur);
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

/* ------------------------------------------------------------- workers -- */

/* ------------------------------------------------------- event logs -- */

struct evtx_ctx {
    struct worker *w;
    const struct exh_file *f;
    struct exh_fileobs *o;
};

static int on_event_record(void *ud, const struct exh_evtx_record *r)
{
    struct evtx_ctx *x = ud;
    struct engine *e = x->w->e;
    if (r->has_time) {
        if (!x->o->has_time || r->time_ms < x->o->first_ms)
            x->o->first_ms = r->time_ms;
        if (!x->o->has_time || r->time_ms > x->o->last_ms)
            x->o->last_ms = r->time_ms;
        x->o->has_time = true;
    }
    if (!x->o->source && r->channel.n && r->channel.n < 128) {
        struct exh_buf b = {0};
        exh_buf_adds(&b, "EventLog/");
        exh_buf_add(&b, r->channel.p, r->channel.n);
        x->o->source = exh_buf_detach(&b);
    }
    if (!x->o->host && r->computer.n && r->computer.n < 256)
        x->o->host = exh_xstrndup(r->computer.p, r->computer.n);
    x->w->records++;
    struct exh_evrec ev = {x->f, r};
    for (size_t i = 0; i < e->nevent_dets; i++)
        e->event_dets[i]->on_event(&x->w->em, &ev);
    return 0;
}

static void on_event_problem(void *ud, enum exh_evtx_problem what, uint32_t chunk, uint64_t offset,
                             const char *detail)
{
    struct evtx_ctx *x = ud;
    if (what == EXH_EVTX_BAD_CHUNK_CRC)
        return; /* the records are still read; a CRC alone loses no evidence */
    char msg[200];
    snprintf(msg, sizeof(msg), "%s (chunk %u, offset %llu)", detail, chunk,
             (unsigned long long)offset);
    exh_emit_error(&x->w->em, x->f->rel, EXH_ERR_CORRUPT, msg);
}

static void scan_evtx(struct worker *w, struct exh_file *f)
{
    struct exh_fileobs *o = new_obs(w, f);
    struct evtx_ctx x = {w, f, o};
    struct exh_evtx_cb cb = {&x, on_event_record, on_event_problem};
    struct exh_evtx_stats st;
    exh_evtx_read(f->data, f->n, &cb, &st);
    if (!o->source)
        o->source = exh_xstrdup("EventLog");
}

/* Is rel below a folder named like "FrontEnd/HttpProxy/bin" (any case)? */
static bool under_ci(const char *rel, const char *folder)
{
    size_t n = strlen(folder);
    const char *m = exh_find_ci(rel, strlen(rel), folder, n);
    return m && (m == rel || m[-1] == '/') && m[n] == '/';
}

/* Facts about the server that are not evidence of an attack: the version of
 * Exchange's setup and front-end binaries, and the mitigations in force (URL
 * Rewrite rules, the Emergency Mitigation service's log). Each becomes an
 * observation for the exposure judgement (judge.c). */
static void observe_server(struct worker *w, const struct exh_file *f, size_t nobs0)
{
    struct exh_str name = exh_str_make(f->name, strlen(f->name));
    bool setup = exh_eq_ci(name, "ExSetup.exe") && under_ci(f->rel, "Bin");
    bool front = !setup && name.n > 4 && exh_eq_ci(exh_str_make(f->name + name.n - 4, 4), ".dll") &&
                 under_ci(f->rel, "FrontEnd/HttpProxy/bin");
    if (setup || front) {
        struct exh_pe_version v;
        const char *why = NULL;
        int rc = exh_pe_version(f->data, f->n, &v, &why);
        if (rc == EXH_OK && v.has_fixed && v.file[0] == 15) {
            struct exh_fileobs *o = new_obs(w, f);
            o->bin = setup ? EXH_BIN_EXSETUP : EXH_BIN_FRONTEND;
            o->bin_version = (struct exh_build){v.file[0], v.file[1], v.file[2], v.file[3]};
        } else if (setup) {
            /* the build the server runs could not be read: say so (a DLL of the
             * front end without a version is not worth an error) */
            struct exh_buf b = {0};
            exh_buf_addf(&b, "no Exchange file version in ExSetup.exe (%s)",
                         rc == EXH_OK ? "not an Exchange 15 version" : why);
            exh_emit_error(&w->em, f->rel, rc == EXH_OK ? EXH_ERR_CORRUPT : (enum exh_err)rc, b.p);
            exh_buf_release(&b);
        }
        return;
    }
    /* where a mitigation names its file: the path when short, else the name */
    const char *where = strlen(f->rel) < 80 ? f->rel : f->name;
    struct exh_mitigations m;
    memset(&m, 0, sizeof(m));
    if (exh_eq_ci(name, "applicationHost.config") ||
        (exh_eq_ci(name, "web.config") &&
         (under_ci(f->rel, "inetpub/wwwroot") || under_ci(f->rel, "FrontEnd/HttpProxy"))))
        exh_mitigations_from_config((const char *)f->data, f->n, where, &m);
    else if (under_ci(f->rel, "Logging/MitigationService"))
        exh_mitigations_from_emlog((const char *)f->data, f->n, where, &m);
    if (m.blocks) {
        /* a file read as a log too (the mitigation service's) already has its
         * observation: one per file, as the pieces of a split file expect */
        struct exh_fileobs *o = w->nobs > nobs0 ? &w->obs[w->nobs - 1] : new_obs(w, f);
        o->has_mit = true;
        o->mit = m;
    }
}

/* Classify, read and run every detector over one file's bytes. */
static void scan_data(struct worker *w, const struct job *j, const uint8_t *data, size_t n)
{
#ifdef EXH_TEST_CRASH
    /* test-only build (make CRASHTEST=1): a reader that dies on a marked file */
    if (n >= 17 && !memcmp(data, "EXHUNT-TEST-CRASH", 17))
        abort();
#endif
    exh_emitter_new_file(&w->em);
    struct exh_file f;
    memset(&f, 0, sizeof(f));
    f.path = j->path;
    f.rel = j->rel;
    f.name = exh_path_base(exh_str_make(j->path, strlen(j->path))).p;
    f.size = n;
    f.mtime_ms = j->mtime_ms;
    f.data = data;
    f.n = n;
    f.under_programdata = exh_path_has_component(j->path, "ProgramData") ||
                          exh_path_has_component(j->path, "All Users");
    struct exh_class cl;
    exh_classify(j->path, f.name, data, n, &cl);
    if (w->piece && w->piece_index > 0) {
        /* a later piece: only a text log's lines are shared out; any other
         * file was read whole by its first piece */
        if (cl.family != EXH_FAM_NONE && cl.family != EXH_FAM_EVTX) {
            f.family = cl.family;
            scan_log(w, &f);
        }
        return;
    }
    if (cl.family == EXH_FAM_NONE && n && n <= EXH_HASH_MAX) {
        exh_hash_all(data, n, &f.dg);
        f.has_digests = true;
    }
    size_t nobs0 = w->nobs;
    if (cl.family == EXH_FAM_EVTX) {
        f.family = cl.family;
        scan_evtx(w, &f);
    } else if (cl.family != EXH_FAM_NONE) {
        f.family = cl.family;
        scan_log(w, &f);
    } else if (cl.expect_log && cl.binary) {
        exh_emit_error(&w->em, j->rel, EXH_ERR_NOT_LOG, NULL);
    }
    observe_server(w, &f, nobs0); /* binaries, configuration, the mitigation service's log */
    for (size_t i = 0; i < exh_ndetectors; i++)
        if (exh_detectors[i].on_file)
            exh_detectors[i].on_file(&w->em, &f);
    w->files_read++;
    w->bytes += n;
}

static void scan_job(struct worker *w, const struct job *j)
{
    struct exh_map m;
    const char *sys = NULL;
    enum exh_err err = exh_os_map(j->path, &m, &sys);
    if (err != EXH_OK) {
        exh_emit_error(&w->em, j->rel, err, sys);
        return;
    }
    exh_os_map_sequential(&m);
    w->map = &m;
    scan_data(w, j, m.p, m.n);
    w->map = NULL;
    if (exh_os_unmap(&m)) /* cut shorter while read: the rest read as zeros */
        exh_emit_error(&w->em, j->rel, EXH_ERR_CHANGED,
                       "it shrank while it was read (rotated or truncated); the bytes after "
                       "the cut were not read");
}

/* One piece of a split file: its findings, errors, counts and (piece 0) the
 * file's observations are kept apart in the piece, for the merge. */
static void scan_piece(struct worker *w, const struct job *j)
{
    struct engine *e = w->e;
    struct piece *pc = &j->split->p[j->piece];
    struct exh_emitter saved = w->em;
    exh_emitter_init(&w->em, e->o, e->iocs, e->yara);
    w->em.pages = &e->pages;
    size_t nobs0 = w->nobs;
    uint64_t rec0 = w->records, bytes0 = w->bytes, files0 = w->files_read;
    w->piece = pc;
    w->piece_index = j->piece;
    w->npieces = j->split->n;
    w->split_size = j->split->size;
    scan_job(w, j);
    w->piece = NULL;
    w->track = false;
    pc->em = w->em;
    w->em = saved;
    if (w->nobs > nobs0) { /* at most one: the file's */
        pc->obs = w->obs[nobs0];
        pc->has_obs = true;
        w->nobs = nobs0;
    }
    pc->records = w->records - rec0;
    pc->bytes = w->bytes - bytes0;
    pc->files_read = w->files_read - files0;
    w->records = rec0;
    w->bytes = bytes0;
    w->files_read = files0;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct engine *e = w->e;
    for (;;) {
        size_t i = atomic_fetch_add(&e->next, 1);
        if (i >= e->njobs)
            break;
        if (e->o->on_file)
            e->o->on_file(e->o->on_file_ud, e->jobs[i].path, false);
        if (e->jobs[i].split)
            scan_piece(w, &e->jobs[i]);
        else
            scan_job(w, &e->jobs[i]);
        if (e->o->on_file)
            e->o->on_file(e->o->on_file_ud, e->jobs[i].path, true);
        atomic_store(&w->nfound, w->em.n);
        atomic_fetch_add(&e->done_files, 1);
        atomic_fetch_add(&e->done_bytes, e->jobs[i].size);
    }
    atomic_fetch_sub(&e->running, 1);
    return NULL;
}

/* --------------------------------------------------------------- setup -- */

static void add_needle(const char ***v, size_t *n, size_t *cap, const char *s)
{
    if (strlen(s) < 4)
        return; /* too short to pre-filter on */
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = exh_xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = s;
}

/* The literals the pre-filter looks for in one family's logs. */
static void family_needles(const struct engine *e, int fam, const char ***needles, size_t *nn,
                           size_t *cap)
{
    for (size_t i = 0; i < exh_ndetectors; i++) {
        const struct exh_detector *d = &exh_detectors[i];
        if (!(d->inputs & (1u << fam)) || !d->on_line)
            continue;
        for (size_t k = 0; d->needles && d->needles[k]; k++)
            add_needle(needles, nn, cap, d->needles[k]);
        if (d->ioc_needles) {
            for (size_t k = 0; k < exh_iocset_nips(e->iocs); k++)
                add_needle(needles, nn, cap, exh_iocset_ip(e->iocs, k, NULL));
            for (size_t k = 0; k < exh_iocset_nuas(e->iocs); k++) {
                const char *plus, *ua = exh_iocset_ua(e->iocs, k, &plus, NULL, NULL);
                add_needle(needles, nn, cap, ua);
                if (strcmp(plus, ua) != 0)
                    add_needle(needles, nn, cap, plus);
            }
        }
    }
    /* #Fields: lines are selected too, so header changes are seen; and
     * W3C's #Date:, the date of rows whose fields have none */
    add_needle(needles, nn, cap, "#fields:");
    if (fam == EXH_FAM_W3C)
        add_needle(needles, nn, cap, "#date:");
}

static void build_matchers(struct engine *e)
{
    /* as many as the table has (a fixed 32 once left the rest out) */
    e->event_dets = exh_xcalloc(exh_ndetectors + 1, sizeof(*e->event_dets));
    for (size_t i = 0; i < exh_ndetectors; i++)
        if (exh_detectors[i].on_event)
            e->event_dets[e->nevent_dets++] = &exh_detectors[i];
    for (int fam = 1; fam < EXH_FAM__COUNT; fam++) {
        e->line_dets[fam] = exh_xcalloc(exh_ndetectors + 1, sizeof(*e->line_dets[fam]));
        for (size_t i = 0; i < exh_ndetectors; i++) {
            const struct exh_detector *d = &exh_detectors[i];
            if (!(d->inputs & (1u << fam)) || !d->on_line)
                continue;
            e->line_dets[fam][e->nline_dets[fam]++] = d;
            e->all_lines[fam] |= d->all_lines;
        }
        const char **needles = NULL;
        size_t nn = 0, cap = 0;
        family_needles(e, fam, &needles, &nn, &cap);
        e->matcher[fam] = exh_matcher_build(needles, NULL, nn);
        free(needles);
    }
}

static void engine_iocs(struct engine *e, const struct exh_scan_opts *o)
{
    if (o->iocs) {
        e->iocs = o->iocs;
    } else {
        e->iocs = exh_iocset_new(true);
        e->own_iocs = true;
    }
    exh_iocset_prepare(e->iocs);
    if (o->nyara_paths) {
        struct exh_buf msg = {0};
        exh_yara_load(o->yara_paths, o->nyara_paths, &e->yara, &msg);
        if (msg.n) /* files that did not load; the others are used */
            e->yara_error = exh_buf_detach(&msg);
        exh_buf_release(&msg);
    }
}

static int cmp_req(const void *a, const void *b)
{
    return strcmp(((const struct exh_reqagg *)a)->stem, ((const struct exh_reqagg *)b)->stem);
}

/* Move an emitter's findings, errors and page requests into dst's, line
 * numbers shifted by base (a piece's numbers made file-wide). An error equal
 * to the one absorbed just before (a file that would not open, once per
 * piece) is dropped. */
static void absorb(struct exh_emitter *dst, struct exh_emitter *src, uint64_t base)
{
    for (size_t k = 0; k < src->n; k++) {
        struct exh_finding *f = &src->f[k];
        if (f->line)
            f->line += base;
        exh_emit_raw(dst, f);
    }
    for (size_t k = 0; k < src->ne; k++) {
        struct exh_error_rec *r = &src->e[k];
        const struct exh_error_rec *last = dst->ne ? &dst->e[dst->ne - 1] : NULL;
        if (last && last->code == r->code && !strcmp(last->path, r->path) &&
            !strcmp(last->message ? last->message : "", r->message ? r->message : "")) {
            free(r->path);
            free(r->message);
            continue;
        }
        if (dst->ne == dst->cape) {
            dst->cape = dst->cape ? dst->cape * 2 : 16;
            dst->e = exh_xrealloc(dst->e, dst->cape * sizeof(*dst->e));
        }
        dst->e[dst->ne++] = *r;
    }
    for (size_t k = 0; k < src->nreq; k++) {
        struct exh_reqagg *r = &src->req[k];
        if (r->has_ex && r->ex.line)
            r->ex.line += base;
        if (dst->nreq == dst->capreq) {
            dst->capreq = dst->capreq ? dst->capreq * 2 : 64;
            dst->req = exh_xrealloc(dst->req, dst->capreq * sizeof(*dst->req));
        }
        dst->req[dst->nreq++] = *r;
    }
    dst->filtered += src->filtered;
    exh_clients_absorb(&dst->clients, &src->clients);
    exh_emitter_release_scratch(src);
    free(src->f);
    free(src->e);
    free(src->req);
    free(src->reqidx);
    memset(src, 0, sizeof(*src));
}

static void discard(struct exh_emitter *em)
{
    for (size_t k = 0; k < em->n; k++)
        exh_finding_release(&em->f[k]);
    for (size_t k = 0; k < em->ne; k++) {
        free(em->e[k].path);
        free(em->e[k].message);
    }
    for (size_t k = 0; k < em->nreq; k++)
        exh_reqagg_release(&em->req[k]);
    exh_emitter_release_scratch(em);
    free(em->f);
    free(em->e);
    free(em->req);
    free(em->reqidx);
    memset(em, 0, sizeof(*em));
}

/* Put a split file back together into worker w: in piece order, lines made
 * file-wide. Each piece read its rows with the layout the file starts with;
 * if a header change in one piece would have changed how a later piece reads
 * its rows (rare: a W3C log restarted with other fields), the pieces are
 * dropped and the file is read again whole. */
static void merge_split(struct worker *w, const struct job *j)
{
    struct split *s = j->split;
    struct piece *p = s->p;
    /* Each piece read its rows with the layout and block date the file
     * starts with. That holds when no earlier piece changed them, or the
     * piece met its own before using them. Pieces that read nothing do not
     * count; a piece that could not be read (or saw another kind of file)
     * makes the file be read whole. */
    bool ok = true;
    const struct piece *ref = NULL; /* the first piece that read lines */
    for (uint32_t k = 0; k < s->n && !ref; k++)
        if (p[k].is_log && !p[k].empty)
            ref = &p[k];
    const struct exh_buf *fields = ref ? &ref->fields_in : NULL;
    const char *date = ref ? ref->date_in : "";
    size_t daten = ref ? ref->date_in_n : 0;
    for (uint32_t k = 0; k < s->n && ok; k++) {
        if (p[k].is_log != p[0].is_log)
            ok = false;
        if (!ok || !p[k].is_log || p[k].empty)
            continue;
        if (fields->n != p[k].fields_in.n ||
            (fields->n && memcmp(fields->p, p[k].fields_in.p, fields->n) != 0))
            ok = false; /* rows were read with a layout an earlier piece had replaced */
        if (p[k].used_date_early &&
            (daten != p[k].date_in_n || memcmp(date, p[k].date_in, daten) != 0))
            ok = false; /* rows took a block date an earlier piece had replaced */
        if (p[k].saw_fields)
            fields = &p[k].fields_out;
        if (p[k].saw_date) {
            date = p[k].date_out;
            daten = p[k].date_out_n;
        }
    }
    if (!ok) {
        for (uint32_t k = 0; k < s->n; k++) {
            discard(&p[k].em);
            if (p[k].has_obs) {
                free(p[k].obs.rel);
                free(p[k].obs.source);
                free(p[k].obs.host);
                p[k].has_obs = false;
            }
        }
        struct job whole = *j;
        whole.split = NULL;
        whole.piece = 0;
        scan_job(w, &whole);
        return;
    }
    /* the file-wide number of the next piece's first line: the body's first
     * line for the first piece that read any */
    uint64_t next_line = p[0].body_line;
    for (uint32_t k = 0; k < s->n; k++) {
        uint64_t base = 0;
        if (p[k].is_log && !p[k].empty) {
            base = next_line - 1;
            next_line += p[k].lfs;
        }
        absorb(&w->em, &p[k].em, base);
        if (p[k].has_obs) {
            *push_obs(w) = p[k].obs;
            p[k].has_obs = false;
        }
        w->records += p[k].records;
        w->bytes += p[k].bytes;
        w->files_read += p[k].files_read;
    }
}

/* Merge the workers' findings, errors and observations, then judge. */
static void finish(struct engine *e, struct worker *ws, int nthreads, struct exh_result *out)
{
    const struct exh_scan_opts *o = e->o;
    /* merge */
    struct exh_emitter *all = &e->main_em;
    for (size_t i = 0; i < e->njobs; i++)
        if (e->jobs[i].split && e->jobs[i].piece == 0)
            merge_split(&ws[0], &e->jobs[i]);
    size_t nobs = 0;
    for (int i = 0; i < nthreads; i++)
        nobs += ws[i].nobs;
    struct exh_fileobs *obs = exh_xcalloc(nobs ? nobs : 1, sizeof(*obs));
    nobs = 0;
    for (int i = 0; i < nthreads; i++) {
        struct worker *w = &ws[i];
        absorb(all, &w->em, 0); /* findings, errors and page requests */
        if (w->nobs)
            memcpy(obs + nobs, w->obs, w->nobs * sizeof(*obs));
        nobs += w->nobs;
        out->sum.records += w->records;
        out->sum.bytes += w->bytes;
        out->sum.files_read += w->files_read;
        free(w->obs);
        exh_exlog_header_release(&w->hdr);
        exh_exlog_row_release(&w->row);
        exh_buf_release(&w->hdr_txt);
    }
    struct exh_reqagg *reqs = all->req;
    size_t nreqs = all->nreq;
    all->req = NULL;
    all->nreq = all->capreq = 0;
    for (size_t i = 0; i < all->ne; i++)
        all->e[i].seq_ = i; /* the order they were met in, file by file */
    out->sum.files_seen = e->seen;
    out->sum.files_skipped = e->skipped;
    out->sum.exchange_roots = e->roots;
    out->sum.nexchange_roots = e->nroots;
    e->roots = NULL;
    e->nroots = 0;
    /* one aggregate per page: sort by stem and fold equal ones */
    if (nreqs)
        qsort(reqs, nreqs, sizeof(*reqs), cmp_req);
    size_t k = 0;
    for (size_t i = 0; i < nreqs; i++) {
        if (k && !strcmp(reqs[k - 1].stem, reqs[i].stem))
            exh_reqagg_merge(&reqs[k - 1], &reqs[i]);
        else
            reqs[k++] = reqs[i];
    }
    nreqs = k;
    exh_judge(o, obs, nobs, reqs, nreqs, all, out);
    for (size_t i = 0; i < nreqs; i++)
        exh_reqagg_release(&reqs[i]);
    free(reqs);
    for (size_t i = 0; i < nobs; i++) {
        free(obs[i].rel);
        free(obs[i].source);
        free(obs[i].host);
    }
    free(obs);
}

static void engine_free(struct engine *e)
{
    for (size_t i = 0; i < e->njobs; i++) {
        struct job *j = &e->jobs[i];
        if (j->piece)
            continue; /* shares the first piece's strings */
        free(j->path);
        free(j->rel);
        if (j->split) {
            for (uint32_t k = 0; k < j->split->n; k++) {
                exh_buf_release(&j->split->p[k].fields_in);
                exh_buf_release(&j->split->p[k].fields_out);
            }
            free(j->split->p);
            free(j->split);
        }
    }
    free(e->jobs);
    for (size_t i = 0; i < e->nroots; i++)
        free(e->roots[i]);
    free(e->roots);
    exh_strset_release(&e->pages);
    exh_strset_release(&e->rootset);
    for (int fam = 0; fam < EXH_FAM__COUNT; fam++) {
        exh_matcher_free(e->matcher[fam]);
        free(e->line_dets[fam]);
    }
    free(e->event_dets);
    if (e->own_iocs)
        exh_iocset_free(e->iocs);
    exh_yara_free(e->yara);
    free(e->yara_error);
    free(e);
}

void exh_scan_opts_init(struct exh_scan_opts *o)
{
    memset(o, 0, sizeof(*o));
}

static int64_t now_ms(const struct exh_scan_opts *o)
{
    return o->frozen_clock ? o->frozen_now_ms : exh_os_now_ms();
}

/* An engine with its indicator set, YARA rules and main emitter. */
static struct engine *engine_new(const struct exh_scan_opts *o)
{
    struct engine *e = exh_xcalloc(1, sizeof(*e));
    e->o = o;
    engine_iocs(e, o);
    exh_emitter_init(&e->main_em, o, e->iocs, e->yara);
    for (char *p = e->yara_error; p && *p;) { /* one error record per line */
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        exh_emit_error(&e->main_em, "--yara", EXH_ERR_USAGE, p);
        p = nl ? nl + 1 : NULL;
    }
    e->piece_bytes = o->piece_bytes ? o->piece_bytes : PIECE_BYTES_DEFAULT;
    return e;
}

/* Is path the folder root or inside it? '/' and '\\' are both separators,
 * and on Windows names compare without case (as NTFS does). */
static bool is_under(const char *path, const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && (root[n - 1] == '/' || root[n - 1] == '\\'))
        n--;
    for (size_t i = 0; i < n; i++) {
        char a = path[i], b = root[i];
        if (!a)
            return false;
        bool sa = a == '/' || a == '\\', sb = b == '/' || b == '\\';
        if (sa && sb)
            continue;
#ifdef _WIN32
        a = (char)exh_lc((unsigned char)a);
        b = (char)exh_lc((unsigned char)b);
#endif
        if (a != b)
            return false;
    }
    return path[n] == '/' || path[n] == '\\' || path[n] == '\0';
}

/* Keep each root once: a root inside a folder root (or the same spelling
 * twice) is read as part of it. The same spelling is found by sorting, so a
 * list of many files costs n log n comparisons and one stat each; only
 * folders can hold another root, so path resolution is tried only against
 * them. The roots keep the order they were given in. */
struct root_ref {
    const char *p;
    size_t i;
};

static int cmp_root_ref(const void *a, const void *b)
{
    const struct root_ref *x = a, *y = b;
    int c = strcmp(x->p, y->p);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* A folder PATH by what it resolves to (exh_os_path_key), for lookups. */
struct dir_key {
    const char *key;
    size_t i;
};

static int cmp_dir_key(const void *a, const void *b)
{
    const struct dir_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The first (lowest PATH index) folder whose key is k[0..n), or NULL. */
static const struct dir_key *find_dir(const struct dir_key *d, size_t nd, const char *k, size_t n)
{
    size_t lo = 0, hi = nd;
    while (lo < hi) { /* the first entry not below k[0..n) */
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(d[mid].key, k, n);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nd && !strncmp(d[lo].key, k, n) && d[lo].key[n] == '\0' ? &d[lo] : NULL;
}

/* Drop the PATHs given twice or inside another folder PATH (the first of a
 * folder given twice stays). Each PATH is resolved once, and each looks up
 * its own ancestors among the folders: n log n, however many PATHs. */
static void dedup_roots(const char **roots, size_t *nroots)
{
    size_t n = *nroots;
    if (n < 2)
        return;
    bool *inner = exh_xcalloc(n, sizeof(*inner));
    struct root_ref *by = exh_xcalloc(n, sizeof(*by));
    for (size_t i = 0; i < n; i++)
        by[i] = (struct root_ref){roots[i], i};
    qsort(by, n, sizeof(*by), cmp_root_ref);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(by[k].p, by[k - 1].p))
            inner[by[k].i] = true; /* the same spelling: the first one stays */
    free(by);
    char **key = exh_xcalloc(n, sizeof(*key));
    struct dir_key *dirs = exh_xcalloc(n, sizeof(*dirs)), *all = exh_xcalloc(n, sizeof(*all));
    size_t ndirs = 0, nall = 0;
    for (size_t i = 0; i < n; i++) {
        if (inner[i] || !(key[i] = exh_os_path_key(roots[i])))
            continue;
        all[nall++] = (struct dir_key){key[i], i};
        if (exh_os_is_dir(roots[i]))
            dirs[ndirs++] = (struct dir_key){key[i], i};
    }
    qsort(dirs, ndirs, sizeof(*dirs), cmp_dir_key);
    qsort(all, nall, sizeof(*all), cmp_dir_key);
    for (size_t i = 0; i < n; i++) {
        const char *k = key[i];
        if (!k)
            continue;
        size_t kn = strlen(k);
        /* the same folder or file given again (another spelling, a link):
         * the first one stays */
        const struct dir_key *same = find_dir(all, nall, k, kn);
        if (same && same->i < i) {
            inner[i] = true;
            continue;
        }
        /* inside a folder PATH: one of its proper ancestors is one ("/" and
         * "C:/" end in '/' themselves) */
        for (size_t e = kn; e-- > 0 && !inner[i];) {
            if (k[e] != '/')
                continue;
            if (find_dir(dirs, ndirs, k, e) || (e + 1 < kn && find_dir(dirs, ndirs, k, e + 1)))
                inner[i] = true;
        }
    }
    size_t keep = 0;
    for (size_t i = 0; i < n; i++)
        if (!inner[i])
            roots[keep++] = roots[i];
    *nroots = keep;
    for (size_t i = 0; i < n; i++)
        free(key[i]);
    free(key);
    free(dirs);
    free(all);
    free(inner);
}

enum exh_err exh_scan(const struct exh_scan_opts *o, struct exh_result *out)
{
    memset(out, 0, sizeof(*out));
    int64_t t0 = o->frozen_clock ? 0 : exh_os_mono_ms();
    out->sum.started_ms = now_ms(o);
    struct engine *e = engine_new(o);

    /* the roots: every PATH, plus --exchange-root unless it is inside one
     * (as many as given: none is left out) */
    size_t nroots = 0;
    const char **roots = exh_xcalloc(o->npaths + 2, sizeof(*roots));
    for (size_t i = 0; i < o->npaths; i++)
        roots[nroots++] = o->paths[i];
    if (o->exchange_root) {
        bool inside = false;
        for (size_t i = 0; i < o->npaths && !inside; i++)
            inside = is_under(o->exchange_root, o->paths[i]);
        if (!inside)
            roots[nroots++] = o->exchange_root;
    }
    dedup_roots(roots, &nroots);
    out->roots = exh_xcalloc(nroots ? nroots : 1, sizeof(*out->roots));
    for (size_t i = 0; i < nroots; i++)
        out->roots[out->nroots++] = exh_xstrdup(roots[i]);
    for (size_t i = 0; i < nroots; i++) {
        e->root_given = roots[i];
        e->prefix_rel = nroots > 1;
        const char *sys = NULL;
        enum exh_err err = exh_os_walk(roots[i], on_walk, e, &sys);
        if (err != EXH_OK)
            exh_emit_error(&e->main_em, roots[i], err, sys);
        if (o->progress) {
            struct exh_progress p = {0};
            p.files_total = e->njobs;
            p.bytes_total = e->bytes_total;
            p.walking = true;
            o->progress(o->progress_ud, &p);
        }
    }
    if (o->exchange_root) {
        /* report the override as a root, relative when it is inside a PATH */
        const char *r = o->exchange_root;
        for (size_t i = 0; i < o->npaths; i++)
            if (is_under(r, o->paths[i]) && nroots == 1) {
                r += strlen(o->paths[i]);
                while (*r == '/' || *r == '\\')
                    r++;
            }
        add_root(e, r[0] ? r : ".");
    }
    free(roots);
    if (e->njobs)
        qsort(e->jobs, e->njobs, sizeof(*e->jobs), cmp_job);
    build_matchers(e);

    int nthreads = o->threads > 0 ? o->threads : exh_os_cpu_count();
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    if ((size_t)nthreads > e->njobs)
        nthreads = e->njobs ? (int)e->njobs : 1;
    struct worker *ws = exh_xcalloc((size_t)nthreads, sizeof(*ws));
    atomic_store(&e->running, nthreads);
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        ws[i].e = e;
        exh_emitter_init(&ws[i].em, o, e->iocs, e->yara);
        ws[i].em.pages = &e->pages;
        exh_exlog_header_init(&ws[i].hdr);
        exh_exlog_row_init(&ws[i].row);
    }
    for (int i = 1; i < nthreads; i++) {
        if (exh_os_thread_start(&ws[i].th, worker_main, &ws[i]) != EXH_OK) {
            atomic_fetch_sub(&e->running, nthreads - i);
            break;
        }
        started++;
    }
    if (o->progress) {
        /* the calling thread reports progress while the workers run, and
         * joins in as a worker only when nobody else could be started */
        if (started == 0) {
            worker_main(&ws[0]);
        } else {
            struct exh_thread *t0th = NULL;
            if (exh_os_thread_start(&t0th, worker_main, &ws[0]) != EXH_OK)
                atomic_fetch_sub(&e->running, 1);
            while (atomic_load(&e->running) > 0) {
                exh_os_sleep_ms(100);
                struct exh_progress p = {0};
                p.files_done = atomic_load(&e->done_files);
                p.files_total = e->njobs;
                p.bytes_done = atomic_load(&e->done_bytes);
                p.bytes_total = e->bytes_total;
                for (int i = 0; i < nthreads; i++)
                    p.findings += atomic_load(&ws[i].nfound);
                o->progress(o->progress_ud, &p);
            }
            if (t0th)
                exh_os_thread_join(t0th);
        }
    } else {
        worker_main(&ws[0]);
    }
    for (int i = 1; i <= started; i++)
        exh_os_thread_join(ws[i].th);

    finish(e, ws, nthreads, out);
    free(ws);
    out->sum.elapsed_ms = o->frozen_clock ? 0 : exh_os_mono_ms() - t0;

    engine_free(e);
    return EXH_OK;
}

enum exh_err exh_scan_memory(const struct exh_scan_opts *o, const char *name, const uint8_t *data,
                             size_t n, struct exh_result *out)
{
    memset(out, 0, sizeof(*out));
    out->sum.started_ms = now_ms(o);
    struct engine *e = engine_new(o);
    build_matchers(e);
    struct worker w;
    memset(&w, 0, sizeof(w));
    w.e = e;
    exh_emitter_init(&w.em, o, e->iocs, e->yara);
    w.em.pages = &e->pages;
    char *url = exh_served_url(name);
    if (url)
        exh_strset_add(&e->pages, url);
    free(url);
    exh_exlog_header_init(&w.hdr);
    exh_exlog_row_init(&w.row);
    struct job j = {(char *)name, (char *)name, n, 0, NULL, 0};
    e->seen = 1;
    scan_data(&w, &j, data, n);
    finish(e, &w, 1, out);
    engine_free(e);
    return EXH_OK;
}

void exh_result_release(struct exh_result *r)
{
    for (size_t i = 0; i < r->nfindings; i++)
        exh_finding_release(&r->findings[i]);
    free(r->findings);
    for (size_t i = 0; i < r->nerrors; i++) {
        free(r->errors[i].path);
        free(r->errors[i].message);
    }
    free(r->errors);
    for (size_t i = 0; i < r->sum.ncoverage; i++)
        free(r->sum.coverage[i].source);
    free(r->sum.coverage);
    free(r->sum.host);
    free(r->sum.build_name);
    free(r->sum.build_path);
    for (size_t i = 0; i < r->sum.nproxies; i++)
        free(r->sum.proxies[i]);
    free(r->sum.proxies);
    free(r->sum.build_missing);
    free(r->sum.build_date);
    free(r->sum.build_newest);
    for (size_t i = 0; i < r->sum.nactors; i++) {
        free(r->sum.actors[i].ip);
        free(r->sum.actors[i].rules);
    }
    free(r->sum.actors);
    free(r->sum.scanners);
    for (size_t i = 0; i < r->sum.nexchange_roots; i++)
        free(r->sum.exchange_roots[i]);
    free(r->sum.exchange_roots);
    for (size_t i = 0; i < r->nroots; i++)
        free(r->roots[i]);
    free(r->roots);
    memset(r, 0, sizeof(*r));
}

void exh_scan_literals(const struct exh_scan_opts *o,
                       void (*cb)(void *ud, int family, const char *lit), void *ud)
{
    struct engine *e = engine_new(o);
    for (int fam = 1; fam < EXH_FAM__COUNT; fam++) {
        bool any = false, all = false;
        for (size_t i = 0; i < exh_ndetectors; i++) {
            const struct exh_detector *d = &exh_detectors[i];
            if ((d->inputs & (1u << fam)) && d->on_line) {
                any = true;
                all |= d->all_lines;
            }
        }
        if (!any || all)
            continue; /* no line checks, or every line is read */
        const char **needles = NULL;
        size_t nn = 0, cap = 0;
        family_needles(e, fam, &needles, &nn, &cap);
        for (size_t i = 0; i < nn; i++)
            cb(ud, fam, needles[i]);
        free(needles);
    }
    engine_free(e);
}
