// SPDX-License-Identifier: GPL-2.0
/*
 * rxscope_igb_rx.c - the receive hot path: the queue interrupt handler, the
 * NAPI poll and the RX ring clean loop, plus the RX ring's buffers (halves
 * of pages, recycled in place) and their allocation and release.
 *
 * The tracer hooks rxscope_igb_msix_ring(), rxscope_igb_poll() and
 * rxscope_igb_clean_rx_irq() by name through BTF; they are noinline and
 * their signatures are part of the contract described in docs/module.md.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/prefetch.h>
#include <linux/skbuff.h>

#include "rxscope_igb.h"

#define RXSCOPE_IGB_RX_DMA_ATTR \
	(DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING)

static inline union rxscope_igb_rx_desc *
rxscope_igb_rx_desc(struct rxscope_igb_ring *ring, u16 i)
{
	return &((union rxscope_igb_rx_desc *)ring->desc)[i];
}

/**
 * rxscope_igb_setup_rx_ring - allocate descriptor memory and buffer slots
 * @ring: ring with count, dev and netdev set
 *
 * Return: 0 or -ENOMEM.
 */
int rxscope_igb_setup_rx_ring(struct rxscope_igb_ring *ring)
{
	if (rxscope_igb_inject(&rxscope_igb_inject_fail_ring_alloc))
		return -ENOMEM;
	ring->rx_buffer_info = kvcalloc(ring->count,
					sizeof(*ring->rx_buffer_info),
					GFP_KERNEL);
	if (!ring->rx_buffer_info)
		return -ENOMEM;

	ring->size = ALIGN(ring->count * sizeof(union rxscope_igb_rx_desc),
			   4096);
	ring->desc = dma_alloc_coherent(ring->dev, ring->size, &ring->dma,
					GFP_KERNEL);
	if (!ring->desc) {
		kvfree(ring->rx_buffer_info);
		ring->rx_buffer_info = NULL;
		return -ENOMEM;
	}
	ring->size = ring->count * sizeof(union rxscope_igb_rx_desc);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->skb = NULL;
	ring->discard = false;
	return 0;
}

/**
 * rxscope_igb_clean_rx_ring - release every page and a half-built skb
 * @ring: ring whose queue the device no longer uses
 *
 * The ring is left empty (descriptors zeroed), ready to be refilled.
 */
void rxscope_igb_clean_rx_ring(struct rxscope_igb_ring *ring)
{
	u16 i;

	if (!ring->rx_buffer_info)
		return;

	dev_kfree_skb_any(ring->skb);
	ring->skb = NULL;
	ring->discard = false;

	for (i = 0; i < ring->count; i++) {
		struct rxscope_igb_rx_buffer *buf = &ring->rx_buffer_info[i];

		if (!buf->page)
			continue;
		dma_unmap_page_attrs(ring->dev, buf->dma,
				     RXSCOPE_IGB_RX_PAGE_SIZE, DMA_FROM_DEVICE,
				     RXSCOPE_IGB_RX_DMA_ATTR);
		__page_frag_cache_drain(buf->page, buf->pagecnt_bias);
		buf->page = NULL;
	}
	memset(ring->desc, 0, ring->size);
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
}

/**
 * rxscope_igb_free_rx_ring - release the buffers, then the ring itself
 * @ring: ring whose queue the device no longer uses
 */
void rxscope_igb_free_rx_ring(struct rxscope_igb_ring *ring)
{
	if (!ring->rx_buffer_info)
		return;

	rxscope_igb_clean_rx_ring(ring);
	kvfree(ring->rx_buffer_info);
	ring->rx_buffer_info = NULL;

	dma_free_coherent(ring->dev, ALIGN(ring->size, 4096), ring->desc,
			  ring->dma);
	ring->desc = NULL;
}

static bool rxscope_igb_alloc_page(struct rxscope_igb_ring *ring,
				   struct rxscope_igb_rx_buffer *buf)
{
	struct page *page;
	dma_addr_t dma;

	if (rxscope_igb_inject(&rxscope_igb_inject_fail_page_alloc))
		return false;
	page = dev_alloc_pages(RXSCOPE_IGB_RX_PAGE_ORDER);
	if (unlikely(!page))
		return false;

