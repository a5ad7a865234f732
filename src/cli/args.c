/* args.c: the option-table parser and the --help printer (see args.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "exh/core.h"
#include "exh/banned.h"

int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("exhunt: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n(see 'exhunt --help')\n", stderr);
    return 2;
}

void cli_list_add(struct cli_list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = exh_xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = s;
}

void cli_list_release(struct cli_list *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static bool takes_value(const struct cli_opt *o)
{
    return o->kind >= CLI_STR;
}

/* The row argument a names, with *val set to a value given in the same
 * argument (-fjsonl, --format=jsonl), or NULL. */
static const struct cli_opt *find(const struct cli_cmd *c, const char *a, const char **val)
{
    *val = NULL;
    for (size_t k = 0; k < c->nopts; k++) {
        const struct cli_opt *o = &c->opts[k];
        if (o->kind == CLI_TEXT)
            continue;
        if (a[1] != '-') { /* -x, -xVALUE */
            if (!o->sname || a[1] != o->sname)
                continue;
            if (a[2] && !takes_value(o))
                continue;
            *val = a[2] ? a + 2 : NULL;
            return o;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        if (!o->lname || strlen(o->lname) != n || memcmp(o->lname, name, n) != 0)
            continue;
        if (eq && !takes_value(o))
            continue;
        *val = eq ? eq + 1 : NULL;
        return o;
    }
    return NULL;
}

static int store_int(const struct cli_opt *o, int *dst, const char *val)
{
    char *end;
    errno = 0;
    long v = strtol(val, &end, 10);
    if (errno || end == val || *end || v < o->lo || v > o->hi)
        return usage_error("%s", o->bad);
    *dst = (int)v;
    return 0;
}

/* Keep an option's value (NULL: missing) in args: 0 or an exit code. */
static int store(const struct cli_opt *o, char *args, const char *opt, const char *val)
{
    void *dst = args + o->off;
    if (o->kind == CLI_CALL)
        return o->fn(args, opt, val);
    if (takes_value(o) && !val) {
        if (o->missing)
            return usage_error(o->missing, opt);
        if (o->bad)
            return usage_error("%s", o->bad);
        return usage_error("%s needs a value", opt);
    }
    switch (o->kind) {
    case CLI_FLAG:
        *(bool *)dst = true;
        break;
    case CLI_CONST:
        *(const char **)dst = o->konst;
        break;
    case CLI_STR:
        *(const char **)dst = val;
        break;
    case CLI_INT:
        return store_int(o, dst, val);
    case CLI_LIST:
        cli_list_add(dst, val);
        break;
    default:
        break;
    }
    return 0;
}

int cli_args_parse(const struct cli_cmd *c, void *args, int argc, char **argv)
{
    bool only_args = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        bool dash = !strcmp(a, "-") && !(c->flags & CLI_DASH_IS_OPTION);
        if (only_args || a[0] != '-' || dash) {
            if (c->flags & CLI_ARGS_LIST)
                cli_list_add((struct cli_list *)((char *)args + c->args_off), a);
            else if (!c->positional)
                return usage_error(c->unknown, a);
            int rc = c->positional ? c->positional(args, a) : 0;
            if (rc)
                return rc;
            only_args |= (c->flags & CLI_OPTIONS_FIRST) != 0;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_args = true;
            continue;
        }
        const struct cli_opt *o = find(c, a, &val);
        if (!o)
            return usage_error(c->unknown, a);
        if (o->kind == CLI_HELP) {
            cli_args_help(stdout, c);
            return 0;
        }
        if (takes_value(o) && !val && i + 1 < argc)
            val = argv[++i];
        int rc = store(o, args, a, val);
        if (rc)
            return rc;
    }
    return CLI_GO;
}

void cli_args_options(FILE *o, const struct cli_cmd *c)
{
    for (size_t k = 0; k < c->nopts; k++) {
        const struct cli_opt *r = &c->opts[k];
        if (r->flags & CLI_HIDDEN)
            continue;
        if (r->kind == CLI_TEXT) {
            fprintf(o, "%s\n", r->help);
            continue;
        }
        /* "  -f, --format FMT", "      --json", padded to the column */
        int w =
            r->sname ? fprintf(o, "  -%c%s", r->sname, r->lname ? ", " : "") : fprintf(o, "      ");
        if (r->lname)
            w += fprintf(o, "--%s", r->lname);
        if (r->meta)
            w += fprintf(o, " %s", r->meta);
        fprintf(o, "%*s", c->column - w >= 2 ? c->column - w : 2, "");
        for (const char *p = r->help; *p; p++) {
            fputc(*p, o);
            if (*p == '\n')
                fprintf(o, "%*s", c->column, "");
        }
        fputc('\n', o);
    }
}

void cli_args_help(FILE *o, const struct cli_cmd *c)
{
    fputs(c->usage, o);
    cli_args_options(o, c);
    if (c->epilog)
        fputs(c->epilog, o);
}
