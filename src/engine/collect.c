/* collect.c: `exhunt scan --collect DIR` (collect.h): copies of the files the
 * findings name, streamed in chunks (memory stays bounded for a 20 GB log),
 * hashed while copied and checked by reading the copy back. */
#include <stdlib.h>
#include <string.h>

#include "exh/collect.h"
#include "exh/core.h"
#include "exh/hash.h"
#include "exh/os.h"
#include "engine.h"
#include "exh/banned.h"

#define COMPONENT_MAX 200
#define CHUNK_DEFAULT (1u << 20)
#define MAX_VARIANTS 1000

/* ------------------------------------------------------------- names -- */

/* Extensions that a web server runs or serves as active content, or that
 * Windows runs or hands to an interpreter. Lower case. */
static const char *const runnable_ext[] = {
    /* IIS / ASP.NET and other server-side pages and handlers */
    "asp", "aspx", "ashx", "asmx", "asax", "ascx", "axd", "asa", "cdx", "cer", "config", "cshtml",
    "vbhtml", "svc", "soap", "rem", "xamlx", "master", "idc", "shtml", "shtm", "stm", "php", "php3",
    "php4", "php5", "php7", "phtml", "phar", "jsp", "jspx", "jspf", "war", "pl", "cgi", "py", "rb",
    /* active content a browser runs */
    "htm", "html", "xhtml", "mht", "mhtml", "svg", "xsl", "xslt",
    /* what Windows runs or opens with an interpreter */
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "mst", "sys", "drv", "ocx", "bat",
    "cmd", "ps1", "psm1", "psd1", "ps1xml", "vbs", "vbe", "js", "jse", "wsf", "wsh", "wsc", "sct",
    "hta", "lnk", "url", "inf", "reg", "jar", "msc", "appx", "appref-ms", "application", "gadget",
    "chm", "hlp", "scf", "library-ms", "settingcontent-ms", "iso", "img", "vhd", "vhdx",
    /* documents that carry macros */
    "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "sldm", NULL};

bool exh_collect_runnable(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    struct exh_str ext = exh_str_make(dot + 1, strlen(dot + 1));
    for (size_t i = 0; runnable_ext[i]; i++)
        if (exh_eq_ci(ext, runnable_ext[i]))
            return true;
    return false;
}

char *exh_collect_defang(const char *name)
{
    struct exh_buf b = {0};
    exh_buf_adds(&b, name);
    if (exh_collect_runnable(name))
        exh_buf_adds(&b, EXH_COLLECT_SUFFIX);
    return exh_buf_detach(&b);
}

/* Characters that cannot stand in a name on Windows (or that would be read as
 * a separator, a stream or IIS 6's "x.asp;.jpg"), and bytes that are controls. */
static bool bad_ascii(unsigned char c)
{
    return c < 0x20 || c == 0x7f || strchr("<>:\"\\|?*;/", c) != NULL;
}

/* Control and format characters (C1, bidi controls, zero-width ones): a name
 * holding them would show as another name. */
static bool bad_cp(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
           (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$ before the first '.'
 * (Windows opens the device for "nul.txt" too) or before trailing spaces. */
static bool reserved_name(const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && p[k] != '.')
        k++;
    while (k > 0 && p[k - 1] == ' ')
        k--;
    struct exh_str s = exh_str_make(p, k);
    static const char *const dev[] = {"con", "prn", "aux", "nul", "conin$", "conout$", NULL};
    for (size_t i = 0; dev[i]; i++)
        if (exh_eq_ci(s, dev[i]))
            return true;
    if (k == 4 && (exh_eq_ci(exh_str_make(p, 3), "com") || exh_eq_ci(exh_str_make(p, 3), "lpt")) &&
        p[3] >= '0' && p[3] <= '9')
        return true;
    /* COM¹ ... LPT³: superscript digits count as well */
    if (k == 5 && (exh_eq_ci(exh_str_make(p, 3), "com") || exh_eq_ci(exh_str_make(p, 3), "lpt")) &&
        (unsigned char)p[3] == 0xc2 &&
        ((unsigned char)p[4] == 0xb9 || (unsigned char)p[4] == 0xb2 || (unsigned char)p[4] == 0xb3))
        return true;
    return false;
}

char *exh_collect_component(const char *p, size_t n)
{
    struct exh_buf b = {0};
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            exh_buf_addc(&b, bad_ascii(c) ? '_' : (char)c);
            i++;
            continue;
        }
        unsigned cp;
        size_t len = exh_utf8_decode((const unsigned char *)p + i, n - i, &cp);
        if (!len || bad_cp(cp)) {
            exh_buf_addc(&b, '_');
            i += len ? len : 1;
            continue;
        }
        /* cut at COMPONENT_MAX on a character boundary */
        if (b.n + len > COMPONENT_MAX)
            break;
        exh_buf_add(&b, p + i, len);
        i += len;
    }
    if (b.n > COMPONENT_MAX) {
        b.n = COMPONENT_MAX;
        b.p[b.n] = '\0';
    }
    /* Windows drops trailing dots and spaces ("x.aspx." would be x.aspx) */
    for (size_t k = b.n; k > 0 && (b.p[k - 1] == '.' || b.p[k - 1] == ' '); k--)
        b.p[k - 1] = '_';
    if (b.n == 0 || reserved_name(b.p, b.n)) {
        struct exh_buf c = {0};
        exh_buf_addc(&c, '_');
        exh_buf_add(&c, b.p ? b.p : "", b.n);
        exh_buf_release(&b);
        b = c;
    }
    return exh_buf_detach(&b);
}

