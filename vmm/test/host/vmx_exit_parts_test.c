/* SPDX-License-Identifier: MIT */
/* The VT-x backend's pure exit-side parts: the I/O and MSR bitmaps' bit positions, event
 * injection and acknowledged-interrupt fields, and control-register accesses (decode, and what a
 * guest's CR0/CR4 write becomes under VMX's fixed bits). Values from the Intel SDM vol. 3. */
#include <stdlib.h>

#include "tap.h"
#include "vmx/vmx_bitmaps.h"
#include "vmx/vmx_cr.h"
#include "vmx/vmx_events.h"
#include "vmx_caps_fixture.h"

static uint8_t a[VMX_BITMAP_BYTES], b[VMX_BITMAP_BYTES], msr[VMX_BITMAP_BYTES];

static unsigned bits_set(const uint8_t *bitmap) {
    unsigned n = 0;
    for (unsigned i = 0; i < VMX_BITMAP_BYTES; i++) n += (unsigned)__builtin_popcount(bitmap[i]);
    return n;
}

static void io_bitmaps(void) {
    memset(a, 0, sizeof a), memset(b, 0, sizeof b);
    vmx_io_bitmap_set(a, b, 0x1F0, true); /* the primary IDE command block */
    CHECK_EQ_U64(a[0x1F0 / 8], 1u << (0x1F0 % 8));
    vmx_io_bitmap_set(a, b, 0x3F6, true);
    CHECK_EQ_U64(a[0x3F6 / 8], 1u << (0x3F6 % 8));
    vmx_io_bitmap_set(a, b, 0xC000, true); /* a bus-master block: bitmap B, bit C000h - 8000h */
    CHECK_EQ_U64(b[0x4000 / 8], 1);
    vmx_io_bitmap_set(a, b, 0xFFFF, true);
    CHECK_EQ_U64(b[0xFFF], 0x80);
    CHECK_EQ_U64(bits_set(a), 2);
    CHECK_EQ_U64(bits_set(b), 2);
    vmx_io_bitmap_set(a, b, 0x1F0, false);
    CHECK_EQ_U64(a[0x1F0 / 8], 0);
    CHECK_EQ_U64(bits_set(a), 1);
}

static void msr_bitmap(void) {
    memset(msr, 0, sizeof msr);
    /* IA32_FEATURE_CONTROL (3Ah) reads: low reads at byte 0 */
    CHECK(vmx_msr_bitmap_set(msr, 0x3A, true, false));
    CHECK_EQ_U64(msr[0x3A / 8], 1u << (0x3A % 8));
    CHECK_EQ_U64(msr[2048 + 0x3A / 8], 0);
    /* EFER (C0000080h): high reads at 1024, high writes at 3072 */
    CHECK(vmx_msr_bitmap_set(msr, 0xC0000080u, true, true));
    CHECK_EQ_U64(msr[1024 + 0x80 / 8], 1);
    CHECK_EQ_U64(msr[3072 + 0x80 / 8], 1);
    /* the VMX capability MSRs (480h-491h), read-intercepted so the guest sees no VMX */
    for (uint32_t m = 0x480; m <= 0x491; m++) CHECK(vmx_msr_bitmap_set(msr, m, true, true));
    CHECK_EQ_U64(bits_set(msr), 1 + 2 + 2 * 18);
    /* outside both ranges every access exits anyway: nothing to set */
    CHECK(!vmx_msr_bitmap_set(msr, 0xC0010000u, true, true));
    CHECK(!vmx_msr_bitmap_set(msr, 0x2000, true, true));
    CHECK_EQ_U64(bits_set(msr), 1 + 2 + 2 * 18);
}

static void events(void) {
    /* #GP with its error code in protected mode; none in real mode, which pushes none */
    CHECK_EQ_U64(vmx_exception_event(13, true, true), 0x80000B0Du);
    CHECK_EQ_U64(vmx_exception_event(13, true, false), 0x8000030Du);
    CHECK_EQ_U64(vmx_exception_event(6, false, true), 0x80000306u);
    CHECK_EQ_U64(vmx_external_interrupt_event(0x76), 0x80000076u); /* IRQ 14 behind the PIC at 70h */
    uint8_t vector = 0;
    CHECK(vmx_acknowledged_vector(0x800000ECu, &vector));
    CHECK_EQ_U64(vector, 0xEC);
    CHECK(!vmx_acknowledged_vector(0x000000ECu, &vector)); /* not valid */
    CHECK(!vmx_acknowledged_vector(0x80000202u, &vector)); /* an NMI */
}

static void control_register_accesses(void) {
    /* MOV CR0, RBX: CR 0, type 0, register 3 */
    struct vmx_cr_access mov = vmx_decode_cr_access(0x300);
    CHECK_EQ_U64(mov.cr, 0);
    CHECK_EQ_U64(mov.type, VMX_CR_MOV_TO);
    CHECK_EQ_U64(mov.gpr, 3);
    /* MOV R12, CR4 */
    struct vmx_cr_access from = vmx_decode_cr_access(0xC14);
    CHECK_EQ_U64(from.cr, 4);
    CHECK_EQ_U64(from.type, VMX_CR_MOV_FROM);
    CHECK_EQ_U64(from.gpr, 12);
    /* LMSW 0x0011 */
    struct vmx_cr_access lmsw = vmx_decode_cr_access(0x00110030);
    CHECK_EQ_U64(lmsw.type, VMX_CR_LMSW);
    CHECK_EQ_U64(lmsw.lmsw_source, 0x11);

    struct vmx_capabilities caps = capable_cpu();
    /* Linux switching to protected mode (PE, ET) and later paging with NE: the CPU runs with NE
     * either way; the guest reads back what it wrote */
    struct vmx_cr_values pe = vmx_guest_cr0_write(&caps, 0x11);
    CHECK_EQ_U64(pe.actual, 0x31);
    CHECK_EQ_U64(pe.shadow, 0x11);
    struct vmx_cr_values paging = vmx_guest_cr0_write(&caps, 0x80050033u);
    CHECK_EQ_U64(paging.actual, 0x80050033u);
    CHECK_EQ_U64(paging.shadow, 0x80050033u);
    /* back to real mode (unrestricted guest allows PE = PG = 0) */
    CHECK_EQ_U64(vmx_guest_cr0_write(&caps, 0x10).actual, 0x30);
    /* CR4: VMXE always on underneath, never seen */
    struct vmx_cr_values pae = vmx_guest_cr4_write(&caps, 0x20);
    CHECK_EQ_U64(pae.actual, 0x2020);
    CHECK_EQ_U64(pae.shadow, 0x20);
}

int main(void) {
    TEST(io_bitmaps);
    TEST(msr_bitmap);
    TEST(events);
    TEST(control_register_accesses);
    return tap_finish();
}
