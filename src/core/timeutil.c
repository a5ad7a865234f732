/* timeutil.c: RFC 3339 / ISO 8601 timestamps <-> ms since the epoch, UTC,
 * without the C library's time zone machinery. */
#include <stdio.h>

#include "exh/timeutil.h"
#include "exh/banned.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic: the
 * calendar repeats every 400 years = 146097 days, with March as month 0 so
 * the leap day falls at the end of the year). */
int64_t exh_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *p, size_t n, size_t at, size_t k, unsigned *out)
{
    if (at + k > n)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < k; i++) {
        char c = p[at + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (unsigned)(c - '0');
    }
    *out = v;
    return true;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

bool exh_time_parse(const char *p, size_t n, int64_t *ms_out)
{
    while (n && (*p == ' ' || *p == '\t' || *p == '"')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '"'))
        n--;
    unsigned y, mo, d, h = 0, mi = 0, s = 0;
    if (!digits(p, n, 0, 4, &y) || n < 10 || p[4] != '-' || !digits(p, n, 5, 2, &mo) ||
        p[7] != '-' || !digits(p, n, 8, 2, &d))
        return false;
    if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return false;
    size_t i = 10;
    int64_t ms = 0, off_min = 0;
    if (i < n) {
        if (p[i] != 'T' && p[i] != 't' && p[i] != ' ')
            return false;
        if (!digits(p, n, i + 1, 2, &h) || i + 3 >= n || p[i + 3] != ':' ||
            !digits(p, n, i + 4, 2, &mi))
            return false;
        i += 6;
        if (i < n && p[i] == ':') {
            if (!digits(p, n, i + 1, 2, &s))
                return false;
            i += 3;
        }
        if (h > 23 || mi > 59 || s > 60)
            return false;
        if (i < n && (p[i] == '.' || p[i] == ',')) {
            i++;
            size_t k = 0;
            int64_t frac = 0;
            while (i < n && p[i] >= '0' && p[i] <= '9') {
                if (k < 3)
                    frac = frac * 10 + (p[i] - '0');
                k++;
                i++;
            }
            if (k == 0)
                return false;
            for (; k < 3; k++)
                frac *= 10;
            ms = frac;
        }
        if (i < n && (p[i] == 'Z' || p[i] == 'z')) {
            i++;
        } else if (i < n && (p[i] == '+' || p[i] == '-')) {
            unsigned oh, om;
            int sign = p[i] == '-' ? -1 : 1;
            if (!digits(p, n, i + 1, 2, &oh))
                return false;
            if (i + 3 < n && p[i + 3] == ':') {
                if (!digits(p, n, i + 4, 2, &om))
                    return false;
                i += 6;
            } else if (digits(p, n, i + 3, 2, &om)) {
                i += 5;
            } else {
                om = 0;
                i += 3;
            }
            if (oh > 23 || om > 59)
                return false;
            off_min = sign * (int64_t)(oh * 60 + om);
        }
        if (i != n)
            return false;
    }
    int64_t days = exh_days_from_civil(y, mo, d);
    int64_t secs = days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s - off_min * 60;
    *ms_out = secs * 1000 + ms;
    return true;
}

void exh_time_format(int64_t ms, char out[32])
{
    int64_t secs = ms / 1000, rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        secs -= 1;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, 32, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d,
                 (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60), (unsigned)(sod % 60),
                 (unsigned)rem);
        return;
    }
    /* the common case without printf: every record of every log is stamped */
    unsigned v[7] = {
        (unsigned)y,  m, d, (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60), (unsigned)(sod % 60),
        (unsigned)rem};
    static const unsigned width[7] = {4, 2, 2, 2, 2, 2, 3};
    static const char sep[7] = {'-', '-', 'T', ':', ':', '.', 'Z'};
    char *o = out;
    for (int k = 0; k < 7; k++) {
        for (unsigned i = width[k]; i-- > 0;) {
            o[i] = (char)('0' + v[k] % 10);
            v[k] /= 10;
        }
        o += width[k];
        *o++ = sep[k];
    }
    *o = '\0';
}
