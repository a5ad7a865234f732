/* test_time.c: timestamp parsing and formatting (src/core/timeutil.c).
 * Expected values were computed independently (Python datetime). */
#include <stdint.h>
#include <string.h>

#include "exh/timeutil.h"
#include "t.h"

#define T_2021_03_03 INT64_C(1614729600000)        /* 2021-03-03T00:00:00Z */
#define T_2021_03_03_021141 INT64_C(1614737501000) /* 2021-03-03T02:11:41Z */
#define T_1601 INT64_C(-11644473600000)            /* 1601-01-01T00:00:00Z */

static bool parse(const char *s, int64_t *ms)
{
    *ms = INT64_C(0x5A5A5A5A5A5A);
    return exh_time_parse(s, strlen(s), ms);
}

static void ok_case(const char *s, int64_t want)
{
    int64_t ms;
    T_CTX(s);
    if (CHECK(parse(s, &ms)))
        CHECK_EQ_INT(ms, want);
    T_CTX(NULL);
}

static void bad_case(const char *s)
{
    int64_t ms;
    T_CTX(s);
    CHECK(!parse(s, &ms));
    T_CTX(NULL);
}

static void test_parse_ok(void)
{
    ok_case("2021-03-03T02:11:41Z", T_2021_03_03_021141);
    ok_case("2021-03-03t02:11:41z", T_2021_03_03_021141);
    ok_case("2021-03-03T02:11:41", T_2021_03_03_021141); /* no zone: UTC */
    ok_case("2021-03-03 02:11:41", T_2021_03_03_021141); /* space separator */
    ok_case("2021-03-03 02:11:41Z", T_2021_03_03_021141);
    ok_case("1970-01-01T00:00:00Z", 0);
    ok_case("1970-01-01", 0);
    ok_case("2021-03-03", T_2021_03_03); /* bare date */
    /* offsets */
    ok_case("2021-03-03T04:11:41+02:00", T_2021_03_03_021141);
    ok_case("2021-03-03T00:11:41-02:00", T_2021_03_03_021141);
    ok_case("2021-03-02T20:41:41-0530", T_2021_03_03_021141);
    ok_case("2021-03-03T07:41:41+05:30", T_2021_03_03_021141);
    ok_case("2021-03-03T02:11:41+00:00", T_2021_03_03_021141);
    ok_case("2021-01-01T00:30:00+01:00", INT64_C(1609457400000)); /* 2020-12-31T23:30Z */
    /* fractions of 1..9 digits: milliseconds, extra digits truncated */
    ok_case("2021-03-03T02:11:41.1Z", T_2021_03_03_021141 + 100);
    ok_case("2021-03-03T02:11:41.12Z", T_2021_03_03_021141 + 120);
    ok_case("2021-03-03T02:11:41.123Z", T_2021_03_03_021141 + 123);
    ok_case("2021-03-03T02:11:41.1234Z", T_2021_03_03_021141 + 123);
    ok_case("2021-03-03T02:11:41.12345Z", T_2021_03_03_021141 + 123);
    ok_case("2021-03-03T02:11:41.123456Z", T_2021_03_03_021141 + 123);
    ok_case("2021-03-03T02:11:41.1234567Z", T_2021_03_03_021141 + 123);
    ok_case("2021-03-03T02:11:41.12345678Z", T_2021_03_03_021141 + 123);
    ok_case("2021-03-03T02:11:41.999999999Z", T_2021_03_03_021141 + 999);
    ok_case("2021-03-03T02:11:41.007", T_2021_03_03_021141 + 7);
    ok_case("2021-03-03T04:11:41.5+02:00", T_2021_03_03_021141 + 500);
    /* blanks and one pair of quotes around it */
    ok_case("\"2021-03-03T02:11:41.337Z\"", T_2021_03_03_021141 + 337);
    ok_case("  2021-03-03T02:11:41Z\t", T_2021_03_03_021141);
    ok_case(" \"2021-03-03\" ", T_2021_03_03);
    /* calendar edges */
    ok_case("2020-02-29", INT64_C(1582934400000));
    ok_case("2000-02-29T00:00:00Z", INT64_C(951782400000));
    ok_case("1601-01-01T00:00:00Z", T_1601);
    ok_case("1601-01-01", T_1601);
    ok_case("9999-12-31T23:59:59Z", INT64_C(253402300799000));
    ok_case("2038-01-19T03:14:08Z", INT64_C(2147483648000));
    ok_case("2021-04-30T23:59:59Z", INT64_C(1619827199000));
    ok_case("2021-12-31T23:59:59.999Z", INT64_C(1640995199999));
}

