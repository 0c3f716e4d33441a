//! inotify (`linux/inotify.h`): event bits, `inotify_add_watch` flags,
//! `inotify_init1` flags and the record a read returns.
//!
//! `struct inotify_event` is 16 bytes (`wd i32, mask u32, cookie u32,
//! len u32`) followed by `len` bytes of name: the name, NUL, and NULs up to
//! a multiple of 16 (the header's size), so the next record stays aligned.
//! An event without a name has `len` 0.

use crate::wire::{get_i32, get_u32, put_i32, put_u32};

pub const IN_ACCESS: u32 = 0x0000_0001;
pub const IN_MODIFY: u32 = 0x0000_0002;
pub const IN_ATTRIB: u32 = 0x0000_0004;
pub const IN_CLOSE_WRITE: u32 = 0x0000_0008;
pub const IN_CLOSE_NOWRITE: u32 = 0x0000_0010;
pub const IN_OPEN: u32 = 0x0000_0020;
pub const IN_MOVED_FROM: u32 = 0x0000_0040;
pub const IN_MOVED_TO: u32 = 0x0000_0080;
pub const IN_CREATE: u32 = 0x0000_0100;
pub const IN_DELETE: u32 = 0x0000_0200;
pub const IN_DELETE_SELF: u32 = 0x0000_0400;
pub const IN_MOVE_SELF: u32 = 0x0000_0800;
pub const IN_UNMOUNT: u32 = 0x0000_2000;
pub const IN_Q_OVERFLOW: u32 = 0x0000_4000;
pub const IN_IGNORED: u32 = 0x0000_8000;
pub const IN_CLOSE: u32 = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE;
pub const IN_MOVE: u32 = IN_MOVED_FROM | IN_MOVED_TO;
pub const IN_ALL_EVENTS: u32 = IN_ACCESS
    | IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_CLOSE_NOWRITE
    | IN_OPEN
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_DELETE
    | IN_CREATE
    | IN_DELETE_SELF
    | IN_MOVE_SELF;

// inotify_add_watch flags.
/// Only watch the path if it is a directory (else ENOTDIR).
pub const IN_ONLYDIR: u32 = 0x0100_0000;
/// Do not follow a final symbolic link.
pub const IN_DONT_FOLLOW: u32 = 0x0200_0000;
/// No events for children once they are unlinked.
pub const IN_EXCL_UNLINK: u32 = 0x0400_0000;
/// Fail with EEXIST if the node is already watched.
pub const IN_MASK_CREATE: u32 = 0x1000_0000;
/// Add to an existing watch's mask instead of replacing it.
pub const IN_MASK_ADD: u32 = 0x2000_0000;
/// In an event: its subject is a directory.
pub const IN_ISDIR: u32 = 0x4000_0000;
/// Remove the watch after its first event.
pub const IN_ONESHOT: u32 = 0x8000_0000;
/// Every bit inotify knows (the kernel's `ALL_INOTIFY_BITS`): a watch mask
/// with none of them is EINVAL; others are ignored.
pub const ALL_INOTIFY_BITS: u32 = IN_ALL_EVENTS
    | IN_UNMOUNT
    | IN_Q_OVERFLOW
    | IN_IGNORED
    | IN_ONLYDIR
    | IN_DONT_FOLLOW
    | IN_EXCL_UNLINK
    | IN_MASK_CREATE
    | IN_MASK_ADD
    | IN_ISDIR
    | IN_ONESHOT;

/// The same bit as `O_CLOEXEC`.
pub const IN_CLOEXEC: u32 = 0o2000000;
/// The same bit as `O_NONBLOCK`.
pub const IN_NONBLOCK: u32 = 0o4000;
/// Every flag `inotify_init1` accepts.
pub const IN_INIT_FLAGS: u32 = IN_CLOEXEC | IN_NONBLOCK;

/// The header of `struct inotify_event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InotifyEvent {
    pub wd: i32,
    pub mask: u32,
    pub cookie: u32,
    /// Bytes of name that follow (0, or a multiple of [`Self::SIZE`]).
    pub len: u32,
}

