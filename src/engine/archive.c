/* archive.c: files inside archives, read in place. A zip on disk is planned
 * here as one job per member (so its members spread over the workers); a
 * gzip file, and an archive found inside another, is unpacked by the worker
 * that reads it. Each member is classified and scanned as a file would be,
 * under the name ARCHIVE!MEMBER (docs/output.md). Nothing is extracted:
 * members are unpacked into memory, inside the limits of exh_scan_opts
 * (--max-member, --max-unpacked, --max-ratio). Archives exhunt cannot read
 * (.7z, .rar, .cab, ...), encrypted members and unknown methods are named in
 * an error record when they may hold logs, else in an info record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/unpack.h"
#include "exh/zip.h"
#include "exh/banned.h"

#define ARCHIVE_DEPTH 3 /* an archive inside an archive inside an archive */

uint64_t eng_max_member(const struct exh_scan_opts *o)
{
    return o->max_member ? o->max_member : EXH_MAX_MEMBER_DEFAULT;
}

static uint64_t max_unpacked(const struct exh_scan_opts *o)
{
    return o->max_unpacked ? o->max_unpacked : EXH_MAX_UNPACKED_DEFAULT;
}

static uint32_t max_ratio(const struct exh_scan_opts *o)
{
    return o->max_ratio ? o->max_ratio : EXH_MAX_RATIO_DEFAULT;
}

static bool ends_ci(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && exh_eq_ci(exh_str_make(s + n - k, k), suf);
}

/* ------------------------------------------------------------ kinds -- */

enum akind { AK_NONE, AK_ZIP, AK_GZIP, AK_OTHER };

/* What kind of archive name/bytes are; for AK_OTHER, *fmt names the format
 * exhunt does not read. *sure: the bytes say so (else the name alone does,
 * and a file whose content is a log is read as the log). */
static enum akind archive_kind(const char *name, const uint8_t *p, size_t n, const char **fmt,
                               bool *sure)
{
    size_t nl = strlen(name);
    *fmt = NULL;
    *sure = true;
    if (n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
        return AK_GZIP;
    if (ends_ci(name, nl, ".zip") && exh_zip_looks(p, n))
        return AK_ZIP; /* a member header first, or an end record (bytes before it) */
    static const struct {
        const char *ext, *magic;
        size_t mlen, at;
        const char *fmt;
    } other[] = {
        {".7z", "7z\xbc\xaf\x27\x1c", 6, 0, "7-Zip"},
        {".rar", "Rar!\x1a\x07", 6, 0, "RAR"},
        {".cab", "MSCF", 4, 0, "cabinet (.cab)"},
        {".tar", "ustar", 5, 257, "tar"},
        {".tgz", NULL, 0, 0, "tar"},
        {".bz2", "BZh", 3, 0, "bzip2"},
        {".xz",
         "\xfd"
         "7zXZ",
         5, 0, "xz"},
        {".zst", "\x28\xb5\x2f\xfd", 4, 0, "Zstandard"},
        {".lzma", NULL, 0, 0, "LZMA"},
        {".vhdx", "vhdxfile", 8, 0, "VHDX virtual disk (KAPE's container)"},
        {".vhd", "conectix", 8, 0, "VHD virtual disk"},
    };
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        bool m = other[i].magic && n >= other[i].at + other[i].mlen &&
                 !memcmp(p + other[i].at, other[i].magic, other[i].mlen);
        if (m || ends_ci(name, nl, other[i].ext)) {
            *fmt = other[i].fmt;
            *sure = m;
            return AK_OTHER;
        }
    }
    if (ends_ci(name, nl, ".zip")) {
        *fmt = "zip (not one: no zip signature)";
        *sure = false;
        return AK_OTHER;
    }
    return AK_NONE;
}

bool eng_is_archive(const char *name, const uint8_t *p, size_t n, bool *sure)
{
    const char *fmt;
    return archive_kind(name, p, n, &fmt, sure) != AK_NONE;
}

