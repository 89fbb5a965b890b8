/* SPDX-License-Identifier: MIT */
#include "aoe/aoe_client.h"

#include "ata/ata_regs.h"
#include "lib/string.h"

static const uint8_t broadcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

void aoe_client_init(struct aoe_client *c, const uint8_t mac[6], unsigned mtu, uint16_t shelf, uint8_t slot) {
    memset(c, 0, sizeof *c);
    memcpy(c->mac, mac, 6);
    c->mtu = mtu;
    c->want_shelf = shelf;
    c->want_slot = slot;
    aoe_rto_init(&c->rto);
}

/* ---- discovery ---- */

static bool addressed_to(const aoe_frame *f, const uint8_t mac[6]) { return !memcmp(f->hdr.dst, mac, 6); }

/* A second station claiming the pinned target's shelf.slot: keep the first, refuse this one. */
static void check_conflict(struct aoe_client *c, const aoe_frame *f) {
    const struct aoe_target *t = &c->target;
    if (f->hdr.shelf != t->shelf || f->hdr.slot != t->slot || !memcmp(f->hdr.src, t->mac, 6)) return;
    c->stats.conflicts++;
    if (c->conflict.seen) return;
    c->conflict.seen = true;
    memcpy(c->conflict.mac, f->hdr.src, 6);
}

static void handle_config(struct aoe_client *c, const aoe_frame *f) {
    if (f->is_error) return;
    /* Our query's answer, or a target's unsolicited announcement (vblade broadcasts one at start). */
    if (!addressed_to(f, c->mac) && !addressed_to(f, broadcast)) return;
    if (c->target.found) {
        check_conflict(c, f);
        return;
    }
    if (c->want_shelf != AOE_SHELF_ANY && f->hdr.shelf != c->want_shelf) return;
    if (c->want_slot != AOE_SLOT_ANY && f->hdr.slot != c->want_slot) return;
    unsigned ours = aoe_sectors_per_frame(c->mtu);
    unsigned theirs = f->config.sectors_per_frame;
    unsigned spf = theirs && theirs < ours ? theirs : ours;
    if (!spf) return; /* our MTU carries no sector: nothing to talk about */
    struct aoe_target *t = &c->target;
    memcpy(t->mac, f->hdr.src, 6);
    t->shelf = f->hdr.shelf;
    t->slot = f->hdr.slot;
    t->buffer_count = f->config.buffer_count;
    t->sectors_per_frame = (uint8_t)spf;
    t->window = t->buffer_count < AOE_MAX_WINDOW ? t->buffer_count : AOE_MAX_WINDOW;
    if (!t->window) t->window = 1;
    t->found = true;
}

/* ---- one command: request i covers sectors [i * spf, min((i + 1) * spf, sectors)) ---- */

static uint32_t first_sector(const struct aoe_client *c, uint32_t index) { return index * c->target.sectors_per_frame; }

static uint32_t sectors_of(const struct aoe_client *c, uint32_t index) {
    uint32_t left = c->command.sectors - first_sector(c, index);
    return left < c->target.sectors_per_frame ? left : c->target.sectors_per_frame;
}

static bool is_answered(const struct aoe_client *c, uint32_t index) {
    return c->answered_bits[index / 8] & (1u << (index % 8));
}

static size_t build_request(struct aoe_client *c, uint32_t index, uint8_t *buf, size_t cap) {
    const struct aoe_ata_command *cmd = &c->command;
    aoe_ata_request r = {
        .shelf = c->target.shelf,
        .slot = c->target.slot,
        .tag = aoe_tag_make(c->seq, (uint16_t)index),
        .aflags = (uint8_t)((cmd->lba48 ? AOE_AFLAG_EXT : 0) | (cmd->write ? AOE_AFLAG_WRITE : 0)),
        .feature = cmd->features,
        .command = cmd->opcode,
        .sector_count = cmd->count_register,
        .lba = cmd->lba,
    };
    memcpy(r.dst, c->target.mac, 6);
    memcpy(r.src, c->mac, 6);
    if (cmd->sectors) {
        uint32_t n = sectors_of(c, index);
        r.sector_count = (uint8_t)n;
        r.lba = cmd->lba + first_sector(c, index);
        if (cmd->write) {
            r.data = (const uint8_t *)cmd->data + (size_t)first_sector(c, index) * AOE_SECTOR;
            r.data_len = (size_t)n * AOE_SECTOR;
        }
    }
    size_t len = aoe_build_ata(buf, cap, &r);
    if (len) c->stats.frames_sent++;
    return len;
}

