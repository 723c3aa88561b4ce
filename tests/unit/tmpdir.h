/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tmpdir.h - the group fixture of the unit tests that write files: setup() makes a fresh
 * folder under /tmp named in dir[], teardown() removes it with everything in it.
 */
#ifndef RXS_TEST_TMPDIR_H
#define RXS_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

static char dir[] = "/tmp/rxs-test-XXXXXX";

/* @name inside the folder (a static buffer: the next call overwrites it) */
static inline char *path_of(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

#endif /* RXS_TEST_TMPDIR_H */
