/* SPDX-License-Identifier: MIT */
/* The AoE initiator's protocol core: target discovery (Query Config) and ATA commands split into
 * AoE requests, windowed, matched by tag, retransmitted on timeout. Non-blocking and pure: the
 * caller passes the time (microseconds) and moves frames between this core and a NIC, so the core
 * runs the same under host tests (fake clock, fake wire) and in the hypervisor (aoe_blocking.h).
 *
 * Tags follow the paper: (16-bit command sequence << 16) | 16-bit packet index. A retransmitted
 * request keeps its tag, so the answers to the original and to the retry are indistinguishable:
 * the first one to arrive completes the request, any later one is dropped and counted as a
 * duplicate, and RTT samples are taken only from requests sent once (Karn's rule).
 *
 * AoE has no authentication: any station on the segment can answer. What the core does check:
 * after discovery the target's MAC is pinned (answers from any other MAC are ignored, and a
 * second MAC claiming the same shelf.slot is refused and reported as a conflict), and every ATA
 * answer must match the request its tag names (addressed to us, same direction and LBA48 flag,
 * the request's LBA and count, the data a read needs); a mismatch is dropped and counted, and
 * the retransmission timer asks again. This stops a confused or stale target and a frame sent to
 * the wrong station; it does not stop a station that forges the target's MAC and copies the
 * request's fields, which only a trusted wire (or an authenticated protocol) can. */
#ifndef AOE_AOE_CLIENT_H
#define AOE_AOE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aoe/aoe.h"
#include "aoe/aoe_stats.h"
#include "aoe/rto.h"

/* Requests in flight at once: the target's buffer count, but never more than this (the e1000
 * transmit ring holds 64, so a whole window goes out back to back). */
#define AOE_MAX_WINDOW 64u
/* One ATA command moves at most 65536 sectors (LBA48 count 0). */
#define AOE_MAX_COMMAND_SECTORS 65536u
#define AOE_MAX_COMMAND_FRAMES AOE_MAX_COMMAND_SECTORS /* one sector per frame at the worst */
/* Discovery re-broadcasts its Query Config this often until a target answers. (Under QEMU the
 * first answer takes about 1 s anyway: QEMU's e1000 holds received frames for a second after
 * the receive control register is written; the broadcast itself goes out at once.) */
#define AOE_DISCOVERY_INTERVAL_US 1000000u
/* Once a command has failed by the deadline the target counts as unreachable, and a command it
 * leaves without any answer this long fails too (instead of after the whole deadline): the
 * guest gets its errors quickly, and each of its commands still asks the target, so service
 * resumes with the first command the target answers. */
#define AOE_UNREACHABLE_PROBE_US 2000000u

/* One ATA command as the guest issued it. */
struct aoe_ata_command {
    uint8_t opcode;
    uint8_t features;
    uint8_t count_register; /* sector count register, for commands without data (sectors == 0) */
    uint32_t sectors;       /* sectors moved (data is sectors * 512 bytes), 0..65536 */
    uint64_t lba;           /* first sector (48 bits) */
    bool lba48;             /* set the AoE E flag: the target reads all six LBA bytes */
    bool write;             /* data goes to the target */
    void *data;
};

enum aoe_result_kind {
    AOE_RESULT_OK,
    AOE_RESULT_ATA_ERROR, /* the target's ATA status had ERR or DF: see status/error */
    AOE_RESULT_AOE_ERROR, /* an AoE response with the Error flag: see aoe_error (enum aoe_error) */
    AOE_RESULT_TIMEOUT,   /* the target left the command unanswered past the deadline */
};

struct aoe_ata_result {
    enum aoe_result_kind kind;
    uint8_t status;    /* ATA status of the first failing response, else of the last response */
    uint8_t error;     /* ATA error register with AOE_RESULT_ATA_ERROR */
    uint8_t aoe_error; /* with AOE_RESULT_AOE_ERROR */
    /* The task file the target answered with, from the same response as status: e.g. READ
     * NATIVE MAX ADDRESS's answer, or where a failing transfer stopped. */
    uint8_t count_register;
    uint64_t lba;
};

