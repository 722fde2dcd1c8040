# SPDX-License-Identifier: GPL-2.0-or-later
# guestcheck: `make demo` and `make test` are all a user needs (see README.md).
#
# Nothing below may need a package when this file is read: on a fresh machine
# `make demo` and `make test` install their packages first (setup/install-deps)
# and only then build, in a second make that reads this file again. So every
# $(shell ...) is lazy (`=`, or `lazy` below), never `:=`.

# `make` alone builds `all`, whatever rules come first below.
.DEFAULT_GOAL := all

BUILD      ?= build
CC         ?= cc
KERNEL     ?= $(shell initramfs/default-kernel 2>/dev/null)
KVER        = $(shell initramfs/kernel-version $(KERNEL) 2>/dev/null)
PREFIX     ?= /usr/local

# $(call lazy,VAR,COMMAND): VAR runs COMMAND the first time it is used, once.
lazy = $(eval $(1) = $$(eval $(1) := $$$$(shell $(2)))$$($(1)))

# -Wclobbered: the kselftest harness's setjmp() in TEST_F trips it (6.12 header).
# -Wformat-truncation: messages are cut to their buffers on purpose; where a cut
# path would matter, the snprintf() result is checked.
WARN       := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-clobbered -Wno-format-truncation
COMMON     := -std=gnu11 -g -MD -MP -Ilib -Ichecks -I$(BUILD)/include $(WARN) -D_GNU_SOURCE
$(call lazy,PKG_HOST_CFLAGS,pkg-config --cflags libxml-2.0 libnl-3.0 libnl-route-3.0 blkid)
$(call lazy,PKG_HOST_LIBS,pkg-config --libs libxml-2.0)
$(call lazy,PKG_AGENT_CFLAGS,pkg-config --cflags libnl-3.0 libnl-route-3.0 blkid)
# Two builds of the host side. The release build is what `make`, `make install`
# and the Debian package ship. The sanitizer build ($(SAN)) is for the tests
# alone: the unit tests and the runner the integration tests drive.
SAN        := $(BUILD)/san
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# The release builds take the caller's CPPFLAGS, CFLAGS and LDFLAGS (the Debian
# package's: dpkg-buildflags, hardening included); the sanitizer build does not.
HOST_CFLAGS   = $(COMMON) -Ihost-runner -O2 -D_FORTIFY_SOURCE=2 $(PKG_HOST_CFLAGS) $(CPPFLAGS) $(CFLAGS)
SAN_CFLAGS    = $(COMMON) -Ihost-runner -O1 $(SAN_FLAGS) $(PKG_HOST_CFLAGS)
HOST_LIBS     = -ludev -ljson-c -linih -larchive $(PKG_HOST_LIBS) -lnl-route-3 -lnl-3 -lm
# The agent runs as PID 1 in an initramfs with no libraries: static, small
# (-Os last: it wins over a -O2 in CFLAGS).
AGENT_CFLAGS  = $(COMMON) $(CPPFLAGS) $(CFLAGS) -Os -ffunction-sections -fdata-sections $(PKG_AGENT_CFLAGS)
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
RUNNER_SRCS  := $(wildcard host-runner/*/*.c)
RUNNER_MAIN  := host-runner/cli/main.c
UNIT_SRCS    := $(wildcard tests/unit/*_test.c)

obj_agent  = $(patsubst %.c,$(BUILD)/agent-obj/%.o,$(1))
obj_host   = $(patsubst %.c,$(BUILD)/host-obj/%.o,$(1))
obj_san    = $(patsubst %.c,$(SAN)/host-obj/%.o,$(1))

AGENT_OBJS  := $(call obj_agent,$(AGENT_SRCS) $(CHECK_SRCS) $(LIB_SRCS))
RUNNER_OBJS := $(call obj_host,$(RUNNER_SRCS) $(LIB_SRCS))
SAN_RUNNER_OBJS := $(call obj_san,$(RUNNER_SRCS) $(LIB_SRCS))
# Unit tests link the sanitizer build of everything but the two main()s.
TESTABLE_OBJS := $(call obj_san,$(filter-out $(RUNNER_MAIN),$(RUNNER_SRCS)) $(LIB_SRCS) \
                 $(CHECK_SRCS) $(filter-out agent/main.c agent/run.c,$(AGENT_SRCS)))
UNIT_BINS   := $(patsubst tests/unit/%.c,$(SAN)/unit/%,$(UNIT_SRCS))

AGENT      = $(BUILD)/guestcheck-agent
RUNNER     = $(BUILD)/guestcheck
# Beside the release runner, so it finds the same base images and builder.
SAN_RUNNER = $(BUILD)/guestcheck-san
IMAGE      = $(BUILD)/initramfs-$(KVER).img
INSTALLERS = $(BUILD)/installer-hdd-only.img

# The platforms users run, beside Debian 12's own (QEMU 7.2, Linux 6.1): QEMU
# from bookworm-backports (10.0 today) and the newest Linux 6.12 of Debian 12,
# unpacked, never installed, into $(PLATFORMS) (setup/unpack-qemu and
# setup/unpack-kernel choose what the archive holds today). The tests run the
# default scenario and one scenario per area there too.
PLATFORMS  ?= $(BUILD)/platforms
QEMU_NEW    = $(PLATFORMS)/qemu-backports/bin/qemu-system-x86_64
K612_ROOT   = $(PLATFORMS)/linux-6.12-amd64

# `make test` and `make demo` build with -j (one job per core): what reaches
# for apt (downloads, the backports lists, an install) waits for the others
# under one lock, so two never meet on apt's locks; the compilers run free.
APT_ONE_AT_A_TIME = mkdir -p $(BUILD) && flock $(BUILD)/.apt.lock

# Again when the script changes: on a tree unpacked before, it only mends.
$(QEMU_NEW): setup/unpack-qemu
	$(APT_ONE_AT_A_TIME) setup/unpack-qemu $(PLATFORMS)/qemu-backports >/dev/null && touch $@

$(K612_ROOT)/.complete:
	$(APT_ONE_AT_A_TIME) setup/unpack-kernel $(K612_ROOT) amd64 6.12 >/dev/null

# Its base image beside the runner (found by release), built from this agent.
$(BUILD)/.image-linux-6.12-amd64: $(K612_ROOT)/.complete $(AGENT) initramfs/build-initramfs \
		initramfs/modules.list
	rel=$$(ls $(K612_ROOT)/lib/modules); initramfs/build-initramfs \
		--kernel $(K612_ROOT)/boot/vmlinuz-$$rel --agent $(AGENT) \
		--modules-dir $(K612_ROOT)/lib/modules/$$rel -o $(BUILD)/initramfs-$$rel.img
	touch $@

.PHONY: platforms
platforms: $(QEMU_NEW) $(BUILD)/.image-linux-6.12-amd64

# aarch64 guests on QEMU's xlnx-zcu102 (the SD host controller checks): Debian's
# arm64 kernels (6.1 and 6.12) and busybox-static unpacked (not installed) into
# the build tree, the agent cross-built with gcc-aarch64-linux-gnu against the
# :arm64 static libraries (`make deps` adds the architecture), one initramfs
# per kernel beside the runner, where `guestcheck run` finds it by the kernel's
# release, and the project's device trees compiled with dtc. Nothing of it is
# committed.
A64             = $(BUILD)/aarch64
A64_ROOT        = $(A64)/linux-6.1-arm64
A64_612_ROOT    = $(A64)/linux-6.12-arm64
A64_BUSYBOX     = $(A64)/busybox/bin/busybox
A64_AGENT       = $(A64)/guestcheck-agent
A64_CC         ?= aarch64-linux-gnu-gcc
A64_PKG_CONFIG  = PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
A64_OBJS       := $(patsubst %.c,$(A64)/agent-obj/%.o,$(AGENT_SRCS) $(CHECK_SRCS) $(LIB_SRCS))
DTBS           := $(patsubst dt/%.dts,$(BUILD)/dt/%.dtb,$(wildcard dt/*.dts))
$(call lazy,A64_PKG_CFLAGS,$(A64_PKG_CONFIG) --cflags libnl-3.0 libnl-route-3.0 blkid 2>/dev/null)

# Every source: one may /include/ another.
$(BUILD)/dt/%.dtb: dt/%.dts $(wildcard dt/*.dts)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(A64)/linux-%-arm64/.complete:
	$(APT_ONE_AT_A_TIME) setup/unpack-kernel $(A64)/linux-$*-arm64 arm64 $* >/dev/null

$(A64_BUSYBOX):
	@rm -rf $(A64)/busybox && mkdir -p $(A64)/busybox/dl
	$(APT_ONE_AT_A_TIME) sh -c 'cd $(A64)/busybox/dl && apt-get download -q busybox-static:arm64'
	dpkg-deb -x $(A64)/busybox/dl/*.deb $(A64)/busybox/dl/x
	mkdir -p $(dir $@) && mv $(A64)/busybox/dl/x/bin/busybox $@ && rm -rf $(A64)/busybox/dl

$(A64)/agent-obj/%.o: %.c | $(HARNESS)
	@mkdir -p $(dir $@)
	@echo "  CC [arm64] $<"
	@$(A64_CC) $(COMMON) -Os -ffunction-sections -fdata-sections $(A64_PKG_CFLAGS) -c $< -o $@

$(A64_AGENT): $(A64_OBJS)
	@echo "  LD [arm64] $@"
	@$(A64_CC) -o $@ $^ -L/usr/lib/aarch64-linux-gnu $(AGENT_LIBS)

# One image per arm64 kernel, named by its release (known once it is unpacked):
# initramfs/modules.list less what that kernel lacks, plus the drivers the guest
# device tree's nodes need. build-initramfs strips the agent with `strip`: the
# cross one comes first in PATH.
$(A64)/linux-%-arm64/.image: $(A64)/linux-%-arm64/.complete $(A64_AGENT) $(A64_BUSYBOX) \
		initramfs/build-initramfs initramfs/modules.list dt/zcu102-guest.modules
	@mkdir -p $(A64)/bin
	ln -sf $$(command -v aarch64-linux-gnu-strip) $(A64)/bin/strip
	root=$(A64)/linux-$*-arm64; rel=$$(ls $$root/lib/modules); mods=$$root/lib/modules/$$rel; \
	{ grep -v '^[[:space:]]*\(#\|$$\)' initramfs/modules.list | while read -r m; do \
		p=$$(echo "$$m" | sed 's/[-_]/[-_]/g'); \
		grep -q "/$$p\.ko" $$mods/modules.dep $$mods/modules.builtin && echo "$$m"; \
	done; grep -v '^[[:space:]]*\(#\|$$\)' dt/zcu102-guest.modules; } > $$root/modules.list && \
	PATH=$(CURDIR)/$(A64)/bin:$$PATH initramfs/build-initramfs --kernel $$root/boot/vmlinuz-$$rel \
		--agent $(A64_AGENT) --modules-dir $$mods --modules-list $$root/modules.list \
		--busybox $(A64_BUSYBOX) -o $(BUILD)/initramfs-$$rel.img
	touch $@

.PHONY: aarch64
aarch64: $(A64_ROOT)/.image $(DTBS)

.PHONY: all deps demo test unit bench install clean format deps-present
.PHONY: demo-run test-run

# Every shipped scenario runs after `make`: the aarch64 guests and the
# non-interference run's test installer are part of it.
all: $(AGENT) $(RUNNER) $(IMAGE) $(DTBS) aarch64 $(INSTALLERS)

# `make deps` installs every package `make test` needs.
# Backports (Incus) is read through the folder `make platforms` uses: one
# download of its lists for both.
deps:
	@APT_SUITE_DIR=$(abspath $(PLATFORMS))/apt-bookworm-backports setup/install-deps test

# `make`, with packages missing, stops at once with the list and the fix.
# `make demo` asks only for the demo's.
DEPS_PROFILE ?= all
deps-present:
	@setup/install-deps --check $(DEPS_PROFILE)

$(HARNESS): | deps-present
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

# Host headers are included as "FOLDER/NAME.h" through -Ihost-runner, which
# comes after -Ichecks: a host header with the same FOLDER/NAME as a check's
# would be shadowed by it. Refuse that at once.
$(BUILD)/.headers-unique: $(wildcard host-runner/*/*.h checks/*/*.h)
	@dup=$$(cd host-runner && for h in */*.h; do [ ! -e ../checks/$$h ] || echo $$h; done); \
	 [ -z "$$dup" ] || { echo "host-runner/ and checks/ both have $$dup: rename the host header" >&2; exit 2; }
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/host-obj/%.o: %.c | $(HARNESS) $(BUILD)/.headers-unique
	@mkdir -p $(dir $@)
	@echo "  CC [host]  $<"
	@$(CC) $(HOST_CFLAGS) -c $< -o $@

