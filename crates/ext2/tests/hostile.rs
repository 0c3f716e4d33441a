//! Hostile images: valid images with metadata flipped, overwritten or
//! made inconsistent on purpose. Mounting, walking the whole tree and
//! changing it must return `Ok` or an error, never panic, and finish
//! (each case runs under a deadline). Targeted corruptions must give
//! `Corrupted` specifically.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::OnceLock;
use std::time::Duration;

use common::{debugfs, debugfs_bytes, now, MemDevice, TempDir};
use ext2::group::GroupTable;
use ext2::layout::Layout;
use ext2::superblock::Superblock;
use ext2::{BlockDevice, Ext2, IoError, MountOptions};
use proptest::prelude::*;
use vfs::{Error, FileSystem, FileType, Ino, MetadataChange, NewNode, NodeAttrs};

/// A valid image and the blocks worth corrupting in it.
struct Base {
    image: Vec<u8>,
    block_size: usize,
    /// Superblock, descriptors, bitmaps, inode tables, directory,
    /// symlink and indirect blocks.
    metadata_blocks: Vec<u64>,
    /// Directory blocks alone.
    dir_blocks: Vec<u64>,
}

fn numbers_after(text: &str, marker: &str) -> Vec<u64> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let digits: String = text[at + marker.len()..].chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// Every block number in `debugfs blocks` output.
fn blocks_of(image: &Path, path: &str) -> Vec<u64> {
    debugfs(image, &format!("blocks {path}")).split_whitespace().filter_map(|w| w.parse().ok()).collect()
}

fn build_base(block_size: u32) -> Base {
    let tmp = TempDir::new(&format!("hostile-{block_size}"));
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("a/b/c")).unwrap();
    std::fs::create_dir_all(src.join("many")).unwrap();
    std::fs::write(src.join("small"), b"small").unwrap();
    std::fs::write(src.join("a/b/c/deep"), vec![7u8; 5000]).unwrap();
    std::fs::write(src.join("large"), vec![3u8; 300 * 1024]).unwrap();
    let far = std::fs::File::create(src.join("far")).unwrap();
    far.set_len(70 << 20).unwrap();
    drop(far);
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut far = std::fs::OpenOptions::new().write(true).open(src.join("far")).unwrap();
        far.seek(SeekFrom::Start((70 << 20) - 100)).unwrap();
        far.write_all(b"the end").unwrap();
    }
    for i in 0..80 {
        std::fs::write(src.join(format!("many/entry-{i:03}-with-a-long-name")), b"x").unwrap();
    }
    std::os::unix::fs::symlink("small", src.join("fast")).unwrap();
    std::os::unix::fs::symlink("y".repeat(150), src.join("slow")).unwrap();
    std::fs::hard_link(src.join("small"), src.join("a/hard")).unwrap();
    let image = tmp.path().join("img");
    common::mkfs(&image, block_size, 2048, Some(&src), &["-N", "256"]);

    let bytes = std::fs::read(&image).unwrap();
    let sb = Superblock::parse(&bytes[1024..2048]).unwrap();
    let layout = Layout::new(&sb, bytes.len() as u64).unwrap();
    let bs = layout.block_size as usize;
    let gdt_start = (layout.first_data_block as usize + 1) * bs;
    let gdt = bytes[gdt_start..gdt_start + layout.gdt_blocks as usize * bs].to_vec();
    let groups = GroupTable::parse(gdt, &layout).unwrap();
    let mut metadata = vec![u64::from(layout.first_data_block), u64::from(layout.first_data_block) + 1];
    for g in &groups.groups {
        metadata.push(g.block_bitmap.into());
        metadata.push(g.inode_bitmap.into());
        // The start of the inode table, where the interesting inodes are.
        for i in 0..4.min(layout.inode_table_blocks) {
            metadata.push(u64::from(g.inode_table + i));
        }
    }
    let mut dir_blocks = Vec::new();
    for dir in ["/", "/a", "/a/b", "/a/b/c", "/many"] {
        dir_blocks.extend(blocks_of(&image, dir));
    }
    metadata.extend(&dir_blocks);
    metadata.extend(blocks_of(&image, "/slow"));
    for file in ["/large", "/far"] {
        let stat = debugfs(&image, &format!("stat {file}"));
        for marker in ["(IND):", "(DIND):", "(TIND):"] {
            metadata.extend(numbers_after(&stat, marker));
        }
    }
    Base { image: bytes, block_size: bs, metadata_blocks: metadata, dir_blocks }
}

