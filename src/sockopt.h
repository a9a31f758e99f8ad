/* SPDX-License-Identifier: GPL-2.0 */
/* Socket options for QoS-aware applications. */
#ifndef _SILK_SOCKOPT_H
#define _SILK_SOCKOPT_H

extern int silk_unpriv_max_prio;
extern unsigned int silk_unpriv_max_weight;

int silk_sockopt_init(void);
void silk_sockopt_exit(void);

#endif /* _SILK_SOCKOPT_H */
