/* pe.c: the version resource of a PE image, from the documented formats:
 * the Microsoft PE/COFF specification (MS-DOS stub, PE signature, COFF file
 * header, optional header PE32 0x10b / PE32+ 0x20b, data directory 2, the
 * section table, the .rsrc resource directory tables and data entries) and
 * the VS_VERSIONINFO, VS_FIXEDFILEINFO, StringFileInfo, StringTable and
 * String structures of the Windows version API.
 *
 * Bounds: every read goes through a check against n (the file) and, inside
 * the resource and the version block, against the section's raw data and
 * the parent's wLength. The resource tree is walked exactly three levels
 * deep without recursion (type, name, language); a directory that names
 * itself or an ancestor is an error; entry counts must fit in the bytes.
 * Version blocks nest at most three deep under VS_VERSIONINFO and each
 * child is at least 6 bytes, so every loop moves forward. */
#include <stdio.h>
#include <string.h>

#include "exh/core.h"
#include "exh/err.h"
#include "exh/pe.h"
#include "exh/banned.h"

#define PE_MZ 0x5A4Du      /* "MZ" */
#define PE_SIG 0x00004550u /* "PE\0\0" */
#define PE_MAGIC32 0x10Bu
#define PE_MAGIC64 0x20Bu
#define PE_COFF_SIZE 20
#define PE_SECTION_SIZE 40
#define PE_DIR_RESOURCE 2
#define RT_VERSION 16
#define FIXED_SIG 0xFEEF04BDu
#define FIXED_SIZE 52
#define BLOCK_HEAD 6 /* wLength, wValueLength, wType */

/* Sets *why and returns the code: every error path goes through here. */
static int fail(const char **why, int code, const char *reason)
{
    *why = reason;
    return code;
}

/* Does [off, off + len) lie inside [0, n)? Without overflow. */
static bool fits(size_t off, size_t len, size_t n)
{
    return off <= n && len <= n - off;
}

struct pe_sections {
    const uint8_t *tab; /* the section table, count * 40 bytes, inside the file */
    size_t count;
};

/* The file offset of rva, and how many bytes from there belong to the same
 * section on disk (its raw data, cut at the end of the file). The first
 * section that holds rva wins. false when no section holds it. */
static bool rva_map(const struct pe_sections *s, size_t n, uint32_t rva, size_t *off, size_t *avail)
{
    for (size_t i = 0; i < s->count; i++) {
        const uint8_t *h = s->tab + i * PE_SECTION_SIZE;
        uint32_t vsize = exh_rd32(h + 8), va = exh_rd32(h + 12);
        uint32_t raw = exh_rd32(h + 16), ptr = exh_rd32(h + 20);
        /* bytes of the section that come from the file: SizeOfRawData, less
         * when VirtualSize is smaller (the rest is alignment padding) */
        uint32_t span = raw;
        if (vsize && vsize < span)
            span = vsize;
        if (rva < va || rva - va >= span)
            continue;
        size_t at = (size_t)ptr + (rva - va);
        if ((uint64_t)ptr + (rva - va) > (uint64_t)SIZE_MAX || at >= n)
            continue; /* that part of the section is not in the file */
        size_t left = span - (rva - va);
        *off = at;
        *avail = left < n - at ? left : n - at;
        return true;
    }
    return false;
}

/* UTF-16LE units p[0..units) -> UTF-8 in out (cap bytes with the NUL),
 * control characters (C0, DEL, C1) dropped, unpaired surrogates as U+FFFD,
 * cut at a character boundary. */
static void utf16_to_text(const uint8_t *p, size_t units, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t c = exh_rd16(p + 2 * i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
            uint32_t d = exh_rd16(p + 2 * i + 2);
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF)
            c = 0xFFFD;
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
            continue;
        uint8_t u[4];
        size_t m;
        if (c < 0x80) {
            u[0] = (uint8_t)c;
            m = 1;
        } else if (c < 0x800) {
            u[0] = (uint8_t)(0xC0 | c >> 6);
            u[1] = (uint8_t)(0x80 | (c & 0x3F));
            m = 2;
        } else if (c < 0x10000) {
            u[0] = (uint8_t)(0xE0 | c >> 12);
            u[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            u[2] = (uint8_t)(0x80 | (c & 0x3F));
            m = 3;
        } else {
            u[0] = (uint8_t)(0xF0 | c >> 18);
            u[1] = (uint8_t)(0x80 | (c >> 12 & 0x3F));
            u[2] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            u[3] = (uint8_t)(0x80 | (c & 0x3F));
            m = 4;
        }
        if (k + m >= cap)
            break;
        memcpy(out + k, u, m);
        k += m;
    }
    out[k] = '\0';
}

