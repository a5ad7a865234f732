/* cmd_scan.c: `exhunt scan`: options, progress on a terminal, colour, the
 * output file, and the exit code from the verdict. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/collect.h"
#include "exh/core.h"
#include "exh/iocset.h"
#include "exh/os.h"
#include "exh/report.h"
#include "exh/scan.h"
#include "exh/timeutil.h"
#include "exh/yara.h"
#include "exh/banned.h"

/* A scan: its settings (what the options set) and what it holds while it
 * runs; scan_release() frees it all. */
struct scan {
    struct exh_scan_opts o; /* --exchange-root, --hostname and -j go straight in */
    const char *format, *output, *color, *progress, *since, *until, *collect;
    bool collect_append, quiet, timeline, all;
    int file_timeout; /* enforced by the supervisor (supervise.c) */
    struct cli_list paths, iocs, yaras;
    struct exh_cidr trusted[256]; /* --trusted-proxy */
    size_t ntrusted;
    int64_t now;
    const struct exh_reporter_ops *ops;
    bool live_mode; /* Windows, no PATH: this server's places */
    struct exh_iocset *iocs_set;
    struct cli_live live;
    FILE *out; /* the report's output, or NULL */
};

/* --trusted-proxy: addresses or CIDR ranges, repeatable or comma-separated */
static int opt_trusted(void *args, const char *opt, const char *v)
{
    struct scan *s = args;
    (void)opt;
    struct exh_str rest = v ? exh_str_make(v, strlen(v)) : EXH_STR_NULL;
    bool bad = !rest.n;
    while (!bad && rest.n) {
        const char *comma = memchr(rest.p, ',', rest.n);
        size_t n = comma ? (size_t)(comma - rest.p) : rest.n;
        bad = s->ntrusted == sizeof(s->trusted) / sizeof(s->trusted[0]) ||
              !exh_cidr_parse(exh_str_make(rest.p, n), &s->trusted[s->ntrusted++]);
        rest = comma ? exh_str_make(comma + 1, rest.n - n - 1) : EXH_STR_NULL;
    }
    if (bad)
        return usage_error("--trusted-proxy takes addresses or CIDR ranges "
                           "(10.0.0.0/8, 2001:db8::/32; at most 256), not '%s'",
                           v ? v : "");
    s->o.trusted_proxies = s->trusted;
    s->o.ntrusted_proxies = s->ntrusted;
    return 0;
}

/* --max-member, --max-unpacked: a size, bytes or with K, M, G or T
 * (powers of 1024), from 1 MiB to 1 TiB. */
static int opt_size(void *args, const char *opt, const char *v)
{
    struct scan *s = args;
    char *end = NULL;
    unsigned long long n = v && *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
    unsigned shift = 0;
    if (end && *end) {
        const char *u = "KMGT";
        const char *k = strchr(u, *end & ~0x20);
        shift = k && *end ? 10u * (unsigned)(k - u + 1) : 99;
        end += shift != 99;
        if (*end == 'i' || *end == 'I')
            end++;
        if (*end == 'b' || *end == 'B')
            end++;
    }
    uint64_t bytes = shift < 64 && n <= (UINT64_MAX >> shift) ? (uint64_t)n << shift : 0;
    if (!end || *end || bytes < ((uint64_t)1 << 20) || bytes > ((uint64_t)1 << 40))
        return usage_error("%s takes a size from 1M to 1T (bytes, or with K, M, G, T), not '%s'",
                           opt, v ? v : "");
    if (!strcmp(opt, "max-member") || !strcmp(opt, "--max-member"))
        s->o.max_member = bytes;
    else
        s->o.max_unpacked = bytes;
    return 0;
}

static int opt_ratio(void *args, const char *opt, const char *v)
{
    struct scan *s = args;
    (void)opt;
    char *end = NULL;
    unsigned long n = v && *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : 0;
    if (!end || *end || n < 10 || n > 100000)
        return usage_error("--max-ratio takes a number from 10 to 100000, not '%s'", v ? v : "");
    s->o.max_ratio = (uint32_t)n;
    return 0;
}

