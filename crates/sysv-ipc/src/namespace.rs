//! The machine's one IPC namespace: the three tables, the limits and the
//! undo lists, and every `*get`, `*ctl`, `semop`, `msgsnd`, `msgrcv` and
//! `shmat` rule of Linux, in Linux's order of checks.
//!
//! Operations that would wait return [`Error::WouldBlock`]; the kernel
//! sleeps until the namespace changes and calls again (every call
//! re-checks everything from the start).

use crate::ids::IdTable;
use crate::limits::{Limits, MSGSEG, MSGSSZ, SEMVMX, SHMMIN};
use crate::msg::{Message, MsgQueue, Select, MSG_COPY, MSG_EXCEPT, MSG_NOERROR};
use crate::perm::{Caller, IpcPerm, READ, WRITE};
use crate::sem::{Blocked, SemOp, SemSet, UndoLists, SEM_UNDO};
use crate::shm::{Segment, SegmentMemory, SHM_EXEC, SHM_RDONLY};
use crate::{Error, Kind, Result, IPC_CREAT, IPC_EXCL, IPC_PRIVATE, SHM_DEST, SHM_LOCKED};
use alloc::vec::Vec;

/// A `*ctl` command, without the user-memory part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// IPC_STAT.
    Stat,
    /// SHM_STAT/SEM_STAT/MSG_STAT (`any`: the *_STAT_ANY form, no read
    /// check): the id is a table index and the answer's value the full id.
    StatIndex {
        any: bool,
    },
    /// IPC_SET (`qbytes` only for message queues).
    Set {
        uid: u32,
        gid: u32,
        mode: u32,
        qbytes: u64,
    },
    /// IPC_RMID.
    Remove,
    /// IPC_INFO.
    Info,
    /// SHM_INFO, SEM_INFO, MSG_INFO.
    Usage,
    /// SHM_LOCK (true) and SHM_UNLOCK.
    Lock(bool),
    GetVal(i32),
    GetPid(i32),
    GetNcnt(i32),
    GetZcnt(i32),
    GetAll,
    SetVal(i32, i32),
    /// How many semaphores the set has, checking the caller may SETALL.
    Count,
    SetAll(Vec<u16>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShmStatus {
    pub perm: IpcPerm,
    pub size: u64,
    pub atime: i64,
    pub dtime: i64,
    pub ctime: i64,
    pub cpid: u32,
    pub lpid: u32,
    pub nattch: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SemStatus {
    pub perm: IpcPerm,
    pub otime: i64,
    pub ctime: i64,
    pub nsems: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MsgStatus {
    pub perm: IpcPerm,
    pub stime: i64,
    pub rtime: i64,
    pub ctime: i64,
    pub cbytes: u64,
    pub qnum: u64,
    pub qbytes: u64,
    pub lspid: u32,
    pub lrpid: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Shm(ShmStatus),
    Sem(SemStatus),
    Msg(MsgStatus),
}

/// `struct shminfo64` (IPC_INFO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShmInfo {
    pub shmmax: u64,
    pub shmmin: u64,
    pub shmmni: u64,
    pub shmseg: u64,
    pub shmall: u64,
}

/// `struct shm_info` (SHM_INFO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShmUsage {
    pub used_ids: i32,
    pub shm_tot: u64,
    pub shm_rss: u64,
    pub shm_swp: u64,
}

/// `struct seminfo` (IPC_INFO and SEM_INFO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SemInfo {
    pub semmap: i32,
    pub semmni: i32,
    pub semmns: i32,
    pub semmnu: i32,
    pub semmsl: i32,
    pub semopm: i32,
    pub semume: i32,
    pub semusz: i32,
    pub semvmx: i32,
    pub semaem: i32,
}

/// `struct msginfo` (IPC_INFO and MSG_INFO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MsgInfo {
    pub msgpool: i32,
    pub msgmap: i32,
    pub msgmax: i32,
    pub msgmnb: i32,
    pub msgmni: i32,
    pub msgssz: i32,
    pub msgtql: i32,
    pub msgseg: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Info {
    Shm(ShmInfo),
    ShmUsage(ShmUsage),
    Sem(SemInfo),
    Msg(MsgInfo),
}

/// What a `*ctl` command gives back: the call's return value, and data
/// for the caller's buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Value(i64),
    Status(i64, Status),
    Info(i64, Info),
    Values(Vec<u16>),
}

