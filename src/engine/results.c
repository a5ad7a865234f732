/* results.c: merging the workers' findings, errors, requests and observations
 * into one result, then the judge. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "exh/banned.h"

static void feeds_summary(const struct engine *e, struct exh_result *out);

static int cmp_ioc_meta(const void *a, const void *b)
{
    const struct exh_ioc_meta *x = *(const struct exh_ioc_meta *const *)a,
                              *y = *(const struct exh_ioc_meta *const *)b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return strcasecmp(x->value, y->value);
}

static int cmp_req(const void *a, const void *b)
{
    return strcmp(((const struct exh_reqagg *)a)->stem, ((const struct exh_reqagg *)b)->stem);
}

/* Move an emitter's findings, errors and page requests into dst's, line
 * numbers shifted by base (a piece's numbers made file-wide). An error equal
 * to the one absorbed just before (a file that would not open, once per
 * piece) is dropped. */
void eng_absorb(struct exh_emitter *dst, struct exh_emitter *src, uint64_t base)
{
    for (size_t k = 0; k < src->n; k++) {
        struct exh_finding *f = &src->f[k];
        if (f->line)
            f->line += base;
        exh_emit_raw(dst, f);
    }
    for (size_t k = 0; k < src->ne; k++) {
        struct exh_error_rec *r = &src->e[k];
        const struct exh_error_rec *last = dst->ne ? &dst->e[dst->ne - 1] : NULL;
        if (last && last->code == r->code && !strcmp(last->path, r->path) &&
            !strcmp(last->message ? last->message : "", r->message ? r->message : "")) {
            free(r->path);
            free(r->message);
            continue;
        }
        if (dst->ne == dst->cape) {
            dst->cape = dst->cape ? dst->cape * 2 : 16;
            dst->e = exh_xrealloc(dst->e, dst->cape * sizeof(*dst->e));
        }
        dst->e[dst->ne++] = *r;
    }
    for (size_t k = 0; k < src->nreq; k++) {
        struct exh_reqagg *r = &src->req[k];
        if (r->has_ex && r->ex.line)
            r->ex.line += base;
        if (dst->nreq == dst->capreq) {
            dst->capreq = dst->capreq ? dst->capreq * 2 : 64;
            dst->req = exh_xrealloc(dst->req, dst->capreq * sizeof(*dst->req));
        }
        dst->req[dst->nreq++] = *r;
    }
    dst->filtered += src->filtered;
    exh_clients_absorb(&dst->clients, &src->clients);
    src->n = src->ne = src->nreq = 0; /* moved: only the arrays are left to free */
    exh_emitter_release(src);
}

void exh_fileobs_release(struct exh_fileobs *o)
{
    free(o->rel);
    free(o->source);
    free(o->host);
    memset(o, 0, sizeof(*o));
}

void eng_worker_release(struct worker *w)
{
    for (size_t i = 0; i < w->nobs; i++)
        exh_fileobs_release(&w->obs[i]);
    free(w->obs);
    w->obs = NULL;
    w->nobs = w->capobs = 0;
    exh_exlog_header_release(&w->hdr);
    exh_exlog_row_release(&w->row);
    exh_buf_release(&w->hdr_txt);
    eng_worker_archive_release(w);
}

/* Merge the workers' findings, errors and observations, then judge. */
void eng_finish(struct engine *e, struct worker *ws, int nthreads, struct exh_result *out)
{
    const struct exh_scan_opts *o = e->o;
    /* merge */
    struct exh_emitter *all = &e->main_em;
    for (size_t i = 0; i < e->njobs; i++)
        if (e->jobs[i].split && e->jobs[i].piece == 0)
            eng_merge_split(&ws[0], &e->jobs[i]);
    size_t nobs = 0;
    for (int i = 0; i < nthreads; i++)
        nobs += ws[i].nobs;
    struct exh_fileobs *obs = exh_xcalloc(nobs ? nobs : 1, sizeof(*obs));
    nobs = 0;
    for (int i = 0; i < nthreads; i++) {
        struct worker *w = &ws[i];
        eng_absorb(all, &w->own, 0); /* findings, errors and page requests */
        if (w->nobs)
            memcpy(obs + nobs, w->obs, w->nobs * sizeof(*obs));
        nobs += w->nobs;
        out->sum.records += w->records;
        out->sum.bytes += w->bytes;
        out->sum.files_read += w->files_read;
        e->seen += w->seen_inside;
        w->nobs = 0; /* moved into obs[] above */
        eng_worker_release(w);
    }
    struct exh_reqagg *reqs = all->req;
    size_t nreqs = all->nreq;
    all->req = NULL;
    all->nreq = all->capreq = 0;
    for (size_t i = 0; i < all->ne; i++)
        all->e[i].seq_ = i; /* the order they were met in, file by file */
    out->sum.files_seen = e->seen;
    out->sum.files_skipped = e->skipped;
    out->sum.exchange_roots = e->roots;
    out->sum.nexchange_roots = e->nroots;
    e->roots = NULL;
    e->nroots = 0;
    /* one aggregate per page: sort by stem and fold equal ones */
    if (nreqs)
        qsort(reqs, nreqs, sizeof(*reqs), cmp_req);
    size_t k = 0;
    for (size_t i = 0; i < nreqs; i++) {
        if (k && !strcmp(reqs[k - 1].stem, reqs[i].stem))
            exh_reqagg_merge(&reqs[k - 1], &reqs[i]);
        else
            reqs[k++] = reqs[i];
    }
    nreqs = k;
    exh_judge(o, obs, nobs, reqs, nreqs, all, out);
    feeds_summary(e, out);
    for (size_t i = 0; i < nreqs; i++)
        exh_reqagg_release(&reqs[i]);
    free(reqs);
    for (size_t i = 0; i < nobs; i++)
        exh_fileobs_release(&obs[i]);
    free(obs);
}

