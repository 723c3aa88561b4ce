// SPDX-License-Identifier: GPL-2.0
/*
 * test_frame.c - unit tests of src/common/frame.c: frame lengths and fields, IPv4 and UDP
 * checksums checked by an independent implementation written here, the test payload's
 * encode/verify and its corruption detection, the defect of every malformed kind, the
 * per-flow sequence accounting against exact counts, and the value parsers' accept/reject
 * cases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "frame.h"

static uint8_t buf[2 * RXG_FRAME_MAX];

/* --- an independent reference: plain 16-bit word sums, no shared code ---------------- */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t ref_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t ref_fold(uint32_t sum)
{
	while (sum > 0xffff)
		sum = (sum >> 16) + (sum & 0xffff);
	return (uint16_t)sum;
}

/* A header with a correct checksum sums (checksum included) to 0xffff. */
static int ref_ip_ok(const uint8_t *ip)
{
	return ref_fold(ref_sum(0, ip, 20)) == 0xffff;
}

/* UDP datagram at @udp of @len bytes, pseudo-header from the IPv4 header @ip. */
static int ref_udp_ok(const uint8_t *ip, const uint8_t *udp, size_t len)
{
	uint32_t sum = 0;

	sum = ref_sum(sum, ip + 12, 8);		/* saddr, daddr */
	sum += 17;
	sum += (uint32_t)len;
	sum = ref_sum(sum, udp, len);
	return be16(udp + 6) != 0 && ref_fold(sum) == 0xffff;
}

static struct rxg_frame_cfg cfg(void)
{
	struct rxg_frame_cfg c;

	rxg_frame_cfg_default(&c);
	return c;
}

static struct rxg_unit build(const struct rxg_frame_cfg *c, enum rxg_kind kind,
			     uint32_t flow, uint64_t seq)
{
	struct rxg_unit u;

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(rxg_build_unit(c, kind, flow, seq, buf, sizeof(buf), &u), 0);
	return u;
}

/* --- checksums against known values -------------------------------------------------- */

