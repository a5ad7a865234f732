/* http_winhttp.c: http.h on WinHTTP (Windows' own HTTP and TLS stack).
 *
 * WinHTTP is used synchronously by a pool of worker threads (at most
 * opts.parallel, and no more than 64), one request each at a time; the
 * callbacks run on the calling thread, which hands requests out, keeps the
 * rate, and closes the request handle of any transfer past opts.timeout_ms
 * (WinHTTP's own timeouts are per step: a server trickling a byte a second
 * would never trip them). Redirects are off (WINHTTP_DISABLE_REDIRECTS).
 *
 * Certificates: the request ignores every certificate error (unknown CA,
 * date, name, usage), so internal CAs do not stop the probe; the server's
 * certificate (WINHTTP_OPTION_SERVER_CERT_CONTEXT) is then verified here with
 * CertGetCertificateChain and the SSL policy for the host name, and the
 * result is reported. The TLS version and cipher are not read.
 *
 * winhttp.dll and crypt32.dll are not KnownDLLs: they are loaded from
 * System32 only (exh_os_win_sysdll) on first use, not imported, so a copy
 * planted beside exhunt.exe is never used. */
#include <winsock2.h> /* before windows.h; for WINHTTP_CONNECTION_INFO */
#include <windows.h>
#include <winhttp.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exh/core.h"
#include "exh/http.h"
#include "http_int.h"
#include "exh/os.h"
#include "exh/banned.h"

/* winhttp.dll's and crypt32.dll's functions, looked up once; the names below
 * are the pointers */
#define WINHTTP_FNS(X)                                                                             \
    X(WinHttpOpen)                                                                                 \
    X(WinHttpSetTimeouts)                                                                          \
    X(WinHttpQueryOption)                                                                          \
    X(WinHttpCrackUrl)                                                                             \
    X(WinHttpConnect)                                                                              \
    X(WinHttpOpenRequest)                                                                          \
    X(WinHttpSetOption)                                                                            \
    X(WinHttpSendRequest)                                                                          \
    X(WinHttpReceiveResponse)                                                                      \
    X(WinHttpQueryHeaders)                                                                         \
    X(WinHttpReadData)                                                                             \
    X(WinHttpCloseHandle)
#define CRYPT32_FNS(X)                                                                             \
    X(CertNameToStrW)                                                                              \
    X(CertGetCertificateContextProperty)                                                           \
    X(CertGetCertificateChain)                                                                     \
    X(CertVerifyCertificateChainPolicy)                                                            \
    X(CertFreeCertificateChain)                                                                    \
    X(CertFreeCertificateContext)
