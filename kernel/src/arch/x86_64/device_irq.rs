//! Interrupt lines handed to user-space drivers.
//!
//! ISA-style line n (0-23) is routed through the I/O APIC to vector
//! `USER_IRQ_BASE + n`, honouring the firmware's interrupt source
//! overrides. When it fires, the line is masked and the core told; the
//! driver unmasks it (`irq_ack`) once it has served the device, so a
//! level-triggered device cannot storm the CPU meanwhile.

use super::{apic, ioapic};
use crate::sync::SpinLock;

pub const USER_IRQ_BASE: u8 = 0x40;
pub const LINES: u8 = 24;

/// Lines the kernel uses itself: the PIT (0), the cascade (2), COM1 (4).
pub fn is_kernel_line(line: u8) -> bool {
    matches!(line, 0 | 2) || line == super::serial::IRQ
}

#[derive(Clone, Copy)]
struct Route {
    gsi: u32,
    trigger: ioapic::Trigger,
    polarity: ioapic::Polarity,
}

static ROUTES: SpinLock<[Option<Route>; LINES as usize]> = SpinLock::new([None; LINES as usize]);

/// Records where each line arrives (from the MADT's overrides); lines
/// 16-23 are PCI-style: level-triggered, active low.
pub fn init(madt: Option<&acpi::Madt>) {
    let mut routes = ROUTES.lock();
    for line in 0..LINES {
        let route = if line < 16 {
            let (gsi, trigger, polarity) = ioapic::isa_route(madt, line);
            Route { gsi, polarity, trigger }
        } else {
            Route { gsi: u32::from(line), polarity: ioapic::Polarity::ActiveLow, trigger: ioapic::Trigger::Level }
        };
        routes[line as usize] = Some(route);
    }
}

/// Routes the line to its vector, unmasked. False if the I/O APIC has no
/// such input.
pub fn enable(line: u8) -> bool {
    let Some(r) = ROUTES.lock().get(line as usize).copied().flatten() else { return false };
    ioapic::route(r.gsi, USER_IRQ_BASE + line, apic::id(), r.trigger, r.polarity)
}

pub fn set_masked(line: u8, masked: bool) {
    if let Some(r) = ROUTES.lock().get(line as usize).copied().flatten() {
        ioapic::set_masked(r.gsi, masked);
    }
}

/// The line behind a vector, if it is a user line's.
pub fn line_of(vector: u8) -> Option<u8> {
    vector.checked_sub(USER_IRQ_BASE).filter(|l| *l < LINES)
}
