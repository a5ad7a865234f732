/* zip.h: the member names of a zip archive, from its central directory.
 * Bytes in, names out; every offset is checked against the size. ZIP64 and
 * encrypted directories are not read (no names, no error). */
#ifndef EXH_ZIP_H
#define EXH_ZIP_H

#include <stddef.h>
#include <stdint.h>

/* Calls fn for each member name (not NUL-terminated) until fn returns
 * non-zero; returns the number of names seen (at most EXH_ZIP_MAX_NAMES). */
#define EXH_ZIP_MAX_NAMES 100000
size_t exh_zip_names(const uint8_t *p, size_t n, int (*fn)(void *ud, const char *name, size_t len),
                     void *ud);

#endif
