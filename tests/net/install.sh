#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shipping (issue 7): what an operator does on a stock machine.
#  - make install puts the module where modprobe finds it, the tools, their
#    man pages and bash completion; modinfo describes every parameter;
#  - make dkms-install builds silk with DKMS for the running kernel and
#    the other LTS kernel beside it, and modprobe loads that build;
#    make dkms-remove takes both back.
# The VM's root is an overlay on the host's, so nothing reaches the host.
#
# vm: shares the machine (no check depends on timing: tests/run runs it
# beside another VM)
# vm: timeout 2400 (DKMS compiles silk in the VM: 10 minutes under TCG
# with the machine to itself, when tests/vm/dkms-cache did not run first)
source "$(dirname "$0")/../lib.sh"
plan 33

kver=$(uname -r)
# The VM's /lib/modules is the kernel's own, read-only: give it a writable
# layer and the link to the headers that Debian's linux-headers package
# makes, as on an installed system (for a kernel built here, such as the
# debug kernel, its build tree: SILK_KDIR).
mkdir -p "$TMP/mods/up" "$TMP/mods/work"
mount -t overlay overlay -o "lowerdir=/lib/modules,upperdir=$TMP/mods/up,workdir=$TMP/mods/work" \
	/lib/modules
ln -sfn "${SILK_KDIR:-$("$ROOT/tests/vm/headers" "$kver")}" "/lib/modules/$kver/build"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")

## make install
check "make install" make -C "$ROOT" -s install PREFIX=/usr/local KVER="$kver"
check "modprobe silk finds the installed module" modprobe silk
# silk_ko_in DIRS FILE: FILE is silk.ko, compressed or not, in one of DIRS
# (a regex) under /lib/modules/$kver (kver is not a regex: 6.12.118+deb12).
silk_ko_in() {
	local rel=${2#"/lib/modules/$kver/"}

	[ "$rel" != "$2" ] && grep -Eq "^($1)/silk\.ko(\.xz|\.zst|\.gz)?\$" <<<"$rel"
}
# Where kbuild installs external modules: extra/ on 6.1, updates/ on 6.12,
# compressed as the kernel's own are (silk.ko.xz).
installed=$(modinfo -F filename silk)
check "it is the installed one ($installed)" silk_ko_in 'extra|updates' "$installed"
check_cond "modinfo shows the version ($version)" \
	"$(modinfo -F version silk)" = "$version"
nparm=$(modinfo -F parm silk | wc -l)
ndesc=$(modinfo -F parm silk | grep -c '^[a-z_]*:[A-Z]')
check_cond "every module parameter has a description ($ndesc of $nparm)" \
	"$nparm" -gt 0 -a "$ndesc" = "$nparm"
check "rmmod silk" rmmod silk
for t in silkctl tcpchains netmeter qosmgr; do
	check_cond "$t is on PATH" "$(command -v $t)" = "/usr/local/sbin/$t"
	check "man $t renders" sh -c "MANPATH=/usr/local/share/man man -P cat $t | grep -q NAME"
done
check "silkctl help works without the module" silkctl help

# complete LINE: the candidates bash completion offers for the last word.
complete_line() {
	bash -c '
		source /usr/share/bash-completion/bash_completion
		read -ra COMP_WORDS <<<"$1"
		[ "${1: -1}" = " " ] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$1
		COMP_POINT=${#1}
		source /usr/local/share/bash-completion/completions/${COMP_WORDS[0]}
		_${COMP_WORDS[0]}
		echo "${COMPREPLY[*]}"' _ "$1"
}
check_cond "completion: silkctl gr -> group" "$(complete_line 'silkctl gr')" = group
check_cond "completion: silkctl path a -> add" "$(complete_line 'silkctl path a')" = add
check_cond "completion: silkctl path add tcp port 80 class -> fp edf wfq" \
	"$(complete_line 'silkctl path add tcp port 80 class ')" = "fp edf wfq"
check_cond "completion: tcpchains -A -> a c d" "$(complete_line 'tcpchains -A ')" = "a c d"
check_cond "completion: netmeter p -> paths ports" "$(complete_line 'netmeter p')" = "paths ports"
check_cond "completion: qosmgr --d -> --dry-run" "$(complete_line 'qosmgr --d')" = "--dry-run"

## DKMS, for the running kernel and, side by side, Debian 12's other LTS
## kernel (6.12 beside 6.1, 6.1 beside 6.12) when its headers are here, as
## on a machine moving from one to the other: `make dkms-install` builds
## for every kernel with headers.
rm -f "$installed"
depmod "$kver"
other=$("$ROOT/tests/vm/kver" --beside "$kver" 2>/dev/null)
okdir=
[ -z "$other" ] || okdir=$("$ROOT/tests/vm/headers" "$other" 2>/dev/null)
kvers=$kver
if [ -n "$okdir" ]; then
	mkdir -p "/lib/modules/$other"
	ln -sfn "$okdir" "/lib/modules/$other/build"
	kvers="$kver $other"
fi
# DKMS's compiler through ccache, with the objects tests/run compiled on
# the host the way DKMS compiles them here (tests/vm/dkms-cache): what
# DKMS does is the same, minutes of TCG compiling are not.
export CCACHE_DIR=${SILK_CACHE:-/var/cache/silk}/ccache
ccache -z >/dev/null 2>&1 || true
t0=$(date +%s)
PATH=/usr/lib/ccache:$PATH check "make dkms-install (for $kvers)" \
	make -C "$ROOT" -s dkms-install
log "DKMS built and installed silk in $(($(date +%s) - t0)) s; ccache: $(ccache --print-stats 2>/dev/null |
	awk -F'\t' '$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 } $1 == "cache_miss" { m = $2 } END { printf "%d hits, %d misses", h, m }')"
check_cond "dkms lists silk as installed" \
	"$(dkms status silk | grep -c "silk/$version, $kver, .*: installed")" = 1
if [ -n "$okdir" ]; then
	check_cond "and for $other beside it" \
		"$(dkms status silk | grep -c "silk/$version, $other, .*: installed")" = 1
	oko=$(find "/lib/modules/$other/updates/dkms" -name 'silk.ko*' 2>/dev/null | head -n 1)
	check_cond "that build is $other's (${oko:-no silk.ko for it})" \
		"$(modinfo -F vermagic "${oko:-/nonexistent}" 2>/dev/null | cut -d' ' -f1)" = "$other"
else
	skip "and for ${other:-the other LTS kernel} beside it (no headers for it here: tests/vm/headers)"
	skip "that build is its"
fi
check "modprobe silk loads the DKMS build" modprobe silk
check "it is the DKMS build ($(modinfo -F filename silk))" \
	silk_ko_in updates/dkms "$(modinfo -F filename silk)"
check "it works: a path can be added" silkctl path add udp port 9 prio 1
check "rmmod silk" rmmod silk
check "make dkms-remove" make -C "$ROOT" -s dkms-remove
check_cond "the module is gone" "$(modinfo -F filename silk 2>/dev/null)" = ""
check_cond "for every kernel ($(dkms status silk | wc -l) left in dkms status)" \
	"$(dkms status silk | wc -l)" = 0
umount /lib/modules
finish
