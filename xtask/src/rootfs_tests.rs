//! The `rootfs` test group: the Debian root file system, seen from the
//! host. The image builds (or is up to date), is a clean ext2 file system
//! that holds Debian's shell, Python, libc and dynamic loader, and the
//! unpacked tree runs them natively. Booting it in Helctic is the
//! `debian` group's (xtask/src/debian_tests.rs).

use crate::storage_tests::{debugfs, run, tool};
use std::collections::VecDeque;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Files a dynamically linked Debian program needs, as Debian's programs
/// name them (the loader path is the one in every x86_64 ELF's PT_INTERP).
const REQUIRED: &[&str] =
    &["/usr/bin/bash", "/usr/bin/python3.11", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"];

/// Symlinks followed before giving up (Linux's own limit).
const MAX_HOPS: usize = 40;

const NATIVE_TIMEOUT: Duration = Duration::from_secs(120);

pub fn run_all() -> Vec<(String, Result<String, String>)> {
    let image = image();
    let smoke = match &image {
        Ok(_) => native_smoke(),
        Err(_) => Err("  no image to run from (see rootfs::image)".into()),
    };
    vec![("rootfs::image".into(), image), ("rootfs::native-smoke".into(), smoke)]
}

fn image() -> Result<String, String> {
    let built = crate::rootfs::ensure(false).map_err(|e| format!("  {e}"))?;
    let how = match built.build_time {
        Some(t) => format!("built in {:.0} s", t.as_secs_f64()),
        None => "up to date".into(),
    };
    let (code, out) = run(Command::new(tool("e2fsck")?).arg("-fn").arg(&built.image))?;
    if code != 0 {
        return Err(format!("  e2fsck -fn {} found problems (exit {code}):\n{out}", built.image.display()));
    }
    let mut found = Vec::new();
    for path in REQUIRED {
        let (chain, kind) = resolve(&built.image, path)?;
        if kind != "regular" {
            return Err(format!("  {path} resolves to {} ({kind}), not a regular file", chain.join(" -> ")));
        }
        if chain.len() > 1 {
            found.push(chain.join(" -> "));
        }
    }
    for (path, want) in [("/etc/hostname", "helctic\n"), ("/etc/fstab", "/dev/vda / ext2 defaults 0 1\n")] {
        let got = debugfs(&built.image, &format!("cat {path}"))?;
        if got != want {
            return Err(format!("  {path} in the image holds {got:?}, expected {want:?}"));
        }
    }
    working_copy_is_sparse(&built.image)?;
    let listed = std::fs::read_to_string(crate::rootfs::dir().join("packages.txt"))
        .map_err(|e| format!("  packages.txt: {e}"))?;
    let names: Vec<&str> = listed.lines().filter_map(|l| l.split('\t').next()).collect();
    if let Some(missing) = crate::rootfs::PACKAGES.iter().find(|p| !names.contains(p)) {
        return Err(format!("  packages.txt does not list {missing}, which the recipe installs"));
    }
    Ok(format!(
        "{how}; {}; e2fsck clean; {} packages; {}",
        crate::rootfs::describe_image(&built.image)?,
        names.len(),
        found.join("; ")
    ))
}

/// A working copy has the image's size and takes no more room on this
/// disk than the image does (`cp --sparse=always` kept the holes).
fn working_copy_is_sparse(image: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let copy = crate::rootfs::working_copy("rootfs-test")?;
    let (a, b) = (image.metadata().map_err(|e| e.to_string())?, copy.metadata().map_err(|e| e.to_string())?);
    let _ = std::fs::remove_file(&copy);
    if a.len() != b.len() || b.blocks() > a.blocks() + 2048 {
        return Err(format!(
            "  working copy: {} bytes in {} blocks, the image {} bytes in {} blocks",
            b.len(),
            b.blocks(),
            a.len(),
            a.blocks()
        ));
    }
    Ok(())
}

/// The type debugfs's `stat` gives an inode ("regular", "directory",
/// "symlink", ...).
fn inode_type(stat: &str) -> Option<&str> {
    stat.split("Type: ").nth(1)?.split_whitespace().next()
}

/// A symlink's target, from `stat` (short links live in the inode) or
/// from its data block (`cat`).
fn link_target(image: &Path, path: &str, stat: &str) -> Result<String, String> {
    if let Some(rest) = stat.split("Fast link dest: \"").nth(1) {
        if let Some(end) = rest.find("\"\n") {
            return Ok(rest[..end].to_string());
        }
    }
    Ok(debugfs(image, &format!("cat {path}"))?.trim_end_matches('\0').to_string())
}

fn components(path: &str) -> impl Iterator<Item = String> + '_ {
    path.split('/').filter(|c| !c.is_empty() && *c != ".").map(str::to_string)
}

