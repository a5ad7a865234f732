/* err.h: the engine's error codes. Numbers are stable and never reused; a
 * retired code keeps its slot with a comment. Every code has a short stable
 * name (used as exhunt.error.code in JSON) and a message. */
#ifndef EXH_ERR_H
#define EXH_ERR_H

#define EXH_ERRORS(X)                                                                              \
    X(EXH_OK, 0, "ok", "success")                                                                  \
    X(EXH_ERR_NOENT, 1, "not_found", "no such file or directory")                                  \
    X(EXH_ERR_PERM, 2, "permission", "permission denied")                                          \
    X(EXH_ERR_OPEN, 3, "open", "cannot open")                                                      \
    X(EXH_ERR_READ, 4, "read", "read error")                                                       \
    X(EXH_ERR_LIST, 5, "list", "cannot list directory")                                            \
    X(EXH_ERR_CORRUPT, 6, "corrupt", "malformed input")                                            \
    X(EXH_ERR_NOT_LOG, 7, "not_a_log", "expected a text log, found binary data")                   \
    X(EXH_ERR_TOO_DEEP, 8, "too_deep", "directory nesting too deep")                               \
    X(EXH_ERR_USAGE, 9, "usage", "usage error")                                                    \
    X(EXH_ERR_TRUNCATED, 10, "truncated", "input ends in the middle of a record")                  \
    X(EXH_ERR_NAME_TOO_LONG, 11, "name_too_long", "path too long")                                 \
    X(EXH_ERR_THREAD, 12, "thread", "cannot start a worker thread")                                \
    X(EXH_ERR_CHANGED, 13, "changed", "changed while read")                                        \
    X(EXH_ERR_TIMEOUT, 14, "timeout", "took longer than the time budget per file")                 \
    X(EXH_ERR_EXISTS, 15, "exists", "already exists")                                              \
    X(EXH_ERR_WRITE, 16, "write", "write error")                                                   \
    X(EXH_ERR_UNSUPPORTED, 17, "unsupported", "a format or method exhunt does not read")           \
    X(EXH_ERR_LIMIT, 18, "limit", "over a size or ratio limit")                                    \
    X(EXH_ERR_ENCRYPTED, 19, "encrypted", "encrypted")

enum exh_err {
#define EXH_ERR_ENUM(sym, num, name, msg) sym = num,
    EXH_ERRORS(EXH_ERR_ENUM)
#undef EXH_ERR_ENUM
};

const char *exh_strerror(enum exh_err e);
const char *exh_errname(enum exh_err e);

#endif
