/* fuzz_exlog.c: the Exchange CSV log reader (src/read/exlog.c) and the
 * timestamp parser, on arbitrary bytes.
 *
 * Covers exh_exlog_prologue_read, exh_exlog_header_parse (on the prologue's
 * #Fields line, on a plain first line, and on every later #Fields line, as the
 * engine does), exh_lines_next over the whole buffer, exh_exlog_row_parse on
 * every line with three headers (current, first-line, empty),
 * exh_build_parse, exh_build_from_row, exh_line_around and exh_time_parse.
 * Beyond "no crash, no leak" it checks the contracts in exlog.h: slices stay
 * inside the input (or the row's scratch buffer), lines never contain an LF
 * and are separated by exactly one LF or CRLF, header maps are consistent,
 * an unquoted row splits exactly like a naive split at the header's
 * separator (a comma, or a space for a W3C "#Fields:" line), and a parsed
 * time survives a format/parse round trip. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/exlog.h"
#include "exh/timeutil.h"
#include "fuzz.h"
#include "exh/banned.h"

static size_t exlog_count_byte(const char *p, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == c;
    return k;
}

/* Lines end at LF (a CR just before it belongs to the EOL); a lone CR is
 * data (exlog.h), so only LF can never be inside a line. */
static bool exlog_has_lf(const char *p, size_t n)
{
    return n && memchr(p, '\n', n);
}

/* Is p[i] the CR of a CRLF, or a CR that is the file's last byte? Both are
 * part of the EOL, not of the line. */
static bool exlog_eol_cr(const char *p, size_t n, size_t i)
{
    return i < n && p[i] == '\r' && (i + 1 == n || p[i + 1] == '\n');
}

/* The header's maps agree with each other and with the line it came from. */
static void exlog_check_header(const struct exh_exlog_header *h, bool ok, const char *line,
                               size_t n)
{
    if (!ok)
        return;
    struct exh_str s = exh_str_make(line, n);
    char sep = ',';
    if (exh_starts_ci(s, "#Fields:")) {
        s.p += 8;
        s.n -= 8;
        /* a #Fields: line without commas is W3C's: fields split at spaces */
        s = exh_trim(s);
        if (!s.n || !memchr(s.p, ',', s.n))
            sep = ' ';
    }
    EXH_FUZZ_CHECK(h->sep == sep);
    EXH_FUZZ_CHECK(h->nfields == exlog_count_byte(s.p, s.n, sep) + 1);
    EXH_FUZZ_CHECK(h->max_used_field >= 1 && h->max_used_field <= h->nfields);
    EXH_FUZZ_CHECK(h->col_of_field != NULL);
    bool any = false;
    for (int c = 0; c < EXH_COL__COUNT; c++) {
        int32_t f = h->field_of_col[c];
        EXH_FUZZ_CHECK(f >= -1 && f < (int32_t)h->max_used_field);
        if (f >= 0) {
            EXH_FUZZ_CHECK(h->col_of_field[f] == c);
            any = true;
        }
    }
    EXH_FUZZ_CHECK(any);
    for (uint32_t k = 0; k < h->max_used_field; k++) {
        int c = h->col_of_field[k];
        EXH_FUZZ_CHECK(c >= -1 && c < EXH_COL__COUNT);
        if (c >= 0)
            EXH_FUZZ_CHECK(h->field_of_col[c] == (int32_t)k);
    }
}

/* Formatting a parsed time and parsing it again gives the same instant. */
static void exlog_check_time(const char *p, size_t n)
{
    int64_t ms;
    if (!exh_time_parse(p, n, &ms))
        return;
    char buf[32];
    exh_time_format(ms, buf);
    size_t len = strlen(buf);
    EXH_FUZZ_CHECK(len < sizeof(buf));
    int64_t back;
    if (exh_time_parse(buf, len, &back)) /* years outside 1601..9999 do not parse back */
        EXH_FUZZ_CHECK(back == ms);
}

static void exlog_check_build_str(const char *p, size_t n)
{
    struct exh_build b;
    if (!exh_build_parse(p, n, &b))
        return;
    EXH_FUZZ_CHECK(b.major > 0);
    char buf[64];
    int k = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", (unsigned)b.major, (unsigned)b.minor,
                     (unsigned)b.build, (unsigned)b.rev);
    EXH_FUZZ_CHECK(k > 0 && (size_t)k < sizeof(buf));
    struct exh_build b2;
    EXH_FUZZ_CHECK(exh_build_parse(buf, (size_t)k, &b2));
    EXH_FUZZ_CHECK(exh_build_cmp(&b, &b2) == 0);
}

/* The lazy split gives the eager split's values whatever order the columns
 * are asked in, and a value once handed out never moves or changes while
 * later columns are split (copies of escaped values included). */
