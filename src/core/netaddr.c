/* netaddr.c: IP addresses, ranges and the source of a proxied request. */
#include <stdio.h>
#include <string.h>

#include "exh/netaddr.h"
#include "exh/banned.h"

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}
/* a.b.c.d exactly (no leading zeros beyond "0", each 0..255) into out[4] */
static bool parse_v4(const char *p, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part) {
            if (i >= n || p[i] != '.')
                return false;
            i++;
        }
        size_t st = i;
        unsigned v = 0;
        while (i < n && digit(p[i]) && i - st < 3)
            v = v * 10 + (unsigned)(p[i++] - '0');
        if (i == st || v > 255 || (i - st > 1 && p[st] == '0'))
            return false;
        out[part] = (uint8_t)v;
    }
    return i == n;
}

static bool parse_v6(const char *p, size_t n, uint8_t out[16])
{
    uint16_t w[8] = {0};
    int nw = 0, gap = -1;
    size_t i = 0;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n && p[0] == ':') {
        return false;
    }
    while (i < n) {
        if (nw >= 8)
            return false;
        /* an embedded IPv4 tail */
        size_t j = i;
        while (j < n && p[j] != ':')
            j++;
        if (j == n && memchr(p + i, '.', n - i)) {
            if (nw > 6)
                return false;
            uint8_t v4[4];
            if (!parse_v4(p + i, n - i, v4))
                return false;
            w[nw++] = (uint16_t)(v4[0] << 8 | v4[1]);
            w[nw++] = (uint16_t)(v4[2] << 8 | v4[3]);
            i = n;
            break;
        }
        if (j == i || j - i > 4)
            return false;
        unsigned v = 0;
        for (size_t k = i; k < j; k++) {
            int h = exh_hexval((unsigned char)p[k]);
            if (h < 0)
                return false;
            v = v * 16 + (unsigned)h;
        }
        w[nw++] = (uint16_t)v;
        i = j;
        if (i < n) { /* a ':' */
            i++;
            if (i < n && p[i] == ':') {
                if (gap >= 0)
                    return false;
                gap = nw;
                i++;
            } else if (i == n) {
                return false; /* trailing single ':' */
            }
        }
    }
    if (gap < 0 && nw != 8)
        return false;
    if (gap >= 0 && nw > 7)
        return false;
    uint16_t full[8] = {0};
    if (gap < 0) {
        memcpy(full, w, sizeof(full));
    } else {
        for (int k = 0; k < gap; k++)
            full[k] = w[k];
        int tail = nw - gap;
        for (int k = 0; k < tail; k++)
            full[8 - tail + k] = w[gap + k];
    }
    for (int k = 0; k < 8; k++) {
        out[2 * k] = (uint8_t)(full[k] >> 8);
        out[2 * k + 1] = (uint8_t)full[k];
    }
    return true;
}

static bool is_v4(const struct exh_ip *ip)
{
    return !memcmp(ip->b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
}

static struct exh_str strip(struct exh_str s)
{
    s = exh_trim(s);
    while (s.n && (s.p[0] == '"' || s.p[0] == '\'')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == '"' || s.p[s.n - 1] == '\''))
        s.n--;
    return exh_trim(s);
}

bool exh_ip_parse(struct exh_str s, struct exh_ip *out)
{
    s = strip(s);
    if (!s.n || s.n > 64)
        return false;
    const char *p = s.p;
    size_t n = s.n;
    if (p[0] == '[') { /* [v6] or [v6]:port */
        const char *e = memchr(p, ']', n);
        if (!e)
            return false;
        size_t rest = n - (size_t)(e - p) - 1;
        if (rest) {
            if (e[1] != ':' || rest < 2)
                return false;
            for (size_t k = 2; k <= rest; k++)
                if (!digit(e[k]))
                    return false;
        }
        n = (size_t)(e - p) - 1;
        p++;
    }
    const char *pct = memchr(p, '%', n); /* zone id */
    if (pct)
        n = (size_t)(pct - p);
    memset(out->b, 0, sizeof(out->b));
    const char *colon = memchr(p, ':', n);
    const char *last_colon = colon;
    for (size_t k = 0; k < n; k++)
        if (p[k] == ':')
            last_colon = p + k;
    if (!colon || (colon == last_colon && memchr(p, '.', n) && (size_t)(colon - p) < n)) {
        /* IPv4, maybe with ":port" */
        size_t an = colon ? (size_t)(colon - p) : n;
        if (colon) {
            if (colon + 1 == p + n)
                return false;
            for (const char *q = colon + 1; q < p + n; q++)
                if (!digit(*q))
                    return false;
        }
        out->b[10] = out->b[11] = 0xff;
        return parse_v4(p, an, out->b + 12);
    }
    return parse_v6(p, n, out->b);
}

