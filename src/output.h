/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output groups: the connections of a group's ports share its bandwidth.
 */
#ifndef _SILK_OUTPUT_H
#define _SILK_OUTPUT_H

#include <linux/types.h>

struct netlink_ext_ack;
struct silk_group;
struct silk_net;

/* The least an output group's connection may send, bytes/s. */
#define SILK_PACE_MIN		1024

int silk_output_hold(struct silk_net *sn, const bool *ftp, unsigned int n,
		     struct netlink_ext_ack *extack);
void silk_output_init_group(struct silk_group *g);
void silk_output_kick(struct silk_group *g);
void silk_output_stop(struct silk_net *sn, struct silk_group *g);
void silk_output_init(void);

#endif /* _SILK_OUTPUT_H */
