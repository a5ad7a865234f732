/* util.c: JSON, terminal and CSV escaping. Every byte of evidence comes from
 * an attacker, so nothing is written raw. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "exh/banned.h"

/* Bytes JSON takes as they are: printable ASCII but the quote and backslash. */
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Are all eight bytes at p in the plain set (0x20..0x7E but '"' and '\\')?
 * Word-at-a-time: a byte is zero in x ^ c*ONES exactly when it equals c; the
 * "has a zero byte" test (v - ONES) & ~v & HIGH flags at least the first such
 * byte, which is all a yes/no answer needs. */
static inline bool plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t v;
    memcpy(&v, p, 8);
    uint64_t q = v ^ (ones * '"'), s = v ^ (ones * '\\'), d = v ^ (ones * 0x7F);
    uint64_t bad = v & high;                     /* 0x80..0xFF */
    bad |= (v - ones * 0x20) & ~v & high;        /* < 0x20 (bytes < 0x80 here) */
    bad |= (q - ones) & ~q & high;
    bad |= (s - ones) & ~s & high;
    bad |= (d - ones) & ~d & high;
    return bad == 0;
}

void exh_json_buf(struct exh_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    exh_buf_reserve(b, n + 2);
    b->p[b->n++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* eight bytes at a time while none needs escaping */
        while (run + 8 <= n && plain8(p + run))
            run += 8;
        while (run < n && plain[p[run]])
            run++;
        if (run > i) {
            exh_buf_add(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned c = p[i];
        char esc[7] = {'\\', 0};
        size_t k = 2;
        if (c == '"' || c == '\\')
            esc[1] = (char)c;
        else if (c == '\n')
            esc[1] = 'n';
        else if (c == '\r')
            esc[1] = 'r';
        else if (c == '\t')
            esc[1] = 't';
        else if (c < 0x20 || c == 0x7F) {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        } else {
            unsigned cp;
            size_t len = exh_utf8_decode(p + i, n - i, &cp);
            if (!len) {
                exh_buf_add(b, "\\ufffd", 6);
                i++;
            } else {
                exh_buf_add(b, p + i, len);
                i += len;
            }
            continue;
        }
        exh_buf_add(b, esc, k);
        i++;
    }
    exh_buf_addc(b, '"');
}

void exh_json_str(FILE *out, const char *s, size_t n)
{
    char small[256];
    struct exh_buf b = {small, 0, sizeof(small)};
    /* the stack buffer serves short strings; a longer one moves to the heap */
    if (n * 6 + 3 > sizeof(small))
        b = (struct exh_buf){0};
    exh_json_buf(&b, s, n);
    fwrite(b.p, 1, b.n, out);
    if (b.p != small)
        exh_buf_release(&b);
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
