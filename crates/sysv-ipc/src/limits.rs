//! The IPC tunables of /proc/sys/kernel and /proc/sys/fs/mqueue, with
//! Linux's defaults, and their text form.

use alloc::format;
use alloc::string::String;

/// SEMVMX: the largest semaphore value (and undo adjustment).
pub const SEMVMX: i32 = 32767;
/// Bytes of one page: shmall counts pages.
pub const PAGE_SIZE: u64 = 4096;
pub const SHMMIN: u64 = 1;
/// MSGSSZ and MSGSEG: the message pool geometry msginfo reports.
pub const MSGSSZ: i32 = 16;
pub const MSGSEG: i32 = 0xffff;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest segment (bytes), all segments together (pages), segments.
    pub shmmax: u64,
    pub shmall: u64,
    pub shmmni: u32,
    /// Destroy unattached segments when their creator exits.
    pub shm_rmid_forced: u32,
    /// Semaphores per set, in all sets, operations per semop, sets.
    pub semmsl: u32,
    pub semmns: u32,
    pub semopm: u32,
    pub semmni: u32,
    /// Largest message, bytes a queue may hold by default, queues.
    pub msgmax: u32,
    pub msgmnb: u32,
    pub msgmni: u32,
}

impl Limits {
    /// Linux's defaults (ipc/namespace.c, include/uapi/linux/{shm,sem,msg}.h).
    pub const LINUX: Limits = Limits {
        shmmax: u64::MAX - (1 << 24),
        shmall: u64::MAX - (1 << 24),
        shmmni: 4096,
        shm_rmid_forced: 0,
        semmsl: 32000,
        semmns: 1_024_000_000,
        semopm: 500,
        semmni: 32000,
        msgmax: 8192,
        msgmnb: 16384,
        msgmni: 32000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::LINUX
    }
}

/// One /proc/sys/kernel file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tunable {
    ShmMax,
    ShmAll,
    ShmMni,
    ShmRmidForced,
    Sem,
    MsgMax,
    MsgMnb,
    MsgMni,
}

/// The largest index space (IPCMNI): no *mni above it means anything.
const MNI_MAX: u64 = 32768;

impl Limits {
    /// The file's text, as Linux prints it.
    pub fn render(&self, t: Tunable) -> String {
        match t {
            Tunable::ShmMax => format!("{}\n", self.shmmax),
            Tunable::ShmAll => format!("{}\n", self.shmall),
            Tunable::ShmMni => format!("{}\n", self.shmmni),
            Tunable::ShmRmidForced => format!("{}\n", self.shm_rmid_forced),
            Tunable::Sem => format!("{}\t{}\t{}\t{}\n", self.semmsl, self.semmns, self.semopm, self.semmni),
            Tunable::MsgMax => format!("{}\n", self.msgmax),
            Tunable::MsgMnb => format!("{}\n", self.msgmnb),
            Tunable::MsgMni => format!("{}\n", self.msgmni),
        }
    }

    /// Sets a tunable from what was written to its file (EINVAL for text
    /// that is not numbers or out of the range Linux accepts).
    pub fn write(&mut self, t: Tunable, text: &[u8]) -> crate::Result<()> {
        let text = core::str::from_utf8(text).map_err(|_| crate::Error::Invalid)?;
        let mut words = text.split_ascii_whitespace().map(|w| w.parse::<u64>().map_err(|_| crate::Error::Invalid));
        let mut next = || words.next().unwrap_or(Err(crate::Error::Invalid));
        let int = |v: u64, max: u64| if v <= max { Ok(v as u32) } else { Err(crate::Error::Invalid) };
        match t {
            Tunable::ShmMax => self.shmmax = next()?,
            Tunable::ShmAll => self.shmall = next()?,
            Tunable::ShmMni => self.shmmni = int(next()?, MNI_MAX)?,
            Tunable::ShmRmidForced => self.shm_rmid_forced = int(next()?, 1)?,
            Tunable::Sem => {
                let (msl, mns, opm, mni) = (next()?, next()?, next()?, next()?);
                self.semmsl = int(msl, i32::MAX as u64)?;
                self.semmns = int(mns, i32::MAX as u64)?;
                self.semopm = int(opm, i32::MAX as u64)?;
                self.semmni = int(mni, MNI_MAX)?;
            }
            Tunable::MsgMax => self.msgmax = int(next()?, i32::MAX as u64)?,
            Tunable::MsgMnb => self.msgmnb = int(next()?, i32::MAX as u64)?,
            Tunable::MsgMni => self.msgmni = int(next()?, MNI_MAX)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sem_round_trips() {
        let mut l = Limits::default();
        assert_eq!(l.render(Tunable::Sem), "32000\t1024000000\t500\t32000\n");
        l.write(Tunable::Sem, b"250 32000 32 128\n").unwrap();
        assert_eq!((l.semmsl, l.semmns, l.semopm, l.semmni), (250, 32000, 32, 128));
        assert!(l.write(Tunable::Sem, b"1 2 3").is_err());
        assert!(l.write(Tunable::MsgMni, b"x").is_err());
        assert!(l.write(Tunable::ShmRmidForced, b"2").is_err());
        l.write(Tunable::ShmMax, b"4096").unwrap();
        assert_eq!(l.render(Tunable::ShmMax), "4096\n");
    }
}
