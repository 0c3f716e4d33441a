//! [`vfs::FileSystem`] for [`Ext2`]: each call borrows the volume for its
//! duration; listing collects a directory block's entries, lets go, and
//! only then hands them to the caller.

use alloc::vec::Vec;

use crate::device_number;
use crate::dirent::type_from_code;
use crate::ext2::Ext2;
use crate::BlockDevice;
use vfs::{
    DeviceNumber, DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs,
    Timestamp, NAME_MAX, PATH_MAX,
};

/// Cookies 0 and 1 are `.` and `..`; an entry at byte position `p` of the
/// directory resumes at cookie `p + FIRST_ENTRY_COOKIE + 1`.
const FIRST_ENTRY_COOKIE: u64 = 2;

impl<D: BlockDevice + Send> FileSystem for Ext2<D> {
    fn name(&self) -> &str {
        "ext2"
    }

    fn root(&self) -> Ino {
        Ino::from(crate::inode::ROOT_INO)
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        let mut volume = self.volume()?;
        let (ino, inode) = volume.node(ino)?;
        let file_type = inode.file_type().ok_or(Error::Corrupted)?;
        let rdev = if file_type.is_device() {
            device_number::decode([inode.block[0], inode.block[1]])
        } else {
            DeviceNumber::default()
        };
        Ok(Metadata {
            file_type,
            mode: inode.permissions(),
            uid: inode.uid,
            gid: inode.gid,
            nlink: u32::from(inode.links),
            size: inode.size,
            rdev,
            atime: inode.atime,
            mtime: inode.mtime,
            ctime: inode.ctime,
            ino: Ino::from(ino),
            blocks: u64::from(inode.blocks),
            blksize: volume.block_size(),
        })
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        self.volume()?.lookup(dir, name)
    }

    fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        node: NewNode<'_>,
        attrs: NodeAttrs,
        now: Timestamp,
    ) -> Result<Ino, Error> {
        self.volume_mut().create(dir, name, node, attrs, now)
    }

    fn link(&mut self, dir: Ino, name: &[u8], target: Ino, now: Timestamp) -> Result<(), Error> {
        self.volume_mut().link(dir, name, target, now)
    }

    fn unlink(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.volume_mut().unlink(dir, name, now)
    }

    fn rmdir(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.volume_mut().rmdir(dir, name, now)
    }

    fn rename(
        &mut self,
        from_dir: Ino,
        from_name: &[u8],
        to_dir: Ino,
        to_name: &[u8],
        now: Timestamp,
    ) -> Result<(), Error> {
        self.volume_mut().rename(from_dir, from_name, to_dir, to_name, now)
    }

    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        let mut volume = self.volume()?;
        let (_, inode) = volume.node(ino)?;
        if inode.file_type() != Some(FileType::Symlink) {
            return Err(Error::InvalidArgument);
        }
        let len = inode.size;
        if len == 0 || len >= PATH_MAX as u64 {
            return Err(Error::Corrupted);
        }
        let len = len as usize;
        if inode.is_fast_symlink(volume.block_size()) {
            let bytes = inode.inline_bytes();
            return bytes.get(..len).map(<[u8]>::to_vec).ok_or(Error::Corrupted);
        }
        let block = volume.map_block(&inode, 0)?.ok_or(Error::Corrupted)?;
        let data = volume.cache.read(block)?;
        data.get(..len).map(<[u8]>::to_vec).ok_or(Error::Corrupted)
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        let mut volume = self.volume()?;
        let (_, inode) = volume.node(ino)?;
        match inode.file_type() {
            Some(FileType::Regular) => volume.read_data(&inode, offset, buf),
            Some(FileType::Directory) => Err(Error::IsDirectory),
            _ => Err(Error::BadFileType),
        }
    }

    fn write(&mut self, ino: Ino, offset: u64, data: &[u8], now: Timestamp) -> Result<usize, Error> {
        let volume = self.volume_mut();
        let (ino, mut inode) = volume.node(ino)?;
        match inode.file_type() {
            Some(FileType::Regular) => {}
            Some(FileType::Directory) => return Err(Error::IsDirectory),
            _ => return Err(Error::BadFileType),
        }
        volume.begin_change()?;
        if data.is_empty() {
            return Ok(0);
        }
        let max = volume.layout.max_file_size();
        if offset >= max {
            return Err(Error::FileTooBig);
        }
        let room = (max - offset).min(data.len() as u64) as usize;
        let result = volume.write_data(ino, &mut inode, offset, &data[..room]);
        if result.is_ok() {
            inode.mtime = now;
            inode.ctime = now;
        }
        volume.write_inode(ino, &inode)?;
        result
    }

    fn truncate(&mut self, ino: Ino, len: u64, now: Timestamp) -> Result<(), Error> {
        let volume = self.volume_mut();
        let (ino, mut inode) = volume.node(ino)?;
        match inode.file_type() {
            Some(FileType::Regular) => {}
            Some(FileType::Directory) => return Err(Error::IsDirectory),
            _ => return Err(Error::InvalidArgument),
        }
        volume.begin_change()?;
        if len > volume.layout.max_file_size() {
            return Err(Error::FileTooBig);
        }
        let result = volume.set_length(&mut inode, len);
        inode.mtime = now;
        inode.ctime = now;
        volume.write_inode(ino, &inode)?;
        result
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        let (inode, parent, blocks) = {
            let mut volume = self.volume()?;
            let (_, inode) = volume.live_dir(dir)?;
            let parent = volume.parent_of(&inode)?;
            let blocks = volume.dir_block_count(&inode)?;
            (inode, parent, blocks)
        };
        let dots: [(&[u8], Ino); 2] = [(b".", dir), (b"..", Ino::from(parent))];
        for (next_cookie, (name, ino)) in (1..).zip(dots) {
            if cookie < next_cookie {
                let entry = DirEntry { name, ino, file_type: FileType::Directory, next_cookie };
                if !emit(entry) {
                    return Ok(());
                }
            }
        }
        let from = cookie.saturating_sub(FIRST_ENTRY_COOKIE);
        let block_size = u64::from(self.volume()?.block_size());
        for lblk in from / block_size..blocks {
            let entries = {
                let mut volume = self.volume()?;
                let listed = volume.list_block(&inode, lblk, from)?;
                let mut typed = Vec::with_capacity(listed.len());
                for entry in listed {
                    let file_type = match type_from_code(entry.file_type) {
                        Some(t) if volume.has_filetype() => t,
                        _ => volume.entry_inode(entry.ino)?.file_type().ok_or(Error::Corrupted)?,
                    };
                    typed.push((entry, file_type));
                }
                typed
            };
            for (entry, file_type) in &entries {
                let dir_entry = DirEntry {
                    name: &entry.name,
                    ino: Ino::from(entry.ino),
                    file_type: *file_type,
                    next_cookie: entry.pos + FIRST_ENTRY_COOKIE + 1,
                };
                if !emit(dir_entry) {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn set_metadata(&mut self, ino: Ino, change: MetadataChange, now: Timestamp) -> Result<(), Error> {
        self.volume_mut().set_metadata(ino, change, now)
    }

    fn statfs(&self) -> FsStats {
        let Ok(volume) = self.volume() else {
            return FsStats::default();
        };
        FsStats {
            block_size: volume.block_size(),
            total_blocks: u64::from(volume.layout.blocks_count),
            free_blocks: u64::from(volume.sb.free_blocks),
            total_inodes: u64::from(volume.layout.inodes_count),
            free_inodes: u64::from(volume.sb.free_inodes),
            name_max: NAME_MAX as u32,
        }
    }

    fn check_consistency(&self) -> Result<(), &'static str> {
        self.volume().map_err(|_| "volume busy")?.check_counts()
    }

    fn retain(&mut self, ino: Ino) -> Result<(), Error> {
        self.volume_mut().retain(ino)
    }

    fn release(&mut self, ino: Ino) -> Result<(), Error> {
        self.volume_mut().release(ino)
    }
}
