/* exlog.h: reader for Exchange's CSV logs (HttpProxy, ECP Server, OAB
 * generator, Rps_Http and their kin). Bytes in, records out: the reader never
 * opens files, prints or allocates per line.
 *
 * Format (see docs/formats.md): optional UTF-8 BOM; an optional plain CSV
 * header line; '#Key: value' comment lines (#Software, #Version, #Log-type,
 * #Date, #Fields) anywhere; data rows of comma-separated fields, a field may
 * be double-quoted with "" for a quote; CRLF or LF. Columns are found by
 * their header name, never by position: builds write different sets.
 *
 * Slices returned point into the caller's buffer (or into the row's scratch
 * buffer for quoted fields that held "" escapes) and stay valid until the
 * next call that reuses the same row. */
#ifndef EXH_EXLOG_H
#define EXH_EXLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "err.h"

/* The columns the checks use. Names are matched case-insensitively; several
 * spellings may map to one column (TimeStamp and DateTime are both the row
 * time). Add a column: one line here. */
#define EXH_COLUMNS(X)                                                                             \
    X(TIME, "DateTime", "TimeStamp", NULL)                                                         \
    X(DATE, "date", NULL, NULL)                                                                    \
    X(TIME_OF_DAY, "time", NULL, NULL)                                                             \
    X(REQUEST_ID, "RequestId", NULL, NULL)                                                         \
    X(MAJOR, "MajorVersion", NULL, NULL)                                                           \
    X(MINOR, "MinorVersion", NULL, NULL)                                                           \
    X(BUILD, "BuildVersion", NULL, NULL)                                                           \
    X(REVISION, "RevisionVersion", NULL, NULL)                                                     \
    X(PROTOCOL, "Protocol", NULL, NULL)                                                            \
    X(URL_HOST, "UrlHost", "cs-host", NULL)                                                        \
    X(URL_STEM, "UrlStem", "cs-uri-stem", NULL)                                                    \
    X(URL_QUERY, "UrlQuery", "cs-uri-query", NULL)                                                 \
    X(AUTH_TYPE, "AuthenticationType", NULL, NULL)                                                 \
    X(IS_AUTH, "IsAuthenticated", NULL, NULL)                                                      \
    X(AUTH_USER, "AuthenticatedUser", "cs-username", NULL)                                         \
    X(ANCHOR, "AnchorMailbox", NULL, NULL)                                                         \
    X(USER_AGENT, "UserAgent", "cs(User-Agent)", NULL)                                             \
    X(CLIENT_IP, "ClientIpAddress", "c-ip", NULL)                                                  \
    X(SERVER, "ServerHostName", "ServerName", "s-computername")                                    \
    X(SERVER_IP, "s-ip", NULL, NULL)                                                               \
    X(PORT, "s-port", NULL, NULL)                                                                  \
    X(SITE, "s-sitename", NULL, NULL)                                                              \
    X(STATUS, "HttpStatus", "sc-status", NULL)                                                     \
    X(METHOD, "Method", "cs-method", NULL)                                                         \
    X(TARGET_SERVER, "TargetServer", NULL, NULL)                                                   \
    X(ROUTING_HINT, "RoutingHint", NULL, NULL)                                                     \
    X(BACKEND_COOKIE, "BackEndCookie", NULL, NULL)                                                 \
    X(EVENT_DATA, "EventData", NULL, NULL)                                                         \
    X(CLIENT_INFO, "ClientInfo", NULL, NULL)                                                       \
    X(COMMAND_NAME, "CommandName", NULL, NULL)                                                     \
    X(MESSAGE, "Message", NULL, NULL)                                                              \
    X(FORWARDED_FOR, "X-Forwarded-For", "cs(X-Forwarded-For)", "X_Forwarded_For")                  \
    X(REFERER, "cs(Referer)", "Referer", NULL)

enum exh_col {
#define EXH_COL_ENUM(sym, a, b, c) EXH_COL_##sym,
    EXH_COLUMNS(EXH_COL_ENUM)
#undef EXH_COL_ENUM
        EXH_COL__COUNT
};

const char *exh_col_name(enum exh_col c);

/* A parsed header. field_of_col[c] is the 0-based field index of column c,
 * or -1. col_of_field has max_used_field entries (-1 = a field we do not
 * use); fields at or past max_used_field are never used. */
struct exh_exlog_header {
    char sep; /* ',' for Exchange logs, ' ' for IIS W3C ("#Fields: date time ...") */
    int32_t field_of_col[EXH_COL__COUNT];
    int8_t *col_of_field;
    uint32_t nfields;
    uint32_t max_used_field; /* highest field index that maps to a column, +1 */
};

