// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export.c - format names and the atomic file write (temp file in the same directory,
 * fsync, rename) shared by the JSON, CSV and Prometheus writers.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "atomic.h"
#include "export.h"
#include "export_csv.h"
#include "export_json.h"
#include "export_prom.h"

static const char *const fmt_names[] = {
	[RXS_FMT_JSON] = "json",
	[RXS_FMT_CSV] = "csv",
	[RXS_FMT_PROM] = "prom",
};

int rxs_format_parse(const char *s, enum rxs_format *out)
{
	for (size_t i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++) {
		if (s && strcmp(s, fmt_names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *rxs_format_name(enum rxs_format fmt)
{
	return (unsigned)fmt < sizeof(fmt_names) / sizeof(fmt_names[0]) ? fmt_names[fmt] : "?";
}

static int write_fmt(FILE *f, const struct rxs_recording *r, enum rxs_format fmt)
{
	switch (fmt) {
	case RXS_FMT_JSON:
		return rxs_json_write(f, r);
	case RXS_FMT_CSV:
		return rxs_csv_write(f, r);
	case RXS_FMT_PROM:
		return rxs_prom_write(f, r);
	}
	return -EINVAL;
}

struct fill_ctx {
	const struct rxs_recording *r;
	enum rxs_format fmt;
};

static int fill_recording(FILE *f, void *ctx)
{
	const struct fill_ctx *c = ctx;

	return write_fmt(f, c->r, c->fmt);
}

int rxs_export_write(const struct rxs_recording *r, const char *path, enum rxs_format fmt,
		     char *err, size_t errlen)
{
	int ret;

	if (strcmp(path, "-") == 0) {
		ret = write_fmt(stdout, r, fmt);
		if (!ret && fflush(stdout))
			ret = -errno;
		if (ret)
			snprintf(err, errlen, "failed to write %s to stdout: %s",
				 rxs_format_name(fmt), strerror(-ret));
		return ret;
	}
	return rxs_write_atomic(path, fill_recording, &(struct fill_ctx){ r, fmt }, err, errlen);
}
