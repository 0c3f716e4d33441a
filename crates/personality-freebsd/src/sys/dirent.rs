//! getdirentries(2) with FreeBSD's ino64 `struct dirent` (sys/sys/dirent.h;
//! docs/research/freebsd-amd64.md §8): d_fileno u64 @0, d_off u64 @8 (the
//! position after this entry), d_reclen u16 @16, d_type u8 @18, d_pad0
//! @19, d_namlen u16 @20, d_pad1 @22, d_name @24 NUL-terminated, the
//! record rounded up to 8 bytes (`_GENERIC_DIRLEN`).

use super::{buffer, fd};
use kernel_ops::{DirEntryInfo, Error, KResult, KernelOps, Whence};

#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const DT_UNKNOWN: u8 = 0;
pub const DT_FIFO: u8 = 1;
pub const DT_CHR: u8 = 2;
pub const DT_DIR: u8 = 4;
pub const DT_BLK: u8 = 6;
pub const DT_REG: u8 = 8;
pub const DT_LNK: u8 = 10;
pub const DT_SOCK: u8 = 12;

/// Where d_name starts.
pub const NAME_OFFSET: usize = 24;
/// MAXNAMLEN: the longest name a dirent holds.
pub const MAXNAMLEN: usize = 255;

/// `_GENERIC_DIRLEN(namlen)`: header, name, NUL, rounded to 8.
pub const fn record_len(name_len: usize) -> usize {
    (NAME_OFFSET + name_len + 1 + 7) & !7
}

pub fn d_type(t: vfs::FileType) -> u8 {
    match t {
        vfs::FileType::Regular => DT_REG,
        vfs::FileType::Directory => DT_DIR,
        vfs::FileType::Symlink => DT_LNK,
        vfs::FileType::CharDevice => DT_CHR,
        vfs::FileType::BlockDevice => DT_BLK,
        vfs::FileType::Fifo => DT_FIFO,
        vfs::FileType::Socket => DT_SOCK,
    }
}

/// Writes one entry at `pos` in `buf`; the position after it, or None when
/// it does not fit (or its name is longer than a dirent holds: no file
/// system here makes one, and FreeBSD's could not). Padding is zeroed, so
/// no kernel bytes leak into the caller's buffer.
pub fn push(buf: &mut [u8], pos: usize, e: &DirEntryInfo<'_>) -> Option<usize> {
    if e.name.len() > MAXNAMLEN {
        return None;
    }
    let len = record_len(e.name.len());
    let end = pos.checked_add(len)?;
    let rec = buf.get_mut(pos..end)?;
    rec.fill(0);
    rec[0..8].copy_from_slice(&e.ino.to_le_bytes());
    rec[8..16].copy_from_slice(&e.next_offset.to_le_bytes());
    rec[16..18].copy_from_slice(&(len as u16).to_le_bytes());
    rec[18] = d_type(e.file_type);
    rec[20..22].copy_from_slice(&(e.name.len() as u16).to_le_bytes());
    rec[NAME_OFFSET..NAME_OFFSET + e.name.len()].copy_from_slice(e.name);
    Some(end)
}

/// How much of a request is read at once: the count is the caller's, but
/// the bounce buffer need not be larger than this (a short read is fine).
const MAX_CHUNK: usize = 1 << 20;

