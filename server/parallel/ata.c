/* SPDX-License-Identifier: MIT */
/* ATA commands for aoe-parallel (see ata.h). The answers follow our patched vblade exactly,
 * so that either server can stand behind the same client and tests. */
#include "ata.h"

#include <stdio.h>
#include <string.h>

enum {
    /* error register */
    UNC = 1 << 6,
    IDNF = 1 << 4,
    ABRT = 1 << 2,
    /* status register */
    DRDY = 1 << 6,
    ERR = 1 << 0,
    /* table flags */
    L48 = 1 << 0,    /* 48-bit LBA */
    WR = 1 << 1,     /* writes the medium */
    MULT = 1 << 2,   /* READ/WRITE MULTIPLE: needs multiple mode */
    SLEEPY = 1 << 3, /* power command that enters standby */
    /* SET FEATURES 03h mode classes */
    XFER_PIO_FLOW = 0x08,
    XFER_MWDMA = 0x20,
    XFER_UDMA = 0x40,
    MWDMA_MODES = 0x0007, /* modes 0-2 (word 63) */
    UDMA_MODES = 0x003f,  /* modes 0-5 (word 88) */
};

#define LBA28_MAX 0x0fffffffu
/* The IDENTIFY strings are vblade's: the guest sees the same disk whichever server runs. */
#define MODEL "vblade AoE disk (VMM netboot)"
#define FIRMWARE "V25nb"

void ata_drive_init(ata_drive *d, uint64_t size, unsigned max_sectors, bool readonly, bool syncflush,
                    const char *serial) {
    memset(d, 0, sizeof *d);
    d->size = size;
    d->max_sectors = max_sectors;
    d->readonly = readonly;
    d->syncflush = syncflush;
    snprintf(d->serial, sizeof d->serial, "%s", serial);
    /* power-on: fastest UDMA, PIO 4, caches on, active, multiple mode off, 16/63 translation */
    d->dmamode = XFER_UDMA | 5;
    d->piomode = XFER_PIO_FLOW | 4;
    d->wcache = d->lookahead = 1;
    d->power = 0xff;
    d->heads = 16;
    d->spt = 63;
}

static void refuse_abrt(ata_regs *r) {
    r->status = DRDY | ERR;
    r->err = ABRT;
}

static void succeed(ata_regs *r) {
    r->status = DRDY;
    r->err = 0;
}

/* IDNF for a range past the end; the answer names the LBA asked for. */
static void past_end(ata_regs *r, uint64_t lba) {
    r->status = DRDY | ERR;
    r->err = IDNF;
    r->lba = lba;
    r->lbaout = true;
}

static uint64_t cmd_lba(const ata_regs *r, int flags) { return r->lba & (flags & L48 ? 0xffffffffffffull : LBA28_MAX); }

/* ATA strings: two characters per word, the first in the high byte, padded with spaces. */
static void put_string(uint16_t *w, int first, int chars, const char *s) {
    size_t n = strlen(s);
    for (int i = 0; i < chars; i += 2) {
        uint8_t hi = (size_t)i < n ? (uint8_t)s[i] : ' ';
        uint8_t lo = (size_t)i + 1 < n ? (uint8_t)s[i + 1] : ' ';
        w[first + i / 2] = (uint16_t)(hi << 8 | lo);
    }
}

