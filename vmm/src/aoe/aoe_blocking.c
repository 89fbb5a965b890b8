/* SPDX-License-Identifier: MIT */
#include "aoe/aoe_blocking.h"

#include "console/log.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

/* Room for the largest frame either way: 9000-byte MTU plus the Ethernet header, and the 16 KiB
 * receive buffers of the e1000 in jumbo mode. */
#define FRAME_CAPACITY 16384u

static uint8_t tx_frame[FRAME_CAPACITY];
static uint8_t rx_frame[FRAME_CAPACITY];

static uint64_t now_us(void) { return tsc_to_us(rdtsc() - tsc_boot); }

static void report_conflict(struct aoe_client *c) {
    uint8_t m[6];
    if (!aoe_client_take_conflict(c, m)) return;
    const uint8_t *t = c->target.mac;
    log_printf(
        "AoE: two targets claim e%u.%u: %02x:%02x:%02x:%02x:%02x:%02x (in use) and "
        "%02x:%02x:%02x:%02x:%02x:%02x (refused; its answers are ignored). Give each server its own shelf.slot.\n",
        c->target.shelf, c->target.slot, t[0], t[1], t[2], t[3], t[4], t[5], m[0], m[1], m[2], m[3], m[4], m[5]);
}

static size_t held_len; /* a frame in tx_frame the NIC refused: sent before any new one */

void aoe_pump(struct aoe_client *c, struct nic *nic) {
    if (held_len && nic->send(nic, tx_frame, held_len)) held_len = 0;
    while (!held_len) {
        size_t len = aoe_client_next_frame(c, now_us(), tx_frame, sizeof tx_frame);
        if (!len) break;
        if (!nic->send(nic, tx_frame, len)) {
            held_len = len;
            c->stats.tx_ring_full++;
        }
    }
    nic->doorbell(nic);
    size_t len;
    while ((len = nic->poll_receive(nic, rx_frame, sizeof rx_frame)) != 0)
        aoe_client_receive(c, rx_frame, len, now_us());
    nic->doorbell(nic);
    report_conflict(c);
}

bool aoe_discover(struct aoe_client *c, struct nic *nic, uint64_t timeout_us) {
    uint64_t start = now_us();
    uint64_t next_report = start + AOE_SILENCE_REPORT_US;
    while (!c->target.found) {
        aoe_pump(c, nic);
        uint64_t now = now_us();
        if (now - start >= timeout_us) return false;
        if (now >= next_report) {
            log_printf("AoE: no target answered Query Config for %lu s (looking for %s); still searching\n",
                       (now - start) / 1000000, c->want_shelf == AOE_SHELF_ANY ? "any target" : "the configured one");
            next_report += AOE_SILENCE_REPORT_US;
        }
        cpu_relax();
    }
    return true;
}

bool aoe_execute(struct aoe_client *c, struct nic *nic, const struct aoe_ata_command *cmd,
                 struct aoe_ata_result *result) {
    bool was_unreachable = c->unreachable;
    if (!aoe_client_start(c, cmd, now_us())) return false;
    while (c->busy) {
        aoe_pump(c, nic);
        uint64_t now = now_us();
        if (aoe_client_expire(c, now)) {
            if (!was_unreachable)
                log_printf("AoE target e%u.%u gave no answer for %lu s (aoe_deadline=%lu): the command fails with an "
                           "ATA error; until the target answers again, a command fails after %u s without an answer\n",
                           c->target.shelf, c->target.slot, (now - c->last_progress_us) / 1000000,
                           c->deadline_us / 1000000, AOE_UNREACHABLE_PROBE_US / 1000000);
            break;
        }
        if (aoe_client_silence_due(c, now, AOE_SILENCE_REPORT_US))
            log_printf("AoE target e%u.%u not answering; still retrying (%lu s without an answer)\n", c->target.shelf,
                       c->target.slot, (now - c->last_progress_us) / 1000000);
        cpu_relax();
    }
    if (was_unreachable && !c->unreachable)
        log_printf("AoE target e%u.%u answers again: service resumes\n", c->target.shelf, c->target.slot);
    *result = c->result;
    return true;
}
