/* mitigation.c: the URL Rewrite rules and Emergency Mitigation service log
 * lines that block Exchange exploits (see mitigation.h, docs/mitigations.md).
 *
 * Rules are not compared with Microsoft's text: each enabled rule is run, the
 * way IIS URL Rewrite runs it, on the requests the exploits send and on the
 * published bypasses, with a small backtracking matcher for the ECMAScript
 * patterns the rules use (no <regex.h> on Windows). Every pattern runs under
 * a step budget and the whole file under another, so a hostile pattern or
 * 100,000 rules cannot stall the scan: what is not evaluated counts as not
 * matching, which can only make the server look more exposed, never less. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/mitigation.h"
#include "exh/core.h"
#include "exh/banned.h"

/* ---- the pattern matcher ---------------------------------------------
 * Literals, '.', escapes (\d \w \s and their negations, \b \B, \xHH, \uHHHH
 * below 128, escaped punctuation), classes with ranges, groups ((...), (?:),
 * (?<name>)), alternation, ^ $, greedy and lazy * + ? {m} {m,} {m,n} (m, n <=
 * 100), lookahead (?=) (?!). Not supported (the pattern then counts as not
 * matching): back-references, lookbehind, Unicode beyond ASCII. Parsed into
 * a tree, compiled into a program (bounded: RX_PROG instructions) and run by
 * a backtracking machine with an explicit stack and a step budget. */

enum {
    RX_NODES = 600,
    RX_CLASSES = 64,
    RX_PROG = 4096,
    RX_STACK = 4096,
    RX_NEST = 32,
    RX_LOOKNEST = 8,
    RX_MAXREP = 100,
    RX_STEPS = 20000
};

enum rx_kind {
    N_EMPTY,
    N_CHAR,
    N_ANY,
    N_CLASS,
    N_BOL,
    N_EOL,
    N_WORDB,
    N_NWORDB,
    N_CAT,
    N_ALT,
    N_REP,
    N_LOOK
};
enum rx_op {
    I_CHAR,
    I_ANY,
    I_ANYNL,
    I_CLASS,
    I_BOL,
    I_EOL,
    I_WORDB,
    I_NWORDB,
    I_SPLIT,
    I_JMP,
    I_LOOK,
    I_MATCH
};

struct rx_node {
    unsigned char kind, c, neg, greedy;
    int a, b;     /* children (N_CAT, N_ALT: both; N_REP, N_LOOK: a) */
    int min, max; /* N_REP; max < 0: unbounded */
};
struct rx_ins {
    unsigned char op, c; /* c: the byte (I_CHAR) or "negative" (I_LOOK) */
    int x, y;            /* targets, or the class (I_CLASS) */
};
struct rx_frame {
    int pc;
    size_t sp;
};
struct rx {
    struct rx_node node[RX_NODES];
    int nnode;
    unsigned char cls[RX_CLASSES][32];
    int ncls;
    struct rx_ins prog[RX_PROG];
    int nprog;
    struct rx_frame stack[RX_STACK];
    const char *p; /* the pattern being parsed */
    size_t n, i;
    int nest, looknest;
    bool bad, icase;
    long steps, budget; /* steps of this run; what the file has left */
};

static int rx_new(struct rx *r, int kind, int a, int b)
{
    if (r->nnode >= RX_NODES) {
        r->bad = true;
        return 0; /* node 0 is an N_EMPTY made first */
    }
    struct rx_node *d = &r->node[r->nnode];
    memset(d, 0, sizeof(*d));
    d->kind = (unsigned char)kind;
    d->a = a;
    d->b = b;
    d->greedy = 1;
    return r->nnode++;
}

static int rx_class_new(struct rx *r)
{
    if (r->ncls >= RX_CLASSES) {
        r->bad = true;
        return 0;
    }
    memset(r->cls[r->ncls], 0, 32);
    return r->ncls++;
}

static void cls_set(unsigned char *c, unsigned v)
{
    c[(v & 255) >> 3] |= (unsigned char)(1u << (v & 7));
}

static bool cls_has(const unsigned char *c, unsigned char v)
{
    return (c[v >> 3] >> (v & 7)) & 1;
}

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Adds \d \w \s (or their negations) to class c; false when e is none. */
static bool cls_add_escape(unsigned char *c, char e)
{
    unsigned char t[32] = {0};
    char lo = (char)exh_lc((unsigned char)e);
    if (lo != 'd' && lo != 'w' && lo != 's')
        return false;
    for (unsigned v = 0; v < 256; v++) {
        bool in = lo == 'd'   ? (v >= '0' && v <= '9')
                  : lo == 'w' ? is_word((unsigned char)v)
                              : (v == ' ' || (v >= '\t' && v <= '\r'));
        if (in)
            cls_set(t, v);
    }
    for (int k = 0; k < 32; k++)
        c[k] |= (unsigned char)(e == lo ? t[k] : ~t[k]);
    return true;
}

/* The byte a simple escape stands for (after the '\'), or -1. Advances r->i
 * past what it reads. */
static int rx_escape_char(struct rx *r)
{
    char e = r->p[r->i++];
    switch (e) {
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case 'f':
        return '\f';
    case 'v':
        return '\v';
    case '0':
        return 0;
    case 'x':
    case 'u': {
        size_t k = e == 'x' ? 2 : 4;
        if (r->n - r->i < k)
            return -1;
        int v = 0;
        for (size_t j = 0; j < k; j++) {
            int h = exh_hexval((unsigned char)r->p[r->i + j]);
            if (h < 0)
                return -1;
            v = v * 16 + h;
        }
        r->i += k;
        return v < 128 ? v : -1;
    }
    default:
        if (is_word((unsigned char)e) || (unsigned char)e >= 128)
            return -1; /* back-reference, \k, \p, ...: not supported */
        return (unsigned char)e;
    }
}

static int rx_parse_alt(struct rx *r);

