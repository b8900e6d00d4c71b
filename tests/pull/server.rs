//! A fake API server on 127.0.0.1 for `pull` tests: it answers the
//! connections it gets, in order, with the replies a test scripts (one
//! request per connection, `Connection: close`), records each request,
//! and stops by itself after its last reply or after a deadline.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a server waits in all for the requests it expects.
const DEADLINE: Duration = Duration::from_secs(30);

/// What the server does with one request.
pub enum Reply {
    /// A whole response.
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// A 200 promising `promised` bytes, then only `body`, then the
    /// connection closes: a body cut short.
    Truncated { body: Vec<u8>, promised: usize },
    /// Reads the request and never answers, until the client hangs up
    /// or `for_at_most` passes.
    Silent { for_at_most: Duration },
}

impl Reply {
    pub fn ok(content_type: &str, body: &[u8]) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.to_vec(),
        }
    }

    pub fn status(status: u16, headers: &[(&'static str, &str)], body: &str) -> Reply {
        Reply::Full {
            status,
            headers: headers.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }
}

/// A server that answers each request by what it asks (for pulls of many
/// lists in an order the test need not script), until it is stopped or
/// its deadline passes. The handler gets the request's head and body.
pub struct RoutedServer {
    /// `http://127.0.0.1:PORT`, without a path.
    pub url: String,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<String>>,
}

impl RoutedServer {
    pub fn start(handler: impl FnMut(&str) -> Reply + Send + 'static) -> RoutedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || serve_routed(listener, handler, &stopped));
        RoutedServer { url, stop, thread }
    }

    /// Stops the server; the requests it received.
    pub fn requests(self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("the fake server panicked")
    }
}

fn serve_routed(
    listener: TcpListener,
    mut handler: impl FnMut(&str) -> Reply,
    stop: &AtomicBool,
) -> Vec<String> {
    let deadline = Instant::now() + DEADLINE;
    let mut requests = Vec::new();
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline && requests.len() < 10_000 {
        match listener.accept() {
            Ok((mut stream, _)) => {
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let request = read_request(&mut stream);
                let reply = handler(&request);
                requests.push(request);
                answer(&mut stream, reply);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => break,
        }
    }
    requests
}

pub struct FakeServer {
    pub url: String,
    thread: JoinHandle<Vec<String>>,
}

impl FakeServer {
    /// Listens on a free port of 127.0.0.1 and serves `replies` in order.
    pub fn start(replies: Vec<Reply>) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/api", listener.local_addr().unwrap());
        let thread = std::thread::spawn(move || serve(listener, replies));
        FakeServer { url, thread }
    }

    /// Waits for the server to stop; the requests it received (head and
    /// body, as text).
    pub fn requests(self) -> Vec<String> {
        self.thread.join().expect("the fake server panicked")
    }
}

fn serve(listener: TcpListener, replies: Vec<Reply>) -> Vec<String> {
    let deadline = Instant::now() + DEADLINE;
    let mut requests = Vec::new();
    for reply in replies {
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break Some(stream),
                Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => break None,
            }
        };
        let Some(mut stream) = stream else { break };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        requests.push(read_request(&mut stream));
        answer(&mut stream, reply);
    }
    requests
}

/// The request's head and its `Content-Length` body.
fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}

fn answer(stream: &mut TcpStream, reply: Reply) {
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Truncated { body, promised } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {promised}\r\n\
                 Connection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Silent { for_at_most } => {
            let until = Instant::now() + for_at_most;
            stream
                .set_read_timeout(Some(Duration::from_millis(50)))
                .unwrap();
            let mut buf = [0u8; 256];
            while Instant::now() < until {
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => break,
                }
            }
        }
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
