/* report_fleet.c: `exhunt merge`'s fleet report as text, JSON Lines (docs/merge.md),
 * CSV (one row per host) and a self-contained HTML page. Host names, addresses,
 * paths and reasons come from result files an attacker may have shaped: every
 * format escapes them as the scan's reporters do (docs/output.md, "Attacker text"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/merge.h"
#include "exh/timeutil.h"
#include "util.h"
#include "exh/banned.h"

static const enum exh_verdict worst_first[] = {EXH_VERDICT_COMPROMISED, EXH_VERDICT_TARGETED,
                                               EXH_VERDICT_EXPOSED, EXH_VERDICT_INCOMPLETE,
                                               EXH_VERDICT_CLEAN};

static const char *stage_or(int s, const char *none)
{
    return s >= 0 ? exh_stage_name((enum exh_stage)s) : none;
}

static const char *fmt_time(bool has, int64_t ms, char t[32])
{
    if (!has)
        return NULL;
    exh_time_format(ms, t);
    return t;
}

/* The worst verdict of the hosts, and of the older scans left out (a newer
 * scan never hides an older compromise). */
static enum exh_verdict fleet_verdict(const struct exh_fleet *f)
{
    int v = -1;
    for (size_t i = 0; i < sizeof(worst_first) / sizeof(worst_first[0]) && v < 0; i++)
        if (f->by_verdict[worst_first[i]])
            v = (int)worst_first[i];
    for (size_t i = 0; i < f->nhosts; i++)
        if (f->hosts[i].older_worse > v)
            v = f->hosts[i].older_worse;
    return v < 0 ? EXH_VERDICT_INCOMPLETE : (enum exh_verdict)v;
}

/* ---- text ---- */

static void tx(FILE *o, const char *s)
{
    if (s)
        exh_text_escaped(o, s, strlen(s), 1024);
    else
        fputs("(unknown)", o);
}

static void text_counts(FILE *o, const struct exh_fleet_host *h)
{
    fprintf(o, "    found    %llu findings:", (unsigned long long)h->findings);
    for (int s = EXH_SEV__COUNT - 1; s >= 0; s--)
        fprintf(o, " %s %llu%s", exh_sev_name((enum exh_sev)s), (unsigned long long)h->by_sev[s],
                s ? "," : ";");
    fprintf(o, " %llu scan errors\n", (unsigned long long)h->errors);
}

static void text_host(FILE *o, const struct exh_fleet *f, const struct exh_fleet_host *h)
{
    char a[32], b[32];
    fprintf(o, "%-11s  ", exh_verdict_name(h->verdict));
    tx(o, h->name);
    fprintf(o, "  reached %s\n", stage_or(h->stage, "no stage"));
    fputs("    why      ", o);
    tx(o, h->reason);
    fputc('\n', o);
    if (h->has_cov)
        fprintf(o, "    logs     %s .. %s (%zu log families)", fmt_time(true, h->cov_first_ms, a),
                fmt_time(true, h->cov_last_ms, b), h->ncov);
    else
        fputs("    logs     no log times", o);
    fputs(h->not_covering ? "; do not reach back to --since\n" : "\n", o);
    if (h->build || h->build_name) {
        fputs("    build    ", o);
        tx(o, h->build);
        if (h->build_name) {
            fputs(" ", o);
            tx(o, h->build_name);
        }
        if (h->build_support) {
            fputs(", support ", o);
            tx(o, h->build_support);
        }
        if (h->build_missing >= 0)
            fprintf(o, ", %lld updates missing", h->build_missing);
        fputc('\n', o);
    }
    if (h->nexposure) {
        fputs("    exposure ", o);
        for (size_t i = 0; i < h->nexposure; i++) {
            fputs(i ? ", " : "", o);
            tx(o, h->exposure[i]);
        }
        fputc('\n', o);
    }
    if (h->older_worse >= 0)
        fprintf(o, "    earlier  an older scan of this host, left out, was %s (see below)\n",
                exh_verdict_name((enum exh_verdict)h->older_worse));
    text_counts(o, h);
    fputs("    result   ", o);
    tx(o, h->file);
    fprintf(o, ":%llu", (unsigned long long)h->line);
    if (h->has_time)
        fprintf(o, " (scanned %s)", fmt_time(true, h->time_ms, a));
    fputc('\n', o);
    (void)f;
}

