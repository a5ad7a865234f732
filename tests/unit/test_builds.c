/* test_builds.c: exposure judgement of Exchange builds (src/detect/builds.c).
 * Expected values are Microsoft's published build numbers (Health Checker
 * logic: fixed at or above the SU build of the newest CU that got it, else
 * only when the same CU got it and the revision is at least the SU's). */
#include <stdio.h>
#include <string.h>

#include "exh/detect.h"
#include "t.h"

enum { MAR = 1u << 0, APR = 1u << 1, MAY = 1u << 2, NOV = 1u << 3, ALL = 0xF };

struct bcase {
    struct exh_build b;
    unsigned missing;
    const char *product, *cu;
    const char *note;
};

static const struct bcase cases[] = {
    /* Exchange 2016 */
    {{15, 1, 2106, 2}, ALL, "Exchange 2016", "CU18", "CU18 RTM: nothing"},
    {{15, 1, 2106, 13}, APR | MAY | NOV, "Exchange 2016", "CU18", "CU18 Mar21SU"},
    {{15, 1, 2106, 12}, ALL, "Exchange 2016", "CU18", "CU18 just below Mar21SU"},
    {{15, 1, 2106, 99}, APR | MAY | NOV, "Exchange 2016", "CU18", "CU18 later revision"},
    {{15, 1, 2176, 2}, ALL, "Exchange 2016", "CU19", "CU19 RTM"},
    {{15, 1, 2176, 9}, APR | MAY | NOV, "Exchange 2016", "CU19", "CU19 Mar21SU, lacks Apr21"},
    {{15, 1, 2176, 12}, MAY | NOV, "Exchange 2016", "CU19", "CU19 Apr21SU"},
    {{15, 1, 2176, 14}, NOV, "Exchange 2016", "CU19", "CU19 May21SU"},
    {{15, 1, 2242, 4}, APR | MAY | NOV, "Exchange 2016", "CU20", "CU20 RTM has Mar21"},
    {{15, 1, 2242, 8}, MAY | NOV, "Exchange 2016", "CU20", "CU20 Apr21SU"},
    {{15, 1, 2242, 10}, NOV, "Exchange 2016", "CU20", "CU20 May21SU"},
    {{15, 1, 2308, 8}, NOV, "Exchange 2016", "CU21", "CU21 RTM has Mar/Apr/May"},
    {{15, 1, 2375, 7}, NOV, "Exchange 2016", "CU22", "CU22 RTM lacks Nov22"},
    {{15, 1, 2375, 37}, 0, "Exchange 2016", "CU22", "CU22 Nov22SU"},
    {{15, 1, 2375, 36}, NOV, "Exchange 2016", "CU22", "CU22 below Nov22SU"},
    {{15, 1, 2507, 6}, NOV, "Exchange 2016", "CU23", "CU23 RTM"},
    {{15, 1, 2507, 16}, 0, "Exchange 2016", "CU23", "CU23 Nov22SU"},
    {{15, 1, 2507, 39}, 0, "Exchange 2016", "CU23", "CU23 later SU"},
    {{15, 1, 2044, 13}, APR | MAY | NOV, "Exchange 2016", "CU17", "CU17 Mar21SU: never got Apr21"},
    {{15, 1, 2044, 4}, ALL, "Exchange 2016", "CU17", "CU17 RTM"},
    {{15, 1, 1415, 2}, ALL, "Exchange 2016", "CU8", "CU8 RTM"},
    {{15, 1, 1415, 8}, APR | MAY | NOV, "Exchange 2016", "CU8", "CU8 Mar21SU"},
    {{15, 1, 225, 42}, ALL, "Exchange 2016", "", "RTM 2016"},
    /* Exchange 2019 */
    {{15, 2, 792, 3}, ALL, "Exchange 2019", "CU8", "CU8 RTM"},
    {{15, 2, 792, 10}, APR | MAY | NOV, "Exchange 2019", "CU8", "CU8 Mar21SU only"},
    {{15, 2, 792, 13}, MAY | NOV, "Exchange 2019", "CU8", "CU8 Apr21SU"},
    {{15, 2, 792, 15}, NOV, "Exchange 2019", "CU8", "CU8 May21SU"},
    {{15, 2, 858, 5}, APR | MAY | NOV, "Exchange 2019", "CU9", "CU9 RTM has Mar21"},
    {{15, 2, 858, 12}, NOV, "Exchange 2019", "CU9", "CU9 May21SU"},
    {{15, 2, 922, 7}, NOV, "Exchange 2019", "CU10", "CU10 RTM"},
    {{15, 2, 986, 5}, NOV, "Exchange 2019", "CU11", "CU11 RTM"},
    {{15, 2, 986, 36}, 0, "Exchange 2019", "CU11", "CU11 Nov22SU"},
    {{15, 2, 1118, 7}, NOV, "Exchange 2019", "CU12", "CU12 RTM"},
    {{15, 2, 1118, 20}, 0, "Exchange 2019", "CU12", "CU12 Nov22SU"},
    {{15, 2, 1258, 12}, 0, "Exchange 2019", "CU13", "CU13 RTM"},
    {{15, 2, 1544, 4}, 0, "Exchange 2019", "CU14", "CU14 RTM"},
    {{15, 2, 1748, 10}, 0, "Exchange 2019", "CU15", "CU15"},
    {{15, 2, 721, 13}, APR | MAY | NOV, "Exchange 2019", "CU7", "CU7 Mar21SU: never got Apr21"},
    {{15, 2, 221, 12}, ALL, "Exchange 2019", "", "2019 RTM"},
    /* Exchange 2013 */
    {{15, 0, 1497, 2}, ALL, "Exchange 2013", "CU23", "CU23 RTM"},
    {{15, 0, 1497, 12}, APR | MAY | NOV, "Exchange 2013", "CU23", "CU23 Mar21SU"},
    {{15, 0, 1497, 15}, MAY | NOV, "Exchange 2013", "CU23", "CU23 Apr21SU"},
    {{15, 0, 1497, 18}, NOV, "Exchange 2013", "CU23", "CU23 May21SU"},
    {{15, 0, 1497, 44}, 0, "Exchange 2013", "CU23", "CU23 Nov22SU"},
    {{15, 0, 1473, 6}, APR | MAY | NOV, "Exchange 2013", "CU22", "CU22 Mar21SU; CU22 never got Apr21"},
    {{15, 0, 1473, 3}, ALL, "Exchange 2013", "CU22", "CU22 RTM"},
    {{15, 0, 1395, 12}, APR | MAY | NOV, "Exchange 2013", "CU21", "CU21 Mar21SU"},
    {{15, 0, 1395, 4}, ALL, "Exchange 2013", "CU21", "CU21 RTM"},
    {{15, 0, 847, 32}, ALL, "Exchange 2013", "", "2013 RTM"},
    /* Exchange Server SE */
    {{15, 2, 2562, 17}, 0, "Exchange Server SE", "RTM", "SE RTM"},
    {{15, 2, 2562, 29}, 0, "Exchange Server SE", "RTM", "SE later"},
};

