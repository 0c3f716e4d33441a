//! System V IPC and POSIX message queue structures (`linux/ipc.h`,
//! `asm/shmbuf.h`, `asm/sembuf.h`, `asm-generic/msgbuf.h`, `linux/mqueue.h`)
//! as x86_64 lays them out (the `*64_ds` forms, which are the only ones
//! there), and the command numbers.

use crate::wire::{get_i16, get_i64, get_u16, get_u32, prefix, put_i32, put_i64, put_u16, put_u32, put_u64};

pub const IPC_PRIVATE: i32 = 0;
pub const IPC_CREAT: u32 = 0o1000;
pub const IPC_EXCL: u32 = 0o2000;
pub const IPC_NOWAIT: u32 = 0o4000;
/// Set by musl (and old glibc) in every *ctl command; x86_64 ignores it.
pub const IPC_64: i32 = 0x100;

pub const IPC_RMID: i32 = 0;
pub const IPC_SET: i32 = 1;
pub const IPC_STAT: i32 = 2;
pub const IPC_INFO: i32 = 3;

pub const SHM_LOCK: i32 = 11;
pub const SHM_UNLOCK: i32 = 12;
pub const SHM_STAT: i32 = 13;
pub const SHM_INFO: i32 = 14;
pub const SHM_STAT_ANY: i32 = 15;

pub const GETPID: i32 = 11;
pub const GETVAL: i32 = 12;
pub const GETALL: i32 = 13;
pub const GETNCNT: i32 = 14;
pub const GETZCNT: i32 = 15;
pub const SETVAL: i32 = 16;
pub const SETALL: i32 = 17;
pub const SEM_STAT: i32 = 18;
pub const SEM_INFO: i32 = 19;
pub const SEM_STAT_ANY: i32 = 20;

pub const MSG_STAT: i32 = 11;
pub const MSG_INFO: i32 = 12;
pub const MSG_STAT_ANY: i32 = 13;

/// `struct ipc64_perm`: 48 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpcPerm {
    pub key: i32,
    pub uid: u32,
    pub gid: u32,
    pub cuid: u32,
    pub cgid: u32,
    pub mode: u32,
    pub seq: u16,
}

impl IpcPerm {
    pub const SIZE: usize = 48;
    pub const OFF_UID: usize = 4;
    pub const OFF_GID: usize = 8;
    pub const OFF_MODE: usize = 20;
    pub const OFF_SEQ: usize = 24;

    fn put(&self, b: &mut [u8]) {
        put_i32(b, 0, self.key);
        put_u32(b, Self::OFF_UID, self.uid);
        put_u32(b, Self::OFF_GID, self.gid);
        put_u32(b, 12, self.cuid);
        put_u32(b, 16, self.cgid);
        put_u32(b, Self::OFF_MODE, self.mode);
        put_u16(b, Self::OFF_SEQ, self.seq);
    }

    /// What IPC_SET reads: uid, gid and mode.
    pub fn set_fields(bytes: &[u8]) -> Option<(u32, u32, u32)> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some((get_u32(b, Self::OFF_UID), get_u32(b, Self::OFF_GID), get_u32(b, Self::OFF_MODE)))
    }
}

/// `struct shmid64_ds`: 112 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShmidDs {
    pub perm: IpcPerm,
    pub segsz: u64,
    pub atime: i64,
    pub dtime: i64,
    pub ctime: i64,
    pub cpid: i32,
    pub lpid: i32,
    pub nattch: u64,
}

impl ShmidDs {
    pub const SIZE: usize = 112;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        self.perm.put(&mut b);
        put_u64(&mut b, 48, self.segsz);
        put_i64(&mut b, 56, self.atime);
        put_i64(&mut b, 64, self.dtime);
        put_i64(&mut b, 72, self.ctime);
        put_i32(&mut b, 80, self.cpid);
        put_i32(&mut b, 84, self.lpid);
        put_u64(&mut b, 88, self.nattch);
        b
    }
}

/// `struct semid64_ds`: 104 bytes on x86_64 (a pad word after each time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SemidDs {
    pub perm: IpcPerm,
    pub otime: i64,
    pub ctime: i64,
    pub nsems: u64,
}

impl SemidDs {
    pub const SIZE: usize = 104;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        self.perm.put(&mut b);
        put_i64(&mut b, 48, self.otime);
        put_i64(&mut b, 64, self.ctime);
        put_u64(&mut b, 80, self.nsems);
        b
    }
}

/// `struct msqid64_ds`: 120 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MsqidDs {
    pub perm: IpcPerm,
    pub stime: i64,
    pub rtime: i64,
    pub ctime: i64,
    pub cbytes: u64,
    pub qnum: u64,
    pub qbytes: u64,
    pub lspid: i32,
    pub lrpid: i32,
}

