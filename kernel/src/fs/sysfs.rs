//! /sys: the few sysfs files glibc, python and Go read to learn the
//! machine's CPUs and memory policy, and the boot-time loop devices'
//! /sys/block entries. A fixed tree rendered on read.

use super::generated_tree::{self, Entry, Node, Tree, ROOT};
use super::loop_device::{self, SysBlockFile};
use crate::fs::Vfs;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use vfs::{
    DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp,
};

const DEVICES: Ino = 2;
const SYSTEM: Ino = 3;
const CPU: Ino = 4;
const KERNEL: Ino = 8;
const MM: Ino = 9;
const THP: Ino = 10;
const BLOCK: Ino = 20;

/// CPUs as a Linux CPU list: "0", or "0-N".
fn cpu_list() -> String {
    match crate::arch::percpu::online_cpus().max(1) {
        1 => String::from("0\n"),
        n => alloc::format!("0-{}\n", n - 1),
    }
}

/// Debian's kernels use huge pages where a program asks (madvise).
fn transparent_hugepage() -> String {
    String::from("always [madvise] never\n")
}

// /sys/block/loopN for the loop devices made at boot: its size in
// sectors, whether it is read-only, its I/O counts (LTP reads the sectors
// written to see that sync reached the device) and its queue's sizes.
fn loop0_size() -> String {
    loop_device::sysfs_file(0, SysBlockFile::Size)
}
fn loop0_ro() -> String {
    loop_device::sysfs_file(0, SysBlockFile::ReadOnly)
}
fn loop0_stat() -> String {
    loop_device::sysfs_file(0, SysBlockFile::Stat)
}
fn loop0_logical_block_size() -> String {
    loop_device::sysfs_file(0, SysBlockFile::LogicalBlockSize)
}
fn loop0_physical_block_size() -> String {
    loop_device::sysfs_file(0, SysBlockFile::PhysicalBlockSize)
}
fn loop0_dma_alignment() -> String {
    loop_device::sysfs_file(0, SysBlockFile::DmaAlignment)
}
fn loop1_size() -> String {
    loop_device::sysfs_file(1, SysBlockFile::Size)
}
fn loop1_ro() -> String {
    loop_device::sysfs_file(1, SysBlockFile::ReadOnly)
}
fn loop1_stat() -> String {
    loop_device::sysfs_file(1, SysBlockFile::Stat)
}
fn loop1_logical_block_size() -> String {
    loop_device::sysfs_file(1, SysBlockFile::LogicalBlockSize)
}
fn loop1_physical_block_size() -> String {
    loop_device::sysfs_file(1, SysBlockFile::PhysicalBlockSize)
}
fn loop1_dma_alignment() -> String {
    loop_device::sysfs_file(1, SysBlockFile::DmaAlignment)
}
fn loop2_size() -> String {
    loop_device::sysfs_file(2, SysBlockFile::Size)
}
fn loop2_ro() -> String {
    loop_device::sysfs_file(2, SysBlockFile::ReadOnly)
}
fn loop2_stat() -> String {
    loop_device::sysfs_file(2, SysBlockFile::Stat)
}
fn loop2_logical_block_size() -> String {
    loop_device::sysfs_file(2, SysBlockFile::LogicalBlockSize)
}
fn loop2_physical_block_size() -> String {
    loop_device::sysfs_file(2, SysBlockFile::PhysicalBlockSize)
}
fn loop2_dma_alignment() -> String {
    loop_device::sysfs_file(2, SysBlockFile::DmaAlignment)
}
fn loop3_size() -> String {
    loop_device::sysfs_file(3, SysBlockFile::Size)
}
fn loop3_ro() -> String {
    loop_device::sysfs_file(3, SysBlockFile::ReadOnly)
}
fn loop3_stat() -> String {
    loop_device::sysfs_file(3, SysBlockFile::Stat)
}
fn loop3_logical_block_size() -> String {
    loop_device::sysfs_file(3, SysBlockFile::LogicalBlockSize)
}
fn loop3_physical_block_size() -> String {
    loop_device::sysfs_file(3, SysBlockFile::PhysicalBlockSize)
}
fn loop3_dma_alignment() -> String {
    loop_device::sysfs_file(3, SysBlockFile::DmaAlignment)
}
fn loop4_size() -> String {
    loop_device::sysfs_file(4, SysBlockFile::Size)
}
fn loop4_ro() -> String {
    loop_device::sysfs_file(4, SysBlockFile::ReadOnly)
}
fn loop4_stat() -> String {
    loop_device::sysfs_file(4, SysBlockFile::Stat)
}
fn loop4_logical_block_size() -> String {
    loop_device::sysfs_file(4, SysBlockFile::LogicalBlockSize)
}
fn loop4_physical_block_size() -> String {
    loop_device::sysfs_file(4, SysBlockFile::PhysicalBlockSize)
}
fn loop4_dma_alignment() -> String {
    loop_device::sysfs_file(4, SysBlockFile::DmaAlignment)
}
fn loop5_size() -> String {
    loop_device::sysfs_file(5, SysBlockFile::Size)
}
fn loop5_ro() -> String {
    loop_device::sysfs_file(5, SysBlockFile::ReadOnly)
}
fn loop5_stat() -> String {
    loop_device::sysfs_file(5, SysBlockFile::Stat)
}
fn loop5_logical_block_size() -> String {
    loop_device::sysfs_file(5, SysBlockFile::LogicalBlockSize)
}
fn loop5_physical_block_size() -> String {
    loop_device::sysfs_file(5, SysBlockFile::PhysicalBlockSize)
}
fn loop5_dma_alignment() -> String {
    loop_device::sysfs_file(5, SysBlockFile::DmaAlignment)
}
fn loop6_size() -> String {
    loop_device::sysfs_file(6, SysBlockFile::Size)
}
fn loop6_ro() -> String {
    loop_device::sysfs_file(6, SysBlockFile::ReadOnly)
}
fn loop6_stat() -> String {
    loop_device::sysfs_file(6, SysBlockFile::Stat)
}
fn loop6_logical_block_size() -> String {
    loop_device::sysfs_file(6, SysBlockFile::LogicalBlockSize)
}
fn loop6_physical_block_size() -> String {
    loop_device::sysfs_file(6, SysBlockFile::PhysicalBlockSize)
}
fn loop6_dma_alignment() -> String {
    loop_device::sysfs_file(6, SysBlockFile::DmaAlignment)
}
fn loop7_size() -> String {
    loop_device::sysfs_file(7, SysBlockFile::Size)
}
fn loop7_ro() -> String {
    loop_device::sysfs_file(7, SysBlockFile::ReadOnly)
}
fn loop7_stat() -> String {
    loop_device::sysfs_file(7, SysBlockFile::Stat)
}
fn loop7_logical_block_size() -> String {
    loop_device::sysfs_file(7, SysBlockFile::LogicalBlockSize)
}
fn loop7_physical_block_size() -> String {
    loop_device::sysfs_file(7, SysBlockFile::PhysicalBlockSize)
}
fn loop7_dma_alignment() -> String {
    loop_device::sysfs_file(7, SysBlockFile::DmaAlignment)
}

