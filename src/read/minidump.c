/* minidump.c: MINIDUMP_HEADER, the stream directory and the module list
 * (stream type 4), as documented for dbghelp's minidump format. Every
 * RVA and count read from the file is checked against its size. */
#include <string.h>

#include "exh/core.h"
#include "exh/minidump.h"
#include "exh/banned.h"

#define MD_SIG 0x504D444Du /* "MDMP" little endian */
#define MD_MODULE_LIST 4
#define MD_MODULE_SIZE 108
#define MD_MAX_STREAMS 4096
#define MD_MAX_MODULES 65536

bool exh_minidump_sniff(const uint8_t *p, size_t n)
{
    return n >= 4 && exh_rd32(p) == MD_SIG;
}

/* UTF-16LE MINIDUMP_STRING at rva -> UTF-8 in out (cut to cap - 1 bytes at a
 * character boundary). */
static bool read_name(const uint8_t *p, size_t n, uint32_t rva, char *out, size_t cap)
{
    if ((size_t)rva + 4 > n)
        return false;
    uint32_t bytes = exh_rd32(p + rva);
    if (bytes > 2 * 32768 || (size_t)rva + 4 + bytes > n)
        return false;
    struct exh_buf t = {0};
    exh_buf_add_utf16(&t, p + rva + 4, bytes / 2, false, 0);
    size_t k = t.n < cap ? t.n : cap - 1;
    while (k < t.n && k > 0 && ((unsigned char)t.p[k] & 0xC0) == 0x80)
        k--; /* do not cut a character in half */
    if (k)
        memcpy(out, t.p, k);
    out[k] = '\0';
    exh_buf_release(&t);
    return true;
}

static bool ends_with_lsass(const char *s)
{
    static const char want[] = "lsass.exe";
    size_t n = strlen(s), m = sizeof(want) - 1;
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != want[i])
            return false;
    }
    return n == m || s[n - m - 1] == '\\' || s[n - m - 1] == '/';
}

bool exh_minidump_parse(const uint8_t *p, size_t n, struct exh_minidump_info *out)
{
    memset(out, 0, sizeof(*out));
    if (n < 32 || exh_rd32(p) != MD_SIG)
        return false;
    uint32_t nstreams = exh_rd32(p + 8);
    uint32_t dir = exh_rd32(p + 12);
    uint32_t stamp = exh_rd32(p + 20);
    out->time_ms = (int64_t)stamp * 1000;
    if (nstreams > MD_MAX_STREAMS)
        nstreams = MD_MAX_STREAMS;
    for (uint32_t s = 0; s < nstreams; s++) {
        size_t at = (size_t)dir + (size_t)s * 12;
        if (at + 12 > n)
            break;
        out->streams++;
        uint32_t type = exh_rd32(p + at), size = exh_rd32(p + at + 4), rva = exh_rd32(p + at + 8);
        if (type != MD_MODULE_LIST || (size_t)rva + 4 > n)
            continue;
        uint32_t count = exh_rd32(p + rva);
        if (count > MD_MAX_MODULES)
            count = MD_MAX_MODULES;
        (void)size;
        for (uint32_t m = 0; m < count; m++) {
            size_t mod = (size_t)rva + 4 + (size_t)m * MD_MODULE_SIZE;
            if (mod + MD_MODULE_SIZE > n)
                break;
            out->modules++;
            char name[260];
            if (!read_name(p, n, exh_rd32(p + mod + 20), name, sizeof(name)))
                continue;
            if (!out->first_module[0])
                memcpy(out->first_module, name, strlen(name) + 1);
            if (ends_with_lsass(name))
                out->has_lsass = true;
        }
    }
    return true;
}