#define S(field) offsetof(struct scan, field)
static const struct cli_opt scan_opts[] = {
    CLI_OPT_HELP(),
    CLI_OPT_TEXT("output:"),
    CLI_OPT_STR('f', "format", S(format), "FMT",
                "text (default), jsonl (JSON Lines, Elastic ECS names), csv\n"
                "or html (one self-contained page with a timeline)"),
    CLI_OPT_CONST(0, "json", S(format), "jsonl", "same as --format jsonl"),
    CLI_OPT_STR('o', "output", S(output), "FILE",
                "write the report to FILE instead of standard output\n"
                "(refused if FILE lies inside a scanned PATH)"),
    CLI_OPT_FLAG('q', "quiet", S(quiet), "no progress and no summary block: findings only"),
    CLI_OPT_FLAG(0, "timeline", S(timeline),
                 "findings in time order, grouped by source address (the\n"
                 "attacker's story); files and the build come last"),
    CLI_OPT_FLAG(0, "all", S(all),
                 "text: print every finding (by default repeats of an attempt\n"
                 "of the same rule and request shape are folded into one)"),
    CLI_OPT_STR(0, "color", S(color), "WHEN",
                "auto (default), always or never (--colour too); NO_COLOR=1\n"
                "turns auto off"),
    CLI_OPT_ALIAS("colour", S(color)),
    CLI_OPT_CONST(0, "no-color", S(color), "never", "same as --color never"),
    CLI_OPT_STR(0, "progress", S(progress), "WHEN",
                "auto (default: on when stderr is a terminal) or never"),
    CLI_OPT_TEXT("\nkeeping the evidence:"),
    CLI_OPT_STR(0, "collect", S(collect), "DIR",
                "copy every file a finding names (web shells, dumps, archives,\n"
                "the logs and event logs with findings) into DIR, keeping its\n"
                "path below the PATH (several PATHs: under N-NAME/, N the\n"
                "PATH's place); pages and programs get .quarantine appended;\n"
                "writes DIR/manifest.jsonl and DIR/manifest.csv (SHA-256,\n"
                "times, rules) and DIR/report.jsonl (the -f jsonl report).\n"
                "DIR must be empty or new, and outside every PATH. A file that\n"
                "cannot be copied is an error record; the scan goes on"),
    CLI_OPT_FLAG(0, "collect-append", S(collect_append),
                 "DIR may hold an earlier collection: add to its manifest; an\n"
                 "identical copy already there is not copied again, a\n"
                 "different file of the same name is copied as NAME~2"),
    CLI_OPT_TEXT("\nindicators:"),
    CLI_OPT_LIST(0, "ioc", S(iocs), "FILE",
                 "load an indicator file (repeatable), its format told by its\n"
                 "content: STIX 2.1 bundles, MISP event JSON and CSV exports,\n"
                 "CHIRP YAML, OpenIOC XML, Loki hash/filename/c2 lists, the\n"
                 "MSTIC, HvS and Volexity CSVs, plain lists (hashes, IPs and\n"
                 "ranges, domains, URLs, paths, file names, user agents). Each\n"
                 "type is matched in its place (README: Indicator files). A\n"
                 "file nothing of which is understood stops the scan (exit 2);\n"
                 "entries not understood are named on stderr"),
    CLI_OPT_LIST(0, "yara", S(yaras), "PATH",
                 "also run the YARA rules in PATH (a file or a folder of\n"
                 ".yar/.yara files) on every file; needs a build with libyara.\n"
                 "A rule file that does not compile is an error record, the\n"
                 "others still run; Loki's externals (filename, filepath,\n"
                 "extension, filetype, owner) are set per file"),
    CLI_OPT_TEXT("\nwhat to read:"),
    CLI_OPT_STR(0, "exchange-root", S(o.exchange_root), "DIR",
                "the Exchange install folder (the one holding Logging/),\n"
                "when it is not under a PATH or has an unusual location"),
    CLI_OPT_STR(0, "hostname", S(o.hostname), "NAME",
                "the server's name for host.name (default: from the logs)"),
    CLI_OPT_CALL(0, "trusted-proxy", opt_trusted, "CIDR",
                 "a reverse proxy or load balancer whose X-Forwarded-For\n"
                 "entry is believed (repeatable, or comma-separated; an\n"
                 "address or a range). Private connection addresses count\n"
                 "as proxies without it; see README, source addresses"),
    CLI_OPT_STR(0, "since", S(since), "TIME",
                "drop findings before TIME (RFC 3339, a date, or Nd = N days ago)"),
    CLI_OPT_STR(0, "until", S(until), "TIME", "drop findings after TIME"),
    CLI_OPT_INT('j', "threads", S(o.threads), 1, 256, "--threads takes a number from 1 to 256", "N",
                "worker threads (default: one per CPU)"),
    CLI_OPT_INT(0, "file-timeout", S(file_timeout), 0, 7 * 86400,
                "--file-timeout takes whole seconds from 0 (no budget) to 604800", "SECONDS",
                "time budget per file (default 60; 0: none): a file\n"
                "read for longer is left out as an error record and the\n"
                "scan goes on (INCOMPLETE at worst)"),
    CLI_OPT_TEXT("\ninside archives (.zip, .gz; read in memory, nothing extracted):"),
    CLI_OPT_CALL(0, "max-member", opt_size, "SIZE",
                 "the most one member may unpack to (default 1G; it is held\n"
                 "in memory, once per thread): past it only its start is read"),
    CLI_OPT_CALL(0, "max-unpacked", opt_size, "SIZE",
                 "the most one archive's members may unpack to in all\n"
                 "(default 64G): the members past it are not read"),
    CLI_OPT_CALL(0, "max-ratio", opt_ratio, "N",
                 "stop a member that unpacks to more than N bytes per packed\n"
                 "byte (default 200; a zip bomb's is near 1000)"),
};
#undef S

