/* test_minidump.c: the MDMP reader (src/read/minidump.c) on dumps built in
 * memory, whole, damaged and truncated at every length. Every parse runs on
 * a heap copy of exactly the bytes given, so ASan sees any overread. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/minidump.h"
#include "t.h"

#define MODSZ 108

struct dump {
    uint8_t *p;
    size_t n;
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* UTF-8 (ASCII or 2/3-byte BMP) -> UTF-16LE code units appended to out. */
static size_t utf16le(const char *s, uint8_t *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    while (*u) {
        unsigned c;
        if (*u < 0x80) {
            c = *u++;
        } else if ((*u & 0xE0) == 0xC0) {
            c = (unsigned)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
            u += 2;
        } else {
            c = (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
            u += 3;
        }
        out[k++] = (uint8_t)c;
        out[k++] = (uint8_t)(c >> 8);
    }
    return k;
}

/* Header, a directory of 1 + extra streams (a SystemInfo-like stream of 56
 * junk bytes first when extra > 0, then the module list), the modules and
 * their names. name_rva_out[i] gets the offset of module i's name. */
static struct dump build(const char *const *mods, size_t nmods, int extra, uint32_t stamp)
{
    size_t nstreams = 1 + (size_t)extra;
    size_t dir = 32, junk = dir + nstreams * 12, list = junk + (extra ? 56 : 0);
    size_t names = list + 4 + nmods * MODSZ, total = names;
    for (size_t i = 0; i < nmods; i++)
        total += 4 + 2 * strlen(mods[i]);
    uint8_t *p = calloc(1, total);
    memcpy(p, "MDMP", 4);
    put32(p + 4, 0xA793); /* version */
    put32(p + 8, (uint32_t)nstreams);
    put32(p + 12, (uint32_t)dir);
    put32(p + 20, stamp);
    size_t d = dir;
    if (extra) {
        put32(p + d, 7); /* SystemInfoStream */
        put32(p + d + 4, 56);
        put32(p + d + 8, (uint32_t)junk);
        memset(p + junk, 0xEE, 56);
        d += 12;
    }
    put32(p + d, 4); /* ModuleListStream */
    put32(p + d + 4, (uint32_t)(4 + nmods * MODSZ));
    put32(p + d + 8, (uint32_t)list);
    put32(p + list, (uint32_t)nmods);
    size_t at = names;
    for (size_t i = 0; i < nmods; i++) {
        uint8_t *m = p + list + 4 + i * MODSZ;
        put32(m, 0x10000000u + (uint32_t)i * 0x100000u); /* BaseOfImage (low half) */
        put32(m + 8, 0x1000);                            /* SizeOfImage */
        put32(m + 20, (uint32_t)at);                     /* ModuleNameRva */
        size_t len = utf16le(mods[i], p + at + 4);
        put32(p + at, (uint32_t)len);
        at += 4 + len;
    }
    struct dump r = {p, total};
    return r;
}

/* Parse an exact-size heap copy of the first n bytes. */
static bool parse_n(const struct dump *d, size_t n, struct exh_minidump_info *info)
{
    uint8_t *c = malloc(n ? n : 1);
    if (n)
        memcpy(c, d->p, n);
    bool ok = exh_minidump_parse(c, n, info);
    free(c);
    return ok;
}

static bool lsass_in(const char *name)
{
    const char *mods[] = {name};
    struct dump d = build(mods, 1, 0, 0);
    struct exh_minidump_info info;
    bool ok = parse_n(&d, d.n, &info);
    free(d.p);
    return ok && info.has_lsass;
}

static void test_whole(void)
{
    struct exh_minidump_info info;
    const char *lsass[] = {"C:\\Windows\\System32\\lsass.exe", "C:\\Windows\\SYSTEM32\\ntdll.dll",
                           "C:\\Windows\\System32\\KERNEL32.DLL"};
    struct dump d = build(lsass, 3, 1, 0x603F2A10u);
    CHECK(exh_minidump_sniff(d.p, d.n));
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK(info.has_lsass);
        CHECK_EQ_INT(info.streams, 2);
        CHECK_EQ_INT(info.modules, 3);
        CHECK_EQ_INT(info.time_ms, (int64_t)0x603F2A10u * 1000);
        CHECK_EQ_STR(info.first_module, "C:\\Windows\\System32\\lsass.exe");
    }
    free(d.p);

    const char *svchost[] = {"C:\\Windows\\System32\\svchost.exe",
                             "C:\\Windows\\System32\\ntdll.dll"};
    d = build(svchost, 2, 0, 0);
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK(!info.has_lsass);
        CHECK_EQ_INT(info.modules, 2);
        CHECK_EQ_INT(info.streams, 1);
        CHECK_EQ_INT(info.time_ms, 0);
        CHECK_EQ_STR(info.first_module, "C:\\Windows\\System32\\svchost.exe");
    }
    free(d.p);

    /* names */
    CHECK(lsass_in("lsass.exe"));
    CHECK(lsass_in("C:\\WINDOWS\\system32\\LSASS.EXE"));
    CHECK(lsass_in("C:/Windows/System32/lsass.exe"));
    CHECK(lsass_in("\\\\?\\C:\\Windows\\System32\\lsass.exe"));
    CHECK(!lsass_in("notlsass.exe"));
    CHECK(!lsass_in("C:\\Windows\\System32\\notlsass.exe"));
    CHECK(!lsass_in("C:\\tools\\my_lsass.exe"));
    CHECK(!lsass_in("lsass.exe.bak"));
    CHECK(!lsass_in("C:\\Windows\\System32\\lsass.exe "));
    CHECK(!lsass_in("C:\\Windows\\System32\\lsass.ex"));
    CHECK(!lsass_in("C:\\Windows\\System32\\lsass.dll"));
    CHECK(!lsass_in("sass.exe"));
    CHECK(!lsass_in(""));
    CHECK(!lsass_in("C:\\lsass.exe\\svchost.exe"));

    /* lsass.exe as a later module still counts */
    const char *later[] = {"C:\\x\\procdump64.exe", "C:\\Windows\\System32\\lsass.exe"};
    d = build(later, 2, 1, 0);
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK(info.has_lsass);
        CHECK_EQ_STR(info.first_module, "C:\\x\\procdump64.exe");
    }
    free(d.p);

    /* non-ASCII names come out as UTF-8 */
    const char *intl[] = {"C:\\Users\\J\xC3\xBCrgen\\\xE2\x82\xAC.dll"};
    d = build(intl, 1, 0, 0);
    if (CHECK(parse_n(&d, d.n, &info)))
        CHECK_EQ_STR(info.first_module, "C:\\Users\\J\xC3\xBCrgen\\\xE2\x82\xAC.dll");
    free(d.p);

    /* a very long name is truncated, NUL-terminated and still valid UTF-8 */
    char longname[1200];
    size_t k = 0;
    memcpy(longname, "C:\\", 3);
    k = 3;
    while (k + 3 < 1100) {
        memcpy(longname + k, "\xE2\x82\xAC", 3); /* 3 bytes of UTF-8 each */
        k += 3;
    }
    memcpy(longname + k, "\\lsass.exe", 11);
    const char *lng[] = {longname};
    d = build(lng, 1, 0, 0);
    if (CHECK(parse_n(&d, d.n, &info))) {
        size_t len = strnlen(info.first_module, sizeof(info.first_module));
        CHECK(len < sizeof(info.first_module));
        CHECK(len > 200);
        CHECK(exh_utf8_valid(info.first_module, len));
    }
    free(d.p);

    /* an unpaired surrogate becomes U+FFFD (no invalid UTF-8 out) */
    const char *plain[] = {"ab.exe"};
    d = build(plain, 1, 0, 0);
    uint32_t nrva = get32(d.p + 32 + 8) + 4 + 20;
    nrva = get32(d.p + nrva);
    d.p[nrva + 4 + 2] = 0x3D; /* 'b' -> U+D83D */
    d.p[nrva + 4 + 3] = 0xD8;
    if (CHECK(parse_n(&d, d.n, &info)))
        CHECK_EQ_STR(info.first_module, "a\xEF\xBF\xBD.exe");
    /* and a pair is one character: U+D83D U+DE00 is U+1F600 */
    d.p[nrva + 4 + 4] = 0x00; /* '.' -> U+DE00 */
    d.p[nrva + 4 + 5] = 0xDE;
    if (CHECK(parse_n(&d, d.n, &info)))
        CHECK_EQ_STR(info.first_module, "a\xF0\x9F\x98\x80"
                                        "exe");
    free(d.p);
}

