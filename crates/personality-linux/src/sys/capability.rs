//! capget and capset: a process's capability sets, which are the core's
//! privilege sets under Linux's numbering.

use kernel_ops::{Credentials, Error, KResult, KernelOps, Privilege, PrivilegeSet};
use linux_abi::capability::{data_words, decode_data, encode_data, LINUX_CAPABILITY_VERSION_3};

/// The header {version, pid}. A version the kernel does not know is
/// answered by writing the one it prefers back into the header and EINVAL
/// (libcap probes this way); with no data pointer a known version is a
/// successful probe.
fn header(ops: &mut dyn KernelOps, addr: u64, data: u64) -> KResult<Option<(usize, i32)>> {
    let mut h = [0u8; 8];
    ops.copy_in(addr, &mut h)?;
    let version = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
    let pid = i32::from_le_bytes([h[4], h[5], h[6], h[7]]);
    let Some(words) = data_words(version) else {
        ops.copy_out(addr, &LINUX_CAPABILITY_VERSION_3.to_le_bytes())?;
        return Err(Error::InvalidArgument);
    };
    if data == 0 {
        return Ok(None);
    }
    Ok(Some((words, pid)))
}

pub fn capget(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let Some((words, pid)) = header(ops, a[0], a[1])? else { return Ok(0) };
    if pid < 0 {
        return Err(Error::InvalidArgument);
    }
    let c = ops.credentials_of(pid as u32)?;
    let p = c.privileges;
    let data = encode_data([p.effective.0, p.permitted.0, p.inheritable.0]);
    ops.copy_out(a[1], &data[..words * 12])?;
    Ok(0)
}

/// capset changes only the caller's own sets (another pid is EPERM, as
/// since Linux 2.6.24); the core refuses any set that would grow.
pub fn capset(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let Some((words, pid)) = header(ops, a[0], a[1])? else { return Ok(0) };
    if pid != 0 && pid as u32 != ops.pid() {
        return Err(Error::NotPermitted);
    }
    let mut bytes = [0u8; 24];
    ops.copy_in(a[1], &mut bytes[..words * 12])?;
    let [effective, permitted, inheritable] = decode_data(&bytes, words).ok_or(Error::Fault)?;
    let valid = PrivilegeSet::FULL.0;
    let c = ops.credentials();
    let mut new = c;
    // Bits beyond the last capability are ignored, as Linux masks them.
    new.privileges.effective = PrivilegeSet(effective & valid);
    new.privileges.permitted = PrivilegeSet(permitted & valid);
    new.privileges.inheritable = PrivilegeSet(inheritable & valid);
    // Lowering permitted or inheritable takes the ambient set down with it.
    new.privileges.ambient =
        new.privileges.ambient.intersection(new.privileges.permitted).intersection(new.privileges.inheritable);
    ops.set_credentials(new).map(|_| 0)
}

/// prctl's capability options: the bounding set (read, drop), the
/// keep-capabilities flag and the ambient set.
pub fn bounding_set_read(ops: &mut dyn KernelOps, cap: u64) -> KResult<u64> {
    let p = privilege_bit(cap)?;
    Ok(u64::from(ops.credentials().privileges.bounding.0 & p != 0))
}

pub fn bounding_set_drop(ops: &mut dyn KernelOps, cap: u64) -> KResult<u64> {
    let p = privilege_bit(cap)?;
    let c = ops.credentials();
    if !c.has(Privilege::SetPcap) {
        return Err(Error::NotPermitted);
    }
    let mut new = c;
    new.privileges.bounding = new.privileges.bounding.without(PrivilegeSet(p));
    ops.set_credentials(new).map(|_| 0)
}

pub fn set_keep_caps(ops: &mut dyn KernelOps, value: u64) -> KResult<u64> {
    if value > 1 {
        return Err(Error::InvalidArgument);
    }
    let c = ops.credentials();
    ops.set_credentials(Credentials {
        privileges: kernel_ops::Privileges { keep_on_uid_change: value == 1, ..c.privileges },
        ..c
    })
    .map(|_| 0)
}

pub fn keep_caps(ops: &mut dyn KernelOps) -> u64 {
    u64::from(ops.credentials().privileges.keep_on_uid_change)
}

/// PR_CAP_AMBIENT: IS_SET 1, RAISE 2, LOWER 3, CLEAR_ALL 4.
pub fn ambient(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let mut new = c;
    match a[1] {
        4 => {
            if a[2] != 0 || a[3] != 0 || a[4] != 0 {
                return Err(Error::InvalidArgument);
            }
            new.privileges.ambient = PrivilegeSet::EMPTY;
        }
        op @ 1..=3 => {
            if a[3] != 0 || a[4] != 0 {
                return Err(Error::InvalidArgument);
            }
            let p = PrivilegeSet(privilege_bit(a[2])?);
            match op {
                1 => return Ok(u64::from(c.privileges.ambient.0 & p.0 != 0)),
                2 => {
                    if !p.is_subset_of(c.privileges.permitted) || !p.is_subset_of(c.privileges.inheritable) {
                        return Err(Error::NotPermitted);
                    }
                    new.privileges.ambient = new.privileges.ambient.union(p);
                }
                _ => new.privileges.ambient = new.privileges.ambient.without(p),
            }
        }
        _ => return Err(Error::InvalidArgument),
    }
    ops.set_credentials(new).map(|_| 0)
}

fn privilege_bit(cap: u64) -> KResult<u64> {
    if cap > u64::from(Privilege::LAST) {
        return Err(Error::InvalidArgument);
    }
    Ok(1 << cap)
}
