/* needles.c: the pre-filter of each log family, built from the detector
 * table (each line detector's needles, the indicator set's addresses and user
 * agents, and the header lines every reader needs). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/match.h"
#include "exh/banned.h"

/* The pre-filter needs needles of 4 bytes or more. A detector's needle is
 * the table's (tests/unit/test_rules.c checks it: a shorter one is a bug);
 * an indicator is the user's: iocset refuses user agents under 4 bytes, and
 * an address under 4 characters ("::1") cannot be pre-filtered, so lines are
 * not selected for it. */
static void add_needle(const char ***v, size_t *n, size_t *cap, const char *s, bool from_table)
{
    if (strlen(s) < 4) {
        if (from_table)
            EXH_BUG("a detector's needle '%s' is shorter than 4 bytes", s);
        return;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = exh_xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = s;
}

static int cmp_needle_ci(const void *a, const void *b)
{
    const unsigned char *x = *(const unsigned char *const *)a,
                        *y = *(const unsigned char *const *)b;
    while (*x && exh_lc(*x) == exh_lc(*y)) {
        x++;
        y++;
    }
    return (int)exh_lc(*x) - (int)exh_lc(*y);
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
            add_needle(needles, nn, cap, d->needles[k], true);
        if (d->ioc_needles) {
            const char *const *nd;
            size_t k = exh_iocset_line_needles(e->iocs, &nd);
            for (size_t j = 0; j < k; j++)
                add_needle(needles, nn, cap, nd[j], false);
        }
    }
    /* #Fields: lines are selected too, so header changes are seen; and
     * W3C's #Date:, the date of rows whose fields have none */
    add_needle(needles, nn, cap, "#fields:", true);
    if (fam == EXH_FAM_W3C)
        add_needle(needles, nn, cap, "#date:", true);
    /* each literal once (detectors of one family may share one, and an
     * indicator may repeat one): sorted, case folded as the matcher folds */
    if (*nn > 1) {
        qsort(*needles, *nn, sizeof(**needles), cmp_needle_ci);
        size_t k = 1;
        for (size_t i = 1; i < *nn; i++)
            if (cmp_needle_ci(&(*needles)[k - 1], &(*needles)[i]) != 0)
                (*needles)[k++] = (*needles)[i];
        *nn = k;
    }
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
        EXH_BUG_ON(!e->matcher[fam]); /* every needle kept is 4 bytes or more */
        free(needles);
    }
}
