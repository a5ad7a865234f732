/* test_collect.c: `scan --collect` (src/engine/collect.c): names made safe
 * and defanged, the prefix for several roots, the folder checks, and a copy
 * of a small tree in tiny chunks, with a file that vanished. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exh/collect.h"
#include "exh/core.h"
#include "exh/hash.h"
#include "exh/os.h"
#include "exh/rules.h"
#include "t.h"

static void name_case(const char *prefix, const char *path, unsigned variant, const char *want)
{
    char *got = exh_collect_name(prefix, path, variant);
    T_CTX(path);
    CHECK_EQ_STR(got, want);
    T_CTX(NULL);
    free(got);
}

static void test_runnable(void)
{
    static const char *const yes[] = {
        "a.aspx",     "A.ASPX",   "x.ashx", "x.asmx", "x.asp",      "x.asax", "x.ascx",
        "web.config", "x.cshtml", "x.php",  "x.jsp",  "x.exe",      "x.dll",  "x.ps1",
        "x.bat",      "x.cmd",    "x.vbs",  "x.js",   "x.hta",      "x.scr",  "x.com",
        "x.html",     "x.svg",    "x.lnk",  "x.docm", "x.tar.aspx", NULL};
    static const char *const no[] = {
        "a.log", "a.LOG",   "x.evtx", "x.dmp", "x.zip", "x.txt", "x.aspx.quarantine",
        "aspx",  "x.aspx_", "x.7z",   "",      NULL};
    for (size_t i = 0; yes[i]; i++) {
        T_CTX(yes[i]);
        CHECK(exh_collect_runnable(yes[i]));
        char *d = exh_collect_defang(yes[i]);
        CHECK(!exh_collect_runnable(d));
        size_t n = strlen(d), k = strlen(EXH_COLLECT_SUFFIX);
        CHECK(n > k && !strcmp(d + n - k, EXH_COLLECT_SUFFIX));
        free(d);
    }
    for (size_t i = 0; no[i]; i++) {
        T_CTX(no[i]);
        CHECK(!exh_collect_runnable(no[i]));
        char *d = exh_collect_defang(no[i]);
        CHECK_EQ_STR(d, no[i]);
        free(d);
    }
    T_CTX(NULL);
}

static void test_component(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain.log", "plain.log"},
        {"", "_"},
        {".", "_"},
        {"..", "__"},
        {"con", "_con"},
        {"CON.aspx", "_CON.aspx"},
        {"nul.txt", "_nul.txt"},
        {"com1", "_com1"},
        {"LPT9.log", "_LPT9.log"},
        {"com10", "com10"},
        {"console", "console"},
        {"a:b", "a_b"},
        {"a\\b", "a_b"},
        {"x.asp;.jpg", "x.asp_.jpg"},
        {"tab\there", "tab_here"},
        {"esc\x1b[31m", "esc_[31m"},
        {"bad\xff\xfe", "bad__"},
        {"x.aspx.", "x.aspx_"},
        {"x.aspx  ", "x.aspx__"},
        {"r\xe2\x80\xae"
         "gpj.aspx",
         "r_gpj.aspx"},
        {"d\xc3\xa9"
         "couverte-\xe4\xb8\xad.aspx",
         "d\xc3\xa9"
         "couverte-\xe4\xb8\xad.aspx"},
        {"a<b>c|d?e*f\"g", "a_b_c_d_e_f_g"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        T_CTX(cases[i].in);
        char *got = exh_collect_component(cases[i].in, strlen(cases[i].in));
        CHECK_EQ_STR(got, cases[i].want);
        free(got);
    }
    /* a long name is cut at 200 bytes, on a character boundary */
    char longname[600];
    for (int i = 0; i < 299; i++)
        memcpy(longname + 2 * i, "\xc3\xa9", 2);
    longname[598] = '\0';
    char *got = exh_collect_component(longname, strlen(longname));
    T_CTX("long");
    CHECK(strlen(got) <= 200);
    CHECK(exh_utf8_valid(got, strlen(got)));
    free(got);
    T_CTX(NULL);
}

