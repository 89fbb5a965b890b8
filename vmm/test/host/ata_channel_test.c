/* SPDX-License-Identifier: MIT */
/* Host unit tests for the emulated ATA channel (src/ata/): registers, reset, device selection,
 * interrupts, the command table and the PIO protocols, driven through port accesses the way
 * SeaBIOS and Linux's libata issue them. Bus-master DMA: ata_dma_test.c. */
#include "ata/ata_commands.h"
#include "ata_test_fixture.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define READY ATA_STATUS_READY
#define ERR ATA_STATUS_ERR
#define DRQ ATA_STATUS_DRQ

static uint8_t alt_status(void) { return inb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL); }

/* Reads one DRQ block as a driver does: DRQ must be up, then one REP INSW. */
static bool pio_read_block(uint8_t *dst, size_t bytes) {
    if (!(alt_status() & DRQ)) return false;
    return ata_channel_data_in(&fx.ch, dst, bytes) == bytes;
}

static bool pio_write_block(const uint8_t *src, size_t bytes) {
    if (!(alt_status() & DRQ)) return false;
    return ata_channel_data_out(&fx.ch, src, bytes) == bytes;
}

static void power_on_state_is_reset_signature(void) {
    setup();
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_DIAGNOSTIC_PASSED);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), 1);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), 1);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), 0);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_HIGH), 0);
    CHECK_EQ_U64(inb(ATA_PORT_DEVICE), 0);
    CHECK(!fx.irq.level);
}

/* Non-data commands: what the guest sees afterwards and whether the backend was asked. */
struct command_case {
    int line;
    uint8_t opcode, features, count, device;
    uint8_t status, error; /* error checked only with ERR */
    bool forwarded;
};
#define CASE(...)                                                                                                      \
    { __LINE__, __VA_ARGS__ }