struct aoe_target {
    bool found;
    uint8_t mac[6];
    uint16_t shelf;
    uint8_t slot;
    uint16_t buffer_count;     /* as the target advertised it */
    uint8_t sectors_per_frame; /* min(target's, what our MTU carries) */
    unsigned window;           /* min(buffer_count, AOE_MAX_WINDOW), at least 1 */
};

/* A second MAC that answered Query Config for the pinned target's shelf.slot: refused. */
struct aoe_conflict {
    bool seen;
    bool reported; /* the caller has logged it (aoe_client_take_conflict) */
    uint8_t mac[6];
};

struct aoe_in_flight {
    bool used;
    uint16_t index;
    unsigned retransmits;
    uint64_t sent_us;     /* first transmission */
    uint64_t deadline_us; /* retransmit when now reaches it */
};

struct aoe_client {
    uint8_t mac[6];
    unsigned mtu;
    uint16_t want_shelf; /* AOE_SHELF_ANY / AOE_SLOT_ANY: take the first target that answers */
    uint8_t want_slot;
    struct aoe_target target;
    struct aoe_conflict conflict;
    uint64_t next_discovery_us;
    struct aoe_rto rto;

    bool busy;
    uint16_t seq;
    struct aoe_ata_command command;
    uint32_t frames;     /* requests this command needs */
    uint32_t next_index; /* next request never sent yet */
    uint32_t answered;
    struct aoe_in_flight in_flight[AOE_MAX_WINDOW];
    uint8_t answered_bits[AOE_MAX_COMMAND_FRAMES / 8];
    struct aoe_ata_result result;
    uint64_t started_us;
    uint64_t last_progress_us; /* last new answer (or command start) */
    uint64_t silence_reported_us;

    /* Set after aoe_client_init: a command the target leaves without any answer this long fails
     * (AOE_RESULT_TIMEOUT). 0, the initial value, retries forever. */
    uint64_t deadline_us;
    bool unreachable; /* a command failed by the deadline; cleared by the next answer */

    struct aoe_stats stats;
};

/* Resets everything; shelf/slot pick the target (AOE_SHELF_ANY and AOE_SLOT_ANY for the first). */
void aoe_client_init(struct aoe_client *c, const uint8_t mac[6], unsigned mtu, uint16_t shelf, uint8_t slot);

/* The next frame to transmit at now_us, written to buf: a discovery broadcast, a retransmission
 * or a new request. Returns its length, or 0 when nothing is due. Call until it returns 0. */
size_t aoe_client_next_frame(struct aoe_client *c, uint64_t now_us, uint8_t *buf, size_t cap);

/* Handles one received frame (anything: non-AoE and foreign frames are ignored). */
void aoe_client_receive(struct aoe_client *c, const uint8_t *frame, size_t len, uint64_t now_us);

/* Starts a command on the discovered target; false if no target, one is running, or the command
 * is malformed (too many sectors, no buffer). Completion: !c->busy, then c->result. */
bool aoe_client_start(struct aoe_client *c, const struct aoe_ata_command *cmd, uint64_t now_us);

/* Fails the running command (AOE_RESULT_TIMEOUT, counted in stats.timeouts) when the target has
 * left it without any answer for deadline_us, or for AOE_UNREACHABLE_PROBE_US while the target is
 * unreachable; true when it did. Never with deadline_us 0. */
bool aoe_client_expire(struct aoe_client *c, uint64_t now_us);

/* The refused MAC of a shelf.slot conflict, once: true and its MAC the first time it is asked
 * after a second target claimed the pinned one's shelf.slot, false afterwards. */
bool aoe_client_take_conflict(struct aoe_client *c, uint8_t mac[6]);

/* True once per interval_us while the running command has had no new answer for that long, so
 * the caller can say the target is silent (it keeps retrying regardless). */
bool aoe_client_silence_due(struct aoe_client *c, uint64_t now_us, uint64_t interval_us);

#endif
