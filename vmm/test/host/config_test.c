/* SPDX-License-Identifier: MIT */
/* The multiboot command-line options: defaults, every key, and the error messages. */
#include "tap.h"
#include "boot/config.h"

#include <string.h>

static struct hv_config parsed;
static char error[200];

static bool parse(const char *line) {
    error[0] = '\0';
    return config_parse(line, &parsed, error, sizeof error);
}

static void defaults_when_empty(void) {
    CHECK(parse(""));
    CHECK_EQ_U64(parsed.console_port, 0x2F8);
    CHECK_EQ_U64(parsed.memory_mib, 32);
    CHECK_EQ_U64(parsed.boot_drive, 0x80);
    CHECK(!parsed.verbose);
    CHECK(parse(0));
}

static void image_name_first_word_is_skipped(void) {
    CHECK(parse("/boot/vmm.elf console=com1"));
    CHECK_EQ_U64(parsed.console_port, 0x3F8);
    CHECK(parse("vmm.elf"));
}

static void every_key(void) {
    CHECK(parse("vmm.elf console=0x3e8 vmm_mem=64 boot_drive=0x81 verbose=1"));
    CHECK_EQ_U64(parsed.console_port, 0x3E8);
    CHECK_EQ_U64(parsed.memory_mib, 64);
    CHECK_EQ_U64(parsed.boot_drive, 0x81);
    CHECK(parsed.verbose);
    CHECK(parse("  console=com2   vmm_mem=8  "));
    CHECK_EQ_U64(parsed.memory_mib, 8);
}

static void unknown_key_names_it(void) {
    CHECK(!parse("vmm.elf colsole=com1"));
    CHECK(!strcmp(
        error,
        "unknown option 'colsole' (known keys: console, vmm_mem, boot_drive, verbose, aoe, mtu, aoe_wait, aoe_deadline, hypercalls, ata_regs, aoe_completion, aoe_share)"));
}

static void word_without_equals_after_the_first(void) {
    CHECK(!parse("vmm.elf quiet"));
    CHECK(strstr(error, "option 'quiet' has no '='") != 0);
}

static void bad_values_say_what_is_accepted(void) {
    CHECK(!parse("x vmm_mem=7"));
    CHECK(!strcmp(error, "bad value for 'vmm_mem': expected an even number of MiB from 8 to 1024"));
    CHECK(!parse("x vmm_mem=2048"));
    CHECK(!parse("x vmm_mem=33"));
    CHECK(!parse("x vmm_mem="));
    CHECK(!parse("x boot_drive=0x7f"));
    CHECK(!parse("x console=com3"));
    CHECK(!parse("x verbose=yes"));
    CHECK(!parse("x vmm_mem=0x"));
    CHECK(!parse("x vmm_mem=99999999999"));
}

/* The network disk options (AoE engineer's addition). */
static void aoe_options(void) {
    CHECK(parse("x"));
    CHECK(!parsed.aoe);
    CHECK_EQ_U64(parsed.mtu, 1500);
    CHECK_EQ_U64(parsed.aoe_wait_s, 30);
    CHECK(parse("x aoe=auto mtu=9000 aoe_wait=7"));
    CHECK(parsed.aoe);
    CHECK_EQ_U64(parsed.aoe_shelf, 0xFFFF);
    CHECK_EQ_U64(parsed.aoe_slot, 0xFF);
    CHECK_EQ_U64(parsed.mtu, 9000);
    CHECK_EQ_U64(parsed.aoe_wait_s, 7);
    CHECK(parse("x aoe=3.7"));
    CHECK_EQ_U64(parsed.aoe_shelf, 3);
    CHECK_EQ_U64(parsed.aoe_slot, 7);
    CHECK(!parse("x aoe=3"));
    CHECK(!strcmp(error, "bad value for 'aoe': expected auto or <shelf>.<slot> such as 0.1"));
    CHECK(!parse("x aoe=65535.1")); /* the wildcard is not an address */
    CHECK(!parse("x aoe=1.255"));
    CHECK(!parse("x aoe=1."));
    CHECK(!parse("x mtu=1400"));
    CHECK(!parse("x aoe_wait=0"));
    CHECK_EQ_U64(parsed.aoe_deadline_s, 180); /* Linux's aoe driver fails a device after 180 s */
    CHECK(parse("x aoe_deadline=0"));         /* retry forever */
    CHECK_EQ_U64(parsed.aoe_deadline_s, 0);
    CHECK(parse("x aoe_deadline=20"));
    CHECK_EQ_U64(parsed.aoe_deadline_s, 20);
    CHECK(!parse("x aoe_deadline=86401"));
    CHECK(!strcmp(error, "bad value for 'aoe_deadline': expected seconds from 0 (retry forever) to 86400"));
    CHECK(parse("x"));
    CHECK(!parsed.user_hypercalls); /* ring 0 only unless asked */
    CHECK(parse("x hypercalls=any"));
    CHECK(parsed.user_hypercalls);
    CHECK(parse("x hypercalls=kernel"));
    CHECK(!parsed.user_hypercalls);
    CHECK(!parse("x hypercalls=user"));
    CHECK(!strcmp(error, "bad value for 'hypercalls': expected kernel (ring 0 only) or any (user space too)"));
    CHECK(parse("x"));
    CHECK(!parsed.split_registers); /* the whole task file trapped unless asked */
    CHECK(parse("x ata_regs=split"));
    CHECK(parsed.split_registers);
    CHECK(parse("x ata_regs=all"));
    CHECK(!parsed.split_registers);
    CHECK(!parse("x ata_regs=paper"));
    CHECK(!strcmp(error,
                  "bad value for 'ata_regs': expected all (trap the whole task file) or split (count and LBA at the "
                  "real device)"));
    CHECK(parse("x"));
    CHECK(!parsed.blocking_completion); /* the paper's asynchronous completion unless asked */
    CHECK(parse("x aoe_completion=blocking"));
    CHECK(parsed.blocking_completion);
    CHECK(parse("x aoe_completion=async"));
    CHECK(!parsed.blocking_completion);
    CHECK(!parse("x aoe_completion=sync"));
    CHECK(!strcmp(error,
                  "bad value for 'aoe_completion': expected async (the guest runs while frames are in flight) "
                  "or blocking (the exit waits for the answer)"));
    CHECK(parse("x"));
    CHECK_EQ_U64(parsed.aoe_share_percent, 50);
    CHECK(parse("x aoe_share=90"));
    CHECK_EQ_U64(parsed.aoe_share_percent, 90);
    CHECK(!parse("x aoe_share=100")); /* 100 would never give the guest a turn: that is aoe_completion=blocking */
    CHECK(!parse("x aoe_share=0"));
    CHECK(!strcmp(error,
                  "bad value for 'aoe_share': expected a percentage from 1 to 99 (the network disk's CPU share "
                  "while the guest computes)"));
}

int main(void) {
    TEST(defaults_when_empty);
    TEST(image_name_first_word_is_skipped);
    TEST(every_key);
    TEST(unknown_key_names_it);
    TEST(word_without_equals_after_the_first);
    TEST(bad_values_say_what_is_accepted);
    TEST(aoe_options);
    return tap_finish();
}
