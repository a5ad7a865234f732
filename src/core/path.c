/* path.c: facts about paths, case-insensitive, with '/' or '\\' separators
 * (copies from Windows keep no case). */
#include <string.h>

#include "exh/core.h"
#include "exh/banned.h"

static bool is_sep(char c)
{
    return c == '/' || c == '\\';
}

/* Does path contain the components of seq ('/'-separated) consecutively? */
static const char *find_components(const char *path, const char *seq)
{
    size_t m = strlen(seq), n = strlen(path);
    for (size_t i = 0; i + m <= n; i++) {
        if (i > 0 && !is_sep(path[i - 1]))
            continue;
        size_t k = 0;
        while (k < m) {
            char a = path[i + k], b = seq[k];
            if (b == '/' ? !is_sep(a) : exh_lc((unsigned char)a) != exh_lc((unsigned char)b))
                break;
            k++;
        }
        if (k == m && (i + m == n || is_sep(path[i + m])))
            return path + i;
    }
    return NULL;
}

bool exh_path_has_component(const char *path, const char *comp)
{
    return find_components(path, comp) != NULL;
}

const char *exh_path_after(const char *path, const char *seq, size_t *len)
{
    const char *p = find_components(path, seq);
    if (!p)
        return NULL;
    p += strlen(seq);
    if (!is_sep(*p))
        return NULL;
    p++;
    size_t k = 0;
    while (p[k] && !is_sep(p[k]))
        k++;
    if (!p[k]) /* that was the file itself */
        return NULL;
    *len = k;
    return p;
}

struct exh_str exh_path_base(struct exh_str path)
{
    size_t i = path.n;
    while (i > 0 && !is_sep(path.p[i - 1]))
        i--;
    return exh_str_make(path.p + i, path.n - i);
}

const char *exh_path_parent(const char *path, size_t *len)
{
    size_t n = strlen(path);
    while (n && !is_sep(path[n - 1]))
        n--;
    if (!n) {
        *len = 0;
        return path;
    }
    size_t end = n - 1, s = end;
    while (s && !is_sep(path[s - 1]))
        s--;
    *len = end - s;
    return path + s;
}
