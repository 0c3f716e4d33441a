//! Directory records for `getdents64` (`struct linux_dirent64`) and the older
//! `getdents` (`struct linux_dirent`, which keeps `d_type` in its last byte).
//!
//! ```text
//! linux_dirent64:  d_ino u64 @0 | d_off i64 @8 | d_reclen u16 @16 | d_type u8 @18 | d_name @19 .. NUL
//! linux_dirent:    d_ino u64 @0 | d_off i64 @8 | d_reclen u16 @16 | d_name @18 .. NUL | pad | d_type @reclen-1
//! ```
//!
//! Each record is padded to a multiple of 8 bytes so the next one is
//! aligned; `d_reclen` includes the padding, which Linux leaves as zeros here.
//! `d_off` is an opaque cookie the file system can later resume from (it is
//! what `lseek`/`telldir` see), not a byte offset into the buffer.

use crate::wire::{put_i64, put_u16, put_u64, put_u8};

pub const DT_UNKNOWN: u8 = 0;
pub const DT_FIFO: u8 = 1;
pub const DT_CHR: u8 = 2;
pub const DT_DIR: u8 = 4;
pub const DT_BLK: u8 = 6;
pub const DT_REG: u8 = 8;
pub const DT_LNK: u8 = 10;
pub const DT_SOCK: u8 = 12;
pub const DT_WHT: u8 = 14;

/// The `d_type` for a file mode: the `S_IFMT` bits shifted down (`IFTODT`).
pub const fn dt_from_mode(mode: u32) -> u8 {
    ((mode >> 12) & 0xf) as u8
}

/// Offset of `d_name` in a `linux_dirent64`.
pub const DIRENT64_NAME_OFFSET: usize = 19;
/// Offset of `d_name` in an old `linux_dirent`.
pub const DIRENT_NAME_OFFSET: usize = 18;

const fn align8(n: usize) -> usize {
    (n + 7) & !7
}

/// The `d_reclen` of a `linux_dirent64` record for a name of `name_len` bytes.
pub const fn dirent64_reclen(name_len: usize) -> usize {
    align8(DIRENT64_NAME_OFFSET + name_len + 1)
}

/// The `d_reclen` of an old `linux_dirent` record: name, NUL, then the
/// trailing `d_type` byte.
pub const fn dirent_reclen(name_len: usize) -> usize {
    align8(DIRENT_NAME_OFFSET + name_len + 2)
}

/// One directory entry to encode. `name` must not contain NUL or `/`; that
/// is the file system's promise, not checked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirEntry<'a> {
    pub ino: u64,
    pub off: i64,
    pub d_type: u8,
    pub name: &'a [u8],
}

/// Appends `entry` as a `linux_dirent64` at `buf[pos..]` and returns the
/// position after it, or `None` if it does not fit. Then `getdents64` stops
/// and returns what it has, or EINVAL if not even the first record fits.
pub fn push_dirent64(buf: &mut [u8], pos: usize, entry: &DirEntry<'_>) -> Option<usize> {
    let reclen = dirent64_reclen(entry.name.len());
    let end = pos.checked_add(reclen)?;
    let rec = buf.get_mut(pos..end)?;
    rec.fill(0);
    put_u64(rec, 0, entry.ino);
    put_i64(rec, 8, entry.off);
    put_u16(rec, 16, u16::try_from(reclen).ok()?);
    put_u8(rec, 18, entry.d_type);
    rec[DIRENT64_NAME_OFFSET..DIRENT64_NAME_OFFSET + entry.name.len()].copy_from_slice(entry.name);
    Some(end)
}

/// Appends `entry` as an old `linux_dirent` (for `getdents`, syscall 78).
pub fn push_dirent(buf: &mut [u8], pos: usize, entry: &DirEntry<'_>) -> Option<usize> {
    let reclen = dirent_reclen(entry.name.len());
    let end = pos.checked_add(reclen)?;
    let rec = buf.get_mut(pos..end)?;
    rec.fill(0);
    put_u64(rec, 0, entry.ino);
    put_i64(rec, 8, entry.off);
    put_u16(rec, 16, u16::try_from(reclen).ok()?);
    rec[DIRENT_NAME_OFFSET..DIRENT_NAME_OFFSET + entry.name.len()].copy_from_slice(entry.name);
    put_u8(rec, reclen - 1, entry.d_type);
    Some(end)
}

