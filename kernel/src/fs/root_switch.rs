//! Booting the Linux world from a disk: `root=/dev/vda` on the command line.
//!
//! The kernel cannot read the disk itself: a user-space driver and file
//! server (started by native init from the initramfs) serve it, and native
//! init mounts it as its boot manifest says (`mount vda ext2 /`, which the
//! kernel puts on [`SYSROOT`] in the initramfs).
//! Meanwhile the Linux init exists as pid 1 without a program. When native
//! init reports its boot-time mounts done (`vfs_boot_done`), the kernel
//!
//! 1. moves /dev, /proc and /sys (the devtmpfs, procfs and sysfs made at
//!    boot) onto the disk's own /dev, /proc and /sys, and mounts a fresh
//!    tmpfs on its /run, as an initramfs's `switch_root` would;
//! 2. makes the disk's root directory the Linux init's root and working
//!    directory, and starts its program from there (`init=`, default
//!    /sbin/init).
//!
//! Native tasks keep the initramfs as their root: the file server's code,
//! and the programs init restarts, live there.

use super::mount_table::{self, MountEntry};
use super::FsContext;
use crate::sync::SpinLock;
use crate::task::lifecycle::{self, InitProcess};
use alloc::string::String;
use alloc::vec::Vec;
use kernel_ops::{Error, KResult};
use vfs::{NewNode, NodeAttrs, NodeRef};

/// Where a boot manifest's `mount <device> <type> /` goes.
pub const SYSROOT: &str = "/sysroot";

/// The Linux init waiting for its root file system.
struct PendingInit {
    init: InitProcess,
    device: String,
    path: Vec<u8>,
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
}

static PENDING: SpinLock<Option<PendingInit>> = SpinLock::new(None);

/// Remembers pid 1, to be started from the file system mounted from
/// `device` (`vda`) once native init has mounted it.
pub fn hold(init: InitProcess, device: &str, path: &[u8], argv: Vec<Vec<u8>>, envp: Vec<Vec<u8>>) {
    *PENDING.lock() = Some(PendingInit { init, device: device.into(), path: path.to_vec(), argv, envp });
}

/// Native init made its boot-time mounts: switch pid 1 to the root and
/// start it. If there is no such mount, or its program cannot start,
/// nothing could ever run: say why and stop the machine.
pub fn start_pending() {
    let Some(p) = PENDING.lock().take() else { return };
    let started = switch_root(&p.device).and_then(|ctx| {
        *p.init.thread.process().fs().lock() = ctx;
        lifecycle::start_init_program(&p.init, &p.path, &p.argv, &p.envp)
    });
    match started {
        Ok(()) => {
            crate::info!(
                "started {} as pid 1 on the root file system from /dev/{}",
                String::from_utf8_lossy(&p.path),
                p.device
            );
            crate::sched::enqueue(p.init.thread);
        }
        Err(e) => {
            crate::error!(
                "cannot start {} from the root file system on /dev/{}: {e:?}",
                String::from_utf8_lossy(&p.path),
                p.device
            );
            crate::println!(
                "helctic: cannot start init ({}) from /dev/{}: {e:?}",
                String::from_utf8_lossy(&p.path),
                p.device
            );
            super::sync_for_power_off();
            crate::arch::cpu::exit_machine(crate::arch::cpu::ExitStatus::Failure);
        }
    }
}

/// Moves the boot-time pseudo file systems onto the file system mounted
/// from `device` and returns the context (root and working directory)
/// Linux programs start in.
fn switch_root(device: &str) -> KResult<FsContext> {
    let fs = super::served::mounted_from(device).ok_or_else(|| {
        crate::error!("root=/dev/{device}: nothing was mounted from /dev/{device} (does the boot manifest mount it?)");
        Error::NotFound
    })?;
    let base = mount_table::path_of(fs).unwrap_or_default();
    let under = |name: &[u8]| {
        let mut p = if base == b"/" { Vec::new() } else { base.clone() };
        p.push(b'/');
        p.extend_from_slice(name);
        p
    };
    let creds = vfs::Credentials::root();
    let mut moved = Vec::new();
    let mut run = None;
    let root = super::with_vfs(|v| -> KResult<NodeRef> {
        let new_root = NodeRef { fs, ino: v.fs(fs)?.root() };
        let old_root = v.root();
        for name in [&b"dev"[..], b"proc", b"sys"] {
            let mut old_path = b"/".to_vec();
            old_path.extend_from_slice(name);
            let Ok(mounted) = v.resolve(old_root, old_root, &old_path, true, &creds) else { continue };
            if mounted.fs == old_root.fs || !v.is_mount_root(mounted) {
                continue; // nothing mounted there
            }
            let target = match v.lookup_entry(new_root, name) {
                Ok(n) => n,
                Err(_) => NodeRef {
                    fs,
                    ino: v.fs(fs)?.lock().create(
                        new_root.ino,
                        name,
                        NewNode::Directory,
                        NodeAttrs::new(0o755, 0, 0),
                        super::now(),
                    )?,
                },
            };
            // Mounts inside it (devpts on /dev/pts) come off first and go
            // back on the same directory, which moves with it.
            let inner: Vec<(vfs::FsId, NodeRef, Vec<u8>)> = v
                .mounts()
                .into_iter()
                .filter(|m| m.parent == Some(mounted.fs))
                .filter_map(|m| {
                    let rel = v.path_of(m.mount_point, mounted).ok()?;
                    Some((m.fs, m.mount_point, rel))
                })
                .collect();
            for (inner_fs, _, _) in &inner {
                let inner_root = NodeRef { fs: *inner_fs, ino: v.fs(*inner_fs)?.root() };
                v.unmount(inner_root)?;
            }
            v.unmount(mounted)?;
            v.mount(target, mounted.fs)?;
            moved.push((mounted.fs, under(name)));
            for (inner_fs, point, rel) in inner {
                v.mount(point, inner_fs)?;
                let mut path = under(name);
                path.extend_from_slice(&rel);
                moved.push((inner_fs, path));
            }
        }
        // Debian keeps /run (and /var/run, /run/lock) in memory.
        if let Ok(dir) = v.lookup_entry(new_root, b"run") {
            if v.metadata(dir).is_ok_and(|m| m.is_dir()) {
                let tmpfs = vfs::Ramfs::new(NodeAttrs::new(0o755, 0, 0), super::now()).with_name("tmpfs");
                let id = v.add_filesystem(alloc::boxed::Box::new(tmpfs));
                let tmp_root = v.fs(id)?.root();
                v.mount(dir, id)?;
                run = Some(MountEntry {
                    fs: id,
                    root: tmp_root,
                    path: under(b"run"),
                    source: "tmpfs".into(),
                    fstype: "tmpfs".into(),
                    read_only: false,
                });
            }
        }
        Ok(new_root)
    })?;
    for (fs, path) in moved {
        mount_table::moved(fs, path);
    }
    if let Some(entry) = run {
        mount_table::added(entry);
    }
    Ok(FsContext { cwd: root, root, umask: 0o022 })
}
