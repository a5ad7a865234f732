/* report_probe.c: `exhunt probe` results in the three formats. JSON Lines
 * keep the scan's contract (type, ECS names, exhunt.* for the rest): per
 * target a "target" record, its "finding" and "error" records, then one
 * "summary"; CSV is one table with a type column; text is for people.
 * Everything a server sent is escaped (see util.h). Key order is fixed. */
#include <stdio.h>
#include <string.h>

#include "exh/probe.h"
#include "exh/report.h"
#include "exh/timeutil.h"
#include "util.h"
#include "exh/banned.h"

static void build_text(const struct exh_probe_target *t, char out[64])
{
    out[0] = '\0';
    if (!t->has_build)
        return;
    if (t->build_parts == 4)
        snprintf(out, 64, "%u.%u.%u.%u", t->build.major, t->build.minor, t->build.build,
                 t->build.rev);
    else
        snprintf(out, 64, "%u.%u.%u", t->build.major, t->build.minor, t->build.build);
}

static const char *support_name(enum exh_support s)
{
    return s == EXH_SUPPORT_CURRENT ? "current" : s == EXH_SUPPORT_ESU ? "extended" : "ended";
}

/* url.* of a request URL on target t */
static void json_url(FILE *o, const struct exh_probe_target *t, const char *full)
{
    fputs("\"url\":{", o);
    exh_json_kv_str(o, "full", full);
    if (t->host[0]) {
        fputc(',', o);
        exh_json_kv_str(o, "scheme", t->scheme);
        fputc(',', o);
        exh_json_kv_str(o, "domain", t->host);
        fprintf(o, ",\"port\":%d", t->port);
    }
    fputc('}', o);
}

static void json_host(FILE *o, const struct exh_probe_target *t)
{
    fputs(",\"host\":{", o);
    exh_json_kv_str(o, "name", t->host[0] ? t->host : t->input);
    if (t->ip[0]) {
        fputs(",\"ip\":[", o);
        exh_json_cstr(o, t->ip);
        fputc(']', o);
    }
    fputc('}', o);
}

static void json_tls(FILE *o, const struct exh_http_tls *s)
{
    if (!s->used)
        return;
    fputs(",\"tls\":{\"established\":true", o);
    if (s->version[0]) {
        fputc(',', o);
        exh_json_kv_str(o, "version", s->version);
        fputs(",\"version_protocol\":\"tls\"", o);
    }
    if (s->cipher[0]) {
        fputc(',', o);
        exh_json_kv_str(o, "cipher", s->cipher);
    }
    fputs(",\"server\":{", o);
    if (s->has_cert) {
        exh_json_kv_str(o, "subject", s->subject);
        fputc(',', o);
        exh_json_kv_str(o, "issuer", s->issuer);
        if (s->has_not_after) {
            fputc(',', o);
            exh_json_kv_time(o, "not_after", s->not_after_ms);
        }
        fputs(",\"hash\":{", o);
        exh_json_kv_str(o, "sha256", s->sha256);
        fputs("},", o);
    }
    fprintf(o, "\"verified\":%s", s->verified ? "true" : "false");
    if (!s->verified) {
        fputc(',', o);
        exh_json_kv_str(o, "verify_error", s->verify_error);
    }
    fputs("}}", o);
}

