/* detect.h: what a detector sees and how it reports. Detectors know attacks,
 * not formats: the engine hands them parsed records and a whole-file view.
 * Detectors are rows in src/detect/detectors.def. */
#ifndef EXH_DETECT_H
#define EXH_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "evtx.h"
#include "exlog.h"
#include "hash.h"
#include "iocset.h"
#include "scan.h"

/* What a file is, decided by src/engine/classify.c. */
enum exh_family {
    EXH_FAM_NONE = 0,
    EXH_FAM_HTTPPROXY,
    EXH_FAM_ECP,
    EXH_FAM_OAB,
    EXH_FAM_RPS,
    EXH_FAM_EXLOG_OTHER, /* another Exchange CSV log */
    EXH_FAM_W3C,         /* IIS W3C extended log */
    EXH_FAM_EVTX,        /* Windows event log (.evtx) */
    EXH_FAM__COUNT
};

/* Input bits for the detector table. */
#define EXH_IN_HTTPPROXY (1u << EXH_FAM_HTTPPROXY)
#define EXH_IN_ECP (1u << EXH_FAM_ECP)
#define EXH_IN_OAB (1u << EXH_FAM_OAB)
#define EXH_IN_RPS (1u << EXH_FAM_RPS)
#define EXH_IN_EXLOG_OTHER (1u << EXH_FAM_EXLOG_OTHER)
#define EXH_IN_W3C (1u << EXH_FAM_W3C)
#define EXH_IN_ANY_LOG                                                                             \
    (EXH_IN_HTTPPROXY | EXH_IN_ECP | EXH_IN_OAB | EXH_IN_RPS | EXH_IN_EXLOG_OTHER | EXH_IN_W3C)

const char *exh_family_dataset(enum exh_family f); /* "exchange.httpproxy", ... */

/* A file as the detectors see it. */
struct exh_file {
    const char *path; /* as opened */
    const char *rel;  /* as reported */
    const char *name; /* last component of rel (or of path) */
    uint64_t size;
    int64_t mtime_ms;
    const uint8_t *data; /* the whole file, read-only (may be NULL when size is 0) */
    size_t n;
    enum exh_family family;
    bool under_programdata; /* a path component is ProgramData (or "All Users") */
    bool has_digests;       /* dg is set (files up to EXH_HASH_MAX that are not logs) */
    struct exh_digests dg;
};

#define EXH_HASH_MAX (64u << 20)

/* One log line that passed the pre-filter. row is NULL when the log has no
 * usable header; it is split lazily: read its columns with exh_rec_col(). */
struct exh_logrec {
    const struct exh_file *file;
    struct exh_str line; /* without EOL */
    uint64_t lineno;
    uint64_t offset;
    struct exh_exlog_row *row; /* the worker's: exh_rec_col() splits it on demand */
    bool has_ts;
    int64_t ts_ms;
    /* this line's number among every line shown to detectors in this process
     * (never 0, never reused): what a detector may key a per-thread memo on,
     * as the request detectors do (src/detect/request.c) */
    uint64_t serial;
};

/* One event log record. */
struct exh_evrec {
    const struct exh_file *file;
    const struct exh_evtx_record *r;
};
/* The value of the named EventData/UserData field, or of positional field
 * index (when name is NULL); an empty slice when absent. */
struct exh_str exh_ev_field(const struct exh_evrec *ev, const char *name, size_t index);

/* Borrowed values; exh_emit() copies what it keeps. */
struct exh_ioc_meta;
struct exh_hit {
    enum exh_rule_sym rule;
    const char *message; /* NUL-terminated */
    struct exh_str evidence;
    /* source_ip: the connection's address as logged (may be Exchange's own
     * chain "client front-end"); forwarded_for: the X-Forwarded-For value.
     * The emitter resolves the two into the finding's source.ip. */
    struct exh_str source_ip, forwarded_for, user_agent, url, method;
    int status;      /* -1 none */
    bool has_offset; /* file hits: where in the file */
    uint64_t offset;
    const struct exh_ioc_meta *ioc; /* the indicator matched (iocset.h), or NULL */
};

/* A hit with a rule, a message and evidence; no request fields, no status. */
static inline struct exh_hit exh_hit_make(enum exh_rule_sym rule, const char *message,
                                          struct exh_str evidence)
{
    struct exh_hit h = {0};
    h.rule = rule;
    h.message = message;
    h.evidence = evidence;
    h.status = -1;
    return h;
}

struct exh_emitter; /* engine-owned, one per worker */

