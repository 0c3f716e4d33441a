//! The socket calls: Linux's structures and argument rules translated onto
//! the core's socket operations, for local (AF_UNIX) sockets, Internet
//! (AF_INET, AF_INET6) ones and routing ones (AF_NETLINK with
//! NETLINK_ROUTE, answered by the core). Other families are refused with
//! EAFNOSUPPORT (and one log line). Internet sockets' protocol options are
//! in `inet_options.rs`, netlink's in `netlink_options.rs`.

use crate::cmsg::{parse_control, ControlWriter, OPTMEM_MAX};
use crate::util::{fd, read_timespec};
use alloc::vec::Vec;
use kernel_ops::{
    DescriptorFlags, Error, InetAddress, KResult, KernelOps, PeerCredentials, ReceiveRequest, SendRequest,
    SocketAddress, SocketFamily, SocketKind, SocketSetting,
};
use linux_abi::inet::{encode_inet, parse_in, parse_in6, InetAddr, InetAddrError};
use linux_abi::iovec::{Iovec, UIO_MAXIOV};
use linux_abi::netlink::{encode_nl, parse_nl, NetlinkAddr, MAX_LINKS, NETLINK_ROUTE};
use linux_abi::socket::*;
use unix_buffers::*;

/// Linux's buffer-size rules (crates/unix-socket has the same numbers; the
/// personality keeps its own copy so it does not depend on the kernel's
/// socket crate).
mod unix_buffers {
    pub const WMEM_MAX: u32 = 212_992;
    pub const MIN_SNDBUF: u32 = 4608;
    pub const MIN_RCVBUF: u32 = 2304;

    /// The value SO_SNDBUF/SO_RCVBUF store for `value`, as Linux's
    /// sk_setsockopt: the plain options compare it unsigned with the
    /// maximum (a negative value asks for the maximum), the FORCE ones
    /// make a negative value 0; either is kept at most INT_MAX / 2 before
    /// it is doubled.
    pub fn effective(value: i32, min: u32, force: bool) -> u32 {
        let v = if force { value.max(0) as u32 } else { (value as u32).min(WMEM_MAX) };
        v.min(i32::MAX as u32 / 2).saturating_mul(2).max(min)
    }
}

/// `SOCK_MAX`: types at or above it are EINVAL, below it unknown ones
/// ESOCKTNOSUPPORT.
const SOCK_MAX: u32 = 11;
/// `AF_MAX`.
const AF_MAX: u32 = 46;
/// recvmmsg: after the first message, do not wait for more.
const MSG_WAITFORONE: u32 = 0x1_0000;
/// The 32-bit compat layer's own flag: from a 64-bit caller of
/// sendmsg/sendmmsg/recvmsg/recvmmsg, Linux refuses it (EINVAL) before
/// looking at the descriptor.
const MSG_CMSG_COMPAT: u32 = 0x8000_0000;

