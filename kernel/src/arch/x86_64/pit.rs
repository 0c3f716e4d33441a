//! The 8254 programmable interval timer, used only as a reference clock to
//! calibrate the TSC. Channel 0 is read back by latching its count, which
//! works on machines without the PC-speaker port 0x61 (QEMU's microvm).

use super::port::{inb, outb};

pub const FREQUENCY_HZ: u64 = 1_193_182;

fn read_channel0() -> u16 {
    outb(0x43, 0x00); // latch channel 0
    let lo = inb(0x40);
    let hi = inb(0x40);
    u16::from_le_bytes([lo, hi])
}

/// Makes channel 0 interrupt `hz` times a second (mode 2, rate generator):
/// the sampling profiler's clock, once the TSC is calibrated.
pub fn start_periodic(hz: u64) {
    let count = (FREQUENCY_HZ / hz.max(1)).clamp(2, 0xffff) as u16;
    outb(0x43, 0x34);
    outb(0x40, count as u8);
    outb(0x40, (count >> 8) as u8);
}

/// Measures how many TSC ticks pass during `pit_ticks` PIT ticks (at most
/// 60 000, under one full count). Returns None when the PIT does not count.
pub fn measure_tsc(pit_ticks: u16) -> Option<(u64, u64)> {
    // Channel 0, lobyte/hibyte, mode 2 (rate generator), binary; count 0xffff.
    outb(0x43, 0x34);
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    // Wait for the first decrement so we start on a tick edge.
    let first = read_channel0();
    let mut spins = 0u32;
    let mut start = first;
    while start == first {
        start = read_channel0();
        spins += 1;
        if spins > 1_000_000 {
            return None;
        }
    }
    let tsc0 = super::cpu::rdtsc();
    loop {
        let now = read_channel0();
        let elapsed = start.wrapping_sub(now);
        if elapsed >= pit_ticks && now < start {
            let tsc1 = super::cpu::rdtsc();
            return Some((tsc1 - tsc0, u64::from(elapsed)));
        }
        spins += 1;
        if spins > 200_000_000 {
            return None;
        }
    }
}
