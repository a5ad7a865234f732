/* test_core.c: sized strings, case-insensitive search, buffers, UTF-8
 * validation, base64 and the error table (src/core). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/err.h"
#include "t.h"

static struct exh_str S(const char *s) {
    return exh_str_make(s, strlen(s));
}

static void
test_find_ci(void)
{
    const char *h = "Hello World";
    size_t n = strlen(h);
    CHECK(exh_find_ci(h, n, "WORLD", 5) == h + 6);
    CHECK(exh_find_ci(h, n, "world", 5) == h + 6);
    CHECK(exh_find_ci(h, n, "hello", 5) == h);        /* at offset 0 */
    CHECK(exh_find_ci(h, n, "HeLlO wOrLd", 11) == h); /* the whole hay */
    CHECK(exh_find_ci(h, n, "D", 1) == h + 10);       /* at the very end */
    CHECK(exh_find_ci(h, n, "rld", 3) == h + 8);
    CHECK(exh_find_ci(h, n, "Hello World!", 12) == NULL); /* needle longer than hay */
    CHECK(exh_find_ci(h, n, "worlds", 6) == NULL);        /* runs past the end */
    CHECK(exh_find_ci(h, n, "xyz", 3) == NULL);
    CHECK(exh_find_ci(h, n, "", 0) == h);     /* empty needle matches at 0 */
    CHECK(exh_find_ci(h, 0, "a", 1) == NULL); /* empty hay */
    CHECK(exh_find_ci("", 0, "", 0) != NULL);
    /* the length bounds the search, not the NUL */
    CHECK(exh_find_ci("abcdef", 3, "def", 3) == NULL);
    CHECK(exh_find_ci("abcdef", 4, "cde", 3) == NULL);
    CHECK(exh_find_ci("abcdef", 5, "cde", 3) != NULL);
    /* the needle may contain NUL bytes and is length-bounded too */
    CHECK(exh_find_ci("ab\0cd", 5, "B\0C", 3) != NULL);
    /* partial matches before the real one */
    const char *a = "aaaAAB";
    CHECK(exh_find_ci(a, 6, "aab", 3) == a + 3);
    const char *b = "xSERVERINFO~serverinfo";
    CHECK(exh_find_ci(b, strlen(b), "serverinfo~", 11) == b + 1);
    /* candidates alternate between the cases, and one case runs out first
     * (each case's next candidate is remembered, not searched for again) */
    const char *mix = "uUuUrUrl";
    CHECK(exh_find_ci(mix, strlen(mix), "url", 3) == mix + 5);
    CHECK(exh_find_ci(mix, 7, "URL", 3) == NULL);
    CHECK(exh_find_ci(mix + 4, strlen(mix) - 4, "url", 3) == mix + 5);
    const char *up = "UUUUUu";
    CHECK(exh_find_ci(up, 6, "uu", 2) == up);
    CHECK(exh_find_ci(up + 4, 2, "uu", 2) == up + 4);
    CHECK(exh_find_ci("Uuuur", 5, "ur", 2) != NULL);
    CHECK(exh_find_ci("UUUUuR", 6, "ur", 2) != NULL);
    CHECK(exh_find_ci("uuuuuu", 6, "ur", 2) == NULL);
    {
        /* a long run of one case of the first letter: linear, and right */
        size_t big = 1 << 20;
        char *u = malloc(big + 3);
        memset(u, 'u', big);
        memcpy(u + big, "RL", 3);
        CHECK(exh_find_ci(u, big + 2, "url", 3) == u + big - 1);
        CHECK(exh_find_ci(u, big + 1, "url", 3) == NULL);
        free(u);
    }
    /* only ASCII letters fold: '@' is not '`', '[' is not '{', bytes >= 0x80 are not folded */
    CHECK(exh_find_ci("a`b", 3, "A@B", 3) == NULL);
    CHECK(exh_find_ci("a{b", 3, "a[b", 3) == NULL);
    CHECK(exh_find_ci("\xC3\xA9", 2, "\xC3\x89", 2) == NULL);
    CHECK(exh_find_ci("x\xC3\xA9y", 4, "\xC3\xA9Y", 3) != NULL);
    /* first byte not a letter */
    const char *c = "id=1Y,id=2y";
    CHECK(exh_find_ci(c, strlen(c), "=2Y", 3) == c + 8);
    /* the lit helper */
    CHECK(exh_find_ci_lit(S("GET /OWA/auth"), "/owa/") != NULL);
    CHECK(exh_find_ci_lit(S("GET /OWA/auth"), "/ecp/") == NULL);
}

