/* scan.c: walk -> classify -> read -> detect, on a pool of worker threads.
 *
 * The main thread walks the PATHs and builds the job list (largest files
 * first), then workers take jobs with an atomic counter; each worker owns its
 * buffers, findings and observations, so the hot path takes no lock. Each
 * log file is mapped once; a multi-literal pre-filter finds the lines worth
 * parsing and only those are split into fields.
 *
 * This file holds the entry points and the thread pool; the parts are
 * walk.c (the plan), needles.c (the pre-filters), dispatch.c (one file),
 * textlog.c (the text-log reader loop), pieces.c (a large log in pieces) and
 * results.c (the merge), sharing engine.h. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "engine.h"
#include "exh/evtx.h"
#include "exh/hash.h"
#include "exh/match.h"
#include "exh/yara.h"
#include "exh/os.h"
#include "exh/pe.h"
#include "exh/mitigation.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

#define MAX_THREADS 64
/* Pieces of a large text log (engine.piece_bytes). */
#define PIECE_BYTES_DEFAULT ((uint64_t)64 << 20)

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct engine *e = w->e;
    for (;;) {
        size_t i = atomic_fetch_add(&e->next, 1);
        if (i >= e->njobs)
            break;
        if (e->o->on_file)
            e->o->on_file(e->o->on_file_ud, e->jobs[i].path, false);
        if (e->jobs[i].split)
            eng_scan_piece(w, &e->jobs[i]);
        else
            eng_scan_job(w, &e->jobs[i]);
        if (e->o->on_file)
            e->o->on_file(e->o->on_file_ud, e->jobs[i].path, true);
        atomic_store(&w->nfound, w->own.n);
        atomic_fetch_add(&e->done_files, 1);
        atomic_fetch_add(&e->done_bytes, e->jobs[i].size);
    }
    atomic_fetch_sub(&e->running, 1);
    return NULL;
}

static void engine_iocs(struct engine *e, const struct exh_scan_opts *o)
{
    if (o->iocs) {
        e->iocs = o->iocs;
    } else {
        e->iocs = exh_iocset_new(true);
        e->own_iocs = true;
    }
    exh_iocset_prepare(e->iocs);
    if (o->nyara_paths || (exh_iocset_nyara(e->iocs) && exh_yara_available())) {
        struct exh_buf msg = {0};
        exh_yara_load(o->yara_paths, o->nyara_paths, e->iocs, &e->yara, &msg);
        if (msg.n) /* files that did not load; the others are used */
            e->yara_error = exh_buf_detach(&msg);
        exh_buf_release(&msg);
    }
}

static void engine_free(struct engine *e)
{
    for (size_t i = 0; i < e->njobs; i++) {
        struct job *j = &e->jobs[i];
        if (j->piece)
            continue; /* shares the first piece's strings */
        free(j->path);
        free(j->rel);
        eng_member_release(j->mem);
        if (j->split) {
            for (uint32_t k = 0; k < j->split->n; k++) {
                exh_buf_release(&j->split->p[k].fields_in);
                exh_buf_release(&j->split->p[k].fields_out);
            }
            free(j->split->p);
            free(j->split);
        }
    }
    free(e->jobs);
    for (size_t i = 0; i < e->nroots; i++)
        free(e->roots[i]);
    free(e->roots);
    exh_strset_release(&e->pages);
    exh_strset_release(&e->rootset);
    for (int fam = 0; fam < EXH_FAM__COUNT; fam++) {
        exh_matcher_free(e->matcher[fam]);
        free(e->line_dets[fam]);
    }
    free(e->event_dets);
    if (e->own_iocs)
        exh_iocset_free(e->iocs);
    exh_yara_free(e->yara);
    free(e->yara_error);
    free(e);
}

void exh_scan_opts_init(struct exh_scan_opts *o)
{
    memset(o, 0, sizeof(*o));
}

static int64_t now_ms(const struct exh_scan_opts *o)
{
    return o->frozen_clock ? o->frozen_now_ms : exh_os_now_ms();
}

/* An engine with its indicator set, YARA rules and main emitter. */
static struct engine *engine_new(const struct exh_scan_opts *o)
{
    struct engine *e = exh_xcalloc(1, sizeof(*e));
    e->o = o;
    engine_iocs(e, o);
    exh_emitter_init(&e->main_em, o, e->iocs, e->yara);
    for (char *p = e->yara_error; p && *p;) { /* one error record per line */
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        /* a rule text of an indicator file, or a --yara file */
        exh_emit_error(&e->main_em, strncmp(p, "YARA rule of ", 13) ? "--yara" : "--ioc",
                       EXH_ERR_USAGE, p);
        p = nl ? nl + 1 : NULL;
    }
    e->piece_bytes = o->piece_bytes ? o->piece_bytes : PIECE_BYTES_DEFAULT;
    return e;
}

