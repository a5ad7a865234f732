/* scan.h: the engine. exh_scan() walks the PATHs, classifies and reads every
 * file once, runs the detectors, judges the whole picture and returns the
 * findings, errors and summary. It never prints and never exits; progress
 * goes to an optional callback.
 *
 * Ownership: everything in struct exh_result is owned by it; free it all with
 * exh_result_release(). Findings come sorted by (path, line, rule id) and the
 * errors by path, so output does not depend on the thread count. */
#ifndef EXH_SCAN_H
#define EXH_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "iocset.h"
#include "exlog.h"
#include "netaddr.h"
#include "iocread.h"
#include "rules.h"

#define EXH_SCHEMA_VERSION 1
#define EXH_ORIGINAL_MAX 4096 /* event.original is cut here (exhunt.truncated) */

struct exh_finding {
    const struct exh_rule *rule;
    bool has_ts;
    int64_t ts_ms;
    char *path;    /* relative to the PATH given, '/' separators */
    bool is_file;  /* the evidence is the file itself (file.*) not a log line (log.*) */
    uint64_t line; /* 1-based; 0 when not a line */
    bool has_offset;
    uint64_t offset;     /* byte offset of the line (or the evidence) in the file */
    const char *dataset; /* "exchange.httpproxy", ... */
    char *message;       /* one sentence on what happened here */
    char *evidence;      /* the decisive value, e.g. AnchorMailbox=... (may be NULL) */
    char *source_ip, *user_agent, *url, *method, *host; /* may be NULL */
    /* the request's path when it came through proxies: X-Forwarded-For
     * entries in order, then the connection's address, comma-separated
     * (NULL when it came straight); source_ip is the hop the client could
     * not choose (exh_source_resolve) */
    char *forwarded_ip;
    /* source_ip can be believed as it stands (the connection, or reached
     * through --trusted-proxy hops only); a private address that only a
     * client-writable X-Forwarded-For gives does not make an attempt internal */
    bool source_vouched;
    int status;     /* HTTP status, -1 when none */
    char *original; /* raw line or record, capped at EXH_ORIGINAL_MAX */
    size_t original_n;
    bool truncated;
    bool has_file_meta;
    uint64_t file_size;
    int64_t file_mtime_ms;
    char sha256[65];          /* file evidence: hex, "" when unknown */
    char *channel, *provider; /* event log evidence (winlog.*) */
    bool has_record;
    uint64_t record_id;
    uint32_t event_code;
    /* the indicator matched (threat.*), for findings of an indicator list:
     * its feed (the --ioc file as given, or "built-in"), type name
     * (static), title and reference when the feed gave them; else NULL */
    char *ioc_feed;
    char *ioc_value; /* the indicator as listed */
    const char *ioc_type;
    char *ioc_title, *ioc_reference;
    int ioc_confidence; /* 0..100, -1 none */
    const struct exh_ioc_meta
        *ioc_meta_; /* internal: the set's entry (valid while the scan runs) */
    int actor;      /* index into summary.actors, -1 when the finding has no source */
    uint64_t seq_;  /* internal: order of emission within a file */
};

struct exh_error_rec {
    char *path;
    enum exh_err code;
    char *message;
    bool collect;  /* a --collect copy failed (the file was read; its copy was not made) */
    bool info;     /* not an error: something left unread that cannot hide logs (an archive
                      exhunt does not read, named unlike logs); counted in summary.not_read,
                      it does not make the verdict INCOMPLETE */
    uint64_t seq_; /* internal: order of emission, to sort equal errors stably */
};

/* Everything one source address did, across all logs. */
struct exh_actor {
    char *ip;
    bool internal; /* private, loopback or link-local address */
    bool proxy;    /* one of summary.proxies: the clients behind it are hidden */
    bool has_ts;
    int64_t first_ms, last_ms;
    uint64_t findings;
    enum exh_stage stage; /* the furthest stage reached */
    enum exh_sev sev;     /* the highest severity */
    char *rules;          /* "EXH-PL-001,EXH-PL-003" in order of first appearance */
    size_t
        first_of_stage[EXH_STAGE__COUNT]; /* finding index + 1 of the earliest per stage; 0 none */
};