static int rx_parse_class(struct rx *r)
{
    int ci = rx_class_new(r);
    unsigned char *c = r->cls[ci];
    bool neg = false;
    if (r->i < r->n && r->p[r->i] == '^') {
        neg = true;
        r->i++;
    }
    for (;;) {
        if (r->i >= r->n || r->bad) {
            r->bad = true;
            return 0;
        }
        if (r->p[r->i] == ']') {
            r->i++;
            break;
        }
        int lo;
        if (r->p[r->i] == '\\') {
            if (++r->i >= r->n) {
                r->bad = true;
                return 0;
            }
            if (cls_add_escape(c, r->p[r->i])) {
                r->i++;
                continue;
            }
            if (r->p[r->i] == 'b') {
                r->i++;
                lo = '\b';
            } else {
                lo = rx_escape_char(r);
            }
        } else {
            lo = (unsigned char)r->p[r->i++];
        }
        if (lo < 0) {
            r->bad = true;
            return 0;
        }
        int hi = lo;
        if (r->n - r->i >= 2 && r->p[r->i] == '-' && r->p[r->i + 1] != ']') {
            r->i++;
            if (r->p[r->i] == '\\') {
                if (++r->i >= r->n) {
                    r->bad = true;
                    return 0;
                }
                hi = rx_escape_char(r);
            } else {
                hi = (unsigned char)r->p[r->i++];
            }
            if (hi < lo) {
                r->bad = true;
                return 0;
            }
        }
        for (int v = lo; v <= hi; v++)
            cls_set(c, (unsigned)v);
    }
    if (r->icase) /* close the set under case first, so that [^a] misses 'A' */
        for (unsigned v = 'a'; v <= 'z'; v++)
            if (cls_has(c, (unsigned char)v) || cls_has(c, (unsigned char)(v - 32))) {
                cls_set(c, v);
                cls_set(c, v - 32);
            }
    if (neg)
        for (int k = 0; k < 32; k++)
            c[k] = (unsigned char)~c[k];
    int nd = rx_new(r, N_CLASS, 0, 0);
    r->node[nd].c = (unsigned char)ci;
    return nd;
}

static int rx_parse_atom(struct rx *r)
{
    char ch = r->p[r->i++];
    switch (ch) {
    case '(': {
        if (++r->nest > RX_NEST) {
            r->bad = true;
            return 0;
        }
        int kind = -1; /* group */
        bool neg = false;
        if (r->n - r->i >= 2 && r->p[r->i] == '?') {
            char t = r->p[r->i + 1];
            if (t == ':') {
                r->i += 2;
            } else if (t == '=' || t == '!') {
                kind = N_LOOK;
                neg = t == '!';
                r->i += 2;
                if (++r->looknest > RX_LOOKNEST)
                    r->bad = true;
            } else if (t == '<' && r->n - r->i >= 3 && r->p[r->i + 2] != '=' &&
                       r->p[r->i + 2] != '!') {
                const char *gt = memchr(r->p + r->i, '>', r->n - r->i);
                if (!gt) {
                    r->bad = true;
                    return 0;
                }
                r->i = (size_t)(gt - r->p) + 1; /* a named group */
            } else {
                r->bad = true; /* lookbehind, inline flags */
                return 0;
            }
        }
        int in = rx_parse_alt(r);
        if (r->i >= r->n || r->p[r->i] != ')') {
            r->bad = true;
            return 0;
        }
        r->i++;
        r->nest--;
        if (kind == N_LOOK) {
            r->looknest--;
            int nd = rx_new(r, N_LOOK, in, 0);
            r->node[nd].neg = neg;
            return nd;
        }
        return in;
    }
    case '[':
        return rx_parse_class(r);
    case '.':
        return rx_new(r, N_ANY, 0, 0);
    case '^':
        return rx_new(r, N_BOL, 0, 0);
    case '$':
        return rx_new(r, N_EOL, 0, 0);
    case '*':
    case '+':
    case '?':
        r->bad = true; /* nothing to repeat */
        return 0;
    case '\\': {
        if (r->i >= r->n) {
            r->bad = true;
            return 0;
        }
        char e = r->p[r->i];
        if (e == 'b' || e == 'B') {
            r->i++;
            return rx_new(r, e == 'b' ? N_WORDB : N_NWORDB, 0, 0);
        }
        unsigned char tmp[32] = {0};
        if (cls_add_escape(tmp, e)) {
            r->i++;
            int ci = rx_class_new(r);
            memcpy(r->cls[ci], tmp, 32);
            int nd = rx_new(r, N_CLASS, 0, 0);
            r->node[nd].c = (unsigned char)ci;
            return nd;
        }
        int v = rx_escape_char(r);
        if (v < 0) {
            r->bad = true;
            return 0;
        }
        int nd = rx_new(r, N_CHAR, 0, 0);
        r->node[nd].c = (unsigned char)v;
        return nd;
    }
    default: {
        int nd = rx_new(r, N_CHAR, 0, 0);
        r->node[nd].c = (unsigned char)ch;
        return nd;
    }
    }
}

/* Reads a number of at most 3 digits at r->i; -1 when there is none. */
static int rx_number(struct rx *r)
{
    int v = -1;
    size_t k = 0;
    while (r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '9' && k < 4) {
        v = (v < 0 ? 0 : v * 10) + (r->p[r->i] - '0');
        r->i++;
        k++;
    }
    return k < 4 ? v : 100000;
}

static int rx_parse_quant(struct rx *r)
{
    int atom = rx_parse_atom(r);
    if (r->bad || r->i >= r->n)
        return atom;
    int min, max;
    char q = r->p[r->i];
    size_t save = r->i;
    if (q == '*' || q == '+' || q == '?') {
        r->i++;
        min = q == '+' ? 1 : 0;
        max = q == '?' ? 1 : -1;
    } else if (q == '{') {
        r->i++;
        min = rx_number(r);
        max = min;
        if (min >= 0 && r->i < r->n && r->p[r->i] == ',') {
            r->i++;
            max = rx_number(r); /* -1: {m,} */
        }
        if (min < 0 || r->i >= r->n || r->p[r->i] != '}') {
            r->i = save; /* not a quantifier: '{' is a literal next time */
            return atom;
        }
        r->i++;
        if (min > RX_MAXREP || max > RX_MAXREP || (max >= 0 && max < min)) {
            r->bad = true;
            return atom;
        }
    } else {
        return atom;
    }
    int nd = rx_new(r, N_REP, atom, 0);
    r->node[nd].min = min;
    r->node[nd].max = max;
    if (r->i < r->n && r->p[r->i] == '?') {
        r->node[nd].greedy = 0;
        r->i++;
    }
    if (r->i < r->n && (r->p[r->i] == '*' || r->p[r->i] == '+' || r->p[r->i] == '?'))
        r->bad = true; /* a quantifier repeated */
    return nd;
}

static int rx_parse_seq(struct rx *r)
{
    int acc = -1;
    while (!r->bad && r->i < r->n && r->p[r->i] != '|' && r->p[r->i] != ')') {
        int atom = rx_parse_quant(r);
        acc = acc < 0 ? atom : rx_new(r, N_CAT, acc, atom);
    }
    return acc < 0 ? 0 : acc;
}

static int rx_parse_alt(struct rx *r)
{
    int left = rx_parse_seq(r);
    while (!r->bad && r->i < r->n && r->p[r->i] == '|') {
        r->i++;
        int right = rx_parse_seq(r);
        left = rx_new(r, N_ALT, left, right);
    }
    return left;
}

static int rx_emit(struct rx *r, int op, int c, int x, int y)
{
    if (r->nprog >= RX_PROG) {
        r->bad = true;
        return RX_PROG - 1;
    }
    struct rx_ins *in = &r->prog[r->nprog];
    in->op = (unsigned char)op;
    in->c = (unsigned char)c;
    in->x = x;
    in->y = y;
    return r->nprog++;
}

