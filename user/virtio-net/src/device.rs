//! The network device (virtio 1.x, 5.1): its features and configuration,
//! its receive and transmit queues (queues 0 and 1; no control queue, no
//! multiqueue), and the DMA buffers behind them.
//!
//! Every chain is one descriptor: the 12-byte `virtio_net_hdr` and the
//! frame together in one 2 KiB buffer (virtio 1.x lets header and data
//! share a buffer). Buffers are indexed by the descriptor that carries
//! them, so a chain needs no bookkeeping beyond the queue's own.

use abi::PAGE_SIZE;
use alloc::format;
use virtio::features::F_VERSION_1;
use virtio::{dma, virtqueue, Failure, Queue, Regs, Transport, Window};

// Feature bits (5.1.3).
/// The device completes checksums of frames we send (NEEDS_CSUM).
pub const F_CSUM: u64 = 1 << 0;
/// We complete checksums of frames the device hands us partial.
pub const F_GUEST_CSUM: u64 = 1 << 1;
pub const F_MTU: u64 = 1 << 3;
pub const F_MAC: u64 = 1 << 5;
pub const F_STATUS: u64 = 1 << 16;
/// What we can use. Not MRG_RXBUF (every buffer holds a whole frame), no
/// segmentation offloads, no control queue.
const WANTED: u64 = F_VERSION_1 | F_CSUM | F_GUEST_CSUM | F_MTU | F_MAC | F_STATUS;

// virtio_net_config.
const CFG_MAC: u64 = 0;
const CFG_STATUS: u64 = 6;
const CFG_MTU: u64 = 10;
/// The fewest bytes of device configuration read: MAC and status.
pub const CONFIG_MIN: u64 = 8;
const S_LINK_UP: u16 = 1;

/// `virtio_net_hdr` (with VERSION_1 it always has `num_buffers`).
pub const HDR_LEN: usize = 12;
pub const HDR_F_NEEDS_CSUM: u8 = 1;
pub const HDR_F_DATA_VALID: u8 = 2;
const HDR_GSO_NONE: u8 = 0;

/// Bytes per descriptor's slot of the buffer memory.
const SLOT_BYTES: u64 = 2048;
/// Where in its slot a buffer starts: 4 bytes in, so that the frame after
/// the 12-byte header is 8-aligned, as the client ring's slots are, and
/// a received frame is copied onto the ring eight bytes at a time.
const SLOT_PAD: u64 = 4;
/// Bytes per buffer: header and frame.
pub const BUFFER_BYTES: u64 = SLOT_BYTES - SLOT_PAD;
/// The longest frame a buffer holds.
pub const FRAME_CAPACITY: usize = BUFFER_BYTES as usize - HDR_LEN;
/// The MTU when the device names none (Ethernet's).
const DEFAULT_MTU: u16 = 1500;
/// An Ethernet header, and a VLAN tag a frame may carry.
const ETHERNET_OVERHEAD: usize = 14 + 4;

pub const RX: u16 = 0;
pub const TX: u16 = 1;

/// One queue and its buffers (`queue.size()` of them, by descriptor).
pub struct Buffers {
    pub queue: Queue,
    mem: Window,
    phys: u64,
}

impl Buffers {
    fn new(t: &Transport, index: u16, vaddr: u64) -> Result<Buffers, Failure> {
        let (ring_mem, ring_phys) = dma::alloc(virtqueue::PAGES, vaddr)
            .map_err(|e| t.fail(format!("cannot allocate queue {index}'s DMA memory: {}", e.name())))?;
        let queue = t.setup_queue(index, ring_mem, ring_phys)?;
        let pages = u64::from(queue.size()) * SLOT_BYTES / PAGE_SIZE;
        let (mem, phys) = dma::alloc(pages, vaddr + (virtqueue::PAGES + 1) * PAGE_SIZE)
            .map_err(|e| t.fail(format!("cannot allocate queue {index}'s {pages} pages of buffers: {}", e.name())))?;
        Ok(Buffers { queue, mem, phys })
    }

