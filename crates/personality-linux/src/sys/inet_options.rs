//! getsockopt/setsockopt on Internet sockets: SOL_SOCKET, IPPROTO_TCP,
//! IPPROTO_IP and IPPROTO_IPV6, and on raw ICMP sockets SOL_RAW and
//! IPPROTO_ICMPV6, onto the core's socket settings and the network
//! server's options (`InetOption`).
//!
//! Options that change what the network does are the server's; the
//! settings the core keeps for every socket (buffers, timeouts) are the
//! core's; hints with no effect on a correct program (IP_TOS,
//! TCP_QUICKACK...) are remembered so a program reads back what it set.

use alloc::vec::Vec;
use kernel_ops::{Error, InetOption, KResult, KernelOps, SocketFamily, SocketInfo, SocketKind, SocketSetting};
use linux_abi::inet::*;
use linux_abi::socket::*;

/// The key a remembered non-SOL_SOCKET option is kept under.
fn key(level: u32, option: u32) -> u32 {
    (level << 16) | option
}

fn int(v: u64) -> Vec<u8> {
    (v as u32).to_le_bytes().to_vec()
}

fn remembered(info: &SocketInfo, key: u32) -> Option<u64> {
    info.remembered.iter().find(|(k, _)| *k == key).map(|e| e.1)
}

/// The protocol number SO_PROTOCOL reports.
fn protocol(info: &SocketInfo) -> u32 {
    match (info.kind, info.family) {
        (SocketKind::Stream, _) => IPPROTO_TCP,
        (SocketKind::Ping | SocketKind::Raw, SocketFamily::Inet6) => IPPROTO_ICMPV6,
        (SocketKind::Ping | SocketKind::Raw, _) => IPPROTO_ICMP,
        _ => IPPROTO_UDP,
    }
}

/// A raw socket's ICMP filter is kept by the personality too (for
/// getsockopt), as two words under each of these keys.
fn filter_key(word_pair: u32) -> u32 {
    key(SOL_RAW, 0x100 + word_pair)
}

fn icmp_filter(info: &SocketInfo) -> [u32; 8] {
    let mut words = [0u32; 8];
    for pair in 0..4 {
        let v = remembered(info, filter_key(pair as u32)).unwrap_or(0);
        words[pair * 2] = v as u32;
        words[pair * 2 + 1] = (v >> 32) as u32;
    }
    words
}

/// The control messages (level, type) a received message's TTL or hop
/// limit goes into, as the socket asked: IP_RECVTTL gives IP_TTL,
/// IPV6_RECVHOPLIMIT IPV6_HOPLIMIT, IPV6_2292HOPLIMIT its own number.
/// The server reports the hop limit for ICMP sockets only.
pub fn hop_limit_messages(info: &SocketInfo) -> Vec<(i32, i32)> {
    let on = |level: u32, option: u32| remembered(info, key(level, option)).is_some_and(|v| v != 0);
    let mut out = Vec::new();
    if info.family == SocketFamily::Inet4 && on(IPPROTO_IP, IP_RECVTTL) {
        out.push((IPPROTO_IP as i32, IP_TTL as i32));
    }
    if info.family == SocketFamily::Inet6 {
        if on(IPPROTO_IPV6, IPV6_RECVHOPLIMIT) {
            out.push((IPPROTO_IPV6 as i32, IPV6_HOPLIMIT as i32));
        }
        if on(IPPROTO_IPV6, IPV6_2292HOPLIMIT) {
            out.push((IPPROTO_IPV6 as i32, IPV6_2292HOPLIMIT as i32));
        }
    }
    out
}

