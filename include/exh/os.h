/* os.h: everything the rest of exhunt needs from the operating system, behind
 * one header. src/os/os_posix.c implements it for Linux and the BSDs; a
 * Windows port implements the same functions and touches nothing else.
 *
 * Paths are UTF-8 with '/' separators inside exhunt. Evidence is only ever
 * opened read-only and never changed. The only writes exhunt makes are the
 * `-o` report (exh_os_open_output) and the `scan --collect` folder (the
 * functions under "writing the --collect folder"), and both are refused
 * inside the evidence. */
#ifndef EXH_OS_H
#define EXH_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

/* A read-only view of a whole file. p may be NULL when n == 0. */
struct exh_map {
    const uint8_t *p;
    size_t n;
    void *priv_; /* os-private */
    size_t priv_n_;
    int slot_;     /* os-private: the watch on the mapping (POSIX) */
    bool changed_; /* os-private: the file shrank while read */
};

/* Map `path` read-only. Large files are mapped, small ones read into memory.
 * On failure returns an error and, in *sys_msg (if not NULL), a static
 * description of the OS error. A path that a walk (exh_os_walk) found below its
 * root is opened without following links, so a file swapped for a link after
 * the listing is refused; a path given directly is followed.
 *
 * A file cut shorter while it is mapped (rotation, truncation, a network file)
 * does not kill the process: the pages past the cut read as zeros, and
 * exh_os_unmap() returns true. A file that grows meanwhile is normal: the view
 * keeps the size it had when mapped, and nothing is reported. */
enum exh_err exh_os_map(const char *path, struct exh_map *out, const char **sys_msg);
/* Release the view; true when the file shrank while it was read (the caller
 * makes that an error record: "changed while read"). */
bool exh_os_unmap(struct exh_map *m);
/* Advise the OS that the mapping will be read front to back once. */
void exh_os_map_sequential(struct exh_map *m);
/* The bytes [lo, hi) of the mapping will not be read again soon: the OS may
 * take their pages back from this process (a later read fetches them from the
 * file again). Keeps memory flat while a large file is read; nothing for
 * small files, which are read into memory. */
void exh_os_map_done(struct exh_map *m, size_t lo, size_t hi);

enum exh_walk_kind {
    EXH_WALK_FILE,  /* a regular file: size and mtime are set */
    EXH_WALK_SKIP,  /* symlink, fifo, socket, device: not read */
    EXH_WALK_ERROR, /* could not stat or list: err is set */
};

struct exh_walk_entry {
    enum exh_walk_kind kind;
    const char *path; /* full path as opened */
    const char *rel;  /* path below the walk root, '/' separated ("" for the root file) */
    uint64_t size;
    int64_t mtime_ms;
    enum exh_err err;
    const char *sys_msg;
};

/* Called for every entry; return non-zero to stop the walk. */
typedef int (*exh_walk_fn)(void *ud, const struct exh_walk_entry *e);

/* Walk `root` (a file or a directory) depth first. Symbolic links below the
 * root are reported as EXH_WALK_SKIP and never followed, so loops cannot
 * hang the walk; the root itself is followed if it is a link. Entries in a
 * directory come in byte order of their names. Returns EXH_ERR_NOENT or
 * EXH_ERR_PERM when the root itself cannot be reached. */
enum exh_err exh_os_walk(const char *root, exh_walk_fn fn, void *ud, const char **sys_msg);

/* Is `path` (which may not exist yet) the same as or inside directory/file
 * `root`, after resolving links? A comparison of names: to refuse writing
 * into the evidence, use exh_os_open_output(), which compares files. */
bool exh_os_path_inside(const char *path, const char *root);
/* A key that names what path (which must exist) resolves to: links and ".."
 * resolved, '/' separators, and on Windows without case (as NTFS compares
 * names). Two paths name the same thing when their keys are equal, and a
 * is inside folder b when b's key followed by '/' starts a's key. NULL when
 * the path does not exist or cannot be resolved. Free it. */
char *exh_os_path_key(const char *path);

