//! How the kernel core implements `SocketOps`: local sockets here,
//! Internet ones handed to `fs::inet` (the network server's), routing
//! ones to `fs::netlink` (answered by the kernel from the server's tables).

use super::*;
use fs::inet::InetSocket;
use fs::netlink::NetlinkSocket;

impl SocketOps for CoreOps<'_> {
    fn socket_create(&mut self, family: SocketFamily, kind: SocketKind, flags: DescriptorFlags) -> KResult<Fd> {
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
        let object = match (family, kind) {
            // Raw sockets are netlink's; netlink's carry messages only.
            (SocketFamily::Local, SocketKind::Raw | SocketKind::Ping)
            | (SocketFamily::Netlink, SocketKind::Stream | SocketKind::SeqPacket | SocketKind::Ping) => {
                return Err(Error::SocketTypeNotSupported)
            }
            (SocketFamily::Local, _) => FileObject::Socket(fs::socket::Socket::new(kind)),
            (SocketFamily::Netlink, _) => FileObject::NetlinkSocket(NetlinkSocket::open(kind)),
            (inet, _) => FileObject::InetSocket(InetSocket::open(inet, kind).inspect_err(|e| {
                if *e == Error::NetworkDown {
                    self.log_unsupported(format_args!("socket: no network server runs (Internet sockets)"));
                }
            })?),
        };
        self.install(OpenFile::new(object, opened, Vec::new()), flags.close_on_exec)
    }

    fn socket_pair(&mut self, kind: SocketKind, flags: DescriptorFlags) -> KResult<(Fd, Fd)> {
        let (_, who) = fs::socket::caller_credentials();
        let (a, b) = fs::socket::Socket::pair(kind, who);
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
        let fa = self.install(OpenFile::new(FileObject::Socket(a), opened, Vec::new()), flags.close_on_exec)?;
        let fb = self.install(OpenFile::new(FileObject::Socket(b), opened, Vec::new()), flags.close_on_exec);
        match fb {
            Ok(fb) => Ok((fa, fb)),
            Err(e) => {
                let _ = self.close(fa);
                Err(e)
            }
        }
    }

    fn socket_bind(&mut self, fd: Fd, addr: &SocketAddress) -> KResult<()> {
        if let Some(netlink) = self.netlink_socket_of(fd)? {
            return netlink.bind(addr);
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return inet.bind(addr);
        }
        let sock = self.socket_of(fd)?;
        if sock.is_bound() {
            // Linux makes the node before it looks at the socket: an
            // existing path is EADDRINUSE even then.
            if let SocketAddress::Path(path) = addr {
                if self.resolve(DirFd::Cwd, path, false).is_ok() {
                    return Err(Error::AddressInUse);
                }
            }
            return Err(Error::InvalidArgument);
        }
        let SocketAddress::Path(path) = addr else { return sock.bind(addr.clone(), None) };
        let (parent, name) = self.resolve_parent(DirFd::Cwd, path)?;
        if name.is_empty() || name == b"." || name == b".." {
            return Err(Error::AddressInUse);
        }
        let creds = *self.process.creds.lock();
        let attrs = NodeAttrs::new(0o777 & !self.current_umask(), creds.euid, creds.egid);
        let vcreds = self.creds();
        let ino = fs::with_vfs(|v| -> KResult<u64> {
            vfs::check_access(&v.metadata(parent)?, &vcreds, vfs::Access::WRITE | vfs::Access::EXECUTE)?;
            Ok(v.fs(parent.fs)?.lock().create(parent.ino, &name, NewNode::Socket, attrs, fs::now())?)
        })
        .map_err(|e| if e == Error::Exists { Error::AddressInUse } else { e })?;
        fs::notify::created(parent, &name, false);
        sock.bind(addr.clone(), Some(NodeRef { fs: parent.fs, ino }))
    }

    fn socket_listen(&mut self, fd: Fd, backlog: u32) -> KResult<()> {
        // Netlink sockets have no connections (sock_no_listen).
        if self.netlink_socket_of(fd)?.is_some() {
            return Err(Error::NotSupported);
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return inet.listen(backlog);
        }
        let (_, who) = fs::socket::caller_credentials();
        self.socket_of(fd)?.listen(backlog, who)
    }

    fn socket_accept(&mut self, fd: Fd, flags: DescriptorFlags) -> KResult<(Fd, SocketAddress)> {
        let file = self.file(fd)?;
        if file.netlink_socket().is_some() {
            return Err(Error::NotSupported);
        }
        if let Some(inet) = file.inet_socket().cloned() {
            let non_blocking = file.status.lock().non_blocking;
            let (new, peer) = inet.accept(non_blocking)?;
            let opened =
                OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
            let fd =
                self.install(OpenFile::new(FileObject::InetSocket(new), opened, Vec::new()), flags.close_on_exec)?;
            return Ok((fd, peer));
        }
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = file.status.lock().non_blocking;
        let new = sock.accept(non_blocking)?;
        let peer = new.peer().map(|p| p.name()).unwrap_or(SocketAddress::Unnamed);
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
        let fd = self.install(OpenFile::new(FileObject::Socket(new), opened, Vec::new()), flags.close_on_exec)?;
        Ok((fd, peer))
    }

    fn socket_connect(&mut self, fd: Fd, addr: Option<&SocketAddress>, non_blocking: bool) -> KResult<()> {
        let file = self.file(fd)?;
        if let Some(netlink) = file.netlink_socket() {
            return netlink.connect(addr);
        }
        if let Some(inet) = file.inet_socket().cloned() {
            let non_blocking = non_blocking || file.status.lock().non_blocking;
            return inet.connect(addr, non_blocking);
        }
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = non_blocking || file.status.lock().non_blocking;
        // A socket that passes credentials gets a name first, so its
        // peer can tell who it is (Linux autobinds it the same way).
        if addr.is_some() && !sock.is_bound() && sock.info().pass_credentials {
            sock.bind(SocketAddress::Unnamed, None)?;
        }
        if sock.kind == SocketKind::Datagram {
            let target = match addr {
                Some(a) => Some(self.find_socket(a)?),
                None => None,
            };
            return sock.connect_datagram(target);
        }
        let target = self.find_socket(addr.ok_or(Error::InvalidArgument)?)?;
        let (_, who) = fs::socket::caller_credentials();
        sock.connect(target, who, non_blocking)
    }

    fn socket_send(&mut self, fd: Fd, request: &SendRequest<'_>) -> KResult<usize> {
        let file = self.file(fd)?;
        if let Some(netlink) = file.netlink_socket().cloned() {
            // One message, gathered whole: netlink answers it as one.
            let total =
                request.data.iter().try_fold(0usize, |t, s| t.checked_add(s.1)).ok_or(Error::InvalidArgument)?;
            if total > netlink.max_message() {
                return Err(Error::MessageTooLong);
            }
            let data = self.gather(request.data, 0, total)?;
            return netlink.send(request.to, &data);
        }
        if let Some(inet) = file.inet_socket().cloned() {
            let non_blocking = request.non_blocking || file.status.lock().non_blocking;
            return self.inet_send(&inet, request, non_blocking);
        }
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = request.non_blocking || file.status.lock().non_blocking;
        let (mine, _) = fs::socket::caller_credentials();
        let c = *self.process.creds.lock();
        let creds = match request.credentials {
            None => mine,
            // Claiming another pid, uid or gid takes the privilege Linux
            // asks for each.
            Some(claimed) => {
                let pid_ok = claimed.pid == self.process.pid || c.has(Privilege::SysAdmin);
                let uid_ok = [c.uid, c.euid, c.suid].contains(&claimed.uid) || c.has(Privilege::SetUid);
                let gid_ok = [c.gid, c.egid, c.sgid].contains(&claimed.gid) || c.has(Privilege::SetGid);
                if !(pid_ok && uid_ok && gid_ok) {
                    return Err(Error::NotPermitted);
                }
                claimed
            }
        };
        let rights = if request.rights.is_empty() {
            None
        } else {
            let files = request.rights.iter().map(|&f| self.file_or_path(f)).collect::<KResult<Vec<_>>>()?;
            let limit = self.process.limit(Resource::OpenFiles).soft;
            Some(fs::socket::InFlight::new(
                files,
                c.uid,
                limit,
                c.has(Privilege::SysResource) || c.has(Privilege::SysAdmin),
            )?)
        };
        let target = match (sock.kind, request.to) {
            (SocketKind::Stream, Some(_)) => {
                return Err(if sock.peer().is_some() { Error::AlreadyConnected } else { Error::NotSupported })
            }
            (SocketKind::Datagram, Some(a)) => Some(self.find_socket(a)?),
            _ => None,
        };
        if sock.kind == SocketKind::Datagram && !sock.is_bound() && sock.info().pass_credentials {
            sock.bind(SocketAddress::Unnamed, None)?;
        }
        let total = request.data.iter().try_fold(0usize, |t, s| t.checked_add(s.1)).ok_or(Error::InvalidArgument)?;
        let result = if sock.kind == SocketKind::Stream {
            let mut rights = rights;
            self.send_stream(request.data, total, |data| {
                sock.send(target.clone(), data, rights.take(), creds, non_blocking)
            })
        } else {
            let data = self.gather(request.data, 0, total)?;
            sock.send(target, &data, rights, creds, non_blocking)
        };
        if result == Err(Error::BrokenPipe) && !request.no_signal && sock.kind == SocketKind::Stream {
            self.sigpipe();
        }
        result
    }

    fn socket_receive(
        &mut self,
        fd: Fd,
        request: &ReceiveRequest<'_>,
        fd_room: &dyn Fn(bool) -> usize,
    ) -> KResult<Received> {
        let file = self.file(fd)?;
        if let Some(inet) = file.inet_socket().cloned() {
            let non_blocking = request.non_blocking || file.status.lock().non_blocking;
            return self.inet_receive(&inet, request, non_blocking);
        }
        if let Some(netlink) = file.netlink_socket().cloned() {
            let non_blocking = request.non_blocking || file.status.lock().non_blocking;
            return self.netlink_receive(&netlink, request, non_blocking);
        }
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = request.non_blocking || file.status.lock().non_blocking;
        let total = self.receive_buffers(request.data)?;
        let taken = sock.receive(total, request.peek, request.wait_all, non_blocking)?;
        self.scatter(request.data, &taken.data)?;
        let credentials = if taken.credentials { taken.meta.as_ref().map(|m| m.creds) } else { None };
        let mut out = Received {
            copied: taken.data.len(),
            length: taken.length,
            from: taken.meta.and_then(|m| m.from),
            credentials,
            rights: Vec::new(),
            rights_offered: 0,
            hop_limit: None,
        };
        if let Some(r) = taken.rights {
            out.rights_offered = r.files.len();
            let room = fd_room(credentials.is_some());
            for f in r.files.iter().take(room) {
                match self.install(f.clone(), request.close_on_exec) {
                    Ok(fd) => out.rights.push(fd),
                    Err(_) => break,
                }
            }
            // Descriptors that did not fit are closed here.
            drop(r);
        }
        Ok(out)
    }

    fn socket_shutdown(&mut self, fd: Fd, read: bool, write: bool) -> KResult<()> {
        if self.netlink_socket_of(fd)?.is_some() {
            return Err(Error::NotSupported); // sock_no_shutdown
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return inet.shutdown(read, write);
        }
        self.socket_of(fd)?.shutdown(read, write)
    }

    fn socket_address(&mut self, fd: Fd, peer: bool) -> KResult<SocketAddress> {
        if let Some(netlink) = self.netlink_socket_of(fd)? {
            return Ok(netlink.address(peer));
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return inet.address(peer);
        }
        let sock = self.socket_of(fd)?;
        if peer {
            sock.peer_name()
        } else {
            Ok(sock.name())
        }
    }

    fn network_interfaces(&mut self) -> KResult<kernel_ops::NetworkRecord> {
        fs::inet::tables::network()
    }

    fn socket_info(&mut self, fd: Fd) -> KResult<SocketInfo> {
        if let Some(netlink) = self.netlink_socket_of(fd)? {
            return Ok(netlink.info());
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return Ok(inet.info());
        }
        Ok(self.socket_of(fd)?.info())
    }

    fn socket_take_error(&mut self, fd: Fd) -> KResult<Option<Error>> {
        // Lost replies are reported by the next receive (ENOBUFS), as on
        // Linux, not as SO_ERROR.
        if self.netlink_socket_of(fd)?.is_some() {
            return Ok(None);
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return inet.take_error();
        }
        Ok(self.socket_of(fd)?.take_error())
    }

    fn set_socket_setting(&mut self, fd: Fd, setting: SocketSetting) -> KResult<()> {
        if let Some(netlink) = self.netlink_socket_of(fd)? {
            return netlink.set(setting);
        }
        if let Some(inet) = self.inet_socket_of(fd)? {
            return inet.set(setting);
        }
        self.socket_of(fd)?.set(setting);
        Ok(())
    }

    fn socket_inet_option(&mut self, fd: Fd, option: InetOption) -> KResult<u64> {
        match self.inet_socket_of(fd)? {
            Some(inet) => inet.inet_option(option),
            None if self.netlink_socket_of(fd)?.is_some() => Err(Error::NoSuchOption),
            None => {
                self.socket_of(fd)?;
                Err(Error::NoSuchOption)
            }
        }
    }

    fn socket_netlink_option(&mut self, fd: Fd, option: u32) -> KResult<u32> {
        match self.netlink_socket_of(fd)? {
            Some(netlink) => netlink.option(option),
            None => {
                // Another kind of socket, or NotASocket.
                if self.inet_socket_of(fd)?.is_none() {
                    self.socket_of(fd)?;
                }
                Err(Error::NoSuchOption)
            }
        }
    }
}

