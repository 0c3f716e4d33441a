//! Semaphore sets: the all-or-nothing evaluation of a `semop` array, the
//! per-process `SEM_UNDO` adjustments, and who is waiting for what.

use crate::limits::SEMVMX;
use crate::{Error, Result};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// `sem_flg` bits.
pub const SEM_UNDO: i16 = 0x1000;
pub const IPC_NOWAIT: i16 = 0o4000;

/// One `struct sembuf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemOp {
    pub num: u16,
    pub op: i16,
    pub flags: i16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sem {
    pub value: i32,
    /// The process of the last operation on it (GETPID).
    pub pid: u32,
}

/// A sleeping `semop`: which operation stopped it (GETNCNT counts the
/// negative ones, GETZCNT the waits for zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Waiter {
    token: u64,
    num: u16,
    zero: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemSet {
    pub sems: Vec<Sem>,
    pub otime: i64,
    pub ctime: i64,
    waiters: Vec<Waiter>,
}

/// Why an operation array could not be done now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// Operation `index` would wait; `nowait` if its flags said IPC_NOWAIT.
    Wait { index: usize, nowait: bool },
    /// ERANGE: a value or an undo adjustment would leave its range.
    Range,
    /// ENOMEM: no room for the trial copy.
    NoMemory,
}

/// `n` default values, allocated fallibly.
fn zeroed<T: Default + Clone>(n: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| Error::NoMemory)?;
    v.resize(n, T::default());
    Ok(v)
}

impl SemSet {
    /// A set of `nsems` zero semaphores (ENOMEM when there is no room:
    /// the size is the caller's choice, up to semmsl).
    pub fn new(nsems: usize, now: i64) -> Result<Self> {
        Ok(SemSet { sems: zeroed(nsems)?, otime: 0, ctime: now, waiters: Vec::new() })
    }

    /// Performs `ops` in order on a copy and keeps the result only if every
    /// one can be done now (Linux's `perform_atomic_semop_slow`): a wait
    /// for zero on a non-zero value, or a value that would go negative,
    /// blocks at that operation; a value past SEMVMX, or an undo
    /// adjustment (`adjust`, this process's for the set) past ±SEMVMX, is
    /// ERANGE. On success the values, `adjust` and the pids change.
    pub fn try_operate(&mut self, ops: &[SemOp], adjust: &mut [i32], pid: u32) -> core::result::Result<(), Blocked> {
        let (Ok(mut values), Ok(mut adj)) = (zeroed::<i32>(self.sems.len()), zeroed::<i32>(adjust.len())) else {
            return Err(Blocked::NoMemory);
        };
        values.iter_mut().zip(&self.sems).for_each(|(v, s)| *v = s.value);
        adj.copy_from_slice(adjust);
        for (index, op) in ops.iter().enumerate() {
            let n = usize::from(op.num);
            let Some(&current) = values.get(n) else { return Err(Blocked::Range) };
            let result = current + i32::from(op.op);
            if (op.op == 0 && current != 0) || result < 0 {
                return Err(Blocked::Wait { index, nowait: op.flags & IPC_NOWAIT != 0 });
            }
            if result > SEMVMX {
                return Err(Blocked::Range);
            }
            if op.flags & SEM_UNDO != 0 {
                let Some(a) = adj.get_mut(n) else { return Err(Blocked::Range) };
                let undo = *a - i32::from(op.op);
                if !(-SEMVMX - 1..=SEMVMX).contains(&undo) {
                    return Err(Blocked::Range);
                }
                *a = undo;
            }
            values[n] = result;
        }
        for (s, v) in self.sems.iter_mut().zip(values) {
            s.value = v;
        }
        for op in ops {
            self.sems[usize::from(op.num)].pid = pid;
        }
        adjust.copy_from_slice(&adj);
        Ok(())
    }

    /// Records (or moves) the waiter `token` as stopped by `op`.
    pub fn wait_on(&mut self, token: u64, op: SemOp) {
        self.stop_waiting(token);
        self.waiters.push(Waiter { token, num: op.num, zero: op.op == 0 });
    }

    pub fn stop_waiting(&mut self, token: u64) {
        self.waiters.retain(|w| w.token != token);
    }

    /// GETNCNT (`zero` false) or GETZCNT (`zero` true) of semaphore `num`.
    pub fn waiting(&self, num: u16, zero: bool) -> usize {
        self.waiters.iter().filter(|w| w.num == num && w.zero == zero).count()
    }
}

/// The `SEM_UNDO` adjustments of every process, by (process, set id).
/// Threads share their process's (glibc creates them with CLONE_SYSVSEM).
#[derive(Debug, Default, Clone)]
pub struct UndoLists {
    lists: BTreeMap<(u32, i32), Vec<i32>>,
}

impl UndoLists {
    pub const fn new() -> Self {
        UndoLists { lists: BTreeMap::new() }
    }

