/* SPDX-License-Identifier: MIT */
/* Host unit tests for the emulated channel's bus master (src/ata/ata_bus_master.c,
 * ata_dma.c): PRD walking, the active/interrupt/error bits and their register semantics, in
 * the order Linux's ata_bmdma_* helpers touch them. */
#include "ata_test_fixture.h"

#define READY ATA_STATUS_READY
#define ERR ATA_STATUS_ERR
#define DRQ ATA_STATUS_DRQ
#define ACTIVE ATA_BM_STATUS_ACTIVE
#define BM_ERROR ATA_BM_STATUS_ERROR
#define BM_INTERRUPT ATA_BM_STATUS_INTERRUPT
#define TO_MEMORY ATA_BM_COMMAND_TO_MEMORY
#define START ATA_BM_COMMAND_START
#define TABLE 0x10000u
#define EOT true

static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Descriptor `index` of the table at `table`; count 0x10000 is written as 0. */
static void prd_at(uint32_t table, unsigned index, uint32_t address, uint32_t count, bool eot) {
    uint8_t *entry = fx.ram.bytes + table + index * ATA_PRD_BYTES;
    put_le32(entry, address);
    put_le32(entry + 4, (count & 0xFFFF) | (eot ? ATA_PRD_END_OF_TABLE : 0));
}

static void prd(unsigned index, uint32_t address, uint32_t count, bool eot) {
    prd_at(TABLE, index, address, count, eot);
}

static uint8_t bm_status(void) { return inb(ATA_PORT_BM_STATUS); }

/* ata_bmdma_setup: table address, direction (start bit clear). */
static void bm_setup(uint32_t table, bool to_memory) {
    ata_channel_write(&fx.ch, ATA_PORT_BM_PRD_TABLE, table, 4);
    outb(ATA_PORT_BM_COMMAND, to_memory ? TO_MEMORY : 0);
}

static void bm_start(bool to_memory) { outb(ATA_PORT_BM_COMMAND, (to_memory ? TO_MEMORY : 0) | START); }

/* ata_bmdma_stop, then the interrupt handler's acknowledge of the status bits. */
static void bm_stop_and_acknowledge(void) {
    outb(ATA_PORT_BM_COMMAND, inb(ATA_PORT_BM_COMMAND) & ~START);
    outb(ATA_PORT_BM_STATUS, bm_status());
}

static bool ram_untouched(uint32_t from, uint32_t to) {
    for (uint32_t a = from; a < to; a++)
        if (fx.ram.bytes[a] != 0xEE) return false;
    return true;
}

/* 8 sectors scattered over three regions, one of them across a page boundary. */
static void dma_read_scatters_over_prd_regions(void) {
    setup();
    prd(0, 0x20F00, 0x200, false);
    prd(1, 0x30FFE, 0xA00, false);
    prd(2, 0x40000, 0x400, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 0x3456, 8, false);
    CHECK_EQ_U64(inb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL), READY | DRQ);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(fx.disk.calls, 0);
    bm_start(true);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_READ_SECTORS);
    CHECK_EQ_U64(fx.disk.last.count, 8);
    CHECK(fx.irq.level);
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x20F00, 0x3456, 1));
    uint8_t joined[7 * ATA_SECTOR_BYTES];
    memcpy(joined, fx.ram.bytes + 0x30FFE, 0xA00);
    memcpy(joined + 0xA00, fx.ram.bytes + 0x40000, 0x400);
    CHECK(sectors_match_pattern(joined, 0x3457, 7));
    CHECK(ram_untouched(0x20E00, 0x20F00) && ram_untouched(0x21100, 0x21200));
    CHECK(ram_untouched(0x309FE, 0x30FFE) && ram_untouched(0x319FE, 0x31A00));
    CHECK(ram_untouched(0x40400, 0x40800));
    bm_stop_and_acknowledge();
    CHECK_EQ_U64(bm_status(), 0);
}

/* Some drivers start the bus master before writing the command. */
static void dma_started_before_the_command(void) {
    setup();
    prd(0, 0x50000, 0x400, EOT);
    bm_setup(TABLE, true);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), ACTIVE);
    issue(ATA_CMD_READ_DMA, 0x10, 2, false);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x50000, 0x10, 2));
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
    CHECK(fx.irq.level);
}

