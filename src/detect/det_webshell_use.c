/* det_webshell_use.c: web shells in use, as IIS W3C logs and the same
 * columns of HttpProxy logs show them: shell commands in the query of an
 * answered request, and answered requests to published shell names in the
 * folders the 2021 shells were written to. Requests to pages are also noted
 * for the judge, which matches them with shells found on disk (EXH-WSU-003,
 * emitted by src/detect/emit.c). */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "ioc.h"
#include "request.h"
#include "exh/banned.h"

const char *const exh_det_webshell_use_needles[] = {
    "whoami",     "cmd+/c",    "cmd%20/c",       "cmd.exe",  "certutil",   "nltest",  "net+user",
    "net%20user", "net+group", "net+localgroup", "ipconfig", "systeminfo", "comsvcs", "procdump",
    "echo+[s]",   "%26echo",   "tasklist",       "rundll32", ".aspx",      ".ashx",   ".asmx",
    ".asp ",      ".asp,",     ".asp?",          NULL};

static const char *const commands[] = {
    "whoami",   "cmd /c",   "cmd.exe",   "powershell -",   "powershell.exe", "certutil",
    "nltest",   "net user", "net group", "net localgroup", "ipconfig",       "systeminfo",
    "tasklist", "comsvcs",  "procdump",  "echo [s]",       "&echo ",         "rundll32",
    NULL};

/* word in s standing alone: after '=', a space, '&', ';', '|', '(' or a quote,
 * and followed by the end, a space, an argument separator or ".exe". */
static const char *command_word(struct exh_str s, const char *word)
{
    size_t m = strlen(word), from = 0;
    while (from < s.n) {
        const char *p = exh_find_ci(s.p + from, s.n - from, word, m);
        if (!p)
            return NULL;
        size_t at = (size_t)(p - s.p), end = at + m;
        char before = at ? s.p[at - 1] : '=';
        char next = end < s.n ? s.p[end] : ' ';
        bool left = strchr("= &;|(\"'`/\\", before) != NULL;
        bool right = strchr(" &;|)\"'`/\\", next) != NULL || end == s.n ||
                     (next == '.' && exh_starts_ci(exh_str_make(s.p + end, s.n - end), ".exe"));
        if (left && right)
            return p;
        from = at + 1;
    }
    return NULL;
}

/* The first of commands in the query of an answered request, as a word
 * (*cmd: which); NULL if none. */
static const char *command(const struct exh_req *q, const char **cmd)
{
    static _Atomic(struct exh_matcher *) quick_commands;
    if (!q->query.n || q->status < 200 || q->status >= 300 ||
        !exh_may_have(&quick_commands, commands, q->query))
        return NULL;
    for (int i = 0; commands[i]; i++) {
        const char *p = command_word(q->query, commands[i]);
        if (p) {
            *cmd = commands[i];
            return p;
        }
    }
    return NULL;
}

bool exh_req_is_command(const struct exh_req *q)
{
    const char *cmd;
    return command(q, &cmd) != NULL;
}

/* A page in a folder the 2021 shells were written to, with a published name,
 * or at a published path. */
static bool known_shell_request(struct exh_emitter *em, struct exh_str stem)
{
    static const char *const roots[] = {"inetpub/wwwroot", "frontend/httpproxy", NULL};
    struct exh_buf *p = exh_emit_scratch(em, 1);
    for (int i = 0; roots[i]; i++) {
        exh_buf_reset(p);
        exh_buf_adds(p, roots[i]);
        exh_buf_add(p, stem.p, stem.n);
        if (exh_iocset_path(exh_emit_iocs(em), p->p))
            return true;
    }
    static const char *const folders[] = {"/aspnet_client/", "/owa/auth/", "/ecp/auth/",
                                          "/oab/",           "/ews/",      NULL};
    bool folder = false;
    for (int i = 0; folders[i]; i++)
        folder |= exh_starts_ci(stem, folders[i]);
    if (!folder)
        return false;
    struct exh_str b = exh_path_base(stem);
    for (size_t i = 0; i < exh_nioc_names; i++)
        if (exh_eq_ci(b, exh_ioc_names[i].path))
            return true;
    return false;
}

void exh_det_webshell_use_line(struct exh_emitter *em, const struct exh_logrec *rec)
{
    struct exh_req q;
    if (!exh_req_read(em, rec, &q))
        return;
    /* every request: its client, and pages for the judge */
    exh_note_client(em, rec);
    if (exh_served_page(q.stem))
        exh_note_request(em, rec, q.stem, q.status);
    if (exh_req_claimed_before(&q, EXH_REQ_COMMAND))
        return;
    const char *cmd = NULL, *p = command(&q, &cmd);
    if (p) {
        char what[160];
        snprintf(what, sizeof(what), "Query carries the shell command '%s'", cmd);
        size_t off = (size_t)(p - q.query.p), len = q.query.n - off < 120 ? q.query.n - off : 120;
        exh_req_emit(em, &q, EXH_RULE_WSU_COMMAND, what, exh_str_make(p, len));
        return;
    }
    /* a published shell name in a shell folder, answered 2xx */
    if (q.status >= 200 && q.status < 300 && known_shell_request(em, q.stem))
        exh_req_emit(em, &q, EXH_RULE_WSU_KNOWN, "Successful request to a published web-shell name",
                     EXH_STR_NULL);
}
