/* classify.c: decide each file's log family from its content first (so
 * renamed or moved logs are still read), then from its name and folder. */
#include <string.h>

#include "classify.h"
#include "exh/core.h"
#include "exh/evtx.h"
#include "exh/banned.h"

#define HEAD 8192

static enum exh_family from_log_type(struct exh_str v)
{
    if (exh_find_ci_lit(v, "HttpProxy"))
        return EXH_FAM_HTTPPROXY;
    if (exh_find_ci_lit(v, "OAB"))
        return EXH_FAM_OAB;
    if (exh_find_ci_lit(v, "ECP"))
        return EXH_FAM_ECP;
    if (exh_find_ci_lit(v, "Rps") || exh_find_ci_lit(v, "PowerShell"))
        return EXH_FAM_RPS;
    return EXH_FAM_EXLOG_OTHER;
}

static enum exh_family from_fields(struct exh_str v)
{
    if (exh_find_ci_lit(v, "cs-uri-stem") || exh_starts_ci(exh_trim(v), "date time"))
        return EXH_FAM_W3C;
    if (exh_find_ci_lit(v, "AnchorMailbox"))
        return EXH_FAM_HTTPPROXY;
    if (exh_find_ci_lit(v, "EventData"))
        return EXH_FAM_ECP;
    if (exh_find_ci_lit(v, "ClientInfo") && exh_find_ci_lit(v, "CommandName"))
        return EXH_FAM_RPS;
    return EXH_FAM_NONE;
}

static enum exh_family from_name(const char *path, struct exh_str name)
{
    if (exh_starts_ci(name, "HttpProxy_") || exh_path_has_component(path, "Logging/HttpProxy"))
        return EXH_FAM_HTTPPROXY;
    if (exh_starts_ci(name, "ECPServer") || exh_path_has_component(path, "Logging/ECP/Server"))
        return EXH_FAM_ECP;
    if (exh_starts_ci(name, "OABGenerator") ||
        exh_path_has_component(path, "Logging/OABGeneratorLog"))
        return EXH_FAM_OAB;
    if (exh_starts_ci(name, "Rps_Http") || exh_path_has_component(path, "Powershell-Proxy/Http"))
        return EXH_FAM_RPS;
    if (exh_starts_ci(name, "u_ex") && exh_ends_ci(name, ".log"))
        return EXH_FAM_W3C;
    return EXH_FAM_NONE;
}

void exh_classify(const char *path, const char *name, const uint8_t *p, size_t n,
                  struct exh_class *out)
{
    memset(out, 0, sizeof(*out));
    struct exh_str nm = exh_str_make(name, strlen(name));
    enum exh_family by_name = from_name(path, nm);
    out->expect_log = by_name != EXH_FAM_NONE ||
                      (exh_path_has_component(path, "Logging") && exh_ends_ci(nm, ".log")) ||
                      (exh_path_has_component(path, "LogFiles") && exh_ends_ci(nm, ".log"));
    size_t h = n < HEAD ? n : HEAD;
    if (h == 0)
        return;
    if (exh_evtx_sniff(p, n)) {
        out->family = EXH_FAM_EVTX;
        return;
    }
    /* a NUL in the head is binary data; a log with a junk line in it is still
     * a log when its header lines say so, so the content test goes first */
    out->binary = memchr(p, 0, h) != NULL;
    size_t start = (h >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
    enum exh_family fam = EXH_FAM_NONE;
    bool exchange = false, iis = false;
    struct exh_lines it;
    exh_lines_init(&it, p, h, start, 1);
    struct exh_str line;
    int k = 0;
    while (k++ < 32 && exh_lines_next(&it, &line, NULL)) {
        if (exh_starts_ci(line, "#Log-type:")) {
            fam = from_log_type(exh_str_make(line.p + 10, line.n - 10));
            break;
        }
        if (exh_starts_ci(line, "#Software:")) {
            exchange |= exh_find_ci_lit(line, "Exchange") != NULL;
            iis |= exh_find_ci_lit(line, "Internet Information Services") != NULL;
            continue;
        }
        if (exh_starts_ci(line, "#Fields:")) {
            enum exh_family f2 = from_fields(exh_str_make(line.p + 8, line.n - 8));
            if (f2 != EXH_FAM_NONE) {
                fam = f2;
                break;
            }
            continue;
        }
        if (k == 1 && line.n && line.p[0] != '#') {
            enum exh_family f2 = from_fields(line);
            if (f2 != EXH_FAM_NONE && f2 != EXH_FAM_W3C) {
                fam = f2;
                break;
            }
        }
    }
    if (fam == EXH_FAM_NONE && iis)
        fam = EXH_FAM_W3C;
    if (fam == EXH_FAM_NONE && !out->binary)
        fam = by_name;
    if (fam == EXH_FAM_NONE && exchange)
        fam = EXH_FAM_EXLOG_OTHER;
    out->family = fam;
}
