/* walk.c: the job plan: walk the roots, one job per file (or per piece of a
 * large text log), largest first; the roots deduplicated and the Exchange
 * install folders noted on the way. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/os.h"
#include "exh/banned.h"

/* Note an install folder once (a set: a tree with many of them costs one
 * look-up per file, not a pass over those found). */
static void add_root(struct engine *e, const char *r)
{
    char *key = exh_xstrdup(r);
#ifdef _WIN32
    /* NTFS: the same folder whatever the case of its name */
    for (char *c = key; *c; c++)
        *c = (char)exh_lc((unsigned char)*c);
#endif
    if (!exh_strset_has(&e->rootset, key)) {
        exh_strset_add(&e->rootset, key);
        e->roots = exh_xrealloc(e->roots, (e->nroots + 1) * sizeof(*e->roots));
        e->roots[e->nroots++] = exh_xstrdup(r);
    }
    free(key);
}

/* An Exchange install folder: the path up to ".../V15" above "Logging",
 * "FrontEnd", "ClientAccess" or "Bin". */
static void note_exchange_root(struct engine *e, const char *rel)
{
    static const char *const marks[] = {"/Logging/", "/FrontEnd/", "/ClientAccess/", "/Bin/", NULL};
    for (int i = 0; marks[i]; i++) {
        const char *m = exh_find_ci(rel, strlen(rel), marks[i], strlen(marks[i]));
        if (!m)
            continue;
        size_t n = (size_t)(m - rel);
        if (n >= 3 && exh_lc((unsigned char)rel[n - 3]) == 'v' && rel[n - 2] == '1' &&
            (rel[n - 1] == '5' || rel[n - 1] == '4') &&
            (n == 3 || rel[n - 4] == '/' || rel[n - 4] == '!')) {
            char *r = exh_xstrndup(rel, n);
            add_root(e, r);
            free(r);
            return;
        }
    }
}

static char *report_path(struct engine *e, const struct exh_walk_entry *w)
{
    if (!w->rel[0] && !e->prefix_rel) { /* the root is this file: its name */
        return exh_xstrdup(exh_path_base(exh_str_make(w->path, strlen(w->path))).p);
    }
    if (!e->prefix_rel)
        return exh_xstrdup(w->rel);
    struct exh_buf b = {0};
    exh_buf_adds(&b, e->root_given);
    if (w->rel[0]) {
        while (b.n > 1 && b.p[b.n - 1] == '/')
            b.p[--b.n] = '\0';
        exh_buf_addc(&b, '/');
        exh_buf_adds(&b, w->rel);
    }
    return exh_buf_detach(&b);
}

bool eng_left_out(struct engine *e, const char *path, const char *rel)
{
    for (size_t k = 0; k < e->o->ncrashed; k++)
        if (!strcmp(e->o->crashed[k], path)) {
            bool why = e->o->crashed_why && e->o->crashed_why[k];
            exh_emit_error(&e->main_em, rel, why ? e->o->crashed_code[k] : EXH_ERR_CORRUPT,
                           why ? e->o->crashed_why[k]
                               : "a reader crashed on this file; it was left out and the scan "
                                 "went on without it");
            return true;
        }
    return false;
}

static int on_walk(void *ud, const struct exh_walk_entry *w)
{
    struct engine *e = ud;
    switch (w->kind) {
    case EXH_WALK_ERROR: {
        char *rel = report_path(e, w);
        exh_emit_error(&e->main_em, rel[0] ? rel : e->root_given, w->err, w->sys_msg);
        free(rel);
        return 0;
    }
    case EXH_WALK_SKIP:
        e->skipped++;
        return 0;
    case EXH_WALK_FILE:
        break;
    }
    e->seen++;
    if (w->size == 0) {
        e->skipped++;
        return 0;
    }
    if (e->o->ncrashed) {
        char *rel = report_path(e, w);
        bool out = eng_left_out(e, w->path, rel);
        free(rel);
        if (out)
            return 0;
    }
    struct job j;
    memset(&j, 0, sizeof(j));
    j.path = exh_xstrdup(w->path);
    j.rel = report_path(e, w);
    j.size = w->size;
    j.mtime_ms = w->mtime_ms;
    eng_plan_zip(e, &j); /* its members first: jobs of their own */
    eng_add_job(e, &j);
    return 0;
}

