//! Calibrating the time-stamp counter, the base of the monotonic clock.

use super::{cpu, hpet, pit};

/// Where a TSC frequency came from, for the boot log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Pit,
    Hpet,
    Cpuid,
}

/// Returns the TSC frequency in Hz and how it was found.
pub fn calibrate(hpet_base: Option<u64>) -> Option<(u64, Source)> {
    // 10 ms of PIT time: short enough for fast boots, long enough that the
    // read-back latency (a few microseconds under emulation) is noise.
    if let Some((tsc, ticks)) = pit::measure_tsc(11_932) {
        if ticks > 0 && tsc > 0 {
            return Some(((tsc as u128 * pit::FREQUENCY_HZ as u128 / ticks as u128) as u64, Source::Pit));
        }
    }
    if let Some(base) = hpet_base {
        if let Some(hz) = hpet::measure_tsc_hz(base, 10_000_000) {
            return Some((hz, Source::Hpet));
        }
    }
    // CPUID leaf 0x15 (crystal ratio) or 0x16 (base MHz), when the CPU says.
    if cpu::cpuid(0, 0).eax >= 0x15 {
        let l = cpu::cpuid(0x15, 0);
        if l.eax != 0 && l.ebx != 0 && l.ecx != 0 {
            return Some((u64::from(l.ecx) * u64::from(l.ebx) / u64::from(l.eax), Source::Cpuid));
        }
        if cpu::cpuid(0, 0).eax >= 0x16 {
            let mhz = cpu::cpuid(0x16, 0).eax & 0xffff;
            if mhz != 0 {
                return Some((u64::from(mhz) * 1_000_000, Source::Cpuid));
            }
        }
    }
    None
}
