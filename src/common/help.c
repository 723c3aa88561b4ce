// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * help.c - help output that keeps the hand-written text as written (help.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "help.h"

bool rxs_help_key(int key, struct argp_state *state, const char *doc, const char *version)
{
	const char *post = strchr(doc, '\v');

	switch (key) {
	case 'h':
		printf("%.*s\n\n", (int)(post ? post - doc : (long)strlen(doc)), doc);
		fflush(stdout);
		argp_state_help(state, stdout, ARGP_HELP_LONG);
		if (post && post[1])
			printf("\n%s", post + 1);
		break;
	case RXS_OPT_USAGE:
		argp_state_help(state, stdout, ARGP_HELP_USAGE);
		break;
	case 'V':
		printf("%s\n", version);
		break;
	default:
		return false;
	}
	fflush(stdout);
	exit(EXIT_SUCCESS);
}