static void jsonl_target(FILE *o, const struct exh_probe_target *t, int64_t created)
{
    fputs("{\"type\":\"target\",", o);
    json_url(o, t, t->url);
    json_host(o, t);
    json_tls(o, &t->tls);
    if (t->status)
        fprintf(o, ",\"http\":{\"response\":{\"status_code\":%d}}", t->status);
    fputs(",\"event\":{\"kind\":\"event\",\"category\":[\"network\"],", o);
    exh_json_kv_str(o, "dataset", "exchange.probe");
    fputc(',', o);
    exh_json_kv_time(o, "created", created);
    fputs("},\"exhunt\":{", o);
    exh_json_kv_str(o, "target", t->input);
    fputc(',', o);
    exh_json_kv_str(o, "verdict", exh_verdict_name(t->verdict));
    fputc(',', o);
    exh_json_kv_str(o, "reason", t->reason);
    fprintf(o, ",\"exchange\":%s", t->exchange ? "true" : "false");
    if (t->has_build) {
        char v[64];
        build_text(t, v);
        fputs(",\"build\":{", o);
        exh_json_kv_str(o, "version", v);
        fprintf(o, ",\"parts\":%d,", t->build_parts);
        exh_json_kv_str(o, "source", t->build_source);
        if (t->judged) {
            fputc(',', o);
            exh_json_kv_str(o, "name", t->build_name);
            fputc(',', o);
            exh_json_kv_str(o, "date", t->build_date);
            fputc(',', o);
            exh_json_kv_str(o, "newest_update", t->newest_update);
            fprintf(o, ",\"newer\":%s", t->newer ? "true" : "false");
            if (t->build_parts == 4) {
                fprintf(o, ",\"missing_count\":%u,\"missing\":[", t->nmissing);
                exh_json_list(o, t->missing);
                fputc(']', o);
            }
            fputc(',', o);
            exh_json_kv_str(o, "support", support_name(t->support));
            fputc(',', o);
            exh_json_kv_str(o, "support_end", t->support_end);
        }
        fputc('}', o);
    }
    fputs(",\"checks\":{", o);
    exh_json_kv_str(o, "proxylogon", exh_probe_check_name(t->proxylogon));
    fputc(',', o);
    exh_json_kv_str(o, "proxyshell", exh_probe_check_name(t->proxyshell));
    fprintf(o, "},\"findings\":%zu,\"errors\":%zu,\"elapsed_ms\":%lld}}\n", t->nfindings,
            t->nerrors, (long long)t->elapsed_ms);
}

static void jsonl_finding(FILE *o, const struct exh_probe_target *t,
                          const struct exh_probe_finding *f, int64_t created)
{
    const struct exh_rule *ru = f->rule;
    fputs("{\"type\":\"finding\",", o);
    exh_json_kv_str(o, "message", f->message);
    fputs(",\"event\":{\"kind\":\"alert\",\"category\":[\"vulnerability\",\"network\"],"
          "\"type\":[\"info\"]",
          o);
    fprintf(o, ",\"severity\":%d,", (int)ru->sev + 1);
    exh_json_kv_str(o, "dataset", "exchange.probe");
    fputc(',', o);
    exh_json_kv_time(o, "created", created);
    fputc('}', o);
    exh_json_rule(o, ru, NULL);
    json_host(o, t);
    fputc(',', o);
    json_url(o, t, f->url);
    if (f->status >= 0)
        fprintf(o, ",\"http\":{\"response\":{\"status_code\":%d}}", f->status);
    fputs(",\"exhunt\":{", o);
    exh_json_kv_str(o, "target", t->input);
    fputc(',', o);
    exh_json_kv_str(o, "severity", exh_sev_name(ru->sev));
    fputc(',', o);
    exh_json_kv_str(o, "stage", exh_stage_name(ru->stage));
    if (f->evidence) {
        fputc(',', o);
        exh_json_kv_str(o, "evidence", f->evidence);
    }
    exh_json_rule_advice(o, ru);
    fputs("}}\n", o);
}

static void jsonl_error(FILE *o, const struct exh_probe_target *t, const struct exh_probe_error *e)
{
    fputs("{\"type\":\"error\",", o);
    exh_json_kv_str(o, "message", e->message);
    json_host(o, t);
    fputc(',', o);
    json_url(o, t, e->url ? e->url : t->url);
    fputs(",\"exhunt\":{", o);
    exh_json_kv_str(o, "target", t->input);
    fputs(",\"error\":{", o);
    exh_json_kv_str(o, "code", e->code);
    fputs("}}}\n", o);
}

