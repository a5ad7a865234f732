/* det_webshell.c: web shells by what their server-side code does.
 *
 * The page's server regions are tokenised (src/read/code.c); this file
 * follows request input through assignments, calls and functions (a light
 * taint analysis) into sinks: script evaluation, assembly loading or
 * compiling, process start (arguments or standard input), file writes and
 * file-system changes where the request decides, downloads saved as pages or
 * programs, SQL run as the request says, and sockets to request-chosen
 * hosts. Input is Request in all its forms and the server controls a page
 * declares (an <asp:TextBox>'s .Text is what the client typed).
 *
 * Strings are folded where they are built from constants ("ev"&"al",
 * Chr(), Replace(), StrReverse(), string variables), and code that a page
 * carries in a string (a page it writes, an XSLT script, a string it
 * evaluates) is analysed as code in turn, a bounded number of levels deep.
 * Functions are followed: their parameters receive what calls pass, their
 * return values flow back, and a function that runs its parameter becomes a
 * sink itself. In C#, names are kept per method (the language is scoped).
 *
 * Decoding (base64, char codes, XOR, decryption) and obfuscation (_0x string
 * tables, Chr() chains, code assembled from fragments, the script encoder,
 * UTF-7 pages) are evidence too, as are password gates in front of a sink.
 * Sanitising calls (Path.GetFileName, int.Parse, Guid, HtmlEncode,
 * Replace("..", ...) ...) stop the taint, which keeps ordinary pages that
 * read Request and write files quiet.
 *
 * File-level drops are here as well: the OAB settings dump (CVE-2021-27065),
 * PST and DER files with server script (ProxyShell), compiled shells in
 * Temporary ASP.NET Files, and pages that include a non-script file as code.
 *
 * Work: every statement is looked at a fixed number of times (three passes),
 * folded strings and nested code are capped in size and depth, and the name
 * tables are hashed, so a page costs time linear in its tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors.h"
#include "exh/code.h"
#include "exh/banned.h"

#define MAX_ANALYSE (8u << 20) /* larger pages are not analysed */
#define MAX_EVIDENCE 4
#define TSLOTS_MAX 4096 /* name table, at most (a power of two) */
#define FN_SCOPE 0xFFFF /* the name table's scope for function names */
#define MAX_FN 1024     /* functions followed per page */
#define MAX_PARAMS 8
#define FOLD_MAX (64u << 10)   /* a folded string is at most this long */
#define FOLD_DEPTH 24          /* nesting of a folded expression */
#define NEST_DEPTH 2           /* code in strings, analysed this many levels deep */
#define NEST_BUDGET (4u << 20) /* bytes of nested code analysed per page */
#define MAX_WRITTEN 8          /* program paths a page writes, remembered */
#define PASSES 3

enum {
    T_REQ = 1,           /* holds request input */
    T_DEC = 2,           /* holds decoded data */
    T_SHELL = 4,         /* a WScript.Shell-like object */
    T_WRITER = 8,        /* an ADODB.Stream / FileSystemObject */
    T_NET = 16,          /* holds what a download returned */
    T_PAGEFILE = 32,     /* a file object opened on a page or program path */
    T_PURE = 64,         /* with T_REQ: nothing but request input (no text of the page mixed in) */
    T_CTRL = 128,        /* a server control the page declares (TextBox, ...) */
    T_DB = 256,          /* an ADODB.Connection / Recordset */
    T_HTTP = 1024,       /* an XMLHTTP / WinHttpRequest object */
    T_SELFDIR = 2048,    /* the folder the page itself runs from */
    T_CLIENTNAME = 4096, /* the file name the client gave an upload */
    T_COM = 8192,        /* an object made by CreateObject */
    T_PARAM = 512,       /* a parameter of the function it is in */
    T_FLOW = T_REQ | T_DEC | T_NET | T_PURE | T_SELFDIR | T_CLIENTNAME,
};

enum technique {
    TQ_EVAL,
    TQ_LOAD,
    TQ_PROCESS,
    TQ_WRITE,
    TQ_DECODE,
    TQ_OBFUSCATED,
    TQ_TUNNEL,
    TQ_GATE,
    TQ_SQL,
    TQ_FILES,
    TQ_DOWNLOAD,
    TQ_DROPRUN,
    TQ_NESTED,
    TQ_RUNNER,
    TQ_PROXY,
    TQ_SELFUPLOAD,
    TQ_COMRUN,
    TQ_PAGEWRITE,
    TQ__COUNT
};

static const char *const tq_names[TQ__COUNT] = {
    "request input run as code",
    "assembly loaded or compiled from input",
    "process started with request input",
    "request-chosen file write",
    "decoded data run as code",
    "obfuscated code",
    "socket to a request-chosen host",
    "password gate",
    "request text run as SQL",
    "file system changed where the request says",
    "download saved as a page or program",
    "writes a program and runs it",
    "web shell carried in a string",
    "function that runs its argument with full trust",
    "server fetches a request-chosen URL",
    "upload saved under its own name beside the page, any extension",
    "COM object handed the page's Request and Response (code run outside the page)",
    "writes server code into a page"};

/* the techniques a function reaches through its parameters */
#define SINK_BITS                                                                                  \
    ((1u << TQ_EVAL) | (1u << TQ_LOAD) | (1u << TQ_PROCESS) | (1u << TQ_WRITE) | (1u << TQ_SQL) |  \
     (1u << TQ_FILES) | (1u << TQ_TUNNEL))

struct evidence {
    enum technique tq;
    uint32_t off; /* in the top page's c->text */
};

struct tslot {
    uint32_t hash;
    uint16_t scope; /* 0: the page; else 1 + a C# method's index */
    uint8_t used, has_val;
    unsigned flags;
    uint32_t val_off, val_len; /* a constant string value, in vals */
    char name[48];
};

struct fn {
    uint32_t name; /* token of the name */
    uint32_t params[MAX_PARAMS];
    uint8_t nparams;
    uint32_t bs, be; /* body tokens [bs, be) */
    unsigned sinks;  /* techniques its parameters reach */
    bool eval_like;  /* it runs a parameter as code */
};

/* Work allowed: tokens looked at, the budget, and whether it ran out. */
struct work {
    uint64_t used, max;
    bool stopped; /* the budget ran out: the rest was not analysed */
};

/* What one page may cost. The code found in its strings shares one
 * allowance, apart from the page's own (each nested analysis having its
 * own would let a page of strings that grow by one "<%eval(" each cost a
 * thousand budgets; sharing the page's would let such strings use up the
 * analysis of the page itself). */
struct nest_budget {
    size_t bytes;      /* bytes of nested code still to analyse */
    struct work page;  /* the page's own code */
    struct work inner; /* all code in its strings */
    bool full;         /* a table was full: some names or values not followed */
};

struct analysis {
    const struct exh_code *c;
    struct tslot *slots; /* tslots of them, a power of two */
    uint32_t tslots;
    size_t nslots;
    struct exh_buf vals; /* constant values */
    struct fn *fns;
    size_t nfn, fncap;
    uint16_t cur_scope; /* scope of the statement under analysis */
    int cur_fn;         /* index of the function it is in, or -1 */
    int pass;
    int depth; /* nesting level (0: the file itself) */
    bool xslt; /* code from an XSLT script block: parameters are input */
    struct nest_budget *budget;
    struct work *w; /* budget->page or budget->inner, by depth */
    unsigned found; /* bit per technique */
    struct evidence ev[MAX_EVIDENCE];
    size_t nev;
    bool has_process_type;
    bool proc_cfg_tainted;
    uint32_t proc_cfg_off;
    int obf_names;
    bool reads_request; /* the page reads Request somewhere */
    uint32_t *pm;       /* the matching ')' or ']' of each '(' or '[' (or n) */
    bool ext_check;     /* the page looks at file extensions (an upload allow-list) */
    char written[MAX_WRITTEN][64];
    int nwritten;
    struct exh_buf fold_tmp[2];
};

static unsigned analyse_nested(struct analysis *a, const char *p, size_t n, enum exh_code_mode mode,
                               enum exh_lang lang, bool xslt);

/* ------------------------------------------------------------ helpers -- */

static bool is_ident(const struct analysis *a, size_t i, const char *name)
{
    return exh_tok_is(a->c, i, name);
}

static bool is_punct(const struct analysis *a, size_t i, char p)
{
    return exh_tok_punct(a->c, i, p);
}

static bool is_kind(const struct analysis *a, size_t i, enum exh_tok_kind k)
{
    return i < a->c->n && a->c->t[i].kind == k;
}

static bool is_one_of(const struct analysis *a, size_t i, const char *const *names)
{
    for (int k = 0; names[k]; k++)
        if (is_ident(a, i, names[k]))
            return true;
    return false;
}

static size_t lower_name(const struct exh_code *c, size_t i, char out[48])
{
    struct exh_str s = exh_tok_text(c, &c->t[i]);
    size_t n = s.n < 47 ? s.n : 47;
    for (size_t k = 0; k < n; k++)
        out[k] = (char)exh_lc((unsigned char)s.p[k]);
    out[n] = '\0';
    return n;
}

/* The key a name is kept under: VB is case-insensitive, C# and JScript are not
 * (Path is a type, path a variable). */
static void key_name(const struct exh_code *c, size_t i, char out[48])
{
    if (c->t[i].lang == EXH_LANG_VB) {
        lower_name(c, i, out);
        return;
    }
    struct exh_str s = exh_tok_text(c, &c->t[i]);
    size_t n = s.n < 47 ? s.n : 47;
    memcpy(out, s.p, n);
    out[n] = '\0';
}

static uint32_t name_hash(const char *s, uint16_t scope)
{
    uint32_t h = 2166136261u ^ scope;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of (name, scope), or NULL; create makes one when there is room. */
static struct tslot *slot_at(struct analysis *a, const char *nm, uint16_t scope, bool create)
{
    uint32_t h = name_hash(nm, scope);
    for (uint32_t k = 0; k < a->tslots; k++) {
        struct tslot *s = &a->slots[(h + k) & (a->tslots - 1)];
        if (!s->used) {
            if (!create)
                return NULL;
            if (a->nslots >= a->tslots * 3 / 4) {
                a->budget->full = true;
                return NULL;
            }
            s->used = 1;
            s->hash = h;
            s->scope = scope;
            memcpy(s->name, nm, sizeof(s->name));
            a->nslots++;
            return s;
        }
        if (s->hash == h && s->scope == scope && !strcmp(s->name, nm))
            return s;
    }
    return NULL;
}

/* The slot a name at token i refers to: the method's own, else the page's. */
static struct tslot *slot_of(struct analysis *a, size_t i)
{
    if (!is_kind(a, i, EXH_TOK_IDENT))
        return NULL;
    char nm[48];
    key_name(a->c, i, nm);
    struct tslot *s = a->cur_scope ? slot_at(a, nm, a->cur_scope, false) : NULL;
    return s ? s : slot_at(a, nm, 0, false);
}

static unsigned taint_of(struct analysis *a, size_t i)
{
    struct tslot *s = slot_of(a, i);
    return s ? s->flags : 0;
}

/* In C#, Request is the page's (or context's) property; a variable named
 * request is something else (an HttpWebRequest, a DTO) unless assigned from it. */
static bool is_request(const struct analysis *a, size_t i)
{
    if (!is_ident(a, i, "request"))
        return false;
    if (a->c->t[i].lang != EXH_LANG_CSHARP)
        return true;
    return a->c->text.p[a->c->t[i].off] == 'R';
}

static void set_taint_scoped(struct analysis *a, size_t i, unsigned flags, uint16_t scope)
{
    if (!flags || !is_kind(a, i, EXH_TOK_IDENT))
        return;
    char nm[48];
    lower_name(a->c, i, nm);
    /* never taint the language's own words */
    static const char *const keep[] = {
        "var",         "dim",     "set",      "string", "object",  "byte",        "new",
        "this",        "me",      "response", "server", "session", "application", "context",
        "httpcontext", "current", "system",   "let",    "const",   NULL};
    for (int k = 0; keep[k]; k++)
        if (!strcmp(nm, keep[k]))
            return;
    if (!strcmp(nm, "request") && is_request(a, i))
        return;
    key_name(a->c, i, nm);
    struct tslot *s = slot_at(a, nm, scope, true);
    if (s)
        s->flags |= flags;
}

static void set_taint(struct analysis *a, size_t i, unsigned flags)
{
    set_taint_scoped(a, i, flags, a->cur_scope);
}

static void found_at(struct analysis *a, enum technique tq, uint32_t off)
{
    if (!(a->found & (1u << tq)) && a->nev < MAX_EVIDENCE) {
        a->ev[a->nev].tq = tq;
        a->ev[a->nev].off = off;
        a->nev++;
    }
    a->found |= 1u << tq;
}

static void found(struct analysis *a, enum technique tq, size_t tok)
{
    found_at(a, tq, tok < a->c->n ? a->c->t[tok].off : 0);
}

/* Account for looking at n tokens; false once the page's budget is spent
 * (nested calls on hostile input would otherwise cost n^2). */
static bool spend(struct analysis *a, size_t n)
{
    a->w->used += n;
    if (a->w->used > a->w->max)
        a->w->stopped = true;
    return !a->w->stopped;
}

/* Index of the ')' matching the '(' at i, or e when unbalanced. */
static size_t match_paren(const struct analysis *a, size_t i, size_t e)
{
    if (a->pm && i < a->c->n && (is_punct(a, i, '(') || is_punct(a, i, '[')))
        return a->pm[i] < e ? a->pm[i] : e;
    int depth = 0;
    for (size_t k = i; k < e; k++) {
        if (is_punct(a, k, '(') || is_punct(a, k, '['))
            depth++;
        else if (is_punct(a, k, ')') || is_punct(a, k, ']')) {
            if (--depth == 0)
                return k;
        }
    }
    return e;
}

/* End of the argument that starts at k (a ',' at depth 0, or e). */
static size_t arg_end(const struct analysis *a, size_t k, size_t e)
{
    int depth = 0;
    for (; k < e; k++) {
        if (a->pm && depth == 0 && (is_punct(a, k, '(') || is_punct(a, k, '[')) && a->pm[k] < e) {
            k = a->pm[k]; /* over a nested call or index */
            continue;
        }
        if (is_punct(a, k, '(') || is_punct(a, k, '['))
            depth++;
        else if (is_punct(a, k, ')') || is_punct(a, k, ']')) {
            if (--depth < 0)
                return k;
        } else if (depth == 0 && is_punct(a, k, ','))
            return k;
    }
    return e;
}

/* Arguments of a call at i: "(...)" when one follows, else (VB) the rest of
 * the statement. *as, *ae bound them (exclusive of the parentheses' insides
 * kept: [as, ae) includes '(' and ')' when present). */
static bool call_args(const struct analysis *a, size_t i, size_t e, size_t *as, size_t *ae)
{
    if (is_punct(a, i + 1, '(')) {
        *as = i + 1;
        *ae = match_paren(a, i + 1, e);
        if (*ae < e)
            (*ae)++;
        return true;
    }
    *as = i + 1;
    *ae = e;
    return false;
}

/* First argument of a call at i: [*fs, *fe). */
static void first_arg(struct analysis *a, size_t i, size_t e, size_t *fs, size_t *fe)
{
    size_t as, ae;
    bool paren = call_args(a, i, e, &as, &ae);
    *fs = paren ? as + 1 : as;
    *fe = arg_end(a, *fs, paren ? ae - 1 : ae);
    spend(a, *fe - *fs + 1);
}

/* The n-th argument (0-based) of a call at i, or false. */
static bool nth_arg(struct analysis *a, size_t i, size_t e, int n, size_t *fs, size_t *fe)
{
    size_t as, ae;
    bool paren = call_args(a, i, e, &as, &ae);
    size_t end = paren ? ae - 1 : ae, k = paren ? as + 1 : as;
    for (int j = 0; j <= n; j++) {
        if (k >= end)
            return false;
        size_t x = arg_end(a, k, end);
        if (!spend(a, x - k + 1))
            return false;
        if (j == n) {
            *fs = k;
            *fe = x;
            return x > k;
        }
        k = x + 1;
    }
    return false;
}

/* Has the callee at i a receiver named like one of names? (x.Load) */
static bool receiver_is(const struct analysis *a, size_t i, const char *const *names)
{
    if (i < 2 || !is_punct(a, i - 1, '.'))
        return false;
    return is_one_of(a, i - 2, names);
}

/* Start of the member chain that ends at i (context.Request.InputStream). */
static size_t chain_start(const struct analysis *a, size_t i, size_t s)
{
    while (i >= s + 2 && is_punct(a, i - 1, '.') && is_kind(a, i - 2, EXH_TOK_IDENT))
        i -= 2;
    return i;
}

/* Does the member chain before i (receivers only) name one of names? */
static bool chain_has(const struct analysis *a, size_t i, size_t s, const char *const *names)
{
    for (size_t k = chain_start(a, i, s); k < i; k += 2)
        if (is_one_of(a, k, names))
            return true;
    return false;
}

/* Is the type name at i the object of "new" (new System.IO.FileStream)? */
static bool after_new(const struct analysis *a, size_t i)
{
    while (i >= 2 && is_punct(a, i - 1, '.') && is_kind(a, i - 2, EXH_TOK_IDENT))
        i -= 2;
    return i > 0 && is_ident(a, i - 1, "new");
}

/* A call (name followed by '(') anywhere in [s, e)? */
static bool has_call(const struct analysis *a, size_t s, size_t e)
{
    for (size_t i = s; i + 1 < e; i++)
        if (is_kind(a, i, EXH_TOK_IDENT) && is_punct(a, i + 1, '('))
            return true;
    return false;
}

static bool has_string(const struct analysis *a, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++)
        if (is_kind(a, i, EXH_TOK_STRING))
            return true;
    return false;
}

