/* zip.c: zip archives from their bytes: the end-of-central-directory record
 * (and its ZIP64 twin), the central directory headers, the local headers
 * (PKWARE APPNOTE 6.3, sections 4.3.6 to 4.3.16 and 4.5.3). Nothing here
 * trusts a size or offset it has not checked against the archive's length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/timeutil.h"
#include "exh/zip.h"
#include "exh/banned.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOC64 0x07064b50u

/* The end record: the last "PK\5\6" whose comment fits the archive. */
static size_t find_eocd(const uint8_t *p, size_t n)
{
    if (n < 22)
        return n;
    size_t lo = n > 22 + 65535 ? n - 22 - 65535 : 0;
    for (size_t i = n - 22 + 1; i-- > lo;)
        if (p[i] == 'P' && p[i + 1] == 'K' && p[i + 2] == 5 && p[i + 3] == 6 &&
            i + 22 + exh_rd16(p + i + 20) <= n)
            return i;
    return n;
}

bool exh_zip_method_ok(uint16_t method)
{
    return method == 0 || method == 8;
}

const char *exh_zip_method_name(uint16_t method)
{
    switch (method) {
    case 0:
        return "stored";
    case 8:
        return "deflate";
    case 9:
        return "deflate64";
    case 12:
        return "bzip2";
    case 14:
        return "LZMA";
    case 93:
        return "Zstandard";
    case 95:
        return "xz";
    case 96:
        return "JPEG";
    case 97:
        return "WavPack";
    case 98:
        return "PPMd";
    case 99:
        return "AES-encrypted";
    default:
        return "an unknown method";
    }
}

static void set_err(struct exh_zip_dir *d, enum exh_err code, const char *why)
{
    if (d->code != EXH_OK)
        return; /* the first problem is the one to tell */
    d->code = code;
    snprintf(d->why, sizeof(d->why), "%s", why);
}

static void push(struct exh_zip_dir *d, const struct exh_zip_entry *e)
{
    if (d->n == d->cap_) {
        d->cap_ = d->cap_ ? d->cap_ * 2 : 16;
        d->e = exh_xrealloc(d->e, d->cap_ * sizeof(*d->e));
    }
    d->e[d->n++] = *e;
}

/* The ZIP64 extra field (id 1) of a central header: the 8-byte values for
 * the fields that are 0xFFFFFFFF, in the order usize, csize, offset. */
static bool zip64_extra(const uint8_t *x, size_t xl, struct exh_zip_entry *e, bool u, bool c,
                        bool o)
{
    for (size_t at = 0; at + 4 <= xl;) {
        uint16_t id = exh_rd16(x + at), len = exh_rd16(x + at + 2);
        if (at + 4 + len > xl)
            return false;
        if (id == 1) {
            const uint8_t *v = x + at + 4;
            size_t k = 0;
            if (u) {
                if (k + 8 > len)
                    return false;
                e->usize = exh_rd64(v + k);
                k += 8;
            }
            if (c) {
                if (k + 8 > len)
                    return false;
                e->csize = exh_rd64(v + k);
                k += 8;
            }
            if (o) {
                if (k + 8 > len)
                    return false;
                e->lho = exh_rd64(v + k);
            }
            return true;
        }
        at += 4 + (size_t)len;
    }
    return false;
}

/* An entry from the fields a local header and a central one share, in the
 * same order from f (the flags: local header + 6, central + 8): flags,
 * method, time, date, CRC, compressed and uncompressed size. */
static void header_fields(struct exh_zip_entry *e, const uint8_t *f)
{
    memset(e, 0, sizeof(*e));
    e->flags = exh_rd16(f);
    e->method = exh_rd16(f + 2);
    e->crc = exh_rd32(f + 8);
    e->csize = exh_rd32(f + 12);
    e->usize = exh_rd32(f + 16);
    e->overlaps = -1;
}

/* The next "PK\3\4" in p[at..n), or n. */
static size_t next_local(const uint8_t *p, size_t n, size_t at)
{
    while (at + 4 <= n) {
        const uint8_t *k = memchr(p + at, 'P', n - at - 3);
        if (!k)
            return n;
        size_t i = (size_t)(k - p);
        if (p[i + 1] == 'K' && p[i + 2] == 3 && p[i + 3] == 4)
            return i;
        at = i + 1;
    }
    return n;
}

/* The members whose local headers start in p[lo..hi), in order (their data
 * may run on to n): all of them without an end record, or those in a gap
 * the directory leaves (unlisted). */
