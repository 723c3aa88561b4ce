// SPDX-License-Identifier: GPL-2.0
/*
 * rxgen.c - main of build/rxgen, the host-side traffic generator: option parsing, the
 * send schedule (which kind and flow each unit is, paced against an absolute clock), the
 * two transports (QEMU socket/dgram netdev over UDP, or a real interface via AF_PACKET),
 * and the per-kind report and summary file. The frames themselves come from frame.c.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <math.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "clock.h"
#include "frame.h"
#include "help.h"

#define BATCH_MAX	256

/* Exit statuses (docs/rxgen.md, "Exit status"). */
#define RXGEN_EXIT_OK		0	/* everything was sent */
#define RXGEN_EXIT_FAIL		1	/* a send, the transport or the summary file failed */
#define RXGEN_EXIT_USAGE	2	/* bad input */
#define RXGEN_EXIT_PRIV		3	/* no privilege for AF_PACKET */

struct opts {
	struct rxg_frame_cfg fc;
	uint64_t count;		/* units; UINT64_MAX = until --duration or a signal */
	double rate;		/* units per second; 0 = as fast as possible */
	double duration;	/* seconds; 0 = no limit */
	unsigned int mal_mask;
	uint64_t good;
	bool good_set;
	double good_ratio;
	bool ratio_set;
	const char *iface;
	const char *qemu;
	const char *qemu_local;
	const char *summary;
	unsigned int batch;
	bool quiet;
	bool count_set;
	bool dst_mac_set;	/* --dst-mac given */
	bool dst_mac_neigh;	/* taken from the neighbour table */
};

/* Per kind: units built, frames the transport accepted, bytes, frames it rejected. */
struct kind_stats {
	uint64_t units;
	uint64_t frames;
	uint64_t bytes;
	uint64_t errors;
};

struct sender {
	int fd;
	bool packet;		/* AF_PACKET: needs an address per message */
	int ifindex;
	char target[128];
};

static volatile sig_atomic_t stop_flag;
/* why the run failed, for the last line of the report */
static char fail_reason[256];

const char *argp_program_version = "rxgen (rxscope)";
static const char doc[] =
"Craft Ethernet/IPv4/UDP test frames and send them into a QEMU guest NIC\n"
"(socket/dgram netdev) or onto a real interface (AF_PACKET).\v"
"USAGE: rxgen (--qemu HOST:PORT | --iface IF (--dst-mac MAC | --dst-ip IP))\n"
"             [--count N] [--rate PPS|max] [options]\n"
"With --iface, the destination MAC is --dst-mac, or --dst-ip's entry in the\n"
"neighbour table (ping it once); the default MAC is the QEMU guest NIC's, for\n"
"--qemu only.\n"
"Malformed kinds: runt oversize bad-ip-csum bad-ip-len trunc-udp\n"
"bad-udp-csum frag vlan non-ip (or all).\n"
"Exit status: 0 all sent, 1 send errors, 2 bad input, 3 no privilege.\n"
"\n"
"EXAMPLES:\n"
"  rxgen --qemu 127.0.0.1:10001 --count 10000 --rate 5000\n"
"  rxgen --qemu 127.0.0.1:10001 --duration 10 --rate max --flows 8\n"
"  rxgen --iface veth0 --dst-mac 02:00:00:00:00:02 --count 90 \\\n"
"        --malformed all --good 9\n"

"  rxgen --iface eth1 --src-ip 192.0.2.1 --dst-ip 192.0.2.2 --count 1000\n"
"  rxgen --qemu 127.0.0.1:10001 --count 100 --size 8000 --summary sent.txt\n";