/// The option's value, as the bytes getsockopt returns.
pub fn get(ops: &mut dyn KernelOps, sock: i32, info: &SocketInfo, level: u32, option: u32) -> KResult<Vec<u8>> {
    let stream = info.kind == SocketKind::Stream;
    let raw = info.kind == SocketKind::Raw;
    let v6 = info.family == SocketFamily::Inet6;
    let server = |ops: &mut dyn KernelOps, o: InetOption| ops.socket_inet_option(sock, o);
    let kept = |k: u32, default: u64| remembered(info, k).unwrap_or(default);
    Ok(match (level, option) {
        (SOL_SOCKET, SO_TYPE) => int(u64::from(match info.kind {
            SocketKind::Stream => SOCK_STREAM,
            SocketKind::Raw => SOCK_RAW,
            _ => SOCK_DGRAM,
        })),
        (SOL_SOCKET, SO_DOMAIN) => int(u64::from(if v6 { AF_INET6 } else { AF_INET })),
        (SOL_SOCKET, SO_PROTOCOL) => int(u64::from(protocol(info))),
        (SOL_SOCKET, SO_ERROR) => int(ops.socket_take_error(sock)?.map_or(0, |e| crate::errno_of(e) as u64)),
        (SOL_SOCKET, SO_SNDBUF) => int(u64::from(info.send_buffer)),
        (SOL_SOCKET, SO_RCVBUF) => int(u64::from(info.receive_buffer)),
        (SOL_SOCKET, SO_ACCEPTCONN) => int(u64::from(info.listening)),
        (SOL_SOCKET, SO_RCVTIMEO_OLD) => super::socket::timeval_of(info.receive_timeout).to_vec(),
        (SOL_SOCKET, SO_SNDTIMEO_OLD) => super::socket::timeval_of(info.send_timeout).to_vec(),
        (SOL_SOCKET, SO_REUSEADDR) => int(server(ops, InetOption::ReuseAddress)?),
        (SOL_SOCKET, SO_REUSEPORT) => int(server(ops, InetOption::ReusePort)?),
        (SOL_SOCKET, SO_KEEPALIVE) => int(server(ops, InetOption::KeepAlive)?),
        (SOL_SOCKET, SO_BROADCAST) => int(server(ops, InetOption::Broadcast)?),
        (SOL_SOCKET, SO_LINGER) => {
            let l = server(ops, InetOption::Linger)?;
            let mut b = Vec::with_capacity(8);
            b.extend_from_slice(&u32::from(l != 0).to_le_bytes());
            b.extend_from_slice(&(l.saturating_sub(1) as u32).to_le_bytes());
            b
        }
        (SOL_SOCKET, SO_PEERCRED) => Ucred { pid: 0, uid: u32::MAX, gid: u32::MAX }.to_bytes().to_vec(),
        (SOL_SOCKET, SO_RCVLOWAT | SO_SNDLOWAT) => int(kept(option, 1).max(1)),
        (SOL_SOCKET, SO_OOBINLINE | SO_PRIORITY | SO_DONTROUTE | SO_DEBUG | SO_NO_CHECK | SO_PASSCRED) => {
            int(kept(option, 0))
        }
        // A level the socket's protocols do not have. An IPv4 socket's
        // last resort is Linux's ip_getsockopt, which answers EOPNOTSUPP
        // (TCP on a UDP socket, IPv6 on an IPv4 one, level 500); an IPv6
        // socket's is ipv6_getsockopt, which answers ENOPROTOOPT.
        (l, _)
            if !(l == SOL_SOCKET
                || l == IPPROTO_IP
                || (l == IPPROTO_TCP && stream)
                || (l == IPPROTO_UDP && info.kind == SocketKind::Datagram)
                || (l == SOL_RAW && raw)
                || (l == IPPROTO_ICMPV6 && raw && v6)
                || (l == IPPROTO_IPV6 && v6)) =>
        {
            return Err(if v6 { Error::NoSuchOption } else { Error::NotSupported });
        }
        (IPPROTO_TCP, TCP_NODELAY) => int(server(ops, InetOption::NoDelay)?),
        (IPPROTO_TCP, TCP_CORK) => int(server(ops, InetOption::Cork)?),
        (IPPROTO_UDP, UDP_CORK) if info.kind == SocketKind::Datagram => int(server(ops, InetOption::Cork)?),
        (IPPROTO_TCP, TCP_KEEPIDLE) => int(server(ops, InetOption::KeepIdle)?),
        (IPPROTO_TCP, TCP_KEEPINTVL) => int(server(ops, InetOption::KeepInterval)?),
        (IPPROTO_TCP, TCP_KEEPCNT) => int(server(ops, InetOption::KeepCount)?),
        (IPPROTO_TCP, TCP_INFO) => {
            let mut b = alloc::vec![0u8; TCP_INFO_SIZE];
            b[0] = server(ops, InetOption::TcpState)? as u8;
            b
        }
        // What Linux reports before a connection has a path (TCP_MSS_DEFAULT).
        (IPPROTO_TCP, TCP_MAXSEG) => int(kept(key(level, option), 536)),
        (IPPROTO_TCP, TCP_CONGESTION) => {
            let mut b = alloc::vec![0u8; 16];
            b[..5].copy_from_slice(b"cubic");
            b
        }
        (IPPROTO_TCP, TCP_SYNCNT) => int(kept(key(level, option), 6)),
        (
            IPPROTO_TCP,
            TCP_LINGER2 | TCP_DEFER_ACCEPT | TCP_WINDOW_CLAMP | TCP_QUICKACK | TCP_USER_TIMEOUT | TCP_FASTOPEN
            | TCP_NOTSENT_LOWAT,
        ) => int(kept(key(level, option), 0)),
        (IPPROTO_IP, IP_TTL) => int(server(ops, InetOption::TimeToLive)?),
        // ip_getsockopt: IP_HDRINCL on a raw socket only.
        (IPPROTO_IP, IP_HDRINCL) if raw && !v6 => int(server(ops, InetOption::HeaderIncluded)?),
        (IPPROTO_IP, IP_HDRINCL) => return Err(Error::NoSuchOption),
        (SOL_RAW, ICMP_FILTER) if raw && !v6 => icmp_filter(info)[0].to_le_bytes().to_vec(),
        (SOL_RAW, IPV6_CHECKSUM) if raw && v6 => int(kept(key(level, option), 2)),
        (IPPROTO_ICMPV6, ICMP6_FILTER) if raw && v6 => icmp_filter(info).iter().flat_map(|w| w.to_le_bytes()).collect(),
        (IPPROTO_IP, IP_MULTICAST_TTL | IP_MULTICAST_LOOP) => int(kept(key(level, option), 1)),
        (
            IPPROTO_IP,
            IP_TOS
            | IP_PKTINFO
            | IP_MTU_DISCOVER
            | IP_RECVERR
            | IP_RECVTTL
            | IP_RECVTOS
            | IP_FREEBIND
            | IP_BIND_ADDRESS_NO_PORT,
        ) => int(kept(key(level, option), 0)),
        (IPPROTO_IPV6, IPV6_V6ONLY) => int(server(ops, InetOption::V6Only)?),
        (IPPROTO_IPV6, IPV6_UNICAST_HOPS) => int(server(ops, InetOption::HopLimit)?),
        (IPPROTO_IPV6, IPV6_MULTICAST_HOPS | IPV6_MULTICAST_LOOP) => int(kept(key(level, option), 1)),
        (
            IPPROTO_IPV6,
            IPV6_TCLASS | IPV6_RECVERR | IPV6_RECVPKTINFO | IPV6_MTU_DISCOVER | IPV6_RECVHOPLIMIT | IPV6_2292HOPLIMIT,
        ) => int(kept(key(level, option), 0)),
        // Raw sockets: Linux's raw_getsockopt/rawv6_getsockopt answer
        // the raw level themselves (ENOPROTOOPT for the unknown).
        (SOL_RAW, _) if raw => return Err(Error::NoSuchOption),
        _ => {
            ops.log_unsupported(format_args!("linux: getsockopt level {level} option {option} on an Internet socket"));
            return Err(Error::NoSuchOption);
        }
    })
}