/* ------------------------------------------------------ sanitisers -- */

/* Calls that clean what they are given: their arguments carry no taint. */
static bool sanitizer(const struct analysis *a, size_t i, size_t e)
{
    static const char *const names[] = {"getfilename",
                                        "getfilenamewithoutextension",
                                        "getextension",
                                        "newguid",
                                        "htmlencode",
                                        "urlencode",
                                        "htmlattributeencode",
                                        "javascriptstringencode",
                                        "toint32",
                                        "toint64",
                                        "toint16",
                                        "todecimal",
                                        "todouble",
                                        "toboolean",
                                        "cint",
                                        "clng",
                                        "cdbl",
                                        "cbool",
                                        "cdate",
                                        "csng",
                                        "isnumeric",
                                        "isnullorempty",
                                        "isnullorwhitespace",
                                        "count",
                                        "length",
                                        "equals",
                                        "startswith",
                                        "endswith",
                                        "contains",
                                        "compare",
                                        "indexof",
                                        "exists",
                                        "isvalid",
                                        "validate",
                                        "encode",
                                        "escapedatastring",
                                        "escapeuristring",
                                        "urlpathencode",
                                        "sqlescape",
                                        "quotename",
                                        NULL};
    /* Parse/TryParse clean only into numbers and the like: IPAddress.Parse does not */
    static const char *const numeric[] = {
        "int",      "int32",  "int64",   "int16",    "long",    "short", "uint",
        "uint32",   "double", "decimal", "float",    "single",  "bool",  "boolean",
        "datetime", "guid",   "byte",    "timespan", "integer", "enum",  NULL};
    static const char *const value_types[] = {"guid", "datetime", "timespan", NULL};
    if (is_one_of(a, i, names))
        return true;
    if ((is_ident(a, i, "parse") || is_ident(a, i, "tryparse")) && receiver_is(a, i, numeric))
        return true;
    if (is_one_of(a, i, value_types) && after_new(a, i))
        return true; /* new Guid(x): a value, not text */
    /* x.Replace("..", "") and friends: the path is being cleaned */
    if (is_ident(a, i, "replace") && is_punct(a, i + 1, '(')) {
        for (size_t k = i + 2; k < e && k < i + 8; k++)
            if (is_kind(a, k, EXH_TOK_STRING)) {
                struct exh_str v = exh_tok_string(a->c, &a->c->t[k]);
                return exh_eq_ci(v, "..") || exh_eq_ci(v, "../") || exh_eq_ci(v, "..\\");
            }
    }
    return false;
}

/* Request facts that are not attacker-chosen content: the size, the method,
 * the URL the server mapped, and an upload's file name or count. Looked at
 * as the member right after Request (or after Request.Files[...]). */
static bool weak_request(const struct analysis *a, size_t i, size_t e)
{
    /* Url, RawUrl and Path are client-chosen text: they are input */
    static const char *const weak[] = {"contentlength",
                                       "totalbytes",
                                       "httpmethod",
                                       "requesttype",
                                       "isauthenticated",
                                       "issecureconnection",
                                       "applicationpath",
                                       "physicalapplicationpath",
                                       "userhostaddress",
                                       "browser",
                                       "islocal",
                                       "servervariables",
                                       "isajaxrequest",
                                       "urlreferrer",
                                       "mappath",
                                       "filepath",
                                       "currentexecutionfilepath",
                                       "apprelativecurrentexecutionfilepath",
                                       "physicalpath",
                                       NULL};
    size_t k = i + 1;
    if (!is_punct(a, k, '.') || k + 1 >= e)
        return false;
    k++;
    if (is_ident(a, k, "files")) {
        /* Request.Files.Count, Request.Files[..].FileName / .ContentLength */
        size_t m = k + 1;
        if (is_punct(a, m, '[') || is_punct(a, m, '('))
            m = match_paren(a, m, e) + 1;
        if (is_punct(a, m, '.'))
            return is_ident(a, m + 1, "filename") || is_ident(a, m + 1, "count") ||
                   is_ident(a, m + 1, "contentlength") || is_ident(a, m + 1, "contenttype") ||
                   is_ident(a, m + 1, "allkeys");
        return false;
    }
    return is_one_of(a, k, weak);
}

/* Members of a server control that carry what the client sent. */
static bool control_input(const struct analysis *a, size_t i)
{
    static const char *const members[] = {"text",      "value",       "selectedvalue", "postedfile",
                                          "filebytes", "filecontent", "innertext",     NULL};
    return is_punct(a, i + 1, '.') && is_one_of(a, i + 2, members);
}

/* Where downloaded content comes out. */
static bool net_source(const struct analysis *a, size_t i)
{
    static const char *const names[] = {"responsebody",
                                        "responsetext",
                                        "responsestream",
                                        "downloaddata",
                                        "downloadstring",
                                        "getresponsestream",
                                        NULL};
    return is_one_of(a, i, names);
}

/* Request input in tokens [s, e): T_REQ (with T_PURE when nothing else is
 * mixed in), decoded data: T_DEC, downloads: T_NET. The file name of an
 * upload (Request.Files[..].FileName) does not count: it is how every upload
 * form names files. */
static unsigned range_taint(struct analysis *a, size_t s, size_t e)
{
    unsigned t = 0;
    bool mixed = false;
    if (e > s && !spend(a, 2 * (e - s)))
        return 0;
    /* one member chain cleaned as a whole: Request["dir"].Replace("..", "") */
    {
        int d = 0;
        bool op = false, cleaned = false;
        for (size_t i = s; i < e && !op; i++) {
            if (is_punct(a, i, '(') || is_punct(a, i, '['))
                d++;
            else if (is_punct(a, i, ')') || is_punct(a, i, ']'))
                d--;
            else if (d == 0 && a->c->t[i].kind == EXH_TOK_PUNCT &&
                     strchr("+&?:,", a->c->t[i].punct))
                op = true;
            else if (d == 0 && is_ident(a, i, "replace") && is_punct(a, i - 1, '.') &&
                     sanitizer(a, i, e))
                cleaned = true;
        }
        if (cleaned && !op)
            return 0;
    }
    /* cond ? x : y — the condition decides, only x and y flow on */
    int depth = 0;
    for (size_t i = s; i < e; i++) {
        if (is_punct(a, i, '(') || is_punct(a, i, '['))
            depth++;
        else if (is_punct(a, i, ')') || is_punct(a, i, ']'))
            depth--;
        else if (depth == 0 && is_punct(a, i, '?') && !is_punct(a, i + 1, '?') &&
                 !(i > s && is_punct(a, i - 1, '?'))) {
            s = i + 1;
            break;
        }
    }
    for (size_t i = s; i < e; i++) {
        const struct exh_tok *tok = &a->c->t[i];
        if (tok->kind == EXH_TOK_STRING) {
            /* a lone literal index (Request["x"], Form("x")) is not text mixed in */
            if (!((is_punct(a, i - (i > 0), '[') || is_punct(a, i - (i > 0), '(')) &&
                  (is_punct(a, i + 1, ']') || is_punct(a, i + 1, ')'))))
                mixed = true;
            continue;
        }
        if (tok->kind != EXH_TOK_IDENT)
            continue;
        /* an upload's own name, cleaned or not: Path.GetFileName(file.FileName) */
        if (is_ident(a, i, "filename") && i >= 2 && is_punct(a, i - 1, '.') &&
            ((taint_of(a, i - 2) & (T_REQ | T_CTRL)) || is_punct(a, i - 2, ']') ||
             is_punct(a, i - 2, ')')))
            t |= T_CLIENTNAME;
        if (is_punct(a, i + 1, '(') && sanitizer(a, i, e)) {
            size_t pe = match_paren(a, i + 1, e);
            if (is_ident(a, i, "getfilename"))
                for (size_t k = i + 2; k < pe; k++)
                    if (is_ident(a, k, "filename") && is_punct(a, k - 1, '.') &&
                        ((taint_of(a, k - 2) & (T_REQ | T_CTRL)) || is_punct(a, k - 2, ']') ||
                         is_punct(a, k - 2, ')')))
                        t |= T_CLIENTNAME;
            i = pe;
            continue;
        }
        /* the page's own folder: Request.PhysicalPath, MapPath("."), the application's root */
        if ((is_ident(a, i, "physicalpath") || is_ident(a, i, "physicalapplicationpath")) &&
            is_punct(a, i - (i > 0), '.'))
            t |= T_SELFDIR;
        if (is_ident(a, i, "mappath") && is_punct(a, i + 1, '(') &&
            is_kind(a, i + 2, EXH_TOK_STRING) && is_punct(a, i + 3, ')')) {
            struct exh_str v = exh_tok_string(a->c, &a->c->t[i + 2]);
            if (!v.n || exh_eq_ci(v, ".") || exh_eq_ci(v, "./") || exh_eq_ci(v, ".\\"))
                t |= T_SELFDIR;
        }
        if (is_request(a, i)) {
            if (!weak_request(a, i, e))
                t |= T_REQ;
            continue;
        }
        if (is_ident(a, i, "frombase64string") || is_ident(a, i, "fromcharcode") ||
            is_ident(a, i, "unescape") || is_ident(a, i, "decode") ||
            is_ident(a, i, "transformfinalblock") || is_ident(a, i, "createdecryptor") ||
            is_ident(a, i, "base64decode") || is_ident(a, i, "strreverse"))
            t |= T_DEC;
        if (net_source(a, i))
            t |= T_NET;
        unsigned f = taint_of(a, i);
        if ((f & T_CTRL) && control_input(a, i))
            t |= T_REQ | T_PURE;
        if (f & T_FLOW) {
            t |= f & (T_REQ | T_DEC | T_NET | T_SELFDIR | T_CLIENTNAME);
            if ((f & T_REQ) && !(f & T_PURE))
                mixed = true;
        }
    }
    /* an XOR over tainted data decodes it */
    if (t & (T_REQ | T_DEC))
        for (size_t i = s; i < e; i++)
            if (is_punct(a, i, '^') || is_ident(a, i, "xor"))
                t |= T_DEC;
    if ((t & T_REQ) && !mixed)
        t |= T_PURE;
    return t;
}

/* A single string literal (and nothing else) between s and e? */
static bool only_literal(const struct analysis *a, size_t s, size_t e)
{
    size_t k = 0;
    for (size_t i = s; i < e; i++) {
        if (is_punct(a, i, '(') || is_punct(a, i, ')') || is_punct(a, i, ','))
            continue;
        if (a->c->t[i].kind != EXH_TOK_STRING && a->c->t[i].kind != EXH_TOK_NUMBER)
            return false;
        k++;
    }
    return k <= 1;
}

/* ------------------------------------------------------------ folding -- */

