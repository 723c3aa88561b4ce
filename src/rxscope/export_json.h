/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export_json.h - the "rxscope/1" JSON recording (export_json.c): the writer behind
 * rxs_export_write(), and the strict reader that `report` and `compare` use.
 * The layout is in docs/format.md.
 */
#ifndef RXS_EXPORT_JSON_H
#define RXS_EXPORT_JSON_H

#include <stddef.h>
#include <stdio.h>
#include "recording.h"

/* Write @r as JSON to @f; 0 or a negative errno. */
int rxs_json_write(FILE *f, const struct rxs_recording *r);

/*
 * Read a JSON recording. @r must not be initialised (it is on return, also on error;
 * free it with rxs_recording_free()). Returns 0, or -EINVAL (bad content: @err reads
 * "FILE: FIELD: problem"), -ENOENT etc. (could not read the file).
 */
int rxs_json_read(const char *path, struct rxs_recording *r, char *err, size_t errlen);

/* A reader's place, for its error messages (the recording's parts share it). */
struct rxs_json_rd {
	const char *file;
	char *err;
	size_t errlen;
};

/* Set the error "FILE: FIELD: MESSAGE" of @rd; returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int rxs_json_bad(struct rxs_json_rd *rd, const char *field, const char *fmt, ...);

#endif /* RXS_EXPORT_JSON_H */
