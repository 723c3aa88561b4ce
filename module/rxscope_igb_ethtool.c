// SPDX-License-Identifier: GPL-2.0
/*
 * rxscope_igb_ethtool.c - ethtool support (driver info, link, ring sizes,
 * coalescing, per-queue statistics) and the debugfs "stats" file, which
 * prints exactly the counters of `ethtool -S` for systems without ethtool.
 */
#include <linux/debugfs.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>

#include "rxscope_igb.h"

/* Counters of each RX queue, in struct rxscope_igb_rx_stats order. */
static const char * const rxscope_igb_rxq_names[] = {
	"packets", "bytes", "desc_errors", "oversize", "alloc_failed",
	"non_eop", "csum_good", "csum_ip_bad", "csum_l4_bad", "vlan_stripped",
	"page_reuse",
};

static const char * const rxscope_igb_txq_names[] = {
	"packets", "bytes", "restarts", "busy", "dma_errors",
};

/* Device-wide counters, in the order rxscope_igb_fill_stats() writes them. */
static const char * const rxscope_igb_global_names[] = {
	"rx_missed_mpc", "rx_no_buffer_rnbc", "rx_overrun_irqs",
	"rx_undersize_ruc", "rx_oversize_roc", "rx_crc_errors",
	"rx_length_errors_rlec", "link_changes", "tx_timeouts",
	"inject_poll_delays",
};

#define RXSCOPE_IGB_RXQ_STATS	ARRAY_SIZE(rxscope_igb_rxq_names)
#define RXSCOPE_IGB_TXQ_STATS	ARRAY_SIZE(rxscope_igb_txq_names)
#define RXSCOPE_IGB_GLOBAL_STATS ARRAY_SIZE(rxscope_igb_global_names)

static_assert(sizeof(struct rxscope_igb_rx_stats) ==
	      RXSCOPE_IGB_RXQ_STATS * sizeof(u64));
static_assert(sizeof(struct rxscope_igb_tx_stats) ==
	      RXSCOPE_IGB_TXQ_STATS * sizeof(u64));

static int rxscope_igb_stats_count(struct rxscope_igb_adapter *adapter)
{
	return RXSCOPE_IGB_GLOBAL_STATS + RXSCOPE_IGB_TXQ_STATS +
	       adapter->num_rx_queues * RXSCOPE_IGB_RXQ_STATS;
}

/* Global, then tx_queue_0_*, then rx_queue_<q>_* for every queue. */
static void rxscope_igb_fill_names(struct rxscope_igb_adapter *adapter,
				   u8 *data)
{
	unsigned int i;
	int q;

	/* ethtool_puts() would do, but it is 6.8's: one name per slot */
	for (i = 0; i < RXSCOPE_IGB_GLOBAL_STATS; i++) {
		strscpy(data, rxscope_igb_global_names[i], ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
	for (i = 0; i < RXSCOPE_IGB_TXQ_STATS; i++)
		ethtool_sprintf(&data, "tx_queue_0_%s",
				rxscope_igb_txq_names[i]);
	for (q = 0; q < adapter->num_rx_queues; q++)
		for (i = 0; i < RXSCOPE_IGB_RXQ_STATS; i++)
			ethtool_sprintf(&data, "rx_queue_%d_%s", q,
					rxscope_igb_rxq_names[i]);
}

static void rxscope_igb_fill_stats(struct rxscope_igb_adapter *adapter,
				   u64 *data)
{
	struct rxscope_igb_hw_stats *hs = &adapter->hw_stats;
	struct rxscope_igb_ring *tx = &adapter->tx_ring;
	unsigned int start, i;
	int q;

	rxscope_igb_update_hw_stats(adapter);
	*data++ = hs->mpc;
	*data++ = hs->rnbc;
	*data++ = atomic64_read(&adapter->rx_overrun_irqs);
	*data++ = hs->ruc;
	*data++ = hs->roc;
	*data++ = hs->crcerrs;
	*data++ = hs->rlec;
	*data++ = atomic64_read(&adapter->link_changes);
	*data++ = atomic64_read(&adapter->tx_timeouts);
	*data++ = atomic64_read(&adapter->poll_delays);

	do {
		const u64 *src = (const u64 *)&tx->tx_stats;

		start = u64_stats_fetch_begin(&tx->syncp);
		for (i = 0; i < RXSCOPE_IGB_TXQ_STATS; i++)
			data[i] = src[i];
	} while (u64_stats_fetch_retry(&tx->syncp, start));
	data += RXSCOPE_IGB_TXQ_STATS;

	for (q = 0; q < adapter->num_rx_queues; q++) {
		struct rxscope_igb_ring *ring = &adapter->rx_ring[q];

		do {
			const u64 *src = (const u64 *)&ring->rx_stats;

			start = u64_stats_fetch_begin(&ring->syncp);
			for (i = 0; i < RXSCOPE_IGB_RXQ_STATS; i++)
				data[i] = src[i];
		} while (u64_stats_fetch_retry(&ring->syncp, start));
		data += RXSCOPE_IGB_RXQ_STATS;
	}
}

static void rxscope_igb_get_drvinfo(struct net_device *netdev,
				    struct ethtool_drvinfo *info)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);

	strscpy(info->driver, RXSCOPE_IGB_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(adapter->pdev),
		sizeof(info->bus_info));
}