fn base(block_size: u32) -> &'static Base {
    static ONE_K: OnceLock<Base> = OnceLock::new();
    static FOUR_K: OnceLock<Base> = OnceLock::new();
    match block_size {
        1024 => ONE_K.get_or_init(|| build_base(1024)),
        _ => FOUR_K.get_or_init(|| build_base(4096)),
    }
}

/// Runs `f` on another thread and fails if it does not finish in time.
fn with_deadline<F: FnOnce() + Send + 'static>(f: F) {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(()) => handle.join().unwrap(),
        Err(RecvTimeoutError::Disconnected) => {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(RecvTimeoutError::Timeout) => panic!("operation on a hostile image did not finish"),
    }
}

/// Inodes seen by a walk (with their type, if known) and the names found.
type Walked = (Vec<(Ino, Option<FileType>)>, Vec<(Ino, Vec<u8>)>);

/// Visits what can be reached from the root (each inode once, at most
/// `budget` of them) with every read-side call; returns the inodes seen
/// and the (dir, name) pairs found.
fn walk(fs: &dyn FileSystem, budget: usize) -> Walked {
    let mut seen = BTreeSet::new();
    let mut nodes = Vec::new();
    let mut names = Vec::new();
    let mut queue = VecDeque::from([fs.root()]);
    let _ = fs.statfs();
    let _ = fs.check_consistency();
    while let Some(ino) = queue.pop_front() {
        if !seen.insert(ino) || seen.len() > budget {
            continue;
        }
        let meta = fs.metadata(ino);
        let kind = meta.as_ref().ok().map(|m| m.file_type);
        nodes.push((ino, kind));
        let mut buf = vec![0; 8192];
        let _ = fs.read(ino, 0, &mut buf);
        if let Ok(meta) = &meta {
            let _ = fs.read(ino, meta.size / 2, &mut buf);
            let _ = fs.read(ino, meta.size.saturating_sub(10), &mut buf);
        }
        let _ = fs.readlink(ino);
        let _ = fs.lookup(ino, b"..");
        let _ = fs.lookup(ino, b"nonexistent");
        let mut entries = Vec::new();
        let mut count = 0;
        let _ = fs.read_dir(ino, 0, &mut |e| {
            count += 1;
            entries.push((e.name.to_vec(), e.ino, e.next_cookie));
            count < 1000
        });
        // Resuming from every cookie must work too.
        for (_, _, cookie) in entries.iter().take(5) {
            let _ = fs.read_dir(ino, *cookie, &mut |_| false);
        }
        for (name, child, _) in entries {
            if name == b"." || name == b".." {
                continue;
            }
            let _ = fs.lookup(ino, &name);
            names.push((ino, name));
            queue.push_back(child);
        }
    }
    (nodes, names)
}

/// Tries every kind of change on what the walk found.
fn mutate(fs: &mut Ext2<MemDevice>, nodes: &[(Ino, Option<FileType>)], names: &[(Ino, Vec<u8>)]) {
    let t = now();
    let attrs = NodeAttrs::new(0o644, 1, 1);
    let dirs: Vec<Ino> = nodes.iter().filter(|n| n.1 == Some(FileType::Directory)).map(|n| n.0).take(4).collect();
    let files: Vec<Ino> = nodes.iter().filter(|n| n.1 == Some(FileType::Regular)).map(|n| n.0).take(4).collect();
    for &dir in &dirs {
        if let Ok(f) = fs.create(dir, b"new-file", NewNode::File, attrs, t) {
            let _ = fs.write(f, 0, &[5; 20_000], t);
            let _ = fs.write(f, 300_000, b"far", t);
        }
        let _ = fs.create(dir, b"new-dir", NewNode::Directory, attrs, t);
        let _ = fs.create(dir, b"new-link", NewNode::Symlink(&[b'z'; 100]), attrs, t);
        for &file in &files {
            let _ = fs.link(dir, b"new-hard", file, t);
        }
    }
    for &file in &files {
        let _ = fs.write(file, 100, b"overwrite", t);
        let _ = fs.truncate(file, 3, t);
        let _ = fs.truncate(file, 100_000, t);
        let _ = fs.set_metadata(file, MetadataChange { mode: Some(0o600), ..Default::default() }, t);
        let _ = fs.retain(file);
    }
    for (i, (dir, name)) in names.iter().enumerate().take(40) {
        let target = dirs.get(i % dirs.len().max(1)).copied().unwrap_or(2);
        match i % 4 {
            0 => drop(fs.rename(*dir, name, target, b"renamed", t)),
            1 => drop(fs.unlink(*dir, name, t)),
            2 => drop(fs.rmdir(*dir, name, t)),
            _ => drop(fs.rename(*dir, name, *dir, b"moved-here", t)),
        }
    }
    for &file in &files {
        let _ = fs.release(file);
    }
    let _ = fs.sync(t);
}

