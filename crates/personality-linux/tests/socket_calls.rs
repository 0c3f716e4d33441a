//! The socket calls on a socket the fake core has: how sockaddr_un,
//! msghdr, iovec arrays and SCM_RIGHTS/SCM_CREDENTIALS control messages
//! become the core's requests, how names, lengths, flags and control data
//! are written back in Linux's layout, and which errno comes first.

mod fake_core;

use fake_core::{FakeCore, SocketCall, MEM_BASE};
use kernel_ops::{DescriptorFlags, Error, PeerCredentials, SocketAddress, SocketKind, SocketSetting};

const CONNECT: u64 = 42;
const ACCEPT: u64 = 43;
const SENDTO: u64 = 44;
const RECVFROM: u64 = 45;
const SENDMSG: u64 = 46;
const RECVMSG: u64 = 47;
const SHUTDOWN: u64 = 48;
const BIND: u64 = 49;
const LISTEN: u64 = 50;
const GETSOCKNAME: u64 = 51;
const GETPEERNAME: u64 = 52;
const SETSOCKOPT: u64 = 54;
const GETSOCKOPT: u64 = 55;
const ACCEPT4: u64 = 288;
const RECVMMSG: u64 = 299;
const SENDMMSG: u64 = 307;

const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const EDOM: i64 = 33;
const ENOTSOCK: i64 = 88;
const EMSGSIZE: i64 = 90;
const ENOPROTOOPT: i64 = 92;
const EOPNOTSUPP: i64 = 95;
const ENOBUFS: i64 = 105;
const EPERM: i64 = 1;

const SOL_SOCKET: u64 = 1;
const SOCK: u64 = 5;
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x200;
const C: u64 = MEM_BASE + 0x400;
const D: u64 = MEM_BASE + 0x600;
const E: u64 = MEM_BASE + 0x800;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn core(kind: SocketKind) -> FakeCore {
    let mut k = FakeCore::new();
    k.ipc_state.sockets.push((SOCK as i32, kind));
    k
}

/// A sockaddr_un: AF_UNIX then the path bytes as given.
fn sun(path: &[u8]) -> Vec<u8> {
    let mut b = 1u16.to_le_bytes().to_vec();
    b.extend_from_slice(path);
    b
}

fn u32_at(k: &FakeCore, addr: u64) -> u32 {
    u32::from_le_bytes(k.get(addr, 4).try_into().unwrap())
}

fn u64_at(k: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

/// A msghdr: name, namelen, iov, iovlen, control, controllen, flags.
fn msghdr(name: u64, namelen: u32, iov: u64, iovlen: u64, control: u64, controllen: u64) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&name.to_le_bytes());
    b.extend_from_slice(&namelen.to_le_bytes());
    b.extend_from_slice(&[0; 4]);
    b.extend_from_slice(&iov.to_le_bytes());
    b.extend_from_slice(&iovlen.to_le_bytes());
    b.extend_from_slice(&control.to_le_bytes());
    b.extend_from_slice(&controllen.to_le_bytes());
    b.extend_from_slice(&[0; 8]);
    assert_eq!(b.len(), 56);
    b
}

fn iovecs(list: &[(u64, u64)]) -> Vec<u8> {
    list.iter().flat_map(|(a, l)| [a.to_le_bytes(), l.to_le_bytes()].concat()).collect()
}

/// A control message: cmsg_len, level, type, data padded to 8.
fn cmsg(level: i32, kind: i32, data: &[u8]) -> Vec<u8> {
    let mut b = ((16 + data.len()) as u64).to_le_bytes().to_vec();
    b.extend_from_slice(&level.to_le_bytes());
    b.extend_from_slice(&kind.to_le_bytes());
    b.extend_from_slice(data);
    while !b.len().is_multiple_of(8) {
        b.push(0);
    }
    b
}

