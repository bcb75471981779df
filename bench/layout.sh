# Sourced by ip-plain.sh and ip-batch.sh: the kernel objects erlab makes for bench/gen-lab's lab
# (veth datapath), in erlab's order, so the baselines build exactly the same state.
#
# Per circuit c<i>: namespaces c<i>-customer and c<i>-microsoft, lo up with alias
# erlab:<key>:ns:<role>; per peering and link side one veth pair named <side>.<vlan>, the Microsoft
# end created there with ifindex 2000 + side*4096 + vlan and the customer end with that + 100000
# (erlab's peer_ifindex_hint and VETH_A_OFFSET: carrier
# events stay urgent for linkwatch), both ends up with alias erlab:<key>:peering:<type>:<side>,
# a root tbf at the circuit's 1000 Mbit/s on each end, network+1 on the customer end and
# network+2 on the Microsoft end.

# One transmit and one receive queue per veth end, as src/kernel/link.c asks for at creation (the
# default is one per CPU, cut to one right after registration, and that cut waits for an RCU grace
# period: a third of `up`'s time here).
QUEUES="numtxqueues 1 numrxqueues 1"

# Same bucket and limit as src/kernel/qdisc.c: 10 ms of bytes at the rate, 50 ms of queue.
TBF_ARGS="root handle 1: tbf rate 1000mbit burst 1250000 latency 50ms"

key_of() { printf -v KEY "00000000-0000-4000-8000-%012d" "$1"; }

# each_link FN: calls FN TYPE VLAN SIDE IFINDEX CUSTOMER_ADDR MICROSOFT_ADDR for the 6 links.
each_link() {
	local fn=$1
	"$fn" private 100 primary 2100 10.0.0.1/30 10.0.0.2/30
	"$fn" private 100 secondary 6196 10.0.0.5/30 10.0.0.6/30
	"$fn" public 200 primary 2200 131.107.0.1/30 131.107.0.2/30
	"$fn" public 200 secondary 6296 131.107.0.5/30 131.107.0.6/30
	"$fn" microsoft 300 primary 2300 131.107.0.9/30 131.107.0.10/30
	"$fn" microsoft 300 secondary 6396 131.107.0.13/30 131.107.0.14/30
}

bench_args() {
	case ${1:-} in ''|*[!0-9]*) echo "usage: $0 N up|down" >&2; exit 2 ;; esac
	case ${2:-} in up|down) ;; *) echo "usage: $0 N up|down" >&2; exit 2 ;; esac
}
