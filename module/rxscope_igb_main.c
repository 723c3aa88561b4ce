// SPDX-License-Identifier: GPL-2.0
/*
 * rxscope_igb_main.c - module and PCI glue of rxscope_igb: parameters, probe
 * and remove, MSI-X vectors and the "other" (link) interrupt, and the
 * net_device operations (open, stop, xmit, stats, MAC, MTU, RX mode).
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>

#include "rxscope_igb.h"

#define RXSCOPE_IGB_VENDOR_INTEL	0x8086
#define RXSCOPE_IGB_DEV_82576		0x10c9

static int num_queues;
module_param(num_queues, int, 0444);
MODULE_PARM_DESC(num_queues,
		 "RX queues (1-4); 0 = one per online CPU, at most 4");

static unsigned int intr_mode;
module_param(intr_mode, uint, 0444);
MODULE_PARM_DESC(intr_mode,
		 "0 = MSI-X, else MSI, else INTx (default); 1 = MSI, else INTx; 2 = INTx");

unsigned int rxscope_igb_inject_msix_vectors;
module_param_named(inject_msix_vectors, rxscope_igb_inject_msix_vectors,
		   uint, 0444);
MODULE_PARM_DESC(inject_msix_vectors,
		 "TEST AID: act as if the device had at most N MSI-X vectors (0 = all)");

unsigned int rxscope_igb_inject_poll_delay_ns;
unsigned int rxscope_igb_inject_rx_desc_delay_ns;
unsigned int rxscope_igb_inject_link_delay_ms;

/* A delay parameter: values above @max are refused (EINVAL). */
static int rxscope_igb_set_delay(const char *val,
				 const struct kernel_param *kp,
				 unsigned int max)
{
	unsigned int v;
	int err;

	err = kstrtouint(val, 0, &v);
	if (err)
		return err;
	if (v > max)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static int rxscope_igb_set_poll_delay(const char *val,
				      const struct kernel_param *kp)
{
	return rxscope_igb_set_delay(val, kp, RXSCOPE_IGB_MAX_POLL_DELAY_NS);
}

static int rxscope_igb_set_desc_delay(const char *val,
				      const struct kernel_param *kp)
{
	return rxscope_igb_set_delay(val, kp, RXSCOPE_IGB_MAX_DESC_DELAY_NS);
}

static int rxscope_igb_set_link_delay(const char *val,
				      const struct kernel_param *kp)
{
	return rxscope_igb_set_delay(val, kp, RXSCOPE_IGB_MAX_LINK_DELAY_MS);
}

static const struct kernel_param_ops rxscope_igb_poll_delay_ops = {
	.set = rxscope_igb_set_poll_delay,
	.get = param_get_uint,
};

static const struct kernel_param_ops rxscope_igb_desc_delay_ops = {
	.set = rxscope_igb_set_desc_delay,
	.get = param_get_uint,
};

static const struct kernel_param_ops rxscope_igb_link_delay_ops = {
	.set = rxscope_igb_set_link_delay,
	.get = param_get_uint,
};

module_param_cb(inject_poll_delay_ns, &rxscope_igb_poll_delay_ops,
		&rxscope_igb_inject_poll_delay_ns, 0644);
MODULE_PARM_DESC(inject_poll_delay_ns,
		 "TEST AID: busy-wait this long once per NAPI poll (max 10 ms)");

module_param_cb(inject_rx_desc_delay_ns, &rxscope_igb_desc_delay_ops,
		&rxscope_igb_inject_rx_desc_delay_ns, 0644);
MODULE_PARM_DESC(inject_rx_desc_delay_ns,
		 "TEST AID: busy-wait this long per RX descriptor walked (max 1 ms)");

module_param_cb(inject_link_delay_ms, &rxscope_igb_link_delay_ops,
		&rxscope_igb_inject_link_delay_ms, 0644);
MODULE_PARM_DESC(inject_link_delay_ms,
		 "TEST AID: ms between reading the link and setting the carrier (max 1000)");

unsigned int rxscope_igb_inject_fail_page_alloc;
module_param_named(inject_fail_page_alloc, rxscope_igb_inject_fail_page_alloc,
		   uint, 0644);
MODULE_PARM_DESC(inject_fail_page_alloc,
		 "TEST AID: fail the next N RX page allocations");

unsigned int rxscope_igb_inject_fail_dma_map;
module_param_named(inject_fail_dma_map, rxscope_igb_inject_fail_dma_map,
		   uint, 0644);
MODULE_PARM_DESC(inject_fail_dma_map,
		 "TEST AID: fail the next N DMA mappings (RX pages, TX frames)");

unsigned int rxscope_igb_inject_fail_ring_alloc;
module_param_named(inject_fail_ring_alloc, rxscope_igb_inject_fail_ring_alloc,
		   uint, 0644);
MODULE_PARM_DESC(inject_fail_ring_alloc,
		 "TEST AID: fail the next N ring allocations (open, ethtool -G)");

bool rxscope_igb_inject_tx_stall;
module_param_named(inject_tx_stall, rxscope_igb_inject_tx_stall, bool, 0644);
MODULE_PARM_DESC(inject_tx_stall,
		 "TEST AID: stop handing TX frames to the device (until a reset)");

static const struct pci_device_id rxscope_igb_pci_tbl[] = {
	{ PCI_DEVICE(RXSCOPE_IGB_VENDOR_INTEL, RXSCOPE_IGB_DEV_82576) },
	{ }
};
MODULE_DEVICE_TABLE(pci, rxscope_igb_pci_tbl);

/* Follow the link from the "other" vector: LSC, and count overruns. */
static irqreturn_t rxscope_igb_msix_other(int irq, void *data)
{
	struct rxscope_igb_adapter *adapter = data;
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 icr = rxscope_igb_rd32(hw, RXSCOPE_IGB_ICR);	/* clears it */

	if (icr & RXSCOPE_IGB_ICR_RXO)
		atomic64_inc(&adapter->rx_overrun_irqs);

	/*
	 * The watchdog follows the link: carrier changes all happen in its
	 * work item, so that open, this interrupt and the periodic check
	 * cannot undo each other. While the interface goes down, carrier and
	 * queue are down()'s.
	 */
	if ((icr & RXSCOPE_IGB_ICR_LSC) && READ_ONCE(adapter->running)) {
		atomic64_inc(&adapter->link_changes);
		mod_delayed_work(system_wq, &adapter->watchdog_task, 0);
	}

	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIMS, adapter->eims_other);
	return IRQ_HANDLED;
}

