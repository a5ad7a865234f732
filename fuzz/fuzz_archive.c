/* fuzz_archive.c: the archive layer (src/read/zip.c, src/read/unpack.c) on
 * arbitrary bytes.
 *
 * 1. exh_zip_dir over the whole input, twice (the same answer both times),
 *    then over an exact-size prefix cut where byte 0 says;
 * 2. for every entry exh_zip_member, with a full and with a short reason
 *    buffer (the last byte chooses its size); for up to AR_MAX_UNPACKS
 *    entries (each 512 KiB of output counts as one more) whose member is OK or TRUNCATED and whose
 * method is 0 or 8, exh_unpack (raw DEFLATE) on an exact-size copy of the member's bytes, within
 * small limits (4 MiB, ratio 200) so that the fuzzer stays fast;
 * 3. exh_unpack GZIP and DEFLATE over the whole input, then again within a
 *    small size limit the last byte chooses; exh_gzip_name.
 * Checks: the directory's names lie inside the buffer, after a central
 * header ("PK\1\2" 46 bytes before, with that name length) or a local one
 * ("PK\3\4" 30 bytes before, at the entry's offset) when no_directory;
 * no_directory means code != EXH_OK; the reason is set exactly when code
 * is not EXH_OK; `overlaps` is -1 or an entry laid out before this one
 * whose bytes (local header to end of data) reach into this one's, the
 * first such, and every entry with such a neighbour has it; a member's data
 * lies inside the buffer right after its local header, its length is the
 * entry's compressed size (OK) or what is left (TRUNCATED, unknown sizes);
 * walked entries always have their header; unpacked output is at most
 * max_out, `used` at most the input, a LIMIT code sets exactly one of
 * limit_ratio/limit_size (each where its limit truly was reached), every
 * other code neither; TRUNCATED and gzip OK used the whole input; a DEFLATE
 * stream read to its end reads the same from only the bytes it used; a
 * second call gives the same result (when the output is at most 256 KiB,
 * for speed); a gzip name lies inside the header and
 * ends at a NUL. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/err.h"
#include "exh/unpack.h"
#include "exh/zip.h"
#include "fuzz.h"
#include "exh/banned.h"

#define AR_MAX_OUT ((uint64_t)4 << 20)
#define AR_RATIO 200u
#define AR_GRACE ((uint64_t)1 << 20) /* unpack.c's RATIO_GRACE */
#define AR_MAX_UNPACKS 8
#define AR_AGAIN_MAX ((size_t)256 << 10) /* a second call when the output is this small */
#define AR_NAIVE_MAX 256                 /* the O(n^2) overlap check runs up to this many entries */

static bool ar_why_ok(const char *why, size_t cap, bool set)
{
    if (!memchr(why, 0, cap))
        return false;
    return set ? why[0] != '\0' : why[0] == '\0';
}

/* unpack.c's answer is well formed and true to its limits. */
static void ar_check_unpacked(const struct exh_unpacked *u, size_t n,
                              const struct exh_unpack_limits *lim)
{
    EXH_FUZZ_CHECK(u->out.n <= lim->max_out);
    EXH_FUZZ_CHECK(u->used <= n);
    EXH_FUZZ_CHECK(!u->out.n || (u->out.p && u->out.n <= u->out.cap));
    if (u->out.n) /* its ends (all of it would slow the fuzzer down) */
        exh_fuzz_touch(u->out.p + u->out.n - 1, 1);
    exh_fuzz_touch(u->out.p, u->out.n ? 1 : 0);
    EXH_FUZZ_CHECK(u->code == EXH_OK || u->code == EXH_ERR_LIMIT || u->code == EXH_ERR_CORRUPT ||
                   u->code == EXH_ERR_TRUNCATED);
    EXH_FUZZ_CHECK(ar_why_ok(u->why, sizeof(u->why), u->code != EXH_OK));
    if (u->code == EXH_ERR_LIMIT)
        EXH_FUZZ_CHECK(u->limit_ratio != u->limit_size);
    else
        EXH_FUZZ_CHECK(!u->limit_ratio && !u->limit_size);
    if (u->limit_size)
        EXH_FUZZ_CHECK(u->out.n == lim->max_out);
    if (u->limit_ratio) {
        EXH_FUZZ_CHECK(u->out.n > AR_GRACE && u->used > 0);
        EXH_FUZZ_CHECK(u->out.n / u->used >= lim->max_ratio);
    }
    if (u->code == EXH_ERR_TRUNCATED)
        EXH_FUZZ_CHECK(u->used == n);
}

