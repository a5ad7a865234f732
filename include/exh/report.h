/* report.h: one interface, four formats (text, jsonl, csv, html). A reporter
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

extern const struct exh_reporter_ops exh_report_text, exh_report_jsonl, exh_report_csv,
    exh_report_html;
const struct exh_reporter_ops *exh_reporter_by_name(const char *name);

/* The order findings are printed in: as in res, or with timeline by actor
 * (first seen first, no source last), then time. The caller frees it. */
size_t *exh_report_order(const struct exh_result *res, bool timeline);
/* Fold repeats: attempts and noise of one rule and request shape (method, URL
 * path, status) in one group (group[i] for the finding at position i of
 * order; NULL: all in one) are one entry, printed at its first position.
 * rep[i] (n zeroed pointers) is set to the repeats of the finding at i when
 * it is printed there; folded[i] (n zeroed) says the finding at i is folded
 * into an earlier one. Returns the storage rep points into: free() it. */
struct exh_repeats *exh_report_fold(const struct exh_result *res, const size_t *order,
                                    const int *group, struct exh_repeats **rep, bool *folded);
/* Sort actor indexes idx[0..n) into the summary's order: the furthest stage
 * reached, then severity, findings, first seen, address. */
void exh_report_sort_actors(const struct exh_summary *s, size_t *idx, size_t n);

/* Write everything in res through r. */
void exh_report_result(struct exh_report *r, const struct exh_result *res);

/* `exhunt probe`: every target's records, then the summary, in r's format
 * (report_probe.c; uses r->out, r->err, r->color, r->quiet, r->created_ms). */
struct exh_probe_result;
void exh_report_probe(const struct exh_report *r, const struct exh_probe_result *res);

#endif
