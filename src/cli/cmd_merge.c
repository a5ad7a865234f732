/* cmd_merge.c: `exhunt merge`: the options, the inputs in order, and the
 * exit code of the fleet's worst host (src/engine/merge.c reads, and
 * src/report/report_fleet.c writes). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/core.h"
#include "exh/merge.h"
#include "exh/os.h"
#include "exh/timeutil.h"
#include "exh/banned.h"

struct merge_args {
    const char *format, *output, *since;
    struct exh_merge_opts mo;
    struct cli_list inputs;
};

#define M(field) offsetof(struct merge_args, field)
static const struct cli_opt merge_opts[] = {
    CLI_OPT_HELP(),
    CLI_OPT_STR('f', "format", M(format), "FMT",
                "text (default), jsonl (JSON Lines, docs/merge.md), csv (a\n"
                "row per host) or html (one self-contained page)"),
    CLI_OPT_CONST(0, "json", M(format), "jsonl", "same as --format jsonl"),
    CLI_OPT_STR('o', "output", M(output), "FILE",
                "write the report to FILE instead of standard output"),
    CLI_OPT_STR(0, "since", M(since), "TIME",
                "list the hosts whose logs do not reach back to TIME (RFC\n"
                "3339, YYYY-MM-DD or Nd = N days ago): clean is never\n"
                "claimed beyond the logs"),
    CLI_OPT_FLAG(0, "keep-all", M(mo.keep_all),
                 "keep every scan of a host; by default only the newest\n"
                 "(by the summary's time) is kept, and the others are named"),
};
#undef M

static const struct cli_cmd merge_cmd = {
    .usage = "usage: exhunt merge [options] RESULT...\n"
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
             "\n",
    CLI_OPTS(merge_opts),
    .epilog = "\n"
              "exit codes: 1 a host COMPROMISED, TARGETED or EXPOSED; else 2 a host INCOMPLETE, a\n"
              "CLEAN host whose logs start after --since, an input problem, no host at all, or a\n"
              "usage error; else 0 (every host CLEAN).\n"
              "Not in the Windows build (exhunt.exe has no JSON parser): run it on Linux.\n",
    .column = 25,
    .unknown = "merge: unknown option '%s'",
    .args_off = offsetof(struct merge_args, inputs),
    .flags = CLI_ARGS_LIST,
};

int cmd_merge(int argc, char **argv)
{
    struct merge_args a = {.format = "text"};
    int rc = cli_args_parse(&merge_cmd, &a, argc, argv);
    if (rc != CLI_GO)
        goto out;
    rc = 2;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        rc = usage_error(__VA_ARGS__);                                                             \
        goto out;                                                                                  \
    } while (0)
    if (strcmp(a.format, "text") && strcmp(a.format, "jsonl") && strcmp(a.format, "csv") &&
        strcmp(a.format, "html"))
        FAIL("merge: unknown format '%s' (text, jsonl, csv or html)", a.format);
    const char *nowenv = exh_os_getenv("EXH_NOW");
    int64_t now = exh_os_now_ms();
    if (nowenv && *nowenv && !exh_time_parse(nowenv, strlen(nowenv), &now))
        FAIL("EXH_NOW='%s' is not an RFC 3339 time", nowenv);
    if (a.since) {
        if (!cli_parse_when(a.since, now, &a.mo.since_ms))
            FAIL("--since: '%s' is not a time (RFC 3339, YYYY-MM-DD or Nd)", a.since);
        a.mo.has_since = true;
    }
    if (!a.inputs.n)
        FAIL("merge needs at least one RESULT (a file, a folder or -)");
    if (!exh_merge_available()) {
        fputs("exhunt: merge is not in the Windows build (it has no JSON parser): run `exhunt "
              "merge` on Linux with the results of `exhunt.exe scan -f jsonl`\n",
              stderr);
        goto out;
    }
    FILE *out = stdout;
    if (a.output && strcmp(a.output, "-") != 0) {
        /* never over an input, nor as a result a later merge of its folder
         * would read (a fleet report is left out then, but a scan's is not) */
        const char **roots = exh_xmalloc(a.inputs.n * sizeof(*roots));
        size_t nroots = 0;
        for (size_t i = 0; i < a.inputs.n; i++)
            if (strcmp(a.inputs.v[i], "-") != 0)
                roots[nroots++] = a.inputs.v[i];
        size_t in = nroots ? exh_os_inside(a.output, roots, nroots) : EXH_OUT_ERROR;
        if (in < nroots &&
            (exh_os_dir_state(roots[in]) == EXH_DIR_OTHER || exh_merge_result_name(a.output))) {
            fprintf(stderr, "exhunt: refusing to write '%s' over or among the results '%s'\n",
                    a.output, roots[in]);
            free(roots);
            goto out;
        }
        free(roots);
        size_t inside;
        const char *why;
        out = exh_os_open_output(a.output, NULL, 0, &inside, &why);
        if (!out) {
            fprintf(stderr, "exhunt: cannot write '%s': %s\n", a.output, why);
            goto out;
        }
    }
    struct exh_merge *m = exh_merge_new(&a.mo);
    for (size_t i = 0; i < a.inputs.n; i++)
        exh_merge_path(m, a.inputs.v[i]);
    struct exh_fleet f;
    exh_merge_finish(m, &f);
    exh_report_fleet(out, stderr, a.format, &f, now);
    rc = cli_report_close(out, f.exit_code);
    exh_fleet_release(&f);
out:
    cli_list_release(&a.inputs);
    return rc;
#undef FAIL
}