static void ar_same_unpacked(const struct exh_unpacked *a, const struct exh_unpacked *b)
{
    EXH_FUZZ_CHECK(a->code == b->code && a->used == b->used && a->out.n == b->out.n);
    EXH_FUZZ_CHECK(a->limit_ratio == b->limit_ratio && a->limit_size == b->limit_size);
    EXH_FUZZ_CHECK(!a->out.n || !memcmp(a->out.p, b->out.p, a->out.n));
    EXH_FUZZ_CHECK(!strcmp(a->why, b->why));
}

/* Returns the size of the output. */
static size_t ar_unpack_within(enum exh_unpack_kind kind, const uint8_t *in, size_t n,
                               uint64_t expect, struct exh_unpack_limits lim)
{
    struct exh_unpacked u, again;
    exh_unpack(kind, in, n, expect, &lim, &u);
    ar_check_unpacked(&u, n, &lim);
    if (u.out.n <= AR_AGAIN_MAX) {
        exh_unpack(kind, in, n, expect, &lim, &again);
        ar_same_unpacked(&u, &again);
        exh_unpacked_release(&again);
    }
    if (kind == EXH_UNPACK_GZIP && u.code == EXH_OK)
        EXH_FUZZ_CHECK(u.used == n);
    /* a stream read to its end, well below the ratio's grace (so that where
     * the ratio is judged cannot differ): only the bytes it used matter */
    if (kind == EXH_UNPACK_DEFLATE && u.code == EXH_OK && u.used < n && u.out.n <= AR_AGAIN_MAX) {
        uint8_t *cut = exh_fuzz_dup(in, u.used);
        exh_unpack(kind, cut, u.used, expect, &lim, &again);
        ar_same_unpacked(&u, &again);
        exh_unpacked_release(&again);
        free(cut);
    }
    size_t out = u.out.n;
    exh_unpacked_release(&u);
    return out;
}

static size_t ar_unpack(enum exh_unpack_kind kind, const uint8_t *in, size_t n, uint64_t expect)
{
    return ar_unpack_within(kind, in, n, expect, (struct exh_unpack_limits){AR_MAX_OUT, AR_RATIO});
}

/* Where e's data starts (after its local header), 0 without one: what
 * zip.c's data_start should say, written again. */
static uint64_t ar_data_start(const uint8_t *p, size_t n, const struct exh_zip_entry *e)
{
    if (e->lho >= n || n - e->lho < 30)
        return 0;
    const uint8_t *h = p + e->lho;
    if (h[0] != 'P' || h[1] != 'K' || h[2] != 3 || h[3] != 4)
        return 0;
    uint64_t s = e->lho + 30 + exh_rd16(h + 26) + exh_rd16(h + 28);
    return s <= n ? s : 0;
}

struct ar_span {
    uint64_t lo, hi;
    bool has;
};

static struct ar_span ar_span_of(const uint8_t *p, size_t n, const struct exh_zip_entry *e)
{
    struct ar_span s = {0, 0, false};
    uint64_t ds = ar_data_start(p, n, e);
    if (!ds)
        return s;
    s.has = true;
    s.lo = e->lho;
    s.hi = e->sizes_known && e->csize <= n - ds ? ds + e->csize : ds;
    return s;
}

