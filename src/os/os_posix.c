/* os_posix.c: the os.h layer for Linux and other POSIX systems. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "exh/core.h"
#include "exh/os.h"
#include "exh/banned.h"

#define SMALL_FILE (64 * 1024)
#define WALK_MAX_DEPTH 512

static enum exh_err map_errno(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return EXH_ERR_NOENT;
    case EACCES:
    case EPERM:
        return EXH_ERR_PERM;
    case ENAMETOOLONG:
        return EXH_ERR_NAME_TOO_LONG;
    default:
        return EXH_ERR_OPEN;
    }
}

enum exh_err exh_os_map(const char *path, struct exh_map *out, const char **sys_msg)
{
    memset(out, 0, sizeof(*out));
    /* O_NONBLOCK: never hang on a FIFO that slipped through; O_NOATIME where
     * allowed so that reading evidence does not even touch its access time. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (sys_msg)
            *sys_msg = strerror(errno);
        return map_errno(errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        if (sys_msg)
            *sys_msg = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        (void)e;
        return EXH_ERR_OPEN;
    }
    size_t n = (size_t)st.st_size;
    if (n == 0) {
        close(fd);
        return EXH_OK;
    }
    if (n <= SMALL_FILE) {
        uint8_t *buf = exh_xmalloc(n);
        size_t got = 0;
        while (got < n) {
            ssize_t k = read(fd, buf + got, n - got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0) {
                if (sys_msg)
                    *sys_msg = strerror(errno);
                free(buf);
                close(fd);
                return EXH_ERR_READ;
            }
            if (k == 0)
                break; /* file shrank: use what is there */
            got += (size_t)k;
        }
        close(fd);
        out->p = buf;
        out->n = got;
        out->priv_ = buf;
        out->priv_n_ = 0;
        return EXH_OK;
    }
    void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (m == MAP_FAILED) {
        if (sys_msg)
            *sys_msg = strerror(e);
        return EXH_ERR_READ;
    }
    out->p = m;
    out->n = n;
    out->priv_ = m;
    out->priv_n_ = n;
    return EXH_OK;
}

void exh_os_map_sequential(struct exh_map *m)
{
#ifdef MADV_SEQUENTIAL
    if (m->priv_n_)
        madvise(m->priv_, m->priv_n_, MADV_SEQUENTIAL);
#else
    (void)m;
#endif
}

void exh_os_map_done(struct exh_map *m, size_t lo, size_t hi)
{
#ifdef MADV_DONTNEED
    /* only a real mapping: MADV_DONTNEED on heap memory would zero it */
    if (!m->priv_n_ || hi > m->priv_n_ || lo >= hi)
        return;
    long pg = sysconf(_SC_PAGESIZE);
    size_t ps = pg > 0 ? (size_t)pg : 4096;
    size_t a = (lo + ps - 1) / ps * ps, b = hi / ps * ps;
    if (a < b)
        madvise((char *)m->priv_ + a, b - a, MADV_DONTNEED);
#else
    (void)m, (void)lo, (void)hi;
#endif
}

