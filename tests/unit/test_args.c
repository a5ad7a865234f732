/* test_args.c: the option-table parser and the --help printer
 * (src/cli/args.c): every value kind, -x VALUE, -xVALUE, --name VALUE,
 * --name=VALUE, missing values, unknown options, --, repeated options, the
 * commands' flags, and --help printed from the table. */
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include "cli/args.c"
#include "t.h"

struct targs {
    bool quiet, all;
    const char *format, *color;
    int threads, secs;
    struct cli_list iocs, args;
    int ncalls;
    const char *called[4]; /* the values --check saw ("(missing)" for NULL) */
};

static int opt_check(void *args, const char *opt, const char *val)
{
    struct targs *t = args;
    if (!val)
        return usage_error("%s needs a check", opt);
    if (!strcmp(val, "bad"))
        return usage_error("--check takes good, not '%s'", val);
    if (t->ncalls < 4)
        t->called[t->ncalls] = val;
    t->ncalls++;
    return 0;
}

#define A(field) offsetof(struct targs, field)
static const struct cli_opt topts[] = {
    CLI_OPT_HELP(),
    CLI_OPT_TEXT("output:"),
    CLI_OPT_STR('f', "format", A(format), "FMT",
                "text (default) or jsonl\n"
                "(a second line)"),
    CLI_OPT_CONST(0, "json", A(format), "jsonl", "same as --format jsonl"),
    CLI_OPT_FLAG('q', "quiet", A(quiet), "no progress"),
    CLI_OPT_FLAG('a', NULL, A(all), "every finding (a short name only)"),
    CLI_OPT_STR(0, "color", A(color), "WHEN", "auto, always or never"),
    CLI_OPT_ALIAS("colour", A(color)),
    CLI_OPT_TEXT("\ninput:"),
    CLI_OPT_LIST(0, "ioc", A(iocs), "FILE", "more indicators (repeatable)"),
    CLI_OPT_INT('j', "threads", A(threads), 1, 256, "--threads takes a number from 1 to 256", "N",
                "worker threads"),
    {.kind = CLI_INT,
     .lname = "file-timeout",
     .off = A(secs),
     .lo = 0,
     .hi = 60,
     .bad = "--file-timeout takes 0 to 60",
     .missing = "%s needs seconds",
     .meta = "SECONDS",
     .help = "a name and value wider than the column"},
    CLI_OPT_CALL(0, "check", opt_check, "NAME", "a checked value"),
};
#undef A

static const char thelp[] = "usage: t [options] ARG...\n"
                            "\n"
                            "output:\n"
                            "  -f, --format FMT    text (default) or jsonl\n"
                            "                      (a second line)\n"
                            "      --json          same as --format jsonl\n"
                            "  -q, --quiet         no progress\n"
                            "  -a                  every finding (a short name only)\n"
                            "      --color WHEN    auto, always or never\n"
                            "\n"
                            "input:\n"
                            "      --ioc FILE      more indicators (repeatable)\n"
                            "  -j, --threads N     worker threads\n"
                            "      --file-timeout SECONDS  a name and value wider than the column\n"
                            "      --check NAME    a checked value\n"
                            "\n"
                            "exit codes: none\n";

static struct cli_cmd tcmd(unsigned flags)
{
    struct cli_cmd c = {
        .usage = "usage: t [options] ARG...\n\n",
        CLI_OPTS(topts),
        .epilog = "\nexit codes: none\n",
        .column = 22,
        .unknown = "t: unknown option '%s'",
        .args_off = offsetof(struct targs, args),
        .flags = flags | CLI_ARGS_LIST,
    };
    return c;
}

static void release(struct targs *t)
{
    cli_list_release(&t->iocs);
    cli_list_release(&t->args);
}