/// SEMUSZ, SEMMNU, SEMMAP, SEMUME: fixed figures seminfo reports.
const SEMUSZ: i32 = 20;
/// MSGPOOL, MSGMAP, MSGTQL: fixed figures msginfo reports.
const MSGPOOL: i32 = 32000 * 16384 / 1024;
const MSGMAP: i32 = 16384;
const MSGTQL: i32 = 16384;

pub struct Namespace<M> {
    pub limits: Limits,
    pub shm: IdTable<Segment<M>>,
    pub sem: IdTable<SemSet>,
    pub msg: IdTable<MsgQueue>,
    pub undo: UndoLists,
    /// Semaphores in all sets (against semmns), pages in all segments
    /// (against shmall).
    used_sems: u64,
    shm_pages: u64,
}

impl<M> Default for Namespace<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M> Namespace<M> {
    pub const fn new() -> Self {
        Namespace {
            limits: Limits::LINUX,
            shm: IdTable::new(),
            sem: IdTable::new(),
            msg: IdTable::new(),
            undo: UndoLists::new(),
            used_sems: 0,
            shm_pages: 0,
        }
    }
}

fn max_index<T>(t: &IdTable<T>) -> i64 {
    t.max_index().map_or(0, |i| i as i64)
}

fn clamp_i32(v: u64) -> i32 {
    v.min(i32::MAX as u64) as i32
}

impl<M: SegmentMemory> Namespace<M> {
    /// shmget, semget (`size` is nsems) and msgget. `memory` makes a new
    /// segment's memory (None: ENOMEM).
    pub fn get(
        &mut self,
        kind: Kind,
        key: i32,
        flags: u32,
        size: u64,
        caller: &Caller,
        memory: impl FnOnce(u64) -> Option<M>,
    ) -> Result<i32> {
        if kind == Kind::Sem && size > u64::from(self.limits.semmsl) {
            return Err(Error::Invalid);
        }
        let existing = match kind {
            Kind::Shm => self.shm.find_key(key),
            Kind::Sem => self.sem.find_key(key),
            Kind::Msg => self.msg.find_key(key),
        };
        let Some(id) = existing else {
            if key != IPC_PRIVATE && flags & IPC_CREAT == 0 {
                return Err(Error::NoEntry);
            }
            return self.create(kind, key, flags, size, caller, memory);
        };
        if flags & IPC_CREAT != 0 && flags & IPC_EXCL != 0 {
            return Err(Error::Exists);
        }
        let perm = match kind {
            Kind::Shm => {
                let e = self.shm.get(id)?;
                if e.object.size < size {
                    return Err(Error::Invalid);
                }
                e.perm
            }
            Kind::Sem => {
                let e = self.sem.get(id)?;
                if (e.object.sems.len() as u64) < size {
                    return Err(Error::Invalid);
                }
                e.perm
            }
            Kind::Msg => self.msg.get(id)?.perm,
        };
        if !perm.allows(caller, flags) {
            return Err(Error::Access);
        }
        Ok(id)
    }

    fn create(
        &mut self,
        kind: Kind,
        key: i32,
        flags: u32,
        size: u64,
        caller: &Caller,
        memory: impl FnOnce(u64) -> Option<M>,
    ) -> Result<i32> {
        let perm = IpcPerm::new(key, flags, caller);
        match kind {
            Kind::Shm => {
                if size < SHMMIN || size > self.limits.shmmax {
                    return Err(Error::Invalid);
                }
                let pages = size.div_ceil(crate::limits::PAGE_SIZE);
                if self.shm_pages.checked_add(pages).is_none_or(|t| t > self.limits.shmall) {
                    return Err(Error::NoSpace);
                }
                if self.shm.in_use() >= self.limits.shmmni as usize {
                    return Err(Error::NoSpace);
                }
                // No huge pages here: as a Linux without hugetlb, no size
                // of them exists (EINVAL).
                if flags & crate::shm::SHM_HUGETLB != 0 {
                    return Err(Error::Invalid);
                }
                let memory = memory(size).ok_or(Error::NoMemory)?;
                let id = self.shm.insert(
                    perm,
                    Segment { size, memory, cpid: caller.pid, ctime: caller.now },
                    self.limits.shmmni as usize,
                )?;
                self.shm_pages += pages;
                Ok(id)
            }
            Kind::Sem => {
                if size == 0 {
                    return Err(Error::Invalid);
                }
                if self.used_sems + size > u64::from(self.limits.semmns) {
                    return Err(Error::NoSpace);
                }
                let id = self.sem.insert(perm, SemSet::new(size as usize, caller.now)?, self.limits.semmni as usize)?;
                self.used_sems += size;
                Ok(id)
            }
            Kind::Msg => self.msg.insert(
                perm,
                MsgQueue::new(u64::from(self.limits.msgmnb), caller.now),
                self.limits.msgmni as usize,
            ),
        }
    }