static void walk_range(const uint8_t *p, size_t n, size_t lo, size_t hi, struct exh_zip_dir *d,
                       bool unlisted)
{
    size_t at = lo;
    while (at + 30 <= hi && d->n < EXH_ZIP_MAX_NAMES) {
        size_t h = next_local(p, hi, at);
        if (h + 30 > n || h >= hi)
            break;
        size_t nl = exh_rd16(p + h + 26), xl = exh_rd16(p + h + 28);
        size_t data = h + 30 + nl + xl;
        if (!nl || data > n || exh_rd16(p + h + 4) > 63 * 10) { /* not a header after all */
            at = h + 1;
            continue;
        }
        struct exh_zip_entry e;
        header_fields(&e, p + h + 6);
        e.name = p + h + 30;
        e.name_len = nl;
        e.lho = h;
        e.hdr = h;
        e.unlisted = unlisted;
        e.sizes_known = !(e.flags & 8) && e.csize != 0xFFFFFFFFu;
        e.is_dir = e.name[nl - 1] == '/' && e.sizes_known && !e.csize && !e.usize;
        push(d, &e);
        if (e.sizes_known && e.csize <= n - data)
            at = data + (size_t)e.csize;
        else if (e.sizes_known)
            break; /* the last member, cut short */
        else
            at = data; /* the next header is after its data: searched for */
    }
}

/* No end record: find the members by their local headers, in order. */
static void walk_local(const uint8_t *p, size_t n, struct exh_zip_dir *d)
{
    d->no_directory = true;
    walk_range(p, n, 0, n, d, false);
    if (!d->n) {
        set_err(d, EXH_ERR_CORRUPT, "no member header could be read");
        return;
    }
    set_err(d, EXH_ERR_TRUNCATED,
            "no central directory at the end (a truncated or damaged archive): the members "
            "were found by their own headers");
}

/* Where the data of e starts, or 0 when its local header is not there. */
static uint64_t data_start(const uint8_t *p, size_t n, const struct exh_zip_entry *e)
{
    if (e->lho > n || n - e->lho < 30 || exh_rd32(p + e->lho) != SIG_LOCAL)
        return 0;
    uint64_t s = e->lho + 30 + exh_rd16(p + e->lho + 26) + exh_rd16(p + e->lho + 28);
    return s <= n ? s : 0;
}

struct span {
    uint64_t lo, hi;
    size_t i;
};

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Entries whose bytes overlap another's: each is marked with the first laid
 * out (by offset) of those it shares bytes with. Spans come in the order of
 * their starts, so one that ends before a start ends before every later
 * one: `first` only moves on. */
static void mark_overlaps(const uint8_t *p, size_t n, struct exh_zip_dir *d)
{
    struct span *s = exh_xcalloc(d->n ? d->n : 1, sizeof(*s));
    size_t ns = 0;
    for (size_t i = 0; i < d->n; i++) {
        uint64_t ds = data_start(p, n, &d->e[i]);
        if (!ds)
            continue;
        uint64_t hi = d->e[i].sizes_known && d->e[i].csize <= n - ds ? ds + d->e[i].csize : ds;
        s[ns++] = (struct span){d->e[i].lho, hi, i};
    }
    qsort(s, ns, sizeof(*s), cmp_span);
    size_t first = 0;
    for (size_t k = 0; k < ns; k++) {
        while (first < k && s[first].hi <= s[k].lo)
            first++;
        if (first < k)
            d->e[s[k].i].overlaps = (int64_t)s[first].i;
    }
    free(s);
}

/* Members in the gaps the directory leaves before it (a member written but
 * left out of the directory hides from tools that trust it): found by their
 * own headers and marked unlisted. Only gaps are searched, so a normal
 * archive costs one pass over its listed entries. */
static void find_unlisted(const uint8_t *p, size_t n, struct exh_zip_dir *d, size_t cd_off)
{
    size_t listed = d->n;
    struct span *s = exh_xcalloc(listed ? listed : 1, sizeof(*s));
    size_t ns = 0;
    for (size_t i = 0; i < listed; i++) {
        uint64_t ds = data_start(p, n, &d->e[i]);
        if (!ds)
            continue;
        uint64_t hi = d->e[i].csize <= n - ds ? ds + d->e[i].csize : n;
        s[ns++] = (struct span){d->e[i].lho, hi, i};
    }
    qsort(s, ns, sizeof(*s), cmp_span);
    size_t reach = (size_t)d->prefix;
    for (size_t k = 0; k <= ns && reach < cd_off; k++) {
        size_t lo = k < ns ? (size_t)s[k].lo : cd_off;
        if (lo > cd_off)
            lo = cd_off;
        if (lo > reach && lo - reach >= 30)
            walk_range(p, n, reach, lo, d, true);
        if (k < ns && s[k].hi > reach)
            reach = (size_t)s[k].hi;
    }
    free(s);
}

