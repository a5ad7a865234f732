/* engine.h: the engine's inside contract, shared by the files of src/engine/
 * (the scan's parts below, the emitter, the judge). Nothing outside src/engine
 * includes it. */
#ifndef EXH_ENGINE_H
#define EXH_ENGINE_H

#include "exh/detect.h"
#include "exh/scan.h"
#include "exh/exposure.h"

#include "../detect/emitter.h"

/* The URL a file on disk is served at (lower case), from the web roots
 * Exchange and IIS use; NULL when it is under none. */
char *exh_served_url(const char *path);

/* What one log file told us besides findings: coverage, build, host. */
struct exh_fileobs {
    char *rel;
    char *source;
    uint64_t bytes;
    bool has_time;
    int64_t first_ms, last_ms;
    bool has_build;
    struct exh_build build;
    uint64_t build_line; /* 0: from the #Version line */
    char *host;
    /* a binary whose version resource was read (source is NULL then) */
    enum { EXH_BIN_NONE, EXH_BIN_EXSETUP, EXH_BIN_FRONTEND } bin;
    struct exh_build bin_version;
    /* mitigations found in this file (a config file or the mitigation
     * service's log; source is NULL then) */
    bool has_mit;
    struct exh_mitigations mit;
};

/* judge.c: cross-source work after every file was read. */
void exh_judge(const struct exh_scan_opts *o, struct exh_fileobs *obs, size_t nobs,
               const struct exh_reqagg *reqs, size_t nreqs, struct exh_emitter *em,
               struct exh_result *res);

/* Sort error records into report order (path, code, emission): judge.c, and
 * collect.c after adding its own. */
void exh_sort_errors(struct exh_error_rec *e, size_t n);

/* ------------------------------------------------------------------------
 * The scan's inside: how scan.c, walk.c, needles.c, dispatch.c, textlog.c,
 * pieces.c and results.c share one scan. exh_scan (scan.c) builds an engine,
 * eng_plan() walks the roots into jobs, eng_build_matchers() makes one
 * pre-filter per log family, the workers take jobs (eng_scan_job or
 * eng_scan_piece), and eng_finish() merges the workers and judges. The engine
 * is read-only while workers run; each worker owns everything it writes.
 * ---------------------------------------------------------------------- */

#include <stdatomic.h>

#include "exh/match.h"
#include "exh/os.h"

/* Text logs larger than two pieces are read as pieces of engine.piece_bytes (cut at
 * line starts), each a job of its own, so that one huge file keeps every
 * thread busy. The split depends on the file size only, never on -j, so the
 * output is the same for every -j. */
#define PIECE_BYTES_DEFAULT ((uint64_t)64 << 20)
/* What one piece of a split file left behind, merged in piece order once
 * every piece is done (line numbers are made file-wide then). */
struct piece {
    struct exh_emitter em;
    struct exh_fileobs obs; /* piece 0 only: the file's coverage and build */
    bool has_obs;
    uint64_t records, bytes, files_read;
    uint64_t lfs;         /* line ends in the piece's byte range */
    bool is_log;          /* the file was read as a text log (else piece 0 read it whole) */
    bool empty;           /* no line starts in the piece's range: it read nothing */
    bool saw_fields;      /* a #Fields: line or a repeated CSV header in the piece */
    bool saw_date;        /* a W3C #Date: line in the piece */
    bool used_date_early; /* a row took its date from #Date: before the piece had one */
    uint64_t body_line; /* the file-wide number of the body's first line (its lines count from 1) */
    /* the layout (the header line's text) and the W3C block date assumed at
     * the piece's start and in effect at its end */
    struct exh_buf fields_in, fields_out;
    char date_in[16], date_out[16];
    size_t date_in_n, date_out_n;
};

struct split {
    uint32_t n;
    uint64_t size; /* the file's size when the walk saw it: pieces read no further */
    struct piece *p;
};

struct member;

struct job {
    char *path; /* as opened; inside an archive ARCHIVE!MEMBER (archive.c) */
    char *rel;
    uint64_t size;
    int64_t mtime_ms;
    struct split *split; /* NULL: the file is one job */
    uint32_t piece;
    struct member *mem; /* a zip member to read from its archive (archive.c), or NULL */
    uint8_t depth;      /* how many archives the file is inside */
    bool planned;       /* a zip whose members are jobs of their own */
};

struct engine;

struct worker {
    struct engine *e;
    /* where the detectors' hits go: &own, or the piece's emitter while a
     * piece is read (eng_scan_piece) */
    struct exh_emitter *em;
    struct exh_emitter own;
    struct exh_exlog_header hdr;
    struct exh_exlog_row row;
    struct exh_fileobs *obs;
    size_t nobs, capobs;
    /* W3C: the date of the current header block (#Date:), for rows whose
     * #Fields has a time but no date column */
    char w3c_date[16];
    size_t w3c_daten;
    uint64_t records, bytes, files_read;
    uint64_t seen_inside; /* files found inside archives this worker unpacked */
    /* the zip whose member it read last, kept mapped for the next member
     * (archive.c; released with the worker) */
    char *arc_path;
    struct exh_map arc_map;
    atomic_size_t nfound; /* findings so far, for the progress display */
    struct exh_thread *th;
    struct exh_map *map; /* the file being read (for exh_os_map_done) */
    /* the text of the header layout in effect, and (while a piece is read)
     * whether it changed before or after the first row */
    struct exh_buf hdr_txt;
    uint64_t serial;     /* exh_logrec.serial of the line shown last (eng_worker_serials) */
    struct piece *piece; /* the piece being read, or NULL */
    uint32_t piece_index, npieces;
    uint64_t split_size;
    bool track;
};

