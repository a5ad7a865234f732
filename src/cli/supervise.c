/* supervise.c: one file that crashes a reader costs that file only.
 *
 * `exhunt scan` runs the scan in a child process (a fork on POSIX, the same
 * program and arguments on Windows: exh_os_run_self) that tells the supervisor, line by line, which
 * file each worker starts and finishes. If the child dies, the files it was
 * reading are the suspects: with one suspect, that file is left out of the
 * next run (EXH_CRASHED lists such files; the engine makes each an error
 * record); with several (workers in parallel), the scan is first run again
 * on one thread to find which. Nothing reaches stdout before a scan finishes
 * (the report is written after it), so a crashed run leaves no output and the
 * final run's report is the scan of every other file: the same for every -j.
 * The same net catches a file that takes too long (a reader that hangs or is
 * much slower than it should be): once a second the supervisor looks at the
 * files in flight, and when one has been read for longer than --file-timeout
 * it stops the child and runs the scan again without that file (EXH_TIMED_OUT
 * lists such files; each becomes an error record of its own). On Windows, a
 * child that dies of an in-page error (a mapped network or removable file that
 * could not be read) leaves that file out as "changed" (EXH_CHANGED_FILES).
 * EXH_NO_SUPERVISE=1 runs the scan in this process (no crash or time net). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/core.h"
#include "exh/os.h"
#include "exh/banned.h"

#define MAX_ROUNDS 64

struct inflight {
    char **paths;   /* started and not finished (as the child sent them) */
    int64_t *since; /* when each was started (monotonic ms) */
    size_t n, cap;
    int64_t budget_ms; /* --file-timeout; 0: none */
    size_t over;       /* after on_tick: paths[0..over) took longer than the budget */
};

static void on_line(void *ud, const char *line)
{
    struct inflight *f = ud;
    if ((line[0] != 'S' && line[0] != 'E') || line[1] != ' ')
        return;
    const char *path = line + 2;
    if (line[0] == 'S') {
        if (f->n == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 16;
            f->paths = exh_xrealloc(f->paths, f->cap * sizeof(*f->paths));
            f->since = exh_xrealloc(f->since, f->cap * sizeof(*f->since));
        }
        f->since[f->n] = exh_os_mono_ms();
        f->paths[f->n++] = exh_xstrdup(path);
        return;
    }
    /* pieces of one file share its path: the one that ends is taken to be
     * the one that started first, so a piece still being read never looks
     * older than it is (it could be stopped early otherwise) */
    size_t k = f->n;
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->paths[i], path) && (k == f->n || f->since[i] < f->since[k]))
            k = i;
    if (k == f->n)
        return;
    free(f->paths[k]);
    f->paths[k] = f->paths[--f->n];
    f->since[k] = f->since[f->n];
}

/* Once a second: has a file in flight taken longer than the budget? Those
 * that have are moved to the front (f->over of them) and the child stopped. */
static int on_tick(void *ud)
{
    struct inflight *f = ud;
    if (f->budget_ms <= 0)
        return 0;
    int64_t now = exh_os_mono_ms();
    f->over = 0;
    for (size_t i = 0; i < f->n; i++)
        if (now - f->since[i] > f->budget_ms) {
            char *p = f->paths[i];
            int64_t t = f->since[i];
            f->paths[i] = f->paths[f->over];
            f->since[i] = f->since[f->over];
            f->paths[f->over] = p;
            f->since[f->over] = t;
            f->over++;
        }
    return f->over > 0;
}

static void inflight_clear(struct inflight *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->paths[i]);
    f->n = 0;
    f->over = 0;
}

/* Add path to the list b (one a line); false when it was there already. */
static bool add_line(struct exh_buf *b, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < b->n;) {
        const char *e = memchr(b->p + i, '\n', b->n - i);
        size_t len = e ? (size_t)(e - (b->p + i)) : b->n - i;
        if (len == n && !memcmp(b->p + i, path, n))
            return false;
        i += len + 1;
    }
    if (b->n)
        exh_buf_addc(b, '\n');
    exh_buf_adds(b, path);
    return true;
}

