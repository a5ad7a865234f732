/* clients.c: which private addresses carry a server's requests without an
 * X-Forwarded-For header, so that a load balancer hiding its clients is
 * named in the summary and its attempts are not taken for an admin's. */
#include <stdlib.h>
#include <string.h>

#include "emitter.h"
#include "exh/os.h"
#include "exh/banned.h"

/* The addresses come from the logs, chosen by whoever sent the requests:
 * the hash is keyed per table with random bits, so no set of addresses can
 * be built to collide (an unkeyed hash made 80,000 chosen fc00::/7 clients
 * cost 9 s instead of 0.2). */
static size_t slot_of(const struct exh_clients *c, const struct exh_ip *ip)
{
    uint64_t lo, hi;
    memcpy(&hi, ip->b, 8);
    memcpy(&lo, ip->b + 8, 8);
    uint64_t h = exh_mix64(hi ^ c->key[0]) ^ exh_mix64(lo ^ c->key[1]);
    size_t k = (size_t)h & (c->cap - 1);
    while (c->t[k].n && memcmp(&c->t[k].ip, ip, sizeof(*ip)) != 0)
        k = (k + 1) & (c->cap - 1);
    return k;
}

static void add(struct exh_clients *c, const struct exh_ip *ip, uint64_t n)
{
    if (!c->cap) {
        c->key[0] = exh_os_random_u64();
        c->key[1] = exh_os_random_u64();
    }
    if ((c->used + 1) * 2 > c->cap) {
        struct exh_clients g = {0};
        g.key[0] = c->key[0];
        g.key[1] = c->key[1];
        g.cap = c->cap ? c->cap * 2 : 16;
        g.t = exh_xcalloc(g.cap, sizeof(*g.t));
        for (size_t i = 0; i < c->cap; i++)
            if (c->t[i].n) {
                g.t[slot_of(&g, &c->t[i].ip)] = c->t[i];
                g.used++;
            }
        free(c->t);
        c->t = g.t;
        c->cap = g.cap;
    }
    size_t k = slot_of(c, ip);
    if (!c->t[k].n) {
        c->t[k].ip = *ip;
        c->used++;
    }
    c->t[k].n += n;
}

void exh_clients_note(struct exh_clients *c, struct exh_str conn, struct exh_str xff)
{
    c->requests++;
    xff = exh_trim(xff);
    if (xff.n && !(xff.n == 1 && xff.p[0] == '-'))
        return; /* the proxy said who the client was */
    /* the connection is the last entry of the logged chain */
    conn = exh_trim(conn);
    size_t i = conn.n;
    while (i > 0 && conn.p[i - 1] != ' ' && conn.p[i - 1] != ',' && conn.p[i - 1] != ';')
        i--;
    struct exh_ip ip;
    if (exh_ip_parse(exh_str_make(conn.p + i, conn.n - i), &ip) && exh_ip_private(&ip))
        add(c, &ip, 1);
}

void exh_clients_absorb(struct exh_clients *dst, struct exh_clients *src)
{
    dst->requests += src->requests;
    for (size_t i = 0; i < src->cap; i++)
        if (src->t[i].n)
            add(dst, &src->t[i].ip, src->t[i].n);
    exh_clients_release(src);
}

static int cmp_count(const void *a, const void *b)
{
    const struct exh_client_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return memcmp(&x->ip, &y->ip, sizeof(x->ip));
}

void exh_clients_judge(struct exh_clients *c, struct exh_summary *s)
{
    s->requests_seen = c->requests;
    if (c->requests < EXH_PROXY_MIN_REQUESTS || !c->used)
        return;
    /* the busiest few private addresses without a forwarded header */
    struct exh_client_count top[EXH_PROXY_MAX];
    size_t ntop = 0;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->t[i].n)
            continue;
        if (ntop < EXH_PROXY_MAX) {
            top[ntop++] = c->t[i];
        } else if (cmp_count(&c->t[i], &top[ntop - 1]) < 0) {
            top[ntop - 1] = c->t[i];
        } else {
            continue;
        }
        qsort(top, ntop, sizeof(*top), cmp_count);
    }
    uint64_t carried = 0;
    for (size_t i = 0; i < ntop; i++)
        carried += top[i].n;
    /* most traffic, through at most EXH_PROXY_MAX addresses: the clients are
     * hidden behind them */
    if (carried * 100 < c->requests * EXH_PROXY_SHARE)
        return;
    size_t keep = 0; /* leave out addresses that carry a trifle */
    while (keep < ntop && top[keep].n * 100 >= c->requests * 5)
        keep++;
    s->proxies = exh_xcalloc(keep ? keep : 1, sizeof(*s->proxies));
    for (size_t i = 0; i < keep; i++) {
        char t[46];
        exh_ip_format(&top[i].ip, t);
        s->proxies[i] = exh_xstrdup(t);
        s->proxy_requests += top[i].n;
    }
    s->nproxies = keep;
}

bool exh_summary_proxy(const struct exh_summary *s, const char *ip)
{
    /* both in canonical text (exh_ip_format; exh_source_resolve writes a
     * source that parses that way too) */
    for (size_t i = 0; i < s->nproxies; i++)
        if (!strcmp(ip, s->proxies[i]))
            return true;
    return false;
}

void exh_note_client(struct exh_emitter *em, const struct exh_logrec *rec)
{
    exh_clients_note(&em->clients, exh_rec_col(rec, EXH_COL_CLIENT_IP),
                     exh_rec_col(rec, EXH_COL_FORWARDED_FOR));
}

void exh_clients_release(struct exh_clients *c)
{
    free(c->t);
    memset(c, 0, sizeof(*c));
}
