//! Attaching to the server, and one exchange: a request written in the
//! shared buffer, one IPC call, the answer read from the same place.

use abi::{CapType, MsgInfo, Rights, FOREVER, TASK_SELF_SLOT};
use alloc::collections::BTreeMap;
use netproto::{Answer, Event, EventList, Readiness, Request, Response, SocketHandle};
use protocols::sockets as proto;
use rt::shared::SharedBuffer;
use rt::sys;

use crate::NetError;

extern crate alloc;

/// The buffer each attachment gives the server: as large as the server
/// takes, so that a receive or send moves up to ~64 KiB per call.
const PAGES: u64 = proto::MAX_PAGES;
/// The notification bit the server signals.
const EVENT_BIT: u64 = 1;

/// The `sockets` endpoint among this task's capabilities: an Endpoint with
/// WRITE and GRANT (to attach, a message carries a capability).
pub fn find_endpoint() -> Option<u64> {
    (abi::FIRST_GRANTED_SLOT..abi::FIRST_GRANTED_SLOT + abi::MAX_SPAWN_CAPS as u64).find(|&slot| {
        sys::cap_info(slot)
            .is_ok_and(|i| i.cap_type == CapType::Endpoint && i.rights.contains(Rights::WRITE | Rights::GRANT))
    })
}

/// The shared buffer, unmapped when the attachment ends (its memory is
/// freed once the server has unmapped its side too).
struct Mapped(Option<SharedBuffer>);

impl core::ops::Deref for Mapped {
    type Target = SharedBuffer;
    fn deref(&self) -> &SharedBuffer {
        // Only `drop` empties it.
        self.0.as_ref().unwrap_or_else(|| unreachable!("the buffer is gone only in drop"))
    }
}

impl core::ops::DerefMut for Mapped {
    fn deref_mut(&mut self) -> &mut SharedBuffer {
        self.0.as_mut().unwrap_or_else(|| unreachable!("the buffer is gone only in drop"))
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        if let Some(buffer) = self.0.take() {
            let _ = buffer.unmap();
        }
    }
}

/// One attachment to the server.
pub struct Net {
    /// This client's own (badged) endpoint.
    endpoint: u64,
    notify: u64,
    buffer: Mapped,
    /// Each socket's newest reported readiness and its sequence number.
    readiness: BTreeMap<u64, (u64, Readiness)>,
}

/// Capabilities made for the attach, deleted if it fails.
struct Made(alloc::vec::Vec<u64>);

impl Drop for Made {
    fn drop(&mut self) {
        for &slot in &self.0 {
            let _ = sys::cap_delete(slot);
        }
    }
}

fn call(ep: u64, info: MsgInfo, words: [u64; 4]) -> Result<[u64; 4], NetError> {
    let msg = sys::ipc_call(ep, info, words)?;
    match msg.info.label() {
        proto::DONE => Ok(msg.words),
        other => Err(NetError::Refused(other)),
    }
}

impl Net {
    /// Attaches on `endpoint` (the manifest's `sockets`): sends this
    /// task, gets this client's own endpoint, gives a fresh buffer and a
    /// fresh notification.
    pub fn attach(endpoint: u64) -> Result<Net, NetError> {
        let mut made = Made(alloc::vec::Vec::new());
        let task = sys::cap_derive(TASK_SELF_SLOT, Rights::READ | Rights::TRANSFER, 0, 0, 0)?;
        made.0.push(task);
        let msg = sys::ipc_call(endpoint, MsgInfo::new(proto::ATTACH).with_cap(task), [0; 4])?;
        let own = match (msg.info.label(), msg.info.cap()) {
            (proto::DONE, Some(own)) => own,
            (proto::DONE, None) => return Err(NetError::Malformed),
            (other, _) => return Err(NetError::Refused(other)),
        };
        let mem = sys::mem_alloc(PAGES, 0)?;
        made.0.push(mem);
        let buffer = SharedBuffer::map(mem, PAGES)?;
        call(own, MsgInfo::new(proto::BUFFER).with_cap(mem), [PAGES, 0, 0, 0])?;
        let notify = sys::notification_create()?;
        let signal = sys::cap_derive(notify, Rights::WRITE | Rights::TRANSFER, 0, 0, 0)?;
        made.0.push(signal);
        call(own, MsgInfo::new(proto::EVENTS).with_cap(signal), [EVENT_BIT, 0, 0, 0])?;
        // Sent (copied) or not needed any more: the mapping keeps the
        // buffer, the server its own copies.
        drop(made);
        Ok(Net { endpoint: own, notify, buffer: Mapped(Some(buffer)), readiness: BTreeMap::new() })
    }

