//! `memfd_create` flags (<linux/memfd.h>) and the name rule.

/// The descriptor is close-on-exec.
pub const MFD_CLOEXEC: u32 = 0x0001;
/// Seals may be added (F_ADD_SEALS); without it the file starts sealed
/// with F_SEAL_SEAL.
pub const MFD_ALLOW_SEALING: u32 = 0x0002;
/// Backed by huge pages (the page-size bits sit at `MFD_HUGE_SHIFT`).
pub const MFD_HUGETLB: u32 = 0x0004;
/// Not executable, and sealed so (Linux 6.3).
pub const MFD_NOEXEC_SEAL: u32 = 0x0008;
/// Executable (Linux 6.3).
pub const MFD_EXEC: u32 = 0x0010;
pub const MFD_HUGE_SHIFT: u32 = 26;
pub const MFD_HUGE_MASK: u32 = 0x3f;

/// The longest name: the /proc link is `memfd:NAME`, which must fit in
/// NAME_MAX (255) bytes.
pub const MFD_NAME_MAX: usize = 255 - "memfd:".len();
