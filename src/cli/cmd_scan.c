/* cmd_scan.c: `exhunt scan`: options, progress on a terminal, colour, the
 * output file, and the exit code from the verdict. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/collect.h"
#include "exh/core.h"
#include "exh/os.h"
#include "exh/report.h"
#include "exh/scan.h"
#include "exh/timeutil.h"
#include "exh/yara.h"
#include "exh/banned.h"

void usage_scan(FILE *o)
{
    fputs("usage: exhunt scan [options] PATH...\n"
          "       exhunt scan [options]          (Windows: this server, live)\n"
          "\n"
          "Reads every file under each PATH once (read-only) and reports what it finds:\n"
          "Exchange HttpProxy, ECP Server, OAB generator and Rps_Http logs, IIS logs, event\n"
          "logs, web pages and files such as LSASS dumps. Logs are recognised by content, so\n"
          "renamed or moved copies are read too. Ends with a verdict: COMPROMISED, TARGETED,\n"
          "EXPOSED, CLEAN or INCOMPLETE.\n"
          "\n"
          "On Windows, with no PATH, it scans the server it runs on: the Exchange folder\n"
          "(%ExchangeInstallPath% or the registry's MsiInstallPath), the IIS log folders and\n"
          "web roots (applicationHost.config, else C:\\inetpub), the event logs, ProgramData\n"
          "and the temporary folders; it names each on stderr. Run it elevated.\n"
          "\n"
          "output:\n"
          "  -f, --format FMT       text (default), jsonl (JSON Lines, Elastic ECS names), csv\n"
          "                         or html (one self-contained page with a timeline)\n"
          "      --json             same as --format jsonl\n"
          "  -o, --output FILE      write the report to FILE instead of standard output\n"
          "                         (refused if FILE lies inside a scanned PATH)\n"
          "  -q, --quiet            no progress and no summary block: findings only\n"
          "      --timeline         findings in time order, grouped by source address (the\n"
          "                         attacker's story); files and the build come last\n"
          "      --all              text: print every finding (by default repeats of an attempt\n"
          "                         of the same rule and request shape are folded into one)\n"
          "      --color WHEN       auto (default), always or never (--colour too); NO_COLOR=1\n"
          "                         turns auto off\n"
          "      --no-color         same as --color never\n"
          "      --progress WHEN    auto (default: on when stderr is a terminal) or never\n"
          "\n",
          o);
    fputs("keeping the evidence:\n"
          "      --collect DIR      copy every file a finding names (web shells, dumps, archives,\n"
          "                         the logs and event logs with findings) into DIR, keeping its\n"
          "                         path below the PATH (several PATHs: under N-NAME/, N the\n"
          "                         PATH's place); pages and programs get .quarantine appended;\n"
          "                         writes DIR/manifest.jsonl and DIR/manifest.csv (SHA-256,\n"
          "                         times, rules) and DIR/report.jsonl (the -f jsonl report).\n"
          "                         DIR must be empty or new, and outside every PATH. A file that\n"
          "                         cannot be copied is an error record; the scan goes on\n"
          "      --collect-append   DIR may hold an earlier collection: add to its manifest; an\n"
          "                         identical copy already there is not copied again, a\n"
          "                         different file of the same name is copied as NAME~2\n"
          "\n",
          o);
    fputs("indicators:\n"
          "      --ioc FILE         load more indicators (repeatable): plain hash lists (MD5,\n"
          "                         SHA-1, SHA-256), 'hash;comment' lists, the MSTIC CSV, HvS\n"
          "                         and Volexity CSVs, IP address lists, Windows paths, user\n"
          "                         agents (one per line); '#' starts a comment\n"
          "      --yara PATH        also run the YARA rules in PATH (a file or a folder of\n"
          "                         .yar/.yara files) on every file; needs a build with libyara.\n"
          "                         A rule file that does not compile is an error record, the\n"
          "                         others still run; Loki's externals (filename, filepath,\n"
          "                         extension, filetype, owner) are set per file\n"
          "\n"
          "what to read:\n"
          "      --exchange-root DIR  the Exchange install folder (the one holding Logging/),\n"
          "                         when it is not under a PATH or has an unusual location\n"
          "      --hostname NAME    the server's name for host.name (default: from the logs)\n"
          "      --trusted-proxy CIDR  a reverse proxy or load balancer whose X-Forwarded-For\n"
          "                         entry is believed (repeatable, or comma-separated; an\n"
          "                         address or a range). Private connection addresses count\n"
          "                         as proxies without it; see README, source addresses\n"
          "      --since TIME       drop findings before TIME (RFC 3339, a date, or Nd = N days "
          "ago)\n"
          "      --until TIME       drop findings after TIME\n"
          "  -j, --threads N        worker threads (default: one per CPU)\n"
          "      --file-timeout SECONDS  time budget per file (default 60; 0: none): a file\n"
          "                         read for longer is left out as an error record and the\n"
          "                         scan goes on (INCOMPLETE at worst)\n"
          "\n"
          "exit codes: 0 CLEAN, 1 COMPROMISED/TARGETED/EXPOSED, 2 INCOMPLETE or usage error.\n"
          "A finding is never hidden behind an error: findings win over INCOMPLETE.\n"
          "A file on which a reader crashes, or that takes longer than --file-timeout, is left\n"
          "out as an error record and the scan goes on (the scan runs in a supervised child;\n"
          "EXH_NO_SUPERVISE=1 turns that off, and the time budget with it).\n",
          o);
}

struct progress_state {
    int64_t start, last;
    bool shown;
    int width;
};

static void human(char out[32], uint64_t b)
{
    double v = (double)b;
    const char *u = "B";
    if (v >= 1024.0 * 1024 * 1024) {
        v /= 1024.0 * 1024 * 1024;
        u = "GiB";
    } else if (v >= 1024.0 * 1024) {
        v /= 1024.0 * 1024;
        u = "MiB";
    } else if (v >= 1024.0) {
        v /= 1024.0;
        u = "KiB";
    }
    snprintf(out, 32, "%.1f %s", v, u);
}

/* At most 4 updates a second, and none in the first second. */
static void on_progress(void *ud, const struct exh_progress *p)
{
    struct progress_state *ps = ud;
    int64_t now = exh_os_mono_ms();
    if (now - ps->start < 1000 || now - ps->last < 250)
        return;
    ps->last = now;
    char line[256], a[32], b[32];
    human(a, p->bytes_done);
    human(b, p->bytes_total);
    if (p->walking)
        snprintf(line, sizeof(line), "listing files: %llu found",
                 (unsigned long long)p->files_total);
    else
        snprintf(line, sizeof(line), "files %llu/%llu  %s/%s  findings %llu",
                 (unsigned long long)p->files_done, (unsigned long long)p->files_total, a, b,
                 (unsigned long long)p->findings);
    if ((int)strlen(line) >= ps->width)
        line[ps->width > 1 ? ps->width - 1 : 0] = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    ps->shown = true;
}

