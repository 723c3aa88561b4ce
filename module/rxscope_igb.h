/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxscope_igb.h - the driver's shared structures (adapter, rings, interrupt
 * vectors, counters), register accessors and the functions the files export
 * to each other.
 */
#ifndef RXSCOPE_IGB_H
#define RXSCOPE_IGB_H

#include <linux/io.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "rxscope_igb_regs.h"
#include "rxscope_igb_compat.h"

#define RXSCOPE_IGB_DRV_NAME	"rxscope_igb"
#define RXSCOPE_IGB_MAX_RX_QUEUES	4

#define RXSCOPE_IGB_DEFAULT_RING	256
#define RXSCOPE_IGB_MIN_RING		64
#define RXSCOPE_IGB_MAX_RING		4096
#define RXSCOPE_IGB_RING_ALIGN		8	/* ring bytes multiple of 128 */

/*
 * RX buffers. Each receive page (order 0 with 4 KiB pages) is split in two
 * halves of RXSCOPE_IGB_RX_TRUESIZE bytes; a half is one RX buffer and holds,
 * in this order: RXSCOPE_IGB_RX_HEADROOM bytes of headroom, the at most
 * RXSCOPE_IGB_RX_BUFSZ bytes the device writes (SRRCTL.BSIZEPKT), free space,
 * and at its end the room that build_skb() takes for struct skb_shared_info.
 * So the first buffer of every frame becomes an skb in place (no copy).
 */
#define RXSCOPE_IGB_RX_BUFSZ		1024	/* SRRCTL.BSIZEPKT: 1 KiB steps */
#define RXSCOPE_IGB_RX_TRUESIZE		2048
#define RXSCOPE_IGB_RX_HEADROOM		(NET_SKB_PAD + NET_IP_ALIGN)
#define RXSCOPE_IGB_RX_PAGE_ORDER	get_order(2 * RXSCOPE_IGB_RX_TRUESIZE)
#define RXSCOPE_IGB_RX_PAGE_SIZE	(PAGE_SIZE << RXSCOPE_IGB_RX_PAGE_ORDER)
#define RXSCOPE_IGB_RX_REFILL_BATCH	16	/* refill every N buffers */

#define RXSCOPE_IGB_MAX_MTU		9000
/* Largest frame the device is told to accept: MTU + L2 + two tags + FCS. */
#define RXSCOPE_IGB_MAX_FRAME	(RXSCOPE_IGB_MAX_MTU + ETH_HLEN + \
				 2 * VLAN_HLEN + ETH_FCS_LEN)

/* Descriptors of the largest frame: the most one poll walks per frame. */
#define RXSCOPE_IGB_RX_MAX_DESCS_PER_FRAME \
	DIV_ROUND_UP(RXSCOPE_IGB_MAX_FRAME, RXSCOPE_IGB_RX_BUFSZ)

#define RXSCOPE_IGB_TX_WAKE_THRESH	16	/* free descriptors to wake */
#define RXSCOPE_IGB_MAX_POLL_DELAY_NS	(10 * NSEC_PER_MSEC)
#define RXSCOPE_IGB_MAX_DESC_DELAY_NS	NSEC_PER_MSEC
#define RXSCOPE_IGB_MAX_LINK_DELAY_MS	MSEC_PER_SEC
#define RXSCOPE_IGB_WATCHDOG_PERIOD	(2 * HZ)
#define RXSCOPE_IGB_DEFAULT_RX_USECS	20
#define RXSCOPE_IGB_MAX_RX_USECS	4000

/*
 * MSI-X layout: vector 0 is "other" (link changes), 1..N are the queues.
 * Without MSI-X, one MSI or INTx interrupt serves one queue and the rest.
 */
#define RXSCOPE_IGB_ICR_QUEUES	(RXSCOPE_IGB_ICR_RXDW | RXSCOPE_IGB_ICR_TXDW)
#define RXSCOPE_IGB_OTHER_VECTOR	0

struct rxscope_igb_adapter;

/**
 * struct rxscope_igb_rx_buffer - one RX buffer: half of a DMA-mapped page
 * @dma: DMA address of the whole page
 * @page: the page, NULL when the slot needs a fresh one
 * @page_offset: start of the half the device writes to next (0 or
 *               RX_TRUESIZE); the device writes RX_HEADROOM bytes further on
 * @pagecnt_bias: page references we still hold; the page is reusable when
 *                no more than one reference is held outside the driver
 */
struct rxscope_igb_rx_buffer {
	dma_addr_t dma;
	struct page *page;
	unsigned int page_offset;
	unsigned int pagecnt_bias;
};

struct rxscope_igb_tx_buffer {
	struct sk_buff *skb;
	dma_addr_t dma;
	unsigned int len;
};

