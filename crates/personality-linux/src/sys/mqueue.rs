//! POSIX message queues: mq_open, mq_unlink, mq_timedsend,
//! mq_timedreceive, mq_notify, mq_getsetattr. A queue descriptor is an
//! ordinary descriptor (poll, read of its status line, close); the core
//! keeps the queues (`sysv_ipc::mqueue` has the rules).

use crate::util::{buffer, read_timespec, PATH_MAX};
use kernel_ops::sysv_ipc::mqueue::{Notify, MQ_PRIO_MAX};
use kernel_ops::{Error, KResult, KernelOps, OpenFlags, StatusFlags};
use linux_abi::fcntl::{O_CLOEXEC, O_CREAT, O_EXCL, O_NONBLOCK};
use linux_abi::ipc::MqAttr;
use linux_abi::siginfo::{Sigevent, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD};

/// Highest signal number (valid_signal).
const NSIG: u32 = 64;

pub fn mq_open(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (oflag, mode) = (a[1] as u32, a[2] as u32);
    let attr = if a[3] != 0 {
        let mut b = [0u8; MqAttr::SIZE];
        ops.copy_in(a[3], &mut b)?;
        MqAttr::from_bytes(&b)
    } else {
        None
    };
    let name = ops.copy_in_cstring(a[0], PATH_MAX)?;
    let access = oflag & 3;
    if access == 3 {
        return Err(Error::InvalidArgument);
    }
    let flags = OpenFlags {
        read: access != 1,
        write: access != 0,
        create: oflag & O_CREAT != 0,
        exclusive: oflag & O_EXCL != 0,
        non_blocking: oflag & O_NONBLOCK != 0,
        close_on_exec: oflag & O_CLOEXEC != 0,
        ..Default::default()
    };
    ops.mq_open(&name, flags, mode, attr.map(|a| (a.maxmsg, a.msgsize))).map(|fd| fd as u64)
}

pub fn mq_unlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let name = ops.copy_in_cstring(a[0], PATH_MAX)?;
    ops.mq_unlink(&name).map(|_| 0)
}

/// An absolute CLOCK_REALTIME deadline, checked as Linux checks it
/// before anything else happens.
fn deadline(ops: &mut dyn KernelOps, addr: u64) -> KResult<Option<u64>> {
    if addr == 0 {
        return Ok(None);
    }
    let t = read_timespec(ops, addr)?;
    Ok(Some(t.to_nanos().ok_or(Error::InvalidArgument)?))
}

pub fn mq_timedsend(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (fd, msg, len, prio) = (a[0] as i32, a[1], a[2], a[3] as u32);
    // Linux reads and checks the timeout before the priority.
    let deadline = deadline(ops, a[4])?;
    if prio >= MQ_PRIO_MAX {
        return Err(Error::InvalidArgument);
    }
    let (_, msgsize, _) = ops.mq_attributes(fd)?;
    if len > msgsize as u64 {
        return Err(Error::MessageSize);
    }
    let mut data = buffer(len as usize)?;
    ops.copy_in(msg, &mut data)?;
    ops.mq_send(fd, &data, prio, deadline).map(|_| 0)
}

pub fn mq_timedreceive(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (fd, msg, len, prio_out) = (a[0] as i32, a[1], a[2], a[3]);
    let deadline = deadline(ops, a[4])?;
    let (prio, data) = ops.mq_receive(fd, usize::try_from(len).unwrap_or(usize::MAX), deadline)?;
    ops.copy_out(msg, &data)?;
    if prio_out != 0 {
        ops.copy_out(prio_out, &prio.to_le_bytes())?;
    }
    Ok(data.len() as u64)
}

pub fn mq_notify(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let fd = a[0] as i32;
    let notify = if a[1] == 0 {
        None
    } else {
        let mut b = [0u8; Sigevent::SIZE];
        ops.copy_in(a[1], &mut b)?;
        let ev = Sigevent::from_bytes(&b).ok_or(Error::Fault)?;
        match ev.notify {
            SIGEV_NONE => Some(Notify::Nothing),
            SIGEV_SIGNAL if ev.signo <= NSIG => Some(Notify::Signal { signo: ev.signo, value: ev.value }),
            SIGEV_THREAD => {
                // Linux's SIGEV_THREAD names a netlink socket (glibc makes
                // one); there are no sockets here.
                ops.log_unsupported(format_args!("linux: mq_notify SIGEV_THREAD (netlink)"));
                return Err(Error::BadDescriptor);
            }
            _ => return Err(Error::InvalidArgument),
        }
    };
    ops.mq_notify(fd, notify).map(|_| 0)
}

pub fn mq_getsetattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (fd, new, old) = (a[0] as i32, a[1], a[2]);
    let new = if new != 0 {
        let mut b = [0u8; MqAttr::SIZE];
        ops.copy_in(new, &mut b)?;
        let attr = MqAttr::from_bytes(&b).ok_or(Error::Fault)?;
        if attr.flags & !(O_NONBLOCK as i64) != 0 {
            return Err(Error::InvalidArgument);
        }
        Some(attr.flags != 0)
    } else {
        None
    };
    let (maxmsg, msgsize, curmsgs) = ops.mq_attributes(fd)?;
    let (_, status) = ops.status_flags(fd)?;
    if let Some(non_blocking) = new {
        ops.set_status_flags(fd, StatusFlags { non_blocking, ..status })?;
    }
    if old != 0 {
        let flags = if status.non_blocking { O_NONBLOCK as i64 } else { 0 };
        ops.copy_out(old, &MqAttr { flags, maxmsg, msgsize, curmsgs }.to_bytes())?;
    }
    Ok(0)
}