/* Strings built from constants: "ev"+"al", "a" & "b", Chr(101), ChrW(&H65),
 * String.fromCharCode(101, 118), Replace(x, "0", ""), StrReverse(x),
 * LCase/UCase/Trim, vbCrLf, x.Replace(..)/ToLower(), and variables that
 * hold such a value. */
struct folder {
    struct analysis *a;
    size_t e;
    int depth;
    int pieces;
};

static bool fold_expr(struct folder *f, size_t *i, struct exh_buf *out);

static bool fold_number(struct folder *f, size_t *i, long *v)
{
    struct analysis *a = f->a;
    bool neg = false;
    if (is_punct(a, *i, '-')) {
        neg = true;
        (*i)++;
    }
    long x;
    if (is_punct(a, *i, '&') && is_kind(a, *i + 1, EXH_TOK_IDENT)) { /* VB &H41 */
        struct exh_str s = exh_tok_text(a->c, &a->c->t[*i + 1]);
        if (s.n < 2 || (s.p[0] | 0x20) != 'h')
            return false;
        (*i) += 2;
        char tmp[24];
        size_t n = s.n - 1 < sizeof(tmp) - 1 ? s.n - 1 : sizeof(tmp) - 1;
        memcpy(tmp, s.p + 1, n);
        tmp[n] = '\0';
        x = strtol(tmp, NULL, 16);
    } else if (is_kind(a, *i, EXH_TOK_NUMBER)) {
        struct exh_str s = exh_tok_text(a->c, &a->c->t[*i]);
        char tmp[24];
        size_t n = s.n < sizeof(tmp) - 1 ? s.n : sizeof(tmp) - 1;
        memcpy(tmp, s.p, n);
        tmp[n] = '\0';
        x = strtol(tmp, NULL, 0);
        (*i)++;
    } else {
        return false;
    }
    /* simple arithmetic: Chr(100+1), Chr(99 Xor 3) is left out */
    while ((is_punct(a, *i, '+') || is_punct(a, *i, '-') || is_punct(a, *i, '*')) &&
           (is_kind(a, *i + 1, EXH_TOK_NUMBER))) {
        char op = a->c->t[*i].punct;
        long y;
        size_t k = *i + 1;
        if (!fold_number(f, &k, &y))
            break;
        x = op == '+' ? x + y : op == '-' ? x - y : x * y;
        *i = k;
    }
    *v = neg ? -x : x;
    return true;
}

static void add_code(struct exh_buf *out, long v)
{
    if (v > 0 && v < 0x110000)
        exh_buf_add_cp(out, (uint32_t)v);
}

/* one operand */
static bool fold_term(struct folder *f, size_t *i, struct exh_buf *out)
{
    struct analysis *a = f->a;
    if (*i >= f->e || ++f->depth > FOLD_DEPTH || out->n > FOLD_MAX)
        return false;
    bool ok = false;
    size_t k = *i;
    if (is_kind(a, k, EXH_TOK_STRING)) {
        struct exh_str v = exh_tok_string(a->c, &a->c->t[k]);
        exh_buf_add(out, v.p, v.n);
        f->pieces++;
        k++;
        /* VB's "" inside a string read by another language's lexer: "a""b" */
        while (is_kind(a, k, EXH_TOK_STRING) &&
               a->c->t[k - 1].off + a->c->t[k - 1].len == a->c->t[k].off) {
            exh_buf_addc(out, '"');
            v = exh_tok_string(a->c, &a->c->t[k]);
            exh_buf_add(out, v.p, v.n);
            k++;
        }
        ok = true;
    } else if (is_punct(a, k, '(')) {
        k++;
        ok = fold_expr(f, &k, out) && is_punct(a, k, ')');
        k++;
    } else if (is_kind(a, k, EXH_TOK_IDENT)) {
        struct exh_str nm = exh_tok_text(a->c, &a->c->t[k]);
        if (exh_eq_ci(nm, "vbcrlf") || exh_eq_ci(nm, "vbnewline")) {
            exh_buf_add(out, "\r\n", 2);
            k++;
            ok = true;
        } else if (exh_eq_ci(nm, "vbcr") || exh_eq_ci(nm, "vblf") || exh_eq_ci(nm, "vbtab")) {
            exh_buf_addc(out, exh_eq_ci(nm, "vbcr") ? '\r' : exh_eq_ci(nm, "vblf") ? '\n' : '\t');
            k++;
            ok = true;
        } else if ((exh_eq_ci(nm, "chr") || exh_eq_ci(nm, "chrw") || exh_eq_ci(nm, "chrb") ||
                    exh_eq_ci(nm, "char")) &&
                   is_punct(a, k + 1, '(')) {
            size_t j = k + 2;
            long v;
            if (fold_number(f, &j, &v) && is_punct(a, j, ')')) {
                add_code(out, v);
                f->pieces++;
                k = j + 1;
                ok = true;
            }
        } else if (exh_eq_ci(nm, "string") && is_punct(a, k + 1, '.') &&
                   is_ident(a, k + 2, "fromcharcode") && is_punct(a, k + 3, '(')) {
            size_t j = k + 4;
            ok = true;
            while (ok && !is_punct(a, j, ')')) {
                long v;
                if (!fold_number(f, &j, &v)) {
                    ok = false;
                    break;
                }
                add_code(out, v);
                f->pieces++;
                if (is_punct(a, j, ','))
                    j++;
            }
            k = j + 1;
        } else if ((exh_eq_ci(nm, "replace") || exh_eq_ci(nm, "strreverse") ||
                    exh_eq_ci(nm, "lcase") || exh_eq_ci(nm, "ucase") || exh_eq_ci(nm, "trim") ||
                    exh_eq_ci(nm, "cstr")) &&
                   is_punct(a, k + 1, '(')) {
            /* VB functions: fold the arguments, then apply */
            struct exh_buf args[3] = {{0}, {0}, {0}};
            int na = 0;
            size_t j = k + 2;
            ok = true;
            while (ok && na < 3 && !is_punct(a, j, ')')) {
                ok = fold_expr(f, &j, &args[na]);
                na++;
                if (is_punct(a, j, ','))
                    j++;
                else if (!is_punct(a, j, ')'))
                    ok = false;
            }
            if (ok && is_punct(a, j, ')') && na >= 1) {
                struct exh_str s0 = exh_str_make(args[0].p ? args[0].p : "", args[0].n);
                if (exh_eq_ci(nm, "replace") && na == 3 && args[1].n) {
                    for (size_t p = 0; p < s0.n;) {
                        if (p + args[1].n <= s0.n &&
                            exh_find_ci(s0.p + p, args[1].n, args[1].p, args[1].n)) {
                            exh_buf_add(out, args[2].p ? args[2].p : "", args[2].n);
                            p += args[1].n;
                        } else {
                            exh_buf_addc(out, s0.p[p++]);
                        }
                    }
                } else if (exh_eq_ci(nm, "strreverse")) {
                    for (size_t p = s0.n; p > 0; p--)
                        exh_buf_addc(out, s0.p[p - 1]);
                } else if (exh_eq_ci(nm, "lcase") || exh_eq_ci(nm, "ucase")) {
                    for (size_t p = 0; p < s0.n; p++)
                        exh_buf_addc(out,
                                     exh_eq_ci(nm, "lcase")
                                         ? (char)exh_lc((unsigned char)s0.p[p])
                                         : (char)(s0.p[p] >= 'a' && s0.p[p] <= 'z' ? s0.p[p] - 32
                                                                                   : s0.p[p]));
                } else if (exh_eq_ci(nm, "trim")) {
                    struct exh_str t = exh_trim(s0);
                    exh_buf_add(out, t.p, t.n);
                } else if (exh_eq_ci(nm, "cstr")) {
                    exh_buf_add(out, s0.p, s0.n);
                } else {
                    ok = false;
                }
                k = j + 1;
            } else {
                ok = false;
            }
            for (int x = 0; x < 3; x++)
                exh_buf_release(&args[x]);
        } else if (is_request(a, k) && is_punct(a, k + 1, '.') &&
                   is_ident(a, k + 2, "servervariables") && is_punct(a, k + 3, '(') &&
                   is_kind(a, k + 4, EXH_TOK_STRING) && is_punct(a, k + 5, ')')) {
            /* the page's own path: a page that writes to itself writes a page */
            struct exh_str v = exh_tok_string(a->c, &a->c->t[k + 4]);
            if (exh_eq_ci(v, "script_name") || exh_eq_ci(v, "path_info") || exh_eq_ci(v, "url") ||
                exh_eq_ci(v, "path_translated")) {
                exh_buf_adds(out, "(this page).asp");
                f->pieces++;
                k += 6;
                ok = true;
            }
        } else if (!is_punct(a, k + 1, '(') && !is_punct(a, k + 1, '.')) {
            struct tslot *s = slot_of(a, k);
            if (s && s->has_val) {
                exh_buf_add(out, a->vals.p + s->val_off, s->val_len);
                f->pieces++;
                k++;
                ok = true;
            }
        }
    }
    /* C#/JScript methods on the value: .Replace("a", "b"), .ToLower() */
    while (ok && is_punct(a, k, '.') && is_kind(a, k + 1, EXH_TOK_IDENT)) {
        if ((is_ident(a, k + 1, "tolower") || is_ident(a, k + 1, "toupper") ||
             is_ident(a, k + 1, "tostring") || is_ident(a, k + 1, "trim")) &&
            is_punct(a, k + 2, '(') && is_punct(a, k + 3, ')')) {
            k += 4;
            continue;
        }
        if (is_ident(a, k + 1, "replace") && is_punct(a, k + 2, '(') &&
            is_kind(a, k + 3, EXH_TOK_STRING) && is_punct(a, k + 4, ',') &&
            is_kind(a, k + 5, EXH_TOK_STRING) && is_punct(a, k + 6, ')')) {
            struct exh_str from = exh_tok_string(a->c, &a->c->t[k + 3]);
            struct exh_str to = exh_tok_string(a->c, &a->c->t[k + 5]);
            if (from.n) {
                char *copy = exh_xstrndup(out->p ? out->p : "", out->n);
                size_t n = out->n;
                exh_buf_reset(out);
                for (size_t p = 0; p < n;) {
                    if (p + from.n <= n && !memcmp(copy + p, from.p, from.n)) {
                        exh_buf_add(out, to.p, to.n);
                        p += from.n;
                    } else {
                        exh_buf_addc(out, copy[p++]);
                    }
                }
                free(copy);
            }
            k += 7;
            continue;
        }
        ok = false;
    }
    f->depth--;
    if (ok)
        *i = k;
    return ok;
}

static bool fold_expr(struct folder *f, size_t *i, struct exh_buf *out)
{
    struct analysis *a = f->a;
    if (!fold_term(f, i, out))
        return false;
    while (*i < f->e && (is_punct(f->a, *i, '+') || is_punct(a, *i, '&'))) {
        (*i)++;
        if (!fold_term(f, i, out))
            return false;
    }
    return true;
}

/* Fold [s, e) into out (reset first); the number of pieces it was built
 * from, or -1 when it is not a constant. */
static int fold(struct analysis *a, size_t s, size_t e, struct exh_buf *out)
{
    exh_buf_reset(out);
    /* skip a cast or a redundant wrapper: (string) x */
    struct folder f = {a, e, 0, 0};
    size_t i = s;
    if (s >= e)
        return -1;
    if (!fold_expr(&f, &i, out) || i != e || out->n > FOLD_MAX)
        return -1;
    return f.pieces;
}

static bool value_ends(struct exh_str v, const char *const *exts)
{
    v = exh_trim(v);
    while (v.n && (v.p[v.n - 1] == '"' || v.p[v.n - 1] == '\''))
        v.n--;
    for (int k = 0; exts[k]; k++)
        if (exh_ends_ci(v, exts[k]))
            return true;
    return false;
}

/* Extensions IIS runs as code, and programs. */
static const char *const page_exts[] = {
    ".asp",    ".aspx",   ".ashx", ".asmx", ".asa", ".cer", ".cdx", ".asax",  ".ascx", ".config",
    ".cshtml", ".vbhtml", ".svc",  ".soap", ".rem", ".php", ".jsp", ".shtml", ".stm",  NULL};
static const char *const prog_exts[] = {".exe", ".dll", ".vbs", ".vbe", ".jse", ".bat", ".cmd",
                                        ".ps1", ".hta", ".scr", ".com", ".wsf", ".pif", NULL};

static bool code_ext(struct exh_str v)
{
    return value_ends(v, page_exts) || value_ends(v, prog_exts);
}

/* The path argument [s, e) names a page or program by a constant (allowing
 * Server.MapPath("x.asp") around it). */
static bool const_code_path(struct analysis *a, size_t s, size_t e, struct exh_buf *tmp)
{
    if (is_ident(a, s, "server") && is_punct(a, s + 1, '.') && is_ident(a, s + 2, "mappath"))
        s += 3;
    else if (is_ident(a, s, "context") && is_punct(a, s + 1, '.') && is_ident(a, s + 2, "server") &&
             is_punct(a, s + 3, '.') && is_ident(a, s + 4, "mappath"))
        s += 5;
    else if (is_ident(a, s, "mappath"))
        s += 1;
    if (is_punct(a, s, '(') && e > s && is_punct(a, e - 1, ')'))
        s++, e--;
    if (fold(a, s, e, tmp) < 0)
        return false;
    return code_ext(exh_str_make(tmp->p ? tmp->p : "", tmp->n));
}

/* ----------------------------------------------------------- nesting -- */

static bool looks_like_code(struct exh_str v)
{
    return v.n >= 12 && (exh_find_ci_lit(v, "<%") || exh_find_ci_lit(v, "runat") ||
                         exh_find_ci_lit(v, "msxsl:script"));
}

