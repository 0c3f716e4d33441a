//! System calls with unchecked arguments, for tests that probe how the
//! kernel handles malformed ones. Programs should use [`crate::sys`].

pub use crate::syscall::IpcRegs;

/// Calls `nr` with six argument registers (pass 0 for the unused ones) and
/// returns `rax` undecoded (see [`abi::decode_result`]).
///
/// # Safety
///
/// The kernel acts on the arguments: a pointer to memory Rust considers
/// immutable or borrowed may be written, `mem_unmap` may remove memory in
/// use, `thread_create` may run arbitrary code. Pointers the kernel cannot
/// use (unmapped, kernel addresses) are safe: the call fails with
/// `BadAddress`.
pub unsafe fn syscall6(nr: u64, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> u64 {
    crate::syscall::syscall6(nr, a, b, c, d, e, f)
}

/// Calls `nr` as an IPC call and returns every register the kernel may set:
/// the result in `rax` and the (received) message in the others.
///
/// # Safety
///
/// As for [`syscall6`].
pub unsafe fn ipc(nr: u64, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> IpcRegs {
    crate::syscall::ipc(nr, [a, b, c, d, e, f])
}
