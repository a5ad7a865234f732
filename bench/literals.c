/* literals.c: print the literals exhunt's pre-filter selects log lines with
 * (one per line, each once), so that the benchmark can give grep-class tools
 * the same search. Built and run by `make bench`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/scan.h"

struct seen {
    const char **v;
    size_t n, cap;
};

static void one(void *ud, int family, const char *lit)
{
    struct seen *s = ud;
    (void)family;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], lit))
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
        if (!s->v)
            abort();
    }
    s->v[s->n++] = lit;
    puts(lit);
}

int main(void)
{
    struct exh_scan_opts o;
    exh_scan_opts_init(&o);
    struct seen s = {0};
    exh_scan_literals(&o, one, &s);
    free(s.v);
    return 0;
}