/* TIME: RFC 3339, a date, or "Nd" (N days before now). */
bool cli_parse_when(const char *s, int64_t now, int64_t *out)
{
    size_t n = strlen(s);
    if (n >= 2 && (s[n - 1] == 'd' || s[n - 1] == 'D')) {
        char *end;
        errno = 0;
        long days = strtol(s, &end, 10);
        if (errno == 0 && end == s + n - 1 && days >= 0 && days < 100000) {
            *out = now - (int64_t)days * 86400000;
            return true;
        }
    }
    return exh_time_parse(s, n, out);
}

bool cli_parse_threads(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > 256)
        return false;
    *out = (int)v;
    return true;
}

/* --file-timeout: whole seconds from 0 (no budget) to a week. */
bool cli_parse_timeout(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 7 * 86400)
        return false;
    *out = (int)v;
    return true;
}

int cli_file_timeout(int argc, char **argv)
{
    int secs = CLI_FILE_TIMEOUT_DEFAULT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--"))
            break;
        if (!strcmp(a, "--file-timeout") && i + 1 < argc)
            v = argv[++i];
        else if (!strncmp(a, "--file-timeout=", 15))
            v = a + 15;
        if (v && !cli_parse_timeout(v, &secs))
            secs = CLI_FILE_TIMEOUT_DEFAULT;
    }
    return secs;
}