static void test_judge(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bcase *c = &cases[i];
        char ctx[128];
        snprintf(ctx, sizeof(ctx), "%u.%u.%u.%u %s", c->b.major, c->b.minor, c->b.build, c->b.rev,
                 c->note);
        T_CTX(ctx);
        struct exh_build_verdict v;
        memset(&v, 0x5A, sizeof(v));
        if (!CHECK(exh_build_judge(&c->b, &v)))
            continue;
        CHECK_EQ_INT(v.missing, c->missing);
        CHECK_EQ_STR(v.product, c->product);
        CHECK_EQ_STR(v.cu_name, c->cu);
    }
    T_CTX(NULL);

    /* not Exchange 2013/2016/2019/SE */
    static const struct exh_build no[] = {
        {14, 3, 513, 0}, {8, 0, 685, 24}, {15, 3, 0, 0}, {16, 0, 1, 1}, {0, 0, 0, 0}, {15, 255, 1, 1},
    };
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        struct exh_build_verdict v;
        CHECK(!exh_build_judge(&no[i], &v));
    }

    /* the SU names and rules line up */
    CHECK_EQ_STR(exh_su_names[0], "Mar21SU");
    CHECK_EQ_STR(exh_su_names[1], "Apr21SU");
    CHECK_EQ_STR(exh_su_names[2], "May21SU");
    CHECK_EQ_STR(exh_su_names[3], "Nov22SU");
    CHECK_EQ_STR(exh_rules[exh_su_rules[0]].id, "EXH-EXP-001");
    CHECK_EQ_STR(exh_rules[exh_su_rules[1]].id, "EXH-EXP-002");
    CHECK_EQ_STR(exh_rules[exh_su_rules[2]].id, "EXH-EXP-003");
    CHECK_EQ_STR(exh_rules[exh_su_rules[3]].id, "EXH-EXP-004");
}

