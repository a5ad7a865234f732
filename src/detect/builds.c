/* builds.c: Exchange builds that fix each exploited CVE family, and the rule
 * that decides whether a build has a security update (as Microsoft's Health
 * Checker decides it): a build at or above the update's build for the newest
 * CU that got it is fixed (a later CU includes it); below that, the build is
 * fixed only if its own CU got the update and its revision is at least the
 * update's. Builds from the reference tables in docs/exposure.md. */
#include <stdio.h>
#include <string.h>

#include "exh/detect.h"
#include "exh/banned.h"

#define B(a, b, c, d) {a, b, c, d}

/* March 2021 SU (ProxyLogon). The last entry of each version is the first CU
 * released with the fix included. */
static const struct exh_build mar21[] = {
    B(15, 0, 1395, 12), B(15, 0, 1473, 6),  B(15, 0, 1497, 12),
    B(15, 1, 1415, 8),  B(15, 1, 1466, 13), B(15, 1, 1531, 12), B(15, 1, 1591, 18),
    B(15, 1, 1713, 10), B(15, 1, 1779, 8),  B(15, 1, 1847, 12), B(15, 1, 1913, 12),
    B(15, 1, 1979, 8),  B(15, 1, 2044, 13), B(15, 1, 2106, 13), B(15, 1, 2176, 9),
    B(15, 1, 2242, 4),
    B(15, 2, 330, 11),  B(15, 2, 397, 11),  B(15, 2, 464, 15),  B(15, 2, 529, 13),
    B(15, 2, 595, 8),   B(15, 2, 659, 12),  B(15, 2, 721, 13),  B(15, 2, 792, 10),
    B(15, 2, 858, 5),
};

/* April 2021 SU (ProxyShell CVE-2021-34473, -34523). */
static const struct exh_build apr21[] = {
    B(15, 0, 1497, 15),
    B(15, 1, 2176, 12), B(15, 1, 2242, 8), B(15, 1, 2308, 8),
    B(15, 2, 792, 13),  B(15, 2, 858, 10), B(15, 2, 922, 7),
};

/* May 2021 SU (CVE-2021-31207). */
static const struct exh_build may21[] = {
    B(15, 0, 1497, 18),
    B(15, 1, 2176, 14), B(15, 1, 2242, 10), B(15, 1, 2308, 8),
    B(15, 2, 792, 15),  B(15, 2, 858, 12),  B(15, 2, 922, 7),
};

/* November 2022 SU (ProxyNotShell CVE-2022-41040/41082, OWASSRF CVE-2022-41080). */
static const struct exh_build nov22[] = {
    B(15, 0, 1497, 44),
    B(15, 1, 2375, 37), B(15, 1, 2507, 16),
    B(15, 2, 986, 36),  B(15, 2, 1118, 20), B(15, 2, 1258, 12),
};

struct su_table {
    const struct exh_build *b;
    size_t n;
};

static const struct su_table sus[EXH_NSU] = {
    {mar21, sizeof(mar21) / sizeof(mar21[0])},
    {apr21, sizeof(apr21) / sizeof(apr21[0])},
    {may21, sizeof(may21) / sizeof(may21[0])},
    {nov22, sizeof(nov22) / sizeof(nov22[0])},
};

const enum exh_rule_sym exh_su_rules[EXH_NSU] = {EXH_RULE_EXP_MAR21, EXH_RULE_EXP_APR21,
                                                 EXH_RULE_EXP_MAY21, EXH_RULE_EXP_NOV22};
const char *const exh_su_names[EXH_NSU] = {"Mar21SU", "Apr21SU", "May21SU", "Nov22SU"};

/* CU release builds, to name a build. */
struct cu {
    uint32_t minor, build;
    const char *name;
};
static const struct cu cus[] = {
    {0, 1395, "CU21"}, {0, 1473, "CU22"}, {0, 1497, "CU23"},
    {1, 1415, "CU8"},  {1, 1466, "CU9"},  {1, 1531, "CU10"}, {1, 1591, "CU11"},
    {1, 1713, "CU12"}, {1, 1779, "CU13"}, {1, 1847, "CU14"}, {1, 1913, "CU15"},
    {1, 1979, "CU16"}, {1, 2044, "CU17"}, {1, 2106, "CU18"}, {1, 2176, "CU19"},
    {1, 2242, "CU20"}, {1, 2308, "CU21"}, {1, 2375, "CU22"}, {1, 2507, "CU23"},
    {2, 330, "CU1"},   {2, 397, "CU2"},   {2, 464, "CU3"},   {2, 529, "CU4"},
    {2, 595, "CU5"},   {2, 659, "CU6"},   {2, 721, "CU7"},   {2, 792, "CU8"},
    {2, 858, "CU9"},   {2, 922, "CU10"},  {2, 986, "CU11"},  {2, 1118, "CU12"},
    {2, 1258, "CU13"}, {2, 1544, "CU14"}, {2, 1748, "CU15"}, {2, 2562, "RTM"},
};

static bool fixed_by(const struct exh_build *b, const struct su_table *t, struct exh_build *fix)
{
    const struct exh_build *max = NULL, *same = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const struct exh_build *e = &t->b[i];
        if (e->major != b->major || e->minor != b->minor)
            continue;
        if (!max || exh_build_cmp(e, max) > 0)
            max = e;
        if (e->build == b->build)
            same = e;
    }
    if (!max)
        return true; /* this version never needed the update */
    if (fix)
        *fix = same ? *same : *max;
    if (exh_build_cmp(b, max) >= 0)
        return true;
    return same && b->rev >= same->rev;
}

bool exh_build_judge(const struct exh_build *b, struct exh_build_verdict *out)
{
    memset(out, 0, sizeof(*out));
    if (b->major != 15 || b->minor > 2)
        return false;
    if (b->minor == 2 && b->build >= 2562)
        out->product = "Exchange Server SE";
    else
        out->product = b->minor == 0 ? "Exchange 2013" : b->minor == 1 ? "Exchange 2016"
                                                                        : "Exchange 2019";
    for (size_t i = 0; i < sizeof(cus) / sizeof(cus[0]); i++)
        if (cus[i].minor == b->minor && cus[i].build == b->build)
            snprintf(out->cu_name, sizeof(out->cu_name), "%s", cus[i].name);
    for (int s = 0; s < EXH_NSU; s++)
        if (!fixed_by(b, &sus[s], NULL))
            out->missing |= 1u << s;
    return true;
}

bool exh_build_fix_for(const struct exh_build *b, int su, struct exh_build *fix_out)
{
    if (su < 0 || su >= EXH_NSU)
        return false;
    struct exh_build fix = {0};
    fixed_by(b, &sus[su], &fix);
    if (!fix.major)
        return false;
    *fix_out = fix;
    return true;
}