bool exh_zip_dir(const uint8_t *p, size_t n, struct exh_zip_dir *d)
{
    memset(d, 0, sizeof(*d));
    size_t eocd = find_eocd(p, n);
    if (eocd == n) {
        if (n < 4 || exh_rd32(p) != SIG_LOCAL)
            return false;
        walk_local(p, n, d);
        mark_overlaps(p, n, d);
        return true;
    }
    uint64_t count = exh_rd16(p + eocd + 10);
    uint64_t cd_size = exh_rd32(p + eocd + 12), cd_off = exh_rd32(p + eocd + 16);
    uint64_t cd_end_at = eocd; /* where the directory should end */
    if ((count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) && eocd >= 20 &&
        exh_rd32(p + eocd - 20) == SIG_LOC64) {
        uint64_t r = exh_rd64(p + eocd - 20 + 8);
        /* with bytes before the archive the locator's offset is short of
         * it: the record (without extensible data) is right before it */
        if ((r > n || n - r < 56 || exh_rd32(p + r) != SIG_END64) && eocd >= 20 + 56)
            r = eocd - 20 - 56;
        if (r <= n && n - r >= 56 && exh_rd32(p + r) == SIG_END64) {
            d->zip64 = true;
            count = exh_rd64(p + r + 32);
            cd_size = exh_rd64(p + r + 40);
            cd_off = exh_rd64(p + r + 48);
            cd_end_at = r;
        } else {
            set_err(d, EXH_ERR_CORRUPT, "its ZIP64 end record is missing or out of bounds");
        }
    }
    /* a zip with bytes before it (self-extracting, or appended to a file):
     * the directory ends where the end record starts. An offset past where
     * the directory is cannot be such a shift: the directory lies. */
    uint64_t shift = 0;
    bool lies = false;
    if (cd_size <= cd_end_at && cd_off != cd_end_at - cd_size && cd_end_at - cd_size + 4 <= n &&
        exh_rd32(p + cd_end_at - cd_size) == SIG_CENTRAL &&
        (cd_off >= n || n - cd_off < 4 || exh_rd32(p + cd_off) != SIG_CENTRAL)) {
        if (cd_off < cd_end_at - cd_size)
            shift = cd_end_at - cd_size - cd_off;
        else
            lies = true;
    }
    cd_off += shift;
    d->prefix = shift;
    if (lies || cd_off > n || cd_size > n - cd_off) {
        walk_local(p, n, d);
        d->code = EXH_ERR_CORRUPT;
        snprintf(d->why, sizeof(d->why),
                 "its directory lies (it points outside the archive, or past itself): the "
                 "members were looked for by their own headers");
        mark_overlaps(p, n, d);
        return true;
    }
    size_t at = (size_t)cd_off, end = (size_t)(cd_off + cd_size);
    uint64_t seen = 0;
    /* every entry the directory's bytes hold is read, whatever the end
     * record's count says: a count too small would hide the rest */
    while (at + 46 <= end) {
        if (exh_rd32(p + at) != SIG_CENTRAL) {
            if (seen < count)
                set_err(d, EXH_ERR_CORRUPT, "a directory entry has a wrong signature");
            break;
        }
        if (d->n == EXH_ZIP_MAX_NAMES) {
            set_err(d, EXH_ERR_CORRUPT, "more than 100000 members: the rest were not read");
            break;
        }
        size_t nl = exh_rd16(p + at + 28), xl = exh_rd16(p + at + 30), cl = exh_rd16(p + at + 32);
        if (at + 46 + nl + xl > end) {
            set_err(d, EXH_ERR_CORRUPT, "a directory entry runs past the directory's end");
            break;
        }
        struct exh_zip_entry e;
        header_fields(&e, p + at + 8);
        e.name = p + at + 46;
        e.name_len = nl;
        e.lho = exh_rd32(p + at + 42);
        e.sizes_known = true;
        e.hdr = at;
        e.hdr_central = true;
        bool u = e.usize == 0xFFFFFFFFu, c = e.csize == 0xFFFFFFFFu, o = e.lho == 0xFFFFFFFFu;
        if ((u || c || o) && !zip64_extra(p + at + 46 + nl, xl, &e, u, c, o))
            set_err(d, EXH_ERR_CORRUPT, "a member's ZIP64 sizes are missing");
        e.lho += shift;
        /* a folder holds no data (an empty deflate stream is 2 bytes) */
        e.is_dir = nl && e.name[nl - 1] == '/' && !e.usize && e.csize <= 2;
        push(d, &e);
        seen++;
        at += 46 + nl + xl + cl;
    }
    if (seen != count && d->code == EXH_OK) {
        char why[160];
        snprintf(why, sizeof(why),
                 seen < count ? "its directory promises %llu members but holds %llu"
                              : "its end record counts %llu members but its directory holds "
                                "%llu: all were read",
                 (unsigned long long)count, (unsigned long long)seen);
        set_err(d, EXH_ERR_CORRUPT, why);
    }
    find_unlisted(p, n, d, (size_t)cd_off);
    mark_overlaps(p, n, d);
    return true;
}

