/* det_events.c: the Windows event log checks. MSExchange Management
 * (provider MSExchange CmdletLogs) stores each cmdlet as positional data:
 * [0] the cmdlet, [1] its parameters; other providers name their fields.
 * Every comparison ignores ASCII case. */
#include <stdio.h>
#include <string.h>

#include "detectors.h"
#include "exh/banned.h"

static bool has(struct exh_str s, const char *lit)
{
    return exh_find_ci_lit(s, lit) != NULL;
}

/* Any field holding lit? */
static bool any_field(const struct exh_evrec *ev, const char *lit)
{
    for (size_t i = 0; i < ev->r->nfields; i++)
        if (has(ev->r->fields[i].value, lit))
            return true;
    return false;
}

static void hit(struct exh_emitter *em, const struct exh_evrec *ev, enum exh_rule_sym rule,
                const char *msg, struct exh_str evidence)
{
    struct exh_hit h = exh_hit_make(rule, msg, evidence);
    exh_emit_event(em, ev, &h);
}

/* markup in a parameter: '<word' ... '</' or '/>' */
static bool markup(struct exh_str s)
{
    for (size_t i = 0; i + 1 < s.n; i++)
        if (s.p[i] == '<' && ((s.p[i + 1] | 0x20) >= 'a' && (s.p[i + 1] | 0x20) <= 'z')) {
            struct exh_str rest = exh_str_make(s.p + i + 1, s.n - i - 1);
            if (has(rest, "</") || has(rest, "/>"))
                return true;
        }
    return false;
}

static bool page_path(struct exh_str s)
{
    return has(s, ".aspx") || has(s, ".ashx") || has(s, ".asmx") || has(s, ".asp\"") ||
           has(s, ".asp'") || has(s, ".asp ") || exh_ends_ci(s, ".asp");
}

static bool web_or_admin_share(struct exh_str s)
{
    return has(s, "\\\\localhost\\") || has(s, "\\\\127.0.0.1\\") || has(s, "\\inetpub\\") ||
           has(s, "\\FrontEnd\\HttpProxy\\") || has(s, "\\aspnet_client\\") ||
           has(s, "c$\\inetpub");
}

/* The agents Exchange ships (2013-2019): enabling one of them again is
 * everyday administration, installing any agent is not. */
static const char *const builtin_agents[] = {
    "Transport Rule Agent",
    "DLP Policy Agent",
    "Retention Policy Agent",
    "Supervisory Review Agent",
    "Malware Agent",
    "Text Messaging Routing Agent",
    "Text Messaging Delivery Agent",
    "System Probe Drop Smtp Agent",
    "System Probe Drop Routing Agent",
    "Content Filter Agent",
    "Sender Id Agent",
    "Sender Filter Agent",
    "Recipient Filter Agent",
    "Protocol Analysis Agent",
    "Connection Filtering Agent",
    "Address Rewriting Inbound Agent",
    "Address Rewriting Outbound Agent",
    "Edge Rule Agent",
    "Attachment Filtering Agent",
    "Journaling Agent",
    "Journal Report Decryption Agent",
    "Prelicensing Agent",
    "Transport Rule Agent (Edge)",
};

/* The -Identity value (quoted or one word), compared whole with the list. */
static bool builtin_agent(struct exh_str params)
{
    const char *k = exh_find_ci_lit(params, "-Identity");
    if (!k)
        return false;
    const char *p = k + 9, *end = params.p + params.n;
    while (p < end && (*p == ' ' || *p == ':'))
        p++;
    const char *v = p, *ve;
    if (p < end && (*p == '"' || *p == '\'')) {
        char q = *p++;
        v = p;
        while (p < end && *p != q)
            p++;
        if (p >= end)
            return false;
        ve = p;
    } else {
        while (p < end && *p != ' ')
            p++;
        ve = p;
    }
    struct exh_str id = exh_str_make(v, (size_t)(ve - v));
    for (size_t i = 0; i < sizeof(builtin_agents) / sizeof(builtin_agents[0]); i++)
        if (exh_eq_ci(id, builtin_agents[i]))
            return true;
    return false;
}

/* The cmdlets whose use, or failed use, needs explaining: what ProxyLogon,
 * ProxyShell and the transport-agent back doors run once they hold rights. */
static bool dangerous_cmdlet(struct exh_str name, struct exh_str params)
{
    return exh_eq_ci(name, "Install-TransportAgent") ||
           (exh_eq_ci(name, "Enable-TransportAgent") && !builtin_agent(params)) ||
           exh_eq_ci(name, "New-MailboxExportRequest") ||
           (exh_starts_ci(name, "Set-") && exh_ends_ci(name, "VirtualDirectory") &&
            has(params, "url")) ||
           exh_eq_ci(name, "New-ManagementRoleAssignment") ||
           (exh_eq_ci(name, "New-ExchangeCertificate") && has(params, "-RequestFile")) ||
           (exh_eq_ci(name, "Import-ExchangeCertificate") && has(params, "-FileName")) ||
           (exh_eq_ci(name, "Export-ExchangeCertificate") && has(params, "-FileName"));
}