fn no_compat_flag(flags: u64) -> KResult<()> {
    if flags as u32 & MSG_CMSG_COMPAT != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

fn kind_and_flags(raw: u64) -> KResult<(SocketKind, DescriptorFlags)> {
    let raw = raw as u32;
    let flags = raw & !SOCK_TYPE_MASK;
    if flags & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    let kind = match raw & SOCK_TYPE_MASK {
        SOCK_STREAM => SocketKind::Stream,
        // Linux makes a raw local socket a datagram one.
        SOCK_DGRAM | SOCK_RAW => SocketKind::Datagram,
        SOCK_SEQPACKET => SocketKind::SeqPacket,
        t if t >= SOCK_MAX => return Err(Error::InvalidArgument),
        _ => return Err(Error::SocketTypeNotSupported),
    };
    Ok((kind, DescriptorFlags { close_on_exec: flags & SOCK_CLOEXEC != 0, non_blocking: flags & SOCK_NONBLOCK != 0 }))
}

/// The family a `socket`/`socketpair` call asks for, with its protocol
/// checked against the type (`raw_type`, without flags).
fn family_and_protocol(
    ops: &mut dyn KernelOps,
    call: &str,
    domain: u64,
    raw_type: u32,
    protocol: u64,
) -> KResult<SocketFamily> {
    let domain = domain as u32;
    let protocol = protocol as u32;
    match domain {
        AF_UNIX => {
            if protocol != 0 && protocol != AF_UNIX {
                return Err(Error::ProtocolNotSupported);
            }
            Ok(SocketFamily::Local)
        }
        AF_INET | AF_INET6 => {
            // inet_create: the type's protocols (TCP for streams, UDP or
            // ICMP echo for datagrams), 0 meaning the first.
            let icmp = if domain == AF_INET { IPPROTO_ICMP } else { IPPROTO_ICMPV6 };
            let ok = match raw_type {
                SOCK_STREAM => protocol == 0 || protocol == IPPROTO_TCP,
                // Ping sockets: Linux lets the groups in
                // net.ipv4.ping_group_range make them; Helctic lets every
                // group, as distributions configure it (systemd's
                // "0 2147483647").
                SOCK_DGRAM => protocol == 0 || protocol == IPPROTO_UDP || protocol == icmp,
                SOCK_RAW => {
                    // Linux: protocol 0 matches no raw protocol, any other
                    // one needs CAP_NET_RAW; only ICMP is served.
                    if protocol == 0 {
                        return Err(Error::ProtocolNotSupported);
                    }
                    if !ops.credentials().has(kernel_ops::Privilege::NetRaw) {
                        return Err(Error::NotPermitted);
                    }
                    if protocol != icmp {
                        ops.log_unsupported(format_args!(
                            "linux: {call} of a raw Internet socket of protocol {protocol} (ICMP and ICMPv6 only)"
                        ));
                        return Err(Error::ProtocolNotSupported);
                    }
                    true
                }
                _ => return Err(Error::SocketTypeNotSupported),
            };
            if !ok {
                ops.log_unsupported(format_args!("linux: {call} of Internet protocol {protocol} (type {raw_type})"));
                return Err(Error::ProtocolNotSupported);
            }
            Ok(if domain == AF_INET { SocketFamily::Inet4 } else { SocketFamily::Inet6 })
        }
        AF_NETLINK => {
            // netlink_create: raw and datagram sockets only, then the
            // protocol; of the protocols only rtnetlink is served.
            if raw_type != SOCK_RAW && raw_type != SOCK_DGRAM {
                return Err(Error::SocketTypeNotSupported);
            }
            if protocol != NETLINK_ROUTE {
                if protocol < MAX_LINKS {
                    ops.log_unsupported(format_args!(
                        "linux: {call} of netlink protocol {} ({protocol}; NETLINK_ROUTE only)",
                        netlink_protocol_name(protocol)
                    ));
                }
                return Err(Error::ProtocolNotSupported);
            }
            Ok(SocketFamily::Netlink)
        }
        _ => {
            // AF_UNSPEC and numbers past AF_MAX are no family at all: no log.
            if domain != AF_UNSPEC && domain < AF_MAX {
                ops.log_unsupported(format_args!(
                    "linux: {call} of address family {domain} (AF_UNIX, AF_INET, AF_INET6, AF_NETLINK only)"
                ));
            }
            Err(Error::FamilyNotSupported)
        }
    }
}

/// The name `<linux/netlink.h>` gives a netlink protocol, for the log.
fn netlink_protocol_name(protocol: u32) -> &'static str {
    match protocol {
        1 => "NETLINK_UNUSED",
        2 => "NETLINK_USERSOCK",
        3 => "NETLINK_FIREWALL",
        4 => "NETLINK_SOCK_DIAG",
        5 => "NETLINK_NFLOG",
        6 => "NETLINK_XFRM",
        7 => "NETLINK_SELINUX",
        8 => "NETLINK_ISCSI",
        9 => "NETLINK_AUDIT",
        10 => "NETLINK_FIB_LOOKUP",
        11 => "NETLINK_CONNECTOR",
        12 => "NETLINK_NETFILTER",
        13 => "NETLINK_IP6_FW",
        14 => "NETLINK_DNRTMSG",
        15 => "NETLINK_KOBJECT_UEVENT",
        16 => "NETLINK_GENERIC",
        18 => "NETLINK_SCSITRANSPORT",
        19 => "NETLINK_ECRYPTFS",
        20 => "NETLINK_RDMA",
        21 => "NETLINK_CRYPTO",
        22 => "NETLINK_SMC",
        _ => "unnamed",
    }
}

pub fn socket(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // Linux checks the flags, then the family, then the type.
    let raw = a[1] as u32;
    if (raw & !SOCK_TYPE_MASK) & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    if a[0] as u32 >= AF_MAX {
        return Err(Error::FamilyNotSupported);
    }
    if raw & SOCK_TYPE_MASK >= SOCK_MAX {
        return Err(Error::InvalidArgument);
    }
    let family = family_and_protocol(ops, "socket", a[0], raw & SOCK_TYPE_MASK, a[2])?;
    let (mut kind, flags) = kind_and_flags(a[1])?;
    // A raw netlink or Internet socket stays raw (SO_TYPE says so);
    // AF_UNIX makes a raw socket a datagram one.
    let inet = matches!(family, SocketFamily::Inet4 | SocketFamily::Inet6);
    if (family == SocketFamily::Netlink || inet) && raw & SOCK_TYPE_MASK == SOCK_RAW {
        kind = SocketKind::Raw;
    }
    if inet && raw & SOCK_TYPE_MASK == SOCK_DGRAM && matches!(a[2] as u32, IPPROTO_ICMP | IPPROTO_ICMPV6) {
        kind = SocketKind::Ping;
    }
    Ok(ops.socket_create(family, kind, flags)? as u64)
}