/* The indicator set of this scan, and its YARA rules (NULL when none). */
const struct exh_iocset *exh_emit_iocs(const struct exh_emitter *em);
/* Scratch buffer 0 or 1 of this emitter: reused line after line so that a
 * selected line costs no allocation; valid until the detector returns.
 * The contract between their users (any other `which` is EXH_BUG):
 *   0  holds the request exh_req_read() decoded (src/detect/request.c) while
 *      a request detector runs: a detector that reads requests does not
 *      write it; another may use it freely;
 *   1  a detector's own, between its calls into the emitter: exh_note_request()
 *      uses it too, so its content does not survive that call. */
struct exh_buf *exh_emit_scratch(struct exh_emitter *em, int which);
struct exh_yara;
const struct exh_yara *exh_emit_yara(const struct exh_emitter *em);

/* Report a hit on a log line (time, place and original come from rec). */
void exh_emit_line(struct exh_emitter *em, const struct exh_logrec *rec, const struct exh_hit *h);
/* Report a hit on an event log record (winlog.*, event.code). */
void exh_emit_event(struct exh_emitter *em, const struct exh_evrec *ev, const struct exh_hit *h);
/* Report a hit on a whole file (file.path, size, mtime). */
void exh_emit_file(struct exh_emitter *em, const struct exh_file *f, const struct exh_hit *h,
                   bool has_ts, int64_t ts_ms);

/* Note a request to a page (stem lower case, decoded) for the judge, which
 * matches pages with web shells found on disk. */
void exh_note_request(struct exh_emitter *em, const struct exh_logrec *rec, struct exh_str stem,
                      int status);

/* Note a request's connection address (for the judge, which names a load
 * balancer that hides its clients). */
void exh_note_client(struct exh_emitter *em, const struct exh_logrec *rec);

/* Report that a file could not be checked whole (an error record). */
void exh_emit_problem(struct exh_emitter *em, const struct exh_file *f, const char *what);

/* Report a file hit with just a rule, a message and evidence (time: mtime). */
void exh_emit_file_simple(struct exh_emitter *em, const struct exh_file *f, enum exh_rule_sym rule,
                          const char *message, struct exh_str evidence);

/* Helpers shared by detectors: the column value or an empty slice. The row
 * is split only as far as the column asked for (cheap tests on early
 * columns first keep the rest of the line unsplit). */
static inline struct exh_str exh_rec_col(const struct exh_logrec *rec, enum exh_col c)
{
    if (!rec->row)
        return EXH_STR_NULL;
    return exh_exlog_row_col(rec->row, c);
}
int exh_parse_status(struct exh_str s); /* -1 when not a 3-digit status */
/* Fill h's request fields (ip, UA, url, method, status) from a parsed row;
 * the url is built in *scratch. */
void exh_hit_request_fields(const struct exh_logrec *rec, struct exh_hit *h,
                            struct exh_buf *scratch);
/* Does the name end like a page IIS runs as code (.aspx, .ashx, .asmx, .asp)? */
bool exh_served_page(struct exh_str name);
/* The scanner a user agent names (nuclei, Nmap Scripting Engine, ...) as
 * shown in reports, or NULL: the one list behind the noise rules and the
 * summary's scanners. */
const char *exh_scanner_name(struct exh_str ua);

/* The detector table (src/detect/detectors.def). needles: literal
 * pre-filter strings (lower case, >= 4 bytes, NULL-terminated list) that
 * select the lines worth parsing; on_file is called for every file read,
 * on_event for every event record.
 *
 * The needle pool: the needles of every line detector of a family (and the
 * indicator set's addresses and user agents for ioc_needles) make ONE
 * pre-filter per family, and on_line is called for every line that filter
 * selects, in table order, whichever needle matched. A detector therefore
 * sees lines that other detectors selected and applies its own tests first
 * (cheap tests on the raw line or on early columns: exh_rec_col() splits the
 * row only as far as asked). Header (#Fields:) and W3C #Date: lines are
 * selected for the engine and never shown to on_line. */
struct exh_detector {
    const char *name;
    unsigned inputs;
    const char *const *needles;
    bool ioc_needles; /* also select lines holding an IP or user agent of the scan's set */
    bool all_lines;   /* every line of its families (small logs whose rows all matter) */
    void (*on_line)(struct exh_emitter *em, const struct exh_logrec *rec);
    void (*on_file)(struct exh_emitter *em, const struct exh_file *f);
    void (*on_event)(struct exh_emitter *em, const struct exh_evrec *ev); /* .evtx records */
};

extern const struct exh_detector exh_detectors[];
extern const size_t exh_ndetectors;

#endif
