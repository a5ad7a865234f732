/* fuzz_code.c: the server-side code reader (src/read/code.c) on arbitrary
 * bytes: exh_code_parse in both modes, exh_utf16_to_utf8 and
 * exh_utf16le_ascii_projection.
 *
 * Input layout: byte 0 % 3 is the default language (0 C#, 1 JScript, 2 VB);
 * the rest is the page (an exact-size copy, so reading past its end is an
 * ASan error).
 *
 * The page is parsed as MARKUP, then as SOURCE, then as MARKUP again into the
 * same struct exh_code (exh_code_parse "replaces what c held"); the last
 * result must equal a parse into a fresh struct. Every result is checked
 * against code.h: every token lies inside c->text and every string value
 * inside c->strs (and is no longer than its literal); at most
 * EXH_CODE_MAX_TOKENS tokens; no statement end first or twice in a row;
 * identifiers are made of identifier characters and do not start with a
 * digit; numbers start with a digit; a punctuation token is its one
 * character; a string token starts at its quote; offsets never go back;
 * SOURCE mode is one region; c->text is the input (less a UTF-8 BOM) or, for
 * UTF-16, its valid UTF-8 transcoding. The two UTF-16 helpers are checked
 * against naive decoders written here: exh_utf16_to_utf8 leaves its output
 * alone when it says no, and otherwise produces exactly the LE or the BE
 * decoding; the ASCII projection is compared byte by byte. The projections
 * are parsed too, as det_webshell.c does for binary drops. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/code.h"
#include "exh/core.h"
#include "fuzz.h"
#include "exh/banned.h"

/* Identifier characters as code.h describes them (ASCII letters, '_', '$',
 * every byte >= 0x80, and digits after the first). */
static bool cd_ident_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$' ||
           ch >= 0x80;
}

static bool cd_ident_char(unsigned char ch)
{
    return cd_ident_start(ch) || (ch >= '0' && ch <= '9');
}

static size_t cd_count_byte(const char *p, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == c;
    return k;
}

static bool cd_contains(const char *p, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    for (size_t i = 0; i + m <= n; i++)
        if (!memcmp(p + i, lit, m))
            return true;
    return false;
}

/* The contracts of code.h for one parse of page[0..n). */
static void cd_check(const struct exh_code *c, const uint8_t *page, size_t n,
                     enum exh_code_mode mode)
{
    EXH_FUZZ_CHECK(c->n <= EXH_CODE_MAX_TOKENS);
    EXH_FUZZ_CHECK(c->n <= c->cap);
    EXH_FUZZ_CHECK(c->n == 0 || c->t != NULL);
    EXH_FUZZ_CHECK(!c->truncated || c->n == EXH_CODE_MAX_TOKENS);
    EXH_FUZZ_CHECK(c->lang <= EXH_LANG_VB);
    EXH_FUZZ_CHECK(c->text.n == 0 || c->text.p != NULL);
    EXH_FUZZ_CHECK(c->strs.n == 0 || c->strs.p != NULL);
    exh_fuzz_touch(c->text.p, c->text.n);
    exh_fuzz_touch(c->strs.p, c->strs.n);
    const char *s = c->text.p;
    size_t len = c->text.n;

    /* the text: the bytes as given (less a UTF-8 BOM), or their transcoding */
    if (c->utf16) {
        EXH_FUZZ_CHECK(exh_utf8_valid(s, len));
        EXH_FUZZ_CHECK(len == 0 || memchr(s, '\0', len) == NULL);
        EXH_FUZZ_CHECK(len <= 3 * (n / 2));
    } else {
        size_t skip = n >= 3 && page[0] == 0xEF && page[1] == 0xBB && page[2] == 0xBF ? 3 : 0;
        EXH_FUZZ_CHECK(len == n - skip);
        EXH_FUZZ_CHECK(len == 0 || !memcmp(s, page + skip, len));
    }
    if (mode == EXH_CODE_SOURCE)
        EXH_FUZZ_CHECK(c->regions == 1);
    else
        EXH_FUZZ_CHECK(c->regions <= cd_count_byte(s, len, '<'));
    if (c->page_directive)
        EXH_FUZZ_CHECK(cd_contains(s, len, "<%@"));

