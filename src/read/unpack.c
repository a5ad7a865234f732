/* unpack.c: inflate with zlib, inside limits: a ratio limit that stops a
 * zip bomb within the first megabytes, and a size limit on the output.
 * The input is a mapped archive; the output a buffer in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/unpack.h"
#ifdef EXH_HAVE_ZLIB
#include <zlib.h>
#endif
#include "exh/banned.h"

#define RATIO_GRACE ((uint64_t)1 << 20) /* the ratio is judged past this much output */
#define STEP ((size_t)1 << 20)          /* output asked of zlib per call, at most */
#define FIRST_STEP ((size_t)64 << 10)   /* ... at first: the step grows with the output */

bool exh_unpack_available(void)
{
#ifdef EXH_HAVE_ZLIB
    return true;
#else
    return false;
#endif
}

void exh_unpacked_release(struct exh_unpacked *u)
{
    exh_buf_release(&u->out);
}

static void fail(struct exh_unpacked *u, enum exh_err code, const char *fmt, const char *detail)
{
    if (u->code != EXH_OK)
        return;
    u->code = code;
    snprintf(u->why, sizeof(u->why), fmt, detail);
}

const uint8_t *exh_gzip_name(const uint8_t *in, size_t n, size_t *len)
{
    *len = 0;
    if (n < 10 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
        return NULL;
    uint8_t flg = in[3];
    size_t at = 10;
    if (flg & 4) { /* FEXTRA */
        if (at + 2 > n)
            return NULL;
        at += 2 + (size_t)exh_rd16(in + at);
    }
    if (!(flg & 8) || at >= n) /* no FNAME */
        return NULL;
    const uint8_t *z = memchr(in + at, 0, n - at);
    if (!z || z == in + at)
        return NULL;
    *len = (size_t)(z - (in + at));
    return in + at;
}

#ifdef EXH_HAVE_ZLIB
/* zlib counts in uInt: feed at most this much input per call */
#define IN_STEP ((size_t)1 << 30)

/* Room for `room` more bytes in b, its capacity never past max + 1 (the
 * doubling of exh_buf_grow would reach twice the limit). */
static void reserve_upto(struct exh_buf *b, size_t room, uint64_t max)
{
    size_t need = b->n + room + 1;
    if (need <= b->cap)
        return;
    uint64_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (cap > max + 1)
        cap = max + 1; /* still >= need: n + room <= max */
    b->p = exh_xrealloc(b->p, (size_t)cap);
    b->cap = (size_t)cap;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}
#endif

void exh_unpack(enum exh_unpack_kind kind, const uint8_t *in, size_t n, uint64_t expect,
                const struct exh_unpack_limits *lim, struct exh_unpacked *u)
{
    memset(u, 0, sizeof(*u));
#ifndef EXH_HAVE_ZLIB
    (void)kind;
    (void)in;
    (void)n;
    (void)expect;
    (void)lim;
    fail(u, EXH_ERR_UNSUPPORTED, "%s",
         "this build of exhunt has no zlib: it reads no compressed data");
#else
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, kind == EXH_UNPACK_GZIP ? 16 + MAX_WBITS : -MAX_WBITS) != Z_OK) {
        fail(u, EXH_ERR_CORRUPT, "%s", "zlib could not start");
        return;
    }
    uint64_t max = lim->max_out;
    /* a gzip file records its size (mod 2^32, of its last member) in its
     * last four bytes: the buffer is sized once, not doubled past it */
    if (!expect && kind == EXH_UNPACK_GZIP && n >= 18)
        expect = exh_rd32(in + n - 4);
    /* the size expected sizes the buffer once when these bytes can give it
     * (deflate makes at most 1032 bytes of one) within the ratio limit: a
     * directory's lie reserves nothing */
    if (expect && expect < max && expect / 1032 <= n &&
        (!lim->max_ratio || expect <= RATIO_GRACE || expect / lim->max_ratio <= n))
        reserve_upto(&u->out, (size_t)expect, expect); /* exactly: no doubling */
    size_t at = 0;                                     /* input consumed so far */
    unsigned members = 0;
    /* full: is there more? one byte of room tells. It lives as long as z
     * may write it (inflate is called outside the branch that points at
     * it; zlib also reads it back into its window) */
    uint8_t probe;
    for (;;) {
        if (u->out.n >= max) {
            z.next_out = &probe;
            z.avail_out = 1;
        } else {
            /* most members are small: a buffer that grows with the output
             * (a first step of STEP made every one a 2 MiB allocation) */
            size_t room = u->out.n < FIRST_STEP ? FIRST_STEP : u->out.n < STEP ? u->out.n : STEP;
            if (max - u->out.n < room)
                room = (size_t)(max - u->out.n);
            reserve_upto(&u->out, room, max);
            z.next_out = (Bytef *)u->out.p + u->out.n;
            z.avail_out = (uInt)room;
        }
        size_t give = n - at < IN_STEP ? n - at : IN_STEP;
        z.next_in = (Bytef *)(uintptr_t)(in + at);
        z.avail_in = (uInt)give;
        uInt out0 = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        size_t got = out0 - z.avail_out;
        at += give - z.avail_in;
        if (u->out.n >= max && got) {
            u->limit_size = true;
            char d[64];
            snprintf(d, sizeof(d), "%llu", (unsigned long long)max);
            fail(u, EXH_ERR_LIMIT,
                 "it unpacks to more than %s bytes (the size limit, --max-member or "
                 "--max-unpacked): the rest was not read",
                 d);
            break;
        }
        u->out.n += got;
        if (lim->max_ratio && u->out.n > RATIO_GRACE && at &&
            u->out.n / at >= (uint64_t)lim->max_ratio) {
            u->limit_ratio = true;
            char d[64];
            snprintf(d, sizeof(d), "%u", lim->max_ratio);
            fail(u, EXH_ERR_LIMIT,
                 "it unpacks to over %s times its packed size (a zip bomb? the ratio limit, "
                 "--max-ratio): the rest was not read",
                 d);
            break;
        }
        if (rc == Z_STREAM_END) {
            members++;
            if (kind != EXH_UNPACK_GZIP || at >= n)
                break;
            if (n - at >= 2 && in[at] == 0x1f && in[at + 1] == 0x8b) {
                inflateReset(&z); /* another gzip member follows */
                continue;
            }
            if (!all_zero(in + at, n - at)) {
                char d[64];
                snprintf(d, sizeof(d), "%llu", (unsigned long long)(n - at));
                fail(u, EXH_ERR_CORRUPT,
                     "%s bytes after the compressed data are not gzip (trailing junk, not read)",
                     d);
            }
            at = n;
            break;
        }
        if (rc == Z_BUF_ERROR && at >= n && z.avail_out) {
            fail(u, EXH_ERR_TRUNCATED, "%s",
                 "the compressed data ends early (truncated): what came before was read");
            break;
        }
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
            fail(u, rc == Z_MEM_ERROR ? EXH_ERR_LIMIT : EXH_ERR_CORRUPT,
                 "the compressed data is damaged (zlib: %s): what came before was read",
                 z.msg ? z.msg : "error");
            break;
        }
        if (!got && give == z.avail_in) { /* neither in nor out: no way on */
            fail(u, EXH_ERR_CORRUPT, "%s", "the compressed data makes no progress (damaged)");
            break;
        }
        if (!got && at >= n) { /* nothing more to give and nothing came */
            fail(u, EXH_ERR_TRUNCATED, "%s",
                 "the compressed data ends early (truncated): what came before was read");
            break;
        }
    }
    (void)members;
    u->used = at;
    inflateEnd(&z);
#endif
}