bool eng_archive_file(const char *path)
{
    struct exh_map map;
    const char *sys = NULL;
    if (exh_os_map(path, &map, &sys) != EXH_OK)
        return false;
    const char *base = exh_path_base(exh_str_make(path, strlen(path))).p;
    bool sure;
    bool a = eng_is_archive(base, map.p, map.n, &sure) && sure;
    exh_os_unmap(&map);
    return a;
}

/* May what is named path hold logs (so that leaving it unread leaves the
 * verdict incomplete)? Its name or folders say so, or (nested: an archive
 * inside one that could not be unpacked) it is an archive itself. */
static bool may_hold_logs(const char *path, bool nested)
{
    static const char *const words[] = {
        "log", "u_ex", "u_nc", "u_in", "httpproxy", "w3svc",    "evtx",    "ecp", "oab",
        "rps", "ews",  "owa",  "mapi", "autod",     "exchange", "inetpub", NULL};
    for (int i = 0; words[i]; i++)
        if (exh_find_ci(path, strlen(path), words[i], strlen(words[i])))
            return true;
    if (!nested)
        return false;
    const char *fmt;
    const char *base = path;
    bool sure;
    for (const char *c = path; *c; c++)
        if (*c == '/' || *c == '\\' || *c == '!')
            base = c + 1;
    return archive_kind(base, (const uint8_t *)"", 0, &fmt, &sure) != AK_NONE;
}

static void unread(struct exh_emitter *em, const char *rel, enum exh_err code, const char *why,
                   bool logs)
{
    if (logs)
        exh_emit_error(em, rel, code, why);
    else
        exh_emit_info(em, rel, code, why);
}

/* ------------------------------------------------------------ names -- */

static int hexv(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* A member's name as shown: '\\' as '/', percent-escapes decoded when the
 * layout encodes names (Velociraptor), then escaped again as %XX: control
 * bytes, bytes that are not UTF-8, '!' (the archive separator), and the
 * parts that would reach outside the archive were it extracted (a leading
 * '/', a drive, a ".." component). *outside is set for those. */
static char *member_name(const uint8_t *raw, size_t n, bool decode, bool *outside)
{
    struct exh_buf d = {0};
    for (size_t i = 0; i < n; i++) {
        uint8_t c = raw[i];
        if (decode && c == '%' && i + 2 < n && hexv(raw[i + 1]) >= 0 && hexv(raw[i + 2]) >= 0) {
            c = (uint8_t)(hexv(raw[i + 1]) * 16 + hexv(raw[i + 2]));
            i += 2;
        }
        exh_buf_addc(&d, c == '\\' ? '/' : (char)c);
    }
    /* Velociraptor's ntfs accessor names the volume \\.\C: : shown as C: */
    if (decode && d.n >= 13 && !memcmp(d.p, "uploads/ntfs/", 13) && d.n >= 17 &&
        !memcmp(d.p + 13, "//./", 4)) {
        memmove(d.p + 13, d.p + 17, d.n - 17);
        d.n -= 4;
        d.p[d.n] = '\0';
    }
    *outside = false;
    struct exh_buf b = {0};
    size_t at = 0;
    if (d.n && d.p[0] == '/') {
        *outside = true;
    } else if (d.n >= 2 && ((d.p[0] | 0x20) >= 'a' && (d.p[0] | 0x20) <= 'z') && d.p[1] == ':') {
        *outside = true;
        exh_buf_addc(&b, d.p[0]);
        exh_buf_adds(&b, "%3A");
        at = 2;
    }
    while (at < d.n) {
        /* a component: ".." is escaped */
        size_t end = at;
        while (end < d.n && d.p[end] != '/')
            end++;
        if (end - at == 2 && d.p[at] == '.' && d.p[at + 1] == '.') {
            *outside = true;
            exh_buf_adds(&b, "%2E%2E");
            at = end;
        }
        for (; at < end; at++) {
            const uint8_t *q = (const uint8_t *)d.p + at;
            unsigned cp;
            size_t k = exh_utf8_decode(q, end - at, &cp); /* strict: no overlong, surrogate */
            if (k > 1) {
                exh_buf_add(&b, q, k);
                at += k - 1;
            } else if (k == 1 && *q >= 0x20 && *q != 0x7f && *q != '!' && *q != '%') {
                exh_buf_addc(&b, (char)*q);
            } else {
                exh_buf_addf(&b, "%%%02X", *q);
            }
        }
        if (at < d.n) { /* the '/' after it */
            exh_buf_addc(&b, '/');
            at++;
        }
    }
    if (d.n && d.p[0] == '/') { /* shown as %2F, then the rest */
        struct exh_buf c = {0};
        exh_buf_adds(&c, "%2F");
        exh_buf_add(&c, b.p + 1, b.n - 1);
        exh_buf_release(&b);
        b = c;
    }
    exh_buf_release(&d);
    if (!b.n)
        exh_buf_adds(&b, "%00"); /* an empty name */
    return exh_buf_detach(&b);
}

/* Is this directory a Velociraptor collection (its names URL-encoded)? */
static bool velociraptor(const struct exh_zip_dir *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const char *s = (const char *)d->e[i].name;
        size_t k = d->e[i].name_len;
        if ((k >= 13 && !memcmp(s, "uploads/auto/", 13)) ||
            (k >= 13 && !memcmp(s, "uploads/ntfs/", 13)) ||
            (k == 23 && !memcmp(s, "collection_context.json", 23)) ||
            (k == 12 && !memcmp(s, "uploads.json", 12)))
            return true;
    }
    return false;
}

