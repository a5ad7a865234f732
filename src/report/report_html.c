/* report_html.c: one self-contained HTML page for people: the verdict, a
 * timeline picture (inline SVG, one row per actor, the log coverage under
 * it), the findings grouped by actor and by file with repeats folded, the
 * errors and the rules. Nothing on the page loads anything: a
 * Content-Security-Policy forbids every load and allows only the page's own
 * style and script, by hash. Every byte of evidence is escaped
 * (exh_html_escaped) and only ever written as element content. The work is
 * done in summary(), which sees the whole result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/report.h"
#include "exh/hash.h"
#include "exh/timeutil.h"
#include "exh/exposure.h"
#include "util.h"
#include "exh/banned.h"

/* actor rows of the timeline (and groups of findings) besides those that
 * reached exploitation or beyond, which get one up to ROWS_HARD rows */
#define ROWS_MAX 30
#define ROWS_HARD 300
/* entries printed per group (after folding repeats); the rest are counted */
#define ITEMS_MAX 100
#define EVIDENCE_MAX 1000

/* the picture's geometry, in SVG user units */
#define SVG_W 1100
#define SVG_L 230  /* left column: row labels */
#define SVG_PW 820 /* plot width */
#define SVG_ROW 20

static const char css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1160px;padding:1em;"
    "color:#1d1d1f;background:#fff}"
    "h1{margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #ccc}"
    "code,.mono{font-family:ui-monospace,Consolas,monospace;font-size:13px;"
    "overflow-wrap:anywhere;white-space:pre-wrap}"
    "#verdict{padding:.6em 1em;border-radius:6px;color:#fff}"
    "#verdict p{margin:.2em 0}"
    ".v-clean{background:#1e7b34}.v-incomplete{background:#6b6b6b}"
    ".v-exposed{background:#a86b00}.v-targeted{background:#c4520a}"
    ".v-compromised{background:#b00020}"
    "table{border-collapse:collapse}td,th{padding:2px 10px 2px 0;text-align:left;"
    "vertical-align:top}td{overflow-wrap:anywhere}"
    ".x{color:#b00020;background:#fde7ea;border-radius:2px}"
    ".sev{display:inline-block;min-width:4.5em;font-weight:bold}"
    ".c-critical{color:#8b0000}.c-high{color:#c00}.c-medium{color:#a86b00}"
    ".c-low{color:#1f6fa8}.c-info{color:#666}"
    ".grp{border:1px solid #ddd;border-radius:6px;margin:.6em 0;padding:.3em .8em}"
    ".grp>summary{cursor:pointer;font-weight:bold}"
    ".f{border-top:1px solid #eee;padding:.4em 0}"
    ".f dl{display:grid;grid-template-columns:6em 1fr;margin:.2em 0;gap:0 .6em}"
    ".f dt{color:#666}.f dd{margin:0}"
    ".more{color:#555;font-style:italic}"
    ".why p{margin:.2em 0 .2em 1em}"
    "#filters{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;"
    "padding:.3em 0;z-index:1}"
    "#filters fieldset{display:inline-block;border:0;margin:0 1em 0 0;padding:0}"
    "#filters legend{float:left;font-weight:bold;margin-right:.5em}"
    "svg{display:block;max-width:100%;height:auto}"
    "svg text{font:11px system-ui,sans-serif;fill:#333}"
    ".ax{stroke:#999}.grid{stroke:#eee}.cov{fill:#7fa7c9}"
    ".sw{display:inline-block;width:.9em;height:.9em;margin:0 .2em 0 .8em;"
    "vertical-align:middle}"
    ".k-noise{fill:#9e9e9e;background:#9e9e9e}.k-exposure{fill:#5b6ee1;background:#5b6ee1}"
    ".k-attempt{fill:#e0a000;background:#e0a000}"
    ".k-exploitation{fill:#e8590c;background:#e8590c}"
    ".k-backdoor{fill:#c00;background:#c00}"
    ".k-post-exploitation{fill:#6a0572;background:#6a0572}"
    ".hide-s-info .s-info,.hide-s-low .s-low,.hide-s-medium .s-medium,"
    ".hide-s-high .s-high,.hide-s-critical .s-critical,.hide-g-noise .g-noise,"
    ".hide-g-exposure .g-exposure,.hide-g-attempt .g-attempt,"
    ".hide-g-exploitation .g-exploitation,.hide-g-backdoor .g-backdoor,"
    ".hide-g-post-exploitation .g-post-exploitation{display:none}"
    "@media print{#filters{display:none}body{max-width:none;font-size:11px}"
    "#verdict{color:#000;border:3px solid #000}.f{break-inside:avoid}"
    "h2{break-after:avoid}.grp{break-inside:auto}#timeline{break-inside:avoid}}";

/* unhides the filters; a checkbox toggles hide-<key> on the body; printing
 * opens every collapsed group */
