//! The fake core's sockets, System V IPC, POSIX message queues, keys,
//! event sets and poll answers: what the personality asked for, answered
//! from simple state. `SocketOps`, `SystemVIpcOps`, `MessageQueueOps` and
//! `KeyOps` are implemented here; events.rs, signals.rs, transfer.rs and
//! process_handles.rs use the rest.

use super::*;
use kernel_ops::keyrings::{Reply, Request};
use kernel_ops::sysv_ipc::namespace::{Answer, Command, Info, MsgInfo, SemInfo};
use kernel_ops::sysv_ipc::sem::SemOp;
use kernel_ops::sysv_ipc::{mqueue::Notify, Kind};
use kernel_ops::{InetOption, SocketFamily};

/// A socket call as the core received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketCall {
    /// socket(): the family and kind the personality asked for (the fake
    /// makes no socket: EOPNOTSUPP).
    Create(SocketFamily, SocketKind),
    Bind(Fd, SocketAddress),
    Listen(Fd, u32),
    Accept(Fd, DescriptorFlags),
    Connect(Fd, Option<SocketAddress>, bool),
    /// The gathered bytes, the buffers, and the request's other fields.
    Send {
        fd: Fd,
        bytes: Vec<u8>,
        buffers: Vec<(u64, usize)>,
        to: Option<SocketAddress>,
        rights: Vec<Fd>,
        credentials: Option<PeerCredentials>,
        non_blocking: bool,
        no_signal: bool,
    },
    /// The buffers, flags, and how many descriptors the control buffer
    /// holds without (and with) credentials.
    Receive {
        fd: Fd,
        buffers: Vec<(u64, usize)>,
        peek: bool,
        wait_all: bool,
        non_blocking: bool,
        close_on_exec: bool,
        fd_room: (usize, usize),
    },
    Shutdown(Fd, bool, bool),
    Address(Fd, bool),
    Setting(Fd, SocketSetting),
}

/// A System V IPC call as the core received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpcCall {
    Get(Kind, i32, u32, u64),
    Control(Kind, i32, Command),
    SemOperate(i32, Vec<SemOp>, Option<u64>),
    MsgSend(i32, i64, Vec<u8>, u32),
    MsgReceive(i32, usize, i64, u32),
    ShmAttach(i32, u64, u32),
    ShmDetach(u64),
}

/// A POSIX message queue call as the core received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MqCall {
    Open(Vec<u8>, OpenFlags, u32, Option<(i64, i64)>),
    Unlink(Vec<u8>),
    Send(Fd, Vec<u8>, u32, Option<u64>),
    Receive(Fd, usize, Option<u64>),
    Notify(Fd, Option<Notify>),
}

/// The descriptor mq_open answers.
pub const MQ_FD: Fd = 15;
/// Where shm_attach maps a segment asked for at address 0.
pub const SHM_ADDR: u64 = 0x7000_0000;
/// semopm and msgmax as the fake's IPC_INFO reports them.
pub const SEMOPM: i32 = 32;
pub const MSGMAX: i32 = 64;