    fn shm_status(id_perm: IpcPerm, s: &Segment<M>) -> ShmStatus {
        let u = s.memory.usage();
        ShmStatus {
            perm: id_perm,
            size: s.size,
            atime: u.atime,
            dtime: u.dtime,
            ctime: s.ctime,
            cpid: s.cpid,
            lpid: u.lpid,
            nattch: u64::from(u.attached),
        }
    }

    /// shmctl, semctl and msgctl. Segments destroyed by it come back
    /// through [`Namespace::sweep`].
    pub fn control(&mut self, kind: Kind, id: i32, cmd: Command, caller: &Caller) -> Result<Answer> {
        match cmd {
            Command::Info | Command::Usage => return Ok(self.info(kind, cmd == Command::Usage)),
            Command::StatIndex { any } => return self.stat_index(kind, id, any, caller),
            _ => {}
        }
        if let Command::SetVal(_, v) = cmd {
            if !(0..=SEMVMX).contains(&v) {
                return Err(Error::Range);
            }
        }
        match kind {
            Kind::Shm => self.shm_control(id, cmd, caller),
            Kind::Sem => self.sem_control(id, cmd, caller),
            Kind::Msg => self.msg_control(id, cmd, caller),
        }
    }

    fn info(&self, kind: Kind, usage: bool) -> Answer {
        let l = &self.limits;
        match kind {
            Kind::Shm if usage => {
                let rss = self.shm.iter().map(|(_, e)| e.object.memory.usage().resident_pages).sum();
                Answer::Info(
                    max_index(&self.shm),
                    Info::ShmUsage(ShmUsage {
                        used_ids: self.shm.in_use() as i32,
                        shm_tot: self.shm_pages,
                        shm_rss: rss,
                        shm_swp: 0,
                    }),
                )
            }
            Kind::Shm => Answer::Info(
                max_index(&self.shm),
                Info::Shm(ShmInfo {
                    shmmax: l.shmmax,
                    shmmin: SHMMIN,
                    shmmni: u64::from(l.shmmni),
                    shmseg: 4096,
                    shmall: l.shmall,
                }),
            ),
            Kind::Sem => {
                let mut i = SemInfo {
                    semmap: 1_024_000_000,
                    semmni: l.semmni as i32,
                    semmns: l.semmns as i32,
                    semmnu: 1_024_000_000,
                    semmsl: l.semmsl as i32,
                    semopm: l.semopm as i32,
                    semume: 500,
                    semusz: SEMUSZ,
                    semvmx: SEMVMX,
                    semaem: SEMVMX,
                };
                if usage {
                    i.semusz = self.sem.in_use() as i32;
                    i.semaem = clamp_i32(self.used_sems);
                }
                Answer::Info(max_index(&self.sem), Info::Sem(i))
            }
            Kind::Msg => {
                let mut i = MsgInfo {
                    msgpool: MSGPOOL,
                    msgmap: MSGMAP,
                    msgmax: l.msgmax as i32,
                    msgmnb: l.msgmnb as i32,
                    msgmni: l.msgmni as i32,
                    msgssz: MSGSSZ,
                    msgtql: MSGTQL,
                    msgseg: MSGSEG as u16,
                };
                if usage {
                    i.msgpool = self.msg.in_use() as i32;
                    i.msgmap = clamp_i32(self.msg.iter().map(|(_, e)| e.object.messages.len() as u64).sum());
                    i.msgtql = clamp_i32(self.msg.iter().map(|(_, e)| e.object.cbytes).sum());
                }
                Answer::Info(max_index(&self.msg), Info::Msg(i))
            }
        }
    }

