//! The network device driver (`user/virtio-net`) and its one client (the
//! TCP/IP server; `user/netcheck` in the tests): a few calls on the
//! driver's endpoint to attach, then Ethernet frames through two rings in
//! memory the client allocates and shares with the driver, and a
//! notification each way instead of a message per frame.
//!
//! # Attaching
//!
//! Three calls, each carrying one capability (a message carries one):
//!
//! 1. [`ATTACH`] with a capability to the client's own task (type Task,
//!    READ|TRANSFER only: the driver can tell when it ends, and nothing
//!    else). The driver serves one client at a time: while an attached
//!    client's task lives, another `ATTACH` is answered [`BUSY`]; once it
//!    has ended, the next `ATTACH` replaces it (a restarted client simply
//!    attaches again). Reply [`DONE`] carrying a capability to the
//!    driver's notification (WRITE only, badged): the client signals it,
//!    with any bits, after putting frames on the transmit ring and after
//!    taking frames off the receive ring (when that ring is full the
//!    driver holds frames back until told there is room). The reply words
//!    are those of [`INFO`].
//! 2. [`EVENTS`] with the client's Notification (WRITE), w0 = the bits the
//!    driver signals it with (nonzero, bit 63 clear) whenever it put frames
//!    on the receive ring, freed transmit slots the client may be waiting
//!    for, or the link status changed.
//! 3. [`RINGS`] with a Memory capability (READ|WRITE|TRANSFER) of at least
//!    [`RING_PAGES`] pages, zeroed (fresh from `mem_alloc`), laid out as
//!    below. From this reply on, frames flow.
//!
//! [`INFO`] (no capability) may be called at any time. `EVENTS` and
//! `RINGS` are accepted only from the attached client, once each per
//! attach; a capability sent with any other call is deleted unused. The
//! driver's endpoint should be granted to the client alone (the driver
//! cannot tell callers apart; the task capability is how it notices the
//! client's end).
//!
//! # The rings
//!
//! Page 0 holds the indices, each a `u32` in its own 64 bytes, read and
//! written atomically: [`RX_HEAD`] (written by the driver), [`RX_TAIL`]
//! (client), [`TX_HEAD`] (client), [`TX_TAIL`] (driver), and [`LINK`]
//! (driver: [`LINK_UP`] or 0). Then the receive ring's [`SLOTS`] slots of
//! [`SLOT_BYTES`] each, then the transmit ring's.
//!
//! An index counts frames since attach and wraps at 2^32; the slot of
//! frame `i` is `i % SLOTS`. The producer fills slot `head % SLOTS`,
//! then stores `head + 1` (Release); the consumer loads `head` (Acquire),
//! reads slots `tail..head`, then stores the new `tail` (Release). The
//! ring is full when `head - tail == SLOTS`.
//!
//! A slot: `u32` frame length, `u32` flags, then the frame from its
//! Ethernet header on (no virtio header, no FCS), at most [`FRAME_MAX`]
//! bytes. Flags: [`CHECKSUM_NEEDED`] on transmit (a TCP or UDP packet
//! over IPv4 or IPv6 without extension headers, its checksum field not
//! filled in: the driver has the device fill it, or fills it itself);
//! [`DATA_VALID`] on receive (the device checked the frame's TCP/UDP
//! checksum, or the driver completed one the device left partial).
//! Received frames are always complete.
//!
//! Each side keeps its own index privately and never trusts the other's:
//! an index that claims more than `SLOTS` frames, or a length beyond
//! `FRAME_MAX`, is the peer's bug, reported as [`Bogus`]; nothing read
//! from the rings makes either side access memory outside them.

pub mod checksum;

/// Attach (see the module docs): capability = the client's Task (READ).
/// Reply: `DONE` + the driver's notification (WRITE), words as [`INFO`];
/// or `BUSY`, `MALFORMED`.
pub const ATTACH: u32 = 1;
/// Where to signal events: capability = a Notification (WRITE), w0 = the
/// bits. Reply `DONE`, `NOT_ATTACHED` or `MALFORMED`.
pub const EVENTS: u32 = 2;
/// The rings: capability = Memory (READ|WRITE), at least [`RING_PAGES`]
/// pages, w0 = its pages. Reply `DONE`, `NOT_ATTACHED`, `MALFORMED`, or
/// `FAILED` (the driver could not map it).
pub const RINGS: u32 = 3;
/// The device: reply `DONE`, w0 = MAC address (byte 0 of the address in
/// bits 0-7, 48 bits), w1 = MTU (the largest IP packet; frames are at
/// most MTU + 14 bytes), w2 = flags ([`FLAG_LINK_UP`],
/// [`FLAG_CHECKSUM_OFFLOAD`], [`FLAG_DEVICE_CHECKSUM`]), w3 = [`SLOTS`] |
/// [`SLOT_BYTES`] << 32 (what the driver expects).
pub const INFO: u32 = 4;

