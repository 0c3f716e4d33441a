//! ioctl: terminal requests and the generic descriptor ones.

use crate::util::{fd, read_bytes, write_u32};
use kernel_ops::{Error, KResult, KernelOps, StatusFlags, TermiosWhen, TtyReply, TtyRequest, WindowSize};
use linux_abi::ioctl::*;

pub fn ioctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    let arg = a[2];
    // An O_PATH descriptor does no I/O of any kind (Linux's fdget: EBADF).
    if ops.status_flags(f)?.0.path_only {
        return Err(Error::BadDescriptor);
    }
    match a[1] as u32 {
        TCGETS => {
            let t = ops.termios(f)?;
            ops.copy_out(arg, &crate::termios::to_linux(&t).to_bytes()).map(|_| 0)
        }
        // /dev/random and /dev/urandom: how many bits of entropy the pool
        // holds (full: the generator is seeded at boot).
        RNDGETENTCNT => {
            let st = ops.fstat(f)?;
            let random = crate::devices::device_at(st.meta.rdev.major, st.meta.rdev.minor, false);
            if !matches!(random, Some(kernel_ops::DeviceId::Random | kernel_ops::DeviceId::Urandom)) {
                return Err(Error::NotATerminal);
            }
            write_u32(ops, arg, 256).map(|_| 0)
        }
        // The System V `struct termio`: 16-bit flags and the first 8
        // control characters of the termios.
        TCGETA => {
            let t = ops.termios(f)?;
            ops.copy_out(arg, &termio_bytes(&t)).map(|_| 0)
        }
        req @ (TCSETA | TCSETAW | TCSETAF) => {
            let b = read_bytes::<TERMIO_SIZE>(ops, arg)?;
            let mut t = ops.termios(f)?;
            apply_termio(&mut t, &b);
            let when = match req {
                TCSETA => TermiosWhen::Now,
                TCSETAW => TermiosWhen::Drain,
                _ => TermiosWhen::Flush,
            };
            ops.set_termios(f, &t, when).map(|_| 0)
        }
        req @ (TCSETS | TCSETSW | TCSETSF) => {
            let b = read_bytes::<{ linux_abi::termios::Termios::SIZE }>(ops, arg)?;
            let asked = linux_abi::termios::Termios::from_bytes(&b).ok_or(Error::Fault)?;
            let when = match req {
                TCSETS => TermiosWhen::Now,
                TCSETSW => TermiosWhen::Drain,
                _ => TermiosWhen::Flush,
            };
            ops.set_termios(f, &crate::termios::from_linux(&asked), when).map(|_| 0)
        }
        TIOCGWINSZ => match ops.tty_request(f, TtyRequest::GetWindowSize)? {
            TtyReply::WindowSize(ws) => {
                let mut b = [0u8; 8];
                b[0..2].copy_from_slice(&ws.rows.to_le_bytes());
                b[2..4].copy_from_slice(&ws.cols.to_le_bytes());
                ops.copy_out(arg, &b).map(|_| 0)
            }
            _ => Err(Error::NotATerminal),
        },
        TIOCSWINSZ => {
            let b = read_bytes::<8>(ops, arg)?;
            let ws = WindowSize { rows: u16::from_le_bytes([b[0], b[1]]), cols: u16::from_le_bytes([b[2], b[3]]) };
            ops.tty_request(f, TtyRequest::SetWindowSize(ws)).map(|_| 0)
        }
        TIOCGPGRP => match ops.tty_request(f, TtyRequest::GetForegroundGroup)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        TIOCSPGRP => {
            let pgrp = u32::from_le_bytes(read_bytes::<4>(ops, arg)?);
            if (pgrp as i32) < 0 {
                return Err(Error::InvalidArgument);
            }
            ops.tty_request(f, TtyRequest::SetForegroundGroup(pgrp)).map(|_| 0)
        }
        TIOCGSID => match ops.tty_request(f, TtyRequest::GetSession)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        TIOCSCTTY => ops.tty_request(f, TtyRequest::SetControlling { steal: arg == 1 }).map(|_| 0),
        TIOCNOTTY => ops.tty_request(f, TtyRequest::ReleaseControlling).map(|_| 0),
        TCFLSH => {
            let (input, output) = match arg {
                0 => (true, false),
                1 => (false, true),
                2 => (true, true),
                _ => return Err(Error::InvalidArgument),
            };
            ops.tty_request(f, TtyRequest::Flush { input, output }).map(|_| 0)
        }
        TCSBRK | TCXONC => ops.termios(f).map(|_| 0),
        TIOCGPTN => match ops.tty_request(f, TtyRequest::PtyNumber)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        TIOCSPTLCK => {
            let lock = u32::from_le_bytes(read_bytes::<4>(ops, arg)?) != 0;
            ops.tty_request(f, TtyRequest::SetPtyLock(lock)).map(|_| 0)
        }
        TIOCGPTLCK => match ops.tty_request(f, TtyRequest::GetPtyLock)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        TIOCGPTPEER => {
            // The argument is open(2) flags for the slave.
            let raw = arg as u32;
            let flags = crate::util::open_flags(raw);
            match ops.tty_request(
                f,
                TtyRequest::OpenPtyPeer { flags, close_on_exec: raw & linux_abi::fcntl::O_CLOEXEC != 0 },
            )? {
                TtyReply::Value(fd) => Ok(u64::from(fd)),
                _ => Err(Error::NotATerminal),
            }
        }
        FIONREAD => match ops.tty_request(f, TtyRequest::BytesReadable)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        // SIOCOUTQ has TIOCOUTQ's number.
        TIOCOUTQ => match ops.tty_request(f, TtyRequest::BytesUnsent)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        SIOCATMARK => match ops.tty_request(f, TtyRequest::AtUrgentMark)? {
            TtyReply::Value(v) => write_u32(ops, arg, v).map(|_| 0),
            _ => Err(Error::NotATerminal),
        },
        FIONBIO => {
            let on = u32::from_le_bytes(read_bytes::<4>(ops, arg)?) != 0;
            let (_, s) = ops.status_flags(f)?;
            ops.set_status_flags(f, StatusFlags { non_blocking: on, ..s }).map(|_| 0)
        }
        FIOCLEX => ops.set_close_on_exec(f, true).map(|_| 0),
        FIONCLEX => ops.set_close_on_exec(f, false).map(|_| 0),
        req => {
            if let Some(result) = super::net_device::ioctl(ops, f, req, arg) {
                return result;
            }
            if let Some(result) = super::block::ioctl(ops, f, req, arg) {
                return result;
            }
            ops.status_flags(f)?;
            // Probing ioctls on non-terminals are normal; report them quietly.
            let _ = req;
            Err(Error::NotATerminal)
        }
    }
}

