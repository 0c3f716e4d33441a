//! The data thread: frames between the device's queues and the client's
//! rings, woken by one notification that the interrupt lines, the
//! client's kicks and the control thread signal.
//!
//! Receive: a frame the device finished is copied onto the client's
//! receive ring, straight from its DMA buffer (through a copy only when
//! its checksum is to be completed), and the buffer given back to the
//! device at once. When
//! the ring is full, finished frames stay in the used ring (their buffers
//! still ours), the device runs out of buffers and holds further frames
//! back itself (QEMU stops reading its backend): nothing is dropped here
//! for want of room. Without a client (or its rings), frames are dropped.
//!
//! Transmit: frames the client put on its ring are copied into the
//! transmit queue's buffers, with the checksum prepared for the device or
//! filled in here, while the queue has room.
//!
//! Everything the device and the client hand over is checked: a bad
//! length or ring index drops the frame, counts it and is logged once per
//! kind; a device that returns a chain it does not hold is given up (no
//! more frames move).

use crate::client::{Info, SHARED};
use crate::device::{self, Device, FRAME_CAPACITY, HDR_F_DATA_VALID, HDR_F_NEEDS_CSUM, HDR_LEN};
use abi::Error;
use alloc::vec::Vec;
use protocols::net::{self, checksum, Consumer, Producer};
use rt::shared::SharedBuffer;
use rt::{println, sys};
use virtio::Segment;

/// Signalled by the client's kicks (the badge of its capability).
pub const KICK: u64 = 1 << 40;
/// Signalled by the control thread: the client changed.
pub const CONTROL: u64 = 1 << 41;
/// How long a wait lasts before the client's liveness, a ring it freed
/// without a kick and a missed interrupt are looked at anyway.
const WAIT_SLICE_NS: u64 = 1_000_000_000;

/// The attached client's rings, as the data thread holds them.
struct Attached {
    rings: SharedBuffer,
    rx: Producer,
    tx: Consumer,
}

/// What went wrong, counted; each kind is logged the first time.
#[derive(Default)]
struct Drops {
    counts: [u64; DROP_KINDS],
}

#[derive(Clone, Copy)]
enum Dropped {
    /// The device's used length is shorter than the header plus an
    /// Ethernet header.
    RxRunt,
    /// The device's used length is larger than the buffer.
    RxOverlong,
    /// A partial checksum whose offsets lie outside the frame.
    RxBadChecksumOffsets,
    /// Received with nobody attached.
    RxNoClient,
    /// The client's receive ring indices are bogus.
    RxBogusRing,
    /// The client's transmit ring indices or a slot's length are bogus.
    TxBogusRing,
    /// A transmit frame shorter than an Ethernet header or longer than
    /// the MTU allows.
    TxBadLength,
    /// CHECKSUM_NEEDED on a frame that is not TCP/UDP over IPv4/IPv6.
    TxNotChecksummable,
}
const DROP_KINDS: usize = 8;

impl Drops {
    fn count(&mut self, kind: Dropped, detail: core::fmt::Arguments<'_>) {
        let n = &mut self.counts[kind as usize];
        if *n == 0 {
            println!("virtio-net: dropped {detail} (logged once; counted from now on)");
        }
        *n += 1;
    }
}

pub struct DataPath {
    pub dev: Device,
    pub ntfn: u64,
    /// Bound lines: (Irq slot, line).
    pub lines: Vec<(u64, u8)>,
    generation: u32,
    attached: Option<Attached>,
    drops: Drops,
    broken: bool,
    link_up: bool,
    /// Frames moved, for the log.
    received: u64,
    sent: u64,
}

impl DataPath {
    pub fn new(dev: Device, ntfn: u64, lines: Vec<(u64, u8)>) -> DataPath {
        let link_up = dev.link_up();
        DataPath {
            dev,
            ntfn,
            lines,
            generation: 0,
            attached: None,
            drops: Drops::default(),
            broken: false,
            link_up,
            received: 0,
            sent: 0,
        }
    }

    pub fn info(&self) -> Info {
        Info {
            mac: self.dev.mac,
            mtu: self.dev.mtu,
            link_up: self.link_up,
            device_checksum: self.dev.device_checksum(),
        }
    }