#define DLL_DECL(f) static __typeof__(f) *p_##f;
WINHTTP_FNS(DLL_DECL)
CRYPT32_FNS(DLL_DECL)
static INIT_ONCE dll_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK load_dlls(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    HMODULE w = exh_os_win_sysdll(L"winhttp.dll"), c = exh_os_win_sysdll(L"crypt32.dll");
    if (!w || !c)
        return FALSE;
#define DLL_GET(m, f)                                                                              \
    if (!(p_##f = (__typeof__(f) *)(void (*)(void))GetProcAddress(m, #f)))                         \
        return FALSE;
#define GET_W(f) DLL_GET(w, f)
#define GET_C(f) DLL_GET(c, f)
    WINHTTP_FNS(GET_W)
    CRYPT32_FNS(GET_C)
    return TRUE;
}
#define WinHttpOpen p_WinHttpOpen
#define WinHttpSetTimeouts p_WinHttpSetTimeouts
#define WinHttpQueryOption p_WinHttpQueryOption
#define WinHttpCrackUrl p_WinHttpCrackUrl
#define WinHttpConnect p_WinHttpConnect
#define WinHttpOpenRequest p_WinHttpOpenRequest
#define WinHttpSetOption p_WinHttpSetOption
#define WinHttpSendRequest p_WinHttpSendRequest
#define WinHttpReceiveResponse p_WinHttpReceiveResponse
#define WinHttpQueryHeaders p_WinHttpQueryHeaders
#define WinHttpReadData p_WinHttpReadData
#define WinHttpCloseHandle p_WinHttpCloseHandle
#define CertNameToStrW p_CertNameToStrW
#define CertGetCertificateContextProperty p_CertGetCertificateContextProperty
#define CertGetCertificateChain p_CertGetCertificateChain
#define CertVerifyCertificateChainPolicy p_CertVerifyCertificateChainPolicy
#define CertFreeCertificateChain p_CertFreeCertificateChain
#define CertFreeCertificateContext p_CertFreeCertificateContext

#define MAX_WORKERS 64
/* workers given up on (stuck past the timeout) are replaced, up to this many */
#define MAX_THREADS 256

struct xfer {
    struct exh_http_reqcopy rc; /* the request, owned */
    struct exh_http_resp rs;
    struct exh_buf head, body;
    HINTERNET req; /* while running, for the watchdog */
    int64_t started;
    bool cancelled;
    bool abandoned; /* its result was given as a timeout: the worker frees it */
    struct xfer *next;
};

struct exh_http {
    struct exh_http_opts o;
    HINTERNET session;
    SRWLOCK lock;
    CONDITION_VARIABLE cv_work, cv_done;
    struct xfer *qhead, *qtail;        /* waiting to be released to a worker */
    struct xfer *ready;                /* released, not yet taken by a worker */
    struct xfer *dhead, *dtail;        /* finished, callback not yet run */
    struct xfer *running[MAX_THREADS]; /* per worker: what it is doing */
    bool stuck[MAX_THREADS];           /* given up on */
    int nthreads, nstuck;
    size_t queued, started, done, in_flight;
    bool stop;
};

bool exh_http_available(void)
{
    return InitOnceExecuteOnce(&dll_once, load_dlls, NULL, NULL) != FALSE;
}

struct exh_http *exh_http_new(const struct exh_http_opts *o)
{
    if (!exh_http_available())
        return NULL;
    struct exh_http *h = exh_xcalloc(1, sizeof(*h));
    h->o = *o;
    if (h->o.parallel < 1)
        h->o.parallel = 1;
    if (h->o.parallel > MAX_WORKERS)
        h->o.parallel = MAX_WORKERS;
    wchar_t ua[256];
    MultiByteToWideChar(CP_UTF8, 0, o->user_agent ? o->user_agent : "exhunt", -1, ua, 256);
    h->session = WinHttpOpen(ua, WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                             WINHTTP_NO_PROXY_BYPASS, 0);
    if (!h->session) {
        free(h);
        return NULL;
    }
    int ct = (int)o->connect_timeout_ms, tt = (int)o->timeout_ms;
    WinHttpSetTimeouts(h->session, ct, ct, tt, tt);
    InitializeSRWLock(&h->lock);
    InitializeConditionVariable(&h->cv_work);
    InitializeConditionVariable(&h->cv_done);
    return h;
}

void exh_http_add(struct exh_http *h, const struct exh_http_req *rq)
{
    struct xfer *x = exh_xcalloc(1, sizeof(*x));
    exh_http_req_copy(&x->rc, rq);
    AcquireSRWLockExclusive(&h->lock);
    if (h->qtail)
        h->qtail->next = x;
    else
        h->qhead = x;
    h->qtail = x;
    h->queued++;
    ReleaseSRWLockExclusive(&h->lock);
}

static void xfer_free(struct xfer *x)
{
    exh_http_req_release(&x->rc);
    exh_buf_release(&x->head);
    exh_buf_release(&x->body);
    free(x);
}

static void fail(struct xfer *x, enum exh_http_fail f, const char *fmt, DWORD e)
{
    x->rs.fail = f;
    snprintf(x->rs.error, sizeof(x->rs.error), fmt, (unsigned long)e);
}

static enum exh_http_fail kind(DWORD e)
{
    switch (e) {
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
        return EXH_HTTP_RESOLVE;
    case ERROR_WINHTTP_CANNOT_CONNECT:
    case ERROR_WINHTTP_CONNECTION_ERROR:
        return EXH_HTTP_CONNECT;
    case ERROR_WINHTTP_TIMEOUT:
    case ERROR_WINHTTP_OPERATION_CANCELLED:
        return EXH_HTTP_TIMEOUT;
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
    case ERROR_WINHTTP_SECURE_CERT_REVOKED:
        return EXH_HTTP_TLS;
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
    case ERROR_WINHTTP_UNRECOGNIZED_SCHEME:
        return EXH_HTTP_PROTOCOL;
    case ERROR_WINHTTP_HEADER_SIZE_OVERFLOW:
        return EXH_HTTP_TOO_LARGE;
    default:
        return EXH_HTTP_OTHER;
    }
}

static const char *kind_text(enum exh_http_fail f)
{
    switch (f) {
    case EXH_HTTP_RESOLVE:
        return "the name does not resolve";
    case EXH_HTTP_CONNECT:
        return "cannot connect";
    case EXH_HTTP_TIMEOUT:
        return "no complete answer within the timeout";
    case EXH_HTTP_TLS:
        return "TLS handshake failed";
    case EXH_HTTP_PROTOCOL:
        return "not a valid HTTP answer";
    case EXH_HTTP_TOO_LARGE:
        return "the response headers are too large";
    default:
        return "request failed";
    }
}

static void name_text(PCCERT_CONTEXT c, DWORD which, char *out, size_t cap)
{
    wchar_t w[256];
    PCERT_NAME_BLOB blob = which ? &c->pCertInfo->Issuer : &c->pCertInfo->Subject;
    DWORD n = CertNameToStrW(X509_ASN_ENCODING, blob,
                             CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG, w, 256);
    out[0] = '\0';
    if (n > 1)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)cap, NULL, NULL);
}

