#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: an skb allocated and forgotten (kmemleak kernels only).
source "$(dirname "$0")/../../lib.sh"
[ -e /sys/kernel/debug/kmemleak ] || skip_test "the kernel has no kmemleak"
plan 3
check "the fault module leaks an skb" insmod "$SILK_SELFTEST_FAULT" mode=skbleak
check "and unloads" rmmod silk_fault
finish