static void fix_case(struct exh_build b, int su, bool ok, struct exh_build want)
{
    struct exh_build got = {1, 2, 3, 4};
    char ctx[96];
    snprintf(ctx, sizeof(ctx), "%u.%u.%u.%u su %d", b.major, b.minor, b.build, b.rev, su);
    T_CTX(ctx);
    if (CHECK_EQ_INT(exh_build_fix_for(&b, su, &got), ok) && ok) {
        CHECK_EQ_INT(got.major, want.major);
        CHECK_EQ_INT(got.minor, want.minor);
        CHECK_EQ_INT(got.build, want.build);
        CHECK_EQ_INT(got.rev, want.rev);
    }
    T_CTX(NULL);
}

static void test_fix_for(void)
{
    struct exh_build b2106 = {15, 1, 2106, 2}, b792 = {15, 2, 792, 10}, b1473 = {15, 0, 1473, 6},
                     b2375 = {15, 1, 2375, 7}, b2308 = {15, 1, 2308, 8}, none = {0, 0, 0, 0};
    /* the same CU got the update: its SU build */
    fix_case(b2106, 0, true, (struct exh_build){15, 1, 2106, 13});
    fix_case(b792, 1, true, (struct exh_build){15, 2, 792, 13});
    fix_case(b792, 2, true, (struct exh_build){15, 2, 792, 15});
    fix_case(b2375, 3, true, (struct exh_build){15, 1, 2375, 37});
    /* the CU never got it: the newest CU's build */
    fix_case(b2106, 1, true, (struct exh_build){15, 1, 2308, 8});
    fix_case(b2106, 2, true, (struct exh_build){15, 1, 2308, 8});
    fix_case(b2106, 3, true, (struct exh_build){15, 1, 2507, 16});
    fix_case(b2308, 3, true, (struct exh_build){15, 1, 2507, 16});
    fix_case(b792, 3, true, (struct exh_build){15, 2, 1258, 12});
    fix_case(b1473, 1, true, (struct exh_build){15, 0, 1497, 15});
    fix_case(b1473, 3, true, (struct exh_build){15, 0, 1497, 44});
    /* out of range SU numbers and non-Exchange builds */
    fix_case(b2106, -1, false, none);
    fix_case(b2106, EXH_NSU, false, none);
    fix_case(b2106, 1000, false, none);
    fix_case((struct exh_build){14, 3, 513, 0}, 0, false, none);
    fix_case((struct exh_build){15, 3, 1, 0}, 0, false, none);
    /* every judged "missing" has a fix to name */
    int named = 0, total = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (int su = 0; su < EXH_NSU; su++)
            if (cases[i].missing & (1u << su)) {
                struct exh_build f;
                total++;
                named += exh_build_fix_for(&cases[i].b, su, &f) && exh_build_cmp(&f, &cases[i].b) > 0;
            }
    CHECK_EQ_INT(named, total);
}

int main(void)
{
    T_RUN(test_judge);
    T_RUN(test_fix_for);
    return T_DONE("unit-builds");
}
