//! x86_64: PVH boot, descriptor tables, traps, paging, APIC, timers.

pub mod apic;
pub mod backtrace;
mod boot;
pub mod context;
pub mod cpu;
pub mod cpu_info;
pub mod debug_registers;
pub mod device_irq;
pub mod entry;
pub mod exceptions;
mod gdt;
mod hpet;
mod idt;
pub mod interrupts;
pub mod ioapic;
pub mod ipi;
pub mod layout;
mod mmio;
pub mod paging;
pub mod pci_config;
pub mod percpu;
mod pic;
mod pit;
pub mod platform;
pub mod port;
pub mod rtc;
pub mod serial;
pub mod smp;
pub mod syscall_entry;
pub mod tlb;
mod trampoline;
pub mod trap_entry;
mod tsc;
pub mod user_copy;

#[cfg(feature = "ktest")]
pub mod ktests;

pub const NAME: &str = "x86_64";
