/* test_os.c: the POSIX os layer where evidence fights back: a file cut shorter
 * while it is mapped (SIGBUS), one that grows, a fault that is not ours, and
 * the report file that must never land in the evidence (exh_os_open_output). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exh/os.h"
#include "t.h"

static char tmp[256];

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmp, name);
}

/* A file of n bytes, every byte 'x'. */
static void make_file(const char *path, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char buf[4096];
    memset(buf, 'x', sizeof(buf));
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof(buf) ? n - done : sizeof(buf);
        if (write(fd, buf, k) != (ssize_t)k)
            break;
        done += k;
    }
    close(fd);
}

/* Cut to 100,000 bytes while mapped: the rest reads as zeros, no SIGBUS, and
 * the unmap says the file changed. */
static void test_shrink(void)
{
    char p[512];
    path_of(p, sizeof(p), "shrink.log");
    make_file(p, 1 << 20);
    struct exh_map m;
    CHECK_EQ_INT(exh_os_map(p, &m, NULL), EXH_OK);
    CHECK_EQ_INT(m.n, 1 << 20);
    CHECK_EQ_INT(truncate(p, 100000), 0);
    size_t xs = 0, zeros = 0;
    for (size_t i = 0; i < m.n; i++) {
        xs += m.p[i] == 'x';
        zeros += m.p[i] == 0;
    }
    CHECK_EQ_INT(xs, 100000);
    CHECK_EQ_INT(zeros, (1 << 20) - 100000);
    CHECK(exh_os_unmap(&m));
    /* mapped again at its new size: nothing changed this time */
    CHECK_EQ_INT(exh_os_map(p, &m, NULL), EXH_OK);
    CHECK_EQ_INT(m.n, 100000);
    CHECK(!exh_os_unmap(&m));
}

/* A live log that grows while read is normal: no error. */
static void test_grow(void)
{
    char p[512];
    path_of(p, sizeof(p), "grow.log");
    make_file(p, 200000);
    struct exh_map m;
    CHECK_EQ_INT(exh_os_map(p, &m, NULL), EXH_OK);
    int fd = open(p, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK_EQ_INT(write(fd, "more\n", 5), 5);
    close(fd);
    size_t xs = 0;
    for (size_t i = 0; i < m.n; i++)
        xs += m.p[i] == 'x';
    CHECK_EQ_INT(xs, 200000);
    CHECK(!exh_os_unmap(&m));
}

/* A SIGBUS outside every watched mapping still kills the process (the
 * handler is installed by the first exh_os_map of a large file). */
static void test_foreign_fault(void)
{
    char p[512];
    path_of(p, sizeof(p), "foreign.log");
    make_file(p, 1 << 20);
    struct exh_map m;
    CHECK_EQ_INT(exh_os_map(p, &m, NULL), EXH_OK); /* handler in place */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(p, O_RDONLY);
        volatile const char *q = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE, fd, 0);
        if (ftruncate(open(p, O_WRONLY), 4096) != 0)
            _exit(3);
        char c = q[1 << 19]; /* past the end, in a mapping exhunt does not know */
        _exit(c == 0 ? 4 : 5);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    /* killed by SIGBUS (or, under a sanitizer, reported by its handler, the
     * one that was there before exhunt's): it did not read on */
    CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS) ||
          (WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) < 3));
    exh_os_unmap(&m);
}

static bool exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

/* -o: by identity, never through a link, never a hard link, never inside. */
static void test_output(void)
{
    char ev[512], lnk[512], alias[512], out[512], outdir[512], p[600];
    path_of(ev, sizeof(ev), "evidence");
    path_of(outdir, sizeof(outdir), "out");
    mkdir(ev, 0755);
    mkdir(outdir, 0755);
    const char *roots[] = {ev};
    size_t inside;
    const char *why;
    /* a dangling link in the output folder pointing into the evidence */
    path_of(lnk, sizeof(lnk), "out/report.jsonl");
    snprintf(p, sizeof(p), "%s/planted.jsonl", ev);
    CHECK_EQ_INT(symlink(p, lnk), 0);
    FILE *f = exh_os_open_output(lnk, roots, 1, &inside, &why);
    CHECK(f == NULL);
    CHECK(inside == EXH_OUT_REFUSED && why && strstr(why, "symbolic link"));
    CHECK(!exists(p)); /* nothing was created in the evidence */
    unlink(lnk);
    /* a folder alias (a link to the evidence folder) */
    path_of(alias, sizeof(alias), "alias");
    CHECK_EQ_INT(symlink(ev, alias), 0);
    snprintf(p, sizeof(p), "%s/r.jsonl", alias);
    f = exh_os_open_output(p, roots, 1, &inside, &why);
    CHECK(f == NULL && inside == 0);
    /* a path with .. that leads back in */
    snprintf(p, sizeof(p), "%s/../evidence/r.jsonl", outdir);
    f = exh_os_open_output(p, roots, 1, &inside, &why);
    CHECK(f == NULL && inside == 0);
    snprintf(p, sizeof(p), "%s/r.jsonl", ev);
    CHECK(!exists(p));
    /* a hard link to an evidence file */
    char evf[600];
    snprintf(evf, sizeof(evf), "%s/log.txt", ev);
    make_file(evf, 10);
    path_of(out, sizeof(out), "out/hard.jsonl");
    CHECK_EQ_INT(link(evf, out), 0);
    f = exh_os_open_output(out, roots, 1, &inside, &why);
    CHECK(f == NULL && inside == EXH_OUT_REFUSED && why && strstr(why, "hard link"));
    struct stat st;
    CHECK(stat(evf, &st) == 0 && st.st_size == 10); /* not truncated */
    /* an evidence file given as the root, written to by its own name */
    const char *froots[] = {evf};
    f = exh_os_open_output(evf, froots, 1, &inside, &why);
    CHECK(f == NULL && inside == 0);
    CHECK(stat(evf, &st) == 0 && st.st_size == 10);
    /* the user's own old report: overwritten */
    path_of(out, sizeof(out), "out/old.jsonl");
    make_file(out, 5000);
    f = exh_os_open_output(out, roots, 1, &inside, &why);
    CHECK(f != NULL);
    if (f) {
        fputs("new\n", f);
        fclose(f);
    }
    CHECK(stat(out, &st) == 0 && st.st_size == 4);
    /* a new file beside the evidence */
    path_of(out, sizeof(out), "new.jsonl");
    f = exh_os_open_output(out, roots, 1, &inside, &why);
    CHECK(f != NULL);
    if (f)
        fclose(f);
    /* /dev/null (a character device) and /dev/stdout (a link to a pipe or tty) */
    f = exh_os_open_output("/dev/null", roots, 1, &inside, &why);
    CHECK(f != NULL);
    if (f)
        fclose(f);
    /* a folder that does not exist: an error, not a refusal */
    path_of(out, sizeof(out), "nowhere/r.jsonl");
    f = exh_os_open_output(out, roots, 1, &inside, &why);
    CHECK(f == NULL && inside == EXH_OUT_ERROR && why);
}