static void test_parse_bad(void)
{
    bad_case("");
    bad_case("   ");
    bad_case("\"\"");
    bad_case("garbage");
    bad_case("2021");
    bad_case("2021-03");
    bad_case("2021-3-3");
    bad_case("2021/03/03");
    bad_case("20210303");
    bad_case("2021-03-03X");
    bad_case("2021-03-03Z");
    bad_case("2021-03-03T");
    bad_case("2021-03-03T02");
    bad_case("2021-03-03T02:");
    bad_case("2021-03-03T2:11:41Z");
    bad_case("2021-03-03T02:11:4Z");
    bad_case("2021-03-03T02:11:41.Z"); /* a dot without digits */
    bad_case("2021-03-03T02:11:41Zjunk");
    bad_case("2021-03-03T02:11:41 Z junk");
    bad_case("2021-03-03T02:11:41+2");
    bad_case("2021-03-03T02:11:41+02:");
    bad_case("2021-03-03T02:11:41+02:0");
    bad_case("2021-03-03T02:11:41+24:00");
    bad_case("2021-03-03T02:11:41+02:60");
    bad_case("2021-03-03T02:11:41+0260");
    bad_case("2021-03-03T02:11:41Z+02:00");
    bad_case("2021-03-03T02:11:41.123.456Z");
    bad_case("2021-03-03,02:11:41");
    /* out-of-range fields */
    bad_case("2021-02-29"); /* not a leap year */
    bad_case("1900-02-29"); /* century, not a leap year */
    bad_case("2021-04-31");
    bad_case("2021-00-10");
    bad_case("2021-13-01");
    bad_case("2021-01-00");
    bad_case("2021-01-32");
    bad_case("2021-03-03T24:00:00Z"); /* hour 24 */
    bad_case("2021-03-03T99:00:00Z");
    bad_case("2021-03-03T23:60:00Z");
    bad_case("2021-03-03T23:59:61Z");
    bad_case("1600-12-31T23:59:59Z"); /* before 1601 */
    bad_case("0000-01-01");
    bad_case("-2021-03-03");
    bad_case("+2021-03-03");
    bad_case("2021-03-03T02:11:41.123Z\n");
    bad_case("2021-\xD9\xA3-03"); /* Arabic-Indic digit */
}

static void fmt_case(int64_t ms, const char *want)
{
    char out[32];
    memset(out, 'X', sizeof(out));
    exh_time_format(ms, out);
    T_CTX(want);
    CHECK_EQ_STR(out, want);
    CHECK_EQ_INT(strlen(out), 24);
    T_CTX(NULL);
}

static uint64_t lcg_state = 20210303;
static uint64_t lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return lcg_state >> 11;
}