pub struct IpcState {
    /// Sockets by descriptor (others are ENOTSOCK, or EBADF when closed).
    pub sockets: Vec<(Fd, SocketKind)>,
    /// Sockets of a family other than Local.
    pub families: Vec<(Fd, SocketFamily)>,
    /// What an Internet socket's options read as.
    pub inet_options: Vec<(InetOption, u64)>,
    /// What a netlink socket's options read as (others: ENOPROTOOPT).
    pub netlink_options: Vec<(u32, u32)>,
    pub socket_calls: Vec<SocketCall>,
    /// What accept and getsockname/getpeername answer.
    pub accepted: (Fd, SocketAddress),
    pub address: SocketAddress,
    /// What a send answers (None: every byte).
    pub send_answer: Option<usize>,
    /// The next message a receive finds: its bytes (scattered into the
    /// buffers), and the rest of `Received` (`copied`/`length` computed).
    pub incoming: Vec<u8>,
    pub received: Received,
    /// What socket_info answers besides the kind.
    pub info_template: Option<SocketInfo>,
    /// What network_interfaces answers (None: no network server).
    pub network: Option<kernel_ops::NetworkRecord>,
    pub pending_error: Option<Error>,
    /// System V IPC: every call, and queued answers for control commands
    /// other than IPC_INFO (answered from `SEMOPM`/`MSGMAX`) and Count (3).
    pub ipc_calls: Vec<IpcCall>,
    pub control_answers: Vec<Answer>,
    pub message: (i64, Vec<u8>),
    /// POSIX message queues: every call; the attributes of `MQ_FD`
    /// (maxmsg, msgsize, curmsgs) and the next message (prio, bytes).
    pub mq_calls: Vec<MqCall>,
    pub mq_attr: (i64, i64, i64),
    pub mq_message: (u32, Vec<u8>),
    /// Keys: every request, and what the next one answers.
    pub key_requests: Vec<Request>,
    pub key_answer: KResult<Reply>,
    /// Event sets: created (fd, close-on-exec), changes, waits
    /// (set, max, deadline) and the ready list a wait answers.
    pub event_sets: Vec<(Fd, bool)>,
    pub event_changes: Vec<(Fd, EventSetChange, Fd, Interest)>,
    pub event_waits: Vec<(Fd, usize, Option<u64>)>,
    pub ready: Vec<(PollEvents, u64)>,
    /// poll: every call's requests (fd, wanted) and deadline; what each
    /// fd returns (fds neither here nor open return `invalid`).
    pub polls: Vec<(Vec<(Fd, PollEvents)>, Option<u64>)>,
    pub poll_ready: Vec<(Fd, PollEvents)>,
    /// The signal mask in force at each poll and event-set wait.
    pub masks_seen: Vec<SignalSet>,
    /// The alternate signal stack, every one set, and queued signals
    /// (tgid, tid for a thread, signal, value).
    pub alt_stack: AltStack,
    /// What on_alt_stack answers.
    pub on_alt_stack: bool,
    pub alt_stacks_set: Vec<AltStack>,
    pub queued: Vec<(u32, Option<u32>, Signal, u64)>,
    pub restored_masks: Vec<SignalSet>,
    /// sendfile, tee and vmsplice calls.
    pub transfers: Vec<(Fd, Fd, Option<u64>, usize)>,
    pub tees: Vec<(Fd, Fd, usize, SpliceFlags)>,
    pub vmsplices: Vec<(Fd, Vec<(u64, usize)>, SpliceFlags)>,
    /// pidfd_getfd requests (handle, fd).
    pub taken: Vec<(Fd, Fd)>,
    /// fanotify: groups created and marks made.
    pub groups: Vec<kernel_ops::NotificationGroupOptions>,
    pub marks: Vec<(Fd, u32, u32, DirFd, Option<Vec<u8>>)>,
}

impl IpcState {
    pub fn new() -> Self {
        IpcState {
            sockets: Vec::new(),
            families: Vec::new(),
            inet_options: Vec::new(),
            socket_calls: Vec::new(),
            netlink_options: Vec::new(),
            accepted: (50, SocketAddress::Unnamed),
            address: SocketAddress::Unnamed,
            send_answer: None,
            incoming: Vec::new(),
            received: Received::default(),
            info_template: None,
            network: None,
            pending_error: None,
            ipc_calls: Vec::new(),
            control_answers: Vec::new(),
            message: (0, Vec::new()),
            mq_calls: Vec::new(),
            mq_attr: (10, 64, 2),
            mq_message: (0, Vec::new()),
            key_requests: Vec::new(),
            key_answer: Ok(Reply::Value(0)),
            event_sets: Vec::new(),
            event_changes: Vec::new(),
            event_waits: Vec::new(),
            ready: Vec::new(),
            polls: Vec::new(),
            poll_ready: Vec::new(),
            masks_seen: Vec::new(),
            alt_stack: AltStack { base: 0, size: 0, disabled: true },
            on_alt_stack: false,
            alt_stacks_set: Vec::new(),
            queued: Vec::new(),
            restored_masks: Vec::new(),
            transfers: Vec::new(),
            tees: Vec::new(),
            vmsplices: Vec::new(),
            taken: Vec::new(),
            groups: Vec::new(),
            marks: Vec::new(),
        }
    }
}

