/* http_int.h: what the implementations of http.h share (http_common.c). */
#ifndef EXH_HTTP_INT_H
#define EXH_HTTP_INT_H

#include "exh/http.h"

/* A request copied for the queue: rq's strings and headers are owned. */
struct exh_http_reqcopy {
    struct exh_http_req rq;
    char **hdrs;
};
void exh_http_req_copy(struct exh_http_reqcopy *c, const struct exh_http_req *rq);
void exh_http_req_release(struct exh_http_reqcopy *c);

#endif