/// Reply: done.
pub const DONE: u32 = 0;
/// Reply: another client is attached and alive.
pub const BUSY: u32 = 1;
/// Reply: the capability is missing or of the wrong type or rights, or a
/// word is out of range.
pub const MALFORMED: u32 = 2;
/// Reply: `EVENTS` or `RINGS` without a live attached client (or twice).
pub const NOT_ATTACHED: u32 = 3;
/// Reply: an unknown label.
pub const UNSUPPORTED: u32 = 4;
/// Reply: the driver could not do it (out of memory or address space).
pub const FAILED: u32 = 5;

/// `INFO` flag: the link is up.
pub const FLAG_LINK_UP: u64 = 1 << 0;
/// `INFO` flag: frames may be sent with [`CHECKSUM_NEEDED`]. Always set
/// by `user/virtio-net`: the device fills the checksum when it can
/// (`FLAG_DEVICE_CHECKSUM`), the driver in software otherwise.
pub const FLAG_CHECKSUM_OFFLOAD: u64 = 1 << 1;
/// `INFO` flag: the device itself completes transmit checksums.
pub const FLAG_DEVICE_CHECKSUM: u64 = 1 << 2;

/// Transmit slot flag: fill in the TCP/UDP checksum.
pub const CHECKSUM_NEEDED: u32 = 1 << 0;
/// Receive slot flag: the TCP/UDP checksum is known good.
pub const DATA_VALID: u32 = 1 << 1;

/// Slots per ring.
pub const SLOTS: u32 = 128;
/// Bytes per slot: 8 bytes of length and flags, then the frame.
pub const SLOT_BYTES: usize = 2048;
/// The longest frame a slot holds.
pub const FRAME_MAX: usize = SLOT_BYTES - 8;
/// The shortest frame: an Ethernet header.
pub const FRAME_MIN: usize = 14;

pub const PAGE_BYTES: usize = 4096;
/// Offsets of the indices and the link word in page 0.
pub const RX_HEAD: usize = 0;
pub const RX_TAIL: usize = 64;
pub const TX_HEAD: usize = 128;
pub const TX_TAIL: usize = 192;
pub const LINK: usize = 256;
/// [`LINK`] value: the link is up.
pub const LINK_UP: u32 = 1;
/// Where the receive ring's slots start, then the transmit ring's.
pub const RX_SLOTS: usize = PAGE_BYTES;
pub const TX_SLOTS: usize = RX_SLOTS + SLOTS as usize * SLOT_BYTES;
/// The whole shared memory.
pub const RING_BYTES: usize = TX_SLOTS + SLOTS as usize * SLOT_BYTES;
pub const RING_PAGES: u64 = (RING_BYTES / PAGE_BYTES) as u64;

/// The MAC address in `INFO`'s w0.
pub fn mac_from_word(w: u64) -> [u8; 6] {
    let b = w.to_le_bytes();
    [b[0], b[1], b[2], b[3], b[4], b[5]]
}

pub fn mac_to_word(mac: [u8; 6]) -> u64 {
    let mut b = [0u8; 8];
    b[..6].copy_from_slice(&mac);
    u64::from_le_bytes(b)
}

/// The shared memory, as each side reaches it (`rt::shared::SharedBuffer`
/// in the programs, a plain array in tests). Offsets are in bytes; the
/// rings only use offsets below [`RING_BYTES`].
pub trait RingMemory {
    /// An Acquire load of the `u32` at `off` (4-aligned).
    fn load_u32(&self, off: usize) -> u32;
    /// A Release store of the `u32` at `off` (4-aligned).
    fn store_u32(&self, off: usize, value: u32);
    fn read_into(&self, off: usize, out: &mut [u8]);
    fn write_from(&self, off: usize, bytes: &[u8]);
}

/// One ring: where its indices and slots are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ring {
    head: usize,
    tail: usize,
    slots: usize,
}

/// Frames from the driver to the client.
pub const RECEIVE: Ring = Ring { head: RX_HEAD, tail: RX_TAIL, slots: RX_SLOTS };
/// Frames from the client to the driver.
pub const TRANSMIT: Ring = Ring { head: TX_HEAD, tail: TX_TAIL, slots: TX_SLOTS };

