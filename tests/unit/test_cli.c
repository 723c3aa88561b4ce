// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_cli.c - every error path of the rxscope command line: runs build/rxscope (next to
 * this test's directory) and checks the exit code and the message, plus --help texts; and
 * the contract of rxs_cli_parse() itself, called in this process.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "cli.h"

static char rxscope[PATH_MAX];
static char tmpdir[PATH_MAX];

struct run {
	int status;		/* exit code, or 128 + signal */
	char out[65536];
	char err[65536];
};

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n, got = 0;

	lseek(fd, 0, SEEK_SET);
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
}

/* Run rxscope with the NULL-terminated arguments; @uid >= 0 drops root first. */
static void run_as(struct run *r, int uid, ...)
{
	char *argv[32];
	int n = 0, ofd, efd, st;
	va_list ap;
	pid_t pid;
	FILE *o = tmpfile(), *e = tmpfile();

	assert_non_null(o);
	assert_non_null(e);
	ofd = fileno(o);
	efd = fileno(e);
	argv[n++] = rxscope;
	va_start(ap, uid);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Opened before dropping root: the checkout's directories may be closed to @uid. */
		int xfd = open(rxscope, O_RDONLY | O_CLOEXEC);

		dup2(ofd, 1);
		dup2(efd, 2);
		if (xfd < 0)
			_exit(97);
		if (uid >= 0 && (setgid(uid) || setuid(uid)))
			_exit(99);
		fexecve(xfd, argv, environ);
		_exit(98);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp(ofd, r->out, sizeof(r->out));
	slurp(efd, r->err, sizeof(r->err));
	fclose(o);
	fclose(e);
}

#define run(r, ...) run_as(r, -1, __VA_ARGS__, NULL)

/* Exit code @code, and @text somewhere in stderr. */
static void expect(const struct run *r, int code, const char *text)
{
	if (r->status != code || !strstr(r->err, text))
		print_error("exit %d (want %d), stderr:\n%s\nwanted: %s\n", r->status, code,
			    r->err, text);
	assert_int_equal(r->status, code);
	assert_non_null(strstr(r->err, text));
}

static struct run R;

static void test_no_args(void **state)
{
	(void)state;
	run_as(&R, -1, NULL);
	expect(&R, 2, "USAGE: rxscope VERB");
}

static void test_unknown_verb(void **state)
{
	(void)state;
	run(&R, "tracee");
	expect(&R, 2, "unknown verb 'tracee'");
}

static void test_help(void **state)
{
	static const char *const verbs[] = { "trace", "record", "report", "compare", "softnet",
					     "probe" };
	size_t i;

	(void)state;
	run(&R, "--help");
	assert_int_equal(R.status, 0);
	assert_non_null(strstr(R.out, "USAGE:"));
	assert_non_null(strstr(R.out, "EXAMPLES:"));
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		run(&R, (char *)verbs[i], "--help");
		assert_int_equal(R.status, 0);
		assert_non_null(strstr(R.out, "USAGE: rxscope"));
		assert_non_null(strstr(R.out, "EXAMPLES:"));
	}
}

static void test_unknown_option(void **state)
{
	(void)state;
	run(&R, "trace", "--bogus");
	expect(&R, 2, "unrecognized option '--bogus'");
	run(&R, "probe", "-i", "1");
	expect(&R, 2, "invalid option");
}

static void test_bad_port(void **state)
{
	(void)state;
	run(&R, "trace", "--port", "0");
	expect(&R, 2, "invalid --port '0'");
	run(&R, "trace", "--port", "65536");
	expect(&R, 2, "invalid --port '65536'");
	run(&R, "record", "-o", "x.json", "--port", "9k");
	expect(&R, 2, "invalid --port '9k'");
}

static void test_bad_cpu(void **state)
{
	(void)state;
	run(&R, "trace", "--cpu", "100000");
	expect(&R, 2, "invalid --cpu '100000'");
	run(&R, "trace", "--cpu", "-1");
	expect(&R, 2, "invalid --cpu '-1'");
}

