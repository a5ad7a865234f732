/* fuzz_pe.c: the PE version-resource reader (src/read/pe.c) on arbitrary
 * bytes: exh_pe_version (DOS and PE headers, optional header, section
 * table, the three-level resource tree, VS_VERSIONINFO with its
 * VS_FIXEDFILEINFO and StringFileInfo strings) and exh_pe_version_format.
 *
 * Checks beyond "no crash": the result is EXH_OK with an empty reason or
 * EXH_ERR_CORRUPT / EXH_ERR_TRUNCATED with a non-empty one; nothing is
 * found in fewer bytes than a PE header needs; the strings are
 * NUL-terminated valid UTF-8 without control characters; a second call
 * gives the same answer; a formatted version is four numbers. A truncated
 * copy (exactly sized, so a read past its end is an ASan error) is read
 * too: every offset must be checked against the length given. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/err.h"
#include "exh/pe.h"
#include "fuzz.h"
#include "exh/banned.h"

static void pe_check_text(const char *s, size_t cap)
{
    const char *end = memchr(s, '\0', cap);
    EXH_FUZZ_CHECK(end != NULL);
    size_t len = (size_t)(end - s);
    EXH_FUZZ_CHECK(exh_utf8_valid(s, len));
    for (size_t i = 0; i < len; i++)
        EXH_FUZZ_CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7F);
}

static void pe_check(const uint8_t *data, size_t size)
{
    struct exh_pe_version v, again;
    const char *why = NULL, *why2 = NULL;
    int rc = exh_pe_version(data, size, &v, &why);
    EXH_FUZZ_CHECK(why != NULL);
    if (rc == EXH_OK)
        EXH_FUZZ_CHECK(why[0] == '\0');
    else
        EXH_FUZZ_CHECK((rc == EXH_ERR_CORRUPT || rc == EXH_ERR_TRUNCATED) && why[0] != '\0');
    /* MZ header (64) + PE signature and COFF header (24) + a magic (2) */
    if (size < 64 + 24 + 2)
        EXH_FUZZ_CHECK(rc != EXH_OK && !v.has_fixed && !v.file_version[0]);
    pe_check_text(v.file_version, sizeof(v.file_version));
    pe_check_text(v.product_name, sizeof(v.product_name));
    pe_check_text(v.original_name, sizeof(v.original_name));
    if (!v.has_fixed)
        for (int i = 0; i < 4; i++)
            EXH_FUZZ_CHECK(v.file[i] == 0 && v.product[i] == 0);
    int rc2 = exh_pe_version(data, size, &again, &why2);
    EXH_FUZZ_CHECK(rc2 == rc && why2 == why && !memcmp(&v, &again, sizeof(v)));
    EXH_FUZZ_CHECK(exh_pe_version(data, size, &again, NULL) == rc);

    char text[EXH_PE_VERSION_TEXT];
    exh_pe_version_format(v.file, text, sizeof(text));
    unsigned a, b, c, d;
    char tail;
    EXH_FUZZ_CHECK(sscanf(text, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4);
    EXH_FUZZ_CHECK(a == v.file[0] && b == v.file[1] && c == v.file[2] && d == v.file[3]);
}

int exh_fuzz_pe(const uint8_t *data, size_t size)
{
    pe_check(data, size);
    if (size > 64) {
        /* cut somewhere chosen by the input itself */
        size_t cut = 64 + (size_t)data[size - 1] * 61 % (size - 64);
        uint8_t *copy = exh_fuzz_dup(data, cut);
        pe_check(copy, cut);
        free(copy);
    }
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_pe(data, size);
}
#endif
