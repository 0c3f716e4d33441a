//! System V IPC, POSIX message queues and the key calls against the fake
//! core: arguments in the right places, *ctl commands decoded (IPC_64
//! ignored), the *id_ds structures in x86_64's layout, sembuf arrays,
//! msgbuf's type-then-text, mq_attr and sigevent, key strings and
//! payloads, and the errors Linux gives before its core is reached.

mod fake_core;

use fake_core::{FakeCore, IpcCall, MqCall, MEM_BASE, MQ_FD, SHM_ADDR};
use kernel_ops::keyrings::{Reply, Request};
use kernel_ops::sysv_ipc::mqueue::Notify;
use kernel_ops::sysv_ipc::namespace::{Answer, Command, MsgStatus, SemStatus, ShmStatus, Status};
use kernel_ops::sysv_ipc::sem::SemOp;
use kernel_ops::sysv_ipc::{IpcPerm, Kind};
use kernel_ops::OpenFlags;

const SHMGET: u64 = 29;
const SHMAT: u64 = 30;
const SHMCTL: u64 = 31;
const SEMGET: u64 = 64;
const SEMOP: u64 = 65;
const SEMCTL: u64 = 66;
const SHMDT: u64 = 67;
const MSGGET: u64 = 68;
const MSGSND: u64 = 69;
const MSGRCV: u64 = 70;
const MSGCTL: u64 = 71;
const SEMTIMEDOP: u64 = 220;
const MQ_OPEN: u64 = 240;
const MQ_UNLINK: u64 = 241;
const MQ_TIMEDSEND: u64 = 242;
const MQ_TIMEDRECEIVE: u64 = 243;
const MQ_NOTIFY: u64 = 244;
const MQ_GETSETATTR: u64 = 245;
const ADD_KEY: u64 = 248;
const REQUEST_KEY: u64 = 249;
const KEYCTL: u64 = 250;

const EPERM: i64 = 1;
const E2BIG: i64 = 7;
const EBADF: i64 = 9;
const EAGAIN: i64 = 11;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const EMSGSIZE: i64 = 90;
const EOPNOTSUPP: i64 = 95;

const IPC_64: u64 = 0x100;
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x200;
const C: u64 = MEM_BASE + 0x400;
/// The fake clock's monotonic and realtime reading.
const NOW: u64 = 1_700_000_000_123_456_789;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn u32_at(k: &FakeCore, addr: u64) -> u32 {
    u32::from_le_bytes(k.get(addr, 4).try_into().unwrap())
}

fn u64_at(k: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

fn perm() -> IpcPerm {
    IpcPerm { key: 0x1234, uid: 1000, gid: 100, cuid: 0, cgid: 0, mode: 0o640, seq: 3 }
}

#[test]
fn shmget_shmat_shmdt_pass_their_arguments_through() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(SHMGET, [0x1234, 8192, 0o1000 | 0o600, 0, 0, 0]), 5);
    assert_eq!(k.syscall(SHMAT, [5, 0, 0o10000, 0, 0, 0]), SHM_ADDR);
    assert_eq!(k.syscall(SHMDT, [SHM_ADDR, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(SHMDT, [SHM_ADDR + 4096, 0, 0, 0, 0, 0])), EINVAL, "the core's EINVAL comes back");
    assert_eq!(
        k.ipc_state.ipc_calls,
        vec![
            IpcCall::Get(Kind::Shm, 0x1234, 0o1600, 8192),
            IpcCall::ShmAttach(5, 0, 0o10000),
            IpcCall::ShmDetach(SHM_ADDR),
            IpcCall::ShmDetach(SHM_ADDR + 4096),
        ]
    );
}

