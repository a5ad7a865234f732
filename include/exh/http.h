/* http.h: a small batch HTTP client for `exhunt probe`. Requests are added
 * to a batch and run together, non-blocking, with a cap on the transfers in
 * flight and on how many start per second; each ends in one callback with
 * the status, the raw header block and the body (both capped), the TLS
 * facts and, on failure, a kind and a text. The callback may add further
 * requests to the same batch (a probe's next step). Redirects are never
 * followed here and nothing is retried.
 *
 * POSIX: src/net/http_curl.c (libcurl's multi interface, OpenSSL). Windows:
 * src/net/http_winhttp.c (WinHTTP, Windows' own TLS and certificate store).
 * exh_http_available() is false in a build without a client: the static
 * Linux build of `make dist` (src/net/http_none.c), or on Windows when
 * winhttp.dll cannot be loaded from System32.
 *
 * Ownership: exh_http_add copies what it is given; a response's pointers are
 * borrowed and valid only during the callback. */
#ifndef EXH_HTTP_H
#define EXH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum exh_http_fail {
    EXH_HTTP_OK,        /* a complete response (the body may be cut at the cap) */
    EXH_HTTP_RESOLVE,   /* the name does not resolve */
    EXH_HTTP_CONNECT,   /* refused, unreachable, or no connection within the connect timeout */
    EXH_HTTP_TIMEOUT,   /* connected, but no complete answer within the total timeout */
    EXH_HTTP_TLS,       /* the TLS handshake failed (not a certificate problem: those are facts) */
    EXH_HTTP_PROTOCOL,  /* not HTTP, or malformed HTTP */
    EXH_HTTP_TOO_LARGE, /* the response headers exceed the cap */
    EXH_HTTP_OTHER,
};
/* "resolve", "connect", "timeout", "tls", "protocol", "too_large", "other" */
const char *exh_http_fail_name(enum exh_http_fail f);

struct exh_http_opts {
    int parallel;            /* transfers in flight at most (default 64) */
    int rate;                /* transfers started per second at most; 0: no limit */
    long connect_timeout_ms; /* default 5000 */
    long timeout_ms;         /* whole transfer, connect included; default 10000 */
    size_t max_header_bytes; /* default 64 KiB: more is EXH_HTTP_TOO_LARGE */
    size_t max_body_bytes;   /* default 256 KiB: the rest is not read (body_truncated) */
    const char *user_agent;  /* NULL: none */
};
void exh_http_opts_init(struct exh_http_opts *o);

struct exh_http_req {
    const char *url;            /* http:// or https:// only */
    const char *method;         /* NULL: GET */
    const char *const *headers; /* "Name: value" lines, NULL-terminated, or NULL */
    void *ud;                   /* handed back in the callback */
};

/* What the TLS handshake showed. The connection never fails on the
 * certificate: it is verified against the system's CAs and the URL's host
 * name, and the result is reported here. */
struct exh_http_tls {
    bool used; /* an https:// request that completed a handshake */
    bool has_cert;
    char version[16]; /* "1.3" */
    char cipher[64];
    char subject[256]; /* RFC 2253 */
    char issuer[256];
    bool has_not_after;
    int64_t not_after_ms;
    bool verified;          /* chain to a trusted CA, in date, and the host name matches */
    char verify_error[128]; /* why not: "self-signed certificate", "host name mismatch" ... */
    char sha256[65];        /* of the certificate (DER), hex */
};

struct exh_http_resp {
    enum exh_http_fail fail;
    char error[256];     /* what went wrong, "" when fail is EXH_HTTP_OK */
    int status;          /* HTTP status, 0 when none */
    const char *headers; /* raw header block of the response, NUL-terminated */
    size_t headers_n;
    const char *body; /* NUL-terminated; may hold NULs */
    size_t body_n;
    bool body_truncated; /* the body went on past max_body_bytes */
    char ip[64];         /* address connected to, "" when none */
    long port;
    struct exh_http_tls tls;
    int64_t elapsed_ms;
};

typedef void (*exh_http_done_fn)(void *ud, const struct exh_http_req *rq,
                                 const struct exh_http_resp *rs);
/* Called at most a few times a second while the batch runs. */
typedef void (*exh_http_tick_fn)(void *ud, size_t started, size_t done, size_t in_flight);

struct exh_http;
bool exh_http_available(void);
/* A batch, or NULL when this build has no HTTP client or it cannot start. */
struct exh_http *exh_http_new(const struct exh_http_opts *o);
/* Queue a request (copied); it starts when the caps allow. */
void exh_http_add(struct exh_http *h, const struct exh_http_req *rq);
/* Run until every request (including those the callbacks add) is done. */
void exh_http_run(struct exh_http *h, exh_http_done_fn done, exh_http_tick_fn tick, void *ud);
void exh_http_free(struct exh_http *h);

/* The value of header name (case-insensitive) in a raw header block, trimmed;
 * false when absent. Not NUL-terminated: *n bytes at *v. */
bool exh_http_header(const char *headers, size_t n, const char *name, const char **v, size_t *vn);

#endif