void exh_zip_dir_release(struct exh_zip_dir *d)
{
    free(d->e);
    d->e = NULL;
    d->n = d->cap_ = 0;
}

bool exh_zip_looks(const uint8_t *p, size_t n)
{
    return (n >= 4 && exh_rd32(p) == SIG_LOCAL) || find_eocd(p, n) < n;
}

enum exh_err exh_zip_member(const uint8_t *p, size_t n, const struct exh_zip_entry *e,
                            const uint8_t **data, size_t *len, char *why, size_t whylen)
{
    *data = NULL;
    *len = 0;
    why[0] = '\0';
    uint64_t ds = data_start(p, n, e);
    if (!ds) {
        snprintf(why, whylen,
                 "the directory points at offset %llu, where no member header is (a lying or "
                 "damaged directory)",
                 (unsigned long long)e->lho);
        return EXH_ERR_CORRUPT;
    }
    const uint8_t *h = p + e->lho;
    size_t nl = exh_rd16(h + 26);
    uint16_t method = exh_rd16(h + 8);
    if (method != e->method) {
        snprintf(why, whylen, "its own header says %s, the directory %s",
                 exh_zip_method_name(method), exh_zip_method_name(e->method));
        return EXH_ERR_CORRUPT;
    }
    *data = p + ds;
    uint64_t room = n - ds;
    if (!e->sizes_known) {
        *len = (size_t)room;
        return EXH_OK;
    }
    enum exh_err rc = EXH_OK;
    if (nl != e->name_len || memcmp(h + 30, e->name, nl))
        snprintf(why, whylen,
                 "its own header names it otherwise than the directory (read under the "
                 "directory's name)");
    if (e->csize > room) {
        snprintf(why, whylen,
                 "the archive ends %llu bytes into this member's %llu (truncated): what is "
                 "there was read",
                 (unsigned long long)room, (unsigned long long)e->csize);
        *len = (size_t)room;
        return EXH_ERR_TRUNCATED;
    }
    *len = (size_t)e->csize;
    return rc;
}

bool exh_zip_entry_time(const uint8_t *p, size_t n, const struct exh_zip_entry *e, int64_t *ms)
{
    size_t fixed = e->hdr_central ? 46 : 30;
    if (e->hdr > n || n - e->hdr < fixed)
        return false;
    const uint8_t *h = p + e->hdr;
    size_t nl = exh_rd16(h + (e->hdr_central ? 28 : 26));
    size_t xl = exh_rd16(h + (e->hdr_central ? 30 : 28));
    if (fixed + nl + xl > n - e->hdr)
        xl = 0;
    const uint8_t *x = h + fixed + nl;
    int64_t ut = INT64_MIN;
    for (size_t at = 0; at + 4 <= xl;) {
        uint16_t id = exh_rd16(x + at), len = exh_rd16(x + at + 2);
        if (at + 4 + len > xl)
            break;
        const uint8_t *v = x + at + 4;
        if (id == 0x000a && len >= 32 && exh_rd16(v + 4) == 1 && exh_rd16(v + 6) >= 24) {
            /* NTFS: FILETIME, 100 ns since 1601 */
            uint64_t ft = exh_rd64(v + 8);
            if (ft >= 116444736000000000ull) {
                *ms = (int64_t)((ft - 116444736000000000ull) / 10000);
                return true;
            }
        }
        if (id == 0x5455 && len >= 5 && (v[0] & 1))
            ut = (int64_t)(int32_t)exh_rd32(v + 1) * 1000;
        at += 4 + (size_t)len;
    }
    if (ut != INT64_MIN) {
        *ms = ut;
        return true;
    }
    const uint8_t *f = h + (e->hdr_central ? 8 : 6); /* the fields both headers share */
    uint16_t tm = exh_rd16(f + 4), dt = exh_rd16(f + 6);
    unsigned day = dt & 31, mon = (dt >> 5) & 15, year = 1980 + (dt >> 9);
    unsigned sec = (tm & 31) * 2, min = (tm >> 5) & 63, hour = tm >> 11;
    if (!day || !mon || mon > 12 || hour > 23 || min > 59 || sec > 59)
        return false;
    int64_t days = exh_days_from_civil(year, mon, day);
    *ms = ((days * 24 + hour) * 60 + min) * 60000 + (int64_t)sec * 1000;
    return true;
}