static TREE: Tree = Tree(&[
    Entry { ino: DEVICES, parent: ROOT, name: "devices", node: Node::Dir },
    Entry { ino: SYSTEM, parent: DEVICES, name: "system", node: Node::Dir },
    Entry { ino: CPU, parent: SYSTEM, name: "cpu", node: Node::Dir },
    Entry { ino: 5, parent: CPU, name: "online", node: Node::File(cpu_list) },
    Entry { ino: 6, parent: CPU, name: "possible", node: Node::File(cpu_list) },
    Entry { ino: 7, parent: CPU, name: "present", node: Node::File(cpu_list) },
    Entry { ino: 11, parent: CPU, name: "cpu0", node: Node::Dir },
    Entry { ino: KERNEL, parent: ROOT, name: "kernel", node: Node::Dir },
    Entry { ino: MM, parent: KERNEL, name: "mm", node: Node::Dir },
    Entry { ino: THP, parent: MM, name: "transparent_hugepage", node: Node::Dir },
    Entry { ino: 12, parent: THP, name: "enabled", node: Node::File(transparent_hugepage) },
    Entry { ino: BLOCK, parent: ROOT, name: "block", node: Node::Dir },
    Entry { ino: 40, parent: BLOCK, name: "loop0", node: Node::Dir },
    Entry { ino: 41, parent: 40, name: "size", node: Node::File(loop0_size) },
    Entry { ino: 42, parent: 40, name: "ro", node: Node::File(loop0_ro) },
    Entry { ino: 43, parent: 40, name: "stat", node: Node::File(loop0_stat) },
    Entry { ino: 44, parent: 40, name: "queue", node: Node::Dir },
    Entry { ino: 45, parent: 44, name: "logical_block_size", node: Node::File(loop0_logical_block_size) },
    Entry { ino: 46, parent: 44, name: "physical_block_size", node: Node::File(loop0_physical_block_size) },
    Entry { ino: 47, parent: 44, name: "dma_alignment", node: Node::File(loop0_dma_alignment) },
    Entry { ino: 50, parent: BLOCK, name: "loop1", node: Node::Dir },
    Entry { ino: 51, parent: 50, name: "size", node: Node::File(loop1_size) },
    Entry { ino: 52, parent: 50, name: "ro", node: Node::File(loop1_ro) },
    Entry { ino: 53, parent: 50, name: "stat", node: Node::File(loop1_stat) },
    Entry { ino: 54, parent: 50, name: "queue", node: Node::Dir },
    Entry { ino: 55, parent: 54, name: "logical_block_size", node: Node::File(loop1_logical_block_size) },
    Entry { ino: 56, parent: 54, name: "physical_block_size", node: Node::File(loop1_physical_block_size) },
    Entry { ino: 57, parent: 54, name: "dma_alignment", node: Node::File(loop1_dma_alignment) },
    Entry { ino: 60, parent: BLOCK, name: "loop2", node: Node::Dir },
    Entry { ino: 61, parent: 60, name: "size", node: Node::File(loop2_size) },
    Entry { ino: 62, parent: 60, name: "ro", node: Node::File(loop2_ro) },
    Entry { ino: 63, parent: 60, name: "stat", node: Node::File(loop2_stat) },
    Entry { ino: 64, parent: 60, name: "queue", node: Node::Dir },
    Entry { ino: 65, parent: 64, name: "logical_block_size", node: Node::File(loop2_logical_block_size) },
    Entry { ino: 66, parent: 64, name: "physical_block_size", node: Node::File(loop2_physical_block_size) },
    Entry { ino: 67, parent: 64, name: "dma_alignment", node: Node::File(loop2_dma_alignment) },
    Entry { ino: 70, parent: BLOCK, name: "loop3", node: Node::Dir },
    Entry { ino: 71, parent: 70, name: "size", node: Node::File(loop3_size) },
    Entry { ino: 72, parent: 70, name: "ro", node: Node::File(loop3_ro) },
    Entry { ino: 73, parent: 70, name: "stat", node: Node::File(loop3_stat) },
    Entry { ino: 74, parent: 70, name: "queue", node: Node::Dir },
    Entry { ino: 75, parent: 74, name: "logical_block_size", node: Node::File(loop3_logical_block_size) },
    Entry { ino: 76, parent: 74, name: "physical_block_size", node: Node::File(loop3_physical_block_size) },
    Entry { ino: 77, parent: 74, name: "dma_alignment", node: Node::File(loop3_dma_alignment) },
    Entry { ino: 80, parent: BLOCK, name: "loop4", node: Node::Dir },
    Entry { ino: 81, parent: 80, name: "size", node: Node::File(loop4_size) },
    Entry { ino: 82, parent: 80, name: "ro", node: Node::File(loop4_ro) },
    Entry { ino: 83, parent: 80, name: "stat", node: Node::File(loop4_stat) },
    Entry { ino: 84, parent: 80, name: "queue", node: Node::Dir },
    Entry { ino: 85, parent: 84, name: "logical_block_size", node: Node::File(loop4_logical_block_size) },
    Entry { ino: 86, parent: 84, name: "physical_block_size", node: Node::File(loop4_physical_block_size) },
    Entry { ino: 87, parent: 84, name: "dma_alignment", node: Node::File(loop4_dma_alignment) },
    Entry { ino: 90, parent: BLOCK, name: "loop5", node: Node::Dir },
    Entry { ino: 91, parent: 90, name: "size", node: Node::File(loop5_size) },
    Entry { ino: 92, parent: 90, name: "ro", node: Node::File(loop5_ro) },
    Entry { ino: 93, parent: 90, name: "stat", node: Node::File(loop5_stat) },
    Entry { ino: 94, parent: 90, name: "queue", node: Node::Dir },
    Entry { ino: 95, parent: 94, name: "logical_block_size", node: Node::File(loop5_logical_block_size) },
    Entry { ino: 96, parent: 94, name: "physical_block_size", node: Node::File(loop5_physical_block_size) },
    Entry { ino: 97, parent: 94, name: "dma_alignment", node: Node::File(loop5_dma_alignment) },
    Entry { ino: 100, parent: BLOCK, name: "loop6", node: Node::Dir },
    Entry { ino: 101, parent: 100, name: "size", node: Node::File(loop6_size) },
    Entry { ino: 102, parent: 100, name: "ro", node: Node::File(loop6_ro) },
    Entry { ino: 103, parent: 100, name: "stat", node: Node::File(loop6_stat) },
    Entry { ino: 104, parent: 100, name: "queue", node: Node::Dir },
    Entry { ino: 105, parent: 104, name: "logical_block_size", node: Node::File(loop6_logical_block_size) },
    Entry { ino: 106, parent: 104, name: "physical_block_size", node: Node::File(loop6_physical_block_size) },
    Entry { ino: 107, parent: 104, name: "dma_alignment", node: Node::File(loop6_dma_alignment) },
    Entry { ino: 110, parent: BLOCK, name: "loop7", node: Node::Dir },
    Entry { ino: 111, parent: 110, name: "size", node: Node::File(loop7_size) },
    Entry { ino: 112, parent: 110, name: "ro", node: Node::File(loop7_ro) },
    Entry { ino: 113, parent: 110, name: "stat", node: Node::File(loop7_stat) },
    Entry { ino: 114, parent: 110, name: "queue", node: Node::Dir },
    Entry { ino: 115, parent: 114, name: "logical_block_size", node: Node::File(loop7_logical_block_size) },
    Entry { ino: 116, parent: 114, name: "physical_block_size", node: Node::File(loop7_physical_block_size) },
    Entry { ino: 117, parent: 114, name: "dma_alignment", node: Node::File(loop7_dma_alignment) },
]);