static void tls_facts(struct xfer *x, HINTERNET req, const wchar_t *host)
{
    struct exh_http_tls *t = &x->rs.tls;
    PCCERT_CONTEXT cert = NULL;
    DWORD n = sizeof(cert);
    if (!WinHttpQueryOption(req, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &cert, &n) || !cert)
        return;
    t->used = t->has_cert = true;
    name_text(cert, 0, t->subject, sizeof(t->subject));
    name_text(cert, 1, t->issuer, sizeof(t->issuer));
    ULARGE_INTEGER u;
    u.LowPart = cert->pCertInfo->NotAfter.dwLowDateTime;
    u.HighPart = cert->pCertInfo->NotAfter.dwHighDateTime;
    t->has_not_after = true;
    t->not_after_ms = (int64_t)(u.QuadPart / 10000) - 11644473600000LL;
    BYTE md[32];
    DWORD mdn = sizeof(md);
    if (CertGetCertificateContextProperty(cert, CERT_SHA256_HASH_PROP_ID, md, &mdn) && mdn == 32)
        for (int i = 0; i < 32; i++)
            snprintf(t->sha256 + 2 * i, 3, "%02x", md[i]);
    CERT_CHAIN_PARA cp;
    memset(&cp, 0, sizeof(cp));
    cp.cbSize = sizeof(cp);
    PCCERT_CHAIN_CONTEXT chain = NULL;
    if (!CertGetCertificateChain(NULL, cert, NULL, cert->hCertStore, &cp, 0, NULL, &chain)) {
        snprintf(t->verify_error, sizeof(t->verify_error), "the chain could not be built");
    } else {
        SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
        memset(&ssl, 0, sizeof(ssl));
        ssl.cbSize = sizeof(ssl);
        ssl.dwAuthType = AUTHTYPE_SERVER;
        ssl.pwszServerName = (wchar_t *)host;
        CERT_CHAIN_POLICY_PARA pp;
        memset(&pp, 0, sizeof(pp));
        pp.cbSize = sizeof(pp);
        pp.pvExtraPolicyPara = &ssl;
        CERT_CHAIN_POLICY_STATUS ps;
        memset(&ps, 0, sizeof(ps));
        ps.cbSize = sizeof(ps);
        if (CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain, &pp, &ps) &&
            ps.dwError == 0) {
            t->verified = true;
        } else {
            const char *why = "not verified";
            switch ((DWORD)ps.dwError) {
            case (DWORD)CERT_E_UNTRUSTEDROOT:
                why = "self-signed or untrusted root certificate";
                break;
            case (DWORD)CERT_E_CHAINING:
                why = "unable to get local issuer certificate";
                break;
            case (DWORD)CERT_E_EXPIRED:
                why = "certificate has expired or is not yet valid";
                break;
            case (DWORD)CERT_E_CN_NO_MATCH:
                why = "the certificate is not for this host name";
                break;
            case (DWORD)CERT_E_REVOKED:
                why = "certificate revoked";
                break;
            }
            snprintf(t->verify_error, sizeof(t->verify_error), "%s", why);
        }
        CertFreeCertificateChain(chain);
    }
    CertFreeCertificateContext(cert);
}

