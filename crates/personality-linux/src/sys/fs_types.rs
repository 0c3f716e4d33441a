//! sysfs(2), the System V call that lists the file system types the
//! kernel knows (those /proc/filesystems lists, in its order).

use kernel_ops::{Error, KResult, KernelOps};

/// Linux's limit on a file system type name it reads.
const NAME_MAX: usize = 4096;

pub fn sysfs(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let types = ops.filesystem_types();
    match a[0] as i32 {
        // The index of the type named at arg1.
        1 => {
            let name =
                ops.copy_in_cstring(a[1], NAME_MAX)
                    .map_err(|e| if e == Error::NameTooLong { Error::Fault } else { e })?;
            types.iter().position(|t| *t == name).map(|i| i as u64).ok_or(Error::InvalidArgument)
        }
        // The name of type number arg1, written to arg2.
        2 => {
            let name = types
                .get(usize::try_from(a[1] as u32).map_err(|_| Error::InvalidArgument)?)
                .ok_or(Error::InvalidArgument)?;
            let mut bytes = name.clone();
            bytes.push(0);
            ops.copy_out(a[2], &bytes).map(|_| 0)
        }
        // How many types there are.
        3 => Ok(types.len() as u64),
        _ => Err(Error::InvalidArgument),
    }
}
