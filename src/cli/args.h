/* args.h: one option table per subcommand, read by one parser and by the
 * --help printer, so that an option cannot be parsed without being listed or
 * listed without being parsed (yara's cli/args.h does the same).
 *
 * A table row names an option (-f and/or --format), the kind of its value and
 * where that value goes: an offset into the command's own settings struct
 * (offsetof), so tables are static const and the parser writes through the
 * `args` pointer it is given. The parser takes, as exhunt always has:
 *   -x, -x VALUE, -xVALUE (a short option with a value; -fjsonl, -j4),
 *   --name, --name VALUE, --name=VALUE (no abbreviations, no --flag=VALUE),
 *   -- (every later argument is an argument), -h and --help (a CLI_HELP row),
 * options and arguments in any order. A usage error is printed as
 * "exhunt: MESSAGE" and a hint on stderr, and the exit code is 2. */
#ifndef EXH_CLI_ARGS_H
#define EXH_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* (the kinds from CLI_STR on take a VALUE: keep them last) */
enum cli_kind {
    CLI_TEXT,  /* --help only: a heading or a note, printed as it is (no names) */
    CLI_HELP,  /* prints the command's help; the exit code is 0 */
    CLI_FLAG,  /* bool: set to true */
    CLI_CONST, /* const char *: set to .konst (--json sets the format to "jsonl") */
    CLI_STR,   /* const char *: VALUE (the last one given wins) */
    CLI_INT,   /* int: VALUE, a whole number from .lo to .hi, else .bad is the error */
    CLI_LIST,  /* struct cli_list: every VALUE given, in order (repeatable) */
    CLI_CALL,  /* .fn checks and keeps VALUE (repeatable if .fn allows it) */
};

/* a row's flags */
#define CLI_HIDDEN 1u /* parsed, not listed in --help (-h, aliases such as --colour) */

/* The values of a repeated option or the arguments (pointers into argv). */
struct cli_list {
    const char **v;
    size_t n, cap;
};
void cli_list_add(struct cli_list *l, const char *s);
void cli_list_release(struct cli_list *l);

struct cli_opt {
    enum cli_kind kind;
    char sname;        /* 'f' for -f, or 0 */
    const char *lname; /* "format" for --format, or NULL */
    size_t off;        /* where the value goes: offsetof(settings struct, field) */
    const char *konst; /* CLI_CONST: the value set */
    long lo, hi;       /* CLI_INT: the range */
    /* CLI_CALL: keep VALUE in args; 0, or the exit code after saying why. opt is
     * the option as given; val is NULL when the value is missing. */
    int (*fn)(void *args, const char *opt, const char *val);
    const char *bad;     /* CLI_INT: the usage error for a bad (or missing) VALUE */
    const char *missing; /* the usage error for a missing VALUE, with one %s for the
                            option as given; NULL: .bad, else "%s needs a value" */
    const char *meta;    /* VALUE's name in --help ("FMT"); NULL for a flag */
    const char *help;    /* --help's text; each '\n' starts a line at the column */
    unsigned flags;
};

/* Rows, one option each: S is the short name ('f') or 0, L the long name
 * ("format") or NULL, OFF the offsetof() of the field the value goes to,
 * META the value's name in --help, HELP the help text. */
#define CLI_OPT_HELP()                                                                             \
    {                                                                                              \
        .kind = CLI_HELP, .sname = 'h', .lname = "help", .flags = CLI_HIDDEN                       \
    }
#define CLI_OPT_TEXT(TEXT)                                                                         \
    {                                                                                              \
        .kind = CLI_TEXT, .help = (TEXT)                                                           \
    }
#define CLI_OPT_FLAG(S, L, OFF, HELP)                                                              \
    {                                                                                              \
        .kind = CLI_FLAG, .sname = (S), .lname = (L), .off = (OFF), .help = (HELP)                 \
    }
#define CLI_OPT_CONST(S, L, OFF, VALUE, HELP)                                                      \
    {                                                                                              \
        .kind = CLI_CONST, .sname = (S), .lname = (L), .off = (OFF), .konst = (VALUE),             \
        .help = (HELP)                                                                             \
    }
#define CLI_OPT_STR(S, L, OFF, META, HELP)                                                         \
    {                                                                                              \
        .kind = CLI_STR, .sname = (S), .lname = (L), .off = (OFF), .meta = (META), .help = (HELP)  \
    }
/* another name for a CLI_STR option, not in --help (--colour) */
#define CLI_OPT_ALIAS(L, OFF)                                                                      \
    {                                                                                              \
        .kind = CLI_STR, .lname = (L), .off = (OFF), .flags = CLI_HIDDEN                           \
    }
#define CLI_OPT_INT(S, L, OFF, LO, HI, BAD, META, HELP)                                            \
    {                                                                                              \
        .kind = CLI_INT, .sname = (S), .lname = (L), .off = (OFF), .lo = (LO), .hi = (HI),         \
        .bad = (BAD), .meta = (META), .help = (HELP)                                               \
    }
#define CLI_OPT_LIST(S, L, OFF, META, HELP)                                                        \
    {                                                                                              \
        .kind = CLI_LIST, .sname = (S), .lname = (L), .off = (OFF), .meta = (META), .help = (HELP) \
    }
#define CLI_OPT_CALL(S, L, FN, META, HELP)                                                         \
    {                                                                                              \
        .kind = CLI_CALL, .sname = (S), .lname = (L), .fn = (FN), .meta = (META), .help = (HELP)   \
    }

/* command's flags */
#define CLI_OPTIONS_FIRST 1u  /* the first argument ends the options (evtx FILE...) */
#define CLI_DASH_IS_OPTION 2u /* "-" alone is an (unknown) option, not an argument */
#define CLI_ARGS_LIST 4u      /* arguments go to the struct cli_list at .args_off */

struct cli_cmd {
    const char *usage; /* --help before the options (ends with a newline) */
    const struct cli_opt *opts;
    size_t nopts;
    const char *epilog;  /* --help after the options, or NULL */
    int column;          /* where the options' help text starts */
    const char *unknown; /* the usage error for an unknown option: one %s */
    /* an argument that is not an option: 0, or the exit code after saying why;
     * NULL: arguments are refused as unknown, unless CLI_ARGS_LIST */
    int (*positional)(void *args, const char *arg);
    size_t args_off; /* CLI_ARGS_LIST: offsetof() the struct cli_list */
    unsigned flags;
};

/* .opts and .nopts of a struct cli_cmd from a table (an array) */
#define CLI_OPTS(TABLE) .opts = (TABLE), .nopts = sizeof(TABLE) / sizeof((TABLE)[0])

/* The parser's answer when the command should go on. */
#define CLI_GO (-1)

/* Parse argv[1..argc-1] into args: CLI_GO, 0 after --help was printed to
 * stdout, or 2 after a usage error was printed to stderr (or what a .fn or
 * .positional returned). */
int cli_args_parse(const struct cli_cmd *c, void *args, int argc, char **argv);
/* The options part of --help, from the table. */
void cli_args_options(FILE *o, const struct cli_cmd *c);
/* The whole --help: usage, options, epilog. */
void cli_args_help(FILE *o, const struct cli_cmd *c);

/* Print "exhunt: msg" and a hint to stderr; returns 2 (usage error). */
int usage_error(const char *fmt, ...)
#if defined(__MINGW32__) /* built with __USE_MINGW_ANSI_STDIO: C99 printf */
    __attribute__((format(gnu_printf, 1, 2)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
