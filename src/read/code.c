/* code.c: server-side regions of ASP/ASP.NET pages and a small tokenizer for
 * C#, JScript and VB(Script). It knows syntax, not attacks: comments and
 * strings are recognised so that the detector sees what would run. */
#include <stdlib.h>
#include <string.h>

#include "exh/code.h"
#include "exh/banned.h"

#define TAG_SCAN_MAX 2048 /* bytes of a <script ...> tag read for attributes */

void exh_code_init(struct exh_code *c)
{
    memset(c, 0, sizeof(*c));
}

void exh_code_release(struct exh_code *c)
{
    free(c->t);
    exh_buf_release(&c->text);
    exh_buf_release(&c->strs);
    memset(c, 0, sizeof(*c));
}

bool exh_tok_is(const struct exh_code *c, size_t i, const char *ident)
{
    if (i >= c->n || c->t[i].kind != EXH_TOK_IDENT)
        return false;
    /* the first letter decides most comparisons without measuring ident */
    if (exh_lc((unsigned char)c->text.p[c->t[i].off]) != exh_lc((unsigned char)ident[0]))
        return false;
    return exh_eq_ci(exh_tok_text(c, &c->t[i]), ident);
}

bool exh_tok_punct(const struct exh_code *c, size_t i, char p)
{
    return i < c->n && c->t[i].kind == EXH_TOK_PUNCT && c->t[i].punct == p;
}

/* ------------------------------------------------------------ UTF-16 -- */

bool exh_utf16_to_utf8(const uint8_t *p, size_t n, struct exh_buf *out)
{
    int be;
    size_t start = 0;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        be = 0;
        start = 2;
    } else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
        be = 1;
        start = 2;
    } else {
        if (n < 8)
            return false;
        size_t h = n < 1024 ? n : 1024, pairs = h / 2, zodd = 0, zeven = 0;
        for (size_t i = 0; i + 1 < h; i += 2) {
            zeven += p[i] == 0;
            zodd += p[i + 1] == 0;
        }
        if (zodd * 10 >= pairs * 4 && zeven * 20 <= pairs)
            be = 0;
        else if (zeven * 10 >= pairs * 4 && zodd * 20 <= pairs)
            be = 1;
        else
            return false;
    }
    exh_buf_reset(out);
    exh_buf_add_utf16(out, p + start, (n - start) / 2, be, 0);
    return true;
}

void exh_utf16le_ascii_projection(const uint8_t *p, size_t n, int align, struct exh_buf *out)
{
    exh_buf_reset(out);
    exh_buf_reserve(out, n / 2 + 1);
    for (size_t i = (size_t)align; i + 1 < n; i += 2) {
        uint8_t c = p[i];
        bool ok = p[i + 1] == 0 && ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r' || c == '\n');
        out->p[out->n++] = ok ? (char)c : '\n';
    }
    out->p[out->n] = '\0';
}

/* ---------------------------------------------------------- tokenizer -- */

static void push(struct exh_code *c, enum exh_tok_kind kind, enum exh_lang lang, char punct,
                 size_t off, size_t len)
{
    if (c->n >= EXH_CODE_MAX_TOKENS) {
        c->truncated = true;
        return;
    }
    if (kind == EXH_TOK_END && (c->n == 0 || c->t[c->n - 1].kind == EXH_TOK_END))
        return; /* no empty statements */
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->t = exh_xrealloc(c->t, c->cap * sizeof(*c->t));
    }
    struct exh_tok *t = &c->t[c->n++];
    memset(t, 0, sizeof(*t));
    t->kind = (uint8_t)kind;
    t->lang = (uint8_t)lang;
    t->punct = punct;
    t->off = (uint32_t)off;
    t->len = (uint32_t)len;
}

static bool ident_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$' ||
           ch >= 0x80;
}

static bool ident_char(unsigned char ch)
{
    return ident_start(ch) || (ch >= '0' && ch <= '9');
}

