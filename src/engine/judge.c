/* judge.c: the whole picture after every file was read: coverage per log
 * family, the newest Exchange build and what it lacks, the host name, the
 * stable order of findings, the counts and the verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/banned.h"

const char *exh_verdict_name(enum exh_verdict v)
{
    switch (v) {
    case EXH_VERDICT_CLEAN:
        return "CLEAN";
    case EXH_VERDICT_INCOMPLETE:
        return "INCOMPLETE";
    case EXH_VERDICT_EXPOSED:
        return "EXPOSED";
    case EXH_VERDICT_TARGETED:
        return "TARGETED";
    case EXH_VERDICT_COMPROMISED:
        return "COMPROMISED";
    }
    return "?";
}

int exh_verdict_exit_code(enum exh_verdict v)
{
    switch (v) {
    case EXH_VERDICT_CLEAN:
        return 0;
    case EXH_VERDICT_INCOMPLETE:
        return 2;
    default:
        return 1;
    }
}

static int cmp_obs(const void *a, const void *b)
{
    const struct exh_fileobs *x = a, *y = b;
    int c = strcmp(x->source ? x->source : "", y->source ? y->source : "");
    return c ? c : strcmp(x->rel, y->rel);
}

static int cmp_finding(const void *a, const void *b)
{
    const struct exh_finding *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    c = strcmp(x->rule->id, y->rule->id);
    if (c)
        return c;
    return x->seq_ < y->seq_ ? -1 : x->seq_ > y->seq_;
}

static int cmp_error(const void *a, const void *b)
{
    const struct exh_error_rec *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (int)x->code - (int)y->code;
}

static void coverage(struct exh_fileobs *obs, size_t nobs, struct exh_summary *s)
{
    if (nobs)
        qsort(obs, nobs, sizeof(*obs), cmp_obs);
    s->coverage = exh_xcalloc(nobs ? nobs : 1, sizeof(*s->coverage));
    for (size_t i = 0; i < nobs; i++) {
        struct exh_coverage *c = s->ncoverage ? &s->coverage[s->ncoverage - 1] : NULL;
        if (!c || strcmp(c->source, obs[i].source) != 0) {
            c = &s->coverage[s->ncoverage++];
            c->source = exh_xstrdup(obs[i].source);
        }
        c->files++;
        c->bytes += obs[i].bytes;
        if (obs[i].has_time) {
            if (!c->has_time || obs[i].first_ms < c->first_ms)
                c->first_ms = obs[i].first_ms;
            if (!c->has_time || obs[i].last_ms > c->last_ms)
                c->last_ms = obs[i].last_ms;
            c->has_time = true;
        }
    }
}

/* Exposure: one finding per security update the newest build lacks. */
static void exposure(struct exh_fileobs *obs, size_t nobs, struct exh_emitter *em,
                     struct exh_summary *s)
{
    const struct exh_fileobs *best = NULL;
    for (size_t i = 0; i < nobs; i++) {
        if (!obs[i].has_build)
            continue;
        int c = best ? exh_build_cmp(&obs[i].build, &best->build) : 1;
        if (c > 0 || (c == 0 && strcmp(obs[i].rel, best->rel) < 0))
            best = &obs[i];
    }
    if (!best)
        return;
    s->has_build = true;
    s->build = best->build;
    s->build_path = exh_xstrdup(best->rel);
    struct exh_build_verdict v;
    if (!exh_build_judge(&best->build, &v))
        return;
    char name[96];
    snprintf(name, sizeof(name), "%s%s%s", v.product, v.cu_name[0] ? " " : "", v.cu_name);
    s->build_name = exh_xstrdup(name);
    /* the time the build was last seen: the latest time in any file with it */
    bool has_ts = false;
    int64_t ts = 0;
    for (size_t i = 0; i < nobs; i++)
        if (obs[i].has_build && !exh_build_cmp(&obs[i].build, &best->build) && obs[i].has_time &&
            (!has_ts || obs[i].last_ms > ts)) {
            ts = obs[i].last_ms;
            has_ts = true;
        }
    struct exh_buf missing = {0};
    for (int su = 0; su < EXH_NSU; su++) {
        if (!(v.missing & (1u << su)))
            continue;
        if (missing.n)
            exh_buf_addc(&missing, ',');
        exh_buf_adds(&missing, exh_su_names[su]);
        struct exh_finding f;
        memset(&f, 0, sizeof(f));
        f.rule = &exh_rules[exh_su_rules[su]];
        f.has_ts = has_ts;
        f.ts_ms = ts;
        f.path = exh_xstrdup(best->rel);
        f.line = best->build_line;
        f.dataset = "exchange.build";
        f.status = -1;
        struct exh_build fix;
        char msg[256], ev[64];
        snprintf(ev, sizeof(ev), "%u.%u.%u.%u", best->build.major, best->build.minor,
                 best->build.build, best->build.rev);
        if (exh_build_fix_for(&best->build, su, &fix))
            snprintf(msg, sizeof(msg), "Newest build in the logs %s (%s) lacks %s; fixed at %u.%u.%u.%u or later",
                     ev, name, exh_su_names[su], fix.major, fix.minor, fix.build, fix.rev);
        else
            snprintf(msg, sizeof(msg), "Newest build in the logs %s (%s) lacks %s", ev, name,
                     exh_su_names[su]);
        f.message = exh_xstrdup(msg);
        f.evidence = exh_xstrdup(ev);
        exh_emit_raw(em, &f);
    }
    s->build_missing = missing.n ? exh_buf_detach(&missing) : NULL;
}

