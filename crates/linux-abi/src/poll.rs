//! `poll`/`ppoll` and `select` (`asm-generic/poll.h`, `linux/posix_types.h`).
//!
//! x86_64 uses the generic event bits. The same low bits are the `EPOLL*`
//! event bits (see [`crate::epoll`]).

use crate::wire::{get_i32, get_u16, prefix, put_i32, put_u16};

pub const POLLIN: u16 = 0x0001;
pub const POLLPRI: u16 = 0x0002;
pub const POLLOUT: u16 = 0x0004;
pub const POLLERR: u16 = 0x0008;
pub const POLLHUP: u16 = 0x0010;
pub const POLLNVAL: u16 = 0x0020;
pub const POLLRDNORM: u16 = 0x0040;
pub const POLLRDBAND: u16 = 0x0080;
pub const POLLWRNORM: u16 = 0x0100;
pub const POLLWRBAND: u16 = 0x0200;
pub const POLLMSG: u16 = 0x0400;
pub const POLLREMOVE: u16 = 0x1000;
pub const POLLRDHUP: u16 = 0x2000;

/// Bits `poll` reports even when not asked for: callers cannot mask them.
pub const POLL_ALWAYS_REPORTED: u16 = POLLERR | POLLHUP | POLLNVAL;

/// The number of descriptors one `fd_set` covers: `select` with `nfds`
/// above this still works in Linux (the kernel sizes the bitmap by `nfds`),
/// but libc's `fd_set` type holds exactly this many bits (128 bytes).
pub const FD_SETSIZE: usize = 1024;

/// `struct pollfd`. A negative `fd` is skipped and gets `revents = 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pollfd {
    pub fd: i32,
    pub events: u16,
    pub revents: u16,
}

impl Pollfd {
    pub const SIZE: usize = 8;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i32(&mut b, 0, self.fd);
        put_u16(&mut b, 4, self.events);
        put_u16(&mut b, 6, self.revents);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { fd: get_i32(b, 0), events: get_u16(b, 4), revents: get_u16(b, 6) })
    }

    /// Offset of `revents`, the only field `poll` writes back.
    pub const OFF_REVENTS: usize = 6;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn layout() {
        let p = Pollfd { fd: -1, events: POLLIN | POLLOUT, revents: POLLHUP };
        assert_eq!(p.to_bytes(), [0xff, 0xff, 0xff, 0xff, 5, 0, 0x10, 0]);
    }

    proptest! {
        #[test]
        fn round_trip(fd: i32, e: u16, r: u16) {
            let p = Pollfd { fd, events: e, revents: r };
            prop_assert_eq!(Pollfd::from_bytes(&p.to_bytes()), Some(p));
        }
    }
}