/* Carrier follows the link; the queue wakes only with room in the ring. */
static void rxscope_igb_update_link(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	bool up = rxscope_igb_link_up(adapter);
	unsigned int delay = READ_ONCE(rxscope_igb_inject_link_delay_ms);

	/* test aid: the link may change before the carrier follows it */
	if (unlikely(delay))
		msleep(delay);

	if (up && !netif_carrier_ok(netdev)) {
		netdev_info(netdev, "link up, %u Mb/s %s duplex\n",
			    rxscope_igb_link_speed(adapter),
			    rxscope_igb_full_duplex(adapter) ? "full" : "half");
		netif_carrier_on(netdev);
		/*
		 * A clean-up that ran while the carrier was off woke nothing:
		 * pairs with its barrier between next_to_clean and the
		 * carrier check. With the ring still full, the clean-up of
		 * the frames in it wakes the queue.
		 */
		smp_mb();
		if (rxscope_igb_desc_unused(&adapter->tx_ring) >=
		    RXSCOPE_IGB_TX_WAKE_THRESH)
			netif_wake_queue(netdev);
	} else if (!up && netif_carrier_ok(netdev)) {
		netdev_info(netdev, "link down\n");
		netif_carrier_off(netdev);
		netif_stop_queue(netdev);
	}
}

/*
 * An RX ring whose refill failed may have no buffer left for the device,
 * and then no frame arrives to raise its interrupt: true when the ring
 * lacks buffers or an allocation failed since the last look.
 */
static bool rxscope_igb_rx_needs_poll(struct rxscope_igb_adapter *adapter,
				      int q)
{
	struct rxscope_igb_ring *ring = &adapter->rx_ring[q];
	unsigned int start;
	u64 failed;

	do {
		start = u64_stats_fetch_begin(&ring->syncp);
		failed = ring->rx_stats.alloc_failed;
	} while (u64_stats_fetch_retry(&ring->syncp, start));

	if (failed != adapter->alloc_failed_seen[q]) {
		adapter->alloc_failed_seen[q] = failed;
		return true;
	}
	return rxscope_igb_desc_unused(ring) > RXSCOPE_IGB_RX_REFILL_BATCH;
}

/*
 * Every RXSCOPE_IGB_WATCHDOG_PERIOD, and at once after open and on a link
 * interrupt: follow the link, and fire the vector (EICS) of every RX ring
 * that needs a refill, so that its poll allocates again.
 */
static void rxscope_igb_watchdog(struct work_struct *work)
{
	struct rxscope_igb_adapter *adapter =
		container_of(to_delayed_work(work), struct rxscope_igb_adapter,
			     watchdog_task);
	u32 eics = 0;
	int q;

	if (!READ_ONCE(adapter->running))
		return;

	rxscope_igb_update_link(adapter);
	for (q = 0; q < adapter->num_rx_queues; q++)
		if (rxscope_igb_rx_needs_poll(adapter, q))
			eics |= adapter->q_vector[q].eims_value;
	if (eics)
		rxscope_igb_irq_kick(adapter, eics);

	queue_delayed_work(system_wq, &adapter->watchdog_task,
			   RXSCOPE_IGB_WATCHDOG_PERIOD);
}

/*
 * The one interrupt without MSI-X (MSI, or INTx that may be shared): the
 * link and overrun causes as on the "other" vector, and the queue's
 * causes, which are masked until its poll ends (as EIMC does per vector).
 */
