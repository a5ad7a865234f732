/* fuzz_evtx.c: the .evtx reader (src/read/evtx.c) on arbitrary bytes: file
 * header, chunk slots, chunk header and data CRCs, records, and the binary
 * XML walker (inline elements, templates, substitutions of every type,
 * nested fragments).
 *
 * The reader runs several times:
 * 1. exh_evtx_read over the whole input, every record and problem kept;
 * 2. the same, stopped (the record callback returns 1) at a record chosen by
 *    the input's last byte;
 * 3. exh_evtx_read_chunk on an exact-size copy of every chunk slot that
 *    starts with ElfChnk (so a read past the chunk is an ASan error);
 * 4. exh_evtx_open, then exh_evtx_read_slot on every slot from the last to
 *    the first with one reader (names and template plans cached for one
 *    chunk must not leak into another), and on the slot past the end;
 * 5. exh_evtx_read_chunk on a 64 KiB chunk made from the input (the first
 *    chunk slot of an ElfFile input, else the input itself), padded with
 *    zeros and stamped with "ElfChnk\0", so that random bytes reach the
 *    record walk and the binary XML at once.
 *
 * Checks: every string of a record is non-NULL when not empty, readable
 * (ASan), outside the bytes given, at most EV_MAX_STR bytes and valid UTF-8; nfields is at most
 * EXH_EVTX_MAX_FIELDS and `named` says whether every field has a name; a
 * record's chunk index and offset point at a record header ("**", a size of
 * at least 28 that fits the chunk) inside a chunk slot of the input, offsets
 * increase, and written_ms is the header's FILETIME; problems name a chunk
 * and offset where such a thing can be, with a short UTF-8 detail; the stats
 * agree with the callbacks (records == calls, problem calls == errors +
 * crc_mismatches) and are bounded by the
 * input (a record or a torn record per 28 bytes, a chunk per slot); a
 * stopped walk delivers exactly the records before the stop, unchanged; a
 * chunk read alone (3, 4) gives the records and problems that the file walk
 * gave for it, and the slots' stats add up to the file's. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/evtx.h"
#include "fuzz.h"
#include "exh/banned.h"

#define EV_FILE_HEADER 4096u
#define EV_CHUNK_HEADER 512u
#define EV_RECORD_MIN 28u
#define EV_NKINDS 5
/* No string in a record should come near this: a chunk is 64 KiB. Longer
 * means substitutions were expanded over and over (a memory DoS). */
#define EV_MAX_STR ((size_t)64 << 20)

struct ev_rec {
    uint64_t offset;
    uint32_t chunk;
    uint64_t digest;
};

struct ev_prob {
    int what;
    uint32_t chunk;
    uint64_t offset;
};

struct ev_run {
    /* the bytes given to the reader */
    const uint8_t *base;
    size_t n;
    bool file;         /* exh_evtx_read: file offsets are indexes into base */
    uint32_t index;    /* exh_evtx_read_chunk: the chunk index given */
    uint64_t file_off; /* exh_evtx_read_chunk: the file offset given */
    size_t stop_at;    /* return 1 on this record call (1-based); 0: never */
    size_t calls;
    bool any;
    uint64_t last_offset;
    uint64_t kinds[EV_NKINDS];
    uint64_t pcalls;
    struct ev_rec *recs;
    size_t nrecs, rcap;
    struct ev_prob *probs;
    size_t nprobs, pcap;
};

static uint32_t ev_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ev_rd64(const uint8_t *p)
{
    return (uint64_t)ev_rd32(p) | (uint64_t)ev_rd32(p + 4) << 32;
}

/* Chunk slots of a file of n bytes: one per 64 KiB after the header that
 * holds at least a chunk header. */
static size_t ev_nslots(size_t n)
{
    if (n < EV_FILE_HEADER + EV_CHUNK_HEADER)
        return 0;
    return (n - EV_FILE_HEADER - EV_CHUNK_HEADER) / EXH_EVTX_CHUNK + 1;
}

/* The start (an index into run->base) and length of chunk c. */
static bool ev_slot(const struct ev_run *run, uint32_t c, size_t *start, size_t *len)
{
    size_t s;
    if (run->file) {
        if (c >= ev_nslots(run->n))
            return false;
        s = EV_FILE_HEADER + (size_t)c * EXH_EVTX_CHUNK;
    } else {
        if (c != run->index)
            return false;
        s = 0;
    }
    size_t left = run->n - s;
    *start = s;
    *len = left < EXH_EVTX_CHUNK ? left : EXH_EVTX_CHUNK;
    return *len >= EV_CHUNK_HEADER;
}

