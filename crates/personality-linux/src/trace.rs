//! The system-call log (`cargo xtask run --trace`, kernel command line
//! `strace`): one line per call of every Linux program, as gVisor's
//! `--strace` prints them: pid/tid, name, arguments decoded by type, and
//! the result or the errno's name.
//!
//! The argument types live here, next to the syscall table, keyed by the
//! call's name; a call without a row prints its first three arguments in
//! hex. Off (the default), the dispatcher pays one relaxed atomic load.

use alloc::string::String;
use core::fmt::Write;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel_ops::KernelOps;
use linux_abi::fcntl::*;
use linux_abi::mman::*;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns the log on or off (the kernel does, from its command line).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

#[inline]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

use crate::signatures::signature;
pub use crate::signatures::{Arg, Ret, Set};
use Arg::*;

const MAX_STRING: usize = 64;

fn quote(out: &mut String, bytes: &[u8], truncated: bool) {
    out.push('"');
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
    if truncated {
        out.push_str("...");
    }
}

/// `names` of the bits set in `value`, joined by `|`, with what is left in hex.
fn flag_names(out: &mut String, value: u64, names: &[(u64, &str)], zero: Option<&str>) {
    let mut left = value;
    let mut first = true;
    if let Some(z) = zero {
        out.push_str(z);
        first = false;
    }
    for &(bit, name) in names {
        if bit != 0 && left & bit == bit {
            if !first {
                out.push('|');
            }
            out.push_str(name);
            left &= !bit;
            first = false;
        }
    }
    if left != 0 || first {
        if !first {
            out.push('|');
        }
        let _ = write!(out, "{left:#x}");
    }
}

fn open_flags(out: &mut String, v: u64) {
    let mode = match v & 3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    };
    let bits: &[(u64, &str)] = &[
        (O_CREAT as u64, "O_CREAT"),
        (O_EXCL as u64, "O_EXCL"),
        (O_NOCTTY as u64, "O_NOCTTY"),
        (O_TRUNC as u64, "O_TRUNC"),
        (O_APPEND as u64, "O_APPEND"),
        (O_NONBLOCK as u64, "O_NONBLOCK"),
        (O_DIRECTORY as u64, "O_DIRECTORY"),
        (O_NOFOLLOW as u64, "O_NOFOLLOW"),
        (O_CLOEXEC as u64, "O_CLOEXEC"),
        (O_PATH as u64, "O_PATH"),
        (O_LARGEFILE as u64, "O_LARGEFILE"),
    ];
    flag_names(out, v & !3, bits, Some(mode));
}