static void rx_gen(struct rx *r, int nd);

static void rx_gen_rep(struct rx *r, const struct rx_node *d)
{
    for (int k = 0; k < d->min && !r->bad; k++)
        rx_gen(r, d->a);
    if (d->max < 0) {
        int split = rx_emit(r, I_SPLIT, 0, 0, 0);
        rx_gen(r, d->a);
        rx_emit(r, I_JMP, 0, split, 0);
        if (r->bad)
            return;
        r->prog[split].x = d->greedy ? split + 1 : r->nprog;
        r->prog[split].y = d->greedy ? r->nprog : split + 1;
        return;
    }
    /* each optional copy: SPLIT (go on, or skip to the end); the SPLITs are
     * chained through y until the end is known */
    int chain = -1;
    for (int k = d->min; k < d->max && !r->bad; k++) {
        int split = rx_emit(r, I_SPLIT, 0, 0, chain);
        chain = split;
        rx_gen(r, d->a);
    }
    if (r->bad)
        return;
    int end = r->nprog;
    while (chain >= 0) {
        int prev = r->prog[chain].y;
        r->prog[chain].x = d->greedy ? chain + 1 : end;
        r->prog[chain].y = d->greedy ? end : chain + 1;
        chain = prev;
    }
}

static void rx_gen(struct rx *r, int nd)
{
    if (r->bad)
        return;
    const struct rx_node *d = &r->node[nd];
    switch (d->kind) {
    case N_EMPTY:
        break;
    case N_CHAR:
        rx_emit(r, I_CHAR, d->c, 0, 0);
        break;
    case N_ANY:
        rx_emit(r, I_ANY, 0, 0, 0);
        break;
    case N_CLASS:
        rx_emit(r, I_CLASS, 0, d->c, 0);
        break;
    case N_BOL:
        rx_emit(r, I_BOL, 0, 0, 0);
        break;
    case N_EOL:
        rx_emit(r, I_EOL, 0, 0, 0);
        break;
    case N_WORDB:
        rx_emit(r, I_WORDB, 0, 0, 0);
        break;
    case N_NWORDB:
        rx_emit(r, I_NWORDB, 0, 0, 0);
        break;
    case N_CAT:
        rx_gen(r, d->a);
        rx_gen(r, d->b);
        break;
    case N_ALT: {
        int split = rx_emit(r, I_SPLIT, 0, 0, 0);
        rx_gen(r, d->a);
        int jmp = rx_emit(r, I_JMP, 0, 0, 0);
        int second = r->nprog;
        rx_gen(r, d->b);
        if (r->bad)
            return;
        r->prog[split].x = split + 1;
        r->prog[split].y = second;
        r->prog[jmp].x = r->nprog;
        break;
    }
    case N_REP:
        rx_gen_rep(r, d);
        break;
    case N_LOOK: {
        int look = rx_emit(r, I_LOOK, d->neg, 0, 0);
        rx_gen(r, d->a);
        rx_emit(r, I_MATCH, 0, 0, 0);
        if (!r->bad)
            r->prog[look].x = r->nprog;
        break;
    }
    }
}

/* Compiles p[0..pn) for a search (a lazy any-byte loop in front). */
static bool rx_compile(struct rx *r, const char *p, size_t pn, bool icase)
{
    r->p = p;
    r->n = pn;
    r->i = 0;
    r->nest = r->looknest = 0;
    r->bad = false;
    r->icase = icase;
    r->nnode = r->ncls = r->nprog = 0;
    rx_new(r, N_EMPTY, 0, 0);
    int root = rx_parse_alt(r);
    if (r->i != r->n)
        r->bad = true; /* an unmatched ')' */
    rx_emit(r, I_SPLIT, 0, 3, 1);
    rx_emit(r, I_ANYNL, 0, 0, 0);
    rx_emit(r, I_JMP, 0, 0, 0);
    rx_gen(r, root);
    rx_emit(r, I_MATCH, 0, 0, 0);
    return !r->bad;
}

static bool rx_eq(const struct rx *r, unsigned char a, unsigned char b)
{
    return a == b || (r->icase && exh_lc(a) == exh_lc(b));
}

static bool rx_in_class(const struct rx *r, int ci, unsigned char v)
{
    const unsigned char *c = r->cls[ci];
    if (cls_has(c, v))
        return true;
    if (!r->icase)
        return false;
    unsigned char lo = exh_lc(v), up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
    return cls_has(c, lo) || cls_has(c, up);
}

/* Runs the program from pc at s[sp]: 1 on reaching I_MATCH, 0 when every
 * path fails, -1 when the step budget or the stack runs out. Lookaheads run
 * recursively on the part of the stack above base. */
static int rx_exec(struct rx *r, int pc, const unsigned char *s, size_t n, size_t sp, size_t base)
{
    size_t top = base;
    for (;;) {
        if (++r->steps > RX_STEPS || r->steps > r->budget)
            return -1;
        const struct rx_ins *in = &r->prog[pc];
        bool ok = true;
        switch (in->op) {
        case I_MATCH:
            return 1;
        case I_CHAR:
            ok = sp < n && rx_eq(r, s[sp], in->c);
            break;
        case I_ANY:
            ok = sp < n && s[sp] != '\n' && s[sp] != '\r';
            break;
        case I_ANYNL:
            ok = sp < n;
            break;
        case I_CLASS:
            ok = sp < n && rx_in_class(r, in->x, s[sp]);
            break;
        case I_BOL:
            ok = sp == 0;
            break;
        case I_EOL:
            ok = sp == n;
            break;
        case I_WORDB:
        case I_NWORDB: {
            bool a = sp > 0 && is_word(s[sp - 1]), b = sp < n && is_word(s[sp]);
            ok = (a != b) == (in->op == I_WORDB);
            break;
        }
        case I_JMP:
            pc = in->x;
            continue;
        case I_SPLIT:
            if (top >= RX_STACK)
                return -1;
            r->stack[top].pc = in->y;
            r->stack[top].sp = sp;
            top++;
            pc = in->x;
            continue;
        case I_LOOK: {
            int got = rx_exec(r, pc + 1, s, n, sp, top);
            if (got < 0)
                return -1;
            ok = (got == 1) != (in->c != 0);
            if (ok) {
                pc = in->x;
                continue;
            }
            break;
        }
        }
        if (ok) {
            if (in->op == I_CHAR || in->op == I_ANY || in->op == I_ANYNL || in->op == I_CLASS)
                sp++;
            pc++;
            continue;
        }
        if (top == base)
            return 0;
        top--;
        pc = r->stack[top].pc;
        sp = r->stack[top].sp;
    }
}

static int rx_run(struct rx *r, const char *s, size_t n)
{
    r->steps = 0;
    int got = rx_exec(r, 0, (const unsigned char *)s, n, 0, 0);
    r->budget -= r->steps;
    return got;
}