    fn stat_index(&self, kind: Kind, index: i32, any: bool, caller: &Caller) -> Result<Answer> {
        let (id, perm, status) = match kind {
            Kind::Shm => {
                let (id, e) = self.shm.at_index(index)?;
                (id, e.perm, Status::Shm(Self::shm_status(e.perm, &e.object)))
            }
            Kind::Sem => {
                let (id, e) = self.sem.at_index(index)?;
                (id, e.perm, Status::Sem(sem_status(e.perm, &e.object)))
            }
            Kind::Msg => {
                let (id, e) = self.msg.at_index(index)?;
                (id, e.perm, Status::Msg(msg_status(e.perm, &e.object)))
            }
        };
        if !any && !perm.allows(caller, READ) {
            return Err(Error::Access);
        }
        Ok(Answer::Status(i64::from(id), status))
    }

    fn shm_control(&mut self, id: i32, cmd: Command, caller: &Caller) -> Result<Answer> {
        let e = self.shm.get_mut(id)?;
        match cmd {
            Command::Stat => {
                if !e.perm.allows(caller, READ) {
                    return Err(Error::Access);
                }
                Ok(Answer::Status(0, Status::Shm(Self::shm_status(e.perm, &e.object))))
            }
            Command::Set { uid, gid, mode, .. } => {
                if !e.perm.may_change(caller) {
                    return Err(Error::NotPermitted);
                }
                e.perm.set(uid, gid, mode);
                e.object.ctime = caller.now;
                Ok(Answer::Value(0))
            }
            Command::Remove => {
                if !e.perm.may_change(caller) {
                    return Err(Error::NotPermitted);
                }
                // Gone once nothing maps it (`sweep`); its key is free now.
                e.perm.mode |= SHM_DEST;
                e.perm.key = IPC_PRIVATE;
                Ok(Answer::Value(0))
            }
            Command::Lock(lock) => {
                if !caller.ipc_lock && caller.uid != e.perm.uid && caller.uid != e.perm.cuid {
                    return Err(Error::NotPermitted);
                }
                if lock {
                    e.perm.mode |= SHM_LOCKED;
                } else {
                    e.perm.mode &= !SHM_LOCKED;
                }
                Ok(Answer::Value(0))
            }
            _ => Err(Error::Invalid),
        }
    }

    fn sem_control(&mut self, id: i32, cmd: Command, caller: &Caller) -> Result<Answer> {
        let e = self.sem.get_mut(id)?;
        let set = &mut e.object;
        let want = match cmd {
            Command::Set { .. } | Command::Remove => {
                if !e.perm.may_change(caller) {
                    return Err(Error::NotPermitted);
                }
                0
            }
            Command::SetAll(_) | Command::SetVal(..) | Command::Count => WRITE,
            _ => READ,
        };
        if let Command::SetVal(num, _) = cmd {
            crate::sem::index(set, num)?;
        }
        if want != 0 && !e.perm.allows(caller, want) {
            return Err(Error::Access);
        }
        let one = |num: i32| crate::sem::index(set, num);
        match cmd {
            Command::Stat => Ok(Answer::Status(0, Status::Sem(sem_status(e.perm, set)))),
            Command::Set { uid, gid, mode, .. } => {
                e.perm.set(uid, gid, mode);
                set.ctime = caller.now;
                Ok(Answer::Value(0))
            }
            Command::Remove => {
                let n = set.sems.len() as u64;
                self.sem.remove(id)?;
                self.used_sems -= n;
                self.undo.forget_set(id);
                Ok(Answer::Value(0))
            }
            Command::GetVal(n) => Ok(Answer::Value(i64::from(set.sems[one(n)?].value))),
            Command::GetPid(n) => Ok(Answer::Value(i64::from(set.sems[one(n)?].pid))),
            Command::GetNcnt(n) => Ok(Answer::Value(set.waiting(one(n)? as u16, false) as i64)),
            Command::GetZcnt(n) => Ok(Answer::Value(set.waiting(one(n)? as u16, true) as i64)),
            Command::GetAll => {
                let mut values = Vec::new();
                values.try_reserve_exact(set.sems.len()).map_err(|_| Error::NoMemory)?;
                values.extend(set.sems.iter().map(|s| s.value as u16));
                Ok(Answer::Values(values))
            }
            Command::Count => Ok(Answer::Value(set.sems.len() as i64)),
            Command::SetVal(n, v) => {
                let n = one(n)?;
                set.sems[n].value = v;
                set.sems[n].pid = caller.pid;
                set.ctime = caller.now;
                self.undo.clear(id, Some(n));
                Ok(Answer::Value(0))
            }
            Command::SetAll(values) => {
                if values.len() < set.sems.len() {
                    return Err(Error::Invalid);
                }
                if values.iter().any(|&v| i32::from(v) > SEMVMX) {
                    return Err(Error::Range);
                }
                for (s, &v) in set.sems.iter_mut().zip(&values) {
                    s.value = i32::from(v);
                    s.pid = caller.pid;
                }
                set.ctime = caller.now;
                self.undo.clear(id, None);
                Ok(Answer::Value(0))
            }
            _ => Err(Error::Invalid),
        }
    }

