//! Building LTP's system-call tests as static glibc programs, once per
//! source: the build lives in target/ltp/build-<hash>/, keyed by the
//! SHA-256 of the release tarball (or of a `--source` tree's file list,
//! sizes and times), with a stamp file after each stage so a second run
//! rebuilds nothing.

use crate::toolchain;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The release the project measures with (see ../shared/corpora/README.md).
pub const TARBALL: &str = "ltp-20260529.tar.xz";

/// Debian packages LTP's build needs beyond gcc and make.
const BUILD_PACKAGES: [&str; 8] = ["autoconf", "automake", "make", "gcc", "pkg-config", "bison", "flex", "m4"];

/// A built (or partly built) LTP tree.
pub struct Ltp {
    /// The source tree, configured, where the programs are built in place.
    pub tree: PathBuf,
    /// LTP's own version (its VERSION file).
    pub version: String,
    /// target/ltp/build-<hash>: stamps and build logs.
    dir: PathBuf,
}

fn corpora() -> PathBuf {
    crate::root().join("../shared/corpora")
}

fn sha256(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum").arg(path).output().map_err(|e| format!("sha256sum: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .next()
        .filter(|h| h.len() == 64)
        .map(str::to_string)
        .ok_or_else(|| format!("sha256sum {} failed", path.display()))
}

fn sha256_of_bytes(data: &[u8]) -> Result<String, String> {
    let tmp = crate::root().join("target/ltp/.hash-input");
    std::fs::write(&tmp, data).map_err(|e| e.to_string())?;
    let h = sha256(&tmp);
    let _ = std::fs::remove_file(&tmp);
    h
}

/// The hash a `--source` tree's build is kept under: its files' names,
/// sizes and change times (cheap, and any edit changes it).
fn tree_key(dir: &Path) -> Result<String, String> {
    let out = Command::new("find")
        .arg(dir)
        .args(["-type", "f", "-not", "-path", "*/.git/*", "-printf", "%P %s %T@\n"])
        .output()
        .map_err(|e| format!("find: {e}"))?;
    let mut lines: Vec<&str> = std::str::from_utf8(&out.stdout).map_err(|e| e.to_string())?.lines().collect();
    lines.sort_unstable();
    sha256_of_bytes(lines.join("\n").as_bytes())
}

/// The tarball's hash as SHA256SUMS records it; an error when the file
/// does not match.
fn checked_tarball() -> Result<(PathBuf, String), String> {
    let tarball = corpora().join(TARBALL);
    let sums = std::fs::read_to_string(corpora().join("SHA256SUMS"))
        .map_err(|e| format!("../shared/corpora/SHA256SUMS: {e}"))?;
    let expected = sums
        .lines()
        .find_map(|l| {
            l.split_once(char::is_whitespace)
                .filter(|(_, f)| f.trim().trim_start_matches('*') == TARBALL)
                .map(|(h, _)| h.to_string())
        })
        .ok_or_else(|| format!("{TARBALL} is not listed in ../shared/corpora/SHA256SUMS"))?;
    let actual = sha256(&tarball)?;
    if actual != expected {
        return Err(format!("{} has SHA-256 {actual}, SHA256SUMS says {expected}", tarball.display()));
    }
    Ok((tarball, actual))
}

fn run_logged(cmd: &mut Command, log: &Path, what: &str) -> Result<(), String> {
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    eprintln!("ltp: {what} (log: {})", log.display());
    let status = cmd.stdout(file).stderr(err).status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        Err(format!(
            "{what} failed ({status}); last lines of {}:\n{}",
            log.display(),
            crate::harness::last_lines(&text, 20).join("\n")
        ))
    }
}

/// The one directory of `dir` that holds an LTP tree (runtest/syscalls).
fn find_tree(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).find(|p| p.join("runtest/syscalls").is_file())
}

