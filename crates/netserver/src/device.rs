//! Frame devices: the trait a network driver's rings implement, its
//! adapter to smoltcp's `Device`, and the loopback device.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

use netproto::Counters;
use smoltcp::phy::{self, Checksum, ChecksumCapabilities, DeviceCapabilities, Medium};
use smoltcp::time::Instant;

use crate::counters;
use crate::full_listeners::{self, FullListener};
use crate::rx_checksum;

/// An Ethernet frame device (the virtio-net driver's rings, or a test's
/// queues). Every call must return at once: the server never blocks.
/// `Send`: the server's threads share the stack under a lock.
pub trait FrameDevice: Send {
    /// Copies the next received frame into `buf` and returns its length,
    /// or None when no frame is waiting. A frame longer than `buf` is cut.
    fn receive(&mut self, buf: &mut [u8]) -> Option<usize>;
    /// Queues one frame for sending; false drops it (the ring is full).
    /// `checksum_needed`: the frame's TCP or UDP checksum field is left
    /// for the device to fill in (only when the device offered
    /// [`checksum_offload`](Self::checksum_offload); for virtio-net,
    /// VIRTIO_NET_HDR_F_NEEDS_CSUM with csum_start/csum_offset found from
    /// the frame's headers; frames without TCP/UDP need nothing).
    fn transmit(&mut self, frame: &[u8], checksum_needed: bool) -> bool;
    /// The largest IP packet the link carries (1500 on Ethernet).
    fn mtu(&self) -> usize;
    /// Whether the device computes the TCP/UDP checksums of sent frames.
    /// Received frames' checksums are checked by the server either way
    /// (TCP's by rx_checksum.rs, the rest by smoltcp).
    fn checksum_offload(&self) -> bool;
    /// Called after each round of frames in and out: a device that tells
    /// its driver about new frames (or freed room) once per batch instead
    /// of once per frame does it here.
    fn flush(&mut self) {}
    /// Whether the link carries frames (the interface's RUNNING flag).
    fn link_up(&self) -> bool {
        true
    }
    /// Frames the device queues for sending at most (txqueuelen); 0 when
    /// it does not say.
    fn queue_length(&self) -> usize {
        0
    }
}

/// Bytes of Ethernet header smoltcp adds to the IP MTU.
const ETHERNET_HEADER: usize = 14;

/// A [`FrameDevice`] seen by smoltcp. Frames are copied once each way: the
/// device's rings belong to the driver, not to the stack.
pub(crate) struct EthernetLink {
    pub device: alloc::boxed::Box<dyn FrameDevice>,
    rx: Vec<u8>,
    pub counters: Counters,
    /// Listeners whose SYNs are dropped (full_listeners.rs).
    pub full_listeners: Vec<FullListener>,
}

impl EthernetLink {
    pub fn new(device: alloc::boxed::Box<dyn FrameDevice>) -> EthernetLink {
        let frame = device.mtu().clamp(576, 65535) + ETHERNET_HEADER;
        EthernetLink { device, rx: vec![0; frame], counters: Counters::default(), full_listeners: Vec::new() }
    }
}

pub(crate) struct EthernetRx<'a> {
    frame: &'a [u8],
}

pub(crate) struct EthernetTx<'a> {
    device: &'a mut dyn FrameDevice,
    offload: bool,
    counters: &'a mut Counters,
}

impl phy::RxToken for EthernetRx<'_> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(self.frame)
    }
}

impl phy::TxToken for EthernetTx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut frame = vec![0u8; len];
        let result = f(&mut frame);
        // Only TCP and UDP checksums are left to the device (smoltcp
        // computes the others whatever it is told).
        let needed = self.offload && carries_tcp_or_udp(&frame);
        // A full ring drops the frame, as a full wire would; TCP retransmits.
        let accepted = self.device.transmit(&frame, needed);
        counters::sent(self.counters, len, accepted);
        result
    }
}

impl phy::Device for EthernetLink {
    type RxToken<'a> = EthernetRx<'a>;
    type TxToken<'a> = EthernetTx<'a>;

    fn receive(&mut self, _now: Instant) -> Option<(EthernetRx<'_>, EthernetTx<'_>)> {
        let len = loop {
            let full = self.device.receive(&mut self.rx)?;
            let len = full.min(self.rx.len());
            counters::received(&mut self.counters, len, full > len);
            // TCP checksums are checked here, not by smoltcp (see
            // `capabilities`); a bad segment is dropped, as Linux drops
            // it (counted by TCP, not by the interface).
            if rx_checksum::check(&self.rx[..len]) == rx_checksum::Verdict::Bad {
                continue;
            }
            // A SYN for a listener that cannot take it is dropped, as Linux
            // drops it: the client retries.
            let frame = &self.rx[..len];
            if matches!(frame.get(12..14), Some([0x08, 0x00] | [0x86, 0xdd]))
                && full_listeners::refuses(&self.full_listeners, &frame[ETHERNET_HEADER..])
            {
                continue;
            }
            break len;
        };
        let offload = self.device.checksum_offload();
        let tx = EthernetTx { device: &mut *self.device, offload, counters: &mut self.counters };
        Some((EthernetRx { frame: &self.rx[..len] }, tx))
    }