    /// Descriptor `d`'s buffer and its physical address.
    pub fn buffer(&self, d: u16) -> (Window, u64) {
        let off = u64::from(d) * SLOT_BYTES + SLOT_PAD;
        (self.mem.sub(off, BUFFER_BYTES).expect("a descriptor's buffer inside the buffer memory"), self.phys + off)
    }
}

/// What initialization learnt, and the queues.
pub struct Device {
    pub transport: Transport,
    pub rx: Buffers,
    pub tx: Buffers,
    pub features: u64,
    pub offered: u64,
    pub mac: [u8; 6],
    /// The largest IP packet (at most what a buffer holds).
    pub mtu: u16,
}

/// Resets and initializes the device with one receive and one transmit
/// queue, whose DMA memory is mapped from `vaddr` up.
pub fn init(regs: Regs, vaddr: u64) -> Result<Device, Failure> {
    let t = Transport::new(regs);
    t.reset()?;
    t.acknowledge();
    let (offered, features) = t.negotiate(WANTED)?;
    let rx = Buffers::new(&t, RX, vaddr)?;
    let tx = Buffers::new(&t, TX, vaddr + 0x100_0000)?;
    let (mac, mtu) = t.read_config(|config| {
        let mut mac = [0u8; 6];
        for (i, byte) in mac.iter_mut().enumerate() {
            *byte = config.read8(CFG_MAC + i as u64);
        }
        let mtu = (features & F_MTU != 0 && CFG_MTU + 2 <= config.len()).then(|| config.read16(CFG_MTU));
        (mac, mtu)
    })?;
    if features & F_MAC == 0 {
        return Err(
            t.fail("the device offers no MAC address (VIRTIO_NET_F_MAC); this driver does not make one up".into())
        );
    }
    // Frames must fit a buffer; a smaller MTU than 68 (IPv4's minimum) is nonsense.
    let largest = (FRAME_CAPACITY - ETHERNET_OVERHEAD) as u16;
    let mtu = mtu.filter(|&m| m >= 68).unwrap_or(DEFAULT_MTU).min(largest);
    t.driver_ok()?;
    Ok(Device { transport: t, rx, tx, features, offered, mac, mtu })
}

impl Device {
    /// Whether the link is up: the status field if the device has one,
    /// else always.
    pub fn link_up(&self) -> bool {
        if self.features & F_STATUS == 0 {
            return true;
        }
        self.transport.read_config(|config| config.read16(CFG_STATUS) & S_LINK_UP != 0).unwrap_or(false)
    }

    pub fn device_checksum(&self) -> bool {
        self.features & F_CSUM != 0
    }

    pub fn guest_checksum(&self) -> bool {
        self.features & F_GUEST_CSUM != 0
    }

    /// Reads (and so clears) the ISR status: bit 0 a queue interrupt, bit
    /// 1 a configuration change. Reading it also deasserts INTx.
    pub fn isr(&self) -> u8 {
        self.transport.isr()
    }

    /// The longest frame the client may send: MTU plus Ethernet header and
    /// a VLAN tag.
    pub fn frame_max(&self) -> usize {
        usize::from(self.mtu) + ETHERNET_OVERHEAD
    }
}

/// A transmit header: no offload, or the device completes the checksum
/// at `csum_start + csum_offset` over the bytes from `csum_start` on.
pub fn write_tx_header(buffer: &Window, offload: Option<(u16, u16)>) {
    let (flags, start, offset) = match offload {
        Some((start, offset)) => (HDR_F_NEEDS_CSUM, start, offset),
        None => (0, 0, 0),
    };
    buffer.write8(0, flags);
    buffer.write8(1, HDR_GSO_NONE);
    buffer.write16(2, 0); // hdr_len
    buffer.write16(4, 0); // gso_size
    buffer.write16(6, start);
    buffer.write16(8, offset);
    buffer.write16(10, 0); // num_buffers
}
