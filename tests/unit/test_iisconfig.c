/* test_iisconfig.c: the applicationHost.config reader and %VAR% expansion
 * (src/read/iisconfig.c), on a typical file and a hostile one. */
#include <stdlib.h>
#include <string.h>

#include "exh/iisconfig.h"
#include "t.h"

struct seen {
    int kind[8];
    char *val[8];
    size_t n;
};

static void on_path(void *ud, enum exh_iis_path kind, struct exh_str v)
{
    struct seen *s = ud;
    if (s->n < 8) {
        s->kind[s->n] = (int)kind;
        s->val[s->n++] = exh_xstrndup(v.p, v.n);
    }
}

static void release(struct seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->val[i]);
}

static void test_typical(void)
{
    const char *x =
        "<configuration>\r\n <sites>\r\n  <siteDefaults>\r\n"
        "   <logFile logFormat=\"W3C\" directory=\"%SystemDrive%\\inetpub\\logs\\LogFiles\" />\r\n"
        "  </siteDefaults>\r\n  <site name=\"Default Web Site\" id=\"1\">\r\n"
        "   <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" />\r\n"
        "   <virtualDirectory\tpath=\"/owa\"\r\n "
        "physicalPath=\"D:\\Exchange\\FrontEnd\\HttpProxy\\owa\"/>\r\n"
        "  </site>\r\n </sites>\r\n</configuration>\r\n";
    struct seen s = {0};
    CHECK_EQ_INT(exh_iisconfig_paths(x, strlen(x), on_path, &s), 3);
    CHECK_EQ_INT(s.n, 3);
    CHECK_EQ_INT(s.kind[0], EXH_IIS_LOG_DIR);
    CHECK_EQ_STR(s.val[0], "%SystemDrive%\\inetpub\\logs\\LogFiles");
    CHECK_EQ_INT(s.kind[1], EXH_IIS_WEB_ROOT);
    CHECK_EQ_STR(s.val[1], "%SystemDrive%\\inetpub\\wwwroot");
    CHECK_EQ_INT(s.kind[2], EXH_IIS_WEB_ROOT);
    CHECK_EQ_STR(s.val[2], "D:\\Exchange\\FrontEnd\\HttpProxy\\owa");
    release(&s);
}

static void test_hostile(void)
{
    /* a commented-out element, an empty value, an unclosed quote, an element
     * name run into its attribute, and an unclosed comment hiding the rest */
    const char *x = "<!-- <logFile directory=\"C:\\old\" /> -->\n"
                    "<logFile directory=\"\\\\192.0.2.1\\share\" />\n"
                    "<virtualDirectory physicalPath=\"C:\\unclosed />\n"
                    "<logFile directory=\"\"/>\n"
                    "<logFiledirectory=\"C:\\x\"/>\n"
                    "<logFile xdirectory=\"C:\\z\"/>\n"
                    "<!-- <logFile directory=\"C:\\y\"/>";
    struct seen s = {0};
    CHECK_EQ_INT(exh_iisconfig_paths(x, strlen(x), on_path, &s), 1);
    CHECK_EQ_INT(s.n, 1);
    CHECK_EQ_STR(s.val[0], "\\\\192.0.2.1\\share");
    release(&s);
    /* cut inside a tag: nothing past the cut is read */
    s.n = 0;
    CHECK_EQ_INT(exh_iisconfig_paths(x, 60, on_path, &s), 0);
    release(&s);
}

static const char *lookup(const char *name)
{
    if (!strcmp(name, "SystemDrive"))
        return "C:";
    if (!strcmp(name, "EMPTY"))
        return "";
    return NULL;
}

static void expands(const char *in, const char *want)
{
    char *got = exh_expand_env(in, strlen(in), lookup);
    T_CTX(in);
    CHECK_EQ_STR(got, want);
    T_CTX(NULL);
    free(got);
}

static void test_expand(void)
{
    expands("%SystemDrive%\\inetpub", "C:\\inetpub");
    expands("%systemdrive%\\x", "%systemdrive%\\x"); /* names as the lookup knows them */
    expands("a%EMPTY%b", "ab");
    expands("%UNSET%%SystemDrive%", "%UNSET%C:");
    expands("100%", "100%");
    expands("%%", "%%");
    expands("%", "%");
    expands("", "");
}

int main(void)
{
    T_RUN(test_typical);
    T_RUN(test_hostile);
    T_RUN(test_expand);
    return T_DONE("unit-iisconfig");
}
