//! System V IPC: shmget/shmat/shmdt/shmctl, semget/semop/semtimedop/semctl,
//! msgget/msgsnd/msgrcv/msgctl. The core keeps the one namespace and its
//! rules (`sysv_ipc`); this file moves Linux's structures in and out of
//! user memory and decodes the commands.

use crate::util::{buffer, read_timespec};
use kernel_ops::sysv_ipc::namespace::{Answer, Command, Info, Status};
use kernel_ops::sysv_ipc::sem::SemOp;
use kernel_ops::sysv_ipc::{self as ipc, Kind};
use kernel_ops::{Clock, Error, KResult, KernelOps};
use linux_abi::ipc::*;

fn perm(p: &ipc::IpcPerm) -> IpcPerm {
    IpcPerm { key: p.key, uid: p.uid, gid: p.gid, cuid: p.cuid, cgid: p.cgid, mode: p.mode, seq: p.seq as u16 }
}

/// The *ctl command number without IPC_64 (x86_64 ignores the version).
fn command(raw: u64) -> i32 {
    (raw as i32) & !IPC_64
}

fn value(answer: Answer) -> u64 {
    match answer {
        Answer::Value(v) | Answer::Status(v, _) | Answer::Info(v, _) => v as u64,
        Answer::Values(_) => 0,
    }
}

/// Writes what a STAT or INFO command answered to `buf`.
fn write_answer(ops: &mut dyn KernelOps, buf: u64, answer: Answer) -> KResult<u64> {
    let ret = value(answer.clone());
    match answer {
        Answer::Status(_, Status::Shm(s)) => {
            let ds = ShmidDs {
                perm: perm(&s.perm),
                segsz: s.size,
                atime: s.atime,
                dtime: s.dtime,
                ctime: s.ctime,
                cpid: s.cpid as i32,
                lpid: s.lpid as i32,
                nattch: s.nattch,
            };
            ops.copy_out(buf, &ds.to_bytes())?;
        }
        Answer::Status(_, Status::Sem(s)) => {
            ops.copy_out(
                buf,
                &SemidDs { perm: perm(&s.perm), otime: s.otime, ctime: s.ctime, nsems: s.nsems }.to_bytes(),
            )?;
        }
        Answer::Status(_, Status::Msg(s)) => {
            let ds = MsqidDs {
                perm: perm(&s.perm),
                stime: s.stime,
                rtime: s.rtime,
                ctime: s.ctime,
                cbytes: s.cbytes,
                qnum: s.qnum,
                qbytes: s.qbytes,
                lspid: s.lspid as i32,
                lrpid: s.lrpid as i32,
            };
            ops.copy_out(buf, &ds.to_bytes())?;
        }
        Answer::Info(_, Info::Shm(i)) => {
            ops.copy_out(buf, &shminfo(i.shmmax, i.shmmin, i.shmmni, i.shmseg, i.shmall))?
        }
        Answer::Info(_, Info::ShmUsage(u)) => {
            ops.copy_out(buf, &shm_info(u.used_ids, u.shm_tot, u.shm_rss, u.shm_swp))?
        }
        Answer::Info(_, Info::Sem(i)) => ops.copy_out(
            buf,
            &seminfo([
                i.semmap, i.semmni, i.semmns, i.semmnu, i.semmsl, i.semopm, i.semume, i.semusz, i.semvmx, i.semaem,
            ]),
        )?,
        Answer::Info(_, Info::Msg(i)) => ops.copy_out(
            buf,
            &msginfo([i.msgpool, i.msgmap, i.msgmax, i.msgmnb, i.msgmni, i.msgssz, i.msgtql], i.msgseg),
        )?,
        _ => {}
    }
    Ok(ret)
}