impl CoreOps<'_> {
    /// The routing socket behind a descriptor, if it is one.
    fn netlink_socket_of(&self, fd: Fd) -> KResult<Option<Arc<NetlinkSocket>>> {
        Ok(self.file(fd)?.netlink_socket().cloned())
    }

    /// recvmsg(2) on a routing socket: one datagram, scattered into the
    /// caller's buffers as far as they reach; its whole length is the
    /// personality's MSG_TRUNC. The sender is always the kernel (port 0).
    fn netlink_receive(
        &mut self,
        sock: &NetlinkSocket,
        request: &ReceiveRequest<'_>,
        non_blocking: bool,
    ) -> KResult<Received> {
        let total = self.receive_buffers(request.data)?;
        let taken = sock.receive(total, request.peek, non_blocking)?;
        let copied = taken.data.len().min(total);
        self.scatter(request.data, &taken.data[..copied])?;
        Ok(Received {
            copied,
            length: taken.length,
            from: Some(SocketAddress::Netlink { port: 0, groups: 0 }),
            credentials: None,
            rights: Vec::new(),
            rights_offered: 0,
            hop_limit: None,
        })
    }

    /// The Internet socket behind a descriptor, if it is one.
    fn inet_socket_of(&self, fd: Fd) -> KResult<Option<Arc<InetSocket>>> {
        Ok(self.file(fd)?.inet_socket().cloned())
    }

    /// send(2) on an Internet socket: the buffers gathered in pieces (so a
    /// large write never needs a buffer of its size); SIGPIPE on a broken
    /// stream unless MSG_NOSIGNAL.
    fn inet_send(&mut self, sock: &InetSocket, request: &SendRequest<'_>, non_blocking: bool) -> KResult<usize> {
        let total = request.data.iter().try_fold(0usize, |t, s| t.checked_add(s.1)).ok_or(Error::InvalidArgument)?;
        let result = if sock.kind == SocketKind::Stream {
            self.send_stream(request.data, total, |data| sock.send(None, data, request.more, non_blocking))
        } else {
            let data = self.gather(request.data, 0, total)?;
            sock.send(request.to, &data, request.more, non_blocking)
        };
        if result == Err(Error::BrokenPipe) && !request.no_signal && sock.kind == SocketKind::Stream {
            self.sigpipe();
        }
        result
    }

    /// A stream send of `total` bytes from the user's buffers, gathered in
    /// pieces (so a large write never needs a buffer of its size) and
    /// handed to `send` until one takes less than it was given. Once some
    /// bytes went, an interruption, a full buffer or a broken pipe ends
    /// the call with that count, as Linux's.
    fn send_stream(
        &mut self,
        segments: &[(u64, usize)],
        total: usize,
        mut send: impl FnMut(&[u8]) -> KResult<usize>,
    ) -> KResult<usize> {
        const PIECE: usize = 256 * 1024;
        let mut sent = 0usize;
        loop {
            let data = self.gather(segments, sent, PIECE)?;
            match send(&data) {
                Ok(n) => {
                    sent += n;
                    if n < data.len() || sent >= total {
                        return Ok(sent);
                    }
                }
                Err(e)
                    if sent > 0
                        && matches!(e, Error::Restart | Error::Interrupted | Error::WouldBlock | Error::BrokenPipe) =>
                {
                    return Ok(sent)
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// How much a receive into `segments` may take (at most 4 MiB a call),
    /// with the buffers faulted in first: taken data cannot go back.
    fn receive_buffers(&mut self, segments: &[(u64, usize)]) -> KResult<usize> {
        let total = segments.iter().fold(0usize, |t, s| t.saturating_add(s.1)).min(1 << 22);
        for &(addr, len) in segments {
            if len > 0 {
                self.mm().prepare_write(addr, len.min(total)).map_err(|_| Error::Fault)?;
            }
        }
        Ok(total)
    }

    /// Copies `data` into the user's buffers, in order.
    fn scatter(&mut self, segments: &[(u64, usize)], data: &[u8]) -> KResult<()> {
        let mut at = 0usize;
        for &(addr, len) in segments {
            if at >= data.len() {
                break;
            }
            let n = len.min(data.len() - at);
            self.copy_out(addr, &data[at..at + n])?;
            at += n;
        }
        Ok(())
    }

    /// recv(2) on an Internet socket, scattered into the caller's buffers.
    fn inet_receive(
        &mut self,
        sock: &InetSocket,
        request: &ReceiveRequest<'_>,
        non_blocking: bool,
    ) -> KResult<Received> {
        let total = self.receive_buffers(request.data)?;
        let taken = sock.receive(total, request.peek, request.wait_all, non_blocking)?;
        self.scatter(request.data, &taken.data)?;
        Ok(Received {
            copied: taken.data.len(),
            length: taken.length,
            from: taken.from,
            credentials: None,
            rights: Vec::new(),
            rights_offered: 0,
            hop_limit: taken.hop_limit,
        })
    }

    /// The socket behind a descriptor (`NotASocket` for any other file).
    fn socket_of(&self, fd: Fd) -> KResult<Arc<fs::socket::Socket>> {
        self.file(fd)?.socket().cloned().ok_or(Error::NotASocket)
    }

    /// The socket a name leads to: a socket node someone is bound to, or
    /// an abstract name in use. Connecting needs write permission on the
    /// node; a node nobody is bound to refuses the connection.
    fn find_socket(&self, addr: &SocketAddress) -> KResult<Arc<fs::socket::Socket>> {
        match addr {
            SocketAddress::Unnamed | SocketAddress::Inet(_) | SocketAddress::Netlink { .. } => {
                Err(Error::InvalidArgument)
            }
            SocketAddress::Abstract(name) => fs::socket::Socket::at_abstract(name).ok_or(Error::ConnectionRefused),
            SocketAddress::Path(path) => {
                let node = self.resolve(DirFd::Cwd, path, true)?;
                let meta = fs::with_vfs(|v| v.metadata(node))?;
                if meta.file_type != FileType::Socket {
                    return Err(Error::ConnectionRefused);
                }
                vfs::check_access(&meta, &self.creds(), vfs::Access::WRITE)?;
                fs::socket::Socket::at_node(node).ok_or(Error::ConnectionRefused)
            }
        }
    }

    /// Gathers user buffers into one kernel buffer.
    fn gather(&mut self, segments: &[(u64, usize)], skip: usize, max: usize) -> KResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut offset = 0usize;
        for &(addr, len) in segments {
            if out.len() >= max {
                break;
            }
            let end = offset + len;
            if end > skip {
                let from = skip.saturating_sub(offset);
                let n = (len - from).min(max - out.len());
                let start = out.len();
                out.try_reserve_exact(n).map_err(|_| Error::NoMemory)?;
                out.resize(start + n, 0);
                self.copy_in(addr.wrapping_add(from as u64), &mut out[start..])?;
            }
            offset = end;
        }
        Ok(out)
    }
}