void exh_os_unmap(struct exh_map *m)
{
    if (m->priv_n_)
        munmap(m->priv_, m->priv_n_);
    else
        free(m->priv_);
    memset(m, 0, sizeof(*m));
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walker {
    exh_walk_fn fn;
    void *ud;
    struct exh_buf path;
    size_t root_len; /* bytes of path that are the root (rel starts after them) */
    int stop;
};

static const char *rel_of(struct walker *w)
{
    const char *r = w->path.p + w->root_len;
    while (*r == '/')
        r++;
    return r;
}

static void emit_error(struct walker *w, enum exh_err err, const char *msg)
{
    struct exh_walk_entry e = {0};
    e.kind = EXH_WALK_ERROR;
    e.path = w->path.p;
    e.rel = rel_of(w);
    e.err = err;
    e.sys_msg = msg;
    w->stop = w->fn(w->ud, &e);
}

static void fill_from_stat(struct exh_walk_entry *e, const struct stat *st)
{
    if (S_ISREG(st->st_mode)) {
        e->kind = EXH_WALK_FILE;
        e->size = (uint64_t)st->st_size;
        e->mtime_ms = (int64_t)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000;
    } else {
        e->kind = EXH_WALK_SKIP;
    }
}

static void walk_dir(struct walker *w, int depth)
{
    if (depth > WALK_MAX_DEPTH) {
        emit_error(w, EXH_ERR_TOO_DEEP, "directory nesting too deep");
        return;
    }
    DIR *d = opendir(w->path.p);
    if (!d) {
        emit_error(w, map_errno(errno) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST,
                   strerror(errno));
        return;
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 32;
            names = exh_xrealloc(names, cap * sizeof(*names));
        }
        names[nn++] = exh_xstrdup(de->d_name);
    }
    closedir(d);
    if (nn)
        qsort(names, nn, sizeof(*names), cmp_names);
    size_t base = w->path.n;
    for (size_t i = 0; i < nn && !w->stop; i++) {
        w->path.n = base;
        if (base && w->path.p[base - 1] != '/')
            exh_buf_addc(&w->path, '/');
        exh_buf_adds(&w->path, names[i]);
        struct stat st;
        if (lstat(w->path.p, &st) != 0) {
            emit_error(w, map_errno(errno), strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk_dir(w, depth + 1);
        } else {
            struct exh_walk_entry e = {0};
            e.path = w->path.p;
            e.rel = rel_of(w);
            fill_from_stat(&e, &st);
            w->stop = w->fn(w->ud, &e);
        }
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    w->path.n = base;
    w->path.p[base] = '\0';
}

enum exh_err exh_os_walk(const char *root, exh_walk_fn fn, void *ud, const char **sys_msg)
{
    struct stat st;
    if (stat(root, &st) != 0) {
        if (sys_msg)
            *sys_msg = strerror(errno);
        return map_errno(errno);
    }
    struct walker w = {fn, ud, {0}, 0, 0};
    exh_buf_adds(&w.path, root);
    while (w.path.n > 1 && w.path.p[w.path.n - 1] == '/')
        w.path.p[--w.path.n] = '\0';
    w.root_len = w.path.n;
    if (S_ISDIR(st.st_mode)) {
        walk_dir(&w, 0);
    } else {
        struct exh_walk_entry e = {0};
        e.path = w.path.p;
        e.rel = "";
        fill_from_stat(&e, &st);
        fn(ud, &e);
    }
    exh_buf_release(&w.path);
    return EXH_OK;
}

bool exh_os_path_inside(const char *path, const char *root)
{
    char *r = realpath(root, NULL);
    if (!r)
        return false;
    /* resolve the deepest existing ancestor of path */
    char *copy = exh_xstrdup(path);
    char *p = NULL;
    size_t n = strlen(copy);
    for (;;) {
        p = realpath(n ? copy : ".", NULL);
        if (p || n == 0)
            break;
        while (n > 0 && copy[n - 1] != '/')
            n--;
        while (n > 1 && copy[n - 1] == '/')
            n--;
        copy[n] = '\0';
    }
    bool inside = false;
    if (p) {
        size_t rn = strlen(r);
        inside = !strncmp(p, r, rn) && (p[rn] == '/' || p[rn] == '\0' || (rn == 1 && r[0] == '/'));
    }
    free(copy);
    free(p);
    free(r);
    return inside;
}

bool exh_os_isatty(int fd)
{
    return isatty(fd) == 1;
}

int exh_os_term_width(int fd)
{
    const char *c = getenv("COLUMNS");
    if (c) {
        long v = strtol(c, NULL, 10);
        if (v > 10 && v < 10000)
            return (int)v;
    }
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
        return ws.ws_col;
    return 79;
}

int exh_os_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 256 ? 256 : n) : 1;
}

