/* emit.c: turning detector hits into owned findings and error records. */
#include <stdlib.h>
#include <string.h>

#include "emitter.h"
#include "exh/hash.h"
#include "exh/iocset.h"
#include "exh/banned.h"

#define FIELD_MAX 2048

void exh_emitter_init(struct exh_emitter *em, const struct exh_scan_opts *o,
                      const struct exh_iocset *iocs, const struct exh_yara *yara)
{
    memset(em, 0, sizeof(*em));
    em->o = o;
    em->iocs = iocs;
    em->yara = yara;
}

void exh_emitter_new_file(struct exh_emitter *em)
{
    em->sha_valid = false;
}

static void release_scratch(struct exh_emitter *em)
{
    exh_buf_release(&em->scratch[0]);
    exh_buf_release(&em->scratch[1]);
    exh_clients_release(&em->clients);
}

void exh_emitter_release(struct exh_emitter *em)
{
    for (size_t k = 0; k < em->n; k++)
        exh_finding_release(&em->f[k]);
    for (size_t k = 0; k < em->ne; k++) {
        free(em->e[k].path);
        free(em->e[k].message);
    }
    for (size_t k = 0; k < em->nreq; k++)
        exh_reqagg_release(&em->req[k]);
    release_scratch(em);
    free(em->f);
    free(em->e);
    free(em->req);
    free(em->reqidx);
    memset(em, 0, sizeof(*em));
}

struct exh_buf *exh_emit_scratch(struct exh_emitter *em, int which)
{
    EXH_BUG_ON(which != 0 && which != 1);
    return &em->scratch[which];
}

const struct exh_iocset *exh_emit_iocs(const struct exh_emitter *em)
{
    return em->iocs;
}

const struct exh_yara *exh_emit_yara(const struct exh_emitter *em)
{
    return em->yara;
}

/* How much of s to keep under max bytes: no UTF-8 sequence cut in half. */
static size_t capped_len(struct exh_str s, size_t max)
{
    size_t n = s.n > max ? max : s.n;
    if (n < s.n)
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
            n--;
    return n;
}

char *exh_dup_capped(struct exh_str s, size_t max)
{
    if (!s.n || !s.p)
        return NULL;
    return exh_xstrndup(s.p, capped_len(s, max));
}

const char *exh_family_dataset(enum exh_family f)
{
    switch (f) {
    case EXH_FAM_HTTPPROXY:
        return "exchange.httpproxy";
    case EXH_FAM_ECP:
        return "exchange.ecp_server";
    case EXH_FAM_OAB:
        return "exchange.oab_generator";
    case EXH_FAM_RPS:
        return "exchange.rps_http";
    case EXH_FAM_EXLOG_OTHER:
        return "exchange.log";
    case EXH_FAM_W3C:
        return "iis.access";
    case EXH_FAM_EVTX:
        return "windows.eventlog";
    default:
        return "exhunt.file";
    }
}

void exh_emit_raw(struct exh_emitter *em, struct exh_finding *f)
{
    if (em->n == em->cap) {
        em->cap = em->cap ? em->cap * 2 : 64;
        em->f = exh_xrealloc(em->f, em->cap * sizeof(*em->f));
    }
    f->seq_ = em->seq++;
    em->f[em->n++] = *f;
}

static bool filtered_out(struct exh_emitter *em, bool has_ts, int64_t ts)
{
    const struct exh_scan_opts *o = em->o;
    if (!has_ts)
        return false;
    if ((o->has_since && ts < o->since_ms) || (o->has_until && ts > o->until_ms)) {
        em->filtered++;
        return true;
    }
    return false;
}

/* The hit's source address (the hop the client could not choose) and, when
 * it came through proxies, its path. */
static void fill_source(const struct exh_emitter *em, const struct exh_hit *h, char **source,
                        char **path, bool *vouched)
{
    struct exh_buf src = {0}, chain = {0};
    const struct exh_scan_opts *o = em->o;
    if (exh_source_resolve(h->source_ip, h->forwarded_for, o ? o->trusted_proxies : NULL,
                           o ? o->ntrusted_proxies : 0, &src, &chain, vouched)) {
        *source = exh_dup_capped(exh_str_make(src.p, src.n), 256);
        if (path && chain.n)
            *path = exh_dup_capped(exh_str_make(chain.p, chain.n), 1024);
    }
    exh_buf_release(&src);
    exh_buf_release(&chain);
}

