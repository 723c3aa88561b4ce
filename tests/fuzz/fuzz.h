/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fuzz.h - helpers shared by the libFuzzer harnesses: an in-memory file with a path (for
 * readers that open a path), a sink for printed output, and a check that aborts, so that a
 * broken property is reported like a crash.
 */
#ifndef RXS_FUZZ_H
#define RXS_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct fuzz_file {
	int fd;
	char path[40];
};

/* A memfd, reachable as /proc/self/fd/N; created once, rewritten per input. */
static inline void fuzz_file_set(struct fuzz_file *f, const void *data, size_t size)
{
	if (!f->path[0]) {
		f->fd = memfd_create("fuzz", 0);
		if (f->fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	}
	if (ftruncate(f->fd, 0) || (size && pwrite(f->fd, data, size, 0) != (ssize_t)size)) {
		perror("memfd write");
		abort();
	}
}

/* Where harnesses print what the code under test prints: nowhere, but really written. */
static inline FILE *fuzz_null(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

#define FUZZ_CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "property failed: %s: ", #cond);	\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			abort();						\
		}								\
	} while (0)

#endif /* RXS_FUZZ_H */
