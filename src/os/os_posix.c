/* os_posix.c: the os.h layer for Linux and other POSIX systems. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/openat2.h>
#endif

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

/* ---------------------------------------------- mappings that may shrink --
 *
 * A file cut shorter while it is mapped (a log rotated or truncated on a live
 * server, a network file) makes every read of a page past the new end raise
 * SIGBUS, which would kill the scan. The mappings in use are kept in a small
 * table of slots that the SIGBUS handler can read without locks; a fault in one
 * of them puts anonymous zero pages over the rest of that mapping and marks it
 * changed, so the reader sees zeros to the end and exh_os_unmap() tells the
 * caller. A fault anywhere else is not ours: the handler puts back the one it
 * found and returns, so the fault happens again and does what it did before. */

#define MAP_SLOTS 1024 /* at most this many mappings watched at once (one per worker) */

struct map_slot {
    atomic_int state; /* 0 free, 1 being set or cleared, 2 live */
    uintptr_t base;
    size_t len;
    atomic_int changed;
};

static struct map_slot map_slots[MAP_SLOTS];
static struct sigaction bus_previous;
static uintptr_t bus_page = 4096;
static pthread_once_t bus_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (size_t i = 0; i < MAP_SLOTS; i++) {
        struct map_slot *s = &map_slots[i];
        if (atomic_load_explicit(&s->state, memory_order_acquire) != 2)
            continue;
        if (a < s->base || a - s->base >= s->len)
            continue;
        uintptr_t from = a & ~(bus_page - 1);
        void *z = mmap((void *)from, s->base + s->len - from, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (z == MAP_FAILED)
            break;
        atomic_store(&s->changed, 1);
        return;
    }
    sigaction(SIGBUS, &bus_previous, NULL); /* not ours: fault again, as without us */
}

static void bus_install(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    if (pg > 0)
        bus_page = (uintptr_t)pg;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &bus_previous);
}

/* Watch mapping [p, p + n): its slot + 1, or 0 when every slot is taken. */
static int watch_map(void *p, size_t n)
{
    pthread_once(&bus_once, bus_install);
    for (int i = 0; i < MAP_SLOTS; i++) {
        int expect = 0;
        if (!atomic_compare_exchange_strong(&map_slots[i].state, &expect, 1))
            continue;
        map_slots[i].base = (uintptr_t)p;
        map_slots[i].len = n;
        atomic_store(&map_slots[i].changed, 0);
        atomic_store_explicit(&map_slots[i].state, 2, memory_order_release);
        return i + 1;
    }
    return 0;
}

/* Stop watching slot (from watch_map); did a read fault past the file's end? */
static bool unwatch_map(int slot)
{
    if (slot <= 0)
        return false;
    struct map_slot *s = &map_slots[slot - 1];
    atomic_store(&s->state, 1);
    bool changed = atomic_load(&s->changed) != 0;
    s->base = 0;
    s->len = 0;
    atomic_store_explicit(&s->state, 0, memory_order_release);
    return changed;
}

/* --------------------------------------------------- roots of the walks --
 * Every directory exh_os_walk() walked, with a descriptor of it: a path the
 * walk found below one is opened relative to it without following any link
 * (a file or folder swapped for a link after the listing is not followed out
 * of the tree). Kept for the life of the process; there are few. */

struct walk_root {
    char *path;
    size_t n;
    int fd;    /* kept open for the first WALK_ROOTS_KEPT folders, else -1 */
    dev_t dev; /* what the folder was when walked (reopened by name and */
    ino_t ino; /* checked against these when no descriptor is kept) */
};
#define WALK_ROOTS_KEPT 64 /* descriptors kept: a thousand PATHs must not use up the limit */
static struct walk_root *walk_roots;
static size_t nwalk_roots, nwalk_kept;
/* files given as PATHs themselves, sorted: opened as named (through a link
 * if they are one), also when a folder given holds them */
static char **direct_roots;
static size_t ndirect_roots;
static pthread_mutex_t walk_roots_lock = PTHREAD_MUTEX_INITIALIZER;

