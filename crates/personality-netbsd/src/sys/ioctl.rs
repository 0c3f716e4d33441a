//! ioctl: the generic descriptor requests (sys/sys/filio.h) and the
//! terminal ones (sys/sys/ttycom.h), numbered with BSD's _IOC encoding
//! (direction in the top 3 bits, the argument's size in bits 16-28, group
//! and number below: NetBSD's numbers are FreeBSD's for these). Anything
//! else is ENOTTY, NetBSD's answer for a request the file does not know.

use super::fd;
use super::termios;
use kernel_ops::{Error, KResult, KernelOps, StatusFlags, TermiosWhen, TtyReply, TtyRequest, Whence, WindowSize};

/// _IO('f', 1): set close-on-exec.
pub const FIOCLEX: u32 = 0x2000_6601;
/// _IO('f', 2): clear close-on-exec.
pub const FIONCLEX: u32 = 0x2000_6602;
/// _IOR('f', 127, int): bytes ready to read.
pub const FIONREAD: u32 = 0x4004_667f;
/// _IOW('f', 126, int): set or clear non-blocking I/O.
pub const FIONBIO: u32 = 0x8004_667e;
/// _IOW('f', 125, int), _IOW('f', 124, int), _IOR('f', 123, int),
/// _IOR('f', 121, int), _IOR('f', 120, int): async I/O, the SIGIO owner,
/// bytes not yet sent and the room left to send (not implemented).
const FIOASYNC: u32 = 0x8004_667d;
const FIOSETOWN: u32 = 0x8004_667c;
const FIOGETOWN: u32 = 0x4004_667b;
const FIONWRITE: u32 = 0x4004_6679;
const FIONSPACE: u32 = 0x4004_6678;
/// _IOR('t', 19, struct termios).
pub const TIOCGETA: u32 = 0x402c_7413;
/// _IOW('t', 20/21/22, struct termios): set now, after output drains,
/// after it drains and pending input is dropped.
pub const TIOCSETA: u32 = 0x802c_7414;
pub const TIOCSETAW: u32 = 0x802c_7415;
pub const TIOCSETAF: u32 = 0x802c_7416;
/// _IOR('t', 104, struct winsize) and _IOW('t', 103, struct winsize).
pub const TIOCGWINSZ: u32 = 0x4008_7468;
pub const TIOCSWINSZ: u32 = 0x8008_7467;
/// _IOR('t', 119, int) and _IOW('t', 118, int).
pub const TIOCGPGRP: u32 = 0x4004_7477;
pub const TIOCSPGRP: u32 = 0x8004_7476;
/// _IO('t', 97) and _IO('t', 113): take or drop a controlling terminal
/// (Go's exec with Setctty or Noctty; not implemented).
const TIOCSCTTY: u32 = 0x2000_7461;
const TIOCNOTTY: u32 = 0x2000_7471;

fn read_array<const N: usize>(ops: &mut dyn KernelOps, at: u64) -> KResult<[u8; N]> {
    let mut b = [0u8; N];
    ops.copy_in(at, &mut b)?;
    Ok(b)
}

fn write_int(ops: &mut dyn KernelOps, at: u64, v: i32) -> KResult<u64> {
    ops.copy_out(at, &v.to_le_bytes()).map(|_| 0)
}