/// Mounts, walks, changes, unmounts, and walks the result again.
fn exercise(image: Vec<u8>) {
    with_deadline(move || {
        let Ok(mut fs) = Ext2::mount(MemDevice::new(image), MountOptions { read_only: false }, now()) else {
            return;
        };
        let (nodes, names) = walk(&fs, 400);
        mutate(&mut fs, &nodes, &names);
        walk(&fs, 400);
        if let Ok(dev) = fs.unmount(now()) {
            if let Ok(fs) = Ext2::mount(dev, MountOptions { read_only: true }, now()) {
                walk(&fs, 400);
            }
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn flipped_metadata_bytes_never_panic(
        big_blocks in any::<bool>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>()), 1..24),
    ) {
        let base = base(if big_blocks { 4096 } else { 1024 });
        let mut image = base.image.clone();
        for (block, offset, value) in flips {
            let block = *block.get(&base.metadata_blocks) as usize;
            let at = block * base.block_size + offset.index(base.block_size);
            image[at] = value;
        }
        exercise(image);
    }

    #[test]
    fn random_metadata_blocks_never_panic(
        block in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        partial in any::<bool>(),
    ) {
        let base = base(1024);
        let mut image = base.image.clone();
        let block = *block.get(&base.metadata_blocks) as usize;
        let mut state = seed | 1;
        let len = if partial { 64 } else { base.block_size };
        for byte in &mut image[block * base.block_size..][..len] {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        exercise(image);
    }

    #[test]
    fn random_directory_records_never_panic(
        block in any::<prop::sample::Index>(),
        offset in 0usize..1024,
        rec_len in any::<u16>(),
        name_len in any::<u8>(),
        ino in prop_oneof![Just(0u32), Just(2), Just(7), 1u32..300, any::<u32>()],
    ) {
        let base = base(1024);
        let mut image = base.image.clone();
        let block = *block.get(&base.dir_blocks) as usize;
        let at = block * base.block_size + (offset & !3).min(base.block_size - 8);
        image[at..at + 4].copy_from_slice(&ino.to_le_bytes());
        image[at + 4..at + 6].copy_from_slice(&rec_len.to_le_bytes());
        image[at + 6] = name_len;
        exercise(image);
    }

    #[test]
    fn truncated_devices_fail_cleanly(keep in 0usize..2048 * 1024) {
        let base = base(1024);
        let keep = keep & !511;
        let image = base.image[..keep].to_vec();
        let result = Ext2::mount(MemDevice::new(image), MountOptions { read_only: false }, now());
        prop_assert!(matches!(result, Err(Error::Corrupted)), "{:?}", result.err());
    }
}

/// A device that fails every request after a number of them.
struct FailingDevice {
    inner: MemDevice,
    left: u32,
}

impl FailingDevice {
    fn tick(&mut self) -> Result<(), IoError> {
        if self.left == 0 {
            return Err(IoError);
        }
        self.left -= 1;
        Ok(())
    }
}

impl BlockDevice for FailingDevice {
    fn size(&self) -> u64 {
        self.inner.size()
    }
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
        self.tick()?;
        self.inner.read(offset, buf)
    }
    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), IoError> {
        self.tick()?;
        self.inner.write(offset, data)
    }
    fn flush(&mut self) -> Result<(), IoError> {
        self.tick()?;
        self.inner.flush()
    }
}

