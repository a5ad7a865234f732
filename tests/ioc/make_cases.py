#!/usr/bin/env python3
"""make_cases.py: write the end-to-end cases of the typed indicators
(tests/e2e/ioc-fmt-*, ioc-type-*): one small "campaign" server tree, and the
same campaign's indicators written in each format exhunt reads (STIX 2.1,
MISP JSON and CSV, CHIRP YAML, OpenIOC 1.1, Loki lists, a plain list). Every
value is made up (documentation addresses, .example domains); the formats
follow their public specifications. Run from the repository root; then
`UPDATE=1 make e2e` writes the expected outputs, to be reviewed by hand.

The tree holds, for each indicator type, a place where it must match and a
look-alike in the wrong place that must not:
  ip      client 198.51.100.23 (hit); the same address in a query (miss)
  range   2001:db8:bad::/48: X-Forwarded-For 2001:db8:bad::7 (hit)
  agent   the User-Agent field "EvilTool/2.0 (x)" (hit); in a query (miss)
  domain  evil-c2.example in a decoded query and a referrer (hits); notevil-c2.example and
          a User-Agent naming it (miss)
  url     http://dl.evil-c2.example/stage2.ps1 in a page (hit)
  hash    the SHA-256 of that page (hit)
  name    tmp_x1.aspx (hit: the page); tmp_x1.aspx.txt (miss)
"""
import hashlib, json, os, shutil

ROOT = "tests/e2e"
PAGE = (b'<%@ Page Language="C#" %>\r\n<script runat="server">\r\n'
        b'// staging helper\r\nstring src = "http://dl.evil-c2.example/stage2.ps1";\r\n'
        b'</script>\r\n<html><body>ok</body></html>\r\n')
SHA = hashlib.sha256(PAGE).hexdigest()
BENIGN = b'<%@ Page Language="C#" %>\r\n<html><body>see https://notevil-c2.example/help</body></html>\r\n'

LOG = """#Software: Microsoft Internet Information Services 10.0
#Version: 1.0
#Date: 2021-03-03 02:00:00
#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) X-Forwarded-For sc-status sc-substatus sc-win32-status time-taken
2021-03-03 02:00:01 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 198.51.100.23 Mozilla/5.0+(Windows+NT+10.0) - - 200 0 0 10
2021-03-03 02:00:02 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.0.0.9 Mozilla/5.0+(Windows+NT+10.0) - 2001:db8:bad::7 200 0 0 10
2021-03-03 02:00:03 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 192.0.2.44 EvilTool/2.0+(x) - - 200 0 0 10
2021-03-03 02:00:04 10.0.0.5 GET /owa/ x=ping+evil-c2.example+-n+1 443 - 192.0.2.45 Mozilla/5.0+(Windows+NT+10.0) - - 200 0 0 10
2021-03-03 02:00:05 10.0.0.5 GET /owa/ ip=198.51.100.23&ua=EvilTool/2.0&d=notevil-c2.example 443 - 192.0.2.46 Mozilla/5.0+(evil-c2.example) https://notevil-c2.example/ - 200 0 0 10
2021-03-03 02:00:06 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 192.0.2.47 Mozilla/5.0+(Windows+NT+10.0) https://www.evil-c2.example/%6c - 200 0 0 10
"""

# every indicator of the campaign, each only where it must not match
NEAR_LOG = """#Software: Microsoft Internet Information Services 10.0
#Version: 1.0
#Date: 2021-03-03 02:00:00
#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) X-Forwarded-For sc-status sc-substatus sc-win32-status time-taken
2021-03-03 02:00:01 10.0.0.5 GET /owa/ ip=198.51.100.23&from=198.51.100.23 443 - 10.0.0.9 Mozilla/5.0+(Windows+NT+10.0) - - 200 0 0 10
2021-03-03 02:00:02 10.0.0.5 GET /owa/ ua=EvilTool/2.0+(x) 443 - 10.0.0.9 Mozilla/5.0+EvilTool/2.0+(x) - 2001:db8:bae::1 200 0 0 10
2021-03-03 02:00:03 10.0.0.5 GET /owa/ d=notevil-c2.example&e=evil-c2.example.org&f=evil-c2.examples 443 - 10.0.0.9 Mozilla/5.0+(evil-c2.example) https://sub.notevil-c2.example/ - 200 0 0 10
2021-03-03 02:00:04 10.0.0.5 GET /owa/ u=http://dl.evil-c2.example.org/stage2.ps1 443 - 198.51.100.230 Mozilla/5.0+(Windows+NT+10.0) - 198.51.100.2 200 0 0 10
"""