/// Unpacks (or copies) the source and configures it, once; then builds
/// LTP's library. `source`: a tree to use instead of the release tarball.
pub fn prepare(source: Option<&Path>) -> Result<Ltp, String> {
    let (key, unpack): (String, Box<dyn Fn(&Path) -> Result<(), String>>) = match source {
        None => {
            let (tarball, hash) = checked_tarball()?;
            (
                hash,
                Box::new(move |dir: &Path| {
                    run_logged(
                        Command::new("tar").arg("xJf").arg(&tarball).arg("-C").arg(dir),
                        &dir.join("unpack.log"),
                        "unpacking LTP",
                    )
                }),
            )
        }
        Some(src) => {
            let src = src.canonicalize().map_err(|e| format!("--source {}: {e}", src.display()))?;
            if !src.join("runtest/syscalls").is_file() {
                return Err(format!("--source {}: not an LTP tree (no runtest/syscalls)", src.display()));
            }
            let key = tree_key(&src)?;
            (
                key,
                Box::new(move |dir: &Path| {
                    run_logged(
                        Command::new("cp").arg("-a").arg(&src).arg(dir.join("ltp")),
                        &dir.join("unpack.log"),
                        "copying the LTP source",
                    )
                }),
            )
        }
    };
    let dir = crate::root().join("target/ltp").join(format!("build-{}", &key[..16]));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if !dir.join(".unpacked").exists() {
        if let Some(old) = find_tree(&dir) {
            std::fs::remove_dir_all(&old).map_err(|e| e.to_string())?;
        }
        unpack(&dir)?;
        stamp(&dir, ".unpacked")?;
    }
    let tree = find_tree(&dir).ok_or_else(|| format!("no LTP tree in {}", dir.display()))?;
    let missing: Vec<&str> = BUILD_PACKAGES.iter().copied().filter(|p| toolchain::which(p).is_none()).collect();
    if !missing.is_empty() {
        toolchain::ensure_packages(&missing, "building LTP")?;
    }
    if !dir.join(".configured").exists() {
        run_logged(
            Command::new("make").arg("autotools").current_dir(&tree),
            &dir.join("autotools.log"),
            "make autotools",
        )?;
        run_logged(
            Command::new("./configure").arg("LDFLAGS=-static").current_dir(&tree),
            &dir.join("configure.log"),
            "./configure LDFLAGS=-static",
        )?;
        stamp(&dir, ".configured")?;
    }
    if !dir.join(".lib").exists() {
        run_logged(
            Command::new("make").args(["-j2", "-C", "lib"]).current_dir(&tree),
            &dir.join("lib.log"),
            "make -C lib",
        )?;
        stamp(&dir, ".lib")?;
    }
    let version = std::fs::read_to_string(tree.join("VERSION"))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    Ok(Ltp { tree, version, dir })
}

fn stamp(dir: &Path, name: &str) -> Result<(), String> {
    std::fs::write(dir.join(name), b"").map_err(|e| e.to_string())
}

impl Ltp {
    fn syscalls(&self) -> PathBuf {
        self.tree.join("testcases/kernel/syscalls")
    }

    pub fn runtest(&self) -> Result<String, String> {
        std::fs::read_to_string(self.tree.join("runtest/syscalls")).map_err(|e| format!("runtest/syscalls: {e}"))
    }

