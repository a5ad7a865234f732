/* http_none.c: http.h without an HTTP client, for the static Linux build
 * (`make dist`): Debian's libcurl.a needs libraries that have no static
 * version (GSSAPI, LDAP). exh_http_available() is false, so `exhunt probe`
 * says that it is not in this build; nothing here is ever asked to run. */
#include <stdlib.h>

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
    (void)h, (void)rq;
}

void exh_http_run(struct exh_http *h, exh_http_done_fn done, exh_http_tick_fn tick, void *ud)
{
    (void)h, (void)done, (void)tick, (void)ud;
}

void exh_http_free(struct exh_http *h)
{
    (void)h;
}
