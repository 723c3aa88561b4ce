/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxscope_igb_regs.h - Intel 82576 register offsets, register bits and the
 * advanced descriptor layouts that rxscope_igb uses. One line of comment per
 * register; flags are BIT(n). Only what the driver programs is listed.
 */
#ifndef RXSCOPE_IGB_REGS_H
#define RXSCOPE_IGB_REGS_H

#include <linux/bits.h>
#include <linux/types.h>

/* --- general control and status --- */
#define RXSCOPE_IGB_CTRL	0x00000	/* device control */
#define RXSCOPE_IGB_STATUS	0x00008	/* device status */
#define RXSCOPE_IGB_CTRL_EXT	0x00018	/* extended device control */
#define RXSCOPE_IGB_MDIC	0x00020	/* MDI (PHY register) control */
#define RXSCOPE_IGB_VET		0x00038	/* VLAN ether type */

#define RXSCOPE_IGB_CTRL_FD		BIT(0)	/* full duplex */
#define RXSCOPE_IGB_CTRL_LRST		BIT(3)	/* link reset */
#define RXSCOPE_IGB_CTRL_SLU		BIT(6)	/* set link up */
#define RXSCOPE_IGB_CTRL_FRCSPD		BIT(11)	/* force speed */
#define RXSCOPE_IGB_CTRL_FRCDPX		BIT(12)	/* force duplex */
#define RXSCOPE_IGB_CTRL_RST		BIT(26)	/* global device reset */
#define RXSCOPE_IGB_CTRL_VME		BIT(30)	/* VLAN tag stripping */
#define RXSCOPE_IGB_CTRL_PHY_RST	BIT(31)	/* PHY reset */

#define RXSCOPE_IGB_STATUS_FD		BIT(0)	/* full duplex */
#define RXSCOPE_IGB_STATUS_LU		BIT(1)	/* link up */
#define RXSCOPE_IGB_STATUS_SPEED_100	BIT(6)	/* 100 Mb/s */
#define RXSCOPE_IGB_STATUS_SPEED_1000	BIT(7)	/* 1000 Mb/s */

#define RXSCOPE_IGB_CTRL_EXT_DRV_LOAD	BIT(28)	/* driver has taken over */

#define RXSCOPE_IGB_MDIC_REG_SHIFT	16
#define RXSCOPE_IGB_MDIC_PHY_SHIFT	21
#define RXSCOPE_IGB_MDIC_OP_WRITE	BIT(26)
#define RXSCOPE_IGB_MDIC_OP_READ	BIT(27)
#define RXSCOPE_IGB_MDIC_READY		BIT(28)
#define RXSCOPE_IGB_MDIC_ERROR		BIT(30)
#define RXSCOPE_IGB_PHY_ADDR		1	/* the internal PHY */

/* PHY basic mode control register (MII register 0) */
#define RXSCOPE_IGB_PHY_BMCR		0
#define RXSCOPE_IGB_BMCR_SPEED1000	BIT(6)
#define RXSCOPE_IGB_BMCR_FD		BIT(8)
#define RXSCOPE_IGB_BMCR_ANRESTART	BIT(9)
#define RXSCOPE_IGB_BMCR_ANENABLE	BIT(12)

/* --- legacy interrupt causes (routed to the "other" MSI-X vector) --- */
#define RXSCOPE_IGB_ICR		0x000C0	/* interrupt cause read */
#define RXSCOPE_IGB_IMS		0x000D0	/* interrupt mask set */
#define RXSCOPE_IGB_IMC		0x000D8	/* interrupt mask clear */

#define RXSCOPE_IGB_ICS		0x000C8	/* interrupt cause set */

#define RXSCOPE_IGB_ICR_TXDW		BIT(0)	/* TX descriptor written back */
#define RXSCOPE_IGB_ICR_LSC		BIT(2)	/* link status change */
#define RXSCOPE_IGB_ICR_RXO		BIT(6)	/* receiver overrun (ring full) */
#define RXSCOPE_IGB_ICR_RXDW		BIT(7)	/* RX descriptor written back */
#define RXSCOPE_IGB_ICR_ASSERTED	BIT(31)	/* this device interrupted */