static void text_report(FILE *o, const struct exh_fleet *f)
{
    char a[32], b[32];
    fprintf(o, "== exhunt fleet: %zu hosts from %llu files ==\nverdicts", f->nhosts,
            (unsigned long long)f->files);
    for (size_t i = 0; i < 5; i++)
        fprintf(o, "%s %s %llu", i ? "," : "", exh_verdict_name(worst_first[i]),
                (unsigned long long)f->by_verdict[worst_first[i]]);
    fputs("\n\n", o);
    for (size_t i = 0; i < f->nhosts; i++)
        text_host(o, f, &f->hosts[i]);
    fprintf(o, "\n== actors seen on more than one host (%zu) ==\n", f->nactors);
    for (size_t i = 0; i < f->nactors; i++) {
        const struct exh_fleet_actor *ac = &f->actors[i];
        tx(o, ac->ip);
        if (ac->has_time)
            fprintf(o, "  %s .. %s", fmt_time(true, ac->first_ms, a),
                    fmt_time(true, ac->last_ms, b));
        fprintf(o, "  %zu hosts, reached %s%s\n", ac->nhosts, stage_or(ac->stage, "no stage"),
                ac->internal ? " (internal address)" : "");
        for (size_t k = 0; k < ac->nhosts; k++) {
            const struct exh_fleet_actor_host *ah = &ac->hosts[k];
            fputs("    ", o);
            tx(o, f->hosts[ah->host].name);
            if (ah->has_time)
                fprintf(o, "  %s .. %s", fmt_time(true, ah->first_ms, a),
                        fmt_time(true, ah->last_ms, b));
            fprintf(o, "  %s\n", stage_or(ah->stage, "no stage"));
        }
    }
    if (f->has_since) {
        fprintf(o, "\n== hosts whose logs do not reach back to %s (%zu) ==\n",
                fmt_time(true, f->since_ms, a), f->not_covering);
        for (size_t i = 0; i < f->nhosts; i++) {
            const struct exh_fleet_host *h = &f->hosts[i];
            if (!h->not_covering)
                continue;
            tx(o, h->name);
            fprintf(o, "  %s  ", exh_verdict_name(h->verdict));
            if (h->has_cov)
                fprintf(o, "logs from %s: nothing is known before then\n",
                        fmt_time(true, h->cov_first_ms, a));
            else
                fputs("no log times: nothing is known about the window\n", o);
        }
    }
    if (f->ndropped) {
        fprintf(o, "\n== older scans of the same host, left out (%zu) ==\n", f->ndropped);
        for (size_t i = 0; i < f->ndropped; i++) {
            const struct exh_fleet_dropped *d = &f->dropped[i];
            const struct exh_fleet_host *k = &f->hosts[d->kept];
            tx(o, d->name);
            fputs("  ", o);
            tx(o, d->file);
            fprintf(o, ":%llu scanned %s, %s; kept ", (unsigned long long)d->line,
                    d->has_time ? fmt_time(true, d->time_ms, a) : "(unknown)",
                    exh_verdict_name(d->verdict));
            tx(o, k->file);
            fprintf(o, ":%llu scanned %s\n", (unsigned long long)k->line,
                    k->has_time ? fmt_time(true, k->time_ms, b) : "(unknown)");
        }
    }
    if (f->nerrors) {
        fprintf(o, "\n== input problems (%zu) ==\n", f->nerrors);
        for (size_t i = 0; i < f->nerrors; i++) {
            const struct exh_fleet_error *e = &f->errors[i];
            tx(o, e->file);
            if (e->line)
                fprintf(o, ":%llu", (unsigned long long)e->line);
            fprintf(o, ": %s: ", e->code);
            tx(o, e->message);
            fputc('\n', o);
        }
    }
    fprintf(o, "\nfleet verdict: %s (exit %d)\n", exh_verdict_name(fleet_verdict(f)), f->exit_code);
}

/* ---- JSON Lines ---- */

static void j_str(FILE *o, const char *k, const char *v, bool comma)
{
    if (comma)
        fputc(',', o);
    exh_json_key(o, k);
    if (v)
        exh_json_cstr(o, v);
    else
        fputs("null", o);
}

static void j_time(FILE *o, const char *k, bool has, int64_t ms)
{
    char t[32];
    j_str(o, k, fmt_time(has, ms, t), true);
}