static const struct command_case command_cases[] = {
    /* Aborted: not implemented by a disk, or not an ATA (non-packet) disk's command. */
    CASE(ATA_CMD_NOP, 0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(ATA_CMD_DEVICE_RESET, 0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(ATA_CMD_IDENTIFY_PACKET_DEVICE, 0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(ATA_CMD_PACKET, 0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(0xB0 /* SMART */, 0xD0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(0xF9 /* SET MAX ADDRESS */, 0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(0xFF, 0, 0, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    /* READ/WRITE MULTIPLE before SET MULTIPLE. */
    CASE(ATA_CMD_READ_MULTIPLE, 0, 1, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(ATA_CMD_WRITE_MULTIPLE_EXT, 0, 1, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    /* Beyond the 28-bit address space: sectors 0x0FFFFFFF and 0x10000000 (device bits 27:24
     * 0xF, LBA 0xFFFFFF, count 2). */
    CASE(ATA_CMD_WRITE_SECTORS, 0, 2, 0xEF, READY | ERR, ATA_ERROR_IDNF, false),
    /* CHS addressing (LBA bit clear). */
    CASE(ATA_CMD_READ_SECTORS, 0, 1, 0xA0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(ATA_CMD_READ_DMA, 0, 1, 0xA0, READY | ERR, ATA_ERROR_ABRT, false),
    /* Executed by the server. */
    CASE(ATA_CMD_SET_FEATURES, 0x03, 0x46 /* UDMA 6 */, 0xA0, READY, 0, true),
    CASE(ATA_CMD_FLUSH_CACHE, 0, 0, 0xE0, READY, 0, true),
    CASE(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0xE0, READY, 0, true),
    CASE(ATA_CMD_READ_VERIFY, 0, 8, 0xE0, READY, 0, true),
    CASE(ATA_CMD_READ_VERIFY_EXT, 0, 8, 0xE0, READY, 0, true),
    CASE(ATA_CMD_READ_NATIVE_MAX, 0, 0, 0xE0, READY, 0, true),
    /* Nothing to do for a remote disk. */
    CASE(ATA_CMD_STANDBY_IMMEDIATE, 0, 0, 0xE0, READY, 0, false),
    CASE(ATA_CMD_IDLE_IMMEDIATE, 0, 0, 0xE0, READY, 0, false),
    CASE(ATA_CMD_STANDBY, 0, 0xFF, 0xE0, READY, 0, false),
    CASE(ATA_CMD_IDLE, 0, 0xFF, 0xE0, READY, 0, false),
    CASE(ATA_CMD_CHECK_POWER_MODE, 0, 0, 0xE0, READY, 0, false),
    CASE(ATA_CMD_INITIALIZE_DEVICE_PARAMETERS, 0, 63, 0xEF, READY, 0, false),
    CASE(ATA_CMD_RECALIBRATE, 0, 0, 0xE0, READY, 0, false),
    CASE(ATA_CMD_SEEK, 0, 0, 0xE0, READY, 0, false),
    CASE(ATA_CMD_SET_MULTIPLE, 0, 16, 0xE0, READY, 0, false),
    CASE(ATA_CMD_SET_MULTIPLE, 0, 0, 0xE0, READY, 0, false),
    CASE(ATA_CMD_SET_MULTIPLE, 0, 3, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
    CASE(ATA_CMD_SET_MULTIPLE, 0, 255, 0xE0, READY | ERR, ATA_ERROR_ABRT, false),
};

static void command_table_outcomes(void) {
    for (size_t i = 0; i < COUNT_OF(command_cases); i++) {
        const struct command_case *c = &command_cases[i];
        setup();
        outb(ATA_PORT_ERROR_FEATURES, c->features);
        for (int r = ATA_PORT_LBA_LOW; r <= ATA_PORT_LBA_HIGH; r++) outb(r, 0xFF);
        outb(ATA_PORT_COUNT, c->count);
        outb(ATA_PORT_DEVICE, c->device);
        outb(ATA_PORT_STATUS_COMMAND, c->opcode);
        bool ok = alt_status() == c->status && fx.irq.level && fx.irq.rising_edges == 1 &&
            (fx.disk.calls == 1) == c->forwarded && (!(c->status & ERR) || inb(ATA_PORT_ERROR_FEATURES) == c->error);
        if (c->forwarded) ok = ok && fx.disk.last.opcode == c->opcode && fx.disk.last.buffer == NULL;
        if (!ok)
            printf("# command_cases line %d (opcode 0x%02x): status 0x%02x error 0x%02x calls %u "
                   "irq %d\n",
                   c->line, c->opcode, alt_status(), inb(ATA_PORT_ERROR_FEATURES), fx.disk.calls, fx.irq.level);
        CHECK(ok);
    }
}

static void set_features_reaches_backend_with_its_arguments(void) {
    setup();
    outb(ATA_PORT_ERROR_FEATURES, 0x03); /* set transfer mode */
    outb(ATA_PORT_COUNT, 0x22);          /* MWDMA2 */
    outb(ATA_PORT_DEVICE, 0xA0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_SET_FEATURES);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_SET_FEATURES);
    CHECK_EQ_U64(fx.disk.last.features, 0x03);
    CHECK_EQ_U64(fx.disk.last.count, 0x22);
    CHECK(!fx.disk.last.lba48);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
}

static void read_verify_count_zero_means_256_or_65536(void) {
    setup();
    issue(ATA_CMD_READ_VERIFY, 0x1234567, 0, false);
    CHECK_EQ_U64(fx.disk.last.count, 256);
    CHECK_EQ_U64(fx.disk.last.lba, 0x1234567);
    issue(ATA_CMD_READ_VERIFY_EXT, 0x123456789AULL, 0, true);
    CHECK_EQ_U64(fx.disk.last.count, 0x10000);
    CHECK_EQ_U64(fx.disk.last.lba, 0x123456789AULL);
    CHECK(fx.disk.last.lba48);
}

static void read_native_max_answer_lands_in_task_file(void) {
    setup();
    issue(ATA_CMD_READ_NATIVE_MAX, 0, 0, false);
    uint32_t max = DISK_SECTORS - 1;
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), max & 0xFF);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), (max >> 8) & 0xFF);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_HIGH), (max >> 16) & 0xFF);
    CHECK_EQ_U64(inb(ATA_PORT_DEVICE) & 0x0F, (max >> 24) & 0x0F);
    issue(ATA_CMD_READ_NATIVE_MAX_EXT, 0, 0, true);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), max & 0xFF);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_HOB);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), (max >> 24) & 0xFF);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), 0);
}

static void check_power_mode_reports_active(void) {
    setup();
    issue(ATA_CMD_CHECK_POWER_MODE, 0, 0, false);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), ATA_POWER_MODE_ACTIVE);
}

static void hob_reads_back_previous_register_values(void) {
    setup();
    outb(ATA_PORT_COUNT, 0x12);
    outb(ATA_PORT_COUNT, 0x34);
    outb(ATA_PORT_LBA_HIGH, 0x56);
    outb(ATA_PORT_LBA_HIGH, 0x78);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), 0x34);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_HOB);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), 0x12);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_HIGH), 0x56);
    outb(ATA_PORT_LBA_LOW, 0); /* any command-block write clears HOB */
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), 0x34);
}