/* Scanners that probed the server (their requests are noise findings). */
struct exh_scanner {
    const char *name; /* "Nuclei", "Nmap Scripting Engine", or what the probe was (static) */
    uint64_t probes;
    bool has_ts;
    int64_t first_ms, last_ms;
};

struct exh_coverage {
    char *source; /* "HttpProxy/Ecp", "ECP Server", ... */
    uint32_t files;
    uint64_t bytes;
    bool has_time;
    int64_t first_ms, last_ms;
};

enum exh_verdict {
    EXH_VERDICT_CLEAN,
    EXH_VERDICT_INCOMPLETE,
    EXH_VERDICT_EXPOSED,
    EXH_VERDICT_TARGETED,
    EXH_VERDICT_COMPROMISED
};
const char *exh_verdict_name(enum exh_verdict v);
/* Is ip (v4 or v6 text) private, loopback or link-local? */
bool exh_ip_internal(const char *ip);
/* 0 CLEAN, 1 COMPROMISED/TARGETED/EXPOSED, 2 INCOMPLETE. */
int exh_verdict_exit_code(enum exh_verdict v);

struct exh_summary {
    enum exh_verdict verdict;
    const char *verdict_reason; /* static text: why this verdict */
    int exit_code;
    char *host;             /* --hostname, else the server name the logs give, else NULL */
    uint64_t files_seen;    /* regular files found */
    uint64_t files_read;    /* classified and read as evidence */
    uint64_t files_skipped; /* links, devices, empty files */
    uint64_t files_errors;
    uint64_t not_read; /* info records: archives and members exhunt cannot read, unlike logs */
    uint64_t bytes;    /* bytes of files read */
    uint64_t records;  /* log lines seen */
    uint64_t by_sev[EXH_SEV__COUNT];
    uint64_t by_stage[EXH_STAGE__COUNT];
    uint64_t findings;
    uint64_t filtered; /* findings dropped by --since/--until */
    struct exh_coverage *coverage;
    size_t ncoverage;
    bool has_build;
    struct exh_build
        build; /* the build judged: ExSetup.exe's file version, else the newest in the logs */
    char *build_name;          /* "Exchange Server 2016 CU23 Nov22SU" or NULL */
    char *build_path;          /* where it was seen */
    const char *build_source;  /* "ExSetup.exe", "front-end binaries" or "logs" */
    char *build_date;          /* its release date ("2022-11-08") or NULL when not catalogued */
    char *build_newest;        /* newest security update it has: "Nov22SU (2022-11-08)", or NULL */
    unsigned build_nmissing;   /* security updates of its line it lacks */
    char *build_missing;       /* their names, oldest first: "Jan23SU,Feb23SU,..." or NULL */
    const char *build_support; /* "current", "extended" (paid updates only) or "ended" */
    const char *build_support_end; /* "2025-10-14" or NULL */
    bool build_newer;              /* newer than exhunt's catalogue */
    bool has_logs_build; /* the newest build in the logs, when it differs from the one judged */
    struct exh_build logs_build;
    unsigned mitigations;     /* enum exh_mit bits a rule in force blocks */
    struct exh_actor *actors; /* by first seen */
    size_t nactors;
    struct exh_scanner *scanners; /* by name */
    size_t nscanners;
    /* Private addresses that carried most of the requests without an
     * X-Forwarded-For (a load balancer or proxy hiding its clients: their
     * attempts are not taken for an admin's), canonical text; with how many
     * of the requests looked at they carried. */
    char **proxies;
    size_t nproxies;
    uint64_t proxy_requests, requests_seen;
    /* The indicator feeds checked (when --ioc gave any; then the built-in
     * lists too): what each gave per type, and how many of its indicators
     * (distinct values) findings matched. */
    struct exh_ioc_feed_sum {
        char *name;
        const char *format; /* "STIX 2.1", ... (static) */
        bool builtin;
        uint64_t loaded[EXH_IOC__COUNT], matched[EXH_IOC__COUNT];
        uint64_t unused, bad;
    } * feeds;
    size_t nfeeds;
    char **exchange_roots; /* install folders found (relative paths) */
    size_t nexchange_roots;
    int64_t started_ms;
    int64_t elapsed_ms;
};