int exh_mit_regex(const char *p, size_t pn, const char *s, size_t sn, bool icase)
{
    struct rx *r = exh_xmalloc(sizeof(*r));
    r->budget = RX_STEPS;
    int got = rx_compile(r, p, pn, icase) ? rx_run(r, s, sn) : -1;
    free(r);
    return got;
}

/* IIS "Wildcard" syntax: '*' matches any run, the rest literally, over the
 * whole input. */
static bool wild_match(const char *p, size_t pn, const char *s, size_t sn, bool icase)
{
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    while (j < sn) {
        if (i < pn && p[i] != '*' &&
            (p[i] == s[j] ||
             (icase && exh_lc((unsigned char)p[i]) == exh_lc((unsigned char)s[j])))) {
            i++;
            j++;
        } else if (i < pn && p[i] == '*') {
            star = i++;
            mark = j;
        } else if (star != (size_t)-1) {
            i = star + 1;
            j = ++mark;
        } else {
            return false;
        }
    }
    while (i < pn && p[i] == '*')
        i++;
    return i == pn;
}

/* ---- the requests the exploits send ----------------------------------- */

struct mit_shape {
    unsigned kind;
    bool bypass;          /* a published bypass, not the exploit as first seen */
    const char *raw_path; /* as sent (percent-encoding kept) */
    const char *path;     /* decoded, as IIS matches it */
    const char *query;    /* after '?', as sent */
    const char *cookie;
};

/* ProxyLogon (CVE-2021-26855): the two cookie forms of the SSRF to /ecp/<x>.js.
 * ProxyNotShell (CVE-2022-41040): the autodiscover.json SSRF to PowerShell,
 * then the bypasses of the rules of 29 Sept - 3 Oct 2022: '@' sent as %40,
 * letters of "powershell" and "autodiscover.json" percent-encoded (the rules
 * matched {REQUEST_URI} as sent, before decoding), and the mixed case a
 * rule with ignoreCase="false" misses. */
static const struct mit_shape mit_shapes[] = {
    {EXH_MIT_PROXYLOGON, false, "/ecp/y.js", "/ecp/y.js", "",
     "X-AnonResource=true; X-AnonResource-Backend=localhost/ecp/default.flt?~3"},
    {EXH_MIT_PROXYLOGON, false, "/ecp/y.js", "/ecp/y.js", "",
     "X-BEResource=Administrator@EXCH01.contoso.local:444/autodiscover/"
     "autodiscover.xml?#~1942062522"},
    {EXH_MIT_PROXYNOTSHELL, false, "/autodiscover/autodiscover.json",
     "/autodiscover/autodiscover.json",
     "@evil.com/Powershell?&Email=autodiscover/autodiscover.json%3F@evil.com", ""},
    {EXH_MIT_PROXYNOTSHELL, true, "/autodiscover/autodiscover.json",
     "/autodiscover/autodiscover.json",
     "%40evil.com/Powershell?&Email=autodiscover/autodiscover.json%3F%40evil.com", ""},
    {EXH_MIT_PROXYNOTSHELL, true, "/autodiscover/autodiscover.json",
     "/autodiscover/autodiscover.json",
     "@evil.com/%50owershell?&Email=autodiscover/autodiscover%2Ejson%3F@evil.com", ""},
    {EXH_MIT_PROXYNOTSHELL, true, "/autodiscover/autodiscover.json",
     "/autodiscover/autodiscover.json",
     "@evil.com/pOwErShElL?&Email=AutoDiscover/AutoDiscover.JSON%3F@evil.com", ""},
};
#define MIT_NSHAPES (sizeof(mit_shapes) / sizeof(mit_shapes[0]))

static const unsigned mit_bits[3] = {EXH_MIT_PROXYLOGON, EXH_MIT_PROXYNOTSHELL, EXH_MIT_OWA_2026};

/* ---- XML --------------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct xtag {
    struct exh_str name; /* element name */
    const char *attrs;   /* after the name, up to '>' or "/>" */
    size_t an;
    bool close, self_close;
};

/* The next tag at or after *i (comments, <!...> and <?...?> skipped); false
 * at the end. Quotes are honoured, so a '>' inside a value does not end the
 * tag. */
static bool next_tag(const char *x, size_t n, size_t *i, struct xtag *t)
{
    while (*i < n) {
        const char *lt = memchr(x + *i, '<', n - *i);
        if (!lt)
            return false;
        size_t at = (size_t)(lt - x);
        if (n - at >= 4 && !memcmp(lt, "<!--", 4)) {
            const char *end = exh_find_ci(lt + 4, n - at - 4, "-->", 3);
            if (!end)
                return false;
            *i = (size_t)(end - x) + 3;
            continue;
        }
        size_t j = at + 1;
        char q = 0;
        while (j < n) {
            char c = x[j];
            if (q) {
                if (c == q)
                    q = 0;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '>') {
                break;
            }
            j++;
        }
        if (j >= n)
            return false; /* an unclosed tag or quote runs to the end */
        *i = j + 1;
        const char *b = lt + 1, *e = x + j;
        if (b < e && (*b == '!' || *b == '?'))
            continue;
        t->close = b < e && *b == '/';
        if (t->close)
            b++;
        t->self_close = e > b && e[-1] == '/';
        if (t->self_close)
            e--;
        const char *nm = b;
        while (b < e && !is_space(*b))
            b++;
        t->name = exh_str_make(nm, (size_t)(b - nm));
        t->attrs = b;
        t->an = (size_t)(e - b);
        return true;
    }
    return false;
}

static bool name_is(struct exh_str s, const char *lit)
{
    size_t k = strlen(lit);
    return s.n == k && !memcmp(s.p, lit, k);
}

/* The raw value of attribute attr of tag t (null slice when absent). */
static struct exh_str attr(const struct xtag *t, const char *attr)
{
    size_t an = strlen(attr), k = 0, n = t->an;
    const char *a = t->attrs;
    while (k < n) {
        while (k < n && is_space(a[k]))
            k++;
        size_t ns = k;
        while (k < n && !is_space(a[k]) && a[k] != '=')
            k++;
        size_t nn = k - ns;
        while (k < n && is_space(a[k]))
            k++;
        if (k >= n || a[k] != '=')
            return EXH_STR_NULL; /* not name="value": give up on this tag */
        k++;
        while (k < n && is_space(a[k]))
            k++;
        if (k >= n || (a[k] != '"' && a[k] != '\''))
            return EXH_STR_NULL;
        char q = a[k++];
        const char *v = a + k, *qe = memchr(v, q, n - k);
        if (!qe)
            return EXH_STR_NULL;
        if (nn == an && !memcmp(a + ns, attr, an))
            return exh_str_make(v, (size_t)(qe - v));
        k = (size_t)(qe - a) + 1;
    }
    return EXH_STR_NULL;
}

