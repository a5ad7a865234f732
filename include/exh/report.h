/* report.h: one interface, three formats (text, jsonl, csv). A reporter
 * writes to the FILE it is given; only the CLI decides which FILE. */
#ifndef EXH_REPORT_H
#define EXH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "scan.h"

struct exh_report;

/* Findings folded into the one printed before them: the same rule and
 * request shape (method, URL path, status) and, in a timeline, the same
 * source address. */
struct exh_repeats {
    size_t n;         /* findings folded (the first not counted) */
    size_t addresses; /* distinct source addresses among them and the first */
    bool has_ts;
    int64_t first_ms, last_ms; /* over the first and the folded ones */
    const char *examples[3];   /* source addresses of folded findings, other than the first's */
    size_t nexamples;
};

struct exh_reporter_ops {
    const char *name;
    void (*begin)(struct exh_report *r);
    void (*finding)(struct exh_report *r, const struct exh_finding *f);
    void (*error)(struct exh_report *r, const struct exh_error_rec *e);
    void (*summary)(struct exh_report *r, const struct exh_result *res);
    /* Optional (text): after a finding, the repeats of its rule and request
     * shape folded into it (unless --all). NULL: every finding is printed. */
    void (*repeats)(struct exh_report *r, const struct exh_finding *first,
                    const struct exh_repeats *rep);
};

struct exh_report {
    const struct exh_reporter_ops *ops;
    FILE *out;                        /* findings (and the summary, except for csv) */
    FILE *err;                        /* csv: errors and summary; text: errors */
    bool color;                       /* text only */
    bool quiet;                       /* text: findings only, no summary block */
    bool timeline;                    /* findings in time order, grouped by source address */
    bool all;                         /* text: every finding, no folding of repeats (--all) */
    const struct exh_result *res;     /* set by exh_report_result: actors for findings */
    int64_t created_ms;               /* event.created */
    const char *host;                 /* host.name */
    bool explained_[EXH_RULE__COUNT]; /* text: rules already explained in full */
    int group_;                       /* text timeline: the actor group being printed */
};

extern const struct exh_reporter_ops exh_report_text, exh_report_jsonl, exh_report_csv;
const struct exh_reporter_ops *exh_reporter_by_name(const char *name);

/* Write everything in res through r. */
void exh_report_result(struct exh_report *r, const struct exh_result *res);

/* `exhunt probe`: every target's records, then the summary, in r's format
 * (report_probe.c; uses r->out, r->err, r->color, r->quiet, r->created_ms). */
struct exh_probe_result;
void exh_report_probe(const struct exh_report *r, const struct exh_probe_result *res);

#endif