/* j is laid out before i: a lower offset, or the same one and a lower index */
static bool ar_before(const struct ar_span *s, size_t j, size_t i)
{
    return s[j].lo < s[i].lo || (s[j].lo == s[i].lo && j < i);
}

static void ar_check_overlaps(const uint8_t *p, size_t n, const struct exh_zip_dir *d)
{
    struct ar_span *s = malloc((d->n ? d->n : 1) * sizeof(*s));
    if (!s)
        abort();
    for (size_t i = 0; i < d->n; i++)
        s[i] = ar_span_of(p, n, &d->e[i]);
    for (size_t i = 0; i < d->n; i++) {
        int64_t o = d->e[i].overlaps;
        EXH_FUZZ_CHECK(o == -1 || (o >= 0 && (uint64_t)o < d->n && (size_t)o != i));
        if (!s[i].has) {
            EXH_FUZZ_CHECK(o == -1);
            continue;
        }
        if (o >= 0) {
            size_t j = (size_t)o;
            EXH_FUZZ_CHECK(s[j].has && ar_before(s, j, i) && s[j].hi > s[i].lo);
        }
        if (d->n > AR_NAIVE_MAX)
            continue;
        /* the first laid out of those reaching into i, and none missed */
        size_t first = d->n;
        for (size_t j = 0; j < d->n; j++)
            if (j != i && s[j].has && ar_before(s, j, i) && s[j].hi > s[i].lo &&
                (first == d->n || ar_before(s, j, first)))
                first = j;
        EXH_FUZZ_CHECK(first == d->n ? o == -1 : o == (int64_t)first);
    }
    free(s);
}

static void ar_check_entry(const uint8_t *p, size_t n, const struct exh_zip_dir *d, size_t i)
{
    const struct exh_zip_entry *e = &d->e[i];
    EXH_FUZZ_CHECK(e->name != NULL && exh_fuzz_inside(e->name, e->name_len, p, n));
    EXH_FUZZ_CHECK(e->name_len <= 0xFFFF);
    exh_fuzz_touch(e->name, e->name_len);
    size_t at = (size_t)(e->name - p);
    if (e->is_dir)
        EXH_FUZZ_CHECK(e->name_len && e->name[e->name_len - 1] == '/');
    if (d->no_directory || e->unlisted) {
        /* found by its local header, right before the name (without a
         * directory, or in a gap the directory leaves: unlisted) */
        EXH_FUZZ_CHECK(!d->no_directory || !e->unlisted);
        EXH_FUZZ_CHECK(e->name_len > 0 && at >= 30 && e->lho == at - 30);
        EXH_FUZZ_CHECK(!memcmp(p + at - 30, "PK\3\4", 4) && exh_rd16(p + at - 4) == e->name_len);
        EXH_FUZZ_CHECK(e->csize <= 0xFFFFFFFFu && e->usize <= 0xFFFFFFFFu);
        EXH_FUZZ_CHECK(e->sizes_known == (!(e->flags & 8) && e->csize != 0xFFFFFFFFu));
        EXH_FUZZ_CHECK(ar_data_start(p, n, e) != 0);
        if (i && (d->no_directory || d->e[i - 1].unlisted))
            EXH_FUZZ_CHECK(e->lho > d->e[i - 1].lho);
        if (e->unlisted) /* in a gap before the directory, after any prefix */
            EXH_FUZZ_CHECK(e->lho >= d->prefix);
    } else {
        EXH_FUZZ_CHECK(!i || !d->e[i - 1].unlisted); /* the listed ones come first */
        EXH_FUZZ_CHECK(at >= 46 && !memcmp(p + at - 46, "PK\1\2", 4));
        EXH_FUZZ_CHECK(exh_rd16(p + at - 46 + 28) == e->name_len);
        EXH_FUZZ_CHECK(e->sizes_known);
        if (i)
            EXH_FUZZ_CHECK(e->name > d->e[i - 1].name + d->e[i - 1].name_len);
    }
}

