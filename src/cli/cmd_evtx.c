/* cmd_evtx.c: `exhunt evtx [-j N] FILE...`: every record the reader sees, as
 * JSON Lines, so that analysts and tests can check the reader against others.
 * Chunks are independent, so a file's chunk slots are shared among worker
 * threads in batches; each slot's lines go to its own buffer and the buffers
 * are written in file order, so the output does not depend on -j. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exh/evtx.h"
#include "exh/os.h"
#include "exh/timeutil.h"
#include "report/util.h"
#include "exh/banned.h"

#define SLOTS_PER_THREAD 32 /* a batch: 2 MiB of input per thread */

struct out {
    struct exh_buf *b;
    const struct exh_buf *qpath; /* the path as a JSON string, escaped once per file */
    bool records;                /* print records (not with --summary) */
};

/* ,"key": for a literal key (keys need no escaping) */
#define KEY(b, k) exh_buf_add((b), ",\"" k "\":", sizeof(",\"" k "\":") - 1)

static void kstr(struct exh_buf *b, struct exh_str v)
{
    exh_json_buf(b, v.p ? v.p : "", v.n);
}

static void ktime(struct exh_buf *b, int64_t ms)
{
    char t[32];
    exh_time_format(ms, t); /* digits and punctuation: nothing to escape */
    exh_buf_addc(b, '"');
    exh_buf_add(b, t, strlen(t));
    exh_buf_addc(b, '"');
}

static int on_record(void *ud, const struct exh_evtx_record *r)
{
    struct out *o = ud;
    struct exh_buf *b = o->b;
    if (!o->records)
        return 0;
    exh_buf_adds(b, "{\"type\":\"record\"");
    KEY(b, "path");
    exh_buf_add(b, o->qpath->p, o->qpath->n);
    KEY(b, "chunk");
    exh_buf_add_u64(b, r->chunk);
    KEY(b, "record_id");
    exh_buf_add_u64(b, r->record_id);
    if (r->has_time) {
        KEY(b, "time");
        ktime(b, r->time_ms);
    }
    KEY(b, "written");
    ktime(b, r->written_ms);
    KEY(b, "channel");
    kstr(b, r->channel);
    KEY(b, "provider");
    kstr(b, r->provider);
    if (r->has_event_id) {
        KEY(b, "event_id");
        exh_buf_add_u64(b, r->event_id);
    }
    if (r->has_level) {
        KEY(b, "level");
        exh_buf_add_u64(b, r->level);
    }
    KEY(b, "computer");
    kstr(b, r->computer);
    if (r->user_id.n) {
        KEY(b, "user_id");
        kstr(b, r->user_id);
    }
    exh_buf_adds(b, r->named ? ",\"data\":{" : ",\"data\":[");
    for (size_t i = 0; i < r->nfields; i++) {
        if (i)
            exh_buf_addc(b, ',');
        if (r->named) {
            exh_json_buf(b, r->fields[i].name.p, r->fields[i].name.n);
            exh_buf_addc(b, ':');
        }
        exh_json_buf(b, r->fields[i].value.p, r->fields[i].value.n);
    }
    exh_buf_adds(b, r->named ? "}}\n" : "]}\n");
    return 0;
}

static void on_problem(void *ud, enum exh_evtx_problem what, uint32_t chunk, uint64_t offset,
                       const char *detail)
{
    struct out *o = ud;
    struct exh_buf *b = o->b;
    (void)what;
    exh_buf_adds(b, "{\"type\":\"error\"");
    KEY(b, "path");
    exh_buf_add(b, o->qpath->p, o->qpath->n);
    KEY(b, "chunk");
    exh_buf_add_u64(b, chunk);
    KEY(b, "offset");
    exh_buf_add_u64(b, offset);
    KEY(b, "message");
    kstr(b, exh_str_make(detail, strlen(detail)));
    exh_buf_adds(b, "}\n");
}

/* One batch of chunk slots [first, first + n) of one file. */
struct batch {
    const uint8_t *p;
    size_t size;
    const struct exh_buf *qpath;
    bool records;
    size_t first, n;
    struct exh_buf *bufs; /* one per slot */
    atomic_size_t next;
};

struct worker {
    struct batch *bt;
    struct exh_evtx_reader *rd;
    struct exh_evtx_stats st;
};

static void *work(void *arg)
{
    struct worker *wk = arg;
    struct batch *bt = wk->bt;
    for (;;) {
        size_t k = atomic_fetch_add(&bt->next, 1);
        if (k >= bt->n)
            break;
        struct out o = {&bt->bufs[k], bt->qpath, bt->records};
        struct exh_evtx_cb cb = {&o, on_record, on_problem};
        exh_evtx_read_slot(wk->rd, bt->p, bt->size, bt->first + k, &cb, &wk->st);
    }
    return NULL;
}

static void flush(struct exh_buf *b)
{
    if (b->n)
        fwrite(b->p, 1, b->n, stdout);
    exh_buf_reset(b);
}

