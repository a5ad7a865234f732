/* det_artefacts.c: files the attackers leave besides web shells: LSASS
 * memory dumps (by minidump content, or by name) and archives staged in
 * ProgramData. */
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "exh/minidump.h"
#include "exh/zip.h"
#include "exh/banned.h"

static bool has_ext(struct exh_str name, const char *const *exts)
{
    for (int i = 0; exts[i]; i++)
        if (exh_ends_ci(name, exts[i]))
            return true;
    return false;
}

static bool archive_magic(const uint8_t *p, size_t n)
{
    static const uint8_t zip[] = {'P', 'K', 3, 4}, sevenz[] = {'7', 'z', 0xBC, 0xAF, 0x27, 0x1C},
                         rar[] = {'R', 'a', 'r', '!', 0x1A, 0x07};
    return (n >= sizeof(zip) && !memcmp(p, zip, sizeof(zip))) ||
           (n >= sizeof(sevenz) && !memcmp(p, sevenz, sizeof(sevenz))) ||
           (n >= sizeof(rar) && !memcmp(p, rar, sizeof(rar)));
}

struct lsass_member {
    char name[128];
    bool found;
};

static int zip_member(void *ud, const char *name, size_t len)
{
    struct lsass_member *m = ud;
    struct exh_str b = exh_path_base(exh_str_make(name, len));
    /* staged by hand: at the top or one folder down; a dump deeper in is one
     * a collection of the whole drive (Velociraptor, KAPE) picked up, and its
     * own finding names it inside the archive */
    size_t depth = 0;
    for (size_t i = 0; i < len; i++)
        depth += name[i] == '/' || name[i] == '\\';
    if (depth <= 1 && exh_starts_ci(b, "lsass") &&
        (exh_find_ci_lit(b, ".dmp") || exh_ends_ci(b, ".bin"))) {
        size_t k = len < sizeof(m->name) - 1 ? len : sizeof(m->name) - 1;
        memcpy(m->name, name, k);
        m->name[k] = '\0';
        m->found = true;
        return 1;
    }
    return 0;
}

void exh_det_artefacts_file(struct exh_emitter *em, const struct exh_file *f)
{
    struct exh_str name = exh_str_make(f->name, strlen(f->name));
    bool lsass_name = exh_starts_ci(name, "lsass") &&
                      has_ext(name, (const char *const[]){".dmp", ".dmp.zip", ".zip", ".rar", ".7z",
                                                          ".gz", NULL});
    struct exh_hit h = {0};
    h.status = -1;
    char msg[400];
    if (exh_minidump_sniff(f->data, f->n)) {
        struct exh_minidump_info md;
        exh_minidump_parse(f->data, f->n, &md);
        if (md.stopped)
            exh_emit_problem(em, f,
                             "minidump module lists or names overlap beyond the analysis "
                             "budget: only the first modules were read");
        if (md.has_lsass) {
            snprintf(msg, sizeof(msg), "Memory dump of lsass.exe (%u modules)", md.modules);
            h.rule = EXH_RULE_ART_LSASS_DUMP;
            h.message = msg;
            h.evidence = exh_str_make(md.first_module, strlen(md.first_module));
            exh_emit_file(em, f, &h, md.time_ms > 0, md.time_ms);
            return;
        }
    }
    if (lsass_name) {
        snprintf(msg, sizeof(msg), "File named like an LSASS dump (%s minidump header)",
                 exh_minidump_sniff(f->data, f->n) ? "with a" : "without a");
        h.rule = EXH_RULE_ART_LSASS_NAME;
        h.message = msg;
        h.evidence = name;
        exh_emit_file(em, f, &h, true, f->mtime_ms);
        return;
    }
    struct exh_zip_dir zd;
    if (exh_zip_dir(f->data, f->n, &zd)) {
        /* the directory as the archive reader reads it (ZIP64, bytes before
         * it, its members' own headers when it is gone) */
        struct lsass_member m = {{0}, false};
        for (size_t i = 0; i < zd.n && !m.found; i++)
            zip_member(&m, (const char *)zd.e[i].name, zd.e[i].name_len);
        exh_zip_dir_release(&zd);
        if (m.found) {
            snprintf(msg, sizeof(msg), "Zip archive holding %s", m.name);
            h.rule = EXH_RULE_ART_LSASS_ARCHIVE;
            h.message = msg;
            h.evidence = exh_str_make(m.name, strlen(m.name));
            exh_emit_file(em, f, &h, true, f->mtime_ms);
        }
    }
    if (f->under_programdata &&
        (has_ext(name, (const char *const[]){".zip", ".7z", ".rar", NULL}) ||
         archive_magic(f->data, f->n))) {
        snprintf(msg, sizeof(msg), "Archive staged under ProgramData");
        h.rule = EXH_RULE_ART_ARCHIVE;
        h.message = msg;
        h.evidence = name;
        exh_emit_file(em, f, &h, true, f->mtime_ms);
    }
}