/* Where path is, or would go, in direct_roots (under the lock). */
static size_t direct_at(const char *path, bool *found)
{
    size_t lo = 0, hi = ndirect_roots;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(direct_roots[mid], path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < ndirect_roots && !strcmp(direct_roots[lo], path);
    return lo;
}

static void remember_direct(const char *path)
{
    pthread_mutex_lock(&walk_roots_lock);
    bool found;
    size_t at = direct_at(path, &found);
    if (!found) {
        direct_roots = exh_xrealloc(direct_roots, (ndirect_roots + 1) * sizeof(*direct_roots));
        memmove(direct_roots + at + 1, direct_roots + at,
                (ndirect_roots - at) * sizeof(*direct_roots));
        direct_roots[at] = exh_xstrdup(path);
        ndirect_roots++;
    }
    pthread_mutex_unlock(&walk_roots_lock);
}

/* Where the folder p[0..n) is, or would go, in walk_roots, sorted by path
 * (under the lock). */
static size_t root_at(const char *p, size_t n, bool *found)
{
    size_t lo = 0, hi = nwalk_roots;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct walk_root *w = &walk_roots[mid];
        int c = memcmp(w->path, p, w->n < n ? w->n : n);
        if (c < 0 || (c == 0 && w->n < n))
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < nwalk_roots && walk_roots[lo].n == n && !memcmp(walk_roots[lo].path, p, n);
    return lo;
}

/* Remember a folder walked (fd open on it). */
static void remember_root(const char *path, size_t n, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return;
    pthread_mutex_lock(&walk_roots_lock);
    bool found; /* walked again (a later scan in this process) */
    size_t at = root_at(path, n, &found);
    struct walk_root *r = &walk_roots[at];
    if (!found) {
        walk_roots = exh_xrealloc(walk_roots, (nwalk_roots + 1) * sizeof(*walk_roots));
        memmove(walk_roots + at + 1, walk_roots + at, (nwalk_roots - at) * sizeof(*walk_roots));
        nwalk_roots++;
        r = &walk_roots[at];
        memset(r, 0, sizeof(*r));
        r->path = exh_xstrndup(path, n);
        r->n = n;
        r->fd = -1;
    }
    /* the same folder, or one made anew under that name since */
    r->dev = st.st_dev;
    r->ino = st.st_ino;
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
        nwalk_kept--;
    }
    if (nwalk_kept < WALK_ROOTS_KEPT && (r->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0)
        nwalk_kept++;
    pthread_mutex_unlock(&walk_roots_lock);
}

static int open_dir_at(int dfd, const char *name, bool follow);

/* A descriptor of the walked root path lies below (the longest), with *rel
 * set to the rest and *owned true when the caller must close it; -1 with
 * errno 0 when there is none or path is a file given directly (opened as
 * named), -1 with errno set when the root is no longer the folder walked. */
static int root_of(const char *path, const char **rel, bool *owned)
{
    int fd = -1;
    bool direct, have = false;
    struct walk_root r = {0};
    char *rpath = NULL;
    *owned = false;
    pthread_mutex_lock(&walk_roots_lock);
    direct_at(path, &direct);
    /* the longest walked folder that path lies below: each of its ancestors
     * looked up, longest first ("/" as itself) */
    for (size_t k = strlen(path); k-- > 0 && !direct && !have;) {
        if (path[k] != '/')
            continue;
        const char *rest = path + k;
        while (*rest == '/')
            rest++;
        if (!*rest)
            continue;
        bool found;
        size_t at = root_at(path, k ? k : 1, &found);
        if (found) {
            r = walk_roots[at];
            have = true;
            *rel = rest;
        }
    }
    if (have && r.fd < 0)
        rpath = exh_xstrndup(r.path, r.n);
    pthread_mutex_unlock(&walk_roots_lock);
    errno = 0;
    if (direct || !have)
        return -1;
    if (r.fd >= 0)
        return r.fd;
    /* no descriptor kept: the folder by name, if it is still the one walked */
    fd = open_dir_at(AT_FDCWD, rpath, true);
    free(rpath);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || st.st_dev != r.dev || st.st_ino != r.ino)) {
        close(fd);
        errno = ELOOP; /* swapped since the walk: not followed */
        return -1;
    }
    if (fd < 0)
        return -1;
    *owned = true;
    return fd;
}