    EXH_FUZZ_CHECK(c->n == 0 || s != NULL);
    size_t prev_off = 0, strs_end = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct exh_tok *t = &c->t[i];
        EXH_FUZZ_CHECK(t->kind <= EXH_TOK_END);
        EXH_FUZZ_CHECK(t->lang <= EXH_LANG_VB);
        EXH_FUZZ_CHECK(t->off <= len && t->len <= len - t->off);
        EXH_FUZZ_CHECK(t->off >= prev_off);
        prev_off = t->off;
        const unsigned char *q = (const unsigned char *)s + t->off;
        struct exh_str ts = exh_tok_text(c, t);
        EXH_FUZZ_CHECK(ts.n == t->len && (ts.n == 0 || ts.p == (const char *)q));
        EXH_FUZZ_CHECK(exh_tok_punct(c, i, t->punct) == (t->kind == EXH_TOK_PUNCT));
        if (t->kind != EXH_TOK_STRING)
            EXH_FUZZ_CHECK(t->s_off == 0 && t->s_len == 0);
        switch (t->kind) {
        case EXH_TOK_IDENT:
            EXH_FUZZ_CHECK(t->len >= 1 && cd_ident_start(q[0]));
            for (size_t k = 1; k < t->len; k++)
                EXH_FUZZ_CHECK(cd_ident_char(q[k]));
            break;
        case EXH_TOK_NUMBER:
            EXH_FUZZ_CHECK(t->len >= 1 && q[0] >= '0' && q[0] <= '9');
            break;
        case EXH_TOK_PUNCT:
            EXH_FUZZ_CHECK(t->len == 1 && (char)q[0] == t->punct);
            EXH_FUZZ_CHECK(t->punct >= 0x21 && t->punct < 0x7F);
            break;
        case EXH_TOK_STRING: {
            EXH_FUZZ_CHECK(t->len >= 1 && (q[0] == '"' || q[0] == '\''));
            EXH_FUZZ_CHECK(t->s_off <= c->strs.n && t->s_len <= c->strs.n - t->s_off);
            /* a decoded value is never longer than its literal */
            EXH_FUZZ_CHECK(t->s_len <= t->len);
            /* values are appended in order and never shared */
            EXH_FUZZ_CHECK(t->s_off >= strs_end);
            strs_end = (size_t)t->s_off + t->s_len;
            struct exh_str v = exh_tok_string(c, t);
            EXH_FUZZ_CHECK(v.n == t->s_len);
            exh_fuzz_touch(v.p, v.n);
            break;
        }
        case EXH_TOK_END:
            EXH_FUZZ_CHECK(i > 0 && c->t[i - 1].kind != EXH_TOK_END);
            EXH_FUZZ_CHECK(t->len <= 1);
            if (t->len)
                EXH_FUZZ_CHECK(q[0] == ';' || q[0] == ':');
            break;
        default:
            break;
        }
    }
    EXH_FUZZ_CHECK(!exh_tok_is(c, c->n, "x"));
    EXH_FUZZ_CHECK(!exh_tok_punct(c, c->n, '('));
}

/* Two parses gave the same answer. */
static void cd_same(const struct exh_code *a, const struct exh_code *b)
{
    EXH_FUZZ_CHECK(a->n == b->n);
    EXH_FUZZ_CHECK(a->n == 0 || !memcmp(a->t, b->t, a->n * sizeof(*a->t)));
    EXH_FUZZ_CHECK(a->text.n == b->text.n);
    EXH_FUZZ_CHECK(a->text.n == 0 || !memcmp(a->text.p, b->text.p, a->text.n));
    EXH_FUZZ_CHECK(a->strs.n == b->strs.n);
    EXH_FUZZ_CHECK(a->strs.n == 0 || !memcmp(a->strs.p, b->strs.p, a->strs.n));
    EXH_FUZZ_CHECK(a->lang == b->lang && a->utf16 == b->utf16 && a->regions == b->regions);
    EXH_FUZZ_CHECK(a->page_directive == b->page_directive && a->truncated == b->truncated);
}

/* ------------------------------------------------------------- UTF-16 -- */

/* A naive UTF-16 decoder: a high surrogate followed by a low one is one
 * code point, any other surrogate U+FFFD, U+0000 dropped. */
static void cd_put(struct exh_buf *b, unsigned long u)
{
    if (u >= 0xD800 && u <= 0xDFFF)
        u = 0xFFFD;
    if (u < 0x80) {
        exh_buf_addc(b, (char)u);
    } else if (u < 0x800) {
        exh_buf_addc(b, (char)(0xC0 | (u >> 6)));
        exh_buf_addc(b, (char)(0x80 | (u & 0x3F)));
    } else if (u < 0x10000) {
        exh_buf_addc(b, (char)(0xE0 | (u >> 12)));
        exh_buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3F)));
        exh_buf_addc(b, (char)(0x80 | (u & 0x3F)));
    } else {
        exh_buf_addc(b, (char)(0xF0 | (u >> 18)));
        exh_buf_addc(b, (char)(0x80 | ((u >> 12) & 0x3F)));
        exh_buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3F)));
        exh_buf_addc(b, (char)(0x80 | (u & 0x3F)));
    }
}

static void cd_naive_utf16(const uint8_t *p, size_t n, size_t start, bool be, struct exh_buf *out)
{
    exh_buf_reset(out);
    for (size_t i = start; i + 1 < n; i += 2) {
        unsigned u = be ? (unsigned)(p[i] << 8 | p[i + 1]) : (unsigned)(p[i + 1] << 8 | p[i]);
        if (!u)
            continue;
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            unsigned l =
                be ? (unsigned)(p[i + 2] << 8 | p[i + 3]) : (unsigned)(p[i + 3] << 8 | p[i + 2]);
            if (l >= 0xDC00 && l <= 0xDFFF) {
                cd_put(out, 0x10000ul + ((unsigned long)(u - 0xD800) << 10) + (l - 0xDC00));
                i += 2;
                continue;
            }
        }
        cd_put(out, u);
    }
}

