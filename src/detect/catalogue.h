/* catalogue.h: the Exchange build catalogue and the fixes for exploited
 * vulnerabilities (generated from data/exchange-builds.tsv and
 * data/exchange-exploited.tsv by tools/gen-data.sh; judged by exposure.c). */
#ifndef EXH_DETECT_CATALOGUE_H
#define EXH_DETECT_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "exh/rules.h"

struct exh_cat_build {
    uint16_t major, minor, build, rev;
    const char *date; /* "2022-11-08" or "2013-08" */
    char kind; /* 'c' RTM/SP/CU release, 's' security update, 'h' hotfix update, 'p' preview */
    const char *update; /* "CU23", "Nov22SU", "KB4536987", "Apr24HU" */
};
/* sorted by build */
extern const struct exh_cat_build exh_cat_builds[];
extern const size_t exh_ncat_builds;
extern const char exh_cat_newest[]; /* the newest release date */

struct exh_cat_fix {
    enum exh_rule_sym rule;
    const char *cves;       /* "CVE-2021-34473,CVE-2021-34523" */
    const char *kev_added;  /* "2021-11-03" */
    const char *fix;        /* update names or builds, comma-separated */
    const char *affects;    /* "15.0,15.1,15.2" */
    const char *mitigation; /* "PROXYLOGON:partial", "OWA_2026", "-" */
    const char *update;     /* how messages name the fix */
};
extern const struct exh_cat_fix exh_cat_fixes[];
extern const size_t exh_ncat_fixes;

#endif
