//! What the first native task (init) is given: the authority everything
//! else is derived from. Slots follow `abi::INIT_*_SLOT`.

use crate::cap::{self, KObject};
use crate::fs::{FileObject, OpenFile};
use crate::task::process::Process;
use abi::{Error, Rights};
use alloc::sync::Arc;
use captable::Placement;

/// Gives init the boot directory (the one its program is in), every I/O
/// port, every interrupt line, all device memory and the right to serve
/// and mount file systems. The kernel still
/// refuses the pieces it uses itself when they are used (`Denied`).
pub fn grant_boot_caps(p: &Arc<Process>, init_path: &[u8]) -> Result<(), Error> {
    let dir_path = match init_path.iter().rposition(|&c| c == b'/') {
        Some(0) => &b"/"[..],
        Some(i) => &init_path[..i],
        None => &b"."[..],
    };
    let fs = p.fs().lock().clone();
    let creds = vfs::Credentials::root();
    let dir =
        crate::fs::with_vfs(|v| v.resolve(fs.cwd, fs.root, dir_path, true, &creds)).map_err(|_| Error::NotFound)?;
    let file = OpenFile::new(
        FileObject::Node(dir),
        kernel_ops::OpenFlags { read: true, ..Default::default() },
        dir_path.to_vec(),
    );
    let table = p.cap_table();
    let caps = [
        (abi::INIT_BOOT_DIR_SLOT, KObject::File(file), Rights::READ | Rights::EXEC | Rights::TRANSFER | Rights::DERIVE),
        (abi::INIT_IO_PORTS_SLOT, KObject::IoPorts { base: 0, count: 0x10000 }, Rights::ALL),
        (abi::INIT_IRQ_SLOT, KObject::Irq { first: 0, count: abi::IRQ_LINES }, Rights::ALL),
        (abi::INIT_MMIO_SLOT, KObject::Mmio { base: 0, len: 1 << 52 }, Rights::ALL),
        (abi::INIT_VFS_SLOT, KObject::Vfs, Rights::ALL),
        (abi::INIT_NET_SLOT, KObject::Net, Rights::ALL),
    ];
    for (slot, object, rights) in caps {
        cap::with_space(|s| s.insert_root(table, Placement::Exactly(slot as u32), object, rights, 0))?;
    }
    Ok(())
}
