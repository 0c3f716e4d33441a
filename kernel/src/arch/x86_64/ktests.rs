//! In-kernel tests that need the hardware directly (they live under arch/
//! because they poke memory and trap on purpose).

use super::layout::{self, phys_to_virt, KERNEL_DYNAMIC_BASE};
use super::{apic, cpu, exceptions, paging, percpu};
use crate::check;
use crate::ktest::TestResult;
use crate::mm::frames;
use alloc::string::String;
use core::sync::atomic::Ordering;

pub fn breakpoint_returns() -> TestResult {
    let before = exceptions::BREAKPOINTS_SEEN.load(Ordering::Relaxed);
    // SAFETY: int3 traps to our breakpoint handler, which returns.
    unsafe { core::arch::asm!("int3") };
    check!(exceptions::BREAKPOINTS_SEEN.load(Ordering::Relaxed) == before + 1, "breakpoint handler did not run");
    Ok(())
}

pub fn map_translate_unmap() -> TestResult {
    let frame = frames::alloc_zeroed().map_err(|_| String::from("out of frames"))?;
    let virt = KERNEL_DYNAMIC_BASE + 0x1234_5000;
    check!(!paging::is_kernel_mapped(virt), "test address already mapped");
    paging::map_kernel_page(virt, frame, true).map_err(|e| alloc::format!("map failed: {e:?}"))?;
    check!(paging::is_kernel_mapped(virt));
    // SAFETY: `virt` was just mapped writable to a frame this test owns.
    unsafe { (virt as *mut u64).add(3).write_volatile(0xfeed_f00d_dead_beef) };
    // The same frame seen through the direct map.
    check!(
        layout::read_kernel_word(phys_to_virt(frame) + 24) == Some(0xfeed_f00d_dead_beef),
        "write not visible through the direct map"
    );
    check!(paging::map_kernel_page(virt, frame, true).is_err(), "double map accepted");
    check!(paging::unmap_kernel_page(virt) == Some(frame), "unmap returned the wrong frame");
    check!(!paging::is_kernel_mapped(virt), "still mapped after unmap");
    frames::free(frame);
    Ok(())
}

pub fn kernel_image_protections() -> TestResult {
    let image = layout::kernel_image();
    check!(paging::is_kernel_mapped(image.text.start) && paging::is_kernel_mapped(image.data.start));
    // The identity map of the boot tables must be gone: low addresses fault.
    check!(!paging::is_kernel_mapped(0x10_0000), "identity map still present");
    check!(paging::writable(image.data.start) == Some(true), "data not writable");
    check!(paging::writable(image.text.start) == Some(false), "text writable");
    check!(paging::writable(image.rodata.start) == Some(false), "rodata writable");
    check!(paging::executable(image.text.start) == Some(true), "text not executable");
    check!(paging::executable(image.data.start) == Some(false), "data executable");
    Ok(())
}

pub fn symbols_resolve() -> TestResult {
    let table = ksyms::Table::parse(layout::ksyms_blob()).map_err(|e| alloc::format!("no symbol table: {e:?}"))?;
    check!(table.len() > 100, "only {} symbols", table.len());
    let here = symbols_resolve as fn() -> TestResult as usize as u64;
    let found = table.lookup(here + 1).ok_or_else(|| String::from("own address not found"))?;
    check!(found.name.ends_with("symbols_resolve"), "resolved to {}", found.name);
    check!(found.offset == 1);
    Ok(())
}

pub fn percpu_and_interrupts() -> TestResult {
    check!(percpu::cpu_index() == 0);
    check!(cpu::interrupts_enabled(), "interrupts are off after boot");
    let id = apic::id();
    check!(id < 255, "APIC id {id}");
    Ok(())
}

/// Writes to an unmapped address: the harness must report this kernel as
/// failed, with the register dump and a backtrace naming this function.
#[inline(never)]
pub fn deliberate_page_fault() -> ! {
    crate::println!("ktest: deliberately writing to unmapped address 0xdead0000");
    // SAFETY: not safe at all, on purpose: the write faults and the exception
    // handler stops the machine. No memory is actually changed.
    unsafe { (0xdead_0000 as *mut u64).write_volatile(0x0bad) };
    unreachable!("the write to 0xdead0000 did not fault");
}

/// Two tasks' PCI configuration selections do not disturb each other: a
/// data access always reads the register its own task selected, whatever
/// the other selected in between (`pci_config`).
pub fn pci_config_selection_is_per_task() -> TestResult {
    use super::pci_config::{read, write, Selected};
    const ID: u32 = 0x8000_0000; // bus 0, device 0, function 0, offset 0: vendor and device ids
    const COMMAND: u32 = 0x8000_0004; // the same function's command and status
    let (a, b) = (Selected::new(), Selected::new());
    check!(write(&a, 0xcf8, 4, ID), "CONFIG_ADDRESS not taken as a selection");
    check!(write(&b, 0xcf8, 4, COMMAND));
    check!(read(&a, 0xcf8, 4) == Some(ID) && read(&b, 0xcf8, 4) == Some(COMMAND), "selections mixed up");
    let id = read(&a, 0xcfc, 4);
    let command = read(&b, 0xcfc, 4);
    check!(read(&a, 0xcfc, 4) == id && read(&b, 0xcfc, 4) == command, "a register read twice differs");
    check!(read(&a, 0xcfe, 2) == id.map(|v| v >> 16), "a word access reads another register");
    // Not configuration registers: left to the caller.
    check!(read(&a, 0x60, 1).is_none() && !write(&a, 0xcf9, 1, 0), "other ports taken");
    if id != Some(0xffff_ffff) {
        // A PCI host bridge (q35; microvm has none, and reads all ones).
        check!(id != command, "the id register read {id:x?}, as the command register");
    }
    Ok(())
}