enum {
	OPT_DST_MAC = 1000, OPT_SRC_MAC, OPT_DST_IP, OPT_SRC_IP, OPT_DST_PORT, OPT_SRC_PORT,
	OPT_GOOD, OPT_GOOD_RATIO, OPT_OVERSIZE, OPT_VLAN, OPT_BATCH, OPT_SUMMARY,
	OPT_QEMU_LOCAL,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Where to send:", 1 },
	{ "qemu", 'Q', "HOST:PORT", 0, "QEMU socket/dgram netdev address: each UDP datagram "
	  "is one frame for the guest NIC" , 1 },
	{ "qemu-local", OPT_QEMU_LOCAL, "HOST:PORT", 0, "bind the sending socket to this "
	  "address (for a netdev that expects a fixed peer)", 1 },
	{ "iface", 'I', "IF", 0, "send on this interface through AF_PACKET (root)", 1 },
	{ NULL, 0, NULL, 0, "How much and how fast:", 2 },
	{ "count", 'c', "N", 0, "units to send (k/M suffix ok); default: until --duration "
	  "or Ctrl-C. A frag unit is two frames", 2 },
	{ "rate", 'r', "PPS", 0, "units per second, or max (or 0) for as fast as "
	  "possible; default 1000", 2 },
	{ "duration", 'd', "SEC", 0, "stop after SEC seconds", 2 },
	{ "batch", OPT_BATCH, "N", 0, "units per sendmmsg call, 1..256 (default 32)", 2 },
	{ NULL, 0, NULL, 0, "The frames:", 3 },
	{ "size", 's', "BYTES", 0, "UDP payload of good frames, 24..8972 (default 64)", 3 },
	{ "flows", 'f', "N", 0, "flows 1..4096: flow f comes from src-ip + f, src-port + f "
	  "(default 1)", 3 },
	{ "dst-mac", OPT_DST_MAC, "MAC", 0, "--qemu: default 52:54:00:12:34:56 (the guest "
	  "NIC); --iface: required unless --dst-ip is in the neighbour table", 3 },
	{ "src-mac", OPT_SRC_MAC, "MAC", 0, "default 02:00:00:00:00:01", 3 },
	{ "dst-ip", OPT_DST_IP, "IP", 0, "default 198.18.0.2", 3 },
	{ "src-ip", OPT_SRC_IP, "IP", 0, "base source address, default 198.18.1.1", 3 },
	{ "dst-port", OPT_DST_PORT, "PORT", 0, "default 9000", 3 },
	{ "src-port", OPT_SRC_PORT, "PORT", 0, "base source port, default 10000", 3 },
	{ NULL, 0, NULL, 0, "Malformed frames:", 4 },
	{ "malformed", 'm', "KINDS", 0, "comma list of kinds, or all; sent round-robin", 4 },
	{ "good", OPT_GOOD, "N", 0, "of the --count units, N are good frames, spread "
	  "evenly among the malformed ones", 4 },
	{ "good-ratio", OPT_GOOD_RATIO, "F", 0, "fraction 0..1 of units that are good "
	  "(default 0 with --malformed)", 4 },
	{ "oversize", OPT_OVERSIZE, "BYTES", 0, "frame length of the oversize kind, "
	  "66..16000 (default 1600)", 4 },
	{ "vlan", OPT_VLAN, "ID", 0, "VLAN id of the vlan kind (default 100)", 4 },
	{ NULL, 0, NULL, 0, "Output:", 5 },
	{ "quiet", 'q', NULL, 0, "print nothing but errors", 5 },
	{ "summary", OPT_SUMMARY, "FILE", 0, "write key=value results to FILE (atomically)",
	  5 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static void bad_value(struct argp_state *state, const char *opt, const char *val,
		      const char *want)
{
	argp_failure(state, RXGEN_EXIT_USAGE, 0, "invalid %s '%s': %s", opt, val, want);
}

static uint64_t parse_count_arg(struct argp_state *state, const char *opt, const char *arg,
				uint64_t min, uint64_t max)
{
	uint64_t v;

	if (rxg_parse_u64(arg, max, &v) || v < min) {
		char want[80];

		snprintf(want, sizeof(want), "want an integer %llu..%llu",
			 (unsigned long long)min, (unsigned long long)max);
		bad_value(state, opt, arg, want);
	}
	return v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;
	struct rxg_frame_cfg *fc = &o->fc;
	const char *bad;
	size_t bad_len;

	switch (key) {
	case 'Q':
		o->qemu = arg;
		break;
	case OPT_QEMU_LOCAL:
		o->qemu_local = arg;
		break;
	case 'I':
		o->iface = arg;
		break;
	case 'c':
		o->count = parse_count_arg(state, "--count", arg, 1, UINT64_MAX / 2);
		o->count_set = true;
		break;
	case 'r':
		if (rxg_parse_rate(arg, &o->rate))
			bad_value(state, "--rate", arg,
				  "want packets per second (k/M suffix ok) or max");
		break;
	case 'd':
		if (rxg_parse_seconds(arg, &o->duration))
			bad_value(state, "--duration", arg, "want seconds, > 0");
		break;
	case OPT_BATCH:
		o->batch = (unsigned int)parse_count_arg(state, "--batch", arg, 1, BATCH_MAX);
		break;
	case 's':
		fc->payload_len = (uint32_t)parse_count_arg(state, "--size", arg, RXG_HDR_LEN,
							    RXG_PAYLOAD_MAX);
		break;
	case 'f':
		fc->flows = (uint32_t)parse_count_arg(state, "--flows", arg, 1, RXG_FLOWS_MAX);
		break;
	case OPT_DST_MAC:
	case OPT_SRC_MAC:
		if (rxg_parse_mac(arg, key == OPT_DST_MAC ? fc->dst_mac : fc->src_mac))
			bad_value(state, key == OPT_DST_MAC ? "--dst-mac" : "--src-mac", arg,
				  "want a MAC address like 52:54:00:12:34:56");
		if (key == OPT_DST_MAC)
			o->dst_mac_set = true;
		break;
	case OPT_DST_IP:
	case OPT_SRC_IP:
		if (rxg_parse_ipv4(arg, key == OPT_DST_IP ? &fc->dst_ip : &fc->src_ip))
			bad_value(state, key == OPT_DST_IP ? "--dst-ip" : "--src-ip", arg,
				  "want a dotted IPv4 address like 198.18.0.2");
		break;
	case OPT_DST_PORT:
		fc->dst_port = (uint16_t)parse_count_arg(state, "--dst-port", arg, 1, 65535);
		break;
	case OPT_SRC_PORT:
		fc->src_port = (uint16_t)parse_count_arg(state, "--src-port", arg, 1, 65535);
		break;
	case 'm':
		if (rxg_kind_parse_list(arg, &o->mal_mask, &bad, &bad_len))
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "invalid --malformed '%s': unknown kind '%.*s' (kinds: runt "
				     "oversize bad-ip-csum bad-ip-len trunc-udp bad-udp-csum frag "
				     "vlan non-ip, or all)", arg, (int)bad_len, bad);
		break;
	case OPT_GOOD:
		o->good = parse_count_arg(state, "--good", arg, 0, UINT64_MAX / 2);
		o->good_set = true;
		break;
	case OPT_GOOD_RATIO: {
		char *end;

		errno = 0;
		o->good_ratio = strtod(arg, &end);
		if (errno || end == arg || *end || !(o->good_ratio >= 0 && o->good_ratio <= 1))
			bad_value(state, "--good-ratio", arg, "want a fraction 0..1");
		o->ratio_set = true;
		break;
	}
	case OPT_OVERSIZE:
		fc->oversize_len = (uint32_t)parse_count_arg(state, "--oversize", arg,
							     RXG_HDRS_LEN + RXG_HDR_LEN,
							     RXG_OVERSIZE_MAX);
		break;
	case OPT_VLAN:
		fc->vlan_id = (uint16_t)parse_count_arg(state, "--vlan", arg, 0, 4095);
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_SUMMARY:
		o->summary = arg;
		break;
	case ARGP_KEY_ARG:
		argp_failure(state, RXGEN_EXIT_USAGE, 0, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!!o->qemu == !!o->iface)
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "give exactly one of --qemu HOST:PORT and --iface IF");
		if ((o->good_set || o->ratio_set) && !o->mal_mask)
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "--good and --good-ratio need --malformed");
		if (o->good_set && o->ratio_set)
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "give only one of --good and --good-ratio");
		if (o->good_set && !o->count_set)
			argp_failure(state, RXGEN_EXIT_USAGE, 0, "--good N needs --count");
		if (o->good_set && o->good > o->count)
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "invalid --good '%llu': more than --count '%llu'",
				     (unsigned long long)o->good,
				     (unsigned long long)o->count);
		if ((uint32_t)fc->src_port + fc->flows - 1 >= RXG_MAL_PORT_BASE)
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "invalid --src-port '%u': with %u flows it reaches the "
				     "malformed ports (%u and up)", fc->src_port, fc->flows,
				     RXG_MAL_PORT_BASE);
		if ((uint64_t)fc->src_ip + fc->flows - 1 > 0xffffffffu)
			argp_failure(state, RXGEN_EXIT_USAGE, 0,
				     "invalid --src-ip: %u flows run past 255.255.255.255",
				     fc->flows);
		break;
	default:
		if (rxs_help_key(key, state, doc, argp_program_version))
			break;
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR &&
	       !stop_flag)
		;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* A UDP socket connected to QEMU's netdev. Returns 0 or an exit status. */