static void test_starts_ends_eq(void)
{
    CHECK(exh_starts_ci(S("ServerInfo~x"), "serverinfo~"));
    CHECK(exh_starts_ci(S("abc"), "ABC"));
    CHECK(exh_starts_ci(S("abc"), ""));
    CHECK(!exh_starts_ci(S("ab"), "abc"));
    CHECK(!exh_starts_ci(S(" abc"), "abc"));
    CHECK(!exh_starts_ci(exh_str_make("abcdef", 2), "abc")); /* bounded by n */
    CHECK(exh_ends_ci(S("file.ASPX"), ".aspx"));
    CHECK(exh_ends_ci(S("x"), ""));
    CHECK(!exh_ends_ci(S("aspx"), ".aspx"));
    CHECK(!exh_ends_ci(S("file.aspx "), ".aspx"));
    CHECK(exh_ends_ci(exh_str_make("file.aspx.txt", 9), ".ASPX"));
    CHECK(exh_eq_ci(S("DateTime"), "datetime"));
    CHECK(exh_eq_ci(S(""), ""));
    CHECK(exh_eq_ci(EXH_STR_NULL, ""));
    CHECK(!exh_eq_ci(S("DateTim"), "datetime"));
    CHECK(!exh_eq_ci(S("DateTimes"), "datetime"));
    CHECK(!exh_eq_ci(S("a@"), "A`"));
    CHECK(exh_eq_ci(exh_str_make("POSTX", 4), "post"));
}

static void test_trim(void)
{
    struct exh_str t = exh_trim(S(" \t abc d\t  "));
    CHECK_EQ_STRN(t, "abc d");
    t = exh_trim(S("abc"));
    CHECK_EQ_STRN(t, "abc");
    t = exh_trim(S(" \t\t "));
    CHECK_EQ_INT(t.n, 0);
    t = exh_trim(S(""));
    CHECK_EQ_INT(t.n, 0);
    t = exh_trim(EXH_STR_NULL);
    CHECK_EQ_INT(t.n, 0);
    const char *in = "  x  ";
    t = exh_trim(S(in));
    CHECK(t.p == in + 2);
    CHECK_EQ_INT(t.n, 1);
}

