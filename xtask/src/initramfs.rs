//! Building initramfs images (cpio newc) with our own writer.

use cpio::{Builder, Metadata};
use std::path::{Path, PathBuf};

/// Files to put in an image: (path inside, contents, permissions).
#[derive(Default)]
pub struct Image {
    files: Vec<(String, Vec<u8>, u32)>,
    symlinks: Vec<(String, String)>,
    dirs: Vec<String>,
}

impl Image {
    pub fn new() -> Self {
        let mut i = Image::default();
        for d in ["bin", "sbin", "usr/bin", "usr/sbin", "etc", "tmp", "proc", "dev", "root"] {
            i.dirs.push(d.to_string());
        }
        i
    }

    /// Adds a file; a later file of the same path replaces the earlier one
    /// (an archive with both would leave the choice to the unpacker).
    pub fn file(&mut self, path: &str, data: Vec<u8>, mode: u32) -> &mut Self {
        let path = path.trim_start_matches('/').to_string();
        self.files.retain(|(p, _, _)| *p != path);
        self.files.push((path, data, mode));
        self
    }

    /// The contents of a file added earlier.
    pub fn contents(&self, path: &str) -> Option<&[u8]> {
        let path = path.trim_start_matches('/');
        self.files.iter().find(|(p, _, _)| p == path).map(|(_, data, _)| data.as_slice())
    }

    pub fn symlink(&mut self, path: &str, target: &str) -> &mut Self {
        self.symlinks.push((path.trim_start_matches('/').to_string(), target.to_string()));
        self
    }

    pub fn host_file(&mut self, path: &str, host: &Path) -> Result<&mut Self, String> {
        let data = std::fs::read(host).map_err(|e| format!("cannot read {}: {e}", host.display()))?;
        Ok(self.file(path, data, 0o755))
    }

    pub fn build(&self) -> Result<Vec<u8>, String> {
        let mut b = Builder::new();
        for d in &self.dirs {
            let mode = if d == "tmp" { 0o1777 } else { 0o755 };
            b.dir(d.as_bytes(), Metadata::new(mode)).map_err(|e| format!("initramfs dir {d}: {e:?}"))?;
        }
        for (p, data, mode) in &self.files {
            b.file(p.as_bytes(), Metadata::new(*mode), data).map_err(|e| format!("initramfs file {p}: {e:?}"))?;
        }
        for (p, t) in &self.symlinks {
            b.symlink(p.as_bytes(), Metadata::new(0o777), t.as_bytes())
                .map_err(|e| format!("initramfs link {p}: {e:?}"))?;
        }
        Ok(b.finish())
    }

    /// Writes the image under target/ and returns its path.
    pub fn write(&self, name: &str) -> Result<PathBuf, String> {
        let dir = crate::root().join("target/initramfs");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let path = dir.join(name);
        std::fs::write(&path, self.build()?).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// The shared objects a dynamically linked program loads (its dynamic
/// linker included), as this machine's `ldd` resolves them; none for a
/// static program.
pub fn shared_libraries(program: &Path) -> Result<Vec<PathBuf>, String> {
    let out = std::process::Command::new("ldd").arg(program).output().map_err(|e| format!("cannot run ldd: {e}"))?;
    if !out.status.success() {
        return Ok(Vec::new()); // "not a dynamic executable"
    }
    Ok(parse_ldd(&String::from_utf8_lossy(&out.stdout)))
}

/// The absolute paths in `ldd` output: `libc.so.6 => /lib/.../libc.so.6 (0x...)`
/// and `/lib64/ld-linux-x86-64.so.2 (0x...)`; the vDSO has no file.
fn parse_ldd(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let path = match l.split_once("=>") {
                Some((_, rest)) => rest.trim(),
                None => l,
            };
            let path = path.split_whitespace().next()?;
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ldd_output_gives_every_file() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n\tlibmissing.so => not found\n";
        let got: Vec<String> = super::parse_ldd(text).iter().map(|p| p.display().to_string()).collect();
        assert_eq!(got, ["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"]);
    }
}
