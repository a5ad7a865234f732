/* needles.c: the pre-filter of each log family, built from the detector
 * table (each line detector's needles, the indicator set's addresses and user
 * agents, and the header lines every reader needs). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/match.h"
#include "exh/banned.h"

static void add_needle(const char ***v, size_t *n, size_t *cap, const char *s)
{
    if (strlen(s) < 4)
        return; /* too short to pre-filter on */
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = exh_xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = s;
}

/* The literals the pre-filter looks for in one family's logs. */
void eng_family_needles(const struct engine *e, int fam, const char ***needles, size_t *nn,
                        size_t *cap)
{
    for (size_t i = 0; i < exh_ndetectors; i++) {
        const struct exh_detector *d = &exh_detectors[i];
        if (!(d->inputs & (1u << fam)) || !d->on_line)
            continue;
        for (size_t k = 0; d->needles && d->needles[k]; k++)
            add_needle(needles, nn, cap, d->needles[k]);
        if (d->ioc_needles) {
            for (size_t k = 0; k < exh_iocset_nips(e->iocs); k++)
                add_needle(needles, nn, cap, exh_iocset_ip(e->iocs, k, NULL));
            for (size_t k = 0; k < exh_iocset_nuas(e->iocs); k++) {
                const char *plus, *ua = exh_iocset_ua(e->iocs, k, &plus, NULL, NULL);
                add_needle(needles, nn, cap, ua);
                if (strcmp(plus, ua) != 0)
                    add_needle(needles, nn, cap, plus);
            }
        }
    }
    /* #Fields: lines are selected too, so header changes are seen; and
     * W3C's #Date:, the date of rows whose fields have none */
    add_needle(needles, nn, cap, "#fields:");
    if (fam == EXH_FAM_W3C)
        add_needle(needles, nn, cap, "#date:");
}

void eng_build_matchers(struct engine *e)
{
    /* as many as the table has (a fixed 32 once left the rest out) */
    e->event_dets = exh_xcalloc(exh_ndetectors + 1, sizeof(*e->event_dets));
    for (size_t i = 0; i < exh_ndetectors; i++)
        if (exh_detectors[i].on_event)
            e->event_dets[e->nevent_dets++] = &exh_detectors[i];
    for (int fam = 1; fam < EXH_FAM__COUNT; fam++) {
        e->line_dets[fam] = exh_xcalloc(exh_ndetectors + 1, sizeof(*e->line_dets[fam]));
        for (size_t i = 0; i < exh_ndetectors; i++) {
            const struct exh_detector *d = &exh_detectors[i];
            if (!(d->inputs & (1u << fam)) || !d->on_line)
                continue;
            e->line_dets[fam][e->nline_dets[fam]++] = d;
            e->all_lines[fam] |= d->all_lines;
        }
        const char **needles = NULL;
        size_t nn = 0, cap = 0;
        eng_family_needles(e, fam, &needles, &nn, &cap);
        e->matcher[fam] = exh_matcher_build(needles, NULL, nn);
        free(needles);
    }
}