pub struct SysFs;

/// Mounts /sys (creating the directory if the initramfs lacks it).
pub fn mount(v: &Vfs) {
    super::mount_generated(v, b"sys", Box::new(SysFs));
}

impl FileSystem for SysFs {
    fn name(&self) -> &str {
        "sysfs"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        let boot = Timestamp { secs: 0, nanos: 0 };
        if TREE.is_dir(ino) {
            return Ok(generated_tree::metadata(ino, FileType::Directory, 0o755, 0, boot));
        }
        TREE.get(ino).ok_or(Error::NotFound)?;
        Ok(generated_tree::metadata(ino, FileType::Regular, 0o444, 0, boot))
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        if !TREE.is_dir(dir) {
            return Err(Error::NotDirectory);
        }
        TREE.lookup(dir, name).ok_or(Error::NotFound)
    }

    fn create(&mut self, _: Ino, _: &[u8], _: NewNode<'_>, _: NodeAttrs, _: Timestamp) -> Result<Ino, Error> {
        Err(Error::NotPermitted)
    }

    fn link(&mut self, _: Ino, _: &[u8], _: Ino, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn unlink(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn rmdir(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn rename(&mut self, _: Ino, _: &[u8], _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn readlink(&self, _: Ino) -> Result<Vec<u8>, Error> {
        Err(Error::InvalidArgument)
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        let text = TREE.render(ino)?;
        Ok(generated_tree::read_at(&text, offset, buf))
    }

    fn write(&mut self, _: Ino, _: u64, _: &[u8], _: Timestamp) -> Result<usize, Error> {
        Err(Error::PermissionDenied)
    }

    fn truncate(&mut self, _: Ino, _: u64, _: Timestamp) -> Result<(), Error> {
        Err(Error::PermissionDenied)
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        if !TREE.is_dir(dir) {
            return Err(Error::NotDirectory);
        }
        let parent = TREE.get(dir).map_or(ROOT, |e| e.parent);
        let names: Vec<(Vec<u8>, Ino, FileType)> =
            TREE.children(dir).map(|(n, i, t)| (n.as_bytes().to_vec(), i, t)).collect();
        generated_tree::emit_entries(dir, parent, &names, cookie, emit);
        Ok(())
    }

    fn set_metadata(&mut self, _: Ino, _: MetadataChange, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn statfs(&self) -> FsStats {
        FsStats::default()
    }
}
