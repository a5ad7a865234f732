/* exposure.c: judge an Exchange build against the catalogue (see exposure.h).
 *
 * Whether a build has a security update U is decided as Microsoft's Health
 * Checker decides it: U shipped as one build per cumulative update (CU) still
 * serviced at the time. A build at or above the newest of those builds has U
 * (every later CU includes it); below it, the build has U only when its own
 * CU got U and its revision is at least U's build on that CU. A CU that never
 * got U (it was out of service) lacks it whatever its revision. Exchange 2019
 * and SE share 15.2, and SE includes every earlier fix, so they are one line
 * for this rule. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "exh/exposure.h"
#include "catalogue.h"
#include "exh/banned.h"

static bool same_line(const struct exh_cat_build *c, const struct exh_build *b)
{
    return c->major == b->major && c->minor == b->minor;
}

static struct exh_build to_build(const struct exh_cat_build *c)
{
    struct exh_build b = {c->major, c->minor, c->build, c->rev};
    return b;
}

static int cmp_cat(const struct exh_cat_build *c, const struct exh_build *b)
{
    struct exh_build cb = to_build(c);
    return exh_build_cmp(&cb, b);
}

const char *exh_catalogue_date(void)
{
    return exh_cat_newest;
}

size_t exh_catalogue_size(void)
{
    return exh_ncat_builds;
}

/* The fix set of an update within b's line: entries of the catalogue named
 * `label`, or the builds listed in `list` (comma-separated names or builds).
 * Returns how many; *max is the newest, *same the lowest one on b's CU. */
struct fixset {
    size_t n;
    struct exh_build max;
    bool has_same;
    struct exh_build same;
};

static void fix_add(struct fixset *fs, const struct exh_build *e, const struct exh_build *b)
{
    if (!fs->n || exh_build_cmp(e, &fs->max) > 0)
        fs->max = *e;
    if (e->build == b->build && (!fs->has_same || e->rev < fs->same.rev)) {
        fs->same = *e;
        fs->has_same = true;
    }
    fs->n++;
}

static void fixset_of(const char *list, const struct exh_build *b, struct fixset *fs)
{
    memset(fs, 0, sizeof(*fs));
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        struct exh_build fb;
        if (n && p[0] >= '0' && p[0] <= '9' && exh_build_parse(p, n, &fb)) {
            if (fb.major == b->major && fb.minor == b->minor)
                fix_add(fs, &fb, b);
        } else if (n) {
            for (size_t i = 0; i < exh_ncat_builds; i++) {
                const struct exh_cat_build *c = &exh_cat_builds[i];
                if (same_line(c, b) && strlen(c->update) == n && !memcmp(c->update, p, n)) {
                    struct exh_build cb = to_build(c);
                    fix_add(fs, &cb, b);
                }
            }
        }
        p += n;
        if (*p == ',')
            p++;
    }
}

/* 1: b has the fix; 0: it lacks it; -1: the line never got it. */
static int has_fixset(const struct exh_build *b, const struct fixset *fs)
{
    if (!fs->n)
        return -1;
    if (exh_build_cmp(b, &fs->max) >= 0)
        return 1;
    return fs->has_same && b->rev >= fs->same.rev;
}

bool exh_build_has_update(const struct exh_build *b, const char *update)
{
    if (b->major != 15 || b->minor > 2)
        return false;
    struct fixset fs;
    fixset_of(update, b, &fs);
    return has_fixset(b, &fs) == 1;
}

static const char *product_of(const struct exh_build *b)
{
    switch (b->minor) {
    case 0:
        return "Exchange Server 2013";
    case 1:
        return "Exchange Server 2016";
    default:
        return b->build >= 2562 ? "Exchange Server SE" : "Exchange Server 2019";
    }
}

/* Support life (Microsoft's lifecycle pages): the end of support, and the
 * last month of the paid Extended Security Update programme. */
