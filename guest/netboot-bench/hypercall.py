# SPDX-License-Identifier: MIT
"""Calls into our hypervisor from user space: VMMCALL with the function code in EAX, result in
EAX (ABI in vmm/include/hv/hypercall.h). Python cannot issue VMMCALL itself, so this maps one
executable page holding `mov eax, edi; vmmcall; ret` and calls it through ctypes. Without our
hypervisor VMMCALL raises #UD and the process dies of SIGILL: call only when one runs."""
import ctypes
import mmap

AOE_STATS_RESET = 0x564D0003
AOE_STATS_LOG = 0x564D0004
RESULTS = {0: "ok", 0xFFFFFFFE: "no AoE disk (the guest's disk is local)", 0xFFFFFFFF: "unknown function"}

_CODE = bytes([0x89, 0xF8, 0x0F, 0x01, 0xD9, 0xC3])   # mov eax, edi; vmmcall; ret
_page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
_page.write(_CODE)
_address = ctypes.addressof(ctypes.c_char.from_buffer(_page))
_vmmcall = ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_uint32)(_address)


def call(function):
    """Returns the hypervisor's answer; raises when it is an error code."""
    result = _vmmcall(function)
    if result != 0:
        raise RuntimeError(f"hypercall {function:#x}: {RESULTS.get(result, hex(result))}")
    return result