void eng_add_job(struct engine *e, const struct job *jin)
{
    if (e->njobs == e->capjobs) {
        e->capjobs = e->capjobs ? e->capjobs * 2 : 256;
        e->jobs = exh_xrealloc(e->jobs, e->capjobs * sizeof(*e->jobs));
    }
    struct job *j = &e->jobs[e->njobs++];
    *j = *jin;
    e->bytes_total += j->size;
    /* inside an archive (ARCHIVE!MEMBER): the members' folders as on a disk */
    note_exchange_root(e, j->rel);
    char *where = exh_xstrdup(j->rel);
    for (char *c = where; *c; c++)
        if (*c == '!')
            *c = '/';
    char *url = exh_served_url(where);
    if (url)
        exh_strset_add(&e->pages, url);
    free(url);
    free(where);
    if (!j->mem && j->size > 2 * e->piece_bytes && !eng_archive_file(j->path)) {
        /* the pieces share the path strings of the first job */
        uint64_t size = j->size;
        struct split *s = exh_xcalloc(1, sizeof(*s));
        s->n = (uint32_t)((size + e->piece_bytes - 1) / e->piece_bytes);
        s->size = size;
        s->p = exh_xcalloc(s->n, sizeof(*s->p));
        struct job first = *j;
        first.split = s;
        first.size = e->piece_bytes;
        e->jobs[e->njobs - 1] = first;
        for (uint32_t k = 1; k < s->n; k++) {
            if (e->njobs == e->capjobs) {
                e->capjobs *= 2;
                e->jobs = exh_xrealloc(e->jobs, e->capjobs * sizeof(*e->jobs));
            }
            struct job pj = first;
            pj.piece = k;
            pj.size = k + 1 < s->n ? e->piece_bytes : size - (uint64_t)k * e->piece_bytes;
            e->jobs[e->njobs++] = pj;
        }
    }
}

static int cmp_job(const void *a, const void *b)
{
    const struct job *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    int c = strcmp(x->rel, y->rel);
    if (c)
        return c;
    return x->piece < y->piece ? -1 : x->piece > y->piece;
}

/* Is path the folder root or inside it? '/' and '\\' are both separators,
 * and on Windows names compare without case (as NTFS does). */
static bool is_under(const char *path, const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && (root[n - 1] == '/' || root[n - 1] == '\\'))
        n--;
    for (size_t i = 0; i < n; i++) {
        char a = path[i], b = root[i];
        if (!a)
            return false;
        bool sa = a == '/' || a == '\\', sb = b == '/' || b == '\\';
        if (sa && sb)
            continue;
#ifdef _WIN32
        a = (char)exh_lc((unsigned char)a);
        b = (char)exh_lc((unsigned char)b);
#endif
        if (a != b)
            return false;
    }
    return path[n] == '/' || path[n] == '\\' || path[n] == '\0';
}

/* Keep each root once: a root inside a folder root (or the same spelling
 * twice) is read as part of it. The same spelling is found by sorting, so a
 * list of many files costs n log n comparisons and one stat each; only
 * folders can hold another root, so path resolution is tried only against
 * them. The roots keep the order they were given in. */
struct root_ref {
    const char *p;
    size_t i;
};

