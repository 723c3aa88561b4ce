// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_rxsink.c - rxsink's receive path: every datagram recvmmsg() hands over goes
 * through account() (payload check, flow table, sequence accounting) and the results
 * through format_results(). rxsink.c is compiled in here with its main() renamed, so the
 * harness calls the very functions the tool runs.
 *
 * Input: a series of datagrams, each [flags:1][len:2, big endian][len bytes]. flags bit 0
 * marks it truncated (MSG_TRUNC); bit 1 makes it a valid rxgen payload by writing the
 * magic, length and CRC over what the input gave, so that flow ids and sequence numbers
 * from the input reach the flow table and the sequence accounting. Afterwards the counts
 * must add up: every datagram is counted once, as good, bad, truncated or malformed.
 */
#define main rxsink_main
#include "../../src/tools/rxsink.c"
#undef main
#include "fuzz.h"

static void make_valid(uint8_t *p, size_t len)
{
	uint32_t crc;

	if (len < RXG_HDR_LEN)
		return;
	p[0] = 0x52, p[1] = 0x58, p[2] = 0x47, p[3] = 0x31;
	p[16] = len >> 24, p[17] = len >> 16, p[18] = len >> 8, p[19] = len;
	memset(p + 20, 0, 4);
	crc = rxg_crc32(0, p, len);
	p[20] = crc >> 24, p[21] = crc >> 16, p[22] = crc >> 8, p[23] = crc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t dgram[BUF_SIZE];
	static char results[8192];
	struct opts o = { .port = 9000 };
	struct stats st;
	uint64_t sum, n = 0;
	size_t i = 0;

	memset(&st, 0, sizeof(st));
	while (i + 3 <= size) {
		uint8_t flags = data[i];
		size_t len = (size_t)data[i + 1] << 8 | data[i + 2];

		i += 3;
		if (len > size - i)
			len = size - i;
		if (len > BUF_SIZE)
			len = BUF_SIZE;
		memcpy(dgram, data + i, len);
		i += len;
		if (flags & 2)
			make_valid(dgram, len);
		account(&st, dgram, len, flags & 1);
		n++;
	}
	format_results(results, sizeof(results), &o, &st, "count", -1);
	FUZZ_CHECK(strstr(results, "end_reason=count\n"), "results cut short");

	sum = st.good + st.truncated + st.mal_other;
	for (int k = 1; k <= RXG_PL_BAD_CSUM; k++)
		sum += st.bad[k];
	for (int k = 0; k < RXG_KIND_MAX; k++)
		sum += st.mal[k];
	FUZZ_CHECK(st.received == n && sum == n, "received %llu, classified %llu, sent %llu",
		   (unsigned long long)st.received, (unsigned long long)sum,
		   (unsigned long long)n);
	FUZZ_CHECK(st.flows_seen <= FLOW_SLOTS / 2, "flow table over half full");

	for (int k = 0; k < FLOW_SLOTS; k++) {
		free(flows[k]);
		flows[k] = NULL;
	}
	return 0;
}