struct exh_result {
    struct exh_finding *findings;
    size_t nfindings;
    struct exh_error_rec *errors;
    size_t nerrors;
    struct exh_summary sum;
    /* The roots walked, in order: the PATHs (less any inside another) and
     * --exchange-root when outside them. With one, paths in the result are
     * relative to it (or its name, when it is a file); with several, each
     * path starts with its root as given, then '/'. */
    char **roots;
    size_t nroots;
};

struct exh_progress {
    uint64_t files_done, files_total;
    uint64_t bytes_done, bytes_total;
    uint64_t findings;
    bool walking; /* still listing the tree */
};

struct exh_scan_opts {
    const char *const *paths;
    size_t npaths;
    const char *exchange_root;     /* NULL: discover */
    struct exh_iocset *iocs;       /* indicators; NULL: the built-in lists */
    const char *const *yara_paths; /* --yara rule files or folders (needs libyara) */
    size_t nyara_paths;
    const char *hostname; /* NULL: from the logs */
    int threads;          /* <= 0: one per CPU */
    /* --trusted-proxy: proxies whose X-Forwarded-For entry is believed
     * (private connection addresses are proxies without being listed) */
    const struct exh_cidr *trusted_proxies;
    size_t ntrusted_proxies;
    bool has_since, has_until;
    int64_t since_ms, until_ms;
    bool frozen_clock; /* tests: time stands still at frozen_now_ms */
    int64_t frozen_now_ms;
    uint64_t piece_bytes; /* text logs over twice this are read in pieces; 0: 64 MiB */
    void (*progress)(void *ud, const struct exh_progress *p); /* called from the calling thread */
    void *progress_ud;
    /* Called by the worker threads before a file (or a piece of one) is read
     * (done false) and after (done true), with the path as opened: a
     * supervisor learns which file was being read when a reader crashed. */
    void (*on_file)(void *ud, const char *path, bool done);
    void *on_file_ud;
    /* Files (paths as opened) left out because a reader crashed on them in an
     * earlier run: each becomes an error record saying so, and is not read. */
    const char *const *crashed;
    size_t ncrashed;
    /* Optional, per crashed path: the code and message of its error record
     * when it was left out for another reason (it took longer than the time
     * budget per file); NULL arrays or a NULL message: "a reader crashed". */
    const enum exh_err *crashed_code;
    const char *const *crashed_why;
    /* Archives read in place (.zip, .gz): the most one member may unpack to
     * (it is held in memory), the most one archive's members may unpack to
     * in all, and the most bytes out per byte in (past the first MiB); 0:
     * the defaults below. Over a limit, what was unpacked is read and an
     * error record says what was not. */
    uint64_t max_member, max_unpacked;
    uint32_t max_ratio;
};

#define EXH_MAX_MEMBER_DEFAULT ((uint64_t)1 << 30)    /* 1 GiB */
#define EXH_MAX_UNPACKED_DEFAULT ((uint64_t)64 << 30) /* 64 GiB */
#define EXH_MAX_RATIO_DEFAULT 200

void exh_scan_opts_init(struct exh_scan_opts *o);
/* Run a scan. Returns EXH_OK even when files failed (they become error
 * records). A worker thread that cannot start leaves its share to the
 * others (the files are one shared queue, and the calling thread reads when
 * no other thread could start), so that loses nothing and is not an error. */
enum exh_err exh_scan(const struct exh_scan_opts *o, struct exh_result *out);
void exh_result_release(struct exh_result *r);

/* Scan one file's bytes as if it were found at path `name` (which decides
 * location facts such as "under ProgramData"): for tests and fuzzing. */
enum exh_err exh_scan_memory(const struct exh_scan_opts *o, const char *name, const uint8_t *data,
                             size_t n, struct exh_result *out);

/* The literals the pre-filter selects lines with, per log family (matched
 * without regard to case), for benchmarks that compare exhunt with grep-class
 * tools searching for the same literals. Families whose every line is read
 * are left out. */
void exh_scan_literals(const struct exh_scan_opts *o,
                       void (*cb)(void *ud, int family, const char *lit), void *ud);

#endif
