// SPDX-License-Identifier: GPL-2.0
/*
 * rxscope_igb_hw.c - everything that programs the 82576 registers: reset,
 * MAC address, PHY autonegotiation, link state, RSS, receive and transmit
 * ring setup, the receive filter, MSI-X routing and masking, and the
 * device's clear-on-read statistics.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include "rxscope_igb_compat.h"

#include "rxscope_igb.h"

/**
 * rxscope_igb_reset_hw - mask everything, stop RX/TX and reset the MAC
 * @adapter: the device
 *
 * After the reset the link is down and set-link-up is written; the caller
 * restarts autonegotiation, which raises LSC when the link comes up.
 *
 * Return: 0, or -EIO when the reset bit never clears.
 */
int rxscope_igb_reset_hw(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 ctrl;
	int i;

	rxscope_igb_wr32(hw, RXSCOPE_IGB_IMC, ~0U);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIMC, ~0U);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RCTL, 0);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TCTL, RXSCOPE_IGB_TCTL_PSP);
	rxscope_igb_flush(hw);
	usleep_range(10000, 11000);

	ctrl = rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_CTRL, ctrl | RXSCOPE_IGB_CTRL_RST);
	usleep_range(20000, 21000);
	for (i = 0; i < 100; i++) {
		if (!(rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL) &
		      RXSCOPE_IGB_CTRL_RST))
			break;
		usleep_range(1000, 2000);
	}
	if (i == 100)
		return -EIO;

	/* the reset re-enabled nothing, but be explicit and drop old causes */
	rxscope_igb_wr32(hw, RXSCOPE_IGB_IMC, ~0U);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIMC, ~0U);
	rxscope_igb_rd32(hw, RXSCOPE_IGB_ICR);
	rxscope_igb_rd32(hw, RXSCOPE_IGB_EICR);

	ctrl = rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL);
	ctrl |= RXSCOPE_IGB_CTRL_SLU;
	ctrl &= ~(RXSCOPE_IGB_CTRL_LRST | RXSCOPE_IGB_CTRL_PHY_RST |
		  RXSCOPE_IGB_CTRL_FRCSPD | RXSCOPE_IGB_CTRL_FRCDPX |
		  RXSCOPE_IGB_CTRL_VME);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_CTRL, ctrl);

	ctrl = rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL_EXT);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_CTRL_EXT,
			 ctrl | RXSCOPE_IGB_CTRL_EXT_DRV_LOAD);
	rxscope_igb_flush(hw);
	return 0;
}

/* The device loads RAL0/RAH0 from its NVM at reset. */
void rxscope_igb_read_mac(struct rxscope_igb_adapter *adapter, u8 *mac)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 ral = rxscope_igb_rd32(hw, RXSCOPE_IGB_RAL(0));
	u32 rah = rxscope_igb_rd32(hw, RXSCOPE_IGB_RAH(0));

	mac[0] = ral & 0xff;
	mac[1] = (ral >> 8) & 0xff;
	mac[2] = (ral >> 16) & 0xff;
	mac[3] = (ral >> 24) & 0xff;
	mac[4] = rah & 0xff;
	mac[5] = (rah >> 8) & 0xff;
}

void rxscope_igb_write_mac(struct rxscope_igb_adapter *adapter, const u8 *mac)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 ral = mac[0] | (mac[1] << 8) | (mac[2] << 16) | ((u32)mac[3] << 24);
	u32 rah = mac[4] | (mac[5] << 8) | RXSCOPE_IGB_RAH_AV;

	rxscope_igb_wr32(hw, RXSCOPE_IGB_RAL(0), ral);
	rxscope_igb_flush(hw);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RAH(0), rah);
	rxscope_igb_flush(hw);
}

