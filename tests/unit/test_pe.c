/* test_pe.c: the PE version-resource reader (src/read/pe.c) on the fixtures
 * of tests/gen/make_pe.py (PE32, PE32+, and an .exe built by mingw-w64's
 * windres and gcc), then on copies of the PE32 fixture damaged one field at
 * a time, and on every prefix of it. Every read runs on a heap copy of
 * exactly the bytes given, so ASan sees any overread. Run from the
 * repository root (make unit does). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/err.h"
#include "exh/pe.h"
#include "t.h"

#define FIX "tests/fixtures/pe/"

struct img {
    uint8_t *p;
    size_t n;
};

static struct img load(const char *path)
{
    struct img m = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("%s: cannot open (run from the repository root)\n", path);
        return m;
    }
    uint8_t buf[1 << 16];
    m.n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    m.p = malloc(m.n ? m.n : 1);
    if (m.p)
        memcpy(m.p, buf, m.n);
    return m;
}

static struct img dup_img(struct img a)
{
    struct img m = {malloc(a.n ? a.n : 1), a.n};
    memcpy(m.p, a.p, a.n);
    return m;
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | get16(p + 2) << 16;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

/* Where the fields of a fixture are (found the way the reader finds them,
 * trusting the fixture). */
struct where {
    size_t pe, coff, opt, dirs, sec; /* PE signature, COFF, optional header,
                                        data directories, section table */
    size_t rsrc_hdr;                 /* the section header holding the resource directory */
    size_t rsrc;                     /* the resource directory */
    size_t name_dir, lang_dir, data; /* relative to rsrc */
    size_t ver;                      /* the VS_VERSIONINFO block */
};

static size_t map(const uint8_t *p, size_t sec, size_t nsec, uint32_t rva, size_t *hdr)
{
    for (size_t i = 0; i < nsec; i++) {
        const uint8_t *h = p + sec + 40 * i;
        uint32_t va = get32(h + 12), raw = get32(h + 16), ptr = get32(h + 20);
        if (rva >= va && rva - va < raw) {
            if (hdr)
                *hdr = sec + 40 * i;
            return ptr + (rva - va);
        }
    }
    return 0;
}

static struct where locate(const uint8_t *p)
{
    struct where w;
    w.pe = get32(p + 0x3C);
    w.coff = w.pe + 4;
    w.opt = w.coff + 20;
    w.dirs = w.opt + (get16(p + w.opt) == 0x20B ? 112 : 96);
    w.sec = w.opt + get16(p + w.coff + 16);
    size_t nsec = get16(p + w.coff + 2);
    w.rsrc = map(p, w.sec, nsec, get32(p + w.dirs + 16), &w.rsrc_hdr);
    w.name_dir = get32(p + w.rsrc + 16 + 4) & 0x7FFFFFFF;
    w.lang_dir = get32(p + w.rsrc + w.name_dir + 16 + 4) & 0x7FFFFFFF;
    w.data = get32(p + w.rsrc + w.lang_dir + 16 + 4);
    w.ver = map(p, w.sec, nsec, get32(p + w.rsrc + w.data), NULL);
    return w;
}

/* The offset of the UTF-16 text of s (ASCII) in the image, or 0. */
static size_t find16(struct img m, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + 2 * k <= m.n; i++) {
        size_t j = 0;
        while (j < k && m.p[i + 2 * j] == (uint8_t)s[j] && m.p[i + 2 * j + 1] == 0)
            j++;
        if (j == k)
            return i;
    }
    return 0;
}

/* exh_pe_version on an exact-size heap copy of m[0..n) */
static int read_n(struct img m, size_t n, struct exh_pe_version *v, const char **why)
{
    uint8_t *c = malloc(n ? n : 1);
    memcpy(c, m.p, n);
    int rc = exh_pe_version(c, n, v, why);
    free(c);
    return rc;
}

static int read_img(struct img m, struct exh_pe_version *v, const char **why)
{
    return read_n(m, m.n, v, why);
}