static char *join3(const char *a, const char *sep, const char *b)
{
    struct exh_buf x = {0};
    exh_buf_adds(&x, a);
    exh_buf_adds(&x, sep);
    exh_buf_adds(&x, b);
    return exh_buf_detach(&x);
}

/* ---------------------------------------------------- one member -- */

struct member {
    char *archive;            /* the archive's path, as opened (a job of the plan) */
    struct exh_zip_entry ent; /* as its directory gave it; the name is name_raw */
    char *name_raw;           /* the directory's bytes for its name (its own header is
                                 compared with them) */
    uint64_t budget;          /* the most it is unpacked to */
};

/* Unpack one member's bytes (data[0..len): as the archive holds them) and
 * scan them as a file. */
static void scan_unpacked(struct worker *w, const struct job *j, const struct member *m,
                          const uint8_t *data, size_t len, bool cut)
{
    struct exh_emitter *em = w->em;
    struct exh_unpacked u;
    memset(&u, 0, sizeof(u));
    const uint8_t *bytes;
    size_t nb;
    bool checkable = m->ent.sizes_known && !cut;
    if (m->ent.method == 0) {
        nb = m->ent.sizes_known ? len : 0;
        if (!m->ent.sizes_known) {
            exh_emit_error(em, j->rel, EXH_ERR_UNSUPPORTED,
                           "a stored member without sizes (found without the archive's "
                           "directory) cannot be delimited: not read");
            return;
        }
        if (nb > m->budget) {
            nb = (size_t)m->budget;
            checkable = false;
            exh_emit_error(em, j->rel, EXH_ERR_LIMIT,
                           "it is larger than the limit per member (--max-member): only its "
                           "start was read");
        }
        bytes = data;
    } else {
        struct exh_unpack_limits lim = {m->budget, max_ratio(w->e->o)};
        exh_unpack(EXH_UNPACK_DEFLATE, data, len, m->ent.sizes_known ? m->ent.usize : 0, &lim, &u);
        if (u.code != EXH_OK) {
            checkable = false;
            /* a declared size over --max-member was said when it was planned */
            if (!(u.limit_size && m->ent.sizes_known && m->ent.usize > m->budget))
                exh_emit_error(em, j->rel, u.code, u.why);
        }
        bytes = (const uint8_t *)u.out.p;
        nb = u.out.n;
    }
    if (checkable && nb != m->ent.usize) {
        char why[200];
        snprintf(why, sizeof(why),
                 "it unpacks to %llu bytes, its directory says %llu (read anyway)",
                 (unsigned long long)nb, (unsigned long long)m->ent.usize);
        exh_emit_error(em, j->rel, EXH_ERR_CORRUPT, why);
    } else if (checkable && exh_crc32(bytes, nb) != m->ent.crc) {
        exh_emit_error(em, j->rel, EXH_ERR_CORRUPT,
                       "its CRC does not match its bytes: they are not what was packed (read "
                       "anyway)");
    }
    if (nb)
        eng_scan_data(w, j, bytes, nb);
    else if (m->ent.method == 0 || u.code == EXH_OK)
        w->files_read++; /* an empty member: read, nothing in it */
    exh_unpacked_release(&u);
}

