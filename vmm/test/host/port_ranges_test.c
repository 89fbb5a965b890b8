/* SPDX-License-Identifier: MIT */
/* Which handler an intercepted port access reaches: the claimed ranges as ide_capture.c claims
 * the primary ATA channel (data port alone, then the seven command-block registers). */
#include "../../src/io/port_ranges.h"
#include "tap.h"

static const struct io_port_handler data_port = { .name = "data port" };
static const struct io_port_handler registers = { .name = "registers" };

static struct port_ranges ata_channel(void) {
    struct port_ranges t = { 0 };
    CHECK(port_ranges_add(&t, 0x1F0, 1, &data_port));
    CHECK(port_ranges_add(&t, 0x1F1, 7, &registers));
    CHECK(port_ranges_add(&t, 0x3F6, 1, &registers));
    return t;
}

static void byte_accesses_reach_their_port_handler(void) {
    struct port_ranges t = ata_channel();
    CHECK(port_ranges_handler(&t, 0x1F0) == &data_port);
    CHECK(port_ranges_handler(&t, 0x1F7) == &registers);
    CHECK(port_ranges_handler(&t, 0x1F8) == 0);
    CHECK(port_ranges_handler(&t, 0x1EF) == 0);
    CHECK(port_ranges_whole(&t, 0x1F7, 1));
}

/* The regression that stopped every AoE boot: a 16-bit data transfer covers 1F1h, which the
 * register handler claims; it is still one access to the data port, not bytes. */
static void word_and_dword_data_transfers_are_whole(void) {
    struct port_ranges t = ata_channel();
    CHECK(port_ranges_whole(&t, 0x1F0, 2));
    CHECK(port_ranges_whole(&t, 0x1F0, 4));
    CHECK(port_ranges_handler(&t, 0x1F0) == &data_port);
}

static void accesses_partly_the_hardwares_are_split(void) {
    struct port_ranges t = ata_channel();
    CHECK(!port_ranges_whole(&t, 0x1EE, 4)); /* 1EEh-1EFh unclaimed */
    CHECK(!port_ranges_whole(&t, 0x1F7, 2)); /* 1F8h unclaimed */
    CHECK(!port_ranges_whole(&t, 0x3F5, 2));
    CHECK(!port_ranges_whole(&t, 0xFFFF, 2)); /* wraps to port 0, unclaimed */
}

static void release_and_a_full_table(void) {
    struct port_ranges t = ata_channel();
    CHECK_EQ_U64(port_ranges_remove(&t, 0x1F1), 7);
    CHECK_EQ_U64(port_ranges_remove(&t, 0x1F1), 0);
    CHECK(port_ranges_handler(&t, 0x1F3) == 0);
    CHECK(port_ranges_handler(&t, 0x3F6) == &registers);
    CHECK(!port_ranges_whole(&t, 0x1F0, 2));
    while (t.count < PORT_RANGES_MAX) CHECK(port_ranges_add(&t, (uint16_t)(0x100 + t.count), 1, &registers));
    CHECK(!port_ranges_add(&t, 0x200, 1, &registers));
}

int main(void) {
    TEST(byte_accesses_reach_their_port_handler);
    TEST(word_and_dword_data_transfers_are_whole);
    TEST(accesses_partly_the_hardwares_are_split);
    TEST(release_and_a_full_table);
    return tap_finish();
}
