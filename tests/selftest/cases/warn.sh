#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: a module that WARNs; the test itself passes.
source "$(dirname "$0")/../../lib.sh"
plan 2
check "the fault module loads" insmod "$SILK_SELFTEST_FAULT" mode=warn
finish
