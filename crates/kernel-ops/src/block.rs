//! Block-device requests (Linux's BLK* and LOOP_* ioctls), personality-
//! neutral: what a program may ask of a block device node and of the
//! loop-device control node.

use crate::Fd;

/// Bytes of a loop device's name fields (Linux's LO_NAME_SIZE).
pub const LOOP_NAME_SIZE: usize = 64;
/// Bytes of a loop device's (obsolete) key field (LO_KEY_SIZE).
pub const LOOP_KEY_SIZE: usize = 32;

/// A loop device's settings and identity (Linux's loop_info64). The
/// identity fields (number, device, inode, rdevice) are filled by the
/// core on reads and ignored on writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopStatus {
    /// The device number of the backing file's file system.
    pub device: u64,
    /// The backing file's inode number.
    pub inode: u64,
    /// The backing file's own device number (0 for a regular file).
    pub rdevice: u64,
    /// Where the device starts in the backing file.
    pub offset: u64,
    /// Most bytes the device shows (0: up to the end of the file).
    pub size_limit: u64,
    pub number: u32,
    pub encrypt_type: u32,
    pub encrypt_key_size: u32,
    pub flags: LoopFlags,
    pub file_name: [u8; LOOP_NAME_SIZE],
    pub crypt_name: [u8; LOOP_NAME_SIZE],
    pub encrypt_key: [u8; LOOP_KEY_SIZE],
    pub init: [u64; 2],
}

impl Default for LoopStatus {
    fn default() -> Self {
        LoopStatus {
            device: 0,
            inode: 0,
            rdevice: 0,
            offset: 0,
            size_limit: 0,
            number: 0,
            encrypt_type: 0,
            encrypt_key_size: 0,
            flags: LoopFlags::default(),
            file_name: [0; LOOP_NAME_SIZE],
            crypt_name: [0; LOOP_NAME_SIZE],
            encrypt_key: [0; LOOP_KEY_SIZE],
            init: [0; 2],
        }
    }
}

/// A loop device's flags (LO_FLAGS_*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoopFlags {
    pub read_only: bool,
    /// Detach by itself when the last opener closes it.
    pub auto_clear: bool,
    /// Scan the device for partitions.
    pub part_scan: bool,
    pub direct_io: bool,
}

/// What a block-device ioctl asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockRequest {
    /// The size in bytes (BLKGETSIZE64).
    Size,
    /// The logical sector size (BLKSSZGET).
    LogicalBlockSize,
    /// The physical sector size (BLKPBSZGET, BLKIOMIN, BLKIOOPT).
    PhysicalBlockSize,
    /// Whether the device is read-only (BLKROGET).
    ReadOnly,
    /// Makes the device read-only or writable (BLKROSET).
    SetReadOnly(bool),
    /// The read-ahead in sectors (BLKRAGET), and setting it (BLKRASET).
    ReadAhead,
    SetReadAhead(u64),
    /// Drops cached blocks (BLKFLSBUF).
    Flush,
    /// Discards (or zeroes) a range of bytes (BLKDISCARD, BLKZEROOUT).
    Discard {
        start: u64,
        len: u64,
        zero: bool,
    },
    /// Re-reads the partition table (BLKRRPART).
    RereadPartitions,
    /// Binds a loop device to a backing file (LOOP_SET_FD).
    LoopSetFd(Fd),
    /// Binds with settings at once (LOOP_CONFIGURE); a block size of 0
    /// keeps 512.
    LoopConfigure {
        fd: Fd,
        block_size: u32,
        status: LoopStatus,
    },
    /// Replaces the backing file of a read-only loop device (LOOP_CHANGE_FD).
    LoopChangeFd(Fd),
    /// Unbinds a loop device (LOOP_CLR_FD).
    LoopClear,
    LoopSetStatus(LoopStatus),
    LoopGetStatus,
    /// Re-reads the backing file's size (LOOP_SET_CAPACITY).
    LoopSetCapacity,
    LoopSetBlockSize(u64),
    LoopSetDirectIo(u64),
    /// The loop-control node: the number of a free loop device, made if
    /// needed (LOOP_CTL_GET_FREE).
    ControlGetFree,
    /// Makes loop device N (LOOP_CTL_ADD); the reply is N.
    ControlAdd(u32),
    /// Removes unbound loop device N (LOOP_CTL_REMOVE); the reply is N.
    ControlRemove(u32),
}

/// The answer to a [`BlockRequest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockReply {
    Done,
    Value(u64),
    Status(LoopStatus),
}
