//! Native clients (`protocols::sockets`): native programs' sockets, on the
//! endpoint the manifest grants as `endpoint sockets`. One thread serves
//! them all, beside the kernel's thread, sharing the stack under its lock.
//!
//! A client is known by the badge of the endpoint copy it got when it
//! attached (a number never reused); `netserver` keeps which sockets are
//! whose (`Owner::Client`), so a client reaches only its own. Its buffer
//! is its memory, which it may scribble on at any time: requests are
//! copied out of it and answers copied in with volatile byte copies
//! (`SharedBuffer::read_into`/`write_from`), never through a Rust
//! reference, and every byte is decoded as hostile (netproto).
//!
//! The kernel comes first: the kernel's thread raises `KERNEL_WAITING`
//! while it waits for the stack's lock, and this thread yields until it is
//! down before taking the lock for a client. Each client call does one
//! bounded request, so a busy client delays a Linux program's socket call
//! by at most one request.

use abi::{CapType, Error, MsgInfo, Rights, NO_CAP};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};
use netserver::Owner;
use protocols::sockets as proto;
use rt::lock::SpinLock;
use rt::shared::SharedBuffer;
use rt::{println, sys};

use crate::{now, wake_timer, STACK};

/// Raised by the kernel's thread while it waits for the stack.
pub static KERNEL_WAITING: AtomicBool = AtomicBool::new(false);

/// Each client's notification and bits, for whichever thread finds it has
/// new events: all three threads signal.
static NOTIFY: SpinLock<BTreeMap<u64, (u64, u64)>> = SpinLock::new(BTreeMap::new());

/// How often ended clients are looked for when no call comes.
const REAP_NS: u64 = 1_000_000_000;

/// Signals the clients in `woken` (taken from the stack after it ran).
pub fn signal(woken: &mut Vec<u64>) {
    if woken.is_empty() {
        return;
    }
    NOTIFY.with(|n| {
        for client in woken.iter() {
            if let Some(&(slot, bits)) = n.get(client) {
                // Best effort: a client that deleted its notification just
                // hears nothing.
                let _ = sys::notify_signal(slot, bits);
            }
        }
    });
    woken.clear();
}

struct Client {
    /// Its task (READ): `task_wait` with no timeout tells if it ended.
    task: u64,
    /// The badged endpoint copy this server made for it.
    endpoint: u64,
    buffer: Option<SharedBuffer>,
}

/// The thread's state.
struct Clients {
    endpoint: u64,
    clients: BTreeMap<u64, Client>,
    next: u64,
    request: Vec<u8>,
    answer: Vec<u8>,
    woken: Vec<u64>,
}

/// The thread: `endpoint` is the granted `sockets` endpoint.
pub fn thread(endpoint: u64) -> i32 {
    let mut s = Clients {
        endpoint,
        clients: BTreeMap::new(),
        next: 1,
        request: Vec::new(),
        answer: alloc::vec![0u8; (proto::MAX_PAGES * abi::PAGE_SIZE) as usize],
        woken: Vec::new(),
    };
    let mut last_reap = sys::clock_ns();
    loop {
        let msg = sys::ipc_recv(endpoint, REAP_NS);
        if sys::clock_ns().saturating_sub(last_reap) >= REAP_NS || msg.is_err() {
            s.reap();
            last_reap = sys::clock_ns();
        }
        let Ok(msg) = msg else { continue };
        let cap = msg.info.cap();
        let ((info, words), keep) = s.handle(&msg, cap);
        // A capability the call did not keep is not kept.
        if let (Some(slot), false) = (cap, keep) {
            let _ = sys::cap_delete(slot);
        }
        let _ = sys::ipc_reply(NO_CAP, info, words);
    }
}

type Reply = (MsgInfo, [u64; 4]);

fn reply(label: u32) -> Reply {
    (MsgInfo::new(label), [0; 4])
}

/// A capability of `cap_type` with `rights` in `slot`.
fn is(slot: u64, cap_type: CapType, rights: Rights) -> bool {
    sys::cap_info(slot).is_ok_and(|i| i.cap_type == cap_type && i.rights.contains(rights))
}

impl Clients {
    /// Serves one call: (reply, whether the capability sent is kept).
    fn handle(&mut self, msg: &sys::Message, cap: Option<u64>) -> (Reply, bool) {
        let label = msg.info.label();
        if msg.badge == 0 {
            return match label {
                proto::ATTACH => self.attach(cap),
                _ => (reply(proto::NOT_ATTACHED), false),
            };
        }
        let id = msg.badge;
        if !self.clients.contains_key(&id) {
            return (reply(proto::NOT_ATTACHED), false);
        }
        match label {
            proto::BUFFER => self.buffer(id, cap, msg.words[0]),
            proto::EVENTS => (self.events(id, cap, msg.words[0]), true),
            proto::REQUEST => (self.request(id, msg.words[0]), false),
            proto::TAKE_EVENTS => (self.take_events(id), false),
            proto::DETACH => {
                self.forget(id);
                (reply(proto::DONE), false)
            }
            _ => (reply(proto::UNSUPPORTED), false),
        }
    }

