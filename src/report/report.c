/* report.c: choosing a reporter and feeding it a result. */
#include <stdint.h>
#include <stdio.h>
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

/* ---- folding repeats (text) ---- */

/* Only attempts and noise are folded: findings at exploitation or beyond are
 * each evidence of their own and always printed. */
static bool foldable(const struct exh_finding *f)
{
    return f->url && f->rule->stage <= EXH_STAGE_ATTEMPT;
}

/* The shape of a finding's request: rule, method, URL path (no query),
 * status, and in a timeline the actor. */
static char *shape_key(const struct exh_finding *f, bool by_actor)
{
    const char *u = f->url;
    size_t un = strcspn(u, "?");
    size_t n = un + (f->method ? strlen(f->method) : 0) + 64;
    char *k = malloc(n);
    if (!k)
        abort();
    snprintf(k, n, "%zu|%d|%d|%s|%.*s", (size_t)(f->rule - exh_rules), by_actor ? f->actor : -2,
             f->status, f->method ? f->method : "", (int)un, u);
    return k;
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct group {
    char *key;
    size_t rep; /* position in the order of the finding printed */
    struct exh_repeats r;
};

struct ipref {
    size_t g;
    const char *ip;
};

static int cmp_ipref(const void *a, const void *b)
{
    const struct ipref *x = a, *y = b;
    if (x->g != y->g)
        return x->g < y->g ? -1 : 1;
    return strcmp(x->ip, y->ip);
}

/* gid[i]: the group of the finding at position i (SIZE_MAX: not foldable) */
static struct group *fold(const struct exh_result *res, const size_t *order, bool by_actor,
                          size_t *gid, size_t *ngroups)
{
    size_t n = res->nfindings, cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = malloc(cap * sizeof(*slot)); /* group index + 1; 0 empty */
    struct group *g = malloc((n ? n : 1) * sizeof(*g));
    struct ipref *ips = malloc((n ? n : 1) * sizeof(*ips));
    if (!slot || !g || !ips)
        abort();
    memset(slot, 0, cap * sizeof(*slot));
    size_t ng = 0, nips = 0;
    for (size_t i = 0; i < n; i++) {
        const struct exh_finding *f = &res->findings[order[i]];
        gid[i] = SIZE_MAX;
        if (!foldable(f))
            continue;
        char *k = shape_key(f, by_actor);
        size_t h = (size_t)fnv(k) & (cap - 1);
        while (slot[h] && strcmp(g[slot[h] - 1].key, k) != 0)
            h = (h + 1) & (cap - 1);
        struct group *gr;
        if (!slot[h]) {
            gr = &g[ng];
            memset(gr, 0, sizeof(*gr));
            gr->key = k;
            gr->rep = i;
            slot[h] = ++ng;
        } else {
            gr = &g[slot[h] - 1];
            free(k);
            gr->r.n++;
            if (f->source_ip && gr->r.nexamples < 3) {
                const char *first = res->findings[order[gr->rep]].source_ip;
                bool seen = first && !strcmp(first, f->source_ip);
                for (size_t e = 0; e < gr->r.nexamples && !seen; e++)
                    seen = !strcmp(gr->r.examples[e], f->source_ip);
                if (!seen)
                    gr->r.examples[gr->r.nexamples++] = f->source_ip;
            }
        }
        gid[i] = slot[h] - 1;
        if (f->has_ts) {
            if (!gr->r.has_ts || f->ts_ms < gr->r.first_ms)
                gr->r.first_ms = f->ts_ms;
            if (!gr->r.has_ts || f->ts_ms > gr->r.last_ms)
                gr->r.last_ms = f->ts_ms;
            gr->r.has_ts = true;
        }
        if (f->source_ip)
            ips[nips++] = (struct ipref){gid[i], f->source_ip};
    }
    qsort(ips, nips, sizeof(*ips), cmp_ipref);
    for (size_t i = 0; i < nips; i++)
        if (!i || ips[i].g != ips[i - 1].g || strcmp(ips[i].ip, ips[i - 1].ip) != 0)
            g[ips[i].g].r.addresses++;
    free(ips);
    free(slot);
    *ngroups = ng;
    return g;
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
    if (r->ops->repeats && !r->all) {
        size_t *gid = malloc((res->nfindings ? res->nfindings : 1) * sizeof(*gid));
        if (!gid)
            abort();
        size_t ng = 0;
        struct group *g = fold(res, order, r->timeline, gid, &ng);
        for (size_t i = 0; i < res->nfindings; i++) {
            if (gid[i] != SIZE_MAX && g[gid[i]].rep != i)
                continue; /* folded into the first of its shape */
            const struct exh_finding *f = &res->findings[order[i]];
            r->ops->finding(r, f);
            if (gid[i] != SIZE_MAX && g[gid[i]].r.n)
                r->ops->repeats(r, f, &g[gid[i]].r);
        }
        for (size_t i = 0; i < ng; i++)
            free(g[i].key);
        free(g);
        free(gid);
    } else {
        for (size_t i = 0; i < res->nfindings; i++)
            r->ops->finding(r, &res->findings[order[i]]);
    }
    free(order);
    for (size_t i = 0; i < res->nerrors; i++)
        r->ops->error(r, &res->errors[i]);
    r->ops->summary(r, res);
}