bool exh_cidr_parse(struct exh_str s, struct exh_cidr *out)
{
    s = exh_trim(s);
    if (!s.n)
        return false;
    const char *slash = memchr(s.p, '/', s.n);
    struct exh_str a = slash ? exh_str_make(s.p, (size_t)(slash - s.p)) : s;
    if (!exh_ip_parse(a, &out->net))
        return false;
    bool v4 = is_v4(&out->net) && !memchr(a.p, ':', a.n);
    unsigned max = v4 ? 32 : 128;
    unsigned bits = max;
    if (slash) {
        const char *q = slash + 1, *e = s.p + s.n;
        if (q == e || e - q > 3)
            return false;
        bits = 0;
        for (; q < e; q++) {
            if (!digit(*q))
                return false;
            bits = bits * 10 + (unsigned)(*q - '0');
        }
        if (bits > max)
            return false;
    }
    out->bits = v4 ? 96 + bits : bits;
    for (unsigned k = out->bits; k < 128; k++) /* clear host bits */
        out->net.b[k / 8] &= (uint8_t) ~(0x80u >> (k % 8));
    return true;
}

bool exh_cidr_contains(const struct exh_cidr *c, const struct exh_ip *ip)
{
    unsigned full = c->bits / 8, rem = c->bits % 8;
    if (memcmp(c->net.b, ip->b, full) != 0)
        return false;
    if (!rem)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rem));
    return (c->net.b[full] & mask) == (ip->b[full] & mask);
}

bool exh_ip_private(const struct exh_ip *ip)
{
    const uint8_t *b = ip->b;
    if (is_v4(ip)) {
        const uint8_t *a = b + 12;
        return a[0] == 10 || a[0] == 127 || a[0] == 0 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
               (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254);
    }
    static const uint8_t zero[16];
    if (!memcmp(b, zero, 15) && (b[15] == 0 || b[15] == 1)) /* :: and ::1 */
        return true;
    return (b[0] & 0xfe) == 0xfc ||                 /* fc00::/7 unique local */
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80); /* fe80::/10 link-local */
}