static int open_qemu(const struct opts *o, struct sender *s)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint32_t ip;
	uint16_t port;
	int sndbuf = 4 << 20;

	if (rxg_parse_hostport(o->qemu, &ip, &port)) {
		fprintf(stderr, "rxgen: invalid --qemu '%s': want HOST:PORT, e.g. "
			"127.0.0.1:10001\n", o->qemu);
		return RXGEN_EXIT_USAGE;
	}
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		fprintf(stderr, "rxgen: failed to open UDP socket: %s\n", strerror(errno));
		return RXGEN_EXIT_FAIL;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (o->qemu_local) {
		struct sockaddr_in lin = { .sin_family = AF_INET };
		uint32_t lip;
		uint16_t lport;

		if (rxg_parse_hostport(o->qemu_local, &lip, &lport)) {
			fprintf(stderr, "rxgen: invalid --qemu-local '%s': want "
				"HOST:PORT\n", o->qemu_local);
			return RXGEN_EXIT_USAGE;
		}
		lin.sin_addr.s_addr = htonl(lip);
		lin.sin_port = htons(lport);
		if (bind(s->fd, (struct sockaddr *)&lin, sizeof(lin))) {
			fprintf(stderr, "rxgen: failed to bind UDP socket to %s: %s\n",
				o->qemu_local, strerror(errno));
			return RXGEN_EXIT_FAIL;
		}
	}
	sin.sin_addr.s_addr = htonl(ip);
	sin.sin_port = htons(port);
	if (connect(s->fd, (struct sockaddr *)&sin, sizeof(sin))) {
		fprintf(stderr, "rxgen: failed to connect UDP socket to %s: %s\n",
			o->qemu, strerror(errno));
		return RXGEN_EXIT_FAIL;
	}
	snprintf(s->target, sizeof(s->target), "qemu:%s", o->qemu);
	return RXGEN_EXIT_OK;
}