static void identify_device_via_pio(void) {
    setup();
    outb(ATA_PORT_DEVICE, 0xA0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_IDENTIFY_DEVICE);
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_IDENTIFY_DEVICE);
    CHECK_EQ_U64(fx.disk.last.count, 1);
    uint8_t id[ATA_SECTOR_BYTES];
    CHECK(pio_read_block(id, sizeof(id)));
    CHECK(memcmp(id, fx.disk.identify, 2 * 59) == 0);
    CHECK(memcmp(id + 120, fx.disk.identify + 120, 510 - 120) == 0);
    CHECK_EQ_U64(alt_status(), READY);
    CHECK_EQ_U64(fx.irq.rising_edges, 1);
    uint8_t sum = 0;
    for (unsigned i = 0; i < ATA_SECTOR_BYTES; i++) sum = (uint8_t)(sum + id[i]);
    CHECK_EQ_U64(sum, 0);
}

/* Word 59 follows SET MULTIPLE; the integrity checksum is recomputed to match. */
static void identify_reports_current_multiple_setting(void) {
    setup();
    issue(ATA_CMD_SET_MULTIPLE, 0, 8, false);
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    uint8_t id[ATA_SECTOR_BYTES];
    CHECK(pio_read_block(id, sizeof(id)));
    CHECK_EQ_U64(id[2 * 59] | id[2 * 59 + 1] << 8, 0x1108);
    uint8_t sum = 0;
    for (unsigned i = 0; i < ATA_SECTOR_BYTES; i++) sum = (uint8_t)(sum + id[i]);
    CHECK_EQ_U64(sum, 0);
    issue(ATA_CMD_SET_MULTIPLE, 0, 0, false);
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK(pio_read_block(id, sizeof(id)));
    CHECK_EQ_U64(id[2 * 59] | id[2 * 59 + 1] << 8, 0x1000);
}

static void identify_data_through_16_and_32_bit_port_reads(void) {
    setup();
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_DATA, 2), 0);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_DATA, 4), 0);
    for (int i = 0; i < 22; i++) ata_channel_read(&fx.ch, ATA_PORT_DATA, 4);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_DATA, 2), 0x8010); /* word 47 */
}

static void read_sectors_one_block_per_sector_with_interrupts(void) {
    setup();
    issue(ATA_CMD_READ_SECTORS, 0x0010FE5, 3, false);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_READ_SECTORS);
    CHECK_EQ_U64(fx.disk.last.lba, 0x0010FE5);
    CHECK_EQ_U64(fx.disk.last.count, 3);
    uint8_t data[3 * ATA_SECTOR_BYTES];
    for (int s = 0; s < 3; s++) {
        CHECK_EQ_U64(fx.irq.rising_edges, (unsigned)s + 1);
        CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
        CHECK(pio_read_block(data + s * ATA_SECTOR_BYTES, ATA_SECTOR_BYTES));
    }
    CHECK(sectors_match_pattern(data, 0x0010FE5, 3));
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(fx.irq.rising_edges, 3); /* none after the last data-in block */
}

/* LBA bits 27:24 come from the device register. */
static void lba28_high_bits_from_device_register(void) {
    setup();
    issue(ATA_CMD_READ_SECTORS, 0x0000100, 1, false);
    outb(ATA_PORT_DEVICE, 0xE0 | 0x0F);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_READ_SECTORS);
    CHECK_EQ_U64(fx.disk.last.lba, 0xF000100);
    CHECK(inb(ATA_PORT_STATUS_COMMAND) & ERR); /* beyond the disk: the backend's IDNF */
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_IDNF);
}

static void read_sectors_count_zero_is_256(void) {
    static uint8_t data[256 * ATA_SECTOR_BYTES];
    setup();
    issue(ATA_CMD_READ_SECTORS, 1000, 0, false);
    CHECK_EQ_U64(fx.disk.last.count, 256);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK(sectors_match_pattern(data, 1000, 256));
    CHECK_EQ_U64(fx.irq.rising_edges, 1); /* nobody read status: the line just stayed up */
    CHECK_EQ_U64(alt_status(), READY);
}

/* 65536 sectors go to the backend in 128 KiB pieces. */
static void read_sectors_ext_count_zero_is_65536_in_chunks(void) {
    static uint8_t data[0x10000 * ATA_SECTOR_BYTES];
    setup();
    issue(ATA_CMD_READ_SECTORS_EXT, 0x100, 0, true);
    CHECK_EQ_U64(fx.disk.first.lba, 0x100);
    CHECK_EQ_U64(fx.disk.first.count, ATA_CHANNEL_CHUNK_SECTORS);
    CHECK(fx.disk.first.lba48);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK(sectors_match_pattern(data, 0x100, 0x10000));
    CHECK_EQ_U64(fx.disk.calls, 0x10000 / ATA_CHANNEL_CHUNK_SECTORS);
    CHECK_EQ_U64(fx.disk.last.lba, 0x100 + 0x10000 - ATA_CHANNEL_CHUNK_SECTORS);
    CHECK_EQ_U64(alt_status(), READY);
}

