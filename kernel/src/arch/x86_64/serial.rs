//! The 16550 UART at COM1, the kernel's console.

use super::port::{inb, outb};

const COM1: u16 = 0x3f8;
const DATA: u16 = 0;
const INTERRUPT_ENABLE: u16 = 1;
/// Read: which interrupt is pending, and whether the FIFOs are on.
const INTERRUPT_ID: u16 = 2;
/// Write: FIFO enable, clear and trigger level (same port as INTERRUPT_ID).
const FIFO_CONTROL: u16 = 2;
const LINE_CONTROL: u16 = 3;
const MODEM_CONTROL: u16 = 4;
const LINE_STATUS: u16 = 5;
const SCRATCH: u16 = 7;

const LSR_DATA_READY: u8 = 1 << 0;
const LSR_THR_EMPTY: u8 = 1 << 5;
const IIR_FIFOS_ENABLED: u8 = 0xc0;

/// COM1's ISA interrupt line.
pub const IRQ: u8 = 4;

/// Programs 115200 8N1. Returns false when no UART answers (the
/// scratch register does not hold a value), in which case output is dropped.
pub fn init() -> bool {
    outb(COM1 + SCRATCH, 0x5a);
    if inb(COM1 + SCRATCH) != 0x5a {
        PRESENT.store(false, core::sync::atomic::Ordering::Relaxed);
        return false;
    }
    outb(COM1 + INTERRUPT_ENABLE, 0x00);
    outb(COM1 + LINE_CONTROL, 0x80); // divisor latch
    outb(COM1 + DATA, 0x01); // 115200 baud
    outb(COM1 + INTERRUPT_ENABLE, 0x00);
    outb(COM1 + LINE_CONTROL, 0x03); // 8 bits, no parity, one stop bit
                                     // The FIFOs stay as the firmware left them. A 16550 empties both FIFOs
                                     // whenever the FIFO-enable bit changes, and bytes keep arriving while
                                     // the kernel starts (type-ahead, a pasted line): whatever sat in the
                                     // receiver at that moment would be lost, and no read just before the
                                     // switch can close that window (the next byte may land between the read
                                     // and the write). Without FIFOs the UART holds one byte and the sender
                                     // waits for it to be read, so nothing is dropped; with them already on,
                                     // rewriting the same enable bit (without the clear bits) changes nothing.
    if inb(COM1 + INTERRUPT_ID) & IIR_FIFOS_ENABLED == IIR_FIFOS_ENABLED {
        outb(COM1 + FIFO_CONTROL, 0xc1); // keep enabled, 14-byte threshold, no clear
    }
    outb(COM1 + MODEM_CONTROL, 0x0b); // DTR, RTS, OUT2 (routes the IRQ)
    PRESENT.store(true, core::sync::atomic::Ordering::Relaxed);
    true
}

static PRESENT: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(true);

/// Sends one byte, waiting for room in the transmitter.
pub fn write_byte(byte: u8) {
    if !PRESENT.load(core::sync::atomic::Ordering::Relaxed) {
        return;
    }
    // A bounded wait: a wedged UART must not hang the kernel forever.
    for _ in 0..100_000 {
        if inb(COM1 + LINE_STATUS) & LSR_THR_EMPTY != 0 {
            break;
        }
        core::hint::spin_loop();
    }
    outb(COM1 + DATA, byte);
}

/// Returns a received byte, if one is waiting.
pub fn read_byte() -> Option<u8> {
    if inb(COM1 + LINE_STATUS) & LSR_DATA_READY != 0 {
        Some(inb(COM1 + DATA))
    } else {
        None
    }
}

/// Asks the UART to interrupt when data arrives.
pub fn enable_receive_interrupt() {
    outb(COM1 + INTERRUPT_ENABLE, 0x01);
}
