/* code.h: server-side code in web pages, as tokens. Bytes in, tokens out.
 *
 * exh_code_parse() takes a file's bytes (UTF-8, or UTF-16 with or without a
 * BOM, which is transcoded), finds the server-side regions of an ASP or
 * ASP.NET page (<% ... %>, <%= %>, <%# %>, <script runat="server">), or takes
 * the whole text as code (.cs, .vb, handlers), and splits them into tokens:
 * identifiers, string literals (decoded), numbers, punctuation and statement
 * ends. Client-side script, HTML and comments produce no tokens.
 *
 * Tokens refer to c->text (identifiers, offsets) and c->strs (string values);
 * both live until exh_code_release(). Work is linear in the input and the
 * output is capped (EXH_CODE_MAX_TOKENS), so hostile input cannot blow up. */
#ifndef EXH_CODE_H
#define EXH_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

#define EXH_CODE_MAX_TOKENS (1u << 20)

enum exh_lang { EXH_LANG_CSHARP, EXH_LANG_JSCRIPT, EXH_LANG_VB };

enum exh_tok_kind {
    EXH_TOK_IDENT,
    EXH_TOK_STRING,
    EXH_TOK_NUMBER,
    EXH_TOK_PUNCT, /* one character in .punct; "==" and friends are two tokens */
    EXH_TOK_END    /* end of a statement: ';' or a VB line end, and region ends */
};

struct exh_tok {
    uint8_t kind;
    uint8_t lang; /* enum exh_lang of the region */
    char punct;
    uint32_t off;          /* where the token starts in text */
    uint32_t len;          /* its length in text */
    uint32_t s_off, s_len; /* strings: the decoded value in strs */
};

enum exh_code_mode {
    EXH_CODE_MARKUP, /* an .aspx/.asp page: only server regions are code */
    EXH_CODE_SOURCE  /* a code file: everything is code (a leading <%@ %> is skipped) */
};

struct exh_code {
    struct exh_tok *t;
    size_t n, cap;
    struct exh_buf text; /* the file as UTF-8 (a copy; transcoded when it was UTF-16) */
    struct exh_buf strs; /* decoded string literal values */
    enum exh_lang lang;  /* the page's default language (Page directive) */
    bool utf16;          /* the input was UTF-16 */
    uint32_t regions;    /* server regions found */
    bool page_directive; /* a <%@ Page/Control/WebHandler/WebService %> directive */
    bool truncated;      /* hit EXH_CODE_MAX_TOKENS */
};

void exh_code_init(struct exh_code *c);
void exh_code_release(struct exh_code *c);
/* Parse p[0..n); replaces what c held. default_lang applies when the page
 * names no language (VB for classic .asp, C# for ASP.NET). */
void exh_code_parse(struct exh_code *c, const uint8_t *p, size_t n, enum exh_code_mode mode,
                    enum exh_lang default_lang);

/* Token helpers. */
static inline struct exh_str exh_tok_text(const struct exh_code *c, const struct exh_tok *t)
{
    return exh_str_make(c->text.p + t->off, t->len);
}
static inline struct exh_str exh_tok_string(const struct exh_code *c, const struct exh_tok *t)
{
    return exh_str_make(c->strs.p ? c->strs.p + t->s_off : "", t->s_len);
}
bool exh_tok_is(const struct exh_code *c, size_t i,
                const char *ident); /* ident, case-insensitive */
bool exh_tok_punct(const struct exh_code *c, size_t i, char p);

/* Decode UTF-16 (LE or BE, BOM optional) to UTF-8 when p looks like UTF-16;
 * false (out untouched) otherwise. */
bool exh_utf16_to_utf8(const uint8_t *p, size_t n, struct exh_buf *out);
/* The ASCII characters of p read as UTF-16LE at the given alignment (0 or 1):
 * every byte at an even (odd) offset whose next byte is 0; other positions
 * become '\n'. For finding UTF-16 text inside binary files. */
void exh_utf16le_ascii_projection(const uint8_t *p, size_t n, int align, struct exh_buf *out);

#endif