static void test_crc32_known(void **state)
{
	(void)state;
	assert_int_equal(rxg_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(rxg_crc32(0, "", 0), 0);
	/* Incremental use gives the same value as one pass. */
	assert_int_equal(rxg_crc32(rxg_crc32(0, "12345", 5), "6789", 4), 0xcbf43926u);
}

static void test_ip_csum_known(void **state)
{
	/* A textbook IPv4 header whose checksum is 0xb861. */
	uint8_t ip[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	(void)state;
	assert_int_equal(rxg_ip_csum(ip), 0xb861);
	ip[10] = 0x12;	/* the checksum field itself is ignored */
	assert_int_equal(rxg_ip_csum(ip), 0xb861);
	/* odd length tail is padded with a zero byte */
	assert_int_equal(rxg_csum_add(0, "\x01\x02\x03", 3), 0x0102 + 0x0300);
}

/* --- good frames ------------------------------------------------------------------ */

static void check_good(const struct rxg_frame_cfg *c, uint32_t flow, uint64_t seq)
{
	struct rxg_unit u = build(c, RXG_GOOD, flow, seq);
	const uint8_t *f = u.frame[0].iov_base, *ip = f + 14, *udp = ip + 20;
	struct rxg_pl_info info;

	assert_int_equal(u.nframes, 1);
	assert_int_equal(u.frame[0].iov_len, 42 + c->payload_len);
	assert_memory_equal(f, c->dst_mac, 6);
	assert_memory_equal(f + 6, c->src_mac, 6);
	assert_int_equal(be16(f + 12), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ip[9], 17);
	assert_int_equal(be16(ip + 2), 28 + c->payload_len);
	assert_int_equal(be16(ip + 6), 0x4000);		/* DF, no fragment */
	assert_int_equal(be16(ip + 4), (uint16_t)seq);
	assert_int_equal(be32(ip + 12), c->src_ip + flow);
	assert_int_equal(be32(ip + 16), c->dst_ip);
	assert_true(ref_ip_ok(ip));
	assert_int_equal(be16(udp), c->src_port + flow);
	assert_int_equal(be16(udp + 2), c->dst_port);
	assert_int_equal(be16(udp + 4), 8 + c->payload_len);
	assert_true(ref_udp_ok(ip, udp, 8 + c->payload_len));
	assert_int_equal(rxg_payload_check(udp + 8, c->payload_len, &info), RXG_PL_OK);
	assert_int_equal(info.flow, flow);
	assert_int_equal(info.seq, seq);
	assert_int_equal(info.len, c->payload_len);
}

static void test_good_frames(void **state)
{
	struct rxg_frame_cfg c = cfg();
	static const uint32_t sizes[] = { 24, 25, 64, 1472, 1473, 4000, 8000, RXG_PAYLOAD_MAX };

	(void)state;
	c.flows = 16;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		c.payload_len = sizes[i];
		check_good(&c, 0, 0);
		check_good(&c, 7, 12345);
		check_good(&c, 15, 0x1ffffffffull);	/* seq above 32 bits */
	}
}

static void test_flows_differ(void **state)
{
	struct rxg_frame_cfg c = cfg();
	uint8_t a[128];
	struct rxg_unit u;

	(void)state;
	c.flows = 4;
	u = build(&c, RXG_GOOD, 0, 5);
	memcpy(a, u.frame[0].iov_base, u.frame[0].iov_len);
	u = build(&c, RXG_GOOD, 3, 5);
	assert_int_equal(be32(a + 26) + 3, be32((uint8_t *)u.frame[0].iov_base + 26));
	assert_int_equal(be16(a + 34) + 3, be16((uint8_t *)u.frame[0].iov_base + 34));
}

static void test_udp_csum_never_zero(void **state)
{
	struct rxg_frame_cfg c = cfg();

	(void)state;
	/* Over many sequence numbers the checksum field is never 0 (0 means "none"). */
	for (uint64_t seq = 0; seq < 70000; seq += 7) {
		struct rxg_unit u = build(&c, RXG_GOOD, 0, seq);
		const uint8_t *f = u.frame[0].iov_base;

		assert_int_not_equal(be16(f + 40), 0);
	}
}

/* --- payload ------------------------------------------------------------------------- */

static void test_payload_corruption(void **state)
{
	static uint8_t p[8000];
	static const uint32_t lens[] = { 24, 64, 8000 };

	(void)state;
	for (size_t l = 0; l < 3; l++) {
		uint32_t len = lens[l];

		rxg_payload_fill(p, len, 3, 99);
		assert_int_equal(rxg_payload_check(p, len, NULL), RXG_PL_OK);
		/* Every single bit flip in the header, and a spread of them in the body. */
		for (uint32_t i = 0; i < len; i += (i < 24 ? 1 : 13)) {
			for (int bit = 0; bit < 8; bit += (i < 24 ? 1 : 3)) {
				p[i] ^= (uint8_t)(1u << bit);
				assert_int_not_equal(rxg_payload_check(p, len, NULL), RXG_PL_OK);
				p[i] ^= (uint8_t)(1u << bit);
			}
		}
		assert_int_equal(rxg_payload_check(p, len, NULL), RXG_PL_OK);
	}
	/* Specific failures. */
	rxg_payload_fill(p, 100, 0, 0);
	assert_int_equal(rxg_payload_check(p, 23, NULL), RXG_PL_SHORT);
	assert_int_equal(rxg_payload_check(p, 99, NULL), RXG_PL_BAD_LEN);
	p[50] ^= 0x40;
	assert_int_equal(rxg_payload_check(p, 100, NULL), RXG_PL_BAD_CSUM);
	p[50] ^= 0x40;
	p[0] = 'X';
	assert_int_equal(rxg_payload_check(p, 100, NULL), RXG_PL_BAD_MAGIC);
	/* Swapped body bytes keep every byte but must still fail. */
	rxg_payload_fill(p, 100, 0, 0);
	uint8_t t = p[40];
	p[40] = p[41];
	p[41] = t;
	assert_int_equal(rxg_payload_check(p, 100, NULL), RXG_PL_BAD_CSUM);
}

/* --- malformed kinds ------------------------------------------------------------------- */

static const uint8_t *ip_of(const struct rxg_unit *u, int i)
{
	return (const uint8_t *)u->frame[i].iov_base + 14;
}

static void test_mal_runt(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u = build(&c, RXG_RUNT, 0, 0);

	(void)state;
	assert_int_equal(u.nframes, 1);
	assert_true(u.frame[0].iov_len < RXG_ETH_ZLEN);
	assert_int_equal(u.frame[0].iov_len, 42 + RXG_RUNT_PAYLOAD);
	/* Headers are otherwise consistent: only the size is wrong. */
	assert_true(ref_ip_ok(ip_of(&u, 0)));
	assert_int_equal(be16(ip_of(&u, 0) + 2), u.frame[0].iov_len - 14);
	assert_int_equal(be16(ip_of(&u, 0) + 20), RXG_MAL_PORT_BASE + RXG_RUNT);
}

static void test_mal_oversize(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u = build(&c, RXG_OVERSIZE, 0, 0);
	struct rxg_pl_info info;

	(void)state;
	assert_int_equal(u.frame[0].iov_len, RXG_OVERSIZE_DEF);
	assert_true(u.frame[0].iov_len > 1518);
	assert_true(ref_ip_ok(ip_of(&u, 0)));
	assert_true(ref_udp_ok(ip_of(&u, 0), ip_of(&u, 0) + 20, RXG_OVERSIZE_DEF - 34));
	assert_int_equal(rxg_payload_check(ip_of(&u, 0) + 28, RXG_OVERSIZE_DEF - 42, &info),
			 RXG_PL_OK);
	assert_int_equal(info.flow, RXG_FLOW_MAL(RXG_OVERSIZE));
	c.oversize_len = 9100;
	u = build(&c, RXG_OVERSIZE, 0, 0);
	assert_int_equal(u.frame[0].iov_len, 9100);
	c.oversize_len = RXG_OVERSIZE_MAX + 1;
	assert_int_equal(rxg_build_unit(&c, RXG_OVERSIZE, 0, 0, buf, sizeof(buf), &u),
			 -EINVAL);
}

static void test_mal_bad_ip_csum(void **state)
{
	struct rxg_frame_cfg c = cfg();

	(void)state;
	for (uint64_t seq = 0; seq < 3000; seq++) {
		struct rxg_unit u = build(&c, RXG_BAD_IP_CSUM, (uint32_t)(seq % 1), seq);
		const uint8_t *ip = ip_of(&u, 0);

		assert_false(ref_ip_ok(ip));
		assert_true(ref_udp_ok(ip, ip + 20, 8 + c.payload_len));
	}
}

static void test_mal_bad_ip_len(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u = build(&c, RXG_BAD_IP_LEN, 0, 0);
	const uint8_t *ip = ip_of(&u, 0);

	(void)state;
	assert_true(ref_ip_ok(ip));
	assert_int_equal(be16(ip + 2), u.frame[0].iov_len - 14 + RXG_LEN_EXCESS);
}

static void test_mal_trunc_udp(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u = build(&c, RXG_TRUNC_UDP, 0, 0);
	const uint8_t *ip = ip_of(&u, 0);

	(void)state;
	assert_true(ref_ip_ok(ip));
	assert_int_equal(be16(ip + 2), u.frame[0].iov_len - 14);	/* IP is consistent */
	assert_int_equal(be16(ip + 24), 8 + c.payload_len + RXG_LEN_EXCESS);
	assert_true(be16(ip + 24) > be16(ip + 2) - 20);
}

static void test_mal_bad_udp_csum(void **state)
{
	struct rxg_frame_cfg c = cfg();

	(void)state;
	for (uint64_t seq = 0; seq < 3000; seq++) {
		struct rxg_unit u = build(&c, RXG_BAD_UDP_CSUM, 0, seq);
		const uint8_t *ip = ip_of(&u, 0);

		assert_true(ref_ip_ok(ip));
		assert_int_not_equal(be16(ip + 26), 0);
		assert_false(ref_udp_ok(ip, ip + 20, 8 + c.payload_len));
	}
}

static void test_mal_frag(void **state)
{
	static const uint32_t sizes[] = { 24, 64, 1000, 8000 };
	struct rxg_frame_cfg c = cfg();

	(void)state;
	for (size_t s = 0; s < 4; s++) {
		static uint8_t whole[16384];
		struct rxg_unit u;
		const uint8_t *ip1, *ip2;
		size_t l1, l2;

		c.payload_len = sizes[s];
		u = build(&c, RXG_FRAG, 0, 7);
		assert_int_equal(u.nframes, 2);
		assert_int_equal(rxg_kind_frames(RXG_FRAG), 2);
		ip1 = ip_of(&u, 0);
		ip2 = ip_of(&u, 1);
		assert_true(ref_ip_ok(ip1));
		assert_true(ref_ip_ok(ip2));
		assert_int_equal(be16(ip1 + 4), be16(ip2 + 4));		/* same id */
		assert_int_equal(be16(ip1 + 6), 0x2000);		/* MF, offset 0 */
		l1 = be16(ip1 + 2) - 20u;
		l2 = be16(ip2 + 2) - 20u;
		assert_int_equal(l1 % 8, 0);
		assert_int_equal(be16(ip2 + 6), l1 / 8);		/* no MF, offset */
		assert_int_equal(l1 + l2, 8 + c.payload_len);
		assert_true(u.frame[0].iov_len >= RXG_ETH_ZLEN);
		assert_true(u.frame[1].iov_len >= RXG_ETH_ZLEN);
		/* Reassembled, it is a valid UDP datagram with a valid payload. */
		memcpy(whole, ip1 + 20, l1);
		memcpy(whole + l1, ip2 + 20, l2);
		assert_true(ref_udp_ok(ip1, whole, l1 + l2));
		assert_int_equal(be16(whole + 4), l1 + l2);
		assert_int_equal(rxg_payload_check(whole + 8, c.payload_len, NULL), RXG_PL_OK);
	}
}

static void test_mal_vlan(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u;
	const uint8_t *f;

	(void)state;
	c.vlan_id = 1234;
	u = build(&c, RXG_VLAN, 0, 0);
	f = u.frame[0].iov_base;
	assert_int_equal(u.frame[0].iov_len, 46 + c.payload_len);
	assert_int_equal(be16(f + 12), 0x8100);
	assert_int_equal(be16(f + 14) & 0x0fff, 1234);
	assert_int_equal(be16(f + 16), 0x0800);
	assert_true(ref_ip_ok(f + 18));
	assert_true(ref_udp_ok(f + 18, f + 38, 8 + c.payload_len));
}

static void test_mal_non_ip(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u = build(&c, RXG_NON_IP, 0, 0);
	const uint8_t *f = u.frame[0].iov_base;

	(void)state;
	assert_int_equal(be16(f + 12), RXG_NON_IP_ETHERTYPE);
	assert_int_not_equal(be16(f + 12), 0x0800);
	assert_int_not_equal(be16(f + 12), 0x86dd);
	assert_true(u.frame[0].iov_len >= RXG_ETH_ZLEN);
}

static void test_mal_payload_flow(void **state)
{
	struct rxg_frame_cfg c = cfg();

	(void)state;
	/* The kinds that keep a whole payload mark it with their kind. */
	static const enum rxg_kind kinds[] = { RXG_BAD_IP_CSUM, RXG_BAD_IP_LEN,
					       RXG_BAD_UDP_CSUM, RXG_VLAN, RXG_NON_IP };
	for (size_t i = 0; i < 5; i++) {
		struct rxg_unit u = build(&c, kinds[i], 0, 3);
		const uint8_t *f = u.frame[0].iov_base;
		size_t pl = kinds[i] == RXG_VLAN ? 46 : 42;
		struct rxg_pl_info info;

		assert_int_equal(rxg_payload_check(f + pl, c.payload_len, &info), RXG_PL_OK);
		assert_int_equal(info.flow, RXG_FLOW_MAL(kinds[i]));
		assert_int_equal(info.seq, 3);
	}
}

static void test_build_rejects(void **state)
{
	struct rxg_frame_cfg c = cfg();
	struct rxg_unit u;

	(void)state;
	c.payload_len = RXG_PAYLOAD_MAX + 1;
	assert_int_equal(rxg_build_unit(&c, RXG_GOOD, 0, 0, buf, sizeof(buf), &u), -EINVAL);
	c.payload_len = RXG_HDR_LEN - 1;
	assert_int_equal(rxg_build_unit(&c, RXG_GOOD, 0, 0, buf, sizeof(buf), &u), -EINVAL);
	c.payload_len = 64;
	assert_int_equal(rxg_build_unit(&c, RXG_GOOD, 0, 0, buf, 100, &u), -EINVAL);
	assert_int_equal(rxg_build_unit(&c, RXG_KIND_MAX, 0, 0, buf, sizeof(buf), &u),
			 -EINVAL);
}

/* --- sequence accounting ---------------------------------------------------------------- */

static struct rxg_seq_count feed(const uint64_t *seqs, size_t n)
{
	static struct rxg_seq_flow f;
	struct rxg_seq_count c = { 0 };

	memset(&f, 0, sizeof(f));
	for (size_t i = 0; i < n; i++)
		rxg_seq_account(&f, seqs[i], &c);
	return c;
}

#define FEED(...) feed((const uint64_t[]){ __VA_ARGS__ }, \
		       sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

static void test_seq_cases(void **state)
{
	struct rxg_seq_count c;

	(void)state;
	c = FEED(0, 1, 2, 3, 4);
	assert_true(!c.lost && !c.dup && !c.reordered && !c.late);
	c = FEED(7, 8);				/* the first 7 never came */
	assert_int_equal(c.lost, 7);
	c = FEED(0, 1, 5);			/* gap 2..4 */
	assert_int_equal(c.lost, 3);
	c = FEED(0, 1, 5, 3);			/* 3 turns up late: reordered, not lost */
	assert_int_equal(c.lost, 2);
	assert_int_equal(c.reordered, 1);
	assert_int_equal(c.dup, 0);
	c = FEED(0, 1, 5, 3, 3, 5, 0);		/* then 3, 5 and 0 again: duplicates */
	assert_int_equal(c.lost, 2);
	assert_int_equal(c.reordered, 1);
	assert_int_equal(c.dup, 3);
	c = FEED(0, 0);
	assert_int_equal(c.dup, 1);
	/* A jump beyond the window, then numbers inside and outside the window. */
	c = FEED(0, 10000, 9000, 5000, 9000);
	assert_int_equal(c.lost, 9999 - 1);
	assert_int_equal(c.reordered, 1);
	assert_int_equal(c.late, 1);
	assert_int_equal(c.dup, 1);
	/* Exactly at the window's edge: next - seq == RXG_SEQ_WINDOW is still told apart. */
	c = FEED(0, RXG_SEQ_WINDOW, 1);
	assert_int_equal(c.reordered, 1);
	assert_int_equal(c.late, 0);
	c = FEED(0, RXG_SEQ_WINDOW + 1, 1);
	assert_int_equal(c.late, 1);
}

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/*
 * A stream with random drops, duplicates and local reordering (displacement < 200, well
 * inside the window), checked against exact counts from a full "seen" array:
 * lost = highest + 1 - distinct, dup = arrivals - distinct, reordered = first arrivals
 * below the highest seen so far.
 */
static void test_seq_random(void **state)
{
	enum { N = 200000 };
	static uint64_t stream[2 * N];
	static uint8_t seen[N];
	static struct rxg_seq_flow f;
	struct rxg_seq_count c = { 0 };
	uint64_t n = 0, distinct = 0, dup = 0, reordered = 0, highest = 0;
	bool any = false;

	(void)state;
	for (uint64_t s = 0; s < N; s++) {
		uint32_t r = rng() % 1000;

		if (r < 40)
			continue;			/* 4% dropped */
		stream[n++] = s;
		if (r < 70)
			stream[n++] = s;		/* 3% duplicated */
	}
	for (uint64_t i = 0; i + 1 < n; i++) {	/* swap ~5% with a later neighbour */
		if (rng() % 100 < 5) {
			uint64_t j = i + 1 + rng() % 199, t;

			if (j >= n)
				continue;
			t = stream[i];
			stream[i] = stream[j];
			stream[j] = t;
		}
	}
	memset(&f, 0, sizeof(f));
	for (uint64_t i = 0; i < n; i++) {
		uint64_t s = stream[i];

		rxg_seq_account(&f, s, &c);
		if (seen[s]) {
			dup++;
		} else {
			seen[s] = 1;
			distinct++;
			if (any && s < highest)
				reordered++;
		}
		if (!any || s > highest)
			highest = s;
		any = true;
	}
	assert_true(reordered > 1000 && dup > 1000);	/* the stream really is disordered */
	assert_int_equal(c.late, 0);
	assert_int_equal(c.dup, dup);
	assert_int_equal(c.reordered, reordered);
	assert_int_equal(c.lost, highest + 1 - distinct);
}

/* --- parsers ------------------------------------------------------------------------------- */

static void test_parse_mac(void **state)
{
	uint8_t m[6] = { 0 };
	static const uint8_t want[6] = { 0x52, 0x54, 0x00, 0xab, 0xCD, 0xef };

	(void)state;
	assert_int_equal(rxg_parse_mac("52:54:00:ab:CD:ef", m), 0);
	assert_memory_equal(m, want, 6);
	assert_int_equal(rxg_parse_mac("52-54-00-ab-cd-ef", m), 0);
	assert_int_equal(rxg_parse_mac("52:54:00:ab:cd", m), -1);
	assert_int_equal(rxg_parse_mac("52:54:00:ab:cd:ef:01", m), -1);
	assert_int_equal(rxg_parse_mac("52:54:00:ab:cd:eg", m), -1);
	assert_int_equal(rxg_parse_mac("5:54:00:ab:cd:ef0", m), -1);
	assert_int_equal(rxg_parse_mac("52545400abcdef00x", m), -1);
	assert_int_equal(rxg_parse_mac("", m), -1);
	assert_int_equal(rxg_parse_mac("zz:zz:zz:zz:zz:zz", m), -1);
	assert_memory_equal(m, want, 6);	/* untouched on error */
}

static void test_parse_ipv4(void **state)
{
	uint32_t ip = 0;

	(void)state;
	assert_int_equal(rxg_parse_ipv4("198.18.0.2", &ip), 0);
	assert_int_equal(ip, 0xc6120002);
	assert_int_equal(rxg_parse_ipv4("198.18.0.256", &ip), -1);
	assert_int_equal(rxg_parse_ipv4("198.18.0", &ip), -1);
	assert_int_equal(rxg_parse_ipv4("198.18.0.2.1", &ip), -1);
	assert_int_equal(rxg_parse_ipv4("fe80::1", &ip), -1);
	assert_int_equal(rxg_parse_ipv4("host", &ip), -1);
	assert_int_equal(rxg_parse_ipv4("", &ip), -1);
}

static void test_parse_numbers(void **state)
{
	uint64_t v;
	double d;

	(void)state;
	assert_int_equal(rxg_parse_u64("10000", 1000000, &v), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(rxg_parse_u64("10k", 1000000, &v), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(rxg_parse_u64("2M", 10000000, &v), 0);
	assert_int_equal(v, 2000000);
	assert_int_equal(rxg_parse_u64("2M", 1000000, &v), -1);
	assert_int_equal(rxg_parse_u64("-1", 100, &v), -1);
	assert_int_equal(rxg_parse_u64("12x", 100, &v), -1);
	assert_int_equal(rxg_parse_u64("", 100, &v), -1);
	assert_int_equal(rxg_parse_u64("99999999999999999999999", UINT64_MAX, &v), -1);

	assert_int_equal(rxg_parse_rate("max", &d), 0);
	assert_true(d == 0);
	assert_int_equal(rxg_parse_rate("0", &d), 0);
	assert_true(d == 0);
	assert_int_equal(rxg_parse_rate("5000", &d), 0);
	assert_true(d == 5000);
	assert_int_equal(rxg_parse_rate("1.5k", &d), 0);
	assert_true(d == 1500);
	assert_int_equal(rxg_parse_rate("-5", &d), -1);
	assert_int_equal(rxg_parse_rate("fast", &d), -1);
	assert_int_equal(rxg_parse_rate("nan", &d), -1);
	assert_int_equal(rxg_parse_rate("inf", &d), -1);
	assert_int_equal(rxg_parse_rate("5000pps", &d), -1);

	assert_int_equal(rxg_parse_seconds("2.5", &d), 0);
	assert_true(d == 2.5);
	assert_int_equal(rxg_parse_seconds("0", &d), -1);
	assert_int_equal(rxg_parse_seconds("-1", &d), -1);
	assert_int_equal(rxg_parse_seconds("1s", &d), -1);
}

static void test_parse_hostport(void **state)
{
	uint32_t ip;
	uint16_t port;

	(void)state;
	assert_int_equal(rxg_parse_hostport("127.0.0.1:10001", &ip, &port), 0);
	assert_int_equal(ip, 0x7f000001);
	assert_int_equal(port, 10001);
	assert_int_equal(rxg_parse_hostport("localhost:5", &ip, &port), 0);
	assert_int_equal(ip, 0x7f000001);
	assert_int_equal(rxg_parse_hostport("127.0.0.1", &ip, &port), -1);
	assert_int_equal(rxg_parse_hostport("127.0.0.1:", &ip, &port), -1);
	assert_int_equal(rxg_parse_hostport("127.0.0.1:0", &ip, &port), -1);
	assert_int_equal(rxg_parse_hostport("127.0.0.1:65536", &ip, &port), -1);
	assert_int_equal(rxg_parse_hostport("127.0.0.1:1k", &ip, &port), -1);
	assert_int_equal(rxg_parse_hostport(":80", &ip, &port), -1);
	assert_int_equal(rxg_parse_hostport("nohost:80", &ip, &port), -1);
}

static void test_parse_kinds(void **state)
{
	const char *bad = NULL;
	size_t bad_len = 0;
	unsigned int m = 0;
	const char *list = "runt,frag,bogus,vlan";

	(void)state;
	assert_int_equal(rxg_kind_parse_list("all", &m, &bad, &bad_len), 0);
	assert_int_equal(m, RXG_MAL_ALL);
	assert_false(m & 1);		/* good is not a malformed kind */
	assert_int_equal(__builtin_popcount(m), RXG_KIND_MAX - 1);
	assert_int_equal(rxg_kind_parse_list("runt,non-ip", &m, &bad, &bad_len), 0);
	assert_int_equal(m, (1u << RXG_RUNT) | (1u << RXG_NON_IP));
	assert_int_equal(rxg_kind_parse_list(list, &m, &bad, &bad_len), -1);
	assert_ptr_equal(bad, list + 10);
	assert_int_equal(bad_len, 5);
	assert_int_equal(rxg_kind_parse_list("runt,", &m, &bad, &bad_len), -1);
	assert_int_equal(rxg_kind_parse_list("good", &m, &bad, &bad_len), -1);
	assert_int_equal(rxg_kind_parse_list("", &m, &bad, &bad_len), -1);
	for (int k = 0; k < RXG_KIND_MAX; k++)
		assert_int_equal(rxg_kind_from_name(rxg_kind_name(k)), k);
	assert_int_equal(rxg_kind_from_name("RUNT"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_known),
		cmocka_unit_test(test_ip_csum_known),
		cmocka_unit_test(test_good_frames),
		cmocka_unit_test(test_flows_differ),
		cmocka_unit_test(test_udp_csum_never_zero),
		cmocka_unit_test(test_payload_corruption),
		cmocka_unit_test(test_mal_runt),
		cmocka_unit_test(test_mal_oversize),
		cmocka_unit_test(test_mal_bad_ip_csum),
		cmocka_unit_test(test_mal_bad_ip_len),
		cmocka_unit_test(test_mal_trunc_udp),
		cmocka_unit_test(test_mal_bad_udp_csum),
		cmocka_unit_test(test_mal_frag),
		cmocka_unit_test(test_mal_vlan),
		cmocka_unit_test(test_mal_non_ip),
		cmocka_unit_test(test_mal_payload_flow),
		cmocka_unit_test(test_build_rejects),
		cmocka_unit_test(test_seq_cases),
		cmocka_unit_test(test_seq_random),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_parse_hostport),
		cmocka_unit_test(test_parse_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
