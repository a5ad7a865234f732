/* report_jsonl.c: JSON Lines with Elastic Common Schema field names. Key
 * order is fixed (golden tests depend on it); see docs/output.md. */
#include <stdio.h>
#include <string.h>

#include "exh/report.h"
#include "exh/timeutil.h"
#include "exh/exposure.h"
#include "util.h"
#include "exh/banned.h"

/* the JSON helpers of util.h under this file's short names */
#define key exh_json_key
#define kv_str exh_json_kv_str
#define kv_time exh_json_kv_time
#define json_list exh_json_list

static void jsonl_finding(struct exh_report *r, const struct exh_finding *f)
{
    FILE *o = r->out;
    const struct exh_rule *ru = f->rule;
    fputs("{\"type\":\"finding\"", o);
    if (f->has_ts) {
        fputc(',', o);
        kv_time(o, "@timestamp", f->ts_ms);
    }
    fputc(',', o);
    kv_str(o, "message", f->message);
    /* Timesketch imports the file as it is with these two */
    const char *desc;
    int64_t when = exh_finding_datetime(f, r->created_ms, &desc);
    fputc(',', o);
    kv_time(o, "datetime", when);
    fputc(',', o);
    kv_str(o, "timestamp_desc", desc);
    fputs(",\"event\":{\"kind\":\"alert\",\"category\":[\"intrusion_detection\"", o);
    if (!f->is_file && strcmp(f->dataset, "exchange.build") != 0 && !f->has_record)
        fputs(",\"web\"", o); /* log rows are web requests; event records are not */
    if (f->is_file)
        fputs(",\"file\"", o);
    fputs("],\"type\":[\"indicator\"]", o);
    fprintf(o, ",\"severity\":%d,", (int)ru->sev + 1);
    kv_str(o, "dataset", f->dataset);
    fputc(',', o);
    kv_time(o, "created", r->created_ms);
    if (f->original) {
        fputc(',', o);
        key(o, "original");
        exh_json_str(o, f->original, f->original_n);
    }
    fputc('}', o);
    exh_json_rule(o, ru, f);
    if (f->host) {
        fputs(",\"host\":{", o);
        kv_str(o, "name", f->host);
        fputc('}', o);
    }
    if (f->source_ip) {
        fputs(",\"source\":{", o);
        kv_str(o, "ip", f->source_ip);
        fputc('}', o);
    }
    if (f->forwarded_ip) { /* the proxy path, as an ECS ip array */
        fputs(",\"network\":{\"forwarded_ip\":[", o);
        const char *p = f->forwarded_ip;
        for (bool first = true; *p; first = false) {
            size_t n = strcspn(p, ",");
            if (!first)
                fputc(',', o);
            exh_json_str(o, p, n);
            p += n + (p[n] == ',');
        }
        fputs("]}", o);
    }
    if (f->user_agent) {
        fputs(",\"user_agent\":{", o);
        kv_str(o, "original", f->user_agent);
        fputc('}', o);
    }
    if (f->url) {
        fputs(",\"url\":{", o);
        kv_str(o, "original", f->url);
        fputc('}', o);
    }
    if (f->method || f->status >= 0) {
        fputs(",\"http\":{", o);
        if (f->method) {
            fputs("\"request\":{", o);
            kv_str(o, "method", f->method);
            fputc('}', o);
        }
        if (f->status >= 0)
            fprintf(o, "%s\"response\":{\"status_code\":%d}", f->method ? "," : "", f->status);
        fputc('}', o);
    }
    if (f->has_record) {
        fputs(",\"winlog\":{", o);
        kv_str(o, "channel", f->channel ? f->channel : "");
        fputc(',', o);
        kv_str(o, "provider_name", f->provider ? f->provider : "");
        fprintf(o, ",\"record_id\":%llu,\"event_id\":%u}", (unsigned long long)f->record_id,
                f->event_code);
    }
    if (f->is_file) {
        fputs(",\"file\":{", o);
        kv_str(o, "path", f->path);
        if (f->has_file_meta) {
            fprintf(o, ",\"size\":%llu,", (unsigned long long)f->file_size);
            kv_time(o, "mtime", f->file_mtime_ms);
        }
        if (f->sha256[0]) {
            fputs(",\"hash\":{", o);
            kv_str(o, "sha256", f->sha256);
            fputc('}', o);
        }
        fputc('}', o);
    } else {
        fputs(",\"log\":{\"file\":{", o);
        kv_str(o, "path", f->path);
        fputs("}}", o);
    }
    fputs(",\"exhunt\":{", o);
    kv_str(o, "severity", exh_sev_name(ru->sev));
    if (f->actor >= 0 && r->res && (size_t)f->actor < r->res->sum.nactors) {
        const struct exh_actor *a = &r->res->sum.actors[f->actor];
        fputs(",\"actor\":{", o);
        kv_str(o, "ip", a->ip);
        if (a->has_ts) {
            fputc(',', o);
            kv_time(o, "first", a->first_ms);
            fputc(',', o);
            kv_time(o, "last", a->last_ms);
        }
        fputc(',', o);
        kv_str(o, "stage", exh_stage_name(a->stage));
        fputc('}', o);
    }
    fputc(',', o);
    kv_str(o, "stage", exh_stage_name(ru->stage));
    if (f->line)
        fprintf(o, ",\"line\":%llu", (unsigned long long)f->line);
    if (f->has_offset)
        fprintf(o, ",\"offset\":%llu", (unsigned long long)f->offset);
    if (f->evidence) {
        fputc(',', o);
        kv_str(o, "evidence", f->evidence);
    }
    if (f->original) {
        fprintf(o, ",\"truncated\":%s", f->truncated ? "true" : "false");
        if (!exh_utf8_valid(f->original, f->original_n)) {
            struct exh_buf b = {0};
            exh_base64_add(&b, f->original, f->original_n);
            fputc(',', o);
            kv_str(o, "original_base64", b.p);
            exh_buf_release(&b);
        }
    }
    exh_json_rule_advice(o, ru);
    fputs("}}\n", o);
}

