//! The default user land for `cargo xtask run`: Debian's busybox, fetched
//! unmodified, as /bin/sh and every applet.

use crate::initramfs::Image;
use std::path::PathBuf;

/// An image with busybox installed, booting into an interactive shell.
pub fn default_image() -> Result<PathBuf, String> {
    let busybox = crate::debian::busybox()?;
    let mut image = busybox_image(&busybox)?;
    image.file("init", b"#!/bin/sh\nexport PATH=/bin:/sbin:/usr/bin:/usr/sbin\necho\necho 'Welcome to Helctic. This is Debian'\"'\"'s busybox shell; exit ends the machine.'\ncd /root\nexec /bin/sh\n".to_vec(), 0o755);
    image.write("default.cpio")
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