static bool ar_same_entry(const struct exh_zip_entry *a, const struct exh_zip_entry *b)
{
    return a->name == b->name && a->name_len == b->name_len && a->lho == b->lho &&
           a->csize == b->csize && a->usize == b->usize && a->crc == b->crc &&
           a->method == b->method && a->flags == b->flags && a->sizes_known == b->sizes_known &&
           a->is_dir == b->is_dir && a->overlaps == b->overlaps && a->unlisted == b->unlisted;
}

/* exh_zip_member on entry e, with a short reason buffer of whylen too. */
static void ar_member(const uint8_t *p, size_t n, const struct exh_zip_entry *e, bool walked,
                      size_t whylen, unsigned *unpacks)
{
    const uint8_t *data = (const uint8_t *)"x";
    size_t len = 7;
    char why[160];
    memset(why, 'x', sizeof(why));
    enum exh_err rc = exh_zip_member(p, n, e, &data, &len, why, sizeof(why));
    EXH_FUZZ_CHECK(rc == EXH_OK || rc == EXH_ERR_CORRUPT || rc == EXH_ERR_TRUNCATED);
    EXH_FUZZ_CHECK(memchr(why, 0, sizeof(why)) != NULL);
    if (rc != EXH_OK)
        EXH_FUZZ_CHECK(why[0] != '\0');
    uint64_t ds = ar_data_start(p, n, e);
    if (rc == EXH_ERR_CORRUPT) {
        EXH_FUZZ_CHECK(!walked);
        EXH_FUZZ_CHECK(data == NULL && len == 0);
        EXH_FUZZ_CHECK(!ds || exh_rd16(p + e->lho + 8) != e->method);
    } else {
        EXH_FUZZ_CHECK(ds && data == p + ds && exh_rd16(p + e->lho + 8) == e->method);
        EXH_FUZZ_CHECK(exh_fuzz_inside(data, len, p, n));
        if (!e->sizes_known)
            EXH_FUZZ_CHECK(rc == EXH_OK && len == n - ds);
        else if (rc == EXH_OK)
            EXH_FUZZ_CHECK(len == e->csize);
        else
            EXH_FUZZ_CHECK(len == n - ds && len < e->csize);
        exh_fuzz_touch(data, len);
    }

    /* the same answer with a short reason buffer, the reason cut */
    const uint8_t *data2;
    size_t len2;
    char short_why[65];
    memset(short_why, 'x', sizeof(short_why));
    enum exh_err rc2 = exh_zip_member(p, n, e, &data2, &len2, short_why, whylen);
    EXH_FUZZ_CHECK(rc2 == rc && data2 == data && len2 == len);
    EXH_FUZZ_CHECK(memchr(short_why, 0, whylen) != NULL);
    EXH_FUZZ_CHECK(!strncmp(short_why, why, whylen - 1));
    for (size_t k = whylen; k < sizeof(short_why); k++)
        EXH_FUZZ_CHECK(short_why[k] == 'x');

    if ((rc == EXH_OK || rc == EXH_ERR_TRUNCATED) && exh_zip_method_ok(e->method) &&
        *unpacks < AR_MAX_UNPACKS) {
        uint8_t *copy = exh_fuzz_dup(data, len);
        size_t out = ar_unpack(EXH_UNPACK_DEFLATE, copy, len, e->sizes_known ? e->usize : 0);
        *unpacks += 1 + (unsigned)(out >> 19); /* a bomb counts as several */
        free(copy);
    }
}

