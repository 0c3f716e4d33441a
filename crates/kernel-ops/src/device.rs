//! Which device a device node or an open device is, in the core's own
//! terms. Device *numbers* (Linux's 1:3 for /dev/null, a BSD's own
//! scheme) are each OS's encoding of this identity, so they belong to the
//! personality (`Personality::device_at`, `device_number`); the core only
//! ever acts on a [`DeviceId`].

/// A device the core can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeviceId {
    /// Reads nothing, swallows every write.
    Null,
    /// Reads zeros, swallows every write.
    Zero,
    /// Reads zeros, every write fails with no space.
    Full,
    /// The random generator, under the name of the blocking pool.
    Random,
    /// The random generator, under the name of the non-blocking pool.
    Urandom,
    /// The opening process's controlling terminal, whichever it is.
    ControllingTerminal,
    /// The system console (whatever terminal the kernel logs on).
    Console,
    /// Serial port `n`; port 0 is the console's line.
    Serial(u32),
    /// Opening it makes a new pseudo-terminal and gives its master side.
    PtyMultiplexer,
    /// Pseudo-terminal `n`'s slave side.
    PtySlave(u32),
    /// The loop driver's control device (adds, removes, finds free ones).
    LoopControl,
    /// Loop block device `n`: a regular file's bytes as a disk.
    Loop(u32),
    /// Block device `n` of those served from user space (a disk server).
    ServedDisk(u32),
}

impl DeviceId {
    /// Whether it is a block device (a disk: addressed in blocks, holds a
    /// file system that can be mounted) rather than a character device.
    pub fn is_block(self) -> bool {
        matches!(self, DeviceId::Loop(_) | DeviceId::ServedDisk(_))
    }
}

/// A node an OS's device file system starts with (Linux's devtmpfs):
/// the name under /dev, the device it opens and who may open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevNode {
    pub name: &'static str,
    pub device: DeviceId,
    /// Permission bits (the file type follows from `device.is_block()`).
    pub mode: u32,
    /// Owning group (0 root; Linux gives disks group 6, `disk`).
    pub gid: u32,
}

/// A symbolic link an OS's device file system starts with (Linux's
/// /dev/fd → /proc/self/fd): name under /dev, and its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevLink {
    pub name: &'static str,
    pub target: &'static str,
}
