/* common.c: small helpers shared by detectors. */
#include <string.h>

#include "detectors.h"
#include "exh/banned.h"

int exh_parse_status(struct exh_str s)
{
    s = exh_trim(s);
    if (s.n != 3)
        return -1;
    int v = 0;
    for (size_t i = 0; i < 3; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    return v;
}

void exh_hit_request_fields(const struct exh_logrec *rec, struct exh_hit *h,
                            struct exh_buf *scratch)
{
    /* both as logged: which of them the client could not choose is decided
     * by the emitter (exh_source_resolve, with the scan's trusted proxies) */
    h->source_ip = exh_trim(exh_rec_col(rec, EXH_COL_CLIENT_IP));
    h->forwarded_for = exh_trim(exh_rec_col(rec, EXH_COL_FORWARDED_FOR));
    h->user_agent = exh_rec_col(rec, EXH_COL_USER_AGENT);
    h->method = exh_rec_col(rec, EXH_COL_METHOD);
    h->status = exh_parse_status(exh_rec_col(rec, EXH_COL_STATUS));
    struct exh_str stem = exh_rec_col(rec, EXH_COL_URL_STEM);
    struct exh_str query = exh_rec_col(rec, EXH_COL_URL_QUERY);
    exh_buf_reset(scratch);
    exh_buf_add(scratch, stem.p, stem.n);
    if (query.n) {
        if (query.p[0] != '?')
            exh_buf_addc(scratch, '?');
        exh_buf_add(scratch, query.p, query.n);
    }
    h->url = exh_str_make(scratch->p, scratch->n);
}

bool exh_served_page(struct exh_str name)
{
    return exh_ends_ci(name, ".aspx") || exh_ends_ci(name, ".ashx") || exh_ends_ci(name, ".asmx") ||
           exh_ends_ci(name, ".asp");
}
