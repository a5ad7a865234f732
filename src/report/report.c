/* report.c: choosing a reporter and feeding it a result. */
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

void exh_report_result(struct exh_report *r, const struct exh_result *res)
{
    if (r->ops->begin)
        r->ops->begin(r);
    for (size_t i = 0; i < res->nfindings; i++)
        r->ops->finding(r, &res->findings[i]);
    for (size_t i = 0; i < res->nerrors; i++)
        r->ops->error(r, &res->errors[i]);
    r->ops->summary(r, res);
}