/* The feeds, when an --ioc file is among them: what each gave, and the
 * distinct indicators of each type the findings matched. */
static void feeds_summary(const struct engine *e, struct exh_result *out)
{
    size_t nf = exh_iocset_nfeeds(e->iocs), user = 0;
    for (size_t i = 0; i < nf; i++)
        user += !exh_iocset_feed(e->iocs, i)->builtin;
    if (!user)
        return;
    struct exh_summary *s = &out->sum;
    s->feeds = exh_xcalloc(nf, sizeof(*s->feeds));
    s->nfeeds = nf;
    for (size_t i = 0; i < nf; i++) {
        const struct exh_ioc_feed *f = exh_iocset_feed(e->iocs, i);
        struct exh_ioc_feed_sum *d = &s->feeds[i];
        d->name = exh_xstrdup(f->name);
        d->format = exh_ioc_format_name(f->format);
        d->builtin = f->builtin;
        for (int t = 0; t < EXH_IOC__COUNT; t++)
            d->loaded[t] = f->loaded[t];
        d->unused = f->unused;
        d->bad = f->bad;
    }
    /* each indicator value matched counts once for every feed that lists it
     * (a public feed repeated in a built-in list: the finding names the
     * first), however many findings name it; sorted, so n log n */
    const struct exh_ioc_meta **v = exh_xcalloc(out->nfindings + 1, sizeof(*v));
    size_t nv = 0;
    for (size_t i = 0; i < out->nfindings; i++)
        if (out->findings[i].ioc_meta_)
            v[nv++] = out->findings[i].ioc_meta_;
    qsort(v, nv, sizeof(*v), cmp_ioc_meta);
    bool *hit = exh_xcalloc(nf + 1, sizeof(*hit));
    size_t nm = exh_iocset_nmetas(e->iocs);
    for (size_t i = 0; i < nv; i++) {
        if (i && !cmp_ioc_meta(&v[i - 1], &v[i]))
            continue;
        memset(hit, 0, (nf + 1) * sizeof(*hit));
        for (size_t k = 0; k < nm; k++) {
            const struct exh_ioc_meta *m = exh_iocset_meta(e->iocs, k);
            if (m->feed_ix < nf && !hit[m->feed_ix] && m->type == v[i]->type &&
                (m == v[i] || !strcasecmp(m->value, v[i]->value))) {
                hit[m->feed_ix] = true;
                s->feeds[m->feed_ix].matched[m->type]++;
            }
        }
    }
    free(hit);
    free(v);
}

void exh_result_release(struct exh_result *r)
{
    for (size_t i = 0; i < r->nfindings; i++)
        exh_finding_release(&r->findings[i]);
    free(r->findings);
    for (size_t i = 0; i < r->nerrors; i++) {
        free(r->errors[i].path);
        free(r->errors[i].message);
    }
    free(r->errors);
    for (size_t i = 0; i < r->sum.ncoverage; i++)
        free(r->sum.coverage[i].source);
    free(r->sum.coverage);
    free(r->sum.host);
    free(r->sum.build_name);
    free(r->sum.build_path);
    for (size_t i = 0; i < r->sum.nproxies; i++)
        free(r->sum.proxies[i]);
    free(r->sum.proxies);
    free(r->sum.build_missing);
    free(r->sum.build_date);
    free(r->sum.build_newest);
    for (size_t i = 0; i < r->sum.nactors; i++) {
        free(r->sum.actors[i].ip);
        free(r->sum.actors[i].rules);
    }
    free(r->sum.actors);
    free(r->sum.scanners);
    for (size_t i = 0; i < r->sum.nfeeds; i++)
        free(r->sum.feeds[i].name);
    free(r->sum.feeds);
    for (size_t i = 0; i < r->sum.nexchange_roots; i++)
        free(r->sum.exchange_roots[i]);
    free(r->sum.exchange_roots);
    for (size_t i = 0; i < r->nroots; i++)
        free(r->roots[i]);
    free(r->roots);
    memset(r, 0, sizeof(*r));
}