/// `struct termio`: four u16 flags, the line discipline, NCC (8) control
/// characters, and a byte of padding.
const TERMIO_SIZE: usize = 18;
const NCC: usize = 8;

fn termio_bytes(t: &tty::Termios) -> [u8; TERMIO_SIZE] {
    let mut b = [0u8; TERMIO_SIZE];
    for (i, flag) in [t.iflag, t.oflag, t.cflag, t.lflag].into_iter().enumerate() {
        b[2 * i..2 * i + 2].copy_from_slice(&(flag as u16).to_le_bytes());
    }
    b[8] = t.line;
    b[9..9 + NCC].copy_from_slice(&t.cc[..NCC]);
    b
}

/// Linux's TCSETA: the low 16 bits of each flag word come from the
/// termio, the high bits stay; the line and the first NCC characters too.
fn apply_termio(t: &mut tty::Termios, b: &[u8; TERMIO_SIZE]) {
    let word = |i: usize| u32::from(u16::from_le_bytes([b[2 * i], b[2 * i + 1]]));
    t.iflag = (t.iflag & 0xffff_0000) | word(0);
    t.oflag = (t.oflag & 0xffff_0000) | word(1);
    t.cflag = (t.cflag & 0xffff_0000) | word(2);
    t.lflag = (t.lflag & 0xffff_0000) | word(3);
    t.line = b[8];
    t.cc[..NCC].copy_from_slice(&b[9..9 + NCC]);
}

#[cfg(test)]
mod termio_tests {
    use super::*;

    #[test]
    fn termio_round_trips_and_keeps_high_bits() {
        let mut t = tty::Termios::default_console();
        t.cflag |= 0x1_0000;
        let b = termio_bytes(&t);
        let mut u = t;
        u.iflag = 0;
        u.cc[0] = 0;
        apply_termio(&mut u, &b);
        assert_eq!(u.iflag, t.iflag & 0xffff);
        assert_eq!(u.cflag, t.cflag, "the high bits of cflag stay");
        assert_eq!(u.cc[..NCC], t.cc[..NCC]);
    }
}