/* v with XML's entities decoded into buf (cap bytes, NUL-terminated);
 * -1 when it does not fit. */
static long xml_decode(struct exh_str v, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t k = 0; k < v.n; k++) {
        unsigned c = (unsigned char)v.p[k];
        if (c == '&') {
            const char *semi = memchr(v.p + k, ';', v.n - k < 12 ? v.n - k : 12);
            if (semi) {
                struct exh_str e = exh_str_make(v.p + k + 1, (size_t)(semi - (v.p + k + 1)));
                long d = -1;
                if (name_is(e, "lt"))
                    d = '<';
                else if (name_is(e, "gt"))
                    d = '>';
                else if (name_is(e, "amp"))
                    d = '&';
                else if (name_is(e, "quot"))
                    d = '"';
                else if (name_is(e, "apos"))
                    d = '\'';
                else if (e.n >= 2 && e.p[0] == '#') {
                    bool hex = e.p[1] == 'x' || e.p[1] == 'X';
                    d = 0;
                    for (size_t j = hex ? 2 : 1; j < e.n && d >= 0; j++) {
                        int h = hex ? exh_hexval((unsigned char)e.p[j])
                                    : (e.p[j] >= '0' && e.p[j] <= '9' ? e.p[j] - '0' : -1);
                        d = h < 0 || d > 0xffff ? -1 : d * (hex ? 16 : 10) + h;
                    }
                    if (d > 255 || d == 0)
                        d = -1; /* beyond one byte: kept as written */
                }
                if (d >= 0) {
                    c = (unsigned)d;
                    k += e.n + 1;
                }
            }
        }
        if (o + 1 >= cap)
            return -1;
        buf[o++] = (char)c;
    }
    buf[o] = '\0';
    return (long)o;
}

static bool val_is(struct exh_str v, const char *lit)
{
    return v.p && exh_eq_ci(exh_trim(v), lit);
}

/* ---- one rule ---------------------------------------------------------- */

enum { MIT_MAXCOND = 16, MIT_PATCAP = 1024, MIT_INCAP = 2048 };

struct mit_rule {
    struct exh_str name, enabled, stop, syntax;
    struct exh_str url, url_negate, url_icase; /* <match> (inbound) */
    struct exh_str server_var;                 /* <match serverVariable> (outbound) */
    struct exh_str grouping;                   /* <conditions logicalGrouping> */
    struct exh_str in[MIT_MAXCOND], pat[MIT_MAXCOND], neg[MIT_MAXCOND], icase[MIT_MAXCOND],
        mtype[MIT_MAXCOND];
    size_t ncond;
    bool too_many, has_match, outbound;
    struct exh_str act_type, act_status, act_value;
};

enum { SH_OPEN, SH_BLOCKED, SH_STOPPED };

struct mit_scan {
    const char *x, *file;
    struct rx *rx;
    size_t unevaluated;
    /* where the scan is */
    bool in_rewrite, in_rules, in_outbound, in_rule, in_conditions;
    bool loc_covers;
    struct exh_str loc_sub; /* the folder under the site a <location> names, "" for all */
    struct mit_rule rule;
    /* per request shape */
    int state[MIT_NSHAPES];
    struct exh_str by[MIT_NSHAPES]; /* the rule that blocked it */
    bool owa;
    struct exh_str owa_by;
    char pat[MIT_PATCAP], in[MIT_PATCAP], val[MIT_INCAP]; /* decoded text of the rule */
};

static bool ci_prefix(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k)
        return false;
    for (size_t j = 0; j < k; j++)
        if (exh_lc((unsigned char)s[j]) != exh_lc((unsigned char)lit[j]))
            return false;
    return true;
}

/* Which requests a <location path="..."> covers: all of them ("" or the
 * Default Web Site), those under one of Exchange's front-end folders (a
 * path like "Default Web Site/owa", or "owa" in a web.config), or none
 * (another site, such as the back end on port 444). */
static void set_location(struct mit_scan *sc, struct exh_str path)
{
    path = exh_trim(path);
    while (path.n && (path.p[0] == '/' || path.p[0] == '\\'))
        path = exh_str_make(path.p + 1, path.n - 1);
    while (path.n && (path.p[path.n - 1] == '/' || path.p[path.n - 1] == '\\'))
        path.n--;
    sc->loc_covers = true;
    sc->loc_sub = EXH_LIT("");
    if (!path.n || (path.n == 1 && path.p[0] == '.'))
        return;
    static const char site[] = "Default Web Site";
    if (ci_prefix(path.p, path.n, site) &&
        (path.n == sizeof(site) - 1 || path.p[sizeof(site) - 1] == '/')) {
        if (path.n > sizeof(site))
            sc->loc_sub = exh_str_make(path.p + sizeof(site), path.n - sizeof(site));
        return;
    }
    static const char *const vdirs[] = {
        "autodiscover", "ecp",        "owa",
        "mapi",         "ews",        "rpc",
        "oab",          "powershell", "Microsoft-Server-ActiveSync"};
    for (size_t k = 0; k < sizeof(vdirs) / sizeof(vdirs[0]); k++) {
        size_t vn = strlen(vdirs[k]);
        if (ci_prefix(path.p, path.n, vdirs[k]) && (path.n == vn || path.p[vn] == '/')) {
            sc->loc_sub = path;
            return;
        }
    }
    sc->loc_covers = false;
}

/* Does the current location cover request path (decoded, "/...")? Sets
 * *rel to the part the rule's <match url> sees (no leading '/'). */
static bool covers(const struct mit_scan *sc, const char *path, const char **rel)
{
    if (!sc->loc_covers)
        return false;
    const char *p = path + 1;
    size_t sn = sc->loc_sub.n;
    if (sn) {
        if (strlen(p) < sn)
            return false;
        for (size_t k = 0; k < sn; k++) {
            char a = sc->loc_sub.p[k] == '\\' ? '/' : sc->loc_sub.p[k];
            if (exh_lc((unsigned char)a) != exh_lc((unsigned char)p[k]))
                return false;
        }
        if (p[sn] != '/' && p[sn] != '\0')
            return false;
        p += sn + (p[sn] == '/');
    }
    *rel = p;
    return true;
}

static void add_bytes(char *buf, size_t cap, size_t *o, bool *ok, const char *s, size_t n)
{
    if (!*ok || *o + n + 1 > cap) {
        *ok = false;
        return;
    }
    memcpy(buf + *o, s, n);
    *o += n;
    buf[*o] = '\0';
}

static size_t url_decode_in_place(char *s, size_t n)
{
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '%' && k + 2 < n && exh_hexval((unsigned char)s[k + 1]) >= 0 &&
            exh_hexval((unsigned char)s[k + 2]) >= 0) {
            s[o++] = (char)(exh_hexval((unsigned char)s[k + 1]) * 16 +
                            exh_hexval((unsigned char)s[k + 2]));
            k += 2;
        } else {
            s[o++] = s[k];
        }
    }
    s[o] = '\0';
    return o;
}

