"""rewrite_flood.py DIR N: URL Rewrite configuration and an Emergency Mitigation
service log built to stall the mitigation reader, on a server whose logs show
Exchange 2016 CU18 (15.1.2106.2, before the March 2021 update):
- inetpub/wwwroot/web.config: N enabled AbortRequest rules whose patterns
  backtrack catastrophically on the exploit's cookie ((a|aa)+$-style nests
  over .*), with ProxyLogon's cookie names in them, so that only a step
  budget ends them; then an attribute of 1 MiB and a tag left open;
- Windows/System32/inetsrv/config/applicationHost.config: N <location>
  elements for other sites, each with a rule that would block the exploit
  (rules of other sites do not cover the Exchange front end);
- V15/Logging/MitigationService/MitigationService.log: 20*N lines naming
  mitigations, the last of which removes M1.1.
None of this mitigates anything: the March 2021 finding must stay EXH-EXP-001."""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
www = os.path.join(out, "inetpub", "wwwroot")
os.makedirs(www, exist_ok=True)
with open(os.path.join(www, "web.config"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<configuration><system.webServer><rewrite><rules>\n')
    for i in range(n):
        f.write('<rule name="r%d" stopProcessing="false"><match url=".*" /><conditions>'
                '<add input="{HTTP_COOKIE}" pattern="((.*)*|(.+)+)+X-AnonResource-Backend((.*)*)*Z%d$" />'
                '</conditions><action type="AbortRequest" /></rule>\n' % (i, i))
    f.write('</rules></rewrite></system.webServer></configuration>\n<rule name="' + "x" * (1 << 20))
cfg = os.path.join(out, "Windows", "System32", "inetsrv", "config")
os.makedirs(cfg, exist_ok=True)
with open(os.path.join(cfg, "applicationHost.config"), "w") as f:
    f.write("<configuration>\n")
    for i in range(n):
        f.write('<location path="Site%d"><system.webServer><rewrite><rules><rule name="b%d">'
                '<match url=".*" /><conditions><add input="{HTTP_COOKIE}" pattern="X-AnonResource-Backend" />'
                '<add input="{HTTP_COOKIE}" pattern="X-BEResource" /></conditions>'
                '<action type="AbortRequest" /></rule></rules></rewrite></system.webServer></location>\n' % (i, i))
    f.write("</configuration>\n")
V15 = os.path.join(out, "Program Files", "Microsoft", "Exchange Server", "V15")
em = os.path.join(V15, "Logging", "MitigationService")
os.makedirs(em, exist_ok=True)
with open(os.path.join(em, "MitigationService.log"), "w") as f:
    for i in range(20 * n):
        f.write("2022-10-01T03:12:%02d.000Z,Info,Mitigation M1.1 applied successfully M2.1.%d\n" % (i % 60, i))
    f.write("2023-01-12T10:00:00.000Z,Info,Mitigation M1.1 removed: not required on this build\n")
    f.write("2023-01-12T10:00:01.000Z,Info,Mitigation M2.1.0 removed\n")
logs = os.path.join(V15, "Logging", "HttpProxy", "Owa")
os.makedirs(logs, exist_ok=True)
with open(os.path.join(logs, "HttpProxy_2021030302-1.LOG"), "w") as f:
    f.write("#Software: Microsoft Exchange Server\n#Version: 15.01.2106.002\n#Log-type: HttpProxy Logs\n"
            "#Date: 2021-03-03T02:00:00.000Z\n#Fields: DateTime,RequestId,MajorVersion,MinorVersion,"
            "BuildVersion,RevisionVersion,Protocol,UrlStem,ClientIpAddress,HttpStatus\n"
            "2021-03-03T02:00:00.000Z,r1,15,1,2106,2,Owa,/owa/,10.0.0.5,200\n")
