/* fuzz_scan.c: the whole per-file pipeline, as exh_scan() runs it for one
 * file: classify -> prologue/header -> pre-filter -> row parse -> every
 * detector -> judge, then all three reporters.
 *
 * Input layout: byte 0 chooses how the file is seen, the rest is the file.
 *   bits 0-3  the path it was found at (sc_paths[] below; decides the log
 *             family by name and location facts such as "under ProgramData";
 *             8-15 are web pages and drops for det_webshell.c and
 *             det_location.c)
 *   bit 4     --since 2021-03-03T02:00:00Z
 *   bit 5     --until 2021-03-03T12:00:00Z
 *   bit 6     --hostname FUZZHOST
 *   bit 7     colour in the text report
 * The clock is frozen, so runs are deterministic.
 *
 * The result goes through exh_report_text, exh_report_jsonl and
 * exh_report_csv. Text and CSV go to /dev/null; JSON Lines is captured and
 * checked: every record is one line of valid UTF-8 without raw control
 * bytes (report/util.h: invalid UTF-8 becomes U+FFFD). Without colour the
 * text report must hold no ESC byte (report_text.c: hostile log content
 * cannot recolour the terminal). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/report.h"
#include "exh/scan.h"
#include "fuzz.h"
#include "exh/banned.h"

static const char *const sc_paths[] = {
    "Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG",
    "Logging/ECP/Server/ECPServer20210303-1.LOG",
    "Logging/OABGeneratorLog/OABGeneratorLog_20210303-1.LOG",
    "Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2021030302-1.LOG",
    "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log",
    "ProgramData/x.zip",
    "Windows/Temp/lsass.dmp",
    "x.bin",
    /* web shells: pages, handlers, compiled pages, IIS config, drops */
    "inetpub/wwwroot/aspnet_client/x.aspx",
    "FrontEnd/HttpProxy/owa/auth/y.ashx",
    "x.asp",
    "Temporary ASP.NET Files/root/App_Web_abc.dll",
    "Windows/System32/inetsrv/config/applicationHost.config",
    "FrontEnd/HttpProxy/ecp/auth/z.vb",
    "inetpub/wwwroot/aspnet_client/system_web/log.aspx.bak",
    "C:/inetpub/wwwroot/aspnet_client/570221043.aspx",
};

#define SC_NOW_MS INT64_C(1614816000000)   /* 2021-03-04T00:00:00Z */
#define SC_SINCE_MS INT64_C(1614736800000) /* 2021-03-03T02:00:00Z */
#define SC_UNTIL_MS INT64_C(1614772800000) /* 2021-03-03T12:00:00Z */

static FILE *sc_devnull(void)
{
    static FILE *f; /* opened once, kept for the process */
    if (!f) {
        f = fopen("/dev/null", "w");
        EXH_FUZZ_CHECK(f != NULL);
    }
    return f;
}

static void sc_render(const struct exh_reporter_ops *ops, FILE *out, bool color,
                      const struct exh_result *res)
{
    struct exh_report rep;
    memset(&rep, 0, sizeof(rep));
    rep.ops = ops;
    rep.out = out;
    rep.err = sc_devnull();
    rep.color = color;
    rep.created_ms = SC_NOW_MS;
    rep.host = "fuzz";
    exh_report_result(&rep, res);
    EXH_FUZZ_CHECK(fflush(out) == 0);
}

/* Capture one report in memory (open_memstream is POSIX; the replay and
 * libFuzzer builds are Linux only). */
static void sc_capture(const struct exh_reporter_ops *ops, bool color, const struct exh_result *res,
                       char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *f = open_memstream(buf, len);
    EXH_FUZZ_CHECK(f != NULL);
    sc_render(ops, f, color, res);
    EXH_FUZZ_CHECK(fclose(f) == 0);
}

static void sc_check_jsonl(const char *p, size_t n)
{
    EXH_FUZZ_CHECK(exh_utf8_valid(p, n));
    EXH_FUZZ_CHECK(n > 0 && p[n - 1] == '\n'); /* at least the summary */
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        EXH_FUZZ_CHECK(c >= 0x20 || c == '\n');
        EXH_FUZZ_CHECK(c != 0x7F);
        if (c == '\n') {
            EXH_FUZZ_CHECK(i > s && p[s] == '{' && p[i - 1] == '}');
            s = i + 1;
        }
    }
}

int exh_fuzz_scan(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *path = sc_paths[sel % (sizeof(sc_paths) / sizeof(sc_paths[0]))];
    /* the file: an exact-size copy, so reading past its end is caught */
    uint8_t *file = exh_fuzz_dup(data + 1, size - 1);

    struct exh_scan_opts o;
    exh_scan_opts_init(&o);
    o.threads = 1;
    o.frozen_clock = true;
    o.frozen_now_ms = SC_NOW_MS;
    if (sel & 0x10) {
        o.has_since = true;
        o.since_ms = SC_SINCE_MS;
    }
    if (sel & 0x20) {
        o.has_until = true;
        o.until_ms = SC_UNTIL_MS;
    }
    if (sel & 0x40)
        o.hostname = "FUZZHOST";
    bool color = (sel & 0x80) != 0;

    struct exh_result res;
    enum exh_err err = exh_scan_memory(&o, path, file, size - 1, &res);
    EXH_FUZZ_CHECK(err == EXH_OK);
    EXH_FUZZ_CHECK(res.nfindings == 0 || res.findings != NULL);
    EXH_FUZZ_CHECK(res.nerrors == 0 || res.errors != NULL);
    EXH_FUZZ_CHECK(res.sum.findings == res.nfindings);
    for (size_t i = 0; i < res.nfindings; i++) {
        const struct exh_finding *f = &res.findings[i];
        EXH_FUZZ_CHECK(f->rule != NULL && f->path != NULL && f->message != NULL);
        EXH_FUZZ_CHECK(f->original_n <= EXH_ORIGINAL_MAX);
        EXH_FUZZ_CHECK(!f->original_n || f->original != NULL);
        /* --since/--until drop line and file findings (exh_emit_line/_file);
         * the judge's exposure findings describe the build and are kept */
        if (f->has_ts && (f->is_file || f->has_offset)) {
            EXH_FUZZ_CHECK(!o.has_since || f->ts_ms >= o.since_ms);
            EXH_FUZZ_CHECK(!o.has_until || f->ts_ms <= o.until_ms);
        }
    }

    sc_render(&exh_report_text, sc_devnull(), color, &res);
    sc_render(&exh_report_csv, sc_devnull(), false, &res);

    char *buf;
    size_t len;
    sc_capture(&exh_report_jsonl, false, &res, &buf, &len);
    sc_check_jsonl(buf, len);
    free(buf);
    if (!color) {
        sc_capture(&exh_report_text, false, &res, &buf, &len);
        EXH_FUZZ_CHECK(len == 0 || memchr(buf, 0x1B, len) == NULL);
        free(buf);
    }

    exh_result_release(&res);
    free(file);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_scan(data, size);
}
#endif
