/* pe.h: the file version of a Windows PE image (.exe, .dll), read from its
 * VS_VERSIONINFO resource: the DOS and PE headers, the section table, the
 * resource tree (RT_VERSION, first name, first language) and the version
 * block with its VS_FIXEDFILEINFO and StringFileInfo strings. Bytes in,
 * facts out; no OS calls, no allocation. Every offset and length read from
 * the file is checked against the bytes given and against its parent, so a
 * hostile file gives an error, never a read outside them; the work is
 * linear in the file's size. See docs/pe.md. */
#ifndef EXH_PE_H
#define EXH_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exh_pe_version {
    bool has_fixed;         /* VS_FIXEDFILEINFO present, signature 0xFEEF04BD */
    uint16_t file[4];       /* dwFileVersionMS/LS: 15, 1, 2507, 16 */
    uint16_t product[4];    /* dwProductVersionMS/LS */
    char file_version[64];  /* StringFileInfo "FileVersion", UTF-8, control
                               characters dropped, cut at a character
                               boundary; "" when absent */
    char product_name[96];  /* "ProductName", "" when absent */
    char original_name[96]; /* "OriginalFilename", "" when absent */
    bool is_pe32_plus;      /* optional header magic 0x20b (64-bit image) */
};

/* Longest text exh_pe_version_format writes, with its NUL. */
#define EXH_PE_VERSION_TEXT 24 /* "65535.65535.65535.65535" */

/* Reads the version resource of the PE image in p[0..n) (a file's bytes as
 * on disk, not an image mapped by the loader). Returns EXH_OK, or
 * EXH_ERR_CORRUPT (not a PE image, no version resource, a damaged header,
 * tree or block) or EXH_ERR_TRUNCATED (a structure runs past the end of the
 * bytes), with *why set to a static reason ("no resource directory",
 * "resource directory loops", "truncated version block", ...; "" on
 * EXH_OK). *out is zeroed first; on an error it keeps what was read before
 * the damage (has_fixed and the strings found so far). why may be NULL. */
int exh_pe_version(const uint8_t *p, size_t n, struct exh_pe_version *out, const char **why);

/* v as "15.1.2507.16" into buf (cut to cap - 1 bytes; cap >=
 * EXH_PE_VERSION_TEXT holds any version). Returns buf. */
char *exh_pe_version_format(const uint16_t v[4], char *buf, size_t cap);

#endif
