/* fuzz_ioc.c: the indicator list reader and the lookups
 * (src/detect/iocset.c) on arbitrary bytes.
 *
 * Input layout: byte 0 chooses how the list is read, the rest is the list.
 *   bit 0     load the list twice (under two source names)
 *   bits 1-2  the format of the self-made list below (plain, MSTIC,
 *             Volexity, HvS)
 *   bit 3     a UTF-8 BOM on the self-made list
 *   bits 5-7  all set (byte 0 >= 0xE0): start from the built-in lists
 *             (exh_iocset_new(true)); only one input in eight, because
 *             reading the built-in hashes costs some thirty plain runs
 *
 * 1. The list is loaded (exh_iocset_load; an empty NULL list as well, as
 *    the CLI may pass for an empty file). The stats add up to at most the
 *    number of lines; the IP and user-agent counts grow by exactly what the
 *    stats say (and a second load of the same bytes says the same again);
 *    without the built-in lists the set has hashes exactly when some were
 *    loaded. Every IP entry is a dotted quad; every user agent has a '+'
 *    spelling that is the same string with spaces turned into '+' and is
 *    at least 4 bytes long (det_ioc.c searches log lines for it: an empty
 *    agent matches every line), and loaded entries carry their source.
 * 2. exh_iocset_hash with digests taken from the input (16/20/32-byte
 *    windows, and every run of 32, 40 or 64 hex digits, decoded) before and
 *    after exh_iocset_prepare: the unsorted linear search and the sorted
 *    binary search must agree; other lengths never match.
 *    exh_iocset_path with fixed paths and with a path made from the input.
 * 3. A self-made list, built from the input's bytes, with one hash (and
 *    note), one Windows path, one IP address and one user agent, in the
 *    format chosen by bits 1-2 (plus comments, a blank line and, in the CSV
 *    formats, a junk row and an indicator type that is not used): the stats
 *    are exact, and every indicator is found again: the hash with its note,
 *    the path as written, upper-cased, and mounted under another folder
 *    (iocset.h: "a copy mounted anywhere matches"), but not with a byte
 *    appended. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/iocset.h"
#include "fuzz.h"
#include "exh/banned.h"

#define IO_SOURCE "fuzz-list"
#define IO_SOURCE2 "fuzz-list-2"
#define IO_SELF "fuzz-self"
#define IO_MAX_DIGESTS 48

static size_t io_stats_sum(const struct exh_ioc_load_stats *st)
{
    return st->hashes + st->paths + st->ips + st->uas + st->ignored + st->bad;
}

static bool io_stats_eq(const struct exh_ioc_load_stats *a, const struct exh_ioc_load_stats *b)
{
    return a->hashes == b->hashes && a->paths == b->paths && a->ips == b->ips && a->uas == b->uas &&
           a->ignored == b->ignored && a->bad == b->bad;
}

/* A dotted quad: four parts of 1-3 digits, each at most 255. */
static bool io_dotted_quad(const char *s)
{
    int parts = 0;
    const char *p = s;
    for (;;) {
        int digits = 0, val = 0;
        while (*p >= '0' && *p <= '9') {
            val = val * 10 + (*p - '0');
            if (++digits > 3)
                return false;
            p++;
        }
        if (!digits || val > 255)
            return false;
        parts++;
        if (parts == 4)
            return *p == '\0';
        if (*p != '.')
            return false;
        p++;
    }
}

static void io_check_string(const char *s)
{
    EXH_FUZZ_CHECK(s != NULL);
    exh_fuzz_touch(s, strlen(s) + 1);
}

