/* cmd_evtx.c: `exhunt evtx FILE...`: every record the reader sees, as JSON
 * Lines, so that analysts and tests can check the reader against others. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exh/evtx.h"
#include "exh/os.h"
#include "exh/timeutil.h"
#include "report/util.h"
#include "exh/banned.h"

struct out {
    const char *path;
};

static void kstr(const char *k, struct exh_str v)
{
    printf(",\"%s\":", k);
    exh_json_str(stdout, v.p ? v.p : "", v.n);
}

static int on_record(void *ud, const struct exh_evtx_record *r)
{
    struct out *o = ud;
    char t[32];
    printf("{\"type\":\"record\",\"path\":");
    exh_json_cstr(stdout, o->path);
    printf(",\"chunk\":%u,\"record_id\":%llu", r->chunk, (unsigned long long)r->record_id);
    if (r->has_time) {
        exh_time_format(r->time_ms, t);
        printf(",\"time\":\"%s\"", t);
    }
    exh_time_format(r->written_ms, t);
    printf(",\"written\":\"%s\"", t);
    kstr("channel", r->channel);
    kstr("provider", r->provider);
    if (r->has_event_id)
        printf(",\"event_id\":%u", r->event_id);
    if (r->has_level)
        printf(",\"level\":%u", r->level);
    kstr("computer", r->computer);
    if (r->user_id.n)
        kstr("user_id", r->user_id);
    if (r->named) {
        printf(",\"data\":{");
        for (size_t i = 0; i < r->nfields; i++) {
            if (i)
                putchar(',');
            exh_json_str(stdout, r->fields[i].name.p, r->fields[i].name.n);
            putchar(':');
            exh_json_str(stdout, r->fields[i].value.p, r->fields[i].value.n);
        }
        putchar('}');
    } else {
        printf(",\"data\":[");
        for (size_t i = 0; i < r->nfields; i++) {
            if (i)
                putchar(',');
            exh_json_str(stdout, r->fields[i].value.p, r->fields[i].value.n);
        }
        putchar(']');
    }
    printf("}\n");
    return 0;
}

static void on_problem(void *ud, enum exh_evtx_problem what, uint32_t chunk, uint64_t offset,
                       const char *detail)
{
    struct out *o = ud;
    (void)what;
    printf("{\"type\":\"error\",\"path\":");
    exh_json_cstr(stdout, o->path);
    printf(",\"chunk\":%u,\"offset\":%llu,\"message\":", chunk, (unsigned long long)offset);
    exh_json_cstr(stdout, detail);
    printf("}\n");
}

int cmd_evtx(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        puts("usage: exhunt evtx FILE...\n"
             "Prints every record of the .evtx files as JSON Lines: time, record id, channel,\n"
             "provider, event id, level, computer and the event data (named fields as an\n"
             "object, positional ones as an array, empty ones kept), then one summary line\n"
             "per file with the record and error counts. Damaged parts are error lines.");
        return argc < 2 ? 2 : 0;
    }
    exh_os_stdio_init();
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct exh_map m;
        const char *sys = NULL;
        struct out o = {argv[i]};
        if (exh_os_map(argv[i], &m, &sys) != EXH_OK) {
            printf("{\"type\":\"error\",\"path\":");
            exh_json_cstr(stdout, argv[i]);
            printf(",\"message\":");
            exh_json_cstr(stdout, sys ? sys : "cannot open");
            printf("}\n");
            rc = 2;
            continue;
        }
        struct exh_evtx_cb cb = {&o, on_record, on_problem, NULL, 0};
        struct exh_evtx_stats st;
        exh_evtx_read(m.p, m.n, &cb, &st);
        printf("{\"type\":\"summary\",\"path\":");
        exh_json_cstr(stdout, argv[i]);
        printf(",\"records\":%llu,\"errors\":%llu,\"chunks\":%llu,\"crc_mismatches\":%llu}\n",
               (unsigned long long)st.records, (unsigned long long)st.errors,
               (unsigned long long)st.chunks, (unsigned long long)st.crc_mismatches);
        if (st.errors && rc == 0)
            rc = 2;
        exh_os_unmap(&m);
    }
    return rc;
}
