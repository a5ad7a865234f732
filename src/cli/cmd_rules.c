/* cmd_rules.c: `exhunt rules` and `exhunt explain RULE`, read from the rule
 * table so they always match the code. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exh/rules.h"
#include "exh/banned.h"

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

/* -f text|jsonl (json too) */
static int opt_format(void *args, const char *opt, const char *v)
{
    if (!v)
        return usage_error("%s needs a value", opt);
    if (!strcmp(v, "jsonl") || !strcmp(v, "json"))
        *(bool *)args = true;
    else if (strcmp(v, "text") != 0)
        return usage_error("rules: unknown format '%s' (text or jsonl)", v);
    return 0;
}

static const struct cli_opt rules_opts[] = {
    CLI_OPT_HELP(),
    CLI_OPT_CALL('f', "format", opt_format, "FMT", "text (default) or jsonl (JSON Lines)"),
    CLI_OPT_FLAG(0, "json", 0, "same as --format jsonl"),
};

static const struct cli_cmd rules_cmd = {
    .usage = "usage: exhunt rules [-f text|jsonl] (--json = -f jsonl)\n"
             "Lists every check: id, severity, stage, CVEs, inputs and a one-line summary.\n",
    CLI_OPTS(rules_opts),
    .column = 20,
    .unknown = "rules: unexpected argument '%s'",
};

int cmd_rules(int argc, char **argv)
{
    bool json = false; /* the settings: -f jsonl or --json */
    int rc = cli_args_parse(&rules_cmd, &json, argc, argv);
    if (rc != CLI_GO)
        return rc;
    if (!json)
        printf("%-14s %-9s %-18s %s\n", "ID", "SEVERITY", "STAGE",
               "NAME (then: CVEs, inputs, what it finds)");
    for (size_t i = 0; i < EXH_RULE__COUNT; i++) {
        const struct exh_rule *r = &exh_rules[i];
        if (json) {
            printf("{\"id\":");
            json_str(r->id);
            printf(",\"name\":");
            json_str(r->name);
            printf(",\"ruleset\":");
            json_str(r->ruleset);
            printf(",\"severity\":\"%s\",\"stage\":\"%s\",\"cves\":[", exh_sev_name(r->sev),
                   exh_stage_name(r->stage));
            for (size_t k = 0; k < exh_rule_cve_count(r); k++) {
                char cve[32];
                exh_rule_cve(r, k, cve);
                printf("%s\"%s\"", k ? "," : "", cve);
            }
            printf("],\"inputs\":");
            json_str(r->inputs);
            printf(",\"summary\":");
            json_str(r->summary);
            printf("}\n");
        } else {
            printf("%-14s %-9s %-18s %s\n", r->id, exh_sev_name(r->sev), exh_stage_name(r->stage),
                   r->name);
            printf("%14s %s; reads %s\n%14s %s\n", "", r->cves[0] ? r->cves : "no CVE", r->inputs,
                   "", r->summary);
        }
    }
    return 0;
}

static void para(const char *label, const char *text)
{
    printf("%-12s", label);
    int col = 12;
    const char *p = text;
    while (*p) {
        const char *w = strchr(p, ' ');
        int len = w ? (int)(w - p) : (int)strlen(p);
        if (col > 12 && col + 1 + len > 90) {
            printf("\n%12s", "");
            col = 12;
        } else if (col > 12) {
            putchar(' ');
            col++;
        }
        printf("%.*s", len, p);
        col += len;
        p += len;
        while (*p == ' ')
            p++;
    }
    putchar('\n');
}

int cmd_explain(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(
            "usage: exhunt explain RULE-ID...\nExplains checks (see `exhunt rules` for the ids).\n",
            argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const struct exh_rule *r = exh_rule_by_id(argv[i]);
        if (!r) {
            rc = usage_error("no rule '%s' (see 'exhunt rules')", argv[i]);
            continue;
        }
        printf("%s  %s\n", r->id, r->name);
        para("severity", exh_sev_name(r->sev));
        para("stage", exh_stage_name(r->stage));
        para("ruleset", r->ruleset);
        para("cves", r->cves[0] ? r->cves : "none");
        para("att&ck", r->attack[0] ? r->attack : "-");
        para("reads", r->inputs);
        para("finds", r->summary);
        para("why", r->explanation);
        para("do", r->remediation);
        if (i + 1 < argc)
            putchar('\n');
    }
    return rc;
}
