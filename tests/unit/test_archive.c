/* test_archive.c: the archive layer (src/read/zip.c, src/read/unpack.c) on
 * archives written here, in memory, by a small zip writer of the test's own
 * (local headers, central directory, end record, ZIP64 end record and extra
 * field; stored and raw deflate members through zlib) and by hand-made gzip
 * members; then the same archives made to lie one field at a time. Every
 * read runs on a heap copy of exactly the bytes given, so ASan sees any
 * overread. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "exh/core.h"
#include "exh/err.h"
#include "exh/unpack.h"
#include "exh/zip.h"
#include "t.h"

/* ---- bytes ---- */

static void put16(struct exh_buf *b, uint32_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    exh_buf_add(b, x, 2);
}

static void put32(struct exh_buf *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}

static void put64(struct exh_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

static void set16(struct exh_buf *b, size_t at, uint32_t v)
{
    b->p[at] = (char)(uint8_t)v;
    b->p[at + 1] = (char)(uint8_t)(v >> 8);
}

static void set32(struct exh_buf *b, size_t at, uint32_t v)
{
    set16(b, at, v & 0xFFFF);
    set16(b, at + 2, v >> 16);
}

/* An exactly sized heap copy of p[0..n) (freed by the caller). */
static uint8_t *exact(const void *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (!c)
        abort();
    if (n)
        memcpy(c, p, n);
    return c;
}

/* Raw deflate (zip method 8) of in[0..n): *out is malloc'd. */
static size_t raw_deflate(const uint8_t *in, size_t n, uint8_t **out)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = deflateBound(&z, (uLong)n) + 16;
    *out = malloc(cap);
    if (!*out)
        abort();
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = *out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

/* Text that packs about 10:1, like a log. */
static uint8_t *log_text(size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        abort();
    char line[96];
    size_t at = 0;
    for (unsigned i = 0; at < n; i++) {
        int k = snprintf(line, sizeof(line),
                         "2021-03-03T02:%02u:%02u.%03uZ,10.0.%u.%u,POST /ecp/%u.js\n", i / 60 % 60,
                         i % 60, i * 7 % 1000, i % 7, i * 13 % 251, i * 31 % 97);
        for (int j = 0; j < k && at < n; j++)
            p[at++] = (uint8_t)line[j];
    }
    return p;
}

/* The text every test packs (made once, by main). */
#define TEXT_LEN 60000
static uint8_t *text;

/* ---- a zip writer ---- */

struct zm {
    const char *name;
    const uint8_t *data;
    size_t len;
    uint16_t method; /* 0 or 8 */
    bool zip64;      /* sizes and offset in a ZIP64 extra field */
    /* set by zw_local */
    uint8_t *packed;
    size_t plen;
    uint32_t crc;
    uint64_t lho;
};

static void zm_pack(struct zm *m)
{
    m->crc = (uint32_t)crc32(0, m->data, (uInt)m->len);
    if (m->method == 8) {
        m->plen = raw_deflate(m->data, m->len, &m->packed);
    } else {
        m->packed = exact(m->data, m->len);
        m->plen = m->len;
    }
}

/* What local and central headers share, from "version needed" to the
 * extra field's length (for a ZIP64 member, a field of zip64_values
 * 8-byte values). */
static void zw_fields(struct exh_buf *b, const struct zm *m, uint32_t zip64_values)
{
    put16(b, m->zip64 ? 45 : 20);
    put16(b, 0);
    put16(b, m->method);
    put16(b, 0);
    put16(b, 0x21);
    put32(b, m->crc);
    put32(b, m->zip64 ? 0xFFFFFFFFu : (uint32_t)m->plen);
    put32(b, m->zip64 ? 0xFFFFFFFFu : (uint32_t)m->len);
    put16(b, (uint32_t)strlen(m->name));
    put16(b, m->zip64 ? 4 + 8 * zip64_values : 0);
}

/* The name, then the ZIP64 extra field (sizes, and the offset when
 * with_offset) of a ZIP64 member. */
static void zw_name_extra(struct exh_buf *b, const struct zm *m, bool with_offset)
{
    exh_buf_adds(b, m->name);
    if (!m->zip64)
        return;
    put16(b, 1);
    put16(b, with_offset ? 24 : 16);
    put64(b, m->len);
    put64(b, m->plen);
    if (with_offset)
        put64(b, m->lho);
}

static void zw_local(struct exh_buf *b, struct zm *m)
{
    zm_pack(m);
    m->lho = b->n;
    put32(b, 0x04034b50u);
    zw_fields(b, m, 2);
    zw_name_extra(b, m, false);
    exh_buf_add(b, m->packed, m->plen);
}

static void zw_central(struct exh_buf *b, const struct zm *m)
{
    put32(b, 0x02014b50u);
    put16(b, m->zip64 ? 45 : 20); /* version made by */
    zw_fields(b, m, 3);
    put16(b, 0); /* comment */
    put16(b, 0); /* disk */
    put16(b, 0); /* internal attributes */
    put32(b, 0); /* external attributes */
    put32(b, m->zip64 ? 0xFFFFFFFFu : (uint32_t)m->lho);
    zw_name_extra(b, m, true);
}

static void zw_end(struct exh_buf *b, uint32_t count, uint32_t cd_size, uint32_t cd_off)
{
    put32(b, 0x06054b50u);
    put16(b, 0);
    put16(b, 0);
    put16(b, count);
    put16(b, count);
    put32(b, cd_size);
    put32(b, cd_off);
    put16(b, 0);
}

/* A ZIP64 end record, its locator, and an end record that defers to them. */
static void zw_end64(struct exh_buf *b, uint64_t count, uint64_t cd_size, uint64_t cd_off,
                     uint64_t at)
{
    put32(b, 0x06064b50u);
    put64(b, 44);
    put16(b, 45);
    put16(b, 45);
    put32(b, 0);
    put32(b, 0);
    put64(b, count);
    put64(b, count);
    put64(b, cd_size);
    put64(b, cd_off);
    put32(b, 0x07064b50u);
    put32(b, 0);
    put64(b, at);
    put32(b, 1);
    zw_end(b, 0xFFFF, 0xFFFFFFFFu, 0xFFFFFFFFu);
}

/* The whole archive: `prefix` bytes first (offsets written as if the
 * archive began at 0, as a self-extracting file has them). */
static void zw_build(struct exh_buf *b, struct zm *ms, size_t k, size_t prefix, bool zip64)
{
    for (size_t i = 0; i < prefix; i++)
        exh_buf_addc(b, (char)(i % 2 ? 0x90 : 'M'));
    struct exh_buf body = {0};
    for (size_t i = 0; i < k; i++)
        zw_local(&body, &ms[i]);
    size_t cd_off = body.n;
    for (size_t i = 0; i < k; i++)
        zw_central(&body, &ms[i]);
    size_t cd_size = body.n - cd_off;
    if (zip64)
        zw_end64(&body, k, cd_size, cd_off, body.n);
    else
        zw_end(&body, (uint32_t)k, (uint32_t)cd_size, (uint32_t)cd_off);
    exh_buf_add(b, body.p, body.n);
    exh_buf_release(&body);
}

static void zm_release(struct zm *ms, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        free(ms[i].packed);
        ms[i].packed = NULL;
    }
}