static irqreturn_t rxscope_igb_intr(int irq, void *data)
{
	struct rxscope_igb_adapter *adapter = data;
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 icr = rxscope_igb_rd32(hw, RXSCOPE_IGB_ICR);	/* clears it */

	if (!(icr & RXSCOPE_IGB_ICR_ASSERTED))
		return IRQ_NONE;

	if (icr & RXSCOPE_IGB_ICR_RXO)
		atomic64_inc(&adapter->rx_overrun_irqs);
	if ((icr & RXSCOPE_IGB_ICR_LSC) && READ_ONCE(adapter->running)) {
		atomic64_inc(&adapter->link_changes);
		mod_delayed_work(system_wq, &adapter->watchdog_task, 0);
	}
	if (icr & RXSCOPE_IGB_ICR_QUEUES) {
		rxscope_igb_wr32(hw, RXSCOPE_IGB_IMC, RXSCOPE_IGB_ICR_QUEUES);
		/* the queue's handler, so that the tracer sees its entry */
		rxscope_igb_msix_ring(irq, &adapter->q_vector[0]);
	}
	return IRQ_HANDLED;
}

static void rxscope_igb_free_irqs(struct rxscope_igb_adapter *adapter, int n)
{
	struct pci_dev *pdev = adapter->pdev;
	int q;

	if (!adapter->msix) {
		free_irq(pci_irq_vector(pdev, 0), adapter);
		return;
	}
	for (q = 0; q < n && q < adapter->num_rx_queues; q++)
		free_irq(pci_irq_vector(pdev, adapter->q_vector[q].vector),
			 &adapter->q_vector[q]);
	free_irq(pci_irq_vector(pdev, RXSCOPE_IGB_OTHER_VECTOR), adapter);
}

static int rxscope_igb_request_irqs(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct pci_dev *pdev = adapter->pdev;
	int q, err;

	if (!adapter->msix)
		return request_irq(pci_irq_vector(pdev, 0), rxscope_igb_intr,
				   pdev->msi_enabled ? 0 : IRQF_SHARED,
				   netdev->name, adapter);

	err = request_irq(pci_irq_vector(pdev, RXSCOPE_IGB_OTHER_VECTOR),
			  rxscope_igb_msix_other, 0, netdev->name, adapter);
	if (err)
		return err;

	for (q = 0; q < adapter->num_rx_queues; q++) {
		struct rxscope_igb_q_vector *qv = &adapter->q_vector[q];

		snprintf(qv->name, sizeof(qv->name), "%s-rx-%d",
			 netdev->name, q);
		err = request_irq(pci_irq_vector(pdev, qv->vector),
				  rxscope_igb_msix_ring, 0, qv->name, qv);
		if (err) {
			rxscope_igb_free_irqs(adapter, q);
			return err;
		}
	}
	return 0;
}

static void rxscope_igb_free_rings(struct rxscope_igb_adapter *adapter)
{
	int q;

	rxscope_igb_free_tx_ring(&adapter->tx_ring);
	for (q = 0; q < adapter->num_rx_queues; q++)
		rxscope_igb_free_rx_ring(&adapter->rx_ring[q]);
}

static int rxscope_igb_setup_rings(struct rxscope_igb_adapter *adapter)
{
	int q, err;

	for (q = 0; q < adapter->num_rx_queues; q++) {
		adapter->rx_ring[q].count = adapter->rx_ring_count;
		err = rxscope_igb_setup_rx_ring(&adapter->rx_ring[q]);
		if (err)
			goto out_free;
	}
	adapter->tx_ring.count = adapter->tx_ring_count;
	err = rxscope_igb_setup_tx_ring(&adapter->tx_ring);
	if (err)
		goto out_free;
	return 0;

out_free:
	rxscope_igb_free_rings(adapter);
	return err;
}

/*
 * Bring the datapath up on allocated rings: program the device, enable
 * NAPI, fill the RX rings, start RX/TX and unmask the vectors.
 */
static void rxscope_igb_up(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int q;

	rxscope_igb_write_mac(adapter, netdev->dev_addr);
	rxscope_igb_setup_rctl(adapter);
	rxscope_igb_set_rx_mode_hw(adapter);
	rxscope_igb_set_vlan_strip(adapter,
				   netdev->features & NETIF_F_HW_VLAN_CTAG_RX);
	rxscope_igb_setup_rss(adapter);
	rxscope_igb_configure_tx_ring(adapter, &adapter->tx_ring);
	for (q = 0; q < adapter->num_rx_queues; q++) {
		struct rxscope_igb_ring *ring = &adapter->rx_ring[q];

		rxscope_igb_configure_rx_ring(adapter, ring);
		u64_stats_update_begin(&ring->syncp);
		rxscope_igb_alloc_rx_buffers(ring,
					     rxscope_igb_desc_unused(ring));
		u64_stats_update_end(&ring->syncp);
	}
	rxscope_igb_configure_msix(adapter);

	for (q = 0; q < adapter->num_rx_queues; q++)
		napi_enable(&adapter->q_vector[q].napi);

	rxscope_igb_enable_rxtx(adapter);
	netif_carrier_off(netdev);
	WRITE_ONCE(adapter->running, true);
	rxscope_igb_irq_enable(adapter);

	/* the watchdog sets the carrier (and wakes the queue) from the link */
	netif_start_queue(netdev);
	mod_delayed_work(system_wq, &adapter->watchdog_task, 0);
}

/*
 * Stop everything that touches the rings; the rings stay allocated. The
 * caller has cleared adapter->running.
 */
