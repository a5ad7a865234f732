/* det_location.c: where a file is can be evidence by itself: pages in
 * aspnet_client (which IIS creates with empty folders), extra files in
 * ecp/auth (Exchange ships one page there), published web-shell names in the
 * folders shells were written to, and IIS virtual directories that serve
 * ProgramData or Users folders (ProxyShell). */
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "ioc.h"
#include "exh/banned.h"

static const char *const page_exts[] = {".aspx", ".ashx",   ".asmx", ".asax",   ".ascx", ".asp",
                                        ".asa",  ".cshtml", ".svc",  ".config", NULL};

static bool has_ext(struct exh_str name, const char *const *exts)
{
    for (int i = 0; exts[i]; i++)
        if (exh_ends_ci(name, exts[i]))
            return true;
    return false;
}

/* The folders the 2021 shells were written to. */
static bool shell_folder(const char *path)
{
    return exh_path_has_component(path, "aspnet_client") ||
           exh_path_has_component(path, "HttpProxy/owa/auth") ||
           exh_path_has_component(path, "HttpProxy/ecp/auth") ||
           exh_path_has_component(path, "HttpProxy/OAB") ||
           exh_path_has_component(path, "HttpProxy/ews") ||
           exh_path_has_component(path, "ClientAccess/Owa/auth") ||
           exh_path_has_component(path, "ClientAccess/ecp/auth");
}

/* physicalPath="..." values under ProgramData or Users. */
static void iis_config(struct exh_emitter *em, const struct exh_file *f)
{
    const char *s = (const char *)f->data;
    size_t n = f->n, from = 0;
    while (from < n) {
        const char *p = exh_find_ci(s + from, n - from, "physicalPath", 12);
        if (!p)
            break;
        size_t i = (size_t)(p - s) + 12;
        while (i < n && (s[i] == ' ' || s[i] == '='))
            i++;
        char q = i < n ? s[i] : 0;
        if (q != '"' && q != '\'') {
            from = i;
            continue;
        }
        size_t j = i + 1;
        while (j < n && s[j] != q && s[j] != '\n' && j - i < 1024)
            j++;
        struct exh_str v = exh_str_make(s + i + 1, j - i - 1);
        if (exh_find_ci_lit(v, "\\ProgramData\\") || exh_find_ci_lit(v, "%ProgramData%") ||
            exh_find_ci_lit(v, "\\Users\\") || exh_find_ci_lit(v, "%UserProfile%") ||
            exh_find_ci_lit(v, "%Public%"))
            exh_emit_file_simple(em, f, EXH_RULE_LOC_IIS_VDIR,
                                 "IIS serves a folder under ProgramData or Users", v);
        from = j;
    }
}

void exh_det_locations_file(struct exh_emitter *em, const struct exh_file *f)
{
    struct exh_str name = exh_str_make(f->name, strlen(f->name));
    if (f->family != EXH_FAM_NONE)
        return;
    if (exh_eq_ci(name, "applicationHost.config")) {
        iis_config(em, f);
        return;
    }
    const char *path = f->rel[0] ? f->rel : f->path;
    bool folder = shell_folder(f->path);
    if (folder) {
        for (size_t i = 0; i < exh_nioc_names; i++)
            if (exh_eq_ci(name, exh_ioc_names[i].path)) {
                char msg[200];
                snprintf(msg, sizeof(msg),
                         "A published web-shell name (%s) in a folder shells were "
                         "written to",
                         exh_ioc_names[i].source);
                exh_emit_file_simple(em, f, EXH_RULE_LOC_KNOWN_PATH, msg,
                                     exh_str_make(path, strlen(path)));
                break;
            }
    }
    if (exh_path_has_component(f->path, "aspnet_client")) {
        bool page = has_ext(name, page_exts);
        exh_emit_file_simple(em, f,
                             page ? EXH_RULE_LOC_ASPNET_CLIENT : EXH_RULE_LOC_ASPNET_CLIENT_OTHER,
                             page ? "A server page in aspnet_client" : "A file in aspnet_client",
                             exh_str_make(path, strlen(path)));
    } else if (exh_path_has_component(f->path, "HttpProxy/ecp/auth") &&
               !exh_eq_ci(name, "TimeoutLogoff.aspx")) {
        exh_emit_file_simple(em, f, EXH_RULE_LOC_ECP_AUTH,
                             "A file in ecp/auth besides TimeoutLogoff.aspx",
                             exh_str_make(path, strlen(path)));
    }
}