static int rxscope_igb_phy_write(struct rxscope_igb_adapter *adapter, u32 reg,
				 u16 val)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 mdic;
	int i;

	mdic = val | (reg << RXSCOPE_IGB_MDIC_REG_SHIFT) |
	       (RXSCOPE_IGB_PHY_ADDR << RXSCOPE_IGB_MDIC_PHY_SHIFT) |
	       RXSCOPE_IGB_MDIC_OP_WRITE;
	rxscope_igb_wr32(hw, RXSCOPE_IGB_MDIC, mdic);
	for (i = 0; i < 100; i++) {
		udelay(50);
		mdic = rxscope_igb_rd32(hw, RXSCOPE_IGB_MDIC);
		if (mdic & RXSCOPE_IGB_MDIC_READY)
			break;
	}
	if (!(mdic & RXSCOPE_IGB_MDIC_READY) || (mdic & RXSCOPE_IGB_MDIC_ERROR))
		return -EIO;
	return 0;
}

/**
 * rxscope_igb_phy_restart_autoneg - advertise 1000/full and renegotiate
 * @adapter: the device
 *
 * The link comes up asynchronously; the device then raises ICR.LSC, which
 * the "other" MSI-X vector turns into netif_carrier_on().
 *
 * Return: 0 or -EIO if the PHY did not take the write.
 */
int rxscope_igb_phy_restart_autoneg(struct rxscope_igb_adapter *adapter)
{
	return rxscope_igb_phy_write(adapter, RXSCOPE_IGB_PHY_BMCR,
				     RXSCOPE_IGB_BMCR_ANENABLE |
				     RXSCOPE_IGB_BMCR_ANRESTART |
				     RXSCOPE_IGB_BMCR_FD |
				     RXSCOPE_IGB_BMCR_SPEED1000);
}

bool rxscope_igb_link_up(struct rxscope_igb_adapter *adapter)
{
	return rxscope_igb_rd32(&adapter->hw, RXSCOPE_IGB_STATUS) &
	       RXSCOPE_IGB_STATUS_LU;
}

u32 rxscope_igb_link_speed(struct rxscope_igb_adapter *adapter)
{
	u32 status = rxscope_igb_rd32(&adapter->hw, RXSCOPE_IGB_STATUS);

	if (status & RXSCOPE_IGB_STATUS_SPEED_1000)
		return SPEED_1000;
	if (status & RXSCOPE_IGB_STATUS_SPEED_100)
		return SPEED_100;
	return SPEED_10;
}

bool rxscope_igb_full_duplex(struct rxscope_igb_adapter *adapter)
{
	return rxscope_igb_rd32(&adapter->hw, RXSCOPE_IGB_STATUS) &
	       RXSCOPE_IGB_STATUS_FD;
}

/**
 * rxscope_igb_setup_rss - spread flows over the RX queues
 * @adapter: the device
 *
 * Fills the 128-entry redirection table in equal blocks, one per queue (the
 * high bits of the hash pick the queue), loads the well-known default
 * Toeplitz key (the one of the Microsoft RSS verification suite, so that a
 * flow always lands on the same queue and tests are reproducible) and hashes
 * IPv4/IPv6 by addresses, and TCP and UDP by addresses and ports.
 * RXCSUM.PCSD makes the device write the hash into the descriptor (QEMU's
 * model enables RSS only with it); the L3/L4 checksum results are still
 * reported in the status bits.
 */
void rxscope_igb_setup_rss(struct rxscope_igb_adapter *adapter)
{
	static const u8 key[4 * RXSCOPE_IGB_RSSRK_REGS] __aligned(4) = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
		0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
		0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
		0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
		0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};
	struct rxscope_igb_hw *hw = &adapter->hw;
	int i, j;

	/* RSSRK holds the key bytes in order, little endian per register */
	for (i = 0; i < RXSCOPE_IGB_RSSRK_REGS; i++)
		rxscope_igb_wr32(hw, RXSCOPE_IGB_RSSRK(i),
				 le32_to_cpup((const __le32 *)&key[4 * i]));

	for (i = 0; i < RXSCOPE_IGB_RETA_REGS; i++) {
		u32 reta = 0;

		for (j = 0; j < 4; j++)
			reta |= ((4 * i + j) * adapter->num_rx_queues /
				 (4 * RXSCOPE_IGB_RETA_REGS)) << (8 * j);
		rxscope_igb_wr32(hw, RXSCOPE_IGB_RETA(i), reta);
	}

	rxscope_igb_wr32(hw, RXSCOPE_IGB_RXCSUM, RXSCOPE_IGB_RXCSUM_IPOFLD |
			 RXSCOPE_IGB_RXCSUM_TUOFLD | RXSCOPE_IGB_RXCSUM_PCSD);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_MRQC, RXSCOPE_IGB_MRQC_RSS |
			 RXSCOPE_IGB_MRQC_IPV4 | RXSCOPE_IGB_MRQC_IPV4_TCP |
			 RXSCOPE_IGB_MRQC_IPV4_UDP | RXSCOPE_IGB_MRQC_IPV6 |
			 RXSCOPE_IGB_MRQC_IPV6_TCP | RXSCOPE_IGB_MRQC_IPV6_UDP);
}