static void jsonl_summary(FILE *o, const struct exh_probe_result *res)
{
    fprintf(o, "{\"type\":\"summary\",\"schema_version\":%d,\"exhunt\":{", EXH_SCHEMA_VERSION);
    exh_json_kv_str(o, "command", "probe");
    fputc(',', o);
    exh_json_kv_str(o, "verdict", exh_verdict_name(res->verdict));
    fprintf(o, "},\"exit_code\":%d", res->exit_code);
    fprintf(o, ",\"targets\":{\"total\":%zu,\"exposed\":%zu,\"clean\":%zu,\"incomplete\":%zu}",
            res->ntargets, res->exposed, res->clean, res->incomplete);
    fprintf(o, ",\"findings\":{\"total\":%llu", (unsigned long long)res->findings);
    for (int v = EXH_SEV__COUNT - 1; v >= 0; v--)
        fprintf(o, ",\"%s\":%llu", exh_sev_name((enum exh_sev)v),
                (unsigned long long)res->by_sev[v]);
    fputs("},", o);
    exh_json_kv_str(o, "catalogue_date", exh_catalogue_date());
    fputc(',', o);
    exh_json_kv_time(o, "started", res->started_ms);
    fprintf(o, ",\"elapsed_ms\":%lld}\n", (long long)res->elapsed_ms);
}

static void cell(FILE *o, const char *s, bool last)
{
    if (s)
        exh_csv_cell(o, s, strlen(s));
    fputs(last ? "\r\n" : ",", o);
}

static void csv_row(FILE *o, const char *type, const struct exh_probe_target *t, const char *sev,
                    const struct exh_rule *ru, int status, const char *msg, const char *evidence,
                    const char *code)
{
    char build[64], num[16];
    build_text(t, build);
    cell(o, type, false);
    cell(o, t->input, false);
    cell(o, t->url, false);
    cell(o, t->ip, false);
    cell(o, exh_verdict_name(t->verdict), false);
    cell(o, build, false);
    cell(o, t->judged ? t->build_name : NULL, false);
    cell(o, t->has_build ? t->build_source : NULL, false);
    cell(o, t->tls.used ? (t->tls.verified ? "true" : "false") : NULL, false);
    cell(o, sev, false);
    cell(o, ru ? ru->id : NULL, false);
    cell(o, ru ? ru->name : NULL, false);
    cell(o, ru ? ru->cves : NULL, false);
    snprintf(num, sizeof(num), "%d", status);
    cell(o, status > 0 ? num : NULL, false);
    cell(o, msg, false);
    cell(o, evidence, false);
    cell(o, code, true);
}

static void text_target(FILE *o, const struct exh_probe_target *t, bool color)
{
    static const char *const vc[] = {"\033[32m", "\033[33m", "\033[1;31m"};
    int ci = t->verdict == EXH_VERDICT_CLEAN ? 0 : t->verdict == EXH_VERDICT_EXPOSED ? 2 : 1;
    exh_text_escaped(o, t->url, strlen(t->url), 300);
    if (t->ip[0])
        fprintf(o, " (%s)", t->ip);
    fprintf(o, "  %s%s%s\n", color ? vc[ci] : "", exh_verdict_name(t->verdict),
            color ? "\033[0m" : "");
    if (t->has_build) {
        char v[64];
        build_text(t, v);
        fprintf(o, "    build  %s from the %s", v, t->build_source);
        if (t->judged) {
            fprintf(o, ": %s", t->build_name);
            if (t->build_date[0])
                fprintf(o, " (%s)", t->build_date);
            if (t->build_parts == 4)
                fprintf(o, "; %u security update%s missing", t->nmissing,
                        t->nmissing == 1 ? "" : "s");
        }
        fputc('\n', o);
    }
    if (t->tls.used) {
        fprintf(o, "    tls    TLS%s%s, ", t->tls.version[0] ? " " : "", t->tls.version);
        exh_text_escaped(o, t->tls.subject, strlen(t->tls.subject), 200);
        if (t->tls.has_not_after) {
            char d[32];
            exh_time_format(t->tls.not_after_ms, d);
            fprintf(o, ", until %.10s", d);
        }
        fputs(t->tls.verified ? ", verified\n" : ", not verified: ", o);
        if (!t->tls.verified) {
            exh_text_escaped(o, t->tls.verify_error, strlen(t->tls.verify_error), 200);
            fputc('\n', o);
        }
    }
    if (t->proxylogon != EXH_CHECK_NOT_RUN || t->proxyshell != EXH_CHECK_NOT_RUN)
        fprintf(o, "    checks proxylogon %s, proxyshell %s\n", exh_probe_check_name(t->proxylogon),
                exh_probe_check_name(t->proxyshell));
    for (size_t i = 0; i < t->nfindings; i++) {
        const struct exh_probe_finding *f = &t->findings[i];
        fprintf(o, "    %-8s %s %s\n", exh_sev_name(f->rule->sev), f->rule->id, f->rule->name);
        fputs("             ", o);
        exh_text_escaped(o, f->message, strlen(f->message), 600);
        fputc('\n', o);
    }
    for (size_t i = 0; i < t->nerrors; i++) {
        fprintf(o, "    error  %s: ", t->errors[i].code);
        exh_text_escaped(o, t->errors[i].message, strlen(t->errors[i].message), 600);
        fputc('\n', o);
    }
    fprintf(o, "    why    %s\n", t->reason);
}