/* open(2) for reading evidence: O_NOATIME where allowed (reading evidence does
 * not even touch its access time), O_NONBLOCK (never hang on a FIFO). Below a
 * walked root no link is followed, not even in the folders on the way
 * (openat2 RESOLVE_NO_SYMLINKS, Linux 5.6; elsewhere the file's own name). */
static int open_below(int rfd, const char *rel, int fl);

static int open_evidence(const char *path)
{
    int fl = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
    const char *rel = NULL;
    bool owned;
    int rfd = root_of(path, &rel, &owned);
    if (rfd < 0 && errno)
        return -1;
    if (rfd < 0) {
        int fd = open(path, fl | O_NOATIME);
        if (fd < 0 && errno == EPERM)
            fd = open(path, fl);
        return fd;
    }
    int fd = open_below(rfd, rel, fl);
    if (owned) {
        int e = errno;
        close(rfd);
        errno = e;
    }
    return fd;
}

/* Open rel below the folder rfd without following any link. */
static int open_below(int rfd, const char *rel, int fl)
{
#if defined(__linux__) && defined(SYS_openat2)
    for (int noatime = 1; noatime >= 0; noatime--) {
        struct open_how how;
        memset(&how, 0, sizeof(how));
        how.flags = (uint64_t)(fl | (noatime ? O_NOATIME : 0));
        how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        long fd;
        int tries = 0;
        do
            fd = syscall(SYS_openat2, rfd, rel, &how, sizeof(how));
        while (fd < 0 && errno == EAGAIN && ++tries < 8);
        if (fd >= 0)
            return (int)fd;
        if (errno == EPERM && noatime)
            continue;
        if (errno != ENOSYS && errno != E2BIG && errno != EINVAL)
            return -1;
        break; /* an older kernel: the file's own name below */
    }
#endif
    int fd = openat(rfd, rel, fl | O_NOFOLLOW | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = openat(rfd, rel, fl | O_NOFOLLOW);
    return fd;
}

#ifdef EXH_TEST_CRASH
/* Test-only build (make CRASHTEST=1): files that misbehave while read. A file
 * starting EXHUNT-TEST-SLOW takes ten minutes to read (--file-timeout); one
 * starting EXHUNT-TEST-SHRINK is cut to 4 KiB once it is mapped, as a log
 * rotated under a reader (the SIGBUS path). */
static void test_hooks(const char *path, const uint8_t *p, size_t n, bool mapped)
{
    if (n >= 16 && !memcmp(p, "EXHUNT-TEST-SLOW", 16))
        for (int i = 0; i < 600; i++)
            exh_os_sleep_ms(1000);
    if (mapped && n >= 18 && !memcmp(p, "EXHUNT-TEST-SHRINK", 18)) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            if (ftruncate(fd, 4096) != 0)
                perror("EXHUNT-TEST-SHRINK");
            close(fd);
        }
    }
}
#else
#define test_hooks(path, p, n, mapped) ((void)0)
#endif