static void fill_common(const struct exh_emitter *em, struct exh_finding *f,
                        const struct exh_hit *h)
{
    f->rule = &exh_rules[h->rule];
    f->message = exh_xstrdup(h->message ? h->message : f->rule->summary);
    f->evidence = exh_dup_capped(h->evidence, EXH_ORIGINAL_MAX);
    fill_source(em, h, &f->source_ip, &f->forwarded_ip, &f->source_vouched);
    f->user_agent = exh_dup_capped(h->user_agent, FIELD_MAX);
    f->url = exh_dup_capped(h->url, FIELD_MAX);
    f->method = exh_dup_capped(exh_trim(h->method), 32);
    f->status = h->status;
    f->ioc_confidence = -1;
    if (h->ioc) {
        f->ioc_feed = exh_xstrdup(h->ioc->feed);
        struct exh_str v = exh_str_make(h->ioc->value, strlen(h->ioc->value));
        if (h->ioc->type == EXH_IOC_YARA) /* its first line ("rule NAME ..."), not the whole text */
            v.n = strcspn(v.p, "{\r\n");
        f->ioc_value = exh_dup_capped(exh_trim(v), 1024);
        f->ioc_meta_ = h->ioc;
        f->ioc_type = exh_ioc_type_name(h->ioc->type);
        f->ioc_title = h->ioc->title ? exh_xstrdup(h->ioc->title) : NULL;
        f->ioc_reference = h->ioc->reference ? exh_xstrdup(h->ioc->reference) : NULL;
        f->ioc_confidence = h->ioc->confidence;
    }
}

/* event.original from s: capped at EXH_ORIGINAL_MAX, with the length kept
 * (a NUL inside would cut strlen short). */
static void set_original(struct exh_finding *f, struct exh_str s)
{
    f->truncated = s.n > EXH_ORIGINAL_MAX;
    f->original = exh_dup_capped(s, EXH_ORIGINAL_MAX);
    f->original_n = f->original ? capped_len(s, EXH_ORIGINAL_MAX) : 0;
}

void exh_emit_line(struct exh_emitter *em, const struct exh_logrec *rec, const struct exh_hit *h)
{
    if (filtered_out(em, rec->has_ts, rec->ts_ms))
        return;
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    fill_common(em, &f, h);
    f.has_ts = rec->has_ts;
    f.ts_ms = rec->ts_ms;
    f.path = exh_xstrdup(rec->file->rel);
    f.line = rec->lineno;
    f.has_offset = true;
    f.offset = rec->offset;
    f.dataset = exh_family_dataset(rec->file->family);
    set_original(&f, rec->line);
    exh_emit_raw(em, &f);
}

struct exh_str exh_ev_field(const struct exh_evrec *ev, const char *name, size_t index)
{
    const struct exh_evtx_record *r = ev->r;
    if (!name)
        return index < r->nfields ? r->fields[index].value : EXH_STR_NULL;
    for (size_t i = 0; i < r->nfields; i++)
        if (exh_eq_ci(r->fields[i].name, name))
            return r->fields[i].value;
    return EXH_STR_NULL;
}

void exh_emit_event(struct exh_emitter *em, const struct exh_evrec *ev, const struct exh_hit *h)
{
    const struct exh_evtx_record *r = ev->r;
    if (filtered_out(em, r->has_time, r->time_ms))
        return;
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    fill_common(em, &f, h);
    f.has_ts = r->has_time;
    f.ts_ms = r->time_ms;
    f.path = exh_xstrdup(ev->file->rel);
    f.has_offset = true;
    f.offset = r->offset;
    f.dataset = "windows.eventlog";
    f.channel = exh_dup_capped(r->channel, 256);
    f.provider = exh_dup_capped(r->provider, 256);
    f.has_record = true;
    f.record_id = r->record_id;
    f.event_code = r->event_id;
    if (r->computer.n)
        f.host = exh_dup_capped(r->computer, 256);
    /* the event as one line of text, for event.original */
    struct exh_buf b = {0};
    exh_buf_addf(&b, "EventID=%u Provider=%.*s Channel=%.*s RecordID=%llu", r->event_id,
                 (int)r->provider.n, r->provider.p ? r->provider.p : "", (int)r->channel.n,
                 r->channel.p ? r->channel.p : "", (unsigned long long)r->record_id);
    for (size_t i = 0; i < r->nfields && b.n < EXH_ORIGINAL_MAX; i++) {
        if (r->fields[i].name.n)
            exh_buf_addf(&b, " %.*s=", (int)r->fields[i].name.n, r->fields[i].name.p);
        else
            exh_buf_addf(&b, " [%zu]=", i);
        exh_buf_add(&b, r->fields[i].value.p, r->fields[i].value.n);
    }
    set_original(&f, exh_str_make(b.p, b.n));
    exh_buf_release(&b);
    exh_emit_raw(em, &f);
}

