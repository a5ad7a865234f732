/* report_manifest.c: the manifest of `scan --collect` (collect.h), as JSON
 * Lines (exact: manifest.jsonl) and as CSV (for a spreadsheet:
 * manifest.csv, formula-safe cells). docs/output.md describes the fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/collect.h"
#include "exh/timeutil.h"
#include "util.h"
#include "exh/banned.h"

void exh_manifest_jsonl(FILE *o, const struct exh_collect_result *r, int64_t collected_ms)
{
    for (size_t i = 0; i < r->nitems; i++) {
        const struct exh_collect_item *it = &r->items[i];
        fputs("{\"type\":\"collected\",", o);
        exh_json_kv_str(o, "path", it->path);
        fputc(',', o);
        exh_json_kv_str(o, "source", it->source);
        fputc(',', o);
        exh_json_kv_str(o, "copy", it->copy);
        fprintf(o, ",\"size\":%llu,", (unsigned long long)it->size);
        exh_json_kv_str(o, "sha256", it->sha256);
        fputc(',', o);
        exh_json_kv_time(o, "mtime", it->mtime_ms);
        if (it->has_ctime) {
            fputc(',', o);
            exh_json_kv_time(o, "ctime", it->ctime_ms);
            fputc(',', o);
            exh_json_kv_str(o, "ctime_kind", it->ctime_what);
        }
        fputs(",\"rules\":[", o);
        exh_json_list(o, it->rules);
        fputs("],", o);
        exh_json_kv_str(o, "status", it->present ? "present" : "copied");
        if (it->grew) /* a log written to while copied: the copy holds the size at open */
            fputs(",\"grew\":true", o);
        fputc(',', o);
        exh_json_kv_time(o, "collected", collected_ms);
        fputs("}\n", o);
    }
}

static void cell(FILE *o, const char *s, bool last)
{
    if (s)
        exh_csv_cell(o, s, strlen(s));
    fputs(last ? "\r\n" : ",", o);
}

void exh_manifest_csv(FILE *o, const struct exh_collect_result *r, bool header,
                      int64_t collected_ms)
{
    if (header)
        fputs("path,source,copy,size,sha256,mtime,ctime,ctime_kind,rules,status,collected\r\n", o);
    for (size_t i = 0; i < r->nitems; i++) {
        const struct exh_collect_item *it = &r->items[i];
        char t[32], num[32];
        cell(o, it->path, false);
        cell(o, it->source, false);
        cell(o, it->copy, false);
        snprintf(num, sizeof(num), "%llu", (unsigned long long)it->size);
        cell(o, num, false);
        cell(o, it->sha256, false);
        exh_time_format(it->mtime_ms, t);
        cell(o, t, false);
        t[0] = '\0';
        if (it->has_ctime)
            exh_time_format(it->ctime_ms, t);
        cell(o, t, false);
        cell(o, it->has_ctime ? it->ctime_what : "", false);
        /* "a,b" -> "a b": one cell a spreadsheet shows as it is */
        char *rules = exh_xstrdup(it->rules ? it->rules : "");
        for (char *c = rules; *c; c++)
            if (*c == ',')
                *c = ' ';
        cell(o, rules, false);
        free(rules);
        cell(o, it->present ? "present" : "copied", false);
        exh_time_format(collected_ms, t);
        cell(o, t, true);
    }
}