int64_t exh_os_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t exh_os_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void exh_os_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

const char *exh_os_getenv(const char *name)
{
    return getenv(name);
}

struct exh_thread {
    pthread_t t;
};

enum exh_err exh_os_thread_start(struct exh_thread **out, void *(*fn)(void *), void *arg)
{
    struct exh_thread *t = exh_xmalloc(sizeof(*t));
    if (pthread_create(&t->t, NULL, fn, arg) != 0) {
        free(t);
        return EXH_ERR_THREAD;
    }
    *out = t;
    return EXH_OK;
}

void exh_os_thread_join(struct exh_thread *t)
{
    pthread_join(t->t, NULL);
    free(t);
}

struct exh_mutex {
    pthread_mutex_t m;
};

struct exh_mutex *exh_os_mutex_new(void)
{
    struct exh_mutex *m = exh_xmalloc(sizeof(*m));
    pthread_mutex_init(&m->m, NULL);
    return m;
}

void exh_os_mutex_free(struct exh_mutex *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->m);
    free(m);
}

void exh_os_mutex_lock(struct exh_mutex *m)
{
    pthread_mutex_lock(&m->m);
}

void exh_os_mutex_unlock(struct exh_mutex *m)
{
    pthread_mutex_unlock(&m->m);
}

void exh_os_stdio_init(void)
{
}

FILE *exh_os_fopen(const char *path, const char *mode)
{
    return fopen(path, mode);
}

char *exh_os_registry_hklm(const char *key, const char *value)
{
    (void)key;
    (void)value;
    return NULL;
}

bool exh_os_elevated(void)
{
    return geteuid() == 0;
}

bool exh_os_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ------------------------------------------------------------ supervision -- */

static int child_fd_value = -1; /* the pipe to the supervisor, in a supervised child */

int exh_os_run_self(char *const *argv, const char *const *env,
                    void (*on_line)(void *ud, const char *line), void *ud, char how[64])
{
    int p[2];
    how[0] = '\0';
    if (pipe(p) != 0) {
        snprintf(how, 64, "pipe: %s", strerror(errno));
        return -2;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(how, 64, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -2;
    }
    if (pid == 0) {
        /* the child goes on from here with the caller's state (no threads run
         * yet): no exec, so supervision costs a fork, not a second start-up */
        (void)argv;
        close(p[0]);
        child_fd_value = p[1];
        for (size_t i = 0; env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (!eq)
                continue;
            char *name = strndup(env[i], (size_t)(eq - env[i]));
            if (name)
                setenv(name, eq + 1, 1);
            free(name);
        }
        return EXH_RUN_SELF_CHILD;
    }
    close(p[1]);
    struct exh_buf line = {0};
    char buf[4096];
    for (;;) {
        ssize_t n = read(p[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        exh_buf_feed_lines(&line, buf, (size_t)n, on_line, ud);
    }
    exh_buf_release(&line);
    close(p[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        bool crash = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
                     sig == SIGABRT || sig == SIGSYS || sig == SIGTRAP;
        if (!crash) /* interrupted, killed, or its reader went away: not the input's fault */
            return 128 + sig;
        snprintf(how, 64, "signal %d (%s)", sig, strsignal(sig));
        return -1;
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
    if (code > 2) { /* exhunt exits 0-2; more is a runtime's abort */
        snprintf(how, 64, "exit code %d", code);
        return -1;
    }
    return code;
}

static int child_fd(void)
{
    return child_fd_value;
}

void exh_os_child_write(const char *p, size_t n)
{
    int fd = child_fd();
    if (fd < 0)
        return;
    ssize_t w;
    do
        w = write(fd, p, n);
    while (w < 0 && errno == EINTR);
}

bool exh_os_supervised(void)
{
    return child_fd() >= 0;
}
