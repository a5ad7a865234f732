/* report_text.c: the report for people. One grep-able first line per
 * finding (path:line: severity RULE name), then the details; the summary,
 * coverage and verdict last. Evidence is escaped: hostile log content cannot
 * move the cursor or recolour the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/report.h"
#include "exh/timeutil.h"
#include "exh/exposure.h"
#include "util.h"
#include "exh/banned.h"

/* attempt-only addresses are listed one by one up to this many */
#define ACTORS_LISTED 10

/* A time to the second: "2021-03-03T02:11:41Z" */
static void short_time(int64_t ms, char t[32])
{
    exh_time_format(ms, t);
    t[19] = 'Z';
    t[20] = '\0';
}

#define EVIDENCE_MAX 400

static const char *sev_color(enum exh_sev s)
{
    static const char *const c[] = {"\033[2m", "\033[36m", "\033[33m", "\033[31m", "\033[1;31m"};
    return c[s];
}

static void colored(struct exh_report *r, const char *color, const char *text)
{
    if (r->color)
        fprintf(r->out, "%s%s\033[0m", color, text);
    else
        fputs(text, r->out);
}

/* Write s wrapped at ~96 columns, continuation lines indented by ind. */
static void wrapped(FILE *o, const char *s, int ind)
{
    int col = ind;
    const char *p = s;
    while (*p) {
        const char *w = p;
        while (*w && *w != ' ')
            w++;
        int len = (int)(w - p);
        if (col > ind && col + 1 + len > 96) {
            fprintf(o, "\n%*s", ind, "");
            col = ind;
        } else if (col > ind) {
            fputc(' ', o);
            col++;
        }
        fwrite(p, 1, (size_t)len, o);
        col += len;
        p = *w ? w + 1 : w;
    }
    fputc('\n', o);
}

static void text_begin(struct exh_report *r)
{
    memset(r->explained_, 0, sizeof(r->explained_));
    r->group_ = -2;
}

static const char *story_stage(enum exh_stage s)
{
    switch (s) {
    case EXH_STAGE_ATTEMPT:
        return "attempt";
    case EXH_STAGE_EXPLOITATION:
        return "exploited";
    case EXH_STAGE_BACKDOOR:
        return "back door written";
    case EXH_STAGE_POST_EXPLOITATION:
        return "back door used";
    case EXH_STAGE_EXPOSURE:
        return "exposure";
    default:
        return "noise";
    }
}

static void actor_line(struct exh_report *r, const struct exh_actor *a)
{
    FILE *o = r->out;
    exh_text_escaped(o, a->ip, strlen(a->ip), 64);
    if (a->has_ts) {
        char t1[32], t2[32];
        short_time(a->first_ms, t1);
        short_time(a->last_ms, t2);
        fprintf(o, "  %s .. %s", t1, t2);
    }
    fprintf(o, "  %llu finding%s, reached: ", (unsigned long long)a->findings,
            a->findings == 1 ? "" : "s");
    colored(r, sev_color(a->sev), story_stage(a->stage));
    if (a->proxy)
        fputs(" (load balancer or proxy: the clients behind it are hidden)", o);
    else if (a->internal)
        fputs(" (internal address)", o);
    fputc('\n', o);
}