#[test]
fn device_errors_are_io_errors() {
    let base = base(1024);
    let mut saw_io = false;
    for left in (0..200).step_by(7) {
        let dev = FailingDevice { inner: MemDevice::new(base.image.clone()), left };
        let fs = match Ext2::mount(dev, MountOptions { read_only: false }, now()) {
            Ok(fs) => fs,
            Err(e) => {
                assert_eq!(e, Error::Io);
                saw_io = true;
                continue;
            }
        };
        let (nodes, names) = walk(&fs, 400);
        let root = fs.root();
        let mut buf = [0; 100];
        if let Ok(large) = fs.lookup(root, b"large") {
            if let Err(e) = fs.read(large, 200_000, &mut buf) {
                assert_eq!(e, Error::Io);
                saw_io = true;
            }
        }
        let mut dev_fs = fs;
        let _ = (nodes.len(), names.len());
        if let Err(e) = dev_fs.sync(now()) {
            assert_eq!(e, Error::Io);
        }
    }
    assert!(saw_io);
}

fn image_with(base: &Base, edit: impl FnOnce(&Path)) -> Vec<u8> {
    let tmp = TempDir::new("targeted");
    let path = tmp.path().join("img");
    std::fs::write(&path, &base.image).unwrap();
    edit(&path);
    std::fs::read(&path).unwrap()
}

fn mount_bytes(image: Vec<u8>) -> Ext2<MemDevice> {
    Ext2::mount(MemDevice::new(image), MountOptions { read_only: false }, now()).unwrap()
}

fn inode_number(image: &Path, path: &str) -> u32 {
    let stat = debugfs(image, &format!("stat {path}"));
    numbers_after(&stat, "Inode: ")[0] as u32
}

#[test]
fn zero_rec_len_in_the_root_is_corrupted() {
    let base = base(1024);
    let mut image = base.image.clone();
    let root_block = base.dir_blocks[0] as usize;
    // The `..` record (at 12, after `.`) gets length 0.
    image[root_block * 1024 + 16..][..2].copy_from_slice(&0u16.to_le_bytes());
    let mut fs = mount_bytes(image);
    assert_eq!(fs.lookup(2, b"small"), Err(Error::Corrupted));
    assert_eq!(fs.lookup(2, b".."), Err(Error::Corrupted));
    assert_eq!(fs.read_dir(2, 0, &mut |_| true), Err(Error::Corrupted));
    assert_eq!(fs.create(2, b"x", NewNode::File, NodeAttrs::new(0o644, 0, 0), now()), Err(Error::Corrupted));
    assert_eq!(fs.unlink(2, b"small", now()), Err(Error::Corrupted));
}

#[test]
fn dotdot_loops_are_corrupted() {
    let base = base(1024);
    let mut b_ino = 0;
    let image = image_with(base, |path| {
        b_ino = inode_number(path, "/a/b");
        let a_block = blocks_of(path, "/a")[0];
        // /a's `..` names /a/b: a cycle that never reaches the root.
        let mut bytes = std::fs::read(path).unwrap();
        let at = a_block as usize * 1024 + 12;
        bytes[at..at + 4].copy_from_slice(&b_ino.to_le_bytes());
        std::fs::write(path, bytes).unwrap();
    });
    with_deadline(move || {
        let mut fs = mount_bytes(image);
        let many = fs.lookup(2, b"many").unwrap();
        let b = u64::from(b_ino);
        assert_eq!(fs.rename(2, b"many", b, b"many", now()), Err(Error::Corrupted));
        assert_eq!(fs.lookup(many, b".."), Ok(2));
    });
}

#[test]
fn directory_entries_that_loop_terminate() {
    let base = base(1024);
    let image = image_with(base, |path| {
        // /a/b/c/up names /a: the tree is now a graph with a cycle.
        debugfs_bytes(path, "link /a /a/b/c/up", true);
        debugfs_bytes(path, "link / /a/root", true);
    });
    with_deadline(move || {
        let mut fs = mount_bytes(image);
        let (nodes, names) = walk(&fs, 1000);
        assert!(nodes.len() > 5);
        let a = fs.lookup(2, b"a").unwrap();
        let c = common::resolve(&fs, "a/b/c").unwrap();
        assert_eq!(fs.rmdir(c, b"up", now()), Err(Error::NotEmpty));
        assert_eq!(fs.rename(2, b"a", c, b"again", now()), Err(Error::InvalidArgument));
        assert_eq!(fs.rmdir(a, b"root", now()), Err(Error::NotEmpty));
        mutate(&mut fs, &nodes, &names);
    });
}