/* --- extended (MSI-X) interrupts --- */
#define RXSCOPE_IGB_GPIE	0x01514	/* general purpose interrupt enable */
#define RXSCOPE_IGB_EICS	0x01520	/* extended interrupt cause set */
#define RXSCOPE_IGB_EIMS	0x01524	/* extended interrupt mask set */
#define RXSCOPE_IGB_EIMC	0x01528	/* extended interrupt mask clear */
#define RXSCOPE_IGB_EIAC	0x0152C	/* extended interrupt auto clear */
#define RXSCOPE_IGB_EIAM	0x01530	/* extended interrupt auto mask */
#define RXSCOPE_IGB_EICR	0x01580	/* extended interrupt cause read */
#define RXSCOPE_IGB_EITR(v)	(0x01680 + 4 * (v))	/* vector throttle */
#define RXSCOPE_IGB_IVAR0	0x01700	/* queue to vector map (8 regs) */
#define RXSCOPE_IGB_IVAR_MISC	0x01740	/* "other" causes to vector map */

#define RXSCOPE_IGB_GPIE_NSICR		BIT(0)	/* ICR read clears all */
#define RXSCOPE_IGB_GPIE_MSIX_MODE	BIT(4)	/* one vector per cause */
#define RXSCOPE_IGB_GPIE_EIAME		BIT(30)	/* auto mask on assertion */
#define RXSCOPE_IGB_GPIE_PBA		BIT(31)	/* PBA support */

#define RXSCOPE_IGB_IVAR_VALID		BIT(7)
#define RXSCOPE_IGB_EITR_INTERVAL_MASK	0x7FFC	/* bits 14:2, 0.25 us units */
#define RXSCOPE_IGB_EITR_CNT_IGNR	BIT(31)	/* don't reset the counter */

/* --- receive --- */
#define RXSCOPE_IGB_RCTL	0x00100	/* receive control */
#define RXSCOPE_IGB_RXCSUM	0x05000	/* receive checksum control */
#define RXSCOPE_IGB_RLPML	0x05004	/* long packet maximum length */
#define RXSCOPE_IGB_MTA(i)	(0x05200 + 4 * (i))	/* multicast table */
#define RXSCOPE_IGB_RAL(i)	(0x05400 + 8 * (i))	/* rx address low */
#define RXSCOPE_IGB_RAH(i)	(0x05404 + 8 * (i))	/* rx address high */
#define RXSCOPE_IGB_VFTA(i)	(0x05600 + 4 * (i))	/* VLAN filter table */
#define RXSCOPE_IGB_MRQC	0x05818	/* multiple receive queues control */
#define RXSCOPE_IGB_RETA(i)	(0x05C00 + 4 * (i))	/* RSS redirection */
#define RXSCOPE_IGB_RSSRK(i)	(0x05C80 + 4 * (i))	/* RSS random key */

#define RXSCOPE_IGB_MTA_REGS		128
#define RXSCOPE_IGB_RETA_REGS		32	/* 128 one-byte entries */
#define RXSCOPE_IGB_RSSRK_REGS		10	/* 40-byte key */

#define RXSCOPE_IGB_RCTL_EN		BIT(1)	/* receiver enable */
#define RXSCOPE_IGB_RCTL_SBP		BIT(2)	/* store bad packets */
#define RXSCOPE_IGB_RCTL_UPE		BIT(3)	/* unicast promiscuous */
#define RXSCOPE_IGB_RCTL_MPE		BIT(4)	/* multicast promiscuous */
#define RXSCOPE_IGB_RCTL_LPE		BIT(5)	/* long packets */
#define RXSCOPE_IGB_RCTL_LBM_MASK	(BIT(6) | BIT(7))	/* loopback */
#define RXSCOPE_IGB_RCTL_MO_MASK	(BIT(12) | BIT(13))	/* mc offset */
#define RXSCOPE_IGB_RCTL_BAM		BIT(15)	/* accept broadcast */
#define RXSCOPE_IGB_RCTL_VFE		BIT(18)	/* VLAN filter enable */
#define RXSCOPE_IGB_RCTL_SECRC		BIT(26)	/* strip the CRC */

