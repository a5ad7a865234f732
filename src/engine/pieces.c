/* pieces.c: a large text log read as pieces by several workers, and put back
 * together in piece order (line numbers made file-wide). */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "exh/banned.h"

/* One piece of a split file: its findings, errors, counts and (piece 0) the
 * file's observations are kept apart in the piece, for the merge. */
void eng_scan_piece(struct worker *w, const struct job *j)
{
    struct engine *e = w->e;
    struct piece *pc = &j->split->p[j->piece];
    exh_emitter_init(&pc->em, e->o, e->iocs, e->yara);
    pc->em.pages = &e->pages;
    w->em = &pc->em;
    size_t nobs0 = w->nobs;
    uint64_t rec0 = w->records, bytes0 = w->bytes, files0 = w->files_read;
    w->piece = pc;
    w->piece_index = j->piece;
    w->npieces = j->split->n;
    w->split_size = j->split->size;
    eng_scan_job(w, j);
    w->piece = NULL;
    w->track = false;
    w->em = &w->own;
    if (w->nobs > nobs0) { /* at most one: the file's */
        pc->obs = w->obs[nobs0];
        pc->has_obs = true;
        w->nobs = nobs0;
    }
    pc->records = w->records - rec0;
    pc->bytes = w->bytes - bytes0;
    pc->files_read = w->files_read - files0;
    w->records = rec0;
    w->bytes = bytes0;
    w->files_read = files0;
}

/* Put a split file back together into worker w: in piece order, lines made
 * file-wide. Each piece read its rows with the layout the file starts with;
 * if a header change in one piece would have changed how a later piece reads
 * its rows (rare: a W3C log restarted with other fields), the pieces are
 * dropped and the file is read again whole. */
void eng_merge_split(struct worker *w, const struct job *j)
{
    struct split *s = j->split;
    struct piece *p = s->p;
    /* Each piece read its rows with the layout and block date the file
     * starts with. That holds when no earlier piece changed them, or the
     * piece met its own before using them. Pieces that read nothing do not
     * count; a piece that could not be read (or saw another kind of file)
     * makes the file be read whole. */
    bool ok = true;
    const struct piece *ref = NULL; /* the first piece that read lines */
    for (uint32_t k = 0; k < s->n && !ref; k++)
        if (p[k].is_log && !p[k].empty)
            ref = &p[k];
    const struct exh_buf *fields = ref ? &ref->fields_in : NULL;
    const char *date = ref ? ref->date_in : "";
    size_t daten = ref ? ref->date_in_n : 0;
    for (uint32_t k = 0; k < s->n && ok; k++) {
        if (p[k].is_log != p[0].is_log)
            ok = false;
        if (!ok || !p[k].is_log || p[k].empty)
            continue;
        if (fields->n != p[k].fields_in.n ||
            (fields->n && memcmp(fields->p, p[k].fields_in.p, fields->n) != 0))
            ok = false; /* rows were read with a layout an earlier piece had replaced */
        if (p[k].used_date_early &&
            (daten != p[k].date_in_n || memcmp(date, p[k].date_in, daten) != 0))
            ok = false; /* rows took a block date an earlier piece had replaced */
        if (p[k].saw_fields)
            fields = &p[k].fields_out;
        if (p[k].saw_date) {
            date = p[k].date_out;
            daten = p[k].date_out_n;
        }
    }
    if (!ok) {
        for (uint32_t k = 0; k < s->n; k++) {
            exh_emitter_release(&p[k].em);
            if (p[k].has_obs) {
                exh_fileobs_release(&p[k].obs);
                p[k].has_obs = false;
            }
        }
        struct job whole = *j;
        whole.split = NULL;
        whole.piece = 0;
        eng_scan_job(w, &whole);
        return;
    }
    /* the file-wide number of the next piece's first line: the body's first
     * line for the first piece that read any */
    uint64_t next_line = p[0].body_line;
    for (uint32_t k = 0; k < s->n; k++) {
        uint64_t base = 0;
        if (p[k].is_log && !p[k].empty) {
            base = next_line - 1;
            next_line += p[k].lfs;
        }
        eng_absorb(&w->own, &p[k].em, base);
        if (p[k].has_obs) {
            *eng_push_obs(w) = p[k].obs;
            p[k].has_obs = false;
        }
        w->records += p[k].records;
        w->bytes += p[k].bytes;
        w->files_read += p[k].files_read;
    }
}
