# SPDX-License-Identifier: GPL-2.0
# rxscope top-level Makefile: deps, all, module, test, demo, bench, vmlinux, clean.
# Quiet unless V=1. Build output goes to build/ (ignored).

.DELETE_ON_ERROR:
# Keep the BPF objects and skeletons between builds (they are intermediates of the chain).
.SECONDARY:
SHELL := /bin/bash

include versions.env
# The kernel that `make deps` actually chose (the pinned one, or a fallback).
-include .cache/guest-kernel.env
KVER ?= $(GUEST_KVER)
KDIR ?= /usr/src/linux-headers-$(KVER)

# Tools that make deps extracts rather than installs (promtool) live in .cache/bin.
export PATH := $(CURDIR)/.cache/bin:$(PATH)

ARCH := x86
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
LLVM_STRIP ?= llvm-strip

CFLAGS ?= -g -O2
LDLIBS_STATIC := -static -lbpf -lelf -lz -lzstd -ljson-c -lm
LDLIBS_DYN := -lbpf -lelf -lz -lzstd -ljson-c

# SAN=1: the same binaries and unit tests built with clang's AddressSanitizer and
# UndefinedBehaviorSanitizer into build-asan/ (dynamically linked: the sanitizer runtimes
# cannot be linked statically). Any report aborts the program (docs/fuzzing.md).
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ifeq ($(SAN),1)
BUILD := build-asan
CC := $(CLANG)
CFLAGS := -g -O1 $(SAN_FLAGS)
LDLIBS_STATIC := $(LDLIBS_DYN) -lm
STATIC :=
else
BUILD := build
STATIC := -static
endif
OUT := $(abspath $(BUILD))
SRC_INC := -Ibpf -Isrc/common -Isrc/rxscope
CFLAGS += -Wall -Wextra -std=gnu11 -D_GNU_SOURCE -I$(OUT) $(SRC_INC)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif

# --- sources -------------------------------------------------------------------------
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

# src/ holds three programs, each linked from an explicit object list:
#   src/rxscope/  the tracer and collector (rxscope; main in main.c)
#   src/tools/    the traffic generator (rxgen) and the guest-side test receiver (rxsink)
#   src/common/   what they share: frame building and parsing, the clock, atomic file
#                 writes, -h/--help
# Objects are flat in $(BUILD)/ (file names are unique across the three folders).
vpath %.c src/common src/tools src/rxscope
COMMON_OBJS := $(addprefix $(BUILD)/,atomic.o help.o)
FRAME_OBJS := $(BUILD)/frame.o
RXSCOPE_OBJS := $(addprefix $(BUILD)/,main.o attach.o cli.o compare.o export.o export_csv.o \
	export_html.o export_json.o export_prom.o hist.o http.o probe.o recording.o report.o \
	serve.o slow.o slow_bpf.o softnet.o split.o trace.o) $(COMMON_OBJS)
# Only these include the BPF skeleton; nothing else needs clang or bpftool to build.
SKEL_USERS := $(addprefix $(BUILD)/,attach.o slow_bpf.o trace.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

BINS := $(BUILD)/rxscope $(BUILD)/rxgen $(BUILD)/rxsink

.PHONY: all deps module module-older checkpatch vmlinux test unit-test host-test vm-test demo bench clean \
	ci-check asan asan-test fuzz fuzz-build
all: $(BINS)

deps:
	$(Q)bash scripts/deps.sh

# --- BPF: clang -> bpftool gen object -> bpftool gen skeleton ---------------------------
$(BUILD)/%.tmp.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) vmlinux/$(ARCH)/vmlinux.h | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) \
		-Ivmlinux/$(ARCH) -Ibpf -c $< -o $@

$(BUILD)/%.bpf.o: $(BUILD)/%.tmp.bpf.o
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# --- userspace ---------------------------------------------------------------------------
# Header dependencies come from the compiler (-MMD -MP: build/*.d).
$(BUILD)/%.o: %.c | $(BUILD)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(SKEL_USERS): $(SKELS)