static void cmdlet(struct exh_emitter *em, const struct exh_evrec *ev)
{
    struct exh_str name = exh_trim(exh_ev_field(ev, NULL, 0));
    struct exh_str params = exh_ev_field(ev, NULL, 1);
    /* a forwarded (WEC) or rendered record may carry the whole text in one field */
    if (!name.n)
        return;
    char msg[200];
    uint32_t id = ev->r->event_id;
    /* event 6: the cmdlet failed. The dangerous kinds are reported as tries (whoever
     * ran them holds management rights); what they would have done did not happen */
    if (id == 6 && dangerous_cmdlet(name, params)) {
        snprintf(msg, sizeof(msg), "%.*s failed (a try with management rights)",
                 (int)(name.n > 60 ? 60 : name.n), name.p);
        hit(em, ev, EXH_RULE_EV_CMDLET_FAILED, msg, params);
        return;
    }
    if (exh_starts_ci(name, "Set-") && exh_ends_ci(name, "VirtualDirectory") &&
        has(params, "url") && markup(params)) {
        snprintf(msg, sizeof(msg), "%.*s set a URL to markup", (int)(name.n > 60 ? 60 : name.n),
                 name.p);
        hit(em, ev, EXH_RULE_EV_VDIR_SCRIPT, msg, params);
    } else if (exh_eq_ci(name, "New-MailboxExportRequest") &&
               (page_path(params) || web_or_admin_share(params))) {
        hit(em, ev, EXH_RULE_EV_EXPORT_WEB, "A mailbox was exported to a page or a web folder",
            params);
    } else if (exh_eq_ci(name, "New-ManagementRoleAssignment") &&
               has(params, "Mailbox Import Export")) {
        hit(em, ev, EXH_RULE_EV_ROLE_EXPORT, "The Mailbox Import Export role was granted", params);
    } else if (exh_eq_ci(name, "Remove-MailboxExportRequest") &&
               (has(params, "-Confirm \"False\"") || has(params, "-Confirm:$false") ||
                has(params, "-Confirm False") || has(params, "-Confirm:$False"))) {
        hit(em, ev, EXH_RULE_EV_EXPORT_CLEANUP, "A mailbox export request was removed unasked",
            params);
    } else if (exh_eq_ci(name, "New-ExchangeCertificate") && has(params, "-RequestFile") &&
               (page_path(params) || web_or_admin_share(params))) {
        hit(em, ev, EXH_RULE_EV_CERT_WEB, "A certificate request was written into a web folder",
            params);
    } else if (exh_eq_ci(name, "Install-TransportAgent") ||
               (exh_eq_ci(name, "Enable-TransportAgent") && !builtin_agent(params))) {
        hit(em, ev, EXH_RULE_EV_TRANSPORT_AGENT, "A transport agent was installed or enabled",
            params);
    } else if ((exh_eq_ci(name, "Set-Mailbox") &&
                (has(params, "-ForwardingSmtpAddress") || has(params, "-ForwardingAddress"))) ||
               ((exh_eq_ci(name, "New-InboxRule") || exh_eq_ci(name, "Set-InboxRule")) &&
                (has(params, "-ForwardTo") || has(params, "-RedirectTo") ||
                 has(params, "-ForwardAsAttachmentTo")))) {
        hit(em, ev, EXH_RULE_EV_FORWARDING, "Mail forwarding was set by cmdlet", params);
    } else if ((id == 6 || id == 8) && (exh_eq_ci(name, "Get-App") || any_field(ev, "Get-App")) &&
               any_field(ev, "InvalidCastException")) {
        hit(em, ev, EXH_RULE_EV_GET_APP_42321, "Get-App failed with InvalidCastException", params);
    }
}

