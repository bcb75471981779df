#!/bin/bash
# vm-tier: skip (datapath-independent; runs on the host, and the VM tier runs under slow TCG)
# Every mutation is one transaction (README, "What erlab guarantees"): a failure at any step undoes all earlier steps and
# leaves the state file byte for byte as it was. Failures are injected with ERLAB_TEST_FAIL_AT_STEP
# (a test-only switch) and provoked for real with a foreign link in the way.
. "$(dirname "$0")/lib.sh"
needs_hooks
C=Tx CU=Tx-customer MS=Tx-microsoft
nsteps=2; [ "$DP" = vlan ] && nsteps=4   # circuit new: 2 namespaces (+ 2 trunks on vlan)

for k in $(seq 1 $nsteps); do
	ERLAB_TEST_FAIL_AT_STEP=$k expect 1 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
	has "$ERR" "injected" "circuit new failing at step $k reports the step"
	eq "$(namespaces)" "" "circuit new failing at step $k leaves no namespace"
	eq "$(state_files)" "" "circuit new failing at step $k leaves no state file"
done

# The kernel refusing a step with EINVAL or EAGAIN is the system failing (exit 1), not invalid
# input (2) or a refusal by state (3); only EEXIST (the object is there) is the state's.
for errno_case in "22 1" "11 1" "16 1" "17 3"; do
	set -- $errno_case
	ERLAB_TEST_FAIL_AT_STEP=1 ERLAB_TEST_FAIL_ERRNO=$1 expect "$2" circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
	eq "$(namespaces)" "" "a kernel errno $1 at step 1 leaves nothing"
done
ERLAB_TEST_FAIL_AT_STEP=1 ERLAB_TEST_FAIL_ERRNO=22 expect 1 New-AzureDedicatedCircuit -CircuitName $C -Bandwidth 200 -Location "Silicon Valley" -ServiceProviderName equinix
has "$ERR" "New-AzureDedicatedCircuit : InternalError:" "and the cmdlet calls it InternalError"

expect 0 circuit new $C --bandwidth 200 --location "Silicon Valley" --provider equinix --provisioned
expect 0 peering new $C --type public --primary-subnet 131.107.0.0/30 --secondary-subnet 131.107.0.4/30 --peer-asn 1234 --vlan 200
before_links_cu=$(links $CU) before_links_ms=$(links $MS)
before_state=$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")

for k in 1 2; do
	ERLAB_TEST_FAIL_AT_STEP=$k expect 1 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
	eq "$(links $CU)" "$before_links_cu" "peering new failing at step $k: customer links as before"
	eq "$(links $MS)" "$before_links_ms" "peering new failing at step $k: microsoft links as before"
	eq "$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")" "$before_state" "peering new failing at step $k: state unchanged"
done

expect 0 peering new $C --type private --primary-subnet 10.0.0.0/30 --secondary-subnet 10.0.0.4/30 --peer-asn 1234 --vlan 100
before_links_cu=$(links $CU)
before_state=$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")
# set --vlan 500: 2 deletes then 2 creates; fail at each.
for k in 1 2 3 4; do
	ERLAB_TEST_FAIL_AT_STEP=$k expect 1 peering set $C --type private --vlan 500
	eq "$(links $CU)" "$before_links_cu" "peering set failing at step $k: links restored"
	eq "$(addrs $CU primary.100)" "10.0.0.1/30" "peering set failing at step $k: address restored"
	eq "$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")" "$before_state" "peering set failing at step $k: state unchanged"
done
ok "pings $CU 10.0.0.2 && pings $CU 10.0.0.6" "the restored peering carries traffic"

# A real kernel refusal: a link of our own making sits where the secondary link must go
# (the kernel says it exists: refused by the current state, exit 3).
ip -n $CU link add secondary.300 type dummy 2>/dev/null || ip -n $CU link add secondary.300 type veth peer name x300
expect 3 peering new $C --type microsoft --primary-subnet 131.107.0.8/30 --secondary-subnet 131.107.0.12/30 --peer-asn 1234 --vlan 300 --advertised-prefixes 123.0.0.0/30
has "$ERR" "secondary.300" "the error names the link"
has "$ERR" "kernel:" "the error carries the kernel's reason"
lacks " $(links $CU) " " primary.300 " "the primary link made before the failure was undone"
lacks " $(links $MS) " " primary.300 " "on both sides"
eq "$(md5sum "$ERLAB_STATE_DIR/circuits/$C.ini")" "$before_state" "state unchanged after the kernel refusal"
ip -n $CU link del secondary.300

expect 0 circuit deprovision $C
expect 0 circuit remove $C
eq "$(namespaces)" "" "nothing left"

# `down LAB` stops at the first failure: the circuits before it are gone, the failing one keeps
# its state file and its namespaces, links included (down removes namespaces together after every
# circuit's plan has run, so one whose removal was recorded before the failure was never removed),
# and the next down finishes.
LAB=$ERLAB_SRC/labs/two-circuits.ini
for k in 1 2 3 4; do
	expect 0 up "$LAB"
	ERLAB_TEST_FAIL_AT_STEP=$k expect 1 down "$LAB"
	has "$ERR" "injected" "down failing at step $k says so"
	if [ $k -le 2 ]; then
		eq "$(namespaces)" "SiliconValley-customer SiliconValley-microsoft WashingtonDC-customer WashingtonDC-microsoft" \
			"down failing at step $k (first circuit): every namespace is there"
		eq "$(state_files)" "SiliconValley.ini WashingtonDC.ini" "down failing at step $k: both state files stay"
		eq "$(links SiliconValley-microsoft)" "lo primary.100 secondary.100" "down failing at step $k: the Microsoft side keeps its links"
	else
		eq "$(namespaces)" "WashingtonDC-customer WashingtonDC-microsoft" "down failing at step $k (second circuit): the first circuit is gone"
		eq "$(state_files)" "WashingtonDC.ini" "down failing at step $k: only the first circuit's state went"
	fi
	expect 0 down "$LAB"
	eq "$(namespaces)" "" "down after the failure at step $k leaves nothing"
	eq "$(state_files)" "" "and no state"
done
# `down --all` goes on past a circuit it must refuse (its Microsoft namespace lost erlab's mark):
# that circuit keeps its state file, the other is removed whichever of the two comes first, and
# the sweep of marked objects (README, "What erlab guarantees") takes the refused circuit's customer namespace, which is
# still marked, but not the unmarked one. With the mark back, the next down --all finishes.
expect 0 up "$LAB"
mark=$(alias_of SiliconValley-microsoft lo)
ip -n SiliconValley-microsoft link set lo alias someone-else
expect 3 down --all
has "$ERR" "SiliconValley-microsoft" "down --all names the namespace it refuses"
eq "$(state_files)" "SiliconValley.ini" "down --all went on: only the refused circuit's state file is left"
eq "$(namespaces)" "SiliconValley-microsoft" "and of the namespaces only the unmarked one"
ip -n SiliconValley-microsoft link set lo alias "$mark"
expect 0 down --all
eq "$(namespaces)" "" "the next down --all leaves nothing"
eq "$(state_files)" "" "and no state"
# Killed after each step: the circuit being removed keeps its state file; the next down finishes.
for k in 1 2 3 4; do
	expect 0 up "$LAB"
	ERLAB_TEST_KILL_AT_STEP=$k erl down "$LAB"
	eq "$RC" 137 "down killed after step $k"
	has " $(state_files) " " WashingtonDC.ini " "down killed after step $k: the second circuit's state stays"
	expect 0 down "$LAB"
	eq "$(namespaces)" "" "the next down after a kill at step $k leaves nothing"
done
finish