static void identify_words(const ata_drive *d, uint16_t *w) {
    memset(w, 0, 512);
    uint64_t cyl = d->size / (16 * 63);
    w[0] = 0x0040;                                /* fixed ATA device */
    w[1] = (uint16_t)(cyl > 16383 ? 16383 : cyl); /* default CHS for BIOSes */
    w[3] = 16;
    w[6] = 63;
    put_string(w, 10, 20, d->serial);
    put_string(w, 23, 8, FIRMWARE);
    put_string(w, 27, 40, MODEL);
    w[47] = 0x8010; /* MULTIPLE: up to 16 sectors per block */
    w[49] = 0x0f00; /* IORDY, LBA, DMA */
    w[50] = 0x4000;
    w[51] = 0x0200;
    w[53] = 0x0007; /* words 54-58, 64-70 and 88 valid */
    uint64_t cur = d->size / (d->heads * d->spt);
    if (cur > 65535) cur = 65535;
    uint32_t capacity = (uint32_t)(cur * d->heads * d->spt);
    w[54] = (uint16_t)cur;
    w[55] = d->heads;
    w[56] = d->spt;
    w[57] = (uint16_t)capacity;
    w[58] = (uint16_t)(capacity >> 16);
    w[59] = d->multiple ? (uint16_t)(0x0100 | d->multiple) : 0;
    uint32_t lba28 = d->size & ~(uint64_t)LBA28_MAX ? LBA28_MAX : (uint32_t)d->size;
    w[60] = (uint16_t)lba28;
    w[61] = (uint16_t)(lba28 >> 16);
    /* the one selected DMA mode shows as bit 8 + mode of its class's word */
    int mode = d->dmamode & 7;
    w[63] = (uint16_t)(MWDMA_MODES | ((d->dmamode & 0xf8) == XFER_MWDMA ? 1 << (8 + mode) : 0));
    w[88] = (uint16_t)(UDMA_MODES | ((d->dmamode & 0xf8) == XFER_UDMA ? 1 << (8 + mode) : 0));
    w[64] = 0x0003; /* PIO 3 and 4 */
    w[65] = w[66] = w[67] = w[68] = 120;
    w[80] = 0x01f0;
    w[82] = 0x0068; /* power management, write cache, look-ahead */
    w[83] = 0x7400; /* 48-bit, FLUSH CACHE (EXT) */
    w[84] = 0x4000;
    w[85] = (uint16_t)(0x0008 | (d->wcache ? 0x0020 : 0) | (d->lookahead ? 0x0040 : 0));
    w[86] = 0x3400;
    w[87] = 0x4000;
    w[93] = 0x600b; /* device 0, 80-conductor cable */
    for (int i = 0; i < 3; i++) w[100 + i] = (uint16_t)(d->size >> (16 * i));
}

/* IDENTIFY DEVICE: 512 bytes, little-endian words, signature A5h and checksum in word 255. */
static ata_io identify(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    uint16_t w[256];
    if (d->max_sectors < 1) { /* no room for a sector (MTU below 548) */
        io.action = ATA_REFUSE;
        return io;
    }
    identify_words(d, w);
    uint8_t sum = 0xa5;
    for (int i = 0; i < 255; i++) {
        data[2 * i] = (uint8_t)w[i];
        data[2 * i + 1] = (uint8_t)(w[i] >> 8);
        sum = (uint8_t)(sum + data[2 * i] + data[2 * i + 1]);
    }
    data[510] = 0xa5;
    data[511] = (uint8_t)-sum;
    succeed(r);
    r->sectors = 0;
    r->nout = 512;
    return io;
}

static ata_io rw(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_REFUSE, 0, 0 };
    uint64_t lba = cmd_lba(r, flags);
    if (!(flags & WR) != !r->wflag) return io; /* W flag and opcode disagree on the direction */
    if (r->sectors > d->max_sectors) return io;
    io.action = ATA_DONE;
    if ((flags & MULT) && d->multiple == 0) {
        refuse_abrt(r);
        return io;
    }
    if (lba + r->sectors > d->size) {
        past_end(r, lba);
        return io;
    }
    if (flags & WR) {
        if (r->payload < 512u * r->sectors) { /* the frame must carry the data */
            io.action = ATA_REFUSE;
            return io;
        }
        if (d->readonly) {
            refuse_abrt(r);
            return io;
        }
    }
    d->power = 0xff; /* media access wakes the drive */
    io.action = flags & WR ? ATA_WRITE : ATA_READ;
    io.lba = lba;
    io.sectors = r->sectors;
    return io;
}