/* The last LBA48 sectors are addressable; one more is IDNF without a backend call. */
static void lba48_range_ends_at_2_to_the_48(void) {
    setup();
    issue(ATA_CMD_READ_DMA_EXT, 0xFFFFFFFFFFFEULL, 2, true);
    CHECK_EQ_U64(alt_status(), READY | DRQ);
    issue(ATA_CMD_READ_DMA_EXT, 0xFFFFFFFFFFFEULL, 3, true);
    CHECK_EQ_U64(alt_status(), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_IDNF);
    CHECK_EQ_U64(fx.disk.calls, 0);
}

static void lba48_address_and_count_from_hob_registers(void) {
    static uint8_t data[0x102 * ATA_SECTOR_BYTES];
    setup();
    issue(ATA_CMD_READ_SECTORS_EXT, 0xA1B2C3D4E5F6ULL, 1, true);
    CHECK_EQ_U64(fx.disk.first.lba, 0xA1B2C3D4E5F6ULL);
    CHECK(inb(ATA_PORT_STATUS_COMMAND) & ERR); /* beyond the disk */
    issue(ATA_CMD_READ_SECTORS_EXT, 0x10, 0x0102, true);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK(sectors_match_pattern(data, 0x10, 0x102));
    CHECK_EQ_U64(fx.disk.last.count, 0x102 % CHUNK); /* the rest after whole chunks */
    CHECK_EQ_U64(alt_status(), READY);
}

/* READ MULTIPLE with 4 sectors per block: blocks of 4, 4, 2 and one interrupt each. */
static void read_multiple_drq_blocks(void) {
    uint8_t data[10 * ATA_SECTOR_BYTES];
    setup();
    issue(ATA_CMD_SET_MULTIPLE, 0, 4, false);
    inb(ATA_PORT_STATUS_COMMAND);
    fx.irq.rising_edges = 0;
    issue(ATA_CMD_READ_MULTIPLE, 77, 10, false);
    const size_t blocks[] = { 4, 4, 2 };
    uint8_t *at = data;
    for (size_t b = 0; b < COUNT_OF(blocks); b++) {
        CHECK_EQ_U64(fx.irq.rising_edges, b + 1);
        CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
        /* One sector short of the block: DRQ stays, no new interrupt. */
        CHECK(pio_read_block(at, (blocks[b] - 1) * ATA_SECTOR_BYTES));
        CHECK_EQ_U64(fx.irq.rising_edges, b + 1);
        CHECK(pio_read_block(at + (blocks[b] - 1) * ATA_SECTOR_BYTES, ATA_SECTOR_BYTES));
        at += blocks[b] * ATA_SECTOR_BYTES;
    }
    CHECK(sectors_match_pattern(data, 77, 10));
    CHECK_EQ_U64(alt_status(), READY);
}

static void read_multiple_ext_uses_lba48(void) {
    uint8_t data[3 * ATA_SECTOR_BYTES];
    setup();
    issue(ATA_CMD_SET_MULTIPLE, 0, 2, false);
    issue(ATA_CMD_READ_MULTIPLE_EXT, 0x10010, 3, true);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_READ_SECTORS_EXT);
    CHECK(fx.disk.last.lba48);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK(sectors_match_pattern(data, 0x10010, 3));
}

/* Data-out: DRQ right after the command with no interrupt; one interrupt after each block. */
static void write_sectors_interrupt_after_each_block(void) {
    uint8_t data[2 * ATA_SECTOR_BYTES];
    for (size_t i = 0; i < sizeof(data); i++) data[i] = (uint8_t)(i * 5 + 3);
    setup();
    issue(ATA_CMD_WRITE_SECTORS, 500, 2, false);
    CHECK_EQ_U64(alt_status(), READY | DRQ);
    CHECK(!fx.irq.level);
    CHECK(pio_write_block(data, ATA_SECTOR_BYTES));
    CHECK_EQ_U64(fx.irq.rising_edges, 1);
    CHECK_EQ_U64(fx.disk.calls, 0);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK(pio_write_block(data + ATA_SECTOR_BYTES, ATA_SECTOR_BYTES));
    CHECK_EQ_U64(fx.irq.rising_edges, 2);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK(fx.disk.last.write);
    CHECK(memcmp(fx.disk.bytes + 500 * ATA_SECTOR_BYTES, data, sizeof(data)) == 0);
    CHECK(sectors_match_pattern(fx.disk.bytes + 502 * ATA_SECTOR_BYTES, 502, 1));
}

