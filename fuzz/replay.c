/* replay.c: run every fuzz target over its committed corpus, without
 * libFuzzer, so `make test` exercises the targets under ASan/UBSan with any
 * C11 compiler. All targets are #included into this one program.
 *
 *   fuzz-replay CORPUS_ROOT          every file in CORPUS_ROOT/<target>/
 *   fuzz-replay TARGET FILE...       just these files (to reproduce a crash)
 *
 * A crash or a failed check aborts the process (and the sanitizers print
 * where); a file that cannot be read counts as failed. Unknown folders under
 * CORPUS_ROOT, a target without inputs and an empty replay are errors.
 * EXH_FUZZ_VERBOSE=1 names every input on stderr before it runs. An input
 * that runs longer than EXH_FUZZ_TIMEOUT seconds (default 60, 0: no limit)
 * is a hang: the replay aborts and names it.
 * Linux/POSIX only (dirent, alarm). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_archive.c"
#include "fuzz_code.c"
#include "fuzz_evtx.c"
#include "fuzz_exlog.c"
#include "fuzz_iisconfig.c"
#include "fuzz_ioc.c"
#include "fuzz_iocjson.c"
#include "fuzz_ioclist.c"
#include "fuzz_iocxml.c"
#include "fuzz_iocyaml.c"
#include "fuzz_match.c"
#include "fuzz_merge.c"
#include "fuzz_minidump.c"
#include "fuzz_mitigation.c"
#include "fuzz_netaddr.c"
#include "fuzz_probe.c"
#include "fuzz_pe.c"
#include "fuzz_scan.c"

/* The input being replayed, named when a check or a sanitizer kills us.
 * (UBSan, as gcc links it, keeps its own death callbacks: set
 * EXH_FUZZ_VERBOSE=1 to see each input's name before it runs.) */
static const char *rp_current;
static bool rp_verbose;
static unsigned rp_timeout = 60;

static void rp_say_current(void)
{
    if (rp_current)
        fprintf(stderr, "fuzz-replay: the input that failed: %s\n", rp_current);
}

static void rp_on_abort(int sig)
{
    (void)sig;
    rp_say_current();
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
}

/* An input ran past EXH_FUZZ_TIMEOUT: abort, and rp_on_abort names it. */
static void rp_on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "fuzz-replay: timeout: the input runs too long (a hang?)\n";
    ssize_t k = write(2, msg, sizeof(msg) - 1);
    (void)k;
    abort();
}

#if defined(__GNUC__) || defined(__clang__)
/* The sanitizers call this just before they end the process. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
#endif

static void rp_install_handlers(void)
{
    signal(SIGABRT, rp_on_abort);
    signal(SIGALRM, rp_on_alarm);
#if defined(__GNUC__) || defined(__clang__)
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(rp_say_current);
#endif
}

struct rp_target {
    const char *name;
    int (*fn)(const uint8_t *data, size_t size);
    unsigned long passed, failed;
};

static struct rp_target rp_targets[] = {
    {"exlog", exh_fuzz_exlog, 0, 0},
    {"minidump", exh_fuzz_minidump, 0, 0},
    {"match", exh_fuzz_match, 0, 0},
    {"scan", exh_fuzz_scan, 0, 0},
    {"code", exh_fuzz_code, 0, 0},
    {"ioc", exh_fuzz_ioc, 0, 0},
    {"evtx", exh_fuzz_evtx, 0, 0},
    {"iisconfig", exh_fuzz_iisconfig, 0, 0},
    {"netaddr", exh_fuzz_netaddr, 0, 0},
    {"pe", exh_fuzz_pe, 0, 0},
    {"mitigation", exh_fuzz_mitigation, 0, 0},
    {"probe", exh_fuzz_probe, 0, 0},
    {"merge", exh_fuzz_merge, 0, 0},
    {"iocjson", exh_fuzz_iocjson, 0, 0},
    {"iocyaml", exh_fuzz_iocyaml, 0, 0},
    {"iocxml", exh_fuzz_iocxml, 0, 0},
    {"ioclist", exh_fuzz_ioclist, 0, 0},
    {"archive", exh_fuzz_archive, 0, 0},
};
#define RP_NTARGETS (sizeof(rp_targets) / sizeof(rp_targets[0]))

static struct rp_target *rp_find(const char *name)
{
    for (size_t i = 0; i < RP_NTARGETS; i++)
        if (!strcmp(rp_targets[i].name, name))
            return &rp_targets[i];
    return NULL;
}

static char *rp_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + 1 + nb + 1);
    if (!s)
        abort();
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

/* The whole file in an exactly sized heap block (so reading one byte past
 * the input is an ASan error). */
