/* http_curl.c: http.h on libcurl's multi interface with OpenSSL (POSIX).
 *
 * One easy handle per request, at most opts.parallel in flight, started no
 * faster than opts.rate a second; connections to the same host are reused
 * by curl's connection cache. Nothing is followed or retried.
 *
 * Certificates: the connection does not verify (CURLOPT_SSL_VERIFYPEER and
 * VERIFYHOST off), so that servers with internal CAs are still probed.
 * OpenSSL verifies the chain anyway against the CA store curl loads and
 * keeps the result (SSL_get_verify_result); the host name is checked here on
 * the leaf certificate (X509_check_host / X509_check_ip_asc). Both are read
 * from the SSL object (CURLINFO_TLS_SSL_PTR) in the header callback, while
 * the connection is certainly alive, and reported as facts. */
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exh/core.h"
#include "exh/http.h"
#include "http_int.h"
#include "exh/os.h"
#include "exh/banned.h"

struct xfer {
    struct exh_http *h;
    CURL *easy;
    struct curl_slist *hdrs;
    struct exh_http_reqcopy rc; /* the request, owned */
    struct exh_buf head, body;
    bool head_too_big, body_cut, tls_read, https;
    struct exh_http_tls tls;
    char host[256];
    int64_t started;
    struct xfer *next; /* the queue of requests not yet started */
};

struct exh_http {
    struct exh_http_opts o;
    CURLM *multi;
    struct xfer *qhead, *qtail;
    size_t queued, started, done, in_flight;
};

bool exh_http_available(void)
{
    return true;
}

struct exh_http *exh_http_new(const struct exh_http_opts *o)
{
    static bool inited;
    if (!inited) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        inited = true;
    }
    struct exh_http *h = exh_xcalloc(1, sizeof(*h));
    h->o = *o;
    if (h->o.parallel < 1)
        h->o.parallel = 1;
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        return NULL;
    }
    /* idle connections kept for a target's next request: no more than are
     * in flight, so that finished targets do not hold sockets and memory */
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->o.parallel);
    return h;
}

void exh_http_add(struct exh_http *h, const struct exh_http_req *rq)
{
    struct xfer *x = exh_xcalloc(1, sizeof(*x));
    x->h = h;
    exh_http_req_copy(&x->rc, rq);
    if (h->qtail)
        h->qtail->next = x;
    else
        h->qhead = x;
    h->qtail = x;
    h->queued++;
}

static void xfer_free(struct xfer *x)
{
    if (x->easy)
        curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->hdrs);
    exh_http_req_release(&x->rc);
    exh_buf_release(&x->head);
    exh_buf_release(&x->body);
    free(x);
}

/* The host part of an http(s) URL, without brackets or port. */
static void url_host(const char *url, char out[256])
{
    out[0] = '\0';
    const char *p = strstr(url, "://");
    if (!p)
        return;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    if (*p == '[') {
        const char *e = memchr(p, ']', n);
        if (!e)
            return;
        n = (size_t)(e - p - 1);
        p++;
    } else {
        const char *c = memchr(p, ':', n);
        if (c)
            n = (size_t)(c - p);
    }
    if (n >= 256)
        n = 255;
    memcpy(out, p, n);
    out[n] = '\0';
}

static void name_text(X509_NAME *nm, char *out, size_t cap)
{
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int n = BIO_read(b, out, (int)cap - 1);
    out[n > 0 ? n : 0] = '\0';
    BIO_free(b);
}