/* The IP and user-agent entries: well formed; [from, to) came from `source`. */
static void io_check_entries(const struct exh_iocset *s, size_t ip_from, size_t ip_to,
                             size_t ua_from, size_t ua_to, const char *source)
{
    for (size_t i = 0; i < exh_iocset_nips(s); i++) {
        const char *src = NULL, *ip = exh_iocset_ip(s, i, &src);
        io_check_string(ip);
        io_check_string(src);
        EXH_FUZZ_CHECK(io_dotted_quad(ip));
        EXH_FUZZ_CHECK(exh_iocset_ip(s, i, NULL) == ip);
        if (i >= ip_from && i < ip_to)
            EXH_FUZZ_CHECK(!strcmp(src, source));
    }
    for (size_t i = 0; i < exh_iocset_nuas(s); i++) {
        const char *plus = NULL, *src = NULL;
        bool post_only = true;
        const char *ua = exh_iocset_ua(s, i, &plus, &post_only, &src);
        io_check_string(ua);
        io_check_string(plus);
        io_check_string(src);
        EXH_FUZZ_CHECK(exh_iocset_ua(s, i, NULL, NULL, NULL) == ua);
        size_t n = strlen(ua);
        /* det_ioc.c looks for it with exh_find_ci_lit, and the pre-filter
         * takes needles of 4 bytes or more: a shorter agent (an empty one
         * is found in every line) is not an indicator, in any format */
        EXH_FUZZ_CHECK(n >= 4);
        EXH_FUZZ_CHECK(strlen(plus) == n);
        for (size_t k = 0; k < n; k++)
            EXH_FUZZ_CHECK(plus[k] == (ua[k] == ' ' ? '+' : ua[k]));
        if (i >= ua_from && i < ua_to) {
            EXH_FUZZ_CHECK(!strcmp(src, source));
            EXH_FUZZ_CHECK(!post_only); /* only the built-in list has POST-only agents */
        }
    }
}

/* ------------------------------------------------------------ lookups -- */

struct io_digest {
    uint8_t d[32];
    size_t len;
    bool found;
};

static size_t io_digests(const uint8_t *p, size_t n, struct io_digest *out)
{
    size_t k = 0;
    static const size_t lens[3] = {16, 20, 32};
    /* windows of raw bytes */
    for (size_t l = 0; l < 3; l++) {
        if (n < lens[l])
            continue;
        size_t offs[3] = {0, (n - lens[l]) / 2, n - lens[l]};
        for (size_t o = 0; o < 3; o++) {
            memset(&out[k], 0, sizeof(out[k]));
            memcpy(out[k].d, p + offs[o], lens[l]);
            out[k].len = lens[l];
            k++;
        }
    }
    /* runs of exactly 32, 40 or 64 hex digits */
    size_t i = 0;
    while (i < n && k < IO_MAX_DIGESTS) {
        if (exh_hexval(p[i]) < 0) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && exh_hexval(p[j]) >= 0)
            j++;
        size_t m = j - i;
        if (m == 32 || m == 40 || m == 64) {
            memset(&out[k], 0, sizeof(out[k]));
            for (size_t b = 0; b < m / 2; b++)
                out[k].d[b] =
                    (uint8_t)(exh_hexval(p[i + 2 * b]) << 4 | exh_hexval(p[i + 2 * b + 1]));
            out[k].len = m / 2;
            k++;
        }
        i = j;
    }
    return k;
}

static const char *io_lookup(const struct exh_iocset *s, const struct io_digest *dg)
{
    const char *note = NULL;
    const char *src = exh_iocset_hash(s, dg->d, dg->len, &note);
    if (src) {
        io_check_string(src);
        io_check_string(note);
        EXH_FUZZ_CHECK(exh_iocset_hash(s, dg->d, dg->len, NULL) != NULL);
    }
    /* a digest of another length is never found */
    EXH_FUZZ_CHECK(exh_iocset_hash(s, dg->d, dg->len - 1, NULL) == NULL);
    return src;
}

static void io_check_path(const struct exh_iocset *s, const char *path)
{
    const char *src = exh_iocset_path(s, path);
    if (src)
        io_check_string(src);
}

/* ---------------------------------------------------- self-made list -- */

/* The i-th byte of the input, cycling (or a fixed pattern if it is empty). */
static uint8_t io_byte(const uint8_t *p, size_t n, size_t i)
{
    return n ? p[i % n] : (uint8_t)(i * 37 + 11);
}

/* m bytes from the input at `at`, made safe for one indicator value: no
 * control bytes, no spaces (trimmed) unless allowed, no ',' (a CSV field or
 * a CSV header), no '"' (a quoted field). */
