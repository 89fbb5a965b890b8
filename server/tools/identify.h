/* SPDX-License-Identifier: MIT */
/* Prints the IDENTIFY DEVICE data a target returned as one JSON line. */
#ifndef IDENTIFY_H
#define IDENTIFY_H
#include <stdint.h>

void identify_print(const uint8_t data[512]);

#endif