static ata_io verify(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_REFUSE, 0, 0 };
    uint64_t lba = cmd_lba(r, flags);
    if (d->max_sectors < 1) return io;
    io.action = ATA_DONE;
    if (lba + r->sectors > d->size) {
        past_end(r, lba);
        return io;
    }
    io.action = ATA_VERIFY;
    io.lba = lba;
    io.sectors = r->sectors;
    return io;
}

/* SET FEATURES: the state shows in IDENTIFY; cache switches are accepted as a disk would
 * (the server's page cache is governed by -d, not by the host). */
static ata_io features(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    uint8_t v = r->sectors;
    int mode = v & 7;
    succeed(r);
    switch (r->feature) {
    case 0x03: { /* transfer mode in the count: PIO default, PIO flow 0-4, MWDMA 0-2, UDMA 0-5 */
        bool ok = false;
        switch (v & 0xf8) {
        case 0x00: ok = mode <= 1; break;
        case XFER_PIO_FLOW: ok = mode <= 4; break;
        case XFER_MWDMA: ok = (MWDMA_MODES >> mode) & 1; break;
        case XFER_UDMA: ok = (UDMA_MODES >> mode) & 1; break;
        }
        if (!ok) break;
        if ((v & 0xf8) == XFER_MWDMA || (v & 0xf8) == XFER_UDMA)
            d->dmamode = v;
        else
            d->piomode = v;
        return io;
    }
    case 0x02:
    case 0x82: d->wcache = r->feature == 0x02; return io;
    case 0xaa:
    case 0x55: d->lookahead = r->feature == 0xaa; return io;
    case 0x66:
    case 0xcc: return io; /* reverting to power-on defaults: accepted */
    }
    refuse_abrt(r);
    return io;
}

/* FLUSH CACHE (EXT): acknowledged like vblade 25 (the page cache is the volatile cache the
 * experiments measure); with -f it reaches the medium. */
static ata_io flush(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { d->syncflush ? ATA_FLUSH : ATA_DONE, 0, 0 };
    succeed(r);
    r->dir = 'f';
    return io;
}

static ata_io nativemax(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    uint64_t max = d->size - 1;
    if (flags & L48)
        r->lba = max;
    else /* keep the device register bits (LBA mode) of byte 3 */
        r->lba = (r->lba & 0xf0000000ull) | (max > LBA28_MAX - 1 ? LBA28_MAX - 1 : max);
    r->lbaout = true;
    succeed(r);
    return io;
}

static ata_io power(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    d->power = flags & SLEEPY ? 0x00 : 0xff;
    succeed(r);
    return io;
}

static ata_io checkpower(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    succeed(r);
    r->sectors = d->power; /* 00h standby, FFh active or idle */
    return io;
}

/* INITIALIZE DEVICE PARAMETERS: heads from the device register's low nibble, sectors per track
 * from the count. */
static ata_io initparams(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    if (r->sectors == 0) {
        refuse_abrt(r);
        return io;
    }
    d->heads = (uint8_t)(((r->lba >> 24) & 0xf) + 1);
    d->spt = r->sectors;
    succeed(r);
    return io;
}

/* SET MULTIPLE MODE: 0 disables, else a power of two up to word 47's 16. */
static ata_io setmultiple(ata_drive *d, ata_regs *r, uint8_t *data, int flags) {
    ata_io io = { ATA_DONE, 0, 0 };
    unsigned n = r->sectors;
    if (n > 16 || (n & (n - 1))) {
        refuse_abrt(r);
        return io;
    }
    d->multiple = (uint8_t)n;
    succeed(r);
    return io;
}

typedef ata_io handler(ata_drive *, ata_regs *, uint8_t *, int);