$(SAN)/host-obj/%.o: %.c | $(HARNESS) $(BUILD)/.headers-unique
	@mkdir -p $(dir $@)
	@echo "  CC [san]   $<"
	@$(CC) $(SAN_CFLAGS) -c $< -o $@

$(AGENT): $(AGENT_OBJS)
	@echo "  LD [agent] $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(AGENT_LIBS)
	@size=$$(stat -c %s $@); echo "agent: $$size bytes"

$(RUNNER): $(RUNNER_OBJS)
	@echo "  LD [host]  $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

$(SAN_RUNNER): $(SAN_RUNNER_OBJS)
	@echo "  LD [san]   $@"
	@$(CC) $(SAN_FLAGS) -o $@ $^ $(HOST_LIBS)

$(SAN)/unit/%: tests/unit/%.c $(TESTABLE_OBJS) | $(HARNESS)
	@mkdir -p $(dir $@)
	@echo "  LD [unit]  $@"
	@$(CC) $(SAN_CFLAGS) -Itests/unit -Ihost-runner -Iagent \
		-o $@ $< $(TESTABLE_OBJS) $(HOST_LIBS) -lnl-route-3 -lnl-3 -lblkid

# libFuzzer harnesses (tests/fuzz/, one per parser of bytes guestcheck did not
# write): clang with the fuzzer, ASan and UBSan, linking every object the unit
# tests link, built again by clang. Never committed: $(FUZZ_OUT).
FUZZ_OUT     = $(BUILD)/fuzz
FUZZ_CC     ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Flags gcc knows and clang 14 does not are in WARN: clang is told to pass on them.
# -Wstring-plus-int: clang alone warns on "ABC" + 1, which the tree means (initrd.c).
FUZZ_CFLAGS  = $(COMMON) -Wno-unknown-warning-option -Wno-string-plus-int -Ihost-runner -Iagent -Itests/fuzz -O1 \
	       $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_HOST_CFLAGS)
