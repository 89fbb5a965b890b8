/* SPDX-License-Identifier: MIT */
/* The boot sequence. Before relocation (boot_main): console, options, CPU checks, memory map,
 * region choice. After relocation (hypervisor_main): descriptor tables, SVM, nested paging,
 * BIOS hooks, then the guest starts in real mode and boots the first disk like the BIOS would. */
#include <stdint.h>

#include "aoe/aoe_boot.h"
#include "boot/boot.h"
#include "boot/config.h"
#include "boot/multiboot.h"
#include "console/log.h"
#include "console/serial.h"
#include "guest/bios_services.h"
#include "pci/device_fence.h"
#include "pci/ecam.h"
#include "pci/pci_config_filter.h"
#include "storage/aoe_backend.h"
#include "storage/ide_capture.h"
#include "irq/interrupts.h"
#include "lib/string.h"
#include "mm/hv_region.h"
#include "mm/npt.h"
#include "mm/pages.h"
#include "hv/cpu_backend.h"
#include "hv/hypercall.h"
#include "x86/acpi_cpus.h"
#include "x86/cpu.h"
#include "x86/host_cpu.h"
#include "x86/tsc.h"

#define BDA_EBDA_SEGMENT 0x40E
#define COMMAND_LINE_MAX 512

static struct hv_config config;
static char command_line[COMMAND_LINE_MAX];

static __attribute__((noreturn)) void refuse(const char *why) {
    log_printf("refusing to start: %s\n", why);
    log_printf("halted.\n");
    cpu_halt_forever();
}

static void copy_command_line(const struct multiboot_info *mbi) {
    if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE)) return;
    const char *s = phys_to_virt(mbi->cmdline);
    size_t n = 0;
    while (n < COMMAND_LINE_MAX - 1 && s[n]) n++;
    memcpy(command_line, s, n);
    command_line[n] = '\0';
}

static bool read_physical(void *ctx, uint64_t pa, void *buf, size_t len) {
    (void)ctx;
    memcpy(buf, phys_to_virt(pa), len);
    return true;
}

static uint16_t ebda_segment(void) { return *(volatile uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT); }

static void check_single_cpu(void) {
    unsigned cpus = 1;
    enum acpi_cpus_result result = acpi_count_cpus(read_physical, 0, ebda_segment(), &cpus);
    if (result == ACPI_CPUS_OK && cpus > 1)
        refuse("the firmware describes more than one CPU; the guest could start the others and run them "
               "unvirtualised. The hypervisor supports one CPU so far: boot with one CPU (QEMU: -smp 1)");
    log_printf("CPUs described by ACPI: %u (%s)\n", cpus, result == ACPI_CPUS_OK ? "MADT" : "no MADT: assuming 1");
}

static void read_memory_map(const struct multiboot_info *mbi) {
    if (!(mbi->flags & MULTIBOOT_INFO_MMAP))
        refuse(
            "the loader passed no memory map (multiboot flag 6): use a multiboot loader that does (GRUB, iPXE, QEMU)");
    if (!e820_from_multiboot(phys_to_virt(mbi->mmap_addr), mbi->mmap_length, firmware_map, FIRMWARE_MAP_CAPACITY,
                             &firmware_map_count) ||
        !e820_normalize(firmware_map, &firmware_map_count, FIRMWARE_MAP_CAPACITY))
        refuse("the loader's memory map is malformed or too large");
}

/* With aoe=, the disk the guest boots from is the AoE target: hide the hypervisor's NIC and
 * trap the primary IDE channel (the paper's storage access capture). */
static void capture_network_disk(struct vcpu *vcpu) {
    static struct aoe_backend_session session;
    struct pci_address nic_address;
    if (!aoe_boot_session(&session.client, &session.nic, &nic_address)) {
        if (config.aoe) log_printf("AoE: no network disk; the guest boots its local disk\n");
        return;
    }
    pci_config_filter_init(vcpu);
    pci_config_hide(nic_address);
    device_fence_pci_function(vcpu, nic_address);
    uint64_t nic_config;
    if (ecam_function_address(read_physical, 0, ebda_segment(), nic_address, &nic_config))
        device_fence_config_space(nic_address, nic_config);
    session.asynchronous = !config.blocking_completion;
    session.share_percent = config.aoe_share_percent;
    ide_capture_init(vcpu, aoe_backend(&session), config.split_registers);
}

static __attribute__((noreturn)) void hypervisor_main(void) {
    host_cpu_init();
    log_printf("running at %lx-%lx (%lu MiB hidden from the guest), %lu KiB image\n", hv_region.base,
               hv_region.base + hv_region.size - 1, hv_region.size >> 20, hv_region.image_size >> 10);
    aoe_boot_setup(&config);
    hypercall_allow_user(config.user_hypercalls);
    cpu_backend_enable();
    struct bios_boot_entry boot =
        bios_services_install(firmware_map, firmware_map_count, hv_region.base, hv_region.size, config.boot_drive);
    struct guest_start start = { .cs_selector = boot.segment, .ip = boot.offset, .npt_root_pa = npt_build_identity() };
    struct vcpu *vcpu = cpu_backend_create_vcpu(&start);
    interrupts_init(vcpu);
    capture_network_disk(vcpu);
    log_printf("starting the guest in real mode at %04x:%04x: BIOS boot of drive %x\n", boot.segment, boot.offset,
               config.boot_drive);
    cpu_backend_run(vcpu);
}

void boot_main(uint32_t multiboot_info_pa) {
    tsc_boot = rdtsc();
    const struct multiboot_info *mbi = phys_to_virt(multiboot_info_pa);
    copy_command_line(mbi);
    char error[160];
    bool options_ok = config_parse(command_line, &config, error, sizeof error);
    serial_init(config.console_port);
    tsc_calibrate();
    log_printf("netboot hypervisor starting; command line \"%s\"\n", command_line);
    if (!options_ok) refuse(error);

    const char *unsupported = cpu_backend_unsupported_reason();
    if (unsupported) refuse(unsupported);
    check_single_cpu();
    read_memory_map(mbi);
    const char *region_error = memory_choose_region((uint64_t)config.memory_mib << 20);
    if (region_error) refuse(region_error);
    relocate_and_continue(hypervisor_main);
}
