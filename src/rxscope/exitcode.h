/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * exitcode.h - rxscope's exit statuses, the same for every verb (docs/usage.md, "Exit
 * status"). rxgen and rxsink name their own in their sources.
 */
#ifndef RXS_EXITCODE_H
#define RXS_EXITCODE_H

#define RXS_EXIT_OK		0
#define RXS_EXIT_REGRESSION	1	/* compare: a stage regressed (or a count changed) */
#define RXS_EXIT_USAGE		2	/* usage error or bad input */
#define RXS_EXIT_PRIV		3	/* missing privilege or kernel feature */
#define RXS_EXIT_INCONCLUSIVE	4	/* compare: none regressed, some stage undecided */
#define RXS_EXIT_RUNTIME	5	/* failed while running: a BPF map read, a file write */

#endif /* RXS_EXITCODE_H */
