/* http_none.c: http.h for builds without an HTTP client (the Windows build
 * today): exhunt probe says it is not available. */
#include <stddef.h>

#include "exh/http.h"
#include "exh/banned.h"

bool exh_http_available(void)
{
    return false;
}

struct exh_http *exh_http_new(const struct exh_http_opts *o)
{
    (void)o;
    return NULL;
}

void exh_http_add(struct exh_http *h, const struct exh_http_req *rq)
{
    (void)h;
    (void)rq;
}

void exh_http_run(struct exh_http *h, exh_http_done_fn done, exh_http_tick_fn tick, void *ud)
{
    (void)h;
    (void)done;
    (void)tick;
    (void)ud;
}

void exh_http_free(struct exh_http *h)
{
    (void)h;
}