/// Reads the `linux_dirent64` records back (for tests and for a personality
/// that passes through a server's reply): yields `(ino, off, d_type, name)`.
pub fn parse_dirent64(buf: &[u8]) -> impl Iterator<Item = DirEntry<'_>> {
    let mut pos = 0usize;
    core::iter::from_fn(move || {
        let hdr = buf.get(pos..pos.checked_add(DIRENT64_NAME_OFFSET)?)?;
        let reclen = u16::from_le_bytes([hdr[16], hdr[17]]) as usize;
        if reclen < DIRENT64_NAME_OFFSET + 1 {
            return None;
        }
        let rec = buf.get(pos..pos.checked_add(reclen)?)?;
        let name_area = &rec[DIRENT64_NAME_OFFSET..];
        let name_len = name_area.iter().position(|&c| c == 0)?;
        let mut ino = [0u8; 8];
        ino.copy_from_slice(&rec[0..8]);
        let mut off = [0u8; 8];
        off.copy_from_slice(&rec[8..16]);
        pos += reclen;
        Some(DirEntry {
            ino: u64::from_le_bytes(ino),
            off: i64::from_le_bytes(off),
            d_type: rec[18],
            name: &name_area[..name_len],
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn record_sizes() {
        assert_eq!(dirent64_reclen(1), 24); // "."
        assert_eq!(dirent64_reclen(4), 24); // 19 + 4 + 1 = 24 exactly
        assert_eq!(dirent64_reclen(5), 32);
        assert_eq!(dirent_reclen(1), 24);
        assert_eq!(dirent_reclen(4), 24);
        assert_eq!(dirent_reclen(5), 32);
    }

    #[test]
    fn encodes_dot_entries() {
        let mut buf = [0xaau8; 64];
        let p = push_dirent64(&mut buf, 0, &DirEntry { ino: 2, off: 1, d_type: DT_DIR, name: b"." }).unwrap();
        assert_eq!(p, 24);
        let p = push_dirent64(&mut buf, p, &DirEntry { ino: 1, off: 2, d_type: DT_DIR, name: b".." }).unwrap();
        assert_eq!(p, 48);
        assert_eq!(&buf[0..8], &2u64.to_le_bytes());
        assert_eq!(&buf[16..18], &24u16.to_le_bytes());
        assert_eq!(buf[18], DT_DIR);
        assert_eq!(&buf[19..24], b".\0\0\0\0");
        assert_eq!(&buf[24 + 19..48], b"..\0\0\0");
        // Does not fit: refused, buffer untouched past what was written.
        assert_eq!(push_dirent64(&mut buf, p, &DirEntry { ino: 3, off: 3, d_type: DT_REG, name: b"x" }), None);
        assert_eq!(buf[48], 0xaa);
        let names: [&[u8]; 2] = {
            let mut it = parse_dirent64(&buf[..48]);
            [it.next().unwrap().name, it.next().unwrap().name]
        };
        assert_eq!(names, [&b"."[..], &b".."[..]]);
    }

    #[test]
    fn old_dirent_keeps_type_last() {
        let mut buf = [0u8; 32];
        let p = push_dirent(&mut buf, 0, &DirEntry { ino: 9, off: 7, d_type: DT_REG, name: b"hello" }).unwrap();
        assert_eq!(p, 32);
        assert_eq!(&buf[18..24], b"hello\0");
        assert_eq!(buf[31], DT_REG);
    }

    #[test]
    fn types_from_modes() {
        assert_eq!(dt_from_mode(crate::stat::S_IFREG | 0o644), DT_REG);
        assert_eq!(dt_from_mode(crate::stat::S_IFDIR | 0o755), DT_DIR);
        assert_eq!(dt_from_mode(crate::stat::S_IFLNK), DT_LNK);
        assert_eq!(dt_from_mode(crate::stat::S_IFCHR), DT_CHR);
        assert_eq!(dt_from_mode(crate::stat::S_IFBLK), DT_BLK);
        assert_eq!(dt_from_mode(crate::stat::S_IFIFO), DT_FIFO);
        assert_eq!(dt_from_mode(crate::stat::S_IFSOCK), DT_SOCK);
    }

    proptest! {
        #[test]
        fn round_trip(entries in proptest::collection::vec(
            (any::<u64>(), any::<i64>(), 0u8..15, proptest::collection::vec(1u8..=255, 1..40)), 0..8)) {
            let mut buf = [0u8; 1024];
            let mut pos = 0;
            for (ino, off, t, name) in &entries {
                let p = push_dirent64(&mut buf, pos, &DirEntry { ino: *ino, off: *off, d_type: *t, name }).unwrap();
                prop_assert_eq!(p % 8, 0);
                pos = p;
            }
            let mut n = 0;
            for (got, (ino, off, t, name)) in parse_dirent64(&buf[..pos]).zip(&entries) {
                prop_assert_eq!(got, DirEntry { ino: *ino, off: *off, d_type: *t, name });
                n += 1;
            }
            prop_assert_eq!(n, entries.len());
        }
    }
}
