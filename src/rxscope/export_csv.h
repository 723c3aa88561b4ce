/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export_csv.h - the CSV form of a recording (export_csv.c), written by rxs_export_write().
 */
#ifndef RXS_EXPORT_CSV_H
#define RXS_EXPORT_CSV_H

#include <stdio.h>
#include "recording.h"

/* Write @r as CSV to @f; 0 or a negative errno. */
int rxs_csv_write(FILE *f, const struct rxs_recording *r);

#endif /* RXS_EXPORT_CSV_H */