/// ICMP_FILTER/ICMP6_FILTER: the server filters, the personality keeps a
/// copy for getsockopt.
fn set_icmp_filter(ops: &mut dyn KernelOps, sock: i32, words: [u32; 8]) -> KResult<()> {
    ops.set_socket_setting(sock, SocketSetting::IcmpFilter(words))?;
    for pair in 0..4 {
        let value = u64::from(words[pair * 2]) | u64::from(words[pair * 2 + 1]) << 32;
        ops.set_socket_setting(sock, SocketSetting::Remember { key: filter_key(pair as u32), value })?;
    }
    Ok(())
}

/// Applies a setsockopt. `value` holds the caller's `optlen` bytes (at
/// most 256 of them read). SOL_SOCKET's buffer, timeout and credential
/// options reach here already decoded as `common`, when the caller could.
pub fn set(
    ops: &mut dyn KernelOps,
    sock: i32,
    info: &SocketInfo,
    level: u32,
    option: u32,
    value: &[u8],
) -> KResult<()> {
    let stream = info.kind == SocketKind::Stream;
    let raw = info.kind == SocketKind::Raw;
    let v6 = info.family == SocketFamily::Inet6;
    // Socket-level integers need all four bytes; IP-level ones take one
    // byte as well (do_ip_setsockopt reads a char when optlen < 4).
    let number = || -> KResult<i32> {
        match value.len() {
            n if n >= 4 => Ok(i32::from_le_bytes([value[0], value[1], value[2], value[3]])),
            n if n >= 1 && level == IPPROTO_IP => Ok(i32::from(value[0])),
            _ => Err(Error::InvalidArgument),
        }
    };
    let flag = |v: i32| u64::from(v != 0);
    let server = |ops: &mut dyn KernelOps, option: InetOption, value: u64| {
        ops.set_socket_setting(sock, SocketSetting::Inet { option, value })
    };
    let remember = |ops: &mut dyn KernelOps, key: u32, value: u64| {
        ops.set_socket_setting(sock, SocketSetting::Remember { key, value })
    };
    match (level, option) {
        (SOL_SOCKET, SO_REUSEADDR) => server(ops, InetOption::ReuseAddress, flag(number()?)),
        (SOL_SOCKET, SO_REUSEPORT) => server(ops, InetOption::ReusePort, flag(number()?)),
        (SOL_SOCKET, SO_KEEPALIVE) => server(ops, InetOption::KeepAlive, flag(number()?)),
        (SOL_SOCKET, SO_BROADCAST) => server(ops, InetOption::Broadcast, flag(number()?)),
        (SOL_SOCKET, SO_LINGER) => {
            if value.len() < 8 {
                return Err(Error::InvalidArgument);
            }
            let on = i32::from_le_bytes([value[0], value[1], value[2], value[3]]) != 0;
            let secs = i32::from_le_bytes([value[4], value[5], value[6], value[7]]).max(0) as u64;
            server(ops, InetOption::Linger, if on { secs + 1 } else { 0 })
        }
        (SOL_SOCKET, SO_RCVLOWAT | SO_PRIORITY) => remember(ops, option, u64::from(number()?.max(0) as u32)),
        (SOL_SOCKET, SO_OOBINLINE | SO_DONTROUTE | SO_DEBUG | SO_NO_CHECK | SO_PASSCRED) => {
            remember(ops, option, flag(number()?))
        }
        (SOL_SOCKET, SO_TYPE | SO_ERROR | SO_PEERCRED | SO_ACCEPTCONN | SO_DOMAIN | SO_PROTOCOL | SO_SNDLOWAT) => {
            Err(Error::NoSuchOption)
        }
        (IPPROTO_TCP, _) if !stream => Err(Error::NoSuchOption),
        (IPPROTO_TCP, TCP_NODELAY) => server(ops, InetOption::NoDelay, flag(number()?)),
        (IPPROTO_TCP, TCP_KEEPIDLE | TCP_KEEPINTVL) => {
            // 1 s .. MAX_TCP_KEEPIDLE (32767 s), as Linux.
            let v = number()?;
            if !(1..=32767).contains(&v) {
                return Err(Error::InvalidArgument);
            }
            let o = if option == TCP_KEEPIDLE { InetOption::KeepIdle } else { InetOption::KeepInterval };
            server(ops, o, v as u64)
        }
        (IPPROTO_TCP, TCP_KEEPCNT) => {
            let v = number()?;
            if !(1..=127).contains(&v) {
                return Err(Error::InvalidArgument);
            }
            server(ops, InetOption::KeepCount, v as u64)
        }
        (IPPROTO_TCP, TCP_CORK) => server(ops, InetOption::Cork, flag(number()?)),
        (IPPROTO_UDP, UDP_CORK) if info.kind == SocketKind::Datagram => server(ops, InetOption::Cork, flag(number()?)),
        (
            IPPROTO_TCP,
            TCP_MAXSEG | TCP_SYNCNT | TCP_LINGER2 | TCP_DEFER_ACCEPT | TCP_WINDOW_CLAMP | TCP_QUICKACK
            | TCP_USER_TIMEOUT | TCP_FASTOPEN | TCP_NOTSENT_LOWAT,
        ) => {
            let v = number()?;
            if v < 0 && option != TCP_LINGER2 {
                return Err(Error::InvalidArgument);
            }
            remember(ops, key(level, option), v.max(0) as u64)
        }
        (IPPROTO_TCP, TCP_CONGESTION) => {
            // One algorithm exists here; naming it is accepted.
            let name = value.split(|&c| c == 0).next().unwrap_or(&[]);
            if name == b"cubic" || name == b"reno" {
                Ok(())
            } else {
                Err(Error::NotFound)
            }
        }
        (IPPROTO_IP, IP_TTL) => {
            // -1 means the default; otherwise 1..=255.
            let v = number()?;
            match v {
                -1 => server(ops, InetOption::TimeToLive, 64),
                1..=255 => server(ops, InetOption::TimeToLive, v as u64),
                _ => Err(Error::InvalidArgument),
            }
        }
        (
            IPPROTO_IP,
            IP_TOS
            | IP_PKTINFO
            | IP_MTU_DISCOVER
            | IP_RECVERR
            | IP_RECVTTL
            | IP_RECVTOS
            | IP_FREEBIND
            | IP_BIND_ADDRESS_NO_PORT
            | IP_MULTICAST_TTL
            | IP_MULTICAST_LOOP,
        ) => remember(ops, key(level, option), u64::from(number()? as u32)),
        (IPPROTO_IP, IP_HDRINCL) if raw && !v6 => server(ops, InetOption::HeaderIncluded, flag(number()?)),
        (IPPROTO_IP, IP_HDRINCL) => Err(Error::NoSuchOption),
        (SOL_RAW, ICMP_FILTER) if raw && !v6 => {
            // raw_seticmpfilter: at most 4 bytes are read.
            if value.len() < 4 {
                return Err(Error::InvalidArgument);
            }
            let mut words = [0u32; 8];
            words[0] = u32::from_le_bytes([value[0], value[1], value[2], value[3]]);
            set_icmp_filter(ops, sock, words)
        }
        (IPPROTO_ICMPV6, ICMP6_FILTER) if raw && v6 => {
            // rawv6_seticmpfilter: at most 32 bytes are read.
            if value.len() < 32 {
                return Err(Error::InvalidArgument);
            }
            let mut words = [0u32; 8];
            for (w, b) in words.iter_mut().zip(value.chunks_exact(4)) {
                *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
            set_icmp_filter(ops, sock, words)
        }
        (IPPROTO_IPV6, IPV6_CHECKSUM) if raw && v6 => Err(Error::InvalidArgument),
        (SOL_RAW, IPV6_CHECKSUM) if raw && v6 => {
            // The kernel sums every ICMPv6 message at offset 2, as Linux
            // does by default; asking for that is honoured, anything else
            // is not done here.
            let v = number()?;
            if v != 2 {
                ops.log_unsupported(format_args!(
                    "linux: setsockopt IPV6_CHECKSUM offset {v} on an ICMPv6 socket (only offset 2)"
                ));
                return Err(Error::NoSuchOption);
            }
            remember(ops, key(level, option), 2)
        }
        (IPPROTO_IPV6, _) if !v6 => Err(Error::NoSuchOption),
        _ if super::inet_membership::is_membership(level, option) => {
            super::inet_membership::set(ops, sock, level, option, stream, value)
        }
        (IPPROTO_IPV6, IPV6_V6ONLY) => server(ops, InetOption::V6Only, flag(number()?)),
        (IPPROTO_IPV6, IPV6_UNICAST_HOPS) => {
            let v = number()?;
            match v {
                -1 => server(ops, InetOption::HopLimit, 64),
                0..=255 => server(ops, InetOption::HopLimit, v as u64),
                _ => Err(Error::InvalidArgument),
            }
        }
        (
            IPPROTO_IPV6,
            IPV6_TCLASS | IPV6_RECVERR | IPV6_RECVPKTINFO | IPV6_MTU_DISCOVER | IPV6_MULTICAST_HOPS
            | IPV6_MULTICAST_LOOP | IPV6_RECVHOPLIMIT | IPV6_2292HOPLIMIT,
        ) => remember(ops, key(level, option), u64::from(number()? as u32)),
        _ => {
            ops.log_unsupported(format_args!("linux: setsockopt level {level} option {option} on an Internet socket"));
            Err(Error::NoSuchOption)
        }
    }
}