static void j_head(FILE *o, const char *type)
{
    fprintf(o, "{\"type\":\"%s\",\"schema_version\":%d", type, EXH_MERGE_SCHEMA_VERSION);
}

static void jsonl_host(FILE *o, const struct exh_fleet *f, const struct exh_fleet_host *h)
{
    char t[32];
    j_head(o, "host");
    fputs(",\"host\":{", o);
    j_str(o, "name", h->name, false);
    fputs("},\"event\":{", o);
    j_str(o, "start", fmt_time(h->has_cov, h->cov_first_ms, t), false);
    j_time(o, "end", h->has_cov, h->cov_last_ms);
    fputs("},\"log\":{\"file\":{", o);
    j_str(o, "path", h->file, false);
    fprintf(o, "}},\"exhunt\":{\"verdict\":\"%s\"", exh_verdict_name(h->verdict));
    if (h->older_worse >= 0)
        fprintf(o, ",\"older_scan_verdict\":\"%s\"",
                exh_verdict_name((enum exh_verdict)h->older_worse));
    j_str(o, "reason", h->reason, true);
    fputs(",\"stage\":", o);
    if (h->stage >= 0)
        fprintf(o, "\"%s\"", stage_or(h->stage, ""));
    else
        fputs("null", o);
    fprintf(o, ",\"summary\":%s,\"line\":%llu", h->has_summary ? "true" : "false",
            (unsigned long long)h->line);
    j_time(o, "scan_time", h->has_time, h->time_ms);
    fprintf(o, ",\"findings\":{\"total\":%llu", (unsigned long long)h->findings);
    for (int s = EXH_SEV__COUNT - 1; s >= 0; s--)
        fprintf(o, ",\"%s\":%llu", exh_sev_name((enum exh_sev)s), (unsigned long long)h->by_sev[s]);
    fputs("},\"stages\":{", o);
    for (int s = 0; s < EXH_STAGE__COUNT; s++)
        fprintf(o, "%s\"%s\":%llu", s ? "," : "", exh_stage_name((enum exh_stage)s),
                (unsigned long long)h->by_stage[s]);
    fprintf(o, "},\"errors\":%llu,\"coverage\":[", (unsigned long long)h->errors);
    for (size_t i = 0; i < h->ncov; i++) {
        fputs(i ? ",{" : "{", o);
        j_str(o, "source", h->cov[i].source, false);
        j_time(o, "first", h->cov[i].has_time, h->cov[i].first_ms);
        j_time(o, "last", h->cov[i].has_time, h->cov[i].last_ms);
        fputc('}', o);
    }
    fputs("],\"build\":{", o);
    j_str(o, "version", h->build, false);
    j_str(o, "name", h->build_name, true);
    j_str(o, "support", h->build_support, true);
    if (h->build_missing >= 0)
        fprintf(o, ",\"missing_count\":%lld", h->build_missing);
    else
        fputs(",\"missing_count\":null", o);
    fputs("},\"exposure\":[", o);
    for (size_t i = 0; i < h->nexposure; i++) {
        fputs(i ? "," : "", o);
        exh_json_cstr(o, h->exposure[i]);
    }
    fprintf(o, "],\"actors\":%zu", h->nactors);
    if (f->has_since)
        fprintf(o, ",\"covers_since\":%s", h->not_covering ? "false" : "true");
    fputs("}}\n", o);
}

