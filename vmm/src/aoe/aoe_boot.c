/* SPDX-License-Identifier: MIT */
#include "aoe/aoe_boot.h"

#include "aoe/aoe_blocking.h"
#include "console/log.h"
#include "net/e1000.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

#define LINK_TIMEOUT_MS 5000u
#define ATA_IDENTIFY_DEVICE 0xEC
#define ATA_READ_SECTORS 0x20
#define ATA_READ_SECTORS_EXT 0x24
/* IDENTIFY DEVICE words. */
#define ID_MODEL_FIRST 27
#define ID_MODEL_WORDS 20
#define ID_LBA28_CAPACITY 60
#define ID_COMMAND_SET_2 83
#define ID_LBA48_SUPPORTED (1u << 10)
#define ID_LBA48_CAPACITY 100
/* The self-check read: the first MiB (or the whole disk if smaller) in 64 KiB commands, enough
 * to exercise the window and every packet index of a typical guest command. */
#define CHECK_SECTORS 2048u
#define CHECK_CHUNK_SECTORS 128u
#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

static struct aoe_client client;
static struct nic *session_nic; /* set once the target answered IDENTIFY */
static struct pci_address session_nic_address;
static uint16_t identify[256];
static uint8_t sector[512];
static uint8_t chunk[CHECK_CHUNK_SECTORS * 512];

static bool run(struct nic *nic, const struct aoe_ata_command *cmd, const char *what) {
    struct aoe_ata_result result;
    if (!aoe_execute(&client, nic, cmd, &result)) {
        log_printf("AoE: %s could not start\n", what);
        return false;
    }
    if (result.kind == AOE_RESULT_ATA_ERROR) {
        log_printf("AoE: %s failed: ATA status %02x error %02x\n", what, result.status, result.error);
        return false;
    }
    if (result.kind == AOE_RESULT_AOE_ERROR) {
        log_printf("AoE: %s failed: the target answered AoE error %u (%s)\n", what, result.aoe_error,
                   aoe_error_name(result.aoe_error));
        return false;
    }
    if (result.kind == AOE_RESULT_TIMEOUT) {
        log_printf("AoE: %s failed: the target found by discovery stopped answering (aoe_deadline=%lu s)\n", what,
                   client.deadline_us / 1000000);
        return false;
    }
    return true;
}

/* ATA strings hold two characters per word, the first in the high byte. */
static void model_string(char out[2 * ID_MODEL_WORDS + 1]) {
    for (unsigned i = 0; i < ID_MODEL_WORDS; i++) {
        out[2 * i] = (char)(identify[ID_MODEL_FIRST + i] >> 8);
        out[2 * i + 1] = (char)identify[ID_MODEL_FIRST + i];
    }
    unsigned n = 2 * ID_MODEL_WORDS;
    while (n && out[n - 1] == ' ') n--;
    out[n] = '\0';
}

static bool identify_target(struct nic *nic, bool *lba48, uint64_t *sectors_out) {
    struct aoe_ata_command cmd = { .opcode = ATA_IDENTIFY_DEVICE, .sectors = 1, .data = identify };
    if (!run(nic, &cmd, "IDENTIFY DEVICE")) return false;
    *lba48 = identify[ID_COMMAND_SET_2] & ID_LBA48_SUPPORTED;
    uint64_t sectors = 0;
    if (*lba48) {
        for (unsigned i = 0; i < 4; i++) sectors |= (uint64_t)identify[ID_LBA48_CAPACITY + i] << (16 * i);
    } else {
        sectors = identify[ID_LBA28_CAPACITY] | (uint32_t)identify[ID_LBA28_CAPACITY + 1] << 16;
    }
    char model[2 * ID_MODEL_WORDS + 1];
    model_string(model);
    log_printf("AoE: IDENTIFY: sectors %lu (%lu MiB, %s), model \"%s\"\n", sectors, sectors >> 11,
               *lba48 ? "LBA48" : "LBA28", model);
    *sectors_out = sectors;
    return true;
}

static void check_boot_sector(struct nic *nic, bool lba48) {
    struct aoe_ata_command cmd = {
        .opcode = lba48 ? ATA_READ_SECTORS_EXT : ATA_READ_SECTORS,
        .sectors = 1,
        .lba = 0,
        .lba48 = lba48,
        .data = sector,
    };
    if (!run(nic, &cmd, "read of LBA 0")) return;
    bool signature = sector[510] == 0x55 && sector[511] == 0xAA;
    log_printf("AoE: LBA 0 %s the 55AA boot signature\n", signature ? "carries" : "lacks");
}

