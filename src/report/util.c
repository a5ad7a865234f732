/* util.c: JSON, terminal and CSV escaping. Every byte of evidence comes from
 * an attacker, so nothing is written raw. */
#include <string.h>

#include "util.h"
#include "exh/banned.h"

size_t exh_utf8_seq(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    unsigned v = c & (0xFFu >> (len + 1));
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

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
            size_t len = exh_utf8_seq(p + i, n - i, &cp);
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
        size_t len = c >= 0x80 ? exh_utf8_seq(p + i, n - i, &cp) : 0;
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
        size_t len = exh_utf8_seq(p + i, n - i, &cp);
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