pub fn socketpair(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let raw = a[1] as u32;
    if (raw & !SOCK_TYPE_MASK) & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    if family_and_protocol(ops, "socketpair", a[0], raw & SOCK_TYPE_MASK, a[2])? != SocketFamily::Local {
        return Err(Error::NotSupported); // Internet sockets come in no pairs
    }
    let (kind, flags) = kind_and_flags(a[1])?;
    let (x, y) = ops.socket_pair(kind, flags)?;
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&x.to_le_bytes());
    b[4..].copy_from_slice(&y.to_le_bytes());
    if let Err(e) = ops.copy_out(a[3], &b) {
        let _ = ops.close(x);
        let _ = ops.close(y);
        return Err(e);
    }
    Ok(0)
}

/// Copies in a socket address of `len` bytes (`move_addr_to_kernel`).
fn read_address(ops: &mut dyn KernelOps, addr: u64, len: u64) -> KResult<Vec<u8>> {
    let len = len as i32;
    if len < 0 || len as usize > SOCKADDR_STORAGE_SIZE {
        return Err(Error::InvalidArgument);
    }
    let mut b = alloc::vec![0u8; len as usize];
    if len > 0 {
        ops.copy_in(addr, &mut b)?;
    }
    Ok(b)
}

fn neutral(addr: UnixAddr<'_>) -> SocketAddress {
    match addr {
        UnixAddr::Unnamed => SocketAddress::Unnamed,
        UnixAddr::Path(p) => SocketAddress::Path(p.to_vec()),
        UnixAddr::Abstract(n) => SocketAddress::Abstract(n.to_vec()),
    }
}

fn encoded(addr: &SocketAddress) -> ([u8; SOCKADDR_UN_MAX_REPORTED], usize) {
    if let SocketAddress::Netlink { port, groups } = *addr {
        let bytes = encode_nl(&NetlinkAddr { pid: port, groups });
        let mut out = [0u8; SOCKADDR_UN_MAX_REPORTED];
        out[..bytes.len()].copy_from_slice(&bytes);
        return (out, bytes.len());
    }
    if let SocketAddress::Inet(inet) = addr {
        let (bytes, n) = encode_inet(&linux_inet(inet));
        let mut out = [0u8; SOCKADDR_UN_MAX_REPORTED];
        out[..n].copy_from_slice(&bytes[..n]);
        return (out, n);
    }
    encode_address(match addr {
        SocketAddress::Unnamed | SocketAddress::Inet(_) | SocketAddress::Netlink { .. } => UnixAddr::Unnamed,
        SocketAddress::Path(p) => UnixAddr::Path(p),
        SocketAddress::Abstract(n) => UnixAddr::Abstract(n),
    })
}

fn linux_inet(a: &InetAddress) -> InetAddr {
    match *a {
        InetAddress::V4 { addr, port } => InetAddr::V4 { addr, port },
        InetAddress::V6 { addr, port, flow_info, scope_id } => InetAddr::V6 { addr, port, flow_info, scope_id },
    }
}

fn neutral_inet(a: InetAddr) -> SocketAddress {
    SocketAddress::Inet(match a {
        InetAddr::V4 { addr, port } => InetAddress::V4 { addr, port },
        InetAddr::V6 { addr, port, flow_info, scope_id } => InetAddress::V6 { addr, port, flow_info, scope_id },
    })
}

/// An address for an Internet socket of `family`, by Linux's rules: too
/// short is EINVAL, another family EAFNOSUPPORT. `unspec_any`: bind's
/// and sendto's tolerance of AF_UNSPEC on IPv4 sockets.
fn inet_address(family: SocketFamily, raw: &[u8], unspec_any: bool) -> KResult<SocketAddress> {
    let parsed = match family {
        SocketFamily::Inet4 => parse_in(raw, unspec_any),
        _ => parse_in6(raw),
    };
    parsed.map(neutral_inet).map_err(|e| match e {
        InetAddrError::TooShort => Error::InvalidArgument,
        InetAddrError::WrongFamily => Error::FamilyNotSupported,
    })
}

/// A netlink address (`bind`, `connect`, `sendto`): too short or of
/// another family is EINVAL, as netlink_bind and netlink_sendmsg check.
fn netlink_address(raw: &[u8]) -> KResult<SocketAddress> {
    let a = parse_nl(raw).map_err(|_| Error::InvalidArgument)?;
    Ok(SocketAddress::Netlink { port: a.pid, groups: a.groups })
}

/// The address `connect`/`sendto` pass, for a socket of `family`.
fn target_address(family: SocketFamily, raw: &[u8]) -> KResult<SocketAddress> {
    match family {
        SocketFamily::Local => Ok(neutral(connect_address(raw).map_err(|_| Error::InvalidArgument)?)),
        SocketFamily::Netlink => netlink_address(raw),
        inet => inet_address(inet, raw, true),
    }
}

/// `move_addr_to_user`: up to `*len_ptr` bytes of the address, and its
/// real length in `*len_ptr`. Nothing when `addr` is 0.
fn write_address(ops: &mut dyn KernelOps, addr: u64, len_ptr: u64, bytes: &[u8]) -> KResult<()> {
    if addr == 0 {
        return Ok(());
    }
    let mut l = [0u8; 4];
    ops.copy_in(len_ptr, &mut l)?;
    let room = i32::from_le_bytes(l);
    if room < 0 {
        return Err(Error::InvalidArgument);
    }
    let n = (room as usize).min(bytes.len());
    if n > 0 {
        ops.copy_out(addr, &bytes[..n])?;
    }
    ops.copy_out(len_ptr, &(bytes.len() as u32).to_le_bytes())
}