/* File offset off of chunk c as an index into the chunk: is there room for
 * a record header? */
static bool ev_rel(const struct ev_run *run, uint32_t c, uint64_t off, size_t *start, size_t *len,
                   size_t *rel)
{
    if (!ev_slot(run, c, start, len))
        return false;
    uint64_t slot_file_off = run->file ? *start : run->file_off;
    if (off < slot_file_off + EV_CHUNK_HEADER)
        return false;
    uint64_t r = off - slot_file_off;
    if (r + EV_RECORD_MIN > *len)
        return false;
    *rel = (size_t)r;
    return true;
}

static uint64_t ev_mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *q = p;
    for (size_t i = 0; i < n; i++) {
        h ^= q[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t ev_mix_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return ev_mix(h, b, 8);
}

/* A string of a record: readable, bounded, UTF-8, and in the reader's
 * buffers (decoded from UTF-16, so never a slice of the bytes given).
 * Folded into the digest. */
static uint64_t ev_str(const struct ev_run *run, uint64_t h, struct exh_str s)
{
    EXH_FUZZ_CHECK(s.n <= EV_MAX_STR);
    EXH_FUZZ_CHECK(s.n == 0 || s.p != NULL);
    if (s.n == 0)
        return ev_mix_u64(h, 0);
    exh_fuzz_touch(s.p, s.n);
    EXH_FUZZ_CHECK(!exh_fuzz_inside(s.p, 1, run->base, run->n));
    EXH_FUZZ_CHECK(exh_utf8_valid(s.p, s.n));
    return ev_mix(ev_mix_u64(h, s.n), s.p, s.n);
}

static int ev_record(void *ud, const struct exh_evtx_record *r)
{
    struct ev_run *run = ud;
    EXH_FUZZ_CHECK(r != NULL);

    /* where it is: a record header inside a chunk slot */
    size_t start, len, rel;
    EXH_FUZZ_CHECK(ev_rel(run, r->chunk, r->offset, &start, &len, &rel));
    const uint8_t *h = run->base + start + rel;
    EXH_FUZZ_CHECK(ev_rd32(h) == 0x00002a2a);
    uint32_t size = ev_rd32(h + 4);
    EXH_FUZZ_CHECK(size >= EV_RECORD_MIN && size <= len - rel);
    EXH_FUZZ_CHECK(r->written_ms == (int64_t)(ev_rd64(h + 16) / 10000) - 11644473600000LL);
    if (run->any)
        EXH_FUZZ_CHECK(r->offset > run->last_offset);
    run->any = true;
    run->last_offset = r->offset;

    /* what it says */
    EXH_FUZZ_CHECK(r->nfields <= EXH_EVTX_MAX_FIELDS);
    EXH_FUZZ_CHECK(r->nfields == 0 || r->fields != NULL);
    if (r->nfields)
        exh_fuzz_touch(r->fields, r->nfields * sizeof(*r->fields));
    EXH_FUZZ_CHECK(r->has_event_id || r->event_id == 0);
    EXH_FUZZ_CHECK(r->has_level || r->level == 0);
    EXH_FUZZ_CHECK(r->has_time || r->time_ms == 0);
    uint64_t d = 0xcbf29ce484222325ull;
    d = ev_mix_u64(d, r->record_id);
    d = ev_mix_u64(d, (uint64_t)r->written_ms);
    d = ev_mix_u64(d, r->chunk);
    d = ev_mix_u64(d, r->offset);
    d = ev_mix_u64(d, (uint64_t)r->has_event_id | (uint64_t)r->has_level << 1 |
                          (uint64_t)r->has_time << 2 | (uint64_t)r->named << 3);
    d = ev_mix_u64(d, r->event_id);
    d = ev_mix_u64(d, r->level);
    d = ev_mix_u64(d, (uint64_t)r->time_ms);
    d = ev_str(run, d, r->provider);
    d = ev_str(run, d, r->channel);
    d = ev_str(run, d, r->computer);
    d = ev_str(run, d, r->user_id);
    bool named = r->nfields > 0;
    for (size_t i = 0; i < r->nfields; i++) {
        d = ev_str(run, d, r->fields[i].name);
        d = ev_str(run, d, r->fields[i].value);
        named = named && r->fields[i].name.n > 0;
    }
    EXH_FUZZ_CHECK(r->named == named);
    d = ev_mix_u64(d, r->nfields);

    /* a record or a torn record per 28 bytes */
    EXH_FUZZ_CHECK(run->nrecs < run->rcap);
    run->recs[run->nrecs].offset = r->offset;
    run->recs[run->nrecs].chunk = r->chunk;
    run->recs[run->nrecs].digest = d;
    run->nrecs++;
    run->calls++;
    return run->stop_at && run->calls == run->stop_at;
}

static void ev_problem(void *ud, enum exh_evtx_problem what, uint32_t chunk, uint64_t offset,
                       const char *detail)
{
    struct ev_run *run = ud;
    int k = (int)what;
    EXH_FUZZ_CHECK(k >= 0 && k < EV_NKINDS);
    EXH_FUZZ_CHECK(detail != NULL);
    size_t dn = 0;
    while (dn < 128 && detail[dn])
        dn++;
    EXH_FUZZ_CHECK(dn > 0 && dn < 128);
    EXH_FUZZ_CHECK(exh_utf8_valid(detail, dn));

    size_t start = 0, len = 0, rel = 0;
    switch (what) {
    case EXH_EVTX_BAD_HEADER:
        EXH_FUZZ_CHECK(run->file && chunk == 0 && offset == 0);
        break;
    case EXH_EVTX_BAD_CHUNK:
        EXH_FUZZ_CHECK(run->file);
        EXH_FUZZ_CHECK(ev_slot(run, chunk, &start, &len) && offset == start);
        EXH_FUZZ_CHECK(memcmp(run->base + start, "ElfChnk", 8) != 0);
        break;
    case EXH_EVTX_BAD_CHUNK_CRC:
        EXH_FUZZ_CHECK(ev_slot(run, chunk, &start, &len));
        EXH_FUZZ_CHECK(offset == (run->file ? start : run->file_off));
        EXH_FUZZ_CHECK(memcmp(run->base + start, "ElfChnk", 8) == 0);
        break;
    case EXH_EVTX_BAD_RECORD:
        EXH_FUZZ_CHECK(ev_rel(run, chunk, offset, &start, &len, &rel));
        break;
    case EXH_EVTX_BAD_XML: {
        EXH_FUZZ_CHECK(ev_rel(run, chunk, offset, &start, &len, &rel));
        const uint8_t *h = run->base + start + rel;
        EXH_FUZZ_CHECK(ev_rd32(h) == 0x00002a2a);
        uint32_t size = ev_rd32(h + 4);
        EXH_FUZZ_CHECK(size >= EV_RECORD_MIN && size <= len - rel);
        break;
    }
    }
    run->kinds[k]++;
    run->pcalls++;
    EXH_FUZZ_CHECK(run->nprobs < run->pcap);
    run->probs[run->nprobs].what = k;
    run->probs[run->nprobs].chunk = chunk;
    run->probs[run->nprobs].offset = offset;
    run->nprobs++;
}

static void ev_init(struct ev_run *run, const uint8_t *base, size_t n)
{
    memset(run, 0, sizeof(*run));
    run->base = base;
    run->n = n;
    run->rcap = n / EV_RECORD_MIN + 1;
    run->pcap = n / EV_RECORD_MIN + ev_nslots(n) + 3;
    run->recs = malloc(run->rcap * sizeof(*run->recs));
    run->probs = malloc(run->pcap * sizeof(*run->probs));
    if (!run->recs || !run->probs)
        abort();
}

static void ev_reset(struct ev_run *run)
{
    run->calls = 0;
    run->any = false;
    run->last_offset = 0;
    memset(run->kinds, 0, sizeof(run->kinds));
    run->pcalls = 0;
    run->nrecs = 0;
    run->nprobs = 0;
}

static void ev_free(struct ev_run *run)
{
    free(run->recs);
    free(run->probs);
}

/* The stats agree with the callbacks and the input's size. */
static void ev_check_stats(const struct ev_run *run, const struct exh_evtx_stats *st)
{
    size_t slots = run->file ? ev_nslots(run->n) : 1;
    if (run->stop_at)
        EXH_FUZZ_CHECK(st->records == run->calls && run->calls <= run->stop_at);
    else
        EXH_FUZZ_CHECK(st->records == run->calls);
    EXH_FUZZ_CHECK(run->pcalls == st->errors + st->crc_mismatches);
    EXH_FUZZ_CHECK(st->chunks + run->kinds[EXH_EVTX_BAD_CHUNK] <= slots);
    /* exh_evtx_read_chunk does not count its chunk */
    uint64_t walked = run->file ? st->chunks : 1;
    EXH_FUZZ_CHECK(run->kinds[EXH_EVTX_BAD_CHUNK_CRC] <= walked);
    EXH_FUZZ_CHECK(run->kinds[EXH_EVTX_BAD_RECORD] <= walked);
    EXH_FUZZ_CHECK(run->kinds[EXH_EVTX_BAD_HEADER] <= 1);
    EXH_FUZZ_CHECK(st->records + run->kinds[EXH_EVTX_BAD_XML] <= run->n / EV_RECORD_MIN);
    EXH_FUZZ_CHECK(st->errors <= run->n / EV_RECORD_MIN + slots + 1);
    if (!run->file) {
        EXH_FUZZ_CHECK(st->chunks == 0);
        EXH_FUZZ_CHECK(run->kinds[EXH_EVTX_BAD_HEADER] == 0 && run->kinds[EXH_EVTX_BAD_CHUNK] == 0);
    }
}

static void ev_read_chunk(struct ev_run *run, const struct exh_evtx_cb *cb,
                          struct exh_evtx_stats *st)
{
    memset(st, 0, sizeof(*st));
    ev_reset(run);
    exh_evtx_read_chunk(run->base, run->n, run->index, run->file_off, cb, st);
    ev_check_stats(run, st);
}

static size_t ev_count_probs(const struct ev_run *run, uint32_t c, int what)
{
    size_t k = 0;
    for (size_t i = 0; i < run->nprobs; i++)
        k += run->probs[i].chunk == c && run->probs[i].what == what;
    return k;
}

/* A walk of chunk c alone (one) found what the file walk found in it: the
 * same records, unchanged, and as many problems of each kind. */
static void ev_same_chunk(const struct ev_run *file, uint32_t c, const struct ev_run *one)
{
    size_t k = 0;
    for (size_t i = 0; i < file->nrecs; i++) {
        if (file->recs[i].chunk != c)
            continue;
        EXH_FUZZ_CHECK(k < one->nrecs);
        EXH_FUZZ_CHECK(one->recs[k].chunk == c);
        EXH_FUZZ_CHECK(one->recs[k].offset == file->recs[i].offset);
        EXH_FUZZ_CHECK(one->recs[k].digest == file->recs[i].digest);
        k++;
    }
    EXH_FUZZ_CHECK(k == one->nrecs);
    for (int what = EXH_EVTX_BAD_CHUNK; what <= EXH_EVTX_BAD_XML; what++)
        EXH_FUZZ_CHECK(ev_count_probs(one, c, what) == ev_count_probs(file, c, what));
}

int exh_fuzz_evtx(const uint8_t *data, size_t size)
{
    struct exh_evtx_stats st;
    struct exh_evtx_cb cb;
    memset(&cb, 0, sizeof(cb));
    cb.record = ev_record;
    cb.problem = ev_problem;

    /* 1. the whole file */
    struct ev_run full;
    ev_init(&full, data, size);
    full.file = true;
    cb.ud = &full;
    exh_evtx_read(data, size, &cb, &st);
    ev_check_stats(&full, &st);
    struct exh_evtx_stats st_full = st;
    if (!exh_evtx_sniff(data, size) || size < 128) {
        EXH_FUZZ_CHECK(st.records == 0 && st.chunks == 0);
        EXH_FUZZ_CHECK(full.kinds[EXH_EVTX_BAD_HEADER] == 1 && full.pcalls == 1);
    }

    /* 2. stopped at the k-th record: the same first k records */
    if (full.nrecs > 0) {
        struct ev_run stop;
        ev_init(&stop, data, size);
        stop.file = true;
        stop.stop_at = 1 + (size_t)data[size - 1] % full.nrecs;
        cb.ud = &stop;
        exh_evtx_read(data, size, &cb, &st);
        ev_check_stats(&stop, &st);
        EXH_FUZZ_CHECK(stop.nrecs == stop.stop_at);
        for (size_t i = 0; i < stop.nrecs; i++) {
            EXH_FUZZ_CHECK(stop.recs[i].offset == full.recs[i].offset);
            EXH_FUZZ_CHECK(stop.recs[i].digest == full.recs[i].digest);
        }
        ev_free(&stop);
    }

    /* 3. every chunk alone, exactly sized: what the file walk found in it */
    bool is_file = exh_evtx_sniff(data, size) && size >= 128;
    if (is_file) {
        for (uint32_t c = 0; c < ev_nslots(size); c++) {
            size_t start = EV_FILE_HEADER + (size_t)c * EXH_EVTX_CHUNK;
            size_t len = size - start < EXH_EVTX_CHUNK ? size - start : EXH_EVTX_CHUNK;
            if (memcmp(data + start, "ElfChnk", 8) != 0)
                continue;
            uint8_t *copy = exh_fuzz_dup(data + start, len);
            struct ev_run one;
            ev_init(&one, copy, len);
            one.index = c;
            one.file_off = start;
            cb.ud = &one;
            ev_read_chunk(&one, &cb, &st);
            ev_same_chunk(&full, c, &one);
            ev_free(&one);
            free(copy);
        }
    }

    /* 4. exh_evtx_open, then exh_evtx_read_slot from the last slot to the
     * first with one reader (as a thread of exhunt evtx -j N may): every
     * slot gives what the file walk gave, and the stats add up to its */
    {
        struct ev_run one;
        ev_init(&one, data, size);
        one.file = true;
        cb.ud = &one;
        struct exh_evtx_stats total;
        size_t nslots = 12345;
        bool opened = exh_evtx_open(data, size, &cb, &total, &nslots);
        EXH_FUZZ_CHECK(opened == is_file);
        EXH_FUZZ_CHECK(nslots == (opened ? ev_nslots(size) : 0));
        EXH_FUZZ_CHECK(one.pcalls == total.errors + total.crc_mismatches);
        EXH_FUZZ_CHECK(one.kinds[EXH_EVTX_BAD_HEADER] == one.pcalls);
        EXH_FUZZ_CHECK(one.kinds[EXH_EVTX_BAD_HEADER] == full.kinds[EXH_EVTX_BAD_HEADER]);
        struct exh_evtx_reader *rd = exh_evtx_reader_new();
        for (size_t i = nslots; i-- > 0;) {
            struct exh_evtx_stats sst;
            memset(&sst, 0, sizeof(sst));
            ev_reset(&one);
            EXH_FUZZ_CHECK(exh_evtx_read_slot(rd, data, size, i, &cb, &sst) == 0);
            ev_check_stats(&one, &sst);
            EXH_FUZZ_CHECK(sst.chunks <= 1);
            ev_same_chunk(&full, (uint32_t)i, &one);
            exh_evtx_stats_add(&total, &sst);
        }
        /* the slot past the last is nothing */
        if (opened) {
            struct exh_evtx_stats none;
            memset(&none, 0, sizeof(none));
            ev_reset(&one);
            EXH_FUZZ_CHECK(exh_evtx_read_slot(rd, data, size, nslots, &cb, &none) == 0);
            EXH_FUZZ_CHECK(one.calls == 0 && one.pcalls == 0 && none.records == 0 &&
                           none.errors == 0);
        }
        exh_evtx_reader_free(rd);
        EXH_FUZZ_CHECK(total.records == st_full.records && total.errors == st_full.errors &&
                       total.chunks == st_full.chunks &&
                       total.crc_mismatches == st_full.crc_mismatches);
        ev_free(&one);
    }
    ev_free(&full);

    /* not a chunk (no magic, or shorter than a chunk header): nothing */
    if (size < EV_CHUNK_HEADER || memcmp(data, "ElfChnk", 8) != 0) {
        struct ev_run none;
        ev_init(&none, data, size);
        cb.ud = &none;
        ev_read_chunk(&none, &cb, &st);
        EXH_FUZZ_CHECK(none.calls == 0 && none.pcalls == 0 && st.records == 0 && st.errors == 0 &&
                       st.crc_mismatches == 0);
        ev_free(&none);
    }
    exh_evtx_reader_free(NULL);

    /* 5. a 64 KiB chunk from the input: the first slot of a file, else the
     * input itself; always with the chunk magic */
    const uint8_t *src = data;
    size_t srcn = size;
    if (exh_evtx_sniff(data, size) && size > EV_FILE_HEADER) {
        src = data + EV_FILE_HEADER;
        srcn = size - EV_FILE_HEADER;
    }
    if (srcn > EXH_EVTX_CHUNK)
        srcn = EXH_EVTX_CHUNK;
    uint8_t *chunk = calloc(1, EXH_EVTX_CHUNK);
    if (!chunk)
        abort();
    if (srcn)
        memcpy(chunk, src, srcn);
    memcpy(chunk, "ElfChnk", 8);
    uint32_t index = size ? data[0] : 0;
    uint64_t file_off = EV_FILE_HEADER + (uint64_t)index * EXH_EVTX_CHUNK;

    struct ev_run plain;
    ev_init(&plain, chunk, EXH_EVTX_CHUNK);
    plain.index = index;
    plain.file_off = file_off;
    cb.ud = &plain;
    ev_read_chunk(&plain, &cb, &st);

    ev_free(&plain);
    free(chunk);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_evtx(data, size);
}
#endif
