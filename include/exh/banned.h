/* banned.h: functions that are easy to misuse on hostile input, made
 * compile errors (after git's banned.h). Include last in every .c file. */
#ifndef EXH_BANNED_H
#define EXH_BANNED_H

#define EXH_BANNED(func) sorry_##func##_is_banned_in_exhunt

#undef strcpy
#define strcpy(x, y) EXH_BANNED(strcpy)
#undef strcat
#define strcat(x, y) EXH_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) EXH_BANNED(strncpy)
#undef sprintf
#define sprintf(...) EXH_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) EXH_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) EXH_BANNED(strtok)
#undef gets
#define gets(x) EXH_BANNED(gets)
#undef atoi
#define atoi(x) EXH_BANNED(atoi)
#undef localtime
#define localtime(x) EXH_BANNED(localtime)
#undef gmtime
#define gmtime(x) EXH_BANNED(gmtime)

#endif
