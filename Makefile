# SPDX-License-Identifier: GPL-2.0-or-later
# guestcheck: `make demo` and `make test` are all a user needs (see README.md).

# `make` alone builds `all`, whatever rules come first below.
.DEFAULT_GOAL := all

BUILD      ?= build
CC         ?= cc
KERNEL     ?= $(shell initramfs/default-kernel)
KVER        = $(shell initramfs/kernel-version $(KERNEL))
SANITIZE   ?= 1
PREFIX     ?= /usr/local

# -Wclobbered: the kselftest harness's setjmp() in TEST_F trips it (6.12 header).
# -Wformat-truncation: messages are cut to their buffers on purpose; where a cut
# path would matter, the snprintf() result is checked.
WARN       := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-clobbered -Wno-format-truncation
COMMON     := -std=gnu11 -g -MD -MP -Ilib -Ichecks -I$(BUILD)/include $(WARN) -D_GNU_SOURCE
ifeq ($(SANITIZE),1)
HOST_SAN   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
HOST_CFLAGS  := $(COMMON) -O1 $(HOST_SAN) $(shell pkg-config --cflags libxml-2.0)
HOST_LIBS    := $(HOST_SAN) -ludev -ljson-c -linih -larchive $(shell pkg-config --libs libxml-2.0) \
                -lnl-route-3 -lnl-3 -lm
# The agent runs as PID 1 in an initramfs with no libraries: static, small.
AGENT_CFLAGS := $(COMMON) -Os -ffunction-sections -fdata-sections \
                $(shell pkg-config --cflags libnl-3.0 libnl-route-3.0 blkid)
AGENT_LIBS   := -static -Wl,--gc-sections -linih -lnl-route-3 -lnl-3 -lblkid -lpthread -lm

# The kselftest harness comes from Debian's linux-source-6.12 (never committed).
KSRC_TAR   ?= /usr/src/linux-source-6.12.tar.xz
KSRC_DIR    = linux-source-6.12/tools/testing
HARNESS     = $(BUILD)/include/kselftest_harness.h
# kunit.py finds itself by its path: it must stay under tools/testing/kunit.
KUNIT_PY    = $(BUILD)/ksrc/$(KSRC_DIR)/kunit/kunit.py