/* Analyse a string's text as code; its techniques are the page's. */
static unsigned nest(struct analysis *a, struct exh_str v, size_t tok, enum exh_code_mode mode,
                     enum exh_lang lang)
{
    if (a->depth >= NEST_DEPTH || !v.n || v.n > a->budget->bytes)
        return 0;
    bool xslt = exh_find_ci_lit(v, "msxsl:script") != NULL;
    if (xslt) {
        mode = EXH_CODE_SOURCE;
        lang = EXH_LANG_JSCRIPT;
    }
    a->budget->bytes -= v.n;
    unsigned f = analyse_nested(a, v.p, v.n, mode, lang, xslt);
    /* a page in a string names its language or is classic ASP (VBScript):
     * read it both ways */
    if (mode == EXH_CODE_MARKUP && lang != EXH_LANG_VB && v.n <= a->budget->bytes) {
        a->budget->bytes -= v.n;
        f |= analyse_nested(a, v.p, v.n, mode, EXH_LANG_VB, xslt);
    }
    unsigned keep = f & ~(1u << TQ_GATE);
    if (keep) {
        for (int tq = 0; tq < TQ__COUNT; tq++)
            if (keep & (1u << tq))
                found(a, (enum technique)tq, tok);
        found(a, TQ_NESTED, tok);
    }
    return keep;
}

/* ------------------------------------------------------- functions -- */

static bool keyword(const struct analysis *a, size_t i)
{
    static const char *const kw[] = {"if",     "while",  "for",    "foreach", "switch", "catch",
                                     "using",  "lock",   "fixed",  "return",  "new",    "typeof",
                                     "sizeof", "nameof", "when",   "base",    "this",   "function",
                                     "else",   "do",     "try",    "finally", "throw",  "in",
                                     "elseif", "with",   "delete", NULL};
    return is_one_of(a, i, kw);
}

/* Parameters of a definition whose '(' is at lp and ')' at rp. */
static void fn_params(const struct analysis *a, struct fn *f, size_t lp, size_t rp,
                      enum exh_lang lang)
{
    size_t k = lp + 1;
    while (k < rp && f->nparams < MAX_PARAMS) {
        size_t x = arg_end(a, k, rp);
        size_t name = (size_t)-1;
        if (lang == EXH_LANG_VB) {
            for (size_t j = k; j < x; j++) {
                if (is_ident(a, j, "byval") || is_ident(a, j, "byref") ||
                    is_ident(a, j, "optional") || is_ident(a, j, "paramarray"))
                    continue;
                if (is_kind(a, j, EXH_TOK_IDENT))
                    name = j;
                break;
            }
        } else if (lang == EXH_LANG_JSCRIPT) {
            if (is_kind(a, k, EXH_TOK_IDENT))
                name = k;
        } else {
            for (size_t j = k; j < x; j++) {
                if (is_punct(a, j, '='))
                    break;
                if (is_kind(a, j, EXH_TOK_IDENT))
                    name = j;
            }
        }
        if (name != (size_t)-1)
            f->params[f->nparams++] = (uint32_t)name;
        k = x + 1;
    }
}

/* Find function definitions: C# methods, JScript functions, VB Sub/Function. */
static void find_functions(struct analysis *a)
{
    const struct exh_code *c = a->c;
    /* matching braces, in one pass */
    uint32_t *match = exh_xcalloc(c->n + 1, sizeof(*match));
    uint32_t *stack = exh_xmalloc((c->n + 1) * sizeof(*stack));
    size_t sp = 0;
    for (size_t i = 0; i < c->n; i++) {
        match[i] = (uint32_t)c->n;
        if (is_punct(a, i, '{'))
            stack[sp++] = (uint32_t)i;
        else if (is_punct(a, i, '}') && sp)
            match[stack[--sp]] = (uint32_t)i;
    }
    free(stack);
    for (size_t i = 0; i < c->n && a->nfn < a->fncap; i++) {
        const struct exh_tok *t = &c->t[i];
        if (t->kind != EXH_TOK_IDENT)
            continue;
        if (t->lang == EXH_LANG_VB) {
            bool sub = is_ident(a, i, "sub") || is_ident(a, i, "function");
            if (!sub || (i > 0 && is_ident(a, i - 1, "end")) ||
                (i > 0 && is_ident(a, i - 1, "exit")) || !is_kind(a, i + 1, EXH_TOK_IDENT))
                continue;
            struct fn *f = &a->fns[a->nfn];
            memset(f, 0, sizeof(*f));
            f->name = (uint32_t)(i + 1);
            size_t k = i + 2;
            if (is_punct(a, k, '(')) {
                size_t rp = match_paren(a, k, c->n);
                fn_params(a, f, k, rp, EXH_LANG_VB);
                k = rp;
            }
            while (k < c->n && c->t[k].kind != EXH_TOK_END)
                k++;
            f->bs = (uint32_t)k;
            size_t j = k;
            while (j + 1 < c->n && !(is_ident(a, j, "end") &&
                                     (is_ident(a, j + 1, "sub") || is_ident(a, j + 1, "function"))))
                j++;
            f->be = (uint32_t)j;
            a->nfn++;
            i = j; /* VB procedures do not nest */
            continue;
        }
        if (!is_punct(a, i + 1, '(') || keyword(a, i))
            continue;
        bool js = i > 0 && is_ident(a, i - 1, "function");
        bool cs = t->lang == EXH_LANG_CSHARP && i > 0 &&
                  ((is_kind(a, i - 1, EXH_TOK_IDENT) && !keyword(a, i - 1) &&
                    !is_ident(a, i - 1, "new") && !is_ident(a, i - 1, "return")) ||
                   is_punct(a, i - 1, '>') || is_punct(a, i - 1, ']'));
        if (!js && !cs)
            continue;
        size_t rp = match_paren(a, i + 1, c->n);
        size_t k = rp + 1;
        while (k < c->n && c->t[k].kind == EXH_TOK_END)
            k++;
        if (!is_punct(a, k, '{') || match[k] >= c->n)
            continue;
        struct fn *f = &a->fns[a->nfn];
        memset(f, 0, sizeof(*f));
        f->name = (uint32_t)i;
        fn_params(a, f, i + 1, rp, js ? EXH_LANG_JSCRIPT : t->lang);
        f->bs = (uint32_t)k + 1;
        f->be = match[k];
        a->nfn++;
    }
    free(match);
    /* names, for calls: the first of overloads wins */
    for (size_t k = 0; k < a->nfn; k++) {
        char nm[48];
        lower_name(c, a->fns[k].name, nm);
        struct tslot *s = slot_at(a, nm, FN_SCOPE, true);
        if (s && !s->flags) {
            s->flags = 1;
            s->val_off = (uint32_t)k;
        }
    }
}

/* The function a token is in (the innermost that starts before it), or -1. */
static int fn_at(const struct analysis *a, size_t i)
{
    /* functions are sorted by start: the last one starting at or before i,
     * then a few back for an enclosing one (methods nest rarely and shallowly) */
    size_t lo = 0, hi = a->nfn;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->fns[mid].bs <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo, back = 0; k > 0 && back < 8; k--, back++)
        if (i < a->fns[k - 1].be)
            return (int)(k - 1);
    return -1;
}

static int fn_named(struct analysis *a, size_t i)
{
    if (!is_kind(a, i, EXH_TOK_IDENT) || !a->nfn)
        return -1;
    char nm[48];
    lower_name(a->c, i, nm);
    struct tslot *s = slot_at(a, nm, FN_SCOPE, false);
    return s ? (int)s->val_off : -1;
}

static uint16_t fn_scope(const struct analysis *a, int fi)
{
    if (fi < 0 || a->c->t[a->fns[fi].name].lang != EXH_LANG_CSHARP)
        return 0;
    return (uint16_t)(fi + 1);
}

/* Does [s, e) mention a parameter of the current function? */
static bool uses_param(struct analysis *a, size_t s, size_t e)
{
    if (e > s && !spend(a, e - s))
        return false;
    for (size_t i = s; i < e; i++)
        if (is_kind(a, i, EXH_TOK_IDENT) && (taint_of(a, i) & T_PARAM))
            return true;
    return false;
}

/* A sink reached through a parameter makes the function a sink. */
static void param_sink(struct analysis *a, enum technique tq, size_t s, size_t e)
{
    if (a->cur_fn >= 0 && uses_param(a, s, e))
        a->fns[a->cur_fn].sinks |= 1u << tq;
}

/* Calls of the page's own functions: arguments flow into the parameters,
 * and a function that reaches a sink through its parameters is a sink. */
static void calls(struct analysis *a, size_t s, size_t e)
{
    for (size_t i = s; i < e && !a->w->stopped; i++) {
        if (!is_kind(a, i, EXH_TOK_IDENT) || is_punct(a, i - (i > 0), '.'))
            continue;
        int fi = fn_named(a, i);
        if (fi < 0 || a->fns[fi].name == i)
            continue;
        struct fn *f = &a->fns[fi];
        unsigned all = 0;
        bool computed = false;
        for (int p = 0; p < MAX_PARAMS; p++) {
            size_t fs, fe;
            if (!nth_arg(a, i, e, p, &fs, &fe))
                break;
            unsigned t = range_taint(a, fs, fe);
            all |= t;
            if (!only_literal(a, fs, fe))
                computed = true;
            if (p < f->nparams)
                set_taint_scoped(a, f->params[p], t & T_FLOW, fn_scope(a, fi));
        }
        if (a->cur_fn >= 0 && a->cur_fn != fi) {
            size_t as, ae;
            call_args(a, i, e, &as, &ae);
            if (uses_param(a, as, ae)) { /* a wrapper of a wrapper */
                a->fns[a->cur_fn].sinks |= f->sinks;
                a->fns[a->cur_fn].eval_like |= f->eval_like;
            }
        }
        if (a->pass < PASSES - 1 || !f->sinks)
            continue;
        unsigned sk = f->sinks;
        if (all & T_REQ)
            for (int tq = 0; tq < TQ__COUNT; tq++)
                if (sk & (1u << tq))
                    found(a, (enum technique)tq, i);
        if ((all & T_DEC) && (sk & ((1u << TQ_EVAL) | (1u << TQ_LOAD))))
            found(a, TQ_DECODE, i);
        if (!(all & (T_REQ | T_DEC)) && computed && f->eval_like && a->cur_fn != fi)
            found(a, TQ_OBFUSCATED, i); /* a code runner fed with computed text */
    }
}

/* ------------------------------------------------------- statements -- */

/* COM objects and types created in [s, e) */
static unsigned object_flags(struct analysis *a, size_t s, size_t e)
{
    unsigned t = 0;
    for (size_t k = s; k < e; k++) {
        if (!(is_ident(a, k, "createobject") || is_ident(a, k, "activexobject")) ||
            !is_punct(a, k + 1, '('))
            continue;
        size_t fs, fe;
        first_arg(a, k, e, &fs, &fe);
        t |= T_COM;
        struct exh_buf *v = &a->fold_tmp[1];
        if (fold(a, fs, fe, v) < 0)
            continue;
        struct exh_str s2 = exh_str_make(v->p ? v->p : "", v->n);
        if (exh_find_ci_lit(s2, "wscript.shell") || exh_find_ci_lit(s2, "shell.application"))
            t |= T_SHELL;
        if (exh_find_ci_lit(s2, "adodb.stream") || exh_find_ci_lit(s2, "filesystemobject"))
            t |= T_WRITER;
        if (exh_find_ci_lit(s2, "adodb.connection") || exh_find_ci_lit(s2, "adodb.recordset") ||
            exh_find_ci_lit(s2, "adodb.command"))
            t |= T_DB;
        if (exh_find_ci_lit(s2, "xmlhttp") || exh_find_ci_lit(s2, "winhttprequest"))
            t |= T_HTTP;
    }
    return t;
}

/* A call that opens a file for writing, with its path argument. */
static bool file_open_call(struct analysis *a, size_t k, size_t e, size_t *ps, size_t *pe)
{
    static const char *const file_recv[] = {"file", "io", NULL};
    bool hit =
        is_ident(a, k, "createtextfile") || is_ident(a, k, "opentextfile") ||
        ((is_ident(a, k, "createtext") || is_ident(a, k, "appendtext") ||
          is_ident(a, k, "create") || is_ident(a, k, "openwrite")) &&
         receiver_is(a, k, file_recv)) ||
        ((is_ident(a, k, "streamwriter") || is_ident(a, k, "filestream")) && after_new(a, k));
    if (!hit || !is_punct(a, k + 1, '('))
        return false;
    first_arg(a, k, e, ps, pe);
    return *pe > *ps;
}

