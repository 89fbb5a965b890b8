/* SPDX-License-Identifier: MIT */
/* Host unit tests for the emulated ATA channel with a backend that answers later (PENDING,
 * then ata_channel_backend_done), as the AoE client does when the guest keeps running while
 * frames are on the wire: the device is BSY meanwhile and every protocol resumes where it
 * stopped. */
#include "ata_test_fixture.h"

#define READY ATA_STATUS_READY
#define ERR ATA_STATUS_ERR
#define DRQ ATA_STATUS_DRQ
#define BSY ATA_STATUS_BSY
#define TABLE 0x10000u

static uint8_t alt_status(void) { return inb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL); }

static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void prd(unsigned index, uint32_t address, uint32_t count, bool eot) {
    uint8_t *entry = fx.ram.bytes + TABLE + index * ATA_PRD_BYTES;
    put_le32(entry, address);
    put_le32(entry + 4, (count & 0xFFFF) | (eot ? ATA_PRD_END_OF_TABLE : 0));
}

static void bm_start(bool to_memory) {
    ata_channel_write(&fx.ch, ATA_PORT_BM_PRD_TABLE, TABLE, 4);
    outb(ATA_PORT_BM_COMMAND, (to_memory ? ATA_BM_COMMAND_TO_MEMORY : 0) | ATA_BM_COMMAND_START);
}

/* Busy while the server works: no DRQ, no interrupt, no data, commands ignored. */
static void pio_read_is_busy_until_the_answer(void) {
    uint8_t data[2 * ATA_SECTOR_BYTES];
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_READ_SECTORS, 33, 2, false);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), BSY);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, 2), 0);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_IDENTIFY_DEVICE);
    CHECK_EQ_U64(fx.disk.calls, 1);
    complete_deferred();
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK(sectors_match_pattern(data, 33, 2));
    CHECK_EQ_U64(alt_status(), READY);
}

/* A chunk and 44 sectors: after the first chunk the device goes busy again for the rest. */
static void pio_read_second_chunk_waits_again(void) {
    static uint8_t data[(CHUNK + 44) * ATA_SECTOR_BYTES];
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_READ_SECTORS_EXT, 0x400, CHUNK + 44, true);
    complete_deferred();
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data, sizeof(data)), CHUNK * ATA_SECTOR_BYTES);
    CHECK_EQ_U64(alt_status(), BSY);
    CHECK_EQ_U64(fx.disk.last.lba, 0x400 + CHUNK);
    complete_deferred();
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, data + CHUNK * ATA_SECTOR_BYTES, 44 * ATA_SECTOR_BYTES),
                 44 * ATA_SECTOR_BYTES);
    CHECK(sectors_match_pattern(data, 0x400, CHUNK + 44));
    CHECK_EQ_U64(alt_status(), READY);
}

/* The last block of a write: busy until the server has the data, then the interrupt. */
static void pio_write_completes_when_the_server_answers(void) {
    uint8_t data[ATA_SECTOR_BYTES];
    memset(data, 0x3C, sizeof(data));
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_WRITE_SECTORS, 90, 1, false);
    CHECK_EQ_U64(alt_status(), READY | DRQ);
    CHECK_EQ_U64(ata_channel_data_out(&fx.ch, data, sizeof(data)), sizeof(data));
    CHECK_EQ_U64(alt_status(), BSY);
    CHECK(!fx.irq.level);
    complete_deferred();
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK(memcmp(fx.disk.bytes + 90 * ATA_SECTOR_BYTES, data, sizeof(data)) == 0);
}

/* A chunk and a half: two backend calls, the interrupt only after the second. */
static void dma_read_resumes_chunk_by_chunk(void) {
    const uint32_t sectors = CHUNK + CHUNK / 2;
    const unsigned descriptors = sectors * ATA_SECTOR_BYTES / 0x10000;
    setup();
    fx.disk.defer = true;
    for (unsigned i = 0; i < descriptors; i++) prd(i, 0x100000 + i * 0x10000, 0x10000, i == descriptors - 1);
    issue(ATA_CMD_READ_DMA_EXT, 0x20, sectors, true);
    bm_start(true);
    CHECK_EQ_U64(alt_status(), BSY);
    complete_deferred();
    CHECK_EQ_U64(alt_status(), BSY);
    CHECK_EQ_U64(fx.disk.calls, 2);
    CHECK(!fx.irq.level);
    complete_deferred();
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_BM_STATUS), ATA_BM_STATUS_INTERRUPT);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x100000, 0x20, CHUNK + CHUNK / 2));
}

static void dma_write_completes_after_the_last_answer(void) {
    setup();
    fx.disk.defer = true;
    memset(fx.ram.bytes + 0x40000, 0xA5, 0x400);
    prd(0, 0x40000, 0x400, true);
    issue(ATA_CMD_WRITE_DMA, 12, 2, false);
    bm_start(false);
    CHECK_EQ_U64(alt_status(), BSY);
    complete_deferred();
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(inb(ATA_PORT_BM_STATUS), ATA_BM_STATUS_INTERRUPT);
    CHECK(memcmp(fx.disk.bytes + 12 * ATA_SECTOR_BYTES, fx.ram.bytes + 0x40000, 0x400) == 0);
}

