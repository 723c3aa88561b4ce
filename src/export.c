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
#include "export.h"

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

/* fsync the directory holding @path so that the rename itself is durable */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int rxs_export_write(const struct rxs_recording *r, const char *path, enum rxs_format fmt,
		     char *err, size_t errlen)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int fd = -1, ret;

	if (strcmp(path, "-") == 0) {
		ret = write_fmt(stdout, r, fmt);
		if (!ret && fflush(stdout))
			ret = -errno;
		if (ret)
			snprintf(err, errlen, "failed to write %s to stdout: %s",
				 rxs_format_name(fmt), strerror(-ret));
		return ret;
	}
	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0) {
		snprintf(err, errlen, "failed to allocate a file name: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "failed to create %s: %s", tmp, strerror(-ret));
		free(tmp);
		return ret;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		snprintf(err, errlen, "failed to open %s: %s", tmp, strerror(-ret));
		goto cleanup;
	}
	ret = write_fmt(f, r, fmt);
	if (ret) {
		snprintf(err, errlen, "failed to write %s: %s", tmp, strerror(-ret));
		goto cleanup;
	}
	if (fflush(f) || fsync(fileno(f)) || ferror(f)) {
		ret = errno ? -errno : -EIO;
		snprintf(err, errlen, "failed to write %s: %s", tmp, strerror(-ret));
		goto cleanup;
	}
	/* mkstemp makes 0600; a recording is ordinary data */
	fchmod(fileno(f), 0644);
	if (fclose(f)) {
		f = NULL;
		ret = -errno;
		snprintf(err, errlen, "failed to close %s: %s", tmp, strerror(-ret));
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, path)) {
		ret = -errno;
		snprintf(err, errlen, "failed to rename %s to %s: %s", tmp, path,
			 strerror(-ret));
		goto cleanup;
	}
	sync_dir(path);
	free(tmp);
	return 0;
cleanup:
	if (f)
		fclose(f);
	unlink(tmp);
	free(tmp);
	return ret;
}
