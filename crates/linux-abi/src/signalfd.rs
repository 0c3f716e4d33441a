//! `signalfd`/`signalfd4` (`linux/signalfd.h`): flags, and the 128-byte
//! `struct signalfd_siginfo` a read returns per signal.
//!
//! ```text
//!  0 ssi_signo u32 |  4 ssi_errno i32 |  8 ssi_code i32 | 12 ssi_pid u32
//! 16 ssi_uid u32   | 20 ssi_fd i32    | 24 ssi_tid u32  | 28 ssi_band u32
//! 32 ssi_overrun u32 | 36 ssi_trapno u32 | 40 ssi_status i32 | 44 ssi_int i32
//! 48 ssi_ptr u64 | 56 ssi_utime u64 | 64 ssi_stime u64 | 72 ssi_addr u64
//! 80 ssi_addr_lsb u16 | 82 pad | 84 ssi_syscall i32 | 88 ssi_call_addr u64
//! 96 ssi_arch u32 | 100..128 zero
//! ```
//!
//! Which fields are filled follows from the signal's `siginfo_t` layout
//! ([`crate::siginfo::siginfo_layout`]), as the kernel's
//! `signalfd_copyinfo` does: the rest stay zero.

use crate::siginfo::{SigFields, Siginfo};
use crate::wire::{get_i32, get_u16, get_u32, get_u64, prefix, put_i32, put_u16, put_u32, put_u64};

/// The same bit as `O_CLOEXEC`.
pub const SFD_CLOEXEC: u32 = 0o2000000;
/// The same bit as `O_NONBLOCK`.
pub const SFD_NONBLOCK: u32 = 0o4000;
/// Every flag `signalfd4` accepts.
pub const SFD_FLAGS: u32 = SFD_CLOEXEC | SFD_NONBLOCK;

/// `struct signalfd_siginfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignalfdSiginfo {
    pub signo: u32,
    pub errno: i32,
    pub code: i32,
    pub pid: u32,
    pub uid: u32,
    pub fd: i32,
    pub tid: u32,
    pub band: u32,
    pub overrun: u32,
    pub trapno: u32,
    pub status: i32,
    pub int: i32,
    pub ptr: u64,
    pub utime: u64,
    pub stime: u64,
    pub addr: u64,
    pub addr_lsb: u16,
    pub syscall: i32,
    pub call_addr: u64,
    pub arch: u32,
}

impl SignalfdSiginfo {
    pub const SIZE: usize = 128;
    pub const OFF_SIGNO: usize = 0;
    pub const OFF_ERRNO: usize = 4;
    pub const OFF_CODE: usize = 8;
    pub const OFF_PID: usize = 12;
    pub const OFF_UID: usize = 16;
    pub const OFF_FD: usize = 20;
    pub const OFF_TID: usize = 24;
    pub const OFF_BAND: usize = 28;
    pub const OFF_OVERRUN: usize = 32;
    pub const OFF_TRAPNO: usize = 36;
    pub const OFF_STATUS: usize = 40;
    pub const OFF_INT: usize = 44;
    pub const OFF_PTR: usize = 48;
    pub const OFF_UTIME: usize = 56;
    pub const OFF_STIME: usize = 64;
    pub const OFF_ADDR: usize = 72;
    pub const OFF_ADDR_LSB: usize = 80;
    pub const OFF_SYSCALL: usize = 84;
    pub const OFF_CALL_ADDR: usize = 88;
    pub const OFF_ARCH: usize = 96;