#[test]
fn bind_parses_path_and_abstract_names_and_checks_the_length() {
    let mut k = core(SocketKind::Stream);
    k.put(A, &sun(b"/tmp/s\0"));
    assert_eq!(k.syscall(BIND, [SOCK, A, 9, 0, 0, 0]), 0);
    k.put(B, &sun(b"\0abc"));
    assert_eq!(k.syscall(BIND, [SOCK, B, 6, 0, 0, 0]), 0);
    // Length 2: just the family, an autobind.
    assert_eq!(k.syscall(BIND, [SOCK, B, 2, 0, 0, 0]), 0);
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Bind(5, SocketAddress::Path(b"/tmp/s".to_vec())),
            SocketCall::Bind(5, SocketAddress::Abstract(b"abc".to_vec())),
            SocketCall::Bind(5, SocketAddress::Unnamed),
        ]
    );
    assert_eq!(errno(k.syscall(BIND, [SOCK, A, (-1i32) as u32 as u64, 0, 0, 0])), EINVAL, "negative addrlen");
    assert_eq!(errno(k.syscall(BIND, [SOCK, A, 129, 0, 0, 0])), EINVAL, "past sockaddr_storage");
    assert_eq!(errno(k.syscall(BIND, [SOCK, 8, 9, 0, 0, 0])), EFAULT, "a bad address pointer");
    k.put(C, &2u16.to_le_bytes());
    assert_eq!(errno(k.syscall(BIND, [SOCK, C, 16, 0, 0, 0])), EINVAL, "AF_INET on a local socket");
    assert_eq!(errno(k.syscall(BIND, [6, A, 9, 0, 0, 0])), ENOTSOCK, "not a socket");
    assert_eq!(errno(k.syscall(BIND, [40, A, 9, 0, 0, 0])), EBADF, "closed");
    assert_eq!(k.ipc_state.socket_calls.len(), 3, "no failed call reached the core");
}

#[test]
fn listen_passes_the_backlog_and_a_negative_one_as_the_maximum() {
    let mut k = core(SocketKind::Stream);
    assert_eq!(k.syscall(LISTEN, [SOCK, 7, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(LISTEN, [SOCK, (-1i64) as u64, 0, 0, 0, 0]), 0);
    assert_eq!(k.ipc_state.socket_calls, vec![SocketCall::Listen(5, 7), SocketCall::Listen(5, u32::MAX)]);
    assert_eq!(errno(k.syscall(LISTEN, [6, 1, 0, 0, 0, 0])), ENOTSOCK);
}

#[test]
fn connect_decodes_the_name_and_af_unspec_dissolves_a_datagram_association() {
    let mut k = core(SocketKind::Datagram);
    k.put(A, &sun(b"/run/x\0"));
    assert_eq!(k.syscall(CONNECT, [SOCK, A, 9, 0, 0, 0]), 0);
    k.put(B, &[0, 0, 0, 0]);
    assert_eq!(k.syscall(CONNECT, [SOCK, B, 4, 0, 0, 0]), 0);
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Connect(5, Some(SocketAddress::Path(b"/run/x".to_vec())), false),
            SocketCall::Connect(5, None, false),
        ]
    );
    // On a stream socket AF_UNSPEC is no name at all.
    let mut k = core(SocketKind::Stream);
    k.put(B, &[0, 0, 0, 0]);
    assert_eq!(errno(k.syscall(CONNECT, [SOCK, B, 4, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(CONNECT, [SOCK, A, 200, 0, 0, 0])), EINVAL, "addrlen past 128");
    assert!(k.ipc_state.socket_calls.is_empty());
}

#[test]
fn accept_writes_the_peer_name_and_its_real_length_and_accept4_decodes_flags() {
    let mut k = core(SocketKind::Stream);
    k.ipc_state.accepted = (50, SocketAddress::Path(b"/tmp/peer".to_vec()));
    k.put(B, &110u32.to_le_bytes());
    assert_eq!(k.syscall(ACCEPT, [SOCK, A, B, 0, 0, 0]), 50);
    assert_eq!(k.get(A, 12), &sun(b"/tmp/peer\0")[..]);
    assert_eq!(u32_at(&k, B), 12, "family + 9 path bytes + the NUL");
    // A short buffer gets a truncated name but the full length.
    k.put(A, &[0xee; 16]);
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(ACCEPT4, [SOCK, A, B, 0o2000000 | 0o4000, 0, 0]), 50);
    assert_eq!(k.get(A, 5), &[1, 0, b'/', b't', 0xee]);
    assert_eq!(u32_at(&k, B), 12);
    // No address wanted: nothing written.
    assert_eq!(k.syscall(ACCEPT4, [SOCK, 0, 0, 0o4000, 0, 0]), 50);
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Accept(5, DescriptorFlags::default()),
            SocketCall::Accept(5, DescriptorFlags { close_on_exec: true, non_blocking: true }),
            SocketCall::Accept(5, DescriptorFlags { close_on_exec: false, non_blocking: true }),
        ]
    );
    assert_eq!(errno(k.syscall(ACCEPT4, [SOCK, 0, 0, 1, 0, 0])), EINVAL, "an unknown accept4 flag");
    assert_eq!(k.ipc_state.socket_calls.len(), 3);
}

