//! The first Rust code: from the PVH entry stub to `kmain`.

use super::layout::{self, phys_to_virt, KERNEL_VIRT_OFFSET};
use super::{idt, percpu, pic, platform, serial, tsc};
use crate::boot::{BootInfo, Module};
use bootinfo::pvh::StartInfo;
use bootinfo::{MemoryKind, MemoryMap, PhysReader, ReadError};

/// The boot-time page tables map the first 4 GiB; nothing above is readable
/// until the kernel's own tables exist.
const EARLY_MAPPED_LIMIT: u64 = 4 << 30;
const LOW_MEMORY_END: u64 = 1 << 20;

/// Reads physical memory through the boot page tables' direct map.
pub struct EarlyPhysReader;

impl PhysReader for EarlyPhysReader {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadError> {
        let end = paddr.checked_add(buf.len() as u64).ok_or(ReadError)?;
        if end > EARLY_MAPPED_LIMIT {
            return Err(ReadError);
        }
        // SAFETY: [paddr, end) lies below 4 GiB, which the boot page tables
        // map at the direct-map base; we only read, into our own buffer.
        unsafe { core::ptr::copy_nonoverlapping(phys_to_virt(paddr) as *const u8, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }
}

#[no_mangle]
extern "C" fn pvh_entry(start_info: u64, entry_tsc: u64) -> ! {
    // First: every spinlock (the console's too) counts itself through GS.
    percpu::init_boot_cpu();
    serial::init();
    idt::load();
    pic::disable();
    let mut boot = BootInfo::new(entry_tsc);
    read_start_info(start_info, &mut boot);
    // ACPI before the clock: it may name an HPET, the fallback reference.
    let acpi = platform::discover_acpi(&EarlyPhysReader, boot.rsdp.unwrap_or(0));
    match tsc::calibrate(acpi.hpet_base) {
        Some((hz, source)) => {
            crate::time::set_tsc_frequency(hz);
            crate::info!(
                "TSC: {}.{:03} MHz (calibrated against {:?}); ACPI {}",
                hz / 1_000_000,
                hz / 1000 % 1000,
                source,
                if acpi.found() { "found" } else { "missing" }
            );
        }
        None => panic!("cannot calibrate the TSC: no PIT, HPET or CPUID frequency"),
    }
    crate::kmain(&boot)
}

fn read_start_info(paddr: u64, boot: &mut BootInfo) {
    let reader = EarlyPhysReader;
    let info = match StartInfo::parse(&reader, paddr) {
        Ok(i) => i,
        Err(e) => panic!("bad PVH start info at {paddr:#x}: {e:?}"),
    };
    let mut buf = [0u8; crate::boot::CMDLINE_MAX];
    match info.command_line(&reader, &mut buf) {
        Ok(Some(s)) => {
            if s.truncated || s.had_invalid_utf8 {
                crate::warn!("kernel command line truncated or not UTF-8");
            }
            boot.set_cmdline(s.text);
        }
        Ok(None) => {}
        Err(e) => crate::warn!("cannot read the kernel command line: {e:?}"),
    }
    boot.rsdp = info.rsdp_paddr();

    let mut map: MemoryMap<{ crate::boot::MAX_RANGES }> = match info.usable_memory(&reader, log_memory_map_diagnostic) {
        Ok(m) => m,
        Err(e) => panic!("cannot read the PVH memory map: {e:?}"),
    };
    // The AP trampoline's pages must be RAM that nothing the loader left
    // (start info, its tables, modules) occupies: they are overwritten
    // when the other CPUs start.
    let tramp = super::trampoline::RANGE;
    let overlaps = |(s, e): (u64, u64)| s < tramp.end && tramp.start < e;
    let mut tramp_ok = (tramp.start..tramp.end).step_by(4096).all(|p| map.contains(p))
        && !overlaps(info.footprint())
        && ![info.module_list_footprint(), info.memory_map_footprint()].into_iter().flatten().any(overlaps);
    // Firmware areas and the AP trampoline live in the first MiB, which
    // the frame allocator never gets.
    let mut remove = |start: u64, end: u64| {
        if let Some(dropped) = map.remove(start, end) {
            crate::warn!("memory map full: lost usable range {:#x}..{:#x}", dropped.start, dropped.end);
        }
    };
    remove(0, LOW_MEMORY_END);
    let image = layout::kernel_image();
    remove(image.phys.start, image.data.end - KERNEL_VIRT_OFFSET);
    let (s, e) = info.footprint();
    remove(s, e);
    for footprint in [info.module_list_footprint(), info.memory_map_footprint()].into_iter().flatten() {
        remove(footprint.0, footprint.1);
    }
    for m in info.modules(&reader) {
        match m {
            Ok(m) => {
                tramp_ok &= !overlaps((m.paddr, m.end()));
                remove(m.paddr, m.end());
                if !boot.push_module(Module { phys: m.paddr, size: m.size }) {
                    crate::warn!("too many boot modules; ignoring the one at {:#x}", m.paddr);
                }
            }
            Err(e) => crate::warn!("bad boot module entry: {e:?}"),
        }
    }
    if !tramp_ok {
        crate::warn!(
            "smp: low memory {:#x}..{:#x} is not free RAM; other CPUs will not be started",
            tramp.start,
            tramp.end
        );
    }
    super::smp::set_trampoline_usable(tramp_ok);
    for r in map.ranges() {
        if !boot.push_usable(r.start..r.end) {
            crate::warn!("too many usable ranges; ignoring {:#x}..{:#x}", r.start, r.end);
        }
    }
    boot.push_direct_map(0..LOW_MEMORY_END);
    for region in info.memory_map(&reader).flatten() {
        let keep = matches!(region.kind, MemoryKind::Ram | MemoryKind::AcpiReclaimable | MemoryKind::AcpiNvs);
        let Some(end) = region.addr.checked_add(region.size) else { continue };
        if keep && end > region.addr {
            boot.push_direct_map(region.addr & !0xfff..end.next_multiple_of(0x1000));
        }
    }
    crate::info!(
        "memory: {} MiB usable in {} ranges, {} boot modules",
        map.usable_bytes() >> 20,
        map.ranges().len(),
        boot.modules().len()
    );
}

/// Every PC's map has RAM ending at 639 KiB (the EBDA follows), so unaligned
/// RAM is routine; everything else the sanitizer reports deserves a warning.
fn log_memory_map_diagnostic(d: bootinfo::Diagnostic) {
    match d {
        bootinfo::Diagnostic::UnalignedRam { .. } => crate::debug!("memory map: {d:?}"),
        _ => crate::warn!("memory map: {d:?}"),
    }
}
