/* dispatch.c: one file: map it, classify it, hand it to its reader (text log,
 * .evtx, or none), read the server facts it holds, and run the whole-file
 * detectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "engine.h"
#include "exh/evtx.h"
#include "exh/hash.h"
#include "exh/os.h"
#include "exh/pe.h"
#include "exh/mitigation.h"
#include "exh/banned.h"

/* ------------------------------------------------------- event logs -- */

struct evtx_ctx {
    struct worker *w;
    const struct exh_file *f;
    struct exh_fileobs *o;
};

static int on_event_record(void *ud, const struct exh_evtx_record *r)
{
    struct evtx_ctx *x = ud;
    struct engine *e = x->w->e;
    if (r->has_time) {
        if (!x->o->has_time || r->time_ms < x->o->first_ms)
            x->o->first_ms = r->time_ms;
        if (!x->o->has_time || r->time_ms > x->o->last_ms)
            x->o->last_ms = r->time_ms;
        x->o->has_time = true;
    }
    if (!x->o->source && r->channel.n && r->channel.n < 128) {
        struct exh_buf b = {0};
        exh_buf_adds(&b, "EventLog/");
        exh_buf_add(&b, r->channel.p, r->channel.n);
        x->o->source = exh_buf_detach(&b);
    }
    if (!x->o->host && r->computer.n && r->computer.n < 256)
        x->o->host = exh_xstrndup(r->computer.p, r->computer.n);
    x->w->records++;
    struct exh_evrec ev = {x->f, r};
    for (size_t i = 0; i < e->nevent_dets; i++)
        e->event_dets[i]->on_event(x->w->em, &ev);
    return 0;
}

static void on_event_problem(void *ud, enum exh_evtx_problem what, uint32_t chunk, uint64_t offset,
                             const char *detail)
{
    struct evtx_ctx *x = ud;
    if (what == EXH_EVTX_BAD_CHUNK_CRC)
        return; /* the records are still read; a CRC alone loses no evidence */
    char msg[200];
    snprintf(msg, sizeof(msg), "%s (chunk %u, offset %llu)", detail, chunk,
             (unsigned long long)offset);
    exh_emit_error(x->w->em, x->f->rel, EXH_ERR_CORRUPT, msg);
}

static void scan_evtx(struct worker *w, struct exh_file *f)
{
    struct exh_fileobs *o = eng_new_obs(w, f);
    struct evtx_ctx x = {w, f, o};
    struct exh_evtx_cb cb = {&x, on_event_record, on_event_problem};
    struct exh_evtx_stats st;
    exh_evtx_read(f->data, f->n, &cb, &st);
    if (!o->source)
        o->source = exh_xstrdup("EventLog");
}

/* Is rel below a folder named like "FrontEnd/HttpProxy/bin" (any case)? */
static bool under_ci(const char *rel, const char *folder)
{
    size_t n = strlen(folder);
    const char *m = exh_find_ci(rel, strlen(rel), folder, n);
    return m && (m == rel || m[-1] == '/') && m[n] == '/';
}

/* Facts about the server that are not evidence of an attack: the version of
 * Exchange's setup and front-end binaries, and the mitigations in force (URL
 * Rewrite rules, the Emergency Mitigation service's log). Each becomes an
 * observation for the exposure judgement (judge.c). */
static void observe_server(struct worker *w, const struct exh_file *f, size_t nobs0)
{
    struct exh_str name = exh_str_make(f->name, strlen(f->name));
    bool setup = exh_eq_ci(name, "ExSetup.exe") && under_ci(f->rel, "Bin");
    bool front = !setup && name.n > 4 && exh_eq_ci(exh_str_make(f->name + name.n - 4, 4), ".dll") &&
                 under_ci(f->rel, "FrontEnd/HttpProxy/bin");
    if (setup || front) {
        struct exh_pe_version v;
        const char *why = NULL;
        int rc = exh_pe_version(f->data, f->n, &v, &why);
        if (rc == EXH_OK && v.has_fixed && v.file[0] == 15) {
            struct exh_fileobs *o = eng_new_obs(w, f);
            o->bin = setup ? EXH_BIN_EXSETUP : EXH_BIN_FRONTEND;
            o->bin_version = (struct exh_build){v.file[0], v.file[1], v.file[2], v.file[3]};
        } else if (setup) {
            /* the build the server runs could not be read: say so (a DLL of the
             * front end without a version is not worth an error) */
            struct exh_buf b = {0};
            exh_buf_addf(&b, "no Exchange file version in ExSetup.exe (%s)",
                         rc == EXH_OK ? "not an Exchange 15 version" : why);
            exh_emit_error(w->em, f->rel, rc == EXH_OK ? EXH_ERR_CORRUPT : (enum exh_err)rc, b.p);
            exh_buf_release(&b);
        }
        return;
    }
    /* where a mitigation names its file: the path when short, else the name */
    const char *where = strlen(f->rel) < 80 ? f->rel : f->name;
    struct exh_mitigations m;
    memset(&m, 0, sizeof(m));
    if (exh_eq_ci(name, "applicationHost.config") ||
        (exh_eq_ci(name, "web.config") &&
         (under_ci(f->rel, "inetpub/wwwroot") || under_ci(f->rel, "FrontEnd/HttpProxy"))))
        exh_mitigations_from_config((const char *)f->data, f->n, where, &m);
    else if (under_ci(f->rel, "Logging/MitigationService"))
        exh_mitigations_from_emlog((const char *)f->data, f->n, where, &m);
    if (m.blocks) {
        /* a file read as a log too (the mitigation service's) already has its
         * observation: one per file, as the pieces of a split file expect */
        struct exh_fileobs *o = w->nobs > nobs0 ? &w->obs[w->nobs - 1] : eng_new_obs(w, f);
        o->has_mit = true;
        o->mit = m;
    }
}

