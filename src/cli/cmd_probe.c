/* cmd_probe.c: `exhunt probe`: options, @FILE target lists, the progress
 * line on a terminal, and the exit code from the targets' verdicts. */
#include <errno.h>
#include <stddef.h>
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

/* A probe's settings: what the options set. */
struct probe_args {
    struct exh_probe_opts o; /* --parallel and --rate go straight in */
    const char *format, *output, *color, *progress;
    bool quiet;
    int connect_s, timeout_s; /* -1: not given */
    struct targets tg;
};

/* --check NAME[,NAME...] */
static int opt_check(void *args, const char *opt, const char *v)
{
    struct probe_args *pa = args;
    if (!v)
        return usage_error("%s needs a value", opt);
    for (const char *p = v; *p;) {
        size_t k = strcspn(p, ",");
        if (k == 10 && !strncmp(p, "proxylogon", k))
            pa->o.check_proxylogon = true;
        else if (k == 10 && !strncmp(p, "proxyshell", k))
            pa->o.check_proxyshell = true;
        else if (k == 3 && !strncmp(p, "all", k))
            pa->o.check_proxylogon = pa->o.check_proxyshell = true;
        else
            return usage_error("--check takes proxylogon, proxyshell or all, not '%.*s'", (int)k,
                               p);
        p += k + (p[k] == ',');
    }
    return 0;
}

/* TARGET, or @FILE: a list of them */
static int probe_target(void *args, const char *a)
{
    struct targets *tg = &((struct probe_args *)args)->tg;
    if (a[0] != '@')
        target_add(tg, a, strlen(a));
    else if (!read_list(tg, a + 1))
        return usage_error("probe: cannot read the target list '%s': %s", a + 1, strerror(errno));
    return 0;
}

#define P(field) offsetof(struct probe_args, field)
static const struct cli_opt probe_opts[] = {
    CLI_OPT_HELP(),
    CLI_OPT_CALL(0, "check", opt_check, "NAME",
                 "also send the published harmless check request of NAME:\n"
                 "proxylogon (CVE-2021-26855, Microsoft's nmap script),\n"
                 "proxyshell (CVE-2021-34473, the public nmap script), or\n"
                 "all; repeatable or comma-separated"),
    CLI_OPT_TEXT("\nnetwork:"),
    CLI_OPT_INT(0, "parallel", P(o.http.parallel), 1, 4096,
                "--parallel takes a number from 1 to 4096", "N",
                "connections in flight at most (default 64, 1 to 4096)"),
    CLI_OPT_INT(0, "rate", P(o.http.rate), 0, 100000,
                "--rate takes a number of requests a second from 0 (no limit) to 100000", "N",
                "new requests started per second at most (default 0: no\n"
                "limit)"),
    CLI_OPT_INT(0, "connect-timeout", P(connect_s), 1, 600,
                "--connect-timeout takes whole seconds from 1 to 600", "SECONDS",
                "to connect, TLS included (default 5)"),
    CLI_OPT_INT(0, "timeout", P(timeout_s), 1, 3600, "--timeout takes whole seconds from 1 to 3600",
                "SECONDS",
                "per request, connect included (default 10): a server\n"
                "that trickles its answer is cut off here"),
    CLI_OPT_TEXT("  Nothing is retried. Each response is read up to 64 KiB of headers and 256 KiB\n"
                 "  of body.\n"
                 "\n"
                 "output:"),
    CLI_OPT_STR('f', "format", P(format), "FMT",
                "text (default), jsonl (JSON Lines, Elastic ECS names) or csv"),
    CLI_OPT_CONST(0, "json", P(format), "jsonl", "same as --format jsonl"),
    CLI_OPT_STR('o', "output", P(output), "FILE",
                "write the report to FILE instead of standard output"),
    CLI_OPT_FLAG('q', "quiet", P(quiet),
                 "no progress and no summary block; text leaves out CLEAN\n"
                 "targets"),
    CLI_OPT_STR(0, "color", P(color), "WHEN",
                "auto (default), always or never; NO_COLOR=1 turns auto off"),
    CLI_OPT_ALIAS("colour", P(color)),
    CLI_OPT_CONST(0, "no-color", P(color), "never", "same as --color never"),
    CLI_OPT_STR(0, "progress", P(progress), "WHEN",
                "auto (default: on when stderr is a terminal) or never"),
};
#undef P