static void rxscope_igb_down(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int q;

	netif_carrier_off(netdev);
	netif_tx_disable(netdev);

	rxscope_igb_disable_rxtx(adapter);
	rxscope_igb_irq_disable(adapter);
	for (q = 0; q < adapter->num_vectors; q++)
		synchronize_irq(pci_irq_vector(adapter->pdev, q));
	/* no interrupt queues it any more, and it re-arms only while running */
	cancel_delayed_work_sync(&adapter->watchdog_task);

	for (q = 0; q < adapter->num_rx_queues; q++)
		napi_disable(&adapter->q_vector[q].napi);

	/* a poll or the link interrupt may have woken the queue meanwhile;
	 * nothing can wake it any more, and no xmit runs after this
	 */
	netif_tx_disable(netdev);
	netif_carrier_off(netdev);

	/*
	 * The queues have stopped; reset the MAC as well, so that nothing of
	 * the old rings is left in the device when they are freed (up()
	 * programs everything again). A MAC whose link the reset dropped
	 * renegotiates; the link interrupt or the watchdog brings the
	 * carrier back after the next up().
	 */
	if (rxscope_igb_reset_hw(adapter))
		netdev_warn(netdev, "the device did not complete its reset\n");
	else if (!rxscope_igb_link_up(adapter))
		rxscope_igb_phy_restart_autoneg(adapter);
}

static int rxscope_igb_open(struct net_device *netdev)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	int err;

	err = rxscope_igb_setup_rings(adapter);
	if (err) {
		netdev_err(netdev, "failed to allocate rings: %d\n", err);
		return err;
	}
	err = rxscope_igb_request_irqs(adapter);
	if (err) {
		netdev_err(netdev, "failed to request interrupts: %d\n", err);
		goto out_free_rings;
	}
	rxscope_igb_up(adapter);
	return 0;

out_free_rings:
	rxscope_igb_free_rings(adapter);
	return err;
}

static int rxscope_igb_close(struct net_device *netdev)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);

	/* a failed reopen (ethtool -G) leaves nothing to tear down */
	if (!adapter->running)
		return 0;
	WRITE_ONCE(adapter->running, false);
	rxscope_igb_down(adapter);
	rxscope_igb_free_irqs(adapter, adapter->num_rx_queues);
	rxscope_igb_free_rings(adapter);
	return 0;
}

/* Hand the memory of ring @src (allocated, empty) over to ring @dst. */
static void rxscope_igb_ring_take(struct rxscope_igb_ring *dst,
				  const struct rxscope_igb_ring *src)
{
	dst->desc = src->desc;
	dst->dma = src->dma;
	dst->size = src->size;
	dst->count = src->count;
	dst->rx_buffer_info = src->rx_buffer_info;
	dst->next_to_use = src->next_to_use;
	dst->next_to_clean = src->next_to_clean;
	dst->skb = NULL;
	dst->discard = false;
}

/**
 * rxscope_igb_reinit - change ring sizes, restarting the datapath if it runs
 * @adapter: the device
 * @rx_count: new RX ring size
 * @tx_count: new TX ring size
 *
 * Called with RTNL held (ethtool -G). The new rings are allocated while the
 * old ones keep running; only when all of them exist is the datapath
 * stopped and restarted on them. A failed allocation changes nothing.
 *
 * Return: 0 or -ENOMEM.
 */
int rxscope_igb_reinit(struct rxscope_igb_adapter *adapter, u16 rx_count,
		       u16 tx_count)
{
	int nq = adapter->num_rx_queues;
	struct rxscope_igb_ring *new;
	int q, err;

	if (!adapter->running) {
		adapter->rx_ring_count = rx_count;
		adapter->tx_ring_count = tx_count;
		return 0;
	}

	/* nq RX rings, then the TX ring; copies keep dev, netdev, queue */
	new = kcalloc(nq + 1, sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	for (q = 0; q <= nq; q++) {
		new[q] = q < nq ? adapter->rx_ring[q] : adapter->tx_ring;
		new[q].count = q < nq ? rx_count : tx_count;
		err = q < nq ? rxscope_igb_setup_rx_ring(&new[q]) :
			       rxscope_igb_setup_tx_ring(&new[q]);
		if (err)
			goto out_free;
	}

	WRITE_ONCE(adapter->running, false);
	rxscope_igb_down(adapter);
	rxscope_igb_free_rings(adapter);
	for (q = 0; q < nq; q++)
		rxscope_igb_ring_take(&adapter->rx_ring[q], &new[q]);
	rxscope_igb_ring_take(&adapter->tx_ring, &new[nq]);
	adapter->rx_ring_count = rx_count;
	adapter->tx_ring_count = tx_count;
	rxscope_igb_up(adapter);
	kfree(new);
	return 0;

out_free:
	while (q--) {
		if (q < nq)
			rxscope_igb_free_rx_ring(&new[q]);
		else
			rxscope_igb_free_tx_ring(&new[q]);
	}
	kfree(new);
	netdev_err(adapter->netdev,
		   "failed to allocate rings of %u/%u descriptors: %d; the old rings keep running\n",
		   rx_count, tx_count, err);
	return err;
}

/*
 * The reset behind tx_timeout: stop the datapath, drop what is in the
 * rings, reprogram the device and start again on the same rings.
 */
static void rxscope_igb_reset_task(struct work_struct *work)
{
	struct rxscope_igb_adapter *adapter =
		container_of(work, struct rxscope_igb_adapter, reset_task);
	int q;

	rtnl_lock();
	if (adapter->running) {
		netdev_warn(adapter->netdev, "resetting the datapath\n");
		WRITE_ONCE(adapter->running, false);
		rxscope_igb_down(adapter);
		rxscope_igb_clean_tx_ring(&adapter->tx_ring);
		for (q = 0; q < adapter->num_rx_queues; q++)
			rxscope_igb_clean_rx_ring(&adapter->rx_ring[q]);
		/* the injected stall is a state of the device: reset ends it */
		WRITE_ONCE(rxscope_igb_inject_tx_stall, false);
		rxscope_igb_up(adapter);
	}
	rtnl_unlock();
}

/* The netdev watchdog found the TX queue stopped for watchdog_timeo. */
static void rxscope_igb_tx_timeout(struct net_device *netdev,
				   unsigned int txqueue)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	struct rxscope_igb_ring *ring = &adapter->tx_ring;

	atomic64_inc(&adapter->tx_timeouts);
	netdev_warn(netdev, "TX queue %u timed out (next_to_use %u, next_to_clean %u, carrier %d): resetting\n",
		    txqueue, ring->next_to_use, ring->next_to_clean,
		    netif_carrier_ok(netdev));
	schedule_work(&adapter->reset_task);
}