/* A bus master stopped while the server works gets nothing: the device keeps waiting. */
static void dma_stopped_while_pending_stalls(void) {
    setup();
    fx.disk.defer = true;
    prd(0, 0x40000, 0x200, true);
    issue(ATA_CMD_READ_DMA, 12, 1, false);
    bm_start(true);
    outb(ATA_PORT_BM_COMMAND, ATA_BM_COMMAND_TO_MEMORY);
    complete_deferred();
    CHECK_EQ_U64(alt_status(), READY | DRQ);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_BM_STATUS), 0);
    CHECK_EQ_U64(fx.ram.bytes[0x40000], 0xEE);
}

/* Restarting the bus master while the server works must not start a second backend call. */
static void dma_restart_while_pending_waits(void) {
    setup();
    fx.disk.defer = true;
    prd(0, 0x40000, 0x200, true);
    issue(ATA_CMD_READ_DMA, 12, 1, false);
    bm_start(true);
    outb(ATA_PORT_BM_COMMAND, ATA_BM_COMMAND_TO_MEMORY);
    bm_start(true);
    CHECK_EQ_U64(fx.disk.calls, 1);
    CHECK_EQ_U64(alt_status(), BSY);
    CHECK(!fx.irq.level);
    complete_deferred();
    CHECK(sectors_match_pattern(fx.ram.bytes + 0x40000, 12, 1));
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
}

static void identify_and_non_data_answers_arrive_later(void) {
    uint8_t id[ATA_SECTOR_BYTES];
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_IDENTIFY_DEVICE, 0, 0, false);
    CHECK_EQ_U64(alt_status(), BSY);
    complete_deferred();
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | DRQ);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, id, sizeof(id)), sizeof(id));
    CHECK_EQ_U64(id[2 * 47], 16);
    issue(ATA_CMD_READ_NATIVE_MAX_EXT, 0, 0, true);
    CHECK_EQ_U64(alt_status(), BSY);
    complete_deferred();
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), (DISK_SECTORS - 1) & 0xFF);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_MID), ((DISK_SECTORS - 1) >> 8) & 0xFF);
}

static void transport_failure_reported_at_completion(void) {
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_READ_SECTORS, 1, 1, false);
    fx.disk.transport_fails = true;
    complete_deferred();
    CHECK(fx.irq.level);
    CHECK_EQ_U64(inb(ATA_PORT_STATUS_COMMAND), READY | ERR);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_ERROR_ABRT);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, (uint8_t[2]){ 0 }, 2), 0);
}

/* A software reset abandons the command: the device stays busy until the backend lets go of
 * the buffer, then shows the reset signature; the late answer reaches nobody. */
static void reset_while_pending_waits_for_the_backend(void) {
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_READ_SECTORS, 1, 1, false);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_SRST);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK_EQ_U64(alt_status(), BSY);
    outb(ATA_PORT_STATUS_COMMAND, ATA_CMD_FLUSH_CACHE);
    CHECK_EQ_U64(fx.disk.calls, 1);
    complete_deferred();
    CHECK_EQ_U64(alt_status(), READY);
    CHECK_EQ_U64(inb(ATA_PORT_COUNT), ATA_SIGNATURE_COUNT);
    CHECK_EQ_U64(inb(ATA_PORT_ERROR_FEATURES), ATA_DIAGNOSTIC_PASSED);
    CHECK(!fx.irq.level);
    CHECK_EQ_U64(ata_channel_data_in(&fx.ch, (uint8_t[2]){ 0 }, 2), 0);
}

/* SRST still held when the backend finishes: the reset ends at SRST's release. */
static void reset_held_past_the_answer(void) {
    setup();
    fx.disk.defer = true;
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_SRST);
    complete_deferred();
    CHECK_EQ_U64(alt_status(), BSY);
    outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
    CHECK_EQ_U64(alt_status(), READY);
    CHECK_EQ_U64(inb(ATA_PORT_LBA_LOW), ATA_SIGNATURE_LBA_LOW);
}

/* A completion with nothing pending (a backend bug) changes nothing the guest can see. */
static void stray_completion_is_ignored(void) {
    setup();
    ata_channel_backend_done(&fx.ch, true);
    CHECK_EQ_U64(alt_status(), READY);
    CHECK(!fx.irq.level);
    issue(ATA_CMD_FLUSH_CACHE, 0, 0, false);
    CHECK_EQ_U64(fx.disk.calls, 1);
}

int main(void) {
    TEST(pio_read_is_busy_until_the_answer);
    TEST(pio_read_second_chunk_waits_again);
    TEST(pio_write_completes_when_the_server_answers);
    TEST(dma_read_resumes_chunk_by_chunk);
    TEST(dma_write_completes_after_the_last_answer);
    TEST(dma_stopped_while_pending_stalls);
    TEST(dma_restart_while_pending_waits);
    TEST(identify_and_non_data_answers_arrive_later);
    TEST(transport_failure_reported_at_completion);
    TEST(reset_while_pending_waits_for_the_backend);
    TEST(reset_held_past_the_answer);
    TEST(stray_completion_is_ignored);
    return tap_finish();
}
