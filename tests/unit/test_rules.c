/* test_rules.c: the rule table (include/exh/rules.def, src/detect/rules.c)
 * and the detector table (src/detect/detectors.def, src/detect/table.c). */
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/detect.h"
#include "exh/rules.h"
#include "t.h"

/* rules.def's EMITTER rows: who emits rules outside the detectors */
static const char *const other_emitters[] = {
#define RULE(...)
#define EMITTER(name, file) #name,
#include "exh/rules.def"
#undef RULE
#undef EMITTER
    NULL};

static bool upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* EXH-[A-Z]+-[0-9]{3} */
static bool id_ok(const char *s)
{
    if (strncmp(s, "EXH-", 4) != 0)
        return false;
    s += 4;
    size_t k = 0;
    while (upper(s[k]))
        k++;
    if (k == 0 || s[k] != '-')
        return false;
    s += k + 1;
    return digit(s[0]) && digit(s[1]) && digit(s[2]) && s[3] == '\0';
}

/* CVE-YYYY-NNNN+ */
static bool cve_ok(const char *s)
{
    if (strncmp(s, "CVE-", 4) != 0)
        return false;
    s += 4;
    for (int i = 0; i < 4; i++)
        if (!digit(s[i]))
            return false;
    if (s[4] != '-')
        return false;
    s += 5;
    size_t k = 0;
    while (digit(s[k]))
        k++;
    return k >= 4 && s[k] == '\0';
}

static bool nonempty(const char *s)
{
    if (!s)
        return false;
    struct exh_str t = exh_trim(exh_str_make(s, strlen(s)));
    return t.n > 0;
}

static void test_id_checkers(void)
{
    /* the checkers themselves must be able to say no */
    CHECK(id_ok("EXH-PL-001"));
    CHECK(id_ok("EXH-NOISE-002"));
    CHECK(!id_ok("EXH-PL-01"));
    CHECK(!id_ok("EXH-PL-0001"));
    CHECK(!id_ok("EXH-pl-001"));
    CHECK(!id_ok("EXH--001"));
    CHECK(!id_ok("EXH-PL001"));
    CHECK(!id_ok("XEH-PL-001"));
    CHECK(cve_ok("CVE-2021-26855"));
    CHECK(cve_ok("CVE-2021-123456"));
    CHECK(!cve_ok("CVE-2021-123"));
    CHECK(!cve_ok("CVE-21-26855"));
    CHECK(!cve_ok(" CVE-2021-26855"));
    CHECK(!cve_ok("CVE-2021-26855 "));
    CHECK(!cve_ok("cve-2021-26855"));
}

static void test_table(void)
{
    CHECK(EXH_RULE__COUNT >= 15);
    for (size_t i = 0; i < EXH_RULE__COUNT; i++) {
        const struct exh_rule *r = &exh_rules[i];
        T_CTX(r->id ? r->id : "(null id)");
        if (!CHECK(r->id != NULL))
            continue;
        CHECK(id_ok(r->id));
        for (size_t k = 0; k < i; k++)
            CHECK(strcmp(exh_rules[k].id, r->id) != 0);
        CHECK(nonempty(r->ruleset));
        CHECK(nonempty(r->name));
        CHECK(nonempty(r->summary));
        CHECK(nonempty(r->explanation));
        CHECK(nonempty(r->remediation));
        CHECK(nonempty(r->inputs));
        CHECK(r->cves != NULL && r->attack != NULL);
        CHECK((unsigned)r->sev < EXH_SEV__COUNT);
        CHECK((unsigned)r->stage < EXH_STAGE__COUNT);
        /* rulesets are lower-case words ("proxylogon", "ioc", ...) */
        for (const char *p = r->ruleset; *p; p++)
            CHECK((*p >= 'a' && *p <= 'z') || *p == '-');
        /* CVE list */
        size_t nc = exh_rule_cve_count(r);
        if (!r->cves[0])
            CHECK_EQ_INT(nc, 0);
        size_t commas = 0;
        for (const char *p = r->cves; *p; p++)
            commas += *p == ',';
        if (r->cves[0])
            CHECK_EQ_INT(nc, commas + 1);
        for (size_t k = 0; k < nc; k++) {
            char cve[32];
            memset(cve, 'X', sizeof(cve));
            exh_rule_cve(r, k, cve);
            CHECK(memchr(cve, '\0', sizeof(cve)) != NULL);
            CHECK(cve_ok(cve));
            for (size_t j = 0; j < k; j++) {
                char other[32];
                exh_rule_cve(r, j, other);
                CHECK(strcmp(other, cve) != 0); /* no CVE listed twice */
            }
        }
        /* ATT&CK technique: "" or T1234 / T1234.567 */
        if (r->attack[0]) {
            const char *a = r->attack;
            bool ok = a[0] == 'T' && digit(a[1]) && digit(a[2]) && digit(a[3]) && digit(a[4]) &&
                      (a[5] == '\0' ||
                       (a[5] == '.' && digit(a[6]) && digit(a[7]) && digit(a[8]) && !a[9]));
            CHECK(ok);
        }
        /* lookups find it, in any case */
        CHECK(exh_rule_by_id(r->id) == r);
        char lower[64];
        size_t n = strlen(r->id);
        if (CHECK(n < sizeof(lower))) {
            for (size_t k = 0; k <= n; k++)
                lower[k] = (char)exh_lc((unsigned char)r->id[k]);
            CHECK(exh_rule_by_id(lower) == r);
        }
    }
    T_CTX(NULL);
}

