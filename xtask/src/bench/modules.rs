//! The Linux kernel modules the storage and network benchmarks need.
//! Debian's cloud kernel builds virtio, its PCI transport, virtio-blk and
//! virtio-net as modules (`CONFIG_VIRTIO_BLK=m`, `CONFIG_VIRTIO_NET=m`,
//! uncompressed: `MODULE_COMPRESS_NONE`), so the benchmark images carry
//! them and bench/storage.c (before it mounts /dev/vda) and bench/net.c
//! (before it configures eth0) load them with `finit_module`.
//!
//! The package has no modules.dep (depmod writes it when the package is
//! installed), so the load order comes from each module's own `.modinfo`
//! section: its `depends=` entry, which modpost derived from the symbols
//! the module uses; that is also where depmod's answer would come from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The modules that make /dev/vda and eth0 appear: the transport that
/// finds the virtio PCI devices, the block driver and the network driver.
/// Their dependencies come along. Loading virtio_net where there is no
/// network device (the disk benchmarks) only costs its load.
pub const ROOTS: &[&str] = &["virtio_pci", "virtio_blk", "virtio_net"];

/// The list, one module name a line in load order, that storage.c reads;
/// written last, so its presence also means the copy is complete.
pub const LOAD_LIST: &str = "load";

/// A module's name as the kernel spells it: the file name without `.ko`,
/// with `-` read as `_` (modpost does the same).
pub fn module_name(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?.strip_suffix(".ko")?;
    Some(name.replace('-', "_"))
}

/// The `depends=` list of a `.modinfo` section (NUL-separated `key=value`
/// strings); empty when the module depends on nothing.
pub fn depends(modinfo: &[u8]) -> Vec<String> {
    modinfo
        .split(|b| *b == 0)
        .filter_map(|entry| entry.strip_prefix(b"depends="))
        .flat_map(|list| String::from_utf8_lossy(list).split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `roots` and everything they need, dependencies before the modules that
/// need them, each once. `deps_of` gives a module's direct dependencies.
pub fn load_order(
    roots: &[&str],
    mut deps_of: impl FnMut(&str) -> Result<Vec<String>, String>,
) -> Result<Vec<String>, String> {
    fn visit(
        name: &str,
        deps_of: &mut dyn FnMut(&str) -> Result<Vec<String>, String>,
        path: &mut Vec<String>,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        if out.iter().any(|m| m == name) {
            return Ok(());
        }
        if path.iter().any(|m| m == name) {
            return Err(format!("module dependency cycle: {} -> {name}", path.join(" -> ")));
        }
        path.push(name.to_string());
        for dep in deps_of(name)? {
            visit(&dep, deps_of, path, out)?;
        }
        path.pop();
        out.push(name.to_string());
        Ok(())
    }
    let mut out = Vec::new();
    for root in roots {
        visit(root, &mut deps_of, &mut Vec::new(), &mut out)?;
    }
    Ok(out)
}

/// Every `.ko` under `dir`, by module name.
fn index(dir: &Path, found: &mut BTreeMap<String, PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            index(&path, found)?;
        } else if let Some(name) = module_name(&path) {
            found.insert(name, path);
        }
    }
    Ok(())
}

fn modinfo_depends(ko: &Path) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(ko).map_err(|e| format!("{}: {e}", ko.display()))?;
    let file = elf::ElfFile::parse(&bytes).map_err(|e| format!("{}: not ELF: {e:?}", ko.display()))?;
    let section = file
        .section_by_name(b".modinfo")
        .map_err(|e| format!("{}: sections: {e:?}", ko.display()))?
        .ok_or_else(|| format!("{} has no .modinfo section", ko.display()))?;
    let data = file.section_data(&section).map_err(|e| format!("{}: .modinfo: {e:?}", ko.display()))?;
    Ok(depends(data))
}

/// Copies `ROOTS` and their dependencies out of an unpacked kernel package
/// (`lib/modules/<version>/kernel/...`) into `out`, with the load list;
/// returns the copies in load order.
pub fn keep(unpacked: &Path, out: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = BTreeMap::new();
    index(&unpacked.join("lib/modules"), &mut found)?;
    let order = load_order(ROOTS, |name| {
        match found.get(name) {
        Some(ko) => modinfo_depends(ko),
        None => Err(format!("the kernel package has no module {name}.ko (built in now? then drop it from ROOTS in xtask/src/bench/modules.rs)")),
    }
    })?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut kept = Vec::new();
    for name in &order {
        let copy = out.join(format!("{name}.ko"));
        std::fs::copy(&found[name], &copy).map_err(|e| format!("copying {}: {e}", found[name].display()))?;
        kept.push(copy);
    }
    std::fs::write(out.join(LOAD_LIST), order.iter().map(|n| format!("{n}\n")).collect::<String>())
        .map_err(|e| e.to_string())?;
    Ok(kept)
}

/// The modules a previous `keep` left in `out`, in load order; None when
/// the copy is missing, incomplete or lacks one of `ROOTS` (kept before
/// it was added).
pub fn kept(out: &Path) -> Option<Vec<PathBuf>> {
    let list = std::fs::read_to_string(out.join(LOAD_LIST)).ok()?;
    if !ROOTS.iter().all(|root| list.lines().any(|l| l == *root)) {
        return None;
    }
    let kept: Vec<PathBuf> = list.lines().filter(|l| !l.is_empty()).map(|n| out.join(format!("{n}.ko"))).collect();
    (!kept.is_empty() && kept.iter().all(|p| p.is_file())).then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_depends() {
        let info = b"license=GPL\0depends=virtio,virtio_ring\0name=virtio_blk\0";
        assert_eq!(depends(info), ["virtio", "virtio_ring"]);
        assert!(depends(b"license=GPL\0depends=\0name=virtio\0").is_empty());
        assert!(depends(b"name=x\0").is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(module_name(Path::new("/a/virtio_pci.ko")).as_deref(), Some("virtio_pci"));
        assert_eq!(module_name(Path::new("virtio-rng.ko")).as_deref(), Some("virtio_rng"));
        assert_eq!(module_name(Path::new("modules.dep")), None);
    }

    #[test]
    fn orders_dependencies_first() {
        let deps = |m: &str| -> Result<Vec<String>, String> {
            Ok(match m {
                "virtio_pci" => vec!["virtio_pci_modern_dev".into(), "virtio".into(), "virtio_ring".into()],
                "virtio_blk" => vec!["virtio".into(), "virtio_ring".into()],
                "virtio_ring" => vec!["virtio".into()],
                _ => vec![],
            })
        };
        let order = load_order(&ROOTS[..2], deps).unwrap();
        assert_eq!(order, ["virtio_pci_modern_dev", "virtio", "virtio_ring", "virtio_pci", "virtio_blk"]);
        let cyclic =
            |m: &str| -> Result<Vec<String>, String> { Ok(vec![if m == "a" { "b" } else { "a" }.to_string()]) };
        assert!(load_order(&["a"], cyclic).unwrap_err().contains("cycle"));
    }
}
