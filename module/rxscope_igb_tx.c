// SPDX-License-Identifier: GPL-2.0
/*
 * rxscope_igb_tx.c - the single transmit queue: ring memory, ndo_start_xmit
 * (one linear buffer per frame, no offloads) and the completion clean-up
 * that runs in the NAPI poll of queue 0's vector.
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "rxscope_igb.h"

static inline union rxscope_igb_tx_desc *
rxscope_igb_tx_desc(struct rxscope_igb_ring *ring, u16 i)
{
	return &((union rxscope_igb_tx_desc *)ring->desc)[i];
}

int rxscope_igb_setup_tx_ring(struct rxscope_igb_ring *ring)
{
	if (rxscope_igb_inject(&rxscope_igb_inject_fail_ring_alloc))
		return -ENOMEM;
	ring->tx_buffer_info = kvcalloc(ring->count,
					sizeof(*ring->tx_buffer_info),
					GFP_KERNEL);
	if (!ring->tx_buffer_info)
		return -ENOMEM;

	ring->size = ALIGN(ring->count * sizeof(union rxscope_igb_tx_desc),
			   4096);
	ring->desc = dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		kvfree(ring->tx_buffer_info);
		ring->tx_buffer_info = NULL;
		return -ENOMEM;
	}
	ring->size = ring->count * sizeof(union rxscope_igb_tx_desc);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	return 0;
}

/* Unmap and free the frames the device never completed; empty the ring. */
void rxscope_igb_clean_tx_ring(struct rxscope_igb_ring *ring)
{
	u16 i;

	if (!ring->tx_buffer_info)
		return;

	for (i = 0; i < ring->count; i++) {
		struct rxscope_igb_tx_buffer *tb = &ring->tx_buffer_info[i];

		if (!tb->skb)
			continue;
		dma_unmap_single(ring->dev, tb->dma, tb->len, DMA_TO_DEVICE);
		dev_kfree_skb_any(tb->skb);
		tb->skb = NULL;
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(ring->netdev, 0));
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
}

/* The frames the device never completed, then the ring itself. */
void rxscope_igb_free_tx_ring(struct rxscope_igb_ring *ring)
{
	if (!ring->tx_buffer_info)
		return;

	rxscope_igb_clean_tx_ring(ring);
	kvfree(ring->tx_buffer_info);
	ring->tx_buffer_info = NULL;
	dma_free_coherent(ring->dev, ALIGN(ring->size, 4096), ring->desc,
			  ring->dma);
	ring->desc = NULL;
}

/*
 * Stop the queue when fewer than @needed descriptors are free. The clean-up
 * may free descriptors between the check and the stop, and then finds the
 * queue still running and wakes nothing: so check again after the stop
 * (the barrier pairs with the one in the clean-up after it moved
 * next_to_clean) and restart the queue if there is room after all.
 *
 * Return: 0 when the frame fits, -EBUSY when the queue stays stopped.
 */
static int rxscope_igb_maybe_stop_tx(struct net_device *netdev,
				     struct rxscope_igb_ring *ring, u16 needed)
{
	if (likely(rxscope_igb_desc_unused(ring) >= needed))
		return 0;

	netif_stop_queue(netdev);
	/* pairs with the smp_mb() in the clean-up after it moves next_to_clean */
	smp_mb();
	if (likely(rxscope_igb_desc_unused(ring) < needed))
		return -EBUSY;

	netif_start_queue(netdev);
	u64_stats_update_begin(&ring->syncp);
	ring->tx_stats.restarts++;
	u64_stats_update_end(&ring->syncp);
	return 0;
}

/**
 * rxscope_igb_xmit_frame - queue one frame on TX queue 0
 * @skb: the frame (made linear here if it is not)
 * @netdev: our device
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY when the ring is full (the queue
 * is stopped first, so this only happens on a race with the stack).
 */
netdev_tx_t rxscope_igb_xmit_frame(struct sk_buff *skb,
				   struct net_device *netdev)
{
	struct rxscope_igb_adapter *adapter = netdev_priv(netdev);
	struct rxscope_igb_ring *ring = &adapter->tx_ring;
	struct rxscope_igb_tx_buffer *tb;
	union rxscope_igb_tx_desc *desc;
	unsigned int len;
	dma_addr_t dma;
	u16 i;