enum exh_err exh_os_map(const char *path, struct exh_map *out, const char **sys_msg)
{
    memset(out, 0, sizeof(*out));
    int fd = open_evidence(path);
    if (fd < 0) {
        if (sys_msg)
            *sys_msg = errno == ELOOP ? "became a symbolic link after it was listed; not followed"
                                      : strerror(errno);
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
            if (k == 0) { /* the file shrank: use what is there, and say so */
                out->changed_ = true;
                break;
            }
            got += (size_t)k;
        }
        close(fd);
        out->p = buf;
        out->n = got;
        out->priv_ = buf;
        out->priv_n_ = 0;
        test_hooks(path, buf, got, false);
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
    out->slot_ = watch_map(m, n);
    test_hooks(path, m, n, true);
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

bool exh_os_unmap(struct exh_map *m)
{
    bool changed = m->changed_;
    if (m->priv_n_) {
        changed |= unwatch_map(m->slot_);
        munmap(m->priv_, m->priv_n_);
    } else {
        free(m->priv_);
    }
    memset(m, 0, sizeof(*m));
    return changed;
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

/* A folder below dfd, never through a link (O_NOFOLLOW: one swapped in since
 * the listing is refused, not followed), without touching its access time
 * where allowed (O_NOATIME needs the owner or CAP_FOWNER). */
static int open_dir_at(int dfd, const char *name, bool follow)
{
    int fl = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW);
    int fd = openat(dfd, name, fl | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = openat(dfd, name, fl);
    return fd;
}

/* Walk the folder open as dfd (w->path names it); closes dfd. */
static void walk_dir(struct walker *w, int dfd, int depth)
{
    if (depth > WALK_MAX_DEPTH) {
        close(dfd);
        emit_error(w, EXH_ERR_TOO_DEEP, "directory nesting too deep");
        return;
    }
    /* the names first (a copy of dfd for the listing, which closedir closes),
     * then each entry relative to dfd */
    int lfd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
    DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
    if (!d) {
        int e = errno;
        if (lfd >= 0)
            close(lfd);
        close(dfd);
        emit_error(w, map_errno(e) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST, strerror(e));
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
        if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
            emit_error(w, map_errno(errno), strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            int cfd = open_dir_at(dfd, names[i], false);
            if (cfd < 0) {
                int e = errno;
                emit_error(w, map_errno(e) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST,
                           e == ELOOP || e == ENOTDIR
                               ? "became a link or a file after it was listed; not followed"
                               : strerror(e));
                continue;
            }
            walk_dir(w, cfd, depth + 1);
        } else {
            struct exh_walk_entry e = {0};
            e.path = w->path.p;
            e.rel = rel_of(w);
            fill_from_stat(&e, &st);
            w->stop = w->fn(w->ud, &e);
        }
    }
    close(dfd);
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
        /* the root itself is followed when it is a link */
        int rfd = open_dir_at(AT_FDCWD, w.path.p, true);
        if (rfd < 0) {
            emit_error(&w, map_errno(errno) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST,
                       strerror(errno));
        } else {
            remember_root(w.path.p, w.path.n, rfd);
            walk_dir(&w, rfd, 0);
        }
    } else {
        remember_direct(w.path.p);
        struct exh_walk_entry e = {0};
        e.path = w.path.p;
        e.rel = "";
        fill_from_stat(&e, &st);
        fn(ud, &e);
    }
    exh_buf_release(&w.path);
    return EXH_OK;
}

/* copy[0..*n) becomes its parent folder's path ("" above a relative one). */
static void cut_to_parent(char *copy, size_t *n)
{
    while (*n > 0 && copy[*n - 1] != '/')
        (*n)--;
    while (*n > 1 && copy[*n - 1] == '/')
        (*n)--;
    copy[*n] = '\0';
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
        cut_to_parent(copy, &n);
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

char *exh_os_path_key(const char *path)
{
    return realpath(path, NULL);
}

/* Is the file open as fd mounted over its name (a bind mount of a file,
 * which device and inode do not reveal when it comes from the same file
 * system)? Linux 5.8's mount ids; false where they are not told. */
static bool mounted_over(int fd, int dfd)
{
#if defined(__linux__) && defined(STATX_BASIC_STATS)
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
    struct statx a, b;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &a) != 0 ||
        statx(dfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &b) != 0)
        return false;
    if (!(a.stx_mask & STATX_MNT_ID) || !(b.stx_mask & STATX_MNT_ID))
        return false;
    return a.stx_mnt_id != b.stx_mnt_id;
#else
    (void)fd;
    (void)dfd;
    return false;
#endif
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* The folder open as dfd, and each folder above it up to "/", by device and
 * inode against every root (rok[i]: rst[i] is known): the index of the root
 * it lies in, or EXH_OUT_ERROR. */
static size_t inside_by_identity(int dfd, const struct stat *rst, const bool *rok, size_t nroots)
{
    size_t inside = EXH_OUT_ERROR;
    int cur = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
    for (int depth = 0; cur >= 0 && depth < 4096 && inside == EXH_OUT_ERROR; depth++) {
        struct stat cst, ust;
        if (fstat(cur, &cst) != 0)
            break;
        for (size_t i = 0; i < nroots; i++)
            if (rok[i] && S_ISDIR(rst[i].st_mode) && same_file(&cst, &rst[i]))
                inside = i;
        int up = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(cur);
        cur = up;
        if (up < 0 || fstat(up, &ust) != 0 || same_file(&ust, &cst))
            break; /* the top (or a folder above that cannot be opened) */
    }
    if (cur >= 0)
        close(cur);
    return inside;
}

size_t exh_os_inside(const char *path, const char *const *roots, size_t nroots)
{
    size_t inside = EXH_OUT_ERROR;
    struct stat *rst = exh_xcalloc(nroots ? nroots : 1, sizeof(*rst));
    bool *rok = exh_xcalloc(nroots ? nroots : 1, sizeof(*rok));
    for (size_t i = 0; i < nroots; i++)
        rok[i] = stat(roots[i], &rst[i]) == 0;
    /* the deepest existing ancestor (or path itself) */
    char *copy = exh_xstrdup(path[0] ? path : ".");
    size_t n = strlen(copy);
    int dfd = -1;
    for (;;) {
        dfd = open(n ? copy : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0 || n == 0)
            break;
        cut_to_parent(copy, &n);
    }
    if (dfd >= 0) {
        inside = inside_by_identity(dfd, rst, rok, nroots);
        close(dfd);
    }
    for (size_t i = 0; i < nroots && inside == EXH_OUT_ERROR; i++)
        if (exh_os_path_inside(path, roots[i]))
            inside = i;
    free(copy);
    free(rst);
    free(rok);
    return inside;
}

enum exh_dir_state exh_os_dir_state(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? EXH_DIR_MISSING : EXH_DIR_OTHER;
    if (!S_ISDIR(st.st_mode))
        return EXH_DIR_OTHER;
    DIR *d = opendir(path);
    if (!d)
        return EXH_DIR_OTHER;
    enum exh_dir_state r = EXH_DIR_EMPTY;
    struct dirent *de;
    while (r == EXH_DIR_EMPTY && (de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            r = EXH_DIR_FULL;
    closedir(d);
    return r;
}

enum exh_err exh_os_mkdirs(const char *path, const char **sys_msg)
{
    char *p = exh_xstrdup(path);
    size_t n = strlen(p);
    enum exh_err err = EXH_OK;
    /* each prefix ending before a '/', then the whole path */
    for (size_t i = 1; i <= n && err == EXH_OK; i++) {
        if (i < n && p[i] != '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            *sys_msg = strerror(errno);
            err = map_errno(errno);
        } else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            *sys_msg = strerror(ENOTDIR);
            err = EXH_ERR_OPEN;
        }
        p[i] = c;
    }
    free(p);
    return err;
}

struct exh_rfile {
    int fd;
    int test_changed; /* test-only build: 1 read as if changed meanwhile, 2 as if grown */
};

#ifdef EXH_TEST_CRASH
/* Test-only build (make CRASHTEST=1), for `scan --collect`: a file starting
 * EXHUNT-TEST-VANISH cannot be opened for copying (as if deleted after the
 * scan); one starting EXHUNT-TEST-CHANGE looks modified once it is copied,
 * one starting EXHUNT-TEST-GROW longer (a log written to meanwhile). No file
 * is changed. */
static int copy_hooks(int fd, int *changed)
{
    char head[18];
    ssize_t k = pread(fd, head, sizeof(head), 0);
    if (k == (ssize_t)sizeof(head) && !memcmp(head, "EXHUNT-TEST-VANISH", 18))
        return ENOENT;
    *changed = k == (ssize_t)sizeof(head) && !memcmp(head, "EXHUNT-TEST-CHANGE", 18) ? 1
               : k >= 16 && !memcmp(head, "EXHUNT-TEST-GROW", 16)                    ? 2
                                                                                     : 0;
    return 0;
}
#else
#define copy_hooks(fd, changed) 0
#endif

static void info_from_stat(struct exh_file_info *info, const struct stat *st)
{
    memset(info, 0, sizeof(*info));
    info->size = (uint64_t)st->st_size;
    info->mtime_ms = (int64_t)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000;
    info->has_ctime = true;
    info->ctime_ms = (int64_t)st->st_ctim.tv_sec * 1000 + st->st_ctim.tv_nsec / 1000000;
    info->ctime_what = "changed";
}

enum exh_err exh_os_open_read(const char *path, struct exh_rfile **out, struct exh_file_info *info,
                              const char **sys_msg)
{
    *out = NULL;
    int fd = open_evidence(path);
    if (fd < 0) {
        *sys_msg = errno == ELOOP ? "became a symbolic link after it was listed; not followed"
                                  : strerror(errno);
        return map_errno(errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *sys_msg = "not a regular file";
        return EXH_ERR_OPEN;
    }
    int test_changed = 0;
    int hook = copy_hooks(fd, &test_changed);
    if (hook) {
        close(fd);
        *sys_msg = strerror(hook);
        return map_errno(hook);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    info_from_stat(info, &st);
    *out = exh_xmalloc(sizeof(**out));
    (*out)->fd = fd;
    (*out)->test_changed = test_changed;
    return EXH_OK;
}

enum exh_err exh_os_read(struct exh_rfile *f, void *buf, size_t cap, size_t *got,
                         const char **sys_msg)
{
    for (;;) {
        ssize_t k = read(f->fd, buf, cap);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            *got = 0;
            *sys_msg = strerror(errno);
            return EXH_ERR_READ;
        }
        *got = (size_t)k;
        return EXH_OK;
    }
}

bool exh_os_read_info(struct exh_rfile *f, struct exh_file_info *info)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return false;
    info_from_stat(info, &st);
    if (f->test_changed)
        info->mtime_ms += 1000;
    if (f->test_changed == 2)
        info->size += 100;
    return true;
}

void exh_os_close_read(struct exh_rfile *f)
{
    if (f) {
        close(f->fd);
        free(f);
    }
}

struct exh_wfile {
    int fd;
};

enum exh_err exh_os_create_new(const char *path, struct exh_wfile **out, const char **sys_msg)
{
    *out = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        *sys_msg = strerror(e);
        return e == EEXIST ? EXH_ERR_EXISTS : map_errno(e);
    }
    *out = exh_xmalloc(sizeof(**out));
    (*out)->fd = fd;
    return EXH_OK;
}

enum exh_err exh_os_write(struct exh_wfile *f, const void *p, size_t n, const char **sys_msg)
{
    const char *b = p;
    while (n) {
        ssize_t k = write(f->fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            *sys_msg = strerror(k < 0 ? errno : ENOSPC);
            return EXH_ERR_WRITE;
        }
        b += k;
        n -= (size_t)k;
    }
    return EXH_OK;
}

enum exh_err exh_os_close_write(struct exh_wfile *f, int64_t mtime_ms, const char **sys_msg)
{
    enum exh_err err = EXH_OK;
    if (fsync(f->fd) != 0 && errno != EINVAL && errno != EROFS) {
        *sys_msg = strerror(errno);
        err = EXH_ERR_WRITE;
    }
    if (err == EXH_OK && mtime_ms >= 0) {
        struct timespec ts[2];
        ts[0].tv_sec = 0;
        ts[0].tv_nsec = UTIME_OMIT;
        ts[1].tv_sec = (time_t)(mtime_ms / 1000);
        ts[1].tv_nsec = (long)(mtime_ms % 1000) * 1000000;
        futimens(f->fd, ts); /* a nicety: the copy still stands without it */
    }
    if (close(f->fd) != 0 && err == EXH_OK) {
        *sys_msg = strerror(errno);
        err = EXH_ERR_WRITE;
    }
    free(f);
    return err;
}

void exh_os_remove(const char *path)
{
    unlink(path);
}

FILE *exh_os_open_output(const char *path, const char *const *roots, size_t nroots, size_t *inside,
                         const char **why)
{
    *inside = EXH_OUT_ERROR;
    *why = NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        *why = strerror(EISDIR);
        return NULL;
    }
    char *dir =
        slash ? exh_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : exh_xstrdup(".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int e = errno;
    free(dir);
    if (dfd < 0) {
        *why = strerror(e);
        return NULL;
    }
    /* The folder the report goes in, and each folder above it up to "/", by
     * device and inode against every root: a string comparison of paths is
     * fooled by bind mounts, case-insensitive names and links. */
    struct stat *rst = exh_xcalloc(nroots ? nroots : 1, sizeof(*rst));
    bool *rok = exh_xcalloc(nroots ? nroots : 1, sizeof(*rok));
    for (size_t i = 0; i < nroots; i++)
        rok[i] = stat(roots[i], &rst[i]) == 0;
    *inside = inside_by_identity(dfd, rst, rok, nroots);
    /* and by resolved path, for a folder above that could not be opened */
    for (size_t i = 0; i < nroots && *inside == EXH_OUT_ERROR; i++)
        if (exh_os_path_inside(path, roots[i]))
            *inside = i;
    FILE *f = NULL;
    int fd = -1;
    if (*inside != EXH_OUT_ERROR)
        goto out;
    /* The file itself: never through a link (a dangling one could point into
     * the evidence), never one with other hard links, never the evidence file
     * itself; truncated only after these checks. */
    fd = openat(dfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0666);
    struct stat st;
    if (fd < 0 && errno == ELOOP) {
        /* a link: only to a pipe or a character device (/dev/stdout, >(cmd)),
         * opened without creating anything */
        fd = openat(dfd, base, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0 && fstat(fd, &st) == 0 &&
            (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode)))
            goto open_ok;
        if (fd >= 0)
            close(fd);
        fd = -1;
        *inside = EXH_OUT_REFUSED;
        *why = "it is a symbolic link (it could point into the evidence); give the path it "
               "points to";
        goto out;
    }
    if (fd < 0) {
        *why = strerror(errno);
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        *why = strerror(errno);
        goto out;
    }
    if (S_ISREG(st.st_mode)) {
        for (size_t i = 0; i < nroots; i++)
            if (rok[i] && same_file(&st, &rst[i]))
                *inside = i;
        if (*inside != EXH_OUT_ERROR)
            goto out;
        if (st.st_nlink > 1) {
            *inside = EXH_OUT_REFUSED;
            *why = "it has other hard links (one could be in the evidence)";
            goto out;
        }
        if (mounted_over(fd, dfd)) {
            *inside = EXH_OUT_REFUSED;
            *why = "a file is mounted over it (a bind mount could bring in the evidence)";
            goto out;
        }
        if (ftruncate(fd, 0) != 0) {
            *why = strerror(errno);
            goto out;
        }
    } else if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
        *inside = EXH_OUT_REFUSED;
        *why = "not a regular file";
        goto out;
    }