/*
 * Receive control without the enable bit. Long packets are always accepted
 * up to RXSCOPE_IGB_MAX_FRAME; the driver enforces the current MTU itself so
 * that oversize frames are counted instead of vanishing in the device.
 */
void rxscope_igb_setup_rctl(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 rctl;

	spin_lock_bh(&adapter->rctl_lock);
	rctl = rxscope_igb_rd32(hw, RXSCOPE_IGB_RCTL);
	rctl &= ~(RXSCOPE_IGB_RCTL_EN | RXSCOPE_IGB_RCTL_SBP |
		  RXSCOPE_IGB_RCTL_LBM_MASK | RXSCOPE_IGB_RCTL_MO_MASK |
		  RXSCOPE_IGB_RCTL_VFE);
	rctl |= RXSCOPE_IGB_RCTL_BAM | RXSCOPE_IGB_RCTL_LPE |
		RXSCOPE_IGB_RCTL_SECRC;
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RCTL, rctl);
	spin_unlock_bh(&adapter->rctl_lock);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RLPML, RXSCOPE_IGB_MAX_FRAME);
}

/**
 * rxscope_igb_configure_rx_ring - program one RX queue (still without buffers)
 * @adapter: the device
 * @ring: the RX ring, its descriptor memory allocated
 */
void rxscope_igb_configure_rx_ring(struct rxscope_igb_adapter *adapter,
				   struct rxscope_igb_ring *ring)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	int q = ring->queue_index;
	u32 srrctl;

	rxscope_igb_wr32(hw, RXSCOPE_IGB_RXDCTL(q), 0);
	rxscope_igb_flush(hw);

	rxscope_igb_wr32(hw, RXSCOPE_IGB_RDBAL(q), lower_32_bits(ring->dma));
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RDBAH(q), upper_32_bits(ring->dma));
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RDLEN(q), ring->size);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RDH(q), 0);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RDT(q), 0);
	ring->tail = hw->hw_addr + RXSCOPE_IGB_RDT(q);

	srrctl = (RXSCOPE_IGB_RX_BUFSZ >> RXSCOPE_IGB_SRRCTL_BSIZEPKT_SHIFT) |
		 RXSCOPE_IGB_SRRCTL_DESCTYPE_ADV_ONEBUF;
	/* with several queues a full ring must not stall the others */
	if (adapter->num_rx_queues > 1)
		srrctl |= RXSCOPE_IGB_SRRCTL_DROP_EN;
	rxscope_igb_wr32(hw, RXSCOPE_IGB_SRRCTL(q), srrctl);

	/* prefetch 8, host 8, write back every descriptor */
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RXDCTL(q), RXSCOPE_IGB_RXDCTL_ENABLE |
			 8 | (8 << 8) | (1 << 16));
}

void rxscope_igb_configure_tx_ring(struct rxscope_igb_adapter *adapter,
				   struct rxscope_igb_ring *ring)
{
	struct rxscope_igb_hw *hw = &adapter->hw;

