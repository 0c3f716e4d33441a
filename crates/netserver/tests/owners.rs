//! Native clients beside the kernel: each owner reaches only its own
//! sockets, gets only its own events, is bounded in sockets, and loses
//! every socket when it ends.

mod common;

use common::*;
use netproto::{Answer, Error, EventList, Family, Kind, Request, Response, SocketHandle};
use netserver::{Owner, CLIENT_SOCKETS};

/// One exchange as a native client makes it: (response as a Reply, the
/// sockets its events named).
fn client_call(k: &mut Kernel, owner: Owner, request: Request) -> (Reply, Vec<SocketHandle>) {
    let mut req = vec![0u8; BUFFER];
    let n = request.encode(&mut req).expect("request fits");
    let mut answer = vec![0u8; BUFFER];
    let len = k.stack.handle_as(owner, &req[..n], &mut answer, k.now);
    let (response, events) = Answer::decode(&answer[..len]).expect("the answer decodes");
    let reply = match response {
        Response::Done => Reply::Done,
        Response::Error(e) => Reply::Error(e),
        Response::Opened { socket } => Reply::Opened(socket),
        Response::Accepted { socket, peer } => Reply::Accepted(socket, peer),
        Response::Sent { bytes } => Reply::Sent(bytes),
        Response::Received { data, full_length, from } => Reply::Received { data: data.to_vec(), full_length, from },
        Response::Address(a) => Reply::Address(a),
        Response::Value(v) => Reply::Value(v),
        Response::Records(page) => Reply::Records(page.iter().collect(), page.next_start()),
        Response::ReceivedWithHopLimit { data, full_length, from, .. } => {
            Reply::Received { data: data.to_vec(), full_length, from }
        }
    };
    (reply, events.map(|e| e.socket).collect())
}

fn client(k: &mut Kernel, owner: Owner, request: Request) -> Reply {
    client_call(k, owner, request).0
}

fn client_open(k: &mut Kernel, owner: Owner, kind: Kind) -> SocketHandle {
    match client(k, owner, Request::Open { family: Family::V4, kind }) {
        Reply::Opened(s) => s,
        other => panic!("{other:?}"),
    }
}

/// Every request naming `socket` that `owner` may not make.
fn all_refused(k: &mut Kernel, owner: Owner, socket: SocketHandle) {
    let data = b"x";
    for request in [
        Request::Bind { socket, address: v4(0) },
        Request::Listen { socket, backlog: 1 },
        Request::Accept { socket },
        Request::Connect { socket, address: Some(v4(1)) },
        Request::Send { socket, to: None, data, more: false },
        Request::Receive { socket, max: 10, peek: false },
        Request::Shutdown { socket, read: true, write: true },
        Request::LocalAddress { socket },
        Request::PeerAddress { socket },
        Request::GetOption { socket, option: netproto::SocketOption::Error },
        Request::Close { socket },
    ] {
        assert_eq!(client(k, owner, request), Reply::Error(Error::BadHandle), "{request:?} by {owner:?}");
    }
}

#[test]
fn owners_reach_only_their_own_sockets() {
    let mut k = Kernel::new();
    let (a, b) = (Owner::Client(1), Owner::Client(2));
    let kernel_socket = k.open(Family::V4, Kind::Stream);
    let a_socket = client_open(&mut k, a, Kind::Stream);
    all_refused(&mut k, a, kernel_socket);
    all_refused(&mut k, b, a_socket);
    all_refused(&mut k, Owner::Kernel, a_socket);
    // A forged handle is refused the same way; nothing was closed.
    all_refused(&mut k, a, SocketHandle(0xdead_0000_0001));
    k.ok(Request::Bind { socket: kernel_socket, address: v4(0) });
    assert_eq!(client(&mut k, a, Request::Bind { socket: a_socket, address: v4(0) }), Reply::Done);
}