/* Assignments and loop variables carry taint from right to left. */
static void assign(struct analysis *a, size_t s, size_t e)
{
    /* foreach (x in <expr>) / For Each x In <expr> */
    for (size_t i = s + 1; i < e; i++)
        if (is_ident(a, i, "in")) {
            size_t v = i - 1;
            if (is_kind(a, v, EXH_TOK_IDENT))
                set_taint(a, v, range_taint(a, i + 1, e) & T_FLOW);
            break;
        }
    /* return <expr>: the function's value */
    if (is_ident(a, s, "return") && a->cur_fn >= 0 && a->c->t[s].lang != EXH_LANG_VB) {
        unsigned t = range_taint(a, s + 1, e) & T_FLOW;
        set_taint_scoped(a, a->fns[a->cur_fn].name, t, 0);
    }
    size_t typed = SIZE_MAX; /* not looked for yet */
    for (size_t i = s + 1; i < e && !a->w->stopped; i++) {
        if (!is_punct(a, i, '='))
            continue;
        if (is_punct(a, i + 1, '=') || is_punct(a, i + 1, '>') || is_punct(a, i - 1, '=') ||
            is_punct(a, i - 1, '!') || is_punct(a, i - 1, '<') || is_punct(a, i - 1, '>'))
            continue;
        /* VB: only the first '=' of a statement assigns (If x = y Then is a comparison) */
        if (a->c->t[i].lang == EXH_LANG_VB &&
            (is_ident(a, s, "if") || is_ident(a, s, "elseif") || is_ident(a, s, "while") ||
             is_ident(a, s, "do") || is_ident(a, s, "loop") || is_ident(a, s, "case")))
            break;
        /* the statement may hold several "name = value" parts (initializers) */
        size_t rs = i + 1, re = rs;
        int depth = 0;
        while (re < e) {
            if (is_punct(a, re, '(') || is_punct(a, re, '[')) {
                depth++;
            } else if (is_punct(a, re, ')') || is_punct(a, re, ']')) {
                if (depth == 0)
                    break; /* closes an enclosing paren: for (...; i += 2) s += ... */
                depth--;
            } else if (depth == 0 && is_punct(a, re, ',')) {
                break;
            }
            re++;
        }
        unsigned t = range_taint(a, rs, re) & T_FLOW;
        t |= object_flags(a, rs, re);
        /* a file opened on a page or program path */
        for (size_t k = rs; k < re; k++) {
            size_t ps, pe;
            if (file_open_call(a, k, re, &ps, &pe) && const_code_path(a, ps, pe, &a->fold_tmp[1]))
                t |= T_PAGEFILE;
        }
        /* the target: the identifier just before '=' (or before a compound
         * operator, VB's "As Type" or JScript's ": Type"), and its object */
        size_t l = i - 1;
        bool compound = false;
        if (l > s && a->c->t[l].kind == EXH_TOK_PUNCT && strchr("+-*/|&^%", a->c->t[l].punct)) {
            l--;
            compound = true;
        }
        if (typed == SIZE_MAX) { /* the statement's first "x As" / "x :", found once */
            typed = e;
            for (size_t k = s + 1; k < e; k++)
                if (((is_ident(a, k, "as") && a->c->t[k].lang == EXH_LANG_VB) ||
                     (is_punct(a, k, ':') && a->c->t[k].lang == EXH_LANG_JSCRIPT)) &&
                    is_kind(a, k - 1, EXH_TOK_IDENT)) {
                    typed = k;
                    break;
                }
        }
        if (typed + 1 < i)
            l = typed - 1;
        /* constant strings, folded once (the first pass sees the page in order) */
        if (a->pass == 0 && is_kind(a, l, EXH_TOK_IDENT)) {
            struct exh_buf *v = &a->fold_tmp[0];
            int pieces = fold(a, rs, re, v);
            char nm[48];
            key_name(a->c, l, nm);
            struct tslot *sl = slot_at(a, nm, a->cur_scope, pieces >= 0 && !compound);
            if (sl && pieces >= 0 && !compound) {
                sl->has_val = 1;
                sl->val_off = (uint32_t)a->vals.n;
                sl->val_len = (uint32_t)v->n;
                if (a->vals.n < (16u << 20)) {
                    exh_buf_add(&a->vals, v->p ? v->p : "", v->n);
                } else {
                    sl->has_val = 0;
                    a->budget->full = true;
                }
                /* a page or script built in a string */
                if (pieces >= 2 && looks_like_code(exh_str_make(v->p ? v->p : "", v->n))) {
                    char *copy = exh_xstrndup(v->p, v->n);
                    nest(a, exh_str_make(copy, v->n), l, EXH_CODE_MARKUP, a->c->t[l].lang);
                    free(copy);
                }
            } else if (sl) {
                sl->has_val = 0;
            }
        }
        if (is_kind(a, l, EXH_TOK_IDENT)) {
            set_taint(a, l, t);
            if ((t & T_REQ) && (is_ident(a, l, "arguments") || is_ident(a, l, "filename")) &&
                !a->proc_cfg_tainted) {
                a->proc_cfg_tainted = true;
                a->proc_cfg_off = a->c->t[l].off;
            }
            /* SQL text and connection strings */
            if (a->pass == PASSES - 1 &&
                (((t & (T_REQ | T_PURE)) == (T_REQ | T_PURE) && is_ident(a, l, "commandtext")) ||
                 ((t & T_REQ) && is_ident(a, l, "connectionstring")))) {
                found(a, TQ_SQL, l);
                param_sink(a, TQ_SQL, rs, re);
            }
            size_t b = chain_start(a, l, s);
            if (b != l)
                set_taint(a, b, t & (T_REQ | T_DEC | T_NET));
        }
        i = re;
    }
}

/* Data moved between objects by calls: src.CopyTo(dst), src.Read(buf, ...),
 * dst.Write(src...), Array.Copy(src, dst), Buffer.BlockCopy(src, o, dst, ...). */
static void transfers(struct analysis *a, size_t s, size_t e)
{
    for (size_t i = s + 2; i < e && !a->w->stopped; i++) {
        if (!is_kind(a, i, EXH_TOK_IDENT) || !is_punct(a, i - 1, '.'))
            continue;
        size_t recv = i - 2;
        if (!is_kind(a, recv, EXH_TOK_IDENT))
            continue;
        bool paren = is_punct(a, i + 1, '(');
        bool write = is_ident(a, i, "write") || is_ident(a, i, "writebyte") ||
                     is_ident(a, i, "writetext") || is_ident(a, i, "writeline");
        if (!paren && !(write && a->c->t[i].lang == EXH_LANG_VB))
            continue;
        size_t as, ae;
        call_args(a, i, e, &as, &ae);
        /* the receiver's whole chain: context.Request.InputStream.CopyTo(ms) */
        size_t cs = chain_start(a, recv, s);
        unsigned rt = range_taint(a, cs, recv + 1) & T_FLOW;
        if (is_ident(a, i, "copyto") || is_ident(a, i, "read") || is_ident(a, i, "readbytes")) {
            for (size_t k = as + 1; k < ae && rt; k++)
                if (is_kind(a, k, EXH_TOK_IDENT)) {
                    set_taint(a, k, rt);
                    break; /* the destination is the first argument */
                }
        } else if (write) {
            if (chain_has(a, i, s, (const char *const[]){"standardinput", NULL}))
                continue; /* a process's input: a sink, not a transfer */
            unsigned t = range_taint(a, as, ae) & T_FLOW;
            set_taint(a, recv, t);
            unsigned rf = taint_of(a, recv);
            if (a->pass == PASSES - 1 && (rf & T_PAGEFILE)) {
                size_t ds, de;
                if (nth_arg(a, i, e, 0, &ds, &de) && fold(a, ds, de, &a->fold_tmp[1]) >= 0) {
                    struct exh_str v =
                        exh_str_make(a->fold_tmp[1].p ? a->fold_tmp[1].p : "", a->fold_tmp[1].n);
                    if (exh_find_ci_lit(v, "<%") || exh_find_ci_lit(v, "#include") ||
                        exh_find_ci_lit(v, "runat"))
                        found(a, TQ_PAGEWRITE, i);
                }
            }
            if (a->pass == PASSES - 1 && (rf & T_PAGEFILE) && (t & (T_REQ | T_NET))) {
                found(a, (t & T_REQ) ? TQ_WRITE : TQ_DOWNLOAD, i);
                param_sink(a, TQ_WRITE, as, ae);
            }
        } else if ((is_ident(a, i, "copy") && is_ident(a, recv, "array")) ||
                   (is_ident(a, i, "blockcopy") && is_ident(a, recv, "buffer"))) {
            /* the destination: the 2nd argument of Array.Copy, the 3rd of BlockCopy */
            int want = is_ident(a, i, "copy") ? 1 : 2;
            size_t ss, se, ds, de;
            if (nth_arg(a, i, e, 0, &ss, &se) && nth_arg(a, i, e, want, &ds, &de) &&
                is_kind(a, ds, EXH_TOK_IDENT))
                set_taint(a, ds, range_taint(a, ss, se) & T_FLOW);
        }
    }
}

/* a stream, not a path: new StreamWriter(request.GetRequestStream()) */
static bool stream_arg(const struct analysis *a, size_t s, size_t e)
{
    static const char *const streams[] = {"getrequeststream",
                                          "getresponsestream",
                                          "outputstream",
                                          "basestream",
                                          "openwrite",
                                          "memorystream",
                                          "openstandardoutput",
                                          "filestream",
                                          "create",
                                          "open",
                                          "outputstream",
                                          NULL};
    for (size_t k = s; k < e; k++)
        if (is_one_of(a, k, streams))
            return true;
    return false;
}

static void remember_written(struct analysis *a, struct exh_str v)
{
    if (a->nwritten >= MAX_WRITTEN || v.n < 5 || v.n >= sizeof(a->written[0]))
        return;
    memcpy(a->written[a->nwritten], v.p, v.n);
    a->written[a->nwritten][v.n] = '\0';
    a->nwritten++;
}

/* Does the constant text of [s, e) name a program this page wrote? */
static bool runs_written(struct analysis *a, size_t s, size_t e)
{
    if (!a->nwritten)
        return false;
    for (size_t k = s; k < e; k++) {
        if (!is_kind(a, k, EXH_TOK_STRING))
            continue;
        struct exh_str v = exh_tok_string(a->c, &a->c->t[k]);
        for (int w = 0; w < a->nwritten; w++)
            if (exh_find_ci(v.p, v.n, a->written[w], strlen(a->written[w])))
                return true;
    }
    return false;
}

/* typeof(Assembly).GetMethod("Load", ...).Invoke(...): Assembly.Load by reflection */
static bool chain_has_load(struct analysis *a, size_t i, size_t s)
{
    if (i < s + 2 || !is_punct(a, i - 1, '.') || !is_punct(a, i - 2, ')'))
        return false;
    /* new Type[] { typeof(byte[]) } splits the statement at its braces: look
     * back over a few tokens for GetMethod("Load...") */
    for (size_t k = i > 48 ? i - 48 : 0; k + 2 < i; k++)
        if (is_ident(a, k, "getmethod") && is_punct(a, k + 1, '(') &&
            is_kind(a, k + 2, EXH_TOK_STRING)) {
            struct exh_str v = exh_tok_string(a->c, &a->c->t[k + 2]);
            if (exh_starts_ci(v, "load"))
                return true;
        }
    int depth = 0;
    for (size_t k = i - 2; k > s; k--) {
        if (is_punct(a, k, ')') || is_punct(a, k, ']'))
            depth++;
        else if (is_punct(a, k, '(') || is_punct(a, k, '[')) {
            if (--depth == 0) {
                if (!is_ident(a, k - 1, "getmethod"))
                    return false;
                size_t fs, fe;
                first_arg(a, k - 1, i, &fs, &fe);
                if (fold(a, fs, fe, &a->fold_tmp[1]) < 0)
                    return false;
                struct exh_str v =
                    exh_str_make(a->fold_tmp[1].p ? a->fold_tmp[1].p : "", a->fold_tmp[1].n);
                return exh_starts_ci(v, "load") || exh_eq_ci(v, "createinstance");
            }
        }
    }
    return false;
}