	rxscope_igb_wr32(hw, RXSCOPE_IGB_TXDCTL, 0);
	rxscope_igb_flush(hw);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TDBAL, lower_32_bits(ring->dma));
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TDBAH, upper_32_bits(ring->dma));
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TDLEN, ring->size);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TDH, 0);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TDT, 0);
	ring->tail = hw->hw_addr + RXSCOPE_IGB_TDT;
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TXDCTL, RXSCOPE_IGB_TXDCTL_ENABLE |
			 8 | (1 << 8) | (1 << 16));

	rxscope_igb_wr32(hw, RXSCOPE_IGB_TCTL, RXSCOPE_IGB_TCTL_PSP |
			 RXSCOPE_IGB_TCTL_RTLC |
			 (0xF << RXSCOPE_IGB_TCTL_CT_SHIFT) |
			 (0x3F << RXSCOPE_IGB_TCTL_COLD_SHIFT));
}

/* The multicast table hash with RCTL.MO = 0: bits 47:36 of the address. */
static u32 rxscope_igb_mta_hash(const u8 *addr)
{
	return ((addr[4] >> 4) | ((u32)addr[5] << 4)) & 0xFFF;
}

/**
 * rxscope_igb_set_rx_mode_hw - promiscuous, all-multicast or the MTA hash
 * @adapter: the device
 *
 * Called under the netdev address lock (ndo_set_rx_mode) or RTNL. Secondary
 * unicast addresses are not filtered exactly: any of them turns on unicast
 * promiscuous mode.
 */
void rxscope_igb_set_rx_mode_hw(struct rxscope_igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 mta[RXSCOPE_IGB_MTA_REGS] = { };
	struct netdev_hw_addr *ha;
	u32 rctl;
	int i;

	spin_lock_bh(&adapter->rctl_lock);
	rctl = rxscope_igb_rd32(hw, RXSCOPE_IGB_RCTL);
	rctl &= ~(RXSCOPE_IGB_RCTL_UPE | RXSCOPE_IGB_RCTL_MPE);

	if (netdev->flags & IFF_PROMISC) {
		rctl |= RXSCOPE_IGB_RCTL_UPE | RXSCOPE_IGB_RCTL_MPE;
	} else {
		if (netdev->flags & IFF_ALLMULTI)
			rctl |= RXSCOPE_IGB_RCTL_MPE;
		if (!netdev_uc_empty(netdev))
			rctl |= RXSCOPE_IGB_RCTL_UPE;
		netdev_for_each_mc_addr(ha, netdev) {
			u32 h = rxscope_igb_mta_hash(ha->addr);

			mta[h >> 5] |= BIT(h & 0x1F);
		}
	}
	for (i = 0; i < RXSCOPE_IGB_MTA_REGS; i++)
		rxscope_igb_wr32(hw, RXSCOPE_IGB_MTA(i), mta[i]);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RCTL, rctl);
	spin_unlock_bh(&adapter->rctl_lock);
}

void rxscope_igb_set_vlan_strip(struct rxscope_igb_adapter *adapter, bool on)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 ctrl = rxscope_igb_rd32(hw, RXSCOPE_IGB_CTRL);

	if (on)
		ctrl |= RXSCOPE_IGB_CTRL_VME;
	else
		ctrl &= ~RXSCOPE_IGB_CTRL_VME;
	rxscope_igb_wr32(hw, RXSCOPE_IGB_CTRL, ctrl);
}

/**
 * rxscope_igb_configure_msix - route causes to vectors
 * @adapter: the device
 *
 * RX queue q raises vector q + 1; TX queue 0 shares vector 1 so that its
 * completions are cleaned in queue 0's poll; link changes and receiver
 * overruns raise vector 0. Every vector auto-clears its EICR bit when it
 * fires (EIAC), so that the next cause can fire it again.
 */