static int rxscope_igb_get_link_ksettings(struct net_device *netdev,
					  struct ethtool_link_ksettings *cmd)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 1000baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, supported, Autoneg);
	ethtool_link_ksettings_add_link_mode(cmd, supported, TP);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	ethtool_link_ksettings_add_link_mode(cmd, advertising, 1000baseT_Full);
	ethtool_link_ksettings_add_link_mode(cmd, advertising, Autoneg);
	ethtool_link_ksettings_add_link_mode(cmd, advertising, TP);

	cmd->base.port = PORT_TP;
	cmd->base.phy_address = RXSCOPE_IGB_PHY_ADDR;
	cmd->base.autoneg = AUTONEG_ENABLE;
	if (netif_carrier_ok(netdev) && rxscope_igb_link_up(adapter)) {
		cmd->base.speed = rxscope_igb_link_speed(adapter);
		cmd->base.duplex = rxscope_igb_full_duplex(adapter) ?
				   DUPLEX_FULL : DUPLEX_HALF;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static void rxscope_igb_get_ringparam(struct net_device *netdev,
				      struct ethtool_ringparam *ring,
				      struct kernel_ethtool_ringparam *kring,
				      struct netlink_ext_ack *extack)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);

	ring->rx_max_pending = RXSCOPE_IGB_MAX_RING;
	ring->tx_max_pending = RXSCOPE_IGB_MAX_RING;
	ring->rx_pending = adapter->rx_ring_count;
	ring->tx_pending = adapter->tx_ring_count;
}

static int rxscope_igb_set_ringparam(struct net_device *netdev,
				     struct ethtool_ringparam *ring,
				     struct kernel_ethtool_ringparam *kring,
				     struct netlink_ext_ack *extack)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	u32 rx = ring->rx_pending, tx = ring->tx_pending;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	rx = clamp_t(u32, rx, RXSCOPE_IGB_MIN_RING, RXSCOPE_IGB_MAX_RING);
	tx = clamp_t(u32, tx, RXSCOPE_IGB_MIN_RING, RXSCOPE_IGB_MAX_RING);
	rx = ALIGN(rx, RXSCOPE_IGB_RING_ALIGN);
	tx = ALIGN(tx, RXSCOPE_IGB_RING_ALIGN);
	if (rx == adapter->rx_ring_count && tx == adapter->tx_ring_count)
		return 0;
	return rxscope_igb_reinit(adapter, rx, tx);
}

static int rxscope_igb_get_coalesce(struct net_device *netdev,
				    struct ethtool_coalesce *ec,
				    struct kernel_ethtool_coalesce *kec,
				    struct netlink_ext_ack *extack)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);

	ec->rx_coalesce_usecs = adapter->rx_itr_usecs;
	return 0;
}

