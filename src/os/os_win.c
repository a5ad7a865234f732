/* os_win.c: the os.h layer for Windows (7 and later; built with mingw-w64,
 * see `make windows`).
 *
 * Strings: everything that crosses os.h is UTF-8; each Windows call gets
 * UTF-16 converted on the spot. A file name that is not valid UTF-16 (an
 * unpaired surrogate, which NTFS allows) is handed out in WTF-8 (the surrogate
 * encoded like any other code point) and converted back the same way, so every
 * name the walk reports can be opened again.
 *
 * Paths: at each file-system call the path becomes an absolute \\?\ path (or
 * \\?\UNC\server\share\...), so that paths longer than MAX_PATH work. Relative
 * paths are made absolute with GetFullPathNameW on their base (the current
 * directory, or that of their drive), but the components are then cleaned up
 * here ("." and ".." taken out, '/' and '\' both separators) and never
 * rewritten: Win32's own clean-up would strip trailing dots and spaces and
 * turn names like "aux.aspx" or "con" into devices, and a file that an
 * attacker named that way through \\?\ would then be unreadable. Paths that
 * are already \\?\ or \\.\ (volume shadow copies, devices) pass unchanged.
 * Paths handed back (exh_walk_entry.path) keep the caller's form: the root as
 * given, then the names below it joined with '/'. */
#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "exh/core.h"
#include "exh/os.h"
#include "exh/banned.h"

#define SMALL_FILE (64 * 1024)
#define WALK_MAX_DEPTH 512
/* Worker stacks: reserve what a Linux thread gets (8 MiB of address space;
 * only the pages used are committed). */
#define THREAD_STACK (8u << 20)
#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

/* Error codes and reparse tags that older headers may lack. */
#ifndef ERROR_ELEVATION_REQUIRED
#define ERROR_ELEVATION_REQUIRED 740L
#endif
#ifndef ERROR_VIRUS_INFECTED
#define ERROR_VIRUS_INFECTED 225L
#endif
#ifndef ERROR_VIRUS_DELETED
#define ERROR_VIRUS_DELETED 226L
#endif
#ifndef IO_REPARSE_TAG_APPEXECLINK
#define IO_REPARSE_TAG_APPEXECLINK 0x8000001BL
#endif
#ifndef IO_REPARSE_TAG_AF_UNIX
#define IO_REPARSE_TAG_AF_UNIX 0x80000023L
#endif
#ifndef IO_REPARSE_TAG_LX_FIFO
#define IO_REPARSE_TAG_LX_FIFO 0x80000024L
#endif
#ifndef IO_REPARSE_TAG_LX_CHR
#define IO_REPARSE_TAG_LX_CHR 0x80000025L
#endif
#ifndef IO_REPARSE_TAG_LX_BLK
#define IO_REPARSE_TAG_LX_BLK 0x80000026L
#endif

/* ---- UTF-8 <-> UTF-16 ---------------------------------------------------- */

/* The fallback decoder for input that MultiByteToWideChar refuses: WTF-8
 * (3-byte encodings of surrogates give the surrogate back); any other invalid
 * byte becomes U+FFFD. Writes at most n units. */
static size_t wtf8_to_wide(const unsigned char *s, size_t n, wchar_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], cp = 0xFFFD;
        size_t len = 1;
        if (c < 0x80) {
            cp = c;
        } else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            cp = (c & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu);
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80) {
            unsigned v = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
            if (v >= 0x800) {
                cp = v;
                len = 3;
            }
        } else if (c >= 0xF0 && c <= 0xF4 && i + 3 < n && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
            unsigned v = (c & 0x07u) << 18 | (s[i + 1] & 0x3Fu) << 12 | (s[i + 2] & 0x3Fu) << 6 |
                         (s[i + 3] & 0x3Fu);
            if (v >= 0x10000 && v <= 0x10FFFF) {
                cp = v;
                len = 4;
            }
        }
        if (cp >= 0x10000) {
            out[o++] = (wchar_t)(0xD800 + ((cp - 0x10000) >> 10));
            out[o++] = (wchar_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            out[o++] = (wchar_t)cp;
        }
        i += len;
    }
    return o;
}

/* The fallback encoder for UTF-16 that WideCharToMultiByte refuses (unpaired
 * surrogates): WTF-8. Writes at most 3n bytes. */
static size_t wide_to_wtf8(const wchar_t *w, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = w[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && w[i + 1] >= 0xDC00 && w[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (w[i + 1] - 0xDC00u);
            i++;
        }
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | c >> 18);
            out[o++] = (char)(0x80 | (c >> 12 & 0x3F));
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    return o;
}

/* UTF-8 s as a new NUL-terminated UTF-16 string; its length in *outn. */
static wchar_t *to_wide(const char *s, size_t *outn)
{
    size_t n = strlen(s), k = 0;
    wchar_t *w = exh_xmalloc((n + 1) * sizeof(wchar_t)); /* never more units than bytes */
    if (n) {
        int r = n < INT_MAX
                    ? MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)n, w, (int)n + 1)
                    : 0;
        k = r > 0 ? (size_t)r : wtf8_to_wide((const unsigned char *)s, n, w);
    }
    w[k] = 0;
    if (outn)
        *outn = k;
    return w;
}

/* UTF-16 w[0..n) as a new NUL-terminated UTF-8 string. */
static char *to_utf8(const wchar_t *w, size_t n)
{
    char *s = exh_xmalloc(3 * n + 1); /* never more than 3 bytes a unit */
    size_t k = 0;
    if (n) {
        int r = n < INT_MAX / 3 ? WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, (int)n, s,
                                                      (int)(3 * n), NULL, NULL)
                                : 0;
        k = r > 0 ? (size_t)r : wide_to_wtf8(w, n, s);
    }
    s[k] = '\0';
    return s;
}

/* ---- errors --------------------------------------------------------------- */

static enum exh_err map_win(DWORD e)
{
    switch (e) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_PATHNAME:
    case ERROR_DIRECTORY:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
    case ERROR_DEV_NOT_EXIST:
    case ERROR_NOT_READY:
        return EXH_ERR_NOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
    case ERROR_NETWORK_ACCESS_DENIED:
    case ERROR_ELEVATION_REQUIRED:
        return EXH_ERR_PERM;
    case ERROR_FILENAME_EXCED_RANGE:
        return EXH_ERR_NAME_TOO_LONG;
    default:
        return EXH_ERR_OPEN;
    }
}

/* Static English descriptions (never FormatMessage: that is localised and
 * allocates). Where a POSIX errno means the same, glibc's words, so that the
 * error records read the same as on Linux. */
static const struct {
    DWORD code;
    const char *text;
} win_msgs[] = {
    {ERROR_FILE_NOT_FOUND, "No such file or directory"},
    {ERROR_PATH_NOT_FOUND, "No such file or directory"},
    {ERROR_INVALID_DRIVE, "No such file or directory"},
    {ERROR_DIRECTORY, "Not a directory"},
    {ERROR_ACCESS_DENIED, "Permission denied"},
    {ERROR_PRIVILEGE_NOT_HELD, "Permission denied"},
    {ERROR_NETWORK_ACCESS_DENIED, "Permission denied"},
    {ERROR_ELEVATION_REQUIRED, "Permission denied (requires elevation)"},
    {ERROR_FILENAME_EXCED_RANGE, "File name too long"},
    {ERROR_INVALID_NAME, "invalid file name"},
    {ERROR_BAD_PATHNAME, "invalid path"},
    {ERROR_BAD_NETPATH, "network path not found"},
    {ERROR_BAD_NET_NAME, "network name not found"},
    {ERROR_DEV_NOT_EXIST, "device does not exist"},
    {ERROR_NOT_READY, "device not ready"},
    {ERROR_SHARING_VIOLATION, "in use by another process (sharing violation)"},
    {ERROR_LOCK_VIOLATION, "part of the file is locked by another process"},
    {ERROR_CANT_ACCESS_FILE, "the system cannot access the file"},
    {ERROR_CANT_RESOLVE_FILENAME, "cannot resolve the name (too many links)"},
    {ERROR_NOT_ENOUGH_MEMORY, "Cannot allocate memory"},
    {ERROR_OUTOFMEMORY, "Cannot allocate memory"},
    {ERROR_COMMITMENT_LIMIT, "Cannot allocate memory"},
    {ERROR_NO_SYSTEM_RESOURCES, "insufficient system resources"},
    {ERROR_CRC, "Input/output error"},
    {ERROR_IO_DEVICE, "Input/output error"},
    {ERROR_READ_FAULT, "Input/output error"},
    {ERROR_SECTOR_NOT_FOUND, "Input/output error"},
    {ERROR_FILE_INVALID, "the file changed or went away"},
    {ERROR_HANDLE_EOF, "unexpected end of file"},
    {ERROR_NETNAME_DELETED, "network name no longer available"},
    {ERROR_UNEXP_NET_ERR, "unexpected network error"},
    {ERROR_FILE_OFFLINE, "file offline"},
    {ERROR_NOT_SUPPORTED, "Operation not supported"},
    {ERROR_INVALID_FUNCTION, "Function not implemented"},
    {ERROR_INVALID_PARAMETER, "Invalid argument"},
    {ERROR_USER_MAPPED_FILE, "the file is mapped by another process"},
    {ERROR_VIRUS_INFECTED, "blocked by antivirus (virus detected)"},
    {ERROR_VIRUS_DELETED, "blocked by antivirus (file deleted)"},
};