static void ar_dir(const uint8_t *p, size_t n, size_t whylen)
{
    struct exh_zip_dir d, again;
    bool is_zip = exh_zip_dir(p, n, &d);
    bool is_zip2 = exh_zip_dir(p, n, &again);
    EXH_FUZZ_CHECK(is_zip == is_zip2);
    EXH_FUZZ_CHECK(memchr(d.why, 0, sizeof(d.why)) != NULL);
    if (!is_zip) {
        EXH_FUZZ_CHECK(d.n == 0 && d.e == NULL && d.code == EXH_OK && !d.no_directory);
        return;
    }
    EXH_FUZZ_CHECK(d.n == again.n && d.code == again.code && d.zip64 == again.zip64 &&
                   d.no_directory == again.no_directory && !strcmp(d.why, again.why));
    for (size_t i = 0; i < d.n; i++)
        EXH_FUZZ_CHECK(ar_same_entry(&d.e[i], &again.e[i]));
    exh_zip_dir_release(&again);

    EXH_FUZZ_CHECK(d.n <= EXH_ZIP_MAX_NAMES);
    EXH_FUZZ_CHECK(ar_why_ok(d.why, sizeof(d.why), d.code != EXH_OK));
    EXH_FUZZ_CHECK(d.code == EXH_OK || d.code == EXH_ERR_CORRUPT || d.code == EXH_ERR_TRUNCATED);
    if (d.no_directory) {
        EXH_FUZZ_CHECK(d.code != EXH_OK);
        EXH_FUZZ_CHECK(d.n <= n / 31);
    } else {
        EXH_FUZZ_CHECK(d.n <= n / 46);
    }
    if (d.n)
        EXH_FUZZ_CHECK(d.e != NULL);
    for (size_t i = 0; i < d.n; i++)
        ar_check_entry(p, n, &d, i);
    ar_check_overlaps(p, n, &d);

    unsigned unpacks = 0;
    for (size_t i = 0; i < d.n; i++)
        ar_member(p, n, &d.e[i], d.no_directory, whylen, &unpacks);
    exh_zip_dir_release(&d);
    EXH_FUZZ_CHECK(d.e == NULL && d.n == 0);
}

static void ar_gzip_name(const uint8_t *p, size_t n)
{
    size_t len = 99;
    const uint8_t *name = exh_gzip_name(p, n, &len);
    if (!name) {
        EXH_FUZZ_CHECK(len == 0);
        return;
    }
    EXH_FUZZ_CHECK(n >= 10 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && (p[3] & 8));
    EXH_FUZZ_CHECK(len > 0 && name >= p + 10 && exh_fuzz_inside(name, len + 1, p, n));
    EXH_FUZZ_CHECK(name[len] == 0 && !memchr(name, 0, len));
    /* without FEXTRA the name follows the 10-byte header */
    if (!(p[3] & 4))
        EXH_FUZZ_CHECK(name == p + 10);
}

int exh_fuzz_archive(const uint8_t *data, size_t size)
{
    size_t whylen = size ? 1 + (size_t)data[size - 1] % 64 : 1;

    /* 1, 2: the whole input as a zip, and an exact-size prefix */
    ar_dir(data, size, whylen);
    if (size > 1) {
        size_t cut = (size_t)data[0] * 257 % size;
        uint8_t *copy = exh_fuzz_dup(data, cut);
        ar_dir(copy, cut, whylen);
        free(copy);
    }

    /* 3: the whole input as gzip, and as a raw deflate stream */
    ar_unpack(EXH_UNPACK_GZIP, data, size, 0);
    ar_unpack(EXH_UNPACK_DEFLATE, data, size, 0);
    /* again within a small size limit the last byte chooses (0 to 4080
     * bytes), no ratio: the full buffer's probe and limit_size */
    struct exh_unpack_limits tiny = {size ? (uint64_t)data[size - 1] * 16 : 0, 0};
    ar_unpack_within(EXH_UNPACK_GZIP, data, size, 0, tiny);
    ar_unpack_within(EXH_UNPACK_DEFLATE, data, size, tiny.max_out, tiny);
    ar_gzip_name(data, size);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_archive(data, size);
}
#endif