static void test_format(void)
{
    fmt_case(0, "1970-01-01T00:00:00.000Z");
    fmt_case(1, "1970-01-01T00:00:00.001Z");
    fmt_case(-1, "1969-12-31T23:59:59.999Z");
    fmt_case(-999, "1969-12-31T23:59:59.001Z");
    fmt_case(-1000, "1969-12-31T23:59:59.000Z");
    fmt_case(-1001, "1969-12-31T23:59:58.999Z");
    fmt_case(-86400000, "1969-12-31T00:00:00.000Z");
    fmt_case(-86400001, "1969-12-30T23:59:59.999Z");
    fmt_case(T_2021_03_03_021141 + 337, "2021-03-03T02:11:41.337Z");
    fmt_case(INT64_C(951782400000), "2000-02-29T00:00:00.000Z");
    fmt_case(INT64_C(951868799999), "2000-02-29T23:59:59.999Z");
    fmt_case(T_1601, "1601-01-01T00:00:00.000Z");
    fmt_case(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
    fmt_case(INT64_C(2147483648000), "2038-01-19T03:14:08.000Z");

    /* extremes must not crash or overrun the 32 bytes (the text is junk) */
    char out[40];
    memset(out, 'X', sizeof(out));
    exh_time_format(INT64_MIN, out);
    CHECK(memchr(out, '\0', 32) != NULL);
    CHECK(out[32] == 'X');
    memset(out, 'X', sizeof(out));
    exh_time_format(INT64_MAX, out);
    CHECK(memchr(out, '\0', 32) != NULL);
    CHECK(out[32] == 'X');

    /* round trips: format then parse gives the same instant */
    static const int64_t fixed[] = {0,
                                    -1,
                                    1,
                                    -999,
                                    999,
                                    -86400000,
                                    T_1601,
                                    T_1601 + 1,
                                    INT64_C(951782400000),
                                    INT64_C(253402300799999),
                                    T_2021_03_03_021141 + 337,
                                    INT64_C(-1000),
                                    INT64_C(-62135596801)};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        char s[32];
        int64_t back = 0;
        exh_time_format(fixed[i], s);
        T_CTX(s);
        if (fixed[i] >= T_1601) {
            CHECK(exh_time_parse(s, strlen(s), &back));
            CHECK_EQ_INT(back, fixed[i]);
        }
        T_CTX(NULL);
    }
    int bad = 0;
    const int64_t lo = T_1601, hi = INT64_C(253402300799999);
    for (int i = 0; i < 20000; i++) {
        int64_t v = lo + (int64_t)(lcg() % (uint64_t)(hi - lo + 1));
        char s[32];
        int64_t back = 0;
        exh_time_format(v, s);
        if (!exh_time_parse(s, strlen(s), &back) || back != v || strlen(s) != 24) {
            if (!bad++)
                printf("round trip of %lld gave \"%s\" -> %lld\n", (long long)v, s,
                       (long long)back);
        }
    }
    CHECK_EQ_INT(bad, 0);
}

static void test_days(void)
{
    CHECK_EQ_INT(exh_days_from_civil(1970, 1, 1), 0);
    CHECK_EQ_INT(exh_days_from_civil(1969, 12, 31), -1);
    CHECK_EQ_INT(exh_days_from_civil(1970, 1, 2), 1);
    CHECK_EQ_INT(exh_days_from_civil(2000, 1, 1), 10957);
    CHECK_EQ_INT(exh_days_from_civil(2000, 3, 1), 11017);
    CHECK_EQ_INT(exh_days_from_civil(2000, 2, 29) + 1, exh_days_from_civil(2000, 3, 1));
    CHECK_EQ_INT(exh_days_from_civil(2021, 3, 3), 18689);
    CHECK_EQ_INT(exh_days_from_civil(1601, 1, 1), -134774);
    CHECK_EQ_INT(exh_days_from_civil(1900, 3, 1), -25508);
    CHECK_EQ_INT(exh_days_from_civil(2400, 2, 29), 157113);
    CHECK_EQ_INT(exh_days_from_civil(1, 1, 1), -719162);
    CHECK_EQ_INT(exh_days_from_civil(1900, 3, 1) - exh_days_from_civil(1900, 2, 28), 1);
    /* consecutive days across many years are consecutive numbers */
    static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t prev = exh_days_from_civil(1599, 12, 31);
    int gaps = 0;
    for (int64_t y = 1600; y <= 2400; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (unsigned m = 1; m <= 12; m++) {
            unsigned nd = dm[m - 1] + (m == 2 && leap);
            for (unsigned d = 1; d <= nd; d++) {
                int64_t v = exh_days_from_civil(y, m, d);
                gaps += v != prev + 1;
                prev = v;
            }
        }
    }
    CHECK_EQ_INT(gaps, 0);
}

int main(void)
{
    T_RUN(test_parse_ok);
    T_RUN(test_parse_bad);
    T_RUN(test_format);
    T_RUN(test_days);
    return T_DONE("unit-time");
}