static const struct cli_cmd scan_cmd = {
    .usage = "usage: exhunt scan [options] PATH...\n"
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
             "\n",
    CLI_OPTS(scan_opts),
    .epilog =
        "\n"
        "exit codes: 0 CLEAN, 1 COMPROMISED/TARGETED/EXPOSED, 2 INCOMPLETE or usage error.\n"
        "A finding is never hidden behind an error: findings win over INCOMPLETE.\n"
        "A file on which a reader crashes, or that takes longer than --file-timeout, is left\n"
        "out as an error record and the scan goes on (the scan runs in a supervised child;\n"
        "EXH_NO_SUPERVISE=1 turns that off, and the time budget with it).\n",
    .column = 25,
    .unknown = "scan: unknown option '%s'",
    .args_off = offsetof(struct scan, paths),
    .flags = CLI_ARGS_LIST,
};

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

/* The evidence nothing may be written into: every PATH and the Exchange
 * folder (free the array). */
static const char **evidence_roots(const char *const *paths, size_t npaths,
                                   const char *exchange_root, size_t *nroots)
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

static void scan_init(struct scan *s)
{
    memset(s, 0, sizeof(*s));
    exh_scan_opts_init(&s->o);
    s->format = "text";
    s->color = "auto";
    s->progress = "auto";
    s->file_timeout = CLI_FILE_TIMEOUT_DEFAULT;
    s->now = exh_os_now_ms();
}

static void scan_release(struct scan *s)
{
    if (s->out && s->out != stdout)
        fclose(s->out);
    exh_iocset_free(s->iocs_set);
    cli_live_release(&s->live);
    cli_list_release(&s->paths);
    cli_list_release(&s->iocs);
    cli_list_release(&s->yaras);
}

/* The environment (EXH_NOW, EXH_PIECE_BYTES), then the options. */
static int scan_parse(struct scan *s, int argc, char **argv)
{
    const char *nowenv = exh_os_getenv("EXH_NOW");
    if (nowenv && *nowenv) {
        if (!exh_time_parse(nowenv, strlen(nowenv), &s->now))
            return usage_error("EXH_NOW='%s' is not an RFC 3339 time", nowenv);
        s->o.frozen_clock = true;
        s->o.frozen_now_ms = s->now;
    }
    /* tests: read text logs in pieces this small, to compare with whole reads */
    const char *pieceenv = exh_os_getenv("EXH_PIECE_BYTES");
    if (pieceenv && *pieceenv)
        s->o.piece_bytes = strtoull(pieceenv, NULL, 10);
    return cli_args_parse(&scan_cmd, s, argc, argv);
}

