//! PCI configuration mechanism #1, shared by several user-space drivers.
//!
//! A configuration access is two port accesses: the function and register
//! are written to CONFIG_ADDRESS (0xcf8), then the data is read or written
//! at CONFIG_DATA (0xcfc-0xcff). Two drivers that each hold the ports (say
//! virtio-blk and virtio-net scanning the bus at once) would otherwise
//! interleave them and read each other's registers. So the kernel keeps
//! each task's CONFIG_ADDRESS (`Selected`) instead of writing the port,
//! and an access to CONFIG_DATA writes that task's address and makes the
//! data access under one lock: every select-then-access pair is atomic,
//! with no new call and no change to drivers. Two threads of one task
//! still share one selected address (drivers are single-threaded).

use super::port;
use crate::sync::SpinLock;
use core::sync::atomic::{AtomicU32, Ordering};

const CONFIG_ADDRESS: u16 = 0xcf8;
const CONFIG_DATA: u16 = 0xcfc;

/// A task's CONFIG_ADDRESS: the last 32-bit value it wrote to 0xcf8.
#[derive(Debug, Default)]
pub struct Selected(AtomicU32);

impl Selected {
    pub const fn new() -> Self {
        Selected(AtomicU32::new(0))
    }
}

/// Held across the address write and the data access.
static HARDWARE: SpinLock<()> = SpinLock::new(());

/// Whether `port`/`width` is the 32-bit CONFIG_ADDRESS register (byte and
/// word accesses to 0xcf8-0xcfb reach other chipset registers, such as
/// the reset control at 0xcf9, and pass through).
fn is_address(port: u16, width: u8) -> bool {
    port == CONFIG_ADDRESS && width == 4
}

fn is_data(port: u16, width: u8) -> bool {
    (CONFIG_DATA..CONFIG_DATA + 4).contains(&port) && u32::from(port) + u32::from(width) <= u32::from(CONFIG_DATA) + 4
}

/// A user driver's port read: `None` if the port is no configuration
/// register (the caller reads it directly).
pub fn read(selected: &Selected, p: u16, width: u8) -> Option<u32> {
    if is_address(p, width) {
        return Some(selected.0.load(Ordering::Relaxed));
    }
    if !is_data(p, width) {
        return None;
    }
    let _hardware = HARDWARE.lock();
    port::outl(CONFIG_ADDRESS, selected.0.load(Ordering::Relaxed));
    Some(match width {
        1 => u32::from(port::inb(p)),
        2 => u32::from(port::inw(p)),
        _ => port::inl(p),
    })
}

/// A user driver's port write: false if the port is no configuration
/// register (the caller writes it directly).
pub fn write(selected: &Selected, p: u16, width: u8, value: u32) -> bool {
    if is_address(p, width) {
        selected.0.store(value, Ordering::Relaxed);
        return true;
    }
    if !is_data(p, width) {
        return false;
    }
    let _hardware = HARDWARE.lock();
    port::outl(CONFIG_ADDRESS, selected.0.load(Ordering::Relaxed));
    match width {
        1 => port::outb(p, value as u8),
        2 => port::outw(p, value as u16),
        _ => port::outl(p, value),
    }
    true
}