struct seen {
    int files, skips, outside;
    char swap_dir[600], swap_to[600];
};

static int on_entry(void *ud, const struct exh_walk_entry *e)
{
    struct seen *s = ud;
    if (e->kind == EXH_WALK_FILE)
        s->files++;
    if (e->kind == EXH_WALK_SKIP)
        s->skips++;
    if (strstr(e->path, "secret"))
        s->outside++;
    if (s->swap_dir[0]) { /* the first entry: swap a folder not yet walked for a link */
        char cmd[2400];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s' && ln -s '%s' '%s'", s->swap_dir, s->swap_to,
                 s->swap_dir);
        if (system(cmd) != 0)
            printf("# swap failed\n");
        s->swap_dir[0] = '\0';
    }
    return 0;
}

/* A file or folder swapped for a link after the walk listed it is not
 * followed, neither by the walk nor when the file is read. */
static void test_swap(void)
{
    char root[512], out[512], p[600], cmd[6000];
    path_of(root, sizeof(root), "swap");
    path_of(out, sizeof(out), "outside");
    snprintf(cmd, sizeof(cmd),
             "mkdir -p '%s/a' '%s/b' '%s/c' '%s' && echo one > '%s/a/f.txt' && "
             "echo two > '%s/b/g.txt' && echo three > '%s/c/h.txt' && "
             "echo secret > '%s/secret' && cp '%s/secret' '%s/g.txt'",
             root, root, root, out, root, root, root, out, out, out);
    CHECK_EQ_INT(system(cmd), 0);
    struct seen s;
    memset(&s, 0, sizeof(s));
    snprintf(s.swap_dir, sizeof(s.swap_dir), "%s/c", root);
    snprintf(s.swap_to, sizeof(s.swap_to), "%s", out);
    CHECK_EQ_INT(exh_os_walk(root, on_entry, &s, NULL), EXH_OK);
    CHECK_EQ_INT(s.files, 2); /* a/f.txt, b/g.txt; c became a link: not walked */
    CHECK_EQ_INT(s.outside, 0);
    CHECK_EQ_INT(s.skips, 1);
    /* after the walk: a file swapped for a link to a file outside */
    snprintf(cmd, sizeof(cmd), "rm '%s/a/f.txt' && ln -s '%s/secret' '%s/a/f.txt'", root, out,
             root);
    CHECK_EQ_INT(system(cmd), 0);
    struct exh_map m;
    const char *why = NULL;
    snprintf(p, sizeof(p), "%s/a/f.txt", root);
    CHECK(exh_os_map(p, &m, &why) != EXH_OK);
    CHECK(why && strstr(why, "symbolic link"));
    /* a folder on the way swapped for a link (openat2 RESOLVE_NO_SYMLINKS;
     * kernels before 5.6 protect the file's own name only) */
    snprintf(cmd, sizeof(cmd), "rm -r '%s/b' && ln -s '%s' '%s/b'", root, out, root);
    CHECK_EQ_INT(system(cmd), 0);
    snprintf(p, sizeof(p), "%s/b/g.txt", root);
    enum exh_err e = exh_os_map(p, &m, &why);
    if (e == EXH_OK) {
        printf("# this kernel has no openat2: a folder swapped for a link is followed\n");
        exh_os_unmap(&m);
    } else {
        CHECK(e != EXH_OK);
    }
    /* a path given directly (not found by a walk) is followed as before */
    char lnk[600];
    snprintf(lnk, sizeof(lnk), "%s/direct-link", out);
    snprintf(p, sizeof(p), "%s/secret", out);
    CHECK_EQ_INT(symlink(p, lnk), 0);
    CHECK_EQ_INT(exh_os_map(lnk, &m, NULL), EXH_OK);
    CHECK_EQ_INT(m.n, 7);
    exh_os_unmap(&m);
}

int main(void)
{
    snprintf(tmp, sizeof(tmp), "%s/exh-unit-os.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 2;
    }
    T_RUN(test_shrink);
    T_RUN(test_grow);
    T_RUN(test_foreign_fault);
    T_RUN(test_output);
    T_RUN(test_swap);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmp);
    return T_DONE("unit-os");
}
