/* util.h: escaping shared by the reporters. */
#ifndef EXH_REPORT_UTIL_H
#define EXH_REPORT_UTIL_H

#include <stdio.h>

#include "exh/core.h"

/* JSON string (with quotes). Invalid UTF-8 bytes become U+FFFD. */
void exh_json_str(FILE *out, const char *p, size_t n);
/* The same, appended to a buffer. */
void exh_json_buf(struct exh_buf *b, const char *p, size_t n);
static inline void exh_json_cstr(FILE *out, const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    exh_json_str(out, s, n);
}
/* Text for a terminal: control bytes, C1 controls and invalid UTF-8 as \xNN;
 * at most max bytes of input (then "..."). */
void exh_text_escaped(FILE *out, const char *p, size_t n, size_t max);
/* One RFC 4180 cell, made formula-safe. */
void exh_csv_cell(FILE *out, const char *p, size_t n);

#endif
