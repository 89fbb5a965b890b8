/* SPDX-License-Identifier: MIT */
#include "vmx/vmx_events.h"

uint32_t vmx_exception_event(uint8_t vector, bool has_error_code, bool protected_mode) {
    uint32_t event = vector | VMX_EVENT_TYPE_HARDWARE_EXCEPTION | VMX_EVENT_VALID;
    if (has_error_code && protected_mode) event |= VMX_EVENT_ERROR_CODE_VALID;
    return event;
}

bool vmx_acknowledged_vector(uint32_t info, uint8_t *vector) {
    if (!(info & VMX_EVENT_VALID) || (info & VMX_EVENT_TYPE_MASK) != VMX_EVENT_TYPE_EXTERNAL_INTERRUPT) return false;
    *vector = (uint8_t)(info & VMX_EVENT_VECTOR_MASK);
    return true;
}
