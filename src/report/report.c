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
    if (!strcmp(name, "html"))
        return &exh_report_html;
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
 * status, and the group it is printed in (in a timeline the actor). */
static char *shape_key(const struct exh_finding *f, int group)
{
    struct exh_buf k = {0};
    exh_buf_addf(&k, "%zu|%d|%d|%s|", (size_t)(f->rule - exh_rules), group, f->status,
                 f->method ? f->method : "");
    exh_buf_add(&k, f->url, strcspn(f->url, "?"));
    exh_buf_addc(&k, '\0');
    return exh_buf_detach(&k);
}

struct keyed {
    char *key;
    size_t pos; /* in the order of printing */
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Groups of foldable findings of one shape, found by sorting their keys: each
 * run of one key is a group, printed at its first position (report.h). */
struct exh_repeats *exh_report_fold(const struct exh_result *res, const size_t *order,
                                    const int *group, struct exh_repeats **rep, bool *folded)
{
    size_t n = res->nfindings, nk = 0;
    struct keyed *k = exh_xmalloc((n ? n : 1) * sizeof(*k));
    for (size_t i = 0; i < n; i++) {
        const struct exh_finding *f = &res->findings[order[i]];
        if (foldable(f))
            k[nk++] = (struct keyed){shape_key(f, group ? group[i] : -2), i};
    }
    qsort(k, nk, sizeof(*k), cmp_keyed);
    struct exh_repeats *g = exh_xcalloc(nk ? nk : 1, sizeof(*g));
    const char **ips = exh_xmalloc((nk ? nk : 1) * sizeof(*ips));
    size_t ng = 0;
    for (size_t i = 0, j; i < nk; i = j) {
        for (j = i + 1; j < nk && !strcmp(k[j].key, k[i].key); j++)
            ;
        struct exh_repeats *gr = &g[ng++];
        const char *first_ip = res->findings[order[k[i].pos]].source_ip;
        size_t nips = 0;
        for (size_t m = i; m < j; m++) {
            const struct exh_finding *f = &res->findings[order[k[m].pos]];
            folded[k[m].pos] = m > i;
            if (f->has_ts) {
                if (!gr->has_ts || f->ts_ms < gr->first_ms)
                    gr->first_ms = f->ts_ms;
                if (!gr->has_ts || f->ts_ms > gr->last_ms)
                    gr->last_ms = f->ts_ms;
                gr->has_ts = true;
            }
            if (!f->source_ip)
                continue;
            ips[nips++] = f->source_ip;
            bool seen = first_ip && !strcmp(first_ip, f->source_ip);
            for (size_t e = 0; e < gr->nexamples && !seen; e++)
                seen = !strcmp(gr->examples[e], f->source_ip);
            if (!seen && gr->nexamples < 3)
                gr->examples[gr->nexamples++] = f->source_ip;
        }
        gr->n = j - i - 1;
        qsort(ips, nips, sizeof(*ips), cmp_cstr);
        for (size_t m = 0; m < nips; m++)
            gr->addresses += !m || strcmp(ips[m], ips[m - 1]) != 0;
        rep[k[i].pos] = gr;
    }
    for (size_t i = 0; i < nk; i++)
        free(k[i].key);
    free(k);
    free(ips);
    return g;
}

size_t *exh_report_order(const struct exh_result *res, bool timeline)
{
    size_t *order = exh_xmalloc((res->nfindings ? res->nfindings : 1) * sizeof(*order));
    for (size_t i = 0; i < res->nfindings; i++)
        order[i] = i;
    if (timeline && res->nfindings) {
        order_res = res; /* qsort has no context argument in C11 */
        qsort(order, res->nfindings, sizeof(*order), cmp_timeline);
        order_res = NULL;
    }
    return order;
}

/* Order of the summary's actors: the furthest stage reached, then severity,
 * findings, first seen, address. */
static const struct exh_actor *sort_actors_base;

static int cmp_actor(const void *a, const void *b)
{
    const struct exh_actor *x = &sort_actors_base[*(const size_t *)a];
    const struct exh_actor *y = &sort_actors_base[*(const size_t *)b];
    if (x->stage != y->stage)
        return x->stage > y->stage ? -1 : 1;
    if (x->sev != y->sev)
        return x->sev > y->sev ? -1 : 1;
    if (x->findings != y->findings)
        return x->findings > y->findings ? -1 : 1;
    if (x->has_ts != y->has_ts)
        return x->has_ts ? -1 : 1;
    if (x->has_ts && x->first_ms != y->first_ms)
        return x->first_ms < y->first_ms ? -1 : 1;
    return strcmp(x->ip, y->ip);
}

void exh_report_sort_actors(const struct exh_summary *s, size_t *idx, size_t n)
{
    sort_actors_base = s->actors;
    qsort(idx, n, sizeof(*idx), cmp_actor);
    sort_actors_base = NULL;
}

void exh_report_result(struct exh_report *r, const struct exh_result *res)
{
    r->res = res;
    if (r->ops->begin)
        r->ops->begin(r);
    size_t *order = exh_report_order(res, r->timeline);
    if (r->ops->repeats && !r->all) {
        size_t n = res->nfindings ? res->nfindings : 1;
        struct exh_repeats **rep = exh_xcalloc(n, sizeof(*rep));
        bool *folded = exh_xcalloc(n, sizeof(*folded));
        int *group = NULL;
        if (r->timeline) {
            group = exh_xmalloc(n * sizeof(*group));
            for (size_t i = 0; i < res->nfindings; i++)
                group[i] = res->findings[order[i]].actor;
        }
        struct exh_repeats *g = exh_report_fold(res, order, group, rep, folded);
        free(group);
        for (size_t i = 0; i < res->nfindings; i++) {
            if (folded[i])
                continue; /* folded into the first of its shape */
            const struct exh_finding *f = &res->findings[order[i]];
            r->ops->finding(r, f);
            if (rep[i] && rep[i]->n)
                r->ops->repeats(r, f, rep[i]);
        }
        free(g);
        free(rep);
        free(folded);
    } else {
        for (size_t i = 0; i < res->nfindings; i++)
            r->ops->finding(r, &res->findings[order[i]]);
    }
    free(order);
    for (size_t i = 0; i < res->nerrors; i++)
        r->ops->error(r, &res->errors[i]);
    r->ops->summary(r, res);
}
