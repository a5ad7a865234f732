/* cmd_merge.c: `exhunt merge`: the options, the inputs in order, and the
 * exit code of the fleet's worst host (src/engine/merge.c reads, and
 * src/report/report_fleet.c writes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/core.h"
#include "exh/merge.h"
#include "exh/os.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

static void usage_merge(FILE *o)
{
    fputs("usage: exhunt merge [options] RESULT...\n"
          "\n"
          "Reads the JSON Lines results of many `exhunt scan -f jsonl` runs and writes one\n"
          "fleet report: a row per host (verdict, stages reached, the span of its logs, build\n"
          "and exposure, findings by severity, errors), worst first; how many hosts have each\n"
          "verdict; and the source addresses seen on more than one host, in time order.\n"
          "\n"
          "RESULT is a file, a folder (its *.jsonl and *.json files, walked recursively) or -\n"
          "(standard input); gzip-compressed too (*.jsonl.gz, *.json.gz) in a build with zlib.\n"
          "A bad line (not JSON, not an exhunt record, longer than 16 MiB) becomes an error\n"
          "record naming the file and line, and the rest is merged; a file whose summary has\n"
          "another schema_version is refused whole. A result without its summary line makes\n"
          "its host INCOMPLETE.\n"
          "\n"
          "  -f, --format FMT       text (default), jsonl (JSON Lines, docs/merge.md), csv (a\n"
          "                         row per host) or html (one self-contained page)\n"
          "      --json             same as --format jsonl\n"
          "  -o, --output FILE      write the report to FILE instead of standard output\n"
          "      --since TIME       list the hosts whose logs do not reach back to TIME (RFC\n"
          "                         3339, YYYY-MM-DD or Nd = N days ago): clean is never\n"
          "                         claimed beyond the logs\n"
          "      --keep-all         keep every scan of a host; by default only the newest\n"
          "                         (by the summary's time) is kept, and the others are named\n"
          "\n"
          "exit codes: 1 a host COMPROMISED, TARGETED or EXPOSED; else 2 a host INCOMPLETE, a\n"
          "CLEAN host whose logs start after --since, an input problem, no host at all, or a\n"
          "usage error; else 0 (every host CLEAN).\n"
          "Not in the Windows build (exhunt.exe has no JSON parser): run it on Linux.\n",
          o);
}

int cmd_merge(int argc, char **argv)
{
    const char *format = "text", *output = NULL, *since = NULL;
    struct exh_merge_opts mo = {0};
    const char **inputs = exh_xcalloc((size_t)argc, sizeof(char *));
    int ninputs = 0, rc = 2;
    bool only_inputs = false;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        rc = usage_error(__VA_ARGS__);                                                             \
        goto out;                                                                                  \
    } while (0)
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
            inputs[ninputs++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_inputs = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage_merge(stdout);
            rc = 0;
            goto out;
        }
        if (!strcmp(a, "--json")) {
            format = "jsonl";
            continue;
        }
        if (!strcmp(a, "--keep-all")) {
            mo.keep_all = true;
            continue;
        }
        struct {
            const char *s, *l, **var;
        } vals[] = {
            {"-f", "--format", &format}, {"-o", "--output", &output}, {NULL, "--since", &since}};
        bool matched = false;
        for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]) && !matched; k++) {
            int r = cli_opt_value(argc, argv, &i, vals[k].s, vals[k].l, &v);
            if (r < 0)
                FAIL("%s needs a value", a);
            if (r > 0) {
                *vals[k].var = v;
                matched = true;
            }
        }
        if (!matched)
            FAIL("merge: unknown option '%s'", a);
    }
    if (strcmp(format, "text") && strcmp(format, "jsonl") && strcmp(format, "csv") &&
        strcmp(format, "html"))
        FAIL("merge: unknown format '%s' (text, jsonl, csv or html)", format);
    const char *nowenv = exh_os_getenv("EXH_NOW");
    int64_t now = exh_os_now_ms();
    if (nowenv && *nowenv && !exh_time_parse(nowenv, strlen(nowenv), &now))
        FAIL("EXH_NOW='%s' is not an RFC 3339 time", nowenv);
    if (since) {
        if (!cli_parse_when(since, now, &mo.since_ms))
            FAIL("--since: '%s' is not a time (RFC 3339, YYYY-MM-DD or Nd)", since);
        mo.has_since = true;
    }
    if (!ninputs)
        FAIL("merge needs at least one RESULT (a file, a folder or -)");
    if (!exh_merge_available()) {
        fputs("exhunt: merge is not in the Windows build (it has no JSON parser): run `exhunt "
              "merge` on Linux with the results of `exhunt.exe scan -f jsonl`\n",
              stderr);
        goto out;
    }
    FILE *out = stdout;
    if (output && strcmp(output, "-") != 0) {
        /* never over an input, nor as a result a later merge of its folder
         * would read (a fleet report is left out then, but a scan's is not) */
        const char **roots = exh_xmalloc((size_t)ninputs * sizeof(*roots));
        size_t nroots = 0;
        for (int i = 0; i < ninputs; i++)
            if (strcmp(inputs[i], "-") != 0)
                roots[nroots++] = inputs[i];
        size_t in = nroots ? exh_os_inside(output, roots, nroots) : EXH_OUT_ERROR;
        if (in < nroots &&
            (exh_os_dir_state(roots[in]) == EXH_DIR_OTHER || exh_merge_result_name(output))) {
            fprintf(stderr, "exhunt: refusing to write '%s' over or among the results '%s'\n",
                    output, roots[in]);
            free(roots);
            goto out;
        }
        free(roots);
        size_t inside;
        const char *why;
        out = exh_os_open_output(output, NULL, 0, &inside, &why);
        if (!out) {
            fprintf(stderr, "exhunt: cannot write '%s': %s\n", output, why);
            goto out;
        }
    }
    struct exh_merge *m = exh_merge_new(&mo);
    for (int i = 0; i < ninputs; i++)
        exh_merge_path(m, inputs[i]);
    free(inputs);
    struct exh_fleet f;
    exh_merge_finish(m, &f);
    exh_report_fleet(out, stderr, format, &f, now);
    rc = cli_report_close(out, f.exit_code);
    exh_fleet_release(&f);
    return rc;
out:
    free(inputs);
    return rc;
#undef FAIL
}
