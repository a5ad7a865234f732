/* test_iocjson.c: STIX 2.1 and MISP JSON indicator files
 * (src/read/ioc_json.c). The documents below are written here, in a
 * shorthand: '`' stands for '"', so that the JSON reads without escapes. */
#include <time.h>

#include "exh/core.h"
#include "exh/iocread.h"
#include "t.h"

#define MAXREC 64

struct rec_item {
    enum exh_ioc_type type;
    char *value, *title, *reference, *note;
    int confidence, score;
};

struct rec_skip {
    char *where, *why;
    bool understood;
};

struct rec {
    struct rec_item items[MAXREC];
    struct rec_skip skips[MAXREC];
    size_t nitems, nskips, nunderstood, total_items, total_skips;
};

static char *dupn(struct exh_str s)
{
    return exh_xstrndup(s.p ? s.p : "", s.n);
}

static void on_item(void *ud, const struct exh_ioc_item *it)
{
    struct rec *r = ud;
    r->total_items++;
    if (r->nitems == MAXREC)
        return;
    struct rec_item *d = &r->items[r->nitems++];
    d->type = it->type;
    d->value = dupn(it->value);
    d->title = dupn(it->title);
    d->reference = dupn(it->reference);
    d->note = dupn(it->note);
    d->confidence = it->confidence;
    d->score = it->score;
}

static void on_skip(void *ud, const char *where, const char *why, bool understood)
{
    struct rec *r = ud;
    r->total_skips++;
    r->nunderstood += understood;
    if (r->nskips == MAXREC)
        return;
    struct rec_skip *d = &r->skips[r->nskips++];
    d->where = exh_xstrdup(where);
    d->why = exh_xstrdup(why);
    d->understood = understood;
}

static void rec_free(struct rec *r)
{
    for (size_t i = 0; i < r->nitems; i++) {
        free(r->items[i].value);
        free(r->items[i].title);
        free(r->items[i].reference);
        free(r->items[i].note);
    }
    for (size_t i = 0; i < r->nskips; i++) {
        free(r->skips[i].where);
        free(r->skips[i].why);
    }
    memset(r, 0, sizeof(*r));
}

static char err[256];
static enum exh_ioc_format fmt;

/* Read raw bytes into r (cleared first). */
static bool read_raw(struct rec *r, const char *p, size_t n)
{
    struct exh_ioc_sink sink = {r, on_item, on_skip};
    rec_free(r);
    memset(err, 'X', sizeof(err));
    err[sizeof(err) - 1] = '\0';
    return exh_ioc_read_json((const uint8_t *)p, n, &sink, &fmt, err, sizeof(err));
}

/* Read the shorthand document doc ('`' is '"'). */
static bool read_doc(struct rec *r, const char *doc)
{
    char *j = exh_xstrdup(doc);
    for (char *c = j; *c; c++)
        if (*c == '`')
            *c = '"';
    bool ok = read_raw(r, j, strlen(j));
    free(j);
    return ok;
}

/* The first item whose value is v, or NULL. */
static const struct rec_item *find(const struct rec *r, const char *v)
{
    for (size_t i = 0; i < r->nitems; i++)
        if (!strcmp(r->items[i].value, v))
            return &r->items[i];
    return NULL;
}

/* The first skip whose why starts with w, or NULL. */
static const struct rec_skip *find_skip(const struct rec *r, const char *w)
{
    for (size_t i = 0; i < r->nskips; i++)
        if (!strncmp(r->skips[i].why, w, strlen(w)))
            return &r->skips[i];
    return NULL;
}

#define SHA256A "4f2c6a7e1b9d3c5e8a0f2b4d6c8e0a1b3d5f7a9c1e3b5d7f9a2c4e6b8d0f1a3c"
#define SHA256B "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"
#define MD5A "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define SHA1A "1234567890abcdef1234567890abcdef12345678"

/* ============================================================= STIX == */

