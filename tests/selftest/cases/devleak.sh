#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: a device reference that is never put (dev_hold without
# dev_put); it shows when the device's namespace goes.
source "$(dirname "$0")/../../lib.sh"
plan 2
ip netns add leak
# A veth: every kernel the suite runs on has it (the debug one has no dummy).
ip -n leak link add leak0 type veth peer name leak1
check "the fault module holds leak0" \
	ip netns exec leak insmod "$SILK_SELFTEST_FAULT" mode=devleak dev=leak0
finish
