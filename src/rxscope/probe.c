// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * probe.c - the `probe` verb: which hook flavours this kernel offers at each hook point,
 * which one the tracer really gets (it loads and attaches them for a moment, so fallbacks
 * show), and therefore which stages are available.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "attach.h"
#include "hist.h"
#include "probe.h"
#include "trace.h"

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* "yes*" when @k is the chosen flavour of @p, "yes" when offered, "no" otherwise. */
static const char *cell(const struct rxs_plan *plan, enum rxs_point p, enum rxs_hook_kind k)
{
	int i;

	/* the poll exit tracepoint is not used when the poll entry hook has an exit */
	bool entry_covers = p == RXS_P_POLL_EXIT && plan->chosen[RXS_P_POLL_ENTRY] >= 0;

	for (i = 0; i < plan->ncands[p]; i++) {
		if (plan->cands[p][i].kind != k)
			continue;
		return plan->chosen[p] == i && !entry_covers ? "yes*" : "yes";
	}
	return "no";
}

int rxs_probe_cmd(const struct rxs_cli *cli)
{
	static const enum rxs_hook_kind kinds[] = { RXS_HOOK_FENTRY, RXS_HOOK_KPROBE,
						    RXS_HOOK_TP_BTF, RXS_HOOK_RAW_TP };
	struct rxs_filters flt = { .ifindex = cli->ifindex, .port = 0, .cpu = -1,
				   .by = RXS_BY_NONE };
	struct rxs_tracer t = { 0 };
	struct rxs_recording rec;
	struct rxs_features f;
	struct utsname uts;
	char driver[32], err[512];
	int p, ret, exit_code = RXS_EXIT_OK;
	size_t k;

	if (rxs_check_access(err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_PRIV;
	}
	if (rxs_driver_resolve(cli->driver, cli->dev, driver, sizeof(driver), err,
			       sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_USAGE;
	}
	rxs_features_probe(&f);
	uname(&uts);
	printf("kernel %s: btf %s, fentry %s, kprobe %s, tracefs %s, module btf %s\n",
	       uts.release, yes_no(f.btf), yes_no(f.fentry), yes_no(f.kprobe),
	       yes_no(f.tracefs), yes_no(f.module_btf));
	if (f.fentry)
		printf("fentry/fexit arguments: %s\n", f.func_arg ?
		       "bpf_get_func_arg(), bpf_get_func_ret()" :
		       "read from the trampoline's frame (kernel < 5.17 has no "
		       "bpf_get_func_arg() and bpf_get_func_ret())");
	rxs_plan_build(&t.plan, driver, cli->dev, cli->ifindex, cli->detail, &f);
	printf("driver profile %s, dev %s\n", driver, cli->dev[0] ? cli->dev : "any");
	/* the interrupts the irq_handler tracepoints follow (the ISR hook of generic) */
	if (!cli->dev[0] && t.plan.profile && t.plan.profile->isr)
		printf("interrupts: the driver's interrupt handler is hooked by name (isr "
		       "below)\n\n");
	else if (!cli->dev[0])
		printf("interrupts: none followed: the generic profile times hardirq only for "
		       "--dev IF\n\n");
	else if (!t.plan.nirqs)
		printf("interrupts: no /proc/interrupts line is named %s or %s-*, so the "
		       "irq_handler tracepoints follow none\n\n", cli->dev, cli->dev);
	else
		printf("interrupts: %d /proc/interrupts lines of %s (%s or %s-*), followed by "
		       "the irq_handler tracepoints when no driver hook is in use\n\n",
		       t.plan.nirqs, cli->dev, cli->dev, cli->dev);

	ret = rxs_tracer_start(&t, &flt, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "rxscope: %s\n", err);
		exit_code = RXS_EXIT_PRIV;
	}

	printf("%-18s", "HOOK POINT");
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		printf(" %-7s", rxs_hook_kind_name(kinds[k]));
	printf(" IN USE\n");
	/* yes: the kernel offers it; yes*: the flavour the tracer attached */
	for (p = 0; p < RXS_P_NR; p++) {
		char hook[64];

		printf("%-18s", rxs_point_name(p));
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			printf(" %-7s", cell(&t.plan, p, kinds[k]));
		rxs_plan_hook_str(&t.plan, p, hook, sizeof(hook));
		printf(" %s\n", hook[0] ? hook : "unavailable");
	}

	printf("yes: the kernel offers this flavour here; yes*: the flavour rxscope attached\n"
	       "(loaded and attached just now, so a flavour the kernel refuses shows its\n"
	       "fallback); no: not offered. IN USE: the hook in use, or unavailable.\n");

	rxs_recording_init(&rec, 0);
	rxs_plan_fill_stages(&t.plan, &rec);
	printf("\n%-28s %s\n", "STAGE", "HOOK");
	for (p = 0; p < RXS_H_NR; p++) {
		char why[600];

		if (rec.stages[p].available) {
			printf("%-28s %s\n", rec.stages[p].name, rec.stages[p].hook);
			continue;
		}
		rxs_plan_stage_why(&t.plan, p, why, sizeof(why));
		printf("%-28s unavailable (%s)\n", rec.stages[p].name, why);
	}
	/* why a point has no hook, or not its best flavour */
	printf("\n%-18s %s\n", "HOOK POINT", "WHY NOT A BETTER FLAVOUR");
	for (p = 0; p < RXS_P_NR; p++)
		if (t.plan.why[p][0])
			printf("%-18s %s\n", rxs_point_name(p), t.plan.why[p]);
	rxs_recording_free(&rec);
	rxs_tracer_stop(&t);
	return exit_code;
}
