//! The socket calls, blocking as Linux's are: each is one or more
//! requests (`Net::exchange`) with waits for readiness between them.

use netproto::{Address, Error, Family, Kind, Request, Response, SocketHandle};

use crate::{Net, NetError};

fn done(r: Response) -> Result<(), NetError> {
    match r {
        Response::Done => Ok(()),
        Response::Error(e) => Err(e.into()),
        _ => Err(NetError::Malformed),
    }
}

impl Net {
    /// A new socket (not yet bound or connected).
    pub fn open(&mut self, family: Family, kind: Kind) -> Result<SocketHandle, NetError> {
        self.exchange(&Request::Open { family, kind }, |r| match r {
            Response::Opened { socket } => Ok(socket),
            Response::Error(e) => Err(e.into()),
            _ => Err(NetError::Malformed),
        })?
    }

    pub fn bind(&mut self, socket: SocketHandle, address: Address) -> Result<(), NetError> {
        self.exchange(&Request::Bind { socket, address }, done)?
    }

    /// The address a socket is bound to (its port, after binding port 0).
    pub fn local_address(&mut self, socket: SocketHandle) -> Result<Address, NetError> {
        self.exchange(&Request::LocalAddress { socket }, |r| match r {
            Response::Address(a) => Ok(a),
            Response::Error(e) => Err(e.into()),
            _ => Err(NetError::Malformed),
        })?
    }

    /// A TCP socket listening on `address` (port 0: any free port).
    pub fn tcp_listen(&mut self, address: Address, backlog: u32) -> Result<SocketHandle, NetError> {
        let socket = self.open(address.family(), Kind::Stream)?;
        let listening =
            self.bind(socket, address).and_then(|()| self.exchange(&Request::Listen { socket, backlog }, done)?);
        match listening {
            Ok(()) => Ok(socket),
            Err(e) => {
                let _ = self.close(socket);
                Err(e)
            }
        }
    }

    /// Waits for a connection on a listener: the new socket and its peer.
    pub fn accept(&mut self, listener: SocketHandle) -> Result<(SocketHandle, Address), NetError> {
        self.blocking(&Request::Accept { socket: listener }, |r| match r {
            Response::Accepted { socket, peer } => Ok((socket, peer)),
            Response::Error(e) => Err(e.into()),
            _ => Err(NetError::Malformed),
        })
    }

    /// A TCP connection to `address`, once established (or refused).
    pub fn tcp_connect(&mut self, address: Address) -> Result<SocketHandle, NetError> {
        let socket = self.open(address.family(), Kind::Stream)?;
        match self.connect(socket, address) {
            Ok(()) => Ok(socket),
            Err(e) => {
                let _ = self.close(socket);
                Err(e)
            }
        }
    }

    /// Connects `socket`: a TCP socket waits until the handshake ends; a
    /// UDP socket only sets its peer.
    pub fn connect(&mut self, socket: SocketHandle, address: Address) -> Result<(), NetError> {
        let request = Request::Connect { socket, address: Some(address) };
        let mut started = false;
        loop {
            match self.exchange(&request, done)? {
                Ok(()) => return Ok(()),
                Err(NetError::Socket(Error::InProgress)) | Err(NetError::Socket(Error::Already)) => {
                    started = true;
                    self.wait()?
                }
                // Asking again after the handshake: connected.
                Err(NetError::Socket(Error::AlreadyConnected)) if started => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends some of `data` (at least one byte, waiting for room): how
    /// much went. On UDP, `data` is one datagram to the connected peer.
    pub fn send(&mut self, socket: SocketHandle, data: &[u8]) -> Result<usize, NetError> {
        self.send_to_inner(socket, data, None)
    }

    /// Sends all of `data`.
    pub fn send_all(&mut self, socket: SocketHandle, mut data: &[u8]) -> Result<(), NetError> {
        while !data.is_empty() {
            let n = self.send(socket, data)?;
            data = &data[n.min(data.len())..];
        }
        Ok(())
    }

    /// One datagram to `to`.
    pub fn send_to(&mut self, socket: SocketHandle, data: &[u8], to: Address) -> Result<usize, NetError> {
        self.send_to_inner(socket, data, Some(to))
    }

    fn send_to_inner(&mut self, socket: SocketHandle, data: &[u8], to: Option<Address>) -> Result<usize, NetError> {
        // What fits in the buffer with the request's own fields.
        let room = self.max_data();
        let data = &data[..data.len().min(room)];
        self.blocking(&Request::Send { socket, to, data, more: false }, |r| match r {
            Response::Sent { bytes } => Ok(bytes as usize),
            Response::Error(e) => Err(e.into()),
            _ => Err(NetError::Malformed),
        })
    }

    /// Receives into `buf`, waiting for data: the length (0 = the peer
    /// closed its end, on TCP).
    pub fn recv(&mut self, socket: SocketHandle, buf: &mut [u8]) -> Result<usize, NetError> {
        self.recv_from(socket, buf).map(|(n, _)| n)
    }

    /// As [`recv`](Self::recv), with the sender (UDP) and the datagram's
    /// whole length (longer than `buf`: the rest is lost, as MSG_TRUNC).
    pub fn recv_from(&mut self, socket: SocketHandle, buf: &mut [u8]) -> Result<(usize, Option<Address>), NetError> {
        let max = buf.len().min(self.max_data()) as u32;
        self.blocking(&Request::Receive { socket, max, peek: false }, |r| match r {
            Response::Received { data, from, .. } | Response::ReceivedWithHopLimit { data, from, .. } => {
                let n = data.len().min(buf.len());
                buf[..n].copy_from_slice(&data[..n]);
                Ok((n, from))
            }
            Response::Error(e) => Err(e.into()),
            _ => Err(NetError::Malformed),
        })
    }

    /// Ends the sending direction (TCP: the peer reads end of stream).
    pub fn shutdown_write(&mut self, socket: SocketHandle) -> Result<(), NetError> {
        self.exchange(&Request::Shutdown { socket, read: false, write: true }, done)?
    }

    /// Closes the socket; its handle is dead from now on.
    pub fn close(&mut self, socket: SocketHandle) -> Result<(), NetError> {
        self.forget(socket);
        self.exchange(&Request::Close { socket }, done)?
    }
}
