/* judge.c: the whole picture after every file was read: coverage per log
 * family, the newest Exchange build and what it lacks, the host name, the
 * stable order of findings, the counts and the verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/timeutil.h"
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
    if (c)
        return c;
    if (x->code != y->code)
        return (int)x->code - (int)y->code;
    /* qsort is not stable everywhere (glibc's is, Windows' is not) */
    return x->seq_ < y->seq_ ? -1 : x->seq_ > y->seq_;
}

/* Error records in report order: by path, code, then emission. */
void exh_sort_errors(struct exh_error_rec *e, size_t n)
{
    if (n)
        qsort(e, n, sizeof(*e), cmp_error);
}

static void coverage(struct exh_fileobs *obs, size_t nobs, struct exh_summary *s)
{
    if (nobs)
        qsort(obs, nobs, sizeof(*obs), cmp_obs);
    s->coverage = exh_xcalloc(nobs ? nobs : 1, sizeof(*s->coverage));
    for (size_t i = 0; i < nobs; i++) {
        struct exh_coverage *c = s->ncoverage ? &s->coverage[s->ncoverage - 1] : NULL;
        if (!obs[i].source)
            continue; /* a binary or a configuration file: no log coverage */
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

/* The time a build was last seen in the logs: the latest time of any file
 * that shows it. */
static bool build_last_seen(const struct exh_fileobs *obs, size_t nobs, const struct exh_build *b,
                            int64_t *ts)
{
    bool has = false;
    for (size_t i = 0; i < nobs; i++)
        if (obs[i].has_build && !exh_build_cmp(&obs[i].build, b) && obs[i].has_time &&
            (!has || obs[i].last_ms > *ts)) {
            *ts = obs[i].last_ms;
            has = true;
        }
    return has;
}

/* Pick the binary version to judge: the highest ExSetup.exe (several
 * install folders: the newest), and the lowest front-end binary. */
static const struct exh_fileobs *pick_bin(const struct exh_fileobs *obs, size_t nobs, int kind,
                                          int want)
{
    const struct exh_fileobs *best = NULL;
    for (size_t i = 0; i < nobs; i++) {
        if ((int)obs[i].bin != kind)
            continue;
        int c = best ? exh_build_cmp(&obs[i].bin_version, &best->bin_version) : want;
        if (c == want || (c == 0 && strcmp(obs[i].rel, best->rel) < 0))
            best = &obs[i];
    }
    return best;
}

static void emit_exposure_item(struct exh_emitter *em, const struct exh_exp_item *it,
                               const char *path, uint64_t line, bool has_ts, int64_t ts,
                               const char *ev)
{
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    f.rule = &exh_rules[it->rule];
    f.has_ts = has_ts;
    f.ts_ms = ts;
    f.path = exh_xstrdup(path);
    f.line = line;
    f.dataset = "exchange.build";
    f.status = -1;
    f.message = exh_xstrdup(it->message);
    f.evidence = exh_xstrdup(ev);
    exh_emit_raw(em, &f);
}

/* Exposure: the build judged (ExSetup.exe's file version when found, else the
 * newest build the logs show) against the catalogue, with the mitigations
 * found in the configuration, one finding per item (exposure.h). */
static void exposure(struct exh_fileobs *obs, size_t nobs, struct exh_emitter *em,
                     struct exh_summary *s)
{
    struct exh_mitigations mit;
    memset(&mit, 0, sizeof(mit));
    /* IIS runs the server's rules and the site's alike on a request: a rule
     * without a published bypass in any of the files blocks the exploit, and
     * names the place */
    unsigned sound = 0;
    for (size_t i = 0; i < nobs; i++) {
        if (!obs[i].has_mit)
            continue;
        const struct exh_mitigations *m = &obs[i].mit;
        mit.blocks |= m->blocks;
        mit.bypassable |= m->bypassable;
        for (int k = 0; k < 3; k++) {
            unsigned bit = 1u << k;
            bool sound_here = (m->blocks & bit) && !(m->bypassable & bit);
            if (m->where[k][0] && (!mit.where[k][0] || (sound_here && !(sound & bit))))
                memcpy(mit.where[k], m->where[k], sizeof(mit.where[k]));
            if (sound_here)
                sound |= bit;
        }
    }
    mit.bypassable &= ~sound;
    s->mitigations = mit.blocks;

    const struct exh_fileobs *logs = NULL;
    for (size_t i = 0; i < nobs; i++) {
        if (!obs[i].has_build)
            continue;
        int c = logs ? exh_build_cmp(&obs[i].build, &logs->build) : 1;
        if (c > 0 || (c == 0 && strcmp(obs[i].rel, logs->rel) < 0))
            logs = &obs[i];
    }
    const struct exh_fileobs *setup = pick_bin(obs, nobs, EXH_BIN_EXSETUP, 1);
    const struct exh_fileobs *front = pick_bin(obs, nobs, EXH_BIN_FRONTEND, -1);
    if (!logs && !setup)
        return;
    const struct exh_build *b;
    const char *path, *seen;
    uint64_t line = 0;
    bool has_ts = false;
    int64_t ts = 0;
    if (setup) {
        b = &setup->bin_version;
        path = setup->rel;
        seen = "ExSetup.exe";
        s->build_source = "ExSetup.exe";
        if (logs && exh_build_cmp(&logs->build, b) != 0) {
            s->has_logs_build = true;
            s->logs_build = logs->build;
        }
    } else {
        b = &logs->build;
        path = logs->rel;
        line = logs->build_line;
        seen = "the logs";
        s->build_source = "logs";
        has_ts = build_last_seen(obs, nobs, b, &ts);
    }
    char ev[48];
    /* an update applied in part: the front end still runs older binaries */
    if (setup && front && front->bin_version.major == b->major &&
        front->bin_version.minor == b->minor && exh_build_cmp(&front->bin_version, b) < 0) {
        struct exh_exp_item it;
        memset(&it, 0, sizeof(it));
        it.rule = EXH_RULE_EXP_PARTIAL;
        snprintf(ev, sizeof(ev), "%u.%u.%u.%u", front->bin_version.major, front->bin_version.minor,
                 front->bin_version.build, front->bin_version.rev);
        snprintf(it.message, sizeof(it.message),
                 "ExSetup.exe is %u.%u.%u.%u but the front end's %s is %s: the update was applied "
                 "only in part, and the older build is the one judged",
                 b->major, b->minor, b->build, b->rev,
                 exh_path_base(exh_str_make(front->rel, strlen(front->rel))).p, ev);
        emit_exposure_item(em, &it, front->rel, 0, false, 0, ev);
        b = &front->bin_version;
        path = front->rel;
        seen = "the front end's binaries";
        s->build_source = "front-end binaries";
    }
    s->has_build = true;
    s->build = *b;
    s->build_path = exh_xstrdup(path);
    struct exh_exposure x;
    if (!exh_exposure_judge(b, seen, s->started_ms, &mit, &x))
        return;
    s->build_name = exh_xstrdup(x.name);
    s->build_date = x.date[0] ? exh_xstrdup(x.date) : NULL;
    s->build_newest = x.newest_update[0] ? exh_xstrdup(x.newest_update) : NULL;
    s->build_nmissing = x.nmissing;
    s->build_missing = x.missing[0] ? exh_xstrdup(x.missing) : NULL;
    s->build_support = x.support == EXH_SUPPORT_CURRENT ? "current"
                       : x.support == EXH_SUPPORT_ESU   ? "extended"
                                                        : "ended";
    s->build_support_end = x.support_end;
    s->build_newer = x.newer;
    snprintf(ev, sizeof(ev), "%u.%u.%u.%u", b->major, b->minor, b->build, b->rev);
    for (size_t i = 0; i < x.nitems; i++)
        emit_exposure_item(em, &x.items[i], path, line, has_ts, ts, ev);
}

char *exh_served_url(const char *path)
{
    static const char *const roots[] = {"inetpub/wwwroot/", "frontend/httpproxy/", "clientaccess/",
                                        "wwwroot/", NULL};
    char *lower = exh_xstrdup(path);
    for (char *c = lower; *c; c++)
        *c = *c == '\\' ? '/' : (char)exh_lc((unsigned char)*c);
    char *url = NULL;
    for (int i = 0; roots[i] && !url; i++) {
        char *p = strstr(lower, roots[i]);
        if (p && (p == lower || p[-1] == '/')) {
            struct exh_buf b = {0};
            exh_buf_addc(&b, '/');
            exh_buf_adds(&b, p + strlen(roots[i]));
            url = exh_buf_detach(&b);
        }
    }
    free(lower);
    return url;
}

static bool shell_rule(const struct exh_rule *r)
{
    return (r->flags & EXH_RF_SHELL) != 0; /* rules.def's flag column */
}

static int cmp_req_key(const void *k, const void *e)
{
    return strcmp((const char *)k, ((const struct exh_reqagg *)e)->stem);
}

/* Web shells found on disk whose URL was requested and answered 2xx. */
static void shell_use(const struct exh_reqagg *reqs, size_t nreqs, struct exh_emitter *em)
{
    size_t n = em->n;
    /* per page requested, the shell file it names: the smallest path of the
     * shell findings served at that URL, so that the finding is the same
     * whichever worker found which file first (the findings are not sorted
     * yet) */
    size_t *pick = exh_xcalloc(nreqs ? nreqs : 1, sizeof(*pick));
    for (size_t k = 0; k < nreqs; k++)
        pick[k] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const struct exh_finding *f = &em->f[i];
        if (!f->is_file || !shell_rule(f->rule))
            continue;
        char *url = exh_served_url(f->path);
        const struct exh_reqagg *r =
            url && nreqs ? bsearch(url, reqs, nreqs, sizeof(*reqs), cmp_req_key) : NULL;
        free(url);
        if (!r || !r->ok || !r->has_ex)
            continue;
        size_t *p = &pick[r - reqs];
        if (*p == SIZE_MAX || strcmp(f->path, em->f[*p].path) < 0)
            *p = i;
    }
    for (size_t q = 0; q < nreqs; q++) {
        if (pick[q] == SIZE_MAX)
            continue;
        const struct exh_reqagg *r = &reqs[q];
        const struct exh_finding *f = &em->f[pick[q]];
        struct exh_finding g;
        memset(&g, 0, sizeof(g));
        g = r->ex; /* shallow: the strings are copied below */
        g.path = exh_xstrdup(r->ex.path);
        g.source_ip = r->ex.source_ip ? exh_xstrdup(r->ex.source_ip) : NULL;
        g.forwarded_ip = r->ex.forwarded_ip ? exh_xstrdup(r->ex.forwarded_ip) : NULL;
        g.user_agent = r->ex.user_agent ? exh_xstrdup(r->ex.user_agent) : NULL;
        g.url = r->ex.url ? exh_xstrdup(r->ex.url) : NULL;
        g.method = r->ex.method ? exh_xstrdup(r->ex.method) : NULL;
        g.original = r->ex.original ? exh_xstrndup(r->ex.original, r->ex.original_n) : NULL;
        g.host = NULL;
        g.actor = -1;
        struct exh_buf msg = {0}, ev = {0};
        exh_buf_addf(&msg,
                     "%llu requests to %s, %llu answered 2xx; the page is a web shell found at %s",
                     (unsigned long long)r->count, r->stem, (unsigned long long)r->ok, f->path);
        exh_buf_adds(&ev, "from ");
        for (size_t k = 0; k < r->nips; k++)
            exh_buf_addf(&ev, "%s%s", k ? ", " : "", r->ips[k]);
        if (r->has_ts) {
            char t1[32], t2[32];
            exh_time_format(r->first_ms, t1);
            exh_time_format(r->last_ms, t2);
            exh_buf_addf(&ev, "; first %s, last %s", t1, t2);
        }
        g.message = exh_buf_detach(&msg);
        g.evidence = exh_buf_detach(&ev);
        exh_emit_raw(em, &g);
    }
    free(pick);
}

bool exh_ip_internal(const char *ip)
{
    struct exh_ip a;
    return exh_ip_parse(exh_str_make(ip, strlen(ip)), &a) && exh_ip_private(&a);
}

static int cmp_actor(const void *a, const void *b)
{
    const struct exh_actor *x = a, *y = b;
    if (x->has_ts != y->has_ts)
        return x->has_ts ? -1 : 1;
    if (x->has_ts && x->first_ms != y->first_ms)
        return x->first_ms < y->first_ms ? -1 : 1;
    return strcmp(x->ip, y->ip);
}

/* A finding with a source address, for grouping by address. */
struct by_ip {
    const char *ip;
    size_t i; /* finding index */
};

static int cmp_by_ip(const void *a, const void *b)
{
    const struct by_ip *x = a, *y = b;
    int c = strcmp(x->ip, y->ip);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* An actor and the group it was built from, to sort actors and keep the link. */
struct actor_ref {
    struct exh_actor *a;
    size_t group;
};

static int cmp_actor_ref(const void *a, const void *b)
{
    return cmp_actor(((const struct actor_ref *)a)->a, ((const struct actor_ref *)b)->a);
}

/* Group findings by source address (findings must be sorted already): the
 * findings are sorted by (address, index), so each address is one run, read
 * in finding order: n log n whatever the number of addresses. */
static void actors(struct exh_finding *f, size_t n, struct exh_summary *s)
{
    struct by_ip *by = exh_xcalloc(n ? n : 1, sizeof(*by));
    size_t nby = 0;
    for (size_t i = 0; i < n; i++) {
        f[i].actor = -1;
        if (f[i].source_ip)
            by[nby++] = (struct by_ip){f[i].source_ip, i};
    }
    if (nby)
        qsort(by, nby, sizeof(*by), cmp_by_ip);
    /* one actor per run of equal addresses (group g starts at by[start[g]]) */
    size_t na = 0;
    for (size_t k = 0; k < nby; k++)
        na += !k || strcmp(by[k].ip, by[k - 1].ip) != 0;
    struct exh_actor *a = exh_xcalloc(na ? na : 1, sizeof(*a));
    size_t *start = exh_xcalloc(na + 1, sizeof(*start));
    size_t g = 0;
    for (size_t k = 0; k < nby; k++) {
        if (k && !strcmp(by[k].ip, by[k - 1].ip)) {
            g--; /* the same actor as the previous finding */
        } else {
            start[g] = k;
            a[g].ip = exh_xstrdup(by[k].ip);
            a[g].internal = exh_ip_internal(by[k].ip);
        }
        size_t i = by[k].i;
        struct exh_actor *x = &a[g++];
        x->findings++;
        if (f[i].has_ts) {
            if (!x->has_ts || f[i].ts_ms < x->first_ms)
                x->first_ms = f[i].ts_ms;
            if (!x->has_ts || f[i].ts_ms > x->last_ms)
                x->last_ms = f[i].ts_ms;
            x->has_ts = true;
        }
        if (f[i].rule->stage > x->stage)
            x->stage = f[i].rule->stage;
        if (f[i].rule->sev > x->sev)
            x->sev = f[i].rule->sev;
        size_t *first = &x->first_of_stage[f[i].rule->stage];
        if (!*first || (f[i].has_ts && (!f[*first - 1].has_ts || f[i].ts_ms < f[*first - 1].ts_ms)))
            *first = i + 1;
    }
    start[na] = nby;
    /* the final order, then the rule lists and the finding -> actor links */
    struct actor_ref *ord = exh_xcalloc(na ? na : 1, sizeof(*ord));
    for (size_t k = 0; k < na; k++)
        ord[k] = (struct actor_ref){&a[k], k};
    if (na)
        qsort(ord, na, sizeof(*ord), cmp_actor_ref);
    struct exh_actor *sorted = exh_xcalloc(na ? na : 1, sizeof(*sorted));
    for (size_t k = 0; k < na; k++) {
        sorted[k] = *ord[k].a;
        struct exh_buf rules = {0};
        for (size_t m = start[ord[k].group]; m < start[ord[k].group + 1]; m++) {
            struct exh_finding *fi = &f[by[m].i];
            fi->actor = (int)k;
            if (!exh_find_ci(rules.p ? rules.p : "", rules.n, fi->rule->id, strlen(fi->rule->id))) {
                if (rules.n)
                    exh_buf_addc(&rules, ',');
                exh_buf_adds(&rules, fi->rule->id);
            }
        }
        sorted[k].rules = exh_buf_detach(&rules);
    }
    free(ord);
    free(start);
    free(a);
    free(by);
    s->actors = na ? sorted : NULL;
    s->nactors = na;
    if (!na)
        free(sorted);
}

/* Label the autodiscover/remote-PowerShell chains by what each request could do
 * on this server. A ProxyShell-shaped request against a build that has the 2021
 * ProxyShell fixes (April and May 2021) can only be ProxyNotShell (an attempt,
 * when November 2022's fix is there too). An Rps_Http session from an unusual client is OWASSRF's
 * trace only when the logs show OWASSRF's /owa/<mailbox>/powershell; with only ProxyShell or
 * ProxyNotShell requests around, it is that chain's session. */
static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void relabel_chains(struct exh_emitter *em, const struct exh_summary *s)
{
    const struct exh_rule *R = exh_rules;
    bool owa = false, pns = false, ps = false;
    for (size_t i = 0; i < em->n; i++) {
        const struct exh_rule *r = em->f[i].rule;
        owa |= r == &R[EXH_RULE_OWA_ATTEMPT] || r == &R[EXH_RULE_OWA_EXPLOIT];
        pns |= r == &R[EXH_RULE_PNS_ATTEMPT] || r == &R[EXH_RULE_PNS_EXPLOIT];
        ps |= r == &R[EXH_RULE_PS_ATTEMPT] || r == &R[EXH_RULE_PS_EXPLOIT];
    }
    bool ps_fixed = s->has_build && exh_build_has_update(&s->build, "Apr21SU") &&
                    exh_build_has_update(&s->build, "May21SU");
    for (size_t i = 0; i < em->n; i++) {
        struct exh_finding *f = &em->f[i];
        /* with the ProxyShell fixes the autodiscover SSRF left is CVE-2022-41040's,
         * whether November 2022's fix is there too (then it is only an attempt) */
        if (ps_fixed) {
            if (f->rule == &R[EXH_RULE_PS_ATTEMPT])
                f->rule = &R[EXH_RULE_PNS_ATTEMPT], pns = true;
            else if (f->rule == &R[EXH_RULE_PS_EXPLOIT])
                f->rule = &R[EXH_RULE_PNS_EXPLOIT], pns = true;
        }
    }
    /* the NTLM handshake: a source that sent the shape with an account also sent
     * the 401s before it without one; they are the same ProxyNotShell requests */
    if (pns) {
        size_t nips = 0;
        const char **ips = exh_xmalloc((em->n + 1) * sizeof(*ips));
        for (size_t k = 0; k < em->n; k++)
            if ((em->f[k].rule == &R[EXH_RULE_PNS_ATTEMPT] ||
                 em->f[k].rule == &R[EXH_RULE_PNS_EXPLOIT]) &&
                em->f[k].source_ip)
                ips[nips++] = em->f[k].source_ip;
        qsort(ips, nips, sizeof(*ips), cmp_cstr);
        for (size_t i = 0; i < em->n; i++) {
            struct exh_finding *f = &em->f[i];
            if ((f->rule != &R[EXH_RULE_PS_ATTEMPT] && f->rule != &R[EXH_RULE_PS_EXPLOIT]) ||
                !f->source_ip)
                continue;
            if (bsearch(&f->source_ip, ips, nips, sizeof(*ips), cmp_cstr))
                f->rule = &R[f->rule == &R[EXH_RULE_PS_EXPLOIT] ? EXH_RULE_PNS_EXPLOIT
                                                                : EXH_RULE_PNS_ATTEMPT];
        }
        free(ips);
    }
    if (owa)
        return;
    for (size_t i = 0; i < em->n; i++) {
        struct exh_finding *f = &em->f[i];
        bool ok = f->rule == &R[EXH_RULE_OWA_RPS_EXPLOIT];
        if (!ok && f->rule != &R[EXH_RULE_OWA_RPS_ATTEMPT])
            continue;
        if (pns)
            f->rule = &R[ok ? EXH_RULE_PNS_EXPLOIT : EXH_RULE_PNS_ATTEMPT];
        else if (ps)
            f->rule = &R[ok ? EXH_RULE_PS_EXPLOIT : EXH_RULE_PS_ATTEMPT];
    }
}

/* Which scanners probed the server, and when: the noise findings, named by
 * the scanner in their user agent, else by what the probe was. */
static void scanners(const struct exh_finding *f, size_t n, struct exh_summary *s)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].rule->stage != EXH_STAGE_NOISE)
            continue;
        struct exh_str ua = exh_str_make(f[i].user_agent ? f[i].user_agent : "",
                                         f[i].user_agent ? strlen(f[i].user_agent) : 0);
        const char *name = exh_scanner_name(ua);
        if (!name)
            name =
                f[i].rule == &exh_rules[EXH_RULE_NOISE_LOCALHOST]
                    ? "ProxyLogon check (x.js or localhost probe: nmap script, Metasploit, nuclei)"
                : f[i].rule == &exh_rules[EXH_RULE_NOISE_EXPORTTOOL]
                    ? "Exchange version probe (export tool manifest)"
                    : "unnamed scanner";
        size_t k = 0;
        while (k < s->nscanners && strcmp(s->scanners[k].name, name))
            k++;
        if (k == s->nscanners) {
            s->scanners = exh_xrealloc(s->scanners, (k + 1) * sizeof(*s->scanners));
            memset(&s->scanners[k], 0, sizeof(s->scanners[k]));
            s->scanners[k].name = name;
            s->nscanners++;
        }
        struct exh_scanner *sc = &s->scanners[k];
        sc->probes++;
        if (f[i].has_ts) {
            if (!sc->has_ts || f[i].ts_ms < sc->first_ms)
                sc->first_ms = f[i].ts_ms;
            if (!sc->has_ts || f[i].ts_ms > sc->last_ms)
                sc->last_ms = f[i].ts_ms;
            sc->has_ts = true;
        }
    }
}

