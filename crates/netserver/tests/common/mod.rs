//! A test kernel: drives `Stack::handle` with encoded requests exactly as
//! the kernel will, keeps every socket's latest readiness from both event
//! paths, and checks what the contract promises: sequence numbers only
//! grow, and a socket reported ready does not answer WouldBlock.
//! Time is a fake clock that only moves when a test waits.

#![allow(dead_code)]

pub mod fake_device;

use std::collections::HashMap;

use netproto::{
    Address, Answer, Error, Event, EventList, Family, Kind, Readiness, Request, Response, SocketHandle, SocketOption,
};
use netserver::{Duration, Instant, Stack};

/// Proptest cases: `default`, or NETSERVER_CASES for a longer hunt.
pub fn cases(default: u32) -> u32 {
    std::env::var("NETSERVER_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The shared buffer: 16 pages, as net_serve requires.
pub const BUFFER: usize = 16 * 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Done,
    Error(Error),
    Opened(SocketHandle),
    Accepted(SocketHandle, Address),
    Sent(u32),
    Received {
        data: Vec<u8>,
        full_length: u32,
        from: Option<Address>,
    },
    Address(Address),
    Value(u64),
    /// A table page's records and where the next page starts.
    Records(Vec<netproto::Record>, Option<u32>),
}

pub struct Kernel {
    pub stack: Stack,
    pub now: Instant,
    pub readiness: HashMap<SocketHandle, (u64, Readiness)>,
    last_seq: u64,
    pub events_seen: usize,
    /// The hop limit of the last ICMP message received.
    pub hop_limit: Option<u8>,
}

pub fn v4(port: u16) -> Address {
    Address::V4 { addr: [127, 0, 0, 1], port }
}

pub fn v6(port: u16) -> Address {
    let mut addr = [0u8; 16];
    addr[15] = 1;
    Address::V6 { addr, port, flow_info: 0, scope_id: 0 }
}

pub fn any(family: Family, port: u16) -> Address {
    Address::unspecified(family, port)
}

impl Kernel {
    pub fn new() -> Kernel {
        Kernel::with_limits(netserver::Limits::default())
    }

    pub fn with_limits(limits: netserver::Limits) -> Kernel {
        let now = Instant::from_secs(1000);
        Kernel {
            stack: Stack::with_limits(now, limits),
            now,
            readiness: HashMap::new(),
            last_seq: 0,
            events_seen: 0,
            hop_limit: None,
        }
    }

    fn record(&mut self, event: Event) {
        assert!(event.seq > self.last_seq, "sequence numbers must grow: {} after {}", event.seq, self.last_seq);
        self.last_seq = event.seq;
        self.events_seen += 1;
        self.readiness.insert(event.socket, (event.seq, event.readiness));
    }

    pub fn ready(&self, socket: SocketHandle) -> Readiness {
        self.readiness.get(&socket).map_or(Readiness::NONE, |r| r.1)
    }

    /// One exchange, as the kernel does it.
    pub fn call(&mut self, request: Request) -> Reply {
        let mut req = vec![0u8; BUFFER];
        let n = request.encode(&mut req).expect("request fits");
        let mut answer = vec![0u8; BUFFER];
        let len = self.stack.handle(&req[..n], &mut answer, self.now);
        // As user/netstack's loop: when to poll next, after each request.
        let _ = self.stack.next_poll();
        let (response, events) = Answer::decode(&answer[..len]).expect("the server's answer decodes");
        let reply = match response {
            Response::Done => Reply::Done,
            Response::Error(e) => Reply::Error(e),
            Response::Opened { socket } => Reply::Opened(socket),
            Response::Accepted { socket, peer } => Reply::Accepted(socket, peer),
            Response::Sent { bytes } => Reply::Sent(bytes),
            Response::Received { data, full_length, from } => {
                Reply::Received { data: data.to_vec(), full_length, from }
            }
            Response::Address(a) => Reply::Address(a),
            Response::Value(v) => Reply::Value(v),
            Response::Records(page) => Reply::Records(page.iter().collect(), page.next_start()),
            Response::ReceivedWithHopLimit { data, full_length, from, hop_limit } => {
                self.hop_limit = Some(hop_limit);
                Reply::Received { data: data.to_vec(), full_length, from }
            }
        };
        for e in events {
            self.record(e);
        }
        reply
    }

    /// What the kernel does between requests: the server's poll loop ran
    /// (the clock moved to its next timer, at most `max`) and its
    /// asynchronous events arrived.
    pub fn poll_for(&mut self, max: Duration) {
        let delay = self.stack.poll(self.now).unwrap_or(max).min(max);
        self.now += delay;
        self.stack.poll(self.now);
        let mut buf = vec![0u8; 4096];
        loop {
            let n = self.stack.take_events(&mut buf);
            if n == 0 {
                break;
            }
            let events: Vec<Event> = EventList::decode(&buf[..n]).expect("event list decodes").collect();
            for e in events {
                self.record(e);
            }
        }
    }

    pub fn poll(&mut self) {
        self.poll_for(Duration::from_millis(200));
    }

    /// Polls (moving the clock) until `socket` reports any of `bits`.
    pub fn wait(&mut self, socket: SocketHandle, bits: Readiness) {
        for _ in 0..2000 {
            if self.ready(socket).0 & bits.0 != 0 {
                return;
            }
            self.poll();
        }
        panic!("{socket:?} never became {bits:?}; it is {:?}", self.ready(socket));
    }

    pub fn open(&mut self, family: Family, kind: Kind) -> SocketHandle {
        match self.call(Request::Open { family, kind }) {
            Reply::Opened(s) => s,
            other => panic!("open: {other:?}"),
        }
    }

    pub fn ok(&mut self, request: Request) {
        assert_eq!(self.call(request), Reply::Done, "{request:?}");
    }

    pub fn set(&mut self, socket: SocketHandle, option: SocketOption, value: u64) {
        self.ok(Request::SetOption { socket, option, value });
    }

    pub fn get(&mut self, socket: SocketHandle, option: SocketOption) -> u64 {
        match self.call(Request::GetOption { socket, option }) {
            Reply::Value(v) => v,
            other => panic!("get {option:?}: {other:?}"),
        }
    }

    /// A whole table, page after page, as the kernel reads it.
    pub fn table(&mut self, interfaces: bool) -> Vec<netproto::Record> {
        let mut all = Vec::new();
        let mut start = 0;
        loop {
            let request = if interfaces { Request::Interfaces { start } } else { Request::Sockets { start } };
            match self.call(request) {
                Reply::Records(records, next) => {
                    all.extend(records);
                    match next {
                        Some(n) => {
                            assert!(n > start, "pages move forward");
                            start = n;
                        }
                        None => return all,
                    }
                }
                other => panic!("{request:?}: {other:?}"),
            }
        }
    }

    pub fn listener(&mut self, address: Address, backlog: u32) -> (SocketHandle, u16) {
        let s = self.open(address.family(), Kind::Stream);
        self.ok(Request::Bind { socket: s, address });
        self.ok(Request::Listen { socket: s, backlog });
        let port = match self.call(Request::LocalAddress { socket: s }) {
            Reply::Address(a) => a.port(),
            other => panic!("{other:?}"),
        };
        (s, port)
    }

    /// Starts a connect; it answers InProgress.
    pub fn connect_start(&mut self, family: Family, to: Address) -> SocketHandle {
        let s = self.open(family, Kind::Stream);
        assert_eq!(self.call(Request::Connect { socket: s, address: Some(to) }), Reply::Error(Error::InProgress));
        s
    }

    /// A blocking connect as the kernel does it: InProgress, wait for
    /// WRITABLE or ERROR, then SO_ERROR tells.
    pub fn connect(&mut self, family: Family, to: Address) -> Result<SocketHandle, Error> {
        let s = self.connect_start(family, to);
        self.wait(s, Readiness::WRITABLE | Readiness::ERROR | Readiness::HANGUP);
        match self.get(s, SocketOption::Error) {
            0 => Ok(s),
            code => Err(Error::from_code(code as u16).expect("a known error code")),
        }
    }

    /// A blocking accept.
    pub fn accept(&mut self, listener: SocketHandle) -> (SocketHandle, Address) {
        loop {
            let was_readable = self.ready(listener).contains(Readiness::READABLE);
            match self.call(Request::Accept { socket: listener }) {
                Reply::Accepted(s, peer) => return (s, peer),
                Reply::Error(Error::WouldBlock) => {
                    assert!(!was_readable, "a listener reported READABLE answered WouldBlock");
                    self.wait(listener, Readiness::READABLE);
                }
                other => panic!("accept: {other:?}"),
            }
        }
    }

    /// One non-blocking receive, checked against the reported readiness.
    pub fn try_receive(&mut self, socket: SocketHandle, max: u32, peek: bool) -> Result<Reply, Error> {
        let was_readable = self.ready(socket).contains(Readiness::READABLE);
        match self.call(Request::Receive { socket, max, peek }) {
            Reply::Error(Error::WouldBlock) => {
                assert!(!was_readable, "a socket reported READABLE answered WouldBlock");
                Err(Error::WouldBlock)
            }
            Reply::Error(e) => Err(e),
            other => Ok(other),
        }
    }

    /// A blocking receive: data (empty at end of stream) or an error.
    pub fn receive(&mut self, socket: SocketHandle, max: u32) -> Result<Vec<u8>, Error> {
        loop {
            match self.try_receive(socket, max, false) {
                Ok(Reply::Received { data, .. }) => return Ok(data),
                Ok(other) => panic!("receive: {other:?}"),
                Err(Error::WouldBlock) => self.wait(socket, Readiness::READABLE | Readiness::ERROR),
                Err(e) => return Err(e),
            }
        }
    }

    /// A blocking send of all of `data`.
    pub fn send_all(&mut self, socket: SocketHandle, data: &[u8]) {
        let mut sent = 0;
        while sent < data.len() {
            let was_writable = self.ready(socket).contains(Readiness::WRITABLE);
            let end = (sent + 32768).min(data.len());
            match self.call(Request::Send { socket, to: None, data: &data[sent..end], more: false }) {
                Reply::Sent(n) => sent += n as usize,
                Reply::Error(Error::WouldBlock) => {
                    assert!(!was_writable, "a socket reported WRITABLE answered WouldBlock");
                    self.wait(socket, Readiness::WRITABLE | Readiness::ERROR);
                }
                other => panic!("send: {other:?}"),
            }
        }
    }

    /// Reads until end of stream.
    pub fn receive_to_end(&mut self, socket: SocketHandle) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let data = self.receive(socket, 65536).expect("receive");
            if data.is_empty() {
                return out;
            }
            out.extend_from_slice(&data);
        }
    }
}