static void rxscope_igb_get_stats64(struct net_device *netdev,
				    struct rtnl_link_stats64 *stats)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	struct rxscope_igb_hw_stats *hs = &adapter->hw_stats;
	struct rxscope_igb_ring *tx = &adapter->tx_ring;
	unsigned int start;
	int q;

	for (q = 0; q < adapter->num_rx_queues; q++) {
		struct rxscope_igb_ring *ring = &adapter->rx_ring[q];
		u64 packets, bytes, errors, oversize;

		do {
			start = u64_stats_fetch_begin(&ring->syncp);
			packets = ring->rx_stats.packets;
			bytes = ring->rx_stats.bytes;
			errors = ring->rx_stats.desc_errors;
			oversize = ring->rx_stats.oversize;
		} while (u64_stats_fetch_retry(&ring->syncp, start));
		stats->rx_packets += packets;
		stats->rx_bytes += bytes;
		stats->rx_errors += errors + oversize;
		stats->rx_frame_errors += errors;
		stats->rx_length_errors += oversize;
	}
	do {
		start = u64_stats_fetch_begin(&tx->syncp);
		stats->tx_packets = tx->tx_stats.packets;
		stats->tx_bytes = tx->tx_stats.bytes;
		stats->tx_dropped = tx->tx_stats.dma_errors;
	} while (u64_stats_fetch_retry(&tx->syncp, start));

	if (netif_device_present(netdev))
		rxscope_igb_update_hw_stats(adapter);
	/*
	 * A failed allocation drops no frame (the buffer is retried), RNBC
	 * counts frames that MPC counts again when they are lost, and an
	 * overrun interrupt may stand for any number of frames: none of them
	 * is a frame count for rx_dropped or rx_over_errors.
	 */
	stats->rx_missed_errors = hs->mpc;
	stats->rx_crc_errors = hs->crcerrs;
}

static int rxscope_igb_set_mac(struct net_device *netdev, void *p)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	struct sockaddr *addr = p;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	eth_hw_addr_set(netdev, addr->sa_data);
	rxscope_igb_write_mac(adapter, netdev->dev_addr);
	return 0;
}

/* The device always accepts RXSCOPE_IGB_MAX_FRAME; the RX loop enforces MTU. */
static int rxscope_igb_change_mtu(struct net_device *netdev, int new_mtu)
{
	netdev_dbg(netdev, "MTU %u -> %d\n", netdev->mtu, new_mtu);
	WRITE_ONCE(netdev->mtu, new_mtu);
	return 0;
}

static void rxscope_igb_set_rx_mode(struct net_device *netdev)
{
	rxscope_igb_set_rx_mode_hw(netdev_priv(netdev));
}

static int rxscope_igb_set_features(struct net_device *netdev,
				    netdev_features_t features)
{
	netdev_features_t changed = netdev->features ^ features;

	if (changed & NETIF_F_HW_VLAN_CTAG_RX)
		rxscope_igb_set_vlan_strip(netdev_priv(netdev),
					   features & NETIF_F_HW_VLAN_CTAG_RX);
	return 0;
}

static const struct net_device_ops rxscope_igb_netdev_ops = {
	.ndo_open		= rxscope_igb_open,
	.ndo_stop		= rxscope_igb_close,
	.ndo_start_xmit		= rxscope_igb_xmit_frame,
	.ndo_tx_timeout		= rxscope_igb_tx_timeout,
	.ndo_get_stats64	= rxscope_igb_get_stats64,
	.ndo_set_mac_address	= rxscope_igb_set_mac,
	.ndo_change_mtu		= rxscope_igb_change_mtu,
	.ndo_set_rx_mode	= rxscope_igb_set_rx_mode,
	.ndo_set_features	= rxscope_igb_set_features,
	.ndo_validate_addr	= eth_validate_addr,
};