FUZZ_SRCS   := $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(FUZZ_OUT)/bin/%,$(FUZZ_SRCS))
FUZZ_OBJS   := $(patsubst $(SAN)/host-obj/%,$(FUZZ_OUT)/obj/%,$(TESTABLE_OBJS))

$(FUZZ_OUT)/obj/%.o: %.c | $(HARNESS) $(BUILD)/.headers-unique
	@mkdir -p $(dir $@)
	@echo "  CC [fuzz]  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_OUT)/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD [fuzz]  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(HOST_LIBS) \
		-lnl-route-3 -lnl-3 -lblkid

.PHONY: fuzz fuzz-bins
fuzz-bins: $(FUZZ_BINS)

# Each harness for FUZZ_SECONDS from its seeds; a table of executions,
# coverage and crashes (tests/fuzz/run).
fuzz: $(FUZZ_BINS)
	@tests/fuzz/run --seconds $(FUZZ_SECONDS) --out $(FUZZ_OUT) $(FUZZ_BINS)

$(IMAGE): $(AGENT) initramfs/build-initramfs initramfs/modules.list
	@test -n "$(KERNEL)" || { initramfs/default-kernel >/dev/null; exit 2; }
	initramfs/build-initramfs --kernel $(KERNEL) --agent $(AGENT) -o $@