    fn attach(&mut self, cap: Option<u64>) -> (Reply, bool) {
        let Some(task) = cap.filter(|&slot| is(slot, CapType::Task, Rights::READ)) else {
            return (reply(proto::MALFORMED), false);
        };
        if self.clients.len() >= proto::MAX_CLIENTS {
            self.reap();
            if self.clients.len() >= proto::MAX_CLIENTS {
                return (reply(proto::BUSY), false);
            }
        }
        let id = self.next;
        let rights = Rights::WRITE | Rights::GRANT | Rights::TRANSFER;
        let Ok(endpoint) = sys::cap_derive(self.endpoint, rights, id, 0, 0) else {
            return (reply(proto::FAILED), false);
        };
        self.next += 1;
        self.clients.insert(id, Client { task, endpoint, buffer: None });
        println!("netstack: native client {id} attached");
        ((MsgInfo::new(proto::DONE).with_cap(endpoint), [id, 0, 0, 0]), true)
    }

    fn buffer(&mut self, id: u64, cap: Option<u64>, pages: u64) -> (Reply, bool) {
        let Some(mem) = cap.filter(|&slot| is(slot, CapType::Memory, Rights::READ | Rights::WRITE)) else {
            return (reply(proto::MALFORMED), false);
        };
        let Some(client) = self.clients.get_mut(&id) else { return (reply(proto::NOT_ATTACHED), false) };
        let fits = sys::cap_info(mem).is_ok_and(|i| i.len >= pages);
        if !(proto::MIN_PAGES..=proto::MAX_PAGES).contains(&pages) || !fits || client.buffer.is_some() {
            return (reply(proto::MALFORMED), false);
        }
        match SharedBuffer::map(mem, pages) {
            Ok(buffer) => {
                client.buffer = Some(buffer);
                // The mapping keeps the memory; the capability is not needed.
                (reply(proto::DONE), false)
            }
            Err(_) => (reply(proto::FAILED), false),
        }
    }

    /// Returns the reply; the capability is kept when the reply is DONE
    /// (deleted by `forget` or when replaced).
    fn events(&mut self, id: u64, cap: Option<u64>, bits: u64) -> Reply {
        let Some(ntfn) = cap.filter(|&slot| is(slot, CapType::Notification, Rights::WRITE)) else {
            if let Some(slot) = cap {
                let _ = sys::cap_delete(slot);
            }
            return reply(proto::MALFORMED);
        };
        if bits == 0 || bits >> 63 != 0 {
            let _ = sys::cap_delete(ntfn);
            return reply(proto::MALFORMED);
        }
        if let Some((old, _)) = NOTIFY.with(|n| n.insert(id, (ntfn, bits))) {
            let _ = sys::cap_delete(old);
        }
        // Events may already wait.
        let _ = sys::notify_signal(ntfn, bits);
        reply(proto::DONE)
    }

    fn request(&mut self, id: u64, len: u64) -> Reply {
        let Some(buffer) = self.clients.get(&id).and_then(|c| c.buffer.as_ref()) else {
            return reply(proto::NOT_ATTACHED);
        };
        let Some(len) = usize::try_from(len).ok().filter(|&l| l <= buffer.len()) else {
            return reply(proto::MALFORMED);
        };
        self.request.resize(len, 0);
        buffer.read_into(0, &mut self.request);
        let answer = &mut self.answer[..buffer.len()];
        while KERNEL_WAITING.load(Ordering::Acquire) {
            sys::yield_now();
        }
        let (n, due) = {
            let mut guard = STACK.lock();
            let Some(stack) = guard.as_mut() else { return reply(proto::FAILED) };
            let start = sys::clock_ns();
            let n = stack.handle_as(Owner::Client(id), &self.request, answer, crate::instant_at(start));
            let delay = stack.next_poll();
            stack.take_woken_clients(&mut self.woken);
            (n, crate::due_after(start, if stack.has_events() { Some(netserver::Duration::ZERO) } else { delay }))
        };
        buffer.write_from(0, &self.answer[..n]);
        wake_timer(due);
        signal(&mut self.woken);
        (MsgInfo::new(proto::DONE), [n as u64, 0, 0, 0])
    }

    fn take_events(&mut self, id: u64) -> Reply {
        let Some(buffer) = self.clients.get(&id).and_then(|c| c.buffer.as_ref()) else {
            return reply(proto::NOT_ATTACHED);
        };
        let out = &mut self.answer[..buffer.len()];
        let n = STACK.with(|s| s.as_mut().map_or(0, |s| s.take_events_of(Owner::Client(id), out)));
        buffer.write_from(0, &self.answer[..n]);
        (MsgInfo::new(proto::DONE), [n as u64, 0, 0, 0])
    }

    /// Forgets every client whose task has ended.
    fn reap(&mut self) {
        let ended: Vec<u64> = self
            .clients
            .iter()
            .filter(|(_, c)| !matches!(sys::task_wait(c.task, 0), Err(Error::WouldBlock) | Err(Error::TimedOut)))
            .map(|(&id, _)| id)
            .collect();
        for id in ended {
            self.forget(id);
        }
    }

    /// Closes a client's sockets and drops everything it gave.
    fn forget(&mut self, id: u64) {
        let Some(client) = self.clients.remove(&id) else { return };
        let closed = STACK.with(|s| s.as_mut().map_or(0, |s| s.close_owner(Owner::Client(id), now())));
        if closed > 0 {
            println!("netstack: native client {id} has gone; closed its {closed} sockets");
        }
        wake_timer(0);
        let _ = sys::cap_delete(client.task);
        // Its endpoint copies (the client's and this one) stop working.
        let _ = sys::cap_revoke(client.endpoint);
        let _ = sys::cap_delete(client.endpoint);
        if let Some(buffer) = client.buffer {
            let _ = buffer.unmap();
        }
        if let Some((ntfn, _)) = NOTIFY.with(|n| n.remove(&id)) {
            let _ = sys::cap_delete(ntfn);
        }
    }
}