static const char js[] =
    "\"use strict\";(function(){var f=document.getElementById(\"filters\");if(!f)return;"
    "f.hidden=false;f.addEventListener(\"change\",function(e){"
    "var k=e.target.getAttribute(\"data-k\");"
    "if(k)document.body.classList.toggle(\"hide-\"+k,!e.target.checked);});"
    "window.addEventListener(\"beforeprint\",function(){"
    "var d=document.querySelectorAll(\"details\");"
    "for(var i=0;i<d.length;i++)d[i].open=true;});})();";

static void esc(FILE *o, const char *s, size_t max)
{
    if (s)
        exh_html_escaped(o, s, strlen(s), max, true);
}

/* the same without markup: in <title> and SVG text */
static void esc_plain(FILE *o, const char *s, size_t max)
{
    if (s)
        exh_html_escaped(o, s, strlen(s), max, false);
}

/* "2021-03-03 02:11:41Z" */
static void when(FILE *o, int64_t ms)
{
    char t[32];
    exh_time_format(ms, t);
    t[10] = ' ';
    t[19] = 'Z';
    t[20] = '\0';
    fputs(t, o);
}

static void span(FILE *o, bool has, int64_t a, int64_t b)
{
    if (!has)
        return;
    when(o, a);
    if (b != a) {
        fputs(" .. ", o);
        when(o, b);
    }
}

static const char *verdict_class(enum exh_verdict v)
{
    static const char *const c[] = {"v-clean", "v-incomplete", "v-exposed", "v-targeted",
                                    "v-compromised"};
    return c[v];
}

/* ---- rows: one per actor shown, then the rest of the addresses, then the
 * findings without a source ---- */

struct rows {
    size_t n;
    int *of_actor;      /* row of each actor, or the "more" row */
    size_t *actor;      /* actor of each actor row */
    size_t nactor_rows; /* rows 0..nactor_rows-1 are actors */
    int more, nosource; /* row numbers, -1 when absent */
    size_t more_actors; /* addresses in the "more" row */
    bool more_attempts; /* all of them attempt-only */
};

static void rows_build(struct rows *rw, const struct exh_result *res)
{
    const struct exh_summary *s = &res->sum;
    memset(rw, 0, sizeof(*rw));
    rw->more = rw->nosource = -1;
    size_t na = s->nactors;
    rw->of_actor = exh_xcalloc(na ? na : 1, sizeof(*rw->of_actor));
    rw->actor = exh_xmalloc((na ? na : 1) * sizeof(*rw->actor));
    for (size_t i = 0; i < na; i++)
        rw->actor[i] = i;
    exh_report_sort_actors(s, rw->actor, na);
    size_t k = 0;
    while (k < na && (k < ROWS_MAX ||
                      (k < ROWS_HARD && s->actors[rw->actor[k]].stage >= EXH_STAGE_EXPLOITATION))) {
        rw->of_actor[rw->actor[k]] = (int)k;
        k++;
    }
    rw->nactor_rows = rw->n = k;
    if (k < na) {
        rw->more = (int)rw->n++;
        rw->more_actors = na - k;
        rw->more_attempts = true;
        for (; k < na; k++) {
            rw->of_actor[rw->actor[k]] = rw->more;
            rw->more_attempts &= s->actors[rw->actor[k]].stage == EXH_STAGE_ATTEMPT;
        }
    }
    for (size_t i = 0; i < res->nfindings; i++)
        if (res->findings[i].actor < 0 || (size_t)res->findings[i].actor >= na) {
            rw->nosource = (int)rw->n++;
            break;
        }
}

static int row_of(const struct rows *rw, const struct exh_finding *f, size_t nactors)
{
    if (f->actor < 0 || (size_t)f->actor >= nactors)
        return rw->nosource;
    return rw->of_actor[f->actor];
}

static void rows_release(struct rows *rw)
{
    free(rw->of_actor);
    free(rw->actor);
}

/* Findings by row, then (without a source) file, then time (untimed last),
 * then as in res. */
static const struct exh_result *order_res;
static const struct rows *order_rows;

static int cmp_row_time(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const struct exh_finding *x = &order_res->findings[i], *y = &order_res->findings[j];
    int rx = row_of(order_rows, x, order_res->sum.nactors);
    int ry = row_of(order_rows, y, order_res->sum.nactors);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    int c = rx == order_rows->nosource ? strcmp(x->path, y->path) : 0;
    if (c) /* findings without a source: by file */
        return c;
    if (x->has_ts != y->has_ts)
        return x->has_ts ? -1 : 1;
    if (x->has_ts && x->ts_ms != y->ts_ms)
        return x->ts_ms < y->ts_ms ? -1 : 1;
    return i < j ? -1 : i > j;
}

