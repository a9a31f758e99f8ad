// SPDX-License-Identifier: GPL-2.0
/*
 * Lazy receiver processing (LRP): a lazy path's packets get protocol
 * processing only while the socket they are for can take them. Otherwise
 * they wait in the path's queue, and once that is full the hook drops the
 * next ones before any protocol work, so a receiver that stops reading
 * costs demultiplexing and a drop per packet and nothing more.
 *
 * "Can take them": a UDP socket whose receive memory is below its buffer
 * size; for TCP, a listener whose accept queue has room. Only SYNs wait
 * for that, and only they: segments behind them (handshake ACKs,
 * established connections, which TCP's own window holds back) go on. A
 * full SYN queue holds nothing: the stack answers with SYN cookies, which
 * a SYN flood from spoofed sources must keep getting.
 */
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_connection_sock.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "flow.h"
#include "hook.h"
#include "lazy.h"
#include "path.h"
#include "sock.h"

static unsigned int silk_lazy_udp_room(struct net *net,
				       const struct silk_flow *f, int dif)
{
	struct sock *sk;
	int room;

	/* No skb: a reuseport group's BPF would read it at the wrong offset. */
	if (f->family == AF_INET)
		sk = __udp4_lib_lookup(net, f->saddr4, f->sport, f->daddr4,
				       f->dport, dif, 0, &udp_table, NULL);
	else
		sk = __udp6_lib_lookup(net, f->saddr6, f->sport, f->daddr6,
				       f->dport, dif, 0, &udp_table, NULL);
	if (!sk)
		return UINT_MAX;
	room = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	return max(room, 0);
}

static bool silk_lazy_listen_full(struct net *net, const struct sk_buff *skb,
				  const struct silk_flow *f, int dif)
{
	struct tcphdr _th;
	const struct tcphdr *th;
	struct sock *sk;

	th = skb_header_pointer(skb, f->thoff, sizeof(_th), &_th);
	if (!th || !th->syn || th->ack)
		return false;
	sk = silk_flow_listener(net, f, dif);
	return sk && sk_acceptq_is_full(sk);
}

/**
 * silk_lazy_take - a lazy path's next burst: what the sockets can take now
 * @net: the namespace the packets were received in
 * @q: the path's queue, its lock held
 * @batch: where the packets taken go
 * @burst: at most this many
 * @size: add their truesize here
 *
 * No more than the first UDP packet's socket has room for (at least one
 * packet, if it has any room). A SYN whose listener's accept queue is full
 * stays queued, and the packets behind it are looked at (up to four
 * bursts' worth): a packet with no socket, or one that is not a SYN,
 * is never held back. Returns how many were taken; 0 with packets queued:
 * look again later.
 */
unsigned int silk_lazy_take(struct net *net, struct sk_buff_head *q,
			    struct sk_buff_head *batch, unsigned int burst,
			    unsigned int *size)
{
	unsigned int n = 0, seen = 0, room = UINT_MAX;
	struct sk_buff *skb, *tmp;
	bool udp = false;

	rcu_read_lock();
	skb_queue_walk_safe(q, skb, tmp) {
		int dif = skb->dev->ifindex;
		struct silk_flow f;

		if (n == burst || seen++ == 4 * burst)
			break;
		if (silk_parse(skb, &f)) {
			if (f.proto == IPPROTO_UDP && !udp) {
				room = silk_lazy_udp_room(net, &f, dif);
				udp = true;
			} else if (f.proto == IPPROTO_TCP &&
				   silk_lazy_listen_full(net, skb, &f, dif)) {
				continue;
			}
		}
		if (!room || (n && *size + skb->truesize > room))
			break;
		__skb_unlink(skb, q);
		*size += skb->truesize;
		__skb_queue_tail(batch, skb);
		n++;
	}
	rcu_read_unlock();
	return n;
}
