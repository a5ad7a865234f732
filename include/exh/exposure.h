/* exposure.h: is an Exchange build still open? The build catalogue (every
 * Exchange 2013, 2016, 2019 and SE build with its date, generated from
 * data/exchange-builds.tsv), the fixes for vulnerabilities known to be
 * exploited (data/exchange-exploited.tsv), the support life of each product
 * line, and the judgement that puts them together. Pure functions: no I/O,
 * nothing printed; the scan (src/engine/judge.c) and the network probe turn
 * the result into findings. */
#ifndef EXH_EXPOSURE_H
#define EXH_EXPOSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exlog.h"
#include "rules.h"

/* What a URL Rewrite rule or the Emergency Mitigation service blocks
 * (src/read/mitigation.c fills it from applicationHost.config, web.config and
 * the mitigation service's logs). */
enum exh_mit {
    EXH_MIT_PROXYLOGON = 1u << 0, /* CVE-2021-26855's X-AnonResource-Backend/X-BEResource cookies */
    EXH_MIT_PROXYNOTSHELL = 1u << 1, /* autodiscover + powershell in the URL (CVE-2022-41040) */
    EXH_MIT_OWA_2026 = 1u << 2,      /* the OWA mitigation for CVE-2026-42897 */
};
struct exh_mitigations {
    unsigned blocks;     /* enum exh_mit bits a rule in force blocks */
    unsigned bypassable; /* of those, the ones blocked only by a rule with a published bypass */
    /* where each was found, for the message ("applicationHost.config: rule
     * 'PowerShell - inbound'"); "" when not found */
    char where[3][160];
};

enum exh_support {
    EXH_SUPPORT_CURRENT, /* gets security updates */
    EXH_SUPPORT_ESU,     /* only under a paid Extended Security Update contract */
    EXH_SUPPORT_ENDED,   /* no more updates */
};

/* One thing that matters about a build's exposure: a missing fix for an
 * exploited vulnerability, the newest security update missing, an ended
 * product line, or a build newer than the catalogue. */
struct exh_exp_item {
    enum exh_rule_sym rule;
    bool has_fix;
    struct exh_build fix; /* the build that has the fix on this CU (or the first CU that has it) */
    bool mitigated;       /* a rule in force blocks the exploit's request shape */
    char message[768];
};

#define EXH_EXP_MAX_ITEMS 24

struct exh_exposure {
    const char *product; /* "Exchange Server 2016" */
    char name[96];       /* "Exchange Server 2016 CU23 Nov22SU", or "... CU23 (build not in the
                            catalogue)" */
    char date[16];       /* the build's release date, "2022-11-08" or "2022-11" or "" */
    bool in_catalogue;   /* this exact build is catalogued */
    bool newer;          /* newer than every build exhunt knows for its line */
    char
        newest_update[64]; /* newest security update the build has: "Nov22SU (2022-11-08)", or "" */
    unsigned nmissing;     /* security updates released for its line that it lacks */
    char missing[2816];    /* their names, oldest first, comma-separated */
    enum exh_support support;
    const char *support_end; /* "2025-10-14" */
    struct exh_exp_item items[EXH_EXP_MAX_ITEMS];
    size_t nitems;
};

/* The newest release date in the catalogue ("2026-08-11"): exhunt knows no
 * update released after it. */
const char *exh_catalogue_date(void);
size_t exh_catalogue_size(void);

/* Judge build b. seen names where the build came from, for the messages
 * ("the logs", "ExSetup.exe", "the X-OWA-Version header"). now_ms decides the
 * support state. mit may be NULL. Returns false when b is not Exchange 2013,
 * 2016, 2019 or SE (15.0, 15.1, 15.2). */
bool exh_exposure_judge(const struct exh_build *b, const char *seen, int64_t now_ms,
                        const struct exh_mitigations *mit, struct exh_exposure *out);

/* Does build b have the security update named (e.g. "Apr21SU")? For the
 * chain relabelling in judge.c. False when the update is unknown or b is not
 * judged. */
bool exh_build_has_update(const struct exh_build *b, const char *update);

#endif