/* The offset of the central directory in b (the end record's field). */
static size_t cd_offset_of(const struct exh_buf *b)
{
    return exh_rd32((const uint8_t *)b->p + b->n - 22 + 16);
}

static bool has(const char *s, const char *part)
{
    return strstr(s, part) != NULL;
}

/* The directory of an exactly sized copy of bytes[0..n): *p is the copy. */
static bool dir_of(const void *bytes, size_t n, uint8_t **p, struct exh_zip_dir *d)
{
    *p = exact(bytes, n);
    return exh_zip_dir(*p, n, d);
}

/* Done with the copy and its directory (and the bytes it was made of). */
static void dir_done(uint8_t **p, struct exh_zip_dir *d, struct exh_buf *b)
{
    exh_zip_dir_release(d);
    free(*p);
    *p = NULL;
    if (b)
        exh_buf_release(b);
}

/* What exh_zip_member says of a member. */
struct got {
    enum exh_err rc;
    const uint8_t *data;
    size_t len;
    char why[160];
};

static struct got member_of(const uint8_t *p, size_t n, const struct exh_zip_entry *e)
{
    struct got g;
    g.rc = exh_zip_member(p, n, e, &g.data, &g.len, g.why, sizeof(g.why));
    return g;
}

/* Member e of p, unpacked (stored: copied), compared with want. */
static bool reads_back(const uint8_t *p, size_t n, const struct exh_zip_entry *e,
                       const uint8_t *want, size_t wlen)
{
    const uint8_t *data;
    size_t len;
    char why[160];
    if (exh_zip_member(p, n, e, &data, &len, why, sizeof(why)) != EXH_OK) {
        printf("member: %s\n", why);
        return false;
    }
    if (e->method == 0)
        return len == wlen && !memcmp(data, want, wlen);
    struct exh_unpack_limits lim = {(uint64_t)1 << 30, 1000};
    struct exh_unpacked u;
    exh_unpack(EXH_UNPACK_DEFLATE, data, len, e->usize, &lim, &u);
    bool ok = u.code == EXH_OK && u.used == len && u.out.n == wlen && !memcmp(u.out.p, want, wlen);
    if (!ok)
        printf("unpack: %s (%zu bytes)\n", u.why, u.out.n);
    exh_unpacked_release(&u);
    return ok;
}

