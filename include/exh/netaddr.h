/* netaddr.h: IP addresses and ranges as the logs write them, and which
 * address of a request the client could not choose.
 *
 * Addresses are kept as 16 bytes (IPv4 as ::ffff:a.b.c.d), so one range test
 * covers both families. Parsing is strict (no hostnames, no octal) but takes
 * what proxies and logs add around an address: brackets, a port, an IPv6
 * zone, surrounding blanks or quotes. */
#ifndef EXH_NETADDR_H
#define EXH_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

struct exh_ip {
    uint8_t b[16];
};

struct exh_cidr {
    struct exh_ip net;
    unsigned bits; /* prefix length over the 128-bit form (IPv4 /n is 96 + n) */
};

/* Parse one address: "203.0.113.7", "203.0.113.7:443", "2001:db8::1",
 * "[2001:db8::1]:443", "fe80::1%eth0", "::ffff:10.0.0.1". */
bool exh_ip_parse(struct exh_str s, struct exh_ip *out);
/* Parse "10.0.0.0/8", "2001:db8::/32" or a single address (a /32 or /128). */
bool exh_cidr_parse(struct exh_str s, struct exh_cidr *out);
bool exh_cidr_contains(const struct exh_cidr *c, const struct exh_ip *ip);
/* Private (RFC 1918, fc00::/7), loopback, link-local or unspecified. */
bool exh_ip_private(const struct exh_ip *ip);
/* Canonical text: dotted quad for IPv4, RFC 5952 for IPv6. buf >= 46. */
void exh_ip_format(const struct exh_ip *ip, char *buf);

/* The source of a request: the nearest address the client cannot set.
 *   conn: the connection's address as logged (c-ip, ClientIpAddress); may be
 *         a chain "a b" or "a, b" written by Exchange's own front end, whose
 *         last entry is the connection and the others forwarded;
 *   xff:  the X-Forwarded-For value ("" or "-" when none).
 * When the connection is a proxy (private, or inside one of the trusted
 * ranges), the source is the rightmost forwarded entry that is not itself a
 * trusted proxy (the one the proxy appended); otherwise the connection.
 * source gets the address text (canonical when it parses, else as logged);
 * chain gets every forwarded entry then the connection, comma-separated, or
 * stays empty when the request came straight. *vouched (may be NULL) tells
 * whether the source can be believed as it stands: it is the connection (or
 * in Exchange's own chain), or every hop after it is a trusted range; an
 * address only a client-writable header gives (a private balancer that may
 * pass the client's header on, or no connection column) is not, and must
 * not make an attempt look internal. Returns false when there is no address
 * at all. */
bool exh_source_resolve(struct exh_str conn, struct exh_str xff, const struct exh_cidr *trusted,
                        size_t ntrusted, struct exh_buf *source, struct exh_buf *chain,
                        bool *vouched);

#endif