	dma = dma_map_page_attrs(ring->dev, page, 0, RXSCOPE_IGB_RX_PAGE_SIZE,
				 DMA_FROM_DEVICE, RXSCOPE_IGB_RX_DMA_ATTR);
	if (dma_mapping_error(ring->dev, dma) ||
	    rxscope_igb_inject(&rxscope_igb_inject_fail_dma_map)) {
		if (!dma_mapping_error(ring->dev, dma))
			dma_unmap_page_attrs(ring->dev, dma,
					     RXSCOPE_IGB_RX_PAGE_SIZE,
					     DMA_FROM_DEVICE,
					     RXSCOPE_IGB_RX_DMA_ATTR);
		__free_pages(page, RXSCOPE_IGB_RX_PAGE_ORDER);
		return false;
	}

	buf->dma = dma;
	buf->page = page;
	buf->page_offset = 0;
	/* hold many references up front so reuse needs no atomic per frame */
	page_ref_add(page, USHRT_MAX - 1);
	buf->pagecnt_bias = USHRT_MAX;
	return true;
}

/**
 * rxscope_igb_alloc_rx_buffers - give up to @count buffers back to the device
 * @ring: RX ring
 * @count: slots to refill, starting at next_to_use
 *
 * A slot whose page is still held (recycled) is handed back as is; an empty
 * slot gets a new page. The tail is written once per batch, after dma_wmb()
 * so that the device sees the descriptors before the new tail. The caller
 * owns the ring's stats write section (alloc_failed is counted here).
 */
void rxscope_igb_alloc_rx_buffers(struct rxscope_igb_ring *ring, u16 count)
{
	u16 i = ring->next_to_use;

	while (count--) {
		struct rxscope_igb_rx_buffer *buf = &ring->rx_buffer_info[i];
		union rxscope_igb_rx_desc *desc = rxscope_igb_rx_desc(ring, i);

		if (!buf->page &&
		    unlikely(!rxscope_igb_alloc_page(ring, buf))) {
			ring->rx_stats.alloc_failed++;
			break;
		}
		/* new pages too: they are mapped with DMA_ATTR_SKIP_CPU_SYNC */
		dma_sync_single_range_for_device(ring->dev, buf->dma,
						 buf->page_offset +
						 RXSCOPE_IGB_RX_HEADROOM,
						 RXSCOPE_IGB_RX_BUFSZ,
						 DMA_FROM_DEVICE);
		desc->read.pkt_addr = cpu_to_le64(buf->dma + buf->page_offset +
						  RXSCOPE_IGB_RX_HEADROOM);
		/* clears the written-back status, DD included */
		desc->read.hdr_addr = 0;

		if (++i == ring->count)
			i = 0;
	}

	/*
	 * The slot at next_to_use stays ours, and may still hold the status
	 * the device wrote on its last lap: clear it, so that the clean loop
	 * never takes a stale DD for a new frame (a refill may have failed).
	 */
	rxscope_igb_rx_desc(ring, i)->wb.status_error = 0;

	if (ring->next_to_use != i) {
		ring->next_to_use = i;
		dma_wmb();
		writel(i, ring->tail);
	}
}

/*
 * After the stack got a reference to this half: flip to the other half if
 * nobody else holds it, else let the page go and refill the slot later.
 */
static void rxscope_igb_put_rx_buffer(struct rxscope_igb_ring *ring,
				      struct rxscope_igb_rx_buffer *buf,
				      bool gave_ref)
{
	struct page *page = buf->page;

	if (!gave_ref)
		return;		/* dropped: the same half is reused */

	buf->pagecnt_bias--;
	if (likely(dev_page_is_reusable(page) &&
		   page_ref_count(page) - buf->pagecnt_bias <= 1)) {
		if (unlikely(buf->pagecnt_bias == 1)) {
			page_ref_add(page, USHRT_MAX - 1);
			buf->pagecnt_bias = USHRT_MAX;
		}
		buf->page_offset ^= RXSCOPE_IGB_RX_TRUESIZE;
		ring->rx_stats.page_reuse++;
		return;
	}

	dma_unmap_page_attrs(ring->dev, buf->dma, RXSCOPE_IGB_RX_PAGE_SIZE,
			     DMA_FROM_DEVICE, RXSCOPE_IGB_RX_DMA_ATTR);
	__page_frag_cache_drain(page, buf->pagecnt_bias);
	buf->page = NULL;
}