    fn msg_control(&mut self, id: i32, cmd: Command, caller: &Caller) -> Result<Answer> {
        let e = self.msg.get_mut(id)?;
        match cmd {
            Command::Stat => {
                if !e.perm.allows(caller, READ) {
                    return Err(Error::Access);
                }
                Ok(Answer::Status(0, Status::Msg(msg_status(e.perm, &e.object))))
            }
            Command::Set { uid, gid, mode, qbytes } => {
                if !e.perm.may_change(caller) {
                    return Err(Error::NotPermitted);
                }
                if qbytes > u64::from(self.limits.msgmnb) && !caller.sys_resource {
                    return Err(Error::NotPermitted);
                }
                e.perm.set(uid, gid, mode);
                e.object.qbytes = qbytes;
                e.object.ctime = caller.now;
                Ok(Answer::Value(0))
            }
            Command::Remove => {
                if !e.perm.may_change(caller) {
                    return Err(Error::NotPermitted);
                }
                self.msg.remove(id)?;
                Ok(Answer::Value(0))
            }
            _ => Err(Error::Invalid),
        }
    }

    /// semop/semtimedop for the waiter `token` (a thread). Returns whether
    /// values changed (others may now proceed); `WouldBlock` records the
    /// waiter for GETNCNT/GETZCNT until it calls again or
    /// [`Namespace::sem_stop_waiting`].
    pub fn semop(&mut self, id: i32, ops: &[SemOp], caller: &Caller, token: u64) -> Result<bool> {
        if ops.is_empty() || id < 0 {
            return Err(Error::Invalid);
        }
        if ops.len() > self.limits.semopm as usize {
            return Err(Error::TooBig);
        }
        let e = self.sem.get_mut(id)?;
        let max = ops.iter().map(|o| o.num).max().unwrap_or(0);
        if usize::from(max) >= e.object.sems.len() {
            return Err(Error::TooLarge);
        }
        let alter = ops.iter().any(|o| o.op != 0);
        if !e.perm.allows(caller, if alter { WRITE } else { READ }) {
            return Err(Error::Access);
        }
        let nsems = e.object.sems.len();
        let undos = ops.iter().any(|o| o.flags & SEM_UNDO != 0);
        // Without SEM_UNDO no adjustment is looked at.
        let adjust: &mut [i32] = if undos { self.undo.get(caller.pid, id, nsems)? } else { &mut [] };
        match e.object.try_operate(ops, adjust, caller.pid) {
            Ok(()) => {
                e.object.stop_waiting(token);
                e.object.otime = caller.now;
                Ok(alter)
            }
            Err(Blocked::Range) => Err(Error::Range),
            Err(Blocked::NoMemory) => Err(Error::NoMemory),
            Err(Blocked::Wait { nowait: true, .. }) => {
                e.object.stop_waiting(token);
                Err(Error::Again)
            }
            Err(Blocked::Wait { index, .. }) => {
                e.object.wait_on(token, ops[index]);
                Err(Error::WouldBlock)
            }
        }
    }

    pub fn sem_stop_waiting(&mut self, id: i32, token: u64) {
        if let Ok(e) = self.sem.get_mut(id) {
            e.object.stop_waiting(token);
        }
    }

    /// msgsnd: `WouldBlock` while the queue is full.
    pub fn msg_send(&mut self, id: i32, mtype: i64, text: &[u8], nowait: bool, caller: &Caller) -> Result<()> {
        if text.len() > self.limits.msgmax as usize || id < 0 || mtype < 1 {
            return Err(Error::Invalid);
        }
        let e = self.msg.get_mut(id)?;
        if !e.perm.allows(caller, WRITE) {
            return Err(Error::Access);
        }
        if !e.object.fits(text.len()) {
            return Err(if nowait { Error::Again } else { Error::WouldBlock });
        }
        let mut copy = Vec::new();
        copy.try_reserve_exact(text.len()).map_err(|_| Error::NoMemory)?;
        copy.extend_from_slice(text);
        e.object.push(Message { mtype, text: copy }, caller.pid, caller.now);
        Ok(())
    }

