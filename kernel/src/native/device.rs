//! Devices for user-space drivers: interrupt lines delivered as
//! notification bits, I/O ports read and written by the kernel on the
//! driver's behalf, and which physical pages an MMIO capability may map.
//! What the kernel drives itself (its console, timers, interrupt
//! controllers, RAM) is refused with `Denied` whatever capability is shown.

use crate::arch::device_irq;
use crate::arch::pci_config;
use crate::arch::port;
use crate::cap::{self, KObject};
use crate::ipc::{table_of, Notification};
use crate::sync::SpinLock;
use crate::task::process::Process;
use crate::task::thread::Thread;
use abi::{CapType, Error, Rights};
use alloc::sync::{Arc, Weak};

struct Binding {
    notification: Arc<Notification>,
    bits: u64,
    /// The binding lasts as long as the task that made it.
    owner: Weak<Process>,
    /// Masked after an interrupt until acknowledged.
    pending_ack: bool,
}

const NO_BINDING: Option<Binding> = None;
static BINDINGS: SpinLock<[Option<Binding>; device_irq::LINES as usize]> =
    SpinLock::new([NO_BINDING; device_irq::LINES as usize]);

fn live(b: &Binding) -> bool {
    b.owner.upgrade().is_some_and(|p| p.exit.lock().is_none())
}

/// The one line an IRQ capability names (binding needs exactly one).
fn irq_line(t: &Arc<Thread>, slot: u64) -> Result<u8, Error> {
    let (obj, _, _) = cap::lookup(table_of(t), slot, CapType::Irq, Rights::READ)?;
    match obj {
        KObject::Irq { first, count: 1 } if first < u64::from(device_irq::LINES) => Ok(first as u8),
        KObject::Irq { .. } => Err(Error::InvalidArgument),
        _ => Err(Error::WrongType),
    }
}

pub fn irq_bind(t: &Arc<Thread>, irq: u64, ntfn: u64, bits: u64) -> Result<u64, Error> {
    let line = irq_line(t, irq)?;
    let (obj, _, _) = cap::lookup(table_of(t), ntfn, CapType::Notification, Rights::WRITE)?;
    let KObject::Notification(notification) = obj else { return Err(Error::WrongType) };
    if bits == 0 || bits & !abi::NOTIFY_BITS != 0 {
        return Err(Error::InvalidArgument);
    }
    if device_irq::is_kernel_line(line) {
        return Err(Error::Denied);
    }
    let old = {
        let mut b = BINDINGS.lock();
        let slot = &mut b[line as usize];
        if slot.as_ref().is_some_and(live) {
            return Err(Error::Busy);
        }
        slot.replace(Binding { notification, bits, owner: Arc::downgrade(t.process()), pending_ack: false })
    };
    drop(old);
    if !device_irq::enable(line) {
        let gone = BINDINGS.lock()[line as usize].take();
        drop(gone);
        return Err(Error::InvalidArgument);
    }
    crate::debug!("native: pid {} bound IRQ line {line}", t.process().pid);
    Ok(0)
}

pub fn irq_ack(t: &Arc<Thread>, irq: u64) -> Result<u64, Error> {
    let line = irq_line(t, irq)?;
    let mut b = BINDINGS.lock();
    let Some(binding) = b[line as usize].as_mut().filter(|b| live(b)) else {
        return Err(Error::InvalidState);
    };
    binding.pending_ack = false;
    drop(b);
    device_irq::set_masked(line, false);
    Ok(0)
}

/// Interrupt context: the line fired (and is now masked).
pub fn on_interrupt(line: u8) {
    let target = {
        let mut b = BINDINGS.lock();
        match b[line as usize].as_mut() {
            Some(binding) if live(binding) => {
                binding.pending_ack = true;
                Some((binding.notification.clone(), binding.bits))
            }
            _ => None, // its task is gone: the line stays masked
        }
    };
    if let Some((n, bits)) = target {
        n.signal(bits);
    }
}

fn port_range(t: &Arc<Thread>, slot: u64, port: u64, width: u64, needed: Rights) -> Result<u16, Error> {
    let (obj, _, _) = cap::lookup(table_of(t), slot, CapType::IoPorts, needed)?;
    let KObject::IoPorts { base, count } = obj else { return Err(Error::WrongType) };
    if !matches!(width, 1 | 2 | 4)
        || port < base
        || port.saturating_add(width) > base.saturating_add(count)
        || port + width > 0x10000
    {
        return Err(Error::InvalidArgument);
    }
    if port::is_kernel_port(port as u16, width as u16) {
        return Err(Error::Denied);
    }
    Ok(port as u16)
}

pub fn port_in(t: &Arc<Thread>, ports: u64, port: u64, width: u64) -> Result<u64, Error> {
    let p = port_range(t, ports, port, width, Rights::READ)?;
    if let Some(value) = pci_config::read(&t.process().pci_selected, p, width as u8) {
        return Ok(u64::from(value));
    }
    Ok(match width {
        1 => u64::from(port::inb(p)),
        2 => u64::from(port::inw(p)),
        _ => u64::from(port::inl(p)),
    })
}

pub fn port_out(t: &Arc<Thread>, ports: u64, port: u64, width: u64, value: u64) -> Result<u64, Error> {
    let p = port_range(t, ports, port, width, Rights::WRITE)?;
    if pci_config::write(&t.process().pci_selected, p, width as u8, value as u32) {
        return Ok(0);
    }
    match width {
        1 => port::outb(p, value as u8),
        2 => port::outw(p, value as u16),
        _ => port::outl(p, value as u32),
    }
    Ok(0)
}

/// Physical ranges that hold RAM (usable, firmware tables, boot modules),
/// recorded at boot: no MMIO capability maps them.
static RAM: SpinLock<alloc::vec::Vec<core::ops::Range<u64>>> = SpinLock::new(alloc::vec::Vec::new());

pub fn record_ram(boot: &crate::boot::BootInfo) {
    let mut ram = RAM.lock();
    ram.extend(boot.usable_ranges().iter().cloned());
    ram.extend(boot.direct_map_ranges().iter().cloned());
    ram.extend(boot.modules().iter().map(|m| m.phys..m.phys + m.size));
}

/// Whether a physical page may be mapped through an MMIO capability: not
/// RAM, not the interrupt controllers or HPET the kernel programs, not the
/// firmware area below 640 KiB.
pub fn mmio_page_allowed(phys: u64) -> bool {
    const KERNEL_DEVICES: &[(u64, u64)] = &[(0xfec0_0000, 0x1000), (0xfed0_0000, 0x1000), (0xfee0_0000, 0x10_0000)];
    if phys < 0xa_0000 || crate::mm::frames::is_managed(phys) || RAM.lock().iter().any(|r| r.contains(&phys)) {
        return false;
    }
    if phys >= 1 << 52 {
        return false;
    }
    !KERNEL_DEVICES.iter().any(|&(b, n)| phys >= b && phys < b + n)
}
