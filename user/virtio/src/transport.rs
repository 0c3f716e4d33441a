//! The PCI modern transport (virtio 1.x, 4.1.4.3): the common
//! configuration's registers and the device initialization sequence
//! (3.1.1), one step per method so a driver can read its device
//! configuration between them, in this order:
//!
//! - `reset` (step 1);
//! - `acknowledge`: ACKNOWLEDGE, DRIVER (steps 2-3);
//! - `negotiate`: features, FEATURES_OK (steps 4-6);
//! - `setup_queue` per queue, and `read_config` (step 7);
//! - `driver_ok` (step 8).
//!
//! Every failure after reset sets FAILED in the device status, so the
//! device knows the driver gave up.

#![forbid(unsafe_code)]

use crate::features::{self, Refused};
use crate::regs::Regs;
use crate::virtqueue::{self, Queue};
use crate::window::Window;
use alloc::format;
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

/// No MSI-X vector: the drivers take INTx.
const NO_VECTOR: u16 = 0xffff;

/// Why initialization stopped: a line for the log.
pub type Failure = alloc::string::String;

/// The device, driven through its registers.
pub struct Transport {
    pub regs: Regs,
}

impl Transport {
    pub fn new(regs: Regs) -> Transport {
        Transport { regs }
    }

    /// Tells the device we gave up (FAILED), and returns `why`.
    pub fn fail(&self, why: Failure) -> Failure {
        let c = self.regs.common;
        let status = c.read8(DEVICE_STATUS);
        c.write8(DEVICE_STATUS, status | FAILED);
        why
    }

    /// Step 1: resets the device, and waits (up to 1 s) until it says it
    /// is done.
    pub fn reset(&self) -> Result<(), Failure> {
        let c = self.regs.common;
        c.write8(DEVICE_STATUS, 0);
        let mut waited = 0;
        while c.read8(DEVICE_STATUS) != 0 {
            if waited >= 1000 {
                return Err("the device does not come out of reset (status stays nonzero for 1 s)".into());
            }
            sys::sleep(1_000_000);
            waited += 1;
        }
        Ok(())
    }

    /// Steps 2-3: we noticed the device, and can drive it.
    pub fn acknowledge(&self) {
        let c = self.regs.common;
        c.write8(DEVICE_STATUS, ACKNOWLEDGE);
        c.write8(DEVICE_STATUS, ACKNOWLEDGE | DRIVER);
    }

    /// Steps 4-6: accepts the offered features that are in `wanted` (see
    /// `features::negotiate`), sets FEATURES_OK and checks the device
    /// kept it. Returns (offered, accepted).
    pub fn negotiate(&self, wanted: u64) -> Result<(u64, u64), Failure> {
        let c = self.regs.common;
        c.write32(DEVICE_FEATURE_SELECT, 0);
        let low = c.read32(DEVICE_FEATURE);
        c.write32(DEVICE_FEATURE_SELECT, 1);
        let high = c.read32(DEVICE_FEATURE);
        let offered = u64::from(low) | u64::from(high) << 32;
        let features = match features::negotiate(offered, wanted) {
            Ok(f) => f,
            Err(Refused::NotModern) => {
                return Err(self.fail(format!(
                    "the device does not offer VIRTIO_F_VERSION_1 (features {offered:#x}): not a virtio 1.x device"
                )))
            }
        };
        c.write32(DRIVER_FEATURE_SELECT, 0);
        c.write32(DRIVER_FEATURE, features as u32);
        c.write32(DRIVER_FEATURE_SELECT, 1);
        c.write32(DRIVER_FEATURE, (features >> 32) as u32);
        c.write8(DEVICE_STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        if c.read8(DEVICE_STATUS) & FEATURES_OK == 0 {
            return Err(self.fail(format!("the device refused our features {features:#x} (FEATURES_OK cleared)")));
        }
        Ok((offered, features))
    }

    /// Step 7: sets up and enables queue `index` with at most
    /// `virtqueue::MAX_SIZE` entries, in `mem` (zeroed DMA memory of at
    /// least `virtqueue::PAGES` pages at physical `phys`). The queue
    /// interrupts through INTx (no MSI-X vector).
    pub fn setup_queue(&self, index: u16, mem: Window, phys: u64) -> Result<Queue, Failure> {
        let c = self.regs.common;
        if index >= c.read16(NUM_QUEUES) {
            return Err(self.fail(if index == 0 {
                "the device has no queues".into()
            } else {
                format!("the device has no queue {index}")
            }));
        }
        c.write16(QUEUE_SELECT, index);
        let max = c.read16(QUEUE_SIZE);
        if max == 0 {
            return Err(self.fail(format!("queue {index} is not available (size 0)")));
        }
        if c.read16(QUEUE_ENABLE) != 0 {
            return Err(self.fail(format!("queue {index} is already enabled after reset")));
        }
        let Some(size) = queue_size(max) else {
            return Err(self.fail(format!("queue {index} is too small ({max} entries)")));
        };
        let notify_off = u64::from(c.read16(QUEUE_NOTIFY_OFF));
        let Some(doorbell) =
            notify_off.checked_mul(u64::from(self.regs.multiplier)).and_then(|at| self.regs.notify.sub(at, 2))
        else {
            return Err(self.fail(format!(
                "queue {index}'s doorbell (offset {notify_off} x {}) lies outside the notify structure ({} bytes)",
                self.regs.multiplier,
                self.regs.notify.len()
            )));
        };
        let queue = Queue::new(index, mem, phys, size, doorbell);
        c.write16(QUEUE_SIZE, size);
        c.write16(QUEUE_MSIX_VECTOR, NO_VECTOR);
        c.write64_split(QUEUE_DESC, queue.desc_phys());
        c.write64_split(QUEUE_DRIVER, queue.avail_phys());
        c.write64_split(QUEUE_DEVICE, queue.used_phys());
        c.write16(QUEUE_ENABLE, 1);
        Ok(queue)
    }

    /// `read` applied to the device configuration, consistently: retried
    /// while the configuration generation changes under it (at most 100
    /// times).
    pub fn read_config<T>(&self, read: impl Fn(&Window) -> T) -> Result<T, Failure> {
        let c = self.regs.common;
        for _ in 0..100 {
            let generation = c.read8(CONFIG_GENERATION);
            let value = read(&self.regs.config);
            if c.read8(CONFIG_GENERATION) == generation {
                return Ok(value);
            }
        }
        Err(self.fail("the device configuration keeps changing while read".into()))
    }

    /// Step 8: the driver is ready; the device may now use its queues.
    pub fn driver_ok(&self) -> Result<(), Failure> {
        let c = self.regs.common;
        c.write8(DEVICE_STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        if c.read8(DEVICE_STATUS) & FAILED != 0 {
            return Err("the device failed after DRIVER_OK".into());
        }
        Ok(())
    }

    /// Reads (and so clears) the ISR status: bit 0 a queue interrupt, bit
    /// 1 a configuration change. Reading it also deasserts INTx.
    pub fn isr(&self) -> u8 {
        self.regs.isr.read8(0)
    }
}

/// The size to give a queue whose device maximum is `max`: a split
/// queue's size is a power of two, and we may choose a smaller one than
/// the device's, up to `virtqueue::MAX_SIZE`. None below 4 entries.
fn queue_size(max: u16) -> Option<u16> {
    let mut size = virtqueue::MAX_SIZE.min(max);
    while !size.is_power_of_two() {
        size &= size - 1;
    }
    (size >= 4).then_some(size)
}