/// The first port anyone may bind (Linux's default
/// net.ipv4.ip_unprivileged_port_start).
const PRIVILEGED_PORTS_END: u16 = 1024;

pub fn bind(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let info = ops.socket_info(fd(a[0]))?;
    let family = info.family;
    let raw = read_address(ops, a[1], a[2])?;
    let addr = match family {
        SocketFamily::Local => neutral(bind_address(&raw).map_err(|_| Error::InvalidArgument)?),
        SocketFamily::Netlink => netlink_address(&raw)?,
        inet => inet_address(inet, &raw, true)?,
    };
    // Ports below 1024 (net.ipv4.ip_unprivileged_port_start) need
    // CAP_NET_BIND_SERVICE, as on Linux. A ping socket's port is its echo
    // identifier and a raw socket's is ignored: neither is privileged.
    let ports = !matches!(info.kind, SocketKind::Ping | SocketKind::Raw);
    if let (true, SocketAddress::Inet(InetAddress::V4 { port, .. } | InetAddress::V6 { port, .. })) = (ports, &addr) {
        let port = *port;
        if (1..PRIVILEGED_PORTS_END).contains(&port) && !ops.credentials().has(kernel_ops::Privilege::NetBindService) {
            return Err(Error::PermissionDenied);
        }
    }
    ops.socket_bind(fd(a[0]), &addr).map(|_| 0)
}

pub fn listen(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // A negative backlog is a huge unsigned one: the maximum.
    ops.socket_listen(fd(a[0]), a[1] as u32).map(|_| 0)
}

pub fn connect(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let info = ops.socket_info(fd(a[0]))?;
    let raw = read_address(ops, a[1], a[2])?;
    let unspec = raw.len() >= 2 && sockaddr_family(&raw) == Some(AF_UNSPEC as u16);
    // AF_UNSPEC dissolves an association: a datagram socket's peer, an
    // Internet stream's connection.
    if unspec && (info.kind == SocketKind::Datagram || info.family != SocketFamily::Local) {
        return ops.socket_connect(fd(a[0]), None, false).map(|_| 0);
    }
    let addr = match info.family {
        SocketFamily::Local => neutral(connect_address(&raw).map_err(|_| Error::InvalidArgument)?),
        SocketFamily::Netlink => netlink_address(&raw)?,
        inet => inet_address(inet, &raw, false)?,
    };
    ops.socket_connect(fd(a[0]), Some(&addr), false).map(|_| 0)
}

