/* t.h: the unit-test harness. CHECK* count and print "file:line: failed:
 * <expr>" (with the values) on failure; T_DONE("unit-x") prints exactly one
 * summary line "unit-x: N passed, N failed" and yields the exit status.
 * T_CTX(s) names the case being checked (shown after a failure) for loops.
 * T_RUN(fn) runs a test function in a child process and adds its counts, so
 * a crash or a sanitizer abort in fn is one failure, not a lost summary. */
#ifndef EXH_T_H
#define EXH_T_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int t_pass, t_fail;
static const char *t_ctx;

static inline int t_report(int ok, const char *file, int line, const char *expr, const char *vals)
{
    if (ok) {
        t_pass++;
        return 1;
    }
    t_fail++;
    printf("%s:%d: failed: %s%s%s%s%s%s\n", file, line, expr, vals ? ": " : "", vals ? vals : "",
           t_ctx ? " [case: " : "", t_ctx ? t_ctx : "", t_ctx ? "]" : "");
    fflush(stdout);
    return 0;
}

static inline int t_eq_int(long long a, long long b, const char *file, int line, const char *expr)
{
    char v[96];
    snprintf(v, sizeof(v), "%lld != %lld", a, b);
    return t_report(a == b, file, line, expr, v);
}

static inline int t_eq_str(const char *a, const char *b, const char *file, int line,
                           const char *expr)
{
    int ok = (a && b) ? strcmp(a, b) == 0 : a == b;
    char v[512];
    snprintf(v, sizeof(v), "\"%.200s\" != \"%.200s\"", a ? a : "(null)", b ? b : "(null)");
    return t_report(ok, file, line, expr, v);
}

/* A sized slice (p, n) equal to a NUL-terminated string. */
static inline int t_eq_strn(const char *p, size_t n, const char *b, const char *file, int line,
                            const char *expr)
{
    int ok = p ? (strlen(b) == n && memcmp(p, b, n) == 0) : (n == 0 && !b[0]);
    char v[512];
    snprintf(v, sizeof(v), "\"%.*s\" != \"%.200s\"", (int)(n > 200 ? 200 : n), p ? p : "", b);
    return t_report(ok, file, line, expr, v);
}

static inline void t_run(void (*fn)(void), const char *name, const char *file, int line)
{
    int fd[2], c[2] = {0, 0}, st = 0;
    fflush(stdout);
    if (pipe(fd) != 0) {
        fn();
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        t_pass = t_fail = 0;
        fn();
        fflush(stdout);
        c[0] = t_pass;
        c[1] = t_fail;
        /* exit(), not _exit(): LeakSanitizer checks the child at exit */
        exit(write(fd[1], c, sizeof(c)) == (ssize_t)sizeof(c) ? 0 : 1);
    }
    close(fd[1]);
    ssize_t got = pid > 0 ? read(fd[0], c, sizeof(c)) : -1;
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, &st, 0);
    bool ok = got == (ssize_t)sizeof(c) && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (ok) {
        t_pass += c[0];
        t_fail += c[1];
    }
    char v[96];
    if (WIFSIGNALED(st))
        snprintf(v, sizeof(v), "killed by signal %d", WTERMSIG(st));
    else
        snprintf(v, sizeof(v), "exited with status %d (see the report above)", WEXITSTATUS(st));
    t_report(ok, file, line, name, ok ? NULL : v);
}

#define T_RUN(fn) t_run((fn), #fn "() ran to the end", __FILE__, __LINE__)
#define CHECK(c) t_report(!!(c), __FILE__, __LINE__, #c, NULL)
#define CHECK_EQ_INT(a, b)                                                                         \
    t_eq_int((long long)(a), (long long)(b), __FILE__, __LINE__, #a " == " #b)
#define CHECK_EQ_STR(a, b) t_eq_str((a), (b), __FILE__, __LINE__, #a " == " #b)
#define CHECK_EQ_STRN(s, b) t_eq_strn((s).p, (s).n, (b), __FILE__, __LINE__, #s " == " #b)
#define T_CTX(s) (t_ctx = (s))
#define T_DONE(name)                                                                               \
    (printf("%s: %d passed, %d failed\n", (name), t_pass, t_fail), fflush(stdout), t_fail ? 1 : 0)

#endif