/* ---- zip ---- */

static void test_stored_and_deflate(void)
{
    T_CTX("stored and deflate");
    struct zm ms[3] = {{"a.log", text, 3000, 0, false, NULL, 0, 0, 0},
                       {"dir/b.log", text, 20000, 8, false, NULL, 0, 0, 0},
                       {"dir/", (const uint8_t *)"", 0, 0, false, NULL, 0, 0, 0}};
    struct exh_buf b = {0};
    zw_build(&b, ms, 3, 0, false);
    uint8_t *p;
    struct exh_zip_dir d;
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_OK);
    CHECK_EQ_STR(d.why, "");
    CHECK(!d.no_directory && !d.zip64);
    CHECK_EQ_INT(d.n, 3);
    for (size_t i = 0; i < d.n && i < 3; i++) {
        const struct exh_zip_entry *e = &d.e[i];
        CHECK(e->name_len == strlen(ms[i].name) && !memcmp(e->name, ms[i].name, e->name_len));
        CHECK_EQ_INT(e->crc, ms[i].crc);
        CHECK_EQ_INT(e->csize, ms[i].plen);
        CHECK_EQ_INT(e->usize, ms[i].len);
        CHECK_EQ_INT(e->method, ms[i].method);
        CHECK_EQ_INT(e->lho, ms[i].lho);
        CHECK(e->sizes_known);
        CHECK_EQ_INT(e->overlaps, -1);
        CHECK_EQ_INT(e->is_dir, i == 2);
        CHECK(reads_back(p, b.n, e, ms[i].data, ms[i].len));
    }
    CHECK(d.n > 1 && d.e[1].csize < d.e[1].usize / 4); /* it was deflated */
    CHECK(exh_zip_method_ok(0) && exh_zip_method_ok(8) && !exh_zip_method_ok(12));
    CHECK_EQ_STR(exh_zip_method_name(12), "bzip2");
    CHECK_EQ_STR(exh_zip_method_name(99), "AES-encrypted");
    exh_zip_dir_release(&d);
    CHECK(d.e == NULL && d.n == 0);

    /* not a zip at all; an empty one */
    CHECK(!exh_zip_dir((const uint8_t *)"hello, world: not a zip", 23, &d));
    CHECK(d.n == 0 && d.e == NULL);
    struct exh_buf empty = {0};
    zw_end(&empty, 0, 0, 0);
    uint8_t *q = exact(empty.p, empty.n);
    CHECK(exh_zip_dir(q, empty.n, &d));
    CHECK(d.code == EXH_OK && d.n == 0 && !d.no_directory);
    exh_zip_dir_release(&d);
    free(q);
    exh_buf_release(&empty);
    free(p);
    exh_buf_release(&b);
    zm_release(ms, 3);
}

static void test_zip64(void)
{
    for (size_t prefix = 0; prefix <= 1000; prefix += 1000) {
        T_CTX(prefix ? "ZIP64, prefixed" : "ZIP64");
        struct zm ms[2] = {{"z64.log", text, 9000, 8, true, NULL, 0, 0, 0},
                           {"plain.log", text, 500, 0, false, NULL, 0, 0, 0}};
        struct exh_buf b = {0};
        zw_build(&b, ms, 2, prefix, true);
        uint8_t *p;
        struct exh_zip_dir d;
        CHECK(dir_of(b.p, b.n, &p, &d));
        CHECK_EQ_INT(d.code, EXH_OK);
        CHECK_EQ_STR(d.why, "");
        CHECK(d.zip64 && !d.no_directory);
        CHECK_EQ_INT(d.n, 2);
        if (d.n == 2) {
            /* the sizes and offset come from the extra field */
            CHECK_EQ_INT(d.e[0].usize, 9000);
            CHECK_EQ_INT(d.e[0].csize, ms[0].plen);
            CHECK_EQ_INT(d.e[0].lho, prefix);
            CHECK_EQ_INT(d.e[1].lho, ms[1].lho + prefix);
            CHECK(reads_back(p, b.n, &d.e[0], text, 9000));
            CHECK(reads_back(p, b.n, &d.e[1], text, 500));
        }
        exh_zip_dir_release(&d);

        /* the extra field cut away: said, not believed */
        if (!prefix) {
            size_t cd = (size_t)exh_rd64(p + b.n - 22 - 20 - 56 + 48);
            set16(&b, cd + 30, 0); /* first central entry: no extra */
            free(p);
            CHECK(dir_of(b.p, b.n, &p, &d));
            CHECK_EQ_INT(d.code, EXH_ERR_CORRUPT);
            CHECK(has(d.why, "ZIP64"));
            exh_zip_dir_release(&d);
        }
        free(p);
        exh_buf_release(&b);
        zm_release(ms, 2);
    }
}

