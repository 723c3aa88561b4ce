/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxscope_igb_compat.h - the kernel interfaces that differ between the kernels the module
 * is built for (Debian 12's 6.1 and 6.12). Everything version-dependent lives here, tested
 * by feature, not by version number.
 */
#ifndef RXSCOPE_IGB_COMPAT_H
#define RXSCOPE_IGB_COMPAT_H

#include <linux/pci.h>

/* PCI_IRQ_LEGACY became PCI_IRQ_INTX in 6.8 */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

#endif /* RXSCOPE_IGB_COMPAT_H */