INDICATORS = {  # type: values
    "ip": ["198.51.100.23", "2001:db8:bad::/48"],
    "domain": ["evil-c2.example"],
    "url": ["http://dl.evil-c2.example/stage2.ps1"],
    "sha256": [SHA],
    "filename": ["tmp_x1.aspx"],
    "user-agent": ["EvilTool/2.0 (x)"],
}


def tree(d):
    os.makedirs(f"{d}/input/inetpub/logs/LogFiles/W3SVC1", exist_ok=True)
    with open(f"{d}/input/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", "w", newline="\r\n") as f:
        f.write(LOG)
    os.makedirs(f"{d}/input/inetpub/wwwroot/aspnet_client/system_web", exist_ok=True)
    with open(f"{d}/input/inetpub/wwwroot/aspnet_client/system_web/tmp_x1.aspx", "wb") as f:
        f.write(PAGE)
    with open(f"{d}/input/inetpub/wwwroot/aspnet_client/system_web/tmp_x1.aspx.txt", "wb") as f:
        f.write(BENIGN)
    os.makedirs(f"{d}/input/inetpub/wwwroot/custom", exist_ok=True)
    with open(f"{d}/input/inetpub/wwwroot/custom/help.aspx", "wb") as f:
        f.write(BENIGN)


def near_tree(d):
    os.makedirs(f"{d}/input/inetpub/logs/LogFiles/W3SVC1", exist_ok=True)
    with open(f"{d}/input/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", "w", newline="\r\n") as f:
        f.write(NEAR_LOG)
    os.makedirs(f"{d}/input/inetpub/wwwroot/custom", exist_ok=True)
    with open(f"{d}/input/inetpub/wwwroot/custom/tmp_x1.aspx.bak", "wb") as f:
        f.write(PAGE.replace(b"dl.evil-c2.example", b"dl.notevil-c2.example"))
    with open(f"{d}/input/inetpub/wwwroot/custom/help.aspx", "wb") as f:
        f.write(BENIGN)


