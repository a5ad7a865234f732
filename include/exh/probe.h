/* probe.h: `exhunt probe`, the engine. For each target it asks the server
 * what a browser asks OWA (GET /owa/, following redirects on the same host
 * only), reads the build from the X-OWA-Version header, the logon page's
 * resource paths or the ECP export tool's manifest, judges that build with
 * exh_exposure_judge() and, when asked, sends the published harmless
 * ProxyLogon and ProxyShell check requests. It never prints and never
 * exits; the network goes through http.h.
 *
 * Ownership: everything in struct exh_probe_result belongs to it; free it
 * with exh_probe_result_release(). Targets keep the order they were given. */
#ifndef EXH_PROBE_H
#define EXH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exlog.h"
#include "exposure.h"
#include "http.h"
#include "rules.h"
#include "scan.h"

struct exh_probe_finding {
    const struct exh_rule *rule;
    char *message;
    char *evidence; /* the decisive response fact, or NULL */
    char *url;      /* the request that showed it */
    int status;     /* its HTTP status, -1 when none */
};

/* A per-target problem: the target could not be reached or judged. */
struct exh_probe_error {
    const char *code; /* "resolve", "connect", "timeout", "tls", "protocol", "too_large",
                         "redirect", "not_exchange", "target", "other" (static) */
    char *message;
    char *url;
};

enum exh_probe_check {
    EXH_CHECK_NOT_RUN,
    EXH_CHECK_VULNERABLE,
    EXH_CHECK_NOT_VULNERABLE,
    EXH_CHECK_UNKNOWN
};
/* "not_run", "vulnerable", "not_vulnerable", "unknown" */
const char *exh_probe_check_name(enum exh_probe_check c);

struct exh_probe_target {
    char *input; /* as given */
    char *url;   /* the base URL probed: https://host:port */
    char scheme[8];
    char host[256]; /* name or address, IPv6 without brackets */
    int port;
    char ip[64]; /* address connected to, "" when none */
    int status;  /* HTTP status of the first answer to GET /owa/, 0 when none */
    struct exh_http_tls tls;
    bool exchange; /* answered like Exchange (OWA headers, paths or redirects) */
    bool has_build;
    struct exh_build build;
    int build_parts; /* 4, or 3 when only major.minor.build is visible */
    const char
        *build_source; /* "X-OWA-Version header", "OWA logon page", "ECP export tool manifest" */
    bool judged;       /* exh_exposure_judge knew the product line */
    char build_name[96], build_date[16], newest_update[64], support_end[16];
    enum exh_support support;
    bool newer; /* newer than the catalogue */
    unsigned nmissing;
    char *missing; /* security updates it lacks, comma-separated, or NULL */
    enum exh_probe_check proxylogon, proxyshell;
    struct exh_probe_finding *findings;
    size_t nfindings;
    struct exh_probe_error *errors;
    size_t nerrors;
    enum exh_verdict verdict; /* CLEAN, EXPOSED or INCOMPLETE */
    const char *reason;       /* static text */
    int64_t elapsed_ms;
    /* internal */
    int step_, kind_, redirects_, pending_;
    int64_t started_;
};

struct exh_probe_opts {
    const char *const *targets; /* host, host:port, [v6]:port or an http(s) URL */
    size_t ntargets;
    struct exh_http_opts http;
    bool check_proxylogon, check_proxyshell;
    int64_t now_ms; /* decides product-line support */
    /* called from the calling thread a few times a second */
    void (*progress)(void *ud, size_t targets_done, size_t targets_total, size_t in_flight);
    void *progress_ud;
};
void exh_probe_opts_init(struct exh_probe_opts *o);

struct exh_probe_result {
    struct exh_probe_target *targets;
    size_t ntargets;
    size_t exposed, clean, incomplete;
    uint64_t findings, by_sev[EXH_SEV__COUNT];
    enum exh_verdict verdict; /* EXPOSED if any, else INCOMPLETE if any, else CLEAN */
    int exit_code;            /* 1, 2, 0 as the scan's */
    int64_t started_ms, elapsed_ms;
};

/* Probe every target. Returns EXH_ERR_USAGE when this build has no HTTP
 * client (exh_http_available() false); target problems are error records. */
enum exh_err exh_probe(const struct exh_probe_opts *o, struct exh_probe_result *out);
void exh_probe_result_release(struct exh_probe_result *r);

/* Pure helpers (unit tests): the build in an X-OWA-Version value, in a
 * logon page (/owa/auth/15.1.2507/..., /owa/15.1.2507.16/...), in an export
 * tool manifest (<assemblyIdentity ... version="15.1.2507.16">). Return the
 * number of parts found (3 or 4), 0 when none. */
int exh_probe_build_header(const char *v, size_t n, struct exh_build *out);
int exh_probe_build_page(const char *body, size_t n, struct exh_build *out);
int exh_probe_build_manifest(const char *body, size_t n, struct exh_build *out);
/* Split a target into scheme, host and port (false: not a target). */
bool exh_probe_parse_target(const char *t, char scheme[8], char host[256], int *port);

#endif
