/* SPDX-License-Identifier: MIT */
/* Helpers for the probe's JSON-lines output on stdout. */
#ifndef JSON_H
#define JSON_H
#include <stdint.h>

/* Prints s as a JSON string literal (quotes and escapes included). */
void json_string(const char *s);
/* Prints a MAC address as a JSON string "aa:bb:cc:dd:ee:ff". */
void json_mac(const uint8_t mac[6]);

#endif