bool aoe_client_start(struct aoe_client *c, const struct aoe_ata_command *cmd, uint64_t now_us) {
    if (!c->target.found || c->busy || cmd->sectors > AOE_MAX_COMMAND_SECTORS || (cmd->sectors && !cmd->data))
        return false;
    c->command = *cmd;
    c->seq++;
    c->frames = cmd->sectors ? (cmd->sectors + c->target.sectors_per_frame - 1) / c->target.sectors_per_frame : 1;
    c->next_index = 0;
    c->answered = 0;
    memset(c->in_flight, 0, sizeof c->in_flight);
    memset(c->answered_bits, 0, (c->frames + 7) / 8);
    c->result = (struct aoe_ata_result){ .kind = AOE_RESULT_OK };
    c->started_us = now_us;
    c->last_progress_us = now_us;
    c->silence_reported_us = now_us;
    c->busy = true;
    c->stats.commands++;
    return true;
}

static struct aoe_in_flight *find_in_flight(struct aoe_client *c, uint32_t index) {
    for (unsigned i = 0; i < c->target.window; i++) {
        if (c->in_flight[i].used && c->in_flight[i].index == index) return &c->in_flight[i];
    }
    return NULL;
}

static bool is_failure(const aoe_frame *f) {
    return f->is_error || (f->ata.cmd_status & (ATA_STATUS_ERR | ATA_STATUS_DF));
}

static void take_task_file(struct aoe_client *c, const aoe_frame *f) {
    c->result.status = f->ata.cmd_status;
    c->result.count_register = f->ata.sector_count;
    c->result.lba = f->ata.lba;
}

static void record_outcome(struct aoe_client *c, const aoe_frame *f) {
    if (f->is_error) {
        c->stats.aoe_errors++;
        if (c->result.kind == AOE_RESULT_OK) {
            c->result.kind = AOE_RESULT_AOE_ERROR;
            c->result.aoe_error = f->hdr.error;
        }
        return;
    }
    if (is_failure(f)) {
        c->stats.ata_errors++;
        if (c->result.kind == AOE_RESULT_OK) {
            c->result.kind = AOE_RESULT_ATA_ERROR;
            c->result.error = f->ata.err_feature;
            take_task_file(c, f);
        }
        return;
    }
    if (c->result.kind == AOE_RESULT_OK) take_task_file(c, f);
}

/* Does this answer belong to request `index` of the running command? Its tag says so; the rest
 * of the frame must agree. A target leaves the request's LBA in a successful data answer and
 * counts the sector count down to 0 (vblade) or echoes it; a failed answer may point the task
 * file at the failing sector, and a command without data answers in its registers (READ NATIVE
 * MAX), so those keep only the direction checks. */
static bool answers_request(const struct aoe_client *c, const aoe_frame *f, uint32_t index) {
    const struct aoe_ata_command *cmd = &c->command;
    if (!addressed_to(f, c->mac)) return false;
    if (f->is_error) return true; /* an AoE error carries no ATA answer to compare */
    uint8_t expected_flags = (uint8_t)((cmd->lba48 ? AOE_AFLAG_EXT : 0) | (cmd->write ? AOE_AFLAG_WRITE : 0));
    if ((f->ata.aflags & (AOE_AFLAG_EXT | AOE_AFLAG_WRITE)) != expected_flags) return false;
    if (!cmd->sectors || is_failure(f)) return true;
    uint32_t sectors = sectors_of(c, index);
    uint64_t lba_mask = cmd->lba48 ? 0xFFFFFFFFFFFFull : 0x0FFFFFFFull;
    if ((f->ata.lba & lba_mask) != ((cmd->lba + first_sector(c, index)) & lba_mask)) return false;
    if (f->ata.sector_count != 0 && f->ata.sector_count != (uint8_t)sectors) return false;
    if (!cmd->write && f->ata.data_len < (size_t)sectors * AOE_SECTOR) return false; /* truncated */
    return true;
}

