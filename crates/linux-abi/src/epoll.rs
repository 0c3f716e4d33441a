//! `epoll` (`linux/eventpoll.h`).
//!
//! On x86_64 `struct epoll_event` is *packed*: 12 bytes, with the 64-bit
//! `data` at offset 4, unaligned. (Every other 64-bit architecture pads it to
//! 16 bytes; x86_64 kept the i386 layout.) An array of them therefore has a
//! 12-byte stride.

use crate::wire::{get_u32, get_u64, prefix, put_u32, put_u64};

pub const EPOLL_CTL_ADD: u32 = 1;
pub const EPOLL_CTL_DEL: u32 = 2;
pub const EPOLL_CTL_MOD: u32 = 3;

/// `epoll_create1` flag, equal to `O_CLOEXEC`.
pub const EPOLL_CLOEXEC: u32 = crate::fcntl::O_CLOEXEC;

// The event bits below 0x4000 are the poll bits, widened to 32 bits.
pub const EPOLLIN: u32 = 0x0000_0001;
pub const EPOLLPRI: u32 = 0x0000_0002;
pub const EPOLLOUT: u32 = 0x0000_0004;
pub const EPOLLERR: u32 = 0x0000_0008;
pub const EPOLLHUP: u32 = 0x0000_0010;
pub const EPOLLNVAL: u32 = 0x0000_0020;
pub const EPOLLRDNORM: u32 = 0x0000_0040;
pub const EPOLLRDBAND: u32 = 0x0000_0080;
pub const EPOLLWRNORM: u32 = 0x0000_0100;
pub const EPOLLWRBAND: u32 = 0x0000_0200;
pub const EPOLLMSG: u32 = 0x0000_0400;
pub const EPOLLRDHUP: u32 = 0x0000_2000;
/// Input flags (not reported back):
pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
pub const EPOLLWAKEUP: u32 = 1 << 29;
pub const EPOLLONESHOT: u32 = 1 << 30;
pub const EPOLLET: u32 = 1 << 31;

/// `struct epoll_event` in its packed x86_64 form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EpollEvent {
    pub events: u32,
    /// Opaque user data, returned unchanged with each event.
    pub data: u64,
}

impl EpollEvent {
    pub const SIZE: usize = 12;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, 0, self.events);
        put_u64(&mut b, 4, self.data);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { events: get_u32(b, 0), data: get_u64(b, 4) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packed_layout() {
        let e = EpollEvent { events: EPOLLIN, data: 0x1122334455667788 };
        assert_eq!(e.to_bytes(), [1, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
        assert_eq!(EPOLLIN as u16, crate::poll::POLLIN);
        assert_eq!(EPOLLRDHUP as u16, crate::poll::POLLRDHUP);
    }

    proptest! {
        #[test]
        fn round_trip(ev: u32, d: u64) {
            let e = EpollEvent { events: ev, data: d };
            prop_assert_eq!(EpollEvent::from_bytes(&e.to_bytes()), Some(e));
        }
    }
}
