//! The virtio device: the PCI modern transport's common configuration
//! (virtio 1.x, 4.1.4.3), the initialization sequence (3.1.1), and the
//! block device's configuration and requests (5.2).

use crate::virtqueue::{self, Queue};
use crate::window::Window;
use abi::{Error, MEM_DMA};
use rt::sys;

// virtio_pci_common_cfg.
const DEVICE_FEATURE_SELECT: u64 = 0x00;
const DEVICE_FEATURE: u64 = 0x04;
const DRIVER_FEATURE_SELECT: u64 = 0x08;
const DRIVER_FEATURE: u64 = 0x0c;
const NUM_QUEUES: u64 = 0x12;
const DEVICE_STATUS: u64 = 0x14;
const CONFIG_GENERATION: u64 = 0x15;
const QUEUE_SELECT: u64 = 0x16;
const QUEUE_SIZE: u64 = 0x18;
const QUEUE_MSIX_VECTOR: u64 = 0x1a;
const QUEUE_ENABLE: u64 = 0x1c;
const QUEUE_NOTIFY_OFF: u64 = 0x1e;
const QUEUE_DESC: u64 = 0x20;
const QUEUE_DRIVER: u64 = 0x28;
const QUEUE_DEVICE: u64 = 0x30;
/// Bytes of the common configuration we use.
pub const COMMON_LEN: u64 = 0x38;

// Device status bits.
const ACKNOWLEDGE: u8 = 1;
const DRIVER: u8 = 2;
const DRIVER_OK: u8 = 4;
const FEATURES_OK: u8 = 8;
const FAILED: u8 = 128;

const NO_VECTOR: u16 = 0xffff;

// Feature bits.
pub const F_SIZE_MAX: u64 = 1 << 1;
pub const F_SEG_MAX: u64 = 1 << 2;
pub const F_RO: u64 = 1 << 5;
pub const F_BLK_SIZE: u64 = 1 << 6;
pub const F_FLUSH: u64 = 1 << 9;
pub const F_VERSION_1: u64 = 1 << 32;
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

/// The device's registers, as found through its PCI capabilities.
pub struct Regs {
    pub common: Window,
    /// The notify structure: queue `q`'s doorbell is at
    /// `queue_notify_off(q) * multiplier`.
    pub notify: Window,
    pub multiplier: u32,
    pub isr: Window,
    pub config: Window,
}

/// What initialization learnt.
pub struct Device {
    pub regs: Regs,
    pub queue: Queue,
    pub features: u64,
    pub offered: u64,
    pub capacity: u64,
    /// Largest data segment (bytes, a multiple of 512), if limited.
    pub size_max: Option<u32>,
    /// Most data segments per request, if limited.
    pub seg_max: Option<u32>,
    pub blk_size: u32,
}

/// Why initialization stopped: a line for the log.
pub type Failure = alloc::string::String;

fn fail(regs: &Regs, why: Failure) -> Failure {
    // Tell the device we gave up.
    let status = regs.common.read8(DEVICE_STATUS);
    regs.common.write8(DEVICE_STATUS, status | FAILED);
    why
}