static void sysmon(struct exh_emitter *em, const struct exh_evrec *ev)
{
    uint32_t id = ev->r->event_id;
    if (id == 1) {
        struct exh_str parent = exh_ev_field(ev, "ParentImage", 0);
        struct exh_str pcmd = exh_ev_field(ev, "ParentCommandLine", 0);
        struct exh_str image = exh_ev_field(ev, "Image", 0);
        bool exch_w3wp = exh_ends_ci(parent, "\\w3wp.exe") && has(pcmd, "MSExchange");
        bool um =
            exh_ends_ci(parent, "\\UMWorkerProcess.exe") || exh_ends_ci(parent, "\\UMService.exe");
        /* the transport service starts no shells; a malicious transport agent does */
        bool transport =
            exh_ends_ci(parent, "\\EdgeTransport.exe") &&
            (exh_ends_ci(image, "\\cmd.exe") || exh_ends_ci(image, "\\powershell.exe") ||
             exh_ends_ci(image, "\\pwsh.exe") || exh_ends_ci(image, "\\rundll32.exe"));
        if (transport) {
            struct exh_str tcmd = exh_ev_field(ev, "CommandLine", 0);
            hit(em, ev, EXH_RULE_EV_SHELL_CHILD, "EdgeTransport.exe started a shell",
                tcmd.n ? tcmd : image);
            return;
        }
        if (!exch_w3wp && !um)
            return;
        static const char *const benign[] = {
            "\\csc.exe",    "\\vbc.exe", "\\cvtres.exe", "\\conhost.exe", "\\WerFault.exe",
            "\\wermgr.exe", NULL};
        for (int i = 0; benign[i]; i++)
            if (exh_ends_ci(image, benign[i]))
                return;
        struct exh_str cmd = exh_ev_field(ev, "CommandLine", 0);
        hit(em, ev, EXH_RULE_EV_SHELL_CHILD,
            um ? "UMWorkerProcess.exe started a process"
               : "An Exchange w3wp.exe pool started a process",
            cmd.n ? cmd : image);
    } else if (id == 11) {
        struct exh_str image = exh_ev_field(ev, "Image", 0);
        struct exh_str target = exh_ev_field(ev, "TargetFilename", 0);
        /* the transport agents' configuration, written by anything but Exchange setup */
        if (exh_ends_ci(target, "\\TransportRoles\\Shared\\agents.config") &&
            !exh_ends_ci(image, "\\ExSetup.exe") && !exh_ends_ci(image, "\\Setup.exe") &&
            !exh_ends_ci(image, "\\SetupBootstrap.exe")) {
            char msg[200];
            struct exh_str b = exh_path_base(image);
            snprintf(msg, sizeof(msg), "%.*s wrote the transport agent configuration",
                     (int)(b.n > 80 ? 80 : b.n), b.p);
            hit(em, ev, EXH_RULE_EV_AGENTS_CONFIG, msg, target);
            return;
        }
        /* a shell or script host writing a page (echo <% ... %> > x.aspx) */
        bool shell = exh_ends_ci(image, "\\cmd.exe") || exh_ends_ci(image, "\\powershell.exe") ||
                     exh_ends_ci(image, "\\pwsh.exe") || exh_ends_ci(image, "\\cscript.exe") ||
                     exh_ends_ci(image, "\\wscript.exe") || exh_ends_ci(image, "\\certutil.exe") ||
                     exh_ends_ci(image, "\\bitsadmin.exe") || exh_ends_ci(image, "\\curl.exe");
        if (!(exh_ends_ci(image, "\\w3wp.exe") ||
              exh_ends_ci(image, "\\MSExchangeMailboxReplication.exe") ||
              exh_ends_ci(image, "\\UMWorkerProcess.exe") ||
              exh_ends_ci(image, "\\UMService.exe") || exh_ends_ci(image, "\\EdgeTransport.exe") ||
              shell))
            return;
        if (has(target, "\\Temporary ASP.NET Files\\"))
            return;
        /* a program or script dropped into a web folder by an Exchange process */
        static const char *const progs[] = {".ps1", ".bat", ".cmd", ".vbs", ".js",
                                            ".hta", ".exe", ".dll", NULL};
        bool web = has(target, "\\inetpub\\wwwroot\\") || has(target, "\\FrontEnd\\HttpProxy\\") ||
                   has(target, "\\ClientAccess\\");
        bool prog = false;
        for (int i = 0; progs[i] && !prog; i++)
            prog = exh_ends_ci(target, progs[i]);
        if (!shell && web && prog) {
            hit(em, ev, EXH_RULE_EV_PAGE_WRITTEN,
                "An Exchange process wrote a program or script into a web folder", target);
            return;
        }
        if (!exh_served_page(target))
            return;
        hit(em, ev, EXH_RULE_EV_PAGE_WRITTEN,
            shell ? "A shell or script host wrote a page" : "An Exchange process wrote a page",
            target);
    }
}