/* Find member m in its archive's bytes p[0..n) (its own header checked
 * against the directory), unpack it and scan it as the file j. */
static void read_member(struct worker *w, const struct job *j, const struct member *m,
                        const uint8_t *p, size_t n)
{
    const uint8_t *data;
    size_t len;
    char why[200];
    enum exh_err err = exh_zip_member(p, n, &m->ent, &data, &len, why, sizeof(why));
    if (err != EXH_OK && err != EXH_ERR_TRUNCATED) {
        exh_emit_error(w->em, j->rel, err, why);
        return;
    }
    if (why[0])
        exh_emit_error(w->em, j->rel, err != EXH_OK ? err : EXH_ERR_CORRUPT, why);
    scan_unpacked(w, j, m, data, len, err == EXH_ERR_TRUNCATED);
}

/* The member job j (planned by eng_plan_zip): map its archive (kept mapped
 * for the next member of the same), find the member, unpack and scan it. */
void eng_scan_member(struct worker *w, const struct job *j)
{
    const struct member *m = j->mem;
    if (!w->arc_path || strcmp(w->arc_path, m->archive) != 0) {
        /* members of one zip come one after another: it stays mapped */
        eng_worker_archive_release(w);
        const char *sys = NULL;
        enum exh_err err = exh_os_map(m->archive, &w->arc_map, &sys);
        if (err != EXH_OK) {
            exh_emit_error(w->em, j->rel, err, sys);
            return;
        }
        w->arc_path = exh_xstrdup(m->archive);
    }
    read_member(w, j, m, w->arc_map.p, w->arc_map.n);
}

void eng_worker_archive_release(struct worker *w)
{
    if (!w->arc_path)
        return;
    exh_os_unmap(&w->arc_map);
    free(w->arc_path);
    w->arc_path = NULL;
}

/* ------------------------------------------------- a zip's members -- */

/* Where the members of one zip go: jobs of the plan (w NULL), or read at
 * once by worker w (an archive inside an archive). */
struct zipwalk {
    struct engine *e;
    struct worker *w;
    struct exh_emitter *em;
    const struct job *parent; /* the archive as a file */
    const uint8_t *p;         /* its bytes (w set) */
    size_t n;
};

/* What member i may be unpacked to (its read limit): a stored member the
 * bytes it holds, a deflated one what the ratio limit lets its packed bytes
 * (up to the next member, when its size is not known) unpack to; never more
 * than the limit per member. */
