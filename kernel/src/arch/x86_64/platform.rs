//! Bringing up the machine's interrupt and timer hardware from ACPI: the
//! local APIC, the I/O APIC, routing of the serial line, the periodic timer.

use super::entry::EarlyPhysReader;
use super::interrupts::VECTOR_SERIAL;
use super::{apic, cpu, ioapic, paging, serial};
use crate::boot::BootInfo;
use crate::sync::SpinLock;
use acpi::{PhysMemory, Platform, ReadFailed};

impl PhysMemory for EarlyPhysReader {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadFailed> {
        bootinfo::PhysReader::read(self, paddr, buf).map_err(|_| ReadFailed)
    }
}

/// What early ACPI discovery found.
#[derive(Clone, Copy)]
pub struct EarlyAcpi {
    platform: Option<Platform>,
    pub hpet_base: Option<u64>,
}

static ACPI: SpinLock<Option<Platform>> = SpinLock::new(None);

/// Reads the ACPI tables through the boot mapping (they live below 4 GiB on
/// every machine we boot on; above that they are reported missing).
pub fn discover_acpi(mem: &EarlyPhysReader, rsdp_hint: u64) -> EarlyAcpi {
    match acpi::discover(mem, rsdp_hint) {
        Ok(p) => {
            for skipped in p.tables.skipped.as_slice() {
                crate::warn!("ACPI: skipped table {skipped:?}");
            }
            let hpet_base = match p.hpet {
                Some(Ok(h)) => Some(h.base_address),
                Some(Err(e)) => {
                    crate::warn!("ACPI: bad HPET table: {e:?}");
                    None
                }
                None => None,
            };
            *ACPI.lock() = Some(p);
            EarlyAcpi { platform: Some(p), hpet_base }
        }
        Err(e) => {
            crate::warn!("ACPI: no usable tables ({e:?}); assuming PC defaults");
            EarlyAcpi { platform: None, hpet_base: None }
        }
    }
}

impl EarlyAcpi {
    pub fn found(&self) -> bool {
        self.platform.is_some()
    }
}

/// Interrupt controllers, device interrupt routing and the timer.
/// The profiler's sampling clock: the PIT (ISA IRQ 0) delivered as an NMI.
fn start_profile_sampling(hz: u64, madt: Option<&acpi::Madt>, bsp: u32) {
    const PIT_IRQ: u8 = 0;
    let (gsi, trigger, polarity) = ioapic::isa_route(madt, PIT_IRQ);
    super::pit::start_periodic(hz);
    if !ioapic::route_nmi(gsi, bsp, trigger, polarity) {
        crate::warn!("profile: the PIT's GSI {gsi} is not on the I/O APIC; no samples");
    }
}

/// The NMI inputs the firmware names for the CPU with `apic_id`, else the
/// PC's LINT1: an operator's NMI then prints what every thread is doing
/// (task/dump.rs). Every CPU is wired the same way.
fn wire_nmi_inputs(madt: Option<&acpi::Madt>, apic_id: u32) {
    let nmi_inputs = match madt.map(|m| m.nmi_inputs(apic_id)) {
        Some(inputs) if inputs.iter().any(Option::is_some) => inputs,
        _ => [None, Some(acpi::InterruptFlags::default())],
    };
    for (lint, flags) in nmi_inputs.iter().enumerate() {
        if let Some(flags) = flags {
            apic::route_lint_to_nmi(lint as u8, flags.polarity == acpi::PolarityFlag::ActiveLow);
        }
    }
}

/// The MADT, if the firmware gave a good one (a bad one is logged once,
/// by `init`).
pub fn madt() -> Option<acpi::Madt> {
    ACPI.lock().and_then(|p| p.madt).and_then(Result::ok)
}

/// A CPU other than the boot CPU, on itself: its local APIC enabled with
/// the same local interrupt wiring as the boot CPU's (the device
/// interrupts stay routed to the boot CPU).
pub fn init_secondary() {
    apic::init(&cpu::features());
    wire_nmi_inputs(madt().as_ref(), apic::id());
}

/// Starts this CPU's clock-event hardware as `init` starts the boot CPU's
/// (the rate was measured there; every CPU's APIC timer runs off the same
/// bus clock).
pub fn start_secondary_timer() {
    apic::start_oneshot_timer(&cpu::features());
}

pub fn init(_boot: &BootInfo) {
    let features = cpu::features();
    let platform = *ACPI.lock();
    let madt = match platform.and_then(|p| p.madt) {
        Some(Ok(m)) => Some(m),
        Some(Err(e)) => {
            crate::warn!("ACPI: bad MADT ({e:?}); assuming PC defaults");
            None
        }
        None => None,
    };

    if !features.x2apic {
        let base = madt.map_or_else(apic::xapic_base, |m| m.local_apic_address);
        if let Err(e) = paging::map_mmio(base, 0x1000) {
            panic!("cannot map the local APIC at {base:#x}: {e:?}");
        }
    }
    apic::init(&features);
    let bsp = apic::id();
    super::percpu::set_boot_apic_id(bsp);
    wire_nmi_inputs(madt.as_ref(), bsp);

    // PC default when the firmware gives no MADT.
    let (ioapic_phys, gsi_base) = madt
        .and_then(|m| m.io_apics.as_slice().first().map(|io| (u64::from(io.address), io.gsi_base)))
        .unwrap_or((0xfec0_0000, 0));
    if let Err(e) = paging::map_mmio(ioapic_phys, 0x20) {
        panic!("cannot map the I/O APIC at {ioapic_phys:#x}: {e:?}");
    }
    let inputs = ioapic::init(ioapic_phys, gsi_base);
    super::device_irq::init(madt.as_ref());

    let (gsi, trigger, polarity) = ioapic::isa_route(madt.as_ref(), serial::IRQ);
    if ioapic::route(gsi, VECTOR_SERIAL, bsp, trigger, polarity) {
        serial::enable_receive_interrupt();
    } else {
        crate::warn!("serial: GSI {gsi} is not on the I/O APIC; console input disabled");
    }

    let per_ms = apic::calibrate_timer(crate::time::tsc_frequency());
    apic::start_oneshot_timer(&features);
    crate::sched::start_timer();
    if let Some(hz) = crate::profile::sampling_hz() {
        start_profile_sampling(hz, madt.as_ref(), bsp);
    }
    crate::info!(
        "timer: {} {}, ticks at {} Hz ({} ticks/ms); I/O APIC at {:#x}, {} inputs; {} CPU(s) in MADT; {}",
        apic::mode_name(),
        apic::timer_mode_name(),
        crate::time::TIMER_HZ,
        per_ms,
        ioapic_phys,
        inputs,
        madt.map_or(0, |m| m.cpus.as_slice().len()),
        if features.hypervisor { "under a hypervisor" } else { "bare metal" }
    );
}

/// The clock-event hardware's state in words, for the NMI dump.
pub fn print_timer_hardware(out: &dyn Fn(core::fmt::Arguments<'_>)) {
    let (mode, armed, tsc, lvt) = apic::timer_state();
    out(format_args!("timer hardware: local APIC {mode}, armed {armed:#x}, TSC {tsc:#x}, LVT {lvt:#x}\n"));
}

/// Asks for one timer interrupt `delta_ns` from now (replacing any earlier
/// request): the scheduler's clock event.
pub fn set_timer_after(delta_ns: u64) {
    apic::set_timer(delta_ns, crate::time::tsc_frequency());
}
