//! Shared by the integration tests: a memory-backed device, temporary
//! directories, and the host's e2fsprogs (mke2fs, e2fsck, debugfs), which
//! must be installed: a missing tool fails the test, it is never skipped.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use ext2::{BlockDevice, Ext2, IoError, MountOptions};
use vfs::{FileSystem, FileType, Ino, Timestamp};

/// A device in memory; offsets and lengths must be multiples of 512.
#[derive(Clone, Debug)]
pub struct MemDevice {
    pub data: Vec<u8>,
    pub flushes: u32,
    /// Device requests made, each of which is an IPC round trip to the
    /// driver in Helctic.
    pub reads: u32,
    pub writes: u32,
}

impl MemDevice {
    pub fn new(data: Vec<u8>) -> Self {
        MemDevice { data, flushes: 0, reads: 0, writes: 0 }
    }

    pub fn load(path: &Path) -> Self {
        MemDevice::new(std::fs::read(path).expect("read image"))
    }

    pub fn save(&self, path: &Path) {
        std::fs::write(path, &self.data).expect("write image");
    }

    fn range(&self, offset: u64, len: usize) -> Result<std::ops::Range<usize>, IoError> {
        assert!(offset.is_multiple_of(512) && len.is_multiple_of(512), "unaligned I/O {offset} {len}");
        let start = usize::try_from(offset).map_err(|_| IoError)?;
        let end = start.checked_add(len).ok_or(IoError)?;
        if end > self.data.len() {
            return Err(IoError);
        }
        Ok(start..end)
    }
}

impl BlockDevice for MemDevice {
    fn size(&self) -> u64 {
        self.data.len() as u64
    }

    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
        let range = self.range(offset, buf.len())?;
        self.reads += 1;
        buf.copy_from_slice(&self.data[range]);
        Ok(())
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), IoError> {
        let range = self.range(offset, data.len())?;
        self.writes += 1;
        self.data[range].copy_from_slice(data);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), IoError> {
        self.flushes += 1;
        Ok(())
    }
}

/// A directory under the system's temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("ext2-test-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The path of an e2fsprogs tool; panics with advice if it is missing.
pub fn tool(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return path;
        }
    }
    panic!("{name} not found: these tests need e2fsprogs (mke2fs, e2fsck, debugfs) installed");
}

/// Makes an ext2 image of `size_kib` KiB with `block_size` blocks,
/// populated from `src` if given. `extra` goes to mke2fs as is.
pub fn mkfs(image: &Path, block_size: u32, size_kib: u32, src: Option<&Path>, extra: &[&str]) {
    let mut cmd = Command::new(tool("mke2fs"));
    cmd.args(["-q", "-F", "-t", "ext2", "-b", &block_size.to_string()]);
    cmd.args(extra);
    if let Some(src) = src {
        cmd.arg("-d").arg(src);
    }
    cmd.arg(image).arg(format!("{size_kib}k"));
    let out = cmd.output().expect("run mke2fs");
    assert!(
        out.status.success(),
        "mke2fs failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `e2fsck -fn` and panics with its output unless the image is clean.
pub fn assert_fsck_clean(image: &Path) {
    let out = Command::new(tool("e2fsck")).arg("-fn").arg(image).output().expect("run e2fsck");
    assert!(
        out.status.success(),
        "e2fsck -fn {} exited {:?}:\n{}{}",
        image.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs one debugfs request and returns its output.
pub fn debugfs(image: &Path, request: &str) -> String {
    String::from_utf8_lossy(&debugfs_bytes(image, request, false)).into_owned()
}

/// Runs one debugfs request (`-w`: opened for writing) and returns its
/// raw output.
pub fn debugfs_bytes(image: &Path, request: &str, writable: bool) -> Vec<u8> {
    let mut cmd = Command::new(tool("debugfs"));
    if writable {
        cmd.arg("-w");
    }
    let out = cmd.arg("-R").arg(request).arg(image).output().expect("run debugfs");
    assert!(out.status.success(), "debugfs {request} failed");
    out.stdout
}

/// Whether the tests run as root (chown and mknod need it).
pub fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("run id");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// The real time: e2fsck refuses superblock times in the future.
pub fn now() -> Timestamp {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    Timestamp::new(d.as_secs() as i64, d.subsec_nanos())
}

pub fn mount(image: &Path) -> Ext2<MemDevice> {
    Ext2::mount(MemDevice::load(image), MountOptions { read_only: false }, now()).expect("mount")
}

pub fn unmount_to(fs: Ext2<MemDevice>, image: &Path) {
    fs.unmount(now()).expect("unmount").save(image);
}

/// The inode `path` (slash-separated, from the root) names.
pub fn resolve(fs: &dyn FileSystem, path: &str) -> Result<Ino, vfs::Error> {
    let mut ino = fs.root();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        ino = fs.lookup(ino, part.as_bytes())?;
    }
    Ok(ino)
}

pub fn read_all(fs: &dyn FileSystem, ino: Ino) -> Vec<u8> {
    let len = fs.metadata(ino).unwrap().size as usize;
    let mut buf = vec![0; len];
    let mut done = 0;
    while done < len {
        let n = fs.read(ino, done as u64, &mut buf[done..]).unwrap();
        assert!(n > 0, "short read");
        done += n;
    }
    buf
}

/// Every entry of a directory but `.` and `..`: (name, ino, type).
pub fn list(fs: &dyn FileSystem, dir: Ino) -> Vec<(String, Ino, FileType)> {
    let mut out = Vec::new();
    fs.read_dir(dir, 0, &mut |e| {
        if e.name != b"." && e.name != b".." {
            out.push((String::from_utf8_lossy(e.name).into_owned(), e.ino, e.file_type));
        }
        true
    })
    .unwrap();
    out.sort();
    out
}