static void row_label(FILE *o, const struct exh_result *res, const struct rows *rw, int row)
{
    if (row == rw->more)
        fprintf(o, "%zu more %saddresses", rw->more_actors,
                rw->more_attempts ? "attempt-only " : "");
    else if (row == rw->nosource)
        fputs("files, build, no source", o);
    else
        esc_plain(o, res->sum.actors[rw->actor[row]].ip, 40);
}

/* ---- the timeline picture ---- */

struct scale {
    int64_t t0, t1;
};

/* The axis never reaches outside 1970..2100: a file's time can be anything
 * (touch -d @9000000000000000), and a span of centuries would overflow and
 * draw a tick per minute for ever. Marks outside are drawn at the edge. */
#define AXIS_MIN_MS INT64_C(0)
#define AXIS_MAX_MS INT64_C(4102444800000) /* 2100-01-01 */
#define AXIS_TICKS_MAX 50

static int64_t axis_clamp(int64_t t)
{
    return t < AXIS_MIN_MS ? AXIS_MIN_MS : t > AXIS_MAX_MS ? AXIS_MAX_MS : t;
}

/* x of time t, kept within a few pixels of the plot (so it converts to int) */
static double xpos(const struct scale *sc, int64_t t)
{
    double x = SVG_L + ((double)t - (double)sc->t0) * SVG_PW / ((double)sc->t1 - (double)sc->t0);
    return x < SVG_L - 2 ? SVG_L - 2 : x > SVG_L + SVG_PW + 2 ? SVG_L + SVG_PW + 2 : x;
}

static void axis(FILE *o, const struct scale *sc, int top, int bottom)
{
    static const int64_t steps[] = {60000,       300000,       900000,     3600000,    3 * 3600000,
                                    6 * 3600000, 12 * 3600000, 86400000,   172800000,  604800000,
                                    1209600000,  2592000000,   7776000000, 31536000000};
    /* t0 and t1 are within 1970..2100 less and plus a margin: no overflow */
    int64_t span_ms = sc->t1 - sc->t0, step = steps[0];
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        step = steps[i];
        if (span_ms / step <= 10)
            break;
    }
    if (span_ms / step > 10) /* decades (a file's time can be anything) */
        step *= span_ms / step / 10 + 1;
    int64_t t = sc->t0 - (sc->t0 % step + step) % step + step;
    for (int n = 0; t < sc->t1 && n < AXIS_TICKS_MAX; t += step, n++) {
        double x = xpos(sc, t);
        char s[32];
        exh_time_format(t, s);
        fprintf(o, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, top, x,
                bottom);
        if (step >= 86400000)
            s[10] = '\0';
        else {
            s[10] = ' ';
            s[16] = '\0';
        }
        fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, bottom + 13,
                step >= 86400000 ? s : s + 5);
    }
    fprintf(o, "<line class=\"ax\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", SVG_L, bottom,
            SVG_L + SVG_PW, bottom);
}

static void widen(struct scale *sc, bool *any, int64_t a, int64_t b)
{
    a = axis_clamp(a);
    b = axis_clamp(b);
    if (!*any || a < sc->t0)
        sc->t0 = a;
    if (!*any || b > sc->t1)
        sc->t1 = b;
    *any = true;
}