static void test_prefixed(void)
{
    T_CTX("prefixed (self-extracting)");
    struct zm ms[2] = {{"sfx1.log", text, 4000, 8, false, NULL, 0, 0, 0},
                       {"sfx2.log", text + 100, 700, 0, false, NULL, 0, 0, 0}};
    struct exh_buf b = {0};
    zw_build(&b, ms, 2, 4096, false);
    uint8_t *p;
    struct exh_zip_dir d;
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_OK);
    CHECK_EQ_INT(d.n, 2);
    if (d.n == 2) {
        CHECK_EQ_INT(d.e[0].lho, 4096);
        CHECK_EQ_INT(d.e[1].lho, 4096 + ms[1].lho);
        CHECK(reads_back(p, b.n, &d.e[0], text, 4000));
        CHECK(reads_back(p, b.n, &d.e[1], text + 100, 700));
    }
    dir_done(&p, &d, &b);
    zm_release(ms, 2);
}

static void test_no_end_record(void)
{
    T_CTX("no end record");
    struct zm ms[2] = {{"w1.log", text, 6000, 8, false, NULL, 0, 0, 0},
                       {"w2.log", text + 7, 900, 0, false, NULL, 0, 0, 0}};
    struct exh_buf b = {0};
    zw_build(&b, ms, 2, 0, false);
    size_t n = cd_offset_of(&b); /* the directory and end record cut off */
    uint8_t *p;
    struct exh_zip_dir d;
    CHECK(dir_of(b.p, n, &p, &d));
    CHECK(d.no_directory);
    CHECK_EQ_INT(d.code, EXH_ERR_TRUNCATED);
    CHECK(has(d.why, "no central directory"));
    CHECK_EQ_INT(d.n, 2);
    if (d.n == 2) {
        CHECK(d.e[0].name_len == 6 && !memcmp(d.e[0].name, "w1.log", 6));
        CHECK(d.e[1].name_len == 6 && !memcmp(d.e[1].name, "w2.log", 6));
        CHECK(d.e[0].sizes_known && d.e[1].sizes_known);
        CHECK_EQ_INT(d.e[0].crc, ms[0].crc);
        CHECK(reads_back(p, n, &d.e[0], text, 6000));
        CHECK(reads_back(p, n, &d.e[1], text + 7, 900));
    }
    dir_done(&p, &d, NULL);

    /* cut inside the second member's data: the member is TRUNCATED, with
     * what is there */
    T_CTX("truncated member");
    n = ms[1].lho + 30 + 6 + 300;
    CHECK(dir_of(b.p, n, &p, &d));
    CHECK(d.no_directory && d.code == EXH_ERR_TRUNCATED);
    CHECK_EQ_INT(d.n, 2);
    if (d.n == 2) {
        struct got g = member_of(p, n, &d.e[1]);
        CHECK_EQ_INT(g.rc, EXH_ERR_TRUNCATED);
        CHECK_EQ_INT(g.len, 300);
        CHECK(g.data == p + ms[1].lho + 36 && !memcmp(g.data, text + 7, 300));
        CHECK(has(g.why, "truncated"));
    }
    dir_done(&p, &d, NULL);

    /* a deflate member cut short: TRUNCATED, the part before it unpacked */
    T_CTX("truncated deflate member");
    n = ms[0].lho + 36 + ms[0].plen / 2;
    CHECK(dir_of(b.p, n, &p, &d));
    CHECK_EQ_INT(d.n, 1);
    if (d.n == 1) {
        struct got g = member_of(p, n, &d.e[0]);
        CHECK_EQ_INT(g.rc, EXH_ERR_TRUNCATED);
        struct exh_unpack_limits lim = {1 << 20, 0};
        struct exh_unpacked u;
        exh_unpack(EXH_UNPACK_DEFLATE, g.data, g.len, d.e[0].usize, &lim, &u);
        CHECK_EQ_INT(u.code, EXH_ERR_TRUNCATED);
        CHECK_EQ_INT(u.used, g.len);
        CHECK(u.out.n > 0 && u.out.n < 6000 && !memcmp(u.out.p, text, u.out.n));
        exh_unpacked_release(&u);
    }
    dir_done(&p, &d, &b);
    zm_release(ms, 2);
}