static void jsonl_report(FILE *o, const struct exh_fleet *f, int64_t created)
{
    char t[32];
    for (size_t i = 0; i < f->nhosts; i++)
        jsonl_host(o, f, &f->hosts[i]);
    for (size_t i = 0; i < f->nactors; i++) {
        const struct exh_fleet_actor *a = &f->actors[i];
        j_head(o, "actor");
        fputs(",\"source\":{", o);
        j_str(o, "ip", a->ip, false);
        fputs("},\"event\":{", o);
        j_str(o, "start", fmt_time(a->has_time, a->first_ms, t), false);
        j_time(o, "end", a->has_time, a->last_ms);
        fprintf(o, "},\"exhunt\":{\"internal\":%s", a->internal ? "true" : "false");
        j_str(o, "stage", a->stage >= 0 ? stage_or(a->stage, "") : NULL, true);
        fputs(",\"hosts\":[", o);
        for (size_t k = 0; k < a->nhosts; k++) {
            const struct exh_fleet_actor_host *ah = &a->hosts[k];
            fputs(k ? ",{" : "{", o);
            j_str(o, "name", f->hosts[ah->host].name, false);
            j_time(o, "first", ah->has_time, ah->first_ms);
            j_time(o, "last", ah->has_time, ah->last_ms);
            j_str(o, "stage", ah->stage >= 0 ? stage_or(ah->stage, "") : NULL, true);
            fputc('}', o);
        }
        fputs("]}}\n", o);
    }
    for (size_t i = 0; i < f->ndropped; i++) {
        const struct exh_fleet_dropped *d = &f->dropped[i];
        const struct exh_fleet_host *k = &f->hosts[d->kept];
        j_head(o, "dropped");
        fputs(",\"host\":{", o);
        j_str(o, "name", d->name, false);
        fputs("},\"log\":{\"file\":{", o);
        j_str(o, "path", d->file, false);
        fprintf(o, "}},\"exhunt\":{\"verdict\":\"%s\",\"line\":%llu", exh_verdict_name(d->verdict),
                (unsigned long long)d->line);
        j_time(o, "scan_time", d->has_time, d->time_ms);
        fputs(",\"kept\":{", o);
        j_str(o, "path", k->file, false);
        fprintf(o, ",\"line\":%llu", (unsigned long long)k->line);
        j_time(o, "scan_time", k->has_time, k->time_ms);
        fputs("}}}\n", o);
    }
    for (size_t i = 0; i < f->nerrors; i++) {
        const struct exh_fleet_error *e = &f->errors[i];
        j_head(o, "error");
        j_str(o, "path", e->file, true);
        fprintf(o, ",\"line\":%llu", (unsigned long long)e->line);
        j_str(o, "message", e->message, true);
        fprintf(o, ",\"exhunt\":{\"error\":{\"code\":\"%s\"}}}\n", e->code);
    }
    j_head(o, "summary");
    fputs(",\"event\":{", o);
    j_str(o, "created", fmt_time(true, created, t), false);
    fprintf(o, "},\"exhunt\":{\"verdict\":\"%s\",\"verdicts\":{",
            exh_verdict_name(fleet_verdict(f)));
    for (size_t i = 0; i < 5; i++)
        fprintf(o, "%s\"%s\":%llu", i ? "," : "", exh_verdict_name(worst_first[i]),
                (unsigned long long)f->by_verdict[worst_first[i]]);
    fprintf(o, "},\"hosts\":%zu,\"actors\":%zu,\"dropped\":%zu,\"errors\":%zu", f->nhosts,
            f->nactors, f->ndropped, f->nerrors);
    if (f->has_since) {
        j_time(o, "since", true, f->since_ms);
        fprintf(o, ",\"not_covering\":%zu", f->not_covering);
    }
    fprintf(o, "},\"files\":%llu,\"lines\":%llu,\"bytes\":%llu,\"exit_code\":%d}\n",
            (unsigned long long)f->files, (unsigned long long)f->lines,
            (unsigned long long)f->bytes, f->exit_code);
}

/* ---- CSV: one row per host ---- */

static void cell(FILE *o, const char *s, bool last)
{
    if (s)
        exh_csv_cell(o, s, strlen(s));
    fputs(last ? "\r\n" : ",", o);
}

static void cell_num(FILE *o, unsigned long long v)
{
    fprintf(o, "%llu,", v);
}

