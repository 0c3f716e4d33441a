//! The native services of every Linux boot without a disk: native init
//! and the TCP/IP server (user/manifests/network.manifest), started beside
//! the Linux init with `services=` so that Internet sockets work on the
//! loopback interface from the first program on. Boots with a disk get the
//! same server from storage.manifest / rootfs.manifest.

use crate::initramfs::Image;

/// The native programs of network.manifest.
const PROGRAMS: [&str; 2] = ["init", "netstack"];

/// network.manifest's text.
pub fn manifest() -> Result<String, String> {
    std::fs::read_to_string(crate::root().join("user/manifests/network.manifest"))
        .map_err(|e| format!("network.manifest: {e}"))
}

/// Adds native init, the TCP/IP server and network.manifest to `img`.
pub fn add(img: &mut Image) -> Result<(), String> {
    add_with(img, manifest()?)
}

/// As `add`, with another boot manifest.
pub fn add_with(img: &mut Image, manifest: String) -> Result<(), String> {
    let built = crate::native::build_native(true)?;
    for name in PROGRAMS {
        let (_, path) = built
            .iter()
            .find(|(prog, _)| prog == name)
            .ok_or_else(|| format!("native program {name} was not built"))?;
        img.host_file(&format!("native/{name}"), path)?;
    }
    img.file("native/boot.manifest", manifest.into_bytes(), 0o644);
    Ok(())
}

/// The kernel command line words that start them.
pub const SERVICES: &str = crate::storage_tests::SERVICES;
