//! The CMOS real-time clock, read once at boot for the wall-clock time.

use super::port::{inb, outb};

fn read(reg: u8) -> u8 {
    outb(0x70, reg | 0x80); // keep NMIs masked while selecting
    inb(0x71)
}

fn bcd(v: u8) -> u8 {
    (v & 0x0f) + (v >> 4) * 10
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the Unix epoch, or None if the RTC answers nonsense.
pub fn read_epoch_seconds() -> Option<u64> {
    // Wait out an update in progress, then read until two reads agree.
    let snapshot = || {
        let mut spins = 0;
        while read(0x0a) & 0x80 != 0 {
            spins += 1;
            if spins > 100_000 {
                break;
            }
        }
        [read(0x00), read(0x02), read(0x04), read(0x07), read(0x08), read(0x09), read(0x32)]
    };
    let mut a = snapshot();
    for _ in 0..5 {
        let b = snapshot();
        if a == b {
            break;
        }
        a = b;
    }
    let status_b = read(0x0b);
    let conv = |v: u8| if status_b & 0x04 == 0 { bcd(v) } else { v };
    let (sec, min) = (conv(a[0]), conv(a[1]));
    let mut hour = a[2];
    let pm = hour & 0x80 != 0;
    hour = conv(hour & 0x7f);
    if status_b & 0x02 == 0 && pm {
        hour = (hour % 12) + 12;
    }
    let (day, month, year) = (conv(a[3]), conv(a[4]), conv(a[5]));
    let century = match conv(a[6]) {
        19..=21 => u32::from(conv(a[6])),
        _ => 20,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let y = i64::from(century * 100 + u32::from(year));
    let days = days_from_civil(y, u32::from(month), u32::from(day));
    u64::try_from(days * 86_400 + i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec)).ok()
}