def case(name, iocfile, text, args=None, tree_too=True):
    d = f"{ROOT}/{name}"
    # the case's input is written afresh; its expected.* outputs stay
    shutil.rmtree(f"{d}/input", ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    if not os.path.exists(f"{d}/expected.err"):
        open(f"{d}/expected.err", "w").close()  # stderr is checked too
    if tree_too:
        tree(d)
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(f"{d}/{iocfile}", mode) as f:
        f.write(text)
    with open(f"{d}/args", "w") as f:
        f.write(args or f"scan -f jsonl -j 1 --ioc {iocfile} input\n")


def stix():
    objs = [{"type": "identity", "spec_version": "2.1", "id": "identity--0b3c0e2a-6c1b-4b7e-9a55-1f3a1c0e9d01",
             "created": "2021-03-05T00:00:00.000Z", "modified": "2021-03-05T00:00:00.000Z",
             "name": "Example CERT", "identity_class": "organization"}]
    pats = [("ip", "[ipv4-addr:value = '198.51.100.23']"),
            ("ip", "[ipv6-addr:value = '2001:db8:bad::/48']"),
            ("domain", "[domain-name:value = 'evil-c2.example']"),
            ("url", "[url:value = 'http://dl.evil-c2.example/stage2.ps1']"),
            ("sha256", f"[file:hashes.'SHA-256' = '{SHA}']"),
            ("filename", "[file:name = 'tmp_x1.aspx']"),
            ("user-agent", "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'EvilTool/2.0 (x)']"),
            ("other", "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Example']")]
    for i, (t, p) in enumerate(pats):
        objs.append({"type": "indicator", "spec_version": "2.1",
                     "id": f"indicator--7d0a3e11-0000-4000-8000-00000000000{i}",
                     "created": "2021-03-05T00:00:00.000Z", "modified": "2021-03-05T00:00:00.000Z",
                     "name": f"Example campaign {t}", "pattern": p, "pattern_type": "stix",
                     "valid_from": "2021-03-05T00:00:00Z", "confidence": 85,
                     "external_references": [{"source_name": "Example CERT", "url": "https://cert.example/advisories/2021-03"}]})
    return json.dumps({"type": "bundle", "id": "bundle--5d0a3e11-0000-4000-8000-000000000001", "objects": objs}, indent=1) + "\n"


def misp():
    misp_type = {"ip": "ip-src", "domain": "domain", "url": "url", "sha256": "sha256",
                 "filename": "filename", "user-agent": "user-agent"}
    attrs = []
    for t, vals in INDICATORS.items():
        for v in vals:
            attrs.append({"type": misp_type[t], "category": "Network activity", "value": v,
                          "to_ids": True, "comment": f"campaign {t}"})
    attrs.append({"type": "regkey", "category": "Persistence mechanism", "value": "HKLM\\Software\\Example", "to_ids": True})
    ev = {"Event": {"info": "Example Exchange campaign", "uuid": "5d0a3e11-0000-4000-8000-000000000002",
                    "date": "2021-03-05", "Attribute": attrs}}
    return json.dumps(ev, indent=1) + "\n"


def misp_csv():
    misp_type = {"ip": "ip-dst", "domain": "hostname", "url": "url", "sha256": "sha256",
                 "filename": "filename", "user-agent": "user-agent"}
    out = ["uuid,event_id,category,type,value,comment,to_ids,date,object_relation,attribute_tag"]
    k = 0
    for t, vals in INDICATORS.items():
        for v in vals:
            k += 1
            out.append(f"5d0a3e11-0000-4000-8000-0000000001{k:02d},7,Network activity,{misp_type[t]},\"{v}\",campaign {t},1,1614902400,,")
    out.append("5d0a3e11-0000-4000-8000-000000000199,7,Other,text,\"free text\",,0,1614902400,,")
    return "\n".join(out) + "\n"


def chirp():
    return ("# CHIRP-style indicators of an example campaign\n---\n"
            "name: \"Example campaign addresses\"\n"
            "description: |\n  \"Addresses seen exploiting Exchange, see https://cert.example/advisories/2021-03\"\n"
            "confidence: 8\nioc_type: \"network\"\nindicator:\n  ips: |\n    198.51.100.23\n    2001:db8:bad::/48\n"
            "  domains: |\n    evil-c2.example\n"
            "---\n"
            "name: \"Example staging page\"\ndescription: |\n  \"A staging page naming its download server\"\n"
            "confidence: 9\nioc_type: \"yara\"\nindicator:\n  files: \"\\\\**\"\n  rule: |\n"
            "    rule example_staging_page\n    {\n    strings:\n      $a = \"dl.evil-c2.example/stage2.ps1\"\n"
            "    condition:\n      $a\n    }\n"
            "---\n"
            "name: \"Example event check\"\ndescription: |\n  \"An event-log check\"\nconfidence: 5\n"
            "ioc_type: \"events\"\nindicator:\n  event_type: \"Application\"\n  event.event_data: \"~= .*example.*\"\n")


def openioc():
    items = [("FileItem", "FileItem/Sha256sum", "sha256", SHA),
             ("FileItem", "FileItem/FileName", "string", "tmp_x1.aspx"),
             ("PortItem", "PortItem/remoteIP", "IP", "198.51.100.23"),
             ("Network", "Network/DNS", "string", "evil-c2.example"),
             ("UrlHistoryItem", "UrlHistoryItem/URL", "string", "http://dl.evil-c2.example/stage2.ps1"),
             ("Network", "Network/UserAgent", "string", "EvilTool/2.0 (x)"),
             ("RegistryItem", "RegistryItem/Path", "string", "HKLM\\Software\\Example")]
    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="5d0a3e11-0000-4000-8000-000000000003" last-modified="2021-03-05T00:00:00" published-date="2021-03-05T00:00:00">',
         '  <metadata>', '    <short_description>Example Exchange campaign</short_description>',
         '    <description>Indicators of an example campaign.</description>',
         '    <authored_by>Example CERT</authored_by>', '    <authored_date>2021-03-05T00:00:00</authored_date>',
         '  </metadata>', '  <criteria>', '    <Indicator id="i0" operator="OR">']
    for i, (doc, search, t, v) in enumerate(items):
        x += [f'      <IndicatorItem id="ii{i}" condition="is" preserve-case="false" negate="false">',
              f'        <Context document="{doc}" search="{search}" type="mir"/>',
              f'        <Content type="{t}">{v}</Content>', '      </IndicatorItem>']
    x += ['    </Indicator>', '  </criteria>', '</OpenIOC>']
    return "\n".join(x) + "\n"