static void test_lookup(void)
{
    const struct exh_rule *r = exh_rule_by_id("EXH-PL-003");
    if (CHECK(r != NULL)) {
        CHECK_EQ_STR(r->id, "EXH-PL-003");
        CHECK_EQ_INT(r->sev, EXH_SEV_HIGH);
        CHECK_EQ_INT(r->stage, EXH_STAGE_EXPLOITATION);
        CHECK_EQ_INT(exh_rule_cve_count(r), 1);
    }
    CHECK(exh_rule_by_id("exh-pl-003") == r);
    CHECK(exh_rule_by_id("Exh-Pl-003") == r);
    CHECK(exh_rule_by_id("EXH-PL-03") == NULL);
    CHECK(exh_rule_by_id("EXH-PL-0030") == NULL);
    CHECK(exh_rule_by_id("EXH-PL-003 ") == NULL);
    CHECK(exh_rule_by_id("") == NULL);
    CHECK(exh_rule_by_id("EXH-PL-999") == NULL);
    CHECK(exh_rule_by_id("PL-003") == NULL);

    /* the multi-CVE rules parse into their parts */
    r = exh_rule_by_id("EXH-EXP-001");
    if (CHECK(r != NULL)) {
        CHECK_EQ_INT(exh_rule_cve_count(r), 4);
        char c[32];
        exh_rule_cve(r, 0, c);
        CHECK_EQ_STR(c, "CVE-2021-26855");
        exh_rule_cve(r, 3, c);
        CHECK_EQ_STR(c, "CVE-2021-27065");
        exh_rule_cve(r, 4, c); /* past the end: empty */
        CHECK_EQ_STR(c, "");
        exh_rule_cve(r, 1000, c);
        CHECK_EQ_STR(c, "");
    }
    r = exh_rule_by_id("EXH-IOC-001");
    if (CHECK(r != NULL)) {
        CHECK_EQ_INT(exh_rule_cve_count(r), 0);
        char c[32] = "junk";
        exh_rule_cve(r, 0, c);
        CHECK_EQ_STR(c, "");
    }

    /* a hand-made rule: CVE parsing of odd lists stays in bounds */
    struct exh_rule fake;
    memset(&fake, 0, sizeof(fake));
    fake.cves = "CVE-2021-1,CVE-2021-0123456789012345678901234567890123456789";
    CHECK_EQ_INT(exh_rule_cve_count(&fake), 2);
    char c[32];
    exh_rule_cve(&fake, 1, c);
    CHECK_EQ_INT(strlen(c), 31); /* cut at 31 bytes */
    exh_rule_cve(&fake, 0, c);
    CHECK_EQ_STR(c, "CVE-2021-1");
    fake.cves = "";
    CHECK_EQ_INT(exh_rule_cve_count(&fake), 0);
}

