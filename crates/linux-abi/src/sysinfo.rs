//! `struct sysinfo`, filled in by `sysinfo(2)` (`linux/sysinfo.h`).
//!
//! Memory sizes are in units of `mem_unit` bytes (Linux reports 1 unless the
//! numbers would overflow). The load averages are fixed point with
//! [`SI_LOAD_SHIFT`] fractional bits. On x86_64 the trailing `_f` pad is zero
//! bytes long, but `procs`/`pad` leave four bytes of alignment padding before
//! `totalhigh`, and the struct is padded to 112 bytes.

use crate::wire::{get_i64, get_u16, get_u32, get_u64, prefix, put_i64, put_u16, put_u32, put_u64};

/// Fractional bits of the fixed-point `loads` values.
pub const SI_LOAD_SHIFT: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sysinfo {
    /// Seconds since boot.
    pub uptime: i64,
    /// 1, 5 and 15 minute load averages, scaled by `1 << SI_LOAD_SHIFT`.
    pub loads: [u64; 3],
    pub totalram: u64,
    pub freeram: u64,
    pub sharedram: u64,
    pub bufferram: u64,
    pub totalswap: u64,
    pub freeswap: u64,
    /// Number of current processes (threads, in fact).
    pub procs: u16,
    pub totalhigh: u64,
    pub freehigh: u64,
    pub mem_unit: u32,
}

impl Sysinfo {
    pub const SIZE: usize = 112;

    pub const OFF_UPTIME: usize = 0;
    pub const OFF_LOADS: usize = 8;
    pub const OFF_TOTALRAM: usize = 32;
    pub const OFF_FREERAM: usize = 40;
    pub const OFF_SHAREDRAM: usize = 48;
    pub const OFF_BUFFERRAM: usize = 56;
    pub const OFF_TOTALSWAP: usize = 64;
    pub const OFF_FREESWAP: usize = 72;
    pub const OFF_PROCS: usize = 80;
    pub const OFF_PAD: usize = 82;
    pub const OFF_TOTALHIGH: usize = 88;
    pub const OFF_FREEHIGH: usize = 96;
    pub const OFF_MEM_UNIT: usize = 104;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i64(&mut b, Self::OFF_UPTIME, self.uptime);
        for (i, l) in self.loads.iter().enumerate() {
            put_u64(&mut b, Self::OFF_LOADS + 8 * i, *l);
        }
        put_u64(&mut b, Self::OFF_TOTALRAM, self.totalram);
        put_u64(&mut b, Self::OFF_FREERAM, self.freeram);
        put_u64(&mut b, Self::OFF_SHAREDRAM, self.sharedram);
        put_u64(&mut b, Self::OFF_BUFFERRAM, self.bufferram);
        put_u64(&mut b, Self::OFF_TOTALSWAP, self.totalswap);
        put_u64(&mut b, Self::OFF_FREESWAP, self.freeswap);
        put_u16(&mut b, Self::OFF_PROCS, self.procs);
        put_u64(&mut b, Self::OFF_TOTALHIGH, self.totalhigh);
        put_u64(&mut b, Self::OFF_FREEHIGH, self.freehigh);
        put_u32(&mut b, Self::OFF_MEM_UNIT, self.mem_unit);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            uptime: get_i64(b, Self::OFF_UPTIME),
            loads: [get_u64(b, 8), get_u64(b, 16), get_u64(b, 24)],
            totalram: get_u64(b, Self::OFF_TOTALRAM),
            freeram: get_u64(b, Self::OFF_FREERAM),
            sharedram: get_u64(b, Self::OFF_SHAREDRAM),
            bufferram: get_u64(b, Self::OFF_BUFFERRAM),
            totalswap: get_u64(b, Self::OFF_TOTALSWAP),
            freeswap: get_u64(b, Self::OFF_FREESWAP),
            procs: get_u16(b, Self::OFF_PROCS),
            totalhigh: get_u64(b, Self::OFF_TOTALHIGH),
            freehigh: get_u64(b, Self::OFF_FREEHIGH),
            mem_unit: get_u32(b, Self::OFF_MEM_UNIT),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn padding_is_zero() {
        let s = Sysinfo { procs: 0xffff, mem_unit: 0xffff_ffff, totalhigh: u64::MAX, ..Default::default() };
        let b = s.to_bytes();
        assert_eq!(&b[82..88], &[0; 6]);
        assert_eq!(&b[108..112], &[0; 4]);
    }

    proptest! {
        #[test]
        fn round_trip(u: i64, l: [u64; 3], m: [u64; 8], procs: u16, unit: u32) {
            let s = Sysinfo {
                uptime: u, loads: l, totalram: m[0], freeram: m[1], sharedram: m[2], bufferram: m[3],
                totalswap: m[4], freeswap: m[5], procs, totalhigh: m[6], freehigh: m[7], mem_unit: unit,
            };
            prop_assert_eq!(Sysinfo::from_bytes(&s.to_bytes()), Some(s));
        }
    }
}
