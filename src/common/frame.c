// SPDX-License-Identifier: GPL-2.0
/*
 * frame.c - crafting and checking rxgen's frames: Ethernet/IPv4/UDP headers, the malformed
 * kinds, the test payload (see frame.h for its format), the Internet and CRC-32 checksums,
 * the per-flow sequence accounting that checks a received stream, and the parsers for
 * MAC, IPv4, count, rate and HOST:PORT values shared by rxgen and rxsink.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static const char *const kind_names[RXG_KIND_MAX] = {
	[RXG_GOOD] = "good",
	[RXG_RUNT] = "runt",
	[RXG_OVERSIZE] = "oversize",
	[RXG_BAD_IP_CSUM] = "bad-ip-csum",
	[RXG_BAD_IP_LEN] = "bad-ip-len",
	[RXG_TRUNC_UDP] = "trunc-udp",
	[RXG_BAD_UDP_CSUM] = "bad-udp-csum",
	[RXG_FRAG] = "frag",
	[RXG_VLAN] = "vlan",
	[RXG_NON_IP] = "non-ip",
};

void rxg_frame_cfg_default(struct rxg_frame_cfg *cfg)
{
	static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->dst_mac, guest_mac, 6);
	memcpy(cfg->src_mac, our_mac, 6);
	cfg->src_ip = 0xc6120101;	/* 198.18.1.1 */
	cfg->dst_ip = 0xc6120002;	/* 198.18.0.2 */
	cfg->src_port = 10000;
	cfg->dst_port = 9000;
	cfg->payload_len = 64;
	cfg->oversize_len = RXG_OVERSIZE_DEF;
	cfg->flows = 1;
	cfg->vlan_id = RXG_VLAN_DEF;
}

const char *rxg_kind_name(enum rxg_kind kind)
{
	if ((unsigned int)kind >= RXG_KIND_MAX)
		return "unknown";
	return kind_names[kind];
}