static void sinks(struct analysis *a, size_t s, size_t e)
{
    static const char *const asm_recv[] = {"assembly", "appdomain", "currentdomain", "domain",
                                           NULL};
    static const char *const file_recv[] = {"file", "io", NULL};
    static const char *const dir_recv[] = {"directory", "file", "io", NULL};
    static const char *const no_eval_recv[] = {"databinder", "container", "page", "this", NULL};
    static const char *const fso_ops[] = {
        "getfolder", "deletefile", "deletefolder", "copyfile", "copyfolder",
        "movefile",  "movefolder", "createfolder", "getfile",  NULL};
    static const char *const dir_ops[] = {"getfiles",
                                          "getdirectories",
                                          "enumeratefiles",
                                          "enumeratedirectories",
                                          "getfilesystementries",
                                          "delete",
                                          "move",
                                          "copy",
                                          "createdirectory",
                                          NULL};
    static const char *const sql_types[] = {
        "sqlcommand",       "oledbcommand",    "odbccommand", "sqldataadapter",
        "oledbdataadapter", "odbcdataadapter", NULL};
    static const char *const conn_types[] = {"sqlconnection", "oledbconnection", "odbcconnection",
                                             NULL};
    for (size_t i = s; i < e && !a->w->stopped; i++) {
        const struct exh_tok *t = &a->c->t[i];
        if (t->kind == EXH_TOK_STRING) {
            /* a page or XSLT script carried in a literal */
            struct exh_str v = exh_tok_string(a->c, t);
            if (looks_like_code(v))
                nest(a, v, i, EXH_CODE_MARKUP, t->lang);
            continue;
        }
        if (t->kind != EXH_TOK_IDENT)
            continue;
        bool call = is_punct(a, i + 1, '(');
        size_t as = i + 1, ae = call ? match_paren(a, i + 1, e) : e;
        bool vb = t->lang == EXH_LANG_VB;
        bool bare = i == 0 || !is_punct(a, i - 1, '.');

        /* script evaluation */
        if ((is_ident(a, i, "eval") && !receiver_is(a, i, no_eval_recv)) ||
            (bare && vb && (is_ident(a, i, "execute") || is_ident(a, i, "executeglobal"))) ||
            is_ident(a, i, "jscriptevaluate") || is_ident(a, i, "executestatement") ||
            (is_ident(a, i, "addcode") && !bare)) {
            if (!call && t->lang == EXH_LANG_JSCRIPT) {
                /* eval taken as a value ({E: eval}, return eval): called through an alias */
                if (is_ident(a, i, "eval") && bare)
                    found(a, a->reads_request ? TQ_EVAL : TQ_OBFUSCATED, i);
                continue;
            }
            if (!call && !vb)
                continue;
            unsigned tt = range_taint(a, as, ae);
            size_t fs, fe;
            first_arg(a, i, e, &fs, &fe);
            if (tt & T_REQ)
                found(a, TQ_EVAL, i);
            if (tt & T_DEC)
                found(a, TQ_DECODE, i);
            if (a->cur_fn >= 0 && uses_param(a, fs, fe)) {
                a->fns[a->cur_fn].sinks |= 1u << TQ_EVAL;
                a->fns[a->cur_fn].eval_like = true;
            }
            /* the argument folds to text: analyse it as code */
            struct exh_buf *v = &a->fold_tmp[0];
            int pieces = fe > fs ? fold(a, fs, fe, v) : -1;
            unsigned nf = 0;
            if (pieces >= 1 && v->n) {
                char *copy = exh_xstrndup(v->p, v->n);
                enum exh_lang l =
                    is_ident(a, i, "eval") && t->lang != EXH_LANG_VB ? EXH_LANG_JSCRIPT
                    : t->lang == EXH_LANG_JSCRIPT && !is_ident(a, i, "executestatement")
                        ? EXH_LANG_JSCRIPT
                        : EXH_LANG_VB;
                nf = nest(a, exh_str_make(copy, v->n), i, EXH_CODE_SOURCE, l);
                free(copy);
                if (!nf && pieces >= 3)
                    found(a, TQ_OBFUSCATED, i); /* code assembled from fragments */
            } else if (pieces < 0) {
                int strs = 0, joins = 0;
                for (size_t k = fs; k < fe; k++) {
                    strs += is_kind(a, k, EXH_TOK_STRING);
                    joins += is_punct(a, k, '&') || is_punct(a, k, '+');
                }
                if (strs >= 4 && joins >= 3)
                    found(a, TQ_OBFUSCATED, i); /* fragments that do not even fold */
            }
            if (!(tt & (T_REQ | T_DEC)) && !nf && pieces < 0 && fe > fs && !has_string(a, fs, fe) &&
                !uses_param(a, fs, fe) && t->lang != EXH_LANG_CSHARP)
                found(a, TQ_OBFUSCATED, i); /* code computed at run time, then run */
            else if (!(tt & (T_REQ | T_DEC)) && !nf && pieces < 0 && !only_literal(a, as, ae) &&
                     (a->obf_names >= 3 || (t->lang != EXH_LANG_CSHARP && has_call(a, as, ae))) &&
                     !uses_param(a, fs, fe))
                found(a, TQ_OBFUSCATED, i);
            /* eval(x, "unsafe"): JScript .NET with full trust */
            size_t us, ue;
            if (t->lang == EXH_LANG_JSCRIPT && nth_arg(a, i, e, 1, &us, &ue) &&
                fold(a, us, ue, &a->fold_tmp[1]) >= 0 && a->fold_tmp[1].n == 6 &&
                exh_eq_ci(exh_str_make(a->fold_tmp[1].p, 6), "unsafe") &&
                !only_literal(a, fs, fe)) {
                if (a->cur_fn >= 0 && uses_param(a, fs, fe)) {
                    a->fns[a->cur_fn].eval_like = true;
                    found(a, TQ_RUNNER, i); /* a code runner with full trust, called or not */
                } else if (!(tt & (T_REQ | T_DEC)) && !nf) {
                    found(a, TQ_OBFUSCATED, i);
                }
            }
            continue;
        }
        /* obj.Method ..., Request, Response: a COM object given the page's own
         * objects runs code the page does not show (script-encoding DLLs) */
        if (!bare && i >= 2 && (taint_of(a, i - 2) & T_COM) && a->c->t[i].lang == EXH_LANG_VB) {
            bool req = false, resp = false;
            size_t cs2, ce2;
            call_args(a, i, e, &cs2, &ce2);
            for (size_t k = cs2; k < ce2; k++) {
                if (is_punct(a, k - 1, '.') || is_punct(a, k + 1, '.') || is_punct(a, k + 1, '('))
                    continue;
                req |= is_ident(a, k, "request");
                resp |= is_ident(a, k, "response");
            }
            if (req && resp)
                found(a, TQ_COMRUN, i);
        }
        /* x["ev" + "al"]: eval looked up by a computed name */
        if (is_punct(a, i + 1, '[') && t->lang == EXH_LANG_JSCRIPT) {
            size_t ke = match_paren(a, i + 1, e);
            if (ke < e && fold(a, i + 2, ke, &a->fold_tmp[1]) >= 0 &&
                exh_eq_ci(exh_str_make(a->fold_tmp[1].p ? a->fold_tmp[1].p : "", a->fold_tmp[1].n),
                          "eval"))
                found(a, a->reads_request ? TQ_EVAL : TQ_OBFUSCATED, i);
        }
        /* assemblies and compilers */
        if ((is_ident(a, i, "load") && receiver_is(a, i, asm_recv)) || is_ident(a, i, "loadfrom") ||
            is_ident(a, i, "unsafeloadfrom") || is_ident(a, i, "compileassemblyfromsource") ||
            is_ident(a, i, "compileassemblyfromfile") ||
            (is_ident(a, i, "invoke") && chain_has_load(a, i, s))) {
            if (!call)
                continue;
            unsigned tt = range_taint(a, as, ae);
            if (is_ident(a, i, "invoke")) /* Invoke(null, new object[] { data }): past the braces */
                tt |= range_taint(a, as, ae + 24 < a->c->n ? ae + 24 : a->c->n) & T_FLOW;
            if (tt & T_REQ)
                found(a, TQ_LOAD, i);
            if (tt & T_DEC)
                found(a, TQ_DECODE, i);
            param_sink(a, TQ_LOAD, as, ae);
            continue;
        }
        /* processes: arguments, ProcessStartInfo, standard input */
        if ((is_ident(a, i, "start") &&
             receiver_is(a, i, (const char *const[]){"process", NULL})) ||
            (is_ident(a, i, "processstartinfo") && call)) {
            a->has_process_type = true;
            if (call && (range_taint(a, as, ae) & T_REQ))
                found(a, TQ_PROCESS, i);
            if (call && runs_written(a, as, ae))
                found(a, TQ_DROPRUN, i);
            if (call)
                param_sink(a, TQ_PROCESS, as, ae);
            continue;
        }
        if ((is_ident(a, i, "writeline") || is_ident(a, i, "write")) &&
            chain_has(a, i, s, (const char *const[]){"standardinput", NULL})) {
            if (range_taint(a, as, ae) & T_REQ)
                found(a, TQ_PROCESS, i);
            param_sink(a, TQ_PROCESS, as, ae);
            continue;
        }
        if ((is_ident(a, i, "exec") || is_ident(a, i, "run") || is_ident(a, i, "shellexecute")) &&
            i >= 2 && is_punct(a, i - 1, '.') &&
            ((taint_of(a, i - 2) & T_SHELL) || is_punct(a, i - 2, ')'))) {
            if (range_taint(a, as, ae) & T_REQ)
                found(a, TQ_PROCESS, i);
            if (a->xslt && uses_param(a, as, ae))
                found(a, TQ_PROCESS, i); /* an XSLT function's parameters are the document's text */
            if (runs_written(a, as, ae))
                found(a, TQ_DROPRUN, i);
            param_sink(a, TQ_PROCESS, as, ae);
            continue;
        }
        /* SQL run as the request says */
        if (call && ((is_one_of(a, i, sql_types) && after_new(a, i)) ||
                     (is_one_of(a, i, conn_types) && after_new(a, i)))) {
            size_t fs, fe;
            first_arg(a, i, e, &fs, &fe);
            unsigned tt = range_taint(a, fs, fe);
            bool conn = is_one_of(a, i, conn_types);
            if ((tt & T_REQ) && (conn || (tt & T_PURE)))
                found(a, TQ_SQL, i);
            param_sink(a, TQ_SQL, fs, fe);
            continue;
        }
        if (!bare && (is_ident(a, i, "execute") ||
                      (is_ident(a, i, "open") && (taint_of(a, i - 2) & T_DB)))) {
            size_t fs, fe;
            first_arg(a, i, e, &fs, &fe);
            unsigned tt = range_taint(a, fs, fe);
            if ((tt & (T_REQ | T_PURE)) == (T_REQ | T_PURE) ||
                (is_ident(a, i, "open") && (tt & T_REQ) && (taint_of(a, i - 2) & T_DB)))
                found(a, TQ_SQL, i);
            param_sink(a, TQ_SQL, fs, fe);
            continue;
        }
        /* the server fetching a URL the request chose (an HTTP proxy into the
         * network), or a local service with request input (Serv-U "site exec") */
        if (!bare &&
            ((is_ident(a, i, "open") && (taint_of(a, i - 2) & T_HTTP)) ||
             (is_ident(a, i, "create") &&
              receiver_is(a, i, (const char *const[]){"webrequest", "httpwebrequest", NULL})) ||
             ((is_ident(a, i, "downloadstring") || is_ident(a, i, "downloaddata") ||
               is_ident(a, i, "openread") || is_ident(a, i, "uploadstring")) &&
              !is_ident(a, i, "open")))) {
            size_t us, ue;
            bool got = is_ident(a, i, "open") ? nth_arg(a, i, e, 1, &us, &ue)
                                              : nth_arg(a, i, e, 0, &us, &ue);
            if (got) {
                unsigned ut = range_taint(a, us, ue);
                bool local = false;
                for (size_t k = us; k < ue; k++)
                    if (is_kind(a, k, EXH_TOK_STRING)) {
                        struct exh_str v = exh_tok_string(a->c, &a->c->t[k]);
                        local |= exh_find_ci_lit(v, "127.0.0.1") || exh_find_ci_lit(v, "localhost");
                    }
                /* a URL handed to a helper (a referrer checked for spam) is
                 * not followed: a proxy takes its URL from the request itself */
                if (((ut & (T_REQ | T_PURE)) == (T_REQ | T_PURE) || (local && (ut & T_REQ))) &&
                    !uses_param(a, us, ue))
                    found(a, TQ_PROXY, i);
            }
            if (is_ident(a, i, "open"))
                continue;
        }
        /* downloads saved where the page says */
        if (is_ident(a, i, "downloadfile") && !bare) {
            size_t ps, pe;
            if (nth_arg(a, i, e, 1, &ps, &pe) &&
                (const_code_path(a, ps, pe, &a->fold_tmp[1]) || (range_taint(a, ps, pe) & T_REQ)))
                found(a, TQ_DOWNLOAD, i);
            continue;
        }
        /* file-system browsing and changes where the request says */
        if ((!bare && ((is_one_of(a, i, fso_ops) && (taint_of(a, i - 2) & T_WRITER)) ||
                       (is_one_of(a, i, dir_ops) && receiver_is(a, i, dir_recv)))) ||
            (is_ident(a, i, "directoryinfo") && after_new(a, i) && (!bare || call))) {
            size_t fs, fe;
            first_arg(a, i, e, &fs, &fe);
            unsigned tt = range_taint(a, fs, fe);
            bool fso = is_one_of(a, i, fso_ops);
            if ((tt & T_REQ) && (fso || (tt & T_PURE)))
                found(a, TQ_FILES, i);
            if (!bare)
                param_sink(a, TQ_FILES, fs, fe);
            continue;
        }
        /* file writes with a request-chosen path (the first argument) */
        bool file_call = is_ident(a, i, "saveas") || is_ident(a, i, "savetofile") ||
                         is_ident(a, i, "createtextfile") || is_ident(a, i, "opentextfile") ||
                         ((is_ident(a, i, "writeallbytes") || is_ident(a, i, "writealltext") ||
                           is_ident(a, i, "appendalltext") || is_ident(a, i, "writealllines") ||
                           is_ident(a, i, "create") || is_ident(a, i, "copy") ||
                           is_ident(a, i, "move") || is_ident(a, i, "createtext")) &&
                          receiver_is(a, i, file_recv));
        bool ctor =
            (is_ident(a, i, "streamwriter") || is_ident(a, i, "filestream")) && after_new(a, i);
        /* new FileInfo(<request path>).CreateText() / .Delete() ... */
        if (!bare && call &&
            (is_ident(a, i, "createtext") || is_ident(a, i, "appendtext") ||
             is_ident(a, i, "openwrite")) &&
            (taint_of(a, i - 2) & (T_REQ | T_PURE)) == (T_REQ | T_PURE)) {
            found(a, TQ_WRITE, i);
            continue;
        }
        if (file_call || ctor) {
            if (!call && !vb)
                continue;
            size_t fs, fe;
            first_arg(a, i, e, &fs, &fe);
            if (ctor && stream_arg(a, fs, fe))
                continue;
            unsigned pt = range_taint(a, fs, fe);
            if (pt & T_REQ)
                found(a, TQ_WRITE, i);
            /* an upload kept under its own name in the folder the page runs
             * from, with no look at its extension: any page can be uploaded */
            if ((pt & (T_SELFDIR | T_CLIENTNAME)) == (T_SELFDIR | T_CLIENTNAME) && !a->ext_check)
                found(a, TQ_SELFUPLOAD, i);
            param_sink(a, TQ_WRITE, fs, fe);
            bool code_path = const_code_path(a, fs, fe, &a->fold_tmp[1]);
            if (code_path &&
                value_ends(exh_str_make(a->fold_tmp[1].p, a->fold_tmp[1].n), prog_exts))
                remember_written(a, exh_str_make(a->fold_tmp[1].p, a->fold_tmp[1].n));
            /* what is written: the object's content (stream.SaveToFile) or the
             * data argument (File.WriteAllText(path, data)) */
            unsigned ct = 0;
            if (!bare)
                ct |= taint_of(a, chain_start(a, i - 2, s)) | taint_of(a, i - 2);
            size_t ds, de;
            if (nth_arg(a, i, e, 1, &ds, &de))
                ct |= range_taint(a, ds, de);
            if (code_path && (ct & T_REQ) && !ctor)
                found(a, TQ_WRITE, i);
            if ((code_path || (pt & T_REQ)) && (ct & T_NET))
                found(a, TQ_DOWNLOAD, i);
            continue;
        }
        if (is_ident(a, i, "process") || is_ident(a, i, "startinfo"))
            a->has_process_type = true;
        /* sockets to request-chosen endpoints */
        if ((is_ident(a, i, "connect") || is_ident(a, i, "beginconnect") ||
             is_ident(a, i, "connectasync") ||
             (is_ident(a, i, "tcpclient") && i > 0 && is_ident(a, i - 1, "new"))) &&
            call && (range_taint(a, as, ae) & T_REQ))
            found(a, TQ_TUNNEL, i);
    }
}

/* if (<request input or a hash of it> == "<secret>"): the literal must be
 * an operand of the comparison (Request["x"] != null is no gate). */
static void gates(struct analysis *a, size_t s, size_t e)
{
    if (!is_ident(a, s, "if") && !is_ident(a, s, "elseif"))
        return;
    bool secret = false, input = false;
    for (size_t i = s; i < e; i++) {
        bool cmp =
            (is_punct(a, i, '=') && (is_punct(a, i + 1, '=') || a->c->t[i].lang == EXH_LANG_VB)) ||
            (is_punct(a, i, '!') && is_punct(a, i + 1, '=')) ||
            (is_punct(a, i, '<') && is_punct(a, i + 1, '>'));
        size_t r = i + (is_punct(a, i + 1, '=') || is_punct(a, i + 1, '>') ? 2 : 1);
        if (cmp) {
            size_t l = i - (i > s);
            if (is_punct(a, l, '='))
                l--;
            const size_t sides[2] = {l, r};
            for (int k = 0; k < 2; k++)
                if (is_kind(a, sides[k], EXH_TOK_STRING)) {
                    struct exh_str v = exh_tok_string(a->c, &a->c->t[sides[k]]);
                    if (v.n >= 6 && !exh_eq_ci(v, "sha256") && !exh_eq_ci(v, "sha512"))
                        secret = true;
                }
        }
        if ((is_ident(a, i, "equals") || is_ident(a, i, "compare")) && is_punct(a, i + 1, '(')) {
            size_t pe = match_paren(a, i + 1, e);
            for (size_t k = i + 2; k < pe; k++)
                if (is_kind(a, k, EXH_TOK_STRING) && exh_tok_string(a->c, &a->c->t[k]).n >= 6)
                    secret = true;
        }
        if (is_ident(a, i, "computehash") || is_ident(a, i, "hashpasswordforstoringinconfigfile") ||
            is_request(a, i) || (taint_of(a, i) & T_REQ))
            input = true;
    }
    if (secret && input)
        found(a, TQ_GATE, s);
}

