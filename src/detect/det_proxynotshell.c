/* det_proxynotshell.c: ProxyNotShell (CVE-2022-41040) in IIS W3C logs and the
 * same columns of HttpProxy logs: ProxyShell's autodiscover.json SSRF to a
 * back-end path (det_proxyshell.c tells the shape), sent with an account
 * (NTLM or Basic). Scanners' probes of the shape are ProxyShell's to report. */
#include "request.h"
#include "exh/banned.h"

const char *const exh_det_proxynotshell_needles[] = {"autodiscover.json", NULL};

void exh_det_proxynotshell_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_req q;
    if (!exh_req_read(em, rec, &q) || exh_req_claimed_before(&q, EXH_REQ_PROXYSHELL) ||
        !exh_req_is_proxyshell(&q) || exh_req_scanner(&q) || !exh_req_authenticated(&q))
        return;
    /* only a 200 from the back end is data reached */
    bool answered = q.status == 200;
    exh_req_emit(em, &q, answered ? EXH_RULE_PNS_EXPLOIT : EXH_RULE_PNS_ATTEMPT,
                 answered ? "Authenticated autodiscover.json SSRF to a back-end path was answered"
                          : "Authenticated autodiscover.json SSRF to a back-end path was not "
                            "answered 200",
                 EXH_STR_NULL);
}
