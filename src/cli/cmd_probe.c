/* cmd_probe.c: `exhunt probe`: options, @FILE target lists, the progress
 * line on a terminal, and the exit code from the targets' verdicts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/core.h"
#include "exh/os.h"
#include "exh/http.h"
#include "exh/probe.h"
#include "exh/report.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

void usage_probe(FILE *o)
{
    fputs("usage: exhunt probe [options] TARGET...\n"
          "\n"
          "Asks Exchange servers over the network which build they run, the way a browser\n"
          "reaches OWA, and judges that build as `exhunt scan` does: EXPOSED (updates\n"
          "missing, product line out of support, or a check answered as vulnerable), CLEAN\n"
          "or INCOMPLETE (not reached, not Exchange, or the build is not visible).\n"
          "Probe only servers you are responsible for.\n"
          "\n"
          "TARGET is a host name or address (https on 443), host:port, [IPv6]:port, an\n"
          "http:// or https:// URL, or @FILE: one target a line ('#' starts a comment).\n"
          "\n"
          "requests (per target, in order): GET /owa/ (redirects followed on the same host\n"
          "only), then the ECP export tool manifest when the build is not yet complete,\n"
          "then the checks asked for. Certificates are reported, never refused.\n"
          "  --check NAME           also send the published harmless check request of NAME:\n"
          "                         proxylogon (CVE-2021-26855, Microsoft's nmap script),\n"
          "                         proxyshell (CVE-2021-34473, the public nmap script), or\n"
          "                         all; repeatable or comma-separated\n"
          "\n"
          "network:\n"
          "      --parallel N       connections in flight at most (default 64, 1 to 4096)\n"
          "      --rate N           new requests started per second at most (default 0: no\n"
          "                         limit)\n"
          "      --connect-timeout SECONDS  to connect, TLS included (default 5)\n"
          "      --timeout SECONDS  per request, connect included (default 10): a server\n"
          "                         that trickles its answer is cut off here\n"
          "  Nothing is retried. Each response is read up to 64 KiB of headers and 256 KiB\n"
          "  of body.\n"
          "\n"
          "output:\n"
          "  -f, --format FMT       text (default), jsonl (JSON Lines, Elastic ECS names) or csv\n"
          "      --json             same as --format jsonl\n"
          "  -o, --output FILE      write the report to FILE instead of standard output\n"
          "  -q, --quiet            no progress and no summary block; text leaves out CLEAN\n"
          "                         targets\n"
          "      --color WHEN       auto (default), always or never; NO_COLOR=1 turns auto off\n"
          "      --no-color         same as --color never\n"
          "      --progress WHEN    auto (default: on when stderr is a terminal) or never\n"
          "\n"
          "exit codes: 0 every target CLEAN, 1 a target EXPOSED, 2 a target INCOMPLETE (and\n"
          "none exposed) or usage error.\n",
          o);
}

static bool parse_num(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

struct targets {
    char **v;
    size_t n, cap;
};

static void target_add(struct targets *t, const char *s, size_t n)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = realloc(t->v, t->cap * sizeof(*t->v));
        if (!t->v)
            abort();
    }
    char *c = exh_xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    t->v[t->n++] = c;
}

static void targets_release(struct targets *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
}

/* @FILE: one target a line, '#' comments, blank lines skipped. */
static bool read_list(struct targets *t, const char *path)
{
    FILE *f = exh_os_fopen(path, "rb");
    if (!f)
        return false;
    struct exh_buf data = {0};
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0 && data.n < 64u << 20)
        exh_buf_add(&data, chunk, k);
    bool ok = !ferror(f);
    fclose(f);
    struct exh_lines it;
    exh_lines_init(&it, data.p, data.n, 0, 0);
    struct exh_str line;
    size_t off;
    while (ok && exh_lines_next(&it, &line, &off)) {
        const char *p = line.p, *e = line.p + line.n;
        const char *hash = memchr(p, '#', line.n);
        if (hash)
            e = hash;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (e > p)
            target_add(t, p, (size_t)(e - p));
    }
    exh_buf_release(&data);
    return ok;
}