int cli_supervise(int argc, char **argv)
{
    struct exh_buf crashed = {0}; /* EXH_CRASHED=path\npath... */
    struct exh_buf timed = {0};   /* EXH_TIMED_OUT=path\npath... */
    struct exh_buf changed = {0}; /* EXH_CHANGED_FILES=path\npath... */
    struct inflight fl = {0};
    int budget_s = cli_file_timeout(argc, argv);
    fl.budget_ms = (int64_t)budget_s * 1000;
    bool one_thread = false;
    /* a run that leaves out a file it had not left out before is progress
     * (at most one per file); only runs that are not count against the
     * limit, so many slow or crashing files still end in a report */
    int rc = 2, stalls = 0;
    for (; stalls < MAX_ROUNDS; stalls++) {
        struct exh_buf env1 = {0}, env2 = {0}, env3 = {0};
        exh_buf_adds(&env1, "EXH_CRASHED=");
        if (crashed.n)
            exh_buf_add(&env1, crashed.p, crashed.n);
        exh_buf_adds(&env2, "EXH_TIMED_OUT=");
        if (timed.n)
            exh_buf_add(&env2, timed.p, timed.n);
        exh_buf_adds(&env3, "EXH_CHANGED_FILES=");
        if (changed.n)
            exh_buf_add(&env3, changed.p, changed.n);
        const char *env[] = {env1.p, env2.p, env3.p,
                             one_thread ? "EXH_ONE_THREAD=1" : "EXH_ONE_THREAD=", NULL};
        char how[64];
        inflight_clear(&fl);
        int r = exh_os_run_self(argv, env, on_line, on_tick, &fl, how);
        exh_buf_release(&env1);
        exh_buf_release(&env2);
        exh_buf_release(&env3);
        if (r == EXH_RUN_SELF_CHILD) { /* the forked child: go and scan */
            rc = r;
            break;
        }
        if (r >= 0) {
            rc = r;
            break;
        }
        if (r == EXH_RUN_SELF_KILLED) { /* a file over its time budget */
            bool progress = false;
            for (size_t i = 0; i < fl.over; i++) {
                fprintf(stderr,
                        "exhunt: reading '%s' took longer than %d s (--file-timeout); "
                        "scanning again without it\n",
                        fl.paths[i], budget_s);
                progress |= add_line(&timed, fl.paths[i]);
            }
            if (progress)
                stalls--;
            continue;
        }
        if (r == -2) { /* could not start a child: scan here, unsupervised */
            fprintf(stderr, "exhunt: %s; scanning without supervision\n", how);
            rc = -2;
            break;
        }
        if (fl.n == 0) {
            fprintf(stderr,
                    "exhunt: the scan died (%s) outside the reading of any file; "
                    "no report\n",
                    how);
            rc = 2;
            break;
        }
        if (fl.n > 1 && !one_thread) {
            /* several files were being read: find the one on a single thread */
            one_thread = true;
            continue;
        }
        bool progress = false;
        for (size_t i = 0; i < fl.n; i++) {
            if (r == EXH_RUN_SELF_INPAGE) { /* a mapped file that could not be read */
                fprintf(stderr,
                        "exhunt: '%s' could not be read while mapped (%s); scanning "
                        "again without it\n",
                        fl.paths[i], how);
                progress |= add_line(&changed, fl.paths[i]);
                continue;
            }
            fprintf(stderr, "exhunt: a reader crashed (%s) on '%s'; scanning again without it\n",
                    how, fl.paths[i]);
            progress |= add_line(&crashed, fl.paths[i]);
        }
        if (progress)
            stalls--;
        one_thread = false;
    }
    if (stalls >= MAX_ROUNDS)
        fprintf(stderr,
                "exhunt: gave up after %d runs stopped without leaving out a new "
                "file; no report\n",
                MAX_ROUNDS);
    inflight_clear(&fl);
    free(fl.paths);
    free(fl.since);
    exh_buf_release(&crashed);
    exh_buf_release(&timed);
    exh_buf_release(&changed);
    return rc;
}