/* An AF_PACKET socket bound to --iface. Returns 0 or an exit status. */
static int open_packet(const struct opts *o, struct sender *s)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };

	if (strlen(o->iface) >= IFNAMSIZ || !(s->ifindex = (int)if_nametoindex(o->iface))) {
		fprintf(stderr, "rxgen: invalid --iface '%s': no such interface\n", o->iface);
		return RXGEN_EXIT_USAGE;
	}
	/* Protocol 0: the socket sends but never receives. */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		int err = errno;

		fprintf(stderr, "rxgen: failed to open AF_PACKET socket on %s: %s%s\n",
			o->iface, strerror(err),
			err == EPERM || err == EACCES ? " (needs root or CAP_NET_RAW)" : "");
		return err == EPERM || err == EACCES ? RXGEN_EXIT_PRIV : RXGEN_EXIT_FAIL;
	}
	sll.sll_ifindex = s->ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "rxgen: failed to bind AF_PACKET socket to %s: %s\n", o->iface,
			strerror(errno));
		return RXGEN_EXIT_FAIL;
	}
	s->packet = true;
	snprintf(s->target, sizeof(s->target), "iface:%s", o->iface);
	return RXGEN_EXIT_OK;
}

/* Open the transport. Returns 0, or an exit status (2 bad input, 3 privilege, 1 other). */
static int open_sender(const struct opts *o, struct sender *s)
{
	return o->qemu ? open_qemu(o, s) : open_packet(o, s);
}

/*
 * --iface without --dst-mac: the default MAC is the QEMU guest NIC's, which reaches nobody
 * on a real network. Take --dst-ip's complete entry of @o->iface from the neighbour table
 * (/proc/net/arp of this network namespace), or refuse. Returns 0 or RXGEN_EXIT_USAGE.
 */