/* Expands a condition's input ("{HTTP_COOKIE}", "{UrlDecode:{REQUEST_URI}}",
 * literal text around them) for shape sh into buf; false when it names a
 * variable exhunt cannot know for the request (then the rule is not
 * counted). e is decoded input text. */
static bool expand_input(const char *e, size_t en, const struct mit_shape *sh, char *buf,
                         size_t cap, size_t *out, int depth)
{
    size_t o = 0;
    bool ok = true;
    buf[0] = '\0';
    size_t k = 0;
    while (k < en && ok) {
        if (e[k] != '{') {
            add_bytes(buf, cap, &o, &ok, e + k, 1);
            k++;
            continue;
        }
        /* the matching '}' (one level of nesting for functions) */
        size_t lvl = 0, j = k;
        for (; j < en; j++) {
            if (e[j] == '{')
                lvl++;
            else if (e[j] == '}' && --lvl == 0)
                break;
        }
        if (j >= en || depth > 2)
            return false;
        const char *v = e + k + 1;
        size_t vn = j - k - 1;
        k = j + 1;
        const char *colon = memchr(v, ':', vn);
        if (colon) {
            struct exh_str fn = exh_str_make(v, (size_t)(colon - v));
            bool dec = exh_eq_ci(fn, "UrlDecode"), low = exh_eq_ci(fn, "ToLower");
            if (!dec && !low)
                return false;
            size_t sub = 0;
            if (cap - o < 2 || !expand_input(colon + 1, vn - (size_t)(colon + 1 - v), sh, buf + o,
                                             cap - o, &sub, depth + 1))
                return false;
            if (dec)
                sub = url_decode_in_place(buf + o, sub);
            else
                for (size_t q = 0; q < sub; q++)
                    buf[o + q] = (char)exh_lc((unsigned char)buf[o + q]);
            o += sub;
            continue;
        }
        struct exh_str var = exh_str_make(v, vn);
        if (exh_eq_ci(var, "REQUEST_URI") || exh_eq_ci(var, "UNENCODED_URL") ||
            exh_eq_ci(var, "HTTP_URL")) {
            add_bytes(buf, cap, &o, &ok, sh->raw_path, strlen(sh->raw_path));
            if (sh->query[0]) {
                add_bytes(buf, cap, &o, &ok, "?", 1);
                add_bytes(buf, cap, &o, &ok, sh->query, strlen(sh->query));
            }
        } else if (exh_eq_ci(var, "URL") || exh_eq_ci(var, "PATH_INFO") ||
                   exh_eq_ci(var, "SCRIPT_NAME")) {
            add_bytes(buf, cap, &o, &ok, sh->path, strlen(sh->path));
        } else if (exh_eq_ci(var, "QUERY_STRING")) {
            add_bytes(buf, cap, &o, &ok, sh->query, strlen(sh->query));
        } else if (exh_eq_ci(var, "HTTP_COOKIE")) {
            add_bytes(buf, cap, &o, &ok, sh->cookie, strlen(sh->cookie));
        } else if (exh_eq_ci(var, "HTTPS")) {
            add_bytes(buf, cap, &o, &ok, "on", 2);
        } else if (exh_eq_ci(var, "SERVER_PORT")) {
            add_bytes(buf, cap, &o, &ok, "443", 3);
        } else {
            return false;
        }
    }
    *out = o;
    return ok;
}

enum syntax { SYN_REGEX, SYN_WILD, SYN_EXACT, SYN_UNKNOWN };

static enum syntax rule_syntax(const struct mit_rule *ru)
{
    if (!ru->syntax.p || val_is(ru->syntax, "ECMAScript") ||
        val_is(ru->syntax, "Regular Expressions"))
        return SYN_REGEX;
    if (val_is(ru->syntax, "Wildcard"))
        return SYN_WILD;
    if (val_is(ru->syntax, "ExactMatch"))
        return SYN_EXACT;
    return SYN_UNKNOWN;
}

/* Evaluates one pattern (decoded into pat) of the rule on every shape's
 * input; res[s] gets 1, 0 or -1 (unknown). input(s) gives each input. */
struct pat_job {
    const char *pat;
    size_t pn;
    enum syntax syn;
    bool icase, negate;
};

static int pat_on(struct mit_scan *sc, const struct pat_job *j, bool compiled, const char *s,
                  size_t sn)
{
    int got;
    switch (j->syn) {
    case SYN_REGEX:
        got = compiled ? rx_run(sc->rx, s, sn) : -1;
        break;
    case SYN_WILD:
        got = wild_match(j->pat, j->pn, s, sn, j->icase);
        break;
    case SYN_EXACT:
        got = j->pn == sn &&
              (j->icase ? exh_find_ci(s, sn, j->pat, j->pn) == s : !memcmp(s, j->pat, sn));
        break;
    default:
        got = -1;
    }
    if (got < 0)
        return -1;
    return j->negate ? !got : got;
}

static bool truthy(struct exh_str v, bool dflt)
{
    if (!v.p)
        return dflt;
    if (val_is(v, "true"))
        return true;
    if (val_is(v, "false"))
        return false;
    return dflt;
}

static long status_code(struct exh_str v)
{
    v = exh_trim(v);
    long c = 0;
    for (size_t k = 0; k < v.n && k < 4; k++) {
        if (v.p[k] < '0' || v.p[k] > '9')
            return 0;
        c = c * 10 + (v.p[k] - '0');
    }
    return c;
}

