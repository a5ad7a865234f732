/* report.c: choosing a reporter and feeding it a result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/report.h"
#include "exh/banned.h"

const struct exh_reporter_ops *exh_reporter_by_name(const char *name)
{
    if (!strcmp(name, "text"))
        return &exh_report_text;
    if (!strcmp(name, "jsonl") || !strcmp(name, "json"))
        return &exh_report_jsonl;
    if (!strcmp(name, "csv"))
        return &exh_report_csv;
    return NULL;
}

/* Timeline order: by actor (first seen first; no source last), then time. */
static const struct exh_result *order_res;

static int cmp_timeline(const void *a, const void *b)
{
    const struct exh_finding *x = &order_res->findings[*(const size_t *)a];
    const struct exh_finding *y = &order_res->findings[*(const size_t *)b];
    int ax = x->actor < 0 ? INT32_MAX : x->actor, ay = y->actor < 0 ? INT32_MAX : y->actor;
    if (ax != ay)
        return ax < ay ? -1 : 1;
    if (x->has_ts != y->has_ts)
        return x->has_ts ? -1 : 1;
    if (x->has_ts && x->ts_ms != y->ts_ms)
        return x->ts_ms < y->ts_ms ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void exh_report_result(struct exh_report *r, const struct exh_result *res)
{
    r->res = res;
    if (r->ops->begin)
        r->ops->begin(r);
    size_t *order = malloc((res->nfindings ? res->nfindings : 1) * sizeof(*order));
    if (!order)
        abort();
    for (size_t i = 0; i < res->nfindings; i++)
        order[i] = i;
    if (r->timeline && res->nfindings) {
        order_res = res; /* qsort has no context argument in C11 */
        qsort(order, res->nfindings, sizeof(*order), cmp_timeline);
        order_res = NULL;
    }
    for (size_t i = 0; i < res->nfindings; i++)
        r->ops->finding(r, &res->findings[order[i]]);
    free(order);
    for (size_t i = 0; i < res->nerrors; i++)
        r->ops->error(r, &res->errors[i]);
    r->ops->summary(r, res);
}