#[test]
fn a_client_and_the_kernel_talk_over_loopback_each_with_its_own_events() {
    let mut k = Kernel::new();
    let c = Owner::Client(7);
    let listener = client_open(&mut k, c, Kind::Stream);
    assert_eq!(client(&mut k, c, Request::Bind { socket: listener, address: v4(0) }), Reply::Done);
    assert_eq!(client(&mut k, c, Request::Listen { socket: listener, backlog: 4 }), Reply::Done);
    let port = match client(&mut k, c, Request::LocalAddress { socket: listener }) {
        Reply::Address(a) => a.port(),
        other => panic!("{other:?}"),
    };
    let mut woken = Vec::new();
    k.stack.take_woken_clients(&mut woken);
    let outgoing = k.connect(Family::V4, v4(port)).expect("the kernel connects to the client's listener");
    k.stack.take_woken_clients(&mut woken);
    assert_eq!(woken.last(), Some(&7), "the client is told its listener became readable");
    // The kernel's events never name the client's sockets.
    assert!(!k.readiness.contains_key(&listener));
    let (accepted, events) = client_call(&mut k, c, Request::Accept { socket: listener });
    let Reply::Accepted(conn, _) = accepted else { panic!("{accepted:?}") };
    assert!(events.iter().all(|s| *s == listener || *s == conn), "{events:?}");
    all_refused(&mut k, Owner::Kernel, conn);
    k.send_all(outgoing, b"from Linux");
    let mut got = Vec::new();
    while got.len() < 10 {
        match client(&mut k, c, Request::Receive { socket: conn, max: 100, peek: false }) {
            Reply::Received { data, .. } => got.extend(data),
            Reply::Error(Error::WouldBlock) => k.poll(),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(got, b"from Linux");
    // Events left for the client come only through its own EVENTS call.
    let mut buf = vec![0u8; 4096];
    let n = k.stack.take_events_of(c, &mut buf);
    if n > 0 {
        assert!(EventList::decode(&buf[..n]).unwrap().all(|e| e.socket == listener || e.socket == conn));
    }
    // The client ends: its sockets close, the kernel's end sees the end
    // of the stream, and the handles are dead.
    assert_eq!(k.stack.close_owner(c, k.now), 2);
    assert_eq!(k.receive_to_end(outgoing), b"");
    all_refused(&mut k, c, conn);
    assert_eq!(k.stack.take_events_of(c, &mut buf), 0);
    assert_eq!(k.stack.sockets_of(c), 0);
}

#[test]
fn a_client_cannot_take_every_socket() {
    let mut k = Kernel::new();
    let c = Owner::Client(3);
    for _ in 0..CLIENT_SOCKETS {
        client_open(&mut k, c, Kind::Datagram);
    }
    assert_eq!(k.stack.sockets_of(c), CLIENT_SOCKETS);
    assert_eq!(
        client(&mut k, c, Request::Open { family: Family::V4, kind: Kind::Datagram }),
        Reply::Error(Error::TooManySockets)
    );
    // The kernel and other clients still open sockets.
    k.open(Family::V4, Kind::Datagram);
    client_open(&mut k, Owner::Client(4), Kind::Datagram);
    assert_eq!(k.stack.close_owner(c, k.now), CLIENT_SOCKETS);
    client_open(&mut k, c, Kind::Datagram);
}

#[test]
fn random_client_requests_naming_kernel_sockets_never_reach_them() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 4);
    let conn = k.connect(Family::V4, v4(port)).expect("connect");
    let (accepted, _) = k.accept(listener);
    let kernel_handles = [listener, conn, accepted];
    let c = Owner::Client(9);
    let mut x = 0x1234_5678_9abc_def0u64;
    let mut named = 0;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..5000 {
        // Lengths near a handle request's (9 to 20 bytes) decode often.
        let len = if round % 4 != 0 { 9 + (next() % 12) as usize } else { (next() % 40) as usize };
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if let Some(tag) = bytes.first_mut() {
            *tag %= 16;
        }
        // Most name one of the kernel's sockets, where a handle goes.
        if bytes.len() >= 9 && round % 4 != 0 {
            let h = kernel_handles[round % 3];
            bytes[1..9].copy_from_slice(&h.0.to_le_bytes());
        }
        let mut answer = vec![0u8; BUFFER];
        let n = k.stack.handle_as(c, &bytes, &mut answer, k.now);
        let (response, events) = Answer::decode(&answer[..n]).expect("every answer decodes");
        assert!(events.into_iter().all(|e| !kernel_handles.contains(&e.socket)), "a kernel event went to a client");
        if let Ok(request) = Request::decode(&bytes) {
            if request.socket().is_some_and(|s| kernel_handles.contains(&s)) {
                assert_eq!(response, Response::Error(Error::BadHandle), "{request:?}");
                named += 1;
            }
        }
    }
    assert!(named > 100, "only {named} well-formed requests named a kernel socket");
    // The kernel's connection still carries data.
    k.send_all(conn, b"still here");
    let mut got = Vec::new();
    while got.len() < 10 {
        got.extend(k.receive(accepted, 100).expect("receive"));
    }
    assert_eq!(got, b"still here");
    assert_eq!(k.stack.sockets_of(Owner::Kernel), 3);
    k.stack.close_owner(c, k.now);
    assert_eq!(k.stack.sockets_of(Owner::Kernel), 3);
}