impl InotifyEvent {
    /// The header's size; names are padded to multiples of it.
    pub const SIZE: usize = 16;
    pub const OFF_WD: usize = 0;
    pub const OFF_MASK: usize = 4;
    pub const OFF_COOKIE: usize = 8;
    pub const OFF_LEN: usize = 12;

    /// The `len` Linux gives a name of `name_len` bytes: room for it and a
    /// NUL, rounded up to a multiple of the header's size; 0 for none.
    pub const fn padded_name_len(name_len: Option<usize>) -> usize {
        match name_len {
            None => 0,
            Some(n) => (n + 1).div_ceil(Self::SIZE) * Self::SIZE,
        }
    }

    /// Bytes a whole record takes.
    pub const fn record_size(name_len: Option<usize>) -> usize {
        Self::SIZE + Self::padded_name_len(name_len)
    }

    /// Writes a whole record (header, name, NUL padding) into `out`, which
    /// is `record_size(name)` bytes long.
    pub fn encode(wd: i32, mask: u32, cookie: u32, name: Option<&[u8]>, out: &mut [u8]) {
        let len = Self::padded_name_len(name.map(<[u8]>::len));
        put_i32(out, Self::OFF_WD, wd);
        put_u32(out, Self::OFF_MASK, mask);
        put_u32(out, Self::OFF_COOKIE, cookie);
        put_u32(out, Self::OFF_LEN, len as u32);
        let body = &mut out[Self::SIZE..Self::SIZE + len];
        body.fill(0);
        if let Some(n) = name {
            body[..n.len()].copy_from_slice(n);
        }
    }

    /// Decodes a header.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = crate::wire::prefix::<{ Self::SIZE }>(bytes)?;
        Some(InotifyEvent {
            wd: get_i32(b, Self::OFF_WD),
            mask: get_u32(b, Self::OFF_MASK),
            cookie: get_u32(b, Self::OFF_COOKIE),
            len: get_u32(b, Self::OFF_LEN),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::vec;

    #[test]
    fn flags_are_the_open_flags() {
        assert_eq!(IN_CLOEXEC, crate::fcntl::O_CLOEXEC);
        assert_eq!(IN_NONBLOCK, crate::fcntl::O_NONBLOCK);
    }

    #[test]
    fn names_are_padded_to_sixteen_with_room_for_the_nul() {
        assert_eq!(InotifyEvent::padded_name_len(None), 0);
        assert_eq!(InotifyEvent::padded_name_len(Some(0)), 16);
        assert_eq!(InotifyEvent::padded_name_len(Some(15)), 16);
        assert_eq!(InotifyEvent::padded_name_len(Some(16)), 32);
        assert_eq!(InotifyEvent::record_size(Some(255)), 16 + 256);
    }

    #[test]
    fn a_record_with_a_name() {
        let mut b = vec![0xaau8; InotifyEvent::record_size(Some(5))];
        InotifyEvent::encode(3, IN_CREATE | IN_ISDIR, 0, Some(b"hello"), &mut b);
        assert_eq!(b.len(), 32);
        assert_eq!(
            InotifyEvent::from_bytes(&b),
            Some(InotifyEvent { wd: 3, mask: IN_CREATE | IN_ISDIR, cookie: 0, len: 16 })
        );
        assert_eq!(&b[16..21], b"hello");
        assert!(b[21..].iter().all(|&x| x == 0), "NUL-padded");
    }

    proptest! {
        #[test]
        fn records_round_trip(wd: i32, mask: u32, cookie: u32, name in proptest::option::of(proptest::collection::vec(1u8..=255, 0..300))) {
            let size = InotifyEvent::record_size(name.as_ref().map(|n| n.len()));
            let mut b = vec![0xffu8; size];
            InotifyEvent::encode(wd, mask, cookie, name.as_deref(), &mut b);
            let h = InotifyEvent::from_bytes(&b).unwrap();
            prop_assert_eq!((h.wd, h.mask, h.cookie), (wd, mask, cookie));
            prop_assert_eq!(h.len as usize + InotifyEvent::SIZE, size);
            prop_assert_eq!(h.len as usize % InotifyEvent::SIZE, 0);
            if let Some(n) = &name {
                prop_assert_eq!(&b[16..16 + n.len()], &n[..]);
                prop_assert!(b[16 + n.len()..].iter().all(|&x| x == 0));
            }
        }
    }
}