#[test]
fn shutdown_maps_how_and_refuses_others() {
    let mut k = core(SocketKind::Stream);
    for how in 0..3 {
        assert_eq!(k.syscall(SHUTDOWN, [SOCK, how, 0, 0, 0, 0]), 0);
    }
    assert_eq!(
        k.ipc_state.socket_calls,
        vec![
            SocketCall::Shutdown(5, true, false),
            SocketCall::Shutdown(5, false, true),
            SocketCall::Shutdown(5, true, true)
        ]
    );
    assert_eq!(errno(k.syscall(SHUTDOWN, [SOCK, 3, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SHUTDOWN, [6, 3, 0, 0, 0, 0])), ENOTSOCK, "the socket before how, as Linux");
}

#[test]
fn getsockname_and_getpeername_encode_path_abstract_and_unnamed() {
    let mut k = core(SocketKind::Stream);
    k.ipc_state.address = SocketAddress::Abstract(b"xy".to_vec());
    k.put(B, &64u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKNAME, [SOCK, A, B, 0, 0, 0]), 0);
    assert_eq!(k.get(A, 5), &[1, 0, 0, b'x', b'y']);
    assert_eq!(u32_at(&k, B), 5);
    k.ipc_state.address = SocketAddress::Unnamed;
    k.put(B, &64u32.to_le_bytes());
    assert_eq!(k.syscall(GETPEERNAME, [SOCK, A, B, 0, 0, 0]), 0);
    assert_eq!(u32_at(&k, B), 2, "an unnamed socket is just its family");
    assert_eq!(k.ipc_state.socket_calls, vec![SocketCall::Address(5, false), SocketCall::Address(5, true)]);
    k.put(B, &(-5i32).to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKNAME, [SOCK, A, B, 0, 0, 0])), EINVAL, "negative length");
    assert_eq!(errno(k.syscall(GETPEERNAME, [SOCK, A, 8, 0, 0, 0])), EFAULT, "bad length pointer");
    // A NULL buffer: a length of 0 gets the real length, more is EFAULT.
    k.put(B, &0u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKNAME, [SOCK, 0, B, 0, 0, 0]), 0);
    assert_eq!(u32_at(&k, B), 2);
    k.put(B, &(-1i32).to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKNAME, [SOCK, 0, B, 0, 0, 0])), EINVAL, "NULL buffer, negative length");
    k.put(B, &16u32.to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKNAME, [SOCK, 0, B, 0, 0, 0])), EFAULT, "NULL buffer, room asked for");
    assert_eq!(errno(k.syscall(GETPEERNAME, [6, A, B, 0, 0, 0])), ENOTSOCK);
}

