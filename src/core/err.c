/* err.c: names and messages of enum exh_err. */
#include "exh/err.h"
#include "exh/banned.h"

const char *exh_strerror(enum exh_err e)
{
    switch (e) {
#define EXH_ERR_MSG(sym, num, name, msg)                                                           \
    case sym:                                                                                      \
        return msg;
        EXH_ERRORS(EXH_ERR_MSG)
#undef EXH_ERR_MSG
    }
    return "unknown error";
}

const char *exh_errname(enum exh_err e)
{
    switch (e) {
#define EXH_ERR_NAME(sym, num, name, msg)                                                          \
    case sym:                                                                                      \
        return name;
        EXH_ERRORS(EXH_ERR_NAME)
#undef EXH_ERR_NAME
    }
    return "unknown";
}