/* A chunk and 44 sectors: the backend gets a chunk, then 44; the data lands intact. */
static void write_multiple_ext_across_chunks(void) {
    static uint8_t data[(CHUNK + 44) * ATA_SECTOR_BYTES];
    for (size_t i = 0; i < sizeof(data); i++) data[i] = (uint8_t)(i / 7);
    setup();
    issue(ATA_CMD_SET_MULTIPLE, 0, 16, false);
    issue(ATA_CMD_WRITE_MULTIPLE_EXT, 0x10000, CHUNK + 44, true);
    CHECK_EQ_U64(ata_channel_data_out(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK_EQ_U64(fx.disk.calls, 2); /* SET MULTIPLE is local */
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_WRITE_SECTORS_EXT);
    CHECK_EQ_U64(fx.disk.first.count, CHUNK);
    CHECK_EQ_U64(fx.disk.last.count, 44);
    CHECK_EQ_U64(fx.disk.last.lba, 0x10000 + CHUNK);
    CHECK(memcmp(fx.disk.bytes + 0x10000 * ATA_SECTOR_BYTES, data, sizeof(data)) == 0);
    CHECK_EQ_U64(alt_status(), READY);
}

static void data_register_outside_a_transfer_floats(void) {
    uint8_t data[4] = { 0 };
    setup();
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), 0);
    CHECK_EQ_U64(data[0] & data[3], 0xFF);
    CHECK_EQ_U64(ata_channel_data_out(&fx.ch, data, sizeof(data)), 0);
    CHECK_EQ_U64(fx.disk.calls, 0);
}

/* A REP INSW longer than the transfer gets the data, then 0xFF. */
static void data_in_beyond_the_transfer_is_filled(void) {
    uint8_t data[ATA_SECTOR_BYTES + 4];
    setup();
    issue(ATA_CMD_READ_SECTORS, 9, 1, false);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), ATA_SECTOR_BYTES);
    CHECK(sectors_match_pattern(data, 9, 1));
    CHECK_EQ_U64(data[ATA_SECTOR_BYTES] & data[ATA_SECTOR_BYTES + 3], 0xFF);
}

static void backend_transport_failure_aborts(void) {
    setup();
    fx.disk.transport_fails = true;
    issue(ATA_CMD_READ_SECTORS, 9, 1, false);
    CHECK_EQ_U64(alt_status(), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_ABRT);
    CHECK(fx.irq.level);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, (uint8_t[2]){ 0 }, 2), 0);
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK_EQ_U64(alt_status(), READY | ERR);
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    CHECK_EQ_U64(alt_status(), READY | ERR);
}

static uint16_t id_word(const uint8_t *id, unsigned word) { return (uint16_t)(id[2 * word] | id[2 * word + 1] << 8); }

static void set_transfer_mode(uint8_t mode) {
    outb(ATA_PORT_ERROR_FEATURES, ATA_FEATURE_SET_TRANSFER_MODE);
    issue(ATA_CMD_SET_FEATURES, 0, mode, false);
}

/* With the server gone, libata's revalidation after a reset (IDENTIFY, then SET FEATURES for
 * the transfer mode) is answered from the channel's copy of the disk's IDENTIFY data, so the
 * guest keeps the disk; data and other commands still fail, and the server's own answers
 * return with it. */
