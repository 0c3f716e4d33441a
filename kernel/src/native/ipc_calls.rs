//! The IPC calls: endpoints, notifications, call/send/receive/reply.
//! The mechanics are in `ipc/`; this file checks capabilities and moves
//! registers.

use super::return_message;
use crate::cap::{self, KObject};
use crate::ipc::{deadline, table_of, Endpoint, Message, Notification};
use crate::task::thread::Thread;
use abi::{CapType, Error, MsgInfo, Rights, NO_CAP};
use alloc::sync::Arc;
use kernel_ops::UserContext;

pub fn endpoint_create(t: &Arc<Thread>) -> Result<u64, Error> {
    cap::insert(table_of(t), KObject::Endpoint(Endpoint::new()), Rights::ALL)
}

pub fn notification_create(t: &Arc<Thread>) -> Result<u64, Error> {
    cap::insert(table_of(t), KObject::Notification(Notification::new()), Rights::ALL)
}

/// The endpoint in `slot`, with the capability's rights and badge. On
/// every call and receive, so only the endpoint is cloned (not the whole
/// capability): the checks and their order are `cap::lookup`'s.
#[inline(always)]
fn endpoint(t: &Arc<Thread>, slot: u64, needed: Rights) -> Result<(Arc<Endpoint>, Rights, u64), Error> {
    cap::space().with_cap(table_of(t), slot, |c| match c.object {
        KObject::Endpoint(ep) if c.rights.contains(needed) => Ok((ep.clone(), c.rights, c.badge)),
        KObject::Endpoint(_) => Err(Error::MissingRights),
        _ => Err(Error::WrongType),
    })?
}

/// The message in the caller's registers, checked: reserved bits clear,
/// and a capability to send must exist and be transferable.
#[inline(always)]
fn message(t: &Arc<Thread>, f: &UserContext, info: u64) -> Result<Message, Error> {
    let info = MsgInfo(info);
    if !info.is_valid() {
        return Err(Error::InvalidArgument);
    }
    if let Some(slot) = info.cap() {
        let (_, rights, _) = cap::lookup_any(table_of(t), slot)?;
        if !rights.contains(Rights::TRANSFER) {
            return Err(Error::MissingRights);
        }
    }
    Ok(Message { info, words: super::arch::message_words(f) })
}

/// `ipc_call` (call = true) and `ipc_send`.
#[inline]
pub fn call(t: &Arc<Thread>, f: &mut UserContext, ep: u64, info: u64, call: bool) -> Result<u64, Error> {
    let (ep, rights, badge) = endpoint(t, ep, Rights::WRITE)?;
    let msg = message(t, f, info)?;
    if msg.info.cap().is_some() && !rights.contains(Rights::GRANT) {
        return Err(Error::MissingRights);
    }
    if let Some(reply) = ep.send(t, msg, badge, call)? {
        return_message(f, &reply);
    }
    Ok(0)
}

pub fn recv(t: &Arc<Thread>, f: &mut UserContext, ep: u64, timeout: u64) -> Result<u64, Error> {
    let (ep, _, _) = endpoint(t, ep, Rights::READ)?;
    let m = ep.receive(t, deadline(timeout), timeout == 0)?;
    return_message(f, &m);
    Ok(0)
}

pub fn reply(t: &Arc<Thread>, f: &mut UserContext, reply: u64, info: u64) -> Result<u64, Error> {
    let msg = message(t, f, info)?;
    let table = table_of(t);
    if reply == NO_CAP {
        let right = t.ipc.lock().reply.take().ok_or(Error::InvalidState)?;
        let caller = right.answer(&msg, table)?;
        crate::sched::wake(&caller);
    } else {
        let (obj, _, _) = cap::lookup(table, reply, CapType::Reply, Rights::WRITE)?;
        let KObject::Reply(right) = obj else { return Err(Error::WrongType) };
        // One shot: the capability goes with its use.
        let removed = cap::with_space(|s| s.delete(table, reply));
        drop(removed);
        right.reply(&msg, table)?;
    }
    Ok(0)
}

#[inline]
pub fn reply_recv(t: &Arc<Thread>, f: &mut UserContext, ep: u64, info: u64) -> Result<u64, Error> {
    let (ep, _, _) = endpoint(t, ep, Rights::READ)?;
    let msg = message(t, f, info)?;
    let pending = t.ipc.lock().reply.take();
    // A caller that died meanwhile is no reason for the server to stop.
    let caller = pending.and_then(|right| right.answer(&msg, table_of(t)).ok());
    // The caller is woken by the receive: given this CPU directly if no
    // other call is waiting (the fast path of a round trip).
    let m = ep.receive_after_reply(t, None, false, caller)?;
    return_message(f, &m);
    Ok(0)
}

pub fn reply_save(t: &Arc<Thread>) -> Result<u64, Error> {
    let right = Arc::new(t.ipc.lock().reply.take().ok_or(Error::InvalidState)?);
    match cap::insert(table_of(t), KObject::Reply(right.clone()), Rights::WRITE | Rights::TRANSFER) {
        Ok(slot) => Ok(slot),
        Err(e) => {
            // Not stored: this is the only reference again.
            if let Ok(right) = Arc::try_unwrap(right) {
                t.ipc.lock().reply = Some(right);
            }
            Err(e)
        }
    }
}

fn notification(t: &Arc<Thread>, slot: u64, needed: Rights) -> Result<(Arc<Notification>, u64), Error> {
    match cap::lookup(table_of(t), slot, CapType::Notification, needed)? {
        (KObject::Notification(n), _, badge) => Ok((n, badge)),
        _ => Err(Error::WrongType),
    }
}

pub fn signal(t: &Arc<Thread>, ntfn: u64, bits: u64) -> Result<u64, Error> {
    let (n, badge) = notification(t, ntfn, Rights::WRITE)?;
    if bits & !abi::NOTIFY_BITS != 0 {
        return Err(Error::InvalidArgument);
    }
    n.signal(bits | badge);
    Ok(0)
}

pub fn wait(t: &Arc<Thread>, ntfn: u64, timeout: u64) -> Result<u64, Error> {
    let (n, _) = notification(t, ntfn, Rights::READ)?;
    n.wait(t, deadline(timeout), timeout == 0)
}
