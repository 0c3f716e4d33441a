//! The disk the storage benchmarks (bench/storage.c) run on: one ext2
//! image made with `mke2fs` per `cargo xtask bench` run, a fresh copy of it
//! attached to every benchmark boot of either kernel (the benchmarks write
//! to it, so no boot inherits another's file system), and `e2fsck -fn` on
//! the copy after the boot: a figure from a kernel that left the file
//! system damaged is no figure.

use super::Os;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Room for the 16 MiB sequential file, its warm-up and the directories.
const SIZE: &str = "64M";
/// 4 KiB blocks: the page size, so Linux's page cache holds one block per
/// page; what mke2fs itself picks for any disk over 512 MiB, i.e. what
/// real systems run (it picks 1 KiB only for small images like this one);
/// and a 16 MiB file then needs 4096 blocks instead of 16384 and far less
/// indirect-block walking, so the figures are about moving data.
const BLOCK_SIZE: &str = "4096";
/// The file storage.c checks, so it never measures or changes another
/// file system; the text must match its MARK_TEXT.
const MARK: (&str, &str) = ("BENCH-DISK", "helctic bench disk\n");

pub struct Disk {
    pristine: PathBuf,
}

fn dir() -> PathBuf {
    crate::root().join("target/bench/disk")
}

/// An e2fsprogs tool (found as the storage tests find it), installing the
/// package when it is missing.
fn e2fs_tool(name: &str) -> Result<PathBuf, String> {
    if let Ok(p) = crate::storage_tests::tool(name) {
        return Ok(p);
    }
    crate::toolchain::ensure_packages(&["e2fsprogs"], "making the storage benchmarks' disk")?;
    crate::storage_tests::tool(name)
}

/// Makes the image from a tree holding only the mark.
pub fn make() -> Result<Disk, String> {
    let dir = dir();
    let tree = dir.join("tree");
    let _ = std::fs::remove_dir_all(&tree);
    std::fs::create_dir_all(&tree).map_err(|e| format!("{}: {e}", tree.display()))?;
    std::fs::write(tree.join(MARK.0), MARK.1).map_err(|e| e.to_string())?;
    let pristine = dir.join("pristine.img");
    let _ = std::fs::remove_file(&pristine);
    let out = Command::new(e2fs_tool("mke2fs")?)
        .args(["-q", "-F", "-t", "ext2", "-b", BLOCK_SIZE, "-d"])
        .arg(&tree)
        .arg(&pristine)
        .arg(SIZE)
        .output()
        .map_err(|e| format!("cannot run mke2fs: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "mke2fs failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(Disk { pristine })
}

impl Disk {
    /// A fresh copy of the image for one boot of `os`.
    pub fn fresh_copy(&self, os: Os) -> Result<PathBuf, String> {
        let copy = dir().join(format!("{}.img", os.name().to_lowercase()));
        std::fs::copy(&self.pristine, &copy).map_err(|e| format!("copying {}: {e}", self.pristine.display()))?;
        Ok(copy)
    }
}

/// `e2fsck -fn`: Err with its report when the file system is not clean.
pub fn check(img: &Path) -> Result<(), String> {
    let out = Command::new(e2fs_tool("e2fsck")?)
        .arg("-fn")
        .arg(img)
        .output()
        .map_err(|e| format!("cannot run e2fsck: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(6).collect();
    Err(format!(
        "e2fsck -fn found the disk damaged after the boot (exit {}): {}",
        out.status.code().unwrap_or(-1),
        lines.join(" / ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// storage.c spells the mark, and vda.h the module list's path, itself.
    #[test]
    fn storage_c_agrees() {
        let src = std::fs::read_to_string(crate::root().join("bench/storage.c")).unwrap();
        assert!(src.contains(&format!("#define MARK_FILE DIR_MNT \"/{}\"", MARK.0)), "MARK_FILE");
        assert!(src.contains(&format!("#define MARK_TEXT {:?}", MARK.1)), "MARK_TEXT");
        let vda = std::fs::read_to_string(crate::root().join("bench/vda.h")).unwrap();
        assert!(vda.contains(&format!("\"/lib/modules/{}\"", super::super::modules::LOAD_LIST)), "load list");
    }
}
