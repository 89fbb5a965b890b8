/* SPDX-License-Identifier: MIT */
/* ATA over Ethernet (AoE, protocol revision 11) frame codec: the only AoE encoder/decoder in the
 * project. Used hosted by server/tools (aoe-probe) and freestanding by the hypervisor, so it uses
 * only <stdint.h>, <stddef.h>, <stdbool.h>: no libc, no allocation, no globals. All functions are
 * pure: they read the caller's input and write only the caller's buffers.
 *
 * Wire layout (all multi-byte fields big-endian except the LBA, which is little-endian):
 *   0  dst MAC (6)   6  src MAC (6)   12 EtherType 0x88A2 (2)
 *   14 Ver(4 bits, =1) | Flags(4 bits: Response 0x8, Error 0x4)
 *   15 Error          16 Major / shelf (2)   18 Minor / slot (1)   19 Command (1)
 *   20 Tag (4): echoed verbatim by the target
 *   ATA command (Command 0), 12 bytes:
 *   24 AFlags (E 0x40 LBA48, D 0x10 device, A 0x02 async write, W 0x01 write)
 *   25 Err (response) / Feature (request)   26 Sector count   27 Cmd (request) / Status (response)
 *   28 LBA0 .. 33 LBA5   34 reserved (2)    36 data (sector count * 512 bytes)
 *   Query Config (Command 1), 8 bytes + string:
 *   24 Buffer count (2)   26 Firmware version (2)   28 Sector count: max sectors per frame (1)
 *   29 AoE version(4 bits) | CCmd(4 bits)   30 config string length (2)   32 string (<= 1024)
 */
#ifndef AOE_H
#define AOE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AOE_ETHERTYPE 0x88A2u
#define AOE_VERSION 1u
#define AOE_ETH_HDR_LEN 14u
#define AOE_HDR_LEN 24u     /* Ethernet + AoE common header */
#define AOE_ATA_HDR_LEN 36u /* ... + ATA argument */
#define AOE_CFG_HDR_LEN 32u /* ... + Query Config argument */
#define AOE_CONFIG_MAX 1024u
#define AOE_MIN_FRAME 60u /* Ethernet minimum without FCS: short frames are zero-padded */
#define AOE_SECTOR 512u
#define AOE_SHELF_ANY 0xFFFFu
#define AOE_SLOT_ANY 0xFFu

/* Common header flags (low nibble of byte 14). */
#define AOE_FLAG_RESPONSE 0x8u
#define AOE_FLAG_ERROR 0x4u

/* ATA AFlags. */
#define AOE_AFLAG_EXT 0x40u
#define AOE_AFLAG_DEVICE 0x10u
#define AOE_AFLAG_ASYNC 0x02u
#define AOE_AFLAG_WRITE 0x01u

enum aoe_command {
    AOE_CMD_ATA = 0,
    AOE_CMD_QUERY_CONFIG = 1,
    AOE_CMD_MAC_MASK = 2,
    AOE_CMD_RESERVE = 3,
};

/* Error field values of a response with AOE_FLAG_ERROR. */
enum aoe_error {
    AOE_ERR_UNRECOGNIZED_COMMAND = 1,
    AOE_ERR_BAD_ARGUMENT = 2,
    AOE_ERR_DEVICE_UNAVAILABLE = 3,
    AOE_ERR_CONFIG_STRING_PRESENT = 4,
    AOE_ERR_UNSUPPORTED_VERSION = 5,
    AOE_ERR_TARGET_RESERVED = 6,
};

/* Query Config CCmd values. */
enum aoe_config_cmd {
    AOE_CCMD_READ = 0,
    AOE_CCMD_TEST = 1,
    AOE_CCMD_TEST_PREFIX = 2,
    AOE_CCMD_SET = 3,
    AOE_CCMD_FORCE_SET = 4,
};

