# SPDX-License-Identifier: GPL-2.0
# kvm-pagewalk top level.
#   make            build the guest module gptdump for the running kernel
#                   (or KDIR=/lib/modules/<kver>/build)
#   make lab        the full emulated reproduction (scripts/lab.sh defaults)
#   make check      all tests: unit, kernel-style lint, emulated end-to-end
#   make host KVER= build the instrumented KVM with DKMS for kernel KVER

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
SERIES ?= 6.1
ALL_SERIES = 6.1 6.12

.PHONY: all clean lab check unit lint scripts-test dkms-test e2e host deps

all:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/guest-gptdump modules

clean:
	$(MAKE) -C tests/unit clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/guest-gptdump clean 2>/dev/null

deps:
	for s in $(ALL_SERIES); do scripts/deps.sh $$s >/dev/null || exit 1; done

lab:
	scripts/lab.sh

host: deps
	scripts/build-host.sh $(KVER) .cache/host/$(KVER)

unit:
	$(MAKE) -C tests/unit check

lint: deps
	for s in $(ALL_SERIES); do scripts/lint.sh $$s || exit 1; done

scripts-test: deps
	tests/scripts/test-prepare.sh $$(scripts/deps.sh 6.1)

# After e2e (which built the modules with DKMS): install/remove lifecycle.
dkms-test: deps
	kv=$$(scripts/deps.sh 6.1) && scripts/build-host.sh $$kv .cache/host/$$kv && \
		tests/scripts/test-dkms-lifecycle.sh $$kv

e2e: deps
	tests/e2e/run.sh

check: deps
	$(MAKE) unit
	$(MAKE) lint
	$(MAKE) scripts-test
	$(MAKE) e2e
	$(MAKE) dkms-test
	@echo "make check: all passed"
