/* fuzz_minidump.c: the minidump reader (src/read/minidump.c) on arbitrary
 * bytes: exh_minidump_sniff and exh_minidump_parse (header, stream
 * directory, module list, UTF-16 module names).
 *
 * Checks beyond "no crash": parse succeeds only on what sniff accepts, the
 * facts are bounded by what the input can hold, and the first module name
 * is NUL-terminated valid UTF-8. A truncated copy (exactly sized, so a read
 * past its end is an ASan error) is parsed too: every RVA must be checked
 * against the length given, not against the input's real size. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/minidump.h"
#include "fuzz.h"
#include "exh/banned.h"

static void md_check(const uint8_t *data, size_t size)
{
    bool sniff = exh_minidump_sniff(data, size);
    struct exh_minidump_info info;
    bool ok = exh_minidump_parse(data, size, &info);
    EXH_FUZZ_CHECK(!ok || sniff);
    if (size < 32)
        EXH_FUZZ_CHECK(!ok);
    if (!ok)
        return;
    /* 12-byte directory entries and 108-byte modules must fit in the input
     * (several directory entries may name the same module list) */
    EXH_FUZZ_CHECK(info.streams <= size / 12);
    EXH_FUZZ_CHECK(info.modules <= (uint64_t)info.streams * (size / 108));
    /* and by the work budget: a list read once, twice the records a file holds */
    EXH_FUZZ_CHECK(info.modules <= 2 * (size / 108) + 64);
    const char *end = memchr(info.first_module, '\0', sizeof(info.first_module));
    EXH_FUZZ_CHECK(end != NULL);
    size_t len = (size_t)(end - info.first_module);
    EXH_FUZZ_CHECK(exh_utf8_valid(info.first_module, len));
    if (len)
        EXH_FUZZ_CHECK(info.modules > 0);
    if (info.has_lsass)
        EXH_FUZZ_CHECK(info.modules > 0);
}

int exh_fuzz_minidump(const uint8_t *data, size_t size)
{
    md_check(data, size);
    if (size > 32) {
        /* cut somewhere chosen by the input itself */
        size_t cut = 32 + (size_t)data[size - 1] * 31 % (size - 32);
        uint8_t *copy = exh_fuzz_dup(data, cut);
        md_check(copy, cut);
        free(copy);
    }
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_minidump(data, size);
}
#endif