static void read_file(const char *path, const uint8_t *p, size_t n, int threads, bool records,
                      struct worker *wk, struct exh_evtx_stats *st)
{
    struct exh_buf head = {0};
    struct exh_buf qpath = {0};
    exh_json_buf(&qpath, path, strlen(path));
    struct out o = {&head, &qpath, records};
    struct exh_evtx_cb cb = {&o, on_record, on_problem};
    size_t nslots;
    bool ok = exh_evtx_open(p, n, &cb, st, &nslots);
    flush(&head);
    if (ok && (threads <= 1 || nslots < 4)) {
        for (size_t i = 0; i < nslots; i++) {
            exh_evtx_read_slot(wk[0].rd, p, n, i, &cb, st);
            flush(&head);
        }
    } else if (ok) {
        size_t per = (size_t)threads * SLOTS_PER_THREAD;
        struct exh_buf *bufs = exh_xcalloc(per, sizeof(*bufs));
        for (size_t first = 0; first < nslots; first += per) {
            struct batch bt = {
                p, n, &qpath, records, first, nslots - first < per ? nslots - first : per, bufs, 0};
            int nt = (size_t)threads < bt.n ? threads : (int)bt.n;
            struct exh_thread *th[256];
            int started = 0;
            for (int t = 0; t < nt; t++) {
                wk[t].bt = &bt;
                if (t > 0 && exh_os_thread_start(&th[started], work, &wk[t]) == EXH_OK)
                    started++;
            }
            work(&wk[0]); /* this thread works too; a thread that did not start is not needed */
            for (int t = 0; t < started; t++)
                exh_os_thread_join(th[t]);
            for (size_t k = 0; k < bt.n; k++)
                flush(&bufs[k]);
        }
        for (size_t k = 0; k < per; k++)
            exh_buf_release(&bufs[k]);
        free(bufs);
        for (int t = 0; t < threads; t++) {
            exh_evtx_stats_add(st, &wk[t].st);
            memset(&wk[t].st, 0, sizeof(wk[t].st));
        }
    }
    exh_buf_release(&head);
    exh_buf_release(&qpath);
}

struct evtx_args {
    int threads; /* 0: one per CPU */
    bool summary;
    struct cli_list files;
};

static const struct cli_opt evtx_opts[] = {
    CLI_OPT_HELP(),
    /* a row of its own: a missing N has always been "-j needs a number" here */
    {.kind = CLI_INT,
     .sname = 'j',
     .lname = "threads",
     .off = offsetof(struct evtx_args, threads),
     .lo = 1,
     .hi = 256,
     .bad = "--threads takes a number from 1 to 256",
     .missing = "%s needs a number",
     .meta = "N",
     .help = "worker threads for a file's chunks (default: one per CPU);\n"
             "the output is the same for every N"},
    CLI_OPT_FLAG('s', "summary", offsetof(struct evtx_args, summary),
                 "decode every record but print only the error and summary\n"
                 "lines (counts, and the reader's speed without printing)"),
};

static const struct cli_cmd evtx_cmd = {
    .usage = "usage: exhunt evtx [-j N] [--summary] FILE...\n"
             "Prints every record of the .evtx files as JSON Lines: time, record id, channel,\n"
             "provider, event id, level, computer and the event data (named fields as an\n"
             "object, positional ones as an array, empty ones kept), then one summary line\n"
             "per file with the record and error counts. Damaged parts are error lines.\n",
    CLI_OPTS(evtx_opts),
    .epilog = "Exit status: 0 all read, 2 a file could not be opened or had damaged parts.\n",
    .column = 20,
    .unknown = "unknown option for evtx: %s",
    .args_off = offsetof(struct evtx_args, files),
    .flags = CLI_OPTIONS_FIRST | CLI_ARGS_LIST,
};

/* Every file's records, then its summary line: the exit code. */
static int evtx_files(const struct evtx_args *ea)
{
    int threads = ea->threads;
    if (threads <= 0)
        threads = exh_os_cpu_count();
    if (threads < 1)
        threads = 1;
    if (threads > 256)
        threads = 256;
    exh_os_stdio_init();
    struct worker *wk = exh_xcalloc((size_t)threads, sizeof(*wk));
    for (int t = 0; t < threads; t++)
        wk[t].rd = exh_evtx_reader_new();
    int rc = 0;
    for (size_t i = 0; i < ea->files.n; i++) {
        const char *path = ea->files.v[i];
        struct exh_map m;
        const char *sys = NULL;
        if (exh_os_map(path, &m, &sys) != EXH_OK) {
            /* an unopened file has no chunk or offset */
            fputs("{\"type\":\"error\",\"path\":", stdout);
            exh_json_cstr(stdout, path);
            fputs(",\"message\":", stdout);
            exh_json_cstr(stdout, sys ? sys : "cannot open");
            fputs("}\n", stdout);
            rc = 2;
            continue;
        }
        struct exh_evtx_stats st;
        read_file(path, m.p, m.n, threads, !ea->summary, wk, &st);
        printf("{\"type\":\"summary\",\"path\":");
        exh_json_cstr(stdout, path);
        printf(",\"records\":%llu,\"errors\":%llu,\"chunks\":%llu,\"crc_mismatches\":%llu}\n",
               (unsigned long long)st.records, (unsigned long long)st.errors,
               (unsigned long long)st.chunks, (unsigned long long)st.crc_mismatches);
        if (st.errors && rc == 0)
            rc = 2;
        exh_os_unmap(&m);
    }
    for (int t = 0; t < threads; t++)
        exh_evtx_reader_free(wk[t].rd);
    free(wk);
    return rc;
}

int cmd_evtx(int argc, char **argv)
{
    struct evtx_args ea = {0};
    int rc;
    if (argc < 2) {
        cli_args_help(stderr, &evtx_cmd);
        return 2;
    }
    rc = cli_args_parse(&evtx_cmd, &ea, argc, argv);
    if (rc == CLI_GO && !ea.files.n)
        rc = usage_error("evtx needs at least one FILE");
    if (rc == CLI_GO)
        rc = evtx_files(&ea);
    cli_list_release(&ea.files);
    return rc;
}
