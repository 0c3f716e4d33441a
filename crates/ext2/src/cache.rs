//! A bounded write-back cache of device blocks, which also owns the
//! device. Blocks are read on first use (a run of them at once when the
//! reader asks with [`Cache::prefetch`]) and written back when evicted
//! (least recently used first) or on [`Cache::flush`]; consecutive dirty
//! blocks go out in one device write. Each device request is an IPC round
//! trip to the driver and a virtio request, so fewer, larger ones matter.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::BlockDevice;
use vfs::Error;

/// Bytes of blocks kept in memory.
pub const CACHE_BYTES: usize = 4 << 20;
/// Largest single device request: a run of dirty blocks written back, or
/// of blocks read ahead.
const MAX_RUN_BYTES: usize = 256 << 10;

#[derive(Debug)]
struct Slot {
    data: Vec<u8>,
    dirty: bool,
    tick: u64,
}

#[derive(Debug)]
pub struct Cache<D> {
    dev: D,
    block_size: usize,
    /// Blocks past this are refused: they are outside the volume.
    blocks_count: u32,
    capacity: usize,
    slots: BTreeMap<u32, Slot>,
    /// Use order: tick of last use to block number.
    lru: BTreeMap<u64, u32>,
    tick: u64,
    /// The block after the last run `prefetch` read: a miss there means
    /// a reader going through the disk in order.
    prefetch_end: u32,
}

impl<D: BlockDevice> Cache<D> {
    pub fn new(dev: D, block_size: u32, blocks_count: u32) -> Self {
        let block_size = block_size as usize;
        Cache {
            dev,
            block_size,
            blocks_count,
            capacity: (CACHE_BYTES / block_size).max(16),
            slots: BTreeMap::new(),
            lru: BTreeMap::new(),
            tick: 0,
            prefetch_end: 0,
        }
    }

    /// The block's contents.
    pub fn read(&mut self, block: u32) -> Result<&[u8], Error> {
        Ok(&self.slot(block, true)?.data)
    }

    /// The block's contents, to change: it will be written back.
    pub fn write(&mut self, block: u32) -> Result<&mut [u8], Error> {
        let slot = self.slot(block, true)?;
        slot.dirty = true;
        Ok(&mut slot.data)
    }

    /// The block, to be overwritten whole: not read from the device if it
    /// is not cached (its old contents then read as zeros).
    pub fn overwrite(&mut self, block: u32) -> Result<&mut [u8], Error> {
        let slot = self.slot(block, false)?;
        slot.dirty = true;
        Ok(&mut slot.data)
    }

    /// The block, zeroed: for a block just allocated.
    pub fn zeroed(&mut self, block: u32) -> Result<&mut [u8], Error> {
        let data = self.overwrite(block)?;
        data.fill(0);
        Ok(data)
    }

    /// Whether the block is in the cache.
    pub fn contains(&self, block: u32) -> bool {
        self.slots.contains_key(&block)
    }

    /// The largest number of blocks one device request carries.
    pub fn max_run(&self) -> u32 {
        (MAX_RUN_BYTES / self.block_size).max(1) as u32
    }

    /// Whether `block` is where the last prefetched run ended.
    pub fn continues_prefetch(&self, block: u32) -> bool {
        self.prefetch_end != 0 && block == self.prefetch_end
    }

    /// Loads the blocks from `first` on, up to `count` (and `max_run`),
    /// that are not cached yet, in one device read: the caller is about to
    /// read them all. Stops at the first block already cached.
    pub fn prefetch(&mut self, first: u32, count: u32) -> Result<(), Error> {
        let limit = count.min(self.max_run()).min(self.blocks_count.saturating_sub(first));
        let n = (0..limit).take_while(|&i| !self.contains(first + i)).count();
        if n < 2 {
            return Ok(()); // one block: the ordinary read does it
        }
        let mut buf = self.zeroed_buffer(n * self.block_size)?;
        self.dev.read(self.offset(first), &mut buf)?;
        self.prefetch_end = first + n as u32;
        for (i, data) in buf.chunks_exact(self.block_size).enumerate() {
            self.make_room()?;
            let mut copy = self.zeroed_buffer(self.block_size)?;
            copy.copy_from_slice(data);
            self.insert(first + i as u32, copy);
        }
        Ok(())
    }

