//! adjtimex and clock_adjtime: the kernel clock's NTP discipline state.
//!
//! Helctic keeps the state a time daemon reads and writes (status, offset,
//! frequency, error estimates, time constant, tick, TAI offset) and checks
//! every request as Linux does, but does not slew the clock by the offset
//! or the frequency: only ADJ_SETOFFSET (a step) moves it. The table says
//! so.

use kernel_ops::{Clock, Error, KResult, KernelOps, Privilege};

const SIZE: usize = 208;
const ADJ_OFFSET: u32 = 0x0001;
const ADJ_FREQUENCY: u32 = 0x0002;
const ADJ_MAXERROR: u32 = 0x0004;
const ADJ_ESTERROR: u32 = 0x0008;
const ADJ_STATUS: u32 = 0x0010;
const ADJ_TIMECONST: u32 = 0x0020;
const ADJ_TAI: u32 = 0x0080;
const ADJ_SETOFFSET: u32 = 0x0100;
const ADJ_MICRO: u32 = 0x1000;
const ADJ_NANO: u32 = 0x2000;
const ADJ_TICK: u32 = 0x4000;
const ADJ_ADJTIME: u32 = 0x8000;
const ADJ_OFFSET_READONLY: u32 = 0x2000;
const STA_PLL: u32 = 0x0001;
const STA_UNSYNC: u32 = 0x0040;
const STA_CLOCKERR: u32 = 0x1000;
const STA_NANO: u32 = 0x2000;
/// The bits only the kernel sets (STA_PPSSIGNAL...STA_CLK).
const STA_RONLY: u32 = 0x0100 | 0x0200 | 0x0400 | 0x0800 | 0x1000 | 0x2000 | 0x4000 | 0x8000;
const TIME_OK: u64 = 0;
const TIME_ERROR: u64 = 5;
/// 500 ppm in the kernel's scaled units (ppm << 16), and the scale.
const MAXFREQ_SCALED: i64 = 500 << 16;
const PPM_SCALE: i64 = 1000 << 16;
const MAXPHASE_NS: i64 = 500_000_000;
const NTP_PHASE_LIMIT: i64 = 16_000_000;
/// USER_HZ is 100: a tick of 10000 µs, within 10%.
const TICK_RANGE: core::ops::RangeInclusive<i64> = 9000..=11000;