static void text_finding(struct exh_report *r, const struct exh_finding *f)
{
    FILE *o = r->out;
    const struct exh_rule *ru = f->rule;
    if (r->timeline && f->actor != r->group_) {
        r->group_ = f->actor;
        fputs("=== ", o);
        if (f->actor >= 0 && r->res && (size_t)f->actor < r->res->sum.nactors)
            actor_line(r, &r->res->sum.actors[f->actor]);
        else
            fputs("no source address (files on disk, build, logs without a client)\n", o);
        fputc('\n', o);
    }
    exh_text_escaped(o, f->path, strlen(f->path), 4096);
    if (f->line)
        fprintf(o, ":%llu", (unsigned long long)f->line);
    fputs(": ", o);
    colored(r, sev_color(ru->sev), exh_sev_name(ru->sev));
    fprintf(o, " %s %s", ru->id, ru->name);
    if (ru->cves[0])
        fprintf(o, " (%s)", ru->cves);
    fputc('\n', o);
    fputs("    what  ", o);
    exh_text_escaped(o, f->message, strlen(f->message), 1024);
    fputc('\n', o);
    fputs("    when  ", o);
    if (f->has_ts) {
        char t[32];
        exh_time_format(f->ts_ms, t);
        fputs(t, o);
    } else {
        fputs("-", o);
    }
    fprintf(o, "  stage %s", exh_stage_name(ru->stage));
    if (f->source_ip) {
        fputs("  from ", o);
        exh_text_escaped(o, f->source_ip, strlen(f->source_ip), 64);
    }
    fputc('\n', o);
    if (f->forwarded_ip) {
        fputs("    via   ", o);
        exh_text_escaped(o, f->forwarded_ip, strlen(f->forwarded_ip), 400);
        fputs("  (X-Forwarded-For, then the connection)\n", o);
    }
    if (f->url || f->status >= 0) {
        fputs("    http  ", o);
        if (f->method) {
            exh_text_escaped(o, f->method, strlen(f->method), 16);
            fputc(' ', o);
        }
        if (f->url)
            exh_text_escaped(o, f->url, strlen(f->url), 200);
        if (f->status >= 0)
            fprintf(o, " -> %d", f->status);
        fputc('\n', o);
    }
    if (f->has_record) {
        fputs("    event ", o);
        exh_text_escaped(o, f->channel ? f->channel : "", f->channel ? strlen(f->channel) : 0, 128);
        fprintf(o, " event %u, record %llu, provider ", f->event_code,
                (unsigned long long)f->record_id);
        exh_text_escaped(o, f->provider ? f->provider : "", f->provider ? strlen(f->provider) : 0,
                         128);
        fputc('\n', o);
    }
    if (f->user_agent) {
        fputs("    agent ", o);
        exh_text_escaped(o, f->user_agent, strlen(f->user_agent), 200);
        fputc('\n', o);
    }
    if (f->evidence) {
        fputs("    saw   ", o);
        exh_text_escaped(o, f->evidence, strlen(f->evidence), EVIDENCE_MAX);
        fputc('\n', o);
    }
    if (f->ioc_feed) {
        fputs("    list  ", o);
        exh_text_escaped(o, f->ioc_feed, strlen(f->ioc_feed), 200);
        if (f->ioc_title) {
            fputs(": ", o);
            exh_text_escaped(o, f->ioc_title, strlen(f->ioc_title), 200);
        }
        if (f->ioc_reference) {
            fputs(" (", o);
            exh_text_escaped(o, f->ioc_reference, strlen(f->ioc_reference), 200);
            fputc(')', o);
        }
        if (f->ioc_confidence >= 0)
            fprintf(o, ", confidence %d", f->ioc_confidence);
        fputc('\n', o);
    }
    if (f->is_file && f->has_file_meta) {
        char t[32];
        exh_time_format(f->file_mtime_ms, t);
        fprintf(o, "    file  %llu bytes, modified %s%s%s\n", (unsigned long long)f->file_size, t,
                f->sha256[0] ? ", sha256 " : "", f->sha256);
    }
    size_t idx = (size_t)(ru - exh_rules);
    if (idx < EXH_RULE__COUNT && r->explained_[idx]) {
        fprintf(o, "    (why and what to do: as above, or `exhunt explain %s`)\n", ru->id);
    } else {
        if (idx < EXH_RULE__COUNT)
            r->explained_[idx] = true;
        fputs("    why   ", o);
        wrapped(o, ru->explanation, 10);
        fputs("    do    ", o);
        wrapped(o, ru->remediation, 10);
    }
    fputc('\n', o);
}

/* "+ 4,999 more like this ..." after the first of a folded shape */
static void text_repeats(struct exh_report *r, const struct exh_finding *first,
                         const struct exh_repeats *rep)
{
    FILE *o = r->out;
    (void)first;
    fprintf(o, "    + %zu more like this", rep->n);
    if (rep->addresses > 1)
        fprintf(o, " from %zu addresses", rep->addresses);
    if (rep->has_ts && rep->first_ms != rep->last_ms) {
        char t1[32], t2[32];
        short_time(rep->first_ms, t1);
        short_time(rep->last_ms, t2);
        fprintf(o, ", %s .. %s", t1, t2);
    }
    for (size_t i = 0; i < rep->nexamples; i++) {
        fputs(i ? ", " : "; e.g. ", o);
        exh_text_escaped(o, rep->examples[i], strlen(rep->examples[i]), 64);
    }
    fputs(" (--all prints each)\n\n", o);
}