void cli_report_init(struct exh_report *rep, const struct exh_reporter_ops *ops, FILE *out,
                     bool quiet, const char *color, int64_t now)
{
    memset(rep, 0, sizeof(*rep));
    rep->ops = ops;
    rep->out = out;
    rep->err = stderr;
    rep->quiet = quiet;
    rep->created_ms = now;
    const char *nc = exh_os_getenv("NO_COLOR"), *term = exh_os_getenv("TERM");
    if (ops != &exh_report_text)
        rep->color = false;
    else if (!strcmp(color, "always"))
        rep->color = true;
    else if (!strcmp(color, "auto"))
        rep->color =
            out == stdout && exh_os_isatty(1) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

int cli_report_close(FILE *out, int rc)
{
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "exhunt: error writing the report\n");
        rc = 2;
    }
    if (out != stdout)
        fclose(out);
    return rc;
}

int cli_opt_value(int argc, char **argv, int *i, const char *sname, const char *lname,
                  const char **val)
{
    const char *a = argv[*i];
    size_t ln = strlen(lname);
    if (sname && !strcmp(a, sname)) {
        if (*i + 1 >= argc)
            return -1;
        *val = argv[++*i];
        return 1;
    }
    if (sname && !strncmp(a, sname, 2) && a[2] && strlen(sname) == 2) {
        *val = a + 2; /* -fjsonl, -j4 */
        return 1;
    }
    if (!strncmp(a, lname, ln)) {
        if (a[ln] == '=') {
            *val = a + ln + 1;
            return 1;
        }
        if (a[ln] == '\0') {
            if (*i + 1 >= argc)
                return -1;
            *val = argv[++*i];
            return 1;
        }
    }
    return 0;
}

/* The evidence nothing may be written into: every PATH and the Exchange
 * folder (free the array). */
static const char **evidence_roots(const char **paths, size_t npaths, const char *exchange_root,
                                   size_t *nroots)
{
    const char **roots = exh_xcalloc(npaths + 1, sizeof(*roots));
    size_t n = 0;
    for (size_t i = 0; i < npaths; i++)
        roots[n++] = paths[i];
    if (exchange_root)
        roots[n++] = exchange_root;
    *nroots = n;
    return roots;
}

/* An output file in the --collect folder, made anew: name, else name-2.ext,
 * name-3.ext ... (an earlier collection's with --collect-append); with its
 * path in *path (free it). */
static FILE *collect_file(const char *dir, const char *name, const char *ext, char **path)
{
    for (unsigned n = 1; n < 1000; n++) {
        struct exh_buf b = {0};
        exh_buf_addf(&b, "%s/%s", dir, name);
        if (n > 1)
            exh_buf_addf(&b, "-%u", n);
        exh_buf_adds(&b, ext);
        struct exh_wfile *w;
        const char *sys;
        enum exh_err e = exh_os_create_new(b.p, &w, &sys);
        if (e == EXH_OK && exh_os_close_write(w, -1, &sys) == EXH_OK) {
            *path = exh_buf_detach(&b);
            return exh_os_fopen(*path, "wb");
        }
        exh_buf_release(&b);
        if (e != EXH_ERR_EXISTS)
            break;
    }
    *path = NULL;
    return NULL;
}

/* A manifest file: made new (never an existing file: no copy can have its
 * name, see exh_collect_reserved), or with --collect-append appended to
 * (header: it was new). */
static FILE *manifest_file(const char *dir, const char *name, bool append, bool *header,
                           char **path)
{
    struct exh_buf b = {0};
    exh_buf_addf(&b, "%s/%s", dir, name);
    if (!append) {
        struct exh_wfile *w;
        const char *sys;
        *header = true;
        *path = exh_buf_detach(&b);
        if (exh_os_create_new(*path, &w, &sys) != EXH_OK ||
            exh_os_close_write(w, -1, &sys) != EXH_OK)
            return NULL;
        return exh_os_fopen(*path, "wb");
    }
    FILE *probe = exh_os_fopen(b.p, "rb");
    *header = !probe;
    if (probe)
        fclose(probe);
    *path = exh_buf_detach(&b);
    return exh_os_fopen(*path, "ab");
}

