//! The key retention service: add_key, request_key and keyctl. This file
//! copies strings and payloads in (in Linux's order, with its limits and
//! errnos), decodes the keyctl commands and copies answers out; the rules
//! are `keyrings`', carried out by the core (`KernelOps::keys`).

use crate::util::buffer;
use alloc::string::String;
use alloc::vec::Vec;
use kernel_ops::keyrings::{Reply, Request};
use kernel_ops::{Error, KResult, KernelOps};
use linux_abi::keyctl::*;

/// A key type name: 1..=31 bytes, not starting with '.' (EPERM: the
/// kernel's internal types).
fn key_type(ops: &mut dyn KernelOps, addr: u64) -> KResult<String> {
    let raw = match ops.copy_in_cstring(addr, KEY_TYPE_MAX - 1) {
        Err(Error::NameTooLong) => return Err(Error::InvalidArgument),
        r => r?,
    };
    if raw.is_empty() {
        return Err(Error::InvalidArgument);
    }
    if raw[0] == b'.' {
        return Err(Error::NotPermitted);
    }
    text(raw)
}

/// A string of at most `max - 1` bytes (strndup_user): too long is EINVAL.
fn string(ops: &mut dyn KernelOps, addr: u64, max: usize) -> KResult<String> {
    match ops.copy_in_cstring(addr, max - 1) {
        Err(Error::NameTooLong) => Err(Error::InvalidArgument),
        r => text(r?),
    }
}

/// Descriptions are bytes to Linux; the store keeps text, so bytes that
/// are not UTF-8 are kept one char per byte (Latin-1), which keeps them
/// distinct and their lengths for the quota.
fn text(raw: Vec<u8>) -> KResult<String> {
    match String::from_utf8(raw) {
        Ok(s) => Ok(s),
        Err(e) => Ok(e.into_bytes().iter().map(|&b| char::from(b)).collect()),
    }
}

fn payload(ops: &mut dyn KernelOps, addr: u64, len: u64) -> KResult<Vec<u8>> {
    let mut data = buffer(len as usize)?;
    if len > 0 {
        ops.copy_in(addr, &mut data)?;
    }
    Ok(data)
}

fn serial(raw: u64) -> i32 {
    raw as i32
}

fn value(reply: Reply) -> u64 {
    match reply {
        Reply::Value(v) => v as u64,
        Reply::Data(d) => d.len() as u64,
    }
}

/// READ, DESCRIBE, GET_SECURITY: the whole answer is copied only when the
/// buffer holds all of it; the length is returned either way.
fn data_out(ops: &mut dyn KernelOps, reply: Reply, buf: u64, buflen: u64) -> KResult<u64> {
    if let Reply::Data(d) = &reply {
        if buf != 0 && buflen >= d.len() as u64 && !d.is_empty() {
            ops.copy_out(buf, d)?;
        }
    }
    Ok(value(reply))
}

pub fn add_key(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (plen, keyring) = (a[3], serial(a[4]));
    if plen > KEY_MAX_PAYLOAD as u64 {
        return Err(Error::InvalidArgument);
    }
    let ktype = key_type(ops, a[0])?;
    let description = if a[1] != 0 {
        let d = string(ops, a[1], KEY_MAX_DESC_SIZE)?;
        if d.is_empty() {
            None
        } else if d.starts_with('.') && ktype.starts_with("keyring") {
            return Err(Error::NotPermitted);
        } else {
            Some(d)
        }
    } else {
        None
    };
    let payload = if plen > 0 && a[2] == 0 { return Err(Error::Fault) } else { payload(ops, a[2], plen)? };
    ops.keys(Request::Add { ktype, description, payload, keyring }).map(value)
}

pub fn request_key(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let ktype = key_type(ops, a[0])?;
    if a[1] == 0 {
        return Err(Error::Fault);
    }
    let description = string(ops, a[1], KEY_MAX_DESC_SIZE)?;
    let callout = if a[2] != 0 { Some(string(ops, a[2], KEY_MAX_UPDATE)?.into_bytes()) } else { None };
    ops.keys(Request::RequestKey { ktype, description, callout, dest: serial(a[3]) }).map(value)
}

