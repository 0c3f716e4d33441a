//! A netlink socket's own options (`SOL_NETLINK`), as Linux's
//! netlink_setsockopt and netlink_getsockopt read and write them. The
//! options themselves (extended acks, strict checking, groups, ...) are
//! kept by the core's routing socket, by Linux's numbers.

use kernel_ops::{Error, KResult, KernelOps, SocketSetting};
use linux_abi::netlink::{NETLINK_LIST_MEMBERSHIPS, SOL_NETLINK};

/// setsockopt(fd, level, option, value, len) on a netlink socket, any
/// level but SOL_SOCKET.
pub fn set(ops: &mut dyn KernelOps, sock: i32, level: u32, option: u32, value: u64, len: u64) -> KResult<()> {
    if (len as i32) < 0 {
        return Err(Error::InvalidArgument);
    }
    if level != SOL_NETLINK {
        return Err(Error::NoSuchOption);
    }
    // Linux reads an int when one was given and takes 0 otherwise; each
    // option then judges the value (groups: 0 is EINVAL).
    let mut v = [0u8; 4];
    if len as i32 >= 4 {
        ops.copy_in(value, &mut v)?;
    }
    ops.set_socket_setting(sock, SocketSetting::Netlink { option, value: u32::from_le_bytes(v) })
}

/// getsockopt(fd, level, option, value, len_ptr) on a netlink socket, any
/// level but SOL_SOCKET.
pub fn get(ops: &mut dyn KernelOps, sock: i32, level: u32, option: u32, value: u64, len_ptr: u64) -> KResult<u64> {
    if level != SOL_NETLINK {
        return Err(Error::NoSuchOption);
    }
    let mut l = [0u8; 4];
    ops.copy_in(len_ptr, &mut l)?;
    let room = i32::from_le_bytes(l);
    if room < 0 {
        return Err(Error::InvalidArgument);
    }
    let v = ops.socket_netlink_option(sock, option)?;
    if option == NETLINK_LIST_MEMBERSHIPS {
        // The group bits as an array of u32, as many as fit; the length
        // written back is the whole array's (the core keeps groups 1-32).
        if room >= 4 {
            ops.copy_out(value, &v.to_le_bytes())?;
        }
        ops.copy_out(len_ptr, &4u32.to_le_bytes())?;
        return Ok(0);
    }
    // The flags are ints: a shorter buffer is EINVAL.
    if room < 4 {
        return Err(Error::InvalidArgument);
    }
    ops.copy_out(value, &v.to_le_bytes())?;
    ops.copy_out(len_ptr, &4u32.to_le_bytes())?;
    Ok(0)
}