void rxscope_igb_configure_msix(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 ivar[RXSCOPE_IGB_MAX_RX_QUEUES] = { };
	int q;

	if (!adapter->msix) {
		/* one interrupt from the legacy causes (ICR/IMS) */
		rxscope_igb_wr32(hw, RXSCOPE_IGB_GPIE, RXSCOPE_IGB_GPIE_NSICR);
		adapter->eims_other = 0;
		adapter->eims_enable_mask = 0;
		rxscope_igb_write_itr(adapter);
		return;
	}

	rxscope_igb_wr32(hw, RXSCOPE_IGB_GPIE, RXSCOPE_IGB_GPIE_MSIX_MODE |
			 RXSCOPE_IGB_GPIE_PBA | RXSCOPE_IGB_GPIE_EIAME |
			 RXSCOPE_IGB_GPIE_NSICR);

	adapter->eims_other = BIT(RXSCOPE_IGB_OTHER_VECTOR);
	adapter->eims_enable_mask = adapter->eims_other;
	for (q = 0; q < adapter->num_rx_queues; q++) {
		struct rxscope_igb_q_vector *qv = &adapter->q_vector[q];

		/* IVAR0[q]: byte 0 is RX queue q, byte 1 is TX queue q */
		ivar[q] |= (qv->vector | RXSCOPE_IGB_IVAR_VALID);
		if (qv->tx_ring)
			ivar[q] |= (qv->vector | RXSCOPE_IGB_IVAR_VALID) << 8;
		adapter->eims_enable_mask |= qv->eims_value;
	}
	for (q = 0; q < RXSCOPE_IGB_MAX_RX_QUEUES; q++)
		rxscope_igb_wr32(hw, RXSCOPE_IGB_IVAR0 + 4 * q, ivar[q]);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_IVAR_MISC,
			 (RXSCOPE_IGB_OTHER_VECTOR | RXSCOPE_IGB_IVAR_VALID) << 8);

	/* throttle the other vector so an overrun storm stays cheap */
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EITR(RXSCOPE_IGB_OTHER_VECTOR),
			 (250 << 2) & RXSCOPE_IGB_EITR_INTERVAL_MASK);
	rxscope_igb_write_itr(adapter);
}

/* Apply ethtool's rx-usecs to every queue vector (EITR, 0.25 us units). */
void rxscope_igb_write_itr(struct rxscope_igb_adapter *adapter)
{
	u32 itr = (adapter->rx_itr_usecs << 2) & RXSCOPE_IGB_EITR_INTERVAL_MASK;
	int q;

	for (q = 0; q < adapter->num_rx_queues; q++)
		rxscope_igb_wr32(&adapter->hw,
				 RXSCOPE_IGB_EITR(adapter->q_vector[q].vector),
				 itr | RXSCOPE_IGB_EITR_CNT_IGNR);
}

void rxscope_igb_irq_enable(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 queues = adapter->eims_enable_mask & ~adapter->eims_other;

	if (!adapter->msix) {
		rxscope_igb_wr32(hw, RXSCOPE_IGB_IMS, RXSCOPE_IGB_ICR_LSC |
				 RXSCOPE_IGB_ICR_RXO | RXSCOPE_IGB_ICR_QUEUES);
		rxscope_igb_flush(hw);
		return;
	}

	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIAC, adapter->eims_enable_mask);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIAM, queues);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_IMS, RXSCOPE_IGB_ICR_LSC |
			 RXSCOPE_IGB_ICR_RXO);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIMS, adapter->eims_enable_mask);
	rxscope_igb_flush(hw);
}

/* End of a poll: let the queue's interrupt fire again. */
void rxscope_igb_irq_unmask(struct rxscope_igb_q_vector *q_vector)
{
	struct rxscope_igb_adapter *adapter = q_vector->adapter;

	if (likely(adapter->msix))
		rxscope_igb_wr32(&adapter->hw, RXSCOPE_IGB_EIMS,
				 q_vector->eims_value);
	else
		rxscope_igb_wr32(&adapter->hw, RXSCOPE_IGB_IMS,
				 RXSCOPE_IGB_ICR_QUEUES);
}