static int resolve_dst_mac(struct opts *o)
{
	char want[16], line[256], ip[64], hw[64], dev[64];
	unsigned int type, flags;
	FILE *f;
	int found = 0;

	if (!o->iface || o->dst_mac_set)
		return RXGEN_EXIT_OK;
	rxg_format_ipv4(o->fc.dst_ip, want);
	f = fopen("/proc/net/arp", "r");
	if (f) {
		while (!found && fgets(line, sizeof(line), f)) {
			/* IP address, HW type, Flags, HW address, Mask, Device */
			if (sscanf(line, "%63s 0x%x 0x%x %63s %*s %63s", ip, &type, &flags, hw,
				   dev) != 5)
				continue;
			/* ATF_COM (0x2): the entry is complete */
			if (!strcmp(ip, want) && !strcmp(dev, o->iface) && (flags & 0x2) &&
			    !rxg_parse_mac(hw, o->fc.dst_mac))
				found = 1;
		}
		fclose(f);
	}
	if (found) {
		o->dst_mac_neigh = true;
		return RXGEN_EXIT_OK;
	}
	fprintf(stderr, "rxgen: --iface %s needs the destination MAC: give --dst-mac, or "
		"--dst-ip of a host in the neighbour table (%s is not in the neighbour table of "
		"%s; ping it once, or see 'ip neigh'). The default %s is the QEMU guest NIC's, "
		"for --qemu only.\n", o->iface, want, o->iface, "52:54:00:12:34:56");
	return RXGEN_EXIT_USAGE;
}

/* The schedule: is unit @i good? Spreads the good units evenly (Bresenham). */
static bool unit_is_good(const struct opts *o, uint64_t i)
{
	if (!o->mal_mask)
		return true;
	if (o->good_set) {
		/* floor((i+1)*G/N) > floor(i*G/N), in 128-bit arithmetic */
		unsigned __int128 g = o->good, n = o->count;

		return (i + 1) * g / n > i * g / n;
	}
	return floor((double)(i + 1) * o->good_ratio) > floor((double)i * o->good_ratio);
}

struct schedule {
	int kinds[RXG_KIND_MAX];
	int nkinds;
	uint64_t mal_next;		/* malformed units so far: picks the next kind */
	uint64_t good_next;		/* good units so far: picks flow and seq */
	uint64_t kind_seq[RXG_KIND_MAX];
};

static void next_unit(const struct opts *o, struct schedule *sc, uint64_t i,
		      enum rxg_kind *kind, uint32_t *flow, uint64_t *seq)
{
	if (unit_is_good(o, i)) {
		*kind = RXG_GOOD;
		*flow = (uint32_t)(sc->good_next % o->fc.flows);
		*seq = sc->good_next / o->fc.flows;
		sc->good_next++;
		return;
	}
	*kind = sc->kinds[sc->mal_next++ % sc->nkinds];
	*seq = sc->kind_seq[*kind]++;
	*flow = (uint32_t)(*seq % o->fc.flows);
}

static bool retryable(int err)
{
	return err == ENOBUFS || err == EAGAIN || err == EINTR;
}

/*
 * Send @n messages; a message that the transport rejects for its size (EMSGSIZE) is
 * counted against its unit's kind and skipped. Returns 0, or -errno on a fatal error.
 */
static int send_batch(struct sender *s, struct mmsghdr *msgs, const int *msg_kind,
		      unsigned int n, struct kind_stats *ks, unsigned int *failed_at)
{
	unsigned int done = 0;

	*failed_at = n;
	while (done < n) {
		int r = sendmmsg(s->fd, msgs + done, n - done, 0);

		if (r < 0) {
			int err = errno;

			if (retryable(err)) {
				if (stop_flag) {
					*failed_at = done;
					return -EINTR;
				}
				usleep(50);
				continue;
			}
			if (err == EMSGSIZE) {
				ks[msg_kind[done]].errors++;
				done++;
				continue;
			}
			*failed_at = done;
			return -err;
		}
		for (int k = 0; k < r; k++) {
			struct kind_stats *st = &ks[msg_kind[done + k]];

			st->frames++;
			st->bytes += msgs[done + k].msg_hdr.msg_iov->iov_len;
		}
		done += (unsigned int)r;
	}
	return 0;
}

/* Units that went out whole. Only single-frame units can be rejected (for their size). */
static uint64_t units_sent(const struct kind_stats *k)
{
	return k->units > k->errors ? k->units - k->errors : 0;
}

