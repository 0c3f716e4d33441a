//! net_serve, net_events: how a native network server (user/netstack)
//! serves the kernel's Internet sockets (see `fs/inet/`), with the
//! authority of a Net capability.

use super::misc::copy_in;
use crate::cap::{self, KObject};
use crate::fs::inet;
use crate::ipc::table_of;
use crate::task::thread::Thread;
use abi::{CapType, Error, Rights};
use alloc::sync::Arc;

/// The smallest shared buffer: a request with its data, or an answer with
/// its data and a batch of readiness events, must fit.
const MIN_BUFFER_PAGES: u64 = 16;
/// The largest event list one `net_events` call may carry.
const MAX_EVENTS_BYTES: u64 = 65536;

fn check_net(t: &Arc<Thread>, slot: u64) -> Result<(), Error> {
    cap::lookup(table_of(t), slot, CapType::Net, Rights::WRITE).map(|_| ())
}

pub fn serve(t: &Arc<Thread>, net: u64, ep: u64, buf: u64) -> Result<u64, Error> {
    check_net(t, net)?;
    let table = table_of(t);
    let (endpoint, _, _) = cap::lookup(table, ep, CapType::Endpoint, Rights::WRITE)?;
    let (memory, _, _) = cap::lookup(table, buf, CapType::Memory, Rights::READ | Rights::WRITE)?;
    let KObject::Endpoint(endpoint) = endpoint else { return Err(Error::WrongType) };
    let KObject::Memory { object, first, count } = memory else { return Err(Error::WrongType) };
    if count < MIN_BUFFER_PAGES {
        return Err(Error::InvalidArgument);
    }
    let capacity = (count * abi::PAGE_SIZE) as usize;
    inet::serve(endpoint, object.pages.clone(), first * abi::PAGE_SIZE, capacity, t.process().pid)
        .map_err(|_| Error::NoMemory)?;
    Ok(0)
}

pub fn events(t: &Arc<Thread>, net: u64, buf: u64, len: u64) -> Result<u64, Error> {
    check_net(t, net)?;
    if len > MAX_EVENTS_BYTES {
        return Err(Error::InvalidArgument);
    }
    let bytes = copy_in(t, buf, len)?;
    inet::events_from(t.process().pid, &bytes)?;
    Ok(0)
}
