/* det_yara.c: the user's YARA rules (--yara) on every file read, when exhunt
 * is built with libyara (EXH_HAVE_YARA, found by pkg-config). Without it the
 * functions exist and report that YARA is not available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors.h"
#include "exh/iocset.h"
#include "exh/yara.h"
#include "exh/os.h"
#include "exh/banned.h"

#ifdef EXH_HAVE_YARA
#include <yara.h>

struct exh_yara {
    YR_RULES *rules;
    const struct exh_iocset *iocs; /* the set whose rule texts were added */
};

/* Rule texts from indicator files are compiled under the namespace
 * "ioc#<i>", i their index in the set. */
#define IOC_NS "ioc#"

struct compile_err {
    struct exh_buf *msg;
};

/* Compile errors of one rule file, one line each: "file:line: message". */
static void on_compile_error(int level, const char *file, int line, const YR_RULE *rule,
                             const char *message, void *ud)
{
    (void)rule;
    struct exh_buf *msg = ud;
    if (level != YARA_ERROR_LEVEL_ERROR)
        return;
    exh_buf_addf(msg, "%s%s:%d: %s", msg->n ? "; " : "", file ? file : "?", line, message);
}

bool exh_yara_available(void)
{
    return true;
}

static bool rule_file(const char *name)
{
    struct exh_str s = exh_str_make(name, strlen(name));
    return exh_ends_ci(s, ".yar") || exh_ends_ci(s, ".yara");
}

/* The external variables of Loki/THOR rule sets (signature-base), set for
 * each file at scan time; declared empty for compiling. */
static const char *const externals[] = {"filename", "filepath", "extension",
                                        "filetype", "owner",    NULL};

static void define_externals(YR_COMPILER *c)
{
    for (int k = 0; externals[k]; k++)
        yr_compiler_define_string_variable(c, externals[k], "");
}

struct add_ctx {
    char **files; /* rule files found, in walk order */
    size_t n, cap;
};

static int walk_rules(void *ud, const struct exh_walk_entry *e)
{
    struct add_ctx *a = ud;
    if (e->kind == EXH_WALK_FILE && rule_file(e->path)) {
        if (a->n == a->cap) {
            a->cap = a->cap ? a->cap * 2 : 64;
            a->files = exh_xrealloc(a->files, a->cap * sizeof(*a->files));
        }
        a->files[a->n++] = exh_xstrdup(e->path);
    }
    return 0;
}

/* Add one file to c under its own namespace (rule names repeat across the
 * files of big sets); the number of errors. */
static int add_file(YR_COMPILER *c, const char *path, struct exh_buf *err)
{
    FILE *f = exh_os_fopen(path, "rb");
    if (!f) {
        exh_buf_addf(err, "cannot open '%s'", path);
        return 1;
    }
    int n = yr_compiler_add_file(c, f, path, path);
    fclose(f);
    return n;
}

/* Rule texts come from indicator files: an `include` would make the
 * compiler read any local file. Refused (the text then does not compile). */
static const char *refuse_include(const char *name, const char *file, const char *ns, void *ud)
{
    (void)name;
    (void)file;
    (void)ns;
    (void)ud;
    return NULL;
}

static void no_free(const char *p, void *ud)
{
    (void)p;
    (void)ud;
}

/* Does rule text i of the set compile on its own? Then add it to c. */
static bool add_text(YR_COMPILER *c, const struct exh_iocset *iocs, size_t i, struct exh_buf *err)
{
    const struct exh_ioc_meta *m = exh_iocset_yara(iocs, i);
    char ns[32];
    snprintf(ns, sizeof(ns), IOC_NS "%zu", i);
    YR_COMPILER *t = NULL;
    if (yr_compiler_create(&t) != ERROR_SUCCESS)
        return false;
    define_externals(t);
    yr_compiler_set_include_callback(t, refuse_include, no_free, NULL);
    struct exh_buf e = {0};
    yr_compiler_set_callback(t, on_compile_error, &e);
    int n = yr_compiler_add_string(t, m->value, ns);
    yr_compiler_destroy(t);
    if (n) {
        exh_buf_addf(err, "%sYARA rule of %s%s%s%s not loaded: %.*s", err->n ? "\n" : "", m->feed,
                     m->title ? " (" : "", m->title ? m->title : "", m->title ? ")" : "",
                     (int)(e.n > 400 ? 400 : e.n), e.p ? e.p : "");
        exh_buf_release(&e);
        return false;
    }
    exh_buf_release(&e);
    return yr_compiler_add_string(c, m->value, ns) == 0;
}