static void exlog_check_lazy(const struct exh_exlog_header *h, const char *line, size_t n,
                             const struct exh_exlog_row *eager)
{
    static struct exh_exlog_row lz; /* zeroed: an initialised row */
    exh_exlog_row_begin(h, line, n, &lz);
    struct exh_str got[EXH_COL__COUNT];
    /* last column first, then the rest: the worst order for a forward split */
    for (int k = 0; k < EXH_COL__COUNT; k++) {
        int c = k == 0 ? EXH_COL__COUNT - 1 : k - 1;
        got[c] = exh_exlog_row_col(&lz, (enum exh_col)c);
        EXH_FUZZ_CHECK(got[c].n == eager->f[c].n);
        EXH_FUZZ_CHECK(!got[c].n || !memcmp(got[c].p, eager->f[c].p, got[c].n));
    }
    for (int c = 0; c < EXH_COL__COUNT; c++)
        EXH_FUZZ_CHECK(!got[c].n || !memcmp(got[c].p, eager->f[c].p, got[c].n));
    EXH_FUZZ_CHECK(lz.nfields <= eager->nfields);
}

/* Parse one line with header h and check the row against exlog.h. */
static void exlog_check_row(const struct exh_exlog_header *h, const char *line, size_t n,
                            struct exh_exlog_row *r)
{
    exh_exlog_row_parse(h, line, n, r);
    EXH_FUZZ_CHECK(r->nfields >= 1);
    for (int c = 0; c < EXH_COL__COUNT; c++) {
        struct exh_str v = r->f[c];
        if (h->field_of_col[c] < 0 || (uint32_t)h->field_of_col[c] >= r->nfields) {
            EXH_FUZZ_CHECK(v.n == 0);
            continue;
        }
        if (!v.n)
            continue;
        bool in = exh_fuzz_inside(v.p, v.n, line, n) ||
                  (r->scratch.p && exh_fuzz_inside(v.p, v.n, r->scratch.p, r->scratch.n));
        for (size_t k = 0; k < r->nspill && !in; k++)
            in = v.p == r->spill[k]; /* a spilled copy is one value, from its start */
        EXH_FUZZ_CHECK(in);
        exh_fuzz_touch(v.p, v.n);
    }
    exlog_check_lazy(h, line, n, r);
    struct exh_build b;
    if (exh_build_from_row(r, &b))
        EXH_FUZZ_CHECK(b.major > 0);
    /* W3C rows (split at spaces) have no quoting */
    char sep = h->sep ? h->sep : ',';
    bool quoted = sep == ',' && n && memchr(line, '"', n);
    EXH_FUZZ_CHECK(quoted || !r->unterminated_quote);
    if (quoted)
        return;
    /* Without quotes a row is a plain split at the header's separator
     * (W3C's "-" is an empty value). */
    EXH_FUZZ_CHECK(r->nfields == exlog_count_byte(line, n, sep) + 1);
    size_t i = 0;
    for (uint32_t k = 0; k < h->max_used_field; k++) {
        size_t j = i;
        while (j < n && line[j] != sep)
            j++;
        int c = h->col_of_field[k];
        if (c >= 0) {
            bool dash = sep == ' ' && j - i == 1 && line[i] == '-';
            EXH_FUZZ_CHECK(r->f[c].n == (dash ? 0 : j - i));
            EXH_FUZZ_CHECK(j == i || dash || r->f[c].p == line + i);
        }
        if (j >= n)
            break;
        i = j + 1;
    }
}

static void exlog_check_prologue(const uint8_t *data, size_t size,
                                 const struct exh_exlog_prologue *pro)
{
    const struct exh_str *sl[] = {&pro->software, &pro->version, &pro->log_type,
                                  &pro->date,     &pro->fields,  &pro->plain_header};
    for (size_t i = 0; i < sizeof(sl) / sizeof(sl[0]); i++) {
        if (!sl[i]->n)
            continue;
        EXH_FUZZ_CHECK(exh_fuzz_inside(sl[i]->p, sl[i]->n, data, size));
        EXH_FUZZ_CHECK(!exlog_has_lf(sl[i]->p, sl[i]->n));
    }
    EXH_FUZZ_CHECK(!pro->fields.n || exh_starts_ci(pro->fields, "#Fields:"));
    EXH_FUZZ_CHECK(pro->body <= size);
    if (pro->body < size)
        EXH_FUZZ_CHECK(pro->body_line >= 1);
}

static void exlog_check_around(const uint8_t *data, size_t size, size_t pos)
{
    const char *p = (const char *)data;
    size_t s, e;
    exh_line_around(p, size, pos, &s, &e);
    EXH_FUZZ_CHECK(s <= pos && s <= e && e <= size);
    /* pos on a line's text lies inside it; pos on an EOL may lie past it */
    if (pos < size && p[pos] != '\n' && !exlog_eol_cr(p, size, pos))
        EXH_FUZZ_CHECK(pos < e);
    EXH_FUZZ_CHECK(!exlog_has_lf(p + s, e - s));
    EXH_FUZZ_CHECK(s == 0 || p[s - 1] == '\n');
    EXH_FUZZ_CHECK(e == size || p[e] == '\n' || exlog_eol_cr(p, size, e));
}

