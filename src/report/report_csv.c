/* report_csv.c: RFC 4180 CSV, one row per finding, fixed columns (extended
 * only by appending). Cells are formula-safe. Errors and the summary go to
 * the error stream so that the file stays one table. */
#include <stdio.h>
#include <string.h>

#include "exh/report.h"
#include "exh/timeutil.h"
#include "util.h"
#include "exh/banned.h"

static void cell(FILE *o, const char *s, bool last)
{
    if (s)
        exh_csv_cell(o, s, strlen(s));
    fputs(last ? "\r\n" : ",", o);
}

static void csv_begin(struct exh_report *r)
{
    fputs("timestamp,severity,stage,rule_id,rule_name,cve,host,source_ip,user_agent,method,url,"
          "status,path,line,offset,message,evidence,sha256,channel,event_id,record_id,datetime,"
          "timestamp_desc\r\n",
          r->out);
}

static void csv_finding(struct exh_report *r, const struct exh_finding *f)
{
    FILE *o = r->out;
    char t[32] = "", num[32];
    if (f->has_ts)
        exh_time_format(f->ts_ms, t);
    cell(o, t, false);
    cell(o, exh_sev_name(f->rule->sev), false);
    cell(o, exh_stage_name(f->rule->stage), false);
    cell(o, f->rule->id, false);
    cell(o, f->rule->name, false);
    cell(o, f->rule->cves, false);
    cell(o, f->host, false);
    cell(o, f->source_ip, false);
    cell(o, f->user_agent, false);
    cell(o, f->method, false);
    cell(o, f->url, false);
    if (f->status >= 0)
        snprintf(num, sizeof(num), "%d", f->status);
    cell(o, f->status >= 0 ? num : NULL, false);
    cell(o, f->path, false);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)f->line);
    cell(o, f->line ? num : NULL, false);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)f->offset);
    cell(o, f->has_offset ? num : NULL, false);
    cell(o, f->message, false);
    cell(o, f->evidence, false);
    cell(o, f->sha256[0] ? f->sha256 : NULL, false);
    cell(o, f->channel, false);
    snprintf(num, sizeof(num), "%u", f->event_code);
    cell(o, f->has_record ? num : NULL, false);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)f->record_id);
    cell(o, f->has_record ? num : NULL, false);
    /* Timesketch's mandatory datetime and timestamp_desc (message is above) */
    const char *desc;
    exh_time_format(exh_finding_datetime(f, r->created_ms, &desc), t);
    cell(o, t, false);
    cell(o, desc, true);
}

static void csv_error(struct exh_report *r, const struct exh_error_rec *e)
{
    exh_text_error_line(r->err, e);
}

static void csv_summary(struct exh_report *r, const struct exh_result *res)
{
    const struct exh_summary *s = &res->sum;
    if (r->quiet)
        return;
    fprintf(r->err, "exhunt: %llu findings in %llu files; verdict %s (exit %d)\n",
            (unsigned long long)s->findings, (unsigned long long)s->files_read,
            exh_verdict_name(s->verdict), s->exit_code);
}

const struct exh_reporter_ops exh_report_csv = {"csv",     csv_begin,   csv_finding,
                                                csv_error, csv_summary, NULL};
