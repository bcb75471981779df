#!/bin/bash
# Bandwidth on every link end, circuit set changing it, and link down/up emulating a failure.
. "$(dirname "$0")/lib.sh"
C=Bw CU=Bw-customer MS=Bw-microsoft
if [ "$DP" = vlan ]; then P=primary S=secondary; else P=primary.100 S=secondary.100; fi

expect 0 circuit new $C --bandwidth 50 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
expect 0 peering set $C --type private --primary-subnet fd00:0:0:1::/126 --secondary-subnet fd00:0:0:1::4/126
for ns in $CU $MS; do
	eq "$(tbf_rate $ns $P)" 50Mbit "$ns $P limited to 50 Mbit/s"
	eq "$(tbf_rate $ns $S)" 50Mbit "$ns $S limited to 50 Mbit/s"
done
expect 0 circuit set $C --bandwidth 1000
for ns in $CU $MS; do
	eq "$(tbf_rate $ns $P)" 1Gbit "$ns $P now 1 Gbit/s"
	eq "$(tbf_rate $ns $S)" 1Gbit "$ns $S now 1 Gbit/s"
done
expect 0 circuit get $C
has "$OUT" "bandwidth_mbps: 1000" "the state follows"

expect 0 link down $C primary
ok "! pings $CU 10.0.0.2" "primary link down: no traffic on primary"
ok "pings $CU 10.0.0.6" "primary link down: secondary still carries traffic"
ok "! ip -n $MS link show dev $P | grep -q LOWER_UP" "the Microsoft end has lost carrier too"
expect 0 link up $C primary
sleep 0.2
ok "pings $CU 10.0.0.2" "link up: primary carries traffic again"
# The kernel drops IPv6 addresses from a link that loses its carrier, unless told to keep them.
PL=primary.100
ok "ip -n $CU -6 addr show dev $PL | grep -q 'fd00:0:0:1::1/126' && ip -n $MS -6 addr show dev $PL | grep -q 'fd00:0:0:1::2/126'" \
	"link up: the IPv6 addresses are still on both ends of $PL"
for _ in $(seq 1 20); do pings $CU fd00:0:0:1::2 && break; sleep 0.2; done
ok "pings $CU fd00:0:0:1::2" "link up: primary carries IPv6 again"
expect 0 status $C
has "$OUT" "drift: none" "and nothing drifted"
expect 2 link sideways $C primary
expect 2 link down $C tertiary
expect 4 link down Nope primary

expect 0 circuit deprovision $C
expect 0 circuit remove $C
finish