static void test_bad_times(void **state)
{
	(void)state;
	run(&R, "trace", "-i", "0");
	expect(&R, 2, "invalid interval '0'");
	run(&R, "trace", "-d", "-1");
	expect(&R, 2, "invalid duration '-1'");
	run(&R, "trace", "-d", "soon");
	expect(&R, 2, "invalid duration 'soon'");
	run(&R, "softnet", "-i", "abc");
	expect(&R, 2, "invalid interval 'abc'");
}

static void test_bad_slow(void **state)
{
	(void)state;
	run(&R, "trace", "--slow", "500");
	expect(&R, 2, "invalid --slow '500': no unit");
	run(&R, "trace", "--slow", "5mins");
	expect(&R, 2, "invalid --slow '5mins': unknown unit 'mins': want ns, us, ms or s");
	run(&R, "record", "-o", "/tmp/x.json", "--slow", "0ms");
	expect(&R, 2, "invalid --slow '0ms': zero");
	run(&R, "trace", "--slow", "500us", "--slow-rate", "0");
	expect(&R, 2, "invalid --slow-rate '0'");
	run(&R, "trace", "--slow-rate", "10");
	expect(&R, 2, "--slow-rate goes with --slow THRESHOLD");
	run(&R, "record", "-o", "/tmp/x.json", "--slow-keep", "10");
	expect(&R, 2, "--slow-keep goes with --slow THRESHOLD");
	run(&R, "record", "-o", "/tmp/x.json", "--slow", "1ms", "--slow-keep", "100000");
	expect(&R, 2, "invalid --slow-keep '100000': want 1..10000");
	run(&R, "trace", "--slow", "1ms", "--slow-keep", "5");
	expect(&R, 2, "slow-keep");	/* record only */
}

static void test_bad_dev(void **state)
{
	(void)state;
	run(&R, "trace", "--dev", "rxsnosuch0");
	expect(&R, 2, "invalid --dev 'rxsnosuch0': no such interface");
	run(&R, "probe", "--dev", "a-name-much-too-long-for-ifnamsiz");
	expect(&R, 2, "not an interface name");
}

static void test_bad_driver(void **state)
{
	(void)state;
	run(&R, "trace", "--driver", "e1000");
	expect(&R, 2, "invalid --driver 'e1000'");
}

static void test_bad_by(void **state)
{
	(void)state;
	run(&R, "trace", "--by", "napi");
	expect(&R, 2, "invalid --by 'napi': want queue or cpu");
	run(&R, "serve", "--by", "");
	expect(&R, 2, "invalid --by '': want queue or cpu");
	/* report reads files: the split comes from the recording, not an option */
	run(&R, "report", "x.json", "--by", "queue");
	expect(&R, 2, "unrecognized option");
}

