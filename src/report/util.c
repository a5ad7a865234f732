/* util.c: JSON, terminal and CSV escaping. Every byte of evidence comes from
 * an attacker, so nothing is written raw. */
#include <string.h>

#include "util.h"
#include "exh/banned.h"

void exh_json_str(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7F && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            fwrite(p + i, 1, run - i, out);
            i = run;
            continue;
        }
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc((int)c, out);
            i++;
        } else if (c == '\n') {
            fputs("\\n", out);
            i++;
        } else if (c == '\r') {
            fputs("\\r", out);
            i++;
        } else if (c == '\t') {
            fputs("\\t", out);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\u%04x", c);
            i++;
        } else {
            unsigned cp;
            size_t len = exh_utf8_decode(p + i, n - i, &cp);
            if (!len) {
                fputs("\\ufffd", out);
                i++;
            } else {
                fwrite(p + i, 1, len, out);
                i += len;
            }
        }
    }
    fputc('"', out);
}

void exh_text_escaped(FILE *out, const char *s, size_t n, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t lim = n > max ? max : n;
    size_t i = 0;
    while (i < lim) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            fputc((int)c, out);
            i++;
            continue;
        }
        unsigned cp;
        size_t len = c >= 0x80 ? exh_utf8_decode(p + i, n - i, &cp) : 0;
        if (len && i + len > lim)
            break; /* a character that would cross the limit */
        if (len && cp >= 0xA0) {
            fwrite(p + i, 1, len, out);
            i += len;
        } else if (len) { /* C1 control: escape every byte */
            for (size_t k = 0; k < len; k++)
                fprintf(out, "\\x%02x", p[i + k]);
            i += len;
        } else {
            fprintf(out, "\\x%02x", c);
            i++;
        }
    }
    if (n > max)
        fputs("...", out);
}

void exh_csv_cell(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    bool formula = n && (p[0] == '=' || p[0] == '+' || p[0] == '-' || p[0] == '@' ||
                         p[0] == '\t' || p[0] == '\r');
    bool quote = formula;
    for (size_t i = 0; i < n && !quote; i++)
        quote = p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
    if (quote)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t len = exh_utf8_decode(p + i, n - i, &cp);
        if (!len) {
            fputs("\xEF\xBF\xBD", out);
            i++;
            continue;
        }
        if (p[i] == '"')
            fputc('"', out);
        fwrite(p + i, 1, len, out);
        i += len;
    }
    if (quote)
        fputc('"', out);
}