/* Members written with a data descriptor (flag 3): sizes unknown in the
 * local header, so the walk gives the rest of the archive as the data and
 * the inflater finds the end. */
static void test_descriptor(void)
{
    T_CTX("data descriptor, no end record");
    struct zm m = {"dd.log", text, 5000, 8, false, NULL, 0, 0, 0};
    struct exh_buf b = {0};
    zw_local(&b, &m);
    set16(&b, 6, 8);  /* flags: a data descriptor follows */
    set32(&b, 14, 0); /* crc */
    set32(&b, 18, 0); /* csize */
    set32(&b, 22, 0); /* usize */
    put32(&b, 0x08074b50u);
    put32(&b, m.crc);
    put32(&b, (uint32_t)m.plen);
    put32(&b, 5000);
    uint8_t *p;
    struct exh_zip_dir d;
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK(d.no_directory && d.code == EXH_ERR_TRUNCATED);
    CHECK_EQ_INT(d.n, 1);
    if (d.n == 1) {
        CHECK(!d.e[0].sizes_known);
        struct got g = member_of(p, b.n, &d.e[0]);
        CHECK_EQ_INT(g.rc, EXH_OK);
        CHECK_EQ_INT(g.len, b.n - 36);
        struct exh_unpack_limits lim = {1 << 20, 100};
        struct exh_unpacked u;
        exh_unpack(EXH_UNPACK_DEFLATE, g.data, g.len, 0, &lim, &u);
        CHECK_EQ_INT(u.code, EXH_OK);
        CHECK_EQ_INT(u.used, m.plen);
        CHECK(u.out.n == 5000 && !memcmp(u.out.p, text, 5000));
        exh_unpacked_release(&u);
    }
    dir_done(&p, &d, &b);
    free(m.packed);
}

static void test_lies(void)
{
    struct zm ms[2] = {{"l1.log", text, 3000, 8, false, NULL, 0, 0, 0},
                       {"l2.log", text, 1000, 0, false, NULL, 0, 0, 0}};
    struct exh_buf good = {0};
    zw_build(&good, ms, 2, 0, false);
    size_t cd = cd_offset_of(&good), end = good.n - 22;
    struct exh_zip_dir d;

    /* the directory points outside: CORRUPT, the local headers walked */
    T_CTX("directory outside");
    struct exh_buf b = {0};
    exh_buf_add(&b, good.p, good.n);
    set32(&b, end + 16, 0x7FFFFFF0u);
    uint8_t *p;
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_ERR_CORRUPT);
    CHECK(d.no_directory);
    CHECK(has(d.why, "lies"));
    CHECK_EQ_INT(d.n, 2);
    if (d.n == 2)
        CHECK(reads_back(p, b.n, &d.e[1], text, 1000));
    dir_done(&p, &d, &b);

    /* it promises more members than it holds */
    T_CTX("count mismatch");
    exh_buf_add(&b, good.p, good.n);
    set16(&b, end + 8, 5);
    set16(&b, end + 10, 5);
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_ERR_CORRUPT);
    CHECK(has(d.why, "promises 5 members but holds 2"));
    CHECK(!d.no_directory);
    CHECK_EQ_INT(d.n, 2);
    dir_done(&p, &d, &b);

    /* it counts fewer than it holds: every entry is still listed, and said */
    T_CTX("count too small");
    exh_buf_add(&b, good.p, good.n);
    set16(&b, end + 8, 1);
    set16(&b, end + 10, 1);
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_ERR_CORRUPT);
    CHECK(has(d.why, "counts 1 members but its directory holds 2"));
    CHECK_EQ_INT(d.n, 2);
    if (d.n == 2)
        CHECK(reads_back(p, b.n, &d.e[1], text, 1000));
    dir_done(&p, &d, &b);

    /* the local header names it otherwise: read, and said, with EXH_OK */
    T_CTX("local name mismatch");
    exh_buf_add(&b, good.p, good.n);
    b.p[ms[1].lho + 30] = 'X';
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_OK);
    if (d.n == 2) {
        struct got g = member_of(p, b.n, &d.e[1]);
        CHECK_EQ_INT(g.rc, EXH_OK);
        CHECK(has(g.why, "names it otherwise"));
        CHECK(g.len == 1000 && !memcmp(g.data, text, 1000));
        g = member_of(p, b.n, &d.e[0]);
        CHECK_EQ_INT(g.rc, EXH_OK);
        CHECK_EQ_STR(g.why, "");
    }
    dir_done(&p, &d, &b);

    /* the local header says another method: CORRUPT */
    T_CTX("local method mismatch");
    exh_buf_add(&b, good.p, good.n);
    set16(&b, ms[0].lho + 8, 12);
    CHECK(dir_of(b.p, b.n, &p, &d));
    if (d.n == 2) {
        struct got g = member_of(p, b.n, &d.e[0]);
        CHECK_EQ_INT(g.rc, EXH_ERR_CORRUPT);
        CHECK(g.data == NULL && g.len == 0);
        CHECK(has(g.why, "bzip2") && has(g.why, "deflate"));
    }
    dir_done(&p, &d, &b);

    /* an entry pointing where no local header is: CORRUPT for that member */
    T_CTX("entry offset into nothing");
    exh_buf_add(&b, good.p, good.n);
    set32(&b, cd + 42, 5);
    CHECK(dir_of(b.p, b.n, &p, &d));
    if (d.n == 2) {
        struct got g = member_of(p, b.n, &d.e[0]);
        CHECK_EQ_INT(g.rc, EXH_ERR_CORRUPT);
        CHECK(has(g.why, "offset 5"));
    }
    dir_done(&p, &d, &b);

    exh_buf_release(&good);
    zm_release(ms, 2);
}

