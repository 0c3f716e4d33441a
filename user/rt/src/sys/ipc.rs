//! Endpoints and synchronous messages: an info word and four data words,
//! all in registers (see `abi::MsgInfo`).

use super::{check, unit, Error, MsgInfo, Syscall};
use crate::syscall::{ipc, syscall0, syscall6, IpcRegs};

/// A received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    /// The badge of the capability the sender used (0 for a reply).
    pub badge: u64,
    /// Label, flags and, if a capability arrived, its slot.
    pub info: MsgInfo,
    pub words: [u64; 4],
}

impl Message {
    #[inline]
    fn received(r: &IpcRegs) -> Message {
        Message { badge: r.rdi, info: MsgInfo(r.rsi), words: [r.rdx, r.r10, r.r8, r.r9] }
    }
}

/// Creates an endpoint. Returns its slot (all rights).
pub fn endpoint_create() -> Result<u64, Error> {
    check(syscall0(Syscall::EndpointCreate.nr()))
}

/// Sends a message on `ep` and waits for the reply. Inlined, as is
/// `ipc_reply_recv`: a round trip is two of these and little else, and a
/// call through a wrapper costs about a tenth of it.
#[inline]
pub fn ipc_call(ep: u64, info: MsgInfo, w: [u64; 4]) -> Result<Message, Error> {
    let r = ipc(Syscall::IpcCall.nr(), [ep, info.0, w[0], w[1], w[2], w[3]]);
    check(r.rax)?;
    Ok(Message { badge: 0, ..Message::received(&r) })
}

/// Sends a message without expecting a reply; waits for a receiver unless
/// `info` is non-blocking.
pub fn ipc_send(ep: u64, info: MsgInfo, w: [u64; 4]) -> Result<(), Error> {
    unit(syscall6(Syscall::IpcSend.nr(), ep, info.0, w[0], w[1], w[2], w[3]))
}

/// Waits up to `timeout` ns (0 polls, `abi::FOREVER` waits) for a message.
pub fn ipc_recv(ep: u64, timeout: u64) -> Result<Message, Error> {
    let r = ipc(Syscall::IpcRecv.nr(), [ep, timeout, 0, 0, 0, 0]);
    check(r.rax)?;
    Ok(Message::received(&r))
}

/// Answers a call: `reply` is a slot from [`reply_save`], or `abi::NO_CAP`
/// for the pending call.
pub fn ipc_reply(reply: u64, info: MsgInfo, w: [u64; 4]) -> Result<(), Error> {
    unit(syscall6(Syscall::IpcReply.nr(), reply, info.0, w[0], w[1], w[2], w[3]))
}

/// Replies to the pending call (if any) and waits for the next message.
#[inline]
pub fn ipc_reply_recv(ep: u64, info: MsgInfo, w: [u64; 4]) -> Result<Message, Error> {
    let r = ipc(Syscall::IpcReplyRecv.nr(), [ep, info.0, w[0], w[1], w[2], w[3]]);
    check(r.rax)?;
    Ok(Message::received(&r))
}

/// Moves the pending reply right into the table. Returns its slot.
pub fn reply_save() -> Result<u64, Error> {
    check(syscall0(Syscall::ReplySave.nr()))
}
