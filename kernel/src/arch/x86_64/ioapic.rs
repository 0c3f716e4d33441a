//! The I/O APIC, which turns device interrupt lines (GSIs) into vectors.

use super::mmio::Mmio;
use crate::sync::SpinLock;

const IOREGSEL: u64 = 0x00;
const IOWIN: u64 = 0x10;
const REG_VERSION: u32 = 0x01;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Edge,
    Level,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    ActiveHigh,
    ActiveLow,
}

#[derive(Debug, Clone, Copy)]
struct IoApic {
    mmio: Mmio,
    gsi_base: u32,
    inputs: u32,
}

static IOAPIC: SpinLock<Option<IoApic>> = SpinLock::new(None);

fn read(mmio: &Mmio, reg: u32) -> u32 {
    mmio.write32(IOREGSEL, reg);
    mmio.read32(IOWIN)
}

fn write(mmio: &Mmio, reg: u32, value: u32) {
    mmio.write32(IOREGSEL, reg);
    mmio.write32(IOWIN, value);
}

/// Registers the I/O APIC at `phys` and masks all of its inputs.
pub fn init(phys: u64, gsi_base: u32) -> u32 {
    let mmio = Mmio::new(phys, 0x20);
    let inputs = ((read(&mmio, REG_VERSION) >> 16) & 0xff) + 1;
    for i in 0..inputs {
        write(&mmio, 0x10 + 2 * i, 1 << 16);
        write(&mmio, 0x11 + 2 * i, 0);
    }
    *IOAPIC.lock() = Some(IoApic { mmio, gsi_base, inputs });
    inputs
}

/// Routes `gsi` to `vector` on the CPU with `apic_id`, unmasked.
pub fn route(gsi: u32, vector: u8, apic_id: u32, trigger: Trigger, polarity: Polarity) -> bool {
    program(gsi, u32::from(vector), apic_id, trigger, polarity)
}

/// Routes `gsi` to the CPU with `apic_id` as a non-maskable interrupt (the
/// sampling profiler's clock), unmasked.
pub fn route_nmi(gsi: u32, apic_id: u32, trigger: Trigger, polarity: Polarity) -> bool {
    const DELIVERY_NMI: u32 = 0b100 << 8;
    program(gsi, DELIVERY_NMI, apic_id, trigger, polarity)
}

/// Writes `gsi`'s redirection entry: `low` (vector or delivery mode) with
/// the trigger and polarity bits, to the CPU with `apic_id`, unmasked.
fn program(gsi: u32, mut low: u32, apic_id: u32, trigger: Trigger, polarity: Polarity) -> bool {
    let guard = IOAPIC.lock();
    let Some(ioapic) = guard.as_ref() else { return false };
    let Some(pin) = gsi.checked_sub(ioapic.gsi_base).filter(|p| *p < ioapic.inputs) else {
        return false;
    };
    if polarity == Polarity::ActiveLow {
        low |= 1 << 13;
    }
    if trigger == Trigger::Level {
        low |= 1 << 15;
    }
    write(&ioapic.mmio, 0x11 + 2 * pin, apic_id << 24);
    write(&ioapic.mmio, 0x10 + 2 * pin, low);
    true
}

/// Where ISA interrupt `irq` arrives: its GSI, trigger and polarity from
/// the MADT's overrides, or the PC defaults (same number, edge, active
/// high) without a MADT.
pub fn isa_route(madt: Option<&acpi::Madt>, irq: u8) -> (u32, Trigger, Polarity) {
    let (gsi, polarity, trigger) =
        madt.map_or((u32::from(irq), acpi::Polarity::ActiveHigh, acpi::Trigger::Edge), |m| m.isa_irq_to_gsi(irq));
    let polarity = if polarity == acpi::Polarity::ActiveLow { Polarity::ActiveLow } else { Polarity::ActiveHigh };
    let trigger = if trigger == acpi::Trigger::Level { Trigger::Level } else { Trigger::Edge };
    (gsi, trigger, polarity)
}

/// Masks or unmasks an input already routed.
pub fn set_masked(gsi: u32, masked: bool) {
    let guard = IOAPIC.lock();
    let Some(ioapic) = guard.as_ref() else { return };
    let Some(pin) = gsi.checked_sub(ioapic.gsi_base).filter(|p| *p < ioapic.inputs) else { return };
    let low = read(&ioapic.mmio, 0x10 + 2 * pin);
    let low = if masked { low | 1 << 16 } else { low & !(1 << 16) };
    write(&ioapic.mmio, 0x10 + 2 * pin, low);
}
