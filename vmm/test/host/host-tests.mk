# SPDX-License-Identifier: MIT
# Host unit tests and the freestanding compile check for the hypervisor's pure parts.
# Included from vmm/Makefile, so every path here is relative to vmm/.

HOST_TEST_CC ?= cc
HOST_TEST_CFLAGS := -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -Iinclude -I../common/test
HOST_TEST_DIR := build/host
HOST_TEST_HEADERS := $(wildcard include/*/*.h src/*/*.h) ../common/test/tap.h

# Each test program: its test source plus the module(s) it tests.
HOST_TEST_PROGRAMS := e820_test insn_decode_test guest_walk_test ata_channel_test ata_dma_test \
	ata_pending_test
HOST_TEST_MODULE_e820_test := src/mm/e820.c
HOST_TEST_MODULE_insn_decode_test := src/x86/insn_decode.c
HOST_TEST_MODULE_guest_walk_test := src/mm/guest_walk.c
ATA_SOURCES := $(sort $(wildcard src/ata/*.c))
HOST_TEST_MODULE_ata_channel_test := $(ATA_SOURCES)
HOST_TEST_MODULE_ata_dma_test := $(ATA_SOURCES)
HOST_TEST_MODULE_ata_pending_test := $(ATA_SOURCES)
HOST_TEST_PROGRAMS += ide_register_split_test
HOST_TEST_MODULE_ide_register_split_test := $(ATA_SOURCES) src/storage/ide_register_split.c
HOST_TEST_PROGRAMS += config_test int15_test acpi_test policy_test exit_table_test
HOST_TEST_MODULE_config_test := src/boot/config.c src/lib/format.c
HOST_TEST_MODULE_int15_test := src/guest/int15_memory.c src/mm/e820.c
HOST_TEST_MODULE_acpi_test := src/x86/acpi_tables.c src/x86/acpi_cpus.c src/pci/ecam.c
HOST_TEST_MODULE_policy_test := src/hv/policy.c
HOST_TEST_PROGRAMS += host_msrs_test background_test
HOST_TEST_MODULE_background_test := src/hv/background.c
HOST_TEST_MODULE_host_msrs_test := src/hv/host_msrs.c
HOST_TEST_MODULE_exit_table_test := src/svm/exit_table.c
HOST_TEST_PROGRAMS += pic_tracker_test ioio_decode_test port_ranges_test pagetable_test
HOST_TEST_MODULE_pic_tracker_test := src/irq/pic_tracker.c
HOST_TEST_MODULE_ioio_decode_test := src/io/ioio_decode.c
HOST_TEST_MODULE_port_ranges_test := src/io/port_ranges.c
HOST_TEST_MODULE_pagetable_test := src/mm/pagetable.c src/mm/pages.c
HOST_TEST_PROGRAMS += vmx_caps_test mtrr_test ept_test vmcs_setup_test vmx_exit_parts_test
HOST_TEST_MODULE_vmx_caps_test := src/vmx/vmx_caps.c
HOST_TEST_MODULE_mtrr_test := src/x86/mtrr.c
HOST_TEST_MODULE_vmcs_setup_test := src/vmx/vmcs_setup.c src/vmx/vmx_caps.c
HOST_TEST_MODULE_vmx_exit_parts_test := src/vmx/vmx_bitmaps.c src/vmx/vmx_events.c src/vmx/vmx_cr.c src/vmx/vmx_caps.c
HOST_TEST_MODULE_ept_test := src/vmx/ept.c src/x86/mtrr.c src/mm/pagetable.c src/mm/pages.c
HOST_TEST_PROGRAMS += storage_glue_test
HOST_TEST_MODULE_storage_glue_test := src/storage/aoe_backend_map.c src/storage/ide_bar.c src/pci/pci_config_decode.c
# The AoE initiator core, linked with the shared frame codec (common/aoe).
HOST_TEST_CFLAGS += -I../common
HOST_TEST_PROGRAMS += aoe_client_test aoe_rto_test
HOST_TEST_MODULE_aoe_client_test := src/aoe/aoe_client.c src/aoe/rto.c src/aoe/aoe_stats.c ../common/aoe/aoe.c
HOST_TEST_MODULE_aoe_rto_test := src/aoe/rto.c src/aoe/aoe_stats.c

.PHONY: host-test fuzz freestanding-check list-host-tests
host-test: $(addprefix $(HOST_TEST_DIR)/,$(HOST_TEST_PROGRAMS))
# The one list of host test programs: vmm/test/host.test.ts reads it from here.
list-host-tests:
	@echo $(HOST_TEST_PROGRAMS)

# Fuzz harnesses (test/fuzz/; driver in common/test/fuzz.h): the receive path of the AoE client
# and the ATA channel, under the same sanitizers. `npm test` runs a few fixed seeds; `npm run fuzz`
# many more.
FUZZ_PROGRAMS := aoe_receive_fuzz ata_channel_fuzz
FUZZ_MODULE_aoe_receive_fuzz := $(HOST_TEST_MODULE_aoe_client_test)
FUZZ_MODULE_ata_channel_fuzz := $(ATA_SOURCES)
fuzz: $(addprefix $(HOST_TEST_DIR)/,$(FUZZ_PROGRAMS))

define FUZZ_RULE
$(HOST_TEST_DIR)/$(1): test/fuzz/$(1).c $(FUZZ_MODULE_$(1)) $(HOST_TEST_HEADERS) $(wildcard test/host/*.h) ../common/test/fuzz.h
	@mkdir -p $(HOST_TEST_DIR)
	$(HOST_TEST_CC) $(HOST_TEST_CFLAGS) -fno-sanitize-recover=all -o $$@ test/fuzz/$(1).c $(FUZZ_MODULE_$(1))
endef
$(foreach program,$(FUZZ_PROGRAMS),$(eval $(call FUZZ_RULE,$(program))))

define HOST_TEST_RULE
$(HOST_TEST_DIR)/$(1): test/host/$(1).c $(HOST_TEST_MODULE_$(1)) $(HOST_TEST_HEADERS) $(wildcard test/host/*.h)
	@mkdir -p $(HOST_TEST_DIR)
	$(HOST_TEST_CC) $(HOST_TEST_CFLAGS) -o $$@ test/host/$(1).c $(HOST_TEST_MODULE_$(1))
endef
$(foreach program,$(HOST_TEST_PROGRAMS),$(eval $(call HOST_TEST_RULE,$(program))))

# The same sources must build for the hypervisor itself: no libc, no red zone, kernel code
# model, no SSE. An undefined symbol (e.g. a memcpy the compiler emitted) fails the check; the
# objects are checked together, as modules of several files call each other.
FREESTANDING_CHECK_CFLAGS := -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -mno-red-zone \
	-mcmodel=kernel -fno-pic -mgeneral-regs-only -fno-stack-protector -Iinclude
FREESTANDING_CHECK_DIR := build/freestanding-check
FREESTANDING_CHECK_SOURCES := src/mm/e820.c src/x86/insn_decode.c src/mm/guest_walk.c src/io/port_ranges.c $(ATA_SOURCES) \
	src/hv/host_msrs.c src/x86/acpi_tables.c src/x86/acpi_cpus.c src/pci/ecam.c src/lib/string.c

freestanding-check: $(HOST_TEST_HEADERS)
	@mkdir -p $(FREESTANDING_CHECK_DIR)
	@set -e; objs=; for src in $(FREESTANDING_CHECK_SOURCES); do \
		obj=$(FREESTANDING_CHECK_DIR)/$$(basename $$src .c).o; \
		$(HOST_TEST_CC) $(FREESTANDING_CHECK_CFLAGS) -c -o $$obj $$src; \
		objs="$$objs $$obj"; \
	done; \
	ld -r -o $(FREESTANDING_CHECK_DIR)/all.o $$objs; \
	undefined=$$(nm -u $(FREESTANDING_CHECK_DIR)/all.o); \
	if [ -n "$$undefined" ]; then echo "needs external symbols: $$undefined" >&2; exit 1; fi