	if (unlikely(rxscope_igb_maybe_stop_tx(netdev, ring, 1))) {
		u64_stats_update_begin(&ring->syncp);
		ring->tx_stats.busy++;
		u64_stats_update_end(&ring->syncp);
		return NETDEV_TX_BUSY;
	}

	if (skb_put_padto(skb, ETH_ZLEN))
		return NETDEV_TX_OK;
	if (skb_linearize(skb))
		goto drop;

	len = skb->len;
	dma = dma_map_single(ring->dev, skb->data, len, DMA_TO_DEVICE);
	if (dma_mapping_error(ring->dev, dma))
		goto drop;
	if (rxscope_igb_inject(&rxscope_igb_inject_fail_dma_map)) {
		dma_unmap_single(ring->dev, dma, len, DMA_TO_DEVICE);
		goto drop;
	}

	i = ring->next_to_use;
	tb = &ring->tx_buffer_info[i];
	tb->skb = skb;
	tb->dma = dma;
	tb->len = len;

	desc = rxscope_igb_tx_desc(ring, i);
	desc->read.buffer_addr = cpu_to_le64(dma);
	desc->read.cmd_type_len = cpu_to_le32(RXSCOPE_IGB_TXD_DTYP_DATA |
					      RXSCOPE_IGB_TXD_CMD_DEXT |
					      RXSCOPE_IGB_TXD_CMD_IFCS |
					      RXSCOPE_IGB_TXD_CMD_EOP |
					      RXSCOPE_IGB_TXD_CMD_RS | len);
	desc->read.olinfo_status =
		cpu_to_le32(len << RXSCOPE_IGB_TXD_PAYLEN_SHIFT);

	netdev_sent_queue(netdev, len);
	skb_tx_timestamp(skb);

	if (++i == ring->count)
		i = 0;
	ring->next_to_use = i;

	/* descriptor writes must land before the device sees the new tail */
	wmb();
	if (likely(!READ_ONCE(rxscope_igb_inject_tx_stall)))
		writel(i, ring->tail);

	/* room for the next frame, or stop until the clean-up makes some */
	rxscope_igb_maybe_stop_tx(netdev, ring, 2);
	return NETDEV_TX_OK;

drop:
	u64_stats_update_begin(&ring->syncp);
	ring->tx_stats.dma_errors++;
	u64_stats_update_end(&ring->syncp);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * rxscope_igb_clean_tx_irq - reclaim frames the device has sent
 * @q_vector: vector owning the TX ring
 * @napi_budget: the poll's budget (0 from netpoll)
 *
 * At most count - 1 frames are ever in flight, so one pass reclaims all.
 *
 * Return: true (all completed work done).
 */
bool rxscope_igb_clean_tx_irq(struct rxscope_igb_q_vector *q_vector,
			      int napi_budget)
{
	struct rxscope_igb_ring *ring = q_vector->tx_ring;
	struct net_device *netdev = ring->netdev;
	unsigned int packets = 0, bytes = 0;
	u16 i = ring->next_to_clean;

	while (i != ring->next_to_use) {
		union rxscope_igb_tx_desc *desc = rxscope_igb_tx_desc(ring, i);
		struct rxscope_igb_tx_buffer *tb = &ring->tx_buffer_info[i];

		if (!(le32_to_cpu(desc->wb.status) & RXSCOPE_IGB_TXD_STAT_DD))
			break;
		dma_rmb();

		dma_unmap_single(ring->dev, tb->dma, tb->len, DMA_TO_DEVICE);
		bytes += tb->len;
		packets++;
		napi_consume_skb(tb->skb, napi_budget);
		tb->skb = NULL;
		desc->wb.status = 0;

		if (++i == ring->count)
			i = 0;
	}
	ring->next_to_clean = i;

	if (!packets)
		return true;

	netdev_completed_queue(netdev, packets, bytes);
	u64_stats_update_begin(&ring->syncp);
	ring->tx_stats.packets += packets;
	ring->tx_stats.bytes += bytes;
	u64_stats_update_end(&ring->syncp);

	/* pairs with the smp_mb() in xmit after it stopped the queue */
	smp_mb();
	if (unlikely(netif_queue_stopped(netdev) && netif_carrier_ok(netdev) &&
		     rxscope_igb_desc_unused(ring) >=
		     RXSCOPE_IGB_TX_WAKE_THRESH)) {
		netif_wake_queue(netdev);
		u64_stats_update_begin(&ring->syncp);
		ring->tx_stats.restarts++;
		u64_stats_update_end(&ring->syncp);
	}
	return true;
}