# The project's own test installer, for scenarios/non-interference-nas.ini.
$(BUILD)/installer-%.img: tests/installer/%.sh tests/installer/lib.sh tests/installer/build-installer $(IMAGE)
	tests/installer/build-installer --base $(IMAGE) --script $< -o $@

# The suite's own "user's VM" for [machine] disk: a Debian 12 disk image that
# the firmware boots (setup/build-test-guest; needs root, kept a week in
# ~/.cache/guestcheck-tests). `make test` builds it when run as root; as
# another user the tests that need it skip.
TEST_GUEST = $(BUILD)/guest-images/debian12.qcow2
$(TEST_GUEST): setup/build-test-guest
	$(APT_ONE_AT_A_TIME) setup/build-test-guest $@

.PHONY: test-guest
test-guest: $(TEST_GUEST)

# The integration tests that boot it: with TESTS_ONLY naming none of them (the
# fresh-machine test's `make test TESTS_ONLY=foundation_pass`) it is not built.
TEST_GUEST_USERS = user_disk user_disk_uefi check_qga check_libvirt
NEED_TEST_GUEST = $(and $(filter 0,$(shell id -u)),$(if $(TESTS_ONLY),$(strip \
	$(foreach t,$(TEST_GUEST_USERS),$(findstring $(TESTS_ONLY),$(t)))),yes))

# `make demo` and `make test` install their packages first, then build in a
# second make that reads this file with them in place.
demo:
	@setup/install-deps demo
	@$(MAKE) --no-print-directory -j$$(nproc) demo-run DEPS_PROFILE=demo