static int parse_span(struct scan *s)
{
    if (s->since) {
        if (!cli_parse_when(s->since, s->now, &s->o.since_ms))
            return usage_error("--since: '%s' is not a time (RFC 3339, YYYY-MM-DD or Nd)",
                               s->since);
        s->o.has_since = true;
    }
    if (s->until) {
        if (!cli_parse_when(s->until, s->now, &s->o.until_ms))
            return usage_error("--until: '%s' is not a time (RFC 3339, YYYY-MM-DD or Nd)",
                               s->until);
        s->o.has_until = true;
    }
    return CLI_GO;
}

/* The values the parser could not judge alone, and what they need. */
static int scan_check(struct scan *s)
{
    s->ops = exh_reporter_by_name(s->format);
    if (!s->ops)
        return usage_error("unknown format '%s' (text, jsonl, csv or html)", s->format);
    if (strcmp(s->color, "auto") && strcmp(s->color, "always") && strcmp(s->color, "never"))
        return usage_error("--color takes auto, always or never, not '%s'", s->color);
    if (strcmp(s->progress, "auto") && strcmp(s->progress, "never"))
        return usage_error("--progress takes auto or never, not '%s'", s->progress);
    int rc = parse_span(s);
    if (rc != CLI_GO)
        return rc;
    if (s->collect_append && !s->collect)
        return usage_error("--collect-append needs --collect DIR");
    if (s->collect && !s->collect[0])
        return usage_error("--collect needs a folder");
    s->live_mode = s->paths.n == 0 && !s->o.exchange_root;
#ifndef _WIN32
    if (s->live_mode)
        return usage_error("scan: no PATH given (scanning this machine live needs Windows)");
#endif
    for (size_t i = 0; i < s->paths.n; i++)
        if (!strcmp(s->paths.v[i], "-"))
            return usage_error("scan: reading evidence from standard input is not supported");
    if (s->yaras.n && !exh_yara_available())
        return usage_error("--yara needs exhunt built with libyara: install libyara-dev "
                           "(Debian) or yara-devel and run 'make' again ('exhunt version' "
                           "shows 'yara yes' when it is in)");
    s->o.yara_paths = s->yaras.v;
    s->o.nyara_paths = s->yaras.n;
    return CLI_GO;
}

/* What an indicator file held that gave nothing: each entry not understood
 * is named on stderr (the first IOC_NAMED of a file, then a count). */
#define IOC_NAMED 20

struct ioc_note {
    const char *path;
    bool quiet;
    size_t named, more;
};

static void ioc_note(void *ud, const char *where, const char *why, bool understood)
{
    struct ioc_note *n = ud;
    if (understood || n->quiet)
        return;
    if (n->named < IOC_NAMED) {
        n->named++;
        fprintf(stderr, "exhunt: %s: %s%s%s\n", n->path, where, *where ? ": " : "", why);
    } else {
        n->more++;
    }
}

/* "15 ip, 8 yara" */
static void ioc_counts(const size_t *loaded, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (int t = 0; t < EXH_IOC__COUNT; t++)
        if (loaded[t] && k < n)
            k += (size_t)snprintf(out + k, n - k, "%s%zu %s", k ? ", " : "", loaded[t],
                                  exh_ioc_type_name((enum exh_ioc_type)t));
    if (!k)
        snprintf(out, n, "no indicator");
}

/* An --ioc file that cannot be mapped (a pipe, /dev/stdin): read it whole,
 * up to one byte over EXH_IOC_FILE_MAX (the caller refuses more). False when
 * nothing could be read from it. */