open_ok : {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    f = fdopen(fd, "wb");
    if (!f)
        *why = strerror(errno);
    else
        fd = -1;
}
out:
    if (fd >= 0)
        close(fd);
    close(dfd);
    free(rst);
    free(rok);
    return f;
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

long exh_os_raise_fd_limit(long want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 256;
    if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)want > rl.rlim_cur) {
        rlim_t n =
            rl.rlim_max == RLIM_INFINITY || (rlim_t)want < rl.rlim_max ? (rlim_t)want : rl.rlim_max;
        struct rlimit nr = {n, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &nr) == 0)
            rl.rlim_cur = n;
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1L << 30 ? 1L << 30 : (long)rl.rlim_cur;
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
                    void (*on_line)(void *ud, const char *line), int (*on_tick)(void *ud), void *ud,
                    char how[64])
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
    bool killed = false;
    int64_t next_tick = exh_os_mono_ms() + 1000;
    for (;;) {
        if (on_tick) {
            int64_t now = exh_os_mono_ms();
            if (now >= next_tick) {
                next_tick = now + 1000;
                if (on_tick(ud)) {
                    kill(pid, SIGKILL);
                    killed = true;
                    break;
                }
            }
            struct pollfd pf = {p[0], POLLIN, 0};
            int wait = (int)(next_tick - now);
            int pr = poll(&pf, 1, wait > 0 ? wait : 0);
            if (pr < 0 && errno == EINTR)
                continue;
            if (pr == 0)
                continue;
        }
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
    if (killed) {
        snprintf(how, 64, "stopped: a file took longer than its time budget");
        return EXH_RUN_SELF_KILLED;
    }
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
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    int fd = child_fd();
    if (fd < 0)
        return;
    pthread_mutex_lock(&mu);
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        n -= (size_t)w;
    }
    pthread_mutex_unlock(&mu);
}

uint64_t exh_os_random_u64(void)
{
    uint64_t v = 0;
    if (getentropy(&v, sizeof(v)) != 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        v = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&v;
    }
    return v;
}

bool exh_os_supervised(void)
{
    return child_fd() >= 0;
}