/* A string literal starting at s[i] (the quote); returns the index after it. */
static size_t lex_string(struct exh_code *c, size_t i, size_t b, enum exh_lang lang, bool verbatim)
{
    const char *s = c->text.p;
    char q = s[i];
    size_t start = i;
    size_t so = c->strs.n;
    i++;
    bool doubled = verbatim || lang == EXH_LANG_VB; /* "" is a quote */
    while (i < b) {
        char ch = s[i];
        if (ch == q) {
            if (doubled && i + 1 < b && s[i + 1] == q) {
                exh_buf_addc(&c->strs, q);
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (ch == '\n' && !verbatim)
            break; /* unterminated: stop at the line end */
        if (ch == '\\' && !doubled && i + 1 < b) {
            char e = s[i + 1];
            i += 2;
            switch (e) {
            case 'n':
                exh_buf_addc(&c->strs, '\n');
                break;
            case 't':
                exh_buf_addc(&c->strs, '\t');
                break;
            case 'r':
                exh_buf_addc(&c->strs, '\r');
                break;
            case '0':
                exh_buf_addc(&c->strs, '\0');
                break;
            case 'x':
            case 'u': {
                unsigned v = 0;
                int k = 0, max = e == 'x' ? 2 : 4;
                while (k < max && i < b && exh_hexval((unsigned char)s[i]) >= 0) {
                    v = v * 16 + (unsigned)exh_hexval((unsigned char)s[i]);
                    i++;
                    k++;
                }
                if (k)
                    exh_buf_add_cp(&c->strs, v);
                break;
            }
            default:
                exh_buf_addc(&c->strs, e);
                break;
            }
            continue;
        }
        exh_buf_addc(&c->strs, ch);
        i++;
    }
    push(c, EXH_TOK_STRING, lang, 0, start, i - start);
    if (c->n && c->t[c->n - 1].kind == EXH_TOK_STRING && c->t[c->n - 1].off == start) {
        c->t[c->n - 1].s_off = (uint32_t)so;
        c->t[c->n - 1].s_len = (uint32_t)(c->strs.n - so);
    }
    return i;
}

static void tokenize(struct exh_code *c, size_t a, size_t b, enum exh_lang lang)
{
    const char *s = c->text.p;
    size_t i = a;
    bool stmt_start = true;
    while (i < b && !c->truncated) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            if (lang == EXH_LANG_VB) {
                push(c, EXH_TOK_END, lang, 0, i, 0);
                stmt_start = true;
            }
            i++;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            i++;
            continue;
        }
        if (ch == 0xC2 && i + 1 < b && (unsigned char)s[i + 1] == 0xA0) {
            i += 2; /* a no-break space (pasted code) separates like a space */
            continue;
        }
        if (lang == EXH_LANG_VB && ch == '\'') {
            while (i < b && s[i] != '\n')
                i++;
            continue;
        }
        if (lang != EXH_LANG_VB && ch == '/' && i + 1 < b && s[i + 1] == '/') {
            while (i < b && s[i] != '\n')
                i++;
            continue;
        }
        if (lang != EXH_LANG_VB && ch == '/' && i + 1 < b && s[i + 1] == '*') {
            const char *e = exh_find_ci(s + i + 2, b - i - 2, "*/", 2);
            i = e ? (size_t)(e - s) + 2 : b;
            continue;
        }
        if (ch == '"' || (ch == '\'' && lang != EXH_LANG_VB)) {
            i = lex_string(c, i, b, lang, false);
            stmt_start = false;
            continue;
        }
        if (ch == '@' && lang == EXH_LANG_CSHARP && i + 1 < b && s[i + 1] == '"') {
            i = lex_string(c, i + 1, b, lang, true);
            stmt_start = false;
            continue;
        }
        if (ch == '@' && lang == EXH_LANG_CSHARP && i + 1 < b &&
            ident_start((unsigned char)s[i + 1]))
            i++; /* @keyword is an identifier */
        if (ch == '[' && lang == EXH_LANG_VB && i + 1 < b && ident_start((unsigned char)s[i + 1])) {
            size_t j = i + 1; /* VB's escaped identifier: [Assembly] */
            while (j < b && ident_char((unsigned char)s[j]))
                j++;
            if (j < b && s[j] == ']') {
                push(c, EXH_TOK_IDENT, lang, 0, i + 1, j - i - 1);
                i = j + 1;
                stmt_start = false;
                continue;
            }
        }
        if (ident_start((unsigned char)s[i])) {
            size_t j = i;
            while (j < b && ident_char((unsigned char)s[j]))
                j++;
            if (lang == EXH_LANG_VB && stmt_start && exh_eq_ci(exh_str_make(s + i, j - i), "rem")) {
                while (j < b && s[j] != '\n')
                    j++;
                i = j;
                continue;
            }
            push(c, EXH_TOK_IDENT, lang, 0, i, j - i);
            i = j;
            stmt_start = false;
            continue;
        }
        if (ch >= '0' && ch <= '9') {
            size_t j = i;
            while (j < b && (ident_char((unsigned char)s[j]) || s[j] == '.'))
                j++;
            push(c, EXH_TOK_NUMBER, lang, 0, i, j - i);
            i = j;
            stmt_start = false;
            continue;
        }
        if (ch == ';' || (ch == ':' && lang == EXH_LANG_VB)) {
            push(c, EXH_TOK_END, lang, 0, i, 1);
            stmt_start = true;
            i++;
            continue;
        }
        if (ch == '{' || ch == '}') {
            push(c, EXH_TOK_END, lang, 0, i, 0);
            push(c, EXH_TOK_PUNCT, lang, (char)ch, i, 1);
            push(c, EXH_TOK_END, lang, 0, i, 0);
            stmt_start = true;
            i++;
            continue;
        }
        if (ch >= 0x21 && ch < 0x7F)
            push(c, EXH_TOK_PUNCT, lang, (char)ch, i, 1);
        stmt_start = false;
        i++;
    }
    push(c, EXH_TOK_END, lang, 0, b, 0);
}

