//! A fake SMTP server on 127.0.0.1 for `notify` tests: a minimal scripted
//! dialogue (greeting, EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT), one
//! scripted session per connection, in order. Every wait is bounded: a
//! deadline for the connections, a read timeout and a command count per
//! session. It records what each session received.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(30);
const MAX_COMMANDS: usize = 50;
const MAX_LINES: usize = 100_000;

/// What one connection gets.
#[derive(Debug, Clone, Copy)]
pub enum Session {
    /// Every command accepted, the mail queued.
    Accept,
    /// `421` at the greeting: busy, try later.
    Busy,
    /// `550` for every recipient.
    NoSuchUser,
    /// `535` for the login, echoing the line it refused (some servers do).
    EchoRefusedLogin,
}

pub struct FakeSmtp {
    pub port: u16,
    thread: JoinHandle<Vec<String>>,
}

impl FakeSmtp {
    pub fn start(sessions: &[Session]) -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let sessions = sessions.to_vec();
        let thread = std::thread::spawn(move || serve(listener, sessions));
        FakeSmtp { port, thread }
    }

    /// Waits for the server to stop: what each session received.
    pub fn sessions(self) -> Vec<String> {
        self.thread.join().expect("the fake SMTP server panicked")
    }
}

fn serve(listener: TcpListener, sessions: Vec<Session>) -> Vec<String> {
    let deadline = Instant::now() + DEADLINE;
    let mut received = Vec::new();
    for session in sessions {
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break Some(stream),
                Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => break None,
            }
        };
        let Some(stream) = stream else { break };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        received.push(talk(stream, session));
    }
    received
}

fn talk(mut stream: TcpStream, session: Session) -> String {
    let mut transcript = String::new();
    if let Session::Busy = session {
        let _ = stream.write_all(b"421 4.3.2 fake.example busy, try again later\r\n");
        return transcript;
    }
    let _ = stream.write_all(b"220 fake.example ESMTP\r\n");
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..MAX_COMMANDS {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        transcript.push_str(&line);
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250-fake.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
            "AUTH" if matches!(session, Session::EchoRefusedLogin) => {
                let echo = format!("535 5.7.8 refused: {}\r\n", line.trim_end());
                let _ = stream.write_all(echo.as_bytes());
                continue;
            }
            "AUTH" => b"235 2.7.0 authenticated\r\n",
            "MAIL" | "RSET" | "NOOP" => b"250 2.0.0 ok\r\n",
            "RCPT" => match session {
                Session::NoSuchUser => b"550 5.1.1 no such user here\r\n",
                _ => b"250 2.1.5 ok\r\n",
            },
            "DATA" => {
                let _ = stream.write_all(b"354 go ahead\r\n");
                for _ in 0..MAX_LINES {
                    let mut data = String::new();
                    match reader.read_line(&mut data) {
                        Ok(0) | Err(_) => return transcript,
                        Ok(_) => {}
                    }
                    if data == ".\r\n" {
                        break;
                    }
                    transcript.push_str(&data);
                }
                b"250 2.0.0 queued\r\n"
            }
            "QUIT" => {
                let _ = stream.write_all(b"221 2.0.0 bye\r\n");
                break;
            }
            _ => b"502 5.5.2 unknown command\r\n",
        };
        let _ = stream.write_all(reply);
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    transcript
}

/// The bodies of a multipart mail's parts, decoded (base64,
/// quoted-printable, or as they are).
pub fn decoded_parts(mail: &str) -> Vec<String> {
    let Some(boundary) = mail
        .split("boundary=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
    else {
        return Vec::new();
    };
    let marker = format!("--{boundary}");
    mail.split(&marker)
        .skip(1)
        .filter_map(|part| {
            let (head, body) = part.split_once("\r\n\r\n")?;
            let head = head.to_ascii_lowercase();
            let body = body.trim_end_matches("\r\n");
            let bytes = if head.contains("content-transfer-encoding: base64") {
                base64(body)
            } else if head.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable(body)
            } else {
                body.as_bytes().to_vec()
            };
            Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
        })
        .collect()
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&a| a == c) else {
            continue;
        };
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() + 1 {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}
