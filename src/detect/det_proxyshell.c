/* det_proxyshell.c: ProxyShell (CVE-2021-34473) in IIS W3C logs and the same
 * columns of HttpProxy logs: an unauthenticated autodiscover.json SSRF to a
 * back-end path. The same request with an account is ProxyNotShell's
 * (det_proxynotshell.c); the judge relabels either by the server's build.
 * The Rps_Http side of the chain is in det_owassrf.c (rps_clientinfo). */
#include <string.h>

#include "request.h"
#include "exh/banned.h"

/* the pooled needles of the request detectors also select lines for this
 * one (an encoded "autodiscover%2ejson" with a "powershell" path) */
const char *const exh_det_proxyshell_needles[] = {"autodiscover.json", NULL};

/* An autodiscover URL with autodiscover.json, an '@' and, after the '@', a
 * back-end path. The '@' may sit in the query (ProxyShell:
 * autodiscover.json?a=x@y/mapi/nspi) or in the path (ProxyNotShell's PoC:
 * /autodiscover/admin@localhost//powershell/autodiscover.json); a mailbox
 * address before it ("powershell.admin@corp") is not a path. */
bool exh_req_is_proxyshell(const struct exh_req *q)
{
    struct exh_str u = q->url;
    if (!exh_starts_ci(q->stem, "/autodiscover") || !exh_req_has(u, "autodiscover.json"))
        return false;
    const char *atp = memchr(u.p, '@', u.n);
    if (!atp)
        return false;
    struct exh_str after = exh_str_make(atp, (size_t)(u.p + u.n - atp));
    return exh_req_has(after, "/powershell") || exh_req_has(after, "/mapi/") ||
           exh_req_has(after, "/ews/") || exh_req_has(after, "x-rps-cat") ||
           exh_req_has(after, "/autodiscover/autodiscover.xml") ||
           exh_req_has(after, "/autodiscover/autodiscover.json") || exh_req_has(after, "/owa/") ||
           exh_req_has(after, "/ecp/") || exh_req_has(after, "/oab/") ||
           exh_req_has(after, "/rpc/");
}

void exh_det_proxyshell_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_req q;
    if (!exh_req_read(em, rec, &q) || exh_req_claimed_before(&q, EXH_REQ_PROXYSHELL) ||
        !exh_req_is_proxyshell(&q))
        return;
    /* ProxyShell needs no account; only a 200 from the back end is data
     * reached: a 302 is OWA's logon redirect, a 401 the NTLM handshake */
    bool answered = q.status == 200;
    if (exh_req_scanner(&q))
        exh_req_emit(em, &q, EXH_RULE_NOISE_SCANNER, "Scanner probe for ProxyShell/ProxyNotShell",
                     EXH_STR_NULL);
    else if (!exh_req_authenticated(&q))
        exh_req_emit(em, &q, answered ? EXH_RULE_PS_EXPLOIT : EXH_RULE_PS_ATTEMPT,
                     answered
                         ? "Unauthenticated autodiscover.json SSRF to a back-end path was answered"
                         : "Unauthenticated autodiscover.json SSRF to a back-end path was not "
                           "answered 200",
                     EXH_STR_NULL);
}