static void obfuscation(struct analysis *a)
{
    const struct exh_code *c = a->c;
    int chr_run = 0, max_chr = 0, charcodes = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct exh_tok *t = &c->t[i];
        if (t->kind == EXH_TOK_END) {
            if (chr_run > max_chr)
                max_chr = chr_run;
            chr_run = 0;
            continue;
        }
        if (t->kind == EXH_TOK_STRING) {
            struct exh_str v = exh_tok_string(c, t);
            if (v.n >= 3 && v.n <= 6 && v.p[0] == '.') /* ".jpg", ".pdf": an allow-list */
                a->ext_check = true;
        }
        if (t->kind != EXH_TOK_IDENT)
            continue;
        struct exh_str s = exh_tok_text(c, t);
        if (!a->reads_request && is_request(a, i))
            a->reads_request = true;
        if (exh_eq_ci(s, "getextension") || exh_eq_ci(s, "endswith") ||
            exh_eq_ci(s, "changeextension") || exh_eq_ci(s, "extension"))
            a->ext_check = true;
        if (s.n >= 6 && s.p[0] == '_' && s.p[1] == '0' && (s.p[2] | 0x20) == 'x') {
            bool hex = true;
            for (size_t k = 3; k < s.n; k++)
                hex &= (s.p[k] >= '0' && s.p[k] <= '9') ||
                       ((s.p[k] | 0x20) >= 'a' && (s.p[k] | 0x20) <= 'f');
            a->obf_names += hex;
        }
        if (exh_eq_ci(s, "chr") || exh_eq_ci(s, "chrw") || exh_eq_ci(s, "chrb"))
            chr_run++;
        if (exh_eq_ci(s, "fromcharcode")) {
            size_t e = match_paren(a, i + 1, c->n);
            int nums = 0;
            if (!spend(a, e - i))
                break;
            for (size_t k = i + 1; k < e; k++)
                nums += c->t[k].kind == EXH_TOK_NUMBER;
            if (nums >= 6)
                charcodes++;
        }
    }
    if (chr_run > max_chr)
        max_chr = chr_run;
    if (a->obf_names >= 3 || max_chr >= 8 || charcodes)
        found(a, TQ_OBFUSCATED, 0);
}

/* Server controls the page declares, whose values the client sends:
 * <asp:TextBox id="x" runat="server">, <input runat="server" id="x">, ... */
static void controls(struct analysis *a)
{
    static const char *const tags[] = {"<asp:textbox",
                                       "<asp:hiddenfield",
                                       "<asp:dropdownlist",
                                       "<asp:listbox",
                                       "<asp:fileupload",
                                       "<input",
                                       "<textarea",
                                       "<select",
                                       "<asp:radiobuttonlist",
                                       NULL};
    const char *p = a->c->text.p;
    size_t n = a->c->text.n;
    if (!p)
        return;
    for (size_t i = 0; i < n;) {
        const char *lt = memchr(p + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - p) + 1;
        struct exh_str rest = exh_str_make(lt, n - (size_t)(lt - p));
        int hit = -1;
        for (int k = 0; tags[k]; k++)
            if (exh_starts_ci(rest, tags[k])) {
                size_t m = strlen(tags[k]);
                if (rest.n > m && (rest.p[m] == ' ' || rest.p[m] == '\t' || rest.p[m] == '\r' ||
                                   rest.p[m] == '\n'))
                    hit = k;
                break;
            }
        if (hit < 0)
            continue;
        const char *gt = memchr(lt, '>', rest.n < 2048 ? rest.n : 2048);
        if (!gt)
            continue;
        struct exh_str tag = exh_str_make(lt, (size_t)(gt - lt));
        if (!exh_find_ci_lit(tag, "runat"))
            continue;
        /* id="x" */
        for (size_t k = 0; k + 3 < tag.n; k++) {
            if (!((k == 0 || tag.p[k - 1] == ' ' || tag.p[k - 1] == '\t' || tag.p[k - 1] == '\n' ||
                   tag.p[k - 1] == '\r') &&
                  (tag.p[k] | 0x20) == 'i' && (tag.p[k + 1] | 0x20) == 'd'))
                continue;
            size_t j = k + 2;
            while (j < tag.n && tag.p[j] == ' ')
                j++;
            if (j >= tag.n || tag.p[j] != '=')
                continue;
            j++;
            while (j < tag.n && (tag.p[j] == ' ' || tag.p[j] == '"' || tag.p[j] == '\''))
                j++;
            char nm[48], lc[48];
            size_t m = 0;
            while (j < tag.n && m < 47 &&
                   ((tag.p[j] >= 'a' && tag.p[j] <= 'z') || (tag.p[j] >= 'A' && tag.p[j] <= 'Z') ||
                    (tag.p[j] >= '0' && tag.p[j] <= '9') || tag.p[j] == '_')) {
                lc[m] = (char)exh_lc((unsigned char)tag.p[j]);
                nm[m++] = tag.p[j++];
            }
            nm[m] = lc[m] = '\0';
            for (int v = 0; v < 2 && m; v++) { /* as written (C#, JScript) and lower case (VB) */
                struct tslot *s = slot_at(a, v ? lc : nm, 0, true);
                if (s)
                    s->flags |= T_CTRL;
            }
            break;
        }
    }
}

/* Run the analysis over a parsed page. */
static void analyse(struct analysis *a, const struct exh_code *c)
{
    a->c = c;
    if (!c->n)
        return;
    /* tables sized to the page: twice its identifiers (up to TSLOTS_MAX), a
     * function per 8 tokens (up to MAX_FN) */
    size_t idents = 0;
    for (size_t i = 0; i < c->n; i++)
        idents += c->t[i].kind == EXH_TOK_IDENT;
    uint32_t want = 64;
    while (want < 2 * idents + 16 && want < TSLOTS_MAX)
        want *= 2;
    if (want > a->tslots && !a->nslots) {
        free(a->slots);
        a->tslots = want;
        a->slots = exh_xcalloc(a->tslots, sizeof(*a->slots));
    }
    a->fncap = c->n / 8 + 8 < MAX_FN ? c->n / 8 + 8 : MAX_FN;
    a->fns = exh_xcalloc(a->fncap, sizeof(*a->fns));
    /* real pages need under 15 per token (the budgets start at 1M, in
     * analyse_page) */
    a->w->max += 64u * (uint64_t)c->n;
    a->pm = exh_xmalloc((c->n + 1) * sizeof(*a->pm));
    {
        uint32_t *stack = exh_xmalloc((c->n + 1) * sizeof(*stack));
        size_t sp = 0;
        for (size_t i = 0; i < c->n; i++) {
            a->pm[i] = (uint32_t)c->n;
            if (is_punct(a, i, '(') || is_punct(a, i, '['))
                stack[sp++] = (uint32_t)i;
            else if ((is_punct(a, i, ')') || is_punct(a, i, ']')) && sp)
                a->pm[stack[--sp]] = (uint32_t)i;
        }
        free(stack);
    }
    find_functions(a);
    if (a->depth == 0)
        controls(a);
    obfuscation(a);
    /* several passes, so that a variable assigned after its first use in a
     * loop or a later function, and a function's parameters, still carry
     * their taint; sinks are judged on the last */
    for (a->pass = 0; a->pass < PASSES; a->pass++) {
        size_t s = 0;
        size_t next_fn = 0;
        int cur = -1;
        for (size_t i = 0; i <= c->n && !a->w->stopped; i++) {
            if (i == c->n || c->t[i].kind == EXH_TOK_END) {
                if (i > s) {
                    /* the function this statement is in (functions are sorted by start) */
                    while (next_fn < a->nfn && a->fns[next_fn].bs <= s)
                        next_fn++;
                    if (cur < 0 || s >= a->fns[cur].be || s < a->fns[cur].bs)
                        cur = fn_at(a, s);
                    a->cur_fn = cur;
                    a->cur_scope = fn_scope(a, cur);
                    if (cur >= 0 && a->pass == 0)
                        for (int p = 0; p < a->fns[cur].nparams; p++)
                            set_taint_scoped(a, a->fns[cur].params[p], T_PARAM, a->cur_scope);
                    assign(a, s, i);
                    transfers(a, s, i);
                    calls(a, s, i);
                    if (a->pass == PASSES - 1) {
                        sinks(a, s, i);
                        gates(a, s, i);
                    }
                }
                s = i + 1;
            }
        }
    }
    a->cur_fn = -1;
    a->cur_scope = 0;
    if (a->proc_cfg_tainted && a->has_process_type && !(a->found & (1u << TQ_PROCESS)))
        found_at(a, TQ_PROCESS, a->proc_cfg_off);
    if (c->text.n && exh_find_ci(c->text.p, c->text.n, "#@~^", 4) && c->regions)
        found(a, TQ_OBFUSCATED, 0);
}

static void analysis_init(struct analysis *a, struct nest_budget *b)
{
    memset(a, 0, sizeof(*a));
    a->tslots = 64; /* sized to the page in analyse() */
    a->slots = exh_xcalloc(a->tslots, sizeof(*a->slots));
    a->budget = b;
    a->w = &b->page;
    a->cur_fn = -1;
}

static void analysis_release(struct analysis *a)
{
    free(a->pm);
    free(a->slots);
    free(a->fns);
    exh_buf_release(&a->vals);
    exh_buf_release(&a->fold_tmp[0]);
    exh_buf_release(&a->fold_tmp[1]);
}

static unsigned analyse_nested(struct analysis *a, const char *p, size_t n, enum exh_code_mode mode,
                               enum exh_lang lang, bool xslt)
{
    struct exh_code c;
    exh_code_init(&c);
    exh_code_parse(&c, (const uint8_t *)p, n, mode, lang);
    struct analysis *in = exh_xmalloc(sizeof(*in));
    analysis_init(in, a->budget);
    in->depth = a->depth + 1;
    in->w = &a->budget->inner;
    in->xslt = xslt;
    analyse(in, &c);
    unsigned f = in->found;
    /* a function defined in the string that runs its parameter, called by the page */
    analysis_release(in);
    free(in);
    exh_code_release(&c);
    return f;
}

/* The rule for the strongest technique found. */
static bool verdict_rule(unsigned f, enum exh_rule_sym *rule)
{
    unsigned exec = (1u << TQ_EVAL) | (1u << TQ_LOAD) | (1u << TQ_PROCESS) | (1u << TQ_DECODE);
    if ((f & (1u << TQ_GATE)) && (f & exec))
        *rule = EXH_RULE_WS_GATED;
    else if (f & (1u << TQ_EVAL))
        *rule = EXH_RULE_WS_EVAL;
    else if (f & (1u << TQ_LOAD))
        *rule = EXH_RULE_WS_LOAD;
    else if (f & ((1u << TQ_PROCESS) | (1u << TQ_DROPRUN)))
        *rule = EXH_RULE_WS_PROCESS;
    else if (f & (1u << TQ_DECODE))
        *rule = EXH_RULE_WS_DECODE;
    else if (f & ((1u << TQ_TUNNEL) | (1u << TQ_PROXY)))
        *rule = EXH_RULE_WS_TUNNEL;
    else if (f & ((1u << TQ_WRITE) | (1u << TQ_DOWNLOAD) | (1u << TQ_FILES) |
                  (1u << TQ_SELFUPLOAD) | (1u << TQ_PAGEWRITE)))
        *rule = EXH_RULE_WS_WRITE;
    else if (f & (1u << TQ_SQL))
        *rule = EXH_RULE_WS_SQL;
    else if (f & ((1u << TQ_OBFUSCATED) | (1u << TQ_RUNNER) | (1u << TQ_COMRUN)))
        *rule = EXH_RULE_WS_OBFUSCATED;
    else
        return false;
    return true;
}

/* "technique at offset: snippet; ..." */
static void describe(const struct analysis *a, struct exh_buf *ev, struct exh_buf *msg)
{
    const struct exh_code *c = a->c;
    exh_buf_adds(msg, "Server-side code: ");
    bool first = true;
    for (int tq = 0; tq < TQ__COUNT; tq++) {
        if (!(a->found & (1u << tq)))
            continue;
        exh_buf_addf(msg, "%s%s", first ? "" : ", ", tq_names[tq]);
        first = false;
    }
    for (size_t k = 0; k < a->nev; k++) {
        uint32_t off = a->ev[k].off;
        size_t n = c->text.n > off ? c->text.n - off : 0;
        if (n > 80)
            n = 80;
        exh_buf_addf(ev, "%s%s at %s%u: ", k ? "; " : "", tq_names[a->ev[k].tq],
                     c->utf16 ? "decoded offset " : "", off);
        for (size_t i = 0; i < n; i++) {
            char ch = c->text.p[off + i];
            exh_buf_addc(ev, ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : ch);
        }
    }
}

/* ------------------------------------------------------- file kinds -- */

static bool ext_in(struct exh_str name, const char *const *exts)
{
    for (int i = 0; exts[i]; i++)
        if (exh_ends_ci(name, exts[i]))
            return true;
    return false;
}

static const char *const markup_exts[] = {".aspx",   ".ascx",   ".asp",    ".asa",      ".master",
                                          ".config", ".cshtml", ".vbhtml", ".aspx.req", NULL};
static const char *const source_exts[] = {".ashx", ".asmx", ".asax", ".cs", ".vb", ".svc", NULL};

static bool looks_like_page_name(struct exh_str name)
{
    return exh_find_ci_lit(name, ".as") != NULL;
}

/* The OAB virtual directory settings dump: "Key : value" lines, one of them
 * ExternalUrl/InternalUrl holding server script. */