static void finish_inbound(struct mit_scan *sc)
{
    struct mit_rule *ru = &sc->rule;
    const char *rel[MIT_NSHAPES];
    int res[MIT_NSHAPES];
    bool any = false;
    for (size_t s = 0; s < MIT_NSHAPES; s++) {
        res[s] = 0;
        if (sc->state[s] == SH_OPEN && covers(sc, mit_shapes[s].path, &rel[s])) {
            res[s] = 1;
            any = true;
        }
    }
    if (!any || !ru->has_match)
        return;
    if (ru->too_many) {
        sc->unevaluated++;
        return;
    }
    enum syntax syn = rule_syntax(ru);
    char *pat = sc->pat, *in = sc->in, *val = sc->val;
    bool noted = false;
    /* <match url> */
    {
        long pn = xml_decode(ru->url, pat, MIT_PATCAP);
        struct pat_job j = {pat, pn < 0 ? 0 : (size_t)pn, pn < 0 ? SYN_UNKNOWN : syn,
                            truthy(ru->url_icase, true), truthy(ru->url_negate, false)};
        bool compiled = j.syn == SYN_REGEX && rx_compile(sc->rx, j.pat, j.pn, j.icase);
        for (size_t s = 0; s < MIT_NSHAPES; s++) {
            if (res[s] != 1)
                continue;
            int got = pat_on(sc, &j, compiled, rel[s], strlen(rel[s]));
            if (got < 0)
                noted = true;
            res[s] = got;
        }
    }
    /* <conditions> */
    bool any_of = val_is(ru->grouping, "MatchAny");
    int cres[MIT_NSHAPES];
    for (size_t s = 0; s < MIT_NSHAPES; s++)
        cres[s] = any_of ? 0 : 1;
    for (size_t c = 0; c < ru->ncond; c++) {
        long pn = xml_decode(ru->pat[c], pat, MIT_PATCAP);
        long inn = xml_decode(ru->in[c], in, MIT_PATCAP);
        bool pattern_type =
            !ru->mtype[c].p || val_is(ru->mtype[c], "Pattern") || val_is(ru->mtype[c], "0");
        struct pat_job j = {pat, pn < 0 ? 0 : (size_t)pn,
                            (pn < 0 || inn < 0 || !pattern_type) ? SYN_UNKNOWN : syn,
                            truthy(ru->icase[c], true), truthy(ru->neg[c], false)};
        bool compiled = j.syn == SYN_REGEX && rx_compile(sc->rx, j.pat, j.pn, j.icase);
        for (size_t s = 0; s < MIT_NSHAPES; s++) {
            if (res[s] != 1)
                continue;
            size_t vn = 0;
            int got = -1;
            if (j.syn != SYN_UNKNOWN && expand_input(in, (size_t)(inn < 0 ? 0 : inn),
                                                     &mit_shapes[s], val, MIT_INCAP, &vn, 0))
                got = pat_on(sc, &j, compiled, val, vn);
            if (got < 0)
                noted = true;
            if (any_of)
                cres[s] = cres[s] == 1 || got == 1 ? 1 : (cres[s] < 0 || got < 0 ? -1 : 0);
            else
                cres[s] = cres[s] == 0 || got == 0 ? 0 : (cres[s] < 0 || got < 0 ? -1 : 1);
        }
    }
    if (noted)
        sc->unevaluated++;
    bool blocks = val_is(ru->act_type, "AbortRequest") ||
                  (val_is(ru->act_type, "CustomResponse") && status_code(ru->act_status) >= 400);
    /* Redirect and CustomResponse end the evaluation like stopProcessing; a
     * rule that would stop it but is not known to match is taken to match,
     * so that no block behind it is counted on a guess */
    bool stop = truthy(ru->stop, false) || blocks || val_is(ru->act_type, "Redirect") ||
                val_is(ru->act_type, "CustomResponse");
    for (size_t s = 0; s < MIT_NSHAPES; s++) {
        int matched = res[s] == 1 && ru->ncond ? cres[s] : res[s];
        if (matched == 1 && blocks) {
            sc->state[s] = SH_BLOCKED;
            sc->by[s] = ru->name;
        } else if (matched != 0 && stop) {
            sc->state[s] = SH_STOPPED;
        }
    }
}

/* The OWA mitigation for CVE-2026-42897: an outbound rule on OWA's
 * responses that appends "script-src-attr 'none'" to the
 * Content-Security-Policy header. */
static void finish_outbound(struct mit_scan *sc)
{
    struct mit_rule *ru = &sc->rule;
    const char *rel;
    if (sc->owa || !covers(sc, "/owa/", &rel) ||
        !val_is(ru->server_var, "RESPONSE_Content_Security_Policy") ||
        !val_is(ru->act_type, "Rewrite"))
        return;
    char *v = sc->val;
    long vn = xml_decode(ru->act_value, v, MIT_INCAP);
    if (vn > 0 && exh_find_ci(v, (size_t)vn, "script-src-attr 'none'", 22)) {
        sc->owa = true;
        sc->owa_by = ru->name;
    }
}

/* <clear/> (name null) or <remove name="..."/> in a rule collection: what
 * the rules taken away did for the requests this location covers is undone
 * (a rule that stopped the evaluation is only undone by <clear/>). */
static void forget(struct mit_scan *sc, struct exh_str name)
{
    const char *rel;
    bool by_name = name.p != NULL;
    if (sc->in_outbound) {
        if (sc->owa && covers(sc, "/owa/", &rel) &&
            (!by_name || (name.n == sc->owa_by.n && !memcmp(name.p, sc->owa_by.p, name.n))))
            sc->owa = false;
        return;
    }
    for (size_t s = 0; s < MIT_NSHAPES; s++) {
        if (sc->state[s] == SH_OPEN || !covers(sc, mit_shapes[s].path, &rel))
            continue;
        if (!by_name || (sc->state[s] == SH_BLOCKED && name.n == sc->by[s].n &&
                         !memcmp(name.p, sc->by[s].p, name.n)))
            sc->state[s] = SH_OPEN;
    }
}

static void on_tag(struct mit_scan *sc, const struct xtag *t)
{
    struct exh_str nm = t->name;
    if (name_is(nm, "location")) {
        if (t->close)
            set_location(sc, EXH_LIT(""));
        else if (!t->self_close)
            set_location(sc, attr(t, "path"));
        return;
    }
    if (name_is(nm, "rewrite")) {
        if (!t->self_close)
            sc->in_rewrite = !t->close;
        sc->in_rules = sc->in_outbound = sc->in_rule = false;
        return;
    }
    if (!sc->in_rewrite)
        return;
    if (name_is(nm, "rules") || name_is(nm, "globalRules") || name_is(nm, "outboundRules")) {
        if (!t->self_close) {
            if (name_is(nm, "outboundRules"))
                sc->in_outbound = !t->close;
            else
                sc->in_rules = !t->close;
        }
        sc->in_rule = false;
        return;
    }
    if (!sc->in_rules && !sc->in_outbound)
        return;
    if (!sc->in_rule && !t->close && (name_is(nm, "clear") || name_is(nm, "remove"))) {
        forget(sc, name_is(nm, "remove") ? attr(t, "name") : EXH_STR_NULL);
        return;
    }
    struct mit_rule *ru = &sc->rule;
    if (name_is(nm, "rule")) {
        if (t->close) {
            if (sc->in_rule && truthy(ru->enabled, true))
                (ru->outbound ? finish_outbound : finish_inbound)(sc);
            sc->in_rule = false;
        } else if (!t->self_close) {
            memset(ru, 0, sizeof(*ru));
            ru->name = attr(t, "name");
            ru->enabled = attr(t, "enabled");
            ru->stop = attr(t, "stopProcessing");
            ru->syntax = attr(t, "patternSyntax");
            ru->outbound = sc->in_outbound;
            sc->in_rule = true;
            sc->in_conditions = false;
        }
        return;
    }
    if (!sc->in_rule)
        return;
    if (name_is(nm, "match") && !t->close) {
        ru->url = attr(t, "url");
        ru->url_negate = attr(t, "negate");
        ru->url_icase = attr(t, "ignoreCase");
        ru->server_var = attr(t, "serverVariable");
        ru->has_match = ru->url.p != NULL;
    } else if (name_is(nm, "conditions")) {
        if (!t->close)
            ru->grouping = attr(t, "logicalGrouping");
        if (!t->self_close)
            sc->in_conditions = !t->close;
    } else if (name_is(nm, "add") && sc->in_conditions && !t->close) {
        if (ru->ncond == MIT_MAXCOND) {
            ru->too_many = true;
            return;
        }
        size_t c = ru->ncond++;
        ru->in[c] = attr(t, "input");
        ru->pat[c] = attr(t, "pattern");
        ru->neg[c] = attr(t, "negate");
        ru->icase[c] = attr(t, "ignoreCase");
        ru->mtype[c] = attr(t, "matchType");
    } else if (name_is(nm, "action") && !t->close) {
        ru->act_type = attr(t, "type");
        ru->act_status = attr(t, "statusCode");
        ru->act_value = attr(t, "value");
    }
}