void exh_emit_file(struct exh_emitter *em, const struct exh_file *file, const struct exh_hit *h,
                   bool has_ts, int64_t ts_ms)
{
    if (filtered_out(em, has_ts, ts_ms))
        return;
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    fill_common(em, &f, h);
    f.has_ts = has_ts;
    f.ts_ms = ts_ms;
    f.path = exh_xstrdup(file->rel);
    f.is_file = true;
    f.dataset = "exhunt.file";
    f.has_file_meta = true;
    f.file_size = file->size;
    f.file_mtime_ms = file->mtime_ms;
    f.has_offset = h->has_offset;
    f.offset = h->offset;
    if (file->has_digests) {
        exh_hex(file->dg.sha256, 32, f.sha256);
    } else if (file->data) {
        /* a file too big to be hashed up front: hashed at its first finding,
         * once, however many findings it has */
        if (!em->sha_valid || em->sha_data != file->data || em->sha_n != file->n) {
            uint8_t sha[32];
            exh_sha256(file->data, file->n, sha);
            exh_hex(sha, 32, em->sha_hex);
            em->sha_data = file->data;
            em->sha_n = file->n;
            em->sha_valid = true;
        }
        memcpy(f.sha256, em->sha_hex, sizeof(f.sha256));
    }
    exh_emit_raw(em, &f);
}

void exh_emit_file_simple(struct exh_emitter *em, const struct exh_file *f, enum exh_rule_sym rule,
                          const char *message, struct exh_str evidence)
{
    struct exh_hit h = exh_hit_make(rule, message, evidence);
    exh_emit_file(em, f, &h, true, f->mtime_ms);
}

void exh_emit_problem(struct exh_emitter *em, const struct exh_file *f, const char *what)
{
    exh_emit_error(em, f->rel, EXH_ERR_CORRUPT, what);
}

void exh_emit_error(struct exh_emitter *em, const char *path, enum exh_err code, const char *detail)
{
    if (em->ne == em->cape) {
        em->cape = em->cape ? em->cape * 2 : 16;
        em->e = exh_xrealloc(em->e, em->cape * sizeof(*em->e));
    }
    struct exh_error_rec *r = &em->e[em->ne++];
    r->path = exh_xstrdup(path);
    r->code = code;
    r->collect = false;
    r->info = false;
    struct exh_buf b = {0};
    exh_buf_adds(&b, exh_strerror(code));
    if (detail && *detail && !exh_eq_ci(exh_str_make(detail, strlen(detail)), exh_strerror(code))) {
        exh_buf_adds(&b, ": ");
        exh_buf_adds(&b, detail);
    }
    r->message = exh_buf_detach(&b);
}

void exh_emit_info(struct exh_emitter *em, const char *path, enum exh_err code, const char *detail)
{
    exh_emit_error(em, path, code, detail);
    em->e[em->ne - 1].info = true;
}

void exh_finding_release(struct exh_finding *f)
{
    free(f->path);
    free(f->message);
    free(f->evidence);
    free(f->source_ip);
    free(f->forwarded_ip);
    free(f->user_agent);
    free(f->url);
    free(f->method);
    free(f->host);
    free(f->original);
    free(f->channel);
    free(f->provider);
    free(f->ioc_feed);
    free(f->ioc_value);
    free(f->ioc_title);
    free(f->ioc_reference);
    memset(f, 0, sizeof(*f));
}