/// ioctl(fd, request, arg). The request is a u_long, but only its low 32
/// bits are a request (NetBSD's sys_ioctl takes `com` as u_long and every
/// request fits in 32 bits; the upper half selects nothing).
pub fn ioctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    let arg = a[2];
    ops.status_flags(f)?;
    match a[1] as u32 {
        FIOCLEX => ops.set_close_on_exec(f, true).map(|_| 0),
        FIONCLEX => ops.set_close_on_exec(f, false).map(|_| 0),
        FIONBIO => {
            let on = i32::from_le_bytes(read_array::<4>(ops, arg)?) != 0;
            let (_, s) = ops.status_flags(f)?;
            ops.set_status_flags(f, StatusFlags { non_blocking: on, ..s }).map(|_| 0)
        }
        FIONREAD => {
            let st = ops.fstat(f)?;
            // A file or directory: what lies between the offset and the
            // end (vn_ioctl); other kinds say what they hold.
            let n = if matches!(st.meta.file_type, vfs::FileType::Regular | vfs::FileType::Directory) {
                let at = ops.seek(f, 0, Whence::Current)?;
                st.meta.size.saturating_sub(at)
            } else {
                match ops.tty_request(f, TtyRequest::BytesReadable)? {
                    TtyReply::Value(v) => u64::from(v),
                    _ => return Err(Error::NotATerminal),
                }
            };
            write_int(ops, arg, n.min(i32::MAX as u64) as i32)
        }
        TIOCGETA => {
            let t = ops.termios(f)?;
            ops.copy_out(arg, &termios::encode(&t)).map(|_| 0)
        }
        req @ (TIOCSETA | TIOCSETAW | TIOCSETAF) => {
            let current = ops.termios(f)?;
            let b = read_array::<{ termios::SIZE }>(ops, arg)?;
            let t = termios::decode(&b, &current).ok_or(Error::InvalidArgument)?;
            let when = match req {
                TIOCSETA => TermiosWhen::Now,
                TIOCSETAW => TermiosWhen::Drain,
                _ => TermiosWhen::Flush,
            };
            ops.set_termios(f, &t, when).map(|_| 0)
        }
        // struct winsize: ws_row, ws_col, ws_xpixel, ws_ypixel (u16 each).
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
            let b = read_array::<8>(ops, arg)?;
            let ws = WindowSize { rows: u16::from_le_bytes([b[0], b[1]]), cols: u16::from_le_bytes([b[2], b[3]]) };
            ops.tty_request(f, TtyRequest::SetWindowSize(ws)).map(|_| 0)
        }
        TIOCGPGRP => match ops.tty_request(f, TtyRequest::GetForegroundGroup)? {
            TtyReply::Value(v) => write_int(ops, arg, v as i32),
            _ => Err(Error::NotATerminal),
        },
        TIOCSPGRP => {
            let pgrp = i32::from_le_bytes(read_array::<4>(ops, arg)?);
            if pgrp < 0 {
                return Err(Error::InvalidArgument);
            }
            ops.tty_request(f, TtyRequest::SetForegroundGroup(pgrp as u32)).map(|_| 0)
        }
        req @ (FIOASYNC | FIOSETOWN | FIOGETOWN | FIONWRITE | FIONSPACE | TIOCSCTTY | TIOCNOTTY) => {
            ops.log_unsupported(format_args!("netbsd: ioctl request {req:#x}"));
            Err(Error::NotATerminal)
        }
        _ => Err(Error::NotATerminal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// BSD's _IOC(inout, group, num, len) (sys/sys/ioccom.h).
    const fn ioc(inout: u32, group: u8, num: u8, len: u32) -> u32 {
        inout | ((len & 0x1fff) << 16) | ((group as u32) << 8) | num as u32
    }
    const VOID: u32 = 0x2000_0000;
    const OUT: u32 = 0x4000_0000;
    const IN: u32 = 0x8000_0000;

    #[test]
    fn request_numbers_follow_the_encoding() {
        assert_eq!(FIOCLEX, ioc(VOID, b'f', 1, 0));
        assert_eq!(FIONCLEX, ioc(VOID, b'f', 2, 0));
        assert_eq!(FIONREAD, ioc(OUT, b'f', 127, 4));
        assert_eq!(FIONBIO, ioc(IN, b'f', 126, 4));
        assert_eq!(FIOASYNC, ioc(IN, b'f', 125, 4));
        assert_eq!(FIOSETOWN, ioc(IN, b'f', 124, 4));
        assert_eq!(FIOGETOWN, ioc(OUT, b'f', 123, 4));
        assert_eq!(FIONWRITE, ioc(OUT, b'f', 121, 4));
        assert_eq!(FIONSPACE, ioc(OUT, b'f', 120, 4));
        assert_eq!(TIOCGETA, ioc(OUT, b't', 19, termios::SIZE as u32));
        assert_eq!(TIOCSETA, ioc(IN, b't', 20, 44));
        assert_eq!(TIOCSETAW, ioc(IN, b't', 21, 44));
        assert_eq!(TIOCSETAF, ioc(IN, b't', 22, 44));
        assert_eq!(TIOCGWINSZ, ioc(OUT, b't', 104, 8));
        assert_eq!(TIOCSWINSZ, ioc(IN, b't', 103, 8));
        assert_eq!(TIOCGPGRP, ioc(OUT, b't', 119, 4));
        assert_eq!(TIOCSPGRP, ioc(IN, b't', 118, 4));
        assert_eq!(TIOCSCTTY, ioc(VOID, b't', 97, 0));
        assert_eq!(TIOCNOTTY, ioc(VOID, b't', 113, 0));
    }
}
