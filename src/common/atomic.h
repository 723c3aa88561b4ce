/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * atomic.h - writing a file so that readers see the old content or the new, never a part:
 * a temp file in the same folder, fsync, mode 0644, rename, then fsync of the folder.
 * Used by every program of the project (recordings, ready files, rxgen's and rxsink's
 * results).
 */
#ifndef RXS_ATOMIC_H
#define RXS_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

/* Writes the content to @f; returns 0 or a negative errno. */
typedef int (*rxs_fill_fn)(FILE *f, void *ctx);

/*
 * rxs_write_atomic() - replace @path with what @fill writes.
 * Returns 0, or a negative errno with @err (if not NULL) saying which step failed on which
 * file, as "failed to <verb> <file>: <reason>". Nothing is left behind on failure.
 */
int rxs_write_atomic(const char *path, rxs_fill_fn fill, void *ctx, char *err, size_t errlen);

/* rxs_write_atomic_text() - the same, for a ready-made string. */
int rxs_write_atomic_text(const char *path, const char *text, char *err, size_t errlen);

/*
 * rxs_check_writable() - whether rxs_write_atomic() could create @path: its folder exists,
 * is a folder and is writable, and @path is not a folder, nor anything else but a regular
 * file (a device or a FIFO would be replaced by the rename). For checking an output path at
 * start-up, before work that would be lost. Returns 0, or a negative errno with @err
 * reading "PATH: problem" (e.g. "run.json: directory /x does not exist").
 */
int rxs_check_writable(const char *path, char *err, size_t errlen);

#endif /* RXS_ATOMIC_H */
