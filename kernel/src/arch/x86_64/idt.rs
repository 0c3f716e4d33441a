//! The interrupt descriptor table, shared by every CPU.

use super::gdt::{IST_DEBUG, IST_DOUBLE_FAULT, IST_MACHINE_CHECK, IST_NMI, KERNEL_CODE};
use super::trap_entry::stub_address;
use crate::sync::Once;
use core::mem::size_of;

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Gate {
    offset_low: u16,
    selector: u16,
    ist: u8,
    flags: u8,
    offset_mid: u16,
    offset_high: u32,
    reserved: u32,
}

impl Gate {
    /// An interrupt gate (interrupts masked on entry); `user` lets ring 3
    /// raise it with `int` (only the breakpoint and overflow vectors).
    fn new(handler: u64, ist: u8, user: bool) -> Self {
        let dpl = if user { 3 } else { 0 };
        Gate {
            offset_low: handler as u16,
            selector: KERNEL_CODE,
            ist,
            flags: 0x8e | (dpl << 5),
            offset_mid: (handler >> 16) as u16,
            offset_high: (handler >> 32) as u32,
            reserved: 0,
        }
    }
}

#[repr(C, align(16))]
struct Idt([Gate; 256]);

static IDT: Once<Idt> = Once::new();

#[repr(C, packed(2))]
struct DescriptorPointer {
    limit: u16,
    base: u64,
}

/// Builds the IDT (once) and loads it on this CPU.
pub fn load() {
    let idt = IDT.call_once(|| {
        let mut gates = [Gate::default(); 256];
        for (vector, gate) in gates.iter_mut().enumerate() {
            let vector = vector as u8;
            let ist = match vector {
                super::exceptions::DOUBLE_FAULT => IST_DOUBLE_FAULT,
                super::exceptions::NMI => IST_NMI,
                super::exceptions::MACHINE_CHECK => IST_MACHINE_CHECK,
                super::exceptions::DEBUG => IST_DEBUG,
                _ => 0,
            };
            let user = matches!(vector, super::exceptions::BREAKPOINT | super::exceptions::OVERFLOW);
            *gate = Gate::new(stub_address(vector), ist, user);
        }
        Idt(gates)
    });
    let ptr = DescriptorPointer { limit: (size_of::<Idt>() - 1) as u16, base: idt as *const Idt as u64 };
    // SAFETY: the IDT is 'static and every gate points at a valid stub.
    unsafe { core::arch::asm!("lidt [{}]", in(reg) &ptr, options(readonly, nostack, preserves_flags)) }
}
