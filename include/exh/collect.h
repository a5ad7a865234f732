/* collect.h: `exhunt scan --collect DIR`: a copy of every file a finding
 * names, kept for the investigation, with a manifest of what was copied.
 *
 * exh_collect() (src/engine/collect.c) runs after the scan, on its result:
 * each file named by a finding is read (read-only, as the scan read it: below
 * a walked root no link is followed) and streamed in chunks into DIR under
 * the name exh_collect_name() builds, hashing as it goes; the copy is then
 * read back and its SHA-256 compared with the source's. A file that grew
 * meanwhile (a log written to) is copied as far as it reached when opened:
 * no error, the item says grew. A copy that fails (unreadable, vanished,
 * shrank or changed while copied, disk full) becomes an error
 * record in the result (so every format shows it, and the verdict and exit
 * code follow the usual rules) and the others go on. It never prints or
 * exits. The manifest is written by the report layer
 * (src/report/report_manifest.c) from the items exh_collect() returns.
 *
 * Names in DIR: the path the report gives (relative to the PATH the file was
 * found under), one '/'-separated component at a time made safe for every
 * file system (exh_collect_component), and with a PATH prefix when the scan
 * had several roots (PATHs, --exchange-root, live mode): "<N>-<root's last
 * name>/", N counting the roots from 1 in the order they were walked. Names
 * that a web server would run or serve as a page, or that Windows would run,
 * get ".quarantine" appended (exh_collect_defang).
 *
 * Ownership: the items belong to struct exh_collect_result; free them with
 * exh_collect_release(). */
#ifndef EXH_COLLECT_H
#define EXH_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "scan.h"

#define EXH_COLLECT_SUFFIX ".quarantine"

/* Does the file name (a last component) end in an extension that IIS or
 * another web server would run or serve as active content, or that Windows
 * would run or open with an interpreter (.aspx .ashx .asmx .asp .config
 * .cshtml .php .jsp .html .svg .exe .dll .ps1 .bat .cmd .vbs .js .hta .lnk
 * .docm ...)? Case does not matter. */
bool exh_collect_runnable(const char *name);
/* name with EXH_COLLECT_SUFFIX appended when exh_collect_runnable(name), else
 * a copy; free it. */
char *exh_collect_defang(const char *name);
/* One path component p[0..n) made safe as a file name on POSIX and Windows:
 * control characters, invalid UTF-8, bidi and other format characters and
 * < > : " \ | ? * ; become '_'; trailing dots and spaces become '_' (so "."
 * and ".." become "_" and "__"); "" and reserved device names (CON, NUL,
 * COM1, LPT1 ..., with any extension) get a '_' in front; at most 200 bytes
 * (cut on a character boundary). Never empty, never contains '/'. Free it. */
char *exh_collect_component(const char *p, size_t n);
/* The relative name under DIR for a file the report names `path`, prefix ""
 * (one root) or "<N>-<name>" (exh_collect_prefix): every component made safe
 * and the last one defanged. variant > 1 puts "~<variant>" before the last
 * component's extension (the name taken by another file: "a~2.aspx.quarantine").
 * A name at DIR's top level that exh_collect_reserved() gets a '_' in front
 * ("_manifest.jsonl", "_manifest~2.jsonl"). Free it. */
char *exh_collect_name(const char *prefix, const char *path, unsigned variant);
/* Is name (a copy's name at DIR's top level) one of DIR's own files:
 * manifest.jsonl, manifest.csv, report.jsonl, report-N.jsonl (any case, as
 * on Windows)? exh_collect_name() puts a '_' in front of such a copy's name
 * ("_manifest.jsonl"), so no copy can take or be appended to. */
bool exh_collect_reserved(const char *name);
/* "<index+1>-<safe last name of root>" ("<index+1>" when the root has no
 * name, such as "/" or "C:\"). Free it. */
char *exh_collect_prefix(size_t index, const char *root);

/* Is DIR usable? */
enum exh_collect_check {
    EXH_COLLECT_OK,        /* missing (to be made), empty, or --collect-append */
    EXH_COLLECT_INSIDE,    /* inside (or is) root *inside: refused */
    EXH_COLLECT_NOT_EMPTY, /* a folder with files in it, without --collect-append */
    EXH_COLLECT_NOT_DIR    /* exists and is not a folder (or cannot be listed) */
};
enum exh_collect_check exh_collect_check_dir(const char *dir, const char *const *roots,
                                             size_t nroots, bool append, size_t *inside);

struct exh_collect_item {
    char *path;   /* as the report names it */
    char *source; /* as opened */
    char *copy;   /* relative to DIR, '/' separators */
    uint64_t size;
    char sha256[65];
    int64_t mtime_ms;
    bool has_ctime;
    int64_t ctime_ms;
    const char *ctime_what; /* "changed" (POSIX inode change) or "created" (Windows) */
    char *rules;            /* "EXH-WS-003,EXH-LOC-001": the rules that named it, sorted */
    bool present;           /* --collect-append: an identical copy was already there */
    bool grew; /* longer once copied (a log written to): the copy holds the size at open */
};

struct exh_collect_result {
    struct exh_collect_item *items;
    size_t nitems;
    uint64_t failed; /* files that became error records */
    uint64_t bytes;  /* bytes copied */
};

struct exh_collect_opts {
    const char *dir;
    bool append;
    /* tests: read and write in chunks this small (0: 1 MiB) */
    size_t chunk;
};

/* Copy the files res's findings name into o->dir (made if missing). Failures
 * are added to res->errors (and res->sum: files_errors, and the verdict when
 * it was CLEAN, which becomes INCOMPLETE). Returns EXH_OK, or an error when
 * DIR itself cannot be made (then nothing was copied and *sys_msg says why). */
enum exh_err exh_collect(const struct exh_collect_opts *o, struct exh_result *res,
                         struct exh_collect_result *out, const char **sys_msg);
void exh_collect_release(struct exh_collect_result *r);

/* The manifest (src/report/report_manifest.c): one JSON object per item, or
 * one CSV row per item (with a header row when header is true). */
void exh_manifest_jsonl(FILE *out, const struct exh_collect_result *r, int64_t collected_ms);
void exh_manifest_csv(FILE *out, const struct exh_collect_result *r, bool header,
                      int64_t collected_ms);

#endif