/// What the peer did wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bogus {
    /// Its index claims `count` frames between head and tail (more than
    /// `SLOTS`).
    Index { count: u32 },
    /// A slot holds a length beyond `FRAME_MAX` (the slot is skipped).
    Length { len: u32 },
}

/// Why a frame was not put on a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushError {
    /// The ring is full: the consumer is behind.
    Full,
    /// Longer than `FRAME_MAX`.
    TooLong,
    /// The consumer's index is bogus.
    Bogus(Bogus),
}

/// The producing side of a ring. It owns `head` (kept here, only ever
/// written to the shared page) and reads the consumer's `tail`.
#[derive(Debug)]
pub struct Producer {
    ring: Ring,
    head: u32,
}

impl Producer {
    /// A producer on fresh (zeroed) memory.
    pub fn new(ring: Ring) -> Producer {
        Producer { ring, head: 0 }
    }

    /// Free slots, or the consumer's bogus index.
    pub fn space(&self, mem: &impl RingMemory) -> Result<u32, Bogus> {
        let used = self.head.wrapping_sub(mem.load_u32(self.ring.tail));
        if used > SLOTS {
            return Err(Bogus::Index { count: used });
        }
        Ok(SLOTS - used)
    }

    /// Puts one frame on the ring (and publishes it at once).
    pub fn push(&mut self, mem: &impl RingMemory, frame: &[u8], flags: u32) -> Result<(), PushError> {
        self.push_with(mem, frame.len(), flags, |mem, at| mem.write_from(at, frame))
    }

    /// Puts one frame of `len` bytes on the ring, which `write(mem, at)`
    /// writes at `at` (8-aligned) when there is room: for a frame that is
    /// not in this task's memory (a device's DMA buffer), so that it is
    /// copied once.
    pub fn push_with<M: RingMemory>(
        &mut self,
        mem: &M,
        len: usize,
        flags: u32,
        write: impl FnOnce(&M, usize),
    ) -> Result<(), PushError> {
        if len > FRAME_MAX {
            return Err(PushError::TooLong);
        }
        if self.space(mem).map_err(PushError::Bogus)? == 0 {
            return Err(PushError::Full);
        }
        let slot = self.ring.slots + (self.head % SLOTS) as usize * SLOT_BYTES;
        mem.write_from(slot, &(len as u32).to_le_bytes());
        mem.write_from(slot + 4, &flags.to_le_bytes());
        write(mem, slot + 8);
        self.head = self.head.wrapping_add(1);
        mem.store_u32(self.ring.head, self.head);
        Ok(())
    }
}

/// The consuming side of a ring. It owns `tail` and reads the producer's
/// `head`.
#[derive(Debug)]
pub struct Consumer {
    ring: Ring,
    tail: u32,
}

impl Consumer {
    pub fn new(ring: Ring) -> Consumer {
        Consumer { ring, tail: 0 }
    }

    /// Frames waiting, or the producer's bogus index.
    pub fn waiting(&self, mem: &impl RingMemory) -> Result<u32, Bogus> {
        let count = mem.load_u32(self.ring.head).wrapping_sub(self.tail);
        if count > SLOTS {
            return Err(Bogus::Index { count });
        }
        Ok(count)
    }

