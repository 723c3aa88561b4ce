// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_json.c - the JSON recording reader (rxs_json_read, "rxscope/1"). Whatever the
 * reader accepts must then survive everything that reads a recording: the report tables,
 * and the three writers. And it must round-trip: the JSON written from it reads back, and
 * writing that again gives the same bytes.
 */
#include <errno.h>
#include "fuzz.h"
#include "export_csv.h"
#include "export_json.h"
#include "export_prom.h"
#include "report.h"

static struct fuzz_file in, out;

static char *write_json(const struct rxs_recording *r, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	int ret;

	FUZZ_CHECK(m, "open_memstream");
	ret = rxs_json_write(m, r);
	FUZZ_CHECK(ret == 0, "rxs_json_write of an accepted recording: %d", ret);
	fclose(m);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rxs_recording r, r2;
	char err[512];
	char *j1, *j2;
	size_t l1, l2;
	int ret;

	fuzz_file_set(&in, data, size);
	err[0] = '\0';
	ret = rxs_json_read(in.path, &r, err, sizeof(err));
	if (ret) {
		FUZZ_CHECK(err[0] != '\0', "rejected (%d) without a message", ret);
		rxs_recording_free(&r);
		return 0;
	}
	rxs_report_print(fuzz_null(), &r, true);
	rxs_csv_write(fuzz_null(), &r);
	rxs_prom_write(fuzz_null(), &r);

	j1 = write_json(&r, &l1);
	fuzz_file_set(&out, j1, l1);
	ret = rxs_json_read(out.path, &r2, err, sizeof(err));
	FUZZ_CHECK(ret == 0, "re-reading what was written fails: %s", err);
	j2 = write_json(&r2, &l2);
	FUZZ_CHECK(l1 == l2 && !memcmp(j1, j2, l1), "JSON round trip differs");
	free(j1);
	free(j2);
	rxs_recording_free(&r2);
	rxs_recording_free(&r);
	return 0;
}
