// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_cli.c - the rxscope command-line parser (rxs_cli_parse) over argument vectors:
 * the input split at NUL bytes gives argv[1..]. argp ends the process on a usage error or
 * --help (exit(2) or exit(0)); the harness turns that exit back into a return, through
 * an atexit handler that jumps out of exit(). The jump abandons argp's parser buffers
 * (under 1 KiB per exiting input): a long campaign runs this harness with -fork=1
 * -ignore_ooms=1 (tests/fuzz/run.sh does), so that each child starts afresh. Where the
 * parser returns, an exit must carry 0 or 2, and a verb to run must be consistent: a
 * verb, the positional files report and compare need, a port in range.
 */
#include <setjmp.h>
#include "fuzz.h"
#include "cli.h"

#define MAX_ARGS 24

static jmp_buf back;
static volatile int in_parse;
static volatile int registered;

static void on_exit_jump(void)
{
	if (in_parse) {
		in_parse = 0;
		longjmp(back, 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	char *argv[MAX_ARGS + 2];
	struct rxs_cli cli;
	int argc = 1, code = -1;
	enum rxs_cli_result ret;
	size_t i = 0;

	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "rxscope";
	while (i <= size && argc <= MAX_ARGS) {
		/* glibc's argp has a hidden --HANG[=SECS] option that sleeps (an hour by
		 * default); it is no part of rxscope's parser, so it is left out */
		if (!strncmp(buf + i, "--H", 3))
			return 0;
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;

	/* exit() removes the handler it runs: register it again after each jump */
	if (!registered && atexit(on_exit_jump))
		abort();
	registered = 1;
	if (setjmp(back)) {
		registered = 0;
		fflush(stdout);
		fflush(stderr);
		return 0;
	}
	in_parse = 1;
	ret = rxs_cli_parse(argc, argv, &cli, &code);
	in_parse = 0;
	FUZZ_CHECK(ret == RXS_CLI_RUN || ret == RXS_CLI_EXIT, "result %d", ret);
	if (ret == RXS_CLI_EXIT) {
		FUZZ_CHECK(code == RXS_EXIT_OK || code == RXS_EXIT_USAGE, "exit code %d", code);
		return 0;
	}
	FUZZ_CHECK(code == RXS_EXIT_OK, "exit code %d with a verb to run", code);
	FUZZ_CHECK(cli.verb <= RXS_VERB_SERVE, "verb %d", cli.verb);
	FUZZ_CHECK(cli.port >= 0 && cli.port <= 65535, "port %d", cli.port);
	FUZZ_CHECK(cli.nfiles >= 0 && cli.nfiles <= RXS_MAX_FILES, "nfiles %d", cli.nfiles);
	if (cli.verb == RXS_VERB_REPORT)
		FUZZ_CHECK(cli.nfiles == 1 && cli.files[0], "report without its file");
	if (cli.verb == RXS_VERB_COMPARE)
		FUZZ_CHECK(cli.nfiles == 2, "compare with %d files", cli.nfiles);
	if (cli.verb == RXS_VERB_RECORD)
		FUZZ_CHECK(cli.output != NULL, "record without -o");
	FUZZ_CHECK(cli.cmp.quantile > 0 && cli.cmp.quantile < 1, "quantile %g",
		   cli.cmp.quantile);
	FUZZ_CHECK(cli.duration_s >= 0 && cli.interval_s >= 0, "times");
	return 0;
}