#define RXSCOPE_IGB_RXCSUM_IPOFLD	BIT(8)	/* IP checksum offload */
#define RXSCOPE_IGB_RXCSUM_TUOFLD	BIT(9)	/* TCP/UDP checksum offload */
#define RXSCOPE_IGB_RXCSUM_PCSD		BIT(13)	/* RSS hash in descriptor */

#define RXSCOPE_IGB_MRQC_RSS		0x2	/* RSS, no VMDq */
#define RXSCOPE_IGB_MRQC_IPV4_TCP	BIT(16)
#define RXSCOPE_IGB_MRQC_IPV4		BIT(17)
#define RXSCOPE_IGB_MRQC_IPV6		BIT(20)
#define RXSCOPE_IGB_MRQC_IPV6_TCP	BIT(21)
#define RXSCOPE_IGB_MRQC_IPV4_UDP	BIT(22)
#define RXSCOPE_IGB_MRQC_IPV6_UDP	BIT(23)

#define RXSCOPE_IGB_RAH_AV		BIT(31)	/* address valid */

/* per-queue receive registers, queues 0-3 */
#define RXSCOPE_IGB_RDBAL(q)	(0x02800 + 0x100 * (q))	/* ring base low */
#define RXSCOPE_IGB_RDBAH(q)	(0x02804 + 0x100 * (q))	/* ring base high */
#define RXSCOPE_IGB_RDLEN(q)	(0x02808 + 0x100 * (q))	/* ring bytes */
#define RXSCOPE_IGB_SRRCTL(q)	(0x0280C + 0x100 * (q))	/* split/buffer ctl */
#define RXSCOPE_IGB_RDH(q)	(0x02810 + 0x100 * (q))	/* ring head */
#define RXSCOPE_IGB_RDT(q)	(0x02818 + 0x100 * (q))	/* ring tail */
#define RXSCOPE_IGB_RXDCTL(q)	(0x02828 + 0x100 * (q))	/* queue control */

#define RXSCOPE_IGB_SRRCTL_BSIZEPKT_SHIFT	10	/* 1 KiB units */
#define RXSCOPE_IGB_SRRCTL_DESCTYPE_ADV_ONEBUF	BIT(25)
#define RXSCOPE_IGB_SRRCTL_DROP_EN		BIT(31)
#define RXSCOPE_IGB_RXDCTL_ENABLE		BIT(25)

/* --- transmit (queue 0 only) --- */
#define RXSCOPE_IGB_TCTL	0x00400	/* transmit control */
#define RXSCOPE_IGB_TDBAL	0x03800	/* ring base low */
#define RXSCOPE_IGB_TDBAH	0x03804	/* ring base high */
#define RXSCOPE_IGB_TDLEN	0x03808	/* ring bytes */
#define RXSCOPE_IGB_TDH		0x03810	/* ring head */
#define RXSCOPE_IGB_TDT		0x03818	/* ring tail */
#define RXSCOPE_IGB_TXDCTL	0x03828	/* queue control */

#define RXSCOPE_IGB_TCTL_EN		BIT(1)
#define RXSCOPE_IGB_TCTL_PSP		BIT(3)	/* pad short packets */
#define RXSCOPE_IGB_TCTL_CT_SHIFT	4	/* collision threshold */
#define RXSCOPE_IGB_TCTL_COLD_SHIFT	12	/* collision distance */
#define RXSCOPE_IGB_TCTL_RTLC		BIT(24)	/* retransmit on late coll. */
#define RXSCOPE_IGB_TXDCTL_ENABLE	BIT(25)

/* --- statistics (clear on read on the 82576) --- */
#define RXSCOPE_IGB_CRCERRS	0x04000	/* CRC errors */
#define RXSCOPE_IGB_MPC		0x04010	/* missed packets (no FIFO space) */
#define RXSCOPE_IGB_RLEC	0x04040	/* receive length errors */
#define RXSCOPE_IGB_RNBC	0x040A0	/* receive no buffers */
#define RXSCOPE_IGB_RUC		0x040A4	/* receive undersize */
#define RXSCOPE_IGB_ROC		0x040AC	/* receive oversize */