static void check_version(const uint16_t got[4], unsigned a, unsigned b, unsigned c, unsigned d)
{
    char text[EXH_PE_VERSION_TEXT], want[EXH_PE_VERSION_TEXT];
    snprintf(want, sizeof(want), "%u.%u.%u.%u", a, b, c, d);
    CHECK_EQ_STR(exh_pe_version_format(got, text, sizeof(text)), want);
}

static void test_fixtures(void)
{
    struct exh_pe_version v;
    const char *why = NULL;

    struct img a = load(FIX "pe32.exe");
    T_CTX("pe32.exe");
    CHECK(a.p != NULL && a.n > 0);
    CHECK_EQ_INT(read_img(a, &v, &why), EXH_OK);
    CHECK_EQ_STR(why, "");
    CHECK(v.has_fixed);
    CHECK(!v.is_pe32_plus);
    check_version(v.file, 15, 1, 2507, 16);
    check_version(v.product, 15, 1, 2507, 16);
    CHECK_EQ_STR(v.file_version, "15.01.2507.016");
    CHECK_EQ_STR(v.product_name, "Microsoft\xC2\xAE Exchange");
    CHECK_EQ_STR(v.original_name, "ExSetup.exe");
    /* why may be NULL */
    CHECK_EQ_INT(exh_pe_version(a.p, a.n, &v, NULL), EXH_OK);
    free(a.p);

    struct img b = load(FIX "pe64.dll");
    T_CTX("pe64.dll");
    CHECK(b.p != NULL && b.n > 0);
    CHECK_EQ_INT(read_img(b, &v, &why), EXH_OK);
    CHECK(v.has_fixed);
    CHECK(v.is_pe32_plus);
    check_version(v.file, 15, 2, 1118, 40);
    check_version(v.product, 15, 2, 1118, 40);
    CHECK_EQ_STR(v.file_version, "15.02.1118.040");
    CHECK_EQ_STR(v.product_name, "Microsoft\xC2\xAE Exchange");
    CHECK_EQ_STR(v.original_name, "Microsoft.Exchange.HttpProxy.Common.dll");
    free(b.p);

    struct img e = load(FIX "edge.exe");
    T_CTX("edge.exe");
    CHECK(e.p != NULL && e.n > 0);
    CHECK_EQ_INT(read_img(e, &v, &why), EXH_OK);
    CHECK(v.has_fixed);
    check_version(v.file, 15, 1, 2507, 16);
    /* the first table's FileVersion has no value: the second table's */
    CHECK_EQ_STR(v.file_version, "15.01.2507.016");
    /* 94 ASCII bytes, then a 3-byte character that does not fit in 95 */
    CHECK_EQ_INT(strlen(v.product_name), 94);
    CHECK(strspn(v.product_name, "A") == 94);
    CHECK_EQ_STR(v.original_name, "\xC3\x89xSetup.exe");
    free(e.p);

    struct img c = load(FIX "mingw.exe");
    T_CTX("mingw.exe (windres + x86_64-w64-mingw32-gcc)");
    CHECK(c.p != NULL && c.n > 0);
    CHECK_EQ_INT(read_img(c, &v, &why), EXH_OK);
    CHECK(v.has_fixed);
    CHECK(v.is_pe32_plus);
    check_version(v.file, 15, 1, 2507, 16);
    check_version(v.product, 15, 1, 2507, 16);
    CHECK_EQ_STR(v.file_version, "15.01.2507.016");
    CHECK_EQ_STR(v.product_name, "Microsoft Exchange");
    CHECK_EQ_STR(v.original_name, "ExSetup.exe");
    free(c.p);
    T_CTX(NULL);
}

static void test_format(void)
{
    char buf[EXH_PE_VERSION_TEXT];
    const uint16_t max[4] = {65535, 65535, 65535, 65535}, zero[4] = {0, 0, 0, 0};
    CHECK_EQ_STR(exh_pe_version_format(max, buf, sizeof(buf)), "65535.65535.65535.65535");
    CHECK_EQ_STR(exh_pe_version_format(zero, buf, sizeof(buf)), "0.0.0.0");
    const uint16_t v[4] = {15, 1, 2507, 16};
    CHECK_EQ_STR(exh_pe_version_format(v, buf, 5), "15.1");
    CHECK(exh_pe_version_format(v, buf, 0) == buf);
}