#[test]
fn sendto_passes_buffer_destination_and_flags() {
    let mut k = core(SocketKind::Datagram);
    k.put(C, b"hello");
    k.put(A, &sun(b"/d\0"));
    let flags = 0x40 | 0x4000; // MSG_DONTWAIT | MSG_NOSIGNAL
    assert_eq!(k.syscall(SENDTO, [SOCK, C, 5, flags, A, 5]), 5);
    // A destination pointer with length 0 is no destination.
    k.ipc_state.send_answer = Some(3);
    assert_eq!(k.syscall(SENDTO, [SOCK, C, 5, 0, A, 0]), 3);
    match &k.ipc_state.socket_calls[..] {
        [SocketCall::Send { bytes, to, non_blocking: true, no_signal: true, .. }, SocketCall::Send { to: None, non_blocking: false, no_signal: false, .. }] =>
        {
            assert_eq!(bytes, b"hello");
            assert_eq!(to, &Some(SocketAddress::Path(b"/d".to_vec())));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(errno(k.syscall(SENDTO, [SOCK, C, 5, 1, 0, 0])), EOPNOTSUPP, "MSG_OOB");
    assert_eq!(errno(k.syscall(SENDTO, [SOCK, C, 5, 0, A, 300])), EINVAL, "addrlen past 128");
    assert_eq!(errno(k.syscall(SENDTO, [6, C, 5, 0, 0, 0])), ENOTSOCK);
}

#[test]
fn sendmsg_walks_the_iovecs_name_and_control_messages() {
    let mut k = core(SocketKind::Datagram);
    k.put(C, b"abcdef");
    k.put(D, &iovecs(&[(C, 2), (C + 3, 0), (C + 4, 2)]));
    let mut control = cmsg(1, 1, &[7i32.to_le_bytes(), 9i32.to_le_bytes()].concat()); // SCM_RIGHTS
    control.extend(cmsg(
        1,
        2,
        &[[7u32.to_le_bytes(), 1000u32.to_le_bytes()].concat(), 100u32.to_le_bytes().to_vec()].concat(),
    ));
    k.put(E, &control);
    k.put(A, &sun(b"\0q"));
    k.put(B, &msghdr(A, 4, D, 3, E, control.len() as u64));
    assert_eq!(k.syscall(SENDMSG, [SOCK, B, 0x40, 0, 0, 0]), 4);
    assert_eq!(
        k.ipc_state.socket_calls[0],
        SocketCall::Send {
            fd: 5,
            bytes: b"abef".to_vec(),
            buffers: vec![(C, 2), (C + 3, 0), (C + 4, 2)],
            to: Some(SocketAddress::Abstract(b"q".to_vec())),
            rights: vec![7, 9],
            credentials: Some(PeerCredentials { pid: 7, uid: 1000, gid: 100 }),
            non_blocking: true,
            no_signal: false,
        }
    );
    // Errors, in Linux's order, none reaching the core.
    k.put(B, &msghdr(0, 0, D, 1025, 0, 0));
    assert_eq!(errno(k.syscall(SENDMSG, [SOCK, B, 0, 0, 0, 0])), EMSGSIZE, "more than UIO_MAXIOV iovecs");
    k.put(B, &msghdr(0, 0, D, 1, E, 1 << 31));
    assert_eq!(errno(k.syscall(SENDMSG, [SOCK, B, 0, 0, 0, 0])), ENOBUFS, "controllen past INT_MAX");
    k.put(D + 0x40, &iovecs(&[(C, u64::MAX / 2), (C, u64::MAX / 2)]));
    k.put(B, &msghdr(0, 0, D + 0x40, 2, 0, 0));
    assert_eq!(errno(k.syscall(SENDMSG, [SOCK, B, 0, 0, 0, 0])), EINVAL, "iovec lengths overflow");
    k.put(E, &cmsg(1, 1, &[1, 2, 3, 4])[..8]);
    k.put(E, &40u64.to_le_bytes()); // cmsg_len past the buffer
    k.put(B, &msghdr(0, 0, D, 1, E, 24));
    assert_eq!(errno(k.syscall(SENDMSG, [SOCK, B, 0, 0, 0, 0])), EINVAL, "a cmsg_len past the control buffer");
    assert_eq!(errno(k.syscall(SENDMSG, [SOCK, 8, 0, 0, 0, 0])), EFAULT, "the msghdr pointer");
    assert_eq!(errno(k.syscall(SENDMSG, [40, B, 0x8000_0000, 0, 0, 0])), EINVAL, "MSG_CMSG_COMPAT, before the fd");
    assert_eq!(k.ipc_state.socket_calls.len(), 1);
}

#[test]
fn sendmmsg_stores_each_length_and_stops_after_a_failure() {
    let mut k = core(SocketKind::SeqPacket);
    k.put(C, b"0123456789");
    k.put(D, &iovecs(&[(C, 3), (C + 5, 5)]));
    let vec = [
        msghdr(0, 0, D, 1, 0, 0),
        vec![0; 8],
        msghdr(0, 0, D + 16, 1, 0, 0),
        vec![0; 8],
        msghdr(0, 0, D, 1025, 0, 0),
        vec![0; 8],
    ]
    .concat();
    k.put(A, &vec);
    assert_eq!(k.syscall(SENDMMSG, [SOCK, A, 3, 0x4000, 0, 0]), 2, "two sent; the third's error is dropped");
    assert_eq!(u32_at(&k, A + 56), 3);
    assert_eq!(u32_at(&k, A + 64 + 56), 5);
    match &k.ipc_state.socket_calls[..] {
        [SocketCall::Send { bytes: a, no_signal: true, .. }, SocketCall::Send { bytes: b, .. }] => {
            assert_eq!((a.as_slice(), b.as_slice()), (&b"012"[..], &b"56789"[..]));
        }
        other => panic!("{other:?}"),
    }
    // The first message failing is the call's error.
    assert_eq!(errno(k.syscall(SENDMMSG, [SOCK, A + 128, 1, 0, 0, 0])), EMSGSIZE);
    assert_eq!(errno(k.syscall(SENDMMSG, [6, A, 1, 0, 0, 0])), ENOTSOCK);
    assert_eq!(errno(k.syscall(SENDMMSG, [6, A, 1, 0x8000_0000, 0, 0])), EINVAL, "MSG_CMSG_COMPAT");
}

#[test]
fn recvfrom_scatters_data_reports_the_sender_and_msg_trunc_returns_the_real_length() {
    let mut k = core(SocketKind::Datagram);
    k.ipc_state.incoming = b"datagram!".to_vec();
    k.ipc_state.received.from = Some(SocketAddress::Path(b"/s".to_vec()));
    k.put(B, &100u32.to_le_bytes());
    assert_eq!(k.syscall(RECVFROM, [SOCK, C, 4, 0x2 | 0x40, A, B]), 4, "copied bytes");
    assert_eq!(k.get(C, 5), b"data\0");
    assert_eq!(k.get(A, 5), &sun(b"/s\0")[..]);
    assert_eq!(u32_at(&k, B), 5);
    assert_eq!(k.syscall(RECVFROM, [SOCK, C, 4, 0x20 | 0x100, 0, 0]), 9, "MSG_TRUNC: the datagram's length");
    // No sender name: an address length of 0.
    k.ipc_state.received.from = None;
    k.put(B, &100u32.to_le_bytes());
    assert_eq!(k.syscall(RECVFROM, [SOCK, C, 16, 0, A, B]), 9);
    assert_eq!(u32_at(&k, B), 0);
    match &k.ipc_state.socket_calls[..] {
        [SocketCall::Receive { buffers, peek: true, non_blocking: true, wait_all: false, .. }, SocketCall::Receive { peek: false, wait_all: true, .. }, _] =>
        {
            assert_eq!(buffers, &vec![(C, 4)])
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(errno(k.syscall(RECVFROM, [SOCK, C, 4, 1, 0, 0])), EOPNOTSUPP, "MSG_OOB on a datagram socket");
    let mut stream = core(SocketKind::Stream);
    assert_eq!(errno(stream.syscall(RECVFROM, [SOCK, C, 4, 1, 0, 0])), EINVAL, "MSG_OOB, no urgent byte");
    assert!(stream.ipc_state.socket_calls.is_empty());
    assert_eq!(errno(k.syscall(RECVFROM, [SOCK, C, 4, 0x2000, 0, 0])), 11, "MSG_ERRQUEUE: no errors queued");
    assert_eq!(errno(k.syscall(RECVFROM, [6, C, 4, 0, 0, 0])), ENOTSOCK);
}

#[test]
fn recvmsg_writes_name_control_messages_and_flags_back_into_the_msghdr() {
    let mut k = core(SocketKind::SeqPacket);
    k.ipc_state.incoming = b"0123456789".to_vec();
    k.ipc_state.received.from = Some(SocketAddress::Abstract(b"peer".to_vec()));
    k.ipc_state.received.rights = vec![21, 22];
    k.ipc_state.received.rights_offered = 2;
    k.put(D, &iovecs(&[(C, 3), (C + 0x10, 4)]));
    k.put(B, &msghdr(A, 3, D, 2, E, 64));
    assert_eq!(k.syscall(RECVMSG, [SOCK, B, 0x4000_0000, 0, 0, 0]), 7);
    assert_eq!(k.get(C, 3), b"012");
    assert_eq!(k.get(C + 0x10, 4), b"3456");
    assert_eq!(k.get(A, 3), &[1, 0, 0], "the name cut to msg_namelen");
    assert_eq!(u32_at(&k, B + 8), 7, "msg_namelen: the full length");
    assert_eq!(u64_at(&k, B + 40), 24, "msg_controllen: one SCM_RIGHTS of 2 fds");
    assert_eq!(u32_at(&k, B + 48), 0x20, "msg_flags: MSG_TRUNC, 3 bytes of the record left");
    assert_eq!(k.get(E, 24), &cmsg(1, 1, &[21i32.to_le_bytes(), 22i32.to_le_bytes()].concat())[..]);
    match &k.ipc_state.socket_calls[0] {
        SocketCall::Receive { close_on_exec: true, fd_room: (rights, with_creds), .. } => {
            assert_eq!((*rights, *with_creds), (12, 4), "64 control bytes hold 12 fds, or credentials and 4");
        }
        other => panic!("{other:?}"),
    }
    // Too small a control buffer: what fits, and MSG_CTRUNC.
    k.put(B, &msghdr(0, 0, D, 1, E, 20));
    k.put(E, &[0; 32]);
    assert_eq!(k.syscall(RECVMSG, [SOCK, B, 0, 0, 0, 0]), 3);
    assert_eq!(u32_at(&k, B + 48), 0x20 | 0x8, "MSG_TRUNC and MSG_CTRUNC");
    assert_eq!(u64_at(&k, B + 40), 20, "msg_controllen: the 20 bytes used");
    assert_eq!(k.get(E, 20), &cmsg(1, 1, &21i32.to_le_bytes())[..20], "one fd fits: cmsg_len 20");
    // A stream read leaves the rest queued: no MSG_TRUNC.
    let mut st = core(SocketKind::Stream);
    st.ipc_state.incoming = b"0123456789".to_vec();
    st.put(D, &iovecs(&[(C, 4)]));
    st.put(B, &msghdr(0, 0, D, 1, 0, 0));
    assert_eq!(st.syscall(RECVMSG, [SOCK, B, 0, 0, 0, 0]), 4);
    assert_eq!((u32_at(&st, B + 48), u64_at(&st, B + 40)), (0, 0), "no flags, no control data");
    k.put(B, &msghdr(A, (-1i32) as u32, D, 1, 0, 0));
    assert_eq!(errno(k.syscall(RECVMSG, [SOCK, B, 0, 0, 0, 0])), EINVAL, "negative msg_namelen");
    assert_eq!(errno(k.syscall(RECVMSG, [SOCK, 8, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(RECVMSG, [40, B, 0x8000_0000, 0, 0, 0])), EINVAL, "MSG_CMSG_COMPAT, before the fd");
}

#[test]
fn recvmmsg_fills_each_msg_len_and_waitforone_stops_waiting_after_the_first() {
    let mut k = core(SocketKind::Datagram);
    k.ipc_state.incoming = b"xyz".to_vec();
    k.put(D, &iovecs(&[(C, 8), (C + 8, 8)]));
    let vec = [msghdr(0, 0, D, 1, 0, 0), vec![0; 8], msghdr(0, 0, D + 16, 1, 0, 0), vec![0; 8]].concat();
    k.put(A, &vec);
    assert_eq!(k.syscall(RECVMMSG, [SOCK, A, 2, 0x1_0000, 0, 0]), 2);
    assert_eq!((u32_at(&k, A + 56), u32_at(&k, A + 64 + 56)), (3, 3));
    assert_eq!(k.get(C + 8, 3), b"xyz");
    match &k.ipc_state.socket_calls[..] {
        [SocketCall::Receive { non_blocking: false, .. }, SocketCall::Receive { non_blocking: true, .. }] => {}
        other => panic!("MSG_WAITFORONE: {other:?}"),
    }
    // A timeout that has run out after the first message ends the call.
    k.put(B, &[0u8; 16]);
    assert_eq!(k.syscall(RECVMMSG, [SOCK, A, 2, 0, B, 0]), 1);
    k.put(B, &[[0u64.to_le_bytes()], [1_000_000_000u64.to_le_bytes()]].concat().concat());
    assert_eq!(errno(k.syscall(RECVMMSG, [SOCK, A, 2, 0, B, 0])), EINVAL, "tv_nsec out of range");
    assert_eq!(errno(k.syscall(RECVMMSG, [SOCK, A, 2, 0, 8, 0])), EFAULT);
    assert_eq!(errno(k.syscall(RECVMMSG, [6, A, 2, 0x8000_0000, 0, 0])), EINVAL, "MSG_CMSG_COMPAT");
}

#[test]
fn setsockopt_turns_linux_values_into_settings() {
    let mut k = core(SocketKind::Stream);
    k.put(A, &1000i32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 7, A, 4, 0]), 0, "SO_SNDBUF");
    k.put(A, &100i32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 8, A, 4, 0]), 0, "SO_RCVBUF");
    k.put(A, &10_000_000i32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 7, A, 4, 0]), 0, "SO_SNDBUF capped");
    k.put(A, &5i32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 16, A, 4, 0]), 0, "SO_PASSCRED");
    k.put(B, &[2i64.to_le_bytes(), 500_000i64.to_le_bytes()].concat());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 20, B, 16, 0]), 0, "SO_RCVTIMEO");
    k.put(B, &[0i64.to_le_bytes(), 0i64.to_le_bytes()].concat());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 21, B, 16, 0]), 0, "SO_SNDTIMEO 0: forever");
    k.put(A, &3i32.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 9, A, 4, 0]), 0, "SO_KEEPALIVE");
    k.put(A, &(-1i32).to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 8, A, 4, 0]), 0, "SO_RCVBUF -1: compared unsigned");
    let settings: Vec<SocketSetting> = k
        .ipc_state
        .socket_calls
        .iter()
        .map(|c| match c {
            SocketCall::Setting(5, s) => *s,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        settings,
        vec![
            SocketSetting::SendBuffer(4608),
            SocketSetting::ReceiveBuffer(2304),
            SocketSetting::SendBuffer(212_992 * 2),
            SocketSetting::PassCredentials(true),
            SocketSetting::ReceiveTimeout(Some(2_500_000_000)),
            SocketSetting::SendTimeout(None),
            SocketSetting::Remember { key: 9, value: 1 },
            SocketSetting::ReceiveBuffer(212_992 * 2),
        ]
    );
    k.put(B, &[1i64.to_le_bytes(), 1_000_000i64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 20, B, 16, 0])), EDOM, "tv_usec out of range");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 20, B, 8, 0])), EINVAL, "short timeval");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 7, A, 2, 0])), EINVAL, "optlen < int");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 7, A, (-1i64) as u64, 0])), EINVAL, "negative optlen");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 7, 8, 4, 0])), EFAULT);
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 32, A, 4, 0])), EPERM, "SO_SNDBUFFORCE unprivileged");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, 4, 0])), ENOPROTOOPT, "SO_TYPE is read-only");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [SOCK, 6, 1, A, 4, 0])), EOPNOTSUPP, "another level");
    assert_eq!(errno(k.syscall(SETSOCKOPT, [6, SOL_SOCKET, 7, A, 4, 0])), ENOTSOCK);
    assert_eq!(k.ipc_state.socket_calls.len(), 8);
    // With CAP_NET_ADMIN, SO_*BUFFORCE passes the maximum; negative is 0
    // and INT_MAX is halved before doubling (the value stays an int).
    k.creds = kernel_ops::Credentials::ROOT;
    k.put(A, &i32::MAX.to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 32, A, 4, 0]), 0);
    k.put(A, &(-5i32).to_le_bytes());
    assert_eq!(k.syscall(SETSOCKOPT, [SOCK, SOL_SOCKET, 33, A, 4, 0]), 0);
    assert_eq!(
        k.ipc_state.socket_calls[8..],
        [
            SocketCall::Setting(5, SocketSetting::SendBuffer(i32::MAX as u32 - 1)),
            SocketCall::Setting(5, SocketSetting::ReceiveBuffer(2304)),
        ]
    );
}

