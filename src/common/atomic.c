// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * atomic.c - atomic file replacement (temp file + fsync + rename + folder fsync), shared by
 * rxscope, rxgen and rxsink.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomic.h"

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err && errlen) {
		va_start(ap, fmt);
		n = vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < errlen)
			snprintf(err + n, errlen - n, ": %s", strerror(-ret));
	}
	return ret;
}

/* fsync the folder holding @path so that the rename itself is durable */
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

int rxs_write_atomic(const char *path, rxs_fill_fn fill, void *ctx, char *err, size_t errlen)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int fd, ret;

	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
		return fail(err, errlen, -ENOMEM, "failed to name a temp file for %s", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = fail(err, errlen, -errno, "failed to create %s", tmp);
		free(tmp);
		return ret;
	}
	/* mkstemp makes 0600; what we write is ordinary data */
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		ret = fail(err, errlen, -errno, "failed to open %s", tmp);
		close(fd);
		goto cleanup;
	}
	ret = fill(f, ctx);
	if (ret) {
		fail(err, errlen, ret, "failed to write %s", tmp);
		goto cleanup;
	}
	if (fflush(f) || ferror(f) || fsync(fd)) {
		ret = fail(err, errlen, errno ? -errno : -EIO, "failed to write %s", tmp);
		goto cleanup;
	}
	if (fclose(f)) {
		f = NULL;
		ret = fail(err, errlen, -errno, "failed to close %s", tmp);
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, path)) {
		ret = fail(err, errlen, -errno, "failed to rename %s to %s", tmp, path);
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

static int fill_text(FILE *f, void *ctx)
{
	const char *text = ctx;
	size_t len = strlen(text);

	return fwrite(text, 1, len, f) == len ? 0 : (errno ? -errno : -EIO);
}

int rxs_write_atomic_text(const char *path, const char *text, char *err, size_t errlen)
{
	return rxs_write_atomic(path, fill_text, (void *)text, err, errlen);
}

int rxs_check_writable(const char *path, char *err, size_t errlen)
{
	size_t len = strlen(path);
	char *copy, *dir;
	struct stat st;
	int ret = 0;

	if (!len) {
		snprintf(err, errlen, "empty file name");
		return -EINVAL;
	}
	if (path[len - 1] == '/' || (!stat(path, &st) && S_ISDIR(st.st_mode))) {
		snprintf(err, errlen, "%s: is a directory", path);
		return -EISDIR;
	}
	/* the rename that makes the write atomic would replace a device or a FIFO */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (the file is replaced by a rename; "
			 "use -o - to write to a stream)", path);
		return -EINVAL;
	}
	copy = strdup(path);
	if (!copy) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	dir = dirname(copy);
	if (stat(dir, &st)) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(err, errlen, "%s: directory %s does not exist", path, dir);
		else if (ret == -ENOTDIR)
			snprintf(err, errlen, "%s: a part of %s is not a directory", path, dir);
		else
			snprintf(err, errlen, "%s: cannot reach directory %s: %s", path, dir,
				 strerror(-ret));
	} else if (!S_ISDIR(st.st_mode)) {
		ret = -ENOTDIR;
		snprintf(err, errlen, "%s: %s is not a directory", path, dir);
	} else if (access(dir, W_OK | X_OK)) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot create files in directory %s: %s", path, dir,
			 strerror(-ret));
	}
	free(copy);
	return ret;
}
