# Which objects each unit test links, besides cmocka and the libraries:
#   TEST_OBJS_<name> := <object names in build/>   for tests/unit/test_<name>.c
# One line per test, kept by whoever owns the test, so that one test's build never depends
# on unrelated code.
TEST_OBJS_hist := hist.o
TEST_OBJS_export := hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
TEST_OBJS_softnet := softnet.o recording.o split.o hist.o export_prom.o
TEST_OBJS_report := report.o hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
TEST_OBJS_frame := frame.o
TEST_OBJS_compare := compare.o hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
TEST_OBJS_cli := cli.o help.o http.o compare.o hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
TEST_OBJS_slow := slow.o compare.o hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o report.o
TEST_OBJS_serve := http.o hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
TEST_OBJS_html := export_html.o report.o compare.o hist.o recording.o split.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
TEST_OBJS_split := split.o compare.o report.o hist.o recording.o softnet.o export.o atomic.o export_json.o export_csv.o export_prom.o slow.o