static int cmp_root_ref(const void *a, const void *b)
{
    const struct root_ref *x = a, *y = b;
    int c = strcmp(x->p, y->p);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* A folder PATH by what it resolves to (exh_os_path_key), for lookups. */
struct dir_key {
    const char *key;
    size_t i;
};

static int cmp_dir_key(const void *a, const void *b)
{
    const struct dir_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The first (lowest PATH index) folder whose key is k[0..n), or NULL. */
static const struct dir_key *find_dir(const struct dir_key *d, size_t nd, const char *k, size_t n)
{
    size_t lo = 0, hi = nd;
    while (lo < hi) { /* the first entry not below k[0..n) */
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(d[mid].key, k, n);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nd && !strncmp(d[lo].key, k, n) && d[lo].key[n] == '\0' ? &d[lo] : NULL;
}

/* Drop the PATHs given twice or inside another folder PATH (the first of a
 * folder given twice stays). Each PATH is resolved once, and each looks up
 * its own ancestors among the folders: n log n, however many PATHs. */
static void dedup_roots(const char **roots, size_t *nroots)
{
    size_t n = *nroots;
    if (n < 2)
        return;
    bool *inner = exh_xcalloc(n, sizeof(*inner));
    struct root_ref *by = exh_xcalloc(n, sizeof(*by));
    for (size_t i = 0; i < n; i++)
        by[i] = (struct root_ref){roots[i], i};
    qsort(by, n, sizeof(*by), cmp_root_ref);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(by[k].p, by[k - 1].p))
            inner[by[k].i] = true; /* the same spelling: the first one stays */
    free(by);
    char **key = exh_xcalloc(n, sizeof(*key));
    struct dir_key *dirs = exh_xcalloc(n, sizeof(*dirs)), *all = exh_xcalloc(n, sizeof(*all));
    size_t ndirs = 0, nall = 0;
    for (size_t i = 0; i < n; i++) {
        if (inner[i] || !(key[i] = exh_os_path_key(roots[i])))
            continue;
        all[nall++] = (struct dir_key){key[i], i};
        if (exh_os_is_dir(roots[i]))
            dirs[ndirs++] = (struct dir_key){key[i], i};
    }
    qsort(dirs, ndirs, sizeof(*dirs), cmp_dir_key);
    qsort(all, nall, sizeof(*all), cmp_dir_key);
    for (size_t i = 0; i < n; i++) {
        const char *k = key[i];
        if (!k)
            continue;
        size_t kn = strlen(k);
        /* the same folder or file given again (another spelling, a link):
         * the first one stays */
        const struct dir_key *same = find_dir(all, nall, k, kn);
        if (same && same->i < i) {
            inner[i] = true;
            continue;
        }
        /* inside a folder PATH: one of its proper ancestors is one ("/" and
         * "C:/" end in '/' themselves) */
        for (size_t e = kn; e-- > 0 && !inner[i];) {
            if (k[e] != '/')
                continue;
            if (find_dir(dirs, ndirs, k, e) || (e + 1 < kn && find_dir(dirs, ndirs, k, e + 1)))
                inner[i] = true;
        }
    }
    size_t keep = 0;
    for (size_t i = 0; i < n; i++)
        if (!inner[i])
            roots[keep++] = roots[i];
    *nroots = keep;
    for (size_t i = 0; i < n; i++)
        free(key[i]);
    free(key);
    free(dirs);
    free(all);
    free(inner);
}

/* The plan: walk every root (each PATH, plus --exchange-root unless it is
 * inside one), one job per file (or per piece of a large text log), largest
 * first. */
void eng_plan(struct engine *e, const struct exh_scan_opts *o, struct exh_result *out)
{
    /* the roots: every PATH, plus --exchange-root unless it is inside one
     * (as many as given: none is left out) */
    size_t nroots = 0;
    const char **roots = exh_xcalloc(o->npaths + 2, sizeof(*roots));
    for (size_t i = 0; i < o->npaths; i++)
        roots[nroots++] = o->paths[i];
    if (o->exchange_root) {
        bool inside = false;
        for (size_t i = 0; i < o->npaths && !inside; i++)
            inside = is_under(o->exchange_root, o->paths[i]);
        if (!inside)
            roots[nroots++] = o->exchange_root;
    }
    dedup_roots(roots, &nroots);
    out->roots = exh_xcalloc(nroots ? nroots : 1, sizeof(*out->roots));
    for (size_t i = 0; i < nroots; i++)
        out->roots[out->nroots++] = exh_xstrdup(roots[i]);
    for (size_t i = 0; i < nroots; i++) {
        e->root_given = roots[i];
        e->prefix_rel = nroots > 1;
        const char *sys = NULL;
        enum exh_err err = exh_os_walk(roots[i], on_walk, e, &sys);
        if (err != EXH_OK)
            exh_emit_error(&e->main_em, roots[i], err, sys);
        if (o->progress) {
            struct exh_progress p = {0};
            p.files_total = e->njobs;
            p.bytes_total = e->bytes_total;
            p.walking = true;
            o->progress(o->progress_ud, &p);
        }
    }
    if (o->exchange_root) {
        /* report the override as a root, relative when it is inside a PATH */
        const char *r = o->exchange_root;
        for (size_t i = 0; i < o->npaths; i++)
            if (is_under(r, o->paths[i]) && nroots == 1) {
                r += strlen(o->paths[i]);
                while (*r == '/' || *r == '\\')
                    r++;
            }
        add_root(e, r[0] ? r : ".");
    }
    free(roots);
    if (e->njobs)
        qsort(e->jobs, e->njobs, sizeof(*e->jobs), cmp_job);
}