static bool read_piped(const char *path, struct exh_buf *out)
{
    FILE *f = exh_os_fopen(path, "rb");
    if (!f)
        return false;
    char chunk[65536];
    size_t k;
    while (out->n <= EXH_IOC_FILE_MAX && (k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        exh_buf_add(out, chunk, k);
    bool bad = ferror(f) != 0;
    fclose(f);
    return !bad;
}

/* --ioc FILE...: every file into one set, beside the built-in lists. A file
 * of which nothing is understood is a usage error (exit 2). */
static int load_iocs(struct scan *s)
{
    if (!s->iocs.n)
        return CLI_GO;
    s->iocs_set = exh_iocset_new(true);
    for (size_t i = 0; i < s->iocs.n; i++) {
        const char *path = s->iocs.v[i];
        struct exh_map m;
        struct exh_buf piped = {0};
        const char *sys = NULL;
        enum exh_err e = exh_os_map(path, &m, &sys);
        bool mapped = e == EXH_OK;
        if (!mapped && !read_piped(path, &piped)) { /* a pipe: --ioc <(curl ...) */
            exh_buf_release(&piped);
            return usage_error("--ioc: cannot read '%s': %s", path, sys ? sys : exh_strerror(e));
        }
        size_t n = mapped ? m.n : piped.n;
        if (n > EXH_IOC_FILE_MAX) {
            if (mapped)
                exh_os_unmap(&m);
            exh_buf_release(&piped);
            return usage_error("--ioc: '%s' is over %u MiB: not read (no indicator file is "
                               "that big; is it the right file?)",
                               path, EXH_IOC_FILE_MAX >> 20);
        }
        struct exh_ioc_load_stats st;
        struct ioc_note note = {path, s->quiet, 0, 0};
        bool ok = exh_iocset_load(s->iocs_set, path, mapped ? m.p : (const uint8_t *)piped.p, n,
                                  &st, ioc_note, &note);
        if (mapped)
            exh_os_unmap(&m);
        exh_buf_release(&piped);
        if (note.more)
            fprintf(stderr, "exhunt: %s: %zu more entries not understood\n", path, note.more);
        if (!ok)
            return usage_error("--ioc: '%s': %s", path, st.err);
        if (!s->quiet) {
            char counts[300];
            ioc_counts(st.loaded, counts, sizeof(counts));
            fprintf(stderr,
                    "exhunt: %s (%s): %s; %zu not used (kinds exhunt does not match), "
                    "%zu not understood\n",
                    path, exh_ioc_format_name(st.format), counts, st.unused, st.bad);
        }
        if (st.no_regex && !s->quiet)
            fprintf(stderr,
                    "exhunt: %s: %zu file-name regexes not used: this build has no PCRE2 "
                    "(the Windows build reads them but cannot run them)\n",
                    path, st.no_regex);
        if (st.loaded[EXH_IOC_YARA] && !exh_yara_available() && !s->quiet)
            fprintf(stderr,
                    "exhunt: %s: %zu YARA rules not used: this exhunt was built "
                    "without libyara\n",
                    path, st.loaded[EXH_IOC_YARA]);
    }
    exh_iocset_prepare(s->iocs_set);
    s->o.iocs = s->iocs_set;
    return CLI_GO;
}

/* What to read: the PATHs, or in live mode (Windows, no PATH) the places of
 * this server. */
static int scan_places(struct scan *s)
{
    s->o.paths = s->paths.v;
    s->o.npaths = s->paths.n;
    if (!s->live_mode)
        return CLI_GO;
    struct cli_live *lv = &s->live;
    cli_live_find(lv);
    if (!s->quiet) {
        fprintf(stderr, "exhunt: scanning this server live%s\n",
                exh_os_elevated() ? ""
                                  : " WITHOUT administrator rights: some logs (IIS, "
                                    "the Security event log) may be unreadable; run "
                                    "from an elevated prompt");
        if (lv->exchange)
            fprintf(stderr, "exhunt: Exchange: %s (from %s)\n", lv->exchange, lv->exchange_from);
        for (size_t i = 0; i < lv->nroots; i++)
            fprintf(stderr, "exhunt: reading %s\n", lv->roots[i]);
        for (size_t i = 0; i < lv->nnotes; i++)
            fprintf(stderr, "exhunt: %s\n", lv->notes[i]);
    }
    if (!lv->nroots)
        return usage_error("scan: nothing to read on this machine (no Exchange, IIS or "
                           "event log folders found); give PATH");
    s->o.paths = (const char *const *)lv->roots;
    s->o.npaths = lv->nroots;
    s->o.exchange_root = lv->exchange;
    return CLI_GO;
}

/* --collect DIR: never inside the evidence (the same roots as -o), and never
 * mixed with other files unless asked. */
static int check_collect(struct scan *s)
{
    if (!s->collect)
        return CLI_GO;
    size_t nroots, inside;
    const char **roots = evidence_roots(s->o.paths, s->o.npaths, s->o.exchange_root, &nroots);
    enum exh_collect_check ck =
        exh_collect_check_dir(s->collect, roots, nroots, s->collect_append, &inside);
    int rc = CLI_GO;
    if (ck == EXH_COLLECT_INSIDE)
        rc = usage_error("refusing to collect into '%s' inside the evidence '%s'", s->collect,
                         roots[inside]);
    else if (ck == EXH_COLLECT_NOT_EMPTY)
        rc = usage_error("--collect: '%s' is not empty (--collect-append adds to an "
                         "earlier collection there)",
                         s->collect);
    else if (ck == EXH_COLLECT_NOT_DIR)
        rc = usage_error("--collect: '%s' is not a folder that can be listed", s->collect);
    free(roots);
    return rc;
}

/* -o FILE: never inside the evidence (every PATH and the Exchange folder). */
static int open_output(struct scan *s)
{
    s->out = stdout;
    if (!s->output || !strcmp(s->output, "-"))
        return CLI_GO;
    size_t nroots, inside;
    const char **roots = evidence_roots(s->o.paths, s->o.npaths, s->o.exchange_root, &nroots);
    const char *why;
    s->out = exh_os_open_output(s->output, roots, nroots, &inside, &why);
    int rc = CLI_GO;
    if (!s->out && inside < nroots) {
        rc = usage_error("refusing to write '%s' inside the evidence '%s'", s->output,
                         roots[inside]);
    } else if (!s->out) {
        fprintf(stderr, "exhunt: %s '%s': %s\n",
                inside == EXH_OUT_REFUSED ? "refusing to write" : "cannot write", s->output, why);
        rc = 2;
    }
    free(roots);
    return rc;
}

/* Scan, collect, report: the exit code. */
static int scan_run(struct scan *s)
{
    struct progress_state ps = {0};
    if (!s->quiet && strcmp(s->progress, "never") != 0 && exh_os_isatty(2)) {
        ps.start = ps.last = exh_os_mono_ms();
        ps.width = exh_os_term_width(2);
        s->o.progress = on_progress;
        s->o.progress_ud = &ps;
    }
    /* a supervised child: report each file's start and end, leave out the files
     * an earlier run crashed on, and run on one thread when asked (to find which) */
    struct cli_left_out left;
    memset(&left, 0, sizeof(left));
    if (exh_os_supervised()) {
        s->o.on_file = cli_child_on_file;
        cli_child_crashed(&left, s->file_timeout);
        s->o.crashed = (const char *const *)left.paths;
        s->o.ncrashed = left.n;
        s->o.crashed_code = left.codes;
        s->o.crashed_why = left.whys;
        const char *one = exh_os_getenv("EXH_ONE_THREAD");
        if (one && !strcmp(one, "1"))
            s->o.threads = 1;
    }
    struct exh_result res;
    enum exh_err err = exh_scan(&s->o, &res);
    cli_left_out_release(&left);
    if (ps.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    exh_iocset_free(s->iocs_set);
    s->iocs_set = NULL;
    if (err != EXH_OK) {
        fprintf(stderr, "exhunt: scan failed: %s\n", exh_strerror(err));
        return 2;
    }
    bool collect_failed = s->collect && !cli_collect(s->collect, s->collect_append, &res, s->now,
                                                     s->quiet, s->timeline, s->all);
    struct exh_report rep;
    cli_report_init(&rep, s->ops, s->out, s->quiet, s->color, s->now);
    rep.timeline = s->timeline;
    rep.all = s->all;
    exh_report_result(&rep, &res);
    int rc = cli_report_close(s->out, res.sum.exit_code);
    s->out = NULL; /* closed */
    exh_result_release(&res);
    return collect_failed ? 2 : rc;
}

int cmd_scan(int argc, char **argv)
{
    struct scan s;
    scan_init(&s);
    int rc = scan_parse(&s, argc, argv);
    if (rc != CLI_GO)
        goto out;
    if ((rc = scan_check(&s)) != CLI_GO || (rc = load_iocs(&s)) != CLI_GO ||
        (rc = scan_places(&s)) != CLI_GO || (rc = check_collect(&s)) != CLI_GO ||
        (rc = open_output(&s)) != CLI_GO)
        goto out;
    rc = scan_run(&s);
out:
    scan_release(&s);
    return rc;
}
