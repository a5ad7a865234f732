/* unpack.h: decompression of archive members and gzip files, bytes in,
 * bytes out, within limits (zlib; a build without zlib reads stored members
 * only and says so). The output is held in memory: nothing is written to
 * disk. */
#ifndef EXH_UNPACK_H
#define EXH_UNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exh/core.h"
#include "exh/err.h"

enum exh_unpack_kind {
    EXH_UNPACK_DEFLATE, /* raw deflate (zip method 8) */
    EXH_UNPACK_GZIP     /* one or more gzip members (RFC 1952) */
};

struct exh_unpack_limits {
    uint64_t max_out;   /* at most this many bytes out */
    uint32_t max_ratio; /* at most this many bytes out per byte in, once past 1 MiB; 0: none */
};

struct exh_unpacked {
    struct exh_buf out; /* what was decompressed (also on an error: it is evidence) */
    size_t used;        /* input bytes consumed */
    enum exh_err code;  /* EXH_OK; EXH_ERR_LIMIT (limit_ratio or limit_size says which),
                           EXH_ERR_CORRUPT, EXH_ERR_TRUNCATED, EXH_ERR_UNSUPPORTED */
    bool limit_ratio, limit_size;
    char why[200];
};

/* Does this build decompress (zlib)? */
bool exh_unpack_available(void);
/* Decompress in[0..n) into u (zeroed first); expect: the output size when
 * known (0: not known), to size the buffer once. For gzip: concatenated
 * members are read as one; bytes after the last that are not all zeros are
 * an error (EXH_ERR_CORRUPT, with the data kept); the stored CRC and length
 * are checked. */
void exh_unpack(enum exh_unpack_kind kind, const uint8_t *in, size_t n, uint64_t expect,
                const struct exh_unpack_limits *lim, struct exh_unpacked *u);
void exh_unpacked_release(struct exh_unpacked *u);

/* The name a gzip header records (FNAME), or NULL: *len bytes at the
 * returned pointer into in. */
const uint8_t *exh_gzip_name(const uint8_t *in, size_t n, size_t *len);

#endif