void exh_det_events_event(struct exh_emitter *em, const struct exh_evrec *ev)
{
    const struct exh_evtx_record *r = ev->r;
    struct exh_str prov = r->provider, chan = r->channel;
    uint32_t id = r->event_id;
    if (exh_eq_ci(prov, "MSExchange CmdletLogs") || exh_eq_ci(chan, "MSExchange Management")) {
        cmdlet(em, ev);
        return;
    }
    if (exh_eq_ci(prov, "MSExchange Unified Messaging") && r->level == 2 &&
        any_field(ev, "System.InvalidCastException")) {
        hit(em, ev, EXH_RULE_EV_UM_26857, "Unified Messaging error with InvalidCastException",
            ev->r->nfields ? ev->r->fields[0].value : EXH_STR_NULL);
        return;
    }
    if (exh_eq_ci(prov, "MSExchange Control Panel") && id == 4 && any_field(ev, "__VIEWSTATE")) {
        hit(em, ev, EXH_RULE_EV_VIEWSTATE, "ECP error naming __VIEWSTATE", EXH_STR_NULL);
        return;
    }
    if (id == 1102 && (exh_eq_ci(chan, "Security") || has(prov, "Eventlog"))) {
        hit(em, ev, EXH_RULE_EV_LOG_CLEARED, "The Security log was cleared",
            exh_ev_field(ev, "SubjectUserName", 0));
        return;
    }
    if ((id == 4728 || id == 4732 || id == 4756) && exh_eq_ci(chan, "Security")) {
        struct exh_str group = exh_ev_field(ev, "TargetUserName", 0);
        if (has(group, "Exchange") || has(group, "Organization Management")) {
            char msg[200];
            snprintf(msg, sizeof(msg), "A member was added to %.*s",
                     (int)(group.n > 80 ? 80 : group.n), group.p);
            struct exh_str member = exh_ev_field(ev, "MemberName", 0);
            hit(em, ev, EXH_RULE_EV_GROUP_ADD, msg, member);
        }
        return;
    }
    if (has(prov, "Sysmon")) {
        sysmon(em, ev);
        return;
    }
    if (id == 4688 && exh_eq_ci(chan, "Security")) {
        /* process creation with its parent (Windows 10 / Server 2016 and later): a
         * shell or a living-off-the-land tool under w3wp.exe or the UM workers.
         * Without the parent's command line the pool is unknown, so only tools
         * that Exchange's own pages never start are counted (csc.exe compiling a
         * page is not) */
        struct exh_str parent = exh_ev_field(ev, "ParentProcessName", 0);
        struct exh_str image = exh_ev_field(ev, "NewProcessName", 0);
        bool w3wp = exh_ends_ci(parent, "\\w3wp.exe");
        bool um =
            exh_ends_ci(parent, "\\UMWorkerProcess.exe") || exh_ends_ci(parent, "\\UMService.exe");
        static const char *const tools[] = {
            "\\cmd.exe",       "\\powershell.exe", "\\pwsh.exe",
            "\\cscript.exe",   "\\wscript.exe",    "\\mshta.exe",
            "\\rundll32.exe",  "\\regsvr32.exe",   "\\certutil.exe",
            "\\whoami.exe",    "\\net.exe",        "\\net1.exe",
            "\\nltest.exe",    "\\reg.exe",        "\\schtasks.exe",
            "\\bitsadmin.exe", "\\procdump.exe",   "\\procdump64.exe",
            "\\tasklist.exe",  "\\systeminfo.exe", "\\ipconfig.exe",
            "\\quser.exe",     "\\wmic.exe",       "\\curl.exe",
            "\\makecab.exe",   "\\7z.exe",         "\\rar.exe",
            "\\dsquery.exe",   "\\ping.exe",       NULL};
        bool tool = false;
        for (int i = 0; tools[i] && !tool; i++)
            tool = exh_ends_ci(image, tools[i]);
        if ((w3wp || um) && (tool || um)) {
            struct exh_str cmd = exh_ev_field(ev, "CommandLine", 0);
            if (um && (exh_ends_ci(image, "\\WerFault.exe") || exh_ends_ci(image, "\\conhost.exe")))
                return;
            hit(em, ev, EXH_RULE_EV_SHELL_CHILD,
                um ? "A Unified Messaging worker started a process (Security 4688)"
                   : "w3wp.exe started a shell or system tool (Security 4688)",
                cmd.n ? cmd : image);
        }
        return;
    }
    if ((id == 1116 || id == 1117) && has(prov, "Windows Defender")) {
        struct exh_str threat = exh_ev_field(ev, "Threat Name", 0);
        struct exh_str path = exh_ev_field(ev, "Path", 0);
        char msg[240];
        snprintf(msg, sizeof(msg), "Defender %s %.*s", id == 1116 ? "detected" : "acted on",
                 (int)(threat.n > 120 ? 120 : threat.n), threat.p ? threat.p : "");
        hit(em, ev, EXH_RULE_EV_DEFENDER, msg, path);
    }
}
