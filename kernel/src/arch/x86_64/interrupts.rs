//! Where every trap lands: exceptions, device interrupts, the timer.

use super::trap_entry::TrapFrame;
use super::{apic, exceptions};

/// Vector numbers. Exceptions own 0-31; device vectors start at 32.
pub const VECTOR_TIMER: u8 = 32;
pub const VECTOR_SERIAL: u8 = 36;
/// Another CPU asking "are you there?" (ipi.rs). High, so that it is taken
/// ahead of device interrupts.
pub const VECTOR_PING: u8 = 0xf0;
/// A thread was queued on this CPU by another: look at the run queue.
pub const VECTOR_RESCHEDULE: u8 = 0xf1;
/// Another CPU added a wake-up earlier than this CPU's timer is armed
/// for: arm it again.
pub const VECTOR_CLOCK_REARM: u8 = 0xf2;
/// Another CPU changed page tables this CPU has loaded: flush (tlb.rs).
pub const VECTOR_TLB_FLUSH: u8 = 0xf3;
pub const VECTOR_SPURIOUS: u8 = 0xff;

#[no_mangle]
extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    let vector = frame.vector as u8;
    match vector {
        0..=31 => exceptions::handle(frame),
        VECTOR_SPURIOUS => {} // never acknowledged, by definition
        VECTOR_TIMER => {
            apic::end_of_interrupt();
            crate::sched::timer_interrupt(frame.from_user());
        }
        VECTOR_PING => super::ipi::on_ping(),
        VECTOR_TLB_FLUSH => super::tlb::on_flush_request(),
        VECTOR_RESCHEDULE => {
            apic::end_of_interrupt();
            crate::sched::request_resched();
        }
        VECTOR_CLOCK_REARM => {
            apic::end_of_interrupt();
            crate::sched::on_rearm_request();
        }
        VECTOR_SERIAL => {
            crate::fs::tty::on_serial_input();
            apic::end_of_interrupt();
        }
        v if (super::pic::PIC_BASE..super::pic::PIC_BASE + 16).contains(&v) => {} // spurious 8259 IRQ
        v if super::device_irq::line_of(v).is_some() => {
            let line = v - super::device_irq::USER_IRQ_BASE;
            // Masked until the driver acknowledges it (irq_ack).
            super::device_irq::set_masked(line, true);
            apic::end_of_interrupt();
            crate::native::on_interrupt(line);
        }
        _ => {
            crate::warn!("unexpected interrupt vector {}", vector);
            apic::end_of_interrupt();
        }
    }
    // Leaving to user mode: a chance to reschedule and deliver signals.
    if frame.from_user() && vector >= 32 {
        crate::task::signal::return_to_user(frame);
    }
}