/* --collect: copy the files the findings name into dir (copy failures join
 * res's error records), then write the manifests and the JSON Lines report
 * there. False when the folder or one of those files could not be written
 * (said on stderr). */
static bool cli_collect(const char *dir, bool append, struct exh_result *res, int64_t now,
                        bool quiet, bool timeline, bool all)
{
    struct exh_collect_opts co;
    memset(&co, 0, sizeof(co));
    co.dir = dir;
    co.append = append;
    const char *chunkenv = exh_os_getenv("EXH_COLLECT_CHUNK"); /* tests: small chunks */
    if (chunkenv && *chunkenv)
        co.chunk = (size_t)strtoull(chunkenv, NULL, 10);
    struct exh_collect_result cr;
    const char *sys = NULL;
    if (exh_collect(&co, res, &cr, &sys) != EXH_OK) {
        fprintf(stderr, "exhunt: --collect: cannot make '%s': %s\n", dir, sys ? sys : "error");
        return false;
    }
    bool ok = true, header;
    char *pj = NULL, *pc = NULL, *pr = NULL;
    FILE *mj = manifest_file(dir, "manifest.jsonl", append, &header, &pj);
    if (mj) {
        exh_manifest_jsonl(mj, &cr, now);
        ok &= cli_report_close(mj, 0) == 0;
    }
    FILE *mc = manifest_file(dir, "manifest.csv", append, &header, &pc);
    if (mc) {
        exh_manifest_csv(mc, &cr, header, now);
        ok &= cli_report_close(mc, 0) == 0;
    }
    FILE *rf = collect_file(dir, "report", ".jsonl", &pr);
    if (rf) {
        struct exh_report rep;
        cli_report_init(&rep, exh_reporter_by_name("jsonl"), rf, quiet, "never", now);
        rep.timeline = timeline;
        rep.all = all;
        exh_report_result(&rep, res);
        ok &= cli_report_close(rf, 0) == 0;
    }
    if (!mj || !mc || !rf) {
        fprintf(stderr, "exhunt: --collect: cannot write the %s in '%s'\n",
                !mj   ? "manifest.jsonl"
                : !mc ? "manifest.csv"
                      : "report",
                dir);
        ok = false;
    }
    size_t present = 0;
    for (size_t i = 0; i < cr.nitems; i++)
        present += cr.items[i].present;
    if (!quiet)
        fprintf(stderr,
                "exhunt: --collect: %zu files in '%s' (%llu bytes copied, %zu already there, "
                "%llu not copied: see the error records)\n",
                cr.nitems, dir, (unsigned long long)cr.bytes, present,
                (unsigned long long)cr.failed);
    free(pj);
    free(pc);
    free(pr);
    exh_collect_release(&cr);
    return ok;
}