/* In the child: tell the supervisor which file a worker starts and finishes. */
void cli_child_on_file(void *ud, const char *path, bool done)
{
    (void)ud;
    struct exh_buf b = {0};
    exh_buf_adds(&b, done ? "E " : "S ");
    /* one line per file: '%', CR and LF in a name are percent-encoded */
    for (const char *c = path; *c; c++) {
        if (*c == '%' || *c == '\n' || *c == '\r')
            exh_buf_addf(&b, "%%%02X", (unsigned char)*c);
        else
            exh_buf_addc(&b, *c);
    }
    exh_buf_addc(&b, '\n');
    exh_os_child_write(b.p, b.n);
    exh_buf_release(&b);
}

/* Add the percent-encoded paths of list v (one a line), decoded, to *out. */
static void decode_list(const char *v, char ***out, size_t *n, size_t *cap)
{
    while (v && *v) {
        const char *e = strchr(v, '\n');
        size_t len = e ? (size_t)(e - v) : strlen(v);
        struct exh_buf b = {0};
        for (size_t i = 0; i < len; i++) {
            if (v[i] == '%' && i + 2 < len) {
                unsigned x = 0;
                if (sscanf(v + i + 1, "%2X", &x) == 1) {
                    exh_buf_addc(&b, (char)x);
                    i += 2;
                    continue;
                }
            }
            exh_buf_addc(&b, v[i]);
        }
        exh_buf_addc(&b, '\0');
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 4;
            *out = exh_xrealloc(*out, *cap * sizeof(**out));
        }
        (*out)[(*n)++] = exh_buf_detach(&b);
        v += len + (e ? 1 : 0);
    }
}

void cli_child_crashed(struct cli_left_out *lo, int budget_s)
{
    memset(lo, 0, sizeof(*lo));
    size_t cap = 0;
    decode_list(exh_os_getenv("EXH_CRASHED"), &lo->paths, &lo->n, &cap);
    size_t ncrashed = lo->n;
    decode_list(exh_os_getenv("EXH_TIMED_OUT"), &lo->paths, &lo->n, &cap);
    size_t ntimed = lo->n;
    decode_list(exh_os_getenv("EXH_CHANGED_FILES"), &lo->paths, &lo->n, &cap);
    if (lo->n == ncrashed)
        return;
    /* the files over the time budget, or unreadable under their mapping: a
     * record of their own */
    lo->codes = exh_xcalloc(lo->n, sizeof(*lo->codes));
    lo->whys = exh_xcalloc(lo->n, sizeof(*lo->whys));
    struct exh_buf m = {0};
    exh_buf_addf(&m,
                 "it was still being read after %d s (--file-timeout); it was left out "
                 "and the scan went on without it",
                 budget_s);
    lo->why_ = exh_buf_detach(&m);
    for (size_t i = ncrashed; i < lo->n; i++) {
        lo->codes[i] = i < ntimed ? EXH_ERR_TIMEOUT : EXH_ERR_CHANGED;
        lo->whys[i] = i < ntimed ? lo->why_
                                 : "it could not be read while mapped (a network or removable "
                                   "file that went away or changed); it was left out and the "
                                   "scan went on without it";
    }
}

void cli_left_out_release(struct cli_left_out *lo)
{
    for (size_t i = 0; i < lo->n; i++)
        free(lo->paths[i]);
    free(lo->paths);
    free(lo->codes);
    free(lo->whys);
    free(lo->why_);
    memset(lo, 0, sizeof(*lo));
}