static void test_names(void)
{
    static const struct {
        const char *prefix, *path;
        unsigned variant;
        const char *want;
    } names[] = {
        {"", "inetpub/wwwroot/aspnet_client/discover.aspx", 0,
         "inetpub/wwwroot/aspnet_client/discover.aspx.quarantine"},
        {"", "Windows/Temp/lsass.dmp", 0, "Windows/Temp/lsass.dmp"},
        {"", "../../etc/passwd", 0, "__/__/etc/passwd"},
        {"", "/abs/./x.log", 0, "abs/_/x.log"},
        {"", "a//b///c.log", 0, "a/b/c.log"},
        {"", "C:/inetpub/x.aspx", 0, "C_/inetpub/x.aspx.quarantine"},
        {"", "dir/con/aux.log", 0, "dir/_con/_aux.log"},
        {"", "x.aspx", 2, "x~2.aspx.quarantine"},
        {"", "noext", 3, "noext~3"},
        {"", ".htaccess", 2, ".htaccess~2"},
        {"2-logs", "W3SVC1/u_ex1.log", 0, "2-logs/W3SVC1/u_ex1.log"},
        {"", "", 0, "_"},
        {"", "evil\n.aspx", 0, "evil_.aspx.quarantine"},
        /* DIR's own files at its top are never a copy's name (any case) */
        {"", "manifest.jsonl", 0, "_manifest.jsonl"},
        {"", "/manifest.jsonl", 0, "_manifest.jsonl"},
        {"", "MANIFEST.CSV", 0, "_MANIFEST.CSV"},
        {"", "Report.jsonl", 0, "_Report.jsonl"},
        {"", "report-12.jsonl", 0, "_report-12.jsonl"},
        {"", "manifest.jsonl", 2, "_manifest~2.jsonl"},
        {"", "logs/manifest.jsonl", 0, "logs/manifest.jsonl"},
        {"1-ev", "manifest.csv", 0, "1-ev/manifest.csv"},
        {"", "report-.jsonl", 0, "report-.jsonl"},
        {"", "report-2a.jsonl", 0, "report-2a.jsonl"},
        {"", "manifest.jsonl.bak", 0, "manifest.jsonl.bak"},
        {"", "_manifest.jsonl", 0, "_manifest.jsonl"},
    };
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        name_case(names[k].prefix, names[k].path, names[k].variant, names[k].want);

    static const struct {
        size_t i;
        const char *root, *want;
    } pre[] = {
        {0, "/srv/case1/logs", "1-logs"},
        {1, "/srv/case1/logs/", "2-logs"},
        {2, "/", "3"},
        {0, "C:\\", "1"},
        {0, "C:\\inetpub", "1-inetpub"},
        {4, ".", "5"},
        {0, "..", "1"},
        {0, "evil:name", "1-evil_name"},
        {0, "C:\\Program Files\\Microsoft\\Exchange Server\\V15", "1-V15"},
    };
    for (size_t k = 0; k < sizeof(pre) / sizeof(pre[0]); k++) {
        T_CTX(pre[k].root);
        char *p = exh_collect_prefix(pre[k].i, pre[k].root);
        CHECK_EQ_STR(p, pre[k].want);
        free(p);
    }
    T_CTX(NULL);
}

static char tmp[256];