/*
 * First buffer of a frame: the skb is built around the half itself, its
 * head starting at the half (headroom, then the frame's first @size bytes)
 * and its skb_shared_info at the half's end. Nothing is copied; the half
 * goes to the stack, whose reference the caller accounts for.
 */
static struct sk_buff *rxscope_igb_build_skb(struct rxscope_igb_rx_buffer *buf,
					     unsigned int size)
{
	void *va = page_address(buf->page) + buf->page_offset;
	struct sk_buff *skb;

	/* two halves per page: a larger page would be under-counted in truesize */
	BUILD_BUG_ON(PAGE_SIZE != 2 * RXSCOPE_IGB_RX_TRUESIZE);
	/* the device area and skb_shared_info must not overlap */
	BUILD_BUG_ON(RXSCOPE_IGB_RX_HEADROOM + RXSCOPE_IGB_RX_BUFSZ +
		     SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) >
		     RXSCOPE_IGB_RX_TRUESIZE);
	net_prefetch(va + RXSCOPE_IGB_RX_HEADROOM);
	skb = napi_build_skb(va, RXSCOPE_IGB_RX_TRUESIZE);
	if (unlikely(!skb))
		return NULL;
	skb_reserve(skb, RXSCOPE_IGB_RX_HEADROOM);
	__skb_put(skb, size);
	return skb;
}

/* Checksum result, RSS hash, stripped VLAN tag, queue and protocol. */
static void rxscope_igb_process_skb_fields(struct rxscope_igb_ring *ring,
					   union rxscope_igb_rx_desc *desc,
					   u32 staterr, struct sk_buff *skb)
{
	struct net_device *netdev = ring->netdev;
	struct rxscope_igb_rx_stats *st = &ring->rx_stats;

	if (netdev->features & NETIF_F_RXHASH) {
		u32 type = le16_to_cpu(desc->wb.pkt_info) &
			   RXSCOPE_IGB_RSS_TYPE_MASK;

		if (type) {
			bool l4 = type == RXSCOPE_IGB_RSS_TYPE_IPV4_TCP ||
				  type == RXSCOPE_IGB_RSS_TYPE_IPV6_TCP ||
				  type == RXSCOPE_IGB_RSS_TYPE_IPV6_TCPEX ||
				  type >= RXSCOPE_IGB_RSS_TYPE_IPV4_UDP;

			skb_set_hash(skb, le32_to_cpu(desc->wb.rss),
				     l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
		}
	}

	skb_checksum_none_assert(skb);
	if ((netdev->features & NETIF_F_RXCSUM) &&
	    !(staterr & RXSCOPE_IGB_RXD_STAT_IXSM)) {
		if (staterr & (RXSCOPE_IGB_RXD_ERR_IPE |
			       RXSCOPE_IGB_RXD_ERR_TCPE)) {
			/* leave CHECKSUM_NONE: the stack verifies and drops */
			if (staterr & RXSCOPE_IGB_RXD_ERR_IPE)
				st->csum_ip_bad++;
			if (staterr & RXSCOPE_IGB_RXD_ERR_TCPE)
				st->csum_l4_bad++;
		} else if (staterr & (RXSCOPE_IGB_RXD_STAT_TCPCS |
				      RXSCOPE_IGB_RXD_STAT_UDPCS)) {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			st->csum_good++;
		}
	}

	if ((netdev->features & NETIF_F_HW_VLAN_CTAG_RX) &&
	    (staterr & RXSCOPE_IGB_RXD_STAT_VP)) {
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       le16_to_cpu(desc->wb.vlan));
		st->vlan_stripped++;
	}

	skb_record_rx_queue(skb, ring->queue_index);
	skb->protocol = eth_type_trans(skb, netdev);
}

/* The inject_*_delay_ns test aids: spin on the clock, never sleep. */
static void rxscope_igb_inject_delay(unsigned int ns)
{
	u64 end = ktime_get_ns() +
		  min_t(unsigned int, ns, RXSCOPE_IGB_MAX_POLL_DELAY_NS);

	while (ktime_get_ns() < end)
		cpu_relax();
}