static void dma_write_gathers_from_prd_regions(void) {
    setup();
    for (uint32_t i = 0; i < 0x600; i++) fx.ram.bytes[0x60000 + i] = (uint8_t)(i * 3);
    for (uint32_t i = 0; i < 0x200; i++) fx.ram.bytes[0x7FF00 + i] = (uint8_t)(i ^ 0x5A);
    prd(0, 0x60000, 0x600, false);
    prd(1, 0x7FF00, 0x200, EOT);
    bm_setup(TABLE, false);
    issue(ATA_CMD_WRITE_DMA, 700, 4, false);
    bm_start(false);
    CHECK(fx.disk.last.write);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_WRITE_SECTORS);
    CHECK_EQ_U64(fx.disk.last.lba, 700);
    CHECK(memcmp(fx.disk.bytes + 700 * ATA_SECTOR_BYTES, fx.ram.bytes + 0x60000, 0x600) == 0);
    CHECK(memcmp(fx.disk.bytes + 703 * ATA_SECTOR_BYTES, fx.ram.bytes + 0x7FF00, 0x200) == 0);
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
}

/* Two chunks through 64 KiB descriptors (count field 0): two backend calls. */
static void dma_read_ext_with_64k_descriptors(void) {
    const unsigned descriptors = 2 * CHUNK * ATA_SECTOR_BYTES / 0x10000;
    setup();
    for (unsigned i = 0; i < descriptors; i++) prd(i, 0x100000 + i * 0x10000, 0x10000, i == descriptors - 1);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA_EXT, 0x8000, 2 * CHUNK, true);
    bm_start(true);
    CHECK_EQ_U64(fx.disk.calls, 2);
    CHECK_EQ_U64(fx.disk.first.opcode, ATA_CMD_READ_SECTORS_EXT);
    CHECK(fx.disk.first.lba48);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x100000, 0x8000, 2 * CHUNK));
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
}

/* Three chunks and 232 sectors from 64 KiB descriptors and a short last one: four backend calls. */
static void dma_write_ext_in_chunks(void) {
    const uint32_t sectors = 3 * CHUNK + 232;
    const uint32_t bytes = sectors * ATA_SECTOR_BYTES;
    const unsigned full = bytes / 0x10000;
    setup();
    for (uint32_t i = 0; i < bytes; i++) fx.ram.bytes[0x200000 + i] = (uint8_t)(i / 512 + i);
    for (unsigned i = 0; i < full; i++) prd(i, 0x200000 + i * 0x10000, 0x10000, false);
    prd(full, 0x200000 + full * 0x10000, bytes - full * 0x10000, EOT);
    bm_setup(TABLE, false);
    issue(ATA_CMD_WRITE_DMA_EXT, 0x1000, sectors, true);
    bm_start(false);
    CHECK_EQ_U64(fx.disk.calls, 4);
    CHECK_EQ_U64(fx.disk.last.opcode, ATA_CMD_WRITE_SECTORS_EXT);
    CHECK_EQ_U64(fx.disk.last.count, 232);
    CHECK(memcmp(fx.disk.bytes + 0x1000 * ATA_SECTOR_BYTES, fx.ram.bytes + 0x200000, bytes) == 0);
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
}

/* Table shorter than the command: active and interrupt both clear, no interrupt, the device
 * keeps DRQ. A restarted bus master waits in vain (the device does not resume); a software
 * reset, as the driver's error handling does, ends it. */
static void prd_underrun_stalls_until_reset(void) {
    setup();
    prd(0, 0x20000, 0x200, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 0, 2, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), 0);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x20000, 0, 1));
    outb(ATA_PORT_BM_COMMAND, TO_MEMORY);
    bm_start(true);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK_EQ_U64(bm_status(), ACTIVE);
    CHECK(!fx.irq.level);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_SRST);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
}

/* A write underrun sends nothing for the incomplete chunk. */
static void prd_underrun_on_write_keeps_the_medium(void) {
    setup();
    prd(0, 0x20000, 0x200, EOT);
    bm_setup(TABLE, false);
    issue(ATA_CMD_WRITE_DMA, 5, 2, false);
    bm_start(false);
    CHECK_EQ_U64(fx.disk.calls, 0);
    CHECK_EQ_U64(bm_status(), 0);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
}