void exh_judge(const struct exh_scan_opts *o, struct exh_fileobs *obs, size_t nobs,
               const struct exh_reqagg *reqs, size_t nreqs, struct exh_emitter *em,
               struct exh_result *res)
{
    struct exh_summary *s = &res->sum;
    coverage(obs, nobs, s);
    exposure(obs, nobs, em, s);
    relabel_chains(em, s);
    shell_use(reqs, nreqs, em);
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
    actors(em->f, em->n, s);
    exh_clients_judge(&em->clients, s);
    exh_clients_release(&em->clients);
    for (size_t i = 0; i < s->nactors; i++)
        s->actors[i].proxy = exh_summary_proxy(s, s->actors[i].ip);
    scanners(em->f, em->n, s);
    if (em->ne)
        exh_sort_errors(em->e, em->ne);
    res->findings = em->f;
    res->nfindings = em->n;
    res->errors = em->e;
    res->nerrors = em->ne;
    s->findings = em->n;
    s->filtered = em->filtered;
    s->files_errors = 0;
    s->not_read = 0;
    for (size_t i = 0; i < em->ne; i++) {
        if (em->e[i].info)
            s->not_read++;
        else
            s->files_errors++;
    }
    bool compromised = false, targeted = false, exposed = false;
    for (size_t i = 0; i < em->n; i++) {
        const struct exh_rule *r = em->f[i].rule;
        if (s->host && !em->f[i].host)
            em->f[i].host = exh_xstrdup(s->host);
        s->by_sev[r->sev]++;
        s->by_stage[r->stage]++;
        if (r->sev < EXH_SEV_MEDIUM)
            continue; /* leads and noise never decide the verdict */
        /* attempts from inside the network (scanners, monitoring, admins
         * testing) do not make the server "targeted" on their own; a load
         * balancer that hides its clients is not inside, nor is a private
         * address only a client-writable header gives */
        if (r->stage == EXH_STAGE_ATTEMPT && em->f[i].source_ip && em->f[i].source_vouched &&
            exh_ip_internal(em->f[i].source_ip) && !exh_summary_proxy(s, em->f[i].source_ip))
            continue;
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
        s->verdict_reason =
            "the Exchange build lacks fixes for exploited flaws or is out of support";
    } else if (s->files_errors > 0) {
        s->verdict = EXH_VERDICT_INCOMPLETE;
        s->verdict_reason = "nothing was found, but some input could not be read";
    } else if (s->files_read == 0) {
        s->verdict = EXH_VERDICT_INCOMPLETE;
        s->verdict_reason = "no file could be read, so nothing can be said";
    } else {
        s->verdict = EXH_VERDICT_CLEAN;
        bool leads = s->by_sev[EXH_SEV_LOW] + s->by_sev[EXH_SEV_INFO] > 0;
        if (leads)
            s->verdict_reason =
                s->ncoverage ? "no sign of attack in the evidence read (see coverage); the "
                               "low/info findings listed are leads to review"
                             : "no sign of attack; the low/info findings listed are leads to "
                               "review; no Exchange or IIS logs were among the files";
        else
            s->verdict_reason =
                s->ncoverage ? "nothing was found in the evidence read (see coverage)"
                             : "nothing was found; no Exchange or IIS logs were among the files";
    }
    s->exit_code = exh_verdict_exit_code(s->verdict);
}