void exh_exlog_header_init(struct exh_exlog_header *h);
void exh_exlog_header_release(struct exh_exlog_header *h);
/* Parse a header from "#Fields: a,b,c" or a plain "a,b,c" line (no EOL).
 * A "#Fields:" line without commas is a W3C header: fields split at spaces,
 * and its rows too (W3C writes '+' for spaces and '-' for empty values).
 * Any field count is accepted; unknown names are ignored. Returns true when
 * at least one known column was found; otherwise h is left unchanged. */
bool exh_exlog_header_parse(struct exh_exlog_header *h, const char *line, size_t n);

/* One data row, split lazily: exh_exlog_row_begin() only notes the line;
 * exh_exlog_row_col() splits the fields up to the one a column asks for (by
 * its index in the header), so a check that stops early never splits the
 * rest of the line. f[c] is column c's value once split (empty when the row
 * is short or the header lacks the column); read it through
 * exh_exlog_row_col(). Slices stay valid until the next begin or parse of
 * the same row (unescaped copies never move once made). */
struct exh_exlog_row {
    struct exh_str f[EXH_COL__COUNT];
    uint32_t nfields;        /* fields split so far (all of them once done) */
    bool done;               /* the line is split to its end */
    bool unterminated_quote; /* a quoted field ran to the end of the line */
    const struct exh_exlog_header *h;
    const char *line;
    size_t n, pos;          /* pos: where field nfields starts */
    struct exh_buf scratch; /* owns unescaped copies of "" fields */
    char **spill;           /* copies made once scratch was in use (freed by the next row) */
    size_t nspill, capspill;
};

void exh_exlog_row_init(struct exh_exlog_row *r);
void exh_exlog_row_release(struct exh_exlog_row *r);
/* Start row `line` (no EOL) with the header's layout, splitting nothing yet.
 * h and line must outlive the row's use. Never fails: odd rows give empty or
 * partial fields. Quoted fields are unquoted; values longer than
 * EXH_EXLOG_UNESCAPE_MAX keep their "" escapes rather than being copied. */
#define EXH_EXLOG_UNESCAPE_MAX (1u << 20)
void exh_exlog_row_begin(const struct exh_exlog_header *h, const char *line, size_t n,
                         struct exh_exlog_row *r);
/* Split fields up to and including field index upto (or to the line's end). */
void exh_exlog_row_split_to(struct exh_exlog_row *r, uint32_t upto);
/* Column c of the row begun last, splitting only as far as needed. */
static inline struct exh_str exh_exlog_row_col(struct exh_exlog_row *r, enum exh_col c)
{
    int32_t k = r->h ? r->h->field_of_col[c] : -1;
    if (k < 0)
        return EXH_STR_NULL;
    if ((uint32_t)k >= r->nfields && !r->done)
        exh_exlog_row_split_to(r, (uint32_t)k);
    return r->f[c];
}
/* Begin and split the whole line (nfields then counts every field). */
void exh_exlog_row_parse(const struct exh_exlog_header *h, const char *line, size_t n,
                         struct exh_exlog_row *r);

/* Facts from the comment lines at the top of a file. */
struct exh_exlog_prologue {
    struct exh_str software;     /* #Software: value */
    struct exh_str version;      /* #Version: value */
    struct exh_str log_type;     /* #Log-type: value */
    struct exh_str date;         /* #Date: value */
    struct exh_str fields;       /* the whole "#Fields: ..." line */
    struct exh_str plain_header; /* a first line that is a plain CSV header */
    size_t body;                 /* offset of the first line that is not a header/comment */
    uint64_t body_line;          /* its 1-based line number */
};

/* Read the leading header and comment lines of p[0..n). The BOM is skipped.
 * A plain first line counts as a header when it has no digit in its first
 * field and names a known column. */
void exh_exlog_prologue_read(const uint8_t *p, size_t n, struct exh_exlog_prologue *out);

/* A parsed Exchange build a.b.c.d ("15.01.2375.007" -> 15.1.2375.7). */
struct exh_build {
    uint32_t major, minor, build, rev;
};
bool exh_build_parse(const char *p, size_t n, struct exh_build *out);
int exh_build_cmp(const struct exh_build *a, const struct exh_build *b);
/* From the per-row MajorVersion..RevisionVersion columns. */
bool exh_build_from_row(struct exh_exlog_row *r, struct exh_build *out);

/* Line iteration over a buffer: next line without its EOL (LF or CRLF; a
 * lone CR is part of the line). Returns false at the end. */
struct exh_lines {
    const char *p;
    size_t n;
    size_t pos;
    uint64_t lineno; /* 1-based number of the line last returned */
};
void exh_lines_init(struct exh_lines *it, const void *p, size_t n, size_t start,
                    uint64_t start_line);
bool exh_lines_next(struct exh_lines *it, struct exh_str *line, size_t *offset);

/* Bounds of the line that contains position pos: [*start, *end) without EOL. */
void exh_line_around(const char *p, size_t n, size_t pos, size_t *start, size_t *end);

#endif
