#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: an unload that sleeps 40 s under a mutex.
source "$(dirname "$0")/../../lib.sh"
plan 3
check "the fault module loads" insmod "$SILK_SELFTEST_FAULT" mode=unload_sleep
check "and unloads, 40 s later" rmmod silk_fault
finish