/* Codes not in the table are named by number; those strings are made once and
 * kept for the life of the process, so they are as good as static. */
struct msg_slot {
    struct msg_slot *next;
    DWORD code;
    char text[40];
};
static SRWLOCK msg_lock = SRWLOCK_INIT;
static struct msg_slot *msg_slots;

static const char *sys_text(DWORD e)
{
    for (size_t i = 0; i < sizeof(win_msgs) / sizeof(win_msgs[0]); i++)
        if (win_msgs[i].code == e)
            return win_msgs[i].text;
    AcquireSRWLockExclusive(&msg_lock);
    struct msg_slot *s = msg_slots;
    while (s && s->code != e)
        s = s->next;
    if (!s) {
        s = exh_xmalloc(sizeof(*s));
        s->code = e;
        snprintf(s->text, sizeof(s->text), "Windows error %lu", (unsigned long)e);
        s->next = msg_slots;
        msg_slots = s;
    }
    ReleaseSRWLockExclusive(&msg_lock);
    return s->text;
}

/* ---- paths ---------------------------------------------------------------- */

/* A growable UTF-16 string. */
struct wbuf {
    wchar_t *p;
    size_t n, cap;
};

static void wb_add(struct wbuf *b, const wchar_t *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = exh_xrealloc(b->p, b->cap * sizeof(wchar_t));
    }
    memcpy(b->p + b->n, s, n * sizeof(wchar_t));
    b->n += n;
    b->p[b->n] = 0;
}

static void wb_adds(struct wbuf *b, const wchar_t *s)
{
    wb_add(b, s, wcslen(s));
}

static bool starts(const wchar_t *w, const wchar_t *pre)
{
    return !wcsncmp(w, pre, wcslen(pre));
}

static bool is_drive(const wchar_t *w)
{
    return ((w[0] >= L'A' && w[0] <= L'Z') || (w[0] >= L'a' && w[0] <= L'z')) && w[1] == L':';
}

static bool ieq(const wchar_t *a, size_t n, const wchar_t *b)
{
    return n == wcslen(b) && CompareStringOrdinal(a, (int)n, b, (int)n, TRUE) == CSTR_EQUAL;
}

/* A bare DOS device name ("NUL", "con:", "COM1"), as a whole path: `-o NUL`
 * means the device, not a file named NUL in the current folder. */
static bool is_dos_device(const wchar_t *w, size_t n)
{
    static const wchar_t *const names[] = {L"CON", L"PRN", L"AUX", L"NUL", L"CONIN$", L"CONOUT$"};
    if (n && w[n - 1] == L':')
        n--;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (ieq(w, n, names[i]))
            return true;
    return n == 4 && (ieq(w, 3, L"COM") || ieq(w, 3, L"LPT")) && w[3] >= L'1' && w[3] <= L'9';
}

/* GetFullPathNameW as a new string, or NULL with the last error set. */
static wchar_t *full_path(const wchar_t *w)
{
    DWORD need = GetFullPathNameW(w, 0, NULL, NULL);
    while (need) {
        wchar_t *buf = exh_xmalloc((size_t)need * sizeof(wchar_t));
        DWORD got = GetFullPathNameW(w, need, buf, NULL);
        if (got && got < need)
            return buf;
        free(buf);
        need = got;
    }
    return NULL;
}

/* Copy one component of w starting at *i (up to '\' or the end) to b. */
static void copy_comp(struct wbuf *b, const wchar_t *w, size_t *i)
{
    size_t s = *i;
    while (w[*i] && w[*i] != L'\\')
        (*i)++;
    wb_add(b, w + s, *i - s);
    if (w[*i])
        (*i)++;
}

/* Length of the root of a \\?\ path: "\\?\C:\", "\\?\UNC\server\share\",
 * "\\?\GLOBALROOT\" and the like. */
static size_t vroot_len(const wchar_t *w)
{
    size_t i = 4, comps = 1;
    if (!_wcsnicmp(w + 4, L"UNC\\", 4)) {
        i = 8;
        comps = 2;
    }
    while (comps--) {
        while (w[i] && w[i] != L'\\')
            i++;
        if (w[i])
            i++;
    }
    return i;
}

/* Absolute w ("X:\...", "\\server\share\...", or "\\?\..." from a current
 * directory given that way) as a \\?\ path with "." and ".." resolved and
 * every other name kept as it is. */
static wchar_t *verbatim(const wchar_t *w)
{
    struct wbuf b = {0};
    size_t i;
    wb_adds(&b, L"\\\\?\\");
    if (starts(w, L"\\\\?\\")) {
        i = vroot_len(w);
        wb_add(&b, w + 4, i - 4);
    } else if (w[0] == L'\\' && w[1] == L'\\') {
        wb_adds(&b, L"UNC\\");
        i = 2;
        copy_comp(&b, w, &i);
        wb_adds(&b, L"\\");
        copy_comp(&b, w, &i);
    } else {
        wb_add(&b, w, 2); /* X: */
        i = 2;
    }
    if (!b.n || b.p[b.n - 1] != L'\\')
        wb_adds(&b, L"\\");
    size_t root = b.n;
    while (w[i]) {
        while (w[i] == L'\\')
            i++;
        size_t s = i;
        while (w[i] && w[i] != L'\\')
            i++;
        size_t len = i - s;
        if (len == 0 || (len == 1 && w[s] == L'.'))
            continue;
        if (len == 2 && w[s] == L'.' && w[s + 1] == L'.') {
            if (b.n > root) {
                b.n--; /* the separator after the last name */
                while (b.n > root && b.p[b.n - 1] != L'\\')
                    b.n--;
                b.p[b.n] = 0;
            }
            continue;
        }
        wb_add(&b, w + s, len);
        wb_adds(&b, L"\\");
    }
    if (b.n > root)
        b.p[--b.n] = 0;
    return b.p;
}

/* The path to hand to Windows for UTF-8 `path` (see the top of the file), or
 * NULL with the last error set. */
static wchar_t *win_path(const char *path)
{
    size_t n;
    wchar_t *w = to_wide(path, &n);
    for (size_t i = 0; i < n; i++)
        if (w[i] == L'/')
            w[i] = L'\\';
    if (n == 0) {
        free(w);
        SetLastError(ERROR_PATH_NOT_FOUND);
        return NULL;
    }
    /* already verbatim, or the device namespace: as given */
    if (starts(w, L"\\\\?\\") || starts(w, L"\\??\\") || starts(w, L"\\\\.\\"))
        return w;
    if (is_dos_device(w, n)) {
        struct wbuf b = {0};
        wb_adds(&b, L"\\\\.\\");
        wb_add(&b, w, w[n - 1] == L':' ? n - 1 : n);
        free(w);
        return b.p;
    }
    if (!(is_drive(w) && w[2] == L'\\') && !(w[0] == L'\\' && w[1] == L'\\')) {
        /* relative ("logs"), rooted ("\logs") or drive-relative ("D:logs"):
         * Windows knows the base, the rest is kept as given */
        wchar_t drive[3] = {w[0], L':', 0};
        const wchar_t *base_of = L".", *rest = w;
        if (w[0] == L'\\') {
            base_of = L"\\";
            rest = w + 1;
        } else if (is_drive(w)) {
            base_of = drive;
            rest = w + 2;
        }
        wchar_t *base = full_path(base_of);
        if (!base) {
            free(w);
            return NULL;
        }
        struct wbuf b = {0};
        wb_adds(&b, base);
        if (b.n && b.p[b.n - 1] != L'\\')
            wb_adds(&b, L"\\");
        wb_adds(&b, rest);
        free(base);
        free(w);
        w = b.p;
    }
    wchar_t *v = verbatim(w);
    free(w);
    return v;
}

/* ---- file facts ----------------------------------------------------------- */

static int64_t ft_ms(FILETIME ft)
{
    /* 100 ns ticks since 1601-01-01 to ms since 1970-01-01, rounded down */
    uint64_t u = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    const uint64_t epoch = UINT64_C(116444736000000000);
    /* unsigned until the value is known to fit: a crafted image may hold any time */
    if (u >= epoch)
        return (int64_t)((u - epoch) / 10000);
    return -(int64_t)((epoch - u + 9999) / 10000);
}

struct wstat {
    DWORD attr;
    uint64_t size;
    int64_t mtime_ms;
    bool other; /* not a file on a disk: console, pipe, device */
};