    /// What a read returns for the signal `si` describes: the live union
    /// member's fields copied, as the kernel's `signalfd_copyinfo`.
    pub fn from_siginfo(si: &Siginfo) -> Self {
        let mut s = SignalfdSiginfo { signo: si.signo, errno: si.errno, code: si.code, ..Default::default() };
        match si.fields {
            SigFields::Kill { pid, uid } => {
                s.pid = pid as u32;
                s.uid = uid;
            }
            SigFields::Rt { pid, uid, value } => {
                s.pid = pid as u32;
                s.uid = uid;
                s.ptr = value;
                s.int = value as i32;
            }
            SigFields::Timer { tid, overrun, value } => {
                s.tid = tid as u32;
                s.overrun = overrun as u32;
                s.ptr = value;
                s.int = value as i32;
            }
            SigFields::Chld { pid, uid, status, utime, stime } => {
                s.pid = pid as u32;
                s.uid = uid;
                s.status = status;
                s.utime = utime as u64;
                s.stime = stime as u64;
            }
            SigFields::Fault { addr }
            | SigFields::FaultBndErr { addr, .. }
            | SigFields::FaultPkuErr { addr, .. }
            | SigFields::FaultPerfEvent { addr, .. } => s.addr = addr,
            SigFields::FaultMceErr { addr, addr_lsb } => {
                s.addr = addr;
                s.addr_lsb = addr_lsb as u16;
            }
            SigFields::Poll { band, fd } => {
                s.band = band as u32;
                s.fd = fd;
            }
            SigFields::Sys { call_addr, syscall, arch } => {
                s.call_addr = call_addr;
                s.syscall = syscall;
                s.arch = arch;
            }
        }
        s
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, Self::OFF_SIGNO, self.signo);
        put_i32(&mut b, Self::OFF_ERRNO, self.errno);
        put_i32(&mut b, Self::OFF_CODE, self.code);
        put_u32(&mut b, Self::OFF_PID, self.pid);
        put_u32(&mut b, Self::OFF_UID, self.uid);
        put_i32(&mut b, Self::OFF_FD, self.fd);
        put_u32(&mut b, Self::OFF_TID, self.tid);
        put_u32(&mut b, Self::OFF_BAND, self.band);
        put_u32(&mut b, Self::OFF_OVERRUN, self.overrun);
        put_u32(&mut b, Self::OFF_TRAPNO, self.trapno);
        put_i32(&mut b, Self::OFF_STATUS, self.status);
        put_i32(&mut b, Self::OFF_INT, self.int);
        put_u64(&mut b, Self::OFF_PTR, self.ptr);
        put_u64(&mut b, Self::OFF_UTIME, self.utime);
        put_u64(&mut b, Self::OFF_STIME, self.stime);
        put_u64(&mut b, Self::OFF_ADDR, self.addr);
        put_u16(&mut b, Self::OFF_ADDR_LSB, self.addr_lsb);
        put_i32(&mut b, Self::OFF_SYSCALL, self.syscall);
        put_u64(&mut b, Self::OFF_CALL_ADDR, self.call_addr);
        put_u32(&mut b, Self::OFF_ARCH, self.arch);
        b
    }

    /// Decodes a record (what a program reading the descriptor sees).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(SignalfdSiginfo {
            signo: get_u32(b, Self::OFF_SIGNO),
            errno: get_i32(b, Self::OFF_ERRNO),
            code: get_i32(b, Self::OFF_CODE),
            pid: get_u32(b, Self::OFF_PID),
            uid: get_u32(b, Self::OFF_UID),
            fd: get_i32(b, Self::OFF_FD),
            tid: get_u32(b, Self::OFF_TID),
            band: get_u32(b, Self::OFF_BAND),
            overrun: get_u32(b, Self::OFF_OVERRUN),
            trapno: get_u32(b, Self::OFF_TRAPNO),
            status: get_i32(b, Self::OFF_STATUS),
            int: get_i32(b, Self::OFF_INT),
            ptr: get_u64(b, Self::OFF_PTR),
            utime: get_u64(b, Self::OFF_UTIME),
            stime: get_u64(b, Self::OFF_STIME),
            addr: get_u64(b, Self::OFF_ADDR),
            addr_lsb: get_u16(b, Self::OFF_ADDR_LSB),
            syscall: get_i32(b, Self::OFF_SYSCALL),
            call_addr: get_u64(b, Self::OFF_CALL_ADDR),
            arch: get_u32(b, Self::OFF_ARCH),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siginfo::*;
    use crate::signal::{SIGCHLD, SIGRTMIN, SIGUSR1};
    use proptest::prelude::*;
    use std::vec;

    #[test]
    fn flags_are_the_open_flags() {
        assert_eq!(SFD_CLOEXEC, crate::fcntl::O_CLOEXEC);
        assert_eq!(SFD_NONBLOCK, crate::fcntl::O_NONBLOCK);
    }

    #[test]
    fn a_queued_signal_carries_pid_uid_and_value() {
        let r = SignalfdSiginfo::from_siginfo(&Siginfo::queue(SIGUSR1, 42, 1000, 0x1_0000_0007));
        let b = r.to_bytes();
        assert_eq!(&b[0..4], &SIGUSR1.to_le_bytes());
        assert_eq!(&b[8..12], &SI_QUEUE.to_le_bytes());
        assert_eq!(&b[12..16], &42u32.to_le_bytes());
        assert_eq!(&b[16..20], &1000u32.to_le_bytes());
        assert_eq!(&b[44..48], &7i32.to_le_bytes(), "ssi_int: the value's low half");
        assert_eq!(&b[48..56], &0x1_0000_0007u64.to_le_bytes(), "ssi_ptr: the whole value");
        assert!(b[100..].iter().all(|&x| x == 0));
    }

    #[test]
    fn a_child_and_a_timer_fill_their_own_fields() {
        let c = SignalfdSiginfo::from_siginfo(&Siginfo::child(CLD_EXITED, 9, 0, 3, 0, 0));
        assert_eq!((c.signo, c.code, c.pid, c.status), (SIGCHLD, CLD_EXITED, 9, 3));
        let t = SignalfdSiginfo::from_siginfo(&Siginfo::timer(SIGRTMIN, 4, 2, 77));
        assert_eq!((t.code, t.tid, t.overrun, t.ptr, t.int, t.pid), (SI_TIMER, 4, 2, 77, 77, 0));
    }

    proptest! {
        #[test]
        fn round_trip(signo: u32, code: i32, pid: u32, uid: u32, fd: i32, ptr: u64, addr: u64, lsb: u16, arch: u32) {
            let s = SignalfdSiginfo { signo, code, pid, uid, fd, ptr, addr, addr_lsb: lsb, arch, ..Default::default() };
            prop_assert_eq!(SignalfdSiginfo::from_bytes(&s.to_bytes()), Some(s));
        }

        #[test]
        fn short_input_is_refused(len in 0usize..128) {
            prop_assert_eq!(SignalfdSiginfo::from_bytes(&vec![0u8; len]), None);
        }
    }
}