def plain():
    return ("# example campaign, one indicator per line\n198.51.100.23\n2001:db8:bad::/48\n"
            "evil-c2.example\nhxxp://dl.evil-c2[.]example/stage2.ps1\n"
            f"{SHA}\ntmp_x1.aspx\nEvilTool/2.0 (x)\n")


def loki():
    return ("# LOKI-style file-name indicators\n"
            "\\\\aspnet_client\\\\system_web\\\\tmp_[a-z0-9]+\\.aspx$;80\n"
            "\\\\custom\\\\help\\.aspx;40\n"
            "\\\\aspnet_client\\\\[^\\\\]+\\.txt$;60\n")


def loki_c2():
    return ("# LOKI-style C2 indicators\n# Example campaign\nevil-c2.example\n198.51.100.23;65\n"
            "2001:db8:bad::/48;70\n")


def loki_hashes():
    return f"# LOKI-style hash indicators\n{SHA};Example campaign staging page\n"


if __name__ == "__main__":
    case("ioc-fmt-stix", "campaign.json", stix())
    case("ioc-fmt-misp", "event.json", misp())
    case("ioc-fmt-misp-csv", "export.csv", misp_csv())
    case("ioc-fmt-chirp", "campaign.yaml", chirp())
    case("ioc-fmt-openioc", "campaign.ioc", openioc())
    case("ioc-fmt-plain", "campaign.txt", plain())
    case("ioc-fmt-loki-filename", "filename-iocs.txt", loki())
    case("ioc-fmt-loki-c2-hash", "c2-iocs.txt", loki_c2(),
         "scan -f jsonl -j 1 --ioc c2-iocs.txt --ioc hash-iocs.txt input\n")
    with open(f"{ROOT}/ioc-fmt-loki-c2-hash/hash-iocs.txt", "w") as f:
        f.write(loki_hashes())
    case("ioc-fmt-text", "campaign.txt", plain(), "scan -f text -j 1 --ioc campaign.txt input\n")
    # each type in the wrong place, a longer or other host, an address outside
    # the range: nothing of the list matches
    case("ioc-fmt-plain-near", "campaign.txt", plain(), tree_too=False)
    near_tree(f"{ROOT}/ioc-fmt-plain-near")
    case("ioc-fmt-stix-near", "campaign.json", stix(), tree_too=False)
    near_tree(f"{ROOT}/ioc-fmt-stix-near")
    # refused files: nothing understood, JSON of neither format
    case("ioc-refused-nothing", "notes.txt",
         "Response.Write(\"x\" + new ActiveXObject(\"WScript.Shell\").Exec(\"cmd /c ver\"))\nrun this later\n",
         tree_too=False, args="scan -f jsonl --ioc notes.txt input\n")
    case("ioc-refused-json", "other.json", '{"alerts": [{"id": 1}]}\n', tree_too=False,
         args="scan -f jsonl --ioc other.json input\n")
