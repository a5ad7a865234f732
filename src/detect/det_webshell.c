/* det_webshell.c: web shells by what their server-side code does.
 *
 * The page's server regions are tokenised (src/read/code.c); this file
 * follows request input through assignments (a light taint analysis) into
 * sinks: script evaluation, assembly loading or compiling, process start,
 * file writes with a request-chosen path, and sockets to request-chosen
 * hosts. Decoding (base64, char codes, XOR) and obfuscation (_0x string
 * tables, Chr() chains, the script encoder) are evidence too, as are password
 * gates in front of a sink. Sanitising calls (Path.GetFileName, int.Parse,
 * Guid.NewGuid, HtmlEncode, ...) stop the taint, which keeps ordinary pages
 * that read Request and write files quiet.
 *
 * File-level drops are here as well: the OAB settings dump (CVE-2021-27065),
 * PST and DER files with server script (ProxyShell), and compiled shells in
 * Temporary ASP.NET Files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors.h"
#include "exh/code.h"
#include "exh/banned.h"

#define MAX_ANALYSE (8u << 20) /* larger pages are not analysed */
#define MAX_TAINT 256
#define MAX_EVIDENCE 4

enum {
    T_REQ = 1,    /* holds request input */
    T_DEC = 2,    /* holds decoded data */
    T_SHELL = 4,  /* a WScript.Shell-like object */
    T_WRITER = 8, /* an ADODB.Stream / FileSystemObject */
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
    TQ__COUNT
};

static const char *const tq_names[TQ__COUNT] = {
    "request input run as code", "assembly loaded or compiled from input",
    "process started with request input", "request-chosen file write",
    "decoded data run as code", "obfuscated code", "socket to a request-chosen host",
    "password gate"};

struct evidence {
    enum technique tq;
    uint32_t off; /* in c->text */
};

struct analysis {
    const struct exh_code *c;
    struct {
        char name[48];
        unsigned flags;
    } taint[MAX_TAINT];
    size_t ntaint;
    unsigned found; /* bit per technique */
    struct evidence ev[MAX_EVIDENCE];
    size_t nev;
    bool has_process_type, has_socket_type, shell_object;
    bool proc_cfg_tainted;
    uint32_t proc_cfg_off;
    int obf_names;
};

/* ------------------------------------------------------------ helpers -- */

static bool is_ident(const struct analysis *a, size_t i, const char *name)
{
    return exh_tok_is(a->c, i, name);
}

static bool is_punct(const struct analysis *a, size_t i, char p)
{
    return exh_tok_punct(a->c, i, p);
}

static void lower_name(const struct exh_code *c, size_t i, char out[48])
{
    struct exh_str s = exh_tok_text(c, &c->t[i]);
    size_t n = s.n < 47 ? s.n : 47;
    for (size_t k = 0; k < n; k++)
        out[k] = (char)exh_lc((unsigned char)s.p[k]);
    out[n] = '\0';
}

static unsigned taint_of(const struct analysis *a, size_t i)
{
    if (a->c->t[i].kind != EXH_TOK_IDENT)
        return 0;
    char nm[48];
    lower_name(a->c, i, nm);
    for (size_t k = 0; k < a->ntaint; k++)
        if (!strcmp(a->taint[k].name, nm))
            return a->taint[k].flags;
    return 0;
}

static void set_taint(struct analysis *a, size_t i, unsigned flags)
{
    if (!flags || a->c->t[i].kind != EXH_TOK_IDENT)
        return;
    char nm[48];
    lower_name(a->c, i, nm);
    /* never taint the language's own words */
    static const char *const keep[] = {"var", "dim", "set", "string", "object", "byte", "new",
                                       "this", "me", "request", "response", "server", NULL};
    for (int k = 0; keep[k]; k++)
        if (!strcmp(nm, keep[k]))
            return;
    for (size_t k = 0; k < a->ntaint; k++)
        if (!strcmp(a->taint[k].name, nm)) {
            a->taint[k].flags |= flags;
            return;
        }
    if (a->ntaint < MAX_TAINT) {
        memcpy(a->taint[a->ntaint].name, nm, sizeof(nm));
        a->taint[a->ntaint].flags = flags;
        a->ntaint++;
    }
}

