//! From a native system call's number to its handler, and the result back
//! (registers as `arch/` says). The numbers come from `abi::Syscall`, the
//! one table.

use super::{arch, caps, device, file, ipc_calls, memory, misc, net_calls, task, vfs_calls};
use crate::task::thread::Thread;
use abi::{encode_result, Error, Syscall};
use alloc::sync::Arc;
use kernel_ops::UserContext;

/// The two calls of an IPC round trip (`ipc_call` by the client,
/// `ipc_reply_recv` by the server), straight to their handlers without the
/// general dispatch. Returns false, having done nothing, for any other
/// call. What these handlers write is the message and result registers
/// only, so the way back need not sanitise the context
/// (`task::signal::return_to_user_after_ipc`).
#[inline]
pub fn ipc_round_trip(t: &Arc<Thread>, f: &mut UserContext) -> bool {
    let (nr, [a, b, ..]) = arch::call(f);
    let result = if nr == Syscall::IpcCall.nr() {
        ipc_calls::call(t, f, a, b, true)
    } else if nr == Syscall::IpcReplyRecv.nr() {
        ipc_calls::reply_recv(t, f, a, b)
    } else {
        return false;
    };
    arch::set_result(f, encode_result(result));
    true
}

pub fn syscall(t: &Arc<Thread>, f: &mut UserContext) {
    let (nr, [a, b, c, d, e, g]) = arch::call(f);
    let Some(call) = Syscall::from_nr(nr) else {
        misc::log_unknown(t, nr);
        arch::set_result(f, encode_result(Err(Error::NoSuchCall)));
        return;
    };
    let result = match call {
        Syscall::DebugWrite => misc::debug_write(t, a, b),
        Syscall::CapInfo => caps::info(t, a, b),
        Syscall::CapDerive => caps::derive(t, a, b, c, d, e),
        Syscall::CapDelete => caps::delete(t, a),
        Syscall::CapRevoke => caps::revoke(t, a),
        Syscall::MemAlloc => memory::alloc(t, a, b),
        Syscall::MemMap => memory::map(t, a, b, c, d, e, g),
        Syscall::MemUnmap => memory::unmap(t, a, b, c),
        Syscall::MemPhys => memory::phys(t, a, b),
        Syscall::TaskSpawn => task::spawn(t, a, b),
        Syscall::TaskKill => task::kill(t, a),
        Syscall::TaskWait => task::wait_task(t, a, b, c),
        Syscall::TaskExit => task::exit_task(t, a),
        Syscall::ThreadCreate => task::thread_create(t, a, b, c),
        Syscall::ThreadExit => task::thread_exit(t, a),
        Syscall::ThreadWait => task::wait_thread(t, a, b, c),
        Syscall::EndpointCreate => ipc_calls::endpoint_create(t),
        Syscall::NotificationCreate => ipc_calls::notification_create(t),
        Syscall::IpcCall => ipc_calls::call(t, f, a, b, true),
        Syscall::IpcSend => ipc_calls::call(t, f, a, b, false),
        Syscall::IpcRecv => ipc_calls::recv(t, f, a, b),
        Syscall::IpcReply => ipc_calls::reply(t, f, a, b),
        Syscall::IpcReplyRecv => ipc_calls::reply_recv(t, f, a, b),
        Syscall::ReplySave => ipc_calls::reply_save(t),
        Syscall::NotifySignal => ipc_calls::signal(t, a, b),
        Syscall::NotifyWait => ipc_calls::wait(t, a, b),
        Syscall::IrqBind => device::irq_bind(t, a, b, c),
        Syscall::IrqAck => device::irq_ack(t, a),
        Syscall::PortIn => device::port_in(t, a, b, c),
        Syscall::PortOut => device::port_out(t, a, b, c, d),
        Syscall::ClockNs => Ok(crate::time::now_ns()),
        Syscall::Yield => {
            crate::sched::yield_now();
            Ok(0)
        }
        Syscall::Sleep => misc::sleep(a),
        Syscall::Random => misc::random(t, a, b),
        Syscall::FileOpen => file::open(t, a, b, c, d),
        Syscall::FileRead => file::read(t, a, b, c, d),
        Syscall::FileWrite => file::write(t, a, b, c, d),
        Syscall::VfsServe => vfs_calls::serve(t, a, b, c, d, e),
        Syscall::VfsMount => vfs_calls::mount(t, a, b, c),
        Syscall::VfsBootDone => vfs_calls::boot_done(t, a),
        Syscall::NetServe => net_calls::serve(t, a, b, c),
        Syscall::NetEvents => net_calls::events(t, a, b, c),
    };
    arch::set_result(f, encode_result(result));
}
