//! Unix-domain sockets, the parts that need no kernel.
//!
//! - [`queue`]: a socket's receive queue. Messages keep their boundaries;
//!   a stream read runs across them (stopping after one that carried
//!   descriptors, or where the sender's credentials change), a record read
//!   (datagram, seqpacket) takes exactly one.
//! - [`cycle`]: whether passing a socket into another socket's queue would
//!   close a cycle of sockets that only in-flight messages keep alive.
//!   Helctic refuses such a send (ETOOMANYREFS) instead of collecting the
//!   cycle later as Linux's garbage collector does.
//! - [`buffers`]: Linux's rules for SO_SNDBUF/SO_RCVBUF values.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod buffers;
pub mod cycle;
pub mod queue;