static void test_overlaps(void)
{
    /* two directory entries for one local header (a bomb's trick) */
    T_CTX("overlap: one header twice");
    struct zm m = {"same.log", text, 2000, 8, false, NULL, 0, 0, 0};
    struct exh_buf b = {0};
    zw_local(&b, &m);
    size_t cd = b.n;
    zw_central(&b, &m);
    zw_central(&b, &m);
    zw_end(&b, 2, (uint32_t)(b.n - cd), (uint32_t)cd);
    uint8_t *p;
    struct exh_zip_dir d;
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.n, 2);
    if (d.n == 2) {
        CHECK_EQ_INT(d.e[0].overlaps, -1);
        CHECK_EQ_INT(d.e[1].overlaps, 0);
    }
    dir_done(&p, &d, &b);
    free(m.packed);

    /* a chain, listed last first: A's data holds B's header, B's holds C's
     * (past A's end). C shares bytes with B only: marked with B, not A. */
    T_CTX("overlap: a chain");
    struct zm a = {"A", text, 64, 0, false, NULL, 0, 0, 0};
    struct zm bb = {"B", text, 200, 0, false, NULL, 0, 0, 0};
    struct zm c = {"C", text, 64, 0, false, NULL, 0, 0, 0};
    /* lay out by hand: A at 0 (31 + 64 bytes), B at 40, C at 140 */
    exh_buf_reset(&b);
    for (size_t i = 0; i < 300; i++)
        exh_buf_addc(&b, 0);
    struct exh_buf h = {0};
    struct zm *lay[3] = {&a, &bb, &c};
    size_t at[3] = {0, 40, 140};
    for (size_t i = 0; i < 3; i++) {
        exh_buf_reset(&h);
        zw_local(&h, lay[i]);
        memcpy(b.p + at[i], h.p, 31);
        lay[i]->lho = at[i];
    }
    exh_buf_release(&h);
    cd = b.n;
    zw_central(&b, &c);
    zw_central(&b, &bb);
    zw_central(&b, &a);
    zw_end(&b, 3, (uint32_t)(b.n - cd), (uint32_t)cd);
    CHECK(dir_of(b.p, b.n, &p, &d));
    CHECK_EQ_INT(d.code, EXH_OK);
    CHECK_EQ_INT(d.n, 3);
    if (d.n == 3) {
        CHECK_EQ_INT(d.e[2].overlaps, -1); /* A */
        CHECK_EQ_INT(d.e[1].overlaps, 2);  /* B in A */
        CHECK_EQ_INT(d.e[0].overlaps, 1);  /* C in B, past A's end */
    }
    dir_done(&p, &d, &b);
    free(a.packed);
    free(bb.packed);
    free(c.packed);
}

/* ---- unpack ---- */