static bool was_cancelled(struct exh_http *h, struct xfer *x)
{
    AcquireSRWLockShared(&h->lock);
    bool c = x->cancelled;
    ReleaseSRWLockShared(&h->lock);
    return c;
}

static void perform(struct exh_http *h, struct xfer *x)
{
    struct exh_http_resp *rs = &x->rs;
    int64_t t0 = exh_os_mono_ms();
    wchar_t *wurl = NULL, *host = NULL, *path = NULL, *wmethod = NULL;
    HINTERNET con = NULL, req = NULL;
    int nu = MultiByteToWideChar(CP_UTF8, 0, x->rc.rq.url, -1, NULL, 0);
    wurl = exh_xmalloc((size_t)nu * sizeof(wchar_t));
    MultiByteToWideChar(CP_UTF8, 0, x->rc.rq.url, -1, wurl, nu);
    URL_COMPONENTS uc;
    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.dwHostNameLength = uc.dwUrlPathLength = uc.dwExtraInfoLength = (DWORD)-1;
    uc.dwSchemeLength = (DWORD)-1;
    if (!WinHttpCrackUrl(wurl, 0, 0, &uc)) {
        fail(x, EXH_HTTP_OTHER, "not a URL (error %lu)", GetLastError());
        goto out;
    }
    host = exh_xcalloc(uc.dwHostNameLength + 1, sizeof(wchar_t));
    path = exh_xcalloc(uc.dwUrlPathLength + uc.dwExtraInfoLength + 2, sizeof(wchar_t));
    memcpy(host, uc.lpszHostName, uc.dwHostNameLength * sizeof(wchar_t));
    memcpy(path, uc.lpszUrlPath, uc.dwUrlPathLength * sizeof(wchar_t));
    memcpy(path + uc.dwUrlPathLength, uc.lpszExtraInfo, uc.dwExtraInfoLength * sizeof(wchar_t));
    if (!path[0])
        path[0] = L'/';
    bool https = uc.nScheme == INTERNET_SCHEME_HTTPS;
    con = WinHttpConnect(h->session, host, uc.nPort, 0);
    int nm = MultiByteToWideChar(CP_UTF8, 0, x->rc.rq.method, -1, NULL, 0);
    wmethod = exh_xmalloc((size_t)nm * sizeof(wchar_t));
    MultiByteToWideChar(CP_UTF8, 0, x->rc.rq.method, -1, wmethod, nm);
    if (con)
        req = WinHttpOpenRequest(con, wmethod, path, NULL, WINHTTP_NO_REFERER,
                                 WINHTTP_DEFAULT_ACCEPT_TYPES, https ? WINHTTP_FLAG_SECURE : 0);
    if (!req) {
        fail(x, EXH_HTTP_OTHER, "cannot open the request (error %lu)", GetLastError());
        goto out;
    }
    /* no keep-alive: a server that closes without saying so would otherwise
     * fail the target's next request on the dead connection */
    DWORD v = WINHTTP_DISABLE_REDIRECTS | WINHTTP_DISABLE_KEEP_ALIVE;
    WinHttpSetOption(req, WINHTTP_OPTION_DISABLE_FEATURE, &v, sizeof(v));
    v = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_DATE_INVALID |
        SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
    if (https)
        WinHttpSetOption(req, WINHTTP_OPTION_SECURITY_FLAGS, &v, sizeof(v));
    v = (DWORD)h->o.max_header_bytes;
    WinHttpSetOption(req, WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE, &v, sizeof(v));
    AcquireSRWLockExclusive(&h->lock);
    x->req = req;
    ReleaseSRWLockExclusive(&h->lock);
    struct exh_buf hb = {0};
    for (size_t i = 0; x->rc.rq.headers[i]; i++) {
        exh_buf_adds(&hb, x->rc.rq.headers[i]);
        exh_buf_adds(&hb, "\r\n");
    }
    wchar_t *wh = NULL;
    if (hb.n) {
        int nh = MultiByteToWideChar(CP_UTF8, 0, hb.p, -1, NULL, 0);
        wh = exh_xmalloc((size_t)nh * sizeof(wchar_t));
        MultiByteToWideChar(CP_UTF8, 0, hb.p, -1, wh, nh);
    }
    exh_buf_release(&hb);
    BOOL ok = !was_cancelled(h, x) &&
              WinHttpSendRequest(req, wh ? wh : WINHTTP_NO_ADDITIONAL_HEADERS, wh ? (DWORD)-1L : 0,
                                 WINHTTP_NO_REQUEST_DATA, 0, 0, 0) &&
              WinHttpReceiveResponse(req, NULL);
    free(wh);
    DWORD err = ok ? 0 : GetLastError();
    if (was_cancelled(h, x)) { /* the watchdog closed req: do not touch it */
        req = NULL;
        x->rs.fail = EXH_HTTP_TIMEOUT;
        snprintf(rs->error, sizeof(rs->error), "no complete answer within %ld ms", h->o.timeout_ms);
        goto out;
    }
    if (https && (ok || err == ERROR_WINHTTP_TIMEOUT || err == ERROR_WINHTTP_OPERATION_CANCELLED))
        tls_facts(x, req, host);
    WINHTTP_CONNECTION_INFO ci;
    DWORD cin = sizeof(ci);
    memset(&ci, 0, sizeof(ci));
    if (WinHttpQueryOption(req, WINHTTP_OPTION_CONNECTION_INFO, &ci, &cin)) {
        char ip[64] = "";
        if (ci.RemoteAddress.ss_family == AF_INET) {
            const unsigned char *a =
                (const unsigned char *)&((const struct sockaddr_in *)&ci.RemoteAddress)->sin_addr;
            snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
            const unsigned char *pp =
                (const unsigned char *)&((const struct sockaddr_in *)&ci.RemoteAddress)->sin_port;
            rs->port = (long)pp[0] << 8 | pp[1];
        }
        snprintf(rs->ip, sizeof(rs->ip), "%s", ip);
    }
    if (!ok) {
        enum exh_http_fail f = kind(err);
        x->rs.fail = f;
        snprintf(rs->error, sizeof(rs->error), "%s (WinHTTP error %lu)", kind_text(f),
                 (unsigned long)err);
        goto out;
    }
    DWORD status = 0, sn = sizeof(status);
    WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                        WINHTTP_HEADER_NAME_BY_INDEX, &status, &sn, WINHTTP_NO_HEADER_INDEX);
    rs->status = (int)status;
    DWORD hn = 0;
    WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, NULL,
                        &hn, WINHTTP_NO_HEADER_INDEX);
    if (hn) {
        wchar_t *w = exh_xmalloc(hn + sizeof(wchar_t));
        if (WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX,
                                w, &hn, WINHTTP_NO_HEADER_INDEX)) {
            int n8 = WideCharToMultiByte(CP_UTF8, 0, w, (int)(hn / sizeof(wchar_t)), NULL, 0, NULL,
                                         NULL);
            exh_buf_reserve(&x->head, (size_t)n8 + 1);
            WideCharToMultiByte(CP_UTF8, 0, w, (int)(hn / sizeof(wchar_t)), x->head.p, n8, NULL,
                                NULL);
            x->head.n = (size_t)n8;
            x->head.p[n8] = '\0';
        }
        free(w);
    }
    if (x->head.n > h->o.max_header_bytes) { /* WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE is
                                               not honoured everywhere (wine) */
        x->rs.fail = EXH_HTTP_TOO_LARGE;
        snprintf(rs->error, sizeof(rs->error), "the response headers exceed %zu bytes",
                 h->o.max_header_bytes);
        goto out;
    }
    char buf[16384];
    for (;;) {
        DWORD got = 0;
        BOOL rd = WinHttpReadData(req, buf, sizeof(buf), &got);
        if (was_cancelled(h, x)) {
            req = NULL;
            x->rs.fail = EXH_HTTP_TIMEOUT;
            snprintf(rs->error, sizeof(rs->error), "no complete answer within %ld ms",
                     h->o.timeout_ms);
            break;
        }
        if (!rd) {
            DWORD e = GetLastError();
            enum exh_http_fail f = kind(e);
            x->rs.fail = f;
            snprintf(rs->error, sizeof(rs->error), "%s (WinHTTP error %lu)", kind_text(f),
                     (unsigned long)e);
            break;
        }
        if (!got)
            break;
        size_t room = h->o.max_body_bytes - x->body.n;
        exh_buf_add(&x->body, buf, got < room ? got : room);
        if (got >= room) {
            rs->body_truncated = true;
            break;
        }
    }
