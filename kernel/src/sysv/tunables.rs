//! /proc/sys/kernel's IPC limits: read by anyone, written by root (the
//! files are 0644 and root-owned, so the VFS refuses others).

use super::namespace;
use alloc::string::String;
use kernel_ops::sysv_ipc::limits::Tunable;

crate::fs::procfs::tunable_files!(|t| namespace().limits.render(t), |t, text| namespace().limits.write(t, text);
    shmmax, set_shmmax, Tunable::ShmMax;
    shmall, set_shmall, Tunable::ShmAll;
    shmmni, set_shmmni, Tunable::ShmMni;
    shm_rmid_forced, set_shm_rmid_forced, Tunable::ShmRmidForced;
    sem, set_sem, Tunable::Sem;
    msgmax, set_msgmax, Tunable::MsgMax;
    msgmnb, set_msgmnb, Tunable::MsgMnb;
    msgmni, set_msgmni, Tunable::MsgMni;
);

/// *_next_id: the id the next shmget/semget/msgget creation gets (-1: the
/// usual choice), used once.
fn next_id_text(id: i32) -> String {
    alloc::format!("{id}\n")
}

fn parse_next_id(text: &[u8]) -> Result<i32, vfs::Error> {
    core::str::from_utf8(text)
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok())
        .filter(|&v| v >= -1)
        .ok_or(vfs::Error::InvalidArgument)
}

pub fn shm_next_id() -> String {
    next_id_text(namespace().shm.next_id)
}

pub fn set_shm_next_id(text: &[u8]) -> Result<(), vfs::Error> {
    namespace().shm.next_id = parse_next_id(text)?;
    Ok(())
}

pub fn sem_next_id() -> String {
    next_id_text(namespace().sem.next_id)
}

pub fn set_sem_next_id(text: &[u8]) -> Result<(), vfs::Error> {
    namespace().sem.next_id = parse_next_id(text)?;
    Ok(())
}

pub fn msg_next_id() -> String {
    next_id_text(namespace().msg.next_id)
}

pub fn set_msg_next_id(text: &[u8]) -> Result<(), vfs::Error> {
    namespace().msg.next_id = parse_next_id(text)?;
    Ok(())
}