static void test_sniff_and_header(void)
{
    CHECK(exh_minidump_sniff((const uint8_t *)"MDMP", 4));
    CHECK(exh_minidump_sniff((const uint8_t *)"MDMP\x93\xA7", 6));
    CHECK(!exh_minidump_sniff((const uint8_t *)"MDM", 3));
    CHECK(!exh_minidump_sniff((const uint8_t *)"mdmp", 4));
    CHECK(!exh_minidump_sniff((const uint8_t *)"PMDM", 4));
    CHECK(!exh_minidump_sniff((const uint8_t *)"", 0));
    CHECK(!exh_minidump_sniff(NULL, 0));

    struct exh_minidump_info info;
    memset(&info, 0x55, sizeof(info));
    uint8_t hdr[32] = {'M', 'D', 'M', 'P'};
    struct dump d = {hdr, 32};
    CHECK(parse_n(&d, 32, &info)); /* a header with no streams */
    CHECK_EQ_INT(info.streams, 0);
    CHECK_EQ_INT(info.modules, 0);
    CHECK(!info.has_lsass);
    CHECK_EQ_STR(info.first_module, "");
    memset(&info, 0x55, sizeof(info));
    CHECK(!parse_n(&d, 31, &info));
    CHECK(!info.has_lsass); /* out is cleared even when false */
    CHECK_EQ_STR(info.first_module, "");
    hdr[0] = 'X';
    CHECK(!parse_n(&d, 32, &info));
    CHECK(!exh_minidump_parse(NULL, 0, &info));
}