static void unreachable_disk_answers_identify_and_mode_selection_from_its_copy(void) {
    uint8_t before[ATA_SECTOR_BYTES], during[ATA_SECTOR_BYTES], data[ATA_SECTOR_BYTES];
    setup();
    fx.disk.identify[2 * 63] = 0x07;       /* MWDMA 0-2 */
    fx.disk.identify[2 * 64] = 0x03;       /* PIO 3-4 */
    fx.disk.identify[2 * 88] = 0x3F;       /* UDMA 0-5 ... */
    fx.disk.identify[2 * 88 + 1] = 1 << 5; /* ... UDMA 5 selected */
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK(pio_read_block(before, sizeof(before)));

    fx.disk.transport_fails = true;
    issue(ATA_CMD_READ_SECTORS, 9, 1, false);
    CHECK_EQ_U64(alt_status(), READY | ERR);
    unsigned calls = fx.disk.calls;
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK_EQ_U64(fx.disk.calls, calls + 1); /* the backend is asked first */
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK(pio_read_block(during, sizeof(during)));
    CHECK(memcmp(before, during, sizeof(before)) == 0);

    set_transfer_mode(ATA_XFER_UDMA | 4);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK(pio_read_block(during, sizeof(during)));
    CHECK_EQ_U64(id_word(during, 88), 0x103F);
    CHECK_EQ_U64(id_word(during, 63), 0x0007);
    uint8_t sum = 0;
    for (unsigned i = 0; i < ATA_SECTOR_BYTES; i++) sum = (uint8_t)(sum + during[i]);
    CHECK_EQ_U64(sum, 0);
    set_transfer_mode(ATA_XFER_MWDMA | 2);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    set_transfer_mode(ATA_XFER_PIO_FLOW | 4);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(fx.ch.unreachable_answers, 5);

    /* What the disk would refuse, and what only the disk can do, still fail. */
    set_transfer_mode(ATA_XFER_UDMA | 6);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_ABRT);
    outb(ATA_PORT_ERROR_FEATURES, 0x02); /* enable the write cache */
    issue(ATA_CMD_SET_FEATURES, 0, 0, false);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    issue(ATA_CMD_READ_SECTORS, 9, 1, false);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(fx.ch.unreachable_answers, 5);

    fx.disk.transport_fails = false;
    issue(ATA_CMD_READ_SECTORS, 9, 1, false);
    CHECK(pio_read_block(data, sizeof(data)));
    CHECK(sectors_match_pattern(data, 9, 1));
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK(pio_read_block(during, sizeof(during)));
    CHECK_EQ_U64(id_word(during, 88), 0x203F); /* the server's own state again */

    /* Once the backend knows the disk is out of reach, they are answered without asking it
     * (an AoE command would wait 2 s for the target first); data commands still go out. */
    fx.disk.transport_fails = fx.disk.known_unreachable = true;
    calls = fx.disk.calls;
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK(pio_read_block(during, sizeof(during)));
    set_transfer_mode(ATA_XFER_UDMA | 5);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(fx.disk.calls, calls);
    issue(ATA_CMD_READ_SECTORS, 9, 1, false);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(fx.disk.calls, calls + 1);
}

/* A medium error in the second chunk: the first chunk's data is delivered, then ERR with the
 * failing LBA in the task file. */
static void backend_device_error_reports_failing_lba(void) {
    static uint8_t data[CHUNK * ATA_SECTOR_BYTES];
    const uint32_t failing = 0x2000 + CHUNK + 44;
    setup();
    fx.disk.error_lba = failing;
    issue(ATA_CMD_READ_SECTORS_EXT, 0x2000, CHUNK + 144, true);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK_EQ_U64(alt_status(), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_UNC);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), failing & 0xFF);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), (failing >> 8) & 0xFF);
    CHECK(fx.irq.level);
}

static void write_error_ends_the_command(void) {
    uint8_t data[ATA_SECTOR_BYTES] = { 0 };
    setup();
    fx.disk.error_lba = 40;
    issue(ATA_CMD_WRITE_SECTORS, 40, 2, false);
    CHECK(pio_write_block(data, sizeof(data)));
    CHECK(pio_write_block(data, sizeof(data)));
    CHECK_EQ_U64(alt_status(), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_UNC);
    CHECK_EQ_U64(ata_channel_data_out(&fx.ch, data, 2), 0);
}

/* SRST: busy while held, then signature and diagnostic code, no interrupt, transfer gone. */
static void software_reset_signature(void) {
    setup();
    issue(ATA_CMD_SET_MULTIPLE, 0, 4, false);
    issue(ATA_CMD_READ_SECTORS, 0x123, 2, false);
    outb(ATA_PORT_ERROR_FEATURES, 0x77);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_SRST | ATA_CONTROL_NIEN);
    CHECK_EQ_U64(alt_status(), ATA_STATUS_BSY);
    CHECK(!fx.irq.level);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_IDENTIFY_DEVICE); /* ignored while in reset */
    CHECK_EQ_U64(fx.disk.calls, 1);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK_EQ_U64(alt_status(), READY);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_DIAGNOSTIC_PASSED);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), ATA_SIGNATURE_COUNT);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), ATA_SIGNATURE_LBA_LOW);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), ATA_SIGNATURE_LBA_MID);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_HIGH), ATA_SIGNATURE_LBA_HIGH);
    CHECK_EQ_U64(inb(ATA_PORT_DEVICE), 0);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, (uint8_t[2]){ 0 }, 2), 0);
    /* The multiple setting survives a software reset. */
    issue(ATA_CMD_READ_MULTIPLE, 0, 4, false);
    CHECK_EQ_U64(alt_status(), READY | DRQ);
}

/* Linux's ata_devchk on device 1: the scratch registers read back (device 0 answers for the
 * absent device, as ATA/ATAPI-6 asks); the status register reads 0, which is what makes libata
 * classify device 1 as absent (and SeaBIOS skip it). */
