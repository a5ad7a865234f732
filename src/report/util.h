/* util.h: escaping shared by the reporters. */
#ifndef EXH_REPORT_UTIL_H
#define EXH_REPORT_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exh/core.h"

/* A Unicode format character (category Cf: bidi controls, zero-width
 * characters, U+FEFF, tag characters ...) or U+2028/U+2029: shown escaped in
 * every format, as <U+XXXX> in text and CSV and as \uXXXX in JSON. */
bool exh_format_char(unsigned cp);

/* JSON string (with quotes). Invalid UTF-8 bytes become U+FFFD; control
 * characters (C0, DEL, C1) and format characters become \u escapes. */
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
/* "key": and "key":"value" (NULL: ""), "key":"RFC 3339 time", and the
 * elements of a JSON array of strings from "a,b,c" (NULL: none). */
void exh_json_key(FILE *o, const char *k);
void exh_json_kv_str(FILE *o, const char *k, const char *v);
void exh_json_kv_time(FILE *o, const char *k, int64_t ms);
void exh_json_list(FILE *o, const char *commas);
/* ,"rule":{...},"vulnerability":{"id":[CVEs]} and ,"threat":{...} when the
 * rule names an ATT&CK technique: the rule part of a finding record. */
struct exh_rule;
struct exh_finding;
void exh_json_rule(FILE *o, const struct exh_rule *ru, const struct exh_finding *f);
/* ,"explanation":...,"remediation":... from the rule: the close of a
 * finding's "exhunt" object (scan and probe findings alike). */
void exh_json_rule_advice(FILE *o, const struct exh_rule *ru);

/* Timesketch's mandatory pair for a finding: the time (the evidence's, else
 * the scan's) and what that time is ("Log entry time", "File modified", ...). */
struct exh_finding;
int64_t exh_finding_datetime(const struct exh_finding *f, int64_t created_ms, const char **desc);

/* What to do next, by verdict: the text report's "next" line and the HTML
 * page's; INCOMPLETE points to the errors on stderr, or with errors_below to
 * the errors listed further down the page. */
struct exh_summary;
const char *exh_next_steps(const struct exh_summary *s, bool errors_below);

/* Text for a terminal: control bytes, C1 controls and invalid UTF-8 as \xNN,
 * format characters as <U+XXXX>; at most max bytes of input (then "..."). */
void exh_text_escaped(FILE *out, const char *p, size_t n, size_t max);
/* An error record as a stderr line: "exhunt: cannot read 'PATH': message",
 * or for a --collect copy (the file was read by the scan) "exhunt: --collect:
 * 'PATH': message". Escaped as exh_text_escaped. */
struct exh_error_rec;
void exh_text_error_line(FILE *out, const struct exh_error_rec *e);
/* Text for HTML element content (never an attribute value): & < > " ' as
 * entities; control bytes and invalid UTF-8 as \xNN and format characters as
 * &lt;U+XXXX&gt;, with mark each inside <span class="x"> so they stand out
 * (not in <title> or SVG text, where a <span> would end the SVG); at most max
 * bytes of input (then "..."). */
/* 'sha256-<base64>' of s, for a Content-Security-Policy (the pages' inline style and script) */
void exh_csp_hash(FILE *o, const char *s);
void exh_html_escaped(FILE *out, const char *p, size_t n, size_t max, bool mark);
/* One RFC 4180 cell, made formula-safe also where ';' separates cells:
 * control bytes as \xNN, format characters as <U+XXXX>, invalid UTF-8 as
 * U+FFFD; quoted when it holds , ; " or starts a formula. */
void exh_csv_cell(FILE *out, const char *p, size_t n);

#endif
