//! The default user land for `cargo xtask run`: Debian's busybox, fetched
//! unmodified, as /bin/sh and every applet.

use crate::initramfs::Image;
use std::path::PathBuf;

/// An image with busybox installed, booting into an interactive shell.
///
/// With `storage`, the image also carries the native storage services
/// (virtio-blk driver, ext2 server) that mount the disk on /mnt at boot;
/// the kernel command line must then include `storage_tests::SERVICES`.
pub fn default_image(storage: bool, net: Option<&crate::network_services::Ethernet>) -> Result<PathBuf, String> {
    let busybox = crate::debian::busybox()?;
    let mut image = busybox_image(&busybox)?;
    let mut init = String::from("#!/bin/sh\nexport PATH=/bin:/sbin:/usr/bin:/usr/sbin\necho\necho 'Welcome to Helctic. This is Debian'\"'\"'s busybox shell; exit ends the machine.'\n");
    if storage {
        crate::storage_tests::add_storage_services(&mut image)?;
        init.push_str("grep -q ' /mnt ' /proc/mounts && echo 'The disk (/dev/vda, ext2) is mounted on /mnt; it is synced when the shell exits.'\n");
    } else {
        // Boot it with `network_services::SERVICES` on the command line.
        crate::network_services::add(&mut image)?;
    }
    if let Some(net) = net {
        net.add_to(&mut image)?;
        init.push_str("echo 'The network is up: eth0 on QEMU'\\''s user network (the host is 10.0.2.2).'\n");
    }
    init.push_str("cd /root\nexec /bin/sh\n");
    image.file("init", init.into_bytes(), 0o755);
    let name = match (storage, net.is_some()) {
        (false, false) => "default.cpio",
        (true, false) => "default-storage.cpio",
        (false, true) => "default-net.cpio",
        (true, true) => "default-storage-net.cpio",
    };
    image.write(name)
}

/// busybox as /bin/busybox with a symlink per applet.
pub fn busybox_image(busybox: &crate::debian::Busybox) -> Result<Image, String> {
    let mut image = Image::new();
    image.host_file("bin/busybox", &busybox.path)?;
    for applet in &busybox.applets {
        if applet != "busybox" {
            image.symlink(&format!("bin/{applet}"), "/bin/busybox");
        }
    }
    image.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n".to_vec(), 0o644);
    image.file("etc/group", b"root:x:0:\n".to_vec(), 0o644);
    image.file("etc/hostname", b"helctic\n".to_vec(), 0o644);
    Ok(image)
}
