/* core.c: allocation, sized strings, buffers, UTF-8 validation, base64. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/hash.h"
#include "exh/banned.h"

static void oom(size_t n)
{
    fprintf(stderr, "exhunt: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void exh_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "exhunt: BUG at %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputs(" (a fault in exhunt, not in the evidence: please report it)\n", stderr);
    va_end(ap);
    abort();
}

void *exh_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *exh_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *exh_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *exh_xstrndup(const char *p, size_t n)
{
    char *s = exh_xmalloc(n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

char *exh_xstrdup(const char *s)
{
    return exh_xstrndup(s, strlen(s));
}

uint64_t exh_count_lf(const void *data, size_t n)
{
    const unsigned char *p = data;
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

const char *exh_find_ci(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0)
        return hay;
    if (n < m)
        return NULL;
    unsigned char first = exh_lc((unsigned char)needle[0]);
    unsigned char other = (first >= 'a' && first <= 'z') ? (unsigned char)(first - 32) : first;
    const char *end = hay + (n - m) + 1;
    const char *p = hay;
    /* look for the next candidate first byte (either case) in a window that
     * starts small after each candidate and doubles while it holds none:
     * the work is linear in the distance to the match found, also when one
     * case never occurs (searching the whole rest for it at every candidate,
     * or at every call of a caller that steps through the matches, was
     * quadratic: "Set-" x 80,000 searched for "set-" took a second) */
    size_t w = 64;
    while (p < end) {
        size_t span = (size_t)(end - p) < w ? (size_t)(end - p) : w;
        const char *c = memchr(p, first, span);
        if (other != first) {
            const char *b = memchr(p, other, c ? (size_t)(c - p) : span);
            if (b)
                c = b;
        }
        if (!c) {
            p += span;
            if (w < 65536)
                w *= 2;
            continue;
        }
        w = 64;
        size_t i = 1;
        while (i < m && exh_lc((unsigned char)c[i]) == exh_lc((unsigned char)needle[i]))
            i++;
        if (i == m)
            return c;
        p = c + 1;
    }
    return NULL;
}

struct exh_str exh_trim(struct exh_str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
        s.n--;
    return s;
}

void exh_buf_grow(struct exh_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - 1 - b->n)
        oom(SIZE_MAX);
    size_t need = b->n + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap * 2;
    b->p = exh_xrealloc(b->p, cap);
    b->cap = cap;
}

void exh_buf_adds(struct exh_buf *b, const char *s)
{
    exh_buf_add(b, s, strlen(s));
}

void exh_buf_addf(struct exh_buf *b, const char *fmt, ...)
{
    va_list ap;
    exh_buf_reserve(b, 0); /* p is a string even when nothing is added */
    if (b->n == 0)
        b->p[0] = '\0';
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k <= 0)
        return;
    exh_buf_reserve(b, (size_t)k);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void exh_buf_add_u64(struct exh_buf *b, unsigned long long v)
{
    char d[24];
    size_t i = sizeof(d);
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    exh_buf_add(b, d + i, sizeof(d) - i);
}

void exh_buf_release(struct exh_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

char *exh_buf_detach(struct exh_buf *b)
{
    char *p = b->p ? b->p : exh_xstrdup("");
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void exh_buf_add_cp(struct exh_buf *b, uint32_t u)
{
    char o[4];
    if ((u >= 0xD800 && u <= 0xDFFF) || u > 0x10FFFF)
        u = 0xFFFD;
    if (u < 0x80) {
        exh_buf_addc(b, (char)u);
    } else if (u < 0x800) {
        o[0] = (char)(0xC0 | (u >> 6));
        o[1] = (char)(0x80 | (u & 0x3F));
        exh_buf_add(b, o, 2);
    } else if (u < 0x10000) {
        o[0] = (char)(0xE0 | (u >> 12));
        o[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        o[2] = (char)(0x80 | (u & 0x3F));
        exh_buf_add(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | (u >> 18));
        o[1] = (char)(0x80 | ((u >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((u >> 6) & 0x3F));
        o[3] = (char)(0x80 | (u & 0x3F));
        exh_buf_add(b, o, 4);
    }
}

void exh_buf_add_utf16(struct exh_buf *b, const uint8_t *p, size_t units, bool big_endian, char nul)
{
    exh_buf_reserve(b, units * 3); /* the most UTF-8 a UTF-16 unit becomes */
    for (size_t i = 0; i < units; i++) {
        const uint8_t *q = p + 2 * i;
        uint32_t u = big_endian ? (uint32_t)q[0] << 8 | q[1] : (uint32_t)q[1] << 8 | q[0];
        if (u - 1 < 0x7F) { /* ASCII but NUL: the common case, room reserved above */
            b->p[b->n++] = (char)u;
            continue;
        }
        if (u == 0) {
            if (nul)
                b->p[b->n++] = nul;
            continue;
        }
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
            const uint8_t *r = q + 2;
            uint32_t l = big_endian ? (uint32_t)r[0] << 8 | r[1] : (uint32_t)r[1] << 8 | r[0];
            if (l >= 0xDC00 && l <= 0xDFFF) {
                exh_buf_add_cp(b, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
                i++;
                continue;
            }
        }
        exh_buf_add_cp(b, u);
    }
    if (b->p)
        b->p[b->n] = '\0';
}

size_t exh_utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
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

bool exh_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t len = exh_utf8_decode(p + i, n - i, &cp);
        if (!len)
            return false;
        i += len;
    }
    return true;
}

void exh_base64_add(struct exh_buf *b, const void *data, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    exh_buf_reserve(b, (n + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        char o[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
        exh_buf_add(b, o, 4);
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        char o[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=', '='};
        exh_buf_add(b, o, 4);
    }
}

/* exh_hex (hash.h): the same on every platform, so it lives here. */
void exh_hex(const uint8_t *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void exh_buf_feed_lines(struct exh_buf *acc, const char *p, size_t n,
                        void (*fn)(void *ud, const char *line), void *ud)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            exh_buf_addc(acc, '\0');
            fn(ud, acc->p);
            exh_buf_reset(acc);
        } else {
            exh_buf_addc(acc, p[i]);
        }
    }
}
