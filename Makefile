# SPDX-License-Identifier: GPL-2.0
#
# make            build silk.ko (against KDIR) and the tools
# make W=1        the same with the kernel's extra warnings
# make check      run the whole test suite in VMs (tests/run)
# make install    install module, tools and man pages
# make checkpatch run checkpatch.pl --strict over the module sources

KVER ?= $(shell tests/vm/kver 2>/dev/null || uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=
KSRC ?= $(firstword $(wildcard /work/ksrc/linux-source-6.1 /usr/src/linux-source-6.1))

.PHONY: all module tools clean install check demo checkpatch sparse

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
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

check:
	tests/run

demo:
	tests/demo

checkpatch:
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree -q --ignore FILE_PATH_CHANGES \
		-f src/*.c src/*.h include/uapi/linux/silk.h

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules
