/* SPDX-License-Identifier: MIT */
#include "x86/host_cpu.h"

#include <stdint.h>

#include "console/log.h"
#include "x86/cpu.h"

#define HOST_TRAP_COUNT 22 /* exceptions 0-21 */
#define IDT_ENTRIES 256
#define ENTRY_STRIDE 16 /* both entry tables align each stub to 16 bytes */

struct trap_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
} __attribute__((packed));

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern const char host_trap_entries[];
extern const char host_interrupt_entries[];

volatile int64_t host_interrupt_vector = -1;

static const uint64_t host_gdt[] = {
    0, 0x00AF9A000000FFFFull, /* 0x08: 64-bit code */
    0x00CF92000000FFFFull,    /* 0x10: data */
};
static struct idt_gate host_idt[HOST_TRAP_COUNT];
static struct idt_gate interrupt_idt[IDT_ENTRIES];

void host_exception(const struct trap_frame *f) {
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    panic("host exception %lu (error %lx) at rip %lx, cr2 %lx, rsp %lx\n", f->vector, f->error_code, f->rip, cr2,
          f->rsp);
}

static struct idt_gate gate(const char *entry) {
    uint64_t handler = (uint64_t)(uintptr_t)entry;
    return (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = 0x08,
        .ist = 0,
        .type_attr = 0x8E, /* present, ring 0, 64-bit interrupt gate */
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
        .reserved = 0,
    };
}

void host_cpu_init(void) {
    struct descriptor_pointer gdtr = { sizeof host_gdt - 1, (uint64_t)(uintptr_t)host_gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl $0x10, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     :
                     : "m"(gdtr)
                     : "rax", "memory");
    for (unsigned v = 0; v < HOST_TRAP_COUNT; v++) host_idt[v] = gate(host_trap_entries + v * ENTRY_STRIDE);
    for (unsigned v = 0; v < IDT_ENTRIES; v++) interrupt_idt[v] = gate(host_interrupt_entries + v * ENTRY_STRIDE);
    host_idt_for_interrupts(false);
}

void host_idt_for_interrupts(bool on) {
    struct descriptor_pointer idtr = on
        ? (struct descriptor_pointer){ sizeof interrupt_idt - 1, (uint64_t)(uintptr_t)interrupt_idt }
        : (struct descriptor_pointer){ sizeof host_idt - 1, (uint64_t)(uintptr_t)host_idt };
    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}