static uint64_t budget(const struct zipwalk *z, const struct exh_zip_dir *d, size_t i,
                       uint64_t cap_member)
{
    const struct exh_zip_entry *ent = &d->e[i];
    uint64_t packed = ent->csize;
    if (!ent->sizes_known) {
        uint64_t end = i + 1 < d->n && d->e[i + 1].lho > ent->lho ? d->e[i + 1].lho : z->n;
        packed = end > ent->lho ? end - ent->lho : 0;
    }
    uint64_t most = packed;
    if (ent->method != 0) {
        uint64_t ratio = max_ratio(z->e->o), grace = (uint64_t)1 << 21;
        most = packed > (UINT64_MAX - grace) / ratio ? UINT64_MAX : packed * ratio + grace;
    }
    return most < cap_member ? most : cap_member;
}

/* What member i is charged against its archive's total: what it says it
 * unpacks to, within its read limit (a declared size that lies costs no
 * more than its bytes can give); without a declared size, what its packed
 * bytes give at the ratio limit. */
static uint64_t charge(const struct zipwalk *z, const struct exh_zip_dir *d, size_t i,
                       uint64_t cap_member)
{
    uint64_t b = budget(z, d, i, cap_member);
    const struct exh_zip_entry *ent = &d->e[i];
    if (ent->sizes_known)
        return ent->usize < b ? ent->usize : b;
    /* no size known (found by its own header): the ratio times its packed
     * bytes, without the first MiB each member may give at any ratio */
    uint64_t grace = (uint64_t)1 << 21;
    return b > grace && ent->method != 0 ? b - grace : b;
}