/* Facts about wp, following links (like stat); false with the last error set. */
static bool stat_follow(const wchar_t *wp, struct wstat *st)
{
    memset(st, 0, sizeof(*st));
    HANDLE h = CreateFileW(wp, FILE_READ_ATTRIBUTES, SHARE_ALL, NULL, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        BY_HANDLE_FILE_INFORMATION bi;
        if (GetFileType(h) == FILE_TYPE_DISK && GetFileInformationByHandle(h, &bi)) {
            st->attr = bi.dwFileAttributes;
            st->size = ((uint64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow;
            st->mtime_ms = ft_ms(bi.ftLastWriteTime);
        } else {
            st->other = true;
        }
        CloseHandle(h);
        return true;
    }
    /* in use without sharing (pagefile.sys) or no right to open: the
     * attributes can often still be read */
    DWORD e = GetLastError();
    WIN32_FILE_ATTRIBUTE_DATA ad;
    if (e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND &&
        GetFileAttributesExW(wp, GetFileExInfoStandard, &ad)) {
        st->attr = ad.dwFileAttributes;
        st->size = ((uint64_t)ad.nFileSizeHigh << 32) | ad.nFileSizeLow;
        st->mtime_ms = ft_ms(ad.ftLastWriteTime);
        return true;
    }
    SetLastError(e);
    return false;
}

bool exh_os_is_dir(const char *path)
{
    wchar_t *wp = win_path(path);
    struct wstat st;
    bool dir = wp && stat_follow(wp, &st) && !st.other && (st.attr & FILE_ATTRIBUTE_DIRECTORY);
    free(wp);
    return dir;
}

/* ---- mapping -------------------------------------------------------------- */

/* The roots exh_os_walk() walked (UTF-8, as given): a path found below one
 * is opened without following a link (FILE_FLAG_OPEN_REPARSE_POINT), so a
 * file swapped for a link after the listing is refused. */
static SRWLOCK roots_lock = SRWLOCK_INIT;
static char **walk_roots, **direct_roots; /* folders walked; files given as PATHs */
static size_t nwalk_roots, ndirect_roots;

static void remember_in(char ***list, size_t *nlist, const char *root, size_t n)
{
    AcquireSRWLockExclusive(&roots_lock);
    bool have = false;
    for (size_t i = 0; i < *nlist && !have; i++)
        have = strlen((*list)[i]) == n && !memcmp((*list)[i], root, n);
    if (!have) {
        *list = exh_xrealloc(*list, (*nlist + 1) * sizeof(**list));
        (*list)[(*nlist)++] = exh_xstrndup(root, n);
    }
    ReleaseSRWLockExclusive(&roots_lock);
}

static void remember_root(const char *root, size_t n)
{
    remember_in(&walk_roots, &nwalk_roots, root, n);
}

/* Below a folder walked, and not a file given as a PATH itself (opened as
 * named, through a link if it is one)? */
static bool below_root(const char *path)
{
    bool below = false;
    AcquireSRWLockShared(&roots_lock);
    for (size_t i = 0; i < ndirect_roots; i++)
        if (!strcmp(path, direct_roots[i])) {
            ReleaseSRWLockShared(&roots_lock);
            return false;
        }
    for (size_t i = 0; i < nwalk_roots && !below; i++) {
        size_t n = strlen(walk_roots[i]);
        below = !strncmp(path, walk_roots[i], n) && path[n] &&
                (path[n] == '/' || path[n] == '\\' ||
                 (n && (walk_roots[i][n - 1] == '/' || walk_roots[i][n - 1] == '\\' ||
                        walk_roots[i][n - 1] == ':')));
    }
    ReleaseSRWLockShared(&roots_lock);
    return below;
}

static bool is_link(DWORD attr, DWORD tag);

/* Is the file open as h a reparse point that stands for another name (a
 * symbolic link, a junction)? */
static bool handle_is_link(HANDLE h)
{
    FILE_ATTRIBUTE_TAG_INFO ti;
    if (!GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof(ti)))
        return false;
    return is_link(ti.FileAttributes, ti.ReparseTag);
}

#ifdef EXH_TEST_CRASH
/* Test-only build: a file starting EXHUNT-TEST-SLOW takes ten minutes to read
 * (--file-timeout; see os_posix.c). */
static void test_hooks(const uint8_t *p, size_t n)
{
    if (n >= 16 && !memcmp(p, "EXHUNT-TEST-SLOW", 16))
        for (int i = 0; i < 600; i++)
            Sleep(1000);
}
#else
#define test_hooks(p, n) ((void)0)
#endif

static enum exh_err map_file(const char *path, struct exh_map *out, const char **sys_msg);

/* Open evidence for reading (exh_os_map, exh_os_open_read); INVALID_HANDLE_VALUE
 * with *err and *sys_msg set on failure. */
static HANDLE open_evidence(const char *path, enum exh_err *err, const char **sys_msg)
{
    wchar_t *wp = win_path(path);
    /* below a walked root: the link itself, not what it points to */
    DWORD nofollow = below_root(path) ? FILE_FLAG_OPEN_REPARSE_POINT : 0;
    HANDLE h =
        wp ? CreateFileW(wp, GENERIC_READ, SHARE_ALL, NULL, OPEN_EXISTING,
                         FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_BACKUP_SEMANTICS | nofollow, NULL)
           : INVALID_HANDLE_VALUE;
    DWORD e = GetLastError();
    if (h != INVALID_HANDLE_VALUE && nofollow) {
        BY_HANDLE_FILE_INFORMATION b0, b1;
        if (handle_is_link(h)) {
            CloseHandle(h);
            free(wp);
            *sys_msg = "became a symbolic link after it was listed; not followed";
            *err = EXH_ERR_OPEN;
            return INVALID_HANDLE_VALUE;
        }
        /* another reparse point (deduplication, compression, cloud files):
         * Windows supplies the data only when it is opened as usual; the same
         * file (volume serial and index) or nothing */
        FILE_ATTRIBUTE_TAG_INFO ti;
        if (GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof(ti)) &&
            (ti.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) &&
            GetFileInformationByHandle(h, &b0)) {
            HANDLE h2 = CreateFileW(wp, GENERIC_READ, SHARE_ALL, NULL, OPEN_EXISTING,
                                    FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_BACKUP_SEMANTICS, NULL);
            e = GetLastError();
            CloseHandle(h);
            h = h2;
            if (h != INVALID_HANDLE_VALUE &&
                (!GetFileInformationByHandle(h, &b1) ||
                 b1.dwVolumeSerialNumber != b0.dwVolumeSerialNumber ||
                 b1.nFileIndexHigh != b0.nFileIndexHigh || b1.nFileIndexLow != b0.nFileIndexLow)) {
                CloseHandle(h);
                free(wp);
                *sys_msg = "changed after it was listed; not followed";
                *err = EXH_ERR_OPEN;
                return INVALID_HANDLE_VALUE;
            }
        }
    }
    free(wp);
    if (h == INVALID_HANDLE_VALUE) {
        *sys_msg = sys_text(e);
        *err = map_win(e);
    }
    return h;
}

enum exh_err exh_os_map(const char *path, struct exh_map *out, const char **sys_msg)
{
    enum exh_err e = map_file(path, out, sys_msg);
    if (e == EXH_OK && out->n)
        test_hooks(out->p, out->n);
    return e;
}

