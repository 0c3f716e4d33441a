//! __getdents30(2) with NetBSD's `struct dirent` (sys/sys/dirent.h):
//! d_fileno u64 @0, d_reclen u16 @8, d_namlen u16 @10, d_type u8 @12,
//! d_name @13 NUL-terminated, the record rounded up to d_fileno's
//! alignment, 8 (`_DIRENT_RECLEN`). No d_off: NetBSD's libc seeks with
//! the directory's own offset.

use super::args::buffer;
use super::fd;
use kernel_ops::{DirEntryInfo, Error, KResult, KernelOps};

#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const DT_UNKNOWN: u8 = 0;
pub const DT_FIFO: u8 = 1;
pub const DT_CHR: u8 = 2;
pub const DT_DIR: u8 = 4;
pub const DT_BLK: u8 = 6;
pub const DT_REG: u8 = 8;
pub const DT_LNK: u8 = 10;
pub const DT_SOCK: u8 = 12;

/// `_DIRENT_NAMEOFF`: where d_name starts.
pub const NAME_OFFSET: usize = 13;
/// MAXNAMLEN: the longest name a dirent holds.
pub const MAXNAMLEN: usize = 511;
/// MAXBSIZE: vn_readdir reads at most this much at once.
const MAXBSIZE: usize = 65536;

/// `_DIRENT_RECLEN(dp, namlen)`: header, name, NUL, rounded to 8.
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
/// it does not fit (or its name is longer than a dirent holds). Padding is
/// zeroed, so no kernel bytes leak into the caller's buffer.
pub fn push(buf: &mut [u8], pos: usize, e: &DirEntryInfo<'_>) -> Option<usize> {
    if e.name.len() > MAXNAMLEN {
        return None;
    }
    let len = record_len(e.name.len());
    let end = pos.checked_add(len)?;
    let rec = buf.get_mut(pos..end)?;
    rec.fill(0);
    rec[0..8].copy_from_slice(&e.ino.to_le_bytes());
    rec[8..10].copy_from_slice(&(len as u16).to_le_bytes());
    rec[10..12].copy_from_slice(&(e.name.len() as u16).to_le_bytes());
    rec[12] = d_type(e.file_type);
    rec[NAME_OFFSET..NAME_OFFSET + e.name.len()].copy_from_slice(e.name);
    Some(end)
}

/// __getdents30(fd, buf, count): the entries from the directory's
/// position that fit in `count` bytes, returning the bytes placed (0 at
/// the end). As sys___getdents30 and vn_readdir: a descriptor not open
/// for reading is EBADF, one that is not a directory EINVAL; the count is
/// a `u_int` there, cut to MAXBSIZE. A buffer too small for the next
/// entry is EINVAL, as ufs_readdir answers (tmpfs returns 0 instead).
pub fn getdents(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    let (opened, _) = ops.status_flags(f)?;
    if !opened.read {
        return Err(Error::BadDescriptor);
    }
    if !ops.fstat(f)?.meta.is_dir() {
        return Err(Error::InvalidArgument);
    }
    let cap = (a[2] as u32 as usize).min(MAXBSIZE);
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
        assert_eq!(record_len(0), 16, "_DIRENT_MINSIZE");
        assert_eq!(record_len(1), 16);
        assert_eq!(record_len(2), 16);
        assert_eq!(record_len(3), 24);
        assert_eq!(record_len(10), 24);
        assert_eq!(record_len(11), 32);
        assert_eq!(record_len(511), 528, "the largest dirent, sizeof(struct dirent)");
    }

    #[test]
    fn fields_at_their_offsets() {
        let mut buf = [0xaau8; 40];
        let end = push(&mut buf, 0, &entry(b"hello")).unwrap();
        assert_eq!(end, 24);
        assert_eq!(u64::from_le_bytes(buf[0..8].try_into().unwrap()), 0x1122_3344_5566_7788);
        assert_eq!(u16::from_le_bytes([buf[8], buf[9]]), 24);
        assert_eq!(u16::from_le_bytes([buf[10], buf[11]]), 5);
        assert_eq!(buf[12], DT_DIR);
        assert_eq!(&buf[13..18], b"hello");
        assert!(buf[18..24].iter().all(|&b| b == 0), "NUL and padding");
        assert!(buf[24..].iter().all(|&b| b == 0xaa), "nothing past the record");
    }

    #[test]
    fn entries_follow_each_other_and_stop_when_full() {
        let mut buf = [0u8; 48];
        let p = push(&mut buf, 0, &entry(b".")).unwrap();
        let p = push(&mut buf, p, &entry(b"twelve_bytes")).unwrap();
        assert_eq!(p, 16 + 32);
        let mut small = [0u8; 47];
        let q = push(&mut small, 0, &entry(b".")).unwrap();
        assert_eq!(push(&mut small, q, &entry(b"twelve_bytes")), None);
        assert_eq!(push(&mut [0u8; 15], 0, &entry(b"a")), None);
        assert_eq!(push(&mut [0u8; 600], 0, &entry(&[b'x'; 512])), None);
        assert!(push(&mut [0u8; 600], 0, &entry(&[b'x'; 511])).is_some());
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