static void jsonl_error(struct exh_report *r, const struct exh_error_rec *e)
{
    FILE *o = r->out;
    fputs("{\"type\":\"error\",", o);
    kv_str(o, "path", e->path);
    fputc(',', o);
    kv_str(o, "message", e->message);
    if (e->info) /* left unread, named unlike logs: not an error (ECS log.level) */
        fputs(",\"log\":{\"level\":\"info\"}", o);
    fputs(",\"exhunt\":{\"error\":{", o);
    kv_str(o, "code", exh_errname(e->code));
    fputs("}}}\n", o);
}

static void jsonl_summary(struct exh_report *r, const struct exh_result *res)
{
    FILE *o = r->out;
    const struct exh_summary *s = &res->sum;
    fprintf(o, "{\"type\":\"summary\",\"schema_version\":%d,\"exhunt\":{", EXH_SCHEMA_VERSION);
    kv_str(o, "verdict", exh_verdict_name(s->verdict));
    fputc(',', o);
    kv_str(o, "reason", s->verdict_reason);
    fprintf(o, "},\"exit_code\":%d", s->exit_code);
    if (s->host) {
        fputs(",\"host\":{", o);
        kv_str(o, "name", s->host);
        fputc('}', o);
    }
    fprintf(o, ",\"files\":{\"seen\":%llu,\"read\":%llu,\"skipped\":%llu,\"errors\":%llu",
            (unsigned long long)s->files_seen, (unsigned long long)s->files_read,
            (unsigned long long)s->files_skipped, (unsigned long long)s->files_errors);
    if (s->not_read)
        fprintf(o, ",\"not_read\":%llu", (unsigned long long)s->not_read);
    fprintf(o, "},\"bytes\":%llu,\"records\":%llu", (unsigned long long)s->bytes,
            (unsigned long long)s->records);
    fprintf(o, ",\"findings\":{\"total\":%llu", (unsigned long long)s->findings);
    for (int v = EXH_SEV__COUNT - 1; v >= 0; v--)
        fprintf(o, ",\"%s\":%llu", exh_sev_name((enum exh_sev)v), (unsigned long long)s->by_sev[v]);
    fprintf(o, ",\"filtered\":%llu}", (unsigned long long)s->filtered);
    fputs(",\"stages\":{", o);
    for (int v = 0; v < EXH_STAGE__COUNT; v++)
        fprintf(o, "%s\"%s\":%llu", v ? "," : "", exh_stage_name((enum exh_stage)v),
                (unsigned long long)s->by_stage[v]);
    fputs("},\"coverage\":[", o);
    for (size_t i = 0; i < s->ncoverage; i++) {
        const struct exh_coverage *c = &s->coverage[i];
        fputs(i ? ",{" : "{", o);
        kv_str(o, "source", c->source);
        fprintf(o, ",\"files\":%u,\"bytes\":%llu", c->files, (unsigned long long)c->bytes);
        if (c->has_time) {
            fputc(',', o);
            kv_time(o, "first", c->first_ms);
            fputc(',', o);
            kv_time(o, "last", c->last_ms);
        }
        fputc('}', o);
    }
    fputc(']', o);
    if (s->has_build) {
        char v[64];
        snprintf(v, sizeof(v), "%u.%u.%u.%u", s->build.major, s->build.minor, s->build.build,
                 s->build.rev);
        fputs(",\"build\":{", o);
        kv_str(o, "version", v);
        if (s->build_name) {
            fputc(',', o);
            kv_str(o, "name", s->build_name);
        }
        fputc(',', o);
        kv_str(o, "path", s->build_path);
        if (s->build_source) {
            fputc(',', o);
            kv_str(o, "source", s->build_source);
        }
        if (s->build_date) {
            fputc(',', o);
            kv_str(o, "date", s->build_date);
        }
        if (s->build_newest) {
            fputc(',', o);
            kv_str(o, "newest_update", s->build_newest);
        }
        fprintf(o, ",\"missing_count\":%u", s->build_nmissing);
        fputs(",\"missing\":[", o);
        json_list(o, s->build_missing);
        fputc(']', o);
        if (s->build_support) {
            fputc(',', o);
            kv_str(o, "support", s->build_support);
        }
        if (s->build_support_end) {
            fputc(',', o);
            kv_str(o, "support_end", s->build_support_end);
        }
        fprintf(o, ",\"newer_than_catalogue\":%s", s->build_newer ? "true" : "false");
        fputc(',', o);
        kv_str(o, "catalogue", exh_catalogue_date());
        if (s->has_logs_build) {
            char lv[64];
            snprintf(lv, sizeof(lv), "%u.%u.%u.%u", s->logs_build.major, s->logs_build.minor,
                     s->logs_build.build, s->logs_build.rev);
            fputc(',', o);
            kv_str(o, "logs_version", lv);
        }
        fputc('}', o);
    }
    if (s->nproxies) {
        fputs(",\"proxies\":{\"ip\":[", o);
        for (size_t i = 0; i < s->nproxies; i++) {
            if (i)
                fputc(',', o);
            exh_json_cstr(o, s->proxies[i]);
        }
        fprintf(o, "],\"requests\":%llu,\"of\":%llu}", (unsigned long long)s->proxy_requests,
                (unsigned long long)s->requests_seen);
    }
    fputs(",\"actors\":[", o);
    for (size_t i = 0; i < s->nactors; i++) {
        const struct exh_actor *a = &s->actors[i];
        fputs(i ? ",{" : "{", o);
        kv_str(o, "ip", a->ip);
        fprintf(o, ",\"internal\":%s", a->internal ? "true" : "false");
        if (a->proxy)
            fputs(",\"proxy\":true", o);
        if (a->has_ts) {
            fputc(',', o);
            kv_time(o, "first", a->first_ms);
            fputc(',', o);
            kv_time(o, "last", a->last_ms);
        }
        fprintf(o, ",\"findings\":%llu,", (unsigned long long)a->findings);
        kv_str(o, "stage", exh_stage_name(a->stage));
        fputc(',', o);
        kv_str(o, "severity", exh_sev_name(a->sev));
        fputs(",\"rules\":[", o);
        json_list(o, a->rules);
        fputs("]}", o);
    }
    fputc(']', o);
    fputs(",\"scanners\":[", o);
    for (size_t i = 0; i < s->nscanners; i++) {
        const struct exh_scanner *sc = &s->scanners[i];
        fputs(i ? ",{" : "{", o);
        kv_str(o, "name", sc->name);
        fprintf(o, ",\"probes\":%llu", (unsigned long long)sc->probes);
        if (sc->has_ts) {
            fputc(',', o);
            kv_time(o, "first", sc->first_ms);
            fputc(',', o);
            kv_time(o, "last", sc->last_ms);
        }
        fputc('}', o);
    }
    fputc(']', o);
    if (s->nfeeds) {
        /* the indicator lists checked, and what of them matched */
        fputs(",\"indicators\":[", o);
        for (size_t i = 0; i < s->nfeeds; i++) {
            const struct exh_ioc_feed_sum *f = &s->feeds[i];
            fputs(i ? ",{" : "{", o);
            kv_str(o, "feed", f->name);
            fputc(',', o);
            kv_str(o, "format", f->builtin ? "built-in" : f->format);
            for (int pass = 0; pass < 2; pass++) {
                const uint64_t *c = pass ? f->matched : f->loaded;
                fprintf(o, ",\"%s\":{", pass ? "matched" : "loaded");
                bool first = true;
                for (int t = 0; t < EXH_IOC__COUNT; t++) {
                    if (!f->loaded[t])
                        continue;
                    fprintf(o, "%s\"%s\":%llu", first ? "" : ",",
                            exh_ioc_type_name((enum exh_ioc_type)t), (unsigned long long)c[t]);
                    first = false;
                }
                fputc('}', o);
            }
            fprintf(o, ",\"not_used\":%llu,\"not_understood\":%llu}", (unsigned long long)f->unused,
                    (unsigned long long)f->bad);
        }
        fputc(']', o);
    }
    fputs(",\"exchange_roots\":[", o);
    for (size_t i = 0; i < s->nexchange_roots; i++) {
        if (i)
            fputc(',', o);
        exh_json_cstr(o, s->exchange_roots[i]);
    }
    fputs("],", o);
    kv_time(o, "started", s->started_ms);
    fprintf(o, ",\"elapsed_ms\":%lld}\n", (long long)s->elapsed_ms);
}

const struct exh_reporter_ops exh_report_jsonl = {"jsonl",     NULL,          jsonl_finding,
                                                  jsonl_error, jsonl_summary, NULL};