/* ------------------------------------------------- requests to pages -- */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void req_index_grow(struct exh_emitter *em)
{
    size_t cap = em->reqcap ? em->reqcap * 2 : 256;
    uint32_t *idx = exh_xmalloc(cap * sizeof(*idx));
    memset(idx, 0xFF, cap * sizeof(*idx));
    for (size_t i = 0; i < em->nreq; i++) {
        size_t h = hash_str(em->req[i].stem) & (cap - 1);
        while (idx[h] != UINT32_MAX)
            h = (h + 1) & (cap - 1);
        idx[h] = (uint32_t)i;
    }
    free(em->reqidx);
    em->reqidx = idx;
    em->reqcap = cap;
}

/* strcmp of s against the slice ip[0..n) (which holds no NUL). */
static int cmp_slice(const char *s, const char *ip, size_t n)
{
    int c = strncmp(s, ip, n);
    return c ? c : (s[n] != '\0');
}

static void add_ip(struct exh_reqagg *r, const char *ip, size_t n)
{
    if (!n || n > 64 || memchr(ip, '\0', n))
        return;
    size_t i = 0;
    while (i < r->nips && cmp_slice(r->ips[i], ip, n) < 0)
        i++;
    if ((i < r->nips && !cmp_slice(r->ips[i], ip, n)) || i >= EXH_REQ_IPS)
        return; /* known, or not among the smallest few: nothing copied */
    if (r->nips == EXH_REQ_IPS)
        free(r->ips[--r->nips]);
    memmove(r->ips + i + 1, r->ips + i, (r->nips - i) * sizeof(*r->ips));
    r->ips[i] = exh_xstrndup(ip, n);
    r->nips++;
}

/* Is a earlier than b (time, then place)? */
static bool earlier(const struct exh_finding *a, const struct exh_finding *b)
{
    if (a->has_ts != b->has_ts)
        return a->has_ts;
    if (a->has_ts && a->ts_ms != b->ts_ms)
        return a->ts_ms < b->ts_ms;
    int c = strcmp(a->path, b->path);
    return c ? c < 0 : a->line < b->line;
}

void exh_strset_add(struct exh_strset *ps, const char *url)
{
    if (exh_strset_has(ps, url))
        return;
    if ((ps->n + 1) * 2 > ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        char **slot = exh_xcalloc(cap, sizeof(*slot));
        for (size_t i = 0; i < ps->cap; i++) {
            if (!ps->slot[i])
                continue;
            size_t h = hash_str(ps->slot[i]) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = ps->slot[i];
        }
        free(ps->slot);
        ps->slot = slot;
        ps->cap = cap;
    }
    size_t h = hash_str(url) & (ps->cap - 1);
    while (ps->slot[h])
        h = (h + 1) & (ps->cap - 1);
    ps->slot[h] = exh_xstrdup(url);
    ps->n++;
}

bool exh_strset_has(const struct exh_strset *ps, const char *url)
{
    if (!ps || !ps->n)
        return false;
    size_t h = hash_str(url) & (ps->cap - 1);
    while (ps->slot[h]) {
        if (!strcmp(ps->slot[h], url))
            return true;
        h = (h + 1) & (ps->cap - 1);
    }
    return false;
}

void exh_strset_release(struct exh_strset *ps)
{
    for (size_t i = 0; i < ps->cap; i++)
        free(ps->slot[i]);
    free(ps->slot);
    memset(ps, 0, sizeof(*ps));
}