    /// Builds the programs: all of testcases/kernel/syscalls when `all`,
    /// or else only the directories whose sources make `programs` (a subset
    /// builds in seconds; the whole takes a while on two cores). A few
    /// programs of runtest/syscalls live elsewhere (pipeio in
    /// testcases/kernel/ipc, dirtyc0w in testcases/kernel/security): their
    /// directories are built too.
    pub fn build(&self, programs: &[&str], all: bool) -> Result<(), String> {
        if all && !self.dir.join(".syscalls").exists() {
            run_logged(
                Command::new("make").args(["-j2", "-C", "testcases/kernel/syscalls"]).current_dir(&self.tree),
                &self.dir.join("syscalls.log"),
                "make -C testcases/kernel/syscalls (about 1,500 programs)",
            )?;
            stamp(&self.dir, ".syscalls")?;
        }
        let built = self.programs(&[])?;
        let sources = self.source_dirs()?;
        // `name_64` and `name_16` are built by name.c's Makefile from the
        // same source (LTP's large-file and 16-bit-id variants).
        let source_of = |p: &str| {
            sources
                .get(p)
                .or_else(|| p.strip_suffix("_64").or_else(|| p.strip_suffix("_16")).and_then(|base| sources.get(base)))
        };
        let mut dirs: Vec<&PathBuf> =
            programs.iter().filter(|p| !built.by_name.contains_key(**p)).filter_map(|p| source_of(p)).collect();
        dirs.sort();
        dirs.dedup();
        for d in dirs {
            let rel = d.strip_prefix(&self.tree).unwrap_or(d).display().to_string();
            let log = self.dir.join(format!("make-{}.log", rel.replace('/', "-")));
            run_logged(Command::new("make").arg("-j2").arg("-C").arg(d), &log, &format!("make -C {rel}"))?;
        }
        Ok(())
    }

    /// Which directory builds each program: `<program>.c` lives there.
    fn source_dirs(&self) -> Result<BTreeMap<String, PathBuf>, String> {
        let mut map = BTreeMap::new();
        // The system-call tests' own directories first: they win a name clash.
        let mut note = |path: &Path| {
            if let (Some(stem), Some("c")) = (path.file_stem(), path.extension().and_then(|e| e.to_str())) {
                if let Some(parent) = path.parent() {
                    map.entry(stem.to_string_lossy().into_owned()).or_insert_with(|| parent.to_path_buf());
                }
            }
        };
        walk(&self.syscalls(), &mut note)?;
        walk(&self.tree.join("testcases/kernel"), &mut note)?;
        Ok(map)
    }

    /// Every program built so far in testcases/kernel/syscalls, and in the
    /// directories elsewhere that build `others`, by name (helpers a test
    /// runs, such as `execve01_child`, are built beside it).
    pub fn programs(&self, others: &[&str]) -> Result<Programs, String> {
        let mut by_name = BTreeMap::new();
        let mut note = |path: &Path| {
            if is_elf_executable(path) {
                if let Some(name) = path.file_name() {
                    by_name.entry(name.to_string_lossy().into_owned()).or_insert_with(|| path.to_path_buf());
                }
            }
        };
        walk(&self.syscalls(), &mut note)?;
        if !others.is_empty() {
            let sources = self.source_dirs()?;
            let mut dirs: Vec<&PathBuf> =
                others.iter().filter_map(|p| sources.get(*p)).filter(|d| !d.starts_with(self.syscalls())).collect();
            dirs.sort();
            dirs.dedup();
            for d in dirs {
                walk(d, &mut note)?;
            }
        }
        Ok(Programs { by_name })
    }
}

/// The built programs of LTP's system-call tests.
pub struct Programs {
    pub by_name: BTreeMap<String, PathBuf>,
}

impl Programs {
    /// `program` and the programs built in the same directory.
    pub fn with_helpers(&self, program: &str) -> Vec<(&str, &Path)> {
        let Some(dir) = self.by_name.get(program).and_then(|p| p.parent()) else { return Vec::new() };
        self.by_name.iter().filter(|(_, p)| p.parent() == Some(dir)).map(|(n, p)| (n.as_str(), p.as_path())).collect()
    }

    /// A directory of links to every program, for PATH.
    pub fn link_dir(&self, dir: &Path) -> Result<(), String> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        for (name, path) in &self.by_name {
            std::os::unix::fs::symlink(path, dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
}

fn is_elf_executable(path: &Path) -> bool {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else { return false };
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return false;
    }
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && magic == *b"\x7fELF"
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) -> Result<(), String> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let is_dir = std::fs::symlink_metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
        if is_dir {
            walk(&path, f)?;
        } else {
            f(&path);
        }
    }
    Ok(())
}
