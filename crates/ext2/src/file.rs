//! File data: reading (holes as zeros), writing (allocating as it goes,
//! stopping short when space runs out), and setting the length.

use crate::features::RO_COMPAT_LARGE_FILE;
use crate::inode::Inode;
use crate::volume::Volume;
use crate::BlockDevice;
use vfs::Error;

/// Largest file revision 1 can describe without `large_file`.
const SMALL_FILE_MAX: u64 = (1 << 31) - 1;

impl<D: BlockDevice> Volume<D> {
    /// Copies file data at `offset` into `buf`; returns how much: short at
    /// the end of the file, or when a block past the first cannot be read.
    pub fn read_data(&mut self, inode: &Inode, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        if offset >= inode.size {
            return Ok(0);
        }
        let want = (inode.size - offset).min(buf.len() as u64) as usize;
        let bs = self.layout.block_size_u64();
        let mut done = 0;
        while done < want {
            let pos = offset + done as u64;
            let in_block = (pos % bs) as usize;
            let n = (bs as usize - in_block).min(want - done);
            let out = &mut buf[done..done + n];
            let step = self
                .map_block(inode, pos / bs)
                .and_then(|block| {
                    if let Some(first) = block.filter(|&b| !self.cache.contains(b)) {
                        // A miss: fetch the rest of the request's blocks that
                        // lie on after this one on the disk in the same read.
                        let left = (want - done).div_ceil(bs as usize) as u64;
                        self.read_ahead(inode, pos / bs, first, left)?;
                    }
                    Ok(block)
                })
                .and_then(|block| match block {
                    Some(block) => {
                        self.cache.read(block).map(|data| out.copy_from_slice(&data[in_block..in_block + n]))
                    }
                    None => {
                        out.fill(0);
                        Ok(())
                    }
                });
            match step {
                Ok(()) => done += n,
                // As read(2) does: the bytes already read are the answer; the
                // error comes with the next read, which starts here.
                Err(_) if done > 0 => return Ok(done),
                Err(e) => return Err(e),
            }
        }
        Ok(want)
    }

    /// Loads logical blocks `lblk..lblk + count` of `inode` in one device
    /// read, as far as they follow `first` (the device block of `lblk`)
    /// without a gap and are not cached. A miss right where the previous
    /// run ended is a sequential reader: then the run goes on past the
    /// request, as far as one device request carries (and the file goes).
    fn read_ahead(&mut self, inode: &Inode, lblk: u64, first: u32, count: u64) -> Result<(), Error> {
        let max_run = u64::from(self.cache.max_run());
        let count = if self.cache.continues_prefetch(first) { max_run } else { count };
        let limit = count.min(max_run);
        let mut run = 1u32;
        while u64::from(run) < limit {
            let want = first.checked_add(run);
            // A block that cannot be mapped ends the run; its error is the
            // ordinary read's to report, once it gets there.
            match self.map_block(inode, lblk + u64::from(run)) {
                Ok(got) if want.is_some() && got == want => run += 1,
                _ => break,
            }
        }
        self.cache.prefetch(first, run)
    }

    /// The first block of `ino`'s group: where its data should go.
    pub fn home_block(&self, ino: u32) -> u32 {
        let (group, _) = self.layout.inode_group(ino);
        self.layout.group_first_block(group)
    }

    /// Writes `data` at `offset` into the regular file `inode`, growing it.
    /// Stops when no block can be had; `NoSpace` if nothing was written.
    /// The caller has capped `data` at the largest file size and writes
    /// the inode back afterwards, whatever the result.
    pub fn write_data(&mut self, ino: u32, inode: &mut Inode, offset: u64, data: &[u8]) -> Result<usize, Error> {
        let bs = self.layout.block_size_u64();
        let mut goal = self.home_block(ino);
        let mut done = 0;
        let mut result = Ok(());
        while done < data.len() {
            let pos = offset + done as u64;
            let in_block = (pos % bs) as usize;
            let n = (bs as usize - in_block).min(data.len() - done);
            let block = match self.map_or_alloc(inode, pos / bs, goal) {
                Ok((block, _)) => block,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            goal = block.saturating_add(1);
            let target = if n == bs as usize { self.cache.overwrite(block)? } else { self.cache.write(block)? };
            target[in_block..in_block + n].copy_from_slice(&data[done..done + n]);
            done += n;
        }
        let end = offset + done as u64;
        if end > inode.size {
            inode.size = end;
            if end > SMALL_FILE_MAX && self.sb.feature_ro_compat & RO_COMPAT_LARGE_FILE == 0 {
                self.sb.feature_ro_compat |= RO_COMPAT_LARGE_FILE;
            }
        }
        match result {
            Err(Error::NoSpace) if done > 0 => Ok(done),
            Err(e) => Err(e),
            Ok(()) => Ok(done),
        }
    }

    /// Sets the length of the regular file `inode`: shrinking frees the
    /// blocks past the end and clears the rest of the last one (so that
    /// growing again shows zeros); growing leaves a hole.
    pub fn set_length(&mut self, inode: &mut Inode, len: u64) -> Result<(), Error> {
        if len < inode.size {
            let bs = self.layout.block_size_u64();
            self.free_blocks_from(inode, len.div_ceil(bs))?;
            let in_block = (len % bs) as usize;
            if in_block != 0 {
                if let Some(block) = self.map_block(inode, len / bs)? {
                    self.cache.write(block)?[in_block..].fill(0);
                }
            }
        } else if len > SMALL_FILE_MAX && self.sb.feature_ro_compat & RO_COMPAT_LARGE_FILE == 0 {
            self.sb.feature_ro_compat |= RO_COMPAT_LARGE_FILE;
        }
        inode.size = len;
        Ok(())
    }
}
