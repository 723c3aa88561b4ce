/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * help.h - -h/--help, --usage and -V/--version for the argp parsers of rxscope, rxgen and
 * rxsink. argp's own --help re-wraps the hand-written documentation and has no -h; here
 * the documentation prints exactly as written and only the option list is argp's.
 * Parse with ARGP_NO_HELP and put RXS_HELP_OPTIONS in the option table.
 */
#ifndef RXS_HELP_H
#define RXS_HELP_H

#include <argp.h>
#include <stdbool.h>

#define RXS_OPT_USAGE	0x7f00

#define RXS_HELP_OPTIONS                                                                  \
	{ "help", 'h', NULL, 0, "Show this help and exit", -1 },                        \
	{ "usage", RXS_OPT_USAGE, NULL, 0, "Show a short usage message and exit", -1 },  \
	{ "version", 'V', NULL, 0, "Print the version and exit", -1 }

/*
 * For a parser's switch: handles 'h', RXS_OPT_USAGE and 'V', printing to stdout and
 * exiting 0, and returns false for any other key. -h prints @doc's text before '\v' (the
 * description), the options, then the text after '\v' (USAGE, notes, EXAMPLES), both
 * as written.
 */
bool rxs_help_key(int key, struct argp_state *state, const char *doc, const char *version);

#endif /* RXS_HELP_H */
