//! Loop devices as a state machine: a table of devices by number, each
//! free or bound to a backing file (any `B` the caller uses to reach it),
//! with Linux's rules for every request in every state:
//!
//! - LOOP_CTL_GET_FREE hands out the lowest free device, making one if all
//!   are bound; LOOP_CTL_ADD of an existing number is EEXIST, of a number
//!   past the limit EINVAL; LOOP_CTL_REMOVE of a bound device is EBUSY, of
//!   a missing one ENODEV.
//! - Binding a bound device is EBUSY; asking a free device for its status,
//!   or to unbind, is ENXIO; unbinding a mounted device is EBUSY.
//! - The size is the backing file's from the offset on, cut to the size
//!   limit, in whole 512-byte sectors; it is read when the device is bound
//!   and again on LOOP_SET_CAPACITY, as on Linux.
//!
//! The kernel keeps one table (kernel/src/fs/loop_device.rs) and does the
//! I/O; this crate only decides. Host-tested against a model.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use alloc::vec::Vec;
use kernel_ops::{Error, LoopFlags, LoopStatus};

/// Sector size of every loop device's size and offsets.
pub const SECTOR: u64 = 512;
/// Most loop devices (Linux's default `max_loop` is unbounded; 1 << 20 minors).
pub const MAX_DEVICES: u32 = 256;

/// A bound device's backing file and settings.
#[derive(Debug, Clone)]
pub struct Binding<B> {
    pub backing: B,
    /// The settings (offset, size limit, flags, names); identity fields
    /// are the caller's to fill when it answers a status request.
    pub status: LoopStatus,
    /// The backing file's size when last read (bind, LOOP_SET_CAPACITY).
    pub backing_size: u64,
    pub block_size: u32,
}

impl<B> Binding<B> {
    /// The device's size in bytes.
    pub fn size(&self) -> u64 {
        let mut size = self.backing_size.saturating_sub(self.status.offset);
        if self.status.size_limit != 0 {
            size = size.min(self.status.size_limit);
        }
        size - size % SECTOR
    }
}

#[derive(Debug, Clone)]
struct Device<B> {
    binding: Option<Binding<B>>,
    /// A file system is mounted from it.
    mounted: bool,
}

/// The loop devices of the machine.
#[derive(Debug, Clone)]
pub struct LoopTable<B> {
    /// By number; None: no such device (removed, or never made).
    devices: Vec<Option<Device<B>>>,
}

impl<B: Clone> LoopTable<B> {
    /// A table with devices 0..count (Linux makes `max_loop` or 8 at boot).
    pub fn new(count: u32) -> Self {
        let mut devices = Vec::new();
        for _ in 0..count.min(MAX_DEVICES) {
            devices.push(Some(Device { binding: None, mounted: false }));
        }
        LoopTable { devices }
    }

    fn device(&self, n: u32) -> Option<&Device<B>> {
        self.devices.get(n as usize)?.as_ref()
    }

    fn device_mut(&mut self, n: u32) -> Option<&mut Device<B>> {
        self.devices.get_mut(n as usize)?.as_mut()
    }

    /// Whether loop device `n` exists.
    pub fn exists(&self, n: u32) -> bool {
        self.device(n).is_some()
    }

