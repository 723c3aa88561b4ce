/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export.h - writing a struct rxs_recording as JSON ("rxscope/1"), CSV or Prometheus text,
 * always atomically, and reading JSON recordings back with strict validation.
 * The formats are documented in docs/format.md.
 */
#ifndef RXS_EXPORT_H
#define RXS_EXPORT_H

#include <stdio.h>
#include <stddef.h>
#include "recording.h"

enum rxs_format { RXS_FMT_JSON, RXS_FMT_CSV, RXS_FMT_PROM };

/* "json", "csv" or "prom" -> *out; 0 on success, -EINVAL otherwise. */
int rxs_format_parse(const char *s, enum rxs_format *out);
const char *rxs_format_name(enum rxs_format fmt);

/* rxs_recording_init() and _free() live in recording.c. */
void rxs_recording_init(struct rxs_recording *r, int ncpus);
void rxs_recording_free(struct rxs_recording *r);

/*
 * Write @r to @path in @fmt: into a temporary file in the same directory, fsync, then
 * rename over @path, so a reader never sees half a file. @path "-" writes to stdout.
 * Returns 0, or a negative errno with a message "failed to ...: ..." in @err.
 */
int rxs_export_write(const struct rxs_recording *r, const char *path, enum rxs_format fmt,
		     char *err, size_t errlen);

/* The format writers behind rxs_export_write(); they return 0 or a negative errno. */
int rxs_json_write(FILE *f, const struct rxs_recording *r);
int rxs_csv_write(FILE *f, const struct rxs_recording *r);
int rxs_prom_write(FILE *f, const struct rxs_recording *r);

/*
 * Read a JSON recording. @r must not be initialised (it is on return, also on error;
 * free it with rxs_recording_free()). Returns 0, or -EINVAL (bad content: @err reads
 * "FILE: FIELD: problem"), -ENOENT etc. (could not read the file).
 */
int rxs_json_read(const char *path, struct rxs_recording *r, char *err, size_t errlen);

#endif /* RXS_EXPORT_H */
