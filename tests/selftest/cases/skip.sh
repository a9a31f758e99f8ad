#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test case: a missing premise is a skip with its reason.
source "$(dirname "$0")/../../lib.sh"
plan 2
skip_test "no frobnicator on this machine"
