//! Bytes typed on the serial console, buffered until someone reads them.
//! (The terminal line discipline will sit on top of this.)

use crate::sync::SpinLock;

const CAPACITY: usize = 4096;

struct Ring {
    buf: [u8; CAPACITY],
    head: usize,
    len: usize,
    dropped: u64,
}

static INPUT: SpinLock<Ring> = SpinLock::new(Ring { buf: [0; CAPACITY], head: 0, len: 0, dropped: 0 });

/// Drains the UART into the ring; called from the serial interrupt.
pub fn on_serial_interrupt() {
    let mut ring = INPUT.lock();
    while let Some(byte) = crate::arch::serial::read_byte() {
        if ring.len == CAPACITY {
            ring.dropped += 1;
            continue;
        }
        let tail = (ring.head + ring.len) % CAPACITY;
        ring.buf[tail] = byte;
        ring.len += 1;
    }
}

/// Takes the oldest buffered byte.
pub fn read_byte() -> Option<u8> {
    let mut ring = INPUT.lock();
    if ring.len == 0 {
        return None;
    }
    let b = ring.buf[ring.head];
    ring.head = (ring.head + 1) % CAPACITY;
    ring.len -= 1;
    Some(b)
}
