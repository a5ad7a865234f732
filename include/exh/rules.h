/* rules.h: the rule table (rules.def) as data. A rule's severity and stage
 * are fixed; a finding never changes them. */
#ifndef EXH_RULES_H
#define EXH_RULES_H

#include <stddef.h>

enum exh_sev { EXH_SEV_INFO, EXH_SEV_LOW, EXH_SEV_MEDIUM, EXH_SEV_HIGH, EXH_SEV_CRITICAL };
#define EXH_SEV__COUNT 5

enum exh_stage {
    EXH_STAGE_NOISE,
    EXH_STAGE_EXPOSURE,
    EXH_STAGE_ATTEMPT,
    EXH_STAGE_EXPLOITATION,
    EXH_STAGE_BACKDOOR,
    EXH_STAGE_POST_EXPLOITATION
};
#define EXH_STAGE__COUNT 6

enum exh_rule_sym {
#define RULE(sym, ...) EXH_RULE_##sym,
#include "rules.def"
#undef RULE
    EXH_RULE__COUNT
};

/* A rule's flag (rules.def's flag column). */
#define EXH_RF_NONE 0u
#define EXH_RF_SHELL 1u /* a finding of the rule is a web shell on disk */

struct exh_rule {
    const char *id;
    const char *ruleset;
    const char *emitters; /* comma separated detector or EMITTER names (rules.def) */
    unsigned flags;       /* EXH_RF_* */
    enum exh_sev sev;
    enum exh_stage stage;
    const char *cves; /* comma separated, "" for none */
    const char *inputs;
    const char *attack; /* MITRE ATT&CK technique, "" for none */
    const char *name;
    const char *summary;
    const char *explanation;
    const char *remediation;
};

extern const struct exh_rule exh_rules[EXH_RULE__COUNT];

const struct exh_rule *exh_rule_by_id(const char *id); /* case-insensitive; NULL if none */
const char *exh_sev_name(enum exh_sev s);              /* "info" .. "critical" */
const char *exh_stage_name(enum exh_stage s);          /* "noise" .. "post-exploitation" */
/* Number of CVEs in r->cves and the i-th one copied into out (NUL-terminated). */
size_t exh_rule_cve_count(const struct exh_rule *r);
void exh_rule_cve(const struct exh_rule *r, size_t i, char out[32]);

#endif