/* ------------------------------------------------------------- markup -- */

static enum exh_lang lang_from(struct exh_str v, enum exh_lang dflt)
{
    if (exh_find_ci_lit(v, "vb"))
        return EXH_LANG_VB;
    if (exh_find_ci_lit(v, "jscript") || exh_find_ci_lit(v, "javascript") ||
        exh_eq_ci(exh_trim(v), "js"))
        return EXH_LANG_JSCRIPT;
    if (exh_find_ci_lit(v, "c#") || exh_find_ci_lit(v, "csharp") || exh_eq_ci(exh_trim(v), "cs"))
        return EXH_LANG_CSHARP;
    return dflt;
}

/* The value of attribute `name` inside tag text t (quotes optional). */
static struct exh_str attr(struct exh_str t, const char *name)
{
    size_t m = strlen(name);
    size_t from = 0;
    while (from < t.n) {
        const char *p = exh_find_ci(t.p + from, t.n - from, name, m);
        if (!p)
            break;
        size_t i = (size_t)(p - t.p) + m;
        bool word_before = p > t.p && (ident_char((unsigned char)p[-1]));
        while (i < t.n && (t.p[i] == ' ' || t.p[i] == '\t' || t.p[i] == '\r' || t.p[i] == '\n'))
            i++;
        if (!word_before && i < t.n && t.p[i] == '=') {
            i++;
            while (i < t.n && (t.p[i] == ' ' || t.p[i] == '\t'))
                i++;
            char q = i < t.n && (t.p[i] == '"' || t.p[i] == '\'') ? t.p[i] : 0;
            if (q)
                i++;
            size_t j = i;
            while (j < t.n && (q ? t.p[j] != q : (t.p[j] != ' ' && t.p[j] != '>' && t.p[j] != '%')))
                j++;
            return exh_str_make(t.p + i, j - i);
        }
        from = (size_t)(p - t.p) + m;
    }
    return EXH_STR_NULL;
}