/* ---- the resource tree ---- */

struct res {
    const uint8_t *base; /* the resource directory's first byte in the file */
    size_t len;          /* bytes of its section from there on */
};

/* The directory at off (relative to the resource base): its entries, which
 * must all fit in the section. */
static int res_dir(const struct res *r, uint32_t off, const uint8_t **ents, size_t *count,
                   const char **why)
{
    if (!fits(off, 16, r->len))
        return fail(why, EXH_ERR_TRUNCATED, "resource directory outside its section");
    const uint8_t *d = r->base + off;
    size_t k = (size_t)exh_rd16(d + 12) + exh_rd16(d + 14);
    if (k > (r->len - off - 16) / 8)
        return fail(why, EXH_ERR_TRUNCATED, "resource directory has more entries than bytes");
    *ents = d + 16;
    *count = k;
    return EXH_OK;
}

/* Walks type RT_VERSION -> first name -> first language down to the data
 * entry; *rva and *size of the version resource. */
static int res_find_version(const struct res *r, uint32_t *rva, uint32_t *size, const char **why)
{
    uint32_t path[3] = {0, 0, 0}; /* offsets of the directories walked */
    const uint8_t *ents;
    size_t count;
    int rc = res_dir(r, 0, &ents, &count, why);
    if (rc != EXH_OK)
        return rc;
    uint32_t next = 0;
    bool found = false;
    for (size_t i = 0; i < count && !found; i++) {
        uint32_t name = exh_rd32(ents + 8 * i), to = exh_rd32(ents + 8 * i + 4);
        if (!(name & 0x80000000u) && name == RT_VERSION) {
            if (!(to & 0x80000000u))
                return fail(why, EXH_ERR_CORRUPT, "resource type entry is not a directory");
            next = to & 0x7FFFFFFFu;
            found = true;
        }
    }
    if (!found)
        return fail(why, EXH_ERR_CORRUPT, "no version resource");
    for (int level = 1; level < 3; level++) {
        for (int a = 0; a < level; a++)
            if (path[a] == next)
                return fail(why, EXH_ERR_CORRUPT, "resource directory loops");
        path[level] = next;
        rc = res_dir(r, next, &ents, &count, why);
        if (rc != EXH_OK)
            return rc;
        if (count == 0)
            return fail(why, EXH_ERR_CORRUPT, "empty resource directory");
        uint32_t to = exh_rd32(ents + 4);
        bool is_dir = (to & 0x80000000u) != 0;
        if (level == 1 && !is_dir)
            return fail(why, EXH_ERR_CORRUPT, "resource name entry is not a directory");
        if (level == 2 && is_dir)
            return fail(why, EXH_ERR_CORRUPT, "resource tree deeper than three levels");
        next = to & 0x7FFFFFFFu;
    }
    /* next: the IMAGE_RESOURCE_DATA_ENTRY */
    if (!fits(next, 16, r->len))
        return fail(why, EXH_ERR_TRUNCATED, "resource data entry outside its section");
    *rva = exh_rd32(r->base + next);
    *size = exh_rd32(r->base + next + 4);
    return EXH_OK;
}

/* ---- VS_VERSIONINFO ---- */

/* One version block: WORD wLength, wValueLength, wType; WCHAR szKey[];
 * padding to 32 bits; Value; padding; Children. Offsets are from the start
 * of the version resource (which the loader aligns to 32 bits). */
struct blk {
    size_t off, end;     /* the block: [off, end) */
    uint16_t vlen, type; /* wValueLength (bytes when type 0, WCHARs when 1), wType */
    size_t key, keylen;  /* szKey: offset and units, without the NUL */
    size_t val;          /* Value's offset (at most end) */
};

static size_t align4(size_t x)
{
    return (x + 3) & ~(size_t)3;
}