static void io_value(struct exh_buf *b, const uint8_t *p, size_t n, size_t at, size_t m,
                     bool spaces)
{
    for (size_t i = 0; i < m; i++) {
        uint8_t c = io_byte(p, n, at + i);
        bool ok = c >= 0x21 || (spaces && c == ' ' && i > 0 && i + 1 < m);
        if (!ok || c == ',' || c == '"' || c == 0x7F)
            c = '_';
        exh_buf_addc(b, (char)c);
    }
}

static void io_str(struct exh_buf *b, const struct exh_buf *v)
{
    exh_buf_add(b, v->p, v->n);
}

struct io_self {
    uint8_t d[32];
    size_t dlen;
    struct exh_buf hex, note, chunk, path, ip, ua;
};

static void io_self_make(struct io_self *x, const uint8_t *p, size_t n)
{
    memset(x, 0, sizeof(*x));
    static const size_t lens[3] = {16, 20, 32};
    x->dlen = lens[io_byte(p, n, 0) % 3];
    bool upper = io_byte(p, n, 1) & 1;
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    for (size_t i = 0; i < x->dlen; i++) {
        x->d[i] = (uint8_t)(io_byte(p, n, 2 + i) ^ (uint8_t)i);
        exh_buf_addc(&x->hex, (upper ? up : lo)[x->d[i] >> 4]);
        exh_buf_addc(&x->hex, (upper ? up : lo)[x->d[i] & 15]);
    }
    io_value(&x->note, p, n, 40, 1 + io_byte(p, n, 34) % 40, false);
    io_value(&x->chunk, p, n, 80, 1 + io_byte(p, n, 35) % 64, false);
    exh_buf_adds(&x->path, "C:\\");
    io_str(&x->path, &x->chunk);
    char ip[16];
    snprintf(ip, sizeof(ip), "%u.%u.%u.%u", io_byte(p, n, 36), io_byte(p, n, 37), io_byte(p, n, 38),
             io_byte(p, n, 39));
    exh_buf_adds(&x->ip, ip);
    exh_buf_adds(&x->ua, "Mozilla/5.0 (");
    io_value(&x->ua, p, n, 150, 1 + io_byte(p, n, 33) % 48, true);
    exh_buf_addc(&x->ua, ')');
}

static void io_self_release(struct io_self *x)
{
    exh_buf_release(&x->hex);
    exh_buf_release(&x->note);
    exh_buf_release(&x->chunk);
    exh_buf_release(&x->path);
    exh_buf_release(&x->ip);
    exh_buf_release(&x->ua);
}

/* One CSV row with the value and type in the format's columns. */
static void io_row(struct exh_buf *b, int fmt, const char *type, const struct exh_buf *val,
                   const char *note)
{
    switch (fmt) {
    case 1: /* MSTIC: DateAdded,FirstSeen,Indicator,IndicatorType,TLP */
        exh_buf_adds(b, "2021-03-02,2021-03-02,");
        io_str(b, val);
        exh_buf_addf(b, ",%s,TLP:WHITE\r\n", type);
        break;
    case 2: /* Volexity: value,type,notes */
        io_str(b, val);
        exh_buf_addf(b, ",%s,%s\n", type, note);
        break;
    default: /* HvS: Type, Data, Note */
        exh_buf_addf(b, "%s, ", type);
        io_str(b, val);
        exh_buf_addf(b, " , %s\n", note);
        break;
    }
}