    /// Takes the next frame into `buf`: `Ok(Some((len, flags)))`, its
    /// bytes in `buf[..len]` (a frame longer than `buf` is cut to it);
    /// `Ok(None)` if the ring is empty. A slot with a bogus length is
    /// consumed and reported.
    pub fn pop(&mut self, mem: &impl RingMemory, buf: &mut [u8]) -> Result<Option<(usize, u32)>, Bogus> {
        if self.waiting(mem)? == 0 {
            return Ok(None);
        }
        let slot = self.ring.slots + (self.tail % SLOTS) as usize * SLOT_BYTES;
        let mut word = [0u8; 4];
        mem.read_into(slot, &mut word);
        let len = u32::from_le_bytes(word);
        mem.read_into(slot + 4, &mut word);
        let flags = u32::from_le_bytes(word);
        let result = if len as usize > FRAME_MAX {
            Err(Bogus::Length { len })
        } else {
            let n = (len as usize).min(buf.len());
            mem.read_into(slot + 8, &mut buf[..n]);
            Ok(Some((n, flags)))
        };
        self.tail = self.tail.wrapping_add(1);
        mem.store_u32(self.ring.tail, self.tail);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::RefCell;

    extern crate std;
    use std::vec;
    use std::vec::Vec;

    struct Mem(RefCell<Vec<u8>>);

    impl RingMemory for Mem {
        fn load_u32(&self, off: usize) -> u32 {
            u32::from_le_bytes(self.0.borrow()[off..off + 4].try_into().unwrap())
        }
        fn store_u32(&self, off: usize, value: u32) {
            self.0.borrow_mut()[off..off + 4].copy_from_slice(&value.to_le_bytes())
        }
        fn read_into(&self, off: usize, out: &mut [u8]) {
            out.copy_from_slice(&self.0.borrow()[off..off + out.len()])
        }
        fn write_from(&self, off: usize, bytes: &[u8]) {
            self.0.borrow_mut()[off..off + bytes.len()].copy_from_slice(bytes)
        }
    }

    #[test]
    fn push_with_writes_at_an_aligned_slot_only_when_there_is_room() {
        let mem = Mem(RefCell::new(vec![0; RING_BYTES]));
        let (mut p, mut c) = (Producer::new(RECEIVE), Consumer::new(RECEIVE));
        let mut buf = [0u8; FRAME_MAX];
        for i in 0..SLOTS {
            let mut called = false;
            p.push_with(&mem, 100, i, |m, at| {
                assert_eq!(at % 8, 0, "frame data at {at}");
                m.write_from(at, &[i as u8; 100]);
                called = true;
            })
            .unwrap();
            assert!(called);
        }
        let full = p.push_with(&mem, 100, 0, |_, _| panic!("written to a full ring"));
        assert_eq!(full, Err(PushError::Full));
        assert_eq!(p.push_with(&mem, FRAME_MAX + 1, 0, |_, _| panic!("written too long")), Err(PushError::TooLong));
        for i in 0..SLOTS {
            assert_eq!(c.pop(&mem, &mut buf), Ok(Some((100, i))));
            assert!(buf[..100].iter().all(|&b| b == i as u8));
        }
    }

    #[test]
    fn frames_go_round_and_wrap() {
        let mem = Mem(RefCell::new(vec![0; RING_BYTES]));
        let (mut p, mut c) = (Producer::new(TRANSMIT), Consumer::new(TRANSMIT));
        let mut buf = [0u8; FRAME_MAX];
        for round in 0..5u32 {
            for i in 0..SLOTS {
                p.push(&mem, &[(i + round) as u8; 60], i).unwrap();
            }
            assert_eq!(p.push(&mem, &[0; 60], 0), Err(PushError::Full));
            for i in 0..SLOTS {
                assert_eq!(c.pop(&mem, &mut buf), Ok(Some((60, i))));
                assert!(buf[..60].iter().all(|&b| b == (i + round) as u8));
            }
            assert_eq!(c.pop(&mem, &mut buf), Ok(None));
        }
        assert_eq!(p.push(&mem, &[0; FRAME_MAX + 1], 0), Err(PushError::TooLong));
    }

    #[test]
    fn a_frame_longer_than_the_buffer_is_cut_to_it() {
        let mem = Mem(RefCell::new(vec![0; RING_BYTES]));
        let (mut p, mut c) = (Producer::new(RECEIVE), Consumer::new(RECEIVE));
        let frame: Vec<u8> = (0..100u8).collect();
        p.push(&mem, &frame, 7).unwrap();
        p.push(&mem, &[9; 10], 8).unwrap();
        let mut small = [0u8; 64];
        assert_eq!(c.pop(&mem, &mut small), Ok(Some((64, 7))));
        assert_eq!(small[..], frame[..64]);
        // The rest of the long frame is gone with its slot.
        assert_eq!(c.pop(&mem, &mut small), Ok(Some((10, 8))));
        assert_eq!(small[..10], [9; 10]);
        assert_eq!(c.pop(&mem, &mut small), Ok(None));
    }

    #[test]
    fn hostile_indices_and_lengths_are_reported() {
        let mem = Mem(RefCell::new(vec![0; RING_BYTES]));
        let (mut p, mut c) = (Producer::new(RECEIVE), Consumer::new(RECEIVE));
        let mut buf = [0u8; FRAME_MAX];
        mem.store_u32(RX_HEAD, 1000);
        assert_eq!(c.pop(&mem, &mut buf), Err(Bogus::Index { count: 1000 }));
        mem.store_u32(RX_HEAD, 0);
        mem.store_u32(RX_TAIL, 5);
        assert!(matches!(p.push(&mem, &[0; 60], 0), Err(PushError::Bogus(Bogus::Index { .. }))));
        mem.store_u32(RX_TAIL, 0);
        p.push(&mem, &[1; 60], 0).unwrap();
        mem.write_from(RX_SLOTS, &u32::MAX.to_le_bytes());
        assert_eq!(c.pop(&mem, &mut buf), Err(Bogus::Length { len: u32::MAX }));
        assert_eq!(c.pop(&mem, &mut buf), Ok(None));
    }
}