    /// One request, answered at once (never waits for readiness): `f`
    /// sees the response, which borrows the buffer.
    pub fn exchange<R>(&mut self, request: &Request, f: impl FnOnce(Response) -> R) -> Result<R, NetError> {
        let len =
            request.encode(self.buffer.bytes_mut()).map_err(|_| NetError::Socket(netproto::Error::MessageTooLong))?;
        let words = call(self.endpoint, MsgInfo::new(proto::REQUEST), [len as u64, 0, 0, 0])?;
        let n = usize::try_from(words[0]).ok().filter(|&n| n <= self.buffer.len()).ok_or(NetError::Malformed)?;
        let (response, events) = Answer::decode(&self.buffer.bytes()[..n]).map_err(|_| NetError::Malformed)?;
        for e in events {
            record(&mut self.readiness, e);
        }
        Ok(f(response))
    }

    /// Waits until the server has signalled readiness events for this
    /// client, and takes them.
    pub fn wait(&mut self) -> Result<(), NetError> {
        sys::notify_wait(self.notify, FOREVER)?;
        self.take_events()
    }

    /// Takes the events the server holds for this client.
    pub fn take_events(&mut self) -> Result<(), NetError> {
        loop {
            let words = call(self.endpoint, MsgInfo::new(proto::TAKE_EVENTS), [0; 4])?;
            let n = usize::try_from(words[0]).ok().filter(|&n| n <= self.buffer.len()).ok_or(NetError::Malformed)?;
            if n == 0 {
                return Ok(());
            }
            let events = EventList::decode(&self.buffer.bytes()[..n]).map_err(|_| NetError::Malformed)?;
            for e in events {
                record(&mut self.readiness, e);
            }
        }
    }

    /// `socket`'s newest readiness the server reported.
    pub fn readiness(&self, socket: SocketHandle) -> Readiness {
        self.readiness.get(&socket.0).map_or(Readiness::NONE, |r| r.1)
    }

    pub(crate) fn forget(&mut self, socket: SocketHandle) {
        self.readiness.remove(&socket.0);
    }

    /// Calls `request` until it no longer answers `WouldBlock`, waiting
    /// for readiness between attempts, as the kernel does for a blocking
    /// Linux socket.
    pub fn blocking<R>(
        &mut self,
        request: &Request,
        mut f: impl FnMut(Response) -> Result<R, NetError>,
    ) -> Result<R, NetError> {
        loop {
            match self.exchange(request, &mut f)? {
                Err(NetError::Socket(netproto::Error::WouldBlock)) => self.wait()?,
                other => return other,
            }
        }
    }

    /// Detaches: the server closes every socket of this attachment.
    pub fn detach(self) {}
}

impl Drop for Net {
    fn drop(&mut self) {
        let _ = sys::ipc_call(self.endpoint, MsgInfo::new(proto::DETACH), [0; 4]);
        let _ = sys::cap_delete(self.endpoint);
        let _ = sys::cap_delete(self.notify);
    }
}

/// Keeps the newest event per socket: answers and event lists may bring
/// them in any order.
fn record(map: &mut BTreeMap<u64, (u64, Readiness)>, e: Event) {
    let entry = map.entry(e.socket.0).or_insert((0, Readiness::NONE));
    if e.seq > entry.0 {
        *entry = (e.seq, e.readiness);
    }
}

impl Net {
    /// The most data one request or answer carries: the buffer less room
    /// for the fields and a batch of events.
    pub(crate) fn max_data(&self) -> usize {
        self.buffer.len().saturating_sub(netproto::Answer::OVERHEAD + 4096)
    }
}

impl Net {
    /// A call on this client's endpoint with any label and words, for
    /// tests of the protocol's edges.
    pub fn raw_call(&mut self, label: u32, words: [u64; 4]) -> Result<sys::Message, abi::Error> {
        sys::ipc_call(self.endpoint, MsgInfo::new(label), words)
    }
}

impl Net {
    /// Sends `bytes` as a request, whatever they are (for tests of a
    /// server facing hostile requests): the error the server answered, or
    /// None for any other response.
    pub fn raw_request(&mut self, bytes: &[u8]) -> Result<Option<netproto::Error>, NetError> {
        let n = bytes.len().min(self.buffer.len());
        self.buffer.bytes_mut()[..n].copy_from_slice(&bytes[..n]);
        let words = call(self.endpoint, MsgInfo::new(proto::REQUEST), [n as u64, 0, 0, 0])?;
        let len = usize::try_from(words[0]).ok().filter(|&l| l <= self.buffer.len()).ok_or(NetError::Malformed)?;
        let (response, events) = Answer::decode(&self.buffer.bytes()[..len]).map_err(|_| NetError::Malformed)?;
        for e in events {
            record(&mut self.readiness, e);
        }
        Ok(match response {
            Response::Error(e) => Some(e),
            _ => None,
        })
    }
}
