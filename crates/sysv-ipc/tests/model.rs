//! The namespace against simple reference models, over random input.

use proptest::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use sysv_ipc::sem::{SemOp, IPC_NOWAIT as SEM_NOWAIT, SEM_UNDO};
use sysv_ipc::shm::{SegmentMemory, Usage};
use sysv_ipc::*;

#[derive(Clone, Default)]
struct FakeMemory(Rc<Cell<u32>>);

impl SegmentMemory for FakeMemory {
    fn usage(&self) -> Usage {
        Usage { attached: self.0.get(), ..Usage::default() }
    }
}

fn root() -> Caller {
    Caller::new(1, 0, 0, Vec::new(), true, 100)
}

fn user(uid: u32) -> Caller {
    Caller::new(2, uid, uid, Vec::new(), false, 100)
}

/// The reference semop: apply the operations one by one to a copy; any
/// that cannot be done leaves everything as it was.
fn reference(values: &[i32], ops: &[SemOp]) -> Option<Vec<i32>> {
    let mut v = values.to_vec();
    for o in ops {
        let cur = v[o.num as usize];
        let next = cur + o.op as i32;
        if (o.op == 0 && cur != 0) || !(0..=32767).contains(&next) {
            return None;
        }
        v[o.num as usize] = next;
    }
    Some(v)
}

proptest! {
    #[test]
    fn semop_is_all_or_nothing(
        initial in prop::collection::vec(0i32..4, 1..5),
        arrays in prop::collection::vec(prop::collection::vec((0u16..5, -3i16..4, any::<bool>()), 1..6), 1..20),
    ) {
        let mut ns: Namespace<FakeMemory> = Namespace::new();
        let c = root();
        let nsems = initial.len();
        let id = ns.get(Kind::Sem, 0, 0o600, nsems as u64, &c, |_| None).unwrap();
        let values: Vec<u16> = initial.iter().map(|&v| v as u16).collect();
        ns.control(Kind::Sem, id, Command::SetAll(values), &c).unwrap();
        let mut model = initial.clone();
        let mut undo_model = vec![0i32; nsems];
        for array in arrays {
            let ops: Vec<SemOp> = array.iter().map(|&(n, op, undo)| SemOp { num: n, op, flags: SEM_NOWAIT | if undo { SEM_UNDO } else { 0 } }).collect();
            let got = ns.semop(id, &ops, &c, 1);
            if ops.iter().any(|o| o.num as usize >= nsems) {
                prop_assert_eq!(got, Err(Error::TooLarge));
                continue;
            }
            match reference(&model, &ops) {
                Some(next) => {
                    prop_assert!(got.is_ok());
                    model = next;
                    for o in &ops {
                        if o.flags & SEM_UNDO != 0 {
                            undo_model[o.num as usize] -= o.op as i32;
                        }
                    }
                }
                None => prop_assert!(matches!(got, Err(Error::Again) | Err(Error::Range))),
            }
            let Answer::Values(now) = ns.control(Kind::Sem, id, Command::GetAll, &c).unwrap() else { panic!() };
            prop_assert_eq!(now.iter().map(|&v| v as i32).collect::<Vec<_>>(), model.clone());
        }
        // Exit undoes every SEM_UNDO adjustment, clamped at 0.
        ns.process_exit(c.pid);
        let Answer::Values(after) = ns.control(Kind::Sem, id, Command::GetAll, &c).unwrap() else { panic!() };
        let want: Vec<i32> = model.iter().zip(&undo_model).map(|(v, u)| (v + u).clamp(0, 32767)).collect();
        prop_assert_eq!(after.iter().map(|&v| v as i32).collect::<Vec<_>>(), want);
    }

    #[test]
    fn messages_come_out_in_order_by_type(types in prop::collection::vec(1i64..5, 0..30), wanted in -5i64..5) {
        let mut ns: Namespace<FakeMemory> = Namespace::new();
        let c = root();
        let id = ns.get(Kind::Msg, 0, 0o600, 0, &c, |_| None).unwrap();
        for (i, &t) in types.iter().enumerate() {
            ns.msg_send(id, t, &[i as u8], true, &c).unwrap();
        }
        let mut left: Vec<(i64, u8)> = types.iter().enumerate().map(|(i, &t)| (t, i as u8)).collect();
        loop {
            let got = ns.msg_receive(id, 10, wanted, IPC_NOWAIT, &c);
            let pick = if wanted == 0 {
                (!left.is_empty()).then_some(0)
            } else if wanted > 0 {
                left.iter().position(|m| m.0 == wanted)
            } else {
                let lowest = left.iter().filter(|m| m.0 <= -wanted).map(|m| m.0).min();
                lowest.and_then(|t| left.iter().position(|m| m.0 == t))
            };
            match pick {
                Some(i) => {
                    let m = got.unwrap();
                    prop_assert_eq!((m.mtype, m.text[0]), left.remove(i));
                }
                None => {
                    prop_assert_eq!(got, Err(Error::NoMessage));
                    break;
                }
            }
        }
    }
}