out:
    AcquireSRWLockExclusive(&h->lock);
    if (x->cancelled)
        req = NULL; /* closed by the watchdog */
    x->req = NULL;
    ReleaseSRWLockExclusive(&h->lock);
    if (req)
        WinHttpCloseHandle(req);
    if (con)
        WinHttpCloseHandle(con);
    free(wurl);
    free(host);
    free(path);
    free(wmethod);
    rs->elapsed_ms = exh_os_mono_ms() - t0;
}

struct worker_arg {
    struct exh_http *h;
    int slot;
};

static DWORD WINAPI worker(void *arg)
{
    struct worker_arg wa = *(struct worker_arg *)arg;
    struct exh_http *h = wa.h;
    free(arg);
    for (;;) {
        AcquireSRWLockExclusive(&h->lock);
        while (!h->ready && !h->stop)
            SleepConditionVariableSRW(&h->cv_work, &h->lock, INFINITE, 0);
        if (!h->ready) {
            ReleaseSRWLockExclusive(&h->lock);
            return 0;
        }
        struct xfer *x = h->ready;
        h->ready = x->next;
        x->next = NULL;
        h->running[wa.slot] = x;
        ReleaseSRWLockExclusive(&h->lock);
        perform(h, x);
        AcquireSRWLockExclusive(&h->lock);
        h->running[wa.slot] = NULL;
        if (x->abandoned) { /* its timeout was reported already; this thread was replaced */
            ReleaseSRWLockExclusive(&h->lock);
            xfer_free(x);
            return 0;
        }
        if (h->dtail)
            h->dtail->next = x;
        else
            h->dhead = x;
        h->dtail = x;
        WakeConditionVariable(&h->cv_done);
        ReleaseSRWLockExclusive(&h->lock);
    }
}