/* Per RX queue counters, shown by ethtool -S (and debugfs). */
struct rxscope_igb_rx_stats {
	u64 packets;
	u64 bytes;
	u64 desc_errors;	/* frame error bits in the descriptor */
	u64 oversize;		/* longer than the MTU allows */
	u64 alloc_failed;	/* page or skb allocation failed */
	u64 non_eop;		/* descriptors that continued a frame */
	u64 csum_good;		/* L4 checksum verified by the device */
	u64 csum_ip_bad;	/* device saw a bad IP header checksum */
	u64 csum_l4_bad;	/* device saw a bad TCP/UDP checksum */
	u64 vlan_stripped;	/* VLAN tag removed by the device */
	u64 page_reuse;		/* buffer halves recycled in place */
};

struct rxscope_igb_tx_stats {
	u64 packets;
	u64 bytes;
	u64 restarts;		/* queue woken after it was stopped */
	u64 busy;		/* xmit found the ring full */
	u64 dma_errors;		/* mapping failed, frame dropped */
};

struct rxscope_igb_ring {
	struct rxscope_igb_q_vector *q_vector;
	struct net_device *netdev;
	struct device *dev;
	void *desc;			/* descriptor memory */
	dma_addr_t dma;			/* its DMA address */
	unsigned int size;		/* its length in bytes */
	u16 count;			/* descriptors */
	u8 queue_index;
	u16 next_to_use;
	u16 next_to_clean;
	void __iomem *tail;
	union {
		struct rxscope_igb_rx_buffer *rx_buffer_info;
		struct rxscope_igb_tx_buffer *tx_buffer_info;
	};
	struct sk_buff *skb;		/* RX frame being chained */
	bool discard;			/* drop the rest of this frame */
	bool rx_more;			/* the walk stopped at its descriptor cap */
	struct u64_stats_sync syncp;
	union {
		struct rxscope_igb_rx_stats rx_stats;
		struct rxscope_igb_tx_stats tx_stats;
	};
};

/**
 * struct rxscope_igb_q_vector - one queue interrupt vector and its NAPI
 * @adapter: owner
 * @napi: NAPI instance (weight 64)
 * @rx_ring: the RX queue it serves
 * @tx_ring: the TX queue whose completions it cleans (vector of queue 0)
 * @eims_value: this vector's bit in EIMS/EIMC/EICR
 * @vector: MSI-X vector index
 */
struct rxscope_igb_q_vector {
	struct rxscope_igb_adapter *adapter;
	struct napi_struct napi;
	struct rxscope_igb_ring *rx_ring;
	struct rxscope_igb_ring *tx_ring;
	u32 eims_value;
	int vector;
	char name[IFNAMSIZ + 16];
};

struct rxscope_igb_hw {
	u8 __iomem *hw_addr;
};

/* Device counters accumulated from the clear-on-read registers. */
struct rxscope_igb_hw_stats {
	u64 mpc;
	u64 rnbc;
	u64 ruc;
	u64 roc;
	u64 crcerrs;
	u64 rlec;
};

struct rxscope_igb_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	struct rxscope_igb_hw hw;

	int num_rx_queues;
	int num_vectors;		/* queues + "other"; 1 without MSI-X */
	bool msix;			/* else one MSI or INTx interrupt */
	u16 rx_ring_count;
	u16 tx_ring_count;
	u32 rx_itr_usecs;

	struct rxscope_igb_ring rx_ring[RXSCOPE_IGB_MAX_RX_QUEUES];
	struct rxscope_igb_ring tx_ring;
	struct rxscope_igb_q_vector q_vector[RXSCOPE_IGB_MAX_RX_QUEUES];

	u32 eims_enable_mask;		/* all vectors */
	u32 eims_other;

	bool running;			/* rings, IRQs and NAPI are live */
	struct delayed_work watchdog_task;	/* link, RX rings without buffers */
	struct work_struct reset_task;	/* restart the datapath (tx_timeout) */
	u64 alloc_failed_seen[RXSCOPE_IGB_MAX_RX_QUEUES];	/* by the watchdog */
	atomic64_t tx_timeouts;
	spinlock_t rctl_lock;		/* read-modify-write of RCTL */
	spinlock_t stats_lock;		/* hw_stats and the register reads */
	struct rxscope_igb_hw_stats hw_stats;
	atomic64_t rx_overrun_irqs;	/* ICR.RXO seen by the other vector */
	atomic64_t link_changes;
	atomic64_t poll_delays;		/* polls that spent inject_poll_delay_ns */

	struct dentry *debugfs_dir;
};

/* Register accessors: the hw pointer is always explicit. */
static inline u32 rxscope_igb_rd32(struct rxscope_igb_hw *hw, u32 reg)
{
	return readl(hw->hw_addr + reg);
}

static inline void rxscope_igb_wr32(struct rxscope_igb_hw *hw, u32 reg,
				    u32 val)
{
	writel(val, hw->hw_addr + reg);
}

static inline void rxscope_igb_flush(struct rxscope_igb_hw *hw)
{
	rxscope_igb_rd32(hw, RXSCOPE_IGB_STATUS);
}

/* Descriptors the driver may fill: one slot always stays empty. */
static inline u16 rxscope_igb_desc_unused(const struct rxscope_igb_ring *ring)
{
	u16 ntc = ring->next_to_clean, ntu = ring->next_to_use;

	return ((ntc > ntu) ? 0 : ring->count) + ntc - ntu - 1;
}