/// One argument as the log shows it (`next` is the following argument,
/// the length of a buffer).
pub fn format_arg(out: &mut String, ops: &mut dyn KernelOps, kind: Arg, v: u64, next: u64) {
    match kind {
        Int => {
            let _ = write!(out, "{}", v as i64);
        }
        Fd => {
            let _ = write!(out, "{}", v as i32);
        }
        Hex => {
            let _ = write!(out, "{v:#x}");
        }
        Len | Pid | Uid => {
            let _ = write!(out, "{}", v as i64);
        }
        Ptr | OutBuf | Iov | In(_) | Out(_) if v == 0 => out.push_str("NULL"),
        Ptr | OutBuf | Iov | In(_) | Out(_) => {
            let _ = write!(out, "{v:#x}");
        }
        DirFd if v as i32 == linux_abi::fcntl::AT_FDCWD => out.push_str("AT_FDCWD"),
        DirFd => {
            let _ = write!(out, "{}", v as i32);
        }
        Path => match ops.copy_in_cstring(v, 4096) {
            Ok(s) => quote(out, &s[..s.len().min(MAX_STRING)], s.len() > MAX_STRING),
            Err(_) => {
                let _ = write!(out, "{v:#x}");
            }
        },
        Buf => {
            let n = (next as usize).min(MAX_STRING);
            let mut buf = [0u8; MAX_STRING];
            match ops.copy_in(v, &mut buf[..n]) {
                Ok(()) => quote(out, &buf[..n], next as usize > MAX_STRING),
                Err(_) => {
                    let _ = write!(out, "{v:#x}");
                }
            }
        }
        OpenFlags => open_flags(out, v),
        Mode => {
            let _ = write!(out, "{v:#o}");
        }
        Prot => flag_names(
            out,
            v,
            &[(PROT_READ as u64, "PROT_READ"), (PROT_WRITE as u64, "PROT_WRITE"), (PROT_EXEC as u64, "PROT_EXEC")],
            (v == 0).then_some("PROT_NONE"),
        ),
        MapFlags => {
            let kind = match v as u32 & MAP_TYPE {
                MAP_SHARED => "MAP_SHARED",
                MAP_PRIVATE => "MAP_PRIVATE",
                MAP_SHARED_VALIDATE => "MAP_SHARED_VALIDATE",
                _ => "0",
            };
            let bits: &[(u64, &str)] = &[
                (MAP_FIXED as u64, "MAP_FIXED"),
                (MAP_ANONYMOUS as u64, "MAP_ANONYMOUS"),
                (MAP_NORESERVE as u64, "MAP_NORESERVE"),
                (MAP_POPULATE as u64, "MAP_POPULATE"),
                (MAP_STACK as u64, "MAP_STACK"),
                (MAP_GROWSDOWN as u64, "MAP_GROWSDOWN"),
                (MAP_DENYWRITE as u64, "MAP_DENYWRITE"),
                (MAP_FIXED_NOREPLACE as u64, "MAP_FIXED_NOREPLACE"),
            ];
            flag_names(out, v & !(MAP_TYPE as u64), bits, Some(kind));
        }
        Flags(set) if set.is_bits() => flag_names(out, v, set.values(), None),
        Flags(set) => match set.values().iter().find(|(value, _)| *value == v) {
            Some((_, name)) => out.push_str(name),
            None => {
                let _ = write!(out, "{}", v as i64);
            }
        },
        Signal => match linux_abi::signal::signal_name(v as u32) {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "{}", v as i64);
            }
        },
    }
}

/// `name(args...)`, read before the call runs (execve replaces the memory
/// its path is in).
pub fn describe_call(ops: &mut dyn KernelOps, name: &str, args: &[u64; 6]) -> String {
    let mut out = String::new();
    let _ = write!(out, "[{:>4}:{:>4}] {}(", ops.pid(), ops.tid(), name);
    let (kinds, _) = signature(name).unwrap_or((&[Hex, Hex, Hex], Ret::Int));
    for (i, kind) in kinds.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        // A write's buffer is shown; a read's is not filled yet (pointer).
        let next = args.get(i + 1).copied().unwrap_or(0);
        format_arg(&mut out, ops, *kind, args[i], next);
    }
    out.push(')');
    out
}

/// ` = result`, with -errno by name.
pub fn describe_result(out: &mut String, name: &str, raw: u64) {
    let v = raw as i64;
    if (-4095..0).contains(&v) {
        let _ = write!(out, " = -1 {} ({})", linux_abi::errno::errno_name((-v) as i32).unwrap_or("E?"), -v);
        return;
    }
    match signature(name).map(|(_, r)| r) {
        Some(Ret::Ptr) => {
            let _ = write!(out, " = {raw:#x}");
        }
        _ => {
            let _ = write!(out, " = {v}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_by_name() {
        let mut s = String::new();
        open_flags(&mut s, (O_WRONLY | O_CREAT | O_CLOEXEC) as u64);
        assert_eq!(s, "O_WRONLY|O_CREAT|O_CLOEXEC");
        let mut s = String::new();
        open_flags(&mut s, 0);
        assert_eq!(s, "O_RDONLY");
        let mut s = String::new();
        flag_names(&mut s, 0x3 | 0x100, &[(1, "A"), (2, "B")], None);
        assert_eq!(s, "A|B|0x100");
        let mut s = String::new();
        flag_names(&mut s, 0, &[(1, "A")], None);
        assert_eq!(s, "0x0");
    }

    #[test]
    fn results_and_strings() {
        let mut s = String::new();
        describe_result(&mut s, "openat", (-2i64) as u64);
        assert_eq!(s, " = -1 ENOENT (2)");
        let mut s = String::new();
        describe_result(&mut s, "mmap", 0x7f00_0000_0000);
        assert_eq!(s, " = 0x7f0000000000");
        let mut s = String::new();
        quote(&mut s, b"a\"b\n\x01", true);
        assert_eq!(s, "\"a\\\"b\\n\\x01\"...");
    }
}
