/* SPDX-License-Identifier: MIT */
/* The pure glue of the network disk: backend commands to AoE commands and back, and the decoding
 * of guest PCI configuration accesses (what the filter hides and watches). */
#include "tap.h"
#include "pci/pci_config_filter.h"
#include "storage/aoe_backend.h"
#include "storage/ide_bar.h"

static uint8_t buffer[512 * 8];

static void bus_master_bar_names_its_ports_or_none(void) {
    CHECK_EQ_U64(ide_bus_master_base(0xC041), 0xC040);
    CHECK_EQ_U64(ide_bus_master_base(0xC045), 0xC040); /* reserved low bits ignored */
    CHECK_EQ_U64(ide_bus_master_base(0xC040), 0);      /* memory BAR */
    CHECK_EQ_U64(ide_bus_master_base(0x0001), 0);      /* no base yet */
    CHECK_EQ_U64(ide_bus_master_base(0xFFFFFFFF), 0);  /* sizing: all ones written */
    CHECK_EQ_U64(ide_bus_master_base(0xFFFFFFF1), 0);  /* sizing: read back */
    CHECK_EQ_U64(ide_bus_master_base(0x0000FFF1), 0);
    CHECK_EQ_U64(ide_bus_master_base(0xFFE1), 0xFFE0); /* the highest real window */
}

static void data_command_moves_its_sectors(void) {
    struct ata_backend_command cmd = { .opcode = 0x24,
                                       .lba48 = true,
                                       .count = 8,
                                       .lba = 0x123456789ull,
                                       .buffer = buffer,
                                       .buffer_bytes = sizeof buffer };
    struct aoe_ata_command a = aoe_command_for(&cmd);
    CHECK_EQ_U64(a.opcode, 0x24);
    CHECK_EQ_U64(a.sectors, 8);
    CHECK_EQ_U64(a.lba, 0x123456789ull);
    CHECK(a.lba48 && !a.write && a.data == buffer);
}

static void non_data_command_keeps_its_count_register(void) {
    struct ata_backend_command cmd = { .opcode = 0xEF, .features = 0x03, .count = 0x22 };
    struct aoe_ata_command a = aoe_command_for(&cmd);
    CHECK_EQ_U64(a.sectors, 0);
    CHECK_EQ_U64(a.count_register, 0x22);
    CHECK_EQ_U64(a.features, 0x03);
    CHECK(a.data == 0);
}

static void results_map_to_the_task_file(void) {
    struct ata_backend_command read = { .opcode = 0x20, .count = 1, .lba = 7, .buffer = buffer };
    struct ata_backend_command native_max = { .opcode = 0xF8 };
    struct aoe_ata_result ok = { .kind = AOE_RESULT_OK, .status = 0x50, .count_register = 0, .lba = 0xFFFFF };
    struct ata_backend_result out = { .count = 1, .lba = 7 };
    CHECK_EQ_U64(ata_result_for(&read, &ok, &out), ATA_BACKEND_DONE);
    CHECK_EQ_U64(out.lba, 7); /* data commands keep the channel's view */
    CHECK_EQ_U64(ata_result_for(&native_max, &ok, &out), ATA_BACKEND_DONE);
    CHECK_EQ_U64(out.lba, 0xFFFFF); /* READ NATIVE MAX answers in the task file */
    struct aoe_ata_result ata_error = { .kind = AOE_RESULT_ATA_ERROR, .status = 0x51, .error = 0x10, .lba = 99 };
    CHECK_EQ_U64(ata_result_for(&read, &ata_error, &out), ATA_BACKEND_DONE);
    CHECK_EQ_U64(out.status, 0x51);
    CHECK_EQ_U64(out.error, 0x10);
    CHECK_EQ_U64(out.lba, 99);
    struct aoe_ata_result aoe_error = { .kind = AOE_RESULT_AOE_ERROR, .aoe_error = 3 };
    CHECK_EQ_U64(ata_result_for(&read, &aoe_error, &out), ATA_BACKEND_FAILED);
}

static void config_address_decoding(void) {
    struct pci_config_target t = pci_config_decode(0x80001820u, 0xCFC); /* 00:03.0 reg 20h */
    CHECK(t.enabled);
    CHECK_EQ_U64(t.address.bus, 0);
    CHECK_EQ_U64(t.address.device, 3);
    CHECK_EQ_U64(t.address.function, 0);
    CHECK_EQ_U64(t.offset, 0x20);
    t = pci_config_decode(0x80010920u, 0xCFE); /* 01:01.1 reg 22h */
    CHECK_EQ_U64(t.address.bus, 1);
    CHECK_EQ_U64(t.address.device, 1);
    CHECK_EQ_U64(t.address.function, 1);
    CHECK_EQ_U64(t.offset, 0x22);
    CHECK(!pci_config_decode(0x00001820u, 0xCFC).enabled);
}

int main(void) {
    TEST(bus_master_bar_names_its_ports_or_none);
    TEST(data_command_moves_its_sectors);
    TEST(non_data_command_keeps_its_count_register);
    TEST(results_map_to_the_task_file);
    TEST(config_address_decoding);
    return tap_finish();
}
