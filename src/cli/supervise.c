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
 * EXH_NO_SUPERVISE=1 runs the scan in this process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/core.h"
#include "exh/os.h"
#include "exh/banned.h"

#define MAX_ROUNDS 64

struct inflight {
    char **paths; /* started and not finished */
    size_t n, cap;
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
        }
        f->paths[f->n++] = exh_xstrdup(path);
        return;
    }
    for (size_t i = f->n; i > 0; i--)
        if (!strcmp(f->paths[i - 1], path)) {
            free(f->paths[i - 1]);
            f->paths[i - 1] = f->paths[--f->n];
            return;
        }
}

static void inflight_clear(struct inflight *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->paths[i]);
    f->n = 0;
}

int cli_supervise(int argc, char **argv)
{
    (void)argc;
    struct exh_buf crashed = {0}; /* EXH_CRASHED=path\npath... */
    struct inflight fl = {0};
    bool one_thread = false;
    int rc = 2;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        struct exh_buf env1 = {0};
        exh_buf_adds(&env1, "EXH_CRASHED=");
        if (crashed.n)
            exh_buf_add(&env1, crashed.p, crashed.n);
        const char *env[] = {env1.p, one_thread ? "EXH_ONE_THREAD=1" : "EXH_ONE_THREAD=", NULL};
        char how[64];
        inflight_clear(&fl);
        int r = exh_os_run_self(argv, env, on_line, &fl, how);
        exh_buf_release(&env1);
        if (r == EXH_RUN_SELF_CHILD) { /* the forked child: go and scan */
            rc = r;
            break;
        }
        if (r >= 0) {
            rc = r;
            break;
        }
        if (r == -2) { /* could not start a child: scan here, unsupervised */
            fprintf(stderr, "exhunt: %s; scanning without supervision\n", how);
            rc = -2;
            break;
        }
        if (fl.n == 0) {
            fprintf(stderr, "exhunt: the scan died (%s) outside the reading of any file; "
                            "no report\n", how);
            rc = 2;
            break;
        }
        if (fl.n > 1 && !one_thread) {
            /* several files were being read: find the one on a single thread */
            one_thread = true;
            continue;
        }
        for (size_t i = 0; i < fl.n; i++) {
            fprintf(stderr, "exhunt: a reader crashed (%s) on '%s'; scanning again without it\n",
                    how, fl.paths[i]);
            if (crashed.n)
                exh_buf_addc(&crashed, '\n');
            exh_buf_adds(&crashed, fl.paths[i]);
        }
        one_thread = false;
    }
    inflight_clear(&fl);
    free(fl.paths);
    exh_buf_release(&crashed);
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
    if (b.n > 4095) /* one line fits one atomic pipe write */
        b.n = 4095;
    exh_buf_addc(&b, '\n');
    exh_os_child_write(b.p, b.n);
    exh_buf_release(&b);
}

/* In the child: the files an earlier run crashed on (EXH_CRASHED, one
 * percent-encoded path a line), decoded; NULL when there are none. */
char **cli_child_crashed(size_t *n)
{
    *n = 0;
    const char *v = exh_os_getenv("EXH_CRASHED");
    if (!v || !*v)
        return NULL;
    size_t cap = 4;
    char **out = exh_xmalloc(cap * sizeof(*out));
    while (*v) {
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
        if (*n == cap) {
            cap *= 2;
            out = exh_xrealloc(out, cap * sizeof(*out));
        }
        out[(*n)++] = exh_buf_detach(&b);
        v += len + (e ? 1 : 0);
    }
    return out;
}