/// getdirentries(fd, buf, nbytes, basep): the entries from the
/// directory's position that fit in `nbytes`, returning the bytes placed
/// (0 at the end); `*basep` (an off_t, when basep is not NULL) gets the
/// position the read started at. As kern_getdirentries: more than
/// IOSIZE_MAX bytes is EINVAL, a descriptor not open for reading EBADF,
/// one that is not a directory EINVAL; as ufs_readdir, a buffer too small
/// for the next entry is EINVAL.
pub fn getdirentries(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    if a[2] > i64::MAX as u64 {
        return Err(Error::InvalidArgument);
    }
    let (opened, _) = ops.status_flags(f)?;
    if !opened.read {
        return Err(Error::BadDescriptor);
    }
    if !ops.fstat(f)?.meta.is_dir() {
        return Err(Error::InvalidArgument);
    }
    let base = if a[3] != 0 { Some(ops.seek(f, 0, Whence::Current)?) } else { None };
    let cap = (a[2] as usize).min(MAX_CHUNK);
    let mut buf = buffer(cap)?;
    let mut pos = 0usize;
    ops.read_dir(f, &mut |e| match push(&mut buf, pos, e) {
        Some(p) => {
            pos = p;
            true
        }
        None => false,
    })?;
    if pos == 0 {
        // Either the directory is exhausted (0) or the next entry does not
        // fit (EINVAL); a second look tells them apart.
        let mut more = false;
        ops.read_dir(f, &mut |_| {
            more = true;
            false
        })?;
        if more {
            return Err(Error::InvalidArgument);
        }
    }
    ops.copy_out(a[1], &buf[..pos])?;
    if let Some(base) = base {
        ops.copy_out(a[3], &base.to_le_bytes())?;
    }
    Ok(pos as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &[u8]) -> DirEntryInfo<'_> {
        DirEntryInfo { ino: 0x1122_3344_5566_7788, name, file_type: vfs::FileType::Directory, next_offset: 7 }
    }

    #[test]
    fn record_lengths_round_to_eight() {
        assert_eq!(record_len(0), 32);
        assert_eq!(record_len(1), 32);
        assert_eq!(record_len(7), 32);
        assert_eq!(record_len(8), 40);
        assert_eq!(record_len(255), 280, "the largest dirent, sizeof(struct dirent)");
    }

    #[test]
    fn fields_at_their_offsets() {
        let mut buf = [0xaau8; 64];
        let end = push(&mut buf, 0, &entry(b"hello")).unwrap();
        assert_eq!(end, 32);
        assert_eq!(u64::from_le_bytes(buf[0..8].try_into().unwrap()), 0x1122_3344_5566_7788);
        assert_eq!(u64::from_le_bytes(buf[8..16].try_into().unwrap()), 7);
        assert_eq!(u16::from_le_bytes([buf[16], buf[17]]), 32);
        assert_eq!(buf[18], DT_DIR);
        assert_eq!(buf[19], 0);
        assert_eq!(u16::from_le_bytes([buf[20], buf[21]]), 5);
        assert_eq!(&buf[22..24], &[0, 0]);
        assert_eq!(&buf[24..29], b"hello");
        assert!(buf[29..32].iter().all(|&b| b == 0), "NUL and padding");
        assert!(buf[32..].iter().all(|&b| b == 0xaa), "nothing past the record");
    }

    #[test]
    fn entries_follow_each_other_and_stop_when_full() {
        let mut buf = [0u8; 72];
        let p = push(&mut buf, 0, &entry(b".")).unwrap();
        let p = push(&mut buf, p, &entry(b"twelve_bytes")).unwrap();
        assert_eq!(p, 32 + 40);
        // 70 bytes hold the first (32) but not the second (40) after it.
        let mut small = [0u8; 70];
        let q = push(&mut small, 0, &entry(b".")).unwrap();
        assert_eq!(push(&mut small, q, &entry(b"twelve_bytes")), None);
        // A buffer smaller than one record holds nothing.
        assert_eq!(push(&mut [0u8; 31], 0, &entry(b"a")), None);
        assert_eq!(push(&mut [0u8; 300], 0, &entry(&[b'x'; 256])), None);
    }

    #[test]
    fn types() {
        use vfs::FileType::*;
        let all = [Regular, Directory, Symlink, CharDevice, BlockDevice, Fifo, Socket];
        let want = [8, 4, 10, 2, 6, 1, 12];
        for (t, w) in all.into_iter().zip(want) {
            assert_eq!(d_type(t), w);
        }
        assert_eq!(DT_UNKNOWN, 0);
    }
}