fn long(b: &[u8], at: usize) -> i64 {
    i64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

fn int(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes(b[at..at + 4].try_into().unwrap_or_default())
}

fn put_long(b: &mut [u8], at: usize, v: i64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

fn put_int(b: &mut [u8], at: usize, v: i32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// struct timex on x86_64 (208 bytes): applies its request to the
/// discipline and writes the state back into it, as Linux's do_adjtimex.
fn adjust(ops: &mut dyn KernelOps, addr: u64) -> KResult<u64> {
    let mut t = [0u8; SIZE];
    ops.copy_in(addr, &mut t)?;
    let modes = int(&t, 0) as u32;
    let admin = ops.credentials().has(Privilege::SysTime);
    if modes & ADJ_ADJTIME != 0 {
        // adjtime(3)'s one-shot: Linux ignores whatever else is set.
        if modes & ADJ_OFFSET_READONLY == 0 && !admin {
            return Err(Error::NotPermitted);
        }
    } else {
        if modes != 0 && !admin {
            return Err(Error::NotPermitted);
        }
        if modes & ADJ_TICK != 0 && !TICK_RANGE.contains(&long(&t, 88)) {
            return Err(Error::InvalidArgument);
        }
    }
    let (sec, frac) = (long(&t, 72), long(&t, 80));
    if modes & ADJ_SETOFFSET != 0 {
        let limit = if modes & ADJ_NANO != 0 { 1_000_000_000 } else { 1_000_000 };
        if !(0..limit).contains(&frac) {
            return Err(Error::InvalidArgument);
        }
    }
    if modes & ADJ_FREQUENCY != 0 && (i64::MIN / PPM_SCALE > long(&t, 16) || i64::MAX / PPM_SCALE < long(&t, 16)) {
        return Err(Error::InvalidArgument);
    }
    let mut d = ops.clock_discipline();
    if modes & ADJ_SETOFFSET != 0 {
        let delta =
            sec.saturating_mul(1_000_000_000).saturating_add(if modes & ADJ_NANO != 0 { frac } else { frac * 1000 });
        let now = ops.clock(Clock::Realtime)? as i64;
        let target = now.checked_add(delta).filter(|t| *t >= 0).ok_or(Error::InvalidArgument)?;
        ops.set_realtime(target as u64)?;
    }
    let mut old_offset = None;
    if modes & ADJ_ADJTIME != 0 {
        // The old adjtime(3): report what is left of the last one-shot.
        old_offset = Some(d.singleshot_us);
        if modes & ADJ_OFFSET_READONLY == 0 {
            d.singleshot_us = long(&t, 8);
        }
    } else if modes != 0 {
        if modes & ADJ_STATUS != 0 {
            d.status = (d.status & STA_RONLY) | (int(&t, 40) as u32 & !STA_RONLY);
        }
        if modes & ADJ_NANO != 0 {
            d.status |= STA_NANO;
        }
        if modes & ADJ_MICRO != 0 {
            d.status &= !STA_NANO;
        }
        if modes & ADJ_FREQUENCY != 0 {
            d.frequency = long(&t, 16).clamp(-MAXFREQ_SCALED, MAXFREQ_SCALED);
        }
        if modes & ADJ_MAXERROR != 0 {
            d.max_error_us = long(&t, 24).clamp(0, NTP_PHASE_LIMIT);
        }
        if modes & ADJ_ESTERROR != 0 {
            d.est_error_us = long(&t, 32).clamp(0, NTP_PHASE_LIMIT);
        }
        if modes & ADJ_TIMECONST != 0 {
            let c = long(&t, 48);
            d.constant = if d.status & STA_NANO == 0 { c + 4 } else { c }.clamp(0, 10);
        }
        if modes & ADJ_TAI != 0 && long(&t, 48) >= 0 {
            d.tai = long(&t, 48) as i32;
        }
        if modes & ADJ_OFFSET != 0 && d.status & STA_PLL != 0 {
            let o = long(&t, 8);
            let ns = if d.status & STA_NANO != 0 { o } else { o.saturating_mul(1000) };
            d.offset_ns = ns.clamp(-MAXPHASE_NS, MAXPHASE_NS);
        }
        if modes & ADJ_TICK != 0 {
            d.tick_us = long(&t, 88);
        }
        ops.set_clock_discipline(d)?;
    }
    let nano = d.status & STA_NANO != 0;
    put_long(&mut t, 8, old_offset.unwrap_or(if nano { d.offset_ns } else { d.offset_ns / 1000 }));
    put_long(&mut t, 16, d.frequency);
    put_long(&mut t, 24, d.max_error_us);
    put_long(&mut t, 32, d.est_error_us);
    put_int(&mut t, 40, d.status as i32);
    put_long(&mut t, 48, d.constant);
    put_long(&mut t, 56, 1);
    put_long(&mut t, 64, MAXFREQ_SCALED);
    let now = ops.clock(Clock::Realtime)?;
    put_long(&mut t, 72, (now / 1_000_000_000) as i64);
    put_long(&mut t, 80, if nano { (now % 1_000_000_000) as i64 } else { (now % 1_000_000_000 / 1000) as i64 });
    put_long(&mut t, 88, d.tick_us);
    put_int(&mut t, 160, d.tai);
    ops.copy_out(addr, &t)?;
    Ok(if d.status & (STA_UNSYNC | STA_CLOCKERR) != 0 { TIME_ERROR } else { TIME_OK })
}

pub fn adjtimex(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    adjust(ops, a[0])
}

/// clock_adjtime: CLOCK_REALTIME is the disciplined clock; the others
/// cannot be adjusted (EOPNOTSUPP), an unknown id is EINVAL.
pub fn clock_adjtime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    match a[0] as i32 {
        0 => adjust(ops, a[1]),
        1..=11 => Err(Error::NotSupported),
        _ => Err(Error::InvalidArgument),
    }
}