/* Open (create, or truncate after the checks) the report file `path` for
 * writing, unless that would write into the evidence: the folder it goes in,
 * and every folder above it, is compared by identity (device and inode; on
 * Windows volume serial and file index) with each of roots[0..nroots), so bind
 * mounts, case-insensitive names and links do not fool it; the file itself is
 * opened without following a link (one to a pipe or a character device, such
 * as /dev/stdout, is allowed), and refused when it has other hard links or is
 * itself a root. Returns NULL with *inside set to the index of the root it
 * lies in; or with *inside EXH_OUT_REFUSED and *why a static reason (a link,
 * hard links, not a regular file); or with *inside EXH_OUT_ERROR and *why the
 * system's error. */
#define EXH_OUT_ERROR ((size_t)-1)
#define EXH_OUT_REFUSED ((size_t)-2)
FILE *exh_os_open_output(const char *path, const char *const *roots, size_t nroots, size_t *inside,
                         const char **why);

/* ---- writing the --collect folder ----------------------------------------
 * Used by src/engine/collect.c, after the CLI has checked with
 * exh_os_inside() that the folder is not inside the evidence. */

/* Which of roots[0..nroots) does path lie in (or is)? path need not exist:
 * its deepest existing ancestor is judged, by identity as in
 * exh_os_open_output (device and inode; volume serial and file index) and by
 * resolved name. EXH_OUT_ERROR when it lies in none. */
size_t exh_os_inside(const char *path, const char *const *roots, size_t nroots);

enum exh_dir_state {
    EXH_DIR_MISSING, /* nothing by that name */
    EXH_DIR_EMPTY,   /* a folder with nothing in it */
    EXH_DIR_FULL,    /* a folder with something in it */
    EXH_DIR_OTHER    /* not a folder, or it cannot be listed */
};
enum exh_dir_state exh_os_dir_state(const char *path);
/* mkdir -p: path and every missing folder above it. */
enum exh_err exh_os_mkdirs(const char *path, const char **sys_msg);

/* What is known of a file's times and size. ctime is the inode change time
 * on POSIX and the creation time on Windows (ctime_what says which). */
struct exh_file_info {
    uint64_t size;
    int64_t mtime_ms;
    bool has_ctime;
    int64_t ctime_ms;
    const char *ctime_what; /* "changed" (POSIX) or "created" (Windows) */
};

/* A file read front to back in chunks (a copy of evidence: memory stays
 * bounded whatever its size). Opened read-only as exh_os_map opens it: a path
 * a walk found below its root without following links; never a FIFO or a
 * device (only regular files). */
struct exh_rfile;
enum exh_err exh_os_open_read(const char *path, struct exh_rfile **out, struct exh_file_info *info,
                              const char **sys_msg);
/* Up to cap bytes into buf; *got 0 at the end. */
enum exh_err exh_os_read(struct exh_rfile *f, void *buf, size_t cap, size_t *got,
                         const char **sys_msg);
/* The open file's size and times now (to tell whether it changed while read). */
bool exh_os_read_info(struct exh_rfile *f, struct exh_file_info *info);
void exh_os_close_read(struct exh_rfile *f);

/* A new file for writing: created exclusively (O_CREAT|O_EXCL without
 * following a link; CREATE_NEW), EXH_ERR_EXISTS when something has that name. */
struct exh_wfile;
enum exh_err exh_os_create_new(const char *path, struct exh_wfile **out, const char **sys_msg);
/* All n bytes, or an error (EXH_ERR_WRITE: disk full, ...). */
enum exh_err exh_os_write(struct exh_wfile *f, const void *p, size_t n, const char **sys_msg);
/* Flush to disk (fsync, FlushFileBuffers), set the modification time to
 * mtime_ms when it is >= 0, and close; an error when the data could not be
 * written. The handle is gone either way. */
enum exh_err exh_os_close_write(struct exh_wfile *f, int64_t mtime_ms, const char **sys_msg);
/* Remove a file (a copy that failed half way); never a folder. */
void exh_os_remove(const char *path);

/* Terminal and process facts. */
bool exh_os_isatty(int fd);
int exh_os_term_width(int fd); /* COLUMNS, then the tty, else 79 */
int exh_os_cpu_count(void);
int64_t exh_os_now_ms(void);  /* wall clock, ms since epoch */
int64_t exh_os_mono_ms(void); /* monotonic clock */
/* Raise the soft limit on open files towards want (never above the hard
 * limit) and return the limit now in force; -1 when there is none to speak
 * of (Windows). For `exhunt probe`'s parallel connections. */