static void support_of(const struct exh_build *b, int64_t now_ms, struct exh_exposure *out)
{
    const char *end = NULL, *esu = NULL;
    if (b->minor == 0)
        end = "2023-04-11";
    else if (b->minor == 1 || b->build < 2562)
        end = "2025-10-14", esu = "2026-10";
    out->support = EXH_SUPPORT_CURRENT;
    out->support_end = end;
    if (!end)
        return;
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
#ifdef _WIN32
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char today[48];
    snprintf(today, sizeof(today), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (strcmp(today, end) < 0)
        return;
    out->support = esu && strncmp(today, esu, 7) <= 0 ? EXH_SUPPORT_ESU : EXH_SUPPORT_ENDED;
}

/* Distinct security updates of b's line, with their release dates (the
 * first build's), in catalogue order. */
struct update {
    const char *name;
    const char *date;
};

static size_t line_updates(const struct exh_build *b, struct update *u, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < exh_ncat_builds; i++) {
        const struct exh_cat_build *c = &exh_cat_builds[i];
        if (!same_line(c, b) || c->kind != 's')
            continue;
        size_t k = 0;
        while (k < n && strcmp(u[k].name, c->update) != 0)
            k++;
        if (k < n) {
            if (strcmp(c->date, u[k].date) < 0)
                u[k].date = c->date;
        } else if (n < cap) {
            u[n].name = c->update;
            u[n].date = c->date;
            n++;
        }
    }
    /* oldest first (insertion sort: a few hundred at most) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(u[j - 1].date, u[j].date) > 0; j--) {
            struct update t = u[j];
            u[j] = u[j - 1];
            u[j - 1] = t;
        }
    return n;
}

static void fmt_build(char *dst, size_t cap, const struct exh_build *b)
{
    snprintf(dst, cap, "%u.%u.%u.%u", b->major, b->minor, b->build, b->rev);
}

static struct exh_exp_item *add_item(struct exh_exposure *out, enum exh_rule_sym rule)
{
    if (out->nitems >= EXH_EXP_MAX_ITEMS)
        return NULL;
    struct exh_exp_item *it = &out->items[out->nitems++];
    memset(it, 0, sizeof(*it));
    it->rule = rule;
    return it;
}

static unsigned mit_bit(const char *m, bool *bypassed)
{
    *bypassed = strstr(m, ":bypassed") != NULL;
    if (!strncmp(m, "PROXYLOGON", 10))
        return EXH_MIT_PROXYLOGON;
    if (!strncmp(m, "PROXYNOTSHELL", 13))
        return EXH_MIT_PROXYNOTSHELL;
    if (!strncmp(m, "OWA_2026", 8))
        return EXH_MIT_OWA_2026;
    return 0;
}

static int mit_index(unsigned bit)
{
    return bit == EXH_MIT_PROXYLOGON ? 0 : bit == EXH_MIT_PROXYNOTSHELL ? 1 : 2;
}

static bool affects(const char *list, const struct exh_build *b)
{
    char v[8];
    snprintf(v, sizeof(v), "15.%u", b->minor);
    size_t n = strlen(v);
    for (const char *p = list; (p = strstr(p, v)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
            return true;
    return false;
}

static void judge_fix(const struct exh_cat_fix *fx, const struct exh_build *b, const char *head,
                      const struct exh_mitigations *mit, struct exh_exposure *out)
{
    if (!affects(fx->affects, b))
        return;
    struct fixset fs;
    fixset_of(fx->fix, b, &fs);
    int has = has_fixset(b, &fs);
    if (has == 1)
        return;
    /* has < 0: a version the flaw affects that no build fixes (Exchange 2016
     * and CVE-2024-21410: the fix is a setting): it lacks the fix */
    bool bypassed = false;
    unsigned bit = mit_bit(fx->mitigation, &bypassed);
    bool blocked = mit && bit && (mit->blocks & bit);
    bool mitigated = blocked && !bypassed && !(mit->bypassable & bit);
    struct exh_exp_item *it = add_item(out, mitigated ? EXH_RULE_EXP_MITIGATED : fx->rule);
    if (!it)
        return;
    it->mitigated = mitigated;
    char fixtxt[160];
    if (has < 0) {
        snprintf(fixtxt, sizeof(fixtxt), "no build of %s has it (see what to do)", out->product);
    } else {
        it->has_fix = true;
        it->fix = fs.has_same ? fs.same : fs.max;
        char fb[48];
        fmt_build(fb, sizeof(fb), &it->fix);
        if (fs.has_same)
            snprintf(fixtxt, sizeof(fixtxt), "fixed at %s on this CU", fb);
        else
            snprintf(fixtxt, sizeof(fixtxt),
                     "its CU never got this fix: only a later CU has it (first at %s)", fb);
    }
    int w =
        snprintf(it->message, sizeof(it->message),
                 "%s, lacks %s, which fixes %s (exploited: in CISA's KEV catalogue since %s); %s",
                 head, fx->update, fx->cves, fx->kev_added, fixtxt);
    size_t used = w < 0                              ? 0
                  : (size_t)w >= sizeof(it->message) ? sizeof(it->message) - 1
                                                     : (size_t)w;
    if (blocked) {
        const char *where = mit->where[mit_index(bit)][0] ? mit->where[mit_index(bit)] : "a rule";
        if (mitigated)
            snprintf(it->message + used, sizeof(it->message) - used,
                     ". Mitigated: %s is in force against the published exploit%s", where,
                     bit == EXH_MIT_PROXYLOGON
                         ? " (CVE-2021-26855; the other three flaws need a signed-in user)"
                         : "");
        else if (bypassed)
            snprintf(it->message + used, sizeof(it->message) - used,
                     ". %s blocks ProxyNotShell's autodiscover requests, but OWASSRF "
                     "(CVE-2022-41080) reaches remote PowerShell through /owa/ past any such rule",
                     where);
        else
            snprintf(it->message + used, sizeof(it->message) - used,
                     ". %s blocks the first published request shape only: its published "
                     "bypass gets through",
                     where);
    }
}

