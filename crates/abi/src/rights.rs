//! Rights carried by a capability. A derived capability has at most its
//! parent's rights; what each right permits depends on the object type (see
//! `CapType::rights_meaning`).

use core::ops::{BitAnd, BitOr, Not};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rights(pub u32);

impl Rights {
    pub const NONE: Rights = Rights(0);
    /// Observe: receive, wait, map readable, read ports or files.
    pub const READ: Rights = Rights(1 << 0);
    /// Act: send, signal, map writable, write ports or files, kill.
    pub const WRITE: Rights = Rights(1 << 1);
    /// Map memory executable; spawn a task from a file.
    pub const EXEC: Rights = Rights(1 << 2);
    /// On an endpoint: messages sent through it may carry a capability.
    pub const GRANT: Rights = Rights(1 << 3);
    /// The capability itself may be given to another task.
    pub const TRANSFER: Rights = Rights(1 << 4);
    /// May be derived into narrower capabilities in the same table.
    pub const DERIVE: Rights = Rights(1 << 5);
    pub const ALL: Rights = Rights(0x3f);

    pub const NAMES: &'static [(Rights, &'static str)] = &[
        (Rights::READ, "READ"),
        (Rights::WRITE, "WRITE"),
        (Rights::EXEC, "EXEC"),
        (Rights::GRANT, "GRANT"),
        (Rights::TRANSFER, "TRANSFER"),
        (Rights::DERIVE, "DERIVE"),
    ];

    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Only the defined bits; `None` if others are set.
    pub const fn from_bits(bits: u64) -> Option<Rights> {
        if bits & !(Rights::ALL.0 as u64) != 0 {
            None
        } else {
            Some(Rights(bits as u32))
        }
    }

    pub const fn contains(self, other: Rights) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn is_subset_of(self, other: Rights) -> bool {
        other.contains(self)
    }
}

impl BitOr for Rights {
    type Output = Rights;
    fn bitor(self, o: Rights) -> Rights {
        Rights(self.0 | o.0)
    }
}

impl BitAnd for Rights {
    type Output = Rights;
    fn bitand(self, o: Rights) -> Rights {
        Rights(self.0 & o.0)
    }
}

impl Not for Rights {
    type Output = Rights;
    fn not(self) -> Rights {
        Rights(!self.0 & Rights::ALL.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_bits_rejects_unknown() {
        assert_eq!(Rights::from_bits(0x3f), Some(Rights::ALL));
        assert_eq!(Rights::from_bits(0x40), None);
        assert_eq!(Rights::from_bits(1 << 40), None);
        assert!(Rights::READ.is_subset_of(Rights::ALL));
        assert!(!Rights::ALL.is_subset_of(Rights::READ));
        assert_eq!(!Rights::READ & Rights::READ, Rights::NONE);
    }
}