impl Default for IpcState {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeCore {
    fn socket_kind(&self, fd: Fd) -> KResult<SocketKind> {
        self.open_fd(fd)?;
        self.ipc_state.sockets.iter().find(|s| s.0 == fd).map(|s| s.1).ok_or(Error::NotASocket)
    }
    /// The bytes of user buffers, in order.
    pub fn gather(&self, buffers: &[(u64, usize)]) -> KResult<Vec<u8>> {
        let mut out = Vec::new();
        for &(addr, len) in buffers {
            if len > 0 {
                out.extend_from_slice(&self.mem[self.range(addr, len)?]);
            }
        }
        Ok(out)
    }
}

impl SocketOps for FakeCore {
    fn socket_create(&mut self, family: SocketFamily, kind: SocketKind, _flags: DescriptorFlags) -> KResult<Fd> {
        self.ipc_state.socket_calls.push(SocketCall::Create(family, kind));
        Err(Error::NotSupported)
    }
    fn socket_bind(&mut self, fd: Fd, addr: &SocketAddress) -> KResult<()> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Bind(fd, addr.clone()));
        Ok(())
    }
    fn socket_listen(&mut self, fd: Fd, backlog: u32) -> KResult<()> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Listen(fd, backlog));
        Ok(())
    }
    fn socket_accept(&mut self, fd: Fd, flags: DescriptorFlags) -> KResult<(Fd, SocketAddress)> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Accept(fd, flags));
        Ok(self.ipc_state.accepted.clone())
    }
    fn socket_connect(&mut self, fd: Fd, addr: Option<&SocketAddress>, non_blocking: bool) -> KResult<()> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Connect(fd, addr.cloned(), non_blocking));
        Ok(())
    }
    fn socket_send(&mut self, fd: Fd, r: &SendRequest<'_>) -> KResult<usize> {
        self.socket_kind(fd)?;
        let bytes = self.gather(r.data)?;
        let n = self.ipc_state.send_answer.unwrap_or(bytes.len());
        self.ipc_state.socket_calls.push(SocketCall::Send {
            fd,
            bytes,
            buffers: r.data.to_vec(),
            to: r.to.cloned(),
            rights: r.rights.to_vec(),
            credentials: r.credentials,
            non_blocking: r.non_blocking,
            no_signal: r.no_signal,
        });
        Ok(n)
    }
    fn socket_receive(&mut self, fd: Fd, r: &ReceiveRequest<'_>, fd_room: &dyn Fn(bool) -> usize) -> KResult<Received> {
        let kind = self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Receive {
            fd,
            buffers: r.data.to_vec(),
            peek: r.peek,
            wait_all: r.wait_all,
            non_blocking: r.non_blocking,
            close_on_exec: r.close_on_exec,
            fd_room: (fd_room(false), fd_room(true)),
        });
        let data = self.ipc_state.incoming.clone();
        let mut copied = 0;
        for &(addr, len) in r.data {
            let n = len.min(data.len() - copied);
            if n > 0 {
                let at = self.range(addr, n)?;
                self.mem[at].copy_from_slice(&data[copied..copied + n]);
                copied += n;
            }
        }
        // A stream's "message" is what was copied; the rest stays queued.
        let length = if kind == SocketKind::Stream { copied } else { data.len() };
        // Descriptors past what the control buffer holds are not installed.
        let mut r = Received { copied, length, ..self.ipc_state.received.clone() };
        r.rights.truncate(fd_room(r.credentials.is_some()));
        Ok(r)
    }
    fn socket_shutdown(&mut self, fd: Fd, read: bool, write: bool) -> KResult<()> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Shutdown(fd, read, write));
        Ok(())
    }
    fn socket_address(&mut self, fd: Fd, peer: bool) -> KResult<SocketAddress> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Address(fd, peer));
        Ok(self.ipc_state.address.clone())
    }
    fn network_interfaces(&mut self) -> KResult<kernel_ops::NetworkRecord> {
        self.ipc_state.network.clone().ok_or(Error::NetworkDown)
    }
    fn socket_info(&mut self, fd: Fd) -> KResult<SocketInfo> {
        let kind = self.socket_kind(fd)?;
        let family = self.ipc_state.families.iter().find(|s| s.0 == fd).map_or(SocketFamily::Local, |s| s.1);
        let base = self.ipc_state.info_template.clone().unwrap_or(SocketInfo {
            family,
            kind,
            listening: false,
            send_buffer: 212_992,
            receive_buffer: 212_992,
            pass_credentials: false,
            receive_timeout: None,
            send_timeout: None,
            peer_credentials: None,
            readable_bytes: 0,
            remembered: Vec::new(),
        });
        Ok(SocketInfo { kind, family, ..base })
    }
    fn socket_inet_option(&mut self, fd: Fd, option: InetOption) -> KResult<u64> {
        self.socket_kind(fd)?;
        Ok(self.ipc_state.inet_options.iter().find(|o| o.0 == option).map_or(0, |o| o.1))
    }
    fn socket_netlink_option(&mut self, fd: Fd, option: u32) -> KResult<u32> {
        self.socket_kind(fd)?;
        self.ipc_state.netlink_options.iter().find(|o| o.0 == option).map(|o| o.1).ok_or(Error::NoSuchOption)
    }
    fn socket_take_error(&mut self, fd: Fd) -> KResult<Option<Error>> {
        self.socket_kind(fd)?;
        Ok(self.ipc_state.pending_error.take())
    }
    fn set_socket_setting(&mut self, fd: Fd, setting: SocketSetting) -> KResult<()> {
        self.socket_kind(fd)?;
        self.ipc_state.socket_calls.push(SocketCall::Setting(fd, setting));
        Ok(())
    }
}

