//! One WebSocket over its TCP stream, taken from actix-http's upgrade path, with buffers that exist only
//! while there is something to read or write. An idle socket then holds its stream and a few words,
//! not the 16 KiB of read and write buffers actix-http's HTTP/1 dispatcher keeps for a connection (most of
//! what an idle subscriber cost before).

use actix_codec::{Decoder, Encoder};
use actix_http::ws::{CloseReason, Codec, Frame, Item, Message, ProtocolError};
use bytes::{Bytes, BytesMut};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// How much is read at a time.
const READ_CHUNK: usize = 4 * 1024;
/// How long a frame may wait for a peer that does not read before the socket is given up: a phone that
/// stopped reading must not hold its task, its executions and its kernel buffers for ever.
const WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// What the client sent, whole (fragments put together).
#[derive(Debug)]
pub enum Incoming {
    /// A text or binary message.
    Data(Bytes),
    Ping(Bytes),
    Pong,
    Close,
}

/// Why the socket cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("a message is larger than allowed")]
    TooLarge,
    #[error("the peer has not read for too long")]
    Stalled,
}

pub struct Socket {
    io: TcpStream,
    codec: Codec,
    max_message: usize,
    read_buf: BytesMut,
    /// The fragments of a message not yet complete.
    partial: Option<BytesMut>,
}

impl Socket {
    /// `leftover` is what the HTTP layer read past the handshake.
    pub fn new(io: TcpStream, leftover: BytesMut, max_message: usize) -> Self {
        Self { io, codec: Codec::new().max_size(max_message), max_message, read_buf: leftover, partial: None }
    }

    /// The next whole message; `None` when the peer has gone. Cancel-safe: what was read stays buffered.
    pub async fn next(&mut self) -> Option<Result<Incoming, SocketError>> {
        loop {
            match self.decode() {
                Ok(Some(incoming)) => return Some(Ok(incoming)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            if let Err(e) = self.io.readable().await {
                return Some(Err(e.into()));
            }
            self.read_buf.reserve(READ_CHUNK);
            match self.io.try_read_buf(&mut self.read_buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Some(Err(e.into())),
            }
        }
    }

    /// Decodes what is buffered, up to one whole message.
    fn decode(&mut self) -> Result<Option<Incoming>, SocketError> {
        let incoming = loop {
            let Some(frame) = self.codec.decode(&mut self.read_buf)? else {
                // Nothing whole yet; an empty buffer is given back, so an idle socket holds none.
                if self.read_buf.is_empty() {
                    self.read_buf = BytesMut::new();
                }
                return Ok(None);
            };
            match frame {
                Frame::Text(data) | Frame::Binary(data) => break Incoming::Data(data),
                Frame::Ping(data) => break Incoming::Ping(data),
                Frame::Pong(_) => break Incoming::Pong,
                Frame::Close(_) => break Incoming::Close,
                Frame::Continuation(Item::FirstText(data) | Item::FirstBinary(data)) => {
                    self.partial = Some(BytesMut::from(&data[..]));
                }
                Frame::Continuation(Item::Continue(data)) => self.extend(&data)?,
                Frame::Continuation(Item::Last(data)) => {
                    self.extend(&data)?;
                    if let Some(whole) = self.partial.take() {
                        break Incoming::Data(whole.freeze());
                    }
                }
            }
        };
        if self.read_buf.is_empty() {
            self.read_buf = BytesMut::new();
        }
        Ok(Some(incoming))
    }

    fn extend(&mut self, data: &[u8]) -> Result<(), SocketError> {
        let partial = self.partial.as_mut().ok_or(ProtocolError::ContinuationNotStarted)?;
        if partial.len() + data.len() > self.max_message {
            return Err(SocketError::TooLarge);
        }
        partial.extend_from_slice(data);
        Ok(())
    }

    pub async fn text(&mut self, text: String) -> Result<(), SocketError> {
        self.send(Message::Text(text.into())).await
    }

    pub async fn ping(&mut self) -> Result<(), SocketError> {
        self.send(Message::Ping(Bytes::new())).await
    }

    pub async fn pong(&mut self, data: Bytes) -> Result<(), SocketError> {
        self.send(Message::Pong(data)).await
    }

    /// Sends a close frame; the connection ends when the socket is dropped.
    pub async fn close(mut self, reason: Option<CloseReason>) {
        let _ = self.send(Message::Close(reason)).await;
        let _ = self.io.shutdown().await;
    }

    async fn send(&mut self, message: Message) -> Result<(), SocketError> {
        let mut frame = BytesMut::new();
        self.codec.encode(message, &mut frame)?;
        tokio::time::timeout(WRITE_TIMEOUT, self.io.write_all(&frame))
            .await
            .map_err(|_| SocketError::Stalled)??;
        Ok(())
    }
}
