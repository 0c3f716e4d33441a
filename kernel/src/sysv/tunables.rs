//! /proc/sys/kernel's IPC limits: read by anyone, written by root (the
//! files are 0644 and root-owned, so the VFS refuses others).

use super::namespace;
use alloc::string::String;
use kernel_ops::sysv_ipc::limits::Tunable;

fn render(t: Tunable) -> String {
    namespace().limits.render(t)
}

fn set(t: Tunable, text: &[u8]) -> Result<(), vfs::Error> {
    namespace().limits.write(t, text).map_err(|_| vfs::Error::InvalidArgument)
}

macro_rules! tunable {
    ($get:ident, $set:ident, $t:expr) => {
        pub fn $get() -> String {
            render($t)
        }
        pub fn $set(text: &[u8]) -> Result<(), vfs::Error> {
            set($t, text)
        }
    };
}

tunable!(shmmax, set_shmmax, Tunable::ShmMax);
tunable!(shmall, set_shmall, Tunable::ShmAll);
tunable!(shmmni, set_shmmni, Tunable::ShmMni);
tunable!(shm_rmid_forced, set_shm_rmid_forced, Tunable::ShmRmidForced);
tunable!(sem, set_sem, Tunable::Sem);
tunable!(msgmax, set_msgmax, Tunable::MsgMax);
tunable!(msgmnb, set_msgmnb, Tunable::MsgMnb);
tunable!(msgmni, set_msgmni, Tunable::MsgMni);