static void absent_device1_reads_status_zero(void) {
    setup();
    outb(ATA_PORT_DEVICE, 0xB0);
    outb(ATA_PORT_COUNT, 0x55);
    outb(ATA_PORT_LBA_LOW, 0xAA);
    outb(ATA_PORT_COUNT, 0xAA);
    outb(ATA_PORT_LBA_LOW, 0x55);
    outb(ATA_PORT_COUNT, 0x55);
    outb(ATA_PORT_LBA_LOW, 0xAA);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), 0x55);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), 0xAA);
    CHECK_EQ_U64(inb(ATA_PORT_DEVICE), 0xB0);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), 0);
    CHECK_EQ_U64(alt_status(), 0);
    outb(ATA_PORT_DEVICE, 0xA0);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
}

/* Commands to device 1 are ignored: no backend call, no interrupt, device 0 state unchanged. */
static void absent_device1_ignores_commands(void) {
    const uint8_t opcodes[] = { ATA_CMD_IDENTIFY_DEVICE, ATA_CMD_IDENTIFY_PACKET_DEVICE, ATA_CMD_READ_SECTORS,
                                ATA_CMD_SET_FEATURES, 0xFF };
    for (size_t i = 0; i < COUNT_OF(opcodes); i++) {
        setup();
        outb(ATA_PORT_DEVICE, 0xF0);
        outb(ATA_PORT_STATUS_COMMAND, opcodes[i]);
        CHECK_EQ_U64(fx.disk.calls, 0);
        CHECK_EQ_U64(fx.irq.rising_edges, 0);
        CHECK_EQ_U64(ata_channel_data_in(&fx.ch, (uint8_t[2]){ 0 }, 2), 0);
        outb(ATA_PORT_DEVICE, 0xE0);
        CHECK_EQ_U64(alt_status(), READY);
        CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_DIAGNOSTIC_PASSED);
    }
}

/* Both devices take EXECUTE DEVICE DIAGNOSTIC; device 0 answers and interrupts. */
static void execute_device_diagnostic_from_device1(void) {
    setup();
    outb(ATA_PORT_LBA_MID, 0x42);
    outb(ATA_PORT_DEVICE, 0xB0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC);
    CHECK_EQ_U64(fx.disk.calls, 0);
    CHECK_EQ_U64(inb(ATA_PORT_DEVICE), 0);
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_DIAGNOSTIC_PASSED);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), 0);
}

static void status_read_clears_interrupt_alt_status_does_not(void) {
    setup();
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    CHECK(fx.irq.level);
    alt_status();
    CHECK(fx.irq.level);
    inb(ATA_PORT_STATUS_COMMAND);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(fx.irq.rising_edges, 1);
}

/* nIEN keeps the line low; the interrupt stays pending and shows when nIEN is cleared. */
static void nien_masks_the_line(void) {
    setup();
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_NIEN);
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(fx.irq.rising_edges, 0);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK(fx.irq.level);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_NIEN);
    inb(ATA_PORT_STATUS_COMMAND);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK(!fx.irq.level);
}

/* Only the selected device drives INTRQ; a new command also clears the pending interrupt. */
static void selecting_device1_releases_the_line(void) {
    setup();
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    outb(ATA_PORT_DEVICE, 0xB0);
    CHECK(!fx.irq.level);
    outb(ATA_PORT_DEVICE, 0xA0);
    CHECK(fx.irq.level);
    outb(ATA_PORT_ERROR_FEATURES, 0x03);
    outb(ATA_PORT_COUNT, 0x0C);
    fx.disk.transport_fails = true;
    unsigned edges = fx.irq.rising_edges;
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_SET_FEATURES);
    CHECK_EQ_U64(fx.irq.rising_edges, edges + 1); /* dropped by the command, raised again */
}

/* libata's probe of the channel, step by step: ata_devchk on both devices, SRST, the wait
 * for device 1's signature, classification (error register, signature, status), IDENTIFY,
 * transfer mode. Device 0 must come out as an ATA disk and device 1 as absent. */
