#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: a device reference that is never put (dev_hold without
# dev_put); it shows when the device's namespace goes.
source "$(dirname "$0")/../../lib.sh"
plan 2
ip netns add leak
ip -n leak link add dummy0 type dummy
check "the fault module holds dummy0" \
	ip netns exec leak insmod "$SILK_SELFTEST_FAULT" mode=devleak dev=dummy0
finish