static void key_name(enum rxg_kind k, char *out, size_t n)
{
	snprintf(out, n, "%s", rxg_kind_name(k));
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

struct summary {
	const struct opts *o;
	const struct sender *s;
	const struct kind_stats *ks;
	double elapsed;
};

static int fill_summary(FILE *f, void *ctx)
{
	const struct summary *sm = ctx;
	const struct kind_stats *ks = sm->ks;
	struct kind_stats t = { 0 };
	double elapsed = sm->elapsed;
	char name[32];

	for (int k = 0; k < RXG_KIND_MAX; k++) {
		t.units += units_sent(&ks[k]);
		t.frames += ks[k].frames;
		t.bytes += ks[k].bytes;
		t.errors += ks[k].errors;
	}
	fprintf(f, "target=%s\nunits=%llu\nframes=%llu\nbytes=%llu\nerrors=%llu\n",
		sm->s->target, (unsigned long long)t.units, (unsigned long long)t.frames,
		(unsigned long long)t.bytes, (unsigned long long)t.errors);
	fprintf(f, "elapsed_s=%.6f\nrate_pps=%.1f\nrate_target=%.1f\nflows=%u\nsize=%u\n",
		elapsed, elapsed > 0 ? t.units / elapsed : 0.0, sm->o->rate, sm->o->fc.flows,
		sm->o->fc.payload_len);
	for (int k = 0; k < RXG_KIND_MAX; k++) {
		key_name(k, name, sizeof(name));
		fprintf(f, "sent_%s=%llu\nframes_%s=%llu\nerr_%s=%llu\n", name,
			(unsigned long long)units_sent(&ks[k]), name,
			(unsigned long long)ks[k].frames, name,
			(unsigned long long)ks[k].errors);
	}
	fprintf(f, "interrupted=%d\n", stop_flag ? 1 : 0);
	return ferror(f) ? -EIO : 0;
}

static int write_summary(const struct opts *o, const struct sender *s,
			 const struct kind_stats *ks, double elapsed)
{
	struct summary sm = { o, s, ks, elapsed };
	char err[512];

	if (rxs_write_atomic(o->summary, fill_summary, &sm, err, sizeof(err))) {
		fprintf(stderr, "rxgen: %s\n", err);
		return -1;
	}
	return 0;
}

static void print_report(const struct kind_stats *ks, double elapsed)
{
	struct kind_stats t = { 0 };

	printf("rxgen: %-13s %10s %10s %12s %8s\n", "kind", "sent", "frames", "bytes",
	       "errors");
	for (int k = 0; k < RXG_KIND_MAX; k++) {
		if (!ks[k].units && !ks[k].errors)
			continue;
		printf("rxgen: %-13s %10llu %10llu %12llu %8llu\n", rxg_kind_name(k),
		       (unsigned long long)units_sent(&ks[k]), (unsigned long long)ks[k].frames,
		       (unsigned long long)ks[k].bytes, (unsigned long long)ks[k].errors);
		t.units += units_sent(&ks[k]);
		t.frames += ks[k].frames;
		t.bytes += ks[k].bytes;
		t.errors += ks[k].errors;
	}
	printf("rxgen: sent %llu units (%llu frames, %llu bytes, %llu errors) in %.3f s: "
	       "%.1f pps, %.2f Mbit/s\n", (unsigned long long)t.units,
	       (unsigned long long)t.frames, (unsigned long long)t.bytes,
	       (unsigned long long)t.errors, elapsed,
	       elapsed > 0 ? t.frames / elapsed : 0.0,
	       elapsed > 0 ? t.bytes * 8 / elapsed / 1e6 : 0.0);
}

/* The last line after a failed run, so that the report agrees with exit status 1. */
static void print_failure(const struct opts *o, const struct kind_stats *ks)
{
	unsigned long long sent = 0;
	char of[32] = "";

	for (int k = 0; k < RXG_KIND_MAX; k++)
		sent += units_sent(&ks[k]);
	if (o->count_set)
		snprintf(of, sizeof(of), " of %llu", (unsigned long long)o->count);
	printf("rxgen: FAILED after %llu%s units: %s\n", sent, of,
	       fail_reason[0] ? fail_reason : "see the error above");
}

/* The send arrays for one batch: up to two frames per unit. */
struct batch {
	uint8_t *bufs;
	struct mmsghdr *msgs;
	struct iovec *iovs;
	struct sockaddr_ll *slls;
	int *msg_kind;
};

static int batch_alloc(struct batch *b, unsigned int units)
{
	b->bufs = malloc((size_t)units * 2 * RXG_FRAME_MAX);
	b->msgs = calloc(2 * units, sizeof(*b->msgs));
	b->iovs = calloc(2 * units, sizeof(*b->iovs));
	b->slls = calloc(2 * units, sizeof(*b->slls));
	b->msg_kind = calloc(2 * units, sizeof(*b->msg_kind));
	return b->bufs && b->msgs && b->iovs && b->slls && b->msg_kind ? 0 : -ENOMEM;
}

static void batch_free(struct batch *b)
{
	free(b->bufs);
	free(b->msgs);
	free(b->iovs);
	free(b->slls);
	free(b->msg_kind);
}

/* Message @i carries @frame; AF_PACKET also needs the link-layer address. */
static void batch_set_msg(struct batch *b, const struct sender *s, unsigned int i,
			  const struct iovec *frame, enum rxg_kind kind)
{
	struct msghdr *mh = &b->msgs[i].msg_hdr;
	const uint8_t *fr = frame->iov_base;

	memset(mh, 0, sizeof(*mh));
	b->iovs[i] = *frame;
	mh->msg_iov = &b->iovs[i];
	mh->msg_iovlen = 1;
	b->msg_kind[i] = kind;
	if (!s->packet)
		return;
	memset(&b->slls[i], 0, sizeof(b->slls[i]));
	b->slls[i].sll_family = AF_PACKET;
	b->slls[i].sll_ifindex = s->ifindex;
	b->slls[i].sll_protocol = htons((uint16_t)(fr[12] << 8 | fr[13]));
	b->slls[i].sll_halen = 6;
	memcpy(b->slls[i].sll_addr, fr, 6);
	mh->msg_name = &b->slls[i];
	mh->msg_namelen = sizeof(b->slls[i]);
}

/*
 * How many units to send now: on the absolute schedule t0 + i / rate, the units due by
 * @now (at most the batch size). Returns 0 after sleeping until the next one is due.
 */
static uint64_t units_due(const struct opts *o, double t0, double t_end, double now,
			  uint64_t next)
{
	uint64_t n = o->batch;

	if (o->rate > 0) {
		double due_f = floor((now - t0) * o->rate) + 1;
		uint64_t due = due_f > (double)next ? (uint64_t)due_f - next : 0;

		if (!due) {
			double t_next = t0 + (double)next / o->rate;

			sleep_until(t_next < t_end ? t_next : t_end);
			return 0;
		}
		if (due < n)
			n = due;
	}
	if (n > o->count - next)
		n = o->count - next;
	return n;
}

/*
 * Send until --count, --duration or a signal. Returns RXGEN_EXIT_OK, or RXGEN_EXIT_FAIL
 * after a fatal error (the message is printed). *elapsed is the time from the first send to the end.
 */
static int run(const struct opts *o, struct sender *s, struct batch *b,
	       struct kind_stats *ks, double *elapsed)
{
	struct schedule sc = { 0 };
	double t0 = rxs_now_sec(), t_end = o->duration > 0 ? t0 + o->duration : INFINITY;
	uint64_t next = 0;
	int ret = RXGEN_EXIT_OK;

	for (int k = 1; k < RXG_KIND_MAX; k++)
		if (o->mal_mask & (1u << k))
			sc.kinds[sc.nkinds++] = k;

	while (!stop_flag && next < o->count) {
		/* per unit of the batch: its kind and the index of its last message */
		enum rxg_kind ukind[BATCH_MAX];
		unsigned int ulast[BATCH_MAX], nm = 0, failed_at;
		double now = rxs_now_sec();
		uint64_t n;
		int err;

		if (now >= t_end)
			break;
		n = units_due(o, t0, t_end, now, next);
		if (!n)
			continue;
		for (uint64_t u = 0; u < n; u++) {
			uint8_t *buf = b->bufs + u * 2 * RXG_FRAME_MAX;
			struct rxg_unit unit;
			enum rxg_kind kind;
			uint32_t flow;
			uint64_t seq;

			next_unit(o, &sc, next + u, &kind, &flow, &seq);
			if (rxg_build_unit(&o->fc, kind, flow, seq, buf, 2 * RXG_FRAME_MAX,
					   &unit)) {
				fprintf(stderr, "rxgen: failed to build %s frame: %s\n",
					rxg_kind_name(kind), strerror(EINVAL));
				ret = RXGEN_EXIT_FAIL;
				goto out;
			}
			for (int f = 0; f < unit.nframes; f++)
				batch_set_msg(b, s, nm++, &unit.frame[f], kind);
			ukind[u] = kind;
			ulast[u] = nm - 1;
		}
		err = send_batch(s, b->msgs, b->msg_kind, nm, ks, &failed_at);
		/*
		 * A unit counts once it was handed to the transport: all of them, or after a
		 * fatal error those before the failed message, plus the failed one as an
		 * error. Units after it were never tried and are not counted.
		 */
		for (uint64_t u = 0; u < n; u++) {
			if (ulast[u] < failed_at) {
				ks[ukind[u]].units++;
			} else {
				if (err && err != -EINTR) {
					ks[ukind[u]].units++;
					ks[ukind[u]].errors++;
				}
				break;
			}
		}
		if (err == -EINTR)
			break;
		if (err) {
			snprintf(fail_reason, sizeof(fail_reason), "failed to send to %s: %s%s",
				 s->target, strerror(-err), err == -ECONNREFUSED ?
				 " (is QEMU listening on that address?)" : "");
			fprintf(stderr, "rxgen: %s\n", fail_reason);
			ret = RXGEN_EXIT_FAIL;
			goto out;
		}
		next += n;
	}
out:
	*elapsed = rxs_now_sec() - t0;
	return ret;
}

static void print_start(const struct opts *o, const struct sender *s)
{
	char src[16], dst[16], rate[32] = "max";

	rxg_format_ipv4(o->fc.src_ip, src);
	rxg_format_ipv4(o->fc.dst_ip, dst);
	if (o->rate > 0)
		snprintf(rate, sizeof(rate), "%g pps", o->rate);
	printf("rxgen: to %s, %s -> %s:%u, %u flow(s), payload %u B, rate %s\n", s->target,
	       src, dst, o->fc.dst_port, o->fc.flows, o->fc.payload_len, rate);
	if (o->iface) {
		char mac[18];

		rxg_format_mac(o->fc.dst_mac, mac);
		printf("rxgen: dst MAC %s (%s)\n", mac,
		       o->dst_mac_neigh ? "neighbour table" : "--dst-mac");
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, NULL, NULL, NULL };
	struct opts o = { .rate = 1000, .count = UINT64_MAX, .batch = 32 };
	struct kind_stats ks[RXG_KIND_MAX] = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct sender s = { .fd = -1 };
	struct batch b = { 0 };
	double elapsed;
	int ret;

	argp_err_exit_status = RXGEN_EXIT_USAGE;
	rxg_frame_cfg_default(&o.fc);
	if (argp_parse(&argp, argc, argv, ARGP_NO_HELP, NULL, &o))
		return RXGEN_EXIT_USAGE;

	ret = open_sender(&o, &s);
	if (!ret)
		ret = resolve_dst_mac(&o);
	if (ret)
		goto cleanup;
	if (batch_alloc(&b, o.batch)) {
		fprintf(stderr, "rxgen: failed to allocate send buffers: %s\n", strerror(ENOMEM));
		ret = RXGEN_EXIT_FAIL;
		goto cleanup;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!o.quiet)
		print_start(&o, &s);

	/* After a fatal send error, still report what went out. */
	ret = run(&o, &s, &b, ks, &elapsed);
	for (int k = 0; k < RXG_KIND_MAX; k++) {
		if (ks[k].errors) {
			if (!fail_reason[0]) {
				snprintf(fail_reason, sizeof(fail_reason),
					 "failed to send %llu %s frame(s) on %s: %s",
					 (unsigned long long)ks[k].errors, rxg_kind_name(k),
					 s.target, strerror(EMSGSIZE));
				fprintf(stderr, "rxgen: %s\n", fail_reason);
			}
			ret = RXGEN_EXIT_FAIL;
		}
	}
	if (!o.quiet) {
		print_report(ks, elapsed);
		if (ret)
			print_failure(&o, ks);
	}
	if (o.summary && write_summary(&o, &s, ks, elapsed))
		ret = RXGEN_EXIT_FAIL;

cleanup:
	if (s.fd >= 0)
		close(s.fd);
	batch_free(&b);
	return ret;
}