/// IPC_SET's input: the owner ids and mode of the `*id_ds` at `buf`
/// (and msg_qbytes for a queue).
fn set_command(ops: &mut dyn KernelOps, buf: u64, size: usize, queue: bool) -> KResult<Command> {
    let mut b = [0u8; MsqidDs::SIZE];
    ops.copy_in(buf, &mut b[..size])?;
    let (uid, gid, mode) = IpcPerm::set_fields(&b).ok_or(Error::Fault)?;
    if uid == u32::MAX || gid == u32::MAX {
        return Err(Error::InvalidArgument);
    }
    let qbytes = if queue { MsqidDs::qbytes(&b).ok_or(Error::Fault)? } else { 0 };
    Ok(Command::Set { uid, gid, mode, qbytes })
}

/// The commands every kind shares; None for the kind's own.
fn common(ops: &mut dyn KernelOps, cmd: i32, buf: u64, size: usize, queue: bool) -> KResult<Option<Command>> {
    Ok(Some(match cmd {
        IPC_STAT => Command::Stat,
        IPC_SET => set_command(ops, buf, size, queue)?,
        IPC_RMID => Command::Remove,
        IPC_INFO => Command::Info,
        _ => return Ok(None),
    }))
}

pub fn shmget(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.ipc_get(Kind::Shm, a[0] as i32, a[2] as u32, a[1]).map(|id| id as u64)
}

pub fn shmat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.shm_attach(a[0] as i32, a[1], a[2] as u32)
}

pub fn shmdt(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.shm_detach(a[0]).map(|_| 0)
}

pub fn shmctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, cmd, buf) = (a[0] as i32, command(a[1]), a[2]);
    if cmd < 0 || id < 0 {
        return Err(Error::InvalidArgument);
    }
    let command = match common(ops, cmd, buf, ShmidDs::SIZE, false)? {
        Some(c) => c,
        None => match cmd {
            SHM_STAT => Command::StatIndex { any: false },
            SHM_STAT_ANY => Command::StatIndex { any: true },
            SHM_INFO => Command::Usage,
            SHM_LOCK => Command::Lock(true),
            SHM_UNLOCK => Command::Lock(false),
            _ => return Err(Error::InvalidArgument),
        },
    };
    let answer = ops.ipc_control(Kind::Shm, id, command)?;
    write_answer(ops, buf, answer)
}

pub fn semget(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let nsems = a[1] as i32;
    if nsems < 0 {
        return Err(Error::InvalidArgument);
    }
    ops.ipc_get(Kind::Sem, a[0] as i32, a[2] as u32, nsems as u64).map(|id| id as u64)
}

/// The longest operation array read at all (semopm may be set higher).
const MAX_SEMOPS: u64 = 1 << 16;

fn semop_with(ops: &mut dyn KernelOps, a: [u64; 6], timeout: u64) -> KResult<u64> {
    let (id, sops, nsops) = (a[0] as i32, a[1], a[2]);
    if nsops < 1 || id < 0 {
        return Err(Error::InvalidArgument);
    }
    // Linux refuses an array longer than semopm before reading it.
    let semopm = match ops.ipc_control(Kind::Sem, 0, Command::Info)? {
        Answer::Info(_, Info::Sem(i)) => i.semopm as u64,
        _ => MAX_SEMOPS,
    };
    if nsops > semopm.min(MAX_SEMOPS) {
        return Err(Error::ArgumentListTooLong);
    }
    let mut raw = buffer(nsops as usize * SEMBUF_SIZE)?;
    ops.copy_in(sops, &mut raw)?;
    let list: alloc::vec::Vec<SemOp> =
        raw.chunks(SEMBUF_SIZE).filter_map(sembuf).map(|(num, op, flags)| SemOp { num, op, flags }).collect();
    let deadline = if timeout == 0 {
        None
    } else {
        let t = read_timespec(ops, timeout)?.to_nanos().ok_or(Error::InvalidArgument)?;
        Some(ops.clock(Clock::Monotonic)?.saturating_add(t))
    };
    match ops.sem_operate(id, &list, deadline) {
        Err(Error::TimedOut) => Err(Error::WouldBlock),
        r => r.map(|_| 0),
    }
}

pub fn semop(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    semop_with(ops, a, 0)
}

