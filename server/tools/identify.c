/* SPDX-License-Identifier: MIT */
#include "identify.h"

#include <stdio.h>

#include "json.h"

static uint16_t word(const uint8_t *d, unsigned i) { return (uint16_t)(d[2 * i] | (d[2 * i + 1] << 8)); }

/* ATA strings: two characters per word, the first in the high byte; trailing spaces trimmed. */
static void ata_string(const uint8_t *d, unsigned first, unsigned words, char *out) {
    unsigned n = 0;
    for (unsigned w = first; w < first + words; w++) {
        out[n++] = (char)(word(d, w) >> 8);
        out[n++] = (char)(word(d, w) & 0xFF);
    }
    while (n > 0 && out[n - 1] == ' ') n--;
    out[n] = 0;
}

/* Index of the single selected mode in bits 8.. of a mode word, -1 if none. */
static int selected_mode(uint16_t w) {
    for (int m = 0; m < 7; m++)
        if (w & (1u << (8 + m))) return m;
    return -1;
}

/* Word 255: signature 0xA5 in the low byte; all 512 bytes sum to 0 mod 256. "absent" if unset. */
static const char *checksum_state(const uint8_t *d) {
    if ((word(d, 255) & 0xFF) != 0xA5) return "absent";
    unsigned sum = 0;
    for (unsigned i = 0; i < 512; i++) sum += d[i];
    return (sum & 0xFF) == 0 ? "valid" : "invalid";
}

void identify_print(const uint8_t d[512]) {
    char model[41], serial[21], firmware[9];
    ata_string(d, 27, 20, model);
    ata_string(d, 10, 10, serial);
    ata_string(d, 23, 4, firmware);
    uint32_t lba28 = word(d, 60) | ((uint32_t)word(d, 61) << 16);
    uint64_t lba48 = 0;
    for (unsigned i = 0; i < 4; i++) lba48 |= (uint64_t)word(d, 100 + i) << (16 * i);
    printf("{\"event\":\"identify\",\"model\":");
    json_string(model);
    printf(",\"serial\":");
    json_string(serial);
    printf(",\"firmware\":");
    json_string(firmware);
    printf(",\"lba\":%s,\"dma\":%s,\"lba28_sectors\":%u,\"lba48_sectors\":%llu",
           (word(d, 49) & (1u << 9)) ? "true" : "false", (word(d, 49) & (1u << 8)) ? "true" : "false", lba28,
           (unsigned long long)lba48);
    printf(",\"mwdma_supported\":%u,\"mwdma_selected\":%d,\"udma_supported\":%u,\"udma_selected\":%d",
           word(d, 63) & 0x7, selected_mode(word(d, 63)), word(d, 88) & 0x7F, selected_mode(word(d, 88)));
    printf(",\"checksum\":\"%s\",\"words\":[", checksum_state(d));
    for (unsigned i = 0; i < 256; i++) printf("%s%u", i ? "," : "", word(d, i));
    printf("]}\n");
}
