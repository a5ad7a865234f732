/* emit.c: turning detector hits into owned findings and error records. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/hash.h"
#include "exh/banned.h"

#define FIELD_MAX 2048

void exh_emitter_init(struct exh_emitter *em, const struct exh_scan_opts *o,
                      const struct exh_iocset *iocs)
{
    memset(em, 0, sizeof(*em));
    em->o = o;
    em->iocs = iocs;
}

const struct exh_iocset *exh_emit_iocs(const struct exh_emitter *em)
{
    return em->iocs;
}

const struct exh_yara *exh_emit_yara(const struct exh_emitter *em)
{
    return em->yara;
}

char *exh_dup_capped(struct exh_str s, size_t max)
{
    if (!s.n || !s.p)
        return NULL;
    size_t n = s.n > max ? max : s.n;
    /* do not cut a UTF-8 sequence in half */
    if (n < s.n)
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
            n--;
    return exh_xstrndup(s.p, n);
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

static void fill_common(struct exh_finding *f, const struct exh_hit *h)
{
    f->rule = &exh_rules[h->rule];
    f->message = exh_xstrdup(h->message ? h->message : f->rule->summary);
    f->evidence = exh_dup_capped(h->evidence, EXH_ORIGINAL_MAX);
    f->source_ip = exh_dup_capped(exh_trim(h->source_ip), 256);
    f->user_agent = exh_dup_capped(h->user_agent, FIELD_MAX);
    f->url = exh_dup_capped(h->url, FIELD_MAX);
    f->method = exh_dup_capped(exh_trim(h->method), 32);
    f->status = h->status;
}

void exh_emit_line(struct exh_emitter *em, const struct exh_logrec *rec, const struct exh_hit *h)
{
    if (filtered_out(em, rec->has_ts, rec->ts_ms))
        return;
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    fill_common(&f, h);
    f.has_ts = rec->has_ts;
    f.ts_ms = rec->ts_ms;
    f.path = exh_xstrdup(rec->file->rel);
    f.line = rec->lineno;
    f.has_offset = true;
    f.offset = rec->offset;
    f.dataset = exh_family_dataset(rec->file->family);
    size_t n = rec->line.n;
    f.truncated = n > EXH_ORIGINAL_MAX;
    f.original = exh_dup_capped(rec->line, EXH_ORIGINAL_MAX);
    f.original_n = f.original ? strlen(f.original) : 0;
    /* a NUL inside the line would cut strlen short: keep the real length */
    if (f.original && memchr(rec->line.p, 0, n > EXH_ORIGINAL_MAX ? EXH_ORIGINAL_MAX : n))
        f.original_n = n > EXH_ORIGINAL_MAX ? EXH_ORIGINAL_MAX : n;
    exh_emit_raw(em, &f);
}

void exh_emit_file(struct exh_emitter *em, const struct exh_file *file, const struct exh_hit *h,
                   bool has_ts, int64_t ts_ms)
{
    if (filtered_out(em, has_ts, ts_ms))
        return;
    struct exh_finding f;
    memset(&f, 0, sizeof(f));
    fill_common(&f, h);
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
    uint8_t sha[32];
    if (file->has_digests)
        exh_hex(file->dg.sha256, 32, f.sha256);
    else if (file->data) {
        exh_sha256(file->data, file->n, sha);
        exh_hex(sha, 32, f.sha256);
    }
    exh_emit_raw(em, &f);
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
    struct exh_buf b = {0};
    exh_buf_adds(&b, exh_strerror(code));
    if (detail && *detail &&
        !exh_eq_ci(exh_str_make(detail, strlen(detail)), exh_strerror(code))) {
        exh_buf_adds(&b, ": ");
        exh_buf_adds(&b, detail);
    }
    r->message = exh_buf_detach(&b);
}

void exh_finding_release(struct exh_finding *f)
{
    free(f->path);
    free(f->message);
    free(f->evidence);
    free(f->source_ip);
    free(f->user_agent);
    free(f->url);
    free(f->method);
    free(f->host);
    free(f->original);
    memset(f, 0, sizeof(*f));
}
