/* det_owassrf.c: OWASSRF (CVE-2022-41080 with CVE-2022-41082), the chain
 * that reaches remote PowerShell through OWA: /owa/<mailbox>/powershell in
 * IIS W3C logs and the same columns of HttpProxy logs (owassrf), and its
 * trace in Rps_Http, a ClientInfo that Exchange's own clients never write
 * (rps_clientinfo). */
#include <string.h>

#include "request.h"
#include "exh/banned.h"

/* the pooled needles also select ProxyShell's /powershell back-end path
 * and the powershell command line of det_webshell_use.c */
const char *const exh_det_owassrf_needles[] = {"powershell", NULL};

/* /owa/<mailbox>/powershell, not from Exchange's own clients */
bool exh_req_is_owassrf(const struct exh_req *q)
{
    return exh_starts_ci(q->stem, "/owa/") && exh_req_has(q->stem, "/powershell") &&
           memchr(q->stem.p, '@', q->stem.n) && !exh_exchange_client(q->ua);
}

void exh_det_owassrf_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_req q;
    if (!exh_req_read(em, rec, &q) || exh_req_claimed_before(&q, EXH_REQ_OWASSRF) ||
        !exh_req_is_owassrf(&q))
        return;
    if (exh_req_scanner(&q))
        exh_req_emit(em, &q, EXH_RULE_NOISE_SCANNER, "Scanner probe for OWASSRF", EXH_STR_NULL);
    else if (q.post && q.status == 200)
        exh_req_emit(em, &q, EXH_RULE_OWA_EXPLOIT, "POST to /owa/<mailbox>/powershell was answered",
                     EXH_STR_NULL);
    else
        exh_req_emit(em, &q, EXH_RULE_OWA_ATTEMPT, "Request to /owa/<mailbox>/powershell",
                     EXH_STR_NULL);
}

/* Rps_Http: a ClientInfo that Exchange's own clients never write. */
void exh_det_rps_clientinfo_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    if (!rec->row)
        return;
    struct exh_str ci = exh_trim(exh_rec_col(rec, EXH_COL_CLIENT_INFO));
    if (!ci.n || exh_exchange_client(ci))
        return;
    int status = exh_parse_status(exh_rec_col(rec, EXH_COL_STATUS));
    struct exh_buf url = {0}, what = {0};
    struct exh_hit h = {0};
    /* ProxyShell's forged CommonAccessToken (X-Rps-CAT) or its autodiscover.json
     * route in the query name the chain; otherwise the judge labels the
     * session by the other chains in the logs */
    struct exh_str q = exh_rec_col(rec, EXH_COL_URL_QUERY);
    bool proxyshell = exh_req_has(q, "x-rps-cat") || exh_req_has(q, "autodiscover.json") ||
                      exh_req_has(q, "autodiscover%2fautodiscover.json");
    if (proxyshell)
        h.rule = status == 200 ? EXH_RULE_PS_EXPLOIT : EXH_RULE_PS_ATTEMPT;
    else
        h.rule = status == 200 ? EXH_RULE_OWA_RPS_EXPLOIT : EXH_RULE_OWA_RPS_ATTEMPT;
    exh_hit_request_fields(rec, &h, &url);
    h.user_agent = ci;
    exh_buf_addf(&what, "Remote PowerShell request with ClientInfo '%.*s'",
                 (int)(ci.n > 80 ? 80 : ci.n), ci.p);
    exh_emit_labelled(em, rec, &h, what.p, "ClientInfo=", ci);
    exh_buf_release(&url);
    exh_buf_release(&what);
}
