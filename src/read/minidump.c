/* minidump.c: MINIDUMP_HEADER, the stream directory and the module list
 * (stream type 4), as documented for dbghelp's minidump format. Every
 * RVA and count read from the file is checked against its size. */
#include <stdlib.h>
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
 * character boundary). Its bytes are taken from *budget; a name larger than
 * what is left sets *stopped and is not read. */
static bool read_name(const uint8_t *p, size_t n, uint32_t rva, char *out, size_t cap,
                      size_t *budget, bool *stopped)
{
    if ((size_t)rva + 4 > n)
        return false;
    uint32_t bytes = exh_rd32(p + rva);
    if (bytes > 2 * 32768 || (size_t)rva + 4 + bytes > n)
        return false;
    if (bytes > *budget) {
        *stopped = true;
        return false;
    }
    *budget -= bytes;
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

/* A set of RVAs already read (open addressing, grown by doubling up to
 * RVA_SET_MAX slots; when full, add() says "new" and the work budget alone
 * bounds what follows). */
#define RVA_SET_MAX (1u << 17)

struct rva_set {
    uint64_t *slot; /* rva + 1, 0 when empty */
    size_t cap, n;
};

static uint32_t rva_hash(uint32_t v)
{
    return (uint32_t)exh_mix64(v);
}

/* true when rva was not in the set (it is now, if there was room) */
static bool rva_set_add(struct rva_set *s, uint32_t rva)
{
    if (2 * (s->n + 1) > s->cap) {
        if (s->cap >= RVA_SET_MAX)
            return true;
        size_t cap = s->cap ? 2 * s->cap : 64;
        uint64_t *old = s->slot;
        size_t oldcap = s->cap;
        s->slot = exh_xcalloc(cap, sizeof(*s->slot));
        s->cap = cap;
        s->n = 0;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i])
                (void)rva_set_add(s, (uint32_t)(old[i] - 1));
        free(old);
    }
    for (size_t h = rva_hash(rva) & (s->cap - 1);; h = (h + 1) & (s->cap - 1)) {
        if (!s->slot[h]) {
            s->slot[h] = (uint64_t)rva + 1;
            s->n++;
            return true;
        }
        if (s->slot[h] == (uint64_t)rva + 1)
            return false;
    }
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

/* The work is linear in the file, whatever its RVAs: a module list named
 * by several directory entries is read once, a name shared by several
 * modules is decoded once, and module records read and name bytes decoded
 * are budgeted (a file holds n / 108 distinct records and n bytes of names:
 * lists and names that overlap one another could claim far more). When the
 * budget is spent, out->stopped says so and the rest is not read. (4,096
 * entries naming one list of 2,000 modules naming one 64 KiB string took
 * 35 minutes for a 330 KB file.) */
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
    size_t module_budget = 2 * (n / MD_MODULE_SIZE) + 64;
    size_t name_budget = 2 * n + 4 * 65536;
    struct rva_set lists = {0}, names = {0};
    for (uint32_t s = 0; s < nstreams && !out->stopped; s++) {
        size_t at = (size_t)dir + (size_t)s * 12;
        if (at + 12 > n)
            break;
        out->streams++;
        uint32_t type = exh_rd32(p + at), size = exh_rd32(p + at + 4), rva = exh_rd32(p + at + 8);
        if (type != MD_MODULE_LIST || (size_t)rva + 4 > n || !rva_set_add(&lists, rva))
            continue;
        uint32_t count = exh_rd32(p + rva);
        if (count > MD_MAX_MODULES)
            count = MD_MAX_MODULES;
        (void)size;
        for (uint32_t m = 0; m < count; m++) {
            size_t mod = (size_t)rva + 4 + (size_t)m * MD_MODULE_SIZE;
            if (mod + MD_MODULE_SIZE > n)
                break;
            if (!module_budget) {
                out->stopped = true;
                break;
            }
            module_budget--;
            out->modules++;
            uint32_t name_rva = exh_rd32(p + mod + 20);
            if (!rva_set_add(&names, name_rva))
                continue; /* read already: the same answer */
            char name[260];
            if (!read_name(p, n, name_rva, name, sizeof(name), &name_budget, &out->stopped)) {
                if (out->stopped)
                    break;
                continue;
            }
            if (!out->first_module[0])
                memcpy(out->first_module, name, strlen(name) + 1);
            if (ends_with_lsass(name))
                out->has_lsass = true;
        }
    }
    free(lists.slot);
    free(names.slot);
    return true;
}
