//! /sys: the few sysfs files glibc, python and Go read to learn the
//! machine's CPUs and memory policy. A fixed tree rendered on read.

use super::generated_tree::{self, Entry, Node, Tree, ROOT};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use vfs::{DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp, Vfs};

const DEVICES: Ino = 2;
const SYSTEM: Ino = 3;
const CPU: Ino = 4;
const KERNEL: Ino = 8;
const MM: Ino = 9;
const THP: Ino = 10;

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
]);

pub struct SysFs;

/// Mounts /sys (creating the directory if the initramfs lacks it).
pub fn mount(v: &mut Vfs) {
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
        let names: Vec<(Vec<u8>, Ino, FileType)> = TREE.children(dir).map(|(n, i, t)| (n.as_bytes().to_vec(), i, t)).collect();
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
