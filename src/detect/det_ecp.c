/* det_ecp.c: attacks on the Exchange Control Panel in IIS W3C logs and the
 * same columns of HttpProxy logs: CVE-2020-0688 (a ViewState in the query
 * of an ECP page) and ProxyToken (CVE-2021-33766: an unauthenticated ECP
 * request for another mailbox). */
#include <string.h>

#include "request.h"
#include "exh/banned.h"

const char *const exh_det_ecp_needles[] = {"__viewstate", "securitytoken", "inboxrules.svc", NULL};

/* CVE-2020-0688: ViewState in the query of an ECP (or OWA) request */
static bool viewstate(const struct exh_req *q)
{
    return (exh_starts_ci(q->stem, "/ecp/") || exh_starts_ci(q->stem, "/owa/")) &&
           exh_req_has(q->query, "__viewstate=");
}

/* ProxyToken: an unauthenticated ECP request that names the victim's mailbox
 * in its path (/ecp/<mailbox@domain>/...), or carries a SecurityToken in the
 * query. A logged-on user's own rule save is not it. *newrule: an InboxRules
 * NewObject call. */
static bool proxytoken(const struct exh_req *q, bool *newrule)
{
    struct exh_str stem = q->stem;
    if (!exh_starts_ci(stem, "/ecp/"))
        return false;
    bool anon = !exh_req_authenticated(q);
    const char *slash2 = memchr(stem.p + 5, '/', stem.n - 5);
    struct exh_str seg =
        exh_str_make(stem.p + 5, slash2 ? (size_t)(slash2 - stem.p) - 5 : stem.n - 5);
    bool victim = memchr(seg.p, '@', seg.n) != NULL;
    bool token = exh_req_has(q->query, "securitytoken=");
    *newrule = exh_req_has(stem, "/rulesEditor/inboxrules.svc/newobject");
    return anon && (victim || token) &&
           (*newrule || exh_req_has(stem, "/personalsettings/") || exh_req_has(stem, ".svc/") ||
            token);
}

bool exh_req_is_ecp(const struct exh_req *q)
{
    bool newrule;
    return viewstate(q) || proxytoken(q, &newrule);
}

void exh_det_ecp_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_req q;
    if (!exh_req_read(em, rec, &q) || exh_req_claimed_before(&q, EXH_REQ_ECP))
        return;
    bool newrule;
    if (viewstate(&q)) {
        exh_req_emit(em, &q, exh_req_scanner(&q) ? EXH_RULE_NOISE_SCANNER : EXH_RULE_ECP_VIEWSTATE,
                     "ViewState sent in the query string of an ECP page", EXH_STR_NULL);
    } else if (proxytoken(&q, &newrule)) {
        if (exh_req_scanner(&q))
            exh_req_emit(em, &q, EXH_RULE_NOISE_SCANNER, "Scanner probe for ProxyToken",
                         EXH_STR_NULL);
        else if (q.post && newrule && q.status == 200)
            exh_req_emit(em, &q, EXH_RULE_ECP_PROXYTOKEN_OK,
                         "Unauthenticated InboxRules NewObject for another mailbox was answered",
                         EXH_STR_NULL);
        else
            exh_req_emit(em, &q, EXH_RULE_ECP_PROXYTOKEN,
                         "Unauthenticated ECP request naming another mailbox (ProxyToken shape)",
                         EXH_STR_NULL);
    }
}
