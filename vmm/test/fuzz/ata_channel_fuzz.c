/* SPDX-License-Identifier: MIT */
/* Fuzzes the emulated ATA channel with what a buggy or hostile guest driver may do: any register
 * written with any value in any order, commands with random LBAs and counts, data-port reads and
 * writes of any length, PRD tables pointing anywhere (past RAM, into the hypervisor's protected
 * range, across 64 KiB), bus-master starts and stops, software resets, and a backend that answers
 * at once, later, or fails. What must hold: no memory error (ASan/UBSan), and every command the
 * channel hands to the backend is well formed: one at a time, a data command at most one chunk with a buffer inside
 * the channel's own and exactly count sectors long, data only for the data opcodes, the LBA
 * inside 48 bits. The fixture (in-memory disk, RAM, IRQ line) is the host tests' own. */
#pragma GCC diagnostic ignored "-Wunused-function" /* the fixture's helpers this harness skips */
#include "../host/ata_test_fixture.h"
#include "fuzz.h"

#define PROTECTED_FROM (6u << 20)
#define PROTECTED_TO (7u << 20)

static const uint8_t opcodes[] = {
    ATA_CMD_READ_SECTORS,
    ATA_CMD_READ_SECTORS_EXT,
    ATA_CMD_WRITE_SECTORS,
    ATA_CMD_WRITE_SECTORS_EXT,
    ATA_CMD_READ_DMA,
    ATA_CMD_READ_DMA_EXT,
    ATA_CMD_WRITE_DMA,
    ATA_CMD_WRITE_DMA_EXT,
    ATA_CMD_READ_MULTIPLE,
    ATA_CMD_WRITE_MULTIPLE,
    ATA_CMD_READ_MULTIPLE_EXT,
    ATA_CMD_WRITE_MULTIPLE_EXT,
    ATA_CMD_SET_MULTIPLE,
    ATA_CMD_IDENTIFY_DEVICE,
    ATA_CMD_SET_FEATURES,
    ATA_CMD_FLUSH_CACHE,
    ATA_CMD_FLUSH_CACHE_EXT,
    ATA_CMD_READ_VERIFY,
    ATA_CMD_READ_VERIFY_EXT,
    ATA_CMD_READ_NATIVE_MAX,
    ATA_CMD_READ_NATIVE_MAX_EXT,
    ATA_CMD_INITIALIZE_DEVICE_PARAMETERS,
    ATA_CMD_CHECK_POWER_MODE,
    ATA_CMD_PACKET,
    ATA_CMD_DEVICE_RESET,
};

static bool pending; /* the backend holds a command (deferred) */

static bool is_data_opcode(uint8_t op) {
    return op == ATA_CMD_READ_SECTORS || op == ATA_CMD_READ_SECTORS_EXT || op == ATA_CMD_WRITE_SECTORS ||
        op == ATA_CMD_WRITE_SECTORS_EXT || op == ATA_CMD_IDENTIFY_DEVICE;
}

static enum ata_backend_outcome checked_execute(void *ctx, const struct ata_backend_command *cmd,
                                                struct ata_backend_result *result) {
    CHECK(!pending);
    CHECK(cmd->count <= 65536); /* non-data commands carry the guest's count (READ VERIFY) */
    CHECK(cmd->lba + cmd->count <= ATA_LBA48_SECTORS);
    if (cmd->buffer) {
        CHECK(cmd->count <= ATA_CHANNEL_CHUNK_SECTORS);
        CHECK(is_data_opcode(cmd->opcode));
        CHECK(cmd->buffer_bytes == (size_t)cmd->count * ATA_SECTOR_BYTES);
        CHECK((uint8_t *)cmd->buffer >= fx.ch.buffer &&
              (uint8_t *)cmd->buffer + cmd->buffer_bytes <= fx.ch.buffer + sizeof fx.ch.buffer);
    }
    enum ata_backend_outcome outcome = disk_execute(ctx, cmd, result);
    pending = outcome == ATA_BACKEND_PENDING;
    return outcome;
}

static uint64_t random_lba(uint64_t *rng) {
    switch (splitmix64(rng) % 3) {
    case 0: return splitmix64(rng) % DISK_SECTORS;
    case 1: return DISK_SECTORS - splitmix64(rng) % 300; /* across the end of the disk */
    default: return splitmix64(rng) & 0xFFFFFFFFFFFFull;
    }
}

static uint32_t random_address(uint64_t *rng) {
    switch (splitmix64(rng) % 4) {
    case 0: return PROTECTED_FROM - 4096 + (uint32_t)(splitmix64(rng) % 8192); /* into the hypervisor */
    case 1: return RAM_BYTES - (uint32_t)(splitmix64(rng) % 8192);             /* past the end of RAM */
    case 2: return (uint32_t)splitmix64(rng);
    default: return (uint32_t)(splitmix64(rng) % (PROTECTED_FROM - 0x20000));
    }
}

