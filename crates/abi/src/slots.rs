//! Fixed slots and sentinel values.

/// "No capability" where a call takes an optional slot.
pub const NO_CAP: u64 = 0xffff_ffff;
/// Every native task starts with its own task, address space and main
/// thread in these slots; capabilities granted at spawn follow from
/// `FIRST_GRANTED_SLOT` in the order the spawner listed them.
pub const TASK_SELF_SLOT: u64 = 0;
pub const ADDRESS_SPACE_SELF_SLOT: u64 = 1;
pub const THREAD_SELF_SLOT: u64 = 2;
pub const FIRST_GRANTED_SLOT: u64 = 3;

/// Capabilities the kernel gives the first native task (init), in order
/// from `FIRST_GRANTED_SLOT`.
pub const INIT_BOOT_DIR_SLOT: u64 = 3;
pub const INIT_IO_PORTS_SLOT: u64 = 4;
pub const INIT_IRQ_SLOT: u64 = 5;
pub const INIT_MMIO_SLOT: u64 = 6;
pub const INIT_VFS_SLOT: u64 = 7;
pub const INIT_NET_SLOT: u64 = 8;

/// Largest capability table a native task may have.
pub const MAX_SLOTS: u64 = 4096;
/// A timeout meaning "wait as long as it takes".
pub const FOREVER: u64 = u64::MAX;
/// Page size of the native ABI (memory calls count in pages).
pub const PAGE_SIZE: u64 = 4096;
/// Lowest and one past the highest user virtual address a native task may map.
pub const USER_MIN: u64 = 0x1_0000;
pub const USER_END: u64 = 0x0000_7fff_ffff_f000;
/// Largest `debug_write`, `file_read`/`file_write` and `random` transfer.
pub const MAX_IO: u64 = 1 << 20;
/// Interrupt lines an IRQ capability can name (I/O APIC inputs).
pub const IRQ_LINES: u64 = 24;

/// Bits a notification word holds: 63, so that `notify_wait` can return
/// any word as a non-negative value. Signalling, badging or binding an IRQ
/// with bit 63 set fails with InvalidArgument.
pub const NOTIFY_BITS: u64 = (1 << 63) - 1;

/// `mem_alloc` flags.
pub const MEM_DMA: u64 = 1 << 0;
/// `mem_map` protections.
pub const PROT_READ: u64 = 1 << 0;
pub const PROT_WRITE: u64 = 1 << 1;
pub const PROT_EXEC: u64 = 1 << 2;
