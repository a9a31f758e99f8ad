#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: a test that runs its plan and exits 0 passes.
source "$(dirname "$0")/../../lib.sh"
plan 2
pass "one check"
finish
