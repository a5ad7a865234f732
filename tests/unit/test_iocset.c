/* test_iocset.c: indicator lists (src/detect/iocset.c) and zip names. */
#include "exh/hash.h"
#include "exh/iocset.h"
#include "exh/zip.h"
#include "t.h"

static void load(struct exh_iocset *s, const char *text, struct exh_ioc_load_stats *st)
{
    exh_iocset_load(s, "test-list", (const uint8_t *)text, strlen(text), st);
    exh_iocset_prepare(s);
}

static void test_formats(void)
{
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    load(s,
         "# a comment\n"
         "d41d8cd98f00b204e9800998ecf8427e\n"                                    /* md5 */
         "da39a3ee5e6b4b0d3255bfef95601890afd80709;empty file\n"                 /* sha1 */
         "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855, x\n" /* sha256 */
         "198.51.100.7\n"
         "999.1.1.1\n"
         "C:\\inetpub\\wwwroot\\custom\\x.aspx\n"
         "Evil Agent/1.0 (test)\n"
         "\x01\x02\n",
         &st);
    CHECK_EQ_INT(st.hashes, 3);
    CHECK_EQ_INT(st.ips, 1);
    CHECK_EQ_INT(st.paths, 1);
    CHECK_EQ_INT(st.uas, 2); /* "999.1.1.1" is no address: taken as text */
    CHECK_EQ_INT(st.bad, 1);
    uint8_t d[32];
    exh_sha256((const uint8_t *)"", 0, d);
    const char *note = NULL;
    CHECK_EQ_STR(exh_iocset_hash(s, d, 32, &note), "test-list");
    CHECK_EQ_STR(note, "x");
    d[0] ^= 1;
    CHECK(exh_iocset_hash(s, d, 32, NULL) == NULL);
    CHECK(exh_iocset_hash(s, d, 7, NULL) == NULL);
    CHECK_EQ_STR(exh_iocset_path(s, "mnt/c/INETPUB/wwwroot/Custom/X.aspx"), "test-list");
    CHECK_EQ_STR(exh_iocset_path(s, "inetpub\\wwwroot\\custom\\x.aspx"), "test-list");
    CHECK(exh_iocset_path(s, "inetpub/wwwroot/custom/xx.aspx") == NULL);
    CHECK(exh_iocset_path(s, "other/inetpub/wwwroot/custom/x.aspx.bak") == NULL);
    const char *plus = NULL;
    bool post = true;
    exh_iocset_ua(s, 1, &plus, &post, NULL);
    CHECK_EQ_STR(plus, "Evil+Agent/1.0+(test)");
    CHECK(!post);
    exh_iocset_free(s);
}

static void test_csv(void)
{
    struct exh_iocset *s = exh_iocset_new(false);
    struct exh_ioc_load_stats st;
    load(s,
         "DateAdded,FirstSeen,Indicator,IndicatorType,TLP\n"
         "2021-03-09,,C:\\inetpub\\wwwroot\\aspnet_client\\a.aspx,filepath,White\n"
         "2021-03-09,,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,sha256,"
         "White\n"
         "2021-03-09,,evil.example,domainname,White\n"
         "short\n",
         &st);
    CHECK_EQ_INT(st.paths, 1);
    CHECK_EQ_INT(st.hashes, 1);
    CHECK_EQ_INT(st.ignored, 1);
    CHECK_EQ_INT(st.bad, 1);
    CHECK_EQ_STR(exh_iocset_path(s, "x/inetpub/wwwroot/aspnet_client/A.ASPX"), "test-list");
    exh_iocset_free(s);
    s = exh_iocset_new(false);
    load(s, "Type, Data, Note\nIPV4,203.0.113.9,c2\nMD5,d41d8cd98f00b204e9800998ecf8427e,x\n", &st);
    CHECK_EQ_INT(st.ips, 1);
    CHECK_EQ_INT(st.hashes, 1);
    exh_iocset_free(s);
}

static void test_builtin(void)
{
    struct exh_iocset *s = exh_iocset_new(true);
    exh_iocset_prepare(s);
    CHECK(exh_iocset_has_hashes(s));
    CHECK(exh_iocset_nips(s) >= 15);
    CHECK(exh_iocset_nuas(s) >= 10);
    /* a published path, under any mount point and case */
    CHECK(exh_iocset_path(s, "mnt/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/"
                             "owa/auth/8Lw7tAhF9i1pJnRo.aspx") != NULL);
    CHECK(exh_iocset_path(s, "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/"
                             "owa/auth/logon.aspx") == NULL);
    /* a published SHA-256 (MSTIC list) */
    uint8_t d[32];
    const char *hex = "b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0";
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        d[i] = (uint8_t)v;
    }
    CHECK(exh_iocset_hash(s, d, 32, NULL) != NULL);
    exh_iocset_free(s);
}

static int collect(void *ud, const char *name, size_t len)
{
    char *out = ud;
    size_t k = strlen(out);
    snprintf(out + k, 256 - k, "%s%.*s", k ? "," : "", (int)len, name);
    return 0;
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
    CHECK_EQ_INT(exh_zip_names(z, sizeof(z), collect, names), 2);
    CHECK_EQ_STR(names, "lsass.dmp,x/b.c");
    /* every truncation is safe and finds fewer names */
    for (size_t n = 0; n < sizeof(z); n++) {
        names[0] = '\0';
        CHECK(exh_zip_names(z, n, collect, names) <= 2);
    }
    /* a directory that points past the end gives nothing */
    uint8_t bad[sizeof(z)];
    memcpy(bad, z, sizeof(z));
    bad[sizeof(z) - 6] = 0xF0;
    names[0] = '\0';
    CHECK_EQ_INT(exh_zip_names(bad, sizeof(bad), collect, names), 0);
}

int main(void)
{
    T_RUN(test_formats);
    T_RUN(test_csv);
    T_RUN(test_builtin);
    T_RUN(test_zip);
    return T_DONE("unit-iocset");
}