/* Result of aoe_parse: AOE_PARSE_OK or the first reason the frame was rejected. */
enum aoe_parse_status {
    AOE_PARSE_OK = 0,
    AOE_PARSE_TOO_SHORT,        /* shorter than the Ethernet + AoE header */
    AOE_PARSE_NOT_AOE,          /* EtherType is not 0x88A2 */
    AOE_PARSE_BAD_VERSION,      /* Ver field is not 1 */
    AOE_PARSE_ATA_TOO_SHORT,    /* ATA command without its 12-byte argument */
    AOE_PARSE_CONFIG_TOO_SHORT, /* Query Config without its 8-byte argument */
    AOE_PARSE_CONFIG_OVERRUN,   /* config string length beyond the frame or over 1024 */
    AOE_PARSE_UNKNOWN_COMMAND,  /* Command field not 0..3 */
    AOE_PARSE_STATUS_COUNT
};

typedef struct {
    uint8_t dst[6];
    uint8_t src[6];
    uint8_t flags; /* AOE_FLAG_* */
    uint8_t error; /* enum aoe_error, meaningful with AOE_FLAG_ERROR */
    uint16_t shelf;
    uint8_t slot;
    uint8_t command; /* enum aoe_command */
    uint32_t tag;
} aoe_header;

typedef struct {
    uint8_t aflags;
    uint8_t err_feature; /* ATA Error (response) or Features (request) */
    uint8_t sector_count;
    uint8_t cmd_status;  /* ATA Command (request) or Status (response) */
    uint64_t lba;        /* 48 bits */
    const uint8_t *data; /* points into the parsed frame; NULL when data_len is 0 */
    size_t data_len;     /* bytes after the ATA argument (includes Ethernet padding) */
} aoe_ata_arg;

typedef struct {
    uint16_t buffer_count;
    uint16_t firmware;
    uint8_t sectors_per_frame;
    uint8_t aoe_version;
    uint8_t ccmd; /* enum aoe_config_cmd */
    uint16_t string_len;
    const uint8_t *string; /* points into the parsed frame */
} aoe_config_arg;

typedef struct {
    aoe_header hdr;
    bool is_response;
    bool is_error;
    aoe_ata_arg ata;       /* valid when hdr.command == AOE_CMD_ATA */
    aoe_config_arg config; /* valid when hdr.command == AOE_CMD_QUERY_CONFIG */
} aoe_frame;

/* An ATA command to encode. data/data_len: bytes appended after the argument (write payload). */
typedef struct {
    uint8_t dst[6];
    uint8_t src[6];
    uint16_t shelf;
    uint8_t slot;
    uint32_t tag;
    uint8_t aflags;
    uint8_t feature;
    uint8_t sector_count;
    uint8_t command;
    uint64_t lba;
    const uint8_t *data;
    size_t data_len;
} aoe_ata_request;

/* Encodes an ATA request; returns the frame length (zero-padded to AOE_MIN_FRAME), or 0 if cap is
 * too small. */
size_t aoe_build_ata(uint8_t *buf, size_t cap, const aoe_ata_request *req);

/* Encodes a Query Config (CCmd read, empty string) to dst (use the broadcast address with
 * AOE_SHELF_ANY/AOE_SLOT_ANY for discovery); returns the frame length or 0 if cap is too small. */
size_t aoe_build_query_config(uint8_t *buf, size_t cap, const uint8_t src[6], const uint8_t dst[6], uint16_t shelf,
                              uint8_t slot, uint32_t tag);

/* Decodes any received frame. On AOE_PARSE_OK every field of out is set; on a rejection the
 * fields decoded before the failing check are set and the rest are zero. */
enum aoe_parse_status aoe_parse(const uint8_t *frame, size_t len, aoe_frame *out);

/* What an AoE Error field value means (enum aoe_error), e.g. "device unavailable", for logs. */
const char *aoe_error_name(uint8_t error);

/* A short constant name for a parse status (e.g. "too-short"), for logs. */
const char *aoe_parse_status_name(enum aoe_parse_status status);

/* Sectors that fit in one frame for an interface MTU: (mtu - 36) / 512, 0 if none. */
unsigned aoe_sectors_per_frame(unsigned mtu);

/* The paper's tag layout: (16-bit ATA command sequence << 16) | 16-bit packet index. */
static inline uint32_t aoe_tag_make(uint16_t command_seq, uint16_t packet_index) {
    return ((uint32_t)command_seq << 16) | packet_index;
}
static inline uint16_t aoe_tag_command_seq(uint32_t tag) { return (uint16_t)(tag >> 16); }
static inline uint16_t aoe_tag_packet_index(uint32_t tag) { return (uint16_t)(tag & 0xFFFFu); }

#endif