/* Does this file compile on its own? (libyara's compiler cannot be used
 * again after an error, so each file is tried in a compiler of its own
 * before the good ones are compiled together.) */
static bool file_compiles(const char *path, struct exh_buf *err)
{
    YR_COMPILER *c = NULL;
    if (yr_compiler_create(&c) != ERROR_SUCCESS) {
        exh_buf_addf(err, "libyara: cannot create a compiler for '%s'", path);
        return false;
    }
    define_externals(c);
    yr_compiler_set_callback(c, on_compile_error, err);
    int n = add_file(c, path, err);
    yr_compiler_destroy(c);
    return n == 0;
}

enum exh_err exh_yara_load(const char *const *paths, size_t n, const struct exh_iocset *iocs,
                           struct exh_yara **out, struct exh_buf *msg)
{
    *out = NULL;
    if (yr_initialize() != ERROR_SUCCESS) {
        exh_buf_adds(msg, "libyara failed to initialise");
        return EXH_ERR_USAGE;
    }
    struct add_ctx a = {0};
    for (size_t i = 0; i < n; i++) {
        const char *sys = NULL;
        enum exh_err e = exh_os_walk(paths[i], walk_rules, &a, &sys);
        if (e != EXH_OK)
            exh_buf_addf(msg, "%scannot read '%s': %s", msg->n ? "\n" : "", paths[i],
                         sys ? sys : exh_strerror(e));
    }
    YR_COMPILER *c = NULL;
    size_t good = 0;
    struct exh_buf err = {0};
    if (yr_compiler_create(&c) != ERROR_SUCCESS) {
        exh_buf_addf(msg, "%slibyara: cannot create a compiler", msg->n ? "\n" : "");
    } else {
        define_externals(c);
        yr_compiler_set_callback(c, on_compile_error, &err);
        for (size_t i = 0; i < a.n; i++) {
            exh_buf_reset(&err);
            if (!file_compiles(a.files[i], &err)) {
                exh_buf_addf(msg, "%srule file not loaded: %.*s", msg->n ? "\n" : "",
                             (int)(err.n > 600 ? 600 : err.n), err.p ? err.p : "");
                continue;
            }
            exh_buf_reset(&err);
            if (add_file(c, a.files[i], &err) != 0) {
                /* compiled alone but not beside the others: stop adding */
                exh_buf_addf(msg, "%srule file not loaded: %.*s", msg->n ? "\n" : "",
                             (int)(err.n > 600 ? 600 : err.n), err.p ? err.p : "");
                break;
            }
            good++;
        }
        for (size_t i = 0; iocs && i < exh_iocset_nyara(iocs); i++)
            good += add_text(c, iocs, i, msg);
    }
    exh_buf_release(&err);
    for (size_t i = 0; i < a.n; i++)
        free(a.files[i]);
    free(a.files);
    YR_RULES *rules = NULL;
    if (c && good && yr_compiler_get_rules(c, &rules) != ERROR_SUCCESS) {
        exh_buf_addf(msg, "%slibyara: cannot build the rules", msg->n ? "\n" : "");
        rules = NULL;
    }
    if (c)
        yr_compiler_destroy(c);
    if (!rules) {
        if (!msg->n)
            exh_buf_adds(msg, n ? "no YARA rule file (.yar, .yara) was found"
                                : "no YARA rule of the indicator files compiles");
        yr_finalize();
        return EXH_ERR_USAGE;
    }
    *out = exh_xcalloc(1, sizeof(**out));
    (*out)->rules = rules;
    (*out)->iocs = iocs;
    return EXH_OK;
}

void exh_yara_free(struct exh_yara *y)
{
    if (!y)
        return;
    yr_rules_destroy(y->rules);
    free(y);
    yr_finalize();
}

struct match_ctx {
    struct exh_emitter *em;
    const struct exh_file *f;
    const struct exh_iocset *iocs;
};

