/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frame.h - the frames rxgen crafts and rxsink checks: Ethernet/IPv4/UDP building, the
 * malformed kinds, the test payload format, checksums, and the parsers for the values
 * (MAC, IPv4, counts, rates) that both tools take on their command lines.
 *
 * Payload format (the UDP payload of every frame rxgen sends; all fields big endian):
 *
 *	offset  size  field
 *	     0     4  magic    RXG_MAGIC, "RXG1"
 *	     4     4  flow     flow id: 0..flows-1 for good frames, RXG_FLOW_MAL(kind) for
 *	                       the malformed kinds that still carry a payload
 *	     8     8  seq      sequence number, counted per flow from 0
 *	    16     4  len      the whole UDP payload length, this header included
 *	    20     4  csum     CRC-32 (IEEE 802.3, reflected, as in zlib) over all len bytes
 *	                       of the payload, computed with this field set to zero
 *	    24   ...  filler   byte i of the payload (i >= 24) is (i * 7 + seq) & 0xff
 *
 * A payload is valid when it is at least RXG_HDR_LEN bytes, the magic matches, len equals
 * the received length, and the CRC matches. The CRC catches corruption anywhere, so even
 * an 8000-byte payload split over several receive buffers is verified whole.
 */
#ifndef RXS_FRAME_H
#define RXS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define RXG_MAGIC		0x52584731u	/* "RXG1" */
#define RXG_HDR_LEN		24		/* payload header size */
#define RXG_ETH_HLEN		14
#define RXG_VLAN_HLEN		4
#define RXG_IP_HLEN		20
#define RXG_UDP_HLEN		8
#define RXG_HDRS_LEN		(RXG_ETH_HLEN + RXG_IP_HLEN + RXG_UDP_HLEN)	/* 42 */
#define RXG_ETH_ZLEN		60		/* minimum frame without FCS */
#define RXG_PAYLOAD_MAX		(9000 - RXG_IP_HLEN - RXG_UDP_HLEN)	/* 8972: MTU 9000 */
#define RXG_OVERSIZE_DEF	1600		/* oversize frame length, default */
#define RXG_OVERSIZE_MAX	16000		/* largest oversize frame we build */
#define RXG_FRAME_MAX		16384		/* buffer size for one frame */
#define RXG_RUNT_PAYLOAD	6		/* runt: 42 + 6 = 48 bytes, below 60 */
#define RXG_LEN_EXCESS		64		/* bad-ip-len/trunc-udp: bytes claimed, absent */
#define RXG_NON_IP_ETHERTYPE	0x88b5		/* IEEE 802 local experimental */
#define RXG_VLAN_DEF		100		/* default VLAN id of the vlan kind */
#define RXG_FLOWS_MAX		4096
#define RXG_MAL_PORT_BASE	61000		/* malformed frames: source port 61000 + kind */
#define RXG_FLOW_MAL_BASE	0xffffff00u
#define RXG_FLOW_MAL(kind)	(RXG_FLOW_MAL_BASE | (uint32_t)(kind))

/* The kinds of frame rxgen can send. RXG_GOOD is a well-formed frame. */
enum rxg_kind {
	RXG_GOOD = 0,
	RXG_RUNT,		/* 48-byte frame, below the 60-byte Ethernet minimum */
	RXG_OVERSIZE,		/* frame longer than 1518 (oversize_len, default 1600) */
	RXG_BAD_IP_CSUM,	/* IPv4 header checksum wrong */
	RXG_BAD_IP_LEN,		/* IPv4 total length claims 64 bytes more than present */
	RXG_TRUNC_UDP,		/* UDP length claims 64 bytes more than present */
	RXG_BAD_UDP_CSUM,	/* UDP checksum wrong (and not zero) */
	RXG_FRAG,		/* one datagram as two IPv4 fragments (two frames) */
	RXG_VLAN,		/* 802.1Q-tagged frame (VLAN id vlan_id) */
	RXG_NON_IP,		/* EtherType 0x88b5 instead of IPv4 */
	RXG_KIND_MAX,
};

