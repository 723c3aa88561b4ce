// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_frame.c - rxgen's frame code (frame.c): the payload checker and the parsers of the
 * values rxgen and rxsink take on their command lines, and frame building from a fuzzed
 * configuration. Properties: a parser that accepts a value gives it back in range and
 * formats it back to the same value; a frame built from any accepted configuration has
 * the length it claims, fits its buffer, and a good frame's payload passes the checker.
 *
 * Input: [selector:1][rest]. The rest is a NUL-terminated string for the parsers, raw
 * bytes for the payload checker, and a configuration for the builder.
 */
#include "fuzz.h"
#include "frame.h"

static void strings(const char *s)
{
	uint8_t mac[6], mac2[6];
	uint32_t ip, ip2;
	uint16_t port;
	uint64_t v;
	unsigned int mask;
	const char *bad;
	size_t bad_len;
	double d;
	char out[18];

	if (!rxg_parse_mac(s, mac)) {
		rxg_format_mac(mac, out);
		FUZZ_CHECK(!rxg_parse_mac(out, mac2) && !memcmp(mac, mac2, 6), "mac %s", out);
	}
	if (!rxg_parse_ipv4(s, &ip)) {
		rxg_format_ipv4(ip, out);
		FUZZ_CHECK(!rxg_parse_ipv4(out, &ip2) && ip == ip2, "ipv4 %s", out);
	}
	if (!rxg_parse_u64(s, 1000000, &v))
		FUZZ_CHECK(v <= 1000000, "u64 above max");
	if (!rxg_parse_rate(s, &d))
		FUZZ_CHECK(d >= 0 && d <= 1e9, "rate %g", d);	/* 0: as fast as possible */
	if (!rxg_parse_seconds(s, &d))
		FUZZ_CHECK(d >= 0 && d == d, "seconds %g", d);
	rxg_parse_hostport(s, &ip, &port);
	if (!rxg_kind_parse_list(s, &mask, &bad, &bad_len))
		FUZZ_CHECK(!(mask & ~((1u << RXG_KIND_MAX) - 1)), "kind mask 0x%x", mask);
	rxg_kind_from_name(s);
}

static void payload(const uint8_t *p, size_t len)
{
	static struct rxg_seq_flow flow;
	static struct rxg_seq_count cnt;
	struct rxg_pl_info info;
	enum rxg_pl_status st = rxg_payload_check(p, len, &info);

	FUZZ_CHECK(st <= RXG_PL_BAD_CSUM && rxg_pl_status_name(st), "status %d", st);
	if (st == RXG_PL_OK) {
		FUZZ_CHECK(info.len == len, "len");
		rxg_seq_account(&flow, info.seq, &cnt);
	}
}

static void build(const uint8_t *d, size_t n)
{
	static uint8_t buf[2 * RXG_FRAME_MAX];
	struct rxg_frame_cfg cfg;
	struct rxg_unit unit;
	uint32_t flow;
	uint64_t seq;
	enum rxg_kind kind;

	if (n < 16)
		return;
	rxg_frame_cfg_default(&cfg);
	kind = d[0] % RXG_KIND_MAX;
	cfg.payload_len = RXG_HDR_LEN + ((d[1] << 8 | d[2]) % (RXG_PAYLOAD_MAX - RXG_HDR_LEN + 1));
	cfg.oversize_len = 1519 + ((d[3] << 8 | d[4]) % (RXG_OVERSIZE_MAX - 1518));
	cfg.flows = 1 + ((d[5] << 8 | d[6]) % RXG_FLOWS_MAX);
	cfg.vlan_id = (d[7] << 8 | d[8]) & 4095;
	flow = (d[9] << 8 | d[10]) % cfg.flows;
	memcpy(&seq, d + 11, sizeof(seq) < n - 11 ? sizeof(seq) : n - 11);
	if (rxg_build_unit(&cfg, kind, flow, seq, buf, sizeof(buf), &unit))
		return;
	FUZZ_CHECK(unit.nframes == rxg_kind_frames(kind), "%d frames for %s", unit.nframes,
		   rxg_kind_name(kind));
	for (int i = 0; i < unit.nframes; i++) {
		const uint8_t *b = unit.frame[i].iov_base;

		FUZZ_CHECK(b >= buf && b + unit.frame[i].iov_len <= buf + sizeof(buf),
			   "frame outside its buffer");
	}
	if (kind == RXG_GOOD) {
		const uint8_t *f = unit.frame[0].iov_base;

		FUZZ_CHECK(unit.frame[0].iov_len >= RXG_HDRS_LEN + cfg.payload_len, "short");
		FUZZ_CHECK(rxg_payload_check(f + RXG_HDRS_LEN, cfg.payload_len, NULL) ==
			   RXG_PL_OK, "good frame fails the checker");
		FUZZ_CHECK(rxg_ip_csum(f + RXG_ETH_HLEN) ==
			   (f[RXG_ETH_HLEN + 10] << 8 | f[RXG_ETH_HLEN + 11]), "ip checksum");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char s[512];

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		if (size - 1 >= sizeof(s))
			return 0;
		memcpy(s, data + 1, size - 1);
		s[size - 1] = '\0';
		strings(s);
		break;
	case 1:
		payload(data + 1, size - 1);
		break;
	default:
		build(data + 1, size - 1);
		break;
	}
	return 0;
}