struct engine {
    const struct exh_scan_opts *o;
    struct exh_iocset *iocs;
    bool own_iocs;
    struct exh_yara *yara;
    char *yara_error; /* the rules did not compile: reported as an error record */
    struct job *jobs;
    size_t njobs, capjobs;
    struct exh_emitter main_em;
    uint64_t seen, skipped, bytes_total;
    struct exh_matcher *matcher[EXH_FAM__COUNT];
    const struct exh_detector **line_dets[EXH_FAM__COUNT]; /* exh_ndetectors each */
    size_t nline_dets[EXH_FAM__COUNT];
    bool all_lines[EXH_FAM__COUNT];
    struct exh_strset pages;                /* URLs of the files found (requests noted for them) */
    struct exh_strset rootset;              /* roots, as compared (lower case on Windows) */
    const struct exh_detector **event_dets; /* exh_ndetectors */
    size_t nevent_dets;
    uint64_t piece_bytes;
    atomic_size_t next;
    atomic_uint_fast64_t done_files, done_bytes;
    atomic_int running;
    /* walk state */
    const char *root_given;
    bool prefix_rel;
    char **roots;
    size_t nroots;
};

/* walk.c: walk the scan's roots into e->jobs (largest first); roots,
 * walk errors and skipped files go to e and out. */
void eng_plan(struct engine *e, const struct exh_scan_opts *o, struct exh_result *out);
/* walk.c: add a job to the plan (copied; a large text log on disk becomes
 * pieces), noting the install folder and served URL its path names. */
void eng_add_job(struct engine *e, const struct job *j);
/* Was path (as opened; ARCHIVE!MEMBER for a member) left out because a
 * reader crashed on it, or ran over its time budget, in an earlier run?
 * Then an error record for rel says so. */
bool eng_left_out(struct engine *e, const char *path, const char *rel);
/* archive.c: zips planned as a job per member; members read; archives found
 * in a file read (or named as not read). */
bool eng_plan_zip(struct engine *e, struct job *j);
void eng_scan_member(struct worker *w, const struct job *j);
void eng_scan_archive(struct worker *w, const struct job *j, const uint8_t *data, size_t n,
                      const char *name);
void eng_member_release(struct member *m);
void eng_worker_archive_release(struct worker *w);
/* Is this file an archive, by its name or bytes (sure: by its bytes)? */
bool eng_is_archive(const char *name, const uint8_t *p, size_t n, bool *sure);
/* Is the file on disk at path an archive (its name or first bytes)? Such
 * files are never read in pieces: what they hold is read whole. */
bool eng_archive_file(const char *path);
uint64_t eng_max_member(const struct exh_scan_opts *o);
/* needles.c: one pre-filter per log family from the detector table; the
 * literals of one family (for exh_scan_literals). */
void eng_build_matchers(struct engine *e);
void eng_family_needles(const struct engine *e, int fam, const char ***needles, size_t *nn,
                        size_t *cap);
/* dispatch.c: map one file and hand its bytes to the reader its class names. */
void eng_scan_job(struct worker *w, const struct job *j);
void eng_scan_data(struct worker *w, const struct job *j, const uint8_t *data, size_t n);
/* textlog.c: read a text log (or w->piece of one): the pre-filter's lines
 * to the detectors, the first and last lines to the coverage. */
void eng_scan_log(struct worker *w, struct exh_file *f);
/* Give w its own range of line serials (exh_logrec.serial), unique in the
 * process whatever scans ran before on the same thread. */
void eng_worker_serials(struct worker *w);
/* A new, zeroed observation at the end of w's list (new_obs: for file f). */
struct exh_fileobs *eng_push_obs(struct worker *w);
struct exh_fileobs *eng_new_obs(struct worker *w, const struct exh_file *f);
/* pieces.c: read one piece of a split file into its own emitter; put a
 * split file's pieces back together into w (or read it again whole when a
 * piece read rows with a layout an earlier piece changed). */
void eng_scan_piece(struct worker *w, const struct job *j);
void eng_merge_split(struct worker *w, const struct job *j);
/* results.c: move src's findings, errors and requests into dst (line numbers
 * shifted by base); merge the workers into out and judge. */
void eng_absorb(struct exh_emitter *dst, struct exh_emitter *src, uint64_t base);
void eng_finish(struct engine *e, struct worker *ws, int nthreads, struct exh_result *out);
/* Free what an observation owns; what a worker owns besides its emitter. */
void exh_fileobs_release(struct exh_fileobs *o);
void eng_worker_release(struct worker *w);

#endif