static const struct {
    uint8_t cmd;
    handler *fn;
    int flags;
} commands[] = {
    { 0x20, rw, 0 },               /* READ SECTORS */
    { 0x24, rw, L48 },             /* READ SECTORS EXT */
    { 0x30, rw, WR },              /* WRITE SECTORS */
    { 0x34, rw, WR | L48 },        /* WRITE SECTORS EXT */
    { 0xc8, rw, 0 },               /* READ DMA */
    { 0x25, rw, L48 },             /* READ DMA EXT */
    { 0xca, rw, WR },              /* WRITE DMA */
    { 0x35, rw, WR | L48 },        /* WRITE DMA EXT */
    { 0xc4, rw, MULT },            /* READ MULTIPLE */
    { 0x29, rw, MULT | L48 },      /* READ MULTIPLE EXT */
    { 0xc5, rw, MULT | WR },       /* WRITE MULTIPLE */
    { 0x39, rw, MULT | WR | L48 }, /* WRITE MULTIPLE EXT */
    { 0x40, verify, 0 },           /* READ VERIFY SECTORS */
    { 0x42, verify, L48 },         /* READ VERIFY SECTORS EXT */
    { 0xec, identify, 0 },         /* IDENTIFY DEVICE */
    { 0xef, features, 0 },         /* SET FEATURES */
    { 0xe7, flush, 0 },            /* FLUSH CACHE */
    { 0xea, flush, L48 },          /* FLUSH CACHE EXT */
    { 0xf8, nativemax, 0 },        /* READ NATIVE MAX ADDRESS */
    { 0x27, nativemax, L48 },      /* READ NATIVE MAX ADDRESS EXT */
    { 0xe0, power, SLEEPY },       /* STANDBY IMMEDIATE */
    { 0xe2, power, SLEEPY },       /* STANDBY */
    { 0xe6, power, SLEEPY },       /* SLEEP */
    { 0xe1, power, 0 },            /* IDLE IMMEDIATE */
    { 0xe3, power, 0 },            /* IDLE */
    { 0xe5, checkpower, 0 },       /* CHECK POWER MODE */
    { 0x91, initparams, 0 },       /* INITIALIZE DEVICE PARAMETERS */
    { 0xc6, setmultiple, 0 },      /* SET MULTIPLE MODE */
};

ata_io ata_begin(ata_drive *d, ata_regs *r, uint8_t *data, size_t room) {
    r->status = r->err = 0;
    r->nout = r->nbytes = 0;
    r->lbaout = false;
    r->dir = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (commands[i].cmd != r->cmd) continue;
        if (commands[i].fn == identify && room < 512) return (ata_io){ ATA_REFUSE, 0, 0 };
        return commands[i].fn(d, r, data, commands[i].flags);
    }
    ata_io io = { ATA_DONE, 0, 0 };
    refuse_abrt(r); /* unknown opcode */
    return io;
}

void ata_complete(ata_drive *d, ata_regs *r, const ata_io *io, long result) {
    long done = result < 0 ? 0 : result / 512; /* whole sectors moved */
    switch (io->action) {
    case ATA_READ:
    case ATA_WRITE:
        if (done > io->sectors) done = io->sectors;
        if ((unsigned long)done != io->sectors) {
            r->status = DRDY | ERR;
            r->err = ABRT;
        } else
            succeed(r);
        r->lba += (uint64_t)done;
        r->sectors = (uint8_t)(r->sectors - done);
        r->nbytes = (unsigned)done * 512;
        if (io->action == ATA_READ) r->nout = r->nbytes;
        r->dir = io->action == ATA_WRITE ? 'w' : 'r';
        break;
    case ATA_VERIFY:
        if ((unsigned long)done < io->sectors) {
            r->status = DRDY | ERR;
            r->err = UNC;
            r->lba = io->lba + (uint64_t)done;
            r->lbaout = true;
            break;
        }
        d->power = 0xff;
        r->sectors = 0;
        succeed(r);
        break;
    case ATA_FLUSH:
        if (result < 0) refuse_abrt(r);
        break;
    default: break;
    }
}