void exh_report_probe(const struct exh_report *r, const struct exh_probe_result *res)
{
    FILE *o = r->out;
    const char *fmt = r->ops->name;
    if (!strcmp(fmt, "jsonl")) {
        for (size_t i = 0; i < res->ntargets; i++) {
            const struct exh_probe_target *t = &res->targets[i];
            jsonl_target(o, t, r->created_ms);
            for (size_t j = 0; j < t->nfindings; j++)
                jsonl_finding(o, t, &t->findings[j], r->created_ms);
            for (size_t j = 0; j < t->nerrors; j++)
                jsonl_error(o, t, &t->errors[j]);
        }
        jsonl_summary(o, res);
        return;
    }
    if (!strcmp(fmt, "csv")) {
        fputs("type,target,url,ip,verdict,build,build_name,build_source,tls_verified,severity,"
              "rule_id,rule_name,cve,status,message,evidence,error_code\r\n",
              o);
        for (size_t i = 0; i < res->ntargets; i++) {
            const struct exh_probe_target *t = &res->targets[i];
            csv_row(o, "target", t, NULL, NULL, t->status, t->reason, NULL, NULL);
            for (size_t j = 0; j < t->nfindings; j++) {
                const struct exh_probe_finding *f = &t->findings[j];
                csv_row(o, "finding", t, exh_sev_name(f->rule->sev), f->rule, f->status, f->message,
                        f->evidence, NULL);
            }
            for (size_t j = 0; j < t->nerrors; j++)
                csv_row(o, "error", t, NULL, NULL, 0, t->errors[j].message, NULL,
                        t->errors[j].code);
        }
        if (!r->quiet)
            fprintf(r->err,
                    "exhunt: %zu targets: %zu exposed, %zu clean, %zu incomplete; "
                    "verdict %s (exit %d)\n",
                    res->ntargets, res->exposed, res->clean, res->incomplete,
                    exh_verdict_name(res->verdict), res->exit_code);
        return;
    }
    for (size_t i = 0; i < res->ntargets; i++) {
        const struct exh_probe_target *t = &res->targets[i];
        if (r->quiet && t->verdict == EXH_VERDICT_CLEAN)
            continue;
        text_target(o, t, r->color);
    }
    if (r->quiet)
        return;
    fputs("\n== exhunt probe summary ==\n", o);
    fprintf(o, "targets   %zu: %zu exposed, %zu clean, %zu incomplete\n", res->ntargets,
            res->exposed, res->clean, res->incomplete);
    fprintf(o, "findings  %llu (critical %llu, high %llu, medium %llu, low %llu, info %llu)\n",
            (unsigned long long)res->findings, (unsigned long long)res->by_sev[EXH_SEV_CRITICAL],
            (unsigned long long)res->by_sev[EXH_SEV_HIGH],
            (unsigned long long)res->by_sev[EXH_SEV_MEDIUM],
            (unsigned long long)res->by_sev[EXH_SEV_LOW],
            (unsigned long long)res->by_sev[EXH_SEV_INFO]);
    fprintf(o, "catalogue builds up to %s\n", exh_catalogue_date());
    fprintf(o, "verdict   %s\n", exh_verdict_name(res->verdict));
}