/* Fire the interrupts of the queue vectors in @eics (the watchdog). */
void rxscope_igb_irq_kick(struct rxscope_igb_adapter *adapter, u32 eics)
{
	if (adapter->msix)
		rxscope_igb_wr32(&adapter->hw, RXSCOPE_IGB_EICS, eics);
	else
		rxscope_igb_wr32(&adapter->hw, RXSCOPE_IGB_ICS,
				 RXSCOPE_IGB_ICR_RXDW);
}

void rxscope_igb_irq_disable(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;

	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIAM, 0);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIMC, ~0U);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_EIAC, 0);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_IMC, ~0U);
	rxscope_igb_flush(hw);
}

void rxscope_igb_enable_rxtx(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	u32 tctl = rxscope_igb_rd32(hw, RXSCOPE_IGB_TCTL);

	rxscope_igb_wr32(hw, RXSCOPE_IGB_TCTL, tctl | RXSCOPE_IGB_TCTL_EN);
	spin_lock_bh(&adapter->rctl_lock);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RCTL,
			 rxscope_igb_rd32(hw, RXSCOPE_IGB_RCTL) |
			 RXSCOPE_IGB_RCTL_EN);
	spin_unlock_bh(&adapter->rctl_lock);
	rxscope_igb_flush(hw);
}

/* Stop the DMA engines; after this the device no longer touches the rings. */
void rxscope_igb_disable_rxtx(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw *hw = &adapter->hw;
	int i, q;

	spin_lock_bh(&adapter->rctl_lock);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_RCTL,
			 rxscope_igb_rd32(hw, RXSCOPE_IGB_RCTL) &
			 ~RXSCOPE_IGB_RCTL_EN);
	spin_unlock_bh(&adapter->rctl_lock);
	for (q = 0; q < adapter->num_rx_queues; q++)
		rxscope_igb_wr32(hw, RXSCOPE_IGB_RXDCTL(q), 0);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TCTL,
			 rxscope_igb_rd32(hw, RXSCOPE_IGB_TCTL) &
			 ~RXSCOPE_IGB_TCTL_EN);
	rxscope_igb_wr32(hw, RXSCOPE_IGB_TXDCTL, 0);
	rxscope_igb_flush(hw);
	usleep_range(10000, 11000);

	/* the queues report stopped by clearing their enable bit */
	for (i = 0; i < 10; i++) {
		bool busy = rxscope_igb_rd32(hw, RXSCOPE_IGB_TXDCTL) &
			    RXSCOPE_IGB_TXDCTL_ENABLE;

		for (q = 0; q < adapter->num_rx_queues; q++)
			busy |= rxscope_igb_rd32(hw, RXSCOPE_IGB_RXDCTL(q)) &
				RXSCOPE_IGB_RXDCTL_ENABLE;
		if (!busy)
			return;
		usleep_range(1000, 2000);
	}
	netdev_warn(adapter->netdev, "queues still enabled after disabling them\n");
}

/**
 * rxscope_igb_update_hw_stats - fold the clear-on-read counters into hw_stats
 * @adapter: the device
 *
 * Safe in atomic context (get_stats64 may be called there).
 */
void rxscope_igb_update_hw_stats(struct rxscope_igb_adapter *adapter)
{
	struct rxscope_igb_hw_stats *s = &adapter->hw_stats;
	struct rxscope_igb_hw *hw = &adapter->hw;
	unsigned long flags;

	if (pci_channel_offline(adapter->pdev))
		return;
	spin_lock_irqsave(&adapter->stats_lock, flags);
	s->mpc += rxscope_igb_rd32(hw, RXSCOPE_IGB_MPC);
	s->rnbc += rxscope_igb_rd32(hw, RXSCOPE_IGB_RNBC);
	s->ruc += rxscope_igb_rd32(hw, RXSCOPE_IGB_RUC);
	s->roc += rxscope_igb_rd32(hw, RXSCOPE_IGB_ROC);
	s->crcerrs += rxscope_igb_rd32(hw, RXSCOPE_IGB_CRCERRS);
	s->rlec += rxscope_igb_rd32(hw, RXSCOPE_IGB_RLEC);
	spin_unlock_irqrestore(&adapter->stats_lock, flags);
}
