// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * main.c - rxscope's entry point: parse the command line and run the verb.
 */
#include <stdio.h>
#include "cli.h"
#include "compare.h"
#include "export_html.h"
#include "probe.h"
#include "report.h"
#include "serve.h"
#include "softnet.h"
#include "trace.h"

int main(int argc, char **argv)
{
	struct rxs_cli cli;
	int exit_code;

	if (rxs_cli_parse(argc, argv, &cli, &exit_code) == RXS_CLI_EXIT)
		return exit_code;
	rxs_libbpf_setup(cli.verbose);

	switch (cli.verb) {
	case RXS_VERB_TRACE:
	case RXS_VERB_RECORD:
		return rxs_trace_cmd(&cli);
	case RXS_VERB_PROBE:
		return rxs_probe_cmd(&cli);
	case RXS_VERB_REPORT:
		if (cli.html)
			return rxs_html_report_cmd(cli.files[0], cli.output);
		return rxs_report_cmd(cli.files[0], (cli.hist ? RXS_REPORT_HIST : 0) |
				      (cli.raw_ns ? RXS_REPORT_RAW_NS : 0));
	case RXS_VERB_SOFTNET:
		return rxs_softnet_cmd(cli.interval_s, cli.duration_s);
	case RXS_VERB_COMPARE:
		if (cli.html)
			return rxs_html_compare_cmd(cli.files[0], cli.files[1], &cli.cmp,
						    cli.output);
		return rxs_compare_cmd(cli.files[0], cli.files[1], &cli.cmp);
	case RXS_VERB_SERVE:
		return rxs_serve_cmd(&cli);
	}
	return RXS_EXIT_USAGE;
}
