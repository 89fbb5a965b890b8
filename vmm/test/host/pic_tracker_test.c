/* SPDX-License-Identifier: MIT */
/* Following 8259A initialisation: BIOS defaults, the ICW sequences Linux and the BIOS write,
 * single mode, no ICW4, and OCWs that must not disturb the vector bases. */
#include "tap.h"
#include "irq/pic_tracker.h"

static struct pic_tracker t;

static void bios_defaults(void) {
    pic_tracker_reset(&t);
    CHECK_EQ_U64(pic_tracker_vector(&t, 0), 0x08);
    CHECK_EQ_U64(pic_tracker_vector(&t, 7), 0x0F);
    CHECK_EQ_U64(pic_tracker_vector(&t, 8), 0x70);
    CHECK_EQ_U64(pic_tracker_vector(&t, 14), 0x76);
}

static void linux_style_cascade_init(void) {
    pic_tracker_reset(&t);
    CHECK(!pic_tracker_write(&t, 0x20, 0x11)); /* ICW1: edge, cascade, ICW4 */
    CHECK(!pic_tracker_write(&t, 0x21, 0x30)); /* ICW2 */
    CHECK(!pic_tracker_write(&t, 0x21, 0x04)); /* ICW3: slave on IRQ2 */
    CHECK(pic_tracker_write(&t, 0x21, 0x01));  /* ICW4: 8086 mode: done */
    CHECK(!pic_tracker_write(&t, 0xA0, 0x11));
    CHECK(!pic_tracker_write(&t, 0xA1, 0x38));
    CHECK(!pic_tracker_write(&t, 0xA1, 0x02));
    CHECK(pic_tracker_write(&t, 0xA1, 0x01));
    CHECK_EQ_U64(pic_tracker_vector(&t, 0), 0x30);
    CHECK_EQ_U64(pic_tracker_vector(&t, 14), 0x3E);
}

static void ocws_leave_vectors_alone(void) {
    pic_tracker_reset(&t);
    CHECK(!pic_tracker_write(&t, 0x21, 0xFB)); /* OCW1: mask */
    CHECK(!pic_tracker_write(&t, 0x20, 0x20)); /* OCW2: non-specific EOI */
    CHECK(!pic_tracker_write(&t, 0xA0, 0x0B)); /* OCW3: read ISR */
    CHECK_EQ_U64(pic_tracker_vector(&t, 1), 0x09);
    CHECK_EQ_U64(pic_tracker_vector(&t, 9), 0x71);
}

static void single_mode_without_icw4(void) {
    pic_tracker_reset(&t);
    CHECK(!pic_tracker_write(&t, 0x20, 0x12)); /* ICW1: single, no ICW4 */
    CHECK(pic_tracker_write(&t, 0x21, 0x48));
    CHECK_EQ_U64(pic_tracker_vector(&t, 3), 0x4B);
    CHECK(!pic_tracker_write(&t, 0x21, 0xFF)); /* now an OCW1 */
    CHECK_EQ_U64(pic_tracker_vector(&t, 3), 0x4B);
}

static void icw2_low_bits_are_ignored(void) {
    pic_tracker_reset(&t);
    pic_tracker_write(&t, 0xA0, 0x13); /* ICW4, single */
    pic_tracker_write(&t, 0xA1, 0x7D);
    CHECK(pic_tracker_write(&t, 0xA1, 0x01));
    CHECK_EQ_U64(pic_tracker_vector(&t, 8), 0x78);
}

static void restarted_sequence_counts_from_icw1(void) {
    pic_tracker_reset(&t);
    pic_tracker_write(&t, 0x20, 0x11);
    pic_tracker_write(&t, 0x21, 0x20);
    pic_tracker_write(&t, 0x20, 0x11); /* ICW1 again before ICW3 */
    pic_tracker_write(&t, 0x21, 0x50);
    pic_tracker_write(&t, 0x21, 0x04);
    CHECK(pic_tracker_write(&t, 0x21, 0x01));
    CHECK_EQ_U64(pic_tracker_vector(&t, 0), 0x50);
}

int main(void) {
    TEST(bios_defaults);
    TEST(linux_style_cascade_init);
    TEST(ocws_leave_vectors_alone);
    TEST(single_mode_without_icw4);
    TEST(icw2_low_bits_are_ignored);
    TEST(restarted_sequence_counts_from_icw1);
    return tap_finish();
}