impl SystemVIpcOps for FakeCore {
    fn ipc_get(&mut self, kind: Kind, key: i32, flags: u32, size: u64) -> KResult<i32> {
        self.ipc_state.ipc_calls.push(IpcCall::Get(kind, key, flags, size));
        Ok(5)
    }
    fn ipc_control(&mut self, kind: Kind, id: i32, cmd: Command) -> KResult<Answer> {
        let answer = match (&cmd, kind) {
            (Command::Info, Kind::Sem) => Answer::Info(0, Info::Sem(SemInfo { semopm: SEMOPM, ..Default::default() })),
            (Command::Info, Kind::Msg) => Answer::Info(0, Info::Msg(MsgInfo { msgmax: MSGMAX, ..Default::default() })),
            (Command::Count, _) => Answer::Value(3),
            _ if self.ipc_state.control_answers.is_empty() => Answer::Value(0),
            _ => self.ipc_state.control_answers.remove(0),
        };
        self.ipc_state.ipc_calls.push(IpcCall::Control(kind, id, cmd));
        Ok(answer)
    }
    fn sem_operate(&mut self, id: i32, ops: &[SemOp], deadline: Option<u64>) -> KResult<()> {
        self.ipc_state.ipc_calls.push(IpcCall::SemOperate(id, ops.to_vec(), deadline));
        if deadline.is_some() {
            return Err(Error::TimedOut);
        }
        Ok(())
    }
    fn msg_send(&mut self, id: i32, mtype: i64, text: &[u8], flags: u32) -> KResult<()> {
        self.ipc_state.ipc_calls.push(IpcCall::MsgSend(id, mtype, text.to_vec(), flags));
        Ok(())
    }
    fn msg_receive(&mut self, id: i32, max: usize, msgtyp: i64, flags: u32) -> KResult<(i64, Vec<u8>)> {
        self.ipc_state.ipc_calls.push(IpcCall::MsgReceive(id, max, msgtyp, flags));
        let (t, mut text) = self.ipc_state.message.clone();
        if text.len() > max {
            if flags & kernel_ops::sysv_ipc::msg::MSG_NOERROR == 0 {
                return Err(Error::ArgumentListTooLong);
            }
            text.truncate(max);
        }
        Ok((t, text))
    }
    fn shm_attach(&mut self, id: i32, addr: u64, flags: u32) -> KResult<u64> {
        self.ipc_state.ipc_calls.push(IpcCall::ShmAttach(id, addr, flags));
        Ok(if addr == 0 { SHM_ADDR } else { addr })
    }
    fn shm_detach(&mut self, addr: u64) -> KResult<()> {
        self.ipc_state.ipc_calls.push(IpcCall::ShmDetach(addr));
        if addr == SHM_ADDR {
            Ok(())
        } else {
            Err(Error::InvalidArgument)
        }
    }
}

impl MessageQueueOps for FakeCore {
    fn mq_open(&mut self, name: &[u8], flags: OpenFlags, mode: u32, attr: Option<(i64, i64)>) -> KResult<Fd> {
        self.ipc_state.mq_calls.push(MqCall::Open(name.to_vec(), flags, mode, attr));
        Ok(MQ_FD)
    }
    fn mq_unlink(&mut self, name: &[u8]) -> KResult<()> {
        self.ipc_state.mq_calls.push(MqCall::Unlink(name.to_vec()));
        Ok(())
    }
    fn mq_send(&mut self, fd: Fd, data: &[u8], prio: u32, deadline: Option<u64>) -> KResult<()> {
        self.ipc_state.mq_calls.push(MqCall::Send(fd, data.to_vec(), prio, deadline));
        Ok(())
    }
    fn mq_receive(&mut self, fd: Fd, max: usize, deadline: Option<u64>) -> KResult<(u32, Vec<u8>)> {
        self.ipc_state.mq_calls.push(MqCall::Receive(fd, max, deadline));
        if max < self.ipc_state.mq_attr.1 as usize {
            return Err(Error::MessageSize);
        }
        Ok(self.ipc_state.mq_message.clone())
    }
    fn mq_notify(&mut self, fd: Fd, notify: Option<Notify>) -> KResult<()> {
        self.ipc_state.mq_calls.push(MqCall::Notify(fd, notify));
        Ok(())
    }
    fn mq_attributes(&mut self, fd: Fd) -> KResult<(i64, i64, i64)> {
        if fd == MQ_FD {
            Ok(self.ipc_state.mq_attr)
        } else {
            Err(Error::BadDescriptor)
        }
    }
}

impl KeyOps for FakeCore {
    fn keys(&mut self, request: Request) -> KResult<Reply> {
        self.ipc_state.key_requests.push(request);
        self.ipc_state.key_answer.clone()
    }
}
