//! The HPET, as a second reference clock for TSC calibration.

use super::mmio::Mmio;

const CAPABILITIES: u64 = 0x000;
const CONFIG: u64 = 0x010;
const COUNTER: u64 = 0x0f0;

/// Measures the TSC frequency over `femtos_wanted` femtoseconds of HPET time.
pub fn measure_tsc_hz(base: u64, nanos: u64) -> Option<u64> {
    let hpet = Mmio::new(base, 0x400);
    let period_fs = hpet.read64(CAPABILITIES) >> 32; // femtoseconds per tick
    if period_fs == 0 || period_fs > 100_000_000 {
        return None; // the spec caps the period at 100 ns
    }
    hpet.write64(CONFIG, hpet.read64(CONFIG) | 1); // enable the main counter
    let ticks_wanted = nanos * 1_000_000 / period_fs;
    let start = hpet.read64(COUNTER);
    let tsc0 = super::cpu::rdtsc();
    let mut spins = 0u64;
    loop {
        let elapsed = hpet.read64(COUNTER).wrapping_sub(start);
        if elapsed >= ticks_wanted {
            let tsc = super::cpu::rdtsc() - tsc0;
            let fs = elapsed as u128 * period_fs as u128;
            return Some((tsc as u128 * 1_000_000_000_000_000 / fs) as u64);
        }
        spins += 1;
        if spins > 100_000_000 {
            return None;
        }
    }
}
