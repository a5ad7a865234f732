/* exlog.c: Exchange CSV logs: header mapping, row splitting, prologue,
 * build numbers and line iteration. See exlog.h for the contract. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* memrchr */
#endif
#include <stdlib.h>
#include <string.h>

#include "exh/exlog.h"
#include "exh/banned.h"

static const struct {
    const char *a, *b, *c;
} col_names[EXH_COL__COUNT] = {
#define EXH_COL_NAME(sym, a, b, c) [EXH_COL_##sym] = {a, b, c},
    EXH_COLUMNS(EXH_COL_NAME)
#undef EXH_COL_NAME
};

const char *exh_col_name(enum exh_col c)
{
    return (unsigned)c < EXH_COL__COUNT ? col_names[c].a : "?";
}

static int col_lookup(struct exh_str name)
{
    name = exh_trim(name);
    if (name.n >= 2 && name.p[0] == '"' && name.p[name.n - 1] == '"') {
        name.p++;
        name.n -= 2;
    }
    for (int c = 0; c < EXH_COL__COUNT; c++) {
        if (exh_eq_ci(name, col_names[c].a) ||
            (col_names[c].b && exh_eq_ci(name, col_names[c].b)) ||
            (col_names[c].c && exh_eq_ci(name, col_names[c].c)))
            return c;
    }
    return -1;
}

void exh_exlog_header_init(struct exh_exlog_header *h)
{
    memset(h, 0, sizeof(*h));
    h->sep = ',';
    for (int c = 0; c < EXH_COL__COUNT; c++)
        h->field_of_col[c] = -1;
}

void exh_exlog_header_release(struct exh_exlog_header *h)
{
    free(h->col_of_field);
    exh_exlog_header_init(h);
}

bool exh_exlog_header_parse(struct exh_exlog_header *h, const char *line, size_t n)
{
    struct exh_str s = exh_str_make(line, n);
    char sep = ',';
    if (exh_starts_ci(s, "#Fields:")) {
        s.p += 8;
        s.n -= 8;
        s = exh_trim(s);
        if (!memchr(s.p, ',', s.n))
            sep = ' ';
    }
    /* First pass: count fields and find the highest mapped one. */
    int32_t f_of_c[EXH_COL__COUNT];
    for (int c = 0; c < EXH_COL__COUNT; c++)
        f_of_c[c] = -1;
    uint32_t nf = 0, maxf = 0;
    bool any = false;
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < s.n && s.p[j] != sep)
            j++;
        int c = col_lookup(exh_str_make(s.p + i, j - i));
        if (c >= 0 && f_of_c[c] < 0 && nf < INT32_MAX) {
            f_of_c[c] = (int32_t)nf;
            any = true;
            maxf = nf + 1;
        }
        nf++;
        if (j >= s.n || nf == UINT32_MAX)
            break;
        i = j + 1;
    }
    if (!any)
        return false;
    exh_exlog_header_release(h);
    h->sep = sep;
    memcpy(h->field_of_col, f_of_c, sizeof(f_of_c));
    h->nfields = nf;
    h->max_used_field = maxf;
    h->col_of_field = exh_xmalloc(maxf);
    memset(h->col_of_field, -1, maxf);
    for (int c = 0; c < EXH_COL__COUNT; c++)
        if (f_of_c[c] >= 0)
            h->col_of_field[f_of_c[c]] = (int8_t)c;
    return true;
}

void exh_exlog_row_init(struct exh_exlog_row *r)
{
    memset(r, 0, sizeof(*r));
}

static void free_spill(struct exh_exlog_row *r)
{
    for (size_t k = 0; k < r->nspill; k++)
        free(r->spill[k]);
    r->nspill = 0;
}

void exh_exlog_row_release(struct exh_exlog_row *r)
{
    free_spill(r);
    free(r->spill);
    exh_buf_release(&r->scratch);
    memset(r, 0, sizeof(*r));
}

void exh_exlog_row_begin(const struct exh_exlog_header *h, const char *line, size_t n,
                         struct exh_exlog_row *r)
{
    for (int c = 0; c < EXH_COL__COUNT; c++)
        r->f[c] = EXH_STR_NULL;
    r->nfields = 0;
    r->done = false;
    r->unterminated_quote = false;
    r->h = h;
    r->line = line;
    r->n = n;
    r->pos = 0;
    exh_buf_reset(&r->scratch);
    free_spill(r);
}

