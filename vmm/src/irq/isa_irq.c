/* SPDX-License-Identifier: MIT */
/* Delivering an emulated device's ISA interrupt where the guest expects it. */
#include "irq/interrupts.h"

#include "x86/cpu.h"

#define IOAPIC_BASE 0xFEC00000ull /* where PC firmware puts the (first) IOAPIC */
#define IOAPIC_SELECT 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))
#define IOAPIC_MASKED (1u << 16)
#define MSR_APIC_BASE 0x1B
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define MSR_X2APIC_SELF_IPI 0x83F
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define ICR_SHORTHAND_SELF (1u << 18)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_PENDING (1u << 12)

static volatile uint32_t *mmio32(uint64_t pa) { return (volatile uint32_t *)(uintptr_t)pa; }

/* Reads one IOAPIC register without disturbing the guest's register selection. */
static uint32_t ioapic_read(uint32_t reg) {
    volatile uint32_t *select = mmio32(IOAPIC_BASE + IOAPIC_SELECT);
    uint32_t saved = *select;
    *select = reg;
    uint32_t value = *mmio32(IOAPIC_BASE + IOAPIC_WINDOW);
    *select = saved;
    return value;
}

static void lapic_self_ipi(uint8_t vector) {
    uint64_t apic_base = rdmsr(MSR_APIC_BASE);
    if (apic_base & APIC_BASE_X2APIC) {
        wrmsr(MSR_X2APIC_SELF_IPI, vector);
        return;
    }
    uint64_t lapic = apic_base & 0xFFFFFF000ull;
    while (*mmio32(lapic + LAPIC_ICR_LOW) & ICR_PENDING) cpu_relax();
    *mmio32(lapic + LAPIC_ICR_HIGH) = 0;
    *mmio32(lapic + LAPIC_ICR_LOW) = ICR_SHORTHAND_SELF | ICR_LEVEL_ASSERT | vector;
}

static bool pic_masked(unsigned irq) {
    if (irq >= 8 && (inb(0x21) & (1u << 2))) return true; /* the cascade input */
    return inb(irq < 8 ? 0x21 : 0xA1) & (1u << (irq & 7));
}

bool interrupts_raise_isa(struct vcpu *v, unsigned irq) {
    uint64_t apic_base = rdmsr(MSR_APIC_BASE);
    if (apic_base & APIC_BASE_ENABLE) {
        uint32_t route = ioapic_read(IOAPIC_REDIRECTION(irq));
        if (route != 0xFFFFFFFFu && !(route & IOAPIC_MASKED)) {
            lapic_self_ipi((uint8_t)route);
            return true;
        }
    }
    if (pic_masked(irq)) return false;
    vcpu_inject_external_interrupt(v, interrupts_pic_vector(irq));
    return true;
}
