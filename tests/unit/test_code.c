/* test_code.c: server regions and tokens (src/read/code.c). */
#include "exh/code.h"
#include "t.h"

static struct exh_code c;

static void parse(const char *s, enum exh_code_mode mode, enum exh_lang lang)
{
    exh_code_parse(&c, (const uint8_t *)s, strlen(s), mode, lang);
}

/* The identifiers of the parse, space separated, lower case as written. */
static const char *idents(void)
{
    static char out[2048];
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c.n && k < sizeof(out) - 64; i++) {
        if (c.t[i].kind != EXH_TOK_IDENT)
            continue;
        struct exh_str s = exh_tok_text(&c, &c.t[i]);
        k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%.*s", k ? " " : "", (int)s.n, s.p);
    }
    return out;
}

static size_t count(enum exh_tok_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < c.n; i++)
        n += c.t[i].kind == kind;
    return n;
}

static void test_regions(void)
{
    parse("<html><%@ Page Language=\"Jscript\" %><% eval(a) %><p>eval(b)</p>"
          "<script>eval(c)</script><script runat=\"server\">function f(){ d() }</script>"
          "<%-- e() --%><%= g %><%# h %>",
          EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK_EQ_INT(c.lang, EXH_LANG_JSCRIPT);
    CHECK(c.page_directive);
    CHECK_EQ_INT(c.regions, 4);
    CHECK_EQ_STR(idents(), "eval a function f d g h"); /* no b, c (client) or e (comment) */
    /* <% inside a client script is still server code */
    parse("<script>var x = '<%= Request[\"q\"] %>';</script>", EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK_EQ_STR(idents(), "Request");
    /* runat without quotes, any case; the script's own language */
    parse("<SCRIPT LANGUAGE=vbscript RUNAT=Server>Execute x</SCRIPT>", EXH_CODE_MARKUP,
          EXH_LANG_CSHARP);
    CHECK_EQ_STR(idents(), "Execute x");
    CHECK(c.n && c.t[0].lang == EXH_LANG_VB);
    /* a code file: everything is code, the directive is skipped */
    parse("<%@ WebHandler Language=\"C#\" Class=\"H\" %>\nclass H { void P() { Go(); } }",
          EXH_CODE_SOURCE, EXH_LANG_CSHARP);
    CHECK_EQ_STR(idents(), "class H void P Go");
    /* unterminated constructs end at the end of input */
    parse("<% eval(x", EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK_EQ_STR(idents(), "eval x");
    parse("<script runat=server>y(", EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK_EQ_STR(idents(), "y");
    parse("<%-- never closed <% z %>", EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK_EQ_INT(c.n, 0);
}

static void test_tokens(void)
{
    parse("a = \"x\\\"y\\x41\\u0042\" + 'c' + @\"p\"\"q\" // tail\n b /* c */ = 0x1F; d",
          EXH_CODE_SOURCE, EXH_LANG_CSHARP);
    CHECK_EQ_STR(idents(), "a b d");
    CHECK_EQ_INT(count(EXH_TOK_STRING), 3);
    size_t k = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (c.t[i].kind != EXH_TOK_STRING)
            continue;
        struct exh_str v = exh_tok_string(&c, &c.t[i]);
        if (k == 0)
            CHECK_EQ_STRN(v, "x\"yAB");
        if (k == 1)
            CHECK_EQ_STRN(v, "c");
        if (k == 2)
            CHECK_EQ_STRN(v, "p\"q");
        k++;
    }
    CHECK_EQ_INT(count(EXH_TOK_NUMBER), 1);
    /* VB: "" quotes, ' comments, REM, line ends and ':' end statements */
    parse("x = \"a\"\"b\" ' note\nREM all of this\ny = 1 : z = 2", EXH_CODE_SOURCE, EXH_LANG_VB);
    CHECK_EQ_STR(idents(), "x y z");
    CHECK_EQ_INT(count(EXH_TOK_END), 3);
    /* no two statement ends in a row */
    parse(";;;{};\n;", EXH_CODE_SOURCE, EXH_LANG_CSHARP);
    for (size_t i = 1; i < c.n; i++)
        CHECK(!(c.t[i].kind == EXH_TOK_END && c.t[i - 1].kind == EXH_TOK_END));
    CHECK(exh_tok_is(&c, 99, "x") == false);
}

static void test_utf16(void)
{
    const char *page = "<% eval(Request[\"k\"]) %>";
    uint8_t buf[128];
    size_t n = 0;
    buf[n++] = 0xFF;
    buf[n++] = 0xFE;
    for (const char *p = page; *p; p++) {
        buf[n++] = (uint8_t)*p;
        buf[n++] = 0;
    }
    exh_code_parse(&c, buf, n, EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK(c.utf16);
    CHECK_EQ_STR(idents(), "eval Request");
    /* without a BOM it is recognised by its zero bytes */
    exh_code_parse(&c, buf + 2, n - 2, EXH_CODE_MARKUP, EXH_LANG_CSHARP);
    CHECK(c.utf16);
    CHECK_EQ_STR(idents(), "eval Request");
    /* ordinary text is not UTF-16 */
    struct exh_buf out = {0};
    CHECK(!exh_utf16_to_utf8((const uint8_t *)"plain text here", 15, &out));
    /* the projection picks ASCII out of UTF-16LE inside binary data */
    uint8_t bin[] = {0x30, 0x82, 'a', 0, 'b', 0, 0xFF, 0xFF, 'c', 0};
    exh_utf16le_ascii_projection(bin, sizeof(bin), 0, &out);
    CHECK_EQ_INT(out.n, 5);
    CHECK(out.p[1] == 'a' && out.p[2] == 'b' && out.p[4] == 'c' && out.p[3] == '\n');
    exh_buf_release(&out);
}

int main(void)
{
    exh_code_init(&c);
    T_RUN(test_regions);
    T_RUN(test_tokens);
    T_RUN(test_utf16);
    exh_code_release(&c);
    return T_DONE("unit-code");
}