void exh_note_request(struct exh_emitter *em, const struct exh_logrec *rec, struct exh_str stem,
                      int status)
{
    if (!stem.n || !em->pages || !em->pages->n)
        return;
    /* the key ("/a//b" is served as "/a/b"): on the stack unless the stem
     * is long; copied into the table only for a page not seen before */
    char small[1025];
    char *key = stem.n < sizeof(small) ? small : exh_xmalloc(stem.n + 1);
    size_t k = 0;
    for (size_t i = 0; i < stem.n && stem.p[i]; i++)
        if (!(stem.p[i] == '/' && k && key[k - 1] == '/'))
            key[k++] = stem.p[i];
    key[k] = '\0';
    /* only pages served from a file found on disk can be a shell's */
    if (!exh_strset_has(em->pages, key)) {
        if (key != small)
            free(key);
        return;
    }
    if (em->nreq * 2 >= em->reqcap)
        req_index_grow(em);
    size_t h = hash_str(key) & (em->reqcap - 1);
    while (em->reqidx[h] != UINT32_MAX && strcmp(em->req[em->reqidx[h]].stem, key) != 0)
        h = (h + 1) & (em->reqcap - 1);
    struct exh_reqagg *r;
    if (em->reqidx[h] == UINT32_MAX) {
        if (em->nreq == em->capreq) {
            em->capreq = em->capreq ? em->capreq * 2 : 64;
            em->req = exh_xrealloc(em->req, em->capreq * sizeof(*em->req));
        }
        r = &em->req[em->nreq];
        memset(r, 0, sizeof(*r));
        r->stem = exh_xstrndup(key, k);
        em->reqidx[h] = (uint32_t)em->nreq++;
    } else {
        r = &em->req[em->reqidx[h]];
    }
    if (key != small)
        free(key);
    r->count++;
    if (rec->has_ts) {
        if (!r->has_ts || rec->ts_ms < r->first_ms)
            r->first_ms = rec->ts_ms;
        if (!r->has_ts || rec->ts_ms > r->last_ms)
            r->last_ms = rec->ts_ms;
        r->has_ts = true;
    }
    if (status < 200 || status > 299)
        return;
    r->ok++;
    struct exh_buf *url = &em->scratch[1]; /* the caller's stem lives in scratch[0] */
    exh_buf_reset(url);
    struct exh_hit h2 = {0};
    exh_hit_request_fields(rec, &h2, url);
    char *src = NULL, *path = NULL;
    bool vouched = false;
    fill_source(em, &h2, &src, &path, &vouched);
    if (src)
        add_ip(r, src, strlen(src));
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    f.has_ts = rec->has_ts;
    f.ts_ms = rec->ts_ms;
    f.path = (char *)rec->file->rel;
    f.line = rec->lineno;
    if (!r->has_ex || earlier(&f, &r->ex)) {
        exh_finding_release(&r->ex);
        memset(&r->ex, 0, sizeof(r->ex));
        r->ex.rule = &exh_rules[EXH_RULE_WSU_FOUND];
        r->ex.has_ts = rec->has_ts;
        r->ex.ts_ms = rec->ts_ms;
        r->ex.path = exh_xstrdup(rec->file->rel);
        r->ex.line = rec->lineno;
        r->ex.has_offset = true;
        r->ex.offset = rec->offset;
        r->ex.dataset = exh_family_dataset(rec->file->family);
        r->ex.source_ip = src;
        r->ex.forwarded_ip = path;
        r->ex.source_vouched = vouched;
        src = path = NULL;
        r->ex.user_agent = exh_dup_capped(h2.user_agent, FIELD_MAX);
        r->ex.url = exh_dup_capped(h2.url, FIELD_MAX);
        r->ex.method = exh_dup_capped(exh_trim(h2.method), 32);
        r->ex.status = status;
        set_original(&r->ex, rec->line);
        r->has_ex = true;
    }
    free(src);
    free(path);
}

void exh_reqagg_release(struct exh_reqagg *r)
{
    free(r->stem);
    for (size_t i = 0; i < r->nips; i++)
        free(r->ips[i]);
    if (r->has_ex)
        exh_finding_release(&r->ex);
    memset(r, 0, sizeof(*r));
}

void exh_reqagg_merge(struct exh_reqagg *dst, struct exh_reqagg *src)
{
    dst->count += src->count;
    dst->ok += src->ok;
    if (src->has_ts) {
        if (!dst->has_ts || src->first_ms < dst->first_ms)
            dst->first_ms = src->first_ms;
        if (!dst->has_ts || src->last_ms > dst->last_ms)
            dst->last_ms = src->last_ms;
        dst->has_ts = true;
    }
    for (size_t i = 0; i < src->nips; i++)
        add_ip(dst, src->ips[i], strlen(src->ips[i]));
    if (src->has_ex && (!dst->has_ex || earlier(&src->ex, &dst->ex))) {
        if (dst->has_ex)
            exh_finding_release(&dst->ex);
        dst->ex = src->ex;
        dst->has_ex = true;
        src->has_ex = false;
    }
    exh_reqagg_release(src);
}