static void timeline(FILE *o, const struct exh_result *res, const struct rows *rw)
{
    const struct exh_summary *s = &res->sum;
    /* the time the logs cover and the actors' findings; findings without
     * a source (files' times can be years off) only when there is nothing
     * else: marks outside are drawn at the edge and counted */
    struct scale sc = {0, 0};
    bool any = false;
    for (int pass = 0; pass < 2 && !any; pass++)
        for (size_t i = 0; i < res->nfindings; i++) {
            const struct exh_finding *f = &res->findings[i];
            if (!f->has_ts || (!pass && row_of(rw, f, s->nactors) == rw->nosource))
                continue;
            widen(&sc, &any, f->ts_ms, f->ts_ms);
        }
    for (size_t i = 0; i < s->ncoverage; i++)
        if (s->coverage[i].has_time)
            widen(&sc, &any, s->coverage[i].first_ms, s->coverage[i].last_ms);
    fputs("<h2 id=\"timeline\">Timeline</h2>\n", o);
    if (!any) {
        fputs("<p>Neither the findings nor the logs have times: no timeline.</p>\n", o);
        return;
    }
    int64_t pad = (sc.t1 - sc.t0) / 50;
    if (pad < 60000)
        pad = 60000;
    sc.t0 -= pad;
    sc.t1 += pad;
    int rows_h = (int)rw->n * SVG_ROW;
    int cov_top = rows_h + 60;
    int height = cov_top + (int)(s->ncoverage ? s->ncoverage : 1) * SVG_ROW + 30;
    fprintf(o,
            "<svg id=\"timeline-svg\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"findings over time, "
            "one row per source address, and the time each log family covers\">\n",
            SVG_W, height, SVG_W, height);
    /* rows: labels and marks, one per pixel column and stage */
    size_t nrows = rw->n ? rw->n : 1;
    unsigned char *px = exh_xcalloc(nrows * SVG_PW, 1);
    size_t *before = exh_xcalloc(nrows, sizeof(*before)),
           *after = exh_xcalloc(nrows, sizeof(*after));
    for (size_t i = 0; i < res->nfindings; i++) {
        const struct exh_finding *f = &res->findings[i];
        int row = row_of(rw, f, s->nactors);
        if (!f->has_ts || row < 0)
            continue;
        int x = (int)(xpos(&sc, f->ts_ms) - SVG_L);
        before[row] += x < 0;
        after[row] += x >= SVG_PW;
        x = x < 0 ? 0 : x >= SVG_PW ? SVG_PW - 1 : x;
        px[(size_t)row * SVG_PW + (size_t)x] |= (unsigned char)(1u << f->rule->stage);
    }
    for (size_t row = 0; row < rw->n; row++) {
        int y = (int)row * SVG_ROW;
        fputs("<g><title>", o);
        row_label(o, res, rw, (int)row);
        if ((int)row < (int)rw->nactor_rows) {
            const struct exh_actor *a = &s->actors[rw->actor[row]];
            fprintf(o, ": %llu finding%s, reached %s", (unsigned long long)a->findings,
                    a->findings == 1 ? "" : "s", exh_stage_name(a->stage));
        }
        fprintf(o, "</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_L - 8, y + 14);
        row_label(o, res, rw, (int)row);
        fputs("</text>", o);
        fprintf(o, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", SVG_L,
                y + SVG_ROW, SVG_L + SVG_PW, y + SVG_ROW);
        for (int x = 0; x < SVG_PW; x++) {
            unsigned m = px[row * SVG_PW + (size_t)x];
            for (int st = 0; m && st < EXH_STAGE__COUNT; st++)
                if (m & (1u << st))
                    fprintf(o,
                            "<rect class=\"m k-%s g-%s\" x=\"%d\" y=\"%d\" width=\"3\" "
                            "height=\"%d\"/>",
                            exh_stage_name((enum exh_stage)st), exh_stage_name((enum exh_stage)st),
                            SVG_L + x - 1, y + 3 + st, SVG_ROW - 8);
        }
        if (before[row])
            fprintf(o, "<text x=\"%d\" y=\"%d\">&#8592; %zu earlier</text>", SVG_L + 4, y + 14,
                    before[row]);
        if (after[row])
            fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%zu later &#8594;</text>",
                    SVG_L + SVG_PW - 4, y + 14, after[row]);
        fputs("</g>\n", o);
    }
    free(px);
    free(before);
    free(after);
    axis(o, &sc, 0, rows_h + 4);
    fprintf(o, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">log coverage</text>\n", 4,
            cov_top - 6);
    if (!s->ncoverage)
        fprintf(o, "<text x=\"%d\" y=\"%d\">no Exchange or IIS logs were found</text>\n", SVG_L,
                cov_top + 14);
    for (size_t i = 0; i < s->ncoverage; i++) {
        const struct exh_coverage *c = &s->coverage[i];
        int y = cov_top + (int)i * SVG_ROW;
        fprintf(o, "<g><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_L - 8, y + 14);
        esc_plain(o, c->source, 40);
        fprintf(o, " (%u)</text>", c->files);
        if (c->has_time) {
            double x1 = xpos(&sc, c->first_ms), x2 = xpos(&sc, c->last_ms);
            fprintf(o, "<rect class=\"cov\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\">", x1,
                    y + 4, x2 - x1 < 2 ? 2 : x2 - x1, SVG_ROW - 8);
            fputs("<title>", o);
            esc_plain(o, c->source, 64);
            fputs(": ", o);
            span(o, true, c->first_ms, c->last_ms);
            fputs("</title></rect>", o);
        } else {
            fprintf(o, "<text x=\"%d\" y=\"%d\">no timestamps</text>", SVG_L, y + 14);
        }
        fputs("</g>\n", o);
    }
    axis(o, &sc, cov_top, cov_top + (int)s->ncoverage * SVG_ROW + 2);
    fputs("</svg>\n<p>", o);
    for (int st = 0; st < EXH_STAGE__COUNT; st++)
        fprintf(o, "<span class=\"sw k-%s\"></span>%s", exh_stage_name((enum exh_stage)st),
                exh_stage_name((enum exh_stage)st));
    fputs("<br>Each mark is one or more findings at that time, coloured by stage. The blue bars "
          "are the time each log family covers: nothing can be said of the time outside "
          "them.</p>\n",
          o);
}

/* ---- the summary at the top ---- */

static void build_facts(FILE *o, const struct exh_summary *s)
{
    if (!s->has_build)
        return;
    fprintf(o, "<tr><th>build</th><td>%u.%u.%u.%u", s->build.major, s->build.minor, s->build.build,
            s->build.rev);
    if (s->build_name) {
        fputs(" (", o);
        esc(o, s->build_name, 200);
        fputc(')', o);
    }
    if (s->build_source)
        fprintf(o, " from %s", strcmp(s->build_source, "logs") ? s->build_source : "the logs");
    if (s->has_logs_build)
        fprintf(o, "; the logs show %u.%u.%u.%u", s->logs_build.major, s->logs_build.minor,
                s->logs_build.build, s->logs_build.rev);
    fputs("</td></tr>\n", o);
    if (!s->build_name)
        return;
    fputs("<tr><th>exposure</th><td>", o);
    if (s->build_newer)
        fprintf(o, "newer than exhunt's catalogue (to %s): not judged", exh_catalogue_date());
    else if (s->build_nmissing) {
        fputs("newest update ", o);
        esc(o, s->build_newest ? s->build_newest : "none", 200);
        fprintf(o, "; <b>lacks %u security update%s</b>", s->build_nmissing,
                s->build_nmissing == 1 ? "" : "s");
        if (s->build_missing) {
            fputs(" (", o);
            esc(o, s->build_missing, 2000);
            fputc(')', o);
        }
    } else {
        fputs("newest update ", o);
        esc(o, s->build_newest ? s->build_newest : "none", 200);
        fprintf(o, "; has every security update exhunt knows (to %s)", exh_catalogue_date());
    }
    if (s->build_support && strcmp(s->build_support, "current"))
        fprintf(o, "; <b>%s since %s</b>",
                strcmp(s->build_support, "extended") ? "out of support"
                                                     : "paid extended updates only",
                s->build_support_end ? s->build_support_end : "?");
    fputs("</td></tr>\n", o);
}

static void facts(FILE *o, const struct exh_result *res)
{
    const struct exh_summary *s = &res->sum;
    fputs("<table id=\"facts\">\n", o);
    if (s->host) {
        fputs("<tr><th>host</th><td>", o);
        esc(o, s->host, 256);
        fputs("</td></tr>\n", o);
    }
    for (size_t i = 0; i < s->nexchange_roots; i++) {
        fputs(i ? "<tr><th></th><td>" : "<tr><th>exchange</th><td>", o);
        esc(o, s->exchange_roots[i], 1024);
        fputs("</td></tr>\n", o);
    }
    build_facts(o, s);
    fprintf(o, "<tr><th>read</th><td>%llu of %llu files, %llu log lines; %llu skipped</td></tr>\n",
            (unsigned long long)s->files_read, (unsigned long long)s->files_seen,
            (unsigned long long)s->records, (unsigned long long)s->files_skipped);
    fprintf(o, "<tr><th>findings</th><td id=\"counts\">%llu:", (unsigned long long)s->findings);
    for (int v = EXH_SEV__COUNT - 1; v >= 0; v--)
        fprintf(o, " <span class=\"c-%s\">%s %llu</span>%s", exh_sev_name((enum exh_sev)v),
                exh_sev_name((enum exh_sev)v), (unsigned long long)s->by_sev[v], v ? "," : "");
    if (s->filtered)
        fprintf(o, " (%llu outside --since/--until)", (unsigned long long)s->filtered);
    fputs("</td></tr>\n", o);
    fprintf(o, "<tr><th>errors</th><td>%llu%s</td></tr>\n", (unsigned long long)s->files_errors,
            s->files_errors ? " (<a href=\"#errors\">listed below</a>: what they hide is not "
                              "judged)"
                            : "");
    if (s->not_read)
        fprintf(o,
                "<tr><th>not read</th><td>%llu archives or members exhunt cannot open, named "
                "unlike logs (<a href=\"#errors\">listed below</a>)</td></tr>\n",
                (unsigned long long)s->not_read);
    if (!s->ncoverage)
        fputs("<tr><th>coverage</th><td>no Exchange or IIS logs were found</td></tr>\n", o);
    for (size_t i = 0; i < s->ncoverage; i++) {
        const struct exh_coverage *c = &s->coverage[i];
        fputs(i ? "<tr><th></th><td>" : "<tr><th>coverage</th><td>", o);
        esc(o, c->source, 64);
        fprintf(o, ": %u file%s, ", c->files, c->files == 1 ? "" : "s");
        if (c->has_time) {
            span(o, true, c->first_ms, c->last_ms);
            fprintf(o, " (%.1f days)", ((double)c->last_ms - (double)c->first_ms) / 86400000.0);
        } else
            fputs("no timestamps", o);
        fputs("</td></tr>\n", o);
    }
    for (size_t i = 0; i < s->nfeeds; i++) {
        /* the indicator lists checked: per type, loaded and matched */
        const struct exh_ioc_feed_sum *f = &s->feeds[i];
        fputs(i ? "<tr><th></th><td>" : "<tr><th>indicator lists</th><td>", o);
        if (f->builtin) {
            fputs("built-in lists:", o);
        } else {
            esc(o, f->name, 200);
            fprintf(o, " (%s):", f->format);
        }
        exh_feed_counts(o, f);
        fputs("</td></tr>\n", o);
    }
    if (s->nproxies) {
        fputs("<tr><th>proxies</th><td>", o);
        for (size_t i = 0; i < s->nproxies; i++) {
            fputs(i ? ", " : "", o);
            esc(o, s->proxies[i], 64);
        }
        fprintf(o,
                " carried %llu of the %llu requests read without X-Forwarded-For: a load "
                "balancer or proxy hides the clients' addresses</td></tr>\n",
                (unsigned long long)s->proxy_requests, (unsigned long long)s->requests_seen);
    }
    for (size_t i = 0; i < s->nscanners; i++) {
        const struct exh_scanner *sc = &s->scanners[i];
        fputs(i ? "<tr><th></th><td>" : "<tr><th>scanners</th><td>", o);
        esc(o, sc->name, 200);
        fprintf(o, ": %llu probe%s ", (unsigned long long)sc->probes, sc->probes == 1 ? "" : "s");
        span(o, sc->has_ts, sc->first_ms, sc->last_ms);
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n", o);
}

static void filters(FILE *o, const struct exh_summary *s)
{
    fputs("<div id=\"filters\" hidden><fieldset><legend>severity</legend>", o);
    for (int v = EXH_SEV__COUNT - 1; v >= 0; v--)
        fprintf(o, "<label><input type=\"checkbox\" checked data-k=\"s-%s\"> %s (%llu)</label> ",
                exh_sev_name((enum exh_sev)v), exh_sev_name((enum exh_sev)v),
                (unsigned long long)s->by_sev[v]);
    fputs("</fieldset><fieldset><legend>stage</legend>", o);
    for (int st = EXH_STAGE__COUNT - 1; st >= 0; st--)
        fprintf(o, "<label><input type=\"checkbox\" checked data-k=\"g-%s\"> %s (%llu)</label> ",
                exh_stage_name((enum exh_stage)st), exh_stage_name((enum exh_stage)st),
                (unsigned long long)s->by_stage[st]);
    fputs("</fieldset></div>\n", o);
}

/* ---- findings ---- */

static void dt(FILE *o, const char *name)
{
    fprintf(o, "<dt>%s</dt><dd>", name);
}

static void entry(FILE *o, const struct exh_finding *f, const struct exh_repeats *rep,
                  bool *explained)
{
    const struct exh_rule *ru = f->rule;
    const char *sev = exh_sev_name(ru->sev), *stage = exh_stage_name(ru->stage);
    fprintf(o, "<div class=\"f s-%s g-%s\"><div><span class=\"sev c-%s\">%s</span> <b>%s</b> ", sev,
            stage, sev, sev, ru->id);
    esc(o, ru->name, 400);
    if (ru->cves[0])
        fprintf(o, " <span class=\"cve\">(%s)</span>", ru->cves);
    fputs("</div><dl>", o);
    dt(o, "what");
    esc(o, f->message, 2000);
    fputs("</dd>", o);
    dt(o, "when");
    if (f->has_ts)
        when(o, f->ts_ms);
    else
        fputs("no time", o);
    fprintf(o, ", stage %s", stage);
    if (f->source_ip) {
        fputs(", from ", o);
        esc(o, f->source_ip, 64);
    }
    fputs("</dd>", o);
    if (rep && rep->n) {
        dt(o, "repeats");
        fprintf(o, "<b>+ %zu more like this</b>", rep->n);
        if (rep->addresses > 1)
            fprintf(o, " from %zu addresses", rep->addresses);
        if (rep->has_ts && rep->first_ms != rep->last_ms) {
            fputs(", ", o);
            span(o, true, rep->first_ms, rep->last_ms);
        }
        for (size_t i = 0; i < rep->nexamples; i++) {
            fputs(i ? ", " : "; e.g. ", o);
            esc(o, rep->examples[i], 64);
        }
        fputs(" (the JSON Lines report lists each)</dd>", o);
    }
    dt(o, "where");
    fputs("<code>", o);
    esc(o, f->path, 4096);
    if (f->line)
        fprintf(o, ":%llu", (unsigned long long)f->line);
    fputs("</code></dd>", o);
    if (f->forwarded_ip) {
        dt(o, "via");
        esc(o, f->forwarded_ip, 400);
        fputs(" (X-Forwarded-For, then the connection)</dd>", o);
    }
    if (f->url || f->status >= 0) {
        dt(o, "http");
        fputs("<code>", o);
        if (f->method) {
            esc(o, f->method, 16);
            fputc(' ', o);
        }
        esc(o, f->url, 1000);
        if (f->status >= 0)
            fprintf(o, " -&gt; %d", f->status);
        fputs("</code></dd>", o);
    }
    if (f->has_record) {
        dt(o, "event");
        esc(o, f->channel, 128);
        fprintf(o, " event %u, record %llu, provider ", f->event_code,
                (unsigned long long)f->record_id);
        esc(o, f->provider, 128);
        fputs("</dd>", o);
    }
    if (f->user_agent) {
        dt(o, "agent");
        fputs("<code>", o);
        esc(o, f->user_agent, 400);
        fputs("</code></dd>", o);
    }
    if (f->evidence) {
        dt(o, "saw");
        fputs("<code>", o);
        esc(o, f->evidence, EVIDENCE_MAX);
        fputs("</code></dd>", o);
    }
    if (f->is_file && f->has_file_meta) {
        dt(o, "file");
        fprintf(o, "%llu bytes, modified ", (unsigned long long)f->file_size);
        when(o, f->file_mtime_ms);
        if (f->sha256[0])
            fprintf(o, ", sha256 <code>%s</code>", f->sha256);
        fputs("</dd>", o);
    }
    fputs("</dl>", o);
    size_t idx = (size_t)(ru - exh_rules);
    if (idx < EXH_RULE__COUNT && !explained[idx]) {
        explained[idx] = true;
        fputs("<div class=\"why\"><p><b>Why it matters:</b> ", o);
        esc(o, ru->explanation, 4000);
        fputs("</p><p><b>What to do:</b> ", o);
        esc(o, ru->remediation, 4000);
        fputs("</p></div>", o);
    } else {
        fprintf(o,
                "<div class=\"more\">Why it matters and what to do: <a href=\"#rule-%s\">%s</a>"
                "</div>",
                ru->id, ru->id);
    }
    fputs("</div>\n", o);
}

static void group_head(FILE *o, const struct exh_result *res, const struct rows *rw, int row,
                       size_t nfind)
{
    const struct exh_summary *s = &res->sum;
    bool open = row == rw->nosource;
    const struct exh_actor *a = NULL;
    if (row >= 0 && (size_t)row < rw->nactor_rows) {
        a = &s->actors[rw->actor[row]];
        open = a->stage >= EXH_STAGE_EXPLOITATION;
    }
    fprintf(o, "<details class=\"grp\"%s><summary>", open ? " open" : "");
    if (a) {
        esc(o, a->ip, 64);
        fputs(" &mdash; ", o);
        span(o, a->has_ts, a->first_ms, a->last_ms);
        fprintf(o, ", %llu finding%s, reached <span class=\"c-%s\">%s</span>",
                (unsigned long long)a->findings, a->findings == 1 ? "" : "s", exh_sev_name(a->sev),
                exh_stage_name(a->stage));
        if (a->proxy)
            fputs(" (load balancer or proxy: the clients behind it are hidden)", o);
        else if (a->internal)
            fputs(" (internal address)", o);
    } else if (row == rw->more) {
        row_label(o, res, rw, row);
        fprintf(o, " &mdash; %zu finding%s", nfind, nfind == 1 ? "" : "s");
    } else {
        fprintf(o, "Files on disk, the build, logs without a client &mdash; %zu finding%s", nfind,
                nfind == 1 ? "" : "s");
    }
    fputs("</summary>\n", o);
}

static void findings(FILE *o, const struct exh_result *res, const struct rows *rw)
{
    size_t n = res->nfindings, nz = n ? n : 1;
    fputs("<h2 id=\"findings\">Findings by source address and by file</h2>\n", o);
    if (!n) {
        fputs("<p>No findings.</p>\n", o);
        return;
    }
    size_t *order = exh_report_order(res, false);
    order_res = res; /* qsort has no context argument in C11 */
    order_rows = rw;
    qsort(order, n, sizeof(*order), cmp_row_time);
    order_res = NULL;
    order_rows = NULL;
    int *group = exh_xmalloc(nz * sizeof(*group));
    for (size_t i = 0; i < n; i++)
        group[i] = row_of(rw, &res->findings[order[i]], res->sum.nactors);
    struct exh_repeats **rep = exh_xcalloc(nz, sizeof(*rep));
    bool *folded = exh_xcalloc(nz, sizeof(*folded));
    struct exh_repeats *g = exh_report_fold(res, order, group, rep, folded);
    bool explained[EXH_RULE__COUNT] = {0};
    for (size_t i = 0, j; i < n; i = j) {
        size_t nfind = 0, printed = 0, hidden = 0;
        for (j = i; j < n && group[j] == group[i]; j++)
            nfind++;
        group_head(o, res, rw, group[i], nfind);
        for (size_t k = i; k < j; k++) {
            if (folded[k])
                continue;
            if (printed == ITEMS_MAX) {
                hidden += 1 + (rep[k] ? rep[k]->n : 0);
                continue;
            }
            entry(o, &res->findings[order[k]], rep[k], explained);
            printed++;
        }
        if (hidden)
            fprintf(o,
                    "<p class=\"more\">%zu more finding%s in this group are not shown here "
                    "&mdash; see the JSON Lines report (<code>exhunt scan -f jsonl</code>).</p>\n",
                    hidden, hidden == 1 ? "" : "s");
        fputs("</details>\n", o);
    }
    free(g);
    free(rep);
    free(folded);
    free(group);
    free(order);
}

static void errors(FILE *o, const struct exh_result *res)
{
    if (!res->nerrors)
        return;
    fprintf(o,
            "<h2 id=\"errors\">Errors (%zu)</h2>\n<p>These inputs could not be read (fully); "
            "what they hold is not judged.</p>\n<table>\n<tr><th>file</th><th>reason</th></tr>\n",
            res->nerrors);
    for (size_t i = 0; i < res->nerrors; i++) {
        fputs("<tr><td><code>", o);
        esc(o, res->errors[i].path, 4096);
        fputs("</code></td><td>", o);
        if (res->errors[i].info)
            fputs("(not an error: left unread, named unlike logs) ", o);
        esc(o, res->errors[i].message, 1024);
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n", o);
}

static void rules_legend(FILE *o, const struct exh_result *res)
{
    bool seen[EXH_RULE__COUNT] = {0};
    bool any = false;
    for (size_t i = 0; i < res->nfindings; i++) {
        size_t idx = (size_t)(res->findings[i].rule - exh_rules);
        if (idx < EXH_RULE__COUNT)
            any = seen[idx] = true;
    }
    if (!any)
        return;
    fputs("<h2 id=\"rules\">Rules that matched</h2>\n<dl>\n", o);
    for (size_t k = 0; k < EXH_RULE__COUNT; k++) {
        if (!seen[k])
            continue;
        const struct exh_rule *ru = &exh_rules[k];
        fprintf(o, "<dt id=\"rule-%s\"><b>%s</b> ", ru->id, ru->id);
        esc(o, ru->name, 400);
        fprintf(o, " (<span class=\"c-%s\">%s</span>, %s%s%s)</dt><dd><p>", exh_sev_name(ru->sev),
                exh_sev_name(ru->sev), exh_stage_name(ru->stage), ru->cves[0] ? ", " : "",
                ru->cves);
        esc(o, ru->explanation, 4000);
        fputs("</p><p><b>What to do:</b> ", o);
        esc(o, ru->remediation, 4000);
        fputs("</p></dd>\n", o);
    }
    fputs("</dl>\n", o);
}

static void html_summary(struct exh_report *r, const struct exh_result *res)
{
    FILE *o = r->out;
    const struct exh_summary *s = &res->sum;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src ",
          o);
    exh_csp_hash(o, css);
    fputs("; script-src ", o);
    exh_csp_hash(o, js);
    fputs("; img-src 'none'; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>exhunt: ",
          o);
    fputs(exh_verdict_name(s->verdict), o);
    if (s->host) {
        fputs(" &mdash; ", o);
        esc_plain(o, s->host, 128);
    }
    fprintf(o, "</title>\n<style>%s</style>\n</head><body>\n", css);
    fprintf(o, "<section id=\"verdict\" class=\"%s\"><h1>%s</h1><p>", verdict_class(s->verdict),
            exh_verdict_name(s->verdict));
    esc(o, s->verdict_reason, 1000);
    fputs("</p><p><b>Next:</b> ", o);
    esc(o, exh_next_steps(s, true), 2000);
    fprintf(o, "</p><p>exhunt report, made ");
    when(o, r->created_ms);
    fprintf(o, "; exit code %d</p></section>\n", s->exit_code);
    facts(o, res);
    struct rows rw;
    rows_build(&rw, res);
    timeline(o, res, &rw);
    filters(o, s);
    findings(o, res, &rw);
    rows_release(&rw);
    errors(o, res);
    rules_legend(o, res);
    fprintf(o, "<script>%s</script>\n</body></html>\n", js);
}

static void html_begin(struct exh_report *r)
{
    (void)r;
}

/* findings and errors are written by summary(), which has them all */
static void html_finding(struct exh_report *r, const struct exh_finding *f)
{
    (void)r;
    (void)f;
}

static void html_error(struct exh_report *r, const struct exh_error_rec *e)
{
    (void)r;
    (void)e;
}

const struct exh_reporter_ops exh_report_html = {"html",     html_begin,   html_finding,
                                                 html_error, html_summary, NULL};
