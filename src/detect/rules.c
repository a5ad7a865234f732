/* rules.c: the rule table built from rules.def, and its names. */
#include <string.h>

#include "exh/core.h"
#include "exh/rules.h"
#include "exh/banned.h"

const struct exh_rule exh_rules[EXH_RULE__COUNT] = {
#define RULE(sym, id, set, emitters, flag, sev, stage, cves, inputs, attack, name, summary, expl,  \
             fix)                                                                                  \
    [EXH_RULE_##sym] = {id,   set,    emitters, EXH_RF_##flag, EXH_SEV_##sev, EXH_STAGE_##stage,   \
                        cves, inputs, attack,   name,          summary,       expl,                \
                        fix},
#include "exh/rules.def"
#undef RULE
};

const struct exh_rule *exh_rule_by_id(const char *id)
{
    for (size_t i = 0; i < EXH_RULE__COUNT; i++)
        if (exh_eq_ci(exh_str_make(exh_rules[i].id, strlen(exh_rules[i].id)), id))
            return &exh_rules[i];
    return NULL;
}

const char *exh_sev_name(enum exh_sev s)
{
    static const char *const names[] = {"info", "low", "medium", "high", "critical"};
    return (unsigned)s < EXH_SEV__COUNT ? names[s] : "?";
}

const char *exh_stage_name(enum exh_stage s)
{
    static const char *const names[] = {"noise",        "exposure", "attempt",
                                        "exploitation", "backdoor", "post-exploitation"};
    return (unsigned)s < EXH_STAGE__COUNT ? names[s] : "?";
}

size_t exh_rule_cve_count(const struct exh_rule *r)
{
    if (!r->cves[0])
        return 0;
    size_t k = 1;
    for (const char *p = r->cves; *p; p++)
        k += *p == ',';
    return k;
}

void exh_rule_cve(const struct exh_rule *r, size_t i, char out[32])
{
    const char *p = r->cves;
    while (i > 0 && *p) {
        if (*p++ == ',')
            i--;
    }
    size_t k = 0;
    while (p[k] && p[k] != ',' && k < 31) {
        out[k] = p[k];
        k++;
    }
    out[k] = '\0';
}