static bool oab_dump(struct exh_str text, struct exh_str *line_out)
{
    struct exh_lines it;
    exh_lines_init(&it, text.p, text.n, 0, 1);
    struct exh_str line;
    int kv = 0, oab_keys = 0;
    bool hit = false;
    while (exh_lines_next(&it, &line, NULL)) {
        struct exh_str l = exh_trim(line);
        size_t k = 0;
        while (k < l.n && ((l.p[k] >= 'a' && l.p[k] <= 'z') || (l.p[k] >= 'A' && l.p[k] <= 'Z')))
            k++;
        if (k == 0)
            continue;
        size_t j = k;
        while (j < l.n && (l.p[j] == ' ' || l.p[j] == '\t'))
            j++;
        if (j >= l.n || l.p[j] != ':')
            continue;
        kv++;
        struct exh_str key = exh_str_make(l.p, k);
        if (exh_eq_ci(key, "OfflineAddressBooks") ||
            exh_eq_ci(key, "InternalAuthenticationMethods") ||
            exh_eq_ci(key, "ExternalAuthenticationMethods") ||
            exh_eq_ci(key, "ExtendedProtectionTokenChecking") || exh_eq_ci(key, "PollInterval"))
            oab_keys++;
        if ((exh_eq_ci(key, "ExternalUrl") || exh_eq_ci(key, "InternalUrl")) &&
            (exh_find_ci_lit(l, "<script") || exh_find_ci_lit(l, "<%")) && !hit) {
            hit = true;
            *line_out = l;
        }
    }
    return hit && kv >= 4 && oab_keys >= 1;
}

/* A page that declares code page 65000 (UTF-7): its +...- runs are base64
 * of UTF-16 and hide the code from a plain reading. Decoded into out. */
static bool utf7_page(const uint8_t *p, size_t n, struct exh_buf *out)
{
    const char *s = (const char *)p;
    const char *cp = exh_find_ci(s, n < 4096 ? n : 4096, "codepage", 8);
    if (!cp)
        return false;
    size_t k = (size_t)(cp - s) + 8;
    while (k < n && (s[k] == ' ' || s[k] == '=' || s[k] == '"' || s[k] == '\''))
        k++;
    if (k + 5 > n || memcmp(s + k, "65000", 5))
        return false;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    exh_buf_reset(out);
    for (size_t i = 0; i < n;) {
        if (s[i] != '+') {
            exh_buf_addc(out, s[i++]);
            continue;
        }
        i++;
        if (i < n && s[i] == '-') { /* "+-" is '+' */
            exh_buf_addc(out, '+');
            i++;
            continue;
        }
        uint32_t bits = 0;
        int nbits = 0;
        uint8_t u16[2];
        int nu = 0;
        while (i < n) {
            const char *q = memchr(b64, s[i], 64);
            if (!q || !s[i])
                break;
            bits = (bits << 6) | (uint32_t)(q - b64);
            nbits += 6;
            if (nbits >= 8) {
                nbits -= 8;
                u16[nu++] = (uint8_t)(bits >> nbits);
                if (nu == 2) {
                    exh_buf_add_utf16(out, u16, 1, true, '?');
                    nu = 0;
                }
            }
            i++;
        }
        if (i < n && s[i] == '-')
            i++;
    }
    return true;
}

/* <!--#include file="x.txt"--> of a file IIS would not run as code: the
 * included text runs as code all the same, a way to hide a shell in an
 * image or a text file. */
static bool data_include(struct exh_str t, struct exh_str *line)
{
    static const char *const data_exts[] = {
        ".txt", ".jpg", ".jpeg", ".gif", ".png", ".bmp", ".ico", ".log", ".rar", ".zip", ".dat",
        ".tmp", ".doc", ".xls",  ".pdf", ".mp3", ".swf", ".css", ".js",  ".xml", ".bak", NULL};
    for (size_t from = 0; from < t.n;) {
        const char *inc = exh_find_ci(t.p + from, t.n - from, "#include", 8);
        if (!inc)
            return false;
        size_t k = (size_t)(inc - t.p) + 8;
        from = k;
        while (k < t.n && t.p[k] == ' ')
            k++;
        struct exh_str rest = exh_str_make(t.p + k, t.n - k);
        if (!exh_starts_ci(rest, "file") && !exh_starts_ci(rest, "virtual"))
            continue;
        const char *q = memchr(rest.p, '"', rest.n < 64 ? rest.n : 64);
        if (!q)
            continue;
        q++;
        const char *qe =
            memchr(q, '"', (size_t)(t.p + t.n - q) < 512 ? (size_t)(t.p + t.n - q) : 512);
        if (!qe)
            continue;
        struct exh_str name = exh_str_make(q, (size_t)(qe - q));
        for (int x = 0; data_exts[x]; x++)
            if (exh_ends_ci(name, data_exts[x])) {
                *line = exh_str_make(inc, (size_t)(qe - inc) + 1);
                return true;
            }
    }
    return false;
}

/* Analyse one buffer as a page; emit the strongest finding. */
static bool analyse_page(struct exh_emitter *em, const struct exh_file *f, const uint8_t *p,
                         size_t n, enum exh_code_mode mode, enum exh_lang lang, bool only_if_exec,
                         enum exh_rule_sym force_rule, const char *force_msg)
{
    /* a page saved as UTF-7 (<%@ CodePage=65000 %>) is decoded as IIS would */
    struct exh_buf utf7 = {0};
    if (mode == EXH_CODE_MARKUP && utf7_page(p, n, &utf7)) {
        p = (const uint8_t *)utf7.p;
        n = utf7.n;
    }
    struct exh_code c;
    exh_code_init(&c);
    exh_code_parse(&c, p, n, mode, lang);
    if (c.truncated)
        exh_emit_problem(em, f,
                         "page holds more than a million tokens: only the start was analysed");
    struct nest_budget budget = {NEST_BUDGET, {0, 1u << 20, false}, {0, 1u << 20, false}, false};
    struct analysis *a = exh_xmalloc(sizeof(*a));
    analysis_init(a, &budget);
    analyse(a, &c);
    if (utf7.n)
        found(a, TQ_OBFUSCATED, 0);
    /* no <% %> at all in a page: a fragment whose delimiters were lost still
     * runs when included, and is evidence either way; read it as code and
     * keep only code that runs */
    if (mode == EXH_CODE_MARKUP && !c.regions && !c.page_directive && c.text.n && !only_if_exec) {
        unsigned exec = (1u << TQ_EVAL) | (1u << TQ_LOAD) | (1u << TQ_PROCESS) | (1u << TQ_DECODE);
        unsigned nf = analyse_nested(a, c.text.p, c.text.n, EXH_CODE_SOURCE, lang, false) & exec;
        /* a fragment made to be written into a string value (a config's
         * setting): it starts by closing the string, so read it from there */
        const char *q = memchr(c.text.p, '"', c.text.n < 64 ? c.text.n : 64);
        if (!nf && q && (size_t)(q - c.text.p) + 1 < c.text.n)
            nf = analyse_nested(a, q + 1, c.text.n - (size_t)(q - c.text.p) - 1, EXH_CODE_SOURCE,
                                lang, false) &
                 exec;
        for (int tq = 0; tq < TQ__COUNT; tq++)
            if (nf & (1u << tq))
                found_at(a, (enum technique)tq, 0);
    }
    exh_buf_release(&utf7);
    if (budget.page.stopped)
        exh_emit_problem(em, f,
                         "page code nests beyond the analysis budget: only its start was analysed");
    else if (budget.inner.stopped)
        exh_emit_problem(em, f,
                         "code in the page's strings goes beyond the analysis budget: not all of "
                         "it was analysed");
    else if (budget.full)
        exh_emit_problem(em, f,
                         "the page has more names or constant strings than the analysis follows "
                         "(4,096 names, 16 MiB of strings): the rest were not followed");
    enum exh_rule_sym rule;
    bool hit = verdict_rule(a->found, &rule);
    if (hit && only_if_exec && !(a->found & ~(1u << TQ_WRITE)))
        hit = false;
    if (hit) {
        struct exh_buf ev = {0}, msg = {0};
        describe(a, &ev, &msg);
        if (force_msg) {
            exh_buf_reset(&msg);
            exh_buf_adds(&msg, force_msg);
        }
        exh_emit_file_simple(em, f, force_msg ? force_rule : rule, msg.p, exh_str_make(ev.p, ev.n));
        exh_buf_release(&ev);
        exh_buf_release(&msg);
    }
    analysis_release(a);
    free(a);
    exh_code_release(&c);
    return hit;
}

/* A page-named binary file (PST or DER) with a server script inside. */
static bool binary_drop(struct exh_emitter *em, const struct exh_file *f, enum exh_rule_sym rule,
                        const char *what)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "%s with a page name carries a server script", what);
    if (analyse_page(em, f, f->data, f->n, EXH_CODE_MARKUP, EXH_LANG_CSHARP, true, rule, msg))
        return true;
    struct exh_buf proj = {0};
    bool hit = false;
    for (int align = 0; align < 2 && !hit; align++) {
        exh_utf16le_ascii_projection(f->data, f->n, align, &proj);
        hit = analyse_page(em, f, (const uint8_t *)proj.p, proj.n, EXH_CODE_MARKUP, EXH_LANG_CSHARP,
                           true, rule, msg);
    }
    exh_buf_release(&proj);
    return hit;
}

static bool mem_has(const uint8_t *p, size_t n, const char *s)
{
    return exh_find_ci((const char *)p, n, s, strlen(s)) != NULL;
}

static bool mem_has_utf16(const uint8_t *p, size_t n, const char *s, struct exh_buf *tmp)
{
    exh_buf_reset(tmp);
    for (const char *c = s; *c; c++) {
        exh_buf_addc(tmp, *c);
        exh_buf_addc(tmp, '\0');
    }
    for (size_t i = 0; i + tmp->n <= n; i++) {
        const uint8_t *q = memchr(p + i, (unsigned char)tmp->p[0], n - i - tmp->n + 1);
        if (!q)
            return false;
        i = (size_t)(q - p);
        if (!memcmp(q, tmp->p, tmp->n))
            return true;
    }
    return false;
}

static void compiled(struct exh_emitter *em, const struct exh_file *f)
{
    struct exh_buf tmp = {0};
    bool jse = mem_has(f->data, f->n, "JScriptEvaluate");
    bool place = mem_has_utf16(f->data, f->n, "/aspnet_client/", &tmp) ||
                 mem_has_utf16(f->data, f->n, "/owa/auth/", &tmp) ||
                 mem_has_utf16(f->data, f->n, "http://f/", &tmp);
    bool req = mem_has(f->data, f->n, "get_Request") &&
               (mem_has(f->data, f->n, "get_Files") || mem_has(f->data, f->n, "get_Item"));
    if (jse || (place && req)) {
        exh_emit_file_simple(em, f, EXH_RULE_WS_COMPILED,
                             jse ? "Compiled page calls JScriptEvaluate (eval of request input)"
                                 : "Compiled page from a web-shell folder reads request input",
                             exh_str_make(jse ? "JScriptEvaluate" : "get_Request", jse ? 15 : 11));
    }
    exh_buf_release(&tmp);
}

void exh_det_webshell_file(struct exh_emitter *em, const struct exh_file *f)
{
    if (!f->n || f->family != EXH_FAM_NONE)
        return;
    struct exh_str name = exh_str_make(f->name, strlen(f->name));
    if (f->n > MAX_ANALYSE) {
        if (ext_in(name, markup_exts) || ext_in(name, source_exts))
            exh_emit_problem(em, f, "page larger than 8 MiB: its code was not analysed");
        return;
    }
    const uint8_t *p = f->data;
    /* compiled pages */
    if (f->n >= 2 && p[0] == 'M' && p[1] == 'Z') {
        if (exh_starts_ci(name, "App_Web_") ||
            exh_path_has_component(f->path, "Temporary ASP.NET Files"))
            compiled(em, f);
        return;
    }
    bool page = ext_in(name, markup_exts) || ext_in(name, source_exts);
    if (!page && !(looks_like_page_name(name) && f->n >= 4))
        return;
    /* ProxyShell drops: binary files with a page name */
    if (f->n >= 4 && !memcmp(p, "!BDN", 4) && looks_like_page_name(name)) {
        binary_drop(em, f, EXH_RULE_WS_PST_DROP, "Outlook PST (mailbox export)");
        return;
    }
    if (f->n >= 4 && p[0] == 0x30 && p[1] == 0x82 && looks_like_page_name(name)) {
        binary_drop(em, f, EXH_RULE_WS_DER_DROP, "DER certificate request");
        return;
    }
    if (!page)
        return;
    /* the OAB settings dump */
    struct exh_buf text = {0}; /* only UTF-16 pages are converted; others are read in place */
    struct exh_str t = exh_utf16_to_utf8(p, f->n, &text) ? exh_str_make(text.p, text.n)
                                                         : exh_str_make((const char *)p, f->n);
    struct exh_str line = EXH_STR_NULL;
    bool oab = oab_dump(t, &line);
    if (oab)
        exh_emit_file_simple(
            em, f, EXH_RULE_WS_OAB_DUMP,
            "OAB virtual directory settings saved as a page, with a script in its URL", line);
    exh_buf_release(&text);
    if (oab)
        return;
    if (exh_ends_ci(name, ".asp") || exh_ends_ci(name, ".aspx") || exh_ends_ci(name, ".asa") ||
        exh_ends_ci(name, ".cer") || exh_ends_ci(name, ".asax") || exh_ends_ci(name, ".ascx")) {
        struct exh_str inc;
        if (data_include(exh_str_make((const char *)p, f->n), &inc))
            exh_emit_file_simple(em, f, EXH_RULE_WS_INCLUDE,
                                 "Page includes a non-script file as code", inc);
    }
    bool source = ext_in(name, source_exts);
    /* a .config that IIS runs does so through asp.dll: classic ASP */
    enum exh_lang lang = exh_ends_ci(name, ".asp") || exh_ends_ci(name, ".asa") ||
                                 exh_ends_ci(name, ".vb") || exh_ends_ci(name, ".config")
                             ? EXH_LANG_VB
                             : EXH_LANG_CSHARP;
    analyse_page(em, f, p, f->n, source ? EXH_CODE_SOURCE : EXH_CODE_MARKUP, lang, false, 0, NULL);
}