static void csv_report(FILE *o, FILE *err, const struct exh_fleet *f)
{
    char a[32], b[32];
    fputs("host,verdict,stage,first,last,covers_since,build,build_name,build_support,"
          "missing_updates,exposure,findings,critical,high,medium,low,info,errors,shared_actors,"
          "scan_time,result_path,result_line,reason,older_scan_verdict\r\n",
          o);
    struct exh_buf lst = {0};
    /* each host's shared actors, in one pass over the actors */
    struct exh_buf *shared = exh_xcalloc(f->nhosts ? f->nhosts : 1, sizeof(*shared));
    for (size_t k = 0; k < f->nactors; k++)
        for (size_t j = 0; j < f->actors[k].nhosts; j++) {
            struct exh_buf *sb = &shared[f->actors[k].hosts[j].host];
            exh_buf_addf(sb, "%s%s", sb->n ? " " : "", f->actors[k].ip);
        }
    for (size_t i = 0; i < f->nhosts; i++) {
        const struct exh_fleet_host *h = &f->hosts[i];
        cell(o, h->name, false);
        cell(o, exh_verdict_name(h->verdict), false);
        cell(o, h->stage >= 0 ? stage_or(h->stage, "") : NULL, false);
        cell(o, fmt_time(h->has_cov, h->cov_first_ms, a), false);
        cell(o, fmt_time(h->has_cov, h->cov_last_ms, b), false);
        cell(o, f->has_since ? (h->not_covering ? "no" : "yes") : NULL, false);
        cell(o, h->build, false);
        cell(o, h->build_name, false);
        cell(o, h->build_support, false);
        if (h->build_missing >= 0)
            cell_num(o, (unsigned long long)h->build_missing);
        else
            cell(o, NULL, false);
        lst.n = 0;
        for (size_t k = 0; k < h->nexposure; k++)
            exh_buf_addf(&lst, "%s%s", k ? " " : "", h->exposure[k]);
        cell(o, lst.n ? lst.p : NULL, false);
        cell_num(o, (unsigned long long)h->findings);
        for (int s = EXH_SEV__COUNT - 1; s >= 0; s--)
            cell_num(o, (unsigned long long)h->by_sev[s]);
        cell_num(o, (unsigned long long)h->errors);
        cell(o, shared[i].n ? shared[i].p : NULL, false);
        exh_buf_release(&shared[i]);
        cell(o, fmt_time(h->has_time, h->time_ms, a), false);
        cell(o, h->file, false);
        cell_num(o, (unsigned long long)h->line);
        cell(o, h->reason, false);
        cell(o, h->older_worse >= 0 ? exh_verdict_name((enum exh_verdict)h->older_worse) : NULL,
             true);
    }
    exh_buf_release(&lst);
    free(shared);
    for (size_t i = 0; i < f->nerrors; i++) {
        const struct exh_fleet_error *e = &f->errors[i];
        fputs("exhunt: ", err);
        tx(err, e->file);
        if (e->line)
            fprintf(err, ":%llu", (unsigned long long)e->line);
        fprintf(err, ": %s: ", e->code);
        tx(err, e->message);
        fputc('\n', err);
    }
    fprintf(err,
            "exhunt: %zu hosts, %zu actors on more than one host, %zu older scans left out; "
            "fleet verdict %s (exit %d)\n",
            f->nhosts, f->nactors, f->ndropped, exh_verdict_name(fleet_verdict(f)), f->exit_code);
}

/* ---- HTML ---- */

/* Text for HTML: as the scan's page writes it (exh_html_escaped: markup
 * characters as entities, control bytes and invalid UTF-8 as \xNN, format
 * characters as <U+XXXX>). */
static void h(FILE *o, const char *s)
{
    if (s)
        exh_html_escaped(o, s, strlen(s), SIZE_MAX, false);
    else
        fputs("&mdash;", o);
}

static void td(FILE *o, const char *s)
{
    fputs("<td>", o);
    h(o, s);
    fputs("</td>", o);
}

/* A time as "YYYY-MM-DD HH:MMZ" (the minute is enough in a table). */
static const char *html_day(int64_t ms, char t[32])
{
    exh_time_format(ms, t);
    if (strlen(t) >= 16) {
        t[10] = ' ';
        t[16] = 'Z';
        t[17] = '\0';
    }
    return t;
}

static void td_num(FILE *o, unsigned long long v)
{
    fprintf(o, "<td class=n>%llu</td>", v);
}

