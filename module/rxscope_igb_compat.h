/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxscope_igb_compat.h - the few kernel interfaces that differ between the kernels the
 * module is built for (Debian 12's 6.1 and 6.12). Everything version-dependent lives here.
 */
#ifndef RXSCOPE_IGB_COMPAT_H
#define RXSCOPE_IGB_COMPAT_H

#include <linux/version.h>
#include <linux/ethtool.h>
#include <linux/pci.h>
#include <linux/string.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* ethtool_puts() came in 6.8: one ETH_GSTRING_LEN string, and the cursor moved on */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline void rxscope_igb_ethtool_puts(u8 **data, const char *str)
{
	strscpy(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#define ethtool_puts rxscope_igb_ethtool_puts
#endif

/* PCI_IRQ_LEGACY became PCI_IRQ_INTX in 6.8 */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

#endif /* RXSCOPE_IGB_COMPAT_H */
