/* evtx.h: a reader for Windows XML Event Log (.evtx) files. Bytes in,
 * records out; no XML is built. The file is a 4 KiB header and independent
 * 64 KiB chunks; each record's binary XML (templates, substitutions, inline
 * elements, nested fragments) is walked once and flattened into the System
 * facts and the EventData/UserData fields.
 *
 * Damaged input never stops the file: a bad chunk (magic, CRC, torn record)
 * is reported through the error callback and the walk goes on with the next
 * chunk slot; the chunk count comes from the file size, not the header.
 * Every offset is checked; nesting is capped at EXH_EVTX_MAX_DEPTH.
 *
 * Strings in a record point into the reader's buffers and live until the
 * next record is delivered. */
#ifndef EXH_EVTX_H
#define EXH_EVTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

#define EXH_EVTX_CHUNK 65536
#define EXH_EVTX_MAX_DEPTH 32
#define EXH_EVTX_MAX_FIELDS 512

struct exh_evtx_field {
    struct exh_str name; /* Data Name= or the UserData element; empty for positional Data */
    struct exh_str value;
};

struct exh_evtx_record {
    uint64_t record_id;
    int64_t written_ms; /* the record header's time */
    uint32_t chunk;     /* chunk index in the file */
    uint64_t offset;    /* byte offset of the record in the file */
    bool has_event_id, has_level, has_time;
    uint32_t event_id;
    uint32_t level;
    int64_t time_ms; /* System/TimeCreated/@SystemTime */
    struct exh_str provider, channel, computer, user_id;
    struct exh_evtx_field *fields;
    size_t nfields;
    bool named; /* every field has a name */
};

enum exh_evtx_problem {
    EXH_EVTX_BAD_HEADER,    /* file header magic or CRC */
    EXH_EVTX_BAD_CHUNK,     /* chunk magic */
    EXH_EVTX_BAD_CHUNK_CRC, /* header or data CRC (the chunk is still read) */
    EXH_EVTX_BAD_RECORD,    /* size, magic or copy of size wrong: rest of chunk skipped */
    EXH_EVTX_BAD_XML        /* binary XML that could not be walked */
};

struct exh_evtx_cb {
    void *ud;
    /* return non-zero to stop */
    int (*record)(void *ud, const struct exh_evtx_record *r);
    void (*problem)(void *ud, enum exh_evtx_problem what, uint32_t chunk, uint64_t offset,
                    const char *detail);
};

struct exh_evtx_stats {
    uint64_t records, errors, chunks;
    uint64_t crc_mismatches; /* reported through problem(), not counted as errors */
};

/* Is p an .evtx file (the ElfFile magic)? */
bool exh_evtx_sniff(const uint8_t *p, size_t n);
/* Walk every record of the file in p[0..n). */
void exh_evtx_read(const uint8_t *p, size_t n, const struct exh_evtx_cb *cb,
                   struct exh_evtx_stats *st);
/* The same in steps, for callers that read chunks in parallel: open checks
 * the file header (false: not an .evtx file, reported) and counts the chunk
 * slots the size allows; read_slot walks slot i (0-based) with a reader that
 * one thread owns (non-zero: the record callback asked to stop). */
struct exh_evtx_reader;
struct exh_evtx_reader *exh_evtx_reader_new(void);
void exh_evtx_reader_free(struct exh_evtx_reader *rd);
bool exh_evtx_open(const uint8_t *p, size_t n, const struct exh_evtx_cb *cb,
                   struct exh_evtx_stats *st, size_t *nslots);
int exh_evtx_read_slot(struct exh_evtx_reader *rd, const uint8_t *p, size_t n, size_t index,
                       const struct exh_evtx_cb *cb, struct exh_evtx_stats *st);
void exh_evtx_stats_add(struct exh_evtx_stats *to, const struct exh_evtx_stats *from);
/* Walk one chunk (for tests and fuzzing): chunk is up to 64 KiB. */
void exh_evtx_read_chunk(const uint8_t *chunk, size_t n, uint32_t index, uint64_t file_offset,
                         const struct exh_evtx_cb *cb, struct exh_evtx_stats *st);

#endif