static void found(struct analysis *a, enum technique tq, size_t tok)
{
    if (!(a->found & (1u << tq)) && a->nev < MAX_EVIDENCE) {
        a->ev[a->nev].tq = tq;
        a->ev[a->nev].off = a->c->t[tok].off;
        a->nev++;
    }
    a->found |= 1u << tq;
}

/* Index of the ')' matching the '(' at i, or e when unbalanced. */
static size_t match_paren(const struct analysis *a, size_t i, size_t e)
{
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

static bool receiver_is(const struct analysis *a, size_t i, const char *const *names);

/* Calls that clean what they are given: their arguments carry no taint. */
static bool sanitizer(const struct analysis *a, size_t i)
{
    static const char *const names[] = {
        "getfilename", "getfilenamewithoutextension", "getextension", "newguid", "htmlencode",
        "urlencode", "htmlattributeencode", "toint32", "toint64", "toint16", "todecimal",
        "todouble", "toboolean", "cint", "clng", "cdbl", "cbool", "cdate", "csng", "isnumeric",
        "isnullorempty", "isnullorwhitespace", "count", "length", "equals", "startswith",
        "endswith", "contains", "compare", NULL};
    /* Parse/TryParse clean only into numbers and the like: IPAddress.Parse does not */
    static const char *const numeric[] = {"int", "int32", "int64", "int16", "long", "short",
                                          "uint", "uint32", "double", "decimal", "float",
                                          "single", "bool", "boolean", "datetime", "guid",
                                          "byte", "timespan", "integer", NULL};
    for (int k = 0; names[k]; k++)
        if (is_ident(a, i, names[k]))
            return true;
    return (is_ident(a, i, "parse") || is_ident(a, i, "tryparse")) && receiver_is(a, i, numeric);
}

/* Request facts that are not attacker-chosen content: the size, the method,
 * the URL the server mapped, and an upload's file name or count. Looked at
 * as the member right after Request (or after Request.Files[...]). */
static bool weak_request(const struct analysis *a, size_t i, size_t e)
{
    /* Url, RawUrl and Path are client-chosen text: they are input */
    static const char *const weak[] = {"contentlength", "totalbytes", "httpmethod",
                                       "requesttype", "isauthenticated", "issecureconnection",
                                       "applicationpath", "physicalapplicationpath",
                                       "userhostaddress", "browser", "islocal", NULL};
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
    for (int w = 0; weak[w]; w++)
        if (is_ident(a, k, weak[w]))
            return true;
    return false;
}

/* Request input in tokens [s, e): bit T_REQ; decoded data: T_DEC. The
 * file name of an upload (Request.Files[..].FileName) does not count: it is
 * how every upload form names files. */
static unsigned range_taint(const struct analysis *a, size_t s, size_t e)
{
    unsigned t = 0;
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
        if (tok->kind != EXH_TOK_IDENT)
            continue;
        if (sanitizer(a, i) && is_punct(a, i + 1, '(')) {
            i = match_paren(a, i + 1, e);
            continue;
        }
        if (is_ident(a, i, "request")) {
            if (!weak_request(a, i, e))
                t |= T_REQ;
            continue;
        }
        if (is_ident(a, i, "frombase64string") || is_ident(a, i, "fromcharcode") ||
            is_ident(a, i, "unescape") || is_ident(a, i, "decode"))
            t |= T_DEC;
        t |= taint_of(a, i) & (T_REQ | T_DEC);
    }
    /* an XOR over tainted data decodes it */
    if (t & (T_REQ | T_DEC))
        for (size_t i = s; i < e; i++)
            if (is_punct(a, i, '^') || is_ident(a, i, "xor"))
                t |= T_DEC;
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

/* ------------------------------------------------------- statements -- */

/* Assignments and loop variables carry taint from right to left. */
static void assign(struct analysis *a, size_t s, size_t e)
{
    /* foreach (x in <expr>) / For Each x In <expr> */
    for (size_t i = s + 1; i < e; i++)
        if (is_ident(a, i, "in")) {
            size_t v = i - 1;
            if (a->c->t[v].kind == EXH_TOK_IDENT)
                set_taint(a, v, range_taint(a, i + 1, e));
            break;
        }
    for (size_t i = s + 1; i < e; i++) {
        if (!is_punct(a, i, '='))
            continue;
        if (is_punct(a, i + 1, '=') || is_punct(a, i + 1, '>') || is_punct(a, i - 1, '=') ||
            is_punct(a, i - 1, '!') || is_punct(a, i - 1, '<') || is_punct(a, i - 1, '>'))
            continue;
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
        unsigned t = range_taint(a, rs, re);
        /* COM objects created here */
        for (size_t k = rs; k < re; k++)
            if (a->c->t[k].kind == EXH_TOK_STRING) {
                struct exh_str v = exh_tok_string(a->c, &a->c->t[k]);
                if (exh_find_ci_lit(v, "wscript.shell") || exh_find_ci_lit(v, "shell.application"))
                    t |= T_SHELL;
                if (exh_find_ci_lit(v, "adodb.stream") || exh_find_ci_lit(v, "filesystemobject"))
                    t |= T_WRITER;
            }
        /* the target: the identifier just before '=' (or before a compound
         * operator, VB's "As Type" or JScript's ": Type"), and its object */
        size_t l = i - 1;
        if (l > s && a->c->t[l].kind == EXH_TOK_PUNCT && strchr("+-*/|&^%", a->c->t[l].punct))
            l--;
        for (size_t k = s; k + 1 < i; k++)
            if (((is_ident(a, k, "as") && a->c->t[k].lang == EXH_LANG_VB) ||
                 (is_punct(a, k, ':') && a->c->t[k].lang == EXH_LANG_JSCRIPT)) &&
                k > s && a->c->t[k - 1].kind == EXH_TOK_IDENT) {
                l = k - 1;
                break;
            }
        if (a->c->t[l].kind == EXH_TOK_IDENT) {
            set_taint(a, l, t);
            if ((t & T_REQ) && (is_ident(a, l, "arguments") || is_ident(a, l, "filename")) &&
                !a->proc_cfg_tainted) {
                a->proc_cfg_tainted = true;
                a->proc_cfg_off = a->c->t[l].off;
            }
            size_t b = l;
            while (b >= s + 2 && is_punct(a, b - 1, '.') && a->c->t[b - 2].kind == EXH_TOK_IDENT)
                b -= 2;
            if (b != l)
                set_taint(a, b, t & (T_REQ | T_DEC));
        }
        i = re;
    }
}

/* Data moved between objects by calls: src.CopyTo(dst), src.Read(buf, ...),
 * dst.Write(src...), Array.Copy(src, dst), Buffer.BlockCopy(src, o, dst, ...). */
static void transfers(struct analysis *a, size_t s, size_t e)
{
    for (size_t i = s + 2; i < e; i++) {
        if (a->c->t[i].kind != EXH_TOK_IDENT || !is_punct(a, i + 1, '(') || !is_punct(a, i - 1, '.'))
            continue;
        size_t recv = i - 2, ae = match_paren(a, i + 1, e);
        if (a->c->t[recv].kind != EXH_TOK_IDENT)
            continue;
        /* the receiver's whole chain: context.Request.InputStream.CopyTo(ms) */
        size_t cs = recv;
        while (cs >= s + 2 && is_punct(a, cs - 1, '.') && a->c->t[cs - 2].kind == EXH_TOK_IDENT)
            cs -= 2;
        unsigned rt = range_taint(a, cs, recv + 1) & (T_REQ | T_DEC);
        if (is_ident(a, i, "copyto") || is_ident(a, i, "read") || is_ident(a, i, "readbytes")) {
            for (size_t k = i + 2; k < ae && rt; k++)
                if (a->c->t[k].kind == EXH_TOK_IDENT) {
                    set_taint(a, k, rt);
                    break; /* the destination is the first argument */
                }
        } else if (is_ident(a, i, "write") || is_ident(a, i, "writebyte")) {
            set_taint(a, recv, range_taint(a, i + 2, ae) & (T_REQ | T_DEC));
        } else if ((is_ident(a, i, "copy") && is_ident(a, recv, "array")) ||
                   (is_ident(a, i, "blockcopy") && is_ident(a, recv, "buffer"))) {
            /* the destination: the 2nd argument of Array.Copy, the 3rd of BlockCopy */
            int want = is_ident(a, i, "copy") ? 1 : 2, arg = 0, depth = 0;
            unsigned st = 0;
            for (size_t k = i + 2; k < ae; k++) {
                if (is_punct(a, k, '(') || is_punct(a, k, '['))
                    depth++;
                else if (is_punct(a, k, ')') || is_punct(a, k, ']'))
                    depth--;
                else if (depth == 0 && is_punct(a, k, ','))
                    arg++;
                else if (arg == 0)
                    st |= range_taint(a, k, k + 1);
                else if (arg == want && a->c->t[k].kind == EXH_TOK_IDENT) {
                    set_taint(a, k, st & (T_REQ | T_DEC));
                    break;
                }
            }
        }
    }
}

/* Has the callee at i a receiver named like one of names? (x.Load) */
static bool receiver_is(const struct analysis *a, size_t i, const char *const *names)
{
    if (i < 2 || !is_punct(a, i - 1, '.'))
        return false;
    for (int k = 0; names[k]; k++)
        if (is_ident(a, i - 2, names[k]))
            return true;
    return false;
}

/* Is the type name at i the object of "new" (new System.IO.FileStream)? */
static bool after_new(const struct analysis *a, size_t i)
{
    while (i >= 2 && is_punct(a, i - 1, '.') && a->c->t[i - 2].kind == EXH_TOK_IDENT)
        i -= 2;
    return i > 0 && is_ident(a, i - 1, "new");
}

/* A call (name followed by '(') anywhere in [s, e)? */
static bool has_call(const struct analysis *a, size_t s, size_t e)
{
    for (size_t i = s; i + 1 < e; i++)
        if (a->c->t[i].kind == EXH_TOK_IDENT && is_punct(a, i + 1, '('))
            return true;
    return false;
}

static void sinks(struct analysis *a, size_t s, size_t e)
{
    static const char *const asm_recv[] = {"assembly", "appdomain", "currentdomain", "domain",
                                           NULL};
    static const char *const file_recv[] = {"file", "io", NULL};
    static const char *const no_eval_recv[] = {"databinder", "container", "page", "this", NULL};
    for (size_t i = s; i < e; i++) {
        const struct exh_tok *t = &a->c->t[i];
        if (t->kind != EXH_TOK_IDENT)
            continue;
        bool call = is_punct(a, i + 1, '(');
        size_t as = i + 1, ae = call ? match_paren(a, i + 1, e) : e;
        bool vb = t->lang == EXH_LANG_VB;
        bool bare = !is_punct(a, i - (i > 0 ? 1 : 0), '.') || i == 0;

        /* script evaluation */
        if ((is_ident(a, i, "eval") && !receiver_is(a, i, no_eval_recv)) ||
            (bare && vb && (is_ident(a, i, "execute") || is_ident(a, i, "executeglobal"))) ||
            is_ident(a, i, "jscriptevaluate") || is_ident(a, i, "executestatement") ||
            (is_ident(a, i, "addcode") && !bare)) {
            if (!call && !vb)
                continue;
            unsigned tt = range_taint(a, as, ae);
            if (tt & T_REQ)
                found(a, TQ_EVAL, i);
            if (tt & T_DEC)
                found(a, TQ_DECODE, i);
            if (!(tt & (T_REQ | T_DEC)) && !only_literal(a, as, ae) &&
                (a->obf_names >= 3 ||
                 (t->lang != EXH_LANG_CSHARP && has_call(a, as, ae))))
                found(a, TQ_OBFUSCATED, i); /* code computed at run time, then run */
            continue;
        }
        /* assemblies and compilers */
        if ((is_ident(a, i, "load") && receiver_is(a, i, asm_recv)) || is_ident(a, i, "loadfrom") ||
            is_ident(a, i, "unsafeloadfrom") || is_ident(a, i, "compileassemblyfromsource") ||
            is_ident(a, i, "compileassemblyfromfile")) {
            if (!call)
                continue;
            unsigned tt = range_taint(a, as, ae);
            if (tt & T_REQ)
                found(a, TQ_LOAD, i);
            if (tt & T_DEC)
                found(a, TQ_DECODE, i);
            continue;
        }
        /* processes */
        if ((is_ident(a, i, "start") && receiver_is(a, i, (const char *const[]){"process", NULL})) ||
            (is_ident(a, i, "processstartinfo") && call)) {
            a->has_process_type = true;
            if (call && (range_taint(a, as, ae) & T_REQ))
                found(a, TQ_PROCESS, i);
            continue;
        }
        if ((is_ident(a, i, "exec") || is_ident(a, i, "run") || is_ident(a, i, "shellexecute")) &&
            i >= 2 && is_punct(a, i - 1, '.') &&
            ((taint_of(a, i - 2) & T_SHELL) || is_punct(a, i - 2, ')'))) {
            if (range_taint(a, as, ae) & T_REQ)
                found(a, TQ_PROCESS, i);
            continue;
        }
        /* file writes with a request-chosen path (the first argument) */
        bool writer = is_ident(a, i, "saveas") || is_ident(a, i, "savetofile") ||
                      is_ident(a, i, "createtextfile") || is_ident(a, i, "opentextfile") ||
                      ((is_ident(a, i, "writeallbytes") || is_ident(a, i, "writealltext") ||
                        is_ident(a, i, "appendalltext") || is_ident(a, i, "writealllines") ||
                        is_ident(a, i, "create") || is_ident(a, i, "copy") || is_ident(a, i, "move")) &&
                       receiver_is(a, i, file_recv)) ||
                      ((is_ident(a, i, "streamwriter") || is_ident(a, i, "filestream")) &&
                       after_new(a, i));
        if (writer) {
            size_t fa = as, fe = ae;
            if (call) { /* first argument only */
                fa = as + 1;
                int depth = 0;
                for (fe = fa; fe < ae; fe++) {
                    if (is_punct(a, fe, '(') || is_punct(a, fe, '['))
                        depth++;
                    else if (is_punct(a, fe, ')') || is_punct(a, fe, ']'))
                        depth--;
                    else if (depth == 0 && is_punct(a, fe, ','))
                        break;
                }
            }
            if (range_taint(a, fa, fe) & T_REQ)
                found(a, TQ_WRITE, i);
            continue;
        }
        if (is_ident(a, i, "process") || is_ident(a, i, "startinfo"))
            a->has_process_type = true;
        /* sockets to request-chosen endpoints */
        if (is_ident(a, i, "socket") || is_ident(a, i, "tcpclient"))
            a->has_socket_type = true;
        if ((is_ident(a, i, "connect") || is_ident(a, i, "beginconnect") ||
             is_ident(a, i, "connectasync") || (is_ident(a, i, "tcpclient") && i > 0 &&
                                                is_ident(a, i - 1, "new"))) &&
            call && (range_taint(a, as, ae) & T_REQ))
            found(a, TQ_TUNNEL, i);
    }
}

/* if (<request input or a hash of it> == "<secret>") */
static void gates(struct analysis *a, size_t s, size_t e)
{
    if (!is_ident(a, s, "if") && !is_ident(a, s, "elseif"))
        return;
    bool cmp = false, secret = false, input = false;
    for (size_t i = s; i < e; i++) {
        if ((is_punct(a, i, '=') && (is_punct(a, i + 1, '=') || a->c->t[i].lang == EXH_LANG_VB)) ||
            (is_punct(a, i, '!') && is_punct(a, i + 1, '=')) || is_ident(a, i, "equals") ||
            is_ident(a, i, "compare"))
            cmp = true;
        if (a->c->t[i].kind == EXH_TOK_STRING) {
            struct exh_str v = exh_tok_string(a->c, &a->c->t[i]);
            if (v.n >= 6 && !exh_eq_ci(v, "sha256") && !exh_eq_ci(v, "sha512"))
                secret = true;
        }
        if (is_ident(a, i, "computehash") || is_ident(a, i, "hashpasswordforstoringinconfigfile") ||
            is_ident(a, i, "request") || (taint_of(a, i) & T_REQ))
            input = true;
    }
    if (cmp && secret && input)
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
        if (t->kind != EXH_TOK_IDENT)
            continue;
        struct exh_str s = exh_tok_text(c, t);
        if (s.n >= 6 && s.p[0] == '_' && s.p[1] == '0' && (s.p[2] | 0x20) == 'x') {
            bool hex = true;
            for (size_t k = 3; k < s.n; k++)
                hex &= (s.p[k] >= '0' && s.p[k] <= '9') || ((s.p[k] | 0x20) >= 'a' && (s.p[k] | 0x20) <= 'f');
            a->obf_names += hex;
        }
        if (exh_eq_ci(s, "chr") || exh_eq_ci(s, "chrw") || exh_eq_ci(s, "chrb"))
            chr_run++;
        if (exh_eq_ci(s, "fromcharcode")) {
            size_t e = match_paren(a, i + 1, c->n);
            int nums = 0;
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

/* Run the analysis over a parsed page. */
static void analyse(struct analysis *a, const struct exh_code *c)
{
    memset(a, 0, sizeof(*a));
    a->c = c;
    if (!c->n)
        return;
    obfuscation(a);
    /* twice, so that a variable assigned after its first use in a loop or a
     * later function still carries its taint */
    for (int pass = 0; pass < 2; pass++) {
        size_t s = 0;
        for (size_t i = 0; i <= c->n; i++) {
            if (i == c->n || c->t[i].kind == EXH_TOK_END) {
                if (i > s) {
                    assign(a, s, i);
                    transfers(a, s, i);
                    if (pass == 1) {
                        sinks(a, s, i);
                        gates(a, s, i);
                    }
                }
                s = i + 1;
            }
        }
    }
    if (a->proc_cfg_tainted && a->has_process_type && !(a->found & (1u << TQ_PROCESS))) {
        a->found |= 1u << TQ_PROCESS;
        if (a->nev < MAX_EVIDENCE) {
            a->ev[a->nev].tq = TQ_PROCESS;
            a->ev[a->nev].off = a->proc_cfg_off;
            a->nev++;
        }
    }
    if (c->text.n && exh_find_ci(c->text.p, c->text.n, "#@~^", 4) && c->regions)
        found(a, TQ_OBFUSCATED, 0);
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
    else if (f & (1u << TQ_PROCESS))
        *rule = EXH_RULE_WS_PROCESS;
    else if (f & (1u << TQ_DECODE))
        *rule = EXH_RULE_WS_DECODE;
    else if (f & (1u << TQ_TUNNEL))
        *rule = EXH_RULE_WS_TUNNEL;
    else if (f & (1u << TQ_WRITE))
        *rule = EXH_RULE_WS_WRITE;
    else if (f & (1u << TQ_OBFUSCATED))
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

static const char *const markup_exts[] = {".aspx", ".ascx", ".asp", ".asa", ".master", ".config",
                                          ".cshtml", ".vbhtml", ".aspx.req", NULL};
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
        if (exh_eq_ci(key, "OfflineAddressBooks") || exh_eq_ci(key, "InternalAuthenticationMethods") ||
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

/* Analyse one buffer as a page; emit the strongest finding. */
static bool analyse_page(struct exh_emitter *em, const struct exh_file *f, const uint8_t *p,
                         size_t n, enum exh_code_mode mode, enum exh_lang lang, bool only_if_exec,
                         enum exh_rule_sym force_rule, const char *force_msg)
{
    struct exh_code c;
    exh_code_init(&c);
    exh_code_parse(&c, p, n, mode, lang);
    if (c.truncated)
        exh_emit_problem(em, f, "page holds more than a million tokens: only the start was analysed");
    struct analysis *a = exh_xcalloc(1, sizeof(*a));
    analyse(a, &c);
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
    bool req = mem_has(f->data, f->n, "get_Request") && (mem_has(f->data, f->n, "get_Files") ||
                                                         mem_has(f->data, f->n, "get_Item"));
    if (jse || (place && req)) {
        exh_emit_file_simple(em, f, EXH_RULE_WS_COMPILED,
                jse ? "Compiled page calls JScriptEvaluate (eval of request input)"
                    : "Compiled page from a web-shell folder reads request input",
                exh_str_make(jse ? "JScriptEvaluate" : "get_Request", jse ? 15 : 11));
    }
    exh_buf_release(&tmp);
}

void exh_ws_file(struct exh_emitter *em, const struct exh_file *f)
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
        exh_emit_file_simple(em, f, EXH_RULE_WS_OAB_DUMP,
                "OAB virtual directory settings saved as a page, with a script in its URL", line);
    exh_buf_release(&text);
    if (oab)
        return;
    bool source = ext_in(name, source_exts);
    enum exh_lang lang = exh_ends_ci(name, ".asp") || exh_ends_ci(name, ".asa") || exh_ends_ci(name, ".vb")
                             ? EXH_LANG_VB
                             : EXH_LANG_CSHARP;
    analyse_page(em, f, p, f->n, source ? EXH_CODE_SOURCE : EXH_CODE_MARKUP, lang, false, 0, NULL);
}