static void test_truncated(void)
{
    const char *mods[] = {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\lsass.exe"};
    struct dump d = build(mods, 2, 1, 1234);
    /* offset just past the lsass name: from there on it must be found */
    size_t lsass_end = d.n;
    int wrong = 0;
    uint32_t prev_modules = 0;
    for (size_t n = 0; n <= d.n; n++) {
        struct exh_minidump_info info;
        bool ok = parse_n(&d, n, &info);
        if (ok != (n >= 32)) {
            wrong++;
            printf("  length %zu: parse returned %d\n", n, ok);
        }
        if (info.has_lsass != (n >= lsass_end)) {
            wrong++;
            printf("  length %zu: has_lsass %d\n", n, info.has_lsass);
        }
        if (info.modules < prev_modules)
            wrong++;
        prev_modules = info.modules;
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(prev_modules, 2);
    free(d.p);
}

static void test_damaged(void)
{
    const char *mods[] = {"C:\\Windows\\System32\\lsass.exe"};
    struct exh_minidump_info info;
    struct dump d = build(mods, 1, 1, 0);
    uint8_t *dirent = d.p + 32 + 12; /* the module list's directory entry */
    uint32_t list = get32(dirent + 8);
    uint8_t *mod0 = d.p + list + 4;

    /* the directory past the end, and at the last possible offsets */
    static const uint32_t dirs[] = {0xFFFFFFFFu, 0xFFFFFFF4u, 0x80000000u, 0, 4, 31};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        uint32_t keep = get32(d.p + 12);
        put32(d.p + 12, dirs[i]);
        CHECK(parse_n(&d, d.n, &info));
        CHECK(!info.has_lsass);
        put32(d.p + 12, keep);
    }
    put32(d.p + 12, (uint32_t)d.n - 24); /* the last 24 bytes read as two entries */
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_INT(info.streams, 2);
    put32(d.p + 12, (uint32_t)d.n - 23); /* one byte short of the second entry */
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_INT(info.streams, 1);
    put32(d.p + 12, 32);

    /* NumberOfStreams 0xFFFFFFFF: bounded by the file */
    put32(d.p + 8, 0xFFFFFFFFu);
    CHECK(parse_n(&d, d.n, &info));
    CHECK(info.has_lsass);
    CHECK(info.streams <= d.n / 12);
    put32(d.p + 8, 2);

    /* the module list RVA past the end */
    static const uint32_t rvas[] = {0xFFFFFFFFu, 0xFFFFFFFCu, 0x7FFFFFFFu};
    for (size_t i = 0; i < sizeof(rvas) / sizeof(rvas[0]); i++) {
        put32(dirent + 8, rvas[i]);
        CHECK(parse_n(&d, d.n, &info));
        CHECK_EQ_INT(info.modules, 0);
        CHECK(!info.has_lsass);
    }
    put32(dirent + 8, (uint32_t)d.n - 4); /* the count is the last 4 bytes */
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_INT(info.modules, 0);
    put32(dirent + 8, (uint32_t)d.n - 3);
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_INT(info.modules, 0);
    put32(dirent + 8, list);

    /* module count 0xFFFFFFFF: only the modules that fit are read */
    put32(d.p + list, 0xFFFFFFFFu);
    CHECK(parse_n(&d, d.n, &info));
    CHECK(info.has_lsass);
    CHECK(info.modules >= 1 && info.modules <= (d.n - list - 4) / MODSZ);
    put32(d.p + list, 0);
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_INT(info.modules, 0);
    CHECK(!info.has_lsass);
    put32(d.p + list, 1);

    /* the name RVA past the end, its length huge, odd or reaching past n */
    uint32_t nrva = get32(mod0 + 20);
    uint32_t nlen = get32(d.p + nrva);
    static const uint32_t nrvas[] = {0xFFFFFFFFu, 0xFFFFFFFDu, 0};
    for (size_t i = 0; i < sizeof(nrvas) / sizeof(nrvas[0]); i++) {
        put32(mod0 + 20, nrvas[i] ? nrvas[i] : (uint32_t)d.n - 3);
        CHECK(parse_n(&d, d.n, &info));
        CHECK_EQ_INT(info.modules, 1);
        CHECK(!info.has_lsass);
        CHECK_EQ_STR(info.first_module, "");
    }
    put32(mod0 + 20, nrva);
    static const uint32_t lens[] = {0xFFFFFFFFu, 0x80000000u, 0x10000u + 2};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        put32(d.p + nrva, lens[i]);
        CHECK(parse_n(&d, d.n, &info));
        CHECK(!info.has_lsass);
    }
    put32(d.p + nrva, nlen + 2); /* one code unit past the end of the file */
    CHECK(parse_n(&d, d.n, &info));
    CHECK(!info.has_lsass);
    put32(d.p + nrva, nlen - 1); /* odd: the last half unit is dropped */
    CHECK(parse_n(&d, d.n, &info));
    CHECK(!info.has_lsass);
    CHECK_EQ_STR(info.first_module, "C:\\Windows\\System32\\lsass.ex");
    put32(d.p + nrva, 0);
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_STR(info.first_module, "");
    put32(d.p + nrva, nlen);
    CHECK(parse_n(&d, d.n, &info));
    CHECK(info.has_lsass);

    /* a name RVA pointing into the module record itself */
    put32(mod0 + 20, list);
    CHECK(parse_n(&d, d.n, &info));
    CHECK(!info.has_lsass);
    put32(mod0 + 20, nrva);

    /* a stream type that is not a module list is not read as one */
    put32(dirent, 5);
    CHECK(parse_n(&d, d.n, &info));
    CHECK_EQ_INT(info.modules, 0);
    CHECK(!info.has_lsass);
    put32(dirent, 4);

    /* every single-byte corruption of the header, directory and module:
     * no crash, the signature decides, the name is always a C string of
     * valid UTF-8 */
    int odd = 0;
    for (size_t i = 0; i < list + 4 + MODSZ; i++) {
        uint8_t keep = d.p[i];
        static const uint8_t vals[] = {0x00, 0x7F, 0x80, 0xFF};
        for (size_t v = 0; v < 4; v++) {
            d.p[i] = vals[v];
            bool sig = i >= 4 || vals[v] == keep;
            bool ok = parse_n(&d, d.n, &info);
            size_t len = strnlen(info.first_module, sizeof(info.first_module));
            odd += ok != sig || len == sizeof(info.first_module) ||
                   !exh_utf8_valid(info.first_module, len);
        }
        d.p[i] = keep;
    }
    CHECK_EQ_INT(odd, 0);
    CHECK(parse_n(&d, d.n, &info) && info.has_lsass); /* restored */
    free(d.p);
}