static void text_error(struct exh_report *r, const struct exh_error_rec *e)
{
    exh_text_error_line(r->err, e);
}

static void human_bytes(char out[32], uint64_t b)
{
    static const char *const u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int i = 0;
    while (v >= 1024 && i < 4) {
        v /= 1024;
        i++;
    }
    snprintf(out, 32, i ? "%.1f %s" : "%.0f %s", v, u[i]);
}

static void actor_story(struct exh_report *r, const struct exh_result *res,
                        const struct exh_actor *a)
{
    FILE *o = r->out;
    /* the story: the earliest finding at each stage it reached */
    for (int st = EXH_STAGE_ATTEMPT; st < EXH_STAGE__COUNT; st++) {
        size_t idx = a->first_of_stage[st];
        if (!idx || idx > res->nfindings)
            continue;
        const struct exh_finding *f = &res->findings[idx - 1];
        char t[32] = "-";
        if (f->has_ts)
            short_time(f->ts_ms, t);
        fprintf(o, "            %s  %-17s %s ", t, story_stage((enum exh_stage)st), f->rule->id);
        exh_text_escaped(o, f->message, strlen(f->message), 90);
        fputc('\n', o);
    }
}

/* Attempt-only addresses, when there are many: one line per rule with how
 * many addresses, when, and a few of them. */
struct attempt_rule {
    size_t *actors; /* actor indexes, with repeats until sorted */
    size_t n, cap;
    bool has_ts;
    int64_t first_ms, last_ms;
};

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void attempts_by_rule(struct exh_report *r, const struct exh_result *res, bool *lead)
{
    FILE *o = r->out;
    const struct exh_summary *s = &res->sum;
    struct attempt_rule *per = exh_xcalloc(EXH_RULE__COUNT, sizeof(*per));
    for (size_t i = 0; i < res->nfindings; i++) {
        const struct exh_finding *f = &res->findings[i];
        if (f->actor < 0 || (size_t)f->actor >= s->nactors ||
            s->actors[f->actor].stage != EXH_STAGE_ATTEMPT || f->rule->stage != EXH_STAGE_ATTEMPT)
            continue;
        struct attempt_rule *ar = &per[f->rule - exh_rules];
        if (ar->n == ar->cap) {
            ar->cap = ar->cap ? 2 * ar->cap : 16;
            ar->actors = exh_xrealloc(ar->actors, ar->cap * sizeof(*ar->actors));
        }
        ar->actors[ar->n++] = (size_t)f->actor;
        if (f->has_ts) {
            if (!ar->has_ts || f->ts_ms < ar->first_ms)
                ar->first_ms = f->ts_ms;
            if (!ar->has_ts || f->ts_ms > ar->last_ms)
                ar->last_ms = f->ts_ms;
            ar->has_ts = true;
        }
    }
    for (size_t k = 0; k < EXH_RULE__COUNT; k++) {
        struct attempt_rule *ar = &per[k];
        if (!ar->n)
            continue;
        qsort(ar->actors, ar->n, sizeof(*ar->actors), cmp_size);
        size_t u = 0;
        for (size_t i = 0; i < ar->n; i++)
            if (!u || ar->actors[i] != ar->actors[u - 1])
                ar->actors[u++] = ar->actors[i];
        fputs(*lead ? "          " : "actors    ", o);
        *lead = true;
        fprintf(o, "%zu address%s attempted only %s (%s)", u, u == 1 ? "" : "es", exh_rules[k].id,
                exh_rules[k].name);
        if (ar->has_ts) {
            char t1[32], t2[32];
            short_time(ar->first_ms, t1);
            short_time(ar->last_ms, t2);
            fprintf(o, ", %s .. %s", t1, t2);
        }
        /* examples: the first seen */
        for (size_t i = 0; i < u && i < 3; i++) {
            fputs(i ? ", " : "; e.g. ", o);
            const char *ip = s->actors[ar->actors[i]].ip;
            exh_text_escaped(o, ip, strlen(ip), 64);
        }
        fputc('\n', o);
        free(ar->actors);
    }
    free(per);
}

/* The actors: every one that reached exploitation or beyond, in the order
 * above; attempt-only ones listed when few, else summed up per rule. */
