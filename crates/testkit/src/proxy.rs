//! A TCP proxy on 127.0.0.1 that misbehaves on command: it drops connections, delays them, or
//! cuts answers short — what a hotel Wi-Fi does to a sync.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How the proxy treats new connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forward faithfully.
    Pass,
    /// Accept, then close at once without a byte.
    Drop,
    /// Forward, after waiting this long before the first byte each way.
    Delay(Duration),
    /// Forward the request, but cut the answer after this many bytes.
    Truncate(usize),
}

struct Shared {
    mode: Mutex<Mode>,
    stop: AtomicBool,
    connections: AtomicU64,
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl FaultProxy {
    /// Listens on 127.0.0.1 (a free port) and forwards to `target`.
    pub fn start(target: SocketAddr) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            mode: Mutex::new(Mode::Pass),
            stop: AtomicBool::new(false),
            connections: AtomicU64::new(0),
        });
        let accept_shared = shared.clone();
        thread::spawn(move || {
            for client in listener.incoming() {
                if accept_shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                accept_shared.connections.fetch_add(1, Ordering::SeqCst);
                let mode = *accept_shared.mode.lock().unwrap_or_else(|p| p.into_inner());
                thread::spawn(move || handle(client, target, mode));
            }
        });
        Ok(FaultProxy { addr, shared })
    }

    /// The address clients should use.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Applies to connections made from now on.
    pub fn set_mode(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap_or_else(|p| p.into_inner()) = mode;
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn handle(client: TcpStream, target: SocketAddr, mode: Mode) {
    if mode == Mode::Drop {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let Ok(server) = TcpStream::connect(target) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let delay = match mode {
        Mode::Delay(d) => Some(d),
        _ => None,
    };
    let limit = match mode {
        Mode::Truncate(n) => Some(n),
        _ => None,
    };
    let (Ok(client_read), Ok(server_write)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let upstream = thread::spawn(move || copy(client_read, server_write, delay, None));
    copy(server, client, delay, limit);
    let _ = upstream.join();
}

/// Copies until EOF or `limit` bytes, then shuts both sides so the peer sees the cut.
fn copy(mut from: TcpStream, mut to: TcpStream, delay: Option<Duration>, limit: Option<usize>) {
    let mut buf = [0u8; 16 * 1024];
    let mut sent = 0usize;
    let mut first = true;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if first {
            if let Some(d) = delay {
                thread::sleep(d); // the fault being simulated is exactly this wait
            }
            first = false;
        }
        let n = match limit {
            Some(max) if sent + n >= max => {
                let _ = to.write_all(&buf[..max - sent]);
                break;
            }
            _ => n,
        };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        sent += n;
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server that answers each connection with a fixed body.
    fn answering_server(body: &'static [u8]) -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        thread::spawn(move || {
            for s in l.incoming() {
                let mut s = s.unwrap();
                let mut req = [0u8; 5];
                let _ = s.read_exact(&mut req);
                let _ = s.write_all(body);
            }
        });
        addr
    }

    fn ask(addr: SocketAddr) -> Vec<u8> {
        let mut s = TcpStream::connect(addr).unwrap();
        let _ = s.write_all(b"hello");
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        out
    }

    #[test]
    fn pass_forwards_drop_closes_truncate_cuts() {
        let proxy = FaultProxy::start(answering_server(b"0123456789")).unwrap();
        assert_eq!(ask(proxy.addr()), b"0123456789");
        proxy.set_mode(Mode::Drop);
        assert_eq!(ask(proxy.addr()), b"");
        proxy.set_mode(Mode::Truncate(4));
        assert_eq!(ask(proxy.addr()), b"0123");
        proxy.set_mode(Mode::Pass);
        assert_eq!(ask(proxy.addr()), b"0123456789");
        assert_eq!(proxy.connections(), 4);
    }
}