/* Room for an unescaped copy of len bytes that never moves while the row
 * is in use: the scratch buffer while nothing was handed out from it (it
 * may grow then), after that its spare room, else a block of its own. All
 * copies of a row together are no longer than its line. */
static char *copy_room(struct exh_exlog_row *r, size_t len)
{
    struct exh_buf *b = &r->scratch;
    if (b->n == 0)
        exh_buf_reserve(b, len);
    if (b->cap - b->n > len) {
        char *p = b->p + b->n;
        b->n += len;
        return p;
    }
    if (r->nspill == r->capspill) {
        r->capspill = r->capspill ? r->capspill * 2 : 4;
        r->spill = exh_xrealloc(r->spill, r->capspill * sizeof(*r->spill));
    }
    return r->spill[r->nspill++] = exh_xmalloc(len + 1);
}

void exh_exlog_row_split_to(struct exh_exlog_row *r, uint32_t upto)
{
    const struct exh_exlog_header *h = r->h;
    if (!h || r->done)
        return;
    const char *line = r->line;
    size_t n = r->n, i = r->pos;
    uint32_t fi = r->nfields;
    const char sep = h->sep ? h->sep : ',';
    while (fi <= upto) {
        int col = fi < h->max_used_field ? h->col_of_field[fi] : -1;
        size_t start = i, end;
        bool quoted = sep == ',' && i < n && line[i] == '"';
        bool escapes = false;
        if (quoted) {
            size_t j = i + 1;
            for (;;) {
                if (j >= n) {
                    r->unterminated_quote = true;
                    break;
                }
                if (line[j] == '"') {
                    if (j + 1 < n && line[j + 1] == '"') {
                        escapes = true;
                        j += 2;
                        continue;
                    }
                    break;
                }
                const char *q = memchr(line + j, '"', n - j);
                j = q ? (size_t)(q - line) : n;
            }
            start = i + 1;
            end = j;
            /* skip to the separator after the closing quote */
            i = j < n ? j + 1 : n;
            const char *comma = i < n ? memchr(line + i, sep, n - i) : NULL;
            i = comma ? (size_t)(comma - line) : n;
        } else {
            const char *comma = i < n ? memchr(line + i, sep, n - i) : NULL;
            end = comma ? (size_t)(comma - line) : n;
            i = end;
        }
        /* W3C writes "-" for an empty value */
        if (sep == ' ' && end - start == 1 && line[start] == '-')
            end = start;
        if (col >= 0) {
            size_t len = end - start;
            if (escapes && len <= EXH_EXLOG_UNESCAPE_MAX) {
                char *p = copy_room(r, len), *q = p;
                for (size_t k = start; k < end; k++) {
                    *q++ = line[k];
                    if (line[k] == '"' && k + 1 < end && line[k + 1] == '"')
                        k++;
                }
                *q = '\0';
                r->f[col] = exh_str_make(p, (size_t)(q - p));
            } else {
                r->f[col] = exh_str_make(line + start, len);
            }
        }
        fi++;
        if (i >= n) {
            r->done = true;
            break;
        }
        i++; /* past the separator */
    }
    r->nfields = fi;
    r->pos = i;
}

void exh_exlog_row_parse(const struct exh_exlog_header *h, const char *line, size_t n,
                         struct exh_exlog_row *r)
{
    exh_exlog_row_begin(h, line, n, r);
    exh_exlog_row_split_to(r, UINT32_MAX);
}

void exh_lines_init(struct exh_lines *it, const void *p, size_t n, size_t start,
                    uint64_t start_line)
{
    it->p = p;
    it->n = n;
    it->pos = start > n ? n : start;
    it->lineno = start_line ? start_line - 1 : 0;
}

bool exh_lines_next(struct exh_lines *it, struct exh_str *line, size_t *offset)
{
    if (it->pos >= it->n)
        return false;
    const char *s = it->p + it->pos;
    size_t rest = it->n - it->pos;
    const char *lf = memchr(s, '\n', rest);
    size_t len = lf ? (size_t)(lf - s) : rest;
    size_t adv = lf ? len + 1 : len;
    /* LF ends a line and a CR before it is dropped. A lone CR is data: a CR
     * injected into a logged field must not split the row. */
    if (len && s[len - 1] == '\r')
        len--;
    if (offset)
        *offset = it->pos;
    *line = exh_str_make(s, len);
    it->pos += adv;
    it->lineno++;
    return true;
}