void exh_judge(const struct exh_scan_opts *o, struct exh_fileobs *obs, size_t nobs,
               struct exh_emitter *em, struct exh_result *res)
{
    struct exh_summary *s = &res->sum;
    coverage(obs, nobs, s);
    exposure(obs, nobs, em, s);
    if (o->hostname) {
        s->host = exh_xstrdup(o->hostname);
    } else {
        const char *best = NULL, *best_rel = NULL;
        for (size_t i = 0; i < nobs; i++)
            if (obs[i].host && (!best_rel || strcmp(obs[i].rel, best_rel) < 0)) {
                best = obs[i].host;
                best_rel = obs[i].rel;
            }
        s->host = best ? exh_xstrdup(best) : NULL;
    }
    if (em->n)
        qsort(em->f, em->n, sizeof(*em->f), cmp_finding);
    if (em->ne)
        qsort(em->e, em->ne, sizeof(*em->e), cmp_error);
    res->findings = em->f;
    res->nfindings = em->n;
    res->errors = em->e;
    res->nerrors = em->ne;
    s->findings = em->n;
    s->filtered = em->filtered;
    s->files_errors = em->ne;
    bool compromised = false, targeted = false, exposed = false;
    for (size_t i = 0; i < em->n; i++) {
        const struct exh_rule *r = em->f[i].rule;
        if (s->host && !em->f[i].host)
            em->f[i].host = exh_xstrdup(s->host);
        s->by_sev[r->sev]++;
        s->by_stage[r->stage]++;
        if (r->sev < EXH_SEV_MEDIUM)
            continue; /* leads and noise never decide the verdict */
        switch (r->stage) {
        case EXH_STAGE_EXPLOITATION:
        case EXH_STAGE_BACKDOOR:
        case EXH_STAGE_POST_EXPLOITATION:
            compromised = true;
            break;
        case EXH_STAGE_ATTEMPT:
            targeted = true;
            break;
        case EXH_STAGE_EXPOSURE:
            exposed = true;
            break;
        default:
            break;
        }
    }
    if (compromised) {
        s->verdict = EXH_VERDICT_COMPROMISED;
        s->verdict_reason = "exploitation, a back door or the attackers' tools were found";
    } else if (targeted) {
        s->verdict = EXH_VERDICT_TARGETED;
        s->verdict_reason = "attack attempts were found, but no sign that one succeeded";
    } else if (exposed) {
        s->verdict = EXH_VERDICT_EXPOSED;
        s->verdict_reason = "the Exchange build in the logs lacks security updates for exploited flaws";
    } else if (em->ne > 0) {
        s->verdict = EXH_VERDICT_INCOMPLETE;
        s->verdict_reason = "nothing was found, but some input could not be read";
    } else if (s->files_read == 0) {
        s->verdict = EXH_VERDICT_INCOMPLETE;
        s->verdict_reason = "no file could be read, so nothing can be said";
    } else {
        s->verdict = EXH_VERDICT_CLEAN;
        s->verdict_reason = s->ncoverage ? "nothing was found in the evidence read (see coverage)"
                                         : "nothing was found; no Exchange or IIS logs were among the files";
    }
    s->exit_code = exh_verdict_exit_code(s->verdict);
}