    pub fn run(&mut self) -> ! {
        self.refill();
        loop {
            self.follow_client();
            let moved_rx = self.receive();
            let moved_tx = self.transmit();
            if moved_rx || moved_tx {
                SHARED.with(|s| s.signal(self.generation));
            }
            if moved_rx || moved_tx {
                // More may have come meanwhile: look again before sleeping.
                continue;
            }
            match sys::notify_wait(self.ntfn, WAIT_SLICE_NS) {
                Ok(bits) => self.interrupted(bits),
                Err(Error::TimedOut) => {
                    let gone = SHARED.with(|s| s.forget_if_gone());
                    if gone {
                        self.follow_client();
                    }
                }
                Err(error) => {
                    println!("virtio-net: waiting failed: {}", error.name());
                    sys::sleep(10_000_000);
                }
            }
        }
    }

    /// Takes up a new client's rings, or drops a gone client's.
    fn follow_client(&mut self) {
        let link_up = self.link_up;
        SHARED.with(|s| {
            if s.generation != self.generation {
                self.generation = s.generation;
                if let Some(old) = self.attached.take() {
                    let _ = old.rings.unmap();
                }
            }
            if self.attached.is_none() {
                if let Some(rings) = s.client.as_mut().and_then(|c| c.rings.take()) {
                    rings.store_u32(net::LINK, if link_up { net::LINK_UP } else { 0 });
                    self.attached =
                        Some(Attached { rings, rx: Producer::new(net::RECEIVE), tx: Consumer::new(net::TRANSMIT) });
                }
            }
        });
    }

    /// The device interrupted (or the client kicked): acknowledge at the
    /// device, then unmask the lines that fired.
    fn interrupted(&mut self, bits: u64) {
        let fired: Vec<(u64, u8)> = self.lines.iter().copied().filter(|&(_, l)| bits & (1 << l) != 0).collect();
        if fired.is_empty() {
            return;
        }
        // Reading the ISR deasserts the device's INTx before the line is unmasked.
        let isr = self.dev.isr();
        if isr & 2 != 0 {
            let up = self.dev.link_up();
            if up != self.link_up {
                println!("virtio-net: link {}", if up { "up" } else { "down" });
            }
            self.link_up = up;
            let info = self.info();
            SHARED.with(|s| {
                s.info = Some(info);
                s.signal(self.generation);
            });
            if let Some(a) = &self.attached {
                a.rings.store_u32(net::LINK, if up { net::LINK_UP } else { 0 });
            }
        }
        for (slot, line) in fired {
            if let Err(error) = sys::irq_ack(slot) {
                println!("virtio-net: irq_ack of line {line} failed: {}", error.name());
            }
        }
    }

    fn give_up(&mut self, queue: &str, id: u32) {
        println!("virtio-net: the device returned chain id {id} on the {queue} queue, which it does not hold; giving the device up");
        self.broken = true;
    }

    /// Receive buffers for every free descriptor.
    fn refill(&mut self) {
        let mut posted = false;
        while let Some(descs) = self.dev.rx.queue.reserve(1) {
            let (_, phys) = self.dev.rx.buffer(descs[0]);
            self.dev
                .rx
                .queue
                .publish(descs, &[Segment { phys, len: device::BUFFER_BYTES as u32, device_writes: true }]);
            posted = true;
        }
        if posted {
            self.dev.rx.queue.kick();
        }
    }

