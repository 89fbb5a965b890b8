/* SPDX-License-Identifier: MIT */
#include "aoe/aoe_blocking.h"

#include "console/log.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

/* Room for the largest frame we send: 9000-byte MTU plus the Ethernet header. Answers are read
 * where the NIC put them. */
#define FRAME_CAPACITY (9000u + NIC_ETH_HEADER)

static uint8_t tx_frame[FRAME_CAPACITY];

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

/* Queues every frame the client has ready; how many went. */
static unsigned transmit(struct aoe_client *c, struct nic *nic) {
    unsigned sent = 0;
    if (held_len && nic->send(nic, tx_frame, held_len)) {
        held_len = 0;
        sent++;
    }
    while (!held_len) {
        size_t len = aoe_client_next_frame(c, now_us(), tx_frame, sizeof tx_frame);
        if (!len) break;
        if (nic->send(nic, tx_frame, len)) {
            sent++;
        } else {
            held_len = len;
            c->stats.tx_ring_full++;
        }
    }
    return sent;
}

/* Hands every waiting answer to the client; how many there were. */
static unsigned receive(struct aoe_client *c, struct nic *nic) {
    unsigned received = 0;
    const void *frame;
    size_t len;
    while ((frame = nic->poll_receive(nic, &len)) != NULL) {
        aoe_client_receive(c, frame, len, now_us());
        received++;
    }
    return received;
}

/* One round: send what is ready, ring, take what arrived, ring again (the emptied receive
 * buffers). While a command runs, each half's time goes to its phase when it moved a frame, to
 * idle when it did not. */
bool aoe_pump(struct aoe_client *c, struct nic *nic) {
    bool measured = c->busy;
    uint64_t t0 = rdtsc();
    unsigned sent = transmit(c, nic);
    uint64_t t1 = rdtsc();
    nic->doorbell(nic);
    uint64_t t2 = rdtsc();
    unsigned received = receive(c, nic);
    uint64_t t3 = rdtsc();
    nic->doorbell(nic);
    uint64_t t4 = rdtsc();
    report_conflict(c);
    if (!measured) return sent || received;
    struct aoe_time_split *t = &c->stats.time;
    if (sent) {
        t->transmit += t1 - t0;
        t->doorbell += t2 - t1;
    } else {
        t->idle += t2 - t0;
    }
    if (received) {
        t->receive += t3 - t2;
        t->doorbell += t4 - t3;
        c->stats.frames_received += received;
    } else {
        t->idle += t4 - t2;
    }
    return sent || received;
}

bool aoe_discover(struct aoe_client *c, struct nic *nic, uint64_t timeout_us) {
    uint64_t start = now_us();
    uint64_t next_report = start + AOE_SILENCE_REPORT_US;
    while (!c->target.found) {
        bool moved = aoe_pump(c, nic);
        uint64_t now = now_us();
        if (now - start >= timeout_us) return false;
        if (now >= next_report) {
            log_printf("AoE: no target answered Query Config for %lu s (looking for %s); still searching\n",
                       (now - start) / 1000000, c->want_shelf == AOE_SHELF_ANY ? "any target" : "the configured one");
            next_report += AOE_SILENCE_REPORT_US;
        }
        if (!moved) cpu_relax();
    }
    return true;
}

bool aoe_command_begin(struct aoe_client *c, const struct aoe_ata_command *cmd, struct aoe_command_run *run) {
    run->was_unreachable = c->unreachable;
    run->started_tsc = rdtsc();
    return aoe_client_start(c, cmd, now_us());
}

enum aoe_command_step aoe_command_advance(struct aoe_client *c, struct nic *nic, const struct aoe_command_run *run) {
    bool moved = aoe_pump(c, nic);
    if (!c->busy) return AOE_COMMAND_OVER;
    uint64_t now = now_us();
    if (aoe_client_expire(c, now)) {
        if (!run->was_unreachable)
            log_printf("AoE target e%u.%u gave no answer for %lu s (aoe_deadline=%lu): the command fails with an "
                       "ATA error; until the target answers again, a command fails after %u s without an answer\n",
                       c->target.shelf, c->target.slot, (now - c->last_progress_us) / 1000000, c->deadline_us / 1000000,
                       AOE_UNREACHABLE_PROBE_US / 1000000);
        return AOE_COMMAND_OVER;
    }
    if (aoe_client_silence_due(c, now, AOE_SILENCE_REPORT_US))
        log_printf("AoE target e%u.%u not answering; still retrying (%lu s without an answer)\n", c->target.shelf,
                   c->target.slot, (now - c->last_progress_us) / 1000000);
    return moved ? AOE_COMMAND_MOVED : AOE_COMMAND_IDLE;
}

void aoe_command_finish(struct aoe_client *c, const struct aoe_command_run *run, struct aoe_ata_result *result) {
    if (run->was_unreachable && !c->unreachable)
        log_printf("AoE target e%u.%u answers again: service resumes\n", c->target.shelf, c->target.slot);
    c->stats.time.busy += rdtsc() - run->started_tsc;
    *result = c->result;
}

bool aoe_execute(struct aoe_client *c, struct nic *nic, const struct aoe_ata_command *cmd,
                 struct aoe_ata_result *result) {
    struct aoe_command_run run;
    if (!aoe_command_begin(c, cmd, &run)) return false;
    enum aoe_command_step step;
    /* Spin politely only while nothing moves: under an emulator PAUSE leaves the CPU loop, a few
     * microseconds each (measured in the stats' "other" time). */
    while ((step = aoe_command_advance(c, nic, &run)) != AOE_COMMAND_OVER)
        if (step == AOE_COMMAND_IDLE) cpu_relax();
    aoe_command_finish(c, &run, result);
    return true;
}
