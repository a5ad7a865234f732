#!/usr/bin/env python3
"""sigma.py EXHUNT: every field of each expected JSON rendering in
../shared/evtx-samples/sigma must be found with the same value in the record
`exhunt evtx` prints for the paired .evtx file. Values are compared as text;
times to the millisecond; GUIDs without braces, case-insensitively. Skips
with a message when the samples are not there."""
import json, os, subprocess, sys

exe = os.path.abspath(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
d = os.path.normpath(os.path.join(here, '..', '..', '..', 'shared', 'evtx-samples', 'sigma'))
if not os.path.isdir(d):
    print('# skip: %s is missing' % d)
    print('evtx-sigma: 0 passed, 0 failed')
    sys.exit(0)

def norm(v):
    if v is None:
        return ''
    if isinstance(v, bool):
        return 'true' if v else 'false'
    s = str(v)
    if s.startswith('{') and s.endswith('}') and len(s) == 38:
        s = s[1:-1]
    return s.strip().lower()

def time_ms(s):
    # 2025-12-06T21:11:02.649150Z -> 2025-12-06T21:11:02.649
    s = str(s).rstrip('Z')
    if '.' in s:
        a, b = s.split('.', 1)
        s = a + '.' + (b + '000')[:3]
    else:
        s = s + '.000'
    return s

passed = failed = 0
for name in sorted(os.listdir(d)):
    if not name.endswith('.evtx'):
        continue
    base = name[:-5]
    jpath = os.path.join(d, base + '.json')
    if not os.path.exists(jpath):
        continue
    text = open(jpath, encoding='utf-8').read()
    docs, pos, dec = [], 0, json.JSONDecoder()
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        obj, pos = dec.raw_decode(text, pos)
        docs.append(obj)
    out = subprocess.run([exe, 'evtx', os.path.join(d, name)], capture_output=True, text=True,
                         errors='replace').stdout.splitlines()
    recs = [json.loads(l) for l in out if l.startswith('{"type":"record"')]
    problems = []
    for exp in docs:
      ev = exp.get('Event', exp)
      sysd = ev.get('System', {})
      want_id = sysd.get('EventRecordID')
      rec = next((r for r in recs if want_id is None or r.get('record_id') == want_id), None)
      if rec is None:
          problems.append('record %s not found (%d records read)' % (want_id, len(recs)))
      else:
          checks = [('EventID', sysd.get('EventID'), rec.get('event_id')),
                    ('Level', sysd.get('Level'), rec.get('level')),
                    ('Channel', sysd.get('Channel'), rec.get('channel')),
                    ('Computer', sysd.get('Computer'), rec.get('computer')),
                    ('Provider', (sysd.get('Provider') or {}).get('#attributes', {}).get('Name'),
                     rec.get('provider'))]
          tc = (sysd.get('TimeCreated') or {}).get('#attributes', {}).get('SystemTime')
          if tc:
              checks.append(('TimeCreated', time_ms(tc), time_ms(rec.get('time', ''))))
          uid = ((sysd.get('Security') or {}).get('#attributes') or {}).get('UserID')
          if uid:
              checks.append(('Security/UserID', uid, rec.get('user_id')))
          data = rec.get('data')
          ed = ev.get('EventData')
          if isinstance(ed, dict):
              for k, v in ed.items():
                  if k == '#attributes':
                      continue
                  if k == 'Data' and isinstance(data, list):
                      vals = v if isinstance(v, list) else [v]
                      for i, x in enumerate(vals):
                          if isinstance(x, dict):
                              x = x.get('#text', '')
                          checks.append(('Data[%d]' % i, x, data[i] if i < len(data) else None))
                      continue
                  if isinstance(v, dict):
                      v = v.get('#text', v)
                  got = data.get(k) if isinstance(data, dict) else None
                  checks.append(('EventData/' + k, v, got))
          for what, want, got in checks:
              if want is None:
                  continue
              if isinstance(want, (dict, list)):
                  continue  # nested renderings are not compared field by field
              if norm(want) != norm(got):
                  problems.append('%s: want %r got %r' % (what, want, got))
    if problems:
        failed += 1
        print('not ok - %s: %s' % (base[:90], '; '.join(problems[:3])))
    else:
        passed += 1
        print('ok - %s' % base[:90])
print('evtx-sigma: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