/**
 * rxscope_igb_clean_rx_irq - harvest received frames from one RX ring
 * @q_vector: the queue's vector (its NAPI and ring)
 * @budget: most frames to hand to the stack
 *
 * Walks descriptors while DD is set, reading the rest of each descriptor
 * only after dma_rmb(). The first buffer of a frame becomes the skb's head
 * in place; descriptors without EOP chain the next buffers to it as page
 * fragments (frames larger than one 1 KiB buffer), also across polls.
 * Frames with descriptor error bits or longer than the MTU allows are
 * dropped and counted. Good frames get their checksum result, RSS hash,
 * VLAN tag and protocol set and go to napi_gro_receive(). Buffers are given
 * back to the device in batches of RXSCOPE_IGB_RX_REFILL_BATCH descriptors,
 * also at the end of the walk: fewer than a batch wait for the next poll,
 * which saves a tail write (an MMIO access) per poll at low rates.
 *
 * Return: the number of frames handed to GRO.
 */
noinline int rxscope_igb_clean_rx_irq(struct rxscope_igb_q_vector *q_vector,
				      int budget)
{
	struct rxscope_igb_ring *ring = q_vector->rx_ring;
	unsigned int max_len = ring->netdev->mtu + ETH_HLEN + 2 * VLAN_HLEN;
	unsigned int total_bytes = 0, total_packets = 0;
	u16 cleaned = rxscope_igb_desc_unused(ring);
	struct sk_buff *skb = ring->skb;
	u64 desc_errors = 0, oversize = 0, non_eop = 0;
	/* dropped frames cost descriptors too: a flood of them ends the walk */
	unsigned int descs_left = budget * RXSCOPE_IGB_RX_MAX_DESCS_PER_FRAME;
	unsigned int desc_delay = READ_ONCE(rxscope_igb_inject_rx_desc_delay_ns);

	ring->rx_more = false;
	u64_stats_update_begin(&ring->syncp);
	while (likely(total_packets < budget)) {
		struct rxscope_igb_rx_buffer *buf;
		union rxscope_igb_rx_desc *desc;
		unsigned int size;
		bool gave_ref = false;
		u32 staterr;

		if (unlikely(!descs_left)) {
			ring->rx_more = true;
			break;
		}

		if (cleaned >= RXSCOPE_IGB_RX_REFILL_BATCH) {
			rxscope_igb_alloc_rx_buffers(ring, cleaned);
			cleaned = rxscope_igb_desc_unused(ring);
		}

		/* the device owns no slot from next_to_use on */
		if (unlikely(ring->next_to_clean == ring->next_to_use))
			break;
		desc = rxscope_igb_rx_desc(ring, ring->next_to_clean);
		staterr = le32_to_cpu(desc->wb.status_error);
		if (!(staterr & RXSCOPE_IGB_RXD_STAT_DD))
			break;
		/* read nothing else of the descriptor before DD was seen */
		dma_rmb();

		descs_left--;
		/* test aid: a slower CPU, or a device that writes faster */
		if (unlikely(desc_delay))
			rxscope_igb_inject_delay(desc_delay);
		size = le16_to_cpu(desc->wb.length);
		buf = &ring->rx_buffer_info[ring->next_to_clean];
		if (unlikely(size > RXSCOPE_IGB_RX_BUFSZ)) {
			/* a length beyond the buffer: drop the whole frame */
			size = 0;
			dev_kfree_skb_any(skb);
			skb = NULL;
			ring->discard = true;
		}
		dma_sync_single_range_for_cpu(ring->dev, buf->dma,
					      buf->page_offset +
					      RXSCOPE_IGB_RX_HEADROOM, size,
					      DMA_FROM_DEVICE);

		if (ring->discard) {
			/* rest of a frame already being dropped */
		} else if (skb) {
			if (skb_shinfo(skb)->nr_frags < MAX_SKB_FRAGS) {
				skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags,
						buf->page, buf->page_offset +
						RXSCOPE_IGB_RX_HEADROOM,
						size, RXSCOPE_IGB_RX_TRUESIZE);
				gave_ref = true;
			} else {
				dev_kfree_skb_any(skb);
				skb = NULL;
				ring->discard = true;
			}
		} else if (size) {
			skb = rxscope_igb_build_skb(buf, size);
			if (unlikely(!skb)) {
				/* retry this descriptor in a later poll */
				ring->rx_stats.alloc_failed++;
				break;
			}
			gave_ref = true;
		}

		rxscope_igb_put_rx_buffer(ring, buf, gave_ref);
		cleaned++;
		if (++ring->next_to_clean == ring->count)
			ring->next_to_clean = 0;

		if (!(staterr & RXSCOPE_IGB_RXD_STAT_EOP)) {
			non_eop++;
			continue;
		}

		if (unlikely(!skb)) {
			/* too many fragments, a bad length, or an empty frame */
			if (ring->discard)
				oversize++;
			else
				desc_errors++;
			ring->discard = false;
			continue;
		}
		if (unlikely(staterr & RXSCOPE_IGB_RXD_ERR_FRAME)) {
			dev_kfree_skb_any(skb);
			skb = NULL;
			desc_errors++;
			continue;
		}
		if (unlikely(skb->len > max_len)) {
			dev_kfree_skb_any(skb);
			skb = NULL;
			oversize++;
			continue;
		}
		/* no Ethernet header: nothing for eth_type_trans() to read */
		if (unlikely(skb->len < ETH_HLEN)) {
			dev_kfree_skb_any(skb);
			skb = NULL;
			desc_errors++;
			continue;
		}
		/* short frames are padded to the minimum (frees on failure) */
		if (unlikely(eth_skb_pad(skb))) {
			skb = NULL;
			ring->rx_stats.alloc_failed++;
			continue;
		}

		total_bytes += skb->len;
		rxscope_igb_process_skb_fields(ring, desc, staterr, skb);
		napi_gro_receive(&q_vector->napi, skb);
		skb = NULL;
		total_packets++;
	}

	ring->skb = skb;
	ring->rx_stats.packets += total_packets;
	ring->rx_stats.bytes += total_bytes;
	ring->rx_stats.desc_errors += desc_errors;
	ring->rx_stats.oversize += oversize;
	ring->rx_stats.non_eop += non_eop;
	if (cleaned >= RXSCOPE_IGB_RX_REFILL_BATCH)
		rxscope_igb_alloc_rx_buffers(ring, cleaned);
	u64_stats_update_end(&ring->syncp);

	return total_packets;
}