static enum exh_err map_file(const char *path, struct exh_map *out, const char **sys_msg)
{
    memset(out, 0, sizeof(*out));
    const char *dummy;
    if (!sys_msg)
        sys_msg = &dummy;
    /* Share everything: IIS, Exchange and the event log keep writing (and may
     * rotate or delete) while we read. Backup semantics: directories open
     * (to say "is a directory") and an administrator with SeBackupPrivilege
     * enabled reads past the ACLs. Read access only: evidence is never
     * changed. */
    enum exh_err oe;
    HANDLE h = open_evidence(path, &oe, sys_msg);
    DWORD e;
    if (h == INVALID_HANDLE_VALUE)
        return oe;
    BY_HANDLE_FILE_INFORMATION bi;
    bool disk = GetFileType(h) == FILE_TYPE_DISK && GetFileInformationByHandle(h, &bi);
    bool dir = disk && (bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    if (!disk || dir) {
        CloseHandle(h);
        *sys_msg = dir ? "is a directory" : "not a regular file";
        return EXH_ERR_OPEN;
    }
    for (int attempt = 0;; attempt++) {
        LARGE_INTEGER sz;
        if (!GetFileSizeEx(h, &sz)) {
            e = GetLastError();
            break;
        }
        uint64_t n = (uint64_t)sz.QuadPart;
        if (n == 0) {
            CloseHandle(h);
            return EXH_OK;
        }
        if (n <= SMALL_FILE) {
            uint8_t *buf = exh_xmalloc((size_t)n);
            size_t got = 0;
            while (got < n) {
                DWORD k = 0;
                if (!ReadFile(h, buf + got, (DWORD)(n - got), &k, NULL)) {
                    e = GetLastError();
                    free(buf);
                    CloseHandle(h);
                    *sys_msg = sys_text(e);
                    return EXH_ERR_READ;
                }
                if (k == 0) { /* the file shrank: use what is there, and say so */
                    out->changed_ = true;
                    break;
                }
                got += k;
            }
            CloseHandle(h);
            out->p = buf;
            out->n = got;
            out->priv_ = buf;
            out->priv_n_ = 0;
            return EXH_OK;
        }
        if (n > (uint64_t)(SIZE_T)-1) {
            e = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        /* The view covers the size at open time: a writer appending meanwhile
         * changes nothing here. (While the view exists Windows refuses to cut
         * the file shorter than it, so the pages behind it stay valid.) */
        HANDLE fm = CreateFileMappingW(h, NULL, PAGE_READONLY, (DWORD)(n >> 32), (DWORD)n, NULL);
        if (!fm) {
            e = GetLastError();
            if (attempt < 2)
                continue; /* the file shrank between the size and the mapping */
            break;
        }
        void *v = MapViewOfFile(fm, FILE_MAP_READ, 0, 0, (SIZE_T)n);
        e = GetLastError();
        CloseHandle(fm); /* the view keeps the section and the file open */
        if (!v)
            break;
        CloseHandle(h);
        out->p = v;
        out->n = (size_t)n;
        out->priv_ = v;
        out->priv_n_ = (size_t)n;
        return EXH_OK;
    }
    CloseHandle(h);
    *sys_msg = sys_text(e);
    return EXH_ERR_READ;
}

void exh_os_map_sequential(struct exh_map *m)
{
    /* Nothing: the file was opened with FILE_FLAG_SEQUENTIAL_SCAN, and the
     * memory manager already reads mapped files ahead in clusters as they are
     * touched. PrefetchVirtualMemory (Windows 8) over the whole view would
     * read a multi-gigabyte log in at once, against what exh_os_map_done is
     * there for. */
    (void)m;
}

void exh_os_map_done(struct exh_map *m, size_t lo, size_t hi)
{
    /* Only a real mapping (small files are heap memory). VirtualUnlock on
     * pages that are not locked takes them out of the process's working set
     * (documented behaviour; the call then "fails" with ERROR_NOT_LOCKED):
     * the clean file pages go to the standby list and a later read faults
     * them back from the cache or the file, as after MADV_DONTNEED.
     * DiscardVirtualMemory and OfferVirtualMemory are for private memory,
     * not file views. */
    if (!m->priv_n_ || hi > m->priv_n_ || lo >= hi)
        return;
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    size_t ps = si.dwPageSize ? si.dwPageSize : 4096;
    size_t a = (lo + ps - 1) / ps * ps, b = hi / ps * ps;
    if (a < b)
        VirtualUnlock((char *)m->priv_ + a, b - a);
}

bool exh_os_unmap(struct exh_map *m)
{
    /* A mapped file cannot be cut shorter on Windows (the view holds it). A
     * read error of a network file under a view (EXCEPTION_IN_PAGE_ERROR)
     * is not caught here: the child dies of it, exh_os_run_self says so
     * (EXH_RUN_SELF_INPAGE) and the supervisor leaves that file out. */
    bool changed = m->changed_;
    if (m->priv_n_)
        UnmapViewOfFile(m->priv_);
    else
        free(m->priv_);
    memset(m, 0, sizeof(*m));
    return changed;
}

/* ---- walk ----------------------------------------------------------------- */

struct dent {
    char *name; /* UTF-8 */
    DWORD attr, tag;
    uint64_t size;
    int64_t mtime_ms;
};

static int cmp_dents(const void *a, const void *b)
{
    return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

/* Links: symbolic links, junctions (mount points) and every other reparse
 * point that stands for another name. Not followed. */
static bool is_link(DWORD attr, DWORD tag)
{
    return (attr & FILE_ATTRIBUTE_REPARSE_POINT) && IsReparseTagNameSurrogate(tag);
}

/* Not regular files although they have no link tag: WSL sockets, FIFOs and
 * device nodes, and app execution aliases (which cannot be read). Other
 * reparse points (deduplication, WOF compression, cloud files, HSM) are
 * files whose data Windows supplies on read: they are read. */
static bool is_special(DWORD attr, DWORD tag)
{
    if (attr & FILE_ATTRIBUTE_DEVICE)
        return true;
    if (!(attr & FILE_ATTRIBUTE_REPARSE_POINT))
        return false;
    return tag == IO_REPARSE_TAG_AF_UNIX || tag == IO_REPARSE_TAG_LX_FIFO ||
           tag == IO_REPARSE_TAG_LX_CHR || tag == IO_REPARSE_TAG_LX_BLK ||
           tag == IO_REPARSE_TAG_APPEXECLINK;
}

struct walker {
    exh_walk_fn fn;
    void *ud;
    struct exh_buf path;
    size_t root_len; /* bytes of path that are the root (rel starts after them) */
    int stop;
};

static bool is_sep_c(char c)
{
    return c == '/' || c == '\\';
}

static const char *rel_of(struct walker *w)
{
    const char *r = w->path.p + w->root_len;
    while (is_sep_c(*r))
        r++;
    return r;
}

static void emit_error(struct walker *w, enum exh_err err, const char *msg)
{
    struct exh_walk_entry e = {0};
    e.kind = EXH_WALK_ERROR;
    e.path = w->path.p;
    e.rel = rel_of(w);
    e.err = err;
    e.sys_msg = msg;
    w->stop = w->fn(w->ud, &e);
}

static void emit_entry(struct walker *w, enum exh_walk_kind kind, uint64_t size, int64_t mtime_ms)
{
    struct exh_walk_entry e = {0};
    e.kind = kind;
    e.path = w->path.p;
    e.rel = rel_of(w);
    if (kind == EXH_WALK_FILE) {
        e.size = size;
        e.mtime_ms = mtime_ms;
    }
    w->stop = w->fn(w->ud, &e);
}

/* The names in directory w->path, in *out; false after reporting an error. */
static bool list_dir(struct walker *w, struct dent **out, size_t *nout, DWORD *late_err)
{
    *out = NULL;
    *nout = 0;
    *late_err = 0;
    wchar_t *wp = win_path(w->path.p);
    if (!wp) {
        DWORD e = GetLastError();
        emit_error(w, map_win(e) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST, sys_text(e));
        return false;
    }
    struct wbuf pat = {0};
    wb_adds(&pat, wp);
    wb_adds(&pat, pat.n && pat.p[pat.n - 1] == L'\\' ? L"*" : L"\\*");
    free(wp);
    WIN32_FIND_DATAW fd;
    HANDLE fh = FindFirstFileExW(pat.p, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL,
                                 FIND_FIRST_EX_LARGE_FETCH);
    DWORD e = fh == INVALID_HANDLE_VALUE ? GetLastError() : 0; /* before free() may change it */
    free(pat.p);
    if (fh == INVALID_HANDLE_VALUE) {
        if (e == ERROR_FILE_NOT_FOUND) /* an empty volume root has not even "." */
            return true;
        emit_error(w, map_win(e) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST, sys_text(e));
        return false;
    }
    struct dent *v = NULL;
    size_t n = 0, cap = 0;
    do {
        const wchar_t *nm = fd.cFileName;
        if (nm[0] == L'.' && (nm[1] == 0 || (nm[1] == L'.' && nm[2] == 0)))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            v = exh_xrealloc(v, cap * sizeof(*v));
        }
        struct dent *d = &v[n++];
        d->name = to_utf8(nm, wcslen(nm));
        d->attr = fd.dwFileAttributes;
        d->tag = (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) ? fd.dwReserved0 : 0;
        d->size = ((uint64_t)fd.nFileSizeHigh << 32) | fd.nFileSizeLow;
        d->mtime_ms = ft_ms(fd.ftLastWriteTime);
    } while (FindNextFileW(fh, &fd));
    e = GetLastError();
    FindClose(fh);
    if (e != ERROR_NO_MORE_FILES)
        *late_err = e;
    if (n)
        qsort(v, n, sizeof(*v), cmp_dents);
    *out = v;
    *nout = n;
    return true;
}

static void walk_dir(struct walker *w, int depth)
{
    if (depth > WALK_MAX_DEPTH) {
        emit_error(w, EXH_ERR_TOO_DEEP, "directory nesting too deep");
        return;
    }
    /* Below the root, the folder itself first, as the link it may have become
     * since its parent was listed (FILE_FLAG_OPEN_REPARSE_POINT): a link is
     * not followed. The handle stays open while the folder is listed and
     * walked, and does not share deletion: the folder cannot be renamed,
     * removed or swapped for a link meanwhile. */
    HANDLE dh = INVALID_HANDLE_VALUE;
    if (depth > 0) {
        wchar_t *wp = win_path(w->path.p);
        dh = wp ? CreateFileW(wp, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING,
                              FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL)
                : INVALID_HANDLE_VALUE;
        free(wp);
        BY_HANDLE_FILE_INFORMATION bi;
        if (dh != INVALID_HANDLE_VALUE &&
            (handle_is_link(dh) || !GetFileInformationByHandle(dh, &bi) ||
             !(bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))) {
            CloseHandle(dh);
            emit_error(w, EXH_ERR_LIST,
                       "became a link or a file after it was listed; not followed");
            return;
        }
    }
    struct dent *v;
    size_t nn;
    DWORD late_err;
    if (!list_dir(w, &v, &nn, &late_err)) {
        if (dh != INVALID_HANDLE_VALUE)
            CloseHandle(dh);
        return;
    }
    size_t base = w->path.n;
    for (size_t i = 0; i < nn && !w->stop; i++) {
        struct dent *d = &v[i];
        w->path.n = base;
        if (base && !is_sep_c(w->path.p[base - 1]) && w->path.p[base - 1] != ':')
            exh_buf_addc(&w->path, '/');
        exh_buf_adds(&w->path, d->name);
        if (is_link(d->attr, d->tag)) {
            emit_entry(w, EXH_WALK_SKIP, 0, 0);
        } else if (d->attr & FILE_ATTRIBUTE_DIRECTORY) {
            walk_dir(w, depth + 1);
        } else if (is_special(d->attr, d->tag)) {
            emit_entry(w, EXH_WALK_SKIP, 0, 0);
        } else {
            /* Size and time from the file itself: NTFS updates a directory
             * entry lazily, so for a log that is being written the listing
             * lags behind. When the file cannot be asked (in use without
             * sharing), the listing's facts do. */
            wchar_t *wp = win_path(w->path.p);
            WIN32_FILE_ATTRIBUTE_DATA ad;
            if (wp && GetFileAttributesExW(wp, GetFileExInfoStandard, &ad)) {
                d->size = ((uint64_t)ad.nFileSizeHigh << 32) | ad.nFileSizeLow;
                d->mtime_ms = ft_ms(ad.ftLastWriteTime);
                free(wp);
            } else {
                DWORD e = GetLastError();
                free(wp);
                if (map_win(e) == EXH_ERR_NOENT || e == ERROR_FILENAME_EXCED_RANGE) {
                    emit_error(w, map_win(e), sys_text(e));
                    continue;
                }
            }
            emit_entry(w, EXH_WALK_FILE, d->size, d->mtime_ms);
        }
    }
    for (size_t i = 0; i < nn; i++)
        free(v[i].name);
    free(v);
    if (dh != INVALID_HANDLE_VALUE)
        CloseHandle(dh);
    w->path.n = base;
    w->path.p[base] = '\0';
    if (late_err && !w->stop)
        emit_error(w, map_win(late_err) == EXH_ERR_PERM ? EXH_ERR_PERM : EXH_ERR_LIST,
                   sys_text(late_err));
}

enum exh_err exh_os_walk(const char *root, exh_walk_fn fn, void *ud, const char **sys_msg)
{
    wchar_t *wp = win_path(root);
    struct wstat st;
    if (!wp || !stat_follow(wp, &st)) {
        DWORD e = GetLastError();
        free(wp);
        if (sys_msg)
            *sys_msg = sys_text(e);
        return map_win(e);
    }
    free(wp);
    struct walker w = {fn, ud, {0}, 0, 0};
    exh_buf_adds(&w.path, root);
    /* "logs/" and "logs\" are "logs"; "C:\" stays (C: alone is another place) */
    while (w.path.n > 1 && is_sep_c(w.path.p[w.path.n - 1]) && w.path.p[w.path.n - 2] != ':')
        w.path.p[--w.path.n] = '\0';
    w.root_len = w.path.n;
    if (!st.other && (st.attr & FILE_ATTRIBUTE_DIRECTORY)) {
        remember_root(w.path.p, w.path.n);
        walk_dir(&w, 0);
    } else {
        remember_in(&direct_roots, &ndirect_roots, w.path.p, w.path.n);
        struct exh_walk_entry e = {0};
        e.path = w.path.p;
        e.rel = "";
        if (st.other) {
            e.kind = EXH_WALK_SKIP;
        } else {
            e.kind = EXH_WALK_FILE;
            e.size = st.size;
            e.mtime_ms = st.mtime_ms;
        }
        fn(ud, &e);
    }
    exh_buf_release(&w.path);
    return EXH_OK;
}

/* ---- is this path inside that one ------------------------------------------ */

/* The final path of \\?\ path wp (links, junctions, 8.3 names and letter case
 * resolved), or, when wp does not exist, that of its deepest existing
 * ancestor with the rest of wp appended. Takes wp; returns a new string. */
static wchar_t *resolve(wchar_t *wp)
{
    size_t root = vroot_len(wp), cut = wcslen(wp);
    for (;;) {
        wchar_t saved = wp[cut];
        wp[cut] = 0;
        /* no access asked: this only wants the name */
        HANDLE h =
            CreateFileW(wp, 0, SHARE_ALL, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
        wp[cut] = saved;
        if (h != INVALID_HANDLE_VALUE) {
            wchar_t *fin = NULL;
            DWORD need =
                GetFinalPathNameByHandleW(h, NULL, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
            while (need) {
                fin = exh_xmalloc((size_t)need * sizeof(wchar_t));
                DWORD got =
                    GetFinalPathNameByHandleW(h, fin, need, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
                if (got && got < need)
                    break;
                free(fin);
                fin = NULL;
                need = got;
            }
            CloseHandle(h);
            if (!fin || !starts(fin, L"\\\\?\\")) {
                free(fin);
                break;
            }
            struct wbuf b = {0};
            wb_adds(&b, fin);
            const wchar_t *rest = wp + cut;
            if (b.n && b.p[b.n - 1] == L'\\' && *rest == L'\\')
                rest++;
            wb_adds(&b, rest);
            free(fin);
            free(wp);
            return b.p;
        }
        size_t c = cut;
        while (c > root && wp[c - 1] != L'\\')
            c--;
        if (c <= root)
            break;
        cut = c - 1;
    }
    return wp;
}

bool exh_os_path_inside(const char *path, const char *root)
{
    wchar_t *r = win_path(root);
    struct wstat st;
    if (!r || !stat_follow(r, &st)) { /* as realpath(root) failing on POSIX */
        free(r);
        return false;
    }
    wchar_t *p = win_path(path);
    if (!p) {
        free(r);
        return false;
    }
    r = resolve(r);
    p = resolve(p);
    size_t rn = wcslen(r), pn = wcslen(p);
    /* NTFS names compare without case (ordinal, as the file system does) */
    bool inside = pn >= rn && rn < INT_MAX &&
                  CompareStringOrdinal(p, (int)rn, r, (int)rn, TRUE) == CSTR_EQUAL &&
                  (p[rn] == 0 || p[rn] == L'\\' || p[rn] == L':' || (rn && r[rn - 1] == L'\\'));
    /* ':' after the root names a stream of it (root:x, root::$DATA): inside */
    free(r);
    free(p);
    return inside;
}

char *exh_os_path_key(const char *path)
{
    wchar_t *p = win_path(path);
    struct wstat st;
    if (!p || !stat_follow(p, &st)) {
        free(p);
        return NULL;
    }
    p = resolve(p);
    size_t n = wcslen(p);
    if (n < 0xffffffffu)
        CharUpperBuffW(p, (DWORD)n); /* the folding NTFS's ordinal comparison uses */
    char *k = to_utf8(p, n);
    free(p);
    for (char *c = k; c && *c; c++)
        if (*c == '\\')
            *c = '/';
    return k;
}

/* ---- the report file ------------------------------------------------------ */

struct file_id {
    bool ok, dir;
    DWORD vol, hi, lo;
};

static struct file_id id_of_handle(HANDLE h)
{
    struct file_id id = {0};
    BY_HANDLE_FILE_INFORMATION bi;
    if (GetFileInformationByHandle(h, &bi)) {
        id.ok = true;
        id.dir = (bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        id.vol = bi.dwVolumeSerialNumber;
        id.hi = bi.nFileIndexHigh;
        id.lo = bi.nFileIndexLow;
    }
    return id;
}

/* The identity of \\?\ path wp, following links. */
static struct file_id id_of(const wchar_t *wp)
{
    struct file_id id = {0};
    HANDLE h = CreateFileW(wp, 0, SHARE_ALL, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        id = id_of_handle(h);
        CloseHandle(h);
    }
    return id;
}

static bool same_id(struct file_id a, struct file_id b)
{
    return a.ok && b.ok && a.vol == b.vol && a.hi == b.hi && a.lo == b.lo;
}

/* The identities of the roots (free the array). */
static struct file_id *root_ids(const char *const *roots, size_t nroots)
{
    struct file_id *rid = exh_xcalloc(nroots ? nroots : 1, sizeof(*rid));
    for (size_t i = 0; i < nroots; i++) {
        wchar_t *r = win_path(roots[i]);
        if (r)
            rid[i] = id_of(r);
        free(r);
    }
    return rid;
}

/* The folder \\?\ path wp goes in and each above it, by volume serial and
 * file index (links followed, as Windows would when writing): the index of
 * the root (rid[i]) it lies in, or EXH_OUT_ERROR. */
static size_t inside_by_id(const wchar_t *wp, const struct file_id *rid, size_t nroots)
{
    size_t inside = EXH_OUT_ERROR;
    if (starts(wp, L"\\\\.\\") || !starts(wp, L"\\\\?\\"))
        return inside;
    size_t root = vroot_len(wp), n = wcslen(wp);
    wchar_t *d = _wcsdup(wp);
    while (d && inside == EXH_OUT_ERROR) {
        while (n > root && d[n - 1] != L'\\')
            n--;
        if (n <= root - 1 || n == 0)
            break;
        bool top = n <= root;
        d[top ? root : n - 1] = 0;
        struct file_id id = id_of(d);
        for (size_t i = 0; i < nroots; i++)
            if (rid[i].dir && same_id(id, rid[i]))
                inside = i;
        if (top)
            break;
        n--;
    }
    free(d);
    return inside;
}

size_t exh_os_inside(const char *path, const char *const *roots, size_t nroots)
{
    size_t inside = EXH_OUT_ERROR;
    /* a name below path: then path itself is the first folder judged */
    struct exh_buf b = {0};
    exh_buf_adds(&b, path[0] ? path : ".");
    exh_buf_adds(&b, "/x");
    wchar_t *wp = win_path(b.p);
    exh_buf_release(&b);
    struct file_id *rid = root_ids(roots, nroots);
    if (wp)
        inside = inside_by_id(wp, rid, nroots);
    for (size_t i = 0; i < nroots && inside == EXH_OUT_ERROR; i++)
        if (exh_os_path_inside(path, roots[i]))
            inside = i;
    free(rid);
    free(wp);
    return inside;
}

enum exh_dir_state exh_os_dir_state(const char *path)
{
    wchar_t *wp = win_path(path);
    if (!wp)
        return EXH_DIR_OTHER;
    DWORD attr = GetFileAttributesW(wp);
    if (attr == INVALID_FILE_ATTRIBUTES) {
        DWORD e = GetLastError();
        free(wp);
        return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? EXH_DIR_MISSING
                                                                      : EXH_DIR_OTHER;
    }
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY) || (attr & FILE_ATTRIBUTE_REPARSE_POINT)) {
        free(wp);
        return EXH_DIR_OTHER;
    }
    struct wbuf pat = {0};
    wb_adds(&pat, wp);
    wb_adds(&pat, L"\\*");
    free(wp);
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pat.p, &fd);
    free(pat.p);
    if (h == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_FILE_NOT_FOUND ? EXH_DIR_EMPTY : EXH_DIR_OTHER;
    enum exh_dir_state r = EXH_DIR_EMPTY;
    do
        if (wcscmp(fd.cFileName, L".") != 0 && wcscmp(fd.cFileName, L"..") != 0)
            r = EXH_DIR_FULL;
    while (r == EXH_DIR_EMPTY && FindNextFileW(h, &fd));
    FindClose(h);
    return r;
}

enum exh_err exh_os_mkdirs(const char *path, const char **sys_msg)
{
    wchar_t *wp = win_path(path);
    if (!wp) {
        *sys_msg = sys_text(GetLastError());
        return EXH_ERR_NAME_TOO_LONG;
    }
    /* each folder below the volume root in turn, then the whole path */
    size_t root = starts(wp, L"\\\\?\\") ? vroot_len(wp) : 0, n = wcslen(wp);
    enum exh_err err = EXH_OK;
    for (size_t i = root + 1; i <= n && err == EXH_OK; i++) {
        if (i < n && wp[i] != L'\\')
            continue;
        wchar_t c = wp[i];
        wp[i] = 0;
        if (!CreateDirectoryW(wp, NULL)) {
            DWORD e = GetLastError();
            DWORD attr = GetFileAttributesW(wp);
            if (e != ERROR_ALREADY_EXISTS || attr == INVALID_FILE_ATTRIBUTES ||
                !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
                *sys_msg = sys_text(e == ERROR_ALREADY_EXISTS ? ERROR_DIRECTORY : e);
                err = e == ERROR_ALREADY_EXISTS ? EXH_ERR_OPEN : map_win(e);
            }
        }
        wp[i] = c;
    }
    free(wp);
    return err;
}

struct exh_rfile {
    HANDLE h;
};

static bool info_of_handle(HANDLE h, struct exh_file_info *info)
{
    memset(info, 0, sizeof(*info));
    BY_HANDLE_FILE_INFORMATION bi;
    if (!GetFileInformationByHandle(h, &bi))
        return false;
    info->size = ((uint64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow;
    info->mtime_ms = ft_ms(bi.ftLastWriteTime);
    info->has_ctime = true;
    info->ctime_ms = ft_ms(bi.ftCreationTime);
    info->ctime_what = "created";
    return true;
}

enum exh_err exh_os_open_read(const char *path, struct exh_rfile **out, struct exh_file_info *info,
                              const char **sys_msg)
{
    *out = NULL;
    enum exh_err err;
    HANDLE h = open_evidence(path, &err, sys_msg);
    if (h == INVALID_HANDLE_VALUE)
        return err;
    BY_HANDLE_FILE_INFORMATION bi;
    if (GetFileType(h) != FILE_TYPE_DISK || !GetFileInformationByHandle(h, &bi) ||
        (bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || !info_of_handle(h, info)) {
        CloseHandle(h);
        *sys_msg = "not a regular file";
        return EXH_ERR_OPEN;
    }
    *out = exh_xmalloc(sizeof(**out));
    (*out)->h = h;
    return EXH_OK;
}

enum exh_err exh_os_read(struct exh_rfile *f, void *buf, size_t cap, size_t *got,
                         const char **sys_msg)
{
    DWORD k = 0;
    if (cap > (1u << 30))
        cap = 1u << 30;
    if (!ReadFile(f->h, buf, (DWORD)cap, &k, NULL)) {
        *got = 0;
        *sys_msg = sys_text(GetLastError());
        return EXH_ERR_READ;
    }
    *got = k;
    return EXH_OK;
}

bool exh_os_read_info(struct exh_rfile *f, struct exh_file_info *info)
{
    return info_of_handle(f->h, info);
}

void exh_os_close_read(struct exh_rfile *f)
{
    if (f) {
        CloseHandle(f->h);
        free(f);
    }
}

struct exh_wfile {
    HANDLE h;
};

enum exh_err exh_os_create_new(const char *path, struct exh_wfile **out, const char **sys_msg)
{
    *out = NULL;
    wchar_t *wp = win_path(path);
    HANDLE h = wp ? CreateFileW(wp, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_NEW,
                                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL)
                  : INVALID_HANDLE_VALUE;
    DWORD e = GetLastError();
    free(wp);
    if (h == INVALID_HANDLE_VALUE) {
        *sys_msg = sys_text(e);
        return e == ERROR_FILE_EXISTS || e == ERROR_ALREADY_EXISTS ? EXH_ERR_EXISTS : map_win(e);
    }
    *out = exh_xmalloc(sizeof(**out));
    (*out)->h = h;
    return EXH_OK;
}

enum exh_err exh_os_write(struct exh_wfile *f, const void *p, size_t n, const char **sys_msg)
{
    const char *b = p;
    while (n) {
        DWORD k = 0, want = n > (1u << 30) ? (1u << 30) : (DWORD)n;
        if (!WriteFile(f->h, b, want, &k, NULL) || k == 0) {
            *sys_msg = sys_text(GetLastError());
            return EXH_ERR_WRITE;
        }
        b += k;
        n -= k;
    }
    return EXH_OK;
}

enum exh_err exh_os_close_write(struct exh_wfile *f, int64_t mtime_ms, const char **sys_msg)
{
    enum exh_err err = EXH_OK;
    if (!FlushFileBuffers(f->h)) {
        *sys_msg = sys_text(GetLastError());
        err = EXH_ERR_WRITE;
    }
    if (err == EXH_OK && mtime_ms >= 0) {
        /* ms since 1970 to 100 ns ticks since 1601 */
        uint64_t u = (uint64_t)mtime_ms * 10000 + UINT64_C(116444736000000000);
        FILETIME ft;
        ft.dwLowDateTime = (DWORD)u;
        ft.dwHighDateTime = (DWORD)(u >> 32);
        SetFileTime(f->h, NULL, NULL, &ft); /* a nicety: the copy still stands without it */
    }
    if (!CloseHandle(f->h) && err == EXH_OK) {
        *sys_msg = sys_text(GetLastError());
        err = EXH_ERR_WRITE;
    }
    free(f);
    return err;
}

void exh_os_remove(const char *path)
{
    wchar_t *wp = win_path(path);
    if (wp)
        DeleteFileW(wp);
    free(wp);
}

FILE *exh_os_open_output(const char *path, const char *const *roots, size_t nroots, size_t *inside,
                         const char **why)
{
    *inside = EXH_OUT_ERROR;
    *why = NULL;
    wchar_t *wp = win_path(path);
    if (!wp) {
        *why = sys_text(GetLastError());
        return NULL;
    }
    struct file_id *rid = root_ids(roots, nroots);
    bool device = starts(wp, L"\\\\.\\");
    *inside = inside_by_id(wp, rid, nroots);
    for (size_t i = 0; i < nroots && *inside == EXH_OUT_ERROR; i++)
        if (exh_os_path_inside(path, roots[i]))
            *inside = i;
    FILE *f = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    if (*inside != EXH_OUT_ERROR)
        goto out;
    /* the file: the link itself if it is one (never what it points to), and
     * truncated only after the checks */
    h = CreateFileW(wp, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL | (device ? 0 : FILE_FLAG_OPEN_REPARSE_POINT), NULL);
    if (h == INVALID_HANDLE_VALUE) {
        *why = sys_text(GetLastError());
        goto out;
    }
    if (GetFileType(h) == FILE_TYPE_DISK) {
        BY_HANDLE_FILE_INFORMATION bi;
        if (!GetFileInformationByHandle(h, &bi)) {
            *why = sys_text(GetLastError());
            goto out;
        }
        if (bi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
            *inside = EXH_OUT_REFUSED;
            *why = "it is a symbolic link (it could point into the evidence); give the path it "
                   "points to";
            goto out;
        }
        struct file_id id = id_of_handle(h);
        for (size_t i = 0; i < nroots; i++)
            if (same_id(id, rid[i]))
                *inside = i;
        if (*inside != EXH_OUT_ERROR)
            goto out;
        if (bi.nNumberOfLinks > 1) {
            *inside = EXH_OUT_REFUSED;
            *why = "it has other hard links (one could be in the evidence)";
            goto out;
        }
        LARGE_INTEGER zero = {0};
        if (!SetFilePointerEx(h, zero, NULL, FILE_BEGIN) || !SetEndOfFile(h)) {
            *why = sys_text(GetLastError());
            goto out;
        }
    }
    int fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY);
    if (fd < 0) {
        *why = "cannot open";
        goto out;
    }
    h = INVALID_HANDLE_VALUE; /* fd owns it */
    f = _fdopen(fd, "wb");
    if (!f) {
        *why = "cannot open";
        _close(fd);
    }
out:
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(rid);
    free(wp);
    return f;
}

/* ---- terminal and process facts ------------------------------------------- */

/* stdout and stderr: consoles that show escape sequences (set by
 * exh_os_stdio_init; the progress line and colour need them) */
static bool vt_ok[3];

bool exh_os_isatty(int fd)
{
    /* a console, not just any character device (NUL is one too); for
     * stdout and stderr one that shows escape sequences, since that is what
     * callers ask it for (Windows Server 2012 R2's console does not) */
    if (fd < 0)
        return false;
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    DWORD mode;
    if (h == INVALID_HANDLE_VALUE || h == NULL || !GetConsoleMode(h, &mode))
        return false;
    return fd == 1 || fd == 2 ? vt_ok[fd] : true;
}

int exh_os_term_width(int fd)
{
    const char *c = exh_os_getenv("COLUMNS");
    if (c) {
        long v = strtol(c, NULL, 10);
        if (v > 10 && v < 10000)
            return (int)v;
    }
    HANDLE h = fd >= 0 ? (HANDLE)_get_osfhandle(fd) : INVALID_HANDLE_VALUE;
    CONSOLE_SCREEN_BUFFER_INFO ci;
    if (h != INVALID_HANDLE_VALUE && h != NULL && GetConsoleScreenBufferInfo(h, &ci)) {
        int cols = ci.srWindow.Right - ci.srWindow.Left + 1;
        if (cols > 10)
            return cols;
    }
    return 79;
}

int exh_os_cpu_count(void)
{
    /* every processor group (machines with more than 64 logical processors) */
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    if (n == 0) {
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        n = si.dwNumberOfProcessors;
    }
    return n > 0 ? (int)(n > 256 ? 256 : n) : 1;
}

typedef VOID(WINAPI *precise_time_fn)(LPFILETIME);
static precise_time_fn precise_time;
static INIT_ONCE precise_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK find_precise_time(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    /* Windows 8 and later; looked up so that the program still starts on 7 */
    HMODULE k = GetModuleHandleW(L"kernel32.dll");
    if (k)
        precise_time =
            (precise_time_fn)(void (*)(void))GetProcAddress(k, "GetSystemTimePreciseAsFileTime");
    return TRUE;
}

int64_t exh_os_now_ms(void)
{
    FILETIME ft;
    InitOnceExecuteOnce(&precise_once, find_precise_time, NULL, NULL);
    if (precise_time)
        precise_time(&ft);
    else
        GetSystemTimeAsFileTime(&ft);
    return ft_ms(ft);
}

long exh_os_raise_fd_limit(long want)
{
    (void)want;
    return -1;
}

int64_t exh_os_mono_ms(void)
{
    return (int64_t)GetTickCount64();
}

void exh_os_sleep_ms(int ms)
{
    Sleep(ms > 0 ? (DWORD)ms : 0);
}

/* Values are converted to UTF-8 once and kept for the life of the process
 * (callers hold the pointers); a name asked again with the same value gets
 * the same string back, so repeated calls do not grow the cache. */
struct env_slot {
    struct env_slot *next;
    char *name, *value;
};
static SRWLOCK env_lock = SRWLOCK_INIT;
static struct env_slot *env_slots;

const char *exh_os_getenv(const char *name)
{
    wchar_t *wn = to_wide(name, NULL);
    DWORD cap = 256;
    wchar_t *buf = exh_xmalloc(cap * sizeof(wchar_t));
    DWORD got;
    for (;;) {
        SetLastError(ERROR_SUCCESS);
        got = GetEnvironmentVariableW(wn, buf, cap);
        if (got < cap)
            break;
        cap = got; /* the size needed, with the NUL */
        buf = exh_xrealloc(buf, cap * sizeof(wchar_t));
    }
    free(wn);
    if (got == 0 && GetLastError() == ERROR_ENVVAR_NOT_FOUND) {
        free(buf);
        return NULL;
    }
    char *value = to_utf8(buf, got);
    free(buf);
    AcquireSRWLockExclusive(&env_lock);
    struct env_slot *s = env_slots;
    while (s && (strcmp(s->name, name) || strcmp(s->value, value)))
        s = s->next;
    if (s) {
        free(value);
    } else {
        s = exh_xmalloc(sizeof(*s));
        s->name = exh_xstrdup(name);
        s->value = value;
        s->next = env_slots;
        env_slots = s;
    }
    ReleaseSRWLockExclusive(&env_lock);
    return s->value;
}

/* ---- threads and a mutex --------------------------------------------------- */

struct exh_thread {
    HANDLE h;
    void *(*fn)(void *);
    void *arg;
};

static unsigned __stdcall thread_main(void *p)
{
    struct exh_thread *t = p;
    t->fn(t->arg);
    return 0;
}

enum exh_err exh_os_thread_start(struct exh_thread **out, void *(*fn)(void *), void *arg)
{
    struct exh_thread *t = exh_xmalloc(sizeof(*t));
    t->fn = fn;
    t->arg = arg;
    /* _beginthreadex, not CreateThread: the thread uses the C runtime */
    uintptr_t h =
        _beginthreadex(NULL, THREAD_STACK, thread_main, t, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (!h) {
        free(t);
        return EXH_ERR_THREAD;
    }
    t->h = (HANDLE)h;
    *out = t;
    return EXH_OK;
}

void exh_os_thread_join(struct exh_thread *t)
{
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
}

struct exh_mutex {
    SRWLOCK l;
};

struct exh_mutex *exh_os_mutex_new(void)
{
    struct exh_mutex *m = exh_xmalloc(sizeof(*m));
    InitializeSRWLock(&m->l);
    return m;
}

void exh_os_mutex_free(struct exh_mutex *m)
{
    free(m); /* an SRW lock needs no clean-up */
}

void exh_os_mutex_lock(struct exh_mutex *m)
{
    AcquireSRWLockExclusive(&m->l);
}

void exh_os_mutex_unlock(struct exh_mutex *m)
{
    ReleaseSRWLockExclusive(&m->l);
}

/* ---- standard streams ------------------------------------------------------- */

/* The console's settings belong to the console, not to this process: put back
 * what was changed when exhunt exits, so the shell after it is unchanged. */
static UINT saved_cp;
static HANDLE saved_h[2];
static DWORD saved_mode[2];

static void restore_console(void)
{
    fflush(stdout);
    fflush(stderr);
    for (int i = 1; i >= 0; i--)
        if (saved_h[i])
            SetConsoleMode(saved_h[i], saved_mode[i]);
    if (saved_cp)
        SetConsoleOutputCP(saved_cp);
}

/* An elevated token holds SeBackupPrivilege, disabled. Enabled, it lets the
 * FILE_FLAG_BACKUP_SEMANTICS opens read files whose permissions deny the
 * administrators (a web shell hidden that way). Read access only: nothing
 * is written. Without it (not elevated) this does nothing. */
static void enable_backup_privilege(void)
{
    HANDLE tok;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &tok))
        return;
    TOKEN_PRIVILEGES tp;
    tp.PrivilegeCount = 1;
    tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    if (LookupPrivilegeValueW(NULL, SE_BACKUP_NAME, &tp.Privileges[0].Luid))
        AdjustTokenPrivileges(tok, FALSE, &tp, sizeof(tp), NULL, NULL);
    CloseHandle(tok);
}

void exh_os_stdio_init(void)
{
    static bool done; /* called from the main thread only */
    if (done)
        return;
    done = true;
    fflush(stdout);
    fflush(stderr);
    /* no "\n" -> "\r\n": JSON Lines and CSV keep their LF (a process
     * started without standard streams has negative descriptors here) */
    if (_fileno(stdout) >= 0)
        _setmode(_fileno(stdout), _O_BINARY);
    if (_fileno(stderr) >= 0)
        _setmode(_fileno(stderr), _O_BINARY);
    static const DWORD ids[2] = {STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    bool console = false;
    for (int i = 0; i < 2; i++) {
        HANDLE h = GetStdHandle(ids[i]);
        DWORD mode;
        if (h == INVALID_HANDLE_VALUE || h == NULL || !GetConsoleMode(h, &mode))
            continue;
        console = true;
        /* escape sequences for colour and progress (Windows 10 and later;
         * older consoles refuse, and then exh_os_isatty says no) */
        if (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) {
            vt_ok[i + 1] = true;
        } else if (SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING)) {
            vt_ok[i + 1] = true;
            saved_h[i] = h;
            saved_mode[i] = mode;
        }
    }
    enable_backup_privilege();
    if (console) {
        UINT cp = GetConsoleOutputCP();
        if (cp != CP_UTF8 && SetConsoleOutputCP(CP_UTF8))
            saved_cp = cp;
        atexit(restore_console);
    }
}

FILE *exh_os_fopen(const char *path, const char *mode)
{
    wchar_t *wp = win_path(path);
    if (!wp) {
        errno = map_win(GetLastError()) == EXH_ERR_NAME_TOO_LONG ? ENAMETOOLONG : ENOENT;
        return NULL;
    }
    wchar_t *wm = to_wide(mode, NULL);
    FILE *f = _wfopen(wp, wm);
    free(wm);
    free(wp);
    return f;
}

/* ---- live mode --------------------------------------------------------------- */

char *exh_os_registry_hklm(const char *key, const char *value)
{
    wchar_t *wk = to_wide(key, NULL);
    wchar_t *wv = value ? to_wide(value, NULL) : NULL;
    HKEY hk;
    /* the 64-bit view, also from a 32-bit build (Exchange is 64-bit) */
    LSTATUS r = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wk, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &hk);
    free(wk);
    if (r != ERROR_SUCCESS) {
        free(wv);
        return NULL;
    }
    /* REG_EXPAND_SZ is read as stored (RegGetValueW refuses
     * RRF_RT_REG_EXPAND_SZ without RRF_NOEXPAND) and expanded below. */
    const DWORD flags = RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND;
    DWORD type = 0, cb = 0;
    wchar_t *buf = NULL;
    r = RegGetValueW(hk, NULL, wv, flags, &type, NULL, &cb);
    bool ok = false; /* set only by a read that filled buf */
    for (int tries = 0; r == ERROR_SUCCESS && tries < 4; tries++) {
        buf = exh_xrealloc(buf, cb + sizeof(wchar_t));
        DWORD got = cb;
        r = RegGetValueW(hk, NULL, wv, flags, &type, buf, &got);
        if (r == ERROR_SUCCESS) {
            buf[got / sizeof(wchar_t)] = 0; /* RegGetValueW ends strings; be sure */
            ok = true;
            break;
        }
        if (r == ERROR_MORE_DATA) { /* the value grew meanwhile */
            cb = got;
            r = ERROR_SUCCESS;
        }
    }
    RegCloseKey(hk);
    free(wv);
    if (!ok || !buf) {
        free(buf);
        return NULL;
    }
    if (type == REG_EXPAND_SZ) {
        DWORD need = ExpandEnvironmentStringsW(buf, NULL, 0);
        wchar_t *x = need ? exh_xmalloc((size_t)need * sizeof(wchar_t)) : NULL;
        DWORD got = x ? ExpandEnvironmentStringsW(buf, x, need) : 0;
        if (got && got <= need) {
            free(buf);
            buf = x;
        } else {
            free(x);
        }
    }
    char *s = to_utf8(buf, wcslen(buf));
    free(buf);
    return s;
}

bool exh_os_elevated(void)
{
    HANDLE tok;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return false;
    TOKEN_ELEVATION te = {0};
    DWORD len = 0;
    bool elevated =
        GetTokenInformation(tok, TokenElevation, &te, sizeof(te), &len) && te.TokenIsElevated != 0;
    CloseHandle(tok);
    return elevated;
}

typedef BOOL(WINAPI *set_dll_dirs_fn)(DWORD);

void exh_os_win_harden(void)
{
    /* Windows 8 and later (7 with KB2533623); looked up so that the program
     * still starts without it. The current folder leaves the search path too. */
    HMODULE k = GetModuleHandleW(L"kernel32.dll");
    set_dll_dirs_fn set_dirs =
        k ? (set_dll_dirs_fn)(void (*)(void))GetProcAddress(k, "SetDefaultDllDirectories") : NULL;
    if (set_dirs)
        set_dirs(LOAD_LIBRARY_SEARCH_SYSTEM32);
    SetDllDirectoryW(L"");
}

void *exh_os_win_sysdll(const wchar_t *name)
{
    HMODULE m = LoadLibraryExW(name, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (m || GetLastError() != ERROR_INVALID_PARAMETER)
        return m;
    /* without the flag (Windows 7 without KB2533623): the full System32 path */
    wchar_t path[MAX_PATH + 64];
    UINT n = GetSystemDirectoryW(path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH || wcslen(name) > 60)
        return NULL;
    path[n] = L'\\';
    memcpy(path + n + 1, name, (wcslen(name) + 1) * sizeof(wchar_t));
    return LoadLibraryExW(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
}

char **exh_os_utf8_argv(int argc, wchar_t **wargv)
{
    char **argv = exh_xcalloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(char *));
    for (int i = 0; i < argc; i++)
        argv[i] = to_utf8(wargv[i], wcslen(wargv[i]));
    return argv;
}

/* ------------------------------------------------------------ supervision -- */

#define CHILD_HANDLE_ENV L"EXH_SUPERVISOR_FD"

static void set_env_utf8(const char *kv, bool clear)
{
    const char *eq = strchr(kv, '=');
    if (!eq)
        return;
    char *name = exh_xstrndup(kv, (size_t)(eq - kv));
    wchar_t *wn = to_wide(name, NULL);
    wchar_t *wv = (!clear && eq[1]) ? to_wide(eq + 1, NULL) : NULL;
    SetEnvironmentVariableW(wn, wv); /* NULL removes it */
    free(wv);
    free(wn);
    free(name);
}

int exh_os_run_self(char *const *argv, const char *const *env,
                    void (*on_line)(void *ud, const char *line), int (*on_tick)(void *ud), void *ud,
                    char how[64])
{
    (void)argv; /* the same command line: GetCommandLineW */
    how[0] = '\0';
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE rd, wr;
    if (!CreatePipe(&rd, &wr, &sa, 0)) {
        snprintf(how, 64, "CreatePipe failed (%lu)", (unsigned long)GetLastError());
        return -2;
    }
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    wchar_t hv[32];
    swprintf(hv, 32, L"%llu", (unsigned long long)(uintptr_t)wr);
    SetEnvironmentVariableW(CHILD_HANDLE_ENV, hv);
    for (size_t i = 0; env[i]; i++)
        set_env_utf8(env[i], false);
    static wchar_t exe[32768];
    DWORD en = GetModuleFileNameW(NULL, exe, 32768);
    STARTUPINFOW si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    HANDLE std3[3] = {si.hStdInput, si.hStdOutput, si.hStdError};
    for (int i = 0; i < 3; i++)
        if (std3[i] && std3[i] != INVALID_HANDLE_VALUE)
            SetHandleInformation(std3[i], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    fflush(stdout);
    fflush(stderr);
    PROCESS_INFORMATION pi;
    memset(&pi, 0, sizeof(pi));
    wchar_t *cmd = _wcsdup(GetCommandLineW());
    BOOL ok = en > 0 && en < 32768 && cmd &&
              CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    DWORD cerr = GetLastError();
    free(cmd);
    SetEnvironmentVariableW(CHILD_HANDLE_ENV, NULL);
    for (size_t i = 0; env[i]; i++)
        set_env_utf8(env[i], true);
    CloseHandle(wr);
    if (!ok) {
        CloseHandle(rd);
        snprintf(how, 64, "could not run itself again (%lu)", (unsigned long)cerr);
        return -2;
    }
    CloseHandle(pi.hThread);
    struct exh_buf line = {0};
    char buf[4096];
    DWORD n;
    bool killed = false;
    if (!on_tick) {
        while (ReadFile(rd, buf, sizeof(buf), &n, NULL) && n > 0)
            exh_buf_feed_lines(&line, buf, (size_t)n, on_line, ud);
    } else {
        /* an anonymous pipe has no timed read: look before reading, and wait
         * on the child a little when there is nothing */
        int64_t next_tick = exh_os_mono_ms() + 1000;
        for (;;) {
            int64_t now = exh_os_mono_ms();
            if (now >= next_tick) {
                next_tick = now + 1000;
                if (on_tick(ud)) {
                    TerminateProcess(pi.hProcess, 1);
                    killed = true;
                    break;
                }
            }
            DWORD avail = 0;
            if (!PeekNamedPipe(rd, NULL, 0, NULL, &avail, NULL))
                break; /* the child has gone and everything was read */
            if (!avail) {
                WaitForSingleObject(pi.hProcess, 50);
                continue;
            }
            if (!ReadFile(rd, buf, avail < sizeof(buf) ? avail : (DWORD)sizeof(buf), &n, NULL) ||
                n == 0)
                break;
            exh_buf_feed_lines(&line, buf, (size_t)n, on_line, ud);
        }
    }
    exh_buf_release(&line);
    CloseHandle(rd);
    WaitForSingleObject(pi.hProcess, INFINITE);
    if (killed) {
        CloseHandle(pi.hProcess);
        snprintf(how, 64, "stopped: a file took longer than its time budget");
        return EXH_RUN_SELF_KILLED;
    }
    DWORD code = 2;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    if (code <= 2)
        return (int)code;
    if (code == 0xC000013A) /* STATUS_CONTROL_C_EXIT: interrupted, not a crash */
        return 130;
    if (code == 0xC0000006) { /* STATUS_IN_PAGE_ERROR: a mapped file could not be read */
        snprintf(how, 64, "in-page error 0x%08lX", (unsigned long)code);
        return EXH_RUN_SELF_INPAGE;
    }
    /* an exception (0xC0000005 access violation, ...) or abort() (3) */
    snprintf(how, 64, code >= 0xC0000000 ? "exception 0x%08lX" : "exit code %lu",
             (unsigned long)code);
    return -1;
}

static HANDLE child_handle(void)
{
    static int state; /* 0 unknown, 1 none, 2 set */
    static HANDLE h;
    if (!state) {
        wchar_t v[32];
        DWORD n = GetEnvironmentVariableW(CHILD_HANDLE_ENV, v, 32);
        if (n > 0 && n < 32) {
            h = (HANDLE)(uintptr_t)wcstoull(v, NULL, 10);
            state = 2;
        } else {
            state = 1;
        }
    }
    return state == 2 ? h : NULL;
}

void exh_os_child_write(const char *p, size_t n)
{
    static SRWLOCK mu = SRWLOCK_INIT;
    HANDLE h = child_handle();
    if (!h)
        return;
    AcquireSRWLockExclusive(&mu);
    while (n) {
        DWORD w = 0;
        if (!WriteFile(h, p, n > 0x40000000u ? 0x40000000u : (DWORD)n, &w, NULL) || !w)
            break;
        p += w;
        n -= w;
    }
    ReleaseSRWLockExclusive(&mu);
}

bool exh_os_supervised(void)
{
    return child_handle() != NULL;
}
