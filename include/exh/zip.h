/* zip.h: zip archives, bytes in: the directory and the members, checked
 * (exh_zip_dir, exh_zip_member). Every offset is checked against the size; nothing is
 * extracted anywhere. PKWARE APPNOTE 6.3, sections 4.3 and 4.5. */
#ifndef EXH_ZIP_H
#define EXH_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exh/err.h"

#define EXH_ZIP_MAX_NAMES 100000 /* members listed at most */

/* One member as the central directory (or, without one, its local header)
 * gives it. */
struct exh_zip_entry {
    const uint8_t *name; /* into the archive's bytes; not NUL-terminated */
    size_t name_len;
    uint64_t lho;          /* offset of its local header */
    uint64_t csize, usize; /* compressed and uncompressed sizes */
    uint32_t crc;
    uint16_t method, flags;
    bool sizes_known; /* false: found by its local header with sizes in a data descriptor */
    bool is_dir;      /* a name ending in '/' with no data */
    /* the entry (index) laid out first whose bytes this one's share (a zip
     * bomb's trick: many entries, one deflate stream), or -1 */
    int64_t overlaps;
    uint64_t hdr;     /* offset of the header it was read from (central, or local) */
    bool hdr_central; /* hdr is a central directory header */
    bool unlisted;    /* found by its own header where the directory lists none (hidden?) */
};

/* What the directory says, with the problems of the archive as a whole. */
struct exh_zip_dir {
    struct exh_zip_entry *e;
    size_t n;
    bool no_directory; /* none found (truncated?): members found by their local headers */
    bool zip64;
    uint64_t prefix;   /* bytes before the archive (a self-extracting stub, another zip) */
    size_t cap_;       /* internal: room in e */
    enum exh_err code; /* EXH_OK, or what is wrong with the directory */
    char why[160];     /* set with code */
};

/* Read the directory of p[0..n): at most EXH_ZIP_MAX_NAMES entries (more is
 * an error, and the rest are not listed). Without an end record the local
 * headers are walked instead. Returns false when p is no zip at all. */
bool exh_zip_dir(const uint8_t *p, size_t n, struct exh_zip_dir *d);
/* Is p[0..n) a zip by its bytes: a member header first, or an end record in
 * its last 64 KiB (a zip with bytes before it)? */
bool exh_zip_looks(const uint8_t *p, size_t n);
void exh_zip_dir_release(struct exh_zip_dir *d);

/* Find member e's data: the local header at e->lho is checked against the
 * entry (signature, name, method). data and len: the compressed bytes (for an
 * entry without known sizes, to the end of the archive: the inflater
 * stops at the stream's end). On a problem returns its code with why set. */
enum exh_err exh_zip_member(const uint8_t *p, size_t n, const struct exh_zip_entry *e,
                            const uint8_t **data, size_t *len, char *why, size_t whylen);

/* The member's modification time, in ms since 1970 UTC: the NTFS extra
 * field's, else the extended timestamp's (both UTC), else the DOS time
 * (local time of the machine that packed it, taken as UTC); false when the
 * entry records none. */
bool exh_zip_entry_time(const uint8_t *p, size_t n, const struct exh_zip_entry *e, int64_t *ms);

/* Is this method one exh_unpack reads (0 stored, 8 deflate)? Its name
 * otherwise ("bzip2", "LZMA", "AES-encrypted", ...). */
bool exh_zip_method_ok(uint16_t method);
const char *exh_zip_method_name(uint16_t method);

#endif
