/* SPDX-License-Identifier: MIT */
/* ATA task-file and PCI IDE bus-master register layout, bits and command opcodes
 * (ATA/ATAPI-6 and -7, T13 ATA8-ACS; bus master as in Intel's PIIX3/4 and SFF-8038i). */
#ifndef ATA_ATA_REGS_H
#define ATA_ATA_REGS_H

#define ATA_SECTOR_BYTES 512u
#define ATA_LBA28_SECTORS (1ull << 28)
#define ATA_LBA48_SECTORS (1ull << 48)

/* Status (and Alternate Status). DSC is obsolete since ATA-4 but drivers still expect it set
 * on a ready disk, so an idle device reports DRDY|DSC (0x50). */
#define ATA_STATUS_ERR 0x01
#define ATA_STATUS_DRQ 0x08
#define ATA_STATUS_DSC 0x10
#define ATA_STATUS_DF 0x20
#define ATA_STATUS_DRDY 0x40
#define ATA_STATUS_BSY 0x80
#define ATA_STATUS_READY (ATA_STATUS_DRDY | ATA_STATUS_DSC)

/* Error. After a reset or EXECUTE DEVICE DIAGNOSTIC it holds the diagnostic code instead. */
#define ATA_ERROR_ABRT 0x04
#define ATA_ERROR_IDNF 0x10
#define ATA_ERROR_UNC 0x40
/* Device 0 passed, device 1 passed or absent. */
#define ATA_DIAGNOSTIC_PASSED 0x01

/* Device register. Bits 7 and 5 are obsolete (drivers write them as 1) and read back as
 * written. */
#define ATA_DEVICE_DEV 0x10
#define ATA_DEVICE_LBA 0x40
#define ATA_DEVICE_LBA28_HIGH_MASK 0x0F

/* Device Control. */
#define ATA_CONTROL_NIEN 0x02
#define ATA_CONTROL_SRST 0x04
#define ATA_CONTROL_HOB 0x80

/* Signature of an ATA (non-packet) device after reset or diagnostic: count, LBA low/mid/high. */
#define ATA_SIGNATURE_COUNT 0x01
#define ATA_SIGNATURE_LBA_LOW 0x01
#define ATA_SIGNATURE_LBA_MID 0x00
#define ATA_SIGNATURE_LBA_HIGH 0x00

/* CHECK POWER MODE answer in the count register: active or idle. */
#define ATA_POWER_MODE_ACTIVE 0xFF

/* IDENTIFY DEVICE words the channel owns or must keep consistent. */
#define ATA_ID_WORD_MULTIPLE_SETTING 59 /* bit 8 valid, bits 7:0 current sectors per block */
#define ATA_ID_MULTIPLE_SETTING_VALID 0x0100
#define ATA_ID_WORD_INTEGRITY 255 /* low byte 0xA5: high byte makes the byte sum 0 */
#define ATA_ID_INTEGRITY_SIGNATURE 0xA5
#define ATA_ID_WORD_MWDMA_MODES 63 /* bits 2:0: multiword DMA modes 0-2 supported */
#define ATA_ID_WORD_PIO_MODES 64   /* bits 1:0: PIO modes 3 and 4 supported (0-2 always are) */
#define ATA_ID_WORD_UDMA_MODES 88  /* bits 6:0: Ultra DMA modes 0-6 supported */

/* SET FEATURES subcommand (features register) 03h: the transfer mode in the count register,
 * as its type (bits 7:3) and mode number (bits 2:0). */
#define ATA_FEATURE_SET_TRANSFER_MODE 0x03
#define ATA_XFER_PIO_DEFAULT 0x00 /* 00h, or 01h: PIO default mode, IORDY disabled */
#define ATA_XFER_PIO_FLOW 0x08
#define ATA_XFER_MWDMA 0x20
#define ATA_XFER_UDMA 0x40
#define ATA_XFER_TYPE_MASK 0xF8
#define ATA_XFER_MODE_MASK 0x07

/* Largest SET MULTIPLE block: IDENTIFY word 47 is 8 bits wide and powers of two are valid. */
#define ATA_MULTIPLE_MAX_SECTORS 128