static const char stix_bundle[] =
    "{`type`: `bundle`, `id`: `bundle--0f3c6d52-6c1e-4b7a-9a43-5b2f6a1d7e10`, `objects`: [\n"
    /* 1 */
    " {`type`: `identity`, `spec_version`: `2.1`, `id`: "
    "`identity--1d9c7a2e-5f3b-4c6d-8e9f-0a1b2c3d4e5f`, `name`: `Example CERT`},\n"
    /* 2: SHA-256, name, confidence, a reference URL */
    " {`type`: `indicator`, `spec_version`: `2.1`, `id`: "
    "`indicator--44af6c9f-4d56-4b5e-9c1a-2f3e4d5c6b7a`, `name`: `China Chopper page`,"
    " `description`: `dropped in aspnet_client`, `confidence`: 85, `pattern_type`: `stix`,"
    " `pattern`: `[file:hashes.'SHA-256' = '" SHA256A "']`,"
    " `external_references`: [{`source_name`: `report`, `url`: "
    "`https://reports.example.com/exchange-2021`}]},\n"
    /* 3: MD5 OR SHA-1, a reference id only */
    " {`type`: `indicator`, `id`: `indicator--0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9`,"
    " `pattern`: `[file:hashes.MD5 = '" MD5A "' OR file:hashes.'SHA-1' = '" SHA1A "']`,"
    " `external_references`: [{`source_name`: `x`, `external_id`: `EX-2021-0042`}]},\n"
    /* 4: addresses and a range */
    " {`type`: `indicator`, `id`: `indicator--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d`,"
    " `pattern`: `[ipv4-addr:value = '203.0.113.10'] OR [ipv4-addr:value = '198.51.100.0/24']"
    " OR [ipv6-addr:value = '2001:db8::15']`},\n"
    /* 5 */
    " {`type`: `indicator`, `id`: `indicator--6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e`,"
    " `pattern`: `[domain-name:value = 'mail-update.example.net']`},\n"
    /* 6 */
    " {`type`: `indicator`, `id`: `indicator--7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f`,"
    " `pattern`: `[url:value = 'https://files.example.com/owa/auth/logon.aspx']`},\n"
    /* 7: AND: a name and its folder: the name (the folder is not used) */
    " {`type`: `indicator`, `id`: `indicator--8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a`,"
    " `pattern`: `[file:name = 'errorEE.aspx' AND file:parent_directory_ref.path = "
    "'C:\\\\\\\\inetpub\\\\\\\\wwwroot\\\\\\\\aspnet_client']`},\n"
    /* 8 */
    " {`type`: `indicator`, `id`: `indicator--9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b`,"
    " `pattern`: `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = "
    "'Mozilla/5.0 (compatible; ExchangeSync/1.0)']`},\n"
    /* 9: IN */
    " {`type`: `indicator`, `id`: `indicator--a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d`,"
    " `pattern`: `[domain-name:value IN ('a.example.com', 'b.example.net')]`},\n"
    /* 10: LIKE */
    " {`type`: `indicator`, `id`: `indicator--b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e`,"
    " `pattern`: `[domain-name:value LIKE '%.example.org']`},\n"
    /* 11: YARA */
    " {`type`: `indicator`, `id`: `indicator--c2d3e4f5-a6b7-4c8d-8e9f-1a2b3c4d5e6f`,"
    " `name`: `aspx shell rule`, `pattern_type`: `yara`,"
    " `pattern`: `rule ex_shell { strings: $a = \\`Request.Form\\` condition: $a }`},\n"
    /* 12: sigma */
    " {`type`: `indicator`, `id`: `indicator--d3e4f5a6-b7c8-4d9e-9f0a-2b3c4d5e6f70`,"
    " `pattern_type`: `sigma`, `pattern`: `title: x`},\n"
    /* 13-14 */
    " {`type`: `relationship`, `id`: `relationship--e4f5a6b7-c8d9-4e0f-8a1b-3c4d5e6f7081`},\n"
    " {`type`: `malware`, `id`: `malware--f5a6b7c8-d9e0-4f1a-9b2c-4d5e6f708192`},\n"
    /* 15: revoked */
    " {`type`: `indicator`, `id`: `indicator--a6b7c8d9-e0f1-4a2b-8c3d-5e6f708192a3`,"
    " `revoked`: true, `pattern`: `[domain-name:value = 'old.example.com']`},\n"
    /* 16: a pattern that does not read */
    " {`type`: `indicator`, `id`: `indicator--b7c8d9e0-f1a2-4b3c-9d4e-6f708192a3b4`,"
    " `pattern`: `[file:name = 'x.aspx'`},\n"
    /* 17: a registry key */
    " {`type`: `indicator`, `id`: `indicator--c8d9e0f1-a2b3-4c4d-8e5f-708192a3b4c5`,"
    " `pattern`: `[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\\\\\Software\\\\\\\\x']`},\n"
    /* 18: a destination that is a name: guessed */
    " {`type`: `indicator`, `id`: `indicator--d9e0f1a2-b3c4-4d5e-9f60-8192a3b4c5d6`,"
    " `pattern`: `[network-traffic:dst_ref.value = 'c2.example.net']`},\n"
    /* 19: confidence out of range */
    " {`type`: `indicator`, `id`: `indicator--e0f1a2b3-c4d5-4e6f-8071-92a3b4c5d6e7`,"
    " `confidence`: 150, `pattern`: `[url:value = 'http://203.0.113.77/ecp/y.js']`}\n"
    "]}";