#[test]
fn shmctl_decodes_commands_and_writes_shmid64_ds() {
    let mut k = FakeCore::new();
    let s = ShmStatus { perm: perm(), size: 4096, atime: 11, dtime: 12, ctime: 13, cpid: 7, lpid: 8, nattch: 2 };
    k.ipc_state.control_answers.push(Answer::Status(0, Status::Shm(s)));
    assert_eq!(k.syscall(SHMCTL, [5, 2 | IPC_64, A, 0, 0, 0]), 0, "IPC_STAT with IPC_64");
    assert_eq!((u32_at(&k, A), u32_at(&k, A + 4), u32_at(&k, A + 8)), (0x1234, 1000, 100), "key, uid, gid");
    assert_eq!(u32_at(&k, A + 20), 0o640, "mode");
    assert_eq!(k.get(A + 24, 2), &[3, 0], "seq");
    assert_eq!(u64_at(&k, A + 48), 4096, "shm_segsz");
    assert_eq!((u64_at(&k, A + 56), u64_at(&k, A + 64), u64_at(&k, A + 72)), (11, 12, 13), "times");
    assert_eq!((u32_at(&k, A + 80), u32_at(&k, A + 84), u64_at(&k, A + 88)), (7, 8, 2), "cpid, lpid, nattch");
    // IPC_SET reads uid, gid and mode from the same layout.
    let mut ds = vec![0u8; 112];
    ds[4..8].copy_from_slice(&2000u32.to_le_bytes());
    ds[8..12].copy_from_slice(&200u32.to_le_bytes());
    ds[20..24].copy_from_slice(&0o600u32.to_le_bytes());
    k.put(B, &ds);
    assert_eq!(k.syscall(SHMCTL, [5, 1, B, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SHMCTL, [5, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SHMCTL, [5, 11, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SHMCTL, [1, 15, A, 0, 0, 0]), 0);
    let cmds: Vec<Command> = k
        .ipc_state
        .ipc_calls
        .iter()
        .map(|c| match c {
            IpcCall::Control(Kind::Shm, _, cmd) => cmd.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        cmds,
        vec![
            Command::Stat,
            Command::Set { uid: 2000, gid: 200, mode: 0o600, qbytes: 0 },
            Command::Remove,
            Command::Lock(true),
            Command::StatIndex { any: true },
        ]
    );
    assert_eq!(errno(k.syscall(SHMCTL, [5, 99, A, 0, 0, 0])), EINVAL, "an unknown command");
    assert_eq!(errno(k.syscall(SHMCTL, [(-1i64) as u64, 2, A, 0, 0, 0])), EINVAL, "a negative id");
    assert_eq!(errno(k.syscall(SHMCTL, [5, 1, 8, 0, 0, 0])), EFAULT, "IPC_SET's buffer");
    ds[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    k.put(B, &ds);
    assert_eq!(errno(k.syscall(SHMCTL, [5, 1, B, 0, 0, 0])), EINVAL, "uid -1 is no uid");
    assert_eq!(k.ipc_state.ipc_calls.len(), 5);
}

fn sembufs(ops: &[(u16, i16, i16)]) -> Vec<u8> {
    ops.iter().flat_map(|(n, o, f)| [n.to_le_bytes(), o.to_le_bytes(), f.to_le_bytes()].concat()).collect()
}

#[test]
fn semget_and_semop_decode_sembuf_arrays() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(SEMGET, [0x99, 3, 0o1000 | 0o600, 0, 0, 0]), 5);
    assert_eq!(errno(k.syscall(SEMGET, [0x99, (-1i64) as u64, 0, 0, 0, 0])), EINVAL, "negative nsems");
    k.put(A, &sembufs(&[(0, -1, 0o4000), (2, 1, 0x1000)]));
    assert_eq!(k.syscall(SEMOP, [5, A, 2, 0, 0, 0]), 0);
    assert_eq!(
        k.ipc_state.ipc_calls.last(),
        Some(&IpcCall::SemOperate(
            5,
            vec![SemOp { num: 0, op: -1, flags: 0o4000 }, SemOp { num: 2, op: 1, flags: 0x1000 }],
            None
        ))
    );
    let n = k.ipc_state.ipc_calls.len();
    assert_eq!(errno(k.syscall(SEMOP, [5, A, 0, 0, 0, 0])), EINVAL, "nsops 0");
    assert_eq!(errno(k.syscall(SEMOP, [(-1i64) as u64, A, 1, 0, 0, 0])), EINVAL, "negative id");
    assert_eq!(errno(k.syscall(SEMOP, [5, A, 33, 0, 0, 0])), E2BIG, "more than semopm (32 here)");
    assert_eq!(errno(k.syscall(SEMOP, [5, 8, 1, 0, 0, 0])), EFAULT);
    assert!(!k.ipc_state.ipc_calls[n..].iter().any(|c| matches!(c, IpcCall::SemOperate(..))));
}

#[test]
fn semtimedop_turns_its_timeout_into_a_deadline_and_timing_out_into_eagain() {
    let mut k = FakeCore::new();
    k.put(A, &sembufs(&[(1, 0, 0)]));
    k.put(B, &[1i64.to_le_bytes(), 5i64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(SEMTIMEDOP, [5, A, 1, B, 0, 0])), EAGAIN);
    assert_eq!(
        k.ipc_state.ipc_calls.last(),
        Some(&IpcCall::SemOperate(5, vec![SemOp { num: 1, op: 0, flags: 0 }], Some(NOW + 1_000_000_005)))
    );
    assert_eq!(k.syscall(SEMTIMEDOP, [5, A, 1, 0, 0, 0]), 0, "NULL timeout: semop");
    k.put(B, &[0i64.to_le_bytes(), (-1i64).to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(SEMTIMEDOP, [5, A, 1, B, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SEMTIMEDOP, [5, A, 1, 8, 0, 0])), EFAULT);
}

#[test]
fn semctl_decodes_value_commands_and_moves_arrays() {
    let mut k = FakeCore::new();
    k.ipc_state.control_answers.push(Answer::Value(42));
    assert_eq!(k.syscall(SEMCTL, [5, 2, 12, 0, 0, 0]), 42, "GETVAL returns the value");
    assert_eq!(k.syscall(SEMCTL, [5, 1, 16 | IPC_64, 7, 0, 0]), 0, "SETVAL takes arg as the value");
    k.ipc_state.control_answers.push(Answer::Values(vec![1, 2, 0xffff]));
    assert_eq!(k.syscall(SEMCTL, [5, 0, 13, A, 0, 0]), 0, "GETALL");
    assert_eq!(k.get(A, 6), &[1, 0, 2, 0, 0xff, 0xff]);
    k.put(B, &[9, 0, 8, 0, 7, 0, 0xee, 0xee]);
    assert_eq!(k.syscall(SEMCTL, [5, 0, 17, B, 0, 0]), 0, "SETALL reads nsems (3) values");
    let s = SemStatus { perm: perm(), otime: 21, ctime: 22, nsems: 3 };
    k.ipc_state.control_answers.push(Answer::Status(0, Status::Sem(s)));
    assert_eq!(k.syscall(SEMCTL, [5, 0, 2, C, 0, 0]), 0, "IPC_STAT");
    assert_eq!((u64_at(&k, C + 48), u64_at(&k, C + 64), u64_at(&k, C + 80)), (21, 22, 3), "otime, ctime, nsems");
    assert_eq!(u32_at(&k, C + 20), 0o640);
    let cmds: Vec<Command> = k
        .ipc_state
        .ipc_calls
        .iter()
        .filter_map(|c| match c {
            IpcCall::Control(Kind::Sem, 5, cmd) => Some(cmd.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        cmds,
        vec![
            Command::GetVal(2),
            Command::SetVal(1, 7),
            Command::GetAll,
            Command::Count,
            Command::SetAll(vec![9, 8, 7]),
            Command::Stat
        ]
    );
    assert_eq!(errno(k.syscall(SEMCTL, [5, 0, 77, 0, 0, 0])), EINVAL, "an unknown command");
    assert_eq!(errno(k.syscall(SEMCTL, [(-1i64) as u64, 0, 12, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SEMCTL, [5, 0, 17, 8, 0, 0])), EFAULT, "SETALL's array");
}

fn msgbuf(mtype: i64, text: &[u8]) -> Vec<u8> {
    [mtype.to_le_bytes().to_vec(), text.to_vec()].concat()
}

#[test]
fn msgget_msgsnd_msgrcv_move_type_and_text() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(MSGGET, [0x77, 0o1000 | 0o666, 0, 0, 0, 0]), 5);
    assert_eq!(k.ipc_state.ipc_calls[0], IpcCall::Get(Kind::Msg, 0x77, 0o1666, 0));
    k.put(A, &msgbuf(3, b"hello!"));
    assert_eq!(k.syscall(MSGSND, [5, A, 5, 0o4000, 0, 0]), 0);
    assert_eq!(k.ipc_state.ipc_calls.last(), Some(&IpcCall::MsgSend(5, 3, b"hello".to_vec(), 0o4000)));
    let n = k.ipc_state.ipc_calls.len();
    assert_eq!(errno(k.syscall(MSGSND, [5, A, 65, 0, 0, 0])), EINVAL, "past msgmax (64 here)");
    assert_eq!(errno(k.syscall(MSGSND, [5, A, (-1i64) as u64, 0, 0, 0])), EINVAL, "negative size");
    k.put(B, &msgbuf(0, b"x"));
    assert_eq!(errno(k.syscall(MSGSND, [5, B, 1, 0, 0, 0])), EINVAL, "mtype 0");
    assert_eq!(errno(k.syscall(MSGSND, [5, 8, 1, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(MSGSND, [5, 8, 65, 0, 0, 0])), EFAULT, "mtype is read before the size is checked");
    assert!(!k.ipc_state.ipc_calls[n..].iter().any(|c| matches!(c, IpcCall::MsgSend(..))));

    k.ipc_state.message = (9, b"message".to_vec());
    assert_eq!(k.syscall(MSGRCV, [5, C, 32, (-4i64) as u64, 0o4000, 0]), 7);
    assert_eq!(k.get(C, 15), &msgbuf(9, b"message")[..]);
    assert_eq!(k.ipc_state.ipc_calls.last(), Some(&IpcCall::MsgReceive(5, 32, -4, 0o4000)));
    assert_eq!(errno(k.syscall(MSGRCV, [5, C, 3, 0, 0, 0])), E2BIG, "too long without MSG_NOERROR");
    assert_eq!(k.syscall(MSGRCV, [5, C, 3, 0, 0o10000, 0]), 3, "MSG_NOERROR truncates");
    assert_eq!(errno(k.syscall(MSGRCV, [5, C, (-1i64) as u64, 0, 0, 0])), EINVAL, "negative size");
    assert_eq!(errno(k.syscall(MSGRCV, [(-1i64) as u64, C, 3, 0, 0, 0])), EINVAL, "negative id");
}

#[test]
fn msgctl_writes_msqid64_ds_and_ipc_set_reads_qbytes() {
    let mut k = FakeCore::new();
    let s = MsgStatus {
        perm: perm(),
        stime: 31,
        rtime: 32,
        ctime: 33,
        cbytes: 34,
        qnum: 35,
        qbytes: 16384,
        lspid: 36,
        lrpid: 37,
    };
    k.ipc_state.control_answers.push(Answer::Status(0, Status::Msg(s)));
    assert_eq!(k.syscall(MSGCTL, [5, 2, A, 0, 0, 0]), 0);
    let got: Vec<u64> = [48, 56, 64, 72, 80, 88].iter().map(|o| u64_at(&k, A + o)).collect();
    assert_eq!(got, vec![31, 32, 33, 34, 35, 16384], "stime rtime ctime cbytes qnum qbytes");
    assert_eq!((u32_at(&k, A + 96), u32_at(&k, A + 100)), (36, 37), "lspid, lrpid");
    let mut ds = vec![0u8; 120];
    ds[4..8].copy_from_slice(&5u32.to_le_bytes());
    ds[8..12].copy_from_slice(&6u32.to_le_bytes());
    ds[20..24].copy_from_slice(&0o604u32.to_le_bytes());
    ds[88..96].copy_from_slice(&999u64.to_le_bytes());
    k.put(B, &ds);
    assert_eq!(k.syscall(MSGCTL, [5, 1 | IPC_64, B, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MSGCTL, [0, 12, C, 0, 0, 0]), 0, "MSG_INFO");
    assert_eq!(
        k.ipc_state.ipc_calls[1..],
        [
            IpcCall::Control(Kind::Msg, 5, Command::Set { uid: 5, gid: 6, mode: 0o604, qbytes: 999 }),
            IpcCall::Control(Kind::Msg, 0, Command::Usage),
        ]
    );
    assert_eq!(errno(k.syscall(MSGCTL, [5, 14, A, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(MSGCTL, [5, (-1i64) as u64, A, 0, 0, 0])), EINVAL);
}

/// struct mq_attr: flags, maxmsg, msgsize, curmsgs, 4 reserved longs.
fn mq_attr(flags: i64, maxmsg: i64, msgsize: i64) -> Vec<u8> {
    let mut b = [flags, maxmsg, msgsize, 0].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
    b.extend_from_slice(&[0; 32]);
    b
}

#[test]
fn mq_open_and_unlink_decode_name_flags_and_attributes() {
    let mut k = FakeCore::new();
    k.put(A, b"queue\0");
    k.put(B, &mq_attr(0, 5, 128));
    let oflag = 2 | 0o100 | 0o200 | 0o4000 | 0o2000000;
    assert_eq!(k.syscall(MQ_OPEN, [A, oflag, 0o640, B, 0, 0]), MQ_FD as u64);
    assert_eq!(k.syscall(MQ_OPEN, [A, 1, 0, 0, 0, 0]), MQ_FD as u64);
    assert_eq!(k.syscall(MQ_UNLINK, [A, 0, 0, 0, 0, 0]), 0);
    let flags = OpenFlags {
        read: true,
        write: true,
        create: true,
        exclusive: true,
        non_blocking: true,
        close_on_exec: true,
        ..Default::default()
    };
    let write_only = OpenFlags { write: true, ..Default::default() };
    assert_eq!(
        k.ipc_state.mq_calls,
        vec![
            MqCall::Open(b"queue".to_vec(), flags, 0o640, Some((5, 128))),
            MqCall::Open(b"queue".to_vec(), write_only, 0, None),
            MqCall::Unlink(b"queue".to_vec()),
        ]
    );
    assert_eq!(errno(k.syscall(MQ_OPEN, [A, 3, 0, 0, 0, 0])), EINVAL, "O_ACCMODE 3");
    assert_eq!(errno(k.syscall(MQ_OPEN, [A, 0o100, 0, 8, 0, 0])), EFAULT, "the attr pointer");
    assert_eq!(errno(k.syscall(MQ_OPEN, [8, 0, 0, 0, 0, 0])), EFAULT, "the name");
    assert_eq!(errno(k.syscall(MQ_UNLINK, [8, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.ipc_state.mq_calls.len(), 3);
}

#[test]
fn mq_timedsend_and_timedreceive_check_priority_size_and_deadline() {
    let mut k = FakeCore::new();
    k.put(A, b"payload");
    k.put(B, &[5i64.to_le_bytes(), 6i64.to_le_bytes()].concat());
    assert_eq!(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, A, 7, 31, B, 0]), 0);
    assert_eq!(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, A, 3, 0, 0, 0]), 0);
    assert_eq!(
        k.ipc_state.mq_calls,
        vec![
            MqCall::Send(MQ_FD, b"payload".to_vec(), 31, Some(5_000_000_006)),
            MqCall::Send(MQ_FD, b"pay".to_vec(), 0, None)
        ],
        "an absolute deadline, passed as given"
    );
    assert_eq!(errno(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, A, 7, 32768, 0, 0])), EINVAL, "prio >= MQ_PRIO_MAX");
    assert_eq!(errno(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, A, 65, 0, 0, 0])), EMSGSIZE, "past msgsize (64)");
    k.put(C, &[0i64.to_le_bytes(), 1_000_000_000i64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, A, 7, 0, C, 0])), EINVAL, "bad timespec");
    assert_eq!(errno(k.syscall(MQ_TIMEDSEND, [6, A, 7, 0, 0, 0])), EBADF, "not a queue");
    assert_eq!(errno(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, 8, 7, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(MQ_TIMEDSEND, [MQ_FD as u64, A, 7, 32768, 8, 0])), EFAULT, "the timeout before prio");
    assert_eq!(k.ipc_state.mq_calls.len(), 2);

    k.ipc_state.mq_message = (17, b"answer".to_vec());
    assert_eq!(k.syscall(MQ_TIMEDRECEIVE, [MQ_FD as u64, C, 64, A + 0x100, B, 0]), 6);
    assert_eq!(k.get(C, 6), b"answer");
    assert_eq!(u32_at(&k, A + 0x100), 17, "the priority");
    assert_eq!(k.ipc_state.mq_calls[2], MqCall::Receive(MQ_FD, 64, Some(5_000_000_006)));
    assert_eq!(k.syscall(MQ_TIMEDRECEIVE, [MQ_FD as u64, C, 100, 0, 0, 0]), 6, "no priority pointer");
    assert_eq!(errno(k.syscall(MQ_TIMEDRECEIVE, [MQ_FD as u64, C, 63, 0, 0, 0])), EMSGSIZE, "buffer < msgsize");
    k.put(B, &[(-1i64).to_le_bytes(), 0i64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(MQ_TIMEDRECEIVE, [MQ_FD as u64, C, 64, 0, B, 0])), EINVAL, "negative seconds");
}

/// struct sigevent: value, signo, notify, then the union (64 bytes).
fn sigevent(value: u64, signo: i32, notify: i32) -> Vec<u8> {
    let mut b = [value.to_le_bytes().to_vec(), signo.to_le_bytes().to_vec(), notify.to_le_bytes().to_vec()].concat();
    b.resize(64, 0);
    b
}

#[test]
fn mq_notify_decodes_the_sigevent() {
    let mut k = FakeCore::new();
    k.put(A, &sigevent(0x55, 10, 0));
    assert_eq!(k.syscall(MQ_NOTIFY, [MQ_FD as u64, A, 0, 0, 0, 0]), 0);
    k.put(A, &sigevent(0, 0, 1));
    assert_eq!(k.syscall(MQ_NOTIFY, [MQ_FD as u64, A, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MQ_NOTIFY, [MQ_FD as u64, 0, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.ipc_state.mq_calls,
        vec![
            MqCall::Notify(MQ_FD, Some(Notify::Signal { signo: 10, value: 0x55 })),
            MqCall::Notify(MQ_FD, Some(Notify::Nothing)),
            MqCall::Notify(MQ_FD, None),
        ]
    );
    k.put(A, &sigevent(0, 65, 0));
    assert_eq!(errno(k.syscall(MQ_NOTIFY, [MQ_FD as u64, A, 0, 0, 0, 0])), EINVAL, "signal 65");
    k.put(A, &sigevent(0, 10, 9));
    assert_eq!(errno(k.syscall(MQ_NOTIFY, [MQ_FD as u64, A, 0, 0, 0, 0])), EINVAL, "an unknown sigev_notify");
    assert_eq!(errno(k.syscall(MQ_NOTIFY, [MQ_FD as u64, 8, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.ipc_state.mq_calls.len(), 3);
}

#[test]
fn mq_getsetattr_writes_mq_attr_and_refuses_unknown_flags() {
    let mut k = FakeCore::new();
    k.put(B, &[0xee; 64]);
    assert_eq!(k.syscall(MQ_GETSETATTR, [MQ_FD as u64, 0, B, 0, 0, 0]), 0);
    let got: Vec<u64> = (0..4).map(|i| u64_at(&k, B + 8 * i)).collect();
    assert_eq!(got, vec![0, 10, 64, 2], "flags, maxmsg, msgsize, curmsgs");
    k.put(A, &mq_attr(1, 0, 0));
    assert_eq!(errno(k.syscall(MQ_GETSETATTR, [MQ_FD as u64, A, B, 0, 0, 0])), EINVAL, "a flag besides O_NONBLOCK");
    assert_eq!(errno(k.syscall(MQ_GETSETATTR, [MQ_FD as u64, 8, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(MQ_GETSETATTR, [6, 0, B, 0, 0, 0])), EBADF, "not a queue");
}

#[test]
fn add_key_copies_type_description_and_payload() {
    let mut k = FakeCore::new();
    k.ipc_state.key_answer = Ok(Reply::Value(123));
    k.put(A, b"user\0");
    k.put(B, b"my:key\0");
    k.put(C, b"secret");
    assert_eq!(k.syscall(ADD_KEY, [A, B, C, 6, (-2i64) as u64, 0]), 123);
    k.put(B + 0x40, b"\0");
    assert_eq!(k.syscall(ADD_KEY, [A, B + 0x40, 0, 0, (-3i64) as u64, 0]), 123, "empty description, no payload");
    assert_eq!(
        k.ipc_state.key_requests,
        vec![
            Request::Add {
                ktype: "user".into(),
                description: Some("my:key".into()),
                payload: b"secret".to_vec(),
                keyring: -2
            },
            Request::Add { ktype: "user".into(), description: None, payload: vec![], keyring: -3 },
        ]
    );
    k.put(A + 0x40, b".internal\0");
    assert_eq!(errno(k.syscall(ADD_KEY, [A + 0x40, B, C, 6, 0, 0])), EPERM, "a type starting with '.'");
    k.put(A + 0x80, b"\0");
    assert_eq!(errno(k.syscall(ADD_KEY, [A + 0x80, B, C, 6, 0, 0])), EINVAL, "an empty type");
    k.put(A + 0xc0, b"keyring\0");
    k.put(B + 0x80, b".dot\0");
    assert_eq!(errno(k.syscall(ADD_KEY, [A + 0xc0, B + 0x80, 0, 0, 0, 0])), EPERM, "a keyring named '.…'");
    assert_eq!(errno(k.syscall(ADD_KEY, [A, B, C, 1 << 20, 0, 0])), EINVAL, "payload past KEY_MAX_PAYLOAD");
    assert_eq!(errno(k.syscall(ADD_KEY, [A, B, 0, 6, 0, 0])), EFAULT, "NULL payload with a length");
    assert_eq!(errno(k.syscall(ADD_KEY, [8, B, C, 6, 0, 0])), EFAULT, "the type pointer");
    assert_eq!(k.ipc_state.key_requests.len(), 2);
}

#[test]
fn request_key_copies_its_strings_and_destination() {
    let mut k = FakeCore::new();
    k.ipc_state.key_answer = Ok(Reply::Value(77));
    k.put(A, b"user\0");
    k.put(B, b"desc\0");
    k.put(C, b"callout info\0");
    assert_eq!(k.syscall(REQUEST_KEY, [A, B, C, (-4i64) as u64, 0, 0]), 77);
    assert_eq!(k.syscall(REQUEST_KEY, [A, B, 0, 0, 0, 0]), 77);
    assert_eq!(
        k.ipc_state.key_requests,
        vec![
            Request::RequestKey {
                ktype: "user".into(),
                description: "desc".into(),
                callout: Some(b"callout info".to_vec()),
                dest: -4
            },
            Request::RequestKey { ktype: "user".into(), description: "desc".into(), callout: None, dest: 0 },
        ]
    );
    assert_eq!(errno(k.syscall(REQUEST_KEY, [A, 0, 0, 0, 0, 0])), EFAULT, "NULL description");
    assert_eq!(k.ipc_state.key_requests.len(), 2);
}

#[test]
fn keyctl_decodes_commands_and_copies_data_only_when_it_fits() {
    let mut k = FakeCore::new();
    k.ipc_state.key_answer = Ok(Reply::Value(-3i64 as u32 as i64));
    assert_eq!(k.syscall(KEYCTL, [0, (-3i64) as u64, 1, 0, 0, 0]) as u32, (-3i32) as u32);
    k.ipc_state.key_answer = Ok(Reply::Value(0));
    assert_eq!(k.syscall(KEYCTL, [4, 9, u32::MAX as u64, 100, 0, 0]), 0, "CHOWN");
    assert_eq!(k.syscall(KEYCTL, [30, 9, (-2i64) as u64, (-3i64) as u64, 1, 0]), 0, "MOVE, exclusive");
    k.put(A, b"new");
    assert_eq!(k.syscall(KEYCTL, [2, 9, A, 3, 0, 0]), 0, "UPDATE");
    assert_eq!(
        k.ipc_state.key_requests,
        vec![
            Request::GetKeyringId { id: -3, create: true },
            Request::Chown { id: 9, uid: u32::MAX, gid: 100 },
            Request::Move { id: 9, from: -2, to: -3, exclusive: true },
            Request::Update { id: 9, payload: b"new".to_vec() },
        ]
    );
    // READ: the data only when the buffer holds all of it; its length always.
    k.ipc_state.key_answer = Ok(Reply::Data(b"contents".to_vec()));
    k.put(B, &[0xee; 16]);
    assert_eq!(k.syscall(KEYCTL, [11, 9, B, 4, 0, 0]), 8);
    assert_eq!(k.get(B, 4), &[0xee; 4], "too small: nothing copied");
    assert_eq!(k.syscall(KEYCTL, [11, 9, B, 16, 0, 0]), 8);
    assert_eq!(k.get(B, 9), b"contents\xee");
    assert_eq!(k.ipc_state.key_requests.last(), Some(&Request::Read(9)));
    // CAPABILITIES: answered here, the rest of the buffer cleared.
    k.put(C, &[0xee; 4]);
    assert_eq!(k.syscall(KEYCTL, [31, C, 4, 0, 0, 0]), 2);
    assert_eq!(k.get(C, 4)[2..], [0, 0]);
    assert_ne!(k.get(C, 1)[0], 0);
    let n = k.ipc_state.key_requests.len();
    assert_eq!(errno(k.syscall(KEYCTL, [30, 9, 1, 2, 2, 0])), EINVAL, "MOVE with an unknown flag");
    assert_eq!(errno(k.syscall(KEYCTL, [2, 9, A, 1 << 20, 0, 0])), EINVAL, "UPDATE past its limit");
    assert_eq!(errno(k.syscall(KEYCTL, [2, 9, 0, 3, 0, 0])), EFAULT, "UPDATE's NULL payload");
    assert_eq!(errno(k.syscall(KEYCTL, [23, 0, 0, 0, 0, 0])), EOPNOTSUPP, "DH_COMPUTE is not built");
    assert_eq!(errno(k.syscall(KEYCTL, [999, 0, 0, 0, 0, 0])), EOPNOTSUPP, "an unknown command");
    assert_eq!(k.ipc_state.key_requests.len(), n);
}