static bool cd_buf_eq(const struct exh_buf *a, const struct exh_buf *b)
{
    return a->n == b->n && (a->n == 0 || !memcmp(a->p, b->p, a->n));
}

static void cd_check_utf16(const uint8_t *p, size_t n)
{
    /* "false (out untouched)": fill out with something first */
    static const char marker[] = "untouched";
    struct exh_buf out = {0}, le = {0}, be = {0};
    exh_buf_add(&out, marker, sizeof(marker) - 1);
    char *before = out.p;
    bool yes = exh_utf16_to_utf8(p, n, &out);
    bool bom_le = n >= 2 && p[0] == 0xFF && p[1] == 0xFE;
    bool bom_be = n >= 2 && p[0] == 0xFE && p[1] == 0xFF;
    if (bom_le || bom_be)
        EXH_FUZZ_CHECK(yes);
    else if (n < 8)
        EXH_FUZZ_CHECK(!yes);
    if (!yes) {
        EXH_FUZZ_CHECK(out.p == before && out.n == sizeof(marker) - 1);
        EXH_FUZZ_CHECK(!memcmp(out.p, marker, out.n));
    } else {
        EXH_FUZZ_CHECK(exh_utf8_valid(out.p, out.n));
        size_t start = bom_le || bom_be ? 2 : 0;
        cd_naive_utf16(p, n, start, false, &le);
        cd_naive_utf16(p, n, start, true, &be);
        if (bom_le)
            EXH_FUZZ_CHECK(cd_buf_eq(&out, &le));
        else if (bom_be)
            EXH_FUZZ_CHECK(cd_buf_eq(&out, &be));
        else
            EXH_FUZZ_CHECK(cd_buf_eq(&out, &le) || cd_buf_eq(&out, &be));
    }
    exh_buf_release(&out);
    exh_buf_release(&le);
    exh_buf_release(&be);
}

/* The projection at one alignment, checked byte by byte, then parsed. */
static void cd_check_projection(const uint8_t *p, size_t n, int align, struct exh_buf *proj,
                                struct exh_code *c)
{
    exh_utf16le_ascii_projection(p, n, align, proj);
    size_t want = n > (size_t)align ? (n - (size_t)align) / 2 : 0;
    EXH_FUZZ_CHECK(proj->n == want);
    EXH_FUZZ_CHECK(proj->p != NULL && proj->p[proj->n] == '\0');
    for (size_t k = 0; k < want; k++) {
        uint8_t lo = p[(size_t)align + 2 * k], hi = p[(size_t)align + 2 * k + 1];
        bool ok = hi == 0 && ((lo >= 0x20 && lo < 0x7F) || lo == '\t' || lo == '\r' || lo == '\n');
        EXH_FUZZ_CHECK(proj->p[k] == (ok ? (char)lo : '\n'));
    }
    /* as det_webshell.c reads a PST or DER file with a page name */
    uint8_t *copy = exh_fuzz_dup(proj->p, proj->n);
    exh_code_parse(c, copy, proj->n, EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    cd_check(c, copy, proj->n, EXH_CODE_MARKUP);
    /* no NUL byte and no BOM: a projection never looks like UTF-16 */
    EXH_FUZZ_CHECK(!c->utf16);
    free(copy);
}

int exh_fuzz_code(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const enum exh_lang langs[3] = {EXH_LANG_CSHARP, EXH_LANG_JSCRIPT, EXH_LANG_VB};
    enum exh_lang lang = langs[data[0] % 3];
    size_t n = size - 1;
    uint8_t *page = exh_fuzz_dup(data + 1, n);

    struct exh_code c, fresh;
    exh_code_init(&c);
    exh_code_parse(&c, page, n, EXH_CODE_MARKUP, lang);
    cd_check(&c, page, n, EXH_CODE_MARKUP);
    exh_code_parse(&c, page, n, EXH_CODE_SOURCE, lang);
    cd_check(&c, page, n, EXH_CODE_SOURCE);
    /* SOURCE reads all of the text as code, with one final statement end */
    if (c.n)
        EXH_FUZZ_CHECK(c.t[c.n - 1].kind == EXH_TOK_END || c.truncated);
    exh_code_init(&fresh);
    exh_code_parse(&fresh, page, n, EXH_CODE_SOURCE, lang);
    cd_same(&c, &fresh);
    /* reusing the struct gives what a fresh one gives */
    exh_code_parse(&c, page, n, EXH_CODE_MARKUP, lang);
    cd_check(&c, page, n, EXH_CODE_MARKUP);
    exh_code_parse(&fresh, page, n, EXH_CODE_MARKUP, lang);
    cd_same(&c, &fresh);
    exh_code_release(&fresh);
    EXH_FUZZ_CHECK(fresh.t == NULL && fresh.n == 0 && fresh.text.p == NULL);

    cd_check_utf16(page, n);
    struct exh_buf proj = {0};
    cd_check_projection(page, n, 0, &proj, &c);
    cd_check_projection(page, n, 1, &proj, &c); /* the buffer is reused */
    exh_buf_release(&proj);

    exh_code_release(&c);
    free(page);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_code(data, size);
}
#endif
