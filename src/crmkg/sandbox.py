"""Take the network away from the current process: a seccomp filter that refuses ``socket()``.

Defence in depth for processes that handle untrusted input (the SPARQL workers): whatever a query
makes the engine attempt, it cannot open a connection, because it cannot create a socket. The filter
is a six-instruction classic BPF program installed with ``prctl``/``seccomp`` through ctypes (no
library needed); it also refuses ``io_uring_setup`` (io_uring can open sockets without the
``socket`` system call) and, on x86-64, the x32 and 32-bit system call tables. It applies to every
thread of the process and to anything it starts, and cannot be removed.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

# (audit architecture, socket, io_uring_setup, seccomp) per machine; other machines are not filtered.
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_ABS_W, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06


class _Filter(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))


def _program(audit_arch: int, socket_nr: int, io_uring_nr: int) -> bytes:
    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    return b"".join(
        (
            op(_LD_ABS_W, 0, 0, 4),  # seccomp_data.arch
            op(_JEQ_K, 1, 0, audit_arch),
            op(_RET_K, 0, 0, _RET_ERRNO | errno.EPERM),  # another system call table: refused
            op(_LD_ABS_W, 0, 0, 0),  # seccomp_data.nr
            op(_JGE_K, 3, 0, 0x40000000),  # x32 numbers
            op(_JEQ_K, 2, 0, socket_nr),
            op(_JEQ_K, 1, 0, io_uring_nr),
            op(_RET_K, 0, 0, _RET_ALLOW),
            op(_RET_K, 0, 0, _RET_ERRNO | errno.EACCES),
        )
    )


def deny_network() -> str | None:
    """Install the filter; ``None`` when installed, else why it could not be (the caller reports it)."""
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}: the process keeps its network access"
    machine = platform.machine()
    if machine not in _ARCHES:
        return f"no seccomp filter for the {machine} architecture: the process keeps its network access"
    audit_arch, socket_nr, io_uring_nr, seccomp_nr = _ARCHES[machine]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno(), '?')}"
    code = _program(audit_arch, socket_nr, io_uring_nr)
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _Filter(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.syscall(seccomp_nr, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog)) == 0:
        return None
    first_error = ctypes.get_errno()
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0:
        return None  # older kernels: this thread (and threads it starts) only — call before starting threads
    return f"seccomp could not be installed: {errno.errorcode.get(first_error, '?')}"