static void test_ratio_limit(void)
{
    T_CTX("ratio limit: 64 MiB of zeros");
    size_t big = (size_t)64 << 20;
    uint8_t *zeros = calloc(big, 1);
    if (!zeros)
        abort();
    uint8_t *packed;
    size_t plen = raw_deflate(zeros, big, &packed);
    free(zeros);
    uint8_t *in = exact(packed, plen);
    free(packed);
    struct exh_unpack_limits lim = {(uint64_t)1 << 32, 200};
    struct exh_unpacked u;
    clock_t t0 = clock();
    exh_unpack(EXH_UNPACK_DEFLATE, in, plen, big, &lim, &u);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_EQ_INT(u.code, EXH_ERR_LIMIT);
    CHECK(u.limit_ratio && !u.limit_size);
    CHECK(u.out.n > ((size_t)1 << 20) && u.out.n <= ((size_t)3 << 20));
    /* the 64 MiB the entry promised were not reserved: a bomb (or a lie)
     * the ratio limit would stop sizes no buffer */
    CHECK(u.out.cap <= ((size_t)4 << 20));
    CHECK(u.used <= plen);
    CHECK(has(u.why, "200 times"));
    CHECK(secs < 2.0);
    exh_unpacked_release(&u);

    /* no ratio limit: the size limit stops it, exactly at the limit */
    T_CTX("size limit");
    lim.max_ratio = 0;
    lim.max_out = 3000000;
    exh_unpack(EXH_UNPACK_DEFLATE, in, plen, 0, &lim, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_LIMIT);
    CHECK(u.limit_size && !u.limit_ratio);
    CHECK_EQ_INT(u.out.n, 3000000);
    CHECK(has(u.why, "3000000 bytes"));
    exh_unpacked_release(&u);
    free(in);

    /* a limit of exactly the output is no limit hit */
    T_CTX("size limit, exact fit");
    plen = raw_deflate(text, 50000, &packed);
    in = exact(packed, plen);
    free(packed);
    lim.max_out = 50000;
    exh_unpack(EXH_UNPACK_DEFLATE, in, plen, 50000, &lim, &u);
    CHECK_EQ_INT(u.code, EXH_OK);
    CHECK(u.out.n == 50000 && !memcmp(u.out.p, text, 50000));
    exh_unpacked_release(&u);
    lim.max_out = 49999;
    exh_unpack(EXH_UNPACK_DEFLATE, in, plen, 50000, &lim, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_LIMIT);
    CHECK(u.limit_size && u.out.n == 49999);
    exh_unpacked_release(&u);

    /* damaged data: CORRUPT, what came before kept */
    T_CTX("damaged deflate");
    uint8_t bad[8] = {0x07, 0xff, 0xff, 0xff, 0, 0, 0, 0}; /* block type 3 */
    lim.max_out = 1 << 20;
    exh_unpack(EXH_UNPACK_DEFLATE, bad, sizeof(bad), 0, &lim, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_CORRUPT);
    CHECK(has(u.why, "damaged"));
    exh_unpacked_release(&u);
    free(in);
}

/* A gzip member by hand: FNAME and FEXTRA when given. */
static void gz_member(struct exh_buf *b, const uint8_t *data, size_t n, const char *name,
                      const char *extra)
{
    uint8_t head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff};
    head[3] = (uint8_t)((name ? 8 : 0) | (extra ? 4 : 0));
    exh_buf_add(b, head, 10);
    if (extra) {
        put16(b, (uint32_t)strlen(extra));
        exh_buf_adds(b, extra);
    }
    if (name)
        exh_buf_add(b, name, strlen(name) + 1);
    uint8_t *packed;
    size_t plen = raw_deflate(data, n, &packed);
    exh_buf_add(b, packed, plen);
    free(packed);
    put32(b, (uint32_t)crc32(0, data, (uInt)n));
    put32(b, (uint32_t)n);
}

static void gunzip_within(const struct exh_buf *b, uint64_t max_out, struct exh_unpacked *u)
{
    uint8_t *in = exact(b->p, b->n);
    struct exh_unpack_limits lim = {max_out, 1000};
    exh_unpack(EXH_UNPACK_GZIP, in, b->n, 0, &lim, u);
    free(in);
}

static void gunzip(const struct exh_buf *b, struct exh_unpacked *u)
{
    gunzip_within(b, (uint64_t)1 << 24, u);
}