bool exh_exposure_judge(const struct exh_build *b, const char *seen, int64_t now_ms,
                        const struct exh_mitigations *mit, struct exh_exposure *out)
{
    memset(out, 0, sizeof(*out));
    if (b->major != 15 || b->minor > 2)
        return false;
    out->product = product_of(b);
    char ev[48];
    fmt_build(ev, sizeof(ev), b);

    /* the build itself, its CU, and the newest build of its line */
    const struct exh_cat_build *exact = NULL, *cu = NULL, *cu_last = NULL, *line_last = NULL;
    const char *line_newest = ""; /* the newest release date of the line */
    for (size_t i = 0; i < exh_ncat_builds; i++) {
        const struct exh_cat_build *c = &exh_cat_builds[i];
        if (!same_line(c, b))
            continue;
        line_last = c; /* sorted by build */
        if (strcmp(c->date, line_newest) > 0)
            line_newest = c->date;
        if (c->build != b->build)
            continue;
        if (!cmp_cat(c, b))
            exact = c;
        if (c->kind == 'c' && !cu)
            cu = c;
        cu_last = c;
    }
    out->in_catalogue = exact != NULL;
    if (exact && exact->kind != 'c' && cu)
        snprintf(out->name, sizeof(out->name), "%s %s %s", out->product, cu->update, exact->update);
    else if (exact)
        snprintf(out->name, sizeof(out->name), "%s %s", out->product, exact->update);
    else if (cu)
        snprintf(out->name, sizeof(out->name), "%s %s (build not in the catalogue)", out->product,
                 cu->update);
    else
        snprintf(out->name, sizeof(out->name), "%s (build not in the catalogue)", out->product);
    if (exact)
        snprintf(out->date, sizeof(out->date), "%s", exact->date);
    support_of(b, now_ms, out);

    /* newer than the catalogue: past the line's newest build, or past the
     * newest build of a CU that was still serviced when the catalogue ends */
    out->newer =
        (line_last && cmp_cat(line_last, b) < 0) ||
        (!exact && cu_last && cmp_cat(cu_last, b) < 0 && !strcmp(cu_last->date, line_newest));

    /* the security updates of the line: which the build has, which it lacks */
    struct update ups[256];
    size_t nup = line_updates(b, ups, sizeof(ups) / sizeof(ups[0]));
    const struct update *newest_has = NULL, *newest = nup ? &ups[nup - 1] : NULL;
    bool lacks_newest = false;
    size_t used = 0;
    for (size_t i = 0; i < nup; i++) {
        struct fixset fs;
        fixset_of(ups[i].name, b, &fs);
        if (has_fixset(b, &fs) == 1 || out->newer) {
            newest_has = &ups[i];
            continue;
        }
        out->nmissing++;
        if (&ups[i] == newest)
            lacks_newest = true;
        size_t need = strlen(ups[i].name) + 1;
        if (used + need < sizeof(out->missing)) /* 256 names of at most 10 bytes fit */
            used += (size_t)snprintf(out->missing + used, sizeof(out->missing) - used, "%s%s",
                                     used ? "," : "", ups[i].name);
    }
    if (newest_has)
        snprintf(out->newest_update, sizeof(out->newest_update), "%s (%s)", newest_has->name,
                 newest_has->date);

    char head[200]; /* every message starts "The build from ExSetup.exe, 15.1.2507.16 (name)" */
    snprintf(head, sizeof(head), "The build from %s, %s (%s)", seen, ev, out->name);
    if (out->newer) {
        struct exh_exp_item *it = add_item(out, EXH_RULE_EXP_NEWER);
        if (it)
            snprintf(it->message, sizeof(it->message),
                     "%s, is newer than every %s build exhunt knows (its catalogue ends %s): "
                     "updates released since cannot be judged",
                     head, out->product, exh_cat_newest);
    } else {
        for (size_t i = 0; i < exh_ncat_fixes; i++)
            judge_fix(&exh_cat_fixes[i], b, head, mit, out);
        /* the newest security update, unless an exploited-fix item names it */
        bool named = false;
        for (size_t i = 0; lacks_newest && i < exh_ncat_fixes; i++)
            named |=
                !strcmp(exh_cat_fixes[i].fix, newest->name) && affects(exh_cat_fixes[i].affects, b);
        struct exh_exp_item *it =
            lacks_newest && !named ? add_item(out, EXH_RULE_EXP_LATEST) : NULL;
        if (it) {
            struct fixset fs;
            fixset_of(newest->name, b, &fs);
            char fb[48];
            it->has_fix = true;
            it->fix = fs.has_same ? fs.same : fs.max;
            fmt_build(fb, sizeof(fb), &it->fix);
            snprintf(it->message, sizeof(it->message),
                     "%s, lacks %s (%s), the newest security update exhunt knows for its line "
                     "(%s%s); %u security update%s missing in all",
                     head, newest->name, newest->date, fs.has_same ? "fixed at " : "first at ", fb,
                     out->nmissing, out->nmissing == 1 ? " is" : "s are");
        }
    }
    if (out->support != EXH_SUPPORT_CURRENT) {
        struct exh_exp_item *it = add_item(out, EXH_RULE_EXP_EOL);
        if (it) {
            if (out->support == EXH_SUPPORT_ESU)
                snprintf(it->message, sizeof(it->message),
                         "%s: %s left support on %s; it gets security updates only under "
                         "Microsoft's paid Extended Security Update programme (to October 2026)",
                         head, out->product, out->support_end);
            else
                snprintf(it->message, sizeof(it->message),
                         "%s: %s left support on %s%s and gets no more security updates; "
                         "flaws found since stay open",
                         head, out->product, out->support_end,
                         b->minor == 0 ? "" : " (paid extended updates ended October 2026)");
        }
    }
    return true;
}