/**
 * rxscope_igb_msix_ring - interrupt handler of one queue vector
 * @irq: the interrupt
 * @data: the queue's struct rxscope_igb_q_vector
 *
 * Masks the vector (EIMC; the poll unmasks it through EIMS) and schedules
 * NAPI. Nothing else happens in hard interrupt context.
 *
 * Return: IRQ_HANDLED.
 */
noinline irqreturn_t rxscope_igb_msix_ring(int irq, void *data)
{
	struct rxscope_igb_q_vector *q_vector = data;

	rxscope_igb_wr32(&q_vector->adapter->hw, RXSCOPE_IGB_EIMC,
			 q_vector->eims_value);
	napi_schedule_irqoff(&q_vector->napi);
	return IRQ_HANDLED;
}

/**
 * rxscope_igb_poll - NAPI poll of one queue vector
 * @napi: the vector's NAPI instance
 * @budget: frames we may hand up in this call
 *
 * Cleans TX completions (vector of queue 0), then the RX ring. When fewer
 * than @budget frames were harvested it completes NAPI and unmasks the
 * vector through EIMS; otherwise it stays scheduled.
 *
 * Return: frames harvested (@budget when more work is pending).
 */
noinline int rxscope_igb_poll(struct napi_struct *napi, int budget)
{
	struct rxscope_igb_q_vector *q_vector =
		container_of(napi, struct rxscope_igb_q_vector, napi);
	unsigned int delay = READ_ONCE(rxscope_igb_inject_poll_delay_ns);
	bool clean_complete = true;
	int done = 0;

	/* the test aid never slows down netpoll (budget 0) */
	if (unlikely(delay) && budget) {
		rxscope_igb_inject_delay(delay);
		atomic64_inc(&q_vector->adapter->poll_delays);
	}

	if (q_vector->tx_ring)
		clean_complete = rxscope_igb_clean_tx_irq(q_vector, budget);

	if (unlikely(budget <= 0))
		return budget;

	done = rxscope_igb_clean_rx_irq(q_vector, budget);
	if (done >= budget || q_vector->rx_ring->rx_more)
		clean_complete = false;

	if (!clean_complete)
		return budget;

	done = min(done, budget - 1);
	if (likely(napi_complete_done(napi, done)))
		rxscope_igb_irq_unmask(q_vector);
	return done;
}