static int rxscope_igb_pick_queues(void)
{
	int n = num_queues;

	if (n <= 0)
		n = num_online_cpus();
	return clamp(n, 1, RXSCOPE_IGB_MAX_RX_QUEUES);
}

/* Rings and vectors: queue q uses MSI-X vector q + 1; queue 0 also TX. */
static void rxscope_igb_init_queues(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int q;

	for (q = 0; q < adapter->num_rx_queues; q++) {
		struct rxscope_igb_q_vector *qv = &adapter->q_vector[q];
		struct rxscope_igb_ring *ring = &adapter->rx_ring[q];

		ring->q_vector = qv;
		ring->netdev = netdev;
		ring->dev = &adapter->pdev->dev;
		ring->queue_index = q;
		u64_stats_init(&ring->syncp);

		qv->adapter = adapter;
		qv->rx_ring = ring;
		qv->vector = adapter->msix ? q + 1 : 0;
		qv->eims_value = BIT(qv->vector);
		netif_napi_add(netdev, &qv->napi, rxscope_igb_poll);
	}
	adapter->tx_ring.q_vector = &adapter->q_vector[0];
	adapter->tx_ring.netdev = netdev;
	adapter->tx_ring.dev = &adapter->pdev->dev;
	adapter->tx_ring.queue_index = 0;
	u64_stats_init(&adapter->tx_ring.syncp);
	adapter->q_vector[0].tx_ring = &adapter->tx_ring;
}

static void rxscope_igb_del_napi(struct rxscope_igb_adapter *adapter)
{
	int q;

	for (q = 0; q < adapter->num_rx_queues; q++)
		netif_napi_del(&adapter->q_vector[q].napi);
}

/*
 * One MSI-X vector per RX queue plus "other"; with fewer vectors, fewer
 * queues; without MSI-X (or with intr_mode set), one queue on a single MSI,
 * else INTx interrupt. Sets num_rx_queues, num_vectors and msix.
 *
 * Return: the number of vectors, or a negative error.
 */
static int rxscope_igb_alloc_vectors(struct rxscope_igb_adapter *adapter)
{
	struct pci_dev *pdev = adapter->pdev;
	int want = adapter->num_rx_queues + 1;
	unsigned int flags;
	int n;

	if (rxscope_igb_inject_msix_vectors)
		want = min_t(int, want, rxscope_igb_inject_msix_vectors);
	if (intr_mode == 0 && want >= 2) {
		n = pci_alloc_irq_vectors(pdev, 2, want, PCI_IRQ_MSIX);
		if (n > 0) {
			if (n < adapter->num_rx_queues + 1)
				dev_info(&pdev->dev, "%d MSI-X vectors: %d RX queue(s) instead of %d\n",
					 n, n - 1, adapter->num_rx_queues);
			adapter->msix = true;
			adapter->num_rx_queues = n - 1;
			adapter->num_vectors = n;
			return n;
		}
		dev_info(&pdev->dev, "no MSI-X (%d): one queue, one interrupt\n",
			 n);
	}

	flags = intr_mode >= 2 ? PCI_IRQ_INTX : PCI_IRQ_MSI | PCI_IRQ_INTX;
	n = pci_alloc_irq_vectors(pdev, 1, 1, flags);
	if (n < 0)
		return n;
	adapter->msix = false;
	adapter->num_rx_queues = 1;
	adapter->num_vectors = 1;
	return n;
}