static void test_buf(void)
{
    struct exh_buf b = {0};
    /* growth one byte at a time */
    for (int i = 0; i < 10000; i++)
        exh_buf_addc(&b, (char)('a' + i % 26));
    CHECK_EQ_INT(b.n, 10000);
    CHECK(b.cap >= b.n + 1);
    CHECK_EQ_INT(b.p[b.n], 0);
    int ok = 1;
    for (int i = 0; i < 10000; i++)
        ok &= b.p[i] == (char)('a' + i % 26);
    CHECK(ok);

    /* reset keeps the memory and empties the string */
    size_t cap = b.cap;
    exh_buf_reset(&b);
    CHECK_EQ_INT(b.n, 0);
    CHECK_EQ_INT(b.cap, cap);
    CHECK_EQ_STR(b.p, "");

    /* add, adds, addf */
    exh_buf_add(&b, "ab\0cd", 5);
    CHECK_EQ_INT(b.n, 5);
    CHECK(memcmp(b.p, "ab\0cd", 6) == 0);
    exh_buf_reset(&b);
    exh_buf_adds(&b, "x=");
    exh_buf_addf(&b, "%d-%s-%05.1f", 42, "str", 3.5);
    CHECK_EQ_STR(b.p, "x=42-str-003.5");
    CHECK_EQ_INT(b.n, strlen("x=42-str-003.5"));
    exh_buf_release(&b);
    CHECK(b.p == NULL);
    CHECK_EQ_INT(b.n, 0);
    CHECK_EQ_INT(b.cap, 0);

    /* addf that needs to grow the buffer several times at once */
    char big[5000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    exh_buf_adds(&b, "<");
    exh_buf_addf(&b, "%s>%zu", big, sizeof(big));
    CHECK_EQ_INT(b.n, 1 + 4999 + 1 + 4);
    CHECK(b.p[0] == '<' && b.p[1] == 'q' && b.p[4999] == 'q' && b.p[5000] == '>');
    CHECK_EQ_STR(b.p + 5001, "5000");
    CHECK(b.cap > b.n);

    /* detach hands over the bytes and leaves the buffer empty */
    size_t n = b.n;
    char *d = exh_buf_detach(&b);
    CHECK(d != NULL);
    CHECK_EQ_INT(strlen(d), n);
    CHECK(b.p == NULL && b.n == 0 && b.cap == 0);
    free(d);
    /* detach of a never-used buffer still gives a string to free() */
    d = exh_buf_detach(&b);
    CHECK(d != NULL);
    if (d)
        CHECK_EQ_STR(d, "");
    free(d);
    /* the buffer is reusable after detach */
    exh_buf_adds(&b, "again");
    CHECK_EQ_STR(b.p, "again");
    exh_buf_release(&b);

    /* "p is NUL-terminated ... after any append": an empty append too */
    exh_buf_add(&b, "", 0);
    CHECK(b.p != NULL);
    if (b.p)
        CHECK_EQ_STR(b.p, "");
    exh_buf_release(&b);
    exh_buf_adds(&b, "");
    CHECK(b.p != NULL && b.p[0] == '\0');
    exh_buf_release(&b);
    /* BUG (core.c exh_buf_addf): an addf that formats to "" returns before
     * allocating, so p stays NULL on a fresh buffer */
    exh_buf_addf(&b, "%s", "");
    CHECK(b.p != NULL && b.n == 0);
    if (b.p)
        CHECK_EQ_STR(b.p, "");
    exh_buf_release(&b);

    /* xstrndup copies exactly n bytes */
    char *s = exh_xstrndup("abcdef", 3);
    CHECK_EQ_STR(s, "abc");
    free(s);
    s = exh_xstrndup(NULL, 0);
    CHECK_EQ_STR(s, "");
    free(s);
}

struct u8case {
    const char *s;
    size_t n;
    bool ok;
    const char *what;
};

static void test_utf8(void)
{
    static const struct u8case cases[] = {
        {"", 0, true, "empty"},
        {"plain ascii ~\x7f", 14, true, "ascii incl DEL"},
        {"a\0b", 3, true, "embedded NUL"},
        {"\xC3\xA9", 2, true, "U+00E9"},
        {"\xC2\x80", 2, true, "U+0080 smallest 2-byte"},
        {"\xDF\xBF", 2, true, "U+07FF"},
        {"\xE0\xA0\x80", 3, true, "U+0800 smallest 3-byte"},
        {"\xE2\x82\xAC", 3, true, "euro"},
        {"\xED\x9F\xBF", 3, true, "U+D7FF below surrogates"},
        {"\xEE\x80\x80", 3, true, "U+E000 above surrogates"},
        {"\xEF\xBF\xBF", 3, true, "U+FFFF"},
        {"\xF0\x90\x80\x80", 4, true, "U+10000 smallest 4-byte"},
        {"\xF0\x9F\x98\x80", 4, true, "emoji"},
        {"\xF4\x8F\xBF\xBF", 4, true, "U+10FFFF"},
        {"x\xF0\x9F\x98\x80y\xC3\xA9", 8, true, "mixed"},
        /* overlongs */
        {"\xC0\x80", 2, false, "overlong NUL C0 80"},
        {"\xC0\xAF", 2, false, "overlong / C0 AF"},
        {"\xC1\xBF", 2, false, "overlong C1 BF"},
        {"\xE0\x80\x80", 3, false, "overlong E0 80 80"},
        {"\xE0\x9F\xBF", 3, false, "overlong E0 9F BF"},
        {"\xF0\x80\x80\x80", 4, false, "overlong F0 80 80 80"},
        {"\xF0\x8F\xBF\xBF", 4, false, "overlong F0 8F BF BF"},
        /* surrogates */
        {"\xED\xA0\x80", 3, false, "U+D800"},
        {"\xED\xBF\xBF", 3, false, "U+DFFF"},
        {"\xED\xA0\xBD\xED\xB8\x80", 6, false, "CESU pair"},
        /* out of range / never valid bytes */
        {"\xF4\x90\x80\x80", 4, false, "U+110000"},
        {"\xF5\x80\x80\x80", 4, false, "F5 lead"},
        {"\xF8\x88\x80\x80\x80", 5, false, "5-byte form"},
        {"\xFE", 1, false, "FE"},
        {"\xFF", 1, false, "FF"},
        /* truncated sequences */
        {"\xC3", 1, false, "lone C3"},
        {"a\xC3", 2, false, "C3 at end"},
        {"\xE2\x82", 2, false, "3-byte cut after 2"},
        {"\xF0\x9F\x98", 3, false, "4-byte cut after 3"},
        {"\xC3\xA9", 1, false, "valid pair cut by n"},
        {"\xF0\x9F\x98\x80", 3, false, "emoji cut by n"},
        /* bad continuation */
        {"\x80", 1, false, "lone continuation"},
        {"\xBF\xBF", 2, false, "continuations only"},
        {"\xC3\x28", 2, false, "C3 then ASCII"},
        {"\xE2\x28\xA1", 3, false, "E2 28 A1"},
        {"\xE2\x82\x28", 3, false, "E2 82 28"},
        {"\xF0\x9F\x28\x80", 4, false, "F0 9F 28 80"},
        {"\xC3\xC3\xA9", 3, false, "lead then lead"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        T_CTX(cases[i].what);
        CHECK_EQ_INT(exh_utf8_valid(cases[i].s, cases[i].n), cases[i].ok);
    }
    T_CTX(NULL);
}

static void test_utf8_decode(void)
{
    unsigned cp = 0;
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    CHECK_EQ_INT(cp, 'A');
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xC3\xA9", 2, &cp), 2);
    CHECK_EQ_INT(cp, 0xE9);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 3, &cp), 3);
    CHECK_EQ_INT(cp, 0x20AC);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp), 4);
    CHECK_EQ_INT(cp, 0x1F600);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 3, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xC0\x80", 2, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xC3\xA9", 1, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xFF", 1, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xC3(", 2, &cp), 0);
    CHECK_EQ_INT(exh_utf8_decode((const unsigned char *)"\xF4\x8F\xBF\xBF", 4, &cp), 4);
    CHECK_EQ_INT(cp, 0x10FFFF);
    /* it agrees with exh_utf8_valid on every 1- and 2-byte input */
    int disagree = 0;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            unsigned char in[2] = {(unsigned char)a, (unsigned char)b};
            size_t l1 = exh_utf8_decode(in, 1, &cp), l2 = exh_utf8_decode(in, 2, &cp);
            bool v2 = exh_utf8_valid((const char *)in, 2);
            bool d2 = l2 == 2 || (l2 == 1 && exh_utf8_decode(in + 1, 1, &cp) == 1);
            disagree += (l1 == 1) != exh_utf8_valid((const char *)in, 1);
            disagree += d2 != v2;
        }
    CHECK_EQ_INT(disagree, 0);
}