/* Table longer than the command: interrupt set, still active until the driver stops it. */
static void prd_overrun_leaves_bus_master_active(void) {
    setup();
    prd(0, 0x20000, 0x200, false);
    prd(1, 0x30000, 0x1000, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 0, 2, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), ACTIVE | BM_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK(ram_untouched(0x30200, 0x31000));
    bm_stop_and_acknowledge();
    CHECK_EQ_U64(bm_status(), 0);
}

/* A descriptor beyond the 64 KiB window of the table base is a bus error. */
static void prd_table_crossing_64k_is_an_error(void) {
    setup();
    prd_at(0x1FFF8, 0, 0x20000, 0x200, false);
    prd_at(0x1FFF8, 1, 0x30000, 0x200, EOT);
    bm_setup(0x1FFF8, true);
    issue(ATA_CMD_READ_DMA, 0, 2, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), BM_ERROR | BM_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_ABRT);
    CHECK(ram_untouched(0x30000, 0x30200));
    outb(ATA_PORT_BM_STATUS, BM_ERROR);
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
}

/* A dword-aligned table whose first descriptor straddles 64 KiB is an error too. */
static void prd_descriptor_straddling_64k_is_an_error(void) {
    setup();
    prd_at(0x2FFFC, 0, 0x20000, 0x200, EOT);
    bm_setup(0x2FFFC, true);
    issue(ATA_CMD_READ_DMA, 0, 1, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), BM_ERROR | BM_INTERRUPT);
    CHECK(ram_untouched(0x20000, 0x20200));
}

/* Only the start bit's 0 -> 1 edge rewinds the table: a driver that leaves the bus master
 * running after an overrun gets the next command in the remaining descriptors. */
static void bus_master_keeps_its_place_until_restarted(void) {
    setup();
    prd(0, 0x20000, 0x200, false);
    prd(1, 0x30000, 0x200, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 7, 1, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), ACTIVE | BM_INTERRUPT);
    bm_start(true);
    issue(ATA_CMD_READ_DMA, 9, 1, false);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x20000, 7, 1));
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x30000, 9, 1));
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
}

/* Regions or tables the hypervisor refuses (its own memory) end like a PCI master abort. */
static void refused_guest_memory_is_a_bus_error(void) {
    setup();
    fx.ram.refuse_from = 0x38000;
    fx.ram.refuse_to = 0x39000;
    prd(0, 0x37F00, 0x400, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 0, 2, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), BM_ERROR | BM_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK(ram_untouched(0x38000, 0x39000));

    setup();
    fx.ram.refuse_from = TABLE;
    fx.ram.refuse_to = TABLE + 0x1000;
    bm_setup(TABLE, false);
    issue(ATA_CMD_WRITE_DMA, 0, 1, false);
    bm_start(false);
    CHECK_EQ_U64(bm_status(), BM_ERROR | BM_INTERRUPT);
    CHECK_EQ_U64(fx.disk.calls, 0);
}

/* Direction bit disagreeing with the command: nothing moves until the driver fixes it. */
static void direction_mismatch_moves_nothing(void) {
    setup();
    prd(0, 0x20000, 0x200, EOT);
    bm_setup(TABLE, false);
    issue(ATA_CMD_READ_DMA, 0, 1, false);
    bm_start(false);
    CHECK_EQ_U64(bm_status(), ACTIVE);
    CHECK_EQ_U64(fx.disk.calls, 0);
    CHECK(!fx.irq.level);
    outb(ATA_PORT_BM_COMMAND, 0);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x20000, 0, 1));
}

static void dma_backend_failure_aborts_with_interrupt(void) {
    setup();
    fx.disk.transport_fails = true;
    prd(0, 0x20000, 0x200, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 0, 1, false);
    bm_start(true);
    CHECK_EQ_U64(bm_status(), ACTIVE | BM_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_ABRT);
    CHECK(ram_untouched(0x20000, 0x20200));
}