/* Classify, read and run every detector over one file's bytes. */
void eng_scan_data(struct worker *w, const struct job *j, const uint8_t *data, size_t n)
{
#ifdef EXH_TEST_CRASH
    /* test-only build (make CRASHTEST=1): a reader that dies on a marked file */
    if (n >= 17 && !memcmp(data, "EXHUNT-TEST-CRASH", 17))
        abort();
#endif
    exh_emitter_new_file(w->em);
    struct exh_file f;
    memset(&f, 0, sizeof(f));
    /* inside an archive (ARCHIVE!MEMBER), the member's folders count as a
     * file's on disk do: '!' is a separator for the location facts */
    char *loc = NULL;
    if (j->depth) {
        loc = exh_xstrdup(j->path);
        for (char *c = loc; *c; c++)
            if (*c == '!')
                *c = '/';
    }
    f.path = loc ? loc : j->path;
    f.rel = j->rel;
    f.name = exh_path_base(exh_str_make(f.path, strlen(f.path))).p;
    f.size = n;
    f.mtime_ms = j->mtime_ms;
    f.data = data;
    f.n = n;
    f.under_programdata = exh_path_has_component(f.path, "ProgramData") ||
                          exh_path_has_component(f.path, "All Users");
    struct exh_class cl;
    exh_classify(f.path, f.name, data, n, &cl);
    if (w->piece && w->piece_index > 0) {
        /* a later piece: only a text log's lines are shared out; any other
         * file was read whole by its first piece */
        if (cl.family != EXH_FAM_NONE && cl.family != EXH_FAM_EVTX) {
            f.family = cl.family;
            eng_scan_log(w, &f);
        }
        free(loc);
        return;
    }
    bool sure;
    bool archive = eng_is_archive(f.name, data, n, &sure);
    if (archive && !sure && cl.family != EXH_FAM_NONE)
        archive = false; /* named like an archive, but its content is a log: the log */
    if (archive)         /* a stored member's text is no log of the archive's own */
        cl.family = EXH_FAM_NONE;
    if (cl.family == EXH_FAM_NONE && n && n <= EXH_HASH_MAX) {
        exh_hash_all(data, n, &f.dg);
        f.has_digests = true;
    }
    size_t nobs0 = w->nobs;
    if (cl.family == EXH_FAM_EVTX) {
        f.family = cl.family;
        scan_evtx(w, &f);
    } else if (cl.family != EXH_FAM_NONE) {
        f.family = cl.family;
        eng_scan_log(w, &f);
    } else if (cl.expect_log && cl.binary && !archive) {
        exh_emit_error(w->em, j->rel, EXH_ERR_NOT_LOG, NULL);
    }
    observe_server(w, &f, nobs0); /* binaries, configuration, the mitigation service's log */
    for (size_t i = 0; i < exh_ndetectors; i++)
        if (exh_detectors[i].on_file)
            exh_detectors[i].on_file(w->em, &f);
    w->files_read++;
    w->bytes += n;
    if (archive) /* what it holds, each read as a file (archive.c) */
        eng_scan_archive(w, j, data, n, f.name);
    free(loc);
}

void eng_scan_job(struct worker *w, const struct job *j)
{
    if (j->mem) {
        eng_scan_member(w, j);
        return;
    }
    struct exh_map m;
    const char *sys = NULL;
    enum exh_err err = exh_os_map(j->path, &m, &sys);
    if (err != EXH_OK) {
        exh_emit_error(w->em, j->rel, err, sys);
        return;
    }
    exh_os_map_sequential(&m);
    w->map = &m;
    eng_scan_data(w, j, m.p, m.n);
    w->map = NULL;
    if (exh_os_unmap(&m)) /* cut shorter while read: the rest read as zeros */
        exh_emit_error(w->em, j->rel, EXH_ERR_CHANGED,
                       "it shrank while it was read (rotated or truncated); the bytes after "
                       "the cut were not read");
}
