//! Where every trap lands: exceptions, device interrupts, the timer.

use super::trap_entry::TrapFrame;
use super::{apic, exceptions};

/// Vector numbers. Exceptions own 0-31; device vectors start at 32.
pub const VECTOR_TIMER: u8 = 32;
pub const VECTOR_SERIAL: u8 = 36;
pub const VECTOR_SPURIOUS: u8 = 0xff;

#[no_mangle]
extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    let vector = frame.vector as u8;
    match vector {
        0..=31 => exceptions::handle(frame),
        VECTOR_SPURIOUS => {} // never acknowledged, by definition
        VECTOR_TIMER => {
            apic::end_of_interrupt();
            crate::time::on_timer_tick();
        }
        VECTOR_SERIAL => {
            crate::console_input::on_serial_interrupt();
            apic::end_of_interrupt();
        }
        _ => {
            crate::warn!("unexpected interrupt vector {}", vector);
            apic::end_of_interrupt();
        }
    }
}