struct progress_state {
    int64_t start, last;
    bool shown;
    int width;
};

static void on_progress(void *ud, size_t done, size_t total, size_t in_flight)
{
    struct progress_state *ps = ud;
    int64_t now = exh_os_mono_ms();
    if (now - ps->start < 1000 || now - ps->last < 250)
        return;
    ps->last = now;
    char line[160];
    snprintf(line, sizeof(line), "targets %zu/%zu  connections %zu", done, total, in_flight);
    if ((int)strlen(line) >= ps->width)
        line[ps->width > 1 ? ps->width - 1 : 0] = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    ps->shown = true;
}

int cmd_probe(int argc, char **argv)
{
    struct exh_probe_opts o;
    exh_probe_opts_init(&o);
    const char *format = "text", *output = NULL, *color = "auto", *progress = "auto";
    bool quiet = false, only_targets = false;
    struct targets tg = {0};
    int rc = 2;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        rc = usage_error(__VA_ARGS__);                                                             \
        goto out;                                                                                  \
    } while (0)

    const char *nowenv = exh_os_getenv("EXH_NOW");
    int64_t now = exh_os_now_ms();
    if (nowenv && *nowenv && !exh_time_parse(nowenv, strlen(nowenv), &now))
        FAIL("EXH_NOW='%s' is not an RFC 3339 time", nowenv);
    o.now_ms = now;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (only_targets || a[0] != '-') {
            if (a[0] == '@') {
                if (!read_list(&tg, a + 1))
                    FAIL("probe: cannot read the target list '%s': %s", a + 1, strerror(errno));
            } else {
                target_add(&tg, a, strlen(a));
            }
            continue;
        }
        if (!strcmp(a, "--")) {
            only_targets = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage_probe(stdout);
            rc = 0;
            goto out;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
            continue;
        }
        if (!strcmp(a, "--json")) {
            format = "jsonl";
            continue;
        }
        if (!strcmp(a, "--no-color")) {
            color = "never";
            continue;
        }
        struct {
            const char *s, *l, **var;
        } vals[] = {{"-f", "--format", &format},
                    {"-o", "--output", &output},
                    {NULL, "--color", &color},
                    {NULL, "--colour", &color},
                    {NULL, "--progress", &progress}};
        bool matched = false;
        for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]) && !matched; k++) {
            r = cli_opt_value(argc, argv, &i, vals[k].s, vals[k].l, &v);
            if (r < 0)
                FAIL("%s needs a value", a);
            if (r > 0) {
                *vals[k].var = v;
                matched = true;
            }
        }
        if (matched)
            continue;
        long n;
        if ((r = cli_opt_value(argc, argv, &i, NULL, "--check", &v)) != 0) {
            if (r < 0)
                FAIL("--check needs a value");
            for (const char *p = v; *p;) {
                size_t k = strcspn(p, ",");
                if (k == 10 && !strncmp(p, "proxylogon", k))
                    o.check_proxylogon = true;
                else if (k == 10 && !strncmp(p, "proxyshell", k))
                    o.check_proxyshell = true;
                else if (k == 3 && !strncmp(p, "all", k))
                    o.check_proxylogon = o.check_proxyshell = true;
                else
                    FAIL("--check takes proxylogon, proxyshell or all, not '%.*s'", (int)k, p);
                p += k + (p[k] == ',');
            }
            continue;
        }
        if ((r = cli_opt_value(argc, argv, &i, NULL, "--parallel", &v)) != 0) {
            if (r < 0 || !parse_num(v, 1, 4096, &n))
                FAIL("--parallel takes a number from 1 to 4096");
            o.http.parallel = (int)n;
            continue;
        }
        if ((r = cli_opt_value(argc, argv, &i, NULL, "--rate", &v)) != 0) {
            if (r < 0 || !parse_num(v, 0, 100000, &n))
                FAIL("--rate takes a number of requests a second from 0 (no limit) to 100000");
            o.http.rate = (int)n;
            continue;
        }
        if ((r = cli_opt_value(argc, argv, &i, NULL, "--connect-timeout", &v)) != 0) {
            if (r < 0 || !parse_num(v, 1, 600, &n))
                FAIL("--connect-timeout takes whole seconds from 1 to 600");
            o.http.connect_timeout_ms = n * 1000;
            continue;
        }
        if ((r = cli_opt_value(argc, argv, &i, NULL, "--timeout", &v)) != 0) {
            if (r < 0 || !parse_num(v, 1, 3600, &n))
                FAIL("--timeout takes whole seconds from 1 to 3600");
            o.http.timeout_ms = n * 1000;
            continue;
        }
        FAIL("probe: unknown option '%s'", a);
    }
    const struct exh_reporter_ops *ops = exh_reporter_by_name(format);
    if (!ops || ops == &exh_report_html) /* the HTML page is the scan's only */
        FAIL("unknown format '%s' (text, jsonl or csv)", format);
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never"))
        FAIL("--color takes auto, always or never, not '%s'", color);
    if (strcmp(progress, "auto") && strcmp(progress, "never"))
        FAIL("--progress takes auto or never, not '%s'", progress);
    if (!tg.n)
        FAIL("probe needs at least one TARGET");
    if (!exh_http_available()) {
#ifdef _WIN32
        fputs("exhunt: probe cannot run: winhttp.dll or crypt32.dll could not be loaded from "
              "System32\n",
              stderr);
#else
        fputs("exhunt: probe is not in this static build (it has no HTTP client): run `exhunt "
              "probe` with the ordinary build (make) or with exhunt.exe\n",
              stderr);
#endif
        goto out;
    }
    if (o.http.connect_timeout_ms > o.http.timeout_ms)
        o.http.connect_timeout_ms = o.http.timeout_ms;
    /* a socket per connection, and some to spare */
    long lim = exh_os_raise_fd_limit(2L * o.http.parallel + 64);
    if (lim > 0 && lim < 2L * o.http.parallel + 64) {
        long p = (lim - 64) / 2 > 1 ? (lim - 64) / 2 : 1;
        if (!quiet)
            fprintf(stderr, "exhunt: only %ld open files allowed: --parallel %ld instead of %d\n",
                    lim, p, o.http.parallel);
        o.http.parallel = (int)p;
    }
    o.http.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) exhunt-probe/" EXH_VERSION;
    o.targets = (const char *const *)tg.v;
    o.ntargets = tg.n;

    FILE *out = stdout;
    if (output && strcmp(output, "-") != 0) {
        size_t inside;
        const char *why;
        out = exh_os_open_output(output, NULL, 0, &inside, &why);
        if (!out) {
            fprintf(stderr, "exhunt: cannot write '%s': %s\n", output, why);
            goto out;
        }
    }
    struct progress_state ps = {0};
    if (!quiet && strcmp(progress, "never") != 0 && exh_os_isatty(2)) {
        ps.start = ps.last = exh_os_mono_ms();
        ps.width = exh_os_term_width(2);
        o.progress = on_progress;
        o.progress_ud = &ps;
    }
    struct exh_probe_result res;
    enum exh_err err = exh_probe(&o, &res);
    if (ps.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (err != EXH_OK) {
        fprintf(stderr, "exhunt: probe failed: the HTTP client could not start\n");
        if (out != stdout)
            fclose(out);
        goto out;
    }
    struct exh_report rep;
    cli_report_init(&rep, ops, out, quiet, color, now);
    exh_report_probe(&rep, &res);
    rc = cli_report_close(out, res.exit_code);
    exh_probe_result_release(&res);
out:
    targets_release(&tg);
    return rc;
#undef FAIL
}