char *exh_collect_prefix(size_t index, const char *root)
{
    struct exh_buf b = {0};
    exh_buf_add_u64(&b, (unsigned long long)index + 1);
    size_t n = strlen(root);
    while (n > 0 && (root[n - 1] == '/' || root[n - 1] == '\\'))
        n--;
    size_t start = n;
    while (start > 0 && root[start - 1] != '/' && root[start - 1] != '\\')
        start--;
    /* "C:" and "." name no folder of their own */
    bool named = n > start && !(n - start == 2 && root[start + 1] == ':') &&
                 !(n - start == 1 && root[start] == '.') &&
                 !(n - start == 2 && root[start] == '.' && root[start + 1] == '.');
    if (named) {
        char *c = exh_collect_component(root + start, n - start);
        exh_buf_addc(&b, '-');
        exh_buf_adds(&b, c);
        free(c);
    }
    return exh_buf_detach(&b);
}

bool exh_collect_reserved(const char *name)
{
    struct exh_str s = exh_str_make(name, strlen(name));
    if (exh_eq_ci(s, "manifest.jsonl") || exh_eq_ci(s, "manifest.csv") ||
        exh_eq_ci(s, "report.jsonl"))
        return true;
    /* report-N.jsonl (--collect-append's reports) */
    if (s.n < 14 || !exh_eq_ci(exh_str_make(name, 7), "report-") ||
        !exh_eq_ci(exh_str_make(name + s.n - 6, 6), ".jsonl"))
        return false;
    for (size_t i = 7; i < s.n - 6; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

char *exh_collect_name(const char *prefix, const char *path, unsigned variant)
{
    struct exh_buf b = {0};
    if (prefix && prefix[0])
        exh_buf_adds(&b, prefix);
    const char *p = path;
    /* the components, empty ones (a leading '/', "a//b") skipped */
    const char *last = NULL;
    size_t lastn = 0;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            if (last) {
                char *c = exh_collect_component(last, lastn);
                if (b.n)
                    exh_buf_addc(&b, '/');
                exh_buf_adds(&b, c);
                free(c);
            }
            last = p;
            lastn = n;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    char *c = last ? exh_collect_component(last, lastn) : exh_xstrdup("_");
    if (!b.n && exh_collect_reserved(c)) {
        /* DIR's own manifest.jsonl, manifest.csv, report*.jsonl: "_manifest.jsonl" */
        struct exh_buf r = {0};
        exh_buf_addc(&r, '_');
        exh_buf_adds(&r, c);
        free(c);
        c = exh_buf_detach(&r);
    }
    if (variant > 1) {
        /* before the extension: "a.aspx" -> "a~2.aspx" */
        char *dot = strrchr(c, '.');
        size_t at = dot && dot != c ? (size_t)(dot - c) : strlen(c);
        struct exh_buf v = {0};
        exh_buf_add(&v, c, at);
        exh_buf_addf(&v, "~%u", variant);
        exh_buf_adds(&v, c + at);
        free(c);
        c = exh_buf_detach(&v);
    }
    char *d = exh_collect_defang(c);
    free(c);
    if (b.n)
        exh_buf_addc(&b, '/');
    exh_buf_adds(&b, d);
    free(d);
    return exh_buf_detach(&b);
}

/* ------------------------------------------------------------ checks -- */

enum exh_collect_check exh_collect_check_dir(const char *dir, const char *const *roots,
                                             size_t nroots, bool append, size_t *inside)
{
    *inside = exh_os_inside(dir, roots, nroots);
    if (*inside != EXH_OUT_ERROR)
        return EXH_COLLECT_INSIDE;
    switch (exh_os_dir_state(dir)) {
    case EXH_DIR_MISSING:
    case EXH_DIR_EMPTY:
        return EXH_COLLECT_OK;
    case EXH_DIR_FULL:
        return append ? EXH_COLLECT_OK : EXH_COLLECT_NOT_EMPTY;
    case EXH_DIR_OTHER:
        break;
    }
    return EXH_COLLECT_NOT_DIR;
}

/* ----------------------------------------------------------- copying -- */

struct copier {
    const struct exh_collect_opts *o;
    struct exh_result *res;
    struct exh_collect_result *out;
    uint8_t *buf;
    size_t chunk;
    uint64_t seq;
};

/* An error record for path: "not copied to the --collect folder: <why>" (or
 * the message given whole when why is NULL). */
static void add_error(struct copier *c, const char *path, enum exh_err code, const char *why,
                      const char *msg)
{
    struct exh_result *r = c->res;
    r->errors = exh_xrealloc(r->errors, (r->nerrors + 1) * sizeof(*r->errors));
    struct exh_error_rec *e = &r->errors[r->nerrors++];
    memset(e, 0, sizeof(*e));
    e->path = exh_xstrdup(path);
    e->code = code;
    e->collect = true;
    e->info = false;
    struct exh_buf m = {0};
    if (why) {
        exh_buf_adds(&m, "not copied to the --collect folder: ");
        exh_buf_adds(&m, why);
    } else {
        exh_buf_adds(&m, msg);
    }
    e->message = exh_buf_detach(&m);
    e->seq_ = UINT64_MAX / 2 + c->seq++; /* after the scan's own for the same path */
    c->out->failed++;
}

/* SHA-256 of a whole file read in chunks; false with *err and *sys set. */
static bool hash_file(struct copier *c, const char *path, uint8_t out[32], uint64_t *size,
                      enum exh_err *err, const char **sys)
{
    struct exh_rfile *f;
    struct exh_file_info info;
    *err = exh_os_open_read(path, &f, &info, sys);
    if (*err != EXH_OK)
        return false;
    struct exh_sha256_ctx *h = exh_sha256_new();
    uint64_t total = 0;
    for (;;) {
        size_t got;
        *err = exh_os_read(f, c->buf, c->chunk, &got, sys);
        if (*err != EXH_OK || got == 0)
            break;
        exh_sha256_update(h, c->buf, got);
        total += got;
    }
    exh_sha256_final(h, out);
    exh_os_close_read(f);
    *size = total;
    return *err == EXH_OK;
}

static char *join(const char *dir, const char *rel)
{
    struct exh_buf b = {0};
    exh_buf_adds(&b, dir);
    while (b.n > 1 && (b.p[b.n - 1] == '/' || b.p[b.n - 1] == '\\'))
        b.p[--b.n] = '\0';
    exh_buf_addc(&b, '/');
    exh_buf_adds(&b, rel);
    return exh_buf_detach(&b);
}

/* Make the folders a copy goes in. */
static enum exh_err make_parent(const char *full, const char **sys)
{
    const char *slash = strrchr(full, '/');
    if (!slash)
        return EXH_OK;
    char *d = exh_xstrndup(full, (size_t)(slash - full));
    enum exh_err e = exh_os_mkdirs(d, sys);
    free(d);
    return e;
}

/* Copy one file: an item on success (also a partial one, when the file
 * changed while read), an error record otherwise. */
static void copy_one(struct copier *c, const char *path, const char *source, const char *prefix,
                     const char *rel, const char *rules)
{
    const char *sys = NULL;
    struct exh_rfile *in;
    struct exh_file_info before;
    enum exh_err err = exh_os_open_read(source, &in, &before, &sys);
    if (err != EXH_OK) {
        add_error(c, path, err, sys ? sys : exh_strerror(err), NULL);
        return;
    }
    uint8_t src_sha[32];
    uint64_t src_n = 0;
    bool src_hashed = false;
    char *name = NULL, *full = NULL;
    struct exh_wfile *w = NULL;
    bool present = false;
    for (unsigned v = 1; v <= MAX_VARIANTS; v++) {
        free(name);
        free(full);
        name = exh_collect_name(prefix, rel, v);
        full = join(c->o->dir, name);
        if (v == 1 && (err = make_parent(full, &sys)) != EXH_OK)
            break;
        err = exh_os_create_new(full, &w, &sys);
        if (err != EXH_ERR_EXISTS)
            break;
        if (!c->o->append)
            continue; /* another file's name once made safe: the next variant */
        /* --collect-append: the same bytes there already are not copied again */
        if (!src_hashed) {
            enum exh_err e2;
            const char *s2;
            src_hashed = hash_file(c, source, src_sha, &src_n, &e2, &s2);
            if (!src_hashed) {
                err = e2;
                sys = s2;
                break;
            }
        }
        uint8_t have[32];
        uint64_t hn;
        enum exh_err e3;
        const char *s3;
        if (hash_file(c, full, have, &hn, &e3, &s3) && !memcmp(have, src_sha, 32)) {
            present = true;
            err = EXH_OK;
            break;
        }
    }
    if (err == EXH_ERR_EXISTS) {
        sys = "too many files of that name";
        err = EXH_ERR_WRITE;
    }
    if (err != EXH_OK) {
        add_error(c, path, err, sys ? sys : exh_strerror(err), NULL);
        exh_os_close_read(in);
        free(name);
        free(full);
        return;
    }
    uint8_t sha[32];
    uint64_t copied = 0;
    bool changed = false, grew = false;
    if (present) {
        memcpy(sha, src_sha, 32);
        copied = src_n;
    } else {
        /* the bytes the file had when opened: a log written to meanwhile
         * still gives the copy it had then */
        struct exh_sha256_ctx *h = exh_sha256_new();
        while (err == EXH_OK && copied < before.size) {
            size_t want =
                before.size - copied < c->chunk ? (size_t)(before.size - copied) : c->chunk;
            size_t got;
            err = exh_os_read(in, c->buf, want, &got, &sys);
            if (err != EXH_OK)
                break;
            if (got == 0) {
                changed = true; /* shorter than when opened */
                break;
            }
            exh_sha256_update(h, c->buf, got);
            err = exh_os_write(w, c->buf, got, &sys);
            copied += got;
        }
        exh_sha256_final(h, sha);
        enum exh_err ce = exh_os_close_write(w, before.mtime_ms, &sys);
        if (err == EXH_OK)
            err = ce;
        /* a file longer now than when opened (a log written to) is normal:
         * the copy holds its first before.size bytes, all read. Shorter, or
         * the same size with another time, is a change. */
        struct exh_file_info after;
        if (err == EXH_OK && !changed) {
            if (!exh_os_read_info(in, &after))
                changed = true;
            else if (after.size > before.size && copied == before.size)
                grew = true;
            else if (after.size != before.size || after.mtime_ms != before.mtime_ms)
                changed = true;
        }
        if (err == EXH_OK) {
            /* the copy read back must be what was read from the source */
            uint8_t back[32];
            uint64_t bn;
            if (!hash_file(c, full, back, &bn, &err, &sys)) {
                ;
            } else if (bn != copied || memcmp(back, sha, 32) != 0) {
                err = EXH_ERR_WRITE;
                sys = "the copy read back differs from the file";
            }
        }
        if (err != EXH_OK) {
            exh_os_remove(full);
            add_error(c, path, err, sys ? sys : exh_strerror(err), NULL);
            exh_os_close_read(in);
            free(name);
            free(full);
            return;
        }
    }
    exh_os_close_read(in);
    if (changed) {
        struct exh_buf m = {0};
        exh_buf_addf(&m,
                     "shrank or changed while it was copied to the --collect folder: the copy "
                     "'%s' holds the %llu bytes read (see the manifest)",
                     name, (unsigned long long)copied);
        add_error(c, path, EXH_ERR_CHANGED, NULL, m.p);
        exh_buf_release(&m);
    }
    struct exh_collect_result *o = c->out;
    o->items = exh_xrealloc(o->items, (o->nitems + 1) * sizeof(*o->items));
    struct exh_collect_item *it = &o->items[o->nitems++];
    memset(it, 0, sizeof(*it));
    it->path = exh_xstrdup(path);
    it->source = exh_xstrdup(source);
    it->copy = name;
    it->size = copied;
    exh_hex(sha, 32, it->sha256);
    it->mtime_ms = before.mtime_ms;
    it->has_ctime = before.has_ctime;
    it->ctime_ms = before.ctime_ms;
    it->ctime_what = before.ctime_what;
    it->rules = exh_xstrdup(rules);
    it->present = present;
    it->grew = grew;
    if (!present)
        o->bytes += copied;
    free(full);
}

/* Where the file the result names `path` is: the path to open, the prefix
 * of its name in DIR and its path below its root; false when no root has it. */
static bool locate(const struct exh_result *res, const char *path, char **source, char **prefix,
                   const char **rel)
{
    if (res->nroots == 1) {
        const char *r = res->roots[0];
        *prefix = exh_xstrdup("");
        *rel = path;
        if (!exh_os_is_dir(r)) {
            *source = exh_xstrdup(r);
            return true;
        }
        *source = join(r, path);
        return true;
    }
    size_t best = res->nroots, bestn = 0;
    for (size_t i = 0; i < res->nroots; i++) {
        const char *r = res->roots[i];
        size_t n = strlen(r);
        while (n > 1 && r[n - 1] == '/')
            n--;
        if (!strcmp(path, r) && strlen(r) >= bestn) {
            best = i;
            bestn = strlen(r);
        } else if (!strncmp(path, r, n) && path[n] == '/' && n >= bestn) {
            best = i;
            bestn = n;
        }
    }
    if (best == res->nroots)
        return false;
    *source = exh_xstrdup(path);
    *prefix = exh_collect_prefix(best, res->roots[best]);
    if (!strcmp(path, res->roots[best])) {
        *rel = exh_path_base(exh_str_make(path, strlen(path))).p;
    } else {
        *rel = path + bestn + 1;
    }
    return true;
}

struct named {
    const char *path;
    const char *rule;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->rule, y->rule);
}

/* Is there a file on disk the result names `path`? */
static bool on_disk(const struct exh_result *res, const char *path)
{
    char *source = NULL, *prefix = NULL;
    const char *rel = NULL;
    bool ok = false;
    if (locate(res, path, &source, &prefix, &rel) && !exh_os_is_dir(source)) {
        struct exh_rfile *f = NULL;
        struct exh_file_info info;
        const char *sys = NULL;
        if (exh_os_open_read(source, &f, &info, &sys) == EXH_OK) {
            exh_os_close_read(f);
            ok = true;
        }
    }
    free(source);
    free(prefix);
    return ok;
}

/* The archive on disk a member's path (ARCHIVE!MEMBER, archive.c) names:
 * the shortest part before a '!' that is a file on disk; NULL when path is
 * itself a file on disk (a '!' in its own name) or names no member. */
static char *archive_on_disk(const struct exh_result *res, const char *path)
{
    if (!strchr(path, '!'))
        return NULL;
    if (res->nroots == 1 && !exh_os_is_dir(res->roots[0])) /* the PATH is the archive */
        return exh_xstrndup(path, (size_t)(strchr(path, '!') - path));
    if (on_disk(res, path))
        return NULL;
    for (const char *b = strchr(path, '!'); b; b = strchr(b + 1, '!')) {
        char *head = exh_xstrndup(path, (size_t)(b - path));
        if (on_disk(res, head))
            return head;
        free(head);
    }
    return NULL;
}

enum exh_err exh_collect(const struct exh_collect_opts *o, struct exh_result *res,
                         struct exh_collect_result *out, const char **sys_msg)
{
    memset(out, 0, sizeof(*out));
    enum exh_err err = exh_os_mkdirs(o->dir, sys_msg);
    if (err != EXH_OK)
        return err;
    /* (path, rule) pairs, sorted: each file once, with its rules */
    struct named *nm = exh_xcalloc(res->nfindings ? res->nfindings : 1, sizeof(*nm));
    char **owned = exh_xcalloc(res->nfindings ? res->nfindings : 1, sizeof(*owned));
    size_t nn = 0;
    for (size_t i = 0; i < res->nfindings; i++)
        if (res->findings[i].path && res->findings[i].path[0]) {
            /* a member (ARCHIVE!MEMBER): the archive on disk is the evidence */
            const char *p = res->findings[i].path;
            owned[nn] = archive_on_disk(res, p);
            nm[nn] = (struct named){owned[nn] ? owned[nn] : p, res->findings[i].rule->id};
            nn++;
        }
    qsort(nm, nn, sizeof(*nm), cmp_named);
    struct copier c = {o, res, out, NULL, o->chunk ? o->chunk : CHUNK_DEFAULT, 0};
    c.buf = exh_xmalloc(c.chunk);
    uint64_t errors_before = res->nerrors;
    for (size_t i = 0; i < nn;) {
        size_t j = i;
        struct exh_buf rules = {0};
        for (; j < nn && !strcmp(nm[j].path, nm[i].path); j++)
            if (j == i || strcmp(nm[j].rule, nm[j - 1].rule) != 0) {
                if (rules.n)
                    exh_buf_addc(&rules, ',');
                exh_buf_adds(&rules, nm[j].rule);
            }
        char *source = NULL, *prefix = NULL;
        const char *rel = NULL;
        if (locate(res, nm[i].path, &source, &prefix, &rel))
            copy_one(&c, nm[i].path, source, prefix, rel, rules.p ? rules.p : "");
        else
            add_error(&c, nm[i].path, EXH_ERR_NOENT, "no scanned PATH holds it", NULL);
        free(source);
        free(prefix);
        exh_buf_release(&rules);
        i = j;
    }
    free(c.buf);
    for (size_t i = 0; i < nn; i++)
        free(owned[i]);
    free(owned);
    free(nm);
    if (res->nerrors > errors_before) {
        exh_sort_errors(res->errors, res->nerrors);
        res->sum.files_errors = res->nerrors - res->sum.not_read;
        if (res->sum.verdict == EXH_VERDICT_CLEAN) {
            res->sum.verdict = EXH_VERDICT_INCOMPLETE;
            res->sum.verdict_reason =
                "nothing was found, but some files could not be copied to the --collect folder";
            res->sum.exit_code = exh_verdict_exit_code(res->sum.verdict);
        }
    }
    return EXH_OK;
}

void exh_collect_release(struct exh_collect_result *r)
{
    for (size_t i = 0; i < r->nitems; i++) {
        free(r->items[i].path);
        free(r->items[i].source);
        free(r->items[i].copy);
        free(r->items[i].rules);
    }
    free(r->items);
    memset(r, 0, sizeof(*r));
}