pub fn keyctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let cmd = a[0] as i32;
    let request = match cmd {
        KEYCTL_GET_KEYRING_ID => Request::GetKeyringId { id: serial(a[1]), create: a[2] != 0 },
        KEYCTL_JOIN_SESSION_KEYRING => {
            Request::JoinSession { name: if a[1] != 0 { Some(string(ops, a[1], KEY_MAX_DESC_SIZE)?) } else { None } }
        }
        KEYCTL_UPDATE => {
            if a[3] > KEY_MAX_UPDATE as u64 {
                return Err(Error::InvalidArgument);
            }
            let data = if a[3] > 0 && a[2] == 0 { return Err(Error::Fault) } else { payload(ops, a[2], a[3])? };
            Request::Update { id: serial(a[1]), payload: data }
        }
        KEYCTL_REVOKE => Request::Revoke(serial(a[1])),
        KEYCTL_CHOWN => Request::Chown { id: serial(a[1]), uid: a[2] as u32, gid: a[3] as u32 },
        KEYCTL_SETPERM => Request::SetPerm { id: serial(a[1]), perm: a[2] as u32 },
        KEYCTL_DESCRIBE => {
            let reply = ops.keys(Request::Describe(serial(a[1])))?;
            return data_out(ops, reply, a[2], a[3]);
        }
        KEYCTL_CLEAR => Request::Clear(serial(a[1])),
        KEYCTL_LINK => Request::Link { id: serial(a[1]), keyring: serial(a[2]) },
        KEYCTL_UNLINK => Request::Unlink { id: serial(a[1]), keyring: serial(a[2]) },
        KEYCTL_SEARCH => {
            let ktype = key_type(ops, a[2])?;
            if a[3] == 0 {
                return Err(Error::Fault);
            }
            let description = string(ops, a[3], KEY_MAX_DESC_SIZE)?;
            Request::Search { keyring: serial(a[1]), ktype, description, dest: serial(a[4]) }
        }
        KEYCTL_READ => {
            let reply = ops.keys(Request::Read(serial(a[1])))?;
            return data_out(ops, reply, a[2], a[3]);
        }
        KEYCTL_INSTANTIATE | KEYCTL_NEGATE | KEYCTL_REJECT | KEYCTL_INSTANTIATE_IOV => {
            Request::Instantiate(serial(a[1]))
        }
        KEYCTL_SET_REQKEY_KEYRING => Request::SetReqkeyKeyring(a[1] as i32),
        KEYCTL_SET_TIMEOUT => Request::SetTimeout { id: serial(a[1]), seconds: a[2] as u32 },
        KEYCTL_ASSUME_AUTHORITY => Request::AssumeAuthority(serial(a[1])),
        KEYCTL_GET_SECURITY => {
            let reply = ops.keys(Request::GetSecurity(serial(a[1])))?;
            return data_out(ops, reply, a[2], a[3]);
        }
        KEYCTL_SESSION_TO_PARENT => Request::SessionToParent,
        KEYCTL_INVALIDATE => Request::Invalidate(serial(a[1])),
        KEYCTL_RESTRICT_KEYRING => {
            let ktype = if a[2] != 0 { Some(key_type(ops, a[2])?) } else { None };
            let restriction = if a[3] != 0 { Some(string(ops, a[3], KEY_MAX_UPDATE)?) } else { None };
            Request::Restrict { id: serial(a[1]), ktype, restriction }
        }
        KEYCTL_MOVE => {
            if a[4] as u32 & !KEYCTL_MOVE_EXCL != 0 {
                return Err(Error::InvalidArgument);
            }
            Request::Move {
                id: serial(a[1]),
                from: serial(a[2]),
                to: serial(a[3]),
                exclusive: a[4] as u32 & KEYCTL_MOVE_EXCL != 0,
            }
        }
        KEYCTL_CAPABILITIES => return capabilities(ops, a[1], a[2]),
        KEYCTL_GET_PERSISTENT | KEYCTL_DH_COMPUTE | KEYCTL_PKEY_QUERY..=KEYCTL_PKEY_VERIFY | KEYCTL_WATCH_KEY => {
            // Linux built without persistent keyrings, Diffie-Hellman,
            // public keys or key notifications answers EOPNOTSUPP.
            ops.log_unsupported(format_args!("linux: keyctl command {cmd} (persistent keyrings, DH, public keys and key notifications are not built)"));
            return Err(Error::NotSupported);
        }
        _ => return Err(Error::NotSupported),
    };
    ops.keys(request).map(value)
}

/// KEYCTL_CAPABILITIES: what this key service offers, as far as the
/// buffer holds; the full length is returned.
fn capabilities(ops: &mut dyn KernelOps, buf: u64, buflen: u64) -> KResult<u64> {
    let caps =
        [KEYCTL_CAPS0_CAPABILITIES | KEYCTL_CAPS0_INVALIDATE | KEYCTL_CAPS0_RESTRICT_KEYRING | KEYCTL_CAPS0_MOVE, 0];
    if buf != 0 && buflen > 0 {
        let n = (buflen as usize).min(caps.len());
        ops.copy_out(buf, &caps[..n])?;
        // The rest of the buffer is cleared, as Linux's clear_user.
        let zeros = [0u8; 256];
        let mut at = n as u64;
        while at < buflen {
            let chunk = (buflen - at).min(zeros.len() as u64);
            ops.copy_out(buf + at, &zeros[..chunk as usize])?;
            at += chunk;
        }
    }
    Ok(caps.len() as u64)
}