static void io_self_list(const struct io_self *x, int fmt, bool bom, struct exh_buf *b)
{
    static const char *const hash_type[33] = {[16] = "md5", [20] = "SHA1", [32] = "sha256"};
    if (bom)
        exh_buf_add(b, "\xEF\xBB\xBF", 3);
    exh_buf_adds(b, "# a list made by fuzz_ioc.c\n\n");
    if (fmt == 0) {
        io_str(b, &x->hex);
        exh_buf_addc(b, ';');
        io_str(b, &x->note);
        exh_buf_adds(b, "\r\n");
        io_str(b, &x->path);
        exh_buf_adds(b, "\n  ");
        io_str(b, &x->ip);
        exh_buf_adds(b, "\t\n# comment\n");
        io_str(b, &x->ua);
        return; /* no final EOL */
    }
    static const char *const header[4] = {NULL, "DateAdded,FirstSeen,Indicator,IndicatorType,TLP",
                                          "value,type,notes", "Type, Data, Note"};
    exh_buf_adds(b, header[fmt]);
    exh_buf_adds(b, "\n");
    io_row(b, fmt, hash_type[x->dlen], &x->hex, fmt == 1 ? "" : x->note.p);
    io_row(b, fmt, "FilePath", &x->path, "planted");
    io_row(b, fmt, fmt == 3 ? "IPv4" : "IPAddress", &x->ip, "scanner");
    io_row(b, fmt, "UserAgent", &x->ua, "agent");
    struct exh_buf dom = {0};
    exh_buf_adds(&dom, "mail.example.test");
    io_row(b, fmt, "Domain", &dom, "not used");
    exh_buf_release(&dom);
    exh_buf_adds(b, "junk\n");
}

static void io_self_check(const uint8_t *p, size_t n, int fmt, bool bom)
{
    struct io_self x;
    io_self_make(&x, p, n);
    struct exh_buf list = {0};
    io_self_list(&x, fmt, bom, &list);
    uint8_t *copy = exh_fuzz_dup(list.p, list.n);
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    exh_iocset_load(s, IO_SELF, copy, list.n, &st);
    free(copy);
    EXH_FUZZ_CHECK(st.hashes == 1 && st.paths == 1 && st.ips == 1 && st.uas == 1);
    EXH_FUZZ_CHECK(st.ignored == (fmt ? 1u : 0u) && st.bad == (fmt ? 1u : 0u));
    exh_iocset_prepare(s);

    const char *note = NULL;
    const char *src = exh_iocset_hash(s, x.d, x.dlen, &note);
    EXH_FUZZ_CHECK(src && !strcmp(src, IO_SELF));
    EXH_FUZZ_CHECK(note && !strcmp(note, fmt == 1 ? "" : x.note.p));

    src = exh_iocset_path(s, x.path.p);
    EXH_FUZZ_CHECK(src && !strcmp(src, IO_SELF));
    struct exh_buf q = {0};
    for (size_t i = 0; i < x.path.n; i++) {
        char c = x.path.p[i];
        exh_buf_addc(&q, c >= 'a' && c <= 'z' ? (char)(c - 32) : c);
    }
    EXH_FUZZ_CHECK(exh_iocset_path(s, q.p) != NULL);
    exh_buf_reset(&q);
    exh_buf_adds(&q, "/mnt/evidence/");
    for (size_t i = 0; i < x.chunk.n; i++)
        exh_buf_addc(&q, x.chunk.p[i] == '\\' ? '/' : x.chunk.p[i]);
    EXH_FUZZ_CHECK(exh_iocset_path(s, q.p) != NULL);
    exh_buf_reset(&q);
    io_str(&q, &x.path);
    exh_buf_addc(&q, '\x01');
    EXH_FUZZ_CHECK(exh_iocset_path(s, q.p) == NULL);
    exh_buf_release(&q);

    EXH_FUZZ_CHECK(exh_iocset_nips(s) == 1);
    EXH_FUZZ_CHECK(!strcmp(exh_iocset_ip(s, 0, NULL), x.ip.p));
    EXH_FUZZ_CHECK(exh_iocset_nuas(s) == 1);
    EXH_FUZZ_CHECK(!strcmp(exh_iocset_ua(s, 0, NULL, NULL, NULL), x.ua.p));
    io_check_entries(s, 0, 1, 0, 1, IO_SELF);

    exh_iocset_free(s);
    io_self_release(&x);
    exh_buf_release(&list);
}

/* -------------------------------------------------------------- entry -- */