static void write_file(const char *rel, const char *data, size_t n)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", tmp, rel);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void test_copy(void)
{
    snprintf(tmp, sizeof(tmp), "/tmp/exh-collect-unit-XXXXXX");
    if (!CHECK(mkdtemp(tmp) != NULL))
        return;
    char ev[300], out[300], p[600];
    snprintf(ev, sizeof(ev), "%s/ev", tmp);
    snprintf(out, sizeof(out), "%s/out", tmp);
    mkdir(ev, 0755);
    write_file("ev/shell.aspx", "<%@ Page Language=\"C#\" %>", 26);
    char big[1000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    write_file("ev/big.log", big, sizeof(big));

    /* the folder checks */
    const char *roots[] = {ev};
    size_t inside = 99;
    snprintf(p, sizeof(p), "%s/sub/dir", ev);
    CHECK_EQ_INT(exh_collect_check_dir(p, roots, 1, false, &inside), EXH_COLLECT_INSIDE);
    CHECK_EQ_INT(inside, 0);
    CHECK_EQ_INT(exh_collect_check_dir(ev, roots, 1, true, &inside), EXH_COLLECT_INSIDE);
    CHECK_EQ_INT(exh_collect_check_dir(out, roots, 1, false, &inside), EXH_COLLECT_OK);
    CHECK_EQ_INT(exh_collect_check_dir(tmp, roots, 1, false, &inside), EXH_COLLECT_NOT_EMPTY);
    CHECK_EQ_INT(exh_collect_check_dir(tmp, roots, 1, true, &inside), EXH_COLLECT_OK);
    snprintf(p, sizeof(p), "%s/shell.aspx", ev);
    const char *outer[] = {out};
    CHECK_EQ_INT(exh_collect_check_dir(p, outer, 1, false, &inside), EXH_COLLECT_NOT_DIR);

    /* a result naming three files, one of which is gone */
    struct exh_result res;
    memset(&res, 0, sizeof(res));
    char *rootv[] = {ev};
    res.roots = rootv;
    res.nroots = 1;
    struct exh_finding f[4];
    memset(f, 0, sizeof(f));
    f[0].path = "big.log";
    f[0].rule = &exh_rules[0];
    f[1].path = "shell.aspx";
    f[1].rule = &exh_rules[1];
    f[2].path = "shell.aspx";
    f[2].rule = &exh_rules[0];
    f[3].path = "gone.dmp";
    f[3].rule = &exh_rules[0];
    res.findings = f;
    res.nfindings = 4;
    res.sum.verdict = EXH_VERDICT_CLEAN;
    struct exh_collect_opts o = {out, false, 7};
    struct exh_collect_result cr;
    const char *sys = NULL;
    CHECK_EQ_INT(exh_collect(&o, &res, &cr, &sys), EXH_OK);
    CHECK_EQ_INT(cr.nitems, 2);
    CHECK_EQ_INT(cr.failed, 1);
    CHECK_EQ_INT(res.nerrors, 1);
    if (res.nerrors == 1) {
        CHECK_EQ_STR(res.errors[0].path, "gone.dmp");
        CHECK_EQ_INT(res.errors[0].code, EXH_ERR_NOENT);
    }
    CHECK_EQ_INT(res.sum.verdict, EXH_VERDICT_INCOMPLETE);
    CHECK_EQ_INT(res.sum.exit_code, 2);
    if (cr.nitems == 2) {
        CHECK_EQ_STR(cr.items[0].copy, "big.log");
        CHECK_EQ_INT(cr.items[0].size, sizeof(big));
        uint8_t d[32];
        char hex[65];
        exh_sha256((const uint8_t *)big, sizeof(big), d);
        exh_hex(d, 32, hex);
        CHECK_EQ_STR(cr.items[0].sha256, hex);
        CHECK_EQ_STR(cr.items[1].copy, "shell.aspx.quarantine");
        CHECK(strchr(cr.items[1].rules, ',') != NULL); /* two rules, one item */
        snprintf(p, sizeof(p), "%s/shell.aspx.quarantine", out);
        struct stat st;
        CHECK(stat(p, &st) == 0 && st.st_size == 26);
    }
    exh_collect_release(&cr);

    /* again, appending: the same bytes are not copied twice; a different file
     * under a taken name gets the next variant */
    res.nfindings = 3;
    write_file("ev/big.log", "changed", 7);
    struct exh_collect_opts o2 = {out, true, 0};
    CHECK_EQ_INT(exh_collect(&o2, &res, &cr, &sys), EXH_OK);
    CHECK_EQ_INT(cr.nitems, 2);
    if (cr.nitems == 2) {
        CHECK_EQ_STR(cr.items[0].copy, "big~2.log");
        CHECK(!cr.items[0].present);
        CHECK_EQ_STR(cr.items[1].copy, "shell.aspx.quarantine");
        CHECK(cr.items[1].present);
    }
    exh_collect_release(&cr);
    for (size_t i = 0; i < res.nerrors; i++) {
        free(res.errors[i].path);
        free(res.errors[i].message);
    }
    free(res.errors);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    T_RUN(test_runnable);
    T_RUN(test_component);
    T_RUN(test_names);
    T_RUN(test_copy);
    return T_DONE("collect-unit");
}