static int on_scan(YR_SCAN_CONTEXT *ctx, int message, void *data, void *ud)
{
    (void)ctx;
    if (message != CALLBACK_MSG_RULE_MATCHING)
        return CALLBACK_CONTINUE;
    struct match_ctx *m = ud;
    const YR_RULE *r = data;
    struct exh_buf ev = {0}, msg = {0};
    exh_buf_addf(&ev, "rule %s", r->identifier);
    const YR_META *meta;
    yr_rule_metas_foreach(r, meta)
    {
        if (meta->type == META_TYPE_STRING)
            exh_buf_addf(&ev, "; %s=%s", meta->identifier, meta->string);
        else if (meta->type == META_TYPE_INTEGER)
            exh_buf_addf(&ev, "; %s=%lld", meta->identifier, (long long)meta->integer);
    }
    /* each rule file is compiled under its path as namespace, each rule
     * text of an indicator file under IOC_NS and its index */
    const struct exh_ioc_meta *im = NULL;
    if (r->ns && r->ns->name && !strncmp(r->ns->name, IOC_NS, strlen(IOC_NS)) && m->iocs)
        im = exh_iocset_yara(m->iocs, (size_t)strtoul(r->ns->name + strlen(IOC_NS), NULL, 10));
    if (im)
        exh_buf_addf(&ev, "; indicator file=%s", im->feed);
    else if (r->ns && r->ns->name && strcmp(r->ns->name, "default") != 0)
        exh_buf_addf(&ev, "; rule file=%s", r->ns->name);
    exh_buf_addf(&msg, "YARA rule %s matched", r->identifier);
    if (im)
        exh_buf_addf(&msg, " (%s%s%s)", im->feed, im->title ? ": " : "",
                     im->title ? im->title : "");
    struct exh_hit h = exh_hit_make(EXH_RULE_YARA_MATCH, msg.p, exh_str_make(ev.p, ev.n));
    h.ioc = im;
    exh_emit_file(m->em, m->f, &h, true, m->f->mtime_ms);
    exh_buf_release(&ev);
    exh_buf_release(&msg);
    return CALLBACK_CONTINUE;
}

void exh_det_yara_file(struct exh_emitter *em, const struct exh_file *f)
{
    const struct exh_yara *y = exh_emit_yara(em);
    if (!y || !f->n)
        return;
    struct match_ctx m = {em, f, y->iocs};
    /* a scanner of its own: the externals are this file's (the rules are shared by threads) */
    YR_SCANNER *sc = NULL;
    if (yr_scanner_create(y->rules, &sc) != ERROR_SUCCESS)
        return;
    struct exh_str path = exh_str_make(f->path, strlen(f->path));
    struct exh_str base = exh_path_base(path);
    char name[512], ext[32] = "";
    snprintf(name, sizeof(name), "%.*s", (int)base.n, base.p);
    const char *dot = strrchr(name, '.');
    if (dot && strlen(dot) < sizeof(ext))
        for (size_t k = 0; dot[k]; k++)
            ext[k] = (char)exh_lc((unsigned char)dot[k]);
    yr_scanner_define_string_variable(sc, "filename", name);
    yr_scanner_define_string_variable(sc, "filepath", f->path);
    yr_scanner_define_string_variable(sc, "extension", ext);
    yr_scanner_define_string_variable(
        sc, "filetype", f->n >= 2 && f->data[0] == 'M' && f->data[1] == 'Z' ? "EXE" : "");
    yr_scanner_define_string_variable(sc, "owner", "");
    yr_scanner_set_callback(sc, on_scan, &m);
    yr_scanner_set_timeout(sc, 60);
    yr_scanner_set_flags(sc, SCAN_FLAGS_FAST_MODE);
    yr_scanner_scan_mem(sc, f->data, f->n);
    yr_scanner_destroy(sc);
}

#else /* no libyara */

bool exh_yara_available(void)
{
    return false;
}

enum exh_err exh_yara_load(const char *const *paths, size_t n, const struct exh_iocset *iocs,
                           struct exh_yara **out, struct exh_buf *msg)
{
    (void)paths;
    (void)n;
    (void)iocs;
    *out = NULL;
    exh_buf_adds(msg, "this exhunt was built without libyara");
    return EXH_ERR_USAGE;
}

void exh_yara_free(struct exh_yara *y)
{
    (void)y;
}

void exh_det_yara_file(struct exh_emitter *em, const struct exh_file *f)
{
    (void)em;
    (void)f;
}

#endif