void exh_ip_format(const struct exh_ip *ip, char *buf)
{
    const uint8_t *b = ip->b;
    if (is_v4(ip)) {
        snprintf(buf, 46, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        return;
    }
    uint16_t w[8];
    for (int k = 0; k < 8; k++)
        w[k] = (uint16_t)(b[2 * k] << 8 | b[2 * k + 1]);
    int best = -1, bestn = 1; /* the longest run of zero words (>= 2) becomes "::" */
    for (int k = 0; k < 8;) {
        if (w[k]) {
            k++;
            continue;
        }
        int s = k;
        while (k < 8 && !w[k])
            k++;
        if (k - s > bestn) {
            best = s;
            bestn = k - s;
        }
    }
    size_t o = 0; /* at most 8 x "ffff:" = 40 bytes, buf holds 46 */
    buf[0] = '\0';
    for (int k = 0; k < 8; k++) {
        if (k == best) {
            o += (size_t)snprintf(buf + o, 46 - o, "::");
            k += bestn - 1;
            continue;
        }
        o += (size_t)snprintf(buf + o, 46 - o, "%s%x", (k && k != best + bestn) ? ":" : "", w[k]);
    }
}

static bool trusted_addr(const struct exh_ip *ip, const struct exh_cidr *t, size_t nt)
{
    for (size_t i = 0; i < nt; i++)
        if (exh_cidr_contains(&t[i], ip))
            return true;
    return false;
}

static bool sep(char c)
{
    return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '+';
}

/* The last (at most max) entries of a list separated by ',' ';' blanks or
 * '+' (IIS writes spaces as '+'), in order; "-" entries are dropped. Reads
 * from the end, so a header of a million entries costs max of them. */
static size_t split_tail(struct exh_str s, struct exh_str *out, size_t max)
{
    size_t n = 0, i = s.n;
    while (i > 0 && n < max) {
        while (i > 0 && sep(s.p[i - 1]))
            i--;
        size_t e = i;
        while (i > 0 && !sep(s.p[i - 1]))
            i--;
        if (e > i && !(e - i == 1 && s.p[i] == '-'))
            out[n++] = exh_str_make(s.p + i, e - i);
    }
    for (size_t k = 0; k < n / 2; k++) {
        struct exh_str t = out[k];
        out[k] = out[n - 1 - k];
        out[n - 1 - k] = t;
    }
    return n;
}

static void put_addr(struct exh_buf *b, struct exh_str s)
{
    struct exh_ip ip;
    char t[46];
    if (exh_ip_parse(s, &ip)) {
        exh_ip_format(&ip, t);
        exh_buf_adds(b, t);
    } else {
        exh_buf_add(b, s.p, s.n);
    }
}

#define CHAIN_MAX 32 /* entries looked at per list; a longer one keeps its last ones */

bool exh_source_resolve(struct exh_str conn, struct exh_str xff, const struct exh_cidr *trusted,
                        size_t ntrusted, struct exh_buf *source, struct exh_buf *chain,
                        bool *vouched)
{
    if (vouched)
        *vouched = false;
    exh_buf_reset(source);
    exh_buf_reset(chain);
    struct exh_str c[CHAIN_MAX], f[CHAIN_MAX];
    size_t nc = split_tail(conn, c, CHAIN_MAX);
    size_t nf = split_tail(xff, f, CHAIN_MAX); /* the entries nearest the server matter */
    if (!nc && !nf)
        return false;
    /* the path: forwarded entries, then the connection chain (its last entry
     * is the connection) */
    struct exh_str path[2 * CHAIN_MAX];
    size_t np = 0;
    for (size_t i = 0; i < nf; i++)
        path[np++] = f[i];
    for (size_t i = 0; i < nc; i++)
        path[np++] = c[i];
    if (np > 1)
        for (size_t i = 0; i < np; i++) {
            if (i)
                exh_buf_addc(chain, ',');
            put_addr(chain, path[i]);
        }
    /* walk from the server outwards: a hop that is a proxy passes the
     * question to the entry before it */
    size_t k = np - 1;
    for (;;) {
        struct exh_ip ip;
        bool ok = exh_ip_parse(path[k], &ip);
        /* a private hop counts as a proxy only where the server or Exchange's
         * own front end wrote it (the connection chain), never in the
         * client-writable X-Forwarded-For */
        bool proxy =
            ok && (trusted_addr(&ip, trusted, ntrusted) || (k >= nf && exh_ip_private(&ip)));
        if (!ok && k != np - 1) {
            /* a forwarded entry that is no address: the header was not
             * written by a proxy; the nearest real hop stands */
            k++;
            break;
        }
        if (!proxy || k == 0)
            break;
        k--;
    }
    put_addr(source, path[k]);
    /* vouched for: the server (or Exchange's front end) wrote it, or every
     * hop between it and the server is a proxy the user named */
    bool v = k >= nf && nc > 0;
    if (!v && nc > 0) {
        v = true;
        for (size_t j = k + 1; j < np && v; j++) {
            struct exh_ip ip;
            v = exh_ip_parse(path[j], &ip) && trusted_addr(&ip, trusted, ntrusted);
        }
    }
    if (vouched)
        *vouched = v;
    return true;
}