int exh_fuzz_exlog(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct exh_exlog_prologue pro;
    exh_exlog_prologue_read(data, size, &pro);
    exlog_check_prologue(data, size, &pro);
    if (pro.version.n) /* the engine never asks about an absent #Version */
        exlog_check_build_str(pro.version.p, pro.version.n);

    /* The header the engine would start with. */
    struct exh_exlog_header cur, first, empty;
    exh_exlog_header_init(&cur);
    exh_exlog_header_init(&first);
    exh_exlog_header_init(&empty);
    if (pro.fields.n)
        exlog_check_header(&cur, exh_exlog_header_parse(&cur, pro.fields.p, pro.fields.n),
                           pro.fields.p, pro.fields.n);
    if (!cur.nfields && pro.plain_header.n) {
        /* not asserted true: the prologue only looks at the first 64 KiB */
        bool ok = exh_exlog_header_parse(&cur, pro.plain_header.p, pro.plain_header.n);
        exlog_check_header(&cur, ok, pro.plain_header.p, pro.plain_header.n);
    }

    size_t start = (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) ? 3 : 0;
    struct exh_lines it;
    exh_lines_init(&it, data, size, start, 1);
    struct exh_exlog_row row;
    exh_exlog_row_init(&row);
    struct exh_str line;
    size_t off, end_prev = start;
    uint64_t lines = 0;
    while (exh_lines_next(&it, &line, &off)) {
        lines++;
        EXH_FUZZ_CHECK(it.lineno == lines);
        EXH_FUZZ_CHECK(line.p == text + off);
        EXH_FUZZ_CHECK(exh_fuzz_inside(line.p, line.n, data, size));
        EXH_FUZZ_CHECK(!exlog_has_lf(line.p, line.n));
        /* between two lines: exactly one EOL (LF or CRLF) */
        EXH_FUZZ_CHECK(off >= end_prev && off - end_prev <= 2);
        if (lines > 1) {
            size_t gap = off - end_prev;
            EXH_FUZZ_CHECK(gap >= 1);
            EXH_FUZZ_CHECK(gap == 1 ? text[end_prev] == '\n'
                                    : (text[end_prev] == '\r' && text[end_prev + 1] == '\n'));
        }
        end_prev = off + line.n;
        if (start == 0 || off != start) { /* line_around does not know the BOM */
            size_t s, e;
            exh_line_around(text, size, off, &s, &e);
            EXH_FUZZ_CHECK(s == off && e == off + line.n);
        }

        if (lines == 1) {
            bool ok = exh_exlog_header_parse(&first, line.p, line.n);
            exlog_check_header(&first, ok, line.p, line.n);
            if (!ok)
                EXH_FUZZ_CHECK(first.nfields == 0 && first.col_of_field == NULL);
        }
        if (line.n && line.p[0] == '#') {
            if (exh_starts_ci(line, "#Fields:")) {
                bool ok = exh_exlog_header_parse(&cur, line.p, line.n);
                exlog_check_header(&cur, ok, line.p, line.n);
            }
            continue;
        }
        if (cur.nfields) {
            exlog_check_row(&cur, line.p, line.n, &row);
            exlog_check_time(row.f[EXH_COL_TIME].p, row.f[EXH_COL_TIME].n);
        }
        if (first.nfields)
            exlog_check_row(&first, line.p, line.n, &row);
        exlog_check_row(&empty, line.p, line.n, &row);
        /* the engine's fallbacks: the first CSV field, W3C's "date time" */
        size_t k = 0;
        while (k < line.n && k < 40 && line.p[k] != ',')
            k++;
        exlog_check_time(line.p, k);
        if (line.n >= 19)
            exlog_check_time(line.p, 19);
        exlog_check_build_str(line.p, k);
    }
    /* after the last line: at most one EOL left (LF, CRLF, or a final CR) */
    EXH_FUZZ_CHECK(end_prev <= size && size - end_prev <= 2);
    if (size - end_prev == 1)
        EXH_FUZZ_CHECK(text[end_prev] == '\n' || text[end_prev] == '\r');
    if (size - end_prev == 2)
        EXH_FUZZ_CHECK(text[end_prev] == '\r' && text[end_prev + 1] == '\n');

    size_t pick = size >= 2 ? (size_t)data[0] | (size_t)data[1] << 8 : 0;
    const size_t pos[] = {0, size / 2, size ? size - 1 : 0, size, pick % (size + 1)};
    for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++)
        exlog_check_around(data, size, pos[i]);

    exh_exlog_row_release(&row);
    exh_exlog_header_release(&cur);
    exh_exlog_header_release(&first);
    exh_exlog_header_release(&empty);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_exlog(data, size);
}
#endif