static void test_names(void)
{
    CHECK_EQ_STR(exh_sev_name(EXH_SEV_INFO), "info");
    CHECK_EQ_STR(exh_sev_name(EXH_SEV_LOW), "low");
    CHECK_EQ_STR(exh_sev_name(EXH_SEV_MEDIUM), "medium");
    CHECK_EQ_STR(exh_sev_name(EXH_SEV_HIGH), "high");
    CHECK_EQ_STR(exh_sev_name(EXH_SEV_CRITICAL), "critical");
    CHECK_EQ_STR(exh_sev_name((enum exh_sev)EXH_SEV__COUNT), "?");
    CHECK_EQ_STR(exh_stage_name(EXH_STAGE_NOISE), "noise");
    CHECK_EQ_STR(exh_stage_name(EXH_STAGE_EXPOSURE), "exposure");
    CHECK_EQ_STR(exh_stage_name(EXH_STAGE_ATTEMPT), "attempt");
    CHECK_EQ_STR(exh_stage_name(EXH_STAGE_EXPLOITATION), "exploitation");
    CHECK_EQ_STR(exh_stage_name(EXH_STAGE_BACKDOOR), "backdoor");
    CHECK_EQ_STR(exh_stage_name(EXH_STAGE_POST_EXPLOITATION), "post-exploitation");
    CHECK_EQ_STR(exh_stage_name((enum exh_stage)EXH_STAGE__COUNT), "?");
    /* severities are ordered */
    CHECK(EXH_SEV_INFO < EXH_SEV_LOW && EXH_SEV_LOW < EXH_SEV_MEDIUM &&
          EXH_SEV_MEDIUM < EXH_SEV_HIGH && EXH_SEV_HIGH < EXH_SEV_CRITICAL);
}

/* The i-th name of a comma-separated emitters list into out; false past the end. */
static bool emitter_at(const char *list, size_t i, char out[64])
{
    if (!*list)
        return false;
    const char *p = list;
    for (; i > 0; i--) {
        p = strchr(p, ',');
        if (!p)
            return false;
        p++;
    }
    size_t k = strcspn(p, ",");
    k = k < 63 ? k : 63;
    memcpy(out, p, k);
    out[k] = '\0';
    return true;
}

static const struct exh_detector *detector_named(const char *name)
{
    for (size_t i = 0; i < exh_ndetectors; i++)
        if (!strcmp(exh_detectors[i].name, name))
            return &exh_detectors[i];
    return NULL;
}

static bool other_emitter(const char *name)
{
    for (size_t i = 0; other_emitters[i]; i++)
        if (!strcmp(other_emitters[i], name))
            return true;
    return false;
}

/* a lower-case identifier: [a-z][a-z0-9_]* */
static bool ident_ok(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || digit(*s) || *s == '_'))
            return false;
    return true;
}

static void test_emitter_parse(void)
{
    char e[64];
    CHECK(emitter_at("a,bc", 0, e) && !strcmp(e, "a"));
    CHECK(emitter_at("a,bc", 1, e) && !strcmp(e, "bc"));
    CHECK(!emitter_at("a,bc", 2, e));
    CHECK(!emitter_at("", 0, e));
    CHECK(emitter_at("a,", 1, e) && !strcmp(e, "")); /* an empty name is seen (and refused) */
    CHECK(!ident_ok("") && !ident_ok("Judge") && !ident_ok("a b") && ident_ok("proxy_2"));
}

/* Every rule names where it is emitted: detectors of detectors.def or
 * EMITTER rows of rules.def; each of those emits a rule. */