int cmd_scan(int argc, char **argv)
{
    struct exh_scan_opts o;
    exh_scan_opts_init(&o);
    const char *format = "text", *output = NULL, *color = "auto", *progress = "auto";
    const char *since = NULL, *until = NULL, *collect = NULL;
    bool collect_append = false;
    bool quiet = false, only_paths = false, timeline = false, all = false;
    int file_timeout = CLI_FILE_TIMEOUT_DEFAULT; /* enforced by the supervisor (supervise.c) */
    /* one allocation for the PATHs, --ioc and --yara lists, freed once */
    const char **paths = calloc(3 * ((size_t)argc + 1), sizeof(*paths));
    if (!paths)
        return 2;
    const char **iocs = paths + argc + 1, **yaras = paths + 2 * (argc + 1);
    size_t niocs = 0, nyaras = 0;
    size_t npaths = 0;
    static struct exh_cidr trusted[256]; /* --trusted-proxy */
    size_t ntrusted = 0;

    const char *nowenv = exh_os_getenv("EXH_NOW");
    int64_t now = exh_os_now_ms();
    if (nowenv && *nowenv) {
        if (!exh_time_parse(nowenv, strlen(nowenv), &now)) {
            free(paths);
            return usage_error("EXH_NOW='%s' is not an RFC 3339 time", nowenv);
        }
        o.frozen_clock = true;
        o.frozen_now_ms = now;
    }

    /* tests: read text logs in pieces this small, to compare with whole reads */
    const char *pieceenv = exh_os_getenv("EXH_PIECE_BYTES");
    if (pieceenv && *pieceenv)
        o.piece_bytes = strtoull(pieceenv, NULL, 10);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int r;
        if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
            paths[npaths++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_paths = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage_scan(stdout);
            free(paths);
            return 0;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
            continue;
        }
        if (!strcmp(a, "--timeline")) {
            timeline = true;
            continue;
        }
        if (!strcmp(a, "--all")) {
            all = true;
            continue;
        }
        if (!strcmp(a, "--collect-append")) {
            collect_append = true;
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
#define VALUE_OPT(s, l, var)                                                                       \
    r = cli_opt_value(argc, argv, &i, s, l, &v);                                                   \
    if (r < 0) {                                                                                   \
        free(paths);                                                                               \
        return usage_error("%s needs a value", a);                                                 \
    }                                                                                              \
    if (r > 0) {                                                                                   \
        var = v;                                                                                   \
        continue;                                                                                  \
    }
        VALUE_OPT(NULL, "--ioc", iocs[niocs++])
        VALUE_OPT(NULL, "--yara", yaras[nyaras++])
        VALUE_OPT("-f", "--format", format)
        VALUE_OPT("-o", "--output", output)
        VALUE_OPT(NULL, "--color", color)
        VALUE_OPT(NULL, "--colour", color)
        VALUE_OPT(NULL, "--progress", progress)
        VALUE_OPT(NULL, "--exchange-root", o.exchange_root)
        VALUE_OPT(NULL, "--hostname", o.hostname)
        VALUE_OPT(NULL, "--since", since)
        VALUE_OPT(NULL, "--until", until)
        VALUE_OPT(NULL, "--collect", collect)
#undef VALUE_OPT
        r = cli_opt_value(argc, argv, &i, NULL, "--trusted-proxy", &v);
        if (r != 0) {
            struct exh_str rest = r > 0 ? exh_str_make(v, strlen(v)) : EXH_STR_NULL;
            bool bad = r < 0 || !rest.n;
            while (!bad && rest.n) {
                const char *comma = memchr(rest.p, ',', rest.n);
                size_t n = comma ? (size_t)(comma - rest.p) : rest.n;
                bad = ntrusted == sizeof(trusted) / sizeof(trusted[0]) ||
                      !exh_cidr_parse(exh_str_make(rest.p, n), &trusted[ntrusted++]);
                rest = comma ? exh_str_make(comma + 1, rest.n - n - 1) : EXH_STR_NULL;
            }
            if (bad) {
                free(paths);
                return usage_error("--trusted-proxy takes addresses or CIDR ranges "
                                   "(10.0.0.0/8, 2001:db8::/32; at most 256), not '%s'",
                                   r > 0 ? v : "");
            }
            o.trusted_proxies = trusted;
            o.ntrusted_proxies = ntrusted;
            continue;
        }
        r = cli_opt_value(argc, argv, &i, NULL, "--file-timeout", &v);
        if (r != 0) {
            if (r < 0 || !cli_parse_timeout(v, &file_timeout)) {
                free(paths);
                return usage_error("--file-timeout takes whole seconds from 0 (no budget) to "
                                   "604800");
            }
            continue;
        }
        r = cli_opt_value(argc, argv, &i, "-j", "--threads", &v);
        if (r != 0) {
            if (r < 0 || !cli_parse_threads(v, &o.threads)) {
                free(paths);
                return usage_error("--threads takes a number from 1 to 256");
            }
            continue;
        }
        free(paths);
        return usage_error("scan: unknown option '%s'", a);
    }
    const struct exh_reporter_ops *ops = exh_reporter_by_name(format);
    if (!ops) {
        free(paths);
        return usage_error("unknown format '%s' (text, jsonl, csv or html)", format);
    }
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
        free(paths);
        return usage_error("--color takes auto, always or never, not '%s'", color);
    }
    if (strcmp(progress, "auto") && strcmp(progress, "never")) {
        free(paths);
        return usage_error("--progress takes auto or never, not '%s'", progress);
    }
    if (since) {
        if (!cli_parse_when(since, now, &o.since_ms)) {
            free(paths);
            return usage_error("--since: '%s' is not a time (RFC 3339, YYYY-MM-DD or Nd)", since);
        }
        o.has_since = true;
    }
    if (until) {
        if (!cli_parse_when(until, now, &o.until_ms)) {
            free(paths);
            return usage_error("--until: '%s' is not a time (RFC 3339, YYYY-MM-DD or Nd)", until);
        }
        o.has_until = true;
    }
    if (collect_append && !collect) {
        free(paths);
        return usage_error("--collect-append needs --collect DIR");
    }
    if (collect && !collect[0]) {
        free(paths);
        return usage_error("--collect needs a folder");
    }
    bool live_mode = npaths == 0 && !o.exchange_root;