static void zip_members(struct zipwalk *z, const uint8_t *p, size_t n)
{
    const struct job *a = z->parent;
    struct exh_zip_dir d;
    if (!exh_zip_dir(p, n, &d)) {
        exh_emit_error(z->em, a->rel, EXH_ERR_CORRUPT,
                       "named .zip but no zip archive could be found in it: nothing inside was "
                       "read");
        return;
    }
    if (d.code != EXH_OK)
        exh_emit_error(z->em, a->rel, d.code, d.why);
    if (d.prefix >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4) {
        char why[200];
        snprintf(why, sizeof(why),
                 "the %llu bytes before the archive hold another zip's members (archives "
                 "joined end to end): those were not read",
                 (unsigned long long)d.prefix);
        exh_emit_error(z->em, a->rel, EXH_ERR_CORRUPT, why);
    }
    bool decode = velociraptor(&d);
    uint64_t total = 0, cap_total = max_unpacked(z->e->o), cap_member = eng_max_member(z->e->o);
    /* and in all no more than the ratio limit lets the whole archive give:
     * many members each just inside it (a zip of a thousand small bombs) */
    uint64_t ratio = max_ratio(z->e->o), slack = (uint64_t)64 << 20;
    uint64_t cap_ratio = n > (UINT64_MAX - slack) / ratio ? UINT64_MAX : n * ratio + slack;
    if (cap_ratio < cap_total)
        cap_total = cap_ratio;
    bool total_hit = false;
    struct exh_strset names;
    memset(&names, 0, sizeof(names));
    for (size_t i = 0; i < d.n; i++) {
        const struct exh_zip_entry *ent = &d.e[i];
        if (ent->is_dir)
            continue;
        if (z->w)
            z->w->seen_inside++;
        else
            z->e->seen++;
        bool outside = false;
        char *shown = member_name(ent->name, ent->name_len, decode, &outside);
        /* the same name twice: the second is NAME;N, N its entry's number in
         * the directory (both are read) */
        char *uniq = exh_xstrdup(shown);
        while (exh_strset_has(&names, uniq)) {
            struct exh_buf b = {0};
            exh_buf_addf(&b, "%s;%zu", uniq, i + 1);
            free(uniq);
            uniq = exh_buf_detach(&b);
        }
        exh_strset_add(&names, uniq);
        bool dup = strcmp(uniq, shown) != 0;
        struct job j;
        memset(&j, 0, sizeof(j));
        j.rel = join3(a->rel, "!", uniq);
        j.path = join3(a->path, "!", uniq);
        j.mtime_ms = a->mtime_ms; /* the member's own time when the zip records one */
        exh_zip_entry_time(p, n, ent, &j.mtime_ms);
        j.depth = (uint8_t)(a->depth + 1);
        j.size = ent->usize;
        free(shown);
        free(uniq);
        bool keep = false;
        if (dup)
            exh_emit_error(z->em, j.rel, EXH_ERR_CORRUPT,
                           "a second member of the same name (a trick to hide one): both "
                           "were read, this one shown with ;N (its entry's number)");
        if (ent->unlisted)
            exh_emit_error(z->em, j.rel, EXH_ERR_CORRUPT,
                           "a member the archive's directory does not list (hidden from tools "
                           "that read the directory): found by its own header, read");
        if (outside)
            exh_emit_error(z->em, j.rel, EXH_ERR_CORRUPT,
                           "its name is an absolute path or climbs out with '..' (an "
                           "extraction attack; nothing is extracted): shown escaped, read");
        if (ent->overlaps >= 0) {
            exh_emit_error(z->em, j.rel, EXH_ERR_CORRUPT,
                           "its bytes overlap another member's (how a zip bomb multiplies one "
                           "stream): not read");
        } else if (ent->flags & 1 || ent->method == 99) {
            unread(z->em, j.rel, EXH_ERR_ENCRYPTED, "an encrypted member: not read",
                   may_hold_logs(j.rel, true));
        } else if (!exh_zip_method_ok(ent->method)) {
            char why[160];
            snprintf(why, sizeof(why), "a member packed with %s (method %u): not read",
                     exh_zip_method_name(ent->method), ent->method);
            unread(z->em, j.rel, EXH_ERR_UNSUPPORTED, why, may_hold_logs(j.rel, true));
        } else if (total_hit || total + charge(z, &d, i, cap_member) > cap_total) {
            if (!total_hit) {
                char why[200];
                snprintf(why, sizeof(why),
                         "its members unpack to more than %llu bytes in all (the limit: "
                         "--max-unpacked, or --max-ratio times the archive's size): this "
                         "member and the rest were not read",
                         (unsigned long long)cap_total);
                exh_emit_error(z->em, j.rel, EXH_ERR_LIMIT, why);
            }
            total_hit = true;
        } else if (z->w || !eng_left_out(z->e, j.path, j.rel)) {
            keep = true;
        }
        if (!keep) {
            free(j.rel);
            free(j.path);
            continue;
        }
        struct member *m = exh_xcalloc(1, sizeof(*m));
        m->name_raw = exh_xstrndup((const char *)ent->name, ent->name_len);
        m->ent = *ent;
        m->ent.name = (const uint8_t *)m->name_raw; /* owned: the archive is unmapped */
        m->budget = budget(z, &d, i, cap_member);
        if (ent->method != 0 && ent->sizes_known && ent->usize > cap_member) {
            char why[200];
            snprintf(why, sizeof(why),
                     "it unpacks to %llu bytes, more than the limit per member (--max-member, "
                     "%llu): only its start was read",
                     (unsigned long long)ent->usize, (unsigned long long)cap_member);
            exh_emit_error(z->em, j.rel, EXH_ERR_LIMIT, why);
        }
        total += charge(z, &d, i, cap_member);
        if (!z->w) { /* a job of the plan */
            m->archive = exh_xstrdup(a->path);
            j.mem = m;
            j.size = charge(z, &d, i, cap_member);
            eng_add_job(z->e, &j);
            continue;
        }
        /* inside an archive being read: read it now */
        read_member(z->w, &j, m, p, n);
        free(m->name_raw);
        free(m);
        free(j.rel);
        free(j.path);
    }
    exh_strset_release(&names);
    exh_zip_dir_release(&d);
}

/* walk.c: a file the walk found. When it is a zip, plan its members as jobs
 * of their own; true then (the zip itself is still a job: it is hashed and
 * looked at as a file). */
