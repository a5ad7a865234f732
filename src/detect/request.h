/* request.h: a web request of an IIS W3C or HttpProxy row as the request
 * detectors read it, and the order in which their shapes claim a request.
 *
 * The request detectors (det_proxylogon.c's proxylogon_iis, det_proxyshell.c,
 * det_proxynotshell.c, det_owassrf.c, det_ecp.c, det_webshell_use.c) each
 * report one ruleset. A request is reported by at most one of them: by the
 * first whose shape it has, in the order of enum exh_req_order. Each
 * detector asks exh_req_claimed_before() so that it stays quiet on a request
 * that an earlier shape claims, whichever detector runs first.
 *
 * URLs are compared after percent-decoding and lower-casing (W3C's '+' is a
 * space in the query). Requests from known scanners become noise, and
 * Exchange's own clients and probes are ignored. */
#ifndef EXH_DETECT_REQUEST_H
#define EXH_DETECT_REQUEST_H

#include <stdatomic.h>

#include "detectors.h"
#include "exh/match.h"

struct exh_req {
    const struct exh_logrec *rec;
    bool w3c;                   /* an IIS log (else HttpProxy) */
    struct exh_str url;         /* "stem?query", decoded, lower case */
    struct exh_str stem, query; /* slices of url */
    struct exh_str ua;          /* user agent, as logged */
    struct exh_str user;        /* authenticated user, trimmed */
    bool post;
    int status; /* -1 when none */
};

/* Read rec's request, its URL decoded into the emitter's scratch buffer 0 or
 * kept from the previous detector's read of the same line (valid until the
 * detector returns: scratch buffer 1 is free). false: no row, or no URL stem. */
bool exh_req_read(struct exh_emitter *em, const struct exh_logrec *rec, struct exh_req *q);
/* Append s to b percent-decoded and lower-cased ('+' as a space when
 * plus_is_space: a W3C query), NUL-terminated. */
void exh_req_decode(struct exh_buf *b, struct exh_str s, bool plus_is_space);

/* Emit a request finding: what, with the back-end port and HTTP status
 * appended; the evidence is the URL unless given. */
void exh_req_emit(struct exh_emitter *em, const struct exh_req *q, enum exh_rule_sym rule,
                  const char *what, struct exh_str evidence);

/* Emit h, whose request fields are set (exh_hit_request_fields): the message
 * what with the HTTP status appended, the evidence label then value. */
void exh_emit_labelled(struct exh_emitter *em, const struct exh_logrec *rec, struct exh_hit *h,
                       const char *what, const char *label, struct exh_str value);

bool exh_req_has(struct exh_str s, const char *lit); /* lit anywhere, any case */
/* Did the request carry an account: a user name, or IsAuthenticated true? */
bool exh_req_authenticated(const struct exh_req *q);
/* Is the user agent a known scanner's? */
bool exh_req_scanner(const struct exh_req *q);
/* Exchange's own clients and probes (exact values): never an attack by themselves. */
bool exh_exchange_client(struct exh_str ua);

/* May s hold any of words (a NULL-terminated list)? One pass of a matcher
 * built on first use in *slot; exact when every word is of 4 bytes or more. */
bool exh_may_have(_Atomic(struct exh_matcher *) *slot, const char *const *words, struct exh_str s);

/* The request shapes in the order they claim a request, and each shape's
 * test (defined in its detector's file). */
enum exh_req_order {
    EXH_REQ_PROXYLOGON_PROBE, /* det_proxylogon.c: x.js and export-tool probes, IIS */
    EXH_REQ_PROXYSHELL,       /* det_proxyshell.c: autodiscover.json SSRF (and ProxyNotShell) */
    EXH_REQ_OWASSRF,          /* det_owassrf.c: /owa/<mailbox>/powershell */
    EXH_REQ_ECP,              /* det_ecp.c: ViewState in the query, ProxyToken */
    EXH_REQ_PROXYLOGON_IIS,   /* det_proxylogon.c: ProxyLogon's POSTs, IIS */
    EXH_REQ_COMMAND,          /* det_webshell_use.c: shell commands in the query */
    EXH_REQ__COUNT
};
bool exh_req_is_proxylogon_probe(const struct exh_req *q);
bool exh_req_is_proxyshell(const struct exh_req *q);
bool exh_req_is_owassrf(const struct exh_req *q);
bool exh_req_is_ecp(const struct exh_req *q);
bool exh_req_is_proxylogon_iis(const struct exh_req *q);
bool exh_req_is_command(const struct exh_req *q);

/* Has q the shape of one that comes before k in enum exh_req_order? */
bool exh_req_claimed_before(const struct exh_req *q, enum exh_req_order k);

#endif
