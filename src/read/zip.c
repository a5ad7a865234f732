/* zip.c: member names from the end-of-central-directory record and the
 * central directory headers (PKWARE APPNOTE, sections 4.3.12 and 4.3.16). */
#include <string.h>

#include "exh/core.h"
#include "exh/zip.h"
#include "exh/banned.h"

size_t exh_zip_names(const uint8_t *p, size_t n, int (*fn)(void *ud, const char *name, size_t len),
                     void *ud)
{
    if (n < 22)
        return 0;
    /* the EOCD is in the last 22 + 65535 (comment) bytes */
    size_t lo = n > 22 + 65535 ? n - 22 - 65535 : 0;
    size_t eocd = n; /* not found */
    for (size_t i = n - 22 + 1; i-- > lo;) {
        if (p[i] == 'P' && p[i + 1] == 'K' && p[i + 2] == 5 && p[i + 3] == 6) {
            eocd = i;
            break;
        }
    }
    if (eocd == n)
        return 0;
    uint32_t count = exh_rd16(p + eocd + 10);
    uint32_t cd_size = exh_rd32(p + eocd + 12), cd_off = exh_rd32(p + eocd + 16);
    if ((size_t)cd_off > n || (size_t)cd_size > n - cd_off)
        return 0;
    size_t at = cd_off, end = (size_t)cd_off + cd_size, seen = 0;
    while (seen < count && seen < EXH_ZIP_MAX_NAMES && at + 46 <= end) {
        if (exh_rd32(p + at) != 0x02014b50u)
            break;
        size_t nl = exh_rd16(p + at + 28), xl = exh_rd16(p + at + 30), cl = exh_rd16(p + at + 32);
        if (at + 46 + nl > end)
            break;
        seen++;
        if (fn(ud, (const char *)p + at + 46, nl))
            break;
        at += 46 + nl + xl + cl;
    }
    return seen;
}