    /// msgrcv: the message chosen by `msgtyp` and `flags`, its text cut to
    /// `max` bytes under MSG_NOERROR; `WouldBlock` while there is none.
    pub fn msg_receive(&mut self, id: i32, max: usize, msgtyp: i64, flags: u32, caller: &Caller) -> Result<Message> {
        if id < 0 || max > isize::MAX as usize {
            return Err(Error::Invalid);
        }
        if flags & MSG_COPY != 0 && (flags & MSG_EXCEPT != 0 || flags & crate::IPC_NOWAIT == 0) {
            return Err(Error::Invalid);
        }
        let select = Select::from_linux(msgtyp, flags);
        let e = self.msg.get_mut(id)?;
        if !e.perm.allows(caller, READ) {
            return Err(Error::Access);
        }
        let Some(at) = e.object.find(select) else {
            return Err(if flags & crate::IPC_NOWAIT != 0 { Error::NoMessage } else { Error::WouldBlock });
        };
        if e.object.messages[at].text.len() > max && flags & MSG_NOERROR == 0 {
            return Err(Error::TooBig);
        }
        let mut m = if flags & MSG_COPY != 0 {
            e.object.messages[at].clone()
        } else {
            e.object.take(at, caller.pid, caller.now).ok_or(Error::Invalid)?
        };
        m.text.truncate(max);
        Ok(m)
    }

    /// shmat's lookup and permission check: the segment's memory, size
    /// and key (for its name in /proc/<pid>/maps).
    pub fn shm_attach(&mut self, id: i32, flags: u32, caller: &Caller) -> Result<(&M, u64, i32)> {
        if id < 0 {
            return Err(Error::Invalid);
        }
        let mut want = if flags & SHM_RDONLY != 0 { READ } else { READ | WRITE };
        if flags & SHM_EXEC != 0 {
            want |= crate::perm::EXEC;
        }
        let e = self.shm.get(id)?;
        if !e.perm.allows(caller, want) {
            return Err(Error::Access);
        }
        Ok((&e.object.memory, e.object.size, e.perm.key))
    }

    /// Removes the segments that are marked for removal (or, with
    /// shm_rmid_forced, were detached) and mapped nowhere; their memory
    /// is handed back to be freed outside any lock.
    pub fn sweep(&mut self) -> Vec<M> {
        let forced = self.limits.shm_rmid_forced != 0;
        let dead = self.shm.ids_where(|e| {
            let u = e.object.memory.usage();
            u.attached == 0 && (e.perm.mode & SHM_DEST != 0 || (forced && u.dtime != 0))
        });
        let mut freed = Vec::new();
        for id in dead {
            if let Ok(e) = self.shm.remove(id) {
                self.shm_pages -= e.object.pages();
                freed.push(e.object.memory);
            }
        }
        freed
    }

    /// A process exits: its undo adjustments are applied, and with
    /// shm_rmid_forced its unattached segments go. Returns whether
    /// semaphore values changed.
    pub fn process_exit(&mut self, pid: u32) -> bool {
        let mut changed = false;
        for (id, adjust) in self.undo.take_process(pid) {
            if let Ok(e) = self.sem.get_mut(id) {
                crate::sem::apply_undo(&mut e.object, &adjust, pid);
                changed |= adjust.iter().any(|&a| a != 0);
            }
        }
        if self.limits.shm_rmid_forced != 0 {
            for (_, e) in self.shm.iter_mut() {
                if e.object.cpid == pid {
                    e.perm.mode |= SHM_DEST;
                }
            }
        }
        changed
    }
}

fn sem_status(perm: IpcPerm, s: &SemSet) -> SemStatus {
    SemStatus { perm, otime: s.otime, ctime: s.ctime, nsems: s.sems.len() as u64 }
}

fn msg_status(perm: IpcPerm, q: &MsgQueue) -> MsgStatus {
    MsgStatus {
        perm,
        stime: q.stime,
        rtime: q.rtime,
        ctime: q.ctime,
        cbytes: q.cbytes,
        qnum: q.messages.len() as u64,
        qbytes: q.qbytes,
        lspid: q.lspid,
        lrpid: q.lrpid,
    }
}