void exh_line_around(const char *p, size_t n, size_t pos, size_t *start, size_t *end)
{
    size_t s = pos;
#if defined(__GLIBC__)
    const char *prev = pos ? memrchr(p, '\n', pos) : NULL; /* vectorised, as memchr */
    s = prev ? (size_t)(prev - p) + 1 : 0;
#else
    while (s > 0 && p[s - 1] != '\n')
        s--;
#endif
    const char *lf = pos < n ? memchr(p + pos, '\n', n - pos) : NULL;
    size_t e = lf ? (size_t)(lf - p) : n;
    if (e > s && p[e - 1] == '\r')
        e--;
    *start = s;
    *end = e;
}

static bool line_has_digit_first_field(struct exh_str l)
{
    for (size_t i = 0; i < l.n && l.p[i] != ','; i++)
        if (l.p[i] >= '0' && l.p[i] <= '9')
            return true;
    return false;
}

static struct exh_str value_after(struct exh_str line, size_t keylen)
{
    return exh_trim(exh_str_make(line.p + keylen, line.n - keylen));
}

void exh_exlog_prologue_read(const uint8_t *data, size_t n, struct exh_exlog_prologue *out)
{
    memset(out, 0, sizeof(*out));
    size_t start = 0;
    if (n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        start = 3;
    struct exh_lines it;
    exh_lines_init(&it, data, n, start, 1);
    struct exh_str line;
    size_t off;
    bool first = true;
    out->body = n;
    out->body_line = 0;
    while (exh_lines_next(&it, &line, &off)) {
        if (line.n == 0) {
            first = false;
            continue;
        }
        if (line.p[0] == '#') {
            if (exh_starts_ci(line, "#Software:"))
                out->software = value_after(line, 10);
            else if (exh_starts_ci(line, "#Version:"))
                out->version = value_after(line, 9);
            else if (exh_starts_ci(line, "#Log-type:"))
                out->log_type = value_after(line, 10);
            else if (exh_starts_ci(line, "#Date:"))
                out->date = value_after(line, 6);
            else if (exh_starts_ci(line, "#Fields:"))
                out->fields = line;
            first = false;
            continue;
        }
        if (first && !line_has_digit_first_field(line)) {
            struct exh_exlog_header h;
            exh_exlog_header_init(&h);
            /* only the first 64 KiB: a plain header is never longer */
            bool ok = exh_exlog_header_parse(&h, line.p, line.n > 65536 ? 65536 : line.n);
            exh_exlog_header_release(&h);
            if (ok) {
                out->plain_header = line;
                first = false;
                continue;
            }
        }
        out->body = off;
        out->body_line = it.lineno;
        return;
    }
    out->body_line = it.lineno + 1;
}

static bool parse_u32(const char *p, size_t n, uint32_t *out)
{
    if (n == 0 || n > 9)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(p[i] - '0');
    }
    *out = v;
    return true;
}

bool exh_build_parse(const char *p, size_t n, struct exh_build *out)
{
    struct exh_str s = exh_trim(exh_str_make(p, n));
    uint32_t v[4];
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        size_t j = i;
        while (j < s.n && s.p[j] != '.')
            j++;
        if (!parse_u32(s.p + i, j - i, &v[k]))
            return false;
        if (k < 3 && j >= s.n)
            return false;
        i = j + 1;
    }
    if (i <= s.n) /* trailing text after the 4th number */
        return false;
    out->major = v[0];
    out->minor = v[1];
    out->build = v[2];
    out->rev = v[3];
    return out->major > 0;
}

int exh_build_cmp(const struct exh_build *a, const struct exh_build *b)
{
    const uint32_t x[4] = {a->major, a->minor, a->build, a->rev};
    const uint32_t y[4] = {b->major, b->minor, b->build, b->rev};
    for (int i = 0; i < 4; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

bool exh_build_from_row(struct exh_exlog_row *r, struct exh_build *out)
{
    struct exh_build b;
    struct exh_str v[4] = {exh_exlog_row_col(r, EXH_COL_MAJOR), exh_exlog_row_col(r, EXH_COL_MINOR),
                           exh_exlog_row_col(r, EXH_COL_BUILD),
                           exh_exlog_row_col(r, EXH_COL_REVISION)};
    if (!parse_u32(v[0].p, v[0].n, &b.major) || !parse_u32(v[1].p, v[1].n, &b.minor) ||
        !parse_u32(v[2].p, v[2].n, &b.build) || !parse_u32(v[3].p, v[3].n, &b.rev) || b.major == 0)
        return false;
    *out = b;
    return true;
}
