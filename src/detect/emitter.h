/* emitter.h: the emitter's inside (src/detect/emit.c, clients.c): what a
 * detector's hits become (owned findings, error records, requests to pages,
 * connection addresses), kept per worker. Detectors see only the functions
 * of exh/detect.h; the engine includes this header to merge emitters. */
#ifndef EXH_EMITTER_H
#define EXH_EMITTER_H

#include "exh/detect.h"
#include "exh/scan.h"

/* Requests to one page (URL stem), gathered while logs are read, so that the
 * judge can tell when a web shell found on disk was used. */
#define EXH_REQ_IPS 4
struct exh_reqagg {
    char *stem;         /* lower case, decoded */
    uint64_t count, ok; /* all requests; answered 2xx */
    bool has_ts;
    int64_t first_ms, last_ms;
    char *ips[EXH_REQ_IPS]; /* the smallest few source addresses, sorted */
    size_t nips;
    bool has_ex; /* the earliest 2xx request, as the finding's evidence */
    struct exh_finding ex;
};

/* Connection addresses of the requests the detectors looked at: which
 * private addresses carry the traffic without an X-Forwarded-For (a load
 * balancer that hides its clients). */
struct exh_clients {
    struct exh_client_count {
        struct exh_ip ip;
        uint64_t n;
    } * t;             /* open addressing; n == 0 is an empty slot */
    size_t cap, used;  /* cap: a power of two, or 0 */
    uint64_t key[2];   /* the hash's random key, drawn with the first table */
    uint64_t requests; /* every request looked at */
};
/* Count one request: its connection address as logged and its forwarded header. */
void exh_clients_note(struct exh_clients *c, struct exh_str conn, struct exh_str xff);
/* Add src's counts to dst's and free src's table. */
void exh_clients_absorb(struct exh_clients *dst, struct exh_clients *src);
void exh_clients_release(struct exh_clients *c);
/* Name in s the private addresses that carried EXH_PROXY_SHARE percent or
 * more of at least EXH_PROXY_MIN_REQUESTS requests without a forwarded
 * header, through at most EXH_PROXY_MAX addresses (each kept carries 5% or
 * more). */
#define EXH_PROXY_MIN_REQUESTS 50
#define EXH_PROXY_MAX 3
#define EXH_PROXY_SHARE 80
void exh_clients_judge(struct exh_clients *c, struct exh_summary *s);
/* Is ip one of s->proxies? */
bool exh_summary_proxy(const struct exh_summary *s, const char *ip);
/* A set of strings (open addressing; each added string is copied). The
 * engine keeps the URLs the files found on disk are served at
 * (exh_served_url) in one, filled by the walk and only read while files are
 * read: requests are noted only for those pages, so the table of requests is
 * bounded by the files on disk, not by what a log holds. */
struct exh_strset {
    char **slot; /* capacity cap (a power of two); NULL: empty */
    size_t n, cap;
};
void exh_strset_add(struct exh_strset *ss, const char *s);
bool exh_strset_has(const struct exh_strset *ss, const char *s);
void exh_strset_release(struct exh_strset *ss);

struct exh_emitter {
    const struct exh_scan_opts *o;
    const struct exh_strset *pages; /* pages whose requests are noted; NULL: none */
    const struct exh_iocset *iocs;
    const struct exh_yara *yara;
    struct exh_finding *f;
    size_t n, cap;
    struct exh_error_rec *e;
    size_t ne, cape;
    uint64_t seq;
    uint64_t filtered;
    struct exh_reqagg *req; /* requests to pages */
    size_t nreq, capreq;
    uint32_t *reqidx; /* open-addressing index into req (capacity reqcap, a power of two) */
    size_t reqcap;
    struct exh_buf scratch[2]; /* exh_emit_scratch() */
    struct exh_clients clients;
    /* the SHA-256 of the file being read when it was too big to hash up
     * front (exh_emit_file): computed once per file */
    bool sha_valid;
    const void *sha_data;
    size_t sha_n;
    char sha_hex[65];
};
/* A new file is read: forget what was cached about the last one. */
void exh_emitter_new_file(struct exh_emitter *em);
/* Free everything an emitter owns: findings, errors, requests, scratch. */
void exh_emitter_release(struct exh_emitter *em);

void exh_reqagg_release(struct exh_reqagg *r);
/* Fold src into dst (same stem). Takes ownership of src's strings. */
void exh_reqagg_merge(struct exh_reqagg *dst, struct exh_reqagg *src);

void exh_emitter_init(struct exh_emitter *em, const struct exh_scan_opts *o,
                      const struct exh_iocset *iocs, const struct exh_yara *yara);
void exh_emit_error(struct exh_emitter *em, const char *path, enum exh_err code,
                    const char *detail);
/* The same as an info record (exh_error_rec.info): left unread, harmless to
 * the verdict. */
void exh_emit_info(struct exh_emitter *em, const char *path, enum exh_err code, const char *detail);
/* Append a finding built by the caller (takes ownership of its strings). */
void exh_emit_raw(struct exh_emitter *em, struct exh_finding *f);
void exh_finding_release(struct exh_finding *f);
/* Copy at most max bytes of s into a new string (NULL when s is empty). */
char *exh_dup_capped(struct exh_str s, size_t max);

#endif
