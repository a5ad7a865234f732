/* main.c: the subcommand table, help and version. */
#include <stdio.h>
#include <string.h>

#include "exh/exposure.h"
#include "exh/http.h"
#include "exh/merge.h"
#include "cli.h"
#include "exh/os.h"
#include "exh/scan.h"
#include "exh/yara.h"
#include "exh/banned.h"

/* the commit built from (git describe --always --dirty; the Makefile passes
 * it), "unknown" outside a git checkout */
#ifndef EXH_COMMIT
#define EXH_COMMIT "unknown"
#endif

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"scan", cmd_scan, "scan a server's files, logs or a single file and give a verdict"},
    {"probe", cmd_probe, "ask Exchange servers over the network for their build and judge it"},
    {"merge", cmd_merge, "merge many scans' JSON Lines results into one fleet report"},
    {"rules", cmd_rules, "list every check: id, severity, stage, CVEs, inputs"},
    {"explain", cmd_explain, "explain one check: what it means and what to do"},
    {"evtx", cmd_evtx, "print the records of .evtx files as JSON Lines (what the reader sees)"},
    {"version", cmd_version, "print the version, schema version and build options"},
    {"help", cmd_help, "show this help, or a command's (exhunt help scan)"},
};

void usage_main(FILE *o)
{
    fputs("usage: exhunt <command> [options]\n"
          "       exhunt scan [options] PATH...\n"
          "       exhunt probe [options] TARGET...\n"
          "       exhunt merge [options] RESULT...\n\n"
          "Tells whether an on-premises Exchange server was compromised, targeted or left\n"
          "exposed (ProxyLogon and its kin), from its own logs and files. PATH is a copied or\n"
          "mounted system drive, an Exchange install folder, a triage folder or one file.\n\n"
          "commands:\n",
          o);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(o, "  %-9s %s\n", commands[i].name, commands[i].help);
    fputs("\nexit codes: 0 clean, 1 compromised/targeted/exposed, 2 incomplete or usage error\n"
          "`exhunt scan --help` lists the scan options, `exhunt probe --help` the probe's,\n"
          "`exhunt merge --help` the merge's.\n",
          o);
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("exhunt %s\n", EXH_VERSION);
    printf("commit %s\n", EXH_COMMIT);
    printf("schema_version %d\n", EXH_SCHEMA_VERSION);
#if defined(_WIN32)
    printf("platform windows\n");
#else
    printf("platform posix\n");
#endif
    printf("yara %s\n", exh_yara_available() ? "yes" : "no");
    printf("probe %s\n", exh_http_available() ? "yes" : "no");
    printf("merge %s\n", exh_merge_available() ? "yes" : "no");
#if defined(_WIN32)
    printf("crypto cng\n");
#else
    printf("crypto openssl\n");
#endif
    printf("builds %zu Exchange builds, catalogue to %s\n", exh_catalogue_size(),
           exh_catalogue_date());
    return 0;
}

int cmd_help(int argc, char **argv)
{
    /* `exhunt help CMD` is `exhunt CMD --help` */
    for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name) && commands[i].fn != cmd_help &&
            commands[i].fn != cmd_version) {
            char help[] = "--help";
            char *args[] = {argv[1], help, NULL};
            return commands[i].fn(2, args);
        }
    usage_main(stdout);
    return 0;
}

static int run(int argc, char **argv)
{
    exh_os_stdio_init();
    if (argc < 2) {
        usage_main(stderr);
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "-h") || !strcmp(c, "--help"))
        return cmd_help(argc - 1, argv + 1);
    if (!strcmp(c, "--version") || !strcmp(c, "-V"))
        return cmd_version(argc - 1, argv + 1);
    if (!strcmp(c, "scan") && !exh_os_supervised()) {
        const char *no = exh_os_getenv("EXH_NO_SUPERVISE");
        bool help = false;
        for (int i = 2; i < argc; i++)
            help |= !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help");
        if (!(no && *no && strcmp(no, "0")) && !help) {
            int rc = cli_supervise(argc, argv);
            if (rc != -2 && rc != EXH_RUN_SELF_CHILD)
                return rc; /* the supervisor, done; a forked child scans below */
        }
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(c, commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    return usage_error("'%s' is not a command", c);
}

#ifdef _WIN32
/* Windows: arguments arrive as UTF-16; everything inside is UTF-8. */
int wmain(int argc, wchar_t **wargv)
{
    exh_os_win_harden();
    return run(argc, exh_os_utf8_argv(argc, wargv));
}
#else
int main(int argc, char **argv)
{
    return run(argc, argv);
}
#endif
