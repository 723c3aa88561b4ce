/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * extra_stage.h - forced into every object of test_stage_table (-include): one throwaway
 * stage and one throwaway counter, added the way docs/hacking.md says a stage is added.
 */
#define RXS_STAGES_EXTRA(X) X(THROWAWAY, "throwaway", NS, IP_RCV, 0, UDP_QUEUE, 0, 1, 20)
#define RXS_COUNTERS_EXTRA(X) X(throwaways, 0, "Throwaway events of the unit test.")
