/* http_common.c: the parts of http.h every build has (names, header lookup). */
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/http.h"
#include "http_int.h"
#include "exh/banned.h"

const char *exh_http_fail_name(enum exh_http_fail f)
{
    switch (f) {
    case EXH_HTTP_OK:
        return "ok";
    case EXH_HTTP_RESOLVE:
        return "resolve";
    case EXH_HTTP_CONNECT:
        return "connect";
    case EXH_HTTP_TIMEOUT:
        return "timeout";
    case EXH_HTTP_TLS:
        return "tls";
    case EXH_HTTP_PROTOCOL:
        return "protocol";
    case EXH_HTTP_TOO_LARGE:
        return "too_large";
    case EXH_HTTP_OTHER:
        break;
    }
    return "other";
}

void exh_http_opts_init(struct exh_http_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->parallel = 64;
    o->connect_timeout_ms = 5000;
    o->timeout_ms = 10000;
    o->max_header_bytes = 64 * 1024;
    o->max_body_bytes = 256 * 1024;
}

bool exh_http_header(const char *headers, size_t n, const char *name, const char **v, size_t *vn)
{
    size_t nl = strlen(name);
    for (size_t pos = 0; pos < n;) {
        const char *line = headers + pos;
        const char *eol = memchr(line, '\n', n - pos);
        size_t len = eol ? (size_t)(eol - line) : n - pos;
        pos += len + 1;
        if (len > nl && line[nl] == ':') {
            size_t i = 0;
            while (i < nl && exh_lc((unsigned char)line[i]) == exh_lc((unsigned char)name[i]))
                i++;
            if (i == nl) {
                const char *p = line + nl + 1, *e = line + len;
                while (p < e && (*p == ' ' || *p == '\t'))
                    p++;
                while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                    e--;
                *v = p;
                *vn = (size_t)(e - p);
                return true;
            }
        }
    }
    return false;
}

void exh_http_req_copy(struct exh_http_reqcopy *c, const struct exh_http_req *rq)
{
    c->rq.url = exh_xstrdup(rq->url);
    c->rq.method = exh_xstrdup(rq->method ? rq->method : "GET");
    c->rq.ud = rq->ud;
    size_t n = 0;
    while (rq->headers && rq->headers[n])
        n++;
    c->hdrs = exh_xmalloc((n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        c->hdrs[i] = exh_xstrdup(rq->headers[i]);
    c->hdrs[n] = NULL;
    c->rq.headers = (const char *const *)c->hdrs;
}

void exh_http_req_release(struct exh_http_reqcopy *c)
{
    for (size_t i = 0; c->hdrs && c->hdrs[i]; i++)
        free(c->hdrs[i]);
    free(c->hdrs);
    free((char *)c->rq.url);
    free((char *)c->rq.method);
}
