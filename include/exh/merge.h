/* merge.h: `exhunt merge`: the JSON Lines results of many `exhunt scan -f
 * jsonl` runs read as a stream and aggregated into a fleet: one row per host,
 * the verdicts counted, and the source addresses seen on more than one host.
 *
 * Memory grows with hosts and actors, never with the input: findings are
 * counted as they are read and dropped, a line is held whole only up to
 * EXH_MERGE_MAX_LINE bytes (a longer one is skipped to its line end and
 * reported). Bad lines become error records naming the file and line; the
 * rest is merged. The engine never prints or exits (src/cli/cmd_merge.c and
 * src/report/report_fleet.c do). Lines are parsed with jansson: without it
 * (the Windows build) exh_merge_available() is false and nothing is read. */
#ifndef EXH_MERGE_H
#define EXH_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "exh/rules.h"
#include "exh/scan.h"

/* The schema_version of the fleet records (docs/merge.md) and the only
 * schema_version of scan results merge reads. */
#define EXH_MERGE_SCHEMA_VERSION 1
#define EXH_MERGE_MAX_LINE ((size_t)16 << 20)
/* error records kept per input file; the rest are counted in one record */
#define EXH_MERGE_ERRORS_PER_FILE 20

struct exh_merge_opts {
    bool has_since;
    int64_t since_ms; /* --since: hosts whose logs start later do not cover it */
    bool keep_all;    /* keep every scan of a host, not only the newest */
    size_t max_line;  /* 0: EXH_MERGE_MAX_LINE */
};

/* A log family's span in one host's result (its summary's coverage[]). */
struct exh_fleet_cov {
    char *source;
    bool has_time;
    int64_t first_ms, last_ms;
};

/* A source address in one host's result. */
struct exh_fleet_seen {
    char *ip;
    bool internal;
    bool has_time;
    int64_t first_ms, last_ms;
    int stage; /* enum exh_stage, or -1 unknown */
};

struct exh_fleet_host {
    char *name;       /* host.name, or NULL when the result names none */
    char *file;       /* the result file ("-" for standard input) */
    uint64_t line;    /* the line of its summary (or its last record) */
    bool has_summary; /* false: cut short, verdict INCOMPLETE */
    enum exh_verdict verdict;
    char *reason;  /* exhunt.reason, or why merge says INCOMPLETE */
    bool has_time; /* the scan's time: summary started, else event.created */
    int64_t time_ms;
    int stage; /* furthest stage reached, -1 none */
    uint64_t by_stage[EXH_STAGE__COUNT];
    uint64_t by_sev[EXH_SEV__COUNT];
    uint64_t findings, errors;
    bool has_cov; /* overall span of its logs */
    int64_t cov_first_ms, cov_last_ms;
    struct exh_fleet_cov *cov;
    size_t ncov;
    char *build, *build_name, *build_support; /* NULL when unknown */
    long long build_missing;                  /* -1 unknown */
    char **exposure;                          /* rule ids of its exposure findings, sorted */
    size_t nexposure;
    struct exh_fleet_seen *actors;
    size_t nactors;
    bool not_covering; /* --since: its logs (one family or more) do not reach back to it */
    /* The worst verdict of the older scans of this host left out, when worse
     * than its own (-1: none): a newer scan never hides an older compromise. */
    int older_worse;
    uint64_t order_; /* private: input order */
};

/* One host's part of a shared actor. */
struct exh_fleet_actor_host {
    size_t host; /* index into exh_fleet.hosts */
    bool has_time;
    int64_t first_ms, last_ms;
    int stage;
};

/* A source address seen on more than one host. */
struct exh_fleet_actor {
    char *ip;
    bool internal;
    bool has_time;
    int64_t first_ms, last_ms;
    int stage;                          /* furthest on any host */
    struct exh_fleet_actor_host *hosts; /* by first seen */
    size_t nhosts;
};

/* A scan of a host left out because a newer scan of it was merged. */
struct exh_fleet_dropped {
    char *name, *file;
    uint64_t line;
    bool has_time;
    int64_t time_ms;
    enum exh_verdict verdict; /* that scan's own verdict */
    size_t kept;              /* index of the host kept */
};

/* Codes: not_found, permission, open, read (the file), corrupt (not JSON),
 * truncated (the file ends inside a line), too_long (a line over the cap,
 * skipped), not_exhunt (JSON, but not an exhunt scan record), schema (a
 * summary of another schema_version: the file is refused), no_summary (a
 * result without its summary line: the host is INCOMPLETE), fleet (a
 * fleet report, merge's own output: the file is left out), skipped (a link
 * or special file in a RESULT folder, not read), more (the number of
 * further bad lines in a file, not listed one by one). */
struct exh_fleet_error {
    char *file;
    uint64_t line; /* 0: the whole file */
    const char *code;
    char *message;
};

struct exh_fleet {
    struct exh_fleet_host *hosts; /* worst verdict first, then by name */
    size_t nhosts;
    struct exh_fleet_actor *actors; /* shared actors, by first seen */
    size_t nactors;
    struct exh_fleet_dropped *dropped;
    size_t ndropped;
    struct exh_fleet_error *errors; /* in input order */
    size_t nerrors;
    uint64_t by_verdict[5]; /* indexed by enum exh_verdict */
    size_t not_covering;    /* hosts with not_covering set */
    bool has_since;
    int64_t since_ms;
    uint64_t files, lines, bytes;
    /* 1: a host (or an older scan of one left out) COMPROMISED, TARGETED or
     * EXPOSED; else 2: a host INCOMPLETE, a CLEAN host not covering --since,
     * an error, or no host; else 0. */
    int exit_code;
};

/* Is this a name merge reads in a folder (*.jsonl, *.json, and with zlib
 * *.jsonl.gz, *.json.gz)? */
bool exh_merge_result_name(const char *name);

struct exh_merge;

bool exh_merge_available(void);
struct exh_merge *exh_merge_new(const struct exh_merge_opts *o);
/* A file, a folder (walked for *.jsonl and *.json files, in name order) or
 * "-" (standard input). Problems become error records. */
void exh_merge_path(struct exh_merge *m, const char *path);
/* A file's bytes, given in pieces: begin, feed any number of times, end. */
void exh_merge_begin(struct exh_merge *m, const char *name);
void exh_merge_feed(struct exh_merge *m, const void *p, size_t n);
void exh_merge_end(struct exh_merge *m);
/* Build the fleet (hand it to exh_fleet_release) and free the merge. */
void exh_merge_finish(struct exh_merge *m, struct exh_fleet *out);
void exh_fleet_release(struct exh_fleet *f);
/* For fuzz/fuzz_merge.c: a finding line the fast reader accepts is accepted
 * by jansson with the same fields (false: they disagree). */
bool exh_merge_fast_agrees(const char *p, size_t n);

/* report_fleet.c: write the fleet as text, jsonl, csv or html (false: an
 * unknown format). created_ms is the report's time (EXH_NOW). The CSV is one
 * row per host; its errors and summary go to err. */
bool exh_report_fleet(FILE *out, FILE *err, const char *format, const struct exh_fleet *f,
                      int64_t created_ms);

#endif
