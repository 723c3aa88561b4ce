/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* version.h - the rxscope version, printed by --version and written into HTML pages. */
#ifndef RXS_VERSION_H
#define RXS_VERSION_H

#define RXS_VERSION	"0.1"

#endif /* RXS_VERSION_H */
