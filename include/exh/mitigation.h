/* mitigation.h: what the URL Rewrite rules of applicationHost.config and
 * web.config, and the Exchange Emergency Mitigation service's log, block of
 * the exploits of ProxyLogon (CVE-2021-26855), ProxyNotShell (CVE-2022-41040)
 * and the OWA XSS of May 2026 (CVE-2026-42897). Bytes in, struct
 * exh_mitigations (exposure.h) out; the files are hostile input (anyone with
 * administrator rights writes them): linear time, bounded memory, every
 * regular expression run under a step budget. docs/mitigations.md tells
 * which rules and bypasses are known. */
#ifndef EXH_MITIGATION_H
#define EXH_MITIGATION_H

#include <stdbool.h>
#include <stddef.h>

#include "exposure.h"

/* Adds to *m what the enabled URL Rewrite rules of this applicationHost.config
 * or web.config block: each inbound rule (<rules>, <globalRules>, at server
 * level or in a <location> that covers the Default Web Site) is evaluated
 * against the request shapes of the exploits and of their published
 * bypasses; an outbound rule that adds "script-src-attr 'none'" to OWA's
 * Content-Security-Policy counts for EXH_MIT_OWA_2026. name (say
 * "applicationHost.config") goes into m->where. Rules of a web.config count
 * wherever it sits: give only the front end's (inetpub\wwwroot and the
 * FrontEnd\HttpProxy folders). Returns the number of rules that could not
 * be evaluated (a pattern not supported, a server variable exhunt cannot
 * know, a step budget used up): they count as not matching. */
size_t exh_mitigations_from_config(const char *x, size_t n, const char *name,
                                   struct exh_mitigations *m);

/* Adds what the Emergency Mitigation service's log lines (V15\Logging\
 * MitigationService) say is applied and was not removed or blocked after:
 * M1.x is the ProxyNotShell rule, M2.1.x the OWA mitigation of May 2026;
 * the last line that names an id decides. */
void exh_mitigations_from_emlog(const char *x, size_t n, const char *name,
                                struct exh_mitigations *m);

/* The pattern matcher the rules are evaluated with (ECMAScript subset: see
 * mitigation.c), exported for the tests and the fuzz target: 1 when pattern
 * p matches somewhere in s, 0 when not, -1 when the pattern is not supported
 * or the step budget ran out (the rule then counts as not matching). */
int exh_mit_regex(const char *p, size_t pn, const char *s, size_t sn, bool icase);

#endif
