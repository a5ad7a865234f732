/* timeutil.h: timestamps as milliseconds since 1970-01-01T00:00:00Z (UTC).
 * Parsing and formatting are our own (mingw has no timegm/strptime). */
#ifndef EXH_TIMEUTIL_H
#define EXH_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Accepts "YYYY-MM-DDTHH:MM:SS[.fff...][Z|+hh:mm|-hh:mm]", a space instead of
 * 'T', and a bare date "YYYY-MM-DD". Leading/trailing blanks and one pair of
 * quotes are ignored. Returns false for anything else or out-of-range fields. */
bool exh_time_parse(const char *p, size_t n, int64_t *ms_out);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 chars + NUL) into out. */
void exh_time_format(int64_t ms, char out[32]);

int64_t exh_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