bool eng_plan_zip(struct engine *e, struct job *j)
{
    size_t nl = strlen(j->path);
    if (!ends_ci(j->path, nl, ".zip"))
        return false;
    struct exh_map map;
    const char *sys = NULL;
    if (exh_os_map(j->path, &map, &sys) != EXH_OK)
        return false; /* the job's own read will say why */
    bool zip = exh_zip_looks(map.p, map.n);
    if (zip) {
        struct zipwalk z = {e, NULL, &e->main_em, j, map.p, map.n};
        zip_members(&z, map.p, map.n);
        j->planned = true;
    }
    exh_os_unmap(&map);
    return zip;
}

/* dispatch.c: the file j (data[0..n)) was read; if it is an archive, read
 * what is inside (unless its members are jobs already), or say why not. */
void eng_scan_archive(struct worker *w, const struct job *j, const uint8_t *data, size_t n,
                      const char *name)
{
    if (j->planned)
        return;
    const char *fmt;
    bool sure;
    enum akind k = archive_kind(name, data, n, &fmt, &sure);
    if (k == AK_NONE)
        return;
    if (k == AK_OTHER) {
        char why[200];
        snprintf(why, sizeof(why),
                 "a %s archive: what it holds was not scanned (unpack it and scan the folder)",
                 fmt);
        /* inside an archive it may hold anything, as what holds it did */
        unread(w->em, j->rel, EXH_ERR_UNSUPPORTED, why,
               j->depth > 0 || may_hold_logs(j->rel, false));
        return;
    }
    if (j->depth >= ARCHIVE_DEPTH) {
        exh_emit_error(w->em, j->rel, EXH_ERR_TOO_DEEP,
                       "an archive inside archives nested deeper than exhunt reads (3): what "
                       "it holds was not scanned");
        return;
    }
    if (k == AK_ZIP) {
        struct zipwalk z = {w->e, w, w->em, j, data, n};
        zip_members(&z, data, n);
        return;
    }
    /* gzip: one file inside, named as its header says, else as the .gz
     * file without its extension */
    size_t fl;
    const uint8_t *fname = exh_gzip_name(data, n, &fl);
    char *inner;
    if (fname) {
        /* only the last component: a name in a gzip header is not a path */
        const uint8_t *b = fname;
        for (size_t i = 0; i < fl; i++)
            if (fname[i] == '/' || fname[i] == '\\')
                b = fname + i + 1;
        bool outside;
        inner = member_name(b, fl - (size_t)(b - fname), false, &outside);
    } else {
        size_t bl = strlen(name);
        if (ends_ci(name, bl, ".gz"))
            bl -= 3;
        else if (ends_ci(name, bl, ".tgz"))
            bl -= 4;
        bool outside;
        inner = member_name((const uint8_t *)name, bl ? bl : strlen(name), false, &outside);
    }
    struct job c;
    memset(&c, 0, sizeof(c));
    c.rel = join3(j->rel, "!", inner);
    c.path = join3(j->path, "!", inner);
    c.mtime_ms = j->mtime_ms;
    c.depth = (uint8_t)(j->depth + 1);
    free(inner);
    w->seen_inside++;
    uint64_t cap = eng_max_member(w->e->o);
    if (max_unpacked(w->e->o) < cap)
        cap = max_unpacked(w->e->o);
    struct exh_unpack_limits lim = {cap, max_ratio(w->e->o)};
    struct exh_unpacked u;
    exh_unpack(EXH_UNPACK_GZIP, data, n, 0, &lim, &u);
    if (u.code != EXH_OK)
        exh_emit_error(w->em, c.rel, u.code, u.why);
    c.size = u.out.n;
    if (u.out.n)
        eng_scan_data(w, &c, (const uint8_t *)u.out.p, u.out.n);
    exh_unpacked_release(&u);
    free(c.rel);
    free(c.path);
}

void eng_member_release(struct member *m)
{
    if (!m)
        return;
    free(m->archive);
    free(m->name_raw);
    free(m);
}