static void linux_libata_probe_sequence(void) {
    uint8_t id[ATA_SECTOR_BYTES];
    bool present[2], is_ata[2];
    setup();
    for (int dev = 0; dev < 2; dev++) {
        outb(ATA_PORT_DEVICE, dev ? 0xB0 : 0xA0);
        outb(ATA_PORT_COUNT, 0x55);
        outb(ATA_PORT_LBA_LOW, 0xAA);
        outb(ATA_PORT_COUNT, 0xAA);
        outb(ATA_PORT_LBA_LOW, 0x55);
        outb(ATA_PORT_COUNT, 0x55);
        outb(ATA_PORT_LBA_LOW, 0xAA);
        present[dev] = inb(ATA_PORT_COUNT) == 0x55 && inb(ATA_PORT_LBA_LOW) == 0xAA;
    }
    CHECK(present[0] && present[1]); /* device 0 answers the scratch test for device 1 */
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0x08);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0x08 | ATA_CONTROL_SRST);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0x08);
    CHECK(!(inb(ATA_PORT_STATUS_COMMAND) & ATA_STATUS_BSY));
    outb(ATA_PORT_DEVICE, 0xB0);
    CHECK(inb(ATA_PORT_COUNT) == 1 && inb(ATA_PORT_LBA_LOW) == 1);
    CHECK(!(inb(ATA_PORT_STATUS_COMMAND) & ATA_STATUS_BSY));
    for (int dev = 0; dev < 2; dev++) {
        outb(ATA_PORT_DEVICE, dev ? 0xB0 : 0xA0);
        uint8_t error = inb(ATA_PORT_ERROR_FEATURES);
        bool ata_signature = inb(ATA_PORT_LBA_MID) == 0 && inb(ATA_PORT_LBA_HIGH) == 0;
        is_ata[dev] = (error == 0 || error == 1) && ata_signature && inb(ATA_PORT_STATUS_COMMAND) != 0;
    }
    CHECK(is_ata[0]);
    CHECK(!is_ata[1]);
    outb(ATA_PORT_DEVICE, 0xA0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_IDENTIFY_DEVICE);
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK(pio_read_block(id, sizeof(id)));
    CHECK_EQ_U64(alt_status(), READY);
    outb(ATA_PORT_ERROR_FEATURES, 0x03);
    outb(ATA_PORT_COUNT, 0x22);
    outb(ATA_PORT_DEVICE, 0xA0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_SET_FEATURES);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(fx.disk.last.count, 0x22);
}

/* SeaBIOS: interrupts off (nIEN), everything polled; the line never moves. */
static void seabios_polled_read_with_nien(void) {
    uint8_t data[2 * ATA_SECTOR_BYTES];
    setup();
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0x08 | ATA_CONTROL_NIEN);
    outb(ATA_PORT_DEVICE, 0xA0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_IDENTIFY_PACKET_DEVICE);
    CHECK(inb(ATA_PORT_STATUS_COMMAND) & ERR); /* not ATAPI: SeaBIOS then tries ATA */
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_IDENTIFY_DEVICE);
    CHECK(pio_read_block(data, ATA_SECTOR_BYTES));
    issue(ATA_CMD_READ_SECTORS, 63, 2, false);
    CHECK(pio_read_block(data, ATA_SECTOR_BYTES));
    CHECK(pio_read_block(data + ATA_SECTOR_BYTES, ATA_SECTOR_BYTES));
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND) & (ATA_STATUS_BSY | DRQ | ERR), 0);
    CHECK(sectors_match_pattern(data, 63, 2));
    CHECK_EQ_U64(fx.irq.rising_edges, 0);
}

int main(void) {
    TEST(power_on_state_is_reset_signature);
    TEST(command_table_outcomes);
    TEST(set_features_reaches_backend_with_its_arguments);
    TEST(read_verify_count_zero_means_256_or_65536);
    TEST(read_native_max_answer_lands_in_task_file);
    TEST(check_power_mode_reports_active);
    TEST(hob_reads_back_previous_register_values);
    TEST(identify_device_via_pio);
    TEST(identify_reports_current_multiple_setting);
    TEST(identify_data_through_16_and_32_bit_port_reads);
    TEST(read_sectors_one_block_per_sector_with_interrupts);
    TEST(lba28_high_bits_from_device_register);
    TEST(read_sectors_count_zero_is_256);
    TEST(read_sectors_ext_count_zero_is_65536_in_chunks);
    TEST(lba48_address_and_count_from_hob_registers);
    TEST(lba48_range_ends_at_2_to_the_48);
    TEST(read_multiple_drq_blocks);
    TEST(read_multiple_ext_uses_lba48);
    TEST(write_sectors_interrupt_after_each_block);
    TEST(write_multiple_ext_across_chunks);
    TEST(data_register_outside_a_transfer_floats);
    TEST(data_in_beyond_the_transfer_is_filled);
    TEST(backend_transport_failure_aborts);
    TEST(unreachable_disk_answers_identify_and_mode_selection_from_its_copy);
    TEST(backend_device_error_reports_failing_lba);
    TEST(write_error_ends_the_command);
    TEST(software_reset_signature);
    TEST(absent_device1_reads_status_zero);
    TEST(absent_device1_ignores_commands);
    TEST(execute_device_diagnostic_from_device1);
    TEST(status_read_clears_interrupt_alt_status_does_not);
    TEST(nien_masks_the_line);
    TEST(selecting_device1_releases_the_line);
    TEST(linux_libata_probe_sequence);
    TEST(seabios_polled_read_with_nien);
    return tap_finish();
}