static size_t find_end(const char *s, size_t from, size_t len, const char *what)
{
    const char *e = exh_find_ci(s + from, len - from, what, strlen(what));
    return e ? (size_t)(e - s) : len;
}

static void directive(struct exh_code *c, size_t a, size_t b)
{
    struct exh_str t = exh_str_make(c->text.p + a, b - a);
    struct exh_str l = attr(t, "language");
    if (l.n)
        c->lang = lang_from(l, c->lang);
    struct exh_str w = exh_trim(t);
    if (exh_starts_ci(w, "page") || exh_starts_ci(w, "control") || exh_starts_ci(w, "webhandler") ||
        exh_starts_ci(w, "webservice") || exh_starts_ci(w, "master") ||
        exh_starts_ci(w, "application"))
        c->page_directive = true;
}

void exh_code_parse(struct exh_code *c, const uint8_t *p, size_t n, enum exh_code_mode mode,
                    enum exh_lang default_lang)
{
    c->n = 0;
    c->regions = 0;
    c->page_directive = false;
    c->truncated = false;
    exh_buf_reset(&c->strs);
    c->utf16 = exh_utf16_to_utf8(p, n, &c->text);
    if (!c->utf16) {
        exh_buf_reset(&c->text);
        size_t skip = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
        exh_buf_add(&c->text, p + skip, n - skip);
    }
    c->lang = default_lang;
    const char *s = c->text.p ? c->text.p : "";
    size_t len = c->text.n, i = 0;
    if (mode == EXH_CODE_SOURCE) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
            i++;
        if (i + 3 <= len && !memcmp(s + i, "<%@", 3)) {
            size_t e = find_end(s, i + 3, len, "%>");
            directive(c, i + 3, e);
            i = e + 2 < len ? e + 2 : len;
        }
        tokenize(c, i, len, c->lang);
        c->regions = 1;
        return;
    }
    while (i < len && !c->truncated) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            break;
        i = (size_t)(lt - s);
        struct exh_str rest = exh_str_make(s + i, len - i);
        if (exh_starts_ci(rest, "<%--")) {
            size_t e = find_end(s, i + 4, len, "--%>");
            i = e + 4 < len ? e + 4 : len;
        } else if (exh_starts_ci(rest, "<%@")) {
            size_t e = find_end(s, i + 3, len, "%>");
            directive(c, i + 3, e);
            i = e + 2 < len ? e + 2 : len;
        } else if (exh_starts_ci(rest, "<%")) {
            size_t a = i + 2;
            if (a < len && (s[a] == '=' || s[a] == ':' || s[a] == '#' || s[a] == '$'))
                a++;
            size_t e = find_end(s, a, len, "%>");
            tokenize(c, a, e, c->lang);
            c->regions++;
            i = e + 2 < len ? e + 2 : len;
        } else if (exh_starts_ci(rest, "<script") &&
                   (rest.n == 7 || !ident_char((unsigned char)rest.p[7]))) {
            size_t lim = i + TAG_SCAN_MAX < len ? i + TAG_SCAN_MAX : len;
            const char *gt = memchr(s + i, '>', lim - i);
            if (!gt) {
                i += 7;
                continue;
            }
            struct exh_str tag = exh_str_make(s + i + 7, (size_t)(gt - s) - i - 7);
            struct exh_str runat = attr(tag, "runat");
            size_t body = (size_t)(gt - s) + 1;
            if (exh_eq_ci(exh_trim(runat), "server")) {
                enum exh_lang l = lang_from(attr(tag, "language"), c->lang);
                size_t e = find_end(s, body, len, "</script");
                tokenize(c, body, e, l);
                c->regions++;
                i = e;
            } else {
                i = body; /* client script: only <% %> inside it is server code */
            }
        } else {
            i++;
        }
    }
}