enum exh_err exh_scan(const struct exh_scan_opts *o, struct exh_result *out)
{
    memset(out, 0, sizeof(*out));
    int64_t t0 = o->frozen_clock ? 0 : exh_os_mono_ms();
    out->sum.started_ms = now_ms(o);
    struct engine *e = engine_new(o);

    eng_plan(e, o, out);
    eng_build_matchers(e);

    int nthreads = o->threads > 0 ? o->threads : exh_os_cpu_count();
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    if ((size_t)nthreads > e->njobs)
        nthreads = e->njobs ? (int)e->njobs : 1;
    struct worker *ws = exh_xcalloc((size_t)nthreads, sizeof(*ws));
    atomic_store(&e->running, nthreads);
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        ws[i].e = e;
        exh_emitter_init(&ws[i].own, o, e->iocs, e->yara);
        ws[i].own.pages = &e->pages;
        ws[i].em = &ws[i].own;
        eng_worker_serials(&ws[i]);
        exh_exlog_header_init(&ws[i].hdr);
        exh_exlog_row_init(&ws[i].row);
    }
    for (int i = 1; i < nthreads; i++) {
        if (exh_os_thread_start(&ws[i].th, worker_main, &ws[i]) != EXH_OK) {
            atomic_fetch_sub(&e->running, nthreads - i);
            break;
        }
        started++;
    }
    if (o->progress) {
        /* the calling thread reports progress while the workers run, and
         * joins in as a worker only when nobody else could be started */
        if (started == 0) {
            worker_main(&ws[0]);
        } else {
            struct exh_thread *t0th = NULL;
            if (exh_os_thread_start(&t0th, worker_main, &ws[0]) != EXH_OK)
                atomic_fetch_sub(&e->running, 1);
            while (atomic_load(&e->running) > 0) {
                exh_os_sleep_ms(100);
                struct exh_progress p = {0};
                p.files_done = atomic_load(&e->done_files);
                p.files_total = e->njobs;
                p.bytes_done = atomic_load(&e->done_bytes);
                p.bytes_total = e->bytes_total;
                for (int i = 0; i < nthreads; i++)
                    p.findings += atomic_load(&ws[i].nfound);
                o->progress(o->progress_ud, &p);
            }
            if (t0th)
                exh_os_thread_join(t0th);
        }
    } else {
        worker_main(&ws[0]);
    }
    for (int i = 1; i <= started; i++)
        exh_os_thread_join(ws[i].th);

    eng_finish(e, ws, nthreads, out);
    free(ws);
    out->sum.elapsed_ms = o->frozen_clock ? 0 : exh_os_mono_ms() - t0;

    engine_free(e);
    return EXH_OK;
}

enum exh_err exh_scan_memory(const struct exh_scan_opts *o, const char *name, const uint8_t *data,
                             size_t n, struct exh_result *out)
{
    memset(out, 0, sizeof(*out));
    out->sum.started_ms = now_ms(o);
    struct engine *e = engine_new(o);
    eng_build_matchers(e);
    struct worker w;
    memset(&w, 0, sizeof(w));
    w.e = e;
    exh_emitter_init(&w.own, o, e->iocs, e->yara);
    w.own.pages = &e->pages;
    w.em = &w.own;
    eng_worker_serials(&w);
    char *url = exh_served_url(name);
    if (url)
        exh_strset_add(&e->pages, url);
    free(url);
    exh_exlog_header_init(&w.hdr);
    exh_exlog_row_init(&w.row);
    struct job j;
    memset(&j, 0, sizeof(j));
    j.path = (char *)name;
    j.rel = (char *)name;
    j.size = n;
    e->seen = 1;
    eng_scan_data(&w, &j, data, n);
    eng_finish(e, &w, 1, out);
    engine_free(e);
    return EXH_OK;
}

void exh_scan_literals(const struct exh_scan_opts *o,
                       void (*cb)(void *ud, int family, const char *lit), void *ud)
{
    struct engine *e = engine_new(o);
    for (int fam = 1; fam < EXH_FAM__COUNT; fam++) {
        bool any = false, all = false;
        for (size_t i = 0; i < exh_ndetectors; i++) {
            const struct exh_detector *d = &exh_detectors[i];
            if ((d->inputs & (1u << fam)) && d->on_line) {
                any = true;
                all |= d->all_lines;
            }
        }
        if (!any || all)
            continue; /* no line checks, or every line is read */
        const char **needles = NULL;
        size_t nn = 0, cap = 0;
        eng_family_needles(e, fam, &needles, &nn, &cap);
        for (size_t i = 0; i < nn; i++)
            cb(ud, fam, needles[i]);
        free(needles);
    }
    engine_free(e);
}