static void dma_write_device_error_reports_lba(void) {
    setup();
    fx.disk.error_lba = 0x5001;
    prd(0, 0x20000, 0x400, EOT);
    bm_setup(TABLE, false);
    issue(ATA_CMD_WRITE_DMA_EXT, 0x5000, 2, true);
    bm_start(false);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_UNC);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), 0x01);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), 0x50);
}

/* Status: active read-only, error and interrupt write-1-to-clear, drive DMA bits writable. */
static void bm_status_register_semantics(void) {
    setup();
    outb(ATA_PORT_BM_STATUS, 0xFF);
    CHECK_EQ_U64(bm_status(), ATA_BM_STATUS_DRIVE0_DMA | ATA_BM_STATUS_DRIVE1_DMA);
    bm_start(true);
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false); /* any device interrupt sets the bit */
    CHECK_EQ_U64(bm_status(), 0x60 | ACTIVE | BM_INTERRUPT);
    outb(ATA_PORT_BM_STATUS, 0x60); /* writing 0 to a W1C bit keeps it */
    CHECK_EQ_U64(bm_status(), 0x60 | ACTIVE | BM_INTERRUPT);
    outb(ATA_PORT_BM_STATUS, BM_INTERRUPT | ACTIVE);
    CHECK_EQ_U64(bm_status(), ACTIVE);
}

/* The interrupt bit latches rising edges of INTRQ only: nIEN masks it too. */
static void bm_interrupt_bit_follows_the_line(void) {
    setup();
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_NIEN);
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    CHECK_EQ_U64(bm_status(), 0);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
}

static void bm_command_and_table_registers(void) {
    setup();
    outb(ATA_PORT_BM_COMMAND, 0xFF & ~START);
    CHECK_EQ_U64(inb(ATA_PORT_BM_COMMAND), TO_MEMORY);
    ata_channel_write(&fx.ch, ATA_PORT_BM_PRD_TABLE, 0x12345677, 4);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_BM_PRD_TABLE, 4), 0x12345674);
    outb(ATA_PORT_BM_PRD_TABLE + 3, 0xAB);
    ata_channel_write(&fx.ch, ATA_PORT_BM_PRD_TABLE, 0x9003, 2);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_BM_PRD_TABLE, 4), 0xAB349000);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_BM_PRD_TABLE + 2, 2), 0xAB34);
    /* A dword access at the command offset spans command, reserved, status, reserved. */
    outb(ATA_PORT_BM_STATUS, ATA_BM_STATUS_DRIVE0_DMA);
    CHECK_EQ_U64(ata_channel_read(&fx.ch, ATA_PORT_BM_COMMAND, 4), 0x00200008);
}

/* Bit 0 of a descriptor's address and count are reserved: the bus master moves words. */
static void prd_reserved_bits_ignored(void) {
    setup();
    prd(0, 0x20001, 0x201, EOT);
    bm_setup(TABLE, true);
    issue(ATA_CMD_READ_DMA, 0, 1, false);
    bm_start(true);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x20000, 0, 1));
    CHECK_EQ_U64(bm_status(), BM_INTERRUPT);
}

int main(void) {
    TEST(dma_read_scatters_over_prd_regions);
    TEST(dma_started_before_the_command);
    TEST(dma_write_gathers_from_prd_regions);
    TEST(dma_read_ext_with_64k_descriptors);
    TEST(dma_write_ext_in_chunks);
    TEST(prd_underrun_stalls_until_reset);
    TEST(prd_underrun_on_write_keeps_the_medium);
    TEST(prd_overrun_leaves_bus_master_active);
    TEST(prd_table_crossing_64k_is_an_error);
    TEST(prd_descriptor_straddling_64k_is_an_error);
    TEST(bus_master_keeps_its_place_until_restarted);
    TEST(refused_guest_memory_is_a_bus_error);
    TEST(direction_mismatch_moves_nothing);
    TEST(dma_backend_failure_aborts_with_interrupt);
    TEST(dma_write_device_error_reports_lba);
    TEST(bm_status_register_semantics);
    TEST(bm_interrupt_bit_follows_the_line);
    TEST(bm_command_and_table_registers);
    TEST(prd_reserved_bits_ignored);
    return tap_finish();
}