static void actors_block(struct exh_report *r, const struct exh_result *res)
{
    FILE *o = r->out;
    const struct exh_summary *s = &res->sum;
    size_t *idx = exh_xmalloc((s->nactors ? s->nactors : 1) * sizeof(*idx));
    size_t n = 0, attempts = 0, quiet = 0;
    for (size_t i = 0; i < s->nactors; i++) {
        if (s->actors[i].stage <= EXH_STAGE_EXPOSURE)
            quiet++;
        else
            idx[n++] = i;
        attempts += s->actors[i].stage == EXH_STAGE_ATTEMPT;
    }
    exh_report_sort_actors(s, idx, n);
    bool lead = false, list_attempts = attempts <= ACTORS_LISTED;
    for (size_t i = 0; i < n; i++) {
        const struct exh_actor *a = &s->actors[idx[i]];
        if (a->stage == EXH_STAGE_ATTEMPT && !list_attempts)
            break; /* sorted: the rest are attempts too */
        fputs(lead ? "          " : "actors    ", o);
        lead = true;
        actor_line(r, a);
        actor_story(r, res, a);
    }
    if (!list_attempts)
        attempts_by_rule(r, res, &lead);
    if (quiet)
        fprintf(o, "%s%zu more source address%s: noise or exposure only\n",
                lead ? "          " : "actors    ", quiet, quiet == 1 ? "" : "es");
    free(idx);
}