int rxg_kind_from_name(const char *name)
{
	for (int k = 0; k < RXG_KIND_MAX; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

/* How many frames one unit of @kind is on the wire. */
int rxg_kind_frames(enum rxg_kind kind)
{
	return kind == RXG_FRAG ? 2 : 1;
}

/*
 * Parse a comma list of malformed kind names, or "all", into a bit mask (bit k = kind k).
 * On error, *bad and *bad_len point at the offending token inside @list.
 */
int rxg_kind_parse_list(const char *list, unsigned int *mask, const char **bad,
			size_t *bad_len)
{
	const char *p = list;
	unsigned int m = 0;

	for (;;) {
		size_t n = strcspn(p, ",");
		char name[32];
		int k = -1;

		if (n > 0 && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (!strcmp(name, "all"))
				k = RXG_KIND_MAX;
			else
				k = rxg_kind_from_name(name);
		}
		if (k <= RXG_GOOD) {
			*bad = p;
			*bad_len = n;
			return -1;
		}
		m |= k == RXG_KIND_MAX ? RXG_MAL_ALL : 1u << k;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*mask = m;
	return 0;
}

/* --- byte order ---------------------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* --- checksums ---------------------------------------------------------------------- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int b = 0; b < 8; b++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* CRC-32 (IEEE, reflected; same values as zlib's crc32()). Start with crc = 0. */
uint32_t rxg_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	if (!crc_table[1])
		crc_init();
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Add @len bytes to a ones'-complement sum of big-endian 16-bit words (odd tail padded). */
uint32_t rxg_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;

	while (len >= 2) {
		s += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/* Fold a sum to 16 bits and complement it: the value that goes into a header. */
uint16_t rxg_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The checksum of a 20-byte IPv4 header, computed as if its checksum field were zero. */
uint16_t rxg_ip_csum(const uint8_t *iph)
{
	uint32_t sum = rxg_csum_add(0, iph, 10);

	sum = rxg_csum_add(sum, iph + 12, RXG_IP_HLEN - 12);
	return rxg_csum_fold(sum);
}

/*
 * The UDP checksum over the pseudo-header (with @udp_len_field as its length) and the @len
 * bytes at @udp, whose checksum field is taken as zero. A result of 0 is sent as 0xffff.
 */
uint16_t rxg_udp_csum(uint32_t saddr, uint32_t daddr, const uint8_t *udp, size_t len,
		      uint16_t udp_len_field)
{
	uint8_t ph[12];
	uint32_t sum;
	uint16_t c;

	put32(ph, saddr);
	put32(ph + 4, daddr);
	ph[8] = 0;
	ph[9] = 17;
	put16(ph + 10, udp_len_field);
	sum = rxg_csum_add(0, ph, sizeof(ph));
	sum = rxg_csum_add(sum, udp, 6);
	if (len > 8)
		sum = rxg_csum_add(sum, udp + 8, len - 8);
	c = rxg_csum_fold(sum);
	return c ? c : 0xffff;
}

/* --- payload ------------------------------------------------------------------------ */

/* Write a valid payload of @len bytes (len >= RXG_HDR_LEN) at @p. */
void rxg_payload_fill(uint8_t *p, uint32_t len, uint32_t flow, uint64_t seq)
{
	put32(p, RXG_MAGIC);
	put32(p + 4, flow);
	put32(p + 8, (uint32_t)(seq >> 32));
	put32(p + 12, (uint32_t)seq);
	put32(p + 16, len);
	put32(p + 20, 0);
	for (uint32_t i = RXG_HDR_LEN; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seq);
	put32(p + 20, rxg_crc32(0, p, len));
}

/* Check the payload of a received datagram; fill @info (may be NULL) when the header is there. */
enum rxg_pl_status rxg_payload_check(const uint8_t *p, size_t len, struct rxg_pl_info *info)
{
	static const uint8_t zero[4];
	uint32_t crc, want;

	if (len < RXG_HDR_LEN)
		return RXG_PL_SHORT;
	if (info) {
		info->flow = get32(p + 4);
		info->seq = (uint64_t)get32(p + 8) << 32 | get32(p + 12);
		info->len = get32(p + 16);
	}
	if (get32(p) != RXG_MAGIC)
		return RXG_PL_BAD_MAGIC;
	if (get32(p + 16) != len)
		return RXG_PL_BAD_LEN;
	want = get32(p + 20);
	crc = rxg_crc32(0, p, 20);
	crc = rxg_crc32(crc, zero, 4);
	crc = rxg_crc32(crc, p + RXG_HDR_LEN, len - RXG_HDR_LEN);
	return crc == want ? RXG_PL_OK : RXG_PL_BAD_CSUM;
}

const char *rxg_pl_status_name(enum rxg_pl_status st)
{
	switch (st) {
	case RXG_PL_OK: return "ok";
	case RXG_PL_SHORT: return "short";
	case RXG_PL_BAD_MAGIC: return "bad_magic";
	case RXG_PL_BAD_LEN: return "bad_len";
	case RXG_PL_BAD_CSUM: return "bad_csum";
	}
	return "unknown";
}

/* --- frames ------------------------------------------------------------------------- */

/* Ethernet header (with an 802.1Q tag if @vlan >= 0); returns its length. */
static size_t put_eth(uint8_t *f, const struct rxg_frame_cfg *cfg, uint16_t ethertype,
		      int vlan)
{
	size_t off = 12;

	memcpy(f, cfg->dst_mac, 6);
	memcpy(f + 6, cfg->src_mac, 6);
	if (vlan >= 0) {
		put16(f + off, 0x8100);
		put16(f + off + 2, (uint16_t)(vlan & 0x0fff));
		off += 4;
	}
	put16(f + off, ethertype);
	return off + 2;
}

/* IPv4 header with a correct checksum. */
static void put_ip(uint8_t *ip, uint16_t tot_len, uint16_t id, uint16_t frag_off,
		   uint32_t saddr, uint32_t daddr)
{
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, tot_len);
	put16(ip + 4, id);
	put16(ip + 6, frag_off);
	ip[8] = 64;
	ip[9] = 17;
	put16(ip + 10, 0);
	put32(ip + 12, saddr);
	put32(ip + 16, daddr);
	put16(ip + 10, rxg_ip_csum(ip));
}

/*
 * Build one Ethernet/IPv4/UDP frame at @f with a UDP payload of @plen bytes, correct
 * lengths and checksums. A payload of at least RXG_HDR_LEN bytes is a valid test payload
 * for (@pflow, @seq); a shorter one is filler. Returns the frame length.
 */
static size_t put_frame(uint8_t *f, const struct rxg_frame_cfg *cfg, int vlan,
			uint32_t saddr, uint16_t sport, uint32_t plen, uint32_t pflow,
			uint64_t seq)
{
	size_t l2 = put_eth(f, cfg, 0x0800, vlan);
	uint8_t *ip = f + l2, *udp = ip + RXG_IP_HLEN, *pl = udp + RXG_UDP_HLEN;
	uint16_t ulen = (uint16_t)(RXG_UDP_HLEN + plen);

	if (plen >= RXG_HDR_LEN) {
		rxg_payload_fill(pl, plen, pflow, seq);
	} else {
		for (uint32_t i = 0; i < plen; i++)
			pl[i] = (uint8_t)(i * 7 + seq);
	}
	put_ip(ip, (uint16_t)(RXG_IP_HLEN + ulen), (uint16_t)seq, 0x4000, saddr,
	       cfg->dst_ip);
	put16(udp, sport);
	put16(udp + 2, cfg->dst_port);
	put16(udp + 4, ulen);
	put16(udp + 6, rxg_udp_csum(saddr, cfg->dst_ip, udp, ulen, ulen));
	return l2 + RXG_IP_HLEN + ulen;
}

/* Change a 16-bit checksum so that it is certainly wrong, and never zero. */
static uint16_t spoil_csum(uint16_t c)
{
	uint16_t bad = c ^ 0x1111;

	return bad ? bad : 0x2222;
}

/* Split the good frame at @f (length @len, untagged) into two fragments; frame 2 at @f2. */
static void split_frag(uint8_t *f, size_t len, uint8_t *f2, struct rxg_unit *unit)
{
	uint8_t *ip = f + RXG_ETH_HLEN, *ip2 = f2 + RXG_ETH_HLEN;
	size_t udp_total = len - RXG_ETH_HLEN - RXG_IP_HLEN;
	size_t first = (udp_total / 2) & ~(size_t)7;
	size_t second = udp_total - first;
	uint32_t saddr = get32(ip + 12), daddr = get32(ip + 16);
	uint16_t id = get16(ip + 4);
	size_t l1 = RXG_ETH_HLEN + RXG_IP_HLEN + first;
	size_t l2 = RXG_ETH_HLEN + RXG_IP_HLEN + second;

	memcpy(f2, f, RXG_ETH_HLEN);
	memcpy(ip2 + RXG_IP_HLEN, ip + RXG_IP_HLEN + first, second);
	put_ip(ip, (uint16_t)(RXG_IP_HLEN + first), id, 0x2000, saddr, daddr);
	put_ip(ip2, (uint16_t)(RXG_IP_HLEN + second), id, (uint16_t)(first / 8), saddr,
	       daddr);
	/* Pad to the Ethernet minimum; the IP total length says where the data ends. */
	for (; l1 < RXG_ETH_ZLEN; l1++)
		f[l1] = 0;
	for (; l2 < RXG_ETH_ZLEN; l2++)
		f2[l2] = 0;
	unit->nframes = 2;
	unit->frame[1].iov_base = f2;
	unit->frame[1].iov_len = l2;
	unit->frame[0].iov_len = l1;
}

/**
 * rxg_build_unit - build one unit (one frame, two for RXG_FRAG) of @kind into @buf
 * @cfg: addresses, ports, sizes
 * @kind: RXG_GOOD or a malformed kind
 * @flow: flow index (0..flows-1): selects the source address src_ip + flow; good frames
 *	also use source port src_port + flow and carry @flow in the payload. Malformed kinds
 *	use source port RXG_MAL_PORT_BASE + kind and payload flow RXG_FLOW_MAL(kind).
 * @seq: sequence number, counted per flow (good) or per kind (malformed); its low 16 bits
 *	are the IPv4 id
 * @buf: buffer of @bufsz bytes, at least 2 * RXG_FRAME_MAX
 * @unit: receives the frames' addresses and lengths, which point into @buf
 *
 * Return: 0, or -EINVAL if the configuration or the buffer does not fit.
 */
int rxg_build_unit(const struct rxg_frame_cfg *cfg, enum rxg_kind kind, uint32_t flow,
		   uint64_t seq, uint8_t *buf, size_t bufsz, struct rxg_unit *unit)
{
	uint32_t saddr = cfg->src_ip + flow;
	uint16_t mport = (uint16_t)(RXG_MAL_PORT_BASE + kind);
	uint32_t mflow = RXG_FLOW_MAL(kind), plen = cfg->payload_len;
	uint8_t *ip = buf + RXG_ETH_HLEN, *udp = ip + RXG_IP_HLEN;
	size_t len;

	if (bufsz < 2 * RXG_FRAME_MAX || plen < RXG_HDR_LEN || plen > RXG_PAYLOAD_MAX ||
	    cfg->oversize_len < RXG_HDRS_LEN + RXG_HDR_LEN ||
	    cfg->oversize_len > RXG_OVERSIZE_MAX || (unsigned int)kind >= RXG_KIND_MAX)
		return -EINVAL;
	unit->nframes = 1;
	unit->frame[0].iov_base = buf;

	switch (kind) {
	case RXG_GOOD:
		len = put_frame(buf, cfg, -1, saddr, (uint16_t)(cfg->src_port + flow), plen,
				flow, seq);
		break;
	case RXG_RUNT:
		len = put_frame(buf, cfg, -1, saddr, mport, RXG_RUNT_PAYLOAD, mflow, seq);
		break;
	case RXG_OVERSIZE:
		len = put_frame(buf, cfg, -1, saddr, mport, cfg->oversize_len - RXG_HDRS_LEN,
				mflow, seq);
		break;
	case RXG_BAD_IP_CSUM:
		len = put_frame(buf, cfg, -1, saddr, mport, plen, mflow, seq);
		put16(ip + 10, spoil_csum(get16(ip + 10)));
		break;
	case RXG_BAD_IP_LEN:
		len = put_frame(buf, cfg, -1, saddr, mport, plen, mflow, seq);
		put16(ip + 2, (uint16_t)(get16(ip + 2) + RXG_LEN_EXCESS));
		put16(ip + 10, 0);
		put16(ip + 10, rxg_ip_csum(ip));
		break;
	case RXG_TRUNC_UDP: {
		uint16_t claimed;

		len = put_frame(buf, cfg, -1, saddr, mport, plen, mflow, seq);
		claimed = (uint16_t)(get16(udp + 4) + RXG_LEN_EXCESS);
		put16(udp + 4, claimed);
		put16(udp + 6, rxg_udp_csum(saddr, cfg->dst_ip, udp,
					    RXG_UDP_HLEN + plen, claimed));
		break;
	}
	case RXG_BAD_UDP_CSUM:
		len = put_frame(buf, cfg, -1, saddr, mport, plen, mflow, seq);
		put16(udp + 6, spoil_csum(get16(udp + 6)));
		break;
	case RXG_FRAG:
		len = put_frame(buf, cfg, -1, saddr, mport, plen, mflow, seq);
		unit->frame[0].iov_len = len;
		split_frag(buf, len, buf + RXG_FRAME_MAX, unit);
		return 0;
	case RXG_VLAN:
		len = put_frame(buf, cfg, cfg->vlan_id, saddr, mport, plen, mflow, seq);
		break;
	case RXG_NON_IP:
		len = put_frame(buf, cfg, -1, saddr, mport, plen, mflow, seq);
		put16(buf + 12, RXG_NON_IP_ETHERTYPE);
		break;
	default:
		return -EINVAL;
	}
	unit->frame[0].iov_len = len;
	return 0;
}

/* --- sequence accounting -------------------------------------------------------------- */

static bool seq_seen(const struct rxg_seq_flow *f, uint64_t seq)
{
	uint64_t b = seq % RXG_SEQ_WINDOW;

	return f->seen[b / 64] >> (b % 64) & 1;
}

static void seq_mark(struct rxg_seq_flow *f, uint64_t seq, bool on)
{
	uint64_t b = seq % RXG_SEQ_WINDOW, m = 1ull << (b % 64);

	if (on)
		f->seen[b / 64] |= m;
	else
		f->seen[b / 64] &= ~m;
}

/**
 * rxg_seq_account - account one datagram's sequence number in its flow
 * @f: the flow's state, zeroed before its first datagram
 * @seq: the datagram's sequence number
 * @c: the counters to update
 *
 * Each bit of the window tells whether the most recent sequence number below f->next
 * that maps to it was seen. Moving f->next forward clears the bits it passes over, since
 * those numbers are now gaps.
 */
void rxg_seq_account(struct rxg_seq_flow *f, uint64_t seq, struct rxg_seq_count *c)
{
	if (!f->started || seq >= f->next) {
		uint64_t from = f->started ? f->next : 0;

		c->lost += seq - from;
		if (seq - from >= RXG_SEQ_WINDOW)
			memset(f->seen, 0, sizeof(f->seen));
		else
			for (uint64_t s = from; s < seq; s++)
				seq_mark(f, s, false);
		seq_mark(f, seq, true);
		f->next = seq + 1;
		f->started = true;
		return;
	}
	if (f->next - seq > RXG_SEQ_WINDOW) {
		c->late++;
	} else if (seq_seen(f, seq)) {
		c->dup++;
	} else {
		seq_mark(f, seq, true);
		c->reordered++;
		c->lost--;
	}
}

/* --- value parsers ------------------------------------------------------------------- */

/* "aa:bb:cc:dd:ee:ff" (or with '-'): exactly six two-digit hex bytes. */
int rxg_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		char hex[3] = { p[0], p[1], 0 };

		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
			return -1;
		if (i < 5 && p[2] != ':' && p[2] != '-')
			return -1;
		m[i] = (uint8_t)strtoul(hex, NULL, 16);
	}
	memcpy(mac, m, 6);
	return 0;
}

/* Dotted-quad IPv4 address into host byte order. */
int rxg_parse_ipv4(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

/* A decimal count with an optional k (1000) or M (1000000) suffix, at most @max. */
int rxg_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		mult = 1000, end++;
	else if (*end == 'M')
		mult = 1000000, end++;
	if (*end != '\0' || v > max / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* Packets per second: "max" or 0 (as fast as possible, *pps = 0), or a positive number
 * with an optional k/M suffix. */
int rxg_parse_rate(const char *s, double *pps)
{
	double v, mult = 1;
	char *end;

	if (!strcmp(s, "max")) {
		*pps = 0;
		return 0;
	}
	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (*end == 'k' || *end == 'K')
		mult = 1e3, end++;
	else if (*end == 'M')
		mult = 1e6, end++;
	v *= mult;
	if (*end != '\0' || !isfinite(v) || v < 0 || v > 1e9)
		return -1;
	*pps = v;
	return 0;
}

/* A positive number of seconds (fractions allowed), at most one day. */
int rxg_parse_seconds(const char *s, double *sec)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end != '\0' || !isfinite(v) || v <= 0 || v > 86400)
		return -1;
	*sec = v;
	return 0;
}

/* "A.B.C.D:PORT" or "localhost:PORT", port 1..65535. */
int rxg_parse_hostport(const char *s, uint32_t *ip, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	uint64_t p;
	size_t n;

	if (!colon || colon == s)
		return -1;
	n = (size_t)(colon - s);
	if (n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (rxg_parse_u64(colon + 1, 65535, &p) || p == 0 || strpbrk(colon + 1, "kKM"))
		return -1;
	if (!strcmp(host, "localhost"))
		*ip = 0x7f000001;
	else if (rxg_parse_ipv4(host, ip))
		return -1;
	*port = (uint16_t)p;
	return 0;
}

void rxg_format_mac(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

void rxg_format_ipv4(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
		 ip & 0xff);
}