/* Every prefix of the PE32 fixture: an error until the version block is
 * whole, then the same answer as the whole file. */
static void test_prefixes(void)
{
    struct img a = load(FIX "pe32.exe");
    CHECK(a.p != NULL);
    if (!a.p)
        return;
    struct where w = locate(a.p);
    size_t need = w.ver + get32(a.p + w.rsrc + w.data + 4);
    size_t bad = 0, good = 0;
    for (size_t n = 0; n <= a.n; n++) {
        struct exh_pe_version v;
        const char *why = NULL;
        int rc = read_n(a, n, &v, &why);
        if (n < need) {
            if (rc != EXH_ERR_CORRUPT && rc != EXH_ERR_TRUNCATED)
                bad++;
        } else if (rc == EXH_OK && !strcmp(v.original_name, "ExSetup.exe") && v.file[2] == 2507) {
            good++;
        } else {
            bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(good, a.n + 1 - need);
    free(a.p);
}

/* One damaged copy: what to change, and what the reader must say. */
enum field {
    F_MZ,
    F_LFANEW,
    F_PESIG,
    F_NSEC,
    F_OPTSIZE,
    F_MAGIC,
    F_NDIRS,
    F_RES_RVA,
    F_RES_SIZE,
    F_SEC_VA,     /* the resource section's VirtualAddress */
    F_SEC_RAW,    /* its SizeOfRawData */
    F_SEC_PTR,    /* its PointerToRawData */
    F_SEC_VSIZE,  /* its VirtualSize */
    F_TEXT_VA,    /* the first (code) section's VirtualAddress: overlap */
    F_ROOT_COUNT, /* the root directory's id entry count */
    F_ROOT_NAMED, /* its named entry count */
    F_ROOT_TYPE,  /* the first type id */
    F_ROOT_TO,    /* where the type entry points */
    F_NAME_COUNT, /* the name directory's id entry count */
    F_NAME_TO,    /* where the name entry points */
    F_LANG_TO,    /* where the language entry points */
    F_DATA_RVA,   /* the data entry's OffsetToData */
    F_DATA_SIZE,  /* its Size */
    F_VER_LEN,    /* VS_VERSIONINFO wLength */
    F_VER_VLEN,   /* its wValueLength */
    F_VER_KEY,    /* the first unit of its key */
    F_FIXED_SIG,  /* VS_FIXEDFILEINFO's signature */
    F_CHILD_LEN,  /* the first child's (StringFileInfo) wLength */
    F_TABLE_LEN,  /* the StringTable's wLength */
    F_STRING_LEN, /* the first String's wLength */
};

struct hostile {
    const char *name;
    enum field field;
    uint32_t value;
    int rc;
    const char *why; /* NULL: any reason */
};

static const struct hostile hostile[] = {
    {"no MZ", F_MZ, 0x5A4E, EXH_ERR_CORRUPT, "not a PE image (no MZ header)"},
    {"e_lfanew past the end", F_LFANEW, 0x10000, EXH_ERR_TRUNCATED, NULL},
    {"e_lfanew negative", F_LFANEW, 0xFFFFFFF8u, EXH_ERR_TRUNCATED, NULL},
    {"e_lfanew near 4 GiB", F_LFANEW, 0xFFFFFFFFu, EXH_ERR_TRUNCATED, NULL},
    {"e_lfanew into the stub", F_LFANEW, 0x40, EXH_ERR_CORRUPT, "not a PE image (no PE signature)"},
    {"no PE signature", F_PESIG, 0x00004551, EXH_ERR_CORRUPT, "not a PE image (no PE signature)"},
    {"65535 sections", F_NSEC, 0xFFFF, EXH_ERR_TRUNCATED,
     "section table runs past the end of the file"},
    {"no sections", F_NSEC, 0, EXH_ERR_CORRUPT, "no sections"},
    {"SizeOfOptionalHeader 65535", F_OPTSIZE, 0xFFFF, EXH_ERR_TRUNCATED,
     "truncated optional header"},
    {"SizeOfOptionalHeader 0", F_OPTSIZE, 0, EXH_ERR_TRUNCATED, "truncated optional header"},
    {"SizeOfOptionalHeader short of the resource entry", F_OPTSIZE, 100, EXH_ERR_CORRUPT,
     "no resource directory"},
    {"SizeOfOptionalHeader 8 too long", F_OPTSIZE, 224 + 8, EXH_ERR_CORRUPT, NULL},
    {"unknown magic", F_MAGIC, 0x107, EXH_ERR_CORRUPT, "unknown optional header magic"},
    {"two data directories", F_NDIRS, 2, EXH_ERR_CORRUPT, "no resource directory"},
    {"resource RVA 0", F_RES_RVA, 0, EXH_ERR_CORRUPT, "no resource directory"},
    {"resource size 0", F_RES_SIZE, 0, EXH_ERR_CORRUPT, "no resource directory"},
    {"resource RVA outside every section", F_RES_RVA, 0x9000, EXH_ERR_CORRUPT,
     "resource directory outside every section"},
    {"resource RVA at 4 GiB", F_RES_RVA, 0xFFFFFFF0u, EXH_ERR_CORRUPT,
     "resource directory outside every section"},
    {"resource section moved", F_SEC_VA, 0x5000, EXH_ERR_CORRUPT,
     "resource directory outside every section"},
    {"resource section raw data past the end", F_SEC_PTR, 0xFFFFFE00u, EXH_ERR_CORRUPT,
     "resource directory outside every section"},
    {"resource section raw size 4 GiB", F_SEC_RAW, 0xFFFFFFFFu, EXH_OK, NULL},
    {"resource section VirtualSize 16", F_SEC_VSIZE, 16, EXH_ERR_TRUNCATED, NULL},
    {"sections overlap (code over resources)", F_TEXT_VA, 0x2000, EXH_ERR_TRUNCATED,
     "resource directory outside its section"},
    {"giant root entry count", F_ROOT_COUNT, 0xFFFF, EXH_ERR_TRUNCATED,
     "resource directory has more entries than bytes"},
    {"giant named entry count", F_ROOT_NAMED, 0xFFFF, EXH_ERR_TRUNCATED,
     "resource directory has more entries than bytes"},
    {"empty root", F_ROOT_COUNT, 0, EXH_ERR_CORRUPT, "no version resource"},
    {"no RT_VERSION", F_ROOT_TYPE, 24, EXH_ERR_CORRUPT, "no version resource"},
    {"type entry is data", F_ROOT_TO, 0x18, EXH_ERR_CORRUPT,
     "resource type entry is not a directory"},
    {"type entry points at the root", F_ROOT_TO, 0x80000000u, EXH_ERR_CORRUPT,
     "resource directory loops"},
    {"type entry outside the section", F_ROOT_TO, 0xFFFFFFF0u, EXH_ERR_TRUNCATED,
     "resource directory outside its section"},
    {"empty name directory", F_NAME_COUNT, 0, EXH_ERR_CORRUPT, "empty resource directory"},
    {"name entry points at the root", F_NAME_TO, 0x80000000u, EXH_ERR_CORRUPT,
     "resource directory loops"},
    {"name entry points at itself", F_NAME_TO, 0x80000018u, EXH_ERR_CORRUPT,
     "resource directory loops"},
    {"name entry is data", F_NAME_TO, 0x48, EXH_ERR_CORRUPT,
     "resource name entry is not a directory"},
    {"language entry points at itself", F_LANG_TO, 0x80000030u, EXH_ERR_CORRUPT,
     "resource tree deeper than three levels"},
    {"language entry points at the root", F_LANG_TO, 0x80000000u, EXH_ERR_CORRUPT,
     "resource tree deeper than three levels"},
    {"data entry outside the section", F_LANG_TO, 0x7FFFFFF0u, EXH_ERR_TRUNCATED,
     "resource data entry outside its section"},
    {"data RVA outside every section", F_DATA_RVA, 0x8000, EXH_ERR_CORRUPT,
     "version resource outside every section"},
    {"data size 4 GiB", F_DATA_SIZE, 0xFFFFFFFFu, EXH_ERR_TRUNCATED,
     "version resource runs past its section"},
    {"data size 0", F_DATA_SIZE, 0, EXH_ERR_CORRUPT, "empty version resource"},
    {"data size 4", F_DATA_SIZE, 4, EXH_ERR_TRUNCATED, "truncated version block"},
    {"data size cuts the key", F_DATA_SIZE, 20, EXH_ERR_TRUNCATED,
     "version block longer than its parent"},
    {"wLength 0", F_VER_LEN, 0, EXH_ERR_CORRUPT, "version block shorter than its header"},
    {"wLength 5", F_VER_LEN, 5, EXH_ERR_CORRUPT, "version block shorter than its header"},
    {"wLength 20: key without terminator", F_VER_LEN, 20, EXH_ERR_CORRUPT,
     "version block key without terminator"},
    {"wLength 60: fixed info cut", F_VER_LEN, 60, EXH_ERR_TRUNCATED, "truncated VS_FIXEDFILEINFO"},
    {"wLength 65535", F_VER_LEN, 0xFFFF, EXH_ERR_TRUNCATED, "version block longer than its parent"},
    {"wValueLength 51", F_VER_VLEN, 51, EXH_ERR_TRUNCATED, "truncated VS_FIXEDFILEINFO"},
    {"wValueLength 65535", F_VER_VLEN, 0xFFFF, EXH_OK,
     NULL}, /* value runs to the end: no children */
    {"key VW_VERSION_INFO", F_VER_KEY, 'W', EXH_ERR_CORRUPT,
     "version resource is not a VS_VERSIONINFO block"},
    {"bad fixed signature", F_FIXED_SIG, 0xFEEF04BE, EXH_OK, NULL},
    {"child wLength 0 (padding)", F_CHILD_LEN, 0, EXH_OK, NULL},
    {"child wLength 3", F_CHILD_LEN, 3, EXH_ERR_CORRUPT, "version block shorter than its header"},
    {"child wLength 65535", F_CHILD_LEN, 0xFFFF, EXH_ERR_TRUNCATED,
     "version block longer than its parent"},
    {"child wLength 7 (odd)", F_CHILD_LEN, 7, EXH_ERR_CORRUPT,
     "version block key without terminator"},
    {"table wLength 5", F_TABLE_LEN, 5, EXH_ERR_CORRUPT, "version block shorter than its header"},
    {"table wLength 65535", F_TABLE_LEN, 0xFFFF, EXH_ERR_TRUNCATED,
     "version block longer than its parent"},
    {"string wLength 1", F_STRING_LEN, 1, EXH_ERR_CORRUPT, "version block shorter than its header"},
    {"string wLength 9 (odd)", F_STRING_LEN, 9, EXH_ERR_CORRUPT,
     "version block key without terminator"},
};

static void apply(struct img m, const struct where *w, enum field f, uint32_t v)
{
    uint8_t *p = m.p;
    size_t r = w->rsrc, child = w->ver + 92; /* header 6, key 32, pad 2, fixed 52 */
    /* StringFileInfo: 6 + 30 ("StringFileInfo" and NUL) = 36, aligned; the
     * table: 6 + 18 ("040904b0" and NUL) = 24, aligned */
    size_t table = child + 36, str = table + 24;
    switch (f) {
    case F_MZ:
        put16(p, v);
        break;
    case F_LFANEW:
        put32(p + 0x3C, v);
        break;
    case F_PESIG:
        put32(p + w->pe, v);
        break;
    case F_NSEC:
        put16(p + w->coff + 2, v);
        break;
    case F_OPTSIZE:
        put16(p + w->coff + 16, v);
        break;
    case F_MAGIC:
        put16(p + w->opt, v);
        break;
    case F_NDIRS:
        put32(p + w->dirs - 4, v);
        break;
    case F_RES_RVA:
        put32(p + w->dirs + 16, v);
        break;
    case F_RES_SIZE:
        put32(p + w->dirs + 20, v);
        break;
    case F_SEC_VSIZE:
        put32(p + w->rsrc_hdr + 8, v);
        break;
    case F_SEC_VA:
        put32(p + w->rsrc_hdr + 12, v);
        break;
    case F_SEC_RAW:
        put32(p + w->rsrc_hdr + 16, v);
        break;
    case F_SEC_PTR:
        put32(p + w->rsrc_hdr + 20, v);
        break;
    case F_TEXT_VA:
        put32(p + w->sec + 12, v);
        break;
    case F_ROOT_COUNT:
        put16(p + r + 14, v);
        break;
    case F_ROOT_NAMED:
        put16(p + r + 12, v);
        break;
    case F_ROOT_TYPE:
        put32(p + r + 16, v);
        break;
    case F_ROOT_TO:
        put32(p + r + 20, v);
        break;
    case F_NAME_COUNT:
        put16(p + r + w->name_dir + 14, v);
        break;
    case F_NAME_TO:
        put32(p + r + w->name_dir + 20, v);
        break;
    case F_LANG_TO:
        put32(p + r + w->lang_dir + 20, v);
        break;
    case F_DATA_RVA:
        put32(p + r + w->data, v);
        break;
    case F_DATA_SIZE:
        put32(p + r + w->data + 4, v);
        break;
    case F_VER_LEN:
        put16(p + w->ver, v);
        break;
    case F_VER_VLEN:
        put16(p + w->ver + 2, v);
        break;
    case F_VER_KEY:
        put16(p + w->ver + 6 + 2, v);
        break;
    case F_FIXED_SIG:
        put32(p + w->ver + 40, v);
        break;
    case F_CHILD_LEN:
        put16(p + child, v);
        break;
    case F_TABLE_LEN:
        put16(p + table, v);
        break;
    case F_STRING_LEN:
        put16(p + str, v);
        break;
    }
}

static void test_hostile(void)
{
    struct img a = load(FIX "pe32.exe");
    CHECK(a.p != NULL);
    if (!a.p)
        return;
    struct where w = locate(a.p);
    /* the layout apply() assumes: make_pe.py's pe32.exe */
    CHECK_EQ_INT(w.name_dir, 0x18);
    CHECK_EQ_INT(w.lang_dir, 0x30);
    CHECK_EQ_INT(w.data, 0x48);
    CHECK_EQ_INT(get16(a.p + w.coff + 16), 224);
    CHECK(find16(a, "StringFileInfo") == w.ver + 92 + 6);
    CHECK(find16(a, "040904b0") == w.ver + 92 + 36 + 6);
    CHECK(find16(a, "CompanyName") == w.ver + 92 + 36 + 24 + 6);
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        const struct hostile *h = &hostile[i];
        T_CTX(h->name);
        struct img m = dup_img(a);
        apply(m, &w, h->field, h->value);
        struct exh_pe_version v;
        const char *why = NULL;
        int rc = read_img(m, &v, &why);
        CHECK_EQ_INT(rc, h->rc);
        CHECK(why != NULL && (rc == EXH_OK) == (why[0] == '\0'));
        if (h->why)
            CHECK_EQ_STR(why, h->why);
        free(m.p);
    }
    T_CTX(NULL);
    free(a.p);
}

/* What a damaged copy still gives. */
static void test_partial(void)
{
    struct img a = load(FIX "pe32.exe");
    CHECK(a.p != NULL);
    if (!a.p)
        return;
    struct where w = locate(a.p);
    struct exh_pe_version v;
    const char *why;

    /* a bad VS_FIXEDFILEINFO signature: no fixed version, strings still read */
    struct img m = dup_img(a);
    apply(m, &w, F_FIXED_SIG, 0);
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_OK);
    CHECK(!v.has_fixed);
    CHECK_EQ_INT(v.file[0], 0);
    CHECK_EQ_STR(v.original_name, "ExSetup.exe");
    free(m.p);

    /* StringFileInfo's wLength 0 ends the children: the fixed version only */
    m = dup_img(a);
    apply(m, &w, F_CHILD_LEN, 0);
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_OK);
    CHECK(v.has_fixed);
    CHECK_EQ_INT(v.file[2], 2507);
    CHECK_EQ_STR(v.file_version, "");
    CHECK_EQ_STR(v.original_name, "");
    free(m.p);

    /* damage after the fixed info: the error keeps what was read */
    m = dup_img(a);
    apply(m, &w, F_STRING_LEN, 1);
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_ERR_CORRUPT);
    CHECK(v.has_fixed);
    CHECK_EQ_INT(v.file[3], 16);
    free(m.p);

    /* a value without its NUL ends at its block's end */
    m = dup_img(a);
    size_t at = find16(m, "ExSetup.exe");
    CHECK(at > 0);
    put16(m.p + at + 2 * 11, 'X');
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_OK);
    CHECK_EQ_STR(v.original_name, "ExSetup.exeX");
    free(m.p);

    /* control characters dropped, a lone surrogate as U+FFFD, a pair as
     * one 4-byte character */
    m = dup_img(a);
    at = find16(m, "15.01.2507.016");
    CHECK(at > 0);
    put16(m.p + at, 0x0007);
    put16(m.p + at + 2, 0x009B);
    put16(m.p + at + 4, 0xD800);
    put16(m.p + at + 8, 0xD83D);
    put16(m.p + at + 10, 0xDE00);
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_OK);
    CHECK_EQ_STR(v.file_version, "\xEF\xBF\xBD"
                                 "0\xF0\x9F\x98\x80"
                                 "2507.016");
    free(m.p);

    /* a key that is not one of the three fields is skipped */
    m = dup_img(a);
    at = find16(m, "OriginalFilename");
    CHECK(at > 0);
    put16(m.p + at, 'o');
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_OK);
    CHECK_EQ_STR(v.original_name, "");
    CHECK_EQ_STR(v.file_version, "15.01.2507.016");
    free(m.p);
    free(a.p);
}