    fn transmit(&mut self, _now: Instant) -> Option<EthernetTx<'_>> {
        let offload = self.device.checksum_offload();
        Some(EthernetTx { device: &mut *self.device, offload, counters: &mut self.counters })
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ethernet;
        caps.max_transmission_unit = self.device.mtu().clamp(576, 65535) + ETHERNET_HEADER;
        // Received TCP segments are checked by `receive` (rx_checksum.rs,
        // faster than smoltcp's loop); smoltcp checks the rest of what
        // arrives, a device may pass frames it did not check.
        let mut checksum = ChecksumCapabilities::default();
        if self.device.checksum_offload() {
            // The device fills in TCP/UDP checksums on the way out; the
            // stack keeps IP and ICMP's.
            checksum.tcp = Checksum::None;
            checksum.udp = Checksum::Rx;
        } else {
            checksum.tcp = Checksum::Tx;
        }
        caps.checksum = checksum;
        caps
    }
}

/// Whether an Ethernet frame is TCP or UDP over IPv4 or IPv6 (without
/// extension headers): the frames whose checksum smoltcp left to the
/// device. ARP, ICMP and the rest carry complete checksums.
fn carries_tcp_or_udp(frame: &[u8]) -> bool {
    const TCP: u8 = 6;
    const UDP: u8 = 17;
    let protocol = match frame.get(12..14) {
        Some([0x08, 0x00]) => frame.get(ETHERNET_HEADER + 9),
        Some([0x86, 0xdd]) => frame.get(ETHERNET_HEADER + 6),
        _ => None,
    };
    matches!(protocol, Some(&TCP) | Some(&UDP))
}

/// Packets the loopback queue holds at most: beyond, it drops (a stack out
/// of memory drops packets, it does not panic). Its txqueuelen.
pub(crate) const LOOPBACK_QUEUE_LIMIT: usize = 4096;

/// The loopback link: what is sent is received, in order. smoltcp has one,
/// but its queue is neither visible (the stack must know when loopback
/// traffic has settled) nor bounded.
pub(crate) struct LoopbackLink {
    queue: VecDeque<Vec<u8>>,
    pub counters: Counters,
    /// Listeners whose SYNs are dropped (full_listeners.rs).
    pub full_listeners: Vec<FullListener>,
}

impl LoopbackLink {
    pub fn new() -> LoopbackLink {
        LoopbackLink { queue: VecDeque::new(), counters: Counters::default(), full_listeners: Vec::new() }
    }

    pub fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }
}

pub(crate) struct LoopbackRx {
    packet: Vec<u8>,
}

pub(crate) struct LoopbackTx<'a> {
    queue: &'a mut VecDeque<Vec<u8>>,
    counters: &'a mut Counters,
}

impl phy::RxToken for LoopbackRx {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(&self.packet)
    }
}

impl phy::TxToken for LoopbackTx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut packet = vec![0u8; len];
        let result = f(&mut packet);
        let accepted = self.queue.len() < LOOPBACK_QUEUE_LIMIT;
        counters::sent(self.counters, len, accepted);
        if accepted {
            self.queue.push_back(packet);
        }
        result
    }
}

impl phy::Device for LoopbackLink {
    type RxToken<'a> = LoopbackRx;
    type TxToken<'a> = LoopbackTx<'a>;

    fn receive(&mut self, _now: Instant) -> Option<(LoopbackRx, LoopbackTx<'_>)> {
        let packet = loop {
            let packet = self.queue.pop_front()?;
            counters::received(&mut self.counters, packet.len(), false);
            if !full_listeners::refuses(&self.full_listeners, &packet) {
                break packet;
            }
        };
        Some((LoopbackRx { packet }, LoopbackTx { queue: &mut self.queue, counters: &mut self.counters }))
    }

    fn transmit(&mut self, _now: Instant) -> Option<LoopbackTx<'_>> {
        Some(LoopbackTx { queue: &mut self.queue, counters: &mut self.counters })
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = 65535;
        // Nothing corrupts packets in memory.
        caps.checksum = ChecksumCapabilities::ignored();
        caps
    }
}

#[cfg(test)]
mod tests {
    use super::carries_tcp_or_udp;

    fn frame(ethertype: [u8; 2], at: usize, protocol: u8) -> [u8; 64] {
        let mut f = [0u8; 64];
        f[12..14].copy_from_slice(&ethertype);
        f[14 + at] = protocol;
        f
    }

    #[test]
    fn only_tcp_and_udp_frames_leave_their_checksum_to_the_device() {
        assert!(carries_tcp_or_udp(&frame([0x08, 0x00], 9, 6)));
        assert!(carries_tcp_or_udp(&frame([0x08, 0x00], 9, 17)));
        assert!(carries_tcp_or_udp(&frame([0x86, 0xdd], 6, 6)));
        assert!(!carries_tcp_or_udp(&frame([0x08, 0x00], 9, 1)), "ICMP");
        assert!(!carries_tcp_or_udp(&frame([0x86, 0xdd], 6, 58)), "ICMPv6");
        assert!(!carries_tcp_or_udp(&frame([0x08, 0x06], 9, 6)), "ARP");
        assert!(!carries_tcp_or_udp(&[0x08; 13]), "runt");
        assert!(!carries_tcp_or_udp(&[0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0x45]), "cut IPv4 header");
    }
}