/* A PRD table of 1-4 entries somewhere in ordinary RAM, then a bus-master start. */
static void start_dma(uint64_t *rng) {
    uint32_t table = (uint32_t)(splitmix64(rng) % (PROTECTED_FROM - 0x10000 - 64)) & ~3u;
    unsigned entries = 1 + (unsigned)(splitmix64(rng) % 4);
    for (unsigned i = 0; i < entries; i++) {
        uint8_t *e = fx.ram.bytes + table + 8 * i;
        uint32_t address = random_address(rng), count = (uint32_t)(splitmix64(rng) % 0x10000);
        memcpy(e, &address, 4);
        e[4] = (uint8_t)count, e[5] = (uint8_t)(count >> 8), e[6] = 0;
        e[7] = i + 1 == entries || splitmix64(rng) % 8 == 0 ? 0x80 : 0;
    }
    ata_channel_write(&fx.ch, ATA_PORT_BM_PRD_TABLE, table, 4);
    outb(ATA_PORT_BM_COMMAND, (uint8_t)(ATA_BM_COMMAND_START | (splitmix64(rng) % 2 ? ATA_BM_COMMAND_TO_MEMORY : 0)));
}

static void step(uint64_t *rng) {
    static uint8_t data[70000];
    static const enum ata_port ports[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 19, 20, 21, 22, 23 };
    static const unsigned sizes[] = { 1, 2, 4 };
    switch (splitmix64(rng) % 10) {
    case 0:
    case 1:
        issue(splitmix64(rng) % 8 ? opcodes[splitmix64(rng) % sizeof opcodes] : (uint8_t)splitmix64(rng),
              random_lba(rng), (uint32_t)(splitmix64(rng) % 2 ? splitmix64(rng) % 300 : splitmix64(rng) % 65536),
              splitmix64(rng) % 2);
        break;
    case 2:
        ata_channel_write(&fx.ch, ports[splitmix64(rng) % 17], (uint32_t)splitmix64(rng), sizes[splitmix64(rng) % 3]);
        break;
    case 3: (void)ata_channel_read(&fx.ch, ports[splitmix64(rng) % 17], sizes[splitmix64(rng) % 3]); break;
    case 4: {
        size_t bytes = splitmix64(rng) % 3 ? splitmix64(rng) % 4096 : splitmix64(rng) % sizeof data;
        if (splitmix64(rng) % 2) {
            CHECK(ata_channel_data_in(&fx.ch, data, bytes) <= bytes);
        } else {
            for (size_t i = 0; i < bytes; i++) data[i] = (uint8_t)i;
            CHECK(ata_channel_data_out(&fx.ch, data, bytes) <= bytes);
        }
        break;
    }
    case 5: start_dma(rng); break;
    case 6: outb(ATA_PORT_BM_COMMAND, 0); break;
    case 7:
        if (pending) {
            pending = false;
            complete_deferred();
        }
        fx.disk.defer = splitmix64(rng) % 3 == 0;
        fx.disk.transport_fails = splitmix64(rng) % 10 == 0;
        fx.disk.error_lba = splitmix64(rng) % 4 ? NO_LBA : splitmix64(rng) % DISK_SECTORS;
        break;
    case 8:
        outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, ATA_CONTROL_SRST);
        outb(ATA_PORT_ALT_STATUS_DEVICE_CONTROL, 0);
        if (!pending) CHECK(!(inb(ATA_PORT_STATUS_COMMAND) & ATA_STATUS_BSY)); /* a reset ends a stuck device */
        break;
    default: (void)inb(ATA_PORT_STATUS_COMMAND); break;
    }
}

static void fuzz_channel(uint64_t *rng, unsigned long inputs) {
    setup();
    fx.ch.backend.execute = checked_execute;
    fx.ram.refuse_from = PROTECTED_FROM;
    fx.ram.refuse_to = PROTECTED_TO;
    pending = false;
    for (unsigned long n = 0; n < inputs && !tap_case_failures; n++) step(rng);
    if (pending) {
        pending = false;
        complete_deferred();
    }
    printf("# %u backend commands, %u interrupts\n", fx.disk.calls, fx.irq.rising_edges);
    CHECK(fx.disk.calls > inputs / 100); /* the driver got commands through, not only errors */
}

int main(int argc, char **argv) {
    return fuzz_main(argc, argv, "ATA channel under a random driver", fuzz_channel, 50000, 3);
}