/* the page's one style: the CSP allows it by its hash */
static const char fleet_css[] =
    "\n"
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\n"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "th{background:#eee}td.n{text-align:right}\n"
    ".COMPROMISED{background:#f8d0d0}.TARGETED{background:#fde2c8}"
    ".EXPOSED{background:#fff3c4}.INCOMPLETE{background:#e4e4f4}.CLEAN{background:#dff0d8}\n"
    "code{overflow-wrap:anywhere}small{color:#444}\n"
    "table.hosts{font-size:.92em}.nw{white-space:nowrap}\n"
    ".s4{color:#a00;font-weight:bold}.s3{color:#c33}.s2{color:#a60}\n"
    "@media print{body{margin:0;font-size:10pt}tr{break-inside:avoid}}\n";

static void html_report(FILE *o, const struct exh_fleet *f, int64_t created)
{
    char a[32], b[32];
    enum exh_verdict worst = fleet_verdict(f);
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src ",
          o);
    exh_csp_hash(o, fleet_css);
    fputs("; img-src 'none'; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=referrer content=no-referrer>\n<title>exhunt fleet report</title>\n<style>",
          o);
    fputs(fleet_css, o);
    fputs("</style></head><body>\n", o);
    fprintf(o,
            "<h1>exhunt fleet report</h1>\n<p>%zu hosts from %llu files, made %s. Fleet "
            "verdict: <strong class=%s>%s</strong> (exit %d).</p>\n",
            f->nhosts, (unsigned long long)f->files, fmt_time(true, created, a),
            exh_verdict_name(worst), exh_verdict_name(worst), f->exit_code);
    fputs("<h2>Verdicts</h2>\n<table><tr>", o);
    for (size_t i = 0; i < 5; i++)
        fprintf(o, "<th class=%s>%s</th>", exh_verdict_name(worst_first[i]),
                exh_verdict_name(worst_first[i]));
    fputs("</tr><tr>", o);
    for (size_t i = 0; i < 5; i++)
        td_num(o, (unsigned long long)f->by_verdict[worst_first[i]]);
    fputs("</tr></table>\n<h2>Hosts</h2>\n<table class=hosts><tr><th>host</th><th>verdict</th>"
          "<th>stage reached</th><th>logs</th><th>build</th><th>exposure</th><th>findings</th>"
          "<th>scan errors</th></tr>\n",
          o);
    for (size_t i = 0; i < f->nhosts; i++) {
        const struct exh_fleet_host *ho = &f->hosts[i];
        fprintf(o, "<tr class=%s>", exh_verdict_name(ho->verdict));
        fputs("<td><b>", o);
        h(o, ho->name);
        fputs("</b><br><small><code>", o);
        h(o, ho->file);
        fprintf(o, ":%llu</code></small></td>", (unsigned long long)ho->line);
        fprintf(o, "<td><b>%s</b><br><small>", exh_verdict_name(ho->verdict));
        h(o, ho->reason);
        if (ho->older_worse >= 0)
            fprintf(o, "</small><br><strong>an older scan, left out, was %s</strong></td>",
                    exh_verdict_name((enum exh_verdict)ho->older_worse));
        else
            fputs("</small></td>", o);
        td(o, ho->stage >= 0 ? stage_or(ho->stage, "") : NULL);
        fputs(ho->not_covering ? "<td><strong>" : "<td>", o);
        if (ho->has_cov) {
            fprintf(o, "<span class=nw>%s ..</span> ", html_day(ho->cov_first_ms, a));
            fprintf(o, "<span class=nw>%s</span>", html_day(ho->cov_last_ms, b));
            fprintf(o, " <small class=nw>(%.1f days)</small>",
                    ((double)ho->cov_last_ms - (double)ho->cov_first_ms) / 86400000.0);
        } else {
            fputs("no log times", o);
        }
        fputs(ho->not_covering ? "<br>does not reach back to --since</strong></td>" : "</td>", o);
        fputs("<td>", o);
        h(o, ho->build);
        if (ho->build_name) {
            fputs("<br><small>", o);
            h(o, ho->build_name);
            fputs("</small>", o);
        }
        if (ho->build_support) {
            fputs("<br><small>support ", o);
            h(o, ho->build_support);
            fputs("</small>", o);
        }
        if (ho->build_missing >= 0)
            fprintf(o, "<br><small>%lld updates missing</small>", ho->build_missing);
        fputs("</td><td>", o);
        if (ho->nexposure)
            fprintf(o, "%zu finding%s<br><small>", ho->nexposure, ho->nexposure == 1 ? "" : "s");
        for (size_t k = 0; k < ho->nexposure; k++) {
            fputs(k ? ", <span class=nw>" : "<span class=nw>", o);
            h(o, ho->exposure[k]);
            fputs("</span>", o);
        }
        fputs(ho->nexposure ? "</small></td>" : "</td>", o);
        fprintf(o, "<td><b>%llu</b>", (unsigned long long)ho->findings);
        for (int s = EXH_SEV__COUNT - 1, first = 1; s >= 0; s--)
            if (ho->by_sev[s]) {
                fprintf(o, "%s<span class=s%d>%s&nbsp;%llu</span>", first ? "<br><small>" : ", ", s,
                        exh_sev_name((enum exh_sev)s), (unsigned long long)ho->by_sev[s]);
                first = 0;
            }
        fputs(ho->findings ? "</small></td>" : "</td>", o);
        td_num(o, (unsigned long long)ho->errors);
        fputs("</tr>\n", o);
    }
    fprintf(o, "</table>\n<h2>Actors seen on more than one host (%zu)</h2>\n", f->nactors);
    if (f->nactors)
        fputs("<table><tr><th>source address</th><th>first</th><th>last</th><th>stage "
              "reached</th><th>hosts (first, last, stage)</th></tr>\n",
              o);
    for (size_t i = 0; i < f->nactors; i++) {
        const struct exh_fleet_actor *ac = &f->actors[i];
        fputs("<tr><td><code>", o);
        h(o, ac->ip);
        fputs(ac->internal ? "</code> (internal)</td>" : "</code></td>", o);
        td(o, fmt_time(ac->has_time, ac->first_ms, a));
        td(o, fmt_time(ac->has_time, ac->last_ms, b));
        td(o, ac->stage >= 0 ? stage_or(ac->stage, "") : NULL);
        fputs("<td>", o);
        for (size_t k = 0; k < ac->nhosts; k++) {
            const struct exh_fleet_actor_host *ah = &ac->hosts[k];
            fputs(k ? "<br>" : "", o);
            h(o, f->hosts[ah->host].name);
            fputs(" ", o);
            h(o, fmt_time(ah->has_time, ah->first_ms, a));
            fputs(" .. ", o);
            h(o, fmt_time(ah->has_time, ah->last_ms, b));
            fputs(" ", o);
            h(o, stage_or(ah->stage, "no stage"));
        }
        fputs("</td></tr>\n", o);
    }
    if (f->nactors)
        fputs("</table>\n", o);
    if (f->has_since) {
        fprintf(o, "<h2>Hosts whose logs do not reach back to %s (%zu)</h2>\n<ul>\n",
                fmt_time(true, f->since_ms, a), f->not_covering);
        for (size_t i = 0; i < f->nhosts; i++)
            if (f->hosts[i].not_covering) {
                fputs("<li>", o);
                h(o, f->hosts[i].name);
                fprintf(o, " (%s): logs from ", exh_verdict_name(f->hosts[i].verdict));
                h(o, fmt_time(f->hosts[i].has_cov, f->hosts[i].cov_first_ms, a));
                fputs(", nothing is known before then</li>\n", o);
            }
        fputs("</ul>\n", o);
    }
    if (f->ndropped) {
        fprintf(o, "<h2>Older scans of the same host, left out (%zu)</h2>\n<ul>\n", f->ndropped);
        for (size_t i = 0; i < f->ndropped; i++) {
            const struct exh_fleet_dropped *d = &f->dropped[i];
            fputs("<li>", o);
            h(o, d->name);
            fputs(": <code>", o);
            h(o, d->file);
            fprintf(o, ":%llu</code> scanned ", (unsigned long long)d->line);
            h(o, fmt_time(d->has_time, d->time_ms, a));
            fprintf(o, ", %s; kept <code>", exh_verdict_name(d->verdict));
            h(o, f->hosts[d->kept].file);
            fputs("</code></li>\n", o);
        }
        fputs("</ul>\n", o);
    }
    if (f->nerrors) {
        fprintf(o, "<h2>Input problems (%zu)</h2>\n<ul>\n", f->nerrors);
        for (size_t i = 0; i < f->nerrors; i++) {
            const struct exh_fleet_error *e = &f->errors[i];
            fputs("<li><code>", o);
            h(o, e->file);
            if (e->line)
                fprintf(o, ":%llu", (unsigned long long)e->line);
            fprintf(o, "</code> %s: ", e->code);
            h(o, e->message);
            fputs("</li>\n", o);
        }
        fputs("</ul>\n", o);
    }
    fputs("</body></html>\n", o);
}

bool exh_report_fleet(FILE *out, FILE *err, const char *format, const struct exh_fleet *f,
                      int64_t created_ms)
{
    if (!strcmp(format, "text"))
        text_report(out, f);
    else if (!strcmp(format, "jsonl"))
        jsonl_report(out, f, created_ms);
    else if (!strcmp(format, "csv"))
        csv_report(out, err, f);
    else if (!strcmp(format, "html"))
        html_report(out, f, created_ms);
    else
        return false;
    return true;
}
