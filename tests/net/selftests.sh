#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The self-tests of pure logic (src/selftest/: the FTP reply parser,
# binding precedence and matching, the tcpchains loop check, weights as
# nice values and the order of attributes, the EDF and WFQ arithmetic):
# silk-selftest.ko (make selftest-module) runs them at load, and a failure
# refuses the load.
#
# vm: shares the machine (no check depends on timing: tests/run runs it
# beside another VM)
source "$(dirname "$0")/../lib.sh"
plan 6

ko=$ROOT/silk-selftest.ko
[ -f "$ko" ] || skip_test "no $ko: make selftest-module"
modprobe nf_defrag_ipv6
check "silk-selftest.ko loads" insmod "$ko"
check "its self-tests pass" eval "dmesg | grep -q 'silk: self-tests passed'"
check_cond "none reports a failure" \
	"$(dmesg | grep -cE 'silk: .*(self-test( [0-9]+)?:|self-tests failed)')" = 0
finish