/* Start worker number h->nthreads (the lock held or not yet needed). */
static bool spawn(struct exh_http *h)
{
    if (h->nthreads >= MAX_THREADS)
        return false;
    struct worker_arg *wa = exh_xmalloc(sizeof(*wa));
    wa->h = h;
    wa->slot = h->nthreads;
    HANDLE th = CreateThread(NULL, 256 * 1024, worker, wa, 0, NULL);
    if (!th) {
        free(wa);
        return false;
    }
    CloseHandle(th); /* never joined: a stuck one must not hold the run up */
    h->nthreads++;
    return true;
}

static void deliver(struct xfer *x, exh_http_done_fn done, void *ud)
{
    static const char empty[1] = "";
    x->rs.headers = x->head.n ? x->head.p : empty;
    x->rs.headers_n = x->head.n;
    x->rs.body = x->body.n ? x->body.p : empty;
    x->rs.body_n = x->body.n;
    if (x->rs.fail == EXH_HTTP_OK && !x->rs.status) {
        x->rs.fail = EXH_HTTP_PROTOCOL;
        snprintf(x->rs.error, sizeof(x->rs.error), "no HTTP status line");
    }
    done(ud, &x->rc.rq, &x->rs);
}

void exh_http_run(struct exh_http *h, exh_http_done_fn done, exh_http_tick_fn tick, void *ud)
{
    while (h->nthreads < h->o.parallel && spawn(h))
        ;
    if (!h->nthreads)
        abort();
    int64_t t0 = exh_os_mono_ms(), last_tick = 0;
    AcquireSRWLockExclusive(&h->lock);
    for (;;) {
        int64_t now = exh_os_mono_ms();
        /* release what the caps allow to the workers that are not stuck */
        while (h->qhead && h->in_flight < (size_t)(h->nthreads - h->nstuck)) {
            if (h->o.rate > 0 && h->started >= (size_t)((now - t0) * h->o.rate / 1000 + 1))
                break;
            struct xfer *x = h->qhead;
            h->qhead = x->next;
            if (!h->qhead)
                h->qtail = NULL;
            x->next = h->ready;
            x->started = now;
            h->ready = x;
            h->started++;
            h->in_flight++;
            WakeConditionVariable(&h->cv_work);
        }
        /* the total timeout: close the request past it (which ends the call
         * on Windows), report it as timed out at once, and replace its
         * worker, so that a stack where closing does not end the call
         * cannot hold the run up */
        for (int i = 0; i < h->nthreads; i++) {
            struct xfer *x = h->running[i];
            if (!x || h->stuck[i] || x->abandoned || now - x->started <= h->o.timeout_ms)
                continue;
            x->cancelled = x->abandoned = true;
            if (x->req)
                WinHttpCloseHandle(x->req);
            x->req = NULL;
            h->stuck[i] = true;
            h->nstuck++;
            h->in_flight--;
            h->done++;
            spawn(h);
            struct xfer copy = *x; /* the worker may still write to x: report a copy */
            memset(&copy.head, 0, sizeof(copy.head));
            memset(&copy.body, 0, sizeof(copy.body));
            copy.rs.fail = EXH_HTTP_TIMEOUT;
            copy.rs.status = 0;
            copy.rs.elapsed_ms = now - x->started;
            snprintf(copy.rs.error, sizeof(copy.rs.error), "no complete answer within %ld ms",
                     h->o.timeout_ms);
            copy.rc.rq.url = exh_xstrdup(x->rc.rq.url);
            ReleaseSRWLockExclusive(&h->lock);
            deliver(&copy, done, ud);
            free((char *)copy.rc.rq.url);
            AcquireSRWLockExclusive(&h->lock);
        }
        while (h->dhead) {
            struct xfer *x = h->dhead;
            h->dhead = x->next;
            if (!h->dhead)
                h->dtail = NULL;
            h->in_flight--;
            h->done++;
            ReleaseSRWLockExclusive(&h->lock);
            deliver(x, done, ud);
            xfer_free(x);
            AcquireSRWLockExclusive(&h->lock);
        }
        if (tick && now - last_tick >= 250) {
            last_tick = now;
            size_t st = h->started, d = h->done, f = h->in_flight;
            ReleaseSRWLockExclusive(&h->lock);
            tick(ud, st, d, f);
            AcquireSRWLockExclusive(&h->lock);
        }
        if (!h->qhead && !h->in_flight)
            break;
        SleepConditionVariableSRW(&h->cv_done, &h->lock, 50, 0);
    }
    h->stop = true;
    WakeAllConditionVariable(&h->cv_work);
    ReleaseSRWLockExclusive(&h->lock);
    if (tick)
        tick(ud, h->started, h->done, h->in_flight);
}

void exh_http_free(struct exh_http *h)
{
    if (!h)
        return;
    /* The workers are never joined (one blocked in WinHTTP past the timeout
     * must not hold the run up), so h and the session stay to the end of
     * the process, which follows a probe at once; only the queue is freed. */
    AcquireSRWLockExclusive(&h->lock);
    h->stop = true;
    while (h->qhead) {
        struct xfer *x = h->qhead;
        h->qhead = x->next;
        xfer_free(x);
    }
    WakeAllConditionVariable(&h->cv_work);
    ReleaseSRWLockExclusive(&h->lock);
}