/* A file's whole text (at most 4 KiB). */
static void slurp(FILE *f, char *buf, size_t cap)
{
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static char out_text[4096], err_text[4096];

/* Parse the arguments after argv[0] (NULL-terminated) with stdout and
 * stderr caught in out_text and err_text. */
static int parse_with(const struct cli_cmd *c, struct targs *t, ...)
{
    char *argv[32] = {"t"};
    int argc = 1;
    va_list ap;
    va_start(ap, t);
    for (const char *a; argc < 31 && (a = va_arg(ap, const char *)) != NULL;)
        argv[argc++] = (char *)a;
    va_end(ap);
    release(t); /* the lists of the last parse */
    memset(t, 0, sizeof(*t));
    t->format = "text";
    fflush(stdout);
    fflush(stderr);
    FILE *o = tmpfile(), *e = tmpfile();
    int so = dup(1), se = dup(2);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    int rc = cli_args_parse(c, t, argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    slurp(o, out_text, sizeof(out_text));
    slurp(e, err_text, sizeof(err_text));
    return rc;
}
#define PARSE(t, ...) parse_with(&c, (t), __VA_ARGS__, (const char *)NULL)

static void test_values(void)
{
    struct cli_cmd c = tcmd(0);
    struct targs t = {0};
    /* CLI_STR in its four spellings, and = inside the value */
    const char *spell[][3] = {{"-f", "csv", NULL},
                              {"-fcsv", NULL, NULL},
                              {"--format", "csv", NULL},
                              {"--format=csv", NULL, NULL}};
    for (size_t i = 0; i < sizeof(spell) / sizeof(spell[0]); i++) {
        T_CTX(spell[i][0]);
        CHECK_EQ_INT(parse_with(&c, &t, spell[i][0], spell[i][1], (const char *)NULL), CLI_GO);
        CHECK_EQ_STR(t.format, "csv");
        CHECK_EQ_STR(err_text, "");
        release(&t);
    }
    T_CTX(NULL);
    CHECK_EQ_INT(PARSE(&t, "--format=a=b"), CLI_GO);
    CHECK_EQ_STR(t.format, "a=b");
    CHECK_EQ_INT(PARSE(&t, "--format="), CLI_GO);
    CHECK_EQ_STR(t.format, "");
    /* the next argument is the value even when it looks like an option */
    CHECK_EQ_INT(PARSE(&t, "-f", "-q"), CLI_GO);
    CHECK_EQ_STR(t.format, "-q");
    CHECK(!t.quiet);
    /* CLI_FLAG, CLI_CONST; the last of several wins */
    CHECK_EQ_INT(PARSE(&t, "-q", "-a", "--json"), CLI_GO);
    CHECK(t.quiet && t.all);
    CHECK_EQ_STR(t.format, "jsonl");
    CHECK_EQ_INT(PARSE(&t, "--json", "-f", "csv", "--format=html"), CLI_GO);
    CHECK_EQ_STR(t.format, "html");
    CHECK_EQ_INT(PARSE(&t, "-f", "csv", "--json"), CLI_GO);
    CHECK_EQ_STR(t.format, "jsonl");
    /* a hidden alias */
    CHECK_EQ_INT(PARSE(&t, "--colour", "never"), CLI_GO);
    CHECK_EQ_STR(t.color, "never");
    release(&t);
}

static void test_int(void)
{
    struct cli_cmd c = tcmd(0);
    struct targs t = {0};
    const char *good[][2] = {{"-j", "4"}, {"-j4", NULL}, {"--threads", "4"}, {"--threads=4", NULL}};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        T_CTX(good[i][0]);
        CHECK_EQ_INT(parse_with(&c, &t, good[i][0], good[i][1], (const char *)NULL), CLI_GO);
        CHECK_EQ_INT(t.threads, 4);
    }
    T_CTX(NULL);
    CHECK_EQ_INT(PARSE(&t, "-j", "1", "-j", "256"), CLI_GO);
    CHECK_EQ_INT(t.threads, 256);
    const char *bad[] = {"0", "257", "-1", "4x", "", " ", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        T_CTX(bad[i]);
        CHECK_EQ_INT(PARSE(&t, "-j", bad[i]), 2);
        CHECK_EQ_STR(err_text,
                     "exhunt: --threads takes a number from 1 to 256\n(see 'exhunt --help')\n");
    }
    T_CTX(NULL);
    /* missing: .bad, or .missing with the option as given */
    CHECK_EQ_INT(PARSE(&t, "-j"), 2);
    CHECK_EQ_STR(err_text,
                 "exhunt: --threads takes a number from 1 to 256\n(see 'exhunt --help')\n");
    CHECK_EQ_INT(PARSE(&t, "--file-timeout"), 2);
    CHECK_EQ_STR(err_text, "exhunt: --file-timeout needs seconds\n(see 'exhunt --help')\n");
    CHECK_EQ_INT(PARSE(&t, "--file-timeout=0"), CLI_GO);
    CHECK_EQ_INT(t.secs, 0);
    CHECK_EQ_INT(PARSE(&t, "--file-timeout=61"), 2);
    CHECK_EQ_STR(err_text, "exhunt: --file-timeout takes 0 to 60\n(see 'exhunt --help')\n");
    release(&t);
}

static void test_list_and_call(void)
{
    struct cli_cmd c = tcmd(0);
    struct targs t = {0};
    CHECK_EQ_INT(PARSE(&t, "--ioc", "a", "x", "--ioc=b", "--ioc", "", "y"), CLI_GO);
    if (CHECK_EQ_INT(t.iocs.n, 3)) {
        CHECK_EQ_STR(t.iocs.v[0], "a");
        CHECK_EQ_STR(t.iocs.v[1], "b");
        CHECK_EQ_STR(t.iocs.v[2], "");
    }
    if (CHECK_EQ_INT(t.args.n, 2)) {
        CHECK_EQ_STR(t.args.v[0], "x");
        CHECK_EQ_STR(t.args.v[1], "y");
    }
    release(&t);
    CHECK_EQ_INT(PARSE(&t, "--check", "one", "--check=two"), CLI_GO);
    CHECK_EQ_INT(t.ncalls, 2);
    CHECK_EQ_STR(t.called[0], "one");
    CHECK_EQ_STR(t.called[1], "two");
    /* the callback's own errors, and a missing value handed to it as NULL */
    CHECK_EQ_INT(PARSE(&t, "--check=bad", "--check", "one"), 2);
    CHECK_EQ_INT(t.ncalls, 0);
    CHECK_EQ_STR(err_text, "exhunt: --check takes good, not 'bad'\n(see 'exhunt --help')\n");
    CHECK_EQ_INT(PARSE(&t, "x", "--check"), 2);
    CHECK_EQ_STR(err_text, "exhunt: --check needs a check\n(see 'exhunt --help')\n");
    release(&t);
}

static void test_errors(void)
{
    struct cli_cmd c = tcmd(0);
    struct targs t = {0};
    /* a missing value: the option as given */
    CHECK_EQ_INT(PARSE(&t, "-f"), 2);
    CHECK_EQ_STR(err_text, "exhunt: -f needs a value\n(see 'exhunt --help')\n");
    CHECK_EQ_INT(PARSE(&t, "x", "--format"), 2);
    CHECK_EQ_STR(err_text, "exhunt: --format needs a value\n(see 'exhunt --help')\n");
    CHECK_EQ_INT(PARSE(&t, "--ioc"), 2);
    CHECK_EQ_STR(err_text, "exhunt: --ioc needs a value\n(see 'exhunt --help')\n");
    release(&t);
    /* unknown: no abbreviations, no value for a flag, no bundled flags */
    const char *unknown[] = {"--bogus", "-x",      "--form", "--quiet=1",
                             "-qa",     "---json", "--=x",   "--colou"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        T_CTX(unknown[i]);
        char want[128];
        snprintf(want, sizeof(want), "exhunt: t: unknown option '%s'\n(see 'exhunt --help')\n",
                 unknown[i]);
        CHECK_EQ_INT(PARSE(&t, "a", unknown[i], "b"), 2);
        CHECK_EQ_STR(err_text, want);
        CHECK_EQ_STR(out_text, "");
        release(&t);
    }
    T_CTX(NULL);
    /* the first error ends the parse */
    CHECK_EQ_INT(PARSE(&t, "--bogus", "-f"), 2);
    CHECK_EQ_STR(err_text, "exhunt: t: unknown option '--bogus'\n(see 'exhunt --help')\n");
    release(&t);
    /* a command without arguments refuses them as unknown */
    struct cli_cmd none = tcmd(0);
    none.flags = 0;
    CHECK_EQ_INT(parse_with(&none, &t, "-q", "extra", (const char *)NULL), 2);
    CHECK_EQ_STR(err_text, "exhunt: t: unknown option 'extra'\n(see 'exhunt --help')\n");
    release(&t);
}

static void test_arguments(void)
{
    struct cli_cmd c = tcmd(0);
    struct targs t = {0};
    /* options and arguments in any order; "-" is an argument; after "--"
     * everything is */
    CHECK_EQ_INT(PARSE(&t, "a", "-q", "-", "--", "--json", "-f", "--"), CLI_GO);
    CHECK(t.quiet);
    CHECK_EQ_STR(t.format, "text");
    if (CHECK_EQ_INT(t.args.n, 5)) {
        CHECK_EQ_STR(t.args.v[0], "a");
        CHECK_EQ_STR(t.args.v[1], "-");
        CHECK_EQ_STR(t.args.v[2], "--json");
        CHECK_EQ_STR(t.args.v[3], "-f");
        CHECK_EQ_STR(t.args.v[4], "--");
    }
    release(&t);
    /* CLI_DASH_IS_OPTION: "-" is an unknown option, unless after -- */
    struct cli_cmd d = tcmd(CLI_DASH_IS_OPTION);
    CHECK_EQ_INT(parse_with(&d, &t, "a", "-", (const char *)NULL), 2);
    CHECK_EQ_STR(err_text, "exhunt: t: unknown option '-'\n(see 'exhunt --help')\n");
    release(&t);
    CHECK_EQ_INT(parse_with(&d, &t, "--", "-", (const char *)NULL), CLI_GO);
    CHECK(t.args.n == 1 && !strcmp(t.args.v[0], "-"));
    release(&t);
    /* CLI_OPTIONS_FIRST: the first argument ends the options */
    struct cli_cmd f = tcmd(CLI_OPTIONS_FIRST);
    CHECK_EQ_INT(parse_with(&f, &t, "-j2", "a", "-q", "--bogus", (const char *)NULL), CLI_GO);
    CHECK_EQ_INT(t.threads, 2);
    CHECK(!t.quiet);
    if (CHECK_EQ_INT(t.args.n, 3))
        CHECK_EQ_STR(t.args.v[2], "--bogus");
    release(&t);
}

static void test_help(void)
{
    struct cli_cmd c = tcmd(0);
    struct targs t = {0};
    /* -h and --help anywhere: the help on stdout, nothing parsed after */
    CHECK_EQ_INT(PARSE(&t, "-q", "x", "-h", "--bogus"), 0);
    CHECK_EQ_STR(out_text, thelp);
    CHECK_EQ_STR(err_text, "");
    release(&t);
    CHECK_EQ_INT(PARSE(&t, "--help"), 0);
    CHECK_EQ_STR(out_text, thelp);
    /* but a value is a value */
    CHECK_EQ_INT(PARSE(&t, "-f", "--help"), CLI_GO);
    CHECK_EQ_STR(t.format, "--help");
    CHECK_EQ_STR(out_text, "");
    /* after -- it is an argument */
    CHECK_EQ_INT(PARSE(&t, "--", "-h"), CLI_GO);
    CHECK(t.args.n == 1 && !strcmp(t.args.v[0], "-h"));
    release(&t);
    /* printed straight from the table: usage, rows (hidden ones left out),
     * epilog; the options part alone */
    FILE *f = tmpfile();
    cli_args_help(f, &c);
    char buf[4096];
    slurp(f, buf, sizeof(buf));
    CHECK_EQ_STR(buf, thelp);
    f = tmpfile();
    cli_args_options(f, &c);
    slurp(f, buf, sizeof(buf));
    const char *opts = thelp + strlen("usage: t [options] ARG...\n\n");
    CHECK_EQ_INT(strlen(buf), strlen(opts) - strlen("\nexit codes: none\n"));
    CHECK(!strncmp(buf, opts, strlen(buf)));
    CHECK(!strstr(buf, "colour") && !strstr(buf, "--help"));
    release(&t);
}

int main(void)
{
    T_RUN(test_values);
    T_RUN(test_int);
    T_RUN(test_list_and_call);
    T_RUN(test_errors);
    T_RUN(test_arguments);
    T_RUN(test_help);
    return T_DONE("unit-args");
}
