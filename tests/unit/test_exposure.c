/* test_exposure.c: the exposure judgement of Exchange builds (src/detect/exposure.c).
 * Expected values are Microsoft's published build numbers (Health Checker
 * logic: fixed at or above the SU build of the newest CU that got it, else
 * only when the same CU got it and the revision is at least the SU's). */
#include <stdio.h>
#include <string.h>

#include "exh/exposure.h"
#include "exh/timeutil.h"
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
    {{15, 1, 2106, 2}, ALL, "Exchange Server 2016", "CU18", "CU18 RTM: nothing"},
    {{15, 1, 2106, 13}, APR | MAY | NOV, "Exchange Server 2016", "CU18", "CU18 Mar21SU"},
    {{15, 1, 2106, 12}, ALL, "Exchange Server 2016", "CU18", "CU18 just below Mar21SU"},
    {{15, 1, 2106, 99}, APR | MAY | NOV, "Exchange Server 2016", "CU18", "CU18 later revision"},
    {{15, 1, 2176, 2}, ALL, "Exchange Server 2016", "CU19", "CU19 RTM"},
    {{15, 1, 2176, 9},
     APR | MAY | NOV,
     "Exchange Server 2016",
     "CU19",
     "CU19 Mar21SU, lacks Apr21"},
    {{15, 1, 2176, 12}, MAY | NOV, "Exchange Server 2016", "CU19", "CU19 Apr21SU"},
    {{15, 1, 2176, 14}, NOV, "Exchange Server 2016", "CU19", "CU19 May21SU"},
    {{15, 1, 2242, 4}, APR | MAY | NOV, "Exchange Server 2016", "CU20", "CU20 RTM has Mar21"},
    {{15, 1, 2242, 8}, MAY | NOV, "Exchange Server 2016", "CU20", "CU20 Apr21SU"},
    {{15, 1, 2242, 10}, NOV, "Exchange Server 2016", "CU20", "CU20 May21SU"},
    {{15, 1, 2308, 8}, NOV, "Exchange Server 2016", "CU21", "CU21 RTM has Mar/Apr/May"},
    {{15, 1, 2375, 7}, NOV, "Exchange Server 2016", "CU22", "CU22 RTM lacks Nov22"},
    {{15, 1, 2375, 37}, 0, "Exchange Server 2016", "CU22", "CU22 Nov22SU"},
    {{15, 1, 2375, 36}, NOV, "Exchange Server 2016", "CU22", "CU22 below Nov22SU"},
    {{15, 1, 2507, 6}, NOV, "Exchange Server 2016", "CU23", "CU23 RTM"},
    {{15, 1, 2507, 16}, 0, "Exchange Server 2016", "CU23", "CU23 Nov22SU"},
    {{15, 1, 2507, 39}, 0, "Exchange Server 2016", "CU23", "CU23 later SU"},
    {{15, 1, 2044, 13},
     APR | MAY | NOV,
     "Exchange Server 2016",
     "CU17",
     "CU17 Mar21SU: never got Apr21"},
    {{15, 1, 2044, 4}, ALL, "Exchange Server 2016", "CU17", "CU17 RTM"},
    {{15, 1, 1415, 2}, ALL, "Exchange Server 2016", "CU8", "CU8 RTM"},
    {{15, 1, 1415, 10}, APR | MAY | NOV, "Exchange Server 2016", "CU8", "CU8 Mar21SU"},
    {{15, 1, 1415, 8}, ALL, "Exchange Server 2016", "CU8", "CU8 below Mar21SU"},
    {{15, 1, 225, 42}, ALL, "Exchange Server 2016", "RTM", "RTM 2016"},
    /* Exchange 2019 */
    {{15, 2, 792, 3}, ALL, "Exchange Server 2019", "CU8", "CU8 RTM"},
    {{15, 2, 792, 10}, APR | MAY | NOV, "Exchange Server 2019", "CU8", "CU8 Mar21SU only"},
    {{15, 2, 792, 13}, MAY | NOV, "Exchange Server 2019", "CU8", "CU8 Apr21SU"},
    {{15, 2, 792, 15}, NOV, "Exchange Server 2019", "CU8", "CU8 May21SU"},
    {{15, 2, 858, 5}, APR | MAY | NOV, "Exchange Server 2019", "CU9", "CU9 RTM has Mar21"},
    {{15, 2, 858, 12}, NOV, "Exchange Server 2019", "CU9", "CU9 May21SU"},
    {{15, 2, 922, 7}, NOV, "Exchange Server 2019", "CU10", "CU10 RTM"},
    {{15, 2, 986, 5}, NOV, "Exchange Server 2019", "CU11", "CU11 RTM"},
    {{15, 2, 986, 36}, 0, "Exchange Server 2019", "CU11", "CU11 Nov22SU"},
    {{15, 2, 1118, 7}, NOV, "Exchange Server 2019", "CU12", "CU12 RTM"},
    {{15, 2, 1118, 20}, 0, "Exchange Server 2019", "CU12", "CU12 Nov22SU"},
    {{15, 2, 1258, 12}, 0, "Exchange Server 2019", "CU13", "CU13 RTM"},
    {{15, 2, 1544, 4}, 0, "Exchange Server 2019", "CU14", "CU14 RTM"},
    {{15, 2, 1748, 10}, 0, "Exchange Server 2019", "CU15", "CU15"},
    {{15, 2, 721, 13},
     APR | MAY | NOV,
     "Exchange Server 2019",
     "CU7",
     "CU7 Mar21SU: never got Apr21"},
    {{15, 2, 221, 12}, ALL, "Exchange Server 2019", "RTM", "2019 RTM"},
    /* Exchange 2013 */
    {{15, 0, 1497, 2}, ALL, "Exchange Server 2013", "CU23", "CU23 RTM"},
    {{15, 0, 1497, 12}, APR | MAY | NOV, "Exchange Server 2013", "CU23", "CU23 Mar21SU"},
    {{15, 0, 1497, 15}, MAY | NOV, "Exchange Server 2013", "CU23", "CU23 Apr21SU"},
    {{15, 0, 1497, 18}, NOV, "Exchange Server 2013", "CU23", "CU23 May21SU"},
    {{15, 0, 1497, 44}, 0, "Exchange Server 2013", "CU23", "CU23 Nov22SU"},
    {{15, 0, 1473, 6},
     APR | MAY | NOV,
     "Exchange Server 2013",
     "CU22",
     "CU22 Mar21SU; CU22 never got Apr21"},
    {{15, 0, 1473, 3}, ALL, "Exchange Server 2013", "CU22", "CU22 RTM"},
    {{15, 0, 1395, 12}, APR | MAY | NOV, "Exchange Server 2013", "CU21", "CU21 Mar21SU"},
    {{15, 0, 1395, 4}, ALL, "Exchange Server 2013", "CU21", "CU21 RTM"},
    {{15, 0, 847, 32}, ALL, "Exchange Server 2013", "SP1", "2013 SP1"},
    /* Exchange Server SE */
    {{15, 2, 2562, 17}, 0, "Exchange Server SE", "RTM", "SE RTM"},
    {{15, 2, 2562, 29}, 0, "Exchange Server SE", "RTM", "SE later"},
};