/* Hostile layouts (the work must stay linear in the file):
 * fan-out: nstreams directory entries all naming one list of nmods modules
 * that all name one string (name, or units x U+00E9 when name is NULL). */
static struct dump fanout(size_t nstreams, size_t nmods, size_t units, const char *name)
{
    size_t dir = 32, list = dir + nstreams * 12, str = list + 4 + nmods * MODSZ;
    size_t total = str + 4 + 2 * (name ? strlen(name) : units);
    uint8_t *p = calloc(1, total);
    memcpy(p, "MDMP", 4);
    put32(p + 4, 0xA793);
    put32(p + 8, (uint32_t)nstreams);
    put32(p + 12, (uint32_t)dir);
    for (size_t s = 0; s < nstreams; s++) {
        put32(p + dir + s * 12, 4);
        put32(p + dir + s * 12 + 8, (uint32_t)list);
    }
    put32(p + list, (uint32_t)nmods);
    for (size_t m = 0; m < nmods; m++)
        put32(p + list + 4 + m * MODSZ + 20, (uint32_t)str);
    size_t len;
    if (name) {
        len = utf16le(name, p + str + 4);
    } else {
        for (size_t u = 0; u < units; u++)
            p[str + 4 + 2 * u] = 0xE9;
        len = 2 * units;
    }
    put32(p + str, (uint32_t)len);
    struct dump r = {p, total};
    return r;
}

