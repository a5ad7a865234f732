/* iisconfig.c: the log folders and web roots of applicationHost.config
 * (see iisconfig.h). Enough XML for these attributes: elements found by
 * name, attributes by name inside the element's tag, comments skipped. */
#include <string.h>

#include "exh/iisconfig.h"
#include "exh/banned.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value of attribute attr inside the tag t[0..tn) (after the element
 * name), or a null slice. */
static struct exh_str attr_value(const char *t, size_t tn, const char *attr)
{
    size_t an = strlen(attr);
    for (size_t k = 1; k + an + 2 <= tn; k++) {
        if (!is_space(t[k - 1]) || memcmp(t + k, attr, an) != 0 || t[k + an] != '=' ||
            t[k + an + 1] != '"')
            continue;
        const char *v = t + k + an + 2;
        const char *q = memchr(v, '"', tn - (k + an + 2));
        return q ? exh_str_make(v, (size_t)(q - v)) : EXH_STR_NULL;
    }
    return EXH_STR_NULL;
}

size_t exh_iisconfig_paths(const char *x, size_t n,
                           void (*fn)(void *ud, enum exh_iis_path kind, struct exh_str value),
                           void *ud)
{
    static const struct {
        const char *elem, *attr;
        enum exh_iis_path kind;
    } want[] = {{"logFile", "directory", EXH_IIS_LOG_DIR},
                {"virtualDirectory", "physicalPath", EXH_IIS_WEB_ROOT}};
    size_t calls = 0, i = 0;
    while (i < n) {
        const char *lt = memchr(x + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - x);
        if (n - i >= 4 && !memcmp(x + i, "<!--", 4)) {
            const char *end = exh_find_ci(x + i + 4, n - i - 4, "-->", 3);
            if (!end)
                break; /* an unclosed comment runs to the end */
            i = (size_t)(end - x) + 3;
            continue;
        }
        const char *gt = memchr(x + i, '>', n - i);
        if (!gt)
            break;
        size_t tn = (size_t)(gt - (x + i)); /* the tag without its '>' */
        for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
            size_t en = strlen(want[w].elem);
            if (tn > en + 1 && !memcmp(x + i + 1, want[w].elem, en) && is_space(x[i + 1 + en])) {
                struct exh_str v = attr_value(x + i + 1 + en, tn - 1 - en, want[w].attr);
                if (v.n) {
                    fn(ud, want[w].kind, v);
                    calls++;
                }
            }
        }
        i += tn + 1;
    }
    return calls;
}

char *exh_expand_env(const char *s, size_t n, const char *(*get)(const char *name))
{
    struct exh_buf b = {0};
    exh_buf_reserve(&b, n);
    b.p[0] = '\0'; /* a string even when s is empty */
    size_t i = 0;
    while (i < n) {
        if (s[i] == '%') {
            const char *end = memchr(s + i + 1, '%', n - i - 1);
            size_t k = end ? (size_t)(end - (s + i + 1)) : 0;
            if (k > 0 && k < 64) {
                char name[64];
                memcpy(name, s + i + 1, k);
                name[k] = '\0';
                const char *v = memchr(name, '\0', k) ? NULL : get(name);
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
