//! cap_info, cap_derive, cap_delete, cap_revoke: the calls on capabilities
//! themselves. The rules (rights only shrink, badges are set once, ranges
//! only narrow, revocation reaches every descendant) are `crates/captable`.

use super::misc::copy_out;
use crate::cap::{self, KObject};
use crate::ipc::table_of;
use crate::task::thread::Thread;
use abi::{CapInfo, CapType, Error, Rights};
use alloc::sync::Arc;
use captable::{CapObject, Placement};

pub fn info(t: &Arc<Thread>, slot: u64, out: u64) -> Result<u64, Error> {
    let (object, rights, badge) = cap::lookup_any(table_of(t), slot)?;
    let (base, len) = object.range();
    let info = CapInfo { cap_type: object.cap_type(), rights, badge, base, len };
    drop(object);
    copy_out(t, out, &info.encode())?;
    Ok(0)
}

pub fn derive(t: &Arc<Thread>, slot: u64, rights: u64, badge: u64, base: u64, len: u64) -> Result<u64, Error> {
    let rights = Rights::from_bits(rights).ok_or(Error::InvalidArgument)?;
    let table = table_of(t);
    let (parent, _, _) = cap::lookup_any(table, slot)?;
    let badged = matches!(parent.cap_type(), CapType::Endpoint | CapType::Notification);
    if badge != 0 && !badged {
        return Err(Error::InvalidArgument);
    }
    if parent.cap_type() == CapType::Notification && badge & !abi::NOTIFY_BITS != 0 {
        return Err(Error::InvalidArgument);
    }
    let narrowed = if len != 0 {
        Some(parent.narrowed(base, len).ok_or(Error::InvalidArgument)?)
    } else if base != 0 {
        return Err(Error::InvalidArgument);
    } else {
        None
    };
    drop(parent);
    let badge = if badge == 0 { None } else { Some(badge) };
    let r = cap::with_space(|s| s.derive(table, slot, rights, badge, narrowed, Placement::Lowest { min: 0 }));
    r.map(u64::from)
}

pub fn delete(t: &Arc<Thread>, slot: u64) -> Result<u64, Error> {
    let table = table_of(t);
    let removed: Option<KObject> = cap::with_space(|s| s.delete(table, slot))?;
    drop(removed);
    Ok(0)
}

pub fn revoke(t: &Arc<Thread>, slot: u64) -> Result<u64, Error> {
    let table = table_of(t);
    let removed = cap::with_space(|s| s.revoke(table, slot))?;
    let n = removed.len() as u64;
    cap::drop_outside(removed);
    Ok(n)
}