    fn slot(&mut self, block: u32, load: bool) -> Result<&mut Slot, Error> {
        if block >= self.blocks_count {
            return Err(Error::Corrupted);
        }
        if self.contains(block) {
            self.touch(block);
        } else {
            self.make_room()?;
            let mut data = self.zeroed_buffer(self.block_size)?;
            if load {
                self.dev.read(self.offset(block), &mut data)?;
            }
            self.insert(block, data);
        }
        self.slots.get_mut(&block).ok_or(Error::Io)
    }

    /// `len` zero bytes, or `NoMemory` when the heap cannot give them.
    fn zeroed_buffer(&self, len: usize) -> Result<Vec<u8>, Error> {
        let mut data = Vec::new();
        data.try_reserve_exact(len).map_err(|_| Error::NoMemory)?;
        data.resize(len, 0);
        Ok(data)
    }

    /// A block just read (clean), as the most recently used.
    fn insert(&mut self, block: u32, data: Vec<u8>) {
        self.tick += 1;
        self.slots.insert(block, Slot { data, dirty: false, tick: self.tick });
        self.lru.insert(self.tick, block);
    }

    /// Makes the cached `block` the most recently used.
    fn touch(&mut self, block: u32) {
        self.tick += 1;
        if let Some(slot) = self.slots.get_mut(&block) {
            self.lru.remove(&slot.tick);
            slot.tick = self.tick;
            self.lru.insert(self.tick, block);
        }
    }

    /// Evicts the least recently used blocks until one more fits. A dirty
    /// block is written back first (with the dirty run after it); if that
    /// fails it stays, for a later flush to try again.
    fn make_room(&mut self) -> Result<(), Error> {
        while self.slots.len() >= self.capacity {
            let Some((&tick, &block)) = self.lru.first_key_value() else {
                return Ok(());
            };
            if self.slots.get(&block).is_some_and(|s| s.dirty) {
                self.write_run_from(block)?;
            }
            self.lru.remove(&tick);
            self.slots.remove(&block);
        }
        Ok(())
    }

    /// Writes the dirty block `first` back together with the dirty blocks
    /// right after it (a file written in order leaves such runs), up to
    /// `max_run`, in one device write; they stay cached, clean. Without
    /// memory for the run's buffer, `first` goes out alone.
    fn write_run_from(&mut self, first: u32) -> Result<(), Error> {
        let max_run = self.max_run();
        let mut run = 1;
        while run < max_run && self.slots.get(&(first + run)).is_some_and(|s| s.dirty) {
            run += 1;
        }
        let mut buf = Vec::new();
        if run == 1 || buf.try_reserve_exact(run as usize * self.block_size).is_err() {
            run = 1;
            let at = self.offset(first);
            let data = self.slots.get(&first).map(|s| s.data.as_slice()).ok_or(Error::Io)?;
            self.dev.write(at, data)?;
        } else {
            for block in first..first + run {
                if let Some(slot) = self.slots.get(&block) {
                    buf.extend_from_slice(&slot.data);
                }
            }
            self.dev.write(self.offset(first), &buf)?;
        }
        for block in first..first + run {
            if let Some(slot) = self.slots.get_mut(&block) {
                slot.dirty = false;
            }
        }
        Ok(())
    }

    /// Writes every dirty block back (without flushing the device).
    pub fn flush(&mut self) -> Result<(), Error> {
        let dirty: Vec<u32> = self.slots.iter().filter(|(_, slot)| slot.dirty).map(|(&block, _)| block).collect();
        for block in dirty {
            // Still dirty unless an earlier run took it along.
            if self.slots.get(&block).is_some_and(|s| s.dirty) {
                self.write_run_from(block)?;
            }
        }
        Ok(())
    }

    fn offset(&self, block: u32) -> u64 {
        u64::from(block) * self.block_size as u64
    }

    /// Reads bytes the cache never holds (superblock, descriptors).
    pub fn device_read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        Ok(self.dev.read(offset, buf)?)
    }

    /// Writes bytes the cache never holds (superblock, descriptors).
    pub fn device_write(&mut self, offset: u64, data: &[u8]) -> Result<(), Error> {
        Ok(self.dev.write(offset, data)?)
    }

    pub fn device_flush(&mut self) -> Result<(), Error> {
        Ok(self.dev.flush()?)
    }

    /// Hands the device back; unflushed changes are lost.
    pub fn into_device(self) -> D {
        self.dev
    }
}
