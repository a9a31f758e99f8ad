# SPDX-License-Identifier: GPL-2.0
#
# make            build silk.ko (against KDIR) and the tools
# make W=1        the same with the kernel's extra warnings
# make check      run the whole test suite in VMs (tests/run)
#                 (KERNEL=6.12 FLAVOUR=rt: on another Debian kernel)
# make debug-kernel   build a KASAN/lockdep/kmemleak kernel for the VM (long; KERNEL=6.12 too)
# make check-debug    run the whole suite on it (KERNEL=6.12: on 6.12's)
# make check-all  the whole suite on every kernel Debian 12 ships (a release)
# make check-rt   build for Debian's PREEMPT_RT flavour (6.12; KERNEL=6.1 for bookworm's), run RT_TESTS on it
# make install    install module, tools, man pages and bash completion
# make dkms-install   hand the module's sources to DKMS (every kernel)
# make dkms-remove    take them back
# make checkpatch run 6.1's and 6.12's checkpatch.pl --strict (tests/setup gets them)
# make selftest-module  silk-selftest.ko, with self-tests run at load

# KERNEL=6.1|6.12, FLAVOUR=generic|cloud|rt: which Debian kernel to build
# for and boot (tests/vm/kver; the environment's SILK_KERNEL, SILK_FLAVOUR
# otherwise).
ifdef KERNEL
export SILK_KERNEL := $(KERNEL)
endif
ifdef FLAVOUR
export SILK_FLAVOUR := $(FLAVOUR)
endif
KVER ?= $(shell SILK_KERNEL=$(SILK_KERNEL) SILK_FLAVOUR=$(SILK_FLAVOUR) tests/vm/kver 2>/dev/null || uname -r)
KDIR ?= $(shell tests/vm/headers $(KVER) 2>/dev/null || echo /lib/modules/$(KVER)/build)
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/silk-$(VERSION)
SILK_CACHE ?= /var/cache/silk

.PHONY: all module tools clean install check demo checkpatch sparse dkms-install dkms-remove \
	selftest-module \
	debug-kernel check-debug check-rt check-all

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	# Kbuild skips depmod without a System.map, which headers do not have.
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# Every installed kernel with headers, unless KVERS names some.
KVERS ?= $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))

dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	cp -a Kbuild dkms.conf src include $(DKMS_SRC)/
	dkms add silk/$(VERSION)
	for k in $(KVERS); do dkms install silk/$(VERSION) -k $$k || exit 1; done

dkms-remove:
	dkms remove silk/$(VERSION) --all
	rm -rf $(DKMS_SRC)

# silk-selftest.ko: silk.ko with the self-tests of src/selftest/ compiled
# in (SILK_DEBUG), which run at load and refuse the load if one fails.
selftest-module:
	rm -rf .selftest
	install -d .selftest
	cp -a Kbuild dkms.conf src include .selftest/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/.selftest SILK_DEBUG=1 modules
	cp .selftest/silk.ko silk-selftest.ko

check:
	tests/run

debug-kernel:
	tests/vm/debug-kernel

# The socket events' users (deferred there) and the packet path's stress.
RT_TESTS := tests/net/rt.sh tests/net/sockev.sh tests/net/conns.sh \
	    tests/net/meter.sh tests/net/group.sh tests/net/mirror.sh \
	    tests/net/output.sh tests/net/datapath.sh tests/net/overload.sh \
	    tests/net/teardown.sh tests/net/badinput.sh

check-rt:
	SILK_KERNEL=$${SILK_KERNEL:-6.12} SILK_FLAVOUR=rt tests/run $(RT_TESTS)

# A release: the whole suite on every kernel Debian 12 ships (hours).
CHECK_ALL_KERNELS := 6.1/generic 6.1/cloud 6.1/rt 6.12/generic 6.12/cloud 6.12/rt

check-all:
	fail=0; for kf in $(CHECK_ALL_KERNELS); do \
		echo "# the whole suite on $$kf"; \
		SILK_KERNEL=$${kf%/*} SILK_FLAVOUR=$${kf#*/} SILK_SMOKE_ON= \
			tests/run || fail=1; \
	done; exit $$fail

# The debug kernel spends minutes of a TCG boot interpreting the PCI
# interrupt routing's AML (until ACPICA's loop timeout): pci=noacpi.
check-debug:
	rel=$$(tests/vm/debug-kernel) && \
		kdir=$$(tests/vm/debug-kernel --build-dir) && \
		SILK_KVER=$$rel KDIR=$$kdir SILK_KDIR=$$kdir \
		SILK_VM_APPEND="$${SILK_VM_APPEND-pci=noacpi}" \
		SILK_TEST_TIMEOUT=$${SILK_TEST_TIMEOUT:-5400} SILK_SLOW=$${SILK_SLOW:-5} \
		SILK_NLFUZZ_COUNT=$${SILK_NLFUZZ_COUNT:-20000} tests/run $(TESTS)

demo:
	tests/demo

checkpatch:
	set -e; for v in 6.1 6.12; do \
		$(SILK_CACHE)/checkpatch-$$v/scripts/checkpatch.pl --strict --no-tree -q \
			--ignore FILE_PATH_CHANGES \
			-f src/*.c src/*.h src/selftest/*.c include/uapi/linux/silk.h; \
	done

# In a copy, so that silk.ko, which a VM may be loading, is left alone.
sparse:
	rm -rf .sparse
	install -d .sparse
	cp -a Kbuild dkms.conf src include .sparse/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/.sparse C=2 modules
