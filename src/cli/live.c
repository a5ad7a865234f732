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
#include "exh/os.h"
#include "exh/banned.h"

static const char *getenv_nonempty(const char *name)
{
    const char *v = exh_os_getenv(name);
    return v && *v ? v : NULL;
}

/* s with every %NAME% replaced by the environment's value (kept as it is
 * when NAME is unset). */
static char *expand_env(const char *s, size_t n)
{
    struct exh_buf b = {0};
    size_t i = 0;
    while (i < n) {
        if (s[i] == '%') {
            const char *end = memchr(s + i + 1, '%', n - i - 1);
            if (end && end > s + i + 1 && end - (s + i) < 64) {
                char name[64];
                size_t k = (size_t)(end - (s + i + 1));
                memcpy(name, s + i + 1, k);
                name[k] = '\0';
                const char *v = getenv_nonempty(name);
                if (v) {
                    exh_buf_adds(&b, v);
                    i += k + 2;
                    continue;
                }
            }
        }
        exh_buf_addc(&b, s[i]);
        i++;
    }
    return exh_buf_detach(&b);
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

/* Every value of attribute `attr` in elements named `elem` of an XML text
 * (applicationHost.config): enough XML for these attributes, which IIS
 * writes plainly (no entities in paths). */
static void xml_attrs(struct cli_live *lv, const char *x, size_t n, const char *elem,
                      const char *attr, const char *why, size_t *found)
{
    size_t en = strlen(elem), an = strlen(attr);
    for (size_t i = 0; i + en + 1 < n; i++) {
        if (x[i] != '<' || strncmp(x + i + 1, elem, en) != 0 ||
            (x[i + 1 + en] != ' ' && x[i + 1 + en] != '\t' && x[i + 1 + en] != '\r' &&
             x[i + 1 + en] != '\n'))
            continue;
        const char *end = memchr(x + i, '>', n - i);
        if (!end)
            return;
        size_t tn = (size_t)(end - (x + i));
        for (size_t k = i + 1 + en; k + an + 2 < i + tn; k++) {
            if (strncmp(x + k, attr, an) != 0 || x[k + an] != '=' || x[k + an + 1] != '"' ||
                (x[k - 1] != ' ' && x[k - 1] != '\t' && x[k - 1] != '\n' && x[k - 1] != '\r'))
                continue;
            const char *v = x + k + an + 2;
            const char *q = memchr(v, '"', (size_t)(end - v));
            if (q && q > v) {
                char *path = expand_env(v, (size_t)(q - v));
                if ((path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/')) {
                    /* a share or a device path: whoever can edit the config
                     * could make an elevated exhunt connect out (and hand
                     * over its credentials), so it is named, not opened */
                    note(lv, "not read: %s (%s in applicationHost.config: network and device "
                             "paths are not opened; scan it as a PATH if it is yours)",
                         path, why);
                    free(path);
                } else {
                    add(lv, path, why);
                }
                (*found)++;
            }
            break;
        }
        i += tn;
    }
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
        lv->exchange_from = ex ? "%ExchangeInstallPath%"
                               : "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup";
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
    size_t logs = 0, webs = 0;
    if (exh_os_map(cfg, &m, NULL) == EXH_OK) {
        xml_attrs(lv, (const char *)m.p, m.n, "logFile", "directory", "IIS log folder", &logs);
        xml_attrs(lv, (const char *)m.p, m.n, "virtualDirectory", "physicalPath", "IIS web root",
                  &webs);
        exh_os_unmap(&m);
        lv->iis_config = cfg;
    } else {
        note(lv, "not present: %s (%s)", cfg, "IIS configuration; using the default folders");
        free(cfg);
    }
    if (!logs)
        add(lv, join(sysdrive, "\\inetpub\\logs\\LogFiles"), "IIS log folder (default)");
    if (!webs)
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