static const char *const su_names[4] = {"Mar21SU", "Apr21SU", "May21SU", "Nov22SU"};

static int64_t at(const char *t)
{
    int64_t ms = 0;
    exh_time_parse(t, strlen(t), &ms);
    return ms;
}

static bool has_rule(const struct exh_exposure *x, enum exh_rule_sym r)
{
    for (size_t i = 0; i < x->nitems; i++)
        if (x->items[i].rule == r)
            return true;
    return false;
}

static const struct exh_exp_item *item(const struct exh_exposure *x, enum exh_rule_sym r)
{
    for (size_t i = 0; i < x->nitems; i++)
        if (x->items[i].rule == r)
            return &x->items[i];
    return NULL;
}

/* the four 2021-2022 updates, build by build, and the names */
static void test_updates(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bcase *c = &cases[i];
        char ctx[128];
        snprintf(ctx, sizeof(ctx), "%u.%u.%u.%u %s", c->b.major, c->b.minor, c->b.build, c->b.rev,
                 c->note);
        T_CTX(ctx);
        unsigned missing = 0;
        for (int su = 0; su < 4; su++)
            if (!exh_build_has_update(&c->b, su_names[su]))
                missing |= 1u << su;
        CHECK_EQ_INT(missing, c->missing);
        struct exh_exposure x;
        if (!CHECK(exh_exposure_judge(&c->b, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x)))
            continue;
        CHECK_EQ_STR(x.product, c->product);
        char want[96];
        snprintf(want, sizeof(want), "%s %s", c->product, c->cu);
        CHECK(!strncmp(x.name, want, strlen(want)));
        /* each missing 2021-2022 update is a finding of its rule */
        static const enum exh_rule_sym rules[4] = {EXH_RULE_EXP_MAR21, EXH_RULE_EXP_APR21,
                                                   EXH_RULE_EXP_MAY21, EXH_RULE_EXP_NOV22};
        for (int su = 0; su < 4; su++)
            CHECK_EQ_INT(has_rule(&x, rules[su]), (c->missing >> su) & 1);
    }
    T_CTX(NULL);

    /* not Exchange 2013/2016/2019/SE */
    static const struct exh_build no[] = {
        {14, 3, 513, 0}, {8, 0, 685, 24}, {15, 3, 0, 0},
        {16, 0, 1, 1},   {0, 0, 0, 0},    {15, 255, 1, 1},
    };
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        struct exh_exposure x;
        CHECK(!exh_exposure_judge(&no[i], "the logs", 0, NULL, &x));
        CHECK(!exh_build_has_update(&no[i], "Mar21SU"));
    }
    struct exh_build b = {15, 1, 2507, 16};
    CHECK(!exh_build_has_update(&b, "NoSuchSU"));
    CHECK(!exh_build_has_update(&b, ""));
    CHECK_EQ_STR(exh_rules[EXH_RULE_EXP_MAR21].id, "EXH-EXP-001");
    CHECK_EQ_STR(exh_rules[EXH_RULE_EXP_NOV22].id, "EXH-EXP-004");
}