    /// The adjustments of `pid` for set `id` of `nsems` semaphores.
    pub fn get(&mut self, pid: u32, id: i32, nsems: usize) -> Result<&mut Vec<i32>> {
        match self.lists.entry((pid, id)) {
            alloc::collections::btree_map::Entry::Occupied(e) => Ok(e.into_mut()),
            alloc::collections::btree_map::Entry::Vacant(e) => Ok(e.insert(zeroed(nsems)?)),
        }
    }

    /// SETVAL (`Some(num)`) or SETALL (None): the adjustments of every
    /// process for those semaphores are forgotten.
    pub fn clear(&mut self, id: i32, num: Option<usize>) {
        for ((_, set), adj) in self.lists.iter_mut() {
            if *set == id {
                match num {
                    Some(n) => {
                        if let Some(a) = adj.get_mut(n) {
                            *a = 0;
                        }
                    }
                    None => adj.iter_mut().for_each(|a| *a = 0),
                }
            }
        }
    }

    /// The set is gone: so are its adjustments.
    pub fn forget_set(&mut self, id: i32) {
        self.lists.retain(|(_, set), _| *set != id);
    }

    /// The process exits: its adjustments, set by set.
    pub fn take_process(&mut self, pid: u32) -> Vec<(i32, Vec<i32>)> {
        let keys: Vec<(u32, i32)> = self.lists.range((pid, i32::MIN)..=(pid, i32::MAX)).map(|(k, _)| *k).collect();
        keys.into_iter().filter_map(|k| self.lists.remove(&k).map(|v| (k.1, v))).collect()
    }
}

/// Applies an exiting process's adjustments to its set: each value moves
/// by its adjustment and is clamped to 0..=SEMVMX, as Linux does.
pub fn apply_undo(set: &mut SemSet, adjust: &[i32], pid: u32) {
    for (s, &a) in set.sems.iter_mut().zip(adjust) {
        if a != 0 {
            s.value = (s.value + a).clamp(0, SEMVMX);
            s.pid = pid;
        }
    }
}

/// Checks a semctl semaphore number.
pub fn index(set: &SemSet, num: i32) -> Result<usize> {
    usize::try_from(num).ok().filter(|&n| n < set.sems.len()).ok_or(Error::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(num: u16, op: i16, flags: i16) -> SemOp {
        SemOp { num, op, flags }
    }

    #[test]
    fn all_or_nothing() {
        let mut s = SemSet::new(2, 0).unwrap();
        let mut adj = [0, 0];
        s.try_operate(&[op(0, 2, 0)], &mut adj, 7).unwrap();
        // The second operation blocks: the first does not happen either.
        assert_eq!(
            s.try_operate(&[op(0, -1, 0), op(1, -1, IPC_NOWAIT)], &mut adj, 8),
            Err(Blocked::Wait { index: 1, nowait: true })
        );
        assert_eq!(s.sems[0], Sem { value: 2, pid: 7 });
        // Operations on one semaphore add up in order.
        assert_eq!(
            s.try_operate(&[op(0, -1, 0), op(0, -1, 0), op(0, -1, 0)], &mut adj, 8),
            Err(Blocked::Wait { index: 2, nowait: false })
        );
        s.try_operate(&[op(0, -1, SEM_UNDO), op(0, -1, 0), op(0, 0, 0)], &mut adj, 9).unwrap();
        assert_eq!(adj, [1, 0]);
        assert_eq!(s.sems[0], Sem { value: 0, pid: 9 });
        assert_eq!(s.try_operate(&[op(1, i16::MAX, 0), op(1, 1, 0)], &mut adj, 9), Err(Blocked::Range));
    }

    #[test]
    fn undo_clamps_and_counts_waiters() {
        let mut s = SemSet::new(1, 0).unwrap();
        s.sems[0].value = 1;
        apply_undo(&mut s, &[-5], 3);
        assert_eq!(s.sems[0], Sem { value: 0, pid: 3 });
        s.wait_on(1, op(0, -1, 0));
        s.wait_on(2, op(0, 0, 0));
        s.wait_on(1, op(0, -2, 0));
        assert_eq!((s.waiting(0, false), s.waiting(0, true)), (1, 1));
        s.stop_waiting(2);
        assert_eq!(s.waiting(0, true), 0);
        let mut u = UndoLists::new();
        u.get(5, 10, 2).unwrap()[1] = 3;
        u.get(5, 11, 1).unwrap()[0] = 1;
        u.get(6, 10, 2).unwrap()[0] = 2;
        u.clear(10, Some(1));
        assert_eq!(u.get(5, 10, 2).unwrap(), &alloc::vec![0, 0]);
        let mine = u.take_process(5);
        assert_eq!(mine.len(), 2);
        assert_eq!(u.get(6, 10, 2).unwrap(), &alloc::vec![2, 0]);
    }
}
