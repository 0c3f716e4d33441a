//! The block device (virtio 1.x, 5.2): its features, configuration and
//! requests, and its initialization through the shared transport
//! (`virtio::transport`) with one request queue.
//!
//! Each request is a chain: a 16-byte header (type, reserved, sector),
//! the data segments, and a status byte the device writes. Headers and
//! status bytes live in DMA memory next to the queue's, indexed by the
//! chain's head descriptor, so a request needs no allocation.

use abi::PAGE_SIZE;
use virtio::features::F_VERSION_1;
use virtio::{dma, virtqueue, Failure, Queue, Regs, Transport, Window};

// Feature bits.
pub const F_SIZE_MAX: u64 = 1 << 1;
pub const F_SEG_MAX: u64 = 1 << 2;
pub const F_RO: u64 = 1 << 5;
pub const F_BLK_SIZE: u64 = 1 << 6;
pub const F_FLUSH: u64 = 1 << 9;
/// What we can use; everything else the device offers is declined.
const WANTED: u64 = F_VERSION_1 | F_SIZE_MAX | F_SEG_MAX | F_RO | F_BLK_SIZE | F_FLUSH;

// virtio_blk_config.
const CFG_CAPACITY: u64 = 0;
const CFG_SIZE_MAX: u64 = 8;
const CFG_SEG_MAX: u64 = 12;
const CFG_BLK_SIZE: u64 = 20;

// Request types and status values.
pub const T_IN: u32 = 0;
pub const T_OUT: u32 = 1;
pub const T_FLUSH: u32 = 4;
pub const S_OK: u8 = 0;
pub const S_UNSUPP: u8 = 2;

/// The DMA memory at the driver's queue address: the queue's pages, then
/// the request headers (16 bytes each, one page) and the status bytes
/// (one per head, one page), indexed by head descriptor.
const PAGES: u64 = virtqueue::PAGES + 2;
const HEADERS: u64 = virtqueue::PAGES * PAGE_SIZE;
const STATUS: u64 = HEADERS + PAGE_SIZE;

/// What initialization learnt.
pub struct Device {
    pub transport: Transport,
    pub queue: Queue,
    /// The request headers and status bytes (`HEADERS`, `STATUS`), and
    /// the physical address of the memory they are in.
    requests: Window,
    requests_phys: u64,
    pub features: u64,
    pub offered: u64,
    pub capacity: u64,
    /// Largest data segment (bytes, a multiple of 512), if limited.
    pub size_max: Option<u32>,
    /// Most data segments per request, if limited.
    pub seg_max: Option<u32>,
    pub blk_size: u32,
}

/// Resets and initializes the device with one request queue of at most
/// `virtqueue::MAX_SIZE` entries, whose DMA memory is mapped at `vaddr`.
pub fn init(regs: Regs, vaddr: u64) -> Result<Device, Failure> {
    use alloc::format;
    let t = Transport::new(regs);
    t.reset()?;
    t.acknowledge();
    let (offered, features) = t.negotiate(WANTED)?;
    // The request queue (virtio-blk without MQ: queue 0 only).
    let (mem, phys) = match dma::alloc(PAGES, vaddr) {
        Ok(m) => m,
        Err(error) => return Err(t.fail(format!("cannot allocate the queue's DMA memory: {}", error.name()))),
    };
    let ring = mem.sub(0, virtqueue::PAGES * PAGE_SIZE).expect("the queue's pages inside the DMA memory");
    let queue = t.setup_queue(0, ring, phys)?;
    let (capacity, size_max, seg_max, blk_size) = t.read_config(|config| {
        let capacity = u64::from(config.read32(CFG_CAPACITY)) | u64::from(config.read32(CFG_CAPACITY + 4)) << 32;
        let field =
            |off: u64, feature: u64| (features & feature != 0 && off + 4 <= config.len()).then(|| config.read32(off));
        (capacity, field(CFG_SIZE_MAX, F_SIZE_MAX), field(CFG_SEG_MAX, F_SEG_MAX), field(CFG_BLK_SIZE, F_BLK_SIZE))
    })?;
    // A segment limit below one sector would make requests impossible;
    // keep limits in whole sectors.
    let size_max = size_max.filter(|&s| s != 0).map(|s| (s / 512 * 512).max(512));
    let seg_max = seg_max.filter(|&s| s != 0);
    let blk_size = blk_size.filter(|&b| b >= 512 && b.is_power_of_two()).unwrap_or(512);
    t.driver_ok()?;
    Ok(Device {
        transport: t,
        queue,
        requests: mem,
        requests_phys: phys,
        features,
        offered,
        capacity,
        size_max,
        seg_max,
        blk_size,
    })
}

impl Device {
    pub fn read_only(&self) -> bool {
        self.features & F_RO != 0
    }
    pub fn can_flush(&self) -> bool {
        self.features & F_FLUSH != 0
    }

    /// Reads (and so clears) the ISR status: bit 0 a queue interrupt, bit
    /// 1 a configuration change. Reading it also deasserts INTx.
    pub fn isr(&self) -> u8 {
        self.transport.isr()
    }

    /// The physical address of `head`'s request header (16 bytes).
    pub fn header_phys(&self, head: u16) -> u64 {
        self.requests_phys + HEADERS + 16 * u64::from(head)
    }
    pub fn header(&self, head: u16) -> Window {
        self.requests.sub(HEADERS + 16 * u64::from(head), 16).expect("header inside the request memory")
    }
    pub fn status_phys(&self, head: u16) -> u64 {
        self.requests_phys + STATUS + u64::from(head)
    }
    pub fn status(&self, head: u16) -> u8 {
        self.requests.read8(STATUS + u64::from(head))
    }
    pub fn set_status(&self, head: u16, value: u8) {
        self.requests.write8(STATUS + u64::from(head), value)
    }
}