long exh_os_raise_fd_limit(long want);
/* 64 random bits from the system (getentropy, BCryptGenRandom), for keying
 * hash tables an attacker fills; a clock-based value when that fails. */
uint64_t exh_os_random_u64(void);
void exh_os_sleep_ms(int ms);
const char *exh_os_getenv(const char *name);

/* Threads and a mutex. */
struct exh_thread;
enum exh_err exh_os_thread_start(struct exh_thread **out, void *(*fn)(void *), void *arg);
void exh_os_thread_join(struct exh_thread *t);

struct exh_mutex;
struct exh_mutex *exh_os_mutex_new(void);
void exh_os_mutex_free(struct exh_mutex *m);
void exh_os_mutex_lock(struct exh_mutex *m);
void exh_os_mutex_unlock(struct exh_mutex *m);

/* Make stdout/stderr binary (no CRLF translation) and, where the platform
 * needs it, enable escape sequences on the console. No-op on POSIX. */
void exh_os_stdio_init(void);

/* Is path an existing directory? */
bool exh_os_is_dir(const char *path);

/* fopen with a UTF-8 path (on Windows: long paths, any characters). */
FILE *exh_os_fopen(const char *path, const char *mode);

/* Live mode (Windows): a string value (REG_SZ or REG_EXPAND_SZ, expanded)
 * under HKEY_LOCAL_MACHINE\key, as UTF-8 for the caller to free(); NULL when
 * absent, and always on other platforms. */
char *exh_os_registry_hklm(const char *key, const char *value);
/* Does the process run with an administrator's rights (elevated on Windows,
 * root on POSIX)? */
bool exh_os_elevated(void);

/* Supervision (a reader that crashes costs its file only). exh_os_run_self runs
 * this program again as a child with the extra environment variables env
 * ("NAME=value", NULL-terminated), inheriting the standard streams: on POSIX a
 * fork that returns EXH_RUN_SELF_CHILD in the child, on Windows a new process
 * with the same command line (argv is not used). Each line the child
 * sends with exh_os_child_write() reaches on_line. on_tick (may be NULL) is
 * called about once a second while the child runs; when it returns non-zero
 * the child is killed and EXH_RUN_SELF_KILLED returned. Otherwise returns the
 * child's exit code, or -1 when it died of a crash (a signal on POSIX, an
 * exception code on Windows, an exit code above 2 from abort()), with how
 * describing it. */
int exh_os_run_self(char *const *argv, const char *const *env,
                    void (*on_line)(void *ud, const char *line), int (*on_tick)(void *ud), void *ud,
                    char how[64]);
/* exh_os_run_self's answer in the child on POSIX, where the child is a fork
 * that goes on running the caller's code: scan, as a supervised child. */
#define EXH_RUN_SELF_CHILD (-3)
/* exh_os_run_self's answer when on_tick asked to stop the child. */
#define EXH_RUN_SELF_KILLED (-4)
/* exh_os_run_self's answer when the child died of a read error under a mapped
 * file (Windows: STATUS_IN_PAGE_ERROR, a network or removable file that went
 * away or changed while read); how describes it. */
#define EXH_RUN_SELF_INPAGE (-5)
/* In a supervised child: send n bytes (whole lines, each ending in '\n') to
 * the supervisor, all of them, under a lock, so lines from several threads
 * never mix whatever their length; nothing when not supervised. */
void exh_os_child_write(const char *p, size_t n);
/* Is this process a supervised child? */
bool exh_os_supervised(void);

#ifdef _WIN32
#include <wchar.h>
/* wmain's arguments as UTF-8 strings (never freed: they live as long as the
 * process). */
char **exh_os_utf8_argv(int argc, wchar_t **wargv);
/* First thing in wmain: DLLs that are loaded later (by Windows itself or by
 * exh_os_win_sysdll) come from System32 only, never from the program's own
 * folder or the current one, where someone could have planted one. */
void exh_os_win_harden(void);
/* A DLL that is not a KnownDLL (bcrypt.dll, winhttp.dll, crypt32.dll), loaded
 * from System32 only; an HMODULE, or NULL when it cannot be loaded. The
 * program imports only KnownDLLs, so nothing is loaded from beside it. */
void *exh_os_win_sysdll(const wchar_t *name);
#endif

#endif