/// Resets and initializes the device with one request queue of at most
/// `virtqueue::MAX_SIZE` entries, whose DMA memory is mapped at `vaddr`.
pub fn init(regs: Regs, vaddr: u64) -> Result<Device, Failure> {
    use alloc::format;
    let c = regs.common;
    // 1. Reset, and wait until the device says it is done.
    c.write8(DEVICE_STATUS, 0);
    let mut waited = 0;
    while c.read8(DEVICE_STATUS) != 0 {
        if waited >= 1000 {
            return Err("the device does not come out of reset (status stays nonzero for 1 s)".into());
        }
        sys::sleep(1_000_000);
        waited += 1;
    }
    // 2-3. We noticed it, and can drive it.
    c.write8(DEVICE_STATUS, ACKNOWLEDGE);
    c.write8(DEVICE_STATUS, ACKNOWLEDGE | DRIVER);
    // 4. Features.
    c.write32(DEVICE_FEATURE_SELECT, 0);
    let low = c.read32(DEVICE_FEATURE);
    c.write32(DEVICE_FEATURE_SELECT, 1);
    let high = c.read32(DEVICE_FEATURE);
    let offered = u64::from(low) | u64::from(high) << 32;
    if offered & F_VERSION_1 == 0 {
        return Err(fail(
            &regs,
            format!("the device does not offer VIRTIO_F_VERSION_1 (features {offered:#x}): not a virtio 1.x device"),
        ));
    }
    let features = offered & WANTED;
    c.write32(DRIVER_FEATURE_SELECT, 0);
    c.write32(DRIVER_FEATURE, features as u32);
    c.write32(DRIVER_FEATURE_SELECT, 1);
    c.write32(DRIVER_FEATURE, (features >> 32) as u32);
    // 5-6. FEATURES_OK, and the device must keep it.
    c.write8(DEVICE_STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
    if c.read8(DEVICE_STATUS) & FEATURES_OK == 0 {
        return Err(fail(&regs, format!("the device refused our features {features:#x} (FEATURES_OK cleared)")));
    }
    // 7. The request queue (virtio-blk without MQ: queue 0 only).
    if c.read16(NUM_QUEUES) == 0 {
        return Err(fail(&regs, "the device has no queues".into()));
    }
    c.write16(QUEUE_SELECT, 0);
    let max = c.read16(QUEUE_SIZE);
    if max == 0 {
        return Err(fail(&regs, "queue 0 is not available (size 0)".into()));
    }
    if c.read16(QUEUE_ENABLE) != 0 {
        return Err(fail(&regs, "queue 0 is already enabled after reset".into()));
    }
    // A split queue's size is a power of two; we may choose a smaller one.
    let mut size = virtqueue::MAX_SIZE.min(max);
    while !size.is_power_of_two() {
        size &= size - 1;
    }
    if size < 4 {
        return Err(fail(&regs, format!("queue 0 is too small ({max} entries)")));
    }
    let notify_off = u64::from(c.read16(QUEUE_NOTIFY_OFF));
    let Some(doorbell) = notify_off.checked_mul(u64::from(regs.multiplier)).and_then(|at| regs.notify.sub(at, 2))
    else {
        return Err(fail(
            &regs,
            format!(
                "queue 0's doorbell (offset {notify_off} x {}) lies outside the notify structure ({} bytes)",
                regs.multiplier,
                regs.notify.len()
            ),
        ));
    };
    let (mem, phys) = match alloc_dma(virtqueue::PAGES, vaddr) {
        Ok(m) => m,
        Err(error) => return Err(fail(&regs, format!("cannot allocate the queue's DMA memory: {}", error.name()))),
    };
    let queue = Queue::new(mem, phys, size, doorbell);
    c.write16(QUEUE_SIZE, size);
    c.write16(QUEUE_MSIX_VECTOR, NO_VECTOR);
    c.write64_split(QUEUE_DESC, queue.desc_phys());
    c.write64_split(QUEUE_DRIVER, queue.avail_phys());
    c.write64_split(QUEUE_DEVICE, queue.used_phys());
    c.write16(QUEUE_ENABLE, 1);
    // The configuration, consistently (the generation did not change
    // while we read it).
    let mut config = None;
    for _ in 0..100 {
        let generation = c.read8(CONFIG_GENERATION);
        let capacity =
            u64::from(regs.config.read32(CFG_CAPACITY)) | u64::from(regs.config.read32(CFG_CAPACITY + 4)) << 32;
        let field = |off: u64, feature: u64| {
            (features & feature != 0 && off + 4 <= regs.config.len()).then(|| regs.config.read32(off))
        };
        let size_max = field(CFG_SIZE_MAX, F_SIZE_MAX);
        let seg_max = field(CFG_SEG_MAX, F_SEG_MAX);
        let blk_size = field(CFG_BLK_SIZE, F_BLK_SIZE);
        if c.read8(CONFIG_GENERATION) == generation {
            config = Some((capacity, size_max, seg_max, blk_size));
            break;
        }
    }
    let Some((capacity, size_max, seg_max, blk_size)) = config else {
        return Err(fail(&regs, "the device configuration keeps changing while read".into()));
    };
    // A segment limit below one sector would make requests impossible;
    // keep limits in whole sectors.
    let size_max = size_max.filter(|&s| s != 0).map(|s| (s / 512 * 512).max(512));
    let seg_max = seg_max.filter(|&s| s != 0);
    let blk_size = blk_size.filter(|&b| b >= 512 && b.is_power_of_two()).unwrap_or(512);
    // 8. Live.
    c.write8(DEVICE_STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
    if c.read8(DEVICE_STATUS) & FAILED != 0 {
        return Err("the device failed after DRIVER_OK".into());
    }
    Ok(Device { regs, queue, features, offered, capacity, size_max, seg_max, blk_size })
}

/// Allocates `pages` of DMA memory, maps it at `vaddr`; returns the window
/// and its physical address.
pub fn alloc_dma(pages: u64, vaddr: u64) -> Result<(Window, u64), Error> {
    let slot = sys::mem_alloc(pages, MEM_DMA)?;
    let mapped = Window::map(slot, vaddr, 0, pages).and_then(|w| Ok((w, sys::mem_phys(slot, 0)?)));
    // The mapping keeps the memory alive; the slot is not needed.
    let _ = sys::cap_delete(slot);
    mapped
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
        self.regs.isr.read8(0)
    }
}
