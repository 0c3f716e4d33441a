//! The message-info word of native IPC.
//!
//! A message is this word plus four data words, all in registers (no copy
//! through memory, which keeps the call/reply path short). Bulk data goes
//! through shared memory named by a capability.
//!
//! Registers: `ipc_call`, `ipc_send` and `ipc_reply` take the info word as
//! their second argument and the data words as the third to sixth; calls
//! that receive return the sender's badge, the received info word and the
//! data words in the same six argument registers.
//!
//! Layout: bits 0-31 the label (free for the protocol), bit 32 `NONBLOCK`
//! (sending: fail with `WouldBlock` instead of waiting for a receiver), bit
//! 33 `CAP` (a capability travels with the message), bits 40-63 the slot:
//! on sending, the sender's slot of the capability to transfer; on
//! receiving, the slot where it arrived in the receiver's table. Bits 34-39
//! must be zero.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MsgInfo(pub u64);

impl MsgInfo {
    pub const NONBLOCK: u64 = 1 << 32;
    pub const CAP: u64 = 1 << 33;
    const RESERVED: u64 = 0x3f << 34;
    const SLOT_SHIFT: u32 = 40;

    pub const fn new(label: u32) -> MsgInfo {
        MsgInfo(label as u64)
    }

    pub const fn with_cap(self, slot: u64) -> MsgInfo {
        MsgInfo((self.0 & !(0xff_ffff << Self::SLOT_SHIFT)) | Self::CAP | ((slot & 0xff_ffff) << Self::SLOT_SHIFT))
    }

    pub const fn nonblocking(self) -> MsgInfo {
        MsgInfo(self.0 | Self::NONBLOCK)
    }

    pub const fn label(self) -> u32 {
        self.0 as u32
    }

    pub const fn is_nonblocking(self) -> bool {
        self.0 & Self::NONBLOCK != 0
    }

    /// The capability slot, if a capability travels with the message.
    pub const fn cap(self) -> Option<u64> {
        if self.0 & Self::CAP != 0 {
            Some(self.0 >> Self::SLOT_SHIFT)
        } else {
            None
        }
    }

    /// Reserved bits set: the kernel refuses the message.
    pub const fn is_valid(self) -> bool {
        self.0 & Self::RESERVED == 0
    }

    /// The word the receiver sees: same label, the cap (if any) at its new slot.
    pub const fn delivered(self, received_slot: Option<u64>) -> MsgInfo {
        let base = MsgInfo(self.0 as u32 as u64);
        match received_slot {
            Some(s) => base.with_cap(s),
            None => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fields_round_trip(label: u32, slot in 0u64..(1 << 24), nb: bool) {
            let mut m = MsgInfo::new(label).with_cap(slot);
            if nb { m = m.nonblocking(); }
            prop_assert!(m.is_valid());
            prop_assert_eq!(m.label(), label);
            prop_assert_eq!(m.cap(), Some(slot));
            prop_assert_eq!(m.is_nonblocking(), nb);
            let d = m.delivered(Some(7));
            prop_assert_eq!(d.cap(), Some(7));
            prop_assert!(!d.is_nonblocking());
            prop_assert_eq!(d.label(), label);
        }
    }

    #[test]
    fn reserved_bits_are_invalid() {
        assert!(!MsgInfo(1 << 34).is_valid());
        assert_eq!(MsgInfo::new(5).cap(), None);
    }
}
