/* cli.h: the subcommands. Each returns the process exit code. The CLI is the
 * only layer that prints or exits. */
#ifndef EXH_CLI_H
#define EXH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "exh/err.h"

#define EXH_VERSION "0.1.0"

int cmd_scan(int argc, char **argv);
/* supervise.c: run `scan` in a child that a crashing reader cannot take the
 * report down with (returns the exit code, or -2: scan in this process) */
int cli_supervise(int argc, char **argv);
void cli_child_on_file(void *ud, const char *path, bool done);
/* In a supervised child: the files earlier runs left out (a reader crashed on
 * them, or they took longer than budget_s seconds), for exh_scan_opts.crashed. */
struct cli_left_out {
    char **paths;
    size_t n;
    enum exh_err *codes; /* NULL, or per path (EXH_ERR_TIMEOUT) */
    const char **whys;   /* NULL, or per path: NULL for a crash */
    char *why_;
};
void cli_child_crashed(struct cli_left_out *lo, int budget_s);
void cli_left_out_release(struct cli_left_out *lo);
/* --file-timeout's seconds in a scan's arguments (the default when absent or
 * not a number: the scan itself reports that as a usage error). */
#define CLI_FILE_TIMEOUT_DEFAULT 60
int cli_file_timeout(int argc, char **argv);
bool cli_parse_timeout(const char *s, int *out);
/* The report settings scan and probe share: -f's reporter, the output,
 * -q, and --color (auto: the text format on a terminal, NO_COLOR unset, TERM
 * not dumb). */
struct exh_report;
struct exh_reporter_ops;
void cli_report_init(struct exh_report *rep, const struct exh_reporter_ops *ops, FILE *out,
                     bool quiet, const char *color, int64_t now);
/* Flush and close the report's output: rc, or 2 when it could not be written. */
int cli_report_close(FILE *out, int rc);
/* --since/--until's TIME: RFC 3339, YYYY-MM-DD, or Nd (N days before now). */
bool cli_parse_when(const char *s, int64_t now, int64_t *out);
int cmd_merge(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_evtx(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Live mode (live.c): what to read on the Windows server exhunt runs on. */
struct cli_live {
    char **roots; /* folders to read, none inside another */
    size_t nroots, caproots;
    char **notes; /* what was looked for and not found */
    size_t nnotes, capnotes;
    char *exchange;            /* the Exchange install folder when present, or NULL */
    const char *exchange_from; /* where it was named */
    char *iis_config;          /* applicationHost.config when it was read */
};
void cli_live_find(struct cli_live *lv);
void cli_live_release(struct cli_live *lv);

void usage_main(FILE *o);

#endif
