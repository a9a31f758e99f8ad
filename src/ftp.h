/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FTP replies that announce a data port.
 */
#ifndef _SILK_FTP_H
#define _SILK_FTP_H

#include <linux/types.h>

u16 silk_ftp_data_port(const char *s, unsigned int len);

#endif /* _SILK_FTP_H */
