//! The 16550 UART at COM1, the kernel's console.

use super::port::{inb, outb};

const COM1: u16 = 0x3f8;
const DATA: u16 = 0;
const INTERRUPT_ENABLE: u16 = 1;
const FIFO_CONTROL: u16 = 2;
const LINE_CONTROL: u16 = 3;
const MODEM_CONTROL: u16 = 4;
const LINE_STATUS: u16 = 5;
const SCRATCH: u16 = 7;

const LSR_DATA_READY: u8 = 1 << 0;
const LSR_THR_EMPTY: u8 = 1 << 5;

/// COM1's ISA interrupt line.
pub const IRQ: u8 = 4;

/// Programs 115200 8N1 with FIFOs. Returns false when no UART answers (the
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
    // Turning the FIFOs on clears them (the 16550 does so whenever the
    // enable bit changes): a key already typed (or pasted before the
    // machine started) would be lost. Keep it for the first read.
    stash_pending_input();
    outb(COM1 + FIFO_CONTROL, 0xc7); // enable + clear FIFOs, 14-byte threshold
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

/// Bytes received before the FIFOs were turned on. Without a FIFO the UART
/// holds one byte, but the emulator hands over the next as soon as that is
/// read, so a line pasted before boot arrives here whole: keep reading
/// until nothing is waiting (a byte left in the UART when the FIFOs are
/// switched on is lost), up to a bound that a person typing never reaches.
static EARLY: [core::sync::atomic::AtomicU8; 1024] = [const { core::sync::atomic::AtomicU8::new(0) }; 1024];
static EARLY_LEN: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
static EARLY_READ: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

fn stash_pending_input() {
    use core::sync::atomic::Ordering;
    let mut n = EARLY_LEN.load(Ordering::Relaxed);
    while n < EARLY.len() && inb(COM1 + LINE_STATUS) & LSR_DATA_READY != 0 {
        EARLY[n].store(inb(COM1 + DATA), Ordering::Relaxed);
        n += 1;
    }
    EARLY_LEN.store(n, Ordering::Release);
}

/// Returns a received byte, if one is waiting (bytes stashed at init first).
pub fn read_byte() -> Option<u8> {
    use core::sync::atomic::Ordering;
    let at = EARLY_READ.load(Ordering::Relaxed);
    if at < EARLY_LEN.load(Ordering::Acquire) {
        EARLY_READ.store(at + 1, Ordering::Relaxed);
        return Some(EARLY[at].load(Ordering::Relaxed));
    }
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