$(BUILD)/rxscope: $(RXSCOPE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_STATIC)

$(BUILD)/rxgen: $(BUILD)/rxgen.o $(FRAME_OBJS) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(STATIC) -lm

$(BUILD)/rxsink: $(BUILD)/rxsink.o $(FRAME_OBJS) $(COMMON_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(STATIC)

include tests/unit/deps.mk
.SECONDEXPANSION:
$(BUILD)/tests/test_%: tests/unit/test_%.c $$(addprefix $(BUILD)/,$$(TEST_OBJS_$$*)) | $(BUILD)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP $(filter %.c %.o,$^) -o $@ -lcmocka $(LDLIBS_DYN) -lm

# The stage table proven: test_stage_table and the objects it links are built with
# tests/unit/extra_stage.h forced in, which adds one stage and one counter (docs/hacking.md).
EXTRA_STAGE_OBJS := $(addprefix $(BUILD)/extra-stage/,hist.o recording.o softnet.o export.o \
	atomic.o export_json.o export_csv.o export_prom.o report.o compare.o split.o slow.o)
EXTRA_STAGE_CFLAGS := -include tests/unit/extra_stage.h
$(BUILD)/extra-stage/%.o: %.c tests/unit/extra_stage.h | $(BUILD)/extra-stage
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(EXTRA_STAGE_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/test_stage_table: tests/unit/test_stage_table.c tests/unit/extra_stage.h \
		$(EXTRA_STAGE_OBJS) | $(BUILD)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(CFLAGS) $(EXTRA_STAGE_CFLAGS) -MMD -MP $< $(EXTRA_STAGE_OBJS) -o $@ \
		-lcmocka $(LDLIBS_DYN) -lm

$(BUILD) $(BUILD)/tests $(BUILD)/extra-stage:
	$(Q)mkdir -p $@

# --- fuzzing (tests/fuzz/, docs/fuzzing.md) -------------------------------------------------
# libFuzzer harnesses, one per reader of outside input, built with clang into build-fuzz/.
# `make fuzz FUZZ_SECONDS=N` replays the regression inputs, then runs each harness N s.
FUZZ := build-fuzz
FUZZ_SECONDS ?= 20
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 -Wall -Wextra -std=gnu11 -D_GNU_SOURCE $(SRC_INC) -Itests/fuzz
FUZZ_NAMES := json softnet compare cli rxsink frame
FUZZ_BINS := $(addprefix $(FUZZ)/fuzz_,$(FUZZ_NAMES))
FUZZ_REC := export.o export_json.o export_csv.o export_prom.o hist.o recording.o softnet.o \
	report.o atomic.o split.o slow.o
FUZZ_OBJS_json := $(FUZZ_REC)
FUZZ_OBJS_softnet := $(FUZZ_REC)
FUZZ_OBJS_compare := compare.o $(FUZZ_REC)
FUZZ_OBJS_cli := cli.o compare.o http.o help.o $(FUZZ_REC)
FUZZ_OBJS_rxsink := frame.o atomic.o help.o
FUZZ_OBJS_frame := frame.o

$(FUZZ)/%.o: %.c
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(FUZZ)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $$(addprefix $(FUZZ)/,$$(FUZZ_OBJS_$$*)) \
		$(wildcard src/*/*.c)
	$(call msg,LD-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer $< \
		$(addprefix $(FUZZ)/,$(FUZZ_OBJS_$*)) -o $@ $(LDLIBS_DYN) -lm

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	$(Q)bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

# --- kernel module -----------------------------------------------------------------------
module:
	$(call msg,MODULE,module/rxscope_igb.ko)
	$(Q)test -d $(KDIR) || { echo "module: no kernel build tree at KDIR=$(KDIR) (run make deps)" >&2; exit 2; }
	$(Q)$(MAKE) -C $(KDIR) M=$(abspath module) $(if $(filter 1,$(V)),V=1) modules

# The same module for the older guest kernel (Debian 12's 6.1), built from a copy of the
# sources in build/module-older/ so that module/ keeps the pinned kernel's objects (not the
# pinned kernel's generated rxscope_igb.mod.c: a copy of it gave a module without a version). Debian's
# 6.1 kbuild lacks resolve_btfids, which a module needs only for BTF_ID sets (ours has none).
OLDER_KDIR := /usr/src/linux-headers-$(OLDER_KVER)
module-older:
	$(call msg,MODULE,$(BUILD)/module-older/rxscope_igb.ko ($(OLDER_KVER)))
	$(Q)test -d $(OLDER_KDIR) || { echo "module-older: no kernel build tree at $(OLDER_KDIR) (run make deps)" >&2; exit 2; }
	$(Q)mkdir -p $(BUILD)/module-older
	$(Q)cp -u module/Kbuild $(filter-out %.mod.c,$(wildcard module/*.[ch])) $(BUILD)/module-older/
	$(Q)$(MAKE) -C $(OLDER_KDIR) M=$(OUT)/module-older $(if $(filter 1,$(V)),V=1) \
		RESOLVE_BTFIDS=true modules

# The module's sources through the kernel's checkpatch.pl (extracted by `make deps` from
# Debian's kernel source package): any error or warning fails (tests/host/checkpatch.sh).
CHECKPATCH ?= .cache/checkpatch/checkpatch.pl
MODULE_SRCS = $(filter-out %.mod.c,$(wildcard module/*.[ch]))
checkpatch:
	$(Q)test -f $(CHECKPATCH) || { echo "checkpatch: no $(CHECKPATCH) (run make deps)" >&2; exit 2; }
	$(Q)perl $(CHECKPATCH) --no-tree --terse --show-types -f $(MODULE_SRCS)

# --- vmlinux.h from the guest kernel's BTF --------------------------------------------------
vmlinux:
	$(Q)bash scripts/gen-vmlinux.sh $(KDIR)/vmlinux $(KVER) vmlinux/$(ARCH)

# --- tests ---------------------------------------------------------------------------------
unit-test: $(UNIT_BINS)
	$(Q)bash tests/run-unit.sh $(UNIT_BINS)

# The sanitizer build (build-asan/) and its run: unit tests and the host tests that run
# our binaries, any ASan/UBSan/LSan report failing (tests/host/sanitizers.sh).
asan:
	$(Q)$(MAKE) SAN=1 all $(patsubst $(BUILD)/%,build-asan/%,$(UNIT_BINS))

asan-test:
	$(Q)bash tests/host/sanitizers.sh

test: deps
	$(Q)$(MAKE) all module module-older
	$(Q)bash tests/run-all.sh

demo: deps
	$(Q)$(MAKE) all module
	$(Q)bash scripts/demo.sh

bench: deps
	$(Q)$(MAKE) all module
	$(Q)bash scripts/bench.sh
	$(Q)bash scripts/bench-host.sh

# The ready-made latency check (docs/ci.md). By default an A/B of the built module against
# itself in one boot (no change: expect ok), which ends by showing how to judge a change:
# CI_CHECK_ARGS="--against old/rxscope_igb.ko"; for a kernel (alternating boots)
# "--kernel new/bzImage --module new.ko --against old/bzImage --against old.ko".
CI_CHECK_ARGS ?= --against same
ci-check: deps
	$(Q)$(MAKE) all module
	$(Q)bash scripts/ci-check.sh $(CI_CHECK_ARGS)

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(BUILD) build-asan build-fuzz build-fuzz-cov
	$(Q)if [ -d $(KDIR) ]; then $(MAKE) -C $(KDIR) M=$(abspath module) clean >/dev/null; fi

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d $(BUILD)/extra-stage/*.d $(FUZZ)/*.d)