    /// Moves finished receive buffers to the client. True if any moved.
    fn receive(&mut self) -> bool {
        if self.broken {
            return false;
        }
        let room = match &self.attached {
            Some(a) => match a.rx.space(&a.rings) {
                Ok(n) => n as usize,
                Err(bogus) => {
                    self.drops.count(
                        Dropped::RxBogusRing,
                        format_args!("received frames: the client's receive ring is bogus ({bogus:?})"),
                    );
                    usize::MAX
                }
            },
            None => usize::MAX,
        };
        if room == 0 {
            return false;
        }
        let used = match self.dev.rx.queue.take_used_at_most(room) {
            Ok(used) => used,
            Err(bogus) => {
                self.give_up("receive", bogus.id);
                return false;
            }
        };
        if used.is_empty() {
            return false;
        }
        for u in &used {
            let len = u.len as usize;
            if len > device::BUFFER_BYTES as usize {
                self.drops.count(
                    Dropped::RxOverlong,
                    format_args!(
                        "a received frame: the device says it wrote {len} bytes into a {}-byte buffer",
                        device::BUFFER_BYTES
                    ),
                );
                continue;
            }
            if len < HDR_LEN + 14 {
                self.drops.count(Dropped::RxRunt, format_args!("a received frame of {len} bytes with its header (shorter than the header and an Ethernet header)"));
                continue;
            }
            let (buffer, _) = self.dev.rx.buffer(u.head);
            let mut header = [0u8; HDR_LEN];
            buffer.read_bytes(0, &mut header);
            let body_len = len - HDR_LEN;
            let delivered = if header[0] & HDR_F_NEEDS_CSUM != 0 && self.dev.guest_checksum() {
                // The checksum is completed in a copy, which then goes
                // onto the ring.
                let mut frame = [0u8; FRAME_CAPACITY];
                let body = &mut frame[..body_len];
                buffer.read_bytes(HDR_LEN as u64, body);
                let start = usize::from(u16::from_le_bytes([header[6], header[7]]));
                let offset = usize::from(u16::from_le_bytes([header[8], header[9]]));
                if !checksum::complete_partial(body, start, offset) {
                    self.drops.count(
                        Dropped::RxBadChecksumOffsets,
                        format_args!(
                            "a received frame: partial checksum at {start}+{offset} outside its {} bytes",
                            body.len()
                        ),
                    );
                    continue;
                }
                match &mut self.attached {
                    Some(a) => a.rx.push(&a.rings, body, net::DATA_VALID).is_ok(),
                    None => false,
                }
            } else {
                // Straight from the device's buffer onto the ring.
                let flags = if header[0] & HDR_F_DATA_VALID != 0 { net::DATA_VALID } else { 0 };
                match &mut self.attached {
                    Some(a) => {
                        a.rx.push_with(&a.rings, body_len, flags, |rings, at| {
                            buffer.copy_to_shared(HDR_LEN as u64, body_len, rings, at)
                        })
                        .is_ok()
                    }
                    None => false,
                }
            };
            if delivered {
                self.received += 1;
            } else if self.attached.is_none() {
                self.drops.count(Dropped::RxNoClient, format_args!("received frames: no client attached"));
            }
        }
        self.refill();
        true
    }

    /// Moves the client's frames to the transmit queue. True if any moved
    /// (or transmit buffers came back).
    fn transmit(&mut self) -> bool {
        if self.broken {
            return false;
        }
        let returned = match self.dev.tx.queue.take_used() {
            Ok(used) => !used.is_empty(),
            Err(bogus) => {
                self.give_up("transmit", bogus.id);
                return false;
            }
        };
        let Some(a) = &mut self.attached else { return returned };
        let mut frame = [0u8; net::FRAME_MAX];
        let mut moved = false;
        let mut posted = false;
        while self.dev.tx.queue.free() > 0 {
            let (len, flags) = match a.tx.pop(&a.rings, &mut frame) {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(bogus) => {
                    self.drops.count(
                        Dropped::TxBogusRing,
                        format_args!("a transmit slot: the client's ring is bogus ({bogus:?})"),
                    );
                    if matches!(bogus, net::Bogus::Index { .. }) {
                        break;
                    }
                    moved = true;
                    continue;
                }
            };
            moved = true;
            if len < net::FRAME_MIN || len > self.dev.frame_max() || len > FRAME_CAPACITY {
                self.drops.count(
                    Dropped::TxBadLength,
                    format_args!(
                        "a {len}-byte frame to send (frames are {}..={} bytes)",
                        net::FRAME_MIN,
                        self.dev.frame_max()
                    ),
                );
                continue;
            }
            let bytes = &mut frame[..len];
            let mut offload = None;
            if flags & net::CHECKSUM_NEEDED != 0 {
                let Some(t) = checksum::locate(bytes) else {
                    self.drops.count(
                        Dropped::TxNotChecksummable,
                        format_args!("a frame to send marked CHECKSUM_NEEDED that is not TCP/UDP over IPv4/IPv6"),
                    );
                    continue;
                };
                if self.dev.device_checksum() {
                    checksum::prepare_for_device(bytes, &t);
                    offload = Some((t.start as u16, t.offset as u16));
                } else {
                    checksum::fill(bytes, &t);
                }
            }
            let descs = self.dev.tx.queue.reserve(1).expect("a free descriptor (checked)");
            let (buffer, phys) = self.dev.tx.buffer(descs[0]);
            device::write_tx_header(&buffer, offload);
            buffer.write_bytes(HDR_LEN as u64, bytes);
            self.dev.tx.queue.publish(descs, &[Segment { phys, len: (HDR_LEN + len) as u32, device_writes: false }]);
            posted = true;
            self.sent += 1;
        }
        if posted {
            self.dev.tx.queue.kick();
        }
        moved || returned
    }
}