static void test_stix_bundle(void)
{
    struct rec r = {0};
    CHECK(read_doc(&r, stix_bundle));
    CHECK_EQ_INT(fmt, EXH_IOCF_STIX);
    CHECK_EQ_INT(r.total_items, 15);
    CHECK_EQ_INT(r.total_skips, 9);
    CHECK_EQ_INT(r.nunderstood, 8);

    const struct rec_item *it = find(&r, SHA256A);
    if (CHECK(it)) {
        CHECK_EQ_INT(it->type, EXH_IOC_HASH);
        CHECK_EQ_STR(it->title, "China Chopper page");
        CHECK_EQ_STR(it->note, "dropped in aspnet_client");
        CHECK_EQ_STR(it->reference, "https://reports.example.com/exchange-2021");
        CHECK_EQ_INT(it->confidence, 85);
        CHECK_EQ_INT(it->score, -1);
    }
    it = find(&r, MD5A);
    if (CHECK(it)) {
        CHECK_EQ_INT(it->type, EXH_IOC_HASH);
        CHECK_EQ_STR(it->reference, "EX-2021-0042");
        CHECK_EQ_INT(it->confidence, -1);
        CHECK_EQ_STR(it->title, "");
    }
    it = find(&r, SHA1A);
    CHECK(it && it->type == EXH_IOC_HASH);
    it = find(&r, "203.0.113.10");
    if (CHECK(it)) {
        CHECK_EQ_INT(it->type, EXH_IOC_IP);
        CHECK_EQ_STR(it->reference, "indicator--5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d");
    }
    it = find(&r, "198.51.100.0/24");
    CHECK(it && it->type == EXH_IOC_IP);
    it = find(&r, "2001:db8::15");
    CHECK(it && it->type == EXH_IOC_IP);
    it = find(&r, "mail-update.example.net");
    CHECK(it && it->type == EXH_IOC_DOMAIN);
    it = find(&r, "https://files.example.com/owa/auth/logon.aspx");
    CHECK(it && it->type == EXH_IOC_URL);
    it = find(&r, "errorEE.aspx");
    CHECK(it && it->type == EXH_IOC_NAME);
    /* a folder is not a file: not used */
    CHECK(!find(&r, "C:\\inetpub\\wwwroot\\aspnet_client"));
    it = find(&r, "Mozilla/5.0 (compatible; ExchangeSync/1.0)");
    CHECK(it && it->type == EXH_IOC_UA);
    it = find(&r, "a.example.com");
    CHECK(it && it->type == EXH_IOC_DOMAIN);
    it = find(&r, "b.example.net");
    CHECK(it && it->type == EXH_IOC_DOMAIN);
    it = find(&r, "rule ex_shell { strings: $a = \"Request.Form\" condition: $a }");
    if (CHECK(it)) {
        CHECK_EQ_INT(it->type, EXH_IOC_YARA);
        CHECK_EQ_STR(it->title, "aspx shell rule");
    }
    it = find(&r, "c2.example.net");
    CHECK(it && it->type == EXH_IOC_DOMAIN);
    it = find(&r, "http://203.0.113.77/ecp/y.js");
    CHECK(it && it->type == EXH_IOC_URL && it->confidence == -1);
    CHECK(!find(&r, "old.example.com"));

    const struct rec_skip *s = find_skip(&r, "STIX identity object");
    if (CHECK(s)) {
        CHECK_EQ_STR(s->where, "object 1 (identity--1d9c7a2e-5f3b-4c6d-8e9f-0a1b2c3d4e5f)");
        CHECK_EQ_STR(s->why, "STIX identity object, not an indicator");
        CHECK(s->understood);
    }
    CHECK(find_skip(&r, "STIX relationship object, not an indicator"));
    CHECK(find_skip(&r, "STIX malware object, not an indicator"));
    s = find_skip(&r, "revoked");
    CHECK(s && s->understood);
    s = find_skip(&r, "STIX pattern not understood");
    if (CHECK(s)) {
        CHECK(!s->understood);
        CHECK_EQ_STR(s->where, "object 16 (indicator--b7c8d9e0-f1a2-4b3c-9d4e-6f708192a3b4)");
    }
    s = find_skip(&r, "STIX windows-registry-key comparison, not matched by exhunt");
    CHECK(s && s->understood);
    s = find_skip(&r, "STIX LIKE comparison");
    CHECK(s && s->understood);
    s = find_skip(&r, "STIX sigma pattern");
    CHECK(s && s->understood);
    rec_free(&r);
}