/* --- advanced receive descriptor (16 bytes) --- */
union rxscope_igb_rx_desc {
	struct {
		__le64 pkt_addr;	/* packet buffer */
		__le64 hdr_addr;	/* header buffer (unused: 0) */
	} read;
	struct {
		__le16 pkt_info;	/* RSS type in bits 3:0 */
		__le16 hdr_info;
		__le32 rss;		/* RSS hash */
		__le32 status_error;
		__le16 length;
		__le16 vlan;
	} wb;
};

#define RXSCOPE_IGB_RXD_STAT_DD		BIT(0)	/* descriptor done */
#define RXSCOPE_IGB_RXD_STAT_EOP	BIT(1)	/* end of packet */
#define RXSCOPE_IGB_RXD_STAT_IXSM	BIT(2)	/* ignore checksum */
#define RXSCOPE_IGB_RXD_STAT_VP		BIT(3)	/* VLAN tag stripped */
#define RXSCOPE_IGB_RXD_STAT_UDPCS	BIT(4)	/* UDP checksum checked */
#define RXSCOPE_IGB_RXD_STAT_TCPCS	BIT(5)	/* L4 checksum checked */
#define RXSCOPE_IGB_RXD_STAT_IPCS	BIT(6)	/* IP checksum checked */
#define RXSCOPE_IGB_RXD_ERR_CE		BIT(24)	/* CRC or alignment error */
#define RXSCOPE_IGB_RXD_ERR_SE		BIT(25)	/* symbol error */
#define RXSCOPE_IGB_RXD_ERR_SEQ		BIT(26)	/* sequence error */
#define RXSCOPE_IGB_RXD_ERR_CXE		BIT(28)	/* carrier extension error */
#define RXSCOPE_IGB_RXD_ERR_TCPE	BIT(29)	/* L4 checksum error */
#define RXSCOPE_IGB_RXD_ERR_IPE		BIT(30)	/* IP checksum error */
#define RXSCOPE_IGB_RXD_ERR_RXE		BIT(31)	/* rx data error */
#define RXSCOPE_IGB_RXD_ERR_FRAME	(RXSCOPE_IGB_RXD_ERR_CE | \
					 RXSCOPE_IGB_RXD_ERR_SE | \
					 RXSCOPE_IGB_RXD_ERR_SEQ | \
					 RXSCOPE_IGB_RXD_ERR_CXE | \
					 RXSCOPE_IGB_RXD_ERR_RXE)

#define RXSCOPE_IGB_RSS_TYPE_MASK	0xF
#define RXSCOPE_IGB_RSS_TYPE_IPV4_TCP	0x1
#define RXSCOPE_IGB_RSS_TYPE_IPV6_TCP	0x3
#define RXSCOPE_IGB_RSS_TYPE_IPV6_TCPEX	0x6
#define RXSCOPE_IGB_RSS_TYPE_IPV4_UDP	0x7
#define RXSCOPE_IGB_RSS_TYPE_IPV6_UDP	0x8
#define RXSCOPE_IGB_RSS_TYPE_IPV6_UDPEX	0x9

/* --- advanced transmit data descriptor (16 bytes) --- */
union rxscope_igb_tx_desc {
	struct {
		__le64 buffer_addr;
		__le32 cmd_type_len;
		__le32 olinfo_status;
	} read;
	struct {
		__le64 rsvd;
		__le32 nxtseq_seed;
		__le32 status;
	} wb;
};

#define RXSCOPE_IGB_TXD_DTYP_DATA	(BIT(20) | BIT(21))	/* data desc */
#define RXSCOPE_IGB_TXD_CMD_EOP		BIT(24)	/* end of packet */
#define RXSCOPE_IGB_TXD_CMD_IFCS	BIT(25)	/* insert FCS */
#define RXSCOPE_IGB_TXD_CMD_RS		BIT(27)	/* report status */
#define RXSCOPE_IGB_TXD_CMD_DEXT	BIT(29)	/* advanced format */
#define RXSCOPE_IGB_TXD_PAYLEN_SHIFT	14
#define RXSCOPE_IGB_TXD_STAT_DD		BIT(0)	/* descriptor done */

#endif /* RXSCOPE_IGB_REGS_H */