demo-run: $(AGENT) $(RUNNER) $(IMAGE)
	$(RUNNER) run scenarios/default.ini --accel auto -o $(BUILD)/results/demo

test:
	@APT_SUITE_DIR=$(abspath $(PLATFORMS))/apt-bookworm-backports setup/install-deps test
	@$(MAKE) --no-print-directory -j$$(nproc) test-run

test-run: all $(SAN_RUNNER) $(UNIT_BINS) $(FUZZ_BINS) $(KUNIT_PY) platforms $(A64_612_ROOT)/.image \
		$(if $(NEED_TEST_GUEST),$(TEST_GUEST))
	@GUESTCHECK_A64_KERNEL=$$(ls $(A64_ROOT)/boot/vmlinuz-*) \
		GUESTCHECK_A64_612_KERNEL=$$(ls $(A64_612_ROOT)/boot/vmlinuz-*) GUESTCHECK_DT_DIR=$(BUILD)/dt \
		GUESTCHECK_612_KERNEL=$$(ls $(K612_ROOT)/boot/vmlinuz-*) GUESTCHECK_QEMU_NEW=$(QEMU_NEW) \
		GUESTCHECK=$(SAN_RUNNER) GUESTCHECK_RELEASE=$(RUNNER) GUESTCHECK_AGENT=$(AGENT) \
		GUESTCHECK_INITRAMFS=$(IMAGE) GUESTCHECK_KERNEL=$(KERNEL) BUILD=$(BUILD) \
		GUESTCHECK_TEST_GUEST=$(TEST_GUEST) UNIT_BINS="$(UNIT_BINS)" FUZZ_BINS="$(FUZZ_BINS)" KUNIT_PY=$(KUNIT_PY) tests/run-all

$(KUNIT_PY): $(HARNESS)

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

bench:
	@setup/install-deps test
	@$(MAKE) --no-print-directory bench-run

bench-run: all platforms
	@GUESTCHECK=$(RUNNER) GUESTCHECK_AGENT=$(AGENT) GUESTCHECK_INITRAMFS=$(IMAGE) \
		GUESTCHECK_KERNEL=$(KERNEL) GUESTCHECK_QEMU_NEW=$(QEMU_NEW) BUILD=$(BUILD) bench/run

# What a user installs: the release runner and a stripped agent (the Debian
# package is this, with PREFIX=/usr: debian/rules).
install: $(AGENT) $(RUNNER)
	install -D -m 0755 $(RUNNER) $(DESTDIR)$(PREFIX)/bin/guestcheck
	install -D -m 0755 -s $(AGENT) $(DESTDIR)$(PREFIX)/lib/guestcheck/guestcheck-agent
	install -D -m 0755 initramfs/build-initramfs $(DESTDIR)$(PREFIX)/lib/guestcheck/build-initramfs
	install -D -m 0755 initramfs/kernel-version $(DESTDIR)$(PREFIX)/lib/guestcheck/kernel-version
	install -D -m 0755 initramfs/default-kernel $(DESTDIR)$(PREFIX)/lib/guestcheck/default-kernel
	install -D -m 0644 initramfs/modules.list $(DESTDIR)$(PREFIX)/lib/guestcheck/modules.list
	install -D -m 0644 host-runner/guestcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/guestcheck.1
	install -D -m 0644 host-runner/guestcheck.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/guestcheck
	install -d $(DESTDIR)$(PREFIX)/share/guestcheck/scenarios
	install -m 0644 scenarios/*.ini $(DESTDIR)$(PREFIX)/share/guestcheck/scenarios/

format:
	clang-format -i $(LIB_SRCS) $(CHECK_SRCS) $(AGENT_SRCS) $(RUNNER_SRCS) $(UNIT_SRCS) $(FUZZ_SRCS) \
		$(wildcard lib/*.h checks/*.h checks/*/*.h agent/*.h host-runner/*/*.h tests/fuzz/*.h)

clean:
	rm -rf $(BUILD)

# Objects only unit tests use are still kept between runs.
.SECONDARY:

# Only the compilers' dependency files: unpacked kernels and the fresh-machine
# chroot hold *.d folders of their own.
-include $(shell find $(BUILD)/agent-obj $(BUILD)/host-obj $(SAN) $(A64)/agent-obj $(BUILD)/fuzz/obj -name '*.d' -type f 2>/dev/null)