#ifndef _WIN32
    if (live_mode) {
        free(paths);
        return usage_error("scan: no PATH given (scanning this machine live needs Windows)");
    }
#endif
    for (size_t i = 0; i < npaths; i++)
        if (!strcmp(paths[i], "-")) {
            free(paths);
            return usage_error("scan: reading evidence from standard input is not supported");
        }
    if (nyaras && !exh_yara_available()) {
        free(paths);
        return usage_error("--yara needs exhunt built with libyara: install libyara-dev "
                           "(Debian) or yara-devel and run 'make' again ('exhunt version' "
                           "shows 'yara yes' when it is in)");
    }
    struct exh_iocset *set = NULL;
    if (niocs) {
        set = exh_iocset_new(true);
        for (size_t i = 0; i < niocs; i++) {
            struct exh_buf data = {0};
            FILE *f = exh_os_fopen(iocs[i], "rb");
            char chunk[65536];
            size_t k;
            while (f && (k = fread(chunk, 1, sizeof(chunk), f)) > 0)
                exh_buf_add(&data, chunk, k);
            if (!f || ferror(f)) {
                int e = errno;
                if (f)
                    fclose(f);
                exh_buf_release(&data);
                exh_iocset_free(set);
                int rc = usage_error("--ioc: cannot read '%s': %s", iocs[i], strerror(e));
                free(paths);
                return rc;
            }
            fclose(f);
            struct exh_ioc_load_stats st;
            exh_iocset_load(set, iocs[i], (const uint8_t *)data.p, data.n, &st);
            exh_buf_release(&data);
            if (!quiet)
                fprintf(stderr,
                        "exhunt: %s: %zu hashes, %zu paths, %zu IPs, %zu user agents"
                        " (%zu ignored, %zu lines not understood)\n",
                        iocs[i], st.hashes, st.paths, st.ips, st.uas, st.ignored, st.bad);
        }
        exh_iocset_prepare(set);
    }
    o.iocs = set;
    o.yara_paths = yaras;
    o.nyara_paths = nyaras;
    /* live mode (Windows, no PATH): the places of this server */
    struct cli_live live;
    memset(&live, 0, sizeof(live));
    const char **scan_paths = paths;
    size_t nscan = npaths;
    if (live_mode) {
        cli_live_find(&live);
        if (!quiet) {
            fprintf(stderr, "exhunt: scanning this server live%s\n",
                    exh_os_elevated() ? ""
                                      : " WITHOUT administrator rights: some logs (IIS, "
                                        "the Security event log) may be unreadable; run "
                                        "from an elevated prompt");
            if (live.exchange)
                fprintf(stderr, "exhunt: Exchange: %s (from %s)\n", live.exchange,
                        live.exchange_from);
            for (size_t i = 0; i < live.nroots; i++)
                fprintf(stderr, "exhunt: reading %s\n", live.roots[i]);
            for (size_t i = 0; i < live.nnotes; i++)
                fprintf(stderr, "exhunt: %s\n", live.notes[i]);
        }
        if (!live.nroots) {
            cli_live_release(&live);
            exh_iocset_free(set);
            free(paths);
            return usage_error("scan: nothing to read on this machine (no Exchange, IIS or "
                               "event log folders found); give PATH");
        }
        scan_paths = (const char **)live.roots;
        nscan = live.nroots;
        o.exchange_root = live.exchange;
    }
    if (collect) {
        /* never inside the evidence (the same roots as -o), and never mixed
         * with other files unless asked */
        size_t nroots, inside;
        const char **roots = evidence_roots(scan_paths, nscan, o.exchange_root, &nroots);
        enum exh_collect_check ck =
            exh_collect_check_dir(collect, roots, nroots, collect_append, &inside);
        int rc = 0;
        if (ck == EXH_COLLECT_INSIDE)
            rc = usage_error("refusing to collect into '%s' inside the evidence '%s'", collect,
                             roots[inside]);
        else if (ck == EXH_COLLECT_NOT_EMPTY)
            rc = usage_error("--collect: '%s' is not empty (--collect-append adds to an "
                             "earlier collection there)",
                             collect);
        else if (ck == EXH_COLLECT_NOT_DIR)
            rc = usage_error("--collect: '%s' is not a folder that can be listed", collect);
        free(roots);
        if (rc) {
            exh_iocset_free(set);
            cli_live_release(&live);
            free(paths);
            return rc;
        }
    }
    FILE *out = stdout;
    if (output && strcmp(output, "-") != 0) {
        /* never inside the evidence: every PATH and the Exchange folder */
        size_t nroots, inside;
        const char **roots = evidence_roots(scan_paths, nscan, o.exchange_root, &nroots);
        const char *why;
        out = exh_os_open_output(output, roots, nroots, &inside, &why);
        int rc = 2;
        if (!out && inside < nroots)
            rc = usage_error("refusing to write '%s' inside the evidence '%s'", output,
                             roots[inside]);
        else if (!out && inside == EXH_OUT_REFUSED)
            fprintf(stderr, "exhunt: refusing to write '%s': %s\n", output, why);
        else if (!out)
            fprintf(stderr, "exhunt: cannot write '%s': %s\n", output, why);
        free(roots);
        if (!out) {
            exh_iocset_free(set);
            cli_live_release(&live);
            free(paths);
            return rc;
        }
    }
    o.paths = scan_paths;
    o.npaths = nscan;

    struct progress_state ps = {0};
    if (!quiet && strcmp(progress, "never") != 0 && exh_os_isatty(2)) {
        ps.start = ps.last = exh_os_mono_ms();
        ps.width = exh_os_term_width(2);
        o.progress = on_progress;
        o.progress_ud = &ps;
    }

    /* a supervised child: report each file's start and end, leave out the files
     * an earlier run crashed on, and run on one thread when asked (to find which) */
    struct cli_left_out left;
    memset(&left, 0, sizeof(left));
    if (exh_os_supervised()) {
        o.on_file = cli_child_on_file;
        cli_child_crashed(&left, file_timeout);
        o.crashed = (const char *const *)left.paths;
        o.ncrashed = left.n;
        o.crashed_code = left.codes;
        o.crashed_why = left.whys;
        const char *one = exh_os_getenv("EXH_ONE_THREAD");
        if (one && !strcmp(one, "1"))
            o.threads = 1;
    }

    struct exh_result res;
    enum exh_err err = exh_scan(&o, &res);
    cli_left_out_release(&left);
    if (ps.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    exh_iocset_free(set);
    if (err != EXH_OK) {
        fprintf(stderr, "exhunt: scan failed: %s\n", exh_strerror(err));
        if (out != stdout)
            fclose(out);
        cli_live_release(&live);
        free(paths);
        return 2;
    }

    bool collect_failed = false;
    if (collect)
        collect_failed = !cli_collect(collect, collect_append, &res, now, quiet, timeline, all);

    struct exh_report rep;
    cli_report_init(&rep, ops, out, quiet, color, now);
    rep.timeline = timeline;
    rep.all = all;
    exh_report_result(&rep, &res);
    int rc = cli_report_close(out, res.sum.exit_code);
    if (collect_failed)
        rc = 2;
    exh_result_release(&res);
    cli_live_release(&live);
    free(paths);
    return rc;
}