static void test_gzip(void)
{
    struct exh_buf b = {0};
    struct exh_unpacked u;

    T_CTX("gzip, concatenated members");
    gz_member(&b, text, 10000, "u_ex210303.log", NULL);
    gz_member(&b, text + 10000, 20000, NULL, NULL);
    gz_member(&b, text, 0, NULL, NULL);
    gunzip(&b, &u);
    CHECK_EQ_INT(u.code, EXH_OK);
    CHECK_EQ_INT(u.used, b.n);
    CHECK(u.out.n == 30000 && !memcmp(u.out.p, text, 30000));
    exh_unpacked_release(&u);

    /* a size limit of exactly the output: the members after the full
     * buffer (one empty) and the trailers are still read; one byte less
     * is over the limit */
    T_CTX("gzip, size limit of exactly the output");
    gunzip_within(&b, 30000, &u);
    CHECK_EQ_INT(u.code, EXH_OK);
    CHECK_EQ_INT(u.used, b.n);
    CHECK(u.out.n == 30000 && !memcmp(u.out.p, text, 30000));
    exh_unpacked_release(&u);
    gunzip_within(&b, 29999, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_LIMIT);
    CHECK(u.limit_size && !u.limit_ratio && u.out.n == 29999);
    exh_unpacked_release(&u);

    T_CTX("gzip, trailing zeros");
    for (int i = 0; i < 100; i++)
        exh_buf_addc(&b, 0);
    gunzip(&b, &u);
    CHECK_EQ_INT(u.code, EXH_OK);
    CHECK_EQ_INT(u.used, b.n);
    CHECK_EQ_INT(u.out.n, 30000);
    exh_unpacked_release(&u);

    T_CTX("gzip, trailing junk");
    exh_buf_adds(&b, "junk");
    gunzip(&b, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_CORRUPT);
    CHECK(has(u.why, "trailing junk"));
    CHECK(u.out.n == 30000 && !memcmp(u.out.p, text, 30000)); /* the data kept */
    exh_unpacked_release(&u);
    exh_buf_release(&b);

    T_CTX("gzip, truncated");
    gz_member(&b, text, 30000, NULL, NULL);
    b.n = b.n * 2 / 3;
    gunzip(&b, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_TRUNCATED);
    CHECK(u.out.n > 0 && u.out.n < 30000 && !memcmp(u.out.p, text, u.out.n));
    exh_unpacked_release(&u);
    exh_buf_release(&b);

    T_CTX("gzip, a wrong CRC");
    gz_member(&b, text, 3000, NULL, NULL);
    b.p[b.n - 8] ^= 0x55;
    gunzip(&b, &u);
    CHECK_EQ_INT(u.code, EXH_ERR_CORRUPT);
    CHECK(!u.limit_ratio && !u.limit_size);
    exh_unpacked_release(&u);
    exh_buf_release(&b);

    T_CTX("exh_gzip_name");
    size_t len = 99;
    gz_member(&b, text, 100, "u_ex210303.log", NULL);
    const uint8_t *name = exh_gzip_name((const uint8_t *)b.p, b.n, &len);
    CHECK(name == (const uint8_t *)b.p + 10 && len == 14 && !memcmp(name, "u_ex210303.log", 14));
    exh_buf_release(&b);
    gz_member(&b, text, 100, "x.log", "AB\2\1hi");
    name = exh_gzip_name((const uint8_t *)b.p, b.n, &len);
    CHECK(name == (const uint8_t *)b.p + 18 && len == 5 && !memcmp(name, "x.log", 5));
    /* FEXTRA longer than the file; no NUL after the name */
    uint8_t *cut = exact(b.p, 23);
    CHECK(exh_gzip_name(cut, 23, &len) == NULL && len == 0);
    set16(&b, 10, 60000);
    CHECK(exh_gzip_name((const uint8_t *)b.p, b.n, &len) == NULL && len == 0);
    free(cut);
    exh_buf_release(&b);
    gz_member(&b, text, 100, NULL, NULL);
    len = 99;
    CHECK(exh_gzip_name((const uint8_t *)b.p, b.n, &len) == NULL && len == 0);
    gunzip(&b, &u);
    CHECK(u.code == EXH_OK && u.out.n == 100);
    CHECK(u.out.cap <= ((size_t)256 << 10)); /* a small file, a small buffer */
    exh_unpacked_release(&u);
    CHECK(exh_gzip_name((const uint8_t *)"\x1f\x8b\x08\x08", 4, &len) == NULL);
    exh_buf_release(&b);
}

int main(void)
{
    text = log_text(TEXT_LEN);
    if (!exh_unpack_available()) {
        printf("unit-archive: 0 passed, 0 failed (no zlib)\n");
        return 0;
    }
    T_RUN(test_stored_and_deflate);
    T_RUN(test_zip64);
    T_RUN(test_prefixed);
    T_RUN(test_no_end_record);
    T_RUN(test_descriptor);
    T_RUN(test_lies);
    T_RUN(test_overlaps);
    T_RUN(test_ratio_limit);
    T_RUN(test_gzip);
    free(text);
    return T_DONE("unit-archive");
}
