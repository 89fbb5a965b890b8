/* SPDX-License-Identifier: MIT */
/* Host unit tests for the paper's register split (src/storage/ide_register_split.c with the real
 * ATA channel): the guest's Sector Count and LBA accesses reach a fake IDE device that latches
 * registers as a disk does (previous values behind HOB), everything else the channel; commands
 * take their address from the device and leave their results there. */
#include "ata/ata_commands.h"
#include "ata_test_fixture.h"
#include "storage/ide_register_split.h"

#define COMMAND_BLOCK 0x1F0
#define CONTROL 0x3F6

/* A disk's task-file registers as the guest would reach them behind the capture. */
static struct fake_ide {
    uint8_t now[ATA_PORT_LBA_HIGH + 1], hob[ATA_PORT_LBA_HIGH + 1];
    uint8_t control;
    bool absent; /* no device: the bus floats (all ones) */
} ide;

static bool is_split(uint16_t port) {
    return port >= COMMAND_BLOCK + ATA_PORT_COUNT && port <= COMMAND_BLOCK + ATA_PORT_LBA_HIGH;
}

static uint8_t ide_in(void *ctx, uint16_t port) {
    (void)ctx;
    if (ide.absent) return 0xFF;
    if (!is_split(port)) return 0;
    unsigned r = port - COMMAND_BLOCK;
    return (ide.control & ATA_CONTROL_HOB) ? ide.hob[r] : ide.now[r];
}

static void ide_out(void *ctx, uint16_t port, uint8_t value) {
    (void)ctx;
    if (port == CONTROL) {
        ide.control = value;
        return;
    }
    if (!is_split(port)) return;
    unsigned r = port - COMMAND_BLOCK;
    ide.control &= (uint8_t)~ATA_CONTROL_HOB; /* a command-block write ends a HOB read-back */
    ide.hob[r] = ide.now[r];
    ide.now[r] = value;
}

static struct ide_ports ports = { NULL, COMMAND_BLOCK, CONTROL, ide_in, ide_out };

static void setup_split(void) {
    setup();
    ide = (struct fake_ide){ 0 };
    CHECK(ide_register_split_probe(&ports));
    ata_channel_split_registers(&fx.ch, ide_register_split_device(&ports));
}

/* The guest's port accesses as the capture routes them under the split. */
static void guest_out(enum ata_port r, uint8_t value) {
    if (r >= ATA_PORT_COUNT && r <= ATA_PORT_LBA_HIGH)
        ide_out(NULL, (uint16_t)(COMMAND_BLOCK + r), value);
    else
        outb(r, value);
}

static uint8_t guest_in(enum ata_port r) {
    if (r >= ATA_PORT_COUNT && r <= ATA_PORT_LBA_HIGH) return ide_in(NULL, (uint16_t)(COMMAND_BLOCK + r));
    return inb(r);
}

/* Linux's ata_sff_tf_load order, as issue() in the fixture, through the split. */
static void issue_split(uint8_t opcode, uint64_t lba, uint32_t count, bool lba48) {
    issue_through(guest_out, opcode, lba, count, lba48);
}

static void probe_finds_a_latching_device_and_refuses_a_floating_bus(void) {
    setup();
    ide = (struct fake_ide){ 0 };
    CHECK(ide_register_split_probe(&ports));
    CHECK_EQ_U64(ide.control, ATA_CONTROL_NIEN); /* the device never interrupts */
    ide.absent = true;
    CHECK(!ide_register_split_probe(&ports));
}

static void the_signature_is_at_the_device_from_the_start(void) {
    setup_split();
    CHECK_EQ_U64(guest_in(ATA_PORT_COUNT), ATA_SIGNATURE_COUNT);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_LOW), ATA_SIGNATURE_LBA_LOW);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_MID), ATA_SIGNATURE_LBA_MID);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_HIGH), ATA_SIGNATURE_LBA_HIGH);
}

static void lba28_command_takes_its_address_from_the_device(void) {
    static uint8_t data[3 * ATA_SECTOR_BYTES];
    setup_split();
    issue_split(ATA_CMD_READ_SECTORS, 0x0ABCDEF, 3, false);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK_EQ_U64(fx.disk.last.lba, 0x0ABCDEF);
    CHECK(inb(ATA_PORT_STATUS_COMMAND) & ATA_STATUS_ERR); /* beyond the small test disk: the address was read */
    issue_split(ATA_CMD_READ_SECTORS, 0x345, 3, false);
    CHECK_EQ_U64(fx.disk.last.lba, 0x345);
    CHECK_EQ_U64(fx.disk.last.count, 3);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof data), sizeof data);
    CHECK(sectors_match_pattern(data, 0x345, 3));
}

static void lba48_command_takes_the_hob_bytes_from_the_device(void) {
    static uint8_t data[0x102 * ATA_SECTOR_BYTES];
    setup_split();
    issue_split(ATA_CMD_READ_SECTORS_EXT, 0xA1B2C3D4E5F6ULL, 1, true);
    CHECK_EQ_U64(fx.disk.first.lba, 0xA1B2C3D4E5F6ULL);
    CHECK(inb(ATA_PORT_STATUS_COMMAND) & ATA_STATUS_ERR);
    issue_split(ATA_CMD_READ_SECTORS_EXT, 0x10, 0x0102, true);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof data), sizeof data);
    CHECK(sectors_match_pattern(data, 0x10, 0x102));
}

/* A result in the registers (READ NATIVE MAX EXT) is read at the device, HOB half included; the
 * HOB bit set through the (trapped) Device Control register reaches the device, and a write to
 * another trapped command-block register ends the read-back there too. */
static void results_and_hob_read_back_at_the_device(void) {
    setup_split();
    issue_split(ATA_CMD_READ_NATIVE_MAX_EXT, 0, 0, true);
    uint64_t max = DISK_SECTORS - 1;
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_LOW), max & 0xFF);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_MID), (max >> 8) & 0xFF);
    guest_out(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_HOB);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_LOW), (max >> 24) & 0xFF);
    CHECK(ide.control & ATA_CONTROL_NIEN); /* the real device stays quiet whatever the guest sets */
    guest_out(ATA_PORT_ERROR_FEATURES, 0);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_LOW), max & 0xFF);
    issue_split(ATA_CMD_CHECK_POWER_MODE, 0, 0, false);
    CHECK_EQ_U64(guest_in(ATA_PORT_COUNT), ATA_POWER_MODE_ACTIVE);
}

static void software_reset_leaves_the_signature_at_the_device(void) {
    setup_split();
    issue_split(ATA_CMD_READ_SECTORS, 0x123, 2, false);
    guest_out(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_SRST | ATA_CONTROL_NIEN);
    guest_out(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK_EQ_U64(inb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL), ATA_STATUS_READY);
    CHECK_EQ_U64(guest_in(ATA_PORT_COUNT), ATA_SIGNATURE_COUNT);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_LOW), ATA_SIGNATURE_LBA_LOW);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_MID), ATA_SIGNATURE_LBA_MID);
    CHECK_EQ_U64(guest_in(ATA_PORT_LBA_HIGH), ATA_SIGNATURE_LBA_HIGH);
}

int main(void) {
    TEST(probe_finds_a_latching_device_and_refuses_a_floating_bus);
    TEST(the_signature_is_at_the_device_from_the_start);
    TEST(lba28_command_takes_its_address_from_the_device);
    TEST(lba48_command_takes_the_hob_bytes_from_the_device);
    TEST(results_and_hob_read_back_at_the_device);
    TEST(software_reset_leaves_the_signature_at_the_device);
    return tap_finish();
}
