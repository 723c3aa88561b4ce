/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export.h - writing a struct rxs_recording as JSON ("rxscope/1"), CSV or Prometheus text,
 * always atomically (export.c). The formats are export_json.h, export_csv.h and
 * export_prom.h; they are documented in docs/format.md.
 */
#ifndef RXS_EXPORT_H
#define RXS_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include "recording.h"

enum rxs_format { RXS_FMT_JSON, RXS_FMT_CSV, RXS_FMT_PROM };

/* "json", "csv" or "prom" -> *out; 0 on success, -EINVAL otherwise. */
int rxs_format_parse(const char *s, enum rxs_format *out);
const char *rxs_format_name(enum rxs_format fmt);

/*
 * Write @r to @path in @fmt: into a temporary file in the same directory, fsync, then
 * rename over @path, so a reader never sees half a file. @path "-" writes to stdout.
 * Returns 0, or a negative errno with a message "failed to ...: ..." in @err.
 */
int rxs_export_write(const struct rxs_recording *r, const char *path, enum rxs_format fmt,
		     char *err, size_t errlen);

#endif /* RXS_EXPORT_H */
