/* det_yara.c: the user's YARA rules (--yara) on every file read, when exhunt
 * is built with libyara (EXH_HAVE_YARA, found by pkg-config). Without it the
 * functions exist and report that YARA is not available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors.h"
#include "exh/yara.h"
#include "exh/os.h"
#include "exh/banned.h"

#ifdef EXH_HAVE_YARA
#include <yara.h>

struct exh_yara {
    YR_RULES *rules;
};

struct compile_err {
    struct exh_buf *msg;
};

static void on_compile_error(int level, const char *file, int line, const YR_RULE *rule,
                             const char *message, void *ud)
{
    (void)rule;
    struct compile_err *ce = ud;
    if (level != YARA_ERROR_LEVEL_ERROR)
        return;
    if (ce->msg->n)
        exh_buf_adds(ce->msg, "; ");
    exh_buf_addf(ce->msg, "%s:%d: %s", file ? file : "?", line, message);
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

struct add_ctx {
    YR_COMPILER *c;
    int errors;
    struct exh_buf *msg;
};

static int add_file(struct add_ctx *a, const char *path)
{
    FILE *f = exh_os_fopen(path, "rb");
    if (!f) {
        exh_buf_addf(a->msg, "%scannot open '%s'", a->msg->n ? "; " : "", path);
        return 1;
    }
    int n = yr_compiler_add_file(a->c, f, NULL, path);
    fclose(f);
    return n;
}

static int walk_rules(void *ud, const struct exh_walk_entry *e)
{
    struct add_ctx *a = ud;
    if (e->kind == EXH_WALK_FILE && rule_file(e->path))
        a->errors += add_file(a, e->path);
    return 0;
}

enum exh_err exh_yara_load(const char *const *paths, size_t n, struct exh_yara **out,
                           struct exh_buf *msg)
{
    *out = NULL;
    if (yr_initialize() != ERROR_SUCCESS) {
        exh_buf_adds(msg, "libyara failed to initialise");
        return EXH_ERR_USAGE;
    }
    YR_COMPILER *c = NULL;
    if (yr_compiler_create(&c) != ERROR_SUCCESS) {
        yr_finalize();
        exh_buf_adds(msg, "libyara: cannot create a compiler");
        return EXH_ERR_USAGE;
    }
    struct compile_err ce = {msg};
    yr_compiler_set_callback(c, on_compile_error, &ce);
    struct add_ctx a = {c, 0, msg};
    size_t files_before = 0;
    for (size_t i = 0; i < n; i++) {
        const char *sys = NULL;
        enum exh_err e = exh_os_walk(paths[i], walk_rules, &a, &sys);
        if (e != EXH_OK) {
            exh_buf_addf(msg, "%scannot read '%s': %s", msg->n ? "; " : "", paths[i],
                         sys ? sys : exh_strerror(e));
            a.errors++;
        }
    }
    (void)files_before;
    YR_RULES *rules = NULL;
    if (a.errors == 0 && yr_compiler_get_rules(c, &rules) != ERROR_SUCCESS) {
        exh_buf_adds(msg, "libyara: cannot build the rules");
        a.errors++;
    }
    yr_compiler_destroy(c);
    if (a.errors) {
        if (rules)
            yr_rules_destroy(rules);
        yr_finalize();
        return EXH_ERR_USAGE;
    }
    *out = exh_xcalloc(1, sizeof(**out));
    (*out)->rules = rules;
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
    if (r->ns && r->ns->name && strcmp(r->ns->name, "default") != 0)
        exh_buf_addf(&ev, " (namespace %s)", r->ns->name);
    const YR_META *meta;
    yr_rule_metas_foreach(r, meta)
    {
        if (meta->type == META_TYPE_STRING)
            exh_buf_addf(&ev, "; %s=%s", meta->identifier, meta->string);
        else if (meta->type == META_TYPE_INTEGER)
            exh_buf_addf(&ev, "; %s=%lld", meta->identifier, (long long)meta->integer);
    }
    exh_buf_addf(&msg, "YARA rule %s matched", r->identifier);
    struct exh_hit h = exh_hit_make(EXH_RULE_YARA_MATCH, msg.p, exh_str_make(ev.p, ev.n));
    exh_emit_file(m->em, m->f, &h, true, m->f->mtime_ms);
    exh_buf_release(&ev);
    exh_buf_release(&msg);
    return CALLBACK_CONTINUE;
}

void exh_yara_file(struct exh_emitter *em, const struct exh_file *f)
{
    const struct exh_yara *y = exh_emit_yara(em);
    if (!y || !f->n)
        return;
    struct match_ctx m = {em, f};
    yr_rules_scan_mem(y->rules, f->data, f->n, SCAN_FLAGS_FAST_MODE, on_scan, &m, 60);
}

#else /* no libyara */

bool exh_yara_available(void)
{
    return false;
}

enum exh_err exh_yara_load(const char *const *paths, size_t n, struct exh_yara **out,
                           struct exh_buf *msg)
{
    (void)paths;
    (void)n;
    *out = NULL;
    exh_buf_adds(msg, "this exhunt was built without libyara");
    return EXH_ERR_USAGE;
}

void exh_yara_free(struct exh_yara *y)
{
    (void)y;
}

void exh_yara_file(struct exh_emitter *em, const struct exh_file *f)
{
    (void)em;
    (void)f;
}

#endif