static void test_record_args(void **state)
{
	(void)state;
	run(&R, "record", "-d", "1");
	expect(&R, 2, "record wants -o FILE");
	run(&R, "record", "-o", "x", "--format", "xml");
	expect(&R, 2, "invalid --format 'xml'");
	run(&R, "trace", "extra");
	expect(&R, 2, "unexpected argument 'extra'");
	run(&R, "record", "-o", "-", "--split");
	expect(&R, 2, "--split writes numbered files; it cannot write to -o -");
	run(&R, "trace", "--split");
	expect(&R, 2, "unrecognized option '--split'");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_report_args(void **state)
{
	char missing[PATH_MAX + 32], bad[PATH_MAX + 32], schema[PATH_MAX + 32];

	(void)state;
	run(&R, "report");
	expect(&R, 2, "report wants exactly one FILE");
	run(&R, "report", "a.json", "b.json");
	expect(&R, 2, "report wants exactly one FILE");

	snprintf(missing, sizeof(missing), "%s/missing.json", tmpdir);
	run(&R, "report", missing);
	expect(&R, 2, missing);

	snprintf(bad, sizeof(bad), "%s/bad.json", tmpdir);
	write_file(bad, "{ \"schema\": \"rxscope/1\", ");
	run(&R, "report", bad);
	expect(&R, 2, bad);

	snprintf(schema, sizeof(schema), "%s/schema.json", tmpdir);
	write_file(schema, "{ \"schema\": \"rxscope/99\" }\n");
	run(&R, "report", schema);
	expect(&R, 2, "schema");
}

static void test_compare_args(void **state)
{
	char missing[PATH_MAX + 32];

	(void)state;
	run(&R, "compare", "only.json");
	expect(&R, 2, "compare wants exactly BASELINE and NEW");
	run(&R, "compare", "a", "b", "--quantile", "p42x");
	expect(&R, 2, "invalid --quantile 'p42x'");
	run(&R, "compare", "a", "b", "--max-regression", "lots");
	expect(&R, 2, "invalid --max-regression 'lots'");
	/* 0.15 is 15% as a fraction and 0.15% as a percentage: both readings, no guess */
	run(&R, "compare", "a", "b", "--max-regression", "0.15");
	expect(&R, 2, "ambiguous --max-regression '0.15': 15% or 0.15%? Write the percent sign");
	run(&R, "compare", "a", "b", "--inconclusive", "maybe");
	expect(&R, 2, "invalid --inconclusive 'maybe': want ok or fail");
	run(&R, "compare", "a", "b", "--format", "yaml");
	expect(&R, 2, "invalid --format 'yaml'");
	run(&R, "compare", "a", "b", "--stage", "nosuchstage");
	expect(&R, 2, "invalid --stage 'nosuchstage'");
	run(&R, "compare", "a", "b", "--confidence", "2");
	expect(&R, 2, "invalid --confidence '2'");
	snprintf(missing, sizeof(missing), "%s/missing.json", tmpdir);
	run(&R, "compare", missing, missing);
	expect(&R, 2, missing);
}

/* report/compare --format html: bad options exit 2, a good file gives a page, nothing else */
static void test_html_args(void **state)
{
	char out[PATH_MAX + 32], missing[PATH_MAX + 32], head[32] = "";
	const char *rec = "tests/host/data/demo-series-6.12.json";
	int text_status;
	FILE *f;

	(void)state;
	snprintf(out, sizeof(out), "%s/page.html", tmpdir);
	snprintf(missing, sizeof(missing), "%s/missing.json", tmpdir);
	run(&R, "report", rec, "--format", "pdf");
	expect(&R, 2, "invalid --format 'pdf': want text or html");
	run(&R, "report", rec, "-o", out);
	expect(&R, 2, "-o FILE goes with --format html");
	run(&R, "compare", rec, rec, "-o", out);
	expect(&R, 2, "-o FILE goes with --format html");
	run(&R, "report", missing, "--format", "html", "-o", out);
	expect(&R, 2, missing);
	assert_int_equal(access(out, F_OK), -1);
	run(&R, "report", rec, "--format", "html", "-o", "/nonexistent-rxs/page.html");
	expect(&R, 2, "/nonexistent-rxs/page.html");
	run(&R, "report", rec, "--format", "html", "-o", out);
	expect(&R, 0, "wrote");
	f = fopen(out, "r");
	assert_non_null(f);
	assert_non_null(fgets(head, sizeof(head), f));
	fclose(f);
	assert_string_equal(head, "<!DOCTYPE html>\n");
	/* the page's exit status is the text form's */
	run(&R, "compare", rec, rec);
	text_status = R.status;
	assert_true(text_status != 2);
	run(&R, "compare", rec, rec, "--format", "html");
	expect(&R, text_status, "");
	assert_non_null(strstr(R.out, "id=\"outcome\">"));
}

/* Without root (or CAP_BPF), tracing verbs explain and exit 3. */
static void test_no_privilege(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	run_as(&R, 65534, "probe", NULL);
	expect(&R, 3, "missing privilege");
	run_as(&R, 65534, "trace", "-d", "1", NULL);
	expect(&R, 3, "missing privilege");
	run_as(&R, 65534, "record", "-o", "/tmp/rxs-never.json", "-d", "1", NULL);
	expect(&R, 3, "missing privilege");
}

/* A ready file in a missing directory is bad input: exit 2, naming the file. */
static void test_bad_ready_file(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	run(&R, "trace", "-d", "1", "--ready-file", "/nonexistent-dir/ready");
	expect(&R, 2, "invalid --ready-file: /nonexistent-dir/ready: directory /nonexistent-dir "
	       "does not exist");
}

/*
 * rxs_cli_parse() on the NULL-terminated arguments after "rxscope", in this process, with
 * stdout and stderr silenced. Only inputs that argp does not end the process on.
 */
static enum rxs_cli_result parse(struct rxs_cli *cli, int *code, ...)
{
	char *argv[16] = { "rxscope" };
	int argc = 1, out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	enum rxs_cli_result ret;
	va_list ap;

	assert_true(out >= 0 && err >= 0 && null >= 0);
	va_start(ap, code);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	dup2(null, 1);
	dup2(null, 2);
	*code = -1;
	ret = rxs_cli_parse(argc, argv, cli, code);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return ret;
}

/* A verb to run is RXS_CLI_RUN (0); leaving early is RXS_CLI_EXIT with the exit code. */
static void test_parse_contract(void **state)
{
	struct rxs_cli cli;
	int code;

	(void)state;
	assert_int_equal(RXS_CLI_RUN, 0);
	assert_int_equal(parse(&cli, &code, "trace", "--port", "9000", "-d", "2", NULL),
			 RXS_CLI_RUN);
	assert_int_equal(code, RXS_EXIT_OK);
	assert_int_equal(cli.verb, RXS_VERB_TRACE);
	assert_int_equal(cli.port, 9000);
	assert_true(cli.duration_s == 2);
	assert_int_equal(parse(&cli, &code, "report", "run.json", NULL), RXS_CLI_RUN);
	assert_int_equal(cli.verb, RXS_VERB_REPORT);
	assert_int_equal(cli.nfiles, 1);
	assert_string_equal(cli.files[0], "run.json");

	assert_int_equal(parse(&cli, &code, NULL), RXS_CLI_EXIT);
	assert_int_equal(code, RXS_EXIT_USAGE);
	assert_int_equal(parse(&cli, &code, "tracee", NULL), RXS_CLI_EXIT);
	assert_int_equal(code, RXS_EXIT_USAGE);
	assert_int_equal(parse(&cli, &code, "--help", NULL), RXS_CLI_EXIT);
	assert_int_equal(code, RXS_EXIT_OK);
	assert_int_equal(parse(&cli, &code, "-V", NULL), RXS_CLI_EXIT);
	assert_int_equal(code, RXS_EXIT_OK);
}

static int setup(void **state)
{
	char self[PATH_MAX - 16], *slash;
	ssize_t n;

	(void)state;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	/* build/tests/test_cli -> build/rxscope */
	snprintf(rxscope, sizeof(rxscope), "%s/../rxscope", self);
	if (getenv("RXSCOPE"))
		snprintf(rxscope, sizeof(rxscope), "%s", getenv("RXSCOPE"));
	if (access(rxscope, X_OK)) {
		fprintf(stderr, "test_cli: no executable %s (make build/rxscope)\n", rxscope);
		return -1;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rxs-test-cli.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_args),
		cmocka_unit_test(test_unknown_verb),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_bad_port),
		cmocka_unit_test(test_bad_cpu),
		cmocka_unit_test(test_bad_times),
		cmocka_unit_test(test_bad_slow),
		cmocka_unit_test(test_bad_dev),
		cmocka_unit_test(test_bad_driver),
		cmocka_unit_test(test_bad_by),
		cmocka_unit_test(test_record_args),
		cmocka_unit_test(test_report_args),
		cmocka_unit_test(test_compare_args),
		cmocka_unit_test(test_html_args),
		cmocka_unit_test(test_no_privilege),
		cmocka_unit_test(test_bad_ready_file),
		cmocka_unit_test(test_parse_contract),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