/* The facts of the TLS connection x runs on (once, from the header callback). */
static void tls_facts(struct xfer *x)
{
    x->tls_read = true;
    struct curl_tlssessioninfo *ti = NULL;
    if (curl_easy_getinfo(x->easy, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || !ti ||
        ti->backend != CURLSSLBACKEND_OPENSSL || !ti->internals)
        return;
    SSL *ssl = ti->internals;
    struct exh_http_tls *t = &x->tls;
    t->used = true;
    const char *v = SSL_get_version(ssl); /* "TLSv1.3" */
    snprintf(t->version, sizeof(t->version), "%s", !strncmp(v, "TLSv", 4) ? v + 4 : v);
    const char *c = SSL_get_cipher_name(ssl);
    snprintf(t->cipher, sizeof(t->cipher), "%s", c ? c : "");
    X509 *cert = SSL_get_peer_certificate(ssl);
    if (!cert) {
        snprintf(t->verify_error, sizeof(t->verify_error), "no certificate");
        return;
    }
    t->has_cert = true;
    name_text(X509_get_subject_name(cert), t->subject, sizeof(t->subject));
    name_text(X509_get_issuer_name(cert), t->issuer, sizeof(t->issuer));
    struct tm tm;
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm)) {
        t->has_not_after = true;
        t->not_after_ms = (int64_t)timegm(&tm) * 1000;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdn = 0;
    if (X509_digest(cert, EVP_sha256(), md, &mdn)) {
        for (unsigned i = 0; i < mdn && i < 32; i++)
            snprintf(t->sha256 + 2 * i, 3, "%02x", md[i]);
    }
    long vr = SSL_get_verify_result(ssl);
    bool name_ok = X509_check_ip_asc(cert, x->host, 0) == 1 ||
                   X509_check_host(cert, x->host, strlen(x->host), 0, NULL) == 1;
    if (vr != X509_V_OK)
        snprintf(t->verify_error, sizeof(t->verify_error), "%s", X509_verify_cert_error_string(vr));
    else if (!name_ok)
        snprintf(t->verify_error, sizeof(t->verify_error),
                 "the certificate is not for host name %.80s", x->host);
    t->verified = vr == X509_V_OK && name_ok;
    X509_free(cert);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    if (!x->tls_read && x->https)
        tls_facts(x);
    if (len >= 5 && !memcmp(p, "HTTP/", 5))
        x->head.n = 0; /* a new response (after 100 Continue): keep only the last */
    if (x->head.n + len > x->h->o.max_header_bytes) {
        x->head_too_big = true;
        return 0;
    }
    exh_buf_add(&x->head, p, len);
    return len;
}

/* Progress: read the TLS facts as soon as the handshake is done, so that a
 * server that then says nothing still has them. */
static int on_xfer(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    struct xfer *x = ud;
    (void)dt, (void)dn, (void)ut, (void)un;
    curl_off_t app = 0;
    if (!x->tls_read && x->https &&
        curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME_T, &app) == CURLE_OK && app > 0)
        tls_facts(x);
    return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n, cap = x->h->o.max_body_bytes;
    if (x->body.n + len > cap) {
        exh_buf_add(&x->body, p, cap - x->body.n);
        x->body_cut = true;
        return 0; /* stop reading: the rest is not wanted */
    }
    exh_buf_add(&x->body, p, len);
    return len;
}

static void start(struct exh_http *h, struct xfer *x)
{
    CURL *e = curl_easy_init();
    if (!e)
        abort();
    x->easy = e;
    url_host(x->rc.rq.url, x->host);
    curl_easy_setopt(e, CURLOPT_URL, x->rc.rq.url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->o.timeout_ms);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    x->https = !strncmp(x->rc.rq.url, "https:", 6);
    if (x->https) {
        curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_xfer);
        curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
        curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    }
    if (h->o.user_agent)
        curl_easy_setopt(e, CURLOPT_USERAGENT, h->o.user_agent);
    if (x->rc.rq.method && strcmp(x->rc.rq.method, "GET")) {
        if (!strcmp(x->rc.rq.method, "HEAD"))
            curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        else
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->rc.rq.method);
    }
    for (size_t i = 0; x->rc.rq.headers[i]; i++) {
        struct curl_slist *s = curl_slist_append(x->hdrs, x->rc.rq.headers[i]);
        if (!s)
            abort();
        x->hdrs = s;
    }
    if (x->hdrs)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    x->started = exh_os_mono_ms();
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
        abort();
    h->started++;
    h->in_flight++;
}

static enum exh_http_fail kind(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return EXH_HTTP_RESOLVE;
    case CURLE_COULDNT_CONNECT:
        return EXH_HTTP_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return EXH_HTTP_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
        return EXH_HTTP_TLS;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_TOO_MANY_REDIRECTS:
        return EXH_HTTP_PROTOCOL;
    default:
        return EXH_HTTP_OTHER;
    }
}