int exh_fuzz_ioc(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    bool twice = (sel & 1) != 0, bom = (sel & 8) != 0, builtin = sel >= 0xE0;
    int fmt = (int)(sel >> 1) & 3;
    size_t n = size - 1;
    uint8_t *list = exh_fuzz_dup(data + 1, n);
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += list[i] == '\n';

    struct exh_iocset *s = exh_iocset_new(builtin);
    size_t ips0 = exh_iocset_nips(s), uas0 = exh_iocset_nuas(s);
    bool hashes0 = exh_iocset_has_hashes(s);
    struct exh_ioc_load_stats st, st2;

    /* an empty file (the CLI may pass NULL for it) */
    exh_iocset_load(s, "empty", NULL, 0, &st);
    EXH_FUZZ_CHECK(io_stats_sum(&st) == 0);

    exh_iocset_load(s, IO_SOURCE, list, n, &st);
    EXH_FUZZ_CHECK(io_stats_sum(&st) <= lines);
    if (n == 0)
        EXH_FUZZ_CHECK(io_stats_sum(&st) == 0);
    EXH_FUZZ_CHECK(exh_iocset_nips(s) == ips0 + st.ips);
    EXH_FUZZ_CHECK(exh_iocset_nuas(s) == uas0 + st.uas);
    EXH_FUZZ_CHECK(exh_iocset_has_hashes(s) == (hashes0 || st.hashes > 0));
    io_check_entries(s, ips0, ips0 + st.ips, uas0, uas0 + st.uas, IO_SOURCE);
    if (twice) {
        size_t ips1 = exh_iocset_nips(s), uas1 = exh_iocset_nuas(s);
        exh_iocset_load(s, IO_SOURCE2, list, n, &st2);
        EXH_FUZZ_CHECK(io_stats_eq(&st, &st2));
        EXH_FUZZ_CHECK(exh_iocset_nips(s) == ips1 + st.ips);
        EXH_FUZZ_CHECK(exh_iocset_nuas(s) == uas1 + st.uas);
        io_check_entries(s, ips1, ips1 + st.ips, uas1, uas1 + st.uas, IO_SOURCE2);
    }

    /* hashes: the linear search (not prepared) and the binary search agree */
    struct io_digest dg[IO_MAX_DIGESTS];
    size_t nd = io_digests(list, n, dg);
    for (size_t i = 0; i < nd; i++)
        dg[i].found = io_lookup(s, &dg[i]) != NULL;
    exh_iocset_prepare(s);
    for (size_t i = 0; i < nd; i++)
        EXH_FUZZ_CHECK((io_lookup(s, &dg[i]) != NULL) == dg[i].found);
    exh_iocset_prepare(s); /* again: nothing changes */
    for (size_t i = 0; i < nd; i++)
        EXH_FUZZ_CHECK((io_lookup(s, &dg[i]) != NULL) == dg[i].found);
    uint8_t zero[32] = {0};
    EXH_FUZZ_CHECK(exh_iocset_hash(s, zero, 0, NULL) == NULL);
    EXH_FUZZ_CHECK(exh_iocset_hash(s, zero, 17, NULL) == NULL);

    /* paths */
    static const char *const paths[] = {
        "C:\\inetpub\\wwwroot\\aspnet_client\\570221043.aspx",
        "/mnt/evidence/Program Files/Microsoft/Exchange "
        "Server/V15/FrontEnd/HttpProxy/owa/auth/x.aspx",
        "%ProgramData%\\COM\\x.zip",
        "\\\\server\\share\\inetpub\\wwwroot\\aspnet_client\\system_web\\log.aspx",
        "C:",
        "",
        "%",
        "/",
        "x",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        io_check_path(s, paths[i]);
    /* a path made from the input (up to its first NUL) */
    size_t pl = n < 1024 ? n : 1024;
    char *path = malloc(pl + 1);
    if (!path)
        abort();
    if (pl)
        memcpy(path, list, pl);
    path[pl] = '\0';
    io_check_path(s, path);
    free(path);

    exh_iocset_free(s);
    exh_iocset_free(NULL);

    io_self_check(list, n, fmt, bom);
    free(list);
    return 0;
}

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return exh_fuzz_ioc(data, size);
}
#endif