/* "applicationHost.config: rule 'X'" with the name's odd bytes made '?'. */
static void put_where(char *dst, size_t cap, const char *file, const struct exh_str *names,
                      size_t nn)
{
    char clean[2][41] = {{0}};
    for (size_t k = 0; k < nn && k < 2; k++) {
        size_t o = 0;
        for (size_t j = 0; j < names[k].n && o + 1 < sizeof(clean[k]); j++) {
            unsigned char c = (unsigned char)names[k].p[j];
            clean[k][o++] = (char)(c >= 32 && c < 127 ? c : '?');
        }
        clean[k][o] = '\0';
    }
    if (nn >= 2)
        snprintf(dst, cap, "%.60s: rules '%.40s', '%.40s'", file, clean[0], clean[1]);
    else
        snprintf(dst, cap, "%.60s: rule '%.40s'", file, clean[0]);
}

size_t exh_mitigations_from_config(const char *x, size_t n, const char *name,
                                   struct exh_mitigations *m)
{
    struct mit_scan *sc = exh_xcalloc(1, sizeof(*sc));
    sc->rx = exh_xmalloc(sizeof(*sc->rx));
    sc->rx->budget = 20000000; /* steps for the whole file (a fraction of a second) */
    sc->x = x;
    sc->file = name ? name : "config";
    set_location(sc, EXH_LIT(""));
    size_t i = 0;
    struct xtag t;
    while (next_tag(x, n, &i, &t))
        on_tag(sc, &t);

    for (size_t b = 0; b < 2; b++) {
        unsigned bit = mit_bits[b];
        bool exploit = true, bypass = true;
        struct exh_str names[2];
        size_t nn = 0;
        for (size_t s = 0; s < MIT_NSHAPES; s++) {
            if (mit_shapes[s].kind != bit)
                continue;
            bool blocked = sc->state[s] == SH_BLOCKED;
            if (mit_shapes[s].bypass) {
                bypass = bypass && blocked;
                continue;
            }
            exploit = exploit && blocked;
            if (blocked && nn < 2 &&
                (nn == 0 || names[0].p != sc->by[s].p || names[0].n != sc->by[s].n))
                names[nn++] = sc->by[s];
        }
        if (!exploit)
            continue;
        bool had = m->blocks & bit;
        if (had && !(m->bypassable & bit))
            continue; /* already blocked for good elsewhere */
        if (had && !bypass)
            continue; /* no better than what was found before */
        m->blocks |= bit;
        if (bypass)
            m->bypassable &= ~bit;
        else
            m->bypassable |= bit;
        put_where(m->where[b], sizeof(m->where[b]), sc->file, names, nn);
    }
    if (sc->owa && !(m->blocks & EXH_MIT_OWA_2026)) {
        m->blocks |= EXH_MIT_OWA_2026;
        put_where(m->where[2], sizeof(m->where[2]), sc->file, &sc->owa_by, 1);
    }
    size_t unevaluated = sc->unevaluated;
    free(sc->rx);
    free(sc);
    return unevaluated;
}

/* ---- the Emergency Mitigation service's log ---------------------------- */

/* Is the line's word about the mitigation being taken away? */
static int line_state(const char *l, size_t n)
{
    static const char *const off[] = {"not applied", "unapplied", "remov",   "rollback",
                                      "rolled back", "revert",    "blocked", "disabl",
                                      "fail",        "error",     "unable"};
    for (size_t k = 0; k < sizeof(off) / sizeof(off[0]); k++)
        if (exh_find_ci(l, n, off[k], strlen(off[k])))
            return 0;
    return exh_find_ci(l, n, "applied", 7) ? 1 : -1;
}

void exh_mitigations_from_emlog(const char *x, size_t n, const char *name,
                                struct exh_mitigations *m)
{
    int last[3] = {-1, -1, -1};
    char id[3][16] = {{0}};
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(x + i, '\n', n - i);
        size_t ln = nl ? (size_t)(nl - (x + i)) : n - i;
        const char *l = x + i;
        i += ln + 1;
        int st = -2; /* not yet looked at */
        for (size_t k = 0; k + 1 < ln; k++) {
            if ((l[k] != 'M' && l[k] != 'm') || l[k + 1] < '1' || l[k + 1] > '9' ||
                (k > 0 && (is_word((unsigned char)l[k - 1]) || l[k - 1] == '.')))
                continue;
            size_t e = k + 1;
            while (e < ln && ((l[e] >= '0' && l[e] <= '9') ||
                              (l[e] == '.' && e + 1 < ln && l[e + 1] >= '0' && l[e + 1] <= '9')))
                e++;
            if (e < ln && is_word((unsigned char)l[e]))
                continue; /* "M1x", "m365" */
            size_t fam = 0;
            size_t major_end = k + 1;
            while (major_end < e && l[major_end] != '.')
                major_end++;
            struct exh_str major = exh_str_make(l + k + 1, major_end - (k + 1));
            if (name_is(major, "1"))
                fam = 1;
            else if (name_is(major, "2"))
                fam = 2;
            else
                continue;
            if (st == -2)
                st = line_state(l, ln);
            if (st < 0)
                continue;
            last[fam] = st;
            size_t idn = e - k < sizeof(id[fam]) ? e - k : sizeof(id[fam]) - 1;
            memcpy(id[fam], l + k, idn);
            id[fam][idn] = '\0';
            id[fam][0] = 'M';
            k = e - 1;
        }
    }
    for (size_t fam = 1; fam < 3; fam++) {
        unsigned bit = mit_bits[fam];
        if (last[fam] != 1 || (m->blocks & bit))
            continue;
        m->blocks |= bit;
        snprintf(m->where[fam], sizeof(m->where[fam]), "%.100s: %s applied",
                 name ? name : "MitigationService log", id[fam]);
    }
}