fn do_accept(ops: &mut dyn KernelOps, a: [u64; 6], flags: u64) -> KResult<u64> {
    let flags = flags as u32;
    if flags & !(SOCK_NONBLOCK | SOCK_CLOEXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    let f = DescriptorFlags { close_on_exec: flags & SOCK_CLOEXEC != 0, non_blocking: flags & SOCK_NONBLOCK != 0 };
    let (new, peer) = ops.socket_accept(fd(a[0]), f)?;
    let (bytes, n) = encoded(&peer);
    if let Err(e) = write_address(ops, a[1], a[2], &bytes[..n]) {
        let _ = ops.close(new);
        return Err(e);
    }
    Ok(new as u64)
}

pub fn accept(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    do_accept(ops, a, 0)
}

pub fn accept4(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    do_accept(ops, a, a[3])
}

pub fn shutdown(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let how = a[1] as u32;
    ops.socket_info(fd(a[0]))?;
    if how > SHUT_RDWR {
        return Err(Error::InvalidArgument);
    }
    ops.socket_shutdown(fd(a[0]), how != SHUT_WR, how != SHUT_RD).map(|_| 0)
}

fn name(ops: &mut dyn KernelOps, a: [u64; 6], peer: bool) -> KResult<u64> {
    let addr = ops.socket_address(fd(a[0]), peer)?;
    let (bytes, n) = encoded(&addr);
    if a[1] == 0 {
        // move_addr_to_user with a NULL buffer: the length is still read
        // and checked, and written back when it asked for no bytes.
        let mut l = [0u8; 4];
        ops.copy_in(a[2], &mut l)?;
        return match i32::from_le_bytes(l) {
            r if r < 0 => Err(Error::InvalidArgument),
            0 => ops.copy_out(a[2], &(n as u32).to_le_bytes()).map(|_| 0),
            _ => Err(Error::Fault),
        };
    }
    write_address(ops, a[1], a[2], &bytes[..n]).map(|_| 0)
}

pub fn getsockname(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    name(ops, a, false)
}

pub fn getpeername(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    name(ops, a, true)
}

/// The user buffers of an iovec array as (address, length) pairs.
fn segments(ops: &mut dyn KernelOps, addr: u64, count: u64) -> KResult<Vec<(u64, usize)>> {
    if count > UIO_MAXIOV as u64 {
        return Err(Error::MessageTooLong);
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    let mut bytes = crate::util::buffer(count as usize * Iovec::SIZE)?;
    ops.copy_in(addr, &mut bytes)?;
    let list: Vec<Iovec> = linux_abi::iovec::iovecs(&bytes).ok_or(Error::Fault)?.collect();
    if linux_abi::iovec::total_len(list.iter().copied()).is_none() {
        return Err(Error::InvalidArgument);
    }
    Ok(list.iter().map(|v| (v.iov_base, v.iov_len as usize)).collect())
}

/// The socket a message goes out on.
#[derive(Clone, Copy)]
struct Sender {
    fd: i32,
    family: SocketFamily,
    kind: SocketKind,
}

fn sender(ops: &mut dyn KernelOps, sock: u64) -> KResult<Sender> {
    let info = ops.socket_info(fd(sock))?;
    Ok(Sender { fd: fd(sock), family: info.family, kind: info.kind })
}

/// One message out: `name` (address bytes) and `control` as given.
fn send_one(
    ops: &mut dyn KernelOps,
    sock: Sender,
    data: &[(u64, usize)],
    name: Option<Vec<u8>>,
    control: &[u8],
    flags: u32,
) -> KResult<usize> {
    let control = parse_control(control).map_err(|_| Error::InvalidArgument)?;
    let inet = sock.family != SocketFamily::Local;
    if flags & MSG_OOB != 0 {
        return Err(Error::NotSupported);
    }
    // Descriptors and credentials travel on local sockets only
    // (__sock_cmsg_send knows neither).
    if inet && (!control.rights.is_empty() || control.credentials.is_some()) {
        return Err(Error::InvalidArgument);
    }
    let to = match name {
        // TCP ignores a destination (tcp_sendmsg never reads msg_name).
        Some(_) if inet && sock.kind == SocketKind::Stream => None,
        Some(raw) => Some(target_address(sock.family, &raw)?),
        None => None,
    };
    let credentials = control.credentials.map(|c| PeerCredentials { pid: c.pid as u32, uid: c.uid, gid: c.gid });
    let request = SendRequest {
        data,
        to: to.as_ref(),
        rights: &control.rights,
        credentials,
        non_blocking: flags & MSG_DONTWAIT != 0,
        no_signal: flags & MSG_NOSIGNAL != 0,
        more: flags & MSG_MORE != 0,
    };
    ops.socket_send(sock.fd, &request)
}

pub fn sendto(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let sock = sender(ops, a[0])?;
    let name = if a[4] != 0 && a[5] as u32 != 0 { Some(read_address(ops, a[4], a[5])?) } else { None };
    let len = a[2].min(i32::MAX as u64) as usize;
    Ok(send_one(ops, sock, &[(a[1], len)], name, &[], a[3] as u32)? as u64)
}

/// Reads a msghdr and sends it.
fn send_msghdr(ops: &mut dyn KernelOps, sock: Sender, addr: u64, flags: u32) -> KResult<usize> {
    let mut b = [0u8; Msghdr::SIZE];
    ops.copy_in(addr, &mut b)?;
    let m = Msghdr::from_bytes(&b).ok_or(Error::Fault)?;
    if m.msg_controllen > i32::MAX as u64 || m.msg_controllen as usize > OPTMEM_MAX {
        return Err(Error::NoBufferSpace);
    }
    let data = segments(ops, m.msg_iov, m.msg_iovlen)?;
    let name = if m.msg_name != 0 && m.msg_namelen != 0 {
        Some(read_address(ops, m.msg_name, u64::from(m.msg_namelen))?)
    } else {
        None
    };
    let mut control = alloc::vec![0u8; m.msg_controllen as usize];
    if !control.is_empty() {
        ops.copy_in(m.msg_control, &mut control)?;
    }
    send_one(ops, sock, &data, name, &control, flags)
}

pub fn sendmsg(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    no_compat_flag(a[2])?;
    let sock = sender(ops, a[0])?;
    Ok(send_msghdr(ops, sock, a[1], a[2] as u32)? as u64)
}

pub fn sendmmsg(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    no_compat_flag(a[3])?;
    let sock = sender(ops, a[0])?;
    let count = (a[2] as u32).min(UIO_MAXIOV as u32) as u64;
    let mut sent = 0u64;
    for i in 0..count {
        let at = a[1].wrapping_add(i * MMSGHDR_SIZE as u64);
        match send_msghdr(ops, sock, at, a[3] as u32) {
            Ok(n) => {
                ops.copy_out(at + MMSGHDR_OFF_LEN as u64, &(n as u32).to_le_bytes())?;
                sent += 1;
            }
            Err(e) if sent == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(sent)
}

/// What a receive hands back to its caller.
struct Got {
    result: usize,
    name: Option<([u8; SOCKADDR_UN_MAX_REPORTED], usize)>,
    control: Vec<u8>,
    flags: u32,
}

fn receive_one(
    ops: &mut dyn KernelOps,
    sock: i32,
    kind: SocketKind,
    data: &[(u64, usize)],
    control_room: usize,
    flags: u32,
) -> KResult<Got> {
    if flags & MSG_OOB != 0 {
        // Linux: a stream socket has no out-of-band byte waiting (EINVAL);
        // datagram and seqpacket sockets have no such thing (EOPNOTSUPP).
        return Err(if kind == SocketKind::Stream { Error::InvalidArgument } else { Error::NotSupported });
    }
    if flags & MSG_ERRQUEUE != 0 {
        return Err(Error::WouldBlock); // local sockets queue no errors
    }
    let request = ReceiveRequest {
        data,
        peek: flags & MSG_PEEK != 0,
        wait_all: flags & MSG_WAITALL != 0,
        non_blocking: flags & MSG_DONTWAIT != 0,
        close_on_exec: flags & MSG_CMSG_CLOEXEC != 0,
    };
    let fd_room = |credentials: bool| {
        let mut w = ControlWriter::new(control_room);
        if credentials {
            w.put_credentials(&Ucred::default());
        }
        w.fd_room()
    };
    let r = ops.socket_receive(sock, &request, &fd_room)?;
    let mut w = ControlWriter::new(control_room);
    if let Some(c) = r.credentials {
        w.put_credentials(&Ucred { pid: c.pid as i32, uid: c.uid, gid: c.gid });
    }
    if r.rights_offered > 0 {
        w.put_rights(&r.rights, r.rights_offered);
    }
    if let Some(hops) = r.hop_limit {
        let info = ops.socket_info(sock)?;
        for (level, kind) in super::inet_options::hop_limit_messages(&info) {
            w.put(level, kind, &i32::from(hops).to_le_bytes());
        }
    }
    let mut out_flags = 0;
    if r.length > r.copied {
        out_flags |= MSG_TRUNC;
    }
    if w.truncated {
        out_flags |= MSG_CTRUNC;
    }
    // MSG_TRUNC asks for the whole length, except of a ping socket
    // (Linux's ping_recvmsg returns what it copied regardless).
    let result = if flags & MSG_TRUNC != 0 && kind != SocketKind::Ping { r.length } else { r.copied };
    Ok(Got { result, name: r.from.as_ref().map(encoded), control: w.bytes, flags: out_flags })
}

pub fn recvfrom(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let kind = ops.socket_info(fd(a[0]))?.kind;
    let len = a[2].min(i32::MAX as u64) as usize;
    let got = receive_one(ops, fd(a[0]), kind, &[(a[1], len)], 0, a[3] as u32)?;
    if a[4] != 0 {
        match &got.name {
            Some((b, n)) => write_address(ops, a[4], a[5], &b[..*n])?,
            None => write_address(ops, a[4], a[5], &[])?,
        }
    }
    Ok(got.result as u64)
}

/// Receives into a msghdr and writes back its name length, control
/// length and flags.
fn receive_msghdr(ops: &mut dyn KernelOps, sock: i32, kind: SocketKind, addr: u64, flags: u32) -> KResult<usize> {
    let mut b = [0u8; Msghdr::SIZE];
    ops.copy_in(addr, &mut b)?;
    let m = Msghdr::from_bytes(&b).ok_or(Error::Fault)?;
    if (m.msg_namelen as i32) < 0 {
        return Err(Error::InvalidArgument);
    }
    let data = segments(ops, m.msg_iov, m.msg_iovlen)?;
    let room = if m.msg_control == 0 { 0 } else { m.msg_controllen.min(i32::MAX as u64) as usize };
    let got = receive_one(ops, sock, kind, &data, room, flags)?;
    let mut namelen = 0u32;
    if let (Some((bytes, n)), true) = (&got.name, m.msg_name != 0) {
        let copy = (*n).min(m.msg_namelen as usize);
        ops.copy_out(m.msg_name, &bytes[..copy])?;
        namelen = *n as u32;
    }
    if !got.control.is_empty() {
        ops.copy_out(m.msg_control, &got.control)?;
    }
    ops.copy_out(addr + Msghdr::OFF_NAMELEN as u64, &namelen.to_le_bytes())?;
    ops.copy_out(addr + Msghdr::OFF_CONTROLLEN as u64, &(got.control.len() as u64).to_le_bytes())?;
    ops.copy_out(addr + Msghdr::OFF_FLAGS as u64, &got.flags.to_le_bytes())?;
    Ok(got.result)
}

pub fn recvmsg(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    no_compat_flag(a[2])?;
    let kind = ops.socket_info(fd(a[0]))?.kind;
    Ok(receive_msghdr(ops, fd(a[0]), kind, a[1], a[2] as u32)? as u64)
}

pub fn recvmmsg(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    no_compat_flag(a[3])?;
    let kind = ops.socket_info(fd(a[0]))?.kind;
    // As on Linux, the timeout is only looked at after each message.
    let deadline = if a[4] != 0 {
        let t = read_timespec(ops, a[4])?;
        Some(ops.clock(kernel_ops::Clock::Monotonic)?.saturating_add(t.to_nanos().unwrap_or(u64::MAX)))
    } else {
        None
    };
    let count = (a[2] as u32).min(UIO_MAXIOV as u32) as u64;
    let mut flags = a[3] as u32;
    let mut got = 0u64;
    for i in 0..count {
        let at = a[1].wrapping_add(i * MMSGHDR_SIZE as u64);
        match receive_msghdr(ops, fd(a[0]), kind, at, flags & !MSG_WAITFORONE) {
            Ok(n) => {
                ops.copy_out(at + MMSGHDR_OFF_LEN as u64, &(n as u32).to_le_bytes())?;
                got += 1;
            }
            Err(e) if got == 0 => return Err(e),
            Err(_) => break,
        }
        if flags & MSG_WAITFORONE != 0 {
            flags |= MSG_DONTWAIT;
        }
        if deadline.is_some_and(|d| ops.clock(kernel_ops::Clock::Monotonic).is_ok_and(|now| now >= d)) {
            break;
        }
    }
    Ok(got)
}

pub(super) fn timeval_of(ns: Option<u64>) -> [u8; 16] {
    let ns = ns.unwrap_or(0);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&((ns / 1_000_000_000) as i64).to_le_bytes());
    b[8..].copy_from_slice(&((ns % 1_000_000_000 / 1000) as i64).to_le_bytes());
    b
}

pub fn getsockopt(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let sock = fd(a[0]);
    let info = ops.socket_info(sock)?;
    if info.family == SocketFamily::Netlink && a[1] as u32 != SOL_SOCKET {
        return super::netlink_options::get(ops, sock, a[1] as u32, a[2] as u32, a[3], a[4]);
    }
    // A netlink socket's SOL_SOCKET options are the core's, as a local
    // socket's.
    let local = matches!(info.family, SocketFamily::Local | SocketFamily::Netlink);
    if local && a[1] as u32 != SOL_SOCKET {
        return Err(Error::NotSupported);
    }
    let mut l = [0u8; 4];
    ops.copy_in(a[4], &mut l)?;
    let room = i32::from_le_bytes(l);
    if room < 0 {
        return Err(Error::InvalidArgument);
    }
    if !local {
        let value = super::inet_options::get(ops, sock, &info, a[1] as u32, a[2] as u32)?;
        let n = (room as usize).min(value.len());
        ops.copy_out(a[3], &value[..n])?;
        ops.copy_out(a[4], &(n as u32).to_le_bytes())?;
        return Ok(0);
    }
    let remembered = |key: u32| info.remembered.iter().find(|(k, _)| *k == key).map_or(0, |e| e.1);
    let int = |v: u32| v.to_le_bytes().to_vec();
    let value: Vec<u8> = match a[2] as u32 {
        SO_TYPE => int(match info.kind {
            SocketKind::Stream => SOCK_STREAM,
            SocketKind::Datagram => SOCK_DGRAM,
            SocketKind::SeqPacket => SOCK_SEQPACKET,
            SocketKind::Raw => SOCK_RAW,
            SocketKind::Ping => SOCK_DGRAM,
        }),
        SO_ERROR => int(ops.socket_take_error(sock)?.map_or(0, |e| crate::errno_of(e) as u32)),
        SO_PEERCRED => match info.peer_credentials {
            Some(c) => Ucred { pid: c.pid as i32, uid: c.uid, gid: c.gid }.to_bytes().to_vec(),
            None => Ucred { pid: 0, uid: u32::MAX, gid: u32::MAX }.to_bytes().to_vec(),
        },
        SO_SNDBUF => int(info.send_buffer),
        SO_RCVBUF => int(info.receive_buffer),
        SO_PASSCRED => int(info.pass_credentials as u32),
        SO_ACCEPTCONN => int(info.listening as u32),
        SO_DOMAIN => int(if info.family == SocketFamily::Netlink { AF_NETLINK } else { AF_UNIX }),
        // AF_UNIX's only protocol and NETLINK_ROUTE are both 0.
        SO_PROTOCOL => int(0),
        SO_RCVTIMEO_OLD => timeval_of(info.receive_timeout).to_vec(),
        SO_SNDTIMEO_OLD => timeval_of(info.send_timeout).to_vec(),
        SO_LINGER => remembered(SO_LINGER).to_le_bytes().to_vec(),
        SO_RCVLOWAT | SO_SNDLOWAT => int(remembered(a[2] as u32).max(1) as u32),
        SO_REUSEADDR | SO_KEEPALIVE | SO_OOBINLINE | SO_PRIORITY | SO_BROADCAST | SO_DONTROUTE | SO_DEBUG
        | SO_REUSEPORT | SO_NO_CHECK => int(remembered(a[2] as u32) as u32),
        other => {
            ops.log_unsupported(format_args!(
                "linux: getsockopt SOL_SOCKET option {other} on a {:?} socket",
                info.family
            ));
            return Err(Error::NoSuchOption);
        }
    };
    let n = (room as usize).min(value.len());
    ops.copy_out(a[3], &value[..n])?;
    ops.copy_out(a[4], &(n as u32).to_le_bytes())?;
    Ok(0)
}

pub fn setsockopt(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let sock = fd(a[0]);
    let info = ops.socket_info(sock)?;
    if info.family == SocketFamily::Netlink && a[1] as u32 != SOL_SOCKET {
        return super::netlink_options::set(ops, sock, a[1] as u32, a[2] as u32, a[3], a[4]).map(|_| 0);
    }
    let local = matches!(info.family, SocketFamily::Local | SocketFamily::Netlink);
    if local && a[1] as u32 != SOL_SOCKET {
        return Err(Error::NotSupported);
    }
    let len = a[4] as i32;
    if len < 0 {
        return Err(Error::InvalidArgument);
    }
    let option = a[2] as u32;
    // Buffers and timeouts are the core's for every socket; the rest of an
    // Internet socket's options are in inet_options.rs.
    let common = a[1] as u32 == SOL_SOCKET
        && matches!(
            option,
            SO_SNDBUF | SO_SNDBUFFORCE | SO_RCVBUF | SO_RCVBUFFORCE | SO_RCVTIMEO_OLD | SO_SNDTIMEO_OLD
        );
    if !local && !common {
        // The largest option read is a `struct group_req` (136 bytes);
        // longer values are cut, as Linux reads only what it needs.
        let mut value = alloc::vec![0u8; (len as usize).min(256)];
        if !value.is_empty() {
            ops.copy_in(a[3], &mut value)?;
        }
        return super::inet_options::set(ops, sock, &info, a[1] as u32, option, &value).map(|_| 0);
    }
    let read_int = |ops: &mut dyn KernelOps| -> KResult<i32> {
        if (len as usize) < 4 {
            return Err(Error::InvalidArgument);
        }
        let mut b = [0u8; 4];
        ops.copy_in(a[3], &mut b)?;
        Ok(i32::from_le_bytes(b))
    };
    // SO_*BUFFORCE: past the system's limits with CAP_NET_ADMIN.
    let privileged = ops.credentials().has(kernel_ops::Privilege::NetAdmin);
    let setting = match option {
        SO_SNDBUF | SO_SNDBUFFORCE | SO_RCVBUF | SO_RCVBUFFORCE => {
            let v = read_int(ops)?;
            let force = matches!(option, SO_SNDBUFFORCE | SO_RCVBUFFORCE);
            if force && !privileged {
                return Err(Error::NotPermitted);
            }
            if matches!(option, SO_SNDBUF | SO_SNDBUFFORCE) {
                SocketSetting::SendBuffer(effective(v, MIN_SNDBUF, force))
            } else {
                SocketSetting::ReceiveBuffer(effective(v, MIN_RCVBUF, force))
            }
        }
        SO_PASSCRED => SocketSetting::PassCredentials(read_int(ops)? != 0),
        SO_RCVTIMEO_OLD | SO_SNDTIMEO_OLD => {
            if (len as usize) < 16 {
                return Err(Error::InvalidArgument);
            }
            let mut b = [0u8; 16];
            ops.copy_in(a[3], &mut b)?;
            let sec = i64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
            let usec = i64::from_le_bytes(b[8..].try_into().unwrap_or([0; 8]));
            if !(0..1_000_000).contains(&usec) {
                return Err(Error::OutOfDomain);
            }
            let timeout = if sec < 0 {
                Some(0) // never waits, as Linux's zero timeout
            } else if sec == 0 && usec == 0 {
                None
            } else {
                Some((sec as u64).saturating_mul(1_000_000_000).saturating_add(usec as u64 * 1000))
            };
            if option == SO_RCVTIMEO_OLD {
                SocketSetting::ReceiveTimeout(timeout)
            } else {
                SocketSetting::SendTimeout(timeout)
            }
        }
        SO_LINGER => {
            if (len as usize) < 8 {
                return Err(Error::InvalidArgument);
            }
            let mut b = [0u8; 8];
            ops.copy_in(a[3], &mut b)?;
            SocketSetting::Remember { key: SO_LINGER, value: u64::from_le_bytes(b) }
        }
        SO_RCVLOWAT | SO_PRIORITY => {
            let v = read_int(ops)?;
            SocketSetting::Remember { key: option, value: u64::from(v.max(0) as u32) }
        }
        SO_REUSEADDR | SO_KEEPALIVE | SO_OOBINLINE | SO_BROADCAST | SO_DONTROUTE | SO_DEBUG | SO_REUSEPORT
        | SO_NO_CHECK => SocketSetting::Remember { key: option, value: u64::from(read_int(ops)? != 0) },
        SO_TYPE | SO_ERROR | SO_PEERCRED | SO_ACCEPTCONN | SO_DOMAIN | SO_PROTOCOL | SO_SNDLOWAT => {
            return Err(Error::NoSuchOption)
        }
        other => {
            ops.log_unsupported(format_args!(
                "linux: setsockopt SOL_SOCKET option {other} on a {:?} socket",
                info.family
            ));
            return Err(Error::NoSuchOption);
        }
    };
    ops.set_socket_setting(sock, setting).map(|_| 0)
}