    /// The numbers of the devices that exist.
    pub fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        self.devices.iter().enumerate().filter(|(_, d)| d.is_some()).map(|(i, _)| i as u32)
    }

    /// LOOP_CTL_ADD: makes device `n`.
    pub fn add(&mut self, n: u32) -> Result<u32, Error> {
        if n >= MAX_DEVICES {
            return Err(Error::InvalidArgument);
        }
        if self.exists(n) {
            return Err(Error::Exists);
        }
        while self.devices.len() <= n as usize {
            self.devices.push(None);
        }
        self.devices[n as usize] = Some(Device { binding: None, mounted: false });
        Ok(n)
    }

    /// LOOP_CTL_REMOVE: removes free device `n`.
    pub fn remove(&mut self, n: u32) -> Result<u32, Error> {
        let d = self.device(n).ok_or(Error::NoDevice)?;
        if d.binding.is_some() || d.mounted {
            return Err(Error::Busy);
        }
        self.devices[n as usize] = None;
        Ok(n)
    }

    /// LOOP_CTL_GET_FREE: the lowest free device, made if there is none.
    pub fn get_free(&mut self) -> Result<u32, Error> {
        if let Some(n) = self.devices.iter().position(|d| matches!(d, Some(d) if d.binding.is_none() && !d.mounted)) {
            return Ok(n as u32);
        }
        let n = self.devices.iter().position(|d| d.is_none()).unwrap_or(self.devices.len()) as u32;
        self.add(n).map_err(|_| Error::NoDevice)
    }

    /// LOOP_SET_FD / LOOP_CONFIGURE: binds free device `n`.
    pub fn bind(&mut self, n: u32, binding: Binding<B>) -> Result<(), Error> {
        let d = self.device_mut(n).ok_or(Error::NoSuchDeviceOrAddress)?;
        if d.binding.is_some() {
            return Err(Error::Busy);
        }
        if !binding.block_size.is_power_of_two() || !(512..=4096).contains(&binding.block_size) {
            return Err(Error::InvalidArgument);
        }
        d.binding = Some(binding);
        Ok(())
    }

    /// LOOP_CLR_FD: unbinds device `n`, handing back its backing file.
    pub fn clear(&mut self, n: u32) -> Result<B, Error> {
        let d = self.device_mut(n).ok_or(Error::NoSuchDeviceOrAddress)?;
        if d.mounted {
            return Err(Error::Busy);
        }
        d.binding.take().map(|b| b.backing).ok_or(Error::NoSuchDeviceOrAddress)
    }

    /// Device `n`'s binding (ENXIO when free or missing).
    pub fn binding(&self, n: u32) -> Result<&Binding<B>, Error> {
        self.device(n).and_then(|d| d.binding.as_ref()).ok_or(Error::NoSuchDeviceOrAddress)
    }

    fn binding_mut(&mut self, n: u32) -> Result<&mut Binding<B>, Error> {
        self.device_mut(n).and_then(|d| d.binding.as_mut()).ok_or(Error::NoSuchDeviceOrAddress)
    }

    /// The size of device `n` in bytes (0 when free, as Linux shows it).
    pub fn size(&self, n: u32) -> u64 {
        self.binding(n).map_or(0, |b| b.size())
    }

    /// LOOP_SET_STATUS(64): the offset, size limit, names and the
    /// settable flags (auto-clear, partition scan); read-only and direct
    /// I/O are not changed this way. A mounted device's geometry is fixed.
    pub fn set_status(&mut self, n: u32, new: &LoopStatus) -> Result<(), Error> {
        let mounted = self.device(n).is_some_and(|d| d.mounted);
        let b = self.binding_mut(n)?;
        if mounted && (new.offset != b.status.offset || new.size_limit != b.status.size_limit) {
            return Err(Error::Busy);
        }
        let flags = LoopFlags {
            read_only: b.status.flags.read_only,
            direct_io: b.status.flags.direct_io,
            auto_clear: new.flags.auto_clear,
            part_scan: new.flags.part_scan || b.status.flags.part_scan,
        };
        b.status = LoopStatus { flags, ..*new };
        Ok(())
    }

    /// LOOP_SET_CAPACITY: the backing file's size read again.
    pub fn set_capacity(&mut self, n: u32, backing_size: u64) -> Result<(), Error> {
        self.binding_mut(n)?.backing_size = backing_size;
        Ok(())
    }

    /// LOOP_SET_BLOCK_SIZE: a power of two from 512 to 4096.
    pub fn set_block_size(&mut self, n: u32, size: u64) -> Result<(), Error> {
        let b = self.binding_mut(n)?;
        if !size.is_power_of_two() || !(512..=4096).contains(&size) {
            return Err(Error::InvalidArgument);
        }
        b.block_size = size as u32;
        Ok(())
    }

    /// LOOP_SET_DIRECT_IO: accepted (there is no page cache to bypass).
    pub fn set_direct_io(&mut self, n: u32, on: bool) -> Result<(), Error> {
        self.binding_mut(n)?.status.flags.direct_io = on;
        Ok(())
    }

    /// BLKROSET.
    pub fn set_read_only(&mut self, n: u32, on: bool) -> Result<(), Error> {
        self.binding_mut(n)?.status.flags.read_only = on;
        Ok(())
    }

    /// Marks device `n` as holding a mounted file system (or not any more).
    pub fn set_mounted(&mut self, n: u32, mounted: bool) -> Result<(), Error> {
        let d = self.device_mut(n).ok_or(Error::NoSuchDeviceOrAddress)?;
        if mounted && d.binding.is_none() {
            return Err(Error::NoSuchDeviceOrAddress);
        }
        if mounted && d.mounted {
            return Err(Error::Busy);
        }
        d.mounted = mounted;
        Ok(())
    }

    pub fn is_mounted(&self, n: u32) -> bool {
        self.device(n).is_some_and(|d| d.mounted)
    }

    /// Where an access of `len` bytes at `at` on device `n` goes: the
    /// backing file, its offset there and how many bytes of the request
    /// lie within the device (0 at or past its end).
    pub fn locate(&self, n: u32, at: u64, len: usize) -> Result<(B, u64, usize), Error> {
        let b = self.binding(n)?;
        let size = b.size();
        let n = if at >= size { 0 } else { (size - at).min(len as u64) as usize };
        Ok((b.backing.clone(), b.status.offset.saturating_add(at), n))
    }
}

#[cfg(test)]
mod tests;