pub fn semtimedop(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    semop_with(ops, a, a[3])
}

pub fn semctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, num, cmd, arg) = (a[0] as i32, a[1] as i32, command(a[2]), a[3]);
    if id < 0 {
        return Err(Error::InvalidArgument);
    }
    let command = match common(ops, cmd, arg, SemidDs::SIZE, false)? {
        Some(c) => c,
        None => match cmd {
            SEM_STAT => Command::StatIndex { any: false },
            SEM_STAT_ANY => Command::StatIndex { any: true },
            SEM_INFO => Command::Usage,
            GETVAL => Command::GetVal(num),
            GETPID => Command::GetPid(num),
            GETNCNT => Command::GetNcnt(num),
            GETZCNT => Command::GetZcnt(num),
            GETALL => Command::GetAll,
            SETVAL => Command::SetVal(num, arg as i32),
            SETALL => {
                let n = value(ops.ipc_control(Kind::Sem, id, Command::Count)?) as usize;
                let mut raw = buffer(n * 2)?;
                ops.copy_in(arg, &mut raw)?;
                Command::SetAll(raw.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
            }
            _ => return Err(Error::InvalidArgument),
        },
    };
    match ops.ipc_control(Kind::Sem, id, command)? {
        Answer::Values(values) => {
            let raw: alloc::vec::Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            ops.copy_out(arg, &raw)?;
            Ok(0)
        }
        answer => write_answer(ops, arg, answer),
    }
}

pub fn msgget(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.ipc_get(Kind::Msg, a[0] as i32, a[1] as u32, 0).map(|id| id as u64)
}

/// msgmax: checked before the message is read, as Linux does.
fn msgmax(ops: &mut dyn KernelOps) -> KResult<u64> {
    match ops.ipc_control(Kind::Msg, 0, Command::Info)? {
        Answer::Info(_, Info::Msg(i)) => Ok(i.msgmax as u64),
        _ => Err(Error::InvalidArgument),
    }
}

pub fn msgsnd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, msgp, size, flags) = (a[0] as i32, a[1], a[2], a[3] as u32);
    // Linux's ksys_msgsnd reads mtype before any other check.
    let mut mtype = [0u8; 8];
    ops.copy_in(msgp, &mut mtype)?;
    let mtype = i64::from_le_bytes(mtype);
    if size > msgmax(ops)? || (size as i64) < 0 || id < 0 {
        return Err(Error::InvalidArgument);
    }
    if mtype < 1 {
        return Err(Error::InvalidArgument);
    }
    let mut text = buffer(size as usize)?;
    ops.copy_in(msgp.wrapping_add(8), &mut text)?;
    ops.msg_send(id, mtype, &text, flags).map(|_| 0)
}

pub fn msgrcv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, msgp, size, msgtyp, flags) = (a[0] as i32, a[1], a[2], a[3] as i64, a[4] as u32);
    if id < 0 || (size as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    let max = if flags & ipc::msg::MSG_COPY != 0 { size.min(msgmax(ops)?) } else { size };
    let (mtype, text) = ops.msg_receive(id, max as usize, msgtyp, flags)?;
    ops.copy_out(msgp, &mtype.to_le_bytes())?;
    ops.copy_out(msgp.wrapping_add(8), &text)?;
    Ok(text.len() as u64)
}

pub fn msgctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, cmd, buf) = (a[0] as i32, command(a[1]), a[2]);
    if id < 0 || cmd < 0 {
        return Err(Error::InvalidArgument);
    }
    let command = match common(ops, cmd, buf, MsqidDs::SIZE, true)? {
        Some(c) => c,
        None => match cmd {
            MSG_STAT => Command::StatIndex { any: false },
            MSG_STAT_ANY => Command::StatIndex { any: true },
            MSG_INFO => Command::Usage,
            _ => return Err(Error::InvalidArgument),
        },
    };
    let answer = ops.ipc_control(Kind::Msg, id, command)?;
    write_answer(ops, buf, answer)
}