/* One indicator with pattern pat: items and skips (not understood in nu). */
static void one_pattern(const char *pat, size_t items, size_t skips, size_t nu)
{
    struct rec r = {0};
    char doc[2048];
    snprintf(doc, sizeof(doc), "{`type`: `indicator`, `id`: `indicator--1`, `pattern`: `%s`}", pat);
    T_CTX(pat);
    CHECK(read_doc(&r, doc));
    CHECK_EQ_INT(fmt, EXH_IOCF_STIX);
    CHECK_EQ_INT(r.total_items, items);
    CHECK_EQ_INT(r.total_skips, skips);
    CHECK_EQ_INT(r.total_skips - r.nunderstood, nu);
    rec_free(&r);
    T_CTX(NULL);
}

static void test_stix_patterns(void)
{
    /* what reads */
    one_pattern("[file:name = 'a.aspx']", 1, 0, 0);
    one_pattern("[file:name == 'a.aspx']", 1, 0, 0);
    one_pattern("[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES WITHIN 10 SECONDS", 1, 0, 0);
    one_pattern("([ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'x.example.com'])"
                " START t'2021-03-01T00:00:00Z' STOP t'2021-04-01T00:00:00Z'",
                2, 0, 0);
    one_pattern("[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [url:value = 'http://x.example.com/a']",
                2, 0, 0);
    one_pattern("[(file:name = 'a.aspx' OR file:name = 'b.aspx') AND file:size > 100]", 2, 1, 0);
    one_pattern("[file:hashes.sha256 = '" SHA256B "']", 1, 0, 0);
    one_pattern("[file:hashes.'sha-256' = '" SHA256B "']", 1, 0, 0);
    one_pattern("[file:hashes.'SHA-512' = 'ab']", 0, 1, 0);
    one_pattern("[file:name NOT = 'a.aspx']", 0, 1, 0);
    one_pattern("[file:name != 'a.aspx']", 0, 1, 0);
    one_pattern("[file:name MATCHES '^a']", 0, 1, 0);
    one_pattern("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", 0, 1, 0);
    one_pattern("[file:size >= 5]", 0, 1, 0);
    one_pattern("[file:name = 5]", 0, 1, 0);
    one_pattern("[EXISTS file:name]", 0, 1, 0);
    one_pattern("[ipv4-addr:value IN ('192.0.2.1', 5)]", 1, 1, 0);
    one_pattern("[ipv4-addr:value NOT IN ('192.0.2.1')]", 0, 1, 0);
    one_pattern("[x509-certificate:hashes.'SHA-256' = '" SHA256B "']", 0, 1, 0);
    one_pattern("[email-addr:value = 'a@example.com'] OR [mutex:name = 'x']", 0, 2, 0);
    one_pattern("[process:extensions[0].x = 'y']", 0, 1, 0);
    /* an object path longer than the normalised form holds (once a hang) */
    char longpath[600];
    snprintf(longpath, sizeof(longpath), "[%0300d:%0200d = 'a']", 6, 2);
    one_pattern(longpath, 0, 1, 0);
    snprintf(longpath, sizeof(longpath), "[file:%0300d = 'a'] OR [file:name = 'b.aspx']", 2);
    one_pattern(longpath, 1, 1, 0);
    /* values checked by the caller: an address that is none */
    one_pattern("[ipv4-addr:value = 'not an address']", 0, 1, 1);
    /* what does not read: one skip, not understood, no items */
    static const char *const bad[] = {
        "",
        "[]",
        "[file:name = ]",
        "[file:name = 'a.aspx'] AND",
        "file:name = 'a.aspx'",
        "[file:name = 'a.aspx']]",
        "[(file:name = 'a.aspx']",
        "([file:name = 'a.aspx']",
        "[file:name = 'a.aspx'] WITHIN SECONDS",
        "[file:name = 'unterminated]",
        "[file:name ~ 'a']",
        "[:name = 'a']",
        "[file: = 'a']",
        "[file:name IN 'a']",
        "[file:name IN ('a',)]",
        "[ipv4-addr:value = '192.0.2.1'] junk",
        "[file:name = 'a.aspx' AND]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        one_pattern(bad[i], 0, 1, 1);

    /* escapes: \' and \\ (written \\\\ in a JSON string here) */
    struct rec r = {0};
    CHECK(read_doc(&r, "{`type`: `indicator`, `id`: `indicator--1`,"
                       " `pattern`: `[file:name = 'o\\\\'brien.aspx' OR file:name = "
                       "'C:\\\\\\\\x\\\\\\\\y.aspx']`}"));
    CHECK_EQ_INT(r.total_items, 2);
    CHECK(find(&r, "o'brien.aspx") && find(&r, "o'brien.aspx")->type == EXH_IOC_NAME);
    CHECK(find(&r, "C:\\x\\y.aspx") && find(&r, "C:\\x\\y.aspx")->type == EXH_IOC_PATH);
    /* a top-level array of STIX objects */
    CHECK(read_doc(&r, "[{`type`: `identity`, `id`: `identity--1`}, {`type`: `indicator`,"
                       " `id`: `indicator--2`, `pattern`: `[url:value = 'http://x.example.com/']`,"
                       " `confidence`: 0}]"));
    CHECK_EQ_INT(fmt, EXH_IOCF_STIX);
    CHECK_EQ_INT(r.total_items, 1);
    CHECK_EQ_INT(r.total_skips, 1);
    CHECK(r.nitems == 1 && r.items[0].confidence == 0);
    CHECK(r.nskips == 1 && !strcmp(r.skips[0].where, "object 1 (identity--1)"));
    /* other pattern types */
    CHECK(read_doc(&r, "{`type`: `indicator`, `pattern_type`: `snort`, `pattern`: `alert`}"));
    CHECK_EQ_INT(r.total_skips, 1);
    CHECK(r.nskips == 1 && r.skips[0].understood &&
          !strcmp(r.skips[0].why, "STIX snort pattern, not matched by exhunt") &&
          !strcmp(r.skips[0].where, "object 1"));
    /* a name ANDed with a hash only qualifies it: the hash alone is matched */
    CHECK(read_doc(&r, "{`type`: `indicator`, `pattern`: `[file:name = 'web.config' AND "
                       "file:hashes.MD5 = '" MD5A "']`}"));
    CHECK_EQ_INT(r.total_items, 1);
    CHECK(find(&r, MD5A) && !find(&r, "web.config"));
    CHECK_EQ_INT(r.nunderstood, 1);
    rec_free(&r);
}

/* ============================================================= MISP == */

static const char misp_event[] =
    "{`Event`: {`id`: `1207`, `uuid`: `5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`,"
    " `info`: `Exchange intrusion, March 2021`, `Attribute`: [\n"
    /* 1 */ " {`type`: `ip-dst`, `value`: `203.0.113.50`, `to_ids`: true, `comment`: `C2`},\n"
    /* 2 */ " {`type`: `ip-src|port`, `value`: `198.51.100.23|443`, `to_ids`: true},\n"
    /* 3 */ " {`type`: `domain`, `value`: `owa-sync.example.net`},\n"
    /* 4 */ " {`type`: `hostname`, `value`: `mx1.owa-sync.example.net`},\n"
    /* 5 */ " {`type`: `url`, `value`: `https://owa-sync.example.net/ecp/x.js`},\n"
    /* 6 */ " {`type`: `md5`, `value`: `" MD5A "`},\n"
    /* 7 */ " {`type`: `sha256`, `value`: `" SHA256A "`},\n"
    /* 8 */ " {`type`: `filename|sha256`, `value`: `help.aspx|" SHA256B "`},\n"
    /* 9 */ " {`type`: `user-agent`, `value`: `python-requests/2.25.1`},\n"
    /* 10 */ " {`type`: `regkey`, `value`: `HKLM\\\\Software\\\\x`},\n"
    /* 11 */ " {`type`: `sha1`, `value`: `" SHA1A "`, `to_ids`: false},\n"
    /* 12 */ " {`type`: `md5`, `value`: `" MD5A "`, `to_ids`: `0`},\n"
    /* 13 */ " {`type`: `md5`, `value`: `" MD5A "`, `deleted`: true},\n"
    /* 14 */ " {`type`: `text`, `value`: `some words`}\n"
    " ], `Object`: [{`name`: `file`, `Attribute`: [\n"
    "  {`type`: `filename`, `value`: `shell.aspx`, `comment`: `web shell`},\n"
    "  {`type`: `sha256`, `value`: `" SHA256B "`},\n"
    "  {`type`: `size-in-bytes`, `value`: `1024`}\n"
    " ]}]}}";

static void test_misp_event(void)
{
    struct rec r = {0};
    CHECK(read_doc(&r, misp_event));
    CHECK_EQ_INT(fmt, EXH_IOCF_MISP);
    CHECK_EQ_INT(r.total_items, 11);
    CHECK_EQ_INT(r.total_skips, 7);
    CHECK_EQ_INT(r.nunderstood, 7);
    const struct rec_item *it = find(&r, "203.0.113.50");
    if (CHECK(it)) {
        CHECK_EQ_INT(it->type, EXH_IOC_IP);
        CHECK_EQ_STR(it->title, "Exchange intrusion, March 2021");
        CHECK_EQ_STR(it->reference, "MISP event 5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
        CHECK_EQ_STR(it->note, "C2");
        CHECK_EQ_INT(it->confidence, -1);
        CHECK_EQ_INT(it->score, -1);
    }
    CHECK(find(&r, "198.51.100.23") && find(&r, "198.51.100.23")->type == EXH_IOC_IP);
    CHECK(!find(&r, "443"));
    CHECK(find(&r, "owa-sync.example.net") &&
          find(&r, "owa-sync.example.net")->type == EXH_IOC_DOMAIN);
    CHECK(find(&r, "mx1.owa-sync.example.net"));
    CHECK(find(&r, "https://owa-sync.example.net/ecp/x.js") &&
          find(&r, "https://owa-sync.example.net/ecp/x.js")->type == EXH_IOC_URL);
    CHECK(find(&r, MD5A) && find(&r, SHA256A));
    CHECK(!find(&r, "help.aspx")); /* a name qualifying a hash is not used alone */
    CHECK(find(&r, SHA256B) && find(&r, SHA256B)->type == EXH_IOC_HASH);
    CHECK(find(&r, "python-requests/2.25.1") &&
          find(&r, "python-requests/2.25.1")->type == EXH_IOC_UA);
    it = find(&r, "shell.aspx");
    CHECK(it && it->type == EXH_IOC_NAME && !strcmp(it->note, "web shell"));
    const struct rec_skip *s = find_skip(&r, "MISP regkey attribute, not matched by exhunt");
    CHECK(s && s->understood && !strcmp(s->where, "Event 1 Attribute 10"));
    s = find_skip(&r, "to_ids is off");
    CHECK(s && !strcmp(s->where, "Event 1 Attribute 11"));
    CHECK(find_skip(&r, "deleted"));
    CHECK(find_skip(&r, "MISP text attribute"));
    s = find_skip(&r, "MISP size-in-bytes attribute");
    CHECK(s && !strcmp(s->where, "Event 1 Object 1 Attribute 3"));
    rec_free(&r);
}

static void test_misp_forms(void)
{
    struct rec r = {0};
    /* a REST search answer */
    CHECK(read_doc(&r, "{`response`: [{`Event`: {`info`: `one`, `uuid`: `u-1`, `Attribute`: ["
                       "{`type`: `domain`, `value`: `a.example.com`},"
                       "{`type`: `domain|ip`, `value`: `b.example.com|192.0.2.9`}]}},"
                       "{`Event`: {`info`: `two`, `id`: 17, `Attribute`: ["
                       "{`type`: `ip-dst`, `value`: `192.0.2.10`}]}}]}"));
    CHECK_EQ_INT(fmt, EXH_IOCF_MISP);
    CHECK_EQ_INT(r.total_items, 4);
    CHECK_EQ_INT(r.total_skips, 0);
    CHECK(find(&r, "192.0.2.9") && find(&r, "192.0.2.9")->type == EXH_IOC_IP);
    CHECK(find(&r, "b.example.com") && !strcmp(find(&r, "b.example.com")->title, "one"));
    CHECK(find(&r, "192.0.2.10") && !strcmp(find(&r, "192.0.2.10")->reference, "MISP event 17"));
    /* an array of events, one element junk */
    CHECK(read_doc(&r, "[{`Event`: {`info`: `x`, `Attribute`: ["
                       "{`type`: `url`, `value`: `http://c.example.com/x`}]}}, `junk`,"
                       "{`Event`: {`info`: `y`, `Attribute`: ["
                       "{`type`: `md5`, `value`: `" MD5A "`}]}}]"));
    CHECK_EQ_INT(fmt, EXH_IOCF_MISP);
    CHECK_EQ_INT(r.total_items, 2);
    CHECK_EQ_INT(r.total_skips, 1);
    CHECK(r.nskips == 1 && !r.skips[0].understood && !strcmp(r.skips[0].where, "Event 2"));
    CHECK(r.nitems == 2 && !strcmp(r.items[1].reference, ""));
    /* a bare event */
    CHECK(read_doc(&r, "{`info`: `bare`, `Attribute`: [{`type`: `hostname`, `value`: "
                       "`d.example.net`, `to_ids`: `1`}]}"));
    CHECK_EQ_INT(fmt, EXH_IOCF_MISP);
    CHECK_EQ_INT(r.total_items, 1);
    /* after a UTF-8 BOM */
    const char bom[] =
        "\xef\xbb\xbf{\"Event\": {\"Attribute\": [{\"type\": \"md5\", \"value\": \"" MD5A "\"}]}}";
    CHECK(read_raw(&r, bom, strlen(bom)));
    CHECK_EQ_INT(r.total_items, 1);
    /* an empty search answer: MISP, nothing in it */
    CHECK(read_doc(&r, "{`response`: []}"));
    CHECK_EQ_INT(fmt, EXH_IOCF_MISP);
    CHECK_EQ_INT(r.total_items + r.total_skips, 0);
    /* a composite value without its '|', a bad part */
    CHECK(read_doc(&r, "{`Event`: {`Attribute`: [{`type`: `filename|md5`, `value`: `x.aspx`},"
                       "{`type`: `filename|md5`, `value`: `x.aspx|nothex`}]}}"));
    CHECK_EQ_INT(r.total_items, 0);
    CHECK_EQ_INT(r.total_skips, 3);
    CHECK_EQ_INT(r.nunderstood, 1); /* the name qualifying the hash */
    rec_free(&r);
}

/* ========================================================== hostile == */

static void test_not_json(void)
{
    struct rec r = {0};
    static const char *const neither[] = {"{}",
                                          "[]",
                                          "5",
                                          "\"x\"",
                                          "null",
                                          "[1, 2]",
                                          "{\"type\": \"malware\"}",
                                          "[{\"type\": \"x\"}]",
                                          "{\"info\": \"x\"}"};
    for (size_t i = 0; i < sizeof(neither) / sizeof(neither[0]); i++) {
        T_CTX(neither[i]);
        CHECK(!read_raw(&r, neither[i], strlen(neither[i])));
        CHECK_EQ_INT(fmt, EXH_IOCF_NONE);
        CHECK_EQ_STR(err, "JSON, but neither a STIX 2.1 bundle nor a MISP event");
        CHECK_EQ_INT(r.total_items + r.total_skips, 0);
    }
    T_CTX(NULL);
    static const char *const broken[] = {"", "{", "{\"Event\": {}", "{\"a\": 1,}", "\xef\xbb"};
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
        T_CTX(broken[i]);
        CHECK(!read_raw(&r, broken[i], strlen(broken[i])));
        CHECK(!strncmp(err, "not valid JSON: line ", 21));
        CHECK_EQ_INT(r.total_items + r.total_skips, 0);
    }
    T_CTX(NULL);
    /* invalid UTF-8 in a value */
    const char bad8[] = "{\"type\": \"indicator\", \"name\": \"\xff\xfe\", \"pattern\": "
                        "\"[file:name = 'a.aspx']\"}";
    CHECK(!read_raw(&r, bad8, strlen(bad8)));
    CHECK(!strncmp(err, "not valid JSON: line 1: ", 24));
    CHECK_EQ_INT(r.total_items + r.total_skips, 0);
    /* trailing bytes after the document */
    CHECK(!read_doc(&r, "{`Event`: {}} {}"));
    rec_free(&r);
}

static void test_deep(void)
{
    size_t depth = 100000;
    char *p = exh_xmalloc(2 * depth);
    memset(p, '[', depth);
    memset(p + depth, ']', depth);
    struct rec r = {0};
    clock_t t0 = clock();
    CHECK(!read_raw(&r, p, 2 * depth));
    CHECK(!strncmp(err, "not valid JSON", 14));
    CHECK_EQ_INT(r.total_items + r.total_skips, 0);
    /* objects too, under a STIX bundle */
    const char *head = "{\"type\":\"bundle\",\"objects\":";
    size_t hn = strlen(head);
    char *q = exh_xmalloc(hn + 6 * depth + 2);
    memcpy(q, head, hn);
    size_t k = hn;
    for (size_t i = 0; i < depth; i++, k += 5)
        memcpy(q + k, "{\"a\":", 5);
    q[k++] = '1';
    memset(q + k, '}', depth + 1);
    k += depth + 1;
    CHECK(!read_raw(&r, q, k));
    CHECK(!strncmp(err, "not valid JSON", 14));
    CHECK_EQ_INT(r.total_items + r.total_skips, 0);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    free(p);
    free(q);
    rec_free(&r);
}

static void test_wrong_types(void)
{
    struct rec r = {0};
    CHECK(read_doc(&r, "{`type`: `bundle`, `objects`: [1, `x`, null, {`type`: 5},"
                       " {`type`: `indicator`, `pattern`: 7},"
                       " {`type`: `indicator`, `pattern`: `[file:name = 'a.aspx']`, `name`: 3,"
                       "  `description`: [], `confidence`: `high`, `external_references`: `x`,"
                       "  `revoked`: `yes`, `id`: 12},"
                       " {`type`: `indicator`, `pattern_type`: [`yara`], `pattern`: `x`},"
                       " {`type`: `indicator`, `pattern`: `[url:value = 'http://e.example.com/']`,"
                       "  `external_references`: [5, {`url`: `http://r.example.com/`}],"
                       "  `confidence`: 50.5},"
                       " {`type`: `indicator`, `pattern`: `[url:value = 'http://f.example.com/']`,"
                       "  `external_references`: [{`url`: 5, `external_id`: {}}], `id`: `ind--9`}"
                       "]}"));
    CHECK_EQ_INT(fmt, EXH_IOCF_STIX);
    CHECK_EQ_INT(r.total_items, 3);
    CHECK_EQ_INT(r.total_skips, 6);
    CHECK_EQ_INT(r.nunderstood, 0);
    const struct rec_item *it = find(&r, "a.aspx");
    CHECK(it && !strcmp(it->title, "") && !strcmp(it->reference, "") && it->confidence == -1 &&
          !strcmp(it->note, ""));
    it = find(&r, "http://e.example.com/");
    CHECK(it && !strcmp(it->reference, "") && it->confidence == -1);
    it = find(&r, "http://f.example.com/");
    CHECK(it && !strcmp(it->reference, "ind--9"));
    CHECK(read_doc(&r, "{`type`: `bundle`, `objects`: `x`}"));
    CHECK_EQ_INT(r.total_skips, 1);
    CHECK(read_doc(&r, "{`type`: `bundle`}"));
    CHECK_EQ_INT(r.total_items + r.total_skips, 0);

    CHECK(read_doc(&r, "{`Event`: {`info`: 5, `uuid`: [], `id`: 3.5, `Attribute`: [5,"
                       " {`type`: `md5`, `value`: 5}, {`type`: 7, `value`: `x`}, {`type`: `md5`},"
                       " `s`, {`type`: `md5`, `value`: `" MD5A "`, `comment`: 4,"
                       "  `to_ids`: null, `deleted`: `no`}],"
                       " `Object`: [3, {`Attribute`: `x`}, {`Attribute`: [null]}, {}]}}"));
    CHECK_EQ_INT(fmt, EXH_IOCF_MISP);
    CHECK_EQ_INT(r.total_items, 1);
    CHECK_EQ_INT(r.total_skips, 8);
    CHECK_EQ_INT(r.nunderstood, 0);
    CHECK(r.nitems == 1 && !strcmp(r.items[0].title, "") && !strcmp(r.items[0].reference, ""));
    CHECK(read_doc(&r, "{`Event`: `string`}"));
    CHECK_EQ_INT(r.total_skips, 1);
    CHECK(read_doc(&r, "{`Event`: {`Attribute`: {}, `Object`: 5}}"));
    CHECK_EQ_INT(r.total_skips, 2);
    CHECK(read_doc(&r, "{`response`: [1, {`Event`: []}, {`x`: 1}]}"));
    CHECK_EQ_INT(r.total_skips, 3);
    CHECK_EQ_INT(r.total_items, 0);
    rec_free(&r);
}

/* A 20 MB value: skipped as too long, in both formats. */
static void test_huge_value(void)
{
    size_t big = 20u << 20;
    const char *pre[2] = {"{\"Event\":{\"Attribute\":[{\"type\":\"md5\",\"value\":\"",
                          "{\"type\":\"indicator\",\"pattern\":\"[file:name = '"};
    const char *post[2] = {"\"}]}}", "']\"}"};
    for (int f = 0; f < 2; f++) {
        size_t a = strlen(pre[f]), b = strlen(post[f]);
        char *p = exh_xmalloc(a + big + b);
        memcpy(p, pre[f], a);
        memset(p + a, 'a', big);
        memcpy(p + a + big, post[f], b);
        struct rec r = {0};
        CHECK(read_raw(&r, p, a + big + b));
        CHECK_EQ_INT(r.total_items, 0);
        CHECK_EQ_INT(r.total_skips, 1);
        CHECK(r.nskips == 1 && !strcmp(r.skips[0].why, "too long"));
        rec_free(&r);
        free(p);
    }
}

int main(void)
{
    T_RUN(test_stix_bundle);
    T_RUN(test_stix_patterns);
    T_RUN(test_misp_event);
    T_RUN(test_misp_forms);
    T_RUN(test_not_json);
    T_RUN(test_deep);
    T_RUN(test_wrong_types);
    T_RUN(test_huge_value);
    return T_DONE("unit-iocjson");
}