/* The anchor: 2016 CU23 Nov22SU lacks everything since January 2023
 * and its line is out of support; a current SE build is up to date. */
static void test_anchor(void)
{
    struct exh_exposure x;
    struct exh_build b = {15, 1, 2507, 16};
    CHECK(exh_exposure_judge(&b, "ExSetup.exe", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK_EQ_STR(x.name, "Exchange Server 2016 CU23 Nov22SU");
    CHECK_EQ_STR(x.date, "2022-11-08");
    CHECK(x.in_catalogue);
    CHECK(!x.newer);
    CHECK_EQ_STR(x.newest_update, "Nov22SU (2022-11-08)");
    /* Jan23 Feb23 Mar23 Jun23 Aug23 Oct23 Nov23 Mar24 Nov24 Aug25 Oct25 Dec25 Feb26 Jun26 Jul26
     * Aug26 */
    CHECK_EQ_INT(x.nmissing, 16);
    CHECK(!strncmp(x.missing, "Jan23SU,Feb23SU,Mar23SU,", 24));
    CHECK(strstr(x.missing, "Aug26SU") != NULL);
    CHECK_EQ_INT(x.support, EXH_SUPPORT_ENDED);
    CHECK(has_rule(&x, EXH_RULE_EXP_FEB23));
    CHECK(has_rule(&x, EXH_RULE_EXP_EPA));
    CHECK(has_rule(&x, EXH_RULE_EXP_JUN26));
    CHECK(has_rule(&x, EXH_RULE_EXP_LATEST));
    CHECK(has_rule(&x, EXH_RULE_EXP_EOL));
    CHECK(!has_rule(&x, EXH_RULE_EXP_NOV22));
    CHECK(!has_rule(&x, EXH_RULE_EXP_NEWER));
    const struct exh_exp_item *it = item(&x, EXH_RULE_EXP_FEB23);
    if (CHECK(it != NULL)) {
        CHECK(it->has_fix);
        CHECK_EQ_INT(it->fix.rev, 21); /* 15.1.2507.21 */
        CHECK(strstr(it->message, "ExSetup.exe, 15.1.2507.16") != NULL);
        CHECK(strstr(it->message, "CVE-2023-21529") != NULL);
    }
    /* within the paid extended-update period */
    CHECK(exh_exposure_judge(&b, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x));
    CHECK_EQ_INT(x.support, EXH_SUPPORT_ESU);
    CHECK(has_rule(&x, EXH_RULE_EXP_EOL));
    /* before the end of support */
    CHECK(exh_exposure_judge(&b, "the logs", at("2024-01-01T00:00:00Z"), NULL, &x));
    CHECK_EQ_INT(x.support, EXH_SUPPORT_CURRENT);
    CHECK(!has_rule(&x, EXH_RULE_EXP_EOL));

    /* the newest SE build: up to date */
    struct exh_build se = {15, 2, 2562, 46};
    CHECK(exh_exposure_judge(&se, "ExSetup.exe", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK_EQ_STR(x.name, "Exchange Server SE RTM Aug26SU");
    CHECK_EQ_INT(x.nitems, 0);
    CHECK_EQ_INT(x.nmissing, 0);
    CHECK_EQ_INT(x.support, EXH_SUPPORT_CURRENT);
    CHECK_EQ_STR(x.newest_update, "Aug26SU (2026-08-11)");
    /* SE one update behind (Jul26SU): only the newest-SU lead */
    struct exh_build se45 = {15, 2, 2562, 45};
    CHECK(exh_exposure_judge(&se45, "the logs", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK_EQ_INT(x.nitems, 1);
    CHECK(has_rule(&x, EXH_RULE_EXP_LATEST));
    CHECK_EQ_INT(x.nmissing, 1);
    /* SE May26HU: lacks the June 2026 fix of an exploited flaw */
    struct exh_build se41 = {15, 2, 2562, 41};
    CHECK(exh_exposure_judge(&se41, "the logs", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK(has_rule(&x, EXH_RULE_EXP_JUN26));
    CHECK(has_rule(&x, EXH_RULE_EXP_LATEST));
    CHECK(!has_rule(&x, EXH_RULE_EXP_EPA));
    CHECK_EQ_INT(x.nmissing, 3);
}

static void test_newer(void)
{
    struct exh_exposure x;
    /* past the newest build of the line */
    struct exh_build b = {15, 2, 2562, 99};
    CHECK(exh_exposure_judge(&b, "the logs", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK(x.newer);
    CHECK(!x.in_catalogue);
    CHECK_EQ_INT(x.nitems, 1);
    CHECK(has_rule(&x, EXH_RULE_EXP_NEWER));
    CHECK_EQ_INT(x.nmissing, 0);
    CHECK_EQ_STR(x.name, "Exchange Server SE RTM (build not in the catalogue)");
    /* a new SE CU */
    struct exh_build cu = {15, 2, 2700, 5};
    CHECK(exh_exposure_judge(&cu, "the logs", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK(x.newer);
    CHECK_EQ_STR(x.name, "Exchange Server SE (build not in the catalogue)");
    /* past the newest build of a CU still serviced at the catalogue's end */
    struct exh_build cu15 = {15, 2, 1748, 60};
    CHECK(exh_exposure_judge(&cu15, "the logs", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK(x.newer);
    CHECK(has_rule(&x, EXH_RULE_EXP_NEWER));
    CHECK(has_rule(&x, EXH_RULE_EXP_EOL)); /* still out of support */
    /* an unknown revision of an old CU is judged, not "newer" */
    struct exh_build old = {15, 1, 2106, 50};
    CHECK(exh_exposure_judge(&old, "the logs", at("2026-12-06T00:00:00Z"), NULL, &x));
    CHECK(!x.newer);
    CHECK_EQ_STR(x.name, "Exchange Server 2016 CU18 (build not in the catalogue)");
    CHECK(has_rule(&x, EXH_RULE_EXP_APR21));
    CHECK(!has_rule(&x, EXH_RULE_EXP_MAR21));
    CHECK(exh_catalogue_size() > 300);
    CHECK_EQ_STR(exh_catalogue_date(), "2026-08-11");
}

static void test_old_fixes(void)
{
    struct exh_exposure x;
    /* 2016 CU11 (October 2018): before the PrivExchange CUs and the 2020 key fix */
    struct exh_build b = {15, 1, 1591, 10};
    CHECK(exh_exposure_judge(&b, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x));
    CHECK(has_rule(&x, EXH_RULE_EXP_FEB19));
    CHECK(has_rule(&x, EXH_RULE_EXP_FEB20));
    CHECK(has_rule(&x, EXH_RULE_EXP_JUL21));
    CHECK(has_rule(&x, EXH_RULE_EXP_NOV21));
    /* 2016 CU14 with the February 2020 update */
    struct exh_build b2 = {15, 1, 1847, 7};
    CHECK(exh_exposure_judge(&b2, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x));
    CHECK(!has_rule(&x, EXH_RULE_EXP_FEB19));
    CHECK(!has_rule(&x, EXH_RULE_EXP_FEB20));
    CHECK(has_rule(&x, EXH_RULE_EXP_MAR21));
    /* Exchange 2013: CVE-2021-42321 and CVE-2024-21410 do not apply */
    struct exh_build e13 = {15, 0, 1497, 18};
    CHECK(exh_exposure_judge(&e13, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x));
    CHECK(!has_rule(&x, EXH_RULE_EXP_NOV21));
    CHECK(!has_rule(&x, EXH_RULE_EXP_EPA));
    CHECK(!has_rule(&x, EXH_RULE_EXP_JUN26));
    CHECK(has_rule(&x, EXH_RULE_EXP_JUL21));
    CHECK(has_rule(&x, EXH_RULE_EXP_EOL));
    CHECK_EQ_INT(x.support, EXH_SUPPORT_ENDED);
    /* 2019 CU14 has Extended Protection on */
    struct exh_build c14 = {15, 2, 1544, 4};
    CHECK(exh_exposure_judge(&c14, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x));
    CHECK(!has_rule(&x, EXH_RULE_EXP_EPA));
    struct exh_build c13 = {15, 2, 1258, 39};
    CHECK(exh_exposure_judge(&c13, "the logs", at("2026-01-01T00:00:00Z"), NULL, &x));
    CHECK(has_rule(&x, EXH_RULE_EXP_EPA));
}

static void test_mitigated(void)
{
    struct exh_exposure x;
    struct exh_mitigations m;
    memset(&m, 0, sizeof(m));
    struct exh_build b = {15, 1, 2176, 2}; /* 2016 CU19: lacks Mar21SU onwards */
    m.blocks = EXH_MIT_PROXYLOGON;
    snprintf(m.where[0], sizeof(m.where[0]),
             "web.config: rule 'X-AnonResource-Backend Abort Request'");
    CHECK(exh_exposure_judge(&b, "the logs", at("2026-01-01T00:00:00Z"), &m, &x));
    CHECK(!has_rule(&x, EXH_RULE_EXP_MAR21));
    const struct exh_exp_item *it = item(&x, EXH_RULE_EXP_MITIGATED);
    if (CHECK(it != NULL)) {
        CHECK(it->mitigated);
        CHECK(strstr(it->message, "X-AnonResource-Backend") != NULL);
    }
    CHECK(has_rule(&x, EXH_RULE_EXP_APR21)); /* other fixes stay */
    /* a bypassable rule does not mitigate */
    m.bypassable = EXH_MIT_PROXYLOGON;
    CHECK(exh_exposure_judge(&b, "the logs", at("2026-01-01T00:00:00Z"), &m, &x));
    CHECK(has_rule(&x, EXH_RULE_EXP_MAR21));
    CHECK(!has_rule(&x, EXH_RULE_EXP_MITIGATED));
    CHECK(strstr(item(&x, EXH_RULE_EXP_MAR21)->message, "bypass") != NULL);
    /* ProxyNotShell's rule never covers OWASSRF */
    memset(&m, 0, sizeof(m));
    m.blocks = EXH_MIT_PROXYNOTSHELL;
    struct exh_build c23 = {15, 1, 2507, 13};
    CHECK(exh_exposure_judge(&c23, "the logs", at("2026-01-01T00:00:00Z"), &m, &x));
    CHECK(has_rule(&x, EXH_RULE_EXP_NOV22));
    CHECK(strstr(item(&x, EXH_RULE_EXP_NOV22)->message, "OWASSRF") != NULL);
    /* the OWA mitigation of 2026 on SE: the exploited flaw is mitigated */
    memset(&m, 0, sizeof(m));
    m.blocks = EXH_MIT_OWA_2026;
    struct exh_build se41 = {15, 2, 2562, 41};
    CHECK(exh_exposure_judge(&se41, "the logs", at("2026-12-06T00:00:00Z"), &m, &x));
    CHECK(!has_rule(&x, EXH_RULE_EXP_JUN26));
    CHECK(has_rule(&x, EXH_RULE_EXP_MITIGATED));
}

int main(void)
{
    T_RUN(test_updates);
    T_RUN(test_anchor);
    T_RUN(test_newer);
    T_RUN(test_old_fixes);
    T_RUN(test_mitigated);
    return T_DONE("unit-exposure");
}
