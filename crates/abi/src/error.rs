//! Native error codes. A failed call returns `-(code)` in the result register.

macro_rules! errors {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal, $text:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Error {
            $($(#[doc = $doc])* $name = $code,)*
        }

        impl Error {
            pub const ALL: &'static [Error] = &[$(Error::$name,)*];

            pub const fn code(self) -> u16 {
                self as u16
            }

            pub fn from_code(code: u64) -> Option<Error> {
                match code {
                    $($code => Some(Error::$name),)*
                    _ => None,
                }
            }

            pub const fn name(self) -> &'static str {
                match self {
                    $(Error::$name => stringify!($name),)*
                }
            }

            /// One line for documentation and diagnostics.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Error::$name => $text,)*
                }
            }
        }
    };
}

errors! {
    /// The slot is out of range or empty.
    InvalidCap = 1, "the slot names no capability (out of range or empty)";
    /// The slot holds the tombstone of a revoked capability.
    Revoked = 2, "the capability was revoked; delete the slot to reuse it";
    /// The capability is of the wrong type for this call.
    WrongType = 3, "the capability is of the wrong type for this call";
    /// The capability lacks a right this call needs.
    MissingRights = 4, "the capability lacks a right this call needs";
    /// A user pointer or range is not mapped with the access the call needs.
    BadAddress = 5, "a user pointer is not mapped with the needed access";
    /// An argument is out of range or malformed.
    InvalidArgument = 6, "an argument is out of range or malformed";
    /// Memory for the request could not be found.
    NoMemory = 7, "not enough memory (or the task's memory limit is reached)";
    /// The timeout passed before the call could complete.
    TimedOut = 8, "the timeout passed first";
    /// Non-blocking call that would have had to block.
    WouldBlock = 9, "the call would block and was asked not to";
    /// The capability table has no free slot (or reached its limit).
    TableFull = 10, "the capability table is full";
    /// No such system call.
    NoSuchCall = 11, "no system call has this number";
    /// The resource is already in use (IRQ bound, address range mapped).
    Busy = 12, "the resource is already in use";
    /// A file or name was not found.
    NotFound = 13, "no such file";
    /// The kernel keeps this resource for itself (its RAM, its devices).
    Denied = 14, "the kernel does not hand out this resource";
    /// The other side is gone (the caller of a reply died, a task was reaped).
    PeerGone = 15, "the other side of the exchange no longer exists";
    /// The object is not in a state that allows this call.
    InvalidState = 16, "the object is not in a state that allows this call";
    /// A device, or the server behind a file system, failed or did not answer.
    Io = 17, "the device or the server behind a file system failed";
}

/// Encodes a call's result for the result register.
pub fn encode_result(r: Result<u64, Error>) -> u64 {
    match r {
        Ok(v) => v,
        Err(e) => (-(i64::from(e.code()))) as u64,
    }
}

/// Decodes the result register after a call: values in the top 4095 are errors.
#[inline]
pub fn decode_result(raw: u64) -> Result<u64, Error> {
    let signed = raw as i64;
    if (-4095..0).contains(&signed) {
        Err(Error::from_code((-signed) as u64).unwrap_or(Error::InvalidArgument))
    } else {
        Ok(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for (i, e) in Error::ALL.iter().enumerate() {
            assert_eq!(Error::from_code(u64::from(e.code())), Some(*e));
            assert_eq!(decode_result(encode_result(Err(*e))), Err(*e));
            for other in &Error::ALL[i + 1..] {
                assert_ne!(e.code(), other.code());
            }
        }
    }

    #[test]
    fn values_are_not_errors() {
        for v in [0u64, 1, 4096, u64::MAX / 2, (-4096i64) as u64] {
            assert_eq!(decode_result(encode_result(Ok(v))), Ok(v));
        }
    }
}