impl MsqidDs {
    pub const SIZE: usize = 120;
    pub const OFF_QBYTES: usize = 88;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        self.perm.put(&mut b);
        put_i64(&mut b, 48, self.stime);
        put_i64(&mut b, 56, self.rtime);
        put_i64(&mut b, 64, self.ctime);
        put_u64(&mut b, 72, self.cbytes);
        put_u64(&mut b, 80, self.qnum);
        put_u64(&mut b, Self::OFF_QBYTES, self.qbytes);
        put_i32(&mut b, 96, self.lspid);
        put_i32(&mut b, 100, self.lrpid);
        b
    }

    pub fn qbytes(bytes: &[u8]) -> Option<u64> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(get_i64(b, Self::OFF_QBYTES) as u64)
    }
}

/// `struct shminfo64` (IPC_INFO): 72 bytes.
pub fn shminfo(shmmax: u64, shmmin: u64, shmmni: u64, shmseg: u64, shmall: u64) -> [u8; 72] {
    let mut b = [0u8; 72];
    for (i, v) in [shmmax, shmmin, shmmni, shmseg, shmall].into_iter().enumerate() {
        put_u64(&mut b, 8 * i, v);
    }
    b
}

/// `struct shm_info` (SHM_INFO): 48 bytes.
pub fn shm_info(used_ids: i32, shm_tot: u64, shm_rss: u64, shm_swp: u64) -> [u8; 48] {
    let mut b = [0u8; 48];
    put_i32(&mut b, 0, used_ids);
    put_u64(&mut b, 8, shm_tot);
    put_u64(&mut b, 16, shm_rss);
    put_u64(&mut b, 24, shm_swp);
    b
}

/// `struct seminfo`: ten ints (semmap, semmni, semmns, semmnu, semmsl,
/// semopm, semume, semusz, semvmx, semaem).
pub fn seminfo(fields: [i32; 10]) -> [u8; 40] {
    let mut b = [0u8; 40];
    for (i, v) in fields.into_iter().enumerate() {
        put_i32(&mut b, 4 * i, v);
    }
    b
}

/// `struct msginfo`: seven ints (msgpool, msgmap, msgmax, msgmnb, msgmni,
/// msgssz, msgtql) and the unsigned short msgseg: 32 bytes.
pub fn msginfo(fields: [i32; 7], msgseg: u16) -> [u8; 32] {
    let mut b = [0u8; 32];
    for (i, v) in fields.into_iter().enumerate() {
        put_i32(&mut b, 4 * i, v);
    }
    put_u16(&mut b, 28, msgseg);
    b
}

/// `struct sembuf`: 6 bytes.
pub const SEMBUF_SIZE: usize = 6;

/// (sem_num, sem_op, sem_flg) of one `struct sembuf`.
pub fn sembuf(bytes: &[u8]) -> Option<(u16, i16, i16)> {
    let b = prefix::<SEMBUF_SIZE>(bytes)?;
    Some((get_u16(b, 0), get_i16(b, 2), get_i16(b, 4)))
}

/// `struct mq_attr`: four longs and padding, 64 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MqAttr {
    pub flags: i64,
    pub maxmsg: i64,
    pub msgsize: i64,
    pub curmsgs: i64,
}

impl MqAttr {
    pub const SIZE: usize = 64;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i64(&mut b, 0, self.flags);
        put_i64(&mut b, 8, self.maxmsg);
        put_i64(&mut b, 16, self.msgsize);
        put_i64(&mut b, 24, self.curmsgs);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(MqAttr { flags: get_i64(b, 0), maxmsg: get_i64(b, 8), msgsize: get_i64(b, 16), curmsgs: get_i64(b, 24) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let s = ShmidDs {
            perm: IpcPerm { key: 1, mode: 0o600, seq: 2, ..IpcPerm::default() },
            segsz: 4096,
            nattch: 3,
            cpid: 9,
            ..ShmidDs::default()
        };
        let b = s.to_bytes();
        assert_eq!(&b[20..24], &0o600u32.to_le_bytes());
        assert_eq!(&b[24..26], &2u16.to_le_bytes());
        assert_eq!(&b[48..56], &4096u64.to_le_bytes());
        assert_eq!(&b[80..84], &9i32.to_le_bytes());
        assert_eq!(&b[88..96], &3u64.to_le_bytes());
        assert_eq!(IpcPerm::set_fields(&b), Some((0, 0, 0o600)));
        let m = MsqidDs { qbytes: 77, ..MsqidDs::default() }.to_bytes();
        assert_eq!(MsqidDs::qbytes(&m), Some(77));
        assert_eq!(sembuf(&[1, 0, 0xff, 0xff, 0, 0x10]), Some((1, -1, 0x1000)));
        assert_eq!(msginfo([0; 7], 0xffff)[28..30], [0xff, 0xff]);
    }
}