#[test]
fn getsockopt_encodes_ints_ucred_and_timevals_and_truncates_to_optlen() {
    let mut k = core(SocketKind::SeqPacket);
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, B, 0]), 0);
    assert_eq!((u32_at(&k, A), u32_at(&k, B)), (5, 4), "SO_TYPE: SOCK_SEQPACKET");
    k.ipc_state.pending_error = Some(Error::ConnectionRefused);
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 4, A, B, 0]), 0);
    assert_eq!(u32_at(&k, A), 111, "SO_ERROR: ECONNREFUSED");
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 4, A, B, 0]), 0);
    assert_eq!(u32_at(&k, A), 0, "taken by the first read");
    k.ipc_state.info_template = Some(kernel_ops::SocketInfo {
        family: kernel_ops::SocketFamily::Local,
        kind: SocketKind::Stream,
        listening: true,
        send_buffer: 1,
        receive_buffer: 2,
        pass_credentials: true,
        receive_timeout: Some(3_000_004_000),
        send_timeout: None,
        peer_credentials: Some(PeerCredentials { pid: 9, uid: 8, gid: 7 }),
        readable_bytes: 0,
        remembered: vec![],
    });
    k.put(B, &12u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 17, A, B, 0]), 0);
    assert_eq!(k.get(A, 12), &[9u32.to_le_bytes(), 8u32.to_le_bytes(), 7u32.to_le_bytes()].concat()[..], "SO_PEERCRED");
    k.put(B, &16u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 20, A, B, 0]), 0);
    assert_eq!((u64_at(&k, A), u64_at(&k, A + 8), u32_at(&k, B)), (3, 4, 16), "SO_RCVTIMEO as a timeval");
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 30, A, B, 0]), 0);
    assert_eq!(u32_at(&k, A), 1, "SO_ACCEPTCONN");
    // A short optlen gets the first bytes, and optlen says how many.
    k.put(A, &[0xff; 8]);
    k.put(B, &2u32.to_le_bytes());
    assert_eq!(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 39, A, B, 0]), 0);
    assert_eq!((k.get(A, 4), u32_at(&k, B)), (&[1, 0, 0xff, 0xff][..], 2), "SO_DOMAIN cut to 2 bytes");
    k.put(B, &(-1i32).to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, B, 0])), EINVAL, "negative optlen");
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 3, A, 8, 0])), EFAULT);
    k.put(B, &4u32.to_le_bytes());
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, SOL_SOCKET, 1234, A, B, 0])), ENOPROTOOPT);
    assert_eq!(errno(k.syscall(GETSOCKOPT, [SOCK, 0, 1, A, B, 0])), EOPNOTSUPP, "IPPROTO_IP");
    assert_eq!(errno(k.syscall(GETSOCKOPT, [6, SOL_SOCKET, 3, A, B, 0])), ENOTSOCK);
}
