#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: a test that dies half-way after a PASS (a helper's exit).
source "$(dirname "$0")/../../lib.sh"
plan 3
pass "one check"
exit 3