/* A file far larger than its headers: as many directory entries as 1 MiB
 * holds under the root, none of them RT_VERSION. Linear, and an error. */
static void test_big(void)
{
    struct img a = load(FIX "pe32.exe");
    CHECK(a.p != NULL);
    if (!a.p)
        return;
    struct where w = locate(a.p);
    size_t big = 1u << 20;
    struct img m = {calloc(1, w.rsrc + big), w.rsrc + big};
    memcpy(m.p, a.p, w.rsrc);
    put32(m.p + w.rsrc_hdr + 8, 0);              /* VirtualSize */
    put32(m.p + w.rsrc_hdr + 16, (uint32_t)big); /* SizeOfRawData */
    size_t k = (big - 16) / 8;
    if (k > 0xFFFF)
        k = 0xFFFF;
    put16(m.p + w.rsrc + 12, (uint32_t)k); /* named: skipped as types */
    put16(m.p + w.rsrc + 14, (uint32_t)k);
    for (size_t i = 0; i < 2 * k; i++)
        put32(m.p + w.rsrc + 16 + 8 * i, i < k ? 0x80000000u : 17);
    struct exh_pe_version v;
    const char *why;
    CHECK_EQ_INT(read_img(m, &v, &why), EXH_ERR_CORRUPT);
    CHECK_EQ_STR(why, "no version resource");
    free(m.p);
    free(a.p);
}

int main(void)
{
    T_RUN(test_fixtures);
    T_RUN(test_format);
    T_RUN(test_prefixes);
    T_RUN(test_hostile);
    T_RUN(test_partial);
    T_RUN(test_big);
    return T_DONE("unit-pe");
}