#define RXG_MAL_ALL	(((1u << RXG_KIND_MAX) - 1) & ~1u)	/* every malformed kind */

/* What every frame is built from. Addresses and ports are in host byte order. */
struct rxg_frame_cfg {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint32_t src_ip;	/* base: flow f uses src_ip + f */
	uint32_t dst_ip;
	uint16_t src_port;	/* base: flow f uses src_port + f */
	uint16_t dst_port;
	uint32_t payload_len;	/* UDP payload of good frames, RXG_HDR_LEN..RXG_PAYLOAD_MAX */
	uint32_t oversize_len;	/* whole frame length of the oversize kind */
	uint32_t flows;		/* 1..RXG_FLOWS_MAX */
	uint16_t vlan_id;	/* 0..4095 */
};

/* Where a built unit lives: one frame, or two for RXG_FRAG. */
struct rxg_unit {
	int nframes;
	struct iovec frame[2];
};

/* Result of checking a received payload. */
enum rxg_pl_status {
	RXG_PL_OK = 0,
	RXG_PL_SHORT,		/* shorter than the header */
	RXG_PL_BAD_MAGIC,
	RXG_PL_BAD_LEN,		/* len field differs from the received length */
	RXG_PL_BAD_CSUM,
};

struct rxg_pl_info {
	uint32_t flow;
	uint64_t seq;
	uint32_t len;
};

/*
 * Per-flow sequence accounting (rxsink). A gap counts as lost until the missing datagram
 * turns up within RXG_SEQ_WINDOW of the flow's highest sequence number: then it counts as
 * reordered instead. A sequence number already seen in that window is a duplicate. One
 * further behind cannot be told apart and counts as late.
 */
#define RXG_SEQ_WINDOW		4096

struct rxg_seq_flow {
	bool started;
	uint64_t next;				/* highest sequence seen + 1 */
	uint64_t seen[RXG_SEQ_WINDOW / 64];	/* bit (seq % RXG_SEQ_WINDOW) */
};

struct rxg_seq_count {
	uint64_t lost;
	uint64_t dup;
	uint64_t reordered;
	uint64_t late;
};

void rxg_seq_account(struct rxg_seq_flow *f, uint64_t seq, struct rxg_seq_count *c);

void rxg_frame_cfg_default(struct rxg_frame_cfg *cfg);
const char *rxg_kind_name(enum rxg_kind kind);
int rxg_kind_from_name(const char *name);
int rxg_kind_parse_list(const char *list, unsigned int *mask, const char **bad,
			size_t *bad_len);
int rxg_kind_frames(enum rxg_kind kind);

int rxg_build_unit(const struct rxg_frame_cfg *cfg, enum rxg_kind kind, uint32_t flow,
		   uint64_t seq, uint8_t *buf, size_t bufsz, struct rxg_unit *unit);

void rxg_payload_fill(uint8_t *p, uint32_t len, uint32_t flow, uint64_t seq);
enum rxg_pl_status rxg_payload_check(const uint8_t *p, size_t len,
				     struct rxg_pl_info *info);
const char *rxg_pl_status_name(enum rxg_pl_status st);

uint32_t rxg_crc32(uint32_t crc, const void *data, size_t len);
uint32_t rxg_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t rxg_csum_fold(uint32_t sum);
uint16_t rxg_ip_csum(const uint8_t *iph);
uint16_t rxg_udp_csum(uint32_t saddr, uint32_t daddr, const uint8_t *udp, size_t len,
		      uint16_t udp_len_field);

int rxg_parse_mac(const char *s, uint8_t mac[6]);
int rxg_parse_ipv4(const char *s, uint32_t *ip);
int rxg_parse_u64(const char *s, uint64_t max, uint64_t *out);
int rxg_parse_rate(const char *s, double *pps);
int rxg_parse_seconds(const char *s, double *sec);
int rxg_parse_hostport(const char *s, uint32_t *ip, uint16_t *port);
void rxg_format_mac(const uint8_t mac[6], char out[18]);
void rxg_format_ipv4(uint32_t ip, char out[16]);

#endif /* RXS_FRAME_H */