static void text_summary(struct exh_report *r, const struct exh_result *res)
{
    if (r->quiet)
        return;
    FILE *o = r->out;
    const struct exh_summary *s = &res->sum;
    char b[32];
    fputs("== exhunt summary ==\n", o);
    if (s->host) {
        fputs("host      ", o);
        exh_text_escaped(o, s->host, strlen(s->host), 256);
        fputc('\n', o);
    }
    for (size_t i = 0; i < s->nexchange_roots; i++) {
        fputs(i ? "          " : "exchange  ", o);
        exh_text_escaped(o, s->exchange_roots[i], strlen(s->exchange_roots[i]), 1024);
        fputc('\n', o);
    }
    human_bytes(b, s->bytes);
    fprintf(o, "read      %llu of %llu files (%s), %llu log lines; %llu skipped; %llu errors\n",
            (unsigned long long)s->files_read, (unsigned long long)s->files_seen, b,
            (unsigned long long)s->records, (unsigned long long)s->files_skipped,
            (unsigned long long)s->files_errors);
    if (s->not_read)
        fprintf(o,
                "not read  %llu %s exhunt cannot open, named unlike logs (each named on "
                "stderr: 'not read (info)')\n",
                (unsigned long long)s->not_read,
                s->not_read == 1 ? "archive or member" : "archives or members");
    fprintf(o, "findings  %llu:", (unsigned long long)s->findings);
    for (int v = EXH_SEV__COUNT - 1; v >= 0; v--)
        fprintf(o, " %s %llu%s", exh_sev_name((enum exh_sev)v), (unsigned long long)s->by_sev[v],
                v ? "," : "");
    if (s->filtered)
        fprintf(o, " (%llu outside --since/--until)", (unsigned long long)s->filtered);
    fputc('\n', o);
    if (!s->ncoverage)
        fputs("coverage  no Exchange or IIS logs were found\n", o);
    for (size_t i = 0; i < s->ncoverage; i++) {
        const struct exh_coverage *c = &s->coverage[i];
        fputs(i ? "          " : "coverage  ", o);
        size_t sl = strlen(c->source);
        exh_text_escaped(o, c->source, sl, 64);
        fprintf(o, "%*s %4u file%s", sl < 24 ? (int)(24 - sl) : 0, "", c->files,
                c->files == 1 ? " " : "s");
        if (c->has_time) {
            char t1[32], t2[32];
            short_time(c->first_ms, t1);
            short_time(c->last_ms, t2);
            fprintf(o, "  %s .. %s  (%.1f days)", t1, t2,
                    ((double)c->last_ms - (double)c->first_ms) / 86400000.0);
        } else {
            fputs("  no timestamps", o);
        }
        fputc('\n', o);
    }
    for (size_t i = 0; i < s->nfeeds; i++) {
        /* the indicator lists checked: per type, loaded and matched */
        const struct exh_ioc_feed_sum *f = &s->feeds[i];
        fputs(i ? "          " : "lists     ", o);
        if (f->builtin) {
            fputs("built-in lists:", o);
        } else {
            exh_text_escaped(o, f->name, strlen(f->name), 200);
            fprintf(o, " (%s):", f->format);
        }
        exh_feed_counts(o, f);
        fputc('\n', o);
    }
    if (s->has_build) {
        fprintf(o, "build     %u.%u.%u.%u", s->build.major, s->build.minor, s->build.build,
                s->build.rev);
        if (s->build_name)
            fprintf(o, " (%s)", s->build_name);
        if (s->build_source)
            fprintf(o, " from %s", strcmp(s->build_source, "logs") ? s->build_source : "the logs");
        if (s->has_logs_build)
            fprintf(o, "; the logs show %u.%u.%u.%u", s->logs_build.major, s->logs_build.minor,
                    s->logs_build.build, s->logs_build.rev);
        fputc('\n', o);
        if (s->build_name) {
            fputs("          ", o);
            if (s->build_newer)
                fprintf(o, "newer than exhunt's catalogue (to %s): not judged",
                        exh_catalogue_date());
            else if (s->build_nmissing) {
                fprintf(o, "newest update %s; lacks %u security update%s",
                        s->build_newest ? s->build_newest : "none", s->build_nmissing,
                        s->build_nmissing == 1 ? "" : "s");
                const char *m = s->build_missing ? s->build_missing : "";
                const char *last = strrchr(m, ',');
                size_t first = strcspn(m, ",");
                if (last)
                    fprintf(o, " (%.*s .. %s)", (int)first, m, last + 1);
                else if (*m)
                    fprintf(o, " (%s)", m);
            } else
                fprintf(o, "newest update %s; has every security update exhunt knows (to %s)",
                        s->build_newest ? s->build_newest : "none", exh_catalogue_date());
            if (s->build_support && strcmp(s->build_support, "current"))
                fprintf(o, "; %s since %s",
                        strcmp(s->build_support, "extended") ? "out of support"
                                                             : "paid extended updates only",
                        s->build_support_end);
            fputc('\n', o);
        }
    }
    if (s->nproxies) {
        fputs("proxies   ", o);
        for (size_t i = 0; i < s->nproxies; i++) {
            fputs(i ? ", " : "", o);
            exh_text_escaped(o, s->proxies[i], strlen(s->proxies[i]), 64);
        }
        fprintf(o,
                " carried %llu of the %llu requests read (%llu%%) without X-Forwarded-For:\n"
                "          a load balancer or proxy hides the clients' addresses, so attempts\n"
                "          through it count as from outside. Log the forwarded header (IIS: add\n"
                "          X-Forwarded-For as a custom field) and name the proxy with "
                "--trusted-proxy.\n",
                (unsigned long long)s->proxy_requests, (unsigned long long)s->requests_seen,
                (unsigned long long)(s->proxy_requests * 100 /
                                     (s->requests_seen ? s->requests_seen : 1)));
    }
    actors_block(r, res);
    for (size_t i = 0; i < s->nscanners; i++) {
        const struct exh_scanner *sc = &s->scanners[i];
        fputs(i ? "          " : "scanners  ", o);
        fprintf(o, "%s: %llu probe%s", sc->name, (unsigned long long)sc->probes,
                sc->probes == 1 ? "" : "s");
        if (sc->has_ts) {
            char t1[32], t2[32];
            short_time(sc->first_ms, t1);
            short_time(sc->last_ms, t2);
            if (sc->first_ms == sc->last_ms)
                fprintf(o, ", %s", t1);
            else
                fprintf(o, ", %s to %s", t1, t2);
        }
        fputc('\n', o);
    }
    fputs("verdict   ", o);
    static const char *const vcol[] = {"\033[1;32m", "\033[1;33m", "\033[1;33m", "\033[1;31m",
                                       "\033[1;31m"};
    colored(r, vcol[s->verdict], exh_verdict_name(s->verdict));
    fprintf(o, ": %s\n", s->verdict_reason);
    fputs("next      ", o);
    wrapped(o, exh_next_steps(s, false), 10);
    fprintf(o, "exit      %d\n", s->exit_code);
}

const struct exh_reporter_ops exh_report_text = {"text",     text_begin,   text_finding,
                                                 text_error, text_summary, text_repeats};