static int blk_read(const uint8_t *v, size_t off, size_t limit, struct blk *b, const char **why)
{
    if (!fits(off, BLOCK_HEAD, limit))
        return fail(why, EXH_ERR_TRUNCATED, "truncated version block");
    size_t len = exh_rd16(v + off);
    if (len < BLOCK_HEAD)
        return fail(why, EXH_ERR_CORRUPT, "version block shorter than its header");
    if (len > limit - off)
        return fail(why, EXH_ERR_TRUNCATED, "version block longer than its parent");
    b->off = off;
    b->end = off + len;
    b->vlen = exh_rd16(v + off + 2);
    b->type = exh_rd16(v + off + 4);
    b->key = off + BLOCK_HEAD;
    size_t i = b->key;
    while (i + 2 <= b->end && exh_rd16(v + i) != 0)
        i += 2;
    if (i + 2 > b->end)
        return fail(why, EXH_ERR_CORRUPT, "version block key without terminator");
    b->keylen = (i - b->key) / 2;
    b->val = align4(i + 2);
    if (b->val > b->end)
        b->val = b->end;
    return EXH_OK;
}

/* Is the block's key the ASCII text s? */
static bool blk_key_is(const uint8_t *v, const struct blk *b, const char *s)
{
    size_t k = strlen(s);
    if (b->keylen != k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (exh_rd16(v + b->key + 2 * i) != (unsigned char)s[i])
            return false;
    return true;
}

/* Where the block's children start: after the value, aligned. bytes is the
 * value's size in bytes as the block states it. */
static size_t blk_children(const struct blk *b, size_t bytes)
{
    size_t c = bytes > b->end - b->val ? b->end : align4(b->val + bytes);
    return c > b->end ? b->end : c;
}

/* The next child of parent at *pos, or false when none is left: fewer
 * bytes than a header remain, or a zero wLength (padding) follows. */
static bool blk_next(const uint8_t *v, const struct blk *parent, size_t *pos, struct blk *c,
                     int *rc, const char **why)
{
    size_t at = align4(*pos);
    *rc = EXH_OK;
    if (at >= parent->end || parent->end - at < BLOCK_HEAD || exh_rd16(v + at) == 0)
        return false;
    *rc = blk_read(v, at, parent->end, c, why);
    if (*rc != EXH_OK)
        return false;
    *pos = c->end;
    return true;
}

/* A String block: its key names the field, its value (UTF-16, up to its NUL
 * or the block's end) is the text. The first non-empty value of a field is
 * kept. */
static void string_entry(const uint8_t *v, const struct blk *s, struct exh_pe_version *out)
{
    char *dst = NULL;
    size_t cap = 0;
    if (blk_key_is(v, s, "FileVersion")) {
        dst = out->file_version;
        cap = sizeof(out->file_version);
    } else if (blk_key_is(v, s, "ProductName")) {
        dst = out->product_name;
        cap = sizeof(out->product_name);
    } else if (blk_key_is(v, s, "OriginalFilename")) {
        dst = out->original_name;
        cap = sizeof(out->original_name);
    }
    if (!dst || dst[0] || s->vlen == 0)
        return;
    size_t units = 0;
    while (s->val + 2 * units + 2 <= s->end && exh_rd16(v + s->val + 2 * units) != 0)
        units++;
    utf16_to_text(v + s->val, units, dst, cap);
}

/* StringFileInfo -> StringTable(s) -> String(s). */
static int string_file_info(const uint8_t *v, const struct blk *sfi, struct exh_pe_version *out,
                            const char **why)
{
    int rc;
    struct blk table, str;
    size_t pos = blk_children(sfi, sfi->type == 1 ? 2u * sfi->vlen : sfi->vlen);
    while (blk_next(v, sfi, &pos, &table, &rc, why)) {
        size_t at = blk_children(&table, table.type == 1 ? 2u * table.vlen : table.vlen);
        while (blk_next(v, &table, &at, &str, &rc, why))
            string_entry(v, &str, out);
        if (rc != EXH_OK)
            return rc;
    }
    return rc;
}

static int version_info(const uint8_t *v, size_t len, struct exh_pe_version *out, const char **why)
{
    struct blk root, child;
    int rc = blk_read(v, 0, len, &root, why);
    if (rc != EXH_OK)
        return rc;
    if (!blk_key_is(v, &root, "VS_VERSION_INFO"))
        return fail(why, EXH_ERR_CORRUPT, "version resource is not a VS_VERSIONINFO block");
    if (root.vlen) {
        if (root.vlen < FIXED_SIZE || root.end - root.val < FIXED_SIZE)
            return fail(why, EXH_ERR_TRUNCATED, "truncated VS_FIXEDFILEINFO");
        const uint8_t *f = v + root.val;
        if (exh_rd32(f) == FIXED_SIG) {
            uint32_t w[4] = {exh_rd32(f + 8), exh_rd32(f + 12), exh_rd32(f + 16), exh_rd32(f + 20)};
            out->file[0] = (uint16_t)(w[0] >> 16);
            out->file[1] = (uint16_t)w[0];
            out->file[2] = (uint16_t)(w[1] >> 16);
            out->file[3] = (uint16_t)w[1];
            out->product[0] = (uint16_t)(w[2] >> 16);
            out->product[1] = (uint16_t)w[2];
            out->product[2] = (uint16_t)(w[3] >> 16);
            out->product[3] = (uint16_t)w[3];
            out->has_fixed = true;
        }
    }
    size_t pos = blk_children(&root, root.vlen);
    while (blk_next(v, &root, &pos, &child, &rc, why)) {
        if (blk_key_is(v, &child, "StringFileInfo")) {
            rc = string_file_info(v, &child, out, why);
            if (rc != EXH_OK)
                return rc;
        }
        /* VarFileInfo and anything else: skipped whole */
    }
    return rc;
}

/* ---- headers ---- */

int exh_pe_version(const uint8_t *p, size_t n, struct exh_pe_version *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = "";
    memset(out, 0, sizeof(*out));
    if (n < 64 || exh_rd16(p) != PE_MZ)
        return fail(why, EXH_ERR_CORRUPT, "not a PE image (no MZ header)");
    uint32_t lfanew = exh_rd32(p + 0x3C);
    if (!fits(lfanew, 4 + PE_COFF_SIZE, n))
        return fail(why, EXH_ERR_TRUNCATED, "PE header offset past the end of the file");
    if (exh_rd32(p + lfanew) != PE_SIG)
        return fail(why, EXH_ERR_CORRUPT, "not a PE image (no PE signature)");
    const uint8_t *coff = p + lfanew + 4;
    size_t nsec = exh_rd16(coff + 2), optsize = exh_rd16(coff + 16);
    size_t opt = (size_t)lfanew + 4 + PE_COFF_SIZE;
    if (!fits(opt, optsize, n) || optsize < 2)
        return fail(why, EXH_ERR_TRUNCATED, "truncated optional header");
    uint16_t magic = exh_rd16(p + opt);
    size_t ndirs_at, dirs_at;
    if (magic == PE_MAGIC32) {
        ndirs_at = 92;
        dirs_at = 96;
    } else if (magic == PE_MAGIC64) {
        ndirs_at = 108;
        dirs_at = 112;
        out->is_pe32_plus = true;
    } else {
        return fail(why, EXH_ERR_CORRUPT, "unknown optional header magic");
    }
    size_t res_dir_at = dirs_at + 8 * PE_DIR_RESOURCE;
    if (optsize < ndirs_at + 4 || exh_rd32(p + opt + ndirs_at) <= PE_DIR_RESOURCE ||
        optsize < res_dir_at + 8)
        return fail(why, EXH_ERR_CORRUPT, "no resource directory");
    uint32_t res_rva = exh_rd32(p + opt + res_dir_at);
    uint32_t res_size = exh_rd32(p + opt + res_dir_at + 4);
    if (res_rva == 0 || res_size == 0)
        return fail(why, EXH_ERR_CORRUPT, "no resource directory");
    size_t sec = opt + optsize;
    if (nsec == 0)
        return fail(why, EXH_ERR_CORRUPT, "no sections");
    if (!fits(sec, nsec * PE_SECTION_SIZE, n))
        return fail(why, EXH_ERR_TRUNCATED, "section table runs past the end of the file");
    struct pe_sections s = {p + sec, nsec};
    size_t off, avail;
    if (!rva_map(&s, n, res_rva, &off, &avail))
        return fail(why, EXH_ERR_CORRUPT, "resource directory outside every section");
    struct res r = {p + off, avail};
    uint32_t vrva, vsize;
    int rc = res_find_version(&r, &vrva, &vsize, why);
    if (rc != EXH_OK)
        return rc;
    if (vsize == 0)
        return fail(why, EXH_ERR_CORRUPT, "empty version resource");
    if (!rva_map(&s, n, vrva, &off, &avail))
        return fail(why, EXH_ERR_CORRUPT, "version resource outside every section");
    if (vsize > avail)
        return fail(why, EXH_ERR_TRUNCATED, "version resource runs past its section");
    return version_info(p + off, vsize, out, why);
}

char *exh_pe_version_format(const uint16_t v[4], char *buf, size_t cap)
{
    if (cap)
        snprintf(buf, cap, "%u.%u.%u.%u", (unsigned)v[0], (unsigned)v[1], (unsigned)v[2],
                 (unsigned)v[3]);
    return buf;
}