static const struct cli_cmd probe_cmd = {
    .usage = "usage: exhunt probe [options] TARGET...\n"
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
             "then the checks asked for. Certificates are reported, never refused.\n",
    CLI_OPTS(probe_opts),
    .epilog = "\n"
              "exit codes: 0 every target CLEAN, 1 a target EXPOSED, 2 a target INCOMPLETE (and\n"
              "none exposed) or usage error.\n",
    .column = 25,
    .unknown = "probe: unknown option '%s'",
    .positional = probe_target,
    .flags = CLI_DASH_IS_OPTION,
};

/* After the options: the values they left to check, and the limits. */
static int probe_check(struct probe_args *pa, const struct exh_reporter_ops **ops)
{
    struct exh_probe_opts *o = &pa->o;
    *ops = exh_reporter_by_name(pa->format);
    if (!*ops || *ops == &exh_report_html) /* the HTML page is the scan's only */
        return usage_error("unknown format '%s' (text, jsonl or csv)", pa->format);
    if (strcmp(pa->color, "auto") && strcmp(pa->color, "always") && strcmp(pa->color, "never"))
        return usage_error("--color takes auto, always or never, not '%s'", pa->color);
    if (strcmp(pa->progress, "auto") && strcmp(pa->progress, "never"))
        return usage_error("--progress takes auto or never, not '%s'", pa->progress);
    if (!pa->tg.n)
        return usage_error("probe needs at least one TARGET");
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
        return 2;
    }
    if (pa->connect_s >= 0)
        o->http.connect_timeout_ms = pa->connect_s * 1000L;
    if (pa->timeout_s >= 0)
        o->http.timeout_ms = pa->timeout_s * 1000L;
    if (o->http.connect_timeout_ms > o->http.timeout_ms)
        o->http.connect_timeout_ms = o->http.timeout_ms;
    /* a socket per connection, and some to spare */
    long lim = exh_os_raise_fd_limit(2L * o->http.parallel + 64);
    if (lim > 0 && lim < 2L * o->http.parallel + 64) {
        long p = (lim - 64) / 2 > 1 ? (lim - 64) / 2 : 1;
        if (!pa->quiet)
            fprintf(stderr, "exhunt: only %ld open files allowed: --parallel %ld instead of %d\n",
                    lim, p, o->http.parallel);
        o->http.parallel = (int)p;
    }
    o->http.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) exhunt-probe/" EXH_VERSION;
    o->targets = (const char *const *)pa->tg.v;
    o->ntargets = pa->tg.n;
    return CLI_GO;
}

/* Probe and report: the exit code. */
static int probe_run(struct probe_args *pa, const struct exh_reporter_ops *ops, int64_t now)
{
    FILE *out = stdout;
    if (pa->output && strcmp(pa->output, "-") != 0) {
        size_t inside;
        const char *why;
        out = exh_os_open_output(pa->output, NULL, 0, &inside, &why);
        if (!out) {
            fprintf(stderr, "exhunt: cannot write '%s': %s\n", pa->output, why);
            return 2;
        }
    }
    struct progress_state ps = {0};
    if (!pa->quiet && strcmp(pa->progress, "never") != 0 && exh_os_isatty(2)) {
        ps.start = ps.last = exh_os_mono_ms();
        ps.width = exh_os_term_width(2);
        pa->o.progress = on_progress;
        pa->o.progress_ud = &ps;
    }
    struct exh_probe_result res;
    enum exh_err err = exh_probe(&pa->o, &res);
    if (ps.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (err != EXH_OK) {
        fprintf(stderr, "exhunt: probe failed: the HTTP client could not start\n");
        if (out != stdout)
            fclose(out);
        return 2;
    }
    struct exh_report rep;
    cli_report_init(&rep, ops, out, pa->quiet, pa->color, now);
    exh_report_probe(&rep, &res);
    int rc = cli_report_close(out, res.exit_code);
    exh_probe_result_release(&res);
    return rc;
}

int cmd_probe(int argc, char **argv)
{
    struct probe_args pa = {
        .format = "text", .color = "auto", .progress = "auto", .connect_s = -1, .timeout_s = -1};
    exh_probe_opts_init(&pa.o);
    const struct exh_reporter_ops *ops = NULL;
    const char *nowenv = exh_os_getenv("EXH_NOW");
    int64_t now = exh_os_now_ms();
    int rc;
    if (nowenv && *nowenv && !exh_time_parse(nowenv, strlen(nowenv), &now)) {
        rc = usage_error("EXH_NOW='%s' is not an RFC 3339 time", nowenv);
        goto out;
    }
    pa.o.now_ms = now;
    if ((rc = cli_args_parse(&probe_cmd, &pa, argc, argv)) != CLI_GO ||
        (rc = probe_check(&pa, &ops)) != CLI_GO)
        goto out;
    rc = probe_run(&pa, ops, now);
out:
    targets_release(&pa.tg);
    return rc;
}