static void test_hostile(void)
{
    struct exh_minidump_info info;
    /* 4,096 entries -> one list of 2,000 modules -> one 64 KiB name (once
     * 35 minutes): the list is read once, the name decoded once */
    struct dump d = fanout(4096, 2000, 32768, NULL);
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK_EQ_INT(info.streams, 4096);
        CHECK_EQ_INT(info.modules, 2000);
        CHECK(!info.has_lsass);
        CHECK(!info.stopped);
        CHECK(strncmp(info.first_module, "\xC3\xA9\xC3\xA9", 4) == 0);
        CHECK(strlen(info.first_module) >= 257);
    }
    free(d.p);
    /* the same shape naming lsass.exe is still an lsass dump */
    d = fanout(4096, 2000, 0, "C:\\Windows\\System32\\lsass.exe");
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK(info.has_lsass);
        CHECK(!info.stopped);
        CHECK_EQ_INT(info.modules, 2000);
        CHECK_EQ_STR(info.first_module, "C:\\Windows\\System32\\lsass.exe");
    }
    free(d.p);

    /* lists that overlap: entries at every 4 bytes of a region whose words
     * all read as a count and as the name RVA: the budget stops them */
    size_t nstreams = 4096, region = 64 * 1024;
    size_t dir = 32, reg = dir + nstreams * 12, str = reg + region;
    const char *nm = "C:\\x\\svchost.exe";
    size_t total = str + 4 + 2 * strlen(nm);
    d.p = calloc(1, total);
    d.n = total;
    memcpy(d.p, "MDMP", 4);
    put32(d.p + 8, (uint32_t)nstreams);
    put32(d.p + 12, (uint32_t)dir);
    for (size_t s = 0; s < nstreams; s++) {
        put32(d.p + dir + s * 12, 4);
        put32(d.p + dir + s * 12 + 8, (uint32_t)(reg + 4 * s));
    }
    for (size_t w = 0; w < region; w += 4)
        put32(d.p + reg + w, (uint32_t)str);
    put32(d.p + str, (uint32_t)utf16le(nm, d.p + str + 4));
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK(info.stopped);
        CHECK(info.modules <= 2 * (d.n / MODSZ) + 64);
        CHECK_EQ_STR(info.first_module, nm);
    }
    free(d.p);

    /* names that overlap: 2,000 modules naming successive 4-byte offsets of
     * a region whose every word reads as a 64 KiB length: the budget stops
     * them, and an lsass.exe module listed first is still found */
    size_t nmods = 2000, list = 32 + 12;
    str = list + 4 + nmods * MODSZ;
    size_t lsass = str + 200 * 1024;
    total = lsass + 4 + 2 * 9;
    d.p = calloc(1, total);
    d.n = total;
    memcpy(d.p, "MDMP", 4);
    put32(d.p + 8, 1);
    put32(d.p + 12, 32);
    put32(d.p + 32, 4);
    put32(d.p + 32 + 8, (uint32_t)list);
    put32(d.p + list, (uint32_t)nmods);
    put32(d.p + list + 4 + 20, (uint32_t)lsass);
    for (size_t m = 1; m < nmods; m++)
        put32(d.p + list + 4 + m * MODSZ + 20, (uint32_t)(str + 4 * m));
    for (size_t w = 0; w + 4 <= lsass - str; w += 4)
        put32(d.p + str + w, 65536);
    put32(d.p + lsass, (uint32_t)utf16le("lsass.exe", d.p + lsass + 4));
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK(info.stopped);
        CHECK(info.has_lsass);
        CHECK_EQ_STR(info.first_module, "lsass.exe");
        CHECK(info.modules < nmods);
    }
    free(d.p);

    /* two directory entries naming one list: read once */
    const char *mods[] = {"C:\\Windows\\System32\\lsass.exe", "C:\\Windows\\System32\\ntdll.dll"};
    d = build(mods, 2, 1, 0);
    put32(d.p + 32, 4); /* the first entry now names the list as well */
    put32(d.p + 32 + 8, get32(d.p + 32 + 12 + 8));
    if (CHECK(parse_n(&d, d.n, &info))) {
        CHECK_EQ_INT(info.streams, 2);
        CHECK_EQ_INT(info.modules, 2);
        CHECK(info.has_lsass);
        CHECK(!info.stopped);
    }
    free(d.p);
}

int main(void)
{
    T_RUN(test_whole);
    T_RUN(test_sniff_and_header);
    T_RUN(test_truncated);
    T_RUN(test_damaged);
    T_RUN(test_hostile);
    return T_DONE("unit-minidump");
}