/* Bus-master command register. */
#define ATA_BM_COMMAND_START 0x01
#define ATA_BM_COMMAND_TO_MEMORY 0x08 /* "read/write control": set = device to memory */
#define ATA_BM_COMMAND_MASK (ATA_BM_COMMAND_START | ATA_BM_COMMAND_TO_MEMORY)

/* Bus-master status register. */
#define ATA_BM_STATUS_ACTIVE 0x01     /* read-only */
#define ATA_BM_STATUS_ERROR 0x02      /* write 1 to clear */
#define ATA_BM_STATUS_INTERRUPT 0x04  /* write 1 to clear; set on the rising edge of INTRQ */
#define ATA_BM_STATUS_DRIVE0_DMA 0x20 /* read/write, for the BIOS to tell the OS */
#define ATA_BM_STATUS_DRIVE1_DMA 0x40
#define ATA_BM_STATUS_WRITE_1_CLEAR (ATA_BM_STATUS_ERROR | ATA_BM_STATUS_INTERRUPT)
#define ATA_BM_STATUS_WRITABLE (ATA_BM_STATUS_DRIVE0_DMA | ATA_BM_STATUS_DRIVE1_DMA)

/* Physical region descriptor (8 bytes): base address, byte count (0 = 64 KiB), end of table.
 * Bit 0 of both address and count is reserved: the bus master moves 16-bit words. */
#define ATA_PRD_BYTES 8u
#define ATA_PRD_ADDRESS_MASK 0xFFFFFFFEu
#define ATA_PRD_COUNT_MASK 0xFFFEu
#define ATA_PRD_COUNT_ZERO_BYTES 0x10000u
#define ATA_PRD_END_OF_TABLE 0x80000000u
/* The table base is dword aligned (bits 1:0 read as 0); the table must not cross 64 KiB. */
#define ATA_PRD_TABLE_ADDRESS_MASK 0xFFFFFFFCu
#define ATA_PRD_TABLE_WINDOW 0x10000u

/* Command opcodes the channel knows; every other opcode is aborted. */
#define ATA_CMD_NOP 0x00
#define ATA_CMD_DEVICE_RESET 0x08
#define ATA_CMD_RECALIBRATE 0x10
#define ATA_CMD_READ_SECTORS 0x20
#define ATA_CMD_READ_SECTORS_NO_RETRY 0x21
#define ATA_CMD_READ_SECTORS_EXT 0x24
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_READ_NATIVE_MAX_EXT 0x27
#define ATA_CMD_READ_MULTIPLE_EXT 0x29
#define ATA_CMD_WRITE_SECTORS 0x30
#define ATA_CMD_WRITE_SECTORS_NO_RETRY 0x31
#define ATA_CMD_WRITE_SECTORS_EXT 0x34
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_WRITE_MULTIPLE_EXT 0x39
#define ATA_CMD_READ_VERIFY 0x40
#define ATA_CMD_READ_VERIFY_NO_RETRY 0x41
#define ATA_CMD_READ_VERIFY_EXT 0x42
#define ATA_CMD_SEEK 0x70
#define ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC 0x90
#define ATA_CMD_INITIALIZE_DEVICE_PARAMETERS 0x91
#define ATA_CMD_PACKET 0xA0
#define ATA_CMD_IDENTIFY_PACKET_DEVICE 0xA1
#define ATA_CMD_READ_MULTIPLE 0xC4
#define ATA_CMD_WRITE_MULTIPLE 0xC5
#define ATA_CMD_SET_MULTIPLE 0xC6
#define ATA_CMD_READ_DMA 0xC8
#define ATA_CMD_READ_DMA_NO_RETRY 0xC9
#define ATA_CMD_WRITE_DMA 0xCA
#define ATA_CMD_WRITE_DMA_NO_RETRY 0xCB
#define ATA_CMD_STANDBY_IMMEDIATE 0xE0
#define ATA_CMD_IDLE_IMMEDIATE 0xE1
#define ATA_CMD_STANDBY 0xE2
#define ATA_CMD_IDLE 0xE3
#define ATA_CMD_CHECK_POWER_MODE 0xE5
#define ATA_CMD_FLUSH_CACHE 0xE7
#define ATA_CMD_FLUSH_CACHE_EXT 0xEA
#define ATA_CMD_IDENTIFY_DEVICE 0xEC
#define ATA_CMD_SET_FEATURES 0xEF
#define ATA_CMD_READ_NATIVE_MAX 0xF8

#endif
