/* SPDX-License-Identifier: MIT */
#include "io/io_ports.h"
#include "port_ranges.h"

#include "console/log.h"
#include "hv/guest_memory.h"
#include "x86/cpu.h"

#define STRING_CHUNK 4096
#define RFLAGS_DF (1ull << 10)

static struct port_ranges claimed;

void io_ports_claim(struct vcpu *v, uint16_t first, uint16_t count, const struct io_port_handler *handler) {
    if (!port_ranges_add(&claimed, first, count, handler)) panic("too many claimed I/O port ranges\n");
    for (uint32_t port = first; port < (uint32_t)first + count; port++) vcpu_intercept_io_port(v, (uint16_t)port, true);
}

void io_ports_release(struct vcpu *v, uint16_t first) {
    uint16_t count = port_ranges_remove(&claimed, first);
    for (uint32_t port = first; port < (uint32_t)first + count; port++)
        vcpu_intercept_io_port(v, (uint16_t)port, false);
}

static const struct io_port_handler *handler_for(uint16_t port) { return port_ranges_handler(&claimed, port); }

/* An access that is not whole (port_ranges_whole): each byte goes where a byte access to its
 * port would, to its handler or to the hardware, as the bus splits it; the guest gets the bytes
 * put together. */
static uint32_t split_read(void *ctx, uint16_t port, unsigned size) {
    (void)ctx;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint16_t p = (uint16_t)(port + i);
        const struct io_port_handler *h = handler_for(p);
        uint32_t byte = h ? h->read(h->ctx, p, 1) & 0xFF : inb(p);
        value |= byte << (8 * i);
    }
    return value;
}

static void split_write(void *ctx, uint16_t port, unsigned size, uint32_t value) {
    (void)ctx;
    for (unsigned i = 0; i < size; i++) {
        uint16_t p = (uint16_t)(port + i);
        const struct io_port_handler *h = handler_for(p);
        uint8_t byte = (uint8_t)(value >> (8 * i));
        if (h)
            h->write(h->ctx, p, 1, byte);
        else
            outb(p, byte);
    }
}

static const struct io_port_handler split_handler = {
    .name = "byte-split access",
    .read = split_read,
    .write = split_write,
};

static uint64_t address_mask(unsigned address_size) {
    return address_size == 8 ? ~0ull : (1ull << (address_size * 8)) - 1;
}

/* Writes `value` into a register as an instruction with this address size would: 16-bit keeps
 * the upper bits, 32-bit zero-extends, 64-bit replaces. */
static void set_sized(uint64_t *reg, uint64_t value, unsigned address_size) {
    if (address_size == 2)
        *reg = (*reg & ~0xFFFFull) | (value & 0xFFFF);
    else if (address_size == 4)
        *reg = (uint32_t)value;
    else
        *reg = value;
}

static void port_in(const struct io_port_handler *h, const struct io_exit *e, uint64_t *rax) {
    uint32_t value = h->read(h->ctx, e->port, e->size);
    if (e->size == 1)
        *rax = (*rax & ~0xFFull) | (value & 0xFF);
    else if (e->size == 2)
        *rax = (*rax & ~0xFFFFull) | (value & 0xFFFF);
    else
        *rax = value; /* a 32-bit IN zero-extends into RAX */
}

static size_t string_units(const struct io_port_handler *h, const struct io_exit *e, uint8_t *buf, size_t count) {
    if (e->in && h->read_string) return h->read_string(h->ctx, e->port, e->size, buf, count);
    if (!e->in && h->write_string) return h->write_string(h->ctx, e->port, e->size, buf, count);
    for (size_t i = 0; i < count; i++) {
        uint8_t *unit = buf + i * e->size;
        if (e->in) {
            uint32_t value = h->read(h->ctx, e->port, e->size);
            for (unsigned b = 0; b < e->size; b++) unit[b] = (uint8_t)(value >> (8 * b));
        } else {
            uint32_t value = 0;
            for (unsigned b = 0; b < e->size; b++) value |= (uint32_t)unit[b] << (8 * b);
            h->write(h->ctx, e->port, e->size, value);
        }
    }
    return count;
}

/* REP INS/OUTS: moves the data in chunks between the handler and guest memory. Forward
 * direction (DF=0) moves whole chunks; DF=1 (never used by disk drivers) one unit at a time. */
static void port_string(struct vcpu *v, const struct io_port_handler *h, const struct io_exit *e) {
    uint64_t mask = address_mask(e->address_size);
    uint64_t remaining = e->rep ? v->gprs.rcx & mask : 1;
    bool backwards = vcpu_rflags(v) & RFLAGS_DF;
    uint64_t *index = e->in ? &v->gprs.rdi : &v->gprs.rsi;
    enum insn_segment seg = e->in ? SEG_ES : (e->segment == SEG_NONE ? SEG_DS : (enum insn_segment)e->segment);
    uint64_t base = vcpu_segment_base(v, seg);
    static uint8_t buffer[STRING_CHUNK];

    while (remaining) {
        size_t units = backwards ? 1 : (remaining < STRING_CHUNK / e->size ? remaining : STRING_CHUNK / e->size);
        uint64_t offset = *index & mask;
        /* Only as many units as the guest's memory takes: the CPU checks the memory operand
         * before the port access, so a unit that would fault is not read from the device. */
        struct guest_fault fault;
        size_t reachable = guest_linear_reachable(v, base + offset, units * e->size, e->in, &fault);
        if (reachable < e->size) {
            if (!fault.page_fault)
                panic("%s guest-physical memory the guest does not own at linear %lx\n",
                      e->in ? "INS into" : "OUTS from", fault.linear);
            /* rCX and rSI/rDI count the units done; the guest's handler resumes the instruction. */
            vcpu_inject_page_fault(v, fault.linear, fault.error);
            return;
        }
        if (reachable < units * e->size) units = reachable / e->size;
        size_t bytes = units * e->size;
        if (!e->in && !guest_linear_read(v, base + offset, buffer, bytes))
            panic("OUTS from unmapped guest memory at %lx\n", base + offset);
        size_t moved = string_units(h, e, buffer, units);
        if (moved < units) {
            /* The device stopped early: like a real bus, reads float high and writes vanish. */
            for (size_t b = moved * e->size; b < bytes; b++) buffer[b] = 0xFF;
            moved = units;
        }
        if (e->in && !guest_linear_write(v, base + offset, buffer, moved * e->size))
            panic("INS into unmapped guest memory at %lx\n", base + offset);
        uint64_t step = moved * e->size;
        set_sized(index, backwards ? offset - step : offset + step, e->address_size);
        remaining -= moved;
        if (e->rep) set_sized(&v->gprs.rcx, remaining, e->address_size);
    }
    vcpu_set_rip(v, e->next_rip);
}

void io_exit_handle(struct vcpu *v, const struct io_exit *e) {
    const struct io_port_handler *h = handler_for(e->port);
    if (!(h && h->data_register) && !port_ranges_whole(&claimed, e->port, e->size)) {
        static bool reported;
        if (!reported)
            log_printf("I/O: %u-byte access at port %x spans claimed and other ports: split into bytes\n", e->size,
                       e->port);
        reported = true;
        h = &split_handler;
    }
    if (e->string) {
        port_string(v, h, e);
        return;
    }
    if (e->in)
        port_in(h, e, &v->gprs.rax);
    else
        h->write(h->ctx, e->port, e->size, (uint32_t)v->gprs.rax);
    vcpu_set_rip(v, e->next_rip);
}
