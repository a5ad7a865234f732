/* live.c: `exhunt scan` with no PATH on Windows scans the server it runs on.
 * This file finds what to read; the OS layer supplies the environment, the
 * registry and the files. The places:
 *   - Exchange: %ExchangeInstallPath%, else the registry value
 *     HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup\MsiInstallPath;
 *   - IIS: the log folders and web roots named in applicationHost.config
 *     (logFile directory=..., virtualDirectory physicalPath=...), else the
 *     defaults under %SystemDrive%\inetpub;
 *   - event logs: %SystemRoot%\System32\winevt\Logs;
 *   - %ProgramData%, %SystemRoot%\Temp and %TEMP%.
 * Folders that do not exist are left out (and named in the notes); a folder
 * inside another is read once, as part of the outer one. The fixed places
 * come first, the folders named in applicationHost.config after them. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/core.h"
#include "exh/iisconfig.h"
#include "exh/os.h"
#include "exh/banned.h"

static const char *getenv_nonempty(const char *name)
{
    const char *v = exh_os_getenv(name);
    return v && *v ? v : NULL;
}

static char *expand_env(const char *s, size_t n)
{
    return exh_expand_env(s, n, getenv_nonempty);
}

/* Separators as '\', no trailing separator (but "C:\" stays). */
static void tidy(char *p)
{
    for (char *q = p; *q; q++)
        if (*q == '/')
            *q = '\\';
    size_t n = strlen(p);
    while (n > 3 && p[n - 1] == '\\')
        p[--n] = '\0';
}

/* a is b, or inside b (case-insensitive, as NTFS names are). */
static bool same_or_inside(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (strlen(a) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (exh_lc((unsigned char)a[i]) != exh_lc((unsigned char)b[i]))
            return false;
    return a[n] == '\0' || a[n] == '\\' || (n && b[n - 1] == '\\');
}

static void push(char ***v, size_t *n, size_t *cap, char *s)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = exh_xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = s;
}

static void note(struct cli_live *lv, const char *fmt, const char *a, const char *b)
{
    struct exh_buf m = {0};
    exh_buf_addf(&m, fmt, a, b ? b : "");
    push(&lv->notes, &lv->nnotes, &lv->capnotes, exh_buf_detach(&m));
}

/* Add a folder to read; why names it in the notes when it is missing. */
static void add(struct cli_live *lv, char *path, const char *why)
{
    tidy(path);
    if (!path[0] || !exh_os_is_dir(path)) {
        note(lv, "not present: %s (%s)", path[0] ? path : "(empty)", why);
        free(path);
        return;
    }
    for (size_t i = 0; i < lv->nroots; i++) {
        if (same_or_inside(path, lv->roots[i])) { /* already covered */
            free(path);
            return;
        }
        if (same_or_inside(lv->roots[i], path)) { /* the new one holds an old one */
            free(lv->roots[i]);
            lv->roots[i] = lv->roots[--lv->nroots];
            i--;
        }
    }
    push(&lv->roots, &lv->nroots, &lv->caproots, path);
}

static char *join(const char *a, const char *b)
{
    struct exh_buf p = {0};
    exh_buf_adds(&p, a);
    while (*b == '\\' || *b == '/')
        b++;
    if (p.n && p.p[p.n - 1] != '\\' && p.p[p.n - 1] != '/')
        exh_buf_addc(&p, '\\');
    exh_buf_adds(&p, b);
    return exh_buf_detach(&p);
}

struct iis_walk {
    struct cli_live *lv;
    size_t logs, webs;
};

/* One folder named in applicationHost.config. */
static void on_iis_path(void *ud, enum exh_iis_path kind, struct exh_str value)
{
    struct iis_walk *iw = ud;
    const char *why = kind == EXH_IIS_LOG_DIR ? "IIS log folder" : "IIS web root";
    if (kind == EXH_IIS_LOG_DIR)
        iw->logs++;
    else
        iw->webs++;
    char *path = expand_env(value.p, value.n);
    if ((path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/')) {
        /* a share or a device path: whoever can edit the config could make
         * an elevated exhunt connect out (and hand over its credentials),
         * so it is named, not opened */
        note(iw->lv,
             "not read: %s (%s in applicationHost.config: network and device "
             "paths are not opened; scan it as a PATH if it is yours)",
             path, why);
        free(path);
        return;
    }
    add(iw->lv, path, why);
}

void cli_live_find(struct cli_live *lv)
{
    memset(lv, 0, sizeof(*lv));
    const char *sysroot = getenv_nonempty("SystemRoot");
    const char *sysdrive = getenv_nonempty("SystemDrive");
    if (!sysroot)
        sysroot = "C:\\Windows";
    if (!sysdrive)
        sysdrive = "C:";

    /* Exchange */
    const char *ex = getenv_nonempty("ExchangeInstallPath");
    char *exd = ex ? exh_xstrdup(ex)
                   : exh_os_registry_hklm("SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup",
                                          "MsiInstallPath");
    if (exd) {
        tidy(exd);
        if (exh_os_is_dir(exd))
            lv->exchange = exh_xstrdup(exd);
        lv->exchange_from =
            ex ? "%ExchangeInstallPath%" : "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup";
        add(lv, exd, "Exchange install folder");
    } else {
        note(lv, "no Exchange install found: %%ExchangeInstallPath%% is not set and %s%s",
             "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup has no MsiInstallPath", NULL);
    }

    /* event logs, ProgramData, temporary folders */
    add(lv, join(sysroot, "System32\\winevt\\Logs"), "event logs");
    const char *pd = getenv_nonempty("ProgramData");
    add(lv, pd ? exh_xstrdup(pd) : join(sysdrive, "\\ProgramData"), "ProgramData");
    add(lv, join(sysroot, "Temp"), "Windows temporary folder");
    const char *tmp = getenv_nonempty("TEMP");
    if (tmp)
        add(lv, exh_xstrdup(tmp), "the user's temporary folder");

    /* IIS: log folders and web roots from applicationHost.config */
    char *cfg = join(sysroot, "System32\\inetsrv\\config\\applicationHost.config");
    struct exh_map m;
    struct iis_walk iw = {lv, 0, 0};
    if (exh_os_map(cfg, &m, NULL) == EXH_OK) {
        exh_iisconfig_paths((const char *)m.p, m.n, on_iis_path, &iw);
        exh_os_unmap(&m);
        lv->iis_config = cfg;
        /* the file itself too: its URL Rewrite rules are the server's mitigations */
        push(&lv->roots, &lv->nroots, &lv->caproots, exh_xstrdup(cfg));
    } else {
        note(lv, "not present: %s (%s)", cfg, "IIS configuration; using the default folders");
        free(cfg);
    }
    if (!iw.logs)
        add(lv, join(sysdrive, "\\inetpub\\logs\\LogFiles"), "IIS log folder (default)");
    if (!iw.webs)
        add(lv, join(sysdrive, "\\inetpub\\wwwroot"), "IIS web root (default)");
}

void cli_live_release(struct cli_live *lv)
{
    for (size_t i = 0; i < lv->nroots; i++)
        free(lv->roots[i]);
    for (size_t i = 0; i < lv->nnotes; i++)
        free(lv->notes[i]);
    free(lv->roots);
    free(lv->notes);
    free(lv->exchange);
    free(lv->iis_config);
    memset(lv, 0, sizeof(*lv));
}