/* rxscope_igb_hw.c */
int rxscope_igb_reset_hw(struct rxscope_igb_adapter *adapter);
void rxscope_igb_read_mac(struct rxscope_igb_adapter *adapter, u8 *mac);
void rxscope_igb_write_mac(struct rxscope_igb_adapter *adapter, const u8 *mac);
int rxscope_igb_phy_restart_autoneg(struct rxscope_igb_adapter *adapter);
bool rxscope_igb_link_up(struct rxscope_igb_adapter *adapter);
u32 rxscope_igb_link_speed(struct rxscope_igb_adapter *adapter);
bool rxscope_igb_full_duplex(struct rxscope_igb_adapter *adapter);
void rxscope_igb_setup_rss(struct rxscope_igb_adapter *adapter);
void rxscope_igb_setup_rctl(struct rxscope_igb_adapter *adapter);
void rxscope_igb_configure_rx_ring(struct rxscope_igb_adapter *adapter,
				   struct rxscope_igb_ring *ring);
void rxscope_igb_configure_tx_ring(struct rxscope_igb_adapter *adapter,
				   struct rxscope_igb_ring *ring);
void rxscope_igb_set_rx_mode_hw(struct rxscope_igb_adapter *adapter);
void rxscope_igb_set_vlan_strip(struct rxscope_igb_adapter *adapter, bool on);
void rxscope_igb_configure_msix(struct rxscope_igb_adapter *adapter);
void rxscope_igb_write_itr(struct rxscope_igb_adapter *adapter);
void rxscope_igb_irq_enable(struct rxscope_igb_adapter *adapter);
void rxscope_igb_irq_unmask(struct rxscope_igb_q_vector *q_vector);
void rxscope_igb_irq_kick(struct rxscope_igb_adapter *adapter, u32 eics);
void rxscope_igb_irq_disable(struct rxscope_igb_adapter *adapter);
void rxscope_igb_enable_rxtx(struct rxscope_igb_adapter *adapter);
void rxscope_igb_disable_rxtx(struct rxscope_igb_adapter *adapter);
void rxscope_igb_update_hw_stats(struct rxscope_igb_adapter *adapter);

/* rxscope_igb_rx.c */
int rxscope_igb_setup_rx_ring(struct rxscope_igb_ring *ring);
void rxscope_igb_clean_rx_ring(struct rxscope_igb_ring *ring);
void rxscope_igb_free_rx_ring(struct rxscope_igb_ring *ring);
void rxscope_igb_alloc_rx_buffers(struct rxscope_igb_ring *ring, u16 count);
irqreturn_t rxscope_igb_msix_ring(int irq, void *data);
int rxscope_igb_poll(struct napi_struct *napi, int budget);
int rxscope_igb_clean_rx_irq(struct rxscope_igb_q_vector *q_vector,
			     int budget);

/* rxscope_igb_tx.c */
int rxscope_igb_setup_tx_ring(struct rxscope_igb_ring *ring);
void rxscope_igb_clean_tx_ring(struct rxscope_igb_ring *ring);
void rxscope_igb_free_tx_ring(struct rxscope_igb_ring *ring);
netdev_tx_t rxscope_igb_xmit_frame(struct sk_buff *skb,
				   struct net_device *netdev);
bool rxscope_igb_clean_tx_irq(struct rxscope_igb_q_vector *q_vector,
			      int napi_budget);

/* rxscope_igb_ethtool.c */
void rxscope_igb_set_ethtool_ops(struct net_device *netdev);
void rxscope_igb_debugfs_root_init(void);
void rxscope_igb_debugfs_root_exit(void);
void rxscope_igb_debugfs_init(struct rxscope_igb_adapter *adapter);
void rxscope_igb_debugfs_exit(struct rxscope_igb_adapter *adapter);

/* rxscope_igb_main.c */
int rxscope_igb_reinit(struct rxscope_igb_adapter *adapter, u16 rx_count,
		       u16 tx_count);
extern unsigned int rxscope_igb_inject_poll_delay_ns;
extern unsigned int rxscope_igb_inject_rx_desc_delay_ns;
extern unsigned int rxscope_igb_inject_link_delay_ms;
extern unsigned int rxscope_igb_inject_fail_page_alloc;
extern unsigned int rxscope_igb_inject_fail_dma_map;
extern unsigned int rxscope_igb_inject_fail_ring_alloc;
extern bool rxscope_igb_inject_tx_stall;
extern unsigned int rxscope_igb_inject_msix_vectors;

/*
 * Test aid: true (and one fewer left) while the counter of injected
 * failures @left is not zero.
 */
static inline bool rxscope_igb_inject(unsigned int *left)
{
	unsigned int n = READ_ONCE(*left);

	while (unlikely(n)) {
		if (try_cmpxchg(left, &n, n - 1))
			return true;
	}
	return false;
}

#endif /* RXSCOPE_IGB_H */