static void handle_ata(struct aoe_client *c, const aoe_frame *f, uint64_t now_us) {
    if (aoe_tag_command_seq(f->hdr.tag) != c->seq) { /* an earlier command's late answer */
        c->stats.stale++;
        return;
    }
    uint32_t index = aoe_tag_packet_index(f->hdr.tag);
    if (index >= c->next_index) { /* never asked for */
        c->stats.ignored++;
        return;
    }
    if (is_answered(c, index)) {
        c->stats.duplicates++;
        return;
    }
    if (!answers_request(c, f, index)) { /* dropped: the timer asks again */
        c->stats.mismatched++;
        return;
    }
    struct aoe_in_flight *slot = find_in_flight(c, index);
    const struct aoe_ata_command *cmd = &c->command;
    bool ok = !is_failure(f);
    if (ok && cmd->sectors && !cmd->write) {
        size_t bytes = (size_t)sectors_of(c, index) * AOE_SECTOR;
        memcpy((uint8_t *)cmd->data + (size_t)first_sector(c, index) * AOE_SECTOR, f->ata.data, bytes);
        c->stats.bytes_read += bytes;
    } else if (ok && cmd->write) {
        c->stats.bytes_written += (uint64_t)sectors_of(c, index) * AOE_SECTOR;
    }
    record_outcome(c, f);
    c->unreachable = false;
    if (slot->retransmits == 0) {
        uint64_t rtt = now_us - slot->sent_us;
        aoe_rto_sample(&c->rto, rtt);
        aoe_stats_record_rtt(&c->stats, cmd->write, index, rtt);
    }
    slot->used = false;
    c->answered_bits[index / 8] |= (uint8_t)(1u << (index % 8));
    c->last_progress_us = now_us;
    if (++c->answered < c->frames) return;
    c->busy = false;
    if (cmd->sectors) aoe_stats_record_command(&c->stats, cmd->write, cmd->sectors, now_us - c->started_us);
}

void aoe_client_receive(struct aoe_client *c, const uint8_t *frame, size_t len, uint64_t now_us) {
    aoe_frame f;
    if (aoe_parse(frame, len, &f) != AOE_PARSE_OK || !f.is_response) return;
    if (f.hdr.command == AOE_CMD_QUERY_CONFIG) {
        handle_config(c, &f);
        return;
    }
    if (f.hdr.command != AOE_CMD_ATA) return;
    if (!c->target.found || memcmp(f.hdr.src, c->target.mac, 6) || f.hdr.shelf != c->target.shelf ||
        f.hdr.slot != c->target.slot) {
        c->stats.ignored++;
        return;
    }
    handle_ata(c, &f, now_us);
}

size_t aoe_client_next_frame(struct aoe_client *c, uint64_t now_us, uint8_t *buf, size_t cap) {
    if (!c->target.found) {
        if (now_us < c->next_discovery_us) return 0;
        c->next_discovery_us = now_us + AOE_DISCOVERY_INTERVAL_US;
        return aoe_build_query_config(buf, cap, c->mac, broadcast, c->want_shelf, c->want_slot, 0);
    }
    if (!c->busy) return 0;
    /* Retransmissions first: they are the oldest requests. */
    for (unsigned i = 0; i < c->target.window; i++) {
        struct aoe_in_flight *s = &c->in_flight[i];
        if (!s->used || now_us < s->deadline_us) continue;
        s->retransmits++;
        s->deadline_us = now_us + aoe_rto_backoff(&c->rto, s->retransmits);
        c->stats.retransmits++;
        return build_request(c, s->index, buf, cap);
    }
    if (c->next_index == c->frames) return 0;
    for (unsigned i = 0; i < c->target.window; i++) {
        struct aoe_in_flight *s = &c->in_flight[i];
        if (s->used) continue;
        *s = (struct aoe_in_flight){ .used = true,
                                     .index = (uint16_t)c->next_index,
                                     .sent_us = now_us,
                                     .deadline_us = now_us + aoe_rto_backoff(&c->rto, 0) };
        return build_request(c, c->next_index++, buf, cap);
    }
    return 0;
}

bool aoe_client_expire(struct aoe_client *c, uint64_t now_us) {
    if (!c->busy || !c->deadline_us) return false;
    uint64_t limit =
        c->unreachable && AOE_UNREACHABLE_PROBE_US < c->deadline_us ? AOE_UNREACHABLE_PROBE_US : c->deadline_us;
    if (now_us - c->last_progress_us < limit) return false;
    c->busy = false;
    c->seq++; /* a late answer to the abandoned command is now stale: its buffer is the caller's again */
    c->result = (struct aoe_ata_result){ .kind = AOE_RESULT_TIMEOUT };
    c->unreachable = true;
    c->stats.timeouts++;
    return true;
}

bool aoe_client_take_conflict(struct aoe_client *c, uint8_t mac[6]) {
    if (!c->conflict.seen || c->conflict.reported) return false;
    c->conflict.reported = true;
    memcpy(mac, c->conflict.mac, 6);
    return true;
}

bool aoe_client_silence_due(struct aoe_client *c, uint64_t now_us, uint64_t interval_us) {
    if (!c->busy) return false;
    uint64_t since = c->last_progress_us > c->silence_reported_us ? c->last_progress_us : c->silence_reported_us;
    if (now_us - since < interval_us) return false;
    c->silence_reported_us = now_us;
    return true;
}