static int rxscope_igb_probe(struct pci_dev *pdev,
			     const struct pci_device_id *ent)
{
	struct rxscope_igb_adapter *adapter;
	struct net_device *netdev;
	int nq = rxscope_igb_pick_queues();
	u8 mac[ETH_ALEN];
	int err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;

	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err) {
		dev_err(&pdev->dev, "failed to set a DMA mask: %d\n", err);
		goto out_disable_device;
	}

	err = pci_request_mem_regions(pdev, RXSCOPE_IGB_DRV_NAME);
	if (err) {
		dev_err(&pdev->dev,
			"failed to claim BAR0: %d (is the device owned by another driver, e.g. igb? unbind it first)\n",
			err);
		goto out_disable_device;
	}
	pci_set_master(pdev);

	netdev = alloc_etherdev_mqs(sizeof(*adapter), 1, nq);
	if (!netdev) {
		err = -ENOMEM;
		goto out_release_regions;
	}
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pci_set_drvdata(pdev, netdev);
	adapter = netdev_priv(netdev);
	adapter->netdev = netdev;
	adapter->pdev = pdev;
	adapter->num_rx_queues = nq;
	adapter->num_vectors = nq + 1;
	adapter->rx_ring_count = RXSCOPE_IGB_DEFAULT_RING;
	adapter->tx_ring_count = RXSCOPE_IGB_DEFAULT_RING;
	adapter->rx_itr_usecs = RXSCOPE_IGB_DEFAULT_RX_USECS;
	spin_lock_init(&adapter->stats_lock);
	spin_lock_init(&adapter->rctl_lock);
	INIT_DELAYED_WORK(&adapter->watchdog_task, rxscope_igb_watchdog);
	INIT_WORK(&adapter->reset_task, rxscope_igb_reset_task);

	adapter->hw.hw_addr = pci_iomap(pdev, 0, 0);
	if (!adapter->hw.hw_addr) {
		err = -EIO;
		goto out_free_netdev;
	}

	err = rxscope_igb_reset_hw(adapter);
	if (err) {
		dev_err(&pdev->dev, "failed to reset the device: %d\n", err);
		goto out_iounmap;
	}

	rxscope_igb_read_mac(adapter, mac);
	if (is_valid_ether_addr(mac)) {
		eth_hw_addr_set(netdev, mac);
	} else {
		dev_warn(&pdev->dev, "invalid MAC %pM, using a random one\n",
			 mac);
		eth_hw_addr_random(netdev);
	}

	err = rxscope_igb_alloc_vectors(adapter);
	if (err < 0) {
		dev_err(&pdev->dev, "failed to get any interrupt: %d\n", err);
		goto out_iounmap;
	}
	nq = adapter->num_rx_queues;
	err = netif_set_real_num_rx_queues(netdev, nq);
	if (err)
		goto out_free_vectors;

	netdev->netdev_ops = &rxscope_igb_netdev_ops;
	rxscope_igb_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = 5 * HZ;
	netdev->hw_features = NETIF_F_RXCSUM | NETIF_F_RXHASH |
			      NETIF_F_HW_VLAN_CTAG_RX;
	netdev->features = netdev->hw_features;
	netdev->priv_flags |= IFF_UNICAST_FLT;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = RXSCOPE_IGB_MAX_MTU;
	rxscope_igb_init_queues(adapter);

	err = rxscope_igb_phy_restart_autoneg(adapter);
	if (err)
		dev_warn(&pdev->dev, "PHY did not take autoneg restart: %d\n",
			 err);

	pci_save_state(pdev);	/* for a slot reset after a PCI error */
	netif_carrier_off(netdev);
	err = register_netdev(netdev);
	if (err) {
		dev_err(&pdev->dev, "failed to register netdev: %d\n", err);
		goto out_del_napi;
	}
	rxscope_igb_debugfs_init(adapter);

	netdev_info(netdev, "%pM, %d RX queue(s), %d %s vector(s)\n",
		    netdev->dev_addr, nq, adapter->num_vectors,
		    adapter->msix ? "MSI-X" :
		    pdev->msi_enabled ? "MSI" : "INTx");
	return 0;

out_del_napi:
	rxscope_igb_del_napi(adapter);
out_free_vectors:
	pci_free_irq_vectors(pdev);
out_iounmap:
	pci_iounmap(pdev, adapter->hw.hw_addr);
out_free_netdev:
	free_netdev(netdev);
out_release_regions:
	pci_release_mem_regions(pdev);
out_disable_device:
	pci_disable_device(pdev);
	return err;
}

static void rxscope_igb_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	struct rxscope_igb_hw *hw = &adapter->hw;

	rxscope_igb_debugfs_exit(adapter);
	unregister_netdev(netdev);
	/* closed: the reset finds nothing running, and none is queued again */
	cancel_work_sync(&adapter->reset_task);

	/* hand the device back quiet: no DMA, no interrupts */
	rxscope_igb_irq_disable(adapter);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_CTRL_EXT,
			 rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL_EXT) &
			 ~RXSCOPE_IGB_CTRL_EXT_DRV_LOAD);

	rxscope_igb_del_napi(adapter);
	pci_free_irq_vectors(pdev);
	pci_iounmap(pdev, hw->hw_addr);
	free_netdev(netdev);
	pci_release_mem_regions(pdev);
	/* a PCI error that was never recovered left it disabled already */
	if (pci_is_enabled(pdev))
		pci_disable_device(pdev);
}

/*
 * Take the interface off the device: detach it, stop the datapath if it
 * runs (its rings are freed), mask every interrupt and tell the firmware
 * the driver is gone. The device does no more DMA.
 */
static void rxscope_igb_detach(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct rxscope_igb_hw *hw = &adapter->hw;

	rtnl_lock();
	netif_device_detach(netdev);
	if (netif_running(netdev))
		rxscope_igb_close(netdev);
	rtnl_unlock();
	cancel_work_sync(&adapter->reset_task);

	rxscope_igb_irq_disable(adapter);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_CTRL_EXT,
			 rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL_EXT) &
			 ~RXSCOPE_IGB_CTRL_EXT_DRV_LOAD);
	rxscope_igb_flush(hw);
}

/* After a resume or a slot reset: reset the MAC, reopen if it was up. */
static int rxscope_igb_attach(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	int err;

	err = rxscope_igb_reset_hw(adapter);
	if (err) {
		netdev_err(netdev, "failed to reset the device: %d\n", err);
		return err;
	}
	rxscope_igb_phy_restart_autoneg(adapter);

	rtnl_lock();
	err = netif_running(netdev) ? rxscope_igb_open(netdev) : 0;
	if (!err)
		netif_device_attach(netdev);
	rtnl_unlock();
	return err;
}