/// Looks `path` up in the image component by component, following every
/// symlink as the kernel would. Returns the chain of names it went through
/// (the path, then each link's resolution) and the final inode's type.
fn resolve(image: &Path, path: &str) -> Result<(Vec<String>, String), String> {
    let mut chain = vec![path.to_string()];
    let mut left: VecDeque<String> = components(path).collect();
    let mut done: Vec<String> = Vec::new();
    let mut hops = 0;
    let mut kind = "directory".to_string();
    while let Some(name) = left.pop_front() {
        if name == ".." {
            done.pop();
            continue;
        }
        let here = format!("/{}", done.iter().chain(std::iter::once(&name)).cloned().collect::<Vec<_>>().join("/"));
        let stat = debugfs(image, &format!("stat {here}"))
            .map_err(|e| format!("  {path}: {here} is not in the image: {e}"))?;
        kind = inode_type(&stat).ok_or_else(|| format!("  debugfs stat {here}: no type in\n{stat}"))?.to_string();
        if kind != "symlink" {
            done.push(name);
            continue;
        }
        hops += 1;
        if hops > MAX_HOPS {
            return Err(format!("  {path}: more than {MAX_HOPS} symlinks: {}", chain.join(" -> ")));
        }
        let target = link_target(image, &here, &stat)?;
        if target.starts_with('/') {
            done.clear();
        }
        for c in components(&target).collect::<Vec<_>>().into_iter().rev() {
            left.push_front(c);
        }
        let rest: Vec<String> = left.iter().cloned().collect();
        chain.push(format!("/{}", done.iter().chain(rest.iter()).cloned().collect::<Vec<_>>().join("/")));
    }
    Ok((chain, kind))
}

/// What the smoke script prints, line by line, and what must be there.
const SMOKE: &str = r#"echo "version $(bash --version | head -n 1)"
echo "bash $(bash -c 'echo $BASH_VERSION')"
echo "python $(python3 -c 'import sqlite3, json; print(1)')"
echo "hostname $(cat /etc/hostname)"
echo "env $HOME $TERM $LANG"
ls -l /home
"#;

fn native_smoke() -> Result<String, String> {
    let out = crate::rootfs::run_native(SMOKE, NATIVE_TIMEOUT)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let shown =
        || format!("  exit {}\n  stdout:\n{stdout}\n  stderr:\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("  the script failed in the tree\n{}", shown()));
    }
    let line = |prefix: &str| stdout.lines().find_map(|l| l.strip_prefix(prefix)).map(str::to_string);
    let version = line("version ")
        .filter(|v| v.starts_with("GNU bash, version 5."))
        .ok_or_else(|| format!("  `bash --version` is not GNU bash 5\n{}", shown()))?;
    let bash = line("bash ")
        .filter(|v| v.starts_with("5.") && v.ends_with("-release"))
        .ok_or_else(|| format!("  $BASH_VERSION is not 5.x-release\n{}", shown()))?;
    for (prefix, want) in [("python ", "1"), ("hostname ", "helctic"), ("env ", "/root dumb C.UTF-8")] {
        if line(prefix).as_deref() != Some(want) {
            return Err(format!("  expected the line {:?}\n{}", format!("{prefix}{want}"), shown()));
        }
    }
    // `drwx------ 2 user user 4096 <date> user`: the names come from the
    // tree's passwd and group.
    let home = stdout.lines().find(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() >= 9 && f[0].starts_with('d') && f[2] == "user" && f[3] == "user" && f[f.len() - 1] == "user"
    });
    let home =
        home.ok_or_else(|| format!("  `ls -l /home` shows no directory `user` owned by user:user\n{}", shown()))?;
    Ok(format!(
        "{version}; $BASH_VERSION {bash}; python3 imports sqlite3 and json, `ls -l /home`: {}",
        home.split_whitespace().take(4).collect::<Vec<_>>().join(" ")
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn inode_types_and_link_targets_from_debugfs_stat() {
        let stat = "Inode: 13   Type: symlink    Mode:  0777   Flags: 0x0\nGeneration: 0    Version: 0x00000000\nFast link dest: \"usr/lib64\"\n";
        assert_eq!(super::inode_type(stat), Some("symlink"));
        assert_eq!(super::link_target(std::path::Path::new("/nonexistent"), "/lib64", stat).unwrap(), "usr/lib64");
        assert_eq!(super::inode_type("Inode: 2   Type: directory    Mode:  0755"), Some("directory"));
    }
}