static bool rp_read(const char *path, uint8_t **out, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz-replay: %s: %s\n", path, strerror(errno));
        return false;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                abort();
            buf = nb;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0)
            break;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        fprintf(stderr, "fuzz-replay: %s: read error\n", path);
        free(buf);
        return false;
    }
    *out = exh_fuzz_dup(buf, len);
    *n = len;
    free(buf);
    return true;
}

static void rp_run_file(struct rp_target *t, const char *path)
{
    uint8_t *data;
    size_t n;
    if (!rp_read(path, &data, &n)) {
        t->failed++;
        return;
    }
    rp_current = path;
    if (rp_verbose)
        fprintf(stderr, "fuzz-replay: %s < %s\n", t->name, path);
    alarm(rp_timeout);
    int rc = t->fn(data, n);
    alarm(0);
    rp_current = NULL;
    free(data);
    if (rc != 0) {
        fprintf(stderr, "fuzz-replay: %s: target %s returned %d\n", path, t->name, rc);
        t->failed++;
        return;
    }
    t->passed++;
}

static int rp_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names in dir, sorted, without dot files. NULL (and a message) on error. */
static char **rp_list(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "fuzz-replay: %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof(*names));
            if (!nn)
                abort();
            names = nn;
        }
        size_t len = strlen(e->d_name);
        names[n] = malloc(len + 1);
        if (!names[n])
            abort();
        memcpy(names[n], e->d_name, len + 1);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), rp_cmp_str);
    *count = n;
    return names ? names : calloc(1, sizeof(*names));
}

static void rp_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static bool rp_is_dir(const char *path, bool *is_dir)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fuzz-replay: %s: %s\n", path, strerror(errno));
        return false;
    }
    *is_dir = S_ISDIR(st.st_mode);
    return true;
}

/* Replay every file in dir through t; false on a listing error. */
static bool rp_run_dir(struct rp_target *t, const char *dir)
{
    size_t n;
    char **names = rp_list(dir, &n);
    if (!names)
        return false;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *path = rp_join(dir, names[i]);
        bool is_dir;
        if (!rp_is_dir(path, &is_dir)) {
            t->failed++;
        } else if (is_dir) {
            fprintf(stderr, "fuzz-replay: %s: unexpected folder in a corpus\n", path);
            ok = false;
        } else {
            rp_run_file(t, path);
        }
        free(path);
    }
    rp_free_list(names, n);
    return ok;
}

static int rp_usage(void)
{
    fputs("usage: fuzz-replay CORPUS_ROOT\n"
          "       fuzz-replay TARGET FILE...   (TARGET: exlog, minidump, match, scan,\n"
          "                                     code, ioc, evtx, iisconfig,\n"
          "                                     netaddr, pe, mitigation, probe,\n"
          "                                     merge, iocjson, iocyaml, iocxml,\n"
          "                                     ioclist, archive)\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    bool ok = true;
    rp_install_handlers();
    const char *v = getenv("EXH_FUZZ_VERBOSE");
    rp_verbose = v && *v && strcmp(v, "0") != 0;
    const char *to = getenv("EXH_FUZZ_TIMEOUT");
    if (to && *to)
        rp_timeout = (unsigned)strtoul(to, NULL, 10);
    if (argc == 2) {
        const char *root = argv[1];
        size_t n;
        char **names = rp_list(root, &n);
        if (!names)
            return 1;
        for (size_t i = 0; i < n; i++) {
            char *dir = rp_join(root, names[i]);
            struct rp_target *t = rp_find(names[i]);
            bool is_dir = false;
            if (!rp_is_dir(dir, &is_dir) || !is_dir || !t) {
                fprintf(stderr, "fuzz-replay: %s: not a fuzz target's corpus folder\n", dir);
                ok = false;
            } else if (!rp_run_dir(t, dir)) {
                ok = false;
            }
            free(dir);
        }
        rp_free_list(names, n);
        for (size_t i = 0; i < RP_NTARGETS; i++) {
            if (rp_targets[i].passed + rp_targets[i].failed == 0) {
                fprintf(stderr, "fuzz-replay: no inputs for target %s under %s\n",
                        rp_targets[i].name, root);
                ok = false;
            }
        }
    } else if (argc >= 3) {
        struct rp_target *t = rp_find(argv[1]);
        if (!t)
            return rp_usage();
        for (int i = 2; i < argc; i++)
            rp_run_file(t, argv[i]);
    } else {
        return rp_usage();
    }

    unsigned long passed = 0, failed = 0;
    for (size_t i = 0; i < RP_NTARGETS; i++) {
        const struct rp_target *t = &rp_targets[i];
        if (t->passed + t->failed)
            printf("fuzz-replay: %-8s %lu passed, %lu failed\n", t->name, t->passed, t->failed);
        passed += t->passed;
        failed += t->failed;
    }
    printf("fuzz-replay: %lu passed, %lu failed\n", passed, failed);
    if (!ok || failed > 0 || passed == 0)
        return 1;
    return 0;
}
