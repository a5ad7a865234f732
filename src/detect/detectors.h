/* detectors.h: the functions and needle lists named in detectors.def. */
#ifndef EXH_DETECTORS_H
#define EXH_DETECTORS_H

#include "exh/detect.h"

extern const char *const exh_pl_httpproxy_needles[];
void exh_pl_httpproxy_line(struct exh_emitter *em, const struct exh_logrec *rec);
extern const char *const exh_pl_ecp_needles[];
void exh_pl_ecp_line(struct exh_emitter *em, const struct exh_logrec *rec);
extern const char *const exh_pl_oab_needles[];
void exh_pl_oab_line(struct exh_emitter *em, const struct exh_logrec *rec);
void exh_ioc_line(struct exh_emitter *em, const struct exh_logrec *rec);
extern const char *const exh_chain_needles[];
void exh_chain_line(struct exh_emitter *em, const struct exh_logrec *rec);
void exh_rps_line(struct exh_emitter *em, const struct exh_logrec *rec);
void exh_ioc_file(struct exh_emitter *em, const struct exh_file *f);
void exh_loc_file(struct exh_emitter *em, const struct exh_file *f);
void exh_yara_file(struct exh_emitter *em, const struct exh_file *f);
void exh_events_record(struct exh_emitter *em, const struct exh_evrec *ev);
void exh_art_file(struct exh_emitter *em, const struct exh_file *f);
void exh_ws_file(struct exh_emitter *em, const struct exh_file *f);

#endif