#[test]
fn lying_inodes_are_caught() {
    let base = base(1024);
    let image = image_with(base, |path| {
        debugfs_bytes(path, "sif /small size 0x10000000000", true);
        debugfs_bytes(path, "sif /a/b/c/deep block[0] 0xfffffff0", true);
        debugfs_bytes(path, "sif /large blocks 7", true);
        debugfs_bytes(path, "sif /slow size 5000", true);
        debugfs_bytes(path, "sif /many size 0x7ffff000", true);
        debugfs_bytes(path, "sif /fast mode 0", true);
    });
    with_deadline(move || {
        let mut fs = mount_bytes(image);
        let small = fs.lookup(2, b"small").unwrap();
        let mut buf = [1u8; 16];
        assert_eq!(fs.read(small, 1 << 33, &mut buf), Ok(16));
        assert_eq!(buf, [0; 16]);
        // Past what the block tree can address the size is a lie.
        assert_eq!(fs.read(small, 1 << 39, &mut buf), Err(Error::Corrupted));
        let deep = common::resolve(&fs, "a/b/c/deep").unwrap();
        assert_eq!(fs.read(deep, 0, &mut buf), Err(Error::Corrupted));
        let slow = fs.lookup(2, b"slow").unwrap();
        assert_eq!(fs.readlink(slow), Err(Error::Corrupted));
        let many = fs.lookup(2, b"many").unwrap();
        assert_eq!(fs.lookup(many, b"entry-001-with-a-long-name"), Err(Error::Corrupted));
        let fast = fs.lookup(2, b"fast").unwrap();
        assert_eq!(fs.metadata(fast).map(|m| m.size), Err(Error::Corrupted));
        fs.truncate(small, 0, now()).unwrap();
        fs.unlink(2, b"large", now()).unwrap();
        let _ = fs.unlink(2, b"small", now());
        fs.unmount(now()).unwrap();
    });
}

#[test]
fn unsupported_features_refuse_or_force_read_only() {
    let base = base(1024);
    let mut image = base.image.clone();
    // INCOMPAT_EXTENTS (0x40).
    image[1024 + 96] |= 0x40;
    let result = Ext2::mount(MemDevice::new(image), MountOptions { read_only: false }, now());
    assert!(matches!(result, Err(Error::NotSupported)));
    let mut image = base.image.clone();
    // RO_COMPAT_HUGE_FILE (0x8) is unknown here: read-only.
    image[1024 + 100] |= 0x08;
    let mut fs = mount_bytes(image);
    assert!(fs.is_read_only());
    assert_eq!(fs.unlink(2, b"small", now()), Err(Error::ReadOnly));
    assert!(fs.lookup(2, b"small").is_ok());
    let mut image = base.image.clone();
    image[1024 + 56] = 0;
    let result = Ext2::mount(MemDevice::new(image), MountOptions { read_only: false }, now());
    assert!(matches!(result, Err(Error::Corrupted)));
}

/// A read that reaches a lying block part way returns what it read before
/// it, as read(2) does; the next read, starting at the lie, fails.
#[test]
fn a_read_stops_short_at_a_bad_block() {
    let image = image_with(base(1024), |path| {
        debugfs_bytes(path, "sif /large block[IND] 0xfffffff0", true);
    });
    with_deadline(move || {
        let fs = mount_bytes(image);
        let large = fs.lookup(2, b"large").unwrap();
        let mut buf = vec![0u8; 64 * 1024];
        // 12 direct blocks of 1 KiB, then the indirect block is past the disk.
        assert_eq!(fs.read(large, 0, &mut buf), Ok(12 * 1024));
        assert!(buf[..12 * 1024].iter().all(|&b| b == 3));
        assert_eq!(fs.read(large, 12 * 1024, &mut buf), Err(Error::Corrupted));
    });
}