#[test]
fn shmget_rules() {
    let mut ns: Namespace<FakeMemory> = Namespace::new();
    let c = root();
    let mem = FakeMemory::default();
    let m2 = mem.clone();
    assert_eq!(ns.get(Kind::Shm, 7, 0o600, 4096, &c, |_| None), Err(Error::NoEntry));
    assert_eq!(ns.get(Kind::Shm, 7, IPC_CREAT | 0o600, 0, &c, |_| Some(FakeMemory::default())), Err(Error::Invalid));
    assert_eq!(
        ns.get(Kind::Shm, 7, IPC_CREAT | sysv_ipc::shm::SHM_HUGETLB | 0o600, 4096, &c, |_| Some(FakeMemory::default())),
        Err(Error::Invalid)
    );
    let id = ns.get(Kind::Shm, 7, IPC_CREAT | 0o600, 4096, &c, move |_| Some(m2)).unwrap();
    assert_eq!(ns.get(Kind::Shm, 7, IPC_CREAT | sysv_ipc::shm::SHM_HUGETLB, 4096, &c, |_| None), Ok(id));
    assert_eq!(ns.get(Kind::Shm, 7, 0, 4096, &c, |_| None), Ok(id));
    assert_eq!(ns.get(Kind::Shm, 7, 0, 8192, &c, |_| None), Err(Error::Invalid));
    assert_eq!(ns.get(Kind::Shm, 7, IPC_CREAT | IPC_EXCL, 10, &c, |_| None), Err(Error::Exists));
    assert_eq!(ns.get(Kind::Shm, 7, 0o600, 10, &user(5), |_| None), Err(Error::Access));
    assert_eq!(ns.get(Kind::Shm, 7, 0, 10, &user(5), |_| None), Ok(id));
    assert_eq!(ns.control(Kind::Shm, id, Command::Remove, &user(5)), Err(Error::NotPermitted));
    // Attached: removal only hides the key; the last detach frees it.
    mem.0.set(1);
    ns.control(Kind::Shm, id, Command::Remove, &c).unwrap();
    assert!(ns.sweep().is_empty());
    let Answer::Status(_, Status::Shm(s)) = ns.control(Kind::Shm, id, Command::Stat, &c).unwrap() else { panic!() };
    assert_eq!((s.perm.key, s.perm.mode & SHM_DEST, s.nattch), (0, SHM_DEST, 1));
    assert_eq!(ns.get(Kind::Shm, 7, 0, 10, &c, |_| None), Err(Error::NoEntry));
    mem.0.set(0);
    assert_eq!(ns.sweep().len(), 1);
    assert_eq!(ns.control(Kind::Shm, id, Command::Stat, &c), Err(Error::Invalid));
    assert!(sysv_ipc::procfs::shm(&ns).lines().count() == 1);
}

#[test]
fn semctl_and_msgctl_checks() {
    let mut ns: Namespace<FakeMemory> = Namespace::new();
    let c = root();
    assert_eq!(ns.get(Kind::Sem, 0, 0o600, 0, &c, |_| None), Err(Error::Invalid));
    assert_eq!(ns.get(Kind::Sem, 0, 0o600, 32001, &c, |_| None), Err(Error::Invalid));
    let id = ns.get(Kind::Sem, 3, IPC_CREAT | 0o640, 2, &c, |_| None).unwrap();
    assert_eq!(ns.get(Kind::Sem, 3, 0, 3, &c, |_| None), Err(Error::Invalid));
    assert_eq!(ns.control(Kind::Sem, id, Command::SetVal(0, 32768), &c), Err(Error::Range));
    assert_eq!(ns.control(Kind::Sem, id, Command::SetVal(2, 1), &c), Err(Error::Invalid));
    assert_eq!(ns.control(Kind::Sem, id, Command::SetVal(0, 1), &user(9)), Err(Error::Access));
    assert_eq!(ns.control(Kind::Sem, id, Command::GetVal(0), &user(9)), Err(Error::Access));
    let ops = [SemOp { num: 0, op: -1, flags: 0 }];
    assert_eq!(ns.semop(id, &ops, &c, 42), Err(Error::WouldBlock));
    assert_eq!(ns.control(Kind::Sem, id, Command::GetNcnt(0), &c), Ok(Answer::Value(1)));
    ns.sem_stop_waiting(id, 42);
    assert_eq!(ns.control(Kind::Sem, id, Command::GetNcnt(0), &c), Ok(Answer::Value(0)));
    let Answer::Status(full, _) = ns.control(Kind::Sem, 0, Command::StatIndex { any: false }, &c).unwrap() else {
        panic!()
    };
    assert_eq!(full, id as i64);
    assert!(sysv_ipc::procfs::sem(&ns).lines().count() == 2);

    let q = ns.get(Kind::Msg, 0, 0o600, 0, &c, |_| None).unwrap();
    assert_eq!(ns.msg_send(q, 0, b"x", true, &c), Err(Error::Invalid));
    ns.msg_send(q, 1, b"hello", true, &c).unwrap();
    assert_eq!(ns.msg_receive(q, 2, 0, 0, &c), Err(Error::TooBig));
    assert_eq!(
        ns.msg_receive(q, 2, 0, IPC_NOWAIT | sysv_ipc::msg::MSG_COPY | sysv_ipc::msg::MSG_NOERROR, &c).unwrap().text,
        b"he"
    );
    assert_eq!(ns.msg_receive(q, 2, 0, sysv_ipc::msg::MSG_NOERROR, &c).unwrap().text, b"he");
    assert_eq!(ns.msg_receive(q, 2, 0, 0, &c), Err(Error::WouldBlock));
    let set = Command::Set { uid: 0, gid: 0, mode: 0o600, qbytes: 1 << 20 };
    let mut owner = user(0);
    owner.sys_resource = false;
    assert_eq!(ns.control(Kind::Msg, q, set.clone(), &owner), Err(Error::NotPermitted));
    assert!(ns.control(Kind::Msg, q, set, &c).is_ok());
}
