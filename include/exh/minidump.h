/* minidump.h: just enough of the Windows minidump format (MDMP) to tell
 * whose memory a dump holds. Bytes in, facts out; every offset read from the
 * file is bounds-checked. */
#ifndef EXH_MINIDUMP_H
#define EXH_MINIDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

struct exh_minidump_info {
    uint32_t streams;
    uint32_t modules;
    int64_t time_ms;        /* TimeDateStamp, 0 when absent */
    bool has_lsass;         /* a module named ...\lsass.exe */
    bool stopped;           /* the work budget ran out: lists or names that
                               overlap claim more than the file holds, and the
                               rest of them was not read */
    char first_module[260]; /* UTF-8, truncated; "" when unknown */
};

/* true if p starts with the MDMP signature. */
bool exh_minidump_sniff(const uint8_t *p, size_t n);
/* Parse header, directory and module list. Returns false when the header is
 * not a minidump; damaged directories give partial info (true, fewer facts). */
bool exh_minidump_parse(const uint8_t *p, size_t n, struct exh_minidump_info *out);

#endif
