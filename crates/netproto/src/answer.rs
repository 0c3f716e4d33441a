//! Answers: a response to one request, followed by the readiness events
//! that handling it caused.

use crate::address::{self, Address};
use crate::error::Error;
use crate::event::{self, Event, EventIter, SocketHandle};
use crate::table::Records;
use crate::wire::{Reader, WireError, Writer};

/// The outcome of one request.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum Response<'a> {
    Done,
    Error(Error),
    Opened {
        socket: SocketHandle,
    },
    /// The new connection is a new socket.
    Accepted {
        socket: SocketHandle,
        peer: Address,
    },
    Sent {
        bytes: u32,
    },
    /// Stream: `data` (empty = end of stream). Datagram: `data` is the
    /// datagram cut to `max`, `full_length` its whole length (MSG_TRUNC),
    /// `from` its sender.
    Received {
        data: &'a [u8],
        full_length: u32,
        from: Option<Address>,
    },
    Address(Address),
    Value(u64),
    /// A page of a table (`Request::Interfaces`, `Request::Sockets`).
    Records(Records<'a>),
    /// As `Received`, with the IPv4 TTL or IPv6 hop limit the message
    /// arrived with (ICMP sockets: IP_RECVTTL, IPV6_RECVHOPLIMIT).
    ReceivedWithHopLimit {
        data: &'a [u8],
        full_length: u32,
        from: Option<Address>,
        hop_limit: u8,
    },
}

mod tag {
    pub const DONE: u8 = 1;
    pub const ERROR: u8 = 2;
    pub const OPENED: u8 = 3;
    pub const ACCEPTED: u8 = 4;
    pub const SENT: u8 = 5;
    pub const RECEIVED: u8 = 6;
    pub const ADDRESS: u8 = 7;
    pub const VALUE: u8 = 8;
    pub const RECORDS: u8 = 9;
    pub const RECEIVED_WITH_HOP_LIMIT: u8 = 10;
}

impl Response<'_> {
    fn write(&self, w: &mut Writer) -> Result<(), WireError> {
        match self {
            Response::Done => w.u8(tag::DONE),
            Response::Error(e) => {
                w.u8(tag::ERROR)?;
                w.u16(e.code())
            }
            Response::Opened { socket } => {
                w.u8(tag::OPENED)?;
                w.u64(socket.0)
            }
            Response::Accepted { socket, peer } => {
                w.u8(tag::ACCEPTED)?;
                w.u64(socket.0)?;
                address::write(w, peer)
            }
            Response::Sent { bytes } => {
                w.u8(tag::SENT)?;
                w.u32(*bytes)
            }
            Response::Received { data, full_length, from } => {
                w.u8(tag::RECEIVED)?;
                w.u32(*full_length)?;
                address::write_optional(w, from.as_ref())?;
                w.blob(data)
            }
            Response::Address(a) => {
                w.u8(tag::ADDRESS)?;
                address::write(w, a)
            }
            Response::Value(v) => {
                w.u8(tag::VALUE)?;
                w.u64(*v)
            }
            Response::Records(records) => {
                w.u8(tag::RECORDS)?;
                records.write_to(w)
            }
            Response::ReceivedWithHopLimit { data, full_length, from, hop_limit } => {
                w.u8(tag::RECEIVED_WITH_HOP_LIMIT)?;
                w.u32(*full_length)?;
                address::write_optional(w, from.as_ref())?;
                w.u8(*hop_limit)?;
                w.blob(data)
            }
        }
    }
}

fn read_response<'a>(r: &mut Reader<'a>) -> Result<Response<'a>, WireError> {
    Ok(match r.u8()? {
        tag::DONE => Response::Done,
        tag::ERROR => Response::Error(Error::from_code(r.u16()?).ok_or(WireError::Malformed)?),
        tag::OPENED => Response::Opened { socket: SocketHandle(r.u64()?) },
        tag::ACCEPTED => Response::Accepted { socket: SocketHandle(r.u64()?), peer: address::read(r)? },
        tag::SENT => Response::Sent { bytes: r.u32()? },
        tag::RECEIVED => {
            let full_length = r.u32()?;
            let from = address::read_optional(r)?;
            Response::Received { data: r.blob()?, full_length, from }
        }
        tag::ADDRESS => Response::Address(address::read(r)?),
        tag::VALUE => Response::Value(r.u64()?),
        tag::RECORDS => Response::Records(Records::read(r)?),
        tag::RECEIVED_WITH_HOP_LIMIT => {
            let full_length = r.u32()?;
            let from = address::read_optional(r)?;
            let hop_limit = r.u8()?;
            Response::ReceivedWithHopLimit { data: r.blob()?, full_length, from, hop_limit }
        }
        _ => return Err(WireError::Malformed),
    })
}

/// What goes back in the buffer: the response, then a u32 count and the
/// readiness events.
pub struct Answer;

impl Answer {
    /// Bytes the fixed part of an answer takes besides a `Received`'s data
    /// and the events: the most a server must keep free in its buffer.
    pub const OVERHEAD: usize = 1 + 4 + 1 + 16 + 2 + 4 + 4 + 1 + 4 + 4;

    pub fn encode(response: &Response, events: &[Event], buf: &mut [u8]) -> Result<usize, WireError> {
        let mut w = Writer::new(buf);
        response.write(&mut w)?;
        event::write_events(&mut w, events)?;
        Ok(w.len())
    }

    pub fn decode(buf: &[u8]) -> Result<(Response<'_>, EventIter<'_>), WireError> {
        let mut r = Reader::new(buf);
        let response = read_response(&mut r)?;
        let events = event::read_events(&mut r)?;
        Ok((response, events))
    }
}
