/* cli.h: the subcommands. Each returns the process exit code. The CLI is the
 * only layer that prints or exits. */
#ifndef EXH_CLI_H
#define EXH_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define EXH_VERSION "0.1.0"

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_evtx(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* A thread count from 1 to 256 (-j, --threads). */
bool cli_parse_threads(const char *s, int *out);

void usage_main(FILE *o);
void usage_scan(FILE *o);
/* Print "exhunt: msg" and a hint to stderr; returns 2 (usage error). */
int usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