/* Reads the disk's first MiB over AoE and logs its FNV-1a 64 hash (the test compares it with the
 * exported image) and the transfer rate. */
static void self_check_read(struct nic *nic, bool lba48, uint64_t disk_sectors) {
    uint32_t total = disk_sectors < CHECK_SECTORS ? (uint32_t)disk_sectors : CHECK_SECTORS;
    uint64_t hash = FNV64_OFFSET;
    uint64_t ticks = 0; /* time on the wire only, not hashing */
    for (uint32_t done = 0; done < total;) {
        uint32_t n = total - done < CHECK_CHUNK_SECTORS ? total - done : CHECK_CHUNK_SECTORS;
        struct aoe_ata_command cmd = {
            .opcode = lba48 ? ATA_READ_SECTORS_EXT : ATA_READ_SECTORS,
            .sectors = n,
            .lba = done,
            .lba48 = lba48,
            .data = chunk,
        };
        uint64_t start = rdtsc();
        if (!run(nic, &cmd, "self-check read")) return;
        ticks += rdtsc() - start;
        for (uint32_t i = 0; i < n * 512; i++) hash = (hash ^ chunk[i]) * FNV64_PRIME;
        done += n;
    }
    uint64_t us = tsc_to_us(ticks);
    log_printf("AoE: self-check read of %u sectors in %lu us (%lu KB/s), FNV-1a 64 %016lx\n", total, us,
               us ? (uint64_t)total * 512 * 1000 / us : 0, hash);
}

void aoe_boot_setup(const struct hv_config *config) {
    if (!config->aoe) return;
    struct pci_address where;
    struct nic *nic = e1000_open(config->mtu, &where);
    if (!nic) {
        log_printf("AoE: no usable NIC; continuing without the network disk\n");
        return;
    }
    log_printf("AoE: the NIC at PCI %02x:%02x.%x belongs to the hypervisor (to be hidden from the guest)\n", where.bus,
               where.device, where.function);
    uint64_t link_wait_start = rdtsc();
    if (!e1000_wait_link(nic, LINK_TIMEOUT_MS)) {
        log_printf(
            "AoE: link still down after %u ms (cable, switch, or QEMU netdev?); continuing without the network disk\n",
            LINK_TIMEOUT_MS);
        return;
    }
    log_printf("AoE: link up after %lu ms\n", tsc_to_us(rdtsc() - link_wait_start) / 1000);
    aoe_client_init(&client, nic->mac, nic->mtu, config->aoe_shelf, config->aoe_slot);
    client.deadline_us = (uint64_t)config->aoe_deadline_s * 1000000;
    if (!aoe_discover(&client, nic, (uint64_t)config->aoe_wait_s * 1000000)) {
        log_printf("AoE: no target answered within %u s (aoe_wait=); continuing without the network disk\n",
                   config->aoe_wait_s);
        return;
    }
    const struct aoe_target *t = &client.target;
    log_printf("AoE: target e%u.%u found at %02x:%02x:%02x:%02x:%02x:%02x, buffer count %u, %u sectors per frame\n",
               t->shelf, t->slot, t->mac[0], t->mac[1], t->mac[2], t->mac[3], t->mac[4], t->mac[5], t->buffer_count,
               t->sectors_per_frame);
    bool lba48;
    uint64_t sectors;
    if (!identify_target(nic, &lba48, &sectors)) {
        log_printf("AoE: continuing without the network disk\n");
        return;
    }
    check_boot_sector(nic, lba48);
    self_check_read(nic, lba48, sectors);
    if (client.unreachable) { /* it stopped answering during the checks: the guest boots without it */
        log_printf("AoE: continuing without the network disk\n");
        return;
    }
    aoe_stats_log(&client.stats, "hypervisor boot checks");
    aoe_stats_reset(&client.stats); /* the guest's own disk traffic starts from zero */
    session_nic = nic;
    session_nic_address = where;
}

bool aoe_boot_session(struct aoe_client **client_out, struct nic **nic_out, struct pci_address *nic_address) {
    if (!session_nic) return false;
    *client_out = &client;
    *nic_out = session_nic;
    *nic_address = session_nic_address;
    return true;
}

struct aoe_stats *aoe_boot_stats(void) {
    return session_nic ? &client.stats : NULL;
}