static int rxscope_igb_set_coalesce(struct net_device *netdev,
				    struct ethtool_coalesce *ec,
				    struct kernel_ethtool_coalesce *kec,
				    struct netlink_ext_ack *extack)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);

	if (ec->rx_coalesce_usecs > RXSCOPE_IGB_MAX_RX_USECS)
		return -EINVAL;
	adapter->rx_itr_usecs = ec->rx_coalesce_usecs;
	if (adapter->running)
		rxscope_igb_write_itr(adapter);
	return 0;
}

static int rxscope_igb_get_sset_count(struct net_device *netdev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return rxscope_igb_stats_count(netdev_priv(netdev));
}

static void rxscope_igb_get_strings(struct net_device *netdev, u32 sset,
				    u8 *data)
{
	if (sset == ETH_SS_STATS)
		rxscope_igb_fill_names(netdev_priv(netdev), data);
}

static void rxscope_igb_get_ethtool_stats(struct net_device *netdev,
					  struct ethtool_stats *stats,
					  u64 *data)
{
	rxscope_igb_fill_stats(netdev_priv(netdev), data);
}

static const struct ethtool_ops rxscope_igb_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS,
	.get_drvinfo		= rxscope_igb_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= rxscope_igb_get_link_ksettings,
	.get_ringparam		= rxscope_igb_get_ringparam,
	.set_ringparam		= rxscope_igb_set_ringparam,
	.get_coalesce		= rxscope_igb_get_coalesce,
	.set_coalesce		= rxscope_igb_set_coalesce,
	.get_sset_count		= rxscope_igb_get_sset_count,
	.get_strings		= rxscope_igb_get_strings,
	.get_ethtool_stats	= rxscope_igb_get_ethtool_stats,
};

void rxscope_igb_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &rxscope_igb_ethtool_ops;
}

/* debugfs <pci>/stats: "name: value" lines, the same as ethtool -S. */
static int rxscope_igb_stats_show(struct seq_file *m, void *unused)
{
	struct rxscope_igb_adapter *adapter = m->private;
	int n = rxscope_igb_stats_count(adapter);
	u8 *names;
	u64 *vals;
	int i;

	names = kcalloc(n, ETH_GSTRING_LEN, GFP_KERNEL);
	vals = kcalloc(n, sizeof(*vals), GFP_KERNEL);
	if (!names || !vals) {
		kfree(names);
		kfree(vals);
		return -ENOMEM;
	}
	rxscope_igb_fill_names(adapter, names);
	rxscope_igb_fill_stats(adapter, vals);
	for (i = 0; i < n; i++)
		seq_printf(m, "%.*s: %llu\n", ETH_GSTRING_LEN,
			   names + i * ETH_GSTRING_LEN, vals[i]);
	kfree(names);
	kfree(vals);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rxscope_igb_stats);

static struct dentry *rxscope_igb_debugfs_root;

void rxscope_igb_debugfs_root_init(void)
{
	rxscope_igb_debugfs_root = debugfs_create_dir(RXSCOPE_IGB_DRV_NAME,
						      NULL);
}

void rxscope_igb_debugfs_root_exit(void)
{
	debugfs_remove_recursive(rxscope_igb_debugfs_root);
	rxscope_igb_debugfs_root = NULL;
}

void rxscope_igb_debugfs_init(struct rxscope_igb_adapter *adapter)
{
	adapter->debugfs_dir = debugfs_create_dir(pci_name(adapter->pdev),
						  rxscope_igb_debugfs_root);
	debugfs_create_file("stats", 0444, adapter->debugfs_dir, adapter,
			    &rxscope_igb_stats_fops);
}

void rxscope_igb_debugfs_exit(struct rxscope_igb_adapter *adapter)
{
	debugfs_remove_recursive(adapter->debugfs_dir);
	adapter->debugfs_dir = NULL;
}