LIB_SRCS     := $(wildcard lib/*.c)
CHECK_SRCS   := $(wildcard checks/*.c checks/*/*.c)
AGENT_SRCS   := $(wildcard agent/*.c)
RUNNER_SRCS  := $(wildcard host-runner/*.c)
RUNNER_MAIN  := host-runner/main.c
UNIT_SRCS    := $(wildcard tests/unit/*_test.c)

obj_agent  = $(patsubst %.c,$(BUILD)/agent-obj/%.o,$(1))
obj_host   = $(patsubst %.c,$(BUILD)/host-obj/%.o,$(1))

AGENT_OBJS  := $(call obj_agent,$(AGENT_SRCS) $(CHECK_SRCS) $(LIB_SRCS))
RUNNER_OBJS := $(call obj_host,$(RUNNER_SRCS) $(LIB_SRCS))
# Unit tests link the host build of everything but the two main()s.
TESTABLE_OBJS := $(call obj_host,$(filter-out $(RUNNER_MAIN),$(RUNNER_SRCS)) $(LIB_SRCS) \
                 $(CHECK_SRCS) $(filter-out agent/main.c agent/harness.c agent/run.c,$(AGENT_SRCS)))
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

AGENT      = $(BUILD)/guestcheck-agent
RUNNER     = $(BUILD)/guestcheck
IMAGE      = $(BUILD)/initramfs-$(KVER).img

# A second guest kernel for the kernel-matrix test: an older Debian 6.1 ABI,
# unpacked (not installed) from its package into the build tree.
MATRIX_KERNEL_PKG ?= linux-image-6.1.0-55-amd64
MATRIX_KERNEL      = $(BUILD)/kernels/$(MATRIX_KERNEL_PKG)/boot/vmlinuz-$(patsubst linux-image-%,%,$(MATRIX_KERNEL_PKG))
$(MATRIX_KERNEL):
	@mkdir -p $(BUILD)/kernels/dl
	cd $(BUILD)/kernels/dl && apt-get download -q $(MATRIX_KERNEL_PKG)
	dpkg-deb -x $(BUILD)/kernels/dl/$(MATRIX_KERNEL_PKG)_*.deb $(BUILD)/kernels/$(MATRIX_KERNEL_PKG)
	# The package's postinst would run depmod; unpacked, we do.
	depmod -b $(BUILD)/kernels/$(MATRIX_KERNEL_PKG) $(patsubst linux-image-%,%,$(MATRIX_KERNEL_PKG))
	rm -rf $(BUILD)/kernels/dl

# aarch64 guests on QEMU's xlnx-zcu102 (the SD host controller checks): Debian's
# arm64 kernel and busybox-static unpacked (not installed) into the build tree,
# the agent cross-built with gcc-aarch64-linux-gnu against the :arm64 static
# libraries (`make deps` adds the architecture), an initramfs beside the
# runner where `guestcheck run` finds it by the kernel's release, and the
# project's device trees compiled with dtc. Nothing of it is committed.
A64             = $(BUILD)/aarch64
A64_KERNEL_PKG ?= linux-image-6.1.0-56-arm64
A64_RELEASE     = $(patsubst linux-image-%,%,$(A64_KERNEL_PKG))
A64_ROOT        = $(A64)/root
A64_KERNEL      = $(A64_ROOT)/boot/vmlinuz-$(A64_RELEASE)
A64_AGENT       = $(A64)/guestcheck-agent
A64_IMAGE       = $(BUILD)/initramfs-$(A64_RELEASE).img
A64_CC         ?= aarch64-linux-gnu-gcc
A64_PKG_CONFIG  = PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
A64_OBJS       := $(patsubst %.c,$(A64)/agent-obj/%.o,$(AGENT_SRCS) $(CHECK_SRCS) $(LIB_SRCS))
DTBS           := $(patsubst dt/%.dts,$(BUILD)/dt/%.dtb,$(wildcard dt/*.dts))

# Every source: one may /include/ another.
$(BUILD)/dt/%.dtb: dt/%.dts $(wildcard dt/*.dts)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(A64_KERNEL):
	@rm -rf $(A64)/dl && mkdir -p $(A64)/dl
	cd $(A64)/dl && apt-get download -q $(A64_KERNEL_PKG):arm64 busybox-static:arm64
	for deb in $(A64)/dl/*.deb; do dpkg-deb -x $$deb $(A64)/dl/x || exit 1; done
	# Only what a guest needs: the rest holds *.d directories the -include below would take.
	rm -rf $(A64_ROOT) && mkdir -p $(A64_ROOT)/bin $(A64_ROOT)/lib
	mv $(A64)/dl/x/boot $(A64_ROOT)/ && mv $(A64)/dl/x/lib/modules $(A64_ROOT)/lib/
	mv $(A64)/dl/x/bin/busybox $(A64_ROOT)/bin/
	# The package's postinst would run depmod; unpacked, we do.
	depmod -b $(A64_ROOT) $(A64_RELEASE)
	rm -rf $(A64)/dl

$(A64)/agent-obj/%.o: %.c | $(HARNESS)
	@mkdir -p $(dir $@)
	@echo "  CC [arm64] $<"
	@$(A64_CC) $(COMMON) -Os -ffunction-sections -fdata-sections \
		$(shell $(A64_PKG_CONFIG) --cflags libnl-3.0 libnl-route-3.0 blkid 2>/dev/null) -c $< -o $@

$(A64_AGENT): $(A64_OBJS)
	@echo "  LD [arm64] $@"
	@$(A64_CC) -o $@ $^ -L/usr/lib/aarch64-linux-gnu $(AGENT_LIBS)

# initramfs/modules.list less what the arm64 kernel lacks, plus the drivers the
# guest device tree's nodes need. build-initramfs strips the agent with `strip`:
# the cross one comes first in PATH.
$(A64_IMAGE): $(A64_AGENT) $(A64_KERNEL) initramfs/build-initramfs initramfs/modules.list \
		dt/zcu102-guest.modules
	@mkdir -p $(A64)/bin
	ln -sf $$(command -v aarch64-linux-gnu-strip) $(A64)/bin/strip
	{ grep -v '^[[:space:]]*\(#\|$$\)' initramfs/modules.list | while read -r m; do \
		p=$$(echo "$$m" | sed 's/[-_]/[-_]/g'); \
		grep -q "/$$p\.ko" $(A64_ROOT)/lib/modules/$(A64_RELEASE)/modules.dep \
			$(A64_ROOT)/lib/modules/$(A64_RELEASE)/modules.builtin && echo "$$m"; \
	done; grep -v '^[[:space:]]*\(#\|$$\)' dt/zcu102-guest.modules; } > $(A64)/modules.list
	PATH=$(CURDIR)/$(A64)/bin:$$PATH initramfs/build-initramfs --kernel $(A64_KERNEL) \
		--agent $(A64_AGENT) --modules-dir $(A64_ROOT)/lib/modules/$(A64_RELEASE) \
		--modules-list $(A64)/modules.list --busybox $(A64_ROOT)/bin/busybox -o $@

.PHONY: aarch64
aarch64: $(A64_IMAGE) $(A64_KERNEL) $(DTBS)

.PHONY: all deps demo test unit integration bench kunit-parse install clean format

all: $(AGENT) $(RUNNER) $(IMAGE) $(DTBS)

deps:
	@tests/install-deps

$(HARNESS):
	@test -r $(KSRC_TAR) || { echo "$(KSRC_TAR) missing: run 'make deps' (installs linux-source-6.12)" >&2; exit 2; }
	@mkdir -p $(BUILD)/include $(BUILD)/ksrc
	rm -rf $(BUILD)/ksrc/linux-source-6.12
	xz -T0 -dc $(KSRC_TAR) | tar -x -C $(BUILD)/ksrc \
		$(KSRC_DIR)/selftests/kselftest_harness.h $(KSRC_DIR)/selftests/kselftest.h \
		$(KSRC_DIR)/kunit
	cp $(BUILD)/ksrc/$(KSRC_DIR)/selftests/kselftest.h $(BUILD)/include/
	cp $(BUILD)/ksrc/$(KSRC_DIR)/selftests/kselftest_harness.h $(BUILD)/include/

$(BUILD)/agent-obj/%.o: %.c | $(HARNESS)
	@mkdir -p $(dir $@)
	@echo "  CC [agent] $<"
	@$(CC) $(AGENT_CFLAGS) -c $< -o $@

$(BUILD)/host-obj/%.o: %.c | $(HARNESS)
	@mkdir -p $(dir $@)
	@echo "  CC [host]  $<"
	@$(CC) $(HOST_CFLAGS) $(shell pkg-config --cflags libnl-3.0 libnl-route-3.0 blkid) -c $< -o $@

$(AGENT): $(AGENT_OBJS)
	@echo "  LD [agent] $@"
	@$(CC) -o $@ $^ $(AGENT_LIBS)
	@size=$$(stat -c %s $@); echo "agent: $$size bytes"

$(RUNNER): $(RUNNER_OBJS)
	@echo "  LD [host]  $@"
	@$(CC) -o $@ $^ $(HOST_LIBS)

$(BUILD)/unit/%: tests/unit/%.c $(TESTABLE_OBJS) | $(HARNESS)
	@mkdir -p $(dir $@)
	@echo "  LD [unit]  $@"
	@$(CC) $(HOST_CFLAGS) -Itests/unit -Ihost-runner -Iagent $(shell pkg-config --cflags libnl-3.0 blkid) \
		-o $@ $< $(TESTABLE_OBJS) $(HOST_LIBS) -lnl-route-3 -lnl-3 -lblkid

$(IMAGE): $(AGENT) initramfs/build-initramfs initramfs/modules.list
	initramfs/build-initramfs --kernel $(KERNEL) --agent $(AGENT) -o $@

demo: deps all
	$(RUNNER) run scenarios/default.ini --accel auto -o $(BUILD)/results/demo

test: deps all $(UNIT_BINS) $(KUNIT_PY) $(MATRIX_KERNEL) aarch64
	@GUESTCHECK_A64_KERNEL=$(A64_KERNEL) GUESTCHECK_DT_DIR=$(BUILD)/dt \
		GUESTCHECK_MATRIX_KERNEL=$(MATRIX_KERNEL) GUESTCHECK=$(RUNNER) GUESTCHECK_AGENT=$(AGENT) GUESTCHECK_INITRAMFS=$(IMAGE) \
		GUESTCHECK_KERNEL=$(KERNEL) BUILD=$(BUILD) UNIT_BINS="$(UNIT_BINS)" \
		KUNIT_PY=$(KUNIT_PY) tests/run-all

$(KUNIT_PY): $(HARNESS)

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

bench: deps all
	@GUESTCHECK=$(RUNNER) GUESTCHECK_AGENT=$(AGENT) GUESTCHECK_INITRAMFS=$(IMAGE) \
		GUESTCHECK_KERNEL=$(KERNEL) BUILD=$(BUILD) bench/run

install: all
	install -D -m 0755 $(RUNNER) $(DESTDIR)$(PREFIX)/bin/guestcheck
	install -D -m 0755 $(AGENT) $(DESTDIR)$(PREFIX)/lib/guestcheck/guestcheck-agent
	install -D -m 0755 initramfs/build-initramfs $(DESTDIR)$(PREFIX)/lib/guestcheck/build-initramfs
	install -D -m 0755 initramfs/kernel-version $(DESTDIR)$(PREFIX)/lib/guestcheck/kernel-version
	install -D -m 0755 initramfs/default-kernel $(DESTDIR)$(PREFIX)/lib/guestcheck/default-kernel
	install -D -m 0644 initramfs/modules.list $(DESTDIR)$(PREFIX)/lib/guestcheck/modules.list
	install -D -m 0644 host-runner/guestcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/guestcheck.1
	install -d $(DESTDIR)$(PREFIX)/share/guestcheck/scenarios
	install -m 0644 scenarios/*.ini $(DESTDIR)$(PREFIX)/share/guestcheck/scenarios/

format:
	clang-format -i $(LIB_SRCS) $(CHECK_SRCS) $(AGENT_SRCS) $(RUNNER_SRCS) $(UNIT_SRCS) \
		$(wildcard lib/*.h checks/*.h checks/*/*.h agent/*.h host-runner/*.h)

clean:
	rm -rf $(BUILD)

# Objects only unit tests use are still kept between runs.
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