static void test_emitters(void)
{
    CHECK(other_emitters[0] != NULL);
    for (size_t i = 0; other_emitters[i]; i++) {
        T_CTX(other_emitters[i]);
        CHECK(ident_ok(other_emitters[i]));
        CHECK(detector_named(other_emitters[i]) == NULL); /* names are not shared */
    }
    size_t named[256] = {0}, named_other[16] = {0};
    CHECK(exh_ndetectors <= 256);
    for (size_t i = 0; other_emitters[i]; i++)
        CHECK(i < 16);
    for (size_t i = 0; i < EXH_RULE__COUNT; i++) {
        const struct exh_rule *r = &exh_rules[i];
        T_CTX(r->id);
        if (!CHECK(r->emitters != NULL))
            continue;
        CHECK(emitter_at(r->emitters, 0, (char[64]){0})); /* at least one */
        char e[64];
        for (size_t k = 0; emitter_at(r->emitters, k, e); k++) {
            CHECK(ident_ok(e));
            const struct exh_detector *d = detector_named(e);
            CHECK(d != NULL || other_emitter(e));
            if (d && d - exh_detectors < 256)
                named[d - exh_detectors]++;
            for (size_t j = 0; other_emitters[j] && j < 16; j++)
                named_other[j] += !strcmp(other_emitters[j], e);
            char prev[64];
            for (size_t j = 0; j < k; j++) /* no name twice */
                CHECK(emitter_at(r->emitters, j, prev) && strcmp(prev, e) != 0);
        }
        CHECK((r->flags & ~EXH_RF_SHELL) == 0);
    }
    for (size_t i = 0; i < exh_ndetectors && i < 256; i++) {
        T_CTX(exh_detectors[i].name);
        CHECK(named[i] > 0); /* a detector that emits no rule */
    }
    for (size_t j = 0; other_emitters[j] && j < 16; j++) {
        T_CTX(other_emitters[j]);
        CHECK(named_other[j] > 0);
    }
    T_CTX(NULL);
}

/* The SHELL flag marks the rules the judge took for a web shell on disk
 * before the flag existed: the web-shell ruleset and five more. */
static void test_shell_flag(void)
{
    for (size_t i = 0; i < EXH_RULE__COUNT; i++) {
        const struct exh_rule *r = &exh_rules[i];
        T_CTX(r->id);
        bool was = !strcmp(r->ruleset, "webshell") || i == EXH_RULE_LOC_ASPNET_CLIENT ||
                   i == EXH_RULE_LOC_KNOWN_PATH || i == EXH_RULE_LOC_ECP_AUTH ||
                   i == EXH_RULE_IOC_HASH || i == EXH_RULE_YARA_MATCH;
        CHECK(((r->flags & EXH_RF_SHELL) != 0) == was);
    }
    T_CTX(NULL);
}

/* The detector table: nothing in it that the engine would drop silently. */
static void test_detectors(void)
{
    CHECK(exh_ndetectors > 0);
    for (size_t i = 0; i < exh_ndetectors; i++) {
        const struct exh_detector *d = &exh_detectors[i];
        T_CTX(d->name ? d->name : "(null name)");
        if (!CHECK(d->name != NULL))
            continue;
        CHECK(ident_ok(d->name));
        CHECK(detector_named(d->name) == d); /* names are unique */
        /* one kind: lines, files or event records */
        CHECK((d->on_line != NULL) + (d->on_file != NULL) + (d->on_event != NULL) == 1);
        if (!d->on_line) {
            CHECK(d->inputs == 0 && !d->needles && !d->ioc_needles && !d->all_lines);
            continue;
        }
        CHECK(d->inputs != 0 && (d->inputs & ~(unsigned)EXH_IN_ANY_LOG) == 0);
        /* its lines are selected somehow: needles of its own, the indicator
         * set, or every line */
        CHECK((d->needles != NULL && d->needles[0] != NULL) + d->ioc_needles + d->all_lines == 1);
        for (size_t k = 0; d->needles && d->needles[k]; k++) {
            const char *n = d->needles[k];
            T_CTX(n);
            CHECK(strlen(n) >= 4); /* the engine drops shorter ones */
            for (const char *p = n; *p; p++)
                CHECK(!(*p >= 'A' && *p <= 'Z')); /* as detectors.def says */
        }
    }
    /* the engine calls at most 32 line detectors per log family */
    for (int fam = 1; fam < EXH_FAM__COUNT; fam++) {
        size_t n = 0;
        for (size_t i = 0; i < exh_ndetectors; i++)
            n += exh_detectors[i].on_line && (exh_detectors[i].inputs & (1u << fam));
        T_CTX(exh_family_dataset((enum exh_family)fam));
        CHECK(n <= 32);
    }
    T_CTX(NULL);
}

int main(void)
{
    T_RUN(test_id_checkers);
    T_RUN(test_table);
    T_RUN(test_lookup);
    T_RUN(test_names);
    T_RUN(test_emitter_parse);
    T_RUN(test_emitters);
    T_RUN(test_shell_flag);
    T_RUN(test_detectors);
    return T_DONE("unit-rules");
}