static void b64(const void *in, size_t n, const char *want)
{
    struct exh_buf b = {0};
    exh_base64_add(&b, in, n);
    T_CTX(want);
    CHECK_EQ_INT(b.n, strlen(want));
    if (b.n)
        CHECK_EQ_STR(b.p, want);
    T_CTX(NULL);
    exh_buf_release(&b);
}

static void test_base64(void)
{
    /* RFC 4648 section 10 */
    b64("", 0, "");
    b64("f", 1, "Zg==");
    b64("fo", 2, "Zm8=");
    b64("foo", 3, "Zm9v");
    b64("foob", 4, "Zm9vYg==");
    b64("fooba", 5, "Zm9vYmE=");
    b64("foobar", 6, "Zm9vYmFy");
    /* the whole alphabet, incl. + and / */
    b64("\xFB\xFF\xBF", 3, "+/+/");
    b64("\x00\x00\x00", 3, "AAAA");
    b64("\xFF", 1, "/w==");
    b64("\xFF\xFF", 2, "//8=");
    b64("\x00\x10\x83\x10\x51\x87\x20\x92\x8b\x30\xd3\x8f\x41\x14\x93\x51\x55\x97\x61\x96\x9b\x71"
        "\xd7\x9f\x82\x18\xa3\x92\x59\xa7\xa2\x9a\xab\xb2\xdb\xaf\xc3\x1c\xb3\xd3\x5d\xb7\xe3\x9e"
        "\xbb\xf3\xdf\xbf",
        48, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    /* appends to what is there */
    struct exh_buf b = {0};
    exh_buf_adds(&b, "data:");
    exh_base64_add(&b, "foob", 4);
    exh_base64_add(&b, "ar", 2);
    CHECK_EQ_STR(b.p, "data:Zm9vYg==YXI=");
    exh_buf_release(&b);
    /* a larger input: length and round structure */
    unsigned char raw[1000];
    for (size_t i = 0; i < sizeof(raw); i++)
        raw[i] = (unsigned char)(i * 7 + 3);
    exh_base64_add(&b, raw, sizeof(raw));
    CHECK_EQ_INT(b.n, (sizeof(raw) + 2) / 3 * 4);
    CHECK_EQ_INT(strlen(b.p), b.n);
    CHECK(b.p[b.n - 1] == '=' && b.p[b.n - 2] == '=' &&
          b.p[b.n - 3] != '='); /* 1000 % 3 == 1: "xx==" */
    exh_buf_release(&b);
}

static void test_err(void)
{
    static const struct {
        enum exh_err e;
        int num;
        const char *name;
    } want[] = {
        {EXH_OK, 0, "ok"},
        {EXH_ERR_NOENT, 1, "not_found"},
        {EXH_ERR_PERM, 2, "permission"},
        {EXH_ERR_OPEN, 3, "open"},
        {EXH_ERR_READ, 4, "read"},
        {EXH_ERR_LIST, 5, "list"},
        {EXH_ERR_CORRUPT, 6, "corrupt"},
        {EXH_ERR_NOT_LOG, 7, "not_a_log"},
        {EXH_ERR_TOO_DEEP, 8, "too_deep"},
        {EXH_ERR_USAGE, 9, "usage"},
        {EXH_ERR_TRUNCATED, 10, "truncated"},
        {EXH_ERR_NAME_TOO_LONG, 11, "name_too_long"},
        {EXH_ERR_THREAD, 12, "thread"},
        {EXH_ERR_CHANGED, 13, "changed"},
        {EXH_ERR_TIMEOUT, 14, "timeout"},
        {EXH_ERR_EXISTS, 15, "exists"},
        {EXH_ERR_WRITE, 16, "write"},
        {EXH_ERR_UNSUPPORTED, 17, "unsupported"},
        {EXH_ERR_LIMIT, 18, "limit"},
        {EXH_ERR_ENCRYPTED, 19, "encrypted"},
    };
    size_t nw = sizeof(want) / sizeof(want[0]);
    for (size_t i = 0; i < nw; i++) {
        T_CTX(want[i].name);
        CHECK_EQ_INT(want[i].e, want[i].num); /* numbers are stable */
        CHECK_EQ_STR(exh_errname(want[i].e), want[i].name);
        const char *m = exh_strerror(want[i].e);
        CHECK(m != NULL && m[0] != '\0');
        CHECK(m && strcmp(m, "unknown error") != 0);
        for (size_t k = 0; k < i; k++) {
            CHECK(strcmp(exh_strerror(want[k].e), m) != 0); /* messages are distinct */
            CHECK(strcmp(exh_errname(want[k].e), want[i].name) != 0);
        }
    }
    T_CTX(NULL);
    CHECK_EQ_STR(exh_strerror(EXH_OK), "success");
    CHECK_EQ_STR(exh_strerror(EXH_ERR_NOENT), "no such file or directory");
    CHECK_EQ_STR(exh_strerror(EXH_ERR_NOT_LOG), "expected a text log, found binary data");
    /* every code the table defines is listed above (a new code needs a line) */
    size_t ncodes = 0;
    int maxnum = 0;
#define COUNT_ERR(sym, num, name, msg)                                                             \
    ncodes++;                                                                                      \
    if (num > maxnum)                                                                              \
        maxnum = num;
    EXH_ERRORS(COUNT_ERR)
#undef COUNT_ERR
    CHECK_EQ_INT(ncodes, nw);
    /* a number no code has: the fallbacks */
    enum exh_err unknown = (enum exh_err)(maxnum + 1);
    CHECK_EQ_STR(exh_strerror(unknown), "unknown error");
    CHECK_EQ_STR(exh_errname(unknown), "unknown");
}

/* CRC-32 bit by bit, straight from the definition (reflected 0xEDB88320). */
static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

static void test_crc32(void)
{
    CHECK_EQ_INT(exh_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    CHECK_EQ_INT(exh_crc32_portable((const uint8_t *)"123456789", 9), 0xCBF43926u);
    CHECK_EQ_INT(exh_crc32((const uint8_t *)"", 0), 0);
    /* every length to 1100 bytes at every alignment to 16, random bytes, and
     * a 64 KiB chunk of 0xFF: the folded and the table path agree with the
     * definition */
    static uint8_t buf[65536 + 16];
    uint64_t r = 7;
    for (size_t i = 0; i < sizeof(buf); i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (uint8_t)(r >> 56);
    }
    int bad = 0;
    for (size_t off = 0; off < 16; off++)
        for (size_t n = 0; n <= 1100; n++) {
            uint32_t want = crc_bitwise(buf + off, n);
            if (exh_crc32(buf + off, n) != want || exh_crc32_portable(buf + off, n) != want) {
                if (bad++ < 5)
                    printf("  crc32 differs: off=%zu n=%zu\n", off, n);
            }
        }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(exh_crc32(buf + 3, 65536), crc_bitwise(buf + 3, 65536));
    memset(buf, 0xFF, sizeof(buf));
    CHECK_EQ_INT(exh_crc32(buf, 65536 - 512), crc_bitwise(buf, 65536 - 512));
}

static void base_is(const char *path, const char *want)
{
    struct exh_str b = exh_path_base(exh_str_make(path, strlen(path)));
    T_CTX(path);
    CHECK_EQ_INT(b.n, strlen(want));
    CHECK(b.n == 0 || !memcmp(b.p, want, b.n));
    CHECK(b.p + b.n == path + strlen(path)); /* a slice of the path's end */
    T_CTX(NULL);
}

static void test_path_base(void)
{
    base_is("a/b/c.aspx", "c.aspx");
    base_is("C:\\inetpub\\x.aspx", "x.aspx");
    base_is("mixed\\dir/y.log", "y.log");
    base_is("plain", "plain");
    base_is("dir/", "");
    base_is("", "");
}

struct lines_seen {
    char got[256];
    int n;
};

static void on_fed_line(void *ud, const char *line)
{
    struct lines_seen *l = ud;
    size_t k = strlen(l->got);
    snprintf(l->got + k, sizeof(l->got) - k, "[%s]", line);
    l->n++;
}

/* Lines arriving in arbitrary chunks (a pipe): whole lines only, in order. */
static void test_feed_lines(void)
{
    struct exh_buf acc = {0};
    struct lines_seen l = {{0}, 0};
    const char *chunks[] = {"S a", "/b\nE a/b\n", "", "S c%0A", "d\nS tail"};
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
        exh_buf_feed_lines(&acc, chunks[i], strlen(chunks[i]), on_fed_line, &l);
    CHECK_EQ_STR(l.got, "[S a/b][E a/b][S c%0Ad]");
    CHECK_EQ_INT(l.n, 3);
    CHECK_EQ_INT(acc.n, 6); /* "S tail" waits for its newline */
    exh_buf_feed_lines(&acc, "\n", 1, on_fed_line, &l);
    CHECK_EQ_INT(l.n, 4);
    exh_buf_release(&acc);
}

int main(void)
{
    T_RUN(test_feed_lines);
    T_RUN(test_find_ci);
    T_RUN(test_starts_ends_eq);
    T_RUN(test_trim);
    T_RUN(test_buf);
    T_RUN(test_utf8);
    T_RUN(test_utf8_decode);
    T_RUN(test_base64);
    T_RUN(test_err);
    T_RUN(test_crc32);
    T_RUN(test_path_base);
    return T_DONE("unit-core");
}