static void finish(struct exh_http *h, struct xfer *x, CURLcode rc, exh_http_done_fn done, void *ud)
{
    struct exh_http_resp rs;
    memset(&rs, 0, sizeof(rs));
    long status = 0, port = 0;
    char *ip = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
    curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_PORT, &port);
    if (ip)
        snprintf(rs.ip, sizeof(rs.ip), "%s", ip);
    rs.port = port;
    rs.status = (int)status;
    rs.tls = x->tls;
    rs.elapsed_ms = exh_os_mono_ms() - x->started;
    if (rc == CURLE_WRITE_ERROR && x->head_too_big) {
        rs.fail = EXH_HTTP_TOO_LARGE;
        snprintf(rs.error, sizeof(rs.error), "the response headers exceed %zu bytes",
                 h->o.max_header_bytes);
    } else if (rc == CURLE_WRITE_ERROR && x->body_cut) {
        rs.fail = EXH_HTTP_OK; /* the body was cut on purpose: what was read is the answer */
        rs.body_truncated = true;
    } else if (rc != CURLE_OK) {
        rs.fail = kind(rc);
        curl_off_t tcp = 0, app = 0;
        curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &tcp);
        curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME_T, &app);
        bool https = x->https;
        const char *why = curl_easy_strerror(rc);
        if (rc == CURLE_OPERATION_TIMEDOUT && !tcp) {
            /* curl's connect phase holds the TLS handshake too */
            rs.fail = EXH_HTTP_CONNECT;
            snprintf(rs.error, sizeof(rs.error), "no connection%s within %lld ms",
                     https ? " (TCP and TLS)" : "", (long long)rs.elapsed_ms);
        } else if (rc == CURLE_OPERATION_TIMEDOUT && https && !app) {
            rs.fail = EXH_HTTP_TLS;
            snprintf(rs.error, sizeof(rs.error),
                     "connected, but the TLS handshake did not complete within %lld ms",
                     (long long)rs.elapsed_ms);
        } else if (rc == CURLE_OPERATION_TIMEDOUT) {
            snprintf(rs.error, sizeof(rs.error), "no complete answer within %lld ms%s",
                     (long long)rs.elapsed_ms,
                     x->head.n ? " (headers arrived, the body did not)" : "");
        } else if (rc == CURLE_OUT_OF_MEMORY && x->head.n + 1 < h->o.max_header_bytes) {
            /* what curl says of a header line over its own limit (100 KiB) */
            rs.fail = EXH_HTTP_TOO_LARGE;
            snprintf(rs.error, sizeof(rs.error),
                     "a response header line is too long (curl refused it: %s)", why);
        } else if (rs.fail == EXH_HTTP_PROTOCOL) {
            snprintf(rs.error, sizeof(rs.error), "not a valid HTTP answer (%s)", why);
        } else if (rs.fail == EXH_HTTP_TLS) {
            snprintf(rs.error, sizeof(rs.error), "TLS handshake failed (%s)", why);
        } else {
            snprintf(rs.error, sizeof(rs.error), "%s", why);
        }
        if (rs.fail == EXH_HTTP_TIMEOUT || rs.fail == EXH_HTTP_CONNECT)
            rs.status = 0;
    }
    if (rs.fail == EXH_HTTP_OK && !status) {
        rs.fail = EXH_HTTP_PROTOCOL;
        snprintf(rs.error, sizeof(rs.error), "no HTTP status line");
    }
    static const char empty[1] = "";
    rs.headers = x->head.n ? x->head.p : empty;
    rs.headers_n = x->head.n;
    rs.body = x->body.n ? x->body.p : empty;
    rs.body_n = x->body.n;
    curl_multi_remove_handle(h->multi, x->easy);
    h->in_flight--;
    h->done++;
    done(ud, &x->rc.rq, &rs);
    xfer_free(x);
}

void exh_http_run(struct exh_http *h, exh_http_done_fn done, exh_http_tick_fn tick, void *ud)
{
    int64_t t0 = exh_os_mono_ms(), last_tick = 0;
    for (;;) {
        /* start what the caps allow */
        int64_t now = exh_os_mono_ms();
        while (h->qhead && h->in_flight < (size_t)h->o.parallel) {
            if (h->o.rate > 0 && h->started >= (size_t)((now - t0) * h->o.rate / 1000 + 1))
                break;
            struct xfer *x = h->qhead;
            h->qhead = x->next;
            if (!h->qhead)
                h->qtail = NULL;
            x->next = NULL;
            start(h, x);
        }
        if (!h->in_flight && !h->qhead)
            break;
        int running = 0;
        curl_multi_perform(h->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(h->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct xfer *x = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            finish(h, x, m->data.result, done, ud);
        }
        if (tick && now - last_tick >= 250) {
            last_tick = now;
            tick(ud, h->started, h->done, h->in_flight);
        }
        /* wait for sockets, at most until the next rate slot or 100 ms */
        int wait = 100;
        if (h->qhead && h->in_flight < (size_t)h->o.parallel && h->o.rate > 0)
            wait = 1000 / h->o.rate + 1 < wait ? 1000 / h->o.rate + 1 : wait;
        if (h->in_flight)
            curl_multi_poll(h->multi, NULL, 0, wait, NULL);
        else if (h->qhead) {
            struct timespec ts = {0, (long)wait * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (tick)
        tick(ud, h->started, h->done, h->in_flight);
}

void exh_http_free(struct exh_http *h)
{
    if (!h)
        return;
    while (h->qhead) {
        struct xfer *x = h->qhead;
        h->qhead = x->next;
        xfer_free(x);
    }
    curl_multi_cleanup(h->multi);
    free(h);
}