static void rxscope_igb_shutdown(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);

	rxscope_igb_detach(netdev_priv(netdev));
	pci_clear_master(pdev);
	netdev_info(netdev, "shut down: no DMA, no interrupts\n");
	if (system_state == SYSTEM_POWER_OFF)
		pci_set_power_state(pdev, PCI_D3hot);
}

static int rxscope_igb_suspend(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	rxscope_igb_detach(netdev_priv(pci_get_drvdata(pdev)));
	pci_clear_master(pdev);
	return 0;
}

static int rxscope_igb_resume(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	pci_set_master(pdev);
	return rxscope_igb_attach(netdev_priv(pci_get_drvdata(pdev)));
}

static DEFINE_SIMPLE_DEV_PM_OPS(rxscope_igb_pm_ops, rxscope_igb_suspend,
				rxscope_igb_resume);

/* PCI error recovery: stop, let the core reset the slot, start again. */
static pci_ers_result_t rxscope_igb_error_detected(struct pci_dev *pdev,
						   pci_channel_state_t state)
{
	struct rxscope_igb_adapter *adapter =
		netdev_priv(pci_get_drvdata(pdev));

	if (state == pci_channel_io_perm_failure) {
		dev_err(&pdev->dev, "PCI error: device lost, interface detached\n");
		rtnl_lock();
		netif_device_detach(adapter->netdev);
		rtnl_unlock();
		return PCI_ERS_RESULT_DISCONNECT;
	}
	dev_warn(&pdev->dev, "PCI error: datapath stopped until the slot reset\n");
	rxscope_igb_detach(adapter);
	pci_disable_device(pdev);
	return PCI_ERS_RESULT_NEED_RESET;
}

static pci_ers_result_t rxscope_igb_slot_reset(struct pci_dev *pdev)
{
	if (pci_enable_device_mem(pdev)) {
		dev_err(&pdev->dev, "cannot re-enable the device after a reset\n");
		return PCI_ERS_RESULT_DISCONNECT;
	}
	pci_set_master(pdev);
	pci_restore_state(pdev);
	pci_save_state(pdev);
	return PCI_ERS_RESULT_RECOVERED;
}

static void rxscope_igb_io_resume(struct pci_dev *pdev)
{
	struct rxscope_igb_adapter *adapter =
		netdev_priv(pci_get_drvdata(pdev));

	if (rxscope_igb_attach(adapter))
		dev_err(&pdev->dev, "cannot restart after a PCI error\n");
	else
		dev_info(&pdev->dev, "PCI error: recovered, datapath restarted\n");
}

/*
 * A function reset from outside (sysfs "reset", a VFIO or bus reset): the
 * device loses every register, so stop before it as for a suspend, and
 * start again after it from a reset MAC.
 */
static void rxscope_igb_reset_prepare(struct pci_dev *pdev)
{
	rxscope_igb_detach(netdev_priv(pci_get_drvdata(pdev)));
}

static void rxscope_igb_reset_done(struct pci_dev *pdev)
{
	if (rxscope_igb_attach(netdev_priv(pci_get_drvdata(pdev))))
		dev_err(&pdev->dev, "cannot restart after a function reset\n");
}

static const struct pci_error_handlers rxscope_igb_err_handler = {
	.error_detected	= rxscope_igb_error_detected,
	.slot_reset	= rxscope_igb_slot_reset,
	.resume		= rxscope_igb_io_resume,
	.reset_prepare	= rxscope_igb_reset_prepare,
	.reset_done	= rxscope_igb_reset_done,
};

static struct pci_driver rxscope_igb_driver = {
	.name		= RXSCOPE_IGB_DRV_NAME,
	.id_table	= rxscope_igb_pci_tbl,
	.probe		= rxscope_igb_probe,
	.remove		= rxscope_igb_remove,
	.shutdown	= rxscope_igb_shutdown,
	.driver.pm	= pm_sleep_ptr(&rxscope_igb_pm_ops),
	.err_handler	= &rxscope_igb_err_handler,
};

/* Say clearly when another driver (the in-tree igb) already has a device. */
static void rxscope_igb_report_owned(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(RXSCOPE_IGB_VENDOR_INTEL,
				      RXSCOPE_IGB_DEV_82576, pdev))) {
		struct device_driver *drv = READ_ONCE(pdev->dev.driver);

		if (drv)
			pr_warn("%s: %s is owned by driver %s; not claiming it (unbind it or rmmod %s first)\n",
				RXSCOPE_IGB_DRV_NAME, pci_name(pdev),
				drv->name, drv->name);
	}
}

static int __init rxscope_igb_init(void)
{
	int err;

	rxscope_igb_report_owned();
	rxscope_igb_debugfs_root_init();
	err = pci_register_driver(&rxscope_igb_driver);
	if (err)
		rxscope_igb_debugfs_root_exit();
	return err;
}
module_init(rxscope_igb_init);

static void __exit rxscope_igb_exit(void)
{
	pci_unregister_driver(&rxscope_igb_driver);
	rxscope_igb_debugfs_root_exit();
}
module_exit(rxscope_igb_exit);

MODULE_AUTHOR("rxscope");
MODULE_DESCRIPTION("rxscope_igb: Intel 82576 driver with a traceable receive path");
MODULE_LICENSE("GPL");
